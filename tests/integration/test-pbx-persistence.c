/* test-pbx-persistence.c — after a restart, uplinkd comes back with its users, its
 * Connect state and the PBX link, without a new Connect; and a PBX that is away at start
 * shows as pbx-unreachable until it is back. */
#include "config.h"

#include <string.h>

#include "ul-test-gateway.h"

#define DEMO_USERS 25

static gboolean
no_sessions (UlTestWatch *watch, gconstpointer data)
{
  UlTestPbxsim *sim = (UlTestPbxsim *) data;

  return ul_test_pbxsim_status_uint (sim, "sessions") == 0;
}

/* The users as ListUsers gives them, without the live fields. */
static char *
users_snapshot (UlTestDaemon *daemon)
{
  g_autoptr(GVariant) reply = ul_test_daemon_call (daemon, "Users", "ListUsers",
                                                   g_variant_new_parsed ("({'limit': <@u 1000>},)"),
                                                   NULL);
  g_autoptr(GVariant) users = NULL;
  GString *out = g_string_new (NULL);
  GVariantIter iter;
  GVariant *user;

  g_assert_nonnull (reply);
  users = g_variant_get_child_value (reply, 0);
  g_variant_iter_init (&iter, users);
  while ((user = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *extension = NULL, *name = NULL, *email = "";
      gboolean eligible = FALSE;

      g_assert_true (g_variant_lookup (user, "extension", "&s", &extension));
      g_assert_true (g_variant_lookup (user, "name", "&s", &name));
      g_variant_lookup (user, "email", "&s", &email);   /* absent when there is none */
      g_assert_true (g_variant_lookup (user, "eligible", "b", &eligible));
      g_string_append_printf (out, "%s|%s|%s|%d\n", extension, name, email, eligible);
      g_variant_unref (user);
    }
  return g_string_free (out, FALSE);
}

static void
stop_gateway (UlTestGateway *gw)
{
  /* SIGTERM ends the CSTA session politely (rule 14) before uplinkd exits. */
  g_assert_cmpint (ul_test_daemon_stop (gw->daemon), ==, 0);
  ul_test_watch_wait (gw->watch, no_sessions, gw->sim, UL_TEST_WAIT_MS, "no CSTA session");
}

static void
test_restart (void)
{
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (NULL);
  g_autofree char *before = users_snapshot (gw->daemon);
  g_autofree char *after = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GVariant) pbx = NULL;
  g_autoptr(GVariant) call_id = NULL;
  guint logins = ul_test_pbxsim_status_uint (gw->sim, "logins");
  gboolean password_set = FALSE;

  stop_gateway (gw);
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "monitors"), ==, 0);

  ul_test_daemon_start (gw->daemon);
  /* Everything comes back by itself: no Connect, no Sync. */
  ul_test_watch_wait_link_state (gw->watch, "active");
  ul_test_watch_wait_monitors (gw->watch, "active", DEMO_USERS);
  code = ul_test_gateway_status (gw->daemon, NULL);
  g_assert_cmpstr (code, ==, "overview");
  after = users_snapshot (gw->daemon);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "logins"), ==, logins + 1);
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "sessions"), ==, 1);
  pbx = ul_test_daemon_call_ok (gw->daemon, "Onboarding", "GetPbx", NULL);
  g_assert_true (g_variant_lookup (pbx, "passwordSet", "b", &password_set));
  g_assert_true (password_set);

  /* And CTI works on the restored link. */
  ul_test_watch_reset (gw->watch);
  call_id = ul_test_daemon_call_ok (gw->daemon, "Pbx", "MakeCall",
                                    g_variant_new ("(ss)", "210", "211"));
  ul_test_watch_wait_call_state (gw->watch, "211", "ringing");
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "make_calls"), ==, 1);
}

/* The PBX is away when uplinkd starts: never reached in this run, so pbx-unreachable. */
static void
test_restart_unreachable (void)
{
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (NULL);
  g_autoptr(GVariant) params = NULL;
  g_autofree char *code = NULL;
  const char *message = NULL;

  stop_gateway (gw);
  g_free (ul_test_pbxsim_command (gw->sim, "fault refuse on"));
  ul_test_daemon_start (gw->daemon);
  ul_test_watch_wait_status (gw->watch, "pbx-unreachable");
  code = ul_test_gateway_status (gw->daemon, &params);
  g_assert_true (g_variant_lookup (params, "message", "&s", &message));
  g_test_message ("pbx-unreachable: %s", message);
  g_assert_nonnull (strstr (message, "CSTA service"));
  /* The users are still there, just not monitored. */
  g_assert_cmpuint (ul_test_gateway_count_monitors (gw->daemon, "none"), ==, DEMO_USERS);

  g_free (ul_test_pbxsim_command (gw->sim, "fault refuse off"));
  ul_test_watch_wait_status (gw->watch, "overview");
  ul_test_watch_wait_monitors (gw->watch, "active", DEMO_USERS);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ul_test_pbx_setenv ();

  g_test_add_func ("/uplink/pbx/persistence/restart", test_restart);
  g_test_add_func ("/uplink/pbx/persistence/restart-unreachable", test_restart_unreachable);
  return g_test_run ();
}
