/* bench-monitors.c — starting 1,000 device monitors against uplink-pbxsim.
 *
 * The engine's PBX service (UlPbxService: link, monitors with 8 MonitorStarts in flight,
 * csta.md rule 15) runs against the simulator with 1,000 users on loopback; after each
 * change the benchmark asks the service for its fault, as the engine does to compute the
 * status. Measured: from the link turning active to all 1,000 monitors active. Median of
 * N runs (default 5), printed as JSON. Target (issue #3): < 2 s.
 *
 *   build/tests/bench/bench-monitors
 */
#include "config.h"

#include <stdio.h>

#include "ul-bench.h"
#include "ul-pbx-service.h"
#include "ul-test-pbxsim.h"

#define N_USERS       1000
#define FIRST_EXT     201
#define RUN_TIMEOUT_S 60

typedef struct
{
  UlPbxService *service;
  gint64        active_at;
  gint64        done_at;
  guint         changes;
} Run;

static void
on_changed (UlPbxService *service, Run *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) params = NULL;
  UlPbxMonitor *monitor;

  run->changes++;
  /* What the engine does on every change: recompute the fault for the status. */
  ul_pbx_service_get_fault (service, &params);
  if (run->active_at == 0 && ul_pbx_service_get_link_state (service) == UL_PBX_LINK_STATE_ACTIVE)
    run->active_at = g_get_monotonic_time ();
  monitor = ul_pbx_service_get_monitor (service, &error);
  if (run->done_at == 0 && monitor != NULL
      && ul_pbx_monitor_count (monitor, UL_MONITOR_STATE_ACTIVE) == N_USERS)
    run->done_at = g_get_monotonic_time ();
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("a run took more than %d s", RUN_TIMEOUT_S);
  return G_SOURCE_REMOVE;
}

static double
run_once (UlPbxService *service, const UlPbxConfig *pbx)
{
  Run run = { .service = service };
  gulong handler = g_signal_connect (service, "changed", G_CALLBACK (on_changed), &run);
  guint timeout = g_timeout_add_seconds (RUN_TIMEOUT_S, on_timeout, NULL);

  ul_pbx_service_run (service, pbx);
  while (run.done_at == 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  g_signal_handler_disconnect (service, handler);
  ul_pbx_service_run (service, NULL);
  return (run.done_at - run.active_at) / 1000.0;
}

int
main (int argc, char **argv)
{
  guint runs = ul_bench_runs (5);
  g_autofree double *ms = g_new0 (double, runs);
  g_autofree char *users = g_strdup_printf ("%u", N_USERS);
  g_autoptr(UlTestPbxsim) sim = NULL;
  g_autoptr(UlPbxService) service = NULL;
  g_autoptr(UlPbxConfig) pbx = ul_pbx_config_new ();
  g_autoptr(GPtrArray) extensions = g_ptr_array_new_with_free_func (g_free);
  double median;

  if (g_getenv ("UL_PBXSIM") == NULL)
    g_setenv ("UL_PBXSIM", UL_PBXSIM_PATH, FALSE);
  sim = ul_test_pbxsim_start ("--users", users, "--first-extension", "201", NULL);

  pbx->host = g_strdup ("127.0.0.1");
  pbx->port = sim->port;
  pbx->username = g_strdup ("bench");
  pbx->password = g_strdup ("bench");
  service = ul_pbx_service_new ();
  for (guint i = 0; i < N_USERS; i++)
    g_ptr_array_add (extensions, g_strdup_printf ("%u", FIRST_EXT + i));
  g_ptr_array_add (extensions, NULL);
  ul_pbx_service_set_devices (service, (const char * const *) extensions->pdata);

  for (guint i = 0; i < runs; i++)
    ms[i] = run_once (service, pbx);

  median = ul_bench_median (ms, runs);
  printf ("{\"benchmark\": \"monitors-start\", \"runs\": %u, \"monitors\": %u,"
          " \"pipeline\": %u, \"active_to_all_monitored_ms\": {\"median\": %.1f, \"min\": %.1f,"
          " \"max\": %.1f}, \"targets\": {\"active_to_all_monitored_ms\": 2000},"
          " \"target_met\": %s}\n",
          runs, N_USERS, UL_PBX_MONITOR_PIPELINE, median, ms[0], ms[runs - 1],
          median < 2000 ? "true" : "false");
  return 0;
}
