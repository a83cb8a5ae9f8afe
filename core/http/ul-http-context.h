/* ul-http-context.h — one API request on its way through a handler.
 *
 * The server matches the route, authenticates and checks the permission, then hands the
 * handler a context: the decoded path parameters, checked readers for the query and the
 * JSON body, the caller for the audit log, and the reply helpers that turn a GVariant or a
 * GError into JSON with the right status. A handler that waits for an engine operation
 * calls ul_http_context_pause() and replies later; the reply resumes the message. */
#pragma once

#include <libsoup/soup.h>

#include "ul-auth-service.h"
#include "ul-engine.h"

G_BEGIN_DECLS

typedef struct _UlHttpContext UlHttpContext;

#define UL_TYPE_HTTP_CONTEXT (ul_http_context_get_type ())
GType          ul_http_context_get_type (void) G_GNUC_CONST;

/* @server is the UlHttpServer (a GObject; kept as such to avoid an include cycle). */
UlHttpContext *ul_http_context_new (SoupServerMessage *msg,
                                    GObject           *server,
                                    UlEngine          *engine,
                                    UlAuthService     *auth,
                                    UlAuthSession     *session,
                                    GPtrArray         *params,
                                    GHashTable        *query);
UlHttpContext *ul_http_context_ref (UlHttpContext *self);
void           ul_http_context_unref (UlHttpContext *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlHttpContext, ul_http_context_unref)

GObject             *ul_http_context_get_server (UlHttpContext *self);
UlEngine            *ul_http_context_get_engine (UlHttpContext *self);
UlAuthService       *ul_http_context_get_auth (UlHttpContext *self);
/* NULL on public routes. */
const UlAuthSession *ul_http_context_get_session (UlHttpContext *self);
/* Who and where, for the audit log: the account e-mail (or "anonymous") and client IP. */
const UlCaller      *ul_http_context_get_caller (UlHttpContext *self);
const char          *ul_http_context_get_peer (UlHttpContext *self);

/* The @index-th "{}" of the route pattern, percent-decoded. */
const char *ul_http_context_get_param (UlHttpContext *self, guint index);

/* A query parameter, decoded, or NULL. */
const char *ul_http_context_get_query (UlHttpContext *self, const char *key);
/* Every query parameter except those in @allowed is an error (a typo must not be ignored). */
gboolean    ul_http_context_check_query (UlHttpContext *self, const char * const *allowed,
                                         GError **error);
/* "offset" (default 0) and "limit" (default 100, at most 1000), as D-Bus paging. */
gboolean    ul_http_context_get_paging (UlHttpContext *self, guint *offset, guint *limit,
                                        GError **error);
/* A "true"/"false" query parameter; @present FALSE when absent. */
gboolean    ul_http_context_get_query_boolean (UlHttpContext *self, const char *key,
                                               gboolean *present, gboolean *value,
                                               GError **error);

/* The request body as a{sv} (a new reference; an empty body is {}). It must be
 * application/json; see ul_http_json_parse_object() for @template. */
GVariant   *ul_http_context_read_body (UlHttpContext *self, GVariant *template, GError **error);

/* Replies: JSON of @value (may be NULL: no body) with @status. */
void        ul_http_context_reply (UlHttpContext *self, guint status, GVariant *value);
/* {"items": [...], "total", "offset", "limit"}. */
void        ul_http_context_reply_page (UlHttpContext *self, GVariant *items, guint total,
                                        guint offset, guint limit);
/* {"error": {"code", "field", "message"}} with the status the code means. */
void        ul_http_context_reply_error (UlHttpContext *self, const GError *error);
/* Same, with a Retry-After header when @retry_after > 0. */
void        ul_http_context_reply_error_retry (UlHttpContext *self, const GError *error,
                                               guint retry_after);

/* The handler replies later (after an async engine call). */
void        ul_http_context_pause (UlHttpContext *self);

/* The HTTP status for an error of the UL_ERROR domain (500 for any other). */
guint       ul_http_status_for_error (const GError *error);
/* The error body; @code overrides the code string (for HTTP-level errors) when not NULL. */
char       *ul_http_error_body (const GError *error, const char *code);

G_END_DECLS
