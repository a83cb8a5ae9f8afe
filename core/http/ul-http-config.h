/* ul-http-config.h — the [http] and [auth] groups of uplinkd.conf.
 *
 *   [http]
 *   listen=192.168.1.10;fe80::1%eth0   addresses to listen on (default: all)
 *   https-port=8443                    0 picks a free port (tests); -1 disables the API
 *   http-port=8080                     the plain redirector; 0 picks a free port, -1 none
 *   max-connections=256
 *   max-connections-per-peer=32
 *   handshake-timeout=10               seconds (fractions allowed) per request phase
 *   header-timeout=10
 *   body-timeout=30
 *   response-timeout=60
 *   idle-timeout=60
 *   max-body-size=65536                bytes
 *   max-websockets=32
 *
 *   [auth]
 *   token-lifetime=43200               seconds
 *   login-max-failures=5               per client address and per account …
 *   login-failure-window=300           … within this many seconds
 *   login-lockout=60                   seconds of the first lock-out, doubling up to …
 *   login-max-lockout=3600
 *   max-hashing=2                      concurrent password hashes
 *
 * Missing keys keep the defaults; a key of the wrong type or out of range is an error. */
#pragma once

#include "ul-auth-service.h"
#include "ul-http-server.h"

G_BEGIN_DECLS

/* Fills @http and @auth (already initialised with their defaults) from @keyfile. @enabled
 * gets FALSE when https-port is -1. */
gboolean ul_http_config_load (GKeyFile       *keyfile,
                              UlHttpSettings *http,
                              UlAuthSettings *auth,
                              gboolean       *enabled,
                              GError        **error);

G_END_DECLS
