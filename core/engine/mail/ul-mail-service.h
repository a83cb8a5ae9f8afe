/* ul-mail-service.h — the SMTP settings and the persistent outbox (DESIGN.md §4 Mail).
 *
 * Delivery guarantee
 * ------------------
 * A mail accepted into the outbox (ul_mail_service_accept() returned TRUE) is on disk with
 * its complete message and a stable Message-ID, and is never lost: it stays queued across
 * restarts and relay outages until the relay accepts it (sent), refuses it for good, or the
 * link it carries expires (failed, with the reason).
 *
 * Before an attempt the mail is recorded as "sending" (claimed, in batches of up to 20 per
 * transaction); the server's "250" after the data is recorded as "sent" right after it
 * arrives. SMTP has no way to ask a server whether it
 * took a message, so if uplinkd dies between the server's acceptance and that record (a
 * window of a few milliseconds), the outcome is unknown. At the next start such a mail is
 * sent again, byte for byte the same, with the same Message-ID, so that the receiving
 * system or mail client can recognise a duplicate (RFC 5322 §3.6.4). We prefer a possible
 * duplicate in that window to a possible loss in the much longer one before it. A mail
 * that was never marked "sending", or that was marked "sent", is never sent again; of the
 * mails found "sending" after a crash, only the one that was with the relay at that moment
 * can arrive twice.
 *
 * Retries: a refusal of this recipient or message (5xx to RCPT or to the data) fails the
 * mail at once; a temporary refusal of the message (4xx to RCPT or data) retries it after
 * retryInitial seconds, doubling up to retryMax; a problem with the relay itself (cannot
 * connect, TLS, login, 4xx/5xx to the session) pauses the whole queue with the same
 * back-off, so that a relay outage costs one attempt per back-off step, not one per mail.
 * Changing the SMTP settings retries at once.
 */
#pragma once

#include <gio/gio.h>

#include "ul-audit-entry.h"
#include "ul-mail-settings.h"
#include "ul-smtp-config.h"
#include "ul-store-mail.h"
#include "ul-store.h"

G_BEGIN_DECLS

#define UL_TYPE_MAIL_SERVICE (ul_mail_service_get_type ())
G_DECLARE_FINAL_TYPE (UlMailService, ul_mail_service, UL, MAIL_SERVICE, GObject)

UlMailService  *ul_mail_service_new (UlStore *store, GError **error);
/* Puts mails left "sending" by a crash back in the queue and starts delivering. */
void            ul_mail_service_start (UlMailService *self);
/* Stops delivering; waits (bounded) for a mail in flight so that a clean stop leaves
 * nothing "sending". */
void            ul_mail_service_shutdown (UlMailService *self);

/* The installer's CA bundle for the relay ([mail] ca-file; NULL: the system's trust
 * store). Fails, changing nothing, when @path is not a readable PEM certificate file. */
gboolean        ul_mail_service_set_ca_file (UlMailService *self,
                                             const char    *path,
                                             GError       **error);

/* Copies; the defaults until first saved. */
UlSmtpConfig   *ul_mail_service_get_smtp (UlMailService *self);
UlMailSettings *ul_mail_service_get_settings (UlMailService *self);
/* Merge, validate, store with an audit line naming @caller; on error nothing changes. */
gboolean        ul_mail_service_update_smtp (UlMailService  *self,
                                             const UlCaller *caller,
                                             GVariant       *changes,
                                             GError        **error);
gboolean        ul_mail_service_update_settings (UlMailService  *self,
                                                 const UlCaller *caller,
                                                 GVariant       *changes,
                                                 GError        **error);

/* Sends @message to @recipient now, outside the outbox (the "send test mail" action).
 * Returns the server's reply line. */
void            ul_mail_service_send_now_async (UlMailService      *self,
                                                const char         *recipient,
                                                GBytes             *message,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
char           *ul_mail_service_send_now_finish (UlMailService *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);

/* Stores @mails (UlOutboxMail*, see ul_store_accept_mails()) in one transaction with the
 * pending audit entry, then delivers them in the background. */
gboolean        ul_mail_service_accept (UlMailService *self,
                                        GPtrArray     *mails,
                                        gint64         link_expires_at,
                                        GError       **error);
/* The newest mail of each user (UlOutboxMail*, without message). */
GPtrArray      *ul_mail_service_list_latest (UlMailService *self, GError **error);
/* The newest mail of @extension (without message), or NULL with no error. */
UlOutboxMail   *ul_mail_service_get_latest (UlMailService *self, const char *extension,
                                            GError **error);

/* Signals:
 *   "delivery-changed" (const char *extension): the state of that user's newest mail
 *     changed (accepted, sending, sent, retry, failed). */

G_END_DECLS
