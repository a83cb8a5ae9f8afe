/* ul-validate.c — field-level validation rules shared by uplinkd and the dashboard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ul-error.h"
#include "ul-validate.h"

/* ISO 3166-1 alpha-2: every officially assigned code (iso-codes 4.15, 249 codes). Exceptionally
 * or transitionally reserved codes such as UK or EU are left out on purpose: a postal address
 * needs a real country. */
static const char * const country_codes[] = {
  "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
  "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
  "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
  "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
  "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
  "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
  "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
  "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
  "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
  "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
  "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
  "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
  "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
  "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
  "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
  "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW", NULL,
};

/* Used only as statistics (seed: "Business Type menu"), so a short, stable list of ids;
 * the labels are what the dashboard shows. */
static const char * const business_type_ids[] = {
  "education",
  "finance",
  "government",
  "healthcare",
  "hospitality",
  "legal",
  "manufacturing",
  "retail",
  "technology",
  "transportation",
  "utilities",
  "non-profit",
  "professional-services",
  "real-estate",
  "other",
  NULL,
};

/* Parallel to business_type_ids. */
static const char * const business_type_labels[] = {
  NC_("business type", "Education"),
  NC_("business type", "Finance and insurance"),
  NC_("business type", "Government and public sector"),
  NC_("business type", "Healthcare"),
  NC_("business type", "Hospitality"),
  NC_("business type", "Legal"),
  NC_("business type", "Manufacturing"),
  NC_("business type", "Retail"),
  NC_("business type", "Technology"),
  NC_("business type", "Transportation and logistics"),
  NC_("business type", "Utilities"),
  NC_("business type", "Non-profit"),
  NC_("business type", "Professional services"),
  NC_("business type", "Real estate"),
  NC_("business type", "Other"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (business_type_labels) + 1 == G_N_ELEMENTS (business_type_ids));

/* The languages the deployment e-mails and the registration pages are translated to. */
static const char * const languages[] = { "en", "de", "fr", "it", "es", "nl", NULL };

static const char * const weekdays[] = {
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", NULL,
};

/* RFC 5322 atext: what an unquoted local part may hold besides dots. Quoted local parts
 * are legal but practically unused and refused by many systems, so they are not accepted. */
#define EMAIL_LOCAL_SPECIALS "!#$%&'*+-/=?^_`{|}~"

#define HOST_NAME_MAX_LEN  253
#define HOST_LABEL_MAX_LEN 63

static gboolean
invalid (const char *field, GError **error, const char *reason)
{
  ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field, "%s", reason);
  return FALSE;
}

static gboolean
is_missing (const char *value)
{
  return value == NULL || *value == '\0';
}

static gboolean
in_list (const char * const *list, const char *value)
{
  return value != NULL && g_strv_contains (list, value);
}

static char *
join_field (const char *prefix, const char *name)
{
  if (prefix == NULL || *prefix == '\0')
    return g_strdup (name);

  return g_strconcat (prefix, ".", name, NULL);
}

gboolean
ul_validate_required (const char *value, const char *field, GError **error)
{
  if (is_missing (value))
    return invalid (field, error, _("This field is required"));

  return TRUE;
}

gboolean
ul_validate_text (const char *value, gsize max, const char *field, GError **error)
{
  gboolean blank = TRUE;

  if (!ul_validate_required (value, field, error))
    return FALSE;

  if (!g_utf8_validate (value, -1, NULL))
    return invalid (field, error, _("The text is not valid UTF-8"));

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        return invalid (field, error,
                        _("Control characters such as tabs or line breaks are not allowed"));
      if (!g_unichar_isspace (c))
        blank = FALSE;
    }

  /* Only spaces reads as empty to a user. */
  if (blank)
    return invalid (field, error, _("This field is required"));

  if ((gsize) g_utf8_strlen (value, -1) > max)
    {
      /* %u, not G_GSIZE_FORMAT: xgettext cannot see through a macro in a message. */
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "Must be at most %u character long",
                                       "Must be at most %u characters long",
                                       max),
                          (guint) max);
      return FALSE;
    }

  return TRUE;
}

typedef enum
{
  HOST_NAME_OK,
  HOST_NAME_EMPTY_LABEL,
  HOST_NAME_TOO_LONG,
  HOST_NAME_LABEL_TOO_LONG,
  HOST_NAME_INVALID,
} HostNameProblem;

/* RFC 1123 host name; an internationalized name is checked in its ASCII (punycode) form,
 * which is also what the length limits apply to. @n_labels receives the number of labels. */
static HostNameProblem
check_host_name (const char *name, guint *n_labels)
{
  g_autofree char *ascii = NULL;
  g_auto (GStrv) labels = NULL;
  const char *last;

  if (*name == '.' || g_str_has_suffix (name, ".") || strstr (name, "..") != NULL)
    return HOST_NAME_EMPTY_LABEL;

  ascii = g_hostname_to_ascii (name);
  if (ascii == NULL)
    return HOST_NAME_INVALID;
  if (strlen (ascii) > HOST_NAME_MAX_LEN)
    return HOST_NAME_TOO_LONG;

  labels = g_strsplit (ascii, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      const char *label = labels[i];
      gsize len = strlen (label);

      /* IDN full stops (U+3002 …) become dots only in the ASCII form. */
      if (len == 0)
        return HOST_NAME_EMPTY_LABEL;
      if (len > HOST_LABEL_MAX_LEN)
        return HOST_NAME_LABEL_TOO_LONG;
      if (label[0] == '-' || label[len - 1] == '-')
        return HOST_NAME_INVALID;
      for (const char *p = label; *p != '\0'; p++)
        {
          if (!g_ascii_isalnum (*p) && *p != '-')
            return HOST_NAME_INVALID;
        }
    }

  /* An all-numeric top label is never a real name, and almost always a mistyped IPv4
   * address such as 192.168.1.256. */
  last = labels[g_strv_length (labels) - 1];
  if (strspn (last, "0123456789") == strlen (last))
    return HOST_NAME_INVALID;

  *n_labels = g_strv_length (labels);
  return HOST_NAME_OK;
}

static gboolean
check_email_local_part (const char *local, gsize len, const char *field, GError **error)
{
  if (len == 0)
    return invalid (field, error, _("Enter the part before the @"));

  if (len > UL_EMAIL_LOCAL_MAX)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          _("The part before the @ must be at most %d characters long"),
                          UL_EMAIL_LOCAL_MAX);
      return FALSE;
    }

  if (local[0] == '.' || local[len - 1] == '.' || g_strstr_len (local, len, "..") != NULL)
    return invalid (field, error,
                    _("The part before the @ cannot start or end with a dot "
                      "or have two dots in a row"));

  for (const char *p = local; p < local + len; p = g_utf8_next_char (p))
    {
      char bad[7] = { 0 };

      if (g_ascii_isalnum (*p) || *p == '.' || strchr (EMAIL_LOCAL_SPECIALS, *p) != NULL)
        continue;

      g_unichar_to_utf8 (g_utf8_get_char (p), bad);
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          _("The part before the @ cannot contain “%s”"), bad);
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_email_domain (const char *domain, const char *field, GError **error)
{
  guint n_labels = 0;

  if (*domain == '\0')
    return invalid (field, error, _("Enter the domain after the @, as in name@example.com"));

  switch (check_host_name (domain, &n_labels))
    {
    case HOST_NAME_OK:
      break;
    case HOST_NAME_EMPTY_LABEL:
      return invalid (field, error,
                      _("The domain after the @ cannot start or end with a dot "
                        "or have two dots in a row"));
    case HOST_NAME_TOO_LONG:
    case HOST_NAME_LABEL_TOO_LONG:
    case HOST_NAME_INVALID:
    default:
      return invalid (field, error, _("The domain after the @ is not a valid domain name"));
    }

  if (n_labels < 2)
    return invalid (field, error, _("The domain after the @ needs a dot, as in example.com"));

  return TRUE;
}

gboolean
ul_validate_email (const char *value, const char *field, GError **error)
{
  const char *at;

  if (!ul_validate_required (value, field, error))
    return FALSE;

  if (!g_utf8_validate (value, -1, NULL))
    return invalid (field, error, _("The text is not valid UTF-8"));

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        return invalid (field, error, _("An e-mail address cannot contain spaces"));
      if (g_unichar_iscntrl (c))
        return invalid (field, error, _("An e-mail address cannot contain control characters"));
    }

  at = strchr (value, '@');
  if (at == NULL)
    return invalid (field, error, _("An e-mail address needs an @, as in name@example.com"));
  if (strchr (at + 1, '@') != NULL)
    return invalid (field, error, _("An e-mail address has exactly one @"));

  /* RFC 5321 counts octets, so a UTF-8 domain counts in bytes. */
  if (strlen (value) > UL_EMAIL_MAX)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          _("An e-mail address must be at most %d characters long"), UL_EMAIL_MAX);
      return FALSE;
    }

  return check_email_local_part (value, at - value, field, error) &&
         check_email_domain (at + 1, field, error);
}

gboolean
ul_email_equal (const char *a, const char *b)
{
  g_autofree char *fold_a = NULL;
  g_autofree char *fold_b = NULL;

  if (a == NULL || b == NULL)
    return a == b;

  /* Local parts are case-sensitive in theory only; every real mail system folds them,
   * and two contacts differing in case are the same person. */
  fold_a = g_utf8_casefold (a, -1);
  fold_b = g_utf8_casefold (b, -1);
  return g_str_equal (fold_a, fold_b);
}

gboolean
ul_validate_port (gint64 value, const char *field, GError **error)
{
  if (value < 1 || value > G_MAXUINT16)
    return invalid (field, error, _("Must be a port number from 1 to 65535"));

  return TRUE;
}

static GInetAddress *
parse_ip (const char *value)
{
  if (is_missing (value))
    return NULL;

  return g_inet_address_new_from_string (value);
}

gboolean
ul_validate_ip_address (const char *value, const char *field, GError **error)
{
  g_autoptr (GInetAddress) address = NULL;

  if (!ul_validate_required (value, field, error))
    return FALSE;

  address = parse_ip (value);
  if (address == NULL)
    return invalid (field, error, _("Must be an IPv4 or IPv6 address"));

  return TRUE;
}

gboolean
ul_validate_host (const char *value, const char *field, GError **error)
{
  g_autoptr (GInetAddress) address = NULL;
  guint n_labels = 0;

  if (is_missing (value))
    return invalid (field, error, _("Enter an IP address or a host name"));

  address = parse_ip (value);
  if (address != NULL)
    return TRUE;

  if (!g_utf8_validate (value, -1, NULL))
    return invalid (field, error, _("The text is not valid UTF-8"));

  switch (check_host_name (value, &n_labels))
    {
    case HOST_NAME_OK:
      return TRUE;
    case HOST_NAME_TOO_LONG:
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          _("A host name must be at most %d characters long"), HOST_NAME_MAX_LEN);
      return FALSE;
    case HOST_NAME_LABEL_TOO_LONG:
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          _("Each part of a host name between dots must be at most "
                            "%d characters long"),
                          HOST_LABEL_MAX_LEN);
      return FALSE;
    case HOST_NAME_EMPTY_LABEL:
    case HOST_NAME_INVALID:
    default:
      return invalid (field, error, _("Not a valid IP address or host name"));
    }
}

/* The IPv4 address in host byte order, or FALSE when @value is not one. */
static gboolean
parse_ipv4 (const char *value, guint32 *out)
{
  g_autoptr (GInetAddress) address = parse_ip (value);
  guint32 be;

  if (address == NULL || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV4)
    return FALSE;

  memcpy (&be, g_inet_address_to_bytes (address), sizeof be);
  *out = GUINT32_FROM_BE (be);
  return TRUE;
}

gboolean
ul_validate_netmask (const char *value, const char *field, GError **error)
{
  guint32 mask;

  if (!ul_validate_required (value, field, error))
    return FALSE;

  if (!parse_ipv4 (value, &mask))
    return invalid (field, error, _("Must be a subnet mask such as 255.255.255.0"));

  /* Contiguous ones: the inverted mask plus one is a power of two. */
  if (mask == 0 || ((~mask + 1) & ~mask) != 0)
    return invalid (field, error,
                    _("Not a valid subnet mask: the ones must be contiguous, as in 255.255.255.0"));

  return TRUE;
}

/* Addresses a host on a LAN can never own: this-network, loopback, link-local 169.254/16
 * (it is not a static configuration), multicast and reserved/limited broadcast. */
static gboolean
is_usable_ipv4 (guint32 address)
{
  guint8 first = address >> 24;

  return first != 0 && first != 127 && (address & 0xffff0000) != 0xa9fe0000 && first < 224;
}

/* Required, an IPv4 address, and one a host may own. */
static gboolean
check_ipv4_host (const char *value, const char *field, guint32 *out, GError **error)
{
  if (!ul_validate_required (value, field, error))
    return FALSE;

  if (!parse_ipv4 (value, out))
    return invalid (field, error, _("Must be an IPv4 address such as 192.168.1.10"));

  if (!is_usable_ipv4 (*out))
    return invalid (field, error,
                    _("Must be a host address, not a loopback, link-local, multicast "
                      "or reserved one"));

  return TRUE;
}

static gboolean
check_not_network_or_broadcast (guint32 address, guint32 mask, const char *field, GError **error)
{
  guint32 host_bits = ~mask;

  /* /31 (RFC 3021) and /32 have no network or broadcast address. */
  if (host_bits <= 1)
    return TRUE;

  if ((address & host_bits) == 0)
    return invalid (field, error,
                    _("This is the network address of the subnet, not a host address"));
  if ((address & host_bits) == host_bits)
    return invalid (field, error,
                    _("This is the broadcast address of the subnet, not a host address"));

  return TRUE;
}

static gboolean
check_dns_servers (const char * const *dns, const char *prefix, GError **error)
{
  g_autofree char *field = join_field (prefix, "dns");
  guint n = dns != NULL ? g_strv_length ((GStrv) dns) : 0;

  if (n == 0)
    return invalid (field, error, _("Enter at least one DNS server"));

  if (n > UL_DNS_SERVERS_MAX)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "Enter at most %d DNS server",
                                       "Enter at most %d DNS servers",
                                       UL_DNS_SERVERS_MAX),
                          UL_DNS_SERVERS_MAX);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item = g_strdup_printf ("%s[%u]", field, i);
      g_autoptr (GInetAddress) address = NULL;

      if (!ul_validate_ip_address (dns[i], item, error))
        return FALSE;

      address = parse_ip (dns[i]);
      if (g_inet_address_get_is_any (address) || g_inet_address_get_is_multicast (address))
        return invalid (item, error, _("Must be the address of a DNS server"));

      for (guint j = 0; j < i; j++)
        {
          g_autoptr (GInetAddress) earlier = parse_ip (dns[j]);

          if (g_inet_address_equal (address, earlier))
            return invalid (item, error, _("This DNS server is already in the list"));
        }
    }

  return TRUE;
}

gboolean
ul_validate_static_ipv4 (const char         *address,
                         const char         *netmask,
                         const char         *gateway,
                         const char * const *dns,
                         const char         *prefix,
                         GError            **error)
{
  g_autofree char *address_field = join_field (prefix, "address");
  g_autofree char *netmask_field = join_field (prefix, "netmask");
  g_autofree char *gateway_field = join_field (prefix, "gateway");
  guint32 host = 0;
  guint32 mask = 0;
  guint32 router = 0;

  /* In the order of the form, each field before the checks that combine it with others. */
  if (!check_ipv4_host (address, address_field, &host, error))
    return FALSE;
  if (!ul_validate_netmask (netmask, netmask_field, error))
    return FALSE;
  parse_ipv4 (netmask, &mask);
  if (!check_not_network_or_broadcast (host, mask, address_field, error))
    return FALSE;

  if (!check_ipv4_host (gateway, gateway_field, &router, error))
    return FALSE;
  if ((router & mask) != (host & mask))
    return invalid (gateway_field, error,
                    _("The default gateway must be in the same subnet as the IP address"));
  if (router == host)
    return invalid (gateway_field, error, _("The default gateway must differ from the IP address"));
  if (!check_not_network_or_broadcast (router, mask, gateway_field, error))
    return FALSE;

  return check_dns_servers (dns, prefix, error);
}

gboolean
ul_validate_e164 (const char *value, const char *field, GError **error)
{
  gsize n_digits;

  if (is_missing (value))
    return invalid (field, error,
                    _("Enter a number in international format, such as +41441234567"));

  if (value[0] != '+')
    return invalid (field, error,
                    _("Start the number with + and the country code, such as +41441234567"));

  n_digits = strlen (value + 1);
  if (strspn (value + 1, "0123456789") != n_digits)
    return invalid (field, error, _("Use only digits after the +, without spaces or dashes"));
  if (value[1] == '0')
    return invalid (field, error, _("A country code never starts with 0"));
  if (n_digits < 2)
    return invalid (field, error, _("The number is too short"));
  if (n_digits > 15)
    return invalid (field, error, _("An international number has at most 15 digits"));

  return TRUE;
}

gboolean
ul_validate_digits (const char *value, const char *field, GError **error)
{
  if (is_missing (value))
    return TRUE;

  if (strspn (value, "0123456789*#") != strlen (value))
    return invalid (field, error, _("Use only the digits 0–9, * and #"));

  if (strlen (value) > UL_DIGITS_MAX)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "Enter at most %d digit",
                                       "Enter at most %d digits",
                                       UL_DIGITS_MAX),
                          UL_DIGITS_MAX);
      return FALSE;
    }

  return TRUE;
}

gboolean
ul_validate_sync_schedule (gint64 minutes, const char *field, GError **error)
{
  if (minutes < UL_SYNC_SCHEDULE_MIN || minutes > UL_SYNC_SCHEDULE_MAX)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          _("Must be between %d and %d minutes"),
                          UL_SYNC_SCHEDULE_MIN, UL_SYNC_SCHEDULE_MAX);
      return FALSE;
    }

  return TRUE;
}

gboolean
ul_validate_country (const char *value, const char *field, GError **error)
{
  g_autofree char *upper = NULL;

  if (is_missing (value))
    return invalid (field, error, _("Choose a country"));

  if (in_list (country_codes, value))
    return TRUE;

  /* Codes travel upper case everywhere (ISO 3166-1, the store, the dashboard), so a
   * lower-case code is refused rather than silently changed, but with the fix. */
  upper = g_ascii_strup (value, -1);
  if (in_list (country_codes, upper))
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          _("Country codes are upper case: use “%s”"), upper);
      return FALSE;
    }

  return invalid (field, error,
                  _("Must be a two-letter ISO 3166-1 country code in upper case, "
                    "such as DE or CH"));
}

gboolean
ul_validate_business_type (const char *value, const char *field, GError **error)
{
  if (is_missing (value))
    return invalid (field, error, _("Choose a business type"));

  if (!in_list (business_type_ids, value))
    return invalid (field, error, _("Not one of the business types"));

  return TRUE;
}

gboolean
ul_validate_language (const char *value, const char *field, GError **error)
{
  g_autofree char *list = NULL;

  if (is_missing (value))
    return invalid (field, error, _("Choose a language"));

  if (in_list (languages, value))
    return TRUE;

  list = g_strjoinv (", ", (GStrv) languages);
  ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                      _("Not a supported language; use one of %s"), list);
  return FALSE;
}

gboolean
ul_validate_time_of_day (const char *value, const char *field, GError **error)
{
  if (value == NULL || strlen (value) != 5 || value[2] != ':' ||
      !g_ascii_isdigit (value[0]) || !g_ascii_isdigit (value[1]) ||
      !g_ascii_isdigit (value[3]) || !g_ascii_isdigit (value[4]) ||
      (value[0] - '0') * 10 + (value[1] - '0') > 23 || value[3] > '5')
    return invalid (field, error, _("Must be a time of day from 00:00 to 23:59, as HH:MM"));

  return TRUE;
}

gboolean
ul_validate_weekday (const char *value, const char *field, GError **error)
{
  if (!in_list (weekdays, value))
    return invalid (field, error, _("Must be a weekday from monday to sunday, in lower case"));

  return TRUE;
}

const char * const *
ul_country_codes (void)
{
  return country_codes;
}

const char * const *
ul_business_types (void)
{
  return business_type_ids;
}

const char * const *
ul_languages (void)
{
  return languages;
}

const char * const *
ul_weekdays (void)
{
  return weekdays;
}

const char *
ul_business_type_label (const char *id)
{
  for (guint i = 0; id != NULL && business_type_ids[i] != NULL; i++)
    {
      if (g_str_equal (business_type_ids[i], id))
        return g_dpgettext2 (GETTEXT_PACKAGE, "business type", business_type_labels[i]);
    }

  return NULL;
}
