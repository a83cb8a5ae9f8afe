/* test-catalog.c — UlCatalog, the .mo reader of the registration pages: the catalogs this
 * build compiled (in both byte orders, msgfmt --endianness=big making the other one),
 * hand-made files for each rule of the format, and truncated and corrupted files, which
 * must be refused with an error and never read out of bounds (the sanitizer build runs
 * this too). */
#include "config.h"

#include <string.h>

#include "ul-catalog.h"

#define MO_MAGIC 0x950412deU

static char *
built_catalog_path (const char *language)
{
  const char *dir = g_getenv ("UL_LOCALEDIR");

  g_assert_nonnull (dir);
  return g_build_filename (dir, language, "LC_MESSAGES", "uplink.mo", NULL);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
test_built (void)
{
  g_autofree char *path = built_catalog_path ("de");
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCatalog) catalog = ul_catalog_new_from_file (path, &error);
  const char *missing = "No such message anywhere";

  g_assert_no_error (error);
  g_assert_cmpuint (ul_catalog_get_n_messages (catalog), >, 500);
  g_assert_cmpstr (ul_catalog_gettext (catalog, "Extension"), ==, "Nebenstelle");
  g_assert_cmpstr (ul_catalog_gettext (catalog, "Finish building your account"), ==,
                   "Einrichtung Ihres Kontos abschließen");
  g_assert_cmpstr (ul_catalog_format (catalog, "Use between %d and %d characters"), ==,
                   "Verwenden Sie %d bis %d Zeichen");
  /* No translation: the msgid itself, the same pointer. */
  g_assert_true (ul_catalog_gettext (catalog, missing) == missing);
  /* The header is not a message. */
  g_assert_cmpstr (ul_catalog_gettext (catalog, ""), ==, "");
  /* No catalog: the source language. */
  g_assert_true (ul_catalog_gettext (NULL, missing) == missing);
  g_assert_true (ul_catalog_format (NULL, missing) == missing);
}

/* msgfmt --endianness=big wrote the other byte order of the same po/de.po. */
static void
test_big_endian (void)
{
  g_autofree char *little_path = built_catalog_path ("de");
  const char *big_path = g_getenv ("UL_CATALOG_BIG");
  g_autoptr(GBytes) big_bytes = NULL;
  g_autoptr(UlCatalog) little = NULL;
  g_autoptr(UlCatalog) big = NULL;
  g_autoptr(GError) error = NULL;
  guint32 magic;
  const char * const msgids[] = { "Extension", "Name", "Language", "Finish building your account",
                                  "This link has expired", "Use between %d and %d characters",
                                  NULL };

  g_assert_nonnull (big_path);
  big_bytes = read_bytes (big_path);
  memcpy (&magic, g_bytes_get_data (big_bytes, NULL), sizeof magic);
  g_assert_cmphex (GUINT32_FROM_BE (magic), ==, MO_MAGIC);

  little = ul_catalog_new_from_file (little_path, &error);
  g_assert_no_error (error);
  big = ul_catalog_new_from_bytes (big_bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ul_catalog_get_n_messages (big), ==, ul_catalog_get_n_messages (little));
  for (guint i = 0; msgids[i] != NULL; i++)
    {
      g_assert_true (ul_catalog_gettext (big, msgids[i]) != msgids[i]);
      g_assert_cmpstr (ul_catalog_gettext (big, msgids[i]), ==,
                       ul_catalog_gettext (little, msgids[i]));
    }
}

static void
test_load (void)
{
  const char *dir = g_getenv ("UL_LOCALEDIR");
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCatalog) catalog = NULL;
  const char * const languages[] = { "de", "fr", "it", "es", "nl", NULL };

  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autoptr(UlCatalog) loaded = ul_catalog_load (dir, languages[i], GETTEXT_PACKAGE, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (ul_catalog_gettext (loaded, "This link is not valid"), !=,
                       "This link is not valid");
    }

  /* A language tag is never a path. */
  catalog = ul_catalog_load (dir, "../de", GETTEXT_PACKAGE, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (catalog);
  g_clear_error (&error);
  catalog = ul_catalog_load (dir, "", GETTEXT_PACKAGE, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  catalog = ul_catalog_load (dir, "xx", GETTEXT_PACKAGE, &error);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_null (catalog);
}

/* A hand-made .mo file. */

typedef struct
{
  const char *id;
  gssize      id_length;   /* -1: strlen */
  const char *str;
  gssize      str_length;
} Entry;

typedef struct
{
  GByteArray *out;
  gboolean    big;
} Writer;

static void
put_word (Writer *w, guint32 value)
{
  guint32 word = w->big ? GUINT32_TO_BE (value) : GUINT32_TO_LE (value);

  g_byte_array_append (w->out, (const guint8 *) &word, sizeof word);
}

/* The layout msgfmt writes: header, table of originals, table of translations, no hash
 * table, then the strings, each with its NUL. */
static GBytes *
build_mo (const Entry *entries, guint n, gboolean big, guint32 revision)
{
  Writer w = { g_byte_array_new (), big };
  gsize strings = 28 + 16 * (gsize) n;
  gsize offset = strings;

  put_word (&w, MO_MAGIC);
  put_word (&w, revision);
  put_word (&w, n);
  put_word (&w, 28);
  put_word (&w, 28 + 8 * n);
  put_word (&w, 0);
  put_word (&w, strings);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        const char *text = pass == 0 ? entries[i].id : entries[i].str;
        gssize length = pass == 0 ? entries[i].id_length : entries[i].str_length;

        length = length < 0 ? (gssize) strlen (text) : length;
        put_word (&w, (guint32) length);
        put_word (&w, (guint32) offset);
        offset += (gsize) length + 1;
      }
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        const char *text = pass == 0 ? entries[i].id : entries[i].str;
        gssize length = pass == 0 ? entries[i].id_length : entries[i].str_length;

        length = length < 0 ? (gssize) strlen (text) : length;
        g_byte_array_append (w.out, (const guint8 *) text, (guint) length);
        g_byte_array_append (w.out, (const guint8 *) "", 1);
      }
  return g_byte_array_free_to_bytes (w.out);
}

#define HEADER "Content-Type: text/plain; charset=UTF-8\n"

static UlCatalog *
parse_ok (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  UlCatalog *catalog = ul_catalog_new_from_bytes (bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  return catalog;
}

static void
assert_refused (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCatalog) catalog = ul_catalog_new_from_bytes (bytes, &error);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (catalog);
  g_assert_cmpuint (strlen (error->message), >, 0);
}

static void
test_hand_made (void)
{
  const Entry entries[] = {
    { "", -1, HEADER, -1 },
    { "Hello", -1, "Hallo", -1 },
    { "file\0files", 10, "Datei\0Dateien", 13 },
    { "untranslated", -1, "", -1 },
  };

  for (guint big = 0; big < 2; big++)
    {
      g_autoptr(GBytes) bytes = build_mo (entries, G_N_ELEMENTS (entries), big, 0);
      g_autoptr(UlCatalog) catalog = parse_ok (bytes);

      g_assert_cmpuint (ul_catalog_get_n_messages (catalog), ==, 2);
      g_assert_cmpstr (ul_catalog_gettext (catalog, "Hello"), ==, "Hallo");
      /* A plural entry answers for its singular with its first form. */
      g_assert_cmpstr (ul_catalog_gettext (catalog, "file"), ==, "Datei");
      g_assert_cmpstr (ul_catalog_gettext (catalog, "files"), ==, "files");
      g_assert_cmpstr (ul_catalog_gettext (catalog, "untranslated"), ==, "untranslated");
    }

  /* Revision 1 (system-dependent strings, which are not read) is fine, major 2 is not. */
  {
    g_autoptr(GBytes) bytes = build_mo (entries, G_N_ELEMENTS (entries), FALSE, 0x00010001);
    g_autoptr(UlCatalog) catalog = parse_ok (bytes);
    g_autoptr(GBytes) future = build_mo (entries, G_N_ELEMENTS (entries), FALSE, 0x00020000);

    g_assert_cmpstr (ul_catalog_gettext (catalog, "Hello"), ==, "Hallo");
    assert_refused (future);
  }
}

static void
test_refused (void)
{
  const Entry latin1[] = { { "", -1, "Content-Type: text/plain; charset=ISO-8859-1\n", -1 },
                           { "Hello", -1, "Hallo", -1 } };
  const Entry one[] = { { "", -1, HEADER, -1 }, { "Hello", -1, "Hallo", -1 } };
  g_autoptr(GBytes) valid = build_mo (one, G_N_ELEMENTS (one), FALSE, 0);
  gsize size = g_bytes_get_size (valid);
  g_autoptr(GByteArray) copy = NULL;

  /* Not UTF-8: the pages are. */
  {
    g_autoptr(GBytes) bytes = build_mo (latin1, G_N_ELEMENTS (latin1), FALSE, 0);
    assert_refused (bytes);
  }

  /* Shorter than the header, and a wrong magic number. */
  {
    g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
    g_autoptr(GBytes) header = g_bytes_new_from_bytes (valid, 0, 27);
    g_autoptr(GBytes) garbage = g_bytes_new_static ("GIF89a this is no catalog at all", 32);

    assert_refused (empty);
    assert_refused (header);
    assert_refused (garbage);
  }

  /* Counts and offsets that point past the end, also where 32-bit sums would wrap. */
  {
    /* Words of the file above: N at 8, O at 12, T at 16, then the (length, offset)
     * pairs of the originals from 28 and of the translations from 44. */
    const struct
    {
      gsize   offset[2];
      guint32 value[2];
    } patches[] = {
      { { 8, 8 }, { 0xffffffffU, 0xffffffffU } },   /* far more strings than the file has */
      { { 12, 12 }, { (guint32) size, 0 } },        /* originals after the end */
      { { 16, 16 }, { 0xfffffff8U, 0 } },           /* translations near 4 GiB */
      { { 28, 28 }, { 0x7fffffffU, 0 } },           /* a msgid longer than the file */
      { { 40, 40 }, { 0xfffffff0U, 0 } },           /* a msgid after the end */
      /* Length 0x20 at offset 0xfffffff0 ends at 0x10 in 32 bits: inside the file. */
      { { 36, 40 }, { 0x20U, 0xfffffff0U } },
      { { 44, 44 }, { 0x20U, 0 } },                 /* the header's text without its NUL */
    };

    for (guint i = 0; i < G_N_ELEMENTS (patches); i++)
      {
        g_autoptr(GBytes) bytes = NULL;

        g_clear_pointer (&copy, g_byte_array_unref);
        copy = g_byte_array_new ();
        g_byte_array_append (copy, g_bytes_get_data (valid, NULL), (guint) size);
        for (guint j = 0; j < 2; j++)
          {
            guint32 word = GUINT32_TO_LE (patches[i].value[j]);

            if (j == 0 || patches[i].offset[1] != patches[i].offset[0])
              memcpy (copy->data + patches[i].offset[j], &word, sizeof word);
          }
        bytes = g_bytes_new (copy->data, copy->len);
        assert_refused (bytes);
      }
  }

  /* A string without its NUL. */
  {
    g_autoptr(GBytes) bytes = NULL;

    g_clear_pointer (&copy, g_byte_array_unref);
    copy = g_byte_array_new ();
    g_byte_array_append (copy, g_bytes_get_data (valid, NULL), (guint) size);
    copy->data[copy->len - 1] = 'x';
    bytes = g_bytes_new (copy->data, copy->len);
    assert_refused (bytes);
  }

  /* Larger than any catalog: refused before it is looked at. */
  {
    gsize huge_size = UL_CATALOG_MAX_SIZE + 1;
    guint8 *huge = g_malloc0 (huge_size);
    g_autoptr(GBytes) bytes = NULL;

    memcpy (huge, g_bytes_get_data (valid, NULL), size);
    bytes = g_bytes_new_take (huge, huge_size);
    assert_refused (bytes);
  }
}

/* Only valid UTF-8 comes out; a bad translation is dropped, not the catalog. */
static void
test_invalid_utf8 (void)
{
  const Entry entries[] = {
    { "", -1, HEADER, -1 },
    { "Bad", -1, "B\xc3\x28se", -1 },
    { "Good", -1, "Gut", -1 },
    { "Good", -1, "Second", -1 },
  };
  g_autoptr(GBytes) bytes = build_mo (entries, G_N_ELEMENTS (entries), FALSE, 0);
  g_autoptr(UlCatalog) catalog = parse_ok (bytes);

  g_assert_cmpstr (ul_catalog_gettext (catalog, "Bad"), ==, "Bad");
  /* Duplicates: the first wins, as with binary search in a sorted table. */
  g_assert_cmpstr (ul_catalog_gettext (catalog, "Good"), ==, "Gut");
  g_assert_cmpuint (ul_catalog_get_n_messages (catalog), ==, 1);
}

/* A translated format is only used when printf would read the same arguments. */
static void
test_formats (void)
{
  const Entry entries[] = {
    { "", -1, HEADER, -1 },
    { "%d of %s", -1, "%d von %s", -1 },
    { "%s and %d", -1, "%d und %s", -1 },
    { "%s only", -1, "nur %s %s", -1 },
    { "%s here", -1, "%1$s hier", -1 },
    { "%s there", -1, "%s%n dort", -1 },
    { "%ld long", -1, "%d lang", -1 },
    { "%5.2f%% done", -1, "%-8.3f%% fertig", -1 },
    { "%s unfinished", -1, "%s unfertig %", -1 },
    { "%s star", -1, "%*s Stern", -1 },
  };
  g_autoptr(GBytes) bytes = build_mo (entries, G_N_ELEMENTS (entries), FALSE, 0);
  g_autoptr(UlCatalog) catalog = parse_ok (bytes);

  g_assert_cmpstr (ul_catalog_format (catalog, "%d of %s"), ==, "%d von %s");
  g_assert_cmpstr (ul_catalog_format (catalog, "%5.2f%% done"), ==, "%-8.3f%% fertig");
  /* Reordered, an extra argument, positional, %n, another size, unfinished, a star. */
  g_assert_cmpstr (ul_catalog_format (catalog, "%s and %d"), ==, "%s and %d");
  g_assert_cmpstr (ul_catalog_format (catalog, "%s only"), ==, "%s only");
  g_assert_cmpstr (ul_catalog_format (catalog, "%s here"), ==, "%s here");
  g_assert_cmpstr (ul_catalog_format (catalog, "%s there"), ==, "%s there");
  g_assert_cmpstr (ul_catalog_format (catalog, "%ld long"), ==, "%ld long");
  g_assert_cmpstr (ul_catalog_format (catalog, "%s unfinished"), ==, "%s unfinished");
  g_assert_cmpstr (ul_catalog_format (catalog, "%s star"), ==, "%s star");
  /* ul_catalog_gettext() does not judge formats. */
  g_assert_cmpstr (ul_catalog_gettext (catalog, "%s and %d"), ==, "%d und %s");
}

/* Every truncation of a real catalog is refused: the last string ends with the file. */
static void
test_truncated (void)
{
  g_autofree char *path = built_catalog_path ("de");
  g_autoptr(GBytes) bytes = read_bytes (path);
  gsize size = g_bytes_get_size (bytes);
  guint tried = 0;

  for (gsize length = 0; length < size; length += length < 1024 || length + 64 > size ? 1 : 37)
    {
      g_autoptr(GBytes) prefix = g_bytes_new_from_bytes (bytes, 0, length);

      assert_refused (prefix);
      tried++;
    }
  g_test_message ("%u truncations of a %" G_GSIZE_FORMAT "-byte catalog refused", tried, size);
}

/* Random damage: refused, or read without reading out of bounds and without letting
 * anything but UTF-8 out. */
static void
test_corrupted (void)
{
  g_autofree char *path = built_catalog_path ("fr");
  g_autoptr(GBytes) bytes = read_bytes (path);
  gsize size = g_bytes_get_size (bytes);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  const char * const msgids[] = { "Extension", "Name", "This link has expired",
                                  "Finish building your account", NULL };
  guint refused = 0, read = 0;

  for (guint round = 0; round < 1500; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(UlCatalog) catalog = NULL;
      g_autoptr(GBytes) damaged = NULL;
      guint8 *data = g_memdup2 (g_bytes_get_data (bytes, NULL), size);
      /* Mostly the header and tables, where one byte moves everything. */
      gsize limit = g_rand_boolean (rand) ? MIN (size, 8192) : size;

      for (guint flips = g_rand_int_range (rand, 1, 4); flips > 0; flips--)
        data[g_rand_int_range (rand, 0, (gint32) limit)] = (guint8) g_rand_int_range (rand, 0, 256);
      damaged = g_bytes_new_take (data, size);
      catalog = ul_catalog_new_from_bytes (damaged, &error);
      if (catalog == NULL)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
          refused++;
          continue;
        }
      read++;
      for (guint i = 0; msgids[i] != NULL; i++)
        g_assert_true (g_utf8_validate (ul_catalog_gettext (catalog, msgids[i]), -1, NULL));
    }
  g_test_message ("damaged catalogs: %u refused, %u read", refused, read);
  g_assert_cmpuint (refused, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/catalog/built", test_built);
  g_test_add_func ("/uplink/catalog/big-endian", test_big_endian);
  g_test_add_func ("/uplink/catalog/load", test_load);
  g_test_add_func ("/uplink/catalog/hand-made", test_hand_made);
  g_test_add_func ("/uplink/catalog/refused", test_refused);
  g_test_add_func ("/uplink/catalog/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/uplink/catalog/formats", test_formats);
  g_test_add_func ("/uplink/catalog/truncated", test_truncated);
  g_test_add_func ("/uplink/catalog/corrupted", test_corrupted);
  return g_test_run ();
}
