/* ul-address.c — a postal address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-address.h"
#include "ul-error.h"
#include "ul-validate.h"
#include "ul-variant.h"

G_DEFINE_BOXED_TYPE (UlAddress, ul_address, ul_address_copy, ul_address_free)

/* Longest postal code in use is 10 characters (e.g. Brazil "12345-678", Iran "1234567890");
 * a little slack for spaces people type. */
#define POSTAL_CODE_MAX 16

/* Every field is a string, so apply and to_variant walk one table in form order. */
static const struct
{
  const char *key;
  gsize       offset;
} fields[] = {
  { "street", G_STRUCT_OFFSET (UlAddress, street) },
  { "city", G_STRUCT_OFFSET (UlAddress, city) },
  { "region", G_STRUCT_OFFSET (UlAddress, region) },
  { "postalCode", G_STRUCT_OFFSET (UlAddress, postal_code) },
  { "country", G_STRUCT_OFFSET (UlAddress, country) },
};

#define FIELD(self, i) G_STRUCT_MEMBER (char *, (self), fields[i].offset)

UlAddress *
ul_address_new (void)
{
  return g_new0 (UlAddress, 1);
}

UlAddress *
ul_address_copy (const UlAddress *self)
{
  UlAddress *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ul_address_new ();
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    FIELD (copy, i) = g_strdup (FIELD (self, i));

  return copy;
}

void
ul_address_free (UlAddress *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_free (FIELD (self, i));
  g_free (self);
}

gboolean
ul_address_equal (const UlAddress *a, const UlAddress *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (g_strcmp0 (FIELD (a, i), FIELD (b, i)) != 0)
        return FALSE;
    }

  return TRUE;
}

GVariant *
ul_address_to_variant (const UlAddress *self)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    ul_variant_builder_add_string (&builder, fields[i].key, FIELD (self, i));

  return g_variant_builder_end (&builder);
}

static int
find_field (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (g_str_equal (fields[i].key, key))
        return (int) i;
    }

  return -1;
}

gboolean
ul_address_apply (UlAddress *self, GVariant *changes, GError **error)
{
  g_autoptr (GVariant) owned = NULL;
  g_autoptr (UlAddress) copy = NULL;
  UlAddress swap;
  GVariantIter iter;
  const char *key;
  GVariant *raw;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);
  g_return_val_if_fail (g_variant_is_of_type (changes, G_VARIANT_TYPE_VARDICT), FALSE);

  owned = g_variant_ref_sink (changes);
  copy = ul_address_copy (self);

  g_variant_iter_init (&iter, owned);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &raw))
    {
      g_autoptr (GVariant) value = raw;
      g_autofree char *str = NULL;
      int i = find_field (key);

      if (i < 0)
        return ul_variant_unknown_key (key, error);
      if (!ul_variant_get_string (value, key, &str, error))
        return FALSE;

      g_free (FIELD (copy, i));
      FIELD (copy, i) = g_steal_pointer (&str);
    }

  /* Only a fully applied change reaches @self; the old contents leave with @copy. */
  swap = *self;
  *self = *copy;
  *copy = swap;
  return TRUE;
}

static gboolean
validate_postal_code (const char *value, GError **error)
{
  if (!ul_validate_text (value, POSTAL_CODE_MAX, "postalCode", error))
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != ' ' && *p != '-')
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "postalCode",
                              _("Use only letters, digits, spaces and dashes"));
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
ul_address_validate (const UlAddress *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!ul_validate_text (self->street, UL_TEXT_MAX, "street", error) ||
      !ul_validate_text (self->city, UL_TEXT_MAX, "city", error))
    return FALSE;

  /* Optional, but once given it follows the text rules. */
  if (self->region != NULL && *self->region != '\0' &&
      !ul_validate_text (self->region, UL_TEXT_MAX, "region", error))
    return FALSE;

  return validate_postal_code (self->postal_code, error) &&
         ul_validate_country (self->country, "country", error);
}
