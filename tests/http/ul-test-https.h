/* ul-test-https.h — run the built uplinkd with its HTTPS API and talk to it like the
 * dashboard does: libsoup over TLS, the certificate pinned by its SHA-256 fingerprint. */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess     *bus;         /* a private session bus (dbus-daemon) */
  char            *bus_address;
  GDBusConnection *connection;  /* to it, for D-Bus checks (not the session singleton) */
  char            *root;        /* temporary directory holding the two below */
  char            *data_dir;
  char            *config;      /* uplinkd.conf */
  char            *log;         /* uplinkd's stderr, to check what it logs */
  char            *out;         /* uplinkd's stdout */
  GSubprocess     *process;
  guint            https_port;
  guint            http_port;
  char            *fingerprint; /* of <data_dir>/tls/cert.pem once started */
  SoupSession     *session;
} UlTestHttps;

/* A private session bus and a fresh data dir; @config_extra (may be NULL) is appended to
 * uplinkd.conf, e.g. "[auth]\ntoken-lifetime=1\n". Does not start uplinkd. */
UlTestHttps *ul_test_https_new (const char *config_extra);
void         ul_test_https_free (UlTestHttps *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlTestHttps, ul_test_https_free)

/* Starts uplinkd with free HTTPS and HTTP ports and waits (bounded) until it listens. */
void         ul_test_https_start (UlTestHttps *self);
/* SIGTERM and wait; returns the exit status. */
int          ul_test_https_stop (UlTestHttps *self);
/* TRUE while uplinkd runs. */
gboolean     ul_test_https_is_running (UlTestHttps *self);

/* One request on the shared session: @json (may be NULL) is sent as application/json.
 * Returns the status; @reply (may be NULL) gets the parsed body (NULL if none). */
guint        ul_test_https_request (UlTestHttps *self,
                                    const char  *method,
                                    const char  *path,
                                    const char  *token,
                                    const char  *json,
                                    JsonNode   **reply);
/* Same with raw bytes and content type (NULL: none), and the response headers. */
guint        ul_test_https_request_full (UlTestHttps         *self,
                                         const char          *method,
                                         const char          *path,
                                         const char          *token,
                                         const char          *content_type,
                                         GBytes              *body,
                                         SoupMessageHeaders **response_headers,
                                         JsonNode           **reply);

/* The same on another session (e.g. one bound to another local address). */
guint        ul_test_https_request_on (UlTestHttps *self,
                                       SoupSession *session,
                                       const char  *method,
                                       const char  *path,
                                       const char  *token,
                                       const char  *json,
                                       JsonNode   **reply);
/* Sends @msg on @session (made by ul_test_https_new_session()) with the pinning check. */
GBytes      *ul_test_https_send (SoupSession *session, SoupMessage *msg, GError **error);

/* A new session that pins the gateway's certificate; @local (may be NULL) binds the
 * client side, e.g. to 127.0.0.2. */
SoupSession *ul_test_https_new_session (UlTestHttps *self, const char *local);
/* https://127.0.0.1:<port><path> */
char        *ul_test_https_url (UlTestHttps *self, const char *path);

/* Claims the gateway as @email with @password (201 expected). */
void         ul_test_https_claim (UlTestHttps *self, const char *email, const char *password);
/* Logs in (200 expected); returns the token. */
char        *ul_test_https_login (UlTestHttps *self, const char *email, const char *password);

/* Asserts an error reply {"error": {code, field, message}}; @field NULL: any. */
void         ul_test_assert_error (JsonNode *reply, const char *code, const char *field);
/* Member of an object reply, or NULL. */
const char  *ul_test_json_string (JsonNode *node, const char *member);
gint64       ul_test_json_int (JsonNode *node, const char *member);
gboolean     ul_test_json_bool (JsonNode *node, const char *member);

/* Spins the default main context until @done is TRUE, failing after @timeout_ms. */
void         ul_test_https_wait (gboolean *done, guint timeout_ms);

G_END_DECLS
