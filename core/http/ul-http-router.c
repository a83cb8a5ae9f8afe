/* ul-http-router.c — the table of API routes and how a request finds its route. */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include <string.h>

#include "ul-http-router.h"

#define MAX_SEGMENTS 16

/* Splits "/a/b/c" into its segments; NULL for anything that does not start with "/" or
 * has more segments than any route. */
static GStrv
split_path (const char *path)
{
  g_auto(GStrv) segments = NULL;

  if (path == NULL || path[0] != '/')
    return NULL;
  segments = g_strsplit (path + 1, "/", MAX_SEGMENTS + 1);
  if (g_strv_length (segments) > MAX_SEGMENTS)
    return NULL;
  return g_steal_pointer (&segments);
}

static gboolean
pattern_matches (const char *pattern, GStrv segments)
{
  g_auto(GStrv) parts = split_path (pattern);
  guint n = g_strv_length (parts);

  if (n != g_strv_length (segments))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (parts[i], "{}"))
        {
          if (*segments[i] == '\0')
            return FALSE;
          continue;
        }
      if (!g_str_equal (parts[i], segments[i]))
        return FALSE;
    }
  return TRUE;
}

static GPtrArray *
decode_params (const char *pattern, GStrv segments, gboolean *ok)
{
  g_auto(GStrv) parts = split_path (pattern);
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);

  *ok = TRUE;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *decoded;

      if (!g_str_equal (parts[i], "{}"))
        continue;
      /* NUL is refused by the decoder itself; the rest must be valid UTF-8. */
      decoded = g_uri_unescape_string (segments[i], NULL);
      if (decoded == NULL || !g_utf8_validate (decoded, -1, NULL))
        {
          g_free (decoded);
          *ok = FALSE;
          return NULL;
        }
      g_ptr_array_add (params, decoded);
    }
  return g_steal_pointer (&params);
}

UlHttpMatch
ul_http_router_match (GPtrArray          *routes,
                      const char         *method,
                      const char         *raw_path,
                      const UlHttpRoute **route,
                      GPtrArray         **params,
                      char              **allowed)
{
  g_auto(GStrv) segments = split_path (raw_path);
  g_autoptr(GString) methods = NULL;

  *route = NULL;
  *params = NULL;
  if (allowed != NULL)
    *allowed = NULL;
  if (segments == NULL)
    return UL_HTTP_MATCH_NO_PATH;

  for (guint i = 0; i < routes->len; i++)
    {
      const UlHttpRoute *candidate = g_ptr_array_index (routes, i);

      if (!pattern_matches (candidate->pattern, segments))
        continue;
      if (g_str_equal (candidate->method, method))
        {
          gboolean ok;

          *params = decode_params (candidate->pattern, segments, &ok);
          if (!ok)
            return UL_HTTP_MATCH_BAD_PATH;
          *route = candidate;
          return UL_HTTP_MATCH_FOUND;
        }
      if (methods == NULL)
        methods = g_string_new (candidate->method);
      else if (strstr (methods->str, candidate->method) == NULL)
        g_string_append_printf (methods, ", %s", candidate->method);
    }
  if (methods == NULL)
    return UL_HTTP_MATCH_NO_PATH;
  if (allowed != NULL)
    *allowed = g_string_free (g_steal_pointer (&methods), FALSE);
  return UL_HTTP_MATCH_NO_METHOD;
}
