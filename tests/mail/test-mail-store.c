/* test-mail-store.c — the outbox, links and credentials of UlStore (schemas 5 and 6): one
 * transaction per acceptance, the delivery states, recovery after a crash, links that
 * work exactly once and keep their mail's language. */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "ul-error.h"
#include "ul-store-mail.h"

#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define ARGON  "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"

typedef struct
{
  char    *dir;
  char    *path;
  UlStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_user_free);

  f->dir = g_dir_make_tmp ("uplink-mail-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "uplink.db", NULL);
  f->store = ul_store_open (f->path, &error);
  g_assert_no_error (error);
  g_ptr_array_add (users, ul_user_new ("201", "Jürgen Müller", "juergen@acme.example"));
  g_ptr_array_add (users, ul_user_new ("202", "Zoë Ångström", "zoe@acme.example"));
  g_assert_true (ul_store_replace_users (f->store, users, NULL, NULL, &error));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_clear_object (&f->store);
  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* The first column of the first row of @sql, on a second connection to the file. */
static char *
raw_text (Fixture *f, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static UlOutboxMail *
new_mail (const char *extension, const char *message_id, const char *hash)
{
  UlOutboxMail *mail = g_new0 (UlOutboxMail, 1);

  mail->extension = g_strdup (extension);
  mail->message_id = g_strdup (message_id);
  mail->recipient = g_strdup ("x@acme.example");
  mail->link_hash = g_strdup (hash);
  mail->message = g_bytes_new_static ("Subject: x\r\n\r\nbody\r\n", 21);
  return mail;
}

static void
accept (Fixture *f, UlOutboxMail *mail, gint64 expires, gint64 now)
{
  g_autoptr(GPtrArray) mails = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_outbox_mail_free);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (mails, mail);
  ul_store_set_audit (f->store, ul_audit_entry_new ("test", NULL, "send-deployment-emails", NULL));
  g_assert_true (ul_store_accept_mails (f->store, mails, expires, now, &error));
  g_assert_no_error (error);
}

static gint64
retry_in_60 (guint attempts, gint64 now, gpointer user_data)
{
  return now + 60 * attempts;
}

static UlOutboxMail *
claim_one (Fixture *f, gint64 now, gint64 *due)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = ul_store_outbox_claim (f->store, now, 10, retry_in_60, NULL, due,
                                                        &error);

  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, <=, 1);
  return claimed->len > 0 ? g_ptr_array_steal_index (claimed, 0) : NULL;
}

static void
test_outbox_states (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlOutboxMail) mail = NULL;
  g_autoptr(UlOutboxMail) latest = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  gint64 due = 0;
  guint recovered = 0;

  accept (f, new_mail ("201", "<1@partner.example>", HASH_A), 1000 + 3600, 1000);
  users = ul_store_load_users (f->store, &error);
  g_assert_cmpint (((UlUser *) g_ptr_array_index (users, 0))->invited_at, ==, 1000);

  /* Claimed: "sending", the attempt counted, the retry time stored in case of a crash. */
  mail = claim_one (f, 1001, &due);
  g_assert_nonnull (mail);
  g_assert_cmpstr (mail->state, ==, UL_OUTBOX_SENDING);
  g_assert_cmpuint (mail->attempts, ==, 1);
  g_assert_cmpint (mail->next_attempt_at, ==, 1061);
  g_assert_cmpuint (g_bytes_get_size (mail->message), ==, 21);
  g_assert_cmpint (due, ==, 0);
  g_clear_pointer (&mail, ul_outbox_mail_free);
  g_assert_null (claim_one (f, 2000, &due));

  /* A crash while sending: the next start queues it again, due at its retry time. */
  g_assert_true (ul_store_outbox_recover (f->store, "interrupted", 1002, &recovered, &error));
  g_assert_cmpuint (recovered, ==, 1);
  g_assert_null (claim_one (f, 1060, &due));
  g_assert_cmpint (due, ==, 1061);
  mail = claim_one (f, 1061, NULL);
  g_assert_nonnull (mail);
  g_assert_cmpuint (mail->attempts, ==, 2);
  g_assert_cmpstr (mail->error, ==, "interrupted");

  /* Claimed but never tried (shutdown, relay down): back without counting the attempt. */
  batch = g_ptr_array_new ();
  g_ptr_array_add (batch, mail);
  g_assert_true (ul_store_outbox_unclaim (f->store, batch, 1100, 1062, &error));
  g_clear_pointer (&mail, ul_outbox_mail_free);
  mail = claim_one (f, 1100, NULL);
  g_assert_cmpuint (mail->attempts, ==, 2);

  g_assert_true (ul_store_outbox_mark_sent (f->store, mail->id, "250 2.0.0 Ok", 1101, &error));
  latest = ul_store_outbox_latest_for (f->store, "201", &error);
  g_assert_cmpstr (latest->state, ==, UL_OUTBOX_SENT);
  g_assert_cmpstr (latest->reply, ==, "250 2.0.0 Ok");
  g_assert_null (latest->error);
  g_assert_null (claim_one (f, G_MAXINT64 / 2, &due));
  g_assert_cmpint (due, ==, 0);
  g_assert_true (ul_store_check (f->store, &error));
}

static void
test_resend_supersedes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlOutboxMail) first = NULL;
  g_autoptr(GPtrArray) latest = NULL;
  g_autoptr(UlStoreLink) old_link = NULL;
  g_autoptr(UlStoreLink) new_link = NULL;

  accept (f, new_mail ("202", "<1@partner.example>", HASH_A), 5000, 1000);
  accept (f, new_mail ("202", "<2@partner.example>", HASH_B), 6000, 1100);

  first = ul_store_outbox_find (f->store, "<1@partner.example>", &error);
  g_assert_cmpstr (first->state, ==, UL_OUTBOX_SUPERSEDED);
  latest = ul_store_outbox_latest (f->store, &error);
  g_assert_cmpuint (latest->len, ==, 1);
  g_assert_cmpstr (((UlOutboxMail *) g_ptr_array_index (latest, 0))->message_id, ==,
                   "<2@partner.example>");
  old_link = ul_store_find_link (f->store, HASH_A, &error);
  g_assert_cmpstr (old_link->state, ==, UL_LINK_REPLACED);
  new_link = ul_store_find_link (f->store, HASH_B, &error);
  g_assert_cmpstr (new_link->state, ==, UL_LINK_VALID);
  g_assert_cmpint (new_link->expires_at, ==, 6000);
  g_assert_null (ul_store_find_link (f->store, "unknown", &error));
  g_assert_no_error (error);
}

/* An admin contact whose e-mail is also the partner's account does not take it over. */
static void
test_register_partner_email (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *partner = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO account (email, password_hash, role, created_at)"
                                     " VALUES ('juergen@acme.example', '$argon2id$partner',"
                                     " 'partner', 1)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  accept (f, new_mail ("201", "<1@partner.example>", HASH_A), now + 3600, now);
  g_assert_true (ul_store_register (f->store, HASH_A, ARGON, NULL, "juergen@acme.example",
                                    now, &error));
  partner = raw_text (f, "SELECT role || ' ' || password_hash FROM account");
  g_assert_cmpstr (partner, ==, "partner $argon2id$partner");
}

static void
test_register_once (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autofree char *credential = NULL;
  g_autofree char *account = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* RFC 2617 §3.5's example: its H(A1) is 939e7578…; the SHA-256 one is hashlib's. */
  g_autoptr(UlSipDigest) sip = ul_sip_digest_new ("Mufasa", "testrealm@host.com",
                                                  "Circle Of Life");
  g_autoptr(UlSipDigest) stored = NULL;

  g_assert_cmpstr (sip->ha1_md5, ==, "939e7578ed9e3c518a452acee763bce9");
  g_assert_cmpstr (sip->ha1_sha256, ==,
                   "3ba6cd94661c5ef34598040c868f13b8775df29109986be50ad35ae537dd3aa4");
  accept (f, new_mail ("201", "<1@partner.example>", HASH_A), now + 3600, now);
  accept (f, new_mail ("202", "<2@partner.example>", HASH_B), now - 1, now - 10);

  g_assert_true (ul_store_register (f->store, HASH_A, ARGON, sip, "juergen@acme.example",
                                    now, &error));
  g_assert_no_error (error);
  account = raw_text (f, "SELECT role || ' ' || password_hash FROM account"
                        " WHERE email = 'JUERGEN@acme.example'");
  g_assert_cmpstr (account, ==, "customerAdmin " ARGON);
  /* Used up: a second registration changes nothing. */
  g_assert_false (ul_store_register (f->store, HASH_A, ARGON, NULL, NULL, now, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_WRONG_STATE);
  g_clear_error (&error);
  /* Expired. */
  g_assert_false (ul_store_register (f->store, HASH_B, ARGON, NULL, NULL, now, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_WRONG_STATE);
  g_clear_error (&error);

  credential = ul_store_get_credential (f->store, "201", &error);
  g_assert_cmpstr (credential, ==, ARGON);
  g_assert_null (ul_store_get_credential (f->store, "202", &error));
  stored = ul_store_get_sip_digest (f->store, "201", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->realm, ==, "testrealm@host.com");
  g_assert_cmpstr (stored->ha1_md5, ==, sip->ha1_md5);
  g_assert_cmpstr (stored->ha1_sha256, ==, sip->ha1_sha256);
  g_assert_null (ul_store_get_sip_digest (f->store, "202", &error));
  users = ul_store_load_users (f->store, &error);
  g_assert_cmpint (((UlUser *) g_ptr_array_index (users, 0))->registered_at, ==, now);
  g_assert_cmpint (((UlUser *) g_ptr_array_index (users, 1))->registered_at, ==, 0);

  /* A directory sync keeps the credential (no cascade from the user rows). */
  g_assert_true (ul_store_replace_users (f->store, users, NULL, NULL, &error));
  g_clear_pointer (&credential, g_free);
  credential = ul_store_get_credential (f->store, "201", &error);
  g_assert_cmpstr (credential, ==, ARGON);
}

static void
raw_exec (Fixture *f, const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static void
test_link_language (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlStoreLink) link = NULL;
  g_autoptr(UlStoreLink) older = NULL;
  UlOutboxMail *mail = new_mail ("201", "<1@partner.example>", HASH_A);

  mail->language = g_strdup ("it");
  accept (f, mail, 1000 + 3600, 1000);
  link = ul_store_find_link (f->store, HASH_A, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (link->language, ==, "it");

  /* A gateway updated from schema 5 keeps its links, valid, without a language (and goes
   * through 6 → 7 on the way). */
  g_clear_object (&f->store);
  raw_exec (f, "ALTER TABLE user_credential DROP COLUMN sip_realm;"
               "ALTER TABLE user_credential DROP COLUMN sip_ha1_md5;"
               "ALTER TABLE user_credential DROP COLUMN sip_ha1_sha256;"
               "ALTER TABLE registration_link DROP COLUMN language;"
               "INSERT INTO registration_link (token_hash, extension, created_at, expires_at,"
               " state) VALUES ('" HASH_B "', '202', 1000, 4600, 'valid');"
               "PRAGMA user_version = 5;");
  f->store = ul_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ul_store_get_schema_version (f->store), ==, UL_STORE_SCHEMA_VERSION);
  g_assert_true (ul_store_check (f->store, &error));
  older = ul_store_find_link (f->store, HASH_B, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (older->state, ==, UL_LINK_VALID);
  g_assert_cmpint (older->expires_at, ==, 4600);
  g_assert_null (older->language);
  g_clear_pointer (&link, ul_store_link_free);
  link = ul_store_find_link (f->store, HASH_A, &error);
  g_assert_null (link->language);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/uplink/mail/store/outbox-states", Fixture, NULL, fixture_set_up,
              test_outbox_states, fixture_tear_down);
  g_test_add ("/uplink/mail/store/resend-supersedes", Fixture, NULL, fixture_set_up,
              test_resend_supersedes, fixture_tear_down);
  g_test_add ("/uplink/mail/store/link-language", Fixture, NULL, fixture_set_up,
              test_link_language, fixture_tear_down);
  g_test_add ("/uplink/mail/store/register-once", Fixture, NULL, fixture_set_up,
              test_register_once, fixture_tear_down);
  g_test_add ("/uplink/mail/store/register-partner-email", Fixture, NULL, fixture_set_up,
              test_register_partner_email, fixture_tear_down);
  return g_test_run ();
}
