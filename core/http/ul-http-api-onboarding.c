/* ul-http-api-onboarding.c — the seed guide's steps: customer, gateway site, PBX,
 * advanced settings, and the audit log. One route per D-Bus method of
 * io.github.uplink.Gateway1.Onboarding (and GetAuditLog), same engine call, same keys.
 *
 *   GET    /api/v1/customer                              GetCustomer
 *   PATCH  /api/v1/customer                              UpdateCustomer
 *   POST   /api/v1/customer/admin-contacts               AddAdminContact
 *   DELETE /api/v1/customer/admin-contacts/{email}?confirm=remove   RemoveAdminContact
 *   POST   /api/v1/customer/support-contacts             AddSupportContact
 *   DELETE /api/v1/customer/support-contacts/{role}/{email}         RemoveSupportContact
 *   POST   /api/v1/customer/deactivate {confirm}         Deactivate
 *   GET    /api/v1/site, PATCH /api/v1/site             GetSite, UpdateSite
 *   GET    /api/v1/pbx, PATCH /api/v1/pbx               GetPbx, UpdatePbx
 *   GET    /api/v1/advanced, PATCH /api/v1/advanced     GetAdvanced, UpdateAdvanced
 *   GET    /api/v1/audit?offset&limit                    GetAuditLog
 */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"


#include "ul-error.h"
#include "ul-http-router.h"
#include "ul-variant.h"

typedef gboolean (*UpdateFunc) (UlEngine *, const UlCaller *, GVariant *, GError **);

static gboolean
fail (UlHttpContext *context, const GError *error)
{
  ul_http_context_reply_error (context, error);
  return FALSE;
}

/* Reads the body of a mutation; the query must be empty. */
static GVariant *
read_changes (UlHttpContext *context, GVariant *template)
{
  g_autoptr(GError) error = NULL;
  GVariant *changes = NULL;

  if (!ul_http_context_check_query (context, NULL, &error)
      || (changes = ul_http_context_read_body (context, template, &error)) == NULL)
    fail (context, error);
  return changes;
}

static gboolean
no_query (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;

  return ul_http_context_check_query (context, NULL, &error) || fail (context, error);
}

/* The customer. */

static void
reply_customer (UlHttpContext *context, guint status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCustomer) customer = ul_engine_get_customer (ul_http_context_get_engine (context),
                                                           &error);

  if (customer == NULL)
    fail (context, error);
  else
    ul_http_context_reply (context, status, ul_customer_to_variant (customer));
}

static void
get_customer (UlHttpContext *context)
{
  if (no_query (context))
    reply_customer (context, SOUP_STATUS_OK);
}

/* A template for empty JSON lists: the customer's own record (or a new one) gives
 * adminContacts and supportContacts their type. */
static GVariant *
customer_template (UlEngine *engine)
{
  g_autoptr(UlCustomer) customer = ul_engine_get_customer (engine, NULL);
  g_autoptr(UlCustomer) empty = customer == NULL ? ul_customer_new () : NULL;

  return g_variant_ref_sink (ul_customer_to_variant (customer != NULL ? customer : empty));
}

static void
update_customer (UlHttpContext *context)
{
  UlEngine *engine = ul_http_context_get_engine (context);
  g_autoptr(GVariant) template = customer_template (engine);
  g_autoptr(GVariant) changes = read_changes (context, template);
  g_autoptr(GError) error = NULL;

  if (changes == NULL)
    return;
  if (!ul_engine_update_customer (engine, ul_http_context_get_caller (context), changes, &error))
    fail (context, error);
  else
    reply_customer (context, SOUP_STATUS_OK);
}

static void
add_admin_contact (UlHttpContext *context)
{
  g_autoptr(GVariant) contact = read_changes (context, NULL);
  g_autoptr(GError) error = NULL;

  if (contact == NULL)
    return;
  if (!ul_engine_add_admin_contact (ul_http_context_get_engine (context),
                                    ul_http_context_get_caller (context), contact, &error))
    fail (context, error);
  else
    reply_customer (context, SOUP_STATUS_OK);
}

static void
remove_admin_contact (UlHttpContext *context)
{
  static const char * const allowed[] = { "confirm", NULL };
  g_autoptr(GError) error = NULL;

  if (!ul_http_context_check_query (context, allowed, &error)
      || !ul_engine_remove_admin_contact (ul_http_context_get_engine (context),
                                          ul_http_context_get_caller (context),
                                          ul_http_context_get_param (context, 0),
                                          ul_http_context_get_query (context, "confirm"), &error))
    fail (context, error);
  else
    reply_customer (context, SOUP_STATUS_OK);
}

static void
add_support_contact (UlHttpContext *context)
{
  g_autoptr(GVariant) contact = read_changes (context, NULL);
  g_autoptr(GError) error = NULL;

  if (contact == NULL)
    return;
  if (!ul_engine_add_support_contact (ul_http_context_get_engine (context),
                                      ul_http_context_get_caller (context), contact, &error))
    fail (context, error);
  else
    reply_customer (context, SOUP_STATUS_OK);
}

static void
remove_support_contact (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;

  if (no_query (context)
      && !ul_engine_remove_support_contact (ul_http_context_get_engine (context),
                                            ul_http_context_get_caller (context),
                                            ul_http_context_get_param (context, 0),
                                            ul_http_context_get_param (context, 1), &error))
    fail (context, error);
  else if (error == NULL)
    reply_customer (context, SOUP_STATUS_OK);
}

/* Reads the "confirm" option from @options, as the D-Bus frontend does. */
static gboolean
lookup_confirm (GVariant *options, char **confirm, GError **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  *confirm = NULL;
  g_variant_iter_init (&iter, options);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      gboolean ok = g_str_equal (key, "confirm")
                      ? ul_variant_get_string (value, key, confirm, error)
                      : ul_variant_unknown_key (key, error);
      if (!ok)
        {
          g_variant_unref (value);
          return FALSE;
        }
    }
  return TRUE;
}

static void
deactivate (UlHttpContext *context)
{
  g_autoptr(GVariant) options = read_changes (context, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *confirm = NULL;

  if (options == NULL)
    return;
  if (!lookup_confirm (options, &confirm, &error)
      || !ul_engine_deactivate (ul_http_context_get_engine (context),
                                ul_http_context_get_caller (context), confirm, &error))
    fail (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_NO_CONTENT, NULL);
}

/* Site, PBX, advanced: read and update. */

static void
reply_site (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlSite) site = ul_engine_get_site (ul_http_context_get_engine (context), &error);

  if (site == NULL)
    fail (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_OK, ul_site_to_variant (site));
}

static void
reply_pbx (UlHttpContext *context)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlPbxConfig) pbx = ul_engine_get_pbx (ul_http_context_get_engine (context), &error);

  if (pbx == NULL)
    fail (context, error);
  else
    ul_http_context_reply (context, SOUP_STATUS_OK, ul_pbx_config_to_variant (pbx));
}

static void
reply_advanced (UlHttpContext *context)
{
  g_autoptr(UlAdvanced) advanced = ul_engine_get_advanced (ul_http_context_get_engine (context));

  ul_http_context_reply (context, SOUP_STATUS_OK, ul_advanced_to_variant (advanced));
}

static void
get_site (UlHttpContext *context)
{
  if (no_query (context))
    reply_site (context);
}

static void
get_pbx (UlHttpContext *context)
{
  if (no_query (context))
    reply_pbx (context);
}

static void
get_advanced (UlHttpContext *context)
{
  if (no_query (context))
    reply_advanced (context);
}

static void
update_with (UlHttpContext *context, UpdateFunc update, void (*reply) (UlHttpContext *))
{
  g_autoptr(GVariant) changes = read_changes (context, NULL);
  g_autoptr(GError) error = NULL;

  if (changes == NULL)
    return;
  if (!update (ul_http_context_get_engine (context), ul_http_context_get_caller (context),
               changes, &error))
    fail (context, error);
  else
    reply (context);
}

static void
update_site (UlHttpContext *context)
{
  update_with (context, ul_engine_update_site, reply_site);
}

static void
update_pbx (UlHttpContext *context)
{
  update_with (context, ul_engine_update_pbx, reply_pbx);
}

static void
update_advanced (UlHttpContext *context)
{
  update_with (context, ul_engine_update_advanced, reply_advanced);
}

/* The audit log. */

static void
get_audit (UlHttpContext *context)
{
  static const char * const allowed[] = { "offset", "limit", NULL };
  g_autoptr(GError) error = NULL;
  GVariant *entries = NULL;
  guint offset, limit, total = 0;

  if (!ul_http_context_check_query (context, allowed, &error)
      || !ul_http_context_get_paging (context, &offset, &limit, &error)
      || (entries = ul_engine_list_audit (ul_http_context_get_engine (context), offset, limit,
                                          &total, &error)) == NULL)
    {
      fail (context, error);
      return;
    }
  ul_http_context_reply_page (context, entries, total, offset, limit);
}

static const UlHttpRoute routes[] = {
  { "GET", "/api/v1/customer", FALSE, UL_AUTH_PERMISSION_READ, get_customer },
  { "PATCH", "/api/v1/customer", FALSE, UL_AUTH_PERMISSION_CUSTOMER, update_customer },
  { "POST", "/api/v1/customer/admin-contacts", FALSE, UL_AUTH_PERMISSION_CUSTOMER,
    add_admin_contact },
  { "DELETE", "/api/v1/customer/admin-contacts/{}", FALSE, UL_AUTH_PERMISSION_CUSTOMER,
    remove_admin_contact },
  { "POST", "/api/v1/customer/support-contacts", FALSE, UL_AUTH_PERMISSION_CUSTOMER,
    add_support_contact },
  { "DELETE", "/api/v1/customer/support-contacts/{}/{}", FALSE, UL_AUTH_PERMISSION_CUSTOMER,
    remove_support_contact },
  { "POST", "/api/v1/customer/deactivate", FALSE, UL_AUTH_PERMISSION_SYSTEM, deactivate },
  { "GET", "/api/v1/site", FALSE, UL_AUTH_PERMISSION_READ, get_site },
  { "PATCH", "/api/v1/site", FALSE, UL_AUTH_PERMISSION_SYSTEM, update_site },
  { "GET", "/api/v1/pbx", FALSE, UL_AUTH_PERMISSION_READ, get_pbx },
  { "PATCH", "/api/v1/pbx", FALSE, UL_AUTH_PERMISSION_SYSTEM, update_pbx },
  { "GET", "/api/v1/advanced", FALSE, UL_AUTH_PERMISSION_READ, get_advanced },
  { "PATCH", "/api/v1/advanced", FALSE, UL_AUTH_PERMISSION_SYSTEM, update_advanced },
  { "GET", "/api/v1/audit", FALSE, UL_AUTH_PERMISSION_SYSTEM, get_audit },
};

const UlHttpRoute *
ul_http_api_onboarding_routes (gsize *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}
