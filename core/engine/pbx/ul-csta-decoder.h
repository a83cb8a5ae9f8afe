/* ul-csta-decoder.h — incremental CSTA frame decoder.
 *
 * Feed it whatever the socket returned and pop complete frames. It copes with frames split
 * over many reads and with many frames in one read. A bad header (csta.md rule 2) is fatal:
 * ul_csta_decoder_pop() then keeps failing and the caller must abort the connection.
 */
#pragma once

#include <glib-object.h>

#include "ul-csta-frame.h"

G_BEGIN_DECLS

#define UL_TYPE_CSTA_DECODER (ul_csta_decoder_get_type ())
G_DECLARE_FINAL_TYPE (UlCstaDecoder, ul_csta_decoder, UL, CSTA_DECODER, GObject)

UlCstaDecoder *ul_csta_decoder_new (void);

void ul_csta_decoder_feed (UlCstaDecoder *self, const void *data, gsize len);

/* Returns the next complete frame, or NULL: with @error set when the stream is broken,
 * without when more bytes are needed. */
UlCstaFrame *ul_csta_decoder_pop (UlCstaDecoder *self, GError **error);

/* Bytes buffered but not yet returned as a frame. */
gsize ul_csta_decoder_get_pending (UlCstaDecoder *self);

gboolean ul_csta_decoder_is_broken (UlCstaDecoder *self);

/* Forgets buffered bytes and a previous error, for a new connection. */
void ul_csta_decoder_reset (UlCstaDecoder *self);

G_END_DECLS
