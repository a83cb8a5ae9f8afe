/* ul-deployment-page.c — the Deployment step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-delivery-tracker.h"
#include "ul-deployment-page.h"
#include "ul-deployment-sender.h"
#include "ul-json.h"
#include "ul-mail-server-dialog.h"
#include "ul-send-dialog.h"
#include "ul-user-columns.h"
#include "ul-user-list.h"
#include "ul-user-object.h"
#include "ul-users-dialog.h"
#include "ul-window.h"

/* The refused users listed under the results; the rest are counted. */
#define REFUSED_SHOWN_MAX 200

typedef enum
{
  SMTP_UNKNOWN,     /* not read yet */
  SMTP_MISSING,     /* no host or sender: nothing can be sent */
  SMTP_CONFIGURED,
  SMTP_UNREADABLE,  /* the gateway did not say (no permission, unreachable) */
} SmtpState;

struct _UlDeploymentPage
{
  UlStepPage parent_instance;

  AdwActionRow  *mail_row;
  GtkWidget     *mail_button;
  GtkStack      *eligible_stack;
  GtkColumnView *eligible_view;
  GtkLabel      *eligible_empty_label;
  GtkLabel      *send_hint_label;
  GtkWidget     *configure_button;
  GtkWidget     *send_button;
  GtkProgressBar *send_progress;
  GtkWidget     *results_group;
  AdwActionRow  *results_row;
  GtkImage      *results_icon;
  AdwExpanderRow *refused_row;
  GtkWidget     *ineligible_group;
  GtkColumnView *ineligible_view;
  GtkLabel      *selected_label;
  AdwActionRow  *registered_row;

  UlUserList        *users;
  GListModel        *eligible;
  GListModel        *ineligible;
  GHashTable        *by_extension;   /* extension → UlUserObject (the list holds them) */
  GHashTable        *keep_selected;  /* extensions selected before a reload */
  UlDeliveryTracker *deliveries;
  guint              n_selected;

  SmtpState          smtp_state;
  char              *smtp_error;
  char              *language;       /* the customer's default */
  guint              link_lifetime;
  UlDeploymentSender *sender;
  GHashTable        *refusals;       /* extension → the reason shown, of the last sending */
  GPtrArray         *refused_rows;
  gboolean           reload_pending;
};

G_DEFINE_FINAL_TYPE (UlDeploymentPage, ul_deployment_page, UL_TYPE_STEP_PAGE)

static gboolean
is_eligible (gpointer item, gpointer user_data)
{
  return ul_user_object_get_eligible (UL_USER_OBJECT (item));
}

static gboolean
is_ineligible (gpointer item, gpointer user_data)
{
  return !ul_user_object_get_eligible (UL_USER_OBJECT (item));
}

/* ---- the send button: never dead, always saying why not ---- */

static void
update_send (UlDeploymentPage *self)
{
  gboolean sending = self->sender != NULL;
  const char *hint = NULL;
  g_autofree char *owned = NULL;

  switch (self->smtp_state)
    {
    case SMTP_UNKNOWN:
      hint = _("Checking the e-mail server settings…");
      break;
    case SMTP_MISSING:
      hint = _("Set up the e-mail server first: the gateway sends the deployment e-mails "
               "through it.");
      break;
    case SMTP_UNREADABLE:
      owned = g_strdup_printf (_("The e-mail server settings could not be read: %s"),
                               self->smtp_error != NULL ? self->smtp_error : "");
      hint = owned;
      break;
    case SMTP_CONFIGURED:
    default:
      if (sending)
        hint = _("Handing the e-mails to the gateway…");
      else if (self->n_selected == 0)
        hint = _("Select the users who should get the e-mail.");
      break;
    }
  gtk_label_set_text (self->send_hint_label, hint != NULL ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->send_hint_label), hint != NULL);
  gtk_widget_set_visible (self->configure_button, self->smtp_state == SMTP_MISSING);
  /* Settings the gateway does not show this account cannot be changed by it either. */
  gtk_widget_set_visible (self->mail_button, self->smtp_state != SMTP_UNREADABLE);
  gtk_widget_set_sensitive (self->send_button, self->smtp_state == SMTP_CONFIGURED &&
                                                 self->n_selected > 0 && !sending);
  gtk_widget_set_tooltip_text (self->send_button, hint);
  gtk_widget_set_visible (GTK_WIDGET (self->send_progress), sending);
  /* One sending at a time: the rows' Resend buttons wait for it too. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "deployment.resend",
                                 self->smtp_state == SMTP_CONFIGURED && !sending);
}

static void
update_selected (UlDeploymentPage *self)
{
  g_autofree char *text = NULL;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u selected",
                                       "%u of %u selected",
                                       g_list_model_get_n_items (self->eligible)),
                          self->n_selected, g_list_model_get_n_items (self->eligible));
  gtk_label_set_text (self->selected_label, text);
  update_send (self);
}

static void
on_user_selected (UlUserObject *user, GParamSpec *pspec, UlDeploymentPage *self)
{
  if (ul_user_object_get_selected (user))
    self->n_selected++;
  else if (self->n_selected > 0)
    self->n_selected--;
  update_selected (self);
}

static void
update (UlDeploymentPage *self)
{
  guint n_eligible = g_list_model_get_n_items (self->eligible);
  guint n_registered = 0;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->users));
  g_autofree char *registered = NULL;

  if (n_eligible > 0)
    gtk_stack_set_visible_child_name (self->eligible_stack, "list");
  else
    {
      gtk_label_set_text (self->eligible_empty_label,
                          ul_user_list_get_loading (self->users)
                            ? _("Reading the users…")
                            : ul_user_list_get_error (self->users) != NULL
                                ? ul_user_list_get_error (self->users)
                                : _("No users yet: connect or sync the PBX first."));
      gtk_stack_set_visible_child_name (self->eligible_stack, "empty");
    }
  gtk_widget_set_visible (self->ineligible_group, g_list_model_get_n_items (self->ineligible) > 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UlUserObject) user = g_list_model_get_item (G_LIST_MODEL (self->users), i);

      n_registered += ul_user_object_get_registered (user);
    }
  registered = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u user has built their account",
                                             "%u users have built their account", n_registered),
                                n_registered);
  adw_action_row_set_subtitle (self->registered_row, registered);
  update_selected (self);
}

static void
on_loading_changed (UlDeploymentPage *self)
{
  if (!ul_user_list_get_loading (self->users))
    g_hash_table_remove_all (self->keep_selected);
  update (self);
}

static void
on_users_changed (GListModel *model, guint position, guint removed, guint added,
                  UlDeploymentPage *self)
{
  /* Removals are wholesale (a reload): index and count the rest afresh. */
  if (removed > 0)
    {
      guint n = g_list_model_get_n_items (model);

      self->n_selected = 0;
      g_hash_table_remove_all (self->by_extension);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(UlUserObject) user = NULL;

          if (i >= position && i < position + added)
            continue;
          user = g_list_model_get_item (model, i);
          g_hash_table_replace (self->by_extension, (gpointer) ul_user_object_get_extension (user),
                                user);
          self->n_selected += ul_user_object_get_selected (user);
        }
    }
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(UlUserObject) user = g_list_model_get_item (model, i);
      const char *extension = ul_user_object_get_extension (user);

      g_hash_table_replace (self->by_extension, (gpointer) extension, user);
      ul_user_object_set_delivery (user, ul_delivery_tracker_lookup (self->deliveries, extension));
      g_signal_connect_object (user, "notify::selected", G_CALLBACK (on_user_selected), self, 0);
      /* A reload (a sync, a registration) keeps what the partner had ticked. */
      if (g_hash_table_contains (self->keep_selected, extension))
        ul_user_object_set_selected (user, TRUE);
    }
  update (self);
}

static void
on_delivery_changed (UlDeliveryTracker *tracker, const char *extension, UlDeploymentPage *self)
{
  GHashTableIter iter;
  gpointer key;
  gpointer user;

  if (extension != NULL)
    {
      user = g_hash_table_lookup (self->by_extension, extension);
      if (user != NULL)
        ul_user_object_set_delivery (user, ul_delivery_tracker_lookup (tracker, extension));
      return;
    }
  g_hash_table_iter_init (&iter, self->by_extension);
  while (g_hash_table_iter_next (&iter, &key, &user))
    ul_user_object_set_delivery (user, ul_delivery_tracker_lookup (tracker, key));
}

static void
set_all (UlDeploymentPage *self, gboolean selected)
{
  guint n = g_list_model_get_n_items (self->eligible);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UlUserObject) user = g_list_model_get_item (self->eligible, i);

      ul_user_object_set_selected (user, selected);
    }
}

static void
on_select_all (UlDeploymentPage *self)
{
  set_all (self, TRUE);
}

static void
on_select_none (UlDeploymentPage *self)
{
  set_all (self, FALSE);
}

static void
on_show_registered (UlDeploymentPage *self)
{
  ul_deployment_page_show_registered (self);
}

/* ---- the e-mail server ---- */

static void
show_smtp (UlDeploymentPage *self, GVariant *smtp)
{
  const char *host = ul_json_lookup_string (smtp, "host", NULL);
  const char *from = ul_json_lookup_string (smtp, "fromAddress", NULL);
  const char *name = ul_json_lookup_string (smtp, "fromName", NULL);
  const char *tls = ul_json_lookup_string (smtp, "tls", "starttls");
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (host != NULL && *host != '\0' && from != NULL && *from != '\0')
    {
      self->smtp_state = SMTP_CONFIGURED;
      title = g_strdup_printf ("%s:%" G_GINT64_FORMAT " · %s", host,
                               ul_json_lookup_int (smtp, "port", 0),
                               g_str_equal (tls, "none") ? _("no encryption")
                               : g_str_equal (tls, "tls") ? _("TLS") : _("STARTTLS"));
      /* TRANSLATORS: the sender of the deployment e-mails, "Partner IT <it@partner.example>". */
      subtitle = name != NULL && *name != '\0' ? g_strdup_printf (_("From %s <%s>"), name, from)
                                               : g_strdup_printf (_("From %s"), from);
    }
  else
    {
      self->smtp_state = SMTP_MISSING;
      title = g_strdup (_("Not set up"));
      subtitle = g_strdup (_("The gateway needs a mail server (SMTP) to send deployment "
                             "e-mails."));
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->mail_row), title);
  adw_action_row_set_subtitle (self->mail_row, subtitle);
  gtk_button_set_label (GTK_BUTTON (self->mail_button),
                        self->smtp_state == SMTP_CONFIGURED ? _("_Change…") : _("_Set Up…"));
}

static void
on_smtp_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlDeploymentPage) self = UL_DEPLOYMENT_PAGE (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) smtp = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);

  /* Gone meanwhile, or shown for another gateway since. */
  if (self->users == NULL || source != G_OBJECT (ul_step_page_get_gateway (UL_STEP_PAGE (self))))
    return;
  if (smtp == NULL)
    {
      self->smtp_state = SMTP_UNREADABLE;
      g_free (self->smtp_error);
      self->smtp_error = g_strdup (error->message);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->mail_row), _("Unknown"));
      adw_action_row_set_subtitle (self->mail_row, error->message);
    }
  else
    show_smtp (self, smtp);
  update_send (self);
}

static void
on_settings_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlDeploymentPage) self = UL_DEPLOYMENT_PAGE (user_data);
  g_autoptr(GVariant) settings = ul_gateway_call_finish (UL_GATEWAY (source), result, NULL);

  /* Only the confirmation's wording needs it. */
  if (settings != NULL)
    self->link_lifetime = (guint) ul_json_lookup_int (settings, "linkLifetime", 0);
}

static void
on_customer_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlDeploymentPage) self = UL_DEPLOYMENT_PAGE (user_data);
  g_autoptr(GVariant) customer = ul_gateway_call_finish (UL_GATEWAY (source), result, NULL);

  g_free (self->language);
  self->language = g_strdup (ul_json_lookup_string (customer, "language", NULL));
}

static void
load_mail_settings (UlDeploymentPage *self)
{
  UlGateway *gateway = ul_step_page_get_gateway (UL_STEP_PAGE (self));

  ul_gateway_call_async (gateway, UL_API_OP_GET_SMTP, NULL, NULL, NULL, on_smtp_loaded,
                         g_object_ref (self));
  ul_gateway_call_async (gateway, UL_API_OP_GET_MAIL_SETTINGS, NULL, NULL, NULL,
                         on_settings_loaded, g_object_ref (self));
}

static void
on_configure_clicked (UlDeploymentPage *self)
{
  ul_deployment_page_configure_mail_server (self);
}

/* ---- sending ---- */

static void
clear_results (UlDeploymentPage *self)
{
  for (guint i = 0; i < self->refused_rows->len; i++)
    adw_expander_row_remove (self->refused_row, g_ptr_array_index (self->refused_rows, i));
  g_ptr_array_set_size (self->refused_rows, 0);
  g_hash_table_remove_all (self->refusals);
}

static void
show_results (UlDeploymentPage *self, UlDeploymentSender *sender)
{
  g_autoptr(GVariant) results = ul_deployment_sender_get_results (sender);
  guint accepted = ul_deployment_sender_get_n_accepted (sender);
  guint refused = (guint) g_variant_n_children (results) - accepted;
  g_autofree char *title = NULL;
  g_autofree char *accepted_text = NULL;

  clear_results (self);
  for (gsize i = 0; i < g_variant_n_children (results); i++)
    {
      g_autoptr(GVariant) one = g_variant_get_child_value (results, i);
      const char *extension = ul_json_lookup_string (one, "extension", "");
      UlUserObject *user = g_hash_table_lookup (self->by_extension, extension);
      const char *reason;
      GtkWidget *row;
      g_autofree char *who = NULL;

      if (ul_json_lookup_bool (one, "accepted", FALSE))
        continue;
      reason = ul_deployment_refusal_reason (ul_json_lookup_string (one, "reason", NULL),
                                             ul_json_lookup_string (one, "message", NULL));
      g_hash_table_replace (self->refusals, g_strdup (extension), g_strdup (reason));
      if (self->refused_rows->len >= REFUSED_SHOWN_MAX)
        continue;
      who = user != NULL && *ul_user_object_get_name (user) != '\0'
              ? g_strdup_printf ("%s (%s)", ul_user_object_get_name (user), extension)
              : g_strdup (extension);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), who);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason);
      adw_expander_row_add_row (self->refused_row, row);
      g_ptr_array_add (self->refused_rows, row);
    }

  accepted_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%u e-mail accepted for delivery",
                                                "%u e-mails accepted for delivery", accepted),
                                   accepted);
  if (refused > 0)
    /* TRANSLATORS: "3 e-mails accepted for delivery; 1 user refused". */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s; %u user refused",
                                          "%s; %u users refused", refused),
                             accepted_text, refused);
  else
    title = g_strdup (accepted_text);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->results_row), title);
  gtk_image_set_from_icon_name (self->results_icon, refused > 0 ? "dialog-warning-symbolic"
                                                                : "emblem-ok-symbolic");
  gtk_widget_set_visible (GTK_WIDGET (self->refused_row), refused > 0);
  adw_expander_row_set_subtitle (self->refused_row,
                                 refused > self->refused_rows->len
                                   ? _("Only the first ones are listed.") : "");
  adw_expander_row_set_expanded (self->refused_row, refused > 0 && refused <= 10);
  gtk_widget_set_visible (self->results_group, TRUE);
  ul_toast (GTK_WIDGET (self), "%s", title);
}

static void
on_send_progress (UlDeploymentSender *sender, GParamSpec *pspec, UlDeploymentPage *self)
{
  guint done = ul_deployment_sender_get_done (sender);
  guint total = ul_deployment_sender_get_total (sender);
  g_autofree char *text = g_strdup_printf (_("%u of %u users handed to the gateway"), done,
                                           total);

  gtk_progress_bar_set_fraction (self->send_progress, total > 0 ? (double) done / total : 0);
  gtk_progress_bar_set_text (self->send_progress, text);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlDeploymentPage) self = UL_DEPLOYMENT_PAGE (user_data);
  UlDeploymentSender *sender = UL_DEPLOYMENT_SENDER (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) results = NULL;

  ul_deployment_sender_run_finish (sender, result, &error);
  if (self->sender != sender)
    return;

  /* Whoever got a mail is no longer ticked: a second click would send another. */
  results = ul_deployment_sender_get_results (sender);
  for (gsize i = 0; i < g_variant_n_children (results); i++)
    {
      g_autoptr(GVariant) one = g_variant_get_child_value (results, i);
      const char *extension = ul_json_lookup_string (one, "extension", "");
      UlUserObject *user = g_hash_table_lookup (self->by_extension, extension);

      g_hash_table_remove (self->keep_selected, extension);
      if (user != NULL && ul_json_lookup_bool (one, "accepted", FALSE))
        ul_user_object_set_selected (user, FALSE);
    }
  if (g_variant_n_children (results) > 0)
    show_results (self, sender);
  if (error != NULL)
    ul_step_page_report_error (UL_STEP_PAGE (self), error);

  g_signal_handlers_disconnect_by_data (sender, self);
  g_clear_object (&self->sender);
  ul_step_page_set_busy (UL_STEP_PAGE (self), FALSE);
  update_send (self);
  if (self->reload_pending)
    {
      self->reload_pending = FALSE;
      ul_step_page_reload (UL_STEP_PAGE (self));
    }
}

static void
start_sending (UlDeploymentPage *self, GStrv extensions, const char *language, gboolean resend)
{
  if (self->sender != NULL)
    return;
  self->sender = ul_deployment_sender_new (ul_step_page_get_gateway (UL_STEP_PAGE (self)),
                                           (const char * const *) extensions, language, resend);
  g_signal_connect (self->sender, "notify::done", G_CALLBACK (on_send_progress), self);
  on_send_progress (self->sender, NULL, self);
  ul_step_page_set_busy (UL_STEP_PAGE (self), TRUE);
  update_send (self);
  ul_deployment_sender_run_async (self->sender, NULL, on_sent, g_object_ref (self));
}

/* The users the dialog spoke of, whatever happens to the list meanwhile. */
#define EXTENSIONS_KEY "ul-extensions"
#define RESEND_KEY "ul-resend"

static void
on_send_confirmed (UlSendDialog *dialog, const char *language, UlDeploymentPage *self)
{
  start_sending (self, g_object_get_data (G_OBJECT (dialog), EXTENSIONS_KEY), language,
                 GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), RESEND_KEY)));
}

static UlSendDialog *
confirm (UlDeploymentPage *self, GStrv extensions, guint n_invited, UlUserObject *resend)
{
  UlSendDialog *dialog;
  const char *name = NULL;

  if (resend != NULL)
    name = *ul_user_object_get_name (resend) != '\0' ? ul_user_object_get_name (resend)
                                                     : ul_user_object_get_extension (resend);
  dialog = ul_send_dialog_new (GTK_WIDGET (self), g_strv_length (extensions), n_invited, name,
                               self->link_lifetime, self->language);
  g_object_set_data_full (G_OBJECT (dialog), EXTENSIONS_KEY, extensions,
                          (GDestroyNotify) g_strfreev);
  g_object_set_data (G_OBJECT (dialog), RESEND_KEY, GINT_TO_POINTER (resend != NULL));
  g_signal_connect_object (dialog, "send", G_CALLBACK (on_send_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
on_send_clicked (UlDeploymentPage *self)
{
  ul_deployment_page_send (self);
}

static void
on_resend_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  ul_deployment_page_resend (UL_DEPLOYMENT_PAGE (widget), g_variant_get_string (parameter, NULL));
}

/* ---- loading and live changes ---- */

/* Live: a sync (scheduled, or from another window) or a registration shows at once. */
static void
on_users_changed_remotely (UlGateway *gateway, const char *section, UlDeploymentPage *self)
{
  /* Also connected to gateways shown before: only the current one counts. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      gateway != ul_step_page_get_gateway (UL_STEP_PAGE (self)))
    return;
  /* Not under a sending: the results refer to the users as they are. */
  if (self->sender != NULL)
    self->reload_pending = TRUE;
  else
    ul_step_page_reload (UL_STEP_PAGE (self));
}

static void
on_mail_changed_remotely (UlGateway *gateway, const char *section, UlDeploymentPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      gateway == ul_step_page_get_gateway (UL_STEP_PAGE (self)))
    load_mail_settings (self);
}

static void
on_gateway_set (UlDeploymentPage *self)
{
  UlGateway *gateway = ul_step_page_get_gateway (UL_STEP_PAGE (self));

  ul_delivery_tracker_set_gateway (self->deliveries, gateway);
  if (gateway == NULL)
    return;
  g_signal_connect_object (gateway, "changed::users", G_CALLBACK (on_users_changed_remotely),
                           self, 0);
  g_signal_connect_object (gateway, "changed::smtp", G_CALLBACK (on_mail_changed_remotely),
                           self, 0);
  g_signal_connect_object (gateway, "changed::mail", G_CALLBACK (on_mail_changed_remotely),
                           self, 0);
}

static void
ul_deployment_page_load (UlStepPage *page)
{
  UlDeploymentPage *self = UL_DEPLOYMENT_PAGE (page);
  UlGateway *gateway = ul_step_page_get_gateway (page);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->users));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UlUserObject) user = g_list_model_get_item (G_LIST_MODEL (self->users), i);

      if (ul_user_object_get_selected (user))
        g_hash_table_add (self->keep_selected, g_strdup (ul_user_object_get_extension (user)));
    }
  self->n_selected = 0;
  ul_user_list_load (self->users, gateway, NULL);
  load_mail_settings (self);
  ul_gateway_call_async (gateway, UL_API_OP_GET_CUSTOMER, NULL, NULL, NULL, on_customer_loaded,
                         g_object_ref (self));
  ul_step_page_set_loaded (page, TRUE);
}

/* The e-mails are followed while the list is on show (the Overview holds a second copy of
 * this step); coming back reads them afresh. */
static void
ul_deployment_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ul_deployment_page_parent_class)->map (widget);
  ul_delivery_tracker_set_active (UL_DEPLOYMENT_PAGE (widget)->deliveries, TRUE);
}

static void
ul_deployment_page_unmap (GtkWidget *widget)
{
  UlDeploymentPage *self = UL_DEPLOYMENT_PAGE (widget);

  if (self->deliveries != NULL)
    ul_delivery_tracker_set_active (self->deliveries, FALSE);
  GTK_WIDGET_CLASS (ul_deployment_page_parent_class)->unmap (widget);
}

static void
ul_deployment_page_dispose (GObject *object)
{
  UlDeploymentPage *self = UL_DEPLOYMENT_PAGE (object);

  if (self->users != NULL)
    g_signal_handlers_disconnect_by_data (self->users, self);
  if (self->deliveries != NULL)
    g_signal_handlers_disconnect_by_data (self->deliveries, self);
  if (self->sender != NULL)
    g_signal_handlers_disconnect_by_data (self->sender, self);
  g_clear_object (&self->sender);
  g_clear_pointer (&self->refused_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), UL_TYPE_DEPLOYMENT_PAGE);
  g_clear_pointer (&self->by_extension, g_hash_table_unref);
  g_clear_object (&self->eligible);
  g_clear_object (&self->ineligible);
  g_clear_object (&self->users);
  g_clear_object (&self->deliveries);

  G_OBJECT_CLASS (ul_deployment_page_parent_class)->dispose (object);
}

static void
ul_deployment_page_finalize (GObject *object)
{
  UlDeploymentPage *self = UL_DEPLOYMENT_PAGE (object);

  g_hash_table_unref (self->keep_selected);
  g_hash_table_unref (self->refusals);
  g_free (self->smtp_error);
  g_free (self->language);

  G_OBJECT_CLASS (ul_deployment_page_parent_class)->finalize (object);
}

static void
ul_deployment_page_class_init (UlDeploymentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  UlStepPageClass *page_class = UL_STEP_PAGE_CLASS (klass);

  object_class->dispose = ul_deployment_page_dispose;
  object_class->finalize = ul_deployment_page_finalize;
  widget_class->map = ul_deployment_page_map;
  widget_class->unmap = ul_deployment_page_unmap;
  page_class->load = ul_deployment_page_load;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/uplink/Dashboard/ul-deployment-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, mail_row);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, mail_button);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, eligible_stack);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, eligible_view);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, eligible_empty_label);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, send_hint_label);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, configure_button);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, send_progress);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, results_group);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, results_row);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, results_icon);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, refused_row);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, ineligible_group);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, ineligible_view);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, selected_label);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, registered_row);
  gtk_widget_class_bind_template_callback (widget_class, on_select_all);
  gtk_widget_class_bind_template_callback (widget_class, on_select_none);
  gtk_widget_class_bind_template_callback (widget_class, on_show_registered);
  gtk_widget_class_bind_template_callback (widget_class, on_configure_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_send_clicked);
  gtk_widget_class_install_action (widget_class, "deployment.resend", "s", on_resend_action);
}

static void
ul_deployment_page_init (UlDeploymentPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->users = ul_user_list_new ();
  self->eligible = G_LIST_MODEL (gtk_filter_list_model_new (
    g_object_ref (G_LIST_MODEL (self->users)),
    GTK_FILTER (gtk_custom_filter_new (is_eligible, NULL, NULL))));
  self->ineligible = G_LIST_MODEL (gtk_filter_list_model_new (
    g_object_ref (G_LIST_MODEL (self->users)),
    GTK_FILTER (gtk_custom_filter_new (is_ineligible, NULL, NULL))));
  self->by_extension = g_hash_table_new (g_str_hash, g_str_equal);
  self->keep_selected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->refusals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->refused_rows = g_ptr_array_new ();
  self->deliveries = ul_delivery_tracker_new ();
  g_signal_connect (self->deliveries, "changed", G_CALLBACK (on_delivery_changed), self);

  ul_user_columns_add (self->eligible_view, UL_USER_COLUMN_SELECT | UL_USER_COLUMN_NAME |
                                            UL_USER_COLUMN_EXTENSION | UL_USER_COLUMN_EMAIL |
                                            UL_USER_COLUMN_DELIVERY);
  ul_user_columns_add (self->ineligible_view, UL_USER_COLUMN_NAME | UL_USER_COLUMN_EXTENSION |
                                              UL_USER_COLUMN_REASON);
  gtk_column_view_set_model (self->eligible_view, GTK_SELECTION_MODEL (
    gtk_no_selection_new (g_object_ref (self->eligible))));
  gtk_column_view_set_model (self->ineligible_view, GTK_SELECTION_MODEL (
    gtk_no_selection_new (g_object_ref (self->ineligible))));

  g_signal_connect (self, "notify::gateway", G_CALLBACK (on_gateway_set), NULL);
  g_signal_connect (self->users, "items-changed", G_CALLBACK (on_users_changed), self);
  g_signal_connect_swapped (self->users, "notify::loading", G_CALLBACK (on_loading_changed), self);
  show_smtp (self, NULL);
  self->smtp_state = SMTP_UNKNOWN;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->mail_row), _("Unknown"));
  adw_action_row_set_subtitle (self->mail_row, _("Checking the e-mail server settings…"));
  update (self);
}

GtkWidget *
ul_deployment_page_new (void)
{
  return g_object_new (UL_TYPE_DEPLOYMENT_PAGE, NULL);
}

GListModel *
ul_deployment_page_get_eligible (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), NULL);
  return self->eligible;
}

GListModel *
ul_deployment_page_get_ineligible (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), NULL);
  return self->ineligible;
}

GtkWidget *
ul_deployment_page_get_eligible_view (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), NULL);
  return GTK_WIDGET (self->eligible_view);
}

GtkWidget *
ul_deployment_page_get_ineligible_view (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), NULL);
  return GTK_WIDGET (self->ineligible_view);
}

gboolean
ul_deployment_page_get_loading (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), FALSE);
  return ul_user_list_get_loading (self->users);
}

guint
ul_deployment_page_get_n_selected (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), 0);
  return self->n_selected;
}

UlUserObject *
ul_deployment_page_find_user (UlDeploymentPage *self, const char *extension)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), NULL);
  return g_hash_table_lookup (self->by_extension, extension);
}

gboolean
ul_deployment_page_get_mail_ready (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), FALSE);
  return self->smtp_state == SMTP_CONFIGURED;
}

guint
ul_deployment_page_get_link_lifetime (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), 0);
  return self->link_lifetime;
}

const char *
ul_deployment_page_get_send_hint (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->send_hint_label))
           ? gtk_label_get_text (self->send_hint_label) : NULL;
}

GtkWidget *
ul_deployment_page_get_send_button (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), NULL);
  return self->send_button;
}

gboolean
ul_deployment_page_get_sending (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), FALSE);
  return self->sender != NULL;
}

const char *
ul_deployment_page_get_refusal (UlDeploymentPage *self, const char *extension)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), NULL);
  return g_hash_table_lookup (self->refusals, extension);
}

void
ul_deployment_page_show_registered (UlDeploymentPage *self)
{
  UlUsersDialog *dialog;

  g_return_if_fail (UL_IS_DEPLOYMENT_PAGE (self));

  dialog = ul_users_dialog_new (GTK_WIDGET (self), ul_step_page_get_gateway (UL_STEP_PAGE (self)),
                                UL_USERS_DIALOG_REGISTERED);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
ul_deployment_page_configure_mail_server (UlDeploymentPage *self)
{
  UlMailServerDialog *dialog;

  g_return_if_fail (UL_IS_DEPLOYMENT_PAGE (self));

  dialog = ul_mail_server_dialog_new (GTK_WIDGET (self),
                                      ul_step_page_get_gateway (UL_STEP_PAGE (self)));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (load_mail_settings), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

UlSendDialog *
ul_deployment_page_send (UlDeploymentPage *self)
{
  g_autoptr(GStrvBuilder) extensions = g_strv_builder_new ();
  guint n = 0;
  guint n_invited = 0;

  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), NULL);

  if (!gtk_widget_is_sensitive (self->send_button))
    return NULL;
  for (guint i = 0; i < g_list_model_get_n_items (self->eligible); i++)
    {
      g_autoptr(UlUserObject) user = g_list_model_get_item (self->eligible, i);

      if (!ul_user_object_get_selected (user))
        continue;
      g_strv_builder_add (extensions, ul_user_object_get_extension (user));
      n_invited += ul_user_object_get_can_resend (user);
      n++;
    }
  if (n == 0)
    return NULL;
  return confirm (self, g_strv_builder_end (extensions), n_invited, NULL);
}

UlSendDialog *
ul_deployment_page_resend (UlDeploymentPage *self, const char *extension)
{
  UlUserObject *user;
  GStrv extensions;

  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), NULL);

  user = g_hash_table_lookup (self->by_extension, extension);
  if (user == NULL || !ul_user_object_get_can_resend (user) || self->sender != NULL)
    return NULL;
  extensions = g_new0 (char *, 2);
  extensions[0] = g_strdup (extension);
  return confirm (self, extensions, 1, user);
}
