/* ul-contact-row.c — an admin or support contact, with its X.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ul-contact-row.h"

struct _UlContactRow
{
  AdwActionRow parent_instance;

  UlContact *contact;
  GtkWidget *remove_button;
};

G_DEFINE_FINAL_TYPE (UlContactRow, ul_contact_row, ADW_TYPE_ACTION_ROW)

enum
{
  SIGNAL_REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
ul_support_role_get_label (UlSupportRole role)
{
  switch (role)
    {
    case UL_SUPPORT_ROLE_MAINTAINER:
      return _("Maintainer");
    case UL_SUPPORT_ROLE_ONSITE_ADMIN:
      return _("Onsite Admin");
    case UL_SUPPORT_ROLE_OTHER:
      return _("Other");
    case UL_SUPPORT_ROLE_UNKNOWN:
    default:
      return "";
    }
}

static void
on_remove_clicked (UlContactRow *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0);
}

static void
ul_contact_row_finalize (GObject *object)
{
  UlContactRow *self = UL_CONTACT_ROW (object);

  g_clear_pointer (&self->contact, ul_contact_free);

  G_OBJECT_CLASS (ul_contact_row_parent_class)->finalize (object);
}

static void
ul_contact_row_class_init (UlContactRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ul_contact_row_finalize;

  signals[SIGNAL_REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ul_contact_row_init (UlContactRow *self)
{
  self->remove_button = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (self->remove_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->remove_button, "flat");
  gtk_widget_add_css_class (self->remove_button, "circular");
  gtk_widget_set_tooltip_text (self->remove_button, _("Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove"), -1);
  g_signal_connect_swapped (self->remove_button, "clicked", G_CALLBACK (on_remove_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->remove_button);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
}

UlContactRow *
ul_contact_row_new (const UlContact *contact, gboolean with_role)
{
  UlContactRow *self = g_object_new (UL_TYPE_CONTACT_ROW, NULL);
  g_autofree char *subtitle = NULL;

  self->contact = ul_contact_copy (contact);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 contact->name != NULL ? contact->name : "");
  if (with_role)
    subtitle = g_strdup_printf ("%s · %s", ul_support_role_get_label (contact->role),
                                contact->email != NULL ? contact->email : "");
  else
    subtitle = g_strdup (contact->email != NULL ? contact->email : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  return self;
}

const UlContact *
ul_contact_row_get_contact (UlContactRow *self)
{
  g_return_val_if_fail (UL_IS_CONTACT_ROW (self), NULL);
  return self->contact;
}

GtkWidget *
ul_contact_row_get_remove_button (UlContactRow *self)
{
  g_return_val_if_fail (UL_IS_CONTACT_ROW (self), NULL);
  return self->remove_button;
}
