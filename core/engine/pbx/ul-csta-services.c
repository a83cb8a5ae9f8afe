/* ul-csta-services.c — ECMA-323 service messages (csta.md §4). */
#define G_LOG_DOMAIN "ul-csta"

#include "ul-csta-services.h"

#include <string.h>

#include "ul-csta-error.h"
#include "ul-csta-frame.h"
#include "ul-csta-writer.h"

#define NS(ns) ((ns) != NULL ? (ns) : UL_CSTA_NS_ED5)

UlCstaMessageKind
ul_csta_message_kind (const char *root_name)
{
  g_return_val_if_fail (root_name != NULL, UL_CSTA_MESSAGE_REQUEST);

  if (g_str_equal (root_name, "CSTAErrorCode") || g_str_has_suffix (root_name, "NegResponse"))
    return UL_CSTA_MESSAGE_ERROR;
  if (g_str_has_suffix (root_name, "Response"))
    return UL_CSTA_MESSAGE_RESPONSE;
  if (g_str_has_suffix (root_name, "Event") ||
      g_str_equal (root_name, "ApplicationSessionTerminated"))
    return UL_CSTA_MESSAGE_EVENT;

  return UL_CSTA_MESSAGE_REQUEST;
}

static char *
build_empty (const char *root, const char *ns)
{
  return ul_csta_writer_finish (ul_csta_writer_new (root, NS (ns)));
}

char *
ul_csta_build_system_status (const char *ns, const char *system_status)
{
  UlCstaWriter *w = ul_csta_writer_new ("SystemStatus", NS (ns));

  ul_csta_writer_text (w, "systemStatus", system_status != NULL ? system_status : "normal");

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_system_status_response (const char *ns)
{
  return build_empty ("SystemStatusResponse", ns);
}

char *
ul_csta_build_monitor_start (const char *ns, const char *device, const char *type_of_number)
{
  UlCstaWriter *w;

  g_return_val_if_fail (device != NULL, NULL);

  w = ul_csta_writer_new ("MonitorStart", NS (ns));
  ul_csta_writer_open (w, "monitorObject");
  ul_csta_writer_text_with_attribute (w, "deviceObject", "typeOfNumber", type_of_number, device);
  ul_csta_writer_close (w);
  ul_csta_writer_text (w, "monitorType", "device");

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_monitor_start_response (const char *ns, const char *monitor_cross_ref_id)
{
  UlCstaWriter *w = ul_csta_writer_new ("MonitorStartResponse", NS (ns));

  ul_csta_writer_text (w, "monitorCrossRefID", monitor_cross_ref_id);

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_monitor_stop (const char *ns, const char *monitor_cross_ref_id)
{
  UlCstaWriter *w = ul_csta_writer_new ("MonitorStop", NS (ns));

  ul_csta_writer_text (w, "monitorCrossRefID", monitor_cross_ref_id);

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_monitor_stop_response (const char *ns)
{
  return build_empty ("MonitorStopResponse", ns);
}

char *
ul_csta_build_make_call (const char *ns, const char *calling_device, const char *called_number)
{
  UlCstaWriter *w = ul_csta_writer_new ("MakeCall", NS (ns));

  ul_csta_writer_text (w, "callingDevice", calling_device);
  ul_csta_writer_text (w, "calledDirectoryNumber", called_number);
  ul_csta_writer_text (w, "autoOriginate", "doNotPrompt");

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_make_call_response (const char *ns, const char *call_id, const char *device_id)
{
  UlCstaWriter *w = ul_csta_writer_new ("MakeCallResponse", NS (ns));

  ul_csta_writer_connection (w, "callingDevice", call_id, device_id);

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_answer_call (const char *ns, const char *call_id, const char *device_id)
{
  UlCstaWriter *w = ul_csta_writer_new ("AnswerCall", NS (ns));

  ul_csta_writer_connection (w, "callToBeAnswered", call_id, device_id);

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_answer_call_response (const char *ns)
{
  return build_empty ("AnswerCallResponse", ns);
}

char *
ul_csta_build_clear_connection (const char *ns, const char *call_id, const char *device_id)
{
  UlCstaWriter *w = ul_csta_writer_new ("ClearConnection", NS (ns));

  ul_csta_writer_connection (w, "connectionToBeCleared", call_id, device_id);

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_clear_connection_response (const char *ns)
{
  return build_empty ("ClearConnectionResponse", ns);
}

char *
ul_csta_build_snapshot_device (const char *ns, const char *device)
{
  UlCstaWriter *w = ul_csta_writer_new ("SnapshotDevice", NS (ns));

  ul_csta_writer_text (w, "snapshotObject", device);

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_snapshot_device_response (const char *ns,
                                        const UlCstaSnapshotItem *items,
                                        gsize n_items)
{
  UlCstaWriter *w;

  g_return_val_if_fail (items != NULL || n_items == 0, NULL);

  w = ul_csta_writer_new ("SnapshotDeviceResponse", NS (ns));
  ul_csta_writer_open (w, "crossRefIDorSnapshotData");
  ul_csta_writer_open (w, "snapshotData");
  for (gsize i = 0; i < n_items; i++)
    {
      ul_csta_writer_open (w, "snapshotDeviceResponseInfo");
      ul_csta_writer_connection (w, "connectionIdentifier", items[i].call_id, items[i].device_id);
      ul_csta_writer_open (w, "localCallState");
      ul_csta_writer_open (w, "compoundCallState");
      ul_csta_writer_text (w, "localConnectionState",
                           items[i].local_connection_state != NULL
                             ? items[i].local_connection_state
                             : "null");
      ul_csta_writer_close (w);
      ul_csta_writer_close (w);
      ul_csta_writer_close (w);
    }

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_get_switching_function_devices (const char *ns,
                                              const char *requested_device,
                                              const char *requested_category)
{
  UlCstaWriter *w = ul_csta_writer_new ("GetSwitchingFunctionDevices", NS (ns));

  ul_csta_writer_text (w, "requestedDeviceID", requested_device);
  ul_csta_writer_text (w, "requestedDeviceCategory", requested_category);

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_get_switching_function_devices_response (const char *ns,
                                                       const char *service_cross_ref_id)
{
  UlCstaWriter *w = ul_csta_writer_new ("GetSwitchingFunctionDevicesResponse", NS (ns));

  ul_csta_writer_text (w, "serviceCrossRefID", service_cross_ref_id);

  return ul_csta_writer_finish (w);
}

static void
write_device (UlCstaWriter *w, const UlCstaDeviceListItem *device)
{
  ul_csta_writer_open (w, "device");
  ul_csta_writer_text (w, "deviceID", device->device_id);
  ul_csta_writer_text (w, "deviceCategory", device->category != NULL ? device->category : "station");
  ul_csta_writer_close (w);
}

char *
ul_csta_build_switching_function_devices (const char *ns,
                                          const char *service_cross_ref_id,
                                          guint segment_id,
                                          gboolean last_segment,
                                          const UlCstaDeviceListItem *devices,
                                          gsize n_devices)
{
  UlCstaWriter *w;

  g_return_val_if_fail (devices != NULL || n_devices == 0, NULL);

  w = ul_csta_writer_new ("SwitchingFunctionDevices", NS (ns));
  ul_csta_writer_text (w, "serviceCrossRefID", service_cross_ref_id);
  ul_csta_writer_printf (w, "segmentID", "%u", segment_id);
  ul_csta_writer_text (w, "lastSegment", last_segment ? "true" : "false");
  ul_csta_writer_open (w, "deviceList");
  for (gsize i = 0; i < n_devices; i++)
    write_device (w, &devices[i]);

  return ul_csta_writer_finish (w);
}

/* Size of one <device> element as write_device() renders it. */
static gsize
device_size (const UlCstaDeviceListItem *device)
{
  UlCstaWriter *w = ul_csta_writer_new ("x", NULL);
  g_autofree char *xml = NULL;

  write_device (w, device);
  xml = ul_csta_writer_finish (w);

  return strlen (xml) - strlen ("<x></x>");
}

GPtrArray *
ul_csta_build_switching_function_devices_segments (const char *ns,
                                                   const char *service_cross_ref_id,
                                                   const UlCstaDeviceListItem *devices,
                                                   gsize n_devices,
                                                   guint max_per_segment,
                                                   GError **error)
{
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func (g_free);
  gsize start = 0;
  guint segment_id = 1;

  g_return_val_if_fail (devices != NULL || n_devices == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The 16-bit frame length caps a message, so long lists go out in segments (§4.6). */
  do
    {
      g_autofree char *empty = ul_csta_build_switching_function_devices (
        ns, service_cross_ref_id, segment_id, FALSE, NULL, 0);
      gsize size = strlen (empty);
      gsize end = start;

      while (end < n_devices && (max_per_segment == 0 || end - start < max_per_segment))
        {
          gsize next = device_size (&devices[end]);

          if (size + next > UL_CSTA_MAX_BODY_SIZE)
            break;
          size += next;
          end++;
        }

      if (end == start && n_devices > 0)
        {
          g_set_error (error, UL_CSTA_ERROR, UL_CSTA_ERROR_TOO_LARGE,
                       "Device %" G_GSIZE_FORMAT " does not fit a frame", start);
          return NULL;
        }

      g_ptr_array_add (segments,
                       ul_csta_build_switching_function_devices (ns, service_cross_ref_id,
                                                                 segment_id, end == n_devices,
                                                                 n_devices > 0 ? devices + start
                                                                               : NULL,
                                                                 end - start));
      start = end;
      segment_id++;
    }
  while (start < n_devices);

  return g_steal_pointer (&segments);
}

char *
ul_csta_build_error_code (const char *ns, const char *category, const char *value)
{
  UlCstaWriter *w;

  g_return_val_if_fail (category != NULL && value != NULL, NULL);

  w = ul_csta_writer_new ("CSTAErrorCode", NS (ns));
  ul_csta_writer_text (w, category, value);

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_error_code_prefixed (const char *ns, const char *category, const char *value)
{
  g_autofree char *ns_escaped = NULL;
  g_autofree char *value_escaped = NULL;

  g_return_val_if_fail (category != NULL && value != NULL, NULL);

  ns_escaped = ul_csta_escape (NS (ns));
  value_escaped = ul_csta_escape (value);

  /* Byte for byte the layout of the MiVO400 reply in S3, so the simulator exercises the
   * client's tolerance for prefixes, whitespace and a missing declaration (rule 3). */
  return g_strdup_printf ("\n<csta:CSTAErrorCode xmlns:csta=\"%s\">\n"
                          "\t<csta:%s>%s</csta:%s>\n"
                          "</csta:CSTAErrorCode>",
                          ns_escaped, category, value_escaped, category);
}

gboolean
ul_csta_parse_error_code (const UlCstaNode *root,
                          const char **out_category,
                          const char **out_value)
{
  UlCstaNode *choice;

  g_return_val_if_fail (root != NULL, FALSE);

  if (!ul_csta_node_has_name (root, "CSTAErrorCode"))
    return FALSE;

  choice = ul_csta_node_get_child_at (root, 0);
  if (choice == NULL)
    return FALSE;

  if (out_category != NULL)
    *out_category = ul_csta_node_get_name (choice);
  if (out_value != NULL)
    *out_value = ul_csta_node_get_text (choice);

  return TRUE;
}
