/* ul-login-dialog.c — sign in to a claimed gateway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-error.h"
#include "ul-form.h"
#include "ul-login-dialog.h"
#include "ul-validate.h"

struct _UlLoginDialog
{
  AdwWindow parent_instance;

  AdwPreferencesGroup *group;
  AdwEntryRow         *email_row;
  AdwEntryRow         *password_row;
  GtkWidget           *sign_in_button;
  GtkSpinner          *spinner;

  UlWindow            *window;
  UlGateway           *gateway;
  UlForm              *form;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (UlLoginDialog, ul_login_dialog, ADW_TYPE_WINDOW)

static void
set_busy (UlLoginDialog *self, gboolean busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->sign_in_button, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->group), !busy);
}

static void
on_signed_in (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlLoginDialog) self = UL_LOGIN_DIALOG (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  UlGatewayList *gateways;
  GApplication *app;

  if (!ul_gateway_sign_in_finish (self->gateway, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      if (g_error_matches (error, UL_ERROR, UL_ERROR_UNAUTHORIZED))
        ul_form_show (self->form, "password", _("Wrong e-mail address or password"));
      else if (!ul_form_show_error (self->form, error))
        ul_form_show (self->form, "password", error->message);
      return;
    }

  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  gateways = ul_window_get_gateways (self->window);
  if (gateways != NULL)
    ul_gateway_list_remember (gateways, self->gateway, password);
  app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self->window)));
  if (UL_IS_APPLICATION (app))
    g_settings_set_string (ul_application_get_settings (UL_APPLICATION (app)), "last-email",
                           ul_gateway_get_email (self->gateway));
  ul_toast (GTK_WIDGET (self->window), _("Signed in to %s"), ul_gateway_get_title (self->gateway));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_sign_in (UlLoginDialog *self)
{
  g_autoptr(GError) error = NULL;
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  gboolean valid = TRUE;

  ul_form_clear (self->form);
  if (!ul_validate_email (email, "email", &error))
    {
      ul_form_show_error (self->form, error);
      valid = FALSE;
    }
  if (*password == '\0')
    {
      ul_form_show (self->form, "password", _("Enter the password"));
      valid = FALSE;
    }
  if (!valid)
    {
      ul_form_focus_first (self->form);
      return;
    }

  set_busy (self, TRUE);
  ul_gateway_sign_in_async (self->gateway, email, password, self->cancellable, on_signed_in,
                            g_object_ref (self));
}

static void
ul_login_dialog_dispose (GObject *object)
{
  UlLoginDialog *self = UL_LOGIN_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->gateway);
  g_clear_object (&self->form);

  G_OBJECT_CLASS (ul_login_dialog_parent_class)->dispose (object);
}

static void
ul_login_dialog_class_init (UlLoginDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ul_login_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/uplink/Dashboard/ul-login-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, UlLoginDialog, group);
  gtk_widget_class_bind_template_child (widget_class, UlLoginDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, UlLoginDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, UlLoginDialog, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, UlLoginDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ul_login_dialog_init (UlLoginDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->form = ul_form_new ();
  ul_form_add (self->form, "email", GTK_WIDGET (self->email_row));
  ul_form_add (self->form, "password", GTK_WIDGET (self->password_row));
}

UlLoginDialog *
ul_login_dialog_new (UlWindow *parent, UlGateway *gateway)
{
  UlLoginDialog *self = g_object_new (UL_TYPE_LOGIN_DIALOG, "transient-for", parent, NULL);
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (parent)));
  const char *email = ul_gateway_get_email (gateway);

  self->window = parent;
  self->gateway = g_object_ref (gateway);
  adw_preferences_group_set_title (self->group, ul_gateway_get_title (gateway));
  if (email == NULL && UL_IS_APPLICATION (app))
    {
      g_autofree char *last = g_settings_get_string (
        ul_application_get_settings (UL_APPLICATION (app)), "last-email");

      gtk_editable_set_text (GTK_EDITABLE (self->email_row), last);
    }
  else if (email != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);
  gtk_widget_grab_focus (gtk_editable_get_text (GTK_EDITABLE (self->email_row))[0] != '\0'
                           ? GTK_WIDGET (self->password_row) : GTK_WIDGET (self->email_row));
  return self;
}

void
ul_login_dialog_fill (UlLoginDialog *self, const char *email, const char *password)
{
  g_return_if_fail (UL_IS_LOGIN_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
}

void
ul_login_dialog_submit (UlLoginDialog *self)
{
  g_return_if_fail (UL_IS_LOGIN_DIALOG (self));
  on_sign_in (self);
}

UlForm *
ul_login_dialog_get_form (UlLoginDialog *self)
{
  g_return_val_if_fail (UL_IS_LOGIN_DIALOG (self), NULL);
  return self->form;
}
