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

G_BEGIN_DECLS

#define UL_TYPE_STORE (ul_store_get_type ())
G_DECLARE_FINAL_TYPE (UlStore, ul_store, UL, STORE, GObject)

#define UL_STORE_SCHEMA_VERSION 1

/* Opens (creating if needed) @path and migrates it to UL_STORE_SCHEMA_VERSION. A database
 * written by a newer uplinkd (higher version) is refused with UL_ERROR_STORAGE. */
UlStore *ul_store_open (const char *path, GError **error);
const char *ul_store_get_path (UlStore *self);
int ul_store_get_schema_version (UlStore *self);

/* Each load returns NULL with no error when nothing was saved yet. */
UlCustomer  *ul_store_load_customer (UlStore *self, GError **error);
UlSite      *ul_store_load_site     (UlStore *self, GError **error);
UlPbxConfig *ul_store_load_pbx      (UlStore *self, GError **error);
UlAdvanced  *ul_store_load_advanced (UlStore *self, GError **error);

/* Saves the whole record in one transaction. For the customer, when @customer->account_id
 * is NULL a new unique numeric account ID is assigned and written back into @customer;
 * an existing account ID is never changed. */
gboolean ul_store_save_customer (UlStore *self, UlCustomer *customer, GError **error);
gboolean ul_store_save_site     (UlStore *self, const UlSite *site, GError **error);
gboolean ul_store_save_pbx      (UlStore *self, const UlPbxConfig *pbx, GError **error);
gboolean ul_store_save_advanced (UlStore *self, const UlAdvanced *advanced, GError **error);

/* Small durable facts (e.g. "connected-at", "synced-at", "gateway-id"); NULL when unset. */
char    *ul_store_get_fact (UlStore *self, const char *key, GError **error);
gboolean ul_store_set_fact (UlStore *self, const char *key, const char *value, GError **error);

/* PRAGMA integrity_check + foreign_key_check; FALSE with the first problem in @error. */
gboolean ul_store_check (UlStore *self, GError **error);

G_END_DECLS
