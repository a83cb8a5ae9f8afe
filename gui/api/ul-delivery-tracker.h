/* ul-delivery-tracker.h — the deployment e-mail of each invited user (GetDeliveries), kept
 * up to date from the gateway's "delivery-changed" events.
 *
 * Events come in bursts (a batch of mails goes queued → sending → sent): they are gathered
 * for a moment, then the few users concerned are read one by one, or everything at once
 * when many changed. Answers that a newer request overtook are dropped. */
#pragma once

#include <gio/gio.h>

#include "ul-gateway.h"

G_BEGIN_DECLS

#define UL_TYPE_DELIVERY_TRACKER (ul_delivery_tracker_get_type ())
G_DECLARE_FINAL_TYPE (UlDeliveryTracker, ul_delivery_tracker, UL, DELIVERY_TRACKER, GObject)

UlDeliveryTracker *ul_delivery_tracker_new (void);

/* Follows @gateway (NULL: none); reads its deliveries while active. */
void      ul_delivery_tracker_set_gateway (UlDeliveryTracker *self, UlGateway *gateway);
/* Only an active tracker reads (its list is on show): one that becomes active reads
 * everything, an inactive one ignores the events. New trackers are inactive. */
void      ul_delivery_tracker_set_active (UlDeliveryTracker *self, gboolean active);
/* Reads every delivery again. */
void      ul_delivery_tracker_reload (UlDeliveryTracker *self);
/* The newest delivery record of @extension, or NULL; owned by the tracker. */
GVariant *ul_delivery_tracker_lookup (UlDeliveryTracker *self, const char *extension);
/* Whether the first reading has arrived. */
gboolean  ul_delivery_tracker_get_loaded (UlDeliveryTracker *self);

/* Signal "changed" (const char *extension): that user's record changed, or, with NULL,
 * possibly every record (after a full reading). */

G_END_DECLS
