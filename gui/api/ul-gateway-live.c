/* ul-gateway-live.c — keeping a gateway's summary up to date: the status, customer and
 * site the list shows, its registered users, whether it still answers, and its events.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include "ul-gateway-private.h"
#include "ul-json.h"

/* How long a closed event stream waits before it tries again, doubling up to the cap. */
#define EVENTS_RETRY_MIN_S 2
#define EVENTS_RETRY_MAX_S 60

/* ---- the summary the list shows ---- */

static void
on_customer_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlGateway) self = UL_GATEWAY (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) customer = ul_gateway_call_finish (self, result, &error);

  if (customer == NULL)
    return;
  ul_gateway_set_account_id (self, ul_json_lookup_string (customer, "accountId", self->account_id));
  if (ul_gateway_update_string (&self->customer_name,
                                ul_json_lookup_string (customer, "name", NULL)))
    ul_gateway_update_title (self);
}

static void
on_site_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlGateway) self = UL_GATEWAY (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) site = ul_gateway_call_finish (self, result, &error);

  if (site == NULL)
    return;
  if (ul_gateway_update_string (&self->platform, ul_json_lookup_string (site, "platform", NULL)))
    g_object_notify_by_pspec (G_OBJECT (self), ul_gateway_props[PROP_PLATFORM]);
}

static void
on_status_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlGateway) self = UL_GATEWAY (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) info = ul_gateway_call_finish (self, result, &error);

  self->refreshing = FALSE;
  if (info == NULL)
    return;
  ul_gateway_apply_identity (self, info);
  if (g_variant_lookup_value (info, "status", NULL) == NULL)
    ul_gateway_apply_status (self, info);
}

/* Status, customer and site; the registered users only when asked (they cost a list). */
void
ul_gateway_refresh_summary (UlGateway *self)
{
  if (!ul_api_client_has_token (self->client) || self->refreshing)
    return;

  self->refreshing = TRUE;
  ul_gateway_call_async (self, UL_API_OP_GET_GATEWAY, NULL, NULL, self->cancellable,
                         on_status_read, g_object_ref (self));
  ul_gateway_call_async (self, UL_API_OP_GET_CUSTOMER, NULL, NULL, self->cancellable,
                         on_customer_read, g_object_ref (self));
  ul_gateway_call_async (self, UL_API_OP_GET_SITE, NULL, NULL, self->cancellable,
                         on_site_read, g_object_ref (self));
}

static void
on_registered_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlGateway) self = UL_GATEWAY (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = ul_gateway_call_finish (self, result, &error);
  g_autoptr(GVariant) users = NULL;
  int registered;

  self->counting = FALSE;
  /* A registration while this was on its way may not be in this answer. */
  if (self->count_again)
    {
      self->count_again = FALSE;
      ul_gateway_count_registered (self);
    }
  if (reply == NULL)
    return;
  users = ul_json_lookup_dict_array (reply, "items");
  registered = (int) ul_json_lookup_int (reply, "total",
                                         users != NULL ? (gint64) g_variant_n_children (users) : 0);
  if (self->registered_users != registered)
    {
      self->registered_users = registered;
      g_object_notify_by_pspec (G_OBJECT (self), ul_gateway_props[PROP_REGISTERED_USERS]);
    }
}

/* Runs at sign-in and after the users changed (a registration is one), not on every poll. */
void
ul_gateway_count_registered (UlGateway *self)
{
  if (!ul_api_client_has_token (self->client))
    return;
  if (self->counting)
    {
      self->count_again = TRUE;
      return;
    }
  self->counting = TRUE;
  ul_gateway_call_async (self, UL_API_OP_LIST_REGISTERED_USERS, NULL, NULL, self->cancellable,
                         on_registered_read, g_object_ref (self));
}

/* ---- liveness ---- */

static gboolean on_poll (gpointer user_data);

static void
schedule_poll (UlGateway *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  self->poll_id = g_timeout_add_seconds (self->poll_interval, on_poll, self);
}

static void
on_poll_probed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlGateway) self = UL_GATEWAY (user_data);
  g_autoptr(GError) error = NULL;
  gboolean was_unreachable = self->state == UL_GATEWAY_STATE_UNREACHABLE;

  if (!ul_gateway_probe_finish (self, result, &error))
    return;

  /* Back after an outage: read everything again and reopen the event stream. */
  if (was_unreachable && ul_api_client_has_token (self->client))
    {
      ul_gateway_start_events (self);
      ul_gateway_refresh_summary (self);
      ul_gateway_count_registered (self);
    }
  else if (!ul_api_client_get_events_active (self->client))
    ul_gateway_refresh_summary (self);
}

static gboolean
on_poll (gpointer user_data)
{
  UlGateway *self = UL_GATEWAY (user_data);

  /* The probe costs one small GET; with the event stream open it still catches a gateway
   * that vanished without closing the socket faster than the keepalive would. */
  ul_gateway_probe_async (self, self->cancellable, on_poll_probed, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

void
ul_gateway_refresh (UlGateway *self)
{
  g_return_if_fail (UL_IS_GATEWAY (self));

  ul_gateway_probe_async (self, self->cancellable, on_poll_probed, g_object_ref (self));
  ul_gateway_refresh_summary (self);
  ul_gateway_count_registered (self);
  schedule_poll (self);
}

void
ul_gateway_trust_new_certificate (UlGateway *self)
{
  const char *peer;

  g_return_if_fail (UL_IS_GATEWAY (self));

  peer = ul_api_client_get_peer_fingerprint (self->client);
  if (peer == NULL)
    return;
  g_message ("Gateway %s: the partner trusted the new certificate %s",
             ul_gateway_get_host (self), peer);
  ul_api_client_set_pinned_fingerprint (self->client, peer);
  g_signal_emit (self, ul_gateway_signals[SIGNAL_PIN_CHANGED], 0);
  ul_api_client_set_token (self->client, NULL);
  ul_gateway_set_state (self, UL_GATEWAY_STATE_UNKNOWN);
  if (self->email != NULL && self->password != NULL)
    ul_gateway_sign_in_async (self, self->email, self->password, self->cancellable, NULL, NULL);
  else
    ul_gateway_refresh (self);
}

void
ul_gateway_shutdown (UlGateway *self)
{
  g_return_if_fail (UL_IS_GATEWAY (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->refreshing = FALSE;
  self->counting = FALSE;
  self->count_again = FALSE;
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->events_retry_id, g_source_remove);
  if (self->client != NULL)
    ul_api_client_stop_events (self->client);
}

/* ---- events ---- */

void
ul_gateway_on_event (UlApiClient *client, const char *type, GVariant *data, UlGateway *self)
{
  self->events_backoff = 0;
  ul_gateway_note_answer (self);

  if (g_str_equal (type, "hello") || g_str_equal (type, "status"))
    {
      g_autoptr(GVariant) status = ul_json_lookup_dict (data, "status");

      ul_gateway_apply_status (self, status != NULL ? status : data);
    }
  else if (g_str_equal (type, "section-changed") || g_str_equal (type, "changed"))
    {
      const char *section = ul_json_lookup_string (data, "section", NULL);

      if (section == NULL)
        return;
      g_signal_emit (self, ul_gateway_signals[SIGNAL_CHANGED], g_quark_from_string (section),
                     section);
      ul_gateway_refresh_summary (self);
    }
  else if (g_str_equal (type, "users") || g_str_equal (type, "users-changed"))
    {
      g_signal_emit (self, ul_gateway_signals[SIGNAL_CHANGED], g_quark_from_static_string ("users"),
                     "users");
      ul_gateway_count_registered (self);
    }
  else if (g_str_equal (type, "delivery-changed"))
    {
      const char *extension = ul_json_lookup_string (data, "extension", NULL);

      if (extension != NULL)
        g_signal_emit (self, ul_gateway_signals[SIGNAL_DELIVERY_CHANGED], 0, extension);
    }
  else if (g_str_equal (type, "pbx"))
    /* The PBX link came up, went down or is retrying. */
    g_signal_emit (self, ul_gateway_signals[SIGNAL_CHANGED], g_quark_from_static_string ("link"),
                   "link");
  else if (g_str_equal (type, "gateway"))
    ul_gateway_apply_identity (self, data);
}

static gboolean
on_events_retry (gpointer user_data)
{
  UlGateway *self = UL_GATEWAY (user_data);

  self->events_retry_id = 0;
  if (ul_api_client_has_token (self->client))
    ul_gateway_start_events (self);
  return G_SOURCE_REMOVE;
}

void
ul_gateway_on_events_closed (UlApiClient *client, UlGateway *self)
{
  /* Check at once whether the gateway is gone, and reopen the stream later. */
  ul_gateway_probe_async (self, self->cancellable, on_poll_probed, g_object_ref (self));

  self->events_backoff = CLAMP (self->events_backoff * 2, EVENTS_RETRY_MIN_S, EVENTS_RETRY_MAX_S);
  g_clear_handle_id (&self->events_retry_id, g_source_remove);
  self->events_retry_id = g_timeout_add_seconds (self->events_backoff, on_events_retry, self);
}
