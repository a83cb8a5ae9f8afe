/* ul-pbx-monitor.c — device monitors and call state.
 *
 * Each extension has a Device record: its monitor (state, cross-reference ID) and the
 * calls the switch reported for it, keyed by call ID, each with the local connection
 * state and the device ID string the switch used for our side. Device IDs are echoed
 * back as received (rule 16), never rebuilt.
 */
#define G_LOG_DOMAIN "uplink-pbx"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-csta-events.h"
#include "ul-csta-services.h"
#include "ul-error.h"
#include "ul-pbx-monitor.h"

typedef struct
{
  char *call_id;
  char *device_id;   /* our side of the call, as the switch names it */
  char *state;       /* localConnectionInfo */
} Call;

typedef struct
{
  char          *extension;
  UlMonitorState monitor;
  char          *cross_ref_id;
  GHashTable    *calls;      /* call ID → Call* */
  UlCallState    call_state;
} Device;

struct _UlPbxMonitor
{
  GObject parent_instance;

  UlPbxLink  *link;
  GHashTable *devices;       /* extension → Device* */
  GHashTable *by_cross_ref;  /* cross-reference ID → Device* (borrowed) */
  GQueue      to_start;      /* extensions (owned strings) waiting for a MonitorStart */
  guint       in_flight;
  guint       retry_id;
  guint       retry_interval_s;
  GCancellable *cancellable; /* of the current link session */
};

G_DEFINE_FINAL_TYPE (UlPbxMonitor, ul_pbx_monitor, G_TYPE_OBJECT)

enum
{
  SIGNAL_CALL_STATE_CHANGED,
  SIGNAL_MONITORS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_more (UlPbxMonitor *self);

const char *
ul_call_state_to_string (UlCallState state)
{
  static const char *names[] = { "unknown", "idle", "ringing", "busy", "held" };
  return state < G_N_ELEMENTS (names) ? names[state] : "unknown";
}

const char *
ul_monitor_state_to_string (UlMonitorState state)
{
  static const char *names[] = { "none", "pending", "active", "license-limit", "invalid-device",
                                 "failed" };
  return state < G_N_ELEMENTS (names) ? names[state] : "none";
}

static void
call_free (Call *call)
{
  g_free (call->call_id);
  g_free (call->device_id);
  g_free (call->state);
  g_free (call);
}

static void
device_free (Device *device)
{
  g_free (device->extension);
  g_free (device->cross_ref_id);
  g_hash_table_unref (device->calls);
  g_free (device);
}

static Device *
device_new (const char *extension)
{
  Device *device = g_new0 (Device, 1);

  device->extension = g_strdup (extension);
  device->calls = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) call_free);
  return device;
}

/* "N<1001>;noa=nk" and "1001" both name extension 1001 (rule 16 keeps the string opaque
 * for sending; this is only for recognising our own side in events). */
static gboolean
device_is (const char *device_id, const char *extension)
{
  const char *start;
  gsize len;

  if (device_id == NULL)
    return FALSE;
  start = device_id;
  if (g_str_has_prefix (start, "N<"))
    start += 2;
  len = strcspn (start, ">;");
  return strlen (extension) == len && strncmp (start, extension, len) == 0;
}

static UlCallState
derive_call_state (Device *device)
{
  GHashTableIter iter;
  Call *call;
  gboolean busy = FALSE, ringing = FALSE, held = FALSE;

  if (device->monitor != UL_MONITOR_STATE_ACTIVE)
    return UL_CALL_STATE_UNKNOWN;

  g_hash_table_iter_init (&iter, device->calls);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &call))
    {
      if (g_strcmp0 (call->state, "alerting") == 0)
        ringing = TRUE;
      else if (g_strcmp0 (call->state, "hold") == 0)
        held = TRUE;
      else
        busy = TRUE;
    }
  if (busy)
    return UL_CALL_STATE_BUSY;
  if (ringing)
    return UL_CALL_STATE_RINGING;
  if (held)
    return UL_CALL_STATE_HELD;
  return UL_CALL_STATE_IDLE;
}

static void
update_call_state (UlPbxMonitor *self, Device *device)
{
  UlCallState state = derive_call_state (device);

  if (state == device->call_state)
    return;
  device->call_state = state;
  g_signal_emit (self, signals[SIGNAL_CALL_STATE_CHANGED], 0, device->extension, (guint) state);
}

static void
set_monitor_state (UlPbxMonitor *self, Device *device, UlMonitorState state)
{
  if (device->monitor == state)
    return;
  device->monitor = state;
  if (state != UL_MONITOR_STATE_ACTIVE)
    {
      if (device->cross_ref_id != NULL)
        g_hash_table_remove (self->by_cross_ref, device->cross_ref_id);
      g_clear_pointer (&device->cross_ref_id, g_free);
      g_hash_table_remove_all (device->calls);
    }
  update_call_state (self, device);
  g_signal_emit (self, signals[SIGNAL_MONITORS_CHANGED], 0);
}

typedef struct
{
  UlPbxMonitor *self;
  GCancellable *session;
  char         *extension;
} StartData;

static void
start_data_free (StartData *data)
{
  g_object_unref (data->session);
  g_object_unref (data->self);
  g_free (data->extension);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StartData, start_data_free)

static void
on_monitor_started (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(StartData) data = user_data;
  UlPbxMonitor *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCstaNode) reply = ul_pbx_link_request_finish (UL_PBX_LINK (source), result, &error);
  Device *device;
  const char *cross_ref;

  if (data->session != self->cancellable || g_cancellable_is_cancelled (data->session))
    return;   /* the link went down meanwhile; everything restarts on the next session */

  self->in_flight--;
  device = g_hash_table_lookup (self->devices, data->extension);
  if (device == NULL)
    {
      start_more (self);
      return;
    }

  cross_ref = reply != NULL ? ul_csta_node_find_text (reply, "monitorCrossRefID") : NULL;
  if (cross_ref != NULL && *cross_ref != '\0')
    {
      device->cross_ref_id = g_strdup (cross_ref);
      g_hash_table_insert (self->by_cross_ref, device->cross_ref_id, device);
      set_monitor_state (self, device, UL_MONITOR_STATE_ACTIVE);
    }
  else if (g_error_matches (error, UL_ERROR, UL_ERROR_PBX_LICENSE_LIMIT))
    {
      g_message ("no CSTA monitor licence left for extension %s", device->extension);
      set_monitor_state (self, device, UL_MONITOR_STATE_LICENSE_LIMIT);
    }
  else if (g_error_matches (error, UL_ERROR, UL_ERROR_NOT_FOUND))
    {
      g_message ("the PBX does not know extension %s", device->extension);
      set_monitor_state (self, device, UL_MONITOR_STATE_INVALID_DEVICE);
    }
  else
    {
      g_message ("cannot monitor extension %s: %s", device->extension,
                 error != NULL ? error->message : "no monitorCrossRefID in the response");
      set_monitor_state (self, device, UL_MONITOR_STATE_FAILED);
    }
  start_more (self);
}

/* Rule 15: at most UL_PBX_MONITOR_PIPELINE MonitorStart requests in flight. */
static void
start_more (UlPbxMonitor *self)
{
  while (self->in_flight < UL_PBX_MONITOR_PIPELINE && !g_queue_is_empty (&self->to_start)
         && ul_pbx_link_get_state (self->link) == UL_PBX_LINK_STATE_ACTIVE)
    {
      g_autofree char *extension = g_queue_pop_head (&self->to_start);
      Device *device = g_hash_table_lookup (self->devices, extension);
      g_autofree char *xml = NULL;
      StartData *data;

      /* Pending: queued twice (a retry came round before the pipeline drained) and
       * already sent; a second MonitorStart would cost a licence and leak a cross-ref. */
      if (device == NULL || device->monitor == UL_MONITOR_STATE_ACTIVE
          || device->monitor == UL_MONITOR_STATE_PENDING)
        continue;

      set_monitor_state (self, device, UL_MONITOR_STATE_PENDING);
      xml = ul_csta_build_monitor_start (NULL, extension, NULL);
      data = g_new0 (StartData, 1);
      data->self = g_object_ref (self);
      data->session = g_object_ref (self->cancellable);
      data->extension = g_steal_pointer (&extension);
      self->in_flight++;
      ul_pbx_link_request_async (self->link, xml, NULL, on_monitor_started, data);
    }
}

static void
queue_start (UlPbxMonitor *self, const char *extension)
{
  g_queue_push_tail (&self->to_start, g_strdup (extension));
}

static gboolean
on_retry (gpointer user_data)
{
  UlPbxMonitor *self = user_data;
  GHashTableIter iter;
  Device *device;

  g_hash_table_iter_init (&iter, self->devices);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &device))
    if (device->monitor == UL_MONITOR_STATE_LICENSE_LIMIT
        || device->monitor == UL_MONITOR_STATE_FAILED)
      queue_start (self, device->extension);
  start_more (self);
  return G_SOURCE_CONTINUE;
}

static void
on_link_state_changed (UlPbxLink *link, UlPbxMonitor *self)
{
  GHashTableIter iter;
  Device *device;

  /* Rule 13: a new session starts from scratch; the old cross-reference IDs mean nothing. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_queue_clear_full (&self->to_start, g_free);
  self->in_flight = 0;
  g_hash_table_iter_init (&iter, self->devices);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &device))
    set_monitor_state (self, device, UL_MONITOR_STATE_NONE);

  if (ul_pbx_link_get_state (link) != UL_PBX_LINK_STATE_ACTIVE)
    return;

  self->cancellable = g_cancellable_new ();
  g_hash_table_iter_init (&iter, self->devices);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &device))
    queue_start (self, device->extension);
  start_more (self);
}

static void
apply_event (UlPbxMonitor *self, Device *device, const UlCstaEvent *event)
{
  const char *state = event->local_connection_info;
  gboolean ours = device_is (event->device_id, device->extension);
  Call *call;

  if (event->call_id == NULL || *event->call_id == '\0')
    return;

  if (event->type == UL_CSTA_EVENT_CALL_CLEARED
      || (event->type == UL_CSTA_EVENT_CONNECTION_CLEARED
          && (ours || state == NULL || g_strcmp0 (state, "null") == 0)))
    {
      g_hash_table_remove (device->calls, event->call_id);
      return;
    }
  if (state == NULL || g_strcmp0 (state, "null") == 0)
    return;

  call = g_hash_table_lookup (device->calls, event->call_id);
  if (call == NULL)
    {
      call = g_new0 (Call, 1);
      call->call_id = g_strdup (event->call_id);
      g_hash_table_insert (device->calls, call->call_id, call);
    }
  g_free (call->state);
  call->state = g_strdup (state);
  if (ours || call->device_id == NULL)
    {
      g_free (call->device_id);
      call->device_id = g_strdup (ours ? event->device_id : device->extension);
    }
}

static void
on_link_event (UlPbxLink *link, gpointer root, UlPbxMonitor *self)
{
  UlCstaEvent event;
  Device *device;

  if (!ul_csta_event_parse (root, &event))
    return;
  if (event.type == UL_CSTA_EVENT_UNKNOWN)
    {
      /* Rule 18: unknown events are logged and ignored. */
      g_debug ("ignoring unknown event %s", ul_csta_node_get_name (root));
      return;
    }
  device = event.monitor_cross_ref_id != NULL
             ? g_hash_table_lookup (self->by_cross_ref, event.monitor_cross_ref_id)
             : NULL;
  if (device == NULL)
    {
      g_debug ("event %s for unknown monitor %s", ul_csta_node_get_name (root),
               event.monitor_cross_ref_id != NULL ? event.monitor_cross_ref_id : "(none)");
      return;
    }
  apply_event (self, device, &event);
  update_call_state (self, device);
}

void
ul_pbx_monitor_set_devices (UlPbxMonitor *self, const char * const *extensions)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  Device *device;
  gboolean active;

  g_return_if_fail (UL_IS_PBX_MONITOR (self));

  active = ul_pbx_link_get_state (self->link) == UL_PBX_LINK_STATE_ACTIVE;
  for (gsize i = 0; extensions != NULL && extensions[i] != NULL; i++)
    {
      g_hash_table_add (wanted, (gpointer) extensions[i]);
      if (!g_hash_table_contains (self->devices, extensions[i]))
        {
          g_hash_table_insert (self->devices, g_strdup (extensions[i]), device_new (extensions[i]));
          if (active)
            queue_start (self, extensions[i]);
        }
    }

  g_hash_table_iter_init (&iter, self->devices);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &device))
    {
      if (g_hash_table_contains (wanted, device->extension))
        continue;
      if (device->cross_ref_id != NULL && active)
        {
          g_autofree char *xml = ul_csta_build_monitor_stop (NULL, device->cross_ref_id);
          ul_pbx_link_request_async (self->link, xml, NULL, NULL, NULL);
        }
      if (device->cross_ref_id != NULL)
        g_hash_table_remove (self->by_cross_ref, device->cross_ref_id);
      g_hash_table_iter_remove (&iter);
    }
  start_more (self);
}

void
ul_pbx_monitor_set_retry_interval (UlPbxMonitor *self, guint seconds)
{
  g_return_if_fail (UL_IS_PBX_MONITOR (self));
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_interval_s = MAX (seconds, 1);
  self->retry_id = g_timeout_add_seconds (self->retry_interval_s, on_retry, self);
}

UlCallState
ul_pbx_monitor_get_call_state (UlPbxMonitor *self, const char *extension)
{
  Device *device = g_hash_table_lookup (self->devices, extension);
  return device != NULL ? device->call_state : UL_CALL_STATE_UNKNOWN;
}

UlMonitorState
ul_pbx_monitor_get_monitor_state (UlPbxMonitor *self, const char *extension)
{
  Device *device = g_hash_table_lookup (self->devices, extension);
  return device != NULL ? device->monitor : UL_MONITOR_STATE_NONE;
}

guint
ul_pbx_monitor_count (UlPbxMonitor *self, UlMonitorState state)
{
  GHashTableIter iter;
  Device *device;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->devices);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &device))
    n += device->monitor == state;
  return n;
}

static void
on_make_call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCstaNode) reply = ul_pbx_link_request_finish (UL_PBX_LINK (source), result, &error);
  const char *call_id;

  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  call_id = ul_csta_node_get_text_at (reply, "callingDevice/callID");
  g_task_return_pointer (task, g_strdup (call_id != NULL ? call_id : ""), g_free);
}

void
ul_pbx_monitor_make_call_async (UlPbxMonitor       *self,
                                const char         *calling_device,
                                const char         *called_number,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *xml = ul_csta_build_make_call (NULL, calling_device, called_number);

  g_task_set_source_tag (task, ul_pbx_monitor_make_call_async);
  ul_pbx_link_request_async (self->link, xml, cancellable, on_make_call_done, task);
}

char *
ul_pbx_monitor_make_call_finish (UlPbxMonitor *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_cti_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCstaNode) reply = ul_pbx_link_request_finish (UL_PBX_LINK (source), result, &error);

  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* The call of @extension in one of @states (tried in order), or NULL. */
static Call *
find_call (UlPbxMonitor *self, const char *extension, const char * const *states)
{
  Device *device = g_hash_table_lookup (self->devices, extension);

  if (device == NULL)
    return NULL;
  for (gsize i = 0; states[i] != NULL; i++)
    {
      GHashTableIter iter;
      Call *call;

      g_hash_table_iter_init (&iter, device->calls);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &call))
        if (*states[i] == '\0' || g_strcmp0 (call->state, states[i]) == 0)
          return call;
    }
  return NULL;
}

static void
cti_on_call (UlPbxMonitor       *self,
             const char         *extension,
             gboolean            answer,
             GCancellable       *cancellable,
             GAsyncReadyCallback callback,
             gpointer            user_data)
{
  static const char * const ringing[] = { "alerting", NULL };
  static const char * const any[] = { "connected", "initiated", "hold", "", NULL };
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = find_call (self, extension, answer ? ringing : any);
  g_autofree char *xml = NULL;

  g_task_set_source_tag (task, ul_pbx_monitor_cti_finish);
  if (call == NULL)
    {
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_WRONG_STATE,
                               answer ? _("Extension %s has no ringing call to answer")
                                      : _("Extension %s has no call to clear"),
                               extension);
      g_object_unref (task);
      return;
    }
  xml = answer ? ul_csta_build_answer_call (NULL, call->call_id, call->device_id)
               : ul_csta_build_clear_connection (NULL, call->call_id, call->device_id);
  ul_pbx_link_request_async (self->link, xml, cancellable, on_cti_done, task);
}

void
ul_pbx_monitor_answer_call_async (UlPbxMonitor       *self,
                                  const char         *extension,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  cti_on_call (self, extension, TRUE, cancellable, callback, user_data);
}

void
ul_pbx_monitor_clear_connection_async (UlPbxMonitor       *self,
                                       const char         *extension,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  cti_on_call (self, extension, FALSE, cancellable, callback, user_data);
}

gboolean
ul_pbx_monitor_cti_finish (UlPbxMonitor *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ul_pbx_monitor_dispose (GObject *object)
{
  UlPbxMonitor *self = UL_PBX_MONITOR (object);

  if (self->link != NULL)
    g_signal_handlers_disconnect_by_data (self->link, self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_queue_clear_full (&self->to_start, g_free);
  g_clear_object (&self->link);

  G_OBJECT_CLASS (ul_pbx_monitor_parent_class)->dispose (object);
}

static void
ul_pbx_monitor_finalize (GObject *object)
{
  UlPbxMonitor *self = UL_PBX_MONITOR (object);

  g_hash_table_unref (self->by_cross_ref);
  g_hash_table_unref (self->devices);

  G_OBJECT_CLASS (ul_pbx_monitor_parent_class)->finalize (object);
}

static void
ul_pbx_monitor_class_init (UlPbxMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ul_pbx_monitor_dispose;
  object_class->finalize = ul_pbx_monitor_finalize;

  signals[SIGNAL_CALL_STATE_CHANGED] =
    g_signal_new ("call-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
  signals[SIGNAL_MONITORS_CHANGED] =
    g_signal_new ("monitors-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
ul_pbx_monitor_init (UlPbxMonitor *self)
{
  self->devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) device_free);
  self->by_cross_ref = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->to_start);
}

UlPbxMonitor *
ul_pbx_monitor_new (UlPbxLink *link)
{
  UlPbxMonitor *self = g_object_new (UL_TYPE_PBX_MONITOR, NULL);

  self->link = g_object_ref (link);
  g_signal_connect (link, "state-changed", G_CALLBACK (on_link_state_changed), self);
  g_signal_connect (link, "event", G_CALLBACK (on_link_event), self);
  ul_pbx_monitor_set_retry_interval (self, UL_PBX_MONITOR_RETRY_S);
  if (ul_pbx_link_get_state (link) == UL_PBX_LINK_STATE_ACTIVE)
    on_link_state_changed (link, self);
  return self;
}
