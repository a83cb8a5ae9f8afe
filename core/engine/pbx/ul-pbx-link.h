/* ul-pbx-link.h — the CSTA link to the PBX: transport, session, keep-alive, reconnect.
 *
 * One TCP connection carrying ECMA-323 frames (csta.md §7). The link logs in with an
 * ECMA-354 StartApplicationSession, keeps the session alive, answers the switch's
 * SystemStatus, correlates requests and responses by invoke ID with a per-request
 * timeout, and reconnects by itself with exponential back-off and jitter. Callers see a
 * state, the last error, request/response calls and an "event" signal.
 */
#pragma once

#include <gio/gio.h>

#include "ul-csta-node.h"
#include "ul-csta-session.h"

G_BEGIN_DECLS

typedef enum
{
  UL_PBX_LINK_STATE_STOPPED,     /* not started, or stopped */
  UL_PBX_LINK_STATE_CONNECTING,  /* TCP connect in progress */
  UL_PBX_LINK_STATE_LOGGING_IN,  /* StartApplicationSession sent */
  UL_PBX_LINK_STATE_ACTIVE,      /* session up: requests may be sent */
  UL_PBX_LINK_STATE_BACKOFF,     /* waiting before the next attempt; see last error */
} UlPbxLinkState;

typedef struct
{
  char            *host;
  guint            port;
  char            *username;
  char            *password;
  UlCstaLoginStyle login_style;       /* default: user/password (rule 7) */
  char            *application_id;    /* default "Uplink" */
  guint            session_duration;  /* seconds requested, default 180 */
  guint            request_timeout_ms;/* default 10000 (rule 20) */
  guint            connect_timeout_ms;/* default 5000 */
  guint            backoff_initial_ms;/* default 2000 (rule 8) */
  guint            backoff_max_ms;    /* default 60000 */
  gboolean         reconnect;         /* FALSE: one attempt only (the Connect step) */
} UlPbxLinkConfig;

UlPbxLinkConfig *ul_pbx_link_config_new (void);
UlPbxLinkConfig *ul_pbx_link_config_copy (const UlPbxLinkConfig *config);
void             ul_pbx_link_config_free (UlPbxLinkConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlPbxLinkConfig, ul_pbx_link_config_free)

#define UL_TYPE_PBX_LINK (ul_pbx_link_get_type ())
G_DECLARE_FINAL_TYPE (UlPbxLink, ul_pbx_link, UL, PBX_LINK, GObject)

UlPbxLink      *ul_pbx_link_new (const UlPbxLinkConfig *config);
/* Starts connecting; with reconnect, keeps the link up until stopped. */
void            ul_pbx_link_start (UlPbxLink *self);
/* Ends the session (StopApplicationSession, at most 2 s) and closes. @callback may be NULL. */
void            ul_pbx_link_stop_async (UlPbxLink          *self,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
void            ul_pbx_link_stop_finish (UlPbxLink *self, GAsyncResult *result);
/* Closes at once without ending the session (finalize, tests). */
void            ul_pbx_link_abort (UlPbxLink *self);

UlPbxLinkState  ul_pbx_link_get_state (UlPbxLink *self);
const char     *ul_pbx_link_state_to_string (UlPbxLinkState state);
/* The error that ended the last attempt or session (UL_ERROR_PBX_*), or NULL. */
const GError   *ul_pbx_link_get_last_error (UlPbxLink *self);
/* TRUE once a session was established at least once since start. */
gboolean        ul_pbx_link_was_active (UlPbxLink *self);
const char     *ul_pbx_link_get_session_id (UlPbxLink *self);

/* Sends one request (an XML body) and waits for the frame answering its invoke ID.
 * A CSTAErrorCode answer fails with UL_ERROR_PBX_PROTOCOL (or PBX_LICENSE_LIMIT for
 * overallMonitorLimitExceeded), naming the error; see ul_pbx_link_error_get_csta_code(). */
void            ul_pbx_link_request_async (UlPbxLink          *self,
                                           const char         *xml,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
UlCstaNode     *ul_pbx_link_request_finish (UlPbxLink    *self,
                                            GAsyncResult *result,
                                            GError      **error);

/* Signals:
 *   "state-changed" ()
 *   "event" (gpointer root: const UlCstaNode *): an unsolicited event (invoke ID 9999 or a
 *      root ending in "Event"), valid during emission only. */

G_END_DECLS
