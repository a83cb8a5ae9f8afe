/* test-pbx-advanced.c — UlPbxConfig (write-only password, limits) and UlAdvanced. */
#include "config.h"

#include <string.h>

#include "ul-advanced.h"
#include "ul-pbx-config.h"
#include "ul-test-common.h"
#include "ul-validate.h"

#define SECRET "s3cr3t-Pässwort"

static UlPbxConfig *
make_pbx (void)
{
  UlPbxConfig *pbx = ul_pbx_config_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (ul_pbx_config_apply (pbx,
                                      g_variant_new_parsed ("{'name': <'MiVO400 HQ'>,"
                                                            " 'host': <'192.168.1.20'>,"
                                                            " 'username': <'uplink'>,"
                                                            " 'password': <'" SECRET "'>}"),
                                      &error));
  g_assert_no_error (error);
  g_assert_true (ul_pbx_config_validate (pbx, &error));
  g_assert_no_error (error);
  return pbx;
}

static void
assert_pbx_apply_fails (UlPbxConfig *pbx, GVariant *changes, const char *field)
{
  g_autoptr (UlPbxConfig) before = ul_pbx_config_copy (pbx);
  g_autoptr (GError) error = NULL;

  g_assert_false (ul_pbx_config_apply (pbx, changes, &error));
  ul_assert_field_error (error, field);
  g_assert_true (ul_pbx_config_equal (pbx, before));
  g_assert_null (strstr (error->message, SECRET));
}

static void
assert_pbx_invalid (UlPbxConfig *pbx, const char *field)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (ul_pbx_config_validate (pbx, &error));
  ul_assert_field_error (error, field);
  g_assert_null (strstr (error->message, SECRET));
}

static void
test_pbx_defaults (void)
{
  g_autoptr (UlPbxConfig) pbx = ul_pbx_config_new ();
  g_autoptr (GVariant) variant = g_variant_ref_sink (ul_pbx_config_to_variant (pbx));
  gboolean password_set = TRUE;
  guint32 port = 0;

  g_assert_cmpstr (pbx->type, ==, UL_PBX_TYPE_MIVO400);
  g_assert_cmpuint (pbx->port, ==, 7001);
  g_assert_cmpuint (pbx->sync_schedule, ==, 60);
  g_assert_true (g_variant_lookup (variant, "passwordSet", "b", &password_set));
  g_assert_false (password_set);
  g_assert_true (g_variant_lookup (variant, "port", "u", &port));
  g_assert_cmpuint (port, ==, 7001);
  assert_pbx_invalid (pbx, "name");
}

static void
test_pbx_password_write_only (void)
{
  g_autoptr (UlPbxConfig) pbx = make_pbx ();
  g_autoptr (GVariant) variant = g_variant_ref_sink (ul_pbx_config_to_variant (pbx));
  g_autofree char *printed = g_variant_print (variant, TRUE);
  gboolean password_set = FALSE;

  g_assert_null (g_variant_lookup_value (variant, "password", NULL));
  g_assert_null (strstr (printed, SECRET));
  g_assert_true (g_variant_lookup (variant, "passwordSet", "b", &password_set));
  g_assert_true (password_set);
}

static void
test_pbx_password_set_read_only (void)
{
  g_autoptr (UlPbxConfig) pbx = ul_pbx_config_new ();
  g_autoptr (GError) error = NULL;

  /* Claiming a password that is not there, or denying one that is, is refused … */
  assert_pbx_apply_fails (pbx, g_variant_new_parsed ("{'passwordSet': <true>}"), "passwordSet");
  assert_pbx_apply_fails (pbx, g_variant_new_parsed ("{'passwordSet': <'yes'>}"), "passwordSet");
  assert_pbx_apply_fails (pbx, g_variant_new_parsed ("{'password': <'x'>, 'passwordSet': <false>}"),
                          "passwordSet");

  /* … a matching value is not, in either order with the password. */
  g_assert_true (ul_pbx_config_apply (pbx, g_variant_new_parsed ("{'passwordSet': <false>}"),
                                      &error));
  g_assert_true (ul_pbx_config_apply (pbx,
                                      g_variant_new_parsed ("{'passwordSet': <true>,"
                                                            " 'password': <'x'>}"),
                                      &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pbx->password, ==, "x");
  g_assert_true (ul_pbx_config_apply (pbx, g_variant_new_parsed ("{'passwordSet': <true>}"),
                                      &error));
  g_assert_no_error (error);
}

static void
test_pbx_apply_integers (void)
{
  const char *ports[] = { "byte 80", "int16 7002", "uint16 7003", "int32 7004", "uint32 7005",
                          "int64 7006", "uint64 7007" };
  g_autoptr (UlPbxConfig) pbx = make_pbx ();

  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      g_autofree char *text = g_strdup_printf ("{'port': <%s>}", ports[i]);
      g_autoptr (GError) error = NULL;

      g_assert_true (ul_pbx_config_apply (pbx, g_variant_new_parsed (text), &error));
      g_assert_no_error (error);
      g_assert_cmpuint (pbx->port, ==, i == 0 ? 80 : 7001 + i);
    }

  g_assert_true (ul_pbx_config_apply (pbx,
                                      g_variant_new_parsed ("{'port': <1>, 'syncSchedule': <5>}"),
                                      NULL));
  g_assert_cmpuint (pbx->port, ==, 1);
  g_assert_cmpuint (pbx->sync_schedule, ==, 5);
  g_assert_true (ul_pbx_config_apply (pbx,
                                      g_variant_new_parsed ("{'port': <65535>,"
                                                            " 'syncSchedule': <uint32 1440>}"),
                                      NULL));
  g_assert_cmpuint (pbx->port, ==, 65535);
  g_assert_cmpuint (pbx->sync_schedule, ==, 1440);

  assert_pbx_apply_fails (pbx, g_variant_new_parsed ("{'port': <0>}"), "port");
  assert_pbx_apply_fails (pbx, g_variant_new_parsed ("{'port': <65536>}"), "port");
  assert_pbx_apply_fails (pbx, g_variant_new_parsed ("{'port': <-1>}"), "port");
  assert_pbx_apply_fails (pbx, g_variant_new_parsed ("{'port': <int64 4294974297>}"), "port");
  assert_pbx_apply_fails (pbx, g_variant_new_parsed ("{'port': <'7001'>}"), "port");
  assert_pbx_apply_fails (pbx, g_variant_new_parsed ("{'port': <7001.0>}"), "port");
  assert_pbx_apply_fails (pbx, g_variant_new_parsed ("{'syncSchedule': <4>}"), "syncSchedule");
  assert_pbx_apply_fails (pbx, g_variant_new_parsed ("{'syncSchedule': <1441>}"), "syncSchedule");
  assert_pbx_apply_fails (pbx, g_variant_new_parsed ("{'host': <'pbx2'>,"
                                                     " 'syncSchedule': <'hourly'>}"),
                          "syncSchedule");
  assert_pbx_apply_fails (pbx, g_variant_new_parsed ("{'host': <'pbx2'>, 'ip': <'10.0.0.1'>}"),
                          "ip");
  assert_pbx_apply_fails (pbx, g_variant_new_parsed ("{'password': <42>}"), "password");
}

static void
test_pbx_validate (void)
{
  g_autoptr (UlPbxConfig) pbx = make_pbx ();
  g_autofree char *user_25 = ul_test_repeat ("ü", 25);
  g_autofree char *user_26 = ul_test_repeat ("ü", 26);
  g_autofree char *password_255 = ul_test_repeat ("é", 255);
  g_autofree char *password_256 = ul_test_repeat ("é", 256);

  /* Limits count characters, not bytes. */
  g_free (pbx->username);
  pbx->username = g_strdup (user_25);
  g_assert_true (ul_pbx_config_validate (pbx, NULL));
  g_free (pbx->username);
  pbx->username = g_strdup (user_26);
  assert_pbx_invalid (pbx, "username");
  g_clear_pointer (&pbx->username, g_free);
  assert_pbx_invalid (pbx, "username");
  pbx->username = g_strdup ("uplink");

  g_free (pbx->password);
  pbx->password = g_strdup (password_255);
  g_assert_true (ul_pbx_config_validate (pbx, NULL));
  g_free (pbx->password);
  pbx->password = g_strdup (password_256);
  assert_pbx_invalid (pbx, "password");
  g_clear_pointer (&pbx->password, g_free);
  assert_pbx_invalid (pbx, "password");
  pbx->password = g_strdup (SECRET);

  g_free (pbx->host);
  pbx->host = g_strdup ("pbx.acme.example");
  g_assert_true (ul_pbx_config_validate (pbx, NULL));
  g_free (pbx->host);
  pbx->host = g_strdup ("2001:db8::20");
  g_assert_true (ul_pbx_config_validate (pbx, NULL));
  g_free (pbx->host);
  pbx->host = g_strdup ("192.168.1.300");
  assert_pbx_invalid (pbx, "host");
  g_clear_pointer (&pbx->host, g_free);
  assert_pbx_invalid (pbx, "host");
  pbx->host = g_strdup ("192.168.1.20");

  pbx->port = 0;
  assert_pbx_invalid (pbx, "port");
  pbx->port = 65536;
  assert_pbx_invalid (pbx, "port");
  pbx->port = 7001;

  pbx->sync_schedule = 0;
  assert_pbx_invalid (pbx, "syncSchedule");
  pbx->sync_schedule = 60;

  g_free (pbx->type);
  pbx->type = g_strdup ("mivoice-office-250");
  assert_pbx_invalid (pbx, "type");
}

static void
test_pbx_round_trip (void)
{
  g_autoptr (UlPbxConfig) pbx = make_pbx ();
  g_autoptr (UlPbxConfig) back = ul_pbx_config_new ();
  g_autoptr (GVariant) variant = ul_pbx_config_to_variant (pbx);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_variant_is_floating (variant));
  g_variant_ref_sink (variant);

  /* The password never leaves; the rest comes back equal. */
  back->password = g_strdup (SECRET);
  g_assert_true (ul_pbx_config_apply (back, variant, &error));
  g_assert_no_error (error);
  g_assert_true (ul_pbx_config_equal (pbx, back));

  g_free (back->password);
  back->password = g_strdup ("other");
  g_assert_false (ul_pbx_config_equal (pbx, back));
  g_assert_true (G_TYPE_IS_BOXED (UL_TYPE_PBX_CONFIG));
}

static void
assert_advanced_invalid (const char *changes, const char *field)
{
  g_autoptr (UlAdvanced) advanced = ul_advanced_new ();
  g_autoptr (GError) error = NULL;

  g_test_message ("invalid: %s", changes);
  g_assert_true (ul_advanced_apply (advanced, g_variant_new_parsed (changes), &error));
  g_assert_no_error (error);
  g_assert_false (ul_advanced_validate (advanced, &error));
  ul_assert_field_error (error, field);
}

static void
assert_advanced_valid (const char *changes)
{
  g_autoptr (UlAdvanced) advanced = ul_advanced_new ();
  g_autoptr (GError) error = NULL;

  g_test_message ("valid: %s", changes);
  g_assert_true (ul_advanced_apply (advanced, g_variant_new_parsed (changes), &error));
  g_assert_no_error (error);
  g_assert_true (ul_advanced_validate (advanced, &error));
  g_assert_no_error (error);
}

static void
test_advanced_defaults (void)
{
  g_autoptr (UlAdvanced) advanced = ul_advanced_new ();
  const char *emergency[] = { "000", "110", "111", "112", "118", "119", "911", "999", NULL };
  g_autoptr (GError) error = NULL;

  g_assert_true (ul_advanced_validate (advanced, &error));
  g_assert_no_error (error);
  g_assert_cmpstrv (advanced->emergency_numbers, emergency);
  g_assert_true (advanced->automatic_updates);
  g_assert_cmpstrv (advanced->update_days, ul_weekdays ());
  g_assert_cmpstr (advanced->update_window_start, ==, "02:00");
  g_assert_cmpstr (advanced->update_window_end, ==, "04:00");
  g_assert_cmpstr (advanced->inbound_digits, ==, "");
  g_assert_cmpstr (advanced->outbound_digits, ==, "");
  g_assert_cmpstr (advanced->gsm_call_through, ==, "");
}

static void
test_advanced_validate (void)
{
  assert_advanced_valid ("{'inboundDigits': <'9'>, 'outboundDigits': <'*#12345'>}");
  assert_advanced_valid ("{'inboundDigits': <'12345678'>}");
  assert_advanced_invalid ("{'inboundDigits': <'123456789'>}", "inboundDigits");
  assert_advanced_invalid ("{'inboundDigits': <'9a'>}", "inboundDigits");
  assert_advanced_invalid ("{'outboundDigits': <'+41'>}", "outboundDigits");

  assert_advanced_valid ("{'gsmCallThrough': <'+41441234567'>}");
  assert_advanced_valid ("{'gsmCallThrough': <''>}");
  assert_advanced_invalid ("{'gsmCallThrough': <'0441234567'>}", "gsmCallThrough");
  assert_advanced_invalid ("{'gsmCallThrough': <'+0441234567'>}", "gsmCallThrough");
  assert_advanced_invalid ("{'gsmCallThrough': <'+1234567890123456'>}", "gsmCallThrough");

  assert_advanced_valid ("{'emergencyNumbers': <['112', '15', '144', '117', '1414', '999999']>}");
  assert_advanced_invalid ("{'emergencyNumbers': <@as []>}", "emergencyNumbers");
  assert_advanced_invalid ("{'emergencyNumbers': <['112', '1']>}", "emergencyNumbers[1]");
  assert_advanced_invalid ("{'emergencyNumbers': <['1234567']>}", "emergencyNumbers[0]");
  assert_advanced_invalid ("{'emergencyNumbers': <['11a']>}", "emergencyNumbers[0]");
  assert_advanced_invalid ("{'emergencyNumbers': <['*112']>}", "emergencyNumbers[0]");
  assert_advanced_invalid ("{'emergencyNumbers': <['112', '911', '112']>}", "emergencyNumbers[2]");

  assert_advanced_valid ("{'updateDays': <['saturday', 'sunday']>}");
  assert_advanced_valid ("{'automaticUpdates': <false>, 'updateDays': <@as []>}");
  assert_advanced_invalid ("{'updateDays': <@as []>}", "updateDays");
  assert_advanced_invalid ("{'updateDays': <['monday', 'Funday']>}", "updateDays[1]");
  assert_advanced_invalid ("{'updateDays': <['monday', 'friday', 'monday']>}", "updateDays[2]");

  /* A window may cross midnight, but not be empty. */
  assert_advanced_valid ("{'updateWindowStart': <'23:00'>, 'updateWindowEnd': <'01:30'>}");
  assert_advanced_invalid ("{'updateWindowStart': <'24:00'>}", "updateWindowStart");
  assert_advanced_invalid ("{'updateWindowEnd': <'4:00'>}", "updateWindowEnd");
  assert_advanced_invalid ("{'updateWindowStart': <'03:15'>, 'updateWindowEnd': <'03:15'>}",
                           "updateWindowEnd");
}

static void
test_advanced_apply_refused (void)
{
  const char *changes[][2] = {
    { "{'inboundDigits': <9>}", "inboundDigits" },
    { "{'inboundDigits': <'9'>, 'automaticUpdates': <'yes'>}", "automaticUpdates" },
    { "{'emergencyNumbers': <'112'>}", "emergencyNumbers" },
    { "{'updateDays': <[1, 2]>}", "updateDays" },
    { "{'inboundDigits': <'9'>, 'traceCalls': <true>}", "traceCalls" },
  };
  g_autoptr (UlAdvanced) advanced = ul_advanced_new ();
  g_autoptr (UlAdvanced) before = ul_advanced_copy (advanced);

  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      g_autoptr (GError) error = NULL;

      g_test_message ("apply %s", changes[i][0]);
      g_assert_false (ul_advanced_apply (advanced, g_variant_new_parsed (changes[i][0]), &error));
      ul_assert_field_error (error, changes[i][1]);
      g_assert_true (ul_advanced_equal (advanced, before));
    }
}

static void
test_advanced_round_trip (void)
{
  g_autoptr (UlAdvanced) advanced = ul_advanced_new ();
  g_autoptr (UlAdvanced) back = ul_advanced_new ();
  g_autoptr (GVariant) variant = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (ul_advanced_apply (advanced,
                                    g_variant_new_parsed ("{'inboundDigits': <'9'>,"
                                                          " 'gsmCallThrough': <'+41441234567'>,"
                                                          " 'emergencyNumbers': <['112', '144']>,"
                                                          " 'automaticUpdates': <false>,"
                                                          " 'updateDays': <['sunday']>,"
                                                          " 'updateWindowStart': <'22:00'>,"
                                                          " 'updateWindowEnd': <'23:00'>}"),
                                    &error));
  g_assert_no_error (error);
  g_assert_false (ul_advanced_equal (advanced, back));

  variant = ul_advanced_to_variant (advanced);
  g_assert_true (g_variant_is_floating (variant));
  g_variant_ref_sink (variant);
  g_assert_true (ul_advanced_apply (back, variant, &error));
  g_assert_no_error (error);
  g_assert_true (ul_advanced_equal (advanced, back));

  /* No list and an empty one are the same. */
  g_strfreev (back->update_days);
  back->update_days = NULL;
  g_strfreev (advanced->update_days);
  advanced->update_days = g_new0 (char *, 1);
  g_assert_true (ul_advanced_equal (advanced, back));
  g_assert_true (G_TYPE_IS_BOXED (UL_TYPE_ADVANCED));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/common/pbx/defaults", test_pbx_defaults);
  g_test_add_func ("/uplink/common/pbx/password-write-only", test_pbx_password_write_only);
  g_test_add_func ("/uplink/common/pbx/password-set-read-only", test_pbx_password_set_read_only);
  g_test_add_func ("/uplink/common/pbx/apply-integers", test_pbx_apply_integers);
  g_test_add_func ("/uplink/common/pbx/validate", test_pbx_validate);
  g_test_add_func ("/uplink/common/pbx/round-trip", test_pbx_round_trip);
  g_test_add_func ("/uplink/common/advanced/defaults", test_advanced_defaults);
  g_test_add_func ("/uplink/common/advanced/validate", test_advanced_validate);
  g_test_add_func ("/uplink/common/advanced/apply-refused", test_advanced_apply_refused);
  g_test_add_func ("/uplink/common/advanced/round-trip", test_advanced_round_trip);

  return g_test_run ();
}
