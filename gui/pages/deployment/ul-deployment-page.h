/* ul-deployment-page.h — the Deployment step: the e-mail server the deployment e-mails go
 * through, the eligible users with check boxes and the live state of each one's e-mail
 * (queued, sent, failed, registered) with Resend, Send Deployment Emails with a
 * confirmation and per-user results, the users who cannot receive the app and why, and
 * the registered users. */
#pragma once

#include "ul-send-dialog.h"
#include "ul-step-page.h"
#include "ul-user-object.h"

G_BEGIN_DECLS

#define UL_TYPE_DEPLOYMENT_PAGE (ul_deployment_page_get_type ())
G_DECLARE_FINAL_TYPE (UlDeploymentPage, ul_deployment_page, UL, DEPLOYMENT_PAGE, UlStepPage)

GtkWidget    *ul_deployment_page_new (void);

/* What the buttons do. Send and Resend return the confirmation they opened, or NULL when
 * there is nothing to confirm (no user selected, no e-mail server, a sending under way). */
UlSendDialog *ul_deployment_page_send (UlDeploymentPage *self);
UlSendDialog *ul_deployment_page_resend (UlDeploymentPage *self, const char *extension);
void          ul_deployment_page_configure_mail_server (UlDeploymentPage *self);
void          ul_deployment_page_show_registered (UlDeploymentPage *self);

/* For the tests and the benchmark. */
GListModel   *ul_deployment_page_get_eligible (UlDeploymentPage *self);
GListModel   *ul_deployment_page_get_ineligible (UlDeploymentPage *self);
GtkWidget    *ul_deployment_page_get_eligible_view (UlDeploymentPage *self);
GtkWidget    *ul_deployment_page_get_ineligible_view (UlDeploymentPage *self);
gboolean      ul_deployment_page_get_loading (UlDeploymentPage *self);
guint         ul_deployment_page_get_n_selected (UlDeploymentPage *self);
UlUserObject *ul_deployment_page_find_user (UlDeploymentPage *self, const char *extension);
/* The e-mail server is set up (host and sender). */
gboolean      ul_deployment_page_get_mail_ready (UlDeploymentPage *self);
/* Seconds a registration link lasts, as the gateway said; 0 before it did. */
guint         ul_deployment_page_get_link_lifetime (UlDeploymentPage *self);
/* Why Send Deployment Emails cannot be clicked now, or NULL. */
const char   *ul_deployment_page_get_send_hint (UlDeploymentPage *self);
GtkWidget    *ul_deployment_page_get_send_button (UlDeploymentPage *self);
gboolean      ul_deployment_page_get_sending (UlDeploymentPage *self);
/* Why the last sending refused @extension, as shown, or NULL. */
const char   *ul_deployment_page_get_refusal (UlDeploymentPage *self, const char *extension);

G_END_DECLS
