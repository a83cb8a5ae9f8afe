/* ul-store-mail.c — SMTP settings, outbox, registration links and credentials of UlStore. */
#define G_LOG_DOMAIN "uplink-store"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ul-error.h"
#include "ul-store-mail.h"
#include "ul-store-private.h"

#define OUTBOX_COLUMNS "id, message_id, extension, recipient, link_hash, state, attempts," \
                       " created_at, updated_at, next_attempt_at, expires_at, reply, error"

static gboolean
failed (GError **error, const char *what)
{
  g_prefix_error (error, "%s: ", what);
  return FALSE;
}

void
ul_outbox_mail_free (UlOutboxMail *mail)
{
  if (mail == NULL)
    return;
  g_free (mail->message_id);
  g_free (mail->extension);
  g_free (mail->recipient);
  g_free (mail->link_hash);
  g_free (mail->language);
  g_clear_pointer (&mail->message, g_bytes_unref);
  g_free (mail->state);
  g_free (mail->reply);
  g_free (mail->error);
  g_free (mail);
}

void
ul_store_link_free (UlStoreLink *link)
{
  if (link == NULL)
    return;
  g_free (link->extension);
  g_free (link->state);
  g_free (link->language);
  g_free (link);
}

/* SMTP settings */

UlSmtpConfig *
ul_store_load_smtp (UlStore *self, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(UlSmtpConfig) smtp = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  stmt = ul_sql_query (ul_store_get_db (self),
                       "SELECT host, port, tls, username, password, from_address, from_name,"
                       " reply_to FROM smtp WHERE id = 1",
                       &has_row, error);
  if (stmt == NULL)
    {
      failed (error, "loading the SMTP settings");
      return NULL;
    }
  if (!has_row)
    return NULL;

  smtp = ul_smtp_config_new ();
  ul_sql_set_string (&smtp->host, stmt, 0);
  smtp->port = (guint) sqlite3_column_int (stmt, 1);
  ul_smtp_tls_from_string (ul_sql_column_text (stmt, 2), &smtp->tls);
  ul_sql_set_string (&smtp->username, stmt, 3);
  ul_sql_set_string (&smtp->password, stmt, 4);
  ul_sql_set_string (&smtp->from_address, stmt, 5);
  ul_sql_set_string (&smtp->from_name, stmt, 6);
  ul_sql_set_string (&smtp->reply_to, stmt, 7);
  return g_steal_pointer (&smtp);
}

gboolean
ul_store_save_smtp (UlStore *self, const UlSmtpConfig *smtp, GError **error)
{
  sqlite3 *db = ul_store_get_db (self);
  g_autoptr(UlSqlTxn) txn = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  txn = ul_store_begin_write (self, error);
  if (txn == NULL)
    return failed (error, "saving the SMTP settings");
  stmt = ul_sql_prepare (db,
                         "INSERT INTO smtp (id, host, port, tls, username, password,"
                         " from_address, from_name, reply_to)"
                         " VALUES (1, :host, :port, :tls, :username, :password, :from_address,"
                         " :from_name, :reply_to)"
                         " ON CONFLICT (id) DO UPDATE SET host = excluded.host,"
                         " port = excluded.port, tls = excluded.tls,"
                         " username = excluded.username, password = excluded.password,"
                         " from_address = excluded.from_address,"
                         " from_name = excluded.from_name, reply_to = excluded.reply_to",
                         error);
  if (stmt == NULL
      || !ul_sql_bind_text (stmt, ":host", smtp->host, error)
      || !ul_sql_bind_int64 (stmt, ":port", smtp->port, error)
      || !ul_sql_bind_text (stmt, ":tls", ul_smtp_tls_to_string (smtp->tls), error)
      || !ul_sql_bind_text (stmt, ":username", smtp->username, error)
      || !ul_sql_bind_text (stmt, ":password", smtp->password, error)
      || !ul_sql_bind_text (stmt, ":from_address", smtp->from_address, error)
      || !ul_sql_bind_text (stmt, ":from_name", smtp->from_name, error)
      || !ul_sql_bind_text (stmt, ":reply_to", smtp->reply_to, error)
      || !ul_sql_step_done (stmt, error)
      || !ul_store_commit (self, &txn, error))
    return failed (error, "saving the SMTP settings");
  return TRUE;
}

UlMailSettings *
ul_store_load_mail_settings (UlStore *self, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  UlMailSettings *settings;
  gboolean has_row = FALSE;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  stmt = ul_sql_query (ul_store_get_db (self),
                       "SELECT registration_url, link_lifetime, retry_initial, retry_max"
                       " FROM mail_settings WHERE id = 1",
                       &has_row, error);
  if (stmt == NULL)
    {
      failed (error, "loading the mail settings");
      return NULL;
    }
  if (!has_row)
    return NULL;

  settings = ul_mail_settings_new ();
  ul_sql_set_string (&settings->registration_url, stmt, 0);
  settings->link_lifetime = (guint) sqlite3_column_int64 (stmt, 1);
  settings->retry_initial = (guint) sqlite3_column_int64 (stmt, 2);
  settings->retry_max = (guint) sqlite3_column_int64 (stmt, 3);
  return settings;
}

gboolean
ul_store_save_mail_settings (UlStore *self, const UlMailSettings *settings, GError **error)
{
  g_autoptr(UlSqlTxn) txn = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  txn = ul_store_begin_write (self, error);
  if (txn == NULL)
    return failed (error, "saving the mail settings");
  stmt = ul_sql_prepare (ul_store_get_db (self),
                         "INSERT INTO mail_settings (id, registration_url, link_lifetime,"
                         " retry_initial, retry_max) VALUES (1, :url, :lifetime, :initial, :max)"
                         " ON CONFLICT (id) DO UPDATE SET"
                         " registration_url = excluded.registration_url,"
                         " link_lifetime = excluded.link_lifetime,"
                         " retry_initial = excluded.retry_initial, retry_max = excluded.retry_max",
                         error);
  if (stmt == NULL
      || !ul_sql_bind_text (stmt, ":url", settings->registration_url, error)
      || !ul_sql_bind_int64 (stmt, ":lifetime", settings->link_lifetime, error)
      || !ul_sql_bind_int64 (stmt, ":initial", settings->retry_initial, error)
      || !ul_sql_bind_int64 (stmt, ":max", settings->retry_max, error)
      || !ul_sql_step_done (stmt, error)
      || !ul_store_commit (self, &txn, error))
    return failed (error, "saving the mail settings");
  return TRUE;
}

/* Outbox */

static gboolean
exec_bound (sqlite3_stmt *stmt, const char *ext, gint64 now, GError **error)
{
  return ul_sql_bind_text (stmt, ":ext", ext, error)
         && ul_sql_bind_int64 (stmt, ":now", now, error)
         && ul_sql_step_done (stmt, error);
}

gboolean
ul_store_accept_mails (UlStore   *self,
                       GPtrArray *mails,
                       gint64     link_expires_at,
                       gint64     now,
                       GError   **error)
{
  sqlite3 *db = ul_store_get_db (self);
  g_autoptr(UlSqlTxn) txn = NULL;
  g_autoptr(sqlite3_stmt) replace_links = NULL;
  g_autoptr(sqlite3_stmt) supersede = NULL;
  g_autoptr(sqlite3_stmt) add_link = NULL;
  g_autoptr(sqlite3_stmt) add_mail = NULL;
  g_autoptr(sqlite3_stmt) invited = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  txn = ul_store_begin_write (self, error);
  if (txn == NULL
      || (replace_links = ul_sql_prepare (db,
                                          "UPDATE registration_link SET state = 'replaced'"
                                          " WHERE extension = :ext AND state = 'valid'",
                                          error)) == NULL
      || (supersede = ul_sql_prepare (db,
                                      "UPDATE outbox SET state = 'superseded', updated_at = :now"
                                      " WHERE extension = :ext AND state = 'queued'",
                                      error)) == NULL
      || (add_link = ul_sql_prepare (db,
                                     "INSERT INTO registration_link (token_hash, extension,"
                                     " created_at, expires_at, state, language)"
                                     " VALUES (:hash, :ext, :now, :expires, 'valid', :language)",
                                     error)) == NULL
      || (add_mail = ul_sql_prepare (db,
                                     "INSERT INTO outbox (message_id, extension, recipient,"
                                     " link_hash, message, state, attempts, created_at,"
                                     " updated_at, next_attempt_at, expires_at)"
                                     " VALUES (:message_id, :ext, :recipient, :hash, :message,"
                                     " 'queued', 0, :now, :now, :now, :expires)",
                                     error)) == NULL
      || (invited = ul_sql_prepare (db,
                                    "UPDATE user SET invited_at = :now WHERE extension = :ext",
                                    error)) == NULL)
    return failed (error, "accepting the mails");

  for (guint i = 0; i < mails->len; i++)
    {
      UlOutboxMail *mail = g_ptr_array_index (mails, i);
      gsize size;
      gconstpointer data = g_bytes_get_data (mail->message, &size);

      if (!ul_sql_bind_text (replace_links, ":ext", mail->extension, error)
          || !ul_sql_step_done (replace_links, error)
          || !exec_bound (supersede, mail->extension, now, error)
          || !ul_sql_bind_text (add_link, ":hash", mail->link_hash, error)
          || !ul_sql_bind_int64 (add_link, ":expires", link_expires_at, error)
          || !ul_sql_bind_text (add_link, ":language", mail->language, error)
          || !exec_bound (add_link, mail->extension, now, error)
          || !ul_sql_bind_text (add_mail, ":message_id", mail->message_id, error)
          || !ul_sql_bind_text (add_mail, ":recipient", mail->recipient, error)
          || !ul_sql_bind_text (add_mail, ":hash", mail->link_hash, error)
          || !ul_sql_bind_int64 (add_mail, ":expires", link_expires_at, error))
        return failed (error, "accepting the mails");
      if (sqlite3_bind_blob64 (add_mail, sqlite3_bind_parameter_index (add_mail, ":message"),
                               data, size, SQLITE_STATIC) != SQLITE_OK)
        return ul_sql_error (db, error);
      if (!exec_bound (add_mail, mail->extension, now, error))
        return failed (error, "accepting the mails");
      mail->id = sqlite3_last_insert_rowid (db);
      if (!exec_bound (invited, mail->extension, now, error))
        return failed (error, "accepting the mails");
    }
  if (!ul_store_commit (self, &txn, error))
    return failed (error, "accepting the mails");
  return TRUE;
}

static UlOutboxMail *
read_mail (sqlite3_stmt *stmt)
{
  UlOutboxMail *mail = g_new0 (UlOutboxMail, 1);

  mail->id = sqlite3_column_int64 (stmt, 0);
  mail->message_id = g_strdup (ul_sql_column_text (stmt, 1));
  mail->extension = g_strdup (ul_sql_column_text (stmt, 2));
  mail->recipient = g_strdup (ul_sql_column_text (stmt, 3));
  mail->link_hash = g_strdup (ul_sql_column_text (stmt, 4));
  mail->state = g_strdup (ul_sql_column_text (stmt, 5));
  mail->attempts = (guint) sqlite3_column_int64 (stmt, 6);
  mail->created_at = sqlite3_column_int64 (stmt, 7);
  mail->updated_at = sqlite3_column_int64 (stmt, 8);
  mail->next_attempt_at = sqlite3_column_int64 (stmt, 9);
  mail->expires_at = sqlite3_column_int64 (stmt, 10);
  mail->reply = g_strdup (ul_sql_column_text (stmt, 11));
  mail->error = g_strdup (ul_sql_column_text (stmt, 12));
  return mail;
}

GPtrArray *
ul_store_outbox_claim (UlStore          *self,
                       gint64            now,
                       guint             limit,
                       UlOutboxRetryFunc retry_at,
                       gpointer          user_data,
                       gint64           *next_due,
                       GError          **error)
{
  sqlite3 *db = ul_store_get_db (self);
  g_autoptr(GPtrArray) mails = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_outbox_mail_free);
  g_autoptr(UlSqlTxn) txn = NULL;
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) claim = NULL;
  gboolean has_row = TRUE;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  txn = ul_sql_begin (db, TRUE, error);
  if (txn == NULL
      || (select = ul_sql_prepare (db,
                                   "SELECT " OUTBOX_COLUMNS ", message FROM outbox"
                                   " WHERE state = 'queued' AND next_attempt_at <= :now"
                                   " ORDER BY next_attempt_at, id LIMIT :limit",
                                   error)) == NULL
      || !ul_sql_bind_int64 (select, ":now", now, error)
      || !ul_sql_bind_int64 (select, ":limit", limit, error)
      || (claim = ul_sql_prepare (db,
                                  "UPDATE outbox SET state = 'sending', attempts = :attempts,"
                                  " next_attempt_at = :at, updated_at = :now WHERE id = :id",
                                  error)) == NULL)
    {
      failed (error, "claiming mails");
      return NULL;
    }
  for (;;)
    {
      UlOutboxMail *mail;

      if (!ul_sql_step_row (select, &has_row, error))
        {
          failed (error, "claiming mails");
          return NULL;
        }
      if (!has_row)
        break;
      mail = read_mail (select);
      mail->message = g_bytes_new (sqlite3_column_blob (select, 13),
                                   sqlite3_column_bytes (select, 13));
      g_ptr_array_add (mails, mail);
    }
  for (guint i = 0; i < mails->len; i++)
    {
      UlOutboxMail *mail = g_ptr_array_index (mails, i);

      mail->attempts++;
      mail->next_attempt_at = retry_at (mail->attempts, now, user_data);
      mail->updated_at = now;
      g_free (mail->state);
      mail->state = g_strdup (UL_OUTBOX_SENDING);
      if (!ul_sql_bind_int64 (claim, ":attempts", mail->attempts, error)
          || !ul_sql_bind_int64 (claim, ":at", mail->next_attempt_at, error)
          || !ul_sql_bind_int64 (claim, ":now", now, error)
          || !ul_sql_bind_int64 (claim, ":id", mail->id, error)
          || !ul_sql_step_done (claim, error))
        {
          failed (error, "claiming mails");
          return NULL;
        }
    }
  if ((next_due != NULL
       && !ul_sql_query_int (db, "SELECT coalesce (min (next_attempt_at), 0) FROM outbox"
                                 " WHERE state = 'queued'",
                             next_due, error))
      || (mails->len > 0 && !ul_sql_commit (&txn, error)))
    {
      failed (error, "claiming mails");
      return NULL;
    }
  return g_steal_pointer (&mails);
}

gboolean
ul_store_outbox_unclaim (UlStore *self, GPtrArray *mails, gint64 due, gint64 now,
                         GError **error)
{
  sqlite3 *db = ul_store_get_db (self);
  g_autoptr(UlSqlTxn) txn = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  if (mails->len == 0)
    return TRUE;
  txn = ul_sql_begin (db, TRUE, error);
  if (txn == NULL
      || (stmt = ul_sql_prepare (db,
                                 "UPDATE outbox SET state = 'queued', attempts = attempts - 1,"
                                 " next_attempt_at = :due, updated_at = :now"
                                 " WHERE id = :id AND state = 'sending'",
                                 error)) == NULL)
    return failed (error, "returning mails to the queue");
  for (guint i = 0; i < mails->len; i++)
    {
      if (!ul_sql_bind_int64 (stmt, ":due", due, error)
          || !ul_sql_bind_int64 (stmt, ":now", now, error)
          || !ul_sql_bind_int64 (stmt, ":id", ((UlOutboxMail *) g_ptr_array_index (mails, i))->id,
                                 error)
          || !ul_sql_step_done (stmt, error))
        return failed (error, "returning mails to the queue");
    }
  if (!ul_sql_commit (&txn, error))
    return failed (error, "returning mails to the queue");
  return TRUE;
}

/* One UPDATE of one mail in its own transaction, without an audit line: deliveries are not
 * administrative changes, and a pending audit entry belongs to the next one. */
static gboolean
update_mail (UlStore    *self,
             const char *sql,
             gint64      id,
             const char *text,
             gint64      at,
             gint64      now,
             GError    **error)
{
  sqlite3 *db = ul_store_get_db (self);
  g_autoptr(UlSqlTxn) txn = ul_sql_begin (db, TRUE, error);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (txn == NULL || (stmt = ul_sql_prepare (db, sql, error)) == NULL
      || !ul_sql_bind_int64 (stmt, ":id", id, error)
      || !ul_sql_bind_int64 (stmt, ":now", now, error)
      || (strstr (sql, ":text") != NULL && !ul_sql_bind_text (stmt, ":text", text, error))
      || (strstr (sql, ":at") != NULL && !ul_sql_bind_int64 (stmt, ":at", at, error))
      || !ul_sql_step_done (stmt, error)
      || !ul_sql_commit (&txn, error))
    return failed (error, "updating the outbox");
  return TRUE;
}

gboolean
ul_store_outbox_mark_sent (UlStore *self, gint64 id, const char *reply, gint64 now,
                           GError **error)
{
  return update_mail (self,
                      "UPDATE outbox SET state = 'sent', reply = :text, error = NULL,"
                      " updated_at = :now WHERE id = :id",
                      id, reply, 0, now, error);
}

gboolean
ul_store_outbox_mark_retry (UlStore *self, gint64 id, const char *reason, gint64 retry_at,
                            gint64 now, GError **error)
{
  return update_mail (self,
                      "UPDATE outbox SET state = 'queued', error = :text, next_attempt_at = :at,"
                      " updated_at = :now WHERE id = :id",
                      id, reason, retry_at, now, error);
}

gboolean
ul_store_outbox_mark_failed (UlStore *self, gint64 id, const char *reason, gint64 now,
                             GError **error)
{
  return update_mail (self,
                      "UPDATE outbox SET state = 'failed', error = :text, updated_at = :now"
                      " WHERE id = :id",
                      id, reason, 0, now, error);
}

gboolean
ul_store_outbox_recover (UlStore *self, const char *reason, gint64 now, guint *count,
                         GError **error)
{
  sqlite3 *db = ul_store_get_db (self);
  g_autoptr(UlSqlTxn) txn = ul_sql_begin (db, TRUE, error);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  if (txn == NULL
      || (stmt = ul_sql_prepare (db,
                                 "UPDATE outbox SET state = 'queued', error = :reason,"
                                 " updated_at = :now WHERE state = 'sending'",
                                 error)) == NULL
      || !ul_sql_bind_text (stmt, ":reason", reason, error)
      || !ul_sql_bind_int64 (stmt, ":now", now, error)
      || !ul_sql_step_done (stmt, error))
    return failed (error, "recovering the outbox");
  if (count != NULL)
    *count = (guint) sqlite3_changes (db);
  if (!ul_sql_commit (&txn, error))
    return failed (error, "recovering the outbox");
  return TRUE;
}

GPtrArray *
ul_store_outbox_latest (UlStore *self, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *mails;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  stmt = ul_sql_prepare (ul_store_get_db (self),
                         "SELECT " OUTBOX_COLUMNS " FROM outbox"
                         " WHERE id IN (SELECT max (id) FROM outbox GROUP BY extension)",
                         error);
  if (stmt == NULL)
    return NULL;
  mails = ul_sql_collect (stmt, (UlSqlReadRow) read_mail, (GDestroyNotify) ul_outbox_mail_free,
                          error);
  if (mails == NULL)
    failed (error, "reading the outbox");
  return mails;
}

static UlOutboxMail *
find_one (UlStore *self, const char *sql, const char *name, const char *value, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_row = FALSE;

  stmt = ul_sql_prepare (ul_store_get_db (self), sql, error);
  if (stmt == NULL || !ul_sql_bind_text (stmt, name, value, error)
      || !ul_sql_step_row (stmt, &has_row, error))
    {
      failed (error, "reading the outbox");
      return NULL;
    }
  return has_row ? read_mail (stmt) : NULL;
}

UlOutboxMail *
ul_store_outbox_latest_for (UlStore *self, const char *extension, GError **error)
{
  g_return_val_if_fail (UL_IS_STORE (self), NULL);
  return find_one (self,
                   "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE extension = :ext"
                   " ORDER BY id DESC LIMIT 1",
                   ":ext", extension, error);
}

UlOutboxMail *
ul_store_outbox_find (UlStore *self, const char *message_id, GError **error)
{
  g_return_val_if_fail (UL_IS_STORE (self), NULL);
  return find_one (self, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE message_id = :message_id",
                   ":message_id", message_id, error);
}

/* Registration links and credentials */

UlStoreLink *
ul_store_find_link (UlStore *self, const char *link_hash, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  UlStoreLink *link;
  gboolean has_row = FALSE;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  stmt = ul_sql_prepare (ul_store_get_db (self),
                         "SELECT extension, state, created_at, expires_at, used_at, language"
                         " FROM registration_link WHERE token_hash = :hash",
                         error);
  if (stmt == NULL || !ul_sql_bind_text (stmt, ":hash", link_hash, error)
      || !ul_sql_step_row (stmt, &has_row, error))
    {
      failed (error, "reading the registration links");
      return NULL;
    }
  if (!has_row)
    return NULL;
  link = g_new0 (UlStoreLink, 1);
  link->extension = g_strdup (ul_sql_column_text (stmt, 0));
  link->state = g_strdup (ul_sql_column_text (stmt, 1));
  link->created_at = sqlite3_column_int64 (stmt, 2);
  link->expires_at = sqlite3_column_int64 (stmt, 3);
  link->used_at = sqlite3_column_int64 (stmt, 4);
  link->language = g_strdup (ul_sql_column_text (stmt, 5));
  return link;
}

/* The admin contact's account of the HTTPS API (the account table is UlAuthService's). */
static gboolean
register_admin_account (sqlite3    *db,
                        const char *email,
                        const char *password_hash,
                        gint64      now,
                        GError    **error)
{
  g_autoptr(sqlite3_stmt) upsert = NULL;
  g_autoptr(sqlite3_stmt) sessions = NULL;

  return (upsert = ul_sql_prepare (db,
                                   "INSERT INTO account (email, password_hash, role, created_at)"
                                   " VALUES (:email, :password, 'customerAdmin', :now)"
                                   " ON CONFLICT (email) DO UPDATE SET"
                                   " password_hash = excluded.password_hash"
                                   " WHERE account.role = 'customerAdmin'",
                                   error)) != NULL
         && ul_sql_bind_text (upsert, ":email", email, error)
         && ul_sql_bind_text (upsert, ":password", password_hash, error)
         && ul_sql_bind_int64 (upsert, ":now", now, error)
         && ul_sql_step_done (upsert, error)
         /* A new password ends the logins made with the old one. */
         && (sessions = ul_sql_prepare (db,
                                        "DELETE FROM session WHERE account_id IN"
                                        " (SELECT id FROM account WHERE email = :email"
                                        " AND role = 'customerAdmin')",
                                        error)) != NULL
         && ul_sql_bind_text (sessions, ":email", email, error)
         && ul_sql_step_done (sessions, error);
}

static char *
digest_hex (GChecksumType type, const char *username, const char *realm, const char *password)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (type);

  g_checksum_update (checksum, (const guchar *) username, -1);
  g_checksum_update (checksum, (const guchar *) ":", 1);
  g_checksum_update (checksum, (const guchar *) realm, -1);
  g_checksum_update (checksum, (const guchar *) ":", 1);
  g_checksum_update (checksum, (const guchar *) password, -1);
  return g_strdup (g_checksum_get_string (checksum));
}

UlSipDigest *
ul_sip_digest_new (const char *username, const char *realm, const char *password)
{
  UlSipDigest *digest;

  g_return_val_if_fail (username != NULL && realm != NULL && password != NULL, NULL);

  digest = g_new0 (UlSipDigest, 1);
  digest->realm = g_strdup (realm);
  digest->ha1_md5 = digest_hex (G_CHECKSUM_MD5, username, realm, password);
  digest->ha1_sha256 = digest_hex (G_CHECKSUM_SHA256, username, realm, password);
  return digest;
}

void
ul_sip_digest_free (UlSipDigest *digest)
{
  if (digest == NULL)
    return;
  g_free (digest->realm);
  g_free (digest->ha1_md5);
  g_free (digest->ha1_sha256);
  g_free (digest);
}

gboolean
ul_store_register (UlStore           *self,
                   const char        *link_hash,
                   const char        *password_hash,
                   const UlSipDigest *sip,
                   const char        *admin_email,
                   gint64             now,
                   GError           **error)
{
  sqlite3 *db = ul_store_get_db (self);
  g_autoptr(UlSqlTxn) txn = NULL;
  g_autoptr(sqlite3_stmt) use = NULL;
  g_autoptr(sqlite3_stmt) credential = NULL;
  g_autoptr(sqlite3_stmt) registered = NULL;

  g_return_val_if_fail (UL_IS_STORE (self), FALSE);

  txn = ul_store_begin_write (self, error);
  if (txn == NULL
      || (use = ul_sql_prepare (db,
                                "UPDATE registration_link SET state = 'used', used_at = :now"
                                " WHERE token_hash = :hash AND state = 'valid'"
                                " AND expires_at > :now",
                                error)) == NULL
      || !ul_sql_bind_text (use, ":hash", link_hash, error)
      || !ul_sql_bind_int64 (use, ":now", now, error)
      || !ul_sql_step_done (use, error))
    return failed (error, "registering");
  /* Checked under the write lock: of two racing registrations only one finds it valid. */
  if (sqlite3_changes (db) != 1)
    {
      g_set_error_literal (error, UL_ERROR, UL_ERROR_WRONG_STATE,
                           _("This registration link is no longer valid"));
      return FALSE;
    }
  if ((credential = ul_sql_prepare (db,
                                    "INSERT INTO user_credential (extension, password_hash,"
                                    " updated_at, sip_realm, sip_ha1_md5, sip_ha1_sha256)"
                                    " SELECT extension, :password, :now, :realm, :md5, :sha256"
                                    " FROM registration_link WHERE token_hash = :hash"
                                    " ON CONFLICT (extension) DO UPDATE SET"
                                    " password_hash = excluded.password_hash,"
                                    " updated_at = excluded.updated_at,"
                                    " sip_realm = excluded.sip_realm,"
                                    " sip_ha1_md5 = excluded.sip_ha1_md5,"
                                    " sip_ha1_sha256 = excluded.sip_ha1_sha256",
                                    error)) == NULL
      || !ul_sql_bind_text (credential, ":password", password_hash, error)
      || !ul_sql_bind_text (credential, ":realm", sip != NULL ? sip->realm : NULL, error)
      || !ul_sql_bind_text (credential, ":md5", sip != NULL ? sip->ha1_md5 : NULL, error)
      || !ul_sql_bind_text (credential, ":sha256", sip != NULL ? sip->ha1_sha256 : NULL, error)
      || !ul_sql_bind_int64 (credential, ":now", now, error)
      || !ul_sql_bind_text (credential, ":hash", link_hash, error)
      || !ul_sql_step_done (credential, error)
      || (registered = ul_sql_prepare (db,
                                       "UPDATE user SET registered_at = :now WHERE extension ="
                                       " (SELECT extension FROM registration_link"
                                       " WHERE token_hash = :hash)",
                                       error)) == NULL
      || !ul_sql_bind_int64 (registered, ":now", now, error)
      || !ul_sql_bind_text (registered, ":hash", link_hash, error)
      || !ul_sql_step_done (registered, error)
      || (admin_email != NULL
          && !register_admin_account (db, admin_email, password_hash, now, error))
      || !ul_store_commit (self, &txn, error))
    return failed (error, "registering");
  return TRUE;
}

char *
ul_store_get_credential (UlStore *self, const char *extension, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  stmt = ul_sql_prepare (ul_store_get_db (self),
                         "SELECT password_hash FROM user_credential WHERE extension = :ext",
                         error);
  if (stmt == NULL || !ul_sql_bind_text (stmt, ":ext", extension, error)
      || !ul_sql_step_row (stmt, &has_row, error))
    {
      failed (error, "reading the credentials");
      return NULL;
    }
  return has_row ? g_strdup (ul_sql_column_text (stmt, 0)) : NULL;
}

UlSipDigest *
ul_store_get_sip_digest (UlStore *self, const char *extension, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean has_row = FALSE;
  UlSipDigest *digest;

  g_return_val_if_fail (UL_IS_STORE (self), NULL);

  stmt = ul_sql_prepare (ul_store_get_db (self),
                         "SELECT sip_realm, sip_ha1_md5, sip_ha1_sha256 FROM user_credential"
                         " WHERE extension = :ext AND sip_realm IS NOT NULL",
                         error);
  if (stmt == NULL || !ul_sql_bind_text (stmt, ":ext", extension, error)
      || !ul_sql_step_row (stmt, &has_row, error))
    {
      failed (error, "reading the credentials");
      return NULL;
    }
  if (!has_row)
    return NULL;
  digest = g_new0 (UlSipDigest, 1);
  digest->realm = g_strdup (ul_sql_column_text (stmt, 0));
  digest->ha1_md5 = g_strdup (ul_sql_column_text (stmt, 1));
  digest->ha1_sha256 = g_strdup (ul_sql_column_text (stmt, 2));
  return digest;
}
