/* ul-http-router.h — the table of API routes and how a request finds its route.
 *
 * A route is a method, a path pattern whose "{}" segments are parameters, who may call it
 * and the handler. The API files (ul-http-api-*.c) each export a table; the server joins
 * them. Matching works on the raw path: it is split on "/" first and each segment
 * percent-decoded after, so a parameter may contain any character but "/" cannot sneak in. */
#pragma once

#include "ul-http-context.h"

G_BEGIN_DECLS

typedef void (*UlHttpHandler) (UlHttpContext *context);

typedef struct
{
  const char      *method;
  const char      *pattern;     /* "/api/v1/customer/admin-contacts/{}" */
  gboolean         public;      /* no token needed (gateway info, claim, login) */
  UlAuthPermission permission;  /* when not public */
  UlHttpHandler    handler;
} UlHttpRoute;

/* Routes of each API file. */
const UlHttpRoute *ul_http_api_gateway_routes (gsize *n_routes);
const UlHttpRoute *ul_http_api_auth_routes (gsize *n_routes);
const UlHttpRoute *ul_http_api_onboarding_routes (gsize *n_routes);
const UlHttpRoute *ul_http_api_pbx_routes (gsize *n_routes);
const UlHttpRoute *ul_http_api_deployment_routes (gsize *n_routes);

typedef enum
{
  UL_HTTP_MATCH_FOUND,
  UL_HTTP_MATCH_NO_PATH,      /* 404 */
  UL_HTTP_MATCH_NO_METHOD,    /* 405: the path exists with other methods */
  UL_HTTP_MATCH_BAD_PATH,     /* 400: a segment does not decode to valid text */
} UlHttpMatch;

/* Finds the route for @method and @raw_path in @routes. On FOUND, @params gets the decoded
 * parameters; on NO_METHOD, @allowed (may be NULL) the allowed methods ("GET, PATCH"). */
UlHttpMatch ul_http_router_match (GPtrArray   *routes,
                                  const char  *method,
                                  const char  *raw_path,
                                  const UlHttpRoute **route,
                                  GPtrArray  **params,
                                  char       **allowed);

G_END_DECLS
