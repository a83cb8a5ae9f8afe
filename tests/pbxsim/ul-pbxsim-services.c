/* ul-pbxsim-services.c — the CSTA services of the simulator (csta.md rules 23–25):
 * monitors, scripted calls, snapshots and the segmented device list. */
#define G_LOG_DOMAIN "uplink-pbxsim"

#include "ul-pbxsim-services.h"

#include "ul-pbxsim-calls.h"

static void
handle_system_register (UlPbxsimLink *link, guint invoke_id, const UlCstaNode *root)
{
  UlPbxsimServer *server = ul_pbxsim_link_get_server (link);
  UlCstaWriter *w = ul_csta_writer_new ("SystemRegisterResponse",
                                        ul_pbxsim_server_get_ns (server));
  g_autofree char *xml = NULL;

  ul_csta_writer_text (w, "sysStatRegisterID", "1");
  xml = ul_csta_writer_finish (w);
  ul_pbxsim_link_send (link, invoke_id, xml);
}

static void
handle_monitor_start (UlPbxsimLink *link, guint invoke_id, const UlCstaNode *root)
{
  UlPbxsimServer *server = ul_pbxsim_link_get_server (link);
  const char *object = ul_csta_node_find_text (root, "deviceObject");
  g_autofree char *device = ul_pbxsim_normalize_device (object);
  g_autofree char *cross_ref_id = NULL;
  g_autofree char *xml = NULL;
  const char *category = NULL;
  const char *value = NULL;

  if (!ul_pbxsim_server_monitor_start (server, link, device, &cross_ref_id, &category,
                                       &value))
    {
      ul_pbxsim_link_send_error (link, invoke_id, category, value);
      return;
    }

  g_message ("%s: monitor %s on %s", ul_pbxsim_link_get_peer (link), cross_ref_id, device);
  xml = ul_csta_build_monitor_start_response (ul_pbxsim_server_get_ns (server), cross_ref_id);
  ul_pbxsim_link_send (link, invoke_id, xml);
}

static void
handle_monitor_stop (UlPbxsimLink *link, guint invoke_id, const UlCstaNode *root)
{
  UlPbxsimServer *server = ul_pbxsim_link_get_server (link);
  const char *cross_ref_id = ul_csta_node_get_text_at (root, "monitorCrossRefID");
  g_autofree char *xml = NULL;

  if (!ul_pbxsim_server_monitor_stop (server, link, cross_ref_id))
    {
      ul_pbxsim_link_send_error (link, invoke_id, "operation", "invalidMonitorCrossRefID");
      return;
    }

  g_message ("%s: monitor %s stopped", ul_pbxsim_link_get_peer (link), cross_ref_id);
  xml = ul_csta_build_monitor_stop_response (ul_pbxsim_server_get_ns (server));
  ul_pbxsim_link_send (link, invoke_id, xml);
}

static void
handle_make_call (UlPbxsimLink *link, guint invoke_id, const UlCstaNode *root)
{
  UlPbxsimServer *server = ul_pbxsim_link_get_server (link);
  UlPbxsimCalls *calls = ul_pbxsim_server_get_calls (server);
  g_autofree char *calling = ul_pbxsim_normalize_device (
    ul_csta_node_get_text_at (root, "callingDevice"));
  g_autofree char *called = ul_pbxsim_normalize_device (
    ul_csta_node_get_text_at (root, "calledDirectoryNumber"));
  g_autofree char *call_id = NULL;
  g_autofree char *xml = NULL;
  const char *category = NULL;
  const char *value = NULL;

  ul_pbxsim_server_note_make_call (server, calling, called);
  call_id = ul_pbxsim_calls_make_call (calls, calling, called, &category, &value);
  if (call_id == NULL)
    {
      ul_pbxsim_link_send_error (link, invoke_id, category, value);
      return;
    }

  g_message ("%s: MakeCall %s -> %s: call %s", ul_pbxsim_link_get_peer (link), calling, called, call_id);
  xml = ul_csta_build_make_call_response (ul_pbxsim_server_get_ns (server), call_id, calling);
  ul_pbxsim_link_send (link, invoke_id, xml);
}

static void
handle_answer_call (UlPbxsimLink *link, guint invoke_id, const UlCstaNode *root)
{
  UlPbxsimServer *server = ul_pbxsim_link_get_server (link);
  UlPbxsimCalls *calls = ul_pbxsim_server_get_calls (server);
  g_autofree char *device = ul_pbxsim_normalize_device (
    ul_csta_node_get_text_at (root, "callToBeAnswered/deviceID"));
  const char *call_id = ul_csta_node_get_text_at (root, "callToBeAnswered/callID");
  g_autofree char *xml = NULL;
  const char *category = NULL;
  const char *value = NULL;

  if (!ul_pbxsim_calls_answer (calls, call_id, device, &category, &value))
    {
      ul_pbxsim_link_send_error (link, invoke_id, category, value);
      return;
    }

  xml = ul_csta_build_answer_call_response (ul_pbxsim_server_get_ns (server));
  ul_pbxsim_link_send (link, invoke_id, xml);
}

static void
handle_clear_connection (UlPbxsimLink *link, guint invoke_id, const UlCstaNode *root)
{
  UlPbxsimServer *server = ul_pbxsim_link_get_server (link);
  UlPbxsimCalls *calls = ul_pbxsim_server_get_calls (server);
  g_autofree char *device = ul_pbxsim_normalize_device (
    ul_csta_node_get_text_at (root, "connectionToBeCleared/deviceID"));
  const char *call_id = ul_csta_node_get_text_at (root, "connectionToBeCleared/callID");
  g_autofree char *xml = NULL;
  const char *category = NULL;
  const char *value = NULL;

  if (!ul_pbxsim_calls_clear (calls, call_id, device, &category, &value))
    {
      ul_pbxsim_link_send_error (link, invoke_id, category, value);
      return;
    }

  xml = ul_csta_build_clear_connection_response (ul_pbxsim_server_get_ns (server));
  ul_pbxsim_link_send (link, invoke_id, xml);
}

static void
handle_snapshot_device (UlPbxsimLink *link, guint invoke_id, const UlCstaNode *root)
{
  UlPbxsimServer *server = ul_pbxsim_link_get_server (link);
  UlPbxsimDirectory *directory = ul_pbxsim_server_get_directory (server);
  g_autofree char *device = ul_pbxsim_normalize_device (
    ul_csta_node_get_text_at (root, "snapshotObject"));
  g_autoptr(GArray) items = NULL;
  g_autofree char *xml = NULL;

  if (ul_pbxsim_directory_lookup (directory, device) == NULL)
    {
      ul_pbxsim_link_send_error (link, invoke_id, "operation", "invalidDeviceID");
      return;
    }

  items = ul_pbxsim_calls_snapshot (ul_pbxsim_server_get_calls (server), device);
  xml = ul_csta_build_snapshot_device_response (ul_pbxsim_server_get_ns (server),
                                                (const UlCstaSnapshotItem *) items->data,
                                                items->len);
  ul_pbxsim_link_send (link, invoke_id, xml);
}

static void
handle_get_devices (UlPbxsimLink *link, guint invoke_id, const UlCstaNode *root)
{
  UlPbxsimServer *server = ul_pbxsim_link_get_server (link);
  static guint next_service_cross_ref_id = 1;
  const UlPbxsimConfig *config = ul_pbxsim_server_get_config (server);
  UlPbxsimDirectory *directory = ul_pbxsim_server_get_directory (server);
  GPtrArray *users = ul_pbxsim_directory_get_users (directory);
  const char *requested = ul_csta_node_get_text_at (root, "requestedDeviceID");
  const char *category = ul_csta_node_get_text_at (root, "requestedDeviceCategory");
  g_autofree char *requested_device = requested != NULL ? ul_pbxsim_normalize_device (requested)
                                                        : NULL;
  g_autoptr(GArray) devices = g_array_new (FALSE, TRUE, sizeof (UlCstaDeviceListItem));
  g_autofree char *xref = g_strdup_printf ("%u", next_service_cross_ref_id++);
  g_autofree char *xml = NULL;
  g_autoptr(GPtrArray) segments = NULL;

  if (requested_device != NULL && ul_pbxsim_directory_lookup (directory, requested_device) == NULL)
    {
      ul_pbxsim_link_send_error (link, invoke_id, "operation", "invalidDeviceID");
      return;
    }

  /* Every simulated device is a station (§4.6): other categories list nothing. */
  if (category == NULL || g_str_equal (category, "station"))
    for (guint i = 0; i < users->len; i++)
      {
        const UlPbxsimUser *user = g_ptr_array_index (users, i);
        UlCstaDeviceListItem item = { user->extension, "station" };

        if (requested_device == NULL || g_str_equal (requested_device, user->extension))
          g_array_append_val (devices, item);
      }

  xml = ul_csta_build_get_switching_function_devices_response (
    ul_pbxsim_server_get_ns (server), xref);
  ul_pbxsim_link_send (link, invoke_id, xml);

  segments = ul_csta_build_switching_function_devices_segments (
    ul_pbxsim_server_get_ns (server), xref, (const UlCstaDeviceListItem *) devices->data,
    devices->len, config->sfd_segment_size, NULL);
  g_message ("%s: %u devices in %u SwitchingFunctionDevices segments", ul_pbxsim_link_get_peer (link), devices->len,
             segments != NULL ? segments->len : 0);
  for (guint i = 0; segments != NULL && i < segments->len; i++)
    ul_pbxsim_link_send (link, ul_pbxsim_link_next_invoke_id (link),
                         g_ptr_array_index (segments, i));
}

typedef void (*Handler) (UlPbxsimLink *link, guint invoke_id, const UlCstaNode *root);

static const struct
{
  const char *name;
  Handler handler;
} handlers[] = {
  { "SystemRegister", handle_system_register },
  { "MonitorStart", handle_monitor_start },
  { "MonitorStop", handle_monitor_stop },
  { "MakeCall", handle_make_call },
  { "AnswerCall", handle_answer_call },
  { "ClearConnection", handle_clear_connection },
  { "SnapshotDevice", handle_snapshot_device },
  { "GetSwitchingFunctionDevices", handle_get_devices },
};

gboolean
ul_pbxsim_services_handle (UlPbxsimLink *link, guint invoke_id, const UlCstaNode *root)
{
  const char *name = ul_csta_node_get_name (root);

  for (gsize i = 0; i < G_N_ELEMENTS (handlers); i++)
    {
      if (g_str_equal (handlers[i].name, name))
        {
          handlers[i].handler (link, invoke_id, root);
          return TRUE;
        }
    }

  return FALSE;
}
