/* ul-http-server.h — the HTTPS+JSON frontend (DESIGN.md §6).
 *
 * Thin like the D-Bus frontend: each route decodes JSON into a{sv}, makes one engine (or
 * auth service) call and encodes the result. It composes the pieces of core/http: the
 * certificate, the connection guard, the router and its API tables, and the event
 * WebSocket. */
#pragma once

#include <libsoup/soup.h>

#include "ul-auth-service.h"
#include "ul-engine.h"
#include "ul-http-guard.h"

G_BEGIN_DECLS

/* The version of the API under /api/v1; published in mDNS TXT "v". */
#define UL_HTTP_API_VERSION "1"

typedef struct
{
  char        **listen;      /* addresses to listen on; NULL: all */
  guint         https_port;  /* 0: any free port (tests) */
  int           http_port;   /* plain-HTTP redirector; 0: any free port, -1: none */
  UlHttpLimits  limits;
  guint         max_websockets;
} UlHttpSettings;

/* Defaults: all addresses, HTTPS 8443, HTTP 8080, ul_http_limits_init(), 32 WebSockets. */
void ul_http_settings_init (UlHttpSettings *settings);
void ul_http_settings_clear (UlHttpSettings *settings);

#define UL_TYPE_HTTP_SERVER (ul_http_server_get_type ())
G_DECLARE_FINAL_TYPE (UlHttpServer, ul_http_server, UL, HTTP_SERVER, GObject)

/* Loads or creates the certificate in <data_dir>/tls. Does not listen yet. */
UlHttpServer *ul_http_server_new (UlEngine             *engine,
                                  UlAuthService        *auth,
                                  const char           *data_dir,
                                  const UlHttpSettings *settings,
                                  GError              **error);
gboolean      ul_http_server_start (UlHttpServer *self, GError **error);
void          ul_http_server_stop (UlHttpServer *self);

guint         ul_http_server_get_https_port (UlHttpServer *self);
/* 0 when there is no plain-HTTP listener. */
guint         ul_http_server_get_http_port (UlHttpServer *self);
/* Lower-case hex SHA-256 of the certificate (mDNS TXT "fp"). */
const char   *ul_http_server_get_fingerprint (UlHttpServer *self);
UlHttpGuard  *ul_http_server_get_guard (UlHttpServer *self);

/* The name a dashboard shows for the gateway: the customer's name, else the site's, else
 * "Uplink gateway". */
char         *ul_http_gateway_name (UlEngine *engine);

G_END_DECLS
