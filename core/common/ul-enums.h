/* ul-enums.h — enumerations of the domain model and their stable string forms.
 *
 * On D-Bus and in JSON every enum travels as its string (records are a{sv} with the same
 * keys as the JSON API, so `gdbus call` stays readable). 0 is "unknown"/unset where an
 * enum can be unset; *_from_string() maps NULL and unknown strings to that value. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  UL_PLATFORM_UNKNOWN,
  UL_PLATFORM_STANDALONE,   /* "standalone": external appliance next to the PBX */
  UL_PLATFORM_SMBC,         /* "smbc": gateway embedded in the SMB Controller */
  UL_PLATFORM_VIRTUAL,      /* "virtual": VMware appliance */
} UlPlatform;

typedef enum
{
  UL_SUPPORT_ROLE_UNKNOWN,
  UL_SUPPORT_ROLE_MAINTAINER,    /* "maintainer" */
  UL_SUPPORT_ROLE_ONSITE_ADMIN,  /* "onsiteAdmin" */
  UL_SUPPORT_ROLE_OTHER,         /* "other" */
} UlSupportRole;

typedef enum
{
  UL_ETHERNET_UNKNOWN,
  UL_ETHERNET_DHCP,     /* "dhcp" */
  UL_ETHERNET_STATIC,   /* "static" */
} UlEthernetMethod;

typedef enum
{
  UL_CUSTOMER_STATE_ACTIVE,       /* "active" */
  UL_CUSTOMER_STATE_DEACTIVATED,  /* "deactivated" */
} UlCustomerState;

typedef enum
{
  UL_SEVERITY_NEXT_STEP,  /* "next-step": shown in blue */
  UL_SEVERITY_ERROR,      /* "error": shown in red */
  UL_SEVERITY_OK,         /* "ok": "Overview" */
} UlSeverity;

const char      *ul_platform_to_string        (UlPlatform value);
UlPlatform       ul_platform_from_string      (const char *str);
const char      *ul_support_role_to_string    (UlSupportRole value);
UlSupportRole    ul_support_role_from_string  (const char *str);
const char      *ul_ethernet_method_to_string (UlEthernetMethod value);
UlEthernetMethod ul_ethernet_method_from_string (const char *str);
const char      *ul_customer_state_to_string  (UlCustomerState value);
const char      *ul_severity_to_string        (UlSeverity value);
/* These two have no "unknown" value, so they report whether @str was known. */
gboolean         ul_customer_state_from_string (const char *str, UlCustomerState *out);
gboolean         ul_severity_from_string       (const char *str, UlSeverity *out);

/* True for the platforms that have PBX + Connect steps (standalone, virtual). */
gboolean ul_platform_has_pbx_step (UlPlatform value);

G_END_DECLS
