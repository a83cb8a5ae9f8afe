/* ul-customer-page.h — one customer: the navigation bar of the onboarding steps
 * (standalone and virtual: Customer, Gateway, PBX, Connect, Deployment, Advanced; SMBC:
 * Customer, Gateway, Sync, Deployment, Advanced), the Overview with every step on one
 * page, and Save, Next, Cancel and "Save and Back". */
#pragma once

#include <gtk/gtk.h>

#include "ul-gateway.h"
#include "ul-step-page.h"

G_BEGIN_DECLS

#define UL_TYPE_CUSTOMER_PAGE (ul_customer_page_get_type ())
G_DECLARE_FINAL_TYPE (UlCustomerPage, ul_customer_page, UL, CUSTOMER_PAGE, GtkWidget)

/* @step: see ul_window_open_customer(). */
void        ul_customer_page_set_gateway (UlCustomerPage *self, UlGateway *gateway,
                                          const char *step);
UlGateway  *ul_customer_page_get_gateway (UlCustomerPage *self);

void        ul_customer_page_show_step (UlCustomerPage *self, const char *step);
const char *ul_customer_page_get_visible_step (UlCustomerPage *self);
UlStepPage *ul_customer_page_get_step (UlCustomerPage *self, const char *step);
/* Whether the navigation bar offers @step (PBX and Connect, or Sync, by platform). */
gboolean    ul_customer_page_has_step (UlCustomerPage *self, const char *step);
/* "steps", "unreachable" or "signed-out". */
const char *ul_customer_page_get_view (UlCustomerPage *self);
/* "save", "next", "save-back", "cancel" or "back", for the tests. */
GtkWidget  *ul_customer_page_get_button (UlCustomerPage *self, const char *name);

/* Signal "back" (): return to the Partner Dashboard. */

G_END_DECLS
