/* test-user.c — the user model and its eligibility rules. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "ul-contact.h"
#include "ul-customer.h"
#include "ul-error.h"
#include "ul-user.h"

static GPtrArray *
users_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) ul_user_free);
}

static UlUser *
find_user (GPtrArray *users, const char *extension)
{
  for (guint i = 0; i < users->len; i++)
    {
      UlUser *user = g_ptr_array_index (users, i);

      if (g_str_equal (user->extension, extension))
        return user;
    }
  g_assert_not_reached ();
}

static void
test_new_defaults (void)
{
  g_autoptr(UlUser) user = ul_user_new ("201", "Anna Meier", "anna@example.com");
  g_autoptr(UlUser) copy = NULL;

  g_assert_cmpstr (user->extension, ==, "201");
  g_assert_cmpstr (ul_user_get_cti_device (user), ==, "201");
  g_assert_cmpint (user->eligibility, ==, UL_USER_ELIGIBILITY_ELIGIBLE);
  g_assert_cmpint (user->invited_at, ==, 0);
  g_assert_cmpint (user->registered_at, ==, 0);
  g_assert_false (user->admin);

  copy = ul_user_copy (user);
  g_assert_true (ul_user_equal (user, copy));
  copy->registered_at = 1700000000;
  g_assert_false (ul_user_equal (user, copy));

  /* "No CTI device" and "the extension" are the same thing. */
  copy->registered_at = 0;
  g_clear_pointer (&copy->cti_device, g_free);
  g_assert_true (ul_user_equal (user, copy));
  g_assert_cmpstr (ul_user_get_cti_device (copy), ==, "201");
}

static void
test_variant (void)
{
  g_autoptr(UlUser) user = ul_user_new ("201", "Anna Meier", NULL);
  g_autoptr(UlUser) parsed = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GError) error = NULL;
  const char *reason = NULL;
  gboolean eligible = TRUE;
  gint64 registered = 0;

  user->user_group = g_strdup ("Sales");
  user->registered_at = 1700000000;
  user->admin = TRUE;
  variant = g_variant_ref_sink (ul_user_to_variant (user));

  g_assert_true (g_variant_lookup (variant, "eligible", "b", &eligible));
  g_assert_false (eligible);
  g_assert_true (g_variant_lookup (variant, "ineligibleReason", "&s", &reason));
  g_assert_cmpstr (reason, ==, "no-email");
  g_assert_true (g_variant_lookup (variant, "registeredAt", "x", &registered));
  g_assert_cmpint (registered, ==, 1700000000);
  g_assert_true (g_variant_lookup (variant, "ctiDevice", "&s", &reason));
  g_assert_cmpstr (reason, ==, "201");
  g_assert_true (g_variant_lookup (variant, "userGroup", "&s", &reason));
  g_assert_cmpstr (reason, ==, "Sales");
  g_assert_false (g_variant_lookup (variant, "email", "&s", &reason));

  parsed = ul_user_from_variant (variant, &error);
  g_assert_no_error (error);
  g_assert_true (ul_user_equal (user, parsed));

  /* Eligible users carry no reason at all. */
  g_clear_pointer (&variant, g_variant_unref);
  g_free (user->email);
  user->email = g_strdup ("anna@example.com");
  user->eligibility = UL_USER_ELIGIBILITY_ELIGIBLE;
  variant = g_variant_ref_sink (ul_user_to_variant (user));
  g_assert_true (g_variant_lookup (variant, "eligible", "b", &eligible));
  g_assert_true (eligible);
  g_assert_false (g_variant_lookup (variant, "ineligibleReason", "&s", &reason));
}

static void
test_from_variant_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlUser) user = NULL;
  g_autofree char *field = NULL;

  /* Unknown keys are fine (a newer gateway), a missing extension or a wrong type is not. */
  user = ul_user_from_variant (g_variant_new_parsed ("{'extension': <'7'>, 'future': <1>}"),
                               &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user->extension, ==, "7");
  g_clear_pointer (&user, ul_user_free);

  user = ul_user_from_variant (g_variant_new_parsed ("{'name': <'Anna'>}"), &error);
  g_assert_null (user);
  g_assert_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT);
  field = ul_error_get_field (error);
  g_assert_cmpstr (field, ==, "extension");
  g_clear_error (&error);
  g_clear_pointer (&field, g_free);

  user = ul_user_from_variant (g_variant_new_parsed ("{'extension': <'7'>, 'admin': <'yes'>}"),
                               &error);
  g_assert_null (user);
  field = ul_error_get_field (error);
  g_assert_cmpstr (field, ==, "admin");
}

static void
test_eligibility_strings (void)
{
  static const struct
  {
    UlUserEligibility value;
    const char       *name;
  } cases[] = {
    { UL_USER_ELIGIBILITY_ELIGIBLE, "eligible" },
    { UL_USER_ELIGIBILITY_NO_EMAIL, "no-email" },
    { UL_USER_ELIGIBILITY_INVALID_EMAIL, "invalid-email" },
    { UL_USER_ELIGIBILITY_DUPLICATE_EMAIL, "duplicate-email" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *reason = ul_user_eligibility_get_reason (cases[i].value);

      g_assert_cmpstr (ul_user_eligibility_to_string (cases[i].value), ==, cases[i].name);
      g_assert_cmpint (ul_user_eligibility_from_string (cases[i].name), ==, cases[i].value);
      g_assert_nonnull (reason);
      g_assert_cmpuint (strlen (reason), >, 10);
    }
  g_assert_cmpint (ul_user_eligibility_from_string ("bogus"), ==, UL_USER_ELIGIBILITY_ELIGIBLE);
}

static void
test_eligibility_no_email (void)
{
  g_autoptr(GPtrArray) users = users_new ();

  g_ptr_array_add (users, ul_user_new ("201", "Anna", NULL));
  g_ptr_array_add (users, ul_user_new ("202", "Bob", ""));
  g_ptr_array_add (users, ul_user_new ("203", "Carla", "carla@example.com"));
  ul_users_compute_eligibility (users);

  g_assert_cmpint (find_user (users, "201")->eligibility, ==, UL_USER_ELIGIBILITY_NO_EMAIL);
  g_assert_cmpint (find_user (users, "202")->eligibility, ==, UL_USER_ELIGIBILITY_NO_EMAIL);
  g_assert_cmpint (find_user (users, "203")->eligibility, ==, UL_USER_ELIGIBILITY_ELIGIBLE);
}

static void
test_eligibility_invalid (void)
{
  static const char * const invalid[] = {
    "anna", "anna@", "@example.com", "anna@@example.com", "anna example@example.com",
    "anna@localhost",
  };
  g_autoptr(GPtrArray) users = users_new ();

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autofree char *extension = g_strdup_printf ("%u", 300 + i);

      g_ptr_array_add (users, ul_user_new (extension, "X", invalid[i]));
    }
  ul_users_compute_eligibility (users);

  for (guint i = 0; i < users->len; i++)
    {
      UlUser *user = g_ptr_array_index (users, i);

      g_test_message ("%s", user->email);
      g_assert_cmpint (user->eligibility, ==, UL_USER_ELIGIBILITY_INVALID_EMAIL);
    }
}

static void
test_eligibility_duplicate (void)
{
  g_autoptr(GPtrArray) users = users_new ();

  g_ptr_array_add (users, ul_user_new ("201", "Anna", "Anna.Meier@Example.com"));
  g_ptr_array_add (users, ul_user_new ("202", "Anna (desk 2)", "anna.meier@example.COM"));
  g_ptr_array_add (users, ul_user_new ("203", "Reception", "ANNA.MEIER@EXAMPLE.COM"));
  g_ptr_array_add (users, ul_user_new ("204", "Bob", "bob@example.com"));
  /* Invalid addresses are not duplicates of each other: they stay invalid. */
  g_ptr_array_add (users, ul_user_new ("205", "X", "broken"));
  g_ptr_array_add (users, ul_user_new ("206", "Y", "broken"));
  ul_users_compute_eligibility (users);

  g_assert_cmpint (find_user (users, "201")->eligibility, ==, UL_USER_ELIGIBILITY_DUPLICATE_EMAIL);
  g_assert_cmpint (find_user (users, "202")->eligibility, ==, UL_USER_ELIGIBILITY_DUPLICATE_EMAIL);
  g_assert_cmpint (find_user (users, "203")->eligibility, ==, UL_USER_ELIGIBILITY_DUPLICATE_EMAIL);
  g_assert_cmpint (find_user (users, "204")->eligibility, ==, UL_USER_ELIGIBILITY_ELIGIBLE);
  g_assert_cmpint (find_user (users, "205")->eligibility, ==, UL_USER_ELIGIBILITY_INVALID_EMAIL);
  g_assert_cmpint (find_user (users, "206")->eligibility, ==, UL_USER_ELIGIBILITY_INVALID_EMAIL);

  /* Fixing one address makes it eligible; the other two still share theirs. */
  g_free (find_user (users, "203")->email);
  find_user (users, "203")->email = g_strdup ("reception@example.com");
  ul_users_compute_eligibility (users);
  g_assert_cmpint (find_user (users, "201")->eligibility, ==, UL_USER_ELIGIBILITY_DUPLICATE_EMAIL);
  g_assert_cmpint (find_user (users, "203")->eligibility, ==, UL_USER_ELIGIBILITY_ELIGIBLE);
}

static void
test_admin (void)
{
  g_autoptr(UlCustomer) customer = ul_customer_new ();
  g_autoptr(GPtrArray) users = users_new ();

  g_ptr_array_add (customer->admin_contacts,
                   ul_contact_new (UL_SUPPORT_ROLE_UNKNOWN, "Anna", "anna@example.com"));
  g_ptr_array_add (users, ul_user_new ("201", "Anna", "ANNA@example.com"));
  g_ptr_array_add (users, ul_user_new ("202", "Bob", "bob@example.com"));
  g_ptr_array_add (users, ul_user_new ("203", "Nobody", NULL));

  ul_users_compute_admin (users, customer);
  g_assert_true (find_user (users, "201")->admin);
  g_assert_false (find_user (users, "202")->admin);
  g_assert_false (find_user (users, "203")->admin);

  ul_users_compute_admin (users, NULL);
  g_assert_false (find_user (users, "201")->admin);
}

static void
test_extension_compare (void)
{
  g_assert_cmpint (ul_extension_compare ("9", "10"), <, 0);
  g_assert_cmpint (ul_extension_compare ("10", "9"), >, 0);
  g_assert_cmpint (ul_extension_compare ("201", "201"), ==, 0);
  g_assert_cmpint (ul_extension_compare ("007", "7"), !=, 0);
  g_assert_cmpint (ul_extension_compare ("0", "00"), !=, 0);
  g_assert_cmpint (ul_extension_compare ("99999999999999999999999", "100000000000000000000000"),
                   <, 0);
  /* Numbers before the rest (+41…, *21). */
  g_assert_cmpint (ul_extension_compare ("999", "+41445551234"), <, 0);
  g_assert_cmpint (ul_extension_compare ("+41", "+5"), <, 0);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/directory/user/new-defaults", test_new_defaults);
  g_test_add_func ("/uplink/directory/user/variant", test_variant);
  g_test_add_func ("/uplink/directory/user/from-variant-errors", test_from_variant_errors);
  g_test_add_func ("/uplink/directory/user/admin", test_admin);
  g_test_add_func ("/uplink/directory/user/extension-compare", test_extension_compare);
  g_test_add_func ("/uplink/directory/eligibility/strings", test_eligibility_strings);
  g_test_add_func ("/uplink/directory/eligibility/no-email", test_eligibility_no_email);
  g_test_add_func ("/uplink/directory/eligibility/invalid-email", test_eligibility_invalid);
  g_test_add_func ("/uplink/directory/eligibility/duplicate-email", test_eligibility_duplicate);

  return g_test_run ();
}
