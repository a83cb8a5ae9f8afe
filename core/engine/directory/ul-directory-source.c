/* ul-directory-source.c — runs the LDAP or CSV reader in a worker thread. */
#define G_LOG_DOMAIN "uplink-directory"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <ldap.h>

#include "ul-directory-csv.h"
#include "ul-directory-ldap.h"
#include "ul-directory-source.h"
#include "ul-error.h"

typedef struct
{
  GPtrArray *users;
  GPtrArray *skipped;
} FetchResult;

static void
fetch_result_free (FetchResult *result)
{
  g_clear_pointer (&result->users, g_ptr_array_unref);
  g_clear_pointer (&result->skipped, g_ptr_array_unref);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FetchResult, fetch_result_free)

static gint
compare_users (gconstpointer a, gconstpointer b)
{
  const UlUser *user_a = *(const UlUser * const *) a;
  const UlUser *user_b = *(const UlUser * const *) b;

  return ul_extension_compare (user_a->extension, user_b->extension);
}

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const UlDirectoryConfig *config = task_data;
  g_autoptr(FetchResult) result = g_new0 (FetchResult, 1);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (config->kind == UL_DIRECTORY_KIND_LDAP)
    ok = ul_directory_ldap_fetch (config, UL_DIRECTORY_LDAP_TIMEOUT, cancellable,
                                  &result->users, &result->skipped, &error);
  else
    ok = ul_directory_csv_load (config->csv_path, config->csv_encoding, cancellable,
                                &result->users, &result->skipped, &error);

  if (!ok)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_ptr_array_sort (result->users, compare_users);
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) fetch_result_free);
}

/* libldap sets up its global options on first use and that set-up is not thread-safe;
 * do it once here, on the caller's thread, before any worker can race it. */
static void
init_libldap (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      int version = 0;

      ldap_get_option (NULL, LDAP_OPT_PROTOCOL_VERSION, &version);
      g_once_init_leave (&initialized, 1);
    }
}

void
ul_directory_fetch_async (const UlDirectoryConfig *config,
                          GCancellable            *cancellable,
                          GAsyncReadyCallback      callback,
                          gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (config != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ul_directory_fetch_async);
  g_task_set_name (task, "ul_directory_fetch_async");

  if (config->kind == UL_DIRECTORY_KIND_NONE)
    {
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_WRONG_STATE,
                               _("No user directory is configured; choose LDAP or a CSV file"));
      return;
    }
  if (!ul_directory_config_validate (config, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  init_libldap ();
  g_task_set_task_data (task, ul_directory_config_copy (config),
                        (GDestroyNotify) ul_directory_config_free);
  g_task_run_in_thread (task, fetch_thread);
}

GPtrArray *
ul_directory_fetch_finish (GAsyncResult *result, GPtrArray **skipped, GError **error)
{
  g_autoptr(FetchResult) fetched = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ul_directory_fetch_async,
                        NULL);

  fetched = g_task_propagate_pointer (G_TASK (result), error);
  if (fetched == NULL)
    return NULL;

  if (skipped != NULL)
    *skipped = g_steal_pointer (&fetched->skipped);
  return g_steal_pointer (&fetched->users);
}
