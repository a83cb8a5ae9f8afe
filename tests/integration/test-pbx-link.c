/* test-pbx-link.c — the PBX link of the built uplinkd against uplink-pbxsim, over D-Bus.
 *
 * The Connect step names what is wrong (refused, unreachable, credentials, licences), and
 * once connected every fault the simulator can inject shows as the right status and heals
 * by itself when the fault clears, without restarting uplinkd (csta.md rules 8–20). */
#include "config.h"

#include <string.h>

#include "ul-test-gateway.h"

#define DEMO_USERS 25
#define BASELINE   "overview"   /* the demo company's status once connected */

static void
assert_connect_fails (UlTestDaemon *daemon, const char *error_name, const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = ul_test_gateway_connect (daemon, &error);
  g_autofree char *code = NULL;

  g_assert_null (result);
  ul_test_assert_dbus_error (error, error_name, NULL);
  g_test_message ("Connect: %s", error->message);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("expected \"%s\" in the Connect error: %s", needle, error->message);
  g_assert_null (strstr (error->message, UL_TEST_PBX_PASSWORD));
  g_assert_null (strstr (error->message, "wrong-password"));
  /* A failed Connect changes nothing. */
  code = ul_test_gateway_status (daemon, NULL);
  g_assert_cmpstr (code, ==, "connect-required");
}

static void
set_pbx (UlTestDaemon *daemon, guint16 port, const char *password)
{
  g_autofree char *changes = g_strdup_printf ("{'port': <@u %u>, 'password': <'%s'>}", port,
                                              password);
  g_autoptr(GVariant) pbx = ul_test_daemon_call_ok (daemon, "Onboarding", "UpdatePbx",
                                                    g_variant_new ("(@a{sv})",
                                                                   ul_test_dict (changes)));
  g_assert_nonnull (pbx);
}

/* A loopback listener that never accepts and whose backlog is full: a connect to it gets
 * no answer at all, like a PBX behind a firewall that drops packets. */
typedef struct
{
  GSocket *listener;
  GSocket *filler[4];
  guint16  port;
} BlackHole;

static BlackHole *
black_hole_new (void)
{
  BlackHole *hole = g_new0 (BlackHole, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  hole->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (hole->listener, any, FALSE, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (hole->listener, 0);
  g_socket_listen (hole->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (hole->listener, &error);
  g_assert_no_error (error);
  hole->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  /* Fill the accept queue; Linux then drops further SYNs. Non-blocking connects, since
   * the ones beyond the queue's length never complete. */
  for (gsize i = 0; i < G_N_ELEMENTS (hole->filler); i++)
    {
      hole->filler[i] = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, &error);
      g_assert_no_error (error);
      g_socket_set_blocking (hole->filler[i], FALSE);
      g_socket_connect (hole->filler[i], bound, NULL, NULL);
    }
  return hole;
}

static void
black_hole_free (BlackHole *hole)
{
  for (gsize i = 0; i < G_N_ELEMENTS (hole->filler); i++)
    g_clear_object (&hole->filler[i]);
  g_clear_object (&hole->listener);
  g_free (hole);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BlackHole, black_hole_free)

static void
test_connect_errors (void)
{
  g_autoptr(UlTestPbxsim) sim = ul_test_pbxsim_start ("--demo", "--username",
                                                      UL_TEST_PBX_USERNAME, "--password",
                                                      UL_TEST_PBX_PASSWORD, NULL);
  g_autoptr(UlTestDaemon) daemon = ul_test_gateway_daemon_new ();
  g_autoptr(BlackHole) hole = black_hole_new ();
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  const char *message = NULL;

  ul_test_daemon_start (daemon);
  ul_test_gateway_onboard (daemon, "standalone", ul_test_pbxsim_free_port (),
                           UL_TEST_PBX_PASSWORD);
  code = ul_test_gateway_status (daemon, NULL);
  g_assert_cmpstr (code, ==, "connect-required");

  /* Nothing listens on the port: refused, and the message says what to check. */
  assert_connect_fails (daemon, "PbxRefused", "CSTA service");

  /* The PBX's CSTA service is switched off. */
  set_pbx (daemon, sim->port, UL_TEST_PBX_PASSWORD);
  g_free (ul_test_pbxsim_command (sim, "fault refuse on"));
  assert_connect_fails (daemon, "PbxRefused", "CSTA service");
  g_free (ul_test_pbxsim_command (sim, "fault refuse off"));

  /* Nobody answers at all. */
  set_pbx (daemon, hole->port, UL_TEST_PBX_PASSWORD);
  assert_connect_fails (daemon, "PbxUnreachable", "Cannot reach the PBX");

  /* Wrong credentials: the message names the user, never the password. */
  set_pbx (daemon, sim->port, "wrong-password");
  assert_connect_fails (daemon, "PbxAuthFailed", UL_TEST_PBX_USERNAME);
  g_assert_cmpuint (ul_test_pbxsim_status_uint (sim, "login_failures"), ==, 1);

  /* The simulator hangs up right after accepting. */
  set_pbx (daemon, sim->port, UL_TEST_PBX_PASSWORD);
  g_free (ul_test_pbxsim_command (sim, "fault hangup on"));
  assert_connect_fails (daemon, "PbxUnreachable", NULL);
  g_free (ul_test_pbxsim_command (sim, "fault hangup off"));

  /* And with everything right, Connect succeeds; the same port was refused earlier. */
  result = ul_test_gateway_connect (daemon, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (result, "message", "&s", &message));
  g_assert_cmpstr (message, ==, "Connection successful");
  g_clear_pointer (&code, g_free);
  code = ul_test_gateway_status (daemon, NULL);
  g_assert_cmpstr (code, ==, "overview");
  g_assert_cmpint (ul_test_daemon_stop (daemon), ==, 0);
}

/* [pbx] login-style switches how the credentials travel (csta.md rule 7). */
static void
test_login_style (void)
{
  g_autoptr(UlTestPbxsim) sim = ul_test_pbxsim_start ("--demo", "--username",
                                                      UL_TEST_PBX_USERNAME, "--password",
                                                      UL_TEST_PBX_PASSWORD, NULL);
  g_autoptr(UlTestDaemon) daemon = ul_test_gateway_daemon_new ();
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *style = NULL;

  g_file_set_contents (daemon->config,
                       "[uplinkd]\n[http]\nhttps-port=-1\n"
                       "[pbx]\nlogin-style=session-login-info\nsession-duration=60\n",
                       -1, &error);
  g_assert_no_error (error);
  ul_test_daemon_start (daemon);
  ul_test_gateway_onboard (daemon, "standalone", sim->port, UL_TEST_PBX_PASSWORD);
  result = ul_test_gateway_connect (daemon, &error);
  g_assert_no_error (error);
  style = ul_test_pbxsim_status (sim, "last_login_style");
  g_assert_cmpstr (style, ==, "2");
  g_assert_cmpint (ul_test_daemon_stop (daemon), ==, 0);
}

/* Every licence in use: Connect's own probe monitor is refused. */
static void
test_connect_license_limit (void)
{
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autofree char *code = NULL;
  g_autofree char *monitors = NULL;

  g_free (ul_test_pbxsim_command (gw->sim, "set max-monitors %u", DEMO_USERS));
  result = ul_test_gateway_connect (gw->daemon, &error);
  g_assert_null (result);
  ul_test_assert_dbus_error (error, "PbxLicenseLimit", NULL);
  g_test_message ("Connect: %s", error->message);
  g_assert_nonnull (strstr (error->message, "licence"));
  g_clear_error (&error);

  /* The running link and its monitors are untouched. */
  code = ul_test_gateway_status (gw->daemon, NULL);
  g_assert_cmpstr (code, ==, BASELINE);
  g_assert_cmpuint (ul_test_gateway_count_monitors (gw->daemon, "active"), ==, DEMO_USERS);

  g_free (ul_test_pbxsim_command (gw->sim, "set max-monitors 0"));
  result = ul_test_gateway_connect (gw->daemon, &error);
  g_assert_no_error (error);
  ul_test_watch_wait_monitors (gw->watch, "active", DEMO_USERS);
  ul_test_watch_wait_status (gw->watch, BASELINE);
  monitors = ul_test_pbxsim_status (gw->sim, "monitors");
  g_assert_cmpstr (monitors, ==, "25");
}

/* Drops the link with @command and checks it comes back by itself with its monitors. */
static void
assert_drop_recovers (UlTestGateway *gw, const char *command, const char *expected_fault)
{
  guint logins = ul_test_pbxsim_status_uint (gw->sim, "logins");

  ul_test_watch_reset (gw->watch);
  g_free (ul_test_pbxsim_command (gw->sim, "%s", command));
  ul_test_watch_wait_saw_status (gw->watch, expected_fault);
  ul_test_watch_wait_status (gw->watch, BASELINE);
  ul_test_watch_wait_monitors (gw->watch, "active", DEMO_USERS);
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "logins"), >, logins);
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "sessions"), ==, 1);
}

static void
test_drop (void)
{
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (NULL);

  assert_drop_recovers (gw, "fault drop", "pbx-link-lost");
}

static gboolean
link_error_contains (UlTestWatch *watch, gconstpointer needle)
{
  g_autoptr(GVariant) link_error = ul_test_gateway_property (watch->daemon, "Pbx", "LinkError");

  return strstr (g_variant_get_string (link_error, NULL), needle) != NULL;
}

/* The PBX goes away for a while: the status says so as long as it lasts. */
static void
test_refused_after_connect (void)
{
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (NULL);
  g_autofree char *code = NULL;

  g_free (ul_test_pbxsim_command (gw->sim, "fault refuse on"));
  g_free (ul_test_pbxsim_command (gw->sim, "fault drop"));
  ul_test_watch_wait_status (gw->watch, "pbx-link-lost");
  /* The reconnect attempts (back-off 100–400 ms) are refused; the fault stays. */
  ul_test_watch_wait (gw->watch, link_error_contains, "refused the connection", UL_TEST_WAIT_MS,
                      "LinkError: refused");
  code = ul_test_gateway_status (gw->daemon, NULL);
  g_assert_cmpstr (code, ==, "pbx-link-lost");
  g_assert_cmpuint (ul_test_gateway_count_monitors (gw->daemon, "active"), ==, 0);
  {
    g_autofree char *state = ul_test_gateway_user_field (gw->daemon, "201", "callState");
    g_assert_cmpstr (state, ==, "unknown");
  }

  g_free (ul_test_pbxsim_command (gw->sim, "fault refuse off"));
  ul_test_watch_wait_status (gw->watch, BASELINE);
  ul_test_watch_wait_monitors (gw->watch, "active", DEMO_USERS);
}

static void
test_auth_failed (void)
{
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (NULL);
  g_autoptr(GVariant) params = NULL;
  g_autoptr(GVariant) link_error = NULL;
  g_autofree char *code = NULL;
  const char *message = NULL;

  g_free (ul_test_pbxsim_command (gw->sim, "fault wrong-credentials on"));
  g_free (ul_test_pbxsim_command (gw->sim, "fault drop"));
  ul_test_watch_wait_status (gw->watch, "pbx-auth-failed");
  code = ul_test_gateway_status (gw->daemon, &params);
  g_assert_cmpstr (code, ==, "pbx-auth-failed");
  g_assert_true (g_variant_lookup (params, "message", "&s", &message));
  g_assert_nonnull (strstr (message, UL_TEST_PBX_USERNAME));
  g_assert_null (strstr (message, UL_TEST_PBX_PASSWORD));
  link_error = ul_test_gateway_property (gw->daemon, "Pbx", "LinkError");
  g_assert_cmpstr (g_variant_get_string (link_error, NULL), ==, message);

  /* The gateway keeps trying (with back-off), so fixing the PBX side is enough. */
  g_free (ul_test_pbxsim_command (gw->sim, "fault wrong-credentials off"));
  ul_test_watch_wait_status (gw->watch, BASELINE);
  ul_test_watch_wait_monitors (gw->watch, "active", DEMO_USERS);
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "login_failures"), >=, 1);
}

typedef struct
{
  gboolean done;
  GError  *error;
} CallResult;

static void
on_call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CallResult *call = user_data;
  GVariant *reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                   &call->error);

  g_clear_pointer (&reply, g_variant_unref);
  call->done = TRUE;
}

static gboolean
calls_done (UlTestWatch *watch, gconstpointer data)
{
  const CallResult *calls = data;

  for (gsize i = 0; i < 3; i++)
    if (!calls[i].done)
      return FALSE;
  return TRUE;
}

/* The PBX stops answering: three requests time out, the link is declared dead (rule 12). */
static void
test_stall (void)
{
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (NULL);
  CallResult calls[3] = { { 0 } };

  g_free (ul_test_pbxsim_command (gw->sim, "fault stall on"));
  for (gsize i = 0; i < G_N_ELEMENTS (calls); i++)
    g_dbus_connection_call (gw->daemon->connection, "io.github.uplink.Gateway1",
                            "/io/github/uplink/Gateway1", "io.github.uplink.Gateway1.Pbx",
                            "MakeCall", g_variant_new ("(ss)", "201", "202"), NULL,
                            G_DBUS_CALL_FLAGS_NONE, 10000, NULL, on_call_done, &calls[i]);
  ul_test_watch_wait (gw->watch, calls_done, calls, UL_TEST_WAIT_MS, "3 MakeCall replies");
  for (gsize i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      ul_test_assert_dbus_error (calls[i].error, "TimedOut", NULL);
      g_clear_error (&calls[i].error);
    }
  ul_test_watch_wait_status (gw->watch, "pbx-link-lost");
  {
    g_autoptr(GVariant) link_error = ul_test_gateway_property (gw->daemon, "Pbx", "LinkError");
    g_test_message ("LinkError: %s", g_variant_get_string (link_error, NULL));
  }

  g_free (ul_test_pbxsim_command (gw->sim, "fault stall off"));
  ul_test_watch_wait_status (gw->watch, BASELINE);
  ul_test_watch_wait_monitors (gw->watch, "active", DEMO_USERS);
}

/* A MakeCall whose events all arrive, then the call is cleared. */
static void
assert_call_works (UlTestGateway *gw)
{
  g_autoptr(GVariant) call_id = NULL;

  ul_test_watch_reset (gw->watch);
  call_id = ul_test_daemon_call_ok (gw->daemon, "Pbx", "MakeCall",
                                    g_variant_new ("(ss)", "201", "202"));
  g_assert_cmpuint (strlen (g_variant_get_string (call_id, NULL)), >, 0);
  ul_test_watch_wait_call_state (gw->watch, "201", "busy");
  ul_test_watch_wait_call_state (gw->watch, "202", "ringing");
  ul_test_watch_wait_call_state (gw->watch, "202", "busy");
  g_assert_null (ul_test_daemon_call_ok (gw->daemon, "Pbx", "ClearConnection",
                                         g_variant_new ("(s)", "201")));
  ul_test_watch_wait_call_state (gw->watch, "201", "idle");
  ul_test_watch_wait_call_state (gw->watch, "202", "idle");
}

/* Frames cut into pieces or glued together change nothing (rules 1–2). */
static void
test_split_coalesce (void)
{
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (NULL);
  guint connections = ul_test_pbxsim_status_uint (gw->sim, "connections");
  g_autofree char *state = NULL;

  g_free (ul_test_pbxsim_command (gw->sim, "fault split on"));
  assert_call_works (gw);
  g_free (ul_test_pbxsim_command (gw->sim, "fault split off"));
  g_free (ul_test_pbxsim_command (gw->sim, "fault coalesce on"));
  assert_call_works (gw);
  g_free (ul_test_pbxsim_command (gw->sim, "fault coalesce off"));

  /* Same connection all along, and the status never moved. */
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "connections"), ==, connections);
  g_assert_false (ul_test_watch_saw_status (gw->watch, "pbx-link-lost"));
  state = ul_test_gateway_link_state (gw->daemon);
  g_assert_cmpstr (state, ==, "active");
}

/* A broken frame closes the connection (rules 2 and 20); the link comes back. */
static void
test_malformed (void)
{
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (NULL);
  const char *kinds[] = { "header", "length", "invoke", "xml" };

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *command = g_strdup_printf ("fault malformed %s", kinds[i]);
      g_autoptr(GVariant) link_error = NULL;

      assert_drop_recovers (gw, command, "pbx-link-lost");
      link_error = ul_test_gateway_property (gw->daemon, "Pbx", "LinkError");
      /* Cleared by the new session; what ended the old one went by in the status. */
      g_assert_cmpstr (g_variant_get_string (link_error, NULL), ==, "");
    }
  assert_call_works (gw);
}

/* An event nobody knows is ignored (rule 18): the link stays up. */
static void
test_unknown_event (void)
{
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (NULL);
  guint connections = ul_test_pbxsim_status_uint (gw->sim, "connections");

  ul_test_watch_reset (gw->watch);
  g_free (ul_test_pbxsim_command (gw->sim, "fault unknown-event"));
  /* The call's events travel behind the unknown one on the same connection. */
  assert_call_works (gw);
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "connections"), ==, connections);
  g_assert_cmpuint (gw->watch->statuses->len, ==, 0);
}

/* The PBX ends the session (rule 13): a new one starts with new monitors. */
static void
test_session_expiry (void)
{
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (NULL);

  assert_drop_recovers (gw, "fault session-expiry", "pbx-link-lost");
  assert_call_works (gw);
}

/* Fewer licences than users (rule 17): the status counts the unmonitored users, and the
 * gateway retries them by itself once licences are added. */
static void
test_license_limit (void)
{
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (NULL);
  g_autoptr(GVariant) params = NULL;
  g_autofree char *code = NULL;
  guint32 count = 0;

  g_free (ul_test_pbxsim_command (gw->sim, "set max-monitors 10"));
  g_free (ul_test_pbxsim_command (gw->sim, "fault drop"));
  ul_test_watch_wait_status (gw->watch, "pbx-license-limit");
  ul_test_watch_wait_monitors (gw->watch, "license-limit", DEMO_USERS - 10);
  code = ul_test_gateway_status (gw->daemon, &params);
  g_assert_cmpstr (code, ==, "pbx-license-limit");
  g_assert_true (g_variant_lookup (params, "count", "u", &count));
  g_assert_cmpuint (count, ==, DEMO_USERS - 10);
  g_assert_cmpuint (ul_test_gateway_count_monitors (gw->daemon, "active"), ==, 10);
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "monitors"), ==, 10);

  g_free (ul_test_pbxsim_command (gw->sim, "set max-monitors 100"));
  ul_test_watch_wait_status (gw->watch, BASELINE);
  ul_test_watch_wait_monitors (gw->watch, "active", DEMO_USERS);
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "monitors"), ==, DEMO_USERS);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ul_test_pbx_setenv ();

  g_test_add_func ("/uplink/pbx/link/connect-errors", test_connect_errors);
  g_test_add_func ("/uplink/pbx/link/login-style", test_login_style);
  g_test_add_func ("/uplink/pbx/link/connect-license-limit", test_connect_license_limit);
  g_test_add_func ("/uplink/pbx/link/drop", test_drop);
  g_test_add_func ("/uplink/pbx/link/refused-after-connect", test_refused_after_connect);
  g_test_add_func ("/uplink/pbx/link/auth-failed", test_auth_failed);
  g_test_add_func ("/uplink/pbx/link/stall", test_stall);
  g_test_add_func ("/uplink/pbx/link/split-coalesce", test_split_coalesce);
  g_test_add_func ("/uplink/pbx/link/malformed", test_malformed);
  g_test_add_func ("/uplink/pbx/link/unknown-event", test_unknown_event);
  g_test_add_func ("/uplink/pbx/link/session-expiry", test_session_expiry);
  g_test_add_func ("/uplink/pbx/link/license-limit", test_license_limit);
  return g_test_run ();
}
