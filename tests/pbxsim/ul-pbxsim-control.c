/* ul-pbxsim-control.c — line-based control channel of uplink-pbxsim. */
#define G_LOG_DOMAIN "uplink-pbxsim"

#include "ul-pbxsim-control.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>

#include "ul-pbxsim-calls.h"
#include "ul-pbxsim-error.h"

/* Commands longer than this are refused. */
#define MAX_LINE 4096

struct _UlPbxsimControl
{
  GObject parent_instance;

  UlPbxsimServer *server;
  GSocketService *service;
  char *unix_path; /* removed again on shutdown */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (UlPbxsimControl, ul_pbxsim_control, G_TYPE_OBJECT)

static const char help_text[] =
  "commands: status | fault refuse|hangup|stall|wrong-credentials|split|coalesce on|off"
  " | fault drop | fault malformed [header|length|invoke|xml] | fault unknown-event"
  " | fault session-expiry | fault clear | call incoming <from> <to-ext>"
  " | call answer|clear|hold|retrieve <ext> | user add <ext> <name> [email|-] [group]"
  " | user remove <ext> | user rename <ext> <name> | export csv <path>"
  " | export ldif <path> <base-dn> | set max-monitors <n> | set answer-delay <ms> | help";

static void
ul_pbxsim_control_dispose (GObject *object)
{
  UlPbxsimControl *self = UL_PBXSIM_CONTROL (object);

  ul_pbxsim_control_shutdown (self);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (ul_pbxsim_control_parent_class)->dispose (object);
}

static void
ul_pbxsim_control_finalize (GObject *object)
{
  UlPbxsimControl *self = UL_PBXSIM_CONTROL (object);

  g_clear_object (&self->cancellable);
  g_free (self->unix_path);

  G_OBJECT_CLASS (ul_pbxsim_control_parent_class)->finalize (object);
}

static void
ul_pbxsim_control_class_init (UlPbxsimControlClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ul_pbxsim_control_dispose;
  object_class->finalize = ul_pbxsim_control_finalize;
}

static void
ul_pbxsim_control_init (UlPbxsimControl *self)
{
  self->cancellable = g_cancellable_new ();
}

UlPbxsimControl *
ul_pbxsim_control_new (UlPbxsimServer *server)
{
  UlPbxsimControl *self = g_object_new (UL_TYPE_PBXSIM_CONTROL, NULL);

  self->server = g_object_ref (server);

  return self;
}

/* ---- commands ----------------------------------------------------------------------- */

static gboolean
parse_switch (const char *word, gboolean *out, GError **error)
{
  if (g_strcmp0 (word, "on") == 0)
    *out = TRUE;
  else if (g_strcmp0 (word, "off") == 0)
    *out = FALSE;
  else
    {
      g_set_error_literal (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID, "expected on or off");
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_fault (UlPbxsimControl *self, char **argv, guint argc, char **reply, GError **error)
{
  UlPbxsimFaults *faults = ul_pbxsim_server_get_faults (self->server);
  const char *what = argc > 1 ? argv[1] : "";
  gboolean *flag = NULL;
  gboolean on;

  if (g_str_equal (what, "drop"))
    ul_pbxsim_server_drop_links (self->server);
  else if (g_str_equal (what, "unknown-event"))
    ul_pbxsim_server_send_unknown_event (self->server);
  else if (g_str_equal (what, "session-expiry"))
    ul_pbxsim_server_expire_sessions (self->server);
  else if (g_str_equal (what, "malformed"))
    {
      const char *kind = argc > 2 ? argv[2] : "header";

      if (g_str_equal (kind, "header"))
        ul_pbxsim_server_send_malformed (self->server, UL_PBXSIM_MALFORMED_HEADER);
      else if (g_str_equal (kind, "length"))
        ul_pbxsim_server_send_malformed (self->server, UL_PBXSIM_MALFORMED_LENGTH);
      else if (g_str_equal (kind, "invoke"))
        ul_pbxsim_server_send_malformed (self->server, UL_PBXSIM_MALFORMED_INVOKE);
      else if (g_str_equal (kind, "xml"))
        ul_pbxsim_server_send_malformed (self->server, UL_PBXSIM_MALFORMED_XML);
      else
        {
          g_set_error (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID,
                       "unknown malformation %s", kind);
          return FALSE;
        }
    }
  else if (g_str_equal (what, "clear"))
    {
      ul_pbxsim_server_set_refuse (self->server, FALSE);
      *faults = (UlPbxsimFaults) { 0 };
    }
  else if (g_str_equal (what, "refuse"))
    {
      if (!parse_switch (argc > 2 ? argv[2] : NULL, &on, error))
        return FALSE;
      ul_pbxsim_server_set_refuse (self->server, on);
    }
  else
    {
      if (g_str_equal (what, "hangup"))
        flag = &faults->hangup;
      else if (g_str_equal (what, "stall"))
        flag = &faults->stall;
      else if (g_str_equal (what, "wrong-credentials"))
        flag = &faults->wrong_credentials;
      else if (g_str_equal (what, "split"))
        flag = &faults->split;
      else if (g_str_equal (what, "coalesce"))
        flag = &faults->coalesce;

      if (flag == NULL)
        {
          g_set_error (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID, "unknown fault \"%s\"", what);
          return FALSE;
        }
      if (!parse_switch (argc > 2 ? argv[2] : NULL, flag, error))
        return FALSE;
    }

  g_message ("control: fault %s%s%s", what, argc > 2 ? " " : "", argc > 2 ? argv[2] : "");
  *reply = g_strdup_printf ("fault %s", what);

  return TRUE;
}

static gboolean
run_call (UlPbxsimControl *self, char **argv, guint argc, char **reply, GError **error)
{
  UlPbxsimCalls *calls = ul_pbxsim_server_get_calls (self->server);
  const char *what = argc > 1 ? argv[1] : "";
  g_autofree char *device = NULL;
  gboolean ok;

  if (g_str_equal (what, "incoming"))
    {
      g_autofree char *to = NULL;
      char *call_id;

      if (argc != 4)
        {
          g_set_error_literal (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID,
                               "usage: call incoming <from> <to-ext>");
          return FALSE;
        }
      to = ul_pbxsim_normalize_device (argv[3]);
      call_id = ul_pbxsim_calls_incoming (calls, argv[2], to, error);
      if (call_id == NULL)
        return FALSE;
      *reply = g_strdup_printf ("call=%s", call_id);
      g_free (call_id);
      return TRUE;
    }

  if (argc != 3)
    {
      g_set_error_literal (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID,
                           "usage: call answer|clear|hold|retrieve <ext>");
      return FALSE;
    }

  device = ul_pbxsim_normalize_device (argv[2]);
  if (g_str_equal (what, "answer"))
    ok = ul_pbxsim_calls_answer_device (calls, device, error);
  else if (g_str_equal (what, "clear"))
    ok = ul_pbxsim_calls_clear_device (calls, device, error);
  else if (g_str_equal (what, "hold"))
    ok = ul_pbxsim_calls_hold_device (calls, device, error);
  else if (g_str_equal (what, "retrieve"))
    ok = ul_pbxsim_calls_retrieve_device (calls, device, error);
  else
    {
      g_set_error (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID, "unknown call command %s", what);
      return FALSE;
    }

  if (ok)
    *reply = g_strdup_printf ("call %s %s", what, device);

  return ok;
}

static gboolean
run_user (UlPbxsimControl *self, char **argv, guint argc, char **reply, GError **error)
{
  UlPbxsimDirectory *directory = ul_pbxsim_server_get_directory (self->server);
  const char *what = argc > 1 ? argv[1] : "";
  gboolean ok;

  if (g_str_equal (what, "add") && argc >= 4 && argc <= 6)
    {
      const char *email = argc > 4 && !g_str_equal (argv[4], "-") ? argv[4] : NULL;

      ok = ul_pbxsim_directory_add (directory, argv[2], argv[3], email, argc > 5 ? argv[5] : NULL,
                                    error);
    }
  else if (g_str_equal (what, "remove") && argc == 3)
    ok = ul_pbxsim_directory_remove (directory, argv[2], error);
  else if (g_str_equal (what, "rename") && argc == 4)
    ok = ul_pbxsim_directory_rename (directory, argv[2], argv[3], error);
  else
    {
      g_set_error_literal (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID,
                           "usage: user add <ext> <name> [email|-] [group] | user remove <ext>"
                           " | user rename <ext> <name>");
      return FALSE;
    }

  if (ok)
    *reply = g_strdup_printf ("user %s %s users=%u", what, argv[2],
                              ul_pbxsim_directory_get_n_users (directory));

  return ok;
}

static gboolean
run_export (UlPbxsimControl *self, char **argv, guint argc, char **reply, GError **error)
{
  UlPbxsimDirectory *directory = ul_pbxsim_server_get_directory (self->server);
  const char *what = argc > 1 ? argv[1] : "";
  gboolean ok;

  if (g_str_equal (what, "csv") && argc == 3)
    ok = ul_pbxsim_directory_export_csv (directory, argv[2], error);
  else if (g_str_equal (what, "ldif") && argc == 4)
    ok = ul_pbxsim_directory_export_ldif (directory, argv[2], argv[3], error);
  else
    {
      g_set_error_literal (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID,
                           "usage: export csv <path> | export ldif <path> <base-dn>");
      return FALSE;
    }

  if (ok)
    *reply = g_strdup_printf ("export %s %s users=%u", what, argv[2],
                              ul_pbxsim_directory_get_n_users (directory));

  return ok;
}

static gboolean
run_set (UlPbxsimControl *self, char **argv, guint argc, char **reply, GError **error)
{
  gint64 value;

  if (argc != 3 || !g_ascii_string_to_signed (argv[2], 10, -1, G_MAXINT, &value, NULL))
    {
      g_set_error_literal (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID,
                           "usage: set max-monitors <n> | set answer-delay <ms>");
      return FALSE;
    }

  if (g_str_equal (argv[1], "max-monitors") && value >= 0)
    ul_pbxsim_server_set_max_monitors (self->server, value);
  else if (g_str_equal (argv[1], "answer-delay"))
    ul_pbxsim_server_set_answer_delay (self->server, value);
  else
    {
      g_set_error (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID, "cannot set %s to %s",
                   argv[1], argv[2]);
      return FALSE;
    }

  *reply = g_strdup_printf ("%s=%s", argv[1], argv[2]);

  return TRUE;
}

char *
ul_pbxsim_control_execute (UlPbxsimControl *self, const char *line)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  gboolean ok = FALSE;
  guint argc;

  g_return_val_if_fail (UL_IS_PBXSIM_CONTROL (self), NULL);

  if (!g_shell_parse_argv (line, NULL, &argv, &error))
    return g_strdup_printf ("error %s", error->message);

  argc = g_strv_length (argv);
  if (g_str_equal (argv[0], "status"))
    {
      reply = ul_pbxsim_server_describe (self->server);
      ok = TRUE;
    }
  else if (g_str_equal (argv[0], "help"))
    {
      reply = g_strdup (help_text);
      ok = TRUE;
    }
  else if (g_str_equal (argv[0], "fault"))
    ok = run_fault (self, argv, argc, &reply, &error);
  else if (g_str_equal (argv[0], "call"))
    ok = run_call (self, argv, argc, &reply, &error);
  else if (g_str_equal (argv[0], "user"))
    ok = run_user (self, argv, argc, &reply, &error);
  else if (g_str_equal (argv[0], "export"))
    ok = run_export (self, argv, argc, &reply, &error);
  else if (g_str_equal (argv[0], "set"))
    ok = run_set (self, argv, argc, &reply, &error);
  else
    g_set_error (&error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID,
                 "unknown command \"%s\" (try help)", argv[0]);

  if (!ok)
    {
      g_autofree char *message = g_strdelimit (g_strdup (error->message), "\r\n", ' ');

      return g_strdup_printf ("error %s", message);
    }

  return g_strdup_printf ("ok %s", reply != NULL ? reply : "");
}

/* ---- connections -------------------------------------------------------------------- */

typedef struct
{
  UlPbxsimControl *control; /* referenced */
  GIOStream *stream;
  GDataInputStream *in;
  GString *reply;
} Client;

static void
client_free (Client *client)
{
  g_io_stream_close (client->stream, NULL, NULL);
  g_object_unref (client->stream);
  g_object_unref (client->in);
  g_object_unref (client->control);
  g_string_free (client->reply, TRUE);
  g_free (client);
}

static void read_command (Client *client);

static void
on_reply_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Client *client = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      client_free (client);
      return;
    }

  read_command (client);
}

static void
on_command (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Client *client = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *reply = NULL;
  gsize len;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, &len,
                                                    &error);
  if (line == NULL)
    {
      /* EOF, a read error, or a line that is not UTF-8: the conversation is over. */
      client_free (client);
      return;
    }

  g_strstrip (line);
  if (*line == '\0' || *line == '#')
    {
      read_command (client);
      return;
    }

  reply = len > MAX_LINE ? g_strdup ("error line too long")
                         : ul_pbxsim_control_execute (client->control, line);
  g_debug ("control: %s -> %s", line, reply);

  g_string_assign (client->reply, reply);
  g_string_append_c (client->reply, '\n');
  g_output_stream_write_all_async (g_io_stream_get_output_stream (client->stream),
                                   client->reply->str, client->reply->len, G_PRIORITY_DEFAULT,
                                   client->control->cancellable, on_reply_written, client);
}

static void
read_command (Client *client)
{
  g_data_input_stream_read_line_async (client->in, G_PRIORITY_DEFAULT,
                                       client->control->cancellable, on_command, client);
}

static gboolean
on_incoming (GSocketService *service,
             GSocketConnection *connection,
             GObject *source_object,
             gpointer user_data)
{
  UlPbxsimControl *self = user_data;
  Client *client = g_new0 (Client, 1);

  client->control = g_object_ref (self);
  client->stream = G_IO_STREAM (g_object_ref (connection));
  client->in = g_data_input_stream_new (g_io_stream_get_input_stream (client->stream));
  client->reply = g_string_new (NULL);
  g_data_input_stream_set_newline_type (client->in, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  read_command (client);

  return TRUE;
}

static void
ensure_service (UlPbxsimControl *self)
{
  if (self->service != NULL)
    return;

  self->service = g_socket_service_new ();
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
}

gboolean
ul_pbxsim_control_listen_tcp (UlPbxsimControl *self,
                              const char *address,
                              guint16 port,
                              guint16 *out_port,
                              GError **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;

  g_return_val_if_fail (UL_IS_PBXSIM_CONTROL (self), FALSE);

  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "\"%s\" is not an IP address", address);
      return FALSE;
    }

  ensure_service (self);
  socket_address = g_inet_socket_address_new (inet, port);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), socket_address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &effective, error))
    return FALSE;

  if (out_port != NULL)
    *out_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_socket_service_start (self->service);

  return TRUE;
}

gboolean
ul_pbxsim_control_listen_unix (UlPbxsimControl *self, const char *path, GError **error)
{
  g_autoptr(GSocketAddress) address = NULL;

  g_return_val_if_fail (UL_IS_PBXSIM_CONTROL (self), FALSE);

  /* A socket left behind by a killed simulator would make bind() fail. */
  if (g_file_test (path, G_FILE_TEST_EXISTS) && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_unlink (path);

  ensure_service (self);
  address = g_unix_socket_address_new (path);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, NULL, NULL,
                                      error))
    return FALSE;

  g_free (self->unix_path);
  self->unix_path = g_strdup (path);
  g_socket_service_start (self->service);

  return TRUE;
}

void
ul_pbxsim_control_shutdown (UlPbxsimControl *self)
{
  g_return_if_fail (UL_IS_PBXSIM_CONTROL (self));

  g_cancellable_cancel (self->cancellable);
  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
      g_signal_handlers_disconnect_by_data (self->service, self);
      g_clear_object (&self->service);
    }
  if (self->unix_path != NULL)
    {
      g_unlink (self->unix_path);
      g_clear_pointer (&self->unix_path, g_free);
    }
}
