/* test-mail-config.c — the SMTP settings, the mail settings and the password rule of
 * core/common: defaults, a{sv} round trips, write-only password, and field errors. */
#include "config.h"

#include "ul-error.h"
#include "ul-mail-settings.h"
#include "ul-password.h"
#include "ul-smtp-config.h"

static GVariant *
dict (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *value = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  g_assert_no_error (error);
  return value;
}

static void
assert_field (GError *error, const char *field)
{
  g_autofree char *got = NULL;

  g_assert_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT);
  got = ul_error_get_field (error);
  g_assert_cmpstr (got, ==, field);
}

static void
test_smtp_defaults (void)
{
  g_autoptr(UlSmtpConfig) smtp = ul_smtp_config_new ();
  g_autoptr(GVariant) variant = g_variant_ref_sink (ul_smtp_config_to_variant (smtp));
  const char *tls = NULL;
  gboolean set = TRUE;

  g_assert_cmpuint (smtp->port, ==, 587);
  g_assert_cmpint (smtp->tls, ==, UL_SMTP_TLS_STARTTLS);
  g_assert_false (ul_smtp_config_is_configured (smtp));
  g_assert_true (g_variant_lookup (variant, "tls", "&s", &tls));
  g_assert_cmpstr (tls, ==, "starttls");
  g_assert_true (g_variant_lookup (variant, "passwordSet", "b", &set));
  g_assert_false (set);
  g_assert_null (g_variant_lookup_value (variant, "host", NULL));
}

static void
test_smtp_apply (void)
{
  g_autoptr(UlSmtpConfig) smtp = ul_smtp_config_new ();
  g_autoptr(UlSmtpConfig) before = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GError) error = NULL;
  gboolean set = FALSE;
  UlSmtpTls tls;

  g_assert_true (ul_smtp_config_apply (smtp, dict ("{'host': <'smtp.partner.example'>,"
                                                   " 'port': <uint16 465>, 'tls': <'tls'>,"
                                                   " 'username': <'mailer'>,"
                                                   " 'password': <'S3cret'>,"
                                                   " 'fromAddress': <'deploy@partner.example'>,"
                                                   " 'fromName': <'Zoë Ångström'>,"
                                                   " 'replyTo': <'help@partner.example'>}"),
                                       &error));
  g_assert_no_error (error);
  g_assert_true (ul_smtp_config_validate (smtp, &error));
  g_assert_true (ul_smtp_config_is_configured (smtp));
  g_assert_cmpuint (smtp->port, ==, 465);
  g_assert_cmpint (smtp->tls, ==, UL_SMTP_TLS_TLS);

  /* The password never leaves; passwordSet tells whether there is one. */
  variant = g_variant_ref_sink (ul_smtp_config_to_variant (smtp));
  g_assert_null (g_variant_lookup_value (variant, "password", NULL));
  g_assert_true (g_variant_lookup (variant, "passwordSet", "b", &set));
  g_assert_true (set);
  /* A client may send back what it read. */
  g_assert_true (ul_smtp_config_apply (smtp, g_variant_ref (variant), &error));
  g_assert_cmpstr (smtp->password, ==, "S3cret");

  /* passwordSet is read-only; a bad key anywhere leaves the record untouched. */
  before = ul_smtp_config_copy (smtp);
  g_assert_false (ul_smtp_config_apply (smtp, dict ("{'passwordSet': <false>}"), &error));
  assert_field (error, "passwordSet");
  g_clear_error (&error);
  g_assert_false (ul_smtp_config_apply (smtp, dict ("{'host': <'other'>, 'port': <70000>}"),
                                        &error));
  assert_field (error, "port");
  g_clear_error (&error);
  g_assert_false (ul_smtp_config_apply (smtp, dict ("{'host': <'other'>, 'bogus': <1>}"),
                                        &error));
  g_clear_error (&error);
  g_assert_true (ul_smtp_config_equal (smtp, before));

  /* An empty password removes it. */
  g_assert_true (ul_smtp_config_apply (smtp, dict ("{'password': <''>}"), &error));
  g_assert_null (smtp->password);

  g_assert_true (ul_smtp_tls_from_string ("none", &tls));
  g_assert_cmpint (tls, ==, UL_SMTP_TLS_NONE);
  g_assert_false (ul_smtp_tls_from_string ("ssl", &tls));
}

static void
test_smtp_validate (void)
{
  const struct
  {
    const char *changes;
    const char *field;
  } cases[] = {
    { "{'fromAddress': <'a@b.example'>}", "host" },
    { "{'host': <'bad host!'>, 'fromAddress': <'a@b.example'>}", "host" },
    { "{'host': <'relay'>, 'port': <0>, 'fromAddress': <'a@b.example'>}", "port" },
    { "{'host': <'relay'>}", "fromAddress" },
    { "{'host': <'relay'>, 'fromAddress': <'a@@b'>}", "fromAddress" },
    { "{'host': <'relay'>, 'fromAddress': <'a@b.example'>, 'replyTo': <'nope'>}", "replyTo" },
    { "{'host': <'relay'>, 'fromAddress': <'a@b.example'>, 'password': <'x'>}", "username" },
    { "{'host': <'relay'>, 'fromAddress': <'a@b.example'>, 'fromName': <'a\\nb'>}", "fromName" },
    { "{'host': <'tls'>, 'tls': <'bogus'>}", "tls" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(UlSmtpConfig) smtp = ul_smtp_config_new ();
      g_autoptr(GError) error = NULL;

      if (ul_smtp_config_apply (smtp, dict (cases[i].changes), &error))
        g_assert_false (ul_smtp_config_validate (smtp, &error));
      assert_field (error, cases[i].field);
    }
}

static void
test_mail_settings (void)
{
  g_autoptr(UlMailSettings) settings = ul_mail_settings_new ();
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GError) error = NULL;
  guint32 lifetime = 0;
  const struct
  {
    const char *changes;
    const char *field;
  } bad[] = {
    { "{'registrationUrl': <'http://gw.example'>}", "registrationUrl" },
    { "{'registrationUrl': <'https://'>}", "registrationUrl" },
    { "{'registrationUrl': <'https://gw.example/?x=1'>}", "registrationUrl" },
    { "{'registrationUrl': <'https://user@gw.example'>}", "registrationUrl" },
    { "{'linkLifetime': <0>}", "linkLifetime" },
    { "{'linkLifetime': <2592001>}", "linkLifetime" },
    { "{'retryInitial': <600>, 'retryMax': <60>}", "retryMax" },
    { "{'retryInitial': <'60'>}", "retryInitial" },
  };

  variant = g_variant_ref_sink (ul_mail_settings_to_variant (settings));
  g_assert_true (g_variant_lookup (variant, "linkLifetime", "u", &lifetime));
  g_assert_cmpuint (lifetime, ==, 72 * 3600);
  g_assert_null (g_variant_lookup_value (variant, "registrationUrl", NULL));
  g_assert_true (ul_mail_settings_validate (settings, &error));

  g_assert_true (ul_mail_settings_apply (settings,
                                         dict ("{'registrationUrl': <'https://gw.acme.example:8443'>,"
                                               " 'linkLifetime': <3600>}"),
                                         &error));
  g_assert_true (ul_mail_settings_validate (settings, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(UlMailSettings) candidate = ul_mail_settings_copy (settings);
      g_autoptr(GError) local_error = NULL;

      if (ul_mail_settings_apply (candidate, dict (bad[i].changes), &local_error))
        g_assert_false (ul_mail_settings_validate (candidate, &local_error));
      assert_field (local_error, bad[i].field);
    }
}

static void
test_password_rule (void)
{
  const char *good[] = { "Correct horse 42", "abcdefghij1", "ÄÖÜäöüßéèà", "correct horse battery" };
  const char *bad[] = { NULL, "", "Short1!", "abcdefghijklmnop", "1234567890123",
                        "ABCDEFGHIJKL", "tab\there12345" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      if (!ul_validate_password (good[i], "password", &error))
        g_error ("%s refused: %s", good[i], error->message);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (ul_validate_password (bad[i], "password", &error));
      assert_field (error, "password");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/mail/config/smtp-defaults", test_smtp_defaults);
  g_test_add_func ("/uplink/mail/config/smtp-apply", test_smtp_apply);
  g_test_add_func ("/uplink/mail/config/smtp-validate", test_smtp_validate);
  g_test_add_func ("/uplink/mail/config/mail-settings", test_mail_settings);
  g_test_add_func ("/uplink/mail/config/password-rule", test_password_rule);
  return g_test_run ();
}
