/* test-http-api.c — the HTTPS API of the built uplinkd, over real TLS with a pinning
 * libsoup client: claim, login, every onboarding operation, every error path leaving the
 * state unchanged, roles, token expiry and revocation, rate limits, the audit log (also
 * read over D-Bus), the event WebSocket, and no secret in any reply or log line. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ul-test-https.h"

#define PARTNER "partner@example.net"
#define PASSWORD "correct horse battery staple"
#define PBX_PASSWORD "s3cret-Pbx-Passw0rd"

static const char *customer_acme
    = "{\"name\": \"ACME Präzision AG\","
      " \"address\": {\"street\": \"Bahnhofstrasse 1\", \"city\": \"Zürich\","
      "               \"postalCode\": \"8001\", \"country\": \"CH\"},"
      " \"businessType\": \"manufacturing\", \"language\": \"de\","
      " \"adminContacts\": [{\"name\": \"Jürgen Müller\", \"email\": \"juergen@acme.example\"}],"
      " \"supportContacts\": [{\"role\": \"maintainer\", \"name\": \"Partner Tech\","
      "                        \"email\": \"support@partner.example\"},"
      "                       {\"role\": \"onsiteAdmin\", \"name\": \"Zoë Ångström\","
      "                        \"email\": \"zoe@acme.example\"}]}";

static const char *site_standalone
    = "{\"name\": \"Zürich HQ\", \"platform\": \"standalone\","
      " \"ethernet\": {\"method\": \"static\", \"address\": \"192.168.10.20\","
      "              \"netmask\": \"255.255.255.0\", \"gateway\": \"192.168.10.1\","
      "              \"dns\": [\"192.168.10.1\", \"9.9.9.9\"]}}";

static const char *pbx_mivo = "{\"name\": \"ACME-PBX\", \"host\": \"192.168.10.5\", \"port\": 7001,"
                              " \"username\": \"cloudlink\", \"password\": \"" PBX_PASSWORD "\"}";

static char *
to_text (JsonNode *node)
{
  return node != NULL ? json_to_string (node, FALSE) : g_strdup ("");
}

static void
assert_status_code (UlTestHttps *t, const char *token, const char *expected)
{
  g_autoptr (JsonNode) reply = NULL;

  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/status", token, NULL, &reply), ==,
                    200);
  g_assert_cmpstr (ul_test_json_string (reply, "code"), ==, expected);
  g_assert_nonnull (ul_test_json_string (reply, "message"));
  g_assert_nonnull (ul_test_json_string (reply, "helpId"));
}

/* GET @path and return its text, to compare states before and after a failed change. */
static char *
snapshot (UlTestHttps *t, const char *token, const char *path)
{
  g_autoptr (JsonNode) reply = NULL;
  guint status = ul_test_https_request (t, "GET", path, token, NULL, &reply);
  g_autofree char *text = to_text (reply);

  return g_strdup_printf ("%u %s", status, text);
}

static char *
setup_partner (UlTestHttps *t)
{
  ul_test_https_start (t);
  ul_test_https_claim (t, PARTNER, PASSWORD);
  return ul_test_https_login (t, PARTNER, PASSWORD);
}

static GVariant *
dbus_call (UlTestHttps *t, const char *interface_suffix, const char *method, GVariant *params)
{
  GDBusConnection *bus = t->connection;
  g_autofree char *interface = *interface_suffix != '\0' ? g_strconcat (
                                   "io.github.uplink.Gateway1.", interface_suffix, NULL)
                                                         : g_strdup ("io.github.uplink.Gateway1");
  g_autoptr (GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_connection_call_sync (bus, "io.github.uplink.Gateway1",
                                       "/io/github/uplink/Gateway1", interface, method, params,
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

static void
test_gateway_and_redirect (void)
{
  g_autoptr (UlTestHttps) t = ul_test_https_new (NULL);
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (SoupSession) plain = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected = NULL;
  GStatBuf st;
  g_autofree char *key = NULL;

  ul_test_https_start (t);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/gateway", NULL, NULL, &reply), ==,
                    200);
  g_assert_cmpstr (ul_test_json_string (reply, "apiVersion"), ==, "1");
  g_assert_cmpstr (ul_test_json_string (reply, "fingerprint"), ==, t->fingerprint);
  g_assert_cmpstr (ul_test_json_string (reply, "name"), ==, "Uplink gateway");
  g_assert_false (ul_test_json_bool (reply, "claimed"));
  g_assert_cmpstr (ul_test_json_string (reply, "accountId"), ==, "");
  g_assert_cmpuint (strlen (ul_test_json_string (reply, "gatewayId")), ==, 36);

  /* The key is private. */
  key = g_build_filename (t->data_dir, "tls", "key.pem", NULL);
  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Plain HTTP only redirects, keeping path and query. */
  plain = soup_session_new ();
  url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/status?x=1", t->http_port);
  msg = soup_message_new ("GET", url);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (plain, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 301);
  expected = g_strdup_printf ("https://127.0.0.1:%u/api/v1/status?x=1", t->https_port);
  g_assert_cmpstr (
      soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"), ==,
      expected);

  /* Unknown paths and methods. */
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/nothing", NULL, NULL, &reply), ==,
                    404);
  ul_test_assert_error (reply, "not-found", NULL);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "DELETE", "/api/v1/gateway", NULL, NULL, &reply), ==,
                    405);
  ul_test_assert_error (reply, "method-not-allowed", NULL);
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

static void
test_claim_and_login (void)
{
  g_autoptr (UlTestHttps) t = ul_test_https_new (NULL);
  g_autoptr (JsonNode) reply = NULL;
  g_autofree char *token = NULL;

  ul_test_https_start (t);

  /* Nothing but the gateway info and the claim works before the claim. */
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/status", NULL, NULL, &reply), ==,
                    401);
  ul_test_assert_error (reply, "unauthorized", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* Bad claims change nothing. */
  g_assert_cmpuint (ul_test_https_request (
                        t, "POST", "/api/v1/claim", NULL,
                        "{\"email\": \"not-an-address\", \"password\": \"" PASSWORD "\"}", &reply),
                    ==, 400);
  ul_test_assert_error (reply, "invalid-argument", "email");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/claim", NULL,
                                           "{\"email\": \"" PARTNER "\", \"password\": \"short\"}",
                                           &reply),
                    ==, 400);
  ul_test_assert_error (reply, "invalid-argument", "password");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/claim", NULL,
                                           "{\"email\": \"" PARTNER "\"}", &reply),
                    ==, 400);
  ul_test_assert_error (reply, "invalid-argument", "password");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/claim", NULL,
                                           "{\"email\": \"" PARTNER "\", \"password\": \"" PASSWORD
                                           "\","
                                           " \"admin\": true}",
                                           &reply),
                    ==, 400);
  ul_test_assert_error (reply, "invalid-argument", "admin");
  g_clear_pointer (&reply, json_node_unref);

  /* From the loopback network, which is one of the gateway's own. */
  ul_test_https_claim (t, PARTNER, PASSWORD);
  g_assert_cmpuint (
      ul_test_https_request (t, "POST", "/api/v1/claim", NULL,
                             "{\"email\": \"other@example.net\", \"password\": \"" PASSWORD "\"}",
                             &reply),
      ==, 409);
  ul_test_assert_error (reply, "wrong-state", NULL);
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/gateway", NULL, NULL, &reply), ==,
                    200);
  g_assert_true (ul_test_json_bool (reply, "claimed"));
  g_clear_pointer (&reply, json_node_unref);

  /* Wrong password and unknown account get the same answer. */
  g_assert_cmpuint (ul_test_https_request (
                        t, "POST", "/api/v1/login", NULL,
                        "{\"email\": \"" PARTNER "\", \"password\": \"wrong password!\"}", &reply),
                    ==, 401);
  ul_test_assert_error (reply, "unauthorized", NULL);
  {
    g_autoptr (JsonNode) other = NULL;
    g_assert_cmpuint (ul_test_https_request (
                          t, "POST", "/api/v1/login", NULL,
                          "{\"email\": \"nobody@example.net\", \"password\": \"wrong password!\"}",
                          &other),
                      ==, 401);
    g_assert_cmpstr (
        json_object_get_string_member (
            json_object_get_object_member (json_node_get_object (reply), "error"), "message"),
        ==,
        json_object_get_string_member (
            json_object_get_object_member (json_node_get_object (other), "error"), "message"));
  }
  g_clear_pointer (&reply, json_node_unref);

  /* E-mail addresses compare case-insensitively. */
  token = ul_test_https_login (t, "Partner@Example.NET", PASSWORD);
  g_assert_true (g_str_has_prefix (token, "ul1_"));
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/account", token, NULL, &reply), ==,
                    200);
  g_assert_cmpstr (ul_test_json_string (reply, "email"), ==, PARTNER);
  g_assert_cmpstr (ul_test_json_string (reply, "role"), ==, "partner");
  g_assert_null (ul_test_json_string (reply, "passwordHash"));
  g_clear_pointer (&reply, json_node_unref);

  /* Malformed tokens. */
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/status", "ul1_nope", NULL, &reply),
                    ==, 401);
  g_clear_pointer (&reply, json_node_unref);
  assert_status_code (t, token, "customer-required");

  /* Tokens survive a restart of uplinkd (they are stored, hashed). */
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
  ul_test_https_start (t);
  assert_status_code (t, token, "customer-required");
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

static void
test_onboarding (void)
{
  g_autoptr (UlTestHttps) t = ul_test_https_new (NULL);
  g_autofree char *token = setup_partner (t);
  g_autoptr (JsonNode) reply = NULL;
  g_autoptr (GVariant) dbus_reply = NULL;
  g_autofree char *account_id = NULL;
  JsonObject *object;

  assert_status_code (t, token, "customer-required");
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/customer", token, NULL, &reply), ==,
                    404);
  ul_test_assert_error (reply, "not-found", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* UpdateCustomer: the first save assigns the account ID. */
  g_assert_cmpuint (
      ul_test_https_request (t, "PATCH", "/api/v1/customer", token, customer_acme, &reply), ==,
      200);
  account_id = g_strdup (ul_test_json_string (reply, "accountId"));
  g_assert_cmpuint (strlen (account_id), ==, 10);
  g_assert_cmpstr (ul_test_json_string (reply, "name"), ==, "ACME Präzision AG");
  g_clear_pointer (&reply, json_node_unref);
  assert_status_code (t, token, "site-required");

  /* The same record over D-Bus. */
  dbus_reply = dbus_call (t, "Onboarding", "GetCustomer", NULL);
  {
    g_autoptr (GVariant) customer = g_variant_get_child_value (dbus_reply, 0);
    const char *dbus_account = NULL;
    g_assert_true (g_variant_lookup (customer, "accountId", "&s", &dbus_account));
    g_assert_cmpstr (dbus_account, ==, account_id);
  }

  /* AddAdminContact, RemoveAdminContact (with the typed confirmation). */
  g_assert_cmpuint (ul_test_https_request (
                        t, "POST", "/api/v1/customer/admin-contacts", token,
                        "{\"name\": \"Søren Lund\", \"email\": \"soren@acme.example\"}", &reply),
                    ==, 200);
  object = json_node_get_object (reply);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "adminContacts")),
                    ==, 2);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "DELETE",
                                           "/api/v1/customer/admin-contacts/soren%40acme.example",
                                           token, NULL, &reply),
                    ==, 400);
  ul_test_assert_error (reply, "confirmation-required", "confirm");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (
      ul_test_https_request (t, "DELETE",
                             "/api/v1/customer/admin-contacts/soren@acme.example?confirm=remove",
                             token, NULL, &reply),
      ==, 200);
  object = json_node_get_object (reply);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "adminContacts")),
                    ==, 1);
  g_clear_pointer (&reply, json_node_unref);

  /* AddSupportContact, RemoveSupportContact. */
  g_assert_cmpuint (
      ul_test_https_request (
          t, "POST", "/api/v1/customer/support-contacts", token,
          "{\"role\": \"other\", \"name\": \"Night shift\", \"email\": \"night@acme.example\"}",
          &reply),
      ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (
                        t, "DELETE", "/api/v1/customer/support-contacts/other/night@acme.example",
                        token, NULL, &reply),
                    ==, 200);
  object = json_node_get_object (reply);
  g_assert_cmpuint (
      json_array_get_length (json_object_get_array_member (object, "supportContacts")), ==, 2);
  g_clear_pointer (&reply, json_node_unref);

  /* An empty list is a list of the field's type: removing every admin contact. */
  g_assert_cmpuint (ul_test_https_request (t, "PATCH", "/api/v1/customer", token,
                                           "{\"adminContacts\": []}", &reply),
                    ==, 200);
  object = json_node_get_object (reply);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "adminContacts")),
                    ==, 0);
  g_clear_pointer (&reply, json_node_unref);

  /* UpdateSite (takes the customer's address), GetSite. */
  g_assert_cmpuint (
      ul_test_https_request (t, "PATCH", "/api/v1/site", token, site_standalone, &reply), ==, 200);
  object = json_object_get_object_member (json_node_get_object (reply), "address");
  g_assert_cmpstr (json_object_get_string_member (object, "city"), ==, "Zürich");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/site", token, NULL, &reply), ==, 200);
  g_assert_cmpstr (ul_test_json_string (reply, "platform"), ==, "standalone");
  g_clear_pointer (&reply, json_node_unref);
  assert_status_code (t, token, "pbx-required");

  /* UpdatePbx: the password is write-only. */
  g_assert_cmpuint (ul_test_https_request (t, "PATCH", "/api/v1/pbx", token, pbx_mivo, &reply), ==,
                    200);
  g_assert_null (ul_test_json_string (reply, "password"));
  g_assert_true (ul_test_json_bool (reply, "passwordSet"));
  g_assert_cmpint (ul_test_json_int (reply, "port"), ==, 7001);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/pbx", token, NULL, &reply), ==, 200);
  {
    g_autofree char *text = to_text (reply);
    g_assert_null (strstr (text, PBX_PASSWORD));
  }
  g_clear_pointer (&reply, json_node_unref);
  assert_status_code (t, token, "connect-required");

  /* GetAdvanced (defaults), UpdateAdvanced. */
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/advanced", token, NULL, &reply), ==,
                    200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_node_get_object (reply), "emergencyNumbers")),
                    >, 0);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (
                        t, "PATCH", "/api/v1/advanced", token,
                        "{\"inboundDigits\": \"0\", \"outboundDigits\": \"*9#\","
                        " \"automaticUpdates\": true, \"updateDays\": [\"saturday\", \"sunday\"],"
                        " \"updateWindowStart\": \"02:00\", \"updateWindowEnd\": \"04:00\"}",
                        &reply),
                    ==, 200);
  g_assert_true (ul_test_json_bool (reply, "automaticUpdates"));
  g_clear_pointer (&reply, json_node_unref);

  /* The gateway name follows the customer. */
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/gateway", NULL, NULL, &reply), ==,
                    200);
  g_assert_cmpstr (ul_test_json_string (reply, "name"), ==, "ACME Präzision AG");
  g_assert_cmpstr (ul_test_json_string (reply, "accountId"), ==, account_id);
  g_clear_pointer (&reply, json_node_unref);

  /* The audit log names the account and the client address, over HTTPS and D-Bus, with
   * field names and never values. */
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/audit?limit=3", token, NULL, &reply),
                    ==, 200);
  {
    JsonObject *page = json_node_get_object (reply);
    JsonArray *items = json_object_get_array_member (page, "items");
    JsonObject *newest = json_array_get_object_element (items, 0);
    g_autofree char *text = to_text (reply);

    g_assert_cmpuint (json_array_get_length (items), ==, 3);
    g_assert_cmpint (json_object_get_int_member (page, "total"), ==, 11);
    g_assert_cmpint (json_object_get_int_member (page, "limit"), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (newest, "action"), ==, "update-advanced");
    g_assert_cmpstr (json_object_get_string_member (newest, "actor"), ==, PARTNER);
    g_assert_cmpstr (json_object_get_string_member (newest, "peer"), ==, "127.0.0.1");
    g_assert_null (strstr (text, PBX_PASSWORD));
  }
  g_clear_pointer (&reply, json_node_unref);
  g_clear_pointer (&dbus_reply, g_variant_unref);
  dbus_reply = dbus_call (t, "", "GetAuditLog", g_variant_new_parsed ("({'limit': <20>},)"));
  {
    g_autofree char *text = g_variant_print (dbus_reply, FALSE);
    g_assert_nonnull (strstr (text, "'claim'"));
    g_assert_nonnull (strstr (text, "'login'"));
    g_assert_nonnull (strstr (text, "'update-pbx'"));
    g_assert_nonnull (strstr (text, PARTNER));
    g_assert_null (strstr (text, PBX_PASSWORD));
    g_assert_null (strstr (text, PASSWORD));
  }

  /* Deactivate: typed confirmation, then every change is refused. */
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/customer/deactivate", token,
                                           "{\"confirm\": \"yes\"}", &reply),
                    ==, 400);
  ul_test_assert_error (reply, "confirmation-required", "confirm");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/customer/deactivate", token,
                                           "{\"confirm\": \"deactivate\"}", &reply),
                    ==, 204);
  g_assert_null (reply);
  assert_status_code (t, token, "deactivated");
  g_assert_cmpuint (ul_test_https_request (t, "PATCH", "/api/v1/customer", token,
                                           "{\"name\": \"Other\"}", &reply),
                    ==, 409);
  ul_test_assert_error (reply, "wrong-state", NULL);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

/* Each bad request gets its 4xx and leaves every record as it was. */
static void
test_errors_change_nothing (void)
{
  static const struct
  {
    const char *method;
    const char *path;
    const char *body;
    guint status;
    const char *code;
    const char *field;
  } cases[] = {
    { "PATCH", "/api/v1/customer", "{\"name\": 42}", 400, "invalid-argument", "name" },
    { "PATCH", "/api/v1/customer", "{\"name\": null}", 400, "invalid-argument", "name" },
    { "PATCH", "/api/v1/customer", "{\"nickname\": \"x\"}", 400, "invalid-argument", "nickname" },
    { "PATCH", "/api/v1/customer", "{\"supportContacts\": []}", 400, "invalid-argument",
      "supportContacts" },
    { "PATCH", "/api/v1/customer", "{\"adminContacts\": [{\"name\": \"A\", \"email\": \"bad\"}]}",
      400, "invalid-argument", "adminContacts[0].email" },
    { "PATCH", "/api/v1/customer", "{\"adminContacts\": [1, \"a\"]}", 400, "invalid-argument",
      "adminContacts" },
    { "PATCH", "/api/v1/customer", "{\"adminContacts\": [[]]}", 400, "invalid-argument",
      "adminContacts" },
    { "PATCH", "/api/v1/customer", "{\"accountId\": \"1234567890\"}", 400, "invalid-argument",
      "accountId" },
    { "PATCH", "/api/v1/customer", "[1, 2]", 400, "invalid-argument", NULL },
    { "PATCH", "/api/v1/customer", "{\"name\": \"x\"", 400, "invalid-argument", NULL },
    { "PATCH", "/api/v1/customer", "{\"name\": \"\\u0000\"}", 400, "invalid-argument", NULL },
    { "PATCH", "/api/v1/customer?dryRun=true", "{\"name\": \"x\"}", 400, "invalid-argument",
      "dryRun" },
    { "PATCH", "/api/v1/site", "{\"platform\": \"mainframe\"}", 400, "invalid-argument",
      "platform" },
    { "PATCH", "/api/v1/site", "{\"ethernet\": {\"method\": \"static\", \"dns\": [\"x\"]}}", 400,
      "invalid-argument", NULL },
    { "PATCH", "/api/v1/pbx", "{\"port\": 70000}", 400, "invalid-argument", "port" },
    { "PATCH", "/api/v1/pbx", "{\"port\": 1.5}", 400, "invalid-argument", "port" },
    { "PATCH", "/api/v1/pbx", "{\"passwordSet\": false}", 400, "invalid-argument", NULL },
    { "PATCH", "/api/v1/advanced", "{\"gsmCallThrough\": \"12ab\"}", 400, "invalid-argument",
      "gsmCallThrough" },
    { "PATCH", "/api/v1/advanced", "{\"updateDays\": [\"someday\"]}", 400, "invalid-argument",
      NULL },
    { "POST", "/api/v1/customer/admin-contacts",
      "{\"name\": \"Jürgen\", \"email\": \"juergen@acme.example\"}", 400, "invalid-argument",
      NULL },
    { "DELETE", "/api/v1/customer/admin-contacts/nobody@acme.example?confirm=remove", NULL, 404,
      "not-found", "email" },
    { "DELETE", "/api/v1/customer/support-contacts/maintainer/support@partner.example", NULL, 400,
      "invalid-argument", NULL },
    { "DELETE", "/api/v1/customer/support-contacts/boss/support@partner.example", NULL, 400,
      "invalid-argument", "role" },
    { "DELETE", "/api/v1/customer/admin-contacts/%FF?confirm=remove", NULL, 400, "invalid-argument",
      NULL },
    { "POST", "/api/v1/customer/deactivate", "{\"confirm\": 1}", 400, "invalid-argument",
      "confirm" },
    { "POST", "/api/v1/customer/deactivate", "{}", 400, "confirmation-required", "confirm" },
    { "GET", "/api/v1/audit?limit=0", NULL, 400, "invalid-argument", "limit" },
    { "GET", "/api/v1/audit?limit=1001", NULL, 400, "invalid-argument", "limit" },
    { "GET", "/api/v1/audit?offset=-1", NULL, 400, "invalid-argument", "offset" },
  };
  g_autoptr (UlTestHttps) t = ul_test_https_new (NULL);
  g_autofree char *token = setup_partner (t);
  g_autoptr (JsonNode) reply = NULL;
  g_autofree char *before_customer = NULL;
  g_autofree char *before_site = NULL;
  g_autofree char *before_pbx = NULL;
  g_autofree char *before_advanced = NULL;
  g_autofree char *before_audit = NULL;

  /* Wrong state: contacts need a saved customer. */
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/customer/admin-contacts", token,
                                           "{\"name\": \"A\", \"email\": \"a@acme.example\"}",
                                           &reply),
                    ==, 409);
  ul_test_assert_error (reply, "wrong-state", NULL);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/site", token, NULL, &reply), ==, 404);
  ul_test_assert_error (reply, "not-found", NULL);
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (
      ul_test_https_request (t, "PATCH", "/api/v1/customer", token, customer_acme, NULL), ==, 200);
  g_assert_cmpuint (
      ul_test_https_request (t, "PATCH", "/api/v1/site", token, site_standalone, NULL), ==, 200);
  g_assert_cmpuint (ul_test_https_request (t, "PATCH", "/api/v1/pbx", token, pbx_mivo, NULL), ==,
                    200);

  before_customer = snapshot (t, token, "/api/v1/customer");
  before_site = snapshot (t, token, "/api/v1/site");
  before_pbx = snapshot (t, token, "/api/v1/pbx");
  before_advanced = snapshot (t, token, "/api/v1/advanced");
  before_audit = snapshot (t, token, "/api/v1/audit");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) error_reply = NULL;
      guint status;

      g_test_message ("%s %s %s", cases[i].method, cases[i].path,
                      cases[i].body != NULL ? cases[i].body : "");
      status = ul_test_https_request (t, cases[i].method, cases[i].path, token, cases[i].body,
                                      &error_reply);
      g_assert_cmpuint (status, ==, cases[i].status);
      ul_test_assert_error (error_reply, cases[i].code, cases[i].field);
    }

  /* Not JSON at all. */
  {
    g_autoptr (GBytes) body = g_bytes_new_static ("name=x", 6);
    g_autoptr (JsonNode) error_reply = NULL;

    g_assert_cmpuint (ul_test_https_request_full (t, "PATCH", "/api/v1/customer", token,
                                                  "application/x-www-form-urlencoded", body, NULL,
                                                  &error_reply),
                      ==, 415);
    ul_test_assert_error (error_reply, "unsupported-media-type", NULL);
  }

  {
    g_autofree char *after_customer = snapshot (t, token, "/api/v1/customer");
    g_autofree char *after_site = snapshot (t, token, "/api/v1/site");
    g_autofree char *after_pbx = snapshot (t, token, "/api/v1/pbx");
    g_autofree char *after_advanced = snapshot (t, token, "/api/v1/advanced");
    g_autofree char *after_audit = snapshot (t, token, "/api/v1/audit");

    g_assert_cmpstr (after_customer, ==, before_customer);
    g_assert_cmpstr (after_site, ==, before_site);
    g_assert_cmpstr (after_pbx, ==, before_pbx);
    g_assert_cmpstr (after_advanced, ==, before_advanced);
    g_assert_cmpstr (after_audit, ==, before_audit);
  }
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

static void
test_roles (void)
{
  static const struct
  {
    const char *method;
    const char *path;
    const char *body;
  } forbidden[] = {
    { "PATCH", "/api/v1/site", "{\"name\": \"x\"}" },
    { "PATCH", "/api/v1/pbx", "{\"name\": \"x\"}" },
    { "PATCH", "/api/v1/advanced", "{\"inboundDigits\": \"1\"}" },
    { "POST", "/api/v1/customer/deactivate", "{\"confirm\": \"deactivate\"}" },
    { "GET", "/api/v1/audit", NULL },
    { "GET", "/api/v1/accounts", NULL },
    { "POST", "/api/v1/accounts",
      "{\"email\": \"x@acme.example\", \"password\": \"" PASSWORD "\", \"role\": \"partner\"}" },
    { "DELETE", "/api/v1/accounts/" PARTNER, NULL },
    { "DELETE", "/api/v1/sessions?scope=all", NULL },
  };
  g_autoptr (UlTestHttps) t = ul_test_https_new (NULL);
  g_autofree char *partner = setup_partner (t);
  g_autofree char *admin = NULL;
  g_autoptr (JsonNode) reply = NULL;

  g_assert_cmpuint (
      ul_test_https_request (t, "PATCH", "/api/v1/customer", partner, customer_acme, NULL), ==,
      200);
  g_assert_cmpuint (
      ul_test_https_request (t, "PATCH", "/api/v1/site", partner, site_standalone, NULL), ==, 200);

  /* The partner adds an account for the customer's admin contact. */
  g_assert_cmpuint (
      ul_test_https_request (t, "POST", "/api/v1/accounts", partner,
                             "{\"email\": \"juergen@acme.example\", \"password\": \"" PASSWORD "\","
                             " \"role\": \"superuser\"}",
                             &reply),
      ==, 400);
  ul_test_assert_error (reply, "invalid-argument", "role");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (
      ul_test_https_request (t, "POST", "/api/v1/accounts", partner,
                             "{\"email\": \"juergen@acme.example\", \"password\": \"" PASSWORD "\","
                             " \"role\": \"customerAdmin\"}",
                             &reply),
      ==, 201);
  g_assert_cmpstr (ul_test_json_string (reply, "role"), ==, "customerAdmin");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (
      ul_test_https_request (t, "POST", "/api/v1/accounts", partner,
                             "{\"email\": \"JUERGEN@acme.example\", \"password\": \"" PASSWORD "\","
                             " \"role\": \"customerAdmin\"}",
                             &reply),
      ==, 400);
  ul_test_assert_error (reply, "invalid-argument", "email");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/accounts", partner, NULL, &reply), ==,
                    200);
  g_assert_cmpint (ul_test_json_int (reply, "total"), ==, 2);
  g_clear_pointer (&reply, json_node_unref);

  admin = ul_test_https_login (t, "juergen@acme.example", PASSWORD);

  /* The customer's own data: readable and (the customer record) writable. */
  assert_status_code (t, admin, "pbx-required");
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/customer", admin, NULL, NULL), ==,
                    200);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/site", admin, NULL, NULL), ==, 200);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/advanced", admin, NULL, NULL), ==,
                    200);
  g_assert_cmpuint (
      ul_test_https_request (t, "PATCH", "/api/v1/customer", admin, "{\"language\": \"fr\"}", NULL),
      ==, 200);
  g_assert_cmpuint (ul_test_https_request (
                        t, "POST", "/api/v1/customer/support-contacts", admin,
                        "{\"role\": \"other\", \"name\": \"IT\", \"email\": \"it@acme.example\"}",
                        NULL),
                    ==, 200);

  /* No system actions, no accounts. */
  for (gsize i = 0; i < G_N_ELEMENTS (forbidden); i++)
    {
      g_autoptr (JsonNode) error_reply = NULL;

      g_test_message ("%s %s", forbidden[i].method, forbidden[i].path);
      g_assert_cmpuint (ul_test_https_request (t, forbidden[i].method, forbidden[i].path, admin,
                                               forbidden[i].body, &error_reply),
                        ==, 403);
      ul_test_assert_error (error_reply, "permission-denied", NULL);
    }
  assert_status_code (t, partner, "pbx-required");

  /* The audit log shows who did what. */
  g_assert_cmpuint (
      ul_test_https_request (t, "GET", "/api/v1/audit?limit=2", partner, NULL, &reply), ==, 200);
  {
    JsonArray *items = json_object_get_array_member (json_node_get_object (reply), "items");
    JsonObject *newest = json_array_get_object_element (items, 0);
    g_assert_cmpstr (json_object_get_string_member (newest, "actor"), ==, "juergen@acme.example");
    g_assert_cmpstr (json_object_get_string_member (newest, "action"), ==, "add-support-contact");
  }
  g_clear_pointer (&reply, json_node_unref);

  /* The last partner stays; others can go, with their tokens. */
  g_assert_cmpuint (
      ul_test_https_request (t, "DELETE", "/api/v1/accounts/" PARTNER, partner, NULL, &reply), ==,
      409);
  ul_test_assert_error (reply, "wrong-state", NULL);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "DELETE", "/api/v1/accounts/nobody@acme.example",
                                           partner, NULL, &reply),
                    ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "DELETE", "/api/v1/accounts/juergen@acme.example",
                                           partner, NULL, NULL),
                    ==, 204);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/customer", admin, NULL, NULL), ==,
                    401);
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

static void
test_token_expiry (void)
{
  g_autoptr (UlTestHttps) t = ul_test_https_new ("[auth]\ntoken-lifetime=1\n");
  g_autofree char *token = setup_partner (t);
  g_autoptr (JsonNode) reply = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint status = 200;

  /* Valid for at most a second: poll until it stops working. */
  while (status == 200 && g_get_monotonic_time () < deadline)
    {
      g_clear_pointer (&reply, json_node_unref);
      status = ul_test_https_request (t, "GET", "/api/v1/status", token, NULL, &reply);
      if (status == 200)
        g_usleep (100 * 1000);
    }
  g_assert_cmpuint (status, ==, 401);
  ul_test_assert_error (reply, "unauthorized", NULL);
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

static void
test_revocation (void)
{
  g_autoptr (UlTestHttps) t = ul_test_https_new (NULL);
  g_autofree char *first = setup_partner (t);
  g_autofree char *second = ul_test_https_login (t, PARTNER, PASSWORD);
  g_autofree char *third = NULL;
  g_autofree char *fourth = NULL;
  g_autoptr (JsonNode) reply = NULL;

  /* Logout ends one token only. */
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/logout", first, NULL, NULL), ==,
                    204);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/status", first, NULL, NULL), ==, 401);
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/logout", first, NULL, NULL), ==,
                    401);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/status", second, NULL, NULL), ==,
                    200);

  /* Revoke-all ends every token of the account. */
  third = ul_test_https_login (t, PARTNER, PASSWORD);
  g_assert_cmpuint (ul_test_https_request (t, "DELETE", "/api/v1/sessions", third, NULL, &reply),
                    ==, 200);
  g_assert_cmpint (ul_test_json_int (reply, "revoked"), ==, 2);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/status", second, NULL, NULL), ==,
                    401);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/status", third, NULL, NULL), ==, 401);

  /* A new password ends the other sessions, keeps this one, and the old password is gone. */
  g_clear_pointer (&first, g_free);
  g_clear_pointer (&second, g_free);
  first = ul_test_https_login (t, PARTNER, PASSWORD);
  second = ul_test_https_login (t, PARTNER, PASSWORD);
  g_assert_cmpuint (
      ul_test_https_request (
          t, "PUT", "/api/v1/account/password", first,
          "{\"currentPassword\": \"not the password\", \"newPassword\": \"a new long password\"}",
          &reply),
      ==, 403);
  ul_test_assert_error (reply, "permission-denied", "currentPassword");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "PUT", "/api/v1/account/password", first,
                                           "{\"currentPassword\": \"" PASSWORD
                                           "\", \"newPassword\": \"a new long password\"}",
                                           NULL),
                    ==, 204);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/status", first, NULL, NULL), ==, 200);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/status", second, NULL, NULL), ==,
                    401);
  g_assert_cmpuint (
      ul_test_https_request (t, "POST", "/api/v1/login", NULL,
                             "{\"email\": \"" PARTNER "\", \"password\": \"" PASSWORD "\"}", NULL),
      ==, 401);
  fourth = ul_test_https_login (t, PARTNER, "a new long password");

  /* The log has every step; a revoked token does not come back after a restart. */
  g_assert_cmpuint (
      ul_test_https_request (t, "GET", "/api/v1/audit?limit=50", fourth, NULL, &reply), ==, 200);
  {
    g_autofree char *text = to_text (reply);
    g_assert_nonnull (strstr (text, "\"logout\""));
    g_assert_nonnull (strstr (text, "\"revoke-sessions\""));
    g_assert_nonnull (strstr (text, "\"change-password\""));
    g_assert_nonnull (strstr (text, "\"login-failed\""));
  }
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
  ul_test_https_start (t);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/status", second, NULL, NULL), ==,
                    401);
  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/status", fourth, NULL, NULL), ==,
                    200);
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

static guint
login_status (UlTestHttps *t, const char *email, const char *password, guint *retry_after)
{
  g_autofree char *json
      = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", email, password);
  g_autoptr (GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr (SoupMessageHeaders) headers = NULL;
  g_autoptr (JsonNode) reply = NULL;
  guint status;

  status = ul_test_https_request_full (t, "POST", "/api/v1/login", NULL, "application/json", body,
                                       &headers, &reply);
  if (retry_after != NULL)
    {
      const char *value = soup_message_headers_get_one (headers, "Retry-After");
      *retry_after = value != NULL ? (guint)g_ascii_strtoull (value, NULL, 10) : 0;
    }
  if (status == 429)
    ul_test_assert_error (reply, "rate-limited", NULL);
  return status;
}

static void
test_rate_limit (void)
{
  g_autoptr (UlTestHttps) t = ul_test_https_new ("[auth]\nlogin-max-failures=3\nlogin-lockout=2\n"
                                                 "login-failure-window=60\n");
  g_autofree char *token = setup_partner (t);
  g_autofree char *again = NULL;
  g_autoptr (JsonNode) reply = NULL;
  guint retry_after = 0;

  /* Per account: three failures lock the account, even for the right password. */
  for (int i = 0; i < 3; i++)
    {
      g_test_message ("failure %d", i);
      g_assert_cmpuint (login_status (t, PARTNER, "wrong password!", NULL), ==, 401);
    }
  g_assert_cmpuint (login_status (t, PARTNER, PASSWORD, &retry_after), ==, 429);
  g_assert_cmpuint (retry_after, >=, 1);
  g_assert_cmpuint (retry_after, <=, 2);
  /* Tokens already given out still work. */
  assert_status_code (t, token, "customer-required");

  /* The lock ends. */
  g_usleep ((retry_after + 1) * G_USEC_PER_SEC);
  again = ul_test_https_login (t, PARTNER, PASSWORD);

  /* Per peer: failures on different accounts lock this client out of every account; the
   * next lock-out lasts twice as long. */
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *email = g_strdup_printf ("guess%d@example.net", i);
      g_assert_cmpuint (login_status (t, email, "wrong password!", NULL), ==, 401);
    }
  g_assert_cmpuint (login_status (t, PARTNER, PASSWORD, &retry_after), ==, 429);
  g_assert_cmpuint (retry_after, >=, 1);

  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/audit?limit=20", token, NULL, &reply),
                    ==, 200);
  {
    g_autofree char *text = to_text (reply);
    g_assert_nonnull (strstr (text, "guess2@example.net"));
    g_assert_nonnull (strstr (text, "\"login-failed\""));
  }
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

typedef struct
{
  GPtrArray *messages;
  gboolean closed;
} EventClient;

static void
on_event (SoupWebsocketConnection *connection, gint type, GBytes *message, gpointer user_data)
{
  EventClient *client = user_data;

  g_ptr_array_add (client->messages,
                   g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
}

static void
on_event_closed (SoupWebsocketConnection *connection, gpointer user_data)
{
  ((EventClient *)user_data)->closed = TRUE;
}

typedef struct
{
  SoupWebsocketConnection *connection;
  GError *error;
  gboolean done;
} Connecting;

static void
on_websocket_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Connecting *connecting = user_data;

  connecting->connection
      = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &connecting->error);
  connecting->done = TRUE;
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

static Connecting
connect_events (UlTestHttps *t, const char *token)
{
  g_autofree char *url = g_strdup_printf ("wss://127.0.0.1:%u/api/v1/events", t->https_port);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  Connecting connecting = { NULL, NULL, FALSE };

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_pinned), t->fingerprint);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  soup_session_websocket_connect_async (t->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_websocket_connected, &connecting);
  ul_test_https_wait (&connecting.done, 10000);
  return connecting;
}

static gboolean
has_message (EventClient *client, const char *needle)
{
  for (guint i = 0; i < client->messages->len; i++)
    if (strstr (g_ptr_array_index (client->messages, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
wait_message (EventClient *client, const char *needle)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!has_message (client, needle))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_events (void)
{
  g_autoptr (UlTestHttps) t = ul_test_https_new (NULL);
  g_autofree char *token = setup_partner (t);
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  EventClient client = { messages, FALSE };
  Connecting refused, connecting;

  /* No token, no events. */
  refused = connect_events (t, NULL);
  g_assert_null (refused.connection);
  g_assert_nonnull (refused.error);
  g_clear_error (&refused.error);

  connecting = connect_events (t, token);
  g_assert_no_error (connecting.error);
  g_signal_connect (connecting.connection, "message", G_CALLBACK (on_event), &client);
  g_signal_connect (connecting.connection, "closed", G_CALLBACK (on_event_closed), &client);
  wait_message (&client, "\"type\":\"hello\"");
  g_assert_true (has_message (&client, "customer-required"));

  /* A change over HTTPS is announced … */
  g_assert_cmpuint (
      ul_test_https_request (t, "PATCH", "/api/v1/customer", token, customer_acme, NULL), ==, 200);
  wait_message (&client, "\"section\":\"customer\"");
  wait_message (&client, "site-required");

  /* … and so is one over D-Bus. */
  g_variant_unref (dbus_call (t, "Onboarding", "UpdateSite",
                              g_variant_new_parsed ("({'name': <'HQ'>, 'platform': <'smbc'>},)")));
  wait_message (&client, "\"section\":\"site\"");

  /* Logging out ends the stream at the next event. */
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/logout", token, NULL, NULL), ==,
                    204);
  g_variant_unref (
      dbus_call (t, "Onboarding", "UpdateSite", g_variant_new_parsed ("({'name': <'HQ 2'>},)")));
  ul_test_https_wait (&client.closed, 10000);
  g_assert_cmpint (soup_websocket_connection_get_close_code (connecting.connection), ==,
                   SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
  g_object_unref (connecting.connection);
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

/* The Deployment routes; the mail flow itself is tested with the mail service. */
static void
test_deployment (void)
{
  g_autoptr (UlTestHttps) t = ul_test_https_new (NULL);
  g_autofree char *token = setup_partner (t);
  g_autoptr (JsonNode) reply = NULL;

  g_assert_cmpuint (ul_test_https_request (t, "GET", "/api/v1/smtp", token, NULL, &reply), ==, 200);
  g_assert_false (ul_test_json_bool (reply, "passwordSet"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "PATCH", "/api/v1/smtp", token,
                                           "{\"host\": \"mail.partner.example\", \"port\": 587,"
                                           " \"username\": \"gateway\","
                                           " \"password\": \"smtp-Secret-1\","
                                           " \"fromAddress\": \"gw@partner.example\"}",
                                           &reply),
                    ==, 200);
  g_assert_true (ul_test_json_bool (reply, "passwordSet"));
  g_assert_null (ul_test_json_string (reply, "password"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (
      ul_test_https_request (t, "GET", "/api/v1/deployment/settings", token, NULL, &reply), ==,
      200);
  g_assert_nonnull (ul_test_json_string (reply, "effectiveRegistrationUrl"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "PATCH", "/api/v1/deployment/settings", token,
                                           "{\"linkLifetime\": 3600}", &reply),
                    ==, 200);
  g_assert_cmpint (ul_test_json_int (reply, "linkLifetime"), ==, 3600);
  g_clear_pointer (&reply, json_node_unref);

  /* No customer yet: nothing can be sent. */
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/deployment/emails", token,
                                           "{\"extensions\": [\"201\"]}", &reply),
                    ==, 409);
  ul_test_assert_error (reply, "wrong-state", NULL);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/deployment/emails", token,
                                           "{\"extensions\": \"201\"}", &reply),
                    ==, 400);
  ul_test_assert_error (reply, "invalid-argument", "extensions");
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (
      ul_test_https_request (t, "GET", "/api/v1/deployment/deliveries", token, NULL, &reply), ==,
      200);
  g_assert_cmpint (ul_test_json_int (reply, "total"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (
      ul_test_https_request (t, "GET", "/api/v1/registered-users", token, NULL, &reply), ==, 200);
  g_assert_cmpint (ul_test_json_int (reply, "total"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);

  /* Registration needs no login, only a link's token. */
  g_assert_cmpuint (
      ul_test_https_request (t, "GET", "/api/v1/registration/not-a-token", NULL, NULL, &reply), ==,
      404);
  ul_test_assert_error (reply, "not-found", NULL);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (ul_test_https_request (t, "POST", "/api/v1/registration/not-a-token", NULL,
                                           "{\"password\": \"Long enough 1\"}", &reply),
                    ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (
      ul_test_https_request (t, "POST", "/api/v1/registration/not-a-token", NULL, "{}", &reply), ==,
      400);
  ul_test_assert_error (reply, "invalid-argument", "password");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
}

/* No password, hash or token in any log line. */
static void
test_no_secrets_logged (void)
{
  g_autoptr (UlTestHttps) t = ul_test_https_new (NULL);
  g_autofree char *token = setup_partner (t);
  g_autofree char *log = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (
      ul_test_https_request (t, "PATCH", "/api/v1/customer", token, customer_acme, NULL), ==, 200);
  g_assert_cmpuint (
      ul_test_https_request (t, "PATCH", "/api/v1/site", token, site_standalone, NULL), ==, 200);
  g_assert_cmpuint (ul_test_https_request (t, "PATCH", "/api/v1/pbx", token, pbx_mivo, NULL), ==,
                    200);
  g_assert_cmpuint (login_status (t, PARTNER, "wrong password!", NULL), ==, 401);
  g_assert_cmpint (ul_test_https_stop (t), ==, 0);

  g_file_get_contents (t->log, &log, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log, "logged in"));
  g_assert_null (strstr (log, PASSWORD));
  g_assert_null (strstr (log, PBX_PASSWORD));
  g_assert_null (strstr (log, "wrong password!"));
  g_assert_null (strstr (log, token));
  g_assert_null (strstr (log, token + 4));
  g_assert_null (strstr (log, "$argon2id$"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/http/gateway-and-redirect", test_gateway_and_redirect);
  g_test_add_func ("/uplink/http/claim-and-login", test_claim_and_login);
  g_test_add_func ("/uplink/http/onboarding", test_onboarding);
  g_test_add_func ("/uplink/http/errors-change-nothing", test_errors_change_nothing);
  g_test_add_func ("/uplink/http/roles", test_roles);
  g_test_add_func ("/uplink/http/token-expiry", test_token_expiry);
  g_test_add_func ("/uplink/http/revocation", test_revocation);
  g_test_add_func ("/uplink/http/rate-limit", test_rate_limit);
  g_test_add_func ("/uplink/http/events", test_events);
  g_test_add_func ("/uplink/http/deployment", test_deployment);
  g_test_add_func ("/uplink/http/no-secrets-logged", test_no_secrets_logged);
  return g_test_run ();
}
