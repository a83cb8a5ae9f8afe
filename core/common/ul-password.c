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

static const char * const reasons[] = {
  [UL_PASSWORD_OK] = NULL,
  [UL_PASSWORD_EMPTY] = N_("Choose a password"),
  [UL_PASSWORD_NOT_UTF8] = N_("The text is not valid UTF-8"),
  [UL_PASSWORD_CONTROL] = N_("The password must not contain control characters"),
  [UL_PASSWORD_LENGTH] = N_("Use between %d and %d characters"),
  [UL_PASSWORD_ONE_KIND] = N_("Mix at least two kinds of characters: lower-case and upper-case "
                              "letters, digits, punctuation or spaces"),
};

UlPasswordProblem
ul_password_check (const char *value)
{
  guint classes = 0;
  glong length;

  if (value == NULL || *value == '\0')
    return UL_PASSWORD_EMPTY;
  if (!g_utf8_validate (value, -1, NULL))
    return UL_PASSWORD_NOT_UTF8;

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        return UL_PASSWORD_CONTROL;
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
    return UL_PASSWORD_LENGTH;
  /* A power of two has exactly one bit set: one class only. */
  if ((classes & (classes - 1)) == 0)
    return UL_PASSWORD_ONE_KIND;
  return UL_PASSWORD_OK;
}

const char *
ul_password_problem_reason (UlPasswordProblem problem)
{
  g_return_val_if_fail ((guint) problem < G_N_ELEMENTS (reasons), NULL);
  return reasons[problem];
}

gboolean
ul_validate_password (const char *value, const char *field, GError **error)
{
  UlPasswordProblem problem = ul_password_check (value);

  if (problem == UL_PASSWORD_OK)
    return TRUE;
  if (problem == UL_PASSWORD_LENGTH)
    ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field,
                        _("Use between %d and %d characters"), UL_PASSWORD_MIN,
                        UL_PASSWORD_MAX);
  else
    ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, field, "%s",
                        _(ul_password_problem_reason (problem)));
  return FALSE;
}
