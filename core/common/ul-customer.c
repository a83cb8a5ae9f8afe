/* ul-customer.c — the customer account a gateway serves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ul-common-private.h"
#include "ul-customer.h"
#include "ul-error.h"
#include "ul-validate.h"
#include "ul-variant.h"

G_DEFINE_BOXED_TYPE (UlCustomer, ul_customer, ul_customer_copy, ul_customer_free)

static GPtrArray *
contact_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) ul_contact_free);
}

static gpointer
contact_copy_func (gconstpointer contact, gpointer user_data)
{
  return ul_contact_copy (contact);
}

static GPtrArray *
contact_array_copy (GPtrArray *contacts)
{
  return g_ptr_array_copy (contacts, contact_copy_func, NULL);
}

static gboolean
contact_array_equal (GPtrArray *a, GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      if (!ul_contact_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
        return FALSE;
    }

  return TRUE;
}

static GVariant *
contact_array_to_variant (GPtrArray *contacts, gboolean with_role)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));

  for (guint i = 0; i < contacts->len; i++)
    {
      const UlContact *contact = g_ptr_array_index (contacts, i);

      g_variant_builder_add_value (&builder, ul_contact_to_variant (contact, with_role));
    }

  return g_variant_builder_end (&builder);
}

UlCustomer *
ul_customer_new (void)
{
  UlCustomer *self = g_new0 (UlCustomer, 1);

  self->address = ul_address_new ();
  self->admin_contacts = contact_array_new ();
  self->support_contacts = contact_array_new ();
  self->state = UL_CUSTOMER_STATE_ACTIVE;
  return self;
}

UlCustomer *
ul_customer_copy (const UlCustomer *self)
{
  UlCustomer *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (UlCustomer, 1);
  copy->account_id = g_strdup (self->account_id);
  copy->name = g_strdup (self->name);
  copy->address = ul_address_copy (self->address);
  copy->business_type = g_strdup (self->business_type);
  copy->language = g_strdup (self->language);
  copy->admin_contacts = contact_array_copy (self->admin_contacts);
  copy->support_contacts = contact_array_copy (self->support_contacts);
  copy->state = self->state;
  return copy;
}

void
ul_customer_free (UlCustomer *self)
{
  if (self == NULL)
    return;

  g_free (self->account_id);
  g_free (self->name);
  ul_address_free (self->address);
  g_free (self->business_type);
  g_free (self->language);
  g_ptr_array_unref (self->admin_contacts);
  g_ptr_array_unref (self->support_contacts);
  g_free (self);
}

gboolean
ul_customer_equal (const UlCustomer *a, const UlCustomer *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strcmp0 (a->account_id, b->account_id) == 0 &&
         g_strcmp0 (a->name, b->name) == 0 &&
         ul_address_equal (a->address, b->address) &&
         g_strcmp0 (a->business_type, b->business_type) == 0 &&
         g_strcmp0 (a->language, b->language) == 0 &&
         contact_array_equal (a->admin_contacts, b->admin_contacts) &&
         contact_array_equal (a->support_contacts, b->support_contacts) &&
         a->state == b->state;
}

GVariant *
ul_customer_to_variant (const UlCustomer *self)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_return_val_if_fail (self != NULL, NULL);

  ul_variant_builder_add_string (&builder, "accountId", self->account_id);
  ul_variant_builder_add_string (&builder, "name", self->name);
  g_variant_builder_add (&builder, "{sv}", "address", ul_address_to_variant (self->address));
  ul_variant_builder_add_string (&builder, "businessType", self->business_type);
  ul_variant_builder_add_string (&builder, "language", self->language);
  g_variant_builder_add (&builder, "{sv}", "adminContacts",
                         contact_array_to_variant (self->admin_contacts, FALSE));
  g_variant_builder_add (&builder, "{sv}", "supportContacts",
                         contact_array_to_variant (self->support_contacts, TRUE));
  ul_variant_builder_add_string (&builder, "state", ul_customer_state_to_string (self->state));

  return g_variant_builder_end (&builder);
}

/* Replaces @contacts with the list in @value (aa{sv}); errors name "<key>[i].<field>". */
static gboolean
apply_contacts (GPtrArray  *contacts,
                GVariant   *value,
                const char *key,
                gboolean    with_role,
                GError    **error)
{
  g_autoptr (GPtrArray) parsed = contact_array_new ();
  GVariant *list;

  if (!ul_variant_get_dict_array (value, key, &list, error))
    return FALSE;

  for (gsize i = 0; i < g_variant_n_children (list); i++)
    {
      g_autoptr (GVariant) child = g_variant_get_child_value (list, i);
      UlContact *contact = ul_contact_from_variant (child, with_role, error);

      if (contact == NULL)
        {
          g_autofree char *prefix = ul_field_index (key, i);

          ul_error_prefix_field (error, prefix);
          return FALSE;
        }
      g_ptr_array_add (parsed, contact);
    }

  g_ptr_array_set_size (contacts, 0);
  g_ptr_array_extend_and_steal (contacts, g_steal_pointer (&parsed));
  return TRUE;
}

/* A read-only key may come back unchanged (a client sending back the record it read),
 * never changed. */
static gboolean
check_read_only (GVariant   *value,
                 const char *key,
                 const char *current,
                 const char *reason,
                 GError    **error)
{
  g_autofree char *str = NULL;

  if (!ul_variant_get_string (value, key, &str, error))
    return FALSE;

  if (g_strcmp0 (str, current) != 0)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, key, "%s", reason);
      return FALSE;
    }

  return TRUE;
}

static gboolean
apply_string (GVariant *value, const char *key, char **slot, GError **error)
{
  g_autofree char *str = NULL;

  if (!ul_variant_get_string (value, key, &str, error))
    return FALSE;

  g_free (*slot);
  *slot = g_steal_pointer (&str);
  return TRUE;
}

static gboolean
apply_one (UlCustomer *self, const char *key, GVariant *value, GError **error)
{
  if (g_str_equal (key, "name"))
    return apply_string (value, key, &self->name, error);
  if (g_str_equal (key, "businessType"))
    return apply_string (value, key, &self->business_type, error);
  if (g_str_equal (key, "language"))
    return apply_string (value, key, &self->language, error);
  if (g_str_equal (key, "adminContacts"))
    return apply_contacts (self->admin_contacts, value, key, FALSE, error);
  if (g_str_equal (key, "supportContacts"))
    return apply_contacts (self->support_contacts, value, key, TRUE, error);

  if (g_str_equal (key, "address"))
    {
      GVariant *dict;

      if (!ul_variant_get_dict (value, key, &dict, error))
        return FALSE;
      if (!ul_address_apply (self->address, dict, error))
        {
          ul_error_prefix_field (error, key);
          return FALSE;
        }
      return TRUE;
    }

  if (g_str_equal (key, "accountId"))
    return check_read_only (value, key, self->account_id,
                            _("Read-only: the gateway assigns the account ID"), error);
  if (g_str_equal (key, "state"))
    return check_read_only (value, key, ul_customer_state_to_string (self->state),
                            _("Read-only: deactivate the customer to change the state"), error);

  return ul_variant_unknown_key (key, error);
}

gboolean
ul_customer_apply (UlCustomer *self, GVariant *changes, GError **error)
{
  return ul_record_apply (self, sizeof *self, (GBoxedCopyFunc) ul_customer_copy,
                          (GBoxedFreeFunc) ul_customer_free, (UlApplyOneFunc) apply_one, changes,
                          error);
}

static gboolean
validate_contacts (GPtrArray *contacts, const char *key, gboolean with_role, GError **error)
{
  for (guint i = 0; i < contacts->len; i++)
    {
      const UlContact *contact = g_ptr_array_index (contacts, i);
      g_autofree char *prefix = ul_field_index (key, i);

      if (!ul_contact_validate (contact, with_role, error))
        {
          ul_error_prefix_field (error, prefix);
          return FALSE;
        }

      /* Admin contacts are people: one entry per mailbox. Support contacts may list the
       * same person in two roles (a maintainer who is also the onsite admin). */
      for (guint j = 0; j < i; j++)
        {
          const UlContact *earlier = g_ptr_array_index (contacts, j);
          g_autofree char *field = NULL;

          if ((with_role && earlier->role != contact->role) ||
              !ul_email_equal (earlier->email, contact->email))
            continue;

          field = g_strconcat (prefix, ".email", NULL);
          if (with_role)
            ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                                _("This person is already a support contact with the same role"));
          else
            ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                                _("This e-mail address is already an admin contact"));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
validate_support_roles (GPtrArray *contacts, GError **error)
{
  gboolean have_maintainer = FALSE;
  gboolean have_onsite_admin = FALSE;

  for (guint i = 0; i < contacts->len; i++)
    {
      const UlContact *contact = g_ptr_array_index (contacts, i);

      have_maintainer |= contact->role == UL_SUPPORT_ROLE_MAINTAINER;
      have_onsite_admin |= contact->role == UL_SUPPORT_ROLE_ONSITE_ADMIN;
    }

  /* Seed: "It is mandatory to add at least one Maintainer and Onsite Admin". */
  if (!have_maintainer && !have_onsite_admin)
    ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "supportContacts",
                        _("Add at least one maintainer and one onsite admin"));
  else if (!have_maintainer)
    ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "supportContacts",
                        _("Add at least one maintainer"));
  else if (!have_onsite_admin)
    ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "supportContacts",
                        _("Add at least one onsite admin"));

  return have_maintainer && have_onsite_admin;
}

gboolean
ul_customer_validate (const UlCustomer *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  /* The store assigns it; anything else there is corruption, not user input. */
  if (self->account_id != NULL &&
      (*self->account_id == '\0' ||
       strspn (self->account_id, "0123456789") != strlen (self->account_id)))
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "accountId", _("Must be a number"));
      return FALSE;
    }

  if (!ul_validate_text (self->name, UL_TEXT_MAX, "name", error))
    return FALSE;

  if (!ul_address_validate (self->address, error))
    {
      ul_error_prefix_field (error, "address");
      return FALSE;
    }

  return ul_validate_business_type (self->business_type, "businessType", error) &&
         ul_validate_language (self->language, "language", error) &&
         validate_contacts (self->admin_contacts, "adminContacts", FALSE, error) &&
         validate_contacts (self->support_contacts, "supportContacts", TRUE, error) &&
         validate_support_roles (self->support_contacts, error);
}

int
ul_customer_find_admin (const UlCustomer *self, const char *email)
{
  g_return_val_if_fail (self != NULL, -1);

  for (guint i = 0; email != NULL && i < self->admin_contacts->len; i++)
    {
      const UlContact *contact = g_ptr_array_index (self->admin_contacts, i);

      if (ul_email_equal (contact->email, email))
        return (int) i;
    }

  return -1;
}

int
ul_customer_find_support (const UlCustomer *self, UlSupportRole role, const char *email)
{
  g_return_val_if_fail (self != NULL, -1);

  for (guint i = 0; email != NULL && i < self->support_contacts->len; i++)
    {
      const UlContact *contact = g_ptr_array_index (self->support_contacts, i);

      if (contact->role == role && ul_email_equal (contact->email, email))
        return (int) i;
    }

  return -1;
}
