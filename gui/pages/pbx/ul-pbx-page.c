/* ul-pbx-page.c — the PBX step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-api-error.h"
#include "ul-form.h"
#include "ul-directory-group.h"
#include "ul-error.h"
#include "ul-json.h"
#include "ul-pbx-config.h"
#include "ul-pbx-page.h"
#include "ul-validate.h"

struct _UlPbxPage
{
  UlStepPage parent_instance;

  AdwPreferencesGroup *pbx_group;
  AdwActionRow        *type_row;
  AdwEntryRow         *name_row;
  AdwEntryRow         *host_row;
  AdwEntryRow         *port_row;
  AdwEntryRow         *username_row;
  AdwEntryRow         *password_row;
  UlDirectoryGroup    *directory_group;

  UlPbxConfig         *pbx;           /* as stored, NULL before the first save */
  gboolean             password_set;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (UlPbxPage, ul_pbx_page, UL_TYPE_STEP_PAGE)

static void
update_password_hint (UlPbxPage *self)
{
  adw_preferences_group_set_description (
    self->pbx_group,
    self->password_set
      ? _("Use the CSTA port and the CloudLink credentials you created on the PBX. The "
          "password is stored on the gateway; leave it empty to keep it.")
      : _("Use the CSTA port and the CloudLink credentials you created on the PBX."));
}

/* The record without its read-only key, so that the model takes it as it is. */
static UlPbxConfig *
pbx_from_record (GVariant *record, gboolean *password_set, GError **error)
{
  g_autoptr(UlPbxConfig) pbx = ul_pbx_config_new ();
  GVariantDict dict;

  g_variant_dict_init (&dict, record);
  *password_set = ul_json_lookup_bool (record, "passwordSet", FALSE);
  g_variant_dict_remove (&dict, "passwordSet");
  if (!ul_pbx_config_apply (pbx, g_variant_dict_end (&dict), error))
    return NULL;
  return g_steal_pointer (&pbx);
}

static void
show_pbx (UlPbxPage *self, UlPbxConfig *pbx)
{
  g_autofree char *port = NULL;

  g_clear_pointer (&self->pbx, ul_pbx_config_free);
  self->pbx = pbx;
  if (pbx == NULL)
    pbx = ul_pbx_config_new ();

  ul_form_set_entry_text (self->name_row, pbx->name);
  ul_form_set_entry_text (self->host_row, pbx->host);
  port = g_strdup_printf ("%u", pbx->port);
  ul_form_set_entry_text (self->port_row, port);
  ul_form_set_entry_text (self->username_row, pbx->username);
  ul_form_set_entry_text (self->password_row, NULL);
  update_password_hint (self);
  if (self->pbx == NULL)
    ul_pbx_config_free (pbx);
}

/* ---- load ---- */

static void
on_directory_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlPbxPage) self = UL_PBX_PAGE (user_data);
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
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlPbxPage) self = UL_PBX_PAGE (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);

  /* A newer load or a change came since: this answer is outdated. */
  if (ul_step_page_load_is_stale (UL_STEP_PAGE (self), result))
    return;

  if (record == NULL)
    {
      if (!g_error_matches (error, UL_ERROR, UL_ERROR_NOT_FOUND))
        {
          ul_step_page_report_error (UL_STEP_PAGE (self), error);
          return;
        }
      self->password_set = FALSE;
      show_pbx (self, NULL);
    }
  else
    {
      UlPbxConfig *pbx = pbx_from_record (record, &self->password_set, &error);

      if (pbx == NULL)
        {
          ul_step_page_report_error (UL_STEP_PAGE (self), error);
          return;
        }
      show_pbx (self, pbx);
    }
  ul_gateway_call_async (UL_GATEWAY (source), UL_API_OP_GET_DIRECTORY, NULL, NULL,
                         ul_step_page_get_load_cancellable (UL_STEP_PAGE (self)),
                         on_directory_loaded, g_object_ref (self));
}

static void
ul_pbx_page_load (UlStepPage *page)
{
  UlPbxPage *self = UL_PBX_PAGE (page);

  ul_gateway_call_async (ul_step_page_get_gateway (page), UL_API_OP_GET_PBX, NULL, NULL,
                         ul_step_page_get_load_cancellable (page), on_loaded, g_object_ref (self));
}

/* ---- save ---- */

static GVariant *
build_changes (UlPbxPage *self, GError **error)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autofree char *name = ul_form_entry_text (self->name_row);
  g_autofree char *host = ul_form_entry_text (self->host_row);
  g_autofree char *port = ul_form_entry_text (self->port_row);
  g_autofree char *username = ul_form_entry_text (self->username_row);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  char *end = NULL;
  gint64 number;

  number = g_ascii_strtoll (port, &end, 10);
  if (*port == '\0' || end == NULL || *end != '\0')
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "port", "%s",
                          _("Enter the port as a number, usually 7001"));
      return NULL;
    }

  g_variant_builder_add (&builder, "{sv}", "type", g_variant_new_string (UL_PBX_TYPE_MIVO400));
  g_variant_builder_add (&builder, "{sv}", "name", g_variant_new_string (name));
  g_variant_builder_add (&builder, "{sv}", "host", g_variant_new_string (host));
  g_variant_builder_add (&builder, "{sv}", "port", g_variant_new_int64 (number));
  g_variant_builder_add (&builder, "{sv}", "username", g_variant_new_string (username));
  /* Write-only: sent only when typed, so that the stored one stays. */
  if (*password != '\0')
    g_variant_builder_add (&builder, "{sv}", "password", g_variant_new_string (password));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static gboolean
validate (UlPbxPage *self, GVariant *changes, GVariant *directory, GError **error)
{
  UlForm *form = ul_step_page_get_form (UL_STEP_PAGE (self));
  g_autoptr(UlPbxConfig) candidate = self->pbx != NULL ? ul_pbx_config_copy (self->pbx)
                                                       : ul_pbx_config_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *name = ul_form_entry_text (self->name_row);
  g_autofree char *host = ul_form_entry_text (self->host_row);
  g_autofree char *username = ul_form_entry_text (self->username_row);

  /* Each field on its own, so that every mistake shows at once. */
  if (!ul_validate_text (name, UL_TEXT_MAX, "name", &local))
    {
      ul_form_show_error (form, local);
      g_clear_error (&local);
    }
  if (!ul_validate_host (host, "host", &local))
    {
      ul_form_show_error (form, local);
      g_clear_error (&local);
    }
  if (!ul_validate_text (username, UL_PBX_USERNAME_MAX, "username", &local))
    {
      ul_form_show_error (form, local);
      g_clear_error (&local);
    }

  if (!ul_pbx_config_apply (candidate, changes, &local))
    {
      ul_form_show_error (form, local);
      g_clear_error (&local);
    }
  else
    {
      /* The stored password is never sent back; stand in for it. */
      if (candidate->password == NULL && self->password_set)
        candidate->password = g_strdup ("stored");
      if (ul_form_get_n_errors (form) == 0 && !ul_pbx_config_validate (candidate, &local))
        {
          ul_form_show_error (form, local);
          g_clear_error (&local);
        }
    }

  /* The group shows its own error. */
  if (directory != NULL)
    ul_directory_group_validate (self->directory_group, directory, form);

  if (ul_form_get_n_errors (form) > 0)
    {
      ul_form_focus_first (form);
      g_set_error_literal (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT,
                           _("Some fields need your attention"));
      return FALSE;
    }
  return TRUE;
}

static void
on_directory_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  UlPbxPage *self = g_task_get_source_object (task);
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
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  UlPbxPage *self = g_task_get_source_object (task);
  GVariant *directory = g_task_get_task_data (task);
  GCancellable *cancellable;
  GError *error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  UlPbxConfig *pbx;

  if (record == NULL)
    {
      ul_step_page_return_error (UL_STEP_PAGE (self), task, error);
      return;
    }
  pbx = pbx_from_record (record, &self->password_set, NULL);
  if (pbx != NULL)
    show_pbx (self, pbx);

  if (directory == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  ul_gateway_call_async (UL_GATEWAY (source), UL_API_OP_UPDATE_DIRECTORY, NULL, directory,
                         cancellable, on_directory_saved, g_steal_pointer (&task));
}

static void
ul_pbx_page_save_async (UlStepPage         *page,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  UlPbxPage *self = UL_PBX_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GVariant) directory = ul_directory_group_build_changes (self->directory_group);
  g_autoptr(GVariant) changes = NULL;
  GError *error = NULL;

  g_task_set_source_tag (task, ul_pbx_page_save_async);
  changes = build_changes (self, &error);
  if (changes == NULL)
    {
      ul_step_page_return_error (page, task, error);
      return;
    }
  if (!validate (self, changes, directory, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (directory != NULL)
    g_task_set_task_data (task, g_variant_ref (directory), (GDestroyNotify) g_variant_unref);
  ul_gateway_call_async (ul_step_page_get_gateway (page), UL_API_OP_UPDATE_PBX, NULL, changes,
                         cancellable, on_saved, g_steal_pointer (&task));
}

static gboolean
ul_pbx_page_save_finish (UlStepPage *page, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ---- */

static void
ul_pbx_page_dispose (GObject *object)
{
  UlPbxPage *self = UL_PBX_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pbx, ul_pbx_config_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), UL_TYPE_PBX_PAGE);

  G_OBJECT_CLASS (ul_pbx_page_parent_class)->dispose (object);
}

static void
ul_pbx_page_class_init (UlPbxPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  UlStepPageClass *page_class = UL_STEP_PAGE_CLASS (klass);

  object_class->dispose = ul_pbx_page_dispose;
  page_class->load = ul_pbx_page_load;
  page_class->save_async = ul_pbx_page_save_async;
  page_class->save_finish = ul_pbx_page_save_finish;

  g_type_ensure (UL_TYPE_DIRECTORY_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/uplink/Dashboard/ul-pbx-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UlPbxPage, pbx_group);
  gtk_widget_class_bind_template_child (widget_class, UlPbxPage, type_row);
  gtk_widget_class_bind_template_child (widget_class, UlPbxPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, UlPbxPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, UlPbxPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, UlPbxPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, UlPbxPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, UlPbxPage, directory_group);
}

static void
ul_pbx_page_init (UlPbxPage *self)
{
  UlForm *form;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  form = ul_step_page_get_form (UL_STEP_PAGE (self));
  ul_form_add (form, "type", GTK_WIDGET (self->type_row));
  ul_form_add (form, "name", GTK_WIDGET (self->name_row));
  ul_form_add (form, "host", GTK_WIDGET (self->host_row));
  ul_form_add (form, "port", GTK_WIDGET (self->port_row));
  ul_form_add (form, "username", GTK_WIDGET (self->username_row));
  ul_form_add (form, "password", GTK_WIDGET (self->password_row));
  ul_form_add (form, "passwordSet", GTK_WIDGET (self->password_row));
  ul_directory_group_add_to_form (self->directory_group, form);
  show_pbx (self, NULL);
}

GtkWidget *
ul_pbx_page_new (void)
{
  return g_object_new (UL_TYPE_PBX_PAGE, NULL);
}
