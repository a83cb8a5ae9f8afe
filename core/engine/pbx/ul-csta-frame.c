/* ul-csta-frame.c — CSTA frame encoding and header checks (csta.md rules 1, 2, 4). */
#define G_LOG_DOMAIN "ul-csta"

#include "ul-csta-frame.h"

#include <string.h>

#include "ul-csta-error.h"

UlCstaFrame *
ul_csta_frame_new (guint invoke_id, const char *xml, gssize xml_len)
{
  UlCstaFrame *frame;

  g_return_val_if_fail (xml != NULL || xml_len == 0, NULL);

  if (xml_len < 0)
    xml_len = strlen (xml);

  frame = g_new0 (UlCstaFrame, 1);
  frame->invoke_id = invoke_id;
  frame->xml = g_malloc (xml_len + 1);
  if (xml_len > 0)
    memcpy (frame->xml, xml, xml_len);
  frame->xml[xml_len] = '\0';
  frame->xml_len = xml_len;

  return frame;
}

void
ul_csta_frame_free (UlCstaFrame *frame)
{
  if (frame == NULL)
    return;

  g_free (frame->xml);
  g_free (frame);
}

GBytes *
ul_csta_frame_encode (guint invoke_id, const char *xml, gssize xml_len, GError **error)
{
  gsize total;
  guint8 *buf;

  g_return_val_if_fail (xml != NULL || xml_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (invoke_id > UL_CSTA_INVOKE_ID_MAX)
    {
      g_set_error (error, UL_CSTA_ERROR, UL_CSTA_ERROR_INVALID_ARGUMENT,
                   "Invoke ID %u does not fit 4 digits", invoke_id);
      return NULL;
    }

  /* strlen() counts bytes, not characters: the length field is in UTF-8 bytes (rule 4). */
  if (xml_len < 0)
    xml_len = strlen (xml);

  if ((gsize) xml_len > UL_CSTA_MAX_BODY_SIZE)
    {
      g_set_error (error, UL_CSTA_ERROR, UL_CSTA_ERROR_TOO_LARGE,
                   "CSTA message of %" G_GSSIZE_FORMAT " bytes does not fit a frame",
                   xml_len);
      return NULL;
    }

  total = UL_CSTA_HEADER_SIZE + xml_len;
  buf = g_malloc (total);
  buf[0] = 0;
  buf[1] = 0;
  buf[2] = (total >> 8) & 0xff;
  buf[3] = total & 0xff;
  buf[4] = '0' + (invoke_id / 1000) % 10;
  buf[5] = '0' + (invoke_id / 100) % 10;
  buf[6] = '0' + (invoke_id / 10) % 10;
  buf[7] = '0' + invoke_id % 10;
  if (xml_len > 0)
    memcpy (buf + UL_CSTA_HEADER_SIZE, xml, xml_len);

  return g_bytes_new_take (buf, total);
}

gboolean
ul_csta_frame_parse_header (const guint8 *header,
                            gsize *out_total_len,
                            guint *out_invoke_id,
                            GError **error)
{
  gsize total;
  guint invoke_id = 0;

  g_return_val_if_fail (header != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Rule 2: anything but 00 00 means we lost the frame boundary; the caller aborts. */
  if (header[0] != 0 || header[1] != 0)
    {
      g_set_error (error, UL_CSTA_ERROR, UL_CSTA_ERROR_BAD_HEADER,
                   "Bad CSTA frame header bytes 0x%02x 0x%02x (expected 00 00)",
                   header[0], header[1]);
      return FALSE;
    }

  total = ((gsize) header[2] << 8) | header[3];
  if (total < UL_CSTA_HEADER_SIZE)
    {
      g_set_error (error, UL_CSTA_ERROR, UL_CSTA_ERROR_BAD_LENGTH,
                   "Bad CSTA frame length %" G_GSIZE_FORMAT " (below the 8-byte header)", total);
      return FALSE;
    }

  for (guint i = 4; i < UL_CSTA_HEADER_SIZE; i++)
    {
      if (!g_ascii_isdigit (header[i]))
        {
          g_set_error (error, UL_CSTA_ERROR, UL_CSTA_ERROR_BAD_INVOKE_ID,
                       "Bad CSTA invoke ID byte 0x%02x at offset %u", header[i], i);
          return FALSE;
        }
      invoke_id = invoke_id * 10 + (header[i] - '0');
    }

  if (out_total_len != NULL)
    *out_total_len = total;
  if (out_invoke_id != NULL)
    *out_invoke_id = invoke_id;

  return TRUE;
}
