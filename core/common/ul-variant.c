/* ul-variant.c — checked readers for a{sv} records coming from clients.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-common-private.h"
#include "ul-error.h"
#include "ul-variant.h"

static gboolean
type_error (const char *field, const char *reason, GError **error)
{
  ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field, "%s", reason);
  return FALSE;
}

gboolean
ul_variant_get_string (GVariant *value, const char *field, char **out, GError **error)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return type_error (field, _("Must be a string"), error);

  *out = g_variant_dup_string (value, NULL);
  return TRUE;
}

gboolean
ul_variant_get_int (GVariant *value, const char *field, gint64 *out, GError **error)
{
  g_return_val_if_fail (value != NULL, FALSE);

  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BYTE:
      *out = g_variant_get_byte (value);
      return TRUE;
    case G_VARIANT_CLASS_INT16:
      *out = g_variant_get_int16 (value);
      return TRUE;
    case G_VARIANT_CLASS_UINT16:
      *out = g_variant_get_uint16 (value);
      return TRUE;
    case G_VARIANT_CLASS_INT32:
      *out = g_variant_get_int32 (value);
      return TRUE;
    case G_VARIANT_CLASS_UINT32:
      *out = g_variant_get_uint32 (value);
      return TRUE;
    case G_VARIANT_CLASS_INT64:
      *out = g_variant_get_int64 (value);
      return TRUE;
    case G_VARIANT_CLASS_UINT64:
      if (g_variant_get_uint64 (value) > G_MAXINT64)
        return type_error (field, _("The number is too large"), error);
      *out = (gint64) g_variant_get_uint64 (value);
      return TRUE;
    default:
      return type_error (field, _("Must be a whole number"), error);
    }
}

gboolean
ul_variant_get_boolean (GVariant *value, const char *field, gboolean *out, GError **error)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return type_error (field, _("Must be true or false"), error);

  *out = g_variant_get_boolean (value);
  return TRUE;
}

gboolean
ul_variant_get_strv (GVariant *value, const char *field, GStrv *out, GError **error)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY))
    return type_error (field, _("Must be a list of strings"), error);

  *out = g_variant_dup_strv (value, NULL);
  return TRUE;
}

gboolean
ul_variant_get_dict (GVariant *value, const char *field, GVariant **out, GError **error)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
    return type_error (field, _("Must be a record of named values (a{sv})"), error);

  *out = value;
  return TRUE;
}

gboolean
ul_variant_get_dict_array (GVariant *value, const char *field, GVariant **out, GError **error)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("aa{sv}")))
    return type_error (field, _("Must be a list of records (aa{sv})"), error);

  *out = value;
  return TRUE;
}

gboolean
ul_variant_unknown_key (const char *key, GError **error)
{
  return type_error (key, _("Unknown field"), error);
}

void
ul_variant_builder_add_string (GVariantBuilder *builder, const char *key, const char *value)
{
  if (value != NULL)
    g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (value));
}

gboolean
ul_strv_equal0 (const char * const *a, const char * const *b)
{
  static const char * const empty[] = { NULL };

  return g_strv_equal (a != NULL ? a : empty, b != NULL ? b : empty);
}

gboolean
ul_record_apply (gpointer        record,
                 gsize           size,
                 GBoxedCopyFunc  copy,
                 GBoxedFreeFunc  free_func,
                 UlApplyOneFunc  apply_one,
                 GVariant       *changes,
                 GError        **error)
{
  g_autoptr(GVariant) owned = NULL;
  g_autofree guint8 *swap = NULL;
  gpointer candidate;
  GVariantIter iter;
  const char *key;
  GVariant *raw;

  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);
  g_return_val_if_fail (g_variant_is_of_type (changes, G_VARIANT_TYPE_VARDICT), FALSE);

  owned = g_variant_ref_sink (changes);
  candidate = copy (record);

  g_variant_iter_init (&iter, owned);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &raw))
    {
      g_autoptr(GVariant) value = raw;

      if (!apply_one (candidate, key, value, error))
        {
          free_func (candidate);
          return FALSE;
        }
    }

  /* The old contents leave with the candidate's shell. */
  swap = g_memdup2 (record, size);
  memcpy (record, candidate, size);
  memcpy (candidate, swap, size);
  free_func (candidate);
  return TRUE;
}
