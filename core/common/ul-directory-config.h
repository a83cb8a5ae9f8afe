/* ul-directory-config.h — where the gateway reads the PBX users from (DESIGN.md §4
 * "Directory"): an LDAP server (the PBX's "LDAP name service" or the customer's AD) or a
 * CSV export. Users never come from CSTA (protocols/csta.md rule 19). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  UL_DIRECTORY_KIND_NONE,  /* "none": not configured yet */
  UL_DIRECTORY_KIND_LDAP,  /* "ldap" */
  UL_DIRECTORY_KIND_CSV,   /* "csv" */
} UlDirectoryKind;

typedef enum
{
  UL_CSV_ENCODING_AUTO,    /* "auto": UTF-8 when the file is valid UTF-8, else Latin-1 */
  UL_CSV_ENCODING_UTF8,    /* "utf-8" */
  UL_CSV_ENCODING_LATIN1,  /* "latin-1" */
} UlCsvEncoding;

#define UL_DIRECTORY_FILTER_DEFAULT      "(objectClass=inetOrgPerson)"
#define UL_DIRECTORY_PAGE_SIZE_DEFAULT   500
#define UL_DIRECTORY_PAGE_SIZE_MAX       10000
#define UL_DIRECTORY_ATTR_NAME_DEFAULT      "cn"
#define UL_DIRECTORY_ATTR_EXTENSION_DEFAULT "telephoneNumber"
#define UL_DIRECTORY_ATTR_EMAIL_DEFAULT     "mail"
#define UL_DIRECTORY_ATTR_GROUP_DEFAULT     "ou"
#define UL_DIRECTORY_DN_MAX              1024
#define UL_DIRECTORY_FILTER_MAX          4096
#define UL_DIRECTORY_PASSWORD_MAX        1024
#define UL_DIRECTORY_PATH_MAX            4096

typedef struct
{
  UlDirectoryKind kind;

  /* LDAP */
  char         *ldap_uri;         /* ldap://host[:port][/] or ldaps://… */
  char         *base_dn;
  char         *bind_dn;          /* NULL: anonymous */
  char         *bind_password;    /* write-only: never in to_variant() */
  gboolean      starttls;         /* only with ldap:// */
  char         *filter;
  guint         page_size;        /* RFC 2696 paged results */
  char         *attr_name;
  char         *attr_extension;
  char         *attr_email;
  char         *attr_group;
  char         *attr_cti_device;  /* NULL: the CTI device is the extension */

  /* CSV */
  char         *csv_path;         /* absolute path on the gateway */
  UlCsvEncoding csv_encoding;
} UlDirectoryConfig;

#define UL_TYPE_DIRECTORY_CONFIG (ul_directory_config_get_type ())
GType              ul_directory_config_get_type (void) G_GNUC_CONST;
/* Defaults: kind none, the default filter, page size and attribute map, encoding auto. */
UlDirectoryConfig *ul_directory_config_new  (void);
UlDirectoryConfig *ul_directory_config_copy (const UlDirectoryConfig *self);
void               ul_directory_config_free (UlDirectoryConfig *self);
gboolean           ul_directory_config_equal (const UlDirectoryConfig *a,
                                              const UlDirectoryConfig *b);

/* a{sv}:
 *   kind (s),
 *   ldap (a{sv}): uri, baseDn, bindDn, passwordSet (b), startTls (b), filter, pageSize (u),
 *                 attributes (a{sv}: name, extension, email, group, ctiDevice),
 *   csv (a{sv}): path, encoding.
 * Both sub-records are always present so that switching kind keeps the other settings.
 * The password itself is never included. */
GVariant          *ul_directory_config_to_variant (const UlDirectoryConfig *self);
/* Merges the keys present in @changes, sub-records key by key. ldap.password is
 * write-only ("" clears it); "" for bindDn or attributes.ctiDevice unsets them; "" for
 * filter or another attribute restores its default. Errors name the field as a path
 * ("ldap.attributes.email"). */
gboolean           ul_directory_config_apply (UlDirectoryConfig *self,
                                              GVariant          *changes,
                                              GError           **error);
/* The whole record, for the selected kind only; fields such as "ldap.uri", "csv.path". */
gboolean           ul_directory_config_validate (const UlDirectoryConfig *self, GError **error);

const char     *ul_directory_kind_to_string   (UlDirectoryKind value);
/* -1 for unknown strings. */
int             ul_directory_kind_from_string (const char *str);
const char     *ul_csv_encoding_to_string     (UlCsvEncoding value);
/* -1 for unknown strings. */
int             ul_csv_encoding_from_string   (const char *str);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlDirectoryConfig, ul_directory_config_free)

G_END_DECLS
