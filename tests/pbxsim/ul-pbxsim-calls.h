/* ul-pbxsim-calls.h — scripted two-party calls and their events (csta.md rule 24).
 *
 * Outgoing (MakeCall): ServiceInitiated(initiated, makeCall), Originated(connected),
 * Delivered (the called party alerting), Established after the answer delay, then
 * ConnectionCleared for each party and CallCleared when a connection is cleared.
 * Incoming (control "call incoming"): Delivered(alerting) to the callee, Established after
 * AnswerCall. Every event goes to each monitor of each internal party, with
 * localConnectionInfo seen from that party.
 */
#pragma once

#include <glib-object.h>

#include "ul-csta-codec.h"
#include "ul-pbxsim-server.h"

G_BEGIN_DECLS

#define UL_TYPE_PBXSIM_CALLS (ul_pbxsim_calls_get_type ())
G_DECLARE_FINAL_TYPE (UlPbxsimCalls, ul_pbxsim_calls, UL, PBXSIM_CALLS, GObject)

/* @server is not referenced: it owns the call engine. */
UlPbxsimCalls *ul_pbxsim_calls_new (UlPbxsimServer *server);

/* Starts a call; the events follow from the main loop, after the caller's response.
 * Returns the call ID or NULL with a CSTA error category/value. */
char *ul_pbxsim_calls_make_call (UlPbxsimCalls *self,
                                 const char *calling,
                                 const char *called,
                                 const char **out_error_category,
                                 const char **out_error_value);
/* An incoming call from @from (any number) to extension @to. */
char *ul_pbxsim_calls_incoming (UlPbxsimCalls *self, const char *from, const char *to, GError **error);

/* By connection (call ID + device), as AnswerCall and ClearConnection name it. */
gboolean ul_pbxsim_calls_answer (UlPbxsimCalls *self,
                                 const char *call_id,
                                 const char *device,
                                 const char **out_error_category,
                                 const char **out_error_value);
gboolean ul_pbxsim_calls_clear (UlPbxsimCalls *self,
                                const char *call_id,
                                const char *device,
                                const char **out_error_category,
                                const char **out_error_value);

/* By extension, for the control channel: acts on the newest call of @device. */
gboolean ul_pbxsim_calls_answer_device (UlPbxsimCalls *self, const char *device, GError **error);
gboolean ul_pbxsim_calls_clear_device (UlPbxsimCalls *self, const char *device, GError **error);
gboolean ul_pbxsim_calls_hold_device (UlPbxsimCalls *self, const char *device, GError **error);
gboolean ul_pbxsim_calls_retrieve_device (UlPbxsimCalls *self, const char *device, GError **error);

/* SnapshotDevice: the connections of @device. Free with g_array_unref(); the strings
 * belong to the call engine until the next main loop iteration. */
GArray *ul_pbxsim_calls_snapshot (UlPbxsimCalls *self, const char *device);
guint ul_pbxsim_calls_get_n_calls (UlPbxsimCalls *self);

G_END_DECLS
