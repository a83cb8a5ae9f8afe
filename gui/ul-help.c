/* ul-help.c — links into the Mallard help.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ul-api-error.h"
#include "ul-error.h"
#include "ul-help.h"

void
ul_help_show (GtkWidget *widget, const char *page_id)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_widget_activate_action (widget, "app.help", "s", page_id != NULL ? page_id : "");
}

const char *
ul_help_page_for_error (const GError *error)
{
  if (error == NULL)
    return NULL;

  if (error->domain == UL_API_ERROR)
    return "status-gateway-unreachable";

  if (error->domain != UL_ERROR)
    return NULL;

  switch ((UlErrorCode) error->code)
    {
    case UL_ERROR_PBX_UNREACHABLE:
    case UL_ERROR_PBX_REFUSED:
    case UL_ERROR_PBX_PROTOCOL:
      return "status-pbx-unreachable";
    case UL_ERROR_PBX_AUTH_FAILED:
      return "status-pbx-auth-failed";
    case UL_ERROR_PBX_LICENSE_LIMIT:
      return "status-pbx-license-limit";
    case UL_ERROR_DIRECTORY_FAILED:
      return "status-directory-failed";
    case UL_ERROR_UPDATE_FAILED:
      return "status-update-failed";
    default:
      return NULL;
    }
}
