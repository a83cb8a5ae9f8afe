/* ul-directory-source.h — fetch the full user list from the configured directory.
 *
 * The one entry point the engine uses for LDAP and CSV alike. The blocking work runs in
 * a GTask thread; the result is the complete list (never a partial one: a source that
 * cannot be read whole fails) plus the entries that were skipped and why. */
#pragma once

#include <gio/gio.h>
#include "ul-directory-config.h"
#include "ul-directory-skip.h"
#include "ul-user.h"

G_BEGIN_DECLS

/* Validates @config (UL_ERROR_INVALID_ARGUMENT naming the field; UL_ERROR_WRONG_STATE for
 * kind none), copies it, and fetches in a worker thread. Cancellation is honoured between
 * LDAP pages and CSV row batches. */
void       ul_directory_fetch_async  (const UlDirectoryConfig *config,
                                      GCancellable            *cancellable,
                                      GAsyncReadyCallback      callback,
                                      gpointer                 user_data);
/* Returns the users (UlUser*, sorted by extension, eligibility computed; the array
 * frees its elements) and, in @skipped when not NULL, the skipped entries
 * (UlDirectorySkip*). Source failures are UL_ERROR_DIRECTORY_FAILED. */
GPtrArray *ul_directory_fetch_finish (GAsyncResult *result,
                                      GPtrArray   **skipped,
                                      GError      **error);

G_END_DECLS
