/* ul-customer-info-page.h — the Customer step: the customer's information and mailing
 * address, admin contacts (removed after typing "remove") and support contacts. */
#pragma once

#include "ul-customer.h"
#include "ul-step-page.h"

G_BEGIN_DECLS

#define UL_TYPE_CUSTOMER_INFO_PAGE (ul_customer_info_page_get_type ())
G_DECLARE_FINAL_TYPE (UlCustomerInfoPage, ul_customer_info_page, UL, CUSTOMER_INFO_PAGE,
                      UlStepPage)

GtkWidget  *ul_customer_info_page_new (void);

/* A customer as a gateway sends it (accountId and state included). */
UlCustomer *ul_customer_from_record (GVariant *record, GError **error);

G_END_DECLS
