/* ul-test-slapd.h — a throw-away slapd on 127.0.0.1 for the LDAP tests.
 *
 * A temporary directory with a slapd.conf (mdb, suffix dc=example,dc=com, a root DN, a
 * non-root reader, slapd's default size limit of 500), the LDIF loaded with slapadd,
 * then slapd in the foreground on a free loopback port. Stopping it kills slapd and
 * removes the directory. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define UL_TEST_SLAPD_BINARY      "/usr/sbin/slapd"
#define UL_TEST_SLAPD_SUFFIX      "dc=example,dc=com"
#define UL_TEST_SLAPD_ROOT_DN     "cn=admin,dc=example,dc=com"
#define UL_TEST_SLAPD_ROOT_PW     "rootsecret"
/* The reader may page past the size limit (size.prtotal=unlimited), as an AD or a
 * well-configured slapd allows the account a gateway uses; anonymous may not. */
#define UL_TEST_SLAPD_READER_DN   "cn=reader,dc=example,dc=com"
#define UL_TEST_SLAPD_READER_PW   "readersecret"

typedef struct _UlTestSlapd UlTestSlapd;

/* Whether slapd and slapadd are installed. */
gboolean     ul_test_slapd_available (void);
/* Loads @ldif and starts slapd; returns once it answers an LDAP bind. */
UlTestSlapd *ul_test_slapd_start (const char *ldif, GError **error);
/* "ldap://127.0.0.1:<port>/" */
const char  *ul_test_slapd_get_uri (UlTestSlapd *self);
void         ul_test_slapd_stop (UlTestSlapd *self);

/* A loopback port nobody listens on right now. */
guint16      ul_test_free_port (GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlTestSlapd, ul_test_slapd_stop)

G_END_DECLS
