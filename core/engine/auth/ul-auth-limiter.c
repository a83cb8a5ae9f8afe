/* ul-auth-limiter.c — failed-attempt counting with exponential lock-out, per key. */
#define G_LOG_DOMAIN "uplink-auth"

#include "config.h"

#include "ul-auth-limiter.h"

typedef struct
{
  gint64 window_start;
  gint64 locked_until;
  gint64 last_failure;
  guint  failures;
  guint  lockouts;  /* how many lock-outs so far: the next one lasts lockout << lockouts */
} Entry;

struct _UlAuthLimiter
{
  GObject       parent_instance;

  UlAuthLimits  limits;
  guint         max_keys;
  GHashTable   *entries;  /* key → Entry */
};

G_DEFINE_FINAL_TYPE (UlAuthLimiter, ul_auth_limiter, G_TYPE_OBJECT)

static void
ul_auth_limiter_finalize (GObject *object)
{
  UlAuthLimiter *self = UL_AUTH_LIMITER (object);

  g_hash_table_unref (self->entries);
  G_OBJECT_CLASS (ul_auth_limiter_parent_class)->finalize (object);
}

static void
ul_auth_limiter_class_init (UlAuthLimiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ul_auth_limiter_finalize;
}

static void
ul_auth_limiter_init (UlAuthLimiter *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

UlAuthLimiter *
ul_auth_limiter_new (const UlAuthLimits *limits, guint max_keys)
{
  UlAuthLimiter *self = g_object_new (UL_TYPE_AUTH_LIMITER, NULL);

  g_return_val_if_fail (limits != NULL, NULL);

  self->limits = *limits;
  self->limits.max_failures = MAX (self->limits.max_failures, 1);
  self->limits.lockout = MAX (self->limits.lockout, 1);
  self->limits.max_lockout = MAX (self->limits.max_lockout, self->limits.lockout);
  self->max_keys = MAX (max_keys, 16);
  return self;
}

/* An entry matters while it is locked or its failures still count. */
static gboolean
entry_expired (UlAuthLimiter *self, const Entry *entry, gint64 now)
{
  guint longest = MAX (self->limits.window, self->limits.max_lockout);
  gint64 forget_after = (gint64) longest * G_USEC_PER_SEC;

  return entry->locked_until <= now && now - entry->last_failure > forget_after;
}

/* Keeps the table bounded: drop what no longer matters, then, if an attacker still fills
 * it, the entry that failed longest ago. */
static void
make_room (UlAuthLimiter *self, gint64 now)
{
  GHashTableIter iter;
  gpointer key, value;
  const char *oldest_key = NULL;
  gint64 oldest = G_MAXINT64;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (entry_expired (self, value, now))
      g_hash_table_iter_remove (&iter);
  if (g_hash_table_size (self->entries) < self->max_keys)
    return;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const Entry *entry = value;
      if (entry->last_failure < oldest)
        {
          oldest = entry->last_failure;
          oldest_key = key;
        }
    }
  if (oldest_key != NULL)
    g_hash_table_remove (self->entries, oldest_key);
}

guint
ul_auth_limiter_check (UlAuthLimiter *self, const char *key, gint64 now)
{
  Entry *entry;

  g_return_val_if_fail (UL_IS_AUTH_LIMITER (self), 0);

  entry = g_hash_table_lookup (self->entries, key);
  if (entry == NULL || entry->locked_until <= now)
    return 0;
  return (guint) ((entry->locked_until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

guint
ul_auth_limiter_fail (UlAuthLimiter *self, const char *key, gint64 now)
{
  Entry *entry;
  guint64 seconds;

  g_return_val_if_fail (UL_IS_AUTH_LIMITER (self), 0);

  entry = g_hash_table_lookup (self->entries, key);
  if (entry != NULL && entry_expired (self, entry, now))
    {
      g_hash_table_remove (self->entries, key);
      entry = NULL;
    }
  if (entry == NULL)
    {
      if (g_hash_table_size (self->entries) >= self->max_keys)
        make_room (self, now);
      entry = g_new0 (Entry, 1);
      entry->window_start = now;
      g_hash_table_insert (self->entries, g_strdup (key), entry);
    }

  if (now - entry->window_start > (gint64) self->limits.window * G_USEC_PER_SEC)
    {
      entry->window_start = now;
      entry->failures = 0;
    }
  entry->last_failure = now;
  if (++entry->failures < self->limits.max_failures)
    return 0;

  seconds = MIN ((guint64) self->limits.lockout << MIN (entry->lockouts, 20),
                 (guint64) self->limits.max_lockout);
  entry->lockouts++;
  entry->failures = 0;
  entry->window_start = now;
  entry->locked_until = now + (gint64) seconds * G_USEC_PER_SEC;
  /* The lock-out counts as the last failure, so the doubling is remembered until the key
   * has behaved for max_lockout after it. */
  entry->last_failure = entry->locked_until;
  return (guint) seconds;
}

void
ul_auth_limiter_reset (UlAuthLimiter *self, const char *key)
{
  g_return_if_fail (UL_IS_AUTH_LIMITER (self));
  g_hash_table_remove (self->entries, key);
}

guint
ul_auth_limiter_get_size (UlAuthLimiter *self)
{
  g_return_val_if_fail (UL_IS_AUTH_LIMITER (self), 0);
  return g_hash_table_size (self->entries);
}
