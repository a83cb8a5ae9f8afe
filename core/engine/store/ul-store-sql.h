/* ul-store-sql.h — the SQLite helpers shared by the store's files (private to store/). */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* A transaction in progress on a connection. It rolls back when it goes out of scope
 * uncommitted, so every early return of a save leaves the previous state. */
typedef sqlite3 UlSqlTxn;

gboolean      ul_sql_error (sqlite3 *db, GError **error);
/* Static SQL only: values always go through bound parameters. */
gboolean      ul_sql_exec (sqlite3 *db, const char *sql, GError **error);
sqlite3_stmt *ul_sql_prepare (sqlite3 *db, const char *sql, GError **error);
/* Binding a :name that the SQL lacks fails with SQLITE_RANGE, so a typo is an error rather
 * than a silently NULL column. */
gboolean      ul_sql_bind_text (sqlite3_stmt *stmt, const char *name, const char *value,
                                GError **error);
gboolean      ul_sql_bind_int64 (sqlite3_stmt *stmt, const char *name, gint64 value,
                                 GError **error);
/* For statements without rows; resets @stmt so that it can be bound and run again. */
gboolean      ul_sql_step_done (sqlite3_stmt *stmt, GError **error);
gboolean      ul_sql_step_row (sqlite3_stmt *stmt, gboolean *has_row, GError **error);
/* Prepares a query without parameters and steps to its first row; NULL on error. */
sqlite3_stmt *ul_sql_query (sqlite3 *db, const char *sql, gboolean *has_row, GError **error);
/* The first column of the first row, 0 when there is none. */
gboolean      ul_sql_query_int (sqlite3 *db, const char *sql, gint64 *out, GError **error);
const char   *ul_sql_column_text (sqlite3_stmt *stmt, int column);
/* Replaces a string field of a record made by its _new(), which may hold a default. */
void          ul_sql_set_string (char **field, sqlite3_stmt *stmt, int column);
/* Replaces the child rows of a list inside the caller's transaction. @insert_sql binds
 * :position and :value. */
gboolean      ul_sql_replace_strv (sqlite3 *db, const char *delete_sql, const char *insert_sql,
                                   const char * const *values, GError **error);
/* Always a vector, possibly empty: a list that was saved is never "unset". */
gboolean      ul_sql_load_strv (sqlite3 *db, const char *sql, GStrv *out, GError **error);

/* Reads every row of @stmt with @read_row into a new array that frees with @free_row. */
typedef gpointer (*UlSqlReadRow) (sqlite3_stmt *stmt);
GPtrArray    *ul_sql_collect (sqlite3_stmt  *stmt,
                              UlSqlReadRow   read_row,
                              GDestroyNotify free_row,
                              GError       **error);

void          ul_sql_txn_rollback (UlSqlTxn *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlSqlTxn, ul_sql_txn_rollback)
/* BEGIN IMMEDIATE for writes takes the write lock (waiting up to the busy timeout) before
 * anything is read; a plain BEGIN for reads gives a record and its child rows one
 * snapshot. */
UlSqlTxn     *ul_sql_begin (sqlite3 *db, gboolean write, GError **error);
/* A failed COMMIT (e.g. SQLITE_BUSY) leaves the transaction open; @txn then still holds
 * it, and the caller's scope rolls it back. */
gboolean      ul_sql_commit (UlSqlTxn **txn, GError **error);

G_END_DECLS
