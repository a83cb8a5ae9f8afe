/* ul-pbxsim-link.h — one CSTA client connection of the simulator.
 *
 * Reads frames (rules 1–5), runs the ECMA-354 session with its timers (rules 21, 22),
 * answers requests, and writes frames, optionally split or coalesced (rule 25).
 */
#pragma once

#include <gio/gio.h>

#include "ul-pbxsim-server.h"

G_BEGIN_DECLS

#define UL_TYPE_PBXSIM_LINK (ul_pbxsim_link_get_type ())
G_DECLARE_FINAL_TYPE (UlPbxsimLink, ul_pbxsim_link, UL, PBXSIM_LINK, GObject)

/* @server is not referenced: it owns the link. Emits "closed" once. */
UlPbxsimLink *ul_pbxsim_link_new (UlPbxsimServer *server, GSocketConnection *connection);
void ul_pbxsim_link_start (UlPbxsimLink *self);

UlPbxsimServer *ul_pbxsim_link_get_server (UlPbxsimLink *self);
const char *ul_pbxsim_link_get_peer (UlPbxsimLink *self);
gboolean ul_pbxsim_link_is_logged_in (UlPbxsimLink *self);
gboolean ul_pbxsim_link_is_closed (UlPbxsimLink *self);

/* Queues one frame; dropped while the stall fault is on. */
void ul_pbxsim_link_send (UlPbxsimLink *self, guint invoke_id, const char *xml);
/* Queues raw bytes, bypassing the encoder (malformed-frame fault). */
void ul_pbxsim_link_send_raw (UlPbxsimLink *self, GBytes *bytes);
/* Answers @invoke_id with CSTAErrorCode <category>value</category>; the licence shortage
 * goes out in the style of the real MiVO400 (rule 23, S3). */
void ul_pbxsim_link_send_error (UlPbxsimLink *self,
                                guint invoke_id,
                                const char *category,
                                const char *value);
/* A new invoke ID for a request from the switch (SystemStatus, SwitchingFunctionDevices). */
guint ul_pbxsim_link_next_invoke_id (UlPbxsimLink *self);

/* Sends ApplicationSessionTerminated and closes once it is written (rule 22). */
void ul_pbxsim_link_expire_session (UlPbxsimLink *self);
void ul_pbxsim_link_close (UlPbxsimLink *self, const char *reason);
/* Closes once everything queued has been written. */
void ul_pbxsim_link_close_after_flush (UlPbxsimLink *self, const char *reason);

G_END_DECLS
