/* ul-catalog.c — GNU .mo catalogs read by hand (see the header).
 *
 * The file: a header of seven 32-bit words (magic, revision, number of strings N, offset
 * of the table of original strings O, offset of the table of translations T, size and
 * offset of a hash table), then two tables of N (length, offset) pairs. Each string is
 * `length` bytes followed by a NUL; a plural entry holds its forms separated by NULs. The
 * words are in the byte order of the machine that wrote the file, which the magic number
 * reveals. The hash table is only a lookup aid: a GHashTable built once replaces it, so
 * nothing in it needs to be trusted.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ul-catalog.h"

#define MO_MAGIC         0x950412deU
#define MO_MAGIC_SWAPPED 0xde120495U
#define MO_HEADER_SIZE   28
#define MAX_LANGUAGE     32

struct _UlCatalog
{
  GObject     parent_instance;

  GBytes     *bytes;
  GHashTable *messages;  /* msgid → translation, both pointing into bytes */
};

G_DEFINE_FINAL_TYPE (UlCatalog, ul_catalog, G_TYPE_OBJECT)

typedef struct
{
  const guint8 *data;
  gsize         size;
  gboolean      swapped;
} Reader;

/* The caller has checked that the four bytes lie inside the file. */
static guint32
read_word (const Reader *reader, guint64 offset)
{
  guint32 value;

  memcpy (&value, reader->data + offset, sizeof value);
  return reader->swapped ? GUINT32_SWAP_LE_BE (value) : value;
}

static gboolean
invalid (GError **error, const char *reason)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, reason);
  return FALSE;
}

/* The @index-th string of the table at @table: its bytes and length, checked to lie in
 * the file and to end in NUL. 64-bit arithmetic: no sum of 32-bit words can wrap. */
static gboolean
read_string (const Reader *reader,
             guint64       table,
             guint32       index,
             const char  **string,
             guint32      *length,
             GError      **error)
{
  guint64 entry = table + (guint64) index * 8;
  guint64 offset;

  if (entry + 8 > reader->size)
    return invalid (error, _("The catalog is truncated: a string table ends past the end of "
                             "the file"));
  *length = read_word (reader, entry);
  offset = read_word (reader, entry + 4);
  if (offset + *length + 1 > reader->size)
    return invalid (error, _("The catalog is truncated: a string ends past the end of the "
                             "file"));
  if (reader->data[offset + *length] != '\0')
    return invalid (error, _("A string of the catalog does not end in a NUL byte"));
  *string = (const char *) reader->data + offset;
  return TRUE;
}

/* The charset named by the header's Content-Type line must be UTF-8: the pages are. */
static gboolean
check_charset (const char *header, GError **error)
{
  const char *line = strstr (header, "Content-Type:");
  const char *charset;
  gsize length;

  if (line == NULL || (charset = strstr (line, "charset=")) == NULL)
    return TRUE;
  charset += strlen ("charset=");
  length = strcspn (charset, " \t\r\n;");
  if (length == strlen ("UTF-8") && g_ascii_strncasecmp (charset, "UTF-8", length) == 0)
    return TRUE;
  return invalid (error, _("The catalog is not in UTF-8"));
}

static gboolean
parse (UlCatalog *self, GError **error)
{
  Reader reader;
  guint32 magic, revision, n_strings;
  guint64 originals, translations;

  reader.data = g_bytes_get_data (self->bytes, &reader.size);
  if (reader.size < MO_HEADER_SIZE)
    return invalid (error, _("The catalog is truncated: the file is shorter than its header"));
  memcpy (&magic, reader.data, sizeof magic);
  if (magic != MO_MAGIC && magic != MO_MAGIC_SWAPPED)
    return invalid (error, _("This is not a gettext catalog (.mo file)"));
  reader.swapped = magic == MO_MAGIC_SWAPPED;

  /* Major revisions 0 and 1 share the tables read here; 1 adds system-dependent
   * strings, which msgfmt only writes for <inttypes.h> macros and uplink has none. */
  revision = read_word (&reader, 4);
  if ((revision >> 16) > 1)
    return invalid (error, _("The catalog has a format revision this program cannot read"));
  n_strings = read_word (&reader, 8);
  originals = read_word (&reader, 12);
  translations = read_word (&reader, 16);

  for (guint32 i = 0; i < n_strings; i++)
    {
      const char *msgid, *msgstr;
      guint32 msgid_length, msgstr_length;

      if (!read_string (&reader, originals, i, &msgid, &msgid_length, error)
          || !read_string (&reader, translations, i, &msgstr, &msgstr_length, error))
        return FALSE;
      /* The header is the translation of the empty msgid. */
      if (msgid_length == 0)
        {
          if (!check_charset (msgstr, error))
            return FALSE;
          continue;
        }
      /* Keys end at the first NUL: a plural entry is found by its singular msgid, and
       * its first form is the singular translation. */
      if (msgstr_length == 0 || *msgstr == '\0' || !g_utf8_validate (msgstr, -1, NULL))
        continue;
      if (!g_hash_table_contains (self->messages, msgid))
        g_hash_table_insert (self->messages, (gpointer) msgid, (gpointer) msgstr);
    }
  return TRUE;
}

UlCatalog *
ul_catalog_new_from_bytes (GBytes *bytes, GError **error)
{
  g_autoptr(UlCatalog) self = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (g_bytes_get_size (bytes) > UL_CATALOG_MAX_SIZE)
    {
      invalid (error, _("The catalog is too large"));
      return NULL;
    }
  self = g_object_new (UL_TYPE_CATALOG, NULL);
  self->bytes = g_bytes_ref (bytes);
  if (!parse (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

UlCatalog *
ul_catalog_new_from_file (const char *path, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize length = 0;
  GStatBuf buf;

  g_return_val_if_fail (path != NULL, NULL);

  /* Refuse a huge file before reading it into memory. */
  if (g_stat (path, &buf) == 0 && buf.st_size > UL_CATALOG_MAX_SIZE)
    {
      invalid (error, _("The catalog is too large"));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  bytes = g_bytes_new_take (contents, length);
  return ul_catalog_new_from_bytes (bytes, error);
}

static gboolean
valid_language (const char *language)
{
  gsize length = language != NULL ? strlen (language) : 0;

  if (length == 0 || length > MAX_LANGUAGE || !g_ascii_isalpha (language[0]))
    return FALSE;
  for (const char *p = language; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '@')
        return FALSE;
    }
  return TRUE;
}

UlCatalog *
ul_catalog_load (const char *locale_dir,
                 const char *language,
                 const char *domain,
                 GError    **error)
{
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (locale_dir != NULL, NULL);
  g_return_val_if_fail (domain != NULL && strchr (domain, '/') == NULL, NULL);

  if (!valid_language (language))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Not a language tag"));
      return NULL;
    }
  file = g_strconcat (domain, ".mo", NULL);
  path = g_build_filename (locale_dir, language, "LC_MESSAGES", file, NULL);
  return ul_catalog_new_from_file (path, error);
}

const char *
ul_catalog_gettext (UlCatalog *self, const char *msgid)
{
  const char *translation;

  g_return_val_if_fail (self == NULL || UL_IS_CATALOG (self), msgid);
  g_return_val_if_fail (msgid != NULL, NULL);

  if (self == NULL || *msgid == '\0')
    return msgid;
  translation = g_hash_table_lookup (self->messages, msgid);
  return translation != NULL ? translation : msgid;
}

/* Appends one token per argument @format reads ("d", "s", "ld", "*" for a star width or
 * precision) to @out. FALSE for what this check cannot vouch for: positional arguments,
 * %n, and an unfinished or unknown conversion. */
static gboolean
conversions (const char *format, GString *out)
{
  for (const char *p = format; *p != '\0'; p++)
    {
      const char *start;

      if (*p != '%')
        continue;
      p++;
      if (*p == '%')
        continue;
      while (*p != '\0' && strchr ("-+ #0'I", *p) != NULL)
        p++;
      if (*p == '*')
        {
          g_string_append (out, "*,");
          p++;
        }
      while (g_ascii_isdigit (*p))
        p++;
      if (*p == '$')
        return FALSE;
      if (*p == '.')
        {
          p++;
          if (*p == '*')
            {
              g_string_append (out, "*,");
              p++;
            }
          while (g_ascii_isdigit (*p))
            p++;
        }
      start = p;
      while (*p != '\0' && strchr ("hlLqjzZt", *p) != NULL)
        p++;
      if (*p == '\0' || strchr ("diouxXeEfFgGaAcsp", *p) == NULL)
        return FALSE;
      g_string_append_len (out, start, p - start + 1);
      g_string_append_c (out, ',');
    }
  return TRUE;
}

const char *
ul_catalog_format (UlCatalog *self, const char *msgid)
{
  const char *translation = ul_catalog_gettext (self, msgid);
  g_autoptr(GString) expected = NULL;
  g_autoptr(GString) found = NULL;

  if (translation == msgid)
    return msgid;
  expected = g_string_new (NULL);
  found = g_string_new (NULL);
  if (!conversions (msgid, expected) || !conversions (translation, found)
      || !g_str_equal (expected->str, found->str))
    return msgid;
  return translation;
}

guint
ul_catalog_get_n_messages (UlCatalog *self)
{
  g_return_val_if_fail (UL_IS_CATALOG (self), 0);
  return g_hash_table_size (self->messages);
}

static void
ul_catalog_finalize (GObject *object)
{
  UlCatalog *self = UL_CATALOG (object);

  g_hash_table_unref (self->messages);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  G_OBJECT_CLASS (ul_catalog_parent_class)->finalize (object);
}

static void
ul_catalog_class_init (UlCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ul_catalog_finalize;
}

static void
ul_catalog_init (UlCatalog *self)
{
  self->messages = g_hash_table_new (g_str_hash, g_str_equal);
}
