/* test-directory-config.c — the directory settings: a{sv} form, apply and validation. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "ul-directory-config.h"
#include "ul-error.h"

/* @error is UL_ERROR_INVALID_ARGUMENT naming @field. */
static void
assert_field_error (const GError *error, const char *field)
{
  g_autofree char *actual = NULL;
  g_autofree char *reason = NULL;

  g_assert_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT);
  actual = ul_error_get_field (error);
  reason = ul_error_get_reason (error);
  g_assert_cmpstr (actual, ==, field);
  g_assert_cmpstr (reason, !=, "");
}

static UlDirectoryConfig *
valid_ldap (void)
{
  UlDirectoryConfig *config = ul_directory_config_new ();

  config->kind = UL_DIRECTORY_KIND_LDAP;
  config->ldap_uri = g_strdup ("ldap://pbx.example.com:389/");
  config->base_dn = g_strdup ("ou=people,dc=example,dc=com");
  config->bind_dn = g_strdup ("cn=reader,dc=example,dc=com");
  config->bind_password = g_strdup ("s3cret-Passw0rd");
  return config;
}

static void
test_defaults (void)
{
  g_autoptr(UlDirectoryConfig) config = ul_directory_config_new ();
  g_autoptr(UlDirectoryConfig) copy = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (config->kind, ==, UL_DIRECTORY_KIND_NONE);
  g_assert_cmpstr (config->filter, ==, "(objectClass=inetOrgPerson)");
  g_assert_cmpuint (config->page_size, ==, 500);
  g_assert_cmpstr (config->attr_name, ==, "cn");
  g_assert_cmpstr (config->attr_extension, ==, "telephoneNumber");
  g_assert_cmpstr (config->attr_email, ==, "mail");
  g_assert_cmpstr (config->attr_group, ==, "ou");
  g_assert_null (config->attr_cti_device);
  g_assert_cmpint (config->csv_encoding, ==, UL_CSV_ENCODING_AUTO);
  g_assert_false (config->starttls);

  /* Nothing configured is a valid state (the Sync step comes later). */
  g_assert_true (ul_directory_config_validate (config, &error));
  g_assert_no_error (error);

  copy = ul_directory_config_copy (config);
  g_assert_true (ul_directory_config_equal (config, copy));
}

static void
test_variant_hides_password (void)
{
  g_autoptr(UlDirectoryConfig) config = valid_ldap ();
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GVariant) ldap = NULL;
  g_autoptr(GVariant) attributes = NULL;
  g_autofree char *printed = NULL;
  gboolean password_set = FALSE;
  const char *str = NULL;
  guint32 page_size = 0;

  variant = g_variant_ref_sink (ul_directory_config_to_variant (config));
  printed = g_variant_print (variant, TRUE);
  g_test_message ("%s", printed);
  g_assert_null (strstr (printed, "s3cret-Passw0rd"));

  g_assert_true (g_variant_lookup (variant, "kind", "&s", &str));
  g_assert_cmpstr (str, ==, "ldap");
  ldap = g_variant_lookup_value (variant, "ldap", G_VARIANT_TYPE_VARDICT);
  g_assert_nonnull (ldap);
  g_assert_false (g_variant_lookup (ldap, "password", "&s", &str));
  g_assert_true (g_variant_lookup (ldap, "passwordSet", "b", &password_set));
  g_assert_true (password_set);
  g_assert_true (g_variant_lookup (ldap, "pageSize", "u", &page_size));
  g_assert_cmpuint (page_size, ==, 500);
  attributes = g_variant_lookup_value (ldap, "attributes", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (attributes, "extension", "&s", &str));
  g_assert_cmpstr (str, ==, "telephoneNumber");
  g_assert_nonnull (g_variant_lookup_value (variant, "csv", G_VARIANT_TYPE_VARDICT));
}

static void
test_apply (void)
{
  g_autoptr(UlDirectoryConfig) config = ul_directory_config_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (ul_directory_config_apply (config, g_variant_new_parsed (
    "{'kind': <'ldap'>, 'ldap': <{'uri': <'ldaps://10.0.0.5:636'>, "
    "'baseDn': <'dc=example,dc=com'>, 'bindDn': <'cn=reader,dc=example,dc=com'>, "
    "'password': <'pw'>, 'pageSize': <int32 200>, "
    "'attributes': <{'name': <'displayName'>, 'ctiDevice': <'ipPhone'>}>}>}"), &error));
  g_assert_no_error (error);
  g_assert_cmpint (config->kind, ==, UL_DIRECTORY_KIND_LDAP);
  g_assert_cmpstr (config->ldap_uri, ==, "ldaps://10.0.0.5:636");
  g_assert_cmpstr (config->bind_password, ==, "pw");
  g_assert_cmpuint (config->page_size, ==, 200);
  g_assert_cmpstr (config->attr_name, ==, "displayName");
  g_assert_cmpstr (config->attr_email, ==, "mail");
  g_assert_cmpstr (config->attr_cti_device, ==, "ipPhone");
  g_assert_true (ul_directory_config_validate (config, &error));
  g_assert_no_error (error);

  /* "" restores defaults or unsets, depending on the field. */
  g_assert_true (ul_directory_config_apply (config, g_variant_new_parsed (
    "{'ldap': <{'filter': <''>, 'bindDn': <''>, 'password': <''>, "
    "'attributes': <{'name': <''>, 'ctiDevice': <''>}>}>, "
    "'csv': <{'path': <'/var/lib/uplink/users.csv'>, 'encoding': <'latin-1'>}>}"), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (config->filter, ==, UL_DIRECTORY_FILTER_DEFAULT);
  g_assert_null (config->bind_dn);
  g_assert_null (config->bind_password);
  g_assert_cmpstr (config->attr_name, ==, "cn");
  g_assert_null (config->attr_cti_device);
  g_assert_cmpstr (config->csv_path, ==, "/var/lib/uplink/users.csv");
  g_assert_cmpint (config->csv_encoding, ==, UL_CSV_ENCODING_LATIN1);
  g_assert_cmpint (config->kind, ==, UL_DIRECTORY_KIND_LDAP);
}

static void
test_apply_round_trip (void)
{
  g_autoptr(UlDirectoryConfig) config = valid_ldap ();
  g_autoptr(UlDirectoryConfig) other = ul_directory_config_new ();
  g_autoptr(GVariant) variant = g_variant_ref_sink (ul_directory_config_to_variant (config));
  g_autoptr(GError) error = NULL;

  /* What a client read can be sent back as it is, passwordSet included. */
  g_assert_true (ul_directory_config_apply (config, variant, &error));
  g_assert_no_error (error);

  /* But passwordSet cannot claim a password that was never sent. */
  g_assert_false (ul_directory_config_apply (other, variant, &error));
  assert_field_error (error, "ldap.passwordSet");
}

static void
test_apply_errors (void)
{
  static const struct
  {
    const char *changes;
    const char *field;
  } cases[] = {
    { "{'bogus': <1>}", "bogus" },
    { "{'kind': <'ftp'>}", "kind" },
    { "{'kind': <1>}", "kind" },
    { "{'ldap': <'x'>}", "ldap" },
    { "{'ldap': <{'bogus': <1>}>}", "ldap.bogus" },
    { "{'ldap': <{'uri': <42>}>}", "ldap.uri" },
    { "{'ldap': <{'pageSize': <'500'>}>}", "ldap.pageSize" },
    { "{'ldap': <{'pageSize': <0>}>}", "ldap.pageSize" },
    { "{'ldap': <{'pageSize': <int64 100000>}>}", "ldap.pageSize" },
    { "{'ldap': <{'startTls': <'yes'>}>}", "ldap.startTls" },
    { "{'ldap': <{'attributes': <{'phone': <'x'>}>}>}", "ldap.attributes.phone" },
    { "{'csv': <{'encoding': <'utf-16'>}>}", "csv.encoding" },
    { "{'csv': <{'separator': <';'>}>}", "csv.separator" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(UlDirectoryConfig) config = valid_ldap ();
      g_autoptr(UlDirectoryConfig) before = ul_directory_config_copy (config);
      g_autoptr(GError) error = NULL;
      /* The good key first: a failure later must not leave it applied. */
      g_autofree char *changes = g_strdup_printf ("{'csv': <{'path': <'/x.csv'>}>, %s",
                                                  cases[i].changes + 1);

      g_test_message ("%s", changes);
      g_assert_false (ul_directory_config_apply (config, g_variant_new_parsed (changes), &error));
      assert_field_error (error, cases[i].field);
      g_assert_true (ul_directory_config_equal (config, before));
    }
}

static void
test_validate_ldap (void)
{
  static const struct
  {
    const char *changes;
    const char *field;
  } cases[] = {
    { "{'ldap': <{'uri': <''>}>}", "ldap.uri" },
    { "{'ldap': <{'uri': <'http://pbx.example.com'>}>}", "ldap.uri" },
    { "{'ldap': <{'uri': <'pbx.example.com'>}>}", "ldap.uri" },
    { "{'ldap': <{'uri': <'ldap://'>}>}", "ldap.uri" },
    { "{'ldap': <{'uri': <'ldap://bad host/'>}>}", "ldap.uri" },
    { "{'ldap': <{'uri': <'ldap://admin:pw@pbx/'>}>}", "ldap.uri" },
    { "{'ldap': <{'uri': <'ldap://pbx/dc=example,dc=com?cn'>}>}", "ldap.uri" },
    { "{'ldap': <{'uri': <'ldap://pbx:99999/'>}>}", "ldap.uri" },
    { "{'ldap': <{'uri': <'ldaps://pbx/'>, 'startTls': <true>}>}", "ldap.startTls" },
    { "{'ldap': <{'baseDn': <''>}>}", "ldap.baseDn" },
    { "{'ldap': <{'baseDn': <'example.com'>}>}", "ldap.baseDn" },
    { "{'ldap': <{'bindDn': <'reader'>}>}", "ldap.bindDn" },
    { "{'ldap': <{'password': <''>}>}", "ldap.password" },
    { "{'ldap': <{'bindDn': <''>}>}", "ldap.bindDn" },
    { "{'ldap': <{'filter': <'objectClass=person'>}>}", "ldap.filter" },
    { "{'ldap': <{'filter': <'(&(objectClass=person)'>}>}", "ldap.filter" },
    { "{'ldap': <{'filter': <'(a=b)(c=d)'>}>}", "ldap.filter" },
    { "{'ldap': <{'attributes': <{'email': <'e-mail address'>}>}>}", "ldap.attributes.email" },
    { "{'ldap': <{'attributes': <{'name': <'1cn'>}>}>}", "ldap.attributes.name" },
    { "{'ldap': <{'attributes': <{'group': <'2.5.4.'>}>}>}", "ldap.attributes.group" },
    { "{'ldap': <{'attributes': <{'ctiDevice': <'ip phone'>}>}>}", "ldap.attributes.ctiDevice" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(UlDirectoryConfig) config = valid_ldap ();
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].changes);
      g_assert_true (ul_directory_config_apply (config, g_variant_new_parsed (cases[i].changes),
                                                &error));
      g_assert_no_error (error);
      g_assert_false (ul_directory_config_validate (config, &error));
      assert_field_error (error, cases[i].field);
    }
}

static void
test_validate_ldap_good (void)
{
  static const char * const good[] = {
    "{'ldap': <{'uri': <'ldap://10.0.0.5'>}>}",
    "{'ldap': <{'uri': <'LDAP://[2001:db8::1]:389/'>, 'startTls': <true>}>}",
    "{'ldap': <{'uri': <'ldaps://ad.example.com:636'>}>}",
    "{'ldap': <{'bindDn': <''>, 'password': <''>}>}",
    "{'ldap': <{'filter': <'(&(objectClass=person)(!(cn=test\\\\29)))'>}>}",
    "{'ldap': <{'attributes': <{'extension': <'ipPhone'>, 'group': <'2.5.4.11'>}>}>}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(UlDirectoryConfig) config = valid_ldap ();
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", good[i]);
      g_assert_true (ul_directory_config_apply (config, g_variant_new_parsed (good[i]), &error));
      g_assert_no_error (error);
      g_assert_true (ul_directory_config_validate (config, &error));
      g_assert_no_error (error);
    }
}

static void
test_validate_csv (void)
{
  g_autoptr(UlDirectoryConfig) config = ul_directory_config_new ();
  g_autoptr(GError) error = NULL;

  config->kind = UL_DIRECTORY_KIND_CSV;
  g_assert_false (ul_directory_config_validate (config, &error));
  assert_field_error (error, "csv.path");
  g_clear_error (&error);

  config->csv_path = g_strdup ("users.csv");
  g_assert_false (ul_directory_config_validate (config, &error));
  assert_field_error (error, "csv.path");
  g_clear_error (&error);

  g_free (config->csv_path);
  config->csv_path = g_strdup ("/var/lib/uplink/users.csv");
  g_assert_true (ul_directory_config_validate (config, &error));
  g_assert_no_error (error);

  /* The LDAP half may be incomplete while CSV is selected. */
  config->ldap_uri = g_strdup ("not a uri");
  g_assert_true (ul_directory_config_validate (config, &error));
  g_assert_no_error (error);
}

static void
test_enum_strings (void)
{
  g_assert_cmpstr (ul_directory_kind_to_string (UL_DIRECTORY_KIND_CSV), ==, "csv");
  g_assert_cmpint (ul_directory_kind_from_string ("ldap"), ==, UL_DIRECTORY_KIND_LDAP);
  g_assert_cmpint (ul_directory_kind_from_string ("LDAP"), ==, -1);
  g_assert_cmpint (ul_directory_kind_from_string (NULL), ==, -1);
  g_assert_cmpstr (ul_csv_encoding_to_string (UL_CSV_ENCODING_UTF8), ==, "utf-8");
  g_assert_cmpint (ul_csv_encoding_from_string ("latin-1"), ==, UL_CSV_ENCODING_LATIN1);
  g_assert_cmpint (ul_csv_encoding_from_string ("cp1252"), ==, -1);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/directory/config/defaults", test_defaults);
  g_test_add_func ("/uplink/directory/config/variant-hides-password", test_variant_hides_password);
  g_test_add_func ("/uplink/directory/config/apply", test_apply);
  g_test_add_func ("/uplink/directory/config/apply-round-trip", test_apply_round_trip);
  g_test_add_func ("/uplink/directory/config/apply-errors", test_apply_errors);
  g_test_add_func ("/uplink/directory/config/validate-ldap", test_validate_ldap);
  g_test_add_func ("/uplink/directory/config/validate-ldap-good", test_validate_ldap_good);
  g_test_add_func ("/uplink/directory/config/validate-csv", test_validate_csv);
  g_test_add_func ("/uplink/directory/config/enum-strings", test_enum_strings);

  return g_test_run ();
}
