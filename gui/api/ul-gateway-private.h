/* ul-gateway-private.h — UlGateway's insides, shared by ul-gateway.c (identity, sign-in,
 * calls) and ul-gateway-live.c (the summary the list shows, liveness and events). */
#pragma once

#include "ul-gateway.h"

G_BEGIN_DECLS

struct _UlGateway
{
  GObject parent_instance;

  UlApiClient   *client;
  char          *id;
  char          *announced_name;
  char          *customer_name;
  char          *account_id;
  char          *platform;
  char          *email;
  char          *password;
  char          *last_error;
  char          *address;       /* "host:port", "[v6]:port" */
  char          *title;
  UlGatewayState state;
  UlStatus      *status;          /* the gateway's own, last known */
  UlStatus      *shown_status;    /* what the list shows */
  int            registered_users;
  gboolean       claimed;
  gboolean       discovered;
  gboolean       known;

  guint          poll_interval;
  guint          poll_id;
  guint          events_retry_id;
  guint          events_backoff;
  gboolean       refreshing;
  gboolean       counting;
  gboolean       count_again;     /* the users changed while counting */
  GCancellable  *cancellable;
  guint          sign_ins;         /* successful sign-ins so far */
  GPtrArray     *relogin_waiters;  /* calls (GTask*) waiting for the sign-in after a 401 */
};

enum
{
  PROP_0,
  PROP_TITLE,
  PROP_ACCOUNT_ID,
  PROP_STATE,
  PROP_STATUS_MESSAGE,
  PROP_REGISTERED_USERS,
  PROP_CLAIMED,
  PROP_DISCOVERED,
  PROP_KNOWN,
  PROP_PLATFORM,
  PROP_ADDRESS,
  N_PROPS
};

extern GParamSpec *ul_gateway_props[N_PROPS];

enum
{
  SIGNAL_CHANGED,
  SIGNAL_PIN_CHANGED,
  SIGNAL_DELIVERY_CHANGED,
  N_SIGNALS
};

extern guint ul_gateway_signals[N_SIGNALS];

gboolean ul_gateway_update_string (char **slot, const char *value);
void     ul_gateway_update_title (UlGateway *self);
void     ul_gateway_set_state (UlGateway *self, UlGatewayState state);
void     ul_gateway_set_last_error (UlGateway *self, const GError *error);
void     ul_gateway_set_account_id (UlGateway *self, const char *account_id);
void     ul_gateway_apply_status (UlGateway *self, GVariant *dict);
void     ul_gateway_apply_identity (UlGateway *self, GVariant *info);
void     ul_gateway_note_answer (UlGateway *self);
void     ul_gateway_note_failure (UlGateway *self, const GError *error);
void     ul_gateway_start_events (UlGateway *self);

/* ul-gateway-live.c */
void     ul_gateway_refresh_summary (UlGateway *self);
void     ul_gateway_count_registered (UlGateway *self);
void     ul_gateway_on_event (UlApiClient *client, const char *type, GVariant *data,
                              UlGateway *self);
void     ul_gateway_on_events_closed (UlApiClient *client, UlGateway *self);

G_END_DECLS
