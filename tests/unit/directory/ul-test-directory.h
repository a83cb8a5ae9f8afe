/* ul-test-directory.h — drive ul_directory_fetch_async() to completion in a test. */
#pragma once

#include "ul-directory-source.h"

typedef struct
{
  gboolean   done;
  GPtrArray *users;    /* UlUser* */
  GPtrArray *skipped;  /* UlDirectorySkip* */
  GError    *error;
} UlTestFetch;

static inline void
ul_test_on_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  UlTestFetch *fetch = user_data;

  fetch->users = ul_directory_fetch_finish (result, &fetch->skipped, &fetch->error);
  fetch->done = TRUE;
}

/* Runs the fetch on a private main context until it completes; the worker thread does
 * the blocking part, this thread only waits for the callback. */
static inline void
ul_test_fetch (const UlDirectoryConfig *config, GCancellable *cancellable, UlTestFetch *fetch)
{
  g_autoptr(GMainContext) context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  ul_directory_fetch_async (config, cancellable, ul_test_on_fetched, fetch);
  while (!fetch->done)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
}

static inline void
ul_test_fetch_clear (UlTestFetch *fetch)
{
  g_clear_pointer (&fetch->users, g_ptr_array_unref);
  g_clear_pointer (&fetch->skipped, g_ptr_array_unref);
  g_clear_error (&fetch->error);
  fetch->done = FALSE;
}

static inline UlUser *
ul_test_find_user (GPtrArray *users, const char *extension)
{
  for (guint i = 0; i < users->len; i++)
    {
      UlUser *user = g_ptr_array_index (users, i);

      if (g_str_equal (user->extension, extension))
        return user;
    }
  return NULL;
}
