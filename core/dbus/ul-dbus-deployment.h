/* ul-dbus-deployment.h — io.github.uplink.Gateway1.Deployment: deployment e-mails, their
 * delivery and the registered users. Thin like the rest of core/dbus. */
#pragma once

#include <gio/gio.h>
#include "ul-engine.h"

G_BEGIN_DECLS

#define UL_TYPE_DBUS_DEPLOYMENT (ul_dbus_deployment_get_type ())
G_DECLARE_FINAL_TYPE (UlDbusDeployment, ul_dbus_deployment, UL, DBUS_DEPLOYMENT, GObject)

UlDbusDeployment       *ul_dbus_deployment_new (UlEngine *engine);
/* The interface skeleton to export at UL_DBUS_OBJECT_PATH (borrowed). */
GDBusInterfaceSkeleton *ul_dbus_deployment_get_skeleton (UlDbusDeployment *self);

G_END_DECLS
