/* ul-auth-subnet.h — "is this client on one of the gateway's own subnets?"
 *
 * The seed's rule for first access: an unclaimed gateway is claimed from the same LAN
 * subnet. The subnets are those of the interfaces that are up right now (getifaddrs), IPv4
 * and IPv6; the loopback network counts, since a client on the gateway itself is at least
 * as close as one on its LAN. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The networks (GInetAddressMask*) of the interfaces that are up. */
GPtrArray *ul_auth_subnet_list_local (GError **error);
/* TRUE when @peer is inside one of @networks. IPv4-mapped IPv6 peers (::ffff:a.b.c.d, as
 * a dual-stack socket reports IPv4 clients) are matched as IPv4. */
gboolean   ul_auth_subnet_matches (GPtrArray *networks, GInetAddress *peer);
/* ul_auth_subnet_list_local() + ul_auth_subnet_matches() for a textual address. */
gboolean   ul_auth_subnet_is_local (const char *peer, GError **error);

G_END_DECLS
