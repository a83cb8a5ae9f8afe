/* ul-dbus-util.h — what every D-Bus frontend file needs to answer a call. */
#pragma once

#include <gio/gio.h>

#include "ul-audit-entry.h"

G_BEGIN_DECLS

/* The audit log's "who" for a D-Bus call: the bus policy decides who may call at all, and
 * the sender's unique name tells calls apart. */
#define UL_DBUS_CALLER(invocation) \
  (&(UlCaller) { "D-Bus client", g_dbus_method_invocation_get_sender (invocation) })

/* Both return G_DBUS_METHOD_INVOCATION_HANDLED, for `return ul_dbus_return_…`. */
gboolean ul_dbus_return_error (GDBusMethodInvocation *invocation, const GError *error);
/* Returns "(a{sv})" made of @dict (floating refs are sunk). */
gboolean ul_dbus_return_dict (GDBusMethodInvocation *invocation, GVariant *dict);

G_END_DECLS
