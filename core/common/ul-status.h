/* ul-status.h — the onboarding status, computed from state, never stored (DESIGN.md §3). */
#pragma once

#include <glib-object.h>
#include "ul-enums.h"

G_BEGIN_DECLS

/* Stable codes. Each has help/C/status-<code>.page. */
#define UL_STATUS_CUSTOMER_REQUIRED   "customer-required"
#define UL_STATUS_SITE_REQUIRED       "site-required"
#define UL_STATUS_PBX_REQUIRED        "pbx-required"
#define UL_STATUS_CONNECT_REQUIRED    "connect-required"
#define UL_STATUS_SYNC_REQUIRED       "sync-required"
#define UL_STATUS_OVERVIEW            "overview"
#define UL_STATUS_DEACTIVATED         "deactivated"
/* Raised by later services (reserved now so clients and help pages agree). */
#define UL_STATUS_PBX_UNREACHABLE     "pbx-unreachable"
#define UL_STATUS_PBX_AUTH_FAILED     "pbx-auth-failed"
#define UL_STATUS_PBX_LINK_LOST       "pbx-link-lost"
#define UL_STATUS_PBX_LICENSE_LIMIT   "pbx-license-limit"
#define UL_STATUS_DIRECTORY_FAILED    "directory-failed"
#define UL_STATUS_USERS_MISSING_EMAIL "users-missing-email"
#define UL_STATUS_UPDATE_IN_PROGRESS  "update-in-progress"
#define UL_STATUS_UPDATE_FAILED       "update-failed"
#define UL_STATUS_GATEWAY_UNREACHABLE "gateway-unreachable"  /* dashboard-side only */

typedef struct
{
  char       *code;
  UlSeverity  severity;
  GVariant   *params;   /* a{sv}, never NULL */
} UlStatus;

#define UL_TYPE_STATUS (ul_status_get_type ())
GType     ul_status_get_type (void) G_GNUC_CONST;
/* @params may be NULL (empty dict); a floating ref is sunk. */
UlStatus *ul_status_new  (const char *code, UlSeverity severity, GVariant *params);
UlStatus *ul_status_copy (const UlStatus *self);
void      ul_status_free (UlStatus *self);
gboolean  ul_status_equal (const UlStatus *a, const UlStatus *b);

/* The translated, one-line message the dashboard shows ("Enter the customer information");
 * NULL for an unknown code (ul_status_to_variant() then sends the code itself). */
const char *ul_status_code_get_message (const char *code);
/* "status-<code>": the Mallard page id. */
char       *ul_status_code_get_help_id (const char *code);
/* Every known code, NULL-terminated. */
const char * const *ul_status_codes (void);

/* a{sv}: code, severity, message, helpId, params */
GVariant *ul_status_to_variant (const UlStatus *self);

/* The inputs the onboarding status is computed from; the engine fills it. */
typedef struct
{
  gboolean    deactivated;
  gboolean    have_customer;
  gboolean    have_site;
  UlPlatform  platform;
  gboolean    have_pbx;
  gboolean    connected_once;  /* a Connect succeeded (standalone/virtual) */
  gboolean    synced_once;     /* a Sync succeeded (SMBC) */
  const char *fault;           /* a live fault code (pbx-link-lost …) or NULL */
  GVariant   *fault_params;    /* a{sv} or NULL */
} UlStatusInputs;

/* Standalone/virtual: customer-required → site-required → pbx-required → connect-required →
 * overview; SMBC: customer-required → site-required → sync-required → overview. A fault
 * overrides "overview" and the connect/sync steps once they were done. Severities: the
 * *-required steps are next-step, overview is ok, deactivated and every fault are error.
 * Gateway faults (update-in-progress, update-failed, gateway-unreachable) override every
 * step and deactivated; PBX/directory faults show from the Connect/Sync step on, after
 * deactivated. A site with platform UL_PLATFORM_UNKNOWN counts as not configured. */
UlStatus *ul_status_compute (const UlStatusInputs *in);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlStatus, ul_status_free)

G_END_DECLS
