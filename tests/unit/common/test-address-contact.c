/* test-address-contact.c — UlAddress and UlContact. */
#include "config.h"

#include "ul-address.h"
#include "ul-contact.h"
#include "ul-test-common.h"
#include "ul-validate.h"

static UlAddress *
make_address (void)
{
  UlAddress *address = ul_address_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (ul_address_apply (address,
                                   g_variant_new_parsed ("{'street': <'Bahnhofstrasse 1'>,"
                                                         " 'city': <'Zürich'>,"
                                                         " 'region': <'ZH'>,"
                                                         " 'postalCode': <'8001'>,"
                                                         " 'country': <'CH'>}"),
                                   &error));
  g_assert_no_error (error);
  return address;
}

static void
assert_address_invalid (UlAddress *address, const char *field)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (ul_address_validate (address, &error));
  ul_assert_field_error (error, field);
}

static void
test_address_validate (void)
{
  g_autoptr (UlAddress) address = make_address ();
  g_autoptr (UlAddress) empty = ul_address_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (ul_address_validate (address, &error));
  g_assert_no_error (error);
  assert_address_invalid (empty, "street");

  /* The region is optional … */
  g_clear_pointer (&address->region, g_free);
  g_assert_true (ul_address_validate (address, NULL));
  address->region = g_strdup ("");
  g_assert_true (ul_address_validate (address, NULL));
  /* … but follows the text rules when given. */
  g_free (address->region);
  address->region = g_strdup ("Z\tH");
  assert_address_invalid (address, "region");
  g_clear_pointer (&address->region, g_free);

  g_clear_pointer (&address->city, g_free);
  assert_address_invalid (address, "city");
  address->city = g_strdup ("Zürich");

  g_free (address->postal_code);
  address->postal_code = g_strdup ("8001!");
  assert_address_invalid (address, "postalCode");
  g_free (address->postal_code);
  address->postal_code = g_strdup ("12345678901234567");
  assert_address_invalid (address, "postalCode");
  g_free (address->postal_code);
  address->postal_code = g_strdup ("SW1A 1AA");
  g_assert_true (ul_address_validate (address, NULL));
  g_clear_pointer (&address->postal_code, g_free);
  assert_address_invalid (address, "postalCode");
  address->postal_code = g_strdup ("8001");

  g_free (address->country);
  address->country = g_strdup ("ch");
  assert_address_invalid (address, "country");
  g_clear_pointer (&address->country, g_free);
  assert_address_invalid (address, "country");
}

static void
test_address_apply (void)
{
  g_autoptr (UlAddress) address = make_address ();
  g_autoptr (UlAddress) before = ul_address_copy (address);
  g_autoptr (GError) error = NULL;

  /* Merge: only the keys present change. */
  g_assert_true (ul_address_apply (address, g_variant_new_parsed ("{'city': <'Bern'>}"), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (address->city, ==, "Bern");
  g_assert_cmpstr (address->street, ==, "Bahnhofstrasse 1");
  g_assert_false (ul_address_equal (address, before));

  g_clear_pointer (&before, ul_address_free);
  before = ul_address_copy (address);

  /* A wrong type or an unknown key fails and changes nothing, even after good keys. */
  g_assert_false (ul_address_apply (address, g_variant_new_parsed ("{'street': <'New 2'>,"
                                                                   " 'city': <42>}"),
                                    &error));
  ul_assert_field_error (error, "city");
  g_assert_true (ul_address_equal (address, before));
  g_clear_error (&error);

  g_assert_false (ul_address_apply (address, g_variant_new_parsed ("{'street': <'New 2'>,"
                                                                   " 'zip': <'3000'>}"),
                                    &error));
  ul_assert_field_error (error, "zip");
  g_assert_true (ul_address_equal (address, before));
}

static void
test_address_round_trip (void)
{
  g_autoptr (UlAddress) address = make_address ();
  g_autoptr (UlAddress) back = ul_address_new ();
  g_autoptr (GVariant) variant = ul_address_to_variant (address);
  const char *value = NULL;

  g_assert_true (g_variant_is_floating (variant));
  g_variant_ref_sink (variant);
  g_assert_true (g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT));
  g_assert_true (g_variant_lookup (variant, "postalCode", "&s", &value));
  g_assert_cmpstr (value, ==, "8001");

  g_assert_true (ul_address_apply (back, variant, NULL));
  g_assert_true (ul_address_equal (address, back));

  /* Unset fields are left out, not sent as "". */
  g_clear_pointer (&address->region, g_free);
  g_clear_pointer (&variant, g_variant_unref);
  variant = g_variant_ref_sink (ul_address_to_variant (address));
  g_assert_false (g_variant_lookup (variant, "region", "&s", &value));
}

static void
test_address_boxed (void)
{
  g_autoptr (UlAddress) address = make_address ();
  UlAddress *copy = g_boxed_copy (UL_TYPE_ADDRESS, address);

  g_assert_true (G_TYPE_IS_BOXED (UL_TYPE_ADDRESS));
  g_assert_true (copy != address);
  g_assert_true (ul_address_equal (copy, address));
  g_assert_true (ul_address_equal (NULL, NULL));
  g_assert_false (ul_address_equal (copy, NULL));
  g_boxed_free (UL_TYPE_ADDRESS, copy);
}

static void
test_contact_from_variant (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (UlContact) support = NULL;
  g_autoptr (UlContact) admin = NULL;
  UlContact *bad;

  support = ul_contact_from_variant (g_variant_new_parsed ("{'role': <'onsiteAdmin'>,"
                                                           " 'name': <'Olga'>,"
                                                           " 'email': <'olga@example.com'>}"),
                                     TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (support->role, ==, UL_SUPPORT_ROLE_ONSITE_ADMIN);
  g_assert_cmpstr (support->name, ==, "Olga");
  g_assert_cmpstr (support->email, ==, "olga@example.com");

  admin = ul_contact_from_variant (g_variant_new_parsed ("{'name': <'Ada'>,"
                                                         " 'email': <'ada@example.com'>}"),
                                   FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (admin->role, ==, UL_SUPPORT_ROLE_UNKNOWN);

  /* Admin contacts have no role. */
  bad = ul_contact_from_variant (g_variant_new_parsed ("{'role': <'other'>, 'name': <'Ada'>}"),
                                 FALSE, &error);
  g_assert_null (bad);
  ul_assert_field_error (error, "role");
  g_clear_error (&error);

  bad = ul_contact_from_variant (g_variant_new_parsed ("{'role': <'boss'>}"), TRUE, &error);
  g_assert_null (bad);
  ul_assert_field_error (error, "role");
  g_clear_error (&error);

  bad = ul_contact_from_variant (g_variant_new_parsed ("{'role': <'unknown'>}"), TRUE, &error);
  g_assert_null (bad);
  ul_assert_field_error (error, "role");
  g_clear_error (&error);

  bad = ul_contact_from_variant (g_variant_new_parsed ("{'role': <1>}"), TRUE, &error);
  g_assert_null (bad);
  ul_assert_field_error (error, "role");
  g_clear_error (&error);

  bad = ul_contact_from_variant (g_variant_new_parsed ("{'email': <['a@example.com']>}"), TRUE,
                                 &error);
  g_assert_null (bad);
  ul_assert_field_error (error, "email");
  g_clear_error (&error);

  bad = ul_contact_from_variant (g_variant_new_parsed ("{'phone': <'+41441234567'>}"), TRUE,
                                 &error);
  g_assert_null (bad);
  ul_assert_field_error (error, "phone");
}

static void
test_contact_validate (void)
{
  g_autoptr (UlContact) contact = ul_contact_new (UL_SUPPORT_ROLE_MAINTAINER, "Max",
                                                  "max@example.com");
  g_autoptr (GError) error = NULL;

  g_assert_true (ul_contact_validate (contact, TRUE, &error));
  g_assert_no_error (error);

  contact->role = UL_SUPPORT_ROLE_UNKNOWN;
  g_assert_false (ul_contact_validate (contact, TRUE, &error));
  ul_assert_field_error (error, "role");
  g_clear_error (&error);
  /* Without a role (an admin contact) that is fine. */
  g_assert_true (ul_contact_validate (contact, FALSE, NULL));

  g_clear_pointer (&contact->name, g_free);
  g_assert_false (ul_contact_validate (contact, FALSE, &error));
  ul_assert_field_error (error, "name");
  g_clear_error (&error);
  contact->name = g_strdup ("Max");

  g_free (contact->email);
  contact->email = g_strdup ("max@example");
  g_assert_false (ul_contact_validate (contact, FALSE, &error));
  ul_assert_field_error (error, "email");
  g_clear_error (&error);

  g_clear_pointer (&contact->email, g_free);
  g_assert_false (ul_contact_validate (contact, FALSE, &error));
  ul_assert_field_error (error, "email");
}

static void
test_contact_round_trip (void)
{
  g_autoptr (UlContact) contact = ul_contact_new (UL_SUPPORT_ROLE_OTHER, "Otto",
                                                  "otto@example.com");
  g_autoptr (GVariant) with_role = g_variant_ref_sink (ul_contact_to_variant (contact, TRUE));
  g_autoptr (GVariant) without_role = g_variant_ref_sink (ul_contact_to_variant (contact, FALSE));
  g_autoptr (UlContact) back = NULL;
  g_autoptr (UlContact) copy = ul_contact_copy (contact);
  const char *role = NULL;

  g_assert_true (g_variant_lookup (with_role, "role", "&s", &role));
  g_assert_cmpstr (role, ==, "other");
  g_assert_false (g_variant_lookup (without_role, "role", "&s", &role));

  back = ul_contact_from_variant (with_role, TRUE, NULL);
  g_assert_true (ul_contact_equal (contact, back));
  g_assert_true (ul_contact_equal (contact, copy));
  copy->role = UL_SUPPORT_ROLE_MAINTAINER;
  g_assert_false (ul_contact_equal (contact, copy));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/common/address/validate", test_address_validate);
  g_test_add_func ("/uplink/common/address/apply", test_address_apply);
  g_test_add_func ("/uplink/common/address/round-trip", test_address_round_trip);
  g_test_add_func ("/uplink/common/address/boxed", test_address_boxed);
  g_test_add_func ("/uplink/common/contact/from-variant", test_contact_from_variant);
  g_test_add_func ("/uplink/common/contact/validate", test_contact_validate);
  g_test_add_func ("/uplink/common/contact/round-trip", test_contact_round_trip);

  return g_test_run ();
}
