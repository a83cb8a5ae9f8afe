/* ul-directory-group.h — where the gateway reads the PBX users from: a CSV export or an
 * LDAP directory (core/common ul-directory-config.h). Part of the PBX step (standalone,
 * virtual) and of the Sync step (SMBC, which has no PBX step). */
#pragma once

#include <adwaita.h>

#include "ul-form.h"

G_BEGIN_DECLS

#define UL_TYPE_DIRECTORY_GROUP (ul_directory_group_get_type ())
G_DECLARE_FINAL_TYPE (UlDirectoryGroup, ul_directory_group, UL, DIRECTORY_GROUP,
                      AdwPreferencesGroup)

GtkWidget *ul_directory_group_new (void);
/* Fills the fields from the gateway's record (GET directory). A gateway that cannot say
 * (no directory resource in its API yet) hides the group: see ul_directory_group_set_error(). */
void       ul_directory_group_set_record (UlDirectoryGroup *self, GVariant *record);
/* The directory could not be read: hidden when the gateway lacks it, else the error is
 * the caller's to show. */
void       ul_directory_group_set_error (UlDirectoryGroup *self, const GError *error);
/* Registers the fields ("kind", "csv.path", "ldap.uri" …) with @form. */
void       ul_directory_group_add_to_form (UlDirectoryGroup *self, UlForm *form);
/* The changes to send, or NULL when nothing was configured or changed. */
GVariant  *ul_directory_group_build_changes (UlDirectoryGroup *self);
/* Checks @changes with core/common, as the gateway will; shows the first error. */
gboolean   ul_directory_group_validate (UlDirectoryGroup *self, GVariant *changes, UlForm *form);

G_END_DECLS
