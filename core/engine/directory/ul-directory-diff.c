/* ul-directory-diff.c — compares the stored users with a fresh fetch. */
#define G_LOG_DOMAIN "uplink-directory"

#include "config.h"

#include "ul-directory-diff.h"

G_DEFINE_BOXED_TYPE (UlDirectoryDiff, ul_directory_diff,
                     ul_directory_diff_copy, ul_directory_diff_free)

static UlDirectoryChange *
change_new (const UlUser *user, const UlUser *previous, UlUserFields fields)
{
  UlDirectoryChange *change = g_new0 (UlDirectoryChange, 1);

  change->user = ul_user_copy (user);
  change->previous = ul_user_copy (previous);
  change->fields = fields;
  return change;
}

static void
change_free (UlDirectoryChange *change)
{
  ul_user_free (change->user);
  ul_user_free (change->previous);
  g_free (change);
}

static GPtrArray *
user_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) ul_user_free);
}

static UlDirectoryDiff *
diff_new (void)
{
  UlDirectoryDiff *self = g_new0 (UlDirectoryDiff, 1);

  self->users = user_array_new ();
  self->added = user_array_new ();
  self->changed = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  self->removed = user_array_new ();
  self->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_directory_skip_free);
  return self;
}

void
ul_directory_diff_free (UlDirectoryDiff *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->users);
  g_ptr_array_unref (self->added);
  g_ptr_array_unref (self->changed);
  g_ptr_array_unref (self->removed);
  g_ptr_array_unref (self->skipped);
  g_free (self);
}

UlDirectoryDiff *
ul_directory_diff_copy (const UlDirectoryDiff *self)
{
  UlDirectoryDiff *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = diff_new ();
  for (guint i = 0; i < self->users->len; i++)
    g_ptr_array_add (copy->users, ul_user_copy (g_ptr_array_index (self->users, i)));
  for (guint i = 0; i < self->added->len; i++)
    g_ptr_array_add (copy->added, ul_user_copy (g_ptr_array_index (self->added, i)));
  for (guint i = 0; i < self->changed->len; i++)
    {
      const UlDirectoryChange *change = g_ptr_array_index (self->changed, i);

      g_ptr_array_add (copy->changed, change_new (change->user, change->previous,
                                                  change->fields));
    }
  for (guint i = 0; i < self->removed->len; i++)
    g_ptr_array_add (copy->removed, ul_user_copy (g_ptr_array_index (self->removed, i)));
  for (guint i = 0; i < self->skipped->len; i++)
    g_ptr_array_add (copy->skipped, ul_directory_skip_copy (g_ptr_array_index (self->skipped, i)));
  copy->unchanged = self->unchanged;
  return copy;
}

static UlUserFields
compare_directory_fields (const UlUser *current, const UlUser *fetched)
{
  UlUserFields fields = 0;

  if (g_strcmp0 (current->name, fetched->name) != 0)
    fields |= UL_USER_FIELD_NAME;
  if (g_strcmp0 (current->email, fetched->email) != 0)
    fields |= UL_USER_FIELD_EMAIL;
  if (g_strcmp0 (current->user_group, fetched->user_group) != 0)
    fields |= UL_USER_FIELD_USER_GROUP;
  if (g_strcmp0 (ul_user_get_cti_device (current), ul_user_get_cti_device (fetched)) != 0)
    fields |= UL_USER_FIELD_CTI_DEVICE;
  return fields;
}

/* The fetched directory fields with the current record's gateway-side state. */
static UlUser *
merge (const UlUser *current, const UlUser *fetched)
{
  UlUser *user = ul_user_copy (fetched);

  user->invited_at = current->invited_at;
  user->registered_at = current->registered_at;
  user->admin = current->admin;
  return user;
}

static gint
compare_users (gconstpointer a, gconstpointer b)
{
  const UlUser *user_a = *(const UlUser * const *) a;
  const UlUser *user_b = *(const UlUser * const *) b;

  return ul_extension_compare (user_a->extension, user_b->extension);
}

static gint
compare_changes (gconstpointer a, gconstpointer b)
{
  const UlDirectoryChange *change_a = *(const UlDirectoryChange * const *) a;
  const UlDirectoryChange *change_b = *(const UlDirectoryChange * const *) b;

  return ul_extension_compare (change_a->user->extension, change_b->user->extension);
}

/* Copies the resulting eligibility of @users (by extension) into @targets. */
static void
copy_eligibility (GHashTable *result_by_extension, GPtrArray *targets, gboolean changes)
{
  for (guint i = 0; i < targets->len; i++)
    {
      UlUser *user = changes ? ((UlDirectoryChange *) g_ptr_array_index (targets, i))->user
                             : g_ptr_array_index (targets, i);
      const UlUser *result = g_hash_table_lookup (result_by_extension, user->extension);

      if (result != NULL)
        user->eligibility = result->eligibility;
    }
}

UlDirectoryDiff *
ul_directory_diff_compute (GPtrArray *current_users, GPtrArray *fetched_users, GPtrArray *skipped)
{
  g_autoptr(UlDirectoryDiff) self = diff_new ();
  g_autoptr(GHashTable) current_by_extension = NULL;
  g_autoptr(GHashTable) fetched_by_extension = NULL;
  g_autoptr(GHashTable) skipped_extensions = NULL;
  g_autoptr(GHashTable) result_by_extension = NULL;

  g_return_val_if_fail (current_users != NULL, NULL);
  g_return_val_if_fail (fetched_users != NULL, NULL);

  current_by_extension = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < current_users->len; i++)
    {
      UlUser *user = g_ptr_array_index (current_users, i);

      g_hash_table_insert (current_by_extension, user->extension, user);
    }

  skipped_extensions = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; skipped != NULL && i < skipped->len; i++)
    {
      const UlDirectorySkip *skip = g_ptr_array_index (skipped, i);

      g_ptr_array_add (self->skipped, ul_directory_skip_copy (skip));
      if (skip->extension != NULL)
        g_hash_table_add (skipped_extensions, skip->extension);
    }

  fetched_by_extension = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < fetched_users->len; i++)
    {
      const UlUser *fetched = g_ptr_array_index (fetched_users, i);
      const UlUser *current;
      UlUserFields fields;

      /* The sources never return an extension twice; if a caller does, the first wins,
       * as it does in the sources. */
      if (!g_hash_table_insert (fetched_by_extension, fetched->extension, (gpointer) fetched))
        continue;

      current = g_hash_table_lookup (current_by_extension, fetched->extension);
      if (current == NULL)
        {
          g_ptr_array_add (self->added, ul_user_copy (fetched));
          g_ptr_array_add (self->users, ul_user_copy (fetched));
          continue;
        }

      g_ptr_array_add (self->users, merge (current, fetched));
      fields = compare_directory_fields (current, fetched);
      if (fields != 0)
        {
          g_autoptr(UlUser) merged = merge (current, fetched);

          g_ptr_array_add (self->changed, change_new (merged, current, fields));
        }
      else
        {
          self->unchanged++;
        }
    }

  for (guint i = 0; i < current_users->len; i++)
    {
      const UlUser *current = g_ptr_array_index (current_users, i);

      if (g_hash_table_contains (fetched_by_extension, current->extension))
        continue;
      if (g_hash_table_contains (skipped_extensions, current->extension))
        {
          g_ptr_array_add (self->users, ul_user_copy (current));
          self->unchanged++;
          continue;
        }
      g_ptr_array_add (self->removed, ul_user_copy (current));
    }

  g_ptr_array_sort (self->users, compare_users);
  g_ptr_array_sort (self->added, compare_users);
  g_ptr_array_sort (self->changed, compare_changes);
  g_ptr_array_sort (self->removed, compare_users);

  ul_users_compute_eligibility (self->users);
  result_by_extension = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->users->len; i++)
    {
      UlUser *user = g_ptr_array_index (self->users, i);

      g_hash_table_insert (result_by_extension, user->extension, user);
    }
  copy_eligibility (result_by_extension, self->added, FALSE);
  copy_eligibility (result_by_extension, self->changed, TRUE);

  return g_steal_pointer (&self);
}

gboolean
ul_directory_diff_has_changes (const UlDirectoryDiff *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->added->len > 0 || self->changed->len > 0 || self->removed->len > 0;
}

static GVariant *
fields_to_variant (UlUserFields fields)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
  if (fields & UL_USER_FIELD_NAME)
    g_variant_builder_add (&builder, "s", "name");
  if (fields & UL_USER_FIELD_EMAIL)
    g_variant_builder_add (&builder, "s", "email");
  if (fields & UL_USER_FIELD_USER_GROUP)
    g_variant_builder_add (&builder, "s", "userGroup");
  if (fields & UL_USER_FIELD_CTI_DEVICE)
    g_variant_builder_add (&builder, "s", "ctiDevice");
  return g_variant_builder_end (&builder);
}

static GVariant *
change_to_variant (const UlDirectoryChange *change)
{
  g_autoptr(GVariant) user = g_variant_ref_sink (ul_user_to_variant (change->user));
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, user);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_variant_builder_add (&builder, "{sv}", key, value);
      g_variant_unref (value);
    }
  g_variant_builder_add (&builder, "{sv}", "changedFields", fields_to_variant (change->fields));
  g_variant_builder_add (&builder, "{sv}", "previous", ul_user_to_variant (change->previous));
  return g_variant_builder_end (&builder);
}

/* A first sync adds every user: built as one tree, each user's dict is some thirty small
 * GVariants (~3 KiB), 30 MiB for 10,000 users. Serialising each user as it is added keeps
 * one buffer per user instead (g_variant_get_data() drops the tree). */
static GVariant *
users_to_variant (GPtrArray *users)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < users->len; i++)
    {
      g_autoptr(GVariant) user = g_variant_ref_sink (
        ul_user_to_variant (g_ptr_array_index (users, i)));

      g_variant_get_data (user);
      g_variant_builder_add_value (&builder, user);
    }
  return g_variant_builder_end (&builder);
}

GVariant *
ul_directory_diff_to_variant (const UlDirectoryDiff *self)
{
  GVariantBuilder builder, changed, skipped;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_builder_init (&changed, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < self->changed->len; i++)
    g_variant_builder_add_value (&changed, change_to_variant (g_ptr_array_index (self->changed, i)));

  g_variant_builder_init (&skipped, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < self->skipped->len; i++)
    g_variant_builder_add_value (&skipped,
                                 ul_directory_skip_to_variant (g_ptr_array_index (self->skipped, i)));

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "added", users_to_variant (self->added));
  g_variant_builder_add (&builder, "{sv}", "changed", g_variant_builder_end (&changed));
  g_variant_builder_add (&builder, "{sv}", "removed", users_to_variant (self->removed));
  g_variant_builder_add (&builder, "{sv}", "skipped", g_variant_builder_end (&skipped));
  g_variant_builder_add (&builder, "{sv}", "addedCount", g_variant_new_uint32 (self->added->len));
  g_variant_builder_add (&builder, "{sv}", "changedCount",
                         g_variant_new_uint32 (self->changed->len));
  g_variant_builder_add (&builder, "{sv}", "removedCount",
                         g_variant_new_uint32 (self->removed->len));
  g_variant_builder_add (&builder, "{sv}", "unchangedCount", g_variant_new_uint32 (self->unchanged));
  g_variant_builder_add (&builder, "{sv}", "skippedCount",
                         g_variant_new_uint32 (self->skipped->len));
  g_variant_builder_add (&builder, "{sv}", "total", g_variant_new_uint32 (self->users->len));
  return g_variant_builder_end (&builder);
}
