/* ul-mdns-publisher.h — publishes the HTTPS API as _uplink._tcp over Avahi (DESIGN.md §7).
 *
 * The TXT record carries what a dashboard needs before it connects: v (API version), id
 * (gateway id), fp (certificate SHA-256, to pin), claimed (0/1), acct (account id once
 * claimed), name. Changes re-publish the record. A name taken by another host on the LAN
 * is replaced with Avahi's alternative ("Uplink abcd1234 #2"). When avahi-daemon (or the
 * system bus) is missing the publisher says so once and waits: publishing starts when the
 * daemon appears, and starts again after it restarts. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define UL_MDNS_SERVICE_TYPE "_uplink._tcp"

#define UL_TYPE_MDNS_PUBLISHER (ul_mdns_publisher_get_type ())
G_DECLARE_FINAL_TYPE (UlMdnsPublisher, ul_mdns_publisher, UL, MDNS_PUBLISHER, GObject)

/* @name is the service instance name to try first; @port the HTTPS port. */
UlMdnsPublisher *ul_mdns_publisher_new (const char *name, guint port);

/* "key=value" strings, NULL-terminated; re-publishes when they differ from the current. */
void             ul_mdns_publisher_set_txt (UlMdnsPublisher *self, const char * const *txt);

/* Connects to avahi-daemon (now or when it appears) and publishes. */
void             ul_mdns_publisher_start (UlMdnsPublisher *self);
void             ul_mdns_publisher_stop (UlMdnsPublisher *self);

/* The name in use (after collisions), and whether the record is on the network. */
const char      *ul_mdns_publisher_get_name (UlMdnsPublisher *self);
gboolean         ul_mdns_publisher_is_published (UlMdnsPublisher *self);

G_END_DECLS
