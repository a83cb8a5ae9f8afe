/* ul-deployment-page.c — the Deployment step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-deployment-page.h"
#include "ul-user-columns.h"
#include "ul-user-list.h"
#include "ul-user-object.h"
#include "ul-users-dialog.h"

struct _UlDeploymentPage
{
  UlStepPage parent_instance;

  GtkStack      *eligible_stack;
  GtkColumnView *eligible_view;
  GtkLabel      *eligible_empty_label;
  GtkWidget     *ineligible_group;
  GtkColumnView *ineligible_view;
  GtkLabel      *selected_label;
  AdwActionRow  *registered_row;

  UlUserList    *users;
  GListModel    *eligible;
  GListModel    *ineligible;
  guint          n_selected;
};

G_DEFINE_FINAL_TYPE (UlDeploymentPage, ul_deployment_page, UL_TYPE_STEP_PAGE)

static gboolean
is_eligible (gpointer item, gpointer user_data)
{
  return ul_user_object_get_eligible (UL_USER_OBJECT (item));
}

static gboolean
is_ineligible (gpointer item, gpointer user_data)
{
  return !ul_user_object_get_eligible (UL_USER_OBJECT (item));
}

static void
update_selected (UlDeploymentPage *self)
{
  g_autofree char *text = NULL;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u selected",
                                       "%u of %u selected",
                                       g_list_model_get_n_items (self->eligible)),
                          self->n_selected, g_list_model_get_n_items (self->eligible));
  gtk_label_set_text (self->selected_label, text);
}

static void
on_user_selected (UlUserObject *user, GParamSpec *pspec, UlDeploymentPage *self)
{
  if (ul_user_object_get_selected (user))
    self->n_selected++;
  else if (self->n_selected > 0)
    self->n_selected--;
  update_selected (self);
}

static void
update (UlDeploymentPage *self)
{
  guint n_eligible = g_list_model_get_n_items (self->eligible);
  guint n_registered = 0;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->users));
  g_autofree char *registered = NULL;

  if (n_eligible > 0)
    gtk_stack_set_visible_child_name (self->eligible_stack, "list");
  else
    {
      gtk_label_set_text (self->eligible_empty_label,
                          ul_user_list_get_loading (self->users)
                            ? _("Reading the users…")
                            : ul_user_list_get_error (self->users) != NULL
                                ? ul_user_list_get_error (self->users)
                                : _("No users yet: connect or sync the PBX first."));
      gtk_stack_set_visible_child_name (self->eligible_stack, "empty");
    }
  gtk_widget_set_visible (self->ineligible_group, g_list_model_get_n_items (self->ineligible) > 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UlUserObject) user = g_list_model_get_item (G_LIST_MODEL (self->users), i);

      n_registered += ul_user_object_get_registered (user);
    }
  registered = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u user has built their account",
                                             "%u users have built their account", n_registered),
                                n_registered);
  adw_action_row_set_subtitle (self->registered_row, registered);
  update_selected (self);
}

static void
on_users_changed (GListModel *model, guint position, guint removed, guint added,
                  UlDeploymentPage *self)
{
  if (removed > 0)
    self->n_selected = 0;
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(UlUserObject) user = g_list_model_get_item (model, i);

      g_signal_connect_object (user, "notify::selected", G_CALLBACK (on_user_selected), self, 0);
    }
  update (self);
}

static void
set_all (UlDeploymentPage *self, gboolean selected)
{
  guint n = g_list_model_get_n_items (self->eligible);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UlUserObject) user = g_list_model_get_item (self->eligible, i);

      ul_user_object_set_selected (user, selected);
    }
}

static void
on_select_all (UlDeploymentPage *self)
{
  set_all (self, TRUE);
}

static void
on_select_none (UlDeploymentPage *self)
{
  set_all (self, FALSE);
}

static void
on_show_registered (UlDeploymentPage *self)
{
  ul_deployment_page_show_registered (self);
}

/* Live: a sync (scheduled, or from another window) shows at once. */
static void
on_users_changed_remotely (UlGateway *gateway, const char *section, UlDeploymentPage *self)
{
  /* Also connected to gateways shown before: only the current one counts. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      gateway == ul_step_page_get_gateway (UL_STEP_PAGE (self)))
    ul_step_page_reload (UL_STEP_PAGE (self));
}

static void
on_gateway_set (UlDeploymentPage *self)
{
  UlGateway *gateway = ul_step_page_get_gateway (UL_STEP_PAGE (self));

  if (gateway != NULL)
    g_signal_connect_object (gateway, "changed::users", G_CALLBACK (on_users_changed_remotely),
                             self, 0);
}

static void
ul_deployment_page_load (UlStepPage *page)
{
  UlDeploymentPage *self = UL_DEPLOYMENT_PAGE (page);

  self->n_selected = 0;
  ul_user_list_load (self->users, ul_step_page_get_gateway (page), NULL);
  ul_step_page_set_loaded (page, TRUE);
}

static void
ul_deployment_page_dispose (GObject *object)
{
  UlDeploymentPage *self = UL_DEPLOYMENT_PAGE (object);

  if (self->users != NULL)
    g_signal_handlers_disconnect_by_data (self->users, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), UL_TYPE_DEPLOYMENT_PAGE);
  g_clear_object (&self->eligible);
  g_clear_object (&self->ineligible);
  g_clear_object (&self->users);

  G_OBJECT_CLASS (ul_deployment_page_parent_class)->dispose (object);
}

static void
ul_deployment_page_class_init (UlDeploymentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  UlStepPageClass *page_class = UL_STEP_PAGE_CLASS (klass);

  object_class->dispose = ul_deployment_page_dispose;
  page_class->load = ul_deployment_page_load;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/uplink/Dashboard/ul-deployment-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, eligible_stack);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, eligible_view);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, eligible_empty_label);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, ineligible_group);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, ineligible_view);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, selected_label);
  gtk_widget_class_bind_template_child (widget_class, UlDeploymentPage, registered_row);
  gtk_widget_class_bind_template_callback (widget_class, on_select_all);
  gtk_widget_class_bind_template_callback (widget_class, on_select_none);
  gtk_widget_class_bind_template_callback (widget_class, on_show_registered);
}

static void
ul_deployment_page_init (UlDeploymentPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->users = ul_user_list_new ();
  self->eligible = G_LIST_MODEL (gtk_filter_list_model_new (
    g_object_ref (G_LIST_MODEL (self->users)),
    GTK_FILTER (gtk_custom_filter_new (is_eligible, NULL, NULL))));
  self->ineligible = G_LIST_MODEL (gtk_filter_list_model_new (
    g_object_ref (G_LIST_MODEL (self->users)),
    GTK_FILTER (gtk_custom_filter_new (is_ineligible, NULL, NULL))));

  ul_user_columns_add (self->eligible_view, UL_USER_COLUMN_SELECT | UL_USER_COLUMN_NAME |
                                            UL_USER_COLUMN_EXTENSION | UL_USER_COLUMN_EMAIL);
  ul_user_columns_add (self->ineligible_view, UL_USER_COLUMN_NAME | UL_USER_COLUMN_EXTENSION |
                                              UL_USER_COLUMN_REASON);
  gtk_column_view_set_model (self->eligible_view, GTK_SELECTION_MODEL (
    gtk_no_selection_new (g_object_ref (self->eligible))));
  gtk_column_view_set_model (self->ineligible_view, GTK_SELECTION_MODEL (
    gtk_no_selection_new (g_object_ref (self->ineligible))));

  g_signal_connect (self, "notify::gateway", G_CALLBACK (on_gateway_set), NULL);
  g_signal_connect (self->users, "items-changed", G_CALLBACK (on_users_changed), self);
  g_signal_connect_swapped (self->users, "notify::loading", G_CALLBACK (update), self);
  update (self);
}

GtkWidget *
ul_deployment_page_new (void)
{
  return g_object_new (UL_TYPE_DEPLOYMENT_PAGE, NULL);
}

GListModel *
ul_deployment_page_get_eligible (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), NULL);
  return self->eligible;
}

GListModel *
ul_deployment_page_get_ineligible (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), NULL);
  return self->ineligible;
}

GtkWidget *
ul_deployment_page_get_eligible_view (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), NULL);
  return GTK_WIDGET (self->eligible_view);
}

gboolean
ul_deployment_page_get_loading (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), FALSE);
  return ul_user_list_get_loading (self->users);
}

guint
ul_deployment_page_get_n_selected (UlDeploymentPage *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_PAGE (self), 0);
  return self->n_selected;
}

void
ul_deployment_page_show_registered (UlDeploymentPage *self)
{
  UlUsersDialog *dialog;

  g_return_if_fail (UL_IS_DEPLOYMENT_PAGE (self));

  dialog = ul_users_dialog_new (GTK_WIDGET (self), ul_step_page_get_gateway (UL_STEP_PAGE (self)),
                                UL_USERS_DIALOG_REGISTERED);
  gtk_window_present (GTK_WINDOW (dialog));
}
