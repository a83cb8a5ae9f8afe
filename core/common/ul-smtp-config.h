/* ul-smtp-config.h — the SMTP relay the deployment e-mails go through (DESIGN.md §4 Mail).
 *
 * The relay is the customer's or the partner's mail server; the gateway is a plain client
 * of it: submission with optional STARTTLS or implicit TLS, and optional AUTH. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Stable strings in brackets. */
typedef enum
{
  UL_SMTP_TLS_NONE,      /* "none": plain SMTP, for a relay on a trusted LAN only */
  UL_SMTP_TLS_STARTTLS,  /* "starttls": upgrade with STARTTLS, refuse to go on without it */
  UL_SMTP_TLS_TLS,       /* "tls": implicit TLS from the first byte (SMTPS, port 465) */
} UlSmtpTls;

#define UL_SMTP_PORT_DEFAULT  587  /* RFC 6409 submission */
#define UL_SMTP_USERNAME_MAX  255
#define UL_SMTP_PASSWORD_MAX  255

typedef struct
{
  char     *host;          /* NULL until configured */
  guint     port;          /* default UL_SMTP_PORT_DEFAULT */
  UlSmtpTls tls;           /* default starttls */
  char     *username;      /* NULL or "": no AUTH */
  char     *password;      /* write-only: never in to_variant() */
  char     *from_address;  /* envelope sender and From: */
  char     *from_name;     /* optional display name of From: (UTF-8) */
  char     *reply_to;      /* optional Reply-To: address */
} UlSmtpConfig;

#define UL_TYPE_SMTP_CONFIG (ul_smtp_config_get_type ())
GType         ul_smtp_config_get_type (void) G_GNUC_CONST;
UlSmtpConfig *ul_smtp_config_new  (void);
UlSmtpConfig *ul_smtp_config_copy (const UlSmtpConfig *self);
void          ul_smtp_config_free (UlSmtpConfig *self);
gboolean      ul_smtp_config_equal (const UlSmtpConfig *a, const UlSmtpConfig *b);
/* TRUE once a host and a From address are set: mails can be handed to the relay. */
gboolean      ul_smtp_config_is_configured (const UlSmtpConfig *self);

/* a{sv}: host, port (u), tls (s), username, passwordSet (b), fromAddress, fromName, replyTo.
 * Unset strings are left out; the password itself is never included. */
GVariant     *ul_smtp_config_to_variant (const UlSmtpConfig *self);
/* Merges the keys of @changes. "password" is write-only; an empty one removes it.
 * "passwordSet" is read-only: accepted only when it matches the result. Atomic. */
gboolean      ul_smtp_config_apply (UlSmtpConfig *self, GVariant *changes, GError **error);
/* host (IP or host name), port 1–65535, fromAddress a valid e-mail, fromName ≤ UL_TEXT_MAX
 * without control characters, replyTo empty or a valid e-mail, username and password
 * ≤ 255 characters, and a password only together with a username. */
gboolean      ul_smtp_config_validate (const UlSmtpConfig *self, GError **error);

const char   *ul_smtp_tls_to_string (UlSmtpTls value);
/* FALSE for an unknown string, leaving @out untouched. */
gboolean      ul_smtp_tls_from_string (const char *str, UlSmtpTls *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlSmtpConfig, ul_smtp_config_free)

G_END_DECLS
