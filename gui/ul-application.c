/* ul-application.c — uplink-dashboard's application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-application.h"
#include "ul-window.h"

struct _UlApplication
{
  AdwApplication parent_instance;

  GSettings     *settings;
  UlGatewayList *gateways;
  UlDiscovery   *discovery;

  /* Command line */
  char          *gateway_address;
  char          *fingerprint;
  gboolean       no_discovery;
};

G_DEFINE_FINAL_TYPE (UlApplication, ul_application, ADW_TYPE_APPLICATION)

enum
{
  SIGNAL_SHOW_HELP,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_help_shown (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  /* No help browser installed, most likely: say so rather than nothing. */
  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error) && UL_IS_WINDOW (source))
    ul_toast (GTK_WIDGET (source), _("The help could not be opened: %s"), error->message);
}

static void
ul_application_real_show_help (UlApplication *self, const char *page_id)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *uri = NULL;

  uri = page_id != NULL && *page_id != '\0' ? g_strconcat ("help:uplink/", page_id, NULL)
                                            : g_strdup ("help:uplink");
  gtk_show_uri_full (window, uri, GDK_CURRENT_TIME, NULL, on_help_shown, NULL);
}

static void
on_help (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  UlApplication *self = UL_APPLICATION (user_data);

  g_signal_emit (self, signals[SIGNAL_SHOW_HELP], 0, g_variant_get_string (parameter, NULL));
}

static void
on_about (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  UlApplication *self = UL_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { "The Uplink contributors", NULL };

  adw_show_about_window (window,
                         "application-name", _("Uplink Dashboard"),
                         "application-icon", UL_APP_ID,
                         "developer-name", _("The Uplink contributors"),
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         /* Translators: put your names here, one per line. */
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("Find Uplink gateways, onboard customers and connect "
                                       "their MiVoice Office 400 PBX."),
                         NULL);
}

static void
on_quit (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_application_quit (app);
}

static const GActionEntry app_actions[] = {
  { "help", on_help, "s", NULL, NULL },
  { "about", on_about, NULL, NULL, NULL },
  { "quit", on_quit, NULL, NULL, NULL },
};

/* @message already says, in plain words, what it means for the partner. A dialog may be
 * the active window: the toast goes to the main window all the same. */
static void
on_keyring_failed (UlGatewayList *gateways, const char *message, UlApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (UL_IS_WINDOW (l->data))
      {
        ul_window_toast (UL_WINDOW (l->data), message);
        return;
      }
  g_message ("%s", message);
}

static void
ul_application_startup (GApplication *app)
{
  UlApplication *self = UL_APPLICATION (app);
  static const char *help_accels[] = { "F1", NULL };
  static const char *quit_accels[] = { "<Primary>q", NULL };

  G_APPLICATION_CLASS (ul_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help::", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);

  self->settings = g_settings_new (UL_APP_ID);
  self->gateways = ul_gateway_list_new (NULL);
  ul_gateway_list_set_poll_interval (self->gateways,
                                     g_settings_get_uint (self->settings, "poll-interval"));
  g_signal_connect (self->gateways, "keyring-failed", G_CALLBACK (on_keyring_failed), self);

  self->discovery = ul_discovery_new ();
  ul_gateway_list_set_discovery (self->gateways, self->discovery);
  ul_gateway_list_load (self->gateways);
  if (!self->no_discovery && g_settings_get_boolean (self->settings, "discovery"))
    ul_discovery_start (self->discovery);
}

static void
ul_application_activate (GApplication *app)
{
  UlApplication *self = UL_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (ul_window_new (self));
      if (self->gateway_address != NULL)
        ul_window_add_gateway (UL_WINDOW (window), self->gateway_address, self->fingerprint);
    }
  gtk_window_present (window);
}

static int
ul_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  UlApplication *self = UL_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("uplink-dashboard %s\n", PACKAGE_VERSION);
      return 0;
    }
  g_variant_dict_lookup (options, "gateway", "s", &self->gateway_address);
  g_variant_dict_lookup (options, "fingerprint", "s", &self->fingerprint);
  self->no_discovery = g_variant_dict_contains (options, "no-discovery");
  return -1;
}

static void
ul_application_shutdown (GApplication *app)
{
  UlApplication *self = UL_APPLICATION (app);

  if (self->discovery != NULL)
    ul_discovery_stop (self->discovery);
  g_clear_object (&self->gateways);
  g_clear_object (&self->discovery);
  g_clear_object (&self->settings);

  G_APPLICATION_CLASS (ul_application_parent_class)->shutdown (app);
}

static void
ul_application_finalize (GObject *object)
{
  UlApplication *self = UL_APPLICATION (object);

  g_free (self->gateway_address);
  g_free (self->fingerprint);

  G_OBJECT_CLASS (ul_application_parent_class)->finalize (object);
}

static void
ul_application_class_init (UlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = ul_application_finalize;
  app_class->startup = ul_application_startup;
  app_class->activate = ul_application_activate;
  app_class->handle_local_options = ul_application_handle_local_options;
  app_class->shutdown = ul_application_shutdown;

  signals[SIGNAL_SHOW_HELP] =
    g_signal_new_class_handler ("show-help", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (ul_application_real_show_help), NULL, NULL, NULL,
                                G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ul_application_init (UlApplication *self)
{
  const GOptionEntry entries[] = {
    { "gateway", 'g', 0, G_OPTION_ARG_STRING, NULL,
      N_("Add the gateway at this address (host or host:port)"), N_("ADDRESS") },
    { "fingerprint", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("The SHA-256 fingerprint of that gateway's certificate, to trust it without asking"),
      N_("SHA256") },
    { "no-discovery", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Do not look for gateways on the local network"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL },
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

UlApplication *
ul_application_new (void)
{
  return g_object_new (UL_TYPE_APPLICATION,
                       "application-id", UL_APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/uplink/Dashboard",
                       NULL);
}

UlGatewayList *
ul_application_get_gateways (UlApplication *self)
{
  g_return_val_if_fail (UL_IS_APPLICATION (self), NULL);
  return self->gateways;
}

UlDiscovery *
ul_application_get_discovery (UlApplication *self)
{
  g_return_val_if_fail (UL_IS_APPLICATION (self), NULL);
  return self->discovery;
}

GSettings *
ul_application_get_settings (UlApplication *self)
{
  g_return_val_if_fail (UL_IS_APPLICATION (self), NULL);
  return self->settings;
}
