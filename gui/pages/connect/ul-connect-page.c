/* ul-connect-page.c — the Connect step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-api-error.h"
#include "ul-connect-page.h"
#include "ul-error.h"
#include "ul-help.h"
#include "ul-json.h"
#include "ul-validate.h"
#include "ul-window.h"

struct _UlConnectPage
{
  UlStepPage parent_instance;

  AdwActionRow  *link_row;
  AdwActionRow  *result_row;
  GtkImage      *result_icon;
  GtkWidget     *result_help_button;
  GtkWidget     *connect_button;
  GtkSpinner    *spinner;
  AdwActionRow  *schedule_row;
  GtkSpinButton *schedule_spin;

  char          *result;
  const char    *result_help;
  GCancellable  *cancellable;
};

G_DEFINE_FINAL_TYPE (UlConnectPage, ul_connect_page, UL_TYPE_STEP_PAGE)

static const char *
link_state_label (const char *state)
{
  if (g_strcmp0 (state, "active") == 0)
    return _("Connected");
  if (g_strcmp0 (state, "connecting") == 0 || g_strcmp0 (state, "logging-in") == 0)
    return _("Connecting…");
  if (g_strcmp0 (state, "backoff") == 0)
    return _("Connection lost, trying again");
  return _("Not connected");
}

static void
show_result (UlConnectPage *self, const char *text, gboolean ok, const char *help)
{
  g_free (self->result);
  self->result = g_strdup (text);
  self->result_help = help;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->result_row), text);
  gtk_image_set_from_icon_name (self->result_icon,
                                ok ? "emblem-ok-symbolic" : "dialog-error-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_row), ok ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->result_row), ok ? "success" : "error");
  gtk_widget_set_visible (self->result_help_button, help != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_row), TRUE);
}

static void
on_result_help (UlConnectPage *self)
{
  ul_help_show (GTK_WIDGET (self), self->result_help);
}

static void
set_running (UlConnectPage *self, gboolean running)
{
  ul_step_page_set_busy (UL_STEP_PAGE (self), running);
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_sensitive (self->connect_button, !running);
}

/* ---- load ---- */

static void
on_link_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlConnectPage) self = UL_CONNECT_PAGE (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) link = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  const char *state;
  const char *link_error;

  /* A newer load or a change came since: this answer is outdated. */
  if (ul_step_page_load_is_stale (UL_STEP_PAGE (self), result))
    return;

  if (link == NULL)
    {
      /* An older gateway without the link resource: the row has nothing to say. */
      gtk_widget_set_visible (GTK_WIDGET (self->link_row),
                              !g_error_matches (error, UL_API_ERROR, UL_API_ERROR_NOT_SUPPORTED));
      return;
    }

  state = ul_json_lookup_string (link, "linkState", ul_json_lookup_string (link, "state", NULL));
  link_error = ul_json_lookup_string (link, "linkError", ul_json_lookup_string (link, "error", ""));
  adw_action_row_set_subtitle (self->link_row, link_state_label (state));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->link_row),
                               link_error != NULL && *link_error != '\0' ? link_error : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->link_row), TRUE);
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlConnectPage) self = UL_CONNECT_PAGE (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) pbx = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);

  /* A newer load or a change came since: this answer is outdated. */
  if (ul_step_page_load_is_stale (UL_STEP_PAGE (self), result))
    return;

  if (pbx == NULL && !g_error_matches (error, UL_ERROR, UL_ERROR_NOT_FOUND))
    {
      ul_step_page_report_error (UL_STEP_PAGE (self), error);
      return;
    }
  gtk_spin_button_set_value (self->schedule_spin,
                             (double) ul_json_lookup_int (pbx, "syncSchedule",
                                                          UL_SYNC_SCHEDULE_DEFAULT));
  gtk_widget_set_sensitive (self->connect_button, pbx != NULL);
  if (pbx == NULL)
    show_result (self, _("Enter the PBX information first (the PBX step)"), FALSE,
                 "pbx-information");
  ul_step_page_set_loaded (UL_STEP_PAGE (self), TRUE);
  ul_gateway_call_async (UL_GATEWAY (source), UL_API_OP_GET_LINK, NULL, NULL,
                         ul_step_page_get_load_cancellable (UL_STEP_PAGE (self)), on_link_loaded,
                         g_object_ref (self));
}

/* Live: the link row follows the gateway's events while the page is shown. */
static void
on_link_changed (UlGateway *gateway, const char *section, UlConnectPage *self)
{
  /* Also connected to gateways shown before: only the current one counts. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      gateway != ul_step_page_get_gateway (UL_STEP_PAGE (self)))
    return;
  ul_gateway_call_async (gateway, UL_API_OP_GET_LINK, NULL, NULL,
                         ul_step_page_get_load_cancellable (UL_STEP_PAGE (self)), on_link_loaded,
                         g_object_ref (self));
}

static void
on_gateway_set (UlConnectPage *self)
{
  UlGateway *gateway = ul_step_page_get_gateway (UL_STEP_PAGE (self));

  if (gateway != NULL)
    g_signal_connect_object (gateway, "changed::link", G_CALLBACK (on_link_changed), self, 0);
}

static void
ul_connect_page_load (UlStepPage *page)
{
  UlConnectPage *self = UL_CONNECT_PAGE (page);

  ul_gateway_call_async (ul_step_page_get_gateway (page), UL_API_OP_GET_PBX, NULL, NULL,
                         ul_step_page_get_load_cancellable (page), on_loaded, g_object_ref (self));
}

/* ---- the schedule ---- */

static gboolean
schedule (UlConnectPage *self, guint *minutes, GError **error)
{
  gint64 value;

  gtk_spin_button_update (self->schedule_spin);
  value = gtk_spin_button_get_value_as_int (self->schedule_spin);
  if (!ul_validate_sync_schedule (value, "syncSchedule", error))
    {
      ul_form_show_error (ul_step_page_get_form (UL_STEP_PAGE (self)), *error);
      return FALSE;
    }
  *minutes = (guint) value;
  return TRUE;
}

static GVariant *
schedule_body (guint minutes)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_variant_builder_add (&builder, "{sv}", "syncSchedule", g_variant_new_int64 (minutes));
  return g_variant_builder_end (&builder);
}

static void
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  GError *error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);

  if (record == NULL)
    ul_step_page_return_error (g_task_get_source_object (task), task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
ul_connect_page_save_async (UlStepPage         *page,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  UlConnectPage *self = UL_CONNECT_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  guint minutes;

  g_task_set_source_tag (task, ul_connect_page_save_async);
  if (!schedule (self, &minutes, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  ul_gateway_call_async (ul_step_page_get_gateway (page), UL_API_OP_UPDATE_PBX, NULL,
                         schedule_body (minutes), cancellable, on_saved, g_steal_pointer (&task));
}

static gboolean
ul_connect_page_save_finish (UlStepPage *page, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Connect ---- */

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlConnectPage) self = UL_CONNECT_PAGE (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);

  set_running (self, FALSE);
  if (reply == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Input errors go to their field; the PBX's answer is the step's result. */
      if (error->domain == UL_ERROR && error->code == UL_ERROR_INVALID_ARGUMENT &&
          ul_form_show_error (ul_step_page_get_form (UL_STEP_PAGE (self)), error))
        return;
      show_result (self, error->message, FALSE, ul_help_page_for_error (error));
      ul_step_page_reload (UL_STEP_PAGE (self));
      return;
    }

  show_result (self, ul_json_lookup_string (reply, "message", _("Connection successful")), TRUE,
               NULL);
  ul_step_page_reload (UL_STEP_PAGE (self));
}

void
ul_connect_page_connect (UlConnectPage *self)
{
  g_autoptr(GError) error = NULL;
  guint minutes;

  g_return_if_fail (UL_IS_CONNECT_PAGE (self));

  ul_form_clear (ul_step_page_get_form (UL_STEP_PAGE (self)));
  if (!schedule (self, &minutes, &error))
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->result_row), FALSE);
  set_running (self, TRUE);
  adw_action_row_set_subtitle (self->link_row, link_state_label ("connecting"));
  ul_gateway_call_async (ul_step_page_get_gateway (UL_STEP_PAGE (self)), UL_API_OP_CONNECT, NULL,
                         schedule_body (minutes), self->cancellable, on_connected,
                         g_object_ref (self));
}

static void
on_connect (UlConnectPage *self)
{
  ul_connect_page_connect (self);
}

/* ---- GObject ---- */

static void
ul_connect_page_dispose (GObject *object)
{
  UlConnectPage *self = UL_CONNECT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), UL_TYPE_CONNECT_PAGE);

  G_OBJECT_CLASS (ul_connect_page_parent_class)->dispose (object);
}

static void
ul_connect_page_finalize (GObject *object)
{
  UlConnectPage *self = UL_CONNECT_PAGE (object);

  g_free (self->result);

  G_OBJECT_CLASS (ul_connect_page_parent_class)->finalize (object);
}

static void
ul_connect_page_class_init (UlConnectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  UlStepPageClass *page_class = UL_STEP_PAGE_CLASS (klass);

  object_class->dispose = ul_connect_page_dispose;
  object_class->finalize = ul_connect_page_finalize;
  page_class->load = ul_connect_page_load;
  page_class->save_async = ul_connect_page_save_async;
  page_class->save_finish = ul_connect_page_save_finish;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/uplink/Dashboard/ul-connect-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UlConnectPage, link_row);
  gtk_widget_class_bind_template_child (widget_class, UlConnectPage, result_row);
  gtk_widget_class_bind_template_child (widget_class, UlConnectPage, result_icon);
  gtk_widget_class_bind_template_child (widget_class, UlConnectPage, result_help_button);
  gtk_widget_class_bind_template_child (widget_class, UlConnectPage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, UlConnectPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, UlConnectPage, schedule_row);
  gtk_widget_class_bind_template_child (widget_class, UlConnectPage, schedule_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_connect);
  gtk_widget_class_bind_template_callback (widget_class, on_result_help);
}

static void
ul_connect_page_init (UlConnectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self, "notify::gateway", G_CALLBACK (on_gateway_set), NULL);
  ul_form_add (ul_step_page_get_form (UL_STEP_PAGE (self)), "syncSchedule",
               GTK_WIDGET (self->schedule_row));
}

GtkWidget *
ul_connect_page_new (void)
{
  return g_object_new (UL_TYPE_CONNECT_PAGE, NULL);
}

const char *
ul_connect_page_get_result (UlConnectPage *self)
{
  g_return_val_if_fail (UL_IS_CONNECT_PAGE (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->result_row)) ? self->result : NULL;
}

const char *
ul_connect_page_get_result_help (UlConnectPage *self)
{
  g_return_val_if_fail (UL_IS_CONNECT_PAGE (self), NULL);
  return self->result_help;
}
