/* ul-gateway-list.c — the gateways the dashboard knows of.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gstdio.h>

#include "ul-credentials.h"
#include "ul-gateway-list.h"

struct _UlGatewayList
{
  GObject parent_instance;

  char        *path;
  GListStore  *store;
  UlDiscovery *discovery;
  guint        poll_interval;
  guint        save_id;
  /* The partner was told that passwords cannot be remembered; once is enough until a
   * password is stored again. */
  gboolean     keyring_warned;
};

static void ul_gateway_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (UlGatewayList, ul_gateway_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      ul_gateway_list_model_init))

enum
{
  SIGNAL_KEYRING_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
model_get_item_type (GListModel *model)
{
  return UL_TYPE_GATEWAY;
}

static guint
model_get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (UL_GATEWAY_LIST (model)->store));
}

static gpointer
model_get_item (GListModel *model, guint position)
{
  return g_list_model_get_item (G_LIST_MODEL (UL_GATEWAY_LIST (model)->store), position);
}

static void
ul_gateway_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = model_get_item_type;
  iface->get_n_items = model_get_n_items;
  iface->get_item = model_get_item;
}

static void
on_items_changed (GListModel *store, guint position, guint removed, guint added,
                  UlGatewayList *self)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

/* ---- persistence ---- */

static gboolean
save_now (gpointer user_data)
{
  UlGatewayList *self = UL_GATEWAY_LIST (user_data);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (self->path);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  self->save_id = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UlGateway) gateway = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      UlApiClient *client = ul_gateway_get_client (gateway);
      const char *id = ul_gateway_get_id (gateway);
      const char *pin = ul_api_client_get_pinned_fingerprint (client);

      if (!ul_gateway_get_known (gateway) || id == NULL || pin == NULL)
        continue;
      g_key_file_set_string (file, id, "host", ul_gateway_get_host (gateway));
      g_key_file_set_integer (file, id, "port", (int) ul_gateway_get_port (gateway));
      g_key_file_set_string (file, id, "fingerprint", pin);
      if (ul_gateway_get_email (gateway) != NULL)
        g_key_file_set_string (file, id, "email", ul_gateway_get_email (gateway));
      if (ul_gateway_get_customer_name (gateway) != NULL)
        g_key_file_set_string (file, id, "customer-name", ul_gateway_get_customer_name (gateway));
      if (ul_gateway_get_account_id (gateway) != NULL)
        g_key_file_set_string (file, id, "account-id", ul_gateway_get_account_id (gateway));
    }

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_key_file_save_to_file (file, self->path, &error))
    g_warning ("Cannot remember the gateways in %s: %s", self->path,
               error != NULL ? error->message : g_strerror (errno));
  return G_SOURCE_REMOVE;
}

/* Several properties change at once when a gateway answers: write the file once. */
static void
schedule_save (UlGatewayList *self)
{
  if (self->save_id == 0)
    self->save_id = g_idle_add (save_now, self);
}

static void
on_gateway_summary_changed (UlGateway *gateway, GParamSpec *pspec, UlGatewayList *self)
{
  if (ul_gateway_get_known (gateway))
    schedule_save (self);
}

static void
on_pin_changed (UlGateway *gateway, UlGatewayList *self)
{
  if (ul_gateway_get_known (gateway))
    schedule_save (self);
}

/* ---- GObject ---- */

static void
ul_gateway_list_dispose (GObject *object)
{
  UlGatewayList *self = UL_GATEWAY_LIST (object);

  if (self->save_id != 0)
    {
      g_clear_handle_id (&self->save_id, g_source_remove);
      save_now (self);
    }
  if (self->discovery != NULL)
    g_signal_handlers_disconnect_by_data (self->discovery, self);
  g_clear_object (&self->discovery);
  if (self->store != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(UlGateway) gateway = g_list_model_get_item (G_LIST_MODEL (self->store), i);

          g_signal_handlers_disconnect_by_data (gateway, self);
          ul_gateway_shutdown (gateway);
        }
    }
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ul_gateway_list_parent_class)->dispose (object);
}

static void
ul_gateway_list_finalize (GObject *object)
{
  UlGatewayList *self = UL_GATEWAY_LIST (object);

  g_free (self->path);

  G_OBJECT_CLASS (ul_gateway_list_parent_class)->finalize (object);
}

static void
ul_gateway_list_class_init (UlGatewayListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ul_gateway_list_dispose;
  object_class->finalize = ul_gateway_list_finalize;

  signals[SIGNAL_KEYRING_FAILED] = g_signal_new ("keyring-failed", G_TYPE_FROM_CLASS (klass),
                                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                 G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ul_gateway_list_init (UlGatewayList *self)
{
  self->store = g_list_store_new (UL_TYPE_GATEWAY);
  self->poll_interval = 10;
  g_signal_connect (self->store, "items-changed", G_CALLBACK (on_items_changed), self);
}

UlGatewayList *
ul_gateway_list_new (const char *path)
{
  UlGatewayList *self = g_object_new (UL_TYPE_GATEWAY_LIST, NULL);

  self->path = path != NULL ? g_strdup (path)
                            : g_build_filename (g_get_user_data_dir (), "uplink-dashboard",
                                                "gateways.ini", NULL);
  return self;
}

void
ul_gateway_list_set_poll_interval (UlGatewayList *self, guint seconds)
{
  guint n;

  g_return_if_fail (UL_IS_GATEWAY_LIST (self));

  self->poll_interval = seconds;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UlGateway) gateway = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      ul_gateway_set_poll_interval (gateway, seconds);
    }
}

UlGateway *
ul_gateway_list_find (UlGatewayList *self, const char *id)
{
  guint n;

  g_return_val_if_fail (UL_IS_GATEWAY_LIST (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; id != NULL && i < n; i++)
    {
      g_autoptr(UlGateway) gateway = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_strcmp0 (ul_gateway_get_id (gateway), id) == 0)
        return gateway;
    }
  return NULL;
}

UlGateway *
ul_gateway_list_find_address (UlGatewayList *self, const char *host, guint port)
{
  guint n;

  g_return_val_if_fail (UL_IS_GATEWAY_LIST (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UlGateway) gateway = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_strcmp0 (ul_gateway_get_host (gateway), host) == 0 &&
          ul_gateway_get_port (gateway) == port)
        return gateway;
    }
  return NULL;
}

UlGateway *
ul_gateway_list_add (UlGatewayList *self, UlGateway *gateway)
{
  UlGateway *existing;

  g_return_val_if_fail (UL_IS_GATEWAY_LIST (self), NULL);
  g_return_val_if_fail (UL_IS_GATEWAY (gateway), NULL);

  existing = ul_gateway_list_find (self, ul_gateway_get_id (gateway));
  if (existing != NULL)
    return existing;

  ul_gateway_set_poll_interval (gateway, self->poll_interval);
  g_signal_connect (gateway, "notify::title", G_CALLBACK (on_gateway_summary_changed), self);
  g_signal_connect (gateway, "notify::account-id", G_CALLBACK (on_gateway_summary_changed),
                    self);
  g_signal_connect (gateway, "pin-changed", G_CALLBACK (on_pin_changed), self);
  g_list_store_append (self->store, gateway);
  return gateway;
}

static void
on_password_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlGatewayList) self = UL_GATEWAY_LIST (user_data);
  g_autoptr(GError) error = NULL;

  if (ul_credentials_store_finish (result, &error))
    {
      self->keyring_warned = FALSE;
      return;
    }
  /* Every sign-in stores the password again: without a keyring, the partner would be
   * told the same at each one. */
  if (self->keyring_warned)
    return;
  self->keyring_warned = TRUE;
  g_signal_emit (self, signals[SIGNAL_KEYRING_FAILED], 0, error->message);
}

void
ul_gateway_list_remember (UlGatewayList *self, UlGateway *gateway, const char *password)
{
  g_return_if_fail (UL_IS_GATEWAY_LIST (self));
  g_return_if_fail (UL_IS_GATEWAY (gateway));

  gateway = ul_gateway_list_add (self, gateway);
  ul_gateway_set_known (gateway, TRUE);
  schedule_save (self);
  if (password != NULL && ul_gateway_get_id (gateway) != NULL &&
      ul_gateway_get_email (gateway) != NULL)
    ul_credentials_store_async (ul_gateway_get_id (gateway), ul_gateway_get_email (gateway),
                                password, NULL, on_password_stored, g_object_ref (self));
}

static void
on_password_cleared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlGatewayList) self = UL_GATEWAY_LIST (user_data);
  g_autoptr(GError) error = NULL;

  if (!ul_credentials_clear_finish (result, &error))
    g_signal_emit (self, signals[SIGNAL_KEYRING_FAILED], 0, error->message);
}

void
ul_gateway_list_forget (UlGatewayList *self, UlGateway *gateway)
{
  guint position;

  g_return_if_fail (UL_IS_GATEWAY_LIST (self));
  g_return_if_fail (UL_IS_GATEWAY (gateway));

  ul_gateway_set_known (gateway, FALSE);
  if (ul_gateway_get_id (gateway) != NULL)
    ul_credentials_clear_async (ul_gateway_get_id (gateway), NULL, on_password_cleared,
                                g_object_ref (self));
  if (!ul_gateway_get_discovered (gateway) &&
      g_list_store_find (self->store, gateway, &position))
    {
      g_signal_handlers_disconnect_by_data (gateway, self);
      ul_gateway_shutdown (gateway);
      g_list_store_remove (self->store, position);
    }
  schedule_save (self);
}

/* ---- known gateways at start-up ---- */

static void
on_password_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlGateway) gateway = UL_GATEWAY (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *password = ul_credentials_lookup_finish (result, &error);

  if (password == NULL)
    {
      /* Signed out until the partner types the password. */
      ul_gateway_refresh (gateway);
      return;
    }
  ul_gateway_sign_in_async (gateway, ul_gateway_get_email (gateway), password, NULL, NULL, NULL);
}

void
ul_gateway_list_load (UlGatewayList *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;

  g_return_if_fail (UL_IS_GATEWAY_LIST (self));

  if (!g_key_file_load_from_file (file, self->path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("Cannot read the known gateways from %s: %s", self->path, error->message);
      return;
    }

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *id = groups[i];
      g_autofree char *host = g_key_file_get_string (file, id, "host", NULL);
      int port = g_key_file_get_integer (file, id, "port", NULL);
      g_autofree char *pin = g_key_file_get_string (file, id, "fingerprint", NULL);
      g_autofree char *email = g_key_file_get_string (file, id, "email", NULL);
      g_autofree char *name = g_key_file_get_string (file, id, "customer-name", NULL);
      g_autofree char *account = g_key_file_get_string (file, id, "account-id", NULL);
      g_autoptr(UlGateway) gateway = NULL;

      if (host == NULL || port <= 0 || port > 65535 || pin == NULL ||
          ul_gateway_list_find (self, id) != NULL)
        continue;

      gateway = ul_gateway_new (host, (guint) port);
      ul_gateway_set_id (gateway, id);
      ul_api_client_set_pinned_fingerprint (ul_gateway_get_client (gateway), pin);
      ul_gateway_set_email (gateway, email);
      ul_gateway_set_claimed (gateway, TRUE);
      ul_gateway_set_known (gateway, TRUE);
      ul_gateway_restore_summary (gateway, name, account);
      ul_gateway_list_add (self, gateway);

      if (email != NULL)
        ul_credentials_lookup_async (id, email, NULL, on_password_found,
                                     g_object_ref (gateway));
      else
        ul_gateway_refresh (gateway);
    }
}

/* ---- discovery ---- */

static void
remove_unknown (UlGatewayList *self, UlGateway *gateway)
{
  guint position;

  if (!ul_gateway_get_known (gateway) && g_list_store_find (self->store, gateway, &position))
    {
      g_signal_handlers_disconnect_by_data (gateway, self);
      ul_gateway_shutdown (gateway);
      g_list_store_remove (self->store, position);
    }
}

static void
on_found (UlDiscovery *discovery, UlDiscoveredGateway *found, UlGatewayList *self)
{
  UlGateway *gateway = ul_gateway_list_find (self, found->id);

  /* An unclaimed gateway beyond a router (an mDNS reflector announces it here) refuses a
   * claim from this computer, and without a claim nobody has an account on it: nothing
   * to offer. The partner still can add it by address, and learns why it refuses. */
  if (!found->on_local_subnet && !found->claimed &&
      (gateway == NULL || !ul_gateway_get_known (gateway)))
    {
      g_debug ("Gateway %s at %s is not on this computer's subnets: not offered", found->id,
               found->host);
      if (gateway != NULL)
        {
          ul_gateway_set_discovered (gateway, FALSE);
          remove_unknown (self, gateway);
        }
      return;
    }

  if (gateway == NULL)
    {
      g_autoptr(UlGateway) fresh = ul_gateway_new (found->host, found->port);

      ul_gateway_set_id (fresh, found->id);
      gateway = ul_gateway_list_add (self, fresh);
      ul_api_client_set_announced_fingerprint (ul_gateway_get_client (gateway),
                                               found->fingerprint);
      ul_gateway_probe_async (gateway, NULL, NULL, NULL);
    }
  else
    {
      /* A known gateway moved (new DHCP lease): follow it; its pin still decides. */
      ul_gateway_set_address (gateway, found->host, found->port);
      ul_api_client_set_announced_fingerprint (ul_gateway_get_client (gateway),
                                               found->fingerprint);
    }

  ul_gateway_set_announced_name (gateway, found->name);
  ul_gateway_set_claimed (gateway, found->claimed);
  /* Someone else's customer shows its account ID before anyone signs in; the gateway's
   * own answers, once signed in, say the same. */
  if (found->account_id != NULL)
    ul_gateway_restore_summary (gateway, ul_gateway_get_customer_name (gateway),
                                found->account_id);
  ul_gateway_set_discovered (gateway, TRUE);
}

static void
on_lost (UlDiscovery *discovery, const char *id, UlGatewayList *self)
{
  UlGateway *gateway = ul_gateway_list_find (self, id);

  if (gateway == NULL)
    return;

  ul_gateway_set_discovered (gateway, FALSE);
  remove_unknown (self, gateway);
}

void
ul_gateway_list_set_discovery (UlGatewayList *self, UlDiscovery *discovery)
{
  g_return_if_fail (UL_IS_GATEWAY_LIST (self));
  g_return_if_fail (UL_IS_DISCOVERY (discovery));

  g_set_object (&self->discovery, discovery);
  g_signal_connect (discovery, "found", G_CALLBACK (on_found), self);
  g_signal_connect (discovery, "lost", G_CALLBACK (on_lost), self);
}
