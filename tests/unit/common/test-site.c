/* test-site.c — UlSite: platforms, Ethernet rules, apply, round trip. */
#include "config.h"

#include "ul-site.h"
#include "ul-test-common.h"

#define SITE_BASE \
  "'name': <'Acme HQ'>," \
  " 'address': <{'street': <'Bahnhofstrasse 1'>, 'city': <'Zürich'>, 'postalCode': <'8001'>," \
  "              'country': <'CH'>}>"

/* The rest of a standalone or virtual site with a static configuration. */
#define STATIC_SITE(platform) ", 'platform': <'" platform "'>, 'ethernet': <" STATIC_ETHERNET ">"
#define DHCP_SITE(platform) ", 'platform': <'" platform "'>, 'ethernet': <{'method': <'dhcp'>}>"

#define STATIC_ETHERNET \
  "{'method': <'static'>, 'address': <'192.168.1.10'>, 'netmask': <'255.255.255.0'>," \
  " 'gateway': <'192.168.1.1'>, 'dns': <['192.168.1.1', '9.9.9.9']>}"

static UlSite *
make_site (const char *rest)
{
  UlSite *site = ul_site_new ();
  g_autofree char *text = g_strdup_printf ("{" SITE_BASE "%s}", rest);
  g_autoptr (GError) error = NULL;

  g_assert_true (ul_site_apply (site, g_variant_new_parsed (text), &error));
  g_assert_no_error (error);
  return site;
}

static void
assert_site_valid (const char *rest)
{
  g_autoptr (UlSite) site = make_site (rest);
  g_autoptr (GError) error = NULL;

  g_test_message ("valid: %s", rest);
  g_assert_true (ul_site_validate (site, &error));
  g_assert_no_error (error);
}

static void
assert_site_invalid (const char *rest, const char *field)
{
  g_autoptr (UlSite) site = make_site (rest);
  g_autoptr (GError) error = NULL;

  g_test_message ("invalid: %s", rest);
  g_assert_false (ul_site_validate (site, &error));
  ul_assert_field_error (error, field);
}

static void
assert_apply_fails (UlSite *site, const char *changes, const char *field)
{
  g_autoptr (UlSite) before = ul_site_copy (site);
  g_autoptr (GError) error = NULL;

  g_test_message ("apply %s", changes);
  g_assert_false (ul_site_apply (site, g_variant_new_parsed (changes), &error));
  ul_assert_field_error (error, field);
  g_assert_true (ul_site_equal (site, before));
}

static void
test_valid (void)
{
  assert_site_valid (", 'platform': <'standalone'>, 'ethernet': <{'method': <'dhcp'>}>");
  assert_site_valid (", 'platform': <'virtual'>, 'ethernet': <{'method': <'dhcp'>}>");
  assert_site_valid (", 'platform': <'standalone'>, 'ethernet': <" STATIC_ETHERNET ">");
  assert_site_valid (", 'platform': <'virtual'>, 'ethernet': <" STATIC_ETHERNET ">");
  assert_site_valid (", 'platform': <'smbc'>");
  assert_site_valid (", 'platform': <'smbc'>, 'ethernet': <@a{sv} {}>");
}

static void
test_invalid (void)
{
  g_autoptr (UlSite) site = ul_site_new ();
  g_autoptr (GError) error = NULL;

  g_assert_false (ul_site_validate (site, &error));
  ul_assert_field_error (error, "name");

  assert_site_invalid ("", "platform");
  assert_site_invalid (", 'name': <''>, 'platform': <'smbc'>", "name");
  assert_site_invalid (", 'address': <{'country': <'XX'>}>, 'platform': <'smbc'>",
                       "address.country");
  assert_site_invalid (", 'address': <{'city': <''>}>, 'platform': <'smbc'>", "address.city");

  /* SMBC: the embedded gateway has no Ethernet settings of its own. */
  assert_site_invalid (", 'platform': <'smbc'>, 'ethernet': <{'method': <'dhcp'>}>", "ethernet");
  assert_site_invalid (", 'platform': <'smbc'>, 'ethernet': <" STATIC_ETHERNET ">", "ethernet");
  assert_site_invalid (", 'platform': <'smbc'>, 'ethernet': <{'dns': <['9.9.9.9']>}>", "ethernet");

  /* Standalone and virtual: DHCP or static is required. */
  assert_site_invalid (", 'platform': <'standalone'>", "ethernet.method");
  assert_site_invalid (", 'platform': <'virtual'>, 'ethernet': <@a{sv} {}>", "ethernet.method");
  assert_site_invalid (", 'platform': <'standalone'>, 'ethernet': <{'address': <'192.168.1.10'>}>",
                       "ethernet.method");

  /* DHCP carries no static addresses. */
  assert_site_invalid (", 'platform': <'standalone'>,"
                       " 'ethernet': <{'method': <'dhcp'>, 'address': <'192.168.1.10'>}>",
                       "ethernet.address");
  assert_site_invalid (", 'platform': <'standalone'>,"
                       " 'ethernet': <{'method': <'dhcp'>, 'dns': <['9.9.9.9']>}>",
                       "ethernet.dns");
  assert_site_valid (", 'platform': <'standalone'>,"
                     " 'ethernet': <{'method': <'dhcp'>, 'address': <''>, 'dns': <@as []>}>");

  /* Static needs every field, each valid (the rules themselves: test-validate). */
  assert_site_invalid (", 'platform': <'standalone'>, 'ethernet': <{'method': <'static'>}>",
                       "ethernet.address");
  assert_site_invalid (", 'platform': <'standalone'>,"
                       " 'ethernet': <{'method': <'static'>, 'address': <'192.168.1.10'>,"
                       "               'netmask': <'255.255.255.0'>, 'dns': <['9.9.9.9']>}>",
                       "ethernet.gateway");
  assert_site_invalid (", 'platform': <'standalone'>,"
                       " 'ethernet': <{'method': <'static'>, 'address': <'192.168.1.10'>,"
                       "               'netmask': <'255.255.255.0'>, 'gateway': <'192.168.1.1'>}>",
                       "ethernet.dns");
  assert_site_invalid (", 'platform': <'standalone'>,"
                       " 'ethernet': <{'method': <'static'>, 'address': <'192.168.1.10'>,"
                       "               'netmask': <'255.255.255.0'>, 'gateway': <'192.168.2.1'>,"
                       "               'dns': <['9.9.9.9']>}>",
                       "ethernet.gateway");
  assert_site_invalid (", 'platform': <'standalone'>,"
                       " 'ethernet': <{'method': <'static'>, 'address': <'192.168.1.10'>,"
                       "               'netmask': <'255.255.255.0'>, 'gateway': <'192.168.1.1'>,"
                       "               'dns': <['9.9.9.9', 'nameserver']>}>",
                       "ethernet.dns[1]");
}

static void
test_apply_refused (void)
{
  g_autoptr (UlSite) site = make_site (STATIC_SITE ("standalone"));

  assert_apply_fails (site, "{'name': <'New'>, 'platform': <'mainframe'>}", "platform");
  assert_apply_fails (site, "{'platform': <'unknown'>}", "platform");
  assert_apply_fails (site, "{'platform': <1>}", "platform");
  assert_apply_fails (site, "{'name': <'New'>, 'floor': <3>}", "floor");
  assert_apply_fails (site, "{'address': <{'postcode': <'8001'>}>}", "address.postcode");
  assert_apply_fails (site, "{'ethernet': <'dhcp'>}", "ethernet");
  assert_apply_fails (site, "{'ethernet': <{'method': <'auto'>}>}", "ethernet.method");
  assert_apply_fails (site, "{'ethernet': <{'method': <'dhcp'>, 'mtu': <1500>}>}", "ethernet.mtu");
  assert_apply_fails (site, "{'ethernet': <{'method': <'static'>, 'dns': <'9.9.9.9'>}>}",
                      "ethernet.dns");
  assert_apply_fails (site, "{'ethernet': <{'method': <'static'>, 'gateway': <[192, 168, 1, 1]>}>}",
                      "ethernet.gateway");
}

static void
test_apply_ethernet_replaces (void)
{
  g_autoptr (UlSite) site = make_site (STATIC_SITE ("standalone"));
  g_autoptr (GError) error = NULL;

  /* Switching to DHCP drops the static fields … */
  g_assert_true (ul_site_apply (site, g_variant_new_parsed ("{'ethernet': <{'method': <'dhcp'>}>}"),
                                &error));
  g_assert_no_error (error);
  g_assert_cmpint (site->ethernet.method, ==, UL_ETHERNET_DHCP);
  g_assert_null (site->ethernet.address);
  g_assert_null (site->ethernet.dns);
  g_assert_true (ul_site_validate (site, NULL));

  /* … and moving to SMBC with an empty record clears it. */
  g_assert_true (ul_site_apply (site,
                                g_variant_new_parsed ("{'platform': <'smbc'>,"
                                                      " 'ethernet': <@a{sv} {}>}"),
                                &error));
  g_assert_no_error (error);
  g_assert_cmpint (site->ethernet.method, ==, UL_ETHERNET_UNKNOWN);
  g_assert_true (ul_site_validate (site, &error));
  g_assert_no_error (error);

  /* The address merges like everywhere else. */
  g_assert_true (ul_site_apply (site, g_variant_new_parsed ("{'address': <{'city': <'Bern'>}>}"),
                                &error));
  g_assert_cmpstr (site->address->city, ==, "Bern");
  g_assert_cmpstr (site->address->street, ==, "Bahnhofstrasse 1");
}

static void
assert_round_trip (UlSite *site)
{
  g_autoptr (UlSite) back = ul_site_new ();
  g_autoptr (GVariant) variant = ul_site_to_variant (site);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_variant_is_floating (variant));
  g_variant_ref_sink (variant);
  g_assert_true (g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT));
  g_assert_true (ul_site_apply (back, variant, &error));
  g_assert_no_error (error);
  g_assert_true (ul_site_equal (site, back));
}

static void
test_round_trip (void)
{
  g_autoptr (UlSite) static_site = make_site (STATIC_SITE ("virtual"));
  g_autoptr (UlSite) dhcp_site = make_site (DHCP_SITE ("standalone"));
  g_autoptr (UlSite) smbc_site = make_site (", 'platform': <'smbc'>");
  g_autoptr (UlSite) empty = ul_site_new ();
  g_autoptr (GVariant) variant = NULL;
  g_autoptr (GVariant) ethernet = NULL;
  const char *str = NULL;

  assert_round_trip (static_site);
  assert_round_trip (dhcp_site);
  assert_round_trip (smbc_site);
  assert_round_trip (empty);

  variant = g_variant_ref_sink (ul_site_to_variant (static_site));
  g_assert_true (g_variant_lookup (variant, "platform", "&s", &str));
  g_assert_cmpstr (str, ==, "virtual");
  ethernet = g_variant_lookup_value (variant, "ethernet", G_VARIANT_TYPE_VARDICT);
  g_assert_nonnull (ethernet);
  g_assert_true (g_variant_lookup (ethernet, "gateway", "&s", &str));
  g_assert_cmpstr (str, ==, "192.168.1.1");

  /* No platform and no Ethernet yet: left out, not "unknown". */
  g_clear_pointer (&variant, g_variant_unref);
  variant = g_variant_ref_sink (ul_site_to_variant (smbc_site));
  g_clear_pointer (&ethernet, g_variant_unref);
  ethernet = g_variant_lookup_value (variant, "ethernet", NULL);
  g_assert_null (ethernet);
  g_clear_pointer (&variant, g_variant_unref);
  variant = g_variant_ref_sink (ul_site_to_variant (empty));
  g_assert_false (g_variant_lookup (variant, "platform", "&s", &str));
}

static void
test_copy_equal (void)
{
  g_autoptr (UlSite) site = make_site (STATIC_SITE ("standalone"));
  g_autoptr (UlSite) copy = ul_site_copy (site);

  g_assert_true (ul_site_equal (site, copy));
  g_assert_true (copy->ethernet.dns != site->ethernet.dns);
  g_free (copy->ethernet.dns[1]);
  copy->ethernet.dns[1] = g_strdup ("1.1.1.1");
  g_assert_false (ul_site_equal (site, copy));

  /* No DNS list and an empty one are the same configuration. */
  g_clear_pointer (&site->ethernet.dns, g_strfreev);
  g_strfreev (copy->ethernet.dns);
  copy->ethernet.dns = g_new0 (char *, 1);
  g_assert_true (ul_site_equal (site, copy));
  g_assert_true (G_TYPE_IS_BOXED (UL_TYPE_SITE));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/common/site/valid", test_valid);
  g_test_add_func ("/uplink/common/site/invalid", test_invalid);
  g_test_add_func ("/uplink/common/site/apply-refused", test_apply_refused);
  g_test_add_func ("/uplink/common/site/apply-ethernet-replaces", test_apply_ethernet_replaces);
  g_test_add_func ("/uplink/common/site/round-trip", test_round_trip);
  g_test_add_func ("/uplink/common/site/copy-equal", test_copy_equal);

  return g_test_run ();
}
