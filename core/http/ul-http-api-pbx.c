/* ul-http-api-pbx.c — the PBX link, the user directory, users and CTI: one route per
 * D-Bus method of io.github.uplink.Gateway1.Pbx and .Users (and the Pbx properties).
 *
 *   POST  /api/v1/pbx/connect {syncSchedule}              Connect
 *   POST  /api/v1/pbx/sync {}                             Sync
 *   GET   /api/v1/pbx/link                                LinkState, LinkError
 *   GET   /api/v1/directory, PATCH /api/v1/directory     GetDirectory, UpdateDirectory
 *   GET   /api/v1/users?offset&limit&eligible             ListUsers
 *   GET   /api/v1/users/{extension}                       GetUser
 *   POST  /api/v1/users/{extension}/calls {number}        MakeCall → 201 {callId}
 *   POST  /api/v1/users/{extension}/answer                AnswerCall
 *   POST  /api/v1/users/{extension}/clear                 ClearConnection
 */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-error.h"
#include "ul-http-router.h"
#include "ul-variant.h"

static GVariant *
read_options (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;
  GVariant *options = NULL;

  if (!ul_http_context_check_query (context, NULL, &error)
      || (options = ul_http_context_read_body (context, NULL, &error)) == NULL)
    ul_http_context_reply_error (context, error);
  return options;
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlHttpContext) context = user_data;
  g_autoptr(GError) error = NULL;
  GVariant *reply = ul_engine_connect_finish (UL_ENGINE (source), result, &error);

  if (reply == NULL)
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_OK, reply);
}

static void
connect_pbx (UlHttpContext *context)
{
  g_autoptr(GVariant) options = read_options (context);

  if (options == NULL)
    return;
  ul_http_context_pause (context);
  ul_engine_connect_async (ul_http_context_get_engine (context),
                           ul_http_context_get_caller (context), options, NULL, on_connected,
                           ul_http_context_ref (context));
}

static void
on_synced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlHttpContext) context = user_data;
  g_autoptr(GError) error = NULL;
  GVariant *report = ul_engine_sync_finish (UL_ENGINE (source), result, &error);

  if (report == NULL)
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_OK, report);
}

static void
sync_directory (UlHttpContext *context)
{
  g_autoptr(GVariant) options = read_options (context);
  g_autoptr(GError) error = NULL;
  const char *key;

  if (options == NULL)
    return;
  /* Sync takes no options yet: any key is a mistake worth reporting. */
  if (g_variant_n_children (options) > 0)
    {
      g_variant_get_child (options, 0, "{&sv}", &key, NULL);
      ul_variant_unknown_key (key, &error);
      ul_http_context_reply_error (context, error);
      return;
    }
  ul_http_context_pause (context);
  ul_engine_sync_async (ul_http_context_get_engine (context), ul_http_context_get_caller (context),
                        NULL, on_synced, ul_http_context_ref (context));
}

static void
get_link (UlHttpContext *context)
{
  UlEngine *engine = ul_http_context_get_engine (context);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "linkState",
                         g_variant_new_string (ul_engine_get_link_state (engine)));
  g_variant_builder_add (&builder, "{sv}", "linkError",
                         g_variant_new_string (ul_engine_get_link_error (engine)));
  ul_http_context_reply (context, SOUP_STATUS_OK, g_variant_builder_end (&builder));
}

static void
get_directory (UlHttpContext *context)
{
  ul_http_context_reply (context, SOUP_STATUS_OK,
                         ul_engine_get_directory (ul_http_context_get_engine (context)));
}

static void
update_directory (UlHttpContext *context)
{
  g_autoptr(GVariant) changes = read_options (context);
  g_autoptr(GError) error = NULL;
  UlEngine *engine = ul_http_context_get_engine (context);

  if (changes == NULL)
    return;
  if (!ul_engine_update_directory (engine, ul_http_context_get_caller (context), changes, &error))
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_OK, ul_engine_get_directory (engine));
}

static void
list_users (UlHttpContext *context)
{
  static const char * const allowed[] = { "offset", "limit", "eligible", NULL };
  g_autoptr(GError) error = NULL;
  gboolean filtered = FALSE, eligible = FALSE;
  guint offset, limit, total = 0;
  GVariant *users;

  if (!ul_http_context_check_query (context, allowed, &error)
      || !ul_http_context_get_paging (context, &offset, &limit, &error)
      || !ul_http_context_get_query_boolean (context, "eligible", &filtered, &eligible, &error))
    {
      ul_http_context_reply_error (context, error);
      return;
    }
  users = ul_engine_list_users (ul_http_context_get_engine (context), offset, limit,
                                !filtered ? -1 : eligible ? 1 : 0, &total);
  ul_http_context_reply_page (context, users, total, offset, limit);
}

static void
get_user (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;
  GVariant *user = ul_engine_get_user (ul_http_context_get_engine (context),
                                       ul_http_context_get_param (context, 0), &error);

  if (user == NULL)
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_OK, user);
}

static void
on_call_made (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlHttpContext) context = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *call_id = ul_engine_make_call_finish (UL_ENGINE (source), result, &error);
  GVariantBuilder builder;

  if (call_id == NULL)
    {
      ul_http_context_reply_error (context, error);
      return;
    }
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "callId", g_variant_new_string (call_id));
  ul_http_context_reply (context, SOUP_STATUS_CREATED, g_variant_builder_end (&builder));
}

static void
make_call (UlHttpContext *context)
{
  g_autoptr(GVariant) request = read_options (context);
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  GVariantIter iter;
  const char *key;

  if (request == NULL)
    return;
  g_variant_iter_init (&iter, request);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      if (!g_str_equal (key, "number"))
        ul_variant_unknown_key (key, &error);
      else
        {
          g_clear_pointer (&number, g_free);
          ul_variant_get_string (value, key, &number, &error);
        }
      g_clear_pointer (&value, g_variant_unref);
      if (error != NULL)
        break;
    }
  if (error == NULL && number == NULL)
    ul_set_field_error (&error, UL_ERROR_INVALID_ARGUMENT, "number", "%s",
                        _("Enter the number to call"));
  if (error != NULL)
    {
      ul_http_context_reply_error (context, error);
      return;
    }
  ul_http_context_pause (context);
  ul_engine_make_call_async (ul_http_context_get_engine (context),
                             ul_http_context_get_caller (context),
                             ul_http_context_get_param (context, 0), number, NULL, on_call_made,
                             ul_http_context_ref (context));
}

static void
on_cti_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlHttpContext) context = user_data;
  g_autoptr(GError) error = NULL;

  if (!ul_engine_cti_finish (UL_ENGINE (source), result, &error))
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
answer_call (UlHttpContext *context)
{
  g_autoptr(GVariant) options = read_options (context);

  if (options == NULL)
    return;
  ul_http_context_pause (context);
  ul_engine_answer_call_async (ul_http_context_get_engine (context),
                               ul_http_context_get_caller (context),
                               ul_http_context_get_param (context, 0), NULL, on_cti_done,
                               ul_http_context_ref (context));
}

static void
clear_connection (UlHttpContext *context)
{
  g_autoptr(GVariant) options = read_options (context);

  if (options == NULL)
    return;
  ul_http_context_pause (context);
  ul_engine_clear_connection_async (ul_http_context_get_engine (context),
                                    ul_http_context_get_caller (context),
                                    ul_http_context_get_param (context, 0), NULL, on_cti_done,
                                    ul_http_context_ref (context));
}

static const UlHttpRoute routes[] = {
  { "POST", "/api/v1/pbx/connect", FALSE, UL_AUTH_PERMISSION_SYSTEM, connect_pbx },
  { "POST", "/api/v1/pbx/sync", FALSE, UL_AUTH_PERMISSION_SYSTEM, sync_directory },
  { "GET", "/api/v1/pbx/link", FALSE, UL_AUTH_PERMISSION_READ, get_link },
  { "GET", "/api/v1/directory", FALSE, UL_AUTH_PERMISSION_READ, get_directory },
  { "PATCH", "/api/v1/directory", FALSE, UL_AUTH_PERMISSION_SYSTEM, update_directory },
  { "GET", "/api/v1/users", FALSE, UL_AUTH_PERMISSION_READ, list_users },
  { "GET", "/api/v1/users/{}", FALSE, UL_AUTH_PERMISSION_READ, get_user },
  { "POST", "/api/v1/users/{}/calls", FALSE, UL_AUTH_PERMISSION_SYSTEM, make_call },
  { "POST", "/api/v1/users/{}/answer", FALSE, UL_AUTH_PERMISSION_SYSTEM, answer_call },
  { "POST", "/api/v1/users/{}/clear", FALSE, UL_AUTH_PERMISSION_SYSTEM, clear_connection },
};

const UlHttpRoute *
ul_http_api_pbx_routes (gsize *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}
