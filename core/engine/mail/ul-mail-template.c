/* ul-mail-template.c — loading and expanding the per-language e-mail templates. */
#define G_LOG_DOMAIN "uplink-mail"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ul-error.h"
#include "ul-mail-template.h"

#define SUBJECT_PREFIX "Subject:"

const char *
ul_mail_template_dir (void)
{
  const char *dir = g_getenv ("UPLINK_MAIL_TEMPLATE_DIR");

  return dir != NULL && *dir != '\0' ? dir : UL_MAIL_TEMPLATE_DIR;
}

void
ul_mail_template_free (UlMailTemplate *self)
{
  if (self == NULL)
    return;
  g_free (self->language);
  g_free (self->subject);
  g_free (self->text);
  g_free (self->html);
  g_free (self);
}

static char *
read_file (const char *dir, const char *name, const char *language, const char *ext,
           GError **error)
{
  g_autofree char *file = g_strdup_printf ("%s.%s.%s", name, language, ext);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;

  /* A UL_ERROR, so that D-Bus and HTTP clients get a registered error name and a sentence
   * that says where the gateway looked, not a raw GFileError. */
  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_set_error (error, UL_ERROR, UL_ERROR_FAILED,
                   _("The mail template %s cannot be read (%s): check [mail] template-dir in "
                     "uplinkd.conf"),
                   path, local_error->message);
      return NULL;
    }
  if (!g_utf8_validate (contents, -1, NULL))
    {
      g_set_error (error, UL_ERROR, UL_ERROR_FAILED, _("The mail template %s is not UTF-8"),
                   path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

static UlMailTemplate *
load_language (const char *dir, const char *name, const char *language, GError **error)
{
  g_autoptr(UlMailTemplate) self = g_new0 (UlMailTemplate, 1);
  g_autofree char *text = read_file (dir, name, language, "txt", error);
  const char *body;
  const char *end;

  if (text == NULL)
    return NULL;
  self->html = read_file (dir, name, language, "html", error);
  if (self->html == NULL)
    return NULL;

  /* "Subject: …\n\n<body>" */
  end = strchr (text, '\n');
  if (!g_str_has_prefix (text, SUBJECT_PREFIX) || end == NULL || end[1] != '\n')
    {
      g_set_error (error, UL_ERROR, UL_ERROR_FAILED,
                   _("The mail template %s.%s.txt must start with a “Subject:” line and a "
                     "blank line"),
                   name, language);
      return NULL;
    }
  self->subject = g_strstrip (g_strndup (text + strlen (SUBJECT_PREFIX),
                                         end - text - strlen (SUBJECT_PREFIX)));
  body = end + 2;
  self->text = g_strdup (body);
  self->language = g_strdup (language);
  return g_steal_pointer (&self);
}

UlMailTemplate *
ul_mail_template_load (const char *dir, const char *name, const char *language, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  UlMailTemplate *self;

  g_return_val_if_fail (dir != NULL && name != NULL, NULL);

  if (language == NULL || *language == '\0')
    language = "en";
  self = load_language (dir, name, language, &local_error);
  if (self != NULL || g_str_equal (language, "en"))
    {
      if (self == NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return self;
    }
  g_warning ("no %s mail template for language %s (%s); using English", name, language,
             local_error->message);
  return load_language (dir, name, "en", error);
}

char *
ul_mail_template_expand (const char *text, GHashTable *vars, gboolean html, GError **error)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  g_return_val_if_fail (text != NULL && vars != NULL, NULL);

  for (;;)
    {
      const char *open = strstr (p, "{{");
      const char *close;
      g_autofree char *key = NULL;
      const char *value;

      if (open == NULL)
        break;
      close = strstr (open + 2, "}}");
      if (close == NULL)
        break;
      g_string_append_len (out, p, open - p);
      key = g_strndup (open + 2, close - open - 2);
      g_strstrip (key);
      value = g_hash_table_lookup (vars, key);
      if (value == NULL)
        {
          g_set_error (error, UL_ERROR, UL_ERROR_FAILED,
                       _("The mail template uses an unknown placeholder {{%s}}"), key);
          g_string_free (out, TRUE);
          return NULL;
        }
      if (html)
        {
          g_autofree char *escaped = g_markup_escape_text (value, -1);
          g_string_append (out, escaped);
        }
      else
        g_string_append (out, value);
      p = close + 2;
    }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}
