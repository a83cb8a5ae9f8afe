/* uplinkd — the Uplink gateway daemon.
 *
 * Start-up order matters: take the data-dir lock (so a second instance fails fast with a
 * clear message), open the store (milliseconds), own the bus name and export the
 * objects, and only then start the services that do slow or network work. Clients that
 * wait for the name can therefore talk to the daemon as soon as it appears.
 */
#define G_LOG_DOMAIN "uplinkd"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "ul-auth-service.h"
#include "ul-dbus-service.h"
#include "ul-engine.h"
#include "ul-error.h"
#include "ul-http-config.h"
#include "ul-http-server.h"
#include "ul-mdns-publisher.h"

#define DEFAULT_DATA_DIR "/var/lib/uplink"
#define DEFAULT_CONFIG   "/etc/uplink/uplinkd.conf"

typedef struct
{
  GMainLoop     *loop;
  UlEngine      *engine;
  UlDbusService *dbus;
  UlAuthService *auth;
  UlHttpServer  *http;
  UlMdnsPublisher *mdns;
  guint          owner_id;
  gboolean       name_acquired;
  int            exit_code;
} Daemon;

static void
daemon_quit (Daemon *daemon, int exit_code)
{
  daemon->exit_code = exit_code;
  g_main_loop_quit (daemon->loop);
}

static void
on_bus_acquired (GDBusConnection *connection, const char *name, gpointer user_data)
{
  Daemon *daemon = user_data;
  g_autoptr(GError) error = NULL;

  /* Export before the name is owned so that whoever sees the name finds the objects. */
  if (!ul_dbus_service_export (daemon->dbus, connection, &error))
    {
      g_printerr (_("uplinkd: cannot export the D-Bus objects: %s\n"), error->message);
      daemon_quit (daemon, EXIT_FAILURE);
    }
}

static void
on_name_acquired (GDBusConnection *connection, const char *name, gpointer user_data)
{
  Daemon *daemon = user_data;

  daemon->name_acquired = TRUE;
  g_message ("ready: %s on the bus, gateway %s", name,
             ul_engine_get_gateway_id (daemon->engine));
  ul_engine_start (daemon->engine);
}

static void
on_name_lost (GDBusConnection *connection, const char *name, gpointer user_data)
{
  Daemon *daemon = user_data;

  if (connection == NULL)
    g_printerr (_("uplinkd: cannot connect to the D-Bus bus\n"));
  else if (!daemon->name_acquired)
    g_printerr (_("uplinkd: the bus name %s is already owned by another process\n"), name);
  else
    g_printerr (_("uplinkd: lost the bus name %s\n"), name);
  daemon_quit (daemon, EXIT_FAILURE);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  Daemon *daemon = user_data;

  g_message ("shutting down");
  daemon_quit (daemon, EXIT_SUCCESS);
  return G_SOURCE_REMOVE;
}

/* Holds an exclusive lock on <data-dir>/uplinkd.lock for the life of the process; the
 * kernel drops it when we exit, even after kill -9, so there is no stale-lock cleanup. */
static int
lock_data_dir (const char *data_dir, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *pid = NULL;
  int fd;

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("cannot create the data directory %s: %s"), data_dir,
                   g_strerror (saved_errno));
      return -1;
    }

  path = g_build_filename (data_dir, "uplinkd.lock", NULL);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("cannot open %s: %s"), path, g_strerror (saved_errno));
      return -1;
    }

  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      char other[32] = "";
      ssize_t n = pread (fd, other, sizeof other - 1, 0);

      other[n > 0 ? n : 0] = '\0';
      g_strstrip (other);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("another uplinkd (pid %s) is already using the data directory %s"),
                   *other != '\0' ? other : "?", data_dir);
      close (fd);
      return -1;
    }

  pid = g_strdup_printf ("%d\n", (int) getpid ());
  if (ftruncate (fd, 0) != 0 || pwrite (fd, pid, strlen (pid), 0) < 0)
    g_warning ("cannot record the pid in %s: %s", path, g_strerror (errno));
  return fd;
}

/* Reads the configuration file into @keyfile and [uplinkd] data-dir into @data_dir (unless
 * the command line set it); a missing default file is fine, a missing file that was asked
 * for is not. */
static gboolean
load_config (const char *path,
             gboolean    explicit,
             GKeyFile   *keyfile,
             char      **data_dir,
             GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &local_error))
    {
      if (!explicit && g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, local_error->domain, local_error->code,
                   _("cannot read the configuration %s: %s"), path, local_error->message);
      return FALSE;
    }

  if (*data_dir == NULL && g_key_file_has_key (keyfile, "uplinkd", "data-dir", NULL))
    *data_dir = g_key_file_get_string (keyfile, "uplinkd", "data-dir", NULL);
  return TRUE;
}

/* The mDNS TXT record (DESIGN.md §7): what a dashboard needs before it connects. */
static void
update_mdns (Daemon *daemon)
{
  g_autoptr(GPtrArray) txt = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *name = ul_http_gateway_name (daemon->engine);
  const char *account_id = ul_engine_get_account_id (daemon->engine);
  gboolean claimed = ul_auth_service_is_claimed (daemon->auth);

  g_ptr_array_add (txt, g_strdup ("v=" UL_HTTP_API_VERSION));
  g_ptr_array_add (txt, g_strdup_printf ("id=%s", ul_engine_get_gateway_id (daemon->engine)));
  g_ptr_array_add (txt, g_strdup_printf ("fp=%s", ul_http_server_get_fingerprint (daemon->http)));
  g_ptr_array_add (txt, g_strdup_printf ("claimed=%d", claimed ? 1 : 0));
  if (claimed && *account_id != '\0')
    g_ptr_array_add (txt, g_strdup_printf ("acct=%s", account_id));
  /* A TXT string holds at most 255 bytes; longer names are cut at a character. */
  if (strlen (name) > 200)
    *g_utf8_offset_to_pointer (name, g_utf8_strlen (name, 200) - 1) = '\0';
  g_ptr_array_add (txt, g_strdup_printf ("name=%s", name));
  g_ptr_array_add (txt, NULL);
  ul_mdns_publisher_set_txt (daemon->mdns, (const char * const *) txt->pdata);
}

static void
on_mdns_input_changed (Daemon *daemon)
{
  update_mdns (daemon);
}

static void
start_mdns (Daemon *daemon, GKeyFile *keyfile)
{
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;

  if (g_key_file_has_key (keyfile, "mdns", "enabled", NULL)
      && !g_key_file_get_boolean (keyfile, "mdns", "enabled", &error))
    {
      if (error != NULL)
        g_printerr ("uplinkd: [mdns] enabled: %s\n", error->message);
      g_message ("mDNS publishing disabled");
      return;
    }
  name = g_key_file_get_string (keyfile, "mdns", "name", NULL);
  if (name == NULL || *name == '\0')
    {
      g_free (name);
      name = g_strdup_printf ("Uplink %.8s", ul_engine_get_gateway_id (daemon->engine));
    }
  daemon->mdns = ul_mdns_publisher_new (name, ul_http_server_get_https_port (daemon->http));
  update_mdns (daemon);
  g_signal_connect_swapped (daemon->engine, "changed", G_CALLBACK (on_mdns_input_changed), daemon);
  g_signal_connect_swapped (daemon->auth, "claimed", G_CALLBACK (on_mdns_input_changed), daemon);
  ul_mdns_publisher_start (daemon->mdns);
}

/* The HTTPS API: accounts and tokens (UlAuthService) and the server. Command-line options
 * override the [http] and [auth] keys. Listening starts before the bus name is owned, so
 * that whoever sees the name can use the API too. */
static gboolean
start_network (Daemon     *daemon,
               GKeyFile   *keyfile,
               const char *data_dir,
               int         https_port,
               int         http_port,
               GStrv       listen,
               GError    **error)
{
  UlHttpSettings http;
  UlAuthSettings auth;
  gboolean enabled = TRUE;
  gboolean ok;

  ul_http_settings_init (&http);
  ul_auth_settings_init (&auth);
  if (!ul_http_config_load (keyfile, &http, &auth, &enabled, error))
    {
      ul_http_settings_clear (&http);
      return FALSE;
    }
  if (https_port != G_MININT)
    enabled = https_port >= 0;
  if (https_port >= 0)
    http.https_port = (guint) https_port;
  if (http_port != G_MININT)
    http.http_port = MAX (http_port, -1);
  if (listen != NULL)
    {
      g_strfreev (http.listen);
      http.listen = g_strdupv (listen);
    }
  if (!enabled)
    {
      g_message ("HTTPS API disabled");
      ul_http_settings_clear (&http);
      return TRUE;
    }

  daemon->auth = ul_auth_service_new (data_dir, &auth, error);
  ok = daemon->auth != NULL
       && (daemon->http = ul_http_server_new (daemon->engine, daemon->auth, data_dir, &http,
                                              error)) != NULL
       && ul_http_server_start (daemon->http, error);
  ul_http_settings_clear (&http);
  if (!ok)
    return FALSE;
  /* One machine-readable line: tests and scripts that let uplinkd pick free ports read
   * them here. */
  g_print ("listening https=%u http=%u\n", ul_http_server_get_https_port (daemon->http),
           ul_http_server_get_http_port (daemon->http));
  fflush (stdout);
  start_mdns (daemon, keyfile);
  return TRUE;
}

int
main (int argc, char **argv)
{
  gboolean opt_session = FALSE;
  gboolean opt_version = FALSE;
  g_autofree char *opt_data_dir = NULL;
  g_autofree char *opt_config = NULL;
  g_auto(GStrv) opt_listen = NULL;
  int opt_https_port = G_MININT;
  int opt_http_port = G_MININT;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  const GOptionEntry entries[] = {
    { "session", 0, 0, G_OPTION_ARG_NONE, &opt_session,
      N_("Use the session bus instead of the system bus (development, tests)"), NULL },
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &opt_data_dir,
      N_("Where the gateway keeps its state (default " DEFAULT_DATA_DIR ")"), N_("DIR") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config,
      N_("Configuration file (default " DEFAULT_CONFIG ")"), N_("FILE") },
    { "https-port", 0, 0, G_OPTION_ARG_INT, &opt_https_port,
      N_("HTTPS API port (default 8443; 0: any free port; -1: no HTTPS API)"), N_("PORT") },
    { "http-port", 0, 0, G_OPTION_ARG_INT, &opt_http_port,
      N_("Plain-HTTP port that redirects to HTTPS (default 8080; 0: any free port; -1: none)"),
      N_("PORT") },
    { "listen", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_listen,
      N_("Address to listen on, repeatable (default: all)"), N_("ADDRESS") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version, N_("Print the version and exit"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Daemon daemon = { .exit_code = EXIT_SUCCESS };
  int lock_fd;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("Uplink gateway daemon: links a PBX to communication apps"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("uplinkd: %s\n", error->message);
      return 2;
    }
  if (opt_version)
    {
      g_print ("uplinkd %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (!load_config (opt_config != NULL ? opt_config : DEFAULT_CONFIG, opt_config != NULL,
                    keyfile, &opt_data_dir, &error))
    {
      g_printerr ("uplinkd: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (opt_data_dir == NULL)
    opt_data_dir = g_strdup (DEFAULT_DATA_DIR);

  lock_fd = lock_data_dir (opt_data_dir, &error);
  if (lock_fd < 0)
    {
      g_printerr ("uplinkd: %s\n", error->message);
      return EXIT_FAILURE;
    }

  daemon.engine = ul_engine_new (opt_data_dir, &error);
  if (daemon.engine == NULL)
    {
      g_printerr (_("uplinkd: cannot open the gateway state in %s: %s\n"), opt_data_dir,
                  error->message);
      close (lock_fd);
      return EXIT_FAILURE;
    }
  if (!ul_engine_load_settings (daemon.engine, keyfile, &error))
    {
      g_printerr (_("uplinkd: %s\n"), error->message);
      g_clear_object (&daemon.engine);
      close (lock_fd);
      return EXIT_FAILURE;
    }

  if (!start_network (&daemon, keyfile, opt_data_dir, opt_https_port, opt_http_port, opt_listen,
                      &error))
    {
      g_printerr (_("uplinkd: cannot start the HTTPS API: %s\n"), error->message);
      g_clear_object (&daemon.http);
      g_clear_object (&daemon.auth);
      g_clear_object (&daemon.engine);
      close (lock_fd);
      return EXIT_FAILURE;
    }

  daemon.loop = g_main_loop_new (NULL, FALSE);
  daemon.dbus = ul_dbus_service_new (daemon.engine);
  g_unix_signal_add (SIGTERM, on_quit_signal, &daemon);
  g_unix_signal_add (SIGINT, on_quit_signal, &daemon);

  daemon.owner_id = g_bus_own_name (opt_session ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM,
                                    UL_DBUS_NAME, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                    on_bus_acquired, on_name_acquired, on_name_lost,
                                    &daemon, NULL);

  g_main_loop_run (daemon.loop);

  g_bus_unown_name (daemon.owner_id);
  if (daemon.mdns != NULL)
    {
      g_signal_handlers_disconnect_by_data (daemon.engine, &daemon);
      g_signal_handlers_disconnect_by_data (daemon.auth, &daemon);
      ul_mdns_publisher_stop (daemon.mdns);
    }
  if (daemon.http != NULL)
    ul_http_server_stop (daemon.http);
  ul_engine_shutdown (daemon.engine);
  ul_dbus_service_unexport (daemon.dbus);
  g_clear_object (&daemon.dbus);
  g_clear_object (&daemon.mdns);
  g_clear_object (&daemon.http);
  g_clear_object (&daemon.auth);
  g_clear_object (&daemon.engine);
  g_main_loop_unref (daemon.loop);
  close (lock_fd);
  return daemon.exit_code;
}
