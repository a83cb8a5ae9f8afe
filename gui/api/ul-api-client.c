/* ul-api-client.c — one gateway's HTTPS+JSON API, with certificate pinning.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "ul-api-client.h"
#include "ul-api-error.h"
#include "ul-error.h"
#include "ul-json.h"

#define API_PREFIX       "/api/v1"
/* Connect and Sync wait for the PBX and the directory; the rest answers at once. */
#define CALL_TIMEOUT_S   90
#define PROBE_TIMEOUT_S  5
#define MAX_REPLY_SIZE   UL_JSON_MAX_SIZE

typedef enum
{
  ARG_NONE,   /* the path is complete */
  ARG_PATH,   /* "%s" in the path takes @arg, escaped segment by segment ("a/b" is two) */
  ARG_QUERY,  /* @arg is the query string */
} ArgKind;

/* The routes, one row per operation: the only place that knows the URL layout (core/http,
 * DESIGN.md §6). A 404 on a route that is not "absent_ok" means the gateway does not have
 * the route (an older uplinkd); on the others it means the record was never saved. */
static const struct
{
  UlApiOp     op;
  const char *method;
  const char *path;
  ArgKind     arg;
  gboolean    body_as_query;  /* DELETE carries its options in the query */
  gboolean    absent_ok;
} routes[] = {
  { UL_API_OP_GET_GATEWAY, "GET", "/gateway", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_GET_STATUS, "GET", "/status", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_CLAIM, "POST", "/claim", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_LOGIN, "POST", "/login", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_LOGOUT, "POST", "/logout", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_GET_CUSTOMER, "GET", "/customer", ARG_NONE, FALSE, TRUE },
  { UL_API_OP_UPDATE_CUSTOMER, "PATCH", "/customer", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_ADD_ADMIN_CONTACT, "POST", "/customer/admin-contacts", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_REMOVE_ADMIN_CONTACT, "DELETE", "/customer/admin-contacts/%s", ARG_PATH, TRUE,
    TRUE },
  { UL_API_OP_ADD_SUPPORT_CONTACT, "POST", "/customer/support-contacts", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_REMOVE_SUPPORT_CONTACT, "DELETE", "/customer/support-contacts/%s", ARG_PATH, TRUE,
    TRUE },
  { UL_API_OP_DEACTIVATE, "POST", "/customer/deactivate", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_GET_SITE, "GET", "/site", ARG_NONE, FALSE, TRUE },
  { UL_API_OP_UPDATE_SITE, "PATCH", "/site", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_GET_PBX, "GET", "/pbx", ARG_NONE, FALSE, TRUE },
  { UL_API_OP_UPDATE_PBX, "PATCH", "/pbx", ARG_NONE, FALSE, FALSE },
  /* Not in core/http yet (the D-Bus Pbx and Users interfaces have them): these rows are
   * the whole client side of each; the pages already use them. */
  { UL_API_OP_GET_DIRECTORY, "GET", "/directory", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_UPDATE_DIRECTORY, "PATCH", "/directory", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_CONNECT, "POST", "/pbx/connect", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_SYNC, "POST", "/pbx/sync", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_GET_LINK, "GET", "/pbx/link", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_LIST_USERS, "GET", "/users", ARG_QUERY, FALSE, FALSE },
  { UL_API_OP_GET_ADVANCED, "GET", "/advanced", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_UPDATE_ADVANCED, "PATCH", "/advanced", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_GET_SMTP, "GET", "/smtp", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_UPDATE_SMTP, "PATCH", "/smtp", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_SEND_TEST_MAIL, "POST", "/smtp/test", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_GET_MAIL_SETTINGS, "GET", "/deployment/settings", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_UPDATE_MAIL_SETTINGS, "PATCH", "/deployment/settings", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_SEND_DEPLOYMENT_EMAILS, "POST", "/deployment/emails", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_RESEND_DEPLOYMENT_EMAILS, "POST", "/deployment/resend", ARG_NONE, FALSE, FALSE },
  { UL_API_OP_LIST_DELIVERIES, "GET", "/deployment/deliveries", ARG_NONE, FALSE, FALSE },
  /* 404: no mail was sent to this user (or it left the directory). */
  { UL_API_OP_GET_DELIVERY, "GET", "/deployment/deliveries/%s", ARG_PATH, FALSE, TRUE },
  { UL_API_OP_LIST_REGISTERED_USERS, "GET", "/registered-users", ARG_NONE, FALSE, FALSE },
};

struct _UlApiClient
{
  GObject parent_instance;

  char *host;
  guint port;
  char *pinned;     /* normalized, or NULL */
  char *announced;  /* normalized, or NULL */
  char *peer;       /* what the gateway last presented */
  char *token;

  SoupSession *session;        /* API calls */
  SoupSession *probe_session;  /* short timeout: liveness and first contact */

  SoupWebsocketConnection *events;
  GCancellable            *events_cancellable;
};

G_DEFINE_FINAL_TYPE (UlApiClient, ul_api_client, G_TYPE_OBJECT)

enum
{
  SIGNAL_EVENT,
  SIGNAL_EVENTS_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Why the last certificate was refused, keyed on the message, so the failed request can
 * report it instead of a bare TLS error. */
#define REFUSAL_KEY "ul-api-refusal"
#define ALLOW_UNPINNED_KEY "ul-api-allow-unpinned"
/* Set on messages whose 404 can only mean "no such route". */
#define ROUTE_REQUIRED_KEY "ul-api-route-required"

char *
ul_api_normalize_fingerprint (const char *text)
{
  GString *hex;
  const char *p;

  if (text == NULL)
    return NULL;

  p = text;
  if (g_ascii_strncasecmp (p, "sha256:", 7) == 0)
    p += 7;
  else if (g_ascii_strncasecmp (p, "sha-256:", 8) == 0)
    p += 8;

  hex = g_string_new (NULL);
  for (; *p != '\0'; p++)
    {
      if (g_ascii_isxdigit (*p))
        g_string_append_c (hex, g_ascii_tolower (*p));
      else if (*p != ':' && *p != ' ' && *p != '-')
        {
          g_string_free (hex, TRUE);
          return NULL;
        }
    }

  if (hex->len != 64)
    {
      g_string_free (hex, TRUE);
      return NULL;
    }
  return g_string_free (hex, FALSE);
}

char *
ul_api_format_fingerprint (const char *fingerprint)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; fingerprint != NULL && fingerprint[i] != '\0'; i += 2)
    {
      if (i > 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (fingerprint[i]));
      if (fingerprint[i + 1] != '\0')
        g_string_append_c (out, g_ascii_toupper (fingerprint[i + 1]));
      else
        break;
    }
  return g_string_free (out, FALSE);
}

static char *
certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

/* The session trusts no CA (its TLS database is NULL), so every connection comes here
 * and the pin, not a CA, decides. */
static gboolean
on_accept_certificate (SoupMessage         *message,
                       GTlsCertificate     *certificate,
                       GTlsCertificateFlags errors,
                       gpointer             user_data)
{
  UlApiClient *self = UL_API_CLIENT (user_data);
  g_autofree char *fingerprint = certificate_fingerprint (certificate);
  const char *expected;

  g_free (self->peer);
  self->peer = g_strdup (fingerprint);
  if (fingerprint == NULL)
    return FALSE;

  expected = self->pinned != NULL ? self->pinned : self->announced;
  if (expected != NULL)
    {
      if (g_str_equal (expected, fingerprint))
        return TRUE;

      g_object_set_data (G_OBJECT (message), REFUSAL_KEY,
                         GINT_TO_POINTER (self->pinned != NULL
                                            ? UL_API_ERROR_CERTIFICATE_CHANGED + 1
                                            : UL_API_ERROR_CERTIFICATE_MISMATCH + 1));
      g_message ("Gateway %s:%u presented certificate %s, expected %s: refused",
                 self->host, self->port, fingerprint, expected);
      return FALSE;
    }

  /* Nobody vouched for this certificate yet: only a probe, which carries no secret,
   * may go ahead, so that the partner can compare the fingerprint. */
  return g_object_get_data (G_OBJECT (message), ALLOW_UNPINNED_KEY) != NULL;
}

static SoupSession *
make_session (UlApiClient *self, guint timeout)
{
  SoupSession *session = soup_session_new_with_options ("timeout", timeout,
                                                        "idle-timeout", 60,
                                                        "max-conns-per-host", 4,
                                                        NULL);

  soup_session_set_tls_database (session, NULL);
  soup_session_set_accept_language_auto (session, TRUE);
  soup_session_set_user_agent (session, "uplink-dashboard/" PACKAGE_VERSION);
  return session;
}

static void
ul_api_client_dispose (GObject *object)
{
  UlApiClient *self = UL_API_CLIENT (object);

  ul_api_client_stop_events (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  if (self->probe_session != NULL)
    soup_session_abort (self->probe_session);
  g_clear_object (&self->session);
  g_clear_object (&self->probe_session);

  G_OBJECT_CLASS (ul_api_client_parent_class)->dispose (object);
}

static void
ul_api_client_finalize (GObject *object)
{
  UlApiClient *self = UL_API_CLIENT (object);

  g_free (self->host);
  g_free (self->pinned);
  g_free (self->announced);
  g_free (self->peer);
  g_free (self->token);

  G_OBJECT_CLASS (ul_api_client_parent_class)->finalize (object);
}

static void
ul_api_client_class_init (UlApiClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ul_api_client_dispose;
  object_class->finalize = ul_api_client_finalize;

  signals[SIGNAL_EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING,
                                        G_TYPE_VARIANT);
  signals[SIGNAL_EVENTS_CLOSED] = g_signal_new ("events-closed", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 0);
}

static void
ul_api_client_init (UlApiClient *self)
{
  self->session = make_session (self, CALL_TIMEOUT_S);
  self->probe_session = make_session (self, PROBE_TIMEOUT_S);
}

UlApiClient *
ul_api_client_new (const char *host, guint port)
{
  UlApiClient *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port > 0 && port <= 65535, NULL);

  self = g_object_new (UL_TYPE_API_CLIENT, NULL);
  self->host = g_strdup (host);
  self->port = port;
  return self;
}

const char *
ul_api_client_get_host (UlApiClient *self)
{
  g_return_val_if_fail (UL_IS_API_CLIENT (self), NULL);
  return self->host;
}

guint
ul_api_client_get_port (UlApiClient *self)
{
  g_return_val_if_fail (UL_IS_API_CLIENT (self), 0);
  return self->port;
}

void
ul_api_client_set_pinned_fingerprint (UlApiClient *self, const char *fingerprint)
{
  g_return_if_fail (UL_IS_API_CLIENT (self));

  g_free (self->pinned);
  self->pinned = ul_api_normalize_fingerprint (fingerprint);
}

const char *
ul_api_client_get_pinned_fingerprint (UlApiClient *self)
{
  g_return_val_if_fail (UL_IS_API_CLIENT (self), NULL);
  return self->pinned;
}

void
ul_api_client_set_announced_fingerprint (UlApiClient *self, const char *fingerprint)
{
  g_return_if_fail (UL_IS_API_CLIENT (self));

  g_free (self->announced);
  self->announced = ul_api_normalize_fingerprint (fingerprint);
}

const char *
ul_api_client_get_announced_fingerprint (UlApiClient *self)
{
  g_return_val_if_fail (UL_IS_API_CLIENT (self), NULL);
  return self->announced;
}

const char *
ul_api_client_get_peer_fingerprint (UlApiClient *self)
{
  g_return_val_if_fail (UL_IS_API_CLIENT (self), NULL);
  return self->peer;
}

void
ul_api_client_set_token (UlApiClient *self, const char *token)
{
  g_return_if_fail (UL_IS_API_CLIENT (self));

  g_free (self->token);
  self->token = g_strdup (token);
}

gboolean
ul_api_client_has_token (UlApiClient *self)
{
  g_return_val_if_fail (UL_IS_API_CLIENT (self), FALSE);
  return self->token != NULL;
}

/* ---- requests ---- */

static char *
escape_segments (const char *arg)
{
  g_auto(GStrv) parts = g_strsplit (arg, "/", 2);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *escaped = g_uri_escape_string (parts[i], NULL, FALSE);

      if (i > 0)
        g_string_append_c (out, '/');
      g_string_append (out, escaped);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
body_to_query (GVariant *body)
{
  g_autoptr(GString) query = g_string_new (NULL);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, body);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_autofree char *text = g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
                                ? g_variant_dup_string (value, NULL)
                                : g_variant_print (value, FALSE);
      g_autofree char *escaped = g_uri_escape_string (text, NULL, FALSE);

      g_string_append_printf (query, "%s%s=%s", query->len > 0 ? "&" : "", key, escaped);
      g_variant_unref (value);
    }
  return g_string_free (g_steal_pointer (&query), FALSE);
}

static SoupMessage *
build_message (UlApiClient *self, UlApiOp op, const char *arg, GVariant *body, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  g_autoptr(GUri) uri = NULL;
  SoupMessage *message;
  guint row = G_N_ELEMENTS (routes);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (routes[i].op == op)
      row = i;
  g_return_val_if_fail (row < G_N_ELEMENTS (routes), NULL);

  if (routes[row].arg == ARG_PATH)
    {
      g_autofree char *segment = escape_segments (arg != NULL ? arg : "");
      g_autofree char *format = g_strconcat (API_PREFIX, routes[row].path, NULL);

      path = g_strdup_printf (format, segment);
    }
  else
    path = g_strconcat (API_PREFIX, routes[row].path, NULL);

  if (routes[row].arg == ARG_QUERY && arg != NULL && *arg != '\0')
    query = g_strdup (arg);
  if (routes[row].body_as_query && body != NULL)
    query = body_to_query (body);

  uri = g_uri_build (G_URI_FLAGS_ENCODED, "https", NULL, self->host, (int) self->port, path,
                     query, NULL);
  message = soup_message_new_from_uri (routes[row].method, uri);
  if (message == NULL)
    {
      g_set_error (error, UL_API_ERROR, UL_API_ERROR_UNREACHABLE,
                   _("“%s” is not a usable gateway address"), self->host);
      return NULL;
    }

  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept",
                                "application/json");
  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", auth);
    }

  if (body != NULL && !routes[row].body_as_query)
    {
      g_autofree char *json = ul_json_from_variant (body);
      gsize len = strlen (json);

      soup_message_set_request_body_from_bytes (message, "application/json",
                                                g_bytes_new_take (g_steal_pointer (&json), len));
    }
  else if (g_str_equal (routes[row].method, "POST"))
    soup_message_set_request_body_from_bytes (message, "application/json",
                                              g_bytes_new_static ("{}", 2));

  g_signal_connect_object (message, "accept-certificate", G_CALLBACK (on_accept_certificate),
                           self, 0);
  if (!routes[row].absent_ok)
    g_object_set_data (G_OBJECT (message), ROUTE_REQUIRED_KEY, GINT_TO_POINTER (TRUE));
  return message;
}

/* {"error": {"code", "field", "message"}} → UL_ERROR with "<field>: <message>", the form
 * ul_error_get_field() reads; anything else by its HTTP status. */
static void
set_reply_error (GError **error, SoupMessage *message, GVariant *reply)
{
  g_autoptr(GVariant) body = ul_json_lookup_dict (reply, "error");
  guint status = soup_message_get_status (message);
  const char *code_str = ul_json_lookup_string (body, "code", NULL);
  const char *field = ul_json_lookup_string (body, "field", NULL);
  const char *text = ul_json_lookup_string (body, "message", NULL);
  UlErrorCode code = UL_ERROR_FAILED;

  if ((status == SOUP_STATUS_NOT_FOUND &&
       g_object_get_data (G_OBJECT (message), ROUTE_REQUIRED_KEY) != NULL) ||
      status == SOUP_STATUS_METHOD_NOT_ALLOWED || status == SOUP_STATUS_NOT_IMPLEMENTED)
    {
      g_set_error (error, UL_API_ERROR, UL_API_ERROR_NOT_SUPPORTED,
                   _("This gateway does not offer this yet (HTTP %u): update it"), status);
      return;
    }

  if (body == NULL || text == NULL)
    {
      if (status == SOUP_STATUS_UNAUTHORIZED)
        g_set_error (error, UL_ERROR, UL_ERROR_UNAUTHORIZED, _("Sign in to this gateway"));
      else
        g_set_error (error, UL_API_ERROR, UL_API_ERROR_PROTOCOL,
                     _("The gateway answered HTTP %u %s"), status,
                     soup_message_get_reason_phrase (message));
      return;
    }

  if (code_str == NULL || !ul_error_code_from_string (code_str, &code))
    code = status == SOUP_STATUS_UNAUTHORIZED ? UL_ERROR_UNAUTHORIZED : UL_ERROR_FAILED;

  if (field != NULL && *field != '\0' && !g_str_has_prefix (text, field))
    ul_set_field_error (error, code, field, "%s", text);
  else
    g_set_error_literal (error, UL_ERROR, code, text);
}

typedef struct
{
  SoupMessage *message;
  SoupSession *session;
} CallData;

static void
call_data_free (CallData *data)
{
  g_clear_object (&data->message);
  g_clear_object (&data->session);
  g_free (data);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  UlApiClient *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GVariant) reply = NULL;
  gpointer refusal;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  refusal = g_object_get_data (G_OBJECT (data->message), REFUSAL_KEY);
  if (refusal != NULL)
    {
      g_autofree char *seen = ul_api_format_fingerprint (self->peer);

      if (GPOINTER_TO_INT (refusal) - 1 == UL_API_ERROR_CERTIFICATE_CHANGED)
        g_task_return_new_error (task, UL_API_ERROR, UL_API_ERROR_CERTIFICATE_CHANGED,
                                 _("The gateway at %s presented a different certificate "
                                   "than the one pinned when it was first added (now %s). "
                                   "Someone may be impersonating it, or it was reset. "
                                   "Nothing was sent."),
                                 self->host, seen);
      else
        g_task_return_new_error (task, UL_API_ERROR, UL_API_ERROR_CERTIFICATE_MISMATCH,
                                 _("The gateway at %s presented a certificate (%s) that is "
                                   "not the one it announces on the network. Nothing was "
                                   "sent."),
                                 self->host, seen);
      return;
    }

  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, UL_API_ERROR, UL_API_ERROR_UNREACHABLE,
                                 _("No answer from the gateway at %s: %s"), self->host,
                                 error->message);
      return;
    }

  status = soup_message_get_status (data->message);
  if (g_bytes_get_size (bytes) > 0)
    {
      g_autoptr(GError) parse_error = NULL;

      reply = ul_json_parse (bytes, &parse_error);
      if (reply == NULL && SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          g_task_return_error (task, g_steal_pointer (&parse_error));
          return;
        }
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      set_reply_error (&error, data->message, reply);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (reply == NULL)
    reply = g_variant_ref_sink (g_variant_new ("a{sv}", NULL));
  else if (!g_variant_is_of_type (reply, G_VARIANT_TYPE_VARDICT))
    {
      /* A bare list: wrapped so that every reply is a record. */
      GVariantDict dict;

      g_variant_dict_init (&dict, NULL);
      g_variant_dict_insert_value (&dict, "items", reply);
      g_clear_pointer (&reply, g_variant_unref);
      reply = g_variant_ref_sink (g_variant_dict_end (&dict));
    }

  g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify) g_variant_unref);
}

static void
send_message (UlApiClient        *self,
              SoupSession        *session,
              SoupMessage        *message,
              gpointer            source_tag,
              GCancellable       *cancellable,
              GAsyncReadyCallback callback,
              gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  CallData *data = g_new0 (CallData, 1);

  g_task_set_source_tag (task, source_tag);
  data->message = message;
  data->session = g_object_ref (session);
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, cancellable, on_sent,
                                    task);
}

void
ul_api_client_call_async (UlApiClient        *self,
                          UlApiOp             op,
                          const char         *arg,
                          GVariant           *body,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autoptr(GVariant) owned = body != NULL ? g_variant_ref_sink (body) : NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *message;

  g_return_if_fail (UL_IS_API_CLIENT (self));
  g_return_if_fail (body == NULL || g_variant_is_of_type (body, G_VARIANT_TYPE_VARDICT));

  message = build_message (self, op, arg, owned, &error);
  if (message == NULL)
    {
      g_task_report_error (self, callback, user_data, ul_api_client_call_async,
                           g_steal_pointer (&error));
      return;
    }
  send_message (self, self->session, message, ul_api_client_call_async, cancellable, callback,
                user_data);
}

GVariant *
ul_api_client_call_finish (UlApiClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
ul_api_client_probe_async (UlApiClient        *self,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GError) error = NULL;
  SoupMessage *message;
  g_autofree char *token = NULL;

  g_return_if_fail (UL_IS_API_CLIENT (self));

  /* No credentials on a probe, whatever the client holds. */
  token = g_steal_pointer (&self->token);
  message = build_message (self, UL_API_OP_GET_GATEWAY, NULL, NULL, &error);
  self->token = g_steal_pointer (&token);
  if (message == NULL)
    {
      g_task_report_error (self, callback, user_data, ul_api_client_probe_async,
                           g_steal_pointer (&error));
      return;
    }
  g_object_set_data (G_OBJECT (message), ALLOW_UNPINNED_KEY, GINT_TO_POINTER (TRUE));
  send_message (self, self->probe_session, message, ul_api_client_probe_async, cancellable,
                callback, user_data);
}

GVariant *
ul_api_client_probe_finish (UlApiClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- events ---- */

static void
on_events_message (SoupWebsocketConnection *connection,
                   int                      type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  UlApiClient *self = UL_API_CLIENT (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) event = NULL;
  g_autoptr(GVariant) data = NULL;
  const char *kind;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  event = ul_json_parse (message, &error);
  if (event == NULL || !g_variant_is_of_type (event, G_VARIANT_TYPE_VARDICT))
    {
      g_debug ("Ignoring an unreadable event from %s: %s", self->host,
               error != NULL ? error->message : "not an object");
      return;
    }

  kind = ul_json_lookup_string (event, "type", ul_json_lookup_string (event, "event", NULL));
  if (kind == NULL)
    return;

  data = g_variant_lookup_value (event, "data", NULL);
  if (data == NULL)
    data = g_variant_ref (event);
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, kind, data);
}

static void
on_events_closed (SoupWebsocketConnection *connection, gpointer user_data)
{
  UlApiClient *self = UL_API_CLIENT (user_data);

  g_signal_handlers_disconnect_by_data (connection, self);
  g_clear_object (&self->events);
  g_signal_emit (self, signals[SIGNAL_EVENTS_CLOSED], 0);
}

static void
on_events_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlApiClient) self = UL_API_CLIENT (user_data);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (connection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("No event stream from %s: %s", self->host, error->message);
      g_clear_object (&self->events_cancellable);
      g_signal_emit (self, signals[SIGNAL_EVENTS_CLOSED], 0);
      return;
    }

  g_clear_object (&self->events_cancellable);
  self->events = connection;
  /* The gateway pings; a dead peer is noticed by the keepalive. */
  soup_websocket_connection_set_keepalive_interval (connection, 15);
  g_signal_connect (connection, "message", G_CALLBACK (on_events_message), self);
  g_signal_connect (connection, "closed", G_CALLBACK (on_events_closed), self);
}

void
ul_api_client_start_events (UlApiClient *self)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) message = NULL;

  g_return_if_fail (UL_IS_API_CLIENT (self));

  if (self->events != NULL || self->events_cancellable != NULL || self->token == NULL)
    return;

  uri = g_uri_build (G_URI_FLAGS_ENCODED, "wss", NULL, self->host, (int) self->port,
                     API_PREFIX "/events", NULL, NULL);
  message = soup_message_new_from_uri ("GET", uri);
  if (message == NULL)
    return;
  {
    g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);

    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                  auth);
  }
  g_signal_connect_object (message, "accept-certificate", G_CALLBACK (on_accept_certificate),
                           self, 0);

  self->events_cancellable = g_cancellable_new ();
  soup_session_websocket_connect_async (self->session, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->events_cancellable, on_events_connected,
                                        g_object_ref (self));
}

void
ul_api_client_stop_events (UlApiClient *self)
{
  g_return_if_fail (UL_IS_API_CLIENT (self));

  if (self->events_cancellable != NULL)
    {
      g_cancellable_cancel (self->events_cancellable);
      g_clear_object (&self->events_cancellable);
    }
  if (self->events != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->events, self);
      if (soup_websocket_connection_get_state (self->events) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->events, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&self->events);
    }
}

gboolean
ul_api_client_get_events_active (UlApiClient *self)
{
  g_return_val_if_fail (UL_IS_API_CLIENT (self), FALSE);
  return self->events != NULL;
}
