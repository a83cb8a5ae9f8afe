/* ul-http-stream.c — what UlHttpGuard hands to libsoup for each connection. */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include "ul-http-input-stream.h"
#include "ul-http-stream.h"

struct _UlHttpStream
{
  GIOStream     parent_instance;

  GIOStream    *base;
  GInputStream *input;
};

G_DEFINE_FINAL_TYPE (UlHttpStream, ul_http_stream, G_TYPE_IO_STREAM)

static GInputStream *
ul_http_stream_get_input_stream (GIOStream *stream)
{
  return UL_HTTP_STREAM (stream)->input;
}

static GOutputStream *
ul_http_stream_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (UL_HTTP_STREAM (stream)->base);
}

static gboolean
ul_http_stream_close (GIOStream *stream, GCancellable *cancellable, GError **error)
{
  return g_io_stream_close (UL_HTTP_STREAM (stream)->base, cancellable, error);
}

static void
on_base_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Forwarded, not GIOStream's default (which would run ul_http_stream_close() in a
 * thread). */
static void
ul_http_stream_close_async (GIOStream          *stream,
                            int                 io_priority,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, ul_http_stream_close_async);
  g_io_stream_close_async (UL_HTTP_STREAM (stream)->base, io_priority, cancellable,
                           on_base_closed, task);
}

static gboolean
ul_http_stream_close_finish (GIOStream *stream, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ul_http_stream_dispose (GObject *object)
{
  UlHttpStream *self = UL_HTTP_STREAM (object);

  /* GIOStream's dispose closes the stream; do it while the base is still here. */
  G_OBJECT_CLASS (ul_http_stream_parent_class)->dispose (object);
  g_clear_object (&self->input);
  g_clear_object (&self->base);
}

static void
ul_http_stream_class_init (UlHttpStreamClass *klass)
{
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ul_http_stream_dispose;
  stream_class->get_input_stream = ul_http_stream_get_input_stream;
  stream_class->get_output_stream = ul_http_stream_get_output_stream;
  stream_class->close_fn = ul_http_stream_close;
  stream_class->close_async = ul_http_stream_close_async;
  stream_class->close_finish = ul_http_stream_close_finish;
}

static void
ul_http_stream_init (UlHttpStream *self)
{
}

GIOStream *
ul_http_stream_new (GIOStream *base)
{
  UlHttpStream *self;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);

  self = g_object_new (UL_TYPE_HTTP_STREAM, NULL);
  self->base = g_object_ref (base);
  self->input = ul_http_input_stream_new (g_io_stream_get_input_stream (base));
  return G_IO_STREAM (self);
}

void
ul_http_stream_set_idle (UlHttpStream *self, gboolean idle)
{
  g_return_if_fail (UL_IS_HTTP_STREAM (self));
  ul_http_input_stream_set_idle (UL_HTTP_INPUT_STREAM (self->input), idle);
}
