/* ul-directory-skip.h — a directory entry a sync could not use, and why.
 *
 * Skips are reported, never fatal: one bad entry must not stop the other users from
 * syncing. Whole-source problems (unreachable server, malformed CSV) are errors instead. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  UL_DIRECTORY_SKIP_NO_EXTENSION,         /* "no-extension" */
  UL_DIRECTORY_SKIP_INVALID_EXTENSION,    /* "invalid-extension" */
  UL_DIRECTORY_SKIP_DUPLICATE_EXTENSION,  /* "duplicate-extension": an earlier entry has it */
  UL_DIRECTORY_SKIP_INVALID_ENTRY,        /* "invalid-entry": a value is not usable text */
} UlDirectorySkipReason;

typedef struct
{
  UlDirectorySkipReason reason;
  char                 *extension;  /* normalised when it could be, NULL when missing */
  char                 *name;       /* to help a person find the entry; may be NULL */
  guint                 line;       /* CSV: the line where the row starts; 0 for LDAP */
  char                 *dn;         /* LDAP: the entry's DN; NULL for CSV */
  char                 *message;    /* translated, human sentence */
} UlDirectorySkip;

#define UL_TYPE_DIRECTORY_SKIP (ul_directory_skip_get_type ())
GType            ul_directory_skip_get_type (void) G_GNUC_CONST;
UlDirectorySkip *ul_directory_skip_new  (UlDirectorySkipReason reason,
                                         const char           *extension,
                                         const char           *name,
                                         guint                 line,
                                         const char           *dn,
                                         const char           *message);
UlDirectorySkip *ul_directory_skip_copy (const UlDirectorySkip *self);
void             ul_directory_skip_free (UlDirectorySkip *self);

/* a{sv}: reason (s), message (s), extension, name, line (u, CSV only), dn (LDAP only). */
GVariant        *ul_directory_skip_to_variant (const UlDirectorySkip *self);
const char      *ul_directory_skip_reason_to_string (UlDirectorySkipReason reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlDirectorySkip, ul_directory_skip_free)

G_END_DECLS
