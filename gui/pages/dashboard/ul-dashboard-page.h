/* ul-dashboard-page.h — the Partner Dashboard: the customer list, the gateways on this
 * network, and "no gateway found — here is why". */
#pragma once

#include <gtk/gtk.h>

#include "ul-application.h"

G_BEGIN_DECLS

#define UL_TYPE_DASHBOARD_PAGE (ul_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (UlDashboardPage, ul_dashboard_page, UL, DASHBOARD_PAGE, GtkWidget)

void        ul_dashboard_page_set_application (UlDashboardPage *self, UlApplication *app);

/* For the tests: "customers", "searching" or "empty"; the customer list; the reason
 * shown when nothing is found. */
const char *ul_dashboard_page_get_view (UlDashboardPage *self);
GtkListBox *ul_dashboard_page_get_customers_list (UlDashboardPage *self);
const char *ul_dashboard_page_get_empty_reason (UlDashboardPage *self);

G_END_DECLS
