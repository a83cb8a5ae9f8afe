/* test-register.c — the registration pages end to end: the built uplinkd over real HTTPS
 * (a libsoup client pinning its certificate), a real SMTP server (aiosmtpd) receiving the
 * welcome mails whose links the test follows, and D-Bus to see what the gateway stored.
 *
 * The form and its headers, escaping, the language of each page, GET and HEAD leaving the
 * link alone, refused passwords (with their reason, nothing stored), a registration, the
 * pages of used, replaced, expired and unknown links and of malformed requests, and a
 * broken catalog on disk. */
#include "config.h"

#include <string.h>

#include "ul-test-daemon.h"
#include "ul-test-https.h"
#include "ul-test-smtp.h"

#define BUS_NAME    "io.github.uplink.Gateway1"
#define OBJECT_PATH "/io/github/uplink/Gateway1"
#define LINK_BASE   "https://gw.acme.example:8443/register/"
#define WAIT_MS     20000

#define CSP "default-src 'none'; style-src 'self'; form-action 'self'; " \
            "frame-ancestors 'none'; base-uri 'none'"

#define UNKNOWN_TOKEN "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

static const char *customer_acme = UL_TEST_CUSTOMER_ACME;

static const char *users_csv =
  "extension,name,email,group\n"
  "201,Jürgen Müller,juergen.mueller@acme.example,Management\n"
  "202,<script>alert(1)</script> & 'Co',script@acme.example,Sales\n"
  "207,Max Muster,max@acme.example,Sales\n"
  "209,Anna Beispiel,anna@acme.example,Sales\n";

typedef struct
{
  UlTestHttps *https;
  UlTestSmtp  *smtp;
} Fixture;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  char               *body;
  gsize               length;
} Page;

static void
page_free (Page *page)
{
  soup_message_headers_unref (page->headers);
  g_free (page->body);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

/* D-Bus */

static GVariant *
call (Fixture *f, const char *iface, const char *method, GVariant *params, GError **error)
{
  g_autofree char *interface = g_strconcat (BUS_NAME, ".", iface, NULL);
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (f->https->connection, BUS_NAME,
                                                           OBJECT_PATH, interface, method, params,
                                                           NULL, G_DBUS_CALL_FLAGS_NONE, WAIT_MS,
                                                           NULL, error);

  if (reply == NULL || g_variant_n_children (reply) == 0)
    return NULL;
  return g_variant_get_child_value (reply, 0);
}

static GVariant *
call_ok (Fixture *f, const char *iface, const char *method, GVariant *params)
{
  g_autoptr(GError) error = NULL;
  GVariant *result = call (f, iface, method, params, &error);

  g_assert_no_error (error);
  return result;
}

static void
call_dict (Fixture *f, const char *iface, const char *method, const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *dict = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);
  g_autoptr(GVariant) result = NULL;

  g_assert_no_error (error);
  result = call_ok (f, iface, method, g_variant_new ("(@a{sv})", dict));
}

static guint
n_registered (Fixture *f)
{
  g_autoptr(GVariant) users = call_ok (f, "Deployment", "ListRegisteredUsers", NULL);

  return (guint) g_variant_n_children (users);
}

/* The link still works: nothing looked at it for more than reading. */
static void
assert_link_valid (Fixture *f, const char *token)
{
  g_autoptr(GVariant) registration = call_ok (f, "Deployment", "LookupRegistration",
                                              g_variant_new ("(s)", token));

  g_assert_nonnull (registration);
}

/* Set-up */

/* A locale directory with the built German catalog, half of it as the French one, and
 * nothing else; uplinkd inherits UL_LOCALEDIR when it starts. */
static void
use_broken_catalogs (Fixture *f)
{
  g_autofree char *built = g_build_filename (g_getenv ("UL_LOCALEDIR"), "de", "LC_MESSAGES",
                                             "uplink.mo", NULL);
  g_autofree char *dir = g_build_filename (f->https->root, "locale", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (built, &contents, &length, &error));
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *messages = g_build_filename (dir, i == 0 ? "de" : "fr", "LC_MESSAGES",
                                                    NULL);
      g_autofree char *mo = g_build_filename (messages, "uplink.mo", NULL);

      g_assert_cmpint (g_mkdir_with_parents (messages, 0700), ==, 0);
      g_assert_true (g_file_set_contents (mo, contents, (gssize) (i == 0 ? length : length / 2),
                                          &error));
    }
  g_setenv ("UL_LOCALEDIR_BUILT", g_getenv ("UL_LOCALEDIR"), TRUE);
  g_setenv ("UL_LOCALEDIR", dir, TRUE);
}

/* @data: "broken-catalogs" for use_broken_catalogs(). */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *smtp = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *directory = NULL;
  g_autoptr(GError) error = NULL;

  f->https = ul_test_https_new (NULL);
  f->smtp = ul_test_smtp_new ();
  ul_test_smtp_start (f->smtp, NULL);
  if (g_strcmp0 (data, "broken-catalogs") == 0)
    use_broken_catalogs (f);
  ul_test_https_start (f->https);

  smtp = g_strdup_printf ("{'host': <'127.0.0.1'>, 'port': <%u>, 'tls': <'none'>,"
                          " 'fromAddress': <'deploy@partner.example'>}", f->smtp->port);
  call_dict (f, "Onboarding", "UpdateCustomer", customer_acme);
  call_dict (f, "Deployment", "UpdateSmtp", smtp);
  call_dict (f, "Deployment", "UpdateSettings",
             "{'registrationUrl': <'https://gw.acme.example:8443/'>,"
             " 'retryInitial': <1>, 'retryMax': <1>}");
  csv = g_build_filename (f->https->root, "users.csv", NULL);
  g_file_set_contents (csv, users_csv, -1, &error);
  g_assert_no_error (error);
  directory = g_strdup_printf ("{'kind': <'csv'>, 'csv': <{'path': <'%s'>}>}", csv);
  call_dict (f, "Pbx", "UpdateDirectory", directory);
  call_dict (f, "Pbx", "Sync", "{}");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  /* A clean exit: under the sanitizers, also no leaks. */
  g_assert_cmpint (ul_test_https_stop (f->https), ==, 0);
  g_clear_pointer (&f->smtp, ul_test_smtp_free);
  g_clear_pointer (&f->https, ul_test_https_free);
  if (g_getenv ("UL_LOCALEDIR_BUILT") != NULL)
    {
      g_setenv ("UL_LOCALEDIR", g_getenv ("UL_LOCALEDIR_BUILT"), TRUE);
      g_unsetenv ("UL_LOCALEDIR_BUILT");
    }
}

typedef struct
{
  Fixture    *f;
  const char *address;
  guint       count;
} MailWait;

static gboolean
mail_arrived (gpointer data)
{
  MailWait *wait = data;
  g_autoptr(GPtrArray) messages = NULL;
  guint n = 0;

  if (ul_test_smtp_count (wait->f->smtp) <= wait->count)
    return FALSE;
  messages = ul_test_smtp_messages (wait->f->smtp);
  for (guint i = 0; i < messages->len; i++)
    {
      JsonArray *to = json_object_get_array_member (g_ptr_array_index (messages, i),
                                                    "envelopeTo");
      n += g_strcmp0 (json_array_get_string_element (to, 0), wait->address) == 0;
    }
  return n > wait->count;
}

static guint
mails_to (Fixture *f, const char *address)
{
  g_autoptr(GPtrArray) messages = ul_test_smtp_messages (f->smtp);
  guint n = 0;

  for (guint i = 0; i < messages->len; i++)
    {
      JsonArray *to = json_object_get_array_member (g_ptr_array_index (messages, i),
                                                    "envelopeTo");
      n += g_strcmp0 (json_array_get_string_element (to, 0), address) == 0;
    }
  return n;
}

/* Sends (or resends) @extension its welcome mail and returns the token of the link in
 * the mail the server received. */
/* Sends the mail (in @language, or the customer's when NULL) and returns its token. */
static char *
invite_in (Fixture *f, const char *method, const char *extension, const char *address,
           const char *language)
{
  const char * const extensions[] = { extension, NULL };
  MailWait wait = { f, address, mails_to (f, address) };
  g_autoptr(GVariant) results = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  GVariantDict options;
  JsonObject *message;
  JsonArray *parts;
  const char *text, *link;

  g_variant_dict_init (&options, NULL);
  if (language != NULL)
    g_variant_dict_insert (&options, "language", "s", language);
  if (g_str_equal (method, "Resend"))
    results = call_ok (f, "Deployment", method, g_variant_new ("(^as)", extensions));
  else
    results = call_ok (f, "Deployment", method,
                       g_variant_new ("(^as@a{sv})", extensions, g_variant_dict_end (&options)));
  g_variant_dict_clear (&options);
  ul_test_wait_for (mail_arrived, &wait, WAIT_MS);
  messages = ul_test_smtp_messages (f->smtp);
  message = ul_test_smtp_find (messages, address);
  g_assert_nonnull (message);
  parts = json_object_get_array_member (message, "parts");
  text = json_object_get_string_member (json_array_get_object_element (parts, 0), "text");
  link = strstr (text, LINK_BASE);
  g_assert_nonnull (link);
  return g_strndup (link + strlen (LINK_BASE), 43);
}

static char *
invite (Fixture *f, const char *method, const char *extension, const char *address)
{
  return invite_in (f, method, extension, address, NULL);
}

/* HTTP */

static Page *
fetch_uri (Fixture    *f,
           const char *method,
           GUri       *uri,
           const char *accept_language,
           const char *content_type,
           const char *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new_from_uri (method, uri);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  Page *page = g_new0 (Page, 1);

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (accept_language != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language",
                                  accept_language);
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type, request);
    }
  bytes = ul_test_https_send (f->https->session, msg, &error);
  g_assert_no_error (error);
  page->status = soup_message_get_status (msg);
  page->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  page->body = g_strndup (g_bytes_get_data (bytes, &page->length), g_bytes_get_size (bytes));
  return page;
}

static Page *
fetch_full (Fixture    *f,
            const char *method,
            const char *url,
            const char *accept_language,
            const char *content_type,
            const char *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);

  g_assert_no_error (error);
  return fetch_uri (f, method, uri, accept_language, content_type, body);
}

/* @path goes to the server byte for byte, even where it is not a valid URI ("%zz"). */
static Page *
fetch_path (Fixture    *f,
            const char *method,
            const char *path,
            const char *accept_language,
            const char *content_type,
            const char *body)
{
  g_auto(GStrv) parts = g_strsplit (path, "?", 2);
  g_autoptr(GUri) uri = g_uri_build (SOUP_HTTP_URI_FLAGS | G_URI_FLAGS_ENCODED, "https", NULL,
                                     "127.0.0.1", (gint) f->https->https_port, parts[0],
                                     parts[1], NULL);

  return fetch_uri (f, method, uri, accept_language, content_type, body);
}

static Page *
fetch (Fixture *f, const char *method, const char *path, const char *accept_language)
{
  return fetch_path (f, method, path, accept_language, NULL, NULL);
}

static Page *
post_form (Fixture *f, const char *path, const char *form)
{
  return fetch_path (f, "POST", path, NULL, "application/x-www-form-urlencoded", form);
}

static char *
link_path (const char *token, const char *query)
{
  return g_strconcat ("/register/", token, query, NULL);
}

static void
assert_header (Page *page, const char *name, const char *value)
{
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, name), ==, value);
}

static void
assert_security_headers (Page *page)
{
  assert_header (page, "Content-Security-Policy", CSP);
  assert_header (page, "Referrer-Policy", "no-referrer");
  assert_header (page, "Cache-Control", "no-store");
  assert_header (page, "X-Content-Type-Options", "nosniff");
}

/* A whole HTML page in @language with @status, headers and all. */
static void
assert_page (Page *page, guint status, const char *language)
{
  g_autofree char *html_lang = g_strdup_printf ("<html lang=\"%s\"", language);

  g_assert_cmpuint (page->status, ==, status);
  assert_security_headers (page);
  assert_header (page, "Content-Type", "text/html; charset=utf-8");
  assert_header (page, "Content-Language", language);
  g_assert_true (g_str_has_prefix (page->body, "<!DOCTYPE html>\n"));
  g_assert_nonnull (strstr (page->body, html_lang));
  g_assert_true (g_str_has_suffix (page->body, "</html>\n"));
  g_assert_true (g_utf8_validate (page->body, -1, NULL));
  /* Not a single script, and nothing that is not from here. */
  g_assert_null (strstr (page->body, "<script"));
  g_assert_null (strstr (page->body, "http://"));
  g_assert_nonnull (strstr (page->body, "<link rel=\"stylesheet\" href=\""));
}

/* The text between <@tag> and </@tag>. */
static char *
element_text (Page *page, const char *tag)
{
  g_autofree char *open = g_strdup_printf ("<%s>", tag);
  g_autofree char *close = g_strdup_printf ("</%s>", tag);
  const char *start = strstr (page->body, open);
  const char *end;

  g_assert_nonnull (start);
  start += strlen (open);
  end = strstr (start, close);
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

static void
assert_h1 (Page *page, const char *text)
{
  g_autofree char *h1 = element_text (page, "h1");

  g_assert_cmpstr (h1, ==, text);
}

/* The start tag of the element with id @id, e.g. <input … id="password" …>. */
static char *
tag_with_id (Page *page, const char *id)
{
  g_autofree char *attribute = g_strdup_printf (" id=\"%s\"", id);
  const char *at = strstr (page->body, attribute);
  const char *start, *end;

  g_assert_nonnull (at);
  for (start = at; start > page->body && *start != '<'; start--)
    ;
  end = strchr (at, '>');
  g_assert_nonnull (end);
  return g_strndup (start, end - start + 1);
}

static void
assert_contains (const char *haystack, const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    {
      g_test_message ("%s", haystack);
      g_error ("«%s» not found in the text above", needle);
    }
}

static void
assert_lacks (const char *haystack, const char *needle)
{
  if (strstr (haystack, needle) != NULL)
    {
      g_test_message ("%s", haystack);
      g_error ("«%s» found in the text above", needle);
    }
}

/* Tests */

static void
test_form (Fixture *f, gconstpointer data)
{
  g_autofree char *token = invite (f, "SendDeploymentEmails", "201",
                                   "juergen.mueller@acme.example");
  g_autofree char *path = link_path (token, "");
  g_autoptr(Page) page = fetch (f, "GET", path, NULL);
  g_autoptr(Page) head = NULL;
  g_autoptr(Page) again = NULL;
  g_autoptr(Page) css = NULL;
  g_autofree char *password = NULL;
  g_autofree char *confirm = NULL;
  g_autofree char *form = NULL;
  const char *rule, *input;

  /* The mail was German (the customer's language): so is the page. */
  assert_page (page, 200, "de");
  assert_h1 (page, "Einrichtung Ihres Kontos abschließen");
  assert_contains (page->body, "<title>Einrichtung Ihres Kontos abschließen</title>");
  assert_contains (page->body, "<p class=\"customer\">ACME Präzision AG</p>");
  assert_contains (page->body, "<dt>Name</dt>\n<dd>Jürgen Müller</dd>");
  assert_contains (page->body, "<dt>Nebenstelle</dt>\n<dd>201</dd>");
  assert_contains (page->body, "<dt>E-Mail</dt>\n<dd>juergen.mueller@acme.example</dd>");
  assert_contains (page->body, "<label for=\"password\">Neues Passwort</label>");
  assert_contains (page->body, "<label for=\"confirm\">Passwort wiederholen</label>");
  assert_contains (page->body, "<button type=\"submit\">Einrichtung Ihres Kontos abschließen"
                               "</button>");
  form = tag_with_id (page, "password-rule");
  g_assert_cmpstr (form, ==, "<p class=\"hint\" id=\"password-rule\">");

  /* The rule, in words, before the field it is about. */
  rule = strstr (page->body, "Verwenden Sie 10 bis 128 Zeichen, mit mindestens zwei Arten von "
                             "Zeichen");
  input = strstr (page->body, "<input type=\"password\" id=\"password\"");
  g_assert_nonnull (rule);
  g_assert_nonnull (input);
  g_assert_true (rule < input);

  password = tag_with_id (page, "password");
  assert_contains (password, "type=\"password\"");
  assert_contains (password, "name=\"password\"");
  assert_contains (password, "autocomplete=\"new-password\"");
  assert_contains (password, "aria-describedby=\"password-rule\"");
  assert_lacks (password, "aria-invalid");
  confirm = tag_with_id (page, "confirm");
  assert_contains (confirm, "type=\"password\"");
  assert_contains (confirm, "autocomplete=\"new-password\"");
  assert_lacks (confirm, "aria-invalid");
  assert_contains (page->body, "<form method=\"post\" action=\"?lang=de\" novalidate>");
  /* Relative, like every link of the pages: they work under a proxy's path prefix too. */
  assert_contains (page->body, "<link rel=\"stylesheet\" href=\"style.css\">");
  assert_lacks (page->body, "error-summary");

  /* HEAD: the same answer without a body. */
  head = fetch (f, "HEAD", path, NULL);
  g_assert_cmpuint (head->status, ==, 200);
  g_assert_cmpuint (head->length, ==, 0);
  assert_security_headers (head);
  assert_header (head, "Content-Type", "text/html; charset=utf-8");

  /* Neither GET nor HEAD used the link up (mail scanners open links first). */
  again = fetch (f, "GET", path, NULL);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpstr (again->body, ==, page->body);
  assert_link_valid (f, token);
  g_assert_cmpuint (n_registered (f), ==, 0);

  /* The stylesheet: light and dark, visible focus. */
  css = fetch (f, "GET", "/register/style.css", NULL);
  g_assert_cmpuint (css->status, ==, 200);
  assert_header (css, "Content-Type", "text/css; charset=utf-8");
  assert_security_headers (css);
  assert_contains (css->body, "@media (prefers-color-scheme: dark)");
  assert_contains (css->body, "outline: 3px solid var(--focus)");
}

static void
test_escaping (Fixture *f, gconstpointer data)
{
  g_autofree char *token = invite (f, "SendDeploymentEmails", "202", "script@acme.example");
  g_autofree char *path = link_path (token, "?lang=en");
  g_autoptr(Page) page = fetch (f, "GET", path, NULL);

  /* The name from the directory is text on the page, never markup. */
  assert_page (page, 200, "en");
  assert_contains (page->body, "<dd>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &apos;Co&apos;"
                               "</dd>");
  assert_lacks (page->body, "<script>");
  assert_lacks (page->body, "alert(1)</script>");
}

static void
test_languages (Fixture *f, gconstpointer data)
{
  const struct
  {
    const char *language;
    const char *form;
    const char *unknown;
  } pages[] = {
    { "en", "Finish building your account", "This link is not valid" },
    { "de", "Einrichtung Ihres Kontos abschließen", "Dieser Link ist ungültig" },
    { "fr", "Finaliser la création de votre compte", "Ce lien n’est pas valide" },
    { "it", "Completi la creazione del suo account", "Questo link non è valido" },
    { "es", "Terminar de crear su cuenta", "Este enlace no es válido" },
    { "nl", "Aanmaken van uw account afronden", "Deze link is ongeldig" },
  };
  g_autofree char *token = invite (f, "SendDeploymentEmails", "201",
                                   "juergen.mueller@acme.example");

  /* Each language through its switcher link, for the form and for an error page. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *query = g_strdup_printf ("?lang=%s", pages[i].language);
      g_autofree char *path = link_path (token, query);
      g_autofree char *unknown = link_path (UNKNOWN_TOKEN, query);
      g_autofree char *action = g_strdup_printf ("action=\"?lang=%s\"", pages[i].language);
      g_autofree char *current = g_strdup_printf ("<span lang=\"%s\" aria-current=\"true\">",
                                                  pages[i].language);
      g_autoptr(Page) form = fetch (f, "GET", path, NULL);
      g_autoptr(Page) error = fetch (f, "GET", unknown, NULL);

      assert_page (form, 200, pages[i].language);
      assert_h1 (form, pages[i].form);
      assert_contains (form->body, action);
      assert_contains (form->body, current);
      for (guint j = 0; j < G_N_ELEMENTS (pages); j++)
        {
          g_autofree char *other = g_strdup_printf ("<a href=\"?lang=%s\" lang=\"%s\"",
                                                    pages[j].language, pages[j].language);
          if (j != i)
            assert_contains (form->body, other);
        }
      assert_page (error, 404, pages[i].language);
      assert_h1 (error, pages[i].unknown);
    }

  /* The mail's language comes before the browser's; an unknown ?lang= is ignored, and
   * tags are matched case-insensitively by their primary subtag. */
  {
    g_autofree char *path = link_path (token, "");
    g_autofree char *bogus = link_path (token, "?lang=xx");
    g_autofree char *upper = link_path (token, "?lang=FR-ca");
    g_autoptr(Page) browser = fetch (f, "GET", path, "it-CH, it;q=0.9, en;q=0.5");
    g_autoptr(Page) ignored = fetch (f, "GET", bogus, NULL);
    g_autoptr(Page) region = fetch (f, "GET", upper, NULL);

    assert_page (browser, 200, "de");
    assert_page (ignored, 200, "de");
    assert_page (region, 200, "fr");
  }

  /* A mail sent in another language than the customer's: the page follows the mail. */
  {
    g_autofree char *italian = invite_in (f, "SendDeploymentEmails", "207",
                                          "max@acme.example", "it");
    g_autofree char *path = link_path (italian, "");
    g_autoptr(Page) page = fetch (f, "GET", path, "de-CH, de;q=0.9");

    assert_page (page, 200, "it");
  }

  /* Without a mail (an unknown link): Accept-Language by quality, then English. */
  {
    g_autofree char *path = link_path (UNKNOWN_TOKEN, "");
    g_autoptr(Page) italian = fetch (f, "GET", path, "it-CH, fr;q=0.8");
    g_autoptr(Page) ordered = fetch (f, "GET", path, "ja, fr;q=0.2, es;q=0.7");
    g_autoptr(Page) refused = fetch (f, "GET", path, "nl;q=0, ja");
    g_autoptr(Page) none = fetch (f, "GET", path, NULL);

    assert_page (italian, 404, "it");
    assert_page (ordered, 404, "es");
    assert_page (refused, 404, "en");
    assert_page (none, 404, "en");
  }
}

static void
test_refused_password (Fixture *f, gconstpointer data)
{
  g_autofree char *token = invite (f, "SendDeploymentEmails", "201",
                                   "juergen.mueller@acme.example");
  g_autofree char *path = link_path (token, "?lang=de");
  const char *one_kind = "Mischen Sie mindestens zwei Arten von Zeichen: Klein- und "
                         "Großbuchstaben, Ziffern, Satzzeichen oder Leerzeichen";

  /* One kind of character only: the engine refuses; the reason is linked to the field. */
  {
    g_autoptr(Page) page = post_form (f, path, "password=onlylowercaseletters&"
                                               "confirm=onlylowercaseletters");
    g_autofree char *input = NULL;
    g_autofree char *error = NULL;
    g_autofree char *summary_link = g_strdup_printf ("<li><a href=\"#password\">%s</a></li>",
                                                     one_kind);

    assert_page (page, 422, "de");
    assert_contains (page->body, "<title>Fehler: Einrichtung Ihres Kontos abschließen</title>");
    /* The summary takes the focus when the page opens. */
    assert_contains (page->body, "<div class=\"error-summary\" role=\"alert\" "
                                 "aria-labelledby=\"error-summary-title\" tabindex=\"-1\" "
                                 "autofocus>");
    assert_contains (page->body, "<h2 id=\"error-summary-title\">Es gibt ein Problem</h2>");
    assert_contains (page->body, summary_link);
    error = tag_with_id (page, "password-error");
    g_assert_cmpstr (error, ==, "<p class=\"field-error\" id=\"password-error\">");
    assert_contains (page->body, "<span class=\"visually-hidden\">Fehler: </span>");
    input = tag_with_id (page, "password");
    assert_contains (input, "aria-invalid=\"true\"");
    assert_contains (input, "aria-describedby=\"password-rule password-error\"");
    assert_lacks (input, "autofocus");
    /* The password never comes back. */
    assert_lacks (page->body, "onlylowercaseletters");
  }

  /* Too short, in French: the rule's own words with its numbers. */
  {
    g_autofree char *french = link_path (token, "?lang=fr");
    g_autoptr(Page) page = post_form (f, french, "password=Short1&confirm=Short1");

    assert_page (page, 422, "fr");
    assert_contains (page->body, "<a href=\"#password\">Utilisez entre 10 et 128 caractères</a>");
    assert_lacks (page->body, "Short1");
  }

  /* The confirmation differs, or is missing: the form says so without asking the engine;
   * a weak password in the same form is named too. */
  {
    g_autoptr(Page) page = post_form (f, path, "password=Correct+horse+42&"
                                               "confirm=Correct+horse+43");
    g_autofree char *password = tag_with_id (page, "password");
    g_autofree char *confirm = tag_with_id (page, "confirm");

    assert_page (page, 422, "de");
    assert_contains (page->body, "<a href=\"#confirm\">Die beiden Passwörter stimmen nicht "
                                 "überein. Geben Sie in beiden Feldern dasselbe Passwort ein."
                                 "</a>");
    assert_lacks (page->body, "#password\"");
    assert_lacks (password, "aria-invalid");
    assert_contains (confirm, "aria-invalid=\"true\"");
    assert_contains (confirm, "aria-describedby=\"confirm-error\"");
    assert_lacks (page->body, "Correct horse");
  }
  {
    g_autoptr(Page) page = post_form (f, path, "password=Correct+horse+42");

    assert_page (page, 422, "de");
    assert_contains (page->body, "Geben Sie das Passwort zur Bestätigung noch einmal ein");
  }
  {
    g_autoptr(Page) page = post_form (f, path, "password=aaaaaaaaaaaa&confirm=bbbbbbbbbbbb");
    g_autofree char *password = tag_with_id (page, "password");
    g_autofree char *confirm = tag_with_id (page, "confirm");
    const char *first = NULL, *second = NULL;

    assert_page (page, 422, "de");
    /* Both, in the order of the fields. */
    first = strstr (page->body, "<li><a href=\"#password\">");
    second = strstr (page->body, "<li><a href=\"#confirm\">");
    g_assert_nonnull (first);
    g_assert_nonnull (second);
    g_assert_true (first < second);
    assert_contains (page->body, one_kind);
    assert_contains (page->body, "Die beiden Passwörter stimmen nicht überein");
    assert_contains (password, "aria-invalid=\"true\"");
    assert_contains (confirm, "aria-invalid=\"true\"");
  }
  /* Empty: the engine's first reason. */
  {
    g_autoptr(Page) page = post_form (f, path, "password=&confirm=");

    assert_page (page, 422, "de");
    assert_contains (page->body, "<a href=\"#password\">Wählen Sie ein Passwort</a>");
  }

  /* Nothing was stored, and the link still works. */
  g_assert_cmpuint (n_registered (f), ==, 0);
  assert_link_valid (f, token);
}

static gboolean
has_user (GVariant *users, const char *extension, const char *email)
{
  GVariantIter iter;
  GVariant *user;
  gboolean found = FALSE;

  g_variant_iter_init (&iter, users);
  while (!found && (user = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *ext = NULL, *mail = NULL;

      found = g_variant_lookup (user, "extension", "&s", &ext) && g_str_equal (ext, extension)
              && g_variant_lookup (user, "email", "&s", &mail) && g_str_equal (mail, email);
      g_variant_unref (user);
    }
  return found;
}

static void
test_register (Fixture *f, gconstpointer data)
{
  g_autofree char *token = invite (f, "SendDeploymentEmails", "201",
                                   "juergen.mueller@acme.example");
  g_autofree char *path = link_path (token, "?lang=de");
  g_autofree char *plain = link_path (token, "");
  g_autoptr(Page) done = post_form (f, path, "username=juergen.mueller%40acme.example&"
                                             "password=Correct+horse+42&"
                                             "confirm=Correct+horse+42");
  g_autoptr(GVariant) users = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) none = NULL;
  g_autofree char *remote_error = NULL;

  assert_page (done, 200, "de");
  assert_h1 (done, "Ihr Konto ist bereit");
  assert_contains (done->body, "Vielen Dank, Jürgen Müller. Ihr Konto für die Nebenstelle 201 "
                               "ist bereit.");
  assert_contains (done->body, "<h2>Wie es weitergeht</h2>");
  assert_contains (done->body, "Melden Sie sich mit Ihrer E-Mail-Adresse, "
                               "juergen.mueller@acme.example, und dem soeben gewählten "
                               "Passwort an.");
  /* An admin contact: also the gateway's sign-in. */
  assert_contains (done->body, "Da Sie ACME Präzision AG administrieren");
  assert_lacks (done->body, "Correct horse");
  /* No language links: they would only find the link used. */
  assert_lacks (done->body, "?lang=");

  users = call_ok (f, "Deployment", "ListRegisteredUsers", NULL);
  g_assert_cmpuint (g_variant_n_children (users), ==, 1);
  g_assert_true (has_user (users, "201", "juergen.mueller@acme.example"));

  /* The link is used up: its own page, in the browser's language, for GET, HEAD, POST. */
  {
    g_autoptr(Page) german = fetch (f, "GET", plain, "de-DE,de;q=0.9,en;q=0.8");
    g_autoptr(Page) english = fetch (f, "GET", plain, NULL);
    g_autoptr(Page) head = fetch (f, "HEAD", plain, NULL);
    g_autoptr(Page) post = post_form (f, path, "password=Another+horse+43&"
                                               "confirm=Another+horse+43");

    assert_page (german, 410, "de");
    assert_h1 (german, "Dieser Link wurde bereits verwendet");
    assert_page (english, 410, "en");
    assert_h1 (english, "This link has already been used");
    assert_contains (english->body, "ask your administrator to send you the deployment e-mail "
                                    "again");
    g_assert_cmpuint (head->status, ==, 410);
    g_assert_cmpuint (head->length, ==, 0);
    assert_page (post, 410, "de");
    assert_h1 (post, "Dieser Link wurde bereits verwendet");
  }
  none = call (f, "Deployment", "LookupRegistration", g_variant_new ("(s)", token), &error);
  g_assert_true (g_dbus_error_is_remote_error (error));
  remote_error = g_dbus_error_get_remote_error (error);
  g_assert_cmpstr (remote_error, ==, "io.github.uplink.Gateway1.Error.LinkUsed");
  g_clear_pointer (&users, g_variant_unref);
  users = call_ok (f, "Deployment", "ListRegisteredUsers", NULL);
  g_assert_cmpuint (g_variant_n_children (users), ==, 1);
}

static void
test_bad_requests (Fixture *f, gconstpointer data)
{
  g_autofree char *token = invite (f, "SendDeploymentEmails", "201",
                                   "juergen.mueller@acme.example");
  g_autofree char *path = link_path (token, "");
  g_autofree char *big = NULL;

  /* Unknown links and paths: the friendly page, never JSON. */
  {
    const char * const unknown[] = { "/register/" UNKNOWN_TOKEN, "/register", "/register/",
                                     "/register/a/b", "/register/%00", "/register/%ff",
                                     "/register/%3Cb%3E", NULL };

    for (guint i = 0; unknown[i] != NULL; i++)
      {
        g_autoptr(Page) page = fetch (f, "GET", unknown[i], NULL);

        assert_page (page, 404, "en");
        assert_h1 (page, "This link is not valid");
      }
  }
  /* Wherever the page is, its stylesheet link leads to /register/style.css. */
  {
    g_autoptr(Page) top = fetch (f, "GET", "/register", NULL);
    g_autoptr(Page) deep = fetch (f, "GET", "/register/a/b/c", NULL);

    assert_contains (top->body, "<link rel=\"stylesheet\" href=\"register/style.css\">");
    assert_contains (deep->body, "<link rel=\"stylesheet\" href=\"../../style.css\">");
  }

  /* Wrong methods. */
  {
    g_autoptr(Page) put = fetch (f, "PUT", path, NULL);
    g_autoptr(Page) post_css = post_form (f, "/register/style.css", "a=b");

    assert_page (put, 405, "en");
    assert_header (put, "Allow", "GET, HEAD, POST");
    assert_page (post_css, 405, "en");
    assert_header (post_css, "Allow", "GET, HEAD");
  }

  /* Not a form, or a form beyond the cap. */
  {
    g_autoptr(Page) json = fetch_path (f, "POST", path, NULL, "application/json",
                                       "{\"password\": \"Correct horse 42\"}");
    g_autoptr(Page) large = NULL;
    GString *form = g_string_new ("password=Correct+horse+42&confirm=Correct+horse+42&pad=");

    assert_page (json, 415, "en");
    assert_h1 (json, "The gateway could not read this request");
    while (form->len <= 4096)
      g_string_append_c (form, 'x');
    big = g_string_free (form, FALSE);
    large = post_form (f, path, big);
    assert_page (large, 413, "en");
  }

  /* Nothing above changed anything. */
  g_assert_cmpuint (n_registered (f), ==, 0);
  assert_link_valid (f, token);

  /* The plain-HTTP port only redirects, to the same page over HTTPS. */
  {
    g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/register/%s?lang=fr",
                                            f->https->http_port, token);
    g_autofree char *location = g_strdup_printf ("https://127.0.0.1:%u/register/%s?lang=fr",
                                                 f->https->https_port, token);
    g_autoptr(Page) redirect = fetch_full (f, "GET", url, NULL, NULL, NULL);

    g_assert_cmpuint (redirect->status, ==, 301);
    assert_header (redirect, "Location", location);
    g_assert_cmpuint (redirect->length, ==, 0);
  }
}

static gboolean
link_expired (gpointer data)
{
  struct { Fixture *f; const char *token; } *args = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = call (args->f, "Deployment", "LookupRegistration",
                                    g_variant_new ("(s)", args->token), &error);

  return reply == NULL && error != NULL;
}

static void
test_replaced_and_expired (Fixture *f, gconstpointer data)
{
  g_autofree char *old_token = invite (f, "SendDeploymentEmails", "207", "max@acme.example");
  g_autofree char *new_token = invite (f, "Resend", "207", "max@acme.example");
  g_autofree char *old_path = link_path (old_token, "");
  g_autofree char *new_path = link_path (new_token, "");
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  struct { Fixture *f; const char *token; } args = { f, NULL };

  /* A resend replaced the first link: it counts as expired; the new one works. */
  {
    g_autoptr(Page) old_page = fetch (f, "GET", old_path, "nl-BE");
    g_autoptr(Page) new_page = fetch (f, "GET", new_path, NULL);

    g_assert_cmpstr (new_token, !=, old_token);
    assert_page (old_page, 410, "nl");
    assert_h1 (old_page, "Deze link is verlopen");
    assert_contains (old_page->body, "alleen de link in de nieuwste uitrol-e-mail werkt");
    assert_page (new_page, 200, "de");
  }

  /* Links that live two seconds: once expired, both the page and the form say so. */
  call_dict (f, "Deployment", "UpdateSettings", "{'linkLifetime': <2>}");
  token = invite (f, "SendDeploymentEmails", "209", "anna@acme.example");
  path = link_path (token, "");
  args.token = token;
  ul_test_wait_for (link_expired, &args, 10000);
  {
    g_autoptr(Page) page = fetch (f, "GET", path, NULL);
    g_autofree char *post_path = link_path (token, "?lang=it");
    g_autoptr(Page) post = post_form (f, post_path, "password=Correct+horse+42&"
                                                    "confirm=Correct+horse+42");

    assert_page (page, 410, "en");
    assert_h1 (page, "This link has expired");
    assert_page (post, 410, "it");
    assert_h1 (post, "Questo link è scaduto");
  }
  g_assert_cmpuint (n_registered (f), ==, 0);
}

static void
test_broken_catalog (Fixture *f, gconstpointer data)
{
  g_autofree char *token = invite (f, "SendDeploymentEmails", "201",
                                   "juergen.mueller@acme.example");
  g_autofree char *german = link_path (token, "?lang=de");
  g_autofree char *french = link_path (token, "?lang=fr");
  g_autofree char *italian = link_path (token, "?lang=it");
  g_autoptr(Page) de = fetch (f, "GET", german, NULL);
  g_autoptr(Page) fr = fetch (f, "GET", french, NULL);
  g_autoptr(Page) fr_again = fetch (f, "GET", french, NULL);
  g_autoptr(Page) it = fetch (f, "GET", italian, NULL);
  g_autofree char *log = NULL;

  assert_page (de, 200, "de");
  assert_h1 (de, "Einrichtung Ihres Kontos abschließen");
  /* Truncated or missing: English, and the page says it is English. */
  assert_page (fr, 200, "en");
  assert_h1 (fr, "Finish building your account");
  assert_contains (fr->body, "action=\"?lang=en\"");
  assert_contains (fr->body, "<span lang=\"en\" aria-current=\"true\">");
  assert_page (fr_again, 200, "en");
  assert_page (it, 200, "en");

  /* Once per language in the log, with the reason. */
  g_assert_true (g_file_get_contents (f->https->log, &log, NULL, NULL));
  assert_contains (log, "registration pages in fr stay in English: The catalog is truncated");
  g_assert_null (strstr (strstr (log, "pages in fr") + 1, "pages in fr"));
  assert_contains (log, "registration pages in it stay in English");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/uplink/register/form", Fixture, NULL, fixture_set_up, test_form,
              fixture_tear_down);
  g_test_add ("/uplink/register/escaping", Fixture, NULL, fixture_set_up, test_escaping,
              fixture_tear_down);
  g_test_add ("/uplink/register/languages", Fixture, NULL, fixture_set_up, test_languages,
              fixture_tear_down);
  g_test_add ("/uplink/register/refused-password", Fixture, NULL, fixture_set_up,
              test_refused_password, fixture_tear_down);
  g_test_add ("/uplink/register/register", Fixture, NULL, fixture_set_up, test_register,
              fixture_tear_down);
  g_test_add ("/uplink/register/bad-requests", Fixture, NULL, fixture_set_up,
              test_bad_requests, fixture_tear_down);
  g_test_add ("/uplink/register/replaced-and-expired", Fixture, NULL, fixture_set_up,
              test_replaced_and_expired, fixture_tear_down);
  g_test_add ("/uplink/register/broken-catalog", Fixture, "broken-catalogs", fixture_set_up,
              test_broken_catalog, fixture_tear_down);
  return g_test_run ();
}
