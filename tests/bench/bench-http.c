/* bench-http.c — the HTTPS API under load (issue #4), JSON on stdout.
 *
 *   status       wrk, one thread, 16 kept-alive connections: requests/s and latency
 *                percentiles for GET /api/v1/status (target ≥ 5,000 req/s; uplinkd
 *                serves from one thread, so this is one core)
 *   users_page   a page of 100 from 10,000 users (GET /api/v1/users?offset=5000&limit=100):
 *                latency at a fixed 200 req/s (wrk paced by a Lua delay; target p99 < 10 ms),
 *                and the unpaced requests/s
 *   rss          uplinkd's resident memory idle and with 100 open TLS connections
 *                (target < 30 MiB)
 *
 * The users go straight into the store before uplinkd starts. Build without sanitizers
 * (meson setup build) for real figures. Without wrk the wrk figures are null.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ul-store.h"
#include "ul-test-https.h"

#define N_USERS 10000
#define PARTNER "bench@partner.example"
#define PASSWORD "correct horse battery staple"
#define DURATION "5s"

static void
seed_users (const char *data_dir)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (data_dir, "uplink.db", NULL);
  g_autoptr (UlStore) store = NULL;
  g_autoptr (GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify)ul_user_free);

  g_mkdir_with_parents (data_dir, 0700);
  store = ul_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_USERS; i++)
    {
      g_autofree char *extension = g_strdup_printf ("%u", 10000 + i);
      g_autofree char *name = g_strdup_printf ("User %u", i);
      g_autofree char *email = g_strdup_printf ("user%u@acme.example", i);
      g_ptr_array_add (users, ul_user_new (extension, name, email));
    }
  ul_store_replace_users (store, users, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Runs wrk and returns its output, or NULL when wrk is missing or fails. */
static char *
run_wrk (const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *wrk = g_find_program_in_path ("wrk");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (wrk == NULL)
    return NULL;
  g_ptr_array_add (argv, wrk);
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error)
      || !g_spawn_check_wait_status (status, NULL))
    {
      g_printerr ("wrk failed: %s%s\n", error != NULL ? error->message : "",
                  err != NULL ? err : "");
      return NULL;
    }
  g_printerr ("%s", out);
  return g_steal_pointer (&out);
}

/* "Requests/sec:  5123.45" → 5123.45; -1 when absent. */
static double
wrk_rate (const char *out)
{
  const char *line = out != NULL ? strstr (out, "Requests/sec:") : NULL;

  return line != NULL ? g_ascii_strtod (line + strlen ("Requests/sec:"), NULL) : -1;
}

/* A latency percentile line of wrk --latency ("     99%    3.21ms") in milliseconds. */
static double
wrk_percentile (const char *out, const char *percentile)
{
  g_autofree char *needle = g_strdup_printf ("\n     %s", percentile);
  const char *line = out != NULL ? strstr (out, needle) : NULL;
  char *end = NULL;
  double value;

  if (line == NULL)
    return -1;
  value = g_ascii_strtod (line + strlen (needle), &end);
  if (g_str_has_prefix (end, "us"))
    return value / 1000;
  if (g_str_has_prefix (end, "ms"))
    return value;
  if (g_str_has_prefix (end, "s"))
    return value * 1000;
  return -1;
}

static void
print_figure (GString *json, const char *key, double value, gboolean last)
{
  if (value < 0)
    g_string_append_printf (json, "\"%s\": null%s", key, last ? "" : ", ");
  else
    g_string_append_printf (json, "\"%s\": %.2f%s", key, value, last ? "" : ", ");
}

static long
rss_kib (GSubprocess *process)
{
  g_autofree char *path
      = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (process));
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, "\nVmRSS:")) == NULL)
    return -1;
  return strtol (line + strlen ("\nVmRSS:"), NULL, 10);
}

static gboolean
accept_any (GTlsConnection *connection, GTlsCertificate *certificate, GTlsCertificateFlags errors,
            gpointer user_data)
{
  return TRUE;
}

/* Opens @n TLS connections that each made one request and stay open (kept alive). */
static GPtrArray *
open_connections (UlTestHttps *t, guint n)
{
  GPtrArray *connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *request = g_strdup_printf (
      "GET /api/v1/gateway HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n", t->https_port);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GSocketClient) client = g_socket_client_new ();
      g_autoptr (GSocketConnection) tcp = NULL;
      g_autoptr (GError) error = NULL;
      GIOStream *tls;
      char buffer[4096];

      tcp = g_socket_client_connect_to_host (client, "127.0.0.1", t->https_port, NULL, &error);
      g_assert_no_error (error);
      tls = g_tls_client_connection_new (G_IO_STREAM (tcp), NULL, &error);
      g_assert_no_error (error);
      g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any), NULL);
      g_output_stream_write_all (g_io_stream_get_output_stream (tls), request, strlen (request),
                                 NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_input_stream_read (g_io_stream_get_input_stream (tls), buffer,
                                            sizeof buffer, NULL, &error),
                       >, 0);
      g_assert_no_error (error);
      g_ptr_array_add (connections, tls);
    }
  return connections;
}

int
main (int argc, char **argv)
{
  g_autoptr (UlTestHttps) t = NULL;
  g_autoptr (GString) json = g_string_new ("{");
  g_autoptr (GPtrArray) connections = NULL;
  g_autofree char *token = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *status_url = NULL;
  g_autofree char *users_url = NULL;
  g_autofree char *status_out = NULL;
  g_autofree char *paced_out = NULL;
  g_autofree char *users_out = NULL;
  g_autofree char *script = NULL;
  g_autoptr (GError) error = NULL;
  long idle_rss, busy_rss;

  g_setenv ("UL_UPLINKD", UL_UPLINKD_PATH, FALSE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  /* wrk's connections all come from 127.0.0.1, so the per-peer cap must allow them. */
  t = ul_test_https_new ("[http]\nmax-connections=512\nmax-connections-per-peer=256\n"
                         "[mdns]\nenabled=false\n");
  seed_users (t->data_dir);
  ul_test_https_start (t);
  ul_test_https_claim (t, PARTNER, PASSWORD);
  token = ul_test_https_login (t, PARTNER, PASSWORD);
  auth = g_strdup_printf ("Authorization: Bearer %s", token);
  status_url = ul_test_https_url (t, "/api/v1/status");
  users_url = ul_test_https_url (t, "/api/v1/users?offset=5000&limit=100");

  {
    g_autoptr (JsonNode) reply = NULL;
    g_assert_cmpuint (
        ul_test_https_request (t, "GET", "/api/v1/users?limit=1", token, NULL, &reply), ==, 200);
    g_assert_cmpint (ul_test_json_int (reply, "total"), ==, N_USERS);
  }

  idle_rss = rss_kib (t->process);

  {
    const char *args[]
        = { "-t1", "-c16", "-d" DURATION, "--latency", "-H", auth, status_url, NULL };
    status_out = run_wrk (args);
  }

  /* 4 connections, each waiting 17 ms after each ~3 ms request: 200 requests a second. */
  script = g_build_filename (t->root, "paced.lua", NULL);
  g_file_set_contents (script, "function delay()\n  return 17\nend\n", -1, &error);
  g_assert_no_error (error);
  {
    const char *args[]
        = { "-t1", "-c4", "-d10s", "--latency", "-s", script, "-H", auth, users_url, NULL };
    paced_out = run_wrk (args);
  }
  {
    const char *args[] = { "-t1", "-c16", "-d" DURATION, "--latency", "-H", auth, users_url, NULL };
    users_out = run_wrk (args);
  }

  connections = open_connections (t, 100);
  busy_rss = rss_kib (t->process);
  g_clear_pointer (&connections, g_ptr_array_unref);

  g_string_append (json, "\"status\": {");
  print_figure (json, "requests_per_second", wrk_rate (status_out), FALSE);
  print_figure (json, "p50_ms", wrk_percentile (status_out, "50%"), FALSE);
  print_figure (json, "p99_ms", wrk_percentile (status_out, "99%"), FALSE);
  g_string_append (json, "\"connections\": 16, \"target_requests_per_second\": 5000}, ");

  g_string_append_printf (json, "\"users_page\": {\"users\": %u, \"page\": 100, ", N_USERS);
  print_figure (json, "paced_requests_per_second", wrk_rate (paced_out), FALSE);
  print_figure (json, "paced_p50_ms", wrk_percentile (paced_out, "50%"), FALSE);
  print_figure (json, "paced_p99_ms", wrk_percentile (paced_out, "99%"), FALSE);
  print_figure (json, "unpaced_requests_per_second", wrk_rate (users_out), FALSE);
  print_figure (json, "unpaced_p99_ms", wrk_percentile (users_out, "99%"), FALSE);
  g_string_append (json, "\"target_p99_ms_at_200_per_second\": 10}, ");

  g_string_append_printf (json,
                          "\"rss_kib\": {\"idle\": %ld, \"with_100_connections\": %ld, "
                          "\"target\": %d}}",
                          idle_rss, busy_rss, 30 * 1024);
  g_print ("%s\n", json->str);

  g_assert_cmpint (ul_test_https_stop (t), ==, 0);
  return EXIT_SUCCESS;
}
