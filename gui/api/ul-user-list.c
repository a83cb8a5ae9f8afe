/* ul-user-list.c — a gateway's users as a GListModel, read page by page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include "ul-json.h"
#include "ul-user-list.h"
#include "ul-user-object.h"

#define PAGE_SIZE 1000

struct _UlUserList
{
  GObject parent_instance;

  GListStore   *store;
  UlGateway    *gateway;
  UlApiOp       op;           /* LIST_USERS (paged) or LIST_REGISTERED_USERS */
  char         *query;
  guint         offset;
  gboolean      loading;
  char         *error;
  guint         generation;   /* of the current load; older pages are dropped */
  GCancellable *cancellable;  /* cancelled only when the list goes away */
};

static void ul_user_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (UlUserList, ul_user_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ul_user_list_model_init))

enum
{
  PROP_0,
  PROP_LOADING,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static GType
model_get_item_type (GListModel *model)
{
  return UL_TYPE_USER_OBJECT;
}

static guint
model_get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (UL_USER_LIST (model)->store));
}

static gpointer
model_get_item (GListModel *model, guint position)
{
  return g_list_model_get_item (G_LIST_MODEL (UL_USER_LIST (model)->store), position);
}

static void
ul_user_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = model_get_item_type;
  iface->get_n_items = model_get_n_items;
  iface->get_item = model_get_item;
}

static void
on_items_changed (GListModel *store, guint position, guint removed, guint added,
                  UlUserList *self)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
set_loading (UlUserList *self, gboolean loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOADING]);
}

static void
set_error (UlUserList *self, const char *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR]);
}

static void
ul_user_list_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  UlUserList *self = UL_USER_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ul_user_list_dispose (GObject *object)
{
  UlUserList *self = UL_USER_LIST (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->gateway);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ul_user_list_parent_class)->dispose (object);
}

static void
ul_user_list_finalize (GObject *object)
{
  UlUserList *self = UL_USER_LIST (object);

  g_free (self->query);
  g_free (self->error);

  G_OBJECT_CLASS (ul_user_list_parent_class)->finalize (object);
}

static void
ul_user_list_class_init (UlUserListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ul_user_list_get_property;
  object_class->dispose = ul_user_list_dispose;
  object_class->finalize = ul_user_list_finalize;

  props[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL,
                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
ul_user_list_init (UlUserList *self)
{
  self->store = g_list_store_new (UL_TYPE_USER_OBJECT);
  self->op = UL_API_OP_LIST_USERS;
  self->cancellable = g_cancellable_new ();
  g_signal_connect (self->store, "items-changed", G_CALLBACK (on_items_changed), self);
}

UlUserList *
ul_user_list_new (void)
{
  return g_object_new (UL_TYPE_USER_LIST, NULL);
}

typedef struct
{
  UlUserList *self;
  guint       generation;
} PageData;

static void load_page (UlUserList *self);

static void
on_page (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PageData *data = user_data;
  g_autoptr(UlUserList) self = data->self;
  guint generation = data->generation;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  g_autoptr(GVariant) users = NULL;
  g_autoptr(GPtrArray) objects = NULL;
  gint64 total;
  gsize n;

  g_free (data);
  /* A newer load started meanwhile (reads are not cancelled: see ul-step-page.h). */
  if (generation != self->generation)
    return;

  if (reply == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_error (self, error->message);
      set_loading (self, FALSE);
      return;
    }

  users = ul_json_lookup_dict_array (reply, "users");
  if (users == NULL)
    users = ul_json_lookup_dict_array (reply, "items");
  n = users != NULL ? g_variant_n_children (users) : 0;
  objects = g_ptr_array_new_full (n, g_object_unref);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) dict = g_variant_get_child_value (users, i);
      g_autoptr(GError) user_error = NULL;
      UlUser *user = ul_user_from_variant (dict, &user_error);

      /* One unreadable record should not hide the other users. */
      if (user == NULL)
        {
          g_debug ("Skipping a user record: %s", user_error->message);
          continue;
        }
      g_ptr_array_add (objects, ul_user_object_new (user));
    }

  g_list_store_splice (self->store, g_list_model_get_n_items (G_LIST_MODEL (self->store)), 0,
                       objects->pdata, objects->len);
  self->offset += n;
  total = ul_json_lookup_int (reply, "total", self->offset);

  if (self->op == UL_API_OP_LIST_USERS && n > 0 && self->offset < total)
    load_page (self);
  else
    set_loading (self, FALSE);
}

static void
load_page (UlUserList *self)
{
  g_autofree char *query = g_strdup_printf ("offset=%u&limit=%u%s%s", self->offset, PAGE_SIZE,
                                            self->query != NULL ? "&" : "",
                                            self->query != NULL ? self->query : "");

  PageData *data = g_new0 (PageData, 1);

  data->self = g_object_ref (self);
  data->generation = self->generation;
  /* The registered users come in one answer, which takes no query. */
  ul_gateway_call_async (self->gateway, self->op,
                         self->op == UL_API_OP_LIST_USERS ? query : NULL, NULL,
                         self->cancellable, on_page, data);
}

static void
start_load (UlUserList *self, UlGateway *gateway, UlApiOp op, const char *query)
{
  self->generation++;
  self->op = op;
  g_set_object (&self->gateway, gateway);
  g_free (self->query);
  self->query = g_strdup (query);
  self->offset = 0;
  set_error (self, NULL);
  g_list_store_remove_all (self->store);
  set_loading (self, TRUE);
  load_page (self);
}

void
ul_user_list_load (UlUserList *self, UlGateway *gateway, const char *query)
{
  g_return_if_fail (UL_IS_USER_LIST (self));
  g_return_if_fail (UL_IS_GATEWAY (gateway));

  start_load (self, gateway, UL_API_OP_LIST_USERS, query);
}

void
ul_user_list_load_registered (UlUserList *self, UlGateway *gateway)
{
  g_return_if_fail (UL_IS_USER_LIST (self));
  g_return_if_fail (UL_IS_GATEWAY (gateway));

  start_load (self, gateway, UL_API_OP_LIST_REGISTERED_USERS, NULL);
}

void
ul_user_list_reload (UlUserList *self)
{
  g_autofree char *query = NULL;

  g_return_if_fail (UL_IS_USER_LIST (self));

  if (self->gateway == NULL)
    return;
  query = g_strdup (self->query);
  start_load (self, self->gateway, self->op, query);
}

void
ul_user_list_set_users (UlUserList *self, GPtrArray *users)
{
  g_autoptr(GPtrArray) objects = NULL;

  g_return_if_fail (UL_IS_USER_LIST (self));

  self->generation++;
  objects = g_ptr_array_new_full (users->len, g_object_unref);
  for (guint i = 0; i < users->len; i++)
    g_ptr_array_add (objects, ul_user_object_new (ul_user_copy (g_ptr_array_index (users, i))));
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       objects->pdata, objects->len);
  set_loading (self, FALSE);
}

gboolean
ul_user_list_get_loading (UlUserList *self)
{
  g_return_val_if_fail (UL_IS_USER_LIST (self), FALSE);
  return self->loading;
}

const char *
ul_user_list_get_error (UlUserList *self)
{
  g_return_val_if_fail (UL_IS_USER_LIST (self), NULL);
  return self->error;
}
