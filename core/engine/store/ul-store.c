/* ul-store.c — UlStore: the gateway's durable state in one SQLite database.
 *
 * Schema and migrations
 * ---------------------
 * PRAGMA user_version is the schema version and PRAGMA application_id marks the file as
 * Uplink's. migrations[i] takes a database from version i to i + 1; each step runs in its
 * own BEGIN IMMEDIATE transaction together with its user_version bump, so a crash mid-way
 * leaves the database at a version that some build can open. Rules for later issues:
 *
 *   - Append steps; never edit one that has shipped (databases in the field already ran it)
 *     and bump UL_STORE_SCHEMA_VERSION in ul-store.h (a static assert keeps them in step).
 *   - Steps are static SQL only; they run with foreign keys deferred to COMMIT, so a step
 *     may rebuild a table (CREATE new, INSERT … SELECT, DROP old, ALTER … RENAME) as long as
 *     the references hold again when it ends.
 *   - A database whose version is higher than this build's is refused untouched: an older
 *     uplinkd must not write rows it does not understand.
 *
 * Conventions: tables are STRICT; enums are stored as their ul-enums.h strings with
 * "unknown" as NULL, so that CHECK constraints can list the valid values; lists are child
 * rows ordered by `position` and replaced wholesale on save. Single-record tables (customer,
 * site, pbx, advanced) pin their row with `id INTEGER PRIMARY KEY CHECK (id = 1)`, making
 * "one gateway, one customer" a schema fact that later tables (users, directory, outbox)
 * can reference. A save creates the row if needed, then UPDATEs it: never REPLACE, which
 * deletes the row and would cascade into those tables.
 */
#define G_LOG_DOMAIN "uplink-store"

#include "ul-store.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "ul-error.h"
#include "ul-store-private.h"

#define UL_STORE_APPLICATION_ID 0x55504c4b /* "UPLK" */
#define UL_STORE_BUSY_TIMEOUT_MS 5000
#define ACCOUNT_ID_DIGITS 10

struct _UlStore
{
  GObject  parent_instance;

  char    *path;
  sqlite3 *db;
  int      schema_version;
  UlAuditEntry *pending_audit;  /* for the next write transaction */
  UlAuditEntry *txn_audit;      /* for the write transaction in progress */
};

G_DEFINE_FINAL_TYPE (UlStore, ul_store, G_TYPE_OBJECT)

static const char * const migrations[] = {
  /* 0 → 1: customer, site, PBX, advanced settings and facts (onboarding). */
  "CREATE TABLE customer ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  account_id TEXT UNIQUE NOT NULL CHECK (length (account_id) = 10"
  "    AND account_id GLOB '[1-9]*' AND account_id NOT GLOB '*[^0-9]*'),"
  "  name TEXT, street TEXT, city TEXT, region TEXT, postal_code TEXT, country TEXT,"
  "  business_type TEXT, language TEXT,"
  "  state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'deactivated'))"
  ") STRICT;"
  "CREATE TABLE admin_contact ("
  "  customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL CHECK (position >= 0), name TEXT, email TEXT,"
  "  PRIMARY KEY (customer_id, position)"
  ") STRICT;"
  "CREATE TABLE support_contact ("
  "  customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL CHECK (position >= 0),"
  "  role TEXT NOT NULL CHECK (role IN ('maintainer', 'onsiteAdmin', 'other')),"
  "  name TEXT, email TEXT,"
  "  PRIMARY KEY (customer_id, position)"
  ") STRICT;"
  "CREATE TABLE site ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  name TEXT, street TEXT, city TEXT, region TEXT, postal_code TEXT, country TEXT,"
  "  platform TEXT CHECK (platform IN ('standalone', 'smbc', 'virtual')),"
  "  ethernet_method TEXT CHECK (ethernet_method IN ('dhcp', 'static')),"
  "  ethernet_address TEXT, ethernet_netmask TEXT, ethernet_gateway TEXT"
  ") STRICT;"
  "CREATE TABLE site_dns_server ("
  "  site_id INTEGER NOT NULL REFERENCES site (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL CHECK (position >= 0), server TEXT NOT NULL,"
  "  PRIMARY KEY (site_id, position)"
  ") STRICT;"
  "CREATE TABLE pbx ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  type TEXT, name TEXT, host TEXT,"
  "  port INTEGER NOT NULL DEFAULT 0 CHECK (port BETWEEN 0 AND 65535),"
  "  username TEXT, password TEXT,"
  "  sync_schedule INTEGER NOT NULL DEFAULT 0"
  "    CHECK (sync_schedule BETWEEN 0 AND 4294967295)"
  ") STRICT;"
  "CREATE TABLE advanced ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  inbound_digits TEXT, outbound_digits TEXT, gsm_call_through TEXT,"
  "  automatic_updates INTEGER NOT NULL DEFAULT 0 CHECK (automatic_updates IN (0, 1)),"
  "  update_window_start TEXT, update_window_end TEXT"
  ") STRICT;"
  "CREATE TABLE advanced_emergency_number ("
  "  advanced_id INTEGER NOT NULL REFERENCES advanced (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL CHECK (position >= 0), number TEXT NOT NULL,"
  "  PRIMARY KEY (advanced_id, position)"
  ") STRICT;"
  "CREATE TABLE advanced_update_day ("
  "  advanced_id INTEGER NOT NULL REFERENCES advanced (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL CHECK (position >= 0),"
  "  day TEXT NOT NULL CHECK (day IN ('monday', 'tuesday', 'wednesday', 'thursday',"
  "                                   'friday', 'saturday', 'sunday')),"
  "  PRIMARY KEY (advanced_id, position)"
  ") STRICT;"
  "CREATE TABLE fact (key TEXT PRIMARY KEY CHECK (key <> ''), value TEXT NOT NULL) STRICT;",

  /* 1 → 2: the directory source and the users it yields (PBX link, issue #3). Eligibility
   * and the admin flag are derived, never stored. */
  "CREATE TABLE directory ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  kind TEXT NOT NULL CHECK (kind IN ('none', 'ldap', 'csv')),"
  "  ldap_uri TEXT, base_dn TEXT, bind_dn TEXT, bind_password TEXT,"
  "  starttls INTEGER NOT NULL DEFAULT 0 CHECK (starttls IN (0, 1)),"
  "  filter TEXT, page_size INTEGER NOT NULL DEFAULT 500 CHECK (page_size > 0),"
  "  attr_name TEXT, attr_extension TEXT, attr_email TEXT, attr_group TEXT,"
  "  attr_cti_device TEXT, csv_path TEXT,"
  "  csv_encoding TEXT NOT NULL DEFAULT 'auto' CHECK (csv_encoding IN ('auto', 'utf-8', 'latin-1'))"
  ") STRICT;"
  "CREATE TABLE user ("
  "  extension TEXT PRIMARY KEY CHECK (extension <> ''),"
  "  name TEXT, email TEXT, user_group TEXT, cti_device TEXT,"
  "  invited_at INTEGER NOT NULL DEFAULT 0, registered_at INTEGER NOT NULL DEFAULT 0"
  ") STRICT;",

  /* 2 → 3: the audit log. Written in the same transaction as the change it records. */
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at INTEGER NOT NULL, actor TEXT, peer TEXT, action TEXT NOT NULL, detail TEXT"
  ") STRICT;",

  /* 3 → 4: accounts of the HTTPS API (the claim creates the partner's) and their bearer
   * tokens, stored as SHA-256 digests only (ul-store-auth.c). */
  "CREATE TABLE account ("
  "  id INTEGER PRIMARY KEY,"
  "  email TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (email <> ''),"
  "  password_hash TEXT NOT NULL CHECK (password_hash GLOB '$argon2id$*'),"
  "  role TEXT NOT NULL CHECK (role IN ('partner', 'customerAdmin')),"
  "  created_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE session ("
  "  token_hash TEXT PRIMARY KEY CHECK (length (token_hash) = 64),"
  "  account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, peer TEXT"
  ") STRICT;"
  "CREATE INDEX session_account ON session (account_id);",

  /* 4 → 5: deployment e-mails (ul-store-mail.c): SMTP relay and mail settings, the
   * outbox with each mail's complete message, registration links (SHA-256 of the token)
   * and the users' credentials (Argon2id). No foreign key to user: a directory sync
   * replaces the user rows wholesale, and a cascade would wipe links and passwords. */
  "CREATE TABLE smtp ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  host TEXT, port INTEGER NOT NULL CHECK (port BETWEEN 0 AND 65535),"
  "  tls TEXT NOT NULL CHECK (tls IN ('none', 'starttls', 'tls')),"
  "  username TEXT, password TEXT, from_address TEXT, from_name TEXT, reply_to TEXT"
  ") STRICT;"
  "CREATE TABLE mail_settings ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1), registration_url TEXT,"
  "  link_lifetime INTEGER NOT NULL CHECK (link_lifetime > 0),"
  "  retry_initial INTEGER NOT NULL CHECK (retry_initial > 0),"
  "  retry_max INTEGER NOT NULL CHECK (retry_max >= retry_initial)"
  ") STRICT;"
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  message_id TEXT NOT NULL UNIQUE CHECK (message_id GLOB '<*@*>'),"
  "  extension TEXT NOT NULL CHECK (extension <> ''), recipient TEXT NOT NULL,"
  "  link_hash TEXT, message BLOB NOT NULL,"
  "  state TEXT NOT NULL"
  "    CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'superseded')),"
  "  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),"
  "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
  "  next_attempt_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, reply TEXT, error TEXT"
  ") STRICT;"
  "CREATE INDEX outbox_due ON outbox (state, next_attempt_at);"
  "CREATE INDEX outbox_user ON outbox (extension, id);"
  "CREATE TABLE registration_link ("
  "  token_hash TEXT PRIMARY KEY CHECK (length (token_hash) = 64),"
  "  extension TEXT NOT NULL CHECK (extension <> ''),"
  "  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('valid', 'used', 'replaced')),"
  "  used_at INTEGER NOT NULL DEFAULT 0"
  ") STRICT;"
  "CREATE INDEX registration_link_user ON registration_link (extension, state);"
  "CREATE TABLE user_credential ("
  "  extension TEXT PRIMARY KEY CHECK (extension <> ''),"
  "  password_hash TEXT NOT NULL CHECK (password_hash GLOB '$argon2id$*'),"
  "  updated_at INTEGER NOT NULL"
  ") STRICT;",

  /* 5 → 6: each registration link remembers the language of the mail that carried it,
   * so that its page speaks that language even when the sender chose another than the
   * customer's default. Links made before stay NULL (the customer's language). */
  ("ALTER TABLE registration_link ADD COLUMN language TEXT"
   "  CHECK (language IS NULL OR length (language) BETWEEN 2 AND 16);"),

  /* 6 → 7: the SIP digest secrets of each registered user (UlSipDigest): an Argon2id hash
   * cannot check a digest response. Users registered before have none and register again
   * to use SIP. */
  "ALTER TABLE user_credential ADD COLUMN sip_realm TEXT;"
  "ALTER TABLE user_credential ADD COLUMN sip_ha1_md5 TEXT"
  "  CHECK (sip_ha1_md5 IS NULL OR length (sip_ha1_md5) = 32);"
  "ALTER TABLE user_credential ADD COLUMN sip_ha1_sha256 TEXT"
  "  CHECK (sip_ha1_sha256 IS NULL OR length (sip_ha1_sha256) = 64);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == UL_STORE_SCHEMA_VERSION);

/* ul_store_check(): each query yields one row naming the first problem, or none. Our own
 * invariants partly repeat the constraints because another writer can switch those off
 * (PRAGMA ignore_check_constraints, foreign_keys = OFF). */
#define POSITIONS_CHECK(table, parent) \
  "SELECT 'positions in " table " have gaps' FROM " table \
  " GROUP BY " parent " HAVING max (position) + 1 <> count (*)"
static const char * const checks[] = {
  "SELECT 'integrity check: ' || integrity_check FROM pragma_integrity_check"
  " WHERE integrity_check <> 'ok' LIMIT 1",
  "SELECT printf ('row %d of %s refers to a missing %s', rowid, \"table\", parent)"
  " FROM pragma_foreign_key_check LIMIT 1",
  "SELECT 'schema version ' || user_version || ', expected " G_STRINGIFY (UL_STORE_SCHEMA_VERSION)
  "' FROM pragma_user_version WHERE user_version <> " G_STRINGIFY (UL_STORE_SCHEMA_VERSION),
  "SELECT 'more than one customer' WHERE (SELECT count (*) FROM customer) > 1",
  "SELECT 'more than one site' WHERE (SELECT count (*) FROM site) > 1",
  "SELECT 'more than one PBX' WHERE (SELECT count (*) FROM pbx) > 1",
  "SELECT 'more than one advanced record' WHERE (SELECT count (*) FROM advanced) > 1",
  "SELECT 'malformed account ID' FROM customer WHERE length (account_id) <> 10"
  " OR account_id NOT GLOB '[1-9]*' OR account_id GLOB '*[^0-9]*'",
  POSITIONS_CHECK ("admin_contact", "customer_id"),
  POSITIONS_CHECK ("support_contact", "customer_id"),
  POSITIONS_CHECK ("site_dns_server", "site_id"),
  POSITIONS_CHECK ("advanced_emergency_number", "advanced_id"),
  POSITIONS_CHECK ("advanced_update_day", "advanced_id"),
};

static gboolean
bind_address (sqlite3_stmt *stmt, const UlAddress *address, GError **error)
{
  return ul_sql_bind_text (stmt, ":street", address->street, error) &&
         ul_sql_bind_text (stmt, ":city", address->city, error) &&
         ul_sql_bind_text (stmt, ":region", address->region, error) &&
         ul_sql_bind_text (stmt, ":postal_code", address->postal_code, error) &&
         ul_sql_bind_text (stmt, ":country", address->country, error);
}

static void
read_address (sqlite3_stmt *stmt, int first_column, UlAddress *address)
{
  ul_sql_set_string (&address->street, stmt, first_column);
  ul_sql_set_string (&address->city, stmt, first_column + 1);
  ul_sql_set_string (&address->region, stmt, first_column + 2);
  ul_sql_set_string (&address->postal_code, stmt, first_column + 3);
  ul_sql_set_string (&address->country, stmt, first_column + 4);
}

/* BEGIN IMMEDIATE for writes takes the write lock (waiting up to the busy timeout) before
 * anything is read; a plain BEGIN for reads gives a record and its child rows one
 * snapshot. */
void
ul_store_set_audit (UlStore *self, UlAuditEntry *entry)
{
  g_return_if_fail (UL_IS_STORE (self));
  g_clear_pointer (&self->pending_audit, ul_audit_entry_free);
  self->pending_audit = entry;
}

/* Commits @txn after writing the pending audit entry into it, so that a change and its
 * audit line are stored together or not at all. The entry is used up either way. */
gboolean
ul_store_commit (UlStore *self, UlSqlTxn **txn, GError **error)
{
  g_autoptr(UlAuditEntry) entry = g_steal_pointer (&self->txn_audit);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (entry != NULL)
    {
      stmt = ul_sql_prepare (self->db,
                             "INSERT INTO audit (at, actor, peer, action, detail)"
                             " VALUES (:at, :actor, :peer, :action, :detail)",
                             error);
      if (stmt == NULL
          || !ul_sql_bind_int64 (stmt, ":at", entry->at, error)
          || !ul_sql_bind_text (stmt, ":actor", entry->actor, error)
          || !ul_sql_bind_text (stmt, ":peer", entry->peer, error)
          || !ul_sql_bind_text (stmt, ":action", entry->action, error)
          || !ul_sql_bind_text (stmt, ":detail", entry->detail, error)
          || !ul_sql_step_done (stmt, error))
        return FALSE;
    }
  return ul_sql_commit (txn, error);
}

GPtrArray *
ul_store_list_audit (UlStore *self, guint offset, guint limit, guint *total, GError **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_audit_entry_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_row = TRUE;
  gint64 count = 0;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  if (!ul_sql_query_int (self->db, "SELECT count (*) FROM audit", &count, error))
    return NULL;
  stmt = ul_sql_prepare (self->db,
                         "SELECT id, at, actor, peer, action, detail FROM audit"
                         " ORDER BY id DESC LIMIT :limit OFFSET :offset",
                         error);
  if (stmt == NULL || !ul_sql_bind_int64 (stmt, ":limit", limit, error)
      || !ul_sql_bind_int64 (stmt, ":offset", offset, error))
    return NULL;
  for (;;)
    {
      UlAuditEntry *entry;

      if (!ul_sql_step_row (stmt, &has_row, error))
        return NULL;
      if (!has_row)
        break;
      entry = ul_audit_entry_new (ul_sql_column_text (stmt, 2), ul_sql_column_text (stmt, 3),
                                  ul_sql_column_text (stmt, 4), ul_sql_column_text (stmt, 5));
      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->at = sqlite3_column_int64 (stmt, 1);
      g_ptr_array_add (entries, entry);
    }
  if (total != NULL)
    *total = (guint) count;
  return g_steal_pointer (&entries);
}

sqlite3 *
ul_store_get_db (UlStore *self)
{
  g_return_val_if_fail (UL_IS_STORE (self), NULL);
  return self->db;
}

/* A write transaction takes the pending audit entry: whether it commits or not, the
 * entry belongs to this change and no other. */
UlSqlTxn *
ul_store_begin_write (UlStore *self, GError **error)
{
  g_clear_pointer (&self->txn_audit, ul_audit_entry_free);
  self->txn_audit = g_steal_pointer (&self->pending_audit);
  return ul_sql_begin (self->db, TRUE, error);
}

static UlSqlTxn *
store_begin (UlStore *self, gboolean write, GError **error)
{
  return write ? ul_store_begin_write (self, error) : ul_sql_begin (self->db, FALSE, error);
}

static gboolean
failed (GError **error, const char *what)
{
  g_prefix_error (error, "%s: ", what);
  return FALSE;
}

static gpointer
failed_null (GError **error, const char *what)
{
  g_prefix_error (error, "%s: ", what);
  return NULL;
}

static gboolean
refuse_newer (gint64 version, GError **error)
{
  g_set_error (error, UL_ERROR, UL_ERROR_STORAGE,
               "written by a newer uplinkd (schema %" G_GINT64_FORMAT "); this build knows %d",
               version, UL_STORE_SCHEMA_VERSION);
  return FALSE;
}

/* One step per transaction. The version is read again under the write lock, so two
 * processes opening the same old file cannot both run a step. */
static gboolean
migrate (UlStore *self, GError **error)
{
  for (;;)
    {
      g_autoptr (UlSqlTxn) txn = NULL;
      g_autofree char *bump = NULL;
      gint64 version;

      if ((txn = store_begin (self, TRUE, error)) == NULL ||
          !ul_sql_query_int (self->db, "PRAGMA user_version", &version, error))
        return failed (error, "Cannot upgrade the schema");
      if (version > UL_STORE_SCHEMA_VERSION)
        return refuse_newer (version, error);
      if (version == UL_STORE_SCHEMA_VERSION)
        break;

      g_debug ("Migrating %s to schema %" G_GINT64_FORMAT, self->path, version + 1);
      /* PRAGMAs take no bound parameters; these are integer constants of this build. */
      bump = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT ";"
                              "PRAGMA application_id = %d;",
                              version + 1, UL_STORE_APPLICATION_ID);
      if (!ul_sql_exec (self->db, "PRAGMA defer_foreign_keys = ON", error) ||
          !ul_sql_exec (self->db, migrations[version], error) ||
          !ul_sql_exec (self->db, bump, error) ||
          !ul_sql_commit (&txn, error))
        {
          g_prefix_error (error, "Cannot upgrade the schema to version %" G_GINT64_FORMAT ": ",
                          version + 1);
          return FALSE;
        }
    }
  self->schema_version = UL_STORE_SCHEMA_VERSION;
  return TRUE;
}

/* Refuses files that are not ours, or too new, before anything writes to them. */
static gboolean
check_identity (UlStore *self, GError **error)
{
  gint64 version, application_id, objects;

  if (!ul_sql_query_int (self->db, "PRAGMA user_version", &version, error) ||
      !ul_sql_query_int (self->db, "PRAGMA application_id", &application_id, error) ||
      !ul_sql_query_int (self->db, "SELECT count (*) FROM sqlite_schema", &objects, error))
    return FALSE;
  /* Tables without our schema version belong to someone else. */
  if ((application_id != 0 && application_id != UL_STORE_APPLICATION_ID) ||
      (version == 0 && objects > 0))
    {
      g_set_error_literal (error, UL_ERROR, UL_ERROR_STORAGE, "not an Uplink database");
      return FALSE;
    }
  if (version > UL_STORE_SCHEMA_VERSION)
    return refuse_newer (version, error);
  return TRUE;
}

static gboolean
configure (UlStore *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean has_row;
  const char *mode;

  /* Per-connection settings first: they write nothing to the file. secure_delete because
   * the PBX password lives here and must not linger in free pages. */
  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_db_config (self->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  if (sqlite3_busy_timeout (self->db, UL_STORE_BUSY_TIMEOUT_MS) != SQLITE_OK)
    return ul_sql_error (self->db, error);
  if (!ul_sql_exec (self->db,
             "PRAGMA foreign_keys = ON;"
             "PRAGMA synchronous = FULL;"
             "PRAGMA secure_delete = ON;"
             "PRAGMA trusted_schema = OFF;",
             error) ||
      !check_identity (self, error))
    return FALSE;

  /* journal_mode answers with the mode in use; anything but WAL (e.g. on a file system
   * without shared memory) would break the durability promise. */
  if ((stmt = ul_sql_query (self->db, "PRAGMA journal_mode = WAL", &has_row, error)) == NULL)
    return FALSE;
  mode = has_row ? ul_sql_column_text (stmt, 0) : NULL;
  if (g_strcmp0 (mode, "wal") != 0)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_STORAGE,
                   "cannot use write-ahead logging (journal mode %s)",
                   mode != NULL ? mode : "unknown");
      return FALSE;
    }
  return TRUE;
}

/* The database holds the PBX password: create it owner-only. SQLite gives the -wal and
 * -shm files the mode of the main file. An existing file keeps its mode. */
static gboolean
ensure_private_file (const char *path, GError **error)
{
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_STORAGE, "Cannot open %s: %s",
                   path, g_strerror (errno));
      return FALSE;
    }
  return g_close (fd, error);
}

UlStore *
ul_store_open (const char *path, GError **error)
{
  g_autoptr (UlStore) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ensure_private_file (path, error))
    return NULL;

  self = g_object_new (UL_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_STORAGE, "Cannot open %s: %s", path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  if (!configure (self, error) || !migrate (self, error))
    {
      g_prefix_error (error, "Cannot open %s: ", path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

const char *
ul_store_get_path (UlStore *self)
{
  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  return self->path;
}

int
ul_store_get_schema_version (UlStore *self)
{
  g_return_val_if_fail (UL_IS_STORE (self), 0);

  return self->schema_version;
}

/* A random 10-digit number, first digit non-zero, not in use yet. The table holds one
 * row today; the check keeps the promise should that ever change. */
static char *
new_account_id (UlStore *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if ((stmt = ul_sql_prepare (self->db, "SELECT 1 FROM customer WHERE account_id = :id", error)) == NULL)
    return NULL;
  for (guint attempt = 0; attempt < 100; attempt++)
    {
      char digits[ACCOUNT_ID_DIGITS + 1] = { 0, };
      gboolean taken;

      digits[0] = '0' + g_random_int_range (1, 10);
      for (gsize i = 1; i < ACCOUNT_ID_DIGITS; i++)
        digits[i] = '0' + g_random_int_range (0, 10);
      if (!ul_sql_bind_text (stmt, ":id", digits, error) || !ul_sql_step_row (stmt, &taken, error))
        return NULL;
      sqlite3_reset (stmt);
      if (!taken)
        return g_strdup (digits);
    }
  g_set_error_literal (error, UL_ERROR, UL_ERROR_STORAGE, "no free account ID found");
  return NULL;
}

/* Returns the customer's account ID, creating the row with a new ID on the first save.
 * The ID identifies the customer to apps and partners, so it is assigned once and kept; a
 * caller that sends a different one is confused, and is refused rather than overruled. A
 * caller's ID is taken as is when there is no row yet (a record restored after a factory
 * reset keeps its ID). */
static char *
ensure_customer (UlStore *self, const char *requested, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *account_id = NULL;
  gboolean has_row;

  stmt = ul_sql_query (self->db, "SELECT account_id FROM customer WHERE id = 1", &has_row, error);
  if (stmt == NULL)
    return NULL;
  if (has_row && requested != NULL && g_strcmp0 (requested, ul_sql_column_text (stmt, 0)) != 0)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_STORAGE,
                   "the account ID is %s and cannot be changed to %s",
                   ul_sql_column_text (stmt, 0), requested);
      return NULL;
    }
  if (has_row)
    return g_strdup (ul_sql_column_text (stmt, 0));

  account_id = requested != NULL ? g_strdup (requested) : new_account_id (self, error);
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (account_id == NULL ||
      (stmt = ul_sql_prepare (self->db,
                       "INSERT INTO customer (id, account_id) VALUES (1, :account_id)",
                       error)) == NULL ||
      !ul_sql_bind_text (stmt, ":account_id", account_id, error) ||
      !ul_sql_step_done (stmt, error))
    return NULL;
  return g_steal_pointer (&account_id);
}

static gboolean
save_contacts (UlStore         *self,
               const char      *insert_sql,
               const GPtrArray *contacts,
               gboolean         with_role,
               GError         **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (contacts == NULL || contacts->len == 0)
    return TRUE;
  if ((stmt = ul_sql_prepare (self->db, insert_sql, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < contacts->len; i++)
    {
      const UlContact *contact = g_ptr_array_index (contacts, i);

      if (!ul_sql_bind_int64 (stmt, ":position", i, error) ||
          !ul_sql_bind_text (stmt, ":name", contact->name, error) ||
          !ul_sql_bind_text (stmt, ":email", contact->email, error) ||
          (with_role &&
           !ul_sql_bind_text (stmt, ":role",
                       contact->role != UL_SUPPORT_ROLE_UNKNOWN
                         ? ul_support_role_to_string (contact->role) : NULL,
                       error)) ||
          !ul_sql_step_done (stmt, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
ul_store_save_customer (UlStore *self, UlCustomer *customer, GError **error)
{
  g_autoptr (UlSqlTxn) txn = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *account_id = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);
  g_return_val_if_fail (customer != NULL, FALSE);
  g_return_val_if_fail (customer->address != NULL, FALSE);

  if ((txn = store_begin (self, TRUE, error)) == NULL ||
      (account_id = ensure_customer (self, customer->account_id, error)) == NULL ||
      (stmt = ul_sql_prepare (self->db,
                       "UPDATE customer SET name = :name, street = :street, city = :city,"
                       "  region = :region, postal_code = :postal_code, country = :country,"
                       "  business_type = :business_type, language = :language, state = :state"
                       " WHERE id = 1",
                       error)) == NULL ||
      !ul_sql_bind_text (stmt, ":name", customer->name, error) ||
      !bind_address (stmt, customer->address, error) ||
      !ul_sql_bind_text (stmt, ":business_type", customer->business_type, error) ||
      !ul_sql_bind_text (stmt, ":language", customer->language, error) ||
      !ul_sql_bind_text (stmt, ":state", ul_customer_state_to_string (customer->state), error) ||
      !ul_sql_step_done (stmt, error) ||
      /* The lists are replaced wholesale: positions carry the order. */
      !ul_sql_exec (self->db,
             "DELETE FROM admin_contact WHERE customer_id = 1;"
             "DELETE FROM support_contact WHERE customer_id = 1;",
             error) ||
      !save_contacts (self,
                      "INSERT INTO admin_contact (customer_id, position, name, email)"
                      " VALUES (1, :position, :name, :email)",
                      customer->admin_contacts, FALSE, error) ||
      !save_contacts (self,
                      "INSERT INTO support_contact (customer_id, position, role, name, email)"
                      " VALUES (1, :position, :role, :name, :email)",
                      customer->support_contacts, TRUE, error) ||
      !ul_store_commit (self, &txn, error))
    return failed (error, "Cannot save the customer");

  /* Written back only once committed: a failed first save leaves the record without ID. */
  if (customer->account_id == NULL)
    customer->account_id = g_steal_pointer (&account_id);
  return TRUE;
}

static gboolean
load_contacts (UlStore    *self,
               const char *sql,
               gboolean    with_role,
               GPtrArray  *contacts,
               GError    **error)
{
  g_autoptr (sqlite3_stmt) stmt = ul_sql_prepare (self->db, sql, error);
  gboolean has_row = TRUE;

  if (stmt == NULL)
    return FALSE;
  g_ptr_array_set_size (contacts, 0);
  while (has_row)
    {
      UlSupportRole role = UL_SUPPORT_ROLE_UNKNOWN;

      if (!ul_sql_step_row (stmt, &has_row, error))
        return FALSE;
      if (!has_row)
        break;
      if (with_role)
        role = ul_support_role_from_string (ul_sql_column_text (stmt, 2));
      g_ptr_array_add (contacts,
                       ul_contact_new (role, ul_sql_column_text (stmt, 0), ul_sql_column_text (stmt, 1)));
    }
  return TRUE;
}

UlCustomer *
ul_store_load_customer (UlStore *self, GError **error)
{
  g_autoptr (UlSqlTxn) txn = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (UlCustomer) customer = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  if ((txn = store_begin (self, FALSE, error)) == NULL ||
      (stmt = ul_sql_query (self->db,
                     "SELECT account_id, name, street, city, region, postal_code, country,"
                     "  business_type, language, state FROM customer WHERE id = 1",
                     &has_row, error)) == NULL)
    return failed_null (error, "Cannot load the customer");
  if (!has_row)
    return NULL;

  customer = ul_customer_new ();
  ul_sql_set_string (&customer->account_id, stmt, 0);
  ul_sql_set_string (&customer->name, stmt, 1);
  read_address (stmt, 2, customer->address);
  ul_sql_set_string (&customer->business_type, stmt, 7);
  ul_sql_set_string (&customer->language, stmt, 8);
  ul_customer_state_from_string (ul_sql_column_text (stmt, 9), &customer->state);

  if (!load_contacts (self,
                      "SELECT name, email FROM admin_contact"
                      " WHERE customer_id = 1 ORDER BY position",
                      FALSE, customer->admin_contacts, error) ||
      !load_contacts (self,
                      "SELECT name, email, role FROM support_contact"
                      " WHERE customer_id = 1 ORDER BY position",
                      TRUE, customer->support_contacts, error) ||
      !ul_sql_commit (&txn, error))
    return failed_null (error, "Cannot load the customer");
  return g_steal_pointer (&customer);
}

gboolean
ul_store_save_site (UlStore *self, const UlSite *site, GError **error)
{
  g_autoptr (UlSqlTxn) txn = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  const UlEthernet *ethernet;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);
  g_return_val_if_fail (site != NULL, FALSE);
  g_return_val_if_fail (site->address != NULL, FALSE);

  ethernet = &site->ethernet;
  if ((txn = store_begin (self, TRUE, error)) == NULL ||
      !ul_sql_exec (self->db, "INSERT INTO site (id) VALUES (1) ON CONFLICT (id) DO NOTHING", error) ||
      (stmt = ul_sql_prepare (self->db,
                       "UPDATE site SET name = :name, street = :street, city = :city,"
                       "  region = :region, postal_code = :postal_code, country = :country,"
                       "  platform = :platform, ethernet_method = :method,"
                       "  ethernet_address = :address, ethernet_netmask = :netmask,"
                       "  ethernet_gateway = :gateway"
                       " WHERE id = 1",
                       error)) == NULL ||
      !ul_sql_bind_text (stmt, ":name", site->name, error) ||
      !bind_address (stmt, site->address, error) ||
      !ul_sql_bind_text (stmt, ":platform",
                  site->platform != UL_PLATFORM_UNKNOWN
                    ? ul_platform_to_string (site->platform) : NULL,
                  error) ||
      !ul_sql_bind_text (stmt, ":method",
                  ethernet->method != UL_ETHERNET_UNKNOWN
                    ? ul_ethernet_method_to_string (ethernet->method) : NULL,
                  error) ||
      !ul_sql_bind_text (stmt, ":address", ethernet->address, error) ||
      !ul_sql_bind_text (stmt, ":netmask", ethernet->netmask, error) ||
      !ul_sql_bind_text (stmt, ":gateway", ethernet->gateway, error) ||
      !ul_sql_step_done (stmt, error) ||
      !ul_sql_replace_strv (self->db,
                     "DELETE FROM site_dns_server WHERE site_id = 1",
                     "INSERT INTO site_dns_server (site_id, position, server)"
                     " VALUES (1, :position, :value)",
                     (const char * const *) ethernet->dns, error) ||
      !ul_store_commit (self, &txn, error))
    return failed (error, "Cannot save the site");
  return TRUE;
}

UlSite *
ul_store_load_site (UlStore *self, GError **error)
{
  g_autoptr (UlSqlTxn) txn = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (UlSite) site = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  if ((txn = store_begin (self, FALSE, error)) == NULL ||
      (stmt = ul_sql_query (self->db,
                     "SELECT name, street, city, region, postal_code, country, platform,"
                     "  ethernet_method, ethernet_address, ethernet_netmask, ethernet_gateway"
                     " FROM site WHERE id = 1",
                     &has_row, error)) == NULL)
    return failed_null (error, "Cannot load the site");
  if (!has_row)
    return NULL;

  site = ul_site_new ();
  ul_sql_set_string (&site->name, stmt, 0);
  read_address (stmt, 1, site->address);
  site->platform = ul_platform_from_string (ul_sql_column_text (stmt, 6));
  site->ethernet.method = ul_ethernet_method_from_string (ul_sql_column_text (stmt, 7));
  ul_sql_set_string (&site->ethernet.address, stmt, 8);
  ul_sql_set_string (&site->ethernet.netmask, stmt, 9);
  ul_sql_set_string (&site->ethernet.gateway, stmt, 10);

  if (!ul_sql_load_strv (self->db,
                  "SELECT server FROM site_dns_server WHERE site_id = 1 ORDER BY position",
                  &site->ethernet.dns, error) ||
      !ul_sql_commit (&txn, error))
    return failed_null (error, "Cannot load the site");
  return g_steal_pointer (&site);
}

gboolean
ul_store_save_pbx (UlStore *self, const UlPbxConfig *pbx, GError **error)
{
  g_autoptr (UlSqlTxn) txn = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);
  g_return_val_if_fail (pbx != NULL, FALSE);

  /* SQLite's messages name columns and constraints, never values: the password cannot
   * leak into an error from here. */
  if ((txn = store_begin (self, TRUE, error)) == NULL ||
      !ul_sql_exec (self->db, "INSERT INTO pbx (id) VALUES (1) ON CONFLICT (id) DO NOTHING", error) ||
      (stmt = ul_sql_prepare (self->db,
                       "UPDATE pbx SET type = :type, name = :name, host = :host, port = :port,"
                       "  username = :username, password = :password,"
                       "  sync_schedule = :sync_schedule"
                       " WHERE id = 1",
                       error)) == NULL ||
      !ul_sql_bind_text (stmt, ":type", pbx->type, error) ||
      !ul_sql_bind_text (stmt, ":name", pbx->name, error) ||
      !ul_sql_bind_text (stmt, ":host", pbx->host, error) ||
      !ul_sql_bind_int64 (stmt, ":port", pbx->port, error) ||
      !ul_sql_bind_text (stmt, ":username", pbx->username, error) ||
      !ul_sql_bind_text (stmt, ":password", pbx->password, error) ||
      !ul_sql_bind_int64 (stmt, ":sync_schedule", pbx->sync_schedule, error) ||
      !ul_sql_step_done (stmt, error) ||
      !ul_store_commit (self, &txn, error))
    return failed (error, "Cannot save the PBX");
  return TRUE;
}

UlPbxConfig *
ul_store_load_pbx (UlStore *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  UlPbxConfig *pbx;
  gboolean has_row = FALSE;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  /* One statement: atomic without an explicit transaction. */
  if ((stmt = ul_sql_query (self->db,
                     "SELECT type, name, host, port, username, password, sync_schedule"
                     " FROM pbx WHERE id = 1",
                     &has_row, error)) == NULL)
    return failed_null (error, "Cannot load the PBX");
  if (!has_row)
    return NULL;

  pbx = ul_pbx_config_new ();
  ul_sql_set_string (&pbx->type, stmt, 0);
  ul_sql_set_string (&pbx->name, stmt, 1);
  ul_sql_set_string (&pbx->host, stmt, 2);
  pbx->port = (guint) sqlite3_column_int64 (stmt, 3);
  ul_sql_set_string (&pbx->username, stmt, 4);
  ul_sql_set_string (&pbx->password, stmt, 5);
  pbx->sync_schedule = (guint) sqlite3_column_int64 (stmt, 6);
  return pbx;
}

gboolean
ul_store_save_advanced (UlStore *self, const UlAdvanced *advanced, GError **error)
{
  g_autoptr (UlSqlTxn) txn = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);
  g_return_val_if_fail (advanced != NULL, FALSE);

  if ((txn = store_begin (self, TRUE, error)) == NULL ||
      !ul_sql_exec (self->db, "INSERT INTO advanced (id) VALUES (1) ON CONFLICT (id) DO NOTHING",
             error) ||
      (stmt = ul_sql_prepare (self->db,
                       "UPDATE advanced SET inbound_digits = :inbound, outbound_digits = :outbound,"
                       "  gsm_call_through = :gsm, automatic_updates = :automatic,"
                       "  update_window_start = :start, update_window_end = :end"
                       " WHERE id = 1",
                       error)) == NULL ||
      !ul_sql_bind_text (stmt, ":inbound", advanced->inbound_digits, error) ||
      !ul_sql_bind_text (stmt, ":outbound", advanced->outbound_digits, error) ||
      !ul_sql_bind_text (stmt, ":gsm", advanced->gsm_call_through, error) ||
      !ul_sql_bind_int64 (stmt, ":automatic", advanced->automatic_updates ? 1 : 0, error) ||
      !ul_sql_bind_text (stmt, ":start", advanced->update_window_start, error) ||
      !ul_sql_bind_text (stmt, ":end", advanced->update_window_end, error) ||
      !ul_sql_step_done (stmt, error) ||
      !ul_sql_replace_strv (self->db,
                     "DELETE FROM advanced_emergency_number WHERE advanced_id = 1",
                     "INSERT INTO advanced_emergency_number (advanced_id, position, number)"
                     " VALUES (1, :position, :value)",
                     (const char * const *) advanced->emergency_numbers, error) ||
      !ul_sql_replace_strv (self->db,
                     "DELETE FROM advanced_update_day WHERE advanced_id = 1",
                     "INSERT INTO advanced_update_day (advanced_id, position, day)"
                     " VALUES (1, :position, :value)",
                     (const char * const *) advanced->update_days, error) ||
      !ul_store_commit (self, &txn, error))
    return failed (error, "Cannot save the advanced settings");
  return TRUE;
}

UlAdvanced *
ul_store_load_advanced (UlStore *self, GError **error)
{
  g_autoptr (UlSqlTxn) txn = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (UlAdvanced) advanced = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  if ((txn = store_begin (self, FALSE, error)) == NULL ||
      (stmt = ul_sql_query (self->db,
                     "SELECT inbound_digits, outbound_digits, gsm_call_through,"
                     "  automatic_updates, update_window_start, update_window_end"
                     " FROM advanced WHERE id = 1",
                     &has_row, error)) == NULL)
    return failed_null (error, "Cannot load the advanced settings");
  if (!has_row)
    return NULL;

  advanced = ul_advanced_new ();
  ul_sql_set_string (&advanced->inbound_digits, stmt, 0);
  ul_sql_set_string (&advanced->outbound_digits, stmt, 1);
  ul_sql_set_string (&advanced->gsm_call_through, stmt, 2);
  advanced->automatic_updates = sqlite3_column_int64 (stmt, 3) != 0;
  ul_sql_set_string (&advanced->update_window_start, stmt, 4);
  ul_sql_set_string (&advanced->update_window_end, stmt, 5);

  if (!ul_sql_load_strv (self->db,
                  "SELECT number FROM advanced_emergency_number"
                  " WHERE advanced_id = 1 ORDER BY position",
                  &advanced->emergency_numbers, error) ||
      !ul_sql_load_strv (self->db,
                  "SELECT day FROM advanced_update_day WHERE advanced_id = 1 ORDER BY position",
                  &advanced->update_days, error) ||
      !ul_sql_commit (&txn, error))
    return failed_null (error, "Cannot load the advanced settings");
  return g_steal_pointer (&advanced);
}

char *
ul_store_get_fact (UlStore *self, const char *key, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if ((stmt = ul_sql_prepare (self->db, "SELECT value FROM fact WHERE key = :key", error)) == NULL ||
      !ul_sql_bind_text (stmt, ":key", key, error) ||
      !ul_sql_step_row (stmt, &has_row, error))
    return failed_null (error, "Cannot read a fact");
  return has_row ? g_strdup (ul_sql_column_text (stmt, 0)) : NULL;
}

gboolean
ul_store_set_fact (UlStore *self, const char *key, const char *value, GError **error)
{
  g_autoptr (UlSqlTxn) txn = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if ((txn = store_begin (self, TRUE, error)) == NULL ||
      (stmt = ul_sql_prepare (self->db,
                       value != NULL
                         ? "INSERT INTO fact (key, value) VALUES (:key, :value)"
                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                         : "DELETE FROM fact WHERE key = :key",
                       error)) == NULL ||
      !ul_sql_bind_text (stmt, ":key", key, error) ||
      (value != NULL && !ul_sql_bind_text (stmt, ":value", value, error)) ||
      !ul_sql_step_done (stmt, error) ||
      !ul_store_commit (self, &txn, error))
    return failed (error, "Cannot save a fact");
  return TRUE;
}

gboolean
ul_store_check (UlStore *self, GError **error)
{
  g_autoptr (UlSqlTxn) txn = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  if ((txn = store_begin (self, FALSE, error)) == NULL)
    return failed (error, "Cannot check the database");
  for (gsize i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autoptr (sqlite3_stmt) stmt = NULL;
      gboolean has_row;

      if ((stmt = ul_sql_query (self->db, checks[i], &has_row, error)) == NULL)
        return failed (error, "Cannot check the database");
      if (has_row)
        {
          g_set_error (error, UL_ERROR, UL_ERROR_STORAGE, "Check of %s failed: %s",
                       self->path, ul_sql_column_text (stmt, 0));
          return FALSE;
        }
    }
  return ul_sql_commit (&txn, error) || failed (error, "Cannot check the database");
}

static void
ul_store_finalize (GObject *object)
{
  UlStore *self = UL_STORE (object);

  /* Every statement is finalized where it was prepared, so close cannot be busy; the
   * last connection to close also checkpoints and removes the WAL. */
  if (self->db != NULL && sqlite3_close (self->db) != SQLITE_OK)
    g_warning ("Cannot close %s: %s", self->path, sqlite3_errmsg (self->db));
  g_free (self->path);
  g_clear_pointer (&self->pending_audit, ul_audit_entry_free);
  g_clear_pointer (&self->txn_audit, ul_audit_entry_free);

  G_OBJECT_CLASS (ul_store_parent_class)->finalize (object);
}

static void
ul_store_class_init (UlStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ul_store_finalize;
}

static void
ul_store_init (UlStore *self)
{
}
