/* ul-auth-service.c — accounts, the claim, logins and bearer tokens (see the header).
 *
 * Every operation that hashes or verifies a password runs the Argon2id work in a worker
 * thread and everything else (store, caches, rate limits) on the main thread, in the
 * completion. The number of hashes in flight is capped: each costs ~20 MiB and tens of
 * milliseconds, and a flood of logins must not starve the gateway.
 */
#define G_LOG_DOMAIN "uplink-auth"

#include "config.h"

#include <string.h>
#include <sodium.h>
#include <glib/gi18n-lib.h>

#include "ul-auth-limiter.h"
#include "ul-auth-private.h"
#include "ul-auth-service.h"
#include "ul-auth-subnet.h"
#include "ul-error.h"
#include "ul-store-auth.h"
#include "ul-validate.h"
#include "ul-variant.h"

/* OWASP's Argon2id minimum (m = 19 MiB, t = 2, p = 1): libsodium always uses one lane. */
#define PWHASH_OPSLIMIT 2
#define PWHASH_MEMLIMIT (19 * 1024 * 1024)

#define PASSWORD_MIN_CHARS 10
#define PASSWORD_MAX_BYTES 1024
#define TOKEN_BYTES        32
#define TOKEN_PREFIX       "ul1_"
#define TOKEN_MAX_LENGTH   128
#define LIMITER_MAX_KEYS   4096
#define MAX_WAITING        16


G_DEFINE_FINAL_TYPE (UlAuthService, ul_auth_service, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (UlAuthSession, ul_auth_session, ul_auth_session_copy, ul_auth_session_free)

enum
{
  SIGNAL_CLAIMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
ul_auth_settings_init (UlAuthSettings *settings)
{
  settings->token_lifetime = 12 * 60 * 60;
  settings->max_failures = 5;
  settings->failure_window = 5 * 60;
  settings->lockout = 60;
  settings->max_lockout = 60 * 60;
  settings->max_hashing = 2;
}

UlAuthSession *
ul_auth_session_copy (const UlAuthSession *self)
{
  UlAuthSession *copy = g_new0 (UlAuthSession, 1);

  copy->account_id = self->account_id;
  copy->email = g_strdup (self->email);
  copy->role = g_strdup (self->role);
  copy->token_hash = g_strdup (self->token_hash);
  copy->expires_at = self->expires_at;
  return copy;
}

void
ul_auth_session_free (UlAuthSession *self)
{
  if (self == NULL)
    return;
  g_free (self->email);
  g_free (self->role);
  g_free (self->token_hash);
  g_free (self);
}

gboolean
ul_auth_session_check (const UlAuthSession *self, UlAuthPermission permission, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (g_strcmp0 (self->role, UL_AUTH_ROLE_PARTNER) == 0)
    return TRUE;
  if (g_strcmp0 (self->role, UL_AUTH_ROLE_CUSTOMER_ADMIN) == 0
      && (permission == UL_AUTH_PERMISSION_READ || permission == UL_AUTH_PERMISSION_CUSTOMER))
    return TRUE;
  g_set_error_literal (error, UL_ERROR, UL_ERROR_PERMISSION_DENIED,
                       _("Only the partner account may do this"));
  return FALSE;
}

/* Passwords and hashes are wiped before their memory goes back to the allocator. */
void
ul_auth_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  sodium_memzero (secret, strlen (secret));
  g_free (secret);
}


static void
ul_auth_service_finalize (GObject *object)
{
  UlAuthService *self = UL_AUTH_SERVICE (object);

  g_hash_table_unref (self->sessions);
  g_clear_object (&self->limiter);
  g_clear_object (&self->store);
  ul_auth_secret_free (self->dummy_hash);

  G_OBJECT_CLASS (ul_auth_service_parent_class)->finalize (object);
}

static void
ul_auth_service_class_init (UlAuthServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ul_auth_service_finalize;

  signals[SIGNAL_CLAIMED] =
    g_signal_new ("claimed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
ul_auth_service_init (UlAuthService *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) ul_auth_session_free);
}

UlAuthService *
ul_auth_service_new (const char *data_dir, const UlAuthSettings *settings, GError **error)
{
  g_autoptr(UlAuthService) self = g_object_new (UL_TYPE_AUTH_SERVICE, NULL);
  g_autofree char *path = NULL;
  UlAuthLimits limits;
  gint64 partners = 0;

  g_return_val_if_fail (data_dir != NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error_literal (error, UL_ERROR, UL_ERROR_FAILED,
                           _("Cannot initialise the cryptography library"));
      return NULL;
    }
  if (settings != NULL)
    self->settings = *settings;
  else
    ul_auth_settings_init (&self->settings);
  self->settings.token_lifetime = MAX (self->settings.token_lifetime, 1);
  self->settings.max_hashing = MAX (self->settings.max_hashing, 1);

  limits = (UlAuthLimits) {
    .max_failures = self->settings.max_failures,
    .window = self->settings.failure_window,
    .lockout = self->settings.lockout,
    .max_lockout = self->settings.max_lockout,
  };
  self->limiter = ul_auth_limiter_new (&limits, LIMITER_MAX_KEYS);

  path = g_build_filename (data_dir, "uplink.db", NULL);
  self->store = ul_store_open (path, error);
  if (self->store == NULL
      || !ul_store_count_accounts (self->store, UL_AUTH_ROLE_PARTNER, &partners, error)
      || !ul_store_prune_sessions (self->store, g_get_real_time () / G_USEC_PER_SEC, error))
    return NULL;
  self->claimed = partners > 0;
  return g_steal_pointer (&self);
}

gboolean
ul_auth_service_is_claimed (UlAuthService *self)
{
  g_return_val_if_fail (UL_IS_AUTH_SERVICE (self), FALSE);
  return self->claimed;
}

void
ul_auth_audit (UlAuthService *self, const UlCaller *caller, const char *actor, const char *action,
       const char *detail)
{
  ul_store_set_audit (self->store,
                      ul_audit_entry_new (actor != NULL ? actor : caller->actor, caller->peer,
                                          action, detail));
}

GVariant *
ul_auth_account_to_variant (const UlStoreAccount *account)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "email", g_variant_new_string (account->email));
  g_variant_builder_add (&builder, "{sv}", "role", g_variant_new_string (account->role));
  g_variant_builder_add (&builder, "{sv}", "createdAt", g_variant_new_int64 (account->created_at));
  return g_variant_builder_end (&builder);
}

/* Request parsing. Every request is a{sv} with exactly the keys the operation knows. */


gboolean
ul_auth_read_fields (GVariant *request, Field *fields, gsize n_fields, GError **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (request == NULL || !g_variant_is_of_type (request, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error_literal (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT,
                           _("The request must be a record of named values"));
      return FALSE;
    }
  g_variant_iter_init (&iter, request);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      gsize i;

      for (i = 0; i < n_fields; i++)
        if (g_str_equal (key, fields[i].key))
          break;
      if (i == n_fields)
        {
          g_variant_unref (value);
          return ul_variant_unknown_key (key, error);
        }
      g_clear_pointer (fields[i].out, ul_auth_secret_free);
      if (!ul_variant_get_string (value, key, fields[i].out, error))
        {
          g_variant_unref (value);
          return FALSE;
        }
    }
  for (gsize i = 0; i < n_fields; i++)
    if (*fields[i].out == NULL)
      {
        ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, fields[i].key, "%s",
                            _("This field is required"));
        return FALSE;
      }
  return TRUE;
}

gboolean
ul_auth_check_new_password (const char *password, const char *field, GError **error)
{
  if (!g_utf8_validate (password, -1, NULL) || strlen (password) > PASSWORD_MAX_BYTES)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          _("The password must be valid text of at most %d bytes"),
                          PASSWORD_MAX_BYTES);
      return FALSE;
    }
  if (g_utf8_strlen (password, -1) < PASSWORD_MIN_CHARS)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          _("The password must have at least %d characters"),
                          PASSWORD_MIN_CHARS);
      return FALSE;
    }
  return TRUE;
}
/* The Argon2id work, off the main thread. */



void
ul_auth_op_free (Op *op)
{
  g_free (op->actor);
  g_free (op->peer);
  g_free (op->email);
  g_free (op->role);
  g_clear_pointer (&op->session, ul_auth_session_free);
  g_clear_pointer (&op->account, ul_store_account_free);
  ul_auth_secret_free (op->password);
  ul_auth_secret_free (op->hash);
  ul_auth_secret_free (op->new_password);
  ul_auth_secret_free (op->new_hash);
  g_free (op);
}

Op *
ul_auth_op_new (OpKind kind, const UlCaller *caller)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->actor = g_strdup (caller != NULL ? caller->actor : NULL);
  op->peer = g_strdup (caller != NULL ? caller->peer : NULL);
  return op;
}

static char *
hash_password (const char *password)
{
  char out[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (out, password, strlen (password), PWHASH_OPSLIMIT, PWHASH_MEMLIMIT) != 0)
    return NULL;  /* out of memory */
  return g_strdup (out);
}

static void
hash_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Op *op = task_data;

  switch (op->kind)
    {
    case OP_CLAIM:
    case OP_ADD_ACCOUNT:
      op->new_hash = hash_password (op->password);
      break;
    case OP_LOGIN:
      if (op->hash != NULL)
        {
          op->verified = crypto_pwhash_str_verify (op->hash, op->password,
                                                   strlen (op->password)) == 0;
        }
      else
        {
          /* No dummy hash yet: making one costs what a verification costs. */
          char random[33];

          randombytes_buf (random, sizeof random - 1);
          for (gsize i = 0; i < sizeof random - 1; i++)
            random[i] = 'a' + (random[i] & 0x0f);
          random[sizeof random - 1] = '\0';
          op->new_hash = hash_password (random);
        }
      break;
    case OP_CHANGE_PASSWORD:
      op->verified = crypto_pwhash_str_verify (op->hash, op->password,
                                               strlen (op->password)) == 0;
      if (op->verified)
        op->new_hash = hash_password (op->new_password);
      break;
    default:
      g_assert_not_reached ();
    }
  g_task_return_boolean (task, TRUE);
}

static void on_hashed (GObject *source, GAsyncResult *result, gpointer user_data);

/* Takes over @task, whose task data is the Op. */
void
ul_auth_start_hashing (UlAuthService *self, GTask *task)
{
  g_autoptr(GTask) worker = NULL;

  if (self->hashing >= self->settings.max_hashing)
    {
      /* A short queue absorbs a few logins at once; a flood gets "busy". */
      if (self->waiting.length < MAX_WAITING)
        {
          g_queue_push_tail (&self->waiting, task);
          return;
        }
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_BUSY, "%s",
                               _("The gateway is busy checking other passwords; "
                                 "try again in a moment"));
      g_object_unref (task);
      return;
    }
  self->hashing++;
  worker = g_task_new (self, NULL, on_hashed, task);
  g_task_set_task_data (worker, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (worker, hash_thread);
}

gboolean
ul_auth_out_of_memory (GTask *task, const char *hash)
{
  if (hash != NULL)
    return FALSE;
  g_task_return_new_error (task, UL_ERROR, UL_ERROR_FAILED, "%s",
                           _("Not enough memory to hash the password"));
  return TRUE;
}

/* The claim. */

static void
finish_claim (UlAuthService *self, GTask *task, Op *op)
{
  g_autoptr(UlStoreAccount) account = g_new0 (UlStoreAccount, 1);
  GError *error = NULL;

  if (ul_auth_out_of_memory (task, op->new_hash))
    return;
  account->email = g_strdup (op->email);
  account->password_hash = g_strdup (op->new_hash);
  account->role = g_strdup (UL_AUTH_ROLE_PARTNER);
  account->created_at = g_get_real_time () / G_USEC_PER_SEC;
  ul_auth_audit (self, &(UlCaller) { op->actor, op->peer }, op->email, "claim", op->email);
  if (!ul_store_add_account (self->store, account, TRUE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->claimed = TRUE;
  g_message ("gateway claimed by %s from %s", op->email, op->peer);
  g_signal_emit (self, signals[SIGNAL_CLAIMED], 0);
  g_task_return_pointer (task, g_variant_ref_sink (ul_auth_account_to_variant (account)),
                         (GDestroyNotify) g_variant_unref);
}

void
ul_auth_service_claim_async (UlAuthService      *self,
                             const UlCaller     *caller,
                             GVariant           *request,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Op *op;

  g_return_if_fail (UL_IS_AUTH_SERVICE (self));
  g_return_if_fail (caller != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ul_auth_service_claim_async);
  op = ul_auth_op_new (OP_CLAIM, caller);
  g_task_set_task_data (task, op, (GDestroyNotify) ul_auth_op_free);

  if (!ul_auth_read_fields (request,
                            (Field[]) { { "email", &op->email }, { "password", &op->password } },
                            2, &error)
      || !ul_validate_email (op->email, "email", &error)
      || !ul_auth_check_new_password (op->password, "password", &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->claimed)
    {
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_WRONG_STATE, "%s",
                               _("This gateway has already been claimed"));
      return;
    }
  if (!ul_auth_subnet_is_local (caller->peer, &error))
    {
      if (error != NULL)
        g_warning ("claim refused: %s", error->message);
      g_message ("claim from %s refused: not on one of the gateway's subnets", caller->peer);
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_PERMISSION_DENIED, "%s",
                               _("The gateway can only be claimed from its own LAN subnet"));
      return;
    }
  ul_auth_start_hashing (self, g_steal_pointer (&task));
}

GVariant *
ul_auth_service_claim_finish (UlAuthService *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Login. */

static char *
digest_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

static char *
new_token (void)
{
  guint8 bytes[TOKEN_BYTES];
  g_autofree char *encoded = NULL;
  char *token;

  randombytes_buf (bytes, sizeof bytes);
  encoded = g_base64_encode (bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);
  /* URL-safe, unpadded: the token travels in headers and may be pasted anywhere. */
  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  g_strdelimit (encoded, "=", '\0');
  token = g_strconcat (TOKEN_PREFIX, encoded, NULL);
  sodium_memzero (encoded, strlen (encoded));
  return token;
}

static char *
peer_key (const char *peer)
{
  return g_strconcat ("peer:", peer != NULL ? peer : "", NULL);
}

static char *
account_key (const char *email)
{
  g_autofree char *folded = g_utf8_casefold (email, -1);

  return g_strconcat ("account:", folded, NULL);
}

static void
login_failed (UlAuthService *self, GTask *task, Op *op)
{
  g_autofree char *pkey = peer_key (op->peer);
  g_autofree char *akey = account_key (op->email);
  g_autoptr(GError) local_error = NULL;
  gint64 now = g_get_monotonic_time ();
  guint locked, locked_peer, locked_account;

  /* Never a call inside MAX (): the macro evaluates it twice, counting a failure twice. */
  locked_peer = ul_auth_limiter_fail (self->limiter, pkey, now);
  locked_account = ul_auth_limiter_fail (self->limiter, akey, now);
  locked = MAX (locked_peer, locked_account);
  if (locked > 0)
    g_message ("login for %s from %s locked for %u s after repeated failures", op->email,
               op->peer, locked);
  ul_auth_audit (self, &(UlCaller) { op->actor, op->peer }, op->email, "login-failed", NULL);
  if (!ul_store_write_audit (self->store, &local_error))
    g_warning ("cannot record a failed login: %s", local_error->message);
  g_task_return_new_error (task, UL_ERROR, UL_ERROR_UNAUTHORIZED, "%s",
                           _("Wrong e-mail address or password"));
}

static void
finish_login (UlAuthService *self, GTask *task, Op *op)
{
  g_autoptr(UlSecret) token = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *pkey = NULL;
  g_autofree char *akey = NULL;
  UlAuthSession *session;
  GVariantBuilder builder;
  GError *error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (op->account == NULL && op->new_hash != NULL && self->dummy_hash == NULL)
    self->dummy_hash = g_steal_pointer (&op->new_hash);
  if (op->account == NULL || !op->verified)
    {
      login_failed (self, task, op);
      return;
    }

  token = new_token ();
  token_hash = digest_token (token);
  ul_auth_audit (self, &(UlCaller) { op->actor, op->peer }, op->account->email, "login", NULL);
  if (!ul_store_prune_sessions (self->store, now, &error)
      || !ul_store_add_session (self->store, token_hash, op->account->id, now,
                                now + self->settings.token_lifetime, op->peer, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  pkey = peer_key (op->peer);
  akey = account_key (op->email);
  ul_auth_limiter_reset (self->limiter, pkey);
  ul_auth_limiter_reset (self->limiter, akey);

  session = g_new0 (UlAuthSession, 1);
  session->account_id = op->account->id;
  session->email = g_strdup (op->account->email);
  session->role = g_strdup (op->account->role);
  session->token_hash = g_steal_pointer (&token_hash);
  session->expires_at = now + self->settings.token_lifetime;
  g_hash_table_replace (self->sessions, session->token_hash, session);
  g_message ("%s logged in from %s", session->email, op->peer);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "token", g_variant_new_string (token));
  g_variant_builder_add (&builder, "{sv}", "tokenType", g_variant_new_string ("Bearer"));
  g_variant_builder_add (&builder, "{sv}", "expiresAt", g_variant_new_int64 (session->expires_at));
  g_variant_builder_add (&builder, "{sv}", "expiresIn",
                         g_variant_new_int64 (self->settings.token_lifetime));
  g_variant_builder_add (&builder, "{sv}", "account", ul_auth_account_to_variant (op->account));
  g_task_return_pointer (task, g_variant_ref_sink (g_variant_builder_end (&builder)),
                         (GDestroyNotify) g_variant_unref);
}

static void
return_rate_limited (GTask *task, guint seconds)
{
  g_task_set_task_data (task, GUINT_TO_POINTER (seconds), NULL);
  g_task_return_new_error (task, UL_ERROR, UL_ERROR_RATE_LIMITED,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "Too many failed logins; try again in %u second",
                                        "Too many failed logins; try again in %u seconds",
                                        seconds),
                           seconds);
}

void
ul_auth_service_login_async (UlAuthService      *self,
                             const UlCaller     *caller,
                             GVariant           *request,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pkey = NULL;
  g_autofree char *akey = NULL;
  gint64 now = g_get_monotonic_time ();
  guint wait, wait_peer, wait_account;
  Op *op;

  g_return_if_fail (UL_IS_AUTH_SERVICE (self));
  g_return_if_fail (caller != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ul_auth_service_login_async);
  op = ul_auth_op_new (OP_LOGIN, caller);

  if (!ul_auth_read_fields (request,
                            (Field[]) { { "email", &op->email }, { "password", &op->password } },
                            2, &error)
      || !ul_validate_email (op->email, "email", &error))
    {
      ul_auth_op_free (op);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (strlen (op->password) > PASSWORD_MAX_BYTES)
    {
      ul_auth_op_free (op);
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_UNAUTHORIZED, "%s",
                               _("Wrong e-mail address or password"));
      return;
    }

  /* Locked keys are refused before any password work, even with the right password. */
  pkey = peer_key (op->peer);
  akey = account_key (op->email);
  wait_peer = ul_auth_limiter_check (self->limiter, pkey, now);
  wait_account = ul_auth_limiter_check (self->limiter, akey, now);
  wait = MAX (wait_peer, wait_account);
  if (wait > 0)
    {
      ul_auth_op_free (op);
      return_rate_limited (task, wait);
      return;
    }

  op->account = ul_store_find_account (self->store, op->email, &error);
  if (error != NULL)
    {
      ul_auth_op_free (op);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* An unknown e-mail costs the same verification as a known one, so that timing does not
   * tell which accounts exist; the first one computes the dummy hash it is checked against. */
  op->hash = g_strdup (op->account != NULL ? op->account->password_hash : self->dummy_hash);
  g_task_set_task_data (task, op, (GDestroyNotify) ul_auth_op_free);
  ul_auth_start_hashing (self, g_steal_pointer (&task));
}

GVariant *
ul_auth_service_login_finish (UlAuthService *self,
                              GAsyncResult  *result,
                              guint         *retry_after,
                              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GVariant *reply;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (retry_after != NULL)
    *retry_after = 0;
  reply = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (reply == NULL)
    {
      if (retry_after != NULL
          && g_error_matches (local_error, UL_ERROR, UL_ERROR_RATE_LIMITED))
        *retry_after = GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (result)));
      else if (retry_after != NULL && g_error_matches (local_error, UL_ERROR, UL_ERROR_BUSY))
        *retry_after = 1;
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return reply;
}

/* Sessions. */

UlAuthSession *
ul_auth_service_authenticate (UlAuthService *self, const char *token, GError **error)
{
  g_autofree char *token_hash = NULL;
  g_autoptr(GError) local_error = NULL;
  UlAuthSession *session;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 data_version = 0;

  g_return_val_if_fail (UL_IS_AUTH_SERVICE (self), NULL);

  if (token == NULL || *token == '\0' || strlen (token) > TOKEN_MAX_LENGTH)
    {
      g_set_error_literal (error, UL_ERROR, UL_ERROR_UNAUTHORIZED,
                           _("Log in first: this request needs a valid token"));
      return NULL;
    }
  /* Another writer (the engine, registering an admin contact) may have ended sessions in
   * the store: then the cache starts over from the store. */
  if (!ul_store_get_data_version (self->store, &data_version, &local_error))
    {
      g_warning ("cannot check the session store: %s", local_error->message);
      g_clear_error (&local_error);
    }
  else if (data_version != self->data_version)
    {
      g_hash_table_remove_all (self->sessions);
      self->data_version = data_version;
    }
  token_hash = digest_token (token);
  session = g_hash_table_lookup (self->sessions, token_hash);
  if (session == NULL)
    {
      g_autoptr(UlStoreAccount) account = NULL;
      gint64 expires_at = 0;

      /* Tokens outlive a restart of uplinkd: look in the store for the ones not seen yet. */
      account = ul_store_find_session (self->store, token_hash, &expires_at, &local_error);
      if (account == NULL)
        {
          if (local_error != NULL)
            g_warning ("cannot look up a session: %s", local_error->message);
          g_set_error_literal (error, UL_ERROR, UL_ERROR_UNAUTHORIZED,
                               _("Log in first: this request needs a valid token"));
          return NULL;
        }
      session = g_new0 (UlAuthSession, 1);
      session->account_id = account->id;
      session->email = g_strdup (account->email);
      session->role = g_strdup (account->role);
      session->token_hash = g_steal_pointer (&token_hash);
      session->expires_at = expires_at;
      g_hash_table_replace (self->sessions, session->token_hash, session);
    }
  if (session->expires_at <= now)
    {
      if (!ul_store_remove_sessions (self->store, session->token_hash, 0, NULL, &local_error))
        g_warning ("cannot remove an expired session: %s", local_error->message);
      g_hash_table_remove (self->sessions, session->token_hash);
      g_set_error_literal (error, UL_ERROR, UL_ERROR_UNAUTHORIZED,
                           _("The session has expired; log in again"));
      return NULL;
    }
  return ul_auth_session_copy (session);
}

gboolean
ul_auth_service_is_session_valid (UlAuthService *self, const UlAuthSession *session)
{
  UlAuthSession *cached;

  g_return_val_if_fail (UL_IS_AUTH_SERVICE (self), FALSE);
  g_return_val_if_fail (session != NULL, FALSE);

  /* Every session in use passed ul_auth_service_authenticate(), which cached it, and every
   * revocation drops it from the cache: the cache alone answers. */
  cached = g_hash_table_lookup (self->sessions, session->token_hash);
  return cached != NULL && cached->expires_at > g_get_real_time () / G_USEC_PER_SEC;
}

/* Drops cached sessions of @account_id (0: all accounts), except @keep_hash (may be NULL). */
void
ul_auth_forget_sessions (UlAuthService *self, gint64 account_id, const char *keep_hash)
{
  GHashTableIter iter;
  UlAuthSession *session;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &session))
    if ((account_id == 0 || session->account_id == account_id)
        && g_strcmp0 (session->token_hash, keep_hash) != 0)
      g_hash_table_iter_remove (&iter);
}

gboolean
ul_auth_service_logout (UlAuthService       *self,
                        const UlCaller      *caller,
                        const UlAuthSession *session,
                        GError             **error)
{
  g_return_val_if_fail (UL_IS_AUTH_SERVICE (self), FALSE);
  g_return_val_if_fail (session != NULL, FALSE);

  ul_auth_audit (self, caller, NULL, "logout", NULL);
  if (!ul_store_remove_sessions (self->store, session->token_hash, 0, NULL, error))
    return FALSE;
  g_hash_table_remove (self->sessions, session->token_hash);
  return TRUE;
}

gboolean
ul_auth_service_revoke_all (UlAuthService       *self,
                            const UlCaller      *caller,
                            const UlAuthSession *session,
                            gboolean             everyone,
                            guint               *count,
                            GError             **error)
{
  gint64 account_id;

  g_return_val_if_fail (UL_IS_AUTH_SERVICE (self), FALSE);
  g_return_val_if_fail (session != NULL, FALSE);

  if (everyone && !ul_auth_session_check (session, UL_AUTH_PERMISSION_ACCOUNTS, error))
    return FALSE;
  account_id = everyone ? 0 : session->account_id;
  ul_auth_audit (self, caller, NULL, "revoke-sessions", everyone ? "all accounts" : session->email);
  if (!ul_store_remove_sessions (self->store, NULL, account_id, count, error))
    return FALSE;
  ul_auth_forget_sessions (self, account_id, NULL);
  return TRUE;
}

static void
on_hashed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  UlAuthService *self = UL_AUTH_SERVICE (source);
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);

  self->hashing--;
  if (self->waiting.length > 0)
    ul_auth_start_hashing (self, g_queue_pop_head (&self->waiting));
  switch (op->kind)
    {
    case OP_CLAIM:
      finish_claim (self, task, op);
      break;
    case OP_LOGIN:
      finish_login (self, task, op);
      break;
    case OP_ADD_ACCOUNT:
      ul_auth_finish_add_account (self, task, op);
      break;
    case OP_CHANGE_PASSWORD:
      ul_auth_finish_change_password (self, task, op);
      break;
    default:
      g_assert_not_reached ();
    }
}
