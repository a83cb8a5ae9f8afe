/* ul-http-stream.h — what UlHttpGuard hands to libsoup for each connection.
 *
 * A pass-through GIOStream over the TLS (or plain) connection whose input side works around
 * a libsoup 3.2 leak of idle connections (see ul-http-input-stream.c). Closing it closes
 * the connection under it. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define UL_TYPE_HTTP_STREAM (ul_http_stream_get_type ())
G_DECLARE_FINAL_TYPE (UlHttpStream, ul_http_stream, UL, HTTP_STREAM, GIOStream)

GIOStream *ul_http_stream_new (GIOStream *base);
/* TRUE between two requests (after a response, before the next request's first byte). */
void       ul_http_stream_set_idle (UlHttpStream *self, gboolean idle);

G_END_DECLS
