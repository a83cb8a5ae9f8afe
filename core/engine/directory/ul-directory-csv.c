/* ul-directory-csv.c — the CSV directory source.
 *
 * The file is decoded to UTF-8 first, then split into records. Separators, quotes and
 * line breaks are ASCII, so splitting works on bytes without breaking characters.
 */
#define G_LOG_DOMAIN "uplink-directory"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ul-directory-collector.h"
#include "ul-directory-csv.h"
#include "ul-directory-skip.h"
#include "ul-error.h"
#include "ul-user.h"

#define READ_CHUNK       (64 * 1024)
#define CANCEL_CHECK_ROWS 1024

typedef enum
{
  COL_EXTENSION,
  COL_NAME,
  COL_FIRST_NAME,
  COL_LAST_NAME,
  COL_EMAIL,
  COL_GROUP,
  COL_CTI_DEVICE,
  N_COLUMN_ROLES
} ColumnRole;

/* Header names after normalisation: case-folded, letters and digits only, so "E-Mail",
 * "e_mail" and "EMAIL" are all "email". English first, then the German and French names
 * a MiVO400 WebAdmin export in those languages may carry. */
static const struct
{
  ColumnRole  role;
  const char *name;
} header_aliases[] = {
  { COL_EXTENSION, "extension" },
  { COL_EXTENSION, "ext" },
  { COL_EXTENSION, "extensionnumber" },
  { COL_EXTENSION, "number" },
  { COL_EXTENSION, "telephonenumber" },
  { COL_EXTENSION, "phonenumber" },
  { COL_EXTENSION, "callnumber" },
  { COL_EXTENSION, "internalnumber" },
  { COL_EXTENSION, "directorynumber" },
  { COL_EXTENSION, "nebenstelle" },
  { COL_EXTENSION, "rufnummer" },
  { COL_EXTENSION, "durchwahl" },
  { COL_EXTENSION, "numéro" },
  { COL_NAME, "name" },
  { COL_NAME, "cn" },
  { COL_NAME, "displayname" },
  { COL_NAME, "fullname" },
  { COL_NAME, "commonname" },
  { COL_NAME, "anzeigename" },
  { COL_FIRST_NAME, "firstname" },
  { COL_FIRST_NAME, "givenname" },
  { COL_FIRST_NAME, "first" },
  { COL_FIRST_NAME, "vorname" },
  { COL_FIRST_NAME, "prénom" },
  { COL_LAST_NAME, "lastname" },
  { COL_LAST_NAME, "surname" },
  { COL_LAST_NAME, "sn" },
  { COL_LAST_NAME, "familyname" },
  { COL_LAST_NAME, "last" },
  { COL_LAST_NAME, "nachname" },
  { COL_LAST_NAME, "nom" },
  { COL_EMAIL, "email" },
  { COL_EMAIL, "mail" },
  { COL_EMAIL, "emailaddress" },
  { COL_EMAIL, "mailaddress" },
  { COL_EMAIL, "emailadresse" },
  { COL_EMAIL, "courriel" },
  { COL_GROUP, "group" },
  { COL_GROUP, "usergroup" },
  { COL_GROUP, "ou" },
  { COL_GROUP, "department" },
  { COL_GROUP, "benutzergruppe" },
  { COL_CTI_DEVICE, "ctidevice" },
  { COL_CTI_DEVICE, "useforcti" },
};

typedef enum
{
  RECORD_OK,
  RECORD_END,
  RECORD_ERROR,
} RecordStatus;

typedef struct
{
  const char *pos;
  const char *end;
  guint       line;       /* physical line of @pos, 1-based */
  char        separator;
} CsvReader;

static void
set_line_error (GError **error, guint line, const char *reason)
{
  g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED, _("Line %u of the CSV file: %s"),
               line, reason);
}

/* Line number of byte @offset in @data, for encoding errors. */
static guint
line_at (const char *data, gsize offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
        line++;
    }
  return line;
}

/* WHATWG's Encoding Standard decodes the "latin1"/"iso-8859-1" labels as windows-1252,
 * because that is what Windows programs write: it adds € and typographic quotes in
 * 0x80–0x9F. Files using the five bytes windows-1252 leaves undefined fall back to
 * strict ISO-8859-1. */
static char *
decode_latin1 (const char *data, gsize length, gsize *out_length, GError **error)
{
  char *out;

  out = g_convert (data, length, "UTF-8", "WINDOWS-1252", NULL, out_length, NULL);
  if (out == NULL)
    out = g_convert (data, length, "UTF-8", "ISO-8859-1", NULL, out_length, error);
  return out;
}

/* Decodes text without a UTF-16 byte-order mark. */
static char *
decode_8bit (const char *data, gsize length, UlCsvEncoding encoding, gsize *out_length,
             GError **error)
{
  const char *invalid = NULL;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
      encoding = UL_CSV_ENCODING_UTF8;
    }

  if (encoding == UL_CSV_ENCODING_LATIN1
      || (encoding == UL_CSV_ENCODING_AUTO && !g_utf8_validate_len (data, length, NULL)))
    return decode_latin1 (data, length, out_length, error);

  if (!g_utf8_validate_len (data, length, &invalid))
    {
      set_line_error (error, line_at (data, invalid - data),
                      _("the text is not valid UTF-8; choose the latin-1 encoding for this "
                        "file"));
      return NULL;
    }
  *out_length = length;
  return g_strndup (data, length);
}

static char *
decode (const char *data, gsize length, UlCsvEncoding encoding, gsize *out_length,
        GError **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *utf16 = NULL;
  char *out;

  /* A byte-order mark says more than the setting: honour it. Excel's "Unicode text"
   * export is UTF-16 with a BOM. */
  if (length >= 2 && (guchar) data[0] == 0xFF && (guchar) data[1] == 0xFE)
    utf16 = "UTF-16LE";
  else if (length >= 2 && (guchar) data[0] == 0xFE && (guchar) data[1] == 0xFF)
    utf16 = "UTF-16BE";

  if (utf16 != NULL)
    out = g_convert (data + 2, length - 2, "UTF-8", utf16, NULL, out_length, &local_error);
  else
    out = decode_8bit (data, length, encoding, out_length, &local_error);

  if (out == NULL)
    {
      if (g_error_matches (local_error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                     _("The CSV file cannot be decoded: %s"), local_error->message);
      return NULL;
    }

  /* g_utf8_validate_len() refuses NUL, but the conversions pass it through; a NUL
   * means this is not a text export at all (or UTF-16 without a BOM). */
  if (memchr (out, '\0', *out_length) != NULL)
    {
      g_free (out);
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("The CSV file contains NUL bytes; export it as text (CSV) in UTF-8"));
      return NULL;
    }
  return out;
}

/* The separator is the most frequent of , ; and tab outside quotes on the header line;
 * a header cannot contain a name with the separator in it unquoted, so this is reliable
 * where sniffing data rows is not. */
static char
detect_separator (const char *data, const char *end)
{
  static const char candidates[] = { ',', ';', '\t' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0 };
  gboolean quoted = FALSE;
  char best = ',';
  guint best_count = 0;

  for (const char *p = data; p < end; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (!quoted && (*p == '\n' || *p == '\r'))
        break;
      for (guint i = 0; !quoted && i < G_N_ELEMENTS (candidates); i++)
        {
          if (*p == candidates[i])
            counts[i]++;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      if (counts[i] > best_count)
        {
          best = candidates[i];
          best_count = counts[i];
        }
    }
  return best;
}

static gboolean
is_line_break (const CsvReader *reader)
{
  return *reader->pos == '\n' || *reader->pos == '\r';
}

/* Consumes one line break (\n, \r\n or \r). */
static void
skip_line_break (CsvReader *reader)
{
  if (*reader->pos == '\r' && reader->pos + 1 < reader->end && reader->pos[1] == '\n')
    reader->pos++;
  reader->pos++;
  reader->line++;
}

static gboolean
append_checked (GString *field, char c, guint line, GError **error)
{
  if (field->len >= UL_CSV_FIELD_MAX)
    {
      g_autofree char *reason = g_strdup_printf (_("a field is longer than %d bytes"),
                                                 UL_CSV_FIELD_MAX);
      set_line_error (error, line, reason);
      return FALSE;
    }
  g_string_append_c (field, c);
  return TRUE;
}

static gboolean
read_quoted_field (CsvReader *reader, GString *field, GError **error)
{
  guint opened_on = reader->line;

  reader->pos++;  /* the opening quote */
  for (;;)
    {
      char c;

      if (reader->pos >= reader->end)
        {
          set_line_error (error, opened_on,
                          _("a quoted field starts here but its closing quote is missing"));
          return FALSE;
        }

      c = *reader->pos;
      if (c == '"')
        {
          if (reader->pos + 1 < reader->end && reader->pos[1] == '"')
            {
              if (!append_checked (field, '"', opened_on, error))
                return FALSE;
              reader->pos += 2;
              continue;
            }
          reader->pos++;
          break;
        }

      if (c == '\n' || (c == '\r' && (reader->pos + 1 >= reader->end || reader->pos[1] != '\n')))
        reader->line++;
      if (!append_checked (field, c, opened_on, error))
        return FALSE;
      reader->pos++;
    }

  /* Spaces between the closing quote and the separator are as harmless as before it. */
  while (reader->pos < reader->end && *reader->pos == ' ')
    reader->pos++;
  if (reader->pos < reader->end && *reader->pos != reader->separator && !is_line_break (reader))
    {
      set_line_error (error, reader->line,
                      _("text follows a closing quote; write a quote inside a quoted field "
                        "as two quotes (\"\")"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_plain_field (CsvReader *reader, GString *field, GError **error)
{
  /* A stray quote inside an unquoted field is kept as text: RFC 4180 forbids it, but
   * hand-made files have them (Max "Mad" Muster) and the meaning is clear. */
  while (reader->pos < reader->end && *reader->pos != reader->separator
         && !is_line_break (reader))
    {
      if (!append_checked (field, *reader->pos, reader->line, error))
        return FALSE;
      reader->pos++;
    }
  return TRUE;
}

/* Reads the next record into @fields (freshly allocated strings); @record_line is the
 * line it starts on. */
static RecordStatus
read_record (CsvReader *reader, GPtrArray *fields, guint *record_line, GError **error)
{
  g_autoptr(GString) field = g_string_new (NULL);

  g_ptr_array_set_size (fields, 0);
  if (reader->pos >= reader->end)
    return RECORD_END;

  *record_line = reader->line;
  for (;;)
    {
      gboolean ok;

      const char *start = reader->pos;

      /* Hand-made files put a space after the separator ("201, "Muster, Max""); a
       * quote after spaces still opens a quoted field. */
      while (start < reader->end && *start == ' ')
        start++;

      g_string_truncate (field, 0);
      if (start < reader->end && *start == '"')
        {
          reader->pos = start;
          ok = read_quoted_field (reader, field, error);
        }
      else
        {
          ok = read_plain_field (reader, field, error);
        }
      if (!ok)
        return RECORD_ERROR;

      if (fields->len >= UL_CSV_COLUMNS_MAX)
        {
          g_autofree char *reason = g_strdup_printf (_("more than %d columns"),
                                                     UL_CSV_COLUMNS_MAX);
          set_line_error (error, *record_line, reason);
          return RECORD_ERROR;
        }
      g_ptr_array_add (fields, g_strndup (field->str, field->len));

      if (reader->pos >= reader->end)
        return RECORD_OK;
      if (*reader->pos == reader->separator)
        {
          reader->pos++;
          /* A separator at the very end still opens one last, empty field. */
          if (reader->pos >= reader->end)
            {
              g_ptr_array_add (fields, g_strdup (""));
              return RECORD_OK;
            }
          continue;
        }
      skip_line_break (reader);
      return RECORD_OK;
    }
}

/* Case-folded letters and digits only. */
static char *
normalise_header (const char *header)
{
  g_autofree char *folded = g_utf8_casefold (header, -1);
  g_autofree char *composed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
  GString *out = g_string_new (NULL);

  for (const char *p = composed; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
map_header (GPtrArray *header, int columns[N_COLUMN_ROLES], GError **error)
{
  for (guint role = 0; role < N_COLUMN_ROLES; role++)
    columns[role] = -1;

  for (guint i = 0; i < header->len; i++)
    {
      g_autofree char *name = normalise_header (g_ptr_array_index (header, i));

      for (guint a = 0; a < G_N_ELEMENTS (header_aliases); a++)
        {
          ColumnRole role = header_aliases[a].role;

          /* The first matching column wins, so an export with both "Name" and "cn"
           * reads the one further left, as a person would. */
          if (columns[role] < 0 && g_str_equal (name, header_aliases[a].name))
            {
              columns[role] = (int) i;
              break;
            }
        }
    }

  if (columns[COL_EXTENSION] < 0)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("The CSV file has no extension column: the header needs a column named "
                     "“Extension”, “Ext”, “Number” or “telephoneNumber”"));
      return FALSE;
    }
  if (columns[COL_NAME] < 0 && columns[COL_FIRST_NAME] < 0 && columns[COL_LAST_NAME] < 0)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("The CSV file has no name column: the header needs a column named "
                     "“Name”, “Display name” or “cn”, or “First name” and “Last name”"));
      return FALSE;
    }
  /* Without addresses no user could ever get a deployment e-mail: this is the wrong
   * export, and saying so beats syncing everybody as "no e-mail". */
  if (columns[COL_EMAIL] < 0)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("The CSV file has no e-mail column: the header needs a column named "
                     "“Email”, “E-mail” or “mail”"));
      return FALSE;
    }
  return TRUE;
}

static const char *
column_value (GPtrArray *fields, const int columns[N_COLUMN_ROLES], ColumnRole role)
{
  const char *value;

  if (columns[role] < 0)
    return NULL;
  value = g_ptr_array_index (fields, columns[role]);
  return *value != '\0' ? value : NULL;
}

static gboolean
all_blank (GPtrArray *fields)
{
  for (guint i = 0; i < fields->len; i++)
    {
      for (const char *p = g_ptr_array_index (fields, i); *p != '\0'; p++)
        {
          if (!g_ascii_isspace (*p))
            return FALSE;
        }
    }
  return TRUE;
}

/* Excel writes trailing separators when a sheet once had more columns, in the header
 * and the rows alike: a row must fill the named columns (@width, up to the last named
 * one) and may have any number of empty fields after them. Text beyond them means a
 * separator inside an unquoted field shifted the row. */
static gboolean
check_field_count (GPtrArray *fields, guint width, guint line, GError **error)
{
  g_autofree char *reason = NULL;
  gboolean ok = fields->len >= width;

  for (guint i = width; ok && i < fields->len; i++)
    ok = *(const char *) g_ptr_array_index (fields, i) == '\0';
  if (ok)
    return TRUE;

  reason = g_strdup_printf (_("the row has %u fields but the header has %u; quote fields "
                              "that contain the separator"),
                            fields->len, width);
  set_line_error (error, line, reason);
  return FALSE;
}

/* The number of columns up to the last one with a name. */
static guint
header_width (GPtrArray *header)
{
  guint width = 0;

  for (guint i = 0; i < header->len; i++)
    {
      const char *name = g_ptr_array_index (header, i);

      while (g_ascii_isspace (*name))
        name++;
      if (*name != '\0')
        width = i + 1;
    }
  return width;
}

gboolean
ul_directory_csv_parse (const char    *data,
                        gsize          length,
                        UlCsvEncoding  encoding,
                        GCancellable  *cancellable,
                        GPtrArray    **users,
                        GPtrArray    **skipped,
                        GError       **error)
{
  g_autoptr(UlDirectoryCollector) collector = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autofree char *text = NULL;
  gsize text_length = 0;
  int columns[N_COLUMN_ROLES];
  CsvReader reader = { 0 };
  RecordStatus status;
  guint line = 0;
  guint rows = 0;
  guint width;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (length > UL_CSV_FILE_MAX)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("The CSV file is larger than %d MiB"), UL_CSV_FILE_MAX / (1024 * 1024));
      return FALSE;
    }

  text = decode (data != NULL ? data : "", length, encoding, &text_length, error);
  if (text == NULL)
    return FALSE;

  reader.pos = text;
  reader.end = text + text_length;
  reader.line = 1;

  /* Blank lines before the header are a common hand-editing leftover. */
  while (reader.pos < reader.end && is_line_break (&reader))
    skip_line_break (&reader);
  reader.separator = detect_separator (reader.pos, reader.end);

  header = g_ptr_array_new_with_free_func (g_free);
  status = read_record (&reader, header, &line, error);
  if (status == RECORD_ERROR)
    return FALSE;
  if (status == RECORD_END)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("The CSV file is empty: it needs a header row and one row per user"));
      return FALSE;
    }
  if (!map_header (header, columns, error))
    return FALSE;
  width = header_width (header);

  collector = ul_directory_collector_new ();
  fields = g_ptr_array_new_with_free_func (g_free);
  while ((status = read_record (&reader, fields, &line, error)) == RECORD_OK)
    {
      g_autofree char *full_name = NULL;
      UlDirectoryEntry entry = { 0 };

      if (++rows % CANCEL_CHECK_ROWS == 0
          && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (all_blank (fields))
        continue;
      if (!check_field_count (fields, width, line, error))
        return FALSE;

      entry.extension = column_value (fields, columns, COL_EXTENSION);
      entry.name = column_value (fields, columns, COL_NAME);
      if (entry.name == NULL)
        {
          full_name = g_strjoin (" ",
                                 columns[COL_FIRST_NAME] >= 0
                                   ? (char *) g_ptr_array_index (fields, columns[COL_FIRST_NAME])
                                   : "",
                                 columns[COL_LAST_NAME] >= 0
                                   ? (char *) g_ptr_array_index (fields, columns[COL_LAST_NAME])
                                   : "",
                                 NULL);
          entry.name = full_name;
        }
      entry.email = column_value (fields, columns, COL_EMAIL);
      entry.group = column_value (fields, columns, COL_GROUP);
      entry.cti_device = column_value (fields, columns, COL_CTI_DEVICE);
      entry.line = line;

      if (!ul_directory_collector_add (collector, &entry, error))
        return FALSE;
    }
  if (status == RECORD_ERROR)
    return FALSE;

  ul_directory_collector_finish (collector, users, skipped);
  return TRUE;
}

static gboolean
read_file (const char *path, GCancellable *cancellable, GByteArray **out, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  stream = g_file_read (file, cancellable, &local_error);
  if (stream != NULL)
    info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                                   G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                           cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                     _("Cannot read the CSV file %s: %s"), path, local_error->message);
      return FALSE;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR
      || g_file_info_get_size (info) > UL_CSV_FILE_MAX)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("The CSV file %s is not a regular file of at most %d MiB"), path,
                   UL_CSV_FILE_MAX / (1024 * 1024));
      return FALSE;
    }

  /* Read in chunks up to the cap rather than trusting the size: the file may grow
   * while we read it. */
  bytes = g_byte_array_sized_new ((guint) g_file_info_get_size (info));
  for (;;)
    {
      gsize old_len = bytes->len;
      gssize n;

      g_byte_array_set_size (bytes, old_len + READ_CHUNK);
      n = g_input_stream_read (G_INPUT_STREAM (stream), bytes->data + old_len, READ_CHUNK,
                               cancellable, &local_error);
      if (n < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                         _("Cannot read the CSV file %s: %s"), path, local_error->message);
          return FALSE;
        }
      g_byte_array_set_size (bytes, old_len + (gsize) n);
      if (n == 0)
        break;
      if (bytes->len > UL_CSV_FILE_MAX)
        {
          g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                       _("The CSV file %s is larger than %d MiB"), path,
                       UL_CSV_FILE_MAX / (1024 * 1024));
          return FALSE;
        }
    }

  *out = g_steal_pointer (&bytes);
  return TRUE;
}

gboolean
ul_directory_csv_load (const char    *path,
                       UlCsvEncoding  encoding,
                       GCancellable  *cancellable,
                       GPtrArray    **users,
                       GPtrArray    **skipped,
                       GError       **error)
{
  g_autoptr(GByteArray) bytes = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!read_file (path, cancellable, &bytes, error))
    return FALSE;
  return ul_directory_csv_parse ((const char *) bytes->data, bytes->len, encoding, cancellable,
                                 users, skipped, error);
}
