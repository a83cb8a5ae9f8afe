/* ul-send-dialog.c — the confirmation before deployment e-mails go out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ul-choices.h"
#include "ul-send-dialog.h"

#define RESPONSE_SEND "send"

struct _UlSendDialog
{
  AdwMessageDialog parent_instance;

  GtkWidget *language;
};

G_DEFINE_FINAL_TYPE (UlSendDialog, ul_send_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum
{
  SIGNAL_SEND,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* "3 days", "12 hours": the unit the partner set, in whole units where it fits. */
static char *
format_lifetime (guint seconds)
{
  if (seconds >= 86400 && seconds % 86400 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", seconds / 86400),
                            seconds / 86400);
  if (seconds >= 3600 && seconds % 3600 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", seconds / 3600),
                            seconds / 3600);
  if (seconds >= 60 && seconds % 60 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes",
                                         seconds / 60),
                            seconds / 60);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds", seconds),
                          seconds);
}

static void
ul_send_dialog_response (AdwMessageDialog *dialog, const char *response)
{
  UlSendDialog *self = UL_SEND_DIALOG (dialog);

  if (g_str_equal (response, RESPONSE_SEND))
    g_signal_emit (self, signals[SIGNAL_SEND], 0, ul_send_dialog_get_language (self));
}

static void
ul_send_dialog_class_init (UlSendDialogClass *klass)
{
  ADW_MESSAGE_DIALOG_CLASS (klass)->response = ul_send_dialog_response;

  signals[SIGNAL_SEND] = g_signal_new ("send", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ul_send_dialog_init (UlSendDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("_Language of the e-mail"));

  self->language = gtk_drop_down_new (NULL, NULL);
  ul_choices_setup (G_OBJECT (self->language), UL_CHOICES_LANGUAGE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), self->language);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), self->language);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->language),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), box);
}

UlSendDialog *
ul_send_dialog_new (GtkWidget  *parent,
                    guint       n_users,
                    guint       n_invited,
                    const char *resend_name,
                    guint       link_lifetime,
                    const char *language)
{
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  UlSendDialog *self;

  if (resend_name != NULL)
    g_string_printf (body, _("%s gets a new welcome e-mail with a new registration link. The "
                             "link in the earlier e-mail stops working."),
                     resend_name);
  else
    {
      g_string_printf (body,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "%u user gets a welcome e-mail with a personal "
                                    "registration link.",
                                    "%u users get a welcome e-mail with a personal "
                                    "registration link.",
                                    n_users),
                       n_users);
      if (n_invited > 0)
        {
          g_string_append_c (body, ' ');
          g_string_append_printf (body,
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "%u of them got one before: the link in that "
                                               "e-mail stops working.",
                                               "%u of them got one before: the links in those "
                                               "e-mails stop working.",
                                               n_invited),
                                  n_invited);
        }
    }
  if (link_lifetime > 0)
    {
      g_autofree char *lifetime = format_lifetime (link_lifetime);

      g_string_append_c (body, ' ');
      /* TRANSLATORS: %s is a duration, "3 days". */
      g_string_append_printf (body, _("A link works once and for %s."), lifetime);
    }

  self = g_object_new (UL_TYPE_SEND_DIALOG,
                       "heading", resend_name != NULL ? _("Send a New Deployment Email?")
                                                      : _("Send Deployment Emails?"),
                       "body", body->str,
                       "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                       "modal", TRUE,
                       NULL);
  if (!ul_choices_set (G_OBJECT (self->language), language))
    ul_choices_set (G_OBJECT (self->language), "en");

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self),
                                    "cancel", _("_Cancel"),
                                    RESPONSE_SEND, resend_name != NULL ? _("_Resend")
                                                                       : _("_Send"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), RESPONSE_SEND,
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self), RESPONSE_SEND);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self), "cancel");
  return self;
}

GtkWidget *
ul_send_dialog_get_language_dropdown (UlSendDialog *self)
{
  g_return_val_if_fail (UL_IS_SEND_DIALOG (self), NULL);
  return self->language;
}

const char *
ul_send_dialog_get_language (UlSendDialog *self)
{
  g_return_val_if_fail (UL_IS_SEND_DIALOG (self), NULL);
  return ul_choices_get (G_OBJECT (self->language));
}

void
ul_send_dialog_send (UlSendDialog *self)
{
  g_return_if_fail (UL_IS_SEND_DIALOG (self));

  g_object_ref (self);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), RESPONSE_SEND);
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_window_close (GTK_WINDOW (self));
  g_object_unref (self);
}
