/* ul-credentials.h — the partner's gateway passwords, in the desktop's keyring.
 *
 * Keyed on the gateway ID and the e-mail address, so that a gateway that moves to a new
 * address keeps its password. Without a keyring (no Secret Service on the session bus, or
 * no session bus at all), lookups find nothing and stores fail with
 * UL_CREDENTIALS_ERROR_NO_KEYRING, whose message is a sentence for the partner: what
 * happened and what it means for them, not the D-Bus error behind it. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The schema's name and attributes, as other Secret Service clients see them. */
#define UL_CREDENTIALS_SCHEMA "io.github.uplink.Dashboard.Gateway"

#define UL_CREDENTIALS_ERROR (ul_credentials_error_quark ())
GQuark ul_credentials_error_quark (void);

typedef enum
{
  UL_CREDENTIALS_ERROR_NO_KEYRING,  /* no Secret Service to talk to */
  UL_CREDENTIALS_ERROR_LOCKED,      /* the keyring stayed locked (prompt dismissed) */
  UL_CREDENTIALS_ERROR_FAILED,      /* the keyring refused for another reason */
} UlCredentialsErrorCode;

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

/* Deletes every password stored for @gateway_id. Nothing stored, or no keyring (so
 * nothing can be stored), is success. */
void      ul_credentials_clear_async  (const char         *gateway_id,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
gboolean  ul_credentials_clear_finish (GAsyncResult *result, GError **error);

G_END_DECLS
