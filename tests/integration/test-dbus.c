/* test-dbus.c — drive the built uplinkd over a private bus exactly as `gdbus call` would:
 * onboarding for both platform kinds, status progression, every error path leaving the
 * state unchanged, persistence across restarts, and process behaviour. */
#include "config.h"

#include "ul-test-daemon.h"

#define ONB "Onboarding"

static const char *customer_acme = UL_TEST_CUSTOMER_ACME;

static const char *site_standalone =
  "{'name': <'Zürich HQ'>, 'platform': <'standalone'>,"
  " 'ethernet': <{'method': <'static'>, 'address': <'192.168.10.20'>,"
  "               'netmask': <'255.255.255.0'>, 'gateway': <'192.168.10.1'>,"
  "               'dns': <['192.168.10.1', '9.9.9.9']>}>}";

static const char *pbx_mivo =
  "{'name': <'ACME-PBX'>, 'host': <'192.168.10.5'>, 'port': <7001>,"
  " 'username': <'cloudlink'>, 'password': <'s3cret-Passw0rd'>}";

static char *
status_code (UlTestDaemon *d)
{
  g_autoptr(GVariant) status = ul_test_daemon_get_property (d, "Status");
  char *code = NULL;

  g_assert_true (g_variant_lookup (status, "code", "s", &code));
  return code;
}

static void
assert_status (UlTestDaemon *d, const char *expected_code, const char *expected_severity)
{
  g_autoptr(GVariant) status = ul_test_daemon_get_property (d, "Status");
  const char *code = NULL, *severity = NULL, *help = NULL, *message = NULL;

  g_assert_true (g_variant_lookup (status, "code", "&s", &code));
  g_assert_true (g_variant_lookup (status, "severity", "&s", &severity));
  g_assert_true (g_variant_lookup (status, "helpId", "&s", &help));
  g_assert_true (g_variant_lookup (status, "message", "&s", &message));
  g_assert_cmpstr (code, ==, expected_code);
  g_assert_cmpstr (severity, ==, expected_severity);
  g_assert_true (g_str_has_prefix (help, "status-"));
  g_assert_cmpstr (help + strlen ("status-"), ==, expected_code);
  g_assert_cmpuint (strlen (message), >, 0);
}

static GVariant *
update (UlTestDaemon *d, const char *method, const char *dict)
{
  return ul_test_daemon_call_ok (d, ONB, method, g_variant_new ("(@a{sv})", ul_test_dict (dict)));
}

static void
test_standalone_onboarding (void)
{
  g_autoptr(UlTestDaemon) d = ul_test_daemon_new ();
  g_autoptr(GVariant) customer = NULL;
  g_autoptr(GVariant) site = NULL;
  g_autoptr(GVariant) pbx = NULL;
  g_autoptr(GVariant) advanced = NULL;
  g_autoptr(GVariant) account = NULL;
  g_autoptr(GVariant) address = NULL;
  const char *account_id = NULL, *city = NULL;
  gboolean password_set = FALSE;
  guint32 port = 0;

  ul_test_daemon_start (d);
  assert_status (d, "customer-required", "next-step");

  customer = update (d, "UpdateCustomer", customer_acme);
  g_assert_true (g_variant_lookup (customer, "accountId", "&s", &account_id));
  g_assert_cmpuint (strlen (account_id), ==, 10);
  for (const char *p = account_id; *p; p++)
    g_assert_true (g_ascii_isdigit (*p));
  account = ul_test_daemon_get_property (d, "AccountId");
  g_assert_cmpstr (g_variant_get_string (account, NULL), ==, account_id);
  assert_status (d, "site-required", "next-step");

  /* The site takes the customer's address when none is given (seed: populated by default). */
  site = update (d, "UpdateSite", site_standalone);
  address = g_variant_lookup_value (site, "address", G_VARIANT_TYPE_VARDICT);
  g_assert_nonnull (address);
  g_assert_true (g_variant_lookup (address, "city", "&s", &city));
  g_assert_cmpstr (city, ==, "Zürich");
  assert_status (d, "pbx-required", "next-step");

  pbx = update (d, "UpdatePbx", pbx_mivo);
  g_assert_null (g_variant_lookup_value (pbx, "password", NULL));
  g_assert_true (g_variant_lookup (pbx, "passwordSet", "b", &password_set));
  g_assert_true (password_set);
  g_assert_true (g_variant_lookup (pbx, "port", "u", &port));
  g_assert_cmpuint (port, ==, 7001);
  assert_status (d, "connect-required", "next-step");

  advanced = update (d, "UpdateAdvanced",
                     "{'inboundDigits': <'0'>, 'outboundDigits': <'*9#'>,"
                     " 'gsmCallThrough': <'+41441234567'>, 'updateDays': <['saturday', 'sunday']>,"
                     " 'updateWindowStart': <'02:00'>, 'updateWindowEnd': <'04:00'>}");
  g_assert_nonnull (advanced);

  /* The account ID never changes on later saves. */
  g_clear_pointer (&customer, g_variant_unref);
  customer = update (d, "UpdateCustomer", "{'name': <'ACME Präzision AG (Zürich)'>}");
  {
    const char *again = NULL;
    g_autoptr(GVariant) account_again = ul_test_daemon_get_property (d, "AccountId");
    g_assert_true (g_variant_lookup (customer, "accountId", "&s", &again));
    g_assert_cmpstr (again, ==, g_variant_get_string (account_again, NULL));
    g_assert_cmpuint (strlen (again), ==, 10);
  }

  /* Every change is in the audit log, newest first, with field names and no secrets. */
  {
    g_autoptr(GVariant) reply = ul_test_daemon_call (d, "", "GetAuditLog",
                                                     g_variant_new_parsed ("({'limit': <10>},)"),
                                                     NULL);
    g_autoptr(GVariant) entries = g_variant_get_child_value (reply, 0);
    g_autofree char *text = g_variant_print (entries, FALSE);
    g_autoptr(GVariant) newest = g_variant_get_child_value (entries, 0);
    guint32 total = 0;
    const char *action = NULL;

    g_variant_get_child (reply, 1, "u", &total);
    g_assert_cmpuint (total, ==, 5);
    g_assert_true (g_variant_lookup (newest, "action", "&s", &action));
    g_assert_cmpstr (action, ==, "update-customer");
    g_assert_nonnull (strstr (text, "update-pbx"));
    g_assert_nonnull (strstr (text, "password"));
    g_assert_null (strstr (text, "s3cret"));
  }

  g_assert_cmpint (ul_test_daemon_stop (d), ==, 0);
}

static void
test_smbc_onboarding (void)
{
  g_autoptr(UlTestDaemon) d = ul_test_daemon_new ();
  g_autoptr(GVariant) site = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  ul_test_daemon_start (d);
  g_variant_unref (update (d, "UpdateCustomer", customer_acme));

  /* The SMBC's embedded gateway has no ethernet settings of its own. */
  reply = ul_test_daemon_call (d, ONB, "UpdateSite",
                               g_variant_new ("(@a{sv})", ul_test_dict (
                                 "{'name': <'Main'>, 'platform': <'smbc'>,"
                                 " 'ethernet': <{'method': <'dhcp'>}>}")),
                               &error);
  g_assert_null (reply);
  ul_test_assert_dbus_error (error, "InvalidArgument", "ethernet");
  assert_status (d, "site-required", "next-step");

  site = update (d, "UpdateSite", "{'name': <'Main'>, 'platform': <'smbc'>}");
  g_assert_nonnull (site);
  assert_status (d, "sync-required", "next-step");
  g_assert_cmpint (ul_test_daemon_stop (d), ==, 0);
}

/* Snapshot of every record so that an error can be shown to have changed nothing. */
static char *
snapshot (UlTestDaemon *d)
{
  GString *out = g_string_new (NULL);
  const char *getters[] = { "GetCustomer", "GetSite", "GetPbx", "GetAdvanced" };

  for (gsize i = 0; i < G_N_ELEMENTS (getters); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = ul_test_daemon_call (d, ONB, getters[i], NULL, &error);
      g_autofree char *text = reply != NULL ? g_variant_print (reply, TRUE)
                                            : g_dbus_error_get_remote_error (error);
      g_string_append_printf (out, "%s=%s\n", getters[i], text);
    }
  {
    g_autoptr(GVariant) status = ul_test_daemon_get_property (d, "Status");
    g_autofree char *text = g_variant_print (status, TRUE);
    g_string_append_printf (out, "Status=%s\n", text);
  }
  return g_string_free (out, FALSE);
}

typedef struct
{
  const char *method;
  const char *params;       /* GVariant text of the whole parameter tuple */
  const char *error_name;
  const char *field;        /* NULL: no field expected */
} ErrorCase;

static void
run_error_cases (UlTestDaemon *d, const ErrorCase *cases, gsize n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *before = snapshot (d);
      g_autofree char *after = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) parse_error = NULL;
      g_autoptr(GVariant) params = NULL;
      g_autoptr(GVariant) reply = NULL;

      params = g_variant_parse (NULL, cases[i].params, NULL, NULL, &parse_error);
      g_assert_no_error (parse_error);
      g_test_message ("%s %s", cases[i].method, cases[i].params);
      reply = ul_test_daemon_call (d, ONB, cases[i].method, g_steal_pointer (&params), &error);
      g_assert_null (reply);
      ul_test_assert_dbus_error (error, cases[i].error_name, cases[i].field);

      after = snapshot (d);
      g_assert_cmpstr (after, ==, before);
    }
}

static void
test_errors_change_nothing (void)
{
  g_autoptr(UlTestDaemon) d = ul_test_daemon_new ();
  const ErrorCase before_customer[] = {
    { "GetCustomer", "()", "NotFound", NULL },
    { "AddAdminContact", "({'name': <'A'>, 'email': <'a@b.example'>},)", "WrongState", NULL },
    { "UpdateCustomer", "({'name': <'Only a name'>},)", "InvalidArgument", NULL },
  };
  const ErrorCase cases[] = {
    { "UpdateCustomer", "({'name': <''>},)", "InvalidArgument", "name" },
    { "UpdateCustomer", "({'name': <42>},)", "InvalidArgument", "name" },
    { "UpdateCustomer", "({'colour': <'blue'>},)", "InvalidArgument", "colour" },
    { "UpdateCustomer", "({'accountId': <'1234567890'>},)", "InvalidArgument", "accountId" },
    { "UpdateCustomer", "({'businessType': <'pirate'>},)", "InvalidArgument", "businessType" },
    { "UpdateCustomer", "({'address': <{'country': <'XX'>}>},)", "InvalidArgument",
      "address.country" },
    { "UpdateCustomer",
      "({'supportContacts': <[{'role': <'maintainer'>, 'name': <'M'>, 'email': <'m@x.example'>}]>},)",
      "InvalidArgument", "supportContacts" },
    { "AddAdminContact", "({'name': <'Bad'>, 'email': <'not an email'>},)", "InvalidArgument",
      "email" },
    { "AddAdminContact", "({'name': <'Dup'>, 'email': <'JUERGEN.MUELLER@acme.example'>},)",
      "InvalidArgument", NULL },
    { "RemoveAdminContact", "('juergen.mueller@acme.example', {'confirm': <'delete'>})",
      "ConfirmationRequired", "confirm" },
    { "RemoveAdminContact", "('juergen.mueller@acme.example', @a{sv} {})",
      "ConfirmationRequired", "confirm" },
    { "RemoveAdminContact", "('nobody@acme.example', {'confirm': <'remove'>})", "NotFound",
      "email" },
    { "RemoveSupportContact", "('maintainer', 'support@partner.example')", "InvalidArgument",
      "supportContacts" },
    { "RemoveSupportContact", "('janitor', 'support@partner.example')", "InvalidArgument",
      "role" },
    { "AddSupportContact", "({'role': <'boss'>, 'name': <'B'>, 'email': <'b@x.example'>},)",
      "InvalidArgument", "role" },
    { "UpdateSite", "({'name': <'S'>, 'platform': <'standalone'>,"
      " 'ethernet': <{'method': <'static'>, 'address': <'192.168.10.20'>,"
      " 'netmask': <'255.255.255.0'>, 'gateway': <'192.168.11.1'>, 'dns': <['192.168.10.1']>}>},)",
      "InvalidArgument", "ethernet.gateway" },
    { "UpdateSite", "({'name': <'S'>, 'platform': <'standalone'>,"
      " 'ethernet': <{'method': <'static'>, 'address': <'192.168.10.20'>,"
      " 'netmask': <'255.0.255.0'>, 'gateway': <'192.168.10.1'>, 'dns': <['192.168.10.1']>}>},)",
      "InvalidArgument", "ethernet.netmask" },
    { "UpdateSite", "({'name': <'S'>, 'platform': <'mainframe'>},)", "InvalidArgument",
      "platform" },
    { "UpdatePbx", "({'name': <'P'>, 'host': <'pbx.example'>, 'port': <0>,"
      " 'username': <'u'>, 'password': <'p'>},)", "InvalidArgument", "port" },
    { "UpdatePbx", "({'name': <'P'>, 'host': <'pbx.example'>, 'port': <65536>,"
      " 'username': <'u'>, 'password': <'p'>},)", "InvalidArgument", "port" },
    { "UpdatePbx", "({'name': <'P'>, 'host': <'bad host!'>,"
      " 'username': <'u'>, 'password': <'p'>},)", "InvalidArgument", "host" },
    { "UpdatePbx", "({'name': <'P'>, 'host': <'10.0.0.2'>,"
      " 'username': <'abcdefghijklmnopqrstuvwxyz'>, 'password': <'p'>},)", "InvalidArgument",
      "username" },
    { "UpdatePbx", "({'password': <''>},)", "InvalidArgument", "password" },
    { "UpdateAdvanced", "({'gsmCallThrough': <'0441234567'>},)", "InvalidArgument",
      "gsmCallThrough" },
    { "UpdateAdvanced", "({'inboundDigits': <'12a'>},)", "InvalidArgument", "inboundDigits" },
    { "UpdateAdvanced", "({'updateWindowStart': <'25:00'>},)", "InvalidArgument",
      "updateWindowStart" },
    { "Deactivate", "({'confirm': <'Deactivate!'>},)", "ConfirmationRequired", "confirm" },
  };
  const ErrorCase after_deactivation[] = {
    { "UpdateCustomer", "({'name': <'Renamed'>},)", "WrongState", NULL },
    { "UpdateSite", "({'name': <'Renamed'>},)", "WrongState", NULL },
    { "UpdatePbx", "({'name': <'Renamed'>},)", "WrongState", NULL },
    { "UpdateAdvanced", "({'inboundDigits': <'1'>},)", "WrongState", NULL },
    { "AddAdminContact", "({'name': <'A'>, 'email': <'a@b.example'>},)", "WrongState", NULL },
  };

  ul_test_daemon_start (d);
  run_error_cases (d, before_customer, G_N_ELEMENTS (before_customer));

  g_variant_unref (update (d, "UpdateCustomer", customer_acme));
  g_variant_unref (update (d, "UpdateSite", site_standalone));
  g_variant_unref (update (d, "UpdatePbx", pbx_mivo));
  run_error_cases (d, cases, G_N_ELEMENTS (cases));
  {
    /* Seed: the password is at most 255 characters; 255 is fine, 256 is not. */
    g_autofree char *p255 = g_strnfill (255, 'x');
    g_autofree char *p256 = g_strnfill (256, 'x');
    g_autofree char *ok = g_strdup_printf ("{'password': <'%s'>}", p255);
    g_autofree char *bad = g_strdup_printf ("({'password': <'%s'>},)", p256);
    const ErrorCase too_long[] = { { "UpdatePbx", bad, "InvalidArgument", "password" } };

    run_error_cases (d, too_long, G_N_ELEMENTS (too_long));
    g_variant_unref (update (d, "UpdatePbx", ok));
  }

  /* The happy paths of the same verbs, for contrast. */
  g_variant_unref (update (d, "AddAdminContact",
                           "{'name': <'Søren Kierkegaard'>, 'email': <'soren@acme.example'>}"));
  g_variant_unref (ul_test_daemon_call_ok (
    d, ONB, "RemoveAdminContact",
    g_variant_new_parsed ("('soren@acme.example', {'confirm': <'remove'>})")));
  g_variant_unref (update (d, "AddSupportContact",
                           "{'role': <'maintainer'>, 'name': <'Backup'>,"
                           " 'email': <'backup@partner.example'>}"));
  g_variant_unref (ul_test_daemon_call_ok (
    d, ONB, "RemoveSupportContact",
    g_variant_new_parsed ("('maintainer', 'support@partner.example')")));

  g_assert_null (ul_test_daemon_call_ok (d, ONB, "Deactivate",
                                         g_variant_new_parsed ("({'confirm': <'deactivate'>},)")));
  assert_status (d, "deactivated", "error");
  run_error_cases (d, after_deactivation, G_N_ELEMENTS (after_deactivation));
  g_assert_cmpint (ul_test_daemon_stop (d), ==, 0);
}

static void
test_persistence (void)
{
  g_autoptr(UlTestDaemon) d = ul_test_daemon_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  ul_test_daemon_start (d);
  g_variant_unref (update (d, "UpdateCustomer", customer_acme));
  g_variant_unref (update (d, "UpdateSite", site_standalone));
  g_variant_unref (update (d, "UpdatePbx", pbx_mivo));
  g_variant_unref (update (d, "UpdateAdvanced", "{'outboundDigits': <'#0'>}"));
  before = snapshot (d);
  g_assert_cmpint (ul_test_daemon_stop (d), ==, 0);

  ul_test_daemon_start (d);
  after = snapshot (d);
  g_assert_cmpstr (after, ==, before);
  {
    g_autofree char *code = status_code (d);
    g_assert_cmpstr (code, ==, "connect-required");
  }
  /* The password survived too: a PBX update without it still validates. */
  g_variant_unref (update (d, "UpdatePbx", "{'name': <'Renamed PBX'>}"));
  ul_test_daemon_kill (d);
}

typedef struct
{
  GPtrArray *seen;
  gboolean   done;
} SignalLog;

static gboolean
seen_contains (GPtrArray *seen, const char *what)
{
  return g_ptr_array_find_with_equal_func (seen, what, g_str_equal, NULL);
}

static void
on_signal (GDBusConnection *connection,
           const char      *sender,
           const char      *path,
           const char      *interface,
           const char      *member,
           GVariant        *params,
           gpointer         user_data)
{
  SignalLog *log = user_data;

  if (g_strcmp0 (member, "Changed") == 0)
    {
      const char *section = NULL;
      g_variant_get (params, "(&s)", &section);
      g_ptr_array_add (log->seen, g_strdup_printf ("Changed:%s", section));
    }
  else if (g_strcmp0 (member, "PropertiesChanged") == 0)
    {
      g_autoptr(GVariant) changed = g_variant_get_child_value (params, 1);
      g_autoptr(GVariant) status = g_variant_lookup_value (changed, "Status", NULL);
      const char *code = NULL;

      if (status != NULL && g_variant_lookup (status, "code", "&s", &code))
        g_ptr_array_add (log->seen, g_strdup_printf ("Status:%s", code));
    }
  log->done = seen_contains (log->seen, "Changed:customer")
              && seen_contains (log->seen, "Status:site-required");
}

static void
test_signals (void)
{
  g_autoptr(UlTestDaemon) d = ul_test_daemon_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  SignalLog log = { seen, FALSE };
  guint sub;

  ul_test_daemon_start (d);
  sub = g_dbus_connection_signal_subscribe (d->connection, "io.github.uplink.Gateway1", NULL,
                                            NULL, "/io/github/uplink/Gateway1", NULL,
                                            G_DBUS_SIGNAL_FLAGS_NONE, on_signal, &log, NULL);
  g_variant_unref (update (d, "UpdateCustomer", customer_acme));
  ul_test_wait_until (&log.done, 10000);
  g_dbus_connection_signal_unsubscribe (d->connection, sub);
  ul_test_daemon_kill (d);
}

static void
test_second_instance (void)
{
  g_autoptr(UlTestDaemon) d = ul_test_daemon_new ();
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err_text = NULL;

  ul_test_daemon_start (d);
  second = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE, &error, g_getenv ("UL_UPLINKD"),
                             "--session", "--data-dir", d->data_dir, "--config", d->config,
                             NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (second, NULL, NULL, NULL, &err_text, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), !=, 0);
  g_assert_nonnull (strstr (err_text, "already using the data directory"));
  /* The first instance is unaffected. */
  assert_status (d, "customer-required", "next-step");
  g_assert_cmpint (ul_test_daemon_stop (d), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/dbus/standalone-onboarding", test_standalone_onboarding);
  g_test_add_func ("/uplink/dbus/smbc-onboarding", test_smbc_onboarding);
  g_test_add_func ("/uplink/dbus/errors-change-nothing", test_errors_change_nothing);
  g_test_add_func ("/uplink/dbus/persistence", test_persistence);
  g_test_add_func ("/uplink/dbus/signals", test_signals);
  g_test_add_func ("/uplink/dbus/second-instance", test_second_instance);

  return g_test_run ();
}
