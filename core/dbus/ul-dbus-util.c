/* ul-dbus-util.c — what every D-Bus frontend file needs to answer a call. */
#include "config.h"

#include "ul-dbus-util.h"

gboolean
ul_dbus_return_error (GDBusMethodInvocation *invocation, const GError *error)
{
  g_dbus_method_invocation_return_gerror (invocation, error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

gboolean
ul_dbus_return_dict (GDBusMethodInvocation *invocation, GVariant *dict)
{
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@a{sv})", dict));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}
