/* ul-directory-ldap.h — users from an LDAP server (OpenLDAP libldap, blocking).
 *
 * LDAPv3, optional StartTLS, a simple bind (anonymous without a bind DN), then a subtree
 * search in RFC 2696 pages so directories larger than the server's size limit (slapd:
 * 500) come through whole. Run it in a thread: ul_directory_fetch_async() does. */
#pragma once

#include <gio/gio.h>
#include "ul-directory-config.h"

G_BEGIN_DECLS

/* Seconds allowed for connecting, and for each LDAP operation (bind, one page). */
#define UL_DIRECTORY_LDAP_CONNECT_TIMEOUT 10
#define UL_DIRECTORY_LDAP_TIMEOUT         30
/* Longest attribute value read, in bytes; longer values skip the entry. */
#define UL_DIRECTORY_LDAP_VALUE_MAX       4096

/* Fetches every entry of @config (kind ldap, validated). @timeout: seconds per operation,
 * UL_DIRECTORY_LDAP_TIMEOUT in production. @cancellable is checked between pages.
 * Failures are UL_ERROR_DIRECTORY_FAILED with a specific message, never the password. */
gboolean ul_directory_ldap_fetch (const UlDirectoryConfig *config,
                                  guint                    timeout,
                                  GCancellable            *cancellable,
                                  GPtrArray              **users,
                                  GPtrArray              **skipped,
                                  GError                 **error);

G_END_DECLS
