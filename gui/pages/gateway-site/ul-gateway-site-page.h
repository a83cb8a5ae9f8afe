/* ul-gateway-site-page.h — the Gateway step: the site, its platform, and (standalone and
 * virtual gateways) the appliance's Ethernet configuration. */
#pragma once

#include "ul-step-page.h"

G_BEGIN_DECLS

#define UL_TYPE_GATEWAY_SITE_PAGE (ul_gateway_site_page_get_type ())
G_DECLARE_FINAL_TYPE (UlGatewaySitePage, ul_gateway_site_page, UL, GATEWAY_SITE_PAGE, UlStepPage)

GtkWidget *ul_gateway_site_page_new (void);

G_END_DECLS
