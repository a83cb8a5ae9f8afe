/* ul-http-cert.h — the gateway's self-signed TLS certificate.
 *
 * Made once, at first start, with GnuTLS: an ECDSA P-256 key (fast handshakes on small
 * appliances) and a certificate valid for ten years. Clients do not check it against a CA;
 * they pin its SHA-256 fingerprint, which mDNS publishes (TXT "fp") and GET /api/v1/gateway
 * repeats. The key file is created 0600 and never leaves the data directory. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Loads <dir>/cert.pem and <dir>/key.pem, or, when either is missing, creates both (and
 * @dir, 0700). @common_name goes into the subject (e.g. "Uplink gateway <id>"). */
GTlsCertificate *ul_http_cert_load_or_create (const char *dir,
                                              const char *common_name,
                                              GError    **error);

/* Lower-case hex SHA-256 of the certificate's DER encoding (64 characters). */
char            *ul_http_cert_get_fingerprint (GTlsCertificate *certificate);

G_END_DECLS
