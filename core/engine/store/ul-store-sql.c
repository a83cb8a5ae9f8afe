/* ul-store-sql.c — small checked wrappers over the SQLite C API for the store. */
#define G_LOG_DOMAIN "uplink-store"

#include "ul-store-sql.h"

#include "ul-error.h"

gboolean
ul_sql_error (sqlite3 *db, GError **error)
{
  g_set_error_literal (error, UL_ERROR, UL_ERROR_STORAGE, sqlite3_errmsg (db));
  return FALSE;
}

gboolean
ul_sql_exec (sqlite3 *db, const char *sql, GError **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return ul_sql_error (db, error);
  return TRUE;
}

sqlite3_stmt *
ul_sql_prepare (sqlite3 *db, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    ul_sql_error (db, error);
  return stmt;
}

/* Binding a :name that the SQL lacks fails with SQLITE_RANGE, so a typo is an error rather
 * than a silently NULL column. */
gboolean
ul_sql_bind_text (sqlite3_stmt *stmt, const char *name, const char *value, GError **error)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (sqlite3_bind_text (stmt, index, value, -1, SQLITE_STATIC) != SQLITE_OK)
    return ul_sql_error (sqlite3_db_handle (stmt), error);
  return TRUE;
}

gboolean
ul_sql_bind_int64 (sqlite3_stmt *stmt, const char *name, gint64 value, GError **error)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (sqlite3_bind_int64 (stmt, index, value) != SQLITE_OK)
    return ul_sql_error (sqlite3_db_handle (stmt), error);
  return TRUE;
}

gboolean
ul_sql_step_done (sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return ul_sql_error (sqlite3_db_handle (stmt), error);
  return TRUE;
}

gboolean
ul_sql_step_row (sqlite3_stmt *stmt, gboolean *has_row, GError **error)
{
  int rc = sqlite3_step (stmt);

  *has_row = rc == SQLITE_ROW;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ul_sql_error (sqlite3_db_handle (stmt), error);
  return TRUE;
}

sqlite3_stmt *
ul_sql_query (sqlite3 *db, const char *sql, gboolean *has_row, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = ul_sql_prepare (db, sql, error);

  if (stmt == NULL || !ul_sql_step_row (stmt, has_row, error))
    return NULL;
  return g_steal_pointer (&stmt);
}

gboolean
ul_sql_query_int (sqlite3 *db, const char *sql, gint64 *out, GError **error)
{
  gboolean has_row;
  g_autoptr (sqlite3_stmt) stmt = ul_sql_query (db, sql, &has_row, error);

  if (stmt == NULL)
    return FALSE;
  *out = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

const char *
ul_sql_column_text (sqlite3_stmt *stmt, int column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

void
ul_sql_set_string (char **field, sqlite3_stmt *stmt, int column)
{
  g_free (*field);
  *field = g_strdup (ul_sql_column_text (stmt, column));
}

/* Replaces the child rows of a list inside the caller's transaction. @insert_sql binds
 * :position and :value. */
gboolean
ul_sql_replace_strv (sqlite3            *db,
              const char         *delete_sql,
              const char         *insert_sql,
              const char * const *values,
              GError            **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (!ul_sql_exec (db, delete_sql, error))
    return FALSE;
  if (values == NULL || values[0] == NULL)
    return TRUE;
  if ((stmt = ul_sql_prepare (db, insert_sql, error)) == NULL)
    return FALSE;
  for (gsize i = 0; values[i] != NULL; i++)
    {
      if (!ul_sql_bind_int64 (stmt, ":position", i, error) ||
          !ul_sql_bind_text (stmt, ":value", values[i], error) ||
          !ul_sql_step_done (stmt, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
ul_sql_load_strv (sqlite3 *db, const char *sql, GStrv *out, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = ul_sql_prepare (db, sql, error);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  gboolean has_row = TRUE;

  if (stmt == NULL)
    return FALSE;
  while (has_row)
    {
      if (!ul_sql_step_row (stmt, &has_row, error))
        return FALSE;
      if (has_row)
        g_strv_builder_add (builder, ul_sql_column_text (stmt, 0));
    }
  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

void
ul_sql_txn_rollback (UlSqlTxn *db)
{
  /* SQLite rolls back by itself on some errors (e.g. SQLITE_FULL); nothing is left then. */
  if (sqlite3_get_autocommit (db))
    return;
  if (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
    g_warning ("Cannot roll back: %s", sqlite3_errmsg (db));
}

gboolean
ul_sql_commit (UlSqlTxn **txn, GError **error)
{
  if (!ul_sql_exec (*txn, "COMMIT", error))
    return FALSE;
  *txn = NULL;
  return TRUE;
}

UlSqlTxn *
ul_sql_begin (sqlite3 *db, gboolean write, GError **error)
{
  if (!ul_sql_exec (db, write ? "BEGIN IMMEDIATE" : "BEGIN", error))
    return NULL;
  return db;
}

GPtrArray *
ul_sql_collect (sqlite3_stmt  *stmt,
                UlSqlReadRow   read_row,
                GDestroyNotify free_row,
                GError       **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_row);
  gboolean has_row = TRUE;

  for (;;)
    {
      if (!ul_sql_step_row (stmt, &has_row, error))
        return NULL;
      if (!has_row)
        return g_steal_pointer (&rows);
      g_ptr_array_add (rows, read_row (stmt));
    }
}
