/* ul-csta-decoder.c — incremental CSTA frame decoder (csta.md rules 1, 2). */
#define G_LOG_DOMAIN "ul-csta"

#include "ul-csta-decoder.h"

#include "ul-csta-error.h"

struct _UlCstaDecoder
{
  GObject parent_instance;

  GByteArray *buf;
  gsize offset; /* start of the first unconsumed byte in buf */
  GError *broken;
};

G_DEFINE_FINAL_TYPE (UlCstaDecoder, ul_csta_decoder, G_TYPE_OBJECT)

static void
ul_csta_decoder_finalize (GObject *object)
{
  UlCstaDecoder *self = UL_CSTA_DECODER (object);

  g_byte_array_unref (self->buf);
  g_clear_error (&self->broken);

  G_OBJECT_CLASS (ul_csta_decoder_parent_class)->finalize (object);
}

static void
ul_csta_decoder_class_init (UlCstaDecoderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ul_csta_decoder_finalize;
}

static void
ul_csta_decoder_init (UlCstaDecoder *self)
{
  self->buf = g_byte_array_new ();
}

UlCstaDecoder *
ul_csta_decoder_new (void)
{
  return g_object_new (UL_TYPE_CSTA_DECODER, NULL);
}

/* Drops consumed bytes once they dominate the buffer, so a long-lived link does not
 * memmove on every frame nor grow without bound. */
static void
compact (UlCstaDecoder *self)
{
  if (self->offset == 0)
    return;

  if (self->offset == self->buf->len)
    {
      g_byte_array_set_size (self->buf, 0);
      self->offset = 0;
    }
  else if (self->offset >= self->buf->len / 2)
    {
      g_byte_array_remove_range (self->buf, 0, self->offset);
      self->offset = 0;
    }
}

void
ul_csta_decoder_feed (UlCstaDecoder *self, const void *data, gsize len)
{
  g_return_if_fail (UL_IS_CSTA_DECODER (self));
  g_return_if_fail (data != NULL || len == 0);

  /* After a framing error nothing that follows can be trusted (rule 2). */
  if (self->broken != NULL || len == 0)
    return;

  compact (self);
  g_byte_array_append (self->buf, data, len);
}

UlCstaFrame *
ul_csta_decoder_pop (UlCstaDecoder *self, GError **error)
{
  const guint8 *start;
  gsize avail;
  gsize total;
  guint invoke_id;
  UlCstaFrame *frame;

  g_return_val_if_fail (UL_IS_CSTA_DECODER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->broken != NULL)
    {
      g_propagate_error (error, g_error_copy (self->broken));
      return NULL;
    }

  avail = self->buf->len - self->offset;
  if (avail < UL_CSTA_HEADER_SIZE)
    return NULL;

  start = self->buf->data + self->offset;
  if (!ul_csta_frame_parse_header (start, &total, &invoke_id, &self->broken))
    {
      g_propagate_error (error, g_error_copy (self->broken));
      return NULL;
    }

  if (avail < total)
    return NULL;

  frame = ul_csta_frame_new (invoke_id, (const char *) start + UL_CSTA_HEADER_SIZE,
                             total - UL_CSTA_HEADER_SIZE);
  self->offset += total;
  compact (self);

  return frame;
}

gsize
ul_csta_decoder_get_pending (UlCstaDecoder *self)
{
  g_return_val_if_fail (UL_IS_CSTA_DECODER (self), 0);

  return self->buf->len - self->offset;
}

gboolean
ul_csta_decoder_is_broken (UlCstaDecoder *self)
{
  g_return_val_if_fail (UL_IS_CSTA_DECODER (self), FALSE);

  return self->broken != NULL;
}

void
ul_csta_decoder_reset (UlCstaDecoder *self)
{
  g_return_if_fail (UL_IS_CSTA_DECODER (self));

  g_byte_array_set_size (self->buf, 0);
  self->offset = 0;
  g_clear_error (&self->broken);
}
