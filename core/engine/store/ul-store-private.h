/* ul-store-private.h — what the store's other files need from UlStore. */
#pragma once

#include <sqlite3.h>

#include "ul-store.h"
#include "ul-store-sql.h"

G_BEGIN_DECLS

sqlite3 *ul_store_get_db (UlStore *self);
/* Begins a write transaction that will carry the pending audit entry. */
UlSqlTxn *ul_store_begin_write (UlStore *self, GError **error);
/* Commits @txn together with the pending audit entry (ul_store_set_audit()). */
gboolean ul_store_commit (UlStore *self, UlSqlTxn **txn, GError **error);

G_END_DECLS
