/* ul-store-private.h — what the store's other files need from UlStore. */
#pragma once

#include <sqlite3.h>

#include "ul-store.h"
#include "ul-store-sql.h"

G_BEGIN_DECLS

sqlite3 *ul_store_get_db (UlStore *self);

G_END_DECLS
