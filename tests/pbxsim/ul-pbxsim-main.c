/* ul-pbxsim-main.c — uplink-pbxsim: a MiVoice Office 400 stand-in for tests and demos.
 *
 * A CSTA server following csta.md rules 21–25, a user directory exported as CSV or LDIF,
 * fault injection, and a control channel that tests drive line by line.
 */
#define G_LOG_DOMAIN "uplink-pbxsim"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib-unix.h>

#include "ul-pbxsim-control.h"
#include "ul-pbxsim-directory.h"
#include "ul-pbxsim-server.h"

typedef struct
{
  gint port;
  char *listen;
  gint users;
  gint first_extension;
  char *users_file;
  gboolean demo;
  char *username;
  char *password;
  gboolean require_session;
  gint session_duration;
  gint session_grace;
  gint system_status_interval;
  gint max_monitors;
  gint answer_delay;
  gint event_delay;
  gint sfd_segment;
  char *ns;
  gint control_port;
  char *control_socket;
  char *export_csv;
  char *export_ldif;
  char *ldif_base;
  gboolean export_only;
  gboolean verbose;
  gboolean version;
} Options;

static Options opts = {
  .port = 7001,
  .users = -1,
  .first_extension = 201,
  .require_session = TRUE,
  .session_grace = 10,
  .answer_delay = 300,
  .sfd_segment = 10,
};

static gboolean
parse_require_session (const char *name, const char *value, gpointer data, GError **error)
{
  if (value == NULL || g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1") ||
      g_ascii_strcasecmp (value, "yes") == 0)
    opts.require_session = TRUE;
  else if (g_ascii_strcasecmp (value, "false") == 0 || g_str_equal (value, "0") ||
           g_ascii_strcasecmp (value, "no") == 0)
    opts.require_session = FALSE;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--require-session takes true or false, not \"%s\"", value);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_no_require_session (const char *name, const char *value, gpointer data, GError **error)
{
  opts.require_session = FALSE;

  return TRUE;
}

static const GOptionEntry entries[] = {
  { "port", 'p', 0, G_OPTION_ARG_INT, &opts.port, "CSTA port (default 7001; 0: any free port)", "PORT" },
  { "listen", 'l', 0, G_OPTION_ARG_STRING, &opts.listen, "Address to listen on (default 127.0.0.1)", "ADDRESS" },
  { "users", 'u', 0, G_OPTION_ARG_INT, &opts.users, "Generate N users (default 10 without --demo or --users-file)", "N" },
  { "first-extension", 0, 0, G_OPTION_ARG_INT, &opts.first_extension, "First generated extension (default 201)", "EXT" },
  { "users-file", 'f', 0, G_OPTION_ARG_FILENAME, &opts.users_file, "Users from a CSV file: extension,name,email,group", "FILE" },
  { "demo", 0, 0, G_OPTION_ARG_NONE, &opts.demo, "A small company of 25 users with European names", NULL },
  { "username", 0, 0, G_OPTION_ARG_STRING, &opts.username, "CSTA system username (default: accept any login)", "USER" },
  { "password", 0, 0, G_OPTION_ARG_STRING, &opts.password, "CSTA system password", "PASSWORD" },
  { "require-session", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, parse_require_session, "Require StartApplicationSession first (default true)", "BOOL" },
  { "no-require-session", 0, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, parse_no_require_session, "Same as --require-session=false", NULL },
  { "session-duration", 0, 0, G_OPTION_ARG_INT, &opts.session_duration, "Granted session duration in s (default: as requested)", "S" },
  { "session-grace", 0, 0, G_OPTION_ARG_INT, &opts.session_grace, "Seconds past the duration before the session expires (default 10)", "S" },
  { "system-status-interval", 0, 0, G_OPTION_ARG_INT, &opts.system_status_interval, "Send SystemStatus every S seconds and drop the link if unanswered (default 0: off)", "S" },
  { "max-monitors", 0, 0, G_OPTION_ARG_INT, &opts.max_monitors, "Monitor licences (default 0: unlimited)", "N" },
  { "answer-delay", 0, 0, G_OPTION_ARG_INT, &opts.answer_delay, "MakeCall: the called party answers after MS ms (default 300; -1: never)", "MS" },
  { "event-delay", 0, 0, G_OPTION_ARG_INT, &opts.event_delay, "Delay between the first events of a call (default 0)", "MS" },
  { "sfd-segment", 0, 0, G_OPTION_ARG_INT, &opts.sfd_segment, "Devices per SwitchingFunctionDevices segment (default 10)", "N" },
  { "namespace", 0, 0, G_OPTION_ARG_STRING, &opts.ns, "ECMA-323 namespace to send (default ed5)", "URI" },
  { "control-port", 'c', 0, G_OPTION_ARG_INT, &opts.control_port, "Control channel TCP port on the listen address (default 0: off; -1: any free port)", "PORT" },
  { "control-socket", 0, 0, G_OPTION_ARG_FILENAME, &opts.control_socket, "Control channel on a UNIX socket", "PATH" },
  { "export-csv", 0, 0, G_OPTION_ARG_FILENAME, &opts.export_csv, "Write the users as CSV at start", "PATH" },
  { "export-ldif", 0, 0, G_OPTION_ARG_FILENAME, &opts.export_ldif, "Write the users as LDIF at start", "PATH" },
  { "ldif-base", 0, 0, G_OPTION_ARG_STRING, &opts.ldif_base, "Base DN of the LDIF export (default dc=example,dc=com)", "DN" },
  { "export-only", 0, 0, G_OPTION_ARG_NONE, &opts.export_only, "Exit after the exports", NULL },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opts.verbose, "Log every frame", NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opts.version, "Print the version", NULL },
  { NULL },
};

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_REMOVE;
}

static gboolean
load_directory (UlPbxsimDirectory *directory, GError **error)
{
  if (opts.users_file != NULL && !ul_pbxsim_directory_load_csv (directory, opts.users_file, error))
    return FALSE;
  if (opts.demo)
    ul_pbxsim_directory_add_demo (directory);
  if (opts.users > 0 || (opts.users < 0 && opts.users_file == NULL && !opts.demo))
    ul_pbxsim_directory_add_generated (directory, opts.users > 0 ? opts.users : 10,
                                       opts.first_extension);

  return TRUE;
}

static gboolean
export_directory (UlPbxsimDirectory *directory, GError **error)
{
  if (opts.export_csv != NULL)
    {
      if (!ul_pbxsim_directory_export_csv (directory, opts.export_csv, error))
        return FALSE;
      g_message ("exported %u users to %s", ul_pbxsim_directory_get_n_users (directory),
                 opts.export_csv);
    }
  if (opts.export_ldif != NULL)
    {
      if (!ul_pbxsim_directory_export_ldif (directory, opts.export_ldif,
                                            opts.ldif_base != NULL ? opts.ldif_base
                                                                   : "dc=example,dc=com",
                                            error))
        return FALSE;
      g_message ("exported %u users to %s", ul_pbxsim_directory_get_n_users (directory),
                 opts.export_ldif);
    }

  return TRUE;
}

static gboolean
check_options (GError **error)
{
  if (opts.port < 0 || opts.port > 65535 || opts.control_port < -1 || opts.control_port > 65535)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad port number");
      return FALSE;
    }
  if (opts.session_duration < 0 || opts.session_grace < 0 || opts.system_status_interval < 0 ||
      opts.max_monitors < 0 || opts.event_delay < 0 || opts.sfd_segment < 1 ||
      opts.first_extension < 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "durations, delays and counts cannot be negative");
      return FALSE;
    }
  if ((opts.username == NULL) != (opts.password == NULL))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--username and --password go together");
      return FALSE;
    }

  return TRUE;
}

static UlPbxsimServer *
create_server (UlPbxsimDirectory *directory)
{
  UlPbxsimConfig config = {
    .username = g_steal_pointer (&opts.username),
    .password = g_steal_pointer (&opts.password),
    .require_session = opts.require_session,
    .session_duration = opts.session_duration,
    .session_grace = opts.session_grace,
    .system_status_interval = opts.system_status_interval,
    .max_monitors = opts.max_monitors,
    .answer_delay_ms = opts.answer_delay,
    .event_delay_ms = opts.event_delay,
    .sfd_segment_size = opts.sfd_segment,
    .ns = g_steal_pointer (&opts.ns),
  };

  return ul_pbxsim_server_new (&config, directory);
}

/* Tests read stdout line by line: say where we listen, once, and flush. */
static void
announce (const char *what, const char *host, guint16 port)
{
  gboolean ipv6 = strchr (host, ':') != NULL;

  g_print ("uplink-pbxsim %s %s%s%s:%u\n", what, ipv6 ? "[" : "", host, ipv6 ? "]" : "", port);
  fflush (stdout);
}

static gboolean
start_control (UlPbxsimControl *control, const char *host, GError **error)
{
  if (opts.control_port != 0)
    {
      guint16 port = 0;

      if (!ul_pbxsim_control_listen_tcp (control, host, opts.control_port > 0 ? opts.control_port : 0,
                                         &port, error))
        return FALSE;
      announce ("control on", host, port);
    }
  if (opts.control_socket != NULL)
    {
      if (!ul_pbxsim_control_listen_unix (control, opts.control_socket, error))
        return FALSE;
      g_print ("uplink-pbxsim control on unix:%s\n", opts.control_socket);
      fflush (stdout);
    }

  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(UlPbxsimDirectory) directory = NULL;
  g_autoptr(UlPbxsimServer) server = NULL;
  g_autoptr(UlPbxsimControl) control = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  const char *host;

  setlocale (LC_ALL, "");
  /* stdout carries only the "listening on" lines that tests wait for; logs go to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);

  context = g_option_context_new ("— MiVoice Office 400 CSTA simulator");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
                                "A CSTA (ECMA-323 XML over TCP) server that behaves like the "
                                "CSTA service of a Mitel MiVoice Office 400, for tests and demos.");
  if (!g_option_context_parse (context, &argc, &argv, &error) || !check_options (&error))
    {
      g_printerr ("uplink-pbxsim: %s\n", error->message);
      return EXIT_FAILURE;
    }

  if (opts.version)
    {
      g_print ("uplink-pbxsim %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (opts.verbose)
    g_log_set_debug_enabled (TRUE);

  directory = ul_pbxsim_directory_new ();
  if (!load_directory (directory, &error) || !export_directory (directory, &error))
    {
      g_printerr ("uplink-pbxsim: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (opts.export_only)
    return EXIT_SUCCESS;

  host = opts.listen != NULL ? opts.listen : "127.0.0.1";
  server = create_server (directory);
  control = ul_pbxsim_control_new (server);

  /* The control line comes first: a test that has seen "listening on" has both ports. */
  if (!start_control (control, host, &error) ||
      !ul_pbxsim_server_listen (server, host, opts.port, &error))
    {
      g_printerr ("uplink-pbxsim: %s\n", error->message);
      return EXIT_FAILURE;
    }
  g_message ("%u users, %s", ul_pbxsim_directory_get_n_users (directory),
             ul_pbxsim_server_get_config (server)->username != NULL ? "login required"
                                                                     : "any login accepted");
  announce ("listening on", host, ul_pbxsim_server_get_port (server));

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);

  g_message ("shutting down");
  ul_pbxsim_control_shutdown (control);
  ul_pbxsim_server_shutdown (server);

  return EXIT_SUCCESS;
}
