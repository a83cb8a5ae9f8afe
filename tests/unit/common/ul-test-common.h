/* ul-test-common.h — assertions shared by the core/common unit tests. */
#pragma once

#include <glib.h>

#include "ul-error.h"

/* @error is UL_ERROR_INVALID_ARGUMENT naming @field, with a non-empty reason. */
#define ul_assert_field_error(error, field)                                      \
  G_STMT_START                                                                   \
  {                                                                              \
    const GError *ul_assert_error_ = (error);                                    \
    g_autofree char *ul_assert_field_ = NULL;                                    \
    g_autofree char *ul_assert_reason_ = NULL;                                   \
    g_assert_error (ul_assert_error_, UL_ERROR, UL_ERROR_INVALID_ARGUMENT);      \
    ul_assert_field_ = ul_error_get_field (ul_assert_error_);                    \
    ul_assert_reason_ = ul_error_get_reason (ul_assert_error_);                  \
    g_assert_cmpstr (ul_assert_field_, ==, (field));                             \
    g_assert_cmpstr (ul_assert_reason_, !=, "");                                 \
  }                                                                              \
  G_STMT_END

/* A string of @n copies of the UTF-8 character @c (e.g. "é", two bytes). */
static inline char *
ul_test_repeat (const char *c, gsize n)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < n; i++)
    g_string_append (s, c);
  return g_string_free (s, FALSE);
}
