/* ul-directory-ldap.c — the LDAP directory source.
 *
 * Synchronous libldap calls, bounded by LDAP_OPT_NETWORK_TIMEOUT (connect) and
 * LDAP_OPT_TIMEOUT (every result wait), and meant to run in a worker thread. Every error
 * message names the server, and the bind DN where it matters, but never the password.
 */
#define G_LOG_DOMAIN "uplink-directory"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <ldap.h>

#include "ul-directory-collector.h"
#include "ul-directory-ldap.h"
#include "ul-error.h"

/* A server that keeps returning a cookie must not keep us paging for ever. */
#define PAGES_MAX 10000

static void
unbind (LDAP *ld)
{
  ldap_unbind_ext_s (ld, NULL, NULL);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LDAP, unbind)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LDAPMessage, ldap_msgfree)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LDAPControl, ldap_control_free)

/* The paged-results cookie, owned by libldap's allocator. */
typedef struct
{
  struct berval value;
} PageCookie;

static void
page_cookie_clear (PageCookie *cookie)
{
  ber_memfree (cookie->value.bv_val);
  cookie->value.bv_val = NULL;
  cookie->value.bv_len = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PageCookie, page_cookie_clear)

/* libldap's text for @rc, plus the server's diagnostic message when it sent one. */
static char *
describe (int rc, const char *diagnostic)
{
  if (diagnostic != NULL && *diagnostic != '\0' && g_utf8_validate (diagnostic, -1, NULL))
    return g_strdup_printf ("%s (%s)", ldap_err2string (rc), diagnostic);
  return g_strdup (ldap_err2string (rc));
}

static char *
describe_handle (LDAP *ld, int rc)
{
  char *diagnostic = NULL;
  char *text;

  ldap_get_option (ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diagnostic);
  text = describe (rc, diagnostic);
  ldap_memfree (diagnostic);
  return text;
}

static gboolean
is_connection_error (int rc)
{
  return rc == LDAP_SERVER_DOWN || rc == LDAP_CONNECT_ERROR || rc == LDAP_TIMEOUT;
}

static void
set_unreachable (GError **error, const UlDirectoryConfig *config, LDAP *ld, int rc)
{
  g_autofree char *reason = describe_handle (ld, rc);

  g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED, _("Cannot reach %s: %s"),
               config->ldap_uri, reason);
}

static LDAP *
open_connection (const UlDirectoryConfig *config, guint timeout, GError **error)
{
  g_autoptr(LDAP) ld = NULL;
  int version = LDAP_VERSION3;
  struct timeval connect_timeout = { MIN (timeout, UL_DIRECTORY_LDAP_CONNECT_TIMEOUT), 0 };
  struct timeval operation_timeout = { timeout, 0 };
  int rc;

  rc = ldap_initialize (&ld, config->ldap_uri);
  if (rc != LDAP_SUCCESS)
    {
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("The LDAP address %s cannot be used: %s"), config->ldap_uri,
                   ldap_err2string (rc));
      return NULL;
    }

  ldap_set_option (ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option (ld, LDAP_OPT_NETWORK_TIMEOUT, &connect_timeout);
  ldap_set_option (ld, LDAP_OPT_TIMEOUT, &operation_timeout);
  /* A referral points at a server the partner did not configure; following it would
   * sync users from somewhere unexpected. */
  ldap_set_option (ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
  ldap_set_option (ld, LDAP_OPT_RESTART, LDAP_OPT_ON);
  return g_steal_pointer (&ld);
}

static gboolean
start_tls (LDAP *ld, const UlDirectoryConfig *config, GError **error)
{
  g_autofree char *reason = NULL;
  int rc;

  rc = ldap_start_tls_s (ld, NULL, NULL);
  if (rc == LDAP_SUCCESS)
    return TRUE;

  if (rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT)
    {
      set_unreachable (error, config, ld, rc);
      return FALSE;
    }

  reason = describe_handle (ld, rc);
  g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED, _("StartTLS with %s failed: %s"),
               config->ldap_uri, reason);
  return FALSE;
}

static gboolean
simple_bind (LDAP *ld, const UlDirectoryConfig *config, GError **error)
{
  struct berval credentials = { 0, NULL };
  g_autofree char *reason = NULL;
  int rc;

  if (config->bind_dn != NULL && config->bind_password != NULL)
    {
      credentials.bv_val = config->bind_password;
      credentials.bv_len = strlen (config->bind_password);
    }

  /* Anonymous binds too: it is the first operation, so it also proves the server is
   * there and tells "unreachable" apart from a refused search. */
  rc = ldap_sasl_bind_s (ld, config->bind_dn, LDAP_SASL_SIMPLE, &credentials, NULL, NULL,
                         NULL);
  if (rc == LDAP_SUCCESS)
    return TRUE;

  if (is_connection_error (rc))
    {
      set_unreachable (error, config, ld, rc);
      return FALSE;
    }

  reason = describe_handle (ld, rc);
  if (config->bind_dn != NULL)
    g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED, _("LDAP bind as %s refused: %s"),
                 config->bind_dn, reason);
  else
    g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                 _("Anonymous LDAP bind to %s refused: %s"), config->ldap_uri, reason);
  return FALSE;
}

/* The first value of @attribute as text, in @out (NULL when absent). FALSE when the
 * value is not UTF-8 or longer than UL_DIRECTORY_LDAP_VALUE_MAX. */
static gboolean
read_value (LDAP *ld, LDAPMessage *entry, const char *attribute, char **out)
{
  struct berval **values;
  gboolean ok = TRUE;

  *out = NULL;
  if (attribute == NULL)
    return TRUE;

  values = ldap_get_values_len (ld, entry, attribute);
  if (values == NULL)
    return TRUE;

  /* Multi-valued attributes (several telephoneNumber or mail values) have no order in
   * LDAP; the server's first is as good as any and stays stable between syncs. */
  if (values[0] != NULL)
    {
      const struct berval *value = values[0];

      ok = value->bv_len <= UL_DIRECTORY_LDAP_VALUE_MAX
           && g_utf8_validate_len (value->bv_val, value->bv_len, NULL);
      if (ok)
        *out = g_strndup (value->bv_val, value->bv_len);
    }
  ldap_value_free_len (values);
  return ok;
}

static gboolean
read_entry (LDAP                    *ld,
            LDAPMessage             *message,
            const UlDirectoryConfig *config,
            UlDirectoryCollector    *collector,
            GError                 **error)
{
  char *raw_dn = ldap_get_dn (ld, message);
  g_autofree char *dn = g_utf8_make_valid (raw_dn != NULL ? raw_dn : "", -1);
  g_autofree char *extension = NULL;
  g_autofree char *name = NULL;
  g_autofree char *email = NULL;
  g_autofree char *group = NULL;
  g_autofree char *cti_device = NULL;
  const char *bad_attribute = NULL;
  UlDirectoryEntry entry = { 0 };

  ldap_memfree (raw_dn);
  entry.dn = dn;

  if (!read_value (ld, message, config->attr_extension, &extension))
    bad_attribute = config->attr_extension;
  else if (!read_value (ld, message, config->attr_name, &name))
    bad_attribute = config->attr_name;
  else if (!read_value (ld, message, config->attr_email, &email))
    bad_attribute = config->attr_email;
  else if (!read_value (ld, message, config->attr_group, &group))
    bad_attribute = config->attr_group;
  else if (!read_value (ld, message, config->attr_cti_device, &cti_device))
    bad_attribute = config->attr_cti_device;

  if (bad_attribute != NULL)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (_("The %s attribute of entry %s is not text of at most %d bytes"),
                              bad_attribute, dn, UL_DIRECTORY_LDAP_VALUE_MAX);
      return ul_directory_collector_skip (collector, &entry, UL_DIRECTORY_SKIP_INVALID_ENTRY,
                                          text, error);
    }

  entry.extension = extension;
  entry.name = name;
  entry.email = email;
  entry.group = group;
  entry.cti_device = cti_device;
  return ul_directory_collector_add (collector, &entry, error);
}

/* Turns a failed search into the message a partner can act on. */
static void
set_search_error (GError                 **error,
                  const UlDirectoryConfig *config,
                  int                      rc,
                  const char              *diagnostic,
                  guint                    received)
{
  g_autofree char *reason = describe (rc, diagnostic);

  switch (rc)
    {
    case LDAP_SERVER_DOWN:
    case LDAP_CONNECT_ERROR:
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("The connection to %s was lost during the search: %s"), config->ldap_uri,
                   reason);
      break;
    case LDAP_TIMEOUT:
    case LDAP_TIMELIMIT_EXCEEDED:
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("The search on %s took too long: %s"), config->ldap_uri, reason);
      break;
    case LDAP_NO_SUCH_OBJECT:
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("The base DN %s does not exist on %s"), config->base_dn,
                   config->ldap_uri);
      break;
    case LDAP_FILTER_ERROR:
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("The LDAP filter %s is not valid"), config->filter);
      break;
    case LDAP_SIZELIMIT_EXCEEDED:
    case LDAP_ADMINLIMIT_EXCEEDED:
      /* A partial list must not reach the diff: it would remove the users not seen. */
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("%s stopped after %u entries because of its size limit; allow paged "
                     "results or a higher limit for the bind DN, or narrow the filter"),
                   config->ldap_uri, received);
      break;
    default:
      g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                   _("The LDAP search in %s on %s failed: %s"), config->base_dn,
                   config->ldap_uri, reason);
      break;
    }
}

/* Reads the next-page cookie from @result's controls; an empty cookie, or no paging
 * control at all (a server that ignores the non-critical control sends everything at
 * once), ends the search. */
static gboolean
read_page_cookie (LDAP *ld, LDAPControl **controls, PageCookie *cookie, gboolean *more)
{
  LDAPControl *control;
  struct berval next = { 0, NULL };
  ber_int_t estimate = 0;

  page_cookie_clear (cookie);
  *more = FALSE;

  control = ldap_control_find (LDAP_CONTROL_PAGEDRESULTS, controls, NULL);
  if (control == NULL)
    return TRUE;

  if (ldap_parse_pageresponse_control (ld, control, &estimate, &next) != LDAP_SUCCESS)
    return FALSE;

  cookie->value = next;
  *more = next.bv_len > 0;
  return TRUE;
}

static gboolean
search_all (LDAP                    *ld,
            const UlDirectoryConfig *config,
            guint                    timeout,
            GCancellable            *cancellable,
            UlDirectoryCollector    *collector,
            GError                 **error)
{
  g_auto(PageCookie) cookie = { { 0, NULL } };
  struct timeval time_limit = { timeout, 0 };
  char *attributes[6] = { NULL };
  guint n_attributes = 0;
  guint received = 0;
  gboolean more = TRUE;

  attributes[n_attributes++] = config->attr_extension;
  attributes[n_attributes++] = config->attr_name;
  attributes[n_attributes++] = config->attr_email;
  attributes[n_attributes++] = config->attr_group;
  if (config->attr_cti_device != NULL)
    attributes[n_attributes++] = config->attr_cti_device;

  for (guint page = 0; more; page++)
    {
      g_autoptr(LDAPControl) page_control = NULL;
      g_autoptr(LDAPMessage) result = NULL;
      LDAPControl *request_controls[2] = { NULL, NULL };
      LDAPControl **response_controls = NULL;
      char *diagnostic = NULL;
      int result_code = LDAP_SUCCESS;
      gboolean cookie_ok;
      int rc;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (page >= PAGES_MAX)
        {
          g_set_error (error, UL_ERROR, UL_ERROR_DIRECTORY_FAILED,
                       _("%s sent more than %d result pages; the search was stopped"),
                       config->ldap_uri, PAGES_MAX);
          return FALSE;
        }

      /* Not critical: a server without paged results (maybe the PBX's own LDAP name
       * service) then answers in one go, and a size limit still shows as an error. */
      rc = ldap_create_page_control (ld, (ber_int_t) config->page_size,
                                     cookie.value.bv_len > 0 ? &cookie.value : NULL, 0,
                                     &page_control);
      if (rc != LDAP_SUCCESS)
        {
          set_search_error (error, config, rc, NULL, received);
          return FALSE;
        }
      request_controls[0] = page_control;

      rc = ldap_search_ext_s (ld, config->base_dn, LDAP_SCOPE_SUBTREE, config->filter,
                              attributes, 0, request_controls, NULL, &time_limit,
                              LDAP_NO_LIMIT, &result);
      if (result == NULL)
        {
          g_autofree char *detail = NULL;

          if (rc == LDAP_SUCCESS)
            rc = LDAP_OTHER;
          ldap_get_option (ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diagnostic);
          detail = g_strdup (diagnostic);
          ldap_memfree (diagnostic);
          set_search_error (error, config, rc, detail, received);
          return FALSE;
        }

      for (LDAPMessage *entry = ldap_first_entry (ld, result); entry != NULL;
           entry = ldap_next_entry (ld, entry))
        {
          received++;
          if (!read_entry (ld, entry, config, collector, error))
            return FALSE;
        }

      rc = ldap_parse_result (ld, result, &result_code, NULL, &diagnostic, NULL,
                              &response_controls, 0);
      if (rc != LDAP_SUCCESS)
        result_code = rc;
      if (result_code != LDAP_SUCCESS)
        {
          g_autofree char *detail = g_strdup (diagnostic);

          ldap_memfree (diagnostic);
          ldap_controls_free (response_controls);
          set_search_error (error, config, result_code, detail, received);
          return FALSE;
        }
      ldap_memfree (diagnostic);

      cookie_ok = read_page_cookie (ld, response_controls, &cookie, &more);
      ldap_controls_free (response_controls);
      if (!cookie_ok)
        {
          set_search_error (error, config, LDAP_DECODING_ERROR, NULL, received);
          return FALSE;
        }
      g_debug ("page %u from %s: %u entries so far", page + 1, config->ldap_uri, received);
    }

  return TRUE;
}

gboolean
ul_directory_ldap_fetch (const UlDirectoryConfig *config,
                         guint                    timeout,
                         GCancellable            *cancellable,
                         GPtrArray              **users,
                         GPtrArray              **skipped,
                         GError                 **error)
{
  g_autoptr(UlDirectoryCollector) collector = NULL;
  g_autoptr(LDAP) ld = NULL;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (config->kind == UL_DIRECTORY_KIND_LDAP, FALSE);
  g_return_val_if_fail (timeout > 0, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  ld = open_connection (config, timeout, error);
  if (ld == NULL)
    return FALSE;

  if (config->starttls && !start_tls (ld, config, error))
    return FALSE;

  if (!simple_bind (ld, config, error))
    return FALSE;

  collector = ul_directory_collector_new ();
  if (!search_all (ld, config, timeout, cancellable, collector, error))
    return FALSE;

  ul_directory_collector_finish (collector, users, skipped);
  return TRUE;
}
