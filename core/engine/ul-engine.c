/* ul-engine.c — the gateway engine.
 *
 * Every mutation follows the same shape: copy the current record, apply the client's
 * changes to the copy, validate the whole copy, store it in one transaction, and only
 * then swap it in and announce it. A failure at any step leaves memory and disk as they
 * were, which is what "bad input changes nothing" means in practice.
 */
#define G_LOG_DOMAIN "uplink-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ul-engine-private.h"
#include "ul-error.h"
#include "ul-store.h"
#include "ul-validate.h"
#include "ul-variant.h"

/* Facts kept in the store. */
#define FACT_GATEWAY_ID   "gateway-id"


G_DEFINE_FINAL_TYPE (UlEngine, ul_engine, G_TYPE_OBJECT)

guint ul_engine_signals[N_SIGNALS];
#define signals ul_engine_signals

static void
ul_engine_finalize (GObject *object)
{
  UlEngine *self = UL_ENGINE (object);

  g_clear_pointer (&self->customer, ul_customer_free);
  g_clear_pointer (&self->site, ul_site_free);
  g_clear_pointer (&self->pbx, ul_pbx_config_free);
  g_clear_pointer (&self->advanced, ul_advanced_free);
  g_clear_pointer (&self->status, ul_status_free);
  g_clear_object (&self->pbx_service);
  g_clear_object (&self->directory);
  g_clear_object (&self->mail);
  g_free (self->mail_template_dir);
  g_clear_object (&self->store);
  g_free (self->gateway_id);
  g_free (self->data_dir);

  G_OBJECT_CLASS (ul_engine_parent_class)->finalize (object);
}

static void
ul_engine_class_init (UlEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ul_engine_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_STATUS_CHANGED] =
    g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_USERS_CHANGED] =
    g_signal_new ("users-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CALL_STATE_CHANGED] =
    g_signal_new ("call-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_PBX_CHANGED] =
    g_signal_new ("pbx-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_DELIVERY_CHANGED] =
    g_signal_new ("delivery-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ul_engine_init (UlEngine *self)
{
}

void
ul_engine_refresh_status (UlEngine *self)
{
  g_autoptr(GVariant) fault_params = NULL;
  const char *fault = ul_engine_pbx_fault (self, &fault_params);
  UlStatusInputs in = {
    .deactivated = self->customer != NULL
                   && self->customer->state == UL_CUSTOMER_STATE_DEACTIVATED,
    .have_customer = self->customer != NULL,
    .have_site = self->site != NULL,
    .platform = self->site != NULL ? self->site->platform : UL_PLATFORM_UNKNOWN,
    .have_pbx = self->pbx != NULL,
    .connected_once = self->connected_once,
    .synced_once = ul_directory_service_has_synced (self->directory),
    .fault = fault,
    .fault_params = fault_params,
  };
  g_autoptr(UlStatus) status = ul_status_compute (&in);

  if (self->status != NULL && ul_status_equal (self->status, status))
    return;

  g_clear_pointer (&self->status, ul_status_free);
  self->status = g_steal_pointer (&status);
  g_debug ("status is now %s", self->status->code);
  g_signal_emit (self, signals[SIGNAL_STATUS_CHANGED], 0);
}

static gboolean
load_fact_flag (UlStore *store, const char *key, gboolean *out, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *value = ul_store_get_fact (store, key, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *out = value != NULL && *value != '\0';
  return TRUE;
}

static gboolean
load_gateway_id (UlEngine *self, GError **error)
{
  g_autoptr(GError) local_error = NULL;

  self->gateway_id = ul_store_get_fact (self->store, FACT_GATEWAY_ID, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (self->gateway_id != NULL)
    return TRUE;

  self->gateway_id = g_uuid_string_random ();
  return ul_store_set_fact (self->store, FACT_GATEWAY_ID, self->gateway_id, error);
}

UlEngine *
ul_engine_new (const char *data_dir, GError **error)
{
  g_autoptr(UlEngine) self = g_object_new (UL_TYPE_ENGINE, NULL);
  g_autofree char *db_path = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, UL_ERROR, UL_ERROR_STORAGE, _("Cannot create the data directory %s: %s"),
                   data_dir, g_strerror (saved_errno));
      return NULL;
    }

  self->data_dir = g_strdup (data_dir);
  db_path = g_build_filename (data_dir, "uplink.db", NULL);
  self->store = ul_store_open (db_path, error);
  if (self->store == NULL)
    return NULL;

  if (!load_gateway_id (self, error))
    return NULL;

  self->customer = ul_store_load_customer (self->store, &local_error);
  if (local_error == NULL)
    self->site = ul_store_load_site (self->store, &local_error);
  if (local_error == NULL)
    self->pbx = ul_store_load_pbx (self->store, &local_error);
  if (local_error == NULL)
    self->advanced = ul_store_load_advanced (self->store, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!load_fact_flag (self->store, FACT_CONNECTED_AT, &self->connected_once, error))
    return NULL;

  self->directory = ul_directory_service_new (self->store, error);
  if (self->directory == NULL)
    return NULL;
  ul_engine_pbx_init (self);
  if (!ul_engine_mail_init (self, error))
    return NULL;

  ul_engine_refresh_status (self);
  return g_steal_pointer (&self);
}

void
ul_engine_start (UlEngine *self)
{
  g_return_if_fail (UL_IS_ENGINE (self));
  ul_engine_pbx_start (self);
  ul_engine_mail_start (self);
}

void
ul_engine_shutdown (UlEngine *self)
{
  g_return_if_fail (UL_IS_ENGINE (self));
  ul_engine_mail_shutdown (self);
  ul_engine_pbx_shutdown (self);
}

const char *
ul_engine_get_gateway_id (UlEngine *self)
{
  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);
  return self->gateway_id;
}

const char *
ul_engine_get_account_id (UlEngine *self)
{
  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);
  if (self->customer == NULL || self->customer->account_id == NULL)
    return "";
  return self->customer->account_id;
}

const UlStatus *
ul_engine_get_status (UlEngine *self)
{
  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);
  return self->status;
}

static gboolean
not_found (GError **error, const char *what)
{
  g_set_error (error, UL_ERROR, UL_ERROR_NOT_FOUND, _("No %s has been saved yet"), what);
  return FALSE;
}

UlCustomer *
ul_engine_get_customer (UlEngine *self, GError **error)
{
  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);
  if (self->customer == NULL)
    {
      not_found (error, _("customer information"));
      return NULL;
    }
  return ul_customer_copy (self->customer);
}

UlSite *
ul_engine_get_site (UlEngine *self, GError **error)
{
  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);
  if (self->site == NULL)
    {
      not_found (error, _("gateway site"));
      return NULL;
    }
  return ul_site_copy (self->site);
}

UlPbxConfig *
ul_engine_get_pbx (UlEngine *self, GError **error)
{
  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);
  if (self->pbx == NULL)
    {
      not_found (error, _("PBX information"));
      return NULL;
    }
  return ul_pbx_config_copy (self->pbx);
}

UlAdvanced *
ul_engine_get_advanced (UlEngine *self)
{
  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);
  return self->advanced != NULL ? ul_advanced_copy (self->advanced) : ul_advanced_new ();
}

/* A deactivated customer keeps its data but accepts no change (the seed: reactivation
 * goes through support, not the dashboard). */
gboolean
ul_engine_check_active (UlEngine *self, GError **error)
{
  if (self->customer != NULL && self->customer->state == UL_CUSTOMER_STATE_DEACTIVATED)
    {
      g_set_error_literal (error, UL_ERROR, UL_ERROR_WRONG_STATE,
                           _("The customer is deactivated; its settings can no longer be changed"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_confirmation (const char *confirm, const char *word, GError **error)
{
  if (g_strcmp0 (confirm, word) != 0)
    {
      ul_set_field_error (error, UL_ERROR_CONFIRMATION_REQUIRED, "confirm",
                          _("Type the word “%s” to confirm"), word);
      return FALSE;
    }
  return TRUE;
}

/* Queues the audit line for the next store write. Only field names go in: values may be
 * secrets (the PBX password) or personal data that the log should not copy. */
void
ul_engine_audit (UlEngine *self, const UlCaller *caller, const char *action, const char *detail)
{
  ul_store_set_audit (self->store,
                      ul_audit_entry_new (caller != NULL ? caller->actor : "uplinkd",
                                          caller != NULL ? caller->peer : NULL, action, detail));
}

static char *
changed_keys (GVariant *changes)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  GVariantIter iter;
  const char *key;

  if (!g_variant_is_of_type (changes, G_VARIANT_TYPE_VARDICT))
    return g_strdup ("");
  g_variant_iter_init (&iter, changes);
  while (g_variant_iter_next (&iter, "{&sv}", &key, NULL))
    g_strv_builder_add (keys, key);
  strv = g_strv_builder_end (keys);
  return g_strjoinv (", ", strv);
}

GVariant *
ul_engine_list_audit (UlEngine *self, guint offset, guint limit, guint *total, GError **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  GVariantBuilder builder;

  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);

  entries = ul_store_list_audit (self->store, offset, limit, total, error);
  if (entries == NULL)
    return NULL;
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < entries->len; i++)
    g_variant_builder_add_value (&builder, ul_audit_entry_to_variant (g_ptr_array_index (entries, i)));
  return g_variant_builder_end (&builder);
}

/* Stores @candidate (already validated) as the customer and swaps it in. */
static gboolean
commit_customer (UlEngine *self, UlCustomer *candidate, GError **error)
{
  gboolean first_save = self->customer == NULL;

  if (!ul_store_save_customer (self->store, candidate, error))
    return FALSE;

  g_clear_pointer (&self->customer, ul_customer_free);
  self->customer = ul_customer_copy (candidate);
  ul_directory_service_set_customer (self->directory, self->customer);
  if (first_save)
    g_message ("customer saved, account ID %s", self->customer->account_id);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, "customer");
  ul_engine_refresh_status (self);
  return TRUE;
}

static UlCustomer *
customer_candidate (UlEngine *self)
{
  return self->customer != NULL ? ul_customer_copy (self->customer) : ul_customer_new ();
}

gboolean
ul_engine_update_customer (UlEngine *self, const UlCaller *caller, GVariant *changes, GError **error)
{
  g_autoptr(UlCustomer) candidate = NULL;
  g_autofree char *keys = NULL;

  g_return_val_if_fail (UL_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  if (!ul_engine_check_active (self, error))
    return FALSE;

  candidate = customer_candidate (self);
  if (!ul_customer_apply (candidate, changes, error) || !ul_customer_validate (candidate, error))
    return FALSE;

  keys = changed_keys (changes);
  ul_engine_audit (self, caller, "update-customer", keys);
  return commit_customer (self, candidate, error);
}

/* Contacts are added to a saved customer only: the first save must carry the whole
 * record (with its mandatory support contacts), or it would never validate. */
static UlCustomer *
saved_customer_candidate (UlEngine *self, GError **error)
{
  if (!ul_engine_check_active (self, error))
    return NULL;
  if (self->customer == NULL)
    {
      g_set_error_literal (error, UL_ERROR, UL_ERROR_WRONG_STATE,
                           _("Save the customer information first"));
      return NULL;
    }
  return ul_customer_copy (self->customer);
}

static gboolean
add_contact (UlEngine       *self,
             const UlCaller *caller,
             GVariant       *contact,
             gboolean        support,
             GError        **error)
{
  const char *list_field = support ? "supportContacts" : "adminContacts";
  g_autoptr(UlCustomer) candidate = NULL;
  g_autoptr(UlContact) parsed = NULL;
  GPtrArray *list;
  int existing;

  candidate = saved_customer_candidate (self, error);
  if (candidate == NULL)
    return FALSE;

  parsed = ul_contact_from_variant (contact, support, error);
  if (parsed == NULL || !ul_contact_validate (parsed, support, error))
    return FALSE;

  existing = support ? ul_customer_find_support (candidate, parsed->role, parsed->email)
                     : ul_customer_find_admin (candidate, parsed->email);
  if (existing >= 0)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "email",
                          _("%s is already in the list"), parsed->email);
      ul_error_prefix_field (error, list_field);
      return FALSE;
    }

  ul_engine_audit (self, caller, support ? "add-support-contact" : "add-admin-contact", parsed->email);
  list = support ? candidate->support_contacts : candidate->admin_contacts;
  g_ptr_array_add (list, g_steal_pointer (&parsed));
  if (!ul_customer_validate (candidate, error))
    return FALSE;

  return commit_customer (self, candidate, error);
}

gboolean
ul_engine_add_admin_contact (UlEngine *self, const UlCaller *caller, GVariant *contact, GError **error)
{
  g_return_val_if_fail (UL_IS_ENGINE (self), FALSE);
  return add_contact (self, caller, contact, FALSE, error);
}

gboolean
ul_engine_add_support_contact (UlEngine *self, const UlCaller *caller, GVariant *contact, GError **error)
{
  g_return_val_if_fail (UL_IS_ENGINE (self), FALSE);
  return add_contact (self, caller, contact, TRUE, error);
}

gboolean
ul_engine_remove_admin_contact (UlEngine   *self, const UlCaller *caller,
                                const char *email,
                                const char *confirm,
                                GError    **error)
{
  g_autoptr(UlCustomer) candidate = NULL;
  int index;

  g_return_val_if_fail (UL_IS_ENGINE (self), FALSE);

  candidate = saved_customer_candidate (self, error);
  if (candidate == NULL || !check_confirmation (confirm, UL_CONFIRM_REMOVE, error))
    return FALSE;

  index = ul_customer_find_admin (candidate, email != NULL ? email : "");
  if (index < 0)
    {
      ul_set_field_error (error, UL_ERROR_NOT_FOUND, "email",
                          _("No admin contact has the e-mail address %s"), email);
      return FALSE;
    }
  g_ptr_array_remove_index (candidate->admin_contacts, index);

  ul_engine_audit (self, caller, "remove-admin-contact", email);
  return commit_customer (self, candidate, error);
}

gboolean
ul_engine_remove_support_contact (UlEngine   *self, const UlCaller *caller,
                                  const char *role,
                                  const char *email,
                                  GError    **error)
{
  g_autoptr(UlCustomer) candidate = NULL;
  g_autofree char *detail = NULL;
  UlSupportRole parsed_role;
  int index;

  g_return_val_if_fail (UL_IS_ENGINE (self), FALSE);

  candidate = saved_customer_candidate (self, error);
  if (candidate == NULL)
    return FALSE;

  parsed_role = ul_support_role_from_string (role);
  if (parsed_role == UL_SUPPORT_ROLE_UNKNOWN)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "role",
                          _("“%s” is not a support role; use maintainer, onsiteAdmin or other"),
                          role != NULL ? role : "");
      return FALSE;
    }

  index = ul_customer_find_support (candidate, parsed_role, email != NULL ? email : "");
  if (index < 0)
    {
      ul_set_field_error (error, UL_ERROR_NOT_FOUND, "email",
                          _("No %s support contact has the e-mail address %s"), role, email);
      return FALSE;
    }
  g_ptr_array_remove_index (candidate->support_contacts, index);

  /* Validation refuses to drop the last maintainer or onsite admin. */
  if (!ul_customer_validate (candidate, error))
    return FALSE;

  detail = g_strdup_printf ("%s %s", role, email);
  ul_engine_audit (self, caller, "remove-support-contact", detail);
  return commit_customer (self, candidate, error);
}

gboolean
ul_engine_deactivate (UlEngine *self, const UlCaller *caller, const char *confirm, GError **error)
{
  g_autoptr(UlCustomer) candidate = NULL;

  g_return_val_if_fail (UL_IS_ENGINE (self), FALSE);

  candidate = saved_customer_candidate (self, error);
  if (candidate == NULL || !check_confirmation (confirm, UL_CONFIRM_DEACTIVATE, error))
    return FALSE;

  candidate->state = UL_CUSTOMER_STATE_DEACTIVATED;
  ul_engine_audit (self, caller, "deactivate", NULL);
  if (!commit_customer (self, candidate, error))
    return FALSE;

  g_message ("customer %s deactivated", candidate->account_id);
  return TRUE;
}

gboolean
ul_engine_update_site (UlEngine *self, const UlCaller *caller, GVariant *changes, GError **error)
{
  g_autoptr(UlSite) candidate = NULL;
  g_autoptr(GVariant) address = NULL;
  g_autofree char *keys = NULL;

  g_return_val_if_fail (UL_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  if (!ul_engine_check_active (self, error))
    return FALSE;

  candidate = self->site != NULL ? ul_site_copy (self->site) : ul_site_new ();

  /* The seed: the site address is "populated by default" from the customer's. */
  address = g_variant_lookup_value (changes, "address", NULL);
  if (self->site == NULL && address == NULL && self->customer != NULL)
    {
      ul_address_free (candidate->address);
      candidate->address = ul_address_copy (self->customer->address);
    }

  if (!ul_site_apply (candidate, changes, error) || !ul_site_validate (candidate, error))
    return FALSE;

  keys = changed_keys (changes);
  ul_engine_audit (self, caller, "update-site", keys);
  if (!ul_store_save_site (self->store, candidate, error))
    return FALSE;

  g_clear_pointer (&self->site, ul_site_free);
  self->site = g_steal_pointer (&candidate);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, "site");
  ul_engine_refresh_status (self);
  return TRUE;
}

/* True when the change means the last successful Connect no longer proves anything. */
static gboolean
pbx_link_changed (const UlPbxConfig *old, const UlPbxConfig *new)
{
  return old == NULL
         || g_strcmp0 (old->host, new->host) != 0
         || old->port != new->port
         || g_strcmp0 (old->username, new->username) != 0
         || g_strcmp0 (old->password, new->password) != 0;
}

gboolean
ul_engine_update_pbx (UlEngine *self, const UlCaller *caller, GVariant *changes, GError **error)
{
  g_autoptr(UlPbxConfig) candidate = NULL;
  g_autofree char *keys = NULL;
  gboolean relink;

  g_return_val_if_fail (UL_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  if (!ul_engine_check_active (self, error))
    return FALSE;

  candidate = self->pbx != NULL ? ul_pbx_config_copy (self->pbx) : ul_pbx_config_new ();
  if (!ul_pbx_config_apply (candidate, changes, error) || !ul_pbx_config_validate (candidate, error))
    return FALSE;

  relink = pbx_link_changed (self->pbx, candidate);
  keys = changed_keys (changes);
  ul_engine_audit (self, caller, "update-pbx", keys);
  if (!ul_store_save_pbx (self->store, candidate, error))
    return FALSE;
  if (relink && self->connected_once)
    {
      /* Best effort: a failure here only means the status keeps "overview" until the
       * next Connect, which re-verifies the link anyway. */
      g_autoptr(GError) local_error = NULL;
      if (!ul_store_set_fact (self->store, FACT_CONNECTED_AT, NULL, &local_error))
        g_warning ("cannot reset the connect state: %s", local_error->message);
      else
        self->connected_once = FALSE;
    }

  g_clear_pointer (&self->pbx, ul_pbx_config_free);
  self->pbx = g_steal_pointer (&candidate);
  ul_engine_pbx_reconfigure (self, relink);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, "pbx");
  ul_engine_refresh_status (self);
  return TRUE;
}

gboolean
ul_engine_update_advanced (UlEngine *self, const UlCaller *caller, GVariant *changes, GError **error)
{
  g_autoptr(UlAdvanced) candidate = NULL;
  g_autofree char *keys = NULL;

  g_return_val_if_fail (UL_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  if (!ul_engine_check_active (self, error))
    return FALSE;

  candidate = ul_engine_get_advanced (self);
  if (!ul_advanced_apply (candidate, changes, error) || !ul_advanced_validate (candidate, error))
    return FALSE;

  keys = changed_keys (changes);
  ul_engine_audit (self, caller, "update-advanced", keys);
  if (!ul_store_save_advanced (self->store, candidate, error))
    return FALSE;

  g_clear_pointer (&self->advanced, ul_advanced_free);
  self->advanced = g_steal_pointer (&candidate);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, "advanced");
  ul_engine_refresh_status (self);
  return TRUE;
}
