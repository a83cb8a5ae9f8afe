/* ul-directory-config.c — the directory source settings, their a{sv} form and their rules.
 *
 * G_LOG_DOMAIN comes from the library's c_args ("uplink-common"). No libldap here: the
 * dashboard links this library too, so the checks are done by hand.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ul-directory-config.h"
#include "ul-error.h"
#include "ul-validate.h"
#include "ul-variant.h"

#define ATTRIBUTE_MAX 64

G_DEFINE_BOXED_TYPE (UlDirectoryConfig, ul_directory_config,
                     ul_directory_config_copy, ul_directory_config_free)

static const char * const kind_names[] = {
  [UL_DIRECTORY_KIND_NONE] = "none",
  [UL_DIRECTORY_KIND_LDAP] = "ldap",
  [UL_DIRECTORY_KIND_CSV] = "csv",
};

static const char * const encoding_names[] = {
  [UL_CSV_ENCODING_AUTO] = "auto",
  [UL_CSV_ENCODING_UTF8] = "utf-8",
  [UL_CSV_ENCODING_LATIN1] = "latin-1",
};

const char *
ul_directory_kind_to_string (UlDirectoryKind value)
{
  if ((guint) value >= G_N_ELEMENTS (kind_names))
    return kind_names[UL_DIRECTORY_KIND_NONE];
  return kind_names[value];
}

int
ul_directory_kind_from_string (const char *str)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_str_equal (str, kind_names[i]))
        return (int) i;
    }
  return -1;
}

const char *
ul_csv_encoding_to_string (UlCsvEncoding value)
{
  if ((guint) value >= G_N_ELEMENTS (encoding_names))
    return encoding_names[UL_CSV_ENCODING_AUTO];
  return encoding_names[value];
}

int
ul_csv_encoding_from_string (const char *str)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (encoding_names); i++)
    {
      if (g_str_equal (str, encoding_names[i]))
        return (int) i;
    }
  return -1;
}

UlDirectoryConfig *
ul_directory_config_new (void)
{
  UlDirectoryConfig *self = g_new0 (UlDirectoryConfig, 1);

  self->kind = UL_DIRECTORY_KIND_NONE;
  self->filter = g_strdup (UL_DIRECTORY_FILTER_DEFAULT);
  self->page_size = UL_DIRECTORY_PAGE_SIZE_DEFAULT;
  self->attr_name = g_strdup (UL_DIRECTORY_ATTR_NAME_DEFAULT);
  self->attr_extension = g_strdup (UL_DIRECTORY_ATTR_EXTENSION_DEFAULT);
  self->attr_email = g_strdup (UL_DIRECTORY_ATTR_EMAIL_DEFAULT);
  self->attr_group = g_strdup (UL_DIRECTORY_ATTR_GROUP_DEFAULT);
  self->csv_encoding = UL_CSV_ENCODING_AUTO;
  return self;
}

UlDirectoryConfig *
ul_directory_config_copy (const UlDirectoryConfig *self)
{
  UlDirectoryConfig *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (UlDirectoryConfig, 1);
  copy->kind = self->kind;
  copy->ldap_uri = g_strdup (self->ldap_uri);
  copy->base_dn = g_strdup (self->base_dn);
  copy->bind_dn = g_strdup (self->bind_dn);
  copy->bind_password = g_strdup (self->bind_password);
  copy->starttls = self->starttls;
  copy->filter = g_strdup (self->filter);
  copy->page_size = self->page_size;
  copy->attr_name = g_strdup (self->attr_name);
  copy->attr_extension = g_strdup (self->attr_extension);
  copy->attr_email = g_strdup (self->attr_email);
  copy->attr_group = g_strdup (self->attr_group);
  copy->attr_cti_device = g_strdup (self->attr_cti_device);
  copy->csv_path = g_strdup (self->csv_path);
  copy->csv_encoding = self->csv_encoding;
  return copy;
}

/* Overwrites a secret before freeing it, so it does not linger in freed heap memory
 * that a later crash dump or support bundle could capture. */
static void
free_secret (char *secret)
{
  if (secret == NULL)
    return;
  for (volatile char *p = secret; *p != '\0'; p++)
    *p = '\0';
  g_free (secret);
}

void
ul_directory_config_free (UlDirectoryConfig *self)
{
  if (self == NULL)
    return;

  g_free (self->ldap_uri);
  g_free (self->base_dn);
  g_free (self->bind_dn);
  free_secret (self->bind_password);
  g_free (self->filter);
  g_free (self->attr_name);
  g_free (self->attr_extension);
  g_free (self->attr_email);
  g_free (self->attr_group);
  g_free (self->attr_cti_device);
  g_free (self->csv_path);
  g_free (self);
}

gboolean
ul_directory_config_equal (const UlDirectoryConfig *a, const UlDirectoryConfig *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return a->kind == b->kind
         && g_strcmp0 (a->ldap_uri, b->ldap_uri) == 0
         && g_strcmp0 (a->base_dn, b->base_dn) == 0
         && g_strcmp0 (a->bind_dn, b->bind_dn) == 0
         && g_strcmp0 (a->bind_password, b->bind_password) == 0
         && !a->starttls == !b->starttls
         && g_strcmp0 (a->filter, b->filter) == 0
         && a->page_size == b->page_size
         && g_strcmp0 (a->attr_name, b->attr_name) == 0
         && g_strcmp0 (a->attr_extension, b->attr_extension) == 0
         && g_strcmp0 (a->attr_email, b->attr_email) == 0
         && g_strcmp0 (a->attr_group, b->attr_group) == 0
         && g_strcmp0 (a->attr_cti_device, b->attr_cti_device) == 0
         && g_strcmp0 (a->csv_path, b->csv_path) == 0
         && a->csv_encoding == b->csv_encoding;
}

static gboolean
password_is_set (const UlDirectoryConfig *self)
{
  return self->bind_password != NULL && *self->bind_password != '\0';
}

GVariant *
ul_directory_config_to_variant (const UlDirectoryConfig *self)
{
  GVariantBuilder builder, ldap, attributes, csv;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_builder_init (&attributes, G_VARIANT_TYPE_VARDICT);
  ul_variant_builder_add_string (&attributes, "name", self->attr_name);
  ul_variant_builder_add_string (&attributes, "extension", self->attr_extension);
  ul_variant_builder_add_string (&attributes, "email", self->attr_email);
  ul_variant_builder_add_string (&attributes, "group", self->attr_group);
  ul_variant_builder_add_string (&attributes, "ctiDevice", self->attr_cti_device);

  g_variant_builder_init (&ldap, G_VARIANT_TYPE_VARDICT);
  ul_variant_builder_add_string (&ldap, "uri", self->ldap_uri);
  ul_variant_builder_add_string (&ldap, "baseDn", self->base_dn);
  ul_variant_builder_add_string (&ldap, "bindDn", self->bind_dn);
  g_variant_builder_add (&ldap, "{sv}", "passwordSet",
                         g_variant_new_boolean (password_is_set (self)));
  g_variant_builder_add (&ldap, "{sv}", "startTls", g_variant_new_boolean (self->starttls));
  ul_variant_builder_add_string (&ldap, "filter", self->filter);
  g_variant_builder_add (&ldap, "{sv}", "pageSize", g_variant_new_uint32 (self->page_size));
  g_variant_builder_add (&ldap, "{sv}", "attributes", g_variant_builder_end (&attributes));

  g_variant_builder_init (&csv, G_VARIANT_TYPE_VARDICT);
  ul_variant_builder_add_string (&csv, "path", self->csv_path);
  g_variant_builder_add (&csv, "{sv}", "encoding",
                         g_variant_new_string (ul_csv_encoding_to_string (self->csv_encoding)));

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "kind",
                         g_variant_new_string (ul_directory_kind_to_string (self->kind)));
  g_variant_builder_add (&builder, "{sv}", "ldap", g_variant_builder_end (&ldap));
  g_variant_builder_add (&builder, "{sv}", "csv", g_variant_builder_end (&csv));
  return g_variant_builder_end (&builder);
}

/* What "" means for a string field. */
typedef enum
{
  EMPTY_UNSETS,     /* "" → NULL */
  EMPTY_DEFAULTS,   /* "" → @default_value */
} EmptyMeaning;

static gboolean
apply_string (GVariant    *value,
              const char  *field,
              char       **target,
              EmptyMeaning empty,
              const char  *default_value,
              GError     **error)
{
  char *str = NULL;

  if (!ul_variant_get_string (value, field, &str, error))
    return FALSE;

  if (str != NULL && *str == '\0')
    {
      g_free (str);
      str = empty == EMPTY_DEFAULTS ? g_strdup (default_value) : NULL;
    }
  g_free (*target);
  *target = str;
  return TRUE;
}

static gboolean
unknown_key (const char *prefix, const char *key, GError **error)
{
  g_autofree char *path = g_strconcat (prefix, ".", key, NULL);

  return ul_variant_unknown_key (path, error);
}

static gboolean
apply_attributes (UlDirectoryConfig *self, GVariant *dict, GError **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value_ptr;

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value_ptr))
    {
      g_autoptr(GVariant) value = value_ptr;
      gboolean ok;

      if (g_str_equal (key, "name"))
        ok = apply_string (value, "ldap.attributes.name", &self->attr_name, EMPTY_DEFAULTS,
                           UL_DIRECTORY_ATTR_NAME_DEFAULT, error);
      else if (g_str_equal (key, "extension"))
        ok = apply_string (value, "ldap.attributes.extension", &self->attr_extension,
                           EMPTY_DEFAULTS, UL_DIRECTORY_ATTR_EXTENSION_DEFAULT, error);
      else if (g_str_equal (key, "email"))
        ok = apply_string (value, "ldap.attributes.email", &self->attr_email, EMPTY_DEFAULTS,
                           UL_DIRECTORY_ATTR_EMAIL_DEFAULT, error);
      else if (g_str_equal (key, "group"))
        ok = apply_string (value, "ldap.attributes.group", &self->attr_group, EMPTY_DEFAULTS,
                           UL_DIRECTORY_ATTR_GROUP_DEFAULT, error);
      else if (g_str_equal (key, "ctiDevice"))
        ok = apply_string (value, "ldap.attributes.ctiDevice", &self->attr_cti_device,
                           EMPTY_UNSETS, NULL, error);
      else
        ok = unknown_key ("ldap.attributes", key, error);

      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_ldap (UlDirectoryConfig *self, GVariant *dict, GError **error)
{
  g_autoptr(GVariant) password_set = NULL;
  GVariantIter iter;
  const char *key;
  GVariant *value_ptr;

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value_ptr))
    {
      g_autoptr(GVariant) value = value_ptr;
      gboolean ok;

      if (g_str_equal (key, "uri"))
        {
          ok = apply_string (value, "ldap.uri", &self->ldap_uri, EMPTY_UNSETS, NULL, error);
        }
      else if (g_str_equal (key, "baseDn"))
        {
          ok = apply_string (value, "ldap.baseDn", &self->base_dn, EMPTY_UNSETS, NULL, error);
        }
      else if (g_str_equal (key, "bindDn"))
        {
          ok = apply_string (value, "ldap.bindDn", &self->bind_dn, EMPTY_UNSETS, NULL, error);
        }
      else if (g_str_equal (key, "password"))
        {
          char *password = NULL;

          ok = ul_variant_get_string (value, "ldap.password", &password, error);
          if (ok)
            {
              free_secret (self->bind_password);
              self->bind_password = password;
              if (password != NULL && *password == '\0')
                g_clear_pointer (&self->bind_password, free_secret);
            }
        }
      else if (g_str_equal (key, "passwordSet"))
        {
          /* Checked once every key is in, so that a record read with to_variant() can be
           * sent back as it is: {"password": "…", "passwordSet": true} is fine too. */
          g_clear_pointer (&password_set, g_variant_unref);
          password_set = g_steal_pointer (&value);
          ok = TRUE;
        }
      else if (g_str_equal (key, "startTls"))
        {
          ok = ul_variant_get_boolean (value, "ldap.startTls", &self->starttls, error);
        }
      else if (g_str_equal (key, "filter"))
        {
          ok = apply_string (value, "ldap.filter", &self->filter, EMPTY_DEFAULTS,
                             UL_DIRECTORY_FILTER_DEFAULT, error);
        }
      else if (g_str_equal (key, "pageSize"))
        {
          gint64 page_size = 0;

          ok = ul_variant_get_int (value, "ldap.pageSize", &page_size, error);
          if (ok && (page_size < 1 || page_size > UL_DIRECTORY_PAGE_SIZE_MAX))
            {
              ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ldap.pageSize",
                                  _("The page size must be between 1 and %d"),
                                  UL_DIRECTORY_PAGE_SIZE_MAX);
              ok = FALSE;
            }
          if (ok)
            self->page_size = (guint) page_size;
        }
      else if (g_str_equal (key, "attributes"))
        {
          GVariant *attributes = NULL;

          ok = ul_variant_get_dict (value, "ldap.attributes", &attributes, error)
               && apply_attributes (self, attributes, error);
        }
      else
        {
          ok = unknown_key ("ldap", key, error);
        }

      if (!ok)
        return FALSE;
    }

  if (password_set != NULL)
    {
      gboolean claimed = FALSE;

      if (!ul_variant_get_boolean (password_set, "ldap.passwordSet", &claimed, error))
        return FALSE;
      if (!claimed != !password_is_set (self))
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ldap.passwordSet",
                              _("Read-only: send “password” to set or change the password"));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
apply_csv (UlDirectoryConfig *self, GVariant *dict, GError **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value_ptr;

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value_ptr))
    {
      g_autoptr(GVariant) value = value_ptr;
      gboolean ok;

      if (g_str_equal (key, "path"))
        {
          ok = apply_string (value, "csv.path", &self->csv_path, EMPTY_UNSETS, NULL, error);
        }
      else if (g_str_equal (key, "encoding"))
        {
          g_autofree char *str = NULL;
          int encoding = -1;

          ok = ul_variant_get_string (value, "csv.encoding", &str, error);
          if (ok)
            encoding = ul_csv_encoding_from_string (str);
          if (ok && encoding < 0)
            {
              ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "csv.encoding",
                                  _("Unknown encoding “%s”; use auto, utf-8 or latin-1"), str);
              ok = FALSE;
            }
          if (ok)
            self->csv_encoding = (UlCsvEncoding) encoding;
        }
      else
        {
          ok = unknown_key ("csv", key, error);
        }

      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_all (UlDirectoryConfig *self, GVariant *changes, GError **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value_ptr;

  g_variant_iter_init (&iter, changes);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value_ptr))
    {
      g_autoptr(GVariant) value = value_ptr;
      GVariant *dict = NULL;
      gboolean ok;

      if (g_str_equal (key, "kind"))
        {
          g_autofree char *str = NULL;
          int kind = -1;

          ok = ul_variant_get_string (value, "kind", &str, error);
          if (ok)
            kind = ul_directory_kind_from_string (str);
          if (ok && kind < 0)
            {
              ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "kind",
                                  _("Unknown directory kind “%s”; use none, ldap or csv"), str);
              ok = FALSE;
            }
          if (ok)
            self->kind = (UlDirectoryKind) kind;
        }
      else if (g_str_equal (key, "ldap"))
        {
          ok = ul_variant_get_dict (value, "ldap", &dict, error) && apply_ldap (self, dict, error);
        }
      else if (g_str_equal (key, "csv"))
        {
          ok = ul_variant_get_dict (value, "csv", &dict, error) && apply_csv (self, dict, error);
        }
      else
        {
          ok = ul_variant_unknown_key (key, error);
        }

      if (!ok)
        return FALSE;
    }
  return TRUE;
}

gboolean
ul_directory_config_apply (UlDirectoryConfig *self, GVariant *changes, GError **error)
{
  g_autoptr(GVariant) owned = NULL;
  g_autoptr(UlDirectoryConfig) candidate = NULL;
  UlDirectoryConfig swap;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  owned = g_variant_ref_sink (changes);
  if (!g_variant_is_of_type (owned, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT,
                   _("The directory settings must be a dictionary (a{sv})"));
      return FALSE;
    }

  /* Work on a copy so that a bad key halfway through leaves @self as it was. */
  candidate = ul_directory_config_copy (self);
  if (!apply_all (candidate, owned, error))
    return FALSE;

  swap = *self;
  *self = *candidate;
  *candidate = swap;
  return TRUE;
}

static gboolean
validate_uri (const char *uri, GError **error)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme, *host, *path;

  if (!ul_validate_text (uri, UL_DIRECTORY_DN_MAX, "ldap.uri", error))
    return FALSE;

  parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  if (parsed == NULL || strpbrk (uri, " \t") != NULL)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ldap.uri",
                          _("Enter one LDAP address such as ldap://pbx.example.com or "
                            "ldaps://10.0.0.5:636"));
      return FALSE;
    }

  scheme = g_uri_get_scheme (parsed);
  if (g_ascii_strcasecmp (scheme, "ldap") != 0 && g_ascii_strcasecmp (scheme, "ldaps") != 0)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ldap.uri",
                          _("The address must start with ldap:// or ldaps://"));
      return FALSE;
    }

  if (g_uri_get_userinfo (parsed) != NULL)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ldap.uri",
                          _("Do not put credentials in the address; use the bind DN and "
                            "password fields"));
      return FALSE;
    }

  host = g_uri_get_host (parsed);
  if (host == NULL || *host == '\0')
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ldap.uri",
                          _("The address has no server name"));
      return FALSE;
    }
  if (!ul_validate_host (host, "ldap.uri", error))
    return FALSE;

  /* libldap ignores an LDAP URL's DN, attributes and filter when connecting; refusing
   * them avoids a base DN that silently has no effect. */
  path = g_uri_get_path (parsed);
  if ((path != NULL && *path != '\0' && !g_str_equal (path, "/"))
      || g_uri_get_query (parsed) != NULL || g_uri_get_fragment (parsed) != NULL)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ldap.uri",
                          _("Enter only the server address; the base DN and filter have "
                            "their own fields"));
      return FALSE;
    }

  return TRUE;
}

/* A light check that @value looks like a DN ("attr=value,…"); the server has the final
 * word, but this catches a host name or an e-mail typed into the wrong field. */
static gboolean
validate_dn (const char *value, const char *field, GError **error)
{
  const char *p = value;
  const char *start;

  if (!ul_validate_text (value, UL_DIRECTORY_DN_MAX, field, error))
    return FALSE;

  while (*p == ' ')
    p++;
  start = p;
  while (g_ascii_isalnum (*p) || *p == '-' || *p == '.')
    p++;
  if (p == start)
    p = "";
  while (*p == ' ')
    p++;
  if (*p != '=')
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          _("Enter a distinguished name such as dc=example,dc=com"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_filter (const char *filter, GError **error)
{
  size_t len;
  int depth = 0;

  if (!ul_validate_text (filter, UL_DIRECTORY_FILTER_MAX, "ldap.filter", error))
    return FALSE;

  /* RFC 4515 escapes parentheses inside values as \28 and \29, so a plain count is a
   * sound balance check. */
  len = strlen (filter);
  for (size_t i = 0; i < len && depth >= 0; i++)
    {
      if (filter[i] == '(')
        depth++;
      else if (filter[i] == ')')
        depth--;
      if (depth == 0 && i + 1 < len)
        depth = -1;
    }
  if (filter[0] != '(' || filter[len - 1] != ')' || depth != 0)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ldap.filter",
                          _("Enter one LDAP filter in parentheses, such as "
                            "(objectClass=inetOrgPerson)"));
      return FALSE;
    }
  return TRUE;
}

/* RFC 4512 §1.4: a descriptor (letter, then letters, digits, hyphens) or a numeric OID. */
static gboolean
validate_attribute (const char *value, const char *field, GError **error)
{
  gboolean ok;

  if (!ul_validate_required (value, field, error))
    return FALSE;

  ok = strlen (value) <= ATTRIBUTE_MAX;
  if (ok && g_ascii_isalpha (value[0]))
    {
      for (const char *p = value; ok && *p != '\0'; p++)
        ok = g_ascii_isalnum (*p) || *p == '-';
    }
  else if (ok)
    {
      gboolean after_dot = TRUE;

      for (const char *p = value; ok && *p != '\0'; p++)
        {
          ok = g_ascii_isdigit (*p) || (*p == '.' && !after_dot);
          after_dot = *p == '.';
        }
      ok = ok && !after_dot && strchr (value, '.') != NULL;
    }

  if (!ok)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          _("“%s” is not an LDAP attribute name"), value);
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_ldap (const UlDirectoryConfig *self, GError **error)
{
  gboolean has_password = password_is_set (self);

  if (!ul_validate_required (self->ldap_uri, "ldap.uri", error)
      || !validate_uri (self->ldap_uri, error))
    return FALSE;

  if (self->starttls && g_ascii_strncasecmp (self->ldap_uri, "ldaps:", 6) == 0)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ldap.startTls",
                          _("An ldaps:// address is already encrypted; StartTLS is only for "
                            "ldap:// addresses"));
      return FALSE;
    }

  if (!ul_validate_required (self->base_dn, "ldap.baseDn", error)
      || !validate_dn (self->base_dn, "ldap.baseDn", error))
    return FALSE;

  if (self->bind_dn != NULL && !validate_dn (self->bind_dn, "ldap.bindDn", error))
    return FALSE;

  /* A simple bind with a DN and an empty password is an "unauthenticated bind"
   * (RFC 4513 §5.1.2) that many servers treat as anonymous: refuse it here rather than
   * have the sync silently see less. */
  if (self->bind_dn != NULL && !has_password)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ldap.password",
                          _("Enter the password of the bind DN, or clear the bind DN to "
                            "connect anonymously"));
      return FALSE;
    }
  if (self->bind_dn == NULL && has_password)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ldap.bindDn",
                          _("Enter the bind DN that the password belongs to"));
      return FALSE;
    }
  if (has_password && (strlen (self->bind_password) > UL_DIRECTORY_PASSWORD_MAX
                       || !g_utf8_validate (self->bind_password, -1, NULL)))
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ldap.password",
                          _("The password must be valid text of at most %d bytes"),
                          UL_DIRECTORY_PASSWORD_MAX);
      return FALSE;
    }

  if (!ul_validate_required (self->filter, "ldap.filter", error)
      || !validate_filter (self->filter, error))
    return FALSE;

  if (self->page_size < 1 || self->page_size > UL_DIRECTORY_PAGE_SIZE_MAX)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "ldap.pageSize",
                          _("The page size must be between 1 and %d"),
                          UL_DIRECTORY_PAGE_SIZE_MAX);
      return FALSE;
    }

  return validate_attribute (self->attr_name, "ldap.attributes.name", error)
         && validate_attribute (self->attr_extension, "ldap.attributes.extension", error)
         && validate_attribute (self->attr_email, "ldap.attributes.email", error)
         && validate_attribute (self->attr_group, "ldap.attributes.group", error)
         && (self->attr_cti_device == NULL
             || validate_attribute (self->attr_cti_device, "ldap.attributes.ctiDevice", error));
}

static gboolean
validate_csv (const UlDirectoryConfig *self, GError **error)
{
  if (!ul_validate_required (self->csv_path, "csv.path", error))
    return FALSE;

  if (!ul_validate_text (self->csv_path, UL_DIRECTORY_PATH_MAX, "csv.path", error))
    return FALSE;

  if (!g_path_is_absolute (self->csv_path))
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "csv.path",
                          _("Enter the full path of the CSV file, starting with /"));
      return FALSE;
    }
  return TRUE;
}

gboolean
ul_directory_config_validate (const UlDirectoryConfig *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  switch (self->kind)
    {
    case UL_DIRECTORY_KIND_LDAP:
      return validate_ldap (self, error);
    case UL_DIRECTORY_KIND_CSV:
      return validate_csv (self, error);
    case UL_DIRECTORY_KIND_NONE:
      return TRUE;
    default:
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "kind",
                          _("Unknown directory kind"));
      return FALSE;
    }
}
