/* ul-pbx-config.c — the PBX the gateway links to, and the directory sync schedule.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ul-error.h"
#include "ul-pbx-config.h"
#include "ul-validate.h"
#include "ul-variant.h"

G_DEFINE_BOXED_TYPE (UlPbxConfig, ul_pbx_config, ul_pbx_config_copy, ul_pbx_config_free)

/* The password must not linger in freed heap memory (core dumps, support bundles). */
static void
clear_secret (char **secret)
{
  if (*secret == NULL)
    return;

  explicit_bzero (*secret, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

UlPbxConfig *
ul_pbx_config_new (void)
{
  UlPbxConfig *self = g_new0 (UlPbxConfig, 1);

  self->type = g_strdup (UL_PBX_TYPE_MIVO400);
  self->port = UL_PBX_PORT_DEFAULT;
  self->sync_schedule = UL_SYNC_SCHEDULE_DEFAULT;
  return self;
}

UlPbxConfig *
ul_pbx_config_copy (const UlPbxConfig *self)
{
  UlPbxConfig *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (UlPbxConfig, 1);
  copy->type = g_strdup (self->type);
  copy->name = g_strdup (self->name);
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  copy->username = g_strdup (self->username);
  copy->password = g_strdup (self->password);
  copy->sync_schedule = self->sync_schedule;
  return copy;
}

void
ul_pbx_config_free (UlPbxConfig *self)
{
  if (self == NULL)
    return;

  g_free (self->type);
  g_free (self->name);
  g_free (self->host);
  g_free (self->username);
  clear_secret (&self->password);
  g_free (self);
}

gboolean
ul_pbx_config_equal (const UlPbxConfig *a, const UlPbxConfig *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strcmp0 (a->type, b->type) == 0 &&
         g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->host, b->host) == 0 &&
         a->port == b->port &&
         g_strcmp0 (a->username, b->username) == 0 &&
         g_strcmp0 (a->password, b->password) == 0 &&
         a->sync_schedule == b->sync_schedule;
}

static gboolean
password_is_set (const UlPbxConfig *self)
{
  return self->password != NULL && *self->password != '\0';
}

GVariant *
ul_pbx_config_to_variant (const UlPbxConfig *self)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_return_val_if_fail (self != NULL, NULL);

  ul_variant_builder_add_string (&builder, "type", self->type);
  ul_variant_builder_add_string (&builder, "name", self->name);
  ul_variant_builder_add_string (&builder, "host", self->host);
  g_variant_builder_add (&builder, "{sv}", "port", g_variant_new_uint32 (self->port));
  ul_variant_builder_add_string (&builder, "username", self->username);
  g_variant_builder_add (&builder, "{sv}", "passwordSet",
                         g_variant_new_boolean (password_is_set (self)));
  g_variant_builder_add (&builder, "{sv}", "syncSchedule",
                         g_variant_new_uint32 (self->sync_schedule));

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

/* The integers are range-checked here already: a value that does not fit the field
 * cannot be stored for validate() to refuse later. */
static gboolean
apply_uint (GVariant   *value,
            const char *key,
            gboolean  (*check) (gint64, const char *, GError **),
            guint      *slot,
            GError    **error)
{
  gint64 number;

  if (!ul_variant_get_int (value, key, &number, error) || !check (number, key, error))
    return FALSE;

  *slot = (guint) number;
  return TRUE;
}

static gboolean
apply_one (UlPbxConfig *self, const char *key, GVariant *value, GError **error)
{
  if (g_str_equal (key, "type"))
    return apply_string (value, key, &self->type, error);
  if (g_str_equal (key, "name"))
    return apply_string (value, key, &self->name, error);
  if (g_str_equal (key, "host"))
    return apply_string (value, key, &self->host, error);
  if (g_str_equal (key, "port"))
    return apply_uint (value, key, ul_validate_port, &self->port, error);
  if (g_str_equal (key, "username"))
    return apply_string (value, key, &self->username, error);
  if (g_str_equal (key, "syncSchedule"))
    return apply_uint (value, key, ul_validate_sync_schedule, &self->sync_schedule, error);

  if (g_str_equal (key, "password"))
    {
      g_autofree char *str = NULL;

      if (!ul_variant_get_string (value, key, &str, error))
        return FALSE;
      clear_secret (&self->password);
      self->password = g_steal_pointer (&str);
      return TRUE;
    }

  return ul_variant_unknown_key (key, error);
}

gboolean
ul_pbx_config_apply (UlPbxConfig *self, GVariant *changes, GError **error)
{
  g_autoptr (GVariant) owned = NULL;
  g_autoptr (UlPbxConfig) copy = NULL;
  g_autoptr (GVariant) password_set = NULL;
  UlPbxConfig swap;
  GVariantIter iter;
  const char *key;
  GVariant *raw;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);
  g_return_val_if_fail (g_variant_is_of_type (changes, G_VARIANT_TYPE_VARDICT), FALSE);

  owned = g_variant_ref_sink (changes);
  copy = ul_pbx_config_copy (self);

  g_variant_iter_init (&iter, owned);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &raw))
    {
      g_autoptr (GVariant) value = raw;

      /* Checked once every key is in: {"password": "…", "passwordSet": true} is fine. */
      if (g_str_equal (key, "passwordSet"))
        {
          g_clear_pointer (&password_set, g_variant_unref);
          password_set = g_steal_pointer (&value);
          continue;
        }

      if (!apply_one (copy, key, value, error))
        return FALSE;
    }

  if (password_set != NULL)
    {
      gboolean claimed;

      if (!ul_variant_get_boolean (password_set, "passwordSet", &claimed, error))
        return FALSE;
      if (claimed != password_is_set (copy))
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "passwordSet",
                              _("Read-only: send “password” to set or change the password"));
          return FALSE;
        }
    }

  /* Only a fully applied change reaches @self; the old contents leave with @copy. */
  swap = *self;
  *self = *copy;
  *copy = swap;
  return TRUE;
}

gboolean
ul_pbx_config_validate (const UlPbxConfig *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (g_strcmp0 (self->type, UL_PBX_TYPE_MIVO400) != 0)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "type",
                          _("Only MiVoice Office 400 (“%s”) is supported"),
                          UL_PBX_TYPE_MIVO400);
      return FALSE;
    }

  /* The limits are the PBX's own for its user accounts (seed: 25 and 255 characters). */
  return ul_validate_text (self->name, UL_TEXT_MAX, "name", error) &&
         ul_validate_host (self->host, "host", error) &&
         ul_validate_port (self->port, "port", error) &&
         ul_validate_text (self->username, UL_PBX_USERNAME_MAX, "username", error) &&
         ul_validate_text (self->password, UL_PBX_PASSWORD_MAX, "password", error) &&
         ul_validate_sync_schedule (self->sync_schedule, "syncSchedule", error);
}
