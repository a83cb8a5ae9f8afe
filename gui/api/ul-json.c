/* ul-json.c — the gateway's JSON to and from a{sv} records.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ul-api-error.h"
#include "ul-json.h"

static gboolean
protocol_error (GError **error, const char *detail)
{
  g_set_error (error, UL_API_ERROR, UL_API_ERROR_PROTOCOL,
               _("The gateway sent a reply the dashboard cannot read (%s)"), detail);
  return FALSE;
}

/* Nesting of objects and arrays, counted outside strings, before json-glib sees it. */
static gboolean
check_depth (const char *data, gsize len, GError **error)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  int depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > UL_JSON_MAX_DEPTH)
            return protocol_error (error, "nested too deeply");
        }
      else if (c == '}' || c == ']')
        depth--;
    }

  return TRUE;
}

/* Keys whose arrays hold strings, so that an empty one still has the type the models
 * expect ("as"); every other array in the API is a list of records. */
static gboolean
is_string_list_key (const char *key)
{
  static const char * const keys[] = { "emergencyNumbers", "updateDays", "dns", NULL };

  return key != NULL && g_strv_contains (keys, key);
}

static GVariant *node_to_variant (JsonNode *node, const char *key, GError **error);

static GVariant *
array_to_variant (JsonArray *array, const char *key, GError **error)
{
  guint n = json_array_get_length (array);
  gboolean strings = TRUE;
  gboolean objects = TRUE;
  GVariantBuilder builder;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      strings &= JSON_NODE_HOLDS_VALUE (element) &&
                 json_node_get_value_type (element) == G_TYPE_STRING;
      objects &= JSON_NODE_HOLDS_OBJECT (element);
    }

  if (n == 0)
    return is_string_list_key (key) ? g_variant_new_strv (NULL, 0)
                                    : g_variant_new_array (G_VARIANT_TYPE_VARDICT, NULL, 0);

  if (!strings && !objects)
    {
      protocol_error (error, "mixed list");
      return NULL;
    }

  g_variant_builder_init (&builder, strings ? G_VARIANT_TYPE_STRING_ARRAY
                                            : G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < n; i++)
    {
      GVariant *child = node_to_variant (json_array_get_element (array, i), NULL, error);

      if (child == NULL)
        {
          g_variant_builder_clear (&builder);
          return NULL;
        }
      g_variant_builder_add_value (&builder, child);
    }

  return g_variant_builder_end (&builder);
}

static GVariant *
object_to_variant (JsonObject *object, GError **error)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &node))
    {
      GVariant *value;

      /* null means "not set": the models treat an absent key the same way. */
      if (JSON_NODE_HOLDS_NULL (node))
        continue;

      value = node_to_variant (node, member, error);
      if (value == NULL)
        return NULL;
      g_variant_builder_add (&builder, "{sv}", member, value);
    }

  return g_variant_builder_end (&builder);
}

static GVariant *
node_to_variant (JsonNode *node, const char *key, GError **error)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      return object_to_variant (json_node_get_object (node), error);
    case JSON_NODE_ARRAY:
      return array_to_variant (json_node_get_array (node), key, error);
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return g_variant_new_string (json_node_get_string (node));
        case G_TYPE_INT64:
          return g_variant_new_int64 (json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return g_variant_new_double (json_node_get_double (node));
        case G_TYPE_BOOLEAN:
          return g_variant_new_boolean (json_node_get_boolean (node));
        default:
          break;
        }
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }

  protocol_error (error, "unexpected value");
  return NULL;
}

GVariant *
ul_json_parse (GBytes *bytes, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize len;
  JsonNode *root;
  GVariant *value;

  data = g_bytes_get_data (bytes, &len);
  if (len > UL_JSON_MAX_SIZE)
    {
      protocol_error (error, "too large");
      return NULL;
    }
  if (data == NULL || !g_utf8_validate (data, len, NULL))
    {
      protocol_error (error, "not UTF-8");
      return NULL;
    }
  if (!check_depth (data, len, error))
    return NULL;
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      protocol_error (error, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || (!JSON_NODE_HOLDS_OBJECT (root) && !JSON_NODE_HOLDS_ARRAY (root)))
    {
      protocol_error (error, "not an object");
      return NULL;
    }

  value = node_to_variant (root, NULL, error);
  return value != NULL ? g_variant_ref_sink (value) : NULL;
}

char *
ul_json_from_variant (GVariant *value)
{
  g_autoptr(JsonNode) node = json_gvariant_serialize (value);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

const char *
ul_json_lookup_string (GVariant *dict, const char *key, const char *fallback)
{
  const char *out;

  if (dict != NULL && g_variant_lookup (dict, key, "&s", &out))
    return out;
  return fallback;
}

gint64
ul_json_lookup_int (GVariant *dict, const char *key, gint64 fallback)
{
  g_autoptr(GVariant) value = NULL;

  if (dict == NULL)
    return fallback;
  value = g_variant_lookup_value (dict, key, NULL);
  if (value == NULL)
    return fallback;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return g_variant_get_int64 (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return g_variant_get_int32 (value);
  return fallback;
}

gboolean
ul_json_lookup_bool (GVariant *dict, const char *key, gboolean fallback)
{
  gboolean out;

  if (dict != NULL && g_variant_lookup (dict, key, "b", &out))
    return out;
  return fallback;
}

GVariant *
ul_json_lookup_dict (GVariant *dict, const char *key)
{
  return dict != NULL ? g_variant_lookup_value (dict, key, G_VARIANT_TYPE_VARDICT) : NULL;
}

GVariant *
ul_json_lookup_dict_array (GVariant *dict, const char *key)
{
  return dict != NULL ? g_variant_lookup_value (dict, key, G_VARIANT_TYPE ("aa{sv}")) : NULL;
}
