/* test-pbx-directory.c — the directory sync of the built uplinkd, over D-Bus.
 *
 * The users come from uplink-pbxsim's directory: its CSV export, and its LDIF export
 * loaded into a real slapd (Debian's, on loopback). The Sync step of an SMBC reports what
 * it added, changed (names included) and removed, and who cannot receive deployment
 * mails; a directory that cannot be read shows as directory-failed until it can. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "ul-test-gateway.h"
#include "ul-test-slapd.h"

#define DEMO_USERS 25

/* The demo company: 218, 223 and 225 have no e-mail; 221 and 222 share one mailbox. */
static const struct
{
  const char *extension;
  const char *reason;
} demo_ineligible[] = {
  { "218", "no-email" },
  { "221", "duplicate-email" },
  { "222", "duplicate-email" },
  { "223", "no-email" },
  { "225", "no-email" },
};

typedef struct
{
  UlTestPbxsim *sim;
  UlTestDaemon *daemon;
  UlTestWatch  *watch;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->sim = ul_test_pbxsim_start ("--demo", NULL);
  f->daemon = ul_test_gateway_daemon_new ();
  f->watch = ul_test_watch_new (f->daemon);
  ul_test_daemon_start (f->daemon);
  ul_test_gateway_onboard (f->daemon, "smbc", 0, NULL);
  {
    g_autofree char *code = ul_test_gateway_status (f->daemon, NULL);
    g_assert_cmpstr (code, ==, "sync-required");
  }
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->watch, ul_test_watch_free);
  g_assert_cmpint (ul_test_daemon_stop (f->daemon), ==, 0);
  g_clear_pointer (&f->daemon, ul_test_daemon_free);
  g_clear_pointer (&f->sim, ul_test_pbxsim_stop);
}

static GVariant *
sync_ok (UlTestDaemon *daemon)
{
  g_autoptr(GVariant) report = ul_test_daemon_call_ok (daemon, "Pbx", "Sync",
                                                       g_variant_new_parsed ("(@a{sv} {},)"));
  const char *message = NULL;

  g_assert_true (g_variant_lookup (report, "message", "&s", &message));
  g_assert_cmpstr (message, ==, "Sync successful");
  return g_steal_pointer (&report);
}

static guint
report_count (GVariant *report, const char *key)
{
  guint32 count = G_MAXUINT32;

  g_assert_true (g_variant_lookup (report, key, "u", &count));
  return count;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The extensions of the aa{sv} under @key, sorted, comma-separated. */
static char *
report_extensions (GVariant *report, const char *key)
{
  g_autoptr(GVariant) list = g_variant_lookup_value (report, key, G_VARIANT_TYPE ("aa{sv}"));
  g_autoptr(GPtrArray) extensions = g_ptr_array_new_with_free_func (g_free);
  GVariantIter iter;
  GVariant *entry;

  g_assert_nonnull (list);
  g_variant_iter_init (&iter, list);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      char *extension = NULL;

      g_assert_true (g_variant_lookup (entry, "extension", "s", &extension));
      g_ptr_array_add (extensions, extension);
      g_variant_unref (entry);
    }
  g_ptr_array_sort (extensions, compare_strings);
  g_ptr_array_add (extensions, NULL);
  return g_strjoinv (",", (char **) extensions->pdata);
}

static void
assert_demo_ineligible (GVariant *report)
{
  g_autoptr(GVariant) list = g_variant_lookup_value (report, "ineligible",
                                                     G_VARIANT_TYPE ("aa{sv}"));
  g_autofree char *extensions = report_extensions (report, "ineligible");
  const char *warning = NULL;

  g_assert_cmpstr (extensions, ==, "218,221,222,223,225");
  for (gsize i = 0; i < G_N_ELEMENTS (demo_ineligible); i++)
    {
      GVariantIter iter;
      GVariant *entry;
      gboolean found = FALSE;

      g_variant_iter_init (&iter, list);
      while ((entry = g_variant_iter_next_value (&iter)) != NULL)
        {
          const char *extension = NULL, *reason = NULL;
          gboolean eligible = TRUE;

          g_assert_true (g_variant_lookup (entry, "extension", "&s", &extension));
          if (g_str_equal (extension, demo_ineligible[i].extension))
            {
              g_assert_true (g_variant_lookup (entry, "ineligibleReason", "&s", &reason));
              g_assert_cmpstr (reason, ==, demo_ineligible[i].reason);
              g_assert_true (g_variant_lookup (entry, "eligible", "b", &eligible));
              g_assert_false (eligible);
              found = TRUE;
            }
          g_variant_unref (entry);
        }
      g_assert_true (found);
    }

  /* The seed's Sync step warns about the users who cannot register their app. */
  g_assert_true (g_variant_lookup (report, "warning", "&s", &warning));
  g_test_message ("warning: %s", warning);
  g_assert_nonnull (strstr (warning, "5 users"));
  g_assert_nonnull (strstr (warning, "e-mail"));
}

static void
assert_status_count (UlTestDaemon *daemon, const char *expected, guint count)
{
  g_autoptr(GVariant) params = NULL;
  g_autofree char *code = ul_test_gateway_status (daemon, &params);
  guint32 value = 0;

  g_assert_cmpstr (code, ==, expected);
  g_assert_true (g_variant_lookup (params, "count", "u", &value));
  g_assert_cmpuint (value, ==, count);
}

static guint
count_ineligible (UlTestDaemon *daemon)
{
  g_autoptr(GVariant) reply = ul_test_daemon_call (
    daemon, "Users", "ListUsers", g_variant_new_parsed ("({'eligible': <false>},)"), NULL);
  g_autoptr(GVariant) users = NULL;
  guint32 total = 0;

  g_variant_get (reply, "(@aa{sv}u)", &users, &total);
  return total;
}

/* Users who cannot get a deployment e-mail are listed, but do not hold the deployment
 * back from Overview: every company has a conference room or a shared mailbox. */
static void
assert_overview_with_ineligible (UlTestDaemon *daemon, guint count)
{
  g_autofree char *code = ul_test_gateway_status (daemon, NULL);

  g_assert_cmpstr (code, ==, "overview");
  g_assert_cmpuint (count_ineligible (daemon), ==, count);
}

static void
test_csv (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = ul_test_pbxsim_export (f->sim, "users.csv", NULL);
  g_autoptr(GVariant) report = NULL;
  g_autoptr(GVariant) again = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) users = NULL;
  g_autofree char *added = NULL;
  guint32 total = 0;

  ul_test_gateway_use_csv (f->daemon, csv);
  report = sync_ok (f->daemon);
  g_assert_cmpuint (report_count (report, "addedCount"), ==, DEMO_USERS);
  g_assert_cmpuint (report_count (report, "changedCount"), ==, 0);
  g_assert_cmpuint (report_count (report, "removedCount"), ==, 0);
  g_assert_cmpuint (report_count (report, "skippedCount"), ==, 0);
  added = report_extensions (report, "added");
  g_assert_true (g_str_has_prefix (added, "201,202,"));
  g_assert_true (g_str_has_suffix (added, ",224,225"));
  assert_demo_ineligible (report);
  assert_overview_with_ineligible (f->daemon, G_N_ELEMENTS (demo_ineligible));

  /* The users are there, with their eligibility, in extension order. */
  reply = ul_test_daemon_call (f->daemon, "Users", "ListUsers",
                               g_variant_new_parsed ("({'eligible': <false>},)"), NULL);
  g_assert_nonnull (reply);
  g_variant_get (reply, "(@aa{sv}u)", &users, &total);
  g_assert_cmpuint (total, ==, G_N_ELEMENTS (demo_ineligible));
  g_assert_cmpuint (g_variant_n_children (users), ==, G_N_ELEMENTS (demo_ineligible));

  /* A second sync of the same file changes nothing. */
  again = sync_ok (f->daemon);
  g_assert_cmpuint (report_count (again, "addedCount"), ==, 0);
  g_assert_cmpuint (report_count (again, "unchangedCount"), ==, DEMO_USERS);
}

/* The PBX admin adds, renames and removes users; the next sync reports exactly that. */
static void
test_csv_changes (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = ul_test_pbxsim_export (f->sim, "users.csv", NULL);
  g_autofree char *csv_again = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) report = NULL;
  g_autoptr(GVariant) changed = NULL;
  g_autoptr(GVariant) entry = NULL;
  g_autoptr(GVariant) previous = NULL;
  g_autofree char *extensions = NULL;
  g_autofree char *name = NULL;
  g_autofree const char **fields = NULL;
  const char *old_name = NULL;

  ul_test_gateway_use_csv (f->daemon, csv);
  first = sync_ok (f->daemon);

  g_free (ul_test_pbxsim_command (f->sim, "user add 226 'Åsa Lindqvist' asa@acme.example Sales"));
  g_free (ul_test_pbxsim_command (f->sim, "user rename 201 'Anna Meier-Schmid'"));
  g_free (ul_test_pbxsim_command (f->sim, "user remove 225"));
  csv_again = ul_test_pbxsim_export (f->sim, "users.csv", NULL);
  g_assert_cmpstr (csv_again, ==, csv);

  report = sync_ok (f->daemon);
  g_assert_cmpuint (report_count (report, "addedCount"), ==, 1);
  g_assert_cmpuint (report_count (report, "changedCount"), ==, 1);
  g_assert_cmpuint (report_count (report, "removedCount"), ==, 1);
  g_assert_cmpuint (report_count (report, "unchangedCount"), ==, DEMO_USERS - 2);
  extensions = report_extensions (report, "added");
  g_assert_cmpstr (extensions, ==, "226");
  g_clear_pointer (&extensions, g_free);
  extensions = report_extensions (report, "removed");
  g_assert_cmpstr (extensions, ==, "225");

  /* Unlike the original product, a name change on the PBX is synced and reported. */
  changed = g_variant_lookup_value (report, "changed", G_VARIANT_TYPE ("aa{sv}"));
  entry = g_variant_get_child_value (changed, 0);
  g_assert_true (g_variant_lookup (entry, "changedFields", "^a&s", &fields));
  g_assert_cmpuint (g_strv_length ((char **) fields), ==, 1);
  g_assert_cmpstr (fields[0], ==, "name");
  previous = g_variant_lookup_value (entry, "previous", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (previous, "name", "&s", &old_name));
  g_assert_cmpstr (old_name, !=, "Anna Meier-Schmid");
  name = ul_test_gateway_user_field (f->daemon, "201", "name");
  g_assert_cmpstr (name, ==, "Anna Meier-Schmid");
  g_clear_pointer (&name, g_free);
  name = ul_test_gateway_user_field (f->daemon, "226", "name");
  g_assert_cmpstr (name, ==, "Åsa Lindqvist");

  /* 225 had no e-mail: one fewer user to warn about. */
  assert_overview_with_ineligible (f->daemon, G_N_ELEMENTS (demo_ineligible) - 1);
}

/* A directory where nobody can get the app (here: the export lost its e-mail column's
 * values) is the one fault: users-missing-email, with the count, until one address is
 * there. */
static void
test_csv_no_email (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("uplink-no-email-XXXXXX", &error);
  g_autofree char *csv = g_build_filename (dir, "users.csv", NULL);
  g_autoptr(GVariant) report = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (csv, "extension,name,email\n"
                                           "301,Lobby,\n"
                                           "302,Konferenzraum Eiger,\n"
                                           "303,Lager,\n", -1, &error));
  ul_test_gateway_use_csv (f->daemon, csv);
  report = sync_ok (f->daemon);
  g_assert_cmpuint (report_count (report, "addedCount"), ==, 3);
  assert_status_count (f->daemon, "users-missing-email", 3);

  g_assert_true (g_file_set_contents (csv, "extension,name,email\n"
                                           "301,Lobby,\n"
                                           "302,Konferenzraum Eiger,\n"
                                           "303,Lager,lager@acme.example\n", -1, &error));
  g_clear_pointer (&report, g_variant_unref);
  report = sync_ok (f->daemon);
  assert_overview_with_ineligible (f->daemon, 2);

  g_unlink (csv);
  g_rmdir (dir);
}

static char *
slapd_ldif (UlTestPbxsim *sim)
{
  g_autofree char *path = ul_test_pbxsim_export (sim, "users.ldif", UL_TEST_SLAPD_SUFFIX);
  g_autofree char *people = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &people, NULL, &error);
  g_assert_no_error (error);
  /* The simulator exports the people; the base entry and the gateway's bind account are
   * the directory admin's part. */
  return g_strdup_printf ("dn: " UL_TEST_SLAPD_SUFFIX "\n"
                          "objectClass: dcObject\n"
                          "objectClass: organization\n"
                          "o: ACME\n"
                          "dc: example\n"
                          "\n"
                          "dn: " UL_TEST_SLAPD_READER_DN "\n"
                          "objectClass: organizationalRole\n"
                          "objectClass: simpleSecurityObject\n"
                          "cn: reader\n"
                          "userPassword: " UL_TEST_SLAPD_READER_PW "\n"
                          "\n"
                          "%s",
                          people);
}

static void
use_ldap (UlTestDaemon *daemon, UlTestSlapd *slapd, const char *password)
{
  g_autoptr(GVariant) reply = NULL;

  reply = ul_test_daemon_call_ok (
    daemon, "Pbx", "UpdateDirectory",
    g_variant_new_parsed ("({'kind': <'ldap'>,"
                          "  'ldap': <{'uri': <%s>, 'baseDn': <%s>, 'bindDn': <%s>,"
                          "            'password': <%s>}>},)",
                          ul_test_slapd_get_uri (slapd), "ou=people," UL_TEST_SLAPD_SUFFIX,
                          UL_TEST_SLAPD_READER_DN, password));
  g_assert_nonnull (reply);
}

/* The same directory read from slapd gives the same users as from the CSV export, and a
 * bind that fails shows until it is fixed. */
static void
test_ldap (Fixture *f, gconstpointer data)
{
  g_autofree char *csv = NULL;
  g_autofree char *ldif = NULL;
  g_autoptr(UlTestSlapd) slapd = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) from_csv = NULL;
  g_autoptr(GVariant) from_ldap = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) params = NULL;
  g_autofree char *code = NULL;
  g_autofree char *name = NULL;
  const char *message = NULL;

  if (!ul_test_slapd_available ())
    {
      g_test_skip ("slapd is not installed (" UL_TEST_SLAPD_BINARY " is missing)");
      return;
    }
  ldif = slapd_ldif (f->sim);
  slapd = ul_test_slapd_start (ldif, &error);
  g_assert_no_error (error);

  /* LDAP first: a fresh gateway gets every user from slapd. */
  use_ldap (f->daemon, slapd, UL_TEST_SLAPD_READER_PW);
  from_ldap = sync_ok (f->daemon);
  g_assert_cmpuint (report_count (from_ldap, "addedCount"), ==, DEMO_USERS);
  g_assert_cmpuint (report_count (from_ldap, "skippedCount"), ==, 0);
  assert_demo_ineligible (from_ldap);
  name = ul_test_gateway_user_field (f->daemon, "201", "name");
  g_test_message ("201 is %s", name);
  g_assert_cmpuint (strlen (name), >, 0);

  /* The CSV export of the same directory changes nothing: the users match field by
   * field (names with non-ASCII letters, e-mails, groups). */
  csv = ul_test_pbxsim_export (f->sim, "users.csv", NULL);
  ul_test_gateway_use_csv (f->daemon, csv);
  from_csv = sync_ok (f->daemon);
  g_assert_cmpuint (report_count (from_csv, "addedCount"), ==, 0);
  g_assert_cmpuint (report_count (from_csv, "changedCount"), ==, 0);
  g_assert_cmpuint (report_count (from_csv, "removedCount"), ==, 0);
  g_assert_cmpuint (report_count (from_csv, "unchangedCount"), ==, DEMO_USERS);

  /* A wrong bind password: Sync fails, the status says so, the users stay. */
  use_ldap (f->daemon, slapd, "not-the-password");
  reply = ul_test_daemon_call (f->daemon, "Pbx", "Sync", g_variant_new_parsed ("(@a{sv} {},)"),
                               &error);
  g_assert_null (reply);
  ul_test_assert_dbus_error (error, "DirectoryFailed", NULL);
  g_test_message ("Sync: %s", error->message);
  g_assert_null (strstr (error->message, "not-the-password"));
  g_clear_error (&error);
  ul_test_watch_wait_status (f->watch, "directory-failed");
  code = ul_test_gateway_status (f->daemon, &params);
  g_assert_cmpstr (code, ==, "directory-failed");
  g_assert_true (g_variant_lookup (params, "message", "&s", &message));
  g_assert_cmpuint (strlen (message), >, 0);
  g_assert_cmpuint (ul_test_gateway_count_monitors (f->daemon, "none"), ==, DEMO_USERS);

  /* Fixed: the next sync clears the fault. */
  use_ldap (f->daemon, slapd, UL_TEST_SLAPD_READER_PW);
  g_clear_pointer (&from_ldap, g_variant_unref);
  from_ldap = sync_ok (f->daemon);
  g_assert_cmpuint (report_count (from_ldap, "unchangedCount"), ==, DEMO_USERS);
  ul_test_watch_wait_status (f->watch, "overview");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ul_test_pbx_setenv ();

  g_test_add ("/uplink/pbx/directory/csv", Fixture, NULL, fixture_set_up, test_csv,
              fixture_tear_down);
  g_test_add ("/uplink/pbx/directory/csv-changes", Fixture, NULL, fixture_set_up,
              test_csv_changes, fixture_tear_down);
  g_test_add ("/uplink/pbx/directory/csv-no-email", Fixture, NULL, fixture_set_up,
              test_csv_no_email, fixture_tear_down);
  g_test_add ("/uplink/pbx/directory/ldap", Fixture, NULL, fixture_set_up, test_ldap,
              fixture_tear_down);
  return g_test_run ();
}
