/* ul-sync-page.c — the Sync step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-api-error.h"
#include "ul-directory-group.h"
#include "ul-error.h"
#include "ul-help.h"
#include "ul-json.h"
#include "ul-sync-page.h"
#include "ul-users-dialog.h"

struct _UlSyncPage
{
  UlStepPage parent_instance;

  UlDirectoryGroup *directory_group;
  AdwActionRow     *result_row;
  GtkImage         *result_icon;
  GtkWidget        *result_help_button;
  AdwActionRow     *summary_row;
  AdwActionRow     *warning_row;
  GtkWidget        *sync_button;
  GtkSpinner       *spinner;

  char             *result;
  char             *warning;
  const char       *result_help;
  GCancellable     *cancellable;
};

G_DEFINE_FINAL_TYPE (UlSyncPage, ul_sync_page, UL_TYPE_STEP_PAGE)

static void
show_result (UlSyncPage *self, const char *text, gboolean ok, const char *help)
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
show_warning (UlSyncPage *self, const char *warning)
{
  g_free (self->warning);
  self->warning = warning != NULL && *warning != '\0' ? g_strdup (warning) : NULL;
  if (self->warning != NULL)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->warning_row), self->warning);
  gtk_widget_set_visible (GTK_WIDGET (self->warning_row), self->warning != NULL);
}

static void
on_result_help (UlSyncPage *self)
{
  ul_help_show (GTK_WIDGET (self), self->result_help);
}

static void
on_view_users (UlSyncPage *self)
{
  ul_sync_page_view_users (self);
}

static void
set_running (UlSyncPage *self, gboolean running)
{
  ul_step_page_set_busy (UL_STEP_PAGE (self), running);
  gtk_spinner_set_spinning (self->spinner, running);
  gtk_widget_set_sensitive (self->sync_button, !running);
}

/* ---- load ---- */

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlSyncPage) self = UL_SYNC_PAGE (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);

  /* A newer load or a change came since: this answer is outdated. */
  if (ul_step_page_load_is_stale (UL_STEP_PAGE (self), result))
    return;

  if (record == NULL)
    {
      ul_directory_group_set_error (self->directory_group, error);
      if (!g_error_matches (error, UL_API_ERROR, UL_API_ERROR_NOT_SUPPORTED))
        ul_step_page_report_error (UL_STEP_PAGE (self), error);
    }
  else
    ul_directory_group_set_record (self->directory_group, record);
  ul_step_page_set_loaded (UL_STEP_PAGE (self), TRUE);
}

static void
ul_sync_page_load (UlStepPage *page)
{
  UlSyncPage *self = UL_SYNC_PAGE (page);

  ul_gateway_call_async (ul_step_page_get_gateway (page), UL_API_OP_GET_DIRECTORY, NULL, NULL,
                         ul_step_page_get_load_cancellable (page), on_loaded, g_object_ref (self));
}

/* ---- save: the directory ---- */

static void
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  UlSyncPage *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);

  if (record == NULL)
    {
      ul_step_page_return_error (UL_STEP_PAGE (self), task, error);
      return;
    }
  ul_directory_group_set_record (self->directory_group, record);
  g_task_return_boolean (task, TRUE);
}

static void
ul_sync_page_save_async (UlStepPage         *page,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  UlSyncPage *self = UL_SYNC_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GVariant) changes = ul_directory_group_build_changes (self->directory_group);
  UlForm *form = ul_step_page_get_form (page);

  g_task_set_source_tag (task, ul_sync_page_save_async);
  if (changes == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!ul_directory_group_validate (self->directory_group, changes, form))
    {
      ul_form_focus_first (form);
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_INVALID_ARGUMENT, "%s",
                               _("Some fields need your attention"));
      return;
    }
  ul_gateway_call_async (ul_step_page_get_gateway (page), UL_API_OP_UPDATE_DIRECTORY, NULL,
                         changes, cancellable, on_saved, g_steal_pointer (&task));
}

static gboolean
ul_sync_page_save_finish (UlStepPage *page, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Sync ---- */

static guint
count (GVariant *report, const char *key)
{
  g_autoptr(GVariant) list = ul_json_lookup_dict_array (report, key);

  return list != NULL ? (guint) g_variant_n_children (list) : 0;
}

static void
on_synced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlSyncPage) self = UL_SYNC_PAGE (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) report = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  g_autofree char *summary = NULL;

  set_running (self, FALSE);
  if (report == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_result (self, error->message, FALSE, ul_help_page_for_error (error));
      gtk_widget_set_visible (GTK_WIDGET (self->summary_row), FALSE);
      show_warning (self, NULL);
      return;
    }

  show_result (self, ul_json_lookup_string (report, "message", _("Sync successful")), TRUE, NULL);
  /* Translators: the counts of one sync: users added, changed, removed, unchanged. */
  summary = g_strdup_printf (_("%u added, %u changed, %u removed, %u unchanged"),
                             count (report, "added"), count (report, "changed"),
                             count (report, "removed"),
                             (guint) ul_json_lookup_int (report, "unchanged", 0));
  adw_action_row_set_subtitle (self->summary_row, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_row), TRUE);
  show_warning (self, ul_json_lookup_string (report, "warning", NULL));
}

static void
on_saved_before_sync (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlSyncPage) self = UL_SYNC_PAGE (user_data);
  g_autoptr(GError) error = NULL;

  if (!ul_step_page_save_finish (UL_STEP_PAGE (self), result, &error))
    {
      set_running (self, FALSE);
      return;
    }
  set_running (self, TRUE);
  ul_gateway_call_async (ul_step_page_get_gateway (UL_STEP_PAGE (self)), UL_API_OP_SYNC, NULL,
                         NULL, self->cancellable, on_synced, g_object_ref (self));
}

void
ul_sync_page_sync (UlSyncPage *self)
{
  g_return_if_fail (UL_IS_SYNC_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->result_row), FALSE);
  gtk_widget_set_sensitive (self->sync_button, FALSE);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  ul_step_page_save_async (UL_STEP_PAGE (self), self->cancellable, on_saved_before_sync,
                           g_object_ref (self));
}

static void
on_sync (UlSyncPage *self)
{
  ul_sync_page_sync (self);
}

void
ul_sync_page_view_users (UlSyncPage *self)
{
  UlUsersDialog *dialog;

  g_return_if_fail (UL_IS_SYNC_PAGE (self));

  dialog = ul_users_dialog_new (GTK_WIDGET (self), ul_step_page_get_gateway (UL_STEP_PAGE (self)),
                                UL_USERS_DIALOG_INELIGIBLE);
  gtk_window_present (GTK_WINDOW (dialog));
}

const char *
ul_sync_page_get_result (UlSyncPage *self)
{
  g_return_val_if_fail (UL_IS_SYNC_PAGE (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->result_row)) ? self->result : NULL;
}

const char *
ul_sync_page_get_warning (UlSyncPage *self)
{
  g_return_val_if_fail (UL_IS_SYNC_PAGE (self), NULL);
  return self->warning;
}

/* ---- GObject ---- */

static void
ul_sync_page_dispose (GObject *object)
{
  UlSyncPage *self = UL_SYNC_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), UL_TYPE_SYNC_PAGE);

  G_OBJECT_CLASS (ul_sync_page_parent_class)->dispose (object);
}

static void
ul_sync_page_finalize (GObject *object)
{
  UlSyncPage *self = UL_SYNC_PAGE (object);

  g_free (self->result);
  g_free (self->warning);

  G_OBJECT_CLASS (ul_sync_page_parent_class)->finalize (object);
}

static void
ul_sync_page_class_init (UlSyncPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  UlStepPageClass *page_class = UL_STEP_PAGE_CLASS (klass);

  object_class->dispose = ul_sync_page_dispose;
  object_class->finalize = ul_sync_page_finalize;
  page_class->load = ul_sync_page_load;
  page_class->save_async = ul_sync_page_save_async;
  page_class->save_finish = ul_sync_page_save_finish;

  g_type_ensure (UL_TYPE_DIRECTORY_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/uplink/Dashboard/ul-sync-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UlSyncPage, directory_group);
  gtk_widget_class_bind_template_child (widget_class, UlSyncPage, result_row);
  gtk_widget_class_bind_template_child (widget_class, UlSyncPage, result_icon);
  gtk_widget_class_bind_template_child (widget_class, UlSyncPage, result_help_button);
  gtk_widget_class_bind_template_child (widget_class, UlSyncPage, summary_row);
  gtk_widget_class_bind_template_child (widget_class, UlSyncPage, warning_row);
  gtk_widget_class_bind_template_child (widget_class, UlSyncPage, sync_button);
  gtk_widget_class_bind_template_child (widget_class, UlSyncPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_sync);
  gtk_widget_class_bind_template_callback (widget_class, on_view_users);
  gtk_widget_class_bind_template_callback (widget_class, on_result_help);
}

static void
ul_sync_page_init (UlSyncPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  ul_directory_group_add_to_form (self->directory_group, ul_step_page_get_form (UL_STEP_PAGE (self)));
}

GtkWidget *
ul_sync_page_new (void)
{
  return g_object_new (UL_TYPE_SYNC_PAGE, NULL);
}
