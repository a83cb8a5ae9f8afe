/* ul-dbus-service.c — the D-Bus frontend.
 *
 * Thin by design: each handler unpacks the call, makes one engine call and packs the
 * result. Validation, defaults and state all live in the engine and core/common, so the
 * HTTPS frontend gets exactly the same behaviour.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-dbus-deployment.h"
#include "ul-dbus-generated.h"
#include "ul-dbus-service.h"
#include "ul-dbus-util.h"
#include "ul-error.h"
#include "ul-variant.h"

struct _UlDbusService
{
  GObject parent_instance;

  UlEngine             *engine;
  UlGateway1           *gateway;
  UlGateway1Onboarding *onboarding;
  UlGateway1Pbx        *pbx;
  UlGateway1Users      *users;
  UlDbusDeployment     *deployment;
  GDBusConnection      *connection;
};

G_DEFINE_FINAL_TYPE (UlDbusService, ul_dbus_service, G_TYPE_OBJECT)

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
    return ul_dbus_return_error (invocation, error);
  return ul_dbus_return_dict (invocation, ul_customer_to_variant (customer));
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

  if (!ul_engine_update_customer (self->engine, UL_DBUS_CALLER (invocation), changes, &error))
    return ul_dbus_return_error (invocation, error);
  return complete_customer (self, invocation);
}

static gboolean
on_handle_add_admin_contact (UlGateway1Onboarding  *iface,
                             GDBusMethodInvocation *invocation,
                             GVariant              *contact,
                             UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;

  if (!ul_engine_add_admin_contact (self->engine, UL_DBUS_CALLER (invocation), contact, &error))
    return ul_dbus_return_error (invocation, error);
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
      || !ul_engine_remove_admin_contact (self->engine, UL_DBUS_CALLER (invocation),
                                          email, confirm, &error))
    return ul_dbus_return_error (invocation, error);
  return complete_customer (self, invocation);
}

static gboolean
on_handle_add_support_contact (UlGateway1Onboarding  *iface,
                               GDBusMethodInvocation *invocation,
                               GVariant              *contact,
                               UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;

  if (!ul_engine_add_support_contact (self->engine, UL_DBUS_CALLER (invocation), contact, &error))
    return ul_dbus_return_error (invocation, error);
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

  if (!ul_engine_remove_support_contact (self->engine, UL_DBUS_CALLER (invocation),
                                         role, email, &error))
    return ul_dbus_return_error (invocation, error);
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
      || !ul_engine_deactivate (self->engine, UL_DBUS_CALLER (invocation), confirm, &error))
    return ul_dbus_return_error (invocation, error);
  ul_gateway1_onboarding_complete_deactivate (iface, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
complete_site (UlDbusService *self, GDBusMethodInvocation *invocation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlSite) site = ul_engine_get_site (self->engine, &error);

  if (site == NULL)
    return ul_dbus_return_error (invocation, error);
  return ul_dbus_return_dict (invocation, ul_site_to_variant (site));
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

  if (!ul_engine_update_site (self->engine, UL_DBUS_CALLER (invocation), changes, &error))
    return ul_dbus_return_error (invocation, error);
  return complete_site (self, invocation);
}

static gboolean
complete_pbx (UlDbusService *self, GDBusMethodInvocation *invocation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlPbxConfig) pbx = ul_engine_get_pbx (self->engine, &error);

  if (pbx == NULL)
    return ul_dbus_return_error (invocation, error);
  return ul_dbus_return_dict (invocation, ul_pbx_config_to_variant (pbx));
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

  if (!ul_engine_update_pbx (self->engine, UL_DBUS_CALLER (invocation), changes, &error))
    return ul_dbus_return_error (invocation, error);
  return complete_pbx (self, invocation);
}

static gboolean
complete_advanced (UlDbusService *self, GDBusMethodInvocation *invocation)
{
  g_autoptr(UlAdvanced) advanced = ul_engine_get_advanced (self->engine);

  return ul_dbus_return_dict (invocation, ul_advanced_to_variant (advanced));
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

  if (!ul_engine_update_advanced (self->engine, UL_DBUS_CALLER (invocation), changes, &error))
    return ul_dbus_return_error (invocation, error);
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
    return ul_dbus_return_error (invocation, error);
  entries = ul_engine_list_audit (self->engine, offset, limit, &total, &error);
  if (entries == NULL)
    return ul_dbus_return_error (invocation, error);
  ul_gateway1_complete_get_audit_log (iface, invocation, entries, total);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* io.github.uplink.Gateway1.Pbx */

static void
on_connect_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = ul_engine_connect_finish (UL_ENGINE (source), result, &error);

  if (reply == NULL)
    ul_dbus_return_error (invocation, error);
  else
    ul_dbus_return_dict (invocation, reply);
}

static gboolean
on_handle_connect (UlGateway1Pbx         *iface,
                   GDBusMethodInvocation *invocation,
                   GVariant              *options,
                   UlDbusService         *self)
{
  ul_engine_connect_async (self->engine, UL_DBUS_CALLER (invocation),
                           options, NULL, on_connect_done,
                           g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_sync_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) report = ul_engine_sync_finish (UL_ENGINE (source), result, &error);

  if (report == NULL)
    ul_dbus_return_error (invocation, error);
  else
    ul_dbus_return_dict (invocation, report);
}

static gboolean
on_handle_sync (UlGateway1Pbx         *iface,
                GDBusMethodInvocation *invocation,
                GVariant              *options,
                UlDbusService         *self)
{
  ul_engine_sync_async (self->engine, UL_DBUS_CALLER (invocation), NULL, on_sync_done,
                        g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_directory (UlGateway1Pbx         *iface,
                         GDBusMethodInvocation *invocation,
                         UlDbusService         *self)
{
  ul_gateway1_pbx_complete_get_directory (iface, invocation,
                                          ul_engine_get_directory (self->engine));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_update_directory (UlGateway1Pbx         *iface,
                            GDBusMethodInvocation *invocation,
                            GVariant              *changes,
                            UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;

  if (!ul_engine_update_directory (self->engine, UL_DBUS_CALLER (invocation), changes, &error))
    return ul_dbus_return_error (invocation, error);
  ul_gateway1_pbx_complete_update_directory (iface, invocation,
                                             ul_engine_get_directory (self->engine));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_make_call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *call_id = ul_engine_make_call_finish (UL_ENGINE (source), result, &error);

  if (call_id == NULL)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", call_id));
}

static gboolean
on_handle_make_call (UlGateway1Pbx         *iface,
                     GDBusMethodInvocation *invocation,
                     const char            *extension,
                     const char            *number,
                     UlDbusService         *self)
{
  ul_engine_make_call_async (self->engine, UL_DBUS_CALLER (invocation), extension, number, NULL,
                             on_make_call_done, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_cti_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;

  if (!ul_engine_cti_finish (UL_ENGINE (source), result, &error))
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
on_handle_answer_call (UlGateway1Pbx         *iface,
                       GDBusMethodInvocation *invocation,
                       const char            *extension,
                       UlDbusService         *self)
{
  ul_engine_answer_call_async (self->engine, UL_DBUS_CALLER (invocation),
                               extension, NULL, on_cti_done,
                               g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_clear_connection (UlGateway1Pbx         *iface,
                            GDBusMethodInvocation *invocation,
                            const char            *extension,
                            UlDbusService         *self)
{
  ul_engine_clear_connection_async (self->engine, UL_DBUS_CALLER (invocation), extension, NULL,
                                    on_cti_done, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* io.github.uplink.Gateway1.Users */

static gboolean
on_handle_list_users (UlGateway1Users       *iface,
                      GDBusMethodInvocation *invocation,
                      GVariant              *options,
                      UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v_eligible = g_variant_lookup_value (options, "eligible", NULL);
  gboolean eligible_only = FALSE;
  guint offset, limit, total = 0;
  GVariant *users;

  if (!lookup_paging (options, &offset, &limit, &error)
      || (v_eligible != NULL && !ul_variant_get_boolean (v_eligible, "eligible", &eligible_only,
                                                         &error)))
    return ul_dbus_return_error (invocation, error);
  users = ul_engine_list_users (self->engine, offset, limit,
                                v_eligible == NULL ? -1 : eligible_only ? 1 : 0, &total);
  ul_gateway1_users_complete_list_users (iface, invocation, users, total);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_user (UlGateway1Users       *iface,
                    GDBusMethodInvocation *invocation,
                    const char            *extension,
                    UlDbusService         *self)
{
  g_autoptr(GError) error = NULL;
  GVariant *user = ul_engine_get_user (self->engine, extension, &error);

  if (user == NULL)
    return ul_dbus_return_error (invocation, error);
  ul_gateway1_users_complete_get_user (iface, invocation, user);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_engine_users_changed (UlEngine *engine, UlDbusService *self)
{
  ul_gateway1_users_emit_users_changed (self->users);
}

static void
on_engine_call_state_changed (UlEngine      *engine,
                              const char    *extension,
                              const char    *state,
                              UlDbusService *self)
{
  ul_gateway1_users_emit_call_state_changed (self->users, extension, state);
}

static void
on_engine_pbx_changed (UlEngine *engine, UlDbusService *self)
{
  ul_gateway1_pbx_set_link_state (self->pbx, ul_engine_get_link_state (engine));
  ul_gateway1_pbx_set_link_error (self->pbx, ul_engine_get_link_error (engine));
}

static void
sync_gateway_properties (UlDbusService *self)
{
  ul_gateway1_set_account_id (self->gateway, ul_engine_get_account_id (self->engine));
  ul_gateway1_set_status (self->gateway,
                          ul_status_to_variant (ul_engine_get_status (self->engine)));
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
  g_clear_object (&self->pbx);
  g_clear_object (&self->users);
  g_clear_object (&self->deployment);

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
  const struct
  {
    const char *signal;
    GCallback   handler;
  } pbx_handlers[] = {
    { "handle-connect", G_CALLBACK (on_handle_connect) },
    { "handle-sync", G_CALLBACK (on_handle_sync) },
    { "handle-get-directory", G_CALLBACK (on_handle_get_directory) },
    { "handle-update-directory", G_CALLBACK (on_handle_update_directory) },
    { "handle-make-call", G_CALLBACK (on_handle_make_call) },
    { "handle-answer-call", G_CALLBACK (on_handle_answer_call) },
    { "handle-clear-connection", G_CALLBACK (on_handle_clear_connection) },
  };

  g_return_val_if_fail (UL_IS_ENGINE (engine), NULL);

  ul_error_register_dbus ();

  self->engine = g_object_ref (engine);
  self->gateway = ul_gateway1_skeleton_new ();
  self->onboarding = ul_gateway1_onboarding_skeleton_new ();
  self->pbx = ul_gateway1_pbx_skeleton_new ();
  self->users = ul_gateway1_users_skeleton_new ();
  self->deployment = ul_dbus_deployment_new (engine);

  ul_gateway1_set_version (self->gateway, PACKAGE_VERSION);
  ul_gateway1_set_gateway_id (self->gateway, ul_engine_get_gateway_id (engine));
  sync_gateway_properties (self);

  for (gsize i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_connect (self->onboarding, handlers[i].signal, handlers[i].handler, self);
  for (gsize i = 0; i < G_N_ELEMENTS (pbx_handlers); i++)
    g_signal_connect (self->pbx, pbx_handlers[i].signal, pbx_handlers[i].handler, self);
  g_signal_connect (self->users, "handle-list-users", G_CALLBACK (on_handle_list_users), self);
  g_signal_connect (self->users, "handle-get-user", G_CALLBACK (on_handle_get_user), self);
  on_engine_pbx_changed (engine, self);

  g_signal_connect (self->gateway, "handle-get-audit-log", G_CALLBACK (on_handle_get_audit_log),
                    self);
  g_signal_connect (engine, "changed", G_CALLBACK (on_engine_changed), self);
  g_signal_connect (engine, "status-changed", G_CALLBACK (on_engine_status_changed), self);
  g_signal_connect (engine, "users-changed", G_CALLBACK (on_engine_users_changed), self);
  g_signal_connect (engine, "call-state-changed", G_CALLBACK (on_engine_call_state_changed),
                    self);
  g_signal_connect (engine, "pbx-changed", G_CALLBACK (on_engine_pbx_changed), self);
  return self;
}

gboolean
ul_dbus_service_export (UlDbusService   *self,
                        GDBusConnection *connection,
                        GError         **error)
{
  GDBusInterfaceSkeleton *skeletons[] = {
    G_DBUS_INTERFACE_SKELETON (self->gateway), G_DBUS_INTERFACE_SKELETON (self->onboarding),
    G_DBUS_INTERFACE_SKELETON (self->pbx), G_DBUS_INTERFACE_SKELETON (self->users),
    ul_dbus_deployment_get_skeleton (self->deployment),
  };

  g_return_val_if_fail (UL_IS_DBUS_SERVICE (self), FALSE);
  g_return_val_if_fail (self->connection == NULL, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (skeletons); i++)
    {
      if (!g_dbus_interface_skeleton_export (skeletons[i], connection, UL_DBUS_OBJECT_PATH,
                                             error))
        {
          while (i-- > 0)
            g_dbus_interface_skeleton_unexport (skeletons[i]);
          return FALSE;
        }
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
  g_dbus_interface_skeleton_unexport (ul_dbus_deployment_get_skeleton (self->deployment));
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->users));
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->pbx));
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->onboarding));
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->gateway));
  g_clear_object (&self->connection);
}
