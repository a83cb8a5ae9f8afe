/* ul-pbx-service.h — the engine's PBX service: the long-lived link, its monitors, the
 * one-shot Connect test, and the fault the link state means for the onboarding status. */
#pragma once

#include <gio/gio.h>

#include "ul-pbx-config.h"
#include "ul-pbx-link.h"
#include "ul-pbx-monitor.h"

G_BEGIN_DECLS

#define UL_TYPE_PBX_SERVICE (ul_pbx_service_get_type ())
G_DECLARE_FINAL_TYPE (UlPbxService, ul_pbx_service, UL, PBX_SERVICE, GObject)

UlPbxService *ul_pbx_service_new (void);

/* Timings for the links this service makes; tests shorten them. NULL: the defaults. */
void          ul_pbx_service_set_link_template (UlPbxService *self, const UlPbxLinkConfig *tmpl);

/* A copy of the current template. */
UlPbxLinkConfig *ul_pbx_service_dup_link_template (UlPbxService *self);

/* (Re)starts the long-lived link to @pbx, or stops it when @pbx is NULL. */
void          ul_pbx_service_run (UlPbxService *self, const UlPbxConfig *pbx);
void          ul_pbx_service_stop_async (UlPbxService       *self,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
void          ul_pbx_service_stop_finish (UlPbxService *self, GAsyncResult *result);

/* The extensions to monitor. */
void          ul_pbx_service_set_devices (UlPbxService *self, const char * const *extensions);

UlPbxLinkState ul_pbx_service_get_link_state (UlPbxService *self);
/* "" when none. */
const char   *ul_pbx_service_get_link_error (UlPbxService *self);
UlCallState   ul_pbx_service_get_call_state (UlPbxService *self, const char *extension);
UlMonitorState ul_pbx_service_get_monitor_state (UlPbxService *self, const char *extension);

/* The status code the link state means (pbx-unreachable, pbx-auth-failed, pbx-link-lost,
 * pbx-license-limit) or NULL; @params (a{sv}, floating) when not NULL: message, count. */
const char   *ul_pbx_service_get_fault (UlPbxService *self, GVariant **params);

/* The Connect step: one connection and login with @pbx, independent of the running link;
 * when @probe_extension is set, one MonitorStart/MonitorStop on it checks the licence.
 * Returns the session ID. Errors are UL_ERROR_PBX_* with an actionable message. */
void          ul_pbx_service_test_async (UlPbxService       *self,
                                         const UlPbxConfig  *pbx,
                                         const char         *probe_extension,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
char         *ul_pbx_service_test_finish (UlPbxService *self, GAsyncResult *result, GError **error);

/* CTI on the running link; see ul-pbx-monitor.h. */
UlPbxMonitor *ul_pbx_service_get_monitor (UlPbxService *self, GError **error);

/* Signals:
 *   "changed" (): link state, fault or monitor states changed.
 *   "call-state-changed" (const char *extension, guint UlCallState) */

G_END_DECLS
