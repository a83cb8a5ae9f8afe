/* ul-csta-session.h — ECMA-354 application session messages (csta.md §3, rules 7–14).
 *
 * Builders return a newly allocated XML body for ul_csta_frame_encode(). All session
 * messages use the ECMA-354 namespace; the ECMA-323 edition travels as the protocol version.
 */
#pragma once

#include <glib.h>

#include "ul-csta-node.h"

G_BEGIN_DECLS

/* How credentials ride in the xs:any applicationSpecificInfo (rule 7: unverified on MiVO400). */
typedef enum
{
  UL_CSTA_LOGIN_STYLE_NONE = 0,
  UL_CSTA_LOGIN_STYLE_USER_PASSWORD = 1,      /* <user>U</user><password>P</password> (default) */
  UL_CSTA_LOGIN_STYLE_SESSION_LOGIN_INFO = 2, /* <SessionLoginInfo><userName/><password/> */
} UlCstaLoginStyle;

/* @protocol_version NULL means ECMA-323 ed5; @user NULL leaves out applicationSpecificInfo. */
char *ul_csta_build_start_application_session (const char *application_id,
                                               UlCstaLoginStyle style,
                                               const char *user,
                                               const char *password,
                                               const char *protocol_version,
                                               guint requested_duration);
char *ul_csta_build_start_application_session_pos_response (const char *session_id,
                                                            const char *protocol_version,
                                                            guint actual_duration);
/* @defined_error: invalidApplicationInfo, requestedProtocolVersionNotSupported,
 * serverResourcesBusy or maxNumberSessions. */
char *ul_csta_build_start_application_session_neg_response (const char *defined_error);

char *ul_csta_build_reset_application_session_timer (const char *session_id,
                                                     guint requested_duration);
char *ul_csta_build_reset_application_session_timer_pos_response (guint actual_duration);
/* @defined_error: invalidSessionID or serverCannotResetSessionTimer. */
char *ul_csta_build_reset_application_session_timer_neg_response (const char *defined_error);

/* @defined_end_reason NULL means "normal". */
char *ul_csta_build_stop_application_session (const char *session_id,
                                              const char *defined_end_reason);
char *ul_csta_build_stop_application_session_pos_response (void);
char *ul_csta_build_stop_application_session_neg_response (const char *defined_error);

/* @defined_term_reason: resourceLimitation, sessionTimerExpired or serverTermReason. */
char *ul_csta_build_application_session_terminated (const char *session_id,
                                                    const char *defined_term_reason);

/* Finds the credentials of a StartApplicationSession in either style, by local name.
 * Returns FALSE when it carries none. The strings belong to @root. */
gboolean ul_csta_session_get_credentials (const UlCstaNode *root,
                                          const char **out_user,
                                          const char **out_password,
                                          UlCstaLoginStyle *out_style);

/* errorCode/definedError (or applError) of a session NegResponse, or NULL. */
const char *ul_csta_session_get_error (const UlCstaNode *root);

G_END_DECLS
