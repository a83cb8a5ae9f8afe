/* ul-api-error.h — errors of the dashboard's link to a gateway (not of the gateway itself).
 *
 * What the gateway refuses arrives as UL_ERROR (core/common) with its field; what goes
 * wrong on the way there (certificate, transport, a reply that is not the API) is
 * UL_API_ERROR. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UL_API_ERROR (ul_api_error_quark ())
GQuark ul_api_error_quark (void);

typedef enum
{
  UL_API_ERROR_CERTIFICATE_CHANGED,   /* the pinned certificate is not the one presented */
  UL_API_ERROR_CERTIFICATE_MISMATCH,  /* first contact: not the certificate mDNS announced */
  UL_API_ERROR_UNREACHABLE,           /* no answer: refused, timed out, no route */
  UL_API_ERROR_PROTOCOL,              /* an answer, but not the Uplink API */
  UL_API_ERROR_NOT_SUPPORTED,         /* the gateway's API lacks this operation (older gateway) */
} UlApiErrorCode;

/* Whether @error means "the gateway did not answer" (as opposed to "it said no"). */
gboolean ul_api_error_is_unreachable (const GError *error);

G_END_DECLS
