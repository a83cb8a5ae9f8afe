/* ul-gui-deployment.c — the deployment e-mail cases of the dashboard suite (see the header).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>

#include "ul-choices.h"
#include "ul-customer-page.h"
#include "ul-deployment-page.h"
#include "ul-deployment-sender.h"
#include "ul-gui-deployment.h"
#include "ul-json.h"
#include "ul-mail-server-dialog.h"
#include "ul-send-dialog.h"
#include "ul-test-smtp.h"
#include "ul-users-dialog.h"

#define SHORT_MS 10000
#define LONG_MS  30000

/* The demo company's first users (uplink-pbxsim --demo): all eligible. */
#define JUERGEN "201"
#define ZOE     "202"
#define FRANCOIS "203"
#define SOEREN  "204"
#define ANNA    "205"
#define PASSWORD "Correct horse 42"

static struct
{
  UlGuiDeploymentContext *context;
  UlTestSmtp             *sink;
  UlTestSmtp             *stopped;  /* the sink before the outage, with what it received */
  char                   *zoe_first_token;
  char                   *zoe_token;
  char                   *juergen_token;
} d;

/* ---- helpers ---- */

static UlDeploymentPage *
page (void)
{
  UlCustomerPage *customer = UL_CUSTOMER_PAGE (ul_window_get_customer_page (d.context->window));

  return UL_DEPLOYMENT_PAGE (ul_customer_page_get_step (customer, "deployment"));
}

static UlGuiGateway *
gateway (void)
{
  return *d.context->gateway;
}

static UlGateway *
dashboard_gateway (void)
{
  return ul_step_page_get_gateway (UL_STEP_PAGE (page ()));
}

/* The user's row object; after a reload (each sending or registration is followed by one)
 * the list refills, so this waits until the user is back in it. */
static UlUserObject *
user (const char *extension)
{
  UL_GUI_WAIT (!ul_deployment_page_get_loading (page ()) &&
                 ul_deployment_page_find_user (page (), extension) != NULL, SHORT_MS);
  return ul_deployment_page_find_user (page (), extension);
}

static const char *
state_of (const char *extension)
{
  UlUserObject *found = ul_deployment_page_find_user (page (), extension);

  return found != NULL ? ul_user_object_get_delivery_state (found) : NULL;
}

static gboolean
text_starts (const char *extension, const char *prefix)
{
  g_autofree char *text = ul_user_object_dup_delivery_text (user (extension));

  return g_str_has_prefix (text, prefix);
}

static void
fill (GtkWidget *root, const char *title, const char *text)
{
  ul_gui_type (ul_gui_get (root, ADW_TYPE_ENTRY_ROW, title), text);
}

/* The gateway's own record, over D-Bus: what the dashboard really stored. */
static GVariant *
stored (const char *method)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = ul_gui_gateway_call (gateway (), "Deployment", method, NULL, &error);

  g_assert_no_error (error);
  return g_variant_get_child_value (reply, 0);
}

/* The registration token in the newest mail to @address. */
static char *
mail_token (const char *address)
{
  g_autoptr(GPtrArray) messages = ul_test_smtp_messages (d.sink);
  JsonObject *message = ul_test_smtp_find (messages, address);
  JsonArray *parts;

  g_assert_nonnull (message);
  parts = json_object_get_array_member (message, "parts");
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonObject *part = json_array_get_object_element (parts, i);
      const char *text = json_object_get_string_member (part, "text");
      const char *link = text != NULL ? strstr (text, "/register/") : NULL;
      gsize len = 0;

      if (link == NULL || !g_str_equal (json_object_get_string_member (part, "type"), "text/plain"))
        continue;
      link += strlen ("/register/");
      while (g_ascii_isalnum (link[len]) || link[len] == '-' || link[len] == '_')
        len++;
      return g_strndup (link, len);
    }
  g_error ("no registration link in the mail to %s", address);
  return NULL;
}

static guint
mails_to (const char *address)
{
  g_autoptr(GPtrArray) messages = ul_test_smtp_messages (d.sink);
  guint n = 0;

  for (guint i = 0; i < messages->len; i++)
    {
      JsonArray *to = json_object_get_array_member (g_ptr_array_index (messages, i), "envelopeTo");

      n += json_array_get_length (to) > 0 &&
           g_strcmp0 (json_array_get_string_element (to, 0), address) == 0;
    }
  return n;
}

static gboolean
on_accept_any (SoupMessage *message, GTlsCertificate *certificate, GTlsCertificateFlags errors,
               gpointer user_data)
{
  /* The test's own gateway on loopback; the dashboard's pinning is tested elsewhere. */
  return TRUE;
}

/* What the app's registration page does: POST /api/v1/registration/{token}. The HTTP
 * status. */
static guint
register_user (const char *token, const char *password)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20, NULL);
  g_autofree char *uri = g_strdup_printf ("https://127.0.0.1:%u/api/v1/registration/%s",
                                          gateway ()->https_port, token);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", uri);
  g_autofree char *body = g_strdup_printf ("{\"password\": \"%s\"}", password);
  gsize len = strlen (body);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_connect (message, "accept-certificate", G_CALLBACK (on_accept_any), NULL);
  soup_message_set_request_body_from_bytes (message, "application/json",
                                            g_bytes_new_take (g_steal_pointer (&body), len));
  reply = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (message);
}

/* Scrolls the customer page so that @widget shows, for a screenshot of it. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;

  g_assert_nonnull (scrolled);
  ul_gui_settle (widget);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_true (gtk_widget_compute_bounds (widget, gtk_scrolled_window_get_child (
                                                      GTK_SCROLLED_WINDOW (scrolled)),
                                            &bounds));
  gtk_adjustment_set_value (adjustment, bounds.origin.y - 160);
}

static UlSendDialog *
wait_dialog (UlSendDialog *dialog)
{
  g_assert_nonnull (dialog);
  UL_GUI_WAIT (gtk_widget_get_mapped (GTK_WIDGET (dialog)), SHORT_MS);
  return dialog;
}

/* ---- the cases ---- */

static void
test_mail_server (gconstpointer data)
{
  UlDeploymentPage *p = page ();
  UlMailServerDialog *dialog;
  g_autoptr(UlForm) form = NULL;
  g_autoptr(GVariant) smtp = NULL;
  g_autoptr(GVariant) settings = NULL;
  g_autofree char *port = NULL;
  g_autoptr(UlUserObject) ineligible = NULL;
  const char *host = NULL;

  d.sink = ul_test_smtp_new ();
  ul_test_smtp_start (d.sink, NULL);
  port = g_strdup_printf ("%u", d.sink->port);

  /* No mail server yet: Send says why and offers to set one up. */
  UL_GUI_WAIT (ul_deployment_page_get_send_hint (p) != NULL &&
                 strstr (ul_deployment_page_get_send_hint (p), "Set up the e-mail server") != NULL,
               SHORT_MS);
  g_assert_cmpuint (ul_deployment_page_get_n_selected (p), >, 0);
  g_assert_false (gtk_widget_get_sensitive (ul_deployment_page_get_send_button (p)));
  g_assert_null (ul_deployment_page_send (p));
  ul_gui_snapshot (GTK_WIDGET (d.context->window), "07a-deployment-no-mail-server");

  /* An ineligible user cannot be ticked: no check box, and the model refuses it. */
  g_assert_null (ul_gui_find (ul_deployment_page_get_ineligible_view (p), GTK_TYPE_CHECK_BUTTON,
                              NULL));
  ineligible = g_list_model_get_item (ul_deployment_page_get_ineligible (p), 0);
  ul_user_object_set_selected (ineligible, TRUE);
  g_assert_false (ul_user_object_get_selected (ineligible));

  ul_gui_click (ul_gui_get (GTK_WIDGET (p), GTK_TYPE_BUTTON, "Set Up E-mail Server…"));
  dialog = UL_MAIL_SERVER_DIALOG (ul_gui_find_window (UL_TYPE_MAIL_SERVER_DIALOG));
  g_assert_nonnull (dialog);
  UL_GUI_WAIT (ul_mail_server_dialog_get_loaded (dialog), SHORT_MS);
  /* Kept: the dialog closes once it has saved. */
  form = g_object_ref (ul_mail_server_dialog_get_form (dialog));

  /* Bad input: each mistake under its field, nothing stored. */
  fill (GTK_WIDGET (dialog), "Server Address", "127.0.0.1");
  fill (GTK_WIDGET (dialog), "Port", "70000");
  fill (GTK_WIDGET (dialog), "From Address", "not-an-address");
  fill (GTK_WIDGET (dialog), "Link Address (optional, https://…)", "http://gw.example");
  ul_mail_server_dialog_save (dialog);
  UL_GUI_WAIT (!ul_mail_server_dialog_get_busy (dialog), SHORT_MS);
  g_assert_nonnull (ul_form_get_message (form, "port"));
  g_assert_nonnull (ul_form_get_message (form, "fromAddress"));
  g_assert_nonnull (ul_form_get_message (form, "registrationUrl"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  smtp = stored ("GetSmtp");
  g_assert_false (g_variant_lookup (smtp, "host", "&s", &host));
  ul_gui_snapshot (GTK_WIDGET (dialog), "07a-mail-server-validation");

  /* Good settings, with a sign-in: stored, the password only as "set". */
  fill (GTK_WIDGET (dialog), "Port", port);
  g_assert_true (ul_choices_set (G_OBJECT (ul_gui_get (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW,
                                                       "Security")), "none"));
  fill (GTK_WIDGET (dialog), "User Name", "mailer");
  fill (GTK_WIDGET (dialog), "Password", "s3cret-pass");
  fill (GTK_WIDGET (dialog), "From Address", "deploy@partner.example");
  fill (GTK_WIDGET (dialog), "From Name (optional)", "Partner IT");
  fill (GTK_WIDGET (dialog), "Reply-To Address (optional)", "help@partner.example");
  fill (GTK_WIDGET (dialog), "Link Address (optional, https://…)",
        "https://gw.alpenblick.example:8443");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ul_gui_get (GTK_WIDGET (dialog),
                                                          GTK_TYPE_SPIN_BUTTON, NULL)), 48);
  ul_mail_server_dialog_save (dialog);
  UL_GUI_WAIT (ul_gui_find_window (UL_TYPE_MAIL_SERVER_DIALOG) == NULL ||
                 ul_form_get_n_errors (form) > 0, SHORT_MS);
  g_assert_cmpuint (ul_form_get_n_errors (form), ==, 0);
  g_clear_pointer (&smtp, g_variant_unref);
  smtp = stored ("GetSmtp");
  g_assert_true (g_variant_lookup (smtp, "host", "&s", &host));
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_true (g_variant_lookup (smtp, "fromName", "&s", &host));
  g_assert_cmpstr (host, ==, "Partner IT");
  g_assert_true (g_variant_lookup (smtp, "tls", "&s", &host));
  g_assert_cmpstr (host, ==, "none");
  {
    gboolean set = FALSE;

    g_assert_true (g_variant_lookup (smtp, "passwordSet", "b", &set) && set);
  }
  settings = stored ("GetSettings");
  {
    guint32 lifetime = 0;

    g_assert_true (g_variant_lookup (settings, "linkLifetime", "u", &lifetime));
    g_assert_cmpuint (lifetime, ==, 48 * 3600);
    g_assert_true (g_variant_lookup (settings, "registrationUrl", "&s", &host));
    g_assert_cmpstr (host, ==, "https://gw.alpenblick.example:8443");
  }
  UL_GUI_WAIT (ul_deployment_page_get_mail_ready (p) &&
                 ul_deployment_page_get_link_lifetime (p) == 48 * 3600, SHORT_MS);

  /* The sink takes mail without signing in: remove the password again, then test (which
   * saves first) and see the server's own answer. */
  ul_deployment_page_configure_mail_server (p);
  dialog = UL_MAIL_SERVER_DIALOG (ul_gui_find_window (UL_TYPE_MAIL_SERVER_DIALOG));
  UL_GUI_WAIT (ul_mail_server_dialog_get_loaded (dialog), SHORT_MS);
  g_assert_true (gtk_widget_get_visible (ul_gui_get (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW,
                                                     "A password is stored on the gateway")));
  ul_gui_click (ul_gui_get (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "Remove Password"));
  fill (GTK_WIDGET (dialog), "User Name", "");
  ul_gui_click (ul_gui_get (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, "Send Test Mail"));
  UL_GUI_WAIT (!ul_mail_server_dialog_get_busy (dialog) &&
                 ul_mail_server_dialog_get_test_result (dialog) != NULL, LONG_MS);
  g_assert_true (ul_mail_server_dialog_get_test_ok (dialog));
  g_assert_true (g_str_has_prefix (ul_mail_server_dialog_get_test_result (dialog),
                                   "250 2.0.0 Ok: queued as UL"));
  g_assert_cmpuint (mails_to ("deploy@partner.example"), ==, 1);
  g_clear_pointer (&smtp, g_variant_unref);
  smtp = stored ("GetSmtp");
  {
    gboolean set = TRUE;

    g_assert_true (g_variant_lookup (smtp, "passwordSet", "b", &set));
    g_assert_false (set);
  }
  {
    /* Down to the Test group, where the answer is. */
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (
      GTK_SCROLLED_WINDOW (ul_gui_get (GTK_WIDGET (dialog), GTK_TYPE_SCROLLED_WINDOW, NULL)));

    ul_gui_settle (GTK_WIDGET (dialog));
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  }
  ul_gui_snapshot (GTK_WIDGET (dialog), "07a-mail-server-test");
  gtk_window_close (GTK_WINDOW (dialog));
  UL_GUI_WAIT (ul_gui_find_window (UL_TYPE_MAIL_SERVER_DIALOG) == NULL, SHORT_MS);
  UL_GUI_WAIT (gtk_widget_get_sensitive (ul_deployment_page_get_send_button (p)), SHORT_MS);
}

static void
test_send (gconstpointer data)
{
  UlDeploymentPage *p = page ();
  const char *extensions[] = { JUERGEN, ZOE, FRANCOIS };
  const char *addresses[] = { "juergen.mueller@example.com", "zoe.angstrom@example.com",
                              "francois.lefevre@example.com" };
  UlSendDialog *dialog;
  g_autofree char *details = NULL;

  ul_gui_click (ul_gui_get (GTK_WIDGET (p), GTK_TYPE_BUTTON, "Select None"));
  g_assert_cmpuint (ul_deployment_page_get_n_selected (p), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (ul_deployment_page_get_send_button (p)));
  g_assert_cmpstr (ul_deployment_page_get_send_hint (p), ==,
                   "Select the users who should get the e-mail.");
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    ul_user_object_set_selected (user (extensions[i]), TRUE);
  g_assert_cmpuint (ul_deployment_page_get_n_selected (p), ==, 3);

  /* How many, and in which language: the customer's (German), changed here to English. */
  dialog = wait_dialog (ul_deployment_page_send (p));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "3 users get a welcome e-mail"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "for 2 days"));
  g_assert_cmpstr (ul_send_dialog_get_language (dialog), ==, "de");
  g_assert_true (ul_choices_set (G_OBJECT (ul_send_dialog_get_language_dropdown (dialog)), "en"));
  ul_gui_snapshot (GTK_WIDGET (dialog), "07b-send-confirmation");
  ul_send_dialog_send (dialog);
  UL_GUI_WAIT (!ul_deployment_page_get_sending (p), LONG_MS);

  /* In the mail server, to the right people; in the list, each turns Sent, live. */
  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    UL_GUI_WAIT (mails_to (addresses[i]) == 1, LONG_MS);
  {
    g_autoptr(GPtrArray) messages = ul_test_smtp_messages (d.sink);
    JsonObject *mail = ul_test_smtp_find (messages, addresses[1]);

    g_assert_cmpstr (json_object_get_string_member (mail, "contentLanguage"), ==, "en");
    g_assert_cmpstr (json_object_get_string_member (mail, "fromName"), ==, "Partner IT");
  }
  g_assert_cmpuint (ul_test_smtp_count (d.sink), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    UL_GUI_WAIT (g_strcmp0 (state_of (extensions[i]), "sent") == 0, LONG_MS);
  g_assert_true (text_starts (ZOE, "Sent "));
  details = ul_user_object_dup_delivery_details (user (ZOE));
  g_assert_nonnull (strstr (details, "250 2.0.0 Ok: queued as UL"));
  g_assert_null (ul_deployment_page_get_refusal (p, ZOE));
  /* Sent users are no longer ticked; they can be sent again with Resend. */
  g_assert_cmpuint (ul_deployment_page_get_n_selected (p), ==, 0);
  g_assert_true (ul_user_object_get_can_resend (user (ZOE)));
  g_assert_false (ul_user_object_get_can_resend (user (SOEREN)));
  d.zoe_first_token = mail_token (addresses[1]);
  d.juergen_token = mail_token (addresses[0]);
  ul_gui_snapshot (GTK_WIDGET (d.context->window), "07b-deployment-sent");
}

static void
test_resend (gconstpointer data)
{
  UlDeploymentPage *p = page ();
  UlSendDialog *dialog;

  g_assert_null (ul_deployment_page_resend (p, SOEREN));
  dialog = wait_dialog (ul_deployment_page_resend (p, ZOE));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "stops working"));
  ul_send_dialog_send (dialog);
  UL_GUI_WAIT (!ul_deployment_page_get_sending (p), LONG_MS);
  UL_GUI_WAIT (mails_to ("zoe.angstrom@example.com") == 2, LONG_MS);
  d.zoe_token = mail_token ("zoe.angstrom@example.com");
  g_assert_cmpstr (d.zoe_token, !=, d.zoe_first_token);
  UL_GUI_WAIT (g_strcmp0 (state_of (ZOE), "sent") == 0, LONG_MS);
}

static void
test_retry (gconstpointer data)
{
  UlDeploymentPage *p = page ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *details = NULL;

  /* A relay that is down: the mail waits and is retried (after a second here). */
  reply = ul_gui_gateway_call (gateway (), "Deployment", "UpdateSettings",
                               g_variant_new_parsed ("({'retryInitial': <uint32 1>, "
                                                     "'retryMax': <uint32 2>},)"),
                               &error);
  g_assert_no_error (error);
  ul_test_smtp_stop (d.sink);

  ul_user_object_set_selected (user (SOEREN), TRUE);
  ul_send_dialog_send (wait_dialog (ul_deployment_page_send (p)));
  UL_GUI_WAIT (!ul_deployment_page_get_sending (p), LONG_MS);
  UL_GUI_WAIT (text_starts (SOEREN, "Queued, will retry at "), LONG_MS);
  /* Why, in the tooltip: the connection the relay refused. */
  details = ul_user_object_dup_delivery_details (user (SOEREN));
  g_assert_true (g_str_has_prefix (details, "Last attempt: "));
  ul_gui_snapshot (GTK_WIDGET (d.context->window), "07d-deployment-retry");

  /* Back on the same port; a directory of its own, since a new sink counts from 1 again. */
  d.stopped = g_steal_pointer (&d.sink);
  d.sink = ul_test_smtp_new ();
  d.sink->port = d.stopped->port;
  ul_test_smtp_start (d.sink, NULL);
  UL_GUI_WAIT (g_strcmp0 (state_of (SOEREN), "sent") == 0, LONG_MS);
  g_assert_cmpuint (mails_to ("soren.kierkegaard@example.com"), ==, 1);
}

static void
test_register (gconstpointer data)
{
  UlDeploymentPage *p = page ();
  UlUsersDialog *dialog;
  g_autoptr(UlUserObject) registered = NULL;
  g_autofree char *when = NULL;

  ul_gui_click (ul_gui_get (GTK_WIDGET (p), GTK_TYPE_BUTTON, "Show Registered Users"));
  dialog = UL_USERS_DIALOG (ul_gui_find_window (UL_TYPE_USERS_DIALOG));
  g_assert_nonnull (dialog);
  UL_GUI_WAIT (!ul_users_dialog_get_loading (dialog), SHORT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (ul_users_dialog_get_model (dialog)), ==, 0);

  /* The link of the first e-mail stopped working with the Resend; the new one works. */
  g_assert_cmpuint (register_user (d.zoe_first_token, PASSWORD), ==, SOUP_STATUS_GONE);
  g_assert_cmpuint (register_user (d.zoe_token, PASSWORD), ==, SOUP_STATUS_OK);

  /* Live, in the open dialog, the list of the step and the count of the customer list. */
  UL_GUI_WAIT (g_list_model_get_n_items (ul_users_dialog_get_model (dialog)) == 1, LONG_MS);
  registered = g_list_model_get_item (ul_users_dialog_get_model (dialog), 0);
  g_assert_cmpstr (ul_user_object_get_name (registered), ==, "Zoë Ångström");
  when = ul_user_object_dup_registered_text (registered);
  g_assert_cmpstr (when, !=, "");
  UL_GUI_WAIT (ul_gateway_get_registered_users (dashboard_gateway ()) == 1, LONG_MS);
  UL_GUI_WAIT (g_strcmp0 (state_of (ZOE), "registered") == 0, LONG_MS);
  g_assert_false (ul_user_object_get_can_select (user (ZOE)));
  g_assert_false (ul_user_object_get_can_resend (user (ZOE)));
  ul_gui_snapshot (GTK_WIDGET (dialog), "07e-registered-users");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_refused (gconstpointer data)
{
  UlDeploymentPage *p = page ();
  UlSendDialog *dialog;

  ul_user_object_set_selected (user (JUERGEN), TRUE);
  ul_user_object_set_selected (user (ANNA), TRUE);
  dialog = wait_dialog (ul_deployment_page_send (p));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "1 of them got one before"));

  /* Jürgen registers while the partner still reads the confirmation. */
  g_assert_cmpuint (register_user (d.juergen_token, PASSWORD), ==, SOUP_STATUS_OK);
  UL_GUI_WAIT (ul_gateway_get_registered_users (dashboard_gateway ()) == 2, LONG_MS);
  ul_send_dialog_send (dialog);
  UL_GUI_WAIT (!ul_deployment_page_get_sending (p), LONG_MS);

  /* One accepted, one refused with the dashboard's own words for the reason. */
  UL_GUI_WAIT (ul_deployment_page_get_refusal (p, JUERGEN) != NULL, SHORT_MS);
  g_assert_true (g_str_has_prefix (ul_deployment_page_get_refusal (p, JUERGEN),
                                   "Already registered"));
  g_assert_null (ul_deployment_page_get_refusal (p, ANNA));
  UL_GUI_WAIT (g_strcmp0 (state_of (ANNA), "sent") == 0, LONG_MS);
  /* Nothing new for Jürgen since the outage; Anna's arrived. */
  g_assert_cmpuint (mails_to ("juergen.mueller@example.com"), ==, 0);
  g_assert_cmpuint (mails_to ("anna.schmidt@example.com"), ==, 1);
  scroll_to (ul_gui_get (GTK_WIDGET (p), ADW_TYPE_PREFERENCES_GROUP, "Last Sending"));
  ul_gui_snapshot (GTK_WIDGET (d.context->window), "07f-deployment-results");
  scroll_to (ul_gui_get (GTK_WIDGET (p), ADW_TYPE_PREFERENCES_GROUP, "E-mail Server"));
}

static void
on_done (UlDeploymentSender *sender, GParamSpec *pspec, GArray *steps)
{
  guint done = ul_deployment_sender_get_done (sender);

  g_array_append_val (steps, done);
}

static void
on_run (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ul_deployment_sender_run_finish (UL_DEPLOYMENT_SENDER (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
test_batches (gconstpointer data)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) extensions = NULL;
  g_autoptr(UlDeploymentSender) sender = NULL;
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GVariant) results = NULL;
  g_autoptr(GVariant) last = NULL;
  gboolean finished = FALSE;
  guint before = ul_test_smtp_count (d.sink);

  /* More users than fit one request: batches, and the progress moves with each. Unknown
   * extensions, so that nothing is sent. */
  for (guint i = 0; i < 250; i++)
    {
      g_autofree char *extension = g_strdup_printf ("%u", 9000 + i);

      g_strv_builder_add (builder, extension);
    }
  extensions = g_strv_builder_end (builder);
  sender = ul_deployment_sender_new (dashboard_gateway (), (const char * const *) extensions,
                                     NULL, FALSE);
  g_signal_connect (sender, "notify::done", G_CALLBACK (on_done), steps);
  ul_deployment_sender_run_async (sender, NULL, on_run, &finished);
  UL_GUI_WAIT (finished, LONG_MS);

  g_assert_cmpuint (steps->len, ==, 3);
  g_assert_cmpuint (g_array_index (steps, guint, 0), ==, UL_DEPLOYMENT_SENDER_BATCH);
  g_assert_cmpuint (g_array_index (steps, guint, 2), ==, 250);
  results = ul_deployment_sender_get_results (sender);
  g_assert_cmpuint (g_variant_n_children (results), ==, 250);
  g_assert_cmpuint (ul_deployment_sender_get_n_accepted (sender), ==, 0);
  last = g_variant_get_child_value (results, 249);
  g_assert_cmpstr (ul_json_lookup_string (last, "extension", NULL), ==, "9249");
  g_assert_cmpstr (ul_deployment_refusal_reason (ul_json_lookup_string (last, "reason", NULL),
                                                 NULL),
                   ==, "The PBX no longer has this user: sync the users again.");
  g_assert_cmpuint (ul_test_smtp_count (d.sink), ==, before);
}

void
ul_gui_deployment_add_tests (const char *prefix, UlGuiDeploymentContext *context)
{
  static const struct
  {
    const char *name;
    GTestDataFunc func;
  } cases[] = {
    { "a-mail-server", test_mail_server },
    { "b-send-deployment-emails", test_send },
    { "c-resend", test_resend },
    { "d-relay-down-and-back", test_retry },
    { "e-register", test_register },
    { "f-refused-registered", test_refused },
    { "g-batches", test_batches },
  };

  d.context = context;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/uplink/gui/%s%s", prefix, cases[i].name);

      g_test_add_data_func (path, NULL, cases[i].func);
    }
}

void
ul_gui_deployment_cleanup (void)
{
  g_clear_pointer (&d.sink, ul_test_smtp_free);
  g_clear_pointer (&d.stopped, ul_test_smtp_free);
  g_clear_pointer (&d.zoe_first_token, g_free);
  g_clear_pointer (&d.zoe_token, g_free);
  g_clear_pointer (&d.juergen_token, g_free);
}
