/* test-csta-messages.c — message builders and parsers (csta.md §3, §4). */
#include <string.h>

#include "ul-csta-codec.h"

static UlCstaNode *
parse_ok (const char *xml)
{
  g_autoptr(GError) error = NULL;
  UlCstaNode *root = ul_csta_node_parse (xml, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);

  return root;
}

static void
test_start_session (void)
{
  /* Credentials are user input: escaping must survive any character. */
  const char *password = "p<&>\"' ü]]>";

  for (UlCstaLoginStyle style = UL_CSTA_LOGIN_STYLE_USER_PASSWORD;
       style <= UL_CSTA_LOGIN_STYLE_SESSION_LOGIN_INFO; style++)
    {
      g_autofree char *xml = ul_csta_build_start_application_session ("Uplink", style, "cloudlink",
                                                                      password, NULL, 180);
      g_autoptr(UlCstaNode) root = parse_ok (xml);
      const char *user = NULL;
      const char *pass = NULL;
      UlCstaLoginStyle found = UL_CSTA_LOGIN_STYLE_NONE;

      g_assert_true (g_str_has_prefix (
        xml, "<StartApplicationSession xmlns=\"" UL_CSTA_NS_APPL_SESSION "\">"));
      g_assert_cmpstr (ul_csta_node_get_text_at (root, "applicationInfo/applicationID"), ==, "Uplink");
      g_assert_cmpstr (ul_csta_node_get_text_at (root, "requestedProtocolVersions/protocolVersion"),
                       ==, UL_CSTA_NS_ED5);
      g_assert_cmpstr (ul_csta_node_get_text_at (root, "requestedSessionDuration"), ==, "180");
      g_assert_true (ul_csta_session_get_credentials (root, &user, &pass, &found));
      g_assert_cmpstr (user, ==, "cloudlink");
      g_assert_cmpstr (pass, ==, "p<&>\"' ü]]>");
      g_assert_cmpint (found, ==, style);
    }

  {
    g_autofree char *style1 = ul_csta_build_start_application_session (
      "A", UL_CSTA_LOGIN_STYLE_USER_PASSWORD, "u", "p", NULL, 60);
    g_autofree char *style2 = ul_csta_build_start_application_session (
      "A", UL_CSTA_LOGIN_STYLE_SESSION_LOGIN_INFO, "u", "p", NULL, 60);
    g_autofree char *none = ul_csta_build_start_application_session (
      "A", UL_CSTA_LOGIN_STYLE_NONE, "u", "p", NULL, 60);
    g_autoptr(UlCstaNode) root = parse_ok (none);

    g_assert_nonnull (strstr (style1, "<applicationSpecificInfo><user>u</user><password>p</password>"
                                      "</applicationSpecificInfo>"));
    g_assert_nonnull (strstr (style2, "<applicationSpecificInfo><SessionLoginInfo><userName>u"
                                      "</userName><password>p</password></SessionLoginInfo>"));
    g_assert_false (ul_csta_session_get_credentials (root, NULL, NULL, NULL));
  }

  /* The Eltex example of csta.md §3, verbatim: vendor namespace prefix on the wrapper. */
  {
    g_autoptr(UlCstaNode) root = parse_ok (
      "<StartApplicationSession xmlns=\"http://www.ecma-international.org/standards/ecma-354/appl_session\" xmlns:ns1=\"http://www.eltex.org/csta\">\n"
      " <applicationInfo><applicationID>Eltex ECSS-10 CSTA adapter</applicationID>\n"
      "  <applicationSpecificInfo><ns1:SessionLoginInfo xmlns:ns1=\"http://www.eltex.org/csta\">\n"
      "   <ns1:userName>p.city</ns1:userName><ns1:password>1234</ns1:password></ns1:SessionLoginInfo>\n"
      "  </applicationSpecificInfo></applicationInfo>\n"
      " <requestedProtocolVersions><protocolVersion>http://www.ecma-international.org/standards/ecma-323/csta/ed3</protocolVersion></requestedProtocolVersions>\n"
      " <requestedSessionDuration>300</requestedSessionDuration>\n"
      "</StartApplicationSession>");
    const char *user = NULL;
    const char *pass = NULL;
    UlCstaLoginStyle found = UL_CSTA_LOGIN_STYLE_NONE;

    g_assert_true (ul_csta_session_get_credentials (root, &user, &pass, &found));
    g_assert_cmpstr (user, ==, "p.city");
    g_assert_cmpstr (pass, ==, "1234");
    g_assert_cmpint (found, ==, UL_CSTA_LOGIN_STYLE_SESSION_LOGIN_INFO);
  }
}

static void
test_session_responses (void)
{
  g_autofree char *pos = ul_csta_build_start_application_session_pos_response ("S1", NULL, 180);
  g_autofree char *neg = ul_csta_build_start_application_session_neg_response ("invalidApplicationInfo");
  g_autofree char *reset = ul_csta_build_reset_application_session_timer ("S1", 180);
  g_autofree char *reset_pos = ul_csta_build_reset_application_session_timer_pos_response (120);
  g_autofree char *reset_neg = ul_csta_build_reset_application_session_timer_neg_response ("invalidSessionID");
  g_autofree char *stop = ul_csta_build_stop_application_session ("S1", NULL);
  g_autofree char *stop_pos = ul_csta_build_stop_application_session_pos_response ();
  g_autofree char *term = ul_csta_build_application_session_terminated ("S1", "sessionTimerExpired");
  g_autoptr(UlCstaNode) n_pos = parse_ok (pos);
  g_autoptr(UlCstaNode) n_neg = parse_ok (neg);
  g_autoptr(UlCstaNode) n_reset = parse_ok (reset);
  g_autoptr(UlCstaNode) n_reset_pos = parse_ok (reset_pos);
  g_autoptr(UlCstaNode) n_reset_neg = parse_ok (reset_neg);
  g_autoptr(UlCstaNode) n_stop = parse_ok (stop);
  g_autoptr(UlCstaNode) n_term = parse_ok (term);
  /* Captured from OpenScape Voice (S8): an unused aps: prefix, elements without namespace. */
  g_autoptr(UlCstaNode) osv = parse_ok (
    "<StartApplicationSessionPosResponse xmlns:aps=\"http://www.ecma-international.org/standards/ecma-354/appl_session\"><sessionID>009968951</sessionID><actualProtocolVersion>http://www.ecma-international.org/standards/ecma-323/csta/ed4</actualProtocolVersion><actualSessionDuration>600</actualSessionDuration><extensions><actualHBT>0</actualHBT></extensions></StartApplicationSessionPosResponse>");

  g_assert_cmpstr (pos, ==,
                   "<StartApplicationSessionPosResponse xmlns=\"" UL_CSTA_NS_APPL_SESSION "\">"
                   "<sessionID>S1</sessionID><actualProtocolVersion>" UL_CSTA_NS_ED5
                   "</actualProtocolVersion><actualSessionDuration>180</actualSessionDuration>"
                   "</StartApplicationSessionPosResponse>");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_pos, "sessionID"), ==, "S1");
  g_assert_cmpstr (ul_csta_node_get_text_at (osv, "sessionID"), ==, "009968951");
  g_assert_cmpstr (ul_csta_node_get_text_at (osv, "actualSessionDuration"), ==, "600");
  g_assert_null (ul_csta_session_get_error (n_pos));

  g_assert_cmpstr (ul_csta_node_get_name (n_neg), ==, "StartApplicationSessionNegResponse");
  g_assert_cmpstr (ul_csta_session_get_error (n_neg), ==, "invalidApplicationInfo");
  g_assert_cmpint (ul_csta_message_kind ("StartApplicationSessionNegResponse"), ==,
                   UL_CSTA_MESSAGE_ERROR);
  g_assert_cmpint (ul_csta_message_kind ("StartApplicationSessionPosResponse"), ==,
                   UL_CSTA_MESSAGE_RESPONSE);

  g_assert_cmpstr (ul_csta_node_get_text_at (n_reset, "sessionID"), ==, "S1");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_reset, "requestedSessionDuration"), ==, "180");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_reset_pos, "actualSessionDuration"), ==, "120");
  g_assert_cmpstr (ul_csta_session_get_error (n_reset_neg), ==, "invalidSessionID");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_stop, "sessionEndReason/definedEndReason"), ==,
                   "normal");
  g_assert_cmpstr (stop_pos, ==,
                   "<StopApplicationSessionPosResponse xmlns=\"" UL_CSTA_NS_APPL_SESSION "\">"
                   "</StopApplicationSessionPosResponse>");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_term, "sessionTermReason/definedTermReason"), ==,
                   "sessionTimerExpired");
  g_assert_cmpint (ul_csta_message_kind ("ApplicationSessionTerminated"), ==, UL_CSTA_MESSAGE_EVENT);
}

static void
test_services (void)
{
  g_autofree char *status = ul_csta_build_system_status (NULL, NULL);
  g_autofree char *status_rsp = ul_csta_build_system_status_response (NULL);
  g_autofree char *mon = ul_csta_build_monitor_start (NULL, "N<201>", NULL);
  g_autofree char *mon_rsp = ul_csta_build_monitor_start_response (NULL, "1136370025");
  g_autofree char *mon_stop = ul_csta_build_monitor_stop (NULL, "1136370025");
  g_autofree char *make = ul_csta_build_make_call (NULL, "201", "0041791234567");
  g_autofree char *make_rsp = ul_csta_build_make_call_response (NULL, "C7", "201");
  g_autofree char *answer = ul_csta_build_answer_call (NULL, "C7", "202");
  g_autofree char *clear = ul_csta_build_clear_connection (NULL, "C7", "201");
  g_autofree char *snap = ul_csta_build_snapshot_device (NULL, "201");
  g_autofree char *gsfd = ul_csta_build_get_switching_function_devices (NULL, NULL, NULL);
  g_autofree char *gsfd_rsp = ul_csta_build_get_switching_function_devices_response (NULL, "X1");
  g_autoptr(UlCstaNode) n_mon = parse_ok (mon);
  g_autoptr(UlCstaNode) n_mon_rsp = parse_ok (mon_rsp);
  g_autoptr(UlCstaNode) n_mon_stop = parse_ok (mon_stop);
  g_autoptr(UlCstaNode) n_make = parse_ok (make);
  g_autoptr(UlCstaNode) n_make_rsp = parse_ok (make_rsp);
  g_autoptr(UlCstaNode) n_answer = parse_ok (answer);
  g_autoptr(UlCstaNode) n_clear = parse_ok (clear);
  g_autoptr(UlCstaNode) n_snap = parse_ok (snap);
  g_autoptr(UlCstaNode) n_gsfd = parse_ok (gsfd);
  g_autoptr(UlCstaNode) n_gsfd_rsp = parse_ok (gsfd_rsp);

  g_assert_cmpstr (status, ==,
                   "<SystemStatus xmlns=\"" UL_CSTA_NS_ED5 "\"><systemStatus>normal</systemStatus>"
                   "</SystemStatus>");
  g_assert_cmpstr (status_rsp, ==,
                   "<SystemStatusResponse xmlns=\"" UL_CSTA_NS_ED5 "\"></SystemStatusResponse>");
  g_assert_cmpstr (mon, ==,
                   "<MonitorStart xmlns=\"" UL_CSTA_NS_ED5 "\"><monitorObject><deviceObject>"
                   "N&lt;201&gt;</deviceObject></monitorObject><monitorType>device</monitorType>"
                   "</MonitorStart>");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_mon, "monitorObject/deviceObject"), ==, "N<201>");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_mon_rsp, "monitorCrossRefID"), ==, "1136370025");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_mon_stop, "monitorCrossRefID"), ==, "1136370025");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_make, "callingDevice"), ==, "201");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_make, "calledDirectoryNumber"), ==, "0041791234567");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_make, "autoOriginate"), ==, "doNotPrompt");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_make_rsp, "callingDevice/callID"), ==, "C7");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_make_rsp, "callingDevice/deviceID"), ==, "201");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_answer, "callToBeAnswered/deviceID"), ==, "202");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_clear, "connectionToBeCleared/callID"), ==, "C7");
  g_assert_cmpstr (ul_csta_node_get_text_at (n_snap, "snapshotObject"), ==, "201");
  g_assert_cmpuint (ul_csta_node_get_n_children (n_gsfd), ==, 0);
  g_assert_cmpstr (ul_csta_node_get_text_at (n_gsfd_rsp, "serviceCrossRefID"), ==, "X1");

  for (const char **kind = (const char *[]) { "MonitorStopResponse", "AnswerCallResponse",
                                              "ClearConnectionResponse", NULL };
       *kind != NULL; kind++)
    g_assert_cmpint (ul_csta_message_kind (*kind), ==, UL_CSTA_MESSAGE_RESPONSE);
  g_assert_cmpint (ul_csta_message_kind ("SystemStatus"), ==, UL_CSTA_MESSAGE_REQUEST);
  g_assert_cmpint (ul_csta_message_kind ("SwitchingFunctionDevices"), ==, UL_CSTA_MESSAGE_REQUEST);
}

static void
test_snapshot_response (void)
{
  UlCstaSnapshotItem items[] = {
    { "C1", "201", "connected" },
    { "C2", "201", "hold" },
  };
  g_autofree char *xml = ul_csta_build_snapshot_device_response (NULL, items, G_N_ELEMENTS (items));
  g_autoptr(UlCstaNode) root = parse_ok (xml);
  UlCstaNode *data = ul_csta_node_find_path (root, "crossRefIDorSnapshotData/snapshotData");
  UlCstaNode *second;

  g_assert_nonnull (data);
  g_assert_cmpuint (ul_csta_node_get_n_children (data), ==, 2);
  second = ul_csta_node_get_child_at (data, 1);
  g_assert_cmpstr (ul_csta_node_get_text_at (second, "connectionIdentifier/callID"), ==, "C2");
  g_assert_cmpstr (ul_csta_node_get_text_at (second, "localCallState/compoundCallState/localConnectionState"),
                   ==, "hold");
}

static void
test_error_codes (void)
{
  g_autofree char *plain = ul_csta_build_error_code (NULL, "operation", "invalidDeviceID");
  g_autofree char *s3 = ul_csta_build_error_code_prefixed (NULL, "systemResourceAvailibility",
                                                           "overallMonitorLimitExceeded");
  g_autoptr(UlCstaNode) n_plain = parse_ok (plain);
  g_autoptr(UlCstaNode) n_s3 = parse_ok (s3);
  g_autoptr(UlCstaNode) not_error = parse_ok ("<MonitorStartResponse/>");
  g_autoptr(UlCstaNode) empty_error = parse_ok ("<CSTAErrorCode/>");
  const char *category = NULL;
  const char *value = NULL;

  g_assert_cmpstr (plain, ==,
                   "<CSTAErrorCode xmlns=\"" UL_CSTA_NS_ED5 "\"><operation>invalidDeviceID"
                   "</operation></CSTAErrorCode>");
  g_assert_true (ul_csta_parse_error_code (n_plain, &category, &value));
  g_assert_cmpstr (category, ==, "operation");
  g_assert_cmpstr (value, ==, "invalidDeviceID");

  /* Byte for byte the reply of the MiVO400 trace (csta.md §1, S3). */
  g_assert_cmpstr (s3, ==,
                   "\n<csta:CSTAErrorCode xmlns:csta=\"http://www.ecma-international.org/standards/ecma-323/csta/ed5\">\n"
                   "\t<csta:systemResourceAvailibility>overallMonitorLimitExceeded</csta:systemResourceAvailibility>\n"
                   "</csta:CSTAErrorCode>");
  g_assert_true (ul_csta_parse_error_code (n_s3, &category, &value));
  g_assert_cmpstr (category, ==, "systemResourceAvailibility");
  g_assert_cmpstr (value, ==, "overallMonitorLimitExceeded");

  g_assert_false (ul_csta_parse_error_code (not_error, &category, &value));
  g_assert_false (ul_csta_parse_error_code (empty_error, &category, &value));
}

static void
test_events_round_trip (void)
{
  for (UlCstaEventType type = UL_CSTA_EVENT_SERVICE_INITIATED; type <= UL_CSTA_EVENT_NETWORK_REACHED;
       type++)
    {
      UlCstaEvent in = {
        .type = type,
        .monitor_cross_ref_id = "17",
        .call_id = "C&1",
        .device_id = "201",
        .subject_device = "N<201>",
        .destination_device = "203",
        .calling_device = "201",
        .called_device = "+41 79 123",
        .local_connection_info = "connected",
        .cause = "normal",
      };
      UlCstaEvent out;
      g_autofree char *xml = ul_csta_build_event (NULL, &in);
      g_autoptr(UlCstaNode) root = parse_ok (xml);
      const char *name = ul_csta_event_type_to_name (type);

      g_test_message ("%s", xml);
      g_assert_nonnull (name);
      g_assert_cmpstr (ul_csta_node_get_name (root), ==, name);
      g_assert_cmpint (ul_csta_event_type_from_name (name), ==, type);
      g_assert_cmpint (ul_csta_message_kind (name), ==, UL_CSTA_MESSAGE_EVENT);
      g_assert_true (ul_csta_event_parse (root, &out));
      g_assert_cmpint (out.type, ==, type);
      g_assert_cmpstr (out.monitor_cross_ref_id, ==, "17");
      g_assert_cmpstr (out.call_id, ==, "C&1");
      g_assert_cmpstr (out.device_id, ==, "201");
      g_assert_cmpstr (out.cause, ==, "normal");

      if (type != UL_CSTA_EVENT_CALL_CLEARED)
        {
          g_assert_cmpstr (out.subject_device, ==, "N<201>");
          g_assert_cmpstr (out.local_connection_info, ==, "connected");
        }
      if (type == UL_CSTA_EVENT_DELIVERED || type == UL_CSTA_EVENT_ESTABLISHED ||
          type == UL_CSTA_EVENT_ORIGINATED || type == UL_CSTA_EVENT_FAILED)
        {
          g_assert_cmpstr (out.calling_device, ==, "201");
          g_assert_cmpstr (out.called_device, ==, "+41 79 123");
        }
      if (type == UL_CSTA_EVENT_DIVERTED || type == UL_CSTA_EVENT_TRANSFERRED ||
          type == UL_CSTA_EVENT_CONFERENCED)
        g_assert_cmpstr (out.destination_device, ==, "203");
    }

  g_assert_cmpstr (ul_csta_event_type_to_name (UL_CSTA_EVENT_TRANSFERRED), ==, "TransferedEvent");
  g_assert_cmpint (ul_csta_event_type_from_name ("TransferredEvent"), ==, UL_CSTA_EVENT_TRANSFERRED);
  g_assert_null (ul_csta_build_event (NULL, &(UlCstaEvent) { .type = UL_CSTA_EVENT_UNKNOWN }));
}

static void
test_events_captured (void)
{
  /* csta.md §4.2: OpenScape Voice captures (S8), with the elided parts left out. */
  g_autoptr(UlCstaNode) si = parse_ok (
    "<ServiceInitiatedEvent xmlns=\"http://www.ecma-international.org/standards/ecma-323/csta/ed4\"><monitorCrossRefID>1169730059</monitorCrossRefID><initiatedConnection><callID>FF000100000000002D65C85C1C750000</callID><deviceID>302118840100</deviceID></initiatedConnection><initiatingDevice><deviceIdentifier>N&lt;302118840100&gt;;noa=nk</deviceIdentifier></initiatingDevice><localConnectionInfo>initiated</localConnectionInfo><cause>makeCall</cause></ServiceInitiatedEvent>");
  g_autoptr(UlCstaNode) dl = parse_ok (
    "<DeliveredEvent xmlns=\"http://www.ecma-international.org/standards/ecma-323/csta/ed4\">\n"
    " <monitorCrossRefID>1173673890</monitorCrossRefID>\n"
    " <connection><callID>FF00010000000000EC6114647E570000</callID><deviceID>3021061290002</deviceID></connection>\n"
    " <alertingDevice><deviceIdentifier>N&lt;3021061290002&gt;;noa=nk</deviceIdentifier></alertingDevice>\n"
    " <callingDevice><deviceIdentifier>N&lt;7868772298&gt;</deviceIdentifier></callingDevice>\n"
    " <calledDevice><deviceIdentifier>N&lt;3021061290002&gt;;noa=nk</deviceIdentifier></calledDevice>\n"
    " <lastRedirectionDevice><notRequired/></lastRedirectionDevice>\n"
    " <localConnectionInfo>alerting</localConnectionInfo><cause>enteringDistribution</cause>\n"
    "</DeliveredEvent>");
  g_autoptr(UlCstaNode) unknown = parse_ok (
    "<csta:FrobnicatedEvent xmlns:csta='x'><csta:monitorCrossRefID>9</csta:monitorCrossRefID>"
    "<csta:frobConnection><csta:callID>C9</csta:callID></csta:frobConnection></csta:FrobnicatedEvent>");
  g_autoptr(UlCstaNode) not_event = parse_ok ("<MonitorStartResponse/>");
  UlCstaEvent ev;

  g_assert_true (ul_csta_event_parse (si, &ev));
  g_assert_cmpint (ev.type, ==, UL_CSTA_EVENT_SERVICE_INITIATED);
  g_assert_cmpstr (ev.monitor_cross_ref_id, ==, "1169730059");
  g_assert_cmpstr (ev.call_id, ==, "FF000100000000002D65C85C1C750000");
  g_assert_cmpstr (ev.device_id, ==, "302118840100");
  g_assert_cmpstr (ev.subject_device, ==, "N<302118840100>;noa=nk");
  g_assert_cmpstr (ev.local_connection_info, ==, "initiated");
  g_assert_cmpstr (ev.cause, ==, "makeCall");

  g_assert_true (ul_csta_event_parse (dl, &ev));
  g_assert_cmpint (ev.type, ==, UL_CSTA_EVENT_DELIVERED);
  g_assert_cmpstr (ev.call_id, ==, "FF00010000000000EC6114647E570000");
  g_assert_cmpstr (ev.calling_device, ==, "N<7868772298>");
  g_assert_cmpstr (ev.called_device, ==, "N<3021061290002>;noa=nk");
  g_assert_cmpstr (ev.local_connection_info, ==, "alerting");

  g_assert_true (ul_csta_event_parse (unknown, &ev));
  g_assert_cmpint (ev.type, ==, UL_CSTA_EVENT_UNKNOWN);
  g_assert_cmpstr (ev.monitor_cross_ref_id, ==, "9");
  g_assert_cmpstr (ev.call_id, ==, "C9");
  g_assert_null (ev.calling_device);

  g_assert_false (ul_csta_event_parse (not_event, &ev));
}

static void
check_segments (GPtrArray *segments, gsize n_devices)
{
  gsize seen = 0;

  for (guint i = 0; i < segments->len; i++)
    {
      const char *xml = g_ptr_array_index (segments, i);
      g_autoptr(UlCstaNode) root = parse_ok (xml);
      g_autofree char *segment_id = g_strdup_printf ("%u", i + 1);
      UlCstaNode *list = ul_csta_node_get_child (root, "deviceList");

      g_assert_cmpuint (strlen (xml), <=, UL_CSTA_MAX_BODY_SIZE);
      g_assert_cmpstr (ul_csta_node_get_name (root), ==, "SwitchingFunctionDevices");
      g_assert_cmpstr (ul_csta_node_get_text_at (root, "serviceCrossRefID"), ==, "X1");
      g_assert_cmpstr (ul_csta_node_get_text_at (root, "segmentID"), ==, segment_id);
      g_assert_cmpstr (ul_csta_node_get_text_at (root, "lastSegment"), ==,
                       i + 1 == segments->len ? "true" : "false");
      g_assert_nonnull (list);
      for (guint j = 0; j < ul_csta_node_get_n_children (list); j++)
        {
          UlCstaNode *device = ul_csta_node_get_child_at (list, j);
          g_autofree char *expected = g_strdup_printf ("%" G_GSIZE_FORMAT, 1000 + seen);

          g_assert_cmpstr (ul_csta_node_get_text_at (device, "deviceID"), ==, expected);
          g_assert_cmpstr (ul_csta_node_get_text_at (device, "deviceCategory"), ==, "station");
          seen++;
        }
    }

  g_assert_cmpuint (seen, ==, n_devices);
}

static void
test_switching_function_devices (void)
{
  const gsize n = 3000;
  g_autofree UlCstaDeviceListItem *devices = g_new0 (UlCstaDeviceListItem, n);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) by_count = NULL;
  g_autoptr(GPtrArray) by_size = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < n; i++)
    {
      char *id = g_strdup_printf ("%" G_GSIZE_FORMAT, 1000 + i);

      g_ptr_array_add (ids, id);
      devices[i].device_id = id;
    }

  by_count = ul_csta_build_switching_function_devices_segments (NULL, "X1", devices, 25, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_count->len, ==, 3);
  check_segments (by_count, 25);

  /* 3000 devices do not fit 65535 bytes: the frame size alone forces segments. */
  by_size = ul_csta_build_switching_function_devices_segments (NULL, "X1", devices, n, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (by_size->len, >, 1);
  check_segments (by_size, n);

  empty = ul_csta_build_switching_function_devices_segments (NULL, "X1", NULL, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->len, ==, 1);
  check_segments (empty, 0);
}

static void
test_escape (void)
{
  g_autofree char *escaped = ul_csta_escape ("a<b>&\"'\xff");
  g_autofree char *xml = ul_csta_build_make_call (NULL, "20\x01" "1", "x\xc3");
  g_autoptr(UlCstaNode) root = parse_ok (xml);

  g_assert_true (g_str_has_prefix (escaped, "a&lt;b&gt;&amp;&quot;&apos;"));
  g_assert_true (g_utf8_validate (escaped, -1, NULL));
  g_assert_nonnull (ul_csta_node_get_text_at (root, "callingDevice"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/csta/messages/start-session", test_start_session);
  g_test_add_func ("/uplink/csta/messages/session-responses", test_session_responses);
  g_test_add_func ("/uplink/csta/messages/services", test_services);
  g_test_add_func ("/uplink/csta/messages/snapshot-response", test_snapshot_response);
  g_test_add_func ("/uplink/csta/messages/error-codes", test_error_codes);
  g_test_add_func ("/uplink/csta/messages/events-round-trip", test_events_round_trip);
  g_test_add_func ("/uplink/csta/messages/events-captured", test_events_captured);
  g_test_add_func ("/uplink/csta/messages/switching-function-devices", test_switching_function_devices);
  g_test_add_func ("/uplink/csta/messages/escape", test_escape);

  return g_test_run ();
}
