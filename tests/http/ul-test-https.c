/* ul-test-https.c — run the built uplinkd with its HTTPS API for the tests. */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>

#include "ul-test-https.h"

#define BUS_NAME         "io.github.uplink.Gateway1"
#define START_TIMEOUT_MS 20000

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
ul_test_https_wait (gboolean *done, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

/* A failed assertion aborts the test: its daemons must not outlive it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* A private session bus. Not GTestDBus: its watcher process sometimes outlives an aborted
 * test and keeps meson waiting for the test's output until the timeout. */
static void
start_bus (UlTestHttps *self)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = g_strdup_printf ("--address=unix:tmpdir=%s", self->root);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", "--session",
                                           "--nofork", "--nopidfile", "--print-address=1",
                                           listen, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->bus));
  self->bus_address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (self->bus_address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", self->bus_address, TRUE);
  /* A connection of our own: the session singleton would take the test down with it
   * (exit-on-close) when the bus goes. */
  self->connection = g_dbus_connection_new_for_address_sync (
    self->bus_address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);
}

UlTestHttps *
ul_test_https_new (const char *config_extra)
{
  UlTestHttps *self = g_new0 (UlTestHttps, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;

  self->root = g_dir_make_tmp ("uplink-http-test-XXXXXX", &error);
  g_assert_no_error (error);
  self->data_dir = g_build_filename (self->root, "state", NULL);
  self->config = g_build_filename (self->root, "uplinkd.conf", NULL);
  self->log = g_build_filename (self->root, "uplinkd.log", NULL);
  self->out = g_build_filename (self->root, "uplinkd.out", NULL);
  config = g_strconcat ("[uplinkd]\n", config_extra != NULL ? config_extra : "", NULL);
  g_file_set_contents (self->config, config, -1, &error);
  g_assert_no_error (error);
  start_bus (self);
  return self;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
ul_test_https_free (UlTestHttps *self)
{
  if (self->process != NULL)
    {
      g_subprocess_force_exit (self->process);
      g_subprocess_wait (self->process, NULL, NULL);
      g_clear_object (&self->process);
    }
  g_clear_object (&self->session);
  g_dbus_connection_close_sync (self->connection, NULL, NULL);
  g_clear_object (&self->connection);
  g_subprocess_force_exit (self->bus);
  g_subprocess_wait (self->bus, NULL, NULL);
  g_clear_object (&self->bus);
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_free (self->bus_address);
  remove_tree (self->root);
  g_free (self->root);
  g_free (self->data_dir);
  g_free (self->config);
  g_free (self->log);
  g_free (self->out);
  g_free (self->fingerprint);
  g_free (self);
}

static void
on_tick (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
on_name_appeared (GDBusConnection *connection, const char *name, const char *owner,
                  gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static char *
fingerprint_of (const char *cert_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = g_tls_certificate_new_from_file (cert_path, &error);
  g_autoptr(GByteArray) der = NULL;

  g_assert_no_error (error);
  g_object_get (cert, "certificate", &der, NULL);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

void
ul_test_https_start (UlTestHttps *self)
{
  const char *uplinkd = g_getenv ("UL_UPLINKD");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = NULL;
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_MS * 1000;
  gboolean appeared = FALSE;
  guint watch;

  g_assert_nonnull (uplinkd);
  g_assert_null (self->process);

  /* stdout to a file too: a pipe nobody reads would block uplinkd once it is full. */
  g_unlink (self->out);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdout_file_path (launcher, self->out);
  g_subprocess_launcher_set_stderr_file_path (launcher, self->log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->process = g_subprocess_launcher_spawn (launcher, &error, uplinkd, "--session",
                                               "--data-dir", self->data_dir, "--config",
                                               self->config, "--https-port", "0",
                                               "--http-port", "0", "--listen", "127.0.0.1",
                                               NULL);
  g_assert_no_error (error);

  /* uplinkd prints "listening https=N http=M" once it listens. */
  while (self->https_port == 0)
    {
      g_autofree char *text = NULL;
      const char *line;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!ul_test_https_is_running (self))
        g_error ("uplinkd exited before listening; see %s", self->log);
      if (g_file_get_contents (self->out, &text, NULL, NULL)
          && (line = strstr (text, "listening https=")) != NULL
          && sscanf (line, "listening https=%u http=%u", &self->https_port, &self->http_port) != 2)
        self->https_port = 0;
      if (self->https_port == 0)
        {
          gboolean tick = FALSE;
          g_timeout_add_once (20, (GSourceOnceFunc) on_tick, &tick);
          ul_test_https_wait (&tick, 1000);
        }
    }

  /* D-Bus checks need the name too; it follows the listening line closely. */
  watch = g_bus_watch_name_on_connection (self->connection, BUS_NAME,
                                          G_BUS_NAME_WATCHER_FLAGS_NONE, on_name_appeared, NULL,
                                          &appeared, NULL);
  ul_test_https_wait (&appeared, START_TIMEOUT_MS);
  g_bus_unwatch_name (watch);

  cert = g_build_filename (self->data_dir, "tls", "cert.pem", NULL);
  g_free (self->fingerprint);
  self->fingerprint = fingerprint_of (cert);
  g_clear_object (&self->session);
  self->session = ul_test_https_new_session (self, NULL);
}

static void
on_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

int
ul_test_https_stop (UlTestHttps *self)
{
  gboolean done = FALSE;
  int status;

  g_assert_nonnull (self->process);
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait_async (self->process, NULL, on_exited, &done);
  ul_test_https_wait (&done, START_TIMEOUT_MS);
  g_assert_true (g_subprocess_get_if_exited (self->process));
  status = g_subprocess_get_exit_status (self->process);
  g_clear_object (&self->process);
  self->https_port = self->http_port = 0;
  return status;
}

gboolean
ul_test_https_is_running (UlTestHttps *self)
{
  if (self->process == NULL)
    return FALSE;
  /* Not exited yet ⇔ the pid has not been reaped. */
  return g_subprocess_get_identifier (self->process) != NULL;
}

char *
ul_test_https_url (UlTestHttps *self, const char *path)
{
  return g_strdup_printf ("https://127.0.0.1:%u%s", self->https_port, path);
}

static gboolean
on_accept_certificate (SoupMessage         *msg,
                       GTlsCertificate     *certificate,
                       GTlsCertificateFlags errors,
                       gpointer             user_data)
{
  const char *expected = user_data;
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *fingerprint = NULL;

  /* Pinning, as the dashboard does: the certificate is self-signed, its fingerprint is
   * what counts. */
  g_object_get (certificate, "certificate", &der, NULL);
  fingerprint = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  return g_strcmp0 (fingerprint, expected) == 0;
}

SoupSession *
ul_test_https_new_session (UlTestHttps *self, const char *local)
{
  SoupSession *session;

  if (local != NULL)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (local);
      g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, 0);

      session = soup_session_new_with_options ("timeout", 20, "local-address", socket_address,
                                               NULL);
    }
  else
    session = soup_session_new_with_options ("timeout", 20, NULL);
  g_object_set_data_full (G_OBJECT (session), "fingerprint", g_strdup (self->fingerprint),
                          g_free);
  return session;
}

GBytes *
ul_test_https_send (SoupSession *session, SoupMessage *msg, GError **error)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate),
                    g_object_get_data (G_OBJECT (session), "fingerprint"));
  return soup_session_send_and_read (session, msg, NULL, error);
}

static JsonNode *
parse (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size == 0)
    return NULL;
  json_parser_load_from_data (parser, data, (gssize) size, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static guint
send_on (UlTestHttps         *self,
         SoupSession         *session,
         const char          *method,
         const char          *path,
         const char          *token,
         const char          *content_type,
         GBytes              *body,
         SoupMessageHeaders **response_headers,
         JsonNode           **reply)
{
  g_autofree char *url = ul_test_https_url (self, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    value);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  bytes = ul_test_https_send (session, msg, &error);
  g_assert_no_error (error);
  if (response_headers != NULL)
    *response_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (reply != NULL)
    *reply = parse (bytes);
  return soup_message_get_status (msg);
}

guint
ul_test_https_request_full (UlTestHttps         *self,
                            const char          *method,
                            const char          *path,
                            const char          *token,
                            const char          *content_type,
                            GBytes              *body,
                            SoupMessageHeaders **response_headers,
                            JsonNode           **reply)
{
  return send_on (self, self->session, method, path, token, content_type, body,
                  response_headers, reply);
}

guint
ul_test_https_request (UlTestHttps *self,
                       const char  *method,
                       const char  *path,
                       const char  *token,
                       const char  *json,
                       JsonNode   **reply)
{
  g_autoptr(GBytes) body = json != NULL ? g_bytes_new (json, strlen (json)) : NULL;

  return send_on (self, self->session, method, path, token,
                  json != NULL ? "application/json" : NULL, body, NULL, reply);
}

guint
ul_test_https_request_on (UlTestHttps *self,
                          SoupSession *session,
                          const char  *method,
                          const char  *path,
                          const char  *token,
                          const char  *json,
                          JsonNode   **reply)
{
  g_autoptr(GBytes) body = json != NULL ? g_bytes_new (json, strlen (json)) : NULL;

  return send_on (self, session, method, path, token, json != NULL ? "application/json" : NULL,
                  body, NULL, reply);
}

void
ul_test_https_claim (UlTestHttps *self, const char *email, const char *password)
{
  g_autofree char *json = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", email,
                                           password);
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (ul_test_https_request (self, "POST", "/api/v1/claim", NULL, json, &reply),
                    ==, 201);
  g_assert_cmpstr (ul_test_json_string (reply, "email"), ==, email);
  g_assert_cmpstr (ul_test_json_string (reply, "role"), ==, "partner");
}

char *
ul_test_https_login (UlTestHttps *self, const char *email, const char *password)
{
  g_autofree char *json = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", email,
                                           password);
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (ul_test_https_request (self, "POST", "/api/v1/login", NULL, json, &reply),
                    ==, 200);
  g_assert_cmpstr (ul_test_json_string (reply, "tokenType"), ==, "Bearer");
  g_assert_cmpint (ul_test_json_int (reply, "expiresIn"), >, 0);
  return g_strdup (ul_test_json_string (reply, "token"));
}

const char *
ul_test_json_string (JsonNode *node, const char *member)
{
  JsonObject *object;

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  if (!json_object_has_member (object, member)
      || !JSON_NODE_HOLDS_VALUE (json_object_get_member (object, member)))
    return NULL;
  return json_object_get_string_member (object, member);
}

gint64
ul_test_json_int (JsonNode *node, const char *member)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_true (json_object_has_member (json_node_get_object (node), member));
  return json_object_get_int_member (json_node_get_object (node), member);
}

gboolean
ul_test_json_bool (JsonNode *node, const char *member)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_true (json_object_has_member (json_node_get_object (node), member));
  return json_object_get_boolean_member (json_node_get_object (node), member);
}

void
ul_test_assert_error (JsonNode *reply, const char *code, const char *field)
{
  JsonObject *error;

  g_assert_nonnull (reply);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply));
  g_assert_true (json_object_has_member (json_node_get_object (reply), "error"));
  error = json_object_get_object_member (json_node_get_object (reply), "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_true (json_object_has_member (error, "field"));
  g_assert_true (json_object_has_member (error, "message"));
  g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 0);
  if (field != NULL)
    g_assert_cmpstr (json_object_get_string_member (error, "field"), ==, field);
}
