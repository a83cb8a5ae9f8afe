/* ul-password.c — the registration password rule.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-error.h"
#include "ul-password.h"

enum
{
  CLASS_LOWER = 1 << 0,
  CLASS_UPPER = 1 << 1,
  CLASS_DIGIT = 1 << 2,
  CLASS_OTHER = 1 << 3,
};

gboolean
ul_validate_password (const char *value, const char *field, GError **error)
{
  guint classes = 0;
  glong length;

  if (value == NULL || *value == '\0')
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field, "%s",
                          _("Choose a password"));
      return FALSE;
    }
  if (!g_utf8_validate (value, -1, NULL))
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field, "%s",
                          _("The text is not valid UTF-8"));
      return FALSE;
    }

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        {
          ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field, "%s",
                              _("The password must not contain control characters"));
          return FALSE;
        }
      if (g_unichar_islower (c))
        classes |= CLASS_LOWER;
      else if (g_unichar_isupper (c))
        classes |= CLASS_UPPER;
      else if (g_unichar_isdigit (c))
        classes |= CLASS_DIGIT;
      else
        classes |= CLASS_OTHER;
    }

  length = g_utf8_strlen (value, -1);
  if (length < UL_PASSWORD_MIN || length > UL_PASSWORD_MAX)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                          _("Use between %d and %d characters"), UL_PASSWORD_MIN,
                          UL_PASSWORD_MAX);
      return FALSE;
    }
  /* A power of two has exactly one bit set: one class only. */
  if ((classes & (classes - 1)) == 0)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field, "%s",
                          _("Mix at least two kinds of characters: lower-case and upper-case "
                            "letters, digits, punctuation or spaces"));
      return FALSE;
    }
  return TRUE;
}
