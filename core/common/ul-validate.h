/* ul-validate.h — field-level validation rules shared by uplinkd and the dashboard.
 *
 * Each checker takes the value and the field name it will report, and on failure sets
 * UL_ERROR_INVALID_ARGUMENT with that field and a translated reason (see ul-error.h).
 * NULL or "" counts as missing for the "required" checks only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UL_PBX_USERNAME_MAX      25    /* seed: "any username that is 25 characters or less" */
#define UL_PBX_PASSWORD_MAX      255   /* seed: "any valid password that is 255 characters or less" */
#define UL_EMAIL_LOCAL_MAX       64    /* RFC 5321 §4.5.3.1.1 */
#define UL_EMAIL_MAX             254   /* RFC 5321 path limit minus the angle brackets */
#define UL_DIGITS_MAX            8     /* inbound/outbound leading digits */
#define UL_SYNC_SCHEDULE_MIN     5     /* minutes */
#define UL_SYNC_SCHEDULE_MAX     1440  /* one day */
#define UL_SYNC_SCHEDULE_DEFAULT 60
#define UL_TEXT_MAX              200   /* names, street, city … */
#define UL_DNS_SERVERS_MAX       4
#define UL_PBX_PORT_DEFAULT      7001
#define UL_EMERGENCY_NUMBERS_MAX 32

gboolean ul_validate_required   (const char *value, const char *field, GError **error);
/* Required, valid UTF-8, no control characters, at most @max characters. */
gboolean ul_validate_text       (const char *value, gsize max, const char *field, GError **error);
/* One @; local part of RFC 5322 atext and single dots, ≤ UL_EMAIL_LOCAL_MAX bytes; a domain
 * name with at least one dot (IDN allowed as UTF-8); ≤ UL_EMAIL_MAX bytes in all. */
gboolean ul_validate_email      (const char *value, const char *field, GError **error);
/* Whether two e-mail addresses name the same mailbox (case-insensitive); NULL equals NULL. */
gboolean ul_email_equal         (const char *a, const char *b);
gboolean ul_validate_port       (gint64 value, const char *field, GError **error);
/* IPv4 or IPv6 literal, or an RFC 1123 host name (IDN allowed as UTF-8). */
gboolean ul_validate_host       (const char *value, const char *field, GError **error);
gboolean ul_validate_ip_address (const char *value, const char *field, GError **error);
/* Dotted-quad IPv4 netmask with contiguous ones, /1 … /32. */
gboolean ul_validate_netmask    (const char *value, const char *field, GError **error);
/* Address and gateway usable in the netmask's network (not its network or broadcast
 * address), gateway != address; dns a non-empty list of at most UL_DNS_SERVERS_MAX distinct
 * IP addresses. Fields are reported under @prefix ("ethernet.gateway", "ethernet.dns[1]");
 * @prefix may be NULL. */
gboolean ul_validate_static_ipv4 (const char         *address,
                                  const char         *netmask,
                                  const char         *gateway,
                                  const char * const *dns,
                                  const char         *prefix,
                                  GError            **error);
/* "+" followed by 2–15 digits, the first non-zero (ITU-T E.164). Empty fails: callers
 * for which the number is optional check for "" first. */
gboolean ul_validate_e164       (const char *value, const char *field, GError **error);
/* 0–9, * and #, at most UL_DIGITS_MAX; empty allowed. */
gboolean ul_validate_digits     (const char *value, const char *field, GError **error);
gboolean ul_validate_sync_schedule (gint64 minutes, const char *field, GError **error);
/* ISO 3166-1 alpha-2 in upper case; a lower-case code fails with a reason naming the fix. */
gboolean ul_validate_country    (const char *value, const char *field, GError **error);
gboolean ul_validate_business_type (const char *value, const char *field, GError **error);
gboolean ul_validate_language   (const char *value, const char *field, GError **error);
/* "HH:MM", 00:00–23:59. */
gboolean ul_validate_time_of_day (const char *value, const char *field, GError **error);
gboolean ul_validate_weekday    (const char *value, const char *field, GError **error);

/* The fixed lists, NULL-terminated: ISO 3166-1 alpha-2 codes, business types, UI languages,
 * weekday names ("monday" … "sunday"). */
const char * const *ul_country_codes (void);
const char * const *ul_business_types (void);
const char * const *ul_languages (void);
const char * const *ul_weekdays (void);
/* Human, translated label for a business type id ("healthcare" → "Healthcare"); NULL for an
 * unknown id. */
const char *ul_business_type_label (const char *id);

G_END_DECLS
