/* ul-pbx-monitor.h — device monitors over a UlPbxLink and the call state they give.
 *
 * One CSTA device monitor per user extension (csta.md rules 15–18), started with bounded
 * pipelining whenever the link comes up. Call events turn into a per-extension call
 * state. A licence shortage (overallMonitorLimitExceeded) marks the extension and is
 * retried no more than every 10 minutes; an invalid device is marked misconfigured.
 * Also the CTI services on a user's device: MakeCall, AnswerCall, ClearConnection.
 */
#pragma once

#include <gio/gio.h>

#include "ul-pbx-link.h"

G_BEGIN_DECLS

typedef enum
{
  UL_CALL_STATE_UNKNOWN,  /* "unknown": not monitored (yet) */
  UL_CALL_STATE_IDLE,     /* "idle" */
  UL_CALL_STATE_RINGING,  /* "ringing" */
  UL_CALL_STATE_BUSY,     /* "busy": dialling or in a call */
  UL_CALL_STATE_HELD,     /* "held": only held calls */
} UlCallState;

typedef enum
{
  UL_MONITOR_STATE_NONE,           /* "none": link down or not started */
  UL_MONITOR_STATE_PENDING,        /* "pending" */
  UL_MONITOR_STATE_ACTIVE,         /* "active" */
  UL_MONITOR_STATE_LICENSE_LIMIT,  /* "license-limit" */
  UL_MONITOR_STATE_INVALID_DEVICE, /* "invalid-device" */
  UL_MONITOR_STATE_FAILED,         /* "failed": timed out or other error, retried later */
} UlMonitorState;

const char *ul_call_state_to_string (UlCallState state);
const char *ul_monitor_state_to_string (UlMonitorState state);

#define UL_PBX_MONITOR_PIPELINE 8     /* rule 15 */
#define UL_PBX_MONITOR_RETRY_S  600   /* rule 17 */

#define UL_TYPE_PBX_MONITOR (ul_pbx_monitor_get_type ())
G_DECLARE_FINAL_TYPE (UlPbxMonitor, ul_pbx_monitor, UL, PBX_MONITOR, GObject)

UlPbxMonitor  *ul_pbx_monitor_new (UlPbxLink *link);
/* The extensions to monitor; monitors start and stop to match while the link is up. */
void           ul_pbx_monitor_set_devices (UlPbxMonitor *self, const char * const *extensions);
/* Seconds between retries of licence-limited or failed monitors (tests shorten it). */
void           ul_pbx_monitor_set_retry_interval (UlPbxMonitor *self, guint seconds);

UlCallState    ul_pbx_monitor_get_call_state (UlPbxMonitor *self, const char *extension);
UlMonitorState ul_pbx_monitor_get_monitor_state (UlPbxMonitor *self, const char *extension);
guint          ul_pbx_monitor_count (UlPbxMonitor *self, UlMonitorState state);

/* CTI. MakeCall returns the new call's ID. */
void     ul_pbx_monitor_make_call_async (UlPbxMonitor       *self,
                                         const char         *calling_device,
                                         const char         *called_number,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
char    *ul_pbx_monitor_make_call_finish (UlPbxMonitor *self, GAsyncResult *result, GError **error);
/* Answers the ringing call of @extension. */
void     ul_pbx_monitor_answer_call_async (UlPbxMonitor       *self,
                                           const char         *extension,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
/* Clears @extension's connection of its current call (connected first, then others). */
void     ul_pbx_monitor_clear_connection_async (UlPbxMonitor       *self,
                                                const char         *extension,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
gboolean ul_pbx_monitor_cti_finish (UlPbxMonitor *self, GAsyncResult *result, GError **error);

/* Signals:
 *   "call-state-changed" (const char *extension, guint UlCallState)
 *   "monitors-changed" (): some monitor state changed (e.g. licence limit reached). */

G_END_DECLS
