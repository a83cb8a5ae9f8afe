/* test-csta-frame.c — CSTA framing, the incremental decoder and invoke IDs (csta.md §2). */
#include <string.h>

#include "ul-csta-codec.h"

/* csta.md S5 test vector: 235 = 0xEB bytes including the header. */
static const char s5_xml[] =
  "<MonitorStart xmlns=\"http://www.ecma-international.org/standards/ecma-323/csta/ed4\">"
  "<monitorObject><deviceObject typeOfNumber=\"dialingNumber\">212700</deviceObject>"
  "</monitorObject><monitorType>device</monitorType></MonitorStart>";

static GBytes *
encode (guint invoke_id, const char *xml)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = ul_csta_frame_encode (invoke_id, xml, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);

  return bytes;
}

static void
test_encode_s5_vector (void)
{
  g_autofree char *xml = ul_csta_build_monitor_start (
    "http://www.ecma-international.org/standards/ecma-323/csta/ed4", "212700", "dialingNumber");
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize len;

  /* The builder reproduces the S5 body byte for byte. */
  g_assert_cmpstr (xml, ==, s5_xml);

  bytes = encode (1, xml);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpuint (len, ==, 235);
  g_assert_cmpmem (data, 8, "\x00\x00\x00\xEB" "0001", 8);
  g_assert_cmpmem (data + 8, len - 8, s5_xml, strlen (s5_xml));
}

static void
test_encode_utf8_length (void)
{
  /* "Zoë Ångström": 12 characters, 15 bytes; rule 4 counts bytes. */
  g_autoptr(GBytes) bytes = encode (42, "<a>Zoë Ångström</a>");
  const guint8 *data;
  gsize len;

  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpuint (len, ==, 8 + 7 + 15);
  g_assert_cmpuint (data[2], ==, 0);
  g_assert_cmpuint (data[3], ==, 30);
  g_assert_cmpmem (data + 4, 4, "0042", 4);
}

static void
test_encode_limits (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = g_strnfill (UL_CSTA_MAX_BODY_SIZE, 'x');
  g_autofree char *too_big = g_strnfill (UL_CSTA_MAX_BODY_SIZE + 1, 'x');
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) none = NULL;
  const guint8 *data;

  bytes = encode (9999, body);
  data = g_bytes_get_data (bytes, NULL);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 65535);
  g_assert_cmpuint (data[2], ==, 0xff);
  g_assert_cmpuint (data[3], ==, 0xff);
  g_assert_cmpmem (data + 4, 4, "9999", 4);

  none = ul_csta_frame_encode (1, too_big, -1, &error);
  g_assert_error (error, UL_CSTA_ERROR, UL_CSTA_ERROR_TOO_LARGE);
  g_assert_null (none);
  g_clear_error (&error);

  none = ul_csta_frame_encode (10000, "<a/>", -1, &error);
  g_assert_error (error, UL_CSTA_ERROR, UL_CSTA_ERROR_INVALID_ARGUMENT);
  g_assert_null (none);
}

/* Three frames back to back, one with an empty body (length 8 is legal). */
static GByteArray *
three_frames (void)
{
  GByteArray *stream = g_byte_array_new ();
  const char *bodies[] = { s5_xml, "", "\n<csta:X xmlns:csta=\"u\">Jürgen</csta:X>" };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) bytes = encode (i == 2 ? 9999 : i + 1, bodies[i]);

      g_byte_array_append (stream, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }

  return stream;
}

static void
check_three (GPtrArray *frames)
{
  UlCstaFrame *frame;

  g_assert_cmpuint (frames->len, ==, 3);
  frame = g_ptr_array_index (frames, 0);
  g_assert_cmpuint (frame->invoke_id, ==, 1);
  g_assert_cmpstr (frame->xml, ==, s5_xml);
  frame = g_ptr_array_index (frames, 1);
  g_assert_cmpuint (frame->invoke_id, ==, 2);
  g_assert_cmpuint (frame->xml_len, ==, 0);
  g_assert_cmpstr (frame->xml, ==, "");
  frame = g_ptr_array_index (frames, 2);
  g_assert_cmpuint (frame->invoke_id, ==, 9999);
  g_assert_cmpstr (frame->xml, ==, "\n<csta:X xmlns:csta=\"u\">Jürgen</csta:X>");
}

static void
drain (UlCstaDecoder *decoder, GPtrArray *frames)
{
  UlCstaFrame *frame;
  g_autoptr(GError) error = NULL;

  while ((frame = ul_csta_decoder_pop (decoder, &error)) != NULL)
    g_ptr_array_add (frames, frame);
  g_assert_no_error (error);
}

static void
test_decoder_byte_by_byte (void)
{
  g_autoptr(GByteArray) stream = three_frames ();
  g_autoptr(UlCstaDecoder) decoder = ul_csta_decoder_new ();
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_csta_frame_free);

  for (guint i = 0; i < stream->len; i++)
    {
      ul_csta_decoder_feed (decoder, stream->data + i, 1);
      drain (decoder, frames);
    }

  check_three (frames);
  g_assert_cmpuint (ul_csta_decoder_get_pending (decoder), ==, 0);
}

static void
test_decoder_coalesced (void)
{
  g_autoptr(GByteArray) stream = three_frames ();
  g_autoptr(UlCstaDecoder) decoder = ul_csta_decoder_new ();
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_csta_frame_free);

  ul_csta_decoder_feed (decoder, stream->data, stream->len);
  drain (decoder, frames);
  check_three (frames);
}

static void
test_decoder_random_splits (void)
{
  g_autoptr(GByteArray) stream = three_frames ();

  for (guint round = 0; round < 200; round++)
    {
      g_autoptr(UlCstaDecoder) decoder = ul_csta_decoder_new ();
      g_autoptr(GPtrArray) frames =
        g_ptr_array_new_with_free_func ((GDestroyNotify) ul_csta_frame_free);
      guint pos = 0;

      while (pos < stream->len)
        {
          /* MIN() evaluates its arguments twice: draw the random size first. */
          guint chunk = g_test_rand_int_range (1, 40);

          chunk = MIN (chunk, stream->len - pos);

          ul_csta_decoder_feed (decoder, stream->data + pos, chunk);
          drain (decoder, frames);
          pos += chunk;
        }
      check_three (frames);
    }
}

static void
expect_broken (const guint8 *bytes, gsize len, gint code)
{
  g_autoptr(UlCstaDecoder) decoder = ul_csta_decoder_new ();
  g_autoptr(GError) error = NULL;
  UlCstaFrame *frame;

  ul_csta_decoder_feed (decoder, bytes, len);
  frame = ul_csta_decoder_pop (decoder, &error);
  g_assert_null (frame);
  g_assert_error (error, UL_CSTA_ERROR, code);
  g_assert_true (ul_csta_decoder_is_broken (decoder));
  g_clear_error (&error);

  /* The stream stays broken: the caller must drop the connection (rule 2). */
  ul_csta_decoder_feed (decoder, "\x00\x00\x00\x08" "0001", 8);
  frame = ul_csta_decoder_pop (decoder, &error);
  g_assert_null (frame);
  g_assert_error (error, UL_CSTA_ERROR, code);
  g_clear_error (&error);

  ul_csta_decoder_reset (decoder);
  g_assert_false (ul_csta_decoder_is_broken (decoder));
  ul_csta_decoder_feed (decoder, "\x00\x00\x00\x08" "0001", 8);
  frame = ul_csta_decoder_pop (decoder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (frame);
  g_assert_cmpuint (frame->invoke_id, ==, 1);
  ul_csta_frame_free (frame);
}

static void
test_decoder_bad_headers (void)
{
  expect_broken ((const guint8 *) "\x01\x00\x00\x10" "0001<a/>1234", 16, UL_CSTA_ERROR_BAD_HEADER);
  expect_broken ((const guint8 *) "\x00\x01\x00\x10" "0001<a/>1234", 16, UL_CSTA_ERROR_BAD_HEADER);
  expect_broken ((const guint8 *) "<?xml ve", 8, UL_CSTA_ERROR_BAD_HEADER);
  expect_broken ((const guint8 *) "\x00\x00\x00\x07" "0001", 8, UL_CSTA_ERROR_BAD_LENGTH);
  expect_broken ((const guint8 *) "\x00\x00\x00\x00" "0001", 8, UL_CSTA_ERROR_BAD_LENGTH);
  expect_broken ((const guint8 *) "\x00\x00\x00\x0c" "12a4<a/>", 12, UL_CSTA_ERROR_BAD_INVOKE_ID);
  expect_broken ((const guint8 *) "\x00\x00\x00\x0c" " 123<a/>", 12, UL_CSTA_ERROR_BAD_INVOKE_ID);
}

static void
test_decoder_partial (void)
{
  g_autoptr(UlCstaDecoder) decoder = ul_csta_decoder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = encode (7, "<a>b</a>");
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  UlCstaFrame *frame;

  /* Nothing is judged before 8 bytes are in (rule 2), nor returned before the body. */
  ul_csta_decoder_feed (decoder, data, 7);
  g_assert_null (ul_csta_decoder_pop (decoder, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ul_csta_decoder_get_pending (decoder), ==, 7);

  ul_csta_decoder_feed (decoder, data + 7, 5);
  g_assert_null (ul_csta_decoder_pop (decoder, &error));
  g_assert_no_error (error);

  ul_csta_decoder_feed (decoder, data + 12, g_bytes_get_size (bytes) - 12);
  frame = ul_csta_decoder_pop (decoder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (frame);
  g_assert_cmpuint (frame->invoke_id, ==, 7);
  g_assert_cmpstr (frame->xml, ==, "<a>b</a>");
  ul_csta_frame_free (frame);
}

static void
test_decoder_good_then_garbage (void)
{
  g_autoptr(UlCstaDecoder) decoder = ul_csta_decoder_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = encode (3, "<a/>");
  UlCstaFrame *frame;

  ul_csta_decoder_feed (decoder, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  ul_csta_decoder_feed (decoder, "\xff\xfe garbage", 10);

  frame = ul_csta_decoder_pop (decoder, &error);
  g_assert_no_error (error);
  g_assert_nonnull (frame);
  ul_csta_frame_free (frame);

  frame = ul_csta_decoder_pop (decoder, &error);
  g_assert_null (frame);
  g_assert_error (error, UL_CSTA_ERROR, UL_CSTA_ERROR_BAD_HEADER);
}

static void
test_invoke_ids (void)
{
  g_autoptr(UlCstaInvokeIds) ids = ul_csta_invoke_ids_new ();

  g_assert_cmpuint (ul_csta_invoke_ids_acquire (ids), ==, 1);
  g_assert_cmpuint (ul_csta_invoke_ids_acquire (ids), ==, 2);
  ul_csta_invoke_ids_release (ids, 1);
  ul_csta_invoke_ids_release (ids, 2);
  ul_csta_invoke_ids_release (ids, 2);
  ul_csta_invoke_ids_release (ids, 9999);
  g_assert_cmpuint (ul_csta_invoke_ids_get_n_in_flight (ids), ==, 0);

  /* Fill 3..9998, wrap to 1, 2: all 9998 in flight and 9999 never handed out. */
  for (guint expected = 3; expected <= 9998; expected++)
    g_assert_cmpuint (ul_csta_invoke_ids_acquire (ids), ==, expected);
  g_assert_cmpuint (ul_csta_invoke_ids_acquire (ids), ==, 1);
  g_assert_cmpuint (ul_csta_invoke_ids_acquire (ids), ==, 2);
  g_assert_cmpuint (ul_csta_invoke_ids_get_n_in_flight (ids), ==, 9998);
  g_assert_cmpuint (ul_csta_invoke_ids_acquire (ids), ==, 0);

  /* Skips IDs still in flight. */
  ul_csta_invoke_ids_release (ids, 100);
  ul_csta_invoke_ids_release (ids, 7);
  g_assert_false (ul_csta_invoke_ids_is_in_flight (ids, 7));
  g_assert_true (ul_csta_invoke_ids_is_in_flight (ids, 8));
  g_assert_cmpuint (ul_csta_invoke_ids_acquire (ids), ==, 7);
  g_assert_cmpuint (ul_csta_invoke_ids_acquire (ids), ==, 100);
  g_assert_cmpuint (ul_csta_invoke_ids_acquire (ids), ==, 0);

  ul_csta_invoke_ids_reset (ids);
  g_assert_cmpuint (ul_csta_invoke_ids_get_n_in_flight (ids), ==, 0);
  g_assert_cmpuint (ul_csta_invoke_ids_acquire (ids), ==, 101);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/csta/frame/encode-s5-vector", test_encode_s5_vector);
  g_test_add_func ("/uplink/csta/frame/encode-utf8-length", test_encode_utf8_length);
  g_test_add_func ("/uplink/csta/frame/encode-limits", test_encode_limits);
  g_test_add_func ("/uplink/csta/decoder/byte-by-byte", test_decoder_byte_by_byte);
  g_test_add_func ("/uplink/csta/decoder/coalesced", test_decoder_coalesced);
  g_test_add_func ("/uplink/csta/decoder/random-splits", test_decoder_random_splits);
  g_test_add_func ("/uplink/csta/decoder/bad-headers", test_decoder_bad_headers);
  g_test_add_func ("/uplink/csta/decoder/partial", test_decoder_partial);
  g_test_add_func ("/uplink/csta/decoder/good-then-garbage", test_decoder_good_then_garbage);
  g_test_add_func ("/uplink/csta/invoke-ids", test_invoke_ids);

  return g_test_run ();
}
