/* test-http-json.c — the JSON checks and conversions of the HTTPS frontend, without a
 * daemon: the strict validator (grammar, depth, encoding, numbers), the checked JSON →
 * a{sv} conversion (types, templates for empty lists, nulls, mixed lists, field paths),
 * the GVariant → JSON encoder, and the whole JSONTestSuite corpus through the parser. */
#include "config.h"

#include <string.h>

#include "ul-error.h"
#include "ul-http-json.h"

static void
assert_valid (const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!ul_http_json_validate (text, strlen (text), UL_HTTP_JSON_MAX_DEPTH, &error))
    g_error ("%s refused: %s", text, error->message);
}

static void
assert_invalid (const char *text, gsize length, const char *reason)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ul_http_json_validate (text, length, UL_HTTP_JSON_MAX_DEPTH, &error));
  g_assert_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT);
  if (strstr (error->message, reason) == NULL)
    g_error ("%.40s: expected “%s”, got “%s”", text, reason, error->message);
}

static void
test_validate (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);

  assert_valid ("{}");
  assert_valid (" [1, -0, 0.5e-3, 9223372036854775807, -9223372036854775808, 1E400] ");
  assert_valid ("{\"a\": {\"b\": [true, false, null, \"\\u00e9\\ud83d\\ude00\\n\"]}}");
  assert_valid ("\"Zoë Ångström\"");

  assert_invalid ("", 0, "no value");
  assert_invalid ("{", 1, "expected a member name");
  assert_invalid ("[1,]", 4, "unexpected character");
  assert_invalid ("{\"a\" 1}", 7, "expected ‘:’");
  assert_invalid ("[01]", 4, "expected ‘,’ or ‘]’");
  assert_invalid ("[1.]", 4, "bad number");
  assert_invalid ("[-]", 3, "bad number");
  assert_invalid ("9223372036854775808", 19, "out of range");
  assert_invalid ("[\"a\tb\"]", 7, "control character");
  assert_invalid ("[\"\\x\"]", 6, "bad escape");
  assert_invalid ("[\"\\u00\"]", 8, "bad \\u escape");
  assert_invalid ("[\"\\u0000\"]", 10, "NUL");
  assert_invalid ("[\"\\udc00\"]", 10, "lone surrogate");
  assert_invalid ("[\"\\ud800x\"]", 11, "lone surrogate");
  assert_invalid ("[\"a\0b\"]", 7, "NUL byte");
  assert_invalid ("[\"\xff\"]", 5, "invalid UTF-8");
  assert_invalid ("\xef\xbb\xbf{}", 5, "unexpected character");
  assert_invalid ("{} {}", 5, "text after the value");
  assert_invalid ("[tru]", 5, "unexpected character");
  assert_invalid ("'a'", 3, "unexpected character");

  /* Exactly the limit passes; one more does not, and 100,000 levels are no problem. */
  for (int i = 0; i < UL_HTTP_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < UL_HTTP_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  assert_valid (deep->str);
  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  assert_invalid (deep->str, deep->len, "nested too deeply");
  g_string_truncate (deep, 0);
  for (int i = 0; i < 100000; i++)
    g_string_append (deep, "{\"a\":[");
  assert_invalid (deep->str, deep->len, "nested too deeply");
}

static GVariant *
parse (const char *text, GVariant *template, GError **error)
{
  GVariant *value = ul_http_json_parse_object (text, strlen (text), template, error);

  return value != NULL ? g_variant_ref_sink (value) : NULL;
}

static void
assert_parse_error (const char *text, const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = parse (text, NULL, &error);
  g_autofree char *got = NULL;

  g_assert_null (value);
  g_assert_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT);
  got = ul_error_get_field (error);
  g_assert_cmpstr (got, ==, field);
}

static void
test_to_variant (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GVariant) template = NULL;

  value = parse ("{\"name\": \"ACME\", \"port\": 7001, \"ratio\": 0.5, \"on\": true,"
                 " \"address\": {\"city\": \"Zürich\"}, \"dns\": [\"a\", \"b\"],"
                 " \"ids\": [1, 2], \"flags\": [true], \"contacts\": [{\"name\": \"x\"}],"
                 " \"empty\": []}",
                 NULL, &error);
  g_assert_no_error (error);
  /* json-glib does not keep the member order; compare member by member. */
  {
    static const struct
    {
      const char *key;
      const char *expected;
    } members[] = {
      { "name", "'ACME'" }, { "port", "int64 7001" }, { "ratio", "0.5" }, { "on", "true" },
      { "address", "{'city': <'Zürich'>}" }, { "dns", "['a', 'b']" },
      { "ids", "[int64 1, 2]" }, { "flags", "[true]" }, { "contacts", "[{'name': <'x'>}]" },
      { "empty", "@as []" },
    };

    g_assert_cmpuint (g_variant_n_children (value), ==, G_N_ELEMENTS (members));
    for (gsize i = 0; i < G_N_ELEMENTS (members); i++)
      {
        g_autoptr(GVariant) member = g_variant_lookup_value (value, members[i].key, NULL);
        g_autofree char *printed = NULL;

        g_assert_nonnull (member);
        printed = g_variant_print (member, TRUE);
        g_assert_cmpstr (printed, ==, members[i].expected);
      }
  }

  /* An empty list takes the type the template has for the same key, nested too. */
  template = g_variant_ref_sink (g_variant_new_parsed (
    "{'adminContacts': <@aa{sv} []>, 'ethernet': <{'dns': <@as []>, 'masks': <@ax []>}>}"));
  g_clear_pointer (&value, g_variant_unref);
  value = parse ("{\"adminContacts\": [], \"ethernet\": {\"masks\": []}}", template, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) admins = g_variant_lookup_value (value, "adminContacts", NULL);
    g_autoptr(GVariant) ethernet = g_variant_lookup_value (value, "ethernet", NULL);
    g_autoptr(GVariant) masks = g_variant_lookup_value (ethernet, "masks", NULL);

    g_assert_cmpstr (g_variant_get_type_string (admins), ==, "aa{sv}");
    g_assert_cmpstr (g_variant_get_type_string (masks), ==, "ax");
  }

  assert_parse_error ("{\"name\": null}", "name");
  assert_parse_error ("{\"a\": {\"b\": [1, null]}}", "a.b");
  assert_parse_error ("{\"list\": [1, \"two\"]}", "list");
  assert_parse_error ("{\"list\": [[1]]}", "list");
  assert_parse_error ("{\"list\": [1.5]}", "list");
  assert_parse_error ("{\"x\": [{\"y\": null}]}", "x[0].y");

  /* Not an object at the top. */
  g_clear_pointer (&value, g_variant_unref);
  value = parse ("[1]", NULL, &error);
  g_assert_null (value);
  g_assert_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT);
}

static void
test_from_variant (void)
{
  g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_parsed (
    "{'s': <'a\"b\\\\c\\n\\u0001é'>, 'b': <true>, 'y': <byte 7>, 'n': <int16 -3>, "
    "'q': <uint16 4>, 'i': <-5>, 'u': <uint32 6>, 'x': <int64 -9223372036854775807>, "
    "'t': <uint64 18446744073709551615>, 'd': <1.5>, 'inf': <inf>, 'o': <objectpath '/a'>, "
    "'as': <['x']>, 'e': <@as []>, 'm': <@ms nothing>, 'mj': <@ms 'j'>, 'tuple': <(1, 'two')>, "
    "'ai': <{1: 'one'}>, 'v': <<<'nested'>>>}"));
  g_autofree char *json = ul_http_json_from_variant (value, NULL);

  g_assert_cmpstr (json, ==,
                   "{\"s\":\"a\\\"b\\\\c\\n\\u0001é\",\"b\":true,\"y\":7,\"n\":-3,\"q\":4,"
                   "\"i\":-5,\"u\":6,\"x\":-9223372036854775807,\"t\":18446744073709551615,"
                   "\"d\":1.5,\"inf\":null,\"o\":\"/a\",\"as\":[\"x\"],\"e\":[],\"m\":null,"
                   "\"mj\":\"j\",\"tuple\":[1,\"two\"],\"ai\":[[1,\"one\"]],\"v\":\"nested\"}");
}

/* The corpus straight through the parser: nothing crashes, every n_ file is refused, every
 * y_ file is accepted but for the two with \u0000, which the API refuses on purpose. */
static void
test_corpus (void)
{
  const char *shared = g_getenv ("UL_SHARED_DIR");
  g_autofree char *corpus = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n = 0;

  if (shared == NULL)
    {
      g_test_skip ("UL_SHARED_DIR is not set");
      return;
    }
  corpus = g_build_filename (shared, "corpora", "jsontestsuite", "test_parsing", NULL);
  dir = g_dir_open (corpus, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (corpus, name, NULL);
      g_autofree char *data = NULL;
      g_autoptr(GError) parse_error = NULL;
      g_autoptr(GVariant) value = NULL;
      gboolean valid;
      gsize size;

      g_file_get_contents (path, &data, &size, &error);
      g_assert_no_error (error);
      valid = ul_http_json_validate (data, size, UL_HTTP_JSON_MAX_DEPTH, NULL);
      value = ul_http_json_parse_object (data, size, NULL, &parse_error);
      if (value != NULL)
        g_variant_ref_sink (value);
      g_assert_true (value != NULL || parse_error != NULL);
      if (name[0] == 'n')
        g_assert_false (valid);
      else if (name[0] == 'y' && strstr (data, "\\u0000") == NULL)
        g_assert_true (valid);
      n++;
    }
  g_assert_cmpuint (n, >=, 300);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/http/json/validate", test_validate);
  g_test_add_func ("/uplink/http/json/to-variant", test_to_variant);
  g_test_add_func ("/uplink/http/json/from-variant", test_from_variant);
  g_test_add_func ("/uplink/http/json/corpus", test_corpus);
  return g_test_run ();
}
