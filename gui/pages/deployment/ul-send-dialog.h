/* ul-send-dialog.h — "Send Deployment Emails?": how many users get a welcome e-mail, how
 * many of them had one before (their earlier links stop working), how long the new links
 * last, and in which language (the customer's default, or another one). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UL_TYPE_SEND_DIALOG (ul_send_dialog_get_type ())
G_DECLARE_FINAL_TYPE (UlSendDialog, ul_send_dialog, UL, SEND_DIALOG, AdwMessageDialog)

/* @n_invited: how many of the @n_users were invited before; @resend_name: for a Resend to
 * one user, their name (the wording then speaks of them); @link_lifetime in seconds, 0
 * when unknown; @language: preselected (a ul_languages() id). */
UlSendDialog *ul_send_dialog_new (GtkWidget  *parent,
                                  guint       n_users,
                                  guint       n_invited,
                                  const char *resend_name,
                                  guint       link_lifetime,
                                  const char *language);
GtkWidget    *ul_send_dialog_get_language_dropdown (UlSendDialog *self);
const char   *ul_send_dialog_get_language (UlSendDialog *self);
/* Sends as the button would. */
void          ul_send_dialog_send (UlSendDialog *self);

/* Signal "send" (const char *language): the partner confirmed. */

G_END_DECLS
