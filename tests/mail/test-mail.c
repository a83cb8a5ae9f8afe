/* test-mail.c — deployment e-mails end to end: the built uplinkd on a private bus, a real
 * SMTP server (aiosmtpd) on loopback, and Python's e-mail parser as the judge of the MIME.
 *
 * SMTP settings and the test mail, sending to eligible and ineligible users, the received
 * messages (headers, encodings, both parts, the link), registration through the link
 * (single use, password rule, registered users), resend, link expiry, a relay outage, and
 * SIGKILL in the middle of a delivery run (nothing lost, nothing sent twice). */
#include "config.h"

#include <sqlite3.h>
#include <string.h>
#include <glib/gstdio.h>

#include "ul-auth-service.h"
#include "ul-test-daemon.h"
#include "ul-test-smtp.h"

#define DEP "Deployment"
#define WAIT_MS 20000

static const char *customer_acme = UL_TEST_CUSTOMER_ACME;

static const char *users_csv =
  "extension,name,email,group\n"
  "201,Jürgen Müller,juergen.mueller@acme.example,Management\n"
  "202,Zoë Ångström,zoe@acme.example,IT\n"
  "203,No Mail,,Sales\n"
  "204,Bad Mail,bad@@acme,Sales\n"
  "205,Dup One,shared@acme.example,Sales\n"
  "206,Dup Two,shared@acme.example,Sales\n"
  "207,Max Muster,max@acme.example,Sales\n"
  "208,Reject Me,reject@acme.example,Sales\n"
  "209,Anna Beispiel,anna@acme.example,Sales\n";

typedef struct
{
  UlTestDaemon *daemon;
  UlTestSmtp   *smtp;
  GHashTable   *states;  /* extension → state, from DeliveryChanged */
  guint         signal_id;
} Fixture;

static void
on_delivery_changed (GDBusConnection *connection,
                     const char      *sender,
                     const char      *path,
                     const char      *interface,
                     const char      *signal,
                     GVariant        *parameters,
                     gpointer         user_data)
{
  Fixture *f = user_data;
  const char *extension = NULL, *state = NULL;
  g_autoptr(GVariant) delivery = NULL;

  g_variant_get (parameters, "(&s@a{sv})", &extension, &delivery);
  g_assert_true (g_variant_lookup (delivery, "state", "&s", &state));
  g_hash_table_replace (f->states, g_strdup (extension), g_strdup (state));
}

static GVariant *
call (Fixture *f, const char *method, GVariant *params)
{
  return ul_test_daemon_call_ok (f->daemon, DEP, method, params);
}

static GVariant *
dict_call (Fixture *f, const char *iface, const char *method, const char *dict)
{
  return ul_test_daemon_call_ok (f->daemon, iface, method,
                                 g_variant_new ("(@a{sv})", ul_test_dict (dict)));
}

/* For the calls made for their effect. */
static void
dict_call_void (Fixture *f, const char *iface, const char *method, const char *dict)
{
  g_variant_unref (dict_call (f, iface, method, dict));
}

static void
write_users (Fixture *f, const char *csv)
{
  g_autofree char *path = g_build_filename (f->daemon->root, "users.csv", NULL);
  g_autofree char *directory = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, csv, -1, &error);
  g_assert_no_error (error);
  directory = g_strdup_printf ("{'kind': <'csv'>, 'csv': <{'path': <'%s'>}>}", path);
  dict_call_void (f, "Pbx", "UpdateDirectory", directory);
  dict_call_void (f, "Pbx", "Sync", "{}");
}

static void
configure (Fixture *f, const char *extra_settings)
{
  g_autofree char *smtp = g_strdup_printf ("{'host': <'127.0.0.1'>, 'port': <%u>,"
                                           " 'tls': <'none'>,"
                                           " 'fromAddress': <'deploy@partner.example'>,"
                                           " 'fromName': <'Zoë Ångström, IT'>,"
                                           " 'replyTo': <'help@partner.example'>}",
                                           f->smtp->port);
  g_autofree char *settings = g_strdup_printf ("{'registrationUrl': <'https://gw.acme.example:8443/'>,"
                                               " 'retryInitial': <1>, 'retryMax': <1>%s}",
                                               extra_settings != NULL ? extra_settings : "");
  dict_call_void (f, "Onboarding", "UpdateCustomer", customer_acme);
  dict_call_void (f, DEP, "UpdateSmtp", smtp);
  dict_call_void (f, DEP, "UpdateSettings", settings);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->daemon = ul_test_daemon_new ();
  /* No HTTPS here: its fixed default ports would tie the test to a free 8443. */
  g_assert_true (g_file_set_contents (f->daemon->config, "[uplinkd]\n[http]\nhttps-port=-1\n",
                                      -1, NULL));
  f->smtp = ul_test_smtp_new ();
  f->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->signal_id = g_dbus_connection_signal_subscribe (f->daemon->connection, NULL,
                                                     "io.github.uplink.Gateway1.Deployment",
                                                     "DeliveryChanged", NULL, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE,
                                                     on_delivery_changed, f, NULL);
  ul_test_daemon_start (f->daemon);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_dbus_connection_signal_unsubscribe (f->daemon->connection, f->signal_id);
  g_clear_pointer (&f->smtp, ul_test_smtp_free);
  g_clear_pointer (&f->daemon, ul_test_daemon_free);
  g_clear_pointer (&f->states, g_hash_table_unref);
}

typedef struct
{
  Fixture            *f;
  const char * const *extensions;
  const char         *state;
} StateWait;

static gboolean
states_reached (gpointer data)
{
  StateWait *wait = data;

  for (guint i = 0; wait->extensions[i] != NULL; i++)
    {
      if (g_strcmp0 (g_hash_table_lookup (wait->f->states, wait->extensions[i]), wait->state) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
wait_states (Fixture *f, const char * const *extensions, const char *state)
{
  StateWait wait = { f, extensions, state };

  ul_test_wait_for (states_reached, &wait, WAIT_MS);
}

static GVariant *
send_mails (Fixture *f, const char *method, const char * const *extensions)
{
  if (g_str_equal (method, "Resend"))
    return call (f, method, g_variant_new ("(^as)", extensions));
  return call (f, method, g_variant_new ("(^as@a{sv})", extensions, ul_test_dict ("{}")));
}

static GVariant *
find_record (GVariant *records, const char *extension)
{
  GVariantIter iter;
  GVariant *record;

  g_variant_iter_init (&iter, records);
  while ((record = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *ext = NULL;

      if (g_variant_lookup (record, "extension", "&s", &ext) && g_str_equal (ext, extension))
        return record;
      g_variant_unref (record);
    }
  return NULL;
}

static void
assert_refused (GVariant *results, const char *extension, const char *reason)
{
  g_autoptr(GVariant) record = find_record (results, extension);
  gboolean accepted = TRUE;
  const char *got = NULL, *message = NULL;

  g_assert_nonnull (record);
  g_assert_true (g_variant_lookup (record, "accepted", "b", &accepted));
  g_assert_false (accepted);
  g_assert_true (g_variant_lookup (record, "reason", "&s", &got));
  g_assert_cmpstr (got, ==, reason);
  g_assert_true (g_variant_lookup (record, "message", "&s", &message));
  g_assert_cmpuint (strlen (message), >, 0);
}

static char *
assert_accepted (GVariant *results, const char *extension)
{
  g_autoptr(GVariant) record = find_record (results, extension);
  gboolean accepted = FALSE;
  char *message_id = NULL;

  g_assert_nonnull (record);
  g_assert_true (g_variant_lookup (record, "accepted", "b", &accepted));
  g_assert_true (accepted);
  g_assert_true (g_variant_lookup (record, "messageId", "s", &message_id));
  return message_id;
}

/* The registration token of the newest message to @address (its text part's link). */
static char *
token_for (Fixture *f, const char *address)
{
  g_autoptr(GPtrArray) messages = ul_test_smtp_messages (f->smtp);
  JsonObject *message = ul_test_smtp_find (messages, address);
  JsonArray *parts;
  const char *text, *link;

  g_assert_nonnull (message);
  parts = json_object_get_array_member (message, "parts");
  text = json_object_get_string_member (json_array_get_object_element (parts, 0), "text");
  link = strstr (text, "https://gw.acme.example:8443/register/");
  g_assert_nonnull (link);
  return g_strndup (link + strlen ("https://gw.acme.example:8443/register/"), 43);
}

static const char *
string_member (JsonObject *object, const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  return json_object_get_string_member (object, name);
}

static void
assert_welcome_mail (JsonObject *message, const char *message_id, const char *account_id)
{
  JsonArray *parts = json_object_get_array_member (message, "parts");
  JsonObject *text = NULL, *html = NULL;

  g_assert_cmpstr (string_member (message, "messageId"), ==, message_id);
  /* Decoded by Python: the UTF-8 names survive the RFC 2047 round trip. */
  g_assert_cmpstr (string_member (message, "toName"), ==, "Jürgen Müller");
  g_assert_cmpstr (string_member (message, "toAddress"), ==, "juergen.mueller@acme.example");
  g_assert_cmpstr (string_member (message, "fromName"), ==, "Zoë Ångström, IT");
  g_assert_cmpstr (string_member (message, "replyTo"), ==, "help@partner.example");
  g_assert_cmpstr (string_member (message, "subject"), ==,
                   "ACME Präzision AG: Schließen Sie die Einrichtung Ihres Kontos ab");
  g_assert_cmpstr (string_member (message, "contentType"), ==, "multipart/alternative");
  g_assert_cmpstr (string_member (message, "contentLanguage"), ==, "de");
  g_assert_cmpstr (string_member (message, "mimeVersion"), ==, "1.0");
  /* On the wire: encoded-words, 7-bit, CRLF only, short lines, no parser complaints. */
  g_assert_nonnull (strstr (string_member (message, "rawHeaders"),
                            "To: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen.mueller@acme.example>"));
  g_assert_false (json_object_get_boolean_member (message, "eightBit"));
  g_assert_cmpint (json_object_get_int_member (message, "bareLineFeeds"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (message, "maxLineLength"), <=, 78);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (message, "defects")), ==, 0);

  g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  text = json_array_get_object_element (parts, 0);
  html = json_array_get_object_element (parts, 1);
  g_assert_cmpstr (string_member (text, "type"), ==, "text/plain");
  g_assert_cmpstr (string_member (html, "type"), ==, "text/html");
  for (JsonObject *part = text; part != NULL; part = part == text ? html : NULL)
    {
      const char *body = string_member (part, "text");

      g_assert_cmpstr (string_member (part, "charset"), ==, "utf-8");
      g_assert_cmpstr (string_member (part, "encoding"), ==, "quoted-printable");
      g_assert_nonnull (strstr (body, "Jürgen Müller"));
      g_assert_nonnull (strstr (body, "201"));
      g_assert_nonnull (strstr (body, account_id));
      g_assert_nonnull (strstr (body, "ACME Präzision AG"));
      g_assert_nonnull (strstr (body, "https://gw.acme.example:8443/register/"));
    }
  g_assert_nonnull (strstr (string_member (html, "text"),
                            "<a href=\"https://gw.acme.example:8443/register/"));
  g_assert_nonnull (strstr (string_member (html, "text"), "lang=\"de\""));
}

static void
assert_error (Fixture *f, const char *method, GVariant *params, const char *name,
              const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = ul_test_daemon_call (f->daemon, DEP, method, params, &error);

  g_assert_null (reply);
  ul_test_assert_dbus_error (error, name, field);
}

static GVariant *
register_user (Fixture *f, const char *token, const char *password)
{
  return call (f, "Register", g_variant_new ("(ss)", token, password));
}

static void
on_login (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GVariant **reply = user_data;
  g_autoptr(GError) error = NULL;

  *reply = ul_auth_service_login_finish (UL_AUTH_SERVICE (source), result, NULL, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
assert_api_login (Fixture *f, const char *email, const char *password, const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlAuthService) auth = ul_auth_service_new (f->daemon->data_dir, NULL, &error);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) account = NULL;
  g_autofree char *request = g_strdup_printf ("{'email': <'%s'>, 'password': <'%s'>}", email,
                                              password);
  const char *got = NULL;

  g_assert_no_error (error);
  ul_auth_service_login_async (auth, &(UlCaller) { "test", "127.0.0.1" }, ul_test_dict (request),
                               NULL, on_login, &reply);
  ul_test_wait_for (is_set, &reply, WAIT_MS);
  account = g_variant_lookup_value (reply, "account", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (account, "role", "&s", &got));
  g_assert_cmpstr (got, ==, role);
}

static void
test_settings_and_test_mail (Fixture *f, gconstpointer data)
{
  g_autoptr(GVariant) smtp = call (f, "GetSmtp", NULL);
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GVariant) updated = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  const char *reply = NULL, *tls = NULL;
  gboolean password_set = TRUE;
  guint32 port = 0;
  const char * const auth[] = { "--auth", "mailer:S3cret-pass", NULL };

  /* Defaults: submission with STARTTLS, nothing configured, no password. */
  g_assert_true (g_variant_lookup (smtp, "port", "u", &port));
  g_assert_cmpuint (port, ==, 587);
  g_assert_true (g_variant_lookup (smtp, "tls", "&s", &tls));
  g_assert_cmpstr (tls, ==, "starttls");
  g_assert_true (g_variant_lookup (smtp, "passwordSet", "b", &password_set));
  g_assert_false (password_set);

  /* Nothing can be sent before the relay is configured. */
  assert_error (f, "SendTestMail", g_variant_new ("(@a{sv})", ul_test_dict ("{}")), "WrongState",
                NULL);

  /* Bad input names its field and changes nothing. */
  assert_error (f, "UpdateSmtp", g_variant_new ("(@a{sv})", ul_test_dict ("{'host': <'relay'>, 'port': <0>, 'fromAddress': <'a@b.example'>}")),
                "InvalidArgument", "port");
  assert_error (f, "UpdateSmtp", g_variant_new ("(@a{sv})", ul_test_dict ("{'tls': <'ssl'>}")),
                "InvalidArgument", "tls");
  assert_error (f, "UpdateSmtp", g_variant_new ("(@a{sv})", ul_test_dict ("{'host': <'relay.example'>, 'fromAddress': <'not-an-address'>}")),
                "InvalidArgument", "fromAddress");
  assert_error (f, "UpdateSmtp", g_variant_new ("(@a{sv})", ul_test_dict ("{'host': <'relay.example'>, 'fromAddress': <'a@b.example'>, 'password': <'x'>}")),
                "InvalidArgument", "username");
  assert_error (f, "UpdateSmtp", g_variant_new ("(@a{sv})", ul_test_dict ("{'host': <'relay.example'>, 'fromAddress': <'a@b.example'>, 'replyTo': <'x@'>}")),
                "InvalidArgument", "replyTo");
  assert_error (f, "UpdateSettings", g_variant_new ("(@a{sv})", ul_test_dict ("{'registrationUrl': <'http://gw.example'>}")),
                "InvalidArgument", "registrationUrl");
  assert_error (f, "UpdateSettings", g_variant_new ("(@a{sv})", ul_test_dict ("{'linkLifetime': <0>}")),
                "InvalidArgument", "linkLifetime");
  g_clear_pointer (&smtp, g_variant_unref);
  smtp = call (f, "GetSmtp", NULL);
  g_assert_false (g_variant_lookup (smtp, "host", "&s", &tls));

  /* A relay that requires AUTH; the password is write-only. */
  ul_test_smtp_start (f->smtp, auth);
  configure (f, NULL);
  {
    g_autofree char *changes = g_strdup_printf ("{'username': <'mailer'>, 'password': <'S3cret-pass'>}");
    updated = dict_call (f, DEP, "UpdateSmtp", changes);
  }
  g_assert_null (g_variant_lookup_value (updated, "password", NULL));
  g_assert_true (g_variant_lookup (updated, "passwordSet", "b", &password_set));
  g_assert_true (password_set);

  result = dict_call (f, DEP, "SendTestMail", "{'to': <'partner@partner.example'>}");
  g_assert_true (g_variant_lookup (result, "reply", "&s", &reply));
  g_assert_true (g_str_has_prefix (reply, "250 2.0.0 Ok: queued as UL"));
  messages = ul_test_smtp_messages (f->smtp);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (string_member (g_ptr_array_index (messages, 0), "subject"), ==,
                   "Uplink test e-mail");
  g_assert_cmpstr (string_member (g_ptr_array_index (messages, 0), "toAddress"), ==,
                   "partner@partner.example");

  /* The server's refusal of the login comes back as the error. */
  g_clear_pointer (&updated, g_variant_unref);
  updated = dict_call (f, DEP, "UpdateSmtp", "{'password': <'wrong-password'>}");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) none = ul_test_daemon_call (f->daemon, DEP, "SendTestMail",
                                                    g_variant_new ("(@a{sv})", ul_test_dict ("{}")),
                                                    &error);
    g_assert_null (none);
    ul_test_assert_dbus_error (error, "MailFailed", NULL);
    g_assert_nonnull (strstr (error->message, "535"));
  }

  /* A relay that is down. */
  ul_test_smtp_stop (f->smtp);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) none = ul_test_daemon_call (f->daemon, DEP, "SendTestMail",
                                                    g_variant_new ("(@a{sv})", ul_test_dict ("{}")),
                                                    &error);
    g_assert_null (none);
    ul_test_assert_dbus_error (error, "MailFailed", NULL);
  }
}

/* The digest secrets uplinkd stored for @extension, read from its database (a second,
 * read-only connection; WAL lets it read while uplinkd runs). */
static void
stored_sip_digest (Fixture *f, const char *extension, char **realm, char **md5, char **sha256)
{
  g_autofree char *path = g_build_filename (f->daemon->data_dir, "uplink.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT sip_realm, sip_ha1_md5, sip_ha1_sha256"
                                           " FROM user_credential WHERE extension = ?", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, extension, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  *realm = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *md5 = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  *sha256 = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_deployment_and_registration (Fixture *f, gconstpointer data)
{
  const char * const chosen[] = { "201", "202", "203", "204", "205", "207", "208", "999", "201",
                                  NULL };
  const char * const delivered[] = { "201", "202", "207", NULL };
  const char * const rejected[] = { "208", NULL };
  g_autoptr(GVariant) results = NULL;
  g_autoptr(GVariant) again = NULL;
  g_autoptr(GVariant) deliveries = NULL;
  g_autoptr(GVariant) delivery = NULL;
  g_autoptr(GVariant) user = NULL;
  g_autoptr(GVariant) registration = NULL;
  g_autoptr(GVariant) registered = NULL;
  g_autoptr(GVariant) registered_users = NULL;
  g_autoptr(GVariant) count = NULL;
  g_autoptr(GVariant) account = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *id_201 = NULL;
  g_autofree char *token = NULL;
  g_autofree char *old_token = NULL;
  g_autofree char *new_token = NULL;
  const char *text = NULL;
  gint64 invited_at = 0;
  gboolean admin = FALSE;

  ul_test_smtp_start (f->smtp, NULL);
  configure (f, NULL);
  write_users (f, users_csv);
  account = ul_test_daemon_get_property (f->daemon, "AccountId");

  /* Ineligible users are refused one by one; the others are accepted together. */
  results = send_mails (f, "SendDeploymentEmails", chosen);
  g_assert_cmpuint (g_variant_n_children (results), ==, 8);
  id_201 = assert_accepted (results, "201");
  g_free (assert_accepted (results, "202"));
  g_free (assert_accepted (results, "207"));
  g_free (assert_accepted (results, "208"));
  assert_refused (results, "203", "no-email");
  assert_refused (results, "204", "invalid-email");
  assert_refused (results, "205", "duplicate-email");
  assert_refused (results, "999", "unknown-user");

  wait_states (f, delivered, "sent");
  wait_states (f, rejected, "failed");
  messages = ul_test_smtp_messages (f->smtp);
  g_assert_cmpuint (messages->len, ==, 3);
  assert_welcome_mail (ul_test_smtp_find (messages, "juergen.mueller@acme.example"), id_201,
                       g_variant_get_string (account, NULL));

  /* Per-user state: the server's own reply, or its refusal. */
  deliveries = call (f, "GetDeliveries", g_variant_new ("(@a{sv})", ul_test_dict ("{}")));
  g_assert_cmpuint (g_variant_n_children (deliveries), ==, 4);
  delivery = find_record (deliveries, "201");
  g_assert_true (g_variant_lookup (delivery, "reply", "&s", &text));
  g_assert_true (g_str_has_prefix (text, "250 2.0.0 Ok: queued as UL"));
  g_clear_pointer (&delivery, g_variant_unref);
  delivery = find_record (deliveries, "208");
  g_assert_true (g_variant_lookup (delivery, "error", "&s", &text));
  g_assert_nonnull (strstr (text, "550 5.1.1"));
  user = ul_test_daemon_call_ok (f->daemon, "Users", "GetUser", g_variant_new ("(s)", "201"));
  g_assert_true (g_variant_lookup (user, "invitedAt", "x", &invited_at));
  g_assert_cmpint (invited_at, >, 0);

  /* The link: what it is for, the password rule, single use. */
  token = token_for (f, "juergen.mueller@acme.example");
  registration = call (f, "LookupRegistration", g_variant_new ("(s)", token));
  g_assert_true (g_variant_lookup (registration, "name", "&s", &text));
  g_assert_cmpstr (text, ==, "Jürgen Müller");
  g_assert_true (g_variant_lookup (registration, "admin", "b", &admin));
  g_assert_true (admin);
  assert_error (f, "Register", g_variant_new ("(ss)", token, "Short1"), "InvalidArgument",
                "password");
  assert_error (f, "Register", g_variant_new ("(ss)", token, "onlylowercaseletters"),
                "InvalidArgument", "password");
  registered = register_user (f, token, "Correct horse 42");
  g_assert_true (g_variant_lookup (registered, "extension", "&s", &text));
  g_assert_cmpstr (text, ==, "201");
  /* What the SIP registrar will check a digest against: H(extension:realm:password), the
   * realm fixed by the account ID. */
  {
    g_autofree char *realm = NULL, *md5 = NULL, *sha256 = NULL;
    g_autofree char *expected_realm = NULL, *a1 = NULL;
    g_autofree char *expected_md5 = NULL, *expected_sha256 = NULL;

    stored_sip_digest (f, "201", &realm, &md5, &sha256);
    expected_realm = g_strdup_printf ("uplink-%s", g_variant_get_string (account, NULL));
    g_assert_cmpstr (realm, ==, expected_realm);
    a1 = g_strdup_printf ("201:%s:Correct horse 42", expected_realm);
    expected_md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, a1, -1);
    expected_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, a1, -1);
    g_assert_cmpstr (md5, ==, expected_md5);
    g_assert_cmpstr (sha256, ==, expected_sha256);
  }
  assert_error (f, "Register", g_variant_new ("(ss)", token, "Another horse 43"), "LinkUsed",
                "token");
  assert_error (f, "LookupRegistration", g_variant_new ("(s)", token), "LinkUsed", "token");
  assert_error (f, "LookupRegistration", g_variant_new ("(s)", "not-a-token"), "NotFound",
                "token");

  registered_users = call (f, "ListRegisteredUsers", NULL);
  g_assert_cmpuint (g_variant_n_children (registered_users), ==, 1);
  g_clear_pointer (&delivery, g_variant_unref);
  delivery = find_record (registered_users, "201");
  g_assert_true (g_variant_lookup (delivery, "email", "&s", &text));
  g_assert_cmpstr (text, ==, "juergen.mueller@acme.example");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) reply =
      g_dbus_connection_call_sync (f->daemon->connection, "io.github.uplink.Gateway1",
                                   "/io/github/uplink/Gateway1",
                                   "org.freedesktop.DBus.Properties", "Get",
                                   g_variant_new ("(ss)", "io.github.uplink.Gateway1.Deployment",
                                                  "RegisteredUsers"),
                                   G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 10000, NULL,
                                   &error);
    g_assert_no_error (error);
    g_variant_get (reply, "(v)", &count);
    g_assert_cmpuint (g_variant_get_uint32 (count), ==, 1);
  }

  /* Registered users get no new link; users never invited cannot be "resent" to. */
  g_clear_pointer (&again, g_variant_unref);
  again = send_mails (f, "SendDeploymentEmails", (const char * const[]) { "201", NULL });
  assert_refused (again, "201", "registered");
  g_clear_pointer (&again, g_variant_unref);
  again = send_mails (f, "Resend", (const char * const[]) { "209", "203", NULL });
  assert_refused (again, "209", "not-invited");
  assert_refused (again, "203", "no-email");

  /* A resend issues a new link; the old one stops working. */
  old_token = token_for (f, "max@acme.example");
  g_hash_table_remove (f->states, "207");
  g_clear_pointer (&again, g_variant_unref);
  again = send_mails (f, "Resend", (const char * const[]) { "207", NULL });
  g_free (assert_accepted (again, "207"));
  wait_states (f, (const char * const[]) { "207", NULL }, "sent");
  new_token = token_for (f, "max@acme.example");
  g_assert_cmpstr (new_token, !=, old_token);
  assert_error (f, "LookupRegistration", g_variant_new ("(s)", old_token), "LinkExpired",
                "token");
  g_clear_pointer (&registration, g_variant_unref);
  registration = call (f, "LookupRegistration", g_variant_new ("(s)", new_token));
  g_assert_cmpuint (ul_test_smtp_count (f->smtp), ==, 4);

  /* A clean stop (under the sanitizers: no leak reports). */
  g_assert_cmpint (ul_test_daemon_stop (f->daemon), ==, 0);

  /* The admin contact signs in to the HTTPS API with the password chosen through the
   * link, and gets the customerAdmin role (the seed's advanced permissions). */
  assert_api_login (f, "juergen.mueller@acme.example", "Correct horse 42", "customerAdmin");
}

/* Restarts uplinkd with [mail] template-dir pointing at a copy of the German templates
 * with another subject. */
static void
use_custom_templates (Fixture *f)
{
  g_autofree char *dir = g_build_filename (f->daemon->root, "templates", NULL);
  g_autofree char *text_in = g_build_filename (g_getenv ("UPLINK_MAIL_TEMPLATE_DIR"),
                                               "welcome.de.txt", NULL);
  g_autofree char *html_in = g_build_filename (g_getenv ("UPLINK_MAIL_TEMPLATE_DIR"),
                                               "welcome.de.html", NULL);
  g_autofree char *text_out = g_build_filename (dir, "welcome.de.txt", NULL);
  g_autofree char *html_out = g_build_filename (dir, "welcome.de.html", NULL);
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autofree char *custom = NULL;
  g_autofree char *config = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_assert_true (g_file_get_contents (text_in, &text, NULL, NULL));
  g_assert_true (g_file_get_contents (html_in, &html, NULL, NULL));
  custom = g_strconcat ("Subject: Willkommen bei {{customer}}", strchr (text, '\n'), NULL);
  g_assert_true (g_file_set_contents (text_out, custom, -1, &error));
  g_assert_true (g_file_set_contents (html_out, html, -1, &error));
  config = g_strdup_printf ("[uplinkd]\n[http]\nhttps-port=-1\n[mail]\ntemplate-dir=%s\n", dir);
  g_assert_true (g_file_set_contents (f->daemon->config, config, -1, &error));
  g_assert_cmpint (ul_test_daemon_stop (f->daemon), ==, 0);
  ul_test_daemon_start (f->daemon);
}

static gboolean
lookup_expired (gpointer data)
{
  struct { Fixture *f; const char *token; } *args = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = ul_test_daemon_call (args->f->daemon, DEP, "LookupRegistration",
                                                   g_variant_new ("(s)", args->token), &error);

  return reply == NULL;
}

static void
test_link_expiry (Fixture *f, gconstpointer data)
{
  g_autoptr(GVariant) results = NULL;
  g_autoptr(GVariant) registration = NULL;
  g_autofree char *token = NULL;
  struct { Fixture *f; const char *token; } args = { f, NULL };

  /* Templates from uplinkd.conf's [mail] template-dir: an installer's own wording. */
  use_custom_templates (f);
  ul_test_smtp_start (f->smtp, NULL);
  configure (f, ", 'linkLifetime': <2>");
  write_users (f, users_csv);
  results = send_mails (f, "SendDeploymentEmails", (const char * const[]) { "202", NULL });
  wait_states (f, (const char * const[]) { "202", NULL }, "sent");
  token = token_for (f, "zoe@acme.example");
  {
    g_autoptr(GPtrArray) messages = ul_test_smtp_messages (f->smtp);
    g_assert_cmpstr (string_member (ul_test_smtp_find (messages, "zoe@acme.example"), "subject"),
                     ==, "Willkommen bei ACME Präzision AG");
  }
  args.token = token;

  /* Valid at first, then expired: both the page and the submit say so. */
  registration = call (f, "LookupRegistration", g_variant_new ("(s)", token));
  ul_test_wait_for (lookup_expired, &args, 5000);
  assert_error (f, "LookupRegistration", g_variant_new ("(s)", token), "LinkExpired", "token");
  assert_error (f, "Register", g_variant_new ("(ss)", token, "Correct horse 42"), "LinkExpired",
                "token");
}

static gboolean
first_attempt_failed (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GVariant) deliveries = call (f, "GetDeliveries",
                                         g_variant_new ("(@a{sv})", ul_test_dict ("{}")));
  g_autoptr(GVariant) delivery = find_record (deliveries, "201");
  const char *state = NULL, *error = NULL;

  return g_variant_lookup (delivery, "state", "&s", &state) && g_str_equal (state, "queued")
         && g_variant_lookup (delivery, "error", "&s", &error);
}

static void
test_relay_outage (Fixture *f, gconstpointer data)
{
  const char * const chosen[] = { "201", "202", "207", NULL };
  g_autoptr(GVariant) results = NULL;
  g_autoptr(GVariant) deliveries = NULL;
  g_autoptr(GVariant) delivery = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  const char *error_text = NULL;
  guint32 attempts = 0;

  /* The relay is down: the mails are accepted, tried, and stay queued with the reason. */
  configure (f, NULL);
  write_users (f, users_csv);
  results = send_mails (f, "SendDeploymentEmails", chosen);
  ul_test_wait_for (first_attempt_failed, f, WAIT_MS);
  deliveries = call (f, "GetDeliveries", g_variant_new ("(@a{sv})", ul_test_dict ("{}")));
  delivery = find_record (deliveries, "201");
  g_assert_true (g_variant_lookup (delivery, "error", "&s", &error_text));
  g_assert_nonnull (strstr (error_text, "refused the connection on port"));
  g_assert_true (g_variant_lookup (delivery, "attempts", "u", &attempts));
  g_assert_cmpuint (attempts, >=, 1);
  g_assert_cmpuint (ul_test_smtp_count (f->smtp), ==, 0);

  /* Back up: everything goes out, once. */
  ul_test_smtp_start (f->smtp, NULL);
  wait_states (f, chosen, "sent");
  messages = ul_test_smtp_messages (f->smtp);
  g_assert_cmpuint (messages->len, ==, 3);
  for (guint i = 0; i < messages->len; i++)
    g_assert_true (g_hash_table_add (ids, (gpointer) string_member (g_ptr_array_index (messages, i),
                                                                     "messageId")));
}

static gboolean
received_some (gpointer data)
{
  return ul_test_smtp_count (data) >= 5;
}

/* Message-ID → state, straight from the dead daemon's database. */
static GHashTable *
outbox_states (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->daemon->data_dir, "uplink.db", NULL);
  GHashTable *states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT message_id, state FROM outbox", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (states, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return states;
}

static gboolean
all_sent (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GVariant) deliveries = call (f, "GetDeliveries",
                                         g_variant_new ("(@a{sv})", ul_test_dict ("{}")));
  GVariantIter iter;
  const char *state;
  GVariant *record;

  g_variant_iter_init (&iter, deliveries);
  while ((record = g_variant_iter_next_value (&iter)) != NULL)
    {
      gboolean sent = g_variant_lookup (record, "state", "&s", &state)
                      && g_str_equal (state, "sent");
      g_variant_unref (record);
      if (!sent)
        return FALSE;
    }
  return TRUE;
}

/* The mail that arrived twice arrived byte for byte the same, same Message-ID included, so
 * that the receiving side can tell it is a duplicate. */
static void
assert_duplicate_identical (Fixture *f)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) g_bytes_unref);
  g_autoptr(GDir) dir = g_dir_open (f->smtp->dir, 0, NULL);
  const char *name;
  guint duplicates = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->smtp->dir, name, NULL);
      g_autofree char *contents = NULL;
      const char *id, *end;
      g_autofree char *key = NULL;
      gsize length;
      GBytes *previous;
      g_autoptr(GBytes) bytes = NULL;

      if (!g_str_has_suffix (name, ".eml"))
        continue;
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      id = strstr (contents, "\r\nMessage-ID: ");
      g_assert_nonnull (id);
      end = strstr (id + 2, "\r\n");
      key = g_strndup (id, end - id);
      bytes = g_bytes_new (contents, length);
      previous = g_hash_table_lookup (seen, key);
      if (previous != NULL)
        {
          g_assert_true (g_bytes_equal (previous, bytes));
          duplicates++;
        }
      else
        g_hash_table_insert (seen, g_steal_pointer (&key), g_steal_pointer (&bytes));
    }
  g_assert_cmpuint (duplicates, ==, 1);
}

#define CRASH_USERS 20

static void
test_kill_mid_delivery (Fixture *f, gconstpointer data)
{
  /* The server stores the 5th message, then holds its "250" for 3 s: the kill lands in the
   * window between the server taking a mail and uplinkd recording it. */
  const char * const slow[] = { "--delay-ms", "20", "--hold", "5:3000", NULL };
  g_autoptr(GString) csv = g_string_new ("extension,name,email\n");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) extensions = NULL;
  g_autoptr(GVariant) results = NULL;
  g_autoptr(GHashTable) at_kill = NULL;
  g_autoptr(GHashTable) received = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) messages = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint n_sending = 0, n_sent = 0, n_queued = 0, n_twice = 0;

  for (guint i = 0; i < CRASH_USERS; i++)
    {
      g_autofree char *extension = g_strdup_printf ("%u", 300 + i);
      g_string_append_printf (csv, "%s,Benützer %u,user%u@acme.example\n", extension, i, i);
      g_strv_builder_add (builder, extension);
    }
  extensions = g_strv_builder_end (builder);

  ul_test_smtp_start (f->smtp, slow);
  configure (f, NULL);
  write_users (f, csv->str);
  results = send_mails (f, "SendDeploymentEmails", (const char * const *) extensions);
  g_assert_cmpuint (g_variant_n_children (results), ==, CRASH_USERS);

  /* Kill while the relay holds the answer to the 5th mail. */
  ul_test_wait_for (received_some, f->smtp, WAIT_MS);
  ul_test_daemon_kill (f->daemon);
  at_kill = outbox_states (f);
  g_assert_cmpuint (g_hash_table_size (at_kill), ==, CRASH_USERS);

  ul_test_daemon_start (f->daemon);
  ul_test_wait_for (all_sent, f, WAIT_MS);

  /* Count arrivals per Message-ID at the server. */
  messages = ul_test_smtp_messages (f->smtp);
  for (guint i = 0; i < messages->len; i++)
    {
      const char *id = string_member (g_ptr_array_index (messages, i), "messageId");
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (received, id));

      g_hash_table_replace (received, g_strdup (id), GUINT_TO_POINTER (n + 1));
    }

  /* Nothing lost: every accepted mail arrived. Nothing sent twice: a mail recorded as sent
   * or still queued at the kill arrived exactly once. Mails claimed for delivery
   * ("sending") were sent again after the restart; of those, only the one the relay was
   * busy with at the kill may have arrived twice (the documented window). */
  g_assert_cmpuint (g_hash_table_size (received), ==, CRASH_USERS);
  g_hash_table_iter_init (&iter, at_kill);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (received, key));

      if (g_str_equal (value, "sending"))
        {
          n_sending++;
          g_assert_cmpuint (n, >=, 1);
          g_assert_cmpuint (n, <=, 2);
          n_twice += n == 2;
        }
      else
        {
          g_assert_cmpuint (n, ==, 1);
          n_sent += g_str_equal (value, "sent");
          n_queued += g_str_equal (value, "queued");
        }
    }
  g_assert_cmpuint (n_twice, ==, 1);
  g_assert_cmpuint (n_sent, >=, 4);
  g_assert_cmpuint (n_sending, >=, 1);
  g_assert_cmpuint (messages->len, ==, CRASH_USERS + n_twice);
  assert_duplicate_identical (f);
  g_test_message ("at the kill: %u sent, %u sending, %u queued; %u messages received, "
                  "%u twice", n_sent, n_sending, n_queued, messages->len, n_twice);
  g_assert_cmpint (ul_test_daemon_stop (f->daemon), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/uplink/mail/settings-and-test-mail", Fixture, NULL, fixture_set_up,
              test_settings_and_test_mail, fixture_tear_down);
  g_test_add ("/uplink/mail/deployment-and-registration", Fixture, NULL, fixture_set_up,
              test_deployment_and_registration, fixture_tear_down);
  g_test_add ("/uplink/mail/link-expiry", Fixture, NULL, fixture_set_up, test_link_expiry,
              fixture_tear_down);
  g_test_add ("/uplink/mail/relay-outage", Fixture, NULL, fixture_set_up, test_relay_outage,
              fixture_tear_down);
  g_test_add ("/uplink/mail/kill-mid-delivery", Fixture, NULL, fixture_set_up,
              test_kill_mid_delivery, fixture_tear_down);
  return g_test_run ();
}
