/* ul-error.h — the one error domain shared by the engine and both frontends.
 *
 * Every error that can reach a client carries a stable code (mapped to a D-Bus error
 * name io.github.uplink.Gateway1.Error.<Name> and to a JSON code "<kebab-name>") and,
 * for input errors, the name of the offending field. The field travels inside the
 * message as "<field>: <reason>" so that it survives D-Bus and JSON unchanged;
 * ul_error_get_field() recovers it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UL_ERROR (ul_error_quark ())
GQuark ul_error_quark (void);

typedef enum
{
  UL_ERROR_FAILED,                 /* Failed                 failed                 */
  UL_ERROR_INVALID_ARGUMENT,       /* InvalidArgument        invalid-argument       */
  UL_ERROR_NOT_FOUND,              /* NotFound               not-found              */
  UL_ERROR_CONFIRMATION_REQUIRED,  /* ConfirmationRequired   confirmation-required  */
  UL_ERROR_WRONG_STATE,            /* WrongState             wrong-state            */
  UL_ERROR_PERMISSION_DENIED,      /* PermissionDenied       permission-denied      */
  UL_ERROR_BUSY,                   /* Busy                   busy                   */
  UL_ERROR_TIMED_OUT,              /* TimedOut               timed-out              */
  UL_ERROR_STORAGE,                /* Storage                storage                */
  /* Reserved for the PBX link and directory (issue #3). */
  UL_ERROR_PBX_UNREACHABLE,        /* PbxUnreachable         pbx-unreachable        */
  UL_ERROR_PBX_REFUSED,            /* PbxRefused             pbx-refused            */
  UL_ERROR_PBX_AUTH_FAILED,        /* PbxAuthFailed          pbx-auth-failed        */
  UL_ERROR_PBX_PROTOCOL,           /* PbxProtocol            pbx-protocol           */
  UL_ERROR_PBX_LICENSE_LIMIT,      /* PbxLicenseLimit        pbx-license-limit      */
  UL_ERROR_DIRECTORY_FAILED,       /* DirectoryFailed        directory-failed       */
  /* Reserved for the network API, mail and update issues. */
  UL_ERROR_UNAUTHORIZED,           /* Unauthorized           unauthorized           */
  UL_ERROR_RATE_LIMITED,           /* RateLimited            rate-limited           */
  UL_ERROR_MAIL_FAILED,            /* MailFailed             mail-failed            */
  UL_ERROR_UPDATE_FAILED,          /* UpdateFailed           update-failed          */
  /* Registration links of the deployment e-mails (issue #6); an unknown link is NotFound. */
  UL_ERROR_LINK_USED,              /* LinkUsed               link-used              */
  UL_ERROR_LINK_EXPIRED,           /* LinkExpired            link-expired           */
} UlErrorCode;

#define UL_ERROR_LAST UL_ERROR_LINK_EXPIRED

/* Stable names for the bus and for JSON. */
const char *ul_error_code_to_dbus_name (UlErrorCode code);   /* "io.github.uplink.Gateway1.Error.InvalidArgument" */
const char *ul_error_code_to_string (UlErrorCode code);      /* "invalid-argument" */
/* The reverse of ul_error_code_to_string(), for clients of the JSON API; FALSE for an
 * unknown string (a newer gateway), leaving @out untouched. */
gboolean    ul_error_code_from_string (const char *str, UlErrorCode *out);

/* Sets an input error on @field (a JSON-style key path such as "supportContacts" or
 * "ethernet.gateway"); @reason_fmt is an already-translated, human sentence. */
void ul_set_field_error (GError    **error,
                         UlErrorCode code,
                         const char *field,
                         const char *reason_fmt,
                         ...) G_GNUC_PRINTF (4, 5);

/* Prefixes the field of an existing field error, turning "email" into
 * "adminContacts[2].email"; no-op for errors without a field. */
void ul_error_prefix_field (GError **error, const char *prefix);

/* The field an error names, or NULL. Works on errors that crossed D-Bus too, whether or
 * not g_dbus_error_strip_remote_error() was called. Returns a newly allocated string.
 * A field is a key path that starts with a lower-case letter ("ethernet.dns[0]"), so
 * messages of errors without a field must not start with "lowercaseword: ". */
char *ul_error_get_field (const GError *error);

/* The reason without the "<field>: " prefix. Newly allocated. */
char *ul_error_get_reason (const GError *error);

/* Registers every code with GDBusError so that remote errors map back to UL_ERROR. */
void ul_error_register_dbus (void);

G_END_DECLS
