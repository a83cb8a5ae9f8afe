/* ul-directory-service.c — the users of the gateway and the directory sync that feeds them. */
#define G_LOG_DOMAIN "uplink-directory"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-directory-diff.h"
#include "ul-directory-service.h"
#include "ul-directory-source.h"
#include "ul-error.h"

#define FACT_SYNCED_AT "synced-at"

struct _UlDirectoryService
{
  GObject parent_instance;

  UlStore           *store;
  UlDirectoryConfig *config;       /* NULL until first saved */
  GPtrArray         *users;        /* UlUser*, by extension */
  GHashTable        *by_extension; /* borrowed UlUser* */
  UlCustomer        *customer;     /* for the admin flags; may be NULL */
  char              *last_error;
  gboolean           synced;
  gboolean           syncing;
  guint              schedule_id;
  guint              schedule_minutes;
};

G_DEFINE_FINAL_TYPE (UlDirectoryService, ul_directory_service, G_TYPE_OBJECT)

enum
{
  SIGNAL_USERS_CHANGED,
  SIGNAL_SYNC_STATE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_users (UlDirectoryService *self, GPtrArray *users)
{
  g_hash_table_remove_all (self->by_extension);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  self->users = users;
  ul_users_compute_admin (self->users, self->customer);
  for (guint i = 0; i < self->users->len; i++)
    {
      UlUser *user = g_ptr_array_index (self->users, i);
      g_hash_table_insert (self->by_extension, user->extension, user);
    }
}

UlDirectoryService *
ul_directory_service_new (UlStore *store, GError **error)
{
  g_autoptr(UlDirectoryService) self = g_object_new (UL_TYPE_DIRECTORY_SERVICE, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *synced_at = NULL;
  GPtrArray *users;

  self->store = g_object_ref (store);
  self->config = ul_store_load_directory (store, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  users = ul_store_load_users (store, error);
  if (users == NULL)
    return NULL;
  set_users (self, users);

  synced_at = ul_store_get_fact (store, FACT_SYNCED_AT, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  self->synced = synced_at != NULL;
  return g_steal_pointer (&self);
}

UlDirectoryConfig *
ul_directory_service_get_config (UlDirectoryService *self)
{
  g_return_val_if_fail (UL_IS_DIRECTORY_SERVICE (self), NULL);
  return self->config != NULL ? ul_directory_config_copy (self->config) : ul_directory_config_new ();
}

gboolean
ul_directory_service_is_configured (UlDirectoryService *self)
{
  return self->config != NULL && self->config->kind != UL_DIRECTORY_KIND_NONE;
}

gboolean
ul_directory_service_update_config (UlDirectoryService *self,
                                    const UlCaller     *caller,
                                    GVariant           *changes,
                                    GError            **error)
{
  g_autoptr(UlDirectoryConfig) candidate = ul_directory_service_get_config (self);

  if (!ul_directory_config_apply (candidate, changes, error)
      || !ul_directory_config_validate (candidate, error))
    return FALSE;

  ul_store_set_audit (self->store, ul_audit_entry_new (caller != NULL ? caller->actor : NULL,
                                                       caller != NULL ? caller->peer : NULL,
                                                       "update-directory", NULL));
  if (!ul_store_save_directory (self->store, candidate, error))
    return FALSE;

  g_clear_pointer (&self->config, ul_directory_config_free);
  self->config = g_steal_pointer (&candidate);
  return TRUE;
}

GPtrArray *
ul_directory_service_get_users (UlDirectoryService *self)
{
  g_return_val_if_fail (UL_IS_DIRECTORY_SERVICE (self), NULL);
  return self->users;
}

const UlUser *
ul_directory_service_find_user (UlDirectoryService *self, const char *extension)
{
  g_return_val_if_fail (UL_IS_DIRECTORY_SERVICE (self), NULL);
  return extension != NULL ? g_hash_table_lookup (self->by_extension, extension) : NULL;
}

guint
ul_directory_service_count_ineligible (UlDirectoryService *self)
{
  guint n = 0;

  for (guint i = 0; i < self->users->len; i++)
    n += ((UlUser *) g_ptr_array_index (self->users, i))->eligibility != UL_USER_ELIGIBILITY_ELIGIBLE;
  return n;
}

guint
ul_directory_service_count_users (UlDirectoryService *self)
{
  g_return_val_if_fail (UL_IS_DIRECTORY_SERVICE (self), 0);
  return self->users->len;
}

void
ul_directory_service_set_customer (UlDirectoryService *self, const UlCustomer *customer)
{
  g_return_if_fail (UL_IS_DIRECTORY_SERVICE (self));

  g_clear_pointer (&self->customer, ul_customer_free);
  self->customer = customer != NULL ? ul_customer_copy (customer) : NULL;
  ul_users_compute_admin (self->users, self->customer);
  g_signal_emit (self, signals[SIGNAL_USERS_CHANGED], 0);
}

gboolean
ul_directory_service_reload_users (UlDirectoryService *self, GError **error)
{
  GPtrArray *users;

  g_return_val_if_fail (UL_IS_DIRECTORY_SERVICE (self), FALSE);

  users = ul_store_load_users (self->store, error);
  if (users == NULL)
    return FALSE;
  set_users (self, users);
  g_signal_emit (self, signals[SIGNAL_USERS_CHANGED], 0);
  return TRUE;
}

const char *
ul_directory_service_get_error (UlDirectoryService *self)
{
  return self->last_error;
}

gboolean
ul_directory_service_has_synced (UlDirectoryService *self)
{
  return self->synced;
}

static GVariant *
build_report (UlDirectoryService *self, const UlDirectoryDiff *diff)
{
  g_autoptr(GVariant) diff_dict = g_variant_ref_sink (ul_directory_diff_to_variant (diff));
  GVariantBuilder builder, ineligible;
  GVariantIter iter;
  const char *key;
  GVariant *value;
  guint n_ineligible = 0;
  g_autofree char *warning = NULL;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "message", g_variant_new_string (_("Sync successful")));
  g_variant_iter_init (&iter, diff_dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_variant_builder_add (&builder, "{sv}", key, value);
      g_variant_unref (value);
    }

  g_variant_builder_init (&ineligible, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < self->users->len; i++)
    {
      const UlUser *user = g_ptr_array_index (self->users, i);
      if (user->eligibility == UL_USER_ELIGIBILITY_ELIGIBLE)
        continue;
      g_variant_builder_add_value (&ineligible, ul_user_to_variant (user));
      n_ineligible++;
    }
  g_variant_builder_add (&builder, "{sv}", "ineligible", g_variant_builder_end (&ineligible));

  /* The seed's Sync step: a warning about users who cannot register their app. */
  if (n_ineligible > 0)
    warning = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u user has no usable e-mail address and cannot "
                                            "receive a deployment e-mail",
                                            "%u users have no usable e-mail address and cannot "
                                            "receive a deployment e-mail",
                                            n_ineligible),
                               n_ineligible);
  g_variant_builder_add (&builder, "{sv}", "warning",
                         g_variant_new_string (warning != NULL ? warning : ""));
  return g_variant_builder_end (&builder);
}

typedef struct
{
  char *actor;
  char *peer;
} SyncData;

static void
sync_data_free (SyncData *data)
{
  g_free (data->actor);
  g_free (data->peer);
  g_free (data);
}

static void
finish_sync (UlDirectoryService *self, const char *error_message)
{
  char *copy = g_strdup (error_message);  /* may be self->last_error itself */

  self->syncing = FALSE;
  g_free (self->last_error);
  self->last_error = copy;
  g_signal_emit (self, signals[SIGNAL_SYNC_STATE_CHANGED], 0);
}

static void
on_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  UlDirectoryService *self = g_task_get_source_object (task);
  SyncData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) skipped = NULL;
  g_autoptr(GPtrArray) fetched = ul_directory_fetch_finish (result, &skipped, &error);
  g_autoptr(UlDirectoryDiff) diff = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *now = NULL;
  GVariant *report;

  if (fetched == NULL)
    {
      /* A cancelled sync says nothing about the directory. */
      finish_sync (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                           ? self->last_error : error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  diff = ul_directory_diff_compute (self->users, fetched, skipped);
  ul_users_compute_admin (diff->users, self->customer);
  detail = g_strdup_printf ("added %u, changed %u, removed %u, skipped %u", diff->added->len,
                            diff->changed->len, diff->removed->len, diff->skipped->len);
  now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  ul_store_set_audit (self->store, ul_audit_entry_new (data->actor, data->peer, "sync", detail));
  if (!ul_store_replace_users (self->store, diff->users, FACT_SYNCED_AT, now, &error))
    {
      finish_sync (self, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_message ("directory sync: %s", detail);
  set_users (self, g_ptr_array_ref (diff->users));
  self->synced = TRUE;
  report = build_report (self, diff);
  finish_sync (self, NULL);
  g_signal_emit (self, signals[SIGNAL_USERS_CHANGED], 0);
  g_task_return_pointer (task, g_variant_ref_sink (report), (GDestroyNotify) g_variant_unref);
}

void
ul_directory_service_sync_async (UlDirectoryService *self,
                                 const UlCaller     *caller,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(UlDirectoryConfig) config = ul_directory_service_get_config (self);
  SyncData *data = g_new0 (SyncData, 1);

  g_task_set_source_tag (task, ul_directory_service_sync_async);
  data->actor = g_strdup (caller != NULL ? caller->actor : "scheduler");
  data->peer = g_strdup (caller != NULL ? caller->peer : NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) sync_data_free);

  if (self->syncing)
    {
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_BUSY, _("A sync is already running"));
      return;
    }
  if (!ul_directory_service_is_configured (self))
    {
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_WRONG_STATE,
                               _("Configure the directory the users come from first (LDAP or "
                                 "CSV)"));
      return;
    }

  self->syncing = TRUE;
  g_signal_emit (self, signals[SIGNAL_SYNC_STATE_CHANGED], 0);
  ul_directory_fetch_async (config, cancellable, on_fetched, g_steal_pointer (&task));
}

GVariant *
ul_directory_service_sync_finish (UlDirectoryService *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_scheduled_sync_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) report = ul_directory_service_sync_finish (UL_DIRECTORY_SERVICE (source),
                                                                 result, &error);

  if (report == NULL && !g_error_matches (error, UL_ERROR, UL_ERROR_BUSY))
    g_message ("scheduled directory sync failed: %s", error->message);
}

static gboolean
on_schedule (gpointer user_data)
{
  UlDirectoryService *self = user_data;

  if (ul_directory_service_is_configured (self) && !self->syncing)
    ul_directory_service_sync_async (self, NULL, NULL, on_scheduled_sync_done, NULL);
  return G_SOURCE_CONTINUE;
}

void
ul_directory_service_set_schedule (UlDirectoryService *self, guint minutes)
{
  g_return_if_fail (UL_IS_DIRECTORY_SERVICE (self));

  if (minutes == self->schedule_minutes && (minutes == 0) == (self->schedule_id == 0))
    return;
  g_clear_handle_id (&self->schedule_id, g_source_remove);
  self->schedule_minutes = minutes;
  if (minutes > 0)
    self->schedule_id = g_timeout_add_seconds (minutes * 60, on_schedule, self);
}

static void
ul_directory_service_finalize (GObject *object)
{
  UlDirectoryService *self = UL_DIRECTORY_SERVICE (object);

  g_clear_handle_id (&self->schedule_id, g_source_remove);
  g_hash_table_unref (self->by_extension);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->config, ul_directory_config_free);
  g_clear_pointer (&self->customer, ul_customer_free);
  g_clear_object (&self->store);
  g_free (self->last_error);

  G_OBJECT_CLASS (ul_directory_service_parent_class)->finalize (object);
}

static void
ul_directory_service_class_init (UlDirectoryServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ul_directory_service_finalize;

  signals[SIGNAL_USERS_CHANGED] =
    g_signal_new ("users-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SYNC_STATE_CHANGED] =
    g_signal_new ("sync-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
ul_directory_service_init (UlDirectoryService *self)
{
  self->by_extension = g_hash_table_new (g_str_hash, g_str_equal);
  self->users = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_user_free);
}
