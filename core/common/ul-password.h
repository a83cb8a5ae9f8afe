/* ul-password.h — the strength rule for the passwords users choose when they register
 * (the registration page, the dashboard and uplinkd all apply this one). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UL_PASSWORD_MIN 10   /* characters */
#define UL_PASSWORD_MAX 128  /* characters: bounds the hashing work an attacker can ask for */

/* At least UL_PASSWORD_MIN and at most UL_PASSWORD_MAX characters of valid UTF-8 without
 * control characters, and not all of one kind: a mix of at least two of lower-case
 * letters, upper-case letters, digits, and everything else (punctuation, spaces, letters
 * without case). Length matters most (NIST SP 800-63B); the mix only rules out the
 * weakest long passwords such as "aaaaaaaaaa" or "1234567890". */
gboolean ul_validate_password (const char *value, const char *field, GError **error);

typedef enum
{
  UL_PASSWORD_OK,
  UL_PASSWORD_EMPTY,
  UL_PASSWORD_NOT_UTF8,
  UL_PASSWORD_CONTROL,
  UL_PASSWORD_LENGTH,
  UL_PASSWORD_ONE_KIND,
} UlPasswordProblem;

/* What is wrong with @value under the rule above, if anything. */
UlPasswordProblem ul_password_check (const char *value);
/* The reason ul_validate_password() gives for @problem, untranslated (a gettext msgid;
 * NULL for UL_PASSWORD_OK), for a caller that speaks another language than the process
 * (the registration pages). UL_PASSWORD_LENGTH's has two %d: UL_PASSWORD_MIN and
 * UL_PASSWORD_MAX. */
const char *ul_password_problem_reason (UlPasswordProblem problem);

G_END_DECLS
