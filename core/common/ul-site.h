/* ul-site.h — the gateway site (seed "Gateway" step): name, address, platform, ethernet. */
#pragma once

#include <glib-object.h>
#include "ul-address.h"
#include "ul-enums.h"

G_BEGIN_DECLS

typedef struct
{
  UlEthernetMethod method;
  char            *address;   /* static only */
  char            *netmask;
  char            *gateway;
  GStrv            dns;       /* primary first */
} UlEthernet;

typedef struct
{
  char       *name;
  UlAddress  *address;    /* never NULL; the engine fills it from the customer when unset */
  UlPlatform  platform;
  UlEthernet  ethernet;   /* standalone/virtual only; SMBC keeps UL_ETHERNET_UNKNOWN */
} UlSite;

#define UL_TYPE_SITE (ul_site_get_type ())
GType    ul_site_get_type (void) G_GNUC_CONST;
UlSite  *ul_site_new  (void);
UlSite  *ul_site_copy (const UlSite *self);
void     ul_site_free (UlSite *self);
gboolean ul_site_equal (const UlSite *a, const UlSite *b);
/* a{sv}: name, address, platform, ethernet {method, address, netmask, gateway, dns}; an unset
 * platform and an empty ethernet are left out. */
GVariant *ul_site_to_variant (const UlSite *self);
/* "address" merges; "ethernet" replaces the whole Ethernet configuration, since which
 * fields make sense depends on its method ({} clears it, as an SMBC site needs). Atomic. */
gboolean  ul_site_apply (UlSite *self, GVariant *changes, GError **error);
/* Ethernet must be empty on SMBC, dhcp (without static fields) or static (with valid
 * address, netmask, gateway, dns) on standalone/virtual. */
gboolean  ul_site_validate (const UlSite *self, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlSite, ul_site_free)

G_END_DECLS
