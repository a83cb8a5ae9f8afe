/* ul-http-input-stream.h — the input side of UlHttpStream (see ul-http-stream.h). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define UL_TYPE_HTTP_INPUT_STREAM (ul_http_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (UlHttpInputStream, ul_http_input_stream, UL, HTTP_INPUT_STREAM,
                      GInputStream)

/* @base must be pollable. */
GInputStream *ul_http_input_stream_new (GInputStream *base);
/* Between requests: an end of stream or a read error becomes one byte of junk, once. */
void          ul_http_input_stream_set_idle (UlHttpInputStream *self, gboolean idle);

G_END_DECLS
