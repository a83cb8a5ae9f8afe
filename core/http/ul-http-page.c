/* ul-http-page.c — an HTML page for end users (see the header). */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include <stdarg.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "ul-http-page.h"

/* Each language is offered under its own name, which is therefore not translated. Same
 * list and order as the UI languages of ul_languages(). */
static const struct
{
  const char *tag;
  const char *name;
} languages[] = {
  { "en", "English" },
  { "de", "Deutsch" },
  { "fr", "Français" },
  { "it", "Italiano" },
  { "es", "Español" },
  { "nl", "Nederlands" },
};

struct _UlHttpPage
{
  char      *language;
  UlCatalog *catalog;
  char      *stylesheet;
  GString   *body;
};

const char *
ul_http_page_find_language (const char *tag)
{
  gsize length;

  if (tag == NULL)
    return NULL;
  length = strcspn (tag, "-_.@");
  for (gsize i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      if (length == strlen (languages[i].tag)
          && g_ascii_strncasecmp (tag, languages[i].tag, length) == 0)
        return languages[i].tag;
    }
  return NULL;
}

UlHttpPage *
ul_http_page_new (const char *language, UlCatalog *catalog, const char *stylesheet)
{
  UlHttpPage *self = g_new0 (UlHttpPage, 1);

  g_return_val_if_fail (ul_http_page_find_language (language) != NULL, NULL);

  self->language = g_strdup (language);
  self->catalog = catalog != NULL ? g_object_ref (catalog) : NULL;
  self->stylesheet = g_markup_escape_text (stylesheet, -1);
  self->body = g_string_sized_new (4096);
  return self;
}

void
ul_http_page_free (UlHttpPage *self)
{
  g_free (self->language);
  g_clear_object (&self->catalog);
  g_free (self->stylesheet);
  g_string_free (self->body, TRUE);
  g_free (self);
}

const char *
ul_http_page_get_language (UlHttpPage *self)
{
  return self->language;
}

const char *
ul_http_page_gettext (UlHttpPage *self, const char *msgid)
{
  return ul_catalog_gettext (self->catalog, msgid);
}

const char *
ul_http_page_get_format (UlHttpPage *self, const char *msgid)
{
  return ul_catalog_format (self->catalog, msgid);
}

static void
append_escaped (GString *out, const char *text, gssize length)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", length);

  g_string_append (out, escaped);
}

void
ul_http_page_add_markup (UlHttpPage *self, const char *markup)
{
  g_string_append (self->body, markup);
}

void
ul_http_page_add_escaped (UlHttpPage *self, const char *text)
{
  append_escaped (self->body, text, -1);
}

void
ul_http_page_add_text (UlHttpPage *self, const char *msgid)
{
  append_escaped (self->body, ul_catalog_gettext (self->catalog, msgid), -1);
}

void
ul_http_page_add_format (UlHttpPage *self, const char *msgid, ...)
{
  /* ul_catalog_format() returns a translation only when it has the msgid's conversions,
   * so the arguments and the %s always match up. */
  const char *format = ul_catalog_format (self->catalog, msgid);
  const char *p = format;
  const char *percent;
  va_list args;

  va_start (args, msgid);
  while ((percent = strchr (p, '%')) != NULL)
    {
      append_escaped (self->body, p, percent - p);
      if (percent[1] == 's')
        {
          const char *arg = va_arg (args, const char *);
          append_escaped (self->body, arg, -1);
          p = percent + 2;
        }
      else
        {
          /* "%%", or a stray "%" of a msgid without conversions. */
          g_string_append_c (self->body, '%');
          p = percent + (percent[1] == '%' ? 2 : 1);
        }
    }
  append_escaped (self->body, p, -1);
  va_end (args);
}

void
ul_http_page_add_element (UlHttpPage *self, const char *tag, const char *klass,
                          const char *msgid)
{
  g_string_append_printf (self->body, "<%s", tag);
  if (klass != NULL)
    g_string_append_printf (self->body, " class=\"%s\"", klass);
  g_string_append_c (self->body, '>');
  ul_http_page_add_text (self, msgid);
  g_string_append_printf (self->body, "</%s>\n", tag);
}

static void
append_languages (UlHttpPage *self, GString *out)
{
  g_string_append (out, "<nav class=\"languages\" aria-label=\"");
  append_escaped (out, ul_catalog_gettext (self->catalog, N_("Language")), -1);
  g_string_append (out, "\">\n<ul>\n");
  for (gsize i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      if (g_str_equal (languages[i].tag, self->language))
        g_string_append_printf (out, "<li><span lang=\"%s\" aria-current=\"true\">%s</span></li>\n",
                                languages[i].tag, languages[i].name);
      else
        g_string_append_printf (out, "<li><a href=\"?lang=%s\" lang=\"%s\" hreflang=\"%s\">%s"
                                     "</a></li>\n",
                                languages[i].tag, languages[i].tag, languages[i].tag,
                                languages[i].name);
    }
  g_string_append (out, "</ul>\n</nav>\n");
}

GBytes *
ul_http_page_finish (UlHttpPage *self,
                     const char *title_msgid,
                     gboolean    has_errors,
                     gboolean    language_links)
{
  GString *out = g_string_sized_new (self->body->len + 2048);
  gsize length;

  g_string_append_printf (out, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"ltr\">\n<head>\n"
                               "<meta charset=\"utf-8\">\n"
                               "<meta name=\"viewport\" content=\"width=device-width, "
                               "initial-scale=1\">\n"
                               "<meta name=\"color-scheme\" content=\"light dark\">\n"
                               "<meta name=\"referrer\" content=\"no-referrer\">\n"
                               "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
                               "<title>",
                          self->language);
  /* Screen readers announce the title first: an error must be heard at once. */
  if (has_errors)
    {
      append_escaped (out, ul_catalog_gettext (self->catalog, N_("Error:")), -1);
      g_string_append_c (out, ' ');
    }
  append_escaped (out, ul_catalog_gettext (self->catalog, title_msgid), -1);
  g_string_append_printf (out, "</title>\n<link rel=\"stylesheet\" href=\"%s\">\n"
                               "</head>\n<body>\n<main>\n",
                          self->stylesheet);
  g_string_append_len (out, self->body->str, self->body->len);
  g_string_append (out, "</main>\n");
  if (language_links)
    {
      g_string_append (out, "<footer>\n");
      append_languages (self, out);
      g_string_append (out, "</footer>\n");
    }
  g_string_append (out, "</body>\n</html>\n");
  length = out->len;
  return g_bytes_new_take (g_string_free (out, FALSE), length);
}
