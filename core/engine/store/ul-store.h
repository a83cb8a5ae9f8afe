/* ul-store.h — the durable store: one SQLite database per gateway.
 *
 * WAL journal, synchronous=FULL, schema version in PRAGMA user_version with ordered
 * migrations, and every mutation in exactly one transaction: when a save returns TRUE the
 * change is on disk and survives kill -9 and power loss. Records are the core/common
 * models; the store never validates (the engine does, before it saves). */
#pragma once

#include <glib-object.h>
#include "ul-customer.h"
#include "ul-site.h"
#include "ul-pbx-config.h"
#include "ul-advanced.h"
#include "ul-directory-config.h"
#include "ul-user.h"
#include "ul-audit-entry.h"

G_BEGIN_DECLS

#define UL_TYPE_STORE (ul_store_get_type ())
G_DECLARE_FINAL_TYPE (UlStore, ul_store, UL, STORE, GObject)

#define UL_STORE_SCHEMA_VERSION 7

/* Opens (creating if needed, mode 0600: it holds the PBX password) the database file @path
 * and migrates it to UL_STORE_SCHEMA_VERSION. A database written by a newer uplinkd (higher
 * version) or by another program is refused with UL_ERROR_STORAGE and left untouched. */
UlStore *ul_store_open (const char *path, GError **error);
const char *ul_store_get_path (UlStore *self);
int ul_store_get_schema_version (UlStore *self);

/* Each load returns NULL with no error when nothing was saved yet. */
UlCustomer  *ul_store_load_customer (UlStore *self, GError **error);
UlSite      *ul_store_load_site     (UlStore *self, GError **error);
UlPbxConfig *ul_store_load_pbx      (UlStore *self, GError **error);
UlAdvanced  *ul_store_load_advanced (UlStore *self, GError **error);

/* Saves the whole record in one transaction; on failure the previous state is unchanged.
 * For the customer, the contact lists replace the stored ones. When @customer->account_id
 * is NULL it is set to the stored account ID, or on the first save to a new unique random
 * 10-digit ID. An existing account ID is never changed: a different non-NULL one is refused
 * with UL_ERROR_STORAGE. */
gboolean ul_store_save_customer (UlStore *self, UlCustomer *customer, GError **error);
gboolean ul_store_save_site     (UlStore *self, const UlSite *site, GError **error);
gboolean ul_store_save_pbx      (UlStore *self, const UlPbxConfig *pbx, GError **error);
gboolean ul_store_save_advanced (UlStore *self, const UlAdvanced *advanced, GError **error);

/* Small durable facts (e.g. "connected-at", "synced-at", "gateway-id"); NULL when unset.
 * Setting @value NULL unsets the fact. */
char    *ul_store_get_fact (UlStore *self, const char *key, GError **error);
gboolean ul_store_set_fact (UlStore *self, const char *key, const char *value, GError **error);

/* The directory source (ul-store-users.c); NULL with no error until first saved. */
UlDirectoryConfig *ul_store_load_directory (UlStore *self, GError **error);
gboolean ul_store_save_directory (UlStore *self, const UlDirectoryConfig *directory,
                                  GError **error);

/* Every user (UlUser*, ordered by extension). Eligibility is computed over the list; the
 * admin flag is left to the caller, which knows the customer. */
GPtrArray *ul_store_load_users (UlStore *self, GError **error);
/* Replaces the user list with @users in one transaction (a directory sync), and sets the
 * fact @fact_key to @fact_value in the same transaction when @fact_key is not NULL. */
gboolean ul_store_replace_users (UlStore    *self,
                                 GPtrArray  *users,
                                 const char *fact_key,
                                 const char *fact_value,
                                 GError    **error);

/* Hands @entry (transfer full) to the next save, which writes it in its own transaction;
 * a failed save drops it with the change. */
void       ul_store_set_audit (UlStore *self, UlAuditEntry *entry);
/* Newest first. @total (may be NULL) gets the number of entries. */
GPtrArray *ul_store_list_audit (UlStore *self, guint offset, guint limit, guint *total,
                                GError **error);

/* PRAGMA integrity_check + foreign_key_check + the store's own invariants (one row per
 * single-record table, account ID format, list positions without gaps, schema version);
 * FALSE with the first problem in @error. */
gboolean ul_store_check (UlStore *self, GError **error);

G_END_DECLS
