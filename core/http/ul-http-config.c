/* ul-http-config.c — the [http] and [auth] groups of uplinkd.conf (see the header). */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "ul-http-config.h"

static gboolean
bad_value (const char *group, const char *key, const char *expected, GError **error)
{
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
               _("[%s] %s must be %s"), group, key, expected);
  return FALSE;
}

static gboolean
read_int (GKeyFile *keyfile, const char *group, const char *key, gint64 min, gint64 max,
          gint64 *out, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *min_text = NULL;
  g_autofree char *max_text = NULL;
  gint64 value;

  if (!g_key_file_has_key (keyfile, group, key, NULL))
    return TRUE;
  value = g_key_file_get_int64 (keyfile, group, key, &local_error);
  if (local_error == NULL && value >= min && value <= max)
    {
      *out = value;
      return TRUE;
    }
  /* The numbers as text first: xgettext cannot see through G_GINT64_FORMAT. */
  min_text = g_strdup_printf ("%" G_GINT64_FORMAT, min);
  max_text = g_strdup_printf ("%" G_GINT64_FORMAT, max);
  expected = g_strdup_printf (_("a whole number from %s to %s"), min_text, max_text);
  return bad_value (group, key, expected, error);
}

static gboolean
read_uint (GKeyFile *keyfile, const char *group, const char *key, guint min, guint max,
           guint *out, GError **error)
{
  gint64 value = *out;

  if (!read_int (keyfile, group, key, min, max, &value, error))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

/* Seconds in the file, milliseconds in the settings. */
static gboolean
read_timeout (GKeyFile *keyfile, const char *key, guint *out_ms, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  double seconds;

  if (!g_key_file_has_key (keyfile, "http", key, NULL))
    return TRUE;
  seconds = g_key_file_get_double (keyfile, "http", key, &local_error);
  if (local_error != NULL || !isfinite (seconds) || seconds < 0.05 || seconds > 86400)
    return bad_value ("http", key, _("a number of seconds from 0.05 to 86400"), error);
  *out_ms = (guint) (seconds * 1000);
  return TRUE;
}

gboolean
ul_http_config_load (GKeyFile       *keyfile,
                     UlHttpSettings *http,
                     UlAuthSettings *auth,
                     gboolean       *enabled,
                     GError        **error)
{
  gint64 https_port = http->https_port, http_port = http->http_port;
  gint64 max_body = (gint64) http->limits.max_body_size;

  g_return_val_if_fail (keyfile != NULL, FALSE);

  *enabled = TRUE;
  if (g_key_file_has_key (keyfile, "http", "listen", NULL))
    {
      g_strfreev (http->listen);
      http->listen = g_key_file_get_string_list (keyfile, "http", "listen", NULL, error);
      if (http->listen == NULL)
        return FALSE;
    }
  if (!read_int (keyfile, "http", "https-port", -1, 65535, &https_port, error)
      || !read_int (keyfile, "http", "http-port", -1, 65535, &http_port, error)
      || !read_uint (keyfile, "http", "max-connections", 1, 65536,
                     &http->limits.max_connections, error)
      || !read_uint (keyfile, "http", "max-connections-per-peer", 1, 65536,
                     &http->limits.max_connections_per_peer, error)
      || !read_timeout (keyfile, "handshake-timeout", &http->limits.handshake_timeout_ms, error)
      || !read_timeout (keyfile, "header-timeout", &http->limits.header_timeout_ms, error)
      || !read_timeout (keyfile, "body-timeout", &http->limits.body_timeout_ms, error)
      || !read_timeout (keyfile, "response-timeout", &http->limits.response_timeout_ms, error)
      || !read_timeout (keyfile, "idle-timeout", &http->limits.idle_timeout_ms, error)
      || !read_int (keyfile, "http", "max-body-size", 1024, 64 * 1024 * 1024, &max_body, error)
      || !read_uint (keyfile, "http", "max-websockets", 1, 4096, &http->max_websockets, error)
      || !read_uint (keyfile, "auth", "token-lifetime", 1, 365 * 24 * 3600,
                     &auth->token_lifetime, error)
      || !read_uint (keyfile, "auth", "login-max-failures", 1, 1000, &auth->max_failures, error)
      || !read_uint (keyfile, "auth", "login-failure-window", 1, 24 * 3600,
                     &auth->failure_window, error)
      || !read_uint (keyfile, "auth", "login-lockout", 1, 24 * 3600, &auth->lockout, error)
      || !read_uint (keyfile, "auth", "login-max-lockout", 1, 7 * 24 * 3600,
                     &auth->max_lockout, error)
      || !read_uint (keyfile, "auth", "max-hashing", 1, 64, &auth->max_hashing, error))
    return FALSE;

  *enabled = https_port >= 0;
  http->https_port = https_port >= 0 ? (guint) https_port : 0;
  http->http_port = (int) http_port;
  http->limits.max_body_size = (gsize) max_body;
  return TRUE;
}
