/* test-status.c — status codes, messages and the onboarding progression. */
#include "config.h"

#include "ul-status.h"
#include "ul-test-common.h"

static void
test_codes (void)
{
  const char *expected[] = {
    UL_STATUS_CUSTOMER_REQUIRED, UL_STATUS_SITE_REQUIRED, UL_STATUS_PBX_REQUIRED,
    UL_STATUS_CONNECT_REQUIRED, UL_STATUS_SYNC_REQUIRED, UL_STATUS_OVERVIEW,
    UL_STATUS_DEACTIVATED, UL_STATUS_PBX_UNREACHABLE, UL_STATUS_PBX_AUTH_FAILED,
    UL_STATUS_PBX_LINK_LOST, UL_STATUS_PBX_LICENSE_LIMIT, UL_STATUS_DIRECTORY_FAILED,
    UL_STATUS_USERS_MISSING_EMAIL, UL_STATUS_UPDATE_IN_PROGRESS, UL_STATUS_UPDATE_FAILED,
    UL_STATUS_GATEWAY_UNREACHABLE,
  };
  const char * const *codes = ul_status_codes ();
  g_autoptr (GHashTable) messages = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (g_strv_length ((GStrv) codes), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const char *message = ul_status_code_get_message (expected[i]);
      g_autofree char *help_id = ul_status_code_get_help_id (expected[i]);
      g_autofree char *expected_help = g_strconcat ("status-", expected[i], NULL);

      g_assert_true (g_strv_contains (codes, expected[i]));
      g_assert_nonnull (message);
      g_assert_cmpstr (message, !=, "");
      g_assert_true (g_hash_table_add (messages, (gpointer) message));
      g_assert_cmpstr (help_id, ==, expected_help);
      for (const char *p = expected[i]; *p != '\0'; p++)
        g_assert_true (g_ascii_islower (*p) || *p == '-');
    }

  g_assert_cmpstr (ul_status_code_get_message (UL_STATUS_CUSTOMER_REQUIRED), ==,
                   "Enter the customer information");
  g_assert_cmpstr (ul_status_code_get_message (UL_STATUS_OVERVIEW), ==, "Overview");
  g_assert_cmpstr (ul_status_code_get_message (UL_STATUS_PBX_LINK_LOST), ==,
                   "Lost trunk connection to PBX");
  g_assert_cmpstr (ul_status_code_get_message (UL_STATUS_GATEWAY_UNREACHABLE), ==,
                   "Lost connection to gateway");
  g_assert_null (ul_status_code_get_message ("no-such-status"));
}

static void
test_new_copy_equal (void)
{
  g_autoptr (UlStatus) plain = ul_status_new (UL_STATUS_OVERVIEW, UL_SEVERITY_OK, NULL);
  g_autoptr (UlStatus) with_params = ul_status_new (UL_STATUS_USERS_MISSING_EMAIL,
                                                    UL_SEVERITY_ERROR,
                                                    g_variant_new_parsed ("{'count': <uint32 3>}"));
  g_autoptr (UlStatus) copy = ul_status_copy (with_params);
  g_autoptr (UlStatus) other = ul_status_new (UL_STATUS_USERS_MISSING_EMAIL, UL_SEVERITY_ERROR,
                                              g_variant_new_parsed ("{'count': <uint32 4>}"));

  g_assert_true (g_variant_is_of_type (plain->params, G_VARIANT_TYPE_VARDICT));
  g_assert_cmpuint (g_variant_n_children (plain->params), ==, 0);
  g_assert_false (g_variant_is_floating (with_params->params));
  g_assert_true (ul_status_equal (with_params, copy));
  g_assert_false (ul_status_equal (with_params, other));
  g_assert_false (ul_status_equal (with_params, plain));
  g_assert_true (G_TYPE_IS_BOXED (UL_TYPE_STATUS));
}

static void
test_to_variant (void)
{
  g_autoptr (UlStatus) status = ul_status_new (UL_STATUS_PBX_UNREACHABLE, UL_SEVERITY_ERROR,
                                               g_variant_new_parsed ("{'host': <'192.168.1.20'>}"));
  g_autoptr (UlStatus) future = ul_status_new ("from-a-newer-gateway", UL_SEVERITY_ERROR, NULL);
  g_autoptr (GVariant) variant = ul_status_to_variant (status);
  g_autoptr (GVariant) future_variant = g_variant_ref_sink (ul_status_to_variant (future));
  g_autoptr (GVariant) params = NULL;
  const char *str = NULL;

  g_assert_true (g_variant_is_floating (variant));
  g_variant_ref_sink (variant);
  g_assert_true (g_variant_lookup (variant, "code", "&s", &str));
  g_assert_cmpstr (str, ==, "pbx-unreachable");
  g_assert_true (g_variant_lookup (variant, "severity", "&s", &str));
  g_assert_cmpstr (str, ==, "error");
  g_assert_true (g_variant_lookup (variant, "message", "&s", &str));
  g_assert_cmpstr (str, ==, "Cannot reach the PBX");
  g_assert_true (g_variant_lookup (variant, "helpId", "&s", &str));
  g_assert_cmpstr (str, ==, "status-pbx-unreachable");
  params = g_variant_lookup_value (variant, "params", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (params, "host", "&s", &str));
  g_assert_cmpstr (str, ==, "192.168.1.20");

  /* An unknown code still has a message to show. */
  g_assert_true (g_variant_lookup (future_variant, "message", "&s", &str));
  g_assert_cmpstr (str, ==, "from-a-newer-gateway");
}

static void
assert_status (const UlStatusInputs *in, const char *code, UlSeverity severity)
{
  g_autoptr (UlStatus) status = ul_status_compute (in);

  g_assert_cmpstr (status->code, ==, code);
  g_assert_cmpint (status->severity, ==, severity);
}

/* Walks one platform through its steps, one input at a time. */
static void
check_progression (UlPlatform platform)
{
  UlStatusInputs in = { 0 };
  gboolean pbx_step = platform != UL_PLATFORM_SMBC;

  assert_status (&in, UL_STATUS_CUSTOMER_REQUIRED, UL_SEVERITY_NEXT_STEP);
  in.have_customer = TRUE;
  assert_status (&in, UL_STATUS_SITE_REQUIRED, UL_SEVERITY_NEXT_STEP);
  /* The platform alone, without a saved site, is not enough, nor the other way round. */
  in.platform = platform;
  assert_status (&in, UL_STATUS_SITE_REQUIRED, UL_SEVERITY_NEXT_STEP);
  in.platform = UL_PLATFORM_UNKNOWN;
  in.have_site = TRUE;
  assert_status (&in, UL_STATUS_SITE_REQUIRED, UL_SEVERITY_NEXT_STEP);
  in.platform = platform;

  if (pbx_step)
    {
      assert_status (&in, UL_STATUS_PBX_REQUIRED, UL_SEVERITY_NEXT_STEP);
      /* A Sync means nothing on these platforms. */
      in.synced_once = TRUE;
      assert_status (&in, UL_STATUS_PBX_REQUIRED, UL_SEVERITY_NEXT_STEP);
      in.have_pbx = TRUE;
      assert_status (&in, UL_STATUS_CONNECT_REQUIRED, UL_SEVERITY_NEXT_STEP);
      in.connected_once = TRUE;
    }
  else
    {
      /* SMBC has no PBX or Connect step. */
      in.connected_once = TRUE;
      assert_status (&in, UL_STATUS_SYNC_REQUIRED, UL_SEVERITY_NEXT_STEP);
      in.synced_once = TRUE;
    }

  assert_status (&in, UL_STATUS_OVERVIEW, UL_SEVERITY_OK);

  in.deactivated = TRUE;
  assert_status (&in, UL_STATUS_DEACTIVATED, UL_SEVERITY_ERROR);
}

static void
test_progression_standalone (void)
{
  check_progression (UL_PLATFORM_STANDALONE);
}

static void
test_progression_virtual (void)
{
  check_progression (UL_PLATFORM_VIRTUAL);
}

static void
test_progression_smbc (void)
{
  check_progression (UL_PLATFORM_SMBC);
}

static void
test_faults (void)
{
  const char *link_faults[] = {
    UL_STATUS_PBX_UNREACHABLE, UL_STATUS_PBX_AUTH_FAILED, UL_STATUS_PBX_LINK_LOST,
    UL_STATUS_PBX_LICENSE_LIMIT, UL_STATUS_DIRECTORY_FAILED, UL_STATUS_USERS_MISSING_EMAIL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (link_faults); i++)
    {
      UlStatusInputs in = { .have_customer = TRUE, .have_site = TRUE,
                            .platform = UL_PLATFORM_STANDALONE };

      in.fault = link_faults[i];
      g_test_message ("fault %s", in.fault);

      /* Before the PBX is entered there is no link to fail. */
      assert_status (&in, UL_STATUS_PBX_REQUIRED, UL_SEVERITY_NEXT_STEP);
      in.have_pbx = TRUE;
      /* It overrides the Connect step (e.g. the connection attempt failed) … */
      assert_status (&in, in.fault, UL_SEVERITY_ERROR);
      /* … and the overview. */
      in.connected_once = TRUE;
      assert_status (&in, in.fault, UL_SEVERITY_ERROR);
      in.fault = NULL;
      assert_status (&in, UL_STATUS_OVERVIEW, UL_SEVERITY_OK);

      /* SMBC: from the Sync step on. */
      in.platform = UL_PLATFORM_SMBC;
      in.have_pbx = FALSE;
      in.connected_once = FALSE;
      in.fault = link_faults[i];
      assert_status (&in, in.fault, UL_SEVERITY_ERROR);
      in.have_site = FALSE;
      assert_status (&in, UL_STATUS_SITE_REQUIRED, UL_SEVERITY_NEXT_STEP);

      /* Deactivation wins over a link fault. */
      in.have_site = TRUE;
      in.deactivated = TRUE;
      assert_status (&in, UL_STATUS_DEACTIVATED, UL_SEVERITY_ERROR);
    }
}

static void
test_gateway_faults (void)
{
  const char *faults[] = { UL_STATUS_UPDATE_IN_PROGRESS, UL_STATUS_UPDATE_FAILED,
                           UL_STATUS_GATEWAY_UNREACHABLE };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      UlStatusInputs in = { .fault = faults[i] };

      /* The gateway itself is busy or broken: that hides every step. */
      assert_status (&in, faults[i], UL_SEVERITY_ERROR);
      in.deactivated = TRUE;
      assert_status (&in, faults[i], UL_SEVERITY_ERROR);
    }
}

static void
test_fault_params (void)
{
  g_autoptr (GVariant) params = g_variant_ref_sink (g_variant_new_parsed ("{'count': <uint32 7>}"));
  UlStatusInputs in = {
    .have_customer = TRUE,
    .have_site = TRUE,
    .platform = UL_PLATFORM_SMBC,
    .synced_once = TRUE,
    .fault = UL_STATUS_USERS_MISSING_EMAIL,
    .fault_params = params,
  };
  g_autoptr (UlStatus) status = ul_status_compute (&in);
  guint32 count = 0;

  g_assert_cmpstr (status->code, ==, UL_STATUS_USERS_MISSING_EMAIL);
  g_assert_true (g_variant_lookup (status->params, "count", "u", &count));
  g_assert_cmpuint (count, ==, 7);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/common/status/codes", test_codes);
  g_test_add_func ("/uplink/common/status/new-copy-equal", test_new_copy_equal);
  g_test_add_func ("/uplink/common/status/to-variant", test_to_variant);
  g_test_add_func ("/uplink/common/status/progression-standalone", test_progression_standalone);
  g_test_add_func ("/uplink/common/status/progression-virtual", test_progression_virtual);
  g_test_add_func ("/uplink/common/status/progression-smbc", test_progression_smbc);
  g_test_add_func ("/uplink/common/status/faults", test_faults);
  g_test_add_func ("/uplink/common/status/gateway-faults", test_gateway_faults);
  g_test_add_func ("/uplink/common/status/fault-params", test_fault_params);

  return g_test_run ();
}
