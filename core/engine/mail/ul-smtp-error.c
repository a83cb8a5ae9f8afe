/* ul-smtp-error.c — SMTP failures as messages a partner can act on; the CA bundle check.
 *
 * Certificate verdicts come from CURLINFO_SSL_VERIFYRESULT, which the GnuTLS backend of
 * libcurl (the one Debian's libcurl4-gnutls-dev builds against) fills with the status bits
 * of gnutls_certificate_verify_peers2(); the certificate itself, from CURLINFO_CERTINFO,
 * gives the names and dates to quote. libcurl checks the chain before the host name, so a
 * trusted chain with a failed verification is a name mismatch.
 */
#define G_LOG_DOMAIN "uplink-mail"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "ul-error.h"
#include "ul-smtp-error.h"

#define MAX_NAMES    6    /* certificate names quoted in a mismatch */
#define MAX_SAN      64   /* alternative names looked at */
#define MAX_CA_BYTES (16 * 1024 * 1024)

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)

/* Certificate fields are the server's to choose: only printable ASCII reaches a message. */
static char *
printable (const char *text, gsize length)
{
  char *copy = g_strndup (text, length);

  for (char *p = copy; *p != '\0'; p++)
    {
      if (!g_ascii_isprint (*p))
        *p = '?';
    }
  return copy;
}

static gboolean
is_gnutls_backend (void)
{
  const curl_version_info_data *info = curl_version_info (CURLVERSION_NOW);

  return info->ssl_version != NULL && g_str_has_prefix (info->ssl_version, "GnuTLS");
}

/* The server's own certificate, the first of the chain; NULL when curl gave none. */
static gnutls_x509_crt_t
leaf_certificate (struct curl_certinfo *certinfo)
{
  if (certinfo == NULL || certinfo->num_of_certs < 1)
    return NULL;
  for (struct curl_slist *item = certinfo->certinfo[0]; item != NULL; item = item->next)
    {
      gnutls_x509_crt_t crt = NULL;
      gnutls_datum_t pem;

      if (!g_str_has_prefix (item->data, "Cert:"))
        continue;
      pem.data = (unsigned char *) item->data + strlen ("Cert:");
      pem.size = strlen ((const char *) pem.data);
      if (gnutls_x509_crt_init (&crt) < 0)
        return NULL;
      if (gnutls_x509_crt_import (crt, &pem, GNUTLS_X509_FMT_PEM) < 0)
        {
          gnutls_x509_crt_deinit (crt);
          return NULL;
        }
      return crt;
    }
  return NULL;
}

/* The DNS names and addresses the certificate is for, else its common name. */
static char *
certificate_names (gnutls_x509_crt_t crt)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gboolean more = FALSE;
  char buffer[256];
  size_t size;

  for (guint i = 0; i < MAX_SAN; i++)
    {
      int type;

      size = sizeof buffer;
      type = gnutls_x509_crt_get_subject_alt_name (crt, i, buffer, &size, NULL);
      if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (type != GNUTLS_SAN_DNSNAME
          && !(type == GNUTLS_SAN_IPADDRESS && (size == 4 || size == 16)))
        continue;
      if (names->len == MAX_NAMES)
        {
          more = TRUE;
          break;
        }
      if (type == GNUTLS_SAN_DNSNAME)
        g_ptr_array_add (names, printable (buffer, size));
      else
        {
          g_autoptr(GInetAddress) address =
            g_inet_address_new_from_bytes ((const guint8 *) buffer,
                                           size == 4 ? G_SOCKET_FAMILY_IPV4
                                                     : G_SOCKET_FAMILY_IPV6);
          g_ptr_array_add (names, g_inet_address_to_string (address));
        }
    }
  /* Without alternative names, clients fall back to the common name. */
  size = sizeof buffer;
  if (names->len == 0
      && gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buffer, &size)
           == 0)
    g_ptr_array_add (names, printable (buffer, size));
  if (names->len == 0)
    return g_strdup (_("no name at all"));
  if (more)
    g_ptr_array_add (names, g_strdup ("…"));
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

static char *
issuer_name (gnutls_x509_crt_t crt)
{
  char buffer[512];
  size_t size = sizeof buffer;

  if (gnutls_x509_crt_get_issuer_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buffer,
                                            &size) == 0)
    return printable (buffer, size);
  size = sizeof buffer;
  if (gnutls_x509_crt_get_issuer_dn (crt, buffer, &size) == 0)
    return printable (buffer, size);
  return g_strdup ("?");
}

static char *
format_time (time_t when)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (when);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M UTC") : g_strdup ("?");
}

static char *
describe_untrusted (const UlSmtpOutcome *outcome, gnutls_x509_crt_t leaf)
{
  const char *host = outcome->config->host;
  g_autofree char *issuer = issuer_name (leaf);

  /* A certificate that names itself as its issuer. */
  if (gnutls_x509_crt_check_issuer (leaf, leaf) == 1)
    return g_strdup_printf (_("The certificate of the mail server %s is self-signed, and the "
                              "gateway does not trust it: install a certificate from a trusted "
                              "CA on the server, or put this certificate into the file that "
                              "[mail] ca-file of uplinkd.conf names"),
                            host);
  if (outcome->ca_file != NULL)
    return g_strdup_printf (_("The certificate of the mail server %s was issued by “%s”, which "
                              "is not in %s ([mail] ca-file): add the certificate of that CA "
                              "to the file"),
                            host, issuer, outcome->ca_file);
  return g_strdup_printf (_("The certificate of the mail server %s was issued by “%s”, a CA "
                            "that the gateway does not trust: for a private CA, set [mail] "
                            "ca-file in uplinkd.conf to the certificate of that CA"),
                          host, issuer);
}

static char *
describe_certificate (const UlSmtpOutcome *outcome, const char *detail)
{
  const char *host = outcome->config->host;
  g_auto(gnutls_x509_crt_t) leaf = leaf_certificate (outcome->certinfo);
  unsigned int status = (unsigned int) outcome->verify_result;
  time_t now = (time_t) (g_get_real_time () / G_USEC_PER_SEC);
  gnutls_datum_t text = { NULL, 0 };
  g_autofree char *reasons = NULL;

  if (leaf == NULL || !is_gnutls_backend ())
    return g_strdup_printf (_("The certificate of the mail server %s is not trusted: %s"), host,
                            detail);

  if (status == 0 && !gnutls_x509_crt_check_hostname (leaf, host))
    {
      g_autofree char *names = certificate_names (leaf);

      return g_strdup_printf (_("The certificate of the mail server is for %s, not for %s: "
                                "set the host to a name that the certificate covers, or "
                                "install a certificate for %s on the server"),
                              names, host, host);
    }
  if ((status & GNUTLS_CERT_EXPIRED) != 0)
    {
      time_t expired = gnutls_x509_crt_get_expiration_time (leaf);
      g_autofree char *date = format_time (expired);

      if (expired != (time_t) -1 && expired < now)
        return g_strdup_printf (_("The certificate of the mail server %s expired on %s: renew "
                                  "it on the server"),
                                host, date);
      return g_strdup_printf (_("A CA certificate in the chain of the mail server %s has "
                                "expired: renew the chain on the server"),
                              host);
    }
  if ((status & GNUTLS_CERT_NOT_ACTIVATED) != 0)
    {
      g_autofree char *date = format_time (gnutls_x509_crt_get_activation_time (leaf));

      return g_strdup_printf (_("The certificate of the mail server %s is not valid before %s: "
                                "check the clocks of the gateway and of the server"),
                              host, date);
    }
  if ((status & GNUTLS_CERT_SIGNER_NOT_FOUND) != 0)
    return describe_untrusted (outcome, leaf);

  if (status != 0
      && gnutls_certificate_verification_status_print (status, GNUTLS_CRT_X509, &text, 0) == 0)
    {
      reasons = printable ((const char *) text.data, text.size);
      gnutls_free (text.data);
    }
  return g_strdup_printf (_("The certificate of the mail server %s is not trusted: %s"), host,
                          reasons != NULL ? reasons : detail);
}

static char *
describe_connect (const UlSmtpOutcome *outcome, const char *detail)
{
  const char *host = outcome->config->host;
  guint port = outcome->config->port;

  switch (outcome->os_errno)
    {
    case ECONNREFUSED:
      return g_strdup_printf (_("The mail server %s refused the connection on port %u: is an "
                                "SMTP service listening on that port?"),
                              host, port);
    case ENETUNREACH:
    case EHOSTUNREACH:
      return g_strdup_printf (_("The mail server %s (port %u) cannot be reached from the "
                                "gateway (%s): check the address, and the gateway's network "
                                "route to it"),
                              host, port, g_strerror ((int) outcome->os_errno));
    case ETIMEDOUT:
      return g_strdup_printf (_("The mail server %s did not answer the connection on port %u: "
                                "check the address, and whether a firewall drops the "
                                "connection"),
                              host, port);
    default:
      return g_strdup_printf (_("Cannot connect to the mail server %s on port %u: %s"), host,
                              port, detail);
    }
}

static gboolean
command_is (const UlSmtpOutcome *outcome, const char *command)
{
  return outcome->reply_command != NULL
         && g_ascii_strcasecmp (outcome->reply_command, command) == 0;
}

/* A 4xx or 5xx reply, quoted: what the server objected to decides the sentence. */
static char *
describe_refusal (const UlSmtpOutcome *outcome)
{
  const UlSmtpConfig *config = outcome->config;
  const char *reply = outcome->last_reply;
  gboolean has_username = config->username != NULL && *config->username != '\0';

  /* RFC 3207 §4 and RFC 4954 §6 both use 530: "Must issue a STARTTLS command first" and
   * "Authentication required". */
  if (outcome->reply_code == 530 && strstr (reply, "STARTTLS") != NULL)
    return g_strdup_printf (_("The mail server accepts mail only after STARTTLS: choose "
                              "STARTTLS as the security mode. The server said: %s"),
                            reply);
  if (outcome->reply_code == 530 && !has_username)
    return g_strdup_printf (_("The mail server requires a login (AUTH): enter the username "
                              "and password of an account on it. The server said: %s"),
                            reply);
  if (outcome->reply_code == 530 && !outcome->auth_offered)
    return g_strdup_printf (_("The mail server requires a login but offers none on this "
                              "connection (many servers offer AUTH only with STARTTLS or "
                              "TLS). The server said: %s"),
                            reply);
  if (command_is (outcome, "AUTH"))
    return g_strdup_printf (_("The mail server refused the login of user “%s”: %s"),
                            config->username, reply);
  if (command_is (outcome, "STARTTLS"))
    return g_strdup_printf (_("The mail server refused STARTTLS: %s"), reply);
  if (command_is (outcome, "MAIL"))
    return g_strdup_printf (_("The mail server refused the sender address %s: %s"),
                            config->from_address, reply);
  if (command_is (outcome, "RCPT"))
    return g_strdup_printf (_("The mail server refused the recipient %s: %s"),
                            outcome->recipient, reply);
  if (command_is (outcome, "DATA"))
    return g_strdup_printf (_("The mail server refused the message: %s"), reply);
  return g_strdup_printf (_("The mail server %s refused the session: %s"), config->host, reply);
}

char *
ul_smtp_error_describe (const UlSmtpOutcome *outcome)
{
  const UlSmtpConfig *config = outcome->config;
  const char *host = config->host;
  guint port = config->port;
  const char *detail = outcome->curl_error != NULL && *outcome->curl_error != '\0'
                         ? outcome->curl_error
                         : curl_easy_strerror (outcome->result);

  switch (outcome->result)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
      return g_strdup_printf (_("The mail server %s (port %u) cannot be found: its name does "
                                "not resolve (DNS). Check the host name, and the gateway's DNS "
                                "servers"),
                              host, port);
    case CURLE_COULDNT_CONNECT:
      return describe_connect (outcome, detail);
    case CURLE_OPERATION_TIMEDOUT:
      if (!outcome->connected)
        return g_strdup_printf (_("The mail server %s did not answer the connection on port "
                                  "%u: check the address, and whether a firewall drops the "
                                  "connection"),
                                host, port);
      if (outcome->last_reply == NULL && config->tls != UL_SMTP_TLS_TLS)
        return g_strdup_printf (_("The mail server %s accepted the connection on port %u but "
                                  "sent no greeting: if that port expects TLS from the first "
                                  "byte (usually 465), choose TLS as the security mode"),
                                host, port);
      return g_strdup_printf (_("The mail server %s stopped answering: %s"), host, detail);
    case CURLE_SSL_CONNECT_ERROR:
      if (config->tls == UL_SMTP_TLS_TLS && outcome->last_reply == NULL)
        return g_strdup_printf (_("The TLS handshake with the mail server %s on port %u "
                                  "failed (%s): if that port expects STARTTLS (usually 587) "
                                  "or plain SMTP (25), choose that security mode"),
                                host, port, detail);
      return g_strdup_printf (_("The TLS handshake with the mail server %s on port %u failed: "
                                "%s"),
                              host, port, detail);
    case CURLE_PEER_FAILED_VERIFICATION:
      return describe_certificate (outcome, detail);
    case CURLE_SSL_CACERT_BADFILE:
      if (outcome->ca_file != NULL)
        return g_strdup_printf (_("The gateway cannot load the CA certificates of %s ([mail] "
                                  "ca-file): %s"),
                                outcome->ca_file, detail);
      return g_strdup_printf (_("The gateway cannot load the system's trusted certificates "
                                "(install the ca-certificates package, or set [mail] ca-file "
                                "in uplinkd.conf): %s"),
                              detail);
    case CURLE_USE_SSL_FAILED:
      if (command_is (outcome, "STARTTLS") && outcome->reply_code >= 400)
        return g_strdup_printf (_("The mail server refused STARTTLS: %s"), outcome->last_reply);
      return g_strdup_printf (_("The mail server %s does not offer STARTTLS, which the security "
                                "mode requires, so nothing was sent: enable STARTTLS on the "
                                "server, use TLS on its TLS port (usually 465), or choose None "
                                "only for a relay on a trusted LAN"),
                              host);
    case CURLE_LOGIN_DENIED:
      if (outcome->reply_code >= 400)
        break;
      return g_strdup_printf (_("The mail server %s offers no login method that the gateway "
                                "supports: %s"),
                              host, detail);
    default:
      break;
    }
  if (outcome->reply_code >= 400 && outcome->last_reply != NULL)
    return describe_refusal (outcome);
  return g_strdup_printf (_("Cannot deliver to the mail server: %s"), detail);
}

gboolean
ul_smtp_check_ca_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gnutls_x509_crt_t *certificates = NULL;
  unsigned int count = 0;
  gnutls_datum_t pem;
  gsize length = 0;
  GStatBuf info;
  int ret;

  if (!g_path_is_absolute (path))
    {
      g_set_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an absolute path"), path);
      return FALSE;
    }
  if (g_stat (path, &info) != 0)
    {
      int saved = errno;

      g_set_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT, _("Cannot read %s: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (info.st_mode))
    {
      g_set_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT, _("%s is not a regular file"),
                   path);
      return FALSE;
    }
  /* A CA bundle is a few hundred kilobytes; anything this big is a wrong path. */
  if (info.st_size > MAX_CA_BYTES)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT,
                   _("%s is larger than 16 MiB: not a CA bundle"), path);
      return FALSE;
    }
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT, _("Cannot read %s: %s"), path,
                   local_error->message);
      return FALSE;
    }
  if (strstr (contents, "-----BEGIN CERTIFICATE-----") == NULL)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT,
                   _("%s holds no PEM certificate (“-----BEGIN CERTIFICATE-----”)"), path);
      return FALSE;
    }
  pem.data = (unsigned char *) contents;
  pem.size = (unsigned int) length;
  ret = gnutls_x509_crt_list_import2 (&certificates, &count, &pem, GNUTLS_X509_FMT_PEM, 0);
  if (ret < 0)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT,
                   _("%s is not a valid PEM certificate file: %s"), path, gnutls_strerror (ret));
      return FALSE;
    }
  for (unsigned int i = 0; i < count; i++)
    gnutls_x509_crt_deinit (certificates[i]);
  gnutls_free (certificates);
  return TRUE;
}
