/* ul-csta-session.c — ECMA-354 application session messages (csta.md §3). */
#define G_LOG_DOMAIN "ul-csta"

#include "ul-csta-session.h"

#include "ul-csta-writer.h"

char *
ul_csta_build_start_application_session (const char *application_id,
                                          UlCstaLoginStyle style,
                                          const char *user,
                                          const char *password,
                                          const char *protocol_version,
                                          guint requested_duration)
{
  UlCstaWriter *w = ul_csta_writer_new ("StartApplicationSession", UL_CSTA_NS_APPL_SESSION);

  ul_csta_writer_open (w, "applicationInfo");
  ul_csta_writer_text (w, "applicationID", application_id != NULL ? application_id : "Uplink");
  if (user != NULL && style != UL_CSTA_LOGIN_STYLE_NONE)
    {
      /* applicationSpecificInfo is xs:any: rule 7 picks style 1 and lets a setting switch. */
      ul_csta_writer_open (w, "applicationSpecificInfo");
      if (style == UL_CSTA_LOGIN_STYLE_SESSION_LOGIN_INFO)
        {
          ul_csta_writer_open (w, "SessionLoginInfo");
          ul_csta_writer_text (w, "userName", user);
          ul_csta_writer_text (w, "password", password != NULL ? password : "");
          ul_csta_writer_close (w);
        }
      else
        {
          ul_csta_writer_text (w, "user", user);
          ul_csta_writer_text (w, "password", password != NULL ? password : "");
        }
      ul_csta_writer_close (w);
    }
  ul_csta_writer_close (w);

  ul_csta_writer_open (w, "requestedProtocolVersions");
  ul_csta_writer_text (w, "protocolVersion",
                       protocol_version != NULL ? protocol_version : UL_CSTA_NS_ED5);
  ul_csta_writer_close (w);
  ul_csta_writer_printf (w, "requestedSessionDuration", "%u", requested_duration);

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_start_application_session_pos_response (const char *session_id,
                                                       const char *protocol_version,
                                                       guint actual_duration)
{
  UlCstaWriter *w = ul_csta_writer_new ("StartApplicationSessionPosResponse",
                                        UL_CSTA_NS_APPL_SESSION);

  ul_csta_writer_text (w, "sessionID", session_id);
  ul_csta_writer_text (w, "actualProtocolVersion",
                       protocol_version != NULL ? protocol_version : UL_CSTA_NS_ED5);
  ul_csta_writer_printf (w, "actualSessionDuration", "%u", actual_duration);

  return ul_csta_writer_finish (w);
}

static char *
build_neg_response (const char *root, const char *defined_error)
{
  UlCstaWriter *w = ul_csta_writer_new (root, UL_CSTA_NS_APPL_SESSION);

  ul_csta_writer_open (w, "errorCode");
  ul_csta_writer_text (w, "definedError", defined_error);

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_start_application_session_neg_response (const char *defined_error)
{
  return build_neg_response ("StartApplicationSessionNegResponse", defined_error);
}

char *
ul_csta_build_reset_application_session_timer (const char *session_id, guint requested_duration)
{
  UlCstaWriter *w = ul_csta_writer_new ("ResetApplicationSessionTimer", UL_CSTA_NS_APPL_SESSION);

  ul_csta_writer_text (w, "sessionID", session_id);
  ul_csta_writer_printf (w, "requestedSessionDuration", "%u", requested_duration);

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_reset_application_session_timer_pos_response (guint actual_duration)
{
  UlCstaWriter *w = ul_csta_writer_new ("ResetApplicationSessionTimerPosResponse",
                                        UL_CSTA_NS_APPL_SESSION);

  ul_csta_writer_printf (w, "actualSessionDuration", "%u", actual_duration);

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_reset_application_session_timer_neg_response (const char *defined_error)
{
  return build_neg_response ("ResetApplicationSessionTimerNegResponse", defined_error);
}

char *
ul_csta_build_stop_application_session (const char *session_id, const char *defined_end_reason)
{
  UlCstaWriter *w = ul_csta_writer_new ("StopApplicationSession", UL_CSTA_NS_APPL_SESSION);

  ul_csta_writer_text (w, "sessionID", session_id);
  ul_csta_writer_open (w, "sessionEndReason");
  ul_csta_writer_text (w, "definedEndReason",
                       defined_end_reason != NULL ? defined_end_reason : "normal");

  return ul_csta_writer_finish (w);
}

char *
ul_csta_build_stop_application_session_pos_response (void)
{
  return ul_csta_writer_finish (
    ul_csta_writer_new ("StopApplicationSessionPosResponse", UL_CSTA_NS_APPL_SESSION));
}

char *
ul_csta_build_stop_application_session_neg_response (const char *defined_error)
{
  return build_neg_response ("StopApplicationSessionNegResponse", defined_error);
}

char *
ul_csta_build_application_session_terminated (const char *session_id,
                                              const char *defined_term_reason)
{
  UlCstaWriter *w = ul_csta_writer_new ("ApplicationSessionTerminated", UL_CSTA_NS_APPL_SESSION);

  ul_csta_writer_text (w, "sessionID", session_id);
  ul_csta_writer_open (w, "sessionTermReason");
  ul_csta_writer_text (w, "definedTermReason", defined_term_reason);

  return ul_csta_writer_finish (w);
}

gboolean
ul_csta_session_get_credentials (const UlCstaNode *root,
                                 const char **out_user,
                                 const char **out_password,
                                 UlCstaLoginStyle *out_style)
{
  UlCstaNode *info;
  UlCstaNode *login;
  const char *user;
  const char *password;
  UlCstaLoginStyle style;

  g_return_val_if_fail (root != NULL, FALSE);

  info = ul_csta_node_find (root, "applicationSpecificInfo");
  if (info == NULL)
    return FALSE;

  /* Vendor wrappers differ only in namespace, which the tree already ignores. */
  login = ul_csta_node_find (info, "SessionLoginInfo");
  if (login != NULL)
    {
      style = UL_CSTA_LOGIN_STYLE_SESSION_LOGIN_INFO;
      user = ul_csta_node_find_text (login, "userName");
      password = ul_csta_node_find_text (login, "password");
    }
  else
    {
      style = UL_CSTA_LOGIN_STYLE_USER_PASSWORD;
      user = ul_csta_node_get_text_at (info, "user");
      password = ul_csta_node_get_text_at (info, "password");
    }

  if (user == NULL || password == NULL)
    return FALSE;

  if (out_user != NULL)
    *out_user = user;
  if (out_password != NULL)
    *out_password = password;
  if (out_style != NULL)
    *out_style = style;

  return TRUE;
}

const char *
ul_csta_session_get_error (const UlCstaNode *root)
{
  UlCstaNode *code;
  const char *text;

  g_return_val_if_fail (root != NULL, NULL);

  code = ul_csta_node_find (root, "errorCode");
  if (code == NULL)
    return NULL;

  text = ul_csta_node_find_text (code, "definedError");
  if (text == NULL)
    text = ul_csta_node_find_text (code, "applError");

  return text;
}
