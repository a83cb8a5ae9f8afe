/* ul-http-guard.h — the connection layer in front of libsoup's server.
 *
 * libsoup's server does not defend itself (its documentation says so): it accepts every
 * connection, waits forever for headers and bodies, and reads any body size. UlHttpGuard
 * owns the listening sockets instead. It refuses connections over the total and per-peer
 * caps before any TLS work, runs the TLS handshake itself under a timeout, and only then
 * hands the stream to libsoup (soup_server_accept_iostream). It then follows each request
 * through libsoup's signals and closes connections that stay too long in one phase
 * (handshake, headers, body, response, idle keep-alive), and answers an oversized body
 * with 413 as soon as the headers announce it or the stream exceeds it, without reading
 * the rest. The plain-HTTP listener goes through the same layer and only redirects. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  guint max_connections;           /* open connections in total; default 256 */
  guint max_connections_per_peer;  /* per client address; default 32 */
  guint handshake_timeout_ms;      /* accept → TLS handshake done; default 10 s */
  guint header_timeout_ms;         /* first byte (or a new connection) → headers; default 10 s */
  guint body_timeout_ms;           /* headers → whole body; default 30 s */
  guint response_timeout_ms;       /* body → response written; default 60 s */
  guint idle_timeout_ms;           /* between requests on a kept-alive connection; default 60 s */
  gsize max_body_size;             /* bytes; default 64 KiB */
} UlHttpLimits;

void ul_http_limits_init (UlHttpLimits *limits);

#define UL_TYPE_HTTP_GUARD (ul_http_guard_get_type ())
G_DECLARE_FINAL_TYPE (UlHttpGuard, ul_http_guard, UL, HTTP_GUARD, GObject)

/* @certificate is used for the TLS listeners. */
UlHttpGuard *ul_http_guard_new (SoupServer            *server,
                                GTlsCertificate       *certificate,
                                const UlHttpLimits    *limits);

/* Listens on @port (0: a free one) of each of @addresses (NULL or empty: every address,
 * IPv4 and IPv6). @tls FALSE makes a plain-HTTP listener that redirects every request to
 * the HTTPS port (ul_http_guard_set_https_port()). @bound_port gets the port in use. */
gboolean ul_http_guard_listen (UlHttpGuard        *self,
                               const char * const *addresses,
                               guint               port,
                               gboolean            tls,
                               guint              *bound_port,
                               GError            **error);
void     ul_http_guard_set_https_port (UlHttpGuard *self, guint port);

/* Stops listening and closes every connection. */
void     ul_http_guard_stop (UlHttpGuard *self);

/* Answers @msg at once with @status, an optional Location and a JSON body, and closes the
 * connection, without reading the rest of the request. */
void     ul_http_guard_reject (UlHttpGuard       *self,
                               SoupServerMessage *msg,
                               guint              status,
                               const char        *location,
                               const char        *json_body);

/* The connection of @msg became a WebSocket: HTTP phase timeouts no longer apply. */
void     ul_http_guard_mark_websocket (UlHttpGuard *self, SoupServerMessage *msg);

guint    ul_http_guard_get_n_connections (UlHttpGuard *self);

G_END_DECLS
