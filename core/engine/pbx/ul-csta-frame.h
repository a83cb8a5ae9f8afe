/* ul-csta-frame.h — ECMA-323 "CSTA XML over TCP without SOAP" framing (csta.md §2, rules 1–5).
 *
 *   offset 0-1  00 00
 *   offset 2-3  uint16 big-endian total length, header included
 *   offset 4-7  invoke ID, 4 ASCII digits
 *   offset 8..  UTF-8 XML body
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UL_CSTA_HEADER_SIZE 8
#define UL_CSTA_MAX_FRAME_SIZE 65535
#define UL_CSTA_MAX_BODY_SIZE (UL_CSTA_MAX_FRAME_SIZE - UL_CSTA_HEADER_SIZE)

/* Invoke ID of unsolicited events (rule 5); client requests use 0001–9998. */
#define UL_CSTA_INVOKE_ID_EVENT 9999
#define UL_CSTA_INVOKE_ID_MAX 9999

typedef struct
{
  guint invoke_id; /* 0..9999 */
  char *xml;       /* the body, NUL-terminated for convenience */
  gsize xml_len;   /* body length in bytes, without the terminating NUL */
} UlCstaFrame;

UlCstaFrame *ul_csta_frame_new (guint invoke_id, const char *xml, gssize xml_len);
void ul_csta_frame_free (UlCstaFrame *frame);

/* Encodes one frame; @xml_len -1 means NUL-terminated. The length counts UTF-8 bytes
 * (rule 4). Fails with UL_CSTA_ERROR_TOO_LARGE above 65535 bytes and with
 * UL_CSTA_ERROR_INVALID_ARGUMENT for an invoke ID above 9999. */
GBytes *ul_csta_frame_encode (guint invoke_id, const char *xml, gssize xml_len, GError **error);

/* Checks an 8-byte header (rule 2) and returns the total frame length and invoke ID. */
gboolean ul_csta_frame_parse_header (const guint8 *header,
                                     gsize *out_total_len,
                                     guint *out_invoke_id,
                                     GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlCstaFrame, ul_csta_frame_free)

G_END_DECLS
