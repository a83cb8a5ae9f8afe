/* test-enums-variant.c — enum string forms and the checked a{sv} readers. */
#include "config.h"

#include "ul-enums.h"
#include "ul-test-common.h"
#include "ul-variant.h"

static void
test_platform (void)
{
  const UlPlatform values[] = { UL_PLATFORM_STANDALONE, UL_PLATFORM_SMBC, UL_PLATFORM_VIRTUAL };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpint (ul_platform_from_string (ul_platform_to_string (values[i])), ==, values[i]);

  g_assert_cmpstr (ul_platform_to_string (UL_PLATFORM_STANDALONE), ==, "standalone");
  g_assert_cmpstr (ul_platform_to_string (UL_PLATFORM_SMBC), ==, "smbc");
  g_assert_cmpstr (ul_platform_to_string (UL_PLATFORM_VIRTUAL), ==, "virtual");
  g_assert_cmpstr (ul_platform_to_string (UL_PLATFORM_UNKNOWN), ==, "unknown");
  g_assert_cmpint (ul_platform_from_string ("SMBC"), ==, UL_PLATFORM_UNKNOWN);
  g_assert_cmpint (ul_platform_from_string ("mainframe"), ==, UL_PLATFORM_UNKNOWN);
  g_assert_cmpint (ul_platform_from_string (NULL), ==, UL_PLATFORM_UNKNOWN);
  g_assert_null (ul_platform_to_string (42));

  g_assert_true (ul_platform_has_pbx_step (UL_PLATFORM_STANDALONE));
  g_assert_true (ul_platform_has_pbx_step (UL_PLATFORM_VIRTUAL));
  g_assert_false (ul_platform_has_pbx_step (UL_PLATFORM_SMBC));
  g_assert_false (ul_platform_has_pbx_step (UL_PLATFORM_UNKNOWN));
}

static void
test_support_role (void)
{
  g_assert_cmpstr (ul_support_role_to_string (UL_SUPPORT_ROLE_MAINTAINER), ==, "maintainer");
  g_assert_cmpstr (ul_support_role_to_string (UL_SUPPORT_ROLE_ONSITE_ADMIN), ==, "onsiteAdmin");
  g_assert_cmpstr (ul_support_role_to_string (UL_SUPPORT_ROLE_OTHER), ==, "other");
  g_assert_cmpint (ul_support_role_from_string ("onsiteAdmin"), ==, UL_SUPPORT_ROLE_ONSITE_ADMIN);
  g_assert_cmpint (ul_support_role_from_string ("onsite-admin"), ==, UL_SUPPORT_ROLE_UNKNOWN);
  g_assert_cmpint (ul_support_role_from_string (NULL), ==, UL_SUPPORT_ROLE_UNKNOWN);
}

static void
test_ethernet_method (void)
{
  g_assert_cmpstr (ul_ethernet_method_to_string (UL_ETHERNET_DHCP), ==, "dhcp");
  g_assert_cmpstr (ul_ethernet_method_to_string (UL_ETHERNET_STATIC), ==, "static");
  g_assert_cmpint (ul_ethernet_method_from_string ("static"), ==, UL_ETHERNET_STATIC);
  g_assert_cmpint (ul_ethernet_method_from_string ("auto"), ==, UL_ETHERNET_UNKNOWN);
}

static void
test_state_severity (void)
{
  UlCustomerState state = UL_CUSTOMER_STATE_ACTIVE;
  UlSeverity severity = UL_SEVERITY_OK;

  g_assert_cmpstr (ul_customer_state_to_string (UL_CUSTOMER_STATE_ACTIVE), ==, "active");
  g_assert_cmpstr (ul_customer_state_to_string (UL_CUSTOMER_STATE_DEACTIVATED), ==, "deactivated");
  g_assert_true (ul_customer_state_from_string ("deactivated", &state));
  g_assert_cmpint (state, ==, UL_CUSTOMER_STATE_DEACTIVATED);
  g_assert_false (ul_customer_state_from_string ("gone", &state));
  g_assert_cmpint (state, ==, UL_CUSTOMER_STATE_DEACTIVATED);

  g_assert_cmpstr (ul_severity_to_string (UL_SEVERITY_NEXT_STEP), ==, "next-step");
  g_assert_cmpstr (ul_severity_to_string (UL_SEVERITY_ERROR), ==, "error");
  g_assert_cmpstr (ul_severity_to_string (UL_SEVERITY_OK), ==, "ok");
  g_assert_true (ul_severity_from_string ("next-step", &severity));
  g_assert_cmpint (severity, ==, UL_SEVERITY_NEXT_STEP);
  g_assert_false (ul_severity_from_string (NULL, &severity));
}

static void
test_get_int (void)
{
  struct
  {
    const char *text;
    gint64      expected;
  } good[] = {
    { "byte 200", 200 },
    { "int16 -300", -300 },
    { "uint16 65535", 65535 },
    { "int32 7001", 7001 },  /* what `gdbus call` sends for a bare number */
    { "uint32 4000000000", 4000000000 },
    { "int64 -9000000000", -9000000000 },
    { "uint64 9223372036854775807", G_MAXINT64 },
  };
  const char *bad[] = { "uint64 9223372036854775808", "'7001'", "7001.0", "true", "[1]", "<7001>" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GVariant) value = g_variant_ref_sink (g_variant_new_parsed (good[i].text));
      g_autoptr (GError) error = NULL;
      gint64 out = 0;

      g_assert_true (ul_variant_get_int (value, "port", &out, &error));
      g_assert_no_error (error);
      g_assert_cmpint (out, ==, good[i].expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GVariant) value = g_variant_ref_sink (g_variant_new_parsed (bad[i]));
      g_autoptr (GError) error = NULL;
      gint64 out = 17;

      g_test_message ("value %s", bad[i]);
      g_assert_false (ul_variant_get_int (value, "port", &out, &error));
      ul_assert_field_error (error, "port");
      g_assert_cmpint (out, ==, 17);
    }
}

static void
test_get_typed (void)
{
  g_autoptr (GVariant) str = g_variant_ref_sink (g_variant_new_string ("x"));
  g_autoptr (GVariant) boolean = g_variant_ref_sink (g_variant_new_boolean (TRUE));
  g_autoptr (GVariant) strv = g_variant_ref_sink (g_variant_new_parsed ("['a', 'b']"));
  g_autoptr (GVariant) dict = g_variant_ref_sink (g_variant_new_parsed ("{'a': <1>}"));
  g_autoptr (GVariant) dicts = g_variant_ref_sink (g_variant_new_parsed ("[{'a': <1>}]"));
  g_autoptr (GError) error = NULL;
  g_autofree char *out_str = NULL;
  g_auto (GStrv) out_strv = NULL;
  gboolean out_bool = FALSE;
  GVariant *out_dict = NULL;

  g_assert_true (ul_variant_get_string (str, "name", &out_str, &error));
  g_assert_cmpstr (out_str, ==, "x");
  g_assert_true (ul_variant_get_boolean (boolean, "flag", &out_bool, &error));
  g_assert_true (out_bool);
  g_assert_true (ul_variant_get_strv (strv, "list", &out_strv, &error));
  g_assert_cmpstrv (out_strv, ((const char *[]) { "a", "b", NULL }));
  g_assert_true (ul_variant_get_dict (dict, "rec", &out_dict, &error));
  g_assert_true (out_dict == dict);
  g_assert_true (ul_variant_get_dict_array (dicts, "recs", &out_dict, &error));
  g_assert_true (out_dict == dicts);
  g_assert_no_error (error);

  /* Every reader refuses every other type, naming the field. */
  g_assert_false (ul_variant_get_string (boolean, "name", &out_str, &error));
  ul_assert_field_error (error, "name");
  g_clear_error (&error);
  g_assert_false (ul_variant_get_boolean (str, "flag", &out_bool, &error));
  ul_assert_field_error (error, "flag");
  g_clear_error (&error);
  g_assert_false (ul_variant_get_strv (str, "list", &out_strv, &error));
  ul_assert_field_error (error, "list");
  g_clear_error (&error);
  g_assert_false (ul_variant_get_dict (dicts, "rec", &out_dict, &error));
  ul_assert_field_error (error, "rec");
  g_clear_error (&error);
  g_assert_false (ul_variant_get_dict_array (dict, "recs", &out_dict, &error));
  ul_assert_field_error (error, "recs");
  g_clear_error (&error);

  g_assert_false (ul_variant_unknown_key ("color", &error));
  ul_assert_field_error (error, "color");
}

static void
test_builder_add_string (void)
{
  g_auto (GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autoptr (GVariant) dict = NULL;
  const char *value = NULL;

  ul_variant_builder_add_string (&builder, "set", "yes");
  ul_variant_builder_add_string (&builder, "unset", NULL);
  dict = g_variant_ref_sink (g_variant_builder_end (&builder));

  g_assert_cmpuint (g_variant_n_children (dict), ==, 1);
  g_assert_true (g_variant_lookup (dict, "set", "&s", &value));
  g_assert_cmpstr (value, ==, "yes");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/common/enums/platform", test_platform);
  g_test_add_func ("/uplink/common/enums/support-role", test_support_role);
  g_test_add_func ("/uplink/common/enums/ethernet-method", test_ethernet_method);
  g_test_add_func ("/uplink/common/enums/state-severity", test_state_severity);
  g_test_add_func ("/uplink/common/variant/get-int", test_get_int);
  g_test_add_func ("/uplink/common/variant/get-typed", test_get_typed);
  g_test_add_func ("/uplink/common/variant/builder-add-string", test_builder_add_string);

  return g_test_run ();
}
