/* test-mail-tls.c — the transport security of the deployment e-mails, against a real
 * server: the built uplinkd on a private bus and aiosmtpd (smtp-sink.py) on loopback, with
 * certificates that certtool (gnutls-bin) makes for this run: a test CA, a server
 * certificate for localhost, 127.0.0.1 and ::1, one for another name, an expired one and a
 * self-signed one.
 *
 * STARTTLS and implicit TLS with AUTH deliver, and the server saw TLS and the right user;
 * a relay without STARTTLS, an untrusted, self-signed, expired or misnamed certificate, a
 * wrong password, a missing login and a wrong security mode each fail with their own
 * message, and nothing reaches the server in clear; the IPv6 loopback works; the debug
 * log never shows the credentials; a bad [mail] ca-file stops uplinkd at start-up. */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ul-test-daemon.h"
#include "ul-test-smtp.h"

#define DEP       "Deployment"
#define WAIT_MS   20000
#define USER      "mailer"
#define PASSWORD  "S3cret-pass"

static const char *customer =
  "{'name': <'ACME AG'>,"
  " 'address': <{'street': <'Bahnhofstrasse 1'>, 'city': <'Zürich'>,"
  "              'postalCode': <'8001'>, 'country': <'CH'>}>,"
  " 'businessType': <'manufacturing'>, 'language': <'de'>,"
  " 'supportContacts': <[{'role': <'maintainer'>, 'name': <'Partner Tech'>,"
  "                       'email': <'support@partner.example'>},"
  "                      {'role': <'onsiteAdmin'>, 'name': <'Zoë Ångström'>,"
  "                       'email': <'zoe@acme.example'>}]>}";

/* Made once per run, in a temporary directory. */
static struct
{
  char *dir;
  char *ca;           /* the test CA's certificate: what [mail] ca-file names */
  char *key;          /* the key of every server certificate */
  char *server;       /* localhost, 127.0.0.1, ::1; issued by the test CA */
  char *other;        /* mail.other.example; issued by the test CA */
  char *expired;      /* 127.0.0.1, valid in January 2020 only */
  char *self_signed;  /* 127.0.0.1, its own issuer */
} certs;

typedef struct
{
  UlTestDaemon *daemon;
  UlTestSmtp   *smtp;
  char         *log;   /* uplinkd's stderr, when started with start_logged() */
} Fixture;

static void
certtool (const char *output, const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (certs.dir, output, NULL);
  int status = -1;

  g_ptr_array_add (argv, (gpointer) g_getenv ("UL_CERTTOOL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, (gpointer) "--outfile");
  g_ptr_array_add (argv, path);
  g_ptr_array_add (argv, NULL);
  g_assert_nonnull (argv->pdata[0]);
  g_spawn_sync (certs.dir, (char **) argv->pdata, NULL,
                G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
write_template (const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (certs.dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
make_certificates (void)
{
  g_autoptr(GError) error = NULL;

  certs.dir = g_dir_make_tmp ("uplink-tls-XXXXXX", &error);
  g_assert_no_error (error);
  certs.ca = g_build_filename (certs.dir, "ca.pem", NULL);
  certs.key = g_build_filename (certs.dir, "server.key", NULL);
  certs.server = g_build_filename (certs.dir, "server.pem", NULL);
  certs.other = g_build_filename (certs.dir, "other.pem", NULL);
  certs.expired = g_build_filename (certs.dir, "expired.pem", NULL);
  certs.self_signed = g_build_filename (certs.dir, "self-signed.pem", NULL);

  write_template ("ca.cfg", "cn = \"Uplink Test CA\"\nca\ncert_signing_key\nexpiration_days = 2\n");
  write_template ("server.cfg", "cn = \"localhost\"\ndns_name = \"localhost\"\n"
                                "ip_address = \"127.0.0.1\"\nip_address = \"::1\"\n"
                                "tls_www_server\nexpiration_days = 2\n");
  write_template ("other.cfg", "cn = \"mail.other.example\"\ndns_name = \"mail.other.example\"\n"
                               "tls_www_server\nexpiration_days = 2\n");
  write_template ("expired.cfg", "cn = \"localhost\"\nip_address = \"127.0.0.1\"\ntls_www_server\n"
                                 "activation_date = \"2020-01-01 00:00:00\"\n"
                                 "expiration_date = \"2020-02-01 00:00:00\"\n");
  /* ECDSA P-256: made in milliseconds, unlike RSA. */
  certtool ("ca.key", (const char * const[]) { "--generate-privkey", "--key-type=ecdsa", NULL });
  certtool ("server.key", (const char * const[]) { "--generate-privkey", "--key-type=ecdsa", NULL });
  certtool ("ca.pem", (const char * const[]) { "--generate-self-signed", "--load-privkey", "ca.key",
                                                "--template", "ca.cfg", NULL });
  certtool ("server.pem", (const char * const[]) { "--generate-certificate", "--load-privkey",
                                                    "server.key", "--load-ca-certificate", "ca.pem",
                                                    "--load-ca-privkey", "ca.key", "--template",
                                                    "server.cfg", NULL });
  certtool ("other.pem", (const char * const[]) { "--generate-certificate", "--load-privkey",
                                                   "server.key", "--load-ca-certificate", "ca.pem",
                                                   "--load-ca-privkey", "ca.key", "--template",
                                                   "other.cfg", NULL });
  certtool ("expired.pem", (const char * const[]) { "--generate-certificate", "--load-privkey",
                                                     "server.key", "--load-ca-certificate", "ca.pem",
                                                     "--load-ca-privkey", "ca.key", "--template",
                                                     "expired.cfg", NULL });
  certtool ("self-signed.pem", (const char * const[]) { "--generate-self-signed", "--load-privkey",
                                                         "server.key", "--template", "server.cfg",
                                                         NULL });
}

static void
remove_certificates (void)
{
  g_autoptr(GDir) dir = g_dir_open (certs.dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (certs.dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (certs.dir);
  g_free (certs.dir);
  g_free (certs.ca);
  g_free (certs.key);
  g_free (certs.server);
  g_free (certs.other);
  g_free (certs.expired);
  g_free (certs.self_signed);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->daemon = ul_test_daemon_new ();
  f->smtp = ul_test_smtp_new ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->smtp, ul_test_smtp_free);
  g_clear_pointer (&f->daemon, ul_test_daemon_free);
  g_free (f->log);
}

/* uplinkd.conf: no HTTPS API (its fixed ports would tie the test to free ones), and
 * [mail] ca-file = @ca_file unless NULL (the system's trust store). */
static void
write_config (Fixture *f, const char *ca_file)
{
  g_autofree char *config = g_strdup_printf ("[uplinkd]\n[http]\nhttps-port=-1\n[mail]\n%s%s\n",
                                             ca_file != NULL ? "ca-file=" : "",
                                             ca_file != NULL ? ca_file : "");

  g_assert_true (g_file_set_contents (f->daemon->config, config, -1, NULL));
}

static void
restart (Fixture *f, const char *ca_file)
{
  if (f->daemon->process != NULL)
    g_assert_cmpint (ul_test_daemon_stop (f->daemon), ==, 0);
  write_config (f, ca_file);
  ul_test_daemon_start (f->daemon);
  g_variant_unref (ul_test_daemon_call_ok (f->daemon, "Onboarding", "UpdateCustomer",
                                           g_variant_new ("(@a{sv})", ul_test_dict (customer))));
}

/* Starts uplinkd with the mail debug log (the SMTP dialogue) into f->log. GLib writes debug
 * messages to stdout and the others to stderr; the child inherits both from the test, so
 * they point at the file for the start. */
static void
start_logged (Fixture *f, const char *ca_file)
{
  int saved_out = dup (STDOUT_FILENO);
  int saved_err = dup (STDERR_FILENO);
  int fd;

  f->log = g_build_filename (f->daemon->root, "uplinkd.log", NULL);
  fd = g_open (f->log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_setenv ("G_MESSAGES_DEBUG", "uplink-mail", TRUE);
  fflush (stdout);
  g_assert_cmpint (dup2 (fd, STDOUT_FILENO), ==, STDOUT_FILENO);
  g_assert_cmpint (dup2 (fd, STDERR_FILENO), ==, STDERR_FILENO);
  restart (f, ca_file);
  fflush (stdout);
  g_assert_cmpint (dup2 (saved_out, STDOUT_FILENO), ==, STDOUT_FILENO);
  g_assert_cmpint (dup2 (saved_err, STDERR_FILENO), ==, STDERR_FILENO);
  g_unsetenv ("G_MESSAGES_DEBUG");
  close (fd);
  close (saved_out);
  close (saved_err);
}

static void
configure (Fixture *f, const char *host, const char *tls, const char *username,
           const char *password)
{
  g_autofree char *smtp = g_strdup_printf ("{'host': <'%s'>, 'port': <%u>, 'tls': <'%s'>,"
                                           " 'username': <'%s'>, 'password': <'%s'>,"
                                           " 'fromAddress': <'deploy@partner.example'>}",
                                           host, f->smtp->port, tls, username, password);

  g_variant_unref (ul_test_daemon_call_ok (f->daemon, DEP, "UpdateSmtp",
                                           g_variant_new ("(@a{sv})", ul_test_dict (smtp))));
  g_variant_unref (ul_test_daemon_call_ok (
    f->daemon, DEP, "UpdateSettings",
    g_variant_new ("(@a{sv})", ul_test_dict ("{'registrationUrl': <'https://gw.acme.example'>,"
                                             " 'retryInitial': <1>, 'retryMax': <1>}"))));
}

/* (Re)starts the server with @args and a clean record of what it saw. */
static void
start_sink (Fixture *f, const char * const *args)
{
  if (f->smtp->process != NULL)
    ul_test_smtp_stop (f->smtp);
  ul_test_smtp_forget (f->smtp);
  ul_test_smtp_start (f->smtp, args);
}

/* The server's reply to the test mail. */
static char *
send_test_mail (Fixture *f)
{
  g_autoptr(GVariant) result = ul_test_daemon_call_ok (
    f->daemon, DEP, "SendTestMail",
    g_variant_new ("(@a{sv})", ul_test_dict ("{'to': <'partner@partner.example'>}")));
  char *reply = NULL;

  g_assert_true (g_variant_lookup (result, "reply", "s", &reply));
  return reply;
}

/* The test mail's error message, which must be a MailFailed. */
static char *
send_test_mail_error (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = ul_test_daemon_call (
    f->daemon, DEP, "SendTestMail",
    g_variant_new ("(@a{sv})", ul_test_dict ("{'to': <'partner@partner.example'>}")), &error);

  g_assert_null (reply);
  ul_test_assert_dbus_error (error, "MailFailed", NULL);
  g_dbus_error_strip_remote_error (error);
  g_test_message ("SendTestMail: %s", error->message);
  return g_strdup (error->message);
}

static void
assert_contains (const char *text, const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” is not in “%s”", part, text);
}

/* The server saw a connection (so the test is not vacuous) but no login and no mail. */
static void
assert_nothing_sent (Fixture *f)
{
  g_autoptr(GPtrArray) events = ul_test_smtp_events (f->smtp);

  g_assert_cmpuint (ul_test_smtp_count_events (events, "connect"), >=, 1);
  g_assert_cmpuint (ul_test_smtp_count_events (events, "auth"), ==, 0);
  g_assert_cmpuint (ul_test_smtp_count_events (events, "mail"), ==, 0);
  g_assert_cmpuint (ul_test_smtp_count (f->smtp), ==, 0);
}

static JsonObject *
last_message (Fixture *f, GPtrArray **messages)
{
  *messages = ul_test_smtp_messages (f->smtp);
  g_assert_cmpuint ((*messages)->len, >=, 1);
  return g_ptr_array_index (*messages, (*messages)->len - 1);
}

/* The newest message went through TLS, logged in as @user ("" for none). */
static void
assert_last_message_tls (Fixture *f, const char *user)
{
  g_autoptr(GPtrArray) messages = NULL;
  JsonObject *message = last_message (f, &messages);

  g_assert_true (g_str_has_prefix (json_object_get_string_member (message, "tls"), "TLSv1."));
  g_assert_cmpstr (json_object_get_string_member (message, "authUser"), ==, user);
}

static void
write_users (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->daemon->root, "users.csv", NULL);
  g_autofree char *directory = g_strdup_printf ("{'kind': <'csv'>, 'csv': <{'path': <'%s'>}>}",
                                                path);

  g_assert_true (g_file_set_contents (path, "extension,name,email\n"
                                            "201,Jürgen Müller,juergen@acme.example\n",
                                      -1, NULL));
  g_variant_unref (ul_test_daemon_call_ok (f->daemon, "Pbx", "UpdateDirectory",
                                           g_variant_new ("(@a{sv})", ul_test_dict (directory))));
  g_variant_unref (ul_test_daemon_call_ok (f->daemon, "Pbx", "Sync",
                                           g_variant_new ("(@a{sv})", ul_test_dict ("{}"))));
}

typedef struct
{
  Fixture    *f;
  const char *state;
  GVariant   *delivery;  /* out */
} DeliveryWait;

static gboolean
delivery_reached (gpointer data)
{
  DeliveryWait *wait = data;
  g_autoptr(GVariant) deliveries = ul_test_daemon_call_ok (
    wait->f->daemon, DEP, "GetDeliveries", g_variant_new ("(@a{sv})", ul_test_dict ("{}")));
  g_autoptr(GVariant) delivery = NULL;
  const char *state = NULL;

  g_assert_cmpuint (g_variant_n_children (deliveries), ==, 1);
  delivery = g_variant_get_child_value (deliveries, 0);
  /* A queued mail counts once an attempt has failed, i.e. it carries an error. */
  if (!g_variant_lookup (delivery, "state", "&s", &state) || !g_str_equal (state, wait->state)
      || (g_str_equal (state, "queued") && !g_variant_lookup (delivery, "error", "&s", NULL)))
    return FALSE;
  wait->delivery = g_steal_pointer (&delivery);
  return TRUE;
}

/* Sends the welcome mail to user 201 through the outbox; returns its delivery record once
 * it is in @state. */
static GVariant *
send_deployment_mail (Fixture *f, const char *state)
{
  DeliveryWait wait = { f, state, NULL };
  const char * const extensions[] = { "201", NULL };

  write_users (f);
  g_variant_unref (ul_test_daemon_call_ok (f->daemon, DEP, "SendDeploymentEmails",
                                           g_variant_new ("(^as@a{sv})", extensions,
                                                          ul_test_dict ("{}"))));
  ul_test_wait_for (delivery_reached, &wait, WAIT_MS);
  return wait.delivery;
}

/* The debug log shows the AUTH PLAIN and LOGIN exchanges, but none of the credentials in
 * any form. */
static void
assert_log_redacted (Fixture *f)
{
  g_autofree char *log = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *b64_user = g_base64_encode ((const guchar *) USER, strlen (USER));
  g_autofree char *b64_password = g_base64_encode ((const guchar *) PASSWORD, strlen (PASSWORD));
  const char plain_credentials[] = "\0" USER "\0" PASSWORD;
  guint count = 0;

  g_assert_true (g_file_get_contents (f->log, &log, NULL, NULL));
  plain = g_base64_encode ((const guchar *) plain_credentials, sizeof plain_credentials - 1);
  assert_contains (log, "C: STARTTLS");
  assert_contains (log, "C: AUTH PLAIN");
  assert_contains (log, "C: AUTH LOGIN");
  assert_contains (log, "S: 235 2.7.0 Authentication successful");
  /* PLAIN's one line of credentials, LOGIN's user name and password. */
  for (const char *p = log; (p = strstr (p, "C: <redacted>\n")) != NULL; p++)
    count++;
  g_assert_cmpuint (count, >=, 3);
  g_assert_null (strstr (log, PASSWORD));
  g_assert_null (strstr (log, b64_password));
  g_assert_null (strstr (log, b64_user));
  g_assert_null (strstr (log, plain));
}

static void
test_starttls_auth (Fixture *f, gconstpointer data)
{
  const char * const plain_auth[] = { "--tls-cert", certs.server, "--tls-key", certs.key,
                                      "--require-starttls", "--auth", USER ":" PASSWORD, NULL };
  const char * const login_auth[] = { "--tls-cert", certs.server, "--tls-key", certs.key,
                                      "--require-starttls", "--auth", USER ":" PASSWORD,
                                      "--auth-mechanism", "LOGIN", NULL };
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GVariant) delivery = NULL;
  g_autofree char *reply = NULL;
  const char *text = NULL;
  gint starttls_at = -1, auth_at = -1;

  start_logged (f, certs.ca);
  start_sink (f, plain_auth);
  configure (f, "127.0.0.1", "starttls", USER, PASSWORD);

  /* The test mail: the server's own 250, through TLS, as the configured user. */
  reply = send_test_mail (f);
  g_assert_true (g_str_has_prefix (reply, "250 2.0.0 Ok: queued as UL"));
  assert_last_message_tls (f, USER);
  events = ul_test_smtp_events (f->smtp);
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *event = g_ptr_array_index (events, i);
      const char *kind = json_object_get_string_member (event, "event");

      if (g_str_equal (kind, "starttls") && starttls_at < 0)
        starttls_at = (gint) i;
      if (g_str_equal (kind, "auth") && auth_at < 0)
        {
          auth_at = (gint) i;
          g_assert_true (json_object_get_boolean_member (event, "success"));
          g_assert_cmpstr (json_object_get_string_member (event, "user"), ==, USER);
          g_assert_cmpstr (json_object_get_string_member (event, "mechanism"), ==, "PLAIN");
        }
      if (g_str_equal (kind, "auth") || g_str_equal (kind, "mail"))
        g_assert_true (g_str_has_prefix (json_object_get_string_member (event, "tls"), "TLSv1."));
    }
  g_assert_cmpint (starttls_at, >=, 0);
  g_assert_cmpint (auth_at, >, starttls_at);

  /* A deployment mail goes the same way through the outbox. */
  delivery = send_deployment_mail (f, "sent");
  g_assert_true (g_variant_lookup (delivery, "reply", "&s", &text));
  g_assert_true (g_str_has_prefix (text, "250 2.0.0 Ok: queued as UL"));
  assert_last_message_tls (f, USER);

  /* AUTH LOGIN sends the user name and password as lines of their own. */
  start_sink (f, login_auth);
  g_clear_pointer (&reply, g_free);
  reply = send_test_mail (f);
  g_assert_true (g_str_has_prefix (reply, "250 2.0.0 Ok: queued as UL"));
  assert_last_message_tls (f, USER);

  g_assert_cmpint (ul_test_daemon_stop (f->daemon), ==, 0);
  assert_log_redacted (f);
}

static void
test_implicit_tls (Fixture *f, gconstpointer data)
{
  const char * const sink[] = { "--tls-cert", certs.server, "--tls-key", certs.key,
                                "--implicit-tls", "--auth", USER ":" PASSWORD, NULL };
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *reply = NULL;

  restart (f, certs.ca);
  start_sink (f, sink);
  configure (f, "127.0.0.1", "tls", USER, PASSWORD);
  reply = send_test_mail (f);
  g_assert_true (g_str_has_prefix (reply, "250 2.0.0 Ok: queued as UL"));
  assert_last_message_tls (f, USER);
  /* TLS from the first byte: no STARTTLS was needed. */
  events = ul_test_smtp_events (f->smtp);
  g_assert_cmpuint (ul_test_smtp_count_events (events, "starttls"), ==, 0);
  g_assert_cmpuint (ul_test_smtp_count_events (events, "auth"), ==, 1);
}

static void
test_no_starttls (Fixture *f, gconstpointer data)
{
  /* The relay would even take the login in clear: the gateway must not offer it. */
  const char * const sink[] = { "--no-starttls", "--auth", USER ":" PASSWORD, NULL };
  g_autoptr(GVariant) delivery = NULL;
  g_autofree char *message = NULL;
  const char *error = NULL, *state = NULL;

  restart (f, certs.ca);
  start_sink (f, sink);
  configure (f, "127.0.0.1", "starttls", USER, PASSWORD);

  message = send_test_mail_error (f);
  assert_contains (message, "The mail server 127.0.0.1 does not offer STARTTLS");
  assert_contains (message, "nothing was sent");

  /* A queued mail stays queued, with the same reason as its last error. */
  delivery = send_deployment_mail (f, "queued");
  g_assert_true (g_variant_lookup (delivery, "error", "&s", &error));
  assert_contains (error, "does not offer STARTTLS");
  g_assert_true (g_variant_lookup (delivery, "state", "&s", &state));
  g_assert_cmpstr (state, ==, "queued");
  assert_nothing_sent (f);
}

static void
test_untrusted_certificates (Fixture *f, gconstpointer data)
{
  const char * const by_test_ca[] = { "--tls-cert", certs.server, "--tls-key", certs.key,
                                      "--starttls", NULL };
  const char * const self_signed[] = { "--tls-cert", certs.self_signed, "--tls-key", certs.key,
                                       "--starttls", NULL };
  const char * const expired[] = { "--tls-cert", certs.expired, "--tls-key", certs.key,
                                   "--starttls", NULL };
  g_autofree char *message = NULL;

  /* No ca-file: the system's trust store, which does not know the test CA. */
  restart (f, NULL);
  start_sink (f, by_test_ca);
  configure (f, "127.0.0.1", "starttls", "", "");
  message = send_test_mail_error (f);
  assert_contains (message, "The certificate of the mail server 127.0.0.1 was issued by "
                            "“Uplink Test CA”, a CA that the gateway does not trust");
  assert_contains (message, "[mail] ca-file");
  assert_nothing_sent (f);

  /* With the test CA trusted, its own certificates pass but others still do not. */
  restart (f, certs.ca);
  g_free (send_test_mail (f));
  start_sink (f, self_signed);
  g_clear_pointer (&message, g_free);
  message = send_test_mail_error (f);
  assert_contains (message, "The certificate of the mail server 127.0.0.1 is self-signed");
  assert_nothing_sent (f);

  start_sink (f, expired);
  g_clear_pointer (&message, g_free);
  message = send_test_mail_error (f);
  assert_contains (message, "The certificate of the mail server 127.0.0.1 expired on "
                            "2020-02-01 00:00 UTC");
  assert_nothing_sent (f);

  /* A self-signed server certificate can be its own ca-file; the file then replaces the
   * trusted CAs, so the test CA's certificates no longer pass. */
  restart (f, certs.self_signed);
  start_sink (f, self_signed);
  g_free (send_test_mail (f));
  start_sink (f, by_test_ca);
  g_clear_pointer (&message, g_free);
  message = send_test_mail_error (f);
  assert_contains (message, "was issued by “Uplink Test CA”, which is not in ");
  assert_contains (message, "self-signed.pem ([mail] ca-file)");
  assert_nothing_sent (f);
}

static void
test_name_mismatch (Fixture *f, gconstpointer data)
{
  const char * const sink[] = { "--tls-cert", certs.other, "--tls-key", certs.key, "--starttls",
                                NULL };
  g_autoptr(GVariant) delivery = NULL;
  g_autofree char *message = NULL;
  const char *error = NULL;

  restart (f, certs.ca);
  start_sink (f, sink);
  configure (f, "127.0.0.1", "starttls", "", "");
  message = send_test_mail_error (f);
  assert_contains (message, "The certificate of the mail server is for mail.other.example, "
                            "not for 127.0.0.1");
  /* The queued mail's last error says the same. */
  delivery = send_deployment_mail (f, "queued");
  g_assert_true (g_variant_lookup (delivery, "error", "&s", &error));
  assert_contains (error, "is for mail.other.example, not for 127.0.0.1");
  assert_nothing_sent (f);
}

static void
test_login_refused (Fixture *f, gconstpointer data)
{
  const char * const sink[] = { "--tls-cert", certs.server, "--tls-key", certs.key,
                                "--require-starttls", "--auth", USER ":" PASSWORD, NULL };
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *message = NULL;

  restart (f, certs.ca);
  start_sink (f, sink);

  /* A wrong password: the server's own refusal, quoted. */
  configure (f, "127.0.0.1", "starttls", USER, "wrong-password");
  message = send_test_mail_error (f);
  assert_contains (message, "The mail server refused the login of user “mailer”: "
                            "535 5.7.8 Authentication credentials invalid");
  g_assert_null (strstr (message, "wrong-password"));
  events = ul_test_smtp_events (f->smtp);
  g_assert_cmpuint (ul_test_smtp_count_events (events, "auth"), ==, 1);
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *event = g_ptr_array_index (events, i);

      if (g_str_equal (json_object_get_string_member (event, "event"), "auth"))
        g_assert_false (json_object_get_boolean_member (event, "success"));
    }
  g_assert_cmpuint (ul_test_smtp_count_events (events, "mail"), ==, 0);

  /* No login configured for a relay that requires one. */
  configure (f, "127.0.0.1", "starttls", "", "");
  g_clear_pointer (&message, g_free);
  message = send_test_mail_error (f);
  assert_contains (message, "The mail server requires a login (AUTH)");
  assert_contains (message, "530 5.7.0 Authentication required");
  g_assert_cmpuint (ul_test_smtp_count (f->smtp), ==, 0);
}

static void
test_security_mode_mismatch (Fixture *f, gconstpointer data)
{
  const char * const sink[] = { "--tls-cert", certs.server, "--tls-key", certs.key,
                                "--require-starttls", NULL };
  g_autofree char *message = NULL;
  g_autofree char *expected = NULL;

  restart (f, certs.ca);
  start_sink (f, sink);

  /* Implicit TLS on a STARTTLS port: the server answers the handshake in clear text. */
  configure (f, "127.0.0.1", "tls", "", "");
  message = send_test_mail_error (f);
  expected = g_strdup_printf ("The TLS handshake with the mail server 127.0.0.1 on port %u "
                              "failed", f->smtp->port);
  assert_contains (message, expected);
  assert_contains (message, "if that port expects STARTTLS (usually 587)");

  /* No security towards a relay that insists on STARTTLS. */
  configure (f, "127.0.0.1", "none", "", "");
  g_clear_pointer (&message, g_free);
  message = send_test_mail_error (f);
  assert_contains (message, "The mail server accepts mail only after STARTTLS: choose "
                            "STARTTLS as the security mode");
  assert_contains (message, "530 Must issue a STARTTLS command first");
  g_assert_cmpuint (ul_test_smtp_count (f->smtp), ==, 0);
}

static gboolean
has_ipv6_loopback (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);

  return socket != NULL && g_socket_bind (socket, address, TRUE, NULL);
}

static void
test_ipv6 (Fixture *f, gconstpointer data)
{
  const char * const sink[] = { "--host", "::1", "--tls-cert", certs.server, "--tls-key",
                                certs.key, "--require-starttls", "--auth", USER ":" PASSWORD,
                                NULL };
  g_autofree char *reply = NULL;

  if (!has_ipv6_loopback ())
    {
      g_test_skip ("this machine has no IPv6 loopback (::1)");
      return;
    }
  restart (f, certs.ca);
  start_sink (f, sink);
  configure (f, "::1", "starttls", USER, PASSWORD);
  reply = send_test_mail (f);
  g_assert_true (g_str_has_prefix (reply, "250 2.0.0 Ok: queued as UL"));
  assert_last_message_tls (f, USER);
}

typedef struct
{
  gboolean done;
  char    *err;
} Run;

static void
on_communicated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL, &run->err, &error);
  g_assert_no_error (error);
  run->done = TRUE;
}

/* Runs uplinkd with [mail] ca-file = @value; it must refuse to start, saying why. */
static void
assert_start_fails (Fixture *f, const char *value, const char *reason)
{
  g_autofree char *config = g_strdup_printf ("[uplinkd]\n[http]\nhttps-port=-1\n[mail]\n"
                                             "ca-file=%s\n",
                                             value);
  g_autofree char *expected = g_strdup_printf ("uplinkd: mail.ca-file: %s", reason);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { FALSE, NULL };

  g_assert_true (g_file_set_contents (f->daemon->config, config, -1, NULL));
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, g_getenv ("UL_UPLINKD"), "--session", "--data-dir",
                              f->daemon->data_dir, "--config", f->daemon->config, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &run);
  ul_test_wait_until (&run.done, WAIT_MS);
  g_test_message ("%s", run.err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), !=, 0);
  assert_contains (run.err, expected);
  /* Refusing to start is a clean exit too. */
  g_assert_null (strstr (run.err, "Sanitizer"));
  g_free (run.err);
}

static void
test_ca_file_errors (Fixture *f, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (certs.dir, "missing.pem", NULL);
  g_autofree char *corrupt = g_build_filename (f->daemon->root, "corrupt.pem", NULL);
  g_autofree char *reason = NULL;

  reason = g_strdup_printf ("Cannot read %s: No such file or directory", missing);
  assert_start_fails (f, missing, reason);
  assert_start_fails (f, "ca.pem", "“ca.pem” is not an absolute path");
  assert_start_fails (f, "", "Name a CA certificate file");
  g_clear_pointer (&reason, g_free);
  reason = g_strdup_printf ("%s is not a regular file", certs.dir);
  assert_start_fails (f, certs.dir, reason);
  /* A key instead of a certificate. */
  g_clear_pointer (&reason, g_free);
  reason = g_strdup_printf ("%s holds no PEM certificate", certs.key);
  assert_start_fails (f, certs.key, reason);
  g_assert_true (g_file_set_contents (corrupt, "-----BEGIN CERTIFICATE-----\nnot base64!\n"
                                               "-----END CERTIFICATE-----\n",
                                      -1, NULL));
  g_clear_pointer (&reason, g_free);
  reason = g_strdup_printf ("%s is not a valid PEM certificate file", corrupt);
  assert_start_fails (f, corrupt, reason);

  /* The same uplinkd starts with a good one. */
  restart (f, certs.ca);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  make_certificates ();

  g_test_add ("/uplink/mail-tls/starttls-auth", Fixture, NULL, fixture_set_up,
              test_starttls_auth, fixture_tear_down);
  g_test_add ("/uplink/mail-tls/implicit-tls", Fixture, NULL, fixture_set_up, test_implicit_tls,
              fixture_tear_down);
  g_test_add ("/uplink/mail-tls/no-starttls", Fixture, NULL, fixture_set_up, test_no_starttls,
              fixture_tear_down);
  g_test_add ("/uplink/mail-tls/untrusted-certificates", Fixture, NULL, fixture_set_up,
              test_untrusted_certificates, fixture_tear_down);
  g_test_add ("/uplink/mail-tls/name-mismatch", Fixture, NULL, fixture_set_up,
              test_name_mismatch, fixture_tear_down);
  g_test_add ("/uplink/mail-tls/login-refused", Fixture, NULL, fixture_set_up,
              test_login_refused, fixture_tear_down);
  g_test_add ("/uplink/mail-tls/security-mode-mismatch", Fixture, NULL, fixture_set_up,
              test_security_mode_mismatch, fixture_tear_down);
  g_test_add ("/uplink/mail-tls/ipv6", Fixture, NULL, fixture_set_up, test_ipv6,
              fixture_tear_down);
  g_test_add ("/uplink/mail-tls/ca-file-errors", Fixture, NULL, fixture_set_up,
              test_ca_file_errors, fixture_tear_down);
  status = g_test_run ();
  remove_certificates ();
  return status;
}
