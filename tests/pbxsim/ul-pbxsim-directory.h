/* ul-pbxsim-directory.h — the simulated PBX user list and its exports.
 *
 * Standard CSTA carries no names or e-mail (csta.md §5, rule 19): the gateway reads users
 * from a CSV export or LDAP. The simulator therefore owns the user list and writes it in
 * both forms, while CSTA only sees the extensions (MonitorStart, GetSwitchingFunctionDevices).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  char *extension;
  char *name;
  char *email; /* NULL: none */
  char *group; /* NULL: none */
} UlPbxsimUser;

#define UL_TYPE_PBXSIM_DIRECTORY (ul_pbxsim_directory_get_type ())
G_DECLARE_FINAL_TYPE (UlPbxsimDirectory, ul_pbxsim_directory, UL, PBXSIM_DIRECTORY, GObject)

UlPbxsimDirectory *ul_pbxsim_directory_new (void);

/* CSV: extension,name,email,group; an optional header row; RFC 4180 quoting. */
gboolean ul_pbxsim_directory_load_csv (UlPbxsimDirectory *self, const char *path, GError **error);
gboolean ul_pbxsim_directory_parse_csv (UlPbxsimDirectory *self,
                                        const char *text,
                                        gsize len,
                                        GError **error);
/* @count users "User <ext>" from @first_extension on, with user<ext>@example.com. */
void ul_pbxsim_directory_add_generated (UlPbxsimDirectory *self, guint count, guint first_extension);
/* A small European company: 25 users, 3 without e-mail, one e-mail shared by two. */
void ul_pbxsim_directory_add_demo (UlPbxsimDirectory *self);

gboolean ul_pbxsim_directory_add (UlPbxsimDirectory *self,
                                  const char *extension,
                                  const char *name,
                                  const char *email,
                                  const char *group,
                                  GError **error);
gboolean ul_pbxsim_directory_remove (UlPbxsimDirectory *self, const char *extension, GError **error);
gboolean ul_pbxsim_directory_rename (UlPbxsimDirectory *self,
                                     const char *extension,
                                     const char *name,
                                     GError **error);

const UlPbxsimUser *ul_pbxsim_directory_lookup (UlPbxsimDirectory *self, const char *extension);
/* Users sorted by extension; the array and users belong to @self. */
GPtrArray *ul_pbxsim_directory_get_users (UlPbxsimDirectory *self);
guint ul_pbxsim_directory_get_n_users (UlPbxsimDirectory *self);

char *ul_pbxsim_directory_to_csv (UlPbxsimDirectory *self);
/* inetOrgPerson entries uid=<ext>,ou=people,<base_dn>, preceded by the ou=people entry. */
char *ul_pbxsim_directory_to_ldif (UlPbxsimDirectory *self, const char *base_dn);
gboolean ul_pbxsim_directory_export_csv (UlPbxsimDirectory *self, const char *path, GError **error);
gboolean ul_pbxsim_directory_export_ldif (UlPbxsimDirectory *self,
                                          const char *path,
                                          const char *base_dn,
                                          GError **error);

G_END_DECLS
