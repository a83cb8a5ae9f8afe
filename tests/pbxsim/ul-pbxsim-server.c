/* ul-pbxsim-server.c — the simulated MiVO400 CSTA service (csta.md rules 21–25). */
#define G_LOG_DOMAIN "uplink-pbxsim"

#include "ul-pbxsim-server.h"

#include <string.h>

#include "ul-pbxsim-calls.h"
#include "ul-pbxsim-link.h"

typedef struct
{
  char *cross_ref_id;
  char *device;
  UlPbxsimLink *link; /* not referenced: the monitor goes away with the link */
} Monitor;

struct _UlPbxsimServer
{
  GObject parent_instance;

  UlPbxsimConfig config;
  UlPbxsimFaults faults;
  UlPbxsimDirectory *directory;
  UlPbxsimCalls *calls;

  GSocketService *service;
  GInetAddress *address;
  guint16 port;

  GPtrArray *links;    /* UlPbxsimLink, referenced */
  GPtrArray *monitors; /* Monitor */
  guint next_cross_ref_id;

  guint connections;
  guint logins;
  guint login_failures;
  char *last_login_user;
  UlCstaLoginStyle last_login_style;
  guint make_calls;
  char *last_make_call_calling;
  char *last_make_call_called;
};

G_DEFINE_FINAL_TYPE (UlPbxsimServer, ul_pbxsim_server, G_TYPE_OBJECT)

static void
monitor_free (Monitor *monitor)
{
  g_free (monitor->cross_ref_id);
  g_free (monitor->device);
  g_free (monitor);
}

static void
ul_pbxsim_server_dispose (GObject *object)
{
  UlPbxsimServer *self = UL_PBXSIM_SERVER (object);

  ul_pbxsim_server_shutdown (self);
  g_clear_object (&self->calls);
  g_clear_object (&self->directory);
  g_clear_object (&self->address);

  G_OBJECT_CLASS (ul_pbxsim_server_parent_class)->dispose (object);
}

static void
ul_pbxsim_server_finalize (GObject *object)
{
  UlPbxsimServer *self = UL_PBXSIM_SERVER (object);

  g_ptr_array_unref (self->links);
  g_ptr_array_unref (self->monitors);
  g_free (self->config.username);
  g_free (self->config.password);
  g_free (self->config.ns);
  g_free (self->last_login_user);
  g_free (self->last_make_call_calling);
  g_free (self->last_make_call_called);

  G_OBJECT_CLASS (ul_pbxsim_server_parent_class)->finalize (object);
}

static void
ul_pbxsim_server_class_init (UlPbxsimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ul_pbxsim_server_dispose;
  object_class->finalize = ul_pbxsim_server_finalize;
}

static void
ul_pbxsim_server_init (UlPbxsimServer *self)
{
  self->links = g_ptr_array_new_with_free_func (g_object_unref);
  self->monitors = g_ptr_array_new_with_free_func ((GDestroyNotify) monitor_free);
  /* Cross-reference IDs look like the long numbers of real switches (S8). */
  self->next_cross_ref_id = 1136370001;
}

UlPbxsimServer *
ul_pbxsim_server_new (UlPbxsimConfig *config, UlPbxsimDirectory *directory)
{
  UlPbxsimServer *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (UL_IS_PBXSIM_DIRECTORY (directory), NULL);

  self = g_object_new (UL_TYPE_PBXSIM_SERVER, NULL);
  self->config = *config;
  if (self->config.ns == NULL)
    self->config.ns = g_strdup (UL_CSTA_NS_ED5);
  if (self->config.sfd_segment_size == 0)
    self->config.sfd_segment_size = 10;
  *config = (UlPbxsimConfig) { 0 };
  self->directory = g_object_ref (directory);
  self->calls = ul_pbxsim_calls_new (self);

  return self;
}

static void
on_link_closed (UlPbxsimLink *link, gpointer user_data)
{
  UlPbxsimServer *self = user_data;

  ul_pbxsim_server_stop_link_monitors (self, link);
  g_signal_handlers_disconnect_by_data (link, self);
  g_ptr_array_remove (self->links, link);
}

static gboolean
on_incoming (GSocketService *service,
             GSocketConnection *connection,
             GObject *source_object,
             gpointer user_data)
{
  UlPbxsimServer *self = user_data;
  UlPbxsimLink *link;

  self->connections++;

  if (self->faults.hangup)
    {
      g_message ("connection refused by the hangup fault");
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  link = ul_pbxsim_link_new (self, connection);
  g_ptr_array_add (self->links, link);
  g_signal_connect (link, "closed", G_CALLBACK (on_link_closed), self);
  ul_pbxsim_link_start (link);

  return TRUE;
}

/* A fresh service per listening period: closing the listener under a running
 * GSocketService makes it spin on "Listener is already closed" warnings. */
static gboolean
start_service (UlPbxsimServer *self, GError **error)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (self->address, self->port);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GSocketService) service = g_socket_service_new ();

  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, error))
    return FALSE;

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  self->service = g_steal_pointer (&service);
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
  g_socket_service_start (self->service);

  return TRUE;
}

static void
stop_service (UlPbxsimServer *self)
{
  if (self->service == NULL)
    return;

  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_signal_handlers_disconnect_by_data (self->service, self);
  g_clear_object (&self->service);
}

gboolean
ul_pbxsim_server_listen (UlPbxsimServer *self, const char *address, guint16 port, GError **error)
{
  g_return_val_if_fail (UL_IS_PBXSIM_SERVER (self), FALSE);
  g_return_val_if_fail (self->service == NULL, FALSE);

  self->address = g_inet_address_new_from_string (address);
  if (self->address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "\"%s\" is not an IP address", address);
      return FALSE;
    }
  self->port = port;

  return start_service (self, error);
}

guint16
ul_pbxsim_server_get_port (UlPbxsimServer *self)
{
  g_return_val_if_fail (UL_IS_PBXSIM_SERVER (self), 0);

  return self->port;
}

void
ul_pbxsim_server_shutdown (UlPbxsimServer *self)
{
  g_return_if_fail (UL_IS_PBXSIM_SERVER (self));

  stop_service (self);
  self->faults.refuse = FALSE;
  ul_pbxsim_server_drop_links (self);
}

const UlPbxsimConfig *
ul_pbxsim_server_get_config (UlPbxsimServer *self)
{
  g_return_val_if_fail (UL_IS_PBXSIM_SERVER (self), NULL);

  return &self->config;
}

UlPbxsimFaults *
ul_pbxsim_server_get_faults (UlPbxsimServer *self)
{
  g_return_val_if_fail (UL_IS_PBXSIM_SERVER (self), NULL);

  return &self->faults;
}

UlPbxsimDirectory *
ul_pbxsim_server_get_directory (UlPbxsimServer *self)
{
  g_return_val_if_fail (UL_IS_PBXSIM_SERVER (self), NULL);

  return self->directory;
}

UlPbxsimCalls *
ul_pbxsim_server_get_calls (UlPbxsimServer *self)
{
  g_return_val_if_fail (UL_IS_PBXSIM_SERVER (self), NULL);

  return self->calls;
}

const char *
ul_pbxsim_server_get_ns (UlPbxsimServer *self)
{
  g_return_val_if_fail (UL_IS_PBXSIM_SERVER (self), NULL);

  return self->config.ns;
}

void
ul_pbxsim_server_set_max_monitors (UlPbxsimServer *self, guint max_monitors)
{
  g_return_if_fail (UL_IS_PBXSIM_SERVER (self));

  self->config.max_monitors = max_monitors;
}

void
ul_pbxsim_server_set_answer_delay (UlPbxsimServer *self, gint answer_delay_ms)
{
  g_return_if_fail (UL_IS_PBXSIM_SERVER (self));

  self->config.answer_delay_ms = answer_delay_ms;
}

char *
ul_pbxsim_normalize_device (const char *device_id)
{
  g_autofree char *copy = g_strstrip (g_strdup (device_id != NULL ? device_id : ""));
  const char *start = copy;
  gsize len;

  if (g_str_has_prefix (copy, "N<"))
    {
      const char *end = strchr (copy, '>');

      start = copy + 2;
      len = end != NULL ? (gsize) (end - start) : strlen (start);
    }
  else
    {
      len = strcspn (copy, ";");
    }

  return g_strndup (start, len);
}

gboolean
ul_pbxsim_server_monitor_start (UlPbxsimServer *self,
                                UlPbxsimLink *link,
                                const char *device,
                                char **out_cross_ref_id,
                                const char **out_error_category,
                                const char **out_error_value)
{
  Monitor *monitor;

  g_return_val_if_fail (UL_IS_PBXSIM_SERVER (self), FALSE);

  if (ul_pbxsim_directory_lookup (self->directory, device) == NULL)
    {
      *out_error_category = "operation";
      *out_error_value = "invalidDeviceID";
      return FALSE;
    }

  /* Monitors use CSTA licences, counted over the whole system (csta.md §1, S3). */
  if (self->config.max_monitors > 0 && self->monitors->len >= self->config.max_monitors)
    {
      *out_error_category = "systemResourceAvailibility";
      *out_error_value = "overallMonitorLimitExceeded";
      return FALSE;
    }

  monitor = g_new0 (Monitor, 1);
  monitor->cross_ref_id = g_strdup_printf ("%u", self->next_cross_ref_id++);
  monitor->device = g_strdup (device);
  monitor->link = link;
  g_ptr_array_add (self->monitors, monitor);

  *out_cross_ref_id = g_strdup (monitor->cross_ref_id);

  return TRUE;
}

gboolean
ul_pbxsim_server_monitor_stop (UlPbxsimServer *self, UlPbxsimLink *link, const char *cross_ref_id)
{
  g_return_val_if_fail (UL_IS_PBXSIM_SERVER (self), FALSE);

  for (guint i = 0; i < self->monitors->len; i++)
    {
      Monitor *monitor = g_ptr_array_index (self->monitors, i);

      if (monitor->link == link && g_strcmp0 (monitor->cross_ref_id, cross_ref_id) == 0)
        {
          g_ptr_array_remove_index (self->monitors, i);
          return TRUE;
        }
    }

  return FALSE;
}

void
ul_pbxsim_server_stop_link_monitors (UlPbxsimServer *self, UlPbxsimLink *link)
{
  g_return_if_fail (UL_IS_PBXSIM_SERVER (self));

  for (guint i = self->monitors->len; i > 0; i--)
    {
      Monitor *monitor = g_ptr_array_index (self->monitors, i - 1);

      if (monitor->link == link)
        g_ptr_array_remove_index (self->monitors, i - 1);
    }
}

const char *
ul_pbxsim_server_get_any_monitor (UlPbxsimServer *self, UlPbxsimLink *link)
{
  for (guint i = 0; i < self->monitors->len; i++)
    {
      Monitor *monitor = g_ptr_array_index (self->monitors, i);

      if (monitor->link == link)
        return monitor->cross_ref_id;
    }

  return NULL;
}

void
ul_pbxsim_server_emit_event (UlPbxsimServer *self, const char *device, const UlCstaEvent *event)
{
  g_return_if_fail (UL_IS_PBXSIM_SERVER (self));

  for (guint i = 0; i < self->monitors->len; i++)
    {
      Monitor *monitor = g_ptr_array_index (self->monitors, i);
      UlCstaEvent copy;
      g_autofree char *xml = NULL;

      if (!g_str_equal (monitor->device, device))
        continue;

      copy = *event;
      copy.monitor_cross_ref_id = monitor->cross_ref_id;
      xml = ul_csta_build_event (self->config.ns, &copy);
      ul_pbxsim_link_send (monitor->link, UL_CSTA_INVOKE_ID_EVENT, xml);
    }
}

void
ul_pbxsim_server_note_login (UlPbxsimServer *self,
                             gboolean success,
                             const char *user,
                             UlCstaLoginStyle style)
{
  g_return_if_fail (UL_IS_PBXSIM_SERVER (self));

  if (success)
    self->logins++;
  else
    self->login_failures++;
  g_free (self->last_login_user);
  self->last_login_user = g_strdup (user);
  self->last_login_style = style;
}

void
ul_pbxsim_server_note_make_call (UlPbxsimServer *self, const char *calling, const char *called)
{
  g_return_if_fail (UL_IS_PBXSIM_SERVER (self));

  self->make_calls++;
  g_free (self->last_make_call_calling);
  self->last_make_call_calling = g_strdup (calling);
  g_free (self->last_make_call_called);
  self->last_make_call_called = g_strdup (called);
}

void
ul_pbxsim_server_set_refuse (UlPbxsimServer *self, gboolean refuse)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (UL_IS_PBXSIM_SERVER (self));

  if (self->faults.refuse == refuse || self->address == NULL)
    return;
  self->faults.refuse = refuse;

  /* Closing the listening socket makes connects fail with ECONNREFUSED, like a PBX whose
   * CSTA service is switched off; only stopping the service would leave them in the backlog. */
  if (refuse)
    {
      stop_service (self);
      g_message ("stopped listening (refuse fault)");
    }
  else if (start_service (self, &error))
    g_message ("listening again on port %u", self->port);
  else
    g_message ("cannot listen again on port %u: %s", self->port, error->message);
}

/* Links close (and leave self->links) while we walk, so walk a copy. */
static GPtrArray *
copy_links (UlPbxsimServer *self)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->links->len; i++)
    g_ptr_array_add (copy, g_object_ref (g_ptr_array_index (self->links, i)));

  return copy;
}

void
ul_pbxsim_server_drop_links (UlPbxsimServer *self)
{
  g_autoptr(GPtrArray) links = copy_links (self);

  for (guint i = 0; i < links->len; i++)
    ul_pbxsim_link_close (g_ptr_array_index (links, i), "dropped");
}

void
ul_pbxsim_server_send_malformed (UlPbxsimServer *self, UlPbxsimMalformed kind)
{
  static const char bad_header[] = "\x01\x00\x00\x10" "9999<bad/>..";
  static const char bad_length[] = "\x00\x00\x00\x05" "9999";
  static const char bad_invoke[] = "\x00\x00\x00\x10" "9x99<bad/>..";
  g_autoptr(GPtrArray) links = copy_links (self);
  g_autoptr(GBytes) bytes = NULL;

  switch (kind)
    {
    case UL_PBXSIM_MALFORMED_HEADER:
      bytes = g_bytes_new_static (bad_header, sizeof bad_header - 1);
      break;
    case UL_PBXSIM_MALFORMED_LENGTH:
      bytes = g_bytes_new_static (bad_length, sizeof bad_length - 1);
      break;
    case UL_PBXSIM_MALFORMED_INVOKE:
      bytes = g_bytes_new_static (bad_invoke, sizeof bad_invoke - 1);
      break;
    case UL_PBXSIM_MALFORMED_XML:
      bytes = ul_csta_frame_encode (UL_CSTA_INVOKE_ID_EVENT, "<DeliveredEvent><connection>", -1,
                                    NULL);
      break;
    default:
      g_assert_not_reached ();
    }

  for (guint i = 0; i < links->len; i++)
    ul_pbxsim_link_send_raw (g_ptr_array_index (links, i), bytes);
}

void
ul_pbxsim_server_send_unknown_event (UlPbxsimServer *self)
{
  g_autoptr(GPtrArray) links = copy_links (self);

  for (guint i = 0; i < links->len; i++)
    {
      UlPbxsimLink *link = g_ptr_array_index (links, i);
      const char *xref = ul_pbxsim_server_get_any_monitor (self, link);
      UlCstaWriter *w = ul_csta_writer_new ("FrobnicatedEvent", self->config.ns);
      g_autofree char *xml = NULL;

      /* Rule 18: unknown events are logged and ignored; multi-byte text checks rule 4. */
      ul_csta_writer_text (w, "monitorCrossRefID", xref != NULL ? xref : "0");
      ul_csta_writer_text (w, "note", "Søren Kierkegaard · Zoë Ångström · 日本語 ✓");
      xml = ul_csta_writer_finish (w);
      ul_pbxsim_link_send (link, UL_CSTA_INVOKE_ID_EVENT, xml);
    }
}

void
ul_pbxsim_server_expire_sessions (UlPbxsimServer *self)
{
  g_autoptr(GPtrArray) links = copy_links (self);

  for (guint i = 0; i < links->len; i++)
    ul_pbxsim_link_expire_session (g_ptr_array_index (links, i));
}

static guint
count_sessions (UlPbxsimServer *self)
{
  guint n = 0;

  for (guint i = 0; i < self->links->len; i++)
    if (ul_pbxsim_link_is_logged_in (g_ptr_array_index (self->links, i)))
      n++;

  return n;
}

/* Status values are single tokens: user input is percent-encoded. */
static char *
token (const char *value)
{
  return g_uri_escape_string (value != NULL ? value : "", NULL, FALSE);
}

char *
ul_pbxsim_server_describe (UlPbxsimServer *self)
{
  GString *out = g_string_new (NULL);
  const UlPbxsimFaults *f = &self->faults;
  g_autoptr(GPtrArray) faults = g_ptr_array_new ();
  g_autofree char *fault_list = NULL;
  GHashTable *devices = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *user = token (self->last_login_user);
  g_autofree char *calling = token (self->last_make_call_calling);
  g_autofree char *called = token (self->last_make_call_called);

  for (guint i = 0; i < self->monitors->len; i++)
    g_hash_table_add (devices, ((Monitor *) g_ptr_array_index (self->monitors, i))->device);

  if (f->refuse)
    g_ptr_array_add (faults, "refuse");
  if (f->hangup)
    g_ptr_array_add (faults, "hangup");
  if (f->stall)
    g_ptr_array_add (faults, "stall");
  if (f->wrong_credentials)
    g_ptr_array_add (faults, "wrong-credentials");
  if (f->split)
    g_ptr_array_add (faults, "split");
  if (f->coalesce)
    g_ptr_array_add (faults, "coalesce");
  g_ptr_array_add (faults, NULL);
  fault_list = g_strjoinv (",", (char **) faults->pdata);

  g_string_append_printf (out, "port=%u links=%u sessions=%u connections=%u", self->port,
                          self->links->len, count_sessions (self), self->connections);
  g_string_append_printf (out, " logins=%u login_failures=%u last_login_user=%s"
                               " last_login_style=%d",
                          self->logins, self->login_failures, user, self->last_login_style);
  g_string_append_printf (out, " monitors=%u monitored_devices=%u max_monitors=%u",
                          self->monitors->len, g_hash_table_size (devices),
                          self->config.max_monitors);
  g_string_append_printf (out, " calls=%u make_calls=%u last_make_call_calling=%s"
                               " last_make_call_called=%s",
                          ul_pbxsim_calls_get_n_calls (self->calls), self->make_calls, calling,
                          called);
  g_string_append_printf (out, " users=%u faults=%s",
                          ul_pbxsim_directory_get_n_users (self->directory), fault_list);

  g_hash_table_unref (devices);

  return g_string_free (out, FALSE);
}
