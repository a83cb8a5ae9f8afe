/* ul-form.c — inline validation messages under the fields they concern.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "ul-error.h"
#include "ul-form.h"

typedef struct
{
  char      *field;
  char      *reason;
  GtkWidget *target;
  GtkWidget *message;  /* the widget showing @reason */
} Message;

struct _UlForm
{
  GObject     parent_instance;

  GHashTable *fields;    /* field → GtkWidget* (weak) */
  GPtrArray  *messages;  /* Message* */
};

G_DEFINE_FINAL_TYPE (UlForm, ul_form, G_TYPE_OBJECT)

static void
message_free (Message *message)
{
  GtkWidget *parent = gtk_widget_get_parent (message->message);

  if (GTK_IS_LIST_BOX (parent))
    gtk_list_box_remove (GTK_LIST_BOX (parent), message->message);
  else if (parent != NULL && ADW_IS_PREFERENCES_GROUP (message->target))
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (message->target), message->message);
  else if (GTK_IS_BOX (parent))
    gtk_box_remove (GTK_BOX (parent), message->message);
  g_object_unref (message->message);

  gtk_widget_remove_css_class (message->target, "error");
  gtk_accessible_reset_state (GTK_ACCESSIBLE (message->target), GTK_ACCESSIBLE_STATE_INVALID);
  g_object_unref (message->target);
  g_free (message->field);
  g_free (message->reason);
  g_free (message);
}

static void
ul_form_finalize (GObject *object)
{
  UlForm *self = UL_FORM (object);

  g_ptr_array_unref (self->messages);
  g_hash_table_unref (self->fields);

  G_OBJECT_CLASS (ul_form_parent_class)->finalize (object);
}

static void
ul_form_class_init (UlFormClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ul_form_finalize;
}

static void
ul_form_init (UlForm *self)
{
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) message_free);
}

UlForm *
ul_form_new (void)
{
  return g_object_new (UL_TYPE_FORM, NULL);
}

void
ul_form_add (UlForm *self, const char *field, GtkWidget *widget)
{
  g_return_if_fail (UL_IS_FORM (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  /* Widgets belong to the page that owns the form, and outlive it. */
  g_hash_table_replace (self->fields, g_strdup (field), widget);
}

void
ul_form_clear (UlForm *self)
{
  g_return_if_fail (UL_IS_FORM (self));
  g_ptr_array_set_size (self->messages, 0);
}

static GtkWidget *
lookup (UlForm *self, const char *field, char **matched)
{
  g_autofree char *path = g_strdup (field);

  while (path != NULL && *path != '\0')
    {
      GtkWidget *widget = g_hash_table_lookup (self->fields, path);
      char *cut;

      if (widget != NULL)
        {
          *matched = g_steal_pointer (&path);
          return widget;
        }
      cut = MAX (strrchr (path, '.'), strrchr (path, '['));
      if (cut == NULL)
        break;
      *cut = '\0';
    }
  return NULL;
}

static GtkWidget *
make_message_row (const char *reason)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), reason);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "field-error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, reason, -1);
  return row;
}

gboolean
ul_form_show (UlForm *self, const char *field, const char *reason)
{
  g_autofree char *matched = NULL;
  GtkWidget *target;
  GtkWidget *parent;
  Message *message;

  g_return_val_if_fail (UL_IS_FORM (self), FALSE);

  target = lookup (self, field, &matched);
  if (target == NULL)
    return FALSE;

  /* One message per widget: the first problem is the one to fix first. */
  for (guint i = 0; i < self->messages->len; i++)
    if (((Message *) g_ptr_array_index (self->messages, i))->target == target)
      return TRUE;

  message = g_new0 (Message, 1);
  message->field = g_strdup (field);
  message->reason = g_strdup (reason);
  message->target = g_object_ref (target);
  parent = gtk_widget_get_parent (target);

  if (GTK_IS_LIST_BOX_ROW (target) && GTK_IS_LIST_BOX (parent))
    {
      message->message = g_object_ref_sink (make_message_row (reason));
      gtk_list_box_insert (GTK_LIST_BOX (parent), message->message,
                           gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (target)) + 1);
    }
  else if (ADW_IS_PREFERENCES_GROUP (target))
    {
      message->message = g_object_ref_sink (make_message_row (reason));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (target), message->message);
    }
  else
    {
      message->message = g_object_ref_sink (gtk_label_new (reason));
      gtk_label_set_wrap (GTK_LABEL (message->message), TRUE);
      gtk_label_set_xalign (GTK_LABEL (message->message), 0.0);
      gtk_widget_add_css_class (message->message, "field-error");
      if (GTK_IS_BOX (parent))
        gtk_box_insert_child_after (GTK_BOX (parent), message->message, target);
    }

  gtk_widget_add_css_class (target, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (target), GTK_ACCESSIBLE_STATE_INVALID,
                               GTK_ACCESSIBLE_INVALID_TRUE, -1);
  g_ptr_array_add (self->messages, message);
  return TRUE;
}

gboolean
ul_form_show_error (UlForm *self, const GError *error)
{
  g_autofree char *field = NULL;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (UL_IS_FORM (self), FALSE);

  if (error == NULL || error->domain != UL_ERROR)
    return FALSE;
  field = ul_error_get_field (error);
  if (field == NULL)
    return FALSE;
  reason = ul_error_get_reason (error);
  return ul_form_show (self, field, reason);
}

guint
ul_form_get_n_errors (UlForm *self)
{
  g_return_val_if_fail (UL_IS_FORM (self), 0);
  return self->messages->len;
}

const char *
ul_form_get_message (UlForm *self, const char *field)
{
  g_return_val_if_fail (UL_IS_FORM (self), NULL);

  for (guint i = 0; i < self->messages->len; i++)
    {
      Message *message = g_ptr_array_index (self->messages, i);

      if (g_str_equal (message->field, field))
        return message->reason;
    }
  return NULL;
}

void
ul_form_focus_first (UlForm *self)
{
  g_return_if_fail (UL_IS_FORM (self));

  if (self->messages->len > 0)
    gtk_widget_grab_focus (((Message *) g_ptr_array_index (self->messages, 0))->target);
}

char *
ul_form_entry_text (AdwEntryRow *row)
{
  g_return_val_if_fail (ADW_IS_ENTRY_ROW (row), NULL);
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

void
ul_form_set_entry_text (AdwEntryRow *row, const char *text)
{
  g_return_if_fail (ADW_IS_ENTRY_ROW (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}
