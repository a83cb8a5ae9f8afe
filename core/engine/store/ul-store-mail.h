/* ul-store-mail.h — the SMTP settings, the outbox, the registration links and the users'
 * credentials (schema version 5; see the migration in ul-store.c).
 *
 * The outbox keeps each accepted mail as the complete message it will send, so a mail
 * that is retried, or resent after a crash, is byte for byte the same (same Message-ID).
 * Links and passwords are stored as digests only: SHA-256 of the link's token (a random
 * 256-bit value, so a fast digest suffices), Argon2id of the password. */
#pragma once

#include "ul-mail-settings.h"
#include "ul-smtp-config.h"
#include "ul-store.h"

G_BEGIN_DECLS

/* Outbox states, stable strings. */
#define UL_OUTBOX_QUEUED      "queued"      /* waiting for its (next) attempt */
#define UL_OUTBOX_SENDING     "sending"     /* handed to the relay, outcome not yet recorded */
#define UL_OUTBOX_SENT        "sent"        /* the relay accepted it: reply holds its answer */
#define UL_OUTBOX_FAILED      "failed"      /* given up: error says why */
#define UL_OUTBOX_SUPERSEDED  "superseded"  /* replaced by a resend before it went out */

typedef struct
{
  gint64  id;
  char   *message_id;       /* "<…@…>" */
  char   *extension;
  char   *recipient;
  char   *link_hash;        /* the registration link the mail carries; may be NULL */
  char   *language;         /* the mail's language, kept with its link; not in listings */
  GBytes *message;          /* NULL in listings */
  char   *state;            /* UL_OUTBOX_* */
  guint   attempts;
  gint64  created_at;
  gint64  updated_at;
  gint64  next_attempt_at;  /* queued: when to try (again) */
  gint64  expires_at;       /* give up on a mail still undelivered after this */
  char   *reply;            /* sent: the server's reply */
  char   *error;            /* failed: why; queued: why the last attempt failed */
} UlOutboxMail;

void ul_outbox_mail_free (UlOutboxMail *mail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlOutboxMail, ul_outbox_mail_free)

/* Each returns NULL with no error until first saved. */
UlSmtpConfig   *ul_store_load_smtp (UlStore *self, GError **error);
gboolean        ul_store_save_smtp (UlStore *self, const UlSmtpConfig *smtp, GError **error);
UlMailSettings *ul_store_load_mail_settings (UlStore *self, GError **error);
gboolean        ul_store_save_mail_settings (UlStore *self, const UlMailSettings *settings,
                                             GError **error);

/* Accepts @mails (UlOutboxMail*, state queued, each with a link_hash) in one transaction
 * with the pending audit entry: per mail, the user's earlier links are marked replaced and
 * their still-queued mails superseded, the new link (valid until @link_expires_at, in the
 * mail's language) and the mail are inserted, and the user's invited_at becomes @now. Sets each mail's id. */
gboolean ul_store_accept_mails (UlStore   *self,
                                GPtrArray *mails,
                                gint64     link_expires_at,
                                gint64     now,
                                GError   **error);
/* The time of the next attempt should the one a claim starts never report back, for a
 * mail on its @attempts-th attempt. */
typedef gint64 (*UlOutboxRetryFunc) (guint attempts, gint64 now, gpointer user_data);

/* Claims up to @limit due mails (queued, next_attempt_at ≤ @now; the longest due first)
 * for delivery, in one transaction: each becomes "sending", its attempt is counted, and
 * its next_attempt_at becomes @retry_at's answer, so that a mail that kills the daemon
 * cannot be retried in a tight loop. Returns them with their messages (the array may be
 * empty). @next_due (may be NULL) gets the earliest next_attempt_at of the mails still
 * queued, 0 when none is. One transaction per batch instead of one per mail: the sync of
 * each transaction to disk is what limits the delivery rate. */
GPtrArray *ul_store_outbox_claim (UlStore          *self,
                                  gint64            now,
                                  guint             limit,
                                  UlOutboxRetryFunc retry_at,
                                  gpointer          user_data,
                                  gint64           *next_due,
                                  GError          **error);
/* Puts claimed mails (UlOutboxMail*) that were never handed to the relay back in the
 * queue, due at @due, without counting their attempt. */
gboolean   ul_store_outbox_unclaim (UlStore *self, GPtrArray *mails, gint64 due, gint64 now,
                                    GError **error);
/* The outcomes of an attempt; none writes an audit line (deliveries are the gateway's own
 * doing, not an administrator's change). */
gboolean ul_store_outbox_mark_sent (UlStore *self, gint64 id, const char *reply, gint64 now,
                                    GError **error);
gboolean ul_store_outbox_mark_retry (UlStore *self, gint64 id, const char *reason,
                                     gint64 retry_at, gint64 now, GError **error);
gboolean ul_store_outbox_mark_failed (UlStore *self, gint64 id, const char *reason, gint64 now,
                                      GError **error);
/* At start-up: mails left "sending" by a crash (claimed, maybe handed to the relay) go
 * back to the queue, due at their stored retry time, with @reason. @count (may be NULL)
 * gets how many. */
gboolean ul_store_outbox_recover (UlStore *self, const char *reason, gint64 now, guint *count,
                                  GError **error);
/* The newest mail of every user who has one (UlOutboxMail*, without message). */
GPtrArray *ul_store_outbox_latest (UlStore *self, GError **error);
/* The newest mail of @extension, without message; NULL with no error when none. */
UlOutboxMail *ul_store_outbox_latest_for (UlStore *self, const char *extension, GError **error);
/* One mail by Message-ID, without its message; NULL with no error when unknown. */
UlOutboxMail *ul_store_outbox_find (UlStore *self, const char *message_id, GError **error);

/* Link states, stable strings. */
#define UL_LINK_VALID     "valid"
#define UL_LINK_USED      "used"
#define UL_LINK_REPLACED  "replaced"

typedef struct
{
  char  *extension;
  char  *state;       /* UL_LINK_*; an expired link stays "valid": check expires_at */
  gint64 created_at;
  gint64 expires_at;
  gint64 used_at;
  char  *language;    /* the language of the mail that carried it; NULL for older links */
} UlStoreLink;

void ul_store_link_free (UlStoreLink *link);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlStoreLink, ul_store_link_free)

/* NULL with no error for an unknown digest. */
UlStoreLink *ul_store_find_link (UlStore *self, const char *link_hash, GError **error);

/* What a SIP registrar needs to check a digest response (RFC 3261 §22, RFC 8760) without
 * the password: H(username ":" realm ":" password) for username = the extension, in MD5 and
 * SHA-256. The Argon2id hash cannot serve digest authentication, so these are made from the
 * password when the user registers. Like every digest server's, they are password
 * equivalent for their realm: they live in the 0600 store and are never returned. */
typedef struct
{
  char *realm;
  char *ha1_md5;     /* 32 lower-case hex digits */
  char *ha1_sha256;  /* 64 lower-case hex digits */
} UlSipDigest;

UlSipDigest *ul_sip_digest_new (const char *username, const char *realm, const char *password);
void         ul_sip_digest_free (UlSipDigest *digest);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlSipDigest, ul_sip_digest_free)
/* In one transaction with the pending audit entry: uses the link (only if it is still
 * valid and unexpired at @now: otherwise UL_ERROR_WRONG_STATE and nothing changes), stores
 * @password_hash as the credential of the link's user and sets their registered_at. With
 * @admin_email (an admin contact registering), also creates the HTTPS API account of that
 * e-mail with role customerAdmin and the same hash (see ul-store-auth.h), or gives an
 * existing customerAdmin account the new hash and ends its sessions; a partner account
 * with that e-mail is left alone. */
gboolean ul_store_register (UlStore           *self,
                            const char        *link_hash,
                            const char        *password_hash,
                            const UlSipDigest *sip,
                            const char        *admin_email,
                            gint64             now,
                            GError           **error);
/* The Argon2id string of a registered user, or NULL with no error. */
char *ul_store_get_credential (UlStore *self, const char *extension, GError **error);
/* The SIP digest secrets of a registered user, or NULL with no error (not registered, or
 * registered before schema 7: such a user registers again to use SIP). */
UlSipDigest *ul_store_get_sip_digest (UlStore *self, const char *extension, GError **error);

G_END_DECLS
