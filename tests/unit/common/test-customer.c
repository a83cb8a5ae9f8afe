/* test-customer.c — UlCustomer: apply, validate, round trip. */
#include "config.h"

#include "ul-customer.h"
#include "ul-test-common.h"

/* One support or admin contact in GVariant text form. */
#define SUPPORT(role, name, email) \
  "{'role': <'" role "'>, 'name': <'" name "'>, 'email': <'" email "'>}"
#define ADMIN(name, email) "{'name': <'" name "'>, 'email': <'" email "'>}"

#define VALID_CUSTOMER \
  "{'name': <'Acme AG'>," \
  " 'address': <{'street': <'Bahnhofstrasse 1'>, 'city': <'Zürich'>, 'postalCode': <'8001'>," \
  "              'country': <'CH'>}>," \
  " 'businessType': <'manufacturing'>," \
  " 'language': <'de'>," \
  " 'adminContacts': <[" ADMIN ("Ada", "ada@acme.example") "]>," \
  " 'supportContacts': <[" SUPPORT ("maintainer", "Max", "max@partner.example") "," \
  SUPPORT ("onsiteAdmin", "Olga", "olga@acme.example") "]>}"

static UlCustomer *
make_customer (void)
{
  UlCustomer *customer = ul_customer_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (ul_customer_apply (customer, g_variant_new_parsed (VALID_CUSTOMER), &error));
  g_assert_no_error (error);
  g_assert_true (ul_customer_validate (customer, &error));
  g_assert_no_error (error);
  return customer;
}

static void
assert_apply_fails (UlCustomer *customer, const char *changes, const char *field)
{
  g_autoptr (UlCustomer) before = ul_customer_copy (customer);
  g_autoptr (GError) error = NULL;

  g_test_message ("apply %s", changes);
  g_assert_false (ul_customer_apply (customer, g_variant_new_parsed (changes), &error));
  ul_assert_field_error (error, field);
  /* Atomic: nothing of a refused change sticks. */
  g_assert_true (ul_customer_equal (customer, before));
}

/* Applies @changes to a copy of a valid customer and expects validate to fail on @field. */
static void
assert_invalid_with (const char *changes, const char *field)
{
  g_autoptr (UlCustomer) customer = make_customer ();
  g_autoptr (GError) error = NULL;

  g_test_message ("validate after %s", changes);
  g_assert_true (ul_customer_apply (customer, g_variant_new_parsed (changes), &error));
  g_assert_no_error (error);
  g_assert_false (ul_customer_validate (customer, &error));
  ul_assert_field_error (error, field);
}

static void
assert_valid_with (const char *changes)
{
  g_autoptr (UlCustomer) customer = make_customer ();
  g_autoptr (GError) error = NULL;

  g_test_message ("valid after %s", changes);
  g_assert_true (ul_customer_apply (customer, g_variant_new_parsed (changes), &error));
  g_assert_no_error (error);
  g_assert_true (ul_customer_validate (customer, &error));
  g_assert_no_error (error);
}

static void
test_new (void)
{
  g_autoptr (UlCustomer) customer = ul_customer_new ();
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (customer->address);
  g_assert_cmpuint (customer->admin_contacts->len, ==, 0);
  g_assert_cmpuint (customer->support_contacts->len, ==, 0);
  g_assert_cmpint (customer->state, ==, UL_CUSTOMER_STATE_ACTIVE);
  g_assert_null (customer->account_id);

  g_assert_false (ul_customer_validate (customer, &error));
  ul_assert_field_error (error, "name");
}

static void
test_validate_fields (void)
{
  assert_invalid_with ("{'name': <''>}", "name");
  assert_invalid_with ("{'name': <'  '>}", "name");
  assert_invalid_with ("{'address': <{'postalCode': <''>}>}", "address.postalCode");
  assert_invalid_with ("{'address': <{'street': <''>}>}", "address.street");
  assert_invalid_with ("{'address': <{'country': <'ch'>}>}", "address.country");
  assert_invalid_with ("{'businessType': <'banking'>}", "businessType");
  assert_invalid_with ("{'businessType': <''>}", "businessType");
  assert_invalid_with ("{'language': <'klingon'>}", "language");
  assert_invalid_with ("{'language': <''>}", "language");
  assert_valid_with ("{'address': <{'region': <'Zürich'>}>}");
}

static void
test_validate_admin_contacts (void)
{
  /* Any number, including none. */
  assert_valid_with ("{'adminContacts': <@aa{sv} []>}");
  assert_valid_with ("{'adminContacts': <[" ADMIN ("A", "a@acme.example") ","
                     ADMIN ("B", "b@acme.example") "]>}");
  assert_invalid_with ("{'adminContacts': <[" ADMIN ("A", "a@acme") "]>}",
                       "adminContacts[0].email");
  assert_invalid_with ("{'adminContacts': <[" ADMIN ("A", "a@acme.example") ","
                       "{'email': <'b@acme.example'>}]>}",
                       "adminContacts[1].name");
  /* The same mailbox twice, whatever the case. */
  assert_invalid_with ("{'adminContacts': <[" ADMIN ("A", "a@acme.example") ","
                       ADMIN ("B", "b@acme.example") ","
                       ADMIN ("A2", "A@ACME.example") "]>}",
                       "adminContacts[2].email");
}

static void
test_validate_support_contacts (void)
{
  assert_invalid_with ("{'supportContacts': <@aa{sv} []>}", "supportContacts");
  assert_invalid_with ("{'supportContacts': <[" SUPPORT ("maintainer", "M", "m@p.example") "]>}",
                       "supportContacts");
  assert_invalid_with ("{'supportContacts': <[" SUPPORT ("onsiteAdmin", "O", "o@p.example") ","
                       SUPPORT ("other", "X", "x@p.example") "]>}",
                       "supportContacts");
  assert_invalid_with ("{'supportContacts': <[" SUPPORT ("maintainer", "M", "m@p.example") ","
                       SUPPORT ("onsiteAdmin", "O", "o@@p.example") "]>}",
                       "supportContacts[1].email");
  /* A support contact without a role. */
  assert_invalid_with ("{'supportContacts': <[" ADMIN ("M", "m@p.example") ","
                       SUPPORT ("maintainer", "M", "m2@p.example") ","
                       SUPPORT ("onsiteAdmin", "O", "o@p.example") "]>}",
                       "supportContacts[0].role");
  /* The same person twice in one role … */
  assert_invalid_with ("{'supportContacts': <[" SUPPORT ("maintainer", "M", "m@p.example") ","
                       SUPPORT ("onsiteAdmin", "O", "o@p.example") ","
                       SUPPORT ("maintainer", "M", "M@P.example") "]>}",
                       "supportContacts[2].email");
  /* … but one person in two roles is fine. */
  assert_valid_with ("{'supportContacts': <[" SUPPORT ("maintainer", "M", "m@p.example") ","
                     SUPPORT ("onsiteAdmin", "M", "m@p.example") "]>}");
  assert_valid_with ("{'supportContacts': <[" SUPPORT ("maintainer", "M", "m@p.example") ","
                     SUPPORT ("maintainer", "N", "n@p.example") ","
                     SUPPORT ("other", "X", "x@p.example") ","
                     SUPPORT ("onsiteAdmin", "O", "o@p.example") "]>}");
}

static void
test_validate_account_id (void)
{
  g_autoptr (UlCustomer) customer = make_customer ();
  g_autoptr (GError) error = NULL;

  customer->account_id = g_strdup ("100042");
  g_assert_true (ul_customer_validate (customer, NULL));
  g_free (customer->account_id);
  customer->account_id = g_strdup ("ACME-1");
  g_assert_false (ul_customer_validate (customer, &error));
  ul_assert_field_error (error, "accountId");
}

static void
test_apply_merge (void)
{
  g_autoptr (UlCustomer) customer = make_customer ();
  g_autoptr (GError) error = NULL;
  const UlContact *contact;

  /* A nested record merges; a list replaces. */
  g_assert_true (ul_customer_apply (customer,
                                    g_variant_new_parsed ("{'address': <{'city': <'Bern'>}>,"
                                                          " 'adminContacts': <["
                                                          ADMIN ("Bea", "bea@acme.example") "]>}"),
                                    &error));
  g_assert_no_error (error);
  g_assert_cmpstr (customer->address->city, ==, "Bern");
  g_assert_cmpstr (customer->address->street, ==, "Bahnhofstrasse 1");
  g_assert_cmpuint (customer->admin_contacts->len, ==, 1);
  contact = g_ptr_array_index (customer->admin_contacts, 0);
  g_assert_cmpstr (contact->name, ==, "Bea");
  g_assert_cmpuint (customer->support_contacts->len, ==, 2);
  g_assert_cmpstr (customer->name, ==, "Acme AG");
}

static void
test_apply_refused (void)
{
  g_autoptr (UlCustomer) customer = make_customer ();

  assert_apply_fails (customer, "{'name': <'New'>, 'colour': <'red'>}", "colour");
  assert_apply_fails (customer, "{'name': <42>}", "name");
  assert_apply_fails (customer, "{'name': <'New'>, 'language': <['de']>}", "language");
  assert_apply_fails (customer, "{'address': <'Bahnhofstrasse 1, Zürich'>}", "address");
  assert_apply_fails (customer,
                      "{'name': <'New'>, 'address': <{'city': <'Bern'>, 'zip': <'3000'>}>}",
                      "address.zip");
  assert_apply_fails (customer, "{'address': <{'city': <3000>}>}", "address.city");
  assert_apply_fails (customer, "{'supportContacts': <['max@partner.example']>}",
                      "supportContacts");
  assert_apply_fails (customer, "{'adminContacts': <{'name': <'A'>}>}", "adminContacts");
  assert_apply_fails (customer,
                      "{'name': <'New'>,"
                      " 'supportContacts': <[" SUPPORT ("maintainer", "M", "m@p.example") ","
                      SUPPORT ("boss", "B", "b@p.example") "]>}",
                      "supportContacts[1].role");
  assert_apply_fails (customer, "{'adminContacts': <[{'name': <'A'>, 'phone': <'+41441234567'>}]>}",
                      "adminContacts[0].phone");
  assert_apply_fails (customer, "{'adminContacts': <[{'name': <'A'>, 'role': <'maintainer'>}]>}",
                      "adminContacts[0].role");
}

static void
test_apply_read_only (void)
{
  g_autoptr (UlCustomer) customer = make_customer ();
  g_autoptr (GError) error = NULL;

  customer->account_id = g_strdup ("100042");

  assert_apply_fails (customer, "{'accountId': <'100043'>}", "accountId");
  assert_apply_fails (customer, "{'accountId': <100042>}", "accountId");
  assert_apply_fails (customer, "{'state': <'deactivated'>}", "state");
  assert_apply_fails (customer, "{'name': <'New'>, 'state': <'paused'>}", "state");

  /* Sending back the values read is fine (get → edit → set). */
  g_assert_true (ul_customer_apply (customer,
                                    g_variant_new_parsed ("{'accountId': <'100042'>,"
                                                          " 'state': <'active'>,"
                                                          " 'name': <'Acme Holding AG'>}"),
                                    &error));
  g_assert_no_error (error);
  g_assert_cmpstr (customer->name, ==, "Acme Holding AG");
  g_assert_cmpstr (customer->account_id, ==, "100042");

  /* A new customer has no account ID yet: none may be set. */
  {
    g_autoptr (UlCustomer) fresh = ul_customer_new ();

    assert_apply_fails (fresh, "{'accountId': <'1'>}", "accountId");
  }
}

static void
test_round_trip (void)
{
  g_autoptr (UlCustomer) customer = make_customer ();
  g_autoptr (UlCustomer) back = ul_customer_new ();
  g_autoptr (GVariant) variant = NULL;
  g_autoptr (GVariant) contacts = NULL;
  g_autoptr (GError) error = NULL;
  const char *str = NULL;

  customer->account_id = g_strdup ("100042");
  customer->state = UL_CUSTOMER_STATE_DEACTIVATED;

  variant = ul_customer_to_variant (customer);
  g_assert_true (g_variant_is_floating (variant));
  g_variant_ref_sink (variant);
  g_assert_true (g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT));
  g_assert_true (g_variant_lookup (variant, "accountId", "&s", &str));
  g_assert_cmpstr (str, ==, "100042");
  g_assert_true (g_variant_lookup (variant, "state", "&s", &str));
  g_assert_cmpstr (str, ==, "deactivated");
  g_assert_true (g_variant_lookup (variant, "businessType", "&s", &str));
  contacts = g_variant_lookup_value (variant, "supportContacts", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (contacts);
  g_assert_cmpuint (g_variant_n_children (contacts), ==, 2);

  /* The read-only values are the gateway's; the rest comes back equal. */
  back->account_id = g_strdup ("100042");
  back->state = UL_CUSTOMER_STATE_DEACTIVATED;
  g_assert_true (ul_customer_apply (back, variant, &error));
  g_assert_no_error (error);
  g_assert_true (ul_customer_equal (customer, back));
}

static void
test_copy_equal (void)
{
  g_autoptr (UlCustomer) customer = make_customer ();
  g_autoptr (UlCustomer) copy = ul_customer_copy (customer);
  UlContact *contact;

  g_assert_true (ul_customer_equal (customer, copy));
  g_assert_true (copy->address != customer->address);
  g_assert_true (copy->support_contacts->pdata[0] != customer->support_contacts->pdata[0]);

  contact = g_ptr_array_index (copy->support_contacts, 1);
  g_free (contact->email);
  contact->email = g_strdup ("someone@else.example");
  g_assert_false (ul_customer_equal (customer, copy));

  g_assert_true (G_TYPE_IS_BOXED (UL_TYPE_CUSTOMER));
}

static void
test_find (void)
{
  g_autoptr (UlCustomer) customer = make_customer ();

  g_assert_cmpint (ul_customer_find_admin (customer, "ADA@acme.example"), ==, 0);
  g_assert_cmpint (ul_customer_find_admin (customer, "max@partner.example"), ==, -1);
  g_assert_cmpint (ul_customer_find_admin (customer, NULL), ==, -1);
  g_assert_cmpint (ul_customer_find_support (customer, UL_SUPPORT_ROLE_ONSITE_ADMIN,
                                             "Olga@Acme.Example"), ==, 1);
  g_assert_cmpint (ul_customer_find_support (customer, UL_SUPPORT_ROLE_MAINTAINER,
                                             "olga@acme.example"), ==, -1);
  g_assert_cmpint (ul_customer_find_support (customer, UL_SUPPORT_ROLE_MAINTAINER,
                                             "max@partner.example"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/common/customer/new", test_new);
  g_test_add_func ("/uplink/common/customer/validate-fields", test_validate_fields);
  g_test_add_func ("/uplink/common/customer/validate-admin-contacts", test_validate_admin_contacts);
  g_test_add_func ("/uplink/common/customer/validate-support-contacts",
                   test_validate_support_contacts);
  g_test_add_func ("/uplink/common/customer/validate-account-id", test_validate_account_id);
  g_test_add_func ("/uplink/common/customer/apply-merge", test_apply_merge);
  g_test_add_func ("/uplink/common/customer/apply-refused", test_apply_refused);
  g_test_add_func ("/uplink/common/customer/apply-read-only", test_apply_read_only);
  g_test_add_func ("/uplink/common/customer/round-trip", test_round_trip);
  g_test_add_func ("/uplink/common/customer/copy-equal", test_copy_equal);
  g_test_add_func ("/uplink/common/customer/find", test_find);

  return g_test_run ();
}
