/* ul-bench.h — small helpers the issue #3 benchmarks share: run counts, medians, memory
 * figures from /proc/self/status. */
#pragma once

#include <stdlib.h>
#include <string.h>
#include <glib.h>

/* UL_BENCH_RUNS overrides @fallback. */
static inline guint
ul_bench_runs (guint fallback)
{
  const char *text = g_getenv ("UL_BENCH_RUNS");
  guint64 runs;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, 1000, &runs, NULL))
    return (guint) runs;
  return fallback;
}

static inline int
ul_bench_compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Sorts @values in place. */
static inline double
ul_bench_median (double *values, guint n)
{
  qsort (values, n, sizeof *values, ul_bench_compare_double);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* A "Vm…:" line of /proc/self/status in KiB, or -1. */
static inline long
ul_bench_status_kib (const char *key)
{
  g_autofree char *text = NULL;
  g_autofree char *needle = g_strconcat ("\n", key, ":", NULL);
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return -1;
  line = strstr (text, needle);
  return line != NULL ? strtol (line + strlen (needle), NULL, 10) : -1;
}

/* Resets VmHWM to the current RSS (Linux ≥ 4.0), so that the next peak is this run's. */
static inline gboolean
ul_bench_reset_peak (void)
{
  return g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}
