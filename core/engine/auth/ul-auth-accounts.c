/* ul-auth-accounts.c — the accounts part of UlAuthService: reading, adding and removing
 * accounts, and password changes (see ul-auth-service.h). */
#define G_LOG_DOMAIN "uplink-auth"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ul-auth-private.h"
#include "ul-error.h"
#include "ul-validate.h"


gboolean
ul_auth_check_role (const char *role, GError **error)
{
  if (g_strcmp0 (role, UL_AUTH_ROLE_PARTNER) == 0
      || g_strcmp0 (role, UL_AUTH_ROLE_CUSTOMER_ADMIN) == 0)
    return TRUE;
  ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "role",
                      _("The role must be %s or %s"), UL_AUTH_ROLE_PARTNER,
                      UL_AUTH_ROLE_CUSTOMER_ADMIN);
  return FALSE;
}

GVariant *
ul_auth_service_get_account (UlAuthService *self, const UlAuthSession *session, GError **error)
{
  g_autoptr(UlStoreAccount) account = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (UL_IS_AUTH_SERVICE (self), NULL);

  account = ul_store_find_account (self->store, session->email, &local_error);
  if (account == NULL)
    {
      if (local_error == NULL)
        g_set_error_literal (&local_error, UL_ERROR, UL_ERROR_NOT_FOUND, _("No such account"));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return ul_auth_account_to_variant (account);
}

GVariant *
ul_auth_service_list_accounts (UlAuthService *self, GError **error)
{
  g_autoptr(GPtrArray) accounts = NULL;
  GVariantBuilder builder;

  g_return_val_if_fail (UL_IS_AUTH_SERVICE (self), NULL);

  accounts = ul_store_list_accounts (self->store, error);
  if (accounts == NULL)
    return NULL;
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < accounts->len; i++)
    g_variant_builder_add_value (&builder,
                                 ul_auth_account_to_variant (g_ptr_array_index (accounts, i)));
  return g_variant_builder_end (&builder);
}

void
ul_auth_finish_add_account (UlAuthService *self, GTask *task, Op *op)
{
  g_autoptr(UlStoreAccount) account = g_new0 (UlStoreAccount, 1);
  GError *error = NULL;

  if (ul_auth_out_of_memory (task, op->new_hash))
    return;
  account->email = g_strdup (op->email);
  account->password_hash = g_strdup (op->new_hash);
  account->role = g_strdup (op->role);
  account->created_at = g_get_real_time () / G_USEC_PER_SEC;
  ul_auth_audit (self, &(UlCaller) { op->actor, op->peer }, NULL, "add-account", op->email);
  if (!ul_store_add_account (self->store, account, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_variant_ref_sink (ul_auth_account_to_variant (account)),
                         (GDestroyNotify) g_variant_unref);
}

void
ul_auth_service_add_account_async (UlAuthService      *self,
                                   const UlCaller     *caller,
                                   GVariant           *request,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(UlStoreAccount) existing = NULL;
  Op *op;

  g_return_if_fail (UL_IS_AUTH_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ul_auth_service_add_account_async);
  op = ul_auth_op_new (OP_ADD_ACCOUNT, caller);
  g_task_set_task_data (task, op, (GDestroyNotify) ul_auth_op_free);

  if (!ul_auth_read_fields (request,
                    (Field[]) { { "email", &op->email }, { "password", &op->password },
                                { "role", &op->role } },
                    3, &error)
      || !ul_validate_email (op->email, "email", &error)
      || !ul_auth_check_new_password (op->password, "password", &error)
      || !ul_auth_check_role (op->role, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Checked again when the row goes in; checking now saves a hash. */
  existing = ul_store_find_account (self->store, op->email, &error);
  if (existing != NULL)
    ul_set_field_error (&error, UL_ERROR_INVALID_ARGUMENT, "email", "%s",
                        _("An account with this e-mail address already exists"));
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ul_auth_start_hashing (self, g_steal_pointer (&task));
}

GVariant *
ul_auth_service_add_account_finish (UlAuthService *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
ul_auth_service_remove_account (UlAuthService  *self,
                                const UlCaller *caller,
                                const char     *email,
                                GError        **error)
{
  g_autoptr(UlStoreAccount) account = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 partners = 0;

  g_return_val_if_fail (UL_IS_AUTH_SERVICE (self), FALSE);

  account = ul_store_find_account (self->store, email != NULL ? email : "", &local_error);
  if (account == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        ul_set_field_error (error, UL_ERROR_NOT_FOUND, "email",
                            _("No account has the e-mail address %s"), email);
      return FALSE;
    }
  if (g_str_equal (account->role, UL_AUTH_ROLE_PARTNER))
    {
      if (!ul_store_count_accounts (self->store, UL_AUTH_ROLE_PARTNER, &partners, error))
        return FALSE;
      if (partners <= 1)
        {
          g_set_error_literal (error, UL_ERROR, UL_ERROR_WRONG_STATE,
                               _("The last partner account cannot be removed"));
          return FALSE;
        }
    }
  ul_auth_audit (self, caller, NULL, "remove-account", account->email);
  if (!ul_store_remove_account (self->store, account->id, error))
    return FALSE;
  ul_auth_forget_sessions (self, account->id, NULL);
  return TRUE;
}

void
ul_auth_finish_change_password (UlAuthService *self, GTask *task, Op *op)
{
  GError *error = NULL;

  if (!op->verified)
    {
      ul_set_field_error (&error, UL_ERROR_PERMISSION_DENIED, "currentPassword", "%s",
                          _("The current password is wrong"));
      g_task_return_error (task, error);
      return;
    }
  if (ul_auth_out_of_memory (task, op->new_hash))
    return;
  ul_auth_audit (self, &(UlCaller) { op->actor, op->peer }, NULL, "change-password",
                 op->session->email);
  if (!ul_store_set_account_password (self->store, op->session->account_id, op->new_hash,
                                      op->session->token_hash, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Other logins end; this one stays. */
  ul_auth_forget_sessions (self, op->session->account_id, op->session->token_hash);
  g_task_return_boolean (task, TRUE);
}

void
ul_auth_service_change_password_async (UlAuthService       *self,
                                       const UlCaller      *caller,
                                       const UlAuthSession *session,
                                       GVariant            *request,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Op *op;

  g_return_if_fail (UL_IS_AUTH_SERVICE (self));
  g_return_if_fail (session != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ul_auth_service_change_password_async);
  op = ul_auth_op_new (OP_CHANGE_PASSWORD, caller);
  op->session = ul_auth_session_copy (session);
  g_task_set_task_data (task, op, (GDestroyNotify) ul_auth_op_free);

  if (!ul_auth_read_fields (request,
                    (Field[]) { { "currentPassword", &op->password },
                                { "newPassword", &op->new_password } },
                    2, &error)
      || !ul_auth_check_new_password (op->new_password, "newPassword", &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  op->account = ul_store_find_account (self->store, session->email, &error);
  if (op->account == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, UL_ERROR, UL_ERROR_NOT_FOUND, _("No such account"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  op->hash = g_strdup (op->account->password_hash);
  ul_auth_start_hashing (self, g_steal_pointer (&task));
}

gboolean
ul_auth_service_change_password_finish (UlAuthService *self, GAsyncResult *result,
                                        GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

