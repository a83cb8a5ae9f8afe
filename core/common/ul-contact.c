/* ul-contact.c — admin and support contacts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-contact.h"
#include "ul-error.h"
#include "ul-validate.h"
#include "ul-variant.h"

G_DEFINE_BOXED_TYPE (UlContact, ul_contact, ul_contact_copy, ul_contact_free)

UlContact *
ul_contact_new (UlSupportRole role, const char *name, const char *email)
{
  UlContact *self = g_new0 (UlContact, 1);

  self->role = role;
  self->name = g_strdup (name);
  self->email = g_strdup (email);
  return self;
}

UlContact *
ul_contact_copy (const UlContact *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return ul_contact_new (self->role, self->name, self->email);
}

void
ul_contact_free (UlContact *self)
{
  if (self == NULL)
    return;

  g_free (self->name);
  g_free (self->email);
  g_free (self);
}

gboolean
ul_contact_equal (const UlContact *a, const UlContact *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return a->role == b->role &&
         g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->email, b->email) == 0;
}

GVariant *
ul_contact_to_variant (const UlContact *self, gboolean with_role)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_return_val_if_fail (self != NULL, NULL);

  /* An unset role is left out rather than sent as "unknown", which apply refuses. */
  if (with_role && self->role != UL_SUPPORT_ROLE_UNKNOWN)
    ul_variant_builder_add_string (&builder, "role", ul_support_role_to_string (self->role));
  ul_variant_builder_add_string (&builder, "name", self->name);
  ul_variant_builder_add_string (&builder, "email", self->email);

  return g_variant_builder_end (&builder);
}

static gboolean
parse_role (GVariant *value, UlSupportRole *out, GError **error)
{
  g_autofree char *str = NULL;

  if (!ul_variant_get_string (value, "role", &str, error))
    return FALSE;

  *out = ul_support_role_from_string (str);
  if (*out == UL_SUPPORT_ROLE_UNKNOWN)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "role",
                          _("Must be one of maintainer, onsiteAdmin or other"));
      return FALSE;
    }

  return TRUE;
}

UlContact *
ul_contact_from_variant (GVariant *dict, gboolean with_role, GError **error)
{
  g_autoptr (GVariant) owned = NULL;
  g_autoptr (UlContact) contact = NULL;
  GVariantIter iter;
  const char *key;
  GVariant *raw;

  g_return_val_if_fail (dict != NULL, NULL);
  g_return_val_if_fail (g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT), NULL);

  owned = g_variant_ref_sink (dict);
  contact = ul_contact_new (UL_SUPPORT_ROLE_UNKNOWN, NULL, NULL);

  g_variant_iter_init (&iter, owned);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &raw))
    {
      g_autoptr (GVariant) value = raw;
      char **slot = NULL;
      g_autofree char *str = NULL;

      if (with_role && g_str_equal (key, "role"))
        {
          if (!parse_role (value, &contact->role, error))
            return NULL;
          continue;
        }

      if (g_str_equal (key, "name"))
        slot = &contact->name;
      else if (g_str_equal (key, "email"))
        slot = &contact->email;
      else
        {
          ul_variant_unknown_key (key, error);
          return NULL;
        }

      if (!ul_variant_get_string (value, key, &str, error))
        return NULL;
      g_free (*slot);
      *slot = g_steal_pointer (&str);
    }

  return g_steal_pointer (&contact);
}

gboolean
ul_contact_validate (const UlContact *self, gboolean with_role, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (with_role && self->role == UL_SUPPORT_ROLE_UNKNOWN)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "role",
                          _("Choose the role: maintainer, onsiteAdmin or other"));
      return FALSE;
    }

  return ul_validate_text (self->name, UL_TEXT_MAX, "name", error) &&
         ul_validate_email (self->email, "email", error);
}
