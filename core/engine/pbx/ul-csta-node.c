/* ul-csta-node.c — bounded, prefix-agnostic XML element tree on top of GMarkup. */
#define G_LOG_DOMAIN "ul-csta"

#include "ul-csta-node.h"

#include <string.h>

#include "ul-csta-error.h"
#include "ul-csta-frame.h"

struct _UlCstaNode
{
  char *name;
  char *text;
  char **attributes; /* name, value, name, value, …, NULL; NULL when there are none */
  UlCstaNode *parent;
  GPtrArray *children; /* NULL when there are none */
};

typedef struct
{
  UlCstaNode *root;
  UlCstaNode *current;
  GPtrArray *texts; /* one GString per open element */
  guint n_elements;
  gboolean root_closed;
} ParseState;

static const char *
local_name (const char *qname)
{
  const char *colon = strrchr (qname, ':');

  return colon != NULL ? colon + 1 : qname;
}

static gboolean
is_namespace_declaration (const char *attr)
{
  return g_str_equal (attr, "xmlns") || g_str_has_prefix (attr, "xmlns:");
}

void
ul_csta_node_free (UlCstaNode *node)
{
  if (node == NULL)
    return;

  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_strfreev (node->attributes);
  g_free (node->name);
  g_free (node->text);
  g_free (node);
}

static UlCstaNode *
node_new (const char *name, UlCstaNode *parent)
{
  UlCstaNode *node = g_new0 (UlCstaNode, 1);

  node->name = g_strdup (name);
  node->parent = parent;
  if (parent != NULL)
    {
      if (parent->children == NULL)
        parent->children = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_csta_node_free);
      g_ptr_array_add (parent->children, node);
    }

  return node;
}

static void
on_start_element (GMarkupParseContext *context,
                  const char *element_name,
                  const char **attribute_names,
                  const char **attribute_values,
                  gpointer user_data,
                  GError **error)
{
  ParseState *state = user_data;
  UlCstaNode *node;
  guint n_attrs = 0;

  if (state->root_closed)
    {
      g_set_error_literal (error, UL_CSTA_ERROR, UL_CSTA_ERROR_MALFORMED,
                           "Content after the root element");
      return;
    }

  /* Bounded by construction: a hostile frame cannot make us build a deep or huge tree. */
  if (state->texts->len >= UL_CSTA_MAX_DEPTH)
    {
      g_set_error (error, UL_CSTA_ERROR, UL_CSTA_ERROR_LIMIT,
                   "Elements nested deeper than %d", UL_CSTA_MAX_DEPTH);
      return;
    }
  if (++state->n_elements > UL_CSTA_MAX_ELEMENTS)
    {
      g_set_error (error, UL_CSTA_ERROR, UL_CSTA_ERROR_LIMIT,
                   "More than %d elements", UL_CSTA_MAX_ELEMENTS);
      return;
    }

  node = node_new (local_name (element_name), state->current);
  if (state->root == NULL)
    state->root = node;
  state->current = node;
  g_ptr_array_add (state->texts, g_string_new (NULL));

  for (guint i = 0; attribute_names[i] != NULL; i++)
    if (!is_namespace_declaration (attribute_names[i]))
      n_attrs++;

  if (n_attrs > 0)
    {
      guint j = 0;

      node->attributes = g_new0 (char *, 2 * n_attrs + 1);
      for (guint i = 0; attribute_names[i] != NULL; i++)
        {
          if (is_namespace_declaration (attribute_names[i]))
            continue;
          node->attributes[j++] = g_strdup (local_name (attribute_names[i]));
          node->attributes[j++] = g_strdup (attribute_values[i]);
        }
    }
}

static void
on_end_element (GMarkupParseContext *context,
                const char *element_name,
                gpointer user_data,
                GError **error)
{
  ParseState *state = user_data;
  GString *text = g_ptr_array_steal_index (state->texts, state->texts->len - 1);

  state->current->text = g_strstrip (g_string_free (text, FALSE));
  state->current = state->current->parent;
  if (state->current == NULL)
    state->root_closed = TRUE;
}

static void
on_text (GMarkupParseContext *context,
         const char *text,
         gsize text_len,
         gpointer user_data,
         GError **error)
{
  ParseState *state = user_data;

  /* Whitespace around the root element arrives here too; it belongs to nobody. */
  if (state->texts->len == 0)
    return;

  g_string_append_len (g_ptr_array_index (state->texts, state->texts->len - 1), text, text_len);
}

static void
on_passthrough (GMarkupParseContext *context,
                const char *passthrough_text,
                gsize text_len,
                gpointer user_data,
                GError **error)
{
  /* Comments and processing instructions (the XML declaration) are harmless. Any other
   * "<!" construct is a markup declaration: CSTA never needs one and a DTD is the door to
   * entity expansion attacks, so refuse it even though GMarkup would not expand it. */
  if (text_len >= 2 && passthrough_text[0] == '<' && passthrough_text[1] == '!' &&
      !(text_len >= 4 && strncmp (passthrough_text, "<!--", 4) == 0))
    g_set_error_literal (error, UL_CSTA_ERROR, UL_CSTA_ERROR_FORBIDDEN,
                         "Markup declarations (DOCTYPE, ENTITY) are not allowed");
}

static const GMarkupParser parser = {
  on_start_element,
  on_end_element,
  on_text,
  on_passthrough,
  NULL,
};

static void
propagate_parse_error (GError *local_error, GError **error)
{
  if (local_error->domain == UL_CSTA_ERROR)
    {
      g_propagate_error (error, local_error);
      return;
    }

  g_set_error (error, UL_CSTA_ERROR, UL_CSTA_ERROR_MALFORMED, "Malformed CSTA XML: %s",
               local_error->message);
  g_error_free (local_error);
}

UlCstaNode *
ul_csta_node_parse (const char *xml, gssize xml_len, GError **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  GError *local_error = NULL;
  ParseState state = { 0 };

  g_return_val_if_fail (xml != NULL || xml_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (xml_len < 0)
    xml_len = strlen (xml);

  if ((gsize) xml_len > UL_CSTA_MAX_BODY_SIZE)
    {
      g_set_error (error, UL_CSTA_ERROR, UL_CSTA_ERROR_TOO_LARGE,
                   "CSTA XML of %" G_GSSIZE_FORMAT " bytes is larger than a frame", xml_len);
      return NULL;
    }

  /* The body is UTF-8 by rule 1. Checking it up front also keeps GMarkup away from its own
   * invalid-UTF-8 paths: for a comment or DOCTYPE with a bad byte (or a NUL), GLib 2.74 sets
   * the error and then carries on parsing, overwriting it later. */
  if (!g_utf8_validate_len (xml, xml_len, NULL))
    {
      g_set_error_literal (error, UL_CSTA_ERROR, UL_CSTA_ERROR_MALFORMED,
                           "CSTA XML is not valid UTF-8");
      return NULL;
    }

  texts = g_ptr_array_new ();
  state.texts = texts;

  context = g_markup_parse_context_new (&parser,
                                        G_MARKUP_TREAT_CDATA_AS_TEXT |
                                          G_MARKUP_PREFIX_ERROR_POSITION,
                                        &state, NULL);

  if (!g_markup_parse_context_parse (context, xml, xml_len, &local_error) ||
      !g_markup_parse_context_end_parse (context, &local_error))
    {
      for (guint i = 0; i < texts->len; i++)
        g_string_free (g_ptr_array_index (texts, i), TRUE);
      ul_csta_node_free (state.root);
      propagate_parse_error (local_error, error);
      return NULL;
    }

  /* GMarkup accepts a document of nothing but comments or processing instructions. */
  if (state.root == NULL)
    {
      g_set_error_literal (error, UL_CSTA_ERROR, UL_CSTA_ERROR_MALFORMED,
                           "Malformed CSTA XML: no root element");
      return NULL;
    }

  return state.root;
}

const char *
ul_csta_node_get_name (const UlCstaNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return node->name;
}

const char *
ul_csta_node_get_text (const UlCstaNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return node->text != NULL ? node->text : "";
}

const char *
ul_csta_node_get_attribute (const UlCstaNode *node, const char *name)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (node->attributes == NULL)
    return NULL;

  for (guint i = 0; node->attributes[i] != NULL; i += 2)
    if (g_str_equal (node->attributes[i], name))
      return node->attributes[i + 1];

  return NULL;
}

UlCstaNode *
ul_csta_node_get_parent (const UlCstaNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return node->parent;
}

guint
ul_csta_node_get_n_children (const UlCstaNode *node)
{
  g_return_val_if_fail (node != NULL, 0);

  return node->children != NULL ? node->children->len : 0;
}

UlCstaNode *
ul_csta_node_get_child_at (const UlCstaNode *node, guint index)
{
  g_return_val_if_fail (node != NULL, NULL);

  if (node->children == NULL || index >= node->children->len)
    return NULL;

  return g_ptr_array_index (node->children, index);
}

gboolean
ul_csta_node_has_name (const UlCstaNode *node, const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);

  return node != NULL && g_str_equal (node->name, name);
}

static UlCstaNode *
get_child_len (const UlCstaNode *node, const char *name, gsize name_len)
{
  if (node->children == NULL)
    return NULL;

  for (guint i = 0; i < node->children->len; i++)
    {
      UlCstaNode *child = g_ptr_array_index (node->children, i);

      if (strncmp (child->name, name, name_len) == 0 && child->name[name_len] == '\0')
        return child;
    }

  return NULL;
}

UlCstaNode *
ul_csta_node_get_child (const UlCstaNode *node, const char *name)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return get_child_len (node, name, strlen (name));
}

UlCstaNode *
ul_csta_node_find (const UlCstaNode *node, const char *name)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (node->children == NULL)
    return NULL;

  /* Recursion is bounded by UL_CSTA_MAX_DEPTH: trees only come from the parser. */
  for (guint i = 0; i < node->children->len; i++)
    {
      UlCstaNode *child = g_ptr_array_index (node->children, i);
      UlCstaNode *found;

      if (g_str_equal (child->name, name))
        return child;
      found = ul_csta_node_find (child, name);
      if (found != NULL)
        return found;
    }

  return NULL;
}

UlCstaNode *
ul_csta_node_find_path (const UlCstaNode *node, const char *path)
{
  const char *segment;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  segment = path;
  while (node != NULL)
    {
      const char *slash = strchr (segment, '/');
      gsize len = slash != NULL ? (gsize) (slash - segment) : strlen (segment);

      node = get_child_len (node, segment, len);
      if (slash == NULL)
        break;
      segment = slash + 1;
    }

  return (UlCstaNode *) node;
}

const char *
ul_csta_node_find_text (const UlCstaNode *node, const char *name)
{
  UlCstaNode *found = ul_csta_node_find (node, name);

  return found != NULL ? ul_csta_node_get_text (found) : NULL;
}

const char *
ul_csta_node_get_text_at (const UlCstaNode *node, const char *path)
{
  UlCstaNode *found = ul_csta_node_find_path (node, path);

  return found != NULL ? ul_csta_node_get_text (found) : NULL;
}
