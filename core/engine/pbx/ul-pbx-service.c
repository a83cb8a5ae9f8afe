/* ul-pbx-service.c — the engine's PBX service.
 *
 * The long-lived link reconnects by itself; this object only turns its state into the
 * fault the onboarding status shows, and forwards the monitor's call states. The Connect
 * test uses its own one-shot link so that it reports exactly what went wrong with the
 * settings being tested, whatever the running link is doing.
 */
#define G_LOG_DOMAIN "uplink-pbx"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-csta-services.h"
#include "ul-error.h"
#include "ul-pbx-service.h"
#include "ul-status.h"

struct _UlPbxService
{
  GObject parent_instance;

  UlPbxLinkConfig *template;
  guint            monitor_retry_s;
  UlPbxLink       *link;
  UlPbxMonitor    *monitor;
  GStrv            devices;
};

G_DEFINE_FINAL_TYPE (UlPbxService, ul_pbx_service, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  SIGNAL_CALL_STATE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static UlPbxLinkConfig *
link_config_for (UlPbxService *self, const UlPbxConfig *pbx, gboolean reconnect)
{
  UlPbxLinkConfig *config = ul_pbx_link_config_copy (self->template);

  g_free (config->host);
  config->host = g_strdup (pbx->host);
  config->port = pbx->port;
  g_free (config->username);
  config->username = g_strdup (pbx->username);
  g_free (config->password);
  config->password = g_strdup (pbx->password);
  config->reconnect = reconnect;
  return config;
}

static void
on_changed (GObject *object, UlPbxService *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_call_state_changed (UlPbxMonitor *monitor,
                       const char   *extension,
                       guint         state,
                       UlPbxService *self)
{
  g_signal_emit (self, signals[SIGNAL_CALL_STATE_CHANGED], 0, extension, state);
}

static void
drop_link (UlPbxService *self)
{
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  if (self->link != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->link, self);
      ul_pbx_link_abort (self->link);
    }
  g_clear_object (&self->link);
}

void
ul_pbx_service_run (UlPbxService *self, const UlPbxConfig *pbx)
{
  g_autoptr(UlPbxLinkConfig) config = NULL;

  g_return_if_fail (UL_IS_PBX_SERVICE (self));

  drop_link (self);
  if (pbx != NULL && pbx->host != NULL)
    {
      config = link_config_for (self, pbx, TRUE);
      self->link = ul_pbx_link_new (config);
      self->monitor = ul_pbx_monitor_new (self->link);
      ul_pbx_monitor_set_retry_interval (self->monitor, self->monitor_retry_s);
      ul_pbx_monitor_set_devices (self->monitor, (const char * const *) self->devices);
      g_signal_connect (self->link, "state-changed", G_CALLBACK (on_changed), self);
      g_signal_connect (self->monitor, "monitors-changed", G_CALLBACK (on_changed), self);
      g_signal_connect (self->monitor, "call-state-changed", G_CALLBACK (on_call_state_changed),
                        self);
      ul_pbx_link_start (self->link);
    }
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_link_stopped (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;

  ul_pbx_link_stop_finish (UL_PBX_LINK (source), result);
  g_task_return_boolean (task, TRUE);
}

void
ul_pbx_service_stop_async (UlPbxService       *self,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, ul_pbx_service_stop_async);
  if (self->link == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* Rule 14: end the session properly; the monitors go with it. */
  g_signal_handlers_disconnect_by_data (self->link, self);
  ul_pbx_link_stop_async (self->link, on_link_stopped, g_steal_pointer (&task));
}

void
ul_pbx_service_stop_finish (UlPbxService *self, GAsyncResult *result)
{
  g_task_propagate_boolean (G_TASK (result), NULL);
}

void
ul_pbx_service_set_devices (UlPbxService *self, const char * const *extensions)
{
  g_return_if_fail (UL_IS_PBX_SERVICE (self));

  g_strfreev (self->devices);
  self->devices = g_strdupv ((char **) extensions);
  if (self->monitor != NULL)
    ul_pbx_monitor_set_devices (self->monitor, extensions);
}

UlPbxLinkState
ul_pbx_service_get_link_state (UlPbxService *self)
{
  return self->link != NULL ? ul_pbx_link_get_state (self->link) : UL_PBX_LINK_STATE_STOPPED;
}

const char *
ul_pbx_service_get_link_error (UlPbxService *self)
{
  const GError *error = self->link != NULL ? ul_pbx_link_get_last_error (self->link) : NULL;
  return error != NULL ? error->message : "";
}

UlCallState
ul_pbx_service_get_call_state (UlPbxService *self, const char *extension)
{
  return self->monitor != NULL ? ul_pbx_monitor_get_call_state (self->monitor, extension)
                               : UL_CALL_STATE_UNKNOWN;
}

UlMonitorState
ul_pbx_service_get_monitor_state (UlPbxService *self, const char *extension)
{
  return self->monitor != NULL ? ul_pbx_monitor_get_monitor_state (self->monitor, extension)
                               : UL_MONITOR_STATE_NONE;
}

const char *
ul_pbx_service_get_fault (UlPbxService *self, GVariant **params)
{
  const GError *error;
  const char *code = NULL;
  GVariantBuilder builder;

  if (self->link == NULL)
    return NULL;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  error = ul_pbx_link_get_last_error (self->link);
  if (ul_pbx_link_get_state (self->link) == UL_PBX_LINK_STATE_ACTIVE)
    {
      guint limited = ul_pbx_monitor_count (self->monitor, UL_MONITOR_STATE_LICENSE_LIMIT);
      if (limited > 0)
        {
          code = UL_STATUS_PBX_LICENSE_LIMIT;
          g_variant_builder_add (&builder, "{sv}", "count", g_variant_new_uint32 (limited));
        }
    }
  else if (error != NULL)
    {
      /* Before the first failure the link is merely connecting: no fault yet. */
      if (g_error_matches (error, UL_ERROR, UL_ERROR_PBX_AUTH_FAILED))
        code = UL_STATUS_PBX_AUTH_FAILED;
      else if (ul_pbx_link_was_active (self->link))
        code = UL_STATUS_PBX_LINK_LOST;
      else
        code = UL_STATUS_PBX_UNREACHABLE;
      g_variant_builder_add (&builder, "{sv}", "message", g_variant_new_string (error->message));
    }

  if (params != NULL)
    *params = g_variant_builder_end (&builder);
  else
    g_variant_builder_clear (&builder);
  return code;
}

UlPbxMonitor *
ul_pbx_service_get_monitor (UlPbxService *self, GError **error)
{
  if (self->monitor == NULL || ul_pbx_link_get_state (self->link) != UL_PBX_LINK_STATE_ACTIVE)
    {
      g_set_error_literal (error, UL_ERROR, UL_ERROR_PBX_UNREACHABLE,
                           _("The gateway is not connected to the PBX"));
      return NULL;
    }
  return self->monitor;
}

/* The Connect test. */

typedef struct
{
  UlPbxLink *link;
  char      *probe_extension;
  char      *cross_ref_id;
  char      *session_id;
  GError    *error;         /* the outcome, kept while the test link says goodbye */
  gulong     state_handler;
  gulong     cancel_handler;
} TestData;

static void
test_data_free (TestData *data)
{
  if (data->state_handler != 0)
    g_signal_handler_disconnect (data->link, data->state_handler);
  ul_pbx_link_abort (data->link);
  g_object_unref (data->link);
  g_free (data->probe_extension);
  g_free (data->cross_ref_id);
  g_free (data->session_id);
  g_clear_error (&data->error);
  g_free (data);
}

static void
on_test_return (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  TestData *data = g_task_get_task_data (task);

  if (data->cancel_handler != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), data->cancel_handler);
  data->cancel_handler = 0;
  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, g_strdup (data->session_id), g_free);
}

/* Reports the outcome from an idle callback, consuming @task: the outcome is often known
 * inside a link signal or a cancellation handler, where running the caller's callback
 * (or disconnecting from the cancellable) would re-enter them. */
static void
test_return (GTask *task)
{
  g_idle_add_once (on_test_return, task);
}

static void
on_test_stopped (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ul_pbx_link_stop_finish (UL_PBX_LINK (source), result);
  test_return (G_TASK (user_data));
}

/* Ends the test session politely (rule 14) and then reports the outcome. */
static void
test_finish (GTask *task)
{
  TestData *data = g_task_get_task_data (task);

  if (data->state_handler != 0)
    g_signal_handler_disconnect (data->link, data->state_handler);
  data->state_handler = 0;
  ul_pbx_link_stop_async (data->link, on_test_stopped, task);
}

static void
on_probe_stopped (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ul_csta_node_free (ul_pbx_link_request_finish (UL_PBX_LINK (source), result, NULL));
  test_finish (G_TASK (user_data));
}

static void
on_probe_started (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  TestData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCstaNode) reply = ul_pbx_link_request_finish (UL_PBX_LINK (source), result, &error);
  const char *cross_ref;
  g_autofree char *xml = NULL;

  if (reply == NULL)
    {
      /* Only a licence shortage fails the Connect step: an unknown probe extension is a
       * directory matter that the monitors report per user. */
      if (g_error_matches (error, UL_ERROR, UL_ERROR_PBX_LICENSE_LIMIT))
        data->error = g_error_new (UL_ERROR, UL_ERROR_PBX_LICENSE_LIMIT,
                                   _("Connected, but the PBX has no CSTA monitor licence left "
                                     "for the gateway; add licences on the PBX (%s)"),
                                   error->message);
      test_finish (task);
      return;
    }
  cross_ref = ul_csta_node_find_text (reply, "monitorCrossRefID");
  if (cross_ref == NULL)
    {
      test_finish (task);
      return;
    }
  xml = ul_csta_build_monitor_stop (NULL, cross_ref);
  ul_pbx_link_request_async (data->link, xml, NULL, on_probe_stopped, task);
}

static void
on_test_state_changed (UlPbxLink *link, GTask *task)
{
  TestData *data = g_task_get_task_data (task);

  switch (ul_pbx_link_get_state (link))
    {
    case UL_PBX_LINK_STATE_ACTIVE:
      g_signal_handler_disconnect (link, data->state_handler);
      data->state_handler = 0;
      data->session_id = g_strdup (ul_pbx_link_get_session_id (link));
      if (data->probe_extension != NULL)
        {
          g_autofree char *xml = ul_csta_build_monitor_start (NULL, data->probe_extension, NULL);
          ul_pbx_link_request_async (link, xml, NULL, on_probe_started, task);
        }
      else
        test_finish (task);
      break;

    case UL_PBX_LINK_STATE_STOPPED:
    case UL_PBX_LINK_STATE_BACKOFF:
      g_signal_handler_disconnect (link, data->state_handler);
      data->state_handler = 0;
      if (data->error == NULL)
        data->error = ul_pbx_link_get_last_error (link) != NULL
                        ? g_error_copy (ul_pbx_link_get_last_error (link))
                        : g_error_new_literal (UL_ERROR, UL_ERROR_PBX_UNREACHABLE,
                                               _("The PBX link closed"));
      test_return (task);
      break;

    default:
      break;
    }
}

static void
on_test_cancelled (GCancellable *cancellable, GTask *task)
{
  TestData *data = g_task_get_task_data (task);

  if (data->error == NULL)
    data->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       _("The connection test was cancelled"));
  ul_pbx_link_abort (data->link);
}

void
ul_pbx_service_test_async (UlPbxService       *self,
                           const UlPbxConfig  *pbx,
                           const char         *probe_extension,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(UlPbxLinkConfig) config = link_config_for (self, pbx, FALSE);
  TestData *data = g_new0 (TestData, 1);

  g_task_set_source_tag (task, ul_pbx_service_test_async);
  data->link = ul_pbx_link_new (config);
  data->probe_extension = g_strdup (probe_extension);
  g_task_set_task_data (task, data, (GDestroyNotify) test_data_free);

  data->state_handler = g_signal_connect (data->link, "state-changed",
                                          G_CALLBACK (on_test_state_changed), task);
  if (cancellable != NULL)
    data->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_test_cancelled),
                                                  task, NULL);
  ul_pbx_link_start (data->link);
}

char *
ul_pbx_service_test_finish (UlPbxService *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

UlPbxLinkConfig *
ul_pbx_service_dup_link_template (UlPbxService *self)
{
  g_return_val_if_fail (UL_IS_PBX_SERVICE (self), NULL);
  return ul_pbx_link_config_copy (self->template);
}

void
ul_pbx_service_set_link_template (UlPbxService *self, const UlPbxLinkConfig *tmpl)
{
  g_return_if_fail (UL_IS_PBX_SERVICE (self));

  ul_pbx_link_config_free (self->template);
  self->template = tmpl != NULL ? ul_pbx_link_config_copy (tmpl) : ul_pbx_link_config_new ();
}

static void
ul_pbx_service_dispose (GObject *object)
{
  UlPbxService *self = UL_PBX_SERVICE (object);

  drop_link (self);
  G_OBJECT_CLASS (ul_pbx_service_parent_class)->dispose (object);
}

static void
ul_pbx_service_finalize (GObject *object)
{
  UlPbxService *self = UL_PBX_SERVICE (object);

  ul_pbx_link_config_free (self->template);
  g_strfreev (self->devices);
  G_OBJECT_CLASS (ul_pbx_service_parent_class)->finalize (object);
}

static void
ul_pbx_service_class_init (UlPbxServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ul_pbx_service_dispose;
  object_class->finalize = ul_pbx_service_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_CALL_STATE_CHANGED] =
    g_signal_new ("call-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

/* Test and tuning knobs, read once at start: the timings of csta.md rules 8, 12, 17 and 20
 * make recovery tests take minutes, so the integration tests shorten them for the uplinkd
 * they start. Not a user setting, hence not in uplinkd.conf:
 *   UL_PBX_BACKOFF_MS, UL_PBX_BACKOFF_MAX_MS    reconnect back-off (2000, 60000)
 *   UL_PBX_REQUEST_TIMEOUT_MS                   per request and login (10000)
 *   UL_PBX_CONNECT_TIMEOUT_MS                   TCP connect (5000)
 *   UL_PBX_MONITOR_RETRY_S                      licence-limited monitors (600) */
static void
read_env_knob (const char *name, guint *value)
{
  const char *text = g_getenv (name);
  guint64 parsed;

  if (text == NULL)
    return;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &parsed, NULL))
    {
      g_message ("ignoring %s=%s: not a positive number", name, text);
      return;
    }
  *value = (guint) parsed;
}

static void
ul_pbx_service_init (UlPbxService *self)
{
  self->template = ul_pbx_link_config_new ();
  self->monitor_retry_s = UL_PBX_MONITOR_RETRY_S;
  read_env_knob ("UL_PBX_BACKOFF_MS", &self->template->backoff_initial_ms);
  read_env_knob ("UL_PBX_BACKOFF_MAX_MS", &self->template->backoff_max_ms);
  read_env_knob ("UL_PBX_REQUEST_TIMEOUT_MS", &self->template->request_timeout_ms);
  read_env_knob ("UL_PBX_CONNECT_TIMEOUT_MS", &self->template->connect_timeout_ms);
  read_env_knob ("UL_PBX_MONITOR_RETRY_S", &self->monitor_retry_s);
}

UlPbxService *
ul_pbx_service_new (void)
{
  return g_object_new (UL_TYPE_PBX_SERVICE, NULL);
}
