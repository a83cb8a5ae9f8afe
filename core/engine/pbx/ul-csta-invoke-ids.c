/* ul-csta-invoke-ids.c — invoke ID allocation (csta.md rule 5). */
#define G_LOG_DOMAIN "ul-csta"

#include "ul-csta-invoke-ids.h"

#include <string.h>

struct _UlCstaInvokeIds
{
  GObject parent_instance;

  guint next;
  guint n_in_flight;
  gboolean in_flight[UL_CSTA_INVOKE_ID_LAST + 1];
};

G_DEFINE_FINAL_TYPE (UlCstaInvokeIds, ul_csta_invoke_ids, G_TYPE_OBJECT)

static void
ul_csta_invoke_ids_class_init (UlCstaInvokeIdsClass *klass)
{
}

static void
ul_csta_invoke_ids_init (UlCstaInvokeIds *self)
{
  self->next = UL_CSTA_INVOKE_ID_FIRST;
}

UlCstaInvokeIds *
ul_csta_invoke_ids_new (void)
{
  return g_object_new (UL_TYPE_CSTA_INVOKE_IDS, NULL);
}

guint
ul_csta_invoke_ids_acquire (UlCstaInvokeIds *self)
{
  guint id;

  g_return_val_if_fail (UL_IS_CSTA_INVOKE_IDS (self), 0);

  if (self->n_in_flight == UL_CSTA_INVOKE_ID_LAST)
    return 0;

  while (self->in_flight[self->next])
    self->next = self->next == UL_CSTA_INVOKE_ID_LAST ? UL_CSTA_INVOKE_ID_FIRST : self->next + 1;

  id = self->next;
  self->in_flight[id] = TRUE;
  self->n_in_flight++;
  self->next = id == UL_CSTA_INVOKE_ID_LAST ? UL_CSTA_INVOKE_ID_FIRST : id + 1;

  return id;
}

void
ul_csta_invoke_ids_release (UlCstaInvokeIds *self, guint invoke_id)
{
  g_return_if_fail (UL_IS_CSTA_INVOKE_IDS (self));

  if (invoke_id < UL_CSTA_INVOKE_ID_FIRST || invoke_id > UL_CSTA_INVOKE_ID_LAST ||
      !self->in_flight[invoke_id])
    return;

  self->in_flight[invoke_id] = FALSE;
  self->n_in_flight--;
}

gboolean
ul_csta_invoke_ids_is_in_flight (UlCstaInvokeIds *self, guint invoke_id)
{
  g_return_val_if_fail (UL_IS_CSTA_INVOKE_IDS (self), FALSE);

  return invoke_id >= UL_CSTA_INVOKE_ID_FIRST && invoke_id <= UL_CSTA_INVOKE_ID_LAST &&
         self->in_flight[invoke_id];
}

guint
ul_csta_invoke_ids_get_n_in_flight (UlCstaInvokeIds *self)
{
  g_return_val_if_fail (UL_IS_CSTA_INVOKE_IDS (self), 0);

  return self->n_in_flight;
}

void
ul_csta_invoke_ids_reset (UlCstaInvokeIds *self)
{
  g_return_if_fail (UL_IS_CSTA_INVOKE_IDS (self));

  memset (self->in_flight, 0, sizeof self->in_flight);
  self->n_in_flight = 0;
}
