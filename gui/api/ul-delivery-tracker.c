/* ul-delivery-tracker.c — the deployment e-mails of a gateway's users, live.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include "ul-delivery-tracker.h"
#include "ul-error.h"
#include "ul-json.h"

/* How long events are gathered before reading, and from how many changed users on one
 * reading of everything is cheaper than a request each. */
#define GATHER_MS     200
#define READ_ONE_MAX  8

struct _UlDeliveryTracker
{
  GObject       parent_instance;

  UlGateway    *gateway;
  GHashTable   *records;    /* extension → GVariant a{sv} */
  GHashTable   *pending;    /* extensions changed, not read yet */
  GHashTable   *requested;  /* extension → the newest single read's number */
  GHashTable   *fresh;      /* extensions read singly while a full reading was on its way */
  guint         serial;
  guint         gateway_serial;  /* bumped per gateway: older answers are dropped */
  guint         full_serial;     /* bumped per full reading */
  gboolean      reading_all;
  gboolean      loaded;
  gboolean      active;
  guint         gather_id;
  GCancellable *cancellable;     /* cancelled only when the tracker goes away */
};

G_DEFINE_FINAL_TYPE (UlDeliveryTracker, ul_delivery_tracker, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  UlDeliveryTracker *self;
  char              *extension;  /* NULL for a full reading */
  guint              serial;
  guint              gateway_serial;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_object_unref (data->self);
  g_free (data->extension);
  g_free (data);
}

static ReadData *
read_data_new (UlDeliveryTracker *self, const char *extension, guint serial)
{
  ReadData *data = g_new0 (ReadData, 1);

  data->self = g_object_ref (self);
  data->extension = g_strdup (extension);
  data->serial = serial;
  data->gateway_serial = self->gateway_serial;
  return data;
}

static void schedule_gather (UlDeliveryTracker *self);

static void
on_all_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ReadData *data = user_data;
  UlDeliveryTracker *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  g_autoptr(GVariant) items = NULL;
  g_autoptr(GHashTable) records = NULL;
  GHashTableIter iter;
  gpointer key;

  if (data->gateway_serial != self->gateway_serial || data->serial != self->full_serial)
    {
      read_data_free (data);
      return;
    }
  self->reading_all = FALSE;
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Cannot read the deployment e-mails: %s", error->message);
      g_hash_table_remove_all (self->fresh);
      read_data_free (data);
      return;
    }

  records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) g_variant_unref);
  items = ul_json_lookup_dict_array (reply, "items");
  for (gsize i = 0; items != NULL && i < g_variant_n_children (items); i++)
    {
      g_autoptr(GVariant) record = g_variant_get_child_value (items, i);
      const char *extension = ul_json_lookup_string (record, "extension", NULL);

      if (extension != NULL && !g_hash_table_contains (self->fresh, extension))
        g_hash_table_replace (records, g_strdup (extension), g_variant_ref (record));
    }
  /* What a single read told after an event is newer than this reading may be. */
  g_hash_table_iter_init (&iter, self->fresh);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GVariant *current = g_hash_table_lookup (self->records, key);

      if (current != NULL)
        g_hash_table_replace (records, g_strdup (key), g_variant_ref (current));
    }
  g_hash_table_remove_all (self->fresh);
  g_clear_pointer (&self->records, g_hash_table_unref);
  self->records = g_steal_pointer (&records);
  self->loaded = TRUE;
  read_data_free (data);

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, NULL);
  if (g_hash_table_size (self->pending) > 0)
    schedule_gather (self);
}

void
ul_delivery_tracker_reload (UlDeliveryTracker *self)
{
  g_return_if_fail (UL_IS_DELIVERY_TRACKER (self));

  if (self->gateway == NULL || !self->active)
    return;
  /* Everything changed so far is in this reading. */
  g_hash_table_remove_all (self->pending);
  g_hash_table_remove_all (self->fresh);
  self->reading_all = TRUE;
  ul_gateway_call_async (self->gateway, UL_API_OP_LIST_DELIVERIES, NULL, NULL, self->cancellable,
                         on_all_read, read_data_new (self, NULL, ++self->full_serial));
}

static void
on_one_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ReadData *data = user_data;
  UlDeliveryTracker *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);

  /* Another gateway by now, or a newer read of the same user overtook this one. */
  if (data->gateway_serial != self->gateway_serial ||
      GPOINTER_TO_UINT (g_hash_table_lookup (self->requested, data->extension)) != data->serial)
    {
      read_data_free (data);
      return;
    }
  g_hash_table_remove (self->requested, data->extension);

  if (record == NULL)
    {
      /* The user left the directory, or the mail is gone: nothing to show. */
      if (!g_error_matches (error, UL_ERROR, UL_ERROR_NOT_FOUND))
        {
          g_debug ("Cannot read the deployment e-mail of %s: %s", data->extension,
                   error->message);
          read_data_free (data);
          return;
        }
      g_hash_table_remove (self->records, data->extension);
    }
  else
    g_hash_table_replace (self->records, g_strdup (data->extension), g_variant_ref (record));
  if (self->reading_all)
    g_hash_table_add (self->fresh, g_strdup (data->extension));

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, data->extension);
  read_data_free (data);
}

static gboolean
on_gather (gpointer user_data)
{
  UlDeliveryTracker *self = UL_DELIVERY_TRACKER (user_data);
  g_autoptr(GHashTable) pending = NULL;
  GHashTableIter iter;
  gpointer key;

  self->gather_id = 0;
  if (self->gateway == NULL)
    return G_SOURCE_REMOVE;
  /* One full reading at a time; what changes meanwhile is read after it. */
  if (self->reading_all)
    return G_SOURCE_REMOVE;
  if (g_hash_table_size (self->pending) > READ_ONE_MAX)
    {
      ul_delivery_tracker_reload (self);
      return G_SOURCE_REMOVE;
    }

  pending = g_steal_pointer (&self->pending);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint serial = ++self->serial;

      g_hash_table_replace (self->requested, g_strdup (key), GUINT_TO_POINTER (serial));
      ul_gateway_call_async (self->gateway, UL_API_OP_GET_DELIVERY, key, NULL, self->cancellable,
                             on_one_read, read_data_new (self, key, serial));
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_gather (UlDeliveryTracker *self)
{
  if (self->gather_id == 0)
    self->gather_id = g_timeout_add (GATHER_MS, on_gather, self);
}

static void
on_delivery_changed (UlGateway *gateway, const char *extension, UlDeliveryTracker *self)
{
  /* Read again as a whole when it becomes active. */
  if (!self->active)
    return;
  g_hash_table_add (self->pending, g_strdup (extension));
  schedule_gather (self);
}

static void
ul_delivery_tracker_dispose (GObject *object)
{
  UlDeliveryTracker *self = UL_DELIVERY_TRACKER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->gather_id, g_source_remove);
  if (self->gateway != NULL)
    g_signal_handlers_disconnect_by_data (self->gateway, self);
  g_clear_object (&self->gateway);

  G_OBJECT_CLASS (ul_delivery_tracker_parent_class)->dispose (object);
}

static void
ul_delivery_tracker_finalize (GObject *object)
{
  UlDeliveryTracker *self = UL_DELIVERY_TRACKER (object);

  g_hash_table_unref (self->records);
  g_hash_table_unref (self->pending);
  g_hash_table_unref (self->requested);
  g_hash_table_unref (self->fresh);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ul_delivery_tracker_parent_class)->finalize (object);
}

static void
ul_delivery_tracker_class_init (UlDeliveryTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ul_delivery_tracker_dispose;
  object_class->finalize = ul_delivery_tracker_finalize;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ul_delivery_tracker_init (UlDeliveryTracker *self)
{
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_variant_unref);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->requested = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->fresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}

UlDeliveryTracker *
ul_delivery_tracker_new (void)
{
  return g_object_new (UL_TYPE_DELIVERY_TRACKER, NULL);
}

void
ul_delivery_tracker_set_gateway (UlDeliveryTracker *self, UlGateway *gateway)
{
  g_return_if_fail (UL_IS_DELIVERY_TRACKER (self));
  g_return_if_fail (gateway == NULL || UL_IS_GATEWAY (gateway));

  if (self->gateway != gateway)
    {
      if (self->gateway != NULL)
        g_signal_handlers_disconnect_by_data (self->gateway, self);
      g_set_object (&self->gateway, gateway);
      if (gateway != NULL)
        g_signal_connect (gateway, "delivery-changed", G_CALLBACK (on_delivery_changed), self);
      self->gateway_serial++;
      self->loaded = FALSE;
      self->reading_all = FALSE;
      g_clear_handle_id (&self->gather_id, g_source_remove);
      g_hash_table_remove_all (self->records);
      g_hash_table_remove_all (self->pending);
      g_hash_table_remove_all (self->requested);
      g_hash_table_remove_all (self->fresh);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0, NULL);
    }
  ul_delivery_tracker_reload (self);
}

void
ul_delivery_tracker_set_active (UlDeliveryTracker *self, gboolean active)
{
  g_return_if_fail (UL_IS_DELIVERY_TRACKER (self));

  if (self->active == !!active)
    return;
  self->active = !!active;
  if (active)
    {
      ul_delivery_tracker_reload (self);
      return;
    }
  /* Answers still on their way are kept: they are news all the same. */
  g_clear_handle_id (&self->gather_id, g_source_remove);
  g_hash_table_remove_all (self->pending);
}

GVariant *
ul_delivery_tracker_lookup (UlDeliveryTracker *self, const char *extension)
{
  g_return_val_if_fail (UL_IS_DELIVERY_TRACKER (self), NULL);
  return extension != NULL ? g_hash_table_lookup (self->records, extension) : NULL;
}

gboolean
ul_delivery_tracker_get_loaded (UlDeliveryTracker *self)
{
  g_return_val_if_fail (UL_IS_DELIVERY_TRACKER (self), FALSE);
  return self->loaded;
}
