/* ul-gateway-list.h — every gateway the dashboard knows of: the partner's (remembered
 * across runs, passwords in the keyring) and those announced on the local network.
 *
 * A GListModel of UlGateway; the pages filter it (customers, unclaimed gateways …). */
#pragma once

#include <gio/gio.h>

#include "ul-discovery.h"
#include "ul-gateway.h"

G_BEGIN_DECLS

#define UL_TYPE_GATEWAY_LIST (ul_gateway_list_get_type ())
G_DECLARE_FINAL_TYPE (UlGatewayList, ul_gateway_list, UL, GATEWAY_LIST, GObject)

/* @path: the key file of known gateways; NULL for
 * $XDG_DATA_HOME/uplink-dashboard/gateways.ini. */
UlGatewayList *ul_gateway_list_new (const char *path);

/* Reads the known gateways, signs in to each with its stored password (or leaves it
 * signed out) and starts watching them. */
void           ul_gateway_list_load (UlGatewayList *self);
/* Feeds the list with what @discovery finds: each gateway once, except unclaimed ones
 * beyond a router, which cannot be claimed from here. */
void           ul_gateway_list_set_discovery (UlGatewayList *self, UlDiscovery *discovery);
void           ul_gateway_list_set_poll_interval (UlGatewayList *self, guint seconds);

UlGateway     *ul_gateway_list_find (UlGatewayList *self, const char *id);
UlGateway     *ul_gateway_list_find_address (UlGatewayList *self, const char *host, guint port);
/* Adds @gateway unless a gateway with its id is there already; returns the one in the
 * list. */
UlGateway     *ul_gateway_list_add (UlGatewayList *self, UlGateway *gateway);
/* Makes @gateway one of the partner's: remembered, @password (may be NULL) stored in the
 * keyring under its id and e-mail. */
void           ul_gateway_list_remember (UlGatewayList *self,
                                         UlGateway     *gateway,
                                         const char    *password);
/* Forgets it (and its password); it stays in the list only while it is announced. */
void           ul_gateway_list_forget (UlGatewayList *self, UlGateway *gateway);

/* Signal "keyring-failed" (const char *message): a password could not be stored (said
 * once, until a store succeeds again) or deleted; @message is a sentence for the partner. */

G_END_DECLS
