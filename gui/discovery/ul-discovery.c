/* ul-discovery.c — gateways announced on the local network, through Avahi.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <net/if.h>

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-glib/glib-malloc.h>
#include <avahi-glib/glib-watch.h>

#include "ul-discovery.h"

G_DEFINE_BOXED_TYPE (UlDiscoveredGateway, ul_discovered_gateway, ul_discovered_gateway_copy,
                     ul_discovered_gateway_free)

UlDiscoveredGateway *
ul_discovered_gateway_copy (const UlDiscoveredGateway *self)
{
  UlDiscoveredGateway *copy = g_new0 (UlDiscoveredGateway, 1);

  copy->id = g_strdup (self->id);
  copy->name = g_strdup (self->name);
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  copy->fingerprint = g_strdup (self->fingerprint);
  copy->version = g_strdup (self->version);
  copy->account_id = g_strdup (self->account_id);
  copy->claimed = self->claimed;
  return copy;
}

void
ul_discovered_gateway_free (UlDiscoveredGateway *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->name);
  g_free (self->host);
  g_free (self->fingerprint);
  g_free (self->version);
  g_free (self->account_id);
  g_free (self);
}

static gboolean
discovered_equal (const UlDiscoveredGateway *a, const UlDiscoveredGateway *b)
{
  return g_strcmp0 (a->id, b->id) == 0 && g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->host, b->host) == 0 && a->port == b->port &&
         g_strcmp0 (a->fingerprint, b->fingerprint) == 0 &&
         g_strcmp0 (a->version, b->version) == 0 &&
         g_strcmp0 (a->account_id, b->account_id) == 0 && a->claimed == b->claimed;
}

/* One resolved instance: a service name on one interface over one protocol. */
typedef struct
{
  UlDiscoveredGateway *gateway;
  int                  rank;  /* of its address: lower is better */
} Instance;

static void
instance_free (Instance *instance)
{
  ul_discovered_gateway_free (instance->gateway);
  g_free (instance);
}

struct _UlDiscovery
{
  GObject parent_instance;

  AvahiGLibPoll       *poll;
  AvahiClient         *client;
  AvahiServiceBrowser *browser;
  GHashTable          *resolvers;  /* instance key → AvahiServiceResolver* */
  GHashTable          *instances;  /* instance key → Instance* */
  GHashTable          *reported;   /* gateway id → UlDiscoveredGateway* as last reported */
  UlDiscoveryState     state;
  char                *error_message;
};

G_DEFINE_FINAL_TYPE (UlDiscovery, ul_discovery, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum
{
  SIGNAL_FOUND,
  SIGNAL_LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_state (UlDiscovery *self, UlDiscoveryState state, const char *message)
{
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

static char *
instance_key (AvahiIfIndex interface, AvahiProtocol protocol, const char *name,
              const char *domain)
{
  return g_strdup_printf ("%d/%d/%s/%s", interface, protocol, name, domain);
}

/* The best announcement of each gateway id across its instances; reports what changed. */
static void
update_reports (UlDiscovery *self)
{
  g_autoptr(GHashTable) best = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;
  gpointer key;

  g_hash_table_iter_init (&iter, self->instances);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Instance *instance = value;
      Instance *current = g_hash_table_lookup (best, instance->gateway->id);

      if (current == NULL || instance->rank < current->rank)
        g_hash_table_insert (best, instance->gateway->id, instance);
    }

  g_hash_table_iter_init (&iter, self->reported);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (best, key))
      g_ptr_array_add (lost, g_strdup (key));
  for (guint i = 0; i < lost->len; i++)
    {
      g_hash_table_remove (self->reported, g_ptr_array_index (lost, i));
      g_signal_emit (self, signals[SIGNAL_LOST], 0, g_ptr_array_index (lost, i));
    }

  g_hash_table_iter_init (&iter, best);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Instance *instance = value;
      UlDiscoveredGateway *reported = g_hash_table_lookup (self->reported, key);

      if (reported != NULL && discovered_equal (reported, instance->gateway))
        continue;
      g_hash_table_insert (self->reported, g_strdup (key),
                           ul_discovered_gateway_copy (instance->gateway));
      g_signal_emit (self, signals[SIGNAL_FOUND], 0, instance->gateway);
    }
}

static char *
txt_lookup (AvahiStringList *txt, const char *key)
{
  AvahiStringList *item = avahi_string_list_find (txt, key);
  char *k = NULL;
  char *v = NULL;
  char *out;

  if (item == NULL || avahi_string_list_get_pair (item, &k, &v, NULL) < 0)
    return NULL;
  out = g_strdup (v);
  avahi_free (k);
  avahi_free (v);
  return out;
}

static int
address_rank (const AvahiAddress *address)
{
  if (address->proto == AVAHI_PROTO_INET)
    return 0;
  /* fe80::/10 needs its interface to be usable. */
  if (address->data.ipv6.address[0] == 0xfe && (address->data.ipv6.address[1] & 0xc0) == 0x80)
    return 2;
  return 1;
}

static void
on_resolved (AvahiServiceResolver  *resolver,
             AvahiIfIndex           interface,
             AvahiProtocol          protocol,
             AvahiResolverEvent     event,
             const char            *name,
             const char            *type,
             const char            *domain,
             const char            *host_name,
             const AvahiAddress    *address,
             uint16_t               port,
             AvahiStringList       *txt,
             AvahiLookupResultFlags flags,
             void                  *user_data)
{
  UlDiscovery *self = UL_DISCOVERY (user_data);
  g_autofree char *key = instance_key (interface, protocol, name, domain);
  char text[AVAHI_ADDRESS_STR_MAX];
  g_autofree char *claimed = NULL;
  UlDiscoveredGateway *gateway;
  Instance *instance;
  int rank;

  if (event != AVAHI_RESOLVER_FOUND)
    {
      g_debug ("Cannot resolve %s on interface %d: %s", name, interface,
               avahi_strerror (avahi_client_errno (self->client)));
      return;
    }

  gateway = g_new0 (UlDiscoveredGateway, 1);
  gateway->id = txt_lookup (txt, "id");
  if (gateway->id == NULL || *gateway->id == '\0')
    {
      /* Not an Uplink gateway we can tell apart from others: leave it out. */
      ul_discovered_gateway_free (gateway);
      return;
    }

  avahi_address_snprint (text, sizeof text, address);
  rank = address_rank (address);
  if (rank == 2)
    {
      char ifname[IF_NAMESIZE];

      gateway->host = g_strdup_printf ("%s%%%s", text,
                                       if_indextoname ((unsigned) interface, ifname) != NULL
                                         ? ifname : "0");
    }
  else
    gateway->host = g_strdup (text);
  gateway->port = port;
  gateway->name = txt_lookup (txt, "name");
  if (gateway->name == NULL || *gateway->name == '\0')
    {
      g_free (gateway->name);
      gateway->name = g_strdup (name);
    }
  gateway->fingerprint = txt_lookup (txt, "fp");
  gateway->version = txt_lookup (txt, "v");
  gateway->account_id = txt_lookup (txt, "acct");
  if (gateway->account_id != NULL && *gateway->account_id == '\0')
    g_clear_pointer (&gateway->account_id, g_free);
  claimed = txt_lookup (txt, "claimed");
  gateway->claimed = claimed != NULL && (g_str_equal (claimed, "1") ||
                                         g_ascii_strcasecmp (claimed, "true") == 0 ||
                                         g_ascii_strcasecmp (claimed, "yes") == 0);

  instance = g_new0 (Instance, 1);
  instance->gateway = gateway;
  instance->rank = rank;
  g_hash_table_replace (self->instances, g_steal_pointer (&key), instance);
  update_reports (self);
}

static void
on_browsed (AvahiServiceBrowser   *browser,
            AvahiIfIndex           interface,
            AvahiProtocol          protocol,
            AvahiBrowserEvent      event,
            const char            *name,
            const char            *type,
            const char            *domain,
            AvahiLookupResultFlags flags,
            void                  *user_data)
{
  UlDiscovery *self = UL_DISCOVERY (user_data);

  switch (event)
    {
    case AVAHI_BROWSER_NEW:
      {
        g_autofree char *key = instance_key (interface, protocol, name, domain);
        AvahiServiceResolver *resolver;

        if (g_hash_table_contains (self->resolvers, key))
          break;
        /* The resolver stays: it reports TXT and address changes as they happen. */
        resolver = avahi_service_resolver_new (self->client, interface, protocol, name, type,
                                               domain, AVAHI_PROTO_UNSPEC, 0, on_resolved, self);
        if (resolver != NULL)
          g_hash_table_insert (self->resolvers, g_steal_pointer (&key), resolver);
        break;
      }
    case AVAHI_BROWSER_REMOVE:
      {
        g_autofree char *key = instance_key (interface, protocol, name, domain);

        g_hash_table_remove (self->resolvers, key);
        if (g_hash_table_remove (self->instances, key))
          update_reports (self);
        break;
      }
    case AVAHI_BROWSER_ALL_FOR_NOW:
      set_state (self, UL_DISCOVERY_STATE_READY, NULL);
      break;
    case AVAHI_BROWSER_CACHE_EXHAUSTED:
      break;
    case AVAHI_BROWSER_FAILURE:
      set_state (self, UL_DISCOVERY_STATE_FAILED,
                 avahi_strerror (avahi_client_errno (self->client)));
      break;
    }
}

static void
forget_everything (UlDiscovery *self)
{
  g_hash_table_remove_all (self->resolvers);
  g_hash_table_remove_all (self->instances);
  g_clear_pointer (&self->browser, avahi_service_browser_free);
  update_reports (self);
}

static void
on_client_state (AvahiClient *client, AvahiClientState state, void *user_data)
{
  UlDiscovery *self = UL_DISCOVERY (user_data);

  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
      if (self->browser == NULL)
        {
          self->browser = avahi_service_browser_new (client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                                     UL_DISCOVERY_SERVICE_TYPE, NULL, 0,
                                                     on_browsed, self);
          if (self->browser == NULL)
            set_state (self, UL_DISCOVERY_STATE_FAILED,
                       avahi_strerror (avahi_client_errno (client)));
          else
            set_state (self, UL_DISCOVERY_STATE_SEARCHING, NULL);
        }
      break;
    case AVAHI_CLIENT_CONNECTING:
      /* AVAHI_CLIENT_NO_FAIL: the daemon is not there (yet); the client waits for it. */
      forget_everything (self);
      set_state (self, UL_DISCOVERY_STATE_NO_DAEMON, NULL);
      break;
    case AVAHI_CLIENT_FAILURE:
      forget_everything (self);
      set_state (self, UL_DISCOVERY_STATE_FAILED, avahi_strerror (avahi_client_errno (client)));
      break;
    case AVAHI_CLIENT_S_REGISTERING:
    case AVAHI_CLIENT_S_COLLISION:
    default:
      break;
    }
}

static void
ul_discovery_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  UlDiscovery *self = UL_DISCOVERY (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ul_discovery_finalize (GObject *object)
{
  UlDiscovery *self = UL_DISCOVERY (object);

  ul_discovery_stop (self);
  g_hash_table_unref (self->resolvers);
  g_hash_table_unref (self->instances);
  g_hash_table_unref (self->reported);
  g_free (self->error_message);

  G_OBJECT_CLASS (ul_discovery_parent_class)->finalize (object);
}

static void
ul_discovery_class_init (UlDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ul_discovery_get_property;
  object_class->finalize = ul_discovery_finalize;

  props[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, UL_DISCOVERY_STATE_STOPPED,
                                        UL_DISCOVERY_STATE_FAILED, UL_DISCOVERY_STATE_STOPPED,
                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_FOUND] = g_signal_new ("found", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1,
                                        UL_TYPE_DISCOVERED_GATEWAY);
  signals[SIGNAL_LOST] = g_signal_new ("lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
resolver_free (gpointer resolver)
{
  avahi_service_resolver_free (resolver);
}

static void
ul_discovery_init (UlDiscovery *self)
{
  self->resolvers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, resolver_free);
  self->instances = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) instance_free);
  self->reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) ul_discovered_gateway_free);
}

UlDiscovery *
ul_discovery_new (void)
{
  return g_object_new (UL_TYPE_DISCOVERY, NULL);
}

void
ul_discovery_start (UlDiscovery *self)
{
  int error = 0;

  g_return_if_fail (UL_IS_DISCOVERY (self));

  if (self->client != NULL)
    return;

  avahi_set_allocator (avahi_glib_allocator ());
  self->poll = avahi_glib_poll_new (NULL, G_PRIORITY_DEFAULT);
  self->client = avahi_client_new (avahi_glib_poll_get (self->poll), AVAHI_CLIENT_NO_FAIL,
                                   on_client_state, self, &error);
  if (self->client == NULL)
    {
      /* Without a system bus there is no avahi-daemon to ask. */
      set_state (self, error == AVAHI_ERR_NO_DAEMON ? UL_DISCOVERY_STATE_NO_DAEMON
                                                    : UL_DISCOVERY_STATE_FAILED,
                 avahi_strerror (error));
      g_clear_pointer (&self->poll, avahi_glib_poll_free);
    }
}

void
ul_discovery_stop (UlDiscovery *self)
{
  g_return_if_fail (UL_IS_DISCOVERY (self));

  g_hash_table_remove_all (self->resolvers);
  g_hash_table_remove_all (self->instances);
  g_clear_pointer (&self->browser, avahi_service_browser_free);
  g_clear_pointer (&self->client, avahi_client_free);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
  g_hash_table_remove_all (self->reported);
  set_state (self, UL_DISCOVERY_STATE_STOPPED, NULL);
}

UlDiscoveryState
ul_discovery_get_state (UlDiscovery *self)
{
  g_return_val_if_fail (UL_IS_DISCOVERY (self), UL_DISCOVERY_STATE_STOPPED);
  return self->state;
}

const char *
ul_discovery_get_error_message (UlDiscovery *self)
{
  g_return_val_if_fail (UL_IS_DISCOVERY (self), NULL);
  return self->error_message;
}
