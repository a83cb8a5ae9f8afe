/* ul-smtp-error.h — what went wrong with the SMTP relay, in words a partner can act on.
 *
 * libcurl reports a failed transfer as one code and a terse English line. The SMTP client
 * collects everything else that tells the cases apart (the socket error, the server's last
 * reply and the command it answered, whether the server offered AUTH, the certificate and
 * GnuTLS's verdict on it) into an UlSmtpOutcome; this module turns that into one specific,
 * translated sentence: which host and port, what failed, and what to change. */
#pragma once

#include <curl/curl.h>
#include <glib.h>

#include "ul-smtp-config.h"

G_BEGIN_DECLS

typedef struct
{
  const UlSmtpConfig    *config;
  const char            *ca_file;        /* [mail] ca-file, or NULL: the system store */
  const char            *recipient;
  CURLcode               result;
  const char            *curl_error;     /* curl's error buffer; may be "" */
  long                   os_errno;       /* CURLINFO_OS_ERRNO */
  long                   verify_result;  /* CURLINFO_SSL_VERIFYRESULT */
  gboolean               connected;      /* the TCP connection was established */
  const char            *last_reply;     /* the server's last reply line, or NULL */
  const char            *reply_command;  /* the command it answered ("MAIL"), NULL: greeting */
  long                   reply_code;     /* its code, 0 without a reply */
  gboolean               auth_offered;   /* the last EHLO listed AUTH */
  struct curl_certinfo  *certinfo;       /* the server's chain (CURLINFO_CERTINFO), or NULL */
} UlSmtpOutcome;

/* The translated message for a failed transfer. */
char     *ul_smtp_error_describe (const UlSmtpOutcome *outcome);

/* Checks that @path can serve as the CA bundle of the relay: an absolute path to a
 * readable regular file holding at least one PEM certificate, all of them valid PEM. The
 * error (UL_ERROR_INVALID_ARGUMENT) says which of these is wrong, without a field name. */
gboolean  ul_smtp_check_ca_file (const char *path, GError **error);

G_END_DECLS
