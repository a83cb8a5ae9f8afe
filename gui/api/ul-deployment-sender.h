/* ul-deployment-sender.h — hands deployment e-mails for many users to a gateway.
 *
 * The users go in batches (the gateway caps a request body at 64 KiB), so that thousands
 * of users fit and a progress bar can move; each batch is one SendDeploymentEmails (or
 * Resend) call, which the gateway accepts into its outbox at once. The results of all
 * batches are gathered: one {extension, accepted, messageId | reason, message} per user. */
#pragma once

#include <gio/gio.h>

#include "ul-gateway.h"

G_BEGIN_DECLS

#define UL_DEPLOYMENT_SENDER_BATCH 100

#define UL_TYPE_DEPLOYMENT_SENDER (ul_deployment_sender_get_type ())
G_DECLARE_FINAL_TYPE (UlDeploymentSender, ul_deployment_sender, UL, DEPLOYMENT_SENDER, GObject)

/* @language: the e-mails' language, or NULL for the customer's. @resend: a new link for
 * users invited before (their earlier links stop working). */
UlDeploymentSender *ul_deployment_sender_new (UlGateway          *gateway,
                                              const char * const *extensions,
                                              const char         *language,
                                              gboolean            resend);

void      ul_deployment_sender_run_async (UlDeploymentSender *self,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
/* TRUE when every batch got an answer. On an error, the batches before it stand (the
 * gateway keeps what it accepted): their results stay available. */
gboolean  ul_deployment_sender_run_finish (UlDeploymentSender *self,
                                           GAsyncResult       *result,
                                           GError            **error);

/* Users whose batch has been answered, of all; "notify::done" after each batch. */
guint     ul_deployment_sender_get_done (UlDeploymentSender *self);
guint     ul_deployment_sender_get_total (UlDeploymentSender *self);
/* aa{sv}: the results so far, in the order given. */
GVariant *ul_deployment_sender_get_results (UlDeploymentSender *self);
guint     ul_deployment_sender_get_n_accepted (UlDeploymentSender *self);

/* A translated sentence for a refusal's stable reason ("registered", "duplicate-email" …),
 * or @fallback (the gateway's own words) for a reason this dashboard does not know. */
const char *ul_deployment_refusal_reason (const char *reason, const char *fallback);

G_END_DECLS
