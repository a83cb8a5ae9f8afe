/* ul-credentials.h — the partner's gateway passwords, in the desktop's keyring.
 *
 * Keyed on the gateway ID and the e-mail address, so that a gateway that moves to a new
 * address keeps its password. Without a keyring (no Secret Service on the session bus),
 * lookups find nothing and stores fail with an error the caller shows once. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      ul_credentials_store_async  (const char         *gateway_id,
                                       const char         *email,
                                       const char         *password,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
gboolean  ul_credentials_store_finish (GAsyncResult *result, GError **error);

/* The password, or NULL (none stored, or no keyring) without an error. */
void      ul_credentials_lookup_async  (const char         *gateway_id,
                                        const char         *email,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
char     *ul_credentials_lookup_finish (GAsyncResult *result, GError **error);

void      ul_credentials_clear_async  (const char         *gateway_id,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
gboolean  ul_credentials_clear_finish (GAsyncResult *result, GError **error);

G_END_DECLS
