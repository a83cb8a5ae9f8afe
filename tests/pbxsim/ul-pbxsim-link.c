/* ul-pbxsim-link.c — one CSTA client connection of the simulator (csta.md rules 1–5, 21–25). */
#define G_LOG_DOMAIN "uplink-pbxsim"

#include "ul-pbxsim-link.h"

#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "ul-pbxsim-services.h"

/* Pauses of the split fault between the pieces of one frame, and how long the coalesce
 * fault collects frames before writing them at once. */
#define SPLIT_DELAY_MS 40
#define COALESCE_WINDOW_MS 25

#define DEFAULT_SESSION_DURATION 180

typedef struct
{
  GBytes *bytes;
  guint delay_ms; /* to wait before writing this chunk */
} Chunk;

struct _UlPbxsimLink
{
  GObject parent_instance;

  UlPbxsimServer *server;
  GSocketConnection *connection;
  GCancellable *cancellable;
  UlCstaDecoder *decoder;
  char *peer;
  guint8 buf[8192];

  GQueue chunks;
  GBytes *writing;
  guint write_delay_source;
  GByteArray *coalesced;
  guint coalesce_source;
  char *close_reason; /* set: close once the queue is empty */
  gboolean closed;

  gboolean logged_in;
  char *session_id;
  guint session_duration;
  guint session_source;
  guint status_source;
  guint pending_status_id;
  guint next_invoke_id;
};

enum
{
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (UlPbxsimLink, ul_pbxsim_link, G_TYPE_OBJECT)

static void
chunk_free (Chunk *chunk)
{
  g_bytes_unref (chunk->bytes);
  g_free (chunk);
}

static void
clear_sources (UlPbxsimLink *self)
{
  g_clear_handle_id (&self->write_delay_source, g_source_remove);
  g_clear_handle_id (&self->coalesce_source, g_source_remove);
  g_clear_handle_id (&self->session_source, g_source_remove);
  g_clear_handle_id (&self->status_source, g_source_remove);
}

static void
ul_pbxsim_link_finalize (GObject *object)
{
  UlPbxsimLink *self = UL_PBXSIM_LINK (object);

  clear_sources (self);
  g_queue_clear_full (&self->chunks, (GDestroyNotify) chunk_free);
  g_clear_pointer (&self->writing, g_bytes_unref);
  g_byte_array_unref (self->coalesced);
  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->decoder);
  g_free (self->peer);
  g_free (self->close_reason);
  g_free (self->session_id);

  G_OBJECT_CLASS (ul_pbxsim_link_parent_class)->finalize (object);
}

static void
ul_pbxsim_link_class_init (UlPbxsimLinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ul_pbxsim_link_finalize;

  signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ul_pbxsim_link_init (UlPbxsimLink *self)
{
  g_queue_init (&self->chunks);
  self->coalesced = g_byte_array_new ();
  self->cancellable = g_cancellable_new ();
  self->decoder = ul_csta_decoder_new ();
  self->next_invoke_id = 1;
}

static char *
describe_peer (GSocketConnection *connection)
{
  g_autoptr(GSocketAddress) address = g_socket_connection_get_remote_address (connection, NULL);
  g_autofree char *host = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("?");

  host = g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));

  return g_strdup_printf ("%s:%u", host,
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
}

UlPbxsimLink *
ul_pbxsim_link_new (UlPbxsimServer *server, GSocketConnection *connection)
{
  UlPbxsimLink *self = g_object_new (UL_TYPE_PBXSIM_LINK, NULL);

  self->server = server;
  self->connection = g_object_ref (connection);
  self->peer = describe_peer (connection);

  /* The split fault only tests the client if the pieces leave as separate segments. */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY, 1,
                       NULL);

  return self;
}

UlPbxsimServer *
ul_pbxsim_link_get_server (UlPbxsimLink *self)
{
  g_return_val_if_fail (UL_IS_PBXSIM_LINK (self), NULL);

  return self->server;
}

const char *
ul_pbxsim_link_get_peer (UlPbxsimLink *self)
{
  g_return_val_if_fail (UL_IS_PBXSIM_LINK (self), NULL);

  return self->peer;
}

gboolean
ul_pbxsim_link_is_logged_in (UlPbxsimLink *self)
{
  g_return_val_if_fail (UL_IS_PBXSIM_LINK (self), FALSE);

  return self->logged_in;
}

gboolean
ul_pbxsim_link_is_closed (UlPbxsimLink *self)
{
  g_return_val_if_fail (UL_IS_PBXSIM_LINK (self), TRUE);

  return self->closed;
}

guint
ul_pbxsim_link_next_invoke_id (UlPbxsimLink *self)
{
  guint id = self->next_invoke_id;

  self->next_invoke_id = id >= 9998 ? 1 : id + 1;

  return id;
}

void
ul_pbxsim_link_close (UlPbxsimLink *self, const char *reason)
{
  g_return_if_fail (UL_IS_PBXSIM_LINK (self));

  if (self->closed)
    return;

  /* The server drops its reference in the "closed" handler. */
  g_object_ref (self);
  self->closed = TRUE;
  self->logged_in = FALSE;
  g_message ("%s: closed (%s)", self->peer, reason);

  clear_sources (self);
  g_cancellable_cancel (self->cancellable);
  /* Close the socket itself: g_io_stream_close() refuses while a read is pending. */
  g_socket_close (g_socket_connection_get_socket (self->connection), NULL);

  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
  g_object_unref (self);
}

/* ---- writing ------------------------------------------------------------------------ */

static void pump (UlPbxsimLink *self);

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlPbxsimLink) self = user_data;
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);
  if (self->closed)
    return;
  g_clear_pointer (&self->writing, g_bytes_unref);

  if (error != NULL)
    {
      ul_pbxsim_link_close (self, error->message);
      return;
    }

  pump (self);
}

static gboolean
on_write_delay (gpointer user_data)
{
  UlPbxsimLink *self = user_data;

  self->write_delay_source = 0;
  pump (self);

  return G_SOURCE_REMOVE;
}

static void
pump (UlPbxsimLink *self)
{
  Chunk *chunk;
  GOutputStream *out;

  if (self->closed || self->writing != NULL || self->write_delay_source != 0)
    return;

  chunk = g_queue_peek_head (&self->chunks);
  if (chunk == NULL)
    {
      if (self->close_reason != NULL && self->coalesce_source == 0)
        ul_pbxsim_link_close (self, self->close_reason);
      return;
    }

  if (chunk->delay_ms > 0)
    {
      self->write_delay_source = g_timeout_add (chunk->delay_ms, on_write_delay, self);
      chunk->delay_ms = 0;
      return;
    }

  g_queue_pop_head (&self->chunks);
  self->writing = g_steal_pointer (&chunk->bytes);
  chunk_free (chunk);

  out = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
  g_output_stream_write_all_async (out, g_bytes_get_data (self->writing, NULL),
                                   g_bytes_get_size (self->writing), G_PRIORITY_DEFAULT,
                                   self->cancellable, on_written, g_object_ref (self));
}

static void
push_chunk (UlPbxsimLink *self, GBytes *bytes, guint delay_ms)
{
  Chunk *chunk = g_new0 (Chunk, 1);

  chunk->bytes = bytes;
  chunk->delay_ms = delay_ms;
  g_queue_push_tail (&self->chunks, chunk);
}

static void
queue_bytes (UlPbxsimLink *self, GBytes *bytes)
{
  const UlPbxsimFaults *faults = ul_pbxsim_server_get_faults (self->server);
  gsize size = g_bytes_get_size (bytes);

  if (faults->split && size > 4)
    {
      /* Rule 25: cut inside the header, then in the middle of the XML, with pauses, so the
       * client must buffer partial headers and partial bodies. */
      gsize first = 3;
      gsize second = first + (size - first) / 2;

      push_chunk (self, g_bytes_new_from_bytes (bytes, 0, first), 0);
      push_chunk (self, g_bytes_new_from_bytes (bytes, first, second - first), SPLIT_DELAY_MS);
      push_chunk (self, g_bytes_new_from_bytes (bytes, second, size - second), SPLIT_DELAY_MS);
    }
  else
    {
      push_chunk (self, g_bytes_ref (bytes), 0);
    }

  pump (self);
}

static gboolean
on_coalesce_window (gpointer user_data)
{
  UlPbxsimLink *self = user_data;
  g_autoptr(GBytes) bytes = NULL;

  self->coalesce_source = 0;
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&self->coalesced));
  self->coalesced = g_byte_array_new ();
  g_debug ("%s: writing %" G_GSIZE_FORMAT " coalesced bytes", self->peer,
           g_bytes_get_size (bytes));
  queue_bytes (self, bytes);

  return G_SOURCE_REMOVE;
}

static void
queue_frame (UlPbxsimLink *self, GBytes *frame)
{
  const UlPbxsimFaults *faults = ul_pbxsim_server_get_faults (self->server);

  if (faults->coalesce)
    {
      /* Rule 25: frames of one window leave in one write. */
      g_byte_array_append (self->coalesced, g_bytes_get_data (frame, NULL),
                           g_bytes_get_size (frame));
      if (self->coalesce_source == 0)
        self->coalesce_source = g_timeout_add (COALESCE_WINDOW_MS, on_coalesce_window, self);
      return;
    }

  queue_bytes (self, frame);
}

/* The local name of the root element, for log lines about frames we do not send. */
static char *
root_name_of (const char *xml)
{
  const char *start = strchr (xml, '<');
  const char *colon;
  gsize len;

  if (start == NULL)
    return g_strdup ("?");
  start++;
  len = strcspn (start, " >/\n\t");
  colon = memchr (start, ':', len);
  if (colon != NULL)
    {
      len -= colon + 1 - start;
      start = colon + 1;
    }

  return g_strndup (start, len);
}

void
ul_pbxsim_link_send (UlPbxsimLink *self, guint invoke_id, const char *xml)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = NULL;

  g_return_if_fail (UL_IS_PBXSIM_LINK (self));
  g_return_if_fail (xml != NULL);

  if (self->closed || self->close_reason != NULL)
    return;

  if (ul_pbxsim_server_get_faults (self->server)->stall)
    {
      g_autofree char *name = root_name_of (xml);

      g_debug ("%s: stalled, not sending %s", self->peer, name);
      return;
    }

  frame = ul_csta_frame_encode (invoke_id, xml, -1, &error);
  if (frame == NULL)
    {
      g_autofree char *name = root_name_of (xml);

      g_message ("%s: cannot send %s: %s", self->peer, name, error->message);
      return;
    }

  g_debug ("%s -> %04u %s", self->peer, invoke_id, xml);
  queue_frame (self, frame);
}

void
ul_pbxsim_link_send_raw (UlPbxsimLink *self, GBytes *bytes)
{
  g_return_if_fail (UL_IS_PBXSIM_LINK (self));

  if (self->closed || self->close_reason != NULL)
    return;

  g_message ("%s: sending %" G_GSIZE_FORMAT " raw bytes (malformed fault)", self->peer,
             g_bytes_get_size (bytes));
  queue_frame (self, bytes);
}

void
ul_pbxsim_link_close_after_flush (UlPbxsimLink *self, const char *reason)
{
  g_return_if_fail (UL_IS_PBXSIM_LINK (self));

  if (self->closed || self->close_reason != NULL)
    return;

  self->close_reason = g_strdup (reason);
  pump (self);
}

void
ul_pbxsim_link_send_error (UlPbxsimLink *self,
                           guint invoke_id,
                           const char *category,
                           const char *value)
{
  g_autofree char *xml = NULL;

  g_return_if_fail (UL_IS_PBXSIM_LINK (self));

  /* The licence shortage goes out exactly as the MiVO400 trace shows it (rule 23, S3). */
  if (g_str_equal (category, "systemResourceAvailibility"))
    xml = ul_csta_build_error_code_prefixed (UL_CSTA_NS_ED5, category, value);
  else
    xml = ul_csta_build_error_code (ul_pbxsim_server_get_ns (self->server), category, value);

  g_message ("%s: %04u -> CSTAErrorCode %s/%s", self->peer, invoke_id, category, value);
  ul_pbxsim_link_send (self, invoke_id, xml);
}

/* ---- session (ECMA-354, rules 21, 22) ----------------------------------------------- */

void
ul_pbxsim_link_expire_session (UlPbxsimLink *self)
{
  g_autofree char *xml = NULL;

  g_return_if_fail (UL_IS_PBXSIM_LINK (self));

  if (!self->logged_in)
    return;

  g_message ("%s: session %s expired", self->peer, self->session_id);
  xml = ul_csta_build_application_session_terminated (self->session_id, "sessionTimerExpired");
  /* A notification nobody answers: the event invoke ID keeps it clear of client requests. */
  ul_pbxsim_link_send (self, UL_CSTA_INVOKE_ID_EVENT, xml);
  self->logged_in = FALSE;
  ul_pbxsim_server_stop_link_monitors (self->server, self);
  ul_pbxsim_link_close_after_flush (self, "session timer expired");
}

static gboolean
on_session_timer (gpointer user_data)
{
  UlPbxsimLink *self = user_data;

  /* A stalled switch keeps the socket open and says nothing, not even this. */
  if (ul_pbxsim_server_get_faults (self->server)->stall)
    return G_SOURCE_CONTINUE;

  self->session_source = 0;
  ul_pbxsim_link_expire_session (self);

  return G_SOURCE_REMOVE;
}

static void
arm_session_timer (UlPbxsimLink *self)
{
  const UlPbxsimConfig *config = ul_pbxsim_server_get_config (self->server);

  g_clear_handle_id (&self->session_source, g_source_remove);
  self->session_source = g_timeout_add ((self->session_duration + config->session_grace) * 1000,
                                        on_session_timer, self);
}

static gboolean
on_status_timer (gpointer user_data)
{
  UlPbxsimLink *self = user_data;
  g_autofree char *xml = NULL;

  if (ul_pbxsim_server_get_faults (self->server)->stall)
    return G_SOURCE_CONTINUE;

  /* Rule 22: emulate the "missing cycle signal" of S2. */
  if (self->pending_status_id != 0)
    {
      self->status_source = 0;
      ul_pbxsim_link_close (self, "SystemStatus not answered (missing cycle signal)");
      return G_SOURCE_REMOVE;
    }

  self->pending_status_id = ul_pbxsim_link_next_invoke_id (self);
  xml = ul_csta_build_system_status (ul_pbxsim_server_get_ns (self->server), "normal");
  ul_pbxsim_link_send (self, self->pending_status_id, xml);

  return G_SOURCE_CONTINUE;
}

static void
start_status_timer (UlPbxsimLink *self)
{
  const UlPbxsimConfig *config = ul_pbxsim_server_get_config (self->server);

  g_clear_handle_id (&self->status_source, g_source_remove);
  self->pending_status_id = 0;
  if (config->system_status_interval > 0)
    self->status_source = g_timeout_add_seconds (config->system_status_interval, on_status_timer,
                                                 self);
}

static guint
granted_duration (UlPbxsimLink *self, const UlCstaNode *root)
{
  const UlPbxsimConfig *config = ul_pbxsim_server_get_config (self->server);
  const char *text = ul_csta_node_get_text_at (root, "requestedSessionDuration");
  guint64 requested = DEFAULT_SESSION_DURATION;

  if (config->session_duration > 0)
    return config->session_duration;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, 86400, &requested, NULL))
    requested = DEFAULT_SESSION_DURATION;

  return requested;
}

static void
handle_start_session (UlPbxsimLink *self, guint invoke_id, const UlCstaNode *root)
{
  const UlPbxsimConfig *config = ul_pbxsim_server_get_config (self->server);
  const UlPbxsimFaults *faults = ul_pbxsim_server_get_faults (self->server);
  const char *user = NULL;
  const char *password = NULL;
  UlCstaLoginStyle style = UL_CSTA_LOGIN_STYLE_NONE;
  gboolean has_credentials;
  gboolean accepted;
  g_autofree char *xml = NULL;

  has_credentials = ul_csta_session_get_credentials (root, &user, &password, &style);
  accepted = !faults->wrong_credentials &&
             (config->username == NULL ||
              (has_credentials && g_str_equal (user, config->username) &&
               g_str_equal (password, config->password != NULL ? config->password : "")));
  ul_pbxsim_server_note_login (self->server, accepted, user, style);

  if (!accepted)
    {
      g_message ("%s: login of \"%s\" (style %d) rejected", self->peer, user != NULL ? user : "",
                 style);
      xml = ul_csta_build_start_application_session_neg_response ("invalidApplicationInfo");
      ul_pbxsim_link_send (self, invoke_id, xml);
      return;
    }

  g_free (self->session_id);
  self->session_id = g_strdup_printf ("%09u", g_random_int_range (1, 999999999));
  self->session_duration = granted_duration (self, root);
  self->logged_in = TRUE;
  g_message ("%s: login of \"%s\" (style %d) ok, session %s for %u s", self->peer,
             user != NULL ? user : "", style, self->session_id, self->session_duration);

  xml = ul_csta_build_start_application_session_pos_response (
    self->session_id, ul_pbxsim_server_get_ns (self->server), self->session_duration);
  ul_pbxsim_link_send (self, invoke_id, xml);
  arm_session_timer (self);
  start_status_timer (self);
}

static gboolean
session_matches (UlPbxsimLink *self, const UlCstaNode *root)
{
  return self->logged_in &&
         g_strcmp0 (ul_csta_node_get_text_at (root, "sessionID"), self->session_id) == 0;
}

static void
handle_reset_timer (UlPbxsimLink *self, guint invoke_id, const UlCstaNode *root)
{
  g_autofree char *xml = NULL;

  if (!session_matches (self, root))
    {
      xml = ul_csta_build_reset_application_session_timer_neg_response ("invalidSessionID");
      ul_pbxsim_link_send (self, invoke_id, xml);
      return;
    }

  self->session_duration = granted_duration (self, root);
  arm_session_timer (self);
  g_debug ("%s: session %s renewed for %u s", self->peer, self->session_id,
           self->session_duration);
  xml = ul_csta_build_reset_application_session_timer_pos_response (self->session_duration);
  ul_pbxsim_link_send (self, invoke_id, xml);
}

static void
handle_stop_session (UlPbxsimLink *self, guint invoke_id, const UlCstaNode *root)
{
  g_autofree char *xml = NULL;

  if (!session_matches (self, root))
    {
      xml = ul_csta_build_stop_application_session_neg_response ("invalidSessionID");
      ul_pbxsim_link_send (self, invoke_id, xml);
      return;
    }

  g_message ("%s: session %s stopped by the client", self->peer, self->session_id);
  xml = ul_csta_build_stop_application_session_pos_response ();
  ul_pbxsim_link_send (self, invoke_id, xml);
  self->logged_in = FALSE;
  g_clear_handle_id (&self->session_source, g_source_remove);
  g_clear_handle_id (&self->status_source, g_source_remove);
  ul_pbxsim_server_stop_link_monitors (self->server, self);
  ul_pbxsim_link_close_after_flush (self, "session stopped");
}

static void
handle_system_status (UlPbxsimLink *self, guint invoke_id, const UlCstaNode *root)
{
  g_autofree char *xml = ul_csta_build_system_status_response (ul_pbxsim_server_get_ns (self->server));

  ul_pbxsim_link_send (self, invoke_id, xml);
}

static void
handle_system_status_response (UlPbxsimLink *self, guint invoke_id, const UlCstaNode *root)
{
  if (invoke_id == self->pending_status_id)
    self->pending_status_id = 0;
}

/* ---- dispatch ----------------------------------------------------------------------- */

typedef void (*Handler) (UlPbxsimLink *self, guint invoke_id, const UlCstaNode *root);

static const struct
{
  const char *name;
  Handler handler;
} session_handlers[] = {
  { "StartApplicationSession", handle_start_session },
  { "ResetApplicationSessionTimer", handle_reset_timer },
  { "StopApplicationSession", handle_stop_session },
  { "SystemStatus", handle_system_status },
  { "SystemStatusResponse", handle_system_status_response },
};

static void
handle_frame (UlPbxsimLink *self, const UlCstaFrame *frame)
{
  const UlPbxsimConfig *config = ul_pbxsim_server_get_config (self->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCstaNode) root = NULL;
  const char *name;

  if (ul_pbxsim_server_get_faults (self->server)->stall)
    {
      g_debug ("%s: stalled, ignoring invoke %04u", self->peer, frame->invoke_id);
      return;
    }

  root = ul_csta_node_parse (frame->xml, frame->xml_len, &error);
  if (root == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("invoke %04u: %s", frame->invoke_id,
                                                 error->message);

      ul_pbxsim_link_close (self, reason);
      return;
    }

  name = ul_csta_node_get_name (root);
  g_debug ("%s <- %04u %s", self->peer, frame->invoke_id, frame->xml);

  for (gsize i = 0; i < G_N_ELEMENTS (session_handlers); i++)
    {
      if (g_str_equal (session_handlers[i].name, name))
        {
          session_handlers[i].handler (self, frame->invoke_id, root);
          return;
        }
    }

  /* Rule 21: with require_session, nothing but the session comes first. */
  if (config->require_session && !self->logged_in &&
      ul_csta_message_kind (name) == UL_CSTA_MESSAGE_REQUEST)
    {
      ul_pbxsim_link_send_error (self, frame->invoke_id, "security", "generic");
      return;
    }

  if (ul_pbxsim_services_handle (self, frame->invoke_id, root))
    return;

  switch (ul_csta_message_kind (name))
    {
    case UL_CSTA_MESSAGE_REQUEST:
      ul_pbxsim_link_send_error (self, frame->invoke_id, "operation", "serviceNotSupported");
      break;
    case UL_CSTA_MESSAGE_RESPONSE:
    case UL_CSTA_MESSAGE_ERROR:
    case UL_CSTA_MESSAGE_EVENT:
    default:
      g_message ("%s: ignoring %s (invoke %04u)", self->peer, name, frame->invoke_id);
      break;
    }
}

static void read_more (UlPbxsimLink *self);

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlPbxsimLink) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;
  UlCstaFrame *frame;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (self->closed)
    return;
  if (n < 0)
    {
      ul_pbxsim_link_close (self, error->message);
      return;
    }
  if (n == 0)
    {
      ul_pbxsim_link_close (self, "closed by the client");
      return;
    }

  ul_csta_decoder_feed (self->decoder, self->buf, n);
  while ((frame = ul_csta_decoder_pop (self->decoder, &error)) != NULL)
    {
      handle_frame (self, frame);
      ul_csta_frame_free (frame);
      if (self->closed)
        return;
    }

  /* Rule 2: after a bad header the stream cannot be resynchronised. */
  if (error != NULL)
    {
      ul_pbxsim_link_close (self, error->message);
      return;
    }

  read_more (self);
}

static void
read_more (UlPbxsimLink *self)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (self->connection));

  g_input_stream_read_async (in, self->buf, sizeof self->buf, G_PRIORITY_DEFAULT,
                             self->cancellable, on_read, g_object_ref (self));
}

void
ul_pbxsim_link_start (UlPbxsimLink *self)
{
  const UlPbxsimConfig *config = ul_pbxsim_server_get_config (self->server);

  g_return_if_fail (UL_IS_PBXSIM_LINK (self));

  g_message ("%s: connected", self->peer);
  /* Without a session step (csta.md rule 9) the cycle signal runs from the start. */
  if (!config->require_session)
    start_status_timer (self);
  read_more (self);
}
