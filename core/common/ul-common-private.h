/* ul-common-private.h — helpers shared by the model files of libuplink-common only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* g_strv_equal() that takes NULL as the empty list. */
gboolean ul_strv_equal0 (const char * const *a, const char * const *b);

/* "<prefix>[<index>]", the field path of a list element. */
#define ul_field_index(prefix, index) g_strdup_printf ("%s[%u]", (prefix), (guint) (index))

G_END_DECLS
