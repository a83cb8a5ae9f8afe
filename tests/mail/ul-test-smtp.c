/* ul-test-smtp.c — the loopback SMTP server of the mail tests. */
#include "config.h"

#include <signal.h>
#include <glib/gstdio.h>

#include "ul-test-smtp.h"

#define START_TIMEOUT_MS 10000

static guint
free_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, TRUE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

UlTestSmtp *
ul_test_smtp_new (void)
{
  UlTestSmtp *self = g_new0 (UlTestSmtp, 1);
  g_autoptr(GError) error = NULL;

  self->port = free_port ();
  self->dir = g_dir_make_tmp ("uplink-smtp-XXXXXX", &error);
  g_assert_no_error (error);
  return self;
}

void
ul_test_smtp_forget (UlTestSmtp *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (self->dir, name, NULL);
      g_unlink (path);
    }
}

void
ul_test_smtp_free (UlTestSmtp *self)
{
  if (self->process != NULL)
    ul_test_smtp_stop (self);
  ul_test_smtp_forget (self);
  g_rmdir (self->dir);
  g_free (self->dir);
  g_free (self);
}

void
ul_test_smtp_start (UlTestSmtp *self, const char * const *extra_args)
{
  const char *python = g_getenv ("UL_PYTHON");
  const char *sink = g_getenv ("UL_SMTP_SINK");
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  g_assert_nonnull (sink);
  g_assert_null (self->process);
  g_ptr_array_add (argv, g_strdup (python != NULL ? python : "/usr/bin/python3"));
  g_ptr_array_add (argv, g_strdup (sink));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", self->port));
  g_ptr_array_add (argv, g_strdup ("--dir"));
  g_ptr_array_add (argv, g_strdup (self->dir));
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra_args[i]));
  g_ptr_array_add (argv, NULL);

  self->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                     G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  /* The sink prints READY once it listens, or exits (and the read ends) on failure. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "READY "))
    g_error ("the SMTP sink did not start (%s)", line != NULL ? line : "exited");
}

static void
on_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

void
ul_test_smtp_stop (UlTestSmtp *self)
{
  gboolean exited = FALSE;

  g_assert_nonnull (self->process);
  g_subprocess_wait_async (self->process, NULL, on_exited, &exited);
  g_subprocess_send_signal (self->process, SIGTERM);
  ul_test_wait_for (is_true, &exited, START_TIMEOUT_MS);
  g_clear_object (&self->process);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
list_files (UlTestSmtp *self, const char *suffix)
{
  g_autoptr(GDir) dir = g_dir_open (self->dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_suffix (name, suffix))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  return names;
}

guint
ul_test_smtp_count (UlTestSmtp *self)
{
  g_autoptr(GPtrArray) names = list_files (self, ".eml");

  return names->len;
}

GPtrArray *
ul_test_smtp_messages (UlTestSmtp *self)
{
  g_autoptr(GPtrArray) names = list_files (self, ".eml");
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < names->len; i++)
    {
      const char *eml = g_ptr_array_index (names, i);
      g_autofree char *stem = g_strndup (eml, strlen (eml) - strlen (".eml"));
      g_autofree char *json = g_strconcat (stem, ".json", NULL);
      g_autofree char *path = g_build_filename (self->dir, json, NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      json_parser_load_from_file (parser, path, &error);
      g_assert_no_error (error);
      g_ptr_array_add (messages, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
    }
  return messages;
}

GPtrArray *
ul_test_smtp_events (UlTestSmtp *self)
{
  g_autofree char *path = g_build_filename (self->dir, "events.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  /* No file: nobody connected yet. */
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return events;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (*lines[i] == '\0')
        continue;
      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      g_ptr_array_add (events, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
    }
  return events;
}

guint
ul_test_smtp_count_events (GPtrArray *events, const char *kind)
{
  guint count = 0;

  for (guint i = 0; i < events->len; i++)
    count += g_strcmp0 (json_object_get_string_member (g_ptr_array_index (events, i), "event"),
                        kind) == 0;
  return count;
}

JsonObject *
ul_test_smtp_find (GPtrArray *messages, const char *address)
{
  for (guint i = messages->len; i-- > 0;)
    {
      JsonObject *message = g_ptr_array_index (messages, i);
      JsonArray *to = json_object_get_array_member (message, "envelopeTo");

      if (json_array_get_length (to) > 0
          && g_strcmp0 (json_array_get_string_element (to, 0), address) == 0)
        return message;
    }
  return NULL;
}

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
ul_test_wait_for (gboolean (*check) (gpointer data), gpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (20, on_tick, NULL);

  while (!check (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %u ms", timeout_ms);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}
