/* ul-pbx-page.h — the PBX step (standalone and virtual gateways): the MiVoice Office 400's
 * address and CloudLink credentials, and where its users are read from. */
#pragma once

#include "ul-step-page.h"

G_BEGIN_DECLS

#define UL_TYPE_PBX_PAGE (ul_pbx_page_get_type ())
G_DECLARE_FINAL_TYPE (UlPbxPage, ul_pbx_page, UL, PBX_PAGE, UlStepPage)

GtkWidget *ul_pbx_page_new (void);

G_END_DECLS
