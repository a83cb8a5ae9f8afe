/* bench-directory-sync.c — a directory sync of 10,000 users from CSV and from LDAP.
 *
 * The directory is uplink-pbxsim's (--users 10000), exported as CSV and as LDIF; the LDIF
 * is loaded into a private slapd on loopback. Each run drives the engine's directory
 * service in this process as uplinkd does — fetch (worker thread), diff, one store
 * transaction into a fresh SQLite database — and measures the wall time and the growth of
 * the process's peak RSS (VmHWM, reset before the sync, minus VmRSS before it). Every
 * sample runs in a fresh process (this program, re-executed with --sample), since a
 * process that already synced once reuses the heap it kept and would show no growth;
 * GIO and the worker thread are warmed up first, as they are in a running uplinkd.
 * "initial" adds all 10,000 users to an empty gateway; "resync" reads the same directory
 * again. Medians of N runs (default 5), printed as JSON. Targets (issue #3): < 2 s and
 * < 20 MiB.
 *
 *   build/tests/bench/bench-directory-sync
 */
#include "config.h"

#include <stdio.h>
#include <glib/gstdio.h>

#include "ul-bench.h"
#include "ul-directory-service.h"
#include "ul-test-slapd.h"

#define N_USERS       10000
#define BASE_DN       "ou=people," UL_TEST_SLAPD_SUFFIX
#define RUN_TIMEOUT_S 120

typedef struct
{
  gboolean  done;
  GVariant *report;
  GError   *error;
} Sync;

static void
on_synced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Sync *sync = user_data;

  sync->report = ul_directory_service_sync_finish (UL_DIRECTORY_SERVICE (source), result,
                                                   &sync->error);
  sync->done = TRUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("a sync took more than %d s", RUN_TIMEOUT_S);
  return G_SOURCE_REMOVE;
}

/* One sync; returns the number of users it added. */
static guint
sync_now (UlDirectoryService *directory)
{
  Sync sync = { 0 };
  guint timeout = g_timeout_add_seconds (RUN_TIMEOUT_S, on_timeout, NULL);
  guint32 added = 0;

  ul_directory_service_sync_async (directory, NULL, NULL, on_synced, &sync);
  while (!sync.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  if (sync.error != NULL)
    g_error ("sync failed: %s", sync.error->message);
  g_variant_lookup (sync.report, "addedCount", "u", &added);
  g_variant_unref (sync.report);
  return added;
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  g_rmdir (path);
}

typedef struct
{
  double ms;
  double growth_kib;
} Sample;

static void
warm_up_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_task_return_boolean (task, TRUE);
}

static void
on_warm (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* What a running uplinkd has already done before its first sync: GIO's VFS is loaded
 * (GDBus, sockets, files) and the GTask worker thread exists. Not the sync's cost. */
static void
warm_up (const char *dir)
{
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  gboolean done = FALSE;
  GTask *task = g_task_new (NULL, NULL, on_warm, &done);
  GFileInfo *info;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE, NULL,
                            NULL);
  g_clear_object (&info);
  g_task_run_in_thread (task, warm_up_thread);
  g_object_unref (task);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* A fresh gateway store configured with @changes; when @resync, a first sync fills it
 * and the measured one reads the same directory again. */
static Sample
run_once (GVariant *changes, gboolean resync)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("uplink-bench-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "uplink.db", NULL);
  g_autoptr(UlStore) store = NULL;
  g_autoptr(UlDirectoryService) directory = NULL;
  Sample sample;
  long rss_before;
  gint64 start;
  guint added;

  g_assert_no_error (error);
  store = ul_store_open (db, &error);
  g_assert_no_error (error);
  directory = ul_directory_service_new (store, &error);
  g_assert_no_error (error);
  ul_directory_service_update_config (directory, NULL, changes, &error);
  g_assert_no_error (error);
  if (resync)
    g_assert_cmpuint (sync_now (directory), ==, N_USERS);
  else
    warm_up (dir);   /* the resync's first sync did that */

  ul_bench_reset_peak ();
  rss_before = ul_bench_status_kib ("VmRSS");
  start = g_get_monotonic_time ();
  added = sync_now (directory);
  sample.ms = (g_get_monotonic_time () - start) / 1000.0;
  sample.growth_kib = ul_bench_status_kib ("VmHWM") - rss_before;
  g_assert_cmpuint (added, ==, resync ? 0 : N_USERS);
  g_assert_cmpuint (ul_directory_service_get_users (directory)->len, ==, N_USERS);

  g_clear_object (&directory);
  g_clear_object (&store);
  remove_dir (dir);
  return sample;
}

/* One sample in a fresh process: "<ms> <kib>". */
static Sample
sample_in_child (const char *self_path, const char *changes, gboolean resync)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  Sample sample = { 0 };

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error, self_path, "--sample", resync ? "resync" : "initial",
                            changes, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (child)
      || sscanf (output, "%lf %lf", &sample.ms, &sample.growth_kib) != 2)
    g_error ("a sample failed: %s", output);
  return sample;
}

/* JSON for one source: initial and resync, medians over @runs. */
static char *
measure (const char *self_path, const char *name, GVariant *changes, guint runs)
{
  g_autofree double *initial_ms = g_new0 (double, runs);
  g_autofree double *initial_kib = g_new0 (double, runs);
  g_autofree double *resync_ms = g_new0 (double, runs);
  g_autofree double *resync_kib = g_new0 (double, runs);
  g_autofree char *text = g_variant_print (changes, TRUE);
  double initial_ms_median, initial_kib_median, resync_ms_median, resync_kib_median;

  g_variant_unref (g_variant_ref_sink (changes));
  for (guint i = 0; i < runs; i++)
    {
      Sample initial = sample_in_child (self_path, text, FALSE);
      Sample again = sample_in_child (self_path, text, TRUE);

      initial_ms[i] = initial.ms;
      initial_kib[i] = initial.growth_kib;
      resync_ms[i] = again.ms;
      resync_kib[i] = again.growth_kib;
    }

  initial_ms_median = ul_bench_median (initial_ms, runs);
  initial_kib_median = ul_bench_median (initial_kib, runs);
  resync_ms_median = ul_bench_median (resync_ms, runs);
  resync_kib_median = ul_bench_median (resync_kib, runs);
  return g_strdup_printf ("\"%s\": {\"initial_ms\": {\"median\": %.1f, \"max\": %.1f},"
                          " \"initial_peak_rss_growth_kib\": {\"median\": %.0f, \"max\": %.0f},"
                          " \"resync_ms\": {\"median\": %.1f, \"max\": %.1f},"
                          " \"resync_peak_rss_growth_kib\": {\"median\": %.0f, \"max\": %.0f},"
                          " \"target_met\": %s}",
                          name, initial_ms_median, initial_ms[runs - 1], initial_kib_median,
                          initial_kib[runs - 1], resync_ms_median, resync_ms[runs - 1],
                          resync_kib_median, resync_kib[runs - 1],
                          initial_ms_median < 2000 && resync_ms_median < 2000
                              && initial_kib_median < 20 * 1024
                              && resync_kib_median < 20 * 1024
                            ? "true"
                            : "false");
}

/* The simulator's directory, written once: CSV as it is, LDIF with the base entry and the
 * gateway's bind account in front (as a directory admin would have them). */
static void
export_directory (const char *dir, char **csv, char **ldif)
{
  const char *pbxsim = g_getenv ("UL_PBXSIM") != NULL ? g_getenv ("UL_PBXSIM") : UL_PBXSIM_PATH;
  g_autofree char *users = g_strdup_printf ("%u", N_USERS);
  g_autofree char *ldif_path = g_build_filename (dir, "users.ldif", NULL);
  g_autofree char *people = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  *csv = g_build_filename (dir, "users.csv", NULL);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, pbxsim, "--users", users, "--export-csv", *csv,
                              "--export-ldif", ldif_path, "--ldif-base", UL_TEST_SLAPD_SUFFIX,
                              "--export-only", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);

  g_file_get_contents (ldif_path, &people, NULL, &error);
  g_assert_no_error (error);
  *ldif = g_strdup_printf ("dn: " UL_TEST_SLAPD_SUFFIX "\n"
                           "objectClass: dcObject\nobjectClass: organization\no: Bench\n"
                           "dc: example\n\n"
                           "dn: " UL_TEST_SLAPD_READER_DN "\n"
                           "objectClass: organizationalRole\n"
                           "objectClass: simpleSecurityObject\ncn: reader\n"
                           "userPassword: " UL_TEST_SLAPD_READER_PW "\n\n%s",
                           people);
}

/* --sample initial|resync <changes>: one measurement, printed as "<ms> <kib>". */
static int
run_sample (const char *mode, const char *changes_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) changes = g_variant_parse (G_VARIANT_TYPE_VARDICT, changes_text, NULL,
                                                 NULL, &error);
  Sample sample;

  g_assert_no_error (error);
  sample = run_once (changes, g_str_equal (mode, "resync"));
  printf ("%.3f %.0f\n", sample.ms, sample.growth_kib);
  return 0;
}

int
main (int argc, char **argv)
{
  guint runs = ul_bench_runs (5);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *ldif = NULL;
  g_autofree char *csv_json = NULL;
  g_autofree char *ldap_json = NULL;
  g_autoptr(UlTestSlapd) slapd = NULL;

  if (argc == 4 && g_str_equal (argv[1], "--sample"))
    return run_sample (argv[2], argv[3]);

  dir = g_dir_make_tmp ("uplink-bench-dir-XXXXXX", &error);
  g_assert_no_error (error);
  export_directory (dir, &csv, &ldif);
  csv_json = measure (argv[0], "csv", g_variant_new_parsed ("{'kind': <'csv'>, 'csv': <{'path': <%s>}>}",
                                                   csv),
                      runs);

  if (ul_test_slapd_available ())
    {
      slapd = ul_test_slapd_start (ldif, &error);
      g_assert_no_error (error);
      ldap_json = measure (argv[0], "ldap",
                           g_variant_new_parsed ("{'kind': <'ldap'>, 'ldap': <{'uri': <%s>,"
                                                 " 'baseDn': <%s>, 'bindDn': <%s>,"
                                                 " 'password': <%s>}>}",
                                                 ul_test_slapd_get_uri (slapd), BASE_DN,
                                                 UL_TEST_SLAPD_READER_DN,
                                                 UL_TEST_SLAPD_READER_PW),
                           runs);
    }
  else
    ldap_json = g_strdup ("\"ldap\": null");

  printf ("{\"benchmark\": \"directory-sync\", \"users\": %u, \"runs\": %u, %s, %s,"
          " \"targets\": {\"sync_ms\": 2000, \"peak_rss_growth_kib\": 20480}}\n",
          N_USERS, runs, csv_json, ldap_json);

  g_clear_pointer (&slapd, ul_test_slapd_stop);
  remove_dir (dir);
  return 0;
}
