/* ul-site.c — the gateway site: name, address, platform and Ethernet configuration.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-common-private.h"
#include "ul-error.h"
#include "ul-site.h"
#include "ul-validate.h"
#include "ul-variant.h"

G_DEFINE_BOXED_TYPE (UlSite, ul_site, ul_site_copy, ul_site_free)

static void
ethernet_clear (UlEthernet *ethernet)
{
  g_clear_pointer (&ethernet->address, g_free);
  g_clear_pointer (&ethernet->netmask, g_free);
  g_clear_pointer (&ethernet->gateway, g_free);
  g_clear_pointer (&ethernet->dns, g_strfreev);
  ethernet->method = UL_ETHERNET_UNKNOWN;
}

static void
ethernet_copy (const UlEthernet *from, UlEthernet *to)
{
  to->method = from->method;
  to->address = g_strdup (from->address);
  to->netmask = g_strdup (from->netmask);
  to->gateway = g_strdup (from->gateway);
  to->dns = g_strdupv (from->dns);
}

static gboolean
ethernet_equal (const UlEthernet *a, const UlEthernet *b)
{
  return a->method == b->method &&
         g_strcmp0 (a->address, b->address) == 0 &&
         g_strcmp0 (a->netmask, b->netmask) == 0 &&
         g_strcmp0 (a->gateway, b->gateway) == 0 &&
         ul_strv_equal0 ((const char * const *) a->dns, (const char * const *) b->dns);
}

/* The first static-only field that holds a value, or NULL. */
static const char *
ethernet_first_static_field (const UlEthernet *ethernet)
{
  if (ethernet->address != NULL && *ethernet->address != '\0')
    return "address";
  if (ethernet->netmask != NULL && *ethernet->netmask != '\0')
    return "netmask";
  if (ethernet->gateway != NULL && *ethernet->gateway != '\0')
    return "gateway";
  if (ethernet->dns != NULL && ethernet->dns[0] != NULL)
    return "dns";

  return NULL;
}

static gboolean
ethernet_is_empty (const UlEthernet *ethernet)
{
  return ethernet->method == UL_ETHERNET_UNKNOWN && ethernet_first_static_field (ethernet) == NULL;
}

UlSite *
ul_site_new (void)
{
  UlSite *self = g_new0 (UlSite, 1);

  self->address = ul_address_new ();
  return self;
}

UlSite *
ul_site_copy (const UlSite *self)
{
  UlSite *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (UlSite, 1);
  copy->name = g_strdup (self->name);
  copy->address = ul_address_copy (self->address);
  copy->platform = self->platform;
  ethernet_copy (&self->ethernet, &copy->ethernet);
  return copy;
}

void
ul_site_free (UlSite *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  ul_address_free (self->address);
  ethernet_clear (&self->ethernet);
  g_free (self);
}

gboolean
ul_site_equal (const UlSite *a, const UlSite *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strcmp0 (a->name, b->name) == 0 &&
         ul_address_equal (a->address, b->address) &&
         a->platform == b->platform &&
         ethernet_equal (&a->ethernet, &b->ethernet);
}

static GVariant *
ethernet_to_variant (const UlEthernet *ethernet)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  if (ethernet->method != UL_ETHERNET_UNKNOWN)
    ul_variant_builder_add_string (&builder, "method",
                                   ul_ethernet_method_to_string (ethernet->method));
  ul_variant_builder_add_string (&builder, "address", ethernet->address);
  ul_variant_builder_add_string (&builder, "netmask", ethernet->netmask);
  ul_variant_builder_add_string (&builder, "gateway", ethernet->gateway);
  if (ethernet->dns != NULL)
    g_variant_builder_add (&builder, "{sv}", "dns",
                           g_variant_new_strv ((const char * const *) ethernet->dns, -1));

  return g_variant_builder_end (&builder);
}

GVariant *
ul_site_to_variant (const UlSite *self)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_return_val_if_fail (self != NULL, NULL);

  ul_variant_builder_add_string (&builder, "name", self->name);
  g_variant_builder_add (&builder, "{sv}", "address", ul_address_to_variant (self->address));
  /* Unset values are left out rather than sent as "unknown", which apply refuses. */
  if (self->platform != UL_PLATFORM_UNKNOWN)
    ul_variant_builder_add_string (&builder, "platform", ul_platform_to_string (self->platform));
  if (!ethernet_is_empty (&self->ethernet))
    g_variant_builder_add (&builder, "{sv}", "ethernet", ethernet_to_variant (&self->ethernet));

  return g_variant_builder_end (&builder);
}

static gboolean
apply_string (GVariant *value, const char *key, char **slot, GError **error)
{
  g_autofree char *str = NULL;

  if (!ul_variant_get_string (value, key, &str, error))
    return FALSE;

  g_free (*slot);
  *slot = g_steal_pointer (&str);
  return TRUE;
}

static gboolean
parse_ethernet_key (UlEthernet *ethernet, const char *key, GVariant *value, GError **error)
{
  if (g_str_equal (key, "method"))
    {
      g_autofree char *str = NULL;

      if (!ul_variant_get_string (value, key, &str, error))
        return FALSE;
      ethernet->method = ul_ethernet_method_from_string (str);
      if (ethernet->method == UL_ETHERNET_UNKNOWN)
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, key,
                              _("Must be dhcp or static"));
          return FALSE;
        }
      return TRUE;
    }

  if (g_str_equal (key, "address"))
    return apply_string (value, key, &ethernet->address, error);
  if (g_str_equal (key, "netmask"))
    return apply_string (value, key, &ethernet->netmask, error);
  if (g_str_equal (key, "gateway"))
    return apply_string (value, key, &ethernet->gateway, error);
  if (g_str_equal (key, "dns"))
    {
      g_auto (GStrv) dns = NULL;

      if (!ul_variant_get_strv (value, key, &dns, error))
        return FALSE;
      g_strfreev (ethernet->dns);
      ethernet->dns = g_steal_pointer (&dns);
      return TRUE;
    }

  return ul_variant_unknown_key (key, error);
}

/* The Ethernet record is replaced, not merged: which fields make sense depends on the
 * method, so {"method": "dhcp"} must not keep stale static addresses, and {} clears it
 * (what an SMBC site needs). */
static gboolean
apply_ethernet (UlEthernet *ethernet, GVariant *value, GError **error)
{
  UlEthernet parsed = { 0 };
  GVariant *dict;
  GVariantIter iter;
  const char *key;
  GVariant *raw;

  if (!ul_variant_get_dict (value, "ethernet", &dict, error))
    return FALSE;

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &raw))
    {
      g_autoptr (GVariant) child = raw;

      if (!parse_ethernet_key (&parsed, key, child, error))
        {
          ethernet_clear (&parsed);
          ul_error_prefix_field (error, "ethernet");
          return FALSE;
        }
    }

  ethernet_clear (ethernet);
  *ethernet = parsed;
  return TRUE;
}

static gboolean
apply_one (UlSite *self, const char *key, GVariant *value, GError **error)
{
  if (g_str_equal (key, "name"))
    return apply_string (value, key, &self->name, error);

  if (g_str_equal (key, "address"))
    {
      GVariant *dict;

      if (!ul_variant_get_dict (value, key, &dict, error))
        return FALSE;
      if (!ul_address_apply (self->address, dict, error))
        {
          ul_error_prefix_field (error, key);
          return FALSE;
        }
      return TRUE;
    }

  if (g_str_equal (key, "platform"))
    {
      g_autofree char *str = NULL;

      if (!ul_variant_get_string (value, key, &str, error))
        return FALSE;
      self->platform = ul_platform_from_string (str);
      if (self->platform == UL_PLATFORM_UNKNOWN)
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, key,
                              _("Must be standalone, smbc or virtual"));
          return FALSE;
        }
      return TRUE;
    }

  if (g_str_equal (key, "ethernet"))
    return apply_ethernet (&self->ethernet, value, error);

  return ul_variant_unknown_key (key, error);
}

gboolean
ul_site_apply (UlSite *self, GVariant *changes, GError **error)
{
  return ul_record_apply (self, sizeof *self, (GBoxedCopyFunc) ul_site_copy,
                          (GBoxedFreeFunc) ul_site_free, (UlApplyOneFunc) apply_one, changes,
                          error);
}

static gboolean
validate_ethernet (const UlSite *self, GError **error)
{
  const UlEthernet *ethernet = &self->ethernet;
  const char *stray;

  if (self->platform == UL_PLATFORM_SMBC)
    {
      if (ethernet_is_empty (ethernet))
        return TRUE;

      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ethernet",
                          _("Not used on SMBC: the embedded gateway uses the network "
                            "settings of the SMB Controller"));
      return FALSE;
    }

  switch (ethernet->method)
    {
    case UL_ETHERNET_DHCP:
      stray = ethernet_first_static_field (ethernet);
      if (stray != NULL)
        {
          g_autofree char *field = g_strconcat ("ethernet.", stray, NULL);

          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                              _("Only used with a static configuration; leave it empty with DHCP"));
          return FALSE;
        }
      return TRUE;

    case UL_ETHERNET_STATIC:
      return ul_validate_static_ipv4 (ethernet->address, ethernet->netmask, ethernet->gateway,
                                      (const char * const *) ethernet->dns, "ethernet", error);

    case UL_ETHERNET_UNKNOWN:
    default:
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ethernet.method",
                          _("Choose DHCP or a static configuration"));
      return FALSE;
    }
}

gboolean
ul_site_validate (const UlSite *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!ul_validate_text (self->name, UL_TEXT_MAX, "name", error))
    return FALSE;

  if (!ul_address_validate (self->address, error))
    {
      ul_error_prefix_field (error, "address");
      return FALSE;
    }

  if (self->platform == UL_PLATFORM_UNKNOWN)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "platform",
                          _("Choose the platform: standalone, smbc or virtual"));
      return FALSE;
    }

  return validate_ethernet (self, error);
}
