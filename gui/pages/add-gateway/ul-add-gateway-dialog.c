/* ul-add-gateway-dialog.c — add a gateway by its address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-add-gateway-dialog.h"
#include "ul-api-error.h"
#include "ul-error.h"
#include "ul-validate.h"

struct _UlAddGatewayDialog
{
  AdwWindow parent_instance;

  AdwPreferencesGroup *address_group;
  AdwEntryRow         *address_row;
  AdwPreferencesGroup *certificate_group;
  AdwActionRow        *identity_row;
  AdwActionRow        *fingerprint_row;
  AdwActionRow        *verified_row;
  GtkButton           *next_button;
  GtkSpinner          *spinner;

  UlWindow            *window;
  UlGateway           *gateway;   /* probed, waiting to be trusted */
  char                *expected;  /* --fingerprint */
  UlForm              *form;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (UlAddGatewayDialog, ul_add_gateway_dialog, ADW_TYPE_WINDOW)

gboolean
ul_parse_gateway_address (const char *text, char **host, guint *port, GError **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autofree char *name = NULL;
  gint64 number = UL_API_DEFAULT_PORT;
  const char *colon;

  /* A pasted URL is fine too. */
  if (g_str_has_prefix (trimmed, "https://"))
    memmove (trimmed, trimmed + 8, strlen (trimmed + 8) + 1);
  if (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';

  if (*trimmed == '\0')
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "address",
                          "%s", _("Enter the gateway’s address"));
      return FALSE;
    }

  if (trimmed[0] == '[')
    {
      const char *end = strchr (trimmed, ']');

      if (end == NULL)
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "address",
                              "%s", _("An IPv6 address in brackets needs its closing “]”"));
          return FALSE;
        }
      name = g_strndup (trimmed + 1, end - trimmed - 1);
      colon = end[1] == ':' ? end + 1 : NULL;
    }
  else
    {
      colon = strrchr (trimmed, ':');
      /* Two colons or more: a bare IPv6 literal, without a port. */
      if (colon != NULL && strchr (trimmed, ':') != colon)
        colon = NULL;
      name = colon != NULL ? g_strndup (trimmed, colon - trimmed) : g_strdup (trimmed);
    }

  if (colon != NULL)
    {
      char *end = NULL;

      number = g_ascii_strtoll (colon + 1, &end, 10);
      if (end == colon + 1 || *end != '\0')
        number = -1;
    }

  if (!ul_validate_host (name, "address", error) || !ul_validate_port (number, "address", error))
    return FALSE;

  *host = g_steal_pointer (&name);
  *port = (guint) number;
  return TRUE;
}

static void
set_busy (UlAddGatewayDialog *self, gboolean busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->address_row), !busy);
}

/* Editing the address after a probe starts over. */
static void
on_address_changed (UlAddGatewayDialog *self)
{
  if (self->gateway == NULL)
    return;
  g_clear_object (&self->gateway);
  gtk_widget_set_visible (GTK_WIDGET (self->certificate_group), FALSE);
  gtk_button_set_label (self->next_button, _("C_onnect"));
}

static void
continue_with (UlAddGatewayDialog *self, UlGateway *gateway)
{
  UlWindow *window = self->window;

  g_object_ref (gateway);
  gtk_window_destroy (GTK_WINDOW (self));
  if (ul_gateway_get_claimed (gateway))
    ul_window_sign_in (window, gateway);
  else
    ul_window_create_customer (window, gateway);
  g_object_unref (gateway);
}

/* The partner trusts what they saw: pin it and go on to sign in or claim. */
static void
trust (UlAddGatewayDialog *self)
{
  UlGatewayList *gateways = ul_window_get_gateways (self->window);
  const char *peer = ul_api_client_get_peer_fingerprint (ul_gateway_get_client (self->gateway));
  UlGateway *existing = gateways != NULL
                          ? ul_gateway_list_find (gateways, ul_gateway_get_id (self->gateway))
                          : NULL;

  if (existing != NULL)
    {
      /* Already known or announced: keep that object, so that the list shows it once. */
      UlApiClient *client = ul_gateway_get_client (existing);
      const char *pinned = ul_api_client_get_pinned_fingerprint (client);

      if (pinned != NULL && g_strcmp0 (pinned, peer) != 0)
        {
          ul_form_show (self->form, "address",
                        _("This gateway is already in your list with another certificate. "
                          "Open it from the list to review the change."));
          return;
        }
      ul_gateway_set_address (existing, ul_gateway_get_host (self->gateway),
                              ul_gateway_get_port (self->gateway));
      ul_api_client_set_pinned_fingerprint (ul_gateway_get_client (existing), peer);
      ul_gateway_set_claimed (existing, ul_gateway_get_claimed (self->gateway));
      if (ul_gateway_get_known (existing) && ul_gateway_get_state (existing) == UL_GATEWAY_STATE_ONLINE)
        {
          gtk_window_destroy (GTK_WINDOW (self));
          return;
        }
      continue_with (self, existing);
      return;
    }

  ul_api_client_set_pinned_fingerprint (ul_gateway_get_client (self->gateway), peer);
  if (gateways != NULL)
    ul_gateway_list_add (gateways, self->gateway);
  continue_with (self, self->gateway);
}

static const char *
announced_fingerprint (UlAddGatewayDialog *self)
{
  UlGatewayList *gateways = ul_window_get_gateways (self->window);
  UlGateway *announced = gateways != NULL
                           ? ul_gateway_list_find (gateways, ul_gateway_get_id (self->gateway))
                           : NULL;

  if (announced == NULL || !ul_gateway_get_discovered (announced))
    return NULL;
  return ul_api_client_get_announced_fingerprint (ul_gateway_get_client (announced));
}

static void
on_probed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlAddGatewayDialog) self = UL_ADD_GATEWAY_DIALOG (user_data);
  UlGateway *gateway = UL_GATEWAY (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *identity = NULL;
  const char *peer;
  const char *announced;

  if (!ul_gateway_probe_finish (gateway, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      g_clear_object (&self->gateway);
      ul_form_show (self->form, "address", error->message);
      return;
    }

  set_busy (self, FALSE);
  peer = ul_api_client_get_peer_fingerprint (ul_gateway_get_client (gateway));
  if (peer == NULL || ul_gateway_get_id (gateway) == NULL)
    {
      g_clear_object (&self->gateway);
      ul_form_show (self->form, "address",
                    _("Something answered at this address, but it is not an Uplink gateway"));
      return;
    }

  /* Vouched for by the command line or by the gateway's own mDNS announcement. */
  announced = announced_fingerprint (self);
  if ((self->expected != NULL && g_str_equal (self->expected, peer)))
    {
      trust (self);
      return;
    }

  formatted = ul_api_format_fingerprint (peer);
  adw_action_row_set_subtitle (self->fingerprint_row, formatted);
  identity = g_strdup_printf (ul_gateway_get_claimed (gateway)
                                ? _("%s — claimed, sign in next")
                                : _("%s — new, claim it for a customer next"),
                              ul_gateway_get_title (gateway));
  adw_action_row_set_subtitle (self->identity_row, identity);
  gtk_widget_set_visible (GTK_WIDGET (self->verified_row), g_strcmp0 (announced, peer) == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->certificate_group), TRUE);
  gtk_button_set_label (self->next_button, _("_Trust and Continue"));
  gtk_widget_grab_focus (GTK_WIDGET (self->next_button));

  if (self->expected != NULL)
    ul_form_show (self->form, "certificate",
                  _("This is not the fingerprint you gave on the command line"));
}

static void
probe (UlAddGatewayDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  guint port = 0;

  ul_form_clear (self->form);
  if (!ul_parse_gateway_address (gtk_editable_get_text (GTK_EDITABLE (self->address_row)), &host,
                                 &port, &error))
    {
      ul_form_show_error (self->form, error);
      return;
    }

  g_clear_object (&self->gateway);
  self->gateway = ul_gateway_new (host, port);
  set_busy (self, TRUE);
  ul_gateway_probe_async (self->gateway, self->cancellable, on_probed, g_object_ref (self));
}

static void
on_next (UlAddGatewayDialog *self)
{
  if (self->gateway != NULL &&
      gtk_widget_get_visible (GTK_WIDGET (self->certificate_group)))
    trust (self);
  else
    probe (self);
}

static void
ul_add_gateway_dialog_dispose (GObject *object)
{
  UlAddGatewayDialog *self = UL_ADD_GATEWAY_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->gateway);
  g_clear_object (&self->form);

  G_OBJECT_CLASS (ul_add_gateway_dialog_parent_class)->dispose (object);
}

static void
ul_add_gateway_dialog_finalize (GObject *object)
{
  UlAddGatewayDialog *self = UL_ADD_GATEWAY_DIALOG (object);

  g_free (self->expected);

  G_OBJECT_CLASS (ul_add_gateway_dialog_parent_class)->finalize (object);
}

static void
ul_add_gateway_dialog_class_init (UlAddGatewayDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ul_add_gateway_dialog_dispose;
  object_class->finalize = ul_add_gateway_dialog_finalize;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/uplink/Dashboard/ul-add-gateway-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, UlAddGatewayDialog, address_group);
  gtk_widget_class_bind_template_child (widget_class, UlAddGatewayDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, UlAddGatewayDialog, certificate_group);
  gtk_widget_class_bind_template_child (widget_class, UlAddGatewayDialog, identity_row);
  gtk_widget_class_bind_template_child (widget_class, UlAddGatewayDialog, fingerprint_row);
  gtk_widget_class_bind_template_child (widget_class, UlAddGatewayDialog, verified_row);
  gtk_widget_class_bind_template_child (widget_class, UlAddGatewayDialog, next_button);
  gtk_widget_class_bind_template_child (widget_class, UlAddGatewayDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_next);
  gtk_widget_class_bind_template_callback (widget_class, on_address_changed);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ul_add_gateway_dialog_init (UlAddGatewayDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->form = ul_form_new ();
  ul_form_add (self->form, "address", GTK_WIDGET (self->address_row));
  ul_form_add (self->form, "certificate", GTK_WIDGET (self->fingerprint_row));
}

UlAddGatewayDialog *
ul_add_gateway_dialog_new (UlWindow *parent, const char *address, const char *fingerprint)
{
  UlAddGatewayDialog *self = g_object_new (UL_TYPE_ADD_GATEWAY_DIALOG,
                                           "transient-for", parent, NULL);

  self->window = parent;
  self->expected = ul_api_normalize_fingerprint (fingerprint);
  if (address != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->address_row), address);
      probe (self);
    }
  return self;
}

void
ul_add_gateway_dialog_set_address (UlAddGatewayDialog *self, const char *address)
{
  g_return_if_fail (UL_IS_ADD_GATEWAY_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), address);
}

void
ul_add_gateway_dialog_next (UlAddGatewayDialog *self)
{
  g_return_if_fail (UL_IS_ADD_GATEWAY_DIALOG (self));
  on_next (self);
}

gboolean
ul_add_gateway_dialog_get_probed (UlAddGatewayDialog *self)
{
  g_return_val_if_fail (UL_IS_ADD_GATEWAY_DIALOG (self), FALSE);
  return self->gateway != NULL && gtk_widget_get_visible (GTK_WIDGET (self->certificate_group));
}

UlForm *
ul_add_gateway_dialog_get_form (UlAddGatewayDialog *self)
{
  g_return_val_if_fail (UL_IS_ADD_GATEWAY_DIALOG (self), NULL);
  return self->form;
}
