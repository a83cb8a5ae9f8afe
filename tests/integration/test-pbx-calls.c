/* test-pbx-calls.c — call state and CTI of the built uplinkd against uplink-pbxsim.
 *
 * MakeCall, AnswerCall and ClearConnection over D-Bus reach the simulator, and the call
 * events it sends come back as CallStateChanged signals and as each user's callState
 * (csta.md rules 16, 18 and 24). */
#include "config.h"

#include <string.h>

#include "ul-test-gateway.h"

static void
assert_user (UlTestDaemon *daemon, const char *extension, const char *call_state)
{
  g_autofree char *state = ul_test_gateway_user_field (daemon, extension, "callState");
  g_autofree char *monitor = ul_test_gateway_user_field (daemon, extension, "monitorState");

  g_assert_cmpstr (state, ==, call_state);
  g_assert_cmpstr (monitor, ==, "active");
}

static void
cti (UlTestDaemon *daemon, const char *method, const char *extension)
{
  g_assert_null (ul_test_daemon_call_ok (daemon, "Pbx", method,
                                         g_variant_new ("(s)", extension)));
}

/* 201 calls 202, 202 answers by itself after the simulator's answer delay (300 ms). */
static void
test_make_call (void)
{
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (NULL);
  g_autoptr(GVariant) call_id = NULL;
  g_autofree char *calling = NULL;
  g_autofree char *called = NULL;

  ul_test_watch_reset (gw->watch);
  call_id = ul_test_daemon_call_ok (gw->daemon, "Pbx", "MakeCall",
                                    g_variant_new ("(ss)", "201", "202"));
  g_assert_cmpuint (strlen (g_variant_get_string (call_id, NULL)), >, 0);

  ul_test_watch_wait_call_state (gw->watch, "201", "busy");
  ul_test_watch_wait_call_state (gw->watch, "202", "ringing");
  ul_test_watch_wait_call_state (gw->watch, "202", "busy");
  assert_user (gw->daemon, "201", "busy");
  assert_user (gw->daemon, "202", "busy");
  assert_user (gw->daemon, "203", "idle");

  /* The simulator saw the call come from 201's CTI device. */
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "make_calls"), ==, 1);
  calling = ul_test_pbxsim_status (gw->sim, "last_make_call_calling");
  called = ul_test_pbxsim_status (gw->sim, "last_make_call_called");
  g_assert_cmpstr (calling, ==, "201");
  g_assert_cmpstr (called, ==, "202");
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "calls"), ==, 1);

  /* 202 hangs up; 201's side goes with it. */
  cti (gw->daemon, "ClearConnection", "202");
  ul_test_watch_wait_call_state (gw->watch, "202", "idle");
  ul_test_watch_wait_call_state (gw->watch, "201", "idle");
  assert_user (gw->daemon, "201", "idle");
  assert_user (gw->daemon, "202", "idle");
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "calls"), ==, 0);
}

/* An outside caller rings 203, who answers and hangs up through the gateway. */
static void
test_incoming (void)
{
  const char *args[] = { "--answer-delay", "-1", NULL };
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (args);
  g_autofree char *reply = NULL;

  ul_test_watch_reset (gw->watch);
  reply = ul_test_pbxsim_command (gw->sim, "call incoming 0441234567 203");
  g_assert_true (g_str_has_prefix (reply, "call="));
  ul_test_watch_wait_call_state (gw->watch, "203", "ringing");
  assert_user (gw->daemon, "203", "ringing");

  cti (gw->daemon, "AnswerCall", "203");
  ul_test_watch_wait_call_state (gw->watch, "203", "busy");
  assert_user (gw->daemon, "203", "busy");

  cti (gw->daemon, "ClearConnection", "203");
  ul_test_watch_wait_call_state (gw->watch, "203", "idle");
  assert_user (gw->daemon, "203", "idle");
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "calls"), ==, 0);

  /* Nothing else rang meanwhile. */
  for (guint i = 0; i < gw->watch->call_states->len; i++)
    g_assert_true (g_str_has_prefix (g_ptr_array_index (gw->watch->call_states, i), "203:"));
}

/* A call placed from the PBX side (the called party does not answer), held and
 * retrieved there: the gateway follows, and clears it through CTI. */
static void
test_hold_retrieve (void)
{
  const char *args[] = { "--answer-delay", "-1", NULL };
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (args);
  g_autoptr(GVariant) call_id = NULL;

  ul_test_watch_reset (gw->watch);
  call_id = ul_test_daemon_call_ok (gw->daemon, "Pbx", "MakeCall",
                                    g_variant_new ("(ss)", "204", "205"));
  ul_test_watch_wait_call_state (gw->watch, "205", "ringing");
  cti (gw->daemon, "AnswerCall", "205");
  ul_test_watch_wait_call_state (gw->watch, "205", "busy");

  g_free (ul_test_pbxsim_command (gw->sim, "call hold 204"));
  ul_test_watch_wait_call_state (gw->watch, "204", "held");
  assert_user (gw->daemon, "204", "held");
  ul_test_watch_reset (gw->watch);
  g_free (ul_test_pbxsim_command (gw->sim, "call retrieve 204"));
  ul_test_watch_wait_call_state (gw->watch, "204", "busy");
  assert_user (gw->daemon, "204", "busy");

  cti (gw->daemon, "ClearConnection", "204");
  ul_test_watch_wait_call_state (gw->watch, "204", "idle");
  ul_test_watch_wait_call_state (gw->watch, "205", "idle");
}

/* CTI refuses what cannot work, with the error a client can act on. */
static void
test_cti_errors (void)
{
  g_autoptr(UlTestGateway) gw = ul_test_gateway_new (NULL);
  struct
  {
    const char *method;
    const char *params;
    const char *error;
  } cases[] = {
    { "MakeCall", "('999', '202')", "NotFound" },
    { "MakeCall", "('201', '')", "InvalidArgument" },
    { "MakeCall", "('201', '20a')", "InvalidArgument" },
    { "AnswerCall", "('201',)", "WrongState" },
    { "ClearConnection", "('201',)", "WrongState" },
    { "AnswerCall", "('999',)", "NotFound" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = NULL;

      g_test_message ("%s%s", cases[i].method, cases[i].params);
      reply = ul_test_daemon_call (gw->daemon, "Pbx", cases[i].method,
                                   g_variant_new_parsed (cases[i].params), &error);
      g_assert_null (reply);
      ul_test_assert_dbus_error (error, cases[i].error, NULL);
    }
  g_assert_cmpuint (ul_test_pbxsim_status_uint (gw->sim, "make_calls"), ==, 0);

  /* Without a link CTI says so instead of hanging. */
  g_free (ul_test_pbxsim_command (gw->sim, "fault refuse on"));
  g_free (ul_test_pbxsim_command (gw->sim, "fault drop"));
  ul_test_watch_wait_status (gw->watch, "pbx-link-lost");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) reply = ul_test_daemon_call (gw->daemon, "Pbx", "MakeCall",
                                                     g_variant_new ("(ss)", "201", "202"),
                                                     &error);
    g_assert_null (reply);
    ul_test_assert_dbus_error (error, "PbxUnreachable", NULL);
  }
  g_free (ul_test_pbxsim_command (gw->sim, "fault refuse off"));
  ul_test_watch_wait_status (gw->watch, "overview");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ul_test_pbx_setenv ();

  g_test_add_func ("/uplink/pbx/calls/make-call", test_make_call);
  g_test_add_func ("/uplink/pbx/calls/incoming", test_incoming);
  g_test_add_func ("/uplink/pbx/calls/hold-retrieve", test_hold_retrieve);
  g_test_add_func ("/uplink/pbx/calls/cti-errors", test_cti_errors);
  return g_test_run ();
}
