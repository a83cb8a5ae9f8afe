/* ul-store-users.c — the directory source and the users table of UlStore. */
#define G_LOG_DOMAIN "uplink-store"

#include "ul-store-private.h"

#include "ul-error.h"

static const char *
csv_encoding_to_string (UlCsvEncoding encoding)
{
  switch (encoding)
    {
    case UL_CSV_ENCODING_UTF8:
      return "utf-8";
    case UL_CSV_ENCODING_LATIN1:
      return "latin-1";
    case UL_CSV_ENCODING_AUTO:
    default:
      return "auto";
    }
}

static UlCsvEncoding
csv_encoding_from_string (const char *str)
{
  if (g_strcmp0 (str, "utf-8") == 0)
    return UL_CSV_ENCODING_UTF8;
  if (g_strcmp0 (str, "latin-1") == 0)
    return UL_CSV_ENCODING_LATIN1;
  return UL_CSV_ENCODING_AUTO;
}

static const char *
kind_to_string (UlDirectoryKind kind)
{
  return kind == UL_DIRECTORY_KIND_LDAP ? "ldap" : kind == UL_DIRECTORY_KIND_CSV ? "csv" : "none";
}

static UlDirectoryKind
kind_from_string (const char *str)
{
  if (g_strcmp0 (str, "ldap") == 0)
    return UL_DIRECTORY_KIND_LDAP;
  if (g_strcmp0 (str, "csv") == 0)
    return UL_DIRECTORY_KIND_CSV;
  return UL_DIRECTORY_KIND_NONE;
}

UlDirectoryConfig *
ul_store_load_directory (UlStore *self, GError **error)
{
  g_autoptr(UlDirectoryConfig) directory = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  stmt = ul_sql_query (ul_store_get_db (self),
                       "SELECT kind, ldap_uri, base_dn, bind_dn, bind_password, starttls, filter,"
                       " page_size, attr_name, attr_extension, attr_email, attr_group,"
                       " attr_cti_device, csv_path, csv_encoding FROM directory WHERE id = 1",
                       &has_row, error);
  if (stmt == NULL)
    {
      g_prefix_error (error, "loading the directory source: ");
      return NULL;
    }
  if (!has_row)
    return NULL;

  directory = ul_directory_config_new ();
  directory->kind = kind_from_string (ul_sql_column_text (stmt, 0));
  ul_sql_set_string (&directory->ldap_uri, stmt, 1);
  ul_sql_set_string (&directory->base_dn, stmt, 2);
  ul_sql_set_string (&directory->bind_dn, stmt, 3);
  ul_sql_set_string (&directory->bind_password, stmt, 4);
  directory->starttls = sqlite3_column_int (stmt, 5) != 0;
  ul_sql_set_string (&directory->filter, stmt, 6);
  directory->page_size = (guint) sqlite3_column_int (stmt, 7);
  ul_sql_set_string (&directory->attr_name, stmt, 8);
  ul_sql_set_string (&directory->attr_extension, stmt, 9);
  ul_sql_set_string (&directory->attr_email, stmt, 10);
  ul_sql_set_string (&directory->attr_group, stmt, 11);
  ul_sql_set_string (&directory->attr_cti_device, stmt, 12);
  ul_sql_set_string (&directory->csv_path, stmt, 13);
  directory->csv_encoding = csv_encoding_from_string (ul_sql_column_text (stmt, 14));
  return g_steal_pointer (&directory);
}

gboolean
ul_store_save_directory (UlStore *self, const UlDirectoryConfig *d, GError **error)
{
  sqlite3 *db = ul_store_get_db (self);
  g_autoptr(UlSqlTxn) txn = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  txn = ul_store_begin_write (self, error);
  if (txn == NULL)
    return FALSE;
  /* An upsert keeps the row (never REPLACE: later tables may reference it). */
  stmt = ul_sql_prepare (db,
                         "INSERT INTO directory (id, kind, ldap_uri, base_dn, bind_dn, bind_password,"
                         " starttls, filter, page_size, attr_name, attr_extension, attr_email,"
                         " attr_group, attr_cti_device, csv_path, csv_encoding)"
                         " VALUES (1, :kind, :uri, :base, :bind, :password, :starttls, :filter,"
                         " :page_size, :a_name, :a_ext, :a_email, :a_group, :a_cti, :csv_path,"
                         " :csv_encoding)"
                         " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind,"
                         " ldap_uri = excluded.ldap_uri, base_dn = excluded.base_dn,"
                         " bind_dn = excluded.bind_dn, bind_password = excluded.bind_password,"
                         " starttls = excluded.starttls, filter = excluded.filter,"
                         " page_size = excluded.page_size, attr_name = excluded.attr_name,"
                         " attr_extension = excluded.attr_extension,"
                         " attr_email = excluded.attr_email, attr_group = excluded.attr_group,"
                         " attr_cti_device = excluded.attr_cti_device,"
                         " csv_path = excluded.csv_path, csv_encoding = excluded.csv_encoding",
                         error);
  if (stmt == NULL
      || !ul_sql_bind_text (stmt, ":kind", kind_to_string (d->kind), error)
      || !ul_sql_bind_text (stmt, ":uri", d->ldap_uri, error)
      || !ul_sql_bind_text (stmt, ":base", d->base_dn, error)
      || !ul_sql_bind_text (stmt, ":bind", d->bind_dn, error)
      || !ul_sql_bind_text (stmt, ":password", d->bind_password, error)
      || !ul_sql_bind_int64 (stmt, ":starttls", d->starttls ? 1 : 0, error)
      || !ul_sql_bind_text (stmt, ":filter", d->filter, error)
      || !ul_sql_bind_int64 (stmt, ":page_size", MAX (d->page_size, 1), error)
      || !ul_sql_bind_text (stmt, ":a_name", d->attr_name, error)
      || !ul_sql_bind_text (stmt, ":a_ext", d->attr_extension, error)
      || !ul_sql_bind_text (stmt, ":a_email", d->attr_email, error)
      || !ul_sql_bind_text (stmt, ":a_group", d->attr_group, error)
      || !ul_sql_bind_text (stmt, ":a_cti", d->attr_cti_device, error)
      || !ul_sql_bind_text (stmt, ":csv_path", d->csv_path, error)
      || !ul_sql_bind_text (stmt, ":csv_encoding", csv_encoding_to_string (d->csv_encoding), error)
      || !ul_sql_step_done (stmt, error)
      || !ul_store_commit (self, &txn, error))
    {
      g_prefix_error (error, "saving the directory source: ");
      return FALSE;
    }
  return TRUE;
}

static int
compare_users (gconstpointer a, gconstpointer b)
{
  const UlUser *x = *(const UlUser * const *) a;
  const UlUser *y = *(const UlUser * const *) b;

  return ul_extension_compare (x->extension, y->extension);
}

GPtrArray *
ul_store_load_users (UlStore *self, GError **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_user_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_row = TRUE;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  stmt = ul_sql_prepare (ul_store_get_db (self),
                         "SELECT extension, name, email, user_group, cti_device, invited_at,"
                         " registered_at FROM user",
                         error);
  if (stmt == NULL)
    return NULL;
  for (;;)
    {
      UlUser *user;

      if (!ul_sql_step_row (stmt, &has_row, error))
        {
          g_prefix_error (error, "loading the users: ");
          return NULL;
        }
      if (!has_row)
        break;
      user = ul_user_new (ul_sql_column_text (stmt, 0), ul_sql_column_text (stmt, 1),
                          ul_sql_column_text (stmt, 2));
      ul_sql_set_string (&user->user_group, stmt, 3);
      ul_sql_set_string (&user->cti_device, stmt, 4);
      user->invited_at = sqlite3_column_int64 (stmt, 5);
      user->registered_at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (users, user);
    }

  /* People read extensions numerically ("9" before "10"), which SQL collation does not. */
  g_ptr_array_sort (users, compare_users);
  ul_users_compute_eligibility (users);
  return g_steal_pointer (&users);
}

gboolean
ul_store_replace_users (UlStore    *self,
                        GPtrArray  *users,
                        const char *fact_key,
                        const char *fact_value,
                        GError    **error)
{
  sqlite3 *db = ul_store_get_db (self);
  g_autoptr(UlSqlTxn) txn = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(sqlite3_stmt) fact = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  txn = ul_store_begin_write (self, error);
  if (txn == NULL || !ul_sql_exec (db, "DELETE FROM user", error))
    return FALSE;

  insert = ul_sql_prepare (db,
                           "INSERT INTO user (extension, name, email, user_group, cti_device,"
                           " invited_at, registered_at) VALUES (:ext, :name, :email, :grp, :cti,"
                           " :invited, :registered)",
                           error);
  if (insert == NULL)
    return FALSE;
  for (guint i = 0; i < users->len; i++)
    {
      const UlUser *user = g_ptr_array_index (users, i);

      if (!ul_sql_bind_text (insert, ":ext", user->extension, error)
          || !ul_sql_bind_text (insert, ":name", user->name, error)
          || !ul_sql_bind_text (insert, ":email", user->email, error)
          || !ul_sql_bind_text (insert, ":grp", user->user_group, error)
          || !ul_sql_bind_text (insert, ":cti", user->cti_device, error)
          || !ul_sql_bind_int64 (insert, ":invited", user->invited_at, error)
          || !ul_sql_bind_int64 (insert, ":registered", user->registered_at, error)
          || !ul_sql_step_done (insert, error))
        {
          g_prefix_error (error, "saving user %s: ", user->extension);
          return FALSE;
        }
    }

  if (fact_key != NULL)
    {
      fact = ul_sql_prepare (db,
                             "INSERT INTO fact (key, value) VALUES (:key, :value)"
                             " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             error);
      if (fact == NULL || !ul_sql_bind_text (fact, ":key", fact_key, error)
          || !ul_sql_bind_text (fact, ":value", fact_value, error)
          || !ul_sql_step_done (fact, error))
        return FALSE;
    }
  return ul_store_commit (self, &txn, error);
}
