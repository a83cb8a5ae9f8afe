/* ul-user.c — the user model and its eligibility rules.
 *
 * G_LOG_DOMAIN comes from the library's c_args ("uplink-common").
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ul-error.h"
#include "ul-user.h"
#include "ul-validate.h"
#include "ul-variant.h"

G_DEFINE_BOXED_TYPE (UlUser, ul_user, ul_user_copy, ul_user_free)

static UlUserEligibility
eligibility_of_email (const char *email)
{
  if (email == NULL || *email == '\0')
    return UL_USER_ELIGIBILITY_NO_EMAIL;
  if (!ul_validate_email (email, "email", NULL))
    return UL_USER_ELIGIBILITY_INVALID_EMAIL;
  return UL_USER_ELIGIBILITY_ELIGIBLE;
}

UlUser *
ul_user_new (const char *extension, const char *name, const char *email)
{
  UlUser *self;

  g_return_val_if_fail (extension != NULL, NULL);

  self = g_new0 (UlUser, 1);
  self->extension = g_strdup (extension);
  self->name = g_strdup (name);
  self->email = g_strdup (email);
  self->cti_device = g_strdup (extension);
  self->eligibility = eligibility_of_email (email);
  return self;
}

UlUser *
ul_user_copy (const UlUser *self)
{
  UlUser *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (UlUser, 1);
  copy->extension = g_strdup (self->extension);
  copy->name = g_strdup (self->name);
  copy->email = g_strdup (self->email);
  copy->user_group = g_strdup (self->user_group);
  copy->cti_device = g_strdup (self->cti_device);
  copy->eligibility = self->eligibility;
  copy->invited_at = self->invited_at;
  copy->registered_at = self->registered_at;
  copy->admin = self->admin;
  return copy;
}

void
ul_user_free (UlUser *self)
{
  if (self == NULL)
    return;

  g_free (self->extension);
  g_free (self->name);
  g_free (self->email);
  g_free (self->user_group);
  g_free (self->cti_device);
  g_free (self);
}

const char *
ul_user_get_cti_device (const UlUser *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->cti_device != NULL && *self->cti_device != '\0' ? self->cti_device
                                                                : self->extension;
}

gboolean
ul_user_equal (const UlUser *a, const UlUser *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  /* The effective CTI device, so that "unset" and "same as the extension" compare equal. */
  return g_strcmp0 (a->extension, b->extension) == 0
         && g_strcmp0 (a->name, b->name) == 0
         && g_strcmp0 (a->email, b->email) == 0
         && g_strcmp0 (a->user_group, b->user_group) == 0
         && g_strcmp0 (ul_user_get_cti_device (a), ul_user_get_cti_device (b)) == 0
         && a->eligibility == b->eligibility
         && a->invited_at == b->invited_at
         && a->registered_at == b->registered_at
         && !a->admin == !b->admin;
}

GVariant *
ul_user_to_variant (const UlUser *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  ul_user_add_to_builder (self, &builder);
  return g_variant_builder_end (&builder);
}

void
ul_user_add_to_builder (const UlUser *self, GVariantBuilder *builder)
{
  g_return_if_fail (self != NULL);

  ul_variant_builder_add_string (builder, "extension", self->extension);
  ul_variant_builder_add_string (builder, "name", self->name);
  ul_variant_builder_add_string (builder, "email", self->email);
  ul_variant_builder_add_string (builder, "userGroup", self->user_group);
  ul_variant_builder_add_string (builder, "ctiDevice", ul_user_get_cti_device (self));
  g_variant_builder_add (builder, "{sv}", "eligible",
                         g_variant_new_boolean (self->eligibility
                                                == UL_USER_ELIGIBILITY_ELIGIBLE));
  if (self->eligibility != UL_USER_ELIGIBILITY_ELIGIBLE)
    g_variant_builder_add (builder, "{sv}", "ineligibleReason",
                           g_variant_new_string (ul_user_eligibility_to_string (self->eligibility)));
  g_variant_builder_add (builder, "{sv}", "invitedAt", g_variant_new_int64 (self->invited_at));
  g_variant_builder_add (builder, "{sv}", "registeredAt",
                         g_variant_new_int64 (self->registered_at));
  g_variant_builder_add (builder, "{sv}", "admin", g_variant_new_boolean (self->admin));
}

/* Reads one string-valued key into @field_ptr, replacing what was there. */
static gboolean
read_string (GVariant *value, const char *key, char **field_ptr, GError **error)
{
  char *str = NULL;

  if (!ul_variant_get_string (value, key, &str, error))
    return FALSE;
  g_free (*field_ptr);
  *field_ptr = str;
  return TRUE;
}

UlUser *
ul_user_from_variant (GVariant *dict, GError **error)
{
  g_autoptr(GVariant) owned = NULL;
  g_autoptr(UlUser) self = NULL;
  GVariantIter iter;
  const char *key;
  GVariant *value_ptr;
  gboolean eligible = TRUE;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (dict != NULL, NULL);

  owned = g_variant_ref_sink (dict);
  if (!g_variant_is_of_type (owned, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT,
                   _("A user record must be a dictionary (a{sv})"));
      return NULL;
    }

  self = g_new0 (UlUser, 1);
  g_variant_iter_init (&iter, owned);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value_ptr))
    {
      g_autoptr(GVariant) value = value_ptr;
      gboolean ok = TRUE;

      if (g_str_equal (key, "extension"))
        ok = read_string (value, key, &self->extension, error);
      else if (g_str_equal (key, "name"))
        ok = read_string (value, key, &self->name, error);
      else if (g_str_equal (key, "email"))
        ok = read_string (value, key, &self->email, error);
      else if (g_str_equal (key, "userGroup"))
        ok = read_string (value, key, &self->user_group, error);
      else if (g_str_equal (key, "ctiDevice"))
        ok = read_string (value, key, &self->cti_device, error);
      else if (g_str_equal (key, "eligible"))
        ok = ul_variant_get_boolean (value, key, &eligible, error);
      else if (g_str_equal (key, "ineligibleReason"))
        ok = read_string (value, key, &reason, error);
      else if (g_str_equal (key, "invitedAt"))
        ok = ul_variant_get_int (value, key, &self->invited_at, error);
      else if (g_str_equal (key, "registeredAt"))
        ok = ul_variant_get_int (value, key, &self->registered_at, error);
      else if (g_str_equal (key, "admin"))
        ok = ul_variant_get_boolean (value, key, &self->admin, error);

      if (!ok)
        return NULL;
    }

  if (self->extension == NULL || *self->extension == '\0')
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "extension",
                          _("A user needs an extension"));
      return NULL;
    }

  self->eligibility = UL_USER_ELIGIBILITY_ELIGIBLE;
  if (!eligible)
    {
      self->eligibility = ul_user_eligibility_from_string (reason);
      /* A reason this client does not know yet still means "not eligible". */
      if (self->eligibility == UL_USER_ELIGIBILITY_ELIGIBLE)
        self->eligibility = UL_USER_ELIGIBILITY_INVALID_EMAIL;
    }

  return g_steal_pointer (&self);
}

static const char * const eligibility_names[] = {
  [UL_USER_ELIGIBILITY_ELIGIBLE] = "eligible",
  [UL_USER_ELIGIBILITY_NO_EMAIL] = "no-email",
  [UL_USER_ELIGIBILITY_INVALID_EMAIL] = "invalid-email",
  [UL_USER_ELIGIBILITY_DUPLICATE_EMAIL] = "duplicate-email",
};

const char *
ul_user_eligibility_to_string (UlUserEligibility value)
{
  if ((guint) value >= G_N_ELEMENTS (eligibility_names))
    return eligibility_names[UL_USER_ELIGIBILITY_ELIGIBLE];
  return eligibility_names[value];
}

UlUserEligibility
ul_user_eligibility_from_string (const char *str)
{
  if (str == NULL)
    return UL_USER_ELIGIBILITY_ELIGIBLE;
  for (guint i = 0; i < G_N_ELEMENTS (eligibility_names); i++)
    {
      if (g_str_equal (str, eligibility_names[i]))
        return (UlUserEligibility) i;
    }
  return UL_USER_ELIGIBILITY_ELIGIBLE;
}

const char *
ul_user_eligibility_get_reason (UlUserEligibility value)
{
  switch (value)
    {
    case UL_USER_ELIGIBILITY_NO_EMAIL:
      return _("The user has no e-mail address in the PBX directory, so they cannot receive "
               "a deployment e-mail or register the app.");
    case UL_USER_ELIGIBILITY_INVALID_EMAIL:
      return _("The user's e-mail address in the PBX directory is not valid.");
    case UL_USER_ELIGIBILITY_DUPLICATE_EMAIL:
      return _("Another user has the same e-mail address; deployment e-mails cannot be sent "
               "to users who share an address.");
    case UL_USER_ELIGIBILITY_ELIGIBLE:
    default:
      return _("The user can receive a deployment e-mail.");
    }
}

static gboolean
is_all_digits (const char *str)
{
  if (*str == '\0')
    return FALSE;
  for (; *str != '\0'; str++)
    {
      if (!g_ascii_isdigit (*str))
        return FALSE;
    }
  return TRUE;
}

int
ul_extension_compare (const char *a, const char *b)
{
  gboolean a_num, b_num;

  if (a == NULL || b == NULL)
    return g_strcmp0 (a, b);

  a_num = is_all_digits (a);
  b_num = is_all_digits (b);
  if (a_num != b_num)
    return a_num ? -1 : 1;
  if (a_num)
    {
      const char *a_digits = a;
      const char *b_digits = b;
      size_t a_len, b_len;
      int cmp;

      /* By value without parsing, so any length works: skip leading zeros, then the longer
       * number is the bigger one. Equal values fall back to bytes so "007" != "7". */
      while (a_digits[0] == '0' && a_digits[1] != '\0')
        a_digits++;
      while (b_digits[0] == '0' && b_digits[1] != '\0')
        b_digits++;
      a_len = strlen (a_digits);
      b_len = strlen (b_digits);
      if (a_len != b_len)
        return a_len < b_len ? -1 : 1;
      cmp = strcmp (a_digits, b_digits);
      if (cmp != 0)
        return cmp;
    }
  return strcmp (a, b);
}

void
ul_users_compute_eligibility (GPtrArray *users)
{
  g_autoptr(GHashTable) counts = NULL;
  g_autofree char **keys = NULL;

  g_return_if_fail (users != NULL);

  /* Key per user: the case-folded address when it is valid, else NULL. */
  keys = g_new0 (char *, users->len + 1);
  counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < users->len; i++)
    {
      UlUser *user = g_ptr_array_index (users, i);
      guint count;

      user->eligibility = eligibility_of_email (user->email);
      if (user->eligibility != UL_USER_ELIGIBILITY_ELIGIBLE)
        continue;

      keys[i] = g_utf8_casefold (user->email, -1);
      count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, keys[i]));
      g_hash_table_replace (counts, g_strdup (keys[i]), GUINT_TO_POINTER (count + 1));
    }

  for (guint i = 0; i < users->len; i++)
    {
      UlUser *user = g_ptr_array_index (users, i);

      if (keys[i] != NULL && GPOINTER_TO_UINT (g_hash_table_lookup (counts, keys[i])) > 1)
        user->eligibility = UL_USER_ELIGIBILITY_DUPLICATE_EMAIL;
      g_free (keys[i]);
    }
}

void
ul_users_compute_admin (GPtrArray *users, const UlCustomer *customer)
{
  g_return_if_fail (users != NULL);

  for (guint i = 0; i < users->len; i++)
    {
      UlUser *user = g_ptr_array_index (users, i);

      user->admin = customer != NULL && user->email != NULL && *user->email != '\0'
                    && ul_customer_find_admin (customer, user->email) >= 0;
    }
}

GVariant *
ul_users_to_variant (GPtrArray *users)
{
  GVariantBuilder builder;

  g_return_val_if_fail (users != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < users->len; i++)
    g_variant_builder_add_value (&builder, ul_user_to_variant (g_ptr_array_index (users, i)));
  return g_variant_builder_end (&builder);
}
