/* ul-http-page.h — an HTML page for end users (the registration link's pages), written in
 * the visitor's language.
 *
 * A page is plain HTML5 without any script: the frame (doctype, lang, viewport, title,
 * the stylesheet, the language switcher) and a body the caller adds to. Text goes through
 * the page's catalog (ul-catalog.h) and is HTML-escaped on the way in, arguments included,
 * so nothing from the directory can become markup; only the caller's own fixed markup is
 * added raw. */
#pragma once

#include <glib.h>

#include "ul-catalog.h"

G_BEGIN_DECLS

typedef struct _UlHttpPage UlHttpPage;

/* The language the pages speak for @tag ("de", "DE", "de-CH", "de_CH.UTF-8" → "de"), as
 * a static string, or NULL when they do not speak it. */
const char *ul_http_page_find_language (const char *tag);

/* A page in @language (found by the above), translated through @catalog (may be NULL:
 * English, the source language), that links its stylesheet as @stylesheet (a URL relative
 * to the page, so that the pages also work under a reverse proxy's path prefix). */
UlHttpPage *ul_http_page_new (const char *language, UlCatalog *catalog,
                              const char *stylesheet);
void        ul_http_page_free (UlHttpPage *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlHttpPage, ul_http_page_free)

const char *ul_http_page_get_language (UlHttpPage *self);

/* The translation of @msgid, not escaped. */
const char *ul_http_page_gettext (UlHttpPage *self, const char *msgid);
/* The same for a printf format (ul_catalog_format()). */
const char *ul_http_page_get_format (UlHttpPage *self, const char *msgid);

/* Appends fixed markup of the caller's, as is. */
void        ul_http_page_add_markup (UlHttpPage *self, const char *markup);
/* Appends @text escaped (for text from anywhere: the directory, the engine). */
void        ul_http_page_add_escaped (UlHttpPage *self, const char *text);
/* Appends the translation of @msgid, escaped. */
void        ul_http_page_add_text (UlHttpPage *self, const char *msgid);
/* Appends the translation of @msgid, a format whose only conversions are %s, escaped,
 * with each %s replaced by the next of the NULL-terminated string arguments, escaped. */
void        ul_http_page_add_format (UlHttpPage *self, const char *msgid, ...)
  G_GNUC_NULL_TERMINATED;
/* <tag class="@klass">translation of @msgid</tag>; @klass may be NULL. */
void        ul_http_page_add_element (UlHttpPage *self, const char *tag, const char *klass,
                                      const char *msgid);

/* The whole document: <title> is the translation of @title_msgid, prefixed with "Error:"
 * when @has_errors; @language_links adds the language switcher ("?lang=xx" links). */
GBytes     *ul_http_page_finish (UlHttpPage *self,
                                 const char *title_msgid,
                                 gboolean    has_errors,
                                 gboolean    language_links);

G_END_DECLS
