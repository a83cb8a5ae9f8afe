/* test-pbxsim.c — smoke test of the built uplink-pbxsim, driven through the CSTA codec.
 *
 * Each case starts the simulator on free ports, talks CSTA to it over a GSocketClient and
 * steers it through the control channel (csta.md rules 21–25).
 */
#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ul-csta-codec.h"

#define ED5 UL_CSTA_NS_ED5

static const char *pbxsim_path;

/* ---- a blocking CSTA client, good enough for tests ---------------------------------- */

typedef struct
{
  GSocketConnection *connection;
  GSocket *socket;
  UlCstaDecoder *decoder;
  guint n_reads;
} Client;

static Client *
client_new (guint16 port)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  Client *client = g_new0 (Client, 1);

  client->connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port, NULL,
                                                        &error);
  g_assert_no_error (error);
  client->socket = g_socket_connection_get_socket (client->connection);
  /* A blocking read that waits for nothing fails after this instead of hanging. */
  g_socket_set_timeout (client->socket, 5);
  client->decoder = ul_csta_decoder_new ();

  return client;
}

static void
client_free (Client *client)
{
  g_io_stream_close (G_IO_STREAM (client->connection), NULL, NULL);
  g_object_unref (client->connection);
  g_object_unref (client->decoder);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Client, client_free)

static void
client_send (Client *client, guint invoke_id, const char *xml)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) frame = ul_csta_frame_encode (invoke_id, xml, -1, &error);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (client->connection));

  g_assert_no_error (error);
  g_output_stream_write_all (out, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame), NULL,
                             NULL, &error);
  g_assert_no_error (error);
}

/* The next frame; NULL with @error at EOF (G_IO_ERROR_CONNECTION_CLOSED), on a timeout or
 * on a framing error. */
static UlCstaFrame *
client_next (Client *client, GError **error)
{
  for (;;)
    {
      char buf[65536];
      gssize n;
      UlCstaFrame *frame = ul_csta_decoder_pop (client->decoder, error);

      if (frame != NULL || ul_csta_decoder_is_broken (client->decoder))
        return frame;

      n = g_socket_receive (client->socket, buf, sizeof buf, NULL, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "EOF");
          return NULL;
        }
      client->n_reads++;
      ul_csta_decoder_feed (client->decoder, buf, n);
    }
}

/* Reads the next message and checks its root element; returns the tree. */
static UlCstaNode *
client_expect (Client *client, const char *root_name, guint *out_invoke_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCstaFrame) frame = client_next (client, &error);
  UlCstaNode *root;

  g_assert_no_error (error);
  root = ul_csta_node_parse (frame->xml, frame->xml_len, &error);
  g_assert_no_error (error);
  if (!g_str_equal (ul_csta_node_get_name (root), root_name))
    g_error ("expected %s, got %s", root_name, frame->xml);
  if (out_invoke_id != NULL)
    *out_invoke_id = frame->invoke_id;

  return root;
}

static void
client_expect_eof (Client *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCstaFrame) frame = client_next (client, &error);

  g_assert_null (frame);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
}

static void
client_login (Client *client, UlCstaLoginStyle style, const char *user, const char *password)
{
  g_autofree char *xml = ul_csta_build_start_application_session ("test-pbxsim", style, user,
                                                                  password, NULL, 180);
  g_autoptr(UlCstaNode) root = NULL;
  guint invoke_id;

  client_send (client, 1, xml);
  root = client_expect (client, "StartApplicationSessionPosResponse", &invoke_id);
  g_assert_cmpuint (invoke_id, ==, 1);
  g_assert_cmpstr (ul_csta_node_get_text_at (root, "actualSessionDuration"), ==, "180");
  g_assert_cmpstr (ul_csta_node_get_text_at (root, "actualProtocolVersion"), ==, ED5);
  g_assert_cmpuint (strlen (ul_csta_node_get_text_at (root, "sessionID")), >, 0);
}

/* Starts a monitor and returns its cross-reference ID. */
static char *
client_monitor (Client *client, guint invoke_id, const char *device)
{
  g_autofree char *xml = ul_csta_build_monitor_start (NULL, device, NULL);
  g_autoptr(UlCstaNode) root = NULL;
  guint echoed;

  client_send (client, invoke_id, xml);
  root = client_expect (client, "MonitorStartResponse", &echoed);
  g_assert_cmpuint (echoed, ==, invoke_id);

  return g_strdup (ul_csta_node_get_text_at (root, "monitorCrossRefID"));
}

static void
client_expect_error (Client *client, guint invoke_id, const char *category, const char *value)
{
  g_autoptr(UlCstaNode) root = NULL;
  const char *got_category = NULL;
  const char *got_value = NULL;
  guint echoed;

  root = client_expect (client, "CSTAErrorCode", &echoed);
  g_assert_cmpuint (echoed, ==, invoke_id);
  g_assert_true (ul_csta_parse_error_code (root, &got_category, &got_value));
  g_assert_cmpstr (got_category, ==, category);
  g_assert_cmpstr (got_value, ==, value);
}

/* Reads @n events and checks each one's type, monitor and localConnectionInfo, in order. */
typedef struct
{
  UlCstaEventType type;
  const char *monitor;
  const char *local_connection_info;
} ExpectedEvent;

static void
client_expect_events (Client *client, const char *call_id, const ExpectedEvent *expected, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(UlCstaFrame) frame = client_next (client, &error);
      g_autoptr(UlCstaNode) root = NULL;
      UlCstaEvent event;

      g_assert_no_error (error);
      g_assert_cmpuint (frame->invoke_id, ==, UL_CSTA_INVOKE_ID_EVENT);
      root = ul_csta_node_parse (frame->xml, frame->xml_len, &error);
      g_assert_no_error (error);
      g_assert_true (ul_csta_event_parse (root, &event));
      g_test_message ("event %s", frame->xml);
      g_assert_cmpint (event.type, ==, expected[i].type);
      g_assert_cmpstr (event.monitor_cross_ref_id, ==, expected[i].monitor);
      g_assert_cmpstr (event.call_id, ==, call_id);
      if (expected[i].local_connection_info != NULL)
        g_assert_cmpstr (event.local_connection_info, ==, expected[i].local_connection_info);
    }
}

/* ---- the simulator under test ------------------------------------------------------- */

typedef struct
{
  GSubprocess *sim;
  GDataInputStream *sim_out;
  guint16 port;
  guint16 control_port;
  GSocketConnection *control;
  GDataInputStream *control_in;
  char *tmpdir;
} Fixture;

static guint16
parse_port (const char *line)
{
  const char *colon = strrchr (line, ':');
  guint64 port = 0;

  g_assert_nonnull (colon);
  g_assert_true (g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL));

  return port;
}

/* A failed assertion aborts the test before tear-down: take the simulator along, or it
 * keeps the test's stderr open and the harness waits for it. */
static void
child_setup (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

static void
fixture_set_up (Fixture *fixture, gconstpointer user_data)
{
  const char *const *extra = user_data;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  g_strv_builder_add_many (builder, pbxsim_path, "--port", "0", "--control-port", "-1", "--demo",
                           NULL);
  if (extra != NULL)
    g_strv_builder_addv (builder, (const char **) extra);
  argv = g_strv_builder_end (builder);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  fixture->sim = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv, &error);
  g_assert_no_error (error);
  fixture->sim_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->sim));

  /* The simulator announces the control port first, then the CSTA port once it listens. */
  while (fixture->port == 0)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (fixture->sim_out, NULL, NULL,
                                                                  &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_str_has_prefix (line, "uplink-pbxsim control on "))
        fixture->control_port = parse_port (line);
      else if (g_str_has_prefix (line, "uplink-pbxsim listening on "))
        fixture->port = parse_port (line);
    }
  g_assert_cmpuint (fixture->control_port, !=, 0);

  fixture->control = g_socket_client_connect_to_host (socket_client, "127.0.0.1",
                                                      fixture->control_port, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (fixture->control), 5);
  fixture->control_in = g_data_input_stream_new (
    g_io_stream_get_input_stream (G_IO_STREAM (fixture->control)));

  fixture->tmpdir = g_dir_make_tmp ("test-pbxsim-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_io_stream_close (G_IO_STREAM (fixture->control), NULL, NULL);
  g_clear_object (&fixture->control_in);
  g_clear_object (&fixture->control);

  /* SIGTERM is a clean shutdown: the simulator must exit 0. */
  g_subprocess_send_signal (fixture->sim, SIGTERM);
  g_subprocess_wait_check (fixture->sim, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->sim_out);
  g_clear_object (&fixture->sim);

  remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

/* Runs one control command and returns the reply line. */
static char *
control (Fixture *fixture, const char *command)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strconcat (command, "\n", NULL);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (fixture->control));
  char *reply;

  g_output_stream_write_all (out, line, strlen (line), NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_data_input_stream_read_line_utf8 (fixture->control_in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_test_message ("control: %s → %s", command, reply);

  return reply;
}

static void
control_ok (Fixture *fixture, const char *command)
{
  g_autofree char *reply = control (fixture, command);

  g_assert_true (g_str_has_prefix (reply, "ok"));
}

/* The value of @key in the one-line "status" reply. */
static char *
status_value (Fixture *fixture, const char *key)
{
  g_autofree char *reply = control (fixture, "status");
  g_auto(GStrv) words = g_strsplit (reply, " ", -1);
  g_autofree char *prefix = g_strconcat (key, "=", NULL);

  g_assert_cmpstr (words[0], ==, "ok");
  for (guint i = 1; words[i] != NULL; i++)
    if (g_str_has_prefix (words[i], prefix))
      return g_uri_unescape_string (words[i] + strlen (prefix), NULL);

  g_error ("no %s in %s", key, reply);
}

/* ---- cases -------------------------------------------------------------------------- */

static const char *const with_credentials[] = { "--username", "admin", "--password", "s3cr&t",
                                                NULL };

static void
test_login_monitor_make_call (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr(Client) client = client_new (fixture->port);
  g_autofree char *wrong = ul_csta_build_start_application_session (
    "t", UL_CSTA_LOGIN_STYLE_USER_PASSWORD, "admin", "nope", NULL, 180);
  g_autofree char *monitor = ul_csta_build_monitor_start (NULL, "201", NULL);
  g_autofree char *bad_monitor = ul_csta_build_monitor_start (NULL, "999", NULL);
  g_autofree char *make_call = ul_csta_build_make_call (NULL, "201", "202");
  g_autofree char *xref1 = NULL;
  g_autofree char *xref2 = NULL;
  g_autofree char *call_id = NULL;
  g_autofree char *value = NULL;
  g_autoptr(UlCstaNode) neg = NULL;
  g_autoptr(UlCstaNode) response = NULL;
  guint invoke_id;

  /* Rule 21: nothing before the session, and the credentials are checked. */
  client_send (client, 5, monitor);
  client_expect_error (client, 5, "security", "generic");
  client_send (client, 6, wrong);
  neg = client_expect (client, "StartApplicationSessionNegResponse", &invoke_id);
  g_assert_cmpuint (invoke_id, ==, 6);
  g_assert_cmpstr (ul_csta_session_get_error (neg), ==, "invalidApplicationInfo");
  value = status_value (fixture, "login_failures");
  g_assert_cmpstr (value, ==, "1");
  g_clear_pointer (&value, g_free);

  client_login (client, UL_CSTA_LOGIN_STYLE_SESSION_LOGIN_INFO, "admin", "s3cr&t");
  value = status_value (fixture, "last_login_style");
  g_assert_cmpstr (value, ==, "2");
  g_clear_pointer (&value, g_free);

  xref1 = client_monitor (client, 10, "201");
  xref2 = client_monitor (client, 11, "N<202>");
  g_assert_cmpstr (xref1, !=, xref2);
  client_send (client, 12, bad_monitor);
  client_expect_error (client, 12, "operation", "invalidDeviceID");

  /* Rule 24: response first, then the scripted events on every monitor involved. */
  client_send (client, 20, make_call);
  response = client_expect (client, "MakeCallResponse", &invoke_id);
  g_assert_cmpuint (invoke_id, ==, 20);
  g_assert_cmpstr (ul_csta_node_get_text_at (response, "callingDevice/deviceID"), ==, "201");
  call_id = g_strdup (ul_csta_node_get_text_at (response, "callingDevice/callID"));
  {
    const ExpectedEvent expected[] = {
      { UL_CSTA_EVENT_SERVICE_INITIATED, xref1, "initiated" },
      { UL_CSTA_EVENT_ORIGINATED, xref1, "connected" },
      { UL_CSTA_EVENT_DELIVERED, xref1, "connected" },
      { UL_CSTA_EVENT_DELIVERED, xref2, "alerting" },
      { UL_CSTA_EVENT_ESTABLISHED, xref1, "connected" },
      { UL_CSTA_EVENT_ESTABLISHED, xref2, "connected" },
    };

    client_expect_events (client, call_id, expected, G_N_ELEMENTS (expected));
  }
  value = status_value (fixture, "last_make_call_called");
  g_assert_cmpstr (value, ==, "202");
  g_clear_pointer (&value, g_free);

  {
    g_autofree char *snapshot = ul_csta_build_snapshot_device (NULL, "201");
    g_autoptr(UlCstaNode) root = NULL;

    client_send (client, 21, snapshot);
    root = client_expect (client, "SnapshotDeviceResponse", NULL);
    g_assert_cmpstr (ul_csta_node_find_text (root, "callID"), ==, call_id);
    g_assert_cmpstr (ul_csta_node_find_text (root, "localConnectionState"), ==, "connected");
  }

  {
    g_autofree char *clear = ul_csta_build_clear_connection (NULL, call_id, "201");
    g_autoptr(UlCstaNode) root = NULL;
    const ExpectedEvent expected[] = {
      { UL_CSTA_EVENT_CONNECTION_CLEARED, xref1, "null" },
      { UL_CSTA_EVENT_CONNECTION_CLEARED, xref2, "connected" },
      { UL_CSTA_EVENT_CONNECTION_CLEARED, xref2, "null" },
      { UL_CSTA_EVENT_CALL_CLEARED, xref1, NULL },
      { UL_CSTA_EVENT_CALL_CLEARED, xref2, NULL },
    };

    client_send (client, 22, clear);
    root = client_expect (client, "ClearConnectionResponse", &invoke_id);
    g_assert_cmpuint (invoke_id, ==, 22);
    client_expect_events (client, call_id, expected, G_N_ELEMENTS (expected));
  }

  {
    g_autofree char *stop = ul_csta_build_monitor_stop (NULL, xref2);
    g_autoptr(UlCstaNode) root = NULL;

    client_send (client, 30, stop);
    root = client_expect (client, "MonitorStopResponse", NULL);
    client_send (client, 31, stop);
    client_expect_error (client, 31, "operation", "invalidMonitorCrossRefID");
  }

  /* §4.6: 25 demo users arrive in segments of 10. */
  {
    g_autofree char *gsfd = ul_csta_build_get_switching_function_devices (NULL, NULL, NULL);
    g_autoptr(UlCstaNode) root = NULL;
    guint n_devices = 0;

    client_send (client, 40, gsfd);
    root = client_expect (client, "GetSwitchingFunctionDevicesResponse", NULL);
    for (guint segment = 1; segment <= 3; segment++)
      {
        g_autoptr(UlCstaNode) sfd = client_expect (client, "SwitchingFunctionDevices", NULL);

        g_assert_cmpstr (ul_csta_node_get_text_at (sfd, "serviceCrossRefID"), ==,
                         ul_csta_node_get_text_at (root, "serviceCrossRefID"));
        g_assert_cmpstr (ul_csta_node_get_text_at (sfd, "lastSegment"), ==,
                         segment == 3 ? "true" : "false");
        n_devices += ul_csta_node_get_n_children (ul_csta_node_get_child (sfd, "deviceList"));
      }
    g_assert_cmpuint (n_devices, ==, 25);
  }

  {
    g_autofree char *stop = ul_csta_build_stop_application_session ("wrong", NULL);
    g_autoptr(UlCstaNode) neg_stop = NULL;

    client_send (client, 50, stop);
    neg_stop = client_expect (client, "StopApplicationSessionNegResponse", NULL);
    g_assert_cmpstr (ul_csta_session_get_error (neg_stop), ==, "invalidSessionID");
  }
}

static const char *const with_two_licences[] = { "--max-monitors", "2", NULL };

static void
test_monitor_limit (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr(Client) client = client_new (fixture->port);
  g_autofree char *xref1 = NULL;
  g_autofree char *xref2 = NULL;
  g_autofree char *xref3 = NULL;
  g_autofree char *monitor = ul_csta_build_monitor_start (NULL, "203", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCstaFrame) frame = NULL;
  g_autoptr(UlCstaNode) root = NULL;
  const char *category = NULL;
  const char *value = NULL;

  client_login (client, UL_CSTA_LOGIN_STYLE_USER_PASSWORD, "any", "thing");
  xref1 = client_monitor (client, 1011, "201");
  xref2 = client_monitor (client, 1012, "202");

  /* Rule 23: the third licence fails exactly like the MiVO400 trace (S3). */
  client_send (client, 1013, monitor);
  frame = client_next (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frame->invoke_id, ==, 1013);
  g_assert_true (g_str_has_prefix (frame->xml, "\n<csta:CSTAErrorCode xmlns:csta=\"" ED5 "\">"));
  g_assert_null (strstr (frame->xml, "<?xml"));
  root = ul_csta_node_parse (frame->xml, frame->xml_len, &error);
  g_assert_no_error (error);
  g_assert_true (ul_csta_parse_error_code (root, &category, &value));
  g_assert_cmpstr (category, ==, "systemResourceAvailibility");
  g_assert_cmpstr (value, ==, "overallMonitorLimitExceeded");

  control_ok (fixture, "set max-monitors 3");
  xref3 = client_monitor (client, 1014, "203");
  g_assert_nonnull (xref3);
}

static void
test_wrong_credentials (Fixture *fixture, gconstpointer user_data)
{
  g_autofree char *login = ul_csta_build_start_application_session (
    "t", UL_CSTA_LOGIN_STYLE_USER_PASSWORD, "admin", "s3cr&t", NULL, 180);

  control_ok (fixture, "fault wrong-credentials on");
  {
    g_autoptr(Client) client = client_new (fixture->port);
    g_autoptr(UlCstaNode) neg = NULL;

    client_send (client, 1, login);
    neg = client_expect (client, "StartApplicationSessionNegResponse", NULL);
    g_assert_cmpstr (ul_csta_session_get_error (neg), ==, "invalidApplicationInfo");
  }

  control_ok (fixture, "fault wrong-credentials off");
  {
    g_autoptr(Client) client = client_new (fixture->port);

    client_login (client, UL_CSTA_LOGIN_STYLE_USER_PASSWORD, "admin", "s3cr&t");
  }
}

static const char *const never_answer[] = { "--answer-delay", "-1", NULL };

static void
test_incoming_call (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr(Client) client = client_new (fixture->port);
  g_autofree char *xref = NULL;
  g_autofree char *reply = NULL;
  const char *call_id;

  client_login (client, UL_CSTA_LOGIN_STYLE_USER_PASSWORD, "u", "p");
  xref = client_monitor (client, 2, "203");

  reply = control (fixture, "call incoming \"+41 44 668 1234\" 203");
  g_assert_true (g_str_has_prefix (reply, "ok call="));
  call_id = reply + strlen ("ok call=");
  {
    const ExpectedEvent expected[] = { { UL_CSTA_EVENT_DELIVERED, xref, "alerting" } };

    client_expect_events (client, call_id, expected, 1);
  }

  {
    g_autofree char *answer = ul_csta_build_answer_call (NULL, call_id, "203");
    g_autoptr(UlCstaNode) root = NULL;
    const ExpectedEvent expected[] = { { UL_CSTA_EVENT_ESTABLISHED, xref, "connected" } };

    client_send (client, 3, answer);
    root = client_expect (client, "AnswerCallResponse", NULL);
    client_expect_events (client, call_id, expected, 1);
    /* Answering twice is a state error. */
    client_send (client, 4, answer);
    client_expect_error (client, 4, "stateIncompatibility", "noCallToAnswer");
  }

  control_ok (fixture, "call clear 203");
  {
    const ExpectedEvent expected[] = {
      { UL_CSTA_EVENT_CONNECTION_CLEARED, xref, "null" },
      { UL_CSTA_EVENT_CALL_CLEARED, xref, NULL },
    };

    client_expect_events (client, call_id, expected, G_N_ELEMENTS (expected));
  }
}

static void
test_split_and_coalesce (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr(Client) client = client_new (fixture->port);
  g_autofree char *x1 = NULL;

  client_login (client, UL_CSTA_LOGIN_STYLE_USER_PASSWORD, "u", "p");

  /* Split: one response arrives in pieces, with pauses between them. */
  control_ok (fixture, "fault split on");
  client->n_reads = 0;
  x1 = client_monitor (client, 2, "201");
  g_assert_cmpuint (client->n_reads, >=, 2);
  control_ok (fixture, "fault split off");

  /* Coalesce: three answers in one write. The requests go in one write too, or Nagle on
   * our side could spread them over more than the simulator's collection window. */
  control_ok (fixture, "fault coalesce on");
  {
    g_autofree char *xml = ul_csta_build_monitor_start (NULL, "202", NULL);
    g_autoptr(GByteArray) requests = g_byte_array_new ();
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < 3; i++)
      {
        g_autoptr(GBytes) frame = ul_csta_frame_encode (10 + i, xml, -1, &error);

        g_assert_no_error (error);
        g_byte_array_append (requests, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
      }
    g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (client->connection)),
                               requests->data, requests->len, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  client->n_reads = 0;
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(UlCstaNode) root = NULL;
      guint invoke_id;

      root = client_expect (client, "MonitorStartResponse", &invoke_id);
      g_assert_cmpuint (invoke_id, ==, 10 + i);
    }
  g_assert_cmpuint (client->n_reads, ==, 1);
}

static void
test_faults (Fixture *fixture, gconstpointer user_data)
{
  /* Rule 18 and 4: an unknown event with multi-byte text decodes and is recognisable. */
  {
    g_autoptr(Client) client = client_new (fixture->port);
    g_autoptr(UlCstaNode) root = NULL;
    g_autofree char *xref = NULL;
    UlCstaEvent event;

    client_login (client, UL_CSTA_LOGIN_STYLE_USER_PASSWORD, "u", "p");
    xref = client_monitor (client, 2, "201");
    control_ok (fixture, "fault unknown-event");
    root = client_expect (client, "FrobnicatedEvent", NULL);
    g_assert_true (ul_csta_event_parse (root, &event));
    g_assert_cmpint (event.type, ==, UL_CSTA_EVENT_UNKNOWN);
    g_assert_cmpstr (event.monitor_cross_ref_id, ==, xref);
    g_assert_true (g_str_has_prefix (ul_csta_node_find_text (root, "note"), "Søren"));

    /* Rule 2: a bad header is a framing error for the client. */
    control_ok (fixture, "fault malformed");
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(UlCstaFrame) frame = client_next (client, &error);

      g_assert_null (frame);
      g_assert_error (error, UL_CSTA_ERROR, UL_CSTA_ERROR_BAD_HEADER);
    }
  }

  /* Rule 22 on demand. */
  {
    g_autoptr(Client) client = client_new (fixture->port);
    g_autoptr(UlCstaNode) root = NULL;

    client_login (client, UL_CSTA_LOGIN_STYLE_USER_PASSWORD, "u", "p");
    control_ok (fixture, "fault session-expiry");
    root = client_expect (client, "ApplicationSessionTerminated", NULL);
    g_assert_cmpstr (ul_csta_node_get_text_at (root, "sessionTermReason/definedTermReason"), ==,
                     "sessionTimerExpired");
    client_expect_eof (client);
  }

  {
    g_autoptr(Client) client = client_new (fixture->port);

    client_login (client, UL_CSTA_LOGIN_STYLE_USER_PASSWORD, "u", "p");
    control_ok (fixture, "fault drop");
    client_expect_eof (client);
  }

  /* Stall: the socket stays open and nothing comes back. */
  {
    g_autoptr(Client) client = client_new (fixture->port);
    g_autofree char *snapshot = ul_csta_build_snapshot_device (NULL, "201");
    g_autoptr(GError) error = NULL;
    g_autoptr(UlCstaFrame) frame = NULL;
    g_autoptr(UlCstaNode) root = NULL;

    client_login (client, UL_CSTA_LOGIN_STYLE_USER_PASSWORD, "u", "p");
    control_ok (fixture, "fault stall on");
    client_send (client, 2, snapshot);
    g_socket_set_timeout (client->socket, 1);
    frame = client_next (client, &error);
    g_assert_null (frame);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    g_socket_set_timeout (client->socket, 5);
    control_ok (fixture, "fault stall off");
    client_send (client, 3, snapshot);
    root = client_expect (client, "SnapshotDeviceResponse", NULL);
  }

  /* Refuse: connects fail until the fault is lifted. */
  {
    g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
    g_autoptr(GSocketConnection) connection = NULL;
    g_autoptr(GError) error = NULL;

    control_ok (fixture, "fault refuse on");
    connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", fixture->port, NULL,
                                                  &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
    control_ok (fixture, "fault refuse off");
  }
  {
    g_autoptr(Client) client = client_new (fixture->port);

    client_login (client, UL_CSTA_LOGIN_STYLE_USER_PASSWORD, "u", "p");
  }

  {
    g_autofree char *reply = control (fixture, "fault nonsense on");

    g_assert_true (g_str_has_prefix (reply, "error "));
  }
}

static const char *const short_session[] = { "--session-duration", "1", "--session-grace", "0",
                                             NULL };

static void
test_session_timer (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr(Client) client = client_new (fixture->port);
  g_autofree char *login = ul_csta_build_start_application_session (
    "t", UL_CSTA_LOGIN_STYLE_USER_PASSWORD, "u", "p", NULL, 600);
  g_autoptr(UlCstaNode) pos = NULL;
  g_autoptr(UlCstaNode) terminated = NULL;

  client_send (client, 1, login);
  pos = client_expect (client, "StartApplicationSessionPosResponse", NULL);
  g_assert_cmpstr (ul_csta_node_get_text_at (pos, "actualSessionDuration"), ==, "1");

  {
    g_autofree char *reset = ul_csta_build_reset_application_session_timer (
      ul_csta_node_get_text_at (pos, "sessionID"), 600);
    g_autoptr(UlCstaNode) root = NULL;

    client_send (client, 2, reset);
    root = client_expect (client, "ResetApplicationSessionTimerPosResponse", NULL);
    g_assert_cmpstr (ul_csta_node_get_text_at (root, "actualSessionDuration"), ==, "1");
  }

  /* Rule 22: no more resets, so the session ends after duration + grace. */
  terminated = client_expect (client, "ApplicationSessionTerminated", NULL);
  g_assert_cmpstr (ul_csta_node_get_text_at (terminated, "sessionID"), ==,
                   ul_csta_node_get_text_at (pos, "sessionID"));
  client_expect_eof (client);
}

static const char *const cycle_signal[] = { "--system-status-interval", "1", NULL };

static void
test_system_status (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr(Client) client = client_new (fixture->port);
  g_autoptr(UlCstaNode) first = NULL;
  g_autoptr(UlCstaNode) second = NULL;
  g_autofree char *response = ul_csta_build_system_status_response (NULL);
  guint invoke_id;

  client_login (client, UL_CSTA_LOGIN_STYLE_USER_PASSWORD, "u", "p");

  /* Rule 11: answered with the switch's invoke ID, the link lives on. */
  first = client_expect (client, "SystemStatus", &invoke_id);
  g_assert_cmpstr (ul_csta_node_get_text_at (first, "systemStatus"), ==, "normal");
  client_send (client, invoke_id, response);

  /* Rule 22: unanswered, the link goes ("missing cycle signal", S2). */
  second = client_expect (client, "SystemStatus", &invoke_id);
  client_expect_eof (client);
}

/* The LDIF is meant for a real slapd: let slapadd check it against the standard schema
 * in a dry run, when OpenLDAP's server tools are installed. */
static void
check_ldif_with_slapadd (Fixture *fixture, const char *ldif_path)
{
  g_autofree char *slapadd = g_find_program_in_path ("slapadd");
  g_autofree char *conf_path = g_build_filename (fixture->tmpdir, "slapd.conf", NULL);
  g_autofree char *conf = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  if (slapadd == NULL && g_file_test ("/usr/sbin/slapadd", G_FILE_TEST_IS_EXECUTABLE))
    slapadd = g_strdup ("/usr/sbin/slapadd");
  if (slapadd == NULL || !g_file_test ("/etc/ldap/schema/inetorgperson.schema", G_FILE_TEST_EXISTS) ||
      !g_file_test ("/usr/lib/ldap/back_mdb.la", G_FILE_TEST_EXISTS))
    {
      g_test_message ("slapadd, the OpenLDAP schema or back_mdb missing: LDIF not checked");
      return;
    }

  conf = g_strdup_printf ("include /etc/ldap/schema/core.schema\n"
                          "include /etc/ldap/schema/cosine.schema\n"
                          "include /etc/ldap/schema/inetorgperson.schema\n"
                          "modulepath /usr/lib/ldap\n"
                          "moduleload back_mdb\n"
                          "database mdb\n"
                          "suffix \"dc=example,dc=com\"\n"
                          "directory %s\n",
                          fixture->tmpdir);
  g_file_set_contents (conf_path, conf, -1, &error);
  g_assert_no_error (error);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, slapadd, "-u", "-f", conf_path,
                              "-l", ldif_path, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

static void
test_exports (Fixture *fixture, gconstpointer user_data)
{
  g_autofree char *csv_path = g_build_filename (fixture->tmpdir, "users.csv", NULL);
  g_autofree char *ldif_path = g_build_filename (fixture->tmpdir, "users.ldif", NULL);
  g_autofree char *command = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *ldif = NULL;
  g_auto(GStrv) lines = NULL;
  guint no_email = 0;
  guint reception = 0;
  g_autoptr(GError) error = NULL;

  control_ok (fixture, "user add 230 \"Ægir Þórsson\" aegir@example.com Sales");
  control_ok (fixture, "user rename 224 \"Ömer Yılmaz-Demir\"");
  control_ok (fixture, "user remove 225");
  {
    g_autofree char *reply = control (fixture, "user remove 225");

    g_assert_true (g_str_has_prefix (reply, "error "));
  }

  command = g_strdup_printf ("export csv %s", csv_path);
  control_ok (fixture, command);
  g_free (command);
  command = g_strdup_printf ("export ldif %s dc=example,dc=com", ldif_path);
  control_ok (fixture, command);

  g_file_get_contents (csv_path, &csv, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "extension,name,email,group");
  g_assert_cmpstr (lines[1], ==, "201,Jürgen Müller,juergen.mueller@example.com,Management");
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 25 + 1);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);

      if (*fields[2] == '\0')
        no_email++;
      if (g_str_equal (fields[2], "reception@example.com"))
        reception++;
    }
  /* 3 demo users without e-mail, one of them removed again; one shared mailbox. */
  g_assert_cmpuint (no_email, ==, 2);
  g_assert_cmpuint (reception, ==, 2);
  g_assert_nonnull (strstr (csv, "224,Ömer Yılmaz-Demir,"));
  g_assert_nonnull (strstr (csv, "230,Ægir Þórsson,aegir@example.com,Sales"));

  g_file_get_contents (ldif_path, &ldif, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (ldif, "dn: ou=people,dc=example,dc=com\n"));
  g_assert_nonnull (strstr (ldif, "dn: uid=201,ou=people,dc=example,dc=com\n"));
  g_assert_nonnull (strstr (ldif, "telephoneNumber: 201\n"));
  /* Non-ASCII values are base64 (RFC 2849): "Jürgen Müller". */
  {
    g_autofree char *encoded = g_base64_encode ((const guchar *) "Jürgen Müller",
                                                strlen ("Jürgen Müller"));
    g_autofree char *cn = g_strdup_printf ("cn:: %s\n", encoded);

    g_assert_nonnull (strstr (ldif, cn));
  }
  {
    guint entries = 0;

    for (const char *p = ldif; (p = strstr (p, "objectClass: inetOrgPerson\n")) != NULL; p++)
      entries++;
    g_assert_cmpuint (entries, ==, 25);
  }

  check_ldif_with_slapadd (fixture, ldif_path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  pbxsim_path = argc > 1 ? argv[1] : g_getenv ("UL_PBXSIM");
  if (pbxsim_path == NULL)
    {
      g_test_skip ("usage: test-pbxsim PATH-TO-uplink-pbxsim");
      return g_test_run ();
    }

#define ADD(path, data, func) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/uplink/pbxsim/login-monitor-make-call", with_credentials, test_login_monitor_make_call);
  ADD ("/uplink/pbxsim/monitor-limit", with_two_licences, test_monitor_limit);
  ADD ("/uplink/pbxsim/wrong-credentials", with_credentials, test_wrong_credentials);
  ADD ("/uplink/pbxsim/incoming-call", never_answer, test_incoming_call);
  ADD ("/uplink/pbxsim/split-and-coalesce", NULL, test_split_and_coalesce);
  ADD ("/uplink/pbxsim/faults", NULL, test_faults);
  ADD ("/uplink/pbxsim/session-timer", short_session, test_session_timer);
  ADD ("/uplink/pbxsim/system-status", cycle_signal, test_system_status);
  ADD ("/uplink/pbxsim/exports", NULL, test_exports);

#undef ADD

  return g_test_run ();
}
