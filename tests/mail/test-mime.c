/* test-mime.c — the MIME builder and the templates of the deployment e-mails: RFC 2047
 * headers, quoted-printable bodies, line lengths, and every language's template. */
#include "config.h"

#include <string.h>

#include "ul-error.h"
#include "ul-mail-mime.h"
#include "ul-mail-template.h"
#include "ul-mail-welcome.h"
#include "ul-validate.h"

/* Decodes one "=?UTF-8?Q?…?=" word; fails the test on anything else. */
static char *
decode_word (const char *word)
{
  GString *out = g_string_new (NULL);
  gsize len = strlen (word);

  g_assert_true (g_str_has_prefix (word, "=?UTF-8?Q?"));
  g_assert_true (g_str_has_suffix (word, "?="));
  for (gsize i = strlen ("=?UTF-8?Q?"); i < len - 2; i++)
    {
      if (word[i] == '_')
        g_string_append_c (out, ' ');
      else if (word[i] == '=')
        {
          g_assert_true (g_ascii_isxdigit (word[i + 1]) && g_ascii_isxdigit (word[i + 2]));
          g_string_append_c (out, (char) (g_ascii_xdigit_value (word[i + 1]) * 16
                                          + g_ascii_xdigit_value (word[i + 2])));
          i += 2;
        }
      else
        {
          /* Only the phrase-safe set travels literally. */
          g_assert_true (g_ascii_isalnum (word[i]) || strchr ("!*+-/", word[i]) != NULL);
          g_string_append_c (out, word[i]);
        }
    }
  return g_string_free (out, FALSE);
}

static char *
decode_words (const char *encoded)
{
  g_auto(GStrv) words = g_strsplit (encoded, " ", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *decoded = decode_word (words[i]);

      g_assert_cmpuint (strlen (words[i]), <=, 66);
      /* Each word decodes to whole characters on its own (RFC 2047 §5). */
      g_assert_true (g_utf8_validate (decoded, -1, NULL));
      g_string_append (out, decoded);
    }
  return g_string_free (out, FALSE);
}

static void
test_encode_words (void)
{
  const char *names[] = {
    "Jürgen Müller", "Zoë Ångström", "a", "Ünïcödé ÄÖÜäöüß€ ÄÖÜäöüß€ ÄÖÜäöüß€ ÄÖÜäöüß€ ÄÖÜäöüß€",
    "日本語のテキストはとても長くなることがありますので分割が必要です", "Q?=_ tricky \"quotes\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *encoded = ul_mime_encode_words (names[i]);
      g_autofree char *decoded = decode_words (encoded);

      g_assert_cmpstr (decoded, ==, names[i]);
      g_assert_true (g_str_is_ascii (encoded));
    }
  {
    g_autofree char *encoded = ul_mime_encode_words ("Jürgen Müller");
    g_assert_cmpstr (encoded, ==, "=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?=");
  }
}

static void
test_mailbox (void)
{
  const struct
  {
    const char *name;
    const char *address;
    const char *expected;
  } cases[] = {
    { NULL, "a@example.com", "a@example.com" },
    { "", "a@example.com", "a@example.com" },
    { "Max Muster", "max@example.com", "Max Muster <max@example.com>" },
    { "Muster, Max", "max@example.com", "\"Muster, Max\" <max@example.com>" },
    { "Say \"hi\"", "a@example.com", "\"Say \\\"hi\\\"\" <a@example.com>" },
    { "Zoë Ångström", "zoe@example.com", "=?UTF-8?Q?Zo=C3=AB_=C3=85ngstr=C3=B6m?= <zoe@example.com>" },
    { NULL, "info@bücher.example", "info@xn--bcher-kva.example" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *mailbox = ul_mime_format_mailbox (cases[i].name, cases[i].address);
      g_assert_cmpstr (mailbox, ==, cases[i].expected);
    }
}

static char *
decode_qp (const char *qp)
{
  GString *out = g_string_new (NULL);

  for (const char *p = qp; *p != '\0'; p++)
    {
      if (p[0] == '=' && p[1] == '\r' && p[2] == '\n')
        p += 2;
      else if (p[0] == '=')
        {
          g_assert_true (g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]));
          g_string_append_c (out, (char) (g_ascii_xdigit_value (p[1]) * 16
                                          + g_ascii_xdigit_value (p[2])));
          p += 2;
        }
      else if (p[0] == '\r' && p[1] == '\n')
        {
          g_string_append_c (out, '\n');
          p++;
        }
      else
        {
          g_assert_cmpint (*p, !=, '\n');
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

static void
assert_lines (const char *text, gsize max)
{
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, max);
      g_assert_null (strchr (lines[i], '\n'));
      g_assert_null (strchr (lines[i], '\r'));
    }
}

static void
test_quoted_printable (void)
{
  g_autoptr(GString) long_line = g_string_new (NULL);
  const char *texts[] = {
    "plain ASCII\n",
    "a=b and trailing space \nand tab\t\n",
    ".leading dot\n.\n",
    "Grüße aus Zürich — “quotes” ✓\n",
    "no final newline",
    "",
  };

  for (guint i = 0; i < 300; i++)
    g_string_append (long_line, i % 3 == 0 ? "ü" : "x");
  g_string_append (long_line, "\n");

  for (guint i = 0; i <= G_N_ELEMENTS (texts); i++)
    {
      const char *text = i < G_N_ELEMENTS (texts) ? texts[i] : long_line->str;
      g_autofree char *qp = ul_mime_encode_qp (text);
      g_autofree char *decoded = decode_qp (qp);
      g_auto(GStrv) lines = g_strsplit (qp, "\r\n", -1);

      g_assert_true (g_str_is_ascii (qp));
      assert_lines (qp, 76);
      for (guint j = 0; lines[j] != NULL; j++)
        {
          gsize len = strlen (lines[j]);
          /* No line may end in white space, or start with a lone dot. */
          g_assert_true (len == 0 || (lines[j][len - 1] != ' ' && lines[j][len - 1] != '\t'));
          g_assert_false (lines[j][0] == '.');
        }
      /* A text without a final newline gets one: the body is line-oriented. */
      if (*text != '\0' && !g_str_has_suffix (text, "\n"))
        {
          g_autofree char *with_newline = g_strconcat (text, "\n", NULL);
          g_assert_cmpstr (decoded, ==, with_newline);
        }
      else
        g_assert_cmpstr (decoded, ==, text);
    }
}

static void
test_date_and_id (void)
{
  g_autofree char *date = ul_mime_format_date (1795532953);  /* 2026-11-24 15:09:13 UTC */
  g_autofree char *id1 = ul_mime_new_message_id ("partner.example");
  g_autofree char *id2 = ul_mime_new_message_id ("bücher.example");

  g_assert_cmpstr (date, ==, "Tue, 24 Nov 2026 15:09:13 +0000");
  g_assert_true (g_str_has_prefix (id1, "<") && g_str_has_suffix (id1, "@partner.example>"));
  g_assert_cmpuint (strlen (id1), ==, 1 + 32 + strlen ("@partner.example>"));
  g_assert_true (g_str_has_suffix (id2, "@xn--bcher-kva.example>"));
}

static void
test_build (void)
{
  UlMimeMessage m = {
    .from_name = "Zoë Ångström, IT",
    .from_address = "deploy@partner.example",
    .to_name = "Jürgen Müller",
    .to_address = "juergen@acme.example",
    .reply_to = "help@partner.example",
    .message_id = "<0123456789abcdef@partner.example>",
    .date = 1795532953,
    .language = "de",
    .text = "Hallo Jürgen,\n\nhttps://gw.example/register/abc\n",
    .html = "<p>Hallo J&uuml;rgen</p>\n",
  };
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize size;
  g_autofree char *text = NULL;
  char *boundary, *end;
  g_autofree char *marker = NULL;

  m.subject = "ACME Präzision AG: Schließen Sie die Einrichtung Ihres Kontos ab — bitte";
  bytes = ul_mime_build (&m);
  data = g_bytes_get_data (bytes, &size);
  text = g_strndup (data, size);

  g_assert_true (g_str_is_ascii (text));
  g_assert_true (g_str_has_suffix (text, "\r\n"));
  assert_lines (text, 78);
  g_assert_nonnull (strstr (text, "\r\nFrom: =?UTF-8?Q?Zo=C3=AB_=C3=85ngstr=C3=B6m=2C_IT?= <deploy@partner.example>\r\n"));
  g_assert_nonnull (strstr (text, "\r\nTo: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@acme.example>\r\n"));
  g_assert_nonnull (strstr (text, "\r\nReply-To: help@partner.example\r\n"));
  g_assert_nonnull (strstr (text, "\r\nMessage-ID: <0123456789abcdef@partner.example>\r\n"));
  g_assert_true (g_str_has_prefix (text, "Date: Tue, 24 Nov 2026 15:09:13 +0000\r\n"));
  g_assert_nonnull (strstr (text, "\r\nMIME-Version: 1.0\r\n"));
  g_assert_nonnull (strstr (text, "\r\nContent-Language: de\r\n"));
  g_assert_nonnull (strstr (text, "\r\nAuto-Submitted: auto-generated\r\n"));
  /* The long subject is folded into several encoded-words, each line within 76. */
  g_assert_nonnull (strstr (text, "\r\nSubject: =?UTF-8?Q?"));
  g_assert_nonnull (strstr (text, "?=\r\n =?UTF-8?Q?"));

  /* Two parts, text first, both quoted-printable UTF-8, and the closing boundary. */
  boundary = strstr (text, "boundary=\"");
  g_assert_nonnull (boundary);
  boundary += strlen ("boundary=\"");
  end = strchr (boundary, '"');
  marker = g_strdup_printf ("\r\n--%.*s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                            "Content-Transfer-Encoding: quoted-printable\r\n\r\nHallo J=C3=BCrgen,",
                            (int) (end - boundary), boundary);
  g_assert_nonnull (strstr (text, marker));
  g_assert_nonnull (strstr (text, "Content-Type: text/html; charset=UTF-8\r\n"));
  g_free (marker);
  marker = g_strdup_printf ("\r\n--%.*s--\r\n", (int) (end - boundary), boundary);
  g_assert_true (g_str_has_suffix (text, marker));
  g_assert_nonnull (strstr (text, "https://gw.example/register/abc\r\n"));

  /* Without HTML: a single text/plain body. */
  m.html = NULL;
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = ul_mime_build (&m);
  g_free (text);
  data = g_bytes_get_data (bytes, &size);
  text = g_strndup (data, size);
  g_assert_null (strstr (text, "multipart"));
  g_assert_nonnull (strstr (text, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
}

static guint
count (const char *haystack, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_templates (void)
{
  const char * const *languages = ul_languages ();
  const char *dir = ul_mail_template_dir ();
  g_autoptr(UlSmtpConfig) smtp = ul_smtp_config_new ();
  UlWelcomeInfo info = {
    .account_id = "1234567890",
    .customer_name = "ACME <Präzision> & Co",
    .user_name = "Zoë <script>",
    .extension = "202",
    .email = "zoe@acme.example",
    .link = "https://gw.example/register/TOKEN-1234",
    .expires_at = 1795532953,
  };

  smtp->from_address = g_strdup ("deploy@partner.example");
  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(UlMailTemplate) template = ul_mail_template_load (dir, UL_MAIL_WELCOME,
                                                                  languages[i], &error);
      g_autoptr(GBytes) message = NULL;
      g_autofree char *text = NULL;
      g_autofree char *lang = g_strdup_printf ("lang=\"%s\"", languages[i]);

      /* Every language is complete: no fallback, no unknown placeholder. */
      g_assert_no_error (error);
      g_assert_cmpstr (template->language, ==, languages[i]);
      g_assert_cmpuint (strlen (template->subject), >, 0);
      message = ul_mail_welcome_build (template, smtp, &info, "<1@partner.example>", 0, &error);
      g_assert_no_error (error);
      text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
      assert_lines (text, 78);
      /* QP may wrap the link; the HTML escapes what the user's name brings. */
      g_assert_nonnull (strstr (template->text, "{{link}}"));
      g_assert_nonnull (strstr (template->html, "href=\"{{link}}\""));
      g_assert_nonnull (strstr (template->html, lang));
      /* Raw in the plain text only, escaped in the HTML. */
      g_assert_cmpuint (count (text, "<script>"), ==, count (template->text, "{{name}}"));
      g_assert_cmpuint (count (text, "&lt;script&gt;"), ==, count (template->html, "{{name}}"));
      g_assert_nonnull (strstr (text, "2026-11-24 15:09 UTC"));
    }
}

static void
test_template_errors (void)
{
  g_autoptr(GHashTable) vars = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *expanded = NULL;
  g_autofree char *escaped = NULL;
  g_autoptr(UlMailTemplate) fallback = NULL;

  g_hash_table_insert (vars, "name", "A & B");
  expanded = ul_mail_template_expand ("Hi {{ name }}, {{nope}}", vars, FALSE, &error);
  g_assert_error (error, UL_ERROR, UL_ERROR_FAILED);
  g_assert_null (expanded);
  g_clear_error (&error);
  escaped = ul_mail_template_expand ("<b>{{name}}</b>", vars, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (escaped, ==, "<b>A &amp; B</b>");

  /* An unknown language falls back to English, with a warning. */
  g_test_expect_message ("uplink-mail", G_LOG_LEVEL_WARNING, "*no welcome mail template*");
  fallback = ul_mail_template_load (ul_mail_template_dir (), UL_MAIL_WELCOME, "xx", &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpstr (fallback->language, ==, "en");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/mail/mime/encode-words", test_encode_words);
  g_test_add_func ("/uplink/mail/mime/mailbox", test_mailbox);
  g_test_add_func ("/uplink/mail/mime/quoted-printable", test_quoted_printable);
  g_test_add_func ("/uplink/mail/mime/date-and-id", test_date_and_id);
  g_test_add_func ("/uplink/mail/mime/build", test_build);
  g_test_add_func ("/uplink/mail/templates/languages", test_templates);
  g_test_add_func ("/uplink/mail/templates/errors", test_template_errors);
  return g_test_run ();
}
