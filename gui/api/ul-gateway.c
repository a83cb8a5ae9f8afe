/* ul-gateway.c — one gateway as the dashboard sees it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-api-error.h"
#include "ul-error.h"
#include "ul-gateway-private.h"
#include "ul-json.h"


G_DEFINE_FINAL_TYPE (UlGateway, ul_gateway, G_TYPE_OBJECT)

GParamSpec *ul_gateway_props[N_PROPS];
guint ul_gateway_signals[N_SIGNALS];

G_DEFINE_ENUM_TYPE (UlGatewayState, ul_gateway_state,
                    G_DEFINE_ENUM_VALUE (UL_GATEWAY_STATE_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (UL_GATEWAY_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (UL_GATEWAY_STATE_ONLINE, "online"),
                    G_DEFINE_ENUM_VALUE (UL_GATEWAY_STATE_SIGNED_OUT, "signed-out"),
                    G_DEFINE_ENUM_VALUE (UL_GATEWAY_STATE_UNREACHABLE, "unreachable"),
                    G_DEFINE_ENUM_VALUE (UL_GATEWAY_STATE_CERTIFICATE_CHANGED,
                                         "certificate-changed"))



gboolean
ul_gateway_update_string (char **slot, const char *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

void
ul_gateway_update_title (UlGateway *self)
{
  const char *title;

  if (self->customer_name != NULL && *self->customer_name != '\0')
    title = self->customer_name;
  else if (self->announced_name != NULL && *self->announced_name != '\0')
    title = self->announced_name;
  else
    title = self->address;

  if (ul_gateway_update_string (&self->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), ul_gateway_props[PROP_TITLE]);
}

/* The list shows the gateway's own status while it answers, and the dashboard's
 * "Lost connection to gateway" while it does not. */
static void
update_shown_status (UlGateway *self)
{
  g_autoptr(UlStatus) shown = NULL;

  if (self->state == UL_GATEWAY_STATE_UNREACHABLE ||
      self->state == UL_GATEWAY_STATE_CERTIFICATE_CHANGED)
    shown = ul_status_new (UL_STATUS_GATEWAY_UNREACHABLE, UL_SEVERITY_ERROR, NULL);
  else if (self->status != NULL)
    shown = ul_status_copy (self->status);
  else
    shown = ul_status_new (UL_STATUS_CUSTOMER_REQUIRED, UL_SEVERITY_NEXT_STEP, NULL);

  if (ul_status_equal (shown, self->shown_status))
    return;
  g_clear_pointer (&self->shown_status, ul_status_free);
  self->shown_status = g_steal_pointer (&shown);
  g_object_notify_by_pspec (G_OBJECT (self), ul_gateway_props[PROP_STATUS_MESSAGE]);
}

void
ul_gateway_set_state (UlGateway *self, UlGatewayState state)
{
  if (self->state == state)
    return;
  self->state = state;
  update_shown_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), ul_gateway_props[PROP_STATE]);
}

void
ul_gateway_set_last_error (UlGateway *self, const GError *error)
{
  ul_gateway_update_string (&self->last_error, error != NULL ? error->message : NULL);
}

void
ul_gateway_apply_status (UlGateway *self, GVariant *dict)
{
  const char *code = ul_json_lookup_string (dict, "code", NULL);
  const char *severity_str = ul_json_lookup_string (dict, "severity", "next-step");
  g_autoptr(GVariant) params = ul_json_lookup_dict (dict, "params");
  UlSeverity severity = UL_SEVERITY_NEXT_STEP;

  if (code == NULL)
    return;
  if (!ul_severity_from_string (severity_str, &severity))
    severity = UL_SEVERITY_ERROR;

  g_clear_pointer (&self->status, ul_status_free);
  self->status = ul_status_new (code, severity, params);
  update_shown_status (self);
}

void
ul_gateway_set_account_id (UlGateway *self, const char *account_id)
{
  if (account_id != NULL && *account_id == '\0')
    account_id = NULL;
  if (ul_gateway_update_string (&self->account_id, account_id))
    g_object_notify_by_pspec (G_OBJECT (self), ul_gateway_props[PROP_ACCOUNT_ID]);
}

/* What the gateway says about itself: GET /gateway (and the same keys in events). */
void
ul_gateway_apply_identity (UlGateway *self, GVariant *info)
{
  g_autoptr(GVariant) status = ul_json_lookup_dict (info, "status");
  const char *id = ul_json_lookup_string (info, "gatewayId",
                                          ul_json_lookup_string (info, "id", NULL));
  const char *account_id = ul_json_lookup_string (info, "accountId", NULL);
  const char *name = ul_json_lookup_string (info, "name", NULL);
  gboolean claimed;

  if (id != NULL && self->id == NULL)
    self->id = g_strdup (id);
  if (account_id != NULL)
    ul_gateway_set_account_id (self, account_id);
  if (name != NULL && self->announced_name == NULL)
    ul_gateway_set_announced_name (self, name);
  claimed = ul_json_lookup_bool (info, "claimed", self->claimed);
  ul_gateway_set_claimed (self, claimed);
  if (status != NULL)
    ul_gateway_apply_status (self, status);
}

/* A certificate that changed is remembered until the partner acts; everything else that
 * failed on the way means the gateway did not answer. */
void
ul_gateway_note_failure (UlGateway *self, const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  ul_gateway_set_last_error (self, error);
  if (g_error_matches (error, UL_API_ERROR, UL_API_ERROR_CERTIFICATE_CHANGED) ||
      g_error_matches (error, UL_API_ERROR, UL_API_ERROR_CERTIFICATE_MISMATCH))
    ul_gateway_set_state (self, UL_GATEWAY_STATE_CERTIFICATE_CHANGED);
  else if (ul_api_error_is_unreachable (error))
    ul_gateway_set_state (self, UL_GATEWAY_STATE_UNREACHABLE);
  else if (g_error_matches (error, UL_ERROR, UL_ERROR_UNAUTHORIZED))
    {
      ul_api_client_set_token (self->client, NULL);
      ul_gateway_set_state (self, UL_GATEWAY_STATE_SIGNED_OUT);
    }
}

void
ul_gateway_note_answer (UlGateway *self)
{
  if (self->state == UL_GATEWAY_STATE_CERTIFICATE_CHANGED)
    return;
  ul_gateway_set_state (self, ul_api_client_has_token (self->client)
                                ? UL_GATEWAY_STATE_ONLINE
                                : UL_GATEWAY_STATE_SIGNED_OUT);
}

/* ---- GObject ---- */

static void
ul_gateway_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  UlGateway *self = UL_GATEWAY (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STATUS_MESSAGE:
      g_value_set_string (value, ul_gateway_get_status_message (self));
      break;
    case PROP_REGISTERED_USERS:
      g_value_set_int (value, self->registered_users);
      break;
    case PROP_CLAIMED:
      g_value_set_boolean (value, self->claimed);
      break;
    case PROP_DISCOVERED:
      g_value_set_boolean (value, self->discovered);
      break;
    case PROP_KNOWN:
      g_value_set_boolean (value, self->known);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_PLATFORM:
      g_value_set_string (value, self->platform);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ul_gateway_dispose (GObject *object)
{
  UlGateway *self = UL_GATEWAY (object);

  ul_gateway_shutdown (self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (ul_gateway_parent_class)->dispose (object);
}

static void
ul_gateway_finalize (GObject *object)
{
  UlGateway *self = UL_GATEWAY (object);

  g_free (self->id);
  g_free (self->announced_name);
  g_free (self->customer_name);
  g_free (self->account_id);
  g_free (self->platform);
  g_free (self->email);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->last_error);
  g_free (self->address);
  g_free (self->title);
  g_clear_pointer (&self->status, ul_status_free);
  g_clear_pointer (&self->shown_status, ul_status_free);
  /* Empty: a waiting call's sign-in holds a reference on the gateway. */
  g_ptr_array_unref (self->relogin_waiters);

  G_OBJECT_CLASS (ul_gateway_parent_class)->finalize (object);
}

static void
ul_gateway_class_init (UlGatewayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  /* Shared with ul-gateway-live.c. */
  GParamSpec **props = ul_gateway_props;
  guint *signals = ul_gateway_signals;

  object_class->get_property = ul_gateway_get_property;
  object_class->dispose = ul_gateway_dispose;
  object_class->finalize = ul_gateway_finalize;

  props[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_ACCOUNT_ID] = g_param_spec_string ("account-id", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, UL_TYPE_GATEWAY_STATE,
                                         UL_GATEWAY_STATE_UNKNOWN,
                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_STATUS_MESSAGE] = g_param_spec_string ("status-message", NULL, NULL, NULL,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_REGISTERED_USERS] = g_param_spec_int ("registered-users", NULL, NULL, -1,
                                                   G_MAXINT, -1,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_CLAIMED] = g_param_spec_boolean ("claimed", NULL, NULL, FALSE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_DISCOVERED] = g_param_spec_boolean ("discovered", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_KNOWN] = g_param_spec_boolean ("known", NULL, NULL, FALSE,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_PLATFORM] = g_param_spec_string ("platform", NULL, NULL, NULL,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL,
                                          NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_PIN_CHANGED] = g_signal_new ("pin-changed", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 0);
  signals[SIGNAL_DELIVERY_CHANGED] = g_signal_new ("delivery-changed", G_TYPE_FROM_CLASS (klass),
                                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                   G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ul_gateway_init (UlGateway *self)
{
  self->registered_users = -1;
  self->poll_interval = 10;
  self->cancellable = g_cancellable_new ();
  self->relogin_waiters = g_ptr_array_new ();
}

/* An IPv6 literal gets brackets, as in a URL: "fd31::10:8443" would be ambiguous. */
static char *
format_address (const char *host, guint port)
{
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", host, port);
  return g_strdup_printf ("%s:%u", host, port);
}

UlGateway *
ul_gateway_new (const char *host, guint port)
{
  UlGateway *self = g_object_new (UL_TYPE_GATEWAY, NULL);

  self->address = format_address (host, port);
  self->client = ul_api_client_new (host, port);
  g_signal_connect (self->client, "event", G_CALLBACK (ul_gateway_on_event), self);
  g_signal_connect (self->client, "events-closed", G_CALLBACK (ul_gateway_on_events_closed), self);
  ul_gateway_update_title (self);
  update_shown_status (self);
  return self;
}

/* ---- accessors ---- */

UlApiClient *
ul_gateway_get_client (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), NULL);
  return self->client;
}

const char *
ul_gateway_get_id (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), NULL);
  return self->id;
}

void
ul_gateway_set_id (UlGateway *self, const char *id)
{
  g_return_if_fail (UL_IS_GATEWAY (self));
  ul_gateway_update_string (&self->id, id);
}

const char *
ul_gateway_get_host (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), NULL);
  return ul_api_client_get_host (self->client);
}

guint
ul_gateway_get_port (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), 0);
  return ul_api_client_get_port (self->client);
}

void
ul_gateway_set_address (UlGateway *self, const char *host, guint port)
{
  g_autoptr(UlApiClient) old = NULL;

  g_return_if_fail (UL_IS_GATEWAY (self));

  if (g_strcmp0 (host, ul_api_client_get_host (self->client)) == 0 &&
      port == ul_api_client_get_port (self->client))
    return;

  old = g_steal_pointer (&self->client);
  g_signal_handlers_disconnect_by_data (old, self);
  ul_api_client_stop_events (old);

  self->client = ul_api_client_new (host, port);
  g_free (self->address);
  self->address = format_address (host, port);
  g_object_notify_by_pspec (G_OBJECT (self), ul_gateway_props[PROP_ADDRESS]);
  ul_api_client_set_pinned_fingerprint (self->client, ul_api_client_get_pinned_fingerprint (old));
  g_signal_connect (self->client, "event", G_CALLBACK (ul_gateway_on_event), self);
  g_signal_connect (self->client, "events-closed", G_CALLBACK (ul_gateway_on_events_closed), self);
  ul_gateway_update_title (self);

  /* The pin moved with the gateway, so the stored password may follow it there. */
  if (self->email != NULL && self->password != NULL)
    ul_gateway_sign_in_async (self, self->email, self->password, self->cancellable, NULL, NULL);
  else
    ul_gateway_refresh (self);
}

const char *
ul_gateway_get_address (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), NULL);
  return self->address;
}

const char *
ul_gateway_get_title (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), NULL);
  return self->title;
}

const char *
ul_gateway_get_customer_name (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), NULL);
  return self->customer_name;
}

const char *
ul_gateway_get_account_id (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), NULL);
  return self->account_id;
}

const char *
ul_gateway_get_announced_name (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), NULL);
  return self->announced_name;
}

void
ul_gateway_set_announced_name (UlGateway *self, const char *name)
{
  g_return_if_fail (UL_IS_GATEWAY (self));
  if (ul_gateway_update_string (&self->announced_name, name))
    ul_gateway_update_title (self);
}

void
ul_gateway_restore_summary (UlGateway *self, const char *customer_name, const char *account_id)
{
  g_return_if_fail (UL_IS_GATEWAY (self));

  ul_gateway_set_account_id (self, account_id);
  if (ul_gateway_update_string (&self->customer_name, customer_name))
    ul_gateway_update_title (self);
}

const char *
ul_gateway_get_platform (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), NULL);
  return self->platform;
}

UlGatewayState
ul_gateway_get_state (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), UL_GATEWAY_STATE_UNKNOWN);
  return self->state;
}

const UlStatus *
ul_gateway_get_status (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), NULL);
  return self->shown_status;
}

const char *
ul_gateway_get_status_message (UlGateway *self)
{
  const char *message;

  g_return_val_if_fail (UL_IS_GATEWAY (self), NULL);

  message = ul_status_code_get_message (self->shown_status->code);
  return message != NULL ? message : self->shown_status->code;
}

int
ul_gateway_get_registered_users (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), -1);
  return self->registered_users;
}

const char *
ul_gateway_get_last_error (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), NULL);
  return self->last_error;
}

gboolean
ul_gateway_get_claimed (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), FALSE);
  return self->claimed;
}

void
ul_gateway_set_claimed (UlGateway *self, gboolean claimed)
{
  g_return_if_fail (UL_IS_GATEWAY (self));
  if (self->claimed == !!claimed)
    return;
  self->claimed = !!claimed;
  g_object_notify_by_pspec (G_OBJECT (self), ul_gateway_props[PROP_CLAIMED]);
}

gboolean
ul_gateway_get_discovered (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), FALSE);
  return self->discovered;
}

void
ul_gateway_set_discovered (UlGateway *self, gboolean discovered)
{
  g_return_if_fail (UL_IS_GATEWAY (self));
  if (self->discovered == !!discovered)
    return;
  self->discovered = !!discovered;
  g_object_notify_by_pspec (G_OBJECT (self), ul_gateway_props[PROP_DISCOVERED]);
}

gboolean
ul_gateway_get_known (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), FALSE);
  return self->known;
}

void
ul_gateway_set_known (UlGateway *self, gboolean known)
{
  g_return_if_fail (UL_IS_GATEWAY (self));
  if (self->known == !!known)
    return;
  self->known = !!known;
  g_object_notify_by_pspec (G_OBJECT (self), ul_gateway_props[PROP_KNOWN]);
}

const char *
ul_gateway_get_email (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), NULL);
  return self->email;
}

void
ul_gateway_set_email (UlGateway *self, const char *email)
{
  g_return_if_fail (UL_IS_GATEWAY (self));
  ul_gateway_update_string (&self->email, email);
}

void
ul_gateway_set_password (UlGateway *self, const char *password)
{
  g_return_if_fail (UL_IS_GATEWAY (self));

  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (password);
}

gboolean
ul_gateway_has_password (UlGateway *self)
{
  g_return_val_if_fail (UL_IS_GATEWAY (self), FALSE);
  return self->password != NULL;
}

void
ul_gateway_set_poll_interval (UlGateway *self, guint seconds)
{
  g_return_if_fail (UL_IS_GATEWAY (self));
  self->poll_interval = MAX (seconds, 1);
}

/* ---- probe ---- */

static void
on_probed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  UlGateway *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) info = NULL;

  info = ul_api_client_probe_finish (UL_API_CLIENT (source), result, &error);
  if (info == NULL)
    {
      ul_gateway_note_failure (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ul_gateway_apply_identity (self, info);
  ul_gateway_set_last_error (self, NULL);
  if (self->state != UL_GATEWAY_STATE_ONLINE)
    ul_gateway_note_answer (self);
  g_task_return_boolean (task, TRUE);
}

void
ul_gateway_probe_async (UlGateway          *self,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ul_gateway_probe_async);
  if (self->state == UL_GATEWAY_STATE_UNKNOWN)
    ul_gateway_set_state (self, UL_GATEWAY_STATE_CONNECTING);
  ul_api_client_probe_async (self->client, cancellable, on_probed, task);
}

gboolean
ul_gateway_probe_finish (UlGateway *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- sign in, claim ---- */

static GVariant *
credentials_body (const char *email, const char *password)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_variant_builder_add (&builder, "{sv}", "email", g_variant_new_string (email));
  g_variant_builder_add (&builder, "{sv}", "password", g_variant_new_string (password));
  return g_variant_builder_end (&builder);
}

/* The pin is set before any credential travels: a gateway reached through its mDNS
 * fingerprint is pinned to what it presented, one added by address was confirmed by the
 * partner (who called ul_api_client_set_pinned_fingerprint()). */
static gboolean
ensure_pinned (UlGateway *self, GError **error)
{
  const char *peer = ul_api_client_get_peer_fingerprint (self->client);

  if (ul_api_client_get_pinned_fingerprint (self->client) != NULL)
    return TRUE;
  if (peer == NULL)
    {
      g_set_error (error, UL_API_ERROR, UL_API_ERROR_CERTIFICATE_MISMATCH,
                   _("The gateway's certificate has not been checked yet"));
      return FALSE;
    }
  ul_api_client_set_pinned_fingerprint (self->client, peer);
  g_signal_emit (self, ul_gateway_signals[SIGNAL_PIN_CHANGED], 0);
  return TRUE;
}

typedef struct
{
  char *email;
  char *password;
} Credentials;

static void
credentials_free (Credentials *data)
{
  g_free (data->email);
  if (data->password != NULL)
    memset (data->password, 0, strlen (data->password));
  g_free (data->password);
  g_free (data);
}

void
ul_gateway_start_events (UlGateway *self)
{
  if (!ul_api_client_get_events_active (self->client))
    ul_api_client_start_events (self->client);
}

static void
on_logged_in (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  UlGateway *self = g_task_get_source_object (task);
  Credentials *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char *token;

  reply = ul_api_client_call_finish (UL_API_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      ul_gateway_note_failure (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  token = ul_json_lookup_string (reply, "token", NULL);
  if (token == NULL)
    {
      g_task_return_new_error (task, UL_API_ERROR, UL_API_ERROR_PROTOCOL,
                               _("The gateway accepted the sign-in but sent no token"));
      return;
    }

  ul_api_client_set_token (self->client, token);
  self->sign_ins++;
  ul_gateway_set_email (self, data->email);
  ul_gateway_set_password (self, data->password);
  ul_gateway_set_last_error (self, NULL);
  ul_gateway_set_state (self, UL_GATEWAY_STATE_ONLINE);
  ul_gateway_start_events (self);
  ul_gateway_refresh (self);
  g_task_return_boolean (task, TRUE);
}

static void
sign_in (UlGateway *self, GTask *task)
{
  Credentials *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!ensure_pinned (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  ul_api_client_set_token (self->client, NULL);
  ul_api_client_call_async (self->client, UL_API_OP_LOGIN, NULL,
                            credentials_body (data->email, data->password),
                            g_task_get_cancellable (task), on_logged_in, task);
}

static GTask *
credentials_task (UlGateway          *self,
                  const char         *email,
                  const char         *password,
                  gpointer            source_tag,
                  GCancellable       *cancellable,
                  GAsyncReadyCallback callback,
                  gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Credentials *data = g_new0 (Credentials, 1);

  g_task_set_source_tag (task, source_tag);
  data->email = g_strdup (email);
  data->password = g_strdup (password);
  g_task_set_task_data (task, data, (GDestroyNotify) credentials_free);
  return task;
}

void
ul_gateway_sign_in_async (UlGateway          *self,
                          const char         *email,
                          const char         *password,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_return_if_fail (UL_IS_GATEWAY (self));
  g_return_if_fail (email != NULL && password != NULL);

  sign_in (self, credentials_task (self, email, password, ul_gateway_sign_in_async, cancellable,
                                   callback, user_data));
}

gboolean
ul_gateway_sign_in_finish (UlGateway *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_claimed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = G_TASK (user_data);
  UlGateway *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = ul_api_client_call_finish (UL_API_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      ul_gateway_note_failure (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  ul_gateway_set_claimed (self, TRUE);
  sign_in (self, task);
}

void
ul_gateway_claim_async (UlGateway          *self,
                        const char         *email,
                        const char         *password,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  GTask *task;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (UL_IS_GATEWAY (self));
  g_return_if_fail (email != NULL && password != NULL);

  task = credentials_task (self, email, password, ul_gateway_claim_async, cancellable, callback,
                           user_data);
  if (!ensure_pinned (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  ul_api_client_call_async (self->client, UL_API_OP_CLAIM, NULL,
                            credentials_body (email, password), cancellable, on_claimed, task);
}

gboolean
ul_gateway_claim_finish (UlGateway *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- calls on behalf of pages ---- */

typedef struct
{
  UlApiOp   op;
  char     *arg;
  GVariant *body;
  gboolean  retried;
  guint     sign_in;   /* self->sign_ins when it was sent: which token it carried */
} CallData;

static void
call_data_free (CallData *data)
{
  g_free (data->arg);
  g_clear_pointer (&data->body, g_variant_unref);
  g_free (data);
}

static const char *
op_section (UlApiOp op)
{
  switch (op)
    {
    case UL_API_OP_UPDATE_CUSTOMER:
    case UL_API_OP_ADD_ADMIN_CONTACT:
    case UL_API_OP_REMOVE_ADMIN_CONTACT:
    case UL_API_OP_ADD_SUPPORT_CONTACT:
    case UL_API_OP_REMOVE_SUPPORT_CONTACT:
    case UL_API_OP_DEACTIVATE:
      return "customer";
    case UL_API_OP_UPDATE_SITE:
      return "site";
    case UL_API_OP_UPDATE_PBX:
    case UL_API_OP_CONNECT:
      return "pbx";
    case UL_API_OP_UPDATE_DIRECTORY:
      return "directory";
    case UL_API_OP_SYNC:
      return "users";
    case UL_API_OP_UPDATE_ADVANCED:
      return "advanced";
    case UL_API_OP_UPDATE_SMTP:
      return "smtp";
    case UL_API_OP_UPDATE_MAIL_SETTINGS:
      return "mail";
    default:
      return NULL;
    }
}

static void send_call (UlGateway *self, GTask *task);

static void
on_relogged_in (GObject *source, GAsyncResult *result, gpointer user_data)
{
  UlGateway *self = UL_GATEWAY (source);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->relogin_waiters);
  g_autoptr(GError) error = NULL;
  gboolean signed_in = ul_gateway_sign_in_finish (self, result, &error);

  self->relogin_waiters = g_ptr_array_new ();
  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);

      if (signed_in)
        send_call (self, task);
      else
        {
          g_task_return_error (task, g_error_copy (error));
          g_object_unref (task);
        }
    }
}

/* Every call that finds its token expired waits for one sign-in: each starting its own
 * would clear the token the others just got, and they would sign in again in turn. */
static void
sign_in_again (UlGateway *self, GTask *task)
{
  g_ptr_array_add (self->relogin_waiters, task);
  if (self->relogin_waiters->len == 1)
    ul_gateway_sign_in_async (self, self->email, self->password, self->cancellable,
                              on_relogged_in, NULL);
}

static void
on_call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = G_TASK (user_data);
  UlGateway *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char *section;

  reply = ul_api_client_call_finish (UL_API_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      /* A token expires after hours; the partner should not have to notice. */
      if (g_error_matches (error, UL_ERROR, UL_ERROR_UNAUTHORIZED) && !data->retried &&
          self->password != NULL && self->email != NULL)
        {
          data->retried = TRUE;
          /* Sent before the last sign-in: the new token may do. */
          if (data->sign_in != self->sign_ins)
            send_call (self, task);
          else
            sign_in_again (self, task);
          return;
        }
      ul_gateway_note_failure (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  ul_gateway_note_answer (self);
  section = op_section (data->op);
  g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify) g_variant_unref);
  if (section != NULL)
    {
      g_signal_emit (self, ul_gateway_signals[SIGNAL_CHANGED], g_quark_from_string (section),
                     section);
      ul_gateway_refresh_summary (self);
    }
  g_object_unref (task);
}

static void
send_call (UlGateway *self, GTask *task)
{
  CallData *data = g_task_get_task_data (task);

  data->sign_in = self->sign_ins;
  ul_api_client_call_async (self->client, data->op, data->arg, data->body,
                            g_task_get_cancellable (task), on_call_done, task);
}

void
ul_gateway_call_async (UlGateway          *self,
                       UlApiOp             op,
                       const char         *arg,
                       GVariant           *body,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  GTask *task;
  CallData *data;

  g_return_if_fail (UL_IS_GATEWAY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ul_gateway_call_async);
  data = g_new0 (CallData, 1);
  data->op = op;
  data->arg = g_strdup (arg);
  data->body = body != NULL ? g_variant_ref_sink (body) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);
  send_call (self, task);
}

GVariant *
ul_gateway_call_finish (UlGateway *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
