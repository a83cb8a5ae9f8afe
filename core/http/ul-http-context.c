/* ul-http-context.c — one API request on its way through a handler (see the header). */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "ul-error.h"
#include "ul-http-context.h"
#include "ul-http-json.h"

#define DEFAULT_LIMIT 100
#define MAX_LIMIT     1000

struct _UlHttpContext
{
  gatomicrefcount    ref;
  SoupServerMessage *msg;
  GObject           *server;
  UlEngine          *engine;
  UlAuthService     *auth;
  UlAuthSession     *session;
  GPtrArray         *params;
  GHashTable        *query;
  char              *peer;
  char              *actor;
  UlCaller           caller;
  gboolean           paused;
  gboolean           replied;
  gboolean           disconnected;  /* the client left while we were paused */
};

G_DEFINE_BOXED_TYPE (UlHttpContext, ul_http_context, ul_http_context_ref, ul_http_context_unref)

UlHttpContext *
ul_http_context_new (SoupServerMessage *msg,
                     GObject           *server,
                     UlEngine          *engine,
                     UlAuthService     *auth,
                     UlAuthSession     *session,
                     GPtrArray         *params,
                     GHashTable        *query)
{
  UlHttpContext *self = g_new0 (UlHttpContext, 1);
  const char *host = soup_server_message_get_remote_host (msg);

  g_atomic_ref_count_init (&self->ref);
  self->msg = g_object_ref (msg);
  self->server = g_object_ref (server);
  self->engine = g_object_ref (engine);
  self->auth = g_object_ref (auth);
  self->session = session;
  self->params = params != NULL ? g_ptr_array_ref (params) : NULL;
  self->query = query != NULL ? g_hash_table_ref (query) : NULL;
  self->peer = g_strdup (host != NULL ? host : "");
  self->actor = g_strdup (session != NULL ? session->email : "anonymous");
  self->caller.actor = self->actor;
  self->caller.peer = self->peer;
  return self;
}

UlHttpContext *
ul_http_context_ref (UlHttpContext *self)
{
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

void
ul_http_context_unref (UlHttpContext *self)
{
  if (!g_atomic_ref_count_dec (&self->ref))
    return;
  /* A paused message must be answered, or its connection would hang until the timeout. */
  if (self->paused && !self->replied)
    {
      g_autoptr(GError) error = g_error_new_literal (UL_ERROR, UL_ERROR_FAILED,
                                                     _("The request could not be completed"));
      ul_http_context_reply_error (self, error);
    }
  g_signal_handlers_disconnect_by_data (self->msg, self);
  g_object_unref (self->msg);
  g_object_unref (self->server);
  g_object_unref (self->engine);
  g_object_unref (self->auth);
  g_clear_pointer (&self->session, ul_auth_session_free);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  g_clear_pointer (&self->query, g_hash_table_unref);
  g_free (self->peer);
  g_free (self->actor);
  g_free (self);
}

GObject *
ul_http_context_get_server (UlHttpContext *self)
{
  return self->server;
}

UlEngine *
ul_http_context_get_engine (UlHttpContext *self)
{
  return self->engine;
}

UlAuthService *
ul_http_context_get_auth (UlHttpContext *self)
{
  return self->auth;
}

const UlAuthSession *
ul_http_context_get_session (UlHttpContext *self)
{
  return self->session;
}

const UlCaller *
ul_http_context_get_caller (UlHttpContext *self)
{
  return &self->caller;
}

const char *
ul_http_context_get_peer (UlHttpContext *self)
{
  return self->peer;
}

const char *
ul_http_context_get_param (UlHttpContext *self, guint index)
{
  g_return_val_if_fail (self->params != NULL && index < self->params->len, NULL);
  return g_ptr_array_index (self->params, index);
}

const char *
ul_http_context_get_query (UlHttpContext *self, const char *key)
{
  return self->query != NULL ? g_hash_table_lookup (self->query, key) : NULL;
}

gboolean
ul_http_context_check_query (UlHttpContext *self, const char * const *allowed, GError **error)
{
  GHashTableIter iter;
  const char *key;

  if (self->query == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, self->query);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (allowed == NULL || !g_strv_contains (allowed, key))
      {
        ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, key, "%s",
                            _("Unknown query parameter"));
        return FALSE;
      }
  return TRUE;
}

static gboolean
query_uint (UlHttpContext *self, const char *key, guint min, guint max, guint *out,
            GError **error)
{
  const char *text = ul_http_context_get_query (self, key);
  guint64 value;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, key,
                          _("Must be a whole number from %u to %u"), min, max);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

gboolean
ul_http_context_get_paging (UlHttpContext *self, guint *offset, guint *limit, GError **error)
{
  *offset = 0;
  *limit = DEFAULT_LIMIT;
  return query_uint (self, "offset", 0, G_MAXINT32, offset, error)
         && query_uint (self, "limit", 1, MAX_LIMIT, limit, error);
}

gboolean
ul_http_context_get_query_boolean (UlHttpContext *self,
                                   const char    *key,
                                   gboolean      *present,
                                   gboolean      *value,
                                   GError       **error)
{
  const char *text = ul_http_context_get_query (self, key);

  *present = text != NULL;
  *value = FALSE;
  if (text == NULL)
    return TRUE;
  if (g_str_equal (text, "true") || g_str_equal (text, "false"))
    {
      *value = g_str_equal (text, "true");
      return TRUE;
    }
  ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, key, "%s", _("Must be true or false"));
  return FALSE;
}

GVariant *
ul_http_context_read_body (UlHttpContext *self, GVariant *template, GError **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (self->msg);
  SoupMessageBody *body = soup_server_message_get_request_body (self->msg);
  g_autoptr(GBytes) bytes = NULL;
  const char *content_type;
  GVariant *value;

  bytes = soup_message_body_flatten (body);
  if (g_bytes_get_size (bytes) == 0)
    return g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0));

  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (g_strcmp0 (content_type, "application/json") != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The body must be JSON (Content-Type: application/json)"));
      return NULL;
    }
  value = ul_http_json_parse_object (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                     template, error);
  return value != NULL ? g_variant_ref_sink (value) : NULL;
}

static void
on_disconnected (SoupServerMessage *msg, gpointer user_data)
{
  UlHttpContext *self = user_data;

  self->disconnected = TRUE;
}

void
ul_http_context_pause (UlHttpContext *self)
{
  if (self->paused)
    return;
  self->paused = TRUE;
  /* A client may leave before the engine answers; libsoup then must not be resumed. */
  g_signal_connect (self->msg, "disconnected", G_CALLBACK (on_disconnected), self);
  soup_server_message_pause (self->msg);
}

static void
set_body (UlHttpContext *self, guint status, GString *json)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (self->msg);

  /* Responses carry account data: never cache them anywhere. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_status (self->msg, status, NULL);
  if (json != NULL)
    {
      gsize length = json->len;
      soup_server_message_set_response (self->msg, "application/json", SOUP_MEMORY_TAKE,
                                        g_string_free (json, FALSE), length);
    }
  self->replied = TRUE;
  if (self->paused)
    {
      self->paused = FALSE;
      g_signal_handlers_disconnect_by_data (self->msg, self);
      if (!self->disconnected)
        soup_server_message_unpause (self->msg);
    }
}

void
ul_http_context_reply (UlHttpContext *self, guint status, GVariant *value)
{
  GString *json = NULL;
  g_autoptr(GVariant) owned = value != NULL ? g_variant_ref_sink (value) : NULL;

  if (owned != NULL)
    {
      json = g_string_sized_new (512);
      ul_http_json_append_variant (json, owned);
    }
  set_body (self, status, json);
}

void
ul_http_context_reply_page (UlHttpContext *self, GVariant *items, guint total, guint offset,
                            guint limit)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (items);
  GString *json = g_string_sized_new (4096);

  g_string_append (json, "{\"items\":");
  ul_http_json_append_variant (json, owned);
  g_string_append_printf (json, ",\"total\":%u,\"offset\":%u,\"limit\":%u}", total, offset, limit);
  set_body (self, SOUP_STATUS_OK, json);
}

guint
ul_http_status_for_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    return SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE;
  if (error->domain != UL_ERROR)
    return SOUP_STATUS_INTERNAL_SERVER_ERROR;
  switch ((UlErrorCode) error->code)
    {
    case UL_ERROR_INVALID_ARGUMENT:
    case UL_ERROR_CONFIRMATION_REQUIRED:
      return SOUP_STATUS_BAD_REQUEST;
    case UL_ERROR_NOT_FOUND:
      return SOUP_STATUS_NOT_FOUND;
    case UL_ERROR_WRONG_STATE:
      return SOUP_STATUS_CONFLICT;
    case UL_ERROR_UNAUTHORIZED:
      return SOUP_STATUS_UNAUTHORIZED;
    case UL_ERROR_PERMISSION_DENIED:
      return SOUP_STATUS_FORBIDDEN;
    case UL_ERROR_RATE_LIMITED:
      return 429 /* Too Many Requests: not in libsoup 3.2 */;
    case UL_ERROR_BUSY:
      return SOUP_STATUS_SERVICE_UNAVAILABLE;
    case UL_ERROR_TIMED_OUT:
      return SOUP_STATUS_GATEWAY_TIMEOUT;
    case UL_ERROR_LINK_USED:
    case UL_ERROR_LINK_EXPIRED:
      return SOUP_STATUS_GONE;
    case UL_ERROR_PBX_UNREACHABLE:
    case UL_ERROR_PBX_REFUSED:
    case UL_ERROR_PBX_AUTH_FAILED:
    case UL_ERROR_PBX_PROTOCOL:
    case UL_ERROR_PBX_LICENSE_LIMIT:
    case UL_ERROR_DIRECTORY_FAILED:
    case UL_ERROR_MAIL_FAILED:
      return SOUP_STATUS_BAD_GATEWAY;
    case UL_ERROR_FAILED:
    case UL_ERROR_STORAGE:
    case UL_ERROR_UPDATE_FAILED:
    default:
      return SOUP_STATUS_INTERNAL_SERVER_ERROR;
    }
}

char *
ul_http_error_body (const GError *error, const char *code)
{
  g_autofree char *field = ul_error_get_field (error);
  g_autofree char *reason = ul_error_get_reason (error);
  GString *json = g_string_sized_new (256);

  if (code == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        code = "unsupported-media-type";
      else if (error->domain == UL_ERROR)
        code = ul_error_code_to_string ((UlErrorCode) error->code);
      else
        code = "failed";
    }
  g_string_append (json, "{\"error\":{\"code\":");
  ul_http_json_append_string (json, code != NULL ? code : "failed");
  g_string_append (json, ",\"field\":");
  if (field != NULL)
    ul_http_json_append_string (json, field);
  else
    g_string_append (json, "null");
  g_string_append (json, ",\"message\":");
  ul_http_json_append_string (json, g_utf8_validate (reason, -1, NULL) ? reason : "");
  g_string_append (json, "}}");
  return g_string_free (json, FALSE);
}

void
ul_http_context_reply_error_retry (UlHttpContext *self, const GError *error, guint retry_after)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (self->msg);
  guint status = ul_http_status_for_error (error);
  g_autofree char *body = ul_http_error_body (error, NULL);
  GString *json = g_string_new (body);

  if (status == SOUP_STATUS_INTERNAL_SERVER_ERROR)
    g_warning ("request failed: %s", error->message);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (headers, "WWW-Authenticate", "Bearer realm=\"uplink\"");
  if (retry_after > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", retry_after);
      soup_message_headers_replace (headers, "Retry-After", seconds);
    }
  set_body (self, status, json);
}

void
ul_http_context_reply_error (UlHttpContext *self, const GError *error)
{
  ul_http_context_reply_error_retry (self, error, 0);
}
