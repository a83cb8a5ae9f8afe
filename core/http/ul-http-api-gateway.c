/* ul-http-api-gateway.c — routes about the gateway itself: identity and status.
 *
 *   GET /api/v1/gateway   public: what a dashboard needs before logging in
 *   GET /api/v1/status    the onboarding status
 */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include "ul-http-router.h"
#include "ul-http-server.h"

static void
get_gateway (UlHttpContext *context)
{
  UlHttpServer *server = UL_HTTP_SERVER (ul_http_context_get_server (context));
  UlEngine *engine = ul_http_context_get_engine (context);
  UlAuthService *auth = ul_http_context_get_auth (context);
  g_autofree char *name = ul_http_gateway_name (engine);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "gatewayId",
                         g_variant_new_string (ul_engine_get_gateway_id (engine)));
  g_variant_builder_add (&builder, "{sv}", "version", g_variant_new_string (PACKAGE_VERSION));
  g_variant_builder_add (&builder, "{sv}", "apiVersion",
                         g_variant_new_string (UL_HTTP_API_VERSION));
  g_variant_builder_add (&builder, "{sv}", "name", g_variant_new_string (name));
  g_variant_builder_add (&builder, "{sv}", "claimed",
                         g_variant_new_boolean (ul_auth_service_is_claimed (auth)));
  g_variant_builder_add (&builder, "{sv}", "accountId",
                         g_variant_new_string (ul_engine_get_account_id (engine)));
  g_variant_builder_add (&builder, "{sv}", "fingerprint",
                         g_variant_new_string (ul_http_server_get_fingerprint (server)));
  ul_http_context_reply (context, SOUP_STATUS_OK, g_variant_builder_end (&builder));
}

static void
get_status (UlHttpContext *context)
{
  UlEngine *engine = ul_http_context_get_engine (context);

  ul_http_context_reply (context, SOUP_STATUS_OK,
                         ul_status_to_variant (ul_engine_get_status (engine)));
}

static const UlHttpRoute routes[] = {
  { "GET", "/api/v1/gateway", TRUE, 0, get_gateway },
  { "GET", "/api/v1/status", FALSE, UL_AUTH_PERMISSION_READ, get_status },
};

const UlHttpRoute *
ul_http_api_gateway_routes (gsize *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}
