/* ul-overview-page.c — every onboarding step on one page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include "ul-advanced-page.h"
#include "ul-connect-page.h"
#include "ul-customer-info-page.h"
#include "ul-deployment-page.h"
#include "ul-gateway-site-page.h"
#include "ul-overview-page.h"
#include "ul-pbx-page.h"
#include "ul-sync-page.h"

struct _UlOverviewPage
{
  UlStepPage parent_instance;

  UlStepPage *customer_step;
  UlStepPage *gateway_step;
  GtkWidget  *pbx_title;
  UlStepPage *pbx_step;
  GtkWidget  *connect_title;
  UlStepPage *connect_step;
  GtkWidget  *sync_title;
  UlStepPage *sync_step;
  UlStepPage *deployment_step;
  UlStepPage *advanced_step;
};

G_DEFINE_FINAL_TYPE (UlOverviewPage, ul_overview_page, UL_TYPE_STEP_PAGE)

/* In the order they are saved: a site needs its customer, Connect needs its PBX. */
static UlStepPage **
steps (UlOverviewPage *self, UlStepPage *out[static 7])
{
  out[0] = self->customer_step;
  out[1] = self->gateway_step;
  out[2] = self->pbx_step;
  out[3] = self->connect_step;
  out[4] = self->sync_step;
  out[5] = self->deployment_step;
  out[6] = self->advanced_step;
  return out;
}

static void
on_gateway_changed (UlOverviewPage *self)
{
  UlGateway *gateway = ul_step_page_get_gateway (UL_STEP_PAGE (self));
  UlStepPage *list[7];

  steps (self, list);
  for (guint i = 0; i < G_N_ELEMENTS (list); i++)
    ul_step_page_set_gateway (list[i], gateway);
}

typedef struct
{
  guint next;
} SaveData;

static void save_next (GTask *task);

static void
on_step_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask *task = G_TASK (user_data);
  GError *error = NULL;

  if (!ul_step_page_save_finish (UL_STEP_PAGE (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  save_next (task);
}

static void
save_next (GTask *task)
{
  UlOverviewPage *self = g_task_get_source_object (task);
  SaveData *data = g_task_get_task_data (task);
  UlStepPage *list[7];

  steps (self, list);
  while (data->next < G_N_ELEMENTS (list))
    {
      UlStepPage *step = list[data->next++];

      if (!gtk_widget_get_visible (GTK_WIDGET (step)) || !ul_step_page_can_save (step))
        continue;
      ul_step_page_save_async (step, g_task_get_cancellable (task), on_step_saved, task);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
ul_overview_page_save_async (UlStepPage         *page,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  GTask *task = g_task_new (page, cancellable, callback, user_data);

  g_task_set_source_tag (task, ul_overview_page_save_async);
  g_task_set_task_data (task, g_new0 (SaveData, 1), g_free);
  save_next (task);
}

static gboolean
ul_overview_page_save_finish (UlStepPage *page, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
ul_overview_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), UL_TYPE_OVERVIEW_PAGE);

  G_OBJECT_CLASS (ul_overview_page_parent_class)->dispose (object);
}

static void
ul_overview_page_class_init (UlOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  UlStepPageClass *page_class = UL_STEP_PAGE_CLASS (klass);

  object_class->dispose = ul_overview_page_dispose;
  /* The steps load themselves when shown; the Overview has nothing of its own. */
  page_class->save_async = ul_overview_page_save_async;
  page_class->save_finish = ul_overview_page_save_finish;

  g_type_ensure (UL_TYPE_CUSTOMER_INFO_PAGE);
  g_type_ensure (UL_TYPE_GATEWAY_SITE_PAGE);
  g_type_ensure (UL_TYPE_PBX_PAGE);
  g_type_ensure (UL_TYPE_CONNECT_PAGE);
  g_type_ensure (UL_TYPE_SYNC_PAGE);
  g_type_ensure (UL_TYPE_DEPLOYMENT_PAGE);
  g_type_ensure (UL_TYPE_ADVANCED_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/uplink/Dashboard/ul-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UlOverviewPage, customer_step);
  gtk_widget_class_bind_template_child (widget_class, UlOverviewPage, gateway_step);
  gtk_widget_class_bind_template_child (widget_class, UlOverviewPage, pbx_title);
  gtk_widget_class_bind_template_child (widget_class, UlOverviewPage, pbx_step);
  gtk_widget_class_bind_template_child (widget_class, UlOverviewPage, connect_title);
  gtk_widget_class_bind_template_child (widget_class, UlOverviewPage, connect_step);
  gtk_widget_class_bind_template_child (widget_class, UlOverviewPage, sync_title);
  gtk_widget_class_bind_template_child (widget_class, UlOverviewPage, sync_step);
  gtk_widget_class_bind_template_child (widget_class, UlOverviewPage, deployment_step);
  gtk_widget_class_bind_template_child (widget_class, UlOverviewPage, advanced_step);
}

static void
ul_overview_page_init (UlOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "notify::gateway", G_CALLBACK (on_gateway_changed), NULL);
  ul_overview_page_set_has_pbx_step (self, TRUE);
}

GtkWidget *
ul_overview_page_new (void)
{
  return g_object_new (UL_TYPE_OVERVIEW_PAGE, NULL);
}

void
ul_overview_page_set_has_pbx_step (UlOverviewPage *self, gboolean has_pbx_step)
{
  g_return_if_fail (UL_IS_OVERVIEW_PAGE (self));

  gtk_widget_set_visible (self->pbx_title, has_pbx_step);
  gtk_widget_set_visible (GTK_WIDGET (self->pbx_step), has_pbx_step);
  gtk_widget_set_visible (self->connect_title, has_pbx_step);
  gtk_widget_set_visible (GTK_WIDGET (self->connect_step), has_pbx_step);
  gtk_widget_set_visible (self->sync_title, !has_pbx_step);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_step), !has_pbx_step);
}

UlStepPage *
ul_overview_page_get_step (UlOverviewPage *self, const char *name)
{
  static const char * const names[] = { "customer", "gateway", "pbx", "connect", "sync",
                                        "deployment", "advanced" };
  UlStepPage *list[7];

  g_return_val_if_fail (UL_IS_OVERVIEW_PAGE (self), NULL);

  steps (self, list);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i], name))
      return list[i];
  return NULL;
}
