/* ul-csta-node.h — a small, bounded element tree for CSTA XML bodies.
 *
 * Names are local names: the prefix is stripped and namespaces are ignored, because the
 * MiVO400 mixes a "csta:" prefix with a default namespace in one message (csta.md §1, rule 3).
 * Text is the element's own character data with surrounding whitespace removed.
 *
 * Parsing uses GMarkup, which does no DTD processing and expands only the five predefined
 * entities and character references; markup declarations (<!DOCTYPE …>) are refused anyway.
 * Input is bounded: one frame body, UL_CSTA_MAX_DEPTH open elements, UL_CSTA_MAX_ELEMENTS.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UL_CSTA_MAX_DEPTH 32
#define UL_CSTA_MAX_ELEMENTS 4096

typedef struct _UlCstaNode UlCstaNode;

UlCstaNode *ul_csta_node_parse (const char *xml, gssize xml_len, GError **error);
void ul_csta_node_free (UlCstaNode *node);

const char *ul_csta_node_get_name (const UlCstaNode *node);
/* Never NULL: "" for an element without text. */
const char *ul_csta_node_get_text (const UlCstaNode *node);
/* By local name; xmlns declarations are not attributes. NULL when absent. */
const char *ul_csta_node_get_attribute (const UlCstaNode *node, const char *name);
UlCstaNode *ul_csta_node_get_parent (const UlCstaNode *node);
guint ul_csta_node_get_n_children (const UlCstaNode *node);
UlCstaNode *ul_csta_node_get_child_at (const UlCstaNode *node, guint index);
/* First direct child called @name. */
UlCstaNode *ul_csta_node_get_child (const UlCstaNode *node, const char *name);
gboolean ul_csta_node_has_name (const UlCstaNode *node, const char *name);

/* First descendant (depth first, document order, @node excluded) called @name. */
UlCstaNode *ul_csta_node_find (const UlCstaNode *node, const char *name);
/* Follows direct children: "connection/callID" is node → connection → callID. */
UlCstaNode *ul_csta_node_find_path (const UlCstaNode *node, const char *path);

/* Text of ul_csta_node_find() / ul_csta_node_find_path(), or NULL when the element
 * does not exist (an existing empty element gives ""). */
const char *ul_csta_node_find_text (const UlCstaNode *node, const char *name);
const char *ul_csta_node_get_text_at (const UlCstaNode *node, const char *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlCstaNode, ul_csta_node_free)

G_END_DECLS
