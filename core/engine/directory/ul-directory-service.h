/* ul-directory-service.h — the users of the gateway and the directory sync that feeds them.
 *
 * Owns the directory source configuration and the user list (both in the store), runs a
 * sync on demand and on the PBX sync schedule, and applies each sync's difference in one
 * transaction. Eligibility is recomputed over the whole list and the admin flag follows
 * the customer's admin contacts.
 */
#pragma once

#include <gio/gio.h>

#include "ul-audit-entry.h"
#include "ul-customer.h"
#include "ul-directory-config.h"
#include "ul-store.h"
#include "ul-user.h"

G_BEGIN_DECLS

#define UL_TYPE_DIRECTORY_SERVICE (ul_directory_service_get_type ())
G_DECLARE_FINAL_TYPE (UlDirectoryService, ul_directory_service, UL, DIRECTORY_SERVICE, GObject)

/* Loads the directory configuration and the users from @store. */
UlDirectoryService *ul_directory_service_new (UlStore *store, GError **error);

/* A copy; the defaults (kind none) until first saved. */
UlDirectoryConfig  *ul_directory_service_get_config (UlDirectoryService *self);
/* Merges, validates and stores @changes (with an audit line naming @caller). */
gboolean            ul_directory_service_update_config (UlDirectoryService *self,
                                                        const UlCaller     *caller,
                                                        GVariant           *changes,
                                                        GError            **error);
gboolean            ul_directory_service_is_configured (UlDirectoryService *self);

/* The users, ordered by extension (borrowed; valid until "users-changed"). */
GPtrArray          *ul_directory_service_get_users (UlDirectoryService *self);
const UlUser       *ul_directory_service_find_user (UlDirectoryService *self,
                                                    const char         *extension);
/* Users who cannot receive deployment mails. */
guint               ul_directory_service_count_ineligible (UlDirectoryService *self);
guint               ul_directory_service_count_users (UlDirectoryService *self);
/* Recomputes the admin flags from @customer's admin contacts (may be NULL). */
void                ul_directory_service_set_customer (UlDirectoryService *self,
                                                       const UlCustomer   *customer);

/* Reloads the users from @store after another service changed their gateway-side state
 * there (invited_at, registered_at: the mail service), and emits "users-changed". */
gboolean            ul_directory_service_reload_users (UlDirectoryService *self,
                                                       GError            **error);

/* Syncs every @minutes (0: never). The first scheduled sync runs @minutes from now. */
void                ul_directory_service_set_schedule (UlDirectoryService *self, guint minutes);

/* Fetches the directory and applies the difference. The report is a{sv}: message
 * ("Sync successful"), the ul_directory_diff_to_variant() keys, ineligible (aa{sv}: the
 * users who cannot receive deployment mails, with ineligibleReason) and warning (s, ""
 * when none). Fails with UL_ERROR_BUSY while another sync runs. */
void                ul_directory_service_sync_async (UlDirectoryService *self,
                                                     const UlCaller     *caller,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
GVariant           *ul_directory_service_sync_finish (UlDirectoryService *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);

/* Why the last sync failed, or NULL after a successful one. */
const char         *ul_directory_service_get_error (UlDirectoryService *self);
/* TRUE once a sync succeeded (ever, across restarts). */
gboolean            ul_directory_service_has_synced (UlDirectoryService *self);

/* Signals:
 *   "users-changed" (): the user list changed (a sync, or admin flags).
 *   "sync-state-changed" (): a sync started, finished or failed. */

G_END_DECLS
