/* test-http-pbx.c — the PBX, directory, users and CTI routes of the HTTPS API against the
 * built uplink-pbxsim: Connect, Sync, the directory source, paged users, MakeCall,
 * AnswerCall and ClearConnection, and their events on the WebSocket. */
#include "config.h"

#include <string.h>

#include "ul-test-gateway.h"
#include "ul-test-https.h"
#include "ul-test-pbxsim.h"

#define PARTNER "partner@example.net"
#define PASSWORD "correct horse battery staple"
#define DEMO_USERS 25

static const char *customer_acme
    = "{\"name\": \"ACME AG\","
      " \"address\": {\"street\": \"Bahnhofstrasse 1\", \"city\": \"Zürich\","
      "               \"postalCode\": \"8001\", \"country\": \"CH\"},"
      " \"businessType\": \"manufacturing\", \"language\": \"de\","
      " \"supportContacts\": [{\"role\": \"maintainer\", \"name\": \"Partner Tech\","
      "                        \"email\": \"support@partner.example\"},"
      "                       {\"role\": \"onsiteAdmin\", \"name\": \"Zoë Ångström\","
      "                        \"email\": \"zoe@acme.example\"}]}";

typedef struct
{
  SoupWebsocketConnection *connection;
  GPtrArray *messages;
  gboolean done;
  GError *error;
} Events;

static void
on_message (SoupWebsocketConnection *connection, gint type, GBytes *message, gpointer user_data)
{
  Events *events = user_data;

  g_ptr_array_add (events->messages,
                   g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Events *events = user_data;

  events->connection
      = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &events->error);
  events->done = TRUE;
}

static gboolean
accept_pinned (SoupMessage *msg, GTlsCertificate *certificate, GTlsCertificateFlags errors,
               gpointer user_data)
{
  g_autoptr (GByteArray) der = NULL;
  g_autofree char *fingerprint = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  fingerprint = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  return g_strcmp0 (fingerprint, user_data) == 0;
}

static void
events_connect (UlTestHttps *t, const char *token, Events *events)
{
  g_autofree char *url = g_strdup_printf ("wss://127.0.0.1:%u/api/v1/events", t->https_port);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

  events->messages = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_pinned), t->fingerprint);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
  soup_session_websocket_connect_async (t->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_connected, events);
  ul_test_https_wait (&events->done, 10000);
  g_assert_no_error (events->error);
  g_signal_connect (events->connection, "message", G_CALLBACK (on_message), events);
}

static gboolean
saw (Events *events, const char *needle)
{
  for (guint i = 0; i < events->messages->len; i++)
    if (strstr (g_ptr_array_index (events->messages, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
wait_event (Events *events, const char *needle)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!saw (events, needle))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("no event with %s", needle);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Polls @path until @member is @expected (bounded). */
static void
wait_field (UlTestHttps *t, const char *token, const char *path, const char *member,
            const char *expected)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr (JsonNode) reply = NULL;

      g_assert_cmpuint (ul_test_https_request (t, "GET", path, token, NULL, &reply), ==, 200);
      if (g_strcmp0 (ul_test_json_string (reply, member), expected) == 0)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("%s %s never became %s", path, member, expected);
      g_usleep (50 * 1000);
    }
}

static void
test_connect_sync_users_cti (void)
{
  g_autoptr (UlTestPbxsim) sim = NULL;
  g_autoptr (UlTestHttps) t = ul_test_https_new (NULL);
  g_autoptr (JsonNode) reply = NULL;
  g_autofree char *token = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *pbx = NULL;
  g_autofree char *directory = NULL;
  Events events = { 0 };

  sim = ul_test_pbxsim_start ("--demo", "--username", UL_TEST_PBX_USERNAME, "--password",
                              UL_TEST_PBX_PASSWORD, NULL);
  csv = ul_test_pbxsim_export (sim, "users.csv", NULL);

  ul_test_https_start (t);
  ul_test_https_claim (t, PARTNER, PASSWORD);
  token = ul_test_https_login (t, PARTNER, PASSWORD);
  events_connect (t, token, &events);

  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/pbx/link", token, NULL, &reply), ==,
                    200);
  g_assert_cmpstr (ul_test_json_string (reply, "linkState"), ==, "stopped");
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (
      ul_test_https_request (t, "PATCH", "/api/v1/customer", token, customer_acme, NULL), ==, 200);
  g_assert_cmpuint (ul_test_https_request (t, "PATCH", "/api/v1/site", token,
                                           "{\"name\": \"HQ\", \"platform\": \"standalone\","
                                           " \"ethernet\": {\"method\": \"dhcp\"}}",
                                           NULL),
                    ==, 200);
  pbx = g_strdup_printf ("{\"name\": \"ACME-PBX\", \"host\": \"127.0.0.1\", \"port\": %u,"
                         " \"username\": \"" UL_TEST_PBX_USERNAME "\","
                         " \"password\": \"" UL_TEST_PBX_PASSWORD "\"}",
                         sim->port);
  g_assert_cmpuint (ul_test_https_request (t, "PATCH", "/api/v1/pbx", token, pbx, NULL), ==, 200);

  /* The directory source. */
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/directory", token, NULL, &reply), ==,
                    200);
  g_assert_nonnull (ul_test_json_string (reply, "kind"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "PATCH", "/api/v1/directory", token,
                                           "{\"kind\": \"punchcards\"}", &reply),
                    ==, 400);
  ul_test_assert_error (reply, "invalid-argument", "kind");
  g_clear_pointer (&reply, json_node_unref);
  directory = g_strdup_printf ("{\"kind\": \"csv\", \"csv\": {\"path\": \"%s\"}}", csv);
  g_assert_cmpuint (
      ul_test_https_request (t, "PATCH", "/api/v1/directory", token, directory, &reply), ==, 200);
  g_assert_cmpstr (ul_test_json_string (reply, "kind"), ==, "csv");
  g_clear_pointer (&reply, json_node_unref);

  /* Connect: the seed's "Connection successful", then the link stays up. */
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/pbx/connect", token,
                                           "{\"syncSchedule\": \"often\"}", &reply),
                    ==, 400);
  ul_test_assert_error (reply, "invalid-argument", "syncSchedule");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/pbx/connect", token,
                                           "{\"syncSchedule\": 30}", &reply),
                    ==, 200);
  g_assert_cmpstr (ul_test_json_string (reply, "message"), ==, "Connection successful");
  g_clear_pointer (&reply, json_node_unref);
  wait_field (t, token, "/api/v1/pbx/link", "linkState", "active");
  wait_event (&events, "\"type\":\"pbx\"");
  wait_event (&events, "\"type\":\"users-changed\"");

  /* Sync on demand. */
  g_assert_cmpuint (
      ul_test_https_request (t, "POST", "/api/v1/pbx/sync", token, "{\"full\": true}", &reply), ==,
      400);
  ul_test_assert_error (reply, "invalid-argument", "full");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/pbx/sync", token, NULL, &reply), ==,
                    200);
  g_assert_cmpstr (ul_test_json_string (reply, "message"), ==, "Sync successful");
  g_clear_pointer (&reply, json_node_unref);

  /* Users, paged. */
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/users?limit=10", token, NULL, &reply),
                    ==, 200);
  g_assert_cmpint (ul_test_json_int (reply, "total"), ==, DEMO_USERS);
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (json_node_get_object (reply), "items")),
      ==, 10);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (
      ul_test_https_request (t, "GET", "/api/v1/users?offset=20&limit=10", token, NULL, &reply), ==,
      200);
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (json_node_get_object (reply), "items")),
      ==, DEMO_USERS - 20);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (
      ul_test_https_request (t, "GET", "/api/v1/users?eligible=true", token, NULL, &reply), ==,
      200);
  g_assert_cmpint (ul_test_json_int (reply, "total"), <, DEMO_USERS);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (
      ul_test_https_request (t, "GET", "/api/v1/users?eligible=maybe", token, NULL, &reply), ==,
      400);
  ul_test_assert_error (reply, "invalid-argument", "eligible");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/users/201", token, NULL, &reply), ==,
                    200);
  g_assert_cmpstr (ul_test_json_string (reply, "extension"), ==, "201");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/users/999", token, NULL, &reply), ==,
                    404);
  ul_test_assert_error (reply, "not-found", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* CTI once the monitors run: 201 calls 202, who answers by itself; 202 hangs up. */
  wait_field (t, token, "/api/v1/users/201", "monitorState", "active");
  wait_field (t, token, "/api/v1/users/202", "monitorState", "active");
  g_assert_cmpuint (
      ul_test_https_request (t, "POST", "/api/v1/users/201/calls", token, "{}", &reply), ==, 400);
  ul_test_assert_error (reply, "invalid-argument", "number");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (
      ul_test_https_request (t, "POST", "/api/v1/users/201/answer", token, NULL, &reply), ==, 409);
  ul_test_assert_error (reply, "wrong-state", NULL);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/users/201/calls", token,
                                           "{\"number\": \"202\"}", &reply),
                    ==, 201);
  g_assert_cmpuint (strlen (ul_test_json_string (reply, "callId")), >, 0);
  g_clear_pointer (&reply, json_node_unref);
  wait_event (&events, "{\"type\":\"call-state\",\"extension\":\"202\",\"state\":\"busy\"}");
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/users/202/clear", token, NULL, NULL),
                    ==, 204);
  wait_event (&events, "{\"type\":\"call-state\",\"extension\":\"201\",\"state\":\"idle\"}");

  /* The audit log has the PBX steps with the partner as actor. */
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/audit?limit=50", token, NULL, &reply),
                    ==, 200);
  {
    g_autofree char *text = json_to_string (reply, FALSE);
    g_assert_nonnull (strstr (text, "\"connect\""));
    g_assert_null (strstr (text, UL_TEST_PBX_PASSWORD));
  }
  g_clear_pointer (&reply, json_node_unref);

  g_clear_object (&events.connection);
  g_ptr_array_unref (events.messages);
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ul_test_pbx_setenv ();

  g_test_add_func ("/uplink/http/pbx/connect-sync-users-cti", test_connect_sync_users_cti);
  return g_test_run ();
}
