/* ul-test-slapd.c — start and stop a private slapd for the LDAP tests. */
#include "config.h"

#include <signal.h>
#include <glib/gstdio.h>
#include <ldap.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "ul-test-slapd.h"

#define SLAPADD_BINARY  "/usr/sbin/slapadd"
#define MODULE_DIR      "/usr/lib/ldap"
#define SCHEMA_DIR      "/etc/ldap/schema"
#define START_TIMEOUT_S 20
#define STOP_TIMEOUT_S  10
#define POLL_INTERVAL_MS 20
#define START_ATTEMPTS  3

struct _UlTestSlapd
{
  char        *dir;
  char        *uri;
  GSubprocess *process;
};

/* Attributes an Active Directory has and inetOrgPerson does not (ipPhone), plus two of
 * our own, for the attribute-mapping test. OIDs under OpenLDAP's experimental arc. */
static const char test_schema[] =
  "attributetype ( 1.3.6.1.4.1.4203.666.11.1 NAME 'ipPhone'\n"
  "  EQUALITY telephoneNumberMatch SUBSTR telephoneNumberSubstringsMatch\n"
  "  SYNTAX 1.3.6.1.4.1.1466.115.121.1.50 )\n"
  "attributetype ( 1.3.6.1.4.1.4203.666.11.2 NAME 'ulCtiDevice'\n"
  "  EQUALITY telephoneNumberMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.50 SINGLE-VALUE )\n"
  "attributetype ( 1.3.6.1.4.1.4203.666.11.3 NAME 'ulMail'\n"
  "  EQUALITY caseIgnoreIA5Match SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 )\n"
  "objectclass ( 1.3.6.1.4.1.4203.666.11.100 NAME 'uplinkTestUser' SUP top AUXILIARY\n"
  "  MAY ( ipPhone $ ulCtiDevice $ ulMail ) )\n";

gboolean
ul_test_slapd_available (void)
{
  return g_file_test (UL_TEST_SLAPD_BINARY, G_FILE_TEST_IS_EXECUTABLE)
         && g_file_test (SLAPADD_BINARY, G_FILE_TEST_IS_EXECUTABLE);
}

guint16
ul_test_free_port (GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         error);
  if (socket == NULL)
    return 0;

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  if (!g_socket_bind (socket, address, FALSE, error))
    return 0;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* rm -rf without a shell. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

static char *
build_config (const char *dir)
{
  GString *config = g_string_new (NULL);
  g_autofree char *module = g_build_filename (MODULE_DIR, "back_mdb.so", NULL);

  g_string_append_printf (config,
                          "include %s/core.schema\n"
                          "include %s/cosine.schema\n"
                          "include %s/inetorgperson.schema\n"
                          "include %s/test.schema\n"
                          "pidfile %s/slapd.pid\n"
                          "argsfile %s/slapd.args\n",
                          SCHEMA_DIR, SCHEMA_DIR, SCHEMA_DIR, dir, dir, dir);
  /* Debian builds back_mdb as a module; other builds may link it in. */
  if (g_file_test (module, G_FILE_TEST_EXISTS))
    g_string_append_printf (config, "modulepath %s\nmoduleload back_mdb\n", MODULE_DIR);
  g_string_append_printf (config,
                          /* slapd's default limit, spelled out: 500 entries per search,
                           * and (prtotal defaults to the hard limit) 500 in all even
                           * with paged results. */
                          "sizelimit size.soft=500 size.hard=500\n"
                          "access to attrs=userPassword by anonymous auth by * none\n"
                          "access to * by * read\n"
                          "database mdb\n"
                          "maxsize 104857600\n"
                          "suffix \"%s\"\n"
                          "rootdn \"%s\"\n"
                          "rootpw %s\n"
                          "directory %s/db\n"
                          "limits dn.exact=\"%s\" size.soft=500 size.hard=500 "
                          "size.prtotal=unlimited\n",
                          UL_TEST_SLAPD_SUFFIX, UL_TEST_SLAPD_ROOT_DN, UL_TEST_SLAPD_ROOT_PW,
                          dir, UL_TEST_SLAPD_READER_DN);
  return g_string_free (config, FALSE);
}

static gboolean
run_slapadd (const char *dir, GError **error)
{
  g_autofree char *config = g_build_filename (dir, "slapd.conf", NULL);
  g_autofree char *ldif = g_build_filename (dir, "data.ldif", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *output = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                              error, SLAPADD_BINARY, "-q", "-f", config, "-l", ldif, NULL);
  if (process == NULL)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, error))
    return FALSE;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "slapadd failed: %s", output);
      return FALSE;
    }
  return TRUE;
}

/* A test that aborts must not leave slapd running: it dies with us. */
static void
child_setup (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

static gboolean
ldap_answers (const char *uri)
{
  LDAP *ld = NULL;
  struct berval anonymous = { 0, NULL };
  struct timeval timeout = { 2, 0 };
  int version = LDAP_VERSION3;
  int rc;

  if (ldap_initialize (&ld, uri) != LDAP_SUCCESS)
    return FALSE;
  ldap_set_option (ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option (ld, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
  ldap_set_option (ld, LDAP_OPT_TIMEOUT, &timeout);
  rc = ldap_sasl_bind_s (ld, NULL, LDAP_SASL_SIMPLE, &anonymous, NULL, NULL, NULL);
  ldap_unbind_ext_s (ld, NULL, NULL);
  return rc == LDAP_SUCCESS;
}

static char *
read_log (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "slapd.log", NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

/* Starts slapd on a fresh port and waits until it answers. FALSE with @retry set when
 * slapd exited early, which is what losing the race for the port looks like. */
static gboolean
launch (UlTestSlapd *self, gboolean *retry, GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *config = g_build_filename (self->dir, "slapd.conf", NULL);
  g_autofree char *log = g_build_filename (self->dir, "slapd.log", NULL);
  gint64 deadline;
  guint16 port;

  *retry = FALSE;
  port = ul_test_free_port (error);
  if (port == 0)
    return FALSE;

  g_free (self->uri);
  self->uri = g_strdup_printf ("ldap://127.0.0.1:%u/", port);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  /* -d 0 keeps slapd in the foreground (no fork, so we own its pid) with no debug
   * output. As root slapd would run as root anyway; no -u/-g needed. */
  self->process = g_subprocess_launcher_spawn (launcher, error, UL_TEST_SLAPD_BINARY,
                                               "-d", "0", "-f", config, "-h", self->uri, NULL);
  if (self->process == NULL)
    return FALSE;

  deadline = g_get_monotonic_time () + START_TIMEOUT_S * G_USEC_PER_SEC;
  for (;;)
    {
      if (ldap_answers (self->uri))
        return TRUE;

      /* The identifier goes away once GLib has reaped the process. */
      if (g_subprocess_get_identifier (self->process) == NULL)
        {
          g_autofree char *output = read_log (self->dir);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "slapd exited: %s", output);
          g_clear_object (&self->process);
          *retry = TRUE;
          return FALSE;
        }

      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "slapd did not answer on %s within %d s", self->uri, START_TIMEOUT_S);
          return FALSE;
        }
      g_usleep (POLL_INTERVAL_MS * 1000);
    }
}

UlTestSlapd *
ul_test_slapd_start (const char *ldif, GError **error)
{
  g_autoptr(UlTestSlapd) self = g_new0 (UlTestSlapd, 1);
  g_autofree char *config = NULL;
  g_autofree char *path = NULL;
  g_autofree char *db = NULL;

  self->dir = g_dir_make_tmp ("uplink-slapd-XXXXXX", error);
  if (self->dir == NULL)
    return NULL;

  db = g_build_filename (self->dir, "db", NULL);
  if (g_mkdir (db, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", db);
      return NULL;
    }

  path = g_build_filename (self->dir, "test.schema", NULL);
  if (!g_file_set_contents (path, test_schema, -1, error))
    return NULL;
  g_free (path);
  path = g_build_filename (self->dir, "data.ldif", NULL);
  if (!g_file_set_contents (path, ldif, -1, error))
    return NULL;
  g_free (path);
  path = g_build_filename (self->dir, "slapd.conf", NULL);
  config = build_config (self->dir);
  if (!g_file_set_contents (path, config, -1, error))
    return NULL;

  if (!run_slapadd (self->dir, error))
    return NULL;

  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean retry = FALSE;

      if (launch (self, &retry, &local_error))
        break;
      if (!retry || attempt == START_ATTEMPTS)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_test_message ("slapd did not start (%s); trying another port", local_error->message);
    }

  return g_steal_pointer (&self);
}

const char *
ul_test_slapd_get_uri (UlTestSlapd *self)
{
  return self->uri;
}

void
ul_test_slapd_stop (UlTestSlapd *self)
{
  if (self == NULL)
    return;

  if (self->process != NULL)
    {
      gint64 deadline = g_get_monotonic_time () + STOP_TIMEOUT_S * G_USEC_PER_SEC;

      g_subprocess_send_signal (self->process, SIGTERM);
      while (g_subprocess_get_identifier (self->process) != NULL
             && g_get_monotonic_time () < deadline)
        g_usleep (POLL_INTERVAL_MS * 1000);
      if (g_subprocess_get_identifier (self->process) != NULL)
        g_subprocess_force_exit (self->process);
      g_subprocess_wait (self->process, NULL, NULL);
      g_clear_object (&self->process);
    }

  if (self->dir != NULL)
    remove_tree (self->dir);
  g_free (self->dir);
  g_free (self->uri);
  g_free (self);
}
