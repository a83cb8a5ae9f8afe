/* ul-auth-private.h — what the files of UlAuthService share (not for other code). */
#pragma once

#include <gio/gio.h>

#include "ul-auth-limiter.h"
#include "ul-auth-service.h"
#include "ul-store-auth.h"

G_BEGIN_DECLS

struct _UlAuthService
{
  GObject         parent_instance;

  UlAuthSettings  settings;
  UlStore        *store;
  UlAuthLimiter  *limiter;
  GHashTable     *sessions;   /* token hash → UlAuthSession*: the ones seen since start */
  gint64          data_version; /* of the store when @sessions was last known good */
  gboolean        claimed;
  guint           hashing;    /* Argon2id computations in flight */
  GQueue          waiting;    /* GTask*: the next ones, in order */
  char           *dummy_hash; /* verified against for unknown e-mails: same cost, same time */
};

/* Passwords and hashes are wiped before their memory goes back to the allocator. */
void ul_auth_secret_free (char *secret);
typedef char UlSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlSecret, ul_auth_secret_free)

/* Queues the audit line for the next store write; @actor NULL: the caller's. */
void      ul_auth_audit (UlAuthService *self, const UlCaller *caller, const char *actor,
                         const char *action, const char *detail);
GVariant *ul_auth_account_to_variant (const UlStoreAccount *account);

/* Request parsing: every request is a{sv} with exactly the (string) keys of @fields. */
typedef struct
{
  const char *key;
  char      **out;
} Field;
gboolean  ul_auth_read_fields (GVariant *request, Field *fields, gsize n_fields, GError **error);
gboolean  ul_auth_check_new_password (const char *password, const char *field, GError **error);
gboolean  ul_auth_check_role (const char *role, GError **error);

/* The Argon2id work, off the main thread. */
typedef enum
{
  OP_CLAIM,
  OP_LOGIN,
  OP_ADD_ACCOUNT,
  OP_CHANGE_PASSWORD,
} OpKind;

typedef struct
{
  OpKind         kind;
  char          *actor;
  char          *peer;
  char          *email;
  char          *role;
  UlAuthSession *session;       /* change password */
  UlStoreAccount *account;      /* login, change password: the account found */
  /* Thread input and output. */
  char          *password;      /* to verify against @hash, or to hash when @hash is NULL */
  char          *hash;
  char          *new_password;  /* to hash after a successful verify (change password) */
  char          *new_hash;
  gboolean       verified;
} Op;

Op       *ul_auth_op_new (OpKind kind, const UlCaller *caller);
void      ul_auth_op_free (Op *op);
/* Takes over @task, whose task data is the Op; its completion calls the finish_* of the
 * Op's kind on the main thread. */
void      ul_auth_start_hashing (UlAuthService *self, GTask *task);
/* TRUE (after returning the error on @task) when hashing ran out of memory. */
gboolean  ul_auth_out_of_memory (GTask *task, const char *hash);
void      ul_auth_finish_add_account (UlAuthService *self, GTask *task, Op *op);
void      ul_auth_finish_change_password (UlAuthService *self, GTask *task, Op *op);

/* Drops cached sessions of @account_id (0: all accounts), except @keep_hash (may be NULL). */
void      ul_auth_forget_sessions (UlAuthService *self, gint64 account_id, const char *keep_hash);

G_END_DECLS
