/* ul-window.h — the dashboard's window: the Partner Dashboard and the customer pages. */
#pragma once

#include <adwaita.h>

#include "ul-application.h"
#include "ul-gateway.h"

G_BEGIN_DECLS

#define UL_TYPE_WINDOW (ul_window_get_type ())
G_DECLARE_FINAL_TYPE (UlWindow, ul_window, UL, WINDOW, AdwApplicationWindow)

UlWindow  *ul_window_new (UlApplication *app);

UlGatewayList *ul_window_get_gateways (UlWindow *self);

/* Shows @message in a toast; errors never go unsaid. */
void       ul_window_toast (UlWindow *self, const char *message);
/* The same from any widget inside the window. */
void       ul_toast (GtkWidget *widget, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Opens @gateway's customer page at @step ("customer", "gateway", "pbx", "connect",
 * "sync", "deployment", "advanced", "overview"; NULL for the step its status names). */
void       ul_window_open_customer (UlWindow *self, UlGateway *gateway, const char *step);
void       ul_window_show_dashboard (UlWindow *self);

/* Starts "add gateway by address" for @address ("host" or "host:port"); with
 * @fingerprint the certificate is trusted when it matches, without asking. */
void       ul_window_add_gateway (UlWindow *self, const char *address, const char *fingerprint);
/* Signs in to a claimed gateway, or claims an unclaimed one (Create Customer). */
void       ul_window_sign_in (UlWindow *self, UlGateway *gateway);
void       ul_window_create_customer (UlWindow *self, UlGateway *gateway);

/* For the tests: the pages and the dialog on top, if any. */
GtkWidget *ul_window_get_dashboard_page (UlWindow *self);
GtkWidget *ul_window_get_customer_page (UlWindow *self);
const char *ul_window_get_visible_page (UlWindow *self);

G_END_DECLS
