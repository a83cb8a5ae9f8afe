/* ul-csta-services.h — ECMA-323 service requests, responses and errors (csta.md §4).
 *
 * @ns is the ECMA-323 namespace of the link (NULL: ed5, what the MiVO400 uses, S3).
 * Receivers must not care (rule 3); senders keep one edition per link.
 */
#pragma once

#include <glib.h>

#include "ul-csta-node.h"

G_BEGIN_DECLS

typedef enum
{
  UL_CSTA_MESSAGE_REQUEST,  /* anything else: a service request, e.g. SystemStatus */
  UL_CSTA_MESSAGE_RESPONSE, /* …Response, …PosResponse */
  UL_CSTA_MESSAGE_ERROR,    /* CSTAErrorCode, …NegResponse */
  UL_CSTA_MESSAGE_EVENT,    /* …Event, and the ECMA-354 ApplicationSessionTerminated */
} UlCstaMessageKind;

/* Classifies a message by the local name of its root element (rule 5). */
UlCstaMessageKind ul_csta_message_kind (const char *root_name);

char *ul_csta_build_system_status (const char *ns, const char *system_status);
char *ul_csta_build_system_status_response (const char *ns);

/* @type_of_number NULL leaves the attribute out. */
char *ul_csta_build_monitor_start (const char *ns, const char *device, const char *type_of_number);
char *ul_csta_build_monitor_start_response (const char *ns, const char *monitor_cross_ref_id);
char *ul_csta_build_monitor_stop (const char *ns, const char *monitor_cross_ref_id);
char *ul_csta_build_monitor_stop_response (const char *ns);

char *ul_csta_build_make_call (const char *ns, const char *calling_device, const char *called_number);
char *ul_csta_build_make_call_response (const char *ns, const char *call_id, const char *device_id);
char *ul_csta_build_answer_call (const char *ns, const char *call_id, const char *device_id);
char *ul_csta_build_answer_call_response (const char *ns);
char *ul_csta_build_clear_connection (const char *ns, const char *call_id, const char *device_id);
char *ul_csta_build_clear_connection_response (const char *ns);

typedef struct
{
  const char *call_id;
  const char *device_id;
  const char *local_connection_state; /* null, initiated, alerting, connected, hold, queued, fail */
} UlCstaSnapshotItem;

char *ul_csta_build_snapshot_device (const char *ns, const char *device);
char *ul_csta_build_snapshot_device_response (const char *ns,
                                              const UlCstaSnapshotItem *items,
                                              gsize n_items);

typedef struct
{
  const char *device_id;
  const char *category; /* NULL: station, the schema default */
} UlCstaDeviceListItem;

/* Both filters are optional; leaving both out lists every device (§4.6). */
char *ul_csta_build_get_switching_function_devices (const char *ns,
                                                    const char *requested_device,
                                                    const char *requested_category);
char *ul_csta_build_get_switching_function_devices_response (const char *ns,
                                                             const char *service_cross_ref_id);
char *ul_csta_build_switching_function_devices (const char *ns,
                                               const char *service_cross_ref_id,
                                               guint segment_id,
                                               gboolean last_segment,
                                               const UlCstaDeviceListItem *devices,
                                               gsize n_devices);
/* Splits a device list into SwitchingFunctionDevices bodies of at most @max_per_segment
 * devices (0: no count limit) that each fit one frame; segment IDs count from 1 and the
 * last one has lastSegment=true. Returns a GPtrArray of strings. */
GPtrArray *ul_csta_build_switching_function_devices_segments (const char *ns,
                                                              const char *service_cross_ref_id,
                                                              const UlCstaDeviceListItem *devices,
                                                              gsize n_devices,
                                                              guint max_per_segment,
                                                              GError **error);

/* <CSTAErrorCode><category>value</category></CSTAErrorCode>, e.g. ("operation",
 * "invalidDeviceID"). */
char *ul_csta_build_error_code (const char *ns, const char *category, const char *value);
/* The same in the style of the real MiVO400 trace (S3): a "csta:" prefix, no XML
 * declaration, whitespace after the header. Use "systemResourceAvailibility" — misspelled in
 * the schema itself — with "overallMonitorLimitExceeded" for a licence shortage. */
char *ul_csta_build_error_code_prefixed (const char *ns, const char *category, const char *value);
/* Reads a CSTAErrorCode root: the chosen category element and its value. */
gboolean ul_csta_parse_error_code (const UlCstaNode *root,
                                   const char **out_category,
                                   const char **out_value);

G_END_DECLS
