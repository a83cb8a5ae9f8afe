/* test-l10n.c — the dashboard follows the desktop language: its own strings and those of
 * core/common (status messages, validation reasons) in German, French, Italian, Spanish
 * and Dutch, from the catalogs the build compiled. A screenshot per language.
 *
 * One language per run, from $LANGUAGE as a desktop session sets it: GLib decides once per
 * process whether to translate at all (g_dgettext()), so the language cannot change later.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libintl.h>
#include <locale.h>

#include "ul-application.h"
#include "ul-dashboard-page.h"
#include "ul-error.h"
#include "ul-gui-test.h"
#include "ul-status.h"
#include "ul-validate.h"
#include "ul-window.h"

static UlApplication *app;

static const struct
{
  const char *lang;
  const char *title;      /* the dashboard's header */
  const char *lost;       /* core/common: gateway-unreachable */
  const char *required;   /* core/common: a validation reason */
} languages[] = {
  { "de", "Partner-Dashboard", "Verbindung zum Gateway verloren", "Dieses Feld ist erforderlich" },
  { "fr", "Tableau de bord partenaire", "Connexion à la passerelle perdue", "Ce champ est obligatoire" },
  { "it", "Dashboard del partner", "Connessione al gateway persa", "Questo campo è obbligatorio" },
  { "es", "Panel del socio", "Conexión con la pasarela perdida", "Este campo es obligatorio" },
  { "nl", "Partnerdashboard", "Verbinding met gateway verbroken", "Dit veld is verplicht" },
};

static void
test_language (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *shot = g_strdup_printf ("l10n-%s", languages[i].lang);
  UlWindow *window;

  window = ul_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_present (GTK_WINDOW (window));
  ul_gui_settle (GTK_WIDGET (window));

  g_assert_nonnull (ul_gui_find (ul_window_get_dashboard_page (window), ADW_TYPE_WINDOW_TITLE,
                                 NULL));
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (
                     ul_gui_get (ul_window_get_dashboard_page (window), ADW_TYPE_WINDOW_TITLE,
                                 NULL))), ==, languages[i].title);
  g_assert_cmpstr (ul_status_code_get_message (UL_STATUS_GATEWAY_UNREACHABLE), ==,
                   languages[i].lost);
  g_assert_false (ul_validate_required ("", "name", &error));
  reason = ul_error_get_reason (error);
  g_assert_cmpstr (reason, ==, languages[i].required);

  UL_GUI_WAIT (g_strcmp0 (ul_dashboard_page_get_view (UL_DASHBOARD_PAGE (
                            ul_window_get_dashboard_page (window))), "empty") == 0, 10000);
  ul_gui_snapshot (GTK_WIDGET (window), shot);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  g_autofree char *reason = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  const char *lang = g_getenv ("LANGUAGE");
  int status;

  if (!ul_gui_test_init (&argc, &argv, &reason))
    {
      g_print ("1..0 # SKIP %s\n", reason);
      return 0;
    }
  /* gtk_test_init() keeps the C locale; the app itself runs in the user's. */
  setlocale (LC_ALL, "");
  textdomain (GETTEXT_PACKAGE);

  settings = g_settings_new ("io.github.uplink.Dashboard");
  g_settings_set_boolean (settings, "discovery", FALSE);
  app = ul_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autofree char *path = g_strdup_printf ("/uplink/gui/l10n/%s", languages[i].lang);

      if (g_strcmp0 (lang, languages[i].lang) == 0)
        g_test_add_data_func (path, GUINT_TO_POINTER (i), test_language);
    }
  status = g_test_run ();
  g_clear_object (&app);
  ul_gui_test_cleanup ();
  return status;
}
