/* ul-users-dialog.h — a list of a customer's users: the Registered User List (name,
 * extension, e-mail) or the users who cannot receive the app (with the reason). A
 * GtkColumnView over the gateway's users, fluid with tens of thousands. */
#pragma once

#include <adwaita.h>

#include "ul-gateway.h"

G_BEGIN_DECLS

typedef enum
{
  UL_USERS_DIALOG_REGISTERED,   /* registered the app */
  UL_USERS_DIALOG_INELIGIBLE,   /* no e-mail, invalid or shared e-mail: the sync warning */
  UL_USERS_DIALOG_ALL,
} UlUsersDialogMode;

#define UL_TYPE_USERS_DIALOG (ul_users_dialog_get_type ())
G_DECLARE_FINAL_TYPE (UlUsersDialog, ul_users_dialog, UL, USERS_DIALOG, AdwWindow)

UlUsersDialog *ul_users_dialog_new (GtkWidget *parent, UlGateway *gateway, UlUsersDialogMode mode);

/* For the tests and the benchmark. */
GListModel    *ul_users_dialog_get_model (UlUsersDialog *self);
GtkWidget     *ul_users_dialog_get_view (UlUsersDialog *self);
gboolean       ul_users_dialog_get_loading (UlUsersDialog *self);

G_END_DECLS
