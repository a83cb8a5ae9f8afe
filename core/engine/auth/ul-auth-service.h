/* ul-auth-service.h — accounts, the claim, logins and bearer tokens of the HTTPS API.
 *
 * An engine service like the others: frontends hand it a{sv} requests and the caller, it
 * decides, stores (in the same SQLite database, one transaction per change, with its audit
 * line) and answers. Passwords are hashed with Argon2id (libsodium crypto_pwhash_str) in a
 * worker thread so that the main loop keeps serving; tokens are 32 random bytes, stored as
 * SHA-256 digests, expiring, and revocable. No password, hash or token is ever logged or
 * returned, except the new token to the client that logged in. */
#pragma once

#include <gio/gio.h>

#include "ul-audit-entry.h"

G_BEGIN_DECLS

#define UL_AUTH_ROLE_PARTNER        "partner"
#define UL_AUTH_ROLE_CUSTOMER_ADMIN "customerAdmin"

typedef struct
{
  guint token_lifetime;   /* seconds a token is valid; default 12 h */
  guint max_failures;     /* failed logins per peer and per account within failure_window
                           * before a lock-out; default 5 */
  guint failure_window;   /* seconds; default 300 */
  guint lockout;          /* seconds of the first lock-out, doubling each time; default 60 */
  guint max_lockout;      /* seconds; default 3600 */
  guint max_hashing;      /* concurrent Argon2id computations; a few more wait their turn,
                           * beyond that they are refused as busy; default 2 */
} UlAuthSettings;

void ul_auth_settings_init (UlAuthSettings *settings);

/* What a signed-in account may do. */
typedef enum
{
  UL_AUTH_PERMISSION_READ,      /* read the gateway's state: every account */
  UL_AUTH_PERMISSION_CUSTOMER,  /* change the customer's own data: partner, customer admins */
  UL_AUTH_PERMISSION_SYSTEM,    /* gateway configuration, PBX, directory, system actions and
                                 * the audit log: partner only */
  UL_AUTH_PERMISSION_ACCOUNTS,  /* manage accounts, revoke everyone's tokens: partner only */
} UlAuthPermission;

/* A valid token's account, as ul_auth_service_authenticate() found it. */
typedef struct
{
  gint64  account_id;
  char   *email;
  char   *role;
  char   *token_hash;  /* hex SHA-256 of the token: identifies the session, is no secret */
  gint64  expires_at;  /* unix seconds */
} UlAuthSession;

#define UL_TYPE_AUTH_SESSION (ul_auth_session_get_type ())
GType          ul_auth_session_get_type (void) G_GNUC_CONST;
UlAuthSession *ul_auth_session_copy (const UlAuthSession *self);
void           ul_auth_session_free (UlAuthSession *self);
/* FALSE with UL_ERROR_PERMISSION_DENIED when the session's role lacks @permission. */
gboolean       ul_auth_session_check (const UlAuthSession *self,
                                      UlAuthPermission     permission,
                                      GError             **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlAuthSession, ul_auth_session_free)

#define UL_TYPE_AUTH_SERVICE (ul_auth_service_get_type ())
G_DECLARE_FINAL_TYPE (UlAuthService, ul_auth_service, UL, AUTH_SERVICE, GObject)

/* Opens <data_dir>/uplink.db (the engine's database; its own connection). @settings may be
 * NULL for the defaults. */
UlAuthService *ul_auth_service_new (const char           *data_dir,
                                    const UlAuthSettings *settings,
                                    GError              **error);

/* Claimed once a partner account exists. */
gboolean  ul_auth_service_is_claimed (UlAuthService *self);

/* The claim: @request {email, password}. Refused with UL_ERROR_WRONG_STATE once claimed and
 * with UL_ERROR_PERMISSION_DENIED unless @caller->peer is on one of the gateway's own
 * subnets. Creates the partner account; the result is the account (a{sv}: email, role,
 * createdAt). Emits "claimed". */
void      ul_auth_service_claim_async (UlAuthService      *self,
                                       const UlCaller     *caller,
                                       GVariant           *request,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
GVariant *ul_auth_service_claim_finish (UlAuthService *self, GAsyncResult *result,
                                        GError **error);

/* @request {email, password}; @caller->peer is the client address (the rate limit's key).
 * The result: token, tokenType ("Bearer"), expiresAt (x), expiresIn (x, seconds), account.
 * Errors: UL_ERROR_UNAUTHORIZED (wrong e-mail or password: one message for both),
 * UL_ERROR_RATE_LIMITED (with @retry_after seconds; may be NULL), UL_ERROR_BUSY. */
void      ul_auth_service_login_async (UlAuthService      *self,
                                       const UlCaller     *caller,
                                       GVariant           *request,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
GVariant *ul_auth_service_login_finish (UlAuthService *self,
                                        GAsyncResult  *result,
                                        guint         *retry_after,
                                        GError       **error);

/* The session of a bearer token, or NULL with UL_ERROR_UNAUTHORIZED (unknown, revoked or
 * expired). Cheap: a digest and a table lookup for known tokens. */
UlAuthSession *ul_auth_service_authenticate (UlAuthService *self,
                                             const char    *token,
                                             GError       **error);

/* Whether @session (from ul_auth_service_authenticate()) is still valid: not expired,
 * not logged out, not revoked. For long-lived connections (the event WebSocket). */
gboolean  ul_auth_service_is_session_valid (UlAuthService       *self,
                                            const UlAuthSession *session);

/* Ends @session (logout). */
gboolean  ul_auth_service_logout (UlAuthService       *self,
                                  const UlCaller      *caller,
                                  const UlAuthSession *session,
                                  GError             **error);
/* Ends every session of @session's account or, with @everyone (needs
 * UL_AUTH_PERMISSION_ACCOUNTS), every session of every account. @count gets how many. */
gboolean  ul_auth_service_revoke_all (UlAuthService       *self,
                                      const UlCaller      *caller,
                                      const UlAuthSession *session,
                                      gboolean             everyone,
                                      guint               *count,
                                      GError             **error);

/* The account of @session (a{sv}: email, role, createdAt). */
GVariant *ul_auth_service_get_account (UlAuthService       *self,
                                       const UlAuthSession *session,
                                       GError             **error);
/* Every account, aa{sv}. */
GVariant *ul_auth_service_list_accounts (UlAuthService *self, GError **error);
/* A partner adds an account: @request {email, password, role}. Result: the account. */
void      ul_auth_service_add_account_async (UlAuthService      *self,
                                             const UlCaller     *caller,
                                             GVariant           *request,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
GVariant *ul_auth_service_add_account_finish (UlAuthService *self, GAsyncResult *result,
                                              GError **error);
/* Removes the account with @email; the last partner account stays (UL_ERROR_WRONG_STATE). */
gboolean  ul_auth_service_remove_account (UlAuthService  *self,
                                          const UlCaller *caller,
                                          const char     *email,
                                          GError        **error);
/* @request {currentPassword, newPassword}. Ends the account's other sessions. */
void      ul_auth_service_change_password_async (UlAuthService       *self,
                                                 const UlCaller      *caller,
                                                 const UlAuthSession *session,
                                                 GVariant            *request,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean  ul_auth_service_change_password_finish (UlAuthService *self, GAsyncResult *result,
                                                  GError **error);

/* Signals:
 *   "claimed" (): the gateway was claimed. */

G_END_DECLS
