/* ul-overview-page.h — every onboarding step of a customer on one page (the seed's
 * "Overview" option); Save stores the steps one after the other and stops at the first
 * that needs fixing. */
#pragma once

#include "ul-step-page.h"

G_BEGIN_DECLS

#define UL_TYPE_OVERVIEW_PAGE (ul_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (UlOverviewPage, ul_overview_page, UL, OVERVIEW_PAGE, UlStepPage)

GtkWidget *ul_overview_page_new (void);
/* Shows PBX and Connect (standalone, virtual) or Sync (SMBC). */
void       ul_overview_page_set_has_pbx_step (UlOverviewPage *self, gboolean has_pbx_step);
/* The step widget named "customer", "gateway", "pbx", "connect", "sync", "deployment" or
 * "advanced". */
UlStepPage *ul_overview_page_get_step (UlOverviewPage *self, const char *name);

G_END_DECLS
