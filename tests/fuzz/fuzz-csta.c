/* fuzz-csta.c — libFuzzer target for the CSTA codec: frame decoder, bounded XML tree and the
 * message parsers the gateway runs on everything the PBX sends (csta.md rules 1–5).
 *
 * Input that does not start with a zero byte is also tried as an XML body, bare and wrapped
 * in a frame, so the text seeds in csta-corpus/ reach the parser; input starting with a zero
 * byte is a raw byte stream. Streams are fed in chunks whose size comes from the last byte,
 * to cover split and coalesced frames.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ul-csta-codec.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A warning or critical from GLib means a misuse on some input: make it a crash that
 * libFuzzer records (G_DEBUG=fatal-warnings raises SIGTRAP, which it does not catch). */
static GLogWriterOutput
on_log (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  GLogWriterOutput ret = g_log_writer_standard_streams (level, fields, n_fields, user_data);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();

  return ret;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_writer_func (on_log, NULL, NULL);

  return 0;
}

static void
exercise_tree (const UlCstaNode *root)
{
  static const char *names[] = {
    "monitorCrossRefID", "sessionID", "callID", "deviceID", "deviceObject", "serviceCrossRefID",
    "actualSessionDuration", "localConnectionInfo", "deviceIdentifier", "definedError",
  };
  const char *name = ul_csta_node_get_name (root);
  const char *category = NULL;
  const char *value = NULL;
  const char *user = NULL;
  const char *password = NULL;
  UlCstaLoginStyle style;
  UlCstaEvent event;
  UlCstaNode *list;

  (void) ul_csta_message_kind (name);
  (void) ul_csta_event_parse (root, &event);
  (void) ul_csta_parse_error_code (root, &category, &value);
  (void) ul_csta_session_get_credentials (root, &user, &password, &style);
  (void) ul_csta_session_get_error (root);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *text = ul_csta_node_find_text (root, names[i]);

      /* Whatever came in must be safe to echo back, as the simulator does. */
      if (text != NULL)
        g_free (ul_csta_escape (text));
    }
  (void) ul_csta_node_get_text_at (root, "connection/callID");
  (void) ul_csta_node_get_text_at (root, "monitorObject/deviceObject");
  (void) ul_csta_node_get_attribute (root, "typeOfNumber");

  list = ul_csta_node_get_child (root, "deviceList");
  if (list != NULL)
    for (guint i = 0; i < ul_csta_node_get_n_children (list); i++)
      (void) ul_csta_node_get_text_at (ul_csta_node_get_child_at (list, i), "deviceID");
}

static void
parse_body (const char *xml, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCstaNode) root = ul_csta_node_parse (xml, len, &error);

  g_assert ((root == NULL) != (error == NULL));
  if (root != NULL)
    exercise_tree (root);
}

static void
decode_stream (const uint8_t *data, size_t size, gsize chunk)
{
  g_autoptr(UlCstaDecoder) decoder = ul_csta_decoder_new ();
  size_t pos = 0;

  while (pos < size)
    {
      gsize n = MIN (chunk, size - pos);
      UlCstaFrame *frame;
      g_autoptr(GError) error = NULL;

      ul_csta_decoder_feed (decoder, data + pos, n);
      pos += n;

      while ((frame = ul_csta_decoder_pop (decoder, &error)) != NULL)
        {
          g_assert (frame->invoke_id <= UL_CSTA_INVOKE_ID_MAX);
          g_assert (frame->xml_len <= UL_CSTA_MAX_BODY_SIZE);
          parse_body (frame->xml, frame->xml_len);
          ul_csta_frame_free (frame);
        }
      if (error != NULL)
        {
          g_assert (ul_csta_decoder_is_broken (decoder));
          return;
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  gsize chunk;

  if (size == 0)
    return 0;

  chunk = 1 + data[size - 1] % 64;

  if (data[0] != 0)
    {
      g_autoptr(GBytes) frame = NULL;
      g_autofree char *text = NULL;

      parse_body ((const char *) data, size);

      frame = ul_csta_frame_encode (UL_CSTA_INVOKE_ID_EVENT, (const char *) data, size, NULL);
      if (frame != NULL)
        decode_stream (g_bytes_get_data (frame, NULL), g_bytes_get_size (frame), chunk);

      text = g_strndup ((const char *) data, size);
      g_free (ul_csta_escape (text));
    }
  else
    {
      decode_stream (data, size, chunk);
    }

  return 0;
}
