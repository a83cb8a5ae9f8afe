/* ul-api-client.h — one gateway's HTTPS+JSON API (DESIGN.md §6), as the dashboard uses it.
 *
 * Every operation the dashboard needs is one row of a table in ul-api-client.c (method and
 * path); records go in and come out as the a{sv} the core/common models read. The
 * certificate is pinned: the first contact checks it against the fingerprint the gateway
 * announced over mDNS (or lets the partner confirm it, for a gateway added by address),
 * and every later connection must present the same certificate, or nothing is sent. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The port uplinkd's HTTPS API listens on unless configured otherwise. */
#define UL_API_DEFAULT_PORT 8443

typedef enum
{
  UL_API_OP_GET_GATEWAY,          /* identity: gatewayId, version, accountId, claimed, status */
  UL_API_OP_GET_STATUS,
  UL_API_OP_CLAIM,                /* {email, password} */
  UL_API_OP_LOGIN,                /* {email, password} → {token, expiresAt …} */
  UL_API_OP_LOGOUT,
  UL_API_OP_GET_CUSTOMER,
  UL_API_OP_UPDATE_CUSTOMER,
  UL_API_OP_ADD_ADMIN_CONTACT,
  UL_API_OP_REMOVE_ADMIN_CONTACT, /* arg: e-mail; body {confirm: "remove"} */
  UL_API_OP_ADD_SUPPORT_CONTACT,
  UL_API_OP_REMOVE_SUPPORT_CONTACT, /* arg: "<role>/<e-mail>" */
  UL_API_OP_DEACTIVATE,           /* {confirm: "deactivate"} */
  UL_API_OP_GET_SITE,
  UL_API_OP_UPDATE_SITE,
  UL_API_OP_GET_PBX,
  UL_API_OP_UPDATE_PBX,
  UL_API_OP_GET_DIRECTORY,
  UL_API_OP_UPDATE_DIRECTORY,
  UL_API_OP_CONNECT,              /* {syncSchedule} → {message, sessionId, syncSchedule} */
  UL_API_OP_SYNC,                 /* → the sync report */
  UL_API_OP_GET_LINK,             /* {linkState, linkError} */
  UL_API_OP_LIST_USERS,           /* arg: query string "offset=0&limit=100…" */
  UL_API_OP_GET_ADVANCED,
  UL_API_OP_UPDATE_ADVANCED,
  UL_API_OP_GET_SMTP,             /* {host, port, tls, username, passwordSet, fromAddress …} */
  UL_API_OP_UPDATE_SMTP,          /* "password" write-only, "" removes it */
  UL_API_OP_SEND_TEST_MAIL,       /* {to} → {reply, recipient, messageId} */
  UL_API_OP_GET_MAIL_SETTINGS,    /* {registrationUrl, effectiveRegistrationUrl, linkLifetime …} */
  UL_API_OP_UPDATE_MAIL_SETTINGS,
  UL_API_OP_SEND_DEPLOYMENT_EMAILS, /* {extensions, language} → {results: [{extension,
                                     * accepted, messageId | reason, message}]} */
  UL_API_OP_RESEND_DEPLOYMENT_EMAILS, /* the same, for users invited before: a new link */
  UL_API_OP_LIST_DELIVERIES,      /* the newest mail of each invited user */
  UL_API_OP_GET_DELIVERY,         /* arg: extension */
  UL_API_OP_LIST_REGISTERED_USERS, /* {extension, name, email, registeredAt, admin} */
} UlApiOp;

#define UL_TYPE_API_CLIENT (ul_api_client_get_type ())
G_DECLARE_FINAL_TYPE (UlApiClient, ul_api_client, UL, API_CLIENT, GObject)

UlApiClient *ul_api_client_new (const char *host, guint port);

const char  *ul_api_client_get_host (UlApiClient *self);
guint        ul_api_client_get_port (UlApiClient *self);

/* Fingerprints are SHA-256 of the certificate's DER, 64 lower-case hex digits; these
 * accept any usual spelling ("AB:CD…", "sha256:abcd…") and normalize it. */
char        *ul_api_normalize_fingerprint (const char *text);
/* "AB:CD:…" in groups, for people to compare. */
char        *ul_api_format_fingerprint (const char *fingerprint);

/* The pin (from the list of known gateways); NULL for a gateway never contacted. */
void         ul_api_client_set_pinned_fingerprint (UlApiClient *self, const char *fingerprint);
const char  *ul_api_client_get_pinned_fingerprint (UlApiClient *self);
/* The fingerprint the gateway announced in its mDNS TXT record "fp". */
void         ul_api_client_set_announced_fingerprint (UlApiClient *self, const char *fingerprint);
const char  *ul_api_client_get_announced_fingerprint (UlApiClient *self);
/* The fingerprint of the certificate the gateway last presented (set even when refused). */
const char  *ul_api_client_get_peer_fingerprint (UlApiClient *self);

void         ul_api_client_set_token (UlApiClient *self, const char *token);
gboolean     ul_api_client_has_token (UlApiClient *self);

/* Runs @op. @arg fills the path or query where the operation has one (see UlApiOp);
 * @body is a{sv} or NULL (a floating reference is sunk). The reply is a{sv}, or
 * {"items": aa{sv}, …} for a bare JSON array. */
void         ul_api_client_call_async (UlApiClient        *self,
                                       UlApiOp             op,
                                       const char         *arg,
                                       GVariant           *body,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
GVariant    *ul_api_client_call_finish (UlApiClient  *self,
                                        GAsyncResult *result,
                                        GError      **error);

/* A quick, unauthenticated look at the gateway (GET_GATEWAY with a short timeout). Before
 * a pin or an announcement exists, this is the one request allowed to a certificate
 * nobody vouched for: it carries no credentials, and its answer lets the partner compare
 * the fingerprint before trusting it. */
void         ul_api_client_probe_async (UlApiClient        *self,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
GVariant    *ul_api_client_probe_finish (UlApiClient  *self,
                                         GAsyncResult *result,
                                         GError      **error);

/* The live events (WebSocket /api/v1/events). "event" (const char *type, GVariant *data)
 * is emitted for each; "events-closed" () when the socket ends, after which the caller
 * may start it again. */
void         ul_api_client_start_events (UlApiClient *self);
void         ul_api_client_stop_events (UlApiClient *self);
gboolean     ul_api_client_get_events_active (UlApiClient *self);

G_END_DECLS
