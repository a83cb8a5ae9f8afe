/* test-auth.c — the pieces of UlAuthService without a network: the login rate limiter, the
 * same-subnet rule, the account and session tables of the store, and the service's claim,
 * login, token and revocation rules in-process. */
#include "config.h"

#include <glib/gstdio.h>

#include "ul-auth-limiter.h"
#include "ul-auth-service.h"
#include "ul-auth-subnet.h"
#include "ul-error.h"
#include "ul-store-auth.h"

#define S G_USEC_PER_SEC

static void
test_limiter (void)
{
  UlAuthLimits limits = { .max_failures = 3, .window = 60, .lockout = 10, .max_lockout = 25 };
  g_autoptr(UlAuthLimiter) limiter = ul_auth_limiter_new (&limits, 16);
  gint64 t = 1000 * S;

  /* Two failures are fine, the third locks for 10 s; a success would have forgotten. */
  g_assert_cmpuint (ul_auth_limiter_fail (limiter, "a", t), ==, 0);
  g_assert_cmpuint (ul_auth_limiter_fail (limiter, "a", t + S), ==, 0);
  g_assert_cmpuint (ul_auth_limiter_check (limiter, "a", t + S), ==, 0);
  g_assert_cmpuint (ul_auth_limiter_fail (limiter, "a", t + 2 * S), ==, 10);
  g_assert_cmpuint (ul_auth_limiter_check (limiter, "a", t + 2 * S), ==, 10);
  g_assert_cmpuint (ul_auth_limiter_check (limiter, "a", t + 11 * S + 1), ==, 1);
  g_assert_cmpuint (ul_auth_limiter_check (limiter, "a", t + 12 * S), ==, 0);
  g_assert_cmpuint (ul_auth_limiter_check (limiter, "b", t), ==, 0);

  /* The next lock-out doubles, capped at max_lockout. */
  t += 12 * S;
  ul_auth_limiter_fail (limiter, "a", t);
  ul_auth_limiter_fail (limiter, "a", t);
  g_assert_cmpuint (ul_auth_limiter_fail (limiter, "a", t), ==, 20);
  t += 20 * S;
  ul_auth_limiter_fail (limiter, "a", t);
  ul_auth_limiter_fail (limiter, "a", t);
  g_assert_cmpuint (ul_auth_limiter_fail (limiter, "a", t), ==, 25);

  /* Failures outside the window do not add up. */
  ul_auth_limiter_fail (limiter, "c", t);
  ul_auth_limiter_fail (limiter, "c", t + 61 * S);
  g_assert_cmpuint (ul_auth_limiter_fail (limiter, "c", t + 62 * S), ==, 0);

  ul_auth_limiter_reset (limiter, "a");
  g_assert_cmpuint (ul_auth_limiter_check (limiter, "a", t), ==, 0);

  /* An attacker spraying keys cannot grow the table past its bound. */
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *key = g_strdup_printf ("spray%u", i);
      ul_auth_limiter_fail (limiter, key, t + i);
    }
  g_assert_cmpuint (ul_auth_limiter_get_size (limiter), <=, 16);
}

static GInetAddressMask *
mask (const char *text)
{
  g_autoptr(GError) error = NULL;
  GInetAddressMask *value = g_inet_address_mask_new_from_string (text, &error);

  g_assert_no_error (error);
  return value;
}

static gboolean
matches (GPtrArray *networks, const char *address)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);

  g_assert_nonnull (inet);
  return ul_auth_subnet_matches (networks, inet);
}

/* An address on none of this host's networks (CI hosts use documentation ranges too). */
static const char *
non_local_address (void)
{
  static const char * const candidates[] = { "203.0.113.77", "198.51.100.77", "192.0.2.77",
                                             "100.64.77.77", "2001:db8:77::77" };

  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (!ul_auth_subnet_is_local (candidates[i], NULL))
      return candidates[i];
  g_assert_not_reached ();
}

static void
test_subnet (void)
{
  g_autoptr(GPtrArray) networks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) local = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (networks, mask ("10.231.1.0/24"));
  g_ptr_array_add (networks, mask ("fd31:231:1::/64"));
  g_assert_true (matches (networks, "10.231.1.20"));
  g_assert_true (matches (networks, "::ffff:10.231.1.20"));
  g_assert_false (matches (networks, "10.231.2.20"));
  g_assert_false (matches (networks, "::ffff:10.231.2.20"));
  g_assert_true (matches (networks, "fd31:231:1::20"));
  g_assert_false (matches (networks, "fd31:231:2::20"));

  /* This host: loopback is one of its networks; some other address is not. */
  local = ul_auth_subnet_list_local (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (local->len, >, 0);
  g_assert_true (ul_auth_subnet_is_local ("127.0.0.1", NULL));
  g_assert_false (ul_auth_subnet_is_local (non_local_address (), NULL));
  g_assert_false (ul_auth_subnet_is_local ("not an address", NULL));
}

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("uplink-auth-test-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir, "uplink.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);

  g_unlink (db);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static UlStoreAccount *
account (const char *email, const char *role)
{
  UlStoreAccount *a = g_new0 (UlStoreAccount, 1);

  a->email = g_strdup (email);
  a->password_hash = g_strdup ("$argon2id$v=19$m=19456,t=2,p=1$not-a-real-hash");
  a->role = g_strdup (role);
  a->created_at = 1;
  return a;
}

static void
test_store (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "uplink.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(UlStore) store = ul_store_open (path, &error);
  g_autoptr(UlStoreAccount) partner = account ("p@partner.example", "partner");
  g_autoptr(UlStoreAccount) second = account ("q@partner.example", "partner");
  g_autoptr(UlStoreAccount) twin = account ("P@Partner.example", "customerAdmin");
  g_autoptr(UlStoreAccount) found = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  const char *hash1 = "1111111111111111111111111111111111111111111111111111111111111111";
  const char *hash2 = "2222222222222222222222222222222222222222222222222222222222222222";
  gint64 count = -1, expires = 0;
  guint removed = 0;

  g_assert_no_error (error);
  g_assert_true (ul_store_add_account (store, partner, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (partner->id, >, 0);

  /* The claim is one: a second claim fails under the same lock. */
  g_assert_false (ul_store_add_account (store, second, TRUE, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_WRONG_STATE);
  g_clear_error (&error);
  /* E-mails are unique without regard to case. */
  g_assert_false (ul_store_add_account (store, twin, FALSE, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  found = ul_store_find_account (store, "P@PARTNER.EXAMPLE", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->email, ==, "p@partner.example");
  g_assert_true (ul_store_count_accounts (store, "partner", &count, &error));
  g_assert_cmpint (count, ==, 1);

  /* Sessions: found by digest, pruned when expired, kept on a password change when asked. */
  g_assert_true (ul_store_add_session (store, hash1, partner->id, 1, 100, "127.0.0.1", &error));
  g_assert_true (ul_store_add_session (store, hash2, partner->id, 1, 200, "127.0.0.1", &error));
  g_clear_pointer (&found, ul_store_account_free);
  found = ul_store_find_session (store, hash1, &expires, &error);
  g_assert_nonnull (found);
  g_assert_cmpint (expires, ==, 100);
  g_assert_true (ul_store_prune_sessions (store, 150, &error));
  g_clear_pointer (&found, ul_store_account_free);
  found = ul_store_find_session (store, hash1, &expires, &error);
  g_assert_no_error (error);
  g_assert_null (found);
  g_assert_true (ul_store_set_account_password (store, partner->id,
                                                "$argon2id$v=19$m=19456,t=2,p=1$new",
                                                hash2, &error));
  found = ul_store_find_session (store, hash2, &expires, &error);
  g_assert_nonnull (found);
  g_assert_true (ul_store_remove_sessions (store, NULL, partner->id, &removed, &error));
  g_assert_cmpuint (removed, ==, 1);

  /* An audit line goes in with the write it belongs to. */
  ul_store_set_audit (store, ul_audit_entry_new ("p@partner.example", "127.0.0.1",
                                                 "login-failed", NULL));
  g_assert_true (ul_store_write_audit (store, &error));
  audit = ul_store_list_audit (store, 0, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((UlAuditEntry *) g_ptr_array_index (audit, 0))->action, ==, "login-failed");

  g_assert_true (ul_store_remove_account (store, partner->id, &error));
  g_assert_false (ul_store_remove_account (store, partner->id, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_NOT_FOUND);
}

typedef struct
{
  GVariant *reply;
  GError   *error;
  guint     retry_after;
  gboolean  done;
} Result;

static void
on_claimed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->reply = ul_auth_service_claim_finish (UL_AUTH_SERVICE (source), result, &r->error);
  r->done = TRUE;
}

static void
on_logged_in (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->reply = ul_auth_service_login_finish (UL_AUTH_SERVICE (source), result, &r->retry_after,
                                           &r->error);
  r->done = TRUE;
}

static void
wait_result (Result *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->reply, g_variant_unref);
  g_clear_error (&r->error);
  r->done = FALSE;
  r->retry_after = 0;
}

static void
test_service (Fixture *f, gconstpointer data)
{
  UlAuthSettings settings;
  g_autoptr(UlAuthService) auth = NULL;
  g_autoptr(UlAuthSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) request = g_variant_ref_sink (g_variant_new_parsed (
    "{'email': <'p@partner.example'>, 'password': <'correct horse battery staple'>}"));
  g_autoptr(GVariant) wrong = g_variant_ref_sink (g_variant_new_parsed (
    "{'email': <'p@partner.example'>, 'password': <'not the password'>}"));
  UlCaller remote = { "anonymous", non_local_address () };
  UlCaller local = { "anonymous", "127.0.0.1" };
  Result r = { 0 };
  const char *token = NULL;

  ul_auth_settings_init (&settings);
  settings.max_failures = 2;
  auth = ul_auth_service_new (f->dir, &settings, &error);
  g_assert_no_error (error);
  g_assert_false (ul_auth_service_is_claimed (auth));

  /* Not from a network the gateway is on. */
  ul_auth_service_claim_async (auth, &remote, request, NULL, on_claimed, &r);
  wait_result (&r);
  g_assert_error (r.error, UL_ERROR, UL_ERROR_PERMISSION_DENIED);
  result_clear (&r);

  ul_auth_service_claim_async (auth, &local, request, NULL, on_claimed, &r);
  wait_result (&r);
  g_assert_no_error (r.error);
  g_assert_true (ul_auth_service_is_claimed (auth));
  result_clear (&r);

  ul_auth_service_login_async (auth, &local, request, NULL, on_logged_in, &r);
  wait_result (&r);
  g_assert_no_error (r.error);
  g_assert_true (g_variant_lookup (r.reply, "token", "&s", &token));
  session = ul_auth_service_authenticate (auth, token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (session->role, ==, UL_AUTH_ROLE_PARTNER);
  g_assert_true (ul_auth_session_check (session, UL_AUTH_PERMISSION_ACCOUNTS, NULL));

  /* Sessions another connection (the engine's) ends stop working here too. */
  {
    g_autofree char *path = g_build_filename (f->dir, "uplink.db", NULL);
    g_autoptr(UlStore) other = ul_store_open (path, &error);
    g_autoptr(UlAuthSession) again = NULL;

    g_assert_no_error (error);
    g_assert_true (ul_store_remove_sessions (other, NULL, session->account_id, NULL, &error));
    again = ul_auth_service_authenticate (auth, token, &error);
    g_assert_null (again);
    g_assert_error (error, UL_ERROR, UL_ERROR_UNAUTHORIZED);
    g_clear_error (&error);
  }
  result_clear (&r);
  ul_auth_service_login_async (auth, &local, request, NULL, on_logged_in, &r);
  wait_result (&r);
  g_assert_no_error (r.error);
  g_assert_true (g_variant_lookup (r.reply, "token", "&s", &token));
  g_clear_pointer (&session, ul_auth_session_free);
  session = ul_auth_service_authenticate (auth, token, &error);
  g_assert_no_error (error);

  /* Logout ends it. */
  g_assert_true (ul_auth_service_logout (auth, &local, session, &error));
  g_assert_null (ul_auth_service_authenticate (auth, token, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_false (ul_auth_service_is_session_valid (auth, session));
  result_clear (&r);

  /* Two wrong passwords lock the account, even against the right one. */
  for (int i = 0; i < 2; i++)
    {
      ul_auth_service_login_async (auth, &local, wrong, NULL, on_logged_in, &r);
      wait_result (&r);
      g_assert_error (r.error, UL_ERROR, UL_ERROR_UNAUTHORIZED);
      result_clear (&r);
    }
  ul_auth_service_login_async (auth, &local, request, NULL, on_logged_in, &r);
  wait_result (&r);
  g_assert_error (r.error, UL_ERROR, UL_ERROR_RATE_LIMITED);
  g_assert_cmpuint (r.retry_after, >, 0);
  result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/auth/limiter", test_limiter);
  g_test_add_func ("/uplink/auth/subnet", test_subnet);
  g_test_add ("/uplink/auth/store", Fixture, NULL, fixture_setup, test_store, fixture_teardown);
  g_test_add ("/uplink/auth/service", Fixture, NULL, fixture_setup, test_service,
              fixture_teardown);
  return g_test_run ();
}
