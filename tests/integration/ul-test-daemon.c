/* ul-test-daemon.c — run the built uplinkd on a private bus for the integration tests. */
#include "config.h"

#include <signal.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <glib/gstdio.h>

#include "ul-test-daemon.h"

#define BUS_NAME    "io.github.uplink.Gateway1"
#define OBJECT_PATH "/io/github/uplink/Gateway1"
#define START_TIMEOUT_MS 10000

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
ul_test_wait_until (gboolean *done, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

UlTestDaemon *
ul_test_daemon_new (void)
{
  UlTestDaemon *self = g_new0 (UlTestDaemon, 1);
  g_autoptr(GError) error = NULL;

  self->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (self->bus);
  self->connection = g_dbus_connection_new_for_address_sync (
    g_test_dbus_get_bus_address (self->bus),
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
      | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);

  self->root = g_dir_make_tmp ("uplink-test-XXXXXX", &error);
  g_assert_no_error (error);
  self->data_dir = g_build_filename (self->root, "state", NULL);
  self->config = g_build_filename (self->root, "uplinkd.conf", NULL);
  /* Free ports: tests run in parallel, and a fixed port could be taken on the machine. */
  g_file_set_contents (self->config, "[uplinkd]\n[http]\nhttps-port=0\nhttp-port=-1\n", -1,
                       &error);
  g_assert_no_error (error);
  return self;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL
         && g_file_enumerator_iterate (children, &info, NULL, NULL, NULL) && info != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
ul_test_daemon_free (UlTestDaemon *self)
{
  if (self->process != NULL)
    ul_test_daemon_kill (self);
  g_dbus_connection_close_sync (self->connection, NULL, NULL);
  g_clear_object (&self->connection);
  g_test_dbus_down (self->bus);
  g_clear_object (&self->bus);
  g_clear_pointer (&self->exited, g_rc_box_release);
  remove_tree (self->root);
  g_free (self->root);
  g_free (self->data_dir);
  g_free (self->config);
  g_free (self);
}

static void
on_name_appeared (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
on_exited_early (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gboolean *exited = user_data;  /* GRcBox: the UlTestDaemon may be gone by now */

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *exited = TRUE;
  g_rc_box_release (exited);
}

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
on_name_vanished (GDBusConnection *connection, const char *name, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* After a kill the bus may not yet have dropped the dead owner; a new uplinkd started
 * now would find the name taken. Wait until it is free. */
static void
wait_name_free (UlTestDaemon *self)
{
  gboolean vanished = FALSE;
  guint watch = g_bus_watch_name_on_connection (self->connection, BUS_NAME,
                                                G_BUS_NAME_WATCHER_FLAGS_NONE, NULL,
                                                on_name_vanished, &vanished, NULL);

  ul_test_wait_until (&vanished, START_TIMEOUT_MS);
  g_bus_unwatch_name (watch);
}

/* A test that aborts must not leave uplinkd running: it would hold the test's output open
 * and meson would wait for its whole timeout. */
static void
die_with_test (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

void
ul_test_daemon_start (UlTestDaemon *self)
{
  const char *uplinkd = g_getenv ("UL_UPLINKD");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) early_exit = g_cancellable_new ();
  gboolean appeared = FALSE;
  guint watch;

  g_assert_nonnull (uplinkd);
  g_assert_null (self->process);

  wait_name_free (self);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_test, NULL, NULL);
  self->process = g_subprocess_launcher_spawn (launcher, &error, uplinkd, "--session",
                                               "--data-dir", self->data_dir, "--config",
                                               self->config, NULL);
  g_assert_no_error (error);

  /* Either the name appears or uplinkd exits (it printed why on stderr). */
  g_clear_pointer (&self->exited, g_rc_box_release);
  self->exited = g_rc_box_new0 (gboolean);
  g_subprocess_wait_async (self->process, early_exit, on_exited_early,
                           g_rc_box_acquire (self->exited));
  watch = g_bus_watch_name_on_connection (self->connection, BUS_NAME,
                                          G_BUS_NAME_WATCHER_FLAGS_NONE, on_name_appeared, NULL,
                                          &appeared, NULL);
  {
    gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_MS * 1000;
    guint tick = g_timeout_add (20, on_tick, NULL);

    while (!appeared && !*self->exited)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
    g_source_remove (tick);
  }
  g_cancellable_cancel (early_exit);
  g_bus_unwatch_name (watch);
  if (!appeared)
    g_error ("uplinkd exited before owning its bus name");
}

static void
on_wait_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static void
wait_process (UlTestDaemon *self)
{
  gboolean done = FALSE;

  g_subprocess_wait_async (self->process, NULL, on_wait_done, &done);
  ul_test_wait_until (&done, START_TIMEOUT_MS);
}

int
ul_test_daemon_stop (UlTestDaemon *self)
{
  int status;

  g_assert_nonnull (self->process);
  g_subprocess_send_signal (self->process, SIGTERM);
  wait_process (self);
  g_assert_true (g_subprocess_get_if_exited (self->process));
  status = g_subprocess_get_exit_status (self->process);
  g_clear_object (&self->process);
  return status;
}

void
ul_test_daemon_kill (UlTestDaemon *self)
{
  g_assert_nonnull (self->process);
  g_subprocess_force_exit (self->process);
  wait_process (self);
  g_clear_object (&self->process);
}

GVariant *
ul_test_daemon_call (UlTestDaemon *self,
                     const char   *interface_suffix,
                     const char   *method,
                     GVariant     *params,
                     GError      **error)
{
  g_autofree char *interface = *interface_suffix != '\0'
                                 ? g_strconcat (BUS_NAME ".", interface_suffix, NULL)
                                 : g_strdup (BUS_NAME);

  return g_dbus_connection_call_sync (self->connection, BUS_NAME, OBJECT_PATH, interface,
                                      method, params, NULL, G_DBUS_CALL_FLAGS_NONE, 10000,
                                      NULL, error);
}

GVariant *
ul_test_daemon_call_ok (UlTestDaemon *self,
                        const char   *interface_suffix,
                        const char   *method,
                        GVariant     *params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = ul_test_daemon_call (self, interface_suffix, method, params,
                                                   &error);

  g_assert_no_error (error);
  if (g_variant_n_children (reply) == 0)
    return NULL;
  return g_variant_get_child_value (reply, 0);
}

GVariant *
ul_test_daemon_get_property (UlTestDaemon *self, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariant *value = NULL;

  reply = g_dbus_connection_call_sync (self->connection, BUS_NAME, OBJECT_PATH,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", BUS_NAME, name),
                                       G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 10000,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);
  return value;
}

GVariant *
ul_test_dict (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *value = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);

  g_assert_no_error (error);
  return value;
}

void
ul_test_assert_dbus_error (GError *error, const char *name, const char *field)
{
  g_autofree char *remote = NULL;
  g_autofree char *expected = g_strconcat (BUS_NAME ".Error.", name, NULL);

  g_assert_nonnull (error);
  remote = g_dbus_error_get_remote_error (error);
  g_assert_cmpstr (remote, ==, expected);
  if (field != NULL)
    {
      g_autofree char *prefix = g_strconcat (field, ": ", NULL);
      g_dbus_error_strip_remote_error (error);
      if (!g_str_has_prefix (error->message, prefix))
        g_error ("expected an error on field %s, got: %s", field, error->message);
    }
}
