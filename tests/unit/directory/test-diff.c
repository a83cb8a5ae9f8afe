/* test-diff.c — the directory sync diff. */
#include "config.h"

#include <locale.h>

#include "ul-directory-diff.h"

static GPtrArray *
users_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) ul_user_free);
}

static UlUser *
user_new (const char *extension, const char *name, const char *email, const char *group)
{
  UlUser *user = ul_user_new (extension, name, email);

  user->user_group = g_strdup (group);
  return user;
}

static const UlUser *
find_user (GPtrArray *users, const char *extension)
{
  for (guint i = 0; i < users->len; i++)
    {
      const UlUser *user = g_ptr_array_index (users, i);

      if (g_str_equal (user->extension, extension))
        return user;
    }
  return NULL;
}

static const UlDirectoryChange *
find_change (const UlDirectoryDiff *diff, const char *extension)
{
  for (guint i = 0; i < diff->changed->len; i++)
    {
      const UlDirectoryChange *change = g_ptr_array_index (diff->changed, i);

      if (g_str_equal (change->user->extension, extension))
        return change;
    }
  return NULL;
}

/* Current: 201 Anna (invited, registered, admin), 202 Bob, 203 Carla, 204 Dora, 205 Emil. */
static GPtrArray *
current_users (void)
{
  GPtrArray *users = users_new ();
  UlUser *anna = user_new ("201", "Anna Meier", "anna@example.com", "Sales");

  anna->invited_at = 1700000000;
  anna->registered_at = 1700000500;
  anna->admin = TRUE;
  g_ptr_array_add (users, anna);
  g_ptr_array_add (users, user_new ("202", "Bob", "bob@example.com", "Sales"));
  g_ptr_array_add (users, user_new ("203", "Carla", "carla@example.com", "Support"));
  g_ptr_array_add (users, user_new ("204", "Dora", "dora@example.com", "Support"));
  g_ptr_array_add (users, user_new ("205", "Emil", "emil@example.com", NULL));
  return users;
}

static void
test_add_change_remove_skip (void)
{
  g_autoptr(GPtrArray) current = current_users ();
  g_autoptr(GPtrArray) fetched = users_new ();
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (
    (GDestroyNotify) ul_directory_skip_free);
  g_autoptr(UlDirectoryDiff) diff = NULL;
  const UlDirectoryChange *change;
  UlUser *user;

  /* 201: renamed (a name change counts, unlike the original product). */
  g_ptr_array_add (fetched, user_new ("201", "Anna Keller", "anna@example.com", "Sales"));
  /* 202: unchanged. */
  g_ptr_array_add (fetched, user_new ("202", "Bob", "bob@example.com", "Sales"));
  /* 203: new address, new group and a CTI device of its own. */
  user = user_new ("203", "Carla", "carla.new@example.com", "Sales");
  g_free (user->cti_device);
  user->cti_device = g_strdup ("2030");
  g_ptr_array_add (fetched, user);
  /* 204: gone. 205: its row could not be read this time. 206: new. */
  g_ptr_array_add (fetched, user_new ("206", "Fritz", "fritz@example.com", "Support"));
  g_ptr_array_add (skipped, ul_directory_skip_new (UL_DIRECTORY_SKIP_INVALID_ENTRY, "205", NULL,
                                                   6, NULL, "The name in line 6 …"));
  g_ptr_array_add (skipped, ul_directory_skip_new (UL_DIRECTORY_SKIP_NO_EXTENSION, NULL, "Gina",
                                                   7, NULL, "No extension in line 7"));

  diff = ul_directory_diff_compute (current, fetched, skipped);

  g_assert_cmpuint (diff->added->len, ==, 1);
  g_assert_cmpstr (((UlUser *) g_ptr_array_index (diff->added, 0))->extension, ==, "206");

  g_assert_cmpuint (diff->changed->len, ==, 2);
  change = find_change (diff, "201");
  g_assert_nonnull (change);
  g_assert_cmpint (change->fields, ==, UL_USER_FIELD_NAME);
  g_assert_cmpstr (change->user->name, ==, "Anna Keller");
  g_assert_cmpstr (change->previous->name, ==, "Anna Meier");
  /* Gateway-side state stays with the user. */
  g_assert_cmpint (change->user->invited_at, ==, 1700000000);
  g_assert_cmpint (change->user->registered_at, ==, 1700000500);
  g_assert_true (change->user->admin);

  change = find_change (diff, "203");
  g_assert_nonnull (change);
  g_assert_cmpint (change->fields, ==,
                   UL_USER_FIELD_EMAIL | UL_USER_FIELD_USER_GROUP | UL_USER_FIELD_CTI_DEVICE);

  g_assert_cmpuint (diff->removed->len, ==, 1);
  g_assert_cmpstr (((UlUser *) g_ptr_array_index (diff->removed, 0))->extension, ==, "204");

  /* 202 as it was, and 205 kept because its row was skipped, not removed. */
  g_assert_cmpuint (diff->unchanged, ==, 2);
  g_assert_cmpuint (diff->skipped->len, ==, 2);

  /* The resulting list: everything but 204, sorted, with merged state. */
  g_assert_cmpuint (diff->users->len, ==, 5);
  g_assert_cmpstr (((UlUser *) g_ptr_array_index (diff->users, 0))->extension, ==, "201");
  g_assert_cmpstr (((UlUser *) g_ptr_array_index (diff->users, 4))->extension, ==, "206");
  g_assert_null (find_user (diff->users, "204"));
  g_assert_nonnull (find_user (diff->users, "205"));
  g_assert_cmpint (find_user (diff->users, "201")->registered_at, ==, 1700000500);
  g_assert_cmpstr (find_user (diff->users, "201")->name, ==, "Anna Keller");

  g_assert_true (ul_directory_diff_has_changes (diff));

  /* The inputs are untouched. */
  g_assert_cmpuint (current->len, ==, 5);
  g_assert_cmpstr (find_user (current, "201")->name, ==, "Anna Meier");
}

static void
test_no_changes (void)
{
  g_autoptr(GPtrArray) current = current_users ();
  g_autoptr(GPtrArray) fetched = users_new ();
  g_autoptr(UlDirectoryDiff) diff = NULL;

  for (guint i = 0; i < current->len; i++)
    {
      UlUser *user = ul_user_copy (g_ptr_array_index (current, i));

      /* A fetch never carries gateway-side state. */
      user->invited_at = user->registered_at = 0;
      user->admin = FALSE;
      g_ptr_array_add (fetched, user);
    }

  diff = ul_directory_diff_compute (current, fetched, NULL);
  g_assert_false (ul_directory_diff_has_changes (diff));
  g_assert_cmpuint (diff->unchanged, ==, 5);
  g_assert_cmpuint (diff->skipped->len, ==, 0);
  g_assert_true (find_user (diff->users, "201")->admin);
}

static void
test_first_sync (void)
{
  g_autoptr(GPtrArray) current = users_new ();
  g_autoptr(GPtrArray) fetched = current_users ();
  g_autoptr(UlDirectoryDiff) diff = ul_directory_diff_compute (current, fetched, NULL);

  g_assert_cmpuint (diff->added->len, ==, 5);
  g_assert_cmpuint (diff->users->len, ==, 5);
  g_assert_cmpuint (diff->removed->len, ==, 0);
}

static void
test_eligibility_recomputed (void)
{
  g_autoptr(GPtrArray) current = current_users ();
  g_autoptr(GPtrArray) fetched = NULL;
  g_autoptr(UlDirectoryDiff) diff = NULL;

  /* Everybody unchanged, plus a newcomer with Bob's address in other case. */
  fetched = current_users ();
  g_ptr_array_add (fetched, user_new ("210", "Bob (desk)", "BOB@example.com", NULL));

  diff = ul_directory_diff_compute (current, fetched, NULL);
  g_assert_cmpuint (diff->added->len, ==, 1);
  g_assert_cmpint (((UlUser *) g_ptr_array_index (diff->added, 0))->eligibility, ==,
                   UL_USER_ELIGIBILITY_DUPLICATE_EMAIL);
  /* Bob himself did not change, but he is no longer eligible either. */
  g_assert_cmpint (find_user (diff->users, "202")->eligibility, ==,
                   UL_USER_ELIGIBILITY_DUPLICATE_EMAIL);
  g_assert_cmpuint (diff->changed->len, ==, 0);
}

static void
test_variant (void)
{
  g_autoptr(GPtrArray) current = current_users ();
  g_autoptr(GPtrArray) fetched = current_users ();
  g_autoptr(GPtrArray) skipped = g_ptr_array_new_with_free_func (
    (GDestroyNotify) ul_directory_skip_free);
  g_autoptr(UlDirectoryDiff) diff = NULL;
  g_autoptr(UlDirectoryDiff) copy = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GVariant) changed = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) skips = NULL;
  g_autoptr(GVariant) skip = NULL;
  g_autofree const char **fields = NULL;
  g_autofree char *printed = NULL;
  const char *str = NULL;
  guint32 count = 0;

  g_free (((UlUser *) g_ptr_array_index (fetched, 1))->name);
  ((UlUser *) g_ptr_array_index (fetched, 1))->name = g_strdup ("Robert");
  g_ptr_array_remove_index (fetched, 4);
  g_ptr_array_add (skipped, ul_directory_skip_new (UL_DIRECTORY_SKIP_DUPLICATE_EXTENSION, "202",
                                                   "Bobby", 0, "uid=bobby,dc=example,dc=com",
                                                   "Extension 202 …"));

  diff = ul_directory_diff_compute (current, fetched, skipped);
  copy = ul_directory_diff_copy (diff);
  variant = g_variant_ref_sink (ul_directory_diff_to_variant (copy));
  printed = g_variant_print (variant, TRUE);
  g_test_message ("%s", printed);

  g_assert_true (g_variant_lookup (variant, "changedCount", "u", &count));
  g_assert_cmpuint (count, ==, 1);
  g_assert_true (g_variant_lookup (variant, "removedCount", "u", &count));
  g_assert_cmpuint (count, ==, 1);
  g_assert_true (g_variant_lookup (variant, "addedCount", "u", &count));
  g_assert_cmpuint (count, ==, 0);
  g_assert_true (g_variant_lookup (variant, "unchangedCount", "u", &count));
  g_assert_cmpuint (count, ==, 3);
  g_assert_true (g_variant_lookup (variant, "skippedCount", "u", &count));
  g_assert_cmpuint (count, ==, 1);
  g_assert_true (g_variant_lookup (variant, "total", "u", &count));
  g_assert_cmpuint (count, ==, 4);

  changed = g_variant_lookup_value (variant, "changed", G_VARIANT_TYPE ("aa{sv}"));
  first = g_variant_get_child_value (changed, 0);
  g_assert_true (g_variant_lookup (first, "name", "&s", &str));
  g_assert_cmpstr (str, ==, "Robert");
  g_assert_true (g_variant_lookup (first, "changedFields", "^a&s", &fields));
  g_assert_cmpstrv (fields, ((const char * const[]) { "name", NULL }));
  g_assert_nonnull (g_variant_lookup_value (first, "previous", G_VARIANT_TYPE_VARDICT));

  skips = g_variant_lookup_value (variant, "skipped", G_VARIANT_TYPE ("aa{sv}"));
  skip = g_variant_get_child_value (skips, 0);
  g_assert_true (g_variant_lookup (skip, "reason", "&s", &str));
  g_assert_cmpstr (str, ==, "duplicate-extension");
  g_assert_true (g_variant_lookup (skip, "dn", "&s", &str));
  g_assert_cmpstr (str, ==, "uid=bobby,dc=example,dc=com");
  g_assert_false (g_variant_lookup (skip, "line", "u", &count));
  g_assert_nonnull (g_variant_lookup_value (variant, "added", G_VARIANT_TYPE ("aa{sv}")));
  g_assert_nonnull (g_variant_lookup_value (variant, "removed", G_VARIANT_TYPE ("aa{sv}")));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/directory/diff/add-change-remove-skip", test_add_change_remove_skip);
  g_test_add_func ("/uplink/directory/diff/no-changes", test_no_changes);
  g_test_add_func ("/uplink/directory/diff/first-sync", test_first_sync);
  g_test_add_func ("/uplink/directory/diff/eligibility-recomputed", test_eligibility_recomputed);
  g_test_add_func ("/uplink/directory/diff/variant", test_variant);

  return g_test_run ();
}
