/* ul-http-json.h — JSON in and out of the HTTPS API, checked at every step.
 *
 * Request bodies are hostile until proven otherwise: ul_http_json_validate() checks the
 * bytes against the RFC 8259 grammar with a bounded nesting depth *before* json-glib sees
 * them (json-glib 1.6 recurses once per level and overflows its stack on deep nesting,
 * and accepts a few things RFC 8259 does not). Only then is the body parsed, and the tree
 * converted to a{sv} by ul_http_json_to_variant(), which checks the type of every node.
 * Responses go the other way with ul_http_json_from_variant(). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The deepest nesting of objects and arrays a request may have. */
#define UL_HTTP_JSON_MAX_DEPTH 32

/* Strict RFC 8259 check of @data: UTF-8 only, no BOM, no NUL (not even as \u0000), no
 * lone surrogate escapes, integers without fraction or exponent must fit in 64 bits, and
 * at most @max_depth levels of nesting. UL_ERROR_INVALID_ARGUMENT saying what and where. */
gboolean  ul_http_json_validate (const char *data, gsize length, guint max_depth,
                                 GError **error);

/* Validates and parses a request body whose top level must be an object, and converts it
 * to a{sv} (floating). @template (a{sv} or NULL) gives the type of empty arrays: a JSON
 * [] becomes an empty array of the type the same key has in @template (e.g. aa{sv} for
 * "adminContacts"), else "as". Conversion: string → s, integer → x, other number → d,
 * true/false → b, object → a{sv}, array of strings/integers/booleans/objects → as/ax/ab/
 * aa{sv}. null, mixed arrays and arrays of arrays are refused, naming the field. */
GVariant *ul_http_json_parse_object (const char *data,
                                     gsize       length,
                                     GVariant   *template,
                                     GError    **error);

/* The same conversion for an already parsed node (checked: any node type is handled). */
GVariant *ul_http_json_to_variant (JsonNode *node, GVariant *template, const char *field,
                                   GError **error);

/* Appends @value as JSON to @out: dictionaries with string keys become objects, other
 * containers arrays, variants and maybes their contents (or null), integers numbers,
 * doubles numbers (null when not finite), strings, object paths and signatures strings. */
void      ul_http_json_append_variant (GString *out, GVariant *value);
/* Newly allocated JSON text of @value. */
char     *ul_http_json_from_variant (GVariant *value, gsize *length);
/* Appends @str as a JSON string literal. */
void      ul_http_json_append_string (GString *out, const char *str);

G_END_DECLS
