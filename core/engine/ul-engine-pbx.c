/* ul-engine-pbx.c — UlEngine's PBX side: the Connect and Sync steps, the long-lived link,
 * the users with their call state, and CTI. The work itself is done by UlPbxService and
 * UlDirectoryService; this file decides when, and keeps the status in step.
 */
#define G_LOG_DOMAIN "uplink-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-engine-private.h"
#include "ul-error.h"
#include "ul-validate.h"
#include "ul-variant.h"

#define SHUTDOWN_TIMEOUT_MS 3000

static void
update_devices (UlEngine *self)
{
  GPtrArray *users = ul_directory_service_get_users (self->directory);
  g_autoptr(GPtrArray) extensions = g_ptr_array_new ();

  for (guint i = 0; i < users->len; i++)
    g_ptr_array_add (extensions, ((UlUser *) g_ptr_array_index (users, i))->extension);
  g_ptr_array_add (extensions, NULL);
  ul_pbx_service_set_devices (self->pbx_service, (const char * const *) extensions->pdata);
}

/* The directory follows the PBX sync schedule once the Connect or Sync step was done. */
static void
update_schedule (UlEngine *self)
{
  gboolean active = self->connected_once || ul_directory_service_has_synced (self->directory);
  guint minutes = self->pbx != NULL ? self->pbx->sync_schedule : UL_SYNC_SCHEDULE_DEFAULT;

  ul_directory_service_set_schedule (self->directory, active ? minutes : 0);
}

static void
on_users_changed (UlDirectoryService *directory, UlEngine *self)
{
  update_devices (self);
  ul_engine_refresh_status (self);
  g_signal_emit (self, ul_engine_signals[SIGNAL_USERS_CHANGED], 0);
}

static void
on_sync_state_changed (UlDirectoryService *directory, UlEngine *self)
{
  update_schedule (self);
  ul_engine_refresh_status (self);
}

static void
on_pbx_changed (UlPbxService *service, UlEngine *self)
{
  ul_engine_refresh_status (self);
  g_signal_emit (self, ul_engine_signals[SIGNAL_PBX_CHANGED], 0);
}

static void
on_call_state_changed (UlPbxService *service, const char *extension, guint state, UlEngine *self)
{
  g_signal_emit (self, ul_engine_signals[SIGNAL_CALL_STATE_CHANGED], 0, extension,
                 ul_call_state_to_string (state));
}

gboolean
ul_engine_load_settings (UlEngine *self, GKeyFile *keyfile, GError **error)
{
  g_autoptr(UlPbxLinkConfig) tmpl = ul_pbx_service_dup_link_template (self->pbx_service);
  g_autofree char *style = NULL;
  g_autofree char *application_id = NULL;
  g_autoptr(GError) local_error = NULL;
  gint duration;

  g_return_val_if_fail (UL_IS_ENGINE (self), FALSE);

  style = g_key_file_get_string (keyfile, "pbx", "login-style", NULL);
  if (style != NULL)
    {
      if (g_str_equal (style, "user-password"))
        tmpl->login_style = UL_CSTA_LOGIN_STYLE_USER_PASSWORD;
      else if (g_str_equal (style, "session-login-info"))
        tmpl->login_style = UL_CSTA_LOGIN_STYLE_SESSION_LOGIN_INFO;
      else
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "pbx.login-style",
                              _("“%s” is not a login style; use user-password or "
                                "session-login-info"),
                              style);
          return FALSE;
        }
    }

  application_id = g_key_file_get_string (keyfile, "pbx", "application-id", NULL);
  if (application_id != NULL)
    {
      if (!ul_validate_text (application_id, 64, "pbx.application-id", error))
        return FALSE;
      g_free (tmpl->application_id);
      tmpl->application_id = g_steal_pointer (&application_id);
    }

  duration = g_key_file_get_integer (keyfile, "pbx", "session-duration", &local_error);
  if (local_error == NULL)
    {
      if (duration < 30 || duration > 3600)
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "pbx.session-duration",
                              _("The session duration must be between 30 and 3600 seconds"));
          return FALSE;
        }
      tmpl->session_duration = (guint) duration;
    }
  else if (!g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND)
           && !g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND))
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "pbx.session-duration", "%s",
                          local_error->message);
      return FALSE;
    }

  ul_pbx_service_set_link_template (self->pbx_service, tmpl);
  return ul_engine_mail_load_settings (self, keyfile, error);
}

void
ul_engine_pbx_init (UlEngine *self)
{
  self->pbx_service = ul_pbx_service_new ();
  ul_directory_service_set_customer (self->directory, self->customer);
  update_devices (self);
  g_signal_connect (self->directory, "users-changed", G_CALLBACK (on_users_changed), self);
  g_signal_connect (self->directory, "sync-state-changed", G_CALLBACK (on_sync_state_changed),
                    self);
  g_signal_connect (self->pbx_service, "changed", G_CALLBACK (on_pbx_changed), self);
  g_signal_connect (self->pbx_service, "call-state-changed", G_CALLBACK (on_call_state_changed),
                    self);
}

/* The long-lived link runs once a Connect succeeded with the current settings. */
static void
run_link (UlEngine *self)
{
  gboolean deactivated = self->customer != NULL
                         && self->customer->state == UL_CUSTOMER_STATE_DEACTIVATED;

  ul_pbx_service_run (self->pbx_service,
                      self->connected_once && !deactivated ? self->pbx : NULL);
}

void
ul_engine_pbx_start (UlEngine *self)
{
  run_link (self);
  update_schedule (self);
}

static void
on_stopped (GObject *source, GAsyncResult *result, gpointer user_data)
{
  UlEngine *self = user_data;

  ul_pbx_service_stop_finish (UL_PBX_SERVICE (source), result);
  self->pbx_stopped = TRUE;
}

static gboolean
on_shutdown_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs after the main loop ended: ends the CSTA session politely (csta.md rule 14) by
 * iterating the context until the PBX acknowledges, at most SHUTDOWN_TIMEOUT_MS. */
void
ul_engine_pbx_shutdown (UlEngine *self)
{
  gboolean timed_out = FALSE;
  guint timeout_id;

  ul_directory_service_set_schedule (self->directory, 0);
  self->pbx_stopped = FALSE;
  ul_pbx_service_stop_async (self->pbx_service, on_stopped, self);
  timeout_id = g_timeout_add (SHUTDOWN_TIMEOUT_MS, on_shutdown_timeout, &timed_out);
  while (!self->pbx_stopped && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  ul_pbx_service_run (self->pbx_service, NULL);
}

void
ul_engine_pbx_reconfigure (UlEngine *self, gboolean relink)
{
  if (relink && self->connected_once)
    {
      /* The last Connect proved other settings: ask for a new one. A failure to store
       * that only means the status keeps "overview" until the next Connect. */
      g_autoptr(GError) error = NULL;

      if (!ul_store_set_fact (self->store, FACT_CONNECTED_AT, NULL, &error))
        g_warning ("cannot reset the connect state: %s", error->message);
      else
        self->connected_once = FALSE;
    }
  if (relink)
    run_link (self);
  update_schedule (self);
}

const char *
ul_engine_pbx_fault (UlEngine *self, GVariant **params)
{
  const char *fault;
  const char *directory_error;
  GVariantBuilder builder;
  guint ineligible;

  *params = NULL;
  if (self->pbx_service == NULL)
    return NULL;

  fault = ul_pbx_service_get_fault (self->pbx_service, params);
  if (fault != NULL)
    {
      g_variant_ref_sink (*params);
      return fault;
    }
  g_clear_pointer (params, g_variant_unref);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  directory_error = ul_directory_service_get_error (self->directory);
  ineligible = ul_directory_service_count_ineligible (self->directory);
  if (directory_error != NULL)
    {
      g_variant_builder_add (&builder, "{sv}", "message", g_variant_new_string (directory_error));
      fault = UL_STATUS_DIRECTORY_FAILED;
    }
  /* Some users without a usable e-mail address (a conference room, a shared mailbox) are
   * normal in every company: the Sync result and the Deployment step list them, and the
   * deployment still reaches Overview. Only a directory where nobody can get the app is a
   * fault to resolve (most often an e-mail column that is not mapped). */
  else if (ineligible > 0 && ineligible == ul_directory_service_count_users (self->directory))
    {
      g_variant_builder_add (&builder, "{sv}", "count", g_variant_new_uint32 (ineligible));
      fault = UL_STATUS_USERS_MISSING_EMAIL;
    }
  *params = g_variant_ref_sink (g_variant_builder_end (&builder));
  return fault;
}

/* Connect */

typedef struct
{
  UlCaller caller;        /* strings owned below */
  char    *actor;
  char    *peer;
  guint    sync_schedule;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  g_free (data->actor);
  g_free (data->peer);
  g_free (data);
}

static void
on_initial_sync_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) report = ul_directory_service_sync_finish (UL_DIRECTORY_SERVICE (source),
                                                                 result, &error);

  /* The status shows a failure (directory-failed); nothing else to do here. */
  if (report == NULL)
    g_message ("sync after Connect failed: %s", error->message);
}

static void
on_connect_tested (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  UlEngine *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *session_id = ul_pbx_service_test_finish (UL_PBX_SERVICE (source), result,
                                                            &error);
  g_autoptr(UlPbxConfig) candidate = NULL;
  g_autofree char *now = NULL;
  GVariantBuilder builder;

  if (session_id == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->pbx == NULL)
    {
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_WRONG_STATE,
                               _("The PBX information was removed during the connection test"));
      return;
    }

  /* Store the schedule and the proof of connection together. */
  candidate = ul_pbx_config_copy (self->pbx);
  candidate->sync_schedule = data->sync_schedule;
  ul_engine_audit (self, &data->caller, "connect", "syncSchedule");
  now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  if (!ul_store_save_pbx (self->store, candidate, &error)
      || !ul_store_set_fact (self->store, FACT_CONNECTED_AT, now, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_pointer (&self->pbx, ul_pbx_config_free);
  self->pbx = g_steal_pointer (&candidate);
  self->connected_once = TRUE;
  run_link (self);
  update_schedule (self);
  g_signal_emit (self, ul_engine_signals[SIGNAL_CHANGED], 0, "pbx");
  ul_engine_refresh_status (self);

  /* The seed: users propagate once connected. */
  if (ul_directory_service_is_configured (self->directory))
    ul_directory_service_sync_async (self->directory, &data->caller, NULL, on_initial_sync_done,
                                     NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "message",
                         g_variant_new_string (_("Connection successful")));
  g_variant_builder_add (&builder, "{sv}", "sessionId", g_variant_new_string (session_id));
  g_variant_builder_add (&builder, "{sv}", "syncSchedule",
                         g_variant_new_uint32 (self->pbx->sync_schedule));
  g_task_return_pointer (task, g_variant_ref_sink (g_variant_builder_end (&builder)),
                         (GDestroyNotify) g_variant_unref);
}

void
ul_engine_connect_async (UlEngine           *self,
                         const UlCaller     *caller,
                         GVariant           *options,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) schedule = NULL;
  GPtrArray *users = ul_directory_service_get_users (self->directory);
  ConnectData *data = g_new0 (ConnectData, 1);
  gint64 minutes;

  g_task_set_source_tag (task, ul_engine_connect_async);
  data->actor = g_strdup (caller != NULL ? caller->actor : NULL);
  data->peer = g_strdup (caller != NULL ? caller->peer : NULL);
  data->caller.actor = data->actor;
  data->caller.peer = data->peer;
  g_task_set_task_data (task, data, (GDestroyNotify) connect_data_free);

  if (!ul_engine_check_active (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->pbx == NULL)
    {
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_WRONG_STATE,
                               _("Enter and save the PBX information first"));
      return;
    }

  data->sync_schedule = self->pbx->sync_schedule;
  schedule = options != NULL ? g_variant_lookup_value (options, "syncSchedule", NULL) : NULL;
  if (schedule != NULL)
    {
      if (!ul_variant_get_int (schedule, "syncSchedule", &minutes, &error)
          || !ul_validate_sync_schedule (minutes, "syncSchedule", &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      data->sync_schedule = (guint) minutes;
    }

  ul_pbx_service_test_async (self->pbx_service, self->pbx,
                             users->len > 0 ? ((UlUser *) g_ptr_array_index (users, 0))->extension
                                            : NULL,
                             cancellable, on_connect_tested, g_steal_pointer (&task));
}

GVariant *
ul_engine_connect_finish (UlEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Sync */

static void
on_sync_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GVariant *report = ul_directory_service_sync_finish (UL_DIRECTORY_SERVICE (source), result,
                                                       &error);

  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) g_variant_unref);
}

void
ul_engine_sync_async (UlEngine           *self,
                      const UlCaller     *caller,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, ul_engine_sync_async);
  if (!ul_engine_check_active (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ul_directory_service_sync_async (self->directory, caller, cancellable, on_sync_done,
                                   g_steal_pointer (&task));
}

GVariant *
ul_engine_sync_finish (UlEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Directory configuration */

GVariant *
ul_engine_get_directory (UlEngine *self)
{
  g_autoptr(UlDirectoryConfig) config = ul_directory_service_get_config (self->directory);

  return ul_directory_config_to_variant (config);
}

gboolean
ul_engine_update_directory (UlEngine       *self,
                            const UlCaller *caller,
                            GVariant       *changes,
                            GError        **error)
{
  if (!ul_engine_check_active (self, error)
      || !ul_directory_service_update_config (self->directory, caller, changes, error))
    return FALSE;
  g_signal_emit (self, ul_engine_signals[SIGNAL_CHANGED], 0, "directory");
  return TRUE;
}

const char *
ul_engine_get_link_state (UlEngine *self)
{
  return ul_pbx_link_state_to_string (ul_pbx_service_get_link_state (self->pbx_service));
}

const char *
ul_engine_get_link_error (UlEngine *self)
{
  return ul_pbx_service_get_link_error (self->pbx_service);
}

/* Users */

static GVariant *
user_to_variant (UlEngine *self, const UlUser *user)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  ul_user_add_to_builder (user, &builder);
  g_variant_builder_add (&builder, "{sv}", "callState",
                         g_variant_new_string (ul_call_state_to_string (
                           ul_pbx_service_get_call_state (self->pbx_service, user->extension))));
  g_variant_builder_add (&builder, "{sv}", "monitorState",
                         g_variant_new_string (ul_monitor_state_to_string (
                           ul_pbx_service_get_monitor_state (self->pbx_service, user->extension))));
  return g_variant_builder_end (&builder);
}

GVariant *
ul_engine_list_users (UlEngine *self, guint offset, guint limit, int eligible, guint *total)
{
  GPtrArray *users = ul_directory_service_get_users (self->directory);
  GVariantBuilder builder;
  guint matched = 0;

  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < users->len; i++)
    {
      const UlUser *user = g_ptr_array_index (users, i);
      gboolean is_eligible = user->eligibility == UL_USER_ELIGIBILITY_ELIGIBLE;

      if (eligible >= 0 && is_eligible != (eligible > 0))
        continue;
      if (matched >= offset && matched - offset < limit)
        g_variant_builder_add_value (&builder, user_to_variant (self, user));
      matched++;
    }
  if (total != NULL)
    *total = matched;
  return g_variant_builder_end (&builder);
}

static const UlUser *
find_user (UlEngine *self, const char *extension, GError **error)
{
  const UlUser *user = ul_directory_service_find_user (self->directory, extension);

  if (user == NULL)
    ul_set_field_error (error, UL_ERROR_NOT_FOUND, "extension", _("No user has extension %s"),
                        extension != NULL ? extension : "");
  return user;
}

GVariant *
ul_engine_get_user (UlEngine *self, const char *extension, GError **error)
{
  const UlUser *user;

  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);
  user = find_user (self, extension, error);
  return user != NULL ? user_to_variant (self, user) : NULL;
}

/* CTI */

static void
on_make_call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *call_id = ul_pbx_monitor_make_call_finish (UL_PBX_MONITOR (source), result, &error);

  if (call_id == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, call_id, g_free);
}

void
ul_engine_make_call_async (UlEngine           *self,
                           const UlCaller     *caller,
                           const char         *extension,
                           const char         *number,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  const UlUser *user;
  UlPbxMonitor *monitor;

  g_task_set_source_tag (task, ul_engine_make_call_async);
  user = find_user (self, extension, &error);
  if (user == NULL || !ul_validate_required (number, "number", &error)
      || !ul_validate_digits (number, "number", &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  monitor = ul_pbx_service_get_monitor (self->pbx_service, &error);
  if (monitor == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_message ("%s: MakeCall %s → %s", caller != NULL && caller->actor != NULL ? caller->actor : "?",
             extension, number);
  ul_pbx_monitor_make_call_async (monitor, ul_user_get_cti_device (user), number, cancellable,
                                  on_make_call_done, g_steal_pointer (&task));
}

char *
ul_engine_make_call_finish (UlEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_cti_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!ul_pbx_monitor_cti_finish (UL_PBX_MONITOR (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
cti_on_user (UlEngine           *self,
             const char         *extension,
             gboolean            answer,
             GCancellable       *cancellable,
             GAsyncReadyCallback callback,
             gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  UlPbxMonitor *monitor;

  g_task_set_source_tag (task, ul_engine_cti_finish);
  if (find_user (self, extension, &error) == NULL
      || (monitor = ul_pbx_service_get_monitor (self->pbx_service, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (answer)
    ul_pbx_monitor_answer_call_async (monitor, extension, cancellable, on_cti_done,
                                      g_steal_pointer (&task));
  else
    ul_pbx_monitor_clear_connection_async (monitor, extension, cancellable, on_cti_done,
                                           g_steal_pointer (&task));
}

void
ul_engine_answer_call_async (UlEngine           *self,
                             const UlCaller     *caller,
                             const char         *extension,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  cti_on_user (self, extension, TRUE, cancellable, callback, user_data);
}

void
ul_engine_clear_connection_async (UlEngine           *self,
                                  const UlCaller     *caller,
                                  const char         *extension,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  cti_on_user (self, extension, FALSE, cancellable, callback, user_data);
}

gboolean
ul_engine_cti_finish (UlEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
