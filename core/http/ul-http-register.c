/* ul-http-register.c — the registration pages (see the header).
 *
 * Each request asks the engine what the link is for (ul_engine_lookup_registration(),
 * which never changes anything), picks the page's language and answers with one page.
 * Only a POST whose two password fields agree reaches ul_engine_register_async(), which
 * checks the password and uses the link up; its errors come back as the same pages.
 */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ul-catalog.h"
#include "ul-error.h"
#include "ul-http-context.h"
#include "ul-http-page.h"
#include "ul-http-register.h"
#include "ul-http-resources.h"
#include "ul-password.h"

#define TOKEN_PREFIX        UL_HTTP_REGISTER_PREFIX "/"
#define STYLESHEET_PATH     UL_HTTP_REGISTER_PREFIX "/style.css"
#define STYLESHEET_RESOURCE "/io/github/uplink/register/style.css"
#define HTML_TYPE           "text/html; charset=utf-8"

/* No script, style only from here, forms only back here, never inside a frame. */
#define CONTENT_SECURITY_POLICY \
  "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; " \
  "base-uri 'none'"

struct _UlHttpRegister
{
  GObject     parent_instance;

  UlEngine   *engine;
  char       *locale_dir;
  GHashTable *catalogs;    /* language → UlCatalog, or NULL when it has none: both cached */
  GBytes     *stylesheet;
};

G_DEFINE_FINAL_TYPE (UlHttpRegister, ul_http_register, G_TYPE_OBJECT)

/* The pages that say why there is no form, and what to do. */
typedef enum
{
  PROBLEM_UNKNOWN,
  PROBLEM_USED,
  PROBLEM_EXPIRED,
  PROBLEM_BAD_REQUEST,
  PROBLEM_FAILED,
} Problem;

static const struct
{
  const char *icon;   /* a symbol in a circle, for the eye only */
  const char *title;
  const char *text[2];
} problems[] = {
  [PROBLEM_UNKNOWN] = {
    "?", N_("This link is not valid"),
    { N_("The gateway does not know this registration link. Check that you opened the whole "
         "link from the e-mail: some mail programs break long links in two."),
      N_("If it still does not work, ask your administrator to send you the deployment "
         "e-mail again.") } },
  [PROBLEM_USED] = {
    "✓", N_("This link has already been used"),
    { N_("An account was already finished with this link, and a link works only once. If "
         "that was you, your account is ready: open the phone app and sign in with your "
         "e-mail address and the password you chose."),
      N_("If it was not you, or you have forgotten the password, ask your administrator to "
         "send you the deployment e-mail again.") } },
  [PROBLEM_EXPIRED] = {
    "!", N_("This link has expired"),
    { N_("A registration link works only for a limited time, and only the link in the "
         "newest deployment e-mail works."),
      N_("Look for a newer e-mail, or ask your administrator to send you the deployment "
         "e-mail again.") } },
  [PROBLEM_BAD_REQUEST] = {
    "!", N_("The gateway could not read this request"),
    { N_("Nothing was changed. Open the link from your e-mail again and fill in the form "
         "there."),
      NULL } },
  [PROBLEM_FAILED] = {
    "!", N_("Something went wrong"),
    { N_("The gateway could not finish your request, and nothing was changed. Try again in a "
         "few minutes."),
      N_("If it keeps happening, tell your administrator.") } },
};

/* Headers */

static void
reply_bytes (SoupServerMessage *msg,
             guint              status,
             const char        *content_type,
             const char        *language,
             GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (body, &size);

  soup_message_headers_replace (headers, "Content-Security-Policy", CONTENT_SECURITY_POLICY);
  /* The token is in the URL: no Referer may carry it anywhere. */
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  if (language != NULL)
    soup_message_headers_replace (headers, "Content-Language", language);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, size);
}

/* Language and catalog */

static UlCatalog *
catalog_for (UlHttpRegister *self, const char *language)
{
  g_autoptr(GError) error = NULL;
  gpointer catalog = NULL;

  /* English is the source language: the msgids are the text. */
  if (g_str_equal (language, "en"))
    return NULL;
  if (g_hash_table_lookup_extended (self->catalogs, language, NULL, &catalog))
    return catalog;
  catalog = ul_catalog_load (self->locale_dir, language, GETTEXT_PACKAGE, &error);
  if (catalog == NULL)
    g_message ("registration pages in %s stay in English: %s", language, error->message);
  g_hash_table_insert (self->catalogs, g_strdup (language), catalog);
  return catalog;
}

/* ?lang= first (the switcher), then the language of the user's welcome mail, then the
 * browser's preferences, then English. */
static const char *
choose_language (SoupServerMessage *msg, GHashTable *query, const char *mail_language)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *language = ul_http_page_find_language (query != NULL
                                                       ? g_hash_table_lookup (query, "lang")
                                                       : NULL);
  const char *accept;

  if (language == NULL)
    language = ul_http_page_find_language (mail_language);
  accept = soup_message_headers_get_list (headers, "Accept-Language");
  if (language == NULL && accept != NULL)
    {
      GSList *tags = soup_header_parse_quality_list (accept, NULL);

      for (GSList *l = tags; l != NULL && language == NULL; l = l->next)
        language = ul_http_page_find_language (l->data);
      soup_header_free_list (tags);
    }
  return language != NULL ? language : "en";
}

/* The stylesheet relative to the page at @path: "style.css" from /register/<token>, more
 * "../" for each deeper segment, "register/style.css" from /register itself. The pages
 * then work wherever a reverse proxy puts them (registrationUrl may have a path). */
static char *
stylesheet_href (const char *path)
{
  GString *href = g_string_new (NULL);

  if (!g_str_has_prefix (path, TOKEN_PREFIX))
    g_string_append (href, "register/");
  else
    for (const char *p = path + strlen (TOKEN_PREFIX); (p = strchr (p, '/')) != NULL; p++)
      g_string_append (href, "../");
  g_string_append (href, "style.css");
  return g_string_free (href, FALSE);
}

/* A page in @language, or in English when that language's catalog is missing or broken:
 * the page must say which language it really is in. */
static UlHttpPage *
new_page (UlHttpRegister *self, SoupServerMessage *msg, const char *language)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *href = stylesheet_href (uri != NULL ? g_uri_get_path (uri) : TOKEN_PREFIX);
  UlCatalog *catalog = catalog_for (self, language);

  return ul_http_page_new (catalog != NULL ? language : "en", catalog, href);
}

static void
reply_page (SoupServerMessage *msg,
            guint              status,
            UlHttpPage        *page,
            const char        *title,
            gboolean           has_errors,
            gboolean           language_links)
{
  g_autoptr(GBytes) html = ul_http_page_finish (page, title, has_errors, language_links);

  reply_bytes (msg, status, HTML_TYPE, ul_http_page_get_language (page), html);
}

/* Pages */

static void
add_icon (UlHttpPage *page, const char *kind, const char *symbol)
{
  ul_http_page_add_markup (page, "<p class=\"status-icon ");
  ul_http_page_add_markup (page, kind);
  ul_http_page_add_markup (page, "\" aria-hidden=\"true\">");
  ul_http_page_add_markup (page, symbol);
  ul_http_page_add_markup (page, "</p>\n");
}

static void
reply_problem (UlHttpRegister    *self,
               SoupServerMessage *msg,
               GHashTable        *query,
               const char        *language,
               Problem            problem,
               guint              status)
{
  g_autoptr(UlHttpPage) page = new_page (self, msg, language != NULL
                                                 ? language
                                                 : choose_language (msg, query, NULL));

  ul_http_page_add_markup (page, "<div class=\"status\">\n");
  add_icon (page, problem == PROBLEM_USED ? "done" : "problem", problems[problem].icon);
  ul_http_page_add_element (page, "h1", NULL, problems[problem].title);
  for (guint i = 0; i < G_N_ELEMENTS (problems[problem].text); i++)
    {
      if (problems[problem].text[i] != NULL)
        ul_http_page_add_element (page, "p", NULL, problems[problem].text[i]);
    }
  ul_http_page_add_markup (page, "</div>\n");
  reply_page (msg, status, page, problems[problem].title, FALSE, TRUE);
}

/* The page an engine error calls for. */
static void
reply_error (UlHttpRegister    *self,
             SoupServerMessage *msg,
             GHashTable        *query,
             const char        *language,
             const GError      *error)
{
  if (g_error_matches (error, UL_ERROR, UL_ERROR_NOT_FOUND))
    reply_problem (self, msg, query, language, PROBLEM_UNKNOWN, SOUP_STATUS_NOT_FOUND);
  else if (g_error_matches (error, UL_ERROR, UL_ERROR_LINK_USED))
    reply_problem (self, msg, query, language, PROBLEM_USED, SOUP_STATUS_GONE);
  else if (g_error_matches (error, UL_ERROR, UL_ERROR_LINK_EXPIRED))
    reply_problem (self, msg, query, language, PROBLEM_EXPIRED, SOUP_STATUS_GONE);
  else
    {
      g_message ("registration page: %s", error->message);
      reply_problem (self, msg, query, language, PROBLEM_FAILED,
                     ul_http_status_for_error (error));
    }
}

static const char *
lookup_string (GVariant *record, const char *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (record, key, "&s", &value))
    return "";
  return value;
}

/* What is wrong with a password field, in the page's language. */
typedef struct
{
  char *password;
  char *confirm;
} FormErrors;

static void
form_errors_clear (FormErrors *errors)
{
  g_clear_pointer (&errors->password, g_free);
  g_clear_pointer (&errors->confirm, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FormErrors, form_errors_clear)

static char *
password_reason (UlHttpPage *page, UlPasswordProblem problem)
{
  const char *msgid = ul_password_problem_reason (problem);

  /* ul_catalog_format() vouches that the translation takes the msgid's two %d. */
  if (problem == UL_PASSWORD_LENGTH)
    return g_strdup_printf (ul_http_page_get_format (page, msgid), UL_PASSWORD_MIN,
                            UL_PASSWORD_MAX);
  return g_strdup (ul_http_page_gettext (page, msgid));
}

static void
add_error_summary (UlHttpPage *page, const FormErrors *errors)
{
  /* Focused when the page opens (no script needed): seen first, read out first; its
   * links lead to the fields. */
  ul_http_page_add_markup (page, "<div class=\"error-summary\" role=\"alert\" "
                                 "aria-labelledby=\"error-summary-title\" tabindex=\"-1\" "
                                 "autofocus>\n<h2 id=\"error-summary-title\">");
  ul_http_page_add_text (page, N_("There is a problem"));
  ul_http_page_add_markup (page, "</h2>\n<ul>\n");
  if (errors->password != NULL)
    {
      ul_http_page_add_markup (page, "<li><a href=\"#password\">");
      ul_http_page_add_escaped (page, errors->password);
      ul_http_page_add_markup (page, "</a></li>\n");
    }
  if (errors->confirm != NULL)
    {
      ul_http_page_add_markup (page, "<li><a href=\"#confirm\">");
      ul_http_page_add_escaped (page, errors->confirm);
      ul_http_page_add_markup (page, "</a></li>\n");
    }
  ul_http_page_add_markup (page, "</ul>\n</div>\n");
}

static void
add_detail (UlHttpPage *page, const char *label, const char *value)
{
  ul_http_page_add_markup (page, "<div>\n<dt>");
  ul_http_page_add_text (page, label);
  ul_http_page_add_markup (page, "</dt>\n<dd>");
  ul_http_page_add_escaped (page, value);
  ul_http_page_add_markup (page, "</dd>\n</div>\n");
}

/* One password input with its label, its hint, its error, and the ARIA links between
 * them. */
static void
add_password_field (UlHttpPage *page,
                    const char *id,
                    const char *label,
                    const char *hint_id,
                    const char *error)
{
  ul_http_page_add_markup (page, error != NULL ? "<div class=\"field field-invalid\">\n"
                                               : "<div class=\"field\">\n");
  ul_http_page_add_markup (page, "<label for=\"");
  ul_http_page_add_markup (page, id);
  ul_http_page_add_markup (page, "\">");
  ul_http_page_add_text (page, label);
  ul_http_page_add_markup (page, "</label>\n");
  if (hint_id != NULL)
    {
      ul_http_page_add_markup (page, "<p class=\"hint\" id=\"");
      ul_http_page_add_markup (page, hint_id);
      ul_http_page_add_markup (page, "\">");
      /* Translators: the shortest and the longest length of a password, 10 and 128. */
      ul_http_page_add_format (page, N_("Use %s to %s characters, with at least two kinds of "
                                        "characters: lower-case and upper-case letters, "
                                        "digits, punctuation or spaces."),
                               G_STRINGIFY (UL_PASSWORD_MIN), G_STRINGIFY (UL_PASSWORD_MAX),
                               NULL);
      ul_http_page_add_markup (page, " ");
      ul_http_page_add_text (page, N_("A short sentence of a few words is long enough and easy "
                                      "to remember."));
      ul_http_page_add_markup (page, "</p>\n");
    }
  if (error != NULL)
    {
      ul_http_page_add_markup (page, "<p class=\"field-error\" id=\"");
      ul_http_page_add_markup (page, id);
      ul_http_page_add_markup (page, "-error\"><span class=\"visually-hidden\">");
      ul_http_page_add_text (page, N_("Error:"));
      ul_http_page_add_markup (page, " </span>");
      ul_http_page_add_escaped (page, error);
      ul_http_page_add_markup (page, "</p>\n");
    }

  ul_http_page_add_markup (page, "<input type=\"password\" id=\"");
  ul_http_page_add_markup (page, id);
  ul_http_page_add_markup (page, "\" name=\"");
  ul_http_page_add_markup (page, id);
  ul_http_page_add_markup (page, "\" autocomplete=\"new-password\" required "
                                 "spellcheck=\"false\" autocapitalize=\"none\"");
  if (hint_id != NULL || error != NULL)
    {
      ul_http_page_add_markup (page, " aria-describedby=\"");
      if (hint_id != NULL)
        ul_http_page_add_markup (page, hint_id);
      if (hint_id != NULL && error != NULL)
        ul_http_page_add_markup (page, " ");
      if (error != NULL)
        {
          ul_http_page_add_markup (page, id);
          ul_http_page_add_markup (page, "-error");
        }
      ul_http_page_add_markup (page, "\"");
    }
  if (error != NULL)
    ul_http_page_add_markup (page, " aria-invalid=\"true\"");
  ul_http_page_add_markup (page, ">\n</div>\n");
}

static void
reply_form (UlHttpRegister    *self,
            SoupServerMessage *msg,
            const char        *language,
            GVariant          *registration,
            const FormErrors  *errors)
{
  g_autoptr(UlHttpPage) page = new_page (self, msg, language);
  const char *customer = lookup_string (registration, "customer");
  gboolean has_errors = errors != NULL && (errors->password != NULL || errors->confirm != NULL);

  ul_http_page_add_markup (page, "<header>\n<p class=\"customer\">");
  ul_http_page_add_escaped (page, customer);
  ul_http_page_add_markup (page, "</p>\n");
  ul_http_page_add_element (page, "h1", NULL, N_("Finish building your account"));
  ul_http_page_add_markup (page, "</header>\n");
  if (has_errors)
    add_error_summary (page, errors);

  ul_http_page_add_markup (page, "<p>");
  ul_http_page_add_format (page, N_("%s has set up an account for you in the phone app. "
                                    "Choose a password to finish building it."),
                           customer, NULL);
  ul_http_page_add_markup (page, "</p>\n<dl class=\"account\">\n");
  add_detail (page, N_("Name"), lookup_string (registration, "name"));
  add_detail (page, N_("Extension"), lookup_string (registration, "extension"));
  add_detail (page, N_("E-mail"), lookup_string (registration, "email"));
  add_detail (page, N_("Account ID"), lookup_string (registration, "accountId"));
  ul_http_page_add_markup (page, "</dl>\n");

  /* novalidate: the gateway's own messages, in the page's language, instead of the
   * browser's. The hidden user name lets password managers file the new password under
   * the e-mail address the app signs in with. */
  ul_http_page_add_markup (page, "<form method=\"post\" action=\"?lang=");
  ul_http_page_add_markup (page, ul_http_page_get_language (page));
  ul_http_page_add_markup (page, "\" novalidate>\n<input type=\"text\" name=\"username\" "
                                 "autocomplete=\"username\" readonly hidden value=\"");
  ul_http_page_add_escaped (page, lookup_string (registration, "email"));
  ul_http_page_add_markup (page, "\">\n");
  add_password_field (page, "password", N_("New password"), "password-rule",
                      has_errors ? errors->password : NULL);
  add_password_field (page, "confirm", N_("Type the password again"), NULL,
                      has_errors ? errors->confirm : NULL);
  ul_http_page_add_markup (page, "<button type=\"submit\">");
  ul_http_page_add_text (page, N_("Finish building your account"));
  ul_http_page_add_markup (page, "</button>\n</form>\n");

  reply_page (msg, has_errors ? SOUP_STATUS_UNPROCESSABLE_ENTITY : SOUP_STATUS_OK, page,
              N_("Finish building your account"), has_errors, TRUE);
}

static void
reply_registered (UlHttpRegister    *self,
                  SoupServerMessage *msg,
                  const char        *language,
                  GVariant          *registration,
                  GVariant          *user)
{
  g_autoptr(UlHttpPage) page = new_page (self, msg, language);
  const char *customer = lookup_string (registration, "customer");
  gboolean admin = FALSE;

  ul_http_page_add_markup (page, "<div class=\"status\">\n");
  add_icon (page, "done", "✓");
  ul_http_page_add_element (page, "h1", NULL, N_("Your account is ready"));
  ul_http_page_add_markup (page, "<p>");
  ul_http_page_add_format (page, N_("Thank you, %s. Your account for extension %s is ready."),
                           lookup_string (user, "name"), lookup_string (user, "extension"),
                           NULL);
  ul_http_page_add_markup (page, "</p>\n</div>\n");
  ul_http_page_add_element (page, "h2", NULL, N_("What to do next"));
  ul_http_page_add_markup (page, "<ol class=\"steps\">\n");
  ul_http_page_add_element (page, "li", NULL, N_("Open the phone app on your computer or "
                                                 "mobile phone."));
  ul_http_page_add_markup (page, "<li>");
  ul_http_page_add_format (page, N_("Sign in with your e-mail address, %s, and the password "
                                    "you just chose."),
                           lookup_string (user, "email"), NULL);
  ul_http_page_add_markup (page, "</li>\n</ol>\n");
  if (g_variant_lookup (user, "admin", "b", &admin) && admin)
    {
      ul_http_page_add_markup (page, "<p>");
      ul_http_page_add_format (page, N_("As an administrator of %s, you can also sign in to "
                                        "the gateway with this e-mail address and password."),
                               customer, NULL);
      ul_http_page_add_markup (page, "</p>\n");
    }
  ul_http_page_add_element (page, "p", "note", N_("Nobody will ever ask you for this password, "
                                                  "not even your administrator. You can close "
                                                  "this page now."));
  /* No language links: each would open the link again, which now says "already used". */
  reply_page (msg, SOUP_STATUS_OK, page, N_("Your account is ready"), FALSE, FALSE);
}

/* Requests */

/* "/register/<token>" → the token, percent-decoded; NULL for any other path. */
static char *
token_of (const char *path)
{
  const char *raw;
  g_autofree char *token = NULL;

  if (!g_str_has_prefix (path, TOKEN_PREFIX))
    return NULL;
  raw = path + strlen (TOKEN_PREFIX);
  if (*raw == '\0' || strchr (raw, '/') != NULL)
    return NULL;
  token = g_uri_unescape_string (raw, NULL);
  if (token == NULL || !g_utf8_validate (token, -1, NULL))
    return NULL;
  return g_steal_pointer (&token);
}

static void
show_form (UlHttpRegister *self, SoupServerMessage *msg, GHashTable *query, const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) registration = ul_engine_lookup_registration (self->engine, token,
                                                                    &error);

  if (registration == NULL)
    {
      reply_error (self, msg, query, NULL, error);
      return;
    }
  reply_form (self, msg, choose_language (msg, query, lookup_string (registration, "language")),
              registration, NULL);
}

typedef struct
{
  UlHttpRegister    *self;
  SoupServerMessage *msg;
  GVariant          *registration;
  const char        *language;      /* static */
  UlPasswordProblem  problem;       /* of the password sent, for the page's own words */
  gboolean           disconnected;  /* the client left while the engine worked */
} Submission;

static void
submission_free (Submission *submission)
{
  g_signal_handlers_disconnect_by_data (submission->msg, submission);
  g_object_unref (submission->msg);
  g_object_unref (submission->self);
  g_variant_unref (submission->registration);
  g_free (submission);
}

static void
on_disconnected (SoupServerMessage *msg, gpointer user_data)
{
  Submission *submission = user_data;

  submission->disconnected = TRUE;
}

static void
on_registered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Submission *submission = user_data;
  UlHttpRegister *self = submission->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) user = ul_engine_register_finish (UL_ENGINE (source), result, &error);
  g_autofree char *field = error != NULL ? ul_error_get_field (error) : NULL;

  /* libsoup must not be resumed for a client that left. */
  if (submission->disconnected)
    {
      submission_free (submission);
      return;
    }
  if (user != NULL)
    reply_registered (self, submission->msg, submission->language, submission->registration,
                      user);
  else if (g_error_matches (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT)
           && g_strcmp0 (field, "password") == 0)
    {
      g_auto(FormErrors) errors = { NULL, NULL };
      g_autoptr(UlHttpPage) page = new_page (self, submission->msg, submission->language);

      /* The rule's own reason in the page's language; the engine's words (the process
       * language) only if the rule and the engine ever disagree. */
      errors.password = submission->problem != UL_PASSWORD_OK
                          ? password_reason (page, submission->problem)
                          : ul_error_get_reason (error);
      reply_form (self, submission->msg, submission->language, submission->registration,
                  &errors);
    }
  else
    reply_error (self, submission->msg, NULL, submission->language, error);
  soup_server_message_unpause (submission->msg);
  submission_free (submission);
}

/* The decoded form fields of a POST, or NULL after replying. */
static GHashTable *
read_form (UlHttpRegister *self, SoupServerMessage *msg, GHashTable *query)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  char *text;
  GHashTable *form;

  if (type == NULL || g_ascii_strcasecmp (type, "application/x-www-form-urlencoded") != 0)
    {
      reply_problem (self, msg, query, NULL, PROBLEM_BAD_REQUEST,
                     SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
      return NULL;
    }
  if (size > UL_HTTP_REGISTER_MAX_FORM)
    {
      reply_problem (self, msg, query, NULL, PROBLEM_BAD_REQUEST,
                     SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
      return NULL;
    }
  if (size > 0 && memchr (data, '\0', size) != NULL)
    {
      reply_problem (self, msg, query, NULL, PROBLEM_BAD_REQUEST, SOUP_STATUS_BAD_REQUEST);
      return NULL;
    }
  text = g_strndup (data != NULL ? data : "", size);
  form = soup_form_decode (text);
  explicit_bzero (text, size);
  g_free (text);
  return form;
}

/* The form holds the password: wipe it before it goes back to the allocator. */
static void
wipe_form (GHashTable *form)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, form);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    explicit_bzero (value, strlen (value));
  g_hash_table_unref (form);
}

/* A form that wipe_form() frees. */
typedef GHashTable WipedForm;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WipedForm, wipe_form)

static void
submit (UlHttpRegister *self, SoupServerMessage *msg, GHashTable *query, const char *token)
{
  g_autoptr(WipedForm) form = read_form (self, msg, query);
  g_autoptr(GVariant) registration = NULL;
  g_autoptr(GError) error = NULL;
  const char *password, *confirm, *language;
  UlCaller caller = { NULL, soup_server_message_get_remote_host (msg) };
  Submission *submission;

  if (form == NULL)
    return;
  /* The link first: a used or expired one gets its page, whatever the form says. */
  registration = ul_engine_lookup_registration (self->engine, token, &error);
  if (registration == NULL)
    {
      reply_error (self, msg, query, NULL, error);
      return;
    }
  language = choose_language (msg, query, lookup_string (registration, "language"));
  password = g_hash_table_lookup (form, "password");
  confirm = g_hash_table_lookup (form, "confirm");
  password = password != NULL ? password : "";
  confirm = confirm != NULL ? confirm : "";

  /* The confirmation is the form's own business; the password rule is the engine's, but
   * a form with both wrong says both at once. */
  if (!g_str_equal (password, confirm))
    {
      g_auto(FormErrors) errors = { NULL, NULL };
      g_autoptr(UlHttpPage) page = new_page (self, msg, language);
      UlPasswordProblem problem = ul_password_check (password);

      if (problem != UL_PASSWORD_OK)
        errors.password = password_reason (page, problem);
      errors.confirm = g_strdup (ul_http_page_gettext (
        page, *confirm == '\0' ? N_("Type the password again to confirm it")
                               : N_("The two passwords are not the same. Type the same "
                                    "password in both fields.")));
      reply_form (self, msg, language, registration, &errors);
      return;
    }

  submission = g_new0 (Submission, 1);
  submission->self = g_object_ref (self);
  submission->msg = g_object_ref (msg);
  submission->registration = g_steal_pointer (&registration);
  submission->language = language;
  submission->problem = ul_password_check (password);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_disconnected), submission);
  soup_server_message_pause (msg);
  /* The engine copies the password before it returns; the form is wiped right after. */
  ul_engine_register_async (self->engine, &caller, token, password, NULL, on_registered,
                            submission);
}

static void
serve_stylesheet (UlHttpRegister *self, SoupServerMessage *msg)
{
  reply_bytes (msg, SOUP_STATUS_OK, "text/css; charset=utf-8", NULL, self->stylesheet);
}

void
ul_http_register_handle (SoupServer        *server,
                         SoupServerMessage *msg,
                         const char        *path,
                         GHashTable        *query,
                         gpointer           user_data)
{
  UlHttpRegister *self = UL_HTTP_REGISTER (user_data);
  const char *method = soup_server_message_get_method (msg);
  gboolean read = g_str_equal (method, "GET") || g_str_equal (method, "HEAD");
  gboolean stylesheet = g_str_equal (path, STYLESHEET_PATH);
  g_autofree char *token = stylesheet ? NULL : token_of (path);

  if (!stylesheet && token == NULL)
    reply_problem (self, msg, query, NULL, PROBLEM_UNKNOWN, SOUP_STATUS_NOT_FOUND);
  else if (!read && (stylesheet || !g_str_equal (method, "POST")))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    stylesheet ? "GET, HEAD" : "GET, HEAD, POST");
      reply_problem (self, msg, query, NULL, PROBLEM_BAD_REQUEST,
                     SOUP_STATUS_METHOD_NOT_ALLOWED);
    }
  else if (stylesheet)
    serve_stylesheet (self, msg);
  else if (read)
    show_form (self, msg, query, token);
  else
    submit (self, msg, query, token);
}

UlHttpRegister *
ul_http_register_new (UlEngine *engine, const char *locale_dir)
{
  UlHttpRegister *self;

  g_return_val_if_fail (UL_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (locale_dir != NULL, NULL);

  self = g_object_new (UL_TYPE_HTTP_REGISTER, NULL);
  self->engine = g_object_ref (engine);
  self->locale_dir = g_strdup (locale_dir);
  /* Compiled in: the pages never depend on what is installed where. */
  self->stylesheet = g_resource_lookup_data (ul_http_get_resource (), STYLESHEET_RESOURCE,
                                             G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (self->stylesheet != NULL);
  return self;
}

static void
ul_http_register_dispose (GObject *object)
{
  UlHttpRegister *self = UL_HTTP_REGISTER (object);

  g_clear_object (&self->engine);
  G_OBJECT_CLASS (ul_http_register_parent_class)->dispose (object);
}

static void
ul_http_register_finalize (GObject *object)
{
  UlHttpRegister *self = UL_HTTP_REGISTER (object);

  g_hash_table_unref (self->catalogs);
  g_clear_pointer (&self->stylesheet, g_bytes_unref);
  g_free (self->locale_dir);
  G_OBJECT_CLASS (ul_http_register_parent_class)->finalize (object);
}

static void
ul_http_register_class_init (UlHttpRegisterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ul_http_register_dispose;
  object_class->finalize = ul_http_register_finalize;
}

/* The cache holds NULL for a language without a catalog. */
static void
catalog_unref (gpointer catalog)
{
  if (catalog != NULL)
    g_object_unref (catalog);
}

static void
ul_http_register_init (UlHttpRegister *self)
{
  self->catalogs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          catalog_unref);
}
