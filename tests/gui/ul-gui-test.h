/* ul-gui-test.h — driving the real dashboard widgets under Xvfb, against a real uplinkd
 * (HTTPS on a free port, its D-Bus on a private bus) and a real uplink-pbxsim. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What the dashboard finds on its session bus (UL_GUI_TEST_KEYRING): */
typedef enum
{
  UL_GUI_KEYRING_GNOME,   /* "gnome-keyring" (default): a private bus, an unlocked keyring */
  UL_GUI_KEYRING_NONE,    /* "none": a private bus without any Secret Service */
  UL_GUI_KEYRING_NO_BUS,  /* "no-bus": no session bus at all */
} UlGuiKeyring;

/* Starts Xvfb on a free display (unless UL_GUI_TEST_DISPLAY names one), points GTK, GLib
 * and the XDG directories (XDG_RUNTIME_DIR too) at private places, gives the process a
 * session bus of its own with a real gnome-keyring-daemon on it (its "login" keyring made
 * and unlocked with a password on stdin, so nothing ever prompts or touches the user's
 * keyring), and initializes GTK. Returns FALSE with a reason when no X server or keyring
 * can be had (the caller skips). */
gboolean ul_gui_test_init (int *argc, char ***argv, char **reason);
void     ul_gui_test_cleanup (void);
/* ul_gui_test_init() in two halves, for the benchmark to time GTK's own start: the
 * environment, the X server, the bus and the keyring, then GTK and libadwaita. */
gboolean ul_gui_test_setup (char **reason);
void     ul_gui_test_init_gtk (int *argc, char ***argv);
UlGuiKeyring ul_gui_test_get_keyring (void);

/* The keyring as another Secret Service client sees it (libsecret's secret-tool): the
 * password stored under the dashboard's schema for @gateway_id and @email, or NULL. */
char    *ul_gui_keyring_lookup (const char *gateway_id, const char *email);
/* The number of items the keyring holds under the dashboard's schema for @gateway_id. */
guint    ul_gui_keyring_count (const char *gateway_id);
/* How many items the keyring created, changed or deleted so far (its D-Bus signals), to
 * wait for a store or a delete to have happened. */
guint    ul_gui_keyring_get_changes (void);

/* The files under the XDG data, config, cache and state directories that contain @needle
 * (NULL-terminated, empty when none); *@n_files (may be NULL) counts the files read. */
GStrv    ul_gui_find_in_files (const char *needle, guint *n_files);

typedef struct
{
  char            *root;        /* temporary directory */
  char            *data_dir;
  GSubprocess     *process;
  guint            https_port;
  GDBusConnection *bus;         /* the private bus uplinkd is on, to check its state */
} UlGuiGateway;

/* uplinkd --session --https-port 0 --listen 127.0.0.1, on a private bus of its own. */
UlGuiGateway *ul_gui_gateway_start (void);
/* SIGTERM and wait. */
void          ul_gui_gateway_stop (UlGuiGateway *self);
void          ul_gui_gateway_free (UlGuiGateway *self);
char         *ul_gui_gateway_address (UlGuiGateway *self);
/* Calls io.github.uplink.Gateway1.<iface>.<method> on the gateway's bus: the state the
 * dashboard must (or must not) have changed. NULL with @error on failure. */
GVariant     *ul_gui_gateway_call (UlGuiGateway *self, const char *iface, const char *method,
                                   GVariant *params, GError **error);

typedef struct
{
  char        *root;
  char        *csv;       /* its directory, exported as CSV */
  GSubprocess *process;
  guint        port;
} UlGuiPbx;

/* uplink-pbxsim --demo (or --users N) on a free port, username "cloudlink". */
UlGuiPbx *ul_gui_pbx_start (int users);
void      ul_gui_pbx_free (UlGuiPbx *self);

/* Runs the main loop until @cond holds, failing the test after @ms milliseconds. */
#define UL_GUI_WAIT(cond, ms)                                                   \
  G_STMT_START {                                                                \
    gint64 ul_gui_deadline_ = g_get_monotonic_time () + (gint64) (ms) * 1000;   \
    while (!(cond))                                                             \
      {                                                                         \
        if (g_get_monotonic_time () > ul_gui_deadline_)                         \
          g_error ("timed out after %d ms waiting for: %s", (int) (ms), #cond); \
        ul_gui_iterate ();                                                      \
      }                                                                         \
  } G_STMT_END

/* One main-loop iteration, waking at least every 10 ms. */
void       ul_gui_iterate (void);
/* Lets pending work and a frame happen. */
void       ul_gui_settle (GtkWidget *widget);

/* Depth-first search under @root for a widget of @type whose label, title or accessible
 * label is @label (NULL: any). */
GtkWidget *ul_gui_find (GtkWidget *root, GType type, const char *label);
/* The same, failing the test when nothing matches. */
GtkWidget *ul_gui_get (GtkWidget *root, GType type, const char *label);
/* The newest visible toplevel of @type. */
GtkWindow *ul_gui_find_window (GType type);
void       ul_gui_click (GtkWidget *button);
void       ul_gui_type (GtkWidget *editable, const char *text);

/* Saves @widget as <screenshots>/@name.png (UL_SCREENSHOT_DIR). */
void       ul_gui_snapshot (GtkWidget *widget, const char *name);

G_END_DECLS
