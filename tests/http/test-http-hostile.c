/* test-http-hostile.c — uplinkd's HTTPS side against hostile clients:
 *
 *   - every JSONTestSuite parsing file as the body of a mutation: n_ files get 400, the
 *     others never a 5xx, nothing changes, and uplinkd answers a normal request after
 *     each batch;
 *   - deep nesting within the size cap gets 400; bodies over the cap get 413, announced
 *     (Content-Length) or streamed (chunked);
 *   - slow clients (idle TCP connections, TLS connections trickling their headers) do not
 *     keep a normal client from being served within a second, and are cut off by the
 *     phase timeouts; connections over the per-peer cap are refused at once.
 */
#include "config.h"

#include <string.h>

#include "ul-test-https.h"

#define PARTNER "partner@example.net"
#define PASSWORD "correct horse battery staple"
#define MAX_BODY (1024 * 1024)
#define BATCH 40

static const char *config = "[http]\n"
                            "max-body-size=1048576\n";

/* Short phase timeouts, so that the slow clients are cut off within the test's time; the
 * handshake one leaves room for a loaded machine running the sanitizer build. */
static const char *slow_config = "[http]\n"
                                 "max-connections=64\n"
                                 "max-connections-per-peer=16\n"
                                 "handshake-timeout=3\n"
                                 "header-timeout=1\n"
                                 "body-timeout=2\n";

static void
assert_alive (UlTestHttps *t)
{
  g_autoptr (JsonNode) reply = NULL;

  g_assert_true (ul_test_https_is_running (t));
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/gateway", NULL, NULL, &reply), ==,
                    200);
}

static char *
audit_snapshot (UlTestHttps *t, const char *token)
{
  g_autoptr (JsonNode) reply = NULL;

  g_assert_cmpuint (
      ul_test_https_request (t, "GET", "/api/v1/audit?limit=1000", token, NULL, &reply), ==, 200);
  return json_to_string (reply, FALSE);
}

static guint
send_body (UlTestHttps *t, const char *token, const void *data, gsize size, JsonNode **reply)
{
  g_autoptr (GBytes) body = g_bytes_new (data, size);

  return ul_test_https_request_full (t, "PATCH", "/api/v1/customer", token, "application/json",
                                     body, NULL, reply);
}

static void
test_json_corpus (void)
{
  g_autoptr (UlTestHttps) t = ul_test_https_new (config);
  g_autofree char *token = NULL;
  g_autofree char *corpus = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  const char *shared = g_getenv ("UL_SHARED_DIR");
  const char *name;
  guint n_rejected = 0;

  if (shared == NULL)
    {
      g_test_skip ("UL_SHARED_DIR is not set");
      return;
    }
  corpus = g_build_filename (shared, "corpora", "jsontestsuite", "test_parsing", NULL);
  dir = g_dir_open (corpus, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc)g_strcmp0);
  g_assert_cmpuint (names->len, >=, 300);

  ul_test_https_start (t);
  ul_test_https_claim (t, PARTNER, PASSWORD);
  token = ul_test_https_login (t, PARTNER, PASSWORD);
  before = audit_snapshot (t, token);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (corpus, file, NULL);
      g_autofree char *data = NULL;
      g_autoptr (JsonNode) reply = NULL;
      gsize size = 0;
      guint status;

      g_file_get_contents (path, &data, &size, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (size, <=, MAX_BODY);
      /* An empty body is no JSON at all; the API reads it as {}. */
      if (size == 0)
        continue;
      status = send_body (t, token, data, size, &reply);
      g_test_message ("%s: %u", file, status);
      if (file[0] == 'n')
        {
          g_assert_cmpuint (status, ==, 400);
          ul_test_assert_error (reply, "invalid-argument", NULL);
          n_rejected++;
        }
      else
        {
          g_assert_cmpuint (status, >=, 400);
          g_assert_cmpuint (status, <, 500);
        }
      if (i % BATCH == BATCH - 1)
        assert_alive (t);
    }
  g_assert_cmpuint (n_rejected, >=, 180);
  assert_alive (t);

  /* Not one of them changed anything. */
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/customer", token, NULL, NULL), ==,
                    404);
  after = audit_snapshot (t, token);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

static void
test_nesting_and_size (void)
{
  g_autoptr (UlTestHttps) t = ul_test_https_new (config);
  g_autofree char *token = NULL;
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (GString) deep = g_string_new ("{\"name\": ");
  g_autofree char *big = NULL;
  gsize big_size = MAX_BODY + 512 * 1024;

  ul_test_https_start (t);
  ul_test_https_claim (t, PARTNER, PASSWORD);
  token = ul_test_https_login (t, PARTNER, PASSWORD);

  /* 100,000 levels in 200 kB: within the size cap, refused by the depth check. */
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  g_assert_cmpuint (send_body (t, token, deep->str, deep->len, &reply), ==, 400);
  ul_test_assert_error (reply, "invalid-argument", NULL);
  {
    g_autofree char *text = json_to_string (reply, FALSE);
    g_assert_nonnull (strstr (text, "nested too deeply"));
  }
  g_clear_pointer (&reply, json_node_unref);
  assert_alive (t);

  /* Over the cap with Content-Length: answered after the headers. */
  big = g_malloc (big_size);
  memset (big, ' ', big_size);
  big[0] = '{';
  big[big_size - 1] = '}';
  g_assert_cmpuint (send_body (t, token, big, big_size, &reply), ==, 413);
  ul_test_assert_error (reply, "payload-too-large", NULL);
  g_clear_pointer (&reply, json_node_unref);
  assert_alive (t);

  /* Over the cap in chunks (no length announced): answered once the cap is passed. */
  {
    g_autofree char *url = ul_test_https_url (t, "/api/v1/customer");
    g_autoptr (SoupMessage) msg = soup_message_new ("PATCH", url);
    g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_data (big, big_size, NULL);
    g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
    g_autoptr (GBytes) bytes = NULL;
    g_autoptr (GError) error = NULL;
    g_autoptr (SoupSession) session = ul_test_https_new_session (t, NULL);

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_set_request_body (msg, "application/json", stream, -1);
    g_assert_cmpint (soup_message_headers_get_encoding (soup_message_get_request_headers (msg)), ==,
                     SOUP_ENCODING_CHUNKED);
    bytes = ul_test_https_send (session, msg, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 413);
  }
  assert_alive (t);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/customer", token, NULL, NULL), ==,
                    404);
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

/* A TCP connection from @local to uplinkd's HTTPS port; NULL when refused. */
static GSocketConnection *
tcp_connect (UlTestHttps *t, const char *local)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GInetAddress) address = g_inet_address_new_from_string (local);
  g_autoptr (GSocketAddress) local_address = g_inet_socket_address_new (address, 0);
  g_autoptr (GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_local_address (client, local_address);
  g_socket_client_set_timeout (client, 5);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", t->https_port, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static gboolean
accept_any (GTlsConnection *connection, GTlsCertificate *certificate, GTlsCertificateFlags errors,
            gpointer user_data)
{
  return TRUE;
}

/* TRUE when the server closed @stream within @seconds (EOF or an error on read). */
static gboolean
closed_within (GIOStream *stream, GSocket *socket, guint seconds)
{
  guint8 buffer[256];
  g_autoptr (GError) error = NULL;
  gssize n;

  g_socket_set_timeout (socket, seconds);
  n = g_input_stream_read (g_io_stream_get_input_stream (stream), buffer, sizeof buffer, NULL,
                           &error);
  return n <= 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

static void
test_slow_clients (void)
{
  g_autoptr (UlTestHttps) t = ul_test_https_new (slow_config);
  g_autoptr (GPtrArray) idle = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) trickling = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (SoupSession) normal = NULL;
  g_autoptr (JsonNode) reply = NULL;
  guint refused = 0;
  gint64 start, elapsed;

  ul_test_https_start (t);

  /* 40 connections that never say anything, from one address: the per-peer cap (16)
   * refuses the rest at once. */
  for (int i = 0; i < 40; i++)
    g_ptr_array_add (idle, tcp_connect (t, "127.0.0.1"));
  for (guint i = 16; i < idle->len; i++)
    {
      GSocketConnection *connection = g_ptr_array_index (idle, i);
      if (closed_within (G_IO_STREAM (connection), g_socket_connection_get_socket (connection), 3))
        refused++;
    }
  g_assert_cmpuint (refused, >=, 20);

  /* 12 TLS connections from another address that send their headers a byte at a time. */
  for (int i = 0; i < 12; i++)
    {
      g_autoptr (GSocketConnection) tcp = tcp_connect (t, "127.0.0.3");
      g_autoptr (GError) error = NULL;
      GIOStream *tls = g_tls_client_connection_new (G_IO_STREAM (tcp), NULL, &error);

      g_assert_no_error (error);
      g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any), NULL);
      g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error);
      g_assert_no_error (error);
      g_output_stream_write_all (g_io_stream_get_output_stream (tls),
                                 "GET /api/v1/gateway HTTP/1.1\r\nHo", 33, NULL, NULL, &error);
      g_assert_no_error (error);
      g_object_set_data_full (G_OBJECT (tls), "tcp", g_object_ref (tcp), g_object_unref);
      g_ptr_array_add (trickling, tls);
    }

  /* A normal client elsewhere is served at once. */
  normal = ul_test_https_new_session (t, "127.0.0.2");
  start = g_get_monotonic_time ();
  g_assert_cmpuint (
      ul_test_https_request_on (t, normal, "GET", "/api/v1/gateway", NULL, NULL, &reply), ==, 200);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("normal request served in %" G_GINT64_FORMAT " µs", elapsed);
  /* A second; the sanitizer build on a loaded CI machine needs more for the handshake. */
  g_assert_cmpint (elapsed, <, (g_getenv ("UL_SANITIZED") != NULL ? 3 : 1) * G_USEC_PER_SEC);

  /* The phase timeouts (3 s and 1 s here) cut the slow ones off: the idle ones never finished a
   * handshake, the trickling ones never finished their headers. */
  for (guint i = 0; i < 16; i++)
    {
      GSocketConnection *connection = g_ptr_array_index (idle, i);
      g_assert_true (closed_within (G_IO_STREAM (connection),
                                    g_socket_connection_get_socket (connection), 10));
    }
  for (guint i = 0; i < trickling->len; i++)
    {
      GIOStream *tls = g_ptr_array_index (trickling, i);
      GSocketConnection *tcp = g_object_get_data (G_OBJECT (tls), "tcp");

      g_output_stream_write_all (g_io_stream_get_output_stream (tls), "s", 1, NULL, NULL, NULL);
      g_assert_true (closed_within (tls, g_socket_connection_get_socket (tcp), 10));
    }
  assert_alive (t);
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

/* Clients that leave while the gateway still works on their request (a login hashes for
 * tens of milliseconds): the late answer goes nowhere, and uplinkd carries on. */
static void
test_abandoned_requests (void)
{
  g_autoptr(UlTestHttps) t = ul_test_https_new (config);
  g_autofree char *request = NULL;
  const char *body = "{\"email\": \"" PARTNER "\", \"password\": \"" PASSWORD "\"}";

  ul_test_https_start (t);
  ul_test_https_claim (t, PARTNER, PASSWORD);
  request = g_strdup_printf ("POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                             strlen (body), body);
  for (int i = 0; i < 6; i++)
    {
      g_autoptr(GSocketConnection) tcp = tcp_connect (t, "127.0.0.1");
      g_autoptr(GError) error = NULL;
      g_autoptr(GIOStream) tls = g_tls_client_connection_new (G_IO_STREAM (tcp), NULL, &error);

      g_assert_no_error (error);
      g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any), NULL);
      g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error);
      g_assert_no_error (error);
      g_output_stream_write_all (g_io_stream_get_output_stream (tls), request, strlen (request),
                                 NULL, NULL, &error);
      g_assert_no_error (error);
      g_io_stream_close (G_IO_STREAM (tcp), NULL, NULL);
    }
  /* Their logins finish (or fail) after they left. */
  {
    g_autofree char *token = ul_test_https_login (t, PARTNER, PASSWORD);
    g_assert_nonnull (token);
  }
  assert_alive (t);
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/http/hostile/json-corpus", test_json_corpus);
  g_test_add_func ("/uplink/http/hostile/nesting-and-size", test_nesting_and_size);
  g_test_add_func ("/uplink/http/hostile/slow-clients", test_slow_clients);
  g_test_add_func ("/uplink/http/hostile/abandoned-requests", test_abandoned_requests);
  return g_test_run ();
}
