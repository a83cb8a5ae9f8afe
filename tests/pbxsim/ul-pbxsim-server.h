/* ul-pbxsim-server.h — the simulated MiVO400 CSTA service (csta.md rules 21–25).
 *
 * Owns the listening socket, the links (one UlPbxsimLink per TCP connection), the monitors
 * of all links (licences are system-wide, rule 23), the call engine, the user directory and
 * the fault switches that the control channel flips.
 */
#pragma once

#include <gio/gio.h>

#include "ul-csta-codec.h"
#include "ul-pbxsim-directory.h"

G_BEGIN_DECLS

typedef struct _UlPbxsimLink UlPbxsimLink;
typedef struct _UlPbxsimCalls UlPbxsimCalls;

typedef struct
{
  char *username;               /* NULL: any credentials (or none) are accepted */
  char *password;
  gboolean require_session;     /* StartApplicationSession before anything else (rule 21) */
  guint session_duration;       /* granted duration in s; 0: what the client asks for */
  guint session_grace;          /* s after the duration before the session expires (rule 22) */
  guint system_status_interval; /* s between SystemStatus requests; 0: never (rule 22) */
  guint max_monitors;           /* licences; 0: unlimited (rule 23) */
  gint answer_delay_ms;         /* MakeCall: the called party answers after this; <0: never */
  guint event_delay_ms;         /* between the first events of a scripted call */
  guint sfd_segment_size;       /* devices per SwitchingFunctionDevices segment */
  char *ns;                     /* ECMA-323 namespace of what the simulator sends */
} UlPbxsimConfig;

typedef struct
{
  gboolean refuse;            /* stop listening: connects are refused */
  gboolean hangup;            /* accept connections and close them at once */
  gboolean stall;             /* stop answering, keep sockets open */
  gboolean wrong_credentials; /* reject every login */
  gboolean split;             /* send each frame in several writes */
  gboolean coalesce;          /* send several frames in one write */
} UlPbxsimFaults;

typedef enum
{
  UL_PBXSIM_MALFORMED_HEADER,   /* first byte not 0 */
  UL_PBXSIM_MALFORMED_LENGTH,   /* length below 8 */
  UL_PBXSIM_MALFORMED_INVOKE,   /* invoke ID not digits */
  UL_PBXSIM_MALFORMED_XML,      /* good frame, body not well-formed */
} UlPbxsimMalformed;

#define UL_TYPE_PBXSIM_SERVER (ul_pbxsim_server_get_type ())
G_DECLARE_FINAL_TYPE (UlPbxsimServer, ul_pbxsim_server, UL, PBXSIM_SERVER, GObject)

/* Takes ownership of @config's strings. */
UlPbxsimServer *ul_pbxsim_server_new (UlPbxsimConfig *config, UlPbxsimDirectory *directory);

/* Binds @address:@port (0: any free port) and starts accepting. */
gboolean ul_pbxsim_server_listen (UlPbxsimServer *self,
                                  const char *address,
                                  guint16 port,
                                  GError **error);
guint16 ul_pbxsim_server_get_port (UlPbxsimServer *self);
void ul_pbxsim_server_shutdown (UlPbxsimServer *self);

const UlPbxsimConfig *ul_pbxsim_server_get_config (UlPbxsimServer *self);
UlPbxsimFaults *ul_pbxsim_server_get_faults (UlPbxsimServer *self);
UlPbxsimDirectory *ul_pbxsim_server_get_directory (UlPbxsimServer *self);
UlPbxsimCalls *ul_pbxsim_server_get_calls (UlPbxsimServer *self);
const char *ul_pbxsim_server_get_ns (UlPbxsimServer *self);

void ul_pbxsim_server_set_max_monitors (UlPbxsimServer *self, guint max_monitors);
void ul_pbxsim_server_set_answer_delay (UlPbxsimServer *self, gint answer_delay_ms);

/* Device IDs may come as "201", "N<201>" or "N<201>;noa=nk" (csta.md §1, §4.2); the
 * simulator's devices are bare extensions. Returns a newly allocated extension. */
char *ul_pbxsim_normalize_device (const char *device_id);

/* Monitors (rule 23). Fails with a CSTA error category/value pair for the reply. */
gboolean ul_pbxsim_server_monitor_start (UlPbxsimServer *self,
                                         UlPbxsimLink *link,
                                         const char *device,
                                         char **out_cross_ref_id,
                                         const char **out_error_category,
                                         const char **out_error_value);
gboolean ul_pbxsim_server_monitor_stop (UlPbxsimServer *self,
                                        UlPbxsimLink *link,
                                        const char *cross_ref_id);
void ul_pbxsim_server_stop_link_monitors (UlPbxsimServer *self, UlPbxsimLink *link);
/* The first monitor of @link, for faults that need a plausible cross-reference ID. */
const char *ul_pbxsim_server_get_any_monitor (UlPbxsimServer *self, UlPbxsimLink *link);

/* Sends @event (invoke 9999) to every monitor of @device, filling in each
 * monitorCrossRefID (rule 23). */
void ul_pbxsim_server_emit_event (UlPbxsimServer *self, const char *device, const UlCstaEvent *event);

/* Bookkeeping the control channel reports. */
void ul_pbxsim_server_note_login (UlPbxsimServer *self,
                                  gboolean success,
                                  const char *user,
                                  UlCstaLoginStyle style);
void ul_pbxsim_server_note_make_call (UlPbxsimServer *self, const char *calling, const char *called);

/* Faults (see UlPbxsimFaults for the switches). */
void ul_pbxsim_server_set_refuse (UlPbxsimServer *self, gboolean refuse);
void ul_pbxsim_server_drop_links (UlPbxsimServer *self);
void ul_pbxsim_server_send_malformed (UlPbxsimServer *self, UlPbxsimMalformed kind);
void ul_pbxsim_server_send_unknown_event (UlPbxsimServer *self);
void ul_pbxsim_server_expire_sessions (UlPbxsimServer *self);

/* One line of key=value pairs for the control channel's "status". */
char *ul_pbxsim_server_describe (UlPbxsimServer *self);

G_END_DECLS
