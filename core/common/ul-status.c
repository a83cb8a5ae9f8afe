/* ul-status.c — the onboarding status, computed from state, never stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-status.h"

G_DEFINE_BOXED_TYPE (UlStatus, ul_status, ul_status_copy, ul_status_free)

/* The message is the one line the dashboard shows in the customer list; the seed's own
 * wording where it has one ("Lost trunk connection to PBX", "Update Error" …). */
static const struct
{
  const char *code;
  const char *message;
} statuses[] = {
  { UL_STATUS_CUSTOMER_REQUIRED, N_("Enter the customer information") },
  { UL_STATUS_SITE_REQUIRED, N_("Configure the gateway site") },
  { UL_STATUS_PBX_REQUIRED, N_("Enter the PBX information") },
  { UL_STATUS_CONNECT_REQUIRED, N_("Connect the gateway to the PBX") },
  { UL_STATUS_SYNC_REQUIRED, N_("Sync the gateway with the PBX") },
  { UL_STATUS_OVERVIEW, N_("Overview") },
  { UL_STATUS_DEACTIVATED, N_("Customer deactivated") },
  { UL_STATUS_PBX_UNREACHABLE, N_("Cannot reach the PBX") },
  { UL_STATUS_PBX_AUTH_FAILED, N_("The PBX refused the system username or password") },
  { UL_STATUS_PBX_LINK_LOST, N_("Lost trunk connection to PBX") },
  { UL_STATUS_PBX_LICENSE_LIMIT, N_("The PBX has no CSTA monitor licences left") },
  { UL_STATUS_DIRECTORY_FAILED, N_("Directory sync failed") },
  { UL_STATUS_USERS_MISSING_EMAIL, N_("No user has a usable e-mail address") },
  { UL_STATUS_UPDATE_IN_PROGRESS, N_("System update in progress") },
  { UL_STATUS_UPDATE_FAILED, N_("Update Error") },
  { UL_STATUS_GATEWAY_UNREACHABLE, N_("Lost connection to gateway") },
};

static const char * const codes[] = {
  UL_STATUS_CUSTOMER_REQUIRED,
  UL_STATUS_SITE_REQUIRED,
  UL_STATUS_PBX_REQUIRED,
  UL_STATUS_CONNECT_REQUIRED,
  UL_STATUS_SYNC_REQUIRED,
  UL_STATUS_OVERVIEW,
  UL_STATUS_DEACTIVATED,
  UL_STATUS_PBX_UNREACHABLE,
  UL_STATUS_PBX_AUTH_FAILED,
  UL_STATUS_PBX_LINK_LOST,
  UL_STATUS_PBX_LICENSE_LIMIT,
  UL_STATUS_DIRECTORY_FAILED,
  UL_STATUS_USERS_MISSING_EMAIL,
  UL_STATUS_UPDATE_IN_PROGRESS,
  UL_STATUS_UPDATE_FAILED,
  UL_STATUS_GATEWAY_UNREACHABLE,
  NULL,
};

G_STATIC_ASSERT (G_N_ELEMENTS (statuses) + 1 == G_N_ELEMENTS (codes));

UlStatus *
ul_status_new (const char *code, UlSeverity severity, GVariant *params)
{
  UlStatus *self;

  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (params == NULL ||
                        g_variant_is_of_type (params, G_VARIANT_TYPE_VARDICT), NULL);

  self = g_new0 (UlStatus, 1);
  self->code = g_strdup (code);
  self->severity = severity;
  self->params = g_variant_ref_sink (params != NULL ? params : g_variant_new ("a{sv}", NULL));
  return self;
}

UlStatus *
ul_status_copy (const UlStatus *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return ul_status_new (self->code, self->severity, self->params);
}

void
ul_status_free (UlStatus *self)
{
  if (self == NULL)
    return;

  g_free (self->code);
  g_variant_unref (self->params);
  g_free (self);
}

gboolean
ul_status_equal (const UlStatus *a, const UlStatus *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_str_equal (a->code, b->code) &&
         a->severity == b->severity &&
         g_variant_equal (a->params, b->params);
}

const char *
ul_status_code_get_message (const char *code)
{
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (statuses); i++)
    {
      if (g_str_equal (statuses[i].code, code))
        return _(statuses[i].message);
    }

  return NULL;
}

char *
ul_status_code_get_help_id (const char *code)
{
  g_return_val_if_fail (code != NULL, NULL);

  return g_strconcat ("status-", code, NULL);
}

const char * const *
ul_status_codes (void)
{
  return codes;
}

GVariant *
ul_status_to_variant (const UlStatus *self)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autofree char *help_id = NULL;
  const char *message;

  g_return_val_if_fail (self != NULL, NULL);

  /* A code from a newer service still shows something rather than nothing. */
  message = ul_status_code_get_message (self->code);
  help_id = ul_status_code_get_help_id (self->code);

  g_variant_builder_add (&builder, "{sv}", "code", g_variant_new_string (self->code));
  g_variant_builder_add (&builder, "{sv}", "severity",
                         g_variant_new_string (ul_severity_to_string (self->severity)));
  g_variant_builder_add (&builder, "{sv}", "message",
                         g_variant_new_string (message != NULL ? message : self->code));
  g_variant_builder_add (&builder, "{sv}", "helpId", g_variant_new_string (help_id));
  g_variant_builder_add (&builder, "{sv}", "params", self->params);

  return g_variant_builder_end (&builder);
}

/* Faults of the gateway itself rather than of its link to the PBX: they hide every
 * onboarding step, since nothing can be configured while they last. */
static gboolean
is_gateway_fault (const char *fault)
{
  return g_str_equal (fault, UL_STATUS_UPDATE_IN_PROGRESS) ||
         g_str_equal (fault, UL_STATUS_UPDATE_FAILED) ||
         g_str_equal (fault, UL_STATUS_GATEWAY_UNREACHABLE);
}

static UlStatus *
fault_status (const UlStatusInputs *in)
{
  return ul_status_new (in->fault, UL_SEVERITY_ERROR, in->fault_params);
}

static UlStatus *
next_step (const char *code)
{
  return ul_status_new (code, UL_SEVERITY_NEXT_STEP, NULL);
}

UlStatus *
ul_status_compute (const UlStatusInputs *in)
{
  gboolean has_pbx_step;

  g_return_val_if_fail (in != NULL, NULL);

  if (in->fault != NULL && is_gateway_fault (in->fault))
    return fault_status (in);

  if (in->deactivated)
    return ul_status_new (UL_STATUS_DEACTIVATED, UL_SEVERITY_ERROR, NULL);

  if (!in->have_customer)
    return next_step (UL_STATUS_CUSTOMER_REQUIRED);

  /* A site without a platform is not configured yet: the platform decides the steps. */
  if (!in->have_site || in->platform == UL_PLATFORM_UNKNOWN)
    return next_step (UL_STATUS_SITE_REQUIRED);

  has_pbx_step = ul_platform_has_pbx_step (in->platform);
  if (has_pbx_step && !in->have_pbx)
    return next_step (UL_STATUS_PBX_REQUIRED);

  /* From here the gateway talks to the PBX, so a link or directory fault is what the
   * partner must fix first, even before the first Connect or Sync went through. */
  if (in->fault != NULL)
    return fault_status (in);

  if (has_pbx_step && !in->connected_once)
    return next_step (UL_STATUS_CONNECT_REQUIRED);
  if (!has_pbx_step && !in->synced_once)
    return next_step (UL_STATUS_SYNC_REQUIRED);

  return ul_status_new (UL_STATUS_OVERVIEW, UL_SEVERITY_OK, NULL);
}
