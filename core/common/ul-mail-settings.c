/* ul-mail-settings.c — registration link and outbox retry settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ul-common-private.h"
#include "ul-error.h"
#include "ul-mail-settings.h"
#include "ul-validate.h"
#include "ul-variant.h"

G_DEFINE_BOXED_TYPE (UlMailSettings, ul_mail_settings, ul_mail_settings_copy,
                     ul_mail_settings_free)

UlMailSettings *
ul_mail_settings_new (void)
{
  UlMailSettings *self = g_new0 (UlMailSettings, 1);

  self->link_lifetime = UL_LINK_LIFETIME_DEFAULT;
  self->retry_initial = UL_RETRY_INITIAL_DEFAULT;
  self->retry_max = UL_RETRY_MAX_DEFAULT;
  return self;
}

UlMailSettings *
ul_mail_settings_copy (const UlMailSettings *self)
{
  UlMailSettings *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->registration_url = g_strdup (self->registration_url);
  return copy;
}

void
ul_mail_settings_free (UlMailSettings *self)
{
  if (self == NULL)
    return;
  g_free (self->registration_url);
  g_free (self);
}

gboolean
ul_mail_settings_equal (const UlMailSettings *a, const UlMailSettings *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strcmp0 (a->registration_url, b->registration_url) == 0
         && a->link_lifetime == b->link_lifetime
         && a->retry_initial == b->retry_initial
         && a->retry_max == b->retry_max;
}

GVariant *
ul_mail_settings_to_variant (const UlMailSettings *self)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_return_val_if_fail (self != NULL, NULL);

  if (self->registration_url != NULL && *self->registration_url != '\0')
    ul_variant_builder_add_string (&builder, "registrationUrl", self->registration_url);
  g_variant_builder_add (&builder, "{sv}", "linkLifetime",
                         g_variant_new_uint32 (self->link_lifetime));
  g_variant_builder_add (&builder, "{sv}", "retryInitial",
                         g_variant_new_uint32 (self->retry_initial));
  g_variant_builder_add (&builder, "{sv}", "retryMax", g_variant_new_uint32 (self->retry_max));
  return g_variant_builder_end (&builder);
}

static gboolean
apply_seconds (GVariant *value, const char *key, guint *slot, GError **error)
{
  gint64 seconds;

  if (!ul_variant_get_int (value, key, &seconds, error))
    return FALSE;
  /* Range-checked here already so that a value that does not fit a guint is never stored. */
  if (seconds < 1 || seconds > UL_LINK_LIFETIME_MAX)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, key,
                          _("Enter a number of seconds between 1 and %d"), UL_LINK_LIFETIME_MAX);
      return FALSE;
    }
  *slot = (guint) seconds;
  return TRUE;
}

static gboolean
apply_one (UlMailSettings *self, const char *key, GVariant *value, GError **error)
{
  if (g_str_equal (key, "registrationUrl"))
    {
      g_autofree char *str = NULL;

      if (!ul_variant_get_string (value, key, &str, error))
        return FALSE;
      g_free (self->registration_url);
      self->registration_url = g_steal_pointer (&str);
      return TRUE;
    }
  if (g_str_equal (key, "linkLifetime"))
    return apply_seconds (value, key, &self->link_lifetime, error);
  if (g_str_equal (key, "retryInitial"))
    return apply_seconds (value, key, &self->retry_initial, error);
  if (g_str_equal (key, "retryMax"))
    return apply_seconds (value, key, &self->retry_max, error);
  return ul_variant_unknown_key (key, error);
}

gboolean
ul_mail_settings_apply (UlMailSettings *self, GVariant *changes, GError **error)
{
  return ul_record_apply (self, sizeof *self, (GBoxedCopyFunc) ul_mail_settings_copy,
                          (GBoxedFreeFunc) ul_mail_settings_free, (UlApplyOneFunc) apply_one,
                          changes, error);
}

static gboolean
validate_url (const char *url, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  const char *path;

  if (url == NULL || *url == '\0')
    return TRUE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "https") != 0
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "registrationUrl",
                          _("Enter an address that starts with https://, for example "
                            "https://gateway.example.com:8443"));
      return FALSE;
    }
  /* The link appends "/register/<token>": anything after the path would end up before it. */
  path = g_uri_get_path (uri);
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL
      || g_uri_get_userinfo (uri) != NULL || (path != NULL && strchr (path, '%') != NULL))
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "registrationUrl",
                          _("Enter the address only, without user name, “?” or “#” parts"));
      return FALSE;
    }
  return ul_validate_host (g_uri_get_host (uri), "registrationUrl", error);
}

gboolean
ul_mail_settings_validate (const UlMailSettings *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!validate_url (self->registration_url, error))
    return FALSE;
  if (self->link_lifetime < 1 || self->link_lifetime > UL_LINK_LIFETIME_MAX)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "linkLifetime",
                          _("Enter a number of seconds between 1 and %d"), UL_LINK_LIFETIME_MAX);
      return FALSE;
    }
  if (self->retry_initial < 1 || self->retry_initial > UL_RETRY_LIMIT)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "retryInitial",
                          _("Enter a number of seconds between 1 and %d"), UL_RETRY_LIMIT);
      return FALSE;
    }
  if (self->retry_max < self->retry_initial || self->retry_max > UL_RETRY_LIMIT)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "retryMax",
                          _("Enter a number of seconds between retryInitial (%u) and %d"),
                          self->retry_initial, UL_RETRY_LIMIT);
      return FALSE;
    }
  return TRUE;
}
