/* test-ldap.c — the LDAP directory source against a real slapd on 127.0.0.1.
 *
 * One slapd serves every case (starting it costs far more than a case). Skipped, with a
 * message, only when slapd is not installed. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <ldap.h>

#include "ul-directory-ldap.h"
#include "ul-error.h"
#include "ul-test-directory.h"
#include "ul-test-slapd.h"

#define BULK_ENTRIES    1500
#define CANCEL_AFTER_MS 20

static UlTestSlapd *slapd;
static GError *slapd_error;

/* Skips when slapd is missing, fails when it is there but did not start. */
static gboolean
require_slapd (void)
{
  if (!ul_test_slapd_available ())
    {
      g_test_skip ("slapd is not installed (" UL_TEST_SLAPD_BINARY " is missing)");
      return FALSE;
    }
  g_assert_no_error (slapd_error);
  g_assert_nonnull (slapd);
  return TRUE;
}

static UlDirectoryConfig *
reader_config (const char *base_dn)
{
  UlDirectoryConfig *config = ul_directory_config_new ();

  config->kind = UL_DIRECTORY_KIND_LDAP;
  config->ldap_uri = g_strdup (ul_test_slapd_get_uri (slapd));
  config->base_dn = g_strdup (base_dn);
  config->bind_dn = g_strdup (UL_TEST_SLAPD_READER_DN);
  config->bind_password = g_strdup (UL_TEST_SLAPD_READER_PW);
  return config;
}

static UlDirectorySkip *
find_skip (GPtrArray *skipped, UlDirectorySkipReason reason)
{
  for (guint i = 0; i < skipped->len; i++)
    {
      UlDirectorySkip *skip = g_ptr_array_index (skipped, i);

      if (skip->reason == reason)
        return skip;
    }
  return NULL;
}

static void
assert_directory_failed (const GError *error, const char *needle)
{
  g_assert_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, needle));
  g_assert_null (strstr (error->message, UL_TEST_SLAPD_READER_PW));
  g_assert_null (strstr (error->message, "wrong-password"));
}

static void
test_full_sync (void)
{
  g_autoptr(UlDirectoryConfig) config = NULL;
  UlTestFetch fetch = { 0 };
  UlDirectorySkip *skip;
  UlUser *user;

  if (!require_slapd ())
    return;

  config = reader_config ("ou=people," UL_TEST_SLAPD_SUFFIX);
  ul_test_fetch (config, NULL, &fetch);
  g_assert_no_error (fetch.error);

  /* anna bob carla juergen gina hugo; dave (no phone), eve (201 again) and ivan
   * ("ext. 12") are skipped. */
  g_assert_cmpuint (fetch.users->len, ==, 6);
  g_assert_cmpuint (fetch.skipped->len, ==, 3);

  user = ul_test_find_user (fetch.users, "201");
  g_assert_nonnull (user);
  g_assert_cmpstr (user->name, ==, "Anna Meier");
  g_assert_cmpstr (user->email, ==, "anna.meier@example.com");
  g_assert_cmpstr (user->user_group, ==, "Sales");
  g_assert_cmpstr (ul_user_get_cti_device (user), ==, "201");
  /* gina has anna's address in capitals. */
  g_assert_cmpint (user->eligibility, ==, UL_USER_ELIGIBILITY_DUPLICATE_EMAIL);
  g_assert_cmpint (ul_test_find_user (fetch.users, "205")->eligibility, ==,
                   UL_USER_ELIGIBILITY_DUPLICATE_EMAIL);

  g_assert_cmpint (ul_test_find_user (fetch.users, "202")->eligibility, ==,
                   UL_USER_ELIGIBILITY_ELIGIBLE);
  g_assert_cmpint (ul_test_find_user (fetch.users, "203")->eligibility, ==,
                   UL_USER_ELIGIBILITY_NO_EMAIL);
  g_assert_cmpstr (ul_test_find_user (fetch.users, "204")->name, ==, "Jürgen Müller");
  g_assert_nonnull (ul_test_find_user (fetch.users, "+41445551234"));

  skip = find_skip (fetch.skipped, UL_DIRECTORY_SKIP_NO_EXTENSION);
  g_assert_nonnull (skip);
  g_assert_cmpstr (skip->dn, ==, "uid=dave,ou=people," UL_TEST_SLAPD_SUFFIX);
  g_assert_cmpstr (skip->name, ==, "Dave Without Phone");
  g_assert_cmpuint (skip->line, ==, 0);
  g_assert_nonnull (strstr (skip->message, "uid=dave"));

  skip = find_skip (fetch.skipped, UL_DIRECTORY_SKIP_DUPLICATE_EXTENSION);
  g_assert_nonnull (skip);
  g_assert_cmpstr (skip->dn, ==, "uid=eve,ou=people," UL_TEST_SLAPD_SUFFIX);
  g_assert_cmpstr (skip->extension, ==, "201");
  g_assert_nonnull (strstr (skip->message, "uid=anna"));

  skip = find_skip (fetch.skipped, UL_DIRECTORY_SKIP_INVALID_EXTENSION);
  g_assert_nonnull (skip);
  g_assert_cmpstr (skip->dn, ==, "uid=ivan,ou=people," UL_TEST_SLAPD_SUFFIX);

  ul_test_fetch_clear (&fetch);
}

static void
test_anonymous (void)
{
  g_autoptr(UlDirectoryConfig) config = NULL;
  UlTestFetch fetch = { 0 };

  if (!require_slapd ())
    return;

  config = reader_config ("ou=people," UL_TEST_SLAPD_SUFFIX);
  g_clear_pointer (&config->bind_dn, g_free);
  g_clear_pointer (&config->bind_password, g_free);
  ul_test_fetch (config, NULL, &fetch);
  g_assert_no_error (fetch.error);
  g_assert_cmpuint (fetch.users->len, ==, 6);
  ul_test_fetch_clear (&fetch);
}

/* Proves the test means something: without paging the reader gets 500 and an error. */
static void
assert_unpaged_search_is_limited (void)
{
  LDAP *ld = NULL;
  LDAPMessage *result = NULL;
  struct berval password = { strlen (UL_TEST_SLAPD_READER_PW), (char *) UL_TEST_SLAPD_READER_PW };
  int version = LDAP_VERSION3;
  int rc;

  g_assert_cmpint (ldap_initialize (&ld, ul_test_slapd_get_uri (slapd)), ==, LDAP_SUCCESS);
  ldap_set_option (ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  g_assert_cmpint (ldap_sasl_bind_s (ld, UL_TEST_SLAPD_READER_DN, LDAP_SASL_SIMPLE, &password,
                                     NULL, NULL, NULL), ==, LDAP_SUCCESS);
  rc = ldap_search_ext_s (ld, "ou=bulk," UL_TEST_SLAPD_SUFFIX, LDAP_SCOPE_SUBTREE,
                          "(objectClass=inetOrgPerson)", NULL, 0, NULL, NULL, NULL,
                          LDAP_NO_LIMIT, &result);
  g_assert_cmpint (rc, ==, LDAP_SIZELIMIT_EXCEEDED);
  g_assert_cmpint (ldap_count_entries (ld, result), ==, 500);
  ldap_msgfree (result);
  ldap_unbind_ext_s (ld, NULL, NULL);
}

static void
test_paging (void)
{
  static const guint page_sizes[] = { UL_DIRECTORY_PAGE_SIZE_DEFAULT, 128, 1000 };

  if (!require_slapd ())
    return;

  assert_unpaged_search_is_limited ();

  for (guint i = 0; i < G_N_ELEMENTS (page_sizes); i++)
    {
      g_autoptr(UlDirectoryConfig) config = reader_config ("ou=bulk," UL_TEST_SLAPD_SUFFIX);
      UlTestFetch fetch = { 0 };
      UlUser *user;

      config->page_size = page_sizes[i];
      g_test_message ("page size %u", config->page_size);
      ul_test_fetch (config, NULL, &fetch);
      g_assert_no_error (fetch.error);
      g_assert_cmpuint (fetch.users->len, ==, BULK_ENTRIES);
      g_assert_cmpuint (fetch.skipped->len, ==, 0);

      /* Sorted by extension, and the last page arrived too. */
      user = g_ptr_array_index (fetch.users, 0);
      g_assert_cmpstr (user->extension, ==, "10000");
      user = g_ptr_array_index (fetch.users, BULK_ENTRIES - 1);
      g_assert_cmpstr (user->extension, ==, "11499");
      g_assert_cmpstr (user->name, ==, "Bulk User 1499");
      g_assert_cmpint (user->eligibility, ==, UL_USER_ELIGIBILITY_ELIGIBLE);
      ul_test_fetch_clear (&fetch);
    }
}

static void
test_size_limit (void)
{
  g_autoptr(UlDirectoryConfig) config = NULL;
  UlTestFetch fetch = { 0 };

  if (!require_slapd ())
    return;

  /* Anonymous keeps slapd's stock limit, paged or not: the fetch must fail rather
   * than return 500 users and let the diff remove the other 1,000. */
  config = reader_config ("ou=bulk," UL_TEST_SLAPD_SUFFIX);
  g_clear_pointer (&config->bind_dn, g_free);
  g_clear_pointer (&config->bind_password, g_free);
  ul_test_fetch (config, NULL, &fetch);
  assert_directory_failed (fetch.error, "size limit");
  g_assert_nonnull (strstr (fetch.error->message, "500"));
  g_assert_null (fetch.users);
  ul_test_fetch_clear (&fetch);
}

static void
test_attribute_mapping (void)
{
  g_autoptr(UlDirectoryConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  UlTestFetch fetch = { 0 };
  UlUser *user;

  if (!require_slapd ())
    return;

  config = reader_config ("ou=custom," UL_TEST_SLAPD_SUFFIX);
  g_assert_true (ul_directory_config_apply (config, g_variant_new_parsed (
    "{'ldap': <{'filter': <'(objectClass=uplinkTestUser)'>, "
    "'attributes': <{'name': <'displayName'>, 'extension': <'ipPhone'>, "
    "'email': <'ulMail'>, 'group': <'departmentNumber'>, 'ctiDevice': <'ulCtiDevice'>}>}>}"),
    &error));
  g_assert_no_error (error);

  ul_test_fetch (config, NULL, &fetch);
  g_assert_no_error (fetch.error);
  g_assert_cmpuint (fetch.users->len, ==, 2);

  user = ul_test_find_user (fetch.users, "301");
  g_assert_nonnull (user);
  g_assert_cmpstr (user->name, ==, "Hans Huber");
  g_assert_cmpstr (user->email, ==, "hans.huber@example.com");
  g_assert_cmpstr (user->user_group, ==, "Engineering");
  g_assert_cmpstr (ul_user_get_cti_device (user), ==, "3010");

  user = ul_test_find_user (fetch.users, "302");
  g_assert_nonnull (user);
  g_assert_cmpstr (user->name, ==, "Ines Iten");
  g_assert_cmpstr (ul_user_get_cti_device (user), ==, "302");
  ul_test_fetch_clear (&fetch);
}

static void
test_bind_refused (void)
{
  g_autoptr(UlDirectoryConfig) config = NULL;
  UlTestFetch fetch = { 0 };

  if (!require_slapd ())
    return;

  config = reader_config ("ou=people," UL_TEST_SLAPD_SUFFIX);
  g_free (config->bind_password);
  config->bind_password = g_strdup ("wrong-password");
  ul_test_fetch (config, NULL, &fetch);
  assert_directory_failed (fetch.error,
                           "LDAP bind as " UL_TEST_SLAPD_READER_DN " refused: Invalid credentials");
  g_assert_null (fetch.users);
  ul_test_fetch_clear (&fetch);
}

static void
test_unreachable (void)
{
  g_autoptr(UlDirectoryConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  UlTestFetch fetch = { 0 };
  guint16 port;

  if (!require_slapd ())
    return;

  port = ul_test_free_port (&error);
  g_assert_no_error (error);
  config = reader_config ("ou=people," UL_TEST_SLAPD_SUFFIX);
  g_free (config->ldap_uri);
  config->ldap_uri = g_strdup_printf ("ldap://127.0.0.1:%u/", port);
  expected = g_strdup_printf ("Cannot reach ldap://127.0.0.1:%u/: ", port);

  ul_test_fetch (config, NULL, &fetch);
  assert_directory_failed (fetch.error, expected);
  ul_test_fetch_clear (&fetch);
}

static void
test_unresponsive (void)
{
  g_autoptr(UlDirectoryConfig) config = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) skipped = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  if (!require_slapd ())
    return;

  /* The kernel completes the TCP handshake for the backlog; nobody ever answers. */
  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (listener, any_port, FALSE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);

  config = reader_config ("ou=people," UL_TEST_SLAPD_SUFFIX);
  g_free (config->ldap_uri);
  config->ldap_uri = g_strdup_printf ("ldap://127.0.0.1:%u/",
                                      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  started = g_get_monotonic_time ();
  g_assert_false (ul_directory_ldap_fetch (config, 1, NULL, &users, &skipped, &error));
  assert_directory_failed (error, "Cannot reach ldap://127.0.0.1:");
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
}

static void
test_starttls_refused (void)
{
  g_autoptr(UlDirectoryConfig) config = NULL;
  UlTestFetch fetch = { 0 };

  if (!require_slapd ())
    return;

  /* This slapd has no certificate: StartTLS must fail loudly, never fall back. */
  config = reader_config ("ou=people," UL_TEST_SLAPD_SUFFIX);
  config->starttls = TRUE;
  ul_test_fetch (config, NULL, &fetch);
  assert_directory_failed (fetch.error, "StartTLS with ldap://127.0.0.1:");
  g_assert_null (fetch.users);
  ul_test_fetch_clear (&fetch);
}

static void
test_no_such_base (void)
{
  g_autoptr(UlDirectoryConfig) config = NULL;
  UlTestFetch fetch = { 0 };

  if (!require_slapd ())
    return;

  config = reader_config ("ou=nowhere," UL_TEST_SLAPD_SUFFIX);
  ul_test_fetch (config, NULL, &fetch);
  assert_directory_failed (fetch.error, "ou=nowhere," UL_TEST_SLAPD_SUFFIX " does not exist");
  ul_test_fetch_clear (&fetch);
}

static void
test_cancelled (void)
{
  g_autoptr(UlDirectoryConfig) config = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  UlTestFetch fetch = { 0 };

  if (!require_slapd ())
    return;

  config = reader_config ("ou=bulk," UL_TEST_SLAPD_SUFFIX);
  g_cancellable_cancel (cancellable);
  ul_test_fetch (config, cancellable, &fetch);
  g_assert_error (fetch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  ul_test_fetch_clear (&fetch);
}

static gpointer
cancel_soon (gpointer data)
{
  GCancellable *cancellable = data;

  g_usleep (CANCEL_AFTER_MS * 1000);
  g_cancellable_cancel (cancellable);
  return NULL;
}

static void
test_cancelled_between_pages (void)
{
  g_autoptr(UlDirectoryConfig) config = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) skipped = NULL;
  g_autoptr(GError) error = NULL;
  GThread *canceller;
  gint64 started, elapsed;

  if (!require_slapd ())
    return;

  /* One entry per page: 1,500 round trips take far longer than the cancel delay, and
   * the sync call (no GTask to report the cancellation for it) shows that the pager
   * itself stopped. */
  config = reader_config ("ou=bulk," UL_TEST_SLAPD_SUFFIX);
  config->page_size = 1;
  canceller = g_thread_new ("canceller", cancel_soon, cancellable);
  started = g_get_monotonic_time ();
  g_assert_false (ul_directory_ldap_fetch (config, UL_DIRECTORY_LDAP_TIMEOUT, cancellable,
                                           &users, &skipped, &error));
  elapsed = g_get_monotonic_time () - started;
  g_thread_join (canceller);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (users);
  g_test_message ("cancelled after %" G_GINT64_FORMAT " ms", elapsed / 1000);
}

static char *
build_ldif (GError **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "directory", "people.ldif",
                                                 NULL);
  g_autofree char *people = NULL;
  GString *ldif;

  if (!g_file_get_contents (path, &people, NULL, error))
    return NULL;

  ldif = g_string_new (people);
  for (guint i = 0; i < BULK_ENTRIES; i++)
    g_string_append_printf (ldif,
                            "\ndn: uid=bulk%04u,ou=bulk," UL_TEST_SLAPD_SUFFIX "\n"
                            "objectClass: inetOrgPerson\n"
                            "uid: bulk%04u\n"
                            "cn: Bulk User %u\n"
                            "sn: User\n"
                            "telephoneNumber: %u\n"
                            "mail: bulk%04u@example.com\n",
                            i, i, i, 10000 + i, i);
  return g_string_free (ldif, FALSE);
}

int
main (int argc, char **argv)
{
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/directory/ldap/full-sync", test_full_sync);
  g_test_add_func ("/uplink/directory/ldap/anonymous", test_anonymous);
  g_test_add_func ("/uplink/directory/ldap/paging", test_paging);
  g_test_add_func ("/uplink/directory/ldap/size-limit", test_size_limit);
  g_test_add_func ("/uplink/directory/ldap/attribute-mapping", test_attribute_mapping);
  g_test_add_func ("/uplink/directory/ldap/bind-refused", test_bind_refused);
  g_test_add_func ("/uplink/directory/ldap/unreachable", test_unreachable);
  g_test_add_func ("/uplink/directory/ldap/unresponsive", test_unresponsive);
  g_test_add_func ("/uplink/directory/ldap/starttls-refused", test_starttls_refused);
  g_test_add_func ("/uplink/directory/ldap/no-such-base", test_no_such_base);
  g_test_add_func ("/uplink/directory/ldap/cancelled", test_cancelled);
  g_test_add_func ("/uplink/directory/ldap/cancelled-between-pages",
                   test_cancelled_between_pages);

  if (ul_test_slapd_available ())
    {
      g_autofree char *ldif = build_ldif (&slapd_error);

      if (ldif != NULL)
        slapd = ul_test_slapd_start (ldif, &slapd_error);
    }

  status = g_test_run ();

  g_clear_pointer (&slapd, ul_test_slapd_stop);
  g_clear_error (&slapd_error);
  return status;
}
