/* ul-deployment-page.h — the Deployment step: the eligible users with check boxes, the
 * users who cannot receive the app and why, and the registered users. (Sending the
 * deployment e-mails comes with the mail service, issue #6.) */
#pragma once

#include "ul-step-page.h"

G_BEGIN_DECLS

#define UL_TYPE_DEPLOYMENT_PAGE (ul_deployment_page_get_type ())
G_DECLARE_FINAL_TYPE (UlDeploymentPage, ul_deployment_page, UL, DEPLOYMENT_PAGE, UlStepPage)

GtkWidget  *ul_deployment_page_new (void);

/* For the tests and the benchmark. */
GListModel *ul_deployment_page_get_eligible (UlDeploymentPage *self);
GListModel *ul_deployment_page_get_ineligible (UlDeploymentPage *self);
GtkWidget  *ul_deployment_page_get_eligible_view (UlDeploymentPage *self);
gboolean    ul_deployment_page_get_loading (UlDeploymentPage *self);
guint       ul_deployment_page_get_n_selected (UlDeploymentPage *self);
void        ul_deployment_page_show_registered (UlDeploymentPage *self);

G_END_DECLS
