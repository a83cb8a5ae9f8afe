/* ul-csta-events.h — ECMA-323 call control events (csta.md §4.2, rules 5, 18, 24).
 *
 * One flat view covers every event the gateway handles: the call is identified by its
 * connection (callID + deviceID) and the state by localConnectionInfo, which is relative to
 * the monitored device.
 */
#pragma once

#include <glib.h>

#include "ul-csta-node.h"

G_BEGIN_DECLS

typedef enum
{
  UL_CSTA_EVENT_UNKNOWN = 0,
  UL_CSTA_EVENT_SERVICE_INITIATED,
  UL_CSTA_EVENT_ORIGINATED,
  UL_CSTA_EVENT_DELIVERED,
  UL_CSTA_EVENT_ESTABLISHED,
  UL_CSTA_EVENT_CONNECTION_CLEARED,
  UL_CSTA_EVENT_CALL_CLEARED,
  UL_CSTA_EVENT_HELD,
  UL_CSTA_EVENT_RETRIEVED,
  UL_CSTA_EVENT_DIVERTED,
  UL_CSTA_EVENT_TRANSFERRED,
  UL_CSTA_EVENT_CONFERENCED,
  UL_CSTA_EVENT_FAILED,
  UL_CSTA_EVENT_QUEUED,
  UL_CSTA_EVENT_NETWORK_REACHED,
} UlCstaEventType;

typedef struct
{
  UlCstaEventType type;
  const char *monitor_cross_ref_id;
  const char *call_id;   /* of the event's connection */
  const char *device_id; /* of the event's connection */
  /* The device the event is about: initiating, alerting, answering, releasing, holding,
   * retrieving, diverting, transferring, conferencing, failing device, queue, network
   * interface; for Originated the optional originatingDevice. */
  const char *subject_device;
  /* Diverted newDestination, Transferred transferredToDevice, Conferenced addedParty. */
  const char *destination_device;
  const char *calling_device;
  const char *called_device;
  const char *local_connection_info; /* null, initiated, alerting, connected, hold, queued, fail */
  const char *cause;
} UlCstaEvent;

/* Root element name as the schema spells it ("TransferedEvent", sic), or NULL. */
const char *ul_csta_event_type_to_name (UlCstaEventType type);
/* Accepts the schema spelling and the obvious "TransferredEvent". */
UlCstaEventType ul_csta_event_type_from_name (const char *root_name);

/* Builds the event; fields left NULL are omitted or sent as <notKnown/> where the schema
 * requires a device. Returns NULL for UL_CSTA_EVENT_UNKNOWN. */
char *ul_csta_build_event (const char *ns, const UlCstaEvent *event);

/* Fills @out from an event message; the strings belong to @root. Returns FALSE when @root
 * is not an event. An unknown event gives TRUE with type UL_CSTA_EVENT_UNKNOWN and the
 * fields that could be found generically, so callers can log and ignore it (rule 18). */
gboolean ul_csta_event_parse (const UlCstaNode *root, UlCstaEvent *out);

G_END_DECLS
