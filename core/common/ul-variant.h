/* ul-variant.h — checked readers for a{sv} records coming from clients.
 *
 * Every value a client sends goes through these, so a wrong type gives a field error
 * rather than a GLib critical. Integers accept any GVariant integer type (gdbus call
 * sends int32 for a bare number) and are range-checked by the caller. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean ul_variant_get_string  (GVariant *value, const char *field, char **out, GError **error);
gboolean ul_variant_get_int     (GVariant *value, const char *field, gint64 *out, GError **error);
gboolean ul_variant_get_boolean (GVariant *value, const char *field, gboolean *out, GError **error);
gboolean ul_variant_get_strv    (GVariant *value, const char *field, GStrv *out, GError **error);
/* Checks that @value is a dictionary a{sv}; returns it (borrowed) in @out. */
gboolean ul_variant_get_dict    (GVariant *value, const char *field, GVariant **out, GError **error);
/* Checks that @value is aa{sv}. */
gboolean ul_variant_get_dict_array (GVariant *value, const char *field, GVariant **out, GError **error);
/* Fails with "unknown field" naming @key. */
gboolean ul_variant_unknown_key (const char *key, GError **error);

/* Adds "key": string to a builder only when @value is not NULL. */
void ul_variant_builder_add_string (GVariantBuilder *builder, const char *key, const char *value);

G_END_DECLS
