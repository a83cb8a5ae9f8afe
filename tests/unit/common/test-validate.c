/* test-validate.c — every field rule of ul-validate.h, good, bad and boundary cases. */
#include "config.h"

#include <string.h>

#include "ul-test-common.h"
#include "ul-validate.h"

typedef gboolean (*Validator) (const char *value, const char *field, GError **error);

/* Test values include invalid UTF-8, which must not reach the TAP output. */
static char *
printable (const char *value)
{
  return value != NULL ? g_strescape (value, NULL) : g_strdup ("(null)");
}

static void
assert_good (Validator validate, const char *value)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *shown = printable (value);

  g_test_message ("good: “%s”", shown);
  if (!validate (value, "field", &error))
    g_error ("“%s” refused: %s", shown, error->message);
}

static void
assert_bad (Validator validate, const char *value)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *shown = printable (value);

  g_test_message ("bad: “%s”", shown);
  g_assert_false (validate (value, "field", &error));
  ul_assert_field_error (error, "field");
}

static void
assert_all (Validator validate, const char * const *good, gsize n_good, const char * const *bad,
            gsize n_bad)
{
  for (gsize i = 0; i < n_good; i++)
    assert_good (validate, good[i]);
  for (gsize i = 0; i < n_bad; i++)
    assert_bad (validate, bad[i]);
}

#define ASSERT_ALL(validate, good, bad) \
  assert_all ((validate), (good), G_N_ELEMENTS (good), (bad), G_N_ELEMENTS (bad))

static void
test_required (void)
{
  const char *good[] = { "x", " " };
  const char *bad[] = { NULL, "" };

  ASSERT_ALL (ul_validate_required, good, bad);
}

static gboolean
validate_text_25 (const char *value, const char *field, GError **error)
{
  return ul_validate_text (value, 25, field, error);
}

static void
test_text (void)
{
  g_autofree char *ascii_25 = ul_test_repeat ("a", 25);
  g_autofree char *ascii_26 = ul_test_repeat ("a", 26);
  /* 25 two-byte characters are 50 bytes: the limit counts characters. */
  g_autofree char *umlaut_25 = ul_test_repeat ("ü", 25);
  g_autofree char *umlaut_26 = ul_test_repeat ("ü", 26);
  g_autofree char *emoji_25 = ul_test_repeat ("☎", 25);
  const char *good[] = {
    "Acme AG", "Zürich Nord", "a", ascii_25, umlaut_25, emoji_25, " padded ",
  };
  const char *bad[] = { NULL, "", "   ", ascii_26, umlaut_26, "tab\there", "line\nbreak", "nul\x7f",
                        "bad \xff utf8", "c1\xc2\x85" };

  ASSERT_ALL (validate_text_25, good, bad);
}

/* "<local>@<domain>" with a local part of @local bytes and a total of @total bytes. */
static char *
make_email (gsize local, gsize total)
{
  GString *s = g_string_new (NULL);
  gsize domain = total - local - 1 - strlen (".com");

  for (gsize i = 0; i < local; i++)
    g_string_append_c (s, 'l');
  g_string_append_c (s, '@');
  /* Labels of at most 63 bytes joined by dots, then ".com". */
  for (gsize i = 0; i < domain; i++)
    g_string_append_c (s, (i % 64) == 63 ? '.' : 'd');
  g_string_append (s, ".com");
  g_assert_cmpuint (s->len, ==, total);
  return g_string_free (s, FALSE);
}

static void
test_email (void)
{
  g_autofree char *local_64 = make_email (64, 100);
  g_autofree char *local_65 = make_email (65, 100);
  g_autofree char *total_254 = make_email (64, 254);
  g_autofree char *total_255 = make_email (64, 255);
  g_autofree char *x_63 = ul_test_repeat ("x", 63);
  g_autofree char *x_64 = ul_test_repeat ("x", 64);
  g_autofree char *label_63 = g_strconcat ("a@", x_63, ".com", NULL);
  g_autofree char *label_64 = g_strconcat ("a@", x_64, ".com", NULL);
  const char *good[] = {
    "a@example.com",
    "first.last@example.com",
    "first.last+tag@sub.example.co.uk",
    "o'brien@example.ie",
    "UPPER@EXAMPLE.COM",
    "!#$%&'*+-/=?^_`{|}~@example.com",
    "user@bücher.de",           /* IDN domain in UTF-8 … */
    "user@xn--bcher-kva.de",    /* … and in its ASCII form */
    "user@münchen.bayern",
    "user@a-b.example",
    "1234@123.example",
    local_64,
    total_254,
    label_63,
  };
  const char *bad[] = {
    NULL,
    "",
    "plain",
    "a@@example.com",
    "a@b@example.com",
    "@example.com",
    "a@",
    "a@example",
    "a@.example.com",
    "a@example.com.",
    "a@example..com",
    ".a@example.com",
    "a.@example.com",
    "a..b@example.com",
    "a b@example.com",
    " a@example.com",
    "a@example.com ",
    "a@exa mple.com",
    "a\x01@example.com",
    "a\t@example.com",
    "\"quoted\"@example.com",
    "a(comment)@example.com",
    "a,b@example.com",
    "ü@example.com",            /* UTF-8 local parts (SMTPUTF8) are not accepted */
    "a@-example.com",
    "a@example-.com",
    "a@exa_mple.com",
    "a@1.2.3.4",
    "a@[192.168.1.1]",
    "a@example.123",
    "bad\xff@example.com",
    local_65,
    total_255,
    label_64,
  };

  ASSERT_ALL (ul_validate_email, good, bad);
}

static void
test_email_equal (void)
{
  g_assert_true (ul_email_equal ("Anna@Example.com", "anna@example.COM"));
  g_assert_true (ul_email_equal ("user@BÜCHER.de", "user@bücher.de"));
  g_assert_false (ul_email_equal ("anna@example.com", "anna@example.org"));
  g_assert_false (ul_email_equal ("anna@example.com", NULL));
  g_assert_true (ul_email_equal (NULL, NULL));
}

static void
test_port (void)
{
  const gint64 good[] = { 1, 7001, 65535 };
  const gint64 bad[] = { 0, -1, 65536, G_MAXINT64, G_MININT64 };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (ul_validate_port (good[i], "port", NULL));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (ul_validate_port (bad[i], "port", &error));
      ul_assert_field_error (error, "port");
    }
}

/* A host name of exactly @len bytes from 63-byte labels. */
static char *
make_host (gsize len)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    g_string_append_c (s, (i % 64) == 63 ? '.' : 'h');
  return g_string_free (s, FALSE);
}

static void
test_host (void)
{
  g_autofree char *host_253 = make_host (253);
  g_autofree char *host_254 = make_host (254);
  g_autofree char *h_64 = ul_test_repeat ("h", 64);
  g_autofree char *label_64 = g_strconcat (h_64, ".example", NULL);
  const char *good[] = {
    "192.168.1.10",
    "10.0.0.1",
    "::1",
    "fe80::1",
    "2001:db8::7001",
    "::ffff:192.168.1.10",
    "pbx",
    "pbx.example.com",
    "PBX-1.Example.COM",
    "1pbx.example.com",
    "bücher.de",
    "xn--bcher-kva.de",
    host_253,
  };
  const char *bad[] = {
    NULL,
    "",
    "pbx_1",
    "-pbx",
    "pbx-",
    "pbx..example",
    ".pbx",
    "pbx.",
    "1.2.3",
    "192.168.1.256",
    "010.0.0.1",
    "1234",
    "a b",
    "pbx:7001",
    "http://pbx",
    "[::1]",
    "pbx\n",
    label_64,
    host_254,
  };

  ASSERT_ALL (ul_validate_host, good, bad);
}

static void
test_ip_address (void)
{
  const char *good[] = { "10.0.0.1", "255.255.255.255", "::", "2001:db8::1" };
  const char *bad[] = { NULL, "", "10.0.0", "10.0.0.1.2", "010.0.0.1", "10.0.0.1 ", "host",
                        "2001:db8:::1", "fe80::1%eth0" };

  ASSERT_ALL (ul_validate_ip_address, good, bad);
}

static void
test_netmask (void)
{
  const char *good[] = { "255.255.255.0", "255.255.255.255", "255.255.255.254", "255.255.252.0",
                         "128.0.0.0", "255.0.0.0" };
  const char *bad[] = { NULL, "", "0.0.0.0", "255.0.255.0", "255.255.255.1", "0.255.255.255",
                        "255.255.253.0", "24", "/24", "255.255.255", "ffff:ffff::" };

  ASSERT_ALL (ul_validate_netmask, good, bad);
}

typedef struct
{
  const char *address;
  const char *netmask;
  const char *gateway;
  const char *dns[6];
  const char *field;  /* NULL: valid */
} StaticCase;

/* A valid configuration to vary one field at a time. */
#define HOST   "192.168.1.10"
#define MASK   "255.255.255.0"
#define ROUTER "192.168.1.1"
#define DNS    { "192.168.1.1", NULL }

static void
test_static_ipv4 (void)
{
  const StaticCase cases[] = {
    { HOST, MASK, ROUTER, DNS, NULL },
    { HOST, MASK, ROUTER, { "9.9.9.9", "2620:fe::fe", NULL }, NULL },
    { "10.1.2.3", "255.0.0.0", "10.255.255.254",
      { "10.0.0.53", "10.0.0.54", "10.0.0.55", "10.0.0.56", NULL }, NULL },
    /* /31: both addresses are hosts (RFC 3021). */
    { "10.0.0.0", "255.255.255.254", "10.0.0.1", { "10.0.0.1", NULL }, NULL },
    { "172.16.5.1", "255.255.252.0", "172.16.4.1", { "172.16.4.1", NULL }, NULL },

    { NULL, MASK, ROUTER, DNS, "ethernet.address" },
    { "", MASK, ROUTER, DNS, "ethernet.address" },
    { "192.168.1", MASK, ROUTER, DNS, "ethernet.address" },
    { "fd00::10", MASK, ROUTER, DNS, "ethernet.address" },
    { "127.0.0.1", "255.0.0.0", "127.0.0.2", DNS, "ethernet.address" },
    { "224.0.0.5", "255.255.255.0", "224.0.0.1", DNS, "ethernet.address" },
    { "169.254.1.1", "255.255.0.0", "169.254.1.2", DNS, "ethernet.address" },
    { "0.1.2.3", "255.255.255.0", "0.1.2.1", DNS, "ethernet.address" },
    /* The network and broadcast addresses of the subnet. */
    { "192.168.1.0", MASK, ROUTER, DNS, "ethernet.address" },
    { "192.168.1.255", MASK, ROUTER, DNS, "ethernet.address" },
    { "172.16.7.255", "255.255.252.0", "172.16.4.1", { "172.16.4.1", NULL }, "ethernet.address" },

    { HOST, NULL, ROUTER, DNS, "ethernet.netmask" },
    { HOST, "255.255.0.255", ROUTER, DNS, "ethernet.netmask" },
    { HOST, "0.0.0.0", ROUTER, DNS, "ethernet.netmask" },

    { HOST, MASK, NULL, DNS, "ethernet.gateway" },
    { HOST, MASK, "192.168.2.1", DNS, "ethernet.gateway" },
    { HOST, MASK, "192.168.1.10", DNS, "ethernet.gateway" },
    { HOST, MASK, "192.168.1.255", DNS, "ethernet.gateway" },
    { HOST, MASK, "192.168.1.0", DNS, "ethernet.gateway" },
    { HOST, MASK, "fe80::1", DNS, "ethernet.gateway" },
    /* /32 leaves no room for a gateway. */
    { HOST, "255.255.255.255", ROUTER, DNS, "ethernet.gateway" },

    { HOST, MASK, ROUTER, { NULL }, "ethernet.dns" },
    { HOST, MASK, ROUTER, { "dns.example.com", NULL }, "ethernet.dns[0]" },
    { HOST, MASK, ROUTER, { "9.9.9.9", "9.9.9", NULL }, "ethernet.dns[1]" },
    { HOST, MASK, ROUTER, { "9.9.9.9", "", NULL }, "ethernet.dns[1]" },
    { HOST, MASK, ROUTER, { "0.0.0.0", NULL }, "ethernet.dns[0]" },
    { HOST, MASK, ROUTER, { "9.9.9.9", "9.9.9.9", NULL }, "ethernet.dns[1]" },
    { HOST, MASK, ROUTER, { "1.1.1.1", "1.0.0.1", "8.8.8.8", "8.8.4.4", "9.9.9.9", NULL },
      "ethernet.dns" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const StaticCase *c = &cases[i];
      g_autoptr (GError) error = NULL;
      gboolean ok;

      g_test_message ("case %u: %s/%s via %s", i, c->address, c->netmask, c->gateway);
      ok = ul_validate_static_ipv4 (c->address, c->netmask, c->gateway, c->dns, "ethernet", &error);
      if (c->field == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          ul_assert_field_error (error, c->field);
        }
    }
}

static void
test_static_ipv4_no_prefix (void)
{
  const char *dns[] = { "192.168.1.1", NULL };
  g_autoptr (GError) error = NULL;

  g_assert_false (ul_validate_static_ipv4 ("192.168.1.10", "255.255.255.0", "10.0.0.1", dns, NULL,
                                           &error));
  ul_assert_field_error (error, "gateway");
  g_clear_error (&error);

  g_assert_false (ul_validate_static_ipv4 ("192.168.1.10", "255.255.255.0", "192.168.1.1", NULL,
                                           NULL, &error));
  ul_assert_field_error (error, "dns");
}

static void
test_e164 (void)
{
  const char *good[] = { "+41441234567", "+12", "+123456789012345", "+4930901820" };
  const char *bad[] = {
    NULL, "", "41441234567", "0041441234567", "+041441234567", "+", "+1", "+1234567890123456",
    "+41 44 123 45 67", "+41-44-1234567", "+4144123456a", "++41441234567", "+41441234567 ",
  };

  ASSERT_ALL (ul_validate_e164, good, bad);
}

static void
test_digits (void)
{
  const char *good[] = { NULL, "", "0", "9", "*", "#", "*#9", "12345678", "**##" };
  const char *bad[] = { "123456789", "12a", " 1", "1 ", "+1", "-", "１" };

  ASSERT_ALL (ul_validate_digits, good, bad);
}

static void
test_sync_schedule (void)
{
  const gint64 good[] = { UL_SYNC_SCHEDULE_MIN, UL_SYNC_SCHEDULE_DEFAULT, UL_SYNC_SCHEDULE_MAX };
  const gint64 bad[] = { UL_SYNC_SCHEDULE_MIN - 1, UL_SYNC_SCHEDULE_MAX + 1, 0, -60 };

  g_assert_cmpint (UL_SYNC_SCHEDULE_MIN, ==, 5);
  g_assert_cmpint (UL_SYNC_SCHEDULE_MAX, ==, 1440);

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (ul_validate_sync_schedule (good[i], "syncSchedule", NULL));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (ul_validate_sync_schedule (bad[i], "syncSchedule", &error));
      ul_assert_field_error (error, "syncSchedule");
    }
}

static void
test_country (void)
{
  const char *good[] = { "DE", "CH", "AT", "US", "GB", "SS", "BQ", "AX" };
  const char *bad[] = { NULL, "", "de", "Ch", "XX", "UK", "EU", "D", "DEU", "D1", " DE" };
  const char * const *codes = ul_country_codes ();
  g_autoptr (GError) error = NULL;
  g_autofree char *reason = NULL;

  ASSERT_ALL (ul_validate_country, good, bad);

  /* Every officially assigned code, upper case, sorted, no repeats. */
  g_assert_cmpuint (g_strv_length ((GStrv) codes), ==, 249);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_assert_cmpuint (strlen (codes[i]), ==, 2);
      g_assert_true (g_ascii_isupper (codes[i][0]) && g_ascii_isupper (codes[i][1]));
      if (i > 0)
        g_assert_cmpint (strcmp (codes[i - 1], codes[i]), <, 0);
    }

  /* A lower-case code is refused with the fix in the reason. */
  g_assert_false (ul_validate_country ("ch", "address.country", &error));
  ul_assert_field_error (error, "address.country");
  reason = ul_error_get_reason (error);
  g_assert_nonnull (strstr (reason, "CH"));
}

static void
test_business_type (void)
{
  const char * const *types = ul_business_types ();
  const char *expected[] = {
    "education", "finance", "government", "healthcare", "hospitality", "legal", "manufacturing",
    "retail", "technology", "transportation", "utilities", "non-profit", "professional-services",
    "real-estate", "other",
  };
  const char *bad[] = { NULL, "", "Healthcare", "banking", "other " };

  g_assert_cmpuint (g_strv_length ((GStrv) types), >=, 15);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_true (g_strv_contains (types, expected[i]));
      assert_good (ul_validate_business_type, expected[i]);
    }
  for (guint i = 0; types[i] != NULL; i++)
    {
      const char *label = ul_business_type_label (types[i]);

      g_assert_nonnull (label);
      g_assert_cmpstr (label, !=, "");
      g_assert_cmpstr (label, !=, types[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_bad (ul_validate_business_type, bad[i]);

  g_assert_cmpstr (ul_business_type_label ("healthcare"), ==, "Healthcare");
  g_assert_null (ul_business_type_label ("banking"));
  g_assert_null (ul_business_type_label (NULL));
}

static void
test_language (void)
{
  const char *good[] = { "en", "de", "fr", "it", "es", "nl" };
  const char *bad[] = { NULL, "", "EN", "en-US", "en_GB", "xx", "german" };
  g_autoptr (GError) error = NULL;
  g_autofree char *reason = NULL;

  ASSERT_ALL (ul_validate_language, good, bad);
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (g_strv_contains (ul_languages (), good[i]));

  /* The reason lists what is accepted. */
  g_assert_false (ul_validate_language ("xx", "language", &error));
  reason = ul_error_get_reason (error);
  g_assert_nonnull (strstr (reason, "de"));
}

static void
test_time_of_day (void)
{
  const char *good[] = { "00:00", "02:00", "12:30", "23:59", "19:05" };
  const char *bad[] = { NULL, "", "24:00", "12:60", "1:00", "12:5", "12-00", "12:00:00", "ab:cd",
                        " 2:00", "2:00 ", "-1:00", "99:99" };

  ASSERT_ALL (ul_validate_time_of_day, good, bad);
}

static void
test_weekday (void)
{
  const char * const *days = ul_weekdays ();
  const char *bad[] = { NULL, "", "Monday", "mon", "MONDAY", "funday" };

  g_assert_cmpuint (g_strv_length ((GStrv) days), ==, 7);
  g_assert_cmpstr (days[0], ==, "monday");
  g_assert_cmpstr (days[6], ==, "sunday");
  for (guint i = 0; days[i] != NULL; i++)
    assert_good (ul_validate_weekday, days[i]);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_bad (ul_validate_weekday, bad[i]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/common/validate/required", test_required);
  g_test_add_func ("/uplink/common/validate/text", test_text);
  g_test_add_func ("/uplink/common/validate/email", test_email);
  g_test_add_func ("/uplink/common/validate/email-equal", test_email_equal);
  g_test_add_func ("/uplink/common/validate/port", test_port);
  g_test_add_func ("/uplink/common/validate/host", test_host);
  g_test_add_func ("/uplink/common/validate/ip-address", test_ip_address);
  g_test_add_func ("/uplink/common/validate/netmask", test_netmask);
  g_test_add_func ("/uplink/common/validate/static-ipv4", test_static_ipv4);
  g_test_add_func ("/uplink/common/validate/static-ipv4-no-prefix", test_static_ipv4_no_prefix);
  g_test_add_func ("/uplink/common/validate/e164", test_e164);
  g_test_add_func ("/uplink/common/validate/digits", test_digits);
  g_test_add_func ("/uplink/common/validate/sync-schedule", test_sync_schedule);
  g_test_add_func ("/uplink/common/validate/country", test_country);
  g_test_add_func ("/uplink/common/validate/business-type", test_business_type);
  g_test_add_func ("/uplink/common/validate/language", test_language);
  g_test_add_func ("/uplink/common/validate/time-of-day", test_time_of_day);
  g_test_add_func ("/uplink/common/validate/weekday", test_weekday);

  return g_test_run ();
}
