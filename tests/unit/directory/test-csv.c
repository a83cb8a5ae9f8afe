/* test-csv.c — the CSV directory source, and the fetch API with a CSV file. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "ul-directory-csv.h"
#include "ul-directory-source.h"
#include "ul-test-directory.h"
#include "ul-error.h"
#include "ul-user.h"

typedef struct
{
  GPtrArray *users;
  GPtrArray *skipped;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->users, g_ptr_array_unref);
  g_clear_pointer (&fixture->skipped, g_ptr_array_unref);
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "directory", name, NULL);
}

static gboolean
load (Fixture *fixture, const char *name, UlCsvEncoding encoding, GError **error)
{
  g_autofree char *path = data_path (name);

  return ul_directory_csv_load (path, encoding, NULL, &fixture->users, &fixture->skipped, error);
}

static gboolean
parse (Fixture *fixture, const char *text, GError **error)
{
  return ul_directory_csv_parse (text, strlen (text), UL_CSV_ENCODING_AUTO, NULL,
                                 &fixture->users, &fixture->skipped, error);
}

static UlUser *
find_user (GPtrArray *users, const char *extension)
{
  for (guint i = 0; i < users->len; i++)
    {
      UlUser *user = g_ptr_array_index (users, i);

      if (g_str_equal (user->extension, extension))
        return user;
    }
  g_error ("no user %s", extension);
}

/* The error is UL_ERROR_DIRECTORY_FAILED and its message contains @needle. */
static void
assert_directory_error (const GError *error, const char *needle)
{
  g_assert_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, needle));
}

static void
test_utf8_bom (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  UlUser *anna;

  g_assert_true (load (fixture, "utf8-bom.csv", UL_CSV_ENCODING_AUTO, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->users->len, ==, 2);
  g_assert_cmpuint (fixture->skipped->len, ==, 0);

  /* The BOM must not become part of the first header name. */
  anna = find_user (fixture->users, "201");
  g_assert_cmpstr (anna->name, ==, "Anna Äbischer");
  g_assert_cmpstr (anna->email, ==, "anna@example.com");
  g_assert_cmpstr (anna->user_group, ==, "Sales");
  g_assert_cmpstr (ul_user_get_cti_device (anna), ==, "201");
  g_assert_cmpint (anna->eligibility, ==, UL_USER_ELIGIBILITY_ELIGIBLE);
  g_assert_cmpstr (find_user (fixture->users, "202")->name, ==, "Zoë Brontë");
}

static void
test_latin1 (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  UlUser *juergen;

  g_assert_true (load (fixture, "latin1.csv", UL_CSV_ENCODING_AUTO, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->users->len, ==, 2);

  juergen = find_user (fixture->users, "301");
  g_assert_cmpstr (juergen->name, ==, "Jürgen Müller");
  g_assert_cmpstr (juergen->email, ==, "juergen.mueller@example.de");
  g_assert_cmpstr (juergen->user_group, ==, "Vertrieb");
  g_assert_cmpstr (find_user (fixture->users, "302")->name, ==, "Françoise Lefèvre");
  g_assert_cmpstr (find_user (fixture->users, "302")->user_group, ==, "Büro");
}

static void
test_latin1_explicit (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (load (fixture, "latin1.csv", UL_CSV_ENCODING_LATIN1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (find_user (fixture->users, "301")->name, ==, "Jürgen Müller");
  g_clear_pointer (&fixture->users, g_ptr_array_unref);
  g_clear_pointer (&fixture->skipped, g_ptr_array_unref);

  /* Forcing UTF-8 on a Latin-1 file names the line with the first bad byte. */
  g_assert_false (load (fixture, "latin1.csv", UL_CSV_ENCODING_UTF8, &error));
  assert_directory_error (error, "Line 2");
}

static void
test_windows_1252 (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  /* 0x80 is € in windows-1252 (what "Latin-1" files from Windows really are). */
  g_assert_true (parse (fixture, "ext,name,mail\n201,Caf\xe9 \x80 Team,cafe@example.com\n",
                        &error));
  g_assert_no_error (error);
  g_assert_cmpstr (find_user (fixture->users, "201")->name, ==, "Café € Team");
}

static void
test_semicolon (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  UlUser *erika;

  g_assert_true (load (fixture, "semicolon.csv", UL_CSV_ENCODING_AUTO, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->users->len, ==, 2);
  g_assert_cmpstr (find_user (fixture->users, "401")->name, ==, "Max Muster");
  g_assert_cmpstr (find_user (fixture->users, "401")->user_group, ==, "Sales");
  erika = find_user (fixture->users, "402");
  g_assert_cmpstr (erika->email, ==, "erika@example.com");
  g_assert_null (erika->user_group);
}

static void
test_quoted (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  UlDirectorySkip *skip;

  g_assert_true (load (fixture, "quoted.csv", UL_CSV_ENCODING_AUTO, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->users->len, ==, 4);

  g_assert_cmpstr (find_user (fixture->users, "501")->name, ==, "Muster, Max");
  g_assert_cmpstr (find_user (fixture->users, "501")->user_group, ==, "Sales, North");
  g_assert_cmpstr (find_user (fixture->users, "502")->name, ==, "Anna \"Nan\" Smith");
  /* Line breaks inside a name become a space. */
  g_assert_cmpstr (find_user (fixture->users, "503")->name, ==, "Line Break");
  g_assert_cmpstr (find_user (fixture->users, "503")->user_group, ==, "Multi Line");
  g_assert_cmpstr (find_user (fixture->users, "504")->name, ==, "Quoted Number");
  g_assert_null (find_user (fixture->users, "504")->user_group);

  /* Line numbers count physical lines: the row after the two embedded breaks is 7. */
  g_assert_cmpuint (fixture->skipped->len, ==, 1);
  skip = g_ptr_array_index (fixture->skipped, 0);
  g_assert_cmpint (skip->reason, ==, UL_DIRECTORY_SKIP_NO_EXTENSION);
  g_assert_cmpuint (skip->line, ==, 7);
  g_assert_cmpstr (skip->name, ==, "No Extension");
  g_assert_null (skip->dn);
  g_assert_nonnull (strstr (skip->message, "line 7"));
}

static void
test_space_before_quote (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (parse (fixture, "ext, name, mail\n201, \"Muster, Max\" , max@example.com\n",
                        &error));
  g_assert_no_error (error);
  g_assert_cmpstr (find_user (fixture->users, "201")->name, ==, "Muster, Max");
  g_assert_cmpstr (find_user (fixture->users, "201")->email, ==, "max@example.com");
}

static void
test_missing_extension_column (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (load (fixture, "missing-extension.csv", UL_CSV_ENCODING_AUTO, &error));
  assert_directory_error (error, "extension column");
  g_assert_null (fixture->users);
}

static void
test_missing_other_columns (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (parse (fixture, "Extension,Email\n201,a@example.com\n", &error));
  assert_directory_error (error, "name column");
  g_clear_error (&error);

  g_assert_false (parse (fixture, "Extension,Name\n201,Anna\n", &error));
  assert_directory_error (error, "e-mail column");
}

static void
test_unterminated_quote (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (load (fixture, "unterminated.csv", UL_CSV_ENCODING_AUTO, &error));
  assert_directory_error (error, "Line 4");
}

static void
test_field_count (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (load (fixture, "field-count.csv", UL_CSV_ENCODING_AUTO, &error));
  assert_directory_error (error, "Line 3");
  g_clear_error (&error);

  g_assert_false (parse (fixture, "ext,name,mail\n201,Anna\n", &error));
  assert_directory_error (error, "Line 2");
}

static void
test_text_after_quote (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (parse (fixture, "ext,name,mail\n201,\"Anna\" Meier,a@example.com\n", &error));
  assert_directory_error (error, "Line 2");
}

static void
test_first_last (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gboolean seen_duplicate = FALSE, seen_invalid = FALSE;

  g_assert_true (load (fixture, "first-last.csv", UL_CSV_ENCODING_AUTO, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (fixture->users->len, ==, 5);
  g_assert_cmpstr (find_user (fixture->users, "201")->name, ==, "Anna Meier");
  g_assert_cmpstr (find_user (fixture->users, "201")->user_group, ==, "Sales");
  g_assert_cmpstr (find_user (fixture->users, "202")->name, ==, "Bob");
  g_assert_cmpstr (find_user (fixture->users, "203")->name, ==, "Keller");

  g_assert_cmpint (find_user (fixture->users, "201")->eligibility, ==,
                   UL_USER_ELIGIBILITY_ELIGIBLE);
  g_assert_cmpint (find_user (fixture->users, "202")->eligibility, ==,
                   UL_USER_ELIGIBILITY_NO_EMAIL);
  g_assert_cmpint (find_user (fixture->users, "203")->eligibility, ==,
                   UL_USER_ELIGIBILITY_INVALID_EMAIL);
  g_assert_cmpint (find_user (fixture->users, "204")->eligibility, ==,
                   UL_USER_ELIGIBILITY_DUPLICATE_EMAIL);
  g_assert_cmpint (find_user (fixture->users, "205")->eligibility, ==,
                   UL_USER_ELIGIBILITY_DUPLICATE_EMAIL);

  /* Extension 201 twice: the first row wins and the second is reported. */
  g_assert_cmpstr (find_user (fixture->users, "201")->email, ==, "anna@example.com");
  g_assert_cmpuint (fixture->skipped->len, ==, 2);
  for (guint i = 0; i < fixture->skipped->len; i++)
    {
      UlDirectorySkip *skip = g_ptr_array_index (fixture->skipped, i);

      g_test_message ("%s", skip->message);
      if (skip->reason == UL_DIRECTORY_SKIP_DUPLICATE_EXTENSION)
        {
          seen_duplicate = TRUE;
          g_assert_cmpstr (skip->extension, ==, "201");
          g_assert_cmpuint (skip->line, ==, 7);
          g_assert_nonnull (strstr (skip->message, "line 2"));
        }
      else
        {
          seen_invalid = TRUE;
          g_assert_cmpint (skip->reason, ==, UL_DIRECTORY_SKIP_INVALID_EXTENSION);
          g_assert_cmpstr (skip->extension, ==, "12ab");
          g_assert_cmpuint (skip->line, ==, 8);
        }
    }
  g_assert_true (seen_duplicate && seen_invalid);
}

static void
test_header_names (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  UlUser *user;

  g_assert_true (parse (fixture,
                        "\"TELEPHONENUMBER\"\t CN \tE_Mail\tuser-group\tUse for CTI\tNotes\n"
                        "+41 44 555-12 34\tAnna\tanna@example.com\tSales\t(201)\tx\n",
                        &error));
  g_assert_no_error (error);
  user = find_user (fixture->users, "+41445551234");
  g_assert_cmpstr (user->name, ==, "Anna");
  g_assert_cmpstr (user->email, ==, "anna@example.com");
  g_assert_cmpstr (user->user_group, ==, "Sales");
  g_assert_cmpstr (ul_user_get_cti_device (user), ==, "201");
}

static void
test_blank_lines_and_trailing_separators (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  /* Excel leaves empty rows and trailing separators; CR-only line ends from old Macs. */
  g_assert_true (parse (fixture,
                        "\r\n\r\nExt;Name;Mail;;\r\n201;Anna;a@example.com;;\r\n;;;;\r\n\r\n"
                        "202;Bob;b@example.com;;\r203;Carla;c@example.com",
                        &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->users->len, ==, 3);
  g_assert_cmpuint (fixture->skipped->len, ==, 0);
  g_assert_cmpstr (find_user (fixture->users, "203")->email, ==, "c@example.com");
}

static void
test_empty (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (parse (fixture, "", &error));
  assert_directory_error (error, "empty");
  g_clear_error (&error);

  g_assert_false (parse (fixture, "\n\n", &error));
  assert_directory_error (error, "empty");
  g_clear_error (&error);

  /* A header alone is a directory without users. */
  g_assert_true (parse (fixture, "extension,name,email\n", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->users->len, ==, 0);
}

static void
test_bounds (Fixture *fixture, gconstpointer data)
{
  static const char nul_text[] = "ext,name,mail\n2\0" "01,a,b\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new ("ext,name,mail\n201,");
  g_autofree char *huge = NULL;

  for (guint i = 0; i < UL_CSV_FIELD_MAX + 1; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, ",a@example.com\n");
  g_assert_false (parse (fixture, text->str, &error));
  assert_directory_error (error, "Line 2");
  g_clear_error (&error);

  /* Over the size cap: refused before any decoding. */
  huge = g_malloc0 (UL_CSV_FILE_MAX + 1);
  g_assert_false (ul_directory_csv_parse (huge, UL_CSV_FILE_MAX + 1, UL_CSV_ENCODING_AUTO, NULL,
                                          &fixture->users, &fixture->skipped, &error));
  assert_directory_error (error, "MiB");
  g_clear_error (&error);

  /* NUL bytes: not a text export. */
  g_assert_false (ul_directory_csv_parse (nul_text, sizeof (nul_text) - 1, UL_CSV_ENCODING_AUTO,
                                          NULL, &fixture->users, &fixture->skipped, &error));
  assert_directory_error (error, "NUL");
}

static void
test_invalid_values (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new ("ext,name,mail,group\n201,");
  UlDirectorySkip *skip;

  /* A name longer than the model allows skips the row, it does not fail the file. */
  for (guint i = 0; i < 300; i++)
    g_string_append_c (text, 'n');
  g_string_append (text, ",a@example.com,Sales\n202,Bob,b@example.com,\"Bad\x01Group\"\n"
                         "203,Carla,c@example.com,Sales\n");
  g_assert_true (parse (fixture, text->str, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->users->len, ==, 1);
  g_assert_cmpuint (fixture->skipped->len, ==, 2);
  skip = g_ptr_array_index (fixture->skipped, 0);
  g_assert_cmpint (skip->reason, ==, UL_DIRECTORY_SKIP_INVALID_ENTRY);
  g_assert_cmpuint (skip->line, ==, 2);
  g_assert_cmpstr (skip->extension, ==, "201");
  g_assert_null (skip->name);
  skip = g_ptr_array_index (fixture->skipped, 1);
  g_assert_cmpint (skip->reason, ==, UL_DIRECTORY_SKIP_INVALID_ENTRY);
  g_assert_cmpstr (skip->extension, ==, "202");
}

static void
test_utf16 (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *utf16 = NULL;
  g_autoptr(GString) bytes = g_string_new ("\xff\xfe");
  gsize len = 0;

  utf16 = g_convert ("Extension\tName\tEmail\r\n201\tJürgen\tj@example.com\r\n", -1, "UTF-16LE",
                     "UTF-8", NULL, &len, NULL);
  g_assert_nonnull (utf16);
  g_string_append_len (bytes, utf16, (gssize) len);
  g_assert_true (ul_directory_csv_parse (bytes->str, bytes->len, UL_CSV_ENCODING_AUTO, NULL,
                                         &fixture->users, &fixture->skipped, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (find_user (fixture->users, "201")->name, ==, "Jürgen");
}

static void
test_fetch_async (Fixture *fixture, gconstpointer user_data)
{
  g_autoptr(UlDirectoryConfig) config = ul_directory_config_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  UlTestFetch data = { 0 };

  /* Nothing configured. */
  ul_test_fetch (config, NULL, &data);
  g_assert_error (data.error, UL_ERROR, UL_ERROR_WRONG_STATE);
  g_assert_null (data.users);
  ul_test_fetch_clear (&data);

  /* Invalid settings are refused before any work, naming the field. */
  config->kind = UL_DIRECTORY_KIND_CSV;
  config->csv_path = g_strdup ("relative.csv");
  ul_test_fetch (config, NULL, &data);
  g_assert_error (data.error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT);
  ul_test_fetch_clear (&data);

  /* A missing file. */
  g_free (config->csv_path);
  config->csv_path = data_path ("does-not-exist.csv");
  ul_test_fetch (config, NULL, &data);
  g_assert_error (data.error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED);
  g_assert_nonnull (strstr (data.error->message, "does-not-exist.csv"));
  ul_test_fetch_clear (&data);

  /* The real thing: users sorted by extension, skips in file order. */
  g_free (config->csv_path);
  config->csv_path = data_path ("first-last.csv");
  ul_test_fetch (config, NULL, &data);
  g_assert_no_error (data.error);
  g_assert_cmpuint (data.users->len, ==, 5);
  for (guint i = 1; i < data.users->len; i++)
    {
      UlUser *a = g_ptr_array_index (data.users, i - 1);
      UlUser *b = g_ptr_array_index (data.users, i);

      g_assert_cmpint (ul_extension_compare (a->extension, b->extension), <, 0);
    }
  g_assert_cmpuint (data.skipped->len, ==, 2);
  ul_test_fetch_clear (&data);

  /* Cancelled before it starts. */
  g_cancellable_cancel (cancellable);
  ul_test_fetch (config, cancellable, &data);
  g_assert_error (data.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  ul_test_fetch_clear (&data);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/uplink/directory/csv/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("utf8-bom", test_utf8_bom);
  ADD ("latin1", test_latin1);
  ADD ("latin1-explicit", test_latin1_explicit);
  ADD ("windows-1252", test_windows_1252);
  ADD ("utf16", test_utf16);
  ADD ("semicolon", test_semicolon);
  ADD ("quoted", test_quoted);
  ADD ("space-before-quote", test_space_before_quote);
  ADD ("missing-extension-column", test_missing_extension_column);
  ADD ("missing-other-columns", test_missing_other_columns);
  ADD ("unterminated-quote", test_unterminated_quote);
  ADD ("field-count", test_field_count);
  ADD ("text-after-quote", test_text_after_quote);
  ADD ("first-last-name", test_first_last);
  ADD ("header-names", test_header_names);
  ADD ("blank-lines", test_blank_lines_and_trailing_separators);
  ADD ("empty", test_empty);
  ADD ("bounds", test_bounds);
  ADD ("invalid-values", test_invalid_values);
  ADD ("fetch-async", test_fetch_async);

#undef ADD

  return g_test_run ();
}
