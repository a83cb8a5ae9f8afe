/* ul-advanced-page.h — the Advanced step: inbound and outbound digits, the GSM
 * call-through number, the emergency numbers and the automatic update schedule. */
#pragma once

#include "ul-step-page.h"

G_BEGIN_DECLS

#define UL_TYPE_ADVANCED_PAGE (ul_advanced_page_get_type ())
G_DECLARE_FINAL_TYPE (UlAdvancedPage, ul_advanced_page, UL, ADVANCED_PAGE, UlStepPage)

GtkWidget *ul_advanced_page_new (void);

G_END_DECLS
