/* ul-customer-row.c — one row of the customer list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ul-customer-row.h"
#include "ul-status-button.h"

struct _UlCustomerRow
{
  GtkListBoxRow parent_instance;

  GtkLabel       *name_label;
  GtkLabel       *detail_label;
  GtkLabel       *warning_label;
  GtkLabel       *account_label;
  GtkStack       *users_stack;
  GtkButton      *users_button;
  GtkStack       *status_stack;
  UlStatusButton *status_button;
  GtkButton      *deactivate_button;

  UlGateway      *gateway;
};

G_DEFINE_FINAL_TYPE (UlCustomerRow, ul_customer_row, GTK_TYPE_LIST_BOX_ROW)

enum
{
  SIGNAL_SHOW_USERS,
  SIGNAL_DEACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update (UlCustomerRow *self)
{
  UlGateway *gateway = self->gateway;
  UlGatewayState state = ul_gateway_get_state (gateway);
  const char *account = ul_gateway_get_account_id (gateway);
  int users = ul_gateway_get_registered_users (gateway);
  g_autofree char *a11y = NULL;

  gtk_label_set_text (self->name_label, ul_gateway_get_title (gateway));
  gtk_label_set_text (self->detail_label, ul_gateway_get_address (gateway));
  gtk_label_set_text (self->account_label, account != NULL ? account : "—");

  if (users >= 0 && state == UL_GATEWAY_STATE_ONLINE)
    {
      g_autofree char *count = g_strdup_printf ("%d", users);

      gtk_button_set_label (self->users_button, count);
      gtk_stack_set_visible_child_name (self->users_stack, "count");
    }
  else
    gtk_stack_set_visible_child_name (self->users_stack, "unknown");

  ul_status_button_set_status (self->status_button, ul_gateway_get_status (gateway));
  switch (state)
    {
    case UL_GATEWAY_STATE_SIGNED_OUT:
      gtk_stack_set_visible_child_name (self->status_stack, "signed-out");
      break;
    case UL_GATEWAY_STATE_UNKNOWN:
    case UL_GATEWAY_STATE_CONNECTING:
      gtk_stack_set_visible_child_name (self->status_stack, "connecting");
      break;
    case UL_GATEWAY_STATE_ONLINE:
    case UL_GATEWAY_STATE_UNREACHABLE:
    case UL_GATEWAY_STATE_CERTIFICATE_CHANGED:
    default:
      gtk_stack_set_visible_child_name (self->status_stack, "status");
      break;
    }

  /* Loud: a different certificate may be someone else's machine. */
  gtk_widget_set_visible (GTK_WIDGET (self->warning_label),
                          state == UL_GATEWAY_STATE_CERTIFICATE_CHANGED);
  gtk_label_set_text (self->warning_label,
                      _("Its certificate changed: this may not be the customer’s gateway. "
                        "Open it to review."));
  /* Hidden but keeping its place, so that the columns stay aligned with the header. */
  gtk_widget_set_opacity (GTK_WIDGET (self->deactivate_button),
                          state == UL_GATEWAY_STATE_ONLINE ? 1.0 : 0.0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->deactivate_button),
                            state == UL_GATEWAY_STATE_ONLINE);
  gtk_widget_set_can_target (GTK_WIDGET (self->deactivate_button),
                             state == UL_GATEWAY_STATE_ONLINE);
  gtk_widget_set_can_focus (GTK_WIDGET (self->deactivate_button),
                            state == UL_GATEWAY_STATE_ONLINE);

  a11y = g_strdup_printf ("%s, %s", ul_gateway_get_title (gateway),
                          ul_gateway_get_status_message (gateway));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

static void
on_users_clicked (UlCustomerRow *self)
{
  g_signal_emit (self, signals[SIGNAL_SHOW_USERS], 0);
}

static void
on_deactivate_clicked (UlCustomerRow *self)
{
  g_signal_emit (self, signals[SIGNAL_DEACTIVATE], 0);
}

static void
ul_customer_row_dispose (GObject *object)
{
  UlCustomerRow *self = UL_CUSTOMER_ROW (object);

  if (self->gateway != NULL)
    g_signal_handlers_disconnect_by_data (self->gateway, self);
  g_clear_object (&self->gateway);
  gtk_widget_dispose_template (GTK_WIDGET (self), UL_TYPE_CUSTOMER_ROW);

  G_OBJECT_CLASS (ul_customer_row_parent_class)->dispose (object);
}

static void
ul_customer_row_class_init (UlCustomerRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ul_customer_row_dispose;

  signals[SIGNAL_SHOW_USERS] = g_signal_new ("show-users", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);
  signals[SIGNAL_DEACTIVATE] = g_signal_new ("deactivate", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);

  g_type_ensure (UL_TYPE_STATUS_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/uplink/Dashboard/ul-customer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, UlCustomerRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerRow, warning_label);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerRow, account_label);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerRow, users_stack);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerRow, users_button);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerRow, status_stack);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerRow, status_button);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerRow, deactivate_button);
  gtk_widget_class_bind_template_callback (widget_class, on_users_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_deactivate_clicked);
}

static void
ul_customer_row_init (UlCustomerRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

UlCustomerRow *
ul_customer_row_new (UlGateway *gateway)
{
  UlCustomerRow *self = g_object_new (UL_TYPE_CUSTOMER_ROW, NULL);

  self->gateway = g_object_ref (gateway);
  g_signal_connect_swapped (gateway, "notify", G_CALLBACK (update), self);
  update (self);
  return self;
}

UlGateway *
ul_customer_row_get_gateway (UlCustomerRow *self)
{
  g_return_val_if_fail (UL_IS_CUSTOMER_ROW (self), NULL);
  return self->gateway;
}

GtkWidget *
ul_customer_row_get_column (UlCustomerRow *self, guint column)
{
  GtkWidget *columns[] = {
    GTK_WIDGET (self->account_label),
    GTK_WIDGET (self->users_stack),
    GTK_WIDGET (self->status_stack),
    GTK_WIDGET (self->deactivate_button),
  };

  g_return_val_if_fail (UL_IS_CUSTOMER_ROW (self), NULL);
  g_return_val_if_fail (column < G_N_ELEMENTS (columns), NULL);
  return columns[column];
}

const char *
ul_customer_row_get_status_text (UlCustomerRow *self)
{
  g_return_val_if_fail (UL_IS_CUSTOMER_ROW (self), NULL);
  return ul_status_button_get_text (self->status_button);
}

GtkWidget *
ul_customer_row_get_users_button (UlCustomerRow *self)
{
  g_return_val_if_fail (UL_IS_CUSTOMER_ROW (self), NULL);
  return GTK_WIDGET (self->users_button);
}

GtkWidget *
ul_customer_row_get_deactivate_button (UlCustomerRow *self)
{
  g_return_val_if_fail (UL_IS_CUSTOMER_ROW (self), NULL);
  return GTK_WIDGET (self->deactivate_button);
}
