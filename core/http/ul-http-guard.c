/* ul-http-guard.c — connection caps, phase timeouts and early rejects (see the header).
 *
 * Each accepted connection gets a Conn record that lives exactly as long as the stream
 * handed to libsoup (a weak reference on it frees the record). libsoup reports requests
 * per SoupServerMessage; the message finds its Conn through qdata on the remote address
 * object, which libsoup keeps from soup_server_accept_iostream() and hands back from
 * soup_server_message_get_remote_address(). A sweep every SWEEP_INTERVAL_MS closes the
 * connections whose phase deadline passed: shutting the socket down makes libsoup's
 * pending read or write fail, and libsoup then drops the connection the usual way.
 */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <glib/gi18n-lib.h>

#include "ul-http-guard.h"
#include "ul-http-stream.h"

#define SWEEP_INTERVAL_MS 200
/* GLib runs each TLS handshake in a worker thread that blocks on the peer, and the pool of
 * such threads is small and shared (Argon2id hashing uses it too). So a handshake starts
 * only once the client has sent something, and only a few at a time, per peer and in
 * total; the others wait their turn under the same handshake timeout. */
#define MAX_HANDSHAKES          6
#define MAX_HANDSHAKES_PER_PEER 2
/* After an early reject: how long and how much of the unread request to read and drop, so
 * that the client, still sending, sees the response rather than a reset connection. */
#define LINGER_MS         2000
#define LINGER_MAX_BYTES  (8 * 1024 * 1024)

typedef enum
{
  CONN_HANDSHAKE,
  CONN_HEADERS,
  CONN_BODY,
  CONN_RESPONSE,
  CONN_IDLE,
  CONN_REJECTING,
  CONN_WEBSOCKET,
} ConnState;

typedef struct
{
  UlHttpGuard    *guard;
  GList           link;
  GSocket        *socket;       /* to shut the connection down from outside */
  GObject        *watched;      /* the stream whose end frees the record; not a reference */
  UlHttpStream   *stream;       /* what libsoup has, once handed off; not a reference */
  GIOStream      *pending;      /* the TCP connection until its handshake starts */
  GSource        *wait_source;  /* waiting for the client's first bytes */
  gboolean        readable;     /* the client sent something: its handshake may start */
  GTlsConnection *handshaking;  /* a reference during the handshake only */
  GSocketAddress *local;
  GSocketAddress *remote;       /* carries the qdata that leads back here */
  GCancellable   *cancellable;
  char           *peer;
  gboolean        tls;
  ConnState       state;
  gint64          deadline;     /* monotonic µs; 0: none */
  gsize           body_bytes;
} Conn;

struct _UlHttpGuard
{
  GObject          parent_instance;

  SoupServer      *server;
  GTlsCertificate *certificate;
  UlHttpLimits     limits;
  GPtrArray       *services;     /* GSocketService*, one per listener */
  GQueue           conns;        /* Conn*, linked through Conn.link */
  GHashTable      *per_peer;     /* peer address → count */
  guint            sweep_id;
  guint            https_port;
  guint            n_handshakes;
};

G_DEFINE_FINAL_TYPE (UlHttpGuard, ul_http_guard, G_TYPE_OBJECT)

static GQuark
conn_quark (void)
{
  return g_quark_from_static_string ("ul-http-guard-conn");
}

static GQuark
tls_listener_quark (void)
{
  return g_quark_from_static_string ("ul-http-guard-tls");
}

void
ul_http_limits_init (UlHttpLimits *limits)
{
  limits->max_connections = 256;
  limits->max_connections_per_peer = 32;
  limits->handshake_timeout_ms = 10000;
  limits->header_timeout_ms = 10000;
  limits->body_timeout_ms = 30000;
  limits->response_timeout_ms = 60000;
  limits->idle_timeout_ms = 60000;
  limits->max_body_size = 64 * 1024;
}

static void
set_phase (Conn *conn, ConnState state, guint timeout_ms)
{
  conn->state = state;
  if (conn->stream != NULL)
    ul_http_stream_set_idle (conn->stream, state == CONN_IDLE);
  conn->deadline = timeout_ms > 0 ? g_get_monotonic_time () + (gint64) timeout_ms * 1000 : 0;
}

static void
conn_shutdown (Conn *conn)
{
  /* Already closed sockets just say so; nothing to do then. */
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  conn->deadline = 0;
}

static void
conn_free (Conn *conn)
{
  UlHttpGuard *self = conn->guard;
  guint count;

  if (self != NULL)
    {
      g_queue_unlink (&self->conns, &conn->link);
      count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_peer, conn->peer));
      if (count <= 1)
        g_hash_table_remove (self->per_peer, conn->peer);
      else
        g_hash_table_insert (self->per_peer, g_strdup (conn->peer), GUINT_TO_POINTER (count - 1));
      if (self->conns.length == 0 && self->sweep_id != 0)
        g_clear_handle_id (&self->sweep_id, g_source_remove);
    }
  g_object_set_qdata (G_OBJECT (conn->remote), conn_quark (), NULL);
  if (conn->wait_source != NULL)
    g_source_destroy (conn->wait_source);
  g_clear_pointer (&conn->wait_source, g_source_unref);
  g_clear_object (&conn->pending);
  g_clear_object (&conn->handshaking);
  g_clear_object (&conn->cancellable);
  g_clear_object (&conn->local);
  g_clear_object (&conn->remote);
  g_clear_object (&conn->socket);
  g_free (conn->peer);
  g_free (conn);
}

static void
on_stream_gone (gpointer data, GObject *where_the_object_was)
{
  Conn *conn = data;

  g_debug ("connection from %s closed", conn->peer);
  conn_free (conn);
}

static Conn *
conn_for_message (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_object_get_qdata (G_OBJECT (remote), conn_quark ()) : NULL;
}

/* Drops a connection that never got as far as its handshake. */
static void
conn_drop_pending (Conn *conn)
{
  g_autoptr(GIOStream) pending = g_steal_pointer (&conn->pending);

  if (conn->wait_source != NULL)
    g_source_destroy (conn->wait_source);
  g_clear_pointer (&conn->wait_source, g_source_unref);
  /* The last reference: its end frees @conn. */
  g_io_stream_close (pending, NULL, NULL);
}

static gboolean
on_sweep (gpointer user_data)
{
  UlHttpGuard *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GList *next;

  for (GList *l = self->conns.head; l != NULL; l = next)
    {
      Conn *conn = l->data;

      next = l->next;
      if (conn->deadline == 0 || conn->deadline > now)
        continue;
      g_debug ("connection from %s timed out (phase %d)", conn->peer, conn->state);
      conn->deadline = 0;
      if (conn->pending != NULL)
        conn_drop_pending (conn);
      else if (conn->handshaking != NULL)
        g_cancellable_cancel (conn->cancellable);
      else
        conn_shutdown (conn);
    }
  return G_SOURCE_CONTINUE;
}

/* Hands a connection whose TLS (if any) is up to libsoup, wrapped in a UlHttpStream. */
static void
hand_off (UlHttpGuard *self, Conn *conn, GIOStream *connection)
{
  g_autoptr(GIOStream) stream = ul_http_stream_new (connection);
  g_autoptr(GError) error = NULL;

  /* From now on the wrapper's end is the connection's end. */
  g_object_weak_unref (conn->watched, on_stream_gone, conn);
  conn->watched = G_OBJECT (stream);
  conn->stream = UL_HTTP_STREAM (stream);
  g_object_weak_ref (conn->watched, on_stream_gone, conn);

  g_object_set_qdata (G_OBJECT (conn->remote), conn_quark (), conn);
  /* libsoup emits request-started for the first request from inside this call. */
  set_phase (conn, CONN_HEADERS, self->limits.header_timeout_ms);
  if (!soup_server_accept_iostream (self->server, stream, conn->local, conn->remote, &error))
    {
      g_debug ("libsoup refused a connection from %s: %s", conn->peer, error->message);
      g_io_stream_close (stream, NULL, NULL);
    }
}

static void start_handshakes (UlHttpGuard *self);

static void
on_handshake_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Conn *conn = user_data;
  g_autoptr(GTlsConnection) tls = g_steal_pointer (&conn->handshaking);
  g_autoptr(GError) error = NULL;
  UlHttpGuard *self = conn->guard;

  /* The stream's last reference may go at the end of this function, freeing @conn. */
  if (self != NULL)
    self->n_handshakes--;
  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      g_debug ("TLS handshake with %s failed: %s", conn->peer, error->message);
      g_io_stream_close (G_IO_STREAM (tls), NULL, NULL);
    }
  else if (self != NULL)
    hand_off (self, conn, G_IO_STREAM (tls));
  if (self != NULL)
    start_handshakes (self);
}

static guint
peer_handshakes (UlHttpGuard *self, const char *peer)
{
  guint count = 0;

  for (GList *l = self->conns.head; l != NULL; l = l->next)
    {
      Conn *conn = l->data;
      if (conn->handshaking != NULL && g_str_equal (conn->peer, peer))
        count++;
    }
  return count;
}

static void
start_handshake (UlHttpGuard *self, Conn *conn)
{
  g_autoptr(GIOStream) connection = g_steal_pointer (&conn->pending);
  g_autoptr(GError) error = NULL;

  /* No trust store: nothing is verified here, and a default one costs memory and time. */
  GType type = g_tls_backend_get_server_connection_type (g_tls_backend_get_default ());

  conn->handshaking = g_initable_new (type, NULL, &error,
                                      "base-io-stream", connection,
                                      "certificate", self->certificate,
                                      "database", NULL,
                                      "require-close-notify", FALSE,
                                      NULL);
  if (conn->handshaking == NULL)
    {
      g_warning ("cannot start TLS: %s", error->message);
      g_io_stream_close (connection, NULL, NULL);
      return;
    }
  self->n_handshakes++;
  g_tls_connection_handshake_async (conn->handshaking, G_PRIORITY_DEFAULT, conn->cancellable,
                                    on_handshake_done, conn);
}

/* Starts the handshakes of the connections that are ready, oldest first, within the caps. */
static void
start_handshakes (UlHttpGuard *self)
{
  GList *next;

  for (GList *l = self->conns.head; l != NULL && self->n_handshakes < MAX_HANDSHAKES; l = next)
    {
      Conn *conn = l->data;

      next = l->next;
      if (conn->pending != NULL && conn->readable
          && peer_handshakes (self, conn->peer) < MAX_HANDSHAKES_PER_PEER)
        start_handshake (self, conn);
    }
}

static gboolean
on_readable (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  Conn *conn = user_data;

  conn->readable = TRUE;
  g_clear_pointer (&conn->wait_source, g_source_unref);
  start_handshakes (conn->guard);
  return G_SOURCE_REMOVE;
}

static gboolean
over_limits (UlHttpGuard *self, const char *peer)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_peer, peer));

  if (self->conns.length >= self->limits.max_connections)
    {
      g_debug ("refusing a connection from %s: %u connections open", peer, self->conns.length);
      return TRUE;
    }
  if (count >= self->limits.max_connections_per_peer)
    {
      g_debug ("refusing a connection from %s: it has %u open", peer, count);
      return TRUE;
    }
  return FALSE;
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  UlHttpGuard *self = user_data;
  gboolean tls = g_object_get_qdata (G_OBJECT (service), tls_listener_quark ()) != NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *peer = NULL;
  GSocket *socket = g_socket_connection_get_socket (connection);
  Conn *conn;

  remote = g_socket_connection_get_remote_address (connection, NULL);
  local = g_socket_connection_get_local_address (connection, NULL);
  if (!G_IS_INET_SOCKET_ADDRESS (remote) || local == NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }
  peer = g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
  if (over_limits (self, peer))
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  /* Small JSON responses: send them now rather than after Nagle's delay. */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  conn = g_new0 (Conn, 1);
  conn->guard = self;
  conn->link.data = conn;
  conn->socket = g_object_ref (socket);
  conn->local = g_steal_pointer (&local);
  conn->remote = g_steal_pointer (&remote);
  conn->peer = g_steal_pointer (&peer);
  conn->tls = tls;
  conn->cancellable = g_cancellable_new ();
  g_queue_push_tail_link (&self->conns, &conn->link);
  g_hash_table_insert (self->per_peer, g_strdup (conn->peer),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->per_peer,
                                                                                conn->peer)) + 1));
  if (self->sweep_id == 0)
    self->sweep_id = g_timeout_add (SWEEP_INTERVAL_MS, on_sweep, self);

  conn->watched = G_OBJECT (connection);
  g_object_weak_ref (conn->watched, on_stream_gone, conn);
  if (!tls)
    {
      hand_off (self, conn, G_IO_STREAM (connection));
      return TRUE;
    }

  conn->pending = g_object_ref (G_IO_STREAM (connection));
  set_phase (conn, CONN_HANDSHAKE, self->limits.handshake_timeout_ms);
  conn->wait_source = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (conn->wait_source, G_SOURCE_FUNC (on_readable), conn, NULL);
  g_source_attach (conn->wait_source, NULL);
  return TRUE;
}

/* Request phases, from libsoup's signals. */

static gboolean
valid_host (const char *host)
{
  if (host == NULL || *host == '\0' || strlen (host) > 255)
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != ':' && *p != '%')
      return FALSE;
  return TRUE;
}

static void
redirect_to_https (UlHttpGuard *self, Conn *conn, SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  g_autofree char *local_host = NULL;
  g_autofree char *location = NULL;
  const char *query = uri != NULL ? g_uri_get_query (uri) : NULL;
  const char *path = uri != NULL ? g_uri_get_path (uri) : "/";

  /* The Host header decides where the client goes, unless it holds anything odd: then
   * the address the client reached us on. */
  if (!valid_host (host))
    {
      local_host = g_inet_address_to_string (
        g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (conn->local)));
      host = local_host;
    }
  location = g_strdup_printf ("https://%s%s%s:%u%s%s%s", strchr (host, ':') != NULL ? "[" : "",
                              host, strchr (host, ':') != NULL ? "]" : "", self->https_port,
                              path != NULL && *path == '/' ? path : "/",
                              query != NULL ? "?" : "", query != NULL ? query : "");
  ul_http_guard_reject (self, msg, SOUP_STATUS_MOVED_PERMANENTLY, location, NULL);
}

static void
reject_too_large (UlHttpGuard *self, SoupServerMessage *msg)
{
  g_autofree char *body = g_strdup_printf (
    "{\"error\":{\"code\":\"payload-too-large\",\"field\":null,"
    "\"message\":\"The request body is larger than %" G_GSIZE_FORMAT " bytes\"}}",
    self->limits.max_body_size);

  ul_http_guard_reject (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL, body);
}

static void
on_got_headers (SoupServerMessage *msg, gpointer user_data)
{
  UlHttpGuard *self = user_data;
  Conn *conn = conn_for_message (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* libsoup may have answered already (a malformed request): let it. */
  if (conn == NULL || conn->state == CONN_REJECTING || soup_server_message_get_status (msg) != 0)
    return;
  if (!conn->tls)
    {
      redirect_to_https (self, conn, msg);
      return;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > (goffset) self->limits.max_body_size)
    {
      reject_too_large (self, msg);
      return;
    }
  set_phase (conn, CONN_BODY, self->limits.body_timeout_ms);
}

static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  UlHttpGuard *self = user_data;
  Conn *conn = conn_for_message (msg);

  if (conn == NULL || conn->state != CONN_BODY)
    return;
  conn->body_bytes += g_bytes_get_size (chunk);
  if (conn->body_bytes > self->limits.max_body_size)
    reject_too_large (self, msg);
}

static void
on_got_body (SoupServerMessage *msg, gpointer user_data)
{
  UlHttpGuard *self = user_data;
  Conn *conn = conn_for_message (msg);

  if (conn != NULL && conn->state == CONN_BODY)
    set_phase (conn, CONN_RESPONSE, self->limits.response_timeout_ms);
}

static void
on_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  UlHttpGuard *self = user_data;
  Conn *conn = conn_for_message (msg);

  if (conn == NULL)
    return;
  conn->body_bytes = 0;
  set_phase (conn, CONN_HEADERS, self->limits.header_timeout_ms);
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (on_got_headers), self, 0);
  g_signal_connect_object (msg, "got-chunk", G_CALLBACK (on_got_chunk), self, 0);
  g_signal_connect_object (msg, "got-body", G_CALLBACK (on_got_body), self, 0);
}

static void
on_request_done (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  UlHttpGuard *self = user_data;
  Conn *conn = conn_for_message (msg);

  if (conn != NULL && conn->state != CONN_REJECTING && conn->state != CONN_WEBSOCKET)
    set_phase (conn, CONN_IDLE, self->limits.idle_timeout_ms);
}

/* Early rejects: the connection is taken from libsoup and answered by hand. */

typedef struct
{
  GIOStream *stream;
  char      *response;
  gsize      drained;
  guint8     buffer[4096];
} Reject;

static void
reject_free (Reject *reject)
{
  g_clear_object (&reject->stream);
  g_free (reject->response);
  g_free (reject);
}

static void
on_reject_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  reject_free (user_data);
}

static void
reject_close (Reject *reject)
{
  g_io_stream_close_async (reject->stream, G_PRIORITY_DEFAULT, NULL, on_reject_closed, reject);
}

static void
on_reject_drained (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Reject *reject = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || (reject->drained += (gsize) n) >= LINGER_MAX_BYTES)
    {
      reject_close (reject);
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (source), reject->buffer, sizeof reject->buffer,
                             G_PRIORITY_DEFAULT, NULL, on_reject_drained, reject);
}

static void
on_reject_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Reject *reject = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      reject_close (reject);
      return;
    }
  g_input_stream_read_async (g_io_stream_get_input_stream (reject->stream), reject->buffer,
                             sizeof reject->buffer, G_PRIORITY_DEFAULT, NULL, on_reject_drained,
                             reject);
}

void
ul_http_guard_reject (UlHttpGuard       *self,
                      SoupServerMessage *msg,
                      guint              status,
                      const char        *location,
                      const char        *json_body)
{
  Conn *conn = conn_for_message (msg);
  g_autoptr(GString) response = g_string_new (NULL);
  gsize body_length = json_body != NULL ? strlen (json_body) : 0;
  Reject *reject;

  g_return_if_fail (UL_IS_HTTP_GUARD (self));

  g_string_append_printf (response, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  if (location != NULL)
    g_string_append_printf (response, "Location: %s\r\n", location);
  if (json_body != NULL)
    g_string_append (response, "Content-Type: application/json\r\n");
  g_string_append_printf (response, "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                    "Connection: close\r\n\r\n", body_length);
  if (json_body != NULL)
    g_string_append (response, json_body);

  reject = g_new0 (Reject, 1);
  reject->stream = soup_server_message_steal_connection (msg);
  if (reject->stream == NULL)
    {
      reject_free (reject);
      return;
    }
  if (conn != NULL)
    set_phase (conn, CONN_REJECTING, LINGER_MS);
  reject->response = g_string_free (g_steal_pointer (&response), FALSE);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (reject->stream),
                                   reject->response, strlen (reject->response),
                                   G_PRIORITY_DEFAULT, NULL, on_reject_written, reject);
}

void
ul_http_guard_mark_websocket (UlHttpGuard *self, SoupServerMessage *msg)
{
  Conn *conn = conn_for_message (msg);

  g_return_if_fail (UL_IS_HTTP_GUARD (self));
  if (conn != NULL)
    set_phase (conn, CONN_WEBSOCKET, 0);
}

guint
ul_http_guard_get_n_connections (UlHttpGuard *self)
{
  g_return_val_if_fail (UL_IS_HTTP_GUARD (self), 0);
  return self->conns.length;
}

/* Listening. */

static gboolean
add_listener (UlHttpGuard        *self,
              GSocketService     *service,
              const char * const *addresses,
              guint               port,
              guint              *bound_port,
              GError            **error)
{
  GSocketListener *listener = G_SOCKET_LISTENER (service);

  if (addresses == NULL || addresses[0] == NULL)
    {
      if (port == 0)
        {
          *bound_port = g_socket_listener_add_any_inet_port (listener, NULL, error);
          return *bound_port != 0;
        }
      *bound_port = port;
      return g_socket_listener_add_inet_port (listener, port, NULL, error);
    }

  *bound_port = port;
  for (gsize i = 0; addresses[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (addresses[i]);
      g_autoptr(GSocketAddress) address = NULL;
      g_autoptr(GSocketAddress) effective = NULL;

      if (inet == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not an IP address"), addresses[i]);
          return FALSE;
        }
      /* Port 0 picks a free port on the first address; the others then use the same. */
      address = g_inet_socket_address_new (inet, *bound_port);
      if (!g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, NULL, &effective, error))
        return FALSE;
      *bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
    }
  return TRUE;
}

gboolean
ul_http_guard_listen (UlHttpGuard        *self,
                      const char * const *addresses,
                      guint               port,
                      gboolean            tls,
                      guint              *bound_port,
                      GError            **error)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  guint port_in_use = 0;

  g_return_val_if_fail (UL_IS_HTTP_GUARD (self), FALSE);

  /* Bursts of new connections (a benchmark, a dashboard reconnecting) must not overflow
   * GLib's default backlog of 10. */
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (service), 128);
  if (!add_listener (self, service, addresses, port, &port_in_use, error))
    return FALSE;
  if (tls)
    g_object_set_qdata (G_OBJECT (service), tls_listener_quark (), GINT_TO_POINTER (1));
  g_signal_connect_object (service, "incoming", G_CALLBACK (on_incoming), self, 0);
  g_socket_service_start (service);
  g_ptr_array_add (self->services, g_steal_pointer (&service));
  if (bound_port != NULL)
    *bound_port = port_in_use;
  return TRUE;
}

void
ul_http_guard_set_https_port (UlHttpGuard *self, guint port)
{
  g_return_if_fail (UL_IS_HTTP_GUARD (self));
  self->https_port = port;
}

void
ul_http_guard_stop (UlHttpGuard *self)
{
  g_return_if_fail (UL_IS_HTTP_GUARD (self));

  for (guint i = 0; i < self->services->len; i++)
    {
      GSocketService *service = g_ptr_array_index (self->services, i);
      g_socket_service_stop (service);
      g_socket_listener_close (G_SOCKET_LISTENER (service));
    }
  g_ptr_array_set_size (self->services, 0);
  for (GList *l = self->conns.head; l != NULL; l = l->next)
    {
      Conn *conn = l->data;
      g_cancellable_cancel (conn->cancellable);
      conn_shutdown (conn);
    }
}

static void
ul_http_guard_dispose (GObject *object)
{
  UlHttpGuard *self = UL_HTTP_GUARD (object);
  GList *l;

  ul_http_guard_stop (self);
  /* Connections may outlive the guard briefly (libsoup holds them until their reads
   * fail): cut them loose so that their end does not touch a dead guard. */
  while ((l = g_queue_pop_head_link (&self->conns)) != NULL)
    {
      Conn *conn = l->data;

      conn->guard = NULL;
      /* A handshake in progress still holds @conn; its end frees the record. */
      if (conn->handshaking != NULL)
        continue;
      if (conn->wait_source != NULL)
        g_source_destroy (conn->wait_source);
      g_clear_pointer (&conn->wait_source, g_source_unref);
      g_object_weak_unref (conn->watched, on_stream_gone, conn);
      conn_free (conn);
    }
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  g_clear_object (&self->server);
  G_OBJECT_CLASS (ul_http_guard_parent_class)->dispose (object);
}

static void
ul_http_guard_finalize (GObject *object)
{
  UlHttpGuard *self = UL_HTTP_GUARD (object);

  g_ptr_array_unref (self->services);
  g_hash_table_unref (self->per_peer);
  g_clear_object (&self->certificate);
  G_OBJECT_CLASS (ul_http_guard_parent_class)->finalize (object);
}

static void
ul_http_guard_class_init (UlHttpGuardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ul_http_guard_dispose;
  object_class->finalize = ul_http_guard_finalize;
}

static void
ul_http_guard_init (UlHttpGuard *self)
{
  self->services = g_ptr_array_new_with_free_func (g_object_unref);
  self->per_peer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

UlHttpGuard *
ul_http_guard_new (SoupServer *server, GTlsCertificate *certificate, const UlHttpLimits *limits)
{
  UlHttpGuard *self;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);
  g_return_val_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate), NULL);

  self = g_object_new (UL_TYPE_HTTP_GUARD, NULL);
  self->server = g_object_ref (server);
  self->certificate = certificate != NULL ? g_object_ref (certificate) : NULL;
  if (limits != NULL)
    self->limits = *limits;
  else
    ul_http_limits_init (&self->limits);
  self->limits.max_connections = MAX (self->limits.max_connections, 1);
  self->limits.max_connections_per_peer = MAX (self->limits.max_connections_per_peer, 1);
  g_signal_connect_object (server, "request-started", G_CALLBACK (on_request_started), self, 0);
  g_signal_connect_object (server, "request-finished", G_CALLBACK (on_request_done), self, 0);
  g_signal_connect_object (server, "request-aborted", G_CALLBACK (on_request_done), self, 0);
  return self;
}
