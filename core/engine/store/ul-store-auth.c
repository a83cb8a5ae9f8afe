/* ul-store-auth.c — the account and session tables of UlStore (see ul-store-auth.h). */
#define G_LOG_DOMAIN "uplink-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ul-error.h"
#include "ul-store-auth.h"
#include "ul-store-private.h"

#define ACCOUNT_COLUMNS "account.id, account.email, account.password_hash, account.role," \
                        " account.created_at"

void
ul_store_account_free (UlStoreAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->email);
  if (account->password_hash != NULL)
    memset (account->password_hash, 0, strlen (account->password_hash));
  g_free (account->password_hash);
  g_free (account->role);
  g_free (account);
}

static UlStoreAccount *
read_account (sqlite3_stmt *stmt)
{
  UlStoreAccount *account = g_new0 (UlStoreAccount, 1);

  account->id = sqlite3_column_int64 (stmt, 0);
  account->email = g_strdup (ul_sql_column_text (stmt, 1));
  account->password_hash = g_strdup (ul_sql_column_text (stmt, 2));
  account->role = g_strdup (ul_sql_column_text (stmt, 3));
  account->created_at = sqlite3_column_int64 (stmt, 4);
  return account;
}

static gboolean
failed (GError **error, const char *what)
{
  g_prefix_error (error, "%s: ", what);
  return FALSE;
}

gboolean
ul_store_count_accounts (UlStore *self, const char *role, gint64 *out, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  stmt = ul_sql_prepare (ul_store_get_db (self),
                         "SELECT count (*) FROM account WHERE :role IS NULL OR role = :role",
                         error);
  if (stmt == NULL || !ul_sql_bind_text (stmt, ":role", role, error)
      || !ul_sql_step_row (stmt, &has_row, error))
    return failed (error, "counting the accounts");
  *out = has_row ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

UlStoreAccount *
ul_store_find_account (UlStore *self, const char *email, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);
  g_return_val_if_fail (email != NULL, NULL);

  stmt = ul_sql_prepare (ul_store_get_db (self),
                         "SELECT " ACCOUNT_COLUMNS " FROM account WHERE email = :email",
                         error);
  if (stmt == NULL || !ul_sql_bind_text (stmt, ":email", email, error)
      || !ul_sql_step_row (stmt, &has_row, error))
    {
      failed (error, "loading an account");
      return NULL;
    }
  return has_row ? read_account (stmt) : NULL;
}

GPtrArray *
ul_store_list_accounts (UlStore *self, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *accounts;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  stmt = ul_sql_prepare (ul_store_get_db (self),
                         "SELECT " ACCOUNT_COLUMNS " FROM account ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  accounts = ul_sql_collect (stmt, (UlSqlReadRow) read_account,
                             (GDestroyNotify) ul_store_account_free, error);
  if (accounts == NULL)
    failed (error, "listing the accounts");
  return accounts;
}

gboolean
ul_store_add_account (UlStore        *self,
                      UlStoreAccount *account,
                      gboolean        only_if_unclaimed,
                      GError        **error)
{
  sqlite3 *db = ul_store_get_db (self);
  g_autoptr(UlSqlTxn) txn = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 partners = 0, taken = 0;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);
  g_return_val_if_fail (account != NULL && account->email != NULL, FALSE);

  txn = ul_store_begin_write (self, error);
  if (txn == NULL)
    return failed (error, "adding an account");

  /* Both checks run under the write lock, so they still hold when the row goes in. */
  if (only_if_unclaimed)
    {
      if (!ul_sql_query_int (db, "SELECT count (*) FROM account WHERE role = 'partner'",
                             &partners, error))
        return failed (error, "adding an account");
      if (partners > 0)
        {
          g_set_error_literal (error, UL_ERROR, UL_ERROR_WRONG_STATE,
                               _("This gateway has already been claimed"));
          return FALSE;
        }
    }

  stmt = ul_sql_prepare (db, "SELECT count (*) FROM account WHERE email = :email", error);
  if (stmt == NULL || !ul_sql_bind_text (stmt, ":email", account->email, error))
    return failed (error, "adding an account");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    taken = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (taken > 0)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "email",
                          _("An account with this e-mail address already exists"));
      return FALSE;
    }

  stmt = ul_sql_prepare (db,
                         "INSERT INTO account (email, password_hash, role, created_at)"
                         " VALUES (:email, :hash, :role, :created)",
                         error);
  if (stmt == NULL
      || !ul_sql_bind_text (stmt, ":email", account->email, error)
      || !ul_sql_bind_text (stmt, ":hash", account->password_hash, error)
      || !ul_sql_bind_text (stmt, ":role", account->role, error)
      || !ul_sql_bind_int64 (stmt, ":created", account->created_at, error)
      || !ul_sql_step_done (stmt, error))
    return failed (error, "adding an account");
  account->id = sqlite3_last_insert_rowid (db);
  if (!ul_store_commit (self, &txn, error))
    return failed (error, "adding an account");
  return TRUE;
}

gboolean
ul_store_set_account_password (UlStore    *self,
                               gint64      account_id,
                               const char *password_hash,
                               const char *keep_token_hash,
                               GError    **error)
{
  sqlite3 *db = ul_store_get_db (self);
  g_autoptr(UlSqlTxn) txn = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(sqlite3_stmt) revoke = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  txn = ul_store_begin_write (self, error);
  if (txn == NULL)
    return failed (error, "changing a password");
  update = ul_sql_prepare (db, "UPDATE account SET password_hash = :hash WHERE id = :id", error);
  revoke = ul_sql_prepare (db,
                           "DELETE FROM session WHERE account_id = :id"
                           " AND (:keep IS NULL OR token_hash <> :keep)",
                           error);
  if (update == NULL || revoke == NULL
      || !ul_sql_bind_text (update, ":hash", password_hash, error)
      || !ul_sql_bind_int64 (update, ":id", account_id, error)
      || !ul_sql_step_done (update, error)
      || !ul_sql_bind_int64 (revoke, ":id", account_id, error)
      || !ul_sql_bind_text (revoke, ":keep", keep_token_hash, error)
      || !ul_sql_step_done (revoke, error)
      || !ul_store_commit (self, &txn, error))
    return failed (error, "changing a password");
  return TRUE;
}

gboolean
ul_store_remove_account (UlStore *self, gint64 account_id, GError **error)
{
  sqlite3 *db = ul_store_get_db (self);
  g_autoptr(UlSqlTxn) txn = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  txn = ul_store_begin_write (self, error);
  if (txn == NULL)
    return failed (error, "removing an account");
  /* Sessions go with the account through ON DELETE CASCADE. */
  stmt = ul_sql_prepare (db, "DELETE FROM account WHERE id = :id", error);
  if (stmt == NULL || !ul_sql_bind_int64 (stmt, ":id", account_id, error)
      || !ul_sql_step_done (stmt, error))
    return failed (error, "removing an account");
  if (sqlite3_changes (db) == 0)
    {
      g_set_error_literal (error, UL_ERROR, UL_ERROR_NOT_FOUND, _("No such account"));
      return FALSE;
    }
  if (!ul_store_commit (self, &txn, error))
    return failed (error, "removing an account");
  return TRUE;
}

gboolean
ul_store_add_session (UlStore    *self,
                      const char *token_hash,
                      gint64      account_id,
                      gint64      created_at,
                      gint64      expires_at,
                      const char *peer,
                      GError    **error)
{
  g_autoptr(UlSqlTxn) txn = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  txn = ul_store_begin_write (self, error);
  if (txn == NULL)
    return failed (error, "adding a session");
  stmt = ul_sql_prepare (ul_store_get_db (self),
                         "INSERT INTO session"
                         " (token_hash, account_id, created_at, expires_at, peer)"
                         " VALUES (:hash, :account, :created, :expires, :peer)",
                         error);
  if (stmt == NULL
      || !ul_sql_bind_text (stmt, ":hash", token_hash, error)
      || !ul_sql_bind_int64 (stmt, ":account", account_id, error)
      || !ul_sql_bind_int64 (stmt, ":created", created_at, error)
      || !ul_sql_bind_int64 (stmt, ":expires", expires_at, error)
      || !ul_sql_bind_text (stmt, ":peer", peer, error)
      || !ul_sql_step_done (stmt, error)
      || !ul_store_commit (self, &txn, error))
    return failed (error, "adding a session");
  return TRUE;
}

UlStoreAccount *
ul_store_find_session (UlStore *self, const char *token_hash, gint64 *expires_at, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_row = FALSE;
  UlStoreAccount *account;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  stmt = ul_sql_prepare (ul_store_get_db (self),
                         "SELECT " ACCOUNT_COLUMNS ", session.expires_at FROM session"
                         " JOIN account ON account.id = session.account_id"
                         " WHERE session.token_hash = :hash",
                         error);
  if (stmt == NULL || !ul_sql_bind_text (stmt, ":hash", token_hash, error)
      || !ul_sql_step_row (stmt, &has_row, error))
    {
      failed (error, "loading a session");
      return NULL;
    }
  if (!has_row)
    return NULL;
  account = read_account (stmt);
  *expires_at = sqlite3_column_int64 (stmt, 5);
  return account;
}

gboolean
ul_store_remove_sessions (UlStore    *self,
                          const char *token_hash,
                          gint64      account_id,
                          guint      *removed,
                          GError    **error)
{
  sqlite3 *db = ul_store_get_db (self);
  g_autoptr(UlSqlTxn) txn = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  txn = ul_store_begin_write (self, error);
  if (txn == NULL)
    return failed (error, "removing sessions");
  stmt = ul_sql_prepare (db,
                         "DELETE FROM session WHERE (:hash IS NULL OR token_hash = :hash)"
                         " AND (:account = 0 OR account_id = :account)",
                         error);
  if (stmt == NULL
      || !ul_sql_bind_text (stmt, ":hash", token_hash, error)
      || !ul_sql_bind_int64 (stmt, ":account", account_id, error)
      || !ul_sql_step_done (stmt, error))
    return failed (error, "removing sessions");
  if (removed != NULL)
    *removed = (guint) sqlite3_changes (db);
  if (!ul_store_commit (self, &txn, error))
    return failed (error, "removing sessions");
  return TRUE;
}

gboolean
ul_store_prune_sessions (UlStore *self, gint64 now, GError **error)
{
  g_autoptr(UlSqlTxn) txn = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  /* A plain transaction: housekeeping must not pick up an audit entry meant for a change. */
  txn = ul_sql_begin (ul_store_get_db (self), TRUE, error);
  if (txn == NULL)
    return failed (error, "pruning sessions");
  stmt = ul_sql_prepare (ul_store_get_db (self),
                         "DELETE FROM session WHERE expires_at <= :now", error);
  if (stmt == NULL || !ul_sql_bind_int64 (stmt, ":now", now, error)
      || !ul_sql_step_done (stmt, error) || !ul_sql_commit (&txn, error))
    return failed (error, "pruning sessions");
  return TRUE;
}

gboolean
ul_store_get_data_version (UlStore *self, gint64 *out, GError **error)
{
  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  return ul_sql_query_int (ul_store_get_db (self), "PRAGMA data_version", out, error);
}

gboolean
ul_store_write_audit (UlStore *self, GError **error)
{
  g_autoptr(UlSqlTxn) txn = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  txn = ul_store_begin_write (self, error);
  if (txn == NULL || !ul_store_commit (self, &txn, error))
    return failed (error, "writing the audit log");
  return TRUE;
}
