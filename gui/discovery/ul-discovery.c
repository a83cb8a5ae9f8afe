/* ul-discovery.c — gateways announced on the local network, through Avahi.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <gio/gio.h>

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
  copy->on_local_subnet = self->on_local_subnet;
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
         g_strcmp0 (a->account_id, b->account_id) == 0 && a->claimed == b->claimed &&
         a->on_local_subnet == b->on_local_subnet;
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

typedef struct _Browsed Browsed;

struct _UlDiscovery
{
  GObject parent_instance;

  AvahiGLibPoll       *poll;
  AvahiClient         *client;
  AvahiServiceBrowser *browser;
  GHashTable          *browsed;    /* instance key → Browsed*: what the browser reports */
  GHashTable          *instances;  /* instance key → Instance*: those resolved */
  GHashTable          *reported;   /* gateway id → UlDiscoveredGateway* as last reported */
  UlDiscoveryState     state;
  char                *error_message;
  guint                reconnect_id;
  guint                report_id;
};

/* An instance the browser reports, and the resolver that follows its SRV, TXT and
 * address records for as long as it is there. */
struct _Browsed
{
  UlDiscovery          *discovery;
  char                 *key;
  AvahiIfIndex          interface;
  AvahiProtocol         protocol;
  char                 *name;
  char                 *type;
  char                 *domain;
  AvahiServiceResolver *resolver;
  guint                 retry_id;
};

/* A resolver that failed (its records timed out, or never came) is dead; the instance is
 * tried again this much later while the browser still lists it. */
#define RESOLVE_RETRY_S 5

static void
browsed_free (Browsed *browsed)
{
  g_clear_handle_id (&browsed->retry_id, g_source_remove);
  g_clear_pointer (&browsed->resolver, avahi_service_resolver_free);
  g_free (browsed->key);
  g_free (browsed->name);
  g_free (browsed->type);
  g_free (browsed->domain);
  g_free (browsed);
}

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

/* Whether @a beats @b as the one to report for their gateway. Equal ranks keep what was
 * reported (two interfaces on one LAN must not make the address flip at every update),
 * then the order of the keys decides, so that the choice never depends on hash order. */
static gboolean
better_instance (UlDiscovery *self, const char *key_a, Instance *a, const char *key_b,
                 Instance *b)
{
  UlDiscoveredGateway *reported;

  if (a->rank != b->rank)
    return a->rank < b->rank;
  reported = g_hash_table_lookup (self->reported, a->gateway->id);
  if (reported != NULL && g_strcmp0 (a->gateway->host, b->gateway->host) != 0)
    {
      if (g_strcmp0 (reported->host, a->gateway->host) == 0)
        return TRUE;
      if (g_strcmp0 (reported->host, b->gateway->host) == 0)
        return FALSE;
    }
  return strcmp (key_a, key_b) < 0;
}

/* The best announcement of each gateway id across its instances; reports what changed. */
static void
update_reports (UlDiscovery *self)
{
  g_autoptr(GHashTable) best = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) best_keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) lost = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;
  gpointer key;

  g_hash_table_iter_init (&iter, self->instances);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Instance *instance = value;
      Instance *current = g_hash_table_lookup (best, instance->gateway->id);

      if (current == NULL ||
          better_instance (self, key, instance,
                           g_hash_table_lookup (best_keys, instance->gateway->id), current))
        {
          g_hash_table_insert (best, instance->gateway->id, instance);
          g_hash_table_insert (best_keys, instance->gateway->id, key);
        }
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

/* One announcement arrives on every interface over IPv4 and IPv6 at once, and a TXT
 * change updates all of them: their resolutions come within milliseconds, in any order.
 * Reporting once they are in shows the best address from the start, instead of an IPv6
 * one replaced a moment later. */
#define REPORT_DELAY_MS 250

static gboolean
on_report (gpointer user_data)
{
  UlDiscovery *self = UL_DISCOVERY (user_data);

  self->report_id = 0;
  update_reports (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reports (UlDiscovery *self)
{
  if (self->report_id == 0)
    self->report_id = g_timeout_add (REPORT_DELAY_MS, on_report, self);
}

/* At once: nothing more is coming. */
static void
report_now (UlDiscovery *self)
{
  g_clear_handle_id (&self->report_id, g_source_remove);
  update_reports (self);
}

static void
drop_instance (UlDiscovery *self, const char *key)
{
  if (g_hash_table_remove (self->instances, key))
    schedule_reports (self);
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

/* SHA-256 in hex, as uplinkd publishes it: the one thing the dashboard pins on first
 * contact. */
static gboolean
is_fingerprint (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_isxdigit (*c))
      return FALSE;
  return TRUE;
}

static gboolean
is_link_local (const AvahiAddress *address)
{
  return address->proto == AVAHI_PROTO_INET6 && address->data.ipv6.address[0] == 0xfe &&
         (address->data.ipv6.address[1] & 0xc0) == 0x80;
}

/* Whether @address is inside the network of one of this computer's interface addresses,
 * as uplinkd's same-subnet rule sees the client. */
static gboolean
on_local_subnet (const AvahiAddress *address)
{
  const guint8 *target = (const guint8 *) &address->data;
  int family = address->proto == AVAHI_PROTO_INET ? AF_INET : AF_INET6;
  struct ifaddrs *addresses = NULL;
  gboolean local = FALSE;

  if (is_link_local (address))
    return TRUE;
  if (getifaddrs (&addresses) != 0)
    return FALSE;
  for (struct ifaddrs *ifa = addresses; ifa != NULL && !local; ifa = ifa->ifa_next)
    {
      const guint8 *mine;
      const guint8 *mask;
      gsize length;

      if (ifa->ifa_addr == NULL || ifa->ifa_netmask == NULL || (ifa->ifa_flags & IFF_UP) == 0 ||
          ifa->ifa_addr->sa_family != family)
        continue;
      if (family == AF_INET)
        {
          mine = (const guint8 *) &((struct sockaddr_in *) ifa->ifa_addr)->sin_addr;
          mask = (const guint8 *) &((struct sockaddr_in *) ifa->ifa_netmask)->sin_addr;
          length = 4;
        }
      else
        {
          mine = (const guint8 *) &((struct sockaddr_in6 *) ifa->ifa_addr)->sin6_addr;
          mask = (const guint8 *) &((struct sockaddr_in6 *) ifa->ifa_netmask)->sin6_addr;
          length = 16;
        }
      local = TRUE;
      for (gsize i = 0; i < length && local; i++)
        local = (target[i] & mask[i]) == (mine[i] & mask[i]);
    }
  freeifaddrs (addresses);
  return local;
}

static int
address_rank (const AvahiAddress *address, gboolean local)
{
  /* Link-local addresses are on-link by definition, but the ones a reflector carries over
   * are of another link: usable only when nothing else is. */
  if (is_link_local (address))
    return 4;
  return (local ? 0 : 2) + (address->proto == AVAHI_PROTO_INET ? 0 : 1);
}

static void start_resolver (Browsed *browsed);

static gboolean
on_resolve_retry (gpointer user_data)
{
  Browsed *browsed = user_data;

  browsed->retry_id = 0;
  start_resolver (browsed);
  return G_SOURCE_REMOVE;
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
  Browsed *browsed = user_data;
  UlDiscovery *self = browsed->discovery;
  char text[AVAHI_ADDRESS_STR_MAX];
  g_autofree char *claimed = NULL;
  UlDiscoveredGateway *gateway;
  Instance *instance;

  if (event != AVAHI_RESOLVER_FOUND)
    {
      g_debug ("Cannot resolve %s on interface %d: %s", name, interface,
               avahi_strerror (avahi_client_errno (self->client)));
      /* Freeing a resolver in its own callback is what Avahi's examples do. */
      g_clear_pointer (&browsed->resolver, avahi_service_resolver_free);
      browsed->retry_id = g_timeout_add_seconds (RESOLVE_RETRY_S, on_resolve_retry, browsed);
      drop_instance (self, browsed->key);
      return;
    }

  gateway = g_new0 (UlDiscoveredGateway, 1);
  gateway->id = txt_lookup (txt, "id");
  gateway->fingerprint = txt_lookup (txt, "fp");
  if (gateway->id == NULL || *gateway->id == '\0' || !is_fingerprint (gateway->fingerprint))
    {
      /* Not an Uplink gateway we can tell apart from others and pin: leave it out. */
      g_debug ("%s on interface %d announces no gateway id and fingerprint: ignored", name,
               interface);
      ul_discovered_gateway_free (gateway);
      drop_instance (self, browsed->key);
      return;
    }

  avahi_address_snprint (text, sizeof text, address);
  gateway->on_local_subnet = on_local_subnet (address);
  if (is_link_local (address))
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
  instance->rank = address_rank (address, gateway->on_local_subnet);
  g_hash_table_replace (self->instances, g_strdup (browsed->key), instance);
  schedule_reports (self);
}

static void
start_resolver (Browsed *browsed)
{
  UlDiscovery *self = browsed->discovery;

  /* The address in the instance's own protocol: an IPv4 and an IPv6 instance then give
   * an A and an AAAA record, whatever the host announces first. The resolver stays: it
   * reports TXT and address changes as they happen. */
  browsed->resolver = avahi_service_resolver_new (self->client, browsed->interface,
                                                  browsed->protocol, browsed->name,
                                                  browsed->type, browsed->domain,
                                                  browsed->protocol, 0, on_resolved, browsed);
  if (browsed->resolver == NULL)
    {
      g_debug ("Cannot resolve %s: %s", browsed->name,
               avahi_strerror (avahi_client_errno (self->client)));
      browsed->retry_id = g_timeout_add_seconds (RESOLVE_RETRY_S, on_resolve_retry, browsed);
    }
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
        Browsed *browsed;

        if (g_hash_table_contains (self->browsed, key))
          break;
        browsed = g_new0 (Browsed, 1);
        browsed->discovery = self;
        browsed->key = g_steal_pointer (&key);
        browsed->interface = interface;
        browsed->protocol = protocol;
        browsed->name = g_strdup (name);
        browsed->type = g_strdup (type);
        browsed->domain = g_strdup (domain);
        g_hash_table_insert (self->browsed, browsed->key, browsed);
        start_resolver (browsed);
        break;
      }
    case AVAHI_BROWSER_REMOVE:
      {
        g_autofree char *key = instance_key (interface, protocol, name, domain);

        g_hash_table_remove (self->browsed, key);
        drop_instance (self, key);
        break;
      }
    case AVAHI_BROWSER_ALL_FOR_NOW:
      set_state (self, UL_DISCOVERY_STATE_READY, NULL);
      break;
    case AVAHI_BROWSER_CACHE_EXHAUSTED:
      break;
    case AVAHI_BROWSER_FAILURE:
      /* The browser is dead: what it found can no longer be followed, so it is lost
       * rather than shown for ever. */
      g_hash_table_remove_all (self->browsed);
      g_hash_table_remove_all (self->instances);
      g_clear_pointer (&self->browser, avahi_service_browser_free);
      report_now (self);
      set_state (self, UL_DISCOVERY_STATE_FAILED,
                 avahi_strerror (avahi_client_errno (self->client)));
      break;
    }
}

/* Drops every browser and resolver; with @report, what was found is reported lost. */
static void
forget_everything (UlDiscovery *self, gboolean report)
{
  g_hash_table_remove_all (self->browsed);
  g_hash_table_remove_all (self->instances);
  g_clear_pointer (&self->browser, avahi_service_browser_free);
  if (report)
    report_now (self);
  else
    {
      g_clear_handle_id (&self->report_id, g_source_remove);
      g_hash_table_remove_all (self->reported);
    }
}

static void connect_client (UlDiscovery *self);

static gboolean
on_reconnect (gpointer user_data)
{
  UlDiscovery *self = UL_DISCOVERY (user_data);

  self->reconnect_id = 0;
  g_clear_pointer (&self->client, avahi_client_free);
  connect_client (self);
  return G_SOURCE_REMOVE;
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
      forget_everything (self, TRUE);
      set_state (self, UL_DISCOVERY_STATE_NO_DAEMON, NULL);
      break;
    case AVAHI_CLIENT_FAILURE:
      forget_everything (self, TRUE);
      if (avahi_client_errno (client) == AVAHI_ERR_DISCONNECTED)
        {
          /* The daemon went away (stopped, restarted): this client is dead, a new one
           * waits for the daemon to come back. Not from inside the dead one's callback. */
          set_state (self, UL_DISCOVERY_STATE_NO_DAEMON, NULL);
          if (self->reconnect_id == 0)
            self->reconnect_id = g_idle_add (on_reconnect, self);
        }
      else
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

  /* No signals from an object being finalized: nobody can be listening any more. */
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  forget_everything (self, FALSE);
  g_clear_pointer (&self->client, avahi_client_free);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
  g_hash_table_unref (self->browsed);
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
ul_discovery_init (UlDiscovery *self)
{
  /* The key is the Browsed's own. */
  self->browsed = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) browsed_free);
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

/* AVAHI_CLIENT_NO_FAIL: without a daemon the client waits for one (CONNECTING). */
static void
connect_client (UlDiscovery *self)
{
  int error = 0;

  self->client = avahi_client_new (avahi_glib_poll_get (self->poll), AVAHI_CLIENT_NO_FAIL,
                                   on_client_state, self, &error);
  if (self->client == NULL)
    /* Without a system bus there is no avahi-daemon to ask. */
    set_state (self, error == AVAHI_ERR_NO_DAEMON ? UL_DISCOVERY_STATE_NO_DAEMON
                                                  : UL_DISCOVERY_STATE_FAILED,
               avahi_strerror (error));
}

void
ul_discovery_start (UlDiscovery *self)
{
  g_return_if_fail (UL_IS_DISCOVERY (self));

  if (self->client != NULL || self->reconnect_id != 0)
    return;

  avahi_set_allocator (avahi_glib_allocator ());
  if (self->poll == NULL)
    self->poll = avahi_glib_poll_new (NULL, G_PRIORITY_DEFAULT);
  connect_client (self);
}

void
ul_discovery_stop (UlDiscovery *self)
{
  g_return_if_fail (UL_IS_DISCOVERY (self));

  /* What is no longer watched is reported lost: it could vanish unseen meanwhile. */
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  forget_everything (self, TRUE);
  g_clear_pointer (&self->client, avahi_client_free);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
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
