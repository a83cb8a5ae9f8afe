/* ul-dashboard-page.c — the Partner Dashboard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-confirm-dialog.h"
#include "ul-customer-row.h"
#include "ul-dashboard-page.h"
#include "ul-users-dialog.h"
#include "ul-window.h"

/* After this long without an answer, "searching" gives way to "no gateway found". */
#define SEARCH_PATIENCE_S 4

struct _UlDashboardPage
{
  GtkWidget parent_instance;

  GtkStack             *content_stack;
  GtkWidget            *header_row;
  GtkWidget            *account_header;
  GtkWidget            *users_header;
  GtkWidget            *status_header;
  GtkWidget            *action_header;
  GtkListBox           *customers_list;
  GtkWidget            *no_customers_label;
  GtkWidget            *unclaimed_group;
  GtkListBox           *unclaimed_list;
  GtkWidget            *others_group;
  GtkListBox           *others_list;
  AdwStatusPage        *empty_page;

  UlApplication        *app;
  UlGatewayList        *gateways;
  UlDiscovery          *discovery;
  GtkFilter            *customers_filter;
  GtkSorter            *customers_sorter;
  GtkFilter            *unclaimed_filter;
  GtkFilter            *others_filter;
  GListModel           *customers;
  GListModel           *unclaimed;
  GListModel           *others;
  GtkSizeGroup         *columns[4];
  guint                 patience_id;
  gboolean              patience_over;
};

G_DEFINE_FINAL_TYPE (UlDashboardPage, ul_dashboard_page, GTK_TYPE_WIDGET)

/* ---- which gateway goes where ---- */

static gboolean
is_deactivated (UlGateway *gateway)
{
  return g_strcmp0 (ul_gateway_get_status (gateway)->code, UL_STATUS_DEACTIVATED) == 0;
}

/* The seed: "Customers who have already been deactivated are not displayed". */
static gboolean
is_customer (gpointer item, gpointer user_data)
{
  UlGateway *gateway = item;

  return ul_gateway_get_known (gateway) && !is_deactivated (gateway);
}

static gboolean
is_unclaimed (gpointer item, gpointer user_data)
{
  UlGateway *gateway = item;

  return !ul_gateway_get_known (gateway) && ul_gateway_get_discovered (gateway) &&
         !ul_gateway_get_claimed (gateway);
}

static gboolean
is_other (gpointer item, gpointer user_data)
{
  UlGateway *gateway = item;

  return !ul_gateway_get_known (gateway) && ul_gateway_get_discovered (gateway) &&
         ul_gateway_get_claimed (gateway);
}

static int
compare_customers (gconstpointer a, gconstpointer b, gpointer user_data)
{
  g_autofree char *ka = g_utf8_collate_key (ul_gateway_get_title (UL_GATEWAY ((gpointer) a)), -1);
  g_autofree char *kb = g_utf8_collate_key (ul_gateway_get_title (UL_GATEWAY ((gpointer) b)), -1);

  return strcmp (ka, kb);
}

/* ---- the view ---- */

static const char *
empty_reason (UlDashboardPage *self)
{
  if (self->discovery == NULL)
    return _("Looking for gateways on the local network is turned off. Add a gateway by its address.");

  switch (ul_discovery_get_state (self->discovery))
    {
    case UL_DISCOVERY_STATE_NO_DAEMON:
      return _("This computer’s mDNS service (avahi-daemon) is not running, so gateways "
               "on the network cannot be found by themselves. Start it, or add the gateway "
               "by its IP address.");
    case UL_DISCOVERY_STATE_FAILED:
      return _("Looking for gateways on the network failed. Add the gateway by its IP "
               "address, or look again.");
    case UL_DISCOVERY_STATE_STOPPED:
      return _("Looking for gateways on the local network is turned off. Add a gateway by "
               "its address.");
    case UL_DISCOVERY_STATE_SEARCHING:
    case UL_DISCOVERY_STATE_READY:
    default:
      return _("No gateway answered on this network. Check that the gateway is switched "
               "on and plugged in, that this computer is on the same subnet as the gateway "
               "(discovery does not cross routers or VPNs), and that no firewall blocks "
               "mDNS (UDP port 5353). A gateway on another subnet can be added by its IP "
               "address.");
    }
}

static void
update_view (UlDashboardPage *self)
{
  guint n_customers = self->customers != NULL ? g_list_model_get_n_items (self->customers) : 0;
  guint n_unclaimed = self->unclaimed != NULL ? g_list_model_get_n_items (self->unclaimed) : 0;
  guint n_others = self->others != NULL ? g_list_model_get_n_items (self->others) : 0;
  gboolean searching = self->discovery != NULL &&
                       ul_discovery_get_state (self->discovery) == UL_DISCOVERY_STATE_SEARCHING;

  gtk_widget_set_visible (self->header_row, n_customers > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->customers_list), n_customers > 0);
  gtk_widget_set_visible (self->no_customers_label, n_customers == 0);
  gtk_widget_set_visible (self->unclaimed_group, n_unclaimed > 0);
  gtk_widget_set_visible (self->others_group, n_others > 0);

  if (n_customers + n_unclaimed + n_others > 0)
    gtk_stack_set_visible_child_name (self->content_stack, "customers");
  else if (searching && !self->patience_over)
    gtk_stack_set_visible_child_name (self->content_stack, "searching");
  else
    {
      adw_status_page_set_description (self->empty_page, empty_reason (self));
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
    }
}

static gboolean
on_patience_over (gpointer user_data)
{
  UlDashboardPage *self = UL_DASHBOARD_PAGE (user_data);

  self->patience_id = 0;
  self->patience_over = TRUE;
  update_view (self);
  return G_SOURCE_REMOVE;
}

static void
restart_patience (UlDashboardPage *self)
{
  self->patience_over = FALSE;
  g_clear_handle_id (&self->patience_id, g_source_remove);
  self->patience_id = g_timeout_add_seconds (SEARCH_PATIENCE_S, on_patience_over, self);
}

static void
refilter (UlDashboardPage *self)
{
  gtk_filter_changed (self->customers_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->unclaimed_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->others_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_sorter_changed (self->customers_sorter, GTK_SORTER_CHANGE_DIFFERENT);
  update_view (self);
}

static void
on_gateway_notify (UlGateway *gateway, GParamSpec *pspec, UlDashboardPage *self)
{
  const char *name = g_param_spec_get_name (pspec);

  /* Only what moves a gateway between the lists or reorders it. */
  if (g_str_equal (name, "known") || g_str_equal (name, "claimed") ||
      g_str_equal (name, "discovered") || g_str_equal (name, "status-message") ||
      g_str_equal (name, "title"))
    refilter (self);
}

static void
on_gateways_changed (GListModel *model, guint position, guint removed, guint added,
                     UlDashboardPage *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(UlGateway) gateway = g_list_model_get_item (model, i);

      g_signal_connect_object (gateway, "notify", G_CALLBACK (on_gateway_notify), self, 0);
    }
  update_view (self);
}

static void
on_discovery_state (UlDiscovery *discovery, GParamSpec *pspec, UlDashboardPage *self)
{
  update_view (self);
}

/* ---- actions on a customer ---- */

static void
on_deactivated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlDashboardPage) self = UL_DASHBOARD_PAGE (user_data);
  UlGateway *gateway = UL_GATEWAY (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = ul_gateway_call_finish (gateway, result, &error);

  if (reply == NULL)
    {
      ul_toast (GTK_WIDGET (self), _("Could not deactivate “%s”: %s"),
                ul_gateway_get_title (gateway), error->message);
      return;
    }
  ul_toast (GTK_WIDGET (self), _("“%s” was deactivated"), ul_gateway_get_title (gateway));
  ul_gateway_refresh (gateway);
}

static void
on_deactivate_confirmed (UlConfirmDialog *dialog, const char *typed, UlGateway *gateway)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));
  UlDashboardPage *self;
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  if (!UL_IS_WINDOW (parent))
    return;
  self = UL_DASHBOARD_PAGE (ul_window_get_dashboard_page (UL_WINDOW (parent)));
  g_variant_builder_add (&builder, "{sv}", "confirm", g_variant_new_string (typed));
  ul_gateway_call_async (gateway, UL_API_OP_DEACTIVATE, NULL, g_variant_builder_end (&builder),
                         NULL, on_deactivated, g_object_ref (self));
}

static void
on_row_deactivate (UlCustomerRow *row, UlDashboardPage *self)
{
  UlGateway *gateway = ul_customer_row_get_gateway (row);
  g_autofree char *body = NULL;
  g_autofree char *name = g_markup_escape_text (ul_gateway_get_title (gateway), -1);
  UlConfirmDialog *dialog;

  body = g_strdup_printf (_("<b>%s</b> will no longer be able to use the apps. Its data stays "
                            "on the gateway, but can no longer be changed, and the customer "
                            "leaves this list. To reactivate a customer, contact your "
                            "support.\n\nType <b>deactivate</b> to confirm."),
                          name);
  dialog = ul_confirm_dialog_new (GTK_WIDGET (self), _("Deactivate Customer?"), body,
                                  "deactivate", _("_Deactivate"));
  g_signal_connect_object (dialog, "confirmed", G_CALLBACK (on_deactivate_confirmed), gateway, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_row_show_users (UlCustomerRow *row, UlDashboardPage *self)
{
  UlUsersDialog *dialog = ul_users_dialog_new (GTK_WIDGET (self), ul_customer_row_get_gateway (row),
                                               UL_USERS_DIALOG_REGISTERED);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_certificate_response (AdwMessageDialog *dialog, const char *response, UlGateway *gateway)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));

  if (g_str_equal (response, "trust"))
    ul_gateway_trust_new_certificate (gateway);
  else if (g_str_equal (response, "forget") && UL_IS_WINDOW (parent))
    ul_gateway_list_forget (ul_window_get_gateways (UL_WINDOW (parent)), gateway);
}

static void
show_certificate_warning (UlDashboardPage *self, UlGateway *gateway)
{
  UlApiClient *client = ul_gateway_get_client (gateway);
  g_autofree char *pinned = ul_api_format_fingerprint (ul_api_client_get_pinned_fingerprint (client));
  g_autofree char *seen = ul_api_format_fingerprint (ul_api_client_get_peer_fingerprint (client));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("The Gateway’s Certificate Changed"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The gateway at %s no longer presents the certificate "
                                    "you trusted when you added it.\n\nTrusted: %s\nNow: %s\n\n"
                                    "This happens after a factory reset or when the gateway "
                                    "was replaced, but also when another machine pretends to "
                                    "be it. Nothing was sent to it. Trust the new certificate "
                                    "only if you know why it changed."),
                                  ul_gateway_get_host (gateway), pinned, seen);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "forget", _("_Forget Gateway"),
                                    "trust", _("_Trust New Certificate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "trust",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_certificate_response), gateway, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_customer_activated (UlDashboardPage *self, GtkListBoxRow *row)
{
  UlGateway *gateway = ul_customer_row_get_gateway (UL_CUSTOMER_ROW (row));
  UlWindow *window = UL_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));

  switch (ul_gateway_get_state (gateway))
    {
    case UL_GATEWAY_STATE_SIGNED_OUT:
      ul_window_sign_in (window, gateway);
      break;
    case UL_GATEWAY_STATE_CERTIFICATE_CHANGED:
      show_certificate_warning (self, gateway);
      break;
    default:
      ul_window_open_customer (window, gateway, NULL);
      break;
    }
}

static void
on_retry_clicked (UlDashboardPage *self)
{
  if (self->discovery == NULL)
    return;
  ul_discovery_stop (self->discovery);
  ul_discovery_start (self->discovery);
  restart_patience (self);
  update_view (self);
}

/* ---- rows ---- */

static GtkWidget *
create_customer_row (gpointer item, gpointer user_data)
{
  UlDashboardPage *self = UL_DASHBOARD_PAGE (user_data);
  UlCustomerRow *row = ul_customer_row_new (UL_GATEWAY (item));

  for (guint i = 0; i < G_N_ELEMENTS (self->columns); i++)
    gtk_size_group_add_widget (self->columns[i], ul_customer_row_get_column (row, i));
  g_signal_connect_object (row, "deactivate", G_CALLBACK (on_row_deactivate), self, 0);
  g_signal_connect_object (row, "show-users", G_CALLBACK (on_row_show_users), self, 0);
  return GTK_WIDGET (row);
}

static void
on_sign_in_clicked (GtkButton *button, UlGateway *gateway)
{
  ul_window_sign_in (UL_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))), gateway);
}

static void
on_claim_clicked (GtkButton *button, UlGateway *gateway)
{
  ul_window_create_customer (UL_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))), gateway);
}

static GtkWidget *
create_gateway_row (UlGateway *gateway, const char *button_label, GCallback callback)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (button_label);

  g_object_bind_property (gateway, "title", row, "title", G_BINDING_SYNC_CREATE);
  g_object_bind_property (gateway, "address", row, "subtitle", G_BINDING_SYNC_CREATE);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_object (button, "clicked", callback, gateway, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  return row;
}

static GtkWidget *
create_unclaimed_row (gpointer item, gpointer user_data)
{
  return create_gateway_row (UL_GATEWAY (item), _("_Create Customer…"),
                             G_CALLBACK (on_claim_clicked));
}

static GtkWidget *
create_other_row (gpointer item, gpointer user_data)
{
  return create_gateway_row (UL_GATEWAY (item), _("_Sign In…"), G_CALLBACK (on_sign_in_clicked));
}

/* ---- GObject ---- */

static void
ul_dashboard_page_dispose (GObject *object)
{
  UlDashboardPage *self = UL_DASHBOARD_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->patience_id, g_source_remove);
  if (self->discovery != NULL)
    g_signal_handlers_disconnect_by_data (self->discovery, self);
  if (self->gateways != NULL)
    g_signal_handlers_disconnect_by_data (self->gateways, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), UL_TYPE_DASHBOARD_PAGE);
  /* The template's root box is not a bound child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->customers);
  g_clear_object (&self->unclaimed);
  g_clear_object (&self->others);
  for (guint i = 0; i < G_N_ELEMENTS (self->columns); i++)
    g_clear_object (&self->columns[i]);
  g_clear_object (&self->customers_filter);
  g_clear_object (&self->unclaimed_filter);
  g_clear_object (&self->others_filter);
  g_clear_object (&self->customers_sorter);
  g_clear_object (&self->discovery);
  g_clear_object (&self->gateways);

  G_OBJECT_CLASS (ul_dashboard_page_parent_class)->dispose (object);
}

static void
ul_dashboard_page_class_init (UlDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ul_dashboard_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/uplink/Dashboard/ul-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UlDashboardPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, UlDashboardPage, header_row);
  gtk_widget_class_bind_template_child (widget_class, UlDashboardPage, account_header);
  gtk_widget_class_bind_template_child (widget_class, UlDashboardPage, users_header);
  gtk_widget_class_bind_template_child (widget_class, UlDashboardPage, status_header);
  gtk_widget_class_bind_template_child (widget_class, UlDashboardPage, action_header);
  gtk_widget_class_bind_template_child (widget_class, UlDashboardPage, customers_list);
  gtk_widget_class_bind_template_child (widget_class, UlDashboardPage, no_customers_label);
  gtk_widget_class_bind_template_child (widget_class, UlDashboardPage, unclaimed_group);
  gtk_widget_class_bind_template_child (widget_class, UlDashboardPage, unclaimed_list);
  gtk_widget_class_bind_template_child (widget_class, UlDashboardPage, others_group);
  gtk_widget_class_bind_template_child (widget_class, UlDashboardPage, others_list);
  gtk_widget_class_bind_template_child (widget_class, UlDashboardPage, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_customer_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
}

static void
ul_dashboard_page_init (UlDashboardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The header and every row share the column widths. */
  for (guint i = 0; i < G_N_ELEMENTS (self->columns); i++)
    self->columns[i] = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  gtk_widget_set_size_request (self->account_header, 110, -1);
  gtk_widget_set_size_request (self->users_header, 140, -1);
  gtk_widget_set_size_request (self->status_header, 300, -1);
  gtk_widget_set_size_request (self->action_header, 34, -1);
  gtk_size_group_add_widget (self->columns[0], self->account_header);
  gtk_size_group_add_widget (self->columns[1], self->users_header);
  gtk_size_group_add_widget (self->columns[2], self->status_header);
  gtk_size_group_add_widget (self->columns[3], self->action_header);

  self->customers_filter = GTK_FILTER (gtk_custom_filter_new (is_customer, NULL, NULL));
  self->unclaimed_filter = GTK_FILTER (gtk_custom_filter_new (is_unclaimed, NULL, NULL));
  self->others_filter = GTK_FILTER (gtk_custom_filter_new (is_other, NULL, NULL));
  self->customers_sorter = GTK_SORTER (gtk_custom_sorter_new (compare_customers, NULL, NULL));
  update_view (self);
}

void
ul_dashboard_page_set_application (UlDashboardPage *self, UlApplication *app)
{
  GtkFilterListModel *filtered;

  g_return_if_fail (UL_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (self->gateways == NULL);

  self->app = app;
  self->gateways = g_object_ref (ul_application_get_gateways (app));
  self->discovery = g_object_ref (ul_application_get_discovery (app));

  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->gateways)),
                                        g_object_ref (self->customers_filter));
  self->customers = G_LIST_MODEL (gtk_sort_list_model_new (G_LIST_MODEL (filtered),
                                                           g_object_ref (self->customers_sorter)));
  self->unclaimed = G_LIST_MODEL (gtk_filter_list_model_new (
    g_object_ref (G_LIST_MODEL (self->gateways)), g_object_ref (self->unclaimed_filter)));
  self->others = G_LIST_MODEL (gtk_filter_list_model_new (
    g_object_ref (G_LIST_MODEL (self->gateways)), g_object_ref (self->others_filter)));

  gtk_list_box_bind_model (self->customers_list, self->customers, create_customer_row, self,
                           NULL);
  gtk_list_box_bind_model (self->unclaimed_list, self->unclaimed, create_unclaimed_row, self,
                           NULL);
  gtk_list_box_bind_model (self->others_list, self->others, create_other_row, self, NULL);

  g_signal_connect (self->gateways, "items-changed", G_CALLBACK (on_gateways_changed), self);
  on_gateways_changed (G_LIST_MODEL (self->gateways), 0, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->gateways)), self);
  g_signal_connect_swapped (self->customers, "items-changed", G_CALLBACK (update_view), self);
  g_signal_connect_swapped (self->unclaimed, "items-changed", G_CALLBACK (update_view), self);
  g_signal_connect_swapped (self->others, "items-changed", G_CALLBACK (update_view), self);
  g_signal_connect (self->discovery, "notify::state", G_CALLBACK (on_discovery_state), self);
  restart_patience (self);
  update_view (self);
}

const char *
ul_dashboard_page_get_view (UlDashboardPage *self)
{
  g_return_val_if_fail (UL_IS_DASHBOARD_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->content_stack);
}

GtkListBox *
ul_dashboard_page_get_customers_list (UlDashboardPage *self)
{
  g_return_val_if_fail (UL_IS_DASHBOARD_PAGE (self), NULL);
  return self->customers_list;
}

const char *
ul_dashboard_page_get_empty_reason (UlDashboardPage *self)
{
  g_return_val_if_fail (UL_IS_DASHBOARD_PAGE (self), NULL);
  return adw_status_page_get_description (self->empty_page);
}
