/* ul-http-input-stream.c — the input side of UlHttpStream.
 *
 * libsoup 3.2 drops a kept-alive connection whose client goes away between two requests
 * without ever disconnecting it (fixed upstream in 3.3, commit d20c660 "server: do not leak
 * idle connections closed by the client"): the socket, TLS session and objects stay until
 * the server dies, and the guard's per-peer count with them. libsoup only disconnects once
 * a request has started, and a request starts when its first byte is read. So between
 * requests, an end of stream (or an error) from the peer is handed to libsoup as one junk
 * byte followed by the end: libsoup starts a request, fails to parse it, and disconnects
 * the usual way. The same path serves the guard's idle timeout, which shuts the socket down.
 */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include "ul-http-input-stream.h"

struct _UlHttpInputStream
{
  GInputStream  parent_instance;

  GInputStream *base;
  gboolean      idle;
  gboolean      junk_sent;
};

static void pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (UlHttpInputStream, ul_http_input_stream, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      pollable_iface_init))

/* Applies the idle rule to the result @n of a read of the base stream. */
static gssize
filter (UlHttpInputStream *self, gssize n, void *buffer, gsize count, GError **error,
        GError *base_error)
{
  if (n > 0 || g_error_matches (base_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)
      || g_error_matches (base_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || !self->idle || self->junk_sent || count == 0)
    {
      if (base_error != NULL)
        g_propagate_error (error, base_error);
      return n;
    }
  g_clear_error (&base_error);
  self->junk_sent = TRUE;
  ((char *) buffer)[0] = '\n';
  return 1;
}

static gssize
ul_http_input_stream_read (GInputStream *stream,
                           void         *buffer,
                           gsize         count,
                           GCancellable *cancellable,
                           GError      **error)
{
  UlHttpInputStream *self = UL_HTTP_INPUT_STREAM (stream);
  GError *base_error = NULL;
  gssize n;

  if (self->junk_sent)
    return 0;
  n = g_input_stream_read (self->base, buffer, count, cancellable, &base_error);
  return filter (self, n, buffer, count, error, base_error);
}

static gboolean
ul_http_input_stream_close (GInputStream *stream, GCancellable *cancellable, GError **error)
{
  return g_input_stream_close (UL_HTTP_INPUT_STREAM (stream)->base, cancellable, error);
}

static gboolean
pollable_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
pollable_is_readable (GPollableInputStream *stream)
{
  UlHttpInputStream *self = UL_HTTP_INPUT_STREAM (stream);

  return self->junk_sent
         || g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
pollable_create_source (GPollableInputStream *stream, GCancellable *cancellable)
{
  UlHttpInputStream *self = UL_HTTP_INPUT_STREAM (stream);
  g_autoptr(GSource) base_source = NULL;

  if (self->junk_sent)
    {
      /* Readable at once: the end of stream. */
      g_autoptr(GSource) ready = g_timeout_source_new (0);
      return g_pollable_source_new_full (stream, ready, cancellable);
    }
  base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base), NULL);
  return g_pollable_source_new_full (stream, base_source, cancellable);
}

static gssize
pollable_read_nonblocking (GPollableInputStream *stream,
                           void                 *buffer,
                           gsize                 count,
                           GError              **error)
{
  UlHttpInputStream *self = UL_HTTP_INPUT_STREAM (stream);
  GError *base_error = NULL;
  gssize n;

  if (self->junk_sent)
    return 0;
  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base), buffer,
                                                count, NULL, &base_error);
  return filter (self, n, buffer, count, error, base_error);
}

static void
pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = pollable_can_poll;
  iface->is_readable = pollable_is_readable;
  iface->create_source = pollable_create_source;
  iface->read_nonblocking = pollable_read_nonblocking;
}

static void
ul_http_input_stream_finalize (GObject *object)
{
  g_clear_object (&UL_HTTP_INPUT_STREAM (object)->base);
  G_OBJECT_CLASS (ul_http_input_stream_parent_class)->finalize (object);
}

static void
ul_http_input_stream_class_init (UlHttpInputStreamClass *klass)
{
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ul_http_input_stream_finalize;
  input_class->read_fn = ul_http_input_stream_read;
  input_class->close_fn = ul_http_input_stream_close;
}

static void
ul_http_input_stream_init (UlHttpInputStream *self)
{
}

GInputStream *
ul_http_input_stream_new (GInputStream *base)
{
  UlHttpInputStream *self;

  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (base), NULL);

  self = g_object_new (UL_TYPE_HTTP_INPUT_STREAM, NULL);
  self->base = g_object_ref (base);
  return G_INPUT_STREAM (self);
}

void
ul_http_input_stream_set_idle (UlHttpInputStream *self, gboolean idle)
{
  g_return_if_fail (UL_IS_HTTP_INPUT_STREAM (self));
  self->idle = idle;
}
