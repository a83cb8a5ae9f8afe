/* ul-claim-dialog.c — Create Customer: claim a new gateway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-claim-dialog.h"
#include "ul-error.h"
#include "ul-validate.h"

struct _UlClaimDialog
{
  AdwWindow parent_instance;

  AdwPreferencesPage  *content;
  AdwPreferencesGroup *gateway_group;
  GtkListBox          *gateway_list;
  GtkWidget           *no_gateway_label;
  AdwEntryRow         *email_row;
  AdwEntryRow         *password_row;
  AdwEntryRow         *confirm_row;
  GtkWidget           *create_button;
  GtkSpinner          *spinner;

  UlWindow            *window;
  GListStore          *candidates;
  UlGateway           *selected;
  GtkCheckButton      *group_leader;
  UlForm              *form;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (UlClaimDialog, ul_claim_dialog, ADW_TYPE_WINDOW)

static void
set_busy (UlClaimDialog *self, gboolean busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->create_button, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->content), !busy);
}

static void
on_check_toggled (GtkCheckButton *check, UlClaimDialog *self)
{
  if (gtk_check_button_get_active (check))
    g_set_object (&self->selected, g_object_get_data (G_OBJECT (check), "gateway"));
}

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  UlClaimDialog *self = UL_CLAIM_DIALOG (user_data);
  UlGateway *gateway = UL_GATEWAY (item);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ul_gateway_get_title (gateway));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), ul_gateway_get_address (gateway));
  g_object_set_data_full (G_OBJECT (check), "gateway", g_object_ref (gateway), g_object_unref);
  if (self->group_leader == NULL)
    self->group_leader = GTK_CHECK_BUTTON (check);
  else
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->group_leader);
  g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  if (self->selected == NULL || self->selected == gateway)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  return row;
}

/* The new gateways: announced and not claimed, plus the one the partner added by address. */
static void
collect_candidates (UlClaimDialog *self, UlGateway *preselected)
{
  UlGatewayList *gateways = ul_window_get_gateways (self->window);
  guint n = gateways != NULL ? g_list_model_get_n_items (G_LIST_MODEL (gateways)) : 0;

  if (preselected != NULL)
    g_list_store_append (self->candidates, preselected);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UlGateway) gateway = g_list_model_get_item (G_LIST_MODEL (gateways), i);

      if (gateway != preselected && ul_gateway_get_discovered (gateway) &&
          !ul_gateway_get_claimed (gateway) && !ul_gateway_get_known (gateway))
        g_list_store_append (self->candidates, gateway);
    }
  gtk_widget_set_visible (self->no_gateway_label,
                          g_list_model_get_n_items (G_LIST_MODEL (self->candidates)) == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->gateway_list),
                          g_list_model_get_n_items (G_LIST_MODEL (self->candidates)) > 0);
}

static void
on_claimed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlClaimDialog) self = UL_CLAIM_DIALOG (user_data);
  UlGateway *gateway = UL_GATEWAY (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  UlGatewayList *gateways;
  GApplication *app;

  if (!ul_gateway_claim_finish (gateway, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      if (g_error_matches (error, UL_ERROR, UL_ERROR_PERMISSION_DENIED))
        ul_form_show (self->form, "gateway",
                      _("The gateway refused: it can be claimed only from a computer on its own "
                        "network. Connect this computer to the customer’s LAN and try again."));
      else if (g_error_matches (error, UL_ERROR, UL_ERROR_WRONG_STATE))
        ul_form_show (self->form, "gateway",
                      _("Another partner claimed this gateway meanwhile. Sign in to it instead."));
      else if (!ul_form_show_error (self->form, error))
        ul_form_show (self->form, "gateway", error->message);
      ul_form_focus_first (self->form);
      return;
    }

  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  gateways = ul_window_get_gateways (self->window);
  if (gateways != NULL)
    ul_gateway_list_remember (gateways, gateway, password);
  app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self->window)));
  if (UL_IS_APPLICATION (app))
    g_settings_set_string (ul_application_get_settings (UL_APPLICATION (app)), "last-email",
                           ul_gateway_get_email (gateway));
  ul_window_open_customer (self->window, gateway, "customer");
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_create (UlClaimDialog *self)
{
  g_autoptr(GError) error = NULL;
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));

  ul_form_clear (self->form);
  if (self->selected == NULL)
    ul_form_show (self->form, "gateway", _("Choose the gateway to claim"));
  if (!ul_validate_email (email, "email", &error))
    ul_form_show_error (self->form, error);
  if (*password == '\0')
    ul_form_show (self->form, "password", _("Choose a password"));
  else if (g_strcmp0 (password, confirm) != 0)
    ul_form_show (self->form, "confirm", _("The passwords do not match"));
  if (ul_form_get_n_errors (self->form) > 0)
    {
      ul_form_focus_first (self->form);
      return;
    }

  set_busy (self, TRUE);
  ul_gateway_claim_async (self->selected, email, password, self->cancellable, on_claimed,
                          g_object_ref (self));
}

static void
on_add_by_address (UlClaimDialog *self)
{
  UlWindow *window = self->window;

  gtk_window_destroy (GTK_WINDOW (self));
  ul_window_add_gateway (window, NULL, NULL);
}

static void
ul_claim_dialog_dispose (GObject *object)
{
  UlClaimDialog *self = UL_CLAIM_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->candidates);
  g_clear_object (&self->selected);
  g_clear_object (&self->form);

  G_OBJECT_CLASS (ul_claim_dialog_parent_class)->dispose (object);
}

static void
ul_claim_dialog_class_init (UlClaimDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ul_claim_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/uplink/Dashboard/ul-claim-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, UlClaimDialog, content);
  gtk_widget_class_bind_template_child (widget_class, UlClaimDialog, gateway_group);
  gtk_widget_class_bind_template_child (widget_class, UlClaimDialog, gateway_list);
  gtk_widget_class_bind_template_child (widget_class, UlClaimDialog, no_gateway_label);
  gtk_widget_class_bind_template_child (widget_class, UlClaimDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, UlClaimDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, UlClaimDialog, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, UlClaimDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, UlClaimDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_create);
  gtk_widget_class_bind_template_callback (widget_class, on_add_by_address);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ul_claim_dialog_init (UlClaimDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->candidates = g_list_store_new (UL_TYPE_GATEWAY);
  self->form = ul_form_new ();
  ul_form_add (self->form, "gateway", GTK_WIDGET (self->gateway_group));
  ul_form_add (self->form, "email", GTK_WIDGET (self->email_row));
  ul_form_add (self->form, "password", GTK_WIDGET (self->password_row));
  ul_form_add (self->form, "confirm", GTK_WIDGET (self->confirm_row));
}

UlClaimDialog *
ul_claim_dialog_new (UlWindow *parent, UlGateway *gateway)
{
  UlClaimDialog *self = g_object_new (UL_TYPE_CLAIM_DIALOG, "transient-for", parent, NULL);
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (parent)));

  self->window = parent;
  if (gateway != NULL)
    self->selected = g_object_ref (gateway);
  collect_candidates (self, gateway);
  gtk_list_box_bind_model (self->gateway_list, G_LIST_MODEL (self->candidates), create_row, self,
                           NULL);
  if (UL_IS_APPLICATION (app))
    {
      g_autofree char *last = g_settings_get_string (
        ul_application_get_settings (UL_APPLICATION (app)), "last-email");

      gtk_editable_set_text (GTK_EDITABLE (self->email_row), last);
    }
  return self;
}

UlGateway *
ul_claim_dialog_get_selected (UlClaimDialog *self)
{
  g_return_val_if_fail (UL_IS_CLAIM_DIALOG (self), NULL);
  return self->selected;
}

void
ul_claim_dialog_fill (UlClaimDialog *self,
                      const char    *email,
                      const char    *password,
                      const char    *confirm)
{
  g_return_if_fail (UL_IS_CLAIM_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_row), confirm);
}

void
ul_claim_dialog_submit (UlClaimDialog *self)
{
  g_return_if_fail (UL_IS_CLAIM_DIALOG (self));
  on_create (self);
}

UlForm *
ul_claim_dialog_get_form (UlClaimDialog *self)
{
  g_return_val_if_fail (UL_IS_CLAIM_DIALOG (self), NULL);
  return self->form;
}
