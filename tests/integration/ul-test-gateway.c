/* ul-test-gateway.c — an uplinkd onboarded against uplink-pbxsim, and waits on its state. */
#include "config.h"

#include <string.h>

#include "ul-test-gateway.h"

#define BUS_NAME    "io.github.uplink.Gateway1"
#define OBJECT_PATH "/io/github/uplink/Gateway1"
#define POLL_MS     50
#define DEMO_USERS  25

void
ul_test_pbx_setenv (void)
{
  /* Fast enough that recovery tests take seconds, slow enough that a loaded CI machine
   * running the ASan build does not time out requests that would have been answered. */
  g_setenv ("UL_PBX_BACKOFF_MS", "100", TRUE);
  g_setenv ("UL_PBX_BACKOFF_MAX_MS", "400", TRUE);
  g_setenv ("UL_PBX_REQUEST_TIMEOUT_MS", "1500", TRUE);
  g_setenv ("UL_PBX_CONNECT_TIMEOUT_MS", "1000", TRUE);
  g_setenv ("UL_PBX_MONITOR_RETRY_S", "1", TRUE);
}

UlTestDaemon *
ul_test_gateway_daemon_new (void)
{
  UlTestDaemon *daemon = ul_test_daemon_new ();
  g_autoptr(GError) error = NULL;

  g_file_set_contents (daemon->config, "[uplinkd]\n[http]\nhttps-port=-1\n", -1, &error);
  g_assert_no_error (error);
  return daemon;
}

/* Watch */

static void
on_signal (GDBusConnection *connection,
           const char      *sender,
           const char      *path,
           const char      *interface,
           const char      *member,
           GVariant        *params,
           gpointer         user_data)
{
  UlTestWatch *self = user_data;

  if (g_strcmp0 (member, "PropertiesChanged") == 0)
    {
      g_autoptr(GVariant) changed = g_variant_get_child_value (params, 1);
      g_autoptr(GVariant) status = g_variant_lookup_value (changed, "Status",
                                                           G_VARIANT_TYPE_VARDICT);
      const char *code = NULL;

      if (status != NULL && g_variant_lookup (status, "code", "&s", &code))
        {
          g_test_message ("status → %s", code);
          g_ptr_array_add (self->statuses, g_strdup (code));
        }
    }
  else if (g_strcmp0 (member, "CallStateChanged") == 0)
    {
      const char *extension = NULL, *state = NULL;

      g_variant_get (params, "(&s&s)", &extension, &state);
      g_ptr_array_add (self->call_states, g_strdup_printf ("%s:%s", extension, state));
    }
}

UlTestWatch *
ul_test_watch_new (UlTestDaemon *daemon)
{
  UlTestWatch *self = g_new0 (UlTestWatch, 1);

  self->daemon = daemon;
  self->statuses = g_ptr_array_new_with_free_func (g_free);
  self->call_states = g_ptr_array_new_with_free_func (g_free);
  /* Any sender: the bus is private, and the subscription outlives uplinkd restarts. */
  self->subscription = g_dbus_connection_signal_subscribe (daemon->connection, NULL, NULL, NULL,
                                                           OBJECT_PATH, NULL,
                                                           G_DBUS_SIGNAL_FLAGS_NONE, on_signal,
                                                           self, NULL);
  return self;
}

void
ul_test_watch_free (UlTestWatch *self)
{
  if (self == NULL)
    return;
  g_dbus_connection_signal_unsubscribe (self->daemon->connection, self->subscription);
  g_ptr_array_unref (self->statuses);
  g_ptr_array_unref (self->call_states);
  g_free (self);
}

void
ul_test_watch_reset (UlTestWatch *self)
{
  /* Deliver what is already queued first, so that it does not count as new. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_ptr_array_set_size (self->statuses, 0);
  g_ptr_array_set_size (self->call_states, 0);
}

gboolean
ul_test_watch_saw_status (UlTestWatch *self, const char *code)
{
  return g_ptr_array_find_with_equal_func (self->statuses, code, g_str_equal, NULL);
}

gboolean
ul_test_watch_saw_call_state (UlTestWatch *self, const char *extension, const char *state)
{
  g_autofree char *entry = g_strdup_printf ("%s:%s", extension, state);

  return g_ptr_array_find_with_equal_func (self->call_states, entry, g_str_equal, NULL);
}

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
ul_test_watch_wait (UlTestWatch    *self,
                    UlTestCondition condition,
                    gconstpointer   data,
                    guint           timeout_ms,
                    const char     *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (POLL_MS, on_tick, NULL);

  while (!condition (self, data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("waited %u ms for %s in vain", timeout_ms, what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

static gboolean
status_is (UlTestWatch *self, gconstpointer data)
{
  g_autofree char *code = ul_test_gateway_status (self->daemon, NULL);

  return g_strcmp0 (code, data) == 0;
}

void
ul_test_watch_wait_status (UlTestWatch *self, const char *code)
{
  g_autofree char *what = g_strdup_printf ("status %s", code);

  ul_test_watch_wait (self, status_is, code, UL_TEST_WAIT_MS, what);
}

static gboolean
saw_status (UlTestWatch *self, gconstpointer data)
{
  return ul_test_watch_saw_status (self, data);
}

void
ul_test_watch_wait_saw_status (UlTestWatch *self, const char *code)
{
  g_autofree char *what = g_strdup_printf ("status %s announced", code);

  ul_test_watch_wait (self, saw_status, code, UL_TEST_WAIT_MS, what);
}

static gboolean
link_state_is (UlTestWatch *self, gconstpointer data)
{
  g_autofree char *state = ul_test_gateway_link_state (self->daemon);

  return g_strcmp0 (state, data) == 0;
}

void
ul_test_watch_wait_link_state (UlTestWatch *self, const char *state)
{
  g_autofree char *what = g_strdup_printf ("link state %s", state);

  ul_test_watch_wait (self, link_state_is, state, UL_TEST_WAIT_MS, what);
}

static gboolean
saw_call_state (UlTestWatch *self, gconstpointer data)
{
  return g_ptr_array_find_with_equal_func (self->call_states, data, g_str_equal, NULL);
}

void
ul_test_watch_wait_call_state (UlTestWatch *self, const char *extension, const char *state)
{
  g_autofree char *entry = g_strdup_printf ("%s:%s", extension, state);
  g_autofree char *what = g_strdup_printf ("CallStateChanged %s", entry);

  ul_test_watch_wait (self, saw_call_state, entry, UL_TEST_WAIT_MS, what);
}

typedef struct
{
  const char *state;
  guint       count;
} MonitorCount;

static gboolean
monitors_are (UlTestWatch *self, gconstpointer data)
{
  const MonitorCount *expected = data;

  return ul_test_gateway_count_monitors (self->daemon, expected->state) == expected->count;
}

void
ul_test_watch_wait_monitors (UlTestWatch *self, const char *state, guint count)
{
  MonitorCount expected = { state, count };
  g_autofree char *what = g_strdup_printf ("%u monitors %s", count, state);

  ul_test_watch_wait (self, monitors_are, &expected, UL_TEST_WAIT_MS, what);
}

/* Reading the gateway */

GVariant *
ul_test_gateway_property (UlTestDaemon *daemon, const char *interface_suffix, const char *name)
{
  g_autofree char *interface = *interface_suffix != '\0'
                                 ? g_strconcat (BUS_NAME ".", interface_suffix, NULL)
                                 : g_strdup (BUS_NAME);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariant *value = NULL;

  reply = g_dbus_connection_call_sync (daemon->connection, BUS_NAME, OBJECT_PATH,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", interface, name),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 10000,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return value;
}

char *
ul_test_gateway_status (UlTestDaemon *daemon, GVariant **params)
{
  g_autoptr(GVariant) status = ul_test_gateway_property (daemon, "", "Status");
  char *code = NULL;

  g_assert_true (g_variant_lookup (status, "code", "s", &code));
  if (params != NULL)
    *params = g_variant_lookup_value (status, "params", G_VARIANT_TYPE_VARDICT);
  return code;
}

char *
ul_test_gateway_link_state (UlTestDaemon *daemon)
{
  g_autoptr(GVariant) state = ul_test_gateway_property (daemon, "Pbx", "LinkState");

  return g_variant_dup_string (state, NULL);
}

guint
ul_test_gateway_count_monitors (UlTestDaemon *daemon, const char *state)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) users = NULL;
  GVariantIter iter;
  GVariant *user;
  guint n = 0;

  reply = ul_test_daemon_call (daemon, "Users", "ListUsers",
                               g_variant_new_parsed ("({'limit': <@u 1000>},)"), NULL);
  g_assert_nonnull (reply);
  users = g_variant_get_child_value (reply, 0);
  g_variant_iter_init (&iter, users);
  while ((user = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *monitor = NULL;

      g_assert_true (g_variant_lookup (user, "monitorState", "&s", &monitor));
      n += g_strcmp0 (monitor, state) == 0;
      g_variant_unref (user);
    }
  return n;
}

char *
ul_test_gateway_user_field (UlTestDaemon *daemon, const char *extension, const char *key)
{
  g_autoptr(GVariant) user = ul_test_daemon_call_ok (daemon, "Users", "GetUser",
                                                     g_variant_new ("(s)", extension));
  char *value = NULL;

  g_assert_true (g_variant_lookup (user, key, "s", &value));
  return value;
}

/* Onboarding */

static const char customer[] =
  "{'name': <'ACME Präzision AG'>,"
  " 'address': <{'street': <'Bahnhofstrasse 1'>, 'city': <'Zürich'>,"
  "              'postalCode': <'8001'>, 'country': <'CH'>}>,"
  " 'businessType': <'manufacturing'>, 'language': <'de'>,"
  " 'adminContacts': <[{'name': <'Jürgen Müller'>, 'email': <'juergen@acme.example'>}]>,"
  " 'supportContacts': <[{'role': <'maintainer'>, 'name': <'Partner Tech'>,"
  "                       'email': <'tech@partner.example'>},"
  "                      {'role': <'onsiteAdmin'>, 'name': <'Zoë Ångström'>,"
  "                       'email': <'zoe@acme.example'>}]>}";

static void
update (UlTestDaemon *daemon, const char *interface_suffix, const char *method, GVariant *dict)
{
  g_autoptr(GVariant) reply = ul_test_daemon_call_ok (daemon, interface_suffix, method,
                                                      g_variant_new ("(@a{sv})", dict));

  g_assert_nonnull (reply);
}

void
ul_test_gateway_onboard (UlTestDaemon *daemon,
                         const char   *platform,
                         guint16       pbx_port,
                         const char   *password)
{
  g_autofree char *site = NULL;
  g_autofree char *pbx = NULL;

  update (daemon, "Onboarding", "UpdateCustomer", ul_test_dict (customer));
  if (g_str_equal (platform, "smbc"))
    site = g_strdup ("{'name': <'Zürich HQ'>, 'platform': <'smbc'>}");
  else
    site = g_strdup_printf ("{'name': <'Zürich HQ'>, 'platform': <'%s'>,"
                            " 'ethernet': <{'method': <'dhcp'>}>}", platform);
  update (daemon, "Onboarding", "UpdateSite", ul_test_dict (site));
  if (g_str_equal (platform, "smbc"))
    return;

  pbx = g_strdup_printf ("{'name': <'ACME-PBX'>, 'host': <'127.0.0.1'>, 'port': <@u %u>,"
                         " 'username': <'" UL_TEST_PBX_USERNAME "'>, 'password': <'%s'>}",
                         pbx_port, password);
  update (daemon, "Onboarding", "UpdatePbx", ul_test_dict (pbx));
}

void
ul_test_gateway_use_csv (UlTestDaemon *daemon, const char *path)
{
  update (daemon, "Pbx", "UpdateDirectory",
          g_variant_new_parsed ("{'kind': <'csv'>, 'csv': <{'path': <%s>}>}", path));
}

GVariant *
ul_test_gateway_connect (UlTestDaemon *daemon, GError **error)
{
  g_autoptr(GVariant) reply = ul_test_daemon_call (daemon, "Pbx", "Connect",
                                                   g_variant_new_parsed ("(@a{sv} {},)"), error);

  return reply != NULL ? g_variant_get_child_value (reply, 0) : NULL;
}

UlTestGateway *
ul_test_gateway_new (const char * const *sim_args)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GError) error = NULL;
  UlTestGateway *self = g_new0 (UlTestGateway, 1);
  const char *message = NULL;

  g_ptr_array_add (args, "--demo");
  g_ptr_array_add (args, "--username");
  g_ptr_array_add (args, UL_TEST_PBX_USERNAME);
  g_ptr_array_add (args, "--password");
  g_ptr_array_add (args, UL_TEST_PBX_PASSWORD);
  for (gsize i = 0; sim_args != NULL && sim_args[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) sim_args[i]);
  g_ptr_array_add (args, NULL);
  self->sim = ul_test_pbxsim_startv ((const char * const *) args->pdata);
  self->csv = ul_test_pbxsim_export (self->sim, "users.csv", NULL);

  self->daemon = ul_test_gateway_daemon_new ();
  self->watch = ul_test_watch_new (self->daemon);
  ul_test_daemon_start (self->daemon);
  ul_test_gateway_onboard (self->daemon, "standalone", self->sim->port, UL_TEST_PBX_PASSWORD);
  ul_test_gateway_use_csv (self->daemon, self->csv);

  result = ul_test_gateway_connect (self->daemon, &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_lookup (result, "message", "&s", &message));
  g_assert_cmpstr (message, ==, "Connection successful");

  /* Connect syncs the directory (some demo users cannot get a deployment e-mail, which
   * does not hold back Overview); then every user gets a monitor. */
  ul_test_watch_wait_status (self->watch, "overview");
  ul_test_watch_wait_link_state (self->watch, "active");
  ul_test_watch_wait_monitors (self->watch, "active", DEMO_USERS);
  return self;
}

void
ul_test_gateway_free (UlTestGateway *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->watch, ul_test_watch_free);
  if (self->daemon->process != NULL)
    g_assert_cmpint (ul_test_daemon_stop (self->daemon), ==, 0);
  g_clear_pointer (&self->daemon, ul_test_daemon_free);
  g_clear_pointer (&self->sim, ul_test_pbxsim_stop);
  g_free (self->csv);
  g_free (self);
}
