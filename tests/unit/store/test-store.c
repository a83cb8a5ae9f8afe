/* test-store.c — UlStore against real SQLite files in a temporary directory. */
#include <signal.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ul-error.h"
#include "ul-store.h"

#define PBX_PASSWORD "s3cr3t-Pässwört!"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("uplink-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "uplink.db", NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);

      g_assert_cmpint (g_unlink (file), ==, 0);
    }
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->path);
  g_free (f->dir);
}

static UlStore *
open_store (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  UlStore *store = ul_store_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* A second, plain SQLite connection: what another tool (or an attacker) could do. */
static sqlite3 *
raw_open (Fixture *f)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  return db;
}

static void
raw_exec (Fixture *f, const char *sql)
{
  sqlite3 *db = raw_open (f);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static char *
raw_text (Fixture *f, const char *sql)
{
  sqlite3 *db = raw_open (f);
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

static gint64
raw_int (Fixture *f, const char *sql)
{
  g_autofree char *text = raw_text (f, sql);

  g_assert_nonnull (text);
  return g_ascii_strtoll (text, NULL, 10);
}

static UlCustomer *
make_customer (void)
{
  UlCustomer *customer = ul_customer_new ();

  customer->name = g_strdup ("Müller & Söhne Zahnärzte AG");
  customer->address->street = g_strdup ("Bahnhofstraße 12");
  customer->address->city = g_strdup ("Zürich");
  customer->address->region = NULL;
  customer->address->postal_code = g_strdup ("8001");
  customer->address->country = g_strdup ("CH");
  customer->business_type = g_strdup ("healthcare");
  customer->language = g_strdup ("de");
  g_ptr_array_add (customer->admin_contacts,
                   ul_contact_new (UL_SUPPORT_ROLE_UNKNOWN, "Jürgen Müller",
                                   "juergen@example.ch"));
  g_ptr_array_add (customer->admin_contacts,
                   ul_contact_new (UL_SUPPORT_ROLE_UNKNOWN, "Zoë Dupont", "zoe@example.ch"));
  g_ptr_array_add (customer->support_contacts,
                   ul_contact_new (UL_SUPPORT_ROLE_MAINTAINER, "Partner AG", "support@partner.ch"));
  g_ptr_array_add (customer->support_contacts,
                   ul_contact_new (UL_SUPPORT_ROLE_ONSITE_ADMIN, "Anna Keller", "anna@example.ch"));
  g_ptr_array_add (customer->support_contacts,
                   ul_contact_new (UL_SUPPORT_ROLE_OTHER, "王小明", "wang@example.ch"));
  return customer;
}

static UlSite *
make_static_site (void)
{
  UlSite *site = ul_site_new ();
  const char *dns[] = { "192.168.10.1", "9.9.9.9", "2620:fe::fe", NULL };

  site->name = g_strdup ("Praxis Höngg");
  site->address->street = g_strdup ("Limmattalstrasse 5");
  site->address->city = g_strdup ("Zürich");
  site->address->region = g_strdup ("ZH");
  site->address->postal_code = g_strdup ("8049");
  site->address->country = g_strdup ("CH");
  site->platform = UL_PLATFORM_STANDALONE;
  site->ethernet.method = UL_ETHERNET_STATIC;
  site->ethernet.address = g_strdup ("192.168.10.20");
  site->ethernet.netmask = g_strdup ("255.255.255.0");
  site->ethernet.gateway = g_strdup ("192.168.10.1");
  site->ethernet.dns = g_strdupv ((GStrv) dns);
  return site;
}

static UlPbxConfig *
make_pbx (void)
{
  UlPbxConfig *pbx = ul_pbx_config_new ();

  pbx->name = g_strdup ("MiVO400-Höngg");
  pbx->host = g_strdup ("192.168.10.5");
  pbx->port = 7001;
  pbx->username = g_strdup ("uplink");
  pbx->password = g_strdup (PBX_PASSWORD);
  pbx->sync_schedule = 30;
  return pbx;
}

static void
test_fresh (Fixture *f, gconstpointer data)
{
  g_autoptr (UlStore) store = open_store (f);
  g_autoptr (GError) error = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *fact = NULL;
  UlCustomer *customer;
  UlSite *site;
  UlPbxConfig *pbx;
  UlAdvanced *advanced;
  struct stat st;

  g_assert_cmpstr (ul_store_get_path (store), ==, f->path);
  g_assert_cmpint (ul_store_get_schema_version (store), ==, UL_STORE_SCHEMA_VERSION);
  g_assert_cmpint (UL_STORE_SCHEMA_VERSION, ==, 7);
  g_assert_cmpint (raw_int (f, "PRAGMA user_version"), ==, UL_STORE_SCHEMA_VERSION);
  mode = raw_text (f, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM sqlite_schema"
                               " WHERE type = 'table' AND name IN"
                               " ('customer', 'admin_contact', 'support_contact', 'site',"
                               "  'site_dns_server', 'pbx', 'advanced',"
                               "  'advanced_emergency_number', 'advanced_update_day', 'fact',"
                               "  'directory', 'user', 'audit')"),
                   ==, 13);

  /* The file holds the PBX password. */
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  customer = ul_store_load_customer (store, &error);
  g_assert_no_error (error);
  g_assert_null (customer);
  site = ul_store_load_site (store, &error);
  g_assert_no_error (error);
  g_assert_null (site);
  pbx = ul_store_load_pbx (store, &error);
  g_assert_no_error (error);
  g_assert_null (pbx);
  advanced = ul_store_load_advanced (store, &error);
  g_assert_no_error (error);
  g_assert_null (advanced);
  fact = ul_store_get_fact (store, "connected-at", &error);
  g_assert_no_error (error);
  g_assert_null (fact);

  /* Opening again is a no-op migration. */
  g_clear_object (&store);
  store = open_store (f);
  g_assert_cmpint (ul_store_get_schema_version (store), ==, UL_STORE_SCHEMA_VERSION);
}

static void
test_users (Fixture *f, gconstpointer data)
{
  g_autoptr(UlStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_user_free);
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(UlDirectoryConfig) directory = ul_directory_config_new ();
  g_autoptr(UlDirectoryConfig) loaded_directory = NULL;
  g_autofree char *synced = NULL;
  UlUser *user;

  loaded = ul_store_load_users (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 0);
  g_clear_pointer (&loaded, g_ptr_array_unref);
  g_assert_null (ul_store_load_directory (store, &error));
  g_assert_no_error (error);

  /* Extensions sort as people read them: 9 before 10. */
  user = ul_user_new ("10", "Jürgen Müller", "juergen@example.com");
  user->invited_at = 1700000000;
  user->registered_at = 1700000100;
  g_ptr_array_add (users, user);
  user = ul_user_new ("9", "Zoë Ångström", NULL);
  user->user_group = g_strdup ("Sales");
  g_ptr_array_add (users, user);
  g_assert_true (ul_store_replace_users (store, users, "synced-at", "1700000200", &error));
  g_assert_no_error (error);

  g_clear_object (&store);
  store = open_store (f);
  loaded = ul_store_load_users (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 2);
  user = g_ptr_array_index (loaded, 0);
  g_assert_cmpstr (user->extension, ==, "9");
  g_assert_cmpstr (user->user_group, ==, "Sales");
  g_assert_cmpint (user->eligibility, ==, UL_USER_ELIGIBILITY_NO_EMAIL);
  user = g_ptr_array_index (loaded, 1);
  g_assert_cmpstr (user->name, ==, "Jürgen Müller");
  g_assert_cmpint (user->invited_at, ==, 1700000000);
  g_assert_cmpint (user->registered_at, ==, 1700000100);
  synced = ul_store_get_fact (store, "synced-at", &error);
  g_assert_cmpstr (synced, ==, "1700000200");

  /* A failed replace (duplicate extension) keeps the previous list and fact. */
  g_ptr_array_add (users, ul_user_new ("9", "Duplicate", NULL));
  g_assert_false (ul_store_replace_users (store, users, "synced-at", "1800000000", &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_STORAGE);
  g_clear_error (&error);
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = ul_store_load_users (store, &error);
  g_assert_cmpuint (loaded->len, ==, 2);
  g_clear_pointer (&synced, g_free);
  synced = ul_store_get_fact (store, "synced-at", &error);
  g_assert_cmpstr (synced, ==, "1700000200");

  directory->kind = UL_DIRECTORY_KIND_LDAP;
  directory->ldap_uri = g_strdup ("ldap://127.0.0.1:3890");
  directory->base_dn = g_strdup ("dc=example,dc=com");
  directory->bind_password = g_strdup ("secret");
  g_assert_true (ul_store_save_directory (store, directory, &error));
  loaded_directory = ul_store_load_directory (store, &error);
  g_assert_no_error (error);
  g_assert_true (ul_directory_config_equal (directory, loaded_directory));
  g_assert_true (ul_store_check (store, &error));
}

static void
test_audit (Fixture *f, gconstpointer data)
{
  g_autoptr(UlStore) store = open_store (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  UlAuditEntry *entry;
  guint total = 0;

  /* An audit line goes with the change it records, and only with a change that is stored. */
  ul_store_set_audit (store, ul_audit_entry_new ("uid 0", ":1.5", "set-fact", "a"));
  g_assert_true (ul_store_set_fact (store, "a", "1", &error));
  g_assert_no_error (error);
  ul_store_set_audit (store, ul_audit_entry_new ("uid 0", ":1.5", "replace-users", "users"));
  {
    g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_user_free);
    g_ptr_array_add (users, ul_user_new ("1", "A", NULL));
    g_ptr_array_add (users, ul_user_new ("1", "B", NULL));
    g_assert_false (ul_store_replace_users (store, users, NULL, NULL, &error));
    g_clear_error (&error);
  }
  g_assert_true (ul_store_set_fact (store, "b", "2", &error));

  entries = ul_store_list_audit (store, 0, 10, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (total, ==, 1);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->action, ==, "set-fact");
  g_assert_cmpstr (entry->actor, ==, "uid 0");
  g_assert_cmpint (entry->at, >, 1600000000);
}

static void
test_customer (Fixture *f, gconstpointer data)
{
  g_autoptr (UlStore) store = open_store (f);
  g_autoptr (UlCustomer) customer = make_customer ();
  g_autoptr (UlCustomer) loaded = NULL;
  g_autoptr (UlCustomer) reloaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *role = NULL;

  g_assert_true (ul_store_save_customer (store, customer, &error));
  g_assert_no_error (error);
  loaded = ul_store_load_customer (store, &error);
  g_assert_no_error (error);
  g_assert_true (ul_customer_equal (customer, loaded));
  g_assert_cmpstr (((UlContact *) g_ptr_array_index (loaded->admin_contacts, 0))->name, ==,
                   "Jürgen Müller");

  /* Relational, with the enum's stable string. */
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM admin_contact"), ==, 2);
  role = raw_text (f, "SELECT role FROM support_contact WHERE position = 1");
  g_assert_cmpstr (role, ==, "onsiteAdmin");

  /* Lists are replaced wholesale, in the new order. */
  g_ptr_array_remove_index (customer->admin_contacts, 0);
  g_ptr_array_remove_index (customer->support_contacts, 2);
  g_ptr_array_add (customer->support_contacts,
                   ul_contact_new (UL_SUPPORT_ROLE_MAINTAINER, "Zweitpartner GmbH", "s@p2.ch"));
  customer->state = UL_CUSTOMER_STATE_DEACTIVATED;
  g_clear_pointer (&customer->address->street, g_free);
  g_assert_true (ul_store_save_customer (store, customer, &error));
  g_assert_no_error (error);
  reloaded = ul_store_load_customer (store, &error);
  g_assert_no_error (error);
  g_assert_true (ul_customer_equal (customer, reloaded));
  g_assert_cmpint (reloaded->admin_contacts->len, ==, 1);
  g_assert_cmpint (reloaded->support_contacts->len, ==, 3);
  g_assert_null (reloaded->address->street);
  g_assert_cmpint (reloaded->state, ==, UL_CUSTOMER_STATE_DEACTIVATED);
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM customer"), ==, 1);
}

static void
test_account_id (Fixture *f, gconstpointer data)
{
  g_autoptr (UlStore) store = open_store (f);
  g_autoptr (UlCustomer) customer = make_customer ();
  g_autoptr (UlCustomer) fresh = make_customer ();
  g_autoptr (UlCustomer) other = make_customer ();
  g_autoptr (UlCustomer) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *assigned = NULL;

  g_assert_null (customer->account_id);
  g_assert_true (ul_store_save_customer (store, customer, &error));
  g_assert_no_error (error);
  g_assert_nonnull (customer->account_id);
  g_assert_cmpuint (strlen (customer->account_id), ==, 10);
  g_assert_true (customer->account_id[0] >= '1' && customer->account_id[0] <= '9');
  for (const char *c = customer->account_id; *c != '\0'; c++)
    g_assert_true (g_ascii_isdigit (*c));
  assigned = g_strdup (customer->account_id);

  /* Re-saving keeps it. */
  g_assert_true (ul_store_save_customer (store, customer, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (customer->account_id, ==, assigned);

  /* A record without ID (e.g. built from client input) gets the stored one back. */
  g_assert_true (ul_store_save_customer (store, fresh, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fresh->account_id, ==, assigned);

  /* A different ID is refused and changes nothing. */
  other->account_id = g_strdup (g_str_equal (assigned, "1234567890") ? "1234567891" : "1234567890");
  other->name = (g_free (other->name), g_strdup ("Renamed"));
  g_assert_false (ul_store_save_customer (store, other, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, assigned));
  g_clear_error (&error);

  g_clear_object (&store);
  store = open_store (f);
  loaded = ul_store_load_customer (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->account_id, ==, assigned);
  g_assert_cmpstr (loaded->name, ==, customer->name);
}

static void
test_site (Fixture *f, gconstpointer data)
{
  g_autoptr (UlStore) store = open_store (f);
  g_autoptr (UlSite) site = make_static_site ();
  g_autoptr (UlSite) loaded = NULL;
  g_autoptr (UlSite) dhcp = ul_site_new ();
  g_autoptr (UlSite) loaded_dhcp = NULL;
  g_autoptr (UlSite) smbc = ul_site_new ();
  g_autoptr (UlSite) loaded_smbc = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (ul_store_save_site (store, site, &error));
  g_assert_no_error (error);
  loaded = ul_store_load_site (store, &error);
  g_assert_no_error (error);
  g_assert_true (ul_site_equal (site, loaded));
  g_assert_cmpuint (g_strv_length (loaded->ethernet.dns), ==, 3);
  g_assert_cmpstr (loaded->ethernet.dns[0], ==, "192.168.10.1");
  g_assert_cmpstr (loaded->ethernet.dns[2], ==, "2620:fe::fe");

  dhcp->name = g_strdup ("Lager");
  dhcp->address->city = g_strdup ("Genève");
  dhcp->platform = UL_PLATFORM_VIRTUAL;
  dhcp->ethernet.method = UL_ETHERNET_DHCP;
  g_assert_true (ul_store_save_site (store, dhcp, &error));
  g_assert_no_error (error);
  loaded_dhcp = ul_store_load_site (store, &error);
  g_assert_no_error (error);
  g_assert_true (ul_site_equal (dhcp, loaded_dhcp));
  g_assert_null (loaded_dhcp->ethernet.address);
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM site_dns_server"), ==, 0);

  /* SMBC has no ethernet settings: "unknown" survives as NULL. */
  smbc->name = g_strdup ("SMBC");
  smbc->platform = UL_PLATFORM_SMBC;
  g_assert_true (ul_store_save_site (store, smbc, &error));
  g_assert_no_error (error);
  loaded_smbc = ul_store_load_site (store, &error);
  g_assert_no_error (error);
  g_assert_true (ul_site_equal (smbc, loaded_smbc));
  g_assert_cmpint (loaded_smbc->ethernet.method, ==, UL_ETHERNET_UNKNOWN);
}

static void
test_pbx (Fixture *f, gconstpointer data)
{
  g_autoptr (UlStore) store = open_store (f);
  g_autoptr (UlPbxConfig) pbx = make_pbx ();
  g_autoptr (UlPbxConfig) bad = make_pbx ();
  g_autoptr (UlPbxConfig) loaded = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (ul_store_save_pbx (store, pbx, &error));
  g_assert_no_error (error);
  loaded = ul_store_load_pbx (store, &error);
  g_assert_no_error (error);
  g_assert_true (ul_pbx_config_equal (pbx, loaded));
  g_assert_cmpstr (loaded->password, ==, PBX_PASSWORD);
  g_assert_cmpstr (loaded->type, ==, UL_PBX_TYPE_MIVO400);

  /* A failing save names the problem, never the password, and keeps the old record. */
  bad->port = 70000;
  g_assert_false (ul_store_save_pbx (store, bad, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_STORAGE);
  g_assert_null (strstr (error->message, PBX_PASSWORD));
  g_assert_nonnull (strstr (error->message, "port"));
  g_clear_error (&error);
  g_clear_pointer (&loaded, ul_pbx_config_free);
  loaded = ul_store_load_pbx (store, &error);
  g_assert_no_error (error);
  g_assert_true (ul_pbx_config_equal (pbx, loaded));
}

static void
test_advanced (Fixture *f, gconstpointer data)
{
  g_autoptr (UlStore) store = open_store (f);
  g_autoptr (UlAdvanced) defaults = ul_advanced_new ();
  g_autoptr (UlAdvanced) custom = ul_advanced_new ();
  g_autoptr (UlAdvanced) loaded = NULL;
  g_autoptr (GError) error = NULL;
  const char *days[] = { "saturday", "sunday", NULL };
  const char *none[] = { NULL };

  g_assert_true (ul_store_save_advanced (store, defaults, &error));
  g_assert_no_error (error);
  loaded = ul_store_load_advanced (store, &error);
  g_assert_no_error (error);
  g_assert_true (ul_advanced_equal (defaults, loaded));
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM advanced_emergency_number"), ==, 8);

  /* An emptied list stays empty: it must not come back as the defaults. */
  g_free (custom->inbound_digits);
  custom->inbound_digits = g_strdup ("0");
  g_free (custom->gsm_call_through);
  custom->gsm_call_through = g_strdup ("+41791234567");
  g_strfreev (custom->emergency_numbers);
  custom->emergency_numbers = g_strdupv ((GStrv) none);
  custom->automatic_updates = FALSE;
  g_strfreev (custom->update_days);
  custom->update_days = g_strdupv ((GStrv) days);
  g_free (custom->update_window_start);
  custom->update_window_start = g_strdup ("23:30");
  g_free (custom->update_window_end);
  custom->update_window_end = g_strdup ("01:00");
  g_assert_true (ul_store_save_advanced (store, custom, &error));
  g_assert_no_error (error);
  g_clear_pointer (&loaded, ul_advanced_free);
  loaded = ul_store_load_advanced (store, &error);
  g_assert_no_error (error);
  g_assert_true (ul_advanced_equal (custom, loaded));
  g_assert_nonnull (loaded->emergency_numbers);
  g_assert_cmpuint (g_strv_length (loaded->emergency_numbers), ==, 0);
  g_assert_false (loaded->automatic_updates);
}

static void
test_reopen (Fixture *f, gconstpointer data)
{
  g_autoptr (UlStore) store = open_store (f);
  g_autoptr (UlStore) second = NULL;
  g_autoptr (UlCustomer) customer = make_customer ();
  g_autoptr (UlSite) site = make_static_site ();
  g_autoptr (UlPbxConfig) pbx = make_pbx ();
  g_autoptr (UlAdvanced) advanced = ul_advanced_new ();
  g_autoptr (UlCustomer) customer2 = NULL;
  g_autoptr (UlSite) site2 = NULL;
  g_autoptr (UlPbxConfig) pbx2 = NULL;
  g_autoptr (UlAdvanced) advanced2 = NULL;
  g_autoptr (UlCustomer) seen = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *fact = NULL;

  g_assert_true (ul_store_save_customer (store, customer, &error));
  g_assert_true (ul_store_save_site (store, site, &error));
  g_assert_true (ul_store_save_pbx (store, pbx, &error));
  g_assert_true (ul_store_save_advanced (store, advanced, &error));
  g_assert_true (ul_store_set_fact (store, "synced-at", "2024-05-01T10:00:00Z", &error));
  g_assert_no_error (error);

  /* A second connection sees every committed save at once. */
  second = open_store (f);
  seen = ul_store_load_customer (second, &error);
  g_assert_no_error (error);
  g_assert_true (ul_customer_equal (customer, seen));
  g_clear_object (&second);

  g_clear_object (&store);
  store = open_store (f);
  customer2 = ul_store_load_customer (store, &error);
  g_assert_no_error (error);
  site2 = ul_store_load_site (store, &error);
  g_assert_no_error (error);
  pbx2 = ul_store_load_pbx (store, &error);
  g_assert_no_error (error);
  advanced2 = ul_store_load_advanced (store, &error);
  g_assert_no_error (error);
  fact = ul_store_get_fact (store, "synced-at", &error);
  g_assert_no_error (error);

  g_assert_true (ul_customer_equal (customer, customer2));
  g_assert_true (ul_site_equal (site, site2));
  g_assert_true (ul_pbx_config_equal (pbx, pbx2));
  g_assert_true (ul_advanced_equal (advanced, advanced2));
  g_assert_cmpstr (fact, ==, "2024-05-01T10:00:00Z");
}

static void
test_failed_save (Fixture *f, gconstpointer data)
{
  g_autoptr (UlStore) store = open_store (f);
  g_autoptr (UlCustomer) first = make_customer ();
  g_autoptr (UlCustomer) good = make_customer ();
  g_autoptr (UlCustomer) loaded = NULL;
  g_autoptr (UlAdvanced) advanced = ul_advanced_new ();
  g_autoptr (UlAdvanced) bad_advanced = ul_advanced_new ();
  g_autoptr (UlAdvanced) loaded_advanced = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *account_id = NULL;
  const char *days[] = { "monday", "funday", NULL };
  const char *numbers[] = { "112", NULL };

  /* A failing first save assigns no ID and stores nothing. A support contact without a
   * role violates the schema after the customer row and the admin contacts were written. */
  g_ptr_array_add (first->support_contacts,
                   ul_contact_new (UL_SUPPORT_ROLE_UNKNOWN, "Nobody", "nobody@example.ch"));
  g_assert_false (ul_store_save_customer (store, first, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_STORAGE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_null (first->account_id);
  loaded = ul_store_load_customer (store, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);

  g_assert_true (ul_store_save_customer (store, good, &error));
  g_assert_no_error (error);
  account_id = g_strdup (good->account_id);

  /* Same failure on an existing customer: name, lists and all stay as they were. */
  g_free (first->name);
  first->name = g_strdup ("Changed");
  g_ptr_array_remove_index (first->admin_contacts, 0);
  g_assert_false (ul_store_save_customer (store, first, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_STORAGE);
  g_clear_error (&error);
  g_assert_null (first->account_id);
  loaded = ul_store_load_customer (store, &error);
  g_assert_no_error (error);
  g_assert_true (ul_customer_equal (good, loaded));
  g_assert_cmpstr (loaded->account_id, ==, account_id);

  /* A bad element late in a child list rolls back the earlier lists too. */
  g_assert_true (ul_store_save_advanced (store, advanced, &error));
  g_assert_no_error (error);
  g_strfreev (bad_advanced->emergency_numbers);
  bad_advanced->emergency_numbers = g_strdupv ((GStrv) numbers);
  g_strfreev (bad_advanced->update_days);
  bad_advanced->update_days = g_strdupv ((GStrv) days);
  bad_advanced->automatic_updates = FALSE;
  g_assert_false (ul_store_save_advanced (store, bad_advanced, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_STORAGE);
  g_clear_error (&error);
  loaded_advanced = ul_store_load_advanced (store, &error);
  g_assert_no_error (error);
  g_assert_true (ul_advanced_equal (advanced, loaded_advanced));

  /* The store is still usable after the rollbacks. */
  g_assert_true (ul_store_check (store, &error));
  g_assert_no_error (error);
}

static void
test_future_schema (Fixture *f, gconstpointer data)
{
  g_autoptr (UlStore) store = open_store (f);
  g_autoptr (GError) error = NULL;

  g_clear_object (&store);
  raw_exec (f, "PRAGMA user_version = 99");

  store = ul_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, UL_ERROR, UL_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message,
                            "written by a newer uplinkd (schema 99); this build knows "
                            G_STRINGIFY (UL_STORE_SCHEMA_VERSION)));
  g_assert_cmpint (raw_int (f, "PRAGMA user_version"), ==, 99);
}

static void
test_foreign_file (Fixture *f, gconstpointer data)
{
  g_autoptr (UlStore) store = NULL;
  g_autoptr (GError) error = NULL;

  /* Another program's database is left alone. */
  raw_exec (f, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me');");
  store = ul_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, UL_ERROR, UL_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "not an Uplink database"));
  g_clear_error (&error);
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM sqlite_schema"), ==, 1);

  g_assert_true (g_file_set_contents (f->path, "this is not SQLite at all, just text\n", -1,
                                      &error));
  store = ul_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, UL_ERROR, UL_ERROR_STORAGE);
}

static void
test_facts (Fixture *f, gconstpointer data)
{
  g_autoptr (UlStore) store = open_store (f);
  g_autoptr (GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *other = NULL;
  g_autofree char *gone = NULL;
  g_autofree char *kept = NULL;

  g_assert_true (ul_store_set_fact (store, "gateway-id", "gw-1", &error));
  g_assert_no_error (error);
  g_assert_true (ul_store_set_fact (store, "gateway-id", "gw-2 ✓", &error));
  g_assert_true (ul_store_set_fact (store, "connected-at", "2024-05-01T09:00:00Z", &error));
  g_assert_no_error (error);
  value = ul_store_get_fact (store, "gateway-id", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "gw-2 ✓");

  /* NULL unsets. */
  g_assert_true (ul_store_set_fact (store, "connected-at", NULL, &error));
  g_assert_no_error (error);
  gone = ul_store_get_fact (store, "connected-at", &error);
  g_assert_no_error (error);
  g_assert_null (gone);
  g_assert_true (ul_store_set_fact (store, "never-set", NULL, &error));
  g_assert_no_error (error);

  g_clear_object (&store);
  store = open_store (f);
  kept = ul_store_get_fact (store, "gateway-id", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, "gw-2 ✓");
  other = ul_store_get_fact (store, "'; DROP TABLE fact; --", &error);
  g_assert_no_error (error);
  g_assert_null (other);
}

static void
test_check (Fixture *f, gconstpointer data)
{
  g_autoptr (UlStore) store = open_store (f);
  g_autoptr (UlCustomer) customer = make_customer ();
  g_autoptr (UlSite) site = make_static_site ();
  g_autoptr (UlPbxConfig) pbx = make_pbx ();
  g_autoptr (UlAdvanced) advanced = ul_advanced_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (ul_store_check (store, &error));
  g_assert_no_error (error);

  g_assert_true (ul_store_save_customer (store, customer, &error));
  g_assert_true (ul_store_save_site (store, site, &error));
  g_assert_true (ul_store_save_pbx (store, pbx, &error));
  g_assert_true (ul_store_save_advanced (store, advanced, &error));
  g_assert_no_error (error);
  g_assert_true (ul_store_check (store, &error));
  g_assert_no_error (error);

  /* Another writer that ignores the CHECK constraints. */
  raw_exec (f, "PRAGMA ignore_check_constraints = ON;"
               "INSERT INTO customer (id, account_id, state) VALUES (2, '5555555555', 'active');");
  g_assert_false (ul_store_check (store, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_STORAGE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  raw_exec (f, "DELETE FROM customer WHERE id = 2");
  g_assert_true (ul_store_check (store, &error));
  g_assert_no_error (error);

  /* Another writer without foreign keys. */
  raw_exec (f, "INSERT INTO admin_contact (customer_id, position, name, email)"
               " VALUES (7, 0, 'Orphan', 'orphan@example.ch')");
  g_assert_false (ul_store_check (store, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "admin_contact"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  raw_exec (f, "DELETE FROM admin_contact WHERE customer_id = 7");

  /* Our own invariant: list positions are 0…n-1, which no constraint says. */
  raw_exec (f, "UPDATE support_contact SET position = 9 WHERE position = 1");
  g_assert_false (ul_store_check (store, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "positions in support_contact"));
  g_test_message ("%s", error->message);
}

/* The durability promise: a save that returned TRUE survives kill -9 right after it. */
static void
test_kill (Fixture *f, gconstpointer data)
{
  g_autoptr (UlStore) store = NULL;
  g_autoptr (UlCustomer) loaded = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *fact = NULL;
  int status = 0;
  pid_t pid;

  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      UlStore *child = ul_store_open (f->path, NULL);
      UlCustomer *customer = make_customer ();

      if (child == NULL ||
          !ul_store_save_customer (child, customer, NULL) ||
          !ul_store_set_fact (child, "synced-at", "now", NULL))
        _exit (1);
      raise (SIGKILL);
      _exit (2);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  store = open_store (f);
  loaded = ul_store_load_customer (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (loaded->name, ==, "Müller & Söhne Zahnärzte AG");
  g_assert_cmpuint (loaded->support_contacts->len, ==, 3);
  fact = ul_store_get_fact (store, "synced-at", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fact, ==, "now");
  g_assert_true (ul_store_check (store, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/uplink/store/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("fresh", test_fresh);
  ADD ("customer", test_customer);
  ADD ("account-id", test_account_id);
  ADD ("site", test_site);
  ADD ("pbx", test_pbx);
  ADD ("advanced", test_advanced);
  ADD ("reopen", test_reopen);
  ADD ("failed-save", test_failed_save);
  ADD ("future-schema", test_future_schema);
  ADD ("foreign-file", test_foreign_file);
  ADD ("facts", test_facts);
  ADD ("check", test_check);
  ADD ("kill", test_kill);
#undef ADD

  g_test_add ("/uplink/store/users", Fixture, NULL, fixture_setup, test_users, fixture_teardown);
  g_test_add ("/uplink/store/audit", Fixture, NULL, fixture_setup, test_audit, fixture_teardown);
  return g_test_run ();
}
