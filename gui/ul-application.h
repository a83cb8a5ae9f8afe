/* ul-application.h — uplink-dashboard's application: the gateway list, discovery, actions. */
#pragma once

#include <adwaita.h>

#include "ul-discovery.h"
#include "ul-gateway-list.h"

G_BEGIN_DECLS

#define UL_APP_ID "io.github.uplink.Dashboard"

#define UL_TYPE_APPLICATION (ul_application_get_type ())
G_DECLARE_FINAL_TYPE (UlApplication, ul_application, UL, APPLICATION, AdwApplication)

UlApplication *ul_application_new (void);

UlGatewayList *ul_application_get_gateways (UlApplication *self);
UlDiscovery   *ul_application_get_discovery (UlApplication *self);
GSettings     *ul_application_get_settings (UlApplication *self);

/* Signal "show-help" (const char *page_id): a help page is to be shown. The default
 * handler opens it in the help browser; tests stop the emission to look instead. */

G_END_DECLS
