/* ul-mail-server-dialog.c — the deployment e-mail settings of a gateway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-choices.h"
#include "ul-form.h"
#include "ul-error.h"
#include "ul-json.h"
#include "ul-mail-server-dialog.h"
#include "ul-mail-settings.h"
#include "ul-smtp-config.h"
#include "ul-validate.h"
#include "ul-window.h"

#define HOUR 3600

struct _UlMailServerDialog
{
  AdwWindow            parent_instance;

  AdwToastOverlay     *toast_overlay;
  GtkWidget           *save_button;
  GtkSpinner          *spinner;
  AdwEntryRow         *host_row;
  AdwEntryRow         *port_row;
  AdwComboRow         *security_row;
  AdwEntryRow         *username_row;
  AdwEntryRow         *password_row;
  AdwActionRow        *password_state_row;
  GtkButton           *password_remove_button;
  AdwEntryRow         *from_address_row;
  AdwEntryRow         *from_name_row;
  AdwEntryRow         *reply_to_row;
  AdwEntryRow         *url_row;
  AdwActionRow        *effective_row;
  GtkSpinButton       *lifetime_spin;
  AdwEntryRow         *test_to_row;
  GtkWidget           *test_button;
  GtkSpinner          *test_spinner;
  AdwActionRow        *test_result_row;
  GtkImage            *test_result_icon;

  UlGateway           *gateway;
  UlForm              *form;
  UlSmtpConfig        *smtp;          /* as stored, without the password */
  gboolean             password_set;  /* the gateway holds one */
  gboolean             remove_password;
  UlMailSettings      *settings;      /* as stored */
  char                *effective_url;
  guint                shown_lifetime_hours;
  const char          *shown_security;
  gboolean             loaded;
  gboolean             busy;
  gboolean             test_ok;
  char                *test_result;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (UlMailServerDialog, ul_mail_server_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (UlMailServerDialog *self, const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
set_busy (UlMailServerDialog *self, gboolean busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->save_button, self->loaded && !busy);
  gtk_widget_set_sensitive (self->test_button, self->loaded && !busy);
}

/* ---- showing the records ---- */

static void
update_password_state (UlMailServerDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->password_state_row), self->password_set);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_state_row),
                                 self->remove_password
                                   ? _("The stored password is removed when you save")
                                   : _("A password is stored on the gateway"));
  adw_action_row_set_subtitle (self->password_state_row,
                               self->remove_password
                                 ? ""
                                 : _("It is never shown. Type a new one above to replace it."));
  gtk_button_set_label (self->password_remove_button,
                        self->remove_password ? _("_Keep Password") : _("_Remove Password"));
  gtk_button_set_use_underline (self->password_remove_button, TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row),
                                 self->password_set ? _("New Password (empty: keep the stored one)")
                                                    : _("Password"));
}

static void
show_smtp (UlMailServerDialog *self)
{
  g_autofree char *port = g_strdup_printf ("%u", self->smtp->port);

  ul_form_set_entry_text (self->host_row, self->smtp->host);
  ul_form_set_entry_text (self->port_row, port);
  self->shown_security = ul_smtp_tls_to_string (self->smtp->tls);
  ul_choices_set (G_OBJECT (self->security_row), self->shown_security);
  ul_form_set_entry_text (self->username_row, self->smtp->username);
  ul_form_set_entry_text (self->password_row, NULL);
  ul_form_set_entry_text (self->from_address_row, self->smtp->from_address);
  ul_form_set_entry_text (self->from_name_row, self->smtp->from_name);
  ul_form_set_entry_text (self->reply_to_row, self->smtp->reply_to);
  self->remove_password = FALSE;
  update_password_state (self);
}

static void
update_effective (UlMailServerDialog *self)
{
  g_autofree char *typed = ul_form_entry_text (self->url_row);
  g_autofree char *text = NULL;
  gsize len = strlen (typed);

  while (len > 0 && typed[len - 1] == '/')
    typed[--len] = '\0';
  if (*typed != '\0')
    text = g_strdup_printf ("%s/register/…", typed);
  else if (self->settings != NULL && self->settings->registration_url != NULL &&
           *self->settings->registration_url != '\0')
    text = g_strdup (_("The gateway’s own address, once you save"));
  else if (self->effective_url != NULL)
    text = g_strdup_printf ("%s/register/…", self->effective_url);
  else
    text = g_strdup (_("The gateway’s own address"));
  adw_action_row_set_subtitle (self->effective_row, text);
}

static void
show_settings (UlMailServerDialog *self, GVariant *record)
{
  g_free (self->effective_url);
  self->effective_url = g_strdup (ul_json_lookup_string (record, "effectiveRegistrationUrl", NULL));
  ul_form_set_entry_text (self->url_row, self->settings->registration_url);
  /* Shown in whole hours; a lifetime set otherwise (gdbus) is kept unless changed here. */
  self->shown_lifetime_hours = MAX (1, (self->settings->link_lifetime + HOUR / 2) / HOUR);
  gtk_spin_button_set_value (self->lifetime_spin, self->shown_lifetime_hours);
  update_effective (self);
}

/* The record without its read-only keys, so that the model takes it as it is. */
static GVariant *
without (GVariant *record, const char *key, const char *key2)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, record);
  g_variant_dict_remove (&dict, key);
  if (key2 != NULL)
    g_variant_dict_remove (&dict, key2);
  return g_variant_dict_end (&dict);
}

static gboolean
take_smtp (UlMailServerDialog *self, GVariant *record, GError **error)
{
  g_autoptr(UlSmtpConfig) smtp = ul_smtp_config_new ();

  if (!ul_smtp_config_apply (smtp, without (record, "passwordSet", NULL), error))
    return FALSE;
  ul_smtp_config_free (self->smtp);
  self->smtp = g_steal_pointer (&smtp);
  self->password_set = ul_json_lookup_bool (record, "passwordSet", FALSE);
  show_smtp (self);
  return TRUE;
}

static gboolean
take_settings (UlMailServerDialog *self, GVariant *record, GError **error)
{
  g_autoptr(UlMailSettings) settings = ul_mail_settings_new ();

  if (!ul_mail_settings_apply (settings, without (record, "effectiveRegistrationUrl", NULL),
                               error))
    return FALSE;
  ul_mail_settings_free (self->settings);
  self->settings = g_steal_pointer (&settings);
  show_settings (self, record);
  return TRUE;
}

static void
on_settings_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlMailServerDialog) self = UL_MAIL_SERVER_DIALOG (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);

  if (self->cancellable == NULL)
    return;
  if (record == NULL || !take_settings (self, record, &error))
    {
      toast (self, error->message);
      return;
    }
  self->loaded = TRUE;
  set_busy (self, FALSE);
}

static void
on_smtp_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlMailServerDialog) self = UL_MAIL_SERVER_DIALOG (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);

  if (self->cancellable == NULL)
    return;
  /* A customer admin may read the users but not the gateway's mail server. */
  if (record == NULL || !take_smtp (self, record, &error))
    {
      toast (self, error->message);
      return;
    }
  ul_gateway_call_async (self->gateway, UL_API_OP_GET_MAIL_SETTINGS, NULL, NULL, NULL,
                         on_settings_loaded, g_object_ref (self));
}

/* ---- checking and storing ---- */

static GVariant *
build_smtp_changes (UlMailServerDialog *self, GError **error)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autofree char *host = ul_form_entry_text (self->host_row);
  g_autofree char *port = ul_form_entry_text (self->port_row);
  g_autofree char *username = ul_form_entry_text (self->username_row);
  g_autofree char *from_address = ul_form_entry_text (self->from_address_row);
  g_autofree char *from_name = ul_form_entry_text (self->from_name_row);
  g_autofree char *reply_to = ul_form_entry_text (self->reply_to_row);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *security = ul_choices_get (G_OBJECT (self->security_row));
  char *end = NULL;
  gint64 number;

  number = g_ascii_strtoll (port, &end, 10);
  if (*port == '\0' || end == NULL || *end != '\0')
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "port", "%s",
                          _("Enter the port as a number, usually 587"));
      return NULL;
    }
  g_variant_builder_add (&builder, "{sv}", "host", g_variant_new_string (host));
  g_variant_builder_add (&builder, "{sv}", "port", g_variant_new_int64 (number));
  g_variant_builder_add (&builder, "{sv}", "tls",
                         g_variant_new_string (security != NULL ? security : ""));
  g_variant_builder_add (&builder, "{sv}", "username", g_variant_new_string (username));
  g_variant_builder_add (&builder, "{sv}", "fromAddress", g_variant_new_string (from_address));
  g_variant_builder_add (&builder, "{sv}", "fromName", g_variant_new_string (from_name));
  g_variant_builder_add (&builder, "{sv}", "replyTo", g_variant_new_string (reply_to));
  /* Write-only: sent when typed (a new one) or removed (""), so that the stored one stays. */
  if (*password != '\0')
    g_variant_builder_add (&builder, "{sv}", "password", g_variant_new_string (password));
  else if (self->remove_password)
    g_variant_builder_add (&builder, "{sv}", "password", g_variant_new_string (""));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static GVariant *
build_settings_changes (UlMailServerDialog *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autofree char *url = ul_form_entry_text (self->url_row);
  guint hours = (guint) gtk_spin_button_get_value_as_int (self->lifetime_spin);
  const char *stored = self->settings->registration_url;

  /* Sent only when changed, so that saving the mail server alone leaves them be. */
  if (g_strcmp0 (url, stored != NULL ? stored : "") != 0)
    g_variant_builder_add (&builder, "{sv}", "registrationUrl", g_variant_new_string (url));
  if (hours != self->shown_lifetime_hours)
    g_variant_builder_add (&builder, "{sv}", "linkLifetime", g_variant_new_int64 (hours * HOUR));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static void
check (UlMailServerDialog *self, gboolean ok, GError **error)
{
  if (!ok)
    ul_form_show_error (self->form, *error);
  g_clear_error (error);
}

/* Every field on its own first, so that every mistake shows at once; then the rules that
 * span fields. FALSE when something is shown. */
static gboolean
validate (UlMailServerDialog *self, GVariant *smtp_changes, GVariant *settings_changes,
          gboolean *smtp_dirty, gboolean *settings_dirty)
{
  g_autoptr(UlSmtpConfig) smtp = ul_smtp_config_copy (self->smtp);
  g_autoptr(UlMailSettings) settings = ul_mail_settings_copy (self->settings);
  g_autoptr(GError) error = NULL;
  g_autofree char *host = ul_form_entry_text (self->host_row);
  g_autofree char *from_address = ul_form_entry_text (self->from_address_row);
  g_autofree char *reply_to = ul_form_entry_text (self->reply_to_row);

  check (self, ul_validate_host (host, "host", &error), &error);
  check (self, ul_validate_email (from_address, "fromAddress", &error), &error);
  if (*reply_to != '\0')
    check (self, ul_validate_email (reply_to, "replyTo", &error), &error);

  if (!ul_smtp_config_apply (smtp, smtp_changes, &error))
    check (self, FALSE, &error);
  else
    {
      *smtp_dirty = self->remove_password || !ul_smtp_config_equal (smtp, self->smtp);
      /* The stored password is never sent back; stand in for it. */
      if (smtp->password == NULL && self->password_set && !self->remove_password)
        smtp->password = g_strdup ("stored");
      if (ul_form_get_n_errors (self->form) == 0)
        check (self, ul_smtp_config_validate (smtp, &error), &error);
    }

  if (!ul_mail_settings_apply (settings, settings_changes, &error))
    check (self, FALSE, &error);
  else
    {
      *settings_dirty = !ul_mail_settings_equal (settings, self->settings);
      check (self, ul_mail_settings_validate (settings, &error), &error);
    }

  if (ul_form_get_n_errors (self->form) > 0)
    {
      ul_form_focus_first (self->form);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GVariant *settings_changes;  /* NULL: nothing to store */
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_clear_pointer (&data->settings_changes, g_variant_unref);
  g_free (data);
}

/* Shows @error where it belongs: under its field, else as a toast. */
static void
report (UlMailServerDialog *self, const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (ul_form_show_error (self->form, error))
    ul_form_focus_first (self->form);
  else
    toast (self, error->message);
}

static void
on_settings_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  UlMailServerDialog *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);

  /* Closed meanwhile: its widgets are gone. */
  if (g_task_return_error_if_cancelled (task))
    {
      g_clear_error (&error);
      return;
    }
  if (record == NULL || !take_settings (self, record, &error))
    {
      report (self, error);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
store_settings (GTask *task)
{
  UlMailServerDialog *self = g_task_get_source_object (task);
  StoreData *data = g_task_get_task_data (task);

  if (data->settings_changes == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  ul_gateway_call_async (self->gateway, UL_API_OP_UPDATE_MAIL_SETTINGS, NULL,
                         data->settings_changes, self->cancellable,
                         on_settings_stored, task);
}

static void
on_smtp_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = G_TASK (user_data);
  UlMailServerDialog *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);

  if (g_task_return_error_if_cancelled (task))
    {
      g_clear_error (&error);
      g_object_unref (task);
      return;
    }
  if (record == NULL || !take_smtp (self, record, &error))
    {
      report (self, error);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  store_settings (task);
}

/* Checks everything, then stores what changed: the mail server, then the link settings
 * (both are checked before either is stored). */
static void
store_async (UlMailServerDialog *self, GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, self->cancellable, callback, user_data);
  g_autoptr(GVariant) smtp_changes = NULL;
  g_autoptr(GVariant) settings_changes = NULL;
  g_autoptr(GError) error = NULL;
  gboolean smtp_dirty = FALSE;
  gboolean settings_dirty = FALSE;
  StoreData *data;

  g_task_set_source_tag (task, store_async);
  ul_form_clear (self->form);
  smtp_changes = build_smtp_changes (self, &error);
  settings_changes = build_settings_changes (self);
  if (smtp_changes == NULL)
    {
      ul_form_show_error (self->form, error);
      validate (self, g_variant_new ("a{sv}", NULL), settings_changes, &smtp_dirty,
                &settings_dirty);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (!validate (self, smtp_changes, settings_changes, &smtp_dirty, &settings_dirty))
    {
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_INVALID_ARGUMENT, "%s",
                               _("Some fields need your attention"));
      g_object_unref (task);
      return;
    }

  data = g_new0 (StoreData, 1);
  data->settings_changes = settings_dirty ? g_variant_ref (settings_changes) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);
  if (!smtp_dirty)
    {
      store_settings (task);
      return;
    }
  ul_gateway_call_async (self->gateway, UL_API_OP_UPDATE_SMTP, NULL, smtp_changes,
                         self->cancellable, on_smtp_stored, task);
}

static gboolean
store_finish (UlMailServerDialog *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  UlMailServerDialog *self = UL_MAIL_SERVER_DIALOG (source);
  g_autoptr(GError) error = NULL;

  /* Closed meanwhile. */
  if (self->cancellable == NULL)
    return;
  set_busy (self, FALSE);
  if (!store_finish (self, result, &error))
    return;
  g_signal_emit (self, signals[SIGNAL_SAVED], 0);
  ul_toast (GTK_WIDGET (self), "%s", _("E-mail server settings saved"));
  gtk_window_close (GTK_WINDOW (self));
}

void
ul_mail_server_dialog_save (UlMailServerDialog *self)
{
  g_return_if_fail (UL_IS_MAIL_SERVER_DIALOG (self));

  if (!self->loaded || self->busy)
    return;
  set_busy (self, TRUE);
  store_async (self, on_saved, NULL);
}

/* ---- the test e-mail ---- */

static void
show_test_result (UlMailServerDialog *self, gboolean ok, const char *text, const char *detail)
{
  self->test_ok = ok;
  g_free (self->test_result);
  self->test_result = g_strdup (text);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_result_row), text);
  adw_action_row_set_subtitle (self->test_result_row, detail);
  gtk_image_set_from_icon_name (self->test_result_icon,
                                ok ? "emblem-ok-symbolic" : "dialog-error-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_result_row), ok ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->test_result_row), ok ? "success" : "error");
  gtk_widget_set_visible (GTK_WIDGET (self->test_result_row), TRUE);
}

static void
on_test_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlMailServerDialog) self = UL_MAIL_SERVER_DIALOG (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  g_autofree char *detail = NULL;

  if (self->cancellable == NULL)
    return;
  gtk_spinner_set_spinning (self->test_spinner, FALSE);
  set_busy (self, FALSE);
  if (reply == NULL)
    {
      /* A bad address is said under its field; the server's refusal in the result. */
      if (!ul_form_show_error (self->form, error))
        show_test_result (self, FALSE, error->message,
                          _("The settings are saved, but the mail server did not take the "
                            "e-mail. Check them, or see Help for the usual causes."));
      return;
    }
  /* TRANSLATORS: %s is an e-mail address. */
  detail = g_strdup_printf (_("The mail server’s answer: it accepted the e-mail to %s"),
                            ul_json_lookup_string (reply, "recipient", ""));
  show_test_result (self, TRUE, ul_json_lookup_string (reply, "reply", ""), detail);
}

static void
on_stored_for_test (GObject *source, GAsyncResult *result, gpointer user_data)
{
  UlMailServerDialog *self = UL_MAIL_SERVER_DIALOG (source);
  g_autoptr(GError) error = NULL;
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autofree char *to = NULL;

  if (self->cancellable == NULL)
    return;
  to = ul_form_entry_text (self->test_to_row);
  if (!store_finish (self, result, &error))
    {
      set_busy (self, FALSE);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0);
  if (*to != '\0')
    g_variant_builder_add (&builder, "{sv}", "to", g_variant_new_string (to));
  gtk_spinner_set_spinning (self->test_spinner, TRUE);
  ul_gateway_call_async (self->gateway, UL_API_OP_SEND_TEST_MAIL, NULL,
                         g_variant_builder_end (&builder), self->cancellable, on_test_sent,
                         g_object_ref (self));
}

void
ul_mail_server_dialog_send_test (UlMailServerDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *to = NULL;

  g_return_if_fail (UL_IS_MAIL_SERVER_DIALOG (self));

  if (!self->loaded || self->busy)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->test_result_row), FALSE);
  g_clear_pointer (&self->test_result, g_free);
  to = ul_form_entry_text (self->test_to_row);
  if (*to != '\0' && !ul_validate_email (to, "to", &error))
    {
      ul_form_clear (self->form);
      ul_form_show_error (self->form, error);
      ul_form_focus_first (self->form);
      return;
    }
  set_busy (self, TRUE);
  store_async (self, on_stored_for_test, NULL);
}

/* ---- signals ---- */

static void
on_save_clicked (UlMailServerDialog *self)
{
  ul_mail_server_dialog_save (self);
}

static void
on_test_clicked (UlMailServerDialog *self)
{
  ul_mail_server_dialog_send_test (self);
}

static void
on_password_remove_clicked (UlMailServerDialog *self)
{
  self->remove_password = !self->remove_password;
  if (self->remove_password)
    ul_form_set_entry_text (self->password_row, NULL);
  update_password_state (self);
}

static guint
default_port (const char *security)
{
  if (g_strcmp0 (security, "tls") == 0)
    return 465;
  if (g_strcmp0 (security, "none") == 0)
    return 25;
  return UL_SMTP_PORT_DEFAULT;
}

/* The port follows the security while it is still the usual one of the previous choice. */
static void
on_security_changed (UlMailServerDialog *self)
{
  const char *security = ul_choices_get (G_OBJECT (self->security_row));
  g_autofree char *port = ul_form_entry_text (self->port_row);
  g_autofree char *usual = g_strdup_printf ("%u", default_port (self->shown_security));

  if (security == NULL || g_strcmp0 (security, self->shown_security) == 0)
    return;
  if (g_str_equal (port, usual))
    {
      g_autofree char *next = g_strdup_printf ("%u", default_port (security));

      ul_form_set_entry_text (self->port_row, next);
    }
  self->shown_security = security;
}

static void
ul_mail_server_dialog_dispose (GObject *object)
{
  UlMailServerDialog *self = UL_MAIL_SERVER_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->gateway);
  g_clear_object (&self->form);
  gtk_widget_dispose_template (GTK_WIDGET (self), UL_TYPE_MAIL_SERVER_DIALOG);

  G_OBJECT_CLASS (ul_mail_server_dialog_parent_class)->dispose (object);
}

static void
ul_mail_server_dialog_finalize (GObject *object)
{
  UlMailServerDialog *self = UL_MAIL_SERVER_DIALOG (object);

  g_clear_pointer (&self->smtp, ul_smtp_config_free);
  g_clear_pointer (&self->settings, ul_mail_settings_free);
  g_free (self->effective_url);
  g_free (self->test_result);

  G_OBJECT_CLASS (ul_mail_server_dialog_parent_class)->finalize (object);
}

static void
ul_mail_server_dialog_class_init (UlMailServerDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ul_mail_server_dialog_dispose;
  object_class->finalize = ul_mail_server_dialog_finalize;

  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/uplink/Dashboard/ul-mail-server-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, port_row);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, security_row);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, username_row);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, password_state_row);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, password_remove_button);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, from_address_row);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, from_name_row);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, reply_to_row);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, effective_row);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, lifetime_spin);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, test_to_row);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, test_button);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, test_result_row);
  gtk_widget_class_bind_template_child (widget_class, UlMailServerDialog, test_result_icon);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_password_remove_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ul_mail_server_dialog_init (UlMailServerDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->smtp = ul_smtp_config_new ();
  self->settings = ul_mail_settings_new ();
  ul_choices_setup (G_OBJECT (self->security_row), UL_CHOICES_SMTP_SECURITY);
  g_signal_connect_swapped (self->security_row, "notify::selected",
                            G_CALLBACK (on_security_changed), self);
  g_signal_connect_swapped (self->url_row, "changed", G_CALLBACK (update_effective), self);

  self->form = ul_form_new ();
  ul_form_add (self->form, "host", GTK_WIDGET (self->host_row));
  ul_form_add (self->form, "port", GTK_WIDGET (self->port_row));
  ul_form_add (self->form, "tls", GTK_WIDGET (self->security_row));
  ul_form_add (self->form, "username", GTK_WIDGET (self->username_row));
  ul_form_add (self->form, "password", GTK_WIDGET (self->password_row));
  ul_form_add (self->form, "passwordSet", GTK_WIDGET (self->password_row));
  ul_form_add (self->form, "fromAddress", GTK_WIDGET (self->from_address_row));
  ul_form_add (self->form, "fromName", GTK_WIDGET (self->from_name_row));
  ul_form_add (self->form, "replyTo", GTK_WIDGET (self->reply_to_row));
  ul_form_add (self->form, "registrationUrl", GTK_WIDGET (self->url_row));
  ul_form_add (self->form, "linkLifetime", GTK_WIDGET (self->lifetime_spin));
  ul_form_add (self->form, "to", GTK_WIDGET (self->test_to_row));
  show_smtp (self);
  update_effective (self);
}

UlMailServerDialog *
ul_mail_server_dialog_new (GtkWidget *parent, UlGateway *gateway)
{
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;
  UlMailServerDialog *self;

  g_return_val_if_fail (UL_IS_GATEWAY (gateway), NULL);

  self = g_object_new (UL_TYPE_MAIL_SERVER_DIALOG,
                       "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                       NULL);
  self->gateway = g_object_ref (gateway);
  set_busy (self, TRUE);
  ul_gateway_call_async (gateway, UL_API_OP_GET_SMTP, NULL, NULL, NULL, on_smtp_loaded,
                         g_object_ref (self));
  return self;
}

UlForm *
ul_mail_server_dialog_get_form (UlMailServerDialog *self)
{
  g_return_val_if_fail (UL_IS_MAIL_SERVER_DIALOG (self), NULL);
  return self->form;
}

gboolean
ul_mail_server_dialog_get_loaded (UlMailServerDialog *self)
{
  g_return_val_if_fail (UL_IS_MAIL_SERVER_DIALOG (self), FALSE);
  return self->loaded;
}

gboolean
ul_mail_server_dialog_get_busy (UlMailServerDialog *self)
{
  g_return_val_if_fail (UL_IS_MAIL_SERVER_DIALOG (self), FALSE);
  return self->busy;
}

const char *
ul_mail_server_dialog_get_test_result (UlMailServerDialog *self)
{
  g_return_val_if_fail (UL_IS_MAIL_SERVER_DIALOG (self), NULL);
  return self->test_result;
}

gboolean
ul_mail_server_dialog_get_test_ok (UlMailServerDialog *self)
{
  g_return_val_if_fail (UL_IS_MAIL_SERVER_DIALOG (self), FALSE);
  return self->test_ok;
}
