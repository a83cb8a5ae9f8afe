/* ul-advanced.c — the "Advanced" step: digits, call-through, emergency numbers, updates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ul-advanced.h"
#include "ul-common-private.h"
#include "ul-error.h"
#include "ul-validate.h"
#include "ul-variant.h"

G_DEFINE_BOXED_TYPE (UlAdvanced, ul_advanced, ul_advanced_copy, ul_advanced_free)

/* Seed: "CloudLink solution supports the following emergency numbers: 000, 110, 111, 112,
 * 118, 119, 911, and 999". */
static const char * const default_emergency_numbers[] = {
  "000", "110", "111", "112", "118", "119", "911", "999", NULL,
};

/* Short codes (112) to national ones (e.g. 144 … 1414 in Switzerland, 15 in France). */
#define EMERGENCY_NUMBER_MIN 2
#define EMERGENCY_NUMBER_MAX 6

UlAdvanced *
ul_advanced_new (void)
{
  UlAdvanced *self = g_new0 (UlAdvanced, 1);

  self->inbound_digits = g_strdup ("");
  self->outbound_digits = g_strdup ("");
  self->gsm_call_through = g_strdup ("");
  self->emergency_numbers = g_strdupv ((GStrv) default_emergency_numbers);
  /* Updates carry security fixes, so they are on by default (the seed recommends it),
   * every day in a night window: an update takes 10–15 minutes and may interrupt calls,
   * and two hours leave room for a slow download. The window is the gateway's local time. */
  self->automatic_updates = TRUE;
  self->update_days = g_strdupv ((GStrv) ul_weekdays ());
  self->update_window_start = g_strdup ("02:00");
  self->update_window_end = g_strdup ("04:00");
  return self;
}

UlAdvanced *
ul_advanced_copy (const UlAdvanced *self)
{
  UlAdvanced *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (UlAdvanced, 1);
  copy->inbound_digits = g_strdup (self->inbound_digits);
  copy->outbound_digits = g_strdup (self->outbound_digits);
  copy->gsm_call_through = g_strdup (self->gsm_call_through);
  copy->emergency_numbers = g_strdupv (self->emergency_numbers);
  copy->automatic_updates = self->automatic_updates;
  copy->update_days = g_strdupv (self->update_days);
  copy->update_window_start = g_strdup (self->update_window_start);
  copy->update_window_end = g_strdup (self->update_window_end);
  return copy;
}

void
ul_advanced_free (UlAdvanced *self)
{
  if (self == NULL)
    return;

  g_free (self->inbound_digits);
  g_free (self->outbound_digits);
  g_free (self->gsm_call_through);
  g_strfreev (self->emergency_numbers);
  g_strfreev (self->update_days);
  g_free (self->update_window_start);
  g_free (self->update_window_end);
  g_free (self);
}

gboolean
ul_advanced_equal (const UlAdvanced *a, const UlAdvanced *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strcmp0 (a->inbound_digits, b->inbound_digits) == 0 &&
         g_strcmp0 (a->outbound_digits, b->outbound_digits) == 0 &&
         g_strcmp0 (a->gsm_call_through, b->gsm_call_through) == 0 &&
         ul_strv_equal0 ((const char * const *) a->emergency_numbers,
                         (const char * const *) b->emergency_numbers) &&
         !a->automatic_updates == !b->automatic_updates &&
         ul_strv_equal0 ((const char * const *) a->update_days,
                         (const char * const *) b->update_days) &&
         g_strcmp0 (a->update_window_start, b->update_window_start) == 0 &&
         g_strcmp0 (a->update_window_end, b->update_window_end) == 0;
}

static GVariant *
strv_to_variant (GStrv strv)
{
  static const char * const empty[] = { NULL };

  return g_variant_new_strv (strv != NULL ? (const char * const *) strv : empty, -1);
}

GVariant *
ul_advanced_to_variant (const UlAdvanced *self)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_return_val_if_fail (self != NULL, NULL);

  ul_variant_builder_add_string (&builder, "inboundDigits", self->inbound_digits);
  ul_variant_builder_add_string (&builder, "outboundDigits", self->outbound_digits);
  ul_variant_builder_add_string (&builder, "gsmCallThrough", self->gsm_call_through);
  g_variant_builder_add (&builder, "{sv}", "emergencyNumbers",
                         strv_to_variant (self->emergency_numbers));
  g_variant_builder_add (&builder, "{sv}", "automaticUpdates",
                         g_variant_new_boolean (self->automatic_updates));
  g_variant_builder_add (&builder, "{sv}", "updateDays", strv_to_variant (self->update_days));
  ul_variant_builder_add_string (&builder, "updateWindowStart", self->update_window_start);
  ul_variant_builder_add_string (&builder, "updateWindowEnd", self->update_window_end);

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
apply_strv (GVariant *value, const char *key, GStrv *slot, GError **error)
{
  g_auto (GStrv) strv = NULL;

  if (!ul_variant_get_strv (value, key, &strv, error))
    return FALSE;

  g_strfreev (*slot);
  *slot = g_steal_pointer (&strv);
  return TRUE;
}

static gboolean
apply_one (UlAdvanced *self, const char *key, GVariant *value, GError **error)
{
  if (g_str_equal (key, "inboundDigits"))
    return apply_string (value, key, &self->inbound_digits, error);
  if (g_str_equal (key, "outboundDigits"))
    return apply_string (value, key, &self->outbound_digits, error);
  if (g_str_equal (key, "gsmCallThrough"))
    return apply_string (value, key, &self->gsm_call_through, error);
  if (g_str_equal (key, "emergencyNumbers"))
    return apply_strv (value, key, &self->emergency_numbers, error);
  if (g_str_equal (key, "automaticUpdates"))
    return ul_variant_get_boolean (value, key, &self->automatic_updates, error);
  if (g_str_equal (key, "updateDays"))
    return apply_strv (value, key, &self->update_days, error);
  if (g_str_equal (key, "updateWindowStart"))
    return apply_string (value, key, &self->update_window_start, error);
  if (g_str_equal (key, "updateWindowEnd"))
    return apply_string (value, key, &self->update_window_end, error);

  return ul_variant_unknown_key (key, error);
}

gboolean
ul_advanced_apply (UlAdvanced *self, GVariant *changes, GError **error)
{
  return ul_record_apply (self, sizeof *self, (GBoxedCopyFunc) ul_advanced_copy,
                          (GBoxedFreeFunc) ul_advanced_free, (UlApplyOneFunc) apply_one, changes,
                          error);
}

/* Whether @strv[@i] is already among the items before it: the error then names the
 * repeated entry, the one the user added last. */
static gboolean
listed_before (GStrv strv, guint i)
{
  for (guint j = 0; j < i; j++)
    {
      if (g_str_equal (strv[j], strv[i]))
        return TRUE;
    }

  return FALSE;
}

static gboolean
validate_emergency_numbers (GStrv numbers, GError **error)
{
  guint n = numbers != NULL ? g_strv_length (numbers) : 0;

  /* Emergency calls bypass the digit rules and always go to the PBX; an empty list would
   * silently send them through the ordinary routing. */
  if (n == 0)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "emergencyNumbers",
                          _("Keep at least one emergency number"));
      return FALSE;
    }
  if (n > UL_EMERGENCY_NUMBERS_MAX)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "emergencyNumbers",
                          _("Enter at most %d emergency numbers"), UL_EMERGENCY_NUMBERS_MAX);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *field = ul_field_index ("emergencyNumbers", i);
      gsize len = strlen (numbers[i]);

      if (len < EMERGENCY_NUMBER_MIN || len > EMERGENCY_NUMBER_MAX ||
          strspn (numbers[i], "0123456789") != len)
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                              _("An emergency number has %d to %d digits"),
                              EMERGENCY_NUMBER_MIN, EMERGENCY_NUMBER_MAX);
          return FALSE;
        }
      if (listed_before (numbers, i))
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                              _("This number is listed more than once"));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
validate_update_days (const UlAdvanced *self, GError **error)
{
  guint n = self->update_days != NULL ? g_strv_length (self->update_days) : 0;

  if (self->automatic_updates && n == 0)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "updateDays",
                          _("Choose at least one day for automatic updates"));
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *field = ul_field_index ("updateDays", i);

      if (!ul_validate_weekday (self->update_days[i], field, error))
        return FALSE;
      if (listed_before (self->update_days, i))
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                              _("This day is listed more than once"));
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
ul_advanced_validate (const UlAdvanced *self, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!ul_validate_digits (self->inbound_digits, "inboundDigits", error) ||
      !ul_validate_digits (self->outbound_digits, "outboundDigits", error))
    return FALSE;

  /* Optional: only a PBX with a call-through DDI has one. */
  if (self->gsm_call_through != NULL && *self->gsm_call_through != '\0' &&
      !ul_validate_e164 (self->gsm_call_through, "gsmCallThrough", error))
    return FALSE;

  if (!validate_emergency_numbers (self->emergency_numbers, error) ||
      !validate_update_days (self, error) ||
      !ul_validate_time_of_day (self->update_window_start, "updateWindowStart", error) ||
      !ul_validate_time_of_day (self->update_window_end, "updateWindowEnd", error))
    return FALSE;

  /* An end before the start crosses midnight; an equal one is an empty window. */
  if (g_str_equal (self->update_window_start, self->update_window_end))
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "updateWindowEnd",
                          _("The update window must end at a different time than it starts"));
      return FALSE;
    }

  return TRUE;
}
