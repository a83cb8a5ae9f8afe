/* ul-credentials.c — gateway passwords in the keyring (libsecret).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "ul-credentials.h"

G_DEFINE_QUARK (ul-credentials-error-quark, ul_credentials_error)

static const SecretSchema *
credentials_schema (void)
{
  static const SecretSchema schema = {
    UL_CREDENTIALS_SCHEMA,
    SECRET_SCHEMA_NONE,
    {
      { "gateway-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "email", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/* libsecret's errors when nothing answers for org.freedesktop.secrets: no session bus
 * (GIO's autolaunch fails, a G_SPAWN_ERROR or G_IO_ERROR), or a bus on which no keyring
 * runs or can be started (G_DBUS_ERROR). An error the keyring itself returned arrives as
 * SECRET_ERROR or G_IO_ERROR_DBUS_ERROR instead. */
static gboolean
is_no_keyring (const GError *error)
{
  if (error->domain == G_SPAWN_ERROR)
    return TRUE;
  if (error->domain == G_IO_ERROR)
    return error->code != G_IO_ERROR_DBUS_ERROR && error->code != G_IO_ERROR_CANCELLED;
  if (error->domain == G_DBUS_ERROR)
    switch (error->code)
      {
      case G_DBUS_ERROR_SERVICE_UNKNOWN:
      case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
      case G_DBUS_ERROR_NO_REPLY:
      case G_DBUS_ERROR_NO_SERVER:
      case G_DBUS_ERROR_DISCONNECTED:
      case G_DBUS_ERROR_TIMEOUT:
      case G_DBUS_ERROR_TIMED_OUT:
      case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
      case G_DBUS_ERROR_SPAWN_FORK_FAILED:
      case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
      case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
      case G_DBUS_ERROR_SPAWN_FAILED:
      case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
        return TRUE;
      default:
        return FALSE;
      }
  return FALSE;
}

/* The partner reads this in a toast, which shows one line: what happened and what it
 * means for them, short. The D-Bus details help nobody there, so they go to the debug
 * log. */
static GError *
partner_error (const GError *error)
{
  g_debug ("Keyring: %s (%s, %d)", error->message, g_quark_to_string (error->domain),
           error->code);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (is_no_keyring (error))
    return g_error_new_literal (UL_CREDENTIALS_ERROR, UL_CREDENTIALS_ERROR_NO_KEYRING,
                                _("No keyring is running, so your password cannot be "
                                  "remembered for next time"));
  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return g_error_new_literal (UL_CREDENTIALS_ERROR, UL_CREDENTIALS_ERROR_LOCKED,
                                _("The keyring stayed locked, so your password cannot be "
                                  "remembered for next time"));
  return g_error_new (UL_CREDENTIALS_ERROR, UL_CREDENTIALS_ERROR_FAILED,
                      _("Your password cannot be remembered for next time: the keyring "
                        "refused it (%s)"),
                      error->message);
}

static void
on_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, partner_error (error));
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
  /* Translators: the keyring's label for a stored password; %s is the gateway's ID. */
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
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to delete. Without a keyring nothing
   * could have been stored. */
  secret_password_clear_finish (result, &error);
  if (error == NULL || is_no_keyring (error))
    g_task_return_boolean (task, TRUE);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_new_error (task, UL_CREDENTIALS_ERROR, UL_CREDENTIALS_ERROR_FAILED,
                             _("The gateway’s password could not be deleted from the "
                               "keyring: delete it with Passwords and Keys (%s)"),
                             error->message);
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
