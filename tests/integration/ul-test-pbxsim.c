/* ul-test-pbxsim.c — run uplink-pbxsim for the integration tests and benchmarks. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "ul-test-pbxsim.h"

#define START_TIMEOUT_MS   10000
#define STOP_TIMEOUT_MS    10000
#define CONTROL_TIMEOUT_S  10

/* A test that aborts must not leave the simulator running: it dies with us. */
static void
child_setup (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

typedef struct
{
  gboolean done;
  char    *line;
} LineRead;

static void
on_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, NULL);
  read->done = TRUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The next stdout line, or NULL at EOF; fails the test when none comes in time. */
static char *
read_announcement (GDataInputStream *out)
{
  LineRead read = { 0 };
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (START_TIMEOUT_MS, on_timeout, &timed_out);

  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_line, &read);
  while (!read.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  if (!read.done)
    g_error ("uplink-pbxsim did not say where it listens within %d ms", START_TIMEOUT_MS);
  return read.line;
}

static guint16
parse_port (const char *line, const char *prefix)
{
  const char *colon;
  guint64 port = 0;

  if (line == NULL || !g_str_has_prefix (line, prefix))
    g_error ("unexpected uplink-pbxsim output: %s", line != NULL ? line : "(EOF)");
  colon = strrchr (line, ':');
  g_assert_nonnull (colon);
  g_assert_true (g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &port, NULL));
  return (guint16) port;
}

static void
connect_control (UlTestPbxsim *self)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;

  /* Loopback: no proxy lookup (libproxy also trips ASan's C++ exception interceptor). */
  g_socket_client_set_enable_proxy (client, FALSE);
  self->control = g_socket_client_connect_to_host (client, "127.0.0.1", self->control_port, NULL,
                                                   &error);
  g_assert_no_error (error);
  /* A command that gets no reply fails the test instead of hanging it. */
  g_socket_set_timeout (g_socket_connection_get_socket (self->control), CONTROL_TIMEOUT_S);
  self->control_in = g_data_input_stream_new (
    g_io_stream_get_input_stream (G_IO_STREAM (self->control)));
  g_data_input_stream_set_newline_type (self->control_in, G_DATA_STREAM_NEWLINE_TYPE_LF);
}

UlTestPbxsim *
ul_test_pbxsim_startv (const char * const *args)
{
  const char *binary = g_getenv ("UL_PBXSIM");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *control_line = NULL;
  g_autofree char *listen_line = NULL;
  UlTestPbxsim *self = g_new0 (UlTestPbxsim, 1);

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  g_ptr_array_add (argv, "--port");
  g_ptr_array_add (argv, "0");
  g_ptr_array_add (argv, "--control-port");
  g_ptr_array_add (argv, "-1");
  for (gsize i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  /* The pipe stays open with the subprocess: closing it would SIGPIPE a later print. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (out), FALSE);
  control_line = read_announcement (out);
  self->control_port = parse_port (control_line, "uplink-pbxsim control on ");
  listen_line = read_announcement (out);
  self->port = parse_port (listen_line, "uplink-pbxsim listening on ");

  self->dir = g_dir_make_tmp ("uplink-pbxsim-XXXXXX", &error);
  g_assert_no_error (error);
  connect_control (self);
  return self;
}

UlTestPbxsim *
ul_test_pbxsim_start (const char *first_arg, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return ul_test_pbxsim_startv ((const char * const *) args->pdata);
}

static void
on_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
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

void
ul_test_pbxsim_stop (UlTestPbxsim *self)
{
  gboolean exited = FALSE;
  gboolean timed_out = FALSE;
  guint id;

  if (self == NULL)
    return;

  if (self->control != NULL)
    g_io_stream_close (G_IO_STREAM (self->control), NULL, NULL);
  g_clear_object (&self->control_in);
  g_clear_object (&self->control);

  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait_async (self->process, NULL, on_exited, &exited);
  id = g_timeout_add (STOP_TIMEOUT_MS, on_timeout, &timed_out);
  while (!exited && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    {
      g_subprocess_force_exit (self->process);
      while (!exited)
        g_main_context_iteration (NULL, TRUE);
    }
  else
    g_source_remove (id);
  g_clear_object (&self->process);

  remove_dir (self->dir);
  g_free (self->dir);
  g_free (self);
}

char *
ul_test_pbxsim_command_full (UlTestPbxsim *self, const char *command, GError **error)
{
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (self->control));
  g_autofree char *line = g_strconcat (command, "\n", NULL);
  g_autofree char *reply = NULL;
  g_autoptr(GError) local_error = NULL;

  g_assert_null (strchr (command, '\n'));
  g_output_stream_write_all (output, line, strlen (line), NULL, NULL, &local_error);
  g_assert_no_error (local_error);
  reply = g_data_input_stream_read_line_utf8 (self->control_in, NULL, NULL, &local_error);
  g_assert_no_error (local_error);
  g_assert_nonnull (reply);

  if (g_str_has_prefix (reply, "ok"))
    return g_strdup (g_strchug (reply + 2));
  g_assert_true (g_str_has_prefix (reply, "error "));
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", reply + strlen ("error "));
  return NULL;
}

char *
ul_test_pbxsim_command (UlTestPbxsim *self, const char *format, ...)
{
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;
  char *reply;

  va_start (ap, format);
  command = g_strdup_vprintf (format, ap);
  va_end (ap);

  reply = ul_test_pbxsim_command_full (self, command, &error);
  if (reply == NULL)
    g_error ("uplink-pbxsim refused \"%s\": %s", command, error->message);
  g_test_message ("pbxsim: %s → %s", command, reply);
  return reply;
}

char *
ul_test_pbxsim_status (UlTestPbxsim *self, const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = ul_test_pbxsim_command_full (self, "status", &error);
  g_auto(GStrv) pairs = NULL;
  g_autofree char *prefix = g_strconcat (key, "=", NULL);

  g_assert_no_error (error);
  pairs = g_strsplit (reply, " ", -1);
  for (gsize i = 0; pairs[i] != NULL; i++)
    if (g_str_has_prefix (pairs[i], prefix))
      return g_uri_unescape_string (pairs[i] + strlen (prefix), NULL);
  g_error ("uplink-pbxsim status has no %s: %s", key, reply);
  return NULL;
}

guint
ul_test_pbxsim_status_uint (UlTestPbxsim *self, const char *key)
{
  g_autofree char *value = ul_test_pbxsim_status (self, key);
  guint64 number = 0;

  g_assert_true (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &number, NULL));
  return (guint) number;
}

char *
ul_test_pbxsim_export (UlTestPbxsim *self, const char *name, const char *ldif_base)
{
  char *path = g_build_filename (self->dir, name, NULL);
  g_autofree char *quoted = g_shell_quote (path);
  g_autofree char *reply = NULL;

  if (ldif_base != NULL)
    {
      g_autofree char *base = g_shell_quote (ldif_base);
      reply = ul_test_pbxsim_command (self, "export ldif %s %s", quoted, base);
    }
  else
    reply = ul_test_pbxsim_command (self, "export csv %s", quoted);
  return path;
}

guint16
ul_test_pbxsim_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}
