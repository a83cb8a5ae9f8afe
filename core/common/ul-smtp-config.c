/* ul-smtp-config.c — the SMTP relay settings and their rules.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ul-common-private.h"
#include "ul-error.h"
#include "ul-smtp-config.h"
#include "ul-validate.h"
#include "ul-variant.h"

G_DEFINE_BOXED_TYPE (UlSmtpConfig, ul_smtp_config, ul_smtp_config_copy, ul_smtp_config_free)

static const char * const tls_names[] = {
  [UL_SMTP_TLS_NONE] = "none",
  [UL_SMTP_TLS_STARTTLS] = "starttls",
  [UL_SMTP_TLS_TLS] = "tls",
};

const char *
ul_smtp_tls_to_string (UlSmtpTls value)
{
  g_return_val_if_fail ((guint) value < G_N_ELEMENTS (tls_names), NULL);
  return tls_names[value];
}

gboolean
ul_smtp_tls_from_string (const char *str, UlSmtpTls *out)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (tls_names); i++)
    {
      if (g_str_equal (str, tls_names[i]))
        {
          *out = (UlSmtpTls) i;
          return TRUE;
        }
    }
  return FALSE;
}

/* The password must not linger in freed heap memory (core dumps, support bundles). */
static void
clear_secret (char **secret)
{
  if (*secret == NULL)
    return;
  explicit_bzero (*secret, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

UlSmtpConfig *
ul_smtp_config_new (void)
{
  UlSmtpConfig *self = g_new0 (UlSmtpConfig, 1);

  /* Submission with STARTTLS is what mail providers and Exchange offer today. */
  self->port = UL_SMTP_PORT_DEFAULT;
  self->tls = UL_SMTP_TLS_STARTTLS;
  return self;
}

UlSmtpConfig *
ul_smtp_config_copy (const UlSmtpConfig *self)
{
  UlSmtpConfig *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (UlSmtpConfig, 1);
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  copy->tls = self->tls;
  copy->username = g_strdup (self->username);
  copy->password = g_strdup (self->password);
  copy->from_address = g_strdup (self->from_address);
  copy->from_name = g_strdup (self->from_name);
  copy->reply_to = g_strdup (self->reply_to);
  return copy;
}

void
ul_smtp_config_free (UlSmtpConfig *self)
{
  if (self == NULL)
    return;

  g_free (self->host);
  g_free (self->username);
  clear_secret (&self->password);
  g_free (self->from_address);
  g_free (self->from_name);
  g_free (self->reply_to);
  g_free (self);
}

gboolean
ul_smtp_config_equal (const UlSmtpConfig *a, const UlSmtpConfig *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strcmp0 (a->host, b->host) == 0 &&
         a->port == b->port &&
         a->tls == b->tls &&
         g_strcmp0 (a->username, b->username) == 0 &&
         g_strcmp0 (a->password, b->password) == 0 &&
         g_strcmp0 (a->from_address, b->from_address) == 0 &&
         g_strcmp0 (a->from_name, b->from_name) == 0 &&
         g_strcmp0 (a->reply_to, b->reply_to) == 0;
}

static gboolean
is_set (const char *value)
{
  return value != NULL && *value != '\0';
}

gboolean
ul_smtp_config_is_configured (const UlSmtpConfig *self)
{
  return self != NULL && is_set (self->host) && is_set (self->from_address);
}

GVariant *
ul_smtp_config_to_variant (const UlSmtpConfig *self)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_return_val_if_fail (self != NULL, NULL);

  ul_variant_builder_add_string (&builder, "host", self->host);
  g_variant_builder_add (&builder, "{sv}", "port", g_variant_new_uint32 (self->port));
  g_variant_builder_add (&builder, "{sv}", "tls",
                         g_variant_new_string (ul_smtp_tls_to_string (self->tls)));
  ul_variant_builder_add_string (&builder, "username", self->username);
  g_variant_builder_add (&builder, "{sv}", "passwordSet",
                         g_variant_new_boolean (is_set (self->password)));
  ul_variant_builder_add_string (&builder, "fromAddress", self->from_address);
  ul_variant_builder_add_string (&builder, "fromName", self->from_name);
  ul_variant_builder_add_string (&builder, "replyTo", self->reply_to);
  return g_variant_builder_end (&builder);
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
apply_one (UlSmtpConfig *self, const char *key, GVariant *value, GError **error)
{
  if (g_str_equal (key, "host"))
    return apply_string (value, key, &self->host, error);
  if (g_str_equal (key, "username"))
    return apply_string (value, key, &self->username, error);
  if (g_str_equal (key, "fromAddress"))
    return apply_string (value, key, &self->from_address, error);
  if (g_str_equal (key, "fromName"))
    return apply_string (value, key, &self->from_name, error);
  if (g_str_equal (key, "replyTo"))
    return apply_string (value, key, &self->reply_to, error);

  if (g_str_equal (key, "port"))
    {
      gint64 port;

      if (!ul_variant_get_int (value, key, &port, error) || !ul_validate_port (port, key, error))
        return FALSE;
      self->port = (guint) port;
      return TRUE;
    }

  if (g_str_equal (key, "tls"))
    {
      g_autofree char *str = NULL;

      if (!ul_variant_get_string (value, key, &str, error))
        return FALSE;
      if (!ul_smtp_tls_from_string (str, &self->tls))
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, key,
                              _("Use none, starttls or tls"));
          return FALSE;
        }
      return TRUE;
    }

  if (g_str_equal (key, "password"))
    {
      g_autofree char *str = NULL;

      if (!ul_variant_get_string (value, key, &str, error))
        return FALSE;
      clear_secret (&self->password);
      self->password = g_steal_pointer (&str);
      return TRUE;
    }

  /* Checked by ul_smtp_config_apply() once every other key is in. */
  if (g_str_equal (key, "passwordSet"))
    return TRUE;

  return ul_variant_unknown_key (key, error);
}

gboolean
ul_smtp_config_apply (UlSmtpConfig *self, GVariant *changes, GError **error)
{
  g_autoptr (GVariant) owned = NULL;
  g_autoptr (GVariant) password_set = NULL;
  g_autoptr (UlSmtpConfig) candidate = NULL;
  gboolean claimed;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  owned = g_variant_ref_sink (changes);
  candidate = ul_smtp_config_copy (self);
  if (!ul_record_apply (candidate, sizeof *candidate, (GBoxedCopyFunc) ul_smtp_config_copy,
                        (GBoxedFreeFunc) ul_smtp_config_free, (UlApplyOneFunc) apply_one, owned,
                        error))
    return FALSE;

  /* {"password": "…", "passwordSet": true} is fine; "passwordSet" alone changes nothing. */
  password_set = g_variant_lookup_value (owned, "passwordSet", NULL);
  if (password_set != NULL)
    {
      if (!ul_variant_get_boolean (password_set, "passwordSet", &claimed, error))
        return FALSE;
      if (claimed != is_set (candidate->password))
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "passwordSet",
                              _("Read-only: send “password” to set or change the password"));
          return FALSE;
        }
    }

  /* An empty password means "no password" everywhere else too. */
  if (candidate->password != NULL && *candidate->password == '\0')
    clear_secret (&candidate->password);

  /* Only a fully applied change reaches @self; the old contents leave with @candidate. */
  {
    UlSmtpConfig swap = *self;
    *self = *candidate;
    *candidate = swap;
  }
  return TRUE;
}

static gboolean
validate_optional_text (const char *value, gsize max, const char *field, GError **error)
{
  return !is_set (value) || ul_validate_text (value, max, field, error);
}

gboolean
ul_smtp_config_validate (const UlSmtpConfig *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!ul_validate_host (self->host, "host", error)
      || !ul_validate_port (self->port, "port", error))
    return FALSE;
  if (self->port == 0)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "port",
                          _("Enter a port between 1 and 65535"));
      return FALSE;
    }
  if (!validate_optional_text (self->username, UL_SMTP_USERNAME_MAX, "username", error)
      || !validate_optional_text (self->password, UL_SMTP_PASSWORD_MAX, "password", error))
    return FALSE;
  /* A password without a user name would silently never be used. */
  if (is_set (self->password) && !is_set (self->username))
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "username",
                          _("Enter the user name that goes with the password"));
      return FALSE;
    }
  if (!ul_validate_email (self->from_address, "fromAddress", error)
      || !validate_optional_text (self->from_name, UL_TEXT_MAX, "fromName", error))
    return FALSE;
  if (is_set (self->reply_to) && !ul_validate_email (self->reply_to, "replyTo", error))
    return FALSE;
  return TRUE;
}
