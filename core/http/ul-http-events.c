/* ul-http-events.c — the event WebSocket (see the header). */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"


#include "ul-http-events.h"
#include "ul-http-json.h"

#define KEEPALIVE_SECONDS   30
#define MAX_INCOMING_BYTES  4096

typedef struct
{
  UlHttpEvents            *events;
  SoupWebsocketConnection *connection;
  UlAuthSession           *session;
} Client;

struct _UlHttpEvents
{
  GObject        parent_instance;

  UlEngine      *engine;
  UlAuthService *auth;
  UlHttpGuard   *guard;
  guint          max_clients;
  GPtrArray     *clients;  /* Client* */
};

G_DEFINE_FINAL_TYPE (UlHttpEvents, ul_http_events, G_TYPE_OBJECT)

static void
client_free (Client *client)
{
  g_signal_handlers_disconnect_by_data (client->connection, client);
  g_object_unref (client->connection);
  ul_auth_session_free (client->session);
  g_free (client);
}

static char *
message_text (const char *type, GVariant *fields)
{
  GString *json = g_string_sized_new (256);
  g_autoptr(GVariant) owned = fields != NULL ? g_variant_ref_sink (fields) : NULL;

  g_string_append (json, "{\"type\":");
  ul_http_json_append_string (json, type);
  if (owned != NULL)
    {
      GVariantIter iter;
      const char *key;
      GVariant *value;

      g_variant_iter_init (&iter, owned);
      while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
        {
          g_string_append_c (json, ',');
          ul_http_json_append_string (json, key);
          g_string_append_c (json, ':');
          ul_http_json_append_variant (json, value);
        }
    }
  g_string_append_c (json, '}');
  return g_string_free (json, FALSE);
}

/* Sends @text to @client unless its session ended; FALSE when the client is done. */
static gboolean
client_send (UlHttpEvents *self, Client *client, const char *text)
{
  if (soup_websocket_connection_get_state (client->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return FALSE;
  if (!ul_auth_service_is_session_valid (self->auth, client->session))
    {
      soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                       "session ended");
      return FALSE;
    }
  soup_websocket_connection_send_text (client->connection, text);
  return TRUE;
}

void
ul_http_events_broadcast (UlHttpEvents *self, const char *type, GVariant *fields)
{
  g_autofree char *text = NULL;

  g_return_if_fail (UL_IS_HTTP_EVENTS (self));

  text = message_text (type, fields);
  for (guint i = 0; i < self->clients->len; i++)
    client_send (self, g_ptr_array_index (self->clients, i), text);
}

static void
on_closed (SoupWebsocketConnection *connection, gpointer user_data)
{
  Client *client = user_data;

  g_debug ("event client %s left", client->session->email);
  g_ptr_array_remove (client->events->clients, client);
}

static void
on_message (SoupWebsocketConnection *connection, gint type, GBytes *message, gpointer user_data)
{
  /* Nothing is expected from clients; their messages are read (libsoup must) and dropped. */
}

static GVariant *
status_fields (UlHttpEvents *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "status",
                         ul_status_to_variant (ul_engine_get_status (self->engine)));
  return g_variant_builder_end (&builder);
}

void
ul_http_events_add_client (UlHttpEvents            *self,
                           SoupServerMessage       *msg,
                           SoupWebsocketConnection *connection,
                           const UlAuthSession     *session)
{
  g_autofree char *hello = NULL;
  GVariantBuilder builder;
  Client *client;

  g_return_if_fail (UL_IS_HTTP_EVENTS (self));

  ul_http_guard_mark_websocket (self->guard, msg);
  if (self->clients->len >= self->max_clients)
    {
      soup_websocket_connection_close (connection, 1013 /* Try Again Later */,
                                       "too many event clients");
      return;
    }

  client = g_new0 (Client, 1);
  client->events = self;
  client->connection = g_object_ref (connection);
  client->session = ul_auth_session_copy (session);
  soup_websocket_connection_set_keepalive_interval (connection, KEEPALIVE_SECONDS);
  soup_websocket_connection_set_max_incoming_payload_size (connection, MAX_INCOMING_BYTES);
  g_signal_connect (connection, "closed", G_CALLBACK (on_closed), client);
  g_signal_connect (connection, "message", G_CALLBACK (on_message), client);
  g_ptr_array_add (self->clients, client);
  g_debug ("event client %s joined", session->email);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "gatewayId",
                         g_variant_new_string (ul_engine_get_gateway_id (self->engine)));
  g_variant_builder_add (&builder, "{sv}", "status",
                         ul_status_to_variant (ul_engine_get_status (self->engine)));
  hello = message_text ("hello", g_variant_builder_end (&builder));
  client_send (self, client, hello);
}

guint
ul_http_events_get_n_clients (UlHttpEvents *self)
{
  g_return_val_if_fail (UL_IS_HTTP_EVENTS (self), 0);
  return self->clients->len;
}

void
ul_http_events_close_all (UlHttpEvents *self)
{
  g_return_if_fail (UL_IS_HTTP_EVENTS (self));

  /* Closing is asynchronous ("closed" comes later); drop the clients now. */
  while (self->clients->len > 0)
    {
      Client *client = g_ptr_array_steal_index (self->clients, self->clients->len - 1);

      if (soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                                         "gateway shutting down");
      client_free (client);
    }
}

static void
on_engine_changed (UlEngine *engine, const char *section, UlHttpEvents *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "section", g_variant_new_string (section));
  ul_http_events_broadcast (self, "section-changed", g_variant_builder_end (&builder));
}

static void
on_engine_status_changed (UlEngine *engine, UlHttpEvents *self)
{
  ul_http_events_broadcast (self, "status", status_fields (self));
}

static void
on_engine_users_changed (UlEngine *engine, UlHttpEvents *self)
{
  ul_http_events_broadcast (self, "users-changed", NULL);
}

static void
on_engine_call_state_changed (UlEngine     *engine,
                              const char   *extension,
                              const char   *state,
                              UlHttpEvents *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "extension", g_variant_new_string (extension));
  g_variant_builder_add (&builder, "{sv}", "state", g_variant_new_string (state));
  ul_http_events_broadcast (self, "call-state", g_variant_builder_end (&builder));
}

static void
on_engine_pbx_changed (UlEngine *engine, UlHttpEvents *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "linkState",
                         g_variant_new_string (ul_engine_get_link_state (engine)));
  g_variant_builder_add (&builder, "{sv}", "linkError",
                         g_variant_new_string (ul_engine_get_link_error (engine)));
  ul_http_events_broadcast (self, "pbx", g_variant_builder_end (&builder));
}

static void
on_engine_delivery_changed (UlEngine *engine, const char *extension, UlHttpEvents *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "extension", g_variant_new_string (extension));
  ul_http_events_broadcast (self, "delivery-changed", g_variant_builder_end (&builder));
}

static void
ul_http_events_dispose (GObject *object)
{
  UlHttpEvents *self = UL_HTTP_EVENTS (object);

  ul_http_events_close_all (self);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_object (&self->auth);
  g_clear_object (&self->guard);
  G_OBJECT_CLASS (ul_http_events_parent_class)->dispose (object);
}

static void
ul_http_events_finalize (GObject *object)
{
  UlHttpEvents *self = UL_HTTP_EVENTS (object);

  g_ptr_array_unref (self->clients);
  G_OBJECT_CLASS (ul_http_events_parent_class)->finalize (object);
}

static void
ul_http_events_class_init (UlHttpEventsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ul_http_events_dispose;
  object_class->finalize = ul_http_events_finalize;
}

static void
ul_http_events_init (UlHttpEvents *self)
{
  self->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
}

UlHttpEvents *
ul_http_events_new (UlEngine *engine, UlAuthService *auth, UlHttpGuard *guard, guint max_clients)
{
  UlHttpEvents *self = g_object_new (UL_TYPE_HTTP_EVENTS, NULL);

  self->engine = g_object_ref (engine);
  self->auth = g_object_ref (auth);
  self->guard = g_object_ref (guard);
  self->max_clients = MAX (max_clients, 1);
  g_signal_connect (engine, "changed", G_CALLBACK (on_engine_changed), self);
  g_signal_connect (engine, "status-changed", G_CALLBACK (on_engine_status_changed), self);
  g_signal_connect (engine, "users-changed", G_CALLBACK (on_engine_users_changed), self);
  g_signal_connect (engine, "call-state-changed", G_CALLBACK (on_engine_call_state_changed),
                    self);
  g_signal_connect (engine, "pbx-changed", G_CALLBACK (on_engine_pbx_changed), self);
  g_signal_connect (engine, "delivery-changed", G_CALLBACK (on_engine_delivery_changed), self);
  return self;
}
