/* ul-common-private.h — helpers shared by the model files of libuplink-common only. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* g_strv_equal() that takes NULL as the empty list. */
gboolean ul_strv_equal0 (const char * const *a, const char * const *b);

/* "<prefix>[<index>]", the field path of a list element. */
#define ul_field_index(prefix, index) g_strdup_printf ("%s[%u]", (prefix), (guint) (index))

/* Applies one key of a client's a{sv} to a record. */
typedef gboolean (*UlApplyOneFunc) (gpointer record, const char *key, GVariant *value,
                                    GError **error);

/* The _apply() of every plain-struct model: runs @apply_one for each key of @changes
 * (sinking a floating ref) on a copy of @record, and only when every key applied swaps
 * the copy's contents into @record, so that a bad key halfway leaves @record unchanged. */
gboolean ul_record_apply (gpointer        record,
                          gsize           size,
                          GBoxedCopyFunc  copy,
                          GBoxedFreeFunc  free_func,
                          UlApplyOneFunc  apply_one,
                          GVariant       *changes,
                          GError        **error);

G_END_DECLS
