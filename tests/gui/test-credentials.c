/* test-credentials.c — the partner's passwords: in a real gnome-keyring-daemon on the
 * test's own session bus, never in clear on disk, used for the next start, deleted with
 * the gateway; and, without any Secret Service, a session that goes on and one plain
 * sentence saying the password cannot be remembered.
 *
 * The mode comes from UL_GUI_TEST_KEYRING (see ul-gui-test.h): "gnome-keyring" runs the
 * keyring cases, "none" (a bus without a Secret Service) and "no-bus" the others. The
 * cases of a mode share one application, window and gateway, and run in order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ul-add-gateway-dialog.h"
#include "ul-api-error.h"
#include "ul-application.h"
#include "ul-claim-dialog.h"
#include "ul-credentials.h"
#include "ul-customer-page.h"
#include "ul-gateway-list.h"
#include "ul-gui-test.h"
#include "ul-window.h"

#define SHORT_MS 10000
#define LONG_MS  30000

#define EMAIL    "partner@example.com"
/* Distinctive, so that finding it in a file cannot be a coincidence. */
#define PASSWORD "Keyring-Test-Passw0rd-81f3"

static struct
{
  UlApplication *app;
  UlWindow      *window;
  UlGuiGateway  *gateway;
  UlGateway     *claimed;    /* the dashboard's gateway object of t.gateway */
  char          *id;
  GPtrArray     *keyring_messages;
} t;

/* ---- helpers ---- */

static void
on_keyring_failed (UlGatewayList *gateways, const char *message, gpointer user_data)
{
  g_ptr_array_add (t.keyring_messages, g_strdup (message));
}

static UlGatewayList *
gateways (void)
{
  return ul_application_get_gateways (t.app);
}

/* The "login" entries of the gateway's audit log: one per successful sign-in. */
static guint
count_logins (UlGuiGateway *gateway)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) entries = NULL;
  GVariantIter iter;
  GVariant *entry;
  guint n = 0;

  reply = ul_gui_gateway_call (gateway, "", "GetAuditLog",
                               g_variant_new_parsed ("({'limit': <@u 1000>},)"), &error);
  g_assert_no_error (error);
  entries = g_variant_get_child_value (reply, 0);
  g_variant_iter_init (&iter, entries);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *action = NULL;

      if (g_variant_lookup (entry, "action", "&s", &action) && g_str_equal (action, "login"))
        n++;
      g_variant_unref (entry);
    }
  return n;
}

/* Adds the gateway by address, trusts its certificate and claims it, as the partner does. */
static UlGateway *
add_and_claim (UlGuiGateway *gateway)
{
  g_autofree char *address = ul_gui_gateway_address (gateway);
  UlAddGatewayDialog *add;
  UlClaimDialog *claim;
  UlGateway *claimed;

  ul_window_add_gateway (t.window, NULL, NULL);
  add = UL_ADD_GATEWAY_DIALOG (ul_gui_find_window (UL_TYPE_ADD_GATEWAY_DIALOG));
  g_assert_nonnull (add);
  ul_add_gateway_dialog_set_address (add, address);
  ul_add_gateway_dialog_next (add);
  UL_GUI_WAIT (ul_add_gateway_dialog_get_probed (add) ||
                 ul_form_get_n_errors (ul_add_gateway_dialog_get_form (add)) > 0, SHORT_MS);
  g_assert_true (ul_add_gateway_dialog_get_probed (add));
  ul_add_gateway_dialog_next (add);

  UL_GUI_WAIT ((claim = UL_CLAIM_DIALOG (ul_gui_find_window (UL_TYPE_CLAIM_DIALOG))) != NULL,
               SHORT_MS);
  ul_claim_dialog_fill (claim, EMAIL, PASSWORD, PASSWORD);
  claimed = g_object_ref (ul_claim_dialog_get_selected (claim));
  ul_claim_dialog_submit (claim);
  UL_GUI_WAIT (g_strcmp0 (ul_window_get_visible_page (t.window), "customer") == 0 ||
                 ul_form_get_n_errors (ul_claim_dialog_get_form (claim)) > 0, LONG_MS);
  g_assert_cmpstr (ul_window_get_visible_page (t.window), ==, "customer");
  g_assert_cmpint (ul_gateway_get_state (claimed), ==, UL_GATEWAY_STATE_ONLINE);
  g_assert_nonnull (ul_gateway_get_id (claimed));
  return claimed;
}

/* No file under the dashboard's XDG directories holds the password in clear (the keyring's
 * own file there is encrypted), and the scan did read the list of known gateways. */
static void
assert_password_not_on_disk (void)
{
  guint n_files = 0;
  g_auto(GStrv) with_password = ul_gui_find_in_files (PASSWORD, &n_files);
  g_auto(GStrv) with_id = ul_gui_find_in_files (t.id, NULL);

  for (guint i = 0; with_password[i] != NULL; i++)
    g_test_message ("the password is in clear in %s", with_password[i]);
  g_assert_cmpuint (g_strv_length (with_password), ==, 0);
  g_assert_cmpuint (n_files, >, 0);
  g_assert_cmpuint (g_strv_length (with_id), >=, 1);
}

static gboolean
known_gateways_file_has (const char *text)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "uplink-dashboard",
                                            "gateways.ini", NULL);
  g_autofree char *contents = NULL;

  return g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, text) != NULL;
}

/* A second list, as the next start of the dashboard makes it from the same files. */
static UlGatewayList *
next_start (UlGateway **gateway)
{
  UlGatewayList *list = ul_gateway_list_new (NULL);

  ul_gateway_list_set_poll_interval (list, 2);
  ul_gateway_list_load (list);
  *gateway = ul_gateway_list_find (list, t.id);
  g_assert_nonnull (*gateway);
  g_assert_true (ul_gateway_get_known (*gateway));
  return list;
}

typedef struct
{
  gboolean done;
  GError  *error;
} Outcome;

static void
on_call_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Outcome *outcome = user_data;
  g_autoptr(GVariant) reply = ul_gateway_call_finish (UL_GATEWAY (source), result,
                                                      &outcome->error);

  outcome->done = reply != NULL || outcome->error != NULL;
}

/* One API call through the gateway object, as a page makes it; NULL when it succeeded. */
static GError *
call (UlGateway *gateway, UlApiOp op)
{
  Outcome outcome = { FALSE, NULL };

  ul_gateway_call_async (gateway, op, NULL, NULL, NULL, on_call_done, &outcome);
  UL_GUI_WAIT (outcome.done, LONG_MS);
  return outcome.error;
}

static void
on_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Outcome *outcome = user_data;

  ul_credentials_store_finish (result, &outcome->error);
  outcome->done = TRUE;
}

/* ---- with gnome-keyring ---- */

static void
test_claim_stores_password (void)
{
  guint changes = ul_gui_keyring_get_changes ();
  g_autofree char *stored = NULL;

  t.gateway = ul_gui_gateway_start ();
  t.claimed = add_and_claim (t.gateway);
  t.id = g_strdup (ul_gateway_get_id (t.claimed));

  /* The store is asynchronous: the keyring announces the new item. */
  UL_GUI_WAIT (ul_gui_keyring_get_changes () > changes, SHORT_MS);
  stored = ul_gui_keyring_lookup (t.id, EMAIL);
  g_assert_cmpstr (stored, ==, PASSWORD);
  g_assert_cmpuint (ul_gui_keyring_count (t.id), ==, 1);
  g_assert_cmpuint (t.keyring_messages->len, ==, 0);
  UL_GUI_WAIT (known_gateways_file_has (t.id), SHORT_MS);
}

static void
test_no_password_on_disk (void)
{
  assert_password_not_on_disk ();
}

static void
test_next_start_signs_in (void)
{
  guint logins = count_logins (t.gateway);
  g_autoptr(UlGatewayList) list = NULL;
  UlGateway *gateway;

  list = next_start (&gateway);
  /* Nobody typed anything: the password came from the keyring. */
  UL_GUI_WAIT (ul_gateway_get_state (gateway) == UL_GATEWAY_STATE_ONLINE, LONG_MS);
  g_assert_true (ul_gateway_has_password (gateway));
  g_assert_cmpuint (count_logins (t.gateway), ==, logins + 1);
  g_assert_null (call (gateway, UL_API_OP_GET_STATUS));
  g_assert_cmpuint (t.keyring_messages->len, ==, 0);
  ul_gui_settle (NULL);
}

static void
test_forget_deletes_secret (void)
{
  guint changes = ul_gui_keyring_get_changes ();
  g_autoptr(UlGatewayList) list = NULL;
  g_autofree char *stored = NULL;
  UlGateway *gateway;

  ul_window_show_dashboard (t.window);
  ul_gateway_list_forget (gateways (), t.claimed);
  UL_GUI_WAIT (ul_gui_keyring_get_changes () > changes, SHORT_MS);
  stored = ul_gui_keyring_lookup (t.id, EMAIL);
  g_assert_null (stored);
  g_assert_cmpuint (ul_gui_keyring_count (t.id), ==, 0);
  g_assert_null (ul_gateway_list_find (gateways (), t.id));
  UL_GUI_WAIT (!known_gateways_file_has (t.id), SHORT_MS);

  /* The next start does not know it either. */
  list = ul_gateway_list_new (NULL);
  ul_gateway_list_load (list);
  gateway = ul_gateway_list_find (list, t.id);
  g_assert_null (gateway);
  g_assert_cmpuint (t.keyring_messages->len, ==, 0);
}

/* ---- without a Secret Service ---- */

static void
assert_plain_words (const char *message)
{
  const char *jargon[] = { "dbus", "D-Bus", "org.freedesktop", "GDBus", "child process",
                           "secrets", "Error", "autolaunch" };

  g_test_message ("the partner reads: %s", message);
  for (guint i = 0; i < G_N_ELEMENTS (jargon); i++)
    if (strstr (message, jargon[i]) != NULL)
      g_error ("“%s” tells the partner about “%s”", message, jargon[i]);
  /* What happened, and what it means for the partner. */
  g_assert_nonnull (strstr (message, "password cannot be remembered"));
  g_assert_nonnull (strstr (message, "keyring"));
  g_assert_nonnull (strstr (message, "next time"));
}

static void
test_no_keyring_claim (void)
{
  const char *message;

  t.gateway = ul_gui_gateway_start ();
  t.claimed = add_and_claim (t.gateway);
  t.id = g_strdup (ul_gateway_get_id (t.claimed));

  UL_GUI_WAIT (t.keyring_messages->len > 0, SHORT_MS);
  g_assert_cmpuint (t.keyring_messages->len, ==, 1);
  message = g_ptr_array_index (t.keyring_messages, 0);
  assert_plain_words (message);
  /* The partner sees exactly that sentence, over the customer page that opened. */
  UL_GUI_WAIT (ul_gui_find (GTK_WIDGET (t.window), GTK_TYPE_LABEL, message) != NULL, SHORT_MS);
  ul_gui_snapshot (GTK_WIDGET (t.window), "credentials-no-keyring");
}

static void
test_no_keyring_session_goes_on (void)
{
  guint logins = count_logins (t.gateway);
  Outcome outcome = { FALSE, NULL };
  GError *error;

  /* The gateway forgets the token: the dashboard signs in again with the password it
   * keeps for the session, and the page's call succeeds. */
  error = call (t.claimed, UL_API_OP_LOGOUT);
  g_assert_no_error (error);
  error = call (t.claimed, UL_API_OP_GET_STATUS);
  g_assert_no_error (error);
  g_assert_cmpuint (count_logins (t.gateway), ==, logins + 1);
  g_assert_cmpint (ul_gateway_get_state (t.claimed), ==, UL_GATEWAY_STATE_ONLINE);

  /* Signing in again stores the password again: the partner is not told twice. A store
   * of the test's own, started after it, fails after it (the bus answers in order). */
  ul_gateway_list_remember (gateways (), t.claimed, PASSWORD);
  ul_credentials_store_async (t.id, EMAIL, PASSWORD, NULL, on_stored, &outcome);
  UL_GUI_WAIT (outcome.done, SHORT_MS);
  g_assert_error (outcome.error, UL_CREDENTIALS_ERROR, UL_CREDENTIALS_ERROR_NO_KEYRING);
  g_clear_error (&outcome.error);
  ul_gui_settle (NULL);
  g_assert_cmpuint (t.keyring_messages->len, ==, 1);
}

static void
test_no_keyring_next_start_asks (void)
{
  g_autoptr(UlGatewayList) list = NULL;
  UlGateway *gateway;

  /* The next start knows the gateway, but not its password: it asks. */
  UL_GUI_WAIT (known_gateways_file_has (t.id), SHORT_MS);
  list = next_start (&gateway);
  UL_GUI_WAIT (ul_gateway_get_state (gateway) == UL_GATEWAY_STATE_SIGNED_OUT, LONG_MS);
  g_assert_false (ul_gateway_has_password (gateway));
  assert_password_not_on_disk ();
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
      g_print ("1..0 # SKIP %s\n", reason);
      return 0;
    }

  settings = g_settings_new ("io.github.uplink.Dashboard");
  g_settings_set_uint (settings, "poll-interval", 2);
  g_settings_set_boolean (settings, "discovery", FALSE);

  t.keyring_messages = g_ptr_array_new_with_free_func (g_free);
  t.app = ul_application_new ();
  g_application_set_flags (G_APPLICATION (t.app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (t.app), NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (gateways (), "keyring-failed", G_CALLBACK (on_keyring_failed), NULL);
  t.window = ul_window_new (t.app);
  gtk_window_set_default_size (GTK_WINDOW (t.window), 1100, 820);
  gtk_window_present (GTK_WINDOW (t.window));
  ul_gui_settle (GTK_WIDGET (t.window));

  if (ul_gui_test_get_keyring () == UL_GUI_KEYRING_GNOME)
    {
      g_test_add_func ("/uplink/gui/credentials/1-claim-stores-password",
                       test_claim_stores_password);
      g_test_add_func ("/uplink/gui/credentials/2-no-password-on-disk", test_no_password_on_disk);
      g_test_add_func ("/uplink/gui/credentials/3-next-start-signs-in", test_next_start_signs_in);
      g_test_add_func ("/uplink/gui/credentials/4-forget-deletes-secret",
                       test_forget_deletes_secret);
    }
  else
    {
      g_test_add_func ("/uplink/gui/credentials/no-keyring/1-claim", test_no_keyring_claim);
      g_test_add_func ("/uplink/gui/credentials/no-keyring/2-session-goes-on",
                       test_no_keyring_session_goes_on);
      g_test_add_func ("/uplink/gui/credentials/no-keyring/3-next-start-asks",
                       test_no_keyring_next_start_asks);
    }
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (t.window));
  ul_gui_settle (NULL);
  g_application_quit (G_APPLICATION (t.app));
  g_clear_object (&t.claimed);
  g_clear_object (&t.app);
  if (t.gateway != NULL)
    ul_gui_gateway_free (t.gateway);
  g_free (t.id);
  g_ptr_array_unref (t.keyring_messages);
  ul_gui_test_cleanup ();
  return status;
}
