/* ul-login-dialog.h — sign in to a claimed gateway; the password goes to the keyring. */
#pragma once

#include <adwaita.h>

#include "ul-gateway.h"
#include "ul-window.h"

G_BEGIN_DECLS

#define UL_TYPE_LOGIN_DIALOG (ul_login_dialog_get_type ())
G_DECLARE_FINAL_TYPE (UlLoginDialog, ul_login_dialog, UL, LOGIN_DIALOG, AdwWindow)

UlLoginDialog *ul_login_dialog_new (UlWindow *parent, UlGateway *gateway);

/* For the tests. */
void           ul_login_dialog_fill (UlLoginDialog *self, const char *email, const char *password);
void           ul_login_dialog_submit (UlLoginDialog *self);
UlForm        *ul_login_dialog_get_form (UlLoginDialog *self);

G_END_DECLS
