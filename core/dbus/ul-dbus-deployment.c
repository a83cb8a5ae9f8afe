/* ul-dbus-deployment.c — the Deployment interface: decode → engine call → encode. */
#include "config.h"

#include "ul-dbus-deployment.h"
#include "ul-dbus-generated.h"
#include "ul-dbus-util.h"
#include "ul-error.h"

struct _UlDbusDeployment
{
  GObject parent_instance;

  UlEngine               *engine;
  UlGateway1Deployment   *skeleton;
};

G_DEFINE_FINAL_TYPE (UlDbusDeployment, ul_dbus_deployment, G_TYPE_OBJECT)

static gboolean
on_handle_get_smtp (UlGateway1Deployment  *iface,
                    GDBusMethodInvocation *invocation,
                    UlDbusDeployment      *self)
{
  return ul_dbus_return_dict (invocation, ul_engine_get_smtp (self->engine));
}

static gboolean
on_handle_update_smtp (UlGateway1Deployment  *iface,
                       GDBusMethodInvocation *invocation,
                       GVariant              *changes,
                       UlDbusDeployment      *self)
{
  g_autoptr(GError) error = NULL;

  if (!ul_engine_update_smtp (self->engine, UL_DBUS_CALLER (invocation), changes, &error))
    return ul_dbus_return_error (invocation, error);
  return ul_dbus_return_dict (invocation, ul_engine_get_smtp (self->engine));
}

static void
on_test_mail_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;
  GVariant *reply = ul_engine_send_test_mail_finish (UL_ENGINE (source), result, &error);

  if (reply == NULL)
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return;
    }
  ul_dbus_return_dict (invocation, reply);
  g_variant_unref (reply);
}

static gboolean
on_handle_send_test_mail (UlGateway1Deployment  *iface,
                          GDBusMethodInvocation *invocation,
                          GVariant              *options,
                          UlDbusDeployment      *self)
{
  ul_engine_send_test_mail_async (self->engine, UL_DBUS_CALLER (invocation), options, NULL,
                                  on_test_mail_sent, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_settings (UlGateway1Deployment  *iface,
                        GDBusMethodInvocation *invocation,
                        UlDbusDeployment      *self)
{
  return ul_dbus_return_dict (invocation, ul_engine_get_mail_settings (self->engine));
}

static gboolean
on_handle_update_settings (UlGateway1Deployment  *iface,
                           GDBusMethodInvocation *invocation,
                           GVariant              *changes,
                           UlDbusDeployment      *self)
{
  g_autoptr(GError) error = NULL;

  if (!ul_engine_update_mail_settings (self->engine, UL_DBUS_CALLER (invocation), changes, &error))
    return ul_dbus_return_error (invocation, error);
  return ul_dbus_return_dict (invocation, ul_engine_get_mail_settings (self->engine));
}

static gboolean
on_handle_send_deployment_emails (UlGateway1Deployment  *iface,
                                  GDBusMethodInvocation *invocation,
                                  const char * const    *extensions,
                                  GVariant              *options,
                                  UlDbusDeployment      *self)
{
  g_autoptr(GError) error = NULL;
  GVariant *results = ul_engine_send_deployment_emails (self->engine, UL_DBUS_CALLER (invocation),
                                                        extensions, options, &error);

  if (results == NULL)
    return ul_dbus_return_error (invocation, error);
  ul_gateway1_deployment_complete_send_deployment_emails (iface, invocation, results);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_resend (UlGateway1Deployment  *iface,
                  GDBusMethodInvocation *invocation,
                  const char * const    *extensions,
                  UlDbusDeployment      *self)
{
  g_autoptr(GError) error = NULL;
  GVariant *results = ul_engine_resend_deployment_emails (self->engine, UL_DBUS_CALLER (invocation),
                                                          extensions, NULL, &error);

  if (results == NULL)
    return ul_dbus_return_error (invocation, error);
  ul_gateway1_deployment_complete_resend (iface, invocation, results);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_deliveries (UlGateway1Deployment  *iface,
                          GDBusMethodInvocation *invocation,
                          GVariant              *options,
                          UlDbusDeployment      *self)
{
  g_autoptr(GError) error = NULL;
  GVariant *deliveries = ul_engine_list_deliveries (self->engine, &error);

  if (deliveries == NULL)
    return ul_dbus_return_error (invocation, error);
  ul_gateway1_deployment_complete_get_deliveries (iface, invocation, deliveries);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_list_registered_users (UlGateway1Deployment  *iface,
                                 GDBusMethodInvocation *invocation,
                                 UlDbusDeployment      *self)
{
  ul_gateway1_deployment_complete_list_registered_users (
    iface, invocation, ul_engine_list_registered_users (self->engine));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_lookup_registration (UlGateway1Deployment  *iface,
                               GDBusMethodInvocation *invocation,
                               const char            *token,
                               UlDbusDeployment      *self)
{
  g_autoptr(GError) error = NULL;
  GVariant *registration = ul_engine_lookup_registration (self->engine, token, &error);

  if (registration == NULL)
    return ul_dbus_return_error (invocation, error);
  return ul_dbus_return_dict (invocation, registration);
}

static void
on_registered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;
  GVariant *user = ul_engine_register_finish (UL_ENGINE (source), result, &error);

  if (user == NULL)
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return;
    }
  ul_dbus_return_dict (invocation, user);
  g_variant_unref (user);
}

static gboolean
on_handle_register (UlGateway1Deployment  *iface,
                    GDBusMethodInvocation *invocation,
                    const char            *token,
                    const char            *password,
                    UlDbusDeployment      *self)
{
  ul_engine_register_async (self->engine, UL_DBUS_CALLER (invocation), token, password, NULL,
                            on_registered, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_engine_delivery_changed (UlEngine *engine, const char *extension, UlDbusDeployment *self)
{
  g_autoptr(GError) error = NULL;
  GVariant *delivery = ul_engine_get_delivery (engine, extension, &error);

  if (delivery == NULL)
    {
      g_debug ("no delivery to announce for %s: %s", extension, error->message);
      return;
    }
  ul_gateway1_deployment_emit_delivery_changed (self->skeleton, extension, delivery);
}

static void
on_engine_users_changed (UlEngine *engine, UlDbusDeployment *self)
{
  ul_gateway1_deployment_set_registered_users (self->skeleton,
                                               ul_engine_count_registered_users (engine));
}

static void
ul_dbus_deployment_dispose (GObject *object)
{
  UlDbusDeployment *self = UL_DBUS_DEPLOYMENT (object);

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_object (&self->skeleton);

  G_OBJECT_CLASS (ul_dbus_deployment_parent_class)->dispose (object);
}

static void
ul_dbus_deployment_class_init (UlDbusDeploymentClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ul_dbus_deployment_dispose;
}

static void
ul_dbus_deployment_init (UlDbusDeployment *self)
{
}

UlDbusDeployment *
ul_dbus_deployment_new (UlEngine *engine)
{
  UlDbusDeployment *self;
  const struct
  {
    const char *signal;
    GCallback   handler;
  } handlers[] = {
    { "handle-get-smtp", G_CALLBACK (on_handle_get_smtp) },
    { "handle-update-smtp", G_CALLBACK (on_handle_update_smtp) },
    { "handle-send-test-mail", G_CALLBACK (on_handle_send_test_mail) },
    { "handle-get-settings", G_CALLBACK (on_handle_get_settings) },
    { "handle-update-settings", G_CALLBACK (on_handle_update_settings) },
    { "handle-send-deployment-emails", G_CALLBACK (on_handle_send_deployment_emails) },
    { "handle-resend", G_CALLBACK (on_handle_resend) },
    { "handle-get-deliveries", G_CALLBACK (on_handle_get_deliveries) },
    { "handle-list-registered-users", G_CALLBACK (on_handle_list_registered_users) },
    { "handle-lookup-registration", G_CALLBACK (on_handle_lookup_registration) },
    { "handle-register", G_CALLBACK (on_handle_register) },
  };

  g_return_val_if_fail (UL_IS_ENGINE (engine), NULL);

  self = g_object_new (UL_TYPE_DBUS_DEPLOYMENT, NULL);
  self->engine = g_object_ref (engine);
  self->skeleton = ul_gateway1_deployment_skeleton_new ();
  for (gsize i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_connect (self->skeleton, handlers[i].signal, handlers[i].handler, self);
  on_engine_users_changed (engine, self);
  g_signal_connect (engine, "delivery-changed", G_CALLBACK (on_engine_delivery_changed), self);
  g_signal_connect (engine, "users-changed", G_CALLBACK (on_engine_users_changed), self);
  return self;
}

GDBusInterfaceSkeleton *
ul_dbus_deployment_get_skeleton (UlDbusDeployment *self)
{
  g_return_val_if_fail (UL_IS_DBUS_DEPLOYMENT (self), NULL);
  return G_DBUS_INTERFACE_SKELETON (self->skeleton);
}
