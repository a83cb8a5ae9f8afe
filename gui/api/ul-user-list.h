/* ul-user-list.h — a gateway's users as a GListModel of UlUserObject, read page by page.
 *
 * Pages of 1000 arrive and are appended as they come, so a list of 10,000 users shows its
 * first rows at once and never holds up the main loop. */
#pragma once

#include <gio/gio.h>

#include "ul-gateway.h"

G_BEGIN_DECLS

#define UL_TYPE_USER_LIST (ul_user_list_get_type ())
G_DECLARE_FINAL_TYPE (UlUserList, ul_user_list, UL, USER_LIST, GObject)

UlUserList *ul_user_list_new (void);

/* Reads every user of @gateway; @query narrows it ("eligible=true", "eligible=false") or
 * is NULL. Replaces what the list held; a load in progress is cancelled. */
void        ul_user_list_load (UlUserList *self, UlGateway *gateway, const char *query);
/* Reads only the registered users (with their registeredAt), in one request. */
void        ul_user_list_load_registered (UlUserList *self, UlGateway *gateway);
/* Reads again what the last load read. */
void        ul_user_list_reload (UlUserList *self);
/* Replaces the list with @users (UlUser*, copied). */
void        ul_user_list_set_users (UlUserList *self, GPtrArray *users);
gboolean    ul_user_list_get_loading (UlUserList *self);
/* The last load's error, or NULL. */
const char *ul_user_list_get_error (UlUserList *self);

/* Properties "loading" and "error" notify. */

G_END_DECLS
