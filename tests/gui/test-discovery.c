/* test-discovery.c — the dashboard's discovery against real avahi-daemons: the laptop's
 * side of tests/netns/test-netns.sh, which runs it inside the "laptop" namespace under
 * Xvfb and changes the network when asked.
 *
 * It asks by writing "@@ <action>" on file descriptor 3 and reads the answer on stdin:
 * "ok key=value …" with what the shell knows (gateway ids, fingerprints, account IDs),
 * or "fail <reason>". The cases run in order, as the network changes:
 *   nothing on the LAN → no avahi-daemon → two gateways announced (one on the LAN, one
 *   beyond the router, reflected) → Create Customer → certificate changed → gateway stops.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>

#include "ul-api-error.h"
#include "ul-application.h"
#include "ul-claim-dialog.h"
#include "ul-customer-row.h"
#include "ul-dashboard-page.h"
#include "ul-discovery.h"
#include "ul-gateway-list.h"
#include "ul-gui-test.h"
#include "ul-window.h"

#define SHORT_MS  15000
#define LONG_MS   45000
/* The shell restarts daemons and onboards a customer meanwhile. */
#define ACTION_MS 120000

#define EMAIL     "tech@partner.example"
#define PASSWORD  "correct horse battery staple"
#define LAN_HOST  "10.231.1.10"

static struct
{
  UlApplication  *app;
  UlWindow       *window;
  UlDiscovery    *discovery;
  GOutputStream  *requests;
  GDataInputStream *answers;
  GHashTable     *known;     /* what the shell told: key → value */
  GHashTable     *reported;  /* id → UlDiscoveredGateway*, as the discovery last said */
  UlGateway      *customer;
} t;

/* ---- talking to the shell ---- */

static void
on_answer (GObject *source, GAsyncResult *result, gpointer user_data)
{
  char **line = user_data;
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                     &error);
  if (*line == NULL)
    g_error ("the shell did not answer: %s", error != NULL ? error->message : "end of input");
}

/* Asks the shell to do @action and waits (running the main loop, so that the dashboard
 * keeps following the network) for it to be done. */
static void
ask (const char *action)
{
  g_autofree char *request = g_strdup_printf ("@@ %s\n", action);
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = NULL;

  g_test_message ("asking the shell: %s", action);
  if (!g_output_stream_write_all (t.requests, request, strlen (request), NULL, NULL, &error) ||
      !g_output_stream_flush (t.requests, NULL, &error))
    g_error ("cannot ask the shell: %s", error->message);
  g_data_input_stream_read_line_async (t.answers, G_PRIORITY_DEFAULT, NULL, on_answer, &line);
  UL_GUI_WAIT (line != NULL, ACTION_MS);
  if (!g_str_has_prefix (line, "ok"))
    g_error ("the shell could not %s: %s", action, line);

  words = g_strsplit (line + 2, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *equal = strchr (words[i], '=');

      if (equal != NULL)
        g_hash_table_insert (t.known, g_strndup (words[i], equal - words[i]),
                             g_strdup (equal + 1));
    }
}

static const char *
known (const char *key)
{
  const char *value = g_hash_table_lookup (t.known, key);

  if (value == NULL)
    g_error ("the shell did not say what %s is", key);
  return value;
}

/* ---- what the dashboard shows ---- */

static void
on_found (UlDiscovery *discovery, UlDiscoveredGateway *found, gpointer user_data)
{
  g_hash_table_insert (t.reported, g_strdup (found->id), ul_discovered_gateway_copy (found));
}

static void
on_lost (UlDiscovery *discovery, const char *id, gpointer user_data)
{
  g_hash_table_remove (t.reported, id);
}

static UlDiscoveredGateway *
reported (const char *id)
{
  return g_hash_table_lookup (t.reported, id);
}

static UlGatewayList *
gateways (void)
{
  return ul_application_get_gateways (t.app);
}

static UlDashboardPage *
dashboard (void)
{
  return UL_DASHBOARD_PAGE (ul_window_get_dashboard_page (t.window));
}

/* How many gateways in the list have @id: a gateway shown twice is a bug. */
static guint
count_in_list (const char *id)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (gateways ())); i++)
    {
      g_autoptr(UlGateway) gateway = g_list_model_get_item (G_LIST_MODEL (gateways ()), i);

      if (g_strcmp0 (ul_gateway_get_id (gateway), id) == 0)
        n++;
    }
  return n;
}

static guint
count_rows (GtkWidget *root, GType type, const char *title)
{
  guint n = 0;

  if (root == NULL)
    return 0;
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && gtk_widget_get_visible (root) &&
      (title == NULL ||
       g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0))
    n++;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows (child, type, title);
  return n;
}

/* The rows of one of the dashboard's groups ("New Gateways on This Network" …), titled
 * @title (NULL: any); 0 while the group is hidden. */
static guint
rows_in_group (const char *group, const char *title)
{
  GtkWidget *widget = ul_gui_get (GTK_WIDGET (dashboard ()), ADW_TYPE_PREFERENCES_GROUP, group);

  if (!gtk_widget_get_visible (widget))
    return 0;
  return count_rows (widget, ADW_TYPE_ACTION_ROW, title);
}

/* The subtitle (the address) of the first row of a group. */
static const char *
first_subtitle (const char *group)
{
  GtkWidget *widget = ul_gui_get (GTK_WIDGET (dashboard ()), ADW_TYPE_PREFERENCES_GROUP, group);
  GtkWidget *row = ul_gui_get (widget, ADW_TYPE_ACTION_ROW, NULL);

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static UlCustomerRow *
customer_row (UlGateway *gateway)
{
  GtkListBox *list = ul_dashboard_page_get_customers_list (dashboard ());

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (UL_IS_CUSTOMER_ROW (child) && ul_customer_row_get_gateway (UL_CUSTOMER_ROW (child)) == gateway)
      return UL_CUSTOMER_ROW (child);
  return NULL;
}

static gboolean
view_is (const char *view)
{
  return g_strcmp0 (ul_dashboard_page_get_view (dashboard ()), view) == 0;
}

static void
assert_reason_mentions (const char *const *words)
{
  const char *reason = ul_dashboard_page_get_empty_reason (dashboard ());

  g_assert_nonnull (reason);
  g_test_message ("no gateway found: %s", reason);
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (reason, words[i]) == NULL)
      g_error ("the “no gateway found” page does not mention “%s”: %s", words[i], reason);
}

typedef struct
{
  gboolean done;
  GError  *error;
} Outcome;

static void
on_signed_in (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Outcome *outcome = user_data;

  ul_gateway_sign_in_finish (UL_GATEWAY (source), result, &outcome->error);
  outcome->done = TRUE;
}

/* ---- the cases ---- */

static void
test_nothing_on_the_lan (void)
{
  const char *words[] = { "No gateway answered", "same subnet", "5353", "IP address", NULL };

  /* The LAN has an avahi-daemon, and an _uplink._tcp service that announces no gateway
   * id and no fingerprint: nothing the dashboard could pin, so nothing to show. */
  UL_GUI_WAIT (ul_discovery_get_state (t.discovery) == UL_DISCOVERY_STATE_READY, SHORT_MS);
  UL_GUI_WAIT (view_is ("empty"), SHORT_MS);
  assert_reason_mentions (words);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gateways ())), ==, 0);
  ul_gui_snapshot (GTK_WIDGET (t.window), "netns-01-no-gateway-found");
}

static void
test_no_avahi_daemon (void)
{
  const char *stopped[] = { "avahi-daemon", "is not running", "IP address", NULL };
  const char *running[] = { "No gateway answered", NULL };

  ask ("stop-laptop-avahi");
  UL_GUI_WAIT (ul_discovery_get_state (t.discovery) == UL_DISCOVERY_STATE_NO_DAEMON, SHORT_MS);
  UL_GUI_WAIT (view_is ("empty"), SHORT_MS);
  assert_reason_mentions (stopped);
  ul_gui_snapshot (GTK_WIDGET (t.window), "netns-02-no-avahi-daemon");

  /* The dashboard waits for the daemon and browses again by itself. */
  ask ("start-laptop-avahi");
  UL_GUI_WAIT (ul_discovery_get_state (t.discovery) == UL_DISCOVERY_STATE_READY, SHORT_MS);
  UL_GUI_WAIT (view_is ("empty"), SHORT_MS);
  assert_reason_mentions (running);
}

static void
test_gateways_found (void)
{
  const char *lan;
  const char *remote;
  UlDiscoveredGateway *found;
  UlGateway *gateway;

  ask ("start-gateways");
  lan = known ("lan");
  remote = known ("remote");
  g_test_message ("the laptop's avahi-daemon holds %s announcements of the LAN gateway",
                  known ("announcements"));

  UL_GUI_WAIT ((gateway = ul_gateway_list_find (gateways (), lan)) != NULL, LONG_MS);
  found = reported (lan);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->host, ==, LAN_HOST);
  g_assert_cmpuint (found->port, ==, 8443);
  g_assert_cmpstr (found->fingerprint, ==, known ("fp"));
  g_assert_true (found->on_local_subnet);
  g_assert_false (found->claimed);
  g_assert_null (found->account_id);

  /* Once, with the name its TXT record announces, under "New Gateways". */
  g_assert_cmpuint (count_in_list (lan), ==, 1);
  g_assert_cmpstr (ul_gateway_get_host (gateway), ==, LAN_HOST);
  g_assert_cmpstr (ul_gateway_get_announced_name (gateway), ==, "Uplink gateway");
  g_assert_false (ul_gateway_get_claimed (gateway));
  g_assert_true (ul_gateway_get_discovered (gateway));
  UL_GUI_WAIT (rows_in_group ("New Gateways on This Network", NULL) == 1, SHORT_MS);
  g_assert_cmpuint (rows_in_group ("New Gateways on This Network", "Uplink gateway"), ==, 1);
  /* At the address of its IPv4 announcement, although the IPv6 ones came as well. */
  g_assert_cmpstr (first_subtitle ("New Gateways on This Network"), ==, LAN_HOST ":8443");
  g_assert_true (view_is ("customers"));

  /* First contact: the one unauthenticated probe, accepted because the certificate is
   * the one the TXT record names; nothing pinned before the partner acts. */
  UL_GUI_WAIT (ul_gateway_get_state (gateway) == UL_GATEWAY_STATE_SIGNED_OUT, SHORT_MS);
  g_assert_cmpstr (ul_api_client_get_peer_fingerprint (ul_gateway_get_client (gateway)), ==,
                   known ("fp"));
  g_assert_null (ul_api_client_get_pinned_fingerprint (ul_gateway_get_client (gateway)));

  /* The gateway beyond the router reaches the laptop through the router's mDNS
   * reflector, but would refuse a claim from here: not offered. */
  UL_GUI_WAIT (reported (remote) != NULL, LONG_MS);
  g_assert_false (reported (remote)->on_local_subnet);
  g_assert_cmpstr (reported (remote)->host, ==, "10.231.2.20");
  g_assert_null (ul_gateway_list_find (gateways (), remote));
  g_assert_cmpuint (rows_in_group ("New Gateways on This Network", NULL), ==, 1);
  g_assert_null (ul_gateway_list_find (gateways (), "impostor"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gateways ())), ==, 1);
  ul_gui_snapshot (GTK_WIDGET (t.window), "netns-03-discovered-gateway");
}

static void
test_create_customer (void)
{
  const char *lan = known ("lan");
  const char *remote = known ("remote");
  g_autofree char *stored = NULL;
  guint changes = ul_gui_keyring_get_changes ();
  UlClaimDialog *claim;
  UlGateway *gateway = ul_gateway_list_find (gateways (), lan);
  UlGateway *other;

  ul_window_create_customer (t.window, NULL);
  claim = UL_CLAIM_DIALOG (ul_gui_find_window (UL_TYPE_CLAIM_DIALOG));
  g_assert_nonnull (claim);
  ul_gui_settle (GTK_WIDGET (claim));
  /* The one candidate is the LAN gateway. */
  g_assert_true (ul_claim_dialog_get_selected (claim) == gateway);
  g_assert_cmpuint (count_rows (GTK_WIDGET (claim), ADW_TYPE_ACTION_ROW, NULL), ==, 1);
  ul_gui_snapshot (GTK_WIDGET (claim), "netns-04-create-customer");

  ul_claim_dialog_fill (claim, EMAIL, PASSWORD, PASSWORD);
  ul_claim_dialog_submit (claim);
  UL_GUI_WAIT (g_strcmp0 (ul_window_get_visible_page (t.window), "customer") == 0 ||
                 ul_form_get_n_errors (ul_claim_dialog_get_form (claim)) > 0, LONG_MS);
  g_assert_cmpstr (ul_window_get_visible_page (t.window), ==, "customer");
  g_assert_cmpint (ul_gateway_get_state (gateway), ==, UL_GATEWAY_STATE_ONLINE);
  /* Pinned on first contact to what mDNS announced. */
  g_assert_cmpstr (ul_api_client_get_pinned_fingerprint (ul_gateway_get_client (gateway)), ==,
                   known ("fp"));
  UL_GUI_WAIT (ul_gui_keyring_get_changes () > changes, SHORT_MS);
  stored = ul_gui_keyring_lookup (lan, EMAIL);
  g_assert_cmpstr (stored, ==, PASSWORD);
  t.customer = g_object_ref (gateway);

  /* The shell onboards the customer with the same account, and claims the remote
   * gateway from its own subnet for another partner's customer. */
  ask ("claimed");
  ul_window_show_dashboard (t.window);
  UL_GUI_WAIT (g_strcmp0 (ul_gateway_get_account_id (gateway), known ("acct")) == 0 &&
                 g_strcmp0 (ul_gateway_get_title (gateway), "ACME AG") == 0, LONG_MS);
  UL_GUI_WAIT (reported (lan) != NULL && reported (lan)->claimed &&
                 g_strcmp0 (reported (lan)->account_id, known ("acct")) == 0, LONG_MS);
  g_assert_cmpstr (reported (lan)->name, ==, "ACME AG");
  UL_GUI_WAIT (customer_row (gateway) != NULL, SHORT_MS);
  g_assert_cmpuint (count_in_list (lan), ==, 1);
  g_assert_cmpuint (rows_in_group ("New Gateways on This Network", NULL), ==, 0);

  /* Claimed now, the remote gateway is offered for signing in (which works across
   * routers), with its account ID and name from its TXT record. */
  UL_GUI_WAIT ((other = ul_gateway_list_find (gateways (), remote)) != NULL &&
                 ul_gateway_get_claimed (other) &&
                 g_strcmp0 (ul_gateway_get_account_id (other), known ("remote_acct")) == 0,
               LONG_MS);
  g_assert_false (ul_gateway_get_known (other));
  UL_GUI_WAIT (rows_in_group ("Other Gateways on This Network", "Remote AG") == 1, SHORT_MS);
  g_assert_cmpuint (count_in_list (remote), ==, 1);
  ul_gui_snapshot (GTK_WIDGET (t.window), "netns-05-customer-and-other-gateway");
}

static void
test_certificate_changed (void)
{
  UlGateway *gateway = t.customer;
  Outcome outcome = { FALSE, NULL };
  AdwMessageDialog *dialog;
  const char *new_fp;

  ask ("renew-certificate");
  new_fp = known ("new_fp");
  g_assert_cmpstr (new_fp, !=, known ("fp"));

  /* The new certificate is announced over mDNS too; the pin, not the announcement,
   * decides. */
  UL_GUI_WAIT (ul_gateway_get_state (gateway) == UL_GATEWAY_STATE_CERTIFICATE_CHANGED, LONG_MS);
  UL_GUI_WAIT (reported (known ("lan")) != NULL &&
                 g_strcmp0 (reported (known ("lan"))->fingerprint, new_fp) == 0, LONG_MS);
  g_assert_cmpstr (ul_api_client_get_pinned_fingerprint (ul_gateway_get_client (gateway)), ==,
                   known ("fp"));
  g_assert_cmpstr (ul_api_client_get_peer_fingerprint (ul_gateway_get_client (gateway)), ==,
                   new_fp);

  /* Even asked to, it sends no password to a certificate it did not pin. */
  ul_gateway_sign_in_async (gateway, EMAIL, PASSWORD, NULL, on_signed_in, &outcome);
  UL_GUI_WAIT (outcome.done, SHORT_MS);
  g_assert_error (outcome.error, UL_API_ERROR, UL_API_ERROR_CERTIFICATE_CHANGED);
  g_clear_error (&outcome.error);
  g_assert_cmpint (ul_gateway_get_state (gateway), ==, UL_GATEWAY_STATE_CERTIFICATE_CHANGED);
  ask ("check-no-login");

  /* The partner opens the customer: the warning, loud, instead of the customer page. */
  g_signal_emit_by_name (ul_dashboard_page_get_customers_list (dashboard ()), "row-activated",
                         customer_row (gateway));
  UL_GUI_WAIT ((dialog = ADW_MESSAGE_DIALOG (ul_gui_find_window (ADW_TYPE_MESSAGE_DIALOG))) != NULL,
               SHORT_MS);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "The Gateway’s Certificate Changed");
  g_assert_cmpstr (ul_window_get_visible_page (t.window), ==, "dashboard");
  ul_gui_snapshot (GTK_WIDGET (dialog), "netns-06-certificate-changed");

  /* The partner knows why (the gateway was reset) and trusts the new one. */
  adw_message_dialog_response (dialog, "trust");
  UL_GUI_WAIT (ul_gateway_get_state (gateway) == UL_GATEWAY_STATE_ONLINE, LONG_MS);
  g_assert_cmpstr (ul_api_client_get_pinned_fingerprint (ul_gateway_get_client (gateway)), ==,
                   new_fp);
}

static void
test_gateway_stops (void)
{
  UlGateway *gateway = t.customer;
  UlCustomerRow *row;

  ask ("stop-gateway");
  /* Its goodbye over mDNS, and no answer to the next poll. */
  UL_GUI_WAIT (reported (known ("lan")) == NULL && !ul_gateway_get_discovered (gateway), LONG_MS);
  UL_GUI_WAIT (ul_gateway_get_state (gateway) == UL_GATEWAY_STATE_UNREACHABLE, LONG_MS);
  row = customer_row (gateway);
  g_assert_nonnull (row);
  UL_GUI_WAIT (g_strcmp0 (ul_customer_row_get_status_text (row), "Lost connection to gateway") == 0,
               SHORT_MS);
  /* The partner's customer stays in the list, once. */
  g_assert_cmpuint (count_in_list (known ("lan")), ==, 1);
  ul_gui_snapshot (GTK_WIDGET (t.window), "netns-07-lost-connection");
}

int
main (int argc, char **argv)
{
  g_autofree char *reason = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stdin_stream = NULL;
  int status;

  if (!ul_gui_test_init (&argc, &argv, &reason))
    {
      g_printerr ("cannot run the dashboard: %s\n", reason);
      return 77;
    }

  t.requests = g_unix_output_stream_new (3, FALSE);
  stdin_stream = g_unix_input_stream_new (0, FALSE);
  t.answers = g_data_input_stream_new (stdin_stream);
  t.known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  t.reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) ul_discovered_gateway_free);

  settings = g_settings_new ("io.github.uplink.Dashboard");
  g_settings_set_uint (settings, "poll-interval", 2);
  g_settings_set_boolean (settings, "discovery", TRUE);

  t.app = ul_application_new ();
  g_application_set_flags (G_APPLICATION (t.app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (t.app), NULL, &error));
  g_assert_no_error (error);
  t.discovery = ul_application_get_discovery (t.app);
  g_signal_connect (t.discovery, "found", G_CALLBACK (on_found), NULL);
  g_signal_connect (t.discovery, "lost", G_CALLBACK (on_lost), NULL);
  t.window = ul_window_new (t.app);
  gtk_window_set_default_size (GTK_WINDOW (t.window), 1100, 820);
  gtk_window_present (GTK_WINDOW (t.window));
  ul_gui_settle (GTK_WIDGET (t.window));

  g_test_add_func ("/uplink/netns/dashboard/1-nothing-on-the-lan", test_nothing_on_the_lan);
  g_test_add_func ("/uplink/netns/dashboard/2-no-avahi-daemon", test_no_avahi_daemon);
  g_test_add_func ("/uplink/netns/dashboard/3-gateways-found", test_gateways_found);
  g_test_add_func ("/uplink/netns/dashboard/4-create-customer", test_create_customer);
  g_test_add_func ("/uplink/netns/dashboard/5-certificate-changed", test_certificate_changed);
  g_test_add_func ("/uplink/netns/dashboard/6-gateway-stops", test_gateway_stops);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (t.window));
  ul_gui_settle (NULL);
  g_application_quit (G_APPLICATION (t.app));
  g_clear_object (&t.customer);
  g_clear_object (&t.app);
  g_hash_table_unref (t.known);
  g_hash_table_unref (t.reported);
  g_clear_object (&t.answers);
  g_clear_object (&t.requests);
  ul_gui_test_cleanup ();
  return status;
}
