/* ul-http-api-deployment.c — deployment e-mails and registration: one route per D-Bus
 * method of io.github.uplink.Gateway1.Deployment.
 *
 *   GET/PATCH /api/v1/smtp                          GetSmtp, UpdateSmtp
 *   POST  /api/v1/smtp/test {to}                    SendTestMail
 *   GET/PATCH /api/v1/deployment/settings           GetSettings, UpdateSettings
 *   POST  /api/v1/deployment/emails {extensions, language}   SendDeploymentEmails
 *   POST  /api/v1/deployment/resend {extensions, language}   Resend
 *   GET   /api/v1/deployment/deliveries[/{extension}]        GetDeliveries
 *   GET   /api/v1/registered-users                  ListRegisteredUsers
 *   GET   /api/v1/registration/{token}              LookupRegistration (public)
 *   POST  /api/v1/registration/{token} {password}   Register (public: the token is the key)
 */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-error.h"
#include "ul-http-router.h"
#include "ul-variant.h"

typedef gboolean (*UpdateFunc) (UlEngine *, const UlCaller *, GVariant *, GError **);
typedef GVariant *(*GetFunc) (UlEngine *);

static GVariant *
read_body (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;
  GVariant *body = NULL;

  if (!ul_http_context_check_query (context, NULL, &error)
      || (body = ul_http_context_read_body (context, NULL, &error)) == NULL)
    ul_http_context_reply_error (context, error);
  return body;
}

static void
reply_list (UlHttpContext *context, GVariant *items)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (items);
  guint n = (guint) g_variant_n_children (owned);

  /* reply_page() sinks its own reference, whatever it was given. */
  ul_http_context_reply_page (context, owned, n, 0, n);
}

static void
get_with (UlHttpContext *context, GetFunc get)
{
  g_autoptr(GError) error = NULL;

  if (!ul_http_context_check_query (context, NULL, &error))
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_OK, get (ul_http_context_get_engine (context)));
}

static void
update_with (UlHttpContext *context, UpdateFunc update, GetFunc get)
{
  g_autoptr(GVariant) changes = read_body (context);
  g_autoptr(GError) error = NULL;
  UlEngine *engine = ul_http_context_get_engine (context);

  if (changes == NULL)
    return;
  if (!update (engine, ul_http_context_get_caller (context), changes, &error))
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_OK, get (engine));
}

static void
get_smtp (UlHttpContext *context)
{
  get_with (context, ul_engine_get_smtp);
}

static void
update_smtp (UlHttpContext *context)
{
  update_with (context, ul_engine_update_smtp, ul_engine_get_smtp);
}

static void
get_settings (UlHttpContext *context)
{
  get_with (context, ul_engine_get_mail_settings);
}

static void
update_settings (UlHttpContext *context)
{
  update_with (context, ul_engine_update_mail_settings, ul_engine_get_mail_settings);
}

static void
on_test_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlHttpContext) context = user_data;
  g_autoptr(GError) error = NULL;
  GVariant *reply = ul_engine_send_test_mail_finish (UL_ENGINE (source), result, &error);

  if (reply == NULL)
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_OK, reply);
}

static void
send_test_mail (UlHttpContext *context)
{
  g_autoptr(GVariant) options = read_body (context);

  if (options == NULL)
    return;
  ul_http_context_pause (context);
  ul_engine_send_test_mail_async (ul_http_context_get_engine (context),
                                  ul_http_context_get_caller (context), options, NULL,
                                  on_test_sent, ul_http_context_ref (context));
}

/* Splits {extensions, …options} into the list and the engine's options. */
static gboolean
split_extensions (GVariant *body, GStrv *extensions, GVariant **options, GError **error)
{
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  *extensions = NULL;
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, body);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      if (!g_str_equal (key, "extensions"))
        g_variant_builder_add (&builder, "{sv}", key, value);
      else if (!ul_variant_get_strv (value, key, extensions, error))
        {
          g_variant_unref (value);
          g_variant_builder_clear (&builder);
          return FALSE;
        }
    }
  *options = g_variant_ref_sink (g_variant_builder_end (&builder));
  if (*extensions == NULL)
    *extensions = g_new0 (char *, 1);
  return TRUE;
}

static void
send_emails (UlHttpContext *context, gboolean resend)
{
  g_autoptr(GVariant) body = read_body (context);
  g_autoptr(GVariant) options = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) extensions = NULL;
  GVariant *results = NULL;
  GVariantBuilder builder;

  if (body == NULL)
    return;
  if (split_extensions (body, &extensions, &options, &error))
    results = (resend ? ul_engine_resend_deployment_emails : ul_engine_send_deployment_emails) (
      ul_http_context_get_engine (context), ul_http_context_get_caller (context),
      (const char * const *) extensions, options, &error);
  if (results == NULL)
    {
      ul_http_context_reply_error (context, error);
      return;
    }
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "results", results);
  ul_http_context_reply (context, SOUP_STATUS_OK, g_variant_builder_end (&builder));
}

static void
send_deployment_emails (UlHttpContext *context)
{
  send_emails (context, FALSE);
}

static void
resend_deployment_emails (UlHttpContext *context)
{
  send_emails (context, TRUE);
}

static void
list_deliveries (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;
  GVariant *deliveries = NULL;

  if (!ul_http_context_check_query (context, NULL, &error)
      || (deliveries = ul_engine_list_deliveries (ul_http_context_get_engine (context),
                                                  &error)) == NULL)
    ul_http_context_reply_error (context, error);
  else
    reply_list (context, deliveries);
}

static void
get_delivery (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;
  GVariant *delivery = ul_engine_get_delivery (ul_http_context_get_engine (context),
                                               ul_http_context_get_param (context, 0), &error);

  if (delivery == NULL)
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_OK, delivery);
}

static void
list_registered_users (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;

  if (!ul_http_context_check_query (context, NULL, &error))
    ul_http_context_reply_error (context, error);
  else
    reply_list (context, ul_engine_list_registered_users (ul_http_context_get_engine (context)));
}

static void
lookup_registration (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;
  GVariant *registration = ul_engine_lookup_registration (ul_http_context_get_engine (context),
                                                          ul_http_context_get_param (context, 0),
                                                          &error);

  if (registration == NULL)
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_OK, registration);
}

static void
on_registered (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlHttpContext) context = user_data;
  g_autoptr(GError) error = NULL;
  GVariant *user = ul_engine_register_finish (UL_ENGINE (source), result, &error);

  if (user == NULL)
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_OK, user);
}

static void
do_register (UlHttpContext *context)
{
  g_autoptr(GVariant) body = read_body (context);
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  GVariantIter iter;
  const char *key;

  if (body == NULL)
    return;
  g_variant_iter_init (&iter, body);
  while (error == NULL && g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      if (!g_str_equal (key, "password"))
        ul_variant_unknown_key (key, &error);
      else
        {
          g_clear_pointer (&password, g_free);
          ul_variant_get_string (value, key, &password, &error);
        }
      g_clear_pointer (&value, g_variant_unref);
    }
  if (error == NULL && password == NULL)
    ul_set_field_error (&error, UL_ERROR_INVALID_ARGUMENT, "password", "%s",
                        _("Choose a password"));
  if (error != NULL)
    {
      ul_http_context_reply_error (context, error);
      return;
    }
  ul_http_context_pause (context);
  ul_engine_register_async (ul_http_context_get_engine (context),
                            ul_http_context_get_caller (context),
                            ul_http_context_get_param (context, 0), password, NULL,
                            on_registered, ul_http_context_ref (context));
}

static const UlHttpRoute routes[] = {
  { "GET", "/api/v1/smtp", FALSE, UL_AUTH_PERMISSION_SYSTEM, get_smtp },
  { "PATCH", "/api/v1/smtp", FALSE, UL_AUTH_PERMISSION_SYSTEM, update_smtp },
  { "POST", "/api/v1/smtp/test", FALSE, UL_AUTH_PERMISSION_SYSTEM, send_test_mail },
  { "GET", "/api/v1/deployment/settings", FALSE, UL_AUTH_PERMISSION_SYSTEM, get_settings },
  { "PATCH", "/api/v1/deployment/settings", FALSE, UL_AUTH_PERMISSION_SYSTEM, update_settings },
  { "POST", "/api/v1/deployment/emails", FALSE, UL_AUTH_PERMISSION_SYSTEM,
    send_deployment_emails },
  { "POST", "/api/v1/deployment/resend", FALSE, UL_AUTH_PERMISSION_SYSTEM,
    resend_deployment_emails },
  { "GET", "/api/v1/deployment/deliveries", FALSE, UL_AUTH_PERMISSION_READ, list_deliveries },
  { "GET", "/api/v1/deployment/deliveries/{}", FALSE, UL_AUTH_PERMISSION_READ, get_delivery },
  { "GET", "/api/v1/registered-users", FALSE, UL_AUTH_PERMISSION_READ, list_registered_users },
  { "GET", "/api/v1/registration/{}", TRUE, 0, lookup_registration },
  { "POST", "/api/v1/registration/{}", TRUE, 0, do_register },
};

const UlHttpRoute *
ul_http_api_deployment_routes (gsize *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}
