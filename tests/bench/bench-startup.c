/* bench-startup.c — uplinkd start-up time until its bus name is owned (median of N runs,
 * default 20) and idle RSS, printed as JSON. Targets (issue #2): < 50 ms, < 8 MiB.
 *
 *   meson test -C build --benchmark startup -v     or     build/tests/bench/bench-startup
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>

#include "ul-test-daemon.h"

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* One field (kB) of /proc/<pid>/smaps_rollup, or -1. */
static long
read_smaps_kib (const char *pid, const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/smaps_rollup", pid);
  g_autofree char *text = NULL;
  g_autofree char *key = g_strdup_printf ("\n%s:", field);
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  line = strstr (text, key);
  return line != NULL ? strtol (line + strlen (key), NULL, 10) : -1;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  const char *runs_env = g_getenv ("UL_BENCH_RUNS");
  guint runs = runs_env != NULL ? (guint) g_ascii_strtoull (runs_env, NULL, 10) : 20;
  g_autoptr(UlTestDaemon) d = NULL;
  g_autofree double *ms = g_new0 (double, runs);
  long rss_kib = -1, pss_kib = -1, anon_kib = -1, private_kib = -1;
  const char *pid;
  gboolean slept = FALSE;

  if (g_getenv ("UL_UPLINKD") == NULL)
    g_setenv ("UL_UPLINKD", UL_UPLINKD_PATH, FALSE);
  d = ul_test_daemon_new ();

  /* Warm-up: creates the database so every measured run opens an existing one, as a
   * gateway does at every boot after the first. */
  ul_test_daemon_start (d);
  ul_test_daemon_stop (d);

  for (guint i = 0; i < runs; i++)
    {
      gint64 start = g_get_monotonic_time ();
      ul_test_daemon_start (d);
      ms[i] = (g_get_monotonic_time () - start) / 1000.0;
      if (i + 1 < runs)
        ul_test_daemon_stop (d);
    }

  /* Idle RSS once the daemon has settled. */
  g_timeout_add (1000, on_timeout, &slept);
  ul_test_wait_until (&slept, 5000);
  /* RSS counts every touched page of the shared libraries (GLib, GIO, SQLite, GnuTLS via
   * libldap); PSS and the private and anonymous figures show what this process costs. */
  pid = g_subprocess_get_identifier (d->process);
  rss_kib = read_smaps_kib (pid, "Rss");
  pss_kib = read_smaps_kib (pid, "Pss");
  anon_kib = read_smaps_kib (pid, "Anonymous");
  private_kib = read_smaps_kib (pid, "Private_Clean") + read_smaps_kib (pid, "Private_Dirty");
  ul_test_daemon_stop (d);

  qsort (ms, runs, sizeof *ms, compare_double);
  printf ("{\"benchmark\": \"uplinkd-startup\", \"runs\": %u,"
          " \"startup_ms\": {\"median\": %.2f, \"min\": %.2f, \"max\": %.2f},"
          " \"idle_rss_kib\": %ld, \"idle_pss_kib\": %ld, \"idle_private_kib\": %ld,"
          " \"idle_anonymous_kib\": %ld,"
          " \"targets\": {\"startup_ms\": 50, \"idle_rss_kib\": 8192}}\n",
          runs, runs % 2 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2, ms[0],
          ms[runs - 1], rss_kib, pss_kib, private_kib, anon_kib);
  return 0;
}
