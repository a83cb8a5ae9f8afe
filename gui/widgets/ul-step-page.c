/* ul-step-page.c — the base of the onboarding steps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-api-error.h"
#include "ul-step-page.h"
#include "ul-window.h"

typedef struct
{
  UlGateway    *gateway;
  UlForm       *form;
  GCancellable *load_cancellable;
  gboolean   busy;
  gboolean   loaded;
} UlStepPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (UlStepPage, ul_step_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_GATEWAY,
  PROP_BUSY,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
ul_step_page_map (GtkWidget *widget)
{
  UlStepPage *self = UL_STEP_PAGE (widget);
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);

  GTK_WIDGET_CLASS (ul_step_page_parent_class)->map (widget);

  /* Shown again (another step or the Overview may have saved meanwhile): read afresh. */
  if (priv->gateway != NULL && !priv->busy)
    ul_step_page_reload (self);
}

static void
ul_step_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  UlStepPage *self = UL_STEP_PAGE (object);
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_GATEWAY:
      g_value_set_object (value, priv->gateway);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, priv->busy);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, priv->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ul_step_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  UlStepPage *self = UL_STEP_PAGE (object);

  switch (prop_id)
    {
    case PROP_GATEWAY:
      ul_step_page_set_gateway (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ul_step_page_dispose (GObject *object)
{
  UlStepPage *self = UL_STEP_PAGE (object);
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);
  GtkWidget *child;

  ul_step_page_cancel_load (self);
  g_clear_object (&priv->form);
  g_clear_object (&priv->gateway);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ul_step_page_parent_class)->dispose (object);
}

static void
ul_step_page_class_init (UlStepPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ul_step_page_get_property;
  object_class->set_property = ul_step_page_set_property;
  object_class->dispose = ul_step_page_dispose;
  widget_class->map = ul_step_page_map;

  props[PROP_GATEWAY] = g_param_spec_object ("gateway", NULL, NULL, UL_TYPE_GATEWAY,
                                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                             G_PARAM_STATIC_STRINGS);
  props[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "steppage");
}

static void
ul_step_page_init (UlStepPage *self)
{
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 24);
  priv->form = ul_form_new ();
}

UlGateway *
ul_step_page_get_gateway (UlStepPage *self)
{
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);

  g_return_val_if_fail (UL_IS_STEP_PAGE (self), NULL);
  return priv->gateway;
}

void
ul_step_page_set_gateway (UlStepPage *self, UlGateway *gateway)
{
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);

  g_return_if_fail (UL_IS_STEP_PAGE (self));

  if (!g_set_object (&priv->gateway, gateway))
    return;
  ul_form_clear (priv->form);
  ul_step_page_set_loaded (self, FALSE);
  if (gateway != NULL)
    ul_step_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_GATEWAY]);
}

void
ul_step_page_reload (UlStepPage *self)
{
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);

  g_return_if_fail (UL_IS_STEP_PAGE (self));

  if (priv->gateway == NULL || UL_STEP_PAGE_GET_CLASS (self)->load == NULL)
    return;
  ul_form_clear (priv->form);
  ul_step_page_cancel_load (self);
  priv->load_cancellable = g_cancellable_new ();
  ul_step_page_set_loaded (self, FALSE);
  UL_STEP_PAGE_GET_CLASS (self)->load (self);
}

GCancellable *
ul_step_page_get_load_cancellable (UlStepPage *self)
{
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);

  g_return_val_if_fail (UL_IS_STEP_PAGE (self), NULL);
  return priv->load_cancellable;
}

void
ul_step_page_cancel_load (UlStepPage *self)
{
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);

  g_return_if_fail (UL_IS_STEP_PAGE (self));

  g_clear_object (&priv->load_cancellable);
}

gboolean
ul_step_page_load_is_stale (UlStepPage *self, GAsyncResult *result)
{
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);

  g_return_val_if_fail (UL_IS_STEP_PAGE (self), TRUE);

  return priv->load_cancellable == NULL ||
         g_task_get_cancellable (G_TASK (result)) != priv->load_cancellable;
}

UlForm *
ul_step_page_get_form (UlStepPage *self)
{
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);

  g_return_val_if_fail (UL_IS_STEP_PAGE (self), NULL);
  return priv->form;
}

gboolean
ul_step_page_can_save (UlStepPage *self)
{
  g_return_val_if_fail (UL_IS_STEP_PAGE (self), FALSE);
  return UL_STEP_PAGE_GET_CLASS (self)->save_async != NULL;
}

static void
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  UlStepPage *self = UL_STEP_PAGE (source);
  g_autoptr(GError) error = NULL;

  ul_step_page_set_busy (self, FALSE);
  if (!UL_STEP_PAGE_GET_CLASS (self)->save_finish (self, result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
ul_step_page_save_async (UlStepPage         *self,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);
  GTask *task;

  g_return_if_fail (UL_IS_STEP_PAGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ul_step_page_save_async);
  if (!ul_step_page_can_save (self) || priv->gateway == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  ul_form_clear (priv->form);
  /* What the save returns is newer than any read still on its way. */
  ul_step_page_cancel_load (self);
  ul_step_page_set_loaded (self, TRUE);
  ul_step_page_set_busy (self, TRUE);
  UL_STEP_PAGE_GET_CLASS (self)->save_async (self, cancellable, on_saved, task);
}

gboolean
ul_step_page_save_finish (UlStepPage *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
ul_step_page_get_busy (UlStepPage *self)
{
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);

  g_return_val_if_fail (UL_IS_STEP_PAGE (self), FALSE);
  return priv->busy;
}

void
ul_step_page_set_busy (UlStepPage *self, gboolean busy)
{
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);

  g_return_if_fail (UL_IS_STEP_PAGE (self));

  if (priv->busy == !!busy)
    return;
  priv->busy = !!busy;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BUSY]);
}

gboolean
ul_step_page_get_loaded (UlStepPage *self)
{
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);

  g_return_val_if_fail (UL_IS_STEP_PAGE (self), FALSE);
  return priv->loaded;
}

void
ul_step_page_set_loaded (UlStepPage *self, gboolean loaded)
{
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);

  g_return_if_fail (UL_IS_STEP_PAGE (self));

  if (priv->loaded == !!loaded)
    return;
  priv->loaded = !!loaded;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LOADED]);
}

void
ul_step_page_report_error (UlStepPage *self, const GError *error)
{
  UlStepPagePrivate *priv = ul_step_page_get_instance_private (self);

  g_return_if_fail (UL_IS_STEP_PAGE (self));

  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (ul_form_show_error (priv->form, error))
    ul_form_focus_first (priv->form);
  else
    ul_toast (GTK_WIDGET (self), "%s", error->message);
}

void
ul_step_page_return_error (UlStepPage *self, GTask *task, GError *error)
{
  ul_step_page_report_error (self, error);
  g_task_return_error (task, error);
}
