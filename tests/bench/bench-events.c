/* bench-events.c — CSTA events handled per second by UlPbxLink + UlPbxMonitor.
 *
 * A fake switch in a second thread accepts the link on loopback, answers the login and
 * the MonitorStarts, then writes pre-encoded call events (Delivered → ringing,
 * Established → busy, ConnectionCleared → idle; each one changes one user's call state)
 * as fast as the socket takes them. The main thread runs the link as uplinkd does and
 * counts call-state changes. Median of N runs (default 5), printed as JSON.
 * Target (issue #3): ≥ 20,000 events/s on one core:
 *
 *   taskset -c 0 build/tests/bench/bench-events
 */
#include "config.h"

#include <stdio.h>

#include "ul-bench.h"
#include "ul-csta-codec.h"
#include "ul-pbx-link.h"
#include "ul-pbx-monitor.h"

#define N_DEVICES      100
#define FIRST_EXT      201
#define RUN_TIMEOUT_S  120

typedef struct
{
  GSocket *listener;
  guint16  port;
  GBytes  *events;     /* the whole event stream, pre-encoded */
  guint    runs;
  GMutex   lock;
  gint64   started;    /* when the current run's first event was written */
} Server;

static void
send_frame (GSocket *socket, guint invoke_id, const char *xml)
{
  g_autoptr(GBytes) frame = ul_csta_frame_encode (invoke_id, xml, -1, NULL);
  gsize size;
  const char *data = g_bytes_get_data (frame, &size);

  while (size > 0)
    {
      gssize n = g_socket_send (socket, data, size, NULL, NULL);
      if (n <= 0)
        return;
      data += n;
      size -= (gsize) n;
    }
}

static void
send_all (GSocket *socket, GBytes *bytes)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  while (size > 0)
    {
      gssize n = g_socket_send (socket, data, size, NULL, NULL);
      if (n <= 0)
        return;
      data += n;
      size -= (gsize) n;
    }
}

/* Answers what the link sends; once every device is monitored, writes the events. */
static void
serve_one (Server *server, GSocket *socket)
{
  g_autoptr(UlCstaDecoder) decoder = ul_csta_decoder_new ();
  guint monitors = 0;
  char buffer[16384];

  for (;;)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        return;
      ul_csta_decoder_feed (decoder, buffer, (gsize) n);
      for (;;)
        {
          g_autoptr(UlCstaFrame) frame = ul_csta_decoder_pop (decoder, NULL);
          g_autoptr(UlCstaNode) root = NULL;
          g_autofree char *reply = NULL;
          const char *name;

          if (frame == NULL)
            break;
          root = ul_csta_node_parse (frame->xml, frame->xml_len, NULL);
          if (root == NULL)
            return;
          name = ul_csta_node_get_name (root);
          if (g_str_equal (name, "StartApplicationSession"))
            reply = ul_csta_build_start_application_session_pos_response ("bench", NULL, 180);
          else if (g_str_equal (name, "MonitorStart"))
            {
              g_autofree char *cross_ref = g_strdup_printf (
                "m%s", ul_csta_node_find_text (root, "deviceObject"));
              reply = ul_csta_build_monitor_start_response (NULL, cross_ref);
              monitors++;
            }
          else if (g_str_equal (name, "ResetApplicationSessionTimer"))
            reply = ul_csta_build_reset_application_session_timer_pos_response (180);
          else if (g_str_equal (name, "StopApplicationSession"))
            reply = ul_csta_build_stop_application_session_pos_response ();
          else
            continue;
          send_frame (socket, frame->invoke_id, reply);
          if (g_str_equal (name, "MonitorStart") && monitors == N_DEVICES)
            {
              g_mutex_lock (&server->lock);
              server->started = g_get_monotonic_time ();
              g_mutex_unlock (&server->lock);
              send_all (socket, server->events);
            }
        }
    }
}

static gpointer
server_thread (gpointer user_data)
{
  Server *server = user_data;

  for (guint i = 0; i < server->runs; i++)
    {
      g_autoptr(GSocket) socket = g_socket_accept (server->listener, NULL, NULL);

      if (socket == NULL)
        break;
      serve_one (server, socket);
      g_socket_close (socket, NULL);
    }
  return NULL;
}

static void
server_listen (Server *server)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  server->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (server->listener, any, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (server->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (server->listener, &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* @n_calls calls round-robin over the devices, three events each. */
static GBytes *
encode_events (guint n_calls, gsize *out_frames)
{
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  const struct
  {
    UlCstaEventType type;
    const char     *info;
  } steps[] = {
    { UL_CSTA_EVENT_DELIVERED, "alerting" },
    { UL_CSTA_EVENT_ESTABLISHED, "connected" },
    { UL_CSTA_EVENT_CONNECTION_CLEARED, "null" },
  };

  for (guint i = 0; i < n_calls; i++)
    {
      g_autofree char *device = g_strdup_printf ("%u", FIRST_EXT + i % N_DEVICES);
      g_autofree char *cross_ref = g_strdup_printf ("m%s", device);
      g_autofree char *call_id = g_strdup_printf ("%u", 1000 + i);

      for (gsize s = 0; s < G_N_ELEMENTS (steps); s++)
        {
          UlCstaEvent event = {
            .type = steps[s].type,
            .monitor_cross_ref_id = cross_ref,
            .call_id = call_id,
            .device_id = device,
            .subject_device = steps[s].type == UL_CSTA_EVENT_CONNECTION_CLEARED ? device : "0441234567",
            .calling_device = "0441234567",
            .called_device = device,
            .local_connection_info = steps[s].info,
            .cause = steps[s].type == UL_CSTA_EVENT_CONNECTION_CLEARED ? "normalClearing"
                                                                       : "newCall",
          };
          g_autofree char *xml = ul_csta_build_event (NULL, &event);
          g_autoptr(GBytes) frame = ul_csta_frame_encode (UL_CSTA_INVOKE_ID_EVENT, xml, -1, NULL);

          g_byte_array_append (stream, g_bytes_get_data (frame, NULL), g_bytes_get_size (frame));
        }
    }
  *out_frames = (gsize) n_calls * G_N_ELEMENTS (steps);
  return g_byte_array_free_to_bytes (g_steal_pointer (&stream));
}

typedef struct
{
  guint  expected;
  guint  changes;
  gint64 finished;
} Counter;

static void
on_call_state_changed (UlPbxMonitor *monitor, const char *extension, guint state,
                       Counter *counter)
{
  /* The first change of each device is unknown → idle when its monitor starts. */
  if (++counter->changes == counter->expected)
    counter->finished = g_get_monotonic_time ();
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("a run took more than %d s", RUN_TIMEOUT_S);
  return G_SOURCE_REMOVE;
}

static double
run_once (Server *server, gsize n_events)
{
  g_autoptr(UlPbxLinkConfig) config = ul_pbx_link_config_new ();
  g_autoptr(UlPbxLink) link = NULL;
  g_autoptr(UlPbxMonitor) monitor = NULL;
  g_autoptr(GPtrArray) extensions = g_ptr_array_new_with_free_func (g_free);
  Counter counter = { .expected = N_DEVICES + (guint) n_events };
  guint timeout;
  gint64 started;

  config->host = g_strdup ("127.0.0.1");
  config->port = server->port;
  config->reconnect = FALSE;
  link = ul_pbx_link_new (config);
  monitor = ul_pbx_monitor_new (link);
  for (guint i = 0; i < N_DEVICES; i++)
    g_ptr_array_add (extensions, g_strdup_printf ("%u", FIRST_EXT + i));
  g_ptr_array_add (extensions, NULL);
  ul_pbx_monitor_set_devices (monitor, (const char * const *) extensions->pdata);
  g_signal_connect (monitor, "call-state-changed", G_CALLBACK (on_call_state_changed), &counter);

  timeout = g_timeout_add_seconds (RUN_TIMEOUT_S, on_timeout, NULL);
  ul_pbx_link_start (link);
  while (counter.finished == 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);

  g_mutex_lock (&server->lock);
  started = server->started;
  g_mutex_unlock (&server->lock);
  ul_pbx_link_abort (link);
  g_signal_handlers_disconnect_by_data (monitor, &counter);
  return n_events / ((counter.finished - started) / (double) G_USEC_PER_SEC);
}

int
main (int argc, char **argv)
{
  const char *calls_env = g_getenv ("UL_BENCH_CALLS");
  guint n_calls = calls_env != NULL ? (guint) g_ascii_strtoull (calls_env, NULL, 10) : 20000;
  guint runs = ul_bench_runs (5);
  g_autofree double *rates = g_new0 (double, runs);
  Server server = { .runs = runs };
  gsize n_events = 0;
  GThread *thread;
  double median;

  g_mutex_init (&server.lock);
  server.events = encode_events (n_calls, &n_events);
  server_listen (&server);
  thread = g_thread_new ("fake-switch", server_thread, &server);

  for (guint i = 0; i < runs; i++)
    rates[i] = run_once (&server, n_events);

  g_thread_join (thread);
  median = ul_bench_median (rates, runs);
  printf ("{\"benchmark\": \"csta-events\", \"runs\": %u, \"events_per_run\": %" G_GSIZE_FORMAT ","
          " \"monitored_devices\": %u, \"stream_bytes\": %" G_GSIZE_FORMAT ","
          " \"events_per_s\": {\"median\": %.0f, \"min\": %.0f, \"max\": %.0f},"
          " \"targets\": {\"events_per_s\": 20000}, \"target_met\": %s}\n",
          runs, n_events, N_DEVICES, g_bytes_get_size (server.events), median, rates[0],
          rates[runs - 1], median >= 20000 ? "true" : "false");

  g_clear_object (&server.listener);
  g_bytes_unref (server.events);
  g_mutex_clear (&server.lock);
  return 0;
}
