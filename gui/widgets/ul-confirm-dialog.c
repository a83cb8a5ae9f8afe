/* ul-confirm-dialog.c — "type the word to confirm".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ul-confirm-dialog.h"

#define RESPONSE_CONFIRM "confirm"

struct _UlConfirmDialog
{
  AdwMessageDialog parent_instance;

  GtkEntry *entry;
  char     *word;
};

G_DEFINE_FINAL_TYPE (UlConfirmDialog, ul_confirm_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum
{
  SIGNAL_CONFIRMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
matches (UlConfirmDialog *self)
{
  g_autofree char *typed = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));

  return g_str_equal (g_strstrip (typed), self->word);
}

static void
on_entry_changed (GtkEditable *entry, UlConfirmDialog *self)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), RESPONSE_CONFIRM,
                                           matches (self));
}

static void
on_entry_activate (GtkEntry *entry, UlConfirmDialog *self)
{
  ul_confirm_dialog_confirm (self);
}

static void
ul_confirm_dialog_response (AdwMessageDialog *dialog, const char *response)
{
  UlConfirmDialog *self = UL_CONFIRM_DIALOG (dialog);

  if (g_str_equal (response, RESPONSE_CONFIRM) && matches (self))
    {
      g_autofree char *typed = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));

      g_signal_emit (self, signals[SIGNAL_CONFIRMED], 0, g_strstrip (typed));
    }
}

static void
ul_confirm_dialog_finalize (GObject *object)
{
  UlConfirmDialog *self = UL_CONFIRM_DIALOG (object);

  g_free (self->word);

  G_OBJECT_CLASS (ul_confirm_dialog_parent_class)->finalize (object);
}

static void
ul_confirm_dialog_class_init (UlConfirmDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->finalize = ul_confirm_dialog_finalize;
  dialog_class->response = ul_confirm_dialog_response;

  signals[SIGNAL_CONFIRMED] = g_signal_new ("confirmed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ul_confirm_dialog_init (UlConfirmDialog *self)
{
  self->entry = GTK_ENTRY (gtk_entry_new ());
  g_signal_connect (self->entry, "changed", G_CALLBACK (on_entry_changed), self);
  g_signal_connect (self->entry, "activate", G_CALLBACK (on_entry_activate), self);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), GTK_WIDGET (self->entry));
}

UlConfirmDialog *
ul_confirm_dialog_new (GtkWidget  *parent,
                       const char *heading,
                       const char *body,
                       const char *word,
                       const char *confirm_label)
{
  UlConfirmDialog *self;
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;
  g_autofree char *label = NULL;

  self = g_object_new (UL_TYPE_CONFIRM_DIALOG,
                       "heading", heading,
                       "body", body,
                       "body-use-markup", TRUE,
                       "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                       "modal", TRUE,
                       NULL);
  self->word = g_strdup (word);

  /* Translators: the label above the box where the word is typed, e.g. Type “remove” to
   * confirm. Keep the word itself as is: the gateway expects it in English. */
  label = g_strdup_printf (_("Type “%s” to confirm"), word);
  gtk_entry_set_placeholder_text (self->entry, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    RESPONSE_CONFIRM, confirm_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), RESPONSE_CONFIRM,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), RESPONSE_CONFIRM, FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  return self;
}

GtkEditable *
ul_confirm_dialog_get_entry (UlConfirmDialog *self)
{
  g_return_val_if_fail (UL_IS_CONFIRM_DIALOG (self), NULL);
  return GTK_EDITABLE (self->entry);
}

gboolean
ul_confirm_dialog_get_can_confirm (UlConfirmDialog *self)
{
  g_return_val_if_fail (UL_IS_CONFIRM_DIALOG (self), FALSE);
  return adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (self), RESPONSE_CONFIRM);
}

void
ul_confirm_dialog_confirm (UlConfirmDialog *self)
{
  g_return_if_fail (UL_IS_CONFIRM_DIALOG (self));

  if (!matches (self))
    return;
  g_object_ref (self);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), RESPONSE_CONFIRM);
  /* The buttons close the dialog after their response; Enter in the entry must too. */
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_window_close (GTK_WINDOW (self));
  g_object_unref (self);
}
