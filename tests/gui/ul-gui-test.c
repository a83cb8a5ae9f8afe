/* ul-gui-test.c — driving the real dashboard widgets under Xvfb against a real uplinkd.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <adwaita.h>
#include <libintl.h>
#include <glib/gstdio.h>

#include "ul-gui-test.h"

#define START_TIMEOUT_MS 15000

/* The schema other Secret Service clients see the dashboard's passwords under; renaming
 * it would orphan every password partners stored, so the tests spell it out. */
#define DASHBOARD_SCHEMA "io.github.uplink.Dashboard.Gateway"
/* The test keyring's own password: the keyring file is encrypted with it. */
#define KEYRING_PASSWORD "uplink-test-keyring-2f9c"

static GSubprocess *xvfb;
static char *scratch;
static UlGuiKeyring keyring_mode;
static GSubprocess *session_bus;
static GSubprocess *keyring;
static GDBusConnection *session;
static guint keyring_signal_id;
static guint keyring_changes;

/* A test that dies (a failed assertion aborts) must not leave its servers behind holding
 * the test runner's pipes open. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocessLauncher *
launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return launcher;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL &&
         g_file_enumerator_iterate (children, &info, NULL, NULL, NULL) && info != NULL)
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* Xvfb picks a free display itself and writes its number to -displayfd. */
static gboolean
start_xvfb (char **reason)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                         G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  char buffer[32] = { 0 };
  int fds[2];
  gssize n = 0;
  gsize got = 0;

  if (pipe (fds) != 0)
    {
      *reason = g_strdup_printf ("pipe: %s", g_strerror (errno));
      return FALSE;
    }
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  xvfb = g_subprocess_launcher_spawn (launcher, &error, "Xvfb", "-displayfd", "3", "-screen", "0",
                                      "1280x900x24", "-nolisten", "tcp", "-noreset", NULL);
  if (xvfb == NULL)
    {
      close (fds[0]);
      *reason = g_strdup_printf ("cannot start Xvfb (install the xvfb package): %s",
                                 error->message);
      return FALSE;
    }

  /* The number ends with a newline; Xvfb writes it once it accepts clients. */
  while (got < sizeof buffer - 1 && (n = read (fds[0], buffer + got, sizeof buffer - 1 - got)) > 0)
    {
      got += (gsize) n;
      if (memchr (buffer, '\n', got) != NULL)
        break;
    }
  close (fds[0]);
  if (got == 0)
    {
      *reason = g_strdup ("Xvfb did not report a display");
      return FALSE;
    }
  display = g_strdup_printf (":%s", g_strstrip (buffer));
  g_setenv ("DISPLAY", display, TRUE);
  return TRUE;
}

static char *wait_for_line (GSubprocess *process, GInputStream *stream, const char *prefix);

/* A session bus of the test's own, without any service files: nothing on it starts by
 * itself, so the only Secret Service there is the one the harness starts. */
static gboolean
start_session_bus (char **reason)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                         G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autofree char *config = g_build_filename (scratch, "session-bus.conf", NULL);
  g_autofree char *socket = g_build_filename (g_getenv ("XDG_RUNTIME_DIR"), "bus", NULL);
  g_autofree char *text = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;

  text = g_strdup_printf ("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus "
                          "Configuration 1.0//EN\" "
                          "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                          "<busconfig><type>session</type><listen>unix:path=%s</listen>"
                          "<policy context=\"default\"><allow send_destination=\"*\"/>"
                          "<allow receive_sender=\"*\"/><allow own=\"*\"/></policy>"
                          "</busconfig>\n",
                          socket);
  if (!g_file_set_contents (config, text, -1, &error))
    {
      *reason = g_strdup_printf ("cannot write %s: %s", config, error->message);
      return FALSE;
    }
  session_bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", "--config-file",
                                             config, "--print-address=1", "--nofork", NULL);
  if (session_bus == NULL)
    {
      *reason = g_strdup_printf ("cannot start dbus-daemon (install dbus-daemon): %s",
                                 error->message);
      return FALSE;
    }
  rest = wait_for_line (session_bus, g_subprocess_get_stdout_pipe (session_bus), "unix:");
  address = g_strconcat ("unix:", rest, NULL);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (session == NULL)
    {
      *reason = g_strdup_printf ("cannot connect to the test's session bus: %s", error->message);
      return FALSE;
    }
  /* The bus ends before the process does (ul_gui_test_cleanup()): that must not kill it. */
  g_dbus_connection_set_exit_on_close (session, FALSE);
  return TRUE;
}

static void
on_keyring_signal (GDBusConnection *connection,
                   const char      *sender,
                   const char      *path,
                   const char      *interface,
                   const char      *signal,
                   GVariant        *parameters,
                   gpointer         user_data)
{
  if (g_str_equal (signal, "ItemCreated") || g_str_equal (signal, "ItemChanged") ||
      g_str_equal (signal, "ItemDeleted"))
    keyring_changes++;
}

static void
on_name_appeared (GDBusConnection *connection, const char *name, const char *owner,
                  gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* gnome-keyring-daemon --unlock reads the password on stdin and, finding no keyring in
 * $XDG_DATA_HOME/keyrings, makes the "login" keyring with it: unlocked, the default
 * collection, so that storing never prompts. Only its Secret Service component. */
static gboolean
start_keyring (char **reason)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *input;
  gboolean appeared = FALSE;
  gboolean late = FALSE;
  guint watch;
  guint timeout;

  launcher = launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  keyring = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground",
                                         "--components=secrets", "--unlock", NULL);
  if (keyring == NULL)
    {
      *reason = g_strdup_printf ("cannot start gnome-keyring-daemon (install gnome-keyring): %s",
                                 error->message);
      return FALSE;
    }
  input = g_subprocess_get_stdin_pipe (keyring);
  if (!g_output_stream_write_all (input, KEYRING_PASSWORD, strlen (KEYRING_PASSWORD), NULL, NULL,
                                  &error) ||
      !g_output_stream_close (input, NULL, &error))
    {
      *reason = g_strdup_printf ("cannot give gnome-keyring-daemon its password: %s",
                                 error->message);
      return FALSE;
    }

  keyring_signal_id = g_dbus_connection_signal_subscribe (session, NULL,
                                                          "org.freedesktop.Secret.Collection",
                                                          NULL, NULL, NULL,
                                                          G_DBUS_SIGNAL_FLAGS_NONE,
                                                          on_keyring_signal, NULL, NULL);
  watch = g_bus_watch_name_on_connection (session, "org.freedesktop.secrets",
                                          G_BUS_NAME_WATCHER_FLAGS_NONE, on_name_appeared, NULL,
                                          &appeared, NULL);
  timeout = g_timeout_add (START_TIMEOUT_MS, on_deadline, &late);
  while (!appeared && !late)
    g_main_context_iteration (NULL, TRUE);
  g_bus_unwatch_name (watch);
  if (!late)
    g_source_remove (timeout);
  if (!appeared)
    {
      *reason = g_strdup_printf ("gnome-keyring-daemon did not own org.freedesktop.secrets "
                                 "within %d ms", START_TIMEOUT_MS);
      return FALSE;
    }
  return TRUE;
}

static UlGuiKeyring
keyring_mode_from_env (void)
{
  const char *mode = g_getenv ("UL_GUI_TEST_KEYRING");

  if (mode == NULL || g_str_equal (mode, "gnome-keyring"))
    return UL_GUI_KEYRING_GNOME;
  if (g_str_equal (mode, "none"))
    return UL_GUI_KEYRING_NONE;
  if (g_str_equal (mode, "no-bus"))
    return UL_GUI_KEYRING_NO_BUS;
  g_error ("UL_GUI_TEST_KEYRING=%s: expected gnome-keyring, none or no-bus", mode);
  return UL_GUI_KEYRING_GNOME;
}

UlGuiKeyring
ul_gui_test_get_keyring (void)
{
  return keyring_mode;
}

gboolean
ul_gui_test_setup (char **reason)
{
  const char *display = g_getenv ("UL_GUI_TEST_DISPLAY");
  const char *dirs[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                         "XDG_RUNTIME_DIR" };

  scratch = g_dir_make_tmp ("uplink-gui-XXXXXX", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (scratch, dirs[i], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (dirs[i], dir, TRUE);
    }
  g_unsetenv ("WAYLAND_DISPLAY");
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  /* Deterministic pixels and no accessibility bus on a private session. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);

  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  else if (!start_xvfb (reason))
    return FALSE;

  keyring_mode = keyring_mode_from_env ();
  if (keyring_mode == UL_GUI_KEYRING_NO_BUS)
    {
      /* A bus address where nothing listens: no bus, and no autolaunch of one either. */
      g_autofree char *nowhere = g_build_filename (g_getenv ("XDG_RUNTIME_DIR"), "no-bus", NULL);
      g_autofree char *address = g_strconcat ("unix:path=", nowhere, NULL);

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      return TRUE;
    }
  if (!start_session_bus (reason))
    return FALSE;
  return keyring_mode == UL_GUI_KEYRING_NONE || start_keyring (reason);
}

void
ul_gui_test_init_gtk (int *argc, char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  /* g_test_init() makes warnings fatal; GTK 4.8 warns "GtkText - did not receive a
   * focus-out event" whenever focus moves between windows on an X server without a window
   * manager, as under Xvfb. Criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  adw_init ();
  /* The catalogs this build compiled, as the installed app finds its own. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("UL_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* Screenshots of finished transitions, not of slides half-way. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

gboolean
ul_gui_test_init (int *argc, char ***argv, char **reason)
{
  if (!ul_gui_test_setup (reason))
    return FALSE;
  ul_gui_test_init_gtk (argc, argv);
  return TRUE;
}

static void
stop_process (GSubprocess **process)
{
  if (*process == NULL)
    return;
  g_subprocess_send_signal (*process, SIGTERM);
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

void
ul_gui_test_cleanup (void)
{
  if (keyring_signal_id != 0)
    g_dbus_connection_signal_unsubscribe (session, keyring_signal_id);
  keyring_signal_id = 0;
  stop_process (&keyring);
  g_clear_object (&session);
  stop_process (&session_bus);
  if (xvfb != NULL)
    {
      g_subprocess_send_signal (xvfb, SIGTERM);
      g_subprocess_wait (xvfb, NULL, NULL);
      g_clear_object (&xvfb);
    }
  if (scratch != NULL)
    remove_tree (scratch);
  g_clear_pointer (&scratch, g_free);
}

/* ---- the keyring, as another client sees it ---- */

static char *
secret_tool (int *status, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) "secret-tool");
  va_start (ap, status);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error);
  if (process == NULL)
    g_error ("cannot run secret-tool (install libsecret-tools): %s", error->message);
  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error))
    g_error ("secret-tool: %s", error->message);
  *status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  return g_steal_pointer (&out);
}

char *
ul_gui_keyring_lookup (const char *gateway_id, const char *email)
{
  int status;
  g_autofree char *out = secret_tool (&status, "lookup", "xdg:schema", DASHBOARD_SCHEMA,
                                      "gateway-id", gateway_id, "email", email, NULL);

  if (status != 0 || out == NULL || *out == '\0')
    return NULL;
  return g_steal_pointer (&out);
}

guint
ul_gui_keyring_count (const char *gateway_id)
{
  int status;
  g_autofree char *out = secret_tool (&status, "search", "--all", "xdg:schema", DASHBOARD_SCHEMA,
                                      "gateway-id", gateway_id, NULL);
  g_auto(GStrv) lines = g_strsplit (out != NULL ? out : "", "\n", -1);
  guint n = 0;

  /* One "[/org/freedesktop/secrets/collection/…]" header per item. */
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] == '[')
      n++;
  return n;
}

guint
ul_gui_keyring_get_changes (void)
{
  return keyring_changes;
}

/* Files are binary too (the keyring's, caches): no string functions. */
static gboolean
contains_bytes (const char *data, gsize length, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n > 0 && i + n <= length; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static void
find_in_tree (const char *path, const char *needle, GPtrArray *found, guint *n_files)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        find_in_tree (child, needle, found, n_files);
      else if (g_file_test (child, G_FILE_TEST_IS_REGULAR) &&
               g_file_get_contents (child, &contents, &length, NULL))
        {
          (*n_files)++;
          if (contains_bytes (contents, length, needle))
            g_ptr_array_add (found, g_steal_pointer (&child));
        }
    }
}

GStrv
ul_gui_find_in_files (const char *needle, guint *n_files)
{
  const char *dirs[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME" };
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  guint count = 0;

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    find_in_tree (g_getenv (dirs[i]), needle, found, &count);
  if (n_files != NULL)
    *n_files = count;
  g_ptr_array_add (found, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&found), FALSE);
}

/* ---- processes ---- */

/* Reads @stream line by line until one starts with @prefix; returns the rest of it. */
static char *
wait_for_line (GSubprocess *process, GInputStream *stream, const char *prefix)
{
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (stream);
  gint64 deadline = g_get_monotonic_time () + START_TIMEOUT_MS * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      if (line == NULL)
        g_error ("%s ended before printing “%s”%s%s",
                 g_subprocess_get_identifier (process), prefix, error != NULL ? ": " : "",
                 error != NULL ? error->message : "");
      if (g_str_has_prefix (line, prefix))
        {
          /* Keep the pipe drained so that the child never blocks on stdout. */
          g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (lines), FALSE);
          return g_strdup (line + strlen (prefix));
        }
    }
  g_error ("timed out waiting for “%s”", prefix);
  return NULL;
}

UlGuiGateway *
ul_gui_gateway_start (void)
{
  UlGuiGateway *self = g_new0 (UlGuiGateway, 1);
  const char *uplinkd = g_getenv ("UL_UPLINKD");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *bus_config = NULL;
  g_autofree char *address = NULL;
  g_autofree char *ports = NULL;
  g_autoptr(GSubprocess) bus = NULL;

  g_assert_nonnull (uplinkd);
  self->root = g_dir_make_tmp ("uplink-gw-XXXXXX", &error);
  g_assert_no_error (error);
  self->data_dir = g_build_filename (self->root, "state", NULL);
  config = g_build_filename (self->root, "uplinkd.conf", NULL);
  g_file_set_contents (config, "[uplinkd]\n", -1, &error);
  g_assert_no_error (error);

  /* A bus of its own: several gateways run at once, each owning the same name. */
  bus_config = g_build_filename (self->root, "bus.conf", NULL);
  g_file_set_contents (bus_config,
                       "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
                       "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                       "<busconfig><type>session</type><listen>unix:tmpdir=/tmp</listen>"
                       "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
                       "<allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n",
                       -1, &error);
  g_assert_no_error (error);
  launcher = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  bus = g_subprocess_launcher_spawn (launcher, &error, "dbus-daemon", "--config-file", bus_config,
                                     "--print-address=1", "--nofork", NULL);
  g_assert_no_error (error);
  address = wait_for_line (bus, g_subprocess_get_stdout_pipe (bus), "unix:");
  address = g_strconcat ("unix:", address, NULL);
  g_object_set_data_full (G_OBJECT (self->bus = g_dbus_connection_new_for_address_sync (
                                      address,
                                      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                      NULL, NULL, &error)),
                          "ul-bus-process", g_steal_pointer (&bus), g_object_unref);
  g_assert_no_error (error);

  g_clear_object (&launcher);
  launcher = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  self->process = g_subprocess_launcher_spawn (launcher, &error, uplinkd, "--session",
                                               "--data-dir", self->data_dir, "--config", config,
                                               "--https-port", "0", "--http-port", "-1",
                                               "--listen", "127.0.0.1", NULL);
  g_assert_no_error (error);
  ports = wait_for_line (self->process, g_subprocess_get_stdout_pipe (self->process),
                         "listening https=");
  self->https_port = (guint) g_ascii_strtoull (ports, NULL, 10);
  g_assert_cmpuint (self->https_port, >, 0);
  return self;
}

void
ul_gui_gateway_stop (UlGuiGateway *self)
{
  if (self->process == NULL)
    return;
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->process);
}

void
ul_gui_gateway_free (UlGuiGateway *self)
{
  GSubprocess *bus;

  ul_gui_gateway_stop (self);
  bus = g_object_get_data (G_OBJECT (self->bus), "ul-bus-process");
  g_dbus_connection_close_sync (self->bus, NULL, NULL);
  if (bus != NULL)
    {
      g_subprocess_send_signal (bus, SIGTERM);
      g_subprocess_wait (bus, NULL, NULL);
    }
  g_clear_object (&self->bus);
  remove_tree (self->root);
  g_free (self->root);
  g_free (self->data_dir);
  g_free (self);
}

char *
ul_gui_gateway_address (UlGuiGateway *self)
{
  return g_strdup_printf ("127.0.0.1:%u", self->https_port);
}

GVariant *
ul_gui_gateway_call (UlGuiGateway *self, const char *iface, const char *method, GVariant *params,
                     GError **error)
{
  g_autofree char *name = *iface != '\0' ? g_strconcat ("io.github.uplink.Gateway1.", iface, NULL)
                                         : g_strdup ("io.github.uplink.Gateway1");

  return g_dbus_connection_call_sync (self->bus, "io.github.uplink.Gateway1",
                                      "/io/github/uplink/Gateway1", name, method, params, NULL,
                                      G_DBUS_CALL_FLAGS_NONE, 10000, NULL, error);
}

UlGuiPbx *
ul_gui_pbx_start (int users)
{
  UlGuiPbx *self = g_new0 (UlGuiPbx, 1);
  const char *pbxsim = g_getenv ("UL_PBXSIM");
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                         G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;
  g_autofree char *listening = NULL;
  g_autofree char *count = g_strdup_printf ("%d", users);
  const char *colon;

  g_assert_nonnull (pbxsim);
  self->root = g_dir_make_tmp ("uplink-pbx-XXXXXX", &error);
  g_assert_no_error (error);
  self->csv = g_build_filename (self->root, "users.csv", NULL);
  if (users < 0)
    self->process = g_subprocess_launcher_spawn (launcher, &error, pbxsim, "--demo", "--port", "0",
                                                 "--username", "cloudlink", "--password",
                                                 "demo-secret", "--export-csv", self->csv, NULL);
  else
    self->process = g_subprocess_launcher_spawn (launcher, &error, pbxsim, "--users", count,
                                                 "--port", "0", "--username", "cloudlink",
                                                 "--password", "demo-secret", "--export-csv",
                                                 self->csv, NULL);
  g_assert_no_error (error);
  listening = wait_for_line (self->process, g_subprocess_get_stdout_pipe (self->process),
                             "uplink-pbxsim listening on ");
  colon = strrchr (listening, ':');
  g_assert_nonnull (colon);
  self->port = (guint) g_ascii_strtoull (colon + 1, NULL, 10);
  return self;
}

void
ul_gui_pbx_free (UlGuiPbx *self)
{
  if (self->process != NULL)
    {
      g_subprocess_send_signal (self->process, SIGTERM);
      g_subprocess_wait (self->process, NULL, NULL);
      g_clear_object (&self->process);
    }
  remove_tree (self->root);
  g_free (self->root);
  g_free (self->csv);
  g_free (self);
}

/* ---- widgets ---- */

static gboolean
on_wake (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

void
ul_gui_iterate (void)
{
  guint id = g_timeout_add (10, on_wake, NULL);

  g_main_context_iteration (NULL, TRUE);
  /* Remove it only if the iteration ran something else first. */
  if (g_main_context_find_source_by_id (NULL, id) != NULL)
    g_source_remove (id);
}

void
ul_gui_settle (GtkWidget *widget)
{
  /* Bounded: a running spinner keeps the frame clock, and so the context, always busy. */
  gint64 deadline = g_get_monotonic_time () + 300 * 1000;

  while (g_main_context_pending (NULL) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  if (widget != NULL && gtk_widget_get_mapped (widget))
    gtk_test_widget_wait_for_draw (widget);
}

static const char *
widget_label (GtkWidget *widget)
{
  if (ADW_IS_PREFERENCES_ROW (widget))
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  if (ADW_IS_PREFERENCES_GROUP (widget))
    return adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget));
  if (GTK_IS_BUTTON (widget))
    {
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (widget));

      if (gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
        return gtk_button_get_label (GTK_BUTTON (widget));
      if (GTK_IS_LABEL (child))
        return gtk_label_get_label (GTK_LABEL (child));
      return gtk_widget_get_tooltip_text (widget);
    }
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));
  if (GTK_IS_WINDOW (widget))
    return gtk_window_get_title (GTK_WINDOW (widget));
  return NULL;
}

/* Labels with mnemonics ("_Save") match their plain text ("Save"). */
static gboolean
label_matches (const char *have, const char *want)
{
  g_autoptr(GString) plain = NULL;

  if (want == NULL)
    return TRUE;
  if (have == NULL)
    return FALSE;
  plain = g_string_new (have);
  g_string_replace (plain, "_", "", 0);
  return g_str_equal (have, want) || g_str_equal (plain->str, want);
}

GtkWidget *
ul_gui_find (GtkWidget *root, GType type, const char *label)
{
  if (root == NULL)
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && label_matches (widget_label (root), label))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ul_gui_find (child, type, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
ul_gui_get (GtkWidget *root, GType type, const char *label)
{
  GtkWidget *found = ul_gui_find (root, type, label);

  if (found == NULL)
    g_error ("no %s “%s” under %s", g_type_name (type), label != NULL ? label : "(any)",
             G_OBJECT_TYPE_NAME (root));
  return found;
}

GtkWindow *
ul_gui_find_window (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

void
ul_gui_click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
}

void
ul_gui_type (GtkWidget *editable, const char *text)
{
  g_assert_true (GTK_IS_EDITABLE (editable));
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

void
ul_gui_snapshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("UL_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width;
  int height;

  if (dir == NULL)
    return;
  ul_gui_settle (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}
