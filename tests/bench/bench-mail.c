/* bench-mail.c — deployment e-mails for 1,000 users: how long uplinkd takes to accept them
 * into the outbox (one SendDeploymentEmails call: eligibility, links, 1,000 MIME messages,
 * one transaction), and how fast it then delivers them to a local SMTP server (aiosmtpd on
 * loopback). Prints JSON.
 *
 *   meson test -C build --benchmark mail -v        (UL_BENCH_MAILS overrides 1000)
 */
#include "config.h"

#include <stdio.h>

#include "ul-test-daemon.h"
#include "ul-test-smtp.h"

static GVariant *
call (UlTestDaemon *d, const char *iface, const char *method, const char *dict)
{
  return ul_test_daemon_call_ok (d, iface, method, g_variant_new ("(@a{sv})", ul_test_dict (dict)));
}

typedef struct
{
  UlTestSmtp *smtp;
  guint       expected;
} Progress;

static gboolean
all_received (gpointer data)
{
  Progress *progress = data;

  return ul_test_smtp_count (progress->smtp) >= progress->expected;
}

int
main (int argc, char **argv)
{
  const char *env = g_getenv ("UL_BENCH_MAILS");
  guint n = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 1000;
  const char * const quiet[] = { "--no-summary", NULL };
  g_autoptr(UlTestDaemon) d = NULL;
  g_autoptr(UlTestSmtp) smtp = NULL;
  g_autoptr(GString) csv = g_string_new ("extension,name,email\n");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) extensions = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) results = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *smtp_settings = NULL;
  Progress progress;
  gint64 start, accepted, delivered;
  double accept_ms, deliver_s;

  g_test_init (&argc, &argv, NULL);
  d = ul_test_daemon_new ();
  g_assert_true (g_file_set_contents (d->config, "[uplinkd]\n[http]\nhttps-port=-1\n", -1, NULL));
  smtp = ul_test_smtp_new ();
  ul_test_smtp_start (smtp, quiet);
  ul_test_daemon_start (d);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *extension = g_strdup_printf ("%u", 10000 + i);
      g_string_append_printf (csv, "%s,Benützerin Nummer %u,user%u@acme.example\n", extension,
                              i, i);
      g_strv_builder_add (builder, extension);
    }
  extensions = g_strv_builder_end (builder);
  csv_path = g_build_filename (d->root, "users.csv", NULL);
  g_file_set_contents (csv_path, csv->str, -1, &error);
  g_assert_no_error (error);

  g_variant_unref (call (d, "Onboarding", "UpdateCustomer",
                         "{'name': <'ACME Präzision AG'>, 'language': <'de'>,"
                         " 'address': <{'street': <'Bahnhofstrasse 1'>, 'city': <'Zürich'>,"
                         "   'postalCode': <'8001'>, 'country': <'CH'>}>,"
                         " 'businessType': <'manufacturing'>,"
                         " 'supportContacts': <[{'role': <'maintainer'>, 'name': <'Tech'>,"
                         "   'email': <'tech@partner.example'>}, {'role': <'onsiteAdmin'>,"
                         "   'name': <'Zoë'>, 'email': <'zoe@acme.example'>}]>}"));
  directory = g_strdup_printf ("{'kind': <'csv'>, 'csv': <{'path': <'%s'>}>}", csv_path);
  g_variant_unref (call (d, "Pbx", "UpdateDirectory", directory));
  g_variant_unref (call (d, "Pbx", "Sync", "{}"));
  smtp_settings = g_strdup_printf ("{'host': <'127.0.0.1'>, 'port': <%u>, 'tls': <'none'>,"
                                   " 'fromAddress': <'deploy@partner.example'>,"
                                   " 'fromName': <'ACME IT'>}", smtp->port);
  g_variant_unref (call (d, "Deployment", "UpdateSmtp", smtp_settings));

  start = g_get_monotonic_time ();
  results = ul_test_daemon_call_ok (d, "Deployment", "SendDeploymentEmails",
                                    g_variant_new ("(^as@a{sv})", extensions, ul_test_dict ("{}")));
  accepted = g_get_monotonic_time ();
  g_assert_cmpuint (g_variant_n_children (results), ==, n);

  progress = (Progress) { smtp, n };
  ul_test_wait_for (all_received, &progress, 600000);
  delivered = g_get_monotonic_time ();

  accept_ms = (accepted - start) / 1000.0;
  deliver_s = (delivered - start) / 1e6;
  printf ("{\"benchmark\": \"mail-deployment\", \"mails\": %u,"
          " \"acceptMs\": %.1f, \"acceptMsPerMail\": %.3f,"
          " \"deliverySeconds\": %.2f, \"deliveryRatePerSecond\": %.1f}\n",
          n, accept_ms, accept_ms / n, deliver_s, n / deliver_s);
  g_assert_cmpint (ul_test_daemon_stop (d), ==, 0);
  return 0;
}
