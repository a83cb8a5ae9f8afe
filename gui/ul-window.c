/* ul-window.c — the dashboard's window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-add-gateway-dialog.h"
#include "ul-claim-dialog.h"
#include "ul-customer-page.h"
#include "ul-dashboard-page.h"
#include "ul-login-dialog.h"
#include "ul-window.h"

struct _UlWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  UlDashboardPage *dashboard_page;
  UlCustomerPage  *customer_page;
};

G_DEFINE_FINAL_TYPE (UlWindow, ul_window, ADW_TYPE_APPLICATION_WINDOW)

static void
on_customer_back (UlCustomerPage *page, UlWindow *self)
{
  ul_window_show_dashboard (self);
}

static void
on_add_gateway_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ul_window_add_gateway (UL_WINDOW (widget), NULL, NULL);
}

static void
on_create_customer_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ul_window_create_customer (UL_WINDOW (widget), NULL);
}

static void
save_window_state (UlWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  GSettings *settings;
  int width;
  int height;

  if (!UL_IS_APPLICATION (app))
    return;
  settings = ul_application_get_settings (UL_APPLICATION (app));
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
ul_window_close_request (GtkWindow *window)
{
  save_window_state (UL_WINDOW (window));
  return GTK_WINDOW_CLASS (ul_window_parent_class)->close_request (window);
}

static void
ul_window_class_init (UlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  window_class->close_request = ul_window_close_request;

  g_type_ensure (UL_TYPE_DASHBOARD_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/uplink/Dashboard/ul-window.ui");
  gtk_widget_class_bind_template_child (widget_class, UlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, UlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, UlWindow, dashboard_page);

  gtk_widget_class_install_action (widget_class, "win.add-gateway", NULL, on_add_gateway_action);
  gtk_widget_class_install_action (widget_class, "win.create-customer", NULL,
                                   on_create_customer_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.create-customer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.add-gateway", NULL);
}

static void
ul_window_init (UlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

UlWindow *
ul_window_new (UlApplication *app)
{
  UlWindow *self = g_object_new (UL_TYPE_WINDOW, "application", app, NULL);
  GSettings *settings = ul_application_get_settings (app);

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  ul_dashboard_page_set_application (self->dashboard_page, app);
  return self;
}

UlGatewayList *
ul_window_get_gateways (UlWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  g_return_val_if_fail (UL_IS_WINDOW (self), NULL);
  return UL_IS_APPLICATION (app) ? ul_application_get_gateways (UL_APPLICATION (app)) : NULL;
}

void
ul_window_toast (UlWindow *self, const char *message)
{
  AdwToast *toast;

  g_return_if_fail (UL_IS_WINDOW (self));

  toast = adw_toast_new (message);
  /* Errors are sentences people read; give them time. */
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
ul_toast (GtkWidget *widget, const char *format, ...)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* A dialog's toasts go to the window below it. */
  if (GTK_IS_WINDOW (root) && !UL_IS_WINDOW (root))
    root = GTK_ROOT (gtk_window_get_transient_for (GTK_WINDOW (root)));
  if (UL_IS_WINDOW (root))
    ul_window_toast (UL_WINDOW (root), message);
  else
    g_message ("%s", message);
}

/* The customer page holds every step twice (its own and the Overview's): built when first
 * needed, so that the Partner Dashboard shows at once. */
static UlCustomerPage *
ensure_customer_page (UlWindow *self)
{
  if (self->customer_page == NULL)
    {
      self->customer_page = g_object_new (UL_TYPE_CUSTOMER_PAGE, NULL);
      g_signal_connect (self->customer_page, "back", G_CALLBACK (on_customer_back), self);
      gtk_stack_add_named (self->stack, GTK_WIDGET (self->customer_page), "customer");
    }
  return self->customer_page;
}

void
ul_window_open_customer (UlWindow *self, UlGateway *gateway, const char *step)
{
  g_return_if_fail (UL_IS_WINDOW (self));
  g_return_if_fail (UL_IS_GATEWAY (gateway));

  ensure_customer_page (self);
  ul_customer_page_set_gateway (self->customer_page, gateway, step);
  gtk_stack_set_visible_child_name (self->stack, "customer");
}

void
ul_window_show_dashboard (UlWindow *self)
{
  g_return_if_fail (UL_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->stack, "dashboard");
  if (self->customer_page != NULL)
    ul_customer_page_set_gateway (self->customer_page, NULL, NULL);
}

void
ul_window_add_gateway (UlWindow *self, const char *address, const char *fingerprint)
{
  UlAddGatewayDialog *dialog;

  g_return_if_fail (UL_IS_WINDOW (self));

  dialog = ul_add_gateway_dialog_new (self, address, fingerprint);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
ul_window_sign_in (UlWindow *self, UlGateway *gateway)
{
  g_return_if_fail (UL_IS_WINDOW (self));
  g_return_if_fail (UL_IS_GATEWAY (gateway));

  gtk_window_present (GTK_WINDOW (ul_login_dialog_new (self, gateway)));
}

void
ul_window_create_customer (UlWindow *self, UlGateway *gateway)
{
  g_return_if_fail (UL_IS_WINDOW (self));

  gtk_window_present (GTK_WINDOW (ul_claim_dialog_new (self, gateway)));
}

GtkWidget *
ul_window_get_dashboard_page (UlWindow *self)
{
  g_return_val_if_fail (UL_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->dashboard_page);
}

GtkWidget *
ul_window_get_customer_page (UlWindow *self)
{
  g_return_val_if_fail (UL_IS_WINDOW (self), NULL);
  return GTK_WIDGET (ensure_customer_page (self));
}

const char *
ul_window_get_visible_page (UlWindow *self)
{
  g_return_val_if_fail (UL_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}
