/* ul-dbus-service.c — the D-Bus frontend.
 *
 * Thin by design: each handler unpacks the call, makes one engine call and packs the
 * result. Validation, defaults and state all live in the engine and core/common, so the
 * HTTPS frontend gets exactly the same behaviour.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-dbus-generated.h"
#include "ul-dbus-service.h"
#include "ul-error.h"
#include "ul-variant.h"

struct _UlDbusService
{
  GObject parent_instance;

  UlEngine             *engine;
  UlGateway1           *gateway;
  UlGateway1Onboarding *onboarding;
  GDBusConnection      *connection;
};

G_DEFINE_FINAL_TYPE (UlDbusService, ul_dbus_service, G_TYPE_OBJECT)

/* The audit log's "who" for a D-Bus call: the bus policy decides who may call at all, and
 * the unique name tells calls apart. */
#define CALLER(invocation) \
  (&(UlCaller) { "D-Bus client", g_dbus_method_invocation_get_sender (invocation) })

static gboolean
return_error (GDBusMethodInvocation *invocation, GError *error)
{
  g_dbus_method_invocation_return_gerror (invocation, error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Reads the "confirm" option; a wrong type is an error, absence is NULL. */
static gboolean
lookup_confirm (GVariant *options, char **confirm, GError **error)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (options, "confirm", NULL);

  *confirm = NULL;
  if (value == NULL)
    return TRUE;
  return ul_variant_get_string (value, "confirm", confirm, error);
}

static gboolean
complete_customer (UlDbusService         *self,
                   GDBusMethodInvocation *invocation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCustomer) customer = ul_engine_get_customer (self->engine, &error);

  if (customer == NULL)
    return return_error (invocation, error);
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(@a{sv})",
                                                        ul_customer_to_variant (customer)));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_customer (UlGateway1Onboarding  *iface,
                        GDBusMethodInvocation *invocation,
                        UlDbusService         *self)
{
  return complete_customer (self, invocation);
}

static gboolean
on_handle_update_customer (UlGateway1Onboarding  *iface,
                           GDBusMethodInvocation *invocation,
                           GVariant              *changes,
                           UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;

  if (!ul_engine_update_customer (self->engine, CALLER (invocation), changes, &error))
    return return_error (invocation, error);
  return complete_customer (self, invocation);
}

static gboolean
on_handle_add_admin_contact (UlGateway1Onboarding  *iface,
                             GDBusMethodInvocation *invocation,
                             GVariant              *contact,
                             UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;

  if (!ul_engine_add_admin_contact (self->engine, CALLER (invocation), contact, &error))
    return return_error (invocation, error);
  return complete_customer (self, invocation);
}

static gboolean
on_handle_remove_admin_contact (UlGateway1Onboarding  *iface,
                                GDBusMethodInvocation *invocation,
                                const char            *email,
                                GVariant              *options,
                                UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *confirm = NULL;

  if (!lookup_confirm (options, &confirm, &error)
      || !ul_engine_remove_admin_contact (self->engine, CALLER (invocation), email, confirm, &error))
    return return_error (invocation, error);
  return complete_customer (self, invocation);
}

static gboolean
on_handle_add_support_contact (UlGateway1Onboarding  *iface,
                               GDBusMethodInvocation *invocation,
                               GVariant              *contact,
                               UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;

  if (!ul_engine_add_support_contact (self->engine, CALLER (invocation), contact, &error))
    return return_error (invocation, error);
  return complete_customer (self, invocation);
}

static gboolean
on_handle_remove_support_contact (UlGateway1Onboarding  *iface,
                                  GDBusMethodInvocation *invocation,
                                  const char            *role,
                                  const char            *email,
                                  UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;

  if (!ul_engine_remove_support_contact (self->engine, CALLER (invocation), role, email, &error))
    return return_error (invocation, error);
  return complete_customer (self, invocation);
}

static gboolean
on_handle_deactivate (UlGateway1Onboarding  *iface,
                      GDBusMethodInvocation *invocation,
                      GVariant              *options,
                      UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *confirm = NULL;

  if (!lookup_confirm (options, &confirm, &error)
      || !ul_engine_deactivate (self->engine, CALLER (invocation), confirm, &error))
    return return_error (invocation, error);
  ul_gateway1_onboarding_complete_deactivate (iface, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
complete_site (UlDbusService *self, GDBusMethodInvocation *invocation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlSite) site = ul_engine_get_site (self->engine, &error);

  if (site == NULL)
    return return_error (invocation, error);
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(@a{sv})", ul_site_to_variant (site)));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_site (UlGateway1Onboarding  *iface,
                    GDBusMethodInvocation *invocation,
                    UlDbusService         *self)
{
  return complete_site (self, invocation);
}

static gboolean
on_handle_update_site (UlGateway1Onboarding  *iface,
                       GDBusMethodInvocation *invocation,
                       GVariant              *changes,
                       UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;

  if (!ul_engine_update_site (self->engine, CALLER (invocation), changes, &error))
    return return_error (invocation, error);
  return complete_site (self, invocation);
}

static gboolean
complete_pbx (UlDbusService *self, GDBusMethodInvocation *invocation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlPbxConfig) pbx = ul_engine_get_pbx (self->engine, &error);

  if (pbx == NULL)
    return return_error (invocation, error);
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(@a{sv})",
                                                        ul_pbx_config_to_variant (pbx)));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_pbx (UlGateway1Onboarding  *iface,
                   GDBusMethodInvocation *invocation,
                   UlDbusService         *self)
{
  return complete_pbx (self, invocation);
}

static gboolean
on_handle_update_pbx (UlGateway1Onboarding  *iface,
                      GDBusMethodInvocation *invocation,
                      GVariant              *changes,
                      UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;

  if (!ul_engine_update_pbx (self->engine, CALLER (invocation), changes, &error))
    return return_error (invocation, error);
  return complete_pbx (self, invocation);
}

static gboolean
complete_advanced (UlDbusService *self, GDBusMethodInvocation *invocation)
{
  g_autoptr(UlAdvanced) advanced = ul_engine_get_advanced (self->engine);

  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(@a{sv})",
                                                        ul_advanced_to_variant (advanced)));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_advanced (UlGateway1Onboarding  *iface,
                        GDBusMethodInvocation *invocation,
                        UlDbusService         *self)
{
  return complete_advanced (self, invocation);
}

static gboolean
on_handle_update_advanced (UlGateway1Onboarding  *iface,
                           GDBusMethodInvocation *invocation,
                           GVariant              *changes,
                           UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;

  if (!ul_engine_update_advanced (self->engine, CALLER (invocation), changes, &error))
    return return_error (invocation, error);
  return complete_advanced (self, invocation);
}

/* Reads the paging options shared by the list methods; limit defaults to 100, max 1000. */
static gboolean
lookup_paging (GVariant *options, guint *offset, guint *limit, GError **error)
{
  g_autoptr(GVariant) v_offset = g_variant_lookup_value (options, "offset", NULL);
  g_autoptr(GVariant) v_limit = g_variant_lookup_value (options, "limit", NULL);
  gint64 value;

  *offset = 0;
  *limit = 100;
  if (v_offset != NULL)
    {
      if (!ul_variant_get_int (v_offset, "offset", &value, error))
        return FALSE;
      if (value < 0 || value > G_MAXINT32)
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "offset", "%s",
                              _("The offset must be 0 or more"));
          return FALSE;
        }
      *offset = (guint) value;
    }
  if (v_limit != NULL)
    {
      if (!ul_variant_get_int (v_limit, "limit", &value, error))
        return FALSE;
      if (value < 1 || value > 1000)
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "limit", "%s",
                              _("The limit must be between 1 and 1000"));
          return FALSE;
        }
      *limit = (guint) value;
    }
  return TRUE;
}

static gboolean
on_handle_get_audit_log (UlGateway1            *iface,
                         GDBusMethodInvocation *invocation,
                         GVariant              *options,
                         UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;
  GVariant *entries;
  guint offset, limit, total = 0;

  if (!lookup_paging (options, &offset, &limit, &error))
    return return_error (invocation, error);
  entries = ul_engine_list_audit (self->engine, offset, limit, &total, &error);
  if (entries == NULL)
    return return_error (invocation, error);
  ul_gateway1_complete_get_audit_log (iface, invocation, entries, total);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
sync_gateway_properties (UlDbusService *self)
{
  ul_gateway1_set_account_id (self->gateway, ul_engine_get_account_id (self->engine));
  ul_gateway1_set_status (self->gateway, ul_status_to_variant (ul_engine_get_status (self->engine)));
}

static void
on_engine_changed (UlEngine *engine, const char *section, UlDbusService *self)
{
  sync_gateway_properties (self);
  ul_gateway1_emit_changed (self->gateway, section);
}

static void
on_engine_status_changed (UlEngine *engine, UlDbusService *self)
{
  sync_gateway_properties (self);
}

static void
ul_dbus_service_dispose (GObject *object)
{
  UlDbusService *self = UL_DBUS_SERVICE (object);

  ul_dbus_service_unexport (self);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_object (&self->gateway);
  g_clear_object (&self->onboarding);

  G_OBJECT_CLASS (ul_dbus_service_parent_class)->dispose (object);
}

static void
ul_dbus_service_class_init (UlDbusServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ul_dbus_service_dispose;
}

static void
ul_dbus_service_init (UlDbusService *self)
{
}

UlDbusService *
ul_dbus_service_new (UlEngine *engine)
{
  UlDbusService *self = g_object_new (UL_TYPE_DBUS_SERVICE, NULL);
  const struct
  {
    const char *signal;
    GCallback   handler;
  } handlers[] = {
    { "handle-get-customer", G_CALLBACK (on_handle_get_customer) },
    { "handle-update-customer", G_CALLBACK (on_handle_update_customer) },
    { "handle-add-admin-contact", G_CALLBACK (on_handle_add_admin_contact) },
    { "handle-remove-admin-contact", G_CALLBACK (on_handle_remove_admin_contact) },
    { "handle-add-support-contact", G_CALLBACK (on_handle_add_support_contact) },
    { "handle-remove-support-contact", G_CALLBACK (on_handle_remove_support_contact) },
    { "handle-deactivate", G_CALLBACK (on_handle_deactivate) },
    { "handle-get-site", G_CALLBACK (on_handle_get_site) },
    { "handle-update-site", G_CALLBACK (on_handle_update_site) },
    { "handle-get-pbx", G_CALLBACK (on_handle_get_pbx) },
    { "handle-update-pbx", G_CALLBACK (on_handle_update_pbx) },
    { "handle-get-advanced", G_CALLBACK (on_handle_get_advanced) },
    { "handle-update-advanced", G_CALLBACK (on_handle_update_advanced) },
  };

  g_return_val_if_fail (UL_IS_ENGINE (engine), NULL);

  ul_error_register_dbus ();

  self->engine = g_object_ref (engine);
  self->gateway = ul_gateway1_skeleton_new ();
  self->onboarding = ul_gateway1_onboarding_skeleton_new ();

  ul_gateway1_set_version (self->gateway, PACKAGE_VERSION);
  ul_gateway1_set_gateway_id (self->gateway, ul_engine_get_gateway_id (engine));
  sync_gateway_properties (self);

  for (gsize i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_connect (self->onboarding, handlers[i].signal, handlers[i].handler, self);

  g_signal_connect (self->gateway, "handle-get-audit-log", G_CALLBACK (on_handle_get_audit_log),
                    self);
  g_signal_connect (engine, "changed", G_CALLBACK (on_engine_changed), self);
  g_signal_connect (engine, "status-changed", G_CALLBACK (on_engine_status_changed), self);
  return self;
}

gboolean
ul_dbus_service_export (UlDbusService   *self,
                        GDBusConnection *connection,
                        GError         **error)
{
  g_return_val_if_fail (UL_IS_DBUS_SERVICE (self), FALSE);
  g_return_val_if_fail (self->connection == NULL, FALSE);

  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->gateway), connection,
                                         UL_DBUS_OBJECT_PATH, error))
    return FALSE;
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->onboarding),
                                         connection, UL_DBUS_OBJECT_PATH, error))
    {
      g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->gateway));
      return FALSE;
    }
  self->connection = g_object_ref (connection);
  return TRUE;
}

void
ul_dbus_service_unexport (UlDbusService *self)
{
  g_return_if_fail (UL_IS_DBUS_SERVICE (self));

  if (self->connection == NULL)
    return;
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->onboarding));
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->gateway));
  g_clear_object (&self->connection);
}
