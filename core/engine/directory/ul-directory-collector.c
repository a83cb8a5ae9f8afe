/* ul-directory-collector.c — the rules shared by every directory source. */
#define G_LOG_DOMAIN "uplink-directory"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ul-directory-collector.h"
#include "ul-directory-skip.h"
#include "ul-error.h"
#include "ul-user.h"
#include "ul-validate.h"

struct _UlDirectoryCollector
{
  GPtrArray  *users;       /* UlUser* */
  GPtrArray  *skipped;     /* UlDirectorySkip* */
  GHashTable *extensions;  /* extension → where it was first seen ("line 3") */
  guint       entries;
};

UlDirectoryCollector *
ul_directory_collector_new (void)
{
  UlDirectoryCollector *self = g_new0 (UlDirectoryCollector, 1);

  self->users = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_user_free);
  self->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_directory_skip_free);
  self->extensions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
ul_directory_collector_free (UlDirectoryCollector *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->skipped, g_ptr_array_unref);
  g_clear_pointer (&self->extensions, g_hash_table_unref);
  g_free (self);
}

/* Trims, and folds every run of white space (including the line breaks a quoted CSV
 * field may carry) into one space; NULL for nothing left. */
static char *
clean_value (const char *value)
{
  GString *out;
  gboolean pending_space = FALSE;
  char *exact;

  if (value == NULL)
    return NULL;

  out = g_string_sized_new (strlen (value));
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\v' || *p == '\f')
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_c (out, *p);
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  /* Exact size: a GString buffer is at least 128 bytes, and a user keeps this string. */
  exact = g_strndup (out->str, out->len);
  g_string_free (out, TRUE);
  return exact;
}

char *
ul_directory_normalise_number (const char *value)
{
  g_autoptr(GString) out = NULL;

  if (value == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (strchr (" -./()", *p) != NULL)
        continue;
      if (*p == '+' && out->len == 0)
        g_string_append_c (out, '+');
      else if (g_ascii_isdigit (*p) || *p == '*' || *p == '#')
        g_string_append_c (out, *p);
      else
        return NULL;
      if (out->len > UL_EXTENSION_MAX)
        return NULL;
    }

  if (out->len == 0 || g_str_equal (out->str, "+"))
    return NULL;
  return g_strndup (out->str, out->len);   /* exact size, as above */
}

static void
skip (UlDirectoryCollector  *self,
      UlDirectorySkipReason  reason,
      const UlDirectoryEntry *entry,
      const char            *extension,
      const char            *name,
      const char            *message)
{
  g_ptr_array_add (self->skipped,
                   ul_directory_skip_new (reason, extension, name, entry->line, entry->dn,
                                          message));
}

/* Checks a free-text value; on failure records the skip and returns FALSE. */
static gboolean
check_text (UlDirectoryCollector   *self,
            const UlDirectoryEntry *entry,
            const char             *where,
            const char             *value,
            const char             *label,
            const char             *extension,
            const char             *name)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *message = NULL;

  if (value == NULL || ul_validate_text (value, UL_TEXT_MAX, label, &local_error))
    return TRUE;

  reason = ul_error_get_reason (local_error);
  /* TRANSLATORS: "The name in line 5 cannot be used: <reason>" */
  message = g_strdup_printf (_("The %s in %s cannot be used: %s"), label, where, reason);
  skip (self, UL_DIRECTORY_SKIP_INVALID_ENTRY, entry, extension, NULL, message);
  return FALSE;
}

static gboolean
count_entry (UlDirectoryCollector *self, GError **error)
{
  if (++self->entries > UL_DIRECTORY_ENTRIES_MAX)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("The directory has more than %d entries; narrow the base DN or the "
                     "filter to the PBX users"),
                   UL_DIRECTORY_ENTRIES_MAX);
      return FALSE;
    }
  return TRUE;
}

gboolean
ul_directory_collector_skip (UlDirectoryCollector   *self,
                             const UlDirectoryEntry *entry,
                             UlDirectorySkipReason   reason,
                             const char             *message,
                             GError                **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  if (!count_entry (self, error))
    return FALSE;
  skip (self, reason, entry, NULL, NULL, message);
  return TRUE;
}

gboolean
ul_directory_collector_add (UlDirectoryCollector   *self,
                            const UlDirectoryEntry *entry,
                            GError                **error)
{
  g_autofree char *where = NULL;
  g_autofree char *raw_extension = clean_value (entry->extension);
  g_autofree char *extension = NULL;
  g_autofree char *name = clean_value (entry->name);
  g_autofree char *email = clean_value (entry->email);
  g_autofree char *group = clean_value (entry->group);
  g_autofree char *raw_cti = clean_value (entry->cti_device);
  g_autofree char *cti_device = NULL;
  g_autofree char *message = NULL;
  const char *first_seen;
  UlUser *user;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  if (!count_entry (self, error))
    return FALSE;

  where = entry->dn != NULL ? g_strdup_printf (_("entry %s"), entry->dn)
                            : g_strdup_printf (_("line %u"), entry->line);

  /* Normalised up front so that every skip names the extension the way the store
   * does: the diff keeps a stored user whose row was skipped, matching by extension. */
  extension = ul_directory_normalise_number (raw_extension);

  /* The name goes into skip reports too, so check it first: a report must not carry
   * text that failed validation. */
  if (!check_text (self, entry, where, name, _("name"), extension, NULL))
    return TRUE;

  if (raw_extension == NULL)
    {
      message = g_strdup_printf (_("No extension in %s, so the user cannot be synced"), where);
      skip (self, UL_DIRECTORY_SKIP_NO_EXTENSION, entry, NULL, name, message);
      return TRUE;
    }

  if (extension == NULL)
    {
      /* g_utf8_substring() reads past the end of a string shorter than its end. */
      g_autofree char *shown = g_utf8_substring (
        raw_extension, 0, MIN (g_utf8_strlen (raw_extension, -1), UL_EXTENSION_MAX));

      message = g_strdup_printf (_("The extension “%s” in %s is not a phone number (digits, "
                                   "* and #, with an optional leading +)"),
                                 shown, where);
      skip (self, UL_DIRECTORY_SKIP_INVALID_EXTENSION, entry, shown, name, message);
      return TRUE;
    }

  first_seen = g_hash_table_lookup (self->extensions, extension);
  if (first_seen != NULL)
    {
      message = g_strdup_printf (_("Extension %s in %s is already used in %s; only the first "
                                   "entry is synced"),
                                 extension, where, first_seen);
      skip (self, UL_DIRECTORY_SKIP_DUPLICATE_EXTENSION, entry, extension, name, message);
      return TRUE;
    }

  if (!check_text (self, entry, where, group, _("user group"), extension, name))
    return TRUE;

  if (raw_cti != NULL)
    {
      cti_device = ul_directory_normalise_number (raw_cti);
      if (cti_device == NULL)
        {
          message = g_strdup_printf (_("The CTI device in %s is not a phone number"), where);
          skip (self, UL_DIRECTORY_SKIP_INVALID_ENTRY, entry, extension, name, message);
          return TRUE;
        }
    }

  /* An unusable address is kept as it is: the user is synced and shown as not eligible,
   * so the partner sees what to fix in the PBX. The sources bound every value's length. */
  user = ul_user_new (extension, name, email);
  user->user_group = g_steal_pointer (&group);
  if (cti_device != NULL)
    {
      g_free (user->cti_device);
      user->cti_device = g_steal_pointer (&cti_device);
    }
  g_ptr_array_add (self->users, user);
  g_hash_table_insert (self->extensions, g_steal_pointer (&extension), g_steal_pointer (&where));
  return TRUE;
}

void
ul_directory_collector_finish (UlDirectoryCollector *self,
                               GPtrArray           **users,
                               GPtrArray           **skipped)
{
  g_return_if_fail (self != NULL);

  ul_users_compute_eligibility (self->users);
  if (users != NULL)
    *users = g_steal_pointer (&self->users);
  if (skipped != NULL)
    *skipped = g_steal_pointer (&self->skipped);

  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->skipped, g_ptr_array_unref);
  self->users = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_user_free);
  self->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_directory_skip_free);
  g_hash_table_remove_all (self->extensions);
  self->entries = 0;
}
