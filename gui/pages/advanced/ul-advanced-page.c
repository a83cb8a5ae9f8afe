/* ul-advanced-page.c — the Advanced step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-advanced-page.h"
#include "ul-form.h"
#include "ul-advanced.h"
#include "ul-error.h"
#include "ul-validate.h"

struct _UlAdvancedPage
{
  UlStepPage parent_instance;

  AdwEntryRow  *inbound_row;
  AdwEntryRow  *outbound_row;
  AdwEntryRow  *call_through_row;
  AdwEntryRow  *emergency_row;
  GtkSwitch    *automatic_switch;
  AdwActionRow *days_row;
  GtkBox       *days_box;
  AdwEntryRow  *start_row;
  AdwEntryRow  *end_row;

  GtkToggleButton *days[7];
  UlAdvanced   *advanced;  /* as stored (the defaults until saved) */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (UlAdvancedPage, ul_advanced_page, UL_TYPE_STEP_PAGE)

static void
update_sensitivity (UlAdvancedPage *self)
{
  gboolean automatic = gtk_switch_get_active (self->automatic_switch);

  gtk_widget_set_sensitive (GTK_WIDGET (self->days_row), automatic);
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_row), automatic);
  gtk_widget_set_sensitive (GTK_WIDGET (self->end_row), automatic);
}

static void
show_advanced (UlAdvancedPage *self, UlAdvanced *advanced)
{
  const char * const *weekdays = ul_weekdays ();
  g_autofree char *emergency = NULL;

  g_clear_pointer (&self->advanced, ul_advanced_free);
  self->advanced = advanced;

  ul_form_set_entry_text (self->inbound_row, advanced->inbound_digits);
  ul_form_set_entry_text (self->outbound_row, advanced->outbound_digits);
  ul_form_set_entry_text (self->call_through_row, advanced->gsm_call_through);
  emergency = advanced->emergency_numbers != NULL ? g_strjoinv (" ", advanced->emergency_numbers)
                                                  : NULL;
  ul_form_set_entry_text (self->emergency_row, emergency);
  gtk_switch_set_active (self->automatic_switch, advanced->automatic_updates);
  for (guint i = 0; i < G_N_ELEMENTS (self->days) && weekdays[i] != NULL; i++)
    gtk_toggle_button_set_active (self->days[i],
                                  advanced->update_days != NULL &&
                                    g_strv_contains ((const char * const *) advanced->update_days,
                                                     weekdays[i]));
  ul_form_set_entry_text (self->start_row, advanced->update_window_start);
  ul_form_set_entry_text (self->end_row, advanced->update_window_end);
  update_sensitivity (self);
}

/* ---- load ---- */

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlAdvancedPage) self = UL_ADVANCED_PAGE (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  g_autoptr(UlAdvanced) advanced = ul_advanced_new ();

  /* A newer load or a change came since: this answer is outdated. */
  if (ul_step_page_load_is_stale (UL_STEP_PAGE (self), result))
    return;

  if (record == NULL)
    {
      ul_step_page_report_error (UL_STEP_PAGE (self), error);
      return;
    }
  if (!ul_advanced_apply (advanced, record, &error))
    {
      ul_step_page_report_error (UL_STEP_PAGE (self), error);
      return;
    }
  show_advanced (self, g_steal_pointer (&advanced));
  ul_step_page_set_loaded (UL_STEP_PAGE (self), TRUE);
}

static void
ul_advanced_page_load (UlStepPage *page)
{
  UlAdvancedPage *self = UL_ADVANCED_PAGE (page);

  ul_gateway_call_async (ul_step_page_get_gateway (page), UL_API_OP_GET_ADVANCED, NULL, NULL,
                         ul_step_page_get_load_cancellable (page), on_loaded, g_object_ref (self));
}

/* ---- save ---- */

static GVariant *
build_changes (UlAdvancedPage *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autoptr(GStrvBuilder) days = g_strv_builder_new ();
  g_autofree char *inbound = ul_form_entry_text (self->inbound_row);
  g_autofree char *outbound = ul_form_entry_text (self->outbound_row);
  g_autofree char *call_through = ul_form_entry_text (self->call_through_row);
  g_autofree char *emergency_text = ul_form_entry_text (self->emergency_row);
  g_autofree char *start = ul_form_entry_text (self->start_row);
  g_autofree char *end = ul_form_entry_text (self->end_row);
  g_auto(GStrv) emergency_parts = g_strsplit_set (emergency_text, " ,;", -1);
  g_autoptr(GStrvBuilder) emergency = g_strv_builder_new ();
  const char * const *weekdays = ul_weekdays ();
  g_auto(GStrv) day_list = NULL;
  g_auto(GStrv) emergency_list = NULL;

  for (guint i = 0; emergency_parts[i] != NULL; i++)
    if (*emergency_parts[i] != '\0')
      g_strv_builder_add (emergency, emergency_parts[i]);
  for (guint i = 0; i < G_N_ELEMENTS (self->days) && weekdays[i] != NULL; i++)
    if (gtk_toggle_button_get_active (self->days[i]))
      g_strv_builder_add (days, weekdays[i]);
  day_list = g_strv_builder_end (days);
  emergency_list = g_strv_builder_end (emergency);

  g_variant_builder_add (&builder, "{sv}", "inboundDigits", g_variant_new_string (inbound));
  g_variant_builder_add (&builder, "{sv}", "outboundDigits", g_variant_new_string (outbound));
  g_variant_builder_add (&builder, "{sv}", "gsmCallThrough", g_variant_new_string (call_through));
  g_variant_builder_add (&builder, "{sv}", "emergencyNumbers",
                         g_variant_new_strv ((const char * const *) emergency_list, -1));
  g_variant_builder_add (&builder, "{sv}", "automaticUpdates",
                         g_variant_new_boolean (gtk_switch_get_active (self->automatic_switch)));
  g_variant_builder_add (&builder, "{sv}", "updateDays",
                         g_variant_new_strv ((const char * const *) day_list, -1));
  g_variant_builder_add (&builder, "{sv}", "updateWindowStart", g_variant_new_string (start));
  g_variant_builder_add (&builder, "{sv}", "updateWindowEnd", g_variant_new_string (end));
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static void
check (UlForm *form, gboolean ok, GError **error)
{
  if (!ok)
    {
      ul_form_show_error (form, *error);
      g_clear_error (error);
    }
}

static gboolean
validate (UlAdvancedPage *self, GVariant *changes, GError **error)
{
  UlForm *form = ul_step_page_get_form (UL_STEP_PAGE (self));
  g_autoptr(UlAdvanced) candidate = ul_advanced_copy (self->advanced);
  g_autoptr(GError) local = NULL;
  g_autofree char *inbound = ul_form_entry_text (self->inbound_row);
  g_autofree char *outbound = ul_form_entry_text (self->outbound_row);
  g_autofree char *call_through = ul_form_entry_text (self->call_through_row);
  g_autofree char *start = ul_form_entry_text (self->start_row);
  g_autofree char *end = ul_form_entry_text (self->end_row);

  /* Each field on its own first, so that every mistake shows at once. */
  check (form, ul_validate_digits (inbound, "inboundDigits", &local), &local);
  check (form, ul_validate_digits (outbound, "outboundDigits", &local), &local);
  if (*call_through != '\0')
    check (form, ul_validate_e164 (call_through, "gsmCallThrough", &local), &local);
  check (form, ul_validate_time_of_day (start, "updateWindowStart", &local), &local);
  check (form, ul_validate_time_of_day (end, "updateWindowEnd", &local), &local);

  if (!ul_advanced_apply (candidate, changes, &local))
    check (form, FALSE, &local);
  else if (ul_form_get_n_errors (form) == 0)
    check (form, ul_advanced_validate (candidate, &local), &local);

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
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  UlAdvancedPage *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  g_autoptr(UlAdvanced) advanced = ul_advanced_new ();

  if (record == NULL)
    {
      ul_step_page_return_error (UL_STEP_PAGE (self), task, error);
      return;
    }
  if (ul_advanced_apply (advanced, record, NULL))
    show_advanced (self, g_steal_pointer (&advanced));
  g_task_return_boolean (task, TRUE);
}

static void
ul_advanced_page_save_async (UlStepPage         *page,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  UlAdvancedPage *self = UL_ADVANCED_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GVariant) changes = build_changes (self);
  GError *error = NULL;

  g_task_set_source_tag (task, ul_advanced_page_save_async);
  if (!validate (self, changes, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  ul_gateway_call_async (ul_step_page_get_gateway (page), UL_API_OP_UPDATE_ADVANCED, NULL,
                         changes, cancellable, on_saved, g_steal_pointer (&task));
}

static gboolean
ul_advanced_page_save_finish (UlStepPage *page, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ---- */

static void
ul_advanced_page_dispose (GObject *object)
{
  UlAdvancedPage *self = UL_ADVANCED_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->advanced, ul_advanced_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), UL_TYPE_ADVANCED_PAGE);

  G_OBJECT_CLASS (ul_advanced_page_parent_class)->dispose (object);
}

static void
ul_advanced_page_class_init (UlAdvancedPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  UlStepPageClass *page_class = UL_STEP_PAGE_CLASS (klass);

  object_class->dispose = ul_advanced_page_dispose;
  page_class->load = ul_advanced_page_load;
  page_class->save_async = ul_advanced_page_save_async;
  page_class->save_finish = ul_advanced_page_save_finish;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/uplink/Dashboard/ul-advanced-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UlAdvancedPage, inbound_row);
  gtk_widget_class_bind_template_child (widget_class, UlAdvancedPage, outbound_row);
  gtk_widget_class_bind_template_child (widget_class, UlAdvancedPage, call_through_row);
  gtk_widget_class_bind_template_child (widget_class, UlAdvancedPage, emergency_row);
  gtk_widget_class_bind_template_child (widget_class, UlAdvancedPage, automatic_switch);
  gtk_widget_class_bind_template_child (widget_class, UlAdvancedPage, days_row);
  gtk_widget_class_bind_template_child (widget_class, UlAdvancedPage, days_box);
  gtk_widget_class_bind_template_child (widget_class, UlAdvancedPage, start_row);
  gtk_widget_class_bind_template_child (widget_class, UlAdvancedPage, end_row);
}

static void
ul_advanced_page_init (UlAdvancedPage *self)
{
  /* Translators: the weekdays of the update schedule, abbreviated, Monday first. */
  const char *labels[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"),
                           N_("Sun") };
  const char *names[] = { N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"),
                          N_("Friday"), N_("Saturday"), N_("Sunday") };
  UlForm *form;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  for (guint i = 0; i < G_N_ELEMENTS (self->days); i++)
    {
      self->days[i] = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (_(labels[i])));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->days[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(names[i]), -1);
      gtk_box_append (self->days_box, GTK_WIDGET (self->days[i]));
    }
  g_signal_connect_swapped (self->automatic_switch, "notify::active",
                            G_CALLBACK (update_sensitivity), self);

  form = ul_step_page_get_form (UL_STEP_PAGE (self));
  ul_form_add (form, "inboundDigits", GTK_WIDGET (self->inbound_row));
  ul_form_add (form, "outboundDigits", GTK_WIDGET (self->outbound_row));
  ul_form_add (form, "gsmCallThrough", GTK_WIDGET (self->call_through_row));
  ul_form_add (form, "emergencyNumbers", GTK_WIDGET (self->emergency_row));
  ul_form_add (form, "automaticUpdates", GTK_WIDGET (self->days_row));
  ul_form_add (form, "updateDays", GTK_WIDGET (self->days_row));
  ul_form_add (form, "updateWindowStart", GTK_WIDGET (self->start_row));
  ul_form_add (form, "updateWindowEnd", GTK_WIDGET (self->end_row));
  show_advanced (self, ul_advanced_new ());
}

GtkWidget *
ul_advanced_page_new (void)
{
  return g_object_new (UL_TYPE_ADVANCED_PAGE, NULL);
}
