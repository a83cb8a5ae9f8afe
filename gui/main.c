/* uplink-dashboard — the partner's app for Uplink gateways (DESIGN.md §8).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "ul-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr(UlApplication) app = NULL;
  const char *localedir = g_getenv ("UL_LOCALEDIR");

  /* UL_LOCALEDIR lets an uninstalled build use the catalogs it just compiled. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Uplink Dashboard"));
  app = ul_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
