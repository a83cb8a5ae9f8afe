/* ul-mdns-publisher.c — publishes the HTTPS API as _uplink._tcp over Avahi.
 *
 * Follows the state machine of Avahi's client-publish-service example: register when the
 * client runs, pick an alternative name on a collision, withdraw while the host name is
 * being re-registered, and on a lost daemon (AVAHI_ERR_DISCONNECTED) throw the client away
 * and make a new one with AVAHI_CLIENT_NO_FAIL, which waits for the daemon to come back.
 * Nothing here is fatal: the gateway works without mDNS, it is only harder to find.
 */
#define G_LOG_DOMAIN "uplink-mdns"

/* Without a system bus the client cannot even wait for avahi-daemon; look again now and
 * then, quietly. */
#define NO_BUS_RETRY_SECONDS 30

#include "config.h"

#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-glib/glib-watch.h>

#include "ul-mdns-publisher.h"

struct _UlMdnsPublisher
{
  GObject          parent_instance;

  AvahiGLibPoll   *poll;
  AvahiClient     *client;
  AvahiEntryGroup *group;
  char            *name;
  guint            port;
  GStrv            txt;
  gboolean         published;
  gboolean         said_unavailable;  /* "no avahi-daemon" is logged once, not per retry */
  gboolean         was_running;       /* the daemon was there: its absence is news */
  guint            retry_id;
};

G_DEFINE_FINAL_TYPE (UlMdnsPublisher, ul_mdns_publisher, G_TYPE_OBJECT)

static void register_service (UlMdnsPublisher *self);
static void new_client (UlMdnsPublisher *self);

static AvahiStringList *
txt_list (UlMdnsPublisher *self)
{
  AvahiStringList *list = NULL;

  /* avahi_string_list_add() prepends: add in reverse to keep the order. */
  for (gssize i = (gssize) g_strv_length (self->txt) - 1; i >= 0; i--)
    list = avahi_string_list_add (list, self->txt[i]);
  return list;
}

static void
take_alternative_name (UlMdnsPublisher *self)
{
  char *alternative = avahi_alternative_service_name (self->name);

  g_message ("the mDNS name “%s” is taken on this network; using “%s”", self->name,
             alternative);
  g_free (self->name);
  self->name = g_strdup (alternative);
  avahi_free (alternative);
}

static void
on_group_state (AvahiEntryGroup *group, AvahiEntryGroupState state, void *user_data)
{
  UlMdnsPublisher *self = user_data;

  switch (state)
    {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
      self->published = TRUE;
      g_message ("published “%s” (%s) on port %u over mDNS", self->name, UL_MDNS_SERVICE_TYPE,
                 self->port);
      break;
    case AVAHI_ENTRY_GROUP_COLLISION:
      self->published = FALSE;
      take_alternative_name (self);
      avahi_entry_group_reset (group);
      register_service (self);
      break;
    case AVAHI_ENTRY_GROUP_FAILURE:
      self->published = FALSE;
      g_message ("cannot publish over mDNS: %s",
                 avahi_strerror (avahi_client_errno (avahi_entry_group_get_client (group))));
      break;
    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
    default:
      break;
    }
}

static void
register_service (UlMdnsPublisher *self)
{
  AvahiStringList *txt;
  int rc;

  if (self->client == NULL || avahi_client_get_state (self->client) != AVAHI_CLIENT_S_RUNNING)
    return;
  if (self->group == NULL)
    {
      self->group = avahi_entry_group_new (self->client, on_group_state, self);
      if (self->group == NULL)
        {
          g_message ("cannot publish over mDNS: %s",
                     avahi_strerror (avahi_client_errno (self->client)));
          return;
        }
    }
  if (!avahi_entry_group_is_empty (self->group))
    return;

  for (;;)
    {
      txt = txt_list (self);
      rc = avahi_entry_group_add_service_strlst (self->group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                                 0, self->name, UL_MDNS_SERVICE_TYPE, NULL, NULL,
                                                 (guint16) self->port, txt);
      avahi_string_list_free (txt);
      if (rc != AVAHI_ERR_COLLISION)
        break;
      /* A local service already has the name: try the next one at once. */
      take_alternative_name (self);
      avahi_entry_group_reset (self->group);
    }
  if (rc < 0 || (rc = avahi_entry_group_commit (self->group)) < 0)
    g_message ("cannot publish over mDNS: %s", avahi_strerror (rc));
}

static void
on_client_state (AvahiClient *client, AvahiClientState state, void *user_data)
{
  UlMdnsPublisher *self = user_data;

  /* Called from inside avahi_client_new() the first time, before it returned. */
  self->client = client;
  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
      if (self->said_unavailable)
        g_message ("avahi-daemon is available; publishing over mDNS");
      self->said_unavailable = FALSE;
      self->was_running = TRUE;
      register_service (self);
      break;
    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
      /* The host name is being (re-)registered: withdraw, publish again once running. */
      self->published = FALSE;
      if (self->group != NULL)
        avahi_entry_group_reset (self->group);
      break;
    case AVAHI_CLIENT_FAILURE:
    case AVAHI_CLIENT_CONNECTING:
      self->published = FALSE;
      if (self->was_running)
        {
          /* The daemon went away (a NO_FAIL client waits in CONNECTING; others fail with
           * AVAHI_ERR_DISCONNECTED). Its entry groups are gone with it: start over with a
           * new client, which waits for the daemon. Not from inside this callback. */
          g_message ("lost avahi-daemon; publishing again when it is back");
          self->was_running = FALSE;
          self->group = NULL;
          g_idle_add_once ((GSourceOnceFunc) new_client, g_object_ref (self));
        }
      else if (state == AVAHI_CLIENT_FAILURE)
        g_message ("mDNS unavailable: %s", avahi_strerror (avahi_client_errno (client)));
      else if (!self->said_unavailable)
        {
          g_message ("no avahi-daemon yet; the gateway runs without mDNS until one appears");
          self->said_unavailable = TRUE;
        }
      break;
    default:
      break;
    }
}

static gboolean
on_retry (gpointer user_data)
{
  UlMdnsPublisher *self = user_data;

  self->retry_id = 0;
  new_client (g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
new_client (UlMdnsPublisher *self)
{
  int error = 0;

  if (self->client != NULL)
    {
      avahi_client_free (self->client);
      self->client = NULL;
      self->group = NULL;
    }
  if (self->poll != NULL)
    {
      self->client = avahi_client_new (avahi_glib_poll_get (self->poll), AVAHI_CLIENT_NO_FAIL,
                                       on_client_state, self, &error);
      if (self->client == NULL)
        {
          if (!self->said_unavailable)
            g_message ("mDNS unavailable (%s); the gateway runs without it",
                       avahi_strerror (error));
          self->said_unavailable = TRUE;
          self->retry_id = g_timeout_add_seconds (NO_BUS_RETRY_SECONDS, on_retry, self);
        }
    }
  g_object_unref (self);
}

void
ul_mdns_publisher_start (UlMdnsPublisher *self)
{
  g_return_if_fail (UL_IS_MDNS_PUBLISHER (self));

  if (self->poll != NULL)
    return;
  self->poll = avahi_glib_poll_new (NULL, G_PRIORITY_DEFAULT);
  new_client (g_object_ref (self));
}

void
ul_mdns_publisher_stop (UlMdnsPublisher *self)
{
  g_return_if_fail (UL_IS_MDNS_PUBLISHER (self));

  self->published = FALSE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->client != NULL)
    avahi_client_free (self->client);
  self->client = NULL;
  self->group = NULL;
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
}

void
ul_mdns_publisher_set_txt (UlMdnsPublisher *self, const char * const *txt)
{
  AvahiStringList *list;
  int rc;

  g_return_if_fail (UL_IS_MDNS_PUBLISHER (self));

  if (self->txt != NULL && txt != NULL && g_strv_equal ((const char * const *) self->txt, txt))
    return;
  g_strfreev (self->txt);
  self->txt = g_strdupv ((char **) txt);
  if (self->group == NULL || avahi_entry_group_is_empty (self->group))
    {
      register_service (self);
      return;
    }
  list = txt_list (self);
  rc = avahi_entry_group_update_service_txt_strlst (self->group, AVAHI_IF_UNSPEC,
                                                    AVAHI_PROTO_UNSPEC, 0, self->name,
                                                    UL_MDNS_SERVICE_TYPE, NULL, list);
  avahi_string_list_free (list);
  if (rc < 0)
    g_message ("cannot update the mDNS record: %s", avahi_strerror (rc));
}

const char *
ul_mdns_publisher_get_name (UlMdnsPublisher *self)
{
  g_return_val_if_fail (UL_IS_MDNS_PUBLISHER (self), NULL);
  return self->name;
}

gboolean
ul_mdns_publisher_is_published (UlMdnsPublisher *self)
{
  g_return_val_if_fail (UL_IS_MDNS_PUBLISHER (self), FALSE);
  return self->published;
}

static void
ul_mdns_publisher_finalize (GObject *object)
{
  UlMdnsPublisher *self = UL_MDNS_PUBLISHER (object);

  ul_mdns_publisher_stop (self);
  g_free (self->name);
  g_strfreev (self->txt);
  G_OBJECT_CLASS (ul_mdns_publisher_parent_class)->finalize (object);
}

static void
ul_mdns_publisher_class_init (UlMdnsPublisherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ul_mdns_publisher_finalize;
}

static void
ul_mdns_publisher_init (UlMdnsPublisher *self)
{
  self->txt = g_new0 (char *, 1);
}

UlMdnsPublisher *
ul_mdns_publisher_new (const char *name, guint port)
{
  UlMdnsPublisher *self = g_object_new (UL_TYPE_MDNS_PUBLISHER, NULL);

  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  self->name = g_strdup (name);
  self->port = port;
  return self;
}
