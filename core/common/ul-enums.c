/* ul-enums.c — string forms of the domain enumerations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ul-enums.h"

/* Each table is indexed by the enum value; the strings are API (D-Bus and JSON). */
static const char * const platform_strings[] = {
  [UL_PLATFORM_UNKNOWN] = "unknown",
  [UL_PLATFORM_STANDALONE] = "standalone",
  [UL_PLATFORM_SMBC] = "smbc",
  [UL_PLATFORM_VIRTUAL] = "virtual",
};

static const char * const support_role_strings[] = {
  [UL_SUPPORT_ROLE_UNKNOWN] = "unknown",
  [UL_SUPPORT_ROLE_MAINTAINER] = "maintainer",
  [UL_SUPPORT_ROLE_ONSITE_ADMIN] = "onsiteAdmin",
  [UL_SUPPORT_ROLE_OTHER] = "other",
};

static const char * const ethernet_method_strings[] = {
  [UL_ETHERNET_UNKNOWN] = "unknown",
  [UL_ETHERNET_DHCP] = "dhcp",
  [UL_ETHERNET_STATIC] = "static",
};

static const char * const customer_state_strings[] = {
  [UL_CUSTOMER_STATE_ACTIVE] = "active",
  [UL_CUSTOMER_STATE_DEACTIVATED] = "deactivated",
};

static const char * const severity_strings[] = {
  [UL_SEVERITY_NEXT_STEP] = "next-step",
  [UL_SEVERITY_ERROR] = "error",
  [UL_SEVERITY_OK] = "ok",
};

static const char *
lookup_string (const char * const *table, guint n, guint value)
{
  return value < n ? table[value] : NULL;
}

/* Index of @str in @table, or -1. */
static int
lookup_value (const char * const *table, guint n, const char *str)
{
  for (guint i = 0; str != NULL && i < n; i++)
    {
      if (g_str_equal (table[i], str))
        return (int) i;
    }

  return -1;
}

const char *
ul_platform_to_string (UlPlatform value)
{
  return lookup_string (platform_strings, G_N_ELEMENTS (platform_strings), value);
}

UlPlatform
ul_platform_from_string (const char *str)
{
  int value = lookup_value (platform_strings, G_N_ELEMENTS (platform_strings), str);

  return value < 0 ? UL_PLATFORM_UNKNOWN : (UlPlatform) value;
}

const char *
ul_support_role_to_string (UlSupportRole value)
{
  return lookup_string (support_role_strings, G_N_ELEMENTS (support_role_strings), value);
}

UlSupportRole
ul_support_role_from_string (const char *str)
{
  int value = lookup_value (support_role_strings, G_N_ELEMENTS (support_role_strings), str);

  return value < 0 ? UL_SUPPORT_ROLE_UNKNOWN : (UlSupportRole) value;
}

const char *
ul_ethernet_method_to_string (UlEthernetMethod value)
{
  return lookup_string (ethernet_method_strings, G_N_ELEMENTS (ethernet_method_strings), value);
}

UlEthernetMethod
ul_ethernet_method_from_string (const char *str)
{
  int value = lookup_value (ethernet_method_strings, G_N_ELEMENTS (ethernet_method_strings), str);

  return value < 0 ? UL_ETHERNET_UNKNOWN : (UlEthernetMethod) value;
}

const char *
ul_customer_state_to_string (UlCustomerState value)
{
  return lookup_string (customer_state_strings, G_N_ELEMENTS (customer_state_strings), value);
}

gboolean
ul_customer_state_from_string (const char *str, UlCustomerState *out)
{
  int value = lookup_value (customer_state_strings, G_N_ELEMENTS (customer_state_strings), str);

  if (value < 0)
    return FALSE;

  *out = (UlCustomerState) value;
  return TRUE;
}

const char *
ul_severity_to_string (UlSeverity value)
{
  return lookup_string (severity_strings, G_N_ELEMENTS (severity_strings), value);
}

gboolean
ul_severity_from_string (const char *str, UlSeverity *out)
{
  int value = lookup_value (severity_strings, G_N_ELEMENTS (severity_strings), str);

  if (value < 0)
    return FALSE;

  *out = (UlSeverity) value;
  return TRUE;
}

gboolean
ul_platform_has_pbx_step (UlPlatform value)
{
  return value == UL_PLATFORM_STANDALONE || value == UL_PLATFORM_VIRTUAL;
}
