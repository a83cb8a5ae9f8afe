/* bench-dashboard — uplink-dashboard's responsiveness (issue #5), as JSON:
 *
 *   - from GTK's start to the window's first frame, and to a populated customer list
 *     (rows from the remembered gateways, then every gateway answering and signed in);
 *   - the frame times while scrolling the users of a gateway with 10,000 users.
 *
 * Real processes: uplinkd with its HTTPS API, uplink-pbxsim's 10,000-user directory, under
 * Xvfb (cairo renderer, as CI has no GPU). Build without sanitizers for real figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "ul-application.h"
#include "ul-customer-row.h"
#include "ul-dashboard-page.h"
#include "ul-gui-test.h"
#include "ul-json.h"
#include "ul-users-dialog.h"
#include "ul-window.h"

#define N_GATEWAYS  3
#define N_USERS     10000
#define PASSWORD    "correct horse battery"
#define EMAIL       "partner@example.com"
#define WAIT_MS     120000

static gboolean done;
static GVariant *reply;
static GError *failure;

static void
on_called (GObject *source, GAsyncResult *result, gpointer user_data)
{
  reply = ul_gateway_call_finish (UL_GATEWAY (source), result, &failure);
  done = TRUE;
}

static GVariant *
call (UlGateway *gateway, UlApiOp op, GVariant *body)
{
  done = FALSE;
  g_clear_error (&failure);
  ul_gateway_call_async (gateway, op, NULL, body, NULL, on_called, NULL);
  UL_GUI_WAIT (done, WAIT_MS);
  if (reply == NULL)
    g_error ("call %d failed: %s", op, failure->message);
  return g_steal_pointer (&reply);
}

static void
on_claimed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  if (!ul_gateway_claim_finish (UL_GATEWAY (source), result, &failure))
    g_error ("claim failed: %s", failure->message);
  done = TRUE;
}

static void
on_probed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  if (!ul_gateway_probe_finish (UL_GATEWAY (source), result, &failure))
    g_error ("probe failed: %s", failure->message);
  done = TRUE;
}

/* Claims @gateway and names its customer, as a partner would have done before. */
static UlGateway *
prepare (UlGuiGateway *process, guint index, GKeyFile *known)
{
  UlGateway *gateway = ul_gateway_new ("127.0.0.1", process->https_port);
  g_autofree char *name = g_strdup_printf ("Customer %02u AG", index + 1);
  g_autoptr(GVariant) customer = NULL;
  GVariant *changes;

  done = FALSE;
  ul_gateway_probe_async (gateway, NULL, on_probed, NULL);
  UL_GUI_WAIT (done, WAIT_MS);
  done = FALSE;
  ul_gateway_claim_async (gateway, EMAIL, PASSWORD, NULL, on_claimed, NULL);
  UL_GUI_WAIT (done, WAIT_MS);

  changes = g_variant_parse (NULL,
                             "{'name': <'x'>, 'businessType': <'hospitality'>, 'language': <'de'>,"
                             " 'address': <{'street': <'Bahnhofstrasse 1'>, 'city': <'Zürich'>,"
                             "              'postalCode': <'8001'>, 'country': <'CH'>}>,"
                             " 'supportContacts': <[{'role': <'maintainer'>, 'name': <'Tech'>,"
                             "                       'email': <'tech@partner.example'>},"
                             "                      {'role': <'onsiteAdmin'>, 'name': <'Anna'>,"
                             "                       'email': <'anna@customer.example'>}]>}",
                             NULL, NULL, NULL);
  {
    GVariantDict dict;

    g_variant_dict_init (&dict, changes);
    g_variant_dict_insert (&dict, "name", "s", name);
    g_variant_unref (changes);
    changes = g_variant_dict_end (&dict);
  }
  customer = call (gateway, UL_API_OP_UPDATE_CUSTOMER, changes);

  g_key_file_set_string (known, ul_gateway_get_id (gateway), "host", "127.0.0.1");
  g_key_file_set_integer (known, ul_gateway_get_id (gateway), "port", (int) process->https_port);
  g_key_file_set_string (known, ul_gateway_get_id (gateway), "fingerprint",
                         ul_api_client_get_pinned_fingerprint (ul_gateway_get_client (gateway)));
  g_key_file_set_string (known, ul_gateway_get_id (gateway), "email", EMAIL);
  g_key_file_set_string (known, ul_gateway_get_id (gateway), "customer-name", name);
  g_key_file_set_string (known, ul_gateway_get_id (gateway), "account-id",
                         ul_json_lookup_string (customer, "accountId", ""));
  return gateway;
}

/* 10,000 users on the first gateway: its directory is the simulator's CSV export. */
static void
fill_users (UlGateway *gateway, const char *csv)
{
  g_autofree char *text = g_strdup_printf ("{'kind': <'csv'>, 'csv': <{'path': <'%s'>}>}", csv);

  g_variant_unref (call (gateway, UL_API_OP_UPDATE_DIRECTORY,
                         g_variant_parse (NULL, text, NULL, NULL, NULL)));
  g_variant_unref (call (gateway, UL_API_OP_SYNC, NULL));
}

/* ---- frames ---- */

static gboolean first_frame;

static void
on_first_paint (GdkFrameClock *clock, gpointer user_data)
{
  first_frame = TRUE;
}

typedef struct
{
  GArray        *durations;  /* ms of work per frame */
  gint64         started;
  GtkAdjustment *adjustment;
  guint          frames;
  guint          max_frames;
  double         step;
} Scroll;

static void
on_update (GdkFrameClock *clock, Scroll *scroll)
{
  scroll->started = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock, Scroll *scroll)
{
  double ms;

  if (scroll->started == 0)
    return;
  ms = (g_get_monotonic_time () - scroll->started) / 1000.0;
  g_array_append_val (scroll->durations, ms);
  scroll->started = 0;
}

/* Moves the list on every frame: down by @step, back to the top at the end. */
static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  Scroll *scroll = user_data;
  double value = gtk_adjustment_get_value (scroll->adjustment) + scroll->step;
  double upper = gtk_adjustment_get_upper (scroll->adjustment) -
                 gtk_adjustment_get_page_size (scroll->adjustment);

  gtk_adjustment_set_value (scroll->adjustment, value > upper ? 0 : value);
  return ++scroll->frames < scroll->max_frames ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_frames (const char *name, GArray *durations, gboolean last)
{
  guint n = durations->len;
  guint slow = 0;
  double *v = (double *) durations->data;

  g_array_sort (durations, compare_double);
  for (guint i = 0; i < n; i++)
    slow += v[i] > 16.7;
  g_print ("    \"%s\": {\"frames\": %u, \"p50_ms\": %.2f, \"p95_ms\": %.2f, \"p99_ms\": %.2f, "
           "\"max_ms\": %.2f, \"over_16_7_ms\": %u}%s\n",
           name, n, v[n / 2], v[(guint) (n * 0.95)], v[(guint) (n * 0.99)], v[n - 1], slow,
           last ? "" : ",");
}

static GArray *
scroll_through (GtkWidget *view, double step, guint frames)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (view);
  Scroll scroll = { 0 };
  gulong update_id;
  gulong paint_id;

  scroll.durations = g_array_new (FALSE, FALSE, sizeof (double));
  scroll.adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  scroll.max_frames = frames;
  scroll.step = step > 0 ? step : gtk_adjustment_get_page_size (scroll.adjustment);
  gtk_adjustment_set_value (scroll.adjustment, 0);
  update_id = g_signal_connect (clock, "update", G_CALLBACK (on_update), &scroll);
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &scroll);
  gtk_widget_add_tick_callback (view, on_tick, &scroll, NULL);
  UL_GUI_WAIT (scroll.frames >= scroll.max_frames, WAIT_MS);
  ul_gui_settle (view);
  g_signal_handler_disconnect (clock, update_id);
  g_signal_handler_disconnect (clock, paint_id);
  return scroll.durations;
}

static gboolean
all_rows (UlDashboardPage *page, gboolean answered)
{
  GtkListBox *list = ul_dashboard_page_get_customers_list (page);
  guint rows = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      UlGateway *gateway;

      if (!UL_IS_CUSTOMER_ROW (child))
        continue;
      gateway = ul_customer_row_get_gateway (UL_CUSTOMER_ROW (child));
      if (answered && ul_gateway_get_state (gateway) != UL_GATEWAY_STATE_ONLINE)
        return FALSE;
      if (answered && g_strcmp0 (ul_customer_row_get_status_text (UL_CUSTOMER_ROW (child)), "") == 0)
        return FALSE;
      rows++;
    }
  return rows == N_GATEWAYS;
}

int
main (int argc, char **argv)
{
  g_autofree char *reason = NULL;
  g_autoptr(GKeyFile) known = g_key_file_new ();
  g_autofree char *known_dir = NULL;
  g_autofree char *known_path = NULL;
  g_autoptr(GError) error = NULL;
  UlGuiGateway *processes[N_GATEWAYS];
  UlGateway *prepared[N_GATEWAYS];
  UlGuiPbx *pbx;
  UlApplication *app;
  UlWindow *window;
  UlUsersDialog *dialog;
  GArray *smooth;
  GArray *paging;
  gint64 t0, t_gtk, t_window, t_frame, t_rows, t_answered;
  guint n_users;

  if (!ul_gui_test_setup (&reason))
    {
      g_print ("{\"skipped\": \"%s\"}\n", reason);
      return 0;
    }

  /* Before the clock starts: gateways claimed and onboarded, one with 10,000 users, and
   * the list of known gateways a previous run of the dashboard would have left. */
  pbx = ul_gui_pbx_start (N_USERS);
  for (guint i = 0; i < N_GATEWAYS; i++)
    {
      processes[i] = ul_gui_gateway_start ();
      prepared[i] = prepare (processes[i], i, known);
    }
  fill_users (prepared[0], pbx->csv);
  known_dir = g_build_filename (g_get_user_data_dir (), "uplink-dashboard", NULL);
  known_path = g_build_filename (known_dir, "gateways.ini", NULL);
  g_mkdir_with_parents (known_dir, 0700);
  g_assert_true (g_key_file_save_to_file (known, known_path, &error));

  /* The clock: GTK's start, the application, the window and its first frame. */
  t0 = g_get_monotonic_time ();
  ul_gui_test_init_gtk (&argc, &argv);
  t_gtk = g_get_monotonic_time ();
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.uplink.Dashboard");

    g_settings_set_boolean (settings, "discovery", FALSE);
  }
  app = ul_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = ul_window_new (app);
  t_window = g_get_monotonic_time ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 820);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (on_first_paint), NULL);
  UL_GUI_WAIT (first_frame, WAIT_MS);
  t_frame = g_get_monotonic_time ();

  /* Rows from the remembered gateways, then each answering. Without a keyring on this
   * machine the passwords are given here, as the keyring lookup would. */
  UL_GUI_WAIT (all_rows (UL_DASHBOARD_PAGE (ul_window_get_dashboard_page (window)), FALSE),
               WAIT_MS);
  t_rows = g_get_monotonic_time ();
  for (guint i = 0; i < N_GATEWAYS; i++)
    {
      UlGateway *gateway = ul_gateway_list_find (ul_application_get_gateways (app),
                                                 ul_gateway_get_id (prepared[i]));

      ul_gateway_sign_in_async (gateway, EMAIL, PASSWORD, NULL, NULL, NULL);
    }
  UL_GUI_WAIT (all_rows (UL_DASHBOARD_PAGE (ul_window_get_dashboard_page (window)), TRUE),
               WAIT_MS);
  t_answered = g_get_monotonic_time ();

  /* 10,000 users in a column view, scrolled smoothly and a page per frame. */
  dialog = ul_users_dialog_new (GTK_WIDGET (window),
                                ul_gateway_list_find (ul_application_get_gateways (app),
                                                      ul_gateway_get_id (prepared[0])),
                                UL_USERS_DIALOG_ALL);
  gtk_window_present (GTK_WINDOW (dialog));
  UL_GUI_WAIT (!ul_users_dialog_get_loading (dialog) &&
                 g_list_model_get_n_items (ul_users_dialog_get_model (dialog)) == N_USERS,
               WAIT_MS);
  n_users = g_list_model_get_n_items (ul_users_dialog_get_model (dialog));
  ul_gui_settle (GTK_WIDGET (dialog));
  smooth = scroll_through (ul_users_dialog_get_view (dialog), 40, 600);
  paging = scroll_through (ul_users_dialog_get_view (dialog), 0, 300);

  g_print ("{\n  \"benchmark\": \"dashboard\",\n  \"renderer\": \"%s\",\n",
           g_getenv ("GSK_RENDERER"));
  g_print ("  \"gtk_init_ms\": %.1f,\n", (t_gtk - t0) / 1000.0);
  g_print ("  \"app_and_window_ms\": %.1f,\n", (t_window - t_gtk) / 1000.0);
  g_print ("  \"start_to_first_frame_ms\": %.1f,\n", (t_frame - t0) / 1000.0);
  g_print ("  \"start_to_customer_rows_ms\": %.1f,\n", (t_rows - t0) / 1000.0);
  g_print ("  \"start_to_customers_answered_ms\": %.1f,\n", (t_answered - t0) / 1000.0);
  g_print ("  \"customers\": %u,\n  \"users\": %u,\n  \"scroll\": {\n", N_GATEWAYS, n_users);
  print_frames ("smooth_40px_per_frame", smooth, FALSE);
  print_frames ("one_page_per_frame", paging, TRUE);
  g_print ("  }\n}\n");

  g_array_unref (smooth);
  g_array_unref (paging);
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  for (guint i = 0; i < N_GATEWAYS; i++)
    {
      g_object_unref (prepared[i]);
      ul_gui_gateway_free (processes[i]);
    }
  ul_gui_pbx_free (pbx);
  ul_gui_test_cleanup ();
  return 0;
}
