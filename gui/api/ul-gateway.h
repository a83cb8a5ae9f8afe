/* ul-gateway.h — one gateway as the dashboard sees it: where it is, whether it answers,
 * who its customer is and what its status says.
 *
 * A gateway serves one customer (DESIGN.md §3), so a row of the customer list is a
 * gateway. UlGateway owns the API client, keeps the summary the list shows up to date
 * (from the WebSocket events, or by polling when there is no event stream), notices when
 * the gateway stops answering, and signs in again with the stored password when a token
 * expires. */
#pragma once

#include <gio/gio.h>

#include "ul-api-client.h"
#include "ul-status.h"

G_BEGIN_DECLS

typedef enum
{
  UL_GATEWAY_STATE_UNKNOWN,              /* not contacted yet */
  UL_GATEWAY_STATE_CONNECTING,
  UL_GATEWAY_STATE_ONLINE,               /* answers, signed in */
  UL_GATEWAY_STATE_SIGNED_OUT,           /* answers, no valid token */
  UL_GATEWAY_STATE_UNREACHABLE,          /* "Lost connection to gateway" */
  UL_GATEWAY_STATE_CERTIFICATE_CHANGED,  /* refused: not the pinned certificate */
} UlGatewayState;

#define UL_TYPE_GATEWAY_STATE (ul_gateway_state_get_type ())
GType ul_gateway_state_get_type (void) G_GNUC_CONST;

#define UL_TYPE_GATEWAY (ul_gateway_get_type ())
G_DECLARE_FINAL_TYPE (UlGateway, ul_gateway, UL, GATEWAY, GObject)

UlGateway      *ul_gateway_new (const char *host, guint port);

UlApiClient    *ul_gateway_get_client (UlGateway *self);
const char     *ul_gateway_get_id (UlGateway *self);
void            ul_gateway_set_id (UlGateway *self, const char *id);
const char     *ul_gateway_get_host (UlGateway *self);
guint           ul_gateway_get_port (UlGateway *self);
/* Moves the gateway (a DHCP lease changed, as mDNS tells); keeps the pin and the token. */
void            ul_gateway_set_address (UlGateway *self, const char *host, guint port);

/* "host:port" for people to read ("[fd31::10]:8443" for IPv6); "address" notifies. */
const char     *ul_gateway_get_address (UlGateway *self);
/* The name to show: the customer's name, else the announced name, else the address. */
const char     *ul_gateway_get_title (UlGateway *self);
const char     *ul_gateway_get_customer_name (UlGateway *self);
const char     *ul_gateway_get_account_id (UlGateway *self);
const char     *ul_gateway_get_announced_name (UlGateway *self);
void            ul_gateway_set_announced_name (UlGateway *self, const char *name);
/* What the list showed last time, until the gateway answers. */
void            ul_gateway_restore_summary (UlGateway  *self,
                                            const char *customer_name,
                                            const char *account_id);
/* The platform of the site ("standalone", "smbc", "virtual"), or NULL before the Gateway
 * step was saved. */
const char     *ul_gateway_get_platform (UlGateway *self);

UlGatewayState  ul_gateway_get_state (UlGateway *self);
/* The status the list shows: the gateway's own, or gateway-unreachable. Never NULL. */
const UlStatus *ul_gateway_get_status (UlGateway *self);
/* Translated one-line status message. */
const char     *ul_gateway_get_status_message (UlGateway *self);
/* Registered users, or -1 while unknown. */
int             ul_gateway_get_registered_users (UlGateway *self);
const char     *ul_gateway_get_last_error (UlGateway *self);

gboolean        ul_gateway_get_claimed (UlGateway *self);
void            ul_gateway_set_claimed (UlGateway *self, gboolean claimed);
/* Seen on the local network right now (mDNS). */
gboolean        ul_gateway_get_discovered (UlGateway *self);
void            ul_gateway_set_discovered (UlGateway *self, gboolean discovered);
/* In the partner's list (signed in once, remembered across runs). */
gboolean        ul_gateway_get_known (UlGateway *self);
void            ul_gateway_set_known (UlGateway *self, gboolean known);
/* The account the partner signs in with. */
const char     *ul_gateway_get_email (UlGateway *self);
void            ul_gateway_set_email (UlGateway *self, const char *email);
/* Kept in memory to sign in again when a token expires; stored in the keyring by
 * UlGatewayList, never on disk in clear. */
void            ul_gateway_set_password (UlGateway *self, const char *password);
gboolean        ul_gateway_has_password (UlGateway *self);

/* The one probe a gateway nobody vouched for gets (see ul_api_client_probe_async());
 * fills id, claimed and the account ID. */
void            ul_gateway_probe_async (UlGateway          *self,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
gboolean        ul_gateway_probe_finish (UlGateway *self, GAsyncResult *result, GError **error);

/* Claims an unclaimed gateway (creating the partner account), then signs in. */
void            ul_gateway_claim_async (UlGateway          *self,
                                        const char         *email,
                                        const char         *password,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
gboolean        ul_gateway_claim_finish (UlGateway *self, GAsyncResult *result, GError **error);
/* Signs in, keeps the password in memory, starts the events and refreshes. */
void            ul_gateway_sign_in_async (UlGateway          *self,
                                          const char         *email,
                                          const char         *password,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
gboolean        ul_gateway_sign_in_finish (UlGateway *self, GAsyncResult *result, GError **error);

/* An API call on behalf of a page. Tracks what the answer says about the gateway (online,
 * unreachable, signed out), signs in again once on an expired token, and after a change
 * refreshes the summary. */
void            ul_gateway_call_async (UlGateway          *self,
                                       UlApiOp             op,
                                       const char         *arg,
                                       GVariant           *body,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
GVariant       *ul_gateway_call_finish (UlGateway *self, GAsyncResult *result, GError **error);

/* After a certificate change the partner looked into: pins what the gateway presents now
 * and signs in again (with the stored password, if any). */
void            ul_gateway_trust_new_certificate (UlGateway *self);

/* Re-reads status, customer, site and the registered users; starts the liveness checks. */
void            ul_gateway_refresh (UlGateway *self);
/* Seconds between liveness checks while no event stream is open (default 10). */
void            ul_gateway_set_poll_interval (UlGateway *self, guint seconds);
/* Stops polling and events (the gateway left the list). */
void            ul_gateway_shutdown (UlGateway *self);

/* Signals:
 *   "changed" (const char *section): the gateway stored a change to "customer", "site",
 *     "pbx", "directory", "advanced" or "users" (from the events or after our own call),
 *     or its PBX "link" changed state; also "smtp" and "mail" (the deployment e-mail
 *     settings).
 *   "delivery-changed" (const char *extension): the deployment e-mail of that user moved
 *     (queued, sending, sent, failed), as the event stream tells.
 *   "pin-changed" (): the pinned fingerprint was set (to be remembered). */

G_END_DECLS
