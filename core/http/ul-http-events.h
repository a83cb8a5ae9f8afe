/* ul-http-events.h — the event WebSocket, /api/v1/events.
 *
 * Signed-in clients get one JSON message per engine event, so that a dashboard never polls:
 *   {"type": "hello", "gatewayId", "status": {...}}            on connect
 *   {"type": "status", "status": {...}}                         "status-changed"
 *   {"type": "section-changed", "section": "customer"}          "changed"
 *   {"type": "users-changed"}                                    "users-changed"
 *   {"type": "call-state", "extension", "state"}                 "call-state-changed"
 *   {"type": "pbx", "linkState", "linkError"}                    "pbx-changed"
 *   {"type": "delivery-changed", "extension"}                    "delivery-changed"
 * Each client's session is checked before each message; an ended session closes the
 * socket (code 1008). Clients are not expected to send anything. */
#pragma once

#include <libsoup/soup.h>

#include "ul-auth-service.h"
#include "ul-engine.h"
#include "ul-http-guard.h"

G_BEGIN_DECLS

#define UL_TYPE_HTTP_EVENTS (ul_http_events_get_type ())
G_DECLARE_FINAL_TYPE (UlHttpEvents, ul_http_events, UL, HTTP_EVENTS, GObject)

UlHttpEvents *ul_http_events_new (UlEngine      *engine,
                                  UlAuthService *auth,
                                  UlHttpGuard   *guard,
                                  guint          max_clients);

/* Takes over an upgraded connection of @session (transfer none for both). */
void          ul_http_events_add_client (UlHttpEvents            *self,
                                         SoupServerMessage       *msg,
                                         SoupWebsocketConnection *connection,
                                         const UlAuthSession     *session);
/* Sends {"type": @type, ...@fields} (a{sv}, floating, may be NULL) to every client. */
void          ul_http_events_broadcast (UlHttpEvents *self, const char *type, GVariant *fields);
guint         ul_http_events_get_n_clients (UlHttpEvents *self);
/* Closes every client (shutdown). */
void          ul_http_events_close_all (UlHttpEvents *self);

G_END_DECLS
