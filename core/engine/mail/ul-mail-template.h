/* ul-mail-template.h — the localized texts of the gateway's e-mails.
 *
 * Each mail has one pair of files per language in the template directory:
 * <name>.<lang>.txt ("Subject: …", a blank line, then the plain-text body) and
 * <name>.<lang>.html (the HTML body). Placeholders are {{key}}; in the HTML file their
 * values are escaped. Translators edit the files as a whole, so a language reads
 * naturally instead of being assembled from fragments. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *language;  /* the language actually loaded */
  char *subject;
  char *text;
  char *html;
} UlMailTemplate;

/* The directory holding the templates: $UPLINK_MAIL_TEMPLATE_DIR when set (tests run from
 * the source tree), else the installed data/mail. */
const char     *ul_mail_template_dir (void);

/* Loads @name for @language from @dir; falls back to English (with a warning) when that
 * language has no files. Fails with UL_ERROR_FAILED when neither loads. */
UlMailTemplate *ul_mail_template_load (const char *dir,
                                       const char *name,
                                       const char *language,
                                       GError    **error);
void            ul_mail_template_free (UlMailTemplate *self);

/* Replaces every {{key}} of @text by the value of @vars (char* → char*), HTML-escaped with
 * @html. An unknown key fails (a template typo must not reach a customer). */
char           *ul_mail_template_expand (const char *text,
                                         GHashTable *vars,
                                         gboolean    html,
                                         GError    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlMailTemplate, ul_mail_template_free)

G_END_DECLS
