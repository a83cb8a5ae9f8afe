/* ul-csta-invoke-ids.h — invoke ID allocation for client requests (csta.md rule 5).
 *
 * IDs run 0001–9998 and wrap; an ID still waiting for its response is skipped, so a late
 * answer can never be matched to a newer request. 9999 is reserved for events.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define UL_TYPE_CSTA_INVOKE_IDS (ul_csta_invoke_ids_get_type ())
G_DECLARE_FINAL_TYPE (UlCstaInvokeIds, ul_csta_invoke_ids, UL, CSTA_INVOKE_IDS, GObject)

#define UL_CSTA_INVOKE_ID_FIRST 1
#define UL_CSTA_INVOKE_ID_LAST 9998

UlCstaInvokeIds *ul_csta_invoke_ids_new (void);

/* The next free ID, now in flight; 0 when all 9998 are in flight. */
guint ul_csta_invoke_ids_acquire (UlCstaInvokeIds *self);
/* Marks a response as received (or the request as abandoned). Unknown IDs are ignored. */
void ul_csta_invoke_ids_release (UlCstaInvokeIds *self, guint invoke_id);
gboolean ul_csta_invoke_ids_is_in_flight (UlCstaInvokeIds *self, guint invoke_id);
guint ul_csta_invoke_ids_get_n_in_flight (UlCstaInvokeIds *self);
/* Releases every ID, e.g. after the link dropped (rule 13). */
void ul_csta_invoke_ids_reset (UlCstaInvokeIds *self);

G_END_DECLS
