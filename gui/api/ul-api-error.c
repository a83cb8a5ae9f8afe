/* ul-api-error.c — errors of the dashboard's link to a gateway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "ul-api-error.h"

G_DEFINE_QUARK (ul-api-error-quark, ul_api_error)

gboolean
ul_api_error_is_unreachable (const GError *error)
{
  if (error == NULL)
    return FALSE;

  if (g_error_matches (error, UL_API_ERROR, UL_API_ERROR_UNREACHABLE))
    return TRUE;

  /* A cancelled request says nothing about the gateway. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  return error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR ||
         error->domain == G_TLS_ERROR;
}
