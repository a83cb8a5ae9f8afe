/* ul-pbx-link.c — the CSTA link to the PBX.
 *
 * Every asynchronous operation of one TCP connection shares that connection's
 * GCancellable; dropping the connection cancels it, so a late callback from a dead
 * connection recognises itself (G_IO_ERROR_CANCELLED) and does nothing. Async operations
 * hold a reference on the link, so the object outlives its callbacks.
 */
#define G_LOG_DOMAIN "uplink-pbx"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-csta-decoder.h"
#include "ul-csta-frame.h"
#include "ul-csta-invoke-ids.h"
#include "ul-csta-services.h"
#include "ul-csta-writer.h"
#include "ul-error.h"
#include "ul-pbx-link.h"

#define MAX_TIMEOUTS_IN_A_ROW 3   /* rule 12: three unanswered requests = dead link */
#define STOP_TIMEOUT_MS       2000 /* rule 14 */
#define READ_CHUNK            16384

typedef struct
{
  UlPbxLink *link;   /* not owned */
  guint      invoke_id;
  GTask     *task;
  guint      timeout_id;
  guint      timeout_ms;
} Pending;

/* Callback data of one socket operation: the connection generation it belongs to. */
typedef struct
{
  UlPbxLink    *link;
  GCancellable *generation;
} Op;

struct _UlPbxLink
{
  GObject parent_instance;

  UlPbxLinkConfig   *config;
  UlPbxLinkState     state;
  GError            *last_error;
  gboolean           was_active;
  gboolean           stopping;
  gboolean           failing;         /* re-entrancy guard of fail_link() */
  char              *session_id;
  guint              session_duration;

  GSocketClient     *client;
  GSocketConnection *connection;
  GCancellable      *cancellable;     /* of the current connection attempt */
  UlCstaDecoder     *decoder;
  guint8            *read_buffer;
  GQueue             write_queue;     /* GBytes* */
  gboolean           writing;

  GHashTable        *pending;         /* invoke ID → Pending* */
  UlCstaInvokeIds   *invoke_ids;
  guint              timeouts_in_a_row;

  guint              connect_timeout_id;
  guint              keepalive_id;
  guint              backoff_id;
  guint              backoff_ms;
};

G_DEFINE_FINAL_TYPE (UlPbxLink, ul_pbx_link, G_TYPE_OBJECT)

enum
{
  SIGNAL_STATE_CHANGED,
  SIGNAL_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void connect_now (UlPbxLink *self);

static Op *
op_new (UlPbxLink *self)
{
  Op *op = g_new (Op, 1);

  op->link = g_object_ref (self);
  op->generation = g_object_ref (self->cancellable);
  return op;
}

static void
op_free (Op *op)
{
  g_object_unref (op->generation);
  g_object_unref (op->link);
  g_free (op);
}

/* TRUE when @op's connection has since been closed or replaced. */
static gboolean
op_is_stale (Op *op)
{
  return op->generation != op->link->cancellable || g_cancellable_is_cancelled (op->generation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)
static void send_request (UlPbxLink          *self,
                          const char         *xml,
                          guint               timeout_ms,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data);

UlPbxLinkConfig *
ul_pbx_link_config_new (void)
{
  UlPbxLinkConfig *config = g_new0 (UlPbxLinkConfig, 1);

  config->port = 7001;
  config->login_style = UL_CSTA_LOGIN_STYLE_USER_PASSWORD;
  config->application_id = g_strdup ("Uplink");
  config->session_duration = 180;
  config->request_timeout_ms = 10000;
  config->connect_timeout_ms = 5000;
  config->backoff_initial_ms = 2000;
  config->backoff_max_ms = 60000;
  config->reconnect = TRUE;
  return config;
}

UlPbxLinkConfig *
ul_pbx_link_config_copy (const UlPbxLinkConfig *config)
{
  UlPbxLinkConfig *copy = g_memdup2 (config, sizeof *config);

  copy->host = g_strdup (config->host);
  copy->username = g_strdup (config->username);
  copy->password = g_strdup (config->password);
  copy->application_id = g_strdup (config->application_id);
  return copy;
}

void
ul_pbx_link_config_free (UlPbxLinkConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->host);
  g_free (config->username);
  if (config->password != NULL)
    memset (config->password, 0, strlen (config->password));
  g_free (config->password);
  g_free (config->application_id);
  g_free (config);
}

const char *
ul_pbx_link_state_to_string (UlPbxLinkState state)
{
  switch (state)
    {
    case UL_PBX_LINK_STATE_STOPPED:
      return "stopped";
    case UL_PBX_LINK_STATE_CONNECTING:
      return "connecting";
    case UL_PBX_LINK_STATE_LOGGING_IN:
      return "logging-in";
    case UL_PBX_LINK_STATE_ACTIVE:
      return "active";
    case UL_PBX_LINK_STATE_BACKOFF:
      return "backoff";
    default:
      return "unknown";
    }
}

static void
set_state (UlPbxLink *self, UlPbxLinkState state)
{
  if (self->state == state)
    return;
  g_debug ("%s:%u %s → %s", self->config->host, self->config->port,
           ul_pbx_link_state_to_string (self->state), ul_pbx_link_state_to_string (state));
  self->state = state;
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
}

static void
pending_free (Pending *pending)
{
  ul_csta_invoke_ids_release (pending->link->invoke_ids, pending->invoke_id);
  g_clear_handle_id (&pending->timeout_id, g_source_remove);
  g_clear_object (&pending->task);
  g_free (pending);
}

static void
clear_timers (UlPbxLink *self)
{
  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_clear_handle_id (&self->backoff_id, g_source_remove);
}

/* Closes the current connection and fails every request in flight with @error. */
static void
close_connection (UlPbxLink *self, const GError *error)
{
  g_autoptr(GList) pendings = NULL;

  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
  g_queue_clear_full (&self->write_queue, (GDestroyNotify) g_bytes_unref);
  self->writing = FALSE;
  ul_csta_decoder_reset (self->decoder);
  g_clear_pointer (&self->session_id, g_free);
  self->timeouts_in_a_row = 0;

  /* Steal first: returning an error may run callbacks that send new requests. */
  pendings = g_hash_table_get_values (self->pending);
  g_hash_table_steal_all (self->pending);
  for (GList *l = pendings; l != NULL; l = l->next)
    {
      Pending *pending = l->data;
      g_task_return_error (pending->task, g_error_copy (error));
      pending_free (pending);
    }
}

static gboolean
on_backoff_done (gpointer user_data)
{
  UlPbxLink *self = user_data;

  self->backoff_id = 0;
  connect_now (self);
  return G_SOURCE_REMOVE;
}

/* Ends the current attempt or session with @error and, when reconnecting, schedules the
 * next attempt after an exponential back-off with ±20 % jitter (so that many gateways
 * restarted together do not hammer one PBX in lock-step). */
static void fail_link_owned (UlPbxLink *self, const GError *error);

/* Takes @error. */
static void
fail_link (UlPbxLink *self, GError *error)
{
  fail_link_owned (self, error);
  g_error_free (error);
}

static void
fail_link_owned (UlPbxLink *self, const GError *error)
{
  guint delay;

  if (self->state == UL_PBX_LINK_STATE_STOPPED || self->failing)
    return;

  g_message ("PBX link %s:%u: %s", self->config->host, self->config->port, error->message);
  g_clear_error (&self->last_error);
  self->last_error = g_error_copy (error);
  /* Failing the requests in flight runs their callbacks, which may fail the link again. */
  self->failing = TRUE;
  close_connection (self, error);
  self->failing = FALSE;

  if (!self->config->reconnect || self->stopping)
    {
      set_state (self, UL_PBX_LINK_STATE_STOPPED);
      return;
    }

  delay = (guint) (self->backoff_ms * g_random_double_range (0.8, 1.2));
  self->backoff_ms = MIN (self->backoff_ms * 2, self->config->backoff_max_ms);
  self->backoff_id = g_timeout_add (delay, on_backoff_done, self);
  set_state (self, UL_PBX_LINK_STATE_BACKOFF);
}

static void
fail_link_literal (UlPbxLink *self, UlErrorCode code, const char *message)
{
  fail_link (self, g_error_new_literal (UL_ERROR, code, message));
}

static void
write_next (UlPbxLink *self);

static void
on_write_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Op) op = user_data;
  UlPbxLink *self = op->link;
  g_autoptr(GError) error = NULL;
  gboolean ok = g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);

  if (op_is_stale (op))
    return;
  if (!ok)
    {
        fail_link (self, g_error_new (UL_ERROR, UL_ERROR_PBX_UNREACHABLE,
                                      _("Lost the connection to the PBX: %s"), error->message));
      return;
    }
  self->writing = FALSE;
  write_next (self);
}

static void
write_next (UlPbxLink *self)
{
  g_autoptr(GBytes) bytes = NULL;
  GOutputStream *output;
  gsize size;
  gconstpointer data;

  if (self->writing || self->connection == NULL || g_queue_is_empty (&self->write_queue))
    return;

  bytes = g_queue_pop_head (&self->write_queue);
  data = g_bytes_get_data (bytes, &size);
  output = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
  self->writing = TRUE;
  /* The queue keeps @bytes alive through the task: attach it to the callback data. */
  g_output_stream_write_all_async (output, data, size, G_PRIORITY_DEFAULT, self->cancellable,
                                   on_write_done, op_new (self));
  g_object_set_data_full (G_OBJECT (output), "ul-writing", g_steal_pointer (&bytes),
                          (GDestroyNotify) g_bytes_unref);
}

static gboolean
queue_frame (UlPbxLink *self, guint invoke_id, const char *xml, GError **error)
{
  GBytes *bytes = ul_csta_frame_encode (invoke_id, xml, -1, error);

  if (bytes == NULL)
    return FALSE;
  g_queue_push_tail (&self->write_queue, bytes);
  write_next (self);
  return TRUE;
}

/* Maps a CSTAErrorCode body to a GError naming the CSTA error (csta.md §4.5, rule 17). */
static GError *
csta_error_from_node (const UlCstaNode *root)
{
  const char *category = NULL;
  const char *value = NULL;

  if (!ul_csta_parse_error_code (root, &category, &value))
    return g_error_new_literal (UL_ERROR, UL_ERROR_PBX_PROTOCOL,
                                _("The PBX answered with an empty CSTA error"));
  if (g_strcmp0 (value, "overallMonitorLimitExceeded") == 0)
    return g_error_new (UL_ERROR, UL_ERROR_PBX_LICENSE_LIMIT,
                        _("The PBX has no CSTA monitor licence left (%s)"), value);
  if (g_strcmp0 (category, "operation") == 0 && g_str_has_prefix (value, "invalid"))
    return g_error_new (UL_ERROR, UL_ERROR_NOT_FOUND, _("The PBX does not know that device or "
                                                        "call (%s)"), value);
  if (g_strcmp0 (category, "security") == 0)
    return g_error_new (UL_ERROR, UL_ERROR_PBX_AUTH_FAILED,
                        _("The PBX refused the request for security reasons (%s)"), value);
  return g_error_new (UL_ERROR, UL_ERROR_PBX_PROTOCOL, _("The PBX answered with CSTA error %s/%s"),
                      category, value);
}

static void
answer_switch_request (UlPbxLink *self, guint invoke_id, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autoptr(UlCstaWriter) writer = NULL;

  /* Rules 5 and 11: answer with the switch's own invoke ID. */
  if (g_strcmp0 (name, "SystemStatus") == 0)
    xml = ul_csta_build_system_status_response (NULL);
  else
    {
      writer = ul_csta_writer_new ("RequestSystemStatusResponse", UL_CSTA_NS_ED5);
      ul_csta_writer_text (writer, "systemStatus", "normal");
      xml = ul_csta_writer_finish (g_steal_pointer (&writer));
    }
  if (!queue_frame (self, invoke_id, xml, &error))
    g_warning ("cannot answer %s: %s", name, error->message);
}

static void
dispatch_frame (UlPbxLink *self, UlCstaFrame *frame)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCstaNode) root = ul_csta_node_parse (frame->xml, frame->xml_len, &error);
  const char *name;
  Pending *pending;

  if (root == NULL)
    {
      /* Rule 20: a malformed frame closes the connection. */
      fail_link (self, g_error_new (UL_ERROR, UL_ERROR_PBX_PROTOCOL,
                                    _("The PBX sent a malformed message: %s"), error->message));
      return;
    }

  name = ul_csta_node_get_name (root);
  /* Requests from the switch carry the switch's own invoke IDs, which may equal one of
   * ours in flight: dispatch them by name before looking at pending requests (rule 5). */
  if (ul_csta_message_kind (name) == UL_CSTA_MESSAGE_REQUEST)
    {
      if (g_strcmp0 (name, "SystemStatus") == 0 || g_strcmp0 (name, "RequestSystemStatus") == 0)
        answer_switch_request (self, frame->invoke_id, name);
      else
        g_debug ("ignoring switch request %s (invoke ID %04u)", name, frame->invoke_id);
      return;
    }
  if (g_strcmp0 (name, "ApplicationSessionTerminated") == 0)
    {
      const char *reason = ul_csta_node_find_text (root, "definedTermReason");
      fail_link (self, g_error_new (UL_ERROR, UL_ERROR_PBX_PROTOCOL,
                                    _("The PBX ended the session (%s)"),
                                    reason != NULL ? reason : "serverTermReason"));
      return;
    }

  pending = g_hash_table_lookup (self->pending, GUINT_TO_POINTER (frame->invoke_id));
  if (pending != NULL && ul_csta_message_kind (name) != UL_CSTA_MESSAGE_EVENT)
    {
      g_hash_table_steal (self->pending, GUINT_TO_POINTER (frame->invoke_id));
      self->timeouts_in_a_row = 0;
      if (ul_csta_message_kind (name) == UL_CSTA_MESSAGE_ERROR
          && g_strcmp0 (name, "CSTAErrorCode") == 0)
        g_task_return_error (pending->task, csta_error_from_node (root));
      else
        g_task_return_pointer (pending->task, g_steal_pointer (&root),
                               (GDestroyNotify) ul_csta_node_free);
      pending_free (pending);
      return;
    }

  if (frame->invoke_id == UL_CSTA_INVOKE_ID_EVENT
      || ul_csta_message_kind (name) == UL_CSTA_MESSAGE_EVENT)
    {
      g_signal_emit (self, signals[SIGNAL_EVENT], 0, root);
      return;
    }

  /* Rule 20: an answer nobody waits for (late, after a timeout) is only logged. */
  g_debug ("ignoring %s with unknown invoke ID %04u", name, frame->invoke_id);
}

static void read_next (UlPbxLink *self);

static void
on_read_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Op) op = user_data;
  UlPbxLink *self = op->link;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (op_is_stale (op))
    return;
  if (n < 0)
    {
        fail_link (self, g_error_new (UL_ERROR, UL_ERROR_PBX_UNREACHABLE,
                                      _("Lost the connection to the PBX: %s"), error->message));
      return;
    }
  if (n == 0)
    {
      fail_link_literal (self, UL_ERROR_PBX_UNREACHABLE, _("The PBX closed the connection"));
      return;
    }

  ul_csta_decoder_feed (self->decoder, self->read_buffer, (gsize) n);
  for (;;)
    {
      g_autoptr(UlCstaFrame) frame = ul_csta_decoder_pop (self->decoder, &error);

      if (frame == NULL && error != NULL)
        {
          fail_link (self, g_error_new (UL_ERROR, UL_ERROR_PBX_PROTOCOL,
                                        _("The PBX sent a malformed frame: %s"), error->message));
          return;
        }
      if (frame == NULL)
        break;
      dispatch_frame (self, frame);
      /* A handler or the dispatch itself may have dropped this connection. */
      if (op_is_stale (op))
        return;
    }
  read_next (self);
}

static void
read_next (UlPbxLink *self)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (self->connection));

  g_input_stream_read_async (input, self->read_buffer, READ_CHUNK, G_PRIORITY_DEFAULT,
                             self->cancellable, on_read_done, op_new (self));
}

static gboolean
on_keepalive (gpointer user_data);

static void
on_keepalive_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCstaNode) reply = ul_pbx_link_request_finish (UL_PBX_LINK (source), result, &error);

  /* Timeouts count towards the dead-link rule in on_request_timeout; a refused reset
   * means the session is gone, which the PBX confirms by closing or terminating it. */
  if (reply == NULL && !g_error_matches (error, UL_ERROR, UL_ERROR_TIMED_OUT))
    g_debug ("session keep-alive failed: %s", error->message);
}

static gboolean
on_keepalive (gpointer user_data)
{
  UlPbxLink *self = user_data;
  g_autofree char *xml = NULL;

  if (self->state != UL_PBX_LINK_STATE_ACTIVE || self->session_id == NULL)
    return G_SOURCE_CONTINUE;
  xml = ul_csta_build_reset_application_session_timer (self->session_id,
                                                       self->config->session_duration);
  send_request (self, xml, self->config->request_timeout_ms, NULL, on_keepalive_done, NULL);
  return G_SOURCE_CONTINUE;
}

static void
on_login_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  UlPbxLink *self = UL_PBX_LINK (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCstaNode) reply = ul_pbx_link_request_finish (self, result, &error);
  const char *name;
  const char *duration;
  guint interval;

  if (reply == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || self->state != UL_PBX_LINK_STATE_LOGGING_IN)
        return;
      if (g_error_matches (error, UL_ERROR, UL_ERROR_TIMED_OUT))
        fail_link (self, g_error_new (UL_ERROR, UL_ERROR_PBX_PROTOCOL,
                                      _("The PBX accepted the connection but did not answer the "
                                        "CSTA login within %u s; is this the CSTA service port?"),
                                      self->config->request_timeout_ms / 1000));
      else
        fail_link (self, g_steal_pointer (&error));
      return;
    }

  name = ul_csta_node_get_name (reply);
  if (g_strcmp0 (name, "StartApplicationSessionNegResponse") == 0)
    {
      const char *reason = ul_csta_session_get_error (reply);
      if (g_strcmp0 (reason, "invalidApplicationInfo") == 0)
        fail_link (self, g_error_new (UL_ERROR, UL_ERROR_PBX_AUTH_FAILED,
                                      _("The PBX refused the CloudLink system username or password "
                                        "(user “%s”)"),
                                      self->config->username != NULL ? self->config->username : ""));
      else
        fail_link (self, g_error_new (UL_ERROR, UL_ERROR_PBX_PROTOCOL,
                                      _("The PBX refused the CSTA session: %s"),
                                      reason != NULL ? reason : "unknown reason"));
      return;
    }
  if (g_strcmp0 (name, "StartApplicationSessionPosResponse") != 0)
    {
      fail_link (self, g_error_new (UL_ERROR, UL_ERROR_PBX_PROTOCOL,
                                    _("The PBX answered the CSTA login with %s"), name));
      return;
    }

  self->session_id = g_strdup (ul_csta_node_find_text (reply, "sessionID"));
  duration = ul_csta_node_find_text (reply, "actualSessionDuration");
  self->session_duration = duration != NULL ? (guint) g_ascii_strtoull (duration, NULL, 10) : 0;
  if (self->session_duration == 0)
    self->session_duration = self->config->session_duration;

  /* Rule 10: refresh at half the session duration, and at least every 30 s. */
  interval = CLAMP (self->session_duration / 2, 1, 30);
  self->keepalive_id = g_timeout_add_seconds (interval, on_keepalive, self);
  self->backoff_ms = self->config->backoff_initial_ms;
  self->was_active = TRUE;
  g_clear_error (&self->last_error);
  g_message ("PBX link %s:%u up, session %s (%u s)", self->config->host, self->config->port,
             self->session_id != NULL ? self->session_id : "?", self->session_duration);
  set_state (self, UL_PBX_LINK_STATE_ACTIVE);
}

static GError *
classify_connect_error (UlPbxLink *self, const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (UL_ERROR, UL_ERROR_PBX_REFUSED,
                        _("%s refused the connection on port %u: is the PBX's CSTA service "
                          "active on that port?"),
                        self->config->host, self->config->port);
  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (UL_ERROR, UL_ERROR_PBX_UNREACHABLE,
                        _("Cannot resolve the PBX host name %s: %s"), self->config->host,
                        error->message);
  return g_error_new (UL_ERROR, UL_ERROR_PBX_UNREACHABLE, _("Cannot reach the PBX at %s:%u: %s"),
                      self->config->host, self->config->port, error->message);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(Op) op = user_data;
  UlPbxLink *self = op->link;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *xml = NULL;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (op_is_stale (op))
    return;
  if (connection == NULL)
    {
      fail_link (self, classify_connect_error (self, error));
      return;
    }

  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);
  self->connection = g_steal_pointer (&connection);
  g_socket_set_keepalive (g_socket_connection_get_socket (self->connection), TRUE);
  read_next (self);

  set_state (self, UL_PBX_LINK_STATE_LOGGING_IN);
  xml = ul_csta_build_start_application_session (self->config->application_id,
                                                 self->config->login_style,
                                                 self->config->username, self->config->password,
                                                 NULL, self->config->session_duration);
  send_request (self, xml, self->config->request_timeout_ms, NULL, on_login_done, NULL);
}

static gboolean
on_connect_timeout (gpointer user_data)
{
  UlPbxLink *self = user_data;

  self->connect_timeout_id = 0;
  fail_link (self, g_error_new (UL_ERROR, UL_ERROR_PBX_UNREACHABLE,
                                _("Cannot reach the PBX at %s:%u: no answer within %u ms"),
                                self->config->host, self->config->port,
                                self->config->connect_timeout_ms));
  return G_SOURCE_REMOVE;
}

static void
connect_now (UlPbxLink *self)
{
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_state (self, UL_PBX_LINK_STATE_CONNECTING);
  self->connect_timeout_id = g_timeout_add (self->config->connect_timeout_ms, on_connect_timeout,
                                            self);
  g_socket_client_connect_to_host_async (self->client, self->config->host,
                                         (guint16) self->config->port, self->cancellable,
                                         on_connected, op_new (self));
}

void
ul_pbx_link_start (UlPbxLink *self)
{
  g_return_if_fail (UL_IS_PBX_LINK (self));

  if (self->state != UL_PBX_LINK_STATE_STOPPED)
    return;
  self->stopping = FALSE;
  self->was_active = FALSE;
  self->backoff_ms = self->config->backoff_initial_ms;
  g_clear_error (&self->last_error);
  connect_now (self);
}

void
ul_pbx_link_abort (UlPbxLink *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (UL_IS_PBX_LINK (self));

  self->stopping = TRUE;
  clear_timers (self);
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The PBX link was stopped"));
  close_connection (self, error);
  set_state (self, UL_PBX_LINK_STATE_STOPPED);
}

static void
on_stop_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;

  /* Whatever the PBX answered, the session is over. */
  ul_csta_node_free (ul_pbx_link_request_finish (UL_PBX_LINK (source), result, NULL));
  ul_pbx_link_abort (g_task_get_source_object (task));
  g_task_return_boolean (task, TRUE);
}

void
ul_pbx_link_stop_async (UlPbxLink          *self,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  g_autofree char *xml = NULL;

  g_task_set_source_tag (task, ul_pbx_link_stop_async);
  self->stopping = TRUE;
  g_clear_handle_id (&self->backoff_id, g_source_remove);

  if (self->state != UL_PBX_LINK_STATE_ACTIVE || self->session_id == NULL)
    {
      ul_pbx_link_abort (self);
      g_task_return_boolean (task, TRUE);
      return;
    }
  xml = ul_csta_build_stop_application_session (self->session_id, NULL);
  send_request (self, xml, STOP_TIMEOUT_MS, NULL, on_stop_done, g_steal_pointer (&task));
}

void
ul_pbx_link_stop_finish (UlPbxLink *self, GAsyncResult *result)
{
  g_task_propagate_boolean (G_TASK (result), NULL);
}

static gboolean
on_request_timeout (gpointer user_data)
{
  Pending *pending = user_data;
  UlPbxLink *self = pending->link;

  pending->timeout_id = 0;
  g_hash_table_steal (self->pending, GUINT_TO_POINTER (pending->invoke_id));
  g_task_return_new_error (pending->task, UL_ERROR, UL_ERROR_TIMED_OUT,
                           _("The PBX did not answer within %u ms"), pending->timeout_ms);
  pending_free (pending);

  if (++self->timeouts_in_a_row >= MAX_TIMEOUTS_IN_A_ROW
      && self->state == UL_PBX_LINK_STATE_ACTIVE)
    fail_link_literal (self, UL_ERROR_PBX_UNREACHABLE,
                       _("The PBX stopped answering (3 requests in a row timed out)"));
  return G_SOURCE_REMOVE;
}

static void
send_request (UlPbxLink          *self,
              const char         *xml,
              guint               timeout_ms,
              GCancellable       *cancellable,
              GAsyncReadyCallback callback,
              gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  Pending *pending;

  g_task_set_source_tag (task, ul_pbx_link_request_async);

  if (self->connection == NULL
      || (self->state != UL_PBX_LINK_STATE_ACTIVE && self->state != UL_PBX_LINK_STATE_LOGGING_IN))
    {
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_PBX_UNREACHABLE,
                               _("The PBX link is not up"));
      return;
    }
  pending = g_new0 (Pending, 1);
  pending->link = self;
  pending->invoke_id = ul_csta_invoke_ids_acquire (self->invoke_ids);
  if (pending->invoke_id == 0)
    {
      g_free (pending);
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_BUSY,
                               _("Too many CSTA requests in flight"));
      return;
    }
  if (!queue_frame (self, pending->invoke_id, xml, &error))
    {
      ul_csta_invoke_ids_release (self->invoke_ids, pending->invoke_id);
      g_free (pending);
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_PBX_PROTOCOL, "%s", error->message);
      return;
    }
  pending->task = g_steal_pointer (&task);
  pending->timeout_ms = timeout_ms;
  pending->timeout_id = g_timeout_add (timeout_ms, on_request_timeout, pending);
  g_hash_table_insert (self->pending, GUINT_TO_POINTER (pending->invoke_id), pending);
}

void
ul_pbx_link_request_async (UlPbxLink          *self,
                           const char         *xml,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_return_if_fail (UL_IS_PBX_LINK (self));
  g_return_if_fail (xml != NULL);

  if (self->state != UL_PBX_LINK_STATE_ACTIVE)
    {
      g_task_report_new_error (self, callback, user_data, ul_pbx_link_request_async, UL_ERROR,
                               UL_ERROR_PBX_UNREACHABLE, _("The PBX link is not up"));
      return;
    }
  send_request (self, xml, self->config->request_timeout_ms, cancellable, callback, user_data);
}

UlCstaNode *
ul_pbx_link_request_finish (UlPbxLink *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

UlPbxLinkState
ul_pbx_link_get_state (UlPbxLink *self)
{
  g_return_val_if_fail (UL_IS_PBX_LINK (self), UL_PBX_LINK_STATE_STOPPED);
  return self->state;
}

const GError *
ul_pbx_link_get_last_error (UlPbxLink *self)
{
  g_return_val_if_fail (UL_IS_PBX_LINK (self), NULL);
  return self->last_error;
}

gboolean
ul_pbx_link_was_active (UlPbxLink *self)
{
  g_return_val_if_fail (UL_IS_PBX_LINK (self), FALSE);
  return self->was_active;
}

const char *
ul_pbx_link_get_session_id (UlPbxLink *self)
{
  g_return_val_if_fail (UL_IS_PBX_LINK (self), NULL);
  return self->session_id;
}

static void
ul_pbx_link_dispose (GObject *object)
{
  UlPbxLink *self = UL_PBX_LINK (object);

  if (self->state != UL_PBX_LINK_STATE_STOPPED)
    ul_pbx_link_abort (self);
  clear_timers (self);

  G_OBJECT_CLASS (ul_pbx_link_parent_class)->dispose (object);
}

static void
ul_pbx_link_finalize (GObject *object)
{
  UlPbxLink *self = UL_PBX_LINK (object);

  g_hash_table_unref (self->pending);
  g_clear_object (&self->invoke_ids);
  g_clear_object (&self->decoder);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->last_error);
  g_free (self->session_id);
  g_free (self->read_buffer);
  ul_pbx_link_config_free (self->config);

  G_OBJECT_CLASS (ul_pbx_link_parent_class)->finalize (object);
}

static void
ul_pbx_link_class_init (UlPbxLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ul_pbx_link_dispose;
  object_class->finalize = ul_pbx_link_finalize;

  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
ul_pbx_link_init (UlPbxLink *self)
{
  self->pending = g_hash_table_new (NULL, NULL);
  self->decoder = ul_csta_decoder_new ();
  self->client = g_socket_client_new ();
  /* The PBX is on the customer's LAN and CSTA is never proxied; skipping the proxy lookup
   * also keeps libproxy out of the daemon. */
  g_socket_client_set_enable_proxy (self->client, FALSE);
  self->read_buffer = g_malloc (READ_CHUNK);
  self->invoke_ids = ul_csta_invoke_ids_new ();
  g_queue_init (&self->write_queue);
}

UlPbxLink *
ul_pbx_link_new (const UlPbxLinkConfig *config)
{
  UlPbxLink *self;

  g_return_val_if_fail (config != NULL && config->host != NULL, NULL);

  self = g_object_new (UL_TYPE_PBX_LINK, NULL);
  self->config = ul_pbx_link_config_copy (config);
  return self;
}
