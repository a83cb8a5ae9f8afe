/* ul-error.c — the UlError domain, its D-Bus and JSON names, and field errors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "ul-error.h"

#define UL_ERROR_DBUS_PREFIX  "io.github.uplink.Gateway1.Error."
#define UL_ERROR_REMOTE_PREFIX "GDBus.Error:"

G_DEFINE_QUARK (ul-error-quark, ul_error)

/* Indexed by UlErrorCode. The D-Bus names are API: never rename one. */
static const GDBusErrorEntry ul_error_dbus_entries[] = {
  { UL_ERROR_FAILED, UL_ERROR_DBUS_PREFIX "Failed" },
  { UL_ERROR_INVALID_ARGUMENT, UL_ERROR_DBUS_PREFIX "InvalidArgument" },
  { UL_ERROR_NOT_FOUND, UL_ERROR_DBUS_PREFIX "NotFound" },
  { UL_ERROR_CONFIRMATION_REQUIRED, UL_ERROR_DBUS_PREFIX "ConfirmationRequired" },
  { UL_ERROR_WRONG_STATE, UL_ERROR_DBUS_PREFIX "WrongState" },
  { UL_ERROR_PERMISSION_DENIED, UL_ERROR_DBUS_PREFIX "PermissionDenied" },
  { UL_ERROR_BUSY, UL_ERROR_DBUS_PREFIX "Busy" },
  { UL_ERROR_TIMED_OUT, UL_ERROR_DBUS_PREFIX "TimedOut" },
  { UL_ERROR_STORAGE, UL_ERROR_DBUS_PREFIX "Storage" },
  { UL_ERROR_PBX_UNREACHABLE, UL_ERROR_DBUS_PREFIX "PbxUnreachable" },
  { UL_ERROR_PBX_REFUSED, UL_ERROR_DBUS_PREFIX "PbxRefused" },
  { UL_ERROR_PBX_AUTH_FAILED, UL_ERROR_DBUS_PREFIX "PbxAuthFailed" },
  { UL_ERROR_PBX_PROTOCOL, UL_ERROR_DBUS_PREFIX "PbxProtocol" },
  { UL_ERROR_PBX_LICENSE_LIMIT, UL_ERROR_DBUS_PREFIX "PbxLicenseLimit" },
  { UL_ERROR_DIRECTORY_FAILED, UL_ERROR_DBUS_PREFIX "DirectoryFailed" },
  { UL_ERROR_UNAUTHORIZED, UL_ERROR_DBUS_PREFIX "Unauthorized" },
  { UL_ERROR_RATE_LIMITED, UL_ERROR_DBUS_PREFIX "RateLimited" },
  { UL_ERROR_MAIL_FAILED, UL_ERROR_DBUS_PREFIX "MailFailed" },
  { UL_ERROR_UPDATE_FAILED, UL_ERROR_DBUS_PREFIX "UpdateFailed" },
  { UL_ERROR_LINK_USED, UL_ERROR_DBUS_PREFIX "LinkUsed" },
  { UL_ERROR_LINK_EXPIRED, UL_ERROR_DBUS_PREFIX "LinkExpired" },
};

/* Indexed by UlErrorCode: the JSON "code" of the HTTPS API. */
static const char * const ul_error_strings[] = {
  [UL_ERROR_FAILED] = "failed",
  [UL_ERROR_INVALID_ARGUMENT] = "invalid-argument",
  [UL_ERROR_NOT_FOUND] = "not-found",
  [UL_ERROR_CONFIRMATION_REQUIRED] = "confirmation-required",
  [UL_ERROR_WRONG_STATE] = "wrong-state",
  [UL_ERROR_PERMISSION_DENIED] = "permission-denied",
  [UL_ERROR_BUSY] = "busy",
  [UL_ERROR_TIMED_OUT] = "timed-out",
  [UL_ERROR_STORAGE] = "storage",
  [UL_ERROR_PBX_UNREACHABLE] = "pbx-unreachable",
  [UL_ERROR_PBX_REFUSED] = "pbx-refused",
  [UL_ERROR_PBX_AUTH_FAILED] = "pbx-auth-failed",
  [UL_ERROR_PBX_PROTOCOL] = "pbx-protocol",
  [UL_ERROR_PBX_LICENSE_LIMIT] = "pbx-license-limit",
  [UL_ERROR_DIRECTORY_FAILED] = "directory-failed",
  [UL_ERROR_UNAUTHORIZED] = "unauthorized",
  [UL_ERROR_RATE_LIMITED] = "rate-limited",
  [UL_ERROR_MAIL_FAILED] = "mail-failed",
  [UL_ERROR_UPDATE_FAILED] = "update-failed",
  [UL_ERROR_LINK_USED] = "link-used",
  [UL_ERROR_LINK_EXPIRED] = "link-expired",
};

G_STATIC_ASSERT (G_N_ELEMENTS (ul_error_dbus_entries) == UL_ERROR_LAST + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (ul_error_strings) == UL_ERROR_LAST + 1);

static gboolean
code_is_valid (UlErrorCode code)
{
  return (int) code >= 0 && code <= UL_ERROR_LAST;
}

const char *
ul_error_code_to_dbus_name (UlErrorCode code)
{
  g_return_val_if_fail (code_is_valid (code), NULL);

  return ul_error_dbus_entries[code].dbus_error_name;
}

const char *
ul_error_code_to_string (UlErrorCode code)
{
  g_return_val_if_fail (code_is_valid (code), NULL);

  return ul_error_strings[code];
}

gboolean
ul_error_code_from_string (const char *str, UlErrorCode *out)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (ul_error_strings); i++)
    {
      if (g_str_equal (str, ul_error_strings[i]))
        {
          *out = (UlErrorCode) i;
          return TRUE;
        }
    }

  return FALSE;
}

void
ul_error_register_dbus (void)
{
  static gsize quark_volatile = 0;

  /* The domain name must be the one G_DEFINE_QUARK used, so that the registered
   * errors come back as UL_ERROR and not as a second, look-alike domain. */
  g_dbus_error_register_error_domain ("ul-error-quark",
                                      &quark_volatile,
                                      ul_error_dbus_entries,
                                      G_N_ELEMENTS (ul_error_dbus_entries));
}

void
ul_set_field_error (GError    **error,
                    UlErrorCode code,
                    const char *field,
                    const char *reason_fmt,
                    ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  g_return_if_fail (reason_fmt != NULL);

  if (error == NULL)
    return;

  va_start (args, reason_fmt);
  reason = g_strdup_vprintf (reason_fmt, args);
  va_end (args);

  if (field != NULL && *field != '\0')
    g_set_error (error, UL_ERROR, code, "%s: %s", field, reason);
  else
    g_set_error_literal (error, UL_ERROR, code, reason);
}

/* Skips "GDBus.Error:<name>: " of a remote error that was not stripped. */
static const char *
skip_remote_prefix (const char *message)
{
  const char *sep;

  if (!g_str_has_prefix (message, UL_ERROR_REMOTE_PREFIX))
    return message;

  sep = strstr (message, ": ");
  return sep != NULL ? sep + 2 : message;
}

/* A field is a key path: a camelCase key starting with a lower-case letter, then any
 * number of ".key" and "[index]" parts. Requiring that shape keeps ordinary messages
 * such as "Timed out: no answer" from being mistaken for a field. Returns the length
 * of the field before ": ", or 0. */
static gsize
scan_field (const char *message)
{
  const char *p = message;

  if (!g_ascii_islower (*p))
    return 0;

  while (*p != '\0' && *p != ':')
    {
      if (g_ascii_isalnum (*p) || *p == '_')
        {
          p++;
        }
      else if (*p == '.' && g_ascii_isalpha (p[1]))
        {
          p++;
        }
      else if (*p == '[' && g_ascii_isdigit (p[1]))
        {
          p++;
          while (g_ascii_isdigit (*p))
            p++;
          if (*p != ']')
            return 0;
          p++;
        }
      else
        {
          return 0;
        }
    }

  if (p[0] != ':' || p[1] != ' ')
    return 0;

  return p - message;
}

char *
ul_error_get_field (const GError *error)
{
  const char *message;
  gsize len;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != UL_ERROR)
    return NULL;

  message = skip_remote_prefix (error->message);
  len = scan_field (message);

  return len > 0 ? g_strndup (message, len) : NULL;
}

char *
ul_error_get_reason (const GError *error)
{
  const char *message;
  gsize len;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != UL_ERROR)
    return g_strdup (error->message);

  message = skip_remote_prefix (error->message);
  len = scan_field (message);

  /* Past the field and its ": " separator. */
  return g_strdup (len > 0 ? message + len + 2 : message);
}

void
ul_error_prefix_field (GError **error, const char *prefix)
{
  const char *message;
  gsize len;
  char *joined;

  g_return_if_fail (prefix != NULL && *prefix != '\0');

  if (error == NULL || *error == NULL || (*error)->domain != UL_ERROR)
    return;

  message = skip_remote_prefix ((*error)->message);
  len = scan_field (message);
  if (len == 0)
    return;

  joined = g_strconcat (prefix, ".", message, NULL);
  g_free ((*error)->message);
  (*error)->message = joined;
}
