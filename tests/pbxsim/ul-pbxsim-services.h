/* ul-pbxsim-services.h — the CSTA services of the simulator (csta.md rules 23–25). */
#pragma once

#include "ul-pbxsim-link.h"

G_BEGIN_DECLS

/* Answers a service request that arrived on @link once the session allows it. Returns
 * FALSE when the root element is not a service the simulator implements. */
gboolean ul_pbxsim_services_handle (UlPbxsimLink *link, guint invoke_id, const UlCstaNode *root);

G_END_DECLS
