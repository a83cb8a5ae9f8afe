/* ul-csta-events.c — ECMA-323 call control events (csta.md §4.2). */
#define G_LOG_DOMAIN "ul-csta"

#include "ul-csta-events.h"

#include "ul-csta-writer.h"

/* Element names per event, in schema order: connection, subject, destination, calling,
 * called, lastRedirectionDevice, localConnectionInfo, cause (S7 Ed6.cs). */
typedef struct
{
  UlCstaEventType type;
  const char *root;
  const char *connection;
  const char *subject;
  const char *destination;
  const char *calling;
  const char *called;
  gboolean redirection;
  gboolean local_info;
  gboolean subject_last; /* OriginatedEvent puts originatingDevice after the parties */
} EventShape;

static const EventShape shapes[] = {
  { UL_CSTA_EVENT_SERVICE_INITIATED, "ServiceInitiatedEvent", "initiatedConnection",
    "initiatingDevice", NULL, NULL, "calledDevice", FALSE, TRUE, FALSE },
  { UL_CSTA_EVENT_ORIGINATED, "OriginatedEvent", "originatedConnection", "originatingDevice",
    NULL, "callingDevice", "calledDevice", FALSE, TRUE, TRUE },
  { UL_CSTA_EVENT_DELIVERED, "DeliveredEvent", "connection", "alertingDevice", NULL,
    "callingDevice", "calledDevice", TRUE, TRUE, FALSE },
  { UL_CSTA_EVENT_ESTABLISHED, "EstablishedEvent", "establishedConnection", "answeringDevice",
    NULL, "callingDevice", "calledDevice", TRUE, TRUE, FALSE },
  { UL_CSTA_EVENT_CONNECTION_CLEARED, "ConnectionClearedEvent", "droppedConnection",
    "releasingDevice", NULL, NULL, NULL, FALSE, TRUE, FALSE },
  { UL_CSTA_EVENT_CALL_CLEARED, "CallClearedEvent", "clearedCall", NULL, NULL, NULL, NULL,
    FALSE, FALSE, FALSE },
  { UL_CSTA_EVENT_HELD, "HeldEvent", "heldConnection", "holdingDevice", NULL, NULL, NULL, FALSE,
    TRUE, FALSE },
  { UL_CSTA_EVENT_RETRIEVED, "RetrievedEvent", "retrievedConnection", "retrievingDevice", NULL,
    NULL, NULL, FALSE, TRUE, FALSE },
  { UL_CSTA_EVENT_DIVERTED, "DivertedEvent", "connection", "divertingDevice", "newDestination",
    "callingDevice", "calledDevice", TRUE, TRUE, FALSE },
  /* "Transfered" is the schema's own spelling. */
  { UL_CSTA_EVENT_TRANSFERRED, "TransferedEvent", "primaryOldCall", "transferringDevice",
    "transferredToDevice", NULL, NULL, FALSE, TRUE, FALSE },
  { UL_CSTA_EVENT_CONFERENCED, "ConferencedEvent", "primaryOldCall", "conferencingDevice",
    "addedParty", NULL, NULL, FALSE, TRUE, FALSE },
  { UL_CSTA_EVENT_FAILED, "FailedEvent", "failedConnection", "failingDevice", NULL,
    "callingDevice", "calledDevice", TRUE, TRUE, FALSE },
  { UL_CSTA_EVENT_QUEUED, "QueuedEvent", "queuedConnection", "queue", NULL, "callingDevice",
    "calledDevice", TRUE, TRUE, FALSE },
  { UL_CSTA_EVENT_NETWORK_REACHED, "NetworkReachedEvent", "outboundConnection",
    "networkInterfaceUsed", NULL, "callingDevice", "calledDevice", TRUE, TRUE, FALSE },
};

static const EventShape *
shape_for_type (UlCstaEventType type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    if (shapes[i].type == type)
      return &shapes[i];

  return NULL;
}

const char *
ul_csta_event_type_to_name (UlCstaEventType type)
{
  const EventShape *shape = shape_for_type (type);

  return shape != NULL ? shape->root : NULL;
}

UlCstaEventType
ul_csta_event_type_from_name (const char *root_name)
{
  g_return_val_if_fail (root_name != NULL, UL_CSTA_EVENT_UNKNOWN);

  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    if (g_str_equal (shapes[i].root, root_name))
      return shapes[i].type;

  if (g_str_equal (root_name, "TransferredEvent"))
    return UL_CSTA_EVENT_TRANSFERRED;

  return UL_CSTA_EVENT_UNKNOWN;
}

static void
write_optional_device (UlCstaWriter *w, const char *name, const char *device)
{
  if (name != NULL && device != NULL)
    ul_csta_writer_device (w, name, device);
}

char *
ul_csta_build_event (const char *ns, const UlCstaEvent *event)
{
  const EventShape *shape;
  UlCstaWriter *w;

  g_return_val_if_fail (event != NULL, NULL);

  shape = shape_for_type (event->type);
  if (shape == NULL)
    return NULL;

  w = ul_csta_writer_new (shape->root, ns != NULL ? ns : UL_CSTA_NS_ED5);
  ul_csta_writer_text (w, "monitorCrossRefID", event->monitor_cross_ref_id);
  ul_csta_writer_connection (w, shape->connection, event->call_id, event->device_id);

  if (shape->subject_last)
    {
      ul_csta_writer_device (w, shape->calling, event->calling_device);
      ul_csta_writer_device (w, shape->called, event->called_device);
      write_optional_device (w, shape->subject, event->subject_device);
    }
  else
    {
      if (shape->subject != NULL)
        ul_csta_writer_device (w, shape->subject, event->subject_device);
      if (shape->destination != NULL)
        ul_csta_writer_device (w, shape->destination, event->destination_device);
      if (shape->calling != NULL)
        ul_csta_writer_device (w, shape->calling, event->calling_device);
      /* ServiceInitiated has an optional calledDevice, the others a mandatory one. */
      if (shape->calling == NULL)
        write_optional_device (w, shape->called, event->called_device);
      else if (shape->called != NULL)
        ul_csta_writer_device (w, shape->called, event->called_device);
    }

  if (shape->redirection)
    {
      ul_csta_writer_open (w, "lastRedirectionDevice");
      ul_csta_writer_empty (w, "notRequired");
      ul_csta_writer_close (w);
    }
  if (shape->local_info)
    ul_csta_writer_text (w, "localConnectionInfo", event->local_connection_info);
  ul_csta_writer_text (w, "cause", event->cause);

  return ul_csta_writer_finish (w);
}

/* A device in an event is <x><deviceIdentifier>ID</deviceIdentifier></x>; some switches put
 * the ID straight into <x>. <notKnown/> and friends give NULL. */
static const char *
device_text (const UlCstaNode *root, const char *name)
{
  UlCstaNode *node;
  const char *text;

  if (name == NULL)
    return NULL;

  node = ul_csta_node_get_child (root, name);
  if (node == NULL)
    return NULL;

  text = ul_csta_node_get_text_at (node, "deviceIdentifier");
  if (text != NULL)
    return text;

  text = ul_csta_node_get_text (node);
  return *text != '\0' ? text : NULL;
}

static UlCstaNode *
generic_connection (const UlCstaNode *root)
{
  for (guint i = 0; i < ul_csta_node_get_n_children (root); i++)
    {
      UlCstaNode *child = ul_csta_node_get_child_at (root, i);
      const char *name = ul_csta_node_get_name (child);

      if (g_str_equal (name, "connection") || g_str_has_suffix (name, "Connection"))
        return child;
    }

  return NULL;
}

gboolean
ul_csta_event_parse (const UlCstaNode *root, UlCstaEvent *out)
{
  const char *name;
  const EventShape *shape;
  UlCstaNode *connection;

  g_return_val_if_fail (root != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  name = ul_csta_node_get_name (root);
  if (!g_str_has_suffix (name, "Event"))
    return FALSE;

  *out = (UlCstaEvent) { 0 };
  out->type = ul_csta_event_type_from_name (name);
  shape = shape_for_type (out->type);

  out->monitor_cross_ref_id = ul_csta_node_get_text_at (root, "monitorCrossRefID");
  connection = shape != NULL ? ul_csta_node_get_child (root, shape->connection)
                             : generic_connection (root);
  if (connection != NULL)
    {
      out->call_id = ul_csta_node_get_text_at (connection, "callID");
      out->device_id = ul_csta_node_get_text_at (connection, "deviceID");
    }

  if (shape != NULL)
    {
      out->subject_device = device_text (root, shape->subject);
      out->destination_device = device_text (root, shape->destination);
      out->calling_device = device_text (root, shape->calling);
      out->called_device = device_text (root, shape->called);
    }
  else
    {
      out->calling_device = device_text (root, "callingDevice");
      out->called_device = device_text (root, "calledDevice");
    }

  out->local_connection_info = ul_csta_node_get_text_at (root, "localConnectionInfo");
  out->cause = ul_csta_node_get_text_at (root, "cause");

  return TRUE;
}
