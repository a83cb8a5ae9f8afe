/* ul-discovery.h — gateways announced on the local network (_uplink._tcp over mDNS).
 *
 * Browses with Avahi and resolves every instance; a gateway seen on several interfaces or
 * over IPv4 and IPv6 is reported once, by its TXT "id", with the best address: one on a
 * subnet of this computer before one beyond a router (an mDNS reflector carries
 * announcements across), IPv4 before global IPv6, link-local (with its scope) last.
 * Announcements without an id and a certificate fingerprint are not Uplink gateways the
 * dashboard could pin, and are left out. What the instances say is reported once their
 * resolutions are in (a quarter of a second), not instance by instance. Survives
 * avahi-daemon restarts, re-resolves an instance whose resolution failed, and says why it
 * finds nothing when that is knowable. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define UL_DISCOVERY_SERVICE_TYPE "_uplink._tcp"

typedef enum
{
  UL_DISCOVERY_STATE_STOPPED,
  UL_DISCOVERY_STATE_NO_DAEMON,   /* avahi-daemon is not running on this computer */
  UL_DISCOVERY_STATE_SEARCHING,   /* browsing, the first answers not in yet */
  UL_DISCOVERY_STATE_READY,       /* browsing, caught up with the network */
  UL_DISCOVERY_STATE_FAILED,      /* see ul_discovery_get_error_message() */
} UlDiscoveryState;

/* What a gateway announces. */
typedef struct
{
  char    *id;         /* TXT id: the gateway ID */
  char    *name;       /* TXT name, else the service name */
  char    *host;       /* address literal, "fe80::1%eth0" for link-local */
  guint    port;
  char    *fingerprint;/* TXT fp */
  char    *version;    /* TXT v */
  char    *account_id; /* TXT acct, NULL when unclaimed */
  gboolean claimed;    /* TXT claimed */
  /* @host is on the subnet of one of this computer's interfaces (link-local counts): only
   * then can this computer claim the gateway (the claim is refused beyond a router). */
  gboolean on_local_subnet;
} UlDiscoveredGateway;

#define UL_TYPE_DISCOVERED_GATEWAY (ul_discovered_gateway_get_type ())
GType                ul_discovered_gateway_get_type (void) G_GNUC_CONST;
UlDiscoveredGateway *ul_discovered_gateway_copy (const UlDiscoveredGateway *self);
void                 ul_discovered_gateway_free (UlDiscoveredGateway *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlDiscoveredGateway, ul_discovered_gateway_free)

#define UL_TYPE_DISCOVERY (ul_discovery_get_type ())
G_DECLARE_FINAL_TYPE (UlDiscovery, ul_discovery, UL, DISCOVERY, GObject)

UlDiscovery      *ul_discovery_new (void);
void              ul_discovery_start (UlDiscovery *self);
void              ul_discovery_stop (UlDiscovery *self);
UlDiscoveryState  ul_discovery_get_state (UlDiscovery *self);
const char       *ul_discovery_get_error_message (UlDiscovery *self);

/* Signals:
 *   "found" (UlDiscoveredGateway *): new, or its announcement changed.
 *   "lost" (const char *id): no longer announced on any interface, or no longer watched
 *     (ul_discovery_stop(), avahi-daemon gone).
 * Property "state" (UlDiscoveryState) notifies. */

G_END_DECLS
