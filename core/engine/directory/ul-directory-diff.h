/* ul-directory-diff.h — what a directory sync would change, as a pure function.
 *
 * Keyed by extension. Directory fields (name, email, user group, CTI device) come from
 * the fetch; gateway-side state (invited-at, registered-at, admin) stays with the current
 * record. Unlike the original product, a name change on the PBX is synced too. The
 * store applies the result in one transaction; nothing here touches it. */
#pragma once

#include <glib-object.h>
#include "ul-directory-skip.h"
#include "ul-user.h"

G_BEGIN_DECLS

/* Bits of UlDirectoryChange.fields. */
typedef enum
{
  UL_USER_FIELD_NAME       = 1 << 0,  /* "name" */
  UL_USER_FIELD_EMAIL      = 1 << 1,  /* "email" */
  UL_USER_FIELD_USER_GROUP = 1 << 2,  /* "userGroup" */
  UL_USER_FIELD_CTI_DEVICE = 1 << 3,  /* "ctiDevice" */
} UlUserFields;

typedef struct
{
  UlUser      *user;      /* after the sync */
  UlUser      *previous;  /* the current record */
  UlUserFields fields;    /* what differs */
} UlDirectoryChange;

typedef struct
{
  GPtrArray *users;      /* UlUser*: the complete list after the sync, sorted by extension,
                          * eligibility recomputed over the whole list */
  GPtrArray *added;      /* UlUser* */
  GPtrArray *changed;    /* UlDirectoryChange* */
  GPtrArray *removed;    /* UlUser*: the current records that go away */
  GPtrArray *skipped;    /* UlDirectorySkip*, from the fetch */
  guint      unchanged;  /* current users kept as they are */
} UlDirectoryDiff;

#define UL_TYPE_DIRECTORY_DIFF (ul_directory_diff_get_type ())
GType            ul_directory_diff_get_type (void) G_GNUC_CONST;

/* @current_users: the store's users (UlUser*); @fetched_users: the fetch result;
 * @skipped: the fetch's skipped entries (UlDirectorySkip*), may be NULL. Nothing is
 * modified. A current user whose extension only appears among the skipped entries is
 * kept (counted as unchanged), not removed: a row that could not be read this time
 * says nothing about whether the user left, and removing would lose their invitation and
 * registration. Eligibility is recomputed over the resulting list, because one new
 * address can make another user's address a duplicate. Changes of eligibility alone do
 * not count as changes; apply diff->users to pick them up. Added users are not admins
 * yet: run ul_users_compute_admin() on diff->users with the customer. */
UlDirectoryDiff *ul_directory_diff_compute (GPtrArray *current_users,
                                            GPtrArray *fetched_users,
                                            GPtrArray *skipped);
UlDirectoryDiff *ul_directory_diff_copy (const UlDirectoryDiff *self);
void             ul_directory_diff_free (UlDirectoryDiff *self);
/* TRUE when something was added, changed or removed. */
gboolean         ul_directory_diff_has_changes (const UlDirectoryDiff *self);

/* a{sv}: added, changed, removed, skipped (aa{sv}); addedCount, changedCount,
 * removedCount, unchangedCount, skippedCount, total (u). Each changed entry is the new
 * user record plus changedFields (as) and previous (a{sv}). */
GVariant        *ul_directory_diff_to_variant (const UlDirectoryDiff *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlDirectoryDiff, ul_directory_diff_free)

G_END_DECLS
