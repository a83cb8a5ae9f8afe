/* ul-http-api-auth.c — the claim, logins, sessions and accounts (UlAuthService).
 *
 *   POST   /api/v1/claim              public, same LAN subnet only; {email, password} → 201
 *   POST   /api/v1/login              public; {email, password} → {token, expiresAt, ...}
 *   POST   /api/v1/logout             ends this token → 204
 *   DELETE /api/v1/sessions           ends every token of the account (?scope=all: of
 *                                     every account, partner only) → {revoked}
 *   GET    /api/v1/account            the signed-in account
 *   PUT    /api/v1/account/password   {currentPassword, newPassword} → 204
 *   GET    /api/v1/accounts           partner: every account
 *   POST   /api/v1/accounts           partner: {email, password, role} → 201
 *   DELETE /api/v1/accounts/{email}   partner → 204
 */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-error.h"
#include "ul-http-router.h"

static gboolean
read_request (UlHttpContext *context, GVariant **request)
{
  g_autoptr(GError) error = NULL;

  if (!ul_http_context_check_query (context, NULL, &error)
      || (*request = ul_http_context_read_body (context, NULL, &error)) == NULL)
    {
      ul_http_context_reply_error (context, error);
      return FALSE;
    }
  return TRUE;
}

static void
on_claimed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlHttpContext) context = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) account = ul_auth_service_claim_finish (UL_AUTH_SERVICE (source), result,
                                                               &error);

  if (account == NULL)
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_CREATED, account);
}

static void
claim (UlHttpContext *context)
{
  g_autoptr(GVariant) request = NULL;

  if (!read_request (context, &request))
    return;
  ul_http_context_pause (context);
  ul_auth_service_claim_async (ul_http_context_get_auth (context),
                               ul_http_context_get_caller (context), request, NULL, on_claimed,
                               ul_http_context_ref (context));
}

static void
on_logged_in (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlHttpContext) context = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint retry_after = 0;

  reply = ul_auth_service_login_finish (UL_AUTH_SERVICE (source), result, &retry_after, &error);
  if (reply == NULL)
    ul_http_context_reply_error_retry (context, error, retry_after);
  else
    ul_http_context_reply (context, SOUP_STATUS_OK, reply);
}

static void
login (UlHttpContext *context)
{
  g_autoptr(GVariant) request = NULL;

  if (!read_request (context, &request))
    return;
  ul_http_context_pause (context);
  ul_auth_service_login_async (ul_http_context_get_auth (context),
                               ul_http_context_get_caller (context), request, NULL,
                               on_logged_in, ul_http_context_ref (context));
}

static void
logout (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;

  if (!ul_http_context_check_query (context, NULL, &error)
      || !ul_auth_service_logout (ul_http_context_get_auth (context),
                                  ul_http_context_get_caller (context),
                                  ul_http_context_get_session (context), &error))
    {
      ul_http_context_reply_error (context, error);
      return;
    }
  ul_http_context_reply (context, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
revoke_sessions (UlHttpContext *context)
{
  static const char * const allowed[] = { "scope", NULL };
  g_autoptr(GError) error = NULL;
  const char *scope;
  guint count = 0;

  if (!ul_http_context_check_query (context, allowed, &error))
    {
      ul_http_context_reply_error (context, error);
      return;
    }
  scope = ul_http_context_get_query (context, "scope");
  if (scope != NULL && !g_str_equal (scope, "all") && !g_str_equal (scope, "account"))
    {
      ul_set_field_error (&error, UL_ERROR_INVALID_ARGUMENT, "scope", "%s",
                          _("The scope must be account or all"));
      ul_http_context_reply_error (context, error);
      return;
    }
  if (!ul_auth_service_revoke_all (ul_http_context_get_auth (context),
                                   ul_http_context_get_caller (context),
                                   ul_http_context_get_session (context),
                                   g_strcmp0 (scope, "all") == 0, &count, &error))
    {
      ul_http_context_reply_error (context, error);
      return;
    }
  ul_http_context_reply (context, SOUP_STATUS_OK,
                         g_variant_new_parsed ("{'revoked': <%u>}", count));
}

static void
get_account (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;
  GVariant *account = ul_auth_service_get_account (ul_http_context_get_auth (context),
                                                   ul_http_context_get_session (context), &error);

  if (account == NULL)
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_OK, account);
}

static void
on_password_changed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlHttpContext) context = user_data;
  g_autoptr(GError) error = NULL;

  if (!ul_auth_service_change_password_finish (UL_AUTH_SERVICE (source), result, &error))
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
change_password (UlHttpContext *context)
{
  g_autoptr(GVariant) request = NULL;

  if (!read_request (context, &request))
    return;
  ul_http_context_pause (context);
  ul_auth_service_change_password_async (ul_http_context_get_auth (context),
                                         ul_http_context_get_caller (context),
                                         ul_http_context_get_session (context), request, NULL,
                                         on_password_changed, ul_http_context_ref (context));
}

static void
list_accounts (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;
  GVariant *accounts = NULL;

  if (!ul_http_context_check_query (context, NULL, &error)
      || (accounts = ul_auth_service_list_accounts (ul_http_context_get_auth (context),
                                                    &error)) == NULL)
    {
      ul_http_context_reply_error (context, error);
      return;
    }
  g_variant_ref_sink (accounts);
  ul_http_context_reply_page (context, accounts, (guint) g_variant_n_children (accounts), 0,
                              (guint) g_variant_n_children (accounts));
  g_variant_unref (accounts);
}

static void
on_account_added (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlHttpContext) context = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) account = NULL;

  account = ul_auth_service_add_account_finish (UL_AUTH_SERVICE (source), result, &error);
  if (account == NULL)
    ul_http_context_reply_error (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_CREATED, account);
}

static void
add_account (UlHttpContext *context)
{
  g_autoptr(GVariant) request = NULL;

  if (!read_request (context, &request))
    return;
  ul_http_context_pause (context);
  ul_auth_service_add_account_async (ul_http_context_get_auth (context),
                                     ul_http_context_get_caller (context), request, NULL,
                                     on_account_added, ul_http_context_ref (context));
}

static void
remove_account (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;

  if (!ul_http_context_check_query (context, NULL, &error)
      || !ul_auth_service_remove_account (ul_http_context_get_auth (context),
                                          ul_http_context_get_caller (context),
                                          ul_http_context_get_param (context, 0), &error))
    {
      ul_http_context_reply_error (context, error);
      return;
    }
  ul_http_context_reply (context, SOUP_STATUS_NO_CONTENT, NULL);
}

static const UlHttpRoute routes[] = {
  { "POST", "/api/v1/claim", TRUE, 0, claim },
  { "POST", "/api/v1/login", TRUE, 0, login },
  { "POST", "/api/v1/logout", FALSE, UL_AUTH_PERMISSION_READ, logout },
  { "DELETE", "/api/v1/sessions", FALSE, UL_AUTH_PERMISSION_READ, revoke_sessions },
  { "GET", "/api/v1/account", FALSE, UL_AUTH_PERMISSION_READ, get_account },
  { "PUT", "/api/v1/account/password", FALSE, UL_AUTH_PERMISSION_READ, change_password },
  { "GET", "/api/v1/accounts", FALSE, UL_AUTH_PERMISSION_ACCOUNTS, list_accounts },
  { "POST", "/api/v1/accounts", FALSE, UL_AUTH_PERMISSION_ACCOUNTS, add_account },
  { "DELETE", "/api/v1/accounts/{}", FALSE, UL_AUTH_PERMISSION_ACCOUNTS, remove_account },
};

const UlHttpRoute *
ul_http_api_auth_routes (gsize *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}
