/* ul-sync-page.h — the Sync step (SMBC gateways, instead of PBX and Connect): where the
 * users come from, the green Sync button, "Sync successful" and the warning about users
 * without an e-mail address, with the list of them. Also used by the Overview. */
#pragma once

#include "ul-step-page.h"

G_BEGIN_DECLS

#define UL_TYPE_SYNC_PAGE (ul_sync_page_get_type ())
G_DECLARE_FINAL_TYPE (UlSyncPage, ul_sync_page, UL, SYNC_PAGE, UlStepPage)

GtkWidget  *ul_sync_page_new (void);
/* Presses Sync (saving the directory first when it changed). */
void        ul_sync_page_sync (UlSyncPage *self);
/* For the tests: the result line, the warning (or NULL), and "view list of these users". */
const char *ul_sync_page_get_result (UlSyncPage *self);
const char *ul_sync_page_get_warning (UlSyncPage *self);
void        ul_sync_page_view_users (UlSyncPage *self);

G_END_DECLS
