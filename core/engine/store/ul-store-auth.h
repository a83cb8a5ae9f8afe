/* ul-store-auth.h — accounts and bearer tokens of the HTTPS API (schema version 4).
 *
 * The store keeps what the auth service decides: password hashes (Argon2id strings) and
 * SHA-256 digests of tokens, never a password or a token. Writes carry the pending audit
 * entry (ul_store_set_audit()) in their transaction, like every other save. */
#pragma once

#include "ul-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  char   *email;
  char   *password_hash;  /* crypto_pwhash_str() output; never leaves the engine */
  char   *role;           /* "partner" | "customerAdmin" */
  gint64  created_at;     /* unix seconds */
} UlStoreAccount;

void ul_store_account_free (UlStoreAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlStoreAccount, ul_store_account_free)

/* The number of accounts with @role (NULL: any role). */
gboolean        ul_store_count_accounts (UlStore *self, const char *role, gint64 *out,
                                         GError **error);
/* By e-mail, case-insensitively; NULL with no error when there is none. */
UlStoreAccount *ul_store_find_account (UlStore *self, const char *email, GError **error);
/* Every account (UlStoreAccount*), oldest first. */
GPtrArray      *ul_store_list_accounts (UlStore *self, GError **error);
/* Inserts @account and sets its id. With @only_if_unclaimed the insert happens only when
 * no partner account exists yet, checked in the same transaction (two racing claims cannot
 * both win): otherwise UL_ERROR_WRONG_STATE. A taken e-mail is UL_ERROR_INVALID_ARGUMENT on
 * field "email". */
gboolean        ul_store_add_account (UlStore *self, UlStoreAccount *account,
                                      gboolean only_if_unclaimed, GError **error);
/* Replaces the password hash and removes every session of the account (a new password
 * ends the old logins), except the one whose digest is @keep_token_hash (may be NULL). */
gboolean        ul_store_set_account_password (UlStore *self, gint64 account_id,
                                               const char *password_hash,
                                               const char *keep_token_hash, GError **error);
/* Removes the account and its sessions; UL_ERROR_NOT_FOUND when there is none. */
gboolean        ul_store_remove_account (UlStore *self, gint64 account_id, GError **error);

gboolean        ul_store_add_session (UlStore    *self,
                                      const char *token_hash,
                                      gint64      account_id,
                                      gint64      created_at,
                                      gint64      expires_at,
                                      const char *peer,
                                      GError    **error);
/* The account a token digest belongs to, and the token's expiry; NULL with no error when
 * the digest is unknown. */
UlStoreAccount *ul_store_find_session (UlStore *self, const char *token_hash,
                                       gint64 *expires_at, GError **error);
/* Removes one session (@token_hash), every session of an account (@account_id > 0), or
 * every session (@token_hash NULL, @account_id 0). @removed (may be NULL) gets the count. */
gboolean        ul_store_remove_sessions (UlStore *self, const char *token_hash,
                                          gint64 account_id, guint *removed, GError **error);
/* Drops sessions that expired before @now. Housekeeping: no audit line. */
gboolean        ul_store_prune_sessions (UlStore *self, gint64 now, GError **error);
/* PRAGMA data_version: changes whenever another connection (the engine's) committed, so
 * that caches of this connection know when to look again. */
gboolean        ul_store_get_data_version (UlStore *self, gint64 *out, GError **error);

/* Writes the pending audit entry on its own, for events that change nothing else (a
 * failed login). */
gboolean        ul_store_write_audit (UlStore *self, GError **error);

G_END_DECLS
