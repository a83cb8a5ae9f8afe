/* ul-directory-collector.h — turns raw directory entries into users and skip reports.
 *
 * Internal to the directory sources: the LDAP and CSV readers hand every entry to one
 * collector so that both apply the same cleaning, validation and duplicate rules. */
#pragma once

#include <glib.h>
#include "ul-directory-skip.h"

G_BEGIN_DECLS

/* Upper bound on entries per fetch (users + skipped): a MiVO400 has at most a few
 * hundred users, so this only stops a wrong base DN from eating the gateway's memory. */
#define UL_DIRECTORY_ENTRIES_MAX 50000
/* Longest extension or CTI device number kept, in characters. */
#define UL_EXTENSION_MAX 32

/* One entry as read from the source: valid UTF-8 of bounded length, every value may be
 * NULL. */
typedef struct
{
  const char *extension;
  const char *name;
  const char *email;
  const char *group;
  const char *cti_device;
  guint       line;  /* CSV: the line where the row starts */
  const char *dn;    /* LDAP */
} UlDirectoryEntry;

typedef struct _UlDirectoryCollector UlDirectoryCollector;

UlDirectoryCollector *ul_directory_collector_new  (void);
void                  ul_directory_collector_free (UlDirectoryCollector *self);
/* Keeps the entry as a user or records why it is skipped. Fails only when more than
 * UL_DIRECTORY_ENTRIES_MAX entries arrive (UL_ERROR_DIRECTORY_FAILED). */
gboolean              ul_directory_collector_add (UlDirectoryCollector   *self,
                                                  const UlDirectoryEntry *entry,
                                                  GError                **error);
/* Records a skip the source found itself (e.g. a value that is not UTF-8); counts
 * against UL_DIRECTORY_ENTRIES_MAX like _add(). */
gboolean              ul_directory_collector_skip (UlDirectoryCollector   *self,
                                                   const UlDirectoryEntry *entry,
                                                   UlDirectorySkipReason   reason,
                                                   const char             *message,
                                                   GError                **error);
/* Computes eligibility and hands out the users (UlUser*) and skips (UlDirectorySkip*);
 * the collector is empty afterwards. */
void                  ul_directory_collector_finish (UlDirectoryCollector *self,
                                                     GPtrArray           **users,
                                                     GPtrArray           **skipped);

/* Removes the visual separators people type in numbers (spaces, - . / ( )) and returns
 * the result, or NULL when it is not a dialable number: an optional leading +, then
 * 1–UL_EXTENSION_MAX of 0-9 * #. */
char                 *ul_directory_normalise_number (const char *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlDirectoryCollector, ul_directory_collector_free)

G_END_DECLS
