/* ul-json.h — the gateway's JSON to and from the a{sv} records core/common reads.
 *
 * The JSON field names are the a{sv} keys (DESIGN.md §6), so a reply becomes the same
 * record D-Bus would give and the models' _apply() and validators read it unchanged.
 * Replies are read defensively even from a pinned gateway: size and nesting are checked
 * before json-glib parses anything (json-glib 1.6 recurses without a limit). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UL_JSON_MAX_DEPTH 32
#define UL_JSON_MAX_SIZE  (64 * 1024 * 1024)

/* Parses @bytes (a JSON object or array) into a{sv} / aa{sv} / as. Objects become a{sv}
 * with null members left out; arrays of strings "as", of objects "aa{sv}"; an empty array
 * is "as" for the keys that hold strings (emergencyNumbers, updateDays, dns) and "aa{sv}"
 * otherwise; integers "x", other numbers "d". Fails with UL_API_ERROR_PROTOCOL. */
GVariant *ul_json_parse (GBytes *bytes, GError **error);

/* Serializes a{sv} (and what it contains) to a JSON text. */
char     *ul_json_from_variant (GVariant *value);

/* Checked readers of a{sv} replies: the value, or @fallback when absent or of another
 * type. */
const char *ul_json_lookup_string (GVariant *dict, const char *key, const char *fallback);
gint64      ul_json_lookup_int (GVariant *dict, const char *key, gint64 fallback);
gboolean    ul_json_lookup_bool (GVariant *dict, const char *key, gboolean fallback);
/* A borrowed-style new reference to the a{sv} / aa{sv} at @key, or NULL. */
GVariant   *ul_json_lookup_dict (GVariant *dict, const char *key);
GVariant   *ul_json_lookup_dict_array (GVariant *dict, const char *key);

G_END_DECLS
