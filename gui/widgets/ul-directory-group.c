/* ul-directory-group.c — where the gateway reads the PBX users from.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ul-choices.h"
#include "ul-form.h"
#include "ul-directory-config.h"
#include "ul-directory-group.h"
#include "ul-api-error.h"
#include "ul-json.h"

struct _UlDirectoryGroup
{
  AdwPreferencesGroup parent_instance;

  AdwComboRow *kind_row;
  AdwEntryRow *csv_path_row;
  AdwEntryRow *ldap_uri_row;
  AdwEntryRow *ldap_base_row;
  AdwEntryRow *ldap_bind_row;
  AdwEntryRow *ldap_password_row;
  AdwActionRow *ldap_starttls_row;
  GtkSwitch   *ldap_starttls;

  GVariant    *record;  /* as the gateway sent it */
};

G_DEFINE_FINAL_TYPE (UlDirectoryGroup, ul_directory_group, ADW_TYPE_PREFERENCES_GROUP)

static char *
text_of (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
update_visibility (UlDirectoryGroup *self)
{
  const char *kind = ul_choices_get (G_OBJECT (self->kind_row));
  gboolean ldap = g_strcmp0 (kind, "ldap") == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->csv_path_row), !ldap);
  gtk_widget_set_visible (GTK_WIDGET (self->ldap_uri_row), ldap);
  gtk_widget_set_visible (GTK_WIDGET (self->ldap_base_row), ldap);
  gtk_widget_set_visible (GTK_WIDGET (self->ldap_bind_row), ldap);
  gtk_widget_set_visible (GTK_WIDGET (self->ldap_password_row), ldap);
  gtk_widget_set_visible (GTK_WIDGET (self->ldap_starttls_row), ldap);
}

static AdwEntryRow *
add_entry (UlDirectoryGroup *self, GtkWidget *entry_row, const char *title)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry_row), title);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), entry_row);
  return ADW_ENTRY_ROW (entry_row);
}

static void
ul_directory_group_dispose (GObject *object)
{
  UlDirectoryGroup *self = UL_DIRECTORY_GROUP (object);

  g_clear_pointer (&self->record, g_variant_unref);

  G_OBJECT_CLASS (ul_directory_group_parent_class)->dispose (object);
}

static void
ul_directory_group_class_init (UlDirectoryGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ul_directory_group_dispose;
}

static void
ul_directory_group_init (UlDirectoryGroup *self)
{
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("User Directory"));
  adw_preferences_group_set_description (
    ADW_PREFERENCES_GROUP (self),
    _("Where the gateway reads the users’ names and e-mail addresses: a CSV export of the "
      "PBX’s users on the gateway, or the PBX’s LDAP name service."));

  self->kind_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->kind_row), _("Source"));
  ul_choices_setup (G_OBJECT (self->kind_row), UL_CHOICES_DIRECTORY);
  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (update_visibility),
                            self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->kind_row));

  self->csv_path_row = add_entry (self, adw_entry_row_new (), _("CSV File on the Gateway"));
  self->ldap_uri_row = add_entry (self, adw_entry_row_new (), _("LDAP Server (ldap:// or ldaps://)"));
  self->ldap_base_row = add_entry (self, adw_entry_row_new (), _("Base DN"));
  self->ldap_bind_row = add_entry (self, adw_entry_row_new (), _("Bind DN (empty: anonymous)"));
  self->ldap_password_row = add_entry (self, adw_password_entry_row_new (), _("Bind Password"));

  self->ldap_starttls_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->ldap_starttls_row),
                                 _("Use StartTLS"));
  self->ldap_starttls = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->ldap_starttls), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (self->ldap_starttls_row, GTK_WIDGET (self->ldap_starttls));
  adw_action_row_set_activatable_widget (self->ldap_starttls_row,
                                         GTK_WIDGET (self->ldap_starttls));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->ldap_starttls_row));
  update_visibility (self);
}

GtkWidget *
ul_directory_group_new (void)
{
  return g_object_new (UL_TYPE_DIRECTORY_GROUP, NULL);
}

void
ul_directory_group_set_record (UlDirectoryGroup *self, GVariant *record)
{
  g_autoptr(GVariant) ldap = ul_json_lookup_dict (record, "ldap");
  g_autoptr(GVariant) csv = ul_json_lookup_dict (record, "csv");
  const char *kind = ul_json_lookup_string (record, "kind", "none");

  g_return_if_fail (UL_IS_DIRECTORY_GROUP (self));

  g_clear_pointer (&self->record, g_variant_unref);
  self->record = record != NULL ? g_variant_ref (record) : NULL;
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  ul_choices_set (G_OBJECT (self->kind_row), g_str_equal (kind, "ldap") ? "ldap" : "csv");
  ul_form_set_entry_text (self->csv_path_row, ul_json_lookup_string (csv, "path", NULL));
  ul_form_set_entry_text (self->ldap_uri_row, ul_json_lookup_string (ldap, "uri", NULL));
  ul_form_set_entry_text (self->ldap_base_row, ul_json_lookup_string (ldap, "baseDn", NULL));
  ul_form_set_entry_text (self->ldap_bind_row, ul_json_lookup_string (ldap, "bindDn", NULL));
  ul_form_set_entry_text (self->ldap_password_row, NULL);
  gtk_switch_set_active (self->ldap_starttls, ul_json_lookup_bool (ldap, "startTls", FALSE));
  update_visibility (self);
}

void
ul_directory_group_set_error (UlDirectoryGroup *self, const GError *error)
{
  g_return_if_fail (UL_IS_DIRECTORY_GROUP (self));

  /* Show only what works: a gateway without the resource gets no dead fields. */
  if (g_error_matches (error, UL_API_ERROR, UL_API_ERROR_NOT_SUPPORTED))
    gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

void
ul_directory_group_add_to_form (UlDirectoryGroup *self, UlForm *form)
{
  g_return_if_fail (UL_IS_DIRECTORY_GROUP (self));

  ul_form_add (form, "kind", GTK_WIDGET (self->kind_row));
  ul_form_add (form, "csv", GTK_WIDGET (self->csv_path_row));
  ul_form_add (form, "csv.path", GTK_WIDGET (self->csv_path_row));
  ul_form_add (form, "ldap", GTK_WIDGET (self->ldap_uri_row));
  ul_form_add (form, "ldap.uri", GTK_WIDGET (self->ldap_uri_row));
  ul_form_add (form, "ldap.baseDn", GTK_WIDGET (self->ldap_base_row));
  ul_form_add (form, "ldap.bindDn", GTK_WIDGET (self->ldap_bind_row));
  ul_form_add (form, "ldap.password", GTK_WIDGET (self->ldap_password_row));
  ul_form_add (form, "ldap.startTls", GTK_WIDGET (self->ldap_starttls_row));
}

GVariant *
ul_directory_group_build_changes (UlDirectoryGroup *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_auto(GVariantBuilder) sub = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  const char *kind = ul_choices_get (G_OBJECT (self->kind_row));
  const char *stored_kind = ul_json_lookup_string (self->record, "kind", "none");
  g_autofree char *path = text_of (self->csv_path_row);
  g_autofree char *uri = text_of (self->ldap_uri_row);

  g_return_val_if_fail (UL_IS_DIRECTORY_GROUP (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    return NULL;

  /* Never configured and left empty: the partner may configure it later. */
  if (g_str_equal (stored_kind, "none") &&
      ((g_strcmp0 (kind, "csv") == 0 && *path == '\0') ||
       (g_strcmp0 (kind, "ldap") == 0 && *uri == '\0')))
    return NULL;

  g_variant_builder_add (&builder, "{sv}", "kind", g_variant_new_string (kind));
  if (g_strcmp0 (kind, "ldap") == 0)
    {
      g_autofree char *base = text_of (self->ldap_base_row);
      g_autofree char *bind = text_of (self->ldap_bind_row);
      const char *password = gtk_editable_get_text (GTK_EDITABLE (self->ldap_password_row));

      g_variant_builder_add (&sub, "{sv}", "uri", g_variant_new_string (uri));
      g_variant_builder_add (&sub, "{sv}", "baseDn", g_variant_new_string (base));
      g_variant_builder_add (&sub, "{sv}", "bindDn", g_variant_new_string (bind));
      /* Write-only: sent only when typed, so that the stored one stays. */
      if (*password != '\0')
        g_variant_builder_add (&sub, "{sv}", "password", g_variant_new_string (password));
      g_variant_builder_add (&sub, "{sv}", "startTls",
                             g_variant_new_boolean (gtk_switch_get_active (self->ldap_starttls)));
      g_variant_builder_add (&builder, "{sv}", "ldap", g_variant_builder_end (&sub));
    }
  else
    {
      g_variant_builder_add (&sub, "{sv}", "path", g_variant_new_string (path));
      g_variant_builder_add (&builder, "{sv}", "csv", g_variant_builder_end (&sub));
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

gboolean
ul_directory_group_validate (UlDirectoryGroup *self, GVariant *changes, UlForm *form)
{
  g_autoptr(UlDirectoryConfig) candidate = ul_directory_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) ldap = ul_json_lookup_dict (self->record, "ldap");

  g_return_val_if_fail (UL_IS_DIRECTORY_GROUP (self), FALSE);

  if (!ul_directory_config_apply (candidate, changes, &error))
    {
      ul_form_show_error (form, error);
      return FALSE;
    }
  /* The stored bind password is never sent back; stand in for it so that the rule "a
   * bind DN needs a password" sees what the gateway will see. */
  if (candidate->bind_password == NULL && ul_json_lookup_bool (ldap, "passwordSet", FALSE))
    candidate->bind_password = g_strdup ("stored");
  if (!ul_directory_config_validate (candidate, &error))
    {
      ul_form_show_error (form, error);
      return FALSE;
    }
  return TRUE;
}
