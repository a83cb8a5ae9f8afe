/* ul-credentials.c — gateway passwords in the keyring (libsecret).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "ul-credentials.h"

static const SecretSchema *
credentials_schema (void)
{
  static const SecretSchema schema = {
    "io.github.uplink.Dashboard.Gateway",
    SECRET_SCHEMA_NONE,
    {
      { "gateway-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "email", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static void
on_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
ul_credentials_store_async (const char         *gateway_id,
                            const char         *email,
                            const char         *password,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  /* Translators: the keyring's label for a stored password; %s is the gateway's name. */
  g_autofree char *label = g_strdup_printf (_("Uplink gateway %s"), gateway_id);

  g_task_set_source_tag (task, ul_credentials_store_async);
  secret_password_store (credentials_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                         cancellable, on_stored, task,
                         "gateway-id", gateway_id,
                         "email", email,
                         NULL);
}

gboolean
ul_credentials_store_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_looked_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  /* No keyring is the same as no password: the partner types it again. */
  if (error != NULL)
    g_debug ("No password from the keyring: %s", error->message);
  g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
ul_credentials_lookup_async (const char         *gateway_id,
                             const char         *email,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, ul_credentials_lookup_async);
  secret_password_lookup (credentials_schema (), cancellable, on_looked_up, task,
                          "gateway-id", gateway_id,
                          "email", email,
                          NULL);
}

char *
ul_credentials_lookup_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_cleared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
ul_credentials_clear_async (const char         *gateway_id,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, ul_credentials_clear_async);
  secret_password_clear (credentials_schema (), cancellable, on_cleared, task,
                         "gateway-id", gateway_id,
                         NULL);
}

gboolean
ul_credentials_clear_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
