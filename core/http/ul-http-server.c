/* ul-http-server.c — the HTTPS+JSON frontend (see the header).
 *
 * Request path: UlHttpGuard accepts the connection and does TLS; libsoup parses the
 * request; on_request() finds the route, checks the bearer token and the permission, and
 * calls the route's handler with a UlHttpContext. The handler makes the engine call and
 * replies; nothing else happens here. The end users' registration pages under /register
 * take the same path through the guard to UlHttpRegister instead of the router.
 */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>

#include "ul-error.h"
#include "ul-http-cert.h"
#include "ul-http-context.h"
#include "ul-http-events.h"
#include "ul-http-register.h"
#include "ul-http-router.h"
#include "ul-http-server.h"

#define EVENTS_PATH "/api/v1/events"

struct _UlHttpServer
{
  GObject          parent_instance;

  UlEngine        *engine;
  UlAuthService   *auth;
  UlHttpSettings   settings;
  SoupServer      *soup;
  UlHttpGuard     *guard;
  UlHttpEvents    *events;
  UlHttpRegister  *registration;
  GTlsCertificate *certificate;
  char            *fingerprint;
  GPtrArray       *routes;       /* const UlHttpRoute* */
  GSocket         *keepalive;    /* see keep_alive_listener() */
  guint            https_port;
  guint            http_port;
};

G_DEFINE_FINAL_TYPE (UlHttpServer, ul_http_server, G_TYPE_OBJECT)

void
ul_http_settings_init (UlHttpSettings *settings)
{
  settings->listen = NULL;
  settings->https_port = 8443;
  settings->http_port = 8080;
  ul_http_limits_init (&settings->limits);
  settings->max_websockets = 32;
}

void
ul_http_settings_clear (UlHttpSettings *settings)
{
  g_clear_pointer (&settings->listen, g_strfreev);
}

char *
ul_http_gateway_name (UlEngine *engine)
{
  g_autoptr(UlCustomer) customer = ul_engine_get_customer (engine, NULL);
  g_autoptr(UlSite) site = NULL;

  if (customer != NULL && customer->name != NULL && *customer->name != '\0')
    return g_strdup (customer->name);
  site = ul_engine_get_site (engine, NULL);
  if (site != NULL && site->name != NULL && *site->name != '\0')
    return g_strdup (site->name);
  return g_strdup (_("Uplink gateway"));
}

static void
reply_plain_error (SoupServerMessage *msg, guint status, const char *code, const char *message)
{
  g_autoptr(GError) error = g_error_new_literal (UL_ERROR, UL_ERROR_FAILED, message);
  char *body = ul_http_error_body (error, code);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body,
                                    strlen (body));
}

static void
reply_gerror (SoupServerMessage *msg, const GError *error)
{
  char *body = ul_http_error_body (error, NULL);
  guint status = ul_http_status_for_error (error);

  soup_server_message_set_status (msg, status, NULL);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer realm=\"uplink\"");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body,
                                    strlen (body));
}

/* "Authorization: Bearer <token>" → token (borrowed), or NULL. */
static const char *
bearer_token (SoupServerMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  value += 7;
  while (*value == ' ')
    value++;
  return value;
}

/* The session of the request's token with @permission, or NULL after replying. */
static UlAuthSession *
authorize (UlHttpServer *self, SoupServerMessage *msg, UlAuthPermission permission)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlAuthSession) session = NULL;

  session = ul_auth_service_authenticate (self->auth, bearer_token (msg), &error);
  if (session == NULL || !ul_auth_session_check (session, permission, &error))
    {
      reply_gerror (msg, error);
      return NULL;
    }
  return g_steal_pointer (&session);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  UlHttpServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const UlHttpRoute *route = NULL;
  g_autoptr(GPtrArray) params = NULL;
  g_autofree char *allowed = NULL;
  g_autoptr(UlHttpContext) context = NULL;
  UlAuthSession *session = NULL;

  switch (ul_http_router_match (self->routes, method, path, &route, &params, &allowed))
    {
    case UL_HTTP_MATCH_FOUND:
      break;
    case UL_HTTP_MATCH_NO_METHOD:
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    allowed);
      reply_plain_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                         _("This method is not allowed here"));
      return;
    case UL_HTTP_MATCH_BAD_PATH:
      reply_plain_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid-argument",
                         _("The path is not valid"));
      return;
    case UL_HTTP_MATCH_NO_PATH:
    default:
      reply_plain_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", _("No such resource"));
      return;
    }

  if (!route->public && (session = authorize (self, msg, route->permission)) == NULL)
    return;
  context = ul_http_context_new (msg, G_OBJECT (self), self->engine, self->auth, session, params,
                                 query);
  route->handler (context);
}

/* The WebSocket path: authenticate the upgrade request like any other; libsoup then does
 * the handshake unless a status was set. */
static void
on_events_request (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  UlHttpServer *self = user_data;
  UlAuthSession *session = authorize (self, msg, UL_AUTH_PERMISSION_READ);

  if (session != NULL)
    g_object_set_data_full (G_OBJECT (msg), "ul-session", session,
                            (GDestroyNotify) ul_auth_session_free);
}

static void
on_events_upgraded (SoupServer              *server,
                    SoupServerMessage       *msg,
                    const char              *path,
                    SoupWebsocketConnection *connection,
                    gpointer                 user_data)
{
  UlHttpServer *self = user_data;
  UlAuthSession *session = g_object_get_data (G_OBJECT (msg), "ul-session");

  if (session == NULL)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, NULL);
      return;
    }
  ul_http_events_add_client (self->events, msg, connection, session);
}

/* libsoup keeps a connection alive after a response only while the server has a listener
 * of its own (soup_server_accept_iostream() alone gets Connection: close on every reply).
 * Our listeners are UlHttpGuard's, so give libsoup one that can never accept anything: a
 * Unix socket bound in a private directory and unlinked at once. */
static GSocket *
keep_alive_listener (GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("uplinkd-XXXXXX", error);
  g_autofree char *path = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  gboolean ok;

  if (dir == NULL)
    return NULL;
  path = g_build_filename (dir, "s", NULL);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                         error);
  address = g_unix_socket_address_new (path);
  ok = socket != NULL && g_socket_bind (socket, address, FALSE, error)
       && g_socket_listen (socket, error);
  g_unlink (path);
  g_rmdir (dir);
  return ok ? g_steal_pointer (&socket) : NULL;
}

static void
add_routes (UlHttpServer *self, const UlHttpRoute *routes, gsize n_routes)
{
  for (gsize i = 0; i < n_routes; i++)
    g_ptr_array_add (self->routes, (gpointer) &routes[i]);
}

UlHttpServer *
ul_http_server_new (UlEngine             *engine,
                    UlAuthService        *auth,
                    const char           *data_dir,
                    const UlHttpSettings *settings,
                    GError              **error)
{
  g_autoptr(UlHttpServer) self = g_object_new (UL_TYPE_HTTP_SERVER, NULL);
  g_autofree char *tls_dir = NULL;
  g_autofree char *common_name = NULL;
  gsize n_routes;
  const UlHttpRoute *routes;
  const char *locale_dir;

  g_return_val_if_fail (UL_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (UL_IS_AUTH_SERVICE (auth), NULL);

  self->engine = g_object_ref (engine);
  self->auth = g_object_ref (auth);
  if (settings != NULL)
    {
      self->settings = *settings;
      self->settings.listen = g_strdupv (settings->listen);
    }
  else
    ul_http_settings_init (&self->settings);

  tls_dir = g_build_filename (data_dir, "tls", NULL);
  common_name = g_strdup_printf ("Uplink gateway %s", ul_engine_get_gateway_id (engine));
  self->certificate = ul_http_cert_load_or_create (tls_dir, common_name, error);
  if (self->certificate == NULL)
    return NULL;
  self->fingerprint = ul_http_cert_get_fingerprint (self->certificate);

  self->soup = soup_server_new ("server-header", "uplinkd", "raw-paths", TRUE, NULL);
  self->guard = ul_http_guard_new (self->soup, self->certificate, &self->settings.limits);
  self->events = ul_http_events_new (engine, auth, self->guard, self->settings.max_websockets);
  /* UL_LOCALEDIR lets an uninstalled build use the catalogs it just compiled, as the
   * dashboard does. */
  locale_dir = g_getenv ("UL_LOCALEDIR");
  self->registration = ul_http_register_new (engine, locale_dir != NULL ? locale_dir
                                                                       : LOCALEDIR);

  routes = ul_http_api_gateway_routes (&n_routes);
  add_routes (self, routes, n_routes);
  routes = ul_http_api_auth_routes (&n_routes);
  add_routes (self, routes, n_routes);
  routes = ul_http_api_onboarding_routes (&n_routes);
  add_routes (self, routes, n_routes);
  routes = ul_http_api_pbx_routes (&n_routes);
  add_routes (self, routes, n_routes);
  routes = ul_http_api_deployment_routes (&n_routes);
  add_routes (self, routes, n_routes);

  soup_server_add_handler (self->soup, NULL, on_request, self, NULL);
  soup_server_add_handler (self->soup, EVENTS_PATH, on_events_request, self, NULL);
  /* The end users' pages behind the deployment e-mails' links, HTML not JSON. */
  soup_server_add_handler (self->soup, UL_HTTP_REGISTER_PREFIX, ul_http_register_handle,
                           self->registration, NULL);
  soup_server_add_websocket_handler (self->soup, EVENTS_PATH, NULL, NULL, on_events_upgraded,
                                     self, NULL);
  return g_steal_pointer (&self);
}

gboolean
ul_http_server_start (UlHttpServer *self, GError **error)
{
  const char * const *listen = (const char * const *) self->settings.listen;

  g_return_val_if_fail (UL_IS_HTTP_SERVER (self), FALSE);

  self->keepalive = keep_alive_listener (error);
  if (self->keepalive == NULL
      || !soup_server_listen_socket (self->soup, self->keepalive, 0, error))
    {
      g_prefix_error (error, _("Cannot set up the HTTPS server: "));
      return FALSE;
    }
  if (!ul_http_guard_listen (self->guard, listen, self->settings.https_port, TRUE,
                             &self->https_port, error))
    {
      g_prefix_error (error, _("Cannot listen on HTTPS port %u: "), self->settings.https_port);
      return FALSE;
    }
  ul_http_guard_set_https_port (self->guard, self->https_port);
  if (self->settings.http_port >= 0
      && !ul_http_guard_listen (self->guard, listen, (guint) self->settings.http_port, FALSE,
                                &self->http_port, error))
    {
      g_prefix_error (error, _("Cannot listen on HTTP port %d: "), self->settings.http_port);
      return FALSE;
    }
  g_message ("HTTPS API on port %u (certificate SHA-256 %s)", self->https_port, self->fingerprint);
  return TRUE;
}

void
ul_http_server_stop (UlHttpServer *self)
{
  g_return_if_fail (UL_IS_HTTP_SERVER (self));

  ul_http_events_close_all (self->events);
  ul_http_guard_stop (self->guard);
  soup_server_disconnect (self->soup);
}

guint
ul_http_server_get_https_port (UlHttpServer *self)
{
  g_return_val_if_fail (UL_IS_HTTP_SERVER (self), 0);
  return self->https_port;
}

guint
ul_http_server_get_http_port (UlHttpServer *self)
{
  g_return_val_if_fail (UL_IS_HTTP_SERVER (self), 0);
  return self->http_port;
}

const char *
ul_http_server_get_fingerprint (UlHttpServer *self)
{
  g_return_val_if_fail (UL_IS_HTTP_SERVER (self), NULL);
  return self->fingerprint;
}

UlHttpGuard *
ul_http_server_get_guard (UlHttpServer *self)
{
  g_return_val_if_fail (UL_IS_HTTP_SERVER (self), NULL);
  return self->guard;
}

static void
ul_http_server_dispose (GObject *object)
{
  UlHttpServer *self = UL_HTTP_SERVER (object);

  g_clear_object (&self->events);
  g_clear_object (&self->registration);
  g_clear_object (&self->guard);
  g_clear_object (&self->soup);
  g_clear_object (&self->keepalive);
  g_clear_object (&self->certificate);
  g_clear_object (&self->auth);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (ul_http_server_parent_class)->dispose (object);
}

static void
ul_http_server_finalize (GObject *object)
{
  UlHttpServer *self = UL_HTTP_SERVER (object);

  ul_http_settings_clear (&self->settings);
  g_free (self->fingerprint);
  g_ptr_array_unref (self->routes);
  G_OBJECT_CLASS (ul_http_server_parent_class)->finalize (object);
}

static void
ul_http_server_class_init (UlHttpServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ul_http_server_dispose;
  object_class->finalize = ul_http_server_finalize;
}

static void
ul_http_server_init (UlHttpServer *self)
{
  self->routes = g_ptr_array_new ();
}
