/* ul-pbxsim-calls.c — scripted two-party calls and their events (csta.md rule 24). */
#define G_LOG_DOMAIN "uplink-pbxsim"

#include "ul-pbxsim-calls.h"

#include "ul-pbxsim-error.h"

typedef struct
{
  char *device;
  gboolean internal;  /* an extension of the simulated PBX, so it may be monitored */
  gboolean joined;    /* has a connection in the call now */
  gboolean involved;  /* has had one: gets CallCleared */
  const char *state;  /* localConnectionInfo: null, initiated, alerting, connected, hold, fail */
} Party;

typedef enum
{
  STEP_ORIGINATE, /* ServiceInitiated + Originated */
  STEP_DELIVER,   /* Delivered, or Failed when the called party is busy */
  STEP_ANSWER,    /* Established */
  STEP_CLEAR,     /* ConnectionCleared for clearing_party, then the rest */
  STEP_DONE,
} Step;

typedef struct
{
  UlPbxsimCalls *calls;
  char *call_id;
  Party parties[2]; /* [0] calling, [1] called */
  Step next_step;
  int clearing_party;
  gboolean auto_answer;
  guint source;
} Call;

struct _UlPbxsimCalls
{
  GObject parent_instance;

  UlPbxsimServer *server;
  GPtrArray *calls; /* Call, oldest first */
  guint next_call_id;
};

G_DEFINE_FINAL_TYPE (UlPbxsimCalls, ul_pbxsim_calls, G_TYPE_OBJECT)

static void
call_free (Call *call)
{
  g_clear_handle_id (&call->source, g_source_remove);
  g_free (call->call_id);
  g_free (call->parties[0].device);
  g_free (call->parties[1].device);
  g_free (call);
}

static void
ul_pbxsim_calls_finalize (GObject *object)
{
  UlPbxsimCalls *self = UL_PBXSIM_CALLS (object);

  g_ptr_array_unref (self->calls);

  G_OBJECT_CLASS (ul_pbxsim_calls_parent_class)->finalize (object);
}

static void
ul_pbxsim_calls_class_init (UlPbxsimCallsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ul_pbxsim_calls_finalize;
}

static void
ul_pbxsim_calls_init (UlPbxsimCalls *self)
{
  self->calls = g_ptr_array_new_with_free_func ((GDestroyNotify) call_free);
  self->next_call_id = 4001;
}

UlPbxsimCalls *
ul_pbxsim_calls_new (UlPbxsimServer *server)
{
  UlPbxsimCalls *self = g_object_new (UL_TYPE_PBXSIM_CALLS, NULL);

  self->server = server;

  return self;
}

guint
ul_pbxsim_calls_get_n_calls (UlPbxsimCalls *self)
{
  g_return_val_if_fail (UL_IS_PBXSIM_CALLS (self), 0);

  return self->calls->len;
}

static gboolean
is_internal (UlPbxsimCalls *self, const char *device)
{
  return ul_pbxsim_directory_lookup (ul_pbxsim_server_get_directory (self->server), device) != NULL;
}

static Call *
find_call (UlPbxsimCalls *self, const char *call_id)
{
  for (guint i = 0; call_id != NULL && i < self->calls->len; i++)
    {
      Call *call = g_ptr_array_index (self->calls, i);

      if (g_str_equal (call->call_id, call_id))
        return call;
    }

  return NULL;
}

static int
party_index (const Call *call, const char *device)
{
  for (int i = 0; i < 2; i++)
    if (call->parties[i].joined && g_strcmp0 (call->parties[i].device, device) == 0)
      return i;

  return -1;
}

/* The newest call in which @device has a connection. */
static Call *
find_device_call (UlPbxsimCalls *self, const char *device, int *out_party)
{
  for (guint i = self->calls->len; i > 0; i--)
    {
      Call *call = g_ptr_array_index (self->calls, i - 1);
      int party = party_index (call, device);

      if (party >= 0)
        {
          *out_party = party;
          return call;
        }
    }

  return NULL;
}

static gboolean
is_busy (UlPbxsimCalls *self, const char *device)
{
  int party;

  return find_device_call (self, device, &party) != NULL;
}

/* Sends one event to the monitors of every internal party that is in the call, each with
 * its own localConnectionInfo (csta.md §4.2). */
static void
emit (Call *call, UlCstaEventType type, int connection, int subject, const char *cause)
{
  UlCstaEvent event = {
    .type = type,
    .call_id = call->call_id,
    .device_id = connection >= 0 ? call->parties[connection].device : NULL,
    .subject_device = subject >= 0 ? call->parties[subject].device : NULL,
    .calling_device = call->parties[0].device,
    .called_device = call->parties[1].device,
    .cause = cause,
  };

  g_debug ("call %s: %s", call->call_id, ul_csta_event_type_to_name (type));

  for (int i = 0; i < 2; i++)
    {
      const Party *party = &call->parties[i];

      if (!party->internal || !party->joined)
        continue;
      /* Both parties on one device (a call to oneself) would get each event twice. */
      if (i == 1 && g_strcmp0 (party->device, call->parties[0].device) == 0)
        continue;

      event.local_connection_info = party->state;
      ul_pbxsim_server_emit_event (call->calls->server, party->device, &event);
    }
}

static void schedule (Call *call, guint delay_ms);
static void clear_party (UlPbxsimCalls *self, Call *call, int party);

static void
join (Party *party, const char *state)
{
  party->joined = TRUE;
  party->involved = TRUE;
  party->state = state;
}

static gboolean
on_step (gpointer user_data)
{
  Call *call = user_data;
  const UlPbxsimConfig *config = ul_pbxsim_server_get_config (call->calls->server);
  Party *caller = &call->parties[0];
  Party *callee = &call->parties[1];

  call->source = 0;

  switch (call->next_step)
    {
    case STEP_ORIGINATE:
      join (caller, "initiated");
      emit (call, UL_CSTA_EVENT_SERVICE_INITIATED, 0, 0, "makeCall");
      caller->state = "connected";
      emit (call, UL_CSTA_EVENT_ORIGINATED, 0, 0, "makeCall");
      call->next_step = STEP_DELIVER;
      schedule (call, config->event_delay_ms);
      break;

    case STEP_DELIVER:
      if (callee->internal && is_busy (call->calls, callee->device))
        {
          caller->state = "fail";
          emit (call, UL_CSTA_EVENT_FAILED, 0, 1, "busy");
          call->next_step = STEP_DONE;
          break;
        }
      join (callee, "alerting");
      emit (call, UL_CSTA_EVENT_DELIVERED, 1, 1, "newCall");
      call->next_step = STEP_ANSWER;
      if (call->auto_answer && config->answer_delay_ms >= 0)
        schedule (call, config->answer_delay_ms);
      break;

    case STEP_ANSWER:
      callee->state = "connected";
      emit (call, UL_CSTA_EVENT_ESTABLISHED, 1, 1, "newCall");
      call->next_step = STEP_DONE;
      break;

    case STEP_CLEAR:
      /* Frees the call: nothing may touch it afterwards. */
      clear_party (call->calls, call, call->clearing_party);
      break;

    case STEP_DONE:
    default:
      break;
    }

  return G_SOURCE_REMOVE;
}

static void
schedule (Call *call, guint delay_ms)
{
  g_clear_handle_id (&call->source, g_source_remove);
  /* Even with no delay the events wait for the main loop, so that the response to the
   * request that started them is queued first. */
  call->source = g_timeout_add (delay_ms, on_step, call);
}

static Call *
call_new (UlPbxsimCalls *self, const char *from, const char *to)
{
  Call *call = g_new0 (Call, 1);

  call->calls = self;
  call->call_id = g_strdup_printf ("%u", self->next_call_id++);
  call->parties[0].device = g_strdup (from);
  call->parties[0].internal = is_internal (self, from);
  call->parties[0].state = "null";
  call->parties[1].device = g_strdup (to);
  call->parties[1].internal = is_internal (self, to);
  call->parties[1].state = "null";
  g_ptr_array_add (self->calls, call);

  return call;
}

char *
ul_pbxsim_calls_make_call (UlPbxsimCalls *self,
                           const char *calling,
                           const char *called,
                           const char **out_error_category,
                           const char **out_error_value)
{
  Call *call;

  g_return_val_if_fail (UL_IS_PBXSIM_CALLS (self), NULL);

  *out_error_category = "operation";
  if (calling == NULL || !is_internal (self, calling))
    {
      *out_error_value = "invalidCallingDeviceID";
      return NULL;
    }
  if (called == NULL || *called == '\0')
    {
      *out_error_value = "invalidCalledDeviceID";
      return NULL;
    }
  if (g_str_equal (calling, called))
    {
      *out_error_value = "notDifferentDevices";
      return NULL;
    }

  call = call_new (self, calling, called);
  call->auto_answer = TRUE;
  call->next_step = STEP_ORIGINATE;
  schedule (call, 0);

  return g_strdup (call->call_id);
}

char *
ul_pbxsim_calls_incoming (UlPbxsimCalls *self, const char *from, const char *to, GError **error)
{
  Call *call;

  g_return_val_if_fail (UL_IS_PBXSIM_CALLS (self), NULL);

  if (!is_internal (self, to))
    {
      g_set_error (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_NOT_FOUND, "no extension %s", to);
      return NULL;
    }
  if (g_str_equal (from, to))
    {
      g_set_error_literal (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID,
                           "caller and callee are the same");
      return NULL;
    }

  call = call_new (self, from, to);
  /* An external caller is simply connected; an internal one dials first. */
  if (call->parties[0].internal)
    {
      call->next_step = STEP_ORIGINATE;
    }
  else
    {
      join (&call->parties[0], "connected");
      call->next_step = STEP_DELIVER;
    }
  schedule (call, 0);

  return g_strdup (call->call_id);
}

/* Clears @party's connection; in a two-party call the other one follows, then the call. */
static void
clear_party (UlPbxsimCalls *self, Call *call, int party)
{
  int other = 1 - party;

  g_clear_handle_id (&call->source, g_source_remove);
  call->next_step = STEP_DONE;

  call->parties[party].state = "null";
  emit (call, UL_CSTA_EVENT_CONNECTION_CLEARED, party, party, "normalClearing");
  call->parties[party].joined = FALSE;

  if (call->parties[other].joined)
    {
      call->parties[other].state = "null";
      emit (call, UL_CSTA_EVENT_CONNECTION_CLEARED, other, other, "normalClearing");
      call->parties[other].joined = FALSE;
    }

  /* CallCleared goes to whoever was in the call, after the connections are gone. */
  for (int i = 0; i < 2; i++)
    call->parties[i].joined = call->parties[i].involved;
  emit (call, UL_CSTA_EVENT_CALL_CLEARED, -1, -1, "normalClearing");

  g_message ("call %s cleared", call->call_id);
  g_ptr_array_remove (self->calls, call);
}

gboolean
ul_pbxsim_calls_answer (UlPbxsimCalls *self,
                        const char *call_id,
                        const char *device,
                        const char **out_error_category,
                        const char **out_error_value)
{
  Call *call = find_call (self, call_id);
  int party = call != NULL ? party_index (call, device) : -1;

  if (party < 0)
    {
      *out_error_category = "operation";
      *out_error_value = "invalidConnectionID";
      return FALSE;
    }
  if (party != 1 || call->next_step != STEP_ANSWER)
    {
      *out_error_category = "stateIncompatibility";
      *out_error_value = "noCallToAnswer";
      return FALSE;
    }

  call->next_step = STEP_ANSWER;
  schedule (call, 0);

  return TRUE;
}

gboolean
ul_pbxsim_calls_clear (UlPbxsimCalls *self,
                       const char *call_id,
                       const char *device,
                       const char **out_error_category,
                       const char **out_error_value)
{
  Call *call = find_call (self, call_id);
  int party = call != NULL ? party_index (call, device) : -1;

  if (party < 0)
    {
      *out_error_category = "operation";
      *out_error_value = "invalidConnectionID";
      return FALSE;
    }

  /* The events follow the ClearConnectionResponse (rule 24). */
  call->next_step = STEP_CLEAR;
  call->clearing_party = party;
  schedule (call, 0);

  return TRUE;
}

static Call *
device_call_or_error (UlPbxsimCalls *self, const char *device, int *party, GError **error)
{
  Call *call = find_device_call (self, device, party);

  if (call == NULL)
    g_set_error (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_NOT_FOUND, "%s is not in a call", device);

  return call;
}

gboolean
ul_pbxsim_calls_answer_device (UlPbxsimCalls *self, const char *device, GError **error)
{
  int party;
  Call *call = device_call_or_error (self, device, &party, error);

  if (call == NULL)
    return FALSE;
  if (party != 1 || call->next_step != STEP_ANSWER)
    {
      g_set_error (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID, "%s is not ringing", device);
      return FALSE;
    }

  schedule (call, 0);

  return TRUE;
}

gboolean
ul_pbxsim_calls_clear_device (UlPbxsimCalls *self, const char *device, GError **error)
{
  int party;
  Call *call = device_call_or_error (self, device, &party, error);

  if (call == NULL)
    return FALSE;

  clear_party (self, call, party);

  return TRUE;
}

static gboolean
set_hold (UlPbxsimCalls *self, const char *device, gboolean hold, GError **error)
{
  int party;
  Call *call = device_call_or_error (self, device, &party, error);
  const char *from = hold ? "connected" : "hold";

  if (call == NULL)
    return FALSE;
  if (g_strcmp0 (call->parties[party].state, from) != 0)
    {
      g_set_error (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID, "%s is not %s", device, from);
      return FALSE;
    }

  call->parties[party].state = hold ? "hold" : "connected";
  emit (call, hold ? UL_CSTA_EVENT_HELD : UL_CSTA_EVENT_RETRIEVED, party, party, "normal");

  return TRUE;
}

gboolean
ul_pbxsim_calls_hold_device (UlPbxsimCalls *self, const char *device, GError **error)
{
  return set_hold (self, device, TRUE, error);
}

gboolean
ul_pbxsim_calls_retrieve_device (UlPbxsimCalls *self, const char *device, GError **error)
{
  return set_hold (self, device, FALSE, error);
}

GArray *
ul_pbxsim_calls_snapshot (UlPbxsimCalls *self, const char *device)
{
  GArray *items = g_array_new (FALSE, TRUE, sizeof (UlCstaSnapshotItem));

  g_return_val_if_fail (UL_IS_PBXSIM_CALLS (self), items);

  for (guint i = 0; i < self->calls->len; i++)
    {
      Call *call = g_ptr_array_index (self->calls, i);
      int party = party_index (call, device);
      UlCstaSnapshotItem item;

      if (party < 0)
        continue;

      item.call_id = call->call_id;
      item.device_id = call->parties[party].device;
      item.local_connection_state = call->parties[party].state;
      g_array_append_val (items, item);
    }

  return items;
}
