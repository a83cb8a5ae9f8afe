/* ul-pbx-config.h — the PBX (seed "PBX" step) plus the sync schedule of the Connect step. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define UL_PBX_TYPE_MIVO400 "mivoice-office-400"

typedef struct
{
  char   *type;           /* UL_PBX_TYPE_MIVO400 */
  char   *name;           /* PBX ID shown to the apps */
  char   *host;           /* IP address or host name */
  guint   port;           /* CSTA port, default 7001 */
  char   *username;       /* "CloudLink system username", ≤ 25 */
  char   *password;       /* write-only: never in to_variant() */
  guint   sync_schedule;  /* minutes between directory syncs */
} UlPbxConfig;

#define UL_TYPE_PBX_CONFIG (ul_pbx_config_get_type ())
GType        ul_pbx_config_get_type (void) G_GNUC_CONST;
UlPbxConfig *ul_pbx_config_new  (void);   /* defaults: type MiVO400, port 7001, schedule 60 */
UlPbxConfig *ul_pbx_config_copy (const UlPbxConfig *self);
void         ul_pbx_config_free (UlPbxConfig *self);
gboolean     ul_pbx_config_equal (const UlPbxConfig *a, const UlPbxConfig *b);
/* a{sv}: type, name, host, port (q→u), username, passwordSet (b), syncSchedule (u).
 * The password itself is never included. */
GVariant    *ul_pbx_config_to_variant (const UlPbxConfig *self);
/* Accepts "password" (write-only). Integers may arrive as any integer type; port and
 * syncSchedule are range-checked here already (a value that does not fit is refused).
 * "passwordSet" is read-only: accepted only when it matches the result. Atomic. */
gboolean     ul_pbx_config_apply (UlPbxConfig *self, GVariant *changes, GError **error);
gboolean     ul_pbx_config_validate (const UlPbxConfig *self, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlPbxConfig, ul_pbx_config_free)

G_END_DECLS
