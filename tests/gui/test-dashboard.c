/* test-dashboard.c — the dashboard's real widgets, driven through the onboarding of a
 * standalone and an SMBC customer against real uplinkd processes (HTTPS API) and
 * uplink-pbxsim, under Xvfb. Each main screen is saved as a PNG (UL_SCREENSHOT_DIR).
 *
 * The cases share one application and one window and run in order, as a partner would
 * go: add the gateway, claim it, fill every step, watch the list. (Numbered and all in
 * one suite: GLib runs a suite's own cases before its sub-suites.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ul-add-gateway-dialog.h"
#include "ul-api-error.h"
#include "ul-application.h"
#include "ul-choices.h"
#include "ul-claim-dialog.h"
#include "ul-confirm-dialog.h"
#include "ul-connect-page.h"
#include "ul-contact-row.h"
#include "ul-customer-page.h"
#include "ul-customer-row.h"
#include "ul-dashboard-page.h"
#include "ul-deployment-page.h"
#include "ul-gui-deployment.h"
#include "ul-gui-test.h"
#include "ul-overview-page.h"
#include "ul-sync-page.h"
#include "ul-users-dialog.h"
#include "ul-window.h"

#define SHORT_MS   10000
#define LONG_MS    30000

static struct
{
  UlApplication *app;
  UlWindow      *window;
  UlGuiGateway  *standalone;
  UlGuiGateway  *smbc;
  UlGuiPbx      *pbx;
  char          *help_page;   /* the last help page asked for */
  UlGuiDeploymentContext deployment;
} t;

/* ---- helpers ---- */

static void
on_show_help (UlApplication *app, const char *page, gpointer user_data)
{
  g_free (t.help_page);
  t.help_page = g_strdup (page);
  /* No help browser in CI: look instead. */
  g_signal_stop_emission_by_name (app, "show-help");
}

static UlDashboardPage *
dashboard (void)
{
  return UL_DASHBOARD_PAGE (ul_window_get_dashboard_page (t.window));
}

static UlCustomerPage *
customer_page (void)
{
  return UL_CUSTOMER_PAGE (ul_window_get_customer_page (t.window));
}

/* Shows a step as the navigation bar does, and lets it start reading. */
static void
show_step (const char *name)
{
  ul_customer_page_show_step (customer_page (), name);
  ul_gui_settle (GTK_WIDGET (t.window));
}

static GtkWidget *
step (const char *name)
{
  return GTK_WIDGET (ul_customer_page_get_step (customer_page (), name));
}

static void
fill (GtkWidget *root, const char *title, const char *text)
{
  ul_gui_type (ul_gui_get (root, ADW_TYPE_ENTRY_ROW, title), text);
}

static void
choose (GtkWidget *root, GType type, const char *title, const char *id)
{
  GtkWidget *row = ul_gui_get (root, type, title);
  GtkWidget *target = ADW_IS_COMBO_ROW (row) ? row : ul_gui_get (row, GTK_TYPE_DROP_DOWN, NULL);

  g_assert_true (ul_choices_set (G_OBJECT (target), id));
}

static const char *
gateway_status (void)
{
  return ul_gateway_get_status (ul_customer_page_get_gateway (customer_page ()))->code;
}

static UlForm *
form_of (const char *name)
{
  return ul_step_page_get_form (UL_STEP_PAGE (step (name)));
}

static UlCustomerRow *
find_row (const char *title)
{
  GtkListBox *list = ul_dashboard_page_get_customers_list (dashboard ());

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (UL_IS_CUSTOMER_ROW (child) &&
        g_strcmp0 (ul_gateway_get_title (ul_customer_row_get_gateway (UL_CUSTOMER_ROW (child))),
                   title) == 0)
      return UL_CUSTOMER_ROW (child);
  return NULL;
}

/* The gateway's own record, read over D-Bus: what the dashboard really stored. */
static GVariant *
stored (UlGuiGateway *gateway, const char *method, GError **error)
{
  g_autoptr(GVariant) reply = ul_gui_gateway_call (gateway, "Onboarding", method, NULL, error);

  return reply != NULL ? g_variant_get_child_value (reply, 0) : NULL;
}

static char *
stored_string (UlGuiGateway *gateway, const char *method, const char *key)
{
  g_autoptr(GVariant) record = stored (gateway, method, NULL);
  const char *value = NULL;

  if (record != NULL && g_variant_lookup (record, key, "&s", &value))
    return g_strdup (value);
  return NULL;
}

/* Clicks @button ("save", "next" …) and waits until the step is no longer busy. */
static void
press (const char *button)
{
  UlStepPage *page = ul_customer_page_get_step (customer_page (),
                                                ul_customer_page_get_visible_step (customer_page ()));

  ul_gui_click (ul_customer_page_get_button (customer_page (), button));
  UL_GUI_WAIT (!ul_step_page_get_busy (page), LONG_MS);
  ul_gui_settle (GTK_WIDGET (t.window));
}

static UlGateway *
add_and_claim (UlGuiGateway *gateway, const char *email, const char *shot_prefix)
{
  g_autofree char *address = ul_gui_gateway_address (gateway);
  UlAddGatewayDialog *add;
  UlClaimDialog *claim;
  UlGateway *claimed;

  ul_window_add_gateway (t.window, NULL, NULL);
  add = UL_ADD_GATEWAY_DIALOG (ul_gui_find_window (UL_TYPE_ADD_GATEWAY_DIALOG));
  g_assert_nonnull (add);

  /* Not an address: said under the field, nothing contacted. */
  ul_add_gateway_dialog_set_address (add, "not an address!");
  ul_add_gateway_dialog_next (add);
  g_assert_nonnull (ul_form_get_message (ul_add_gateway_dialog_get_form (add), "address"));

  ul_add_gateway_dialog_set_address (add, address);
  ul_add_gateway_dialog_next (add);
  UL_GUI_WAIT (ul_add_gateway_dialog_get_probed (add) ||
                 ul_form_get_n_errors (ul_add_gateway_dialog_get_form (add)) > 0, SHORT_MS);
  g_assert_true (ul_add_gateway_dialog_get_probed (add));
  if (shot_prefix != NULL)
    {
      g_autofree char *name = g_strconcat (shot_prefix, "-add-gateway", NULL);

      ul_gui_snapshot (GTK_WIDGET (add), name);
    }
  ul_add_gateway_dialog_next (add);   /* Trust and Continue */

  UL_GUI_WAIT ((claim = UL_CLAIM_DIALOG (ul_gui_find_window (UL_TYPE_CLAIM_DIALOG))) != NULL,
               SHORT_MS);
  g_assert_nonnull (ul_claim_dialog_get_selected (claim));

  /* Passwords that differ: refused in the dialog, the gateway stays unclaimed. */
  ul_claim_dialog_fill (claim, email, "correct horse battery", "correct horse batteries");
  ul_claim_dialog_submit (claim);
  g_assert_nonnull (ul_form_get_message (ul_claim_dialog_get_form (claim), "confirm"));
  g_assert_false (ul_gateway_get_claimed (ul_claim_dialog_get_selected (claim)));
  if (shot_prefix != NULL)
    {
      g_autofree char *name = g_strconcat (shot_prefix, "-create-customer", NULL);

      ul_gui_snapshot (GTK_WIDGET (claim), name);
    }

  ul_claim_dialog_fill (claim, email, "correct horse battery", "correct horse battery");
  claimed = ul_claim_dialog_get_selected (claim);
  g_object_ref (claimed);
  ul_claim_dialog_submit (claim);
  UL_GUI_WAIT (g_strcmp0 (ul_window_get_visible_page (t.window), "customer") == 0 ||
                 ul_form_get_n_errors (ul_claim_dialog_get_form (claim)) > 0, LONG_MS);
  g_assert_cmpstr (ul_window_get_visible_page (t.window), ==, "customer");
  g_assert_true (ul_gateway_get_claimed (claimed));
  g_assert_cmpint (ul_gateway_get_state (claimed), ==, UL_GATEWAY_STATE_ONLINE);
  g_object_unref (claimed);
  g_assert_cmpstr (ul_customer_page_get_visible_step (customer_page ()), ==, "customer");
  return ul_customer_page_get_gateway (customer_page ());
}

static void
fill_customer (GtkWidget *page, const char *name)
{
  fill (page, "Customer Name", name);
  choose (page, ADW_TYPE_COMBO_ROW, "Business Type", "hospitality");
  choose (page, ADW_TYPE_COMBO_ROW, "Language", "de");
  fill (page, "Street", "Bahnhofstrasse 1");
  fill (page, "City", "Zürich");
  fill (page, "Postal Code", "8001");
  choose (page, ADW_TYPE_ACTION_ROW, "Country", "CH");
}

static void
add_contact (GtkWidget *page, const char *role, const char *name, const char *email)
{
  if (role == NULL)
    {
      fill (page, "New Admin’s Name", name);
      fill (page, "New Admin’s E-mail", email);
      ul_gui_click (ul_gui_get (page, GTK_TYPE_BUTTON, "Add Admin Contact"));
    }
  else
    {
      choose (page, ADW_TYPE_COMBO_ROW, "New Contact’s Role", role);
      fill (page, "New Contact’s Name", name);
      fill (page, "New Contact’s E-mail", email);
      ul_gui_click (ul_gui_get (page, GTK_TYPE_BUTTON, "Add Support Contact"));
    }
}

/* ---- the cases ---- */

static void
test_no_gateway (void)
{
  /* Discovery is off in this run (no avahi-daemon in CI): the page must say so. */
  UL_GUI_WAIT (g_strcmp0 (ul_dashboard_page_get_view (dashboard ()), "empty") == 0, SHORT_MS);
  g_assert_nonnull (ul_dashboard_page_get_empty_reason (dashboard ()));
  g_assert_true (strstr (ul_dashboard_page_get_empty_reason (dashboard ()), "address") != NULL);
  ul_gui_snapshot (GTK_WIDGET (t.window), "01-no-gateway-found");
}

static void
test_standalone_claim (void)
{
  t.standalone = ul_gui_gateway_start ();
  add_and_claim (t.standalone, "partner@example.com", "02");
  t.deployment.gateway = &t.standalone;
}

static void
test_standalone_customer (void)
{
  GtkWidget *page = step ("customer");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) record = NULL;
  GtkWidget *row;

  UL_GUI_WAIT (ul_step_page_get_loaded (UL_STEP_PAGE (page)), SHORT_MS);

  /* Bad input: every mistake inline, nothing stored. */
  fill (page, "Customer Name", "");
  fill (page, "Postal Code", "80#01");
  add_contact (page, NULL, "Jürgen Müller", "juergen@@example");
  g_assert_nonnull (ul_form_get_message (form_of ("customer"), "newAdmin.email"));
  press ("save");
  g_assert_nonnull (ul_form_get_message (form_of ("customer"), "name"));
  g_assert_cmpuint (ul_form_get_n_errors (form_of ("customer")), >=, 2);
  record = stored (t.standalone, "GetCustomer", &error);
  g_assert_null (record);
  g_assert_true (g_dbus_error_is_remote_error (error));
  ul_gui_snapshot (GTK_WIDGET (t.window), "03-customer-validation");

  /* Right input, but the support contacts miss a role: the whole-record rule speaks. */
  fill_customer (page, "Alpenblick Hotels AG");
  add_contact (page, NULL, "Jürgen Müller", "juergen.mueller@example.com");
  add_contact (page, "maintainer", "Partner Tech", "support@partner.example");
  press ("save");
  g_assert_nonnull (ul_form_get_message (form_of ("customer"), "supportContacts"));
  g_clear_error (&error);
  record = stored (t.standalone, "GetCustomer", &error);
  g_assert_null (record);

  add_contact (page, "onsiteAdmin", "Zoë Ångström", "zoe.angstrom@example.com");
  add_contact (page, NULL, "Søren Lund", "soren@example.com");
  row = ul_gui_get (page, UL_TYPE_CONTACT_ROW, "Søren Lund");
  g_assert_nonnull (row);
  press ("next");
  g_assert_cmpuint (ul_form_get_n_errors (form_of ("customer")), ==, 0);
  g_assert_cmpstr (ul_customer_page_get_visible_step (customer_page ()), ==, "gateway");
  {
    g_autofree char *name = stored_string (t.standalone, "GetCustomer", "name");

    g_assert_cmpstr (name, ==, "Alpenblick Hotels AG");
  }
  UL_GUI_WAIT (ul_gateway_get_account_id (ul_customer_page_get_gateway (customer_page ())) != NULL,
               SHORT_MS);
}

static void
test_standalone_gateway (void)
{
  GtkWidget *page = step ("gateway");
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) site = NULL;

  UL_GUI_WAIT (ul_step_page_get_loaded (UL_STEP_PAGE (page)), SHORT_MS);
  /* The site starts at the customer's address. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ul_gui_get (page, ADW_TYPE_ENTRY_ROW,
                                                                     "City"))), ==, "Zürich");

  fill (page, "Site Name", "Zürich HQ");
  choose (page, ADW_TYPE_COMBO_ROW, "Platform", "standalone");
  choose (page, ADW_TYPE_COMBO_ROW, "Addressing", "static");
  fill (page, "IP Address", "192.168.10.20");
  fill (page, "Subnet Mask", "255.255.255.0");
  fill (page, "Default Gateway", "192.168.20.1");
  fill (page, "DNS Servers (primary first, separated by commas)", "192.168.10.1, 9.9.9.9");
  press ("next");
  /* A default gateway outside the subnet: said under that field, nothing stored. */
  g_assert_nonnull (ul_form_get_message (form_of ("gateway"), "ethernet.gateway"));
  g_assert_cmpstr (ul_customer_page_get_visible_step (customer_page ()), ==, "gateway");
  site = stored (t.standalone, "GetSite", &error);
  g_assert_null (site);
  ul_gui_snapshot (GTK_WIDGET (t.window), "04-gateway-validation");

  fill (page, "Default Gateway", "192.168.10.1");
  press ("next");
  g_assert_cmpstr (ul_customer_page_get_visible_step (customer_page ()), ==, "pbx");
  {
    g_autofree char *platform = stored_string (t.standalone, "GetSite", "platform");

    g_assert_cmpstr (platform, ==, "standalone");
  }
}

static void
test_standalone_pbx (void)
{
  GtkWidget *page = step ("pbx");
  g_autofree char *port = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) pbx = NULL;

  t.pbx = ul_gui_pbx_start (-1);
  port = g_strdup_printf ("%u", t.pbx->port);
  UL_GUI_WAIT (ul_step_page_get_loaded (UL_STEP_PAGE (page)), SHORT_MS);

  fill (page, "PBX Name (the PBX ID in the apps)", "Alpenblick PBX");
  fill (page, "IP Address", "127.0.0.1");
  fill (page, "Port (CSTA service)", port);
  fill (page, "CloudLink System Username", "a-username-longer-than-25-characters");
  ul_gui_type (ul_gui_get (page, ADW_TYPE_PASSWORD_ENTRY_ROW, "CloudLink System Password"),
               "demo-secret");
  /* The users come from the PBX's CSV export (the gateway runs on this machine). */
  choose (page, ADW_TYPE_COMBO_ROW, "Source", "csv");
  fill (page, "CSV File on the Gateway", "relative/users.csv");
  press ("next");
  g_assert_nonnull (ul_form_get_message (form_of ("pbx"), "csv.path"));
  fill (page, "CSV File on the Gateway", t.pbx->csv);
  press ("next");
  g_assert_nonnull (ul_form_get_message (form_of ("pbx"), "username"));
  pbx = stored (t.standalone, "GetPbx", &error);
  g_assert_null (pbx);
  ul_gui_snapshot (GTK_WIDGET (t.window), "05-pbx-validation");

  fill (page, "CloudLink System Username", "cloudlink");
  press ("next");
  g_assert_cmpstr (ul_customer_page_get_visible_step (customer_page ()), ==, "connect");
  {
    g_autofree char *host = stored_string (t.standalone, "GetPbx", "host");

    g_assert_cmpstr (host, ==, "127.0.0.1");
  }
}

static void
test_standalone_connect (void)
{
  UlConnectPage *page = UL_CONNECT_PAGE (step ("connect"));
  GtkWidget *spin;

  UL_GUI_WAIT (ul_step_page_get_loaded (UL_STEP_PAGE (page)), SHORT_MS);

  /* The sync schedule's range comes from core/common. */
  spin = ul_gui_get (GTK_WIDGET (page), GTK_TYPE_SPIN_BUTTON, NULL);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 2);
  press ("save");
  g_assert_nonnull (ul_form_get_message (form_of ("connect"), "syncSchedule"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 30);

  ul_connect_page_connect (page);
  UL_GUI_WAIT (!ul_step_page_get_busy (UL_STEP_PAGE (page)) &&
                 ul_connect_page_get_result (page) != NULL, LONG_MS);
  ul_gui_snapshot (GTK_WIDGET (t.window), "06-connect");
  g_assert_cmpstr (ul_connect_page_get_result (page), ==, "Connection successful");
  /* Connected and synced: the deployment is done, Overview, although some of the demo
   * company's users cannot get a deployment e-mail (the Deployment step lists them). */
  UL_GUI_WAIT (g_strcmp0 (gateway_status (), "overview") == 0, LONG_MS);
}

static void
test_standalone_deployment (void)
{
  UlDeploymentPage *page;

  press ("next");
  g_assert_cmpstr (ul_customer_page_get_visible_step (customer_page ()), ==, "deployment");
  page = UL_DEPLOYMENT_PAGE (step ("deployment"));
  /* The demo company: 25 users, 3 without e-mail, 2 sharing one mailbox. */
  UL_GUI_WAIT (!ul_deployment_page_get_loading (page) &&
                 g_list_model_get_n_items (ul_deployment_page_get_eligible (page)) == 20, LONG_MS);
  g_assert_cmpuint (g_list_model_get_n_items (ul_deployment_page_get_ineligible (page)), ==, 5);
  ul_gui_click (ul_gui_get (GTK_WIDGET (page), GTK_TYPE_BUTTON, "Select All"));
  g_assert_cmpuint (ul_deployment_page_get_n_selected (page), ==, 20);
  ul_gui_snapshot (GTK_WIDGET (t.window), "07-deployment");
}

static void
test_standalone_advanced (void)
{
  GtkWidget *page;
  g_autofree char *digits = NULL;

  show_step ("advanced");
  page = step ("advanced");
  UL_GUI_WAIT (ul_step_page_get_loaded (UL_STEP_PAGE (page)), SHORT_MS);

  fill (page, "Inbound Digits (apps → PBX)", "0x");
  fill (page, "GSM Call-Through Number (E.164, e.g. +41441234567)", "0441234567");
  fill (page, "From (HH:MM)", "25:00");
  press ("save");
  g_assert_nonnull (ul_form_get_message (form_of ("advanced"), "inboundDigits"));
  g_assert_nonnull (ul_form_get_message (form_of ("advanced"), "gsmCallThrough"));
  g_assert_nonnull (ul_form_get_message (form_of ("advanced"), "updateWindowStart"));
  digits = stored_string (t.standalone, "GetAdvanced", "inboundDigits");
  g_assert_cmpstr (digits, ==, "");
  ul_gui_snapshot (GTK_WIDGET (t.window), "07-advanced-validation");

  fill (page, "Inbound Digits (apps → PBX)", "0");
  fill (page, "Outbound Digits (PBX → apps)", "*9");
  fill (page, "GSM Call-Through Number (E.164, e.g. +41441234567)", "+41441234567");
  fill (page, "From (HH:MM)", "02:00");
  fill (page, "Until (HH:MM)", "04:30");
  press ("save");
  g_assert_cmpuint (ul_form_get_n_errors (form_of ("advanced")), ==, 0);
  g_clear_pointer (&digits, g_free);
  digits = stored_string (t.standalone, "GetAdvanced", "outboundDigits");
  g_assert_cmpstr (digits, ==, "*9");
}

static void
test_standalone_overview (void)
{
  UlOverviewPage *overview;

  show_step ("overview");
  overview = UL_OVERVIEW_PAGE (step ("overview"));
  UL_GUI_WAIT (ul_step_page_get_loaded (ul_overview_page_get_step (overview, "customer")) &&
                 ul_step_page_get_loaded (ul_overview_page_get_step (overview, "pbx")), SHORT_MS);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ul_overview_page_get_step (overview, "connect"))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (ul_overview_page_get_step (overview, "sync"))));
  /* The Overview saves every step at once, unchanged here. */
  press ("save");
  ul_gui_snapshot (GTK_WIDGET (t.window), "08-overview");
}

static void
test_remove_admin (void)
{
  GtkWidget *page;
  GtkWidget *row;
  UlConfirmDialog *dialog;
  g_autoptr(GVariant) customer = NULL;
  g_autoptr(GVariant) admins = NULL;

  show_step ("customer");
  page = step ("customer");
  UL_GUI_WAIT (ul_step_page_get_loaded (UL_STEP_PAGE (page)), SHORT_MS);
  UL_GUI_WAIT ((row = ul_gui_find (page, UL_TYPE_CONTACT_ROW, "Søren Lund")) != NULL, SHORT_MS);
  ul_gui_click (ul_contact_row_get_remove_button (UL_CONTACT_ROW (row)));
  dialog = UL_CONFIRM_DIALOG (ul_gui_find_window (UL_TYPE_CONFIRM_DIALOG));
  g_assert_nonnull (dialog);

  /* A wrong word does not confirm. */
  gtk_editable_set_text (ul_confirm_dialog_get_entry (dialog), "delete");
  g_assert_false (ul_confirm_dialog_get_can_confirm (dialog));
  ul_confirm_dialog_confirm (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  ul_gui_snapshot (GTK_WIDGET (dialog), "09-remove-admin");

  gtk_editable_set_text (ul_confirm_dialog_get_entry (dialog), "remove");
  g_assert_true (ul_confirm_dialog_get_can_confirm (dialog));
  ul_confirm_dialog_confirm (dialog);
  UL_GUI_WAIT (ul_gui_find (page, UL_TYPE_CONTACT_ROW, "Søren Lund") == NULL, SHORT_MS);
  UL_GUI_WAIT (!ul_step_page_get_busy (UL_STEP_PAGE (page)), SHORT_MS);
  customer = stored (t.standalone, "GetCustomer", NULL);
  admins = g_variant_lookup_value (customer, "adminContacts", NULL);
  g_assert_cmpuint (g_variant_n_children (admins), ==, 1);
}

static void
test_smbc (void)
{
  GtkWidget *page;
  UlSyncPage *sync;

  ul_window_show_dashboard (t.window);
  t.smbc = ul_gui_gateway_start ();
  add_and_claim (t.smbc, "partner@example.com", NULL);

  page = step ("customer");
  UL_GUI_WAIT (ul_step_page_get_loaded (UL_STEP_PAGE (page)), SHORT_MS);
  fill_customer (page, "Bergbahnen Muster AG");
  add_contact (page, "maintainer", "Partner Tech", "support@partner.example");
  add_contact (page, "onsiteAdmin", "Anna Muster", "anna@bergbahnen.example");
  press ("next");
  g_assert_cmpstr (ul_customer_page_get_visible_step (customer_page ()), ==, "gateway");

  page = step ("gateway");
  UL_GUI_WAIT (ul_step_page_get_loaded (UL_STEP_PAGE (page)), SHORT_MS);
  fill (page, "Site Name", "Talstation");
  choose (page, ADW_TYPE_COMBO_ROW, "Platform", "smbc");
  ul_gui_settle (GTK_WIDGET (t.window));
  /* The SMBC's gateway lives in the SMB Controller: no Ethernet settings. */
  g_assert_false (gtk_widget_get_visible (ul_gui_get (page, ADW_TYPE_PREFERENCES_GROUP,
                                                      "Appliance Ethernet Configuration")));
  press ("next");
  /* SMBC: Sync instead of PBX and Connect. */
  UL_GUI_WAIT (!ul_customer_page_has_step (customer_page (), "pbx"), SHORT_MS);
  g_assert_true (ul_customer_page_has_step (customer_page (), "sync"));
  g_assert_false (ul_customer_page_has_step (customer_page (), "connect"));
  UL_GUI_WAIT (g_strcmp0 (ul_customer_page_get_visible_step (customer_page ()), "sync") == 0,
               SHORT_MS);

  sync = UL_SYNC_PAGE (step ("sync"));
  UL_GUI_WAIT (ul_step_page_get_loaded (UL_STEP_PAGE (sync)), SHORT_MS);
  /* Sync without a directory: the gateway says what is missing. */
  ul_sync_page_sync (sync);
  UL_GUI_WAIT (!ul_step_page_get_busy (UL_STEP_PAGE (sync)) &&
                 ul_sync_page_get_result (sync) != NULL, LONG_MS);
  g_assert_cmpstr (ul_sync_page_get_result (sync), !=, "Sync successful");

  choose (GTK_WIDGET (sync), ADW_TYPE_COMBO_ROW, "Source", "csv");
  fill (GTK_WIDGET (sync), "CSV File on the Gateway", t.pbx->csv);
  ul_sync_page_sync (sync);
  UL_GUI_WAIT (!ul_step_page_get_busy (UL_STEP_PAGE (sync)) &&
                 g_strcmp0 (ul_sync_page_get_result (sync), "Sync successful") == 0, LONG_MS);
  /* The demo company has users without a usable e-mail address: warned, with their list. */
  g_assert_nonnull (ul_sync_page_get_warning (sync));
  ul_gui_snapshot (GTK_WIDGET (t.window), "10-smbc-sync");
  ul_sync_page_view_users (sync);
  {
    UlUsersDialog *users = UL_USERS_DIALOG (ul_gui_find_window (UL_TYPE_USERS_DIALOG));

    g_assert_nonnull (users);
    UL_GUI_WAIT (!ul_users_dialog_get_loading (users) &&
                   g_list_model_get_n_items (ul_users_dialog_get_model (users)) == 5, LONG_MS);
    ul_gui_snapshot (GTK_WIDGET (users), "10-users-without-email");
    gtk_window_destroy (GTK_WINDOW (users));
  }
  /* Synced: Overview, the users without an e-mail address notwithstanding. */
  UL_GUI_WAIT (g_strcmp0 (ul_gateway_get_status (ul_customer_page_get_gateway (customer_page ()))->code,
                          "overview") == 0, LONG_MS);

  show_step ("overview");
  UL_GUI_WAIT (ul_step_page_get_loaded (ul_overview_page_get_step (UL_OVERVIEW_PAGE (step ("overview")),
                                                                   "gateway")), SHORT_MS);
  g_assert_true (gtk_widget_get_visible (
    GTK_WIDGET (ul_overview_page_get_step (UL_OVERVIEW_PAGE (step ("overview")), "sync"))));
  ul_gui_snapshot (GTK_WIDGET (t.window), "11-smbc-overview");
  {
    g_autofree char *platform = stored_string (t.smbc, "GetSite", "platform");

    g_assert_cmpstr (platform, ==, "smbc");
  }
}

static void
test_customer_list (void)
{
  UlCustomerRow *row;

  ul_gui_click (ul_customer_page_get_button (customer_page (), "back"));
  g_assert_cmpstr (ul_window_get_visible_page (t.window), ==, "dashboard");
  UL_GUI_WAIT (find_row ("Alpenblick Hotels AG") != NULL && find_row ("Bergbahnen Muster AG"),
               SHORT_MS);
  row = find_row ("Alpenblick Hotels AG");
  /* Both deployed: the seed's "Overview", in the list's normal colour. */
  UL_GUI_WAIT (g_strcmp0 (ul_customer_row_get_status_text (row), "Overview") == 0, SHORT_MS);
  UL_GUI_WAIT (g_strcmp0 (ul_customer_row_get_status_text (find_row ("Bergbahnen Muster AG")),
                          "Overview") == 0, SHORT_MS);
  ul_gui_snapshot (GTK_WIDGET (t.window), "12-customer-list");

  /* The status message opens its help page. */
  ul_gui_click (ul_gui_get (GTK_WIDGET (row), GTK_TYPE_BUTTON,
                            ul_customer_row_get_status_text (row)));
  g_assert_nonnull (t.help_page);
  g_assert_true (g_str_has_prefix (t.help_page, "status-"));

  /* Clicking the row opens the customer. */
  g_signal_emit_by_name (ul_dashboard_page_get_customers_list (dashboard ()), "row-activated",
                         row);
  g_assert_cmpstr (ul_window_get_visible_page (t.window), ==, "customer");
  g_assert_true (ul_customer_page_get_gateway (customer_page ()) == ul_customer_row_get_gateway (row));
  ul_gui_click (ul_customer_page_get_button (customer_page (), "back"));
}

static void
test_registered_users (void)
{
  UlCustomerRow *row = find_row ("Alpenblick Hotels AG");
  GtkWidget *users = ul_customer_row_get_users_button (row);
  UlUsersDialog *dialog;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  /* Zoë and Jürgen registered in the deployment cases: the count links to them. */
  UL_GUI_WAIT (gtk_widget_get_mapped (users) &&
                 g_strcmp0 (gtk_button_get_label (GTK_BUTTON (users)), "2") == 0, SHORT_MS);
  ul_gui_click (users);
  dialog = UL_USERS_DIALOG (ul_gui_find_window (UL_TYPE_USERS_DIALOG));
  g_assert_nonnull (dialog);
  /* The dialog filters in slices: wait for the list, not just the answer. */
  UL_GUI_WAIT (!ul_users_dialog_get_loading (dialog) &&
                 g_list_model_get_n_items (ul_users_dialog_get_model (dialog)) == 2, SHORT_MS);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(UlUserObject) user = g_list_model_get_item (ul_users_dialog_get_model (dialog), i);

      g_assert_cmpint (ul_user_object_get_registered_at (user), >, 0);
      g_ptr_array_add (names, g_strdup (ul_user_object_get_name (user)));
    }
  g_assert_true (g_ptr_array_find_with_equal_func (names, "Zoë Ångström", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (names, "Jürgen Müller", g_str_equal, NULL));
  ul_gui_snapshot (GTK_WIDGET (dialog), "13-registered-users");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_deactivate (void)
{
  UlCustomerRow *row = find_row ("Bergbahnen Muster AG");
  UlConfirmDialog *dialog;
  g_autofree char *state = NULL;

  ul_gui_click (ul_customer_row_get_deactivate_button (row));
  dialog = UL_CONFIRM_DIALOG (ul_gui_find_window (UL_TYPE_CONFIRM_DIALOG));
  g_assert_nonnull (dialog);
  gtk_editable_set_text (ul_confirm_dialog_get_entry (dialog), "Deactivate!");
  g_assert_false (ul_confirm_dialog_get_can_confirm (dialog));
  ul_confirm_dialog_confirm (dialog);
  state = stored_string (t.smbc, "GetCustomer", "state");
  g_assert_cmpstr (state, ==, "active");
  ul_gui_snapshot (GTK_WIDGET (dialog), "14-deactivate");

  gtk_editable_set_text (ul_confirm_dialog_get_entry (dialog), "deactivate");
  ul_confirm_dialog_confirm (dialog);
  /* Deactivated customers leave the list (seed). */
  UL_GUI_WAIT (find_row ("Bergbahnen Muster AG") == NULL, SHORT_MS);
  g_clear_pointer (&state, g_free);
  state = stored_string (t.smbc, "GetCustomer", "state");
  g_assert_cmpstr (state, ==, "deactivated");
}

static void
test_lost_connection (void)
{
  UlCustomerRow *row = find_row ("Alpenblick Hotels AG");

  g_assert_nonnull (row);
  ul_gui_gateway_stop (t.standalone);
  UL_GUI_WAIT (g_strcmp0 (ul_customer_row_get_status_text (row), "Lost connection to gateway") == 0,
               SHORT_MS);
  g_assert_cmpint (ul_gateway_get_status (ul_customer_row_get_gateway (row))->severity, ==,
                   UL_SEVERITY_ERROR);
  ul_gui_snapshot (GTK_WIDGET (t.window), "15-lost-connection");

  /* The gateway is gone for good: open it and forget it. Cancel first changes nothing. */
  g_signal_emit_by_name (ul_dashboard_page_get_customers_list (dashboard ()), "row-activated",
                         row);
  g_assert_cmpstr (ul_window_get_visible_page (t.window), ==, "customer");
  ul_gui_settle (GTK_WIDGET (t.window));
  ul_gui_snapshot (GTK_WIDGET (t.window), "15-lost-connection-customer");
  {
    GtkWidget *forget = ul_gui_get (GTK_WIDGET (customer_page ()), GTK_TYPE_BUTTON,
                                    "Forget Gateway…");
    AdwMessageDialog *dialog;

    g_assert_true (gtk_widget_get_mapped (forget));
    ul_gui_click (forget);
    UL_GUI_WAIT ((dialog = ADW_MESSAGE_DIALOG (ul_gui_find_window (ADW_TYPE_MESSAGE_DIALOG)))
                   != NULL, SHORT_MS);
    adw_message_dialog_response (dialog, "cancel");
    ul_gui_settle (GTK_WIDGET (t.window));
    g_assert_nonnull (find_row ("Alpenblick Hotels AG"));

    ul_gui_click (forget);
    UL_GUI_WAIT ((dialog = ADW_MESSAGE_DIALOG (ul_gui_find_window (ADW_TYPE_MESSAGE_DIALOG)))
                   != NULL, SHORT_MS);
    adw_message_dialog_response (dialog, "forget");
  }
  UL_GUI_WAIT (find_row ("Alpenblick Hotels AG") == NULL, SHORT_MS);
  g_assert_cmpstr (ul_window_get_visible_page (t.window), ==, "dashboard");
  /* Bergbahnen was deactivated before: no customer is left. */
  UL_GUI_WAIT (g_strcmp0 (ul_dashboard_page_get_view (dashboard ()), "empty") == 0, SHORT_MS);
}

int
main (int argc, char **argv)
{
  g_autofree char *reason = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!ul_gui_test_init (&argc, &argv, &reason))
    {
      /* TAP: the whole program is skipped, with the reason. */
      g_print ("1..0 # SKIP %s\n", reason);
      return 0;
    }

  /* Poll quickly, and no discovery: gateways are added by address here; discovery against
   * real avahi-daemons is the netns suite's (tests/gui/test-discovery.c). */
  settings = g_settings_new ("io.github.uplink.Dashboard");
  g_settings_set_uint (settings, "poll-interval", 2);
  g_settings_set_boolean (settings, "discovery", FALSE);

  t.app = ul_application_new ();
  g_application_set_flags (G_APPLICATION (t.app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (t.app), NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (t.app, "show-help", G_CALLBACK (on_show_help), NULL);
  t.window = ul_window_new (t.app);
  gtk_window_set_default_size (GTK_WINDOW (t.window), 1100, 820);
  gtk_window_present (GTK_WINDOW (t.window));
  ul_gui_settle (GTK_WIDGET (t.window));

  g_test_add_func ("/uplink/gui/01-no-gateway-found", test_no_gateway);
  g_test_add_func ("/uplink/gui/02-standalone-add-and-claim", test_standalone_claim);
  g_test_add_func ("/uplink/gui/03-standalone-customer", test_standalone_customer);
  g_test_add_func ("/uplink/gui/04-standalone-gateway", test_standalone_gateway);
  g_test_add_func ("/uplink/gui/05-standalone-pbx", test_standalone_pbx);
  g_test_add_func ("/uplink/gui/06-standalone-connect", test_standalone_connect);
  g_test_add_func ("/uplink/gui/07-standalone-deployment", test_standalone_deployment);
  t.deployment.window = t.window;
  ul_gui_deployment_add_tests ("07", &t.deployment);
  g_test_add_func ("/uplink/gui/08-standalone-advanced", test_standalone_advanced);
  g_test_add_func ("/uplink/gui/09-standalone-overview", test_standalone_overview);
  g_test_add_func ("/uplink/gui/10-standalone-remove-admin", test_remove_admin);
  g_test_add_func ("/uplink/gui/11-smbc-onboarding", test_smbc);
  g_test_add_func ("/uplink/gui/12-customer-list", test_customer_list);
  g_test_add_func ("/uplink/gui/13-registered-users", test_registered_users);
  g_test_add_func ("/uplink/gui/14-deactivate", test_deactivate);
  g_test_add_func ("/uplink/gui/15-lost-connection", test_lost_connection);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (t.window));
  ul_gui_settle (NULL);
  g_application_quit (G_APPLICATION (t.app));
  g_clear_object (&t.app);
  if (t.standalone != NULL)
    ul_gui_gateway_free (t.standalone);
  if (t.smbc != NULL)
    ul_gui_gateway_free (t.smbc);
  if (t.pbx != NULL)
    ul_gui_pbx_free (t.pbx);
  g_free (t.help_page);
  ul_gui_deployment_cleanup ();
  ul_gui_test_cleanup ();
  return status;
}
