/* ul-customer-row.h — one row of the Partner Dashboard's customer list: Customer Name,
 * Account ID, Registered Users (a link to the list), Status Message (a link to its help
 * page) and the X that deactivates the customer. */
#pragma once

#include <gtk/gtk.h>

#include "ul-gateway.h"

G_BEGIN_DECLS

#define UL_TYPE_CUSTOMER_ROW (ul_customer_row_get_type ())
G_DECLARE_FINAL_TYPE (UlCustomerRow, ul_customer_row, UL, CUSTOMER_ROW, GtkListBoxRow)

UlCustomerRow *ul_customer_row_new (UlGateway *gateway);
UlGateway     *ul_customer_row_get_gateway (UlCustomerRow *self);

/* The column widgets, for the list's size groups (0 account, 1 users, 2 status, 3 X). */
GtkWidget     *ul_customer_row_get_column (UlCustomerRow *self, guint column);

/* For the tests. */
const char    *ul_customer_row_get_status_text (UlCustomerRow *self);
GtkWidget     *ul_customer_row_get_users_button (UlCustomerRow *self);
GtkWidget     *ul_customer_row_get_deactivate_button (UlCustomerRow *self);

/* Signals: "show-users" () and "deactivate" (). */

G_END_DECLS
