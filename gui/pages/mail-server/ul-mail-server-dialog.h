/* ul-mail-server-dialog.h — the gateway's deployment e-mail settings: the mail server
 * (SMTP: host, port, security, optional sign-in with a write-only password, sender) and
 * the registration links (where they point, how long they last), with a test e-mail that
 * shows the mail server's own answer.
 *
 * Reached from the Deployment step, where the e-mails are sent. Every field is checked
 * with the rules of core/common before anything is saved, and a mistake shows under its
 * field; nothing is stored until every field is right. */
#pragma once

#include <adwaita.h>

#include "ul-form.h"
#include "ul-gateway.h"

G_BEGIN_DECLS

#define UL_TYPE_MAIL_SERVER_DIALOG (ul_mail_server_dialog_get_type ())
G_DECLARE_FINAL_TYPE (UlMailServerDialog, ul_mail_server_dialog, UL, MAIL_SERVER_DIALOG,
                      AdwWindow)

UlMailServerDialog *ul_mail_server_dialog_new (GtkWidget *parent, UlGateway *gateway);

/* Validates and stores; closes the dialog when both records are stored. */
void        ul_mail_server_dialog_save (UlMailServerDialog *self);
/* Stores what changed, then sends the test e-mail. */
void        ul_mail_server_dialog_send_test (UlMailServerDialog *self);

/* For the tests. */
UlForm     *ul_mail_server_dialog_get_form (UlMailServerDialog *self);
gboolean    ul_mail_server_dialog_get_loaded (UlMailServerDialog *self);
gboolean    ul_mail_server_dialog_get_busy (UlMailServerDialog *self);
/* The last test's outcome as shown (the server's reply or the error), or NULL. */
const char *ul_mail_server_dialog_get_test_result (UlMailServerDialog *self);
gboolean    ul_mail_server_dialog_get_test_ok (UlMailServerDialog *self);

/* Signal "saved" (): both records are stored. */

G_END_DECLS
