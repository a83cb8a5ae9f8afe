/* ul-dbus-service.h — the D-Bus frontend: decode → engine call → encode, nothing else. */
#pragma once

#include <gio/gio.h>
#include "ul-engine.h"

G_BEGIN_DECLS

#define UL_DBUS_OBJECT_PATH "/io/github/uplink/Gateway1"
#define UL_DBUS_NAME        "io.github.uplink.Gateway1"

#define UL_TYPE_DBUS_SERVICE (ul_dbus_service_get_type ())
G_DECLARE_FINAL_TYPE (UlDbusService, ul_dbus_service, UL, DBUS_SERVICE, GObject)

UlDbusService *ul_dbus_service_new (UlEngine *engine);
/* Exports every interface at UL_DBUS_OBJECT_PATH on @connection. */
gboolean ul_dbus_service_export (UlDbusService   *self,
                                 GDBusConnection *connection,
                                 GError         **error);
void     ul_dbus_service_unexport (UlDbusService *self);

G_END_DECLS
