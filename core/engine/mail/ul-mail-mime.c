/* ul-mail-mime.c — RFC 5322 / MIME message building for the deployment e-mails. */
#define G_LOG_DOMAIN "uplink-mail"

#include "config.h"

#include <string.h>

#include "ul-mail-mime.h"

/* RFC 2047 §2 limits a header line holding encoded-words to 76 characters: a word of at
 * most 66 fits after the longest name that carries one ("Subject: "), and folding keeps
 * every other line within 76 too (RFC 5322 §2.1.1 asks for 78). */
#define FOLD_WIDTH        76
#define ENCODED_WORD_MAX  66
#define QP_LINE_MAX       76  /* RFC 2045 §6.7 rule 5 */
#define EW_PREFIX         "=?UTF-8?Q?"
#define EW_SUFFIX         "?="

static const char hex_digits[] = "0123456789ABCDEF";

/* Q encoding keeps these literal; the phrase set (RFC 2047 §5 rule 3) is the smaller one,
 * and using it for unstructured text too is allowed and keeps one code path. */
static gboolean
q_literal (guchar c)
{
  return g_ascii_isalnum (c) || strchr ("!*+-/", c) != NULL;
}

static gsize
utf8_char_len (const char *p)
{
  return (gsize) (g_utf8_next_char (p) - p);
}

char *
ul_mime_encode_words (const char *text)
{
  GString *out = g_string_new (NULL);
  GString *word = g_string_new (NULL);
  const gsize room = ENCODED_WORD_MAX - strlen (EW_PREFIX) - strlen (EW_SUFFIX);

  g_return_val_if_fail (text != NULL && g_utf8_validate (text, -1, NULL), NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gsize len = utf8_char_len (p);
      char encoded[4 * 3 + 1];
      gsize n = 0;

      for (gsize i = 0; i < len; i++)
        {
          guchar c = (guchar) p[i];

          if (c == ' ')
            encoded[n++] = '_';
          else if (q_literal (c))
            encoded[n++] = (char) c;
          else
            {
              encoded[n++] = '=';
              encoded[n++] = hex_digits[c >> 4];
              encoded[n++] = hex_digits[c & 0xf];
            }
        }
      encoded[n] = '\0';

      /* A character never straddles two words (RFC 2047 §5: each word must decode on
       * its own to whole characters). */
      if (word->len + n > room)
        {
          if (out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append_printf (out, EW_PREFIX "%s" EW_SUFFIX, word->str);
          g_string_truncate (word, 0);
        }
      g_string_append (word, encoded);
    }

  if (word->len > 0 || out->len == 0)
    {
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, EW_PREFIX "%s" EW_SUFFIX, word->str);
    }
  g_string_free (word, TRUE);
  return g_string_free (out, FALSE);
}

static gboolean
is_plain_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p < 0x20 || *p > 0x7e)
        return FALSE;
    }
  return TRUE;
}

/* RFC 5322 atext plus the space between words: such a name needs no quoting. */
static gboolean
is_atom_phrase (const char *text)
{
  if (*text == '\0' || *text == ' ')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-/=?^_`{|}~ ", *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

/* The address with its domain in ASCII; the local part is ASCII already (the e-mail
 * rules of core/common accept only RFC 5322 atext there). */
static char *
ascii_address (const char *address)
{
  const char *at = strrchr (address, '@');
  g_autofree char *domain = NULL;

  if (at == NULL || is_plain_ascii (at + 1))
    return g_strdup (address);
  domain = g_hostname_to_ascii (at + 1);
  if (domain == NULL)
    return g_strdup (address);
  return g_strdup_printf ("%.*s@%s", (int) (at - address), address, domain);
}

char *
ul_mime_format_mailbox (const char *name, const char *address)
{
  g_autofree char *addr = NULL;
  g_autofree char *display = NULL;

  g_return_val_if_fail (address != NULL, NULL);

  addr = ascii_address (address);
  if (name == NULL || *name == '\0')
    return g_steal_pointer (&addr);

  if (is_plain_ascii (name) && strlen (name) <= ENCODED_WORD_MAX)
    {
      if (is_atom_phrase (name))
        display = g_strdup (name);
      else
        {
          GString *quoted = g_string_new ("\"");

          for (const char *p = name; *p != '\0'; p++)
            {
              if (*p == '"' || *p == '\\')
                g_string_append_c (quoted, '\\');
              g_string_append_c (quoted, *p);
            }
          g_string_append_c (quoted, '"');
          display = g_string_free (quoted, FALSE);
        }
    }
  else
    display = ul_mime_encode_words (name);

  return g_strdup_printf ("%s <%s>", display, addr);
}

char *
ul_mime_encode_qp (const char *text)
{
  GString *out = g_string_new (NULL);
  gsize column = 0;

  g_return_val_if_fail (text != NULL, NULL);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      char piece[4];
      gsize n = 0;

      if (*p == '\n')
        {
          g_string_append (out, "\r\n");
          column = 0;
          continue;
        }
      if (*p == '\r' && p[1] == '\n')
        continue;

      /* Literal: printable ASCII except "=", and space or tab unless they end a line
       * (trailing white space may be stripped in transit, rule 3). A leading "." is
       * encoded too, so that no line can look like the end of an SMTP DATA section. */
      if ((*p >= 33 && *p <= 126 && *p != '=' && !(*p == '.' && column == 0))
          || ((*p == ' ' || *p == '\t') && p[1] != '\n' && p[1] != '\r' && p[1] != '\0'))
        piece[n++] = (char) *p;
      else
        {
          piece[n++] = '=';
          piece[n++] = hex_digits[*p >> 4];
          piece[n++] = hex_digits[*p & 0xf];
        }
      piece[n] = '\0';

      /* Keep room for the "=" of a soft break. */
      if (column + n > QP_LINE_MAX - 1)
        {
          g_string_append (out, "=\r\n");
          column = 0;
          if (piece[0] == '.')
            {
              g_string_append (out, "=2E");
              column = 3;
              continue;
            }
        }
      g_string_append (out, piece);
      column += n;
    }
  if (column > 0)
    g_string_append (out, "\r\n");
  return g_string_free (out, FALSE);
}

char *
ul_mime_format_date (gint64 unix_seconds)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  g_return_val_if_fail (dt != NULL, NULL);

  return g_strdup_printf ("%s, %d %s %04d %02d:%02d:%02d +0000",
                          days[g_date_time_get_day_of_week (dt) - 1],
                          g_date_time_get_day_of_month (dt),
                          months[g_date_time_get_month (dt) - 1], g_date_time_get_year (dt),
                          g_date_time_get_hour (dt), g_date_time_get_minute (dt),
                          g_date_time_get_second (dt));
}

char *
ul_mime_new_message_id (const char *domain)
{
  g_autofree char *ascii = NULL;
  GString *id = g_string_new ("<");

  g_return_val_if_fail (domain != NULL && *domain != '\0', NULL);

  ascii = is_plain_ascii (domain) ? g_strdup (domain) : g_hostname_to_ascii (domain);
  for (int i = 0; i < 4; i++)
    g_string_append_printf (id, "%08x", g_random_int ());
  g_string_append_printf (id, "@%s>", ascii != NULL ? ascii : "uplink.invalid");
  return g_string_free (id, FALSE);
}

/* Appends "Name: value" folded at its spaces so that lines stay within FOLD_WIDTH where
 * the words allow it (a single long word keeps its own line; every word is far below the
 * hard limit of 998). Never folds before the first word: legal, but some parsers mind. */
static void
append_header (GString *out, const char *name, const char *value)
{
  g_auto (GStrv) words = g_strsplit (value, " ", -1);
  gsize column = strlen (name) + 1;

  g_string_append_printf (out, "%s:", name);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize len = strlen (words[i]);

      if (i > 0 && len > 0 && column + 1 + len > FOLD_WIDTH)
        {
          g_string_append (out, "\r\n");
          column = 0;
        }
      g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
      column += 1 + len;
    }
  g_string_append (out, "\r\n");
}

/* Unstructured text (Subject): as is when it is short printable ASCII, otherwise as
 * encoded-words. */
static char *
header_text (const char *text)
{
  g_auto (GStrv) words = g_strsplit (text, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (strlen (words[i]) > ENCODED_WORD_MAX)
        return ul_mime_encode_words (text);
    }
  if (is_plain_ascii (text) && strstr (text, "=?") == NULL)
    return g_strdup (text);
  return ul_mime_encode_words (text);
}

static char *
new_boundary (void)
{
  /* "=_" never occurs in quoted-printable output, so no body line can match. */
  return g_strdup_printf ("=_uplink_%08x%08x", g_random_int (), g_random_int ());
}

static void
append_part (GString *out, const char *subtype, const char *body)
{
  g_autofree char *qp = ul_mime_encode_qp (body);

  g_string_append_printf (out, "Content-Type: text/%s; charset=UTF-8\r\n", subtype);
  g_string_append (out, "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
  g_string_append (out, qp);
}

GBytes *
ul_mime_build (const UlMimeMessage *m)
{
  GString *out = g_string_new (NULL);
  g_autofree char *date = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *subject = NULL;

  g_return_val_if_fail (m != NULL && m->from_address != NULL && m->to_address != NULL, NULL);
  g_return_val_if_fail (m->subject != NULL && m->text != NULL && m->message_id != NULL, NULL);

  date = ul_mime_format_date (m->date);
  from = ul_mime_format_mailbox (m->from_name, m->from_address);
  to = ul_mime_format_mailbox (m->to_name, m->to_address);
  subject = header_text (m->subject);

  append_header (out, "Date", date);
  append_header (out, "From", from);
  append_header (out, "To", to);
  if (m->reply_to != NULL && *m->reply_to != '\0')
    {
      g_autofree char *reply_to = ul_mime_format_mailbox (NULL, m->reply_to);
      append_header (out, "Reply-To", reply_to);
    }
  append_header (out, "Subject", subject);
  append_header (out, "Message-ID", m->message_id);
  /* RFC 3834: an automatic message; vacation responders must not answer it. */
  append_header (out, "Auto-Submitted", "auto-generated");
  if (m->language != NULL)
    append_header (out, "Content-Language", m->language);
  append_header (out, "MIME-Version", "1.0");

  if (m->html == NULL)
    append_part (out, "plain", m->text);
  else
    {
      g_autofree char *boundary = new_boundary ();
      g_autofree char *content_type =
        g_strdup_printf ("multipart/alternative; boundary=\"%s\"", boundary);

      append_header (out, "Content-Type", content_type);
      /* The preamble is for readers without MIME; it is ignored otherwise. */
      g_string_append (out, "\r\nThis is a multi-part message in MIME format.\r\n");
      /* RFC 2046 §5.1.4: the preferred part (HTML) comes last. */
      g_string_append_printf (out, "\r\n--%s\r\n", boundary);
      append_part (out, "plain", m->text);
      g_string_append_printf (out, "\r\n--%s\r\n", boundary);
      append_part (out, "html", m->html);
      g_string_append_printf (out, "\r\n--%s--\r\n", boundary);
    }
  return g_string_free_to_bytes (out);
}
