/* ul-http-json.c — strict JSON validation and checked JSON ↔ GVariant conversion. */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "ul-error.h"
#include "ul-http-json.h"

/* The validator: a recursive descent over the bytes. Recursion is bounded by max_depth,
 * which is the point of running it first. */

typedef struct
{
  const guchar *start;
  const guchar *p;
  const guchar *end;
  guint         depth;
  guint         max_depth;
  GError      **error;
} Scan;

static gboolean
scan_fail (Scan *s, const char *reason)
{
  g_set_error (s->error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT,
               _("The body is not valid JSON: %s at byte %lu"), reason,
               (unsigned long) (s->p - s->start));
  return FALSE;
}

static void
skip_space (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
expect_word (Scan *s, const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return scan_fail (s, _("unexpected character"));
  s->p += n;
  return TRUE;
}

static int
hex4 (const guchar *p)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);
      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* Reads \uXXXX at s->p (after the backslash and 'u' were seen); checks surrogate pairs. */
static gboolean
scan_unicode_escape (Scan *s)
{
  int unit;

  if (s->end - s->p < 4 || (unit = hex4 (s->p)) < 0)
    return scan_fail (s, _("bad \\u escape"));
  s->p += 4;
  if (unit == 0)
    return scan_fail (s, _("a NUL character"));
  if (unit >= 0xdc00 && unit <= 0xdfff)
    return scan_fail (s, _("a lone surrogate"));
  if (unit >= 0xd800 && unit <= 0xdbff)
    {
      int low;

      if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u'
          || (low = hex4 (s->p + 2)) < 0xdc00 || low > 0xdfff)
        return scan_fail (s, _("a lone surrogate"));
      s->p += 6;
    }
  return TRUE;
}

static gboolean
scan_string (Scan *s)
{
  s->p++;  /* the opening quote */
  while (s->p < s->end)
    {
      guchar c = *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return scan_fail (s, _("a control character in a string"));
      if (c != '\\')
        {
          s->p++;
          continue;
        }
      s->p++;
      if (s->p >= s->end)
        break;
      switch (*s->p++)
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          break;
        case 'u':
          if (!scan_unicode_escape (s))
            return FALSE;
          break;
        default:
          s->p--;
          return scan_fail (s, _("bad escape"));
        }
    }
  return scan_fail (s, _("unterminated string"));
}

static gboolean
scan_digits (Scan *s)
{
  const guchar *first = s->p;

  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return s->p > first;
}

static gboolean
scan_number (Scan *s)
{
  const guchar *first = s->p;
  gboolean integer = TRUE;

  if (*s->p == '-')
    s->p++;
  if (s->p < s->end && *s->p == '0')
    s->p++;
  else if (!scan_digits (s))
    return scan_fail (s, _("bad number"));
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      integer = FALSE;
      if (!scan_digits (s))
        return scan_fail (s, _("bad number"));
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      integer = FALSE;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return scan_fail (s, _("bad number"));
    }
  if (integer)
    {
      g_autofree char *text = g_strndup ((const char *) first, s->p - first);
      if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, NULL, NULL))
        return scan_fail (s, _("an integer out of range"));
    }
  return TRUE;
}

static gboolean scan_value (Scan *s);

static gboolean
enter (Scan *s)
{
  if (++s->depth > s->max_depth)
    return scan_fail (s, _("nested too deeply"));
  s->p++;
  skip_space (s);
  return TRUE;
}

static gboolean
scan_object (Scan *s)
{
  if (!enter (s))
    return FALSE;
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      s->depth--;
      return TRUE;
    }
  for (;;)
    {
      if (s->p >= s->end || *s->p != '"')
        return scan_fail (s, _("expected a member name"));
      if (!scan_string (s))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end || *s->p != ':')
        return scan_fail (s, _("expected ‘:’"));
      s->p++;
      skip_space (s);
      if (!scan_value (s))
        return FALSE;
      skip_space (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          skip_space (s);
          continue;
        }
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          s->depth--;
          return TRUE;
        }
      return scan_fail (s, _("expected ‘,’ or ‘}’"));
    }
}

static gboolean
scan_array (Scan *s)
{
  if (!enter (s))
    return FALSE;
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      s->depth--;
      return TRUE;
    }
  for (;;)
    {
      if (!scan_value (s))
        return FALSE;
      skip_space (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          skip_space (s);
          continue;
        }
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          s->depth--;
          return TRUE;
        }
      return scan_fail (s, _("expected ‘,’ or ‘]’"));
    }
}

static gboolean
scan_value (Scan *s)
{
  if (s->p >= s->end)
    return scan_fail (s, _("unexpected end"));
  switch (*s->p)
    {
    case '{':
      return scan_object (s);
    case '[':
      return scan_array (s);
    case '"':
      return scan_string (s);
    case 't':
      return expect_word (s, "true");
    case 'f':
      return expect_word (s, "false");
    case 'n':
      return expect_word (s, "null");
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s);
      return scan_fail (s, _("unexpected character"));
    }
}

gboolean
ul_http_json_validate (const char *data, gsize length, guint max_depth, GError **error)
{
  Scan s = {
    .start = (const guchar *) data,
    .p = (const guchar *) data,
    .end = (const guchar *) data + length,
    .max_depth = max_depth,
    .error = error,
  };
  const char *bad = NULL;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  /* One pass for the encoding: stops at the first invalid sequence or NUL byte. */
  if (!g_utf8_validate_len (data, length, &bad))
    {
      s.p = (const guchar *) bad;
      return scan_fail (&s, _("invalid UTF-8 or a NUL byte"));
    }
  skip_space (&s);
  if (s.p >= s.end)
    return scan_fail (&s, _("no value"));
  if (!scan_value (&s))
    return FALSE;
  skip_space (&s);
  if (s.p != s.end)
    return scan_fail (&s, _("text after the value"));
  return TRUE;
}

/* JSON tree → GVariant. */

static gboolean
node_error (GError **error, const char *field, const char *reason)
{
  ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT,
                      field != NULL && *field != '\0' ? field : "body", "%s", reason);
  return FALSE;
}

static gpointer
node_fail (GError **error, const char *field, const char *reason)
{
  node_error (error, field, reason);
  return NULL;
}

/* The kind an array item has, as a GVariant type string, or NULL when unsupported. */
static const char *
item_type (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return "a{sv}";
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return "s";
        case G_TYPE_INT64:
          return "x";
        case G_TYPE_BOOLEAN:
          return "b";
        default:
          return NULL;
        }
    case JSON_NODE_ARRAY:
    case JSON_NODE_NULL:
    default:
      return NULL;
    }
}

static GVariant *
template_member (GVariant *template, const char *key)
{
  if (template == NULL || !g_variant_is_of_type (template, G_VARIANT_TYPE_VARDICT))
    return NULL;
  return g_variant_lookup_value (template, key, NULL);
}

static GVariant *
array_to_variant (JsonArray *array, GVariant *template, const char *field, GError **error)
{
  guint n = json_array_get_length (array);
  g_autoptr(GVariant) item_template = NULL;
  g_autofree char *array_type = NULL;
  GVariantBuilder builder;
  const char *type = NULL;

  if (n == 0)
    {
      if (template != NULL && g_variant_is_of_type (template, G_VARIANT_TYPE_ARRAY))
        return g_variant_new_array (g_variant_type_element (g_variant_get_type (template)),
                                    NULL, 0);
      return g_variant_new_strv (NULL, 0);
    }

  for (guint i = 0; i < n; i++)
    {
      const char *this_type = item_type (json_array_get_element (array, i));

      if (this_type == NULL)
        return node_fail (error, field, _("A list may hold text, whole numbers, true/false or "
                                           "records, but not null, fractions or lists"));
      if (type != NULL && !g_str_equal (type, this_type))
        return node_fail (error, field, _("All items of a list must have the same type"));
      type = this_type;
    }

  if (template != NULL && g_variant_is_of_type (template, G_VARIANT_TYPE ("aa{sv}"))
      && g_variant_n_children (template) > 0)
    item_template = g_variant_get_child_value (template, 0);

  array_type = g_strconcat ("a", type, NULL);
  g_variant_builder_init (&builder, G_VARIANT_TYPE (array_type));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item_field = g_strdup_printf ("%s[%u]", field, i);
      GVariant *item = ul_http_json_to_variant (json_array_get_element (array, i), item_template,
                                                item_field, error);
      if (item == NULL)
        {
          g_variant_builder_clear (&builder);
          return NULL;
        }
      g_variant_builder_add_value (&builder, item);
    }
  return g_variant_builder_end (&builder);
}

static GVariant *
object_to_variant (JsonObject *object, GVariant *template, const char *field, GError **error)
{
  GVariantBuilder builder;
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &member))
    {
      g_autoptr(GVariant) member_template = template_member (template, key);
      g_autofree char *member_field = field != NULL && *field != '\0'
                                        ? g_strconcat (field, ".", key, NULL)
                                        : g_strdup (key);
      GVariant *value = ul_http_json_to_variant (member, member_template, member_field, error);

      if (value == NULL)
        {
          g_variant_builder_clear (&builder);
          return NULL;
        }
      g_variant_builder_add (&builder, "{sv}", key, value);
    }
  return g_variant_builder_end (&builder);
}

GVariant *
ul_http_json_to_variant (JsonNode *node, GVariant *template, const char *field, GError **error)
{
  g_return_val_if_fail (node != NULL, NULL);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return object_to_variant (json_node_get_object (node), template, field, error);
    case JSON_NODE_ARRAY:
      return array_to_variant (json_node_get_array (node), template, field, error);
    case JSON_NODE_NULL:
      return node_fail (error, field, _("Must not be null; leave the field out instead"));
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          {
            const char *str = json_node_get_string (node);
            /* The validator already checked the body; this guards callers that parse
             * JSON themselves. */
            if (str == NULL || !g_utf8_validate (str, -1, NULL))
              return node_fail (error, field, _("Must be valid text"));
            return g_variant_new_string (str);
          }
        case G_TYPE_INT64:
          return g_variant_new_int64 (json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return g_variant_new_double (json_node_get_double (node));
        case G_TYPE_BOOLEAN:
          return g_variant_new_boolean (json_node_get_boolean (node));
        default:
          return node_fail (error, field, _("Unsupported value"));
        }
    default:
      return node_fail (error, field, _("Unsupported value"));
    }
}

GVariant *
ul_http_json_parse_object (const char *data, gsize length, GVariant *template, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  if (!ul_http_json_validate (data, length, UL_HTTP_JSON_MAX_DEPTH, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &parse_error))
    {
      g_set_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT,
                   _("The body is not valid JSON: %s"), parse_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || json_node_get_node_type (root) != JSON_NODE_OBJECT)
    {
      g_set_error_literal (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT,
                           _("The body must be a JSON object"));
      return NULL;
    }
  return ul_http_json_to_variant (root, template, "", error);
}

/* GVariant → JSON text. */

void
ul_http_json_append_string (GString *out, const char *str)
{
  static const char hex[] = "0123456789abcdef";
  const char *run = str;

  g_string_append_c (out, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      const char *escape = NULL;

      switch (c)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        default:
          if (c >= 0x20)
            continue;
        }
      g_string_append_len (out, run, p - run);
      run = p + 1;
      if (escape != NULL)
        g_string_append (out, escape);
      else
        {
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xf]);
        }
    }
  g_string_append (out, run);
  g_string_append_c (out, '"');
}

static void
append_double (GString *out, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, value));
}

static void
append_container (GString *out, GVariant *value)
{
  const GVariantType *type = g_variant_get_type (value);
  gboolean object = g_variant_type_is_array (type)
                    && g_variant_type_is_dict_entry (g_variant_type_element (type))
                    && g_variant_type_equal (g_variant_type_key (g_variant_type_element (type)),
                                             G_VARIANT_TYPE_STRING);
  gsize n = g_variant_n_children (value);

  g_string_append_c (out, object ? '{' : '[');
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

      if (i > 0)
        g_string_append_c (out, ',');
      if (object)
        {
          g_autoptr(GVariant) key = g_variant_get_child_value (child, 0);
          g_autoptr(GVariant) item = g_variant_get_child_value (child, 1);

          ul_http_json_append_string (out, g_variant_get_string (key, NULL));
          g_string_append_c (out, ':');
          ul_http_json_append_variant (out, item);
        }
      else
        ul_http_json_append_variant (out, child);
    }
  g_string_append_c (out, object ? '}' : ']');
}

void
ul_http_json_append_variant (GString *out, GVariant *value)
{
  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
      break;
    case G_VARIANT_CLASS_BYTE:
      g_string_append_printf (out, "%u", g_variant_get_byte (value));
      break;
    case G_VARIANT_CLASS_INT16:
      g_string_append_printf (out, "%d", g_variant_get_int16 (value));
      break;
    case G_VARIANT_CLASS_UINT16:
      g_string_append_printf (out, "%u", g_variant_get_uint16 (value));
      break;
    case G_VARIANT_CLASS_INT32:
      g_string_append_printf (out, "%" G_GINT32_FORMAT, g_variant_get_int32 (value));
      break;
    case G_VARIANT_CLASS_UINT32:
      g_string_append_printf (out, "%" G_GUINT32_FORMAT, g_variant_get_uint32 (value));
      break;
    case G_VARIANT_CLASS_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
      break;
    case G_VARIANT_CLASS_UINT64:
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
      break;
    case G_VARIANT_CLASS_HANDLE:
      g_string_append_printf (out, "%" G_GINT32_FORMAT, g_variant_get_handle (value));
      break;
    case G_VARIANT_CLASS_DOUBLE:
      append_double (out, g_variant_get_double (value));
      break;
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
      ul_http_json_append_string (out, g_variant_get_string (value, NULL));
      break;
    case G_VARIANT_CLASS_VARIANT:
      {
        g_autoptr(GVariant) inner = g_variant_get_variant (value);
        ul_http_json_append_variant (out, inner);
      }
      break;
    case G_VARIANT_CLASS_MAYBE:
      {
        g_autoptr(GVariant) inner = g_variant_get_maybe (value);
        if (inner != NULL)
          ul_http_json_append_variant (out, inner);
        else
          g_string_append (out, "null");
      }
      break;
    case G_VARIANT_CLASS_ARRAY:
    case G_VARIANT_CLASS_TUPLE:
    case G_VARIANT_CLASS_DICT_ENTRY:
    default:
      append_container (out, value);
      break;
    }
}

char *
ul_http_json_from_variant (GVariant *value, gsize *length)
{
  GString *out = g_string_sized_new (256);

  ul_http_json_append_variant (out, value);
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}
