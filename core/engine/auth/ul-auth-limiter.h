/* ul-auth-limiter.h — failed-attempt counting with exponential lock-out, per key.
 *
 * The auth service keys it by peer address and by account, so that neither one client
 * guessing many accounts nor many clients guessing one account get more than a handful of
 * tries. Memory is bounded: the table holds at most a fixed number of keys. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  guint max_failures;    /* failures within @window that start a lock-out */
  guint window;          /* seconds */
  guint lockout;         /* seconds of the first lock-out; each further one doubles */
  guint max_lockout;     /* seconds; also how long a key is remembered after its lock ends */
} UlAuthLimits;

#define UL_TYPE_AUTH_LIMITER (ul_auth_limiter_get_type ())
G_DECLARE_FINAL_TYPE (UlAuthLimiter, ul_auth_limiter, UL, AUTH_LIMITER, GObject)

UlAuthLimiter *ul_auth_limiter_new (const UlAuthLimits *limits, guint max_keys);

/* 0 when @key may try now, else the whole seconds until it may. @now is monotonic µs. */
guint ul_auth_limiter_check (UlAuthLimiter *self, const char *key, gint64 now);
/* Counts a failure; returns the lock-out in seconds it started, or 0. */
guint ul_auth_limiter_fail (UlAuthLimiter *self, const char *key, gint64 now);
/* Forgets @key (a success). */
void  ul_auth_limiter_reset (UlAuthLimiter *self, const char *key);
guint ul_auth_limiter_get_size (UlAuthLimiter *self);

G_END_DECLS
