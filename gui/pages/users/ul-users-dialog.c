/* ul-users-dialog.c — a list of a customer's users.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-user-columns.h"
#include "ul-user-list.h"
#include "ul-user-object.h"
#include "ul-users-dialog.h"

struct _UlUsersDialog
{
  AdwWindow parent_instance;

  AdwWindowTitle *window_title;
  GtkSearchEntry *search_entry;
  GtkStack       *stack;
  GtkColumnView  *column_view;
  AdwStatusPage  *empty_page;

  UlUsersDialogMode mode;
  UlUserList       *users;
  GtkFilter        *filter;
  GListModel       *filtered;
};

G_DEFINE_FINAL_TYPE (UlUsersDialog, ul_users_dialog, ADW_TYPE_WINDOW)

static gboolean
filter_user (gpointer item, gpointer user_data)
{
  UlUsersDialog *self = UL_USERS_DIALOG (user_data);
  UlUserObject *user = UL_USER_OBJECT (item);

  if (self->mode == UL_USERS_DIALOG_REGISTERED && !ul_user_object_get_registered (user))
    return FALSE;
  if (self->mode == UL_USERS_DIALOG_INELIGIBLE && ul_user_object_get_eligible (user))
    return FALSE;
  return ul_user_matches (item, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
update (UlUsersDialog *self)
{
  guint n = g_list_model_get_n_items (self->filtered);
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u user",
                                                         "%u users", n), n);

  adw_window_title_set_subtitle (self->window_title, count);
  if (n > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (ul_user_list_get_loading (self->users))
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else
    {
      const char *error = ul_user_list_get_error (self->users);

      if (error != NULL)
        {
          adw_status_page_set_title (self->empty_page, _("The Users Could Not Be Read"));
          adw_status_page_set_description (self->empty_page, error);
        }
      else if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
        {
          adw_status_page_set_title (self->empty_page, _("No Matching Users"));
          adw_status_page_set_description (self->empty_page, NULL);
        }
      else if (self->mode == UL_USERS_DIALOG_REGISTERED)
        {
          adw_status_page_set_title (self->empty_page, _("No Registered Users Yet"));
          adw_status_page_set_description (
            self->empty_page, _("Users appear here once they have registered the app with the "
                                "link in their deployment e-mail."));
        }
      else if (self->mode == UL_USERS_DIALOG_INELIGIBLE)
        {
          adw_status_page_set_title (self->empty_page, _("Every User Can Receive the App"));
          adw_status_page_set_description (self->empty_page, NULL);
        }
      else
        {
          adw_status_page_set_title (self->empty_page, _("No Users Yet"));
          adw_status_page_set_description (
            self->empty_page, _("Connect or sync the PBX to read its users."));
        }
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
}

/* Live: a user who registers (or a sync) shows at once. */
static void
on_users_changed (UlGateway *gateway, const char *section, UlUsersDialog *self)
{
  ul_user_list_reload (self->users);
}

static void
on_search_changed (UlUsersDialog *self)
{
  gtk_filter_changed (self->filter, GTK_FILTER_CHANGE_DIFFERENT);
}

static void
ul_users_dialog_dispose (GObject *object)
{
  UlUsersDialog *self = UL_USERS_DIALOG (object);

  if (self->users != NULL)
    g_signal_handlers_disconnect_by_data (self->users, self);
  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->users);

  G_OBJECT_CLASS (ul_users_dialog_parent_class)->dispose (object);
}

static void
ul_users_dialog_class_init (UlUsersDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ul_users_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/uplink/Dashboard/ul-users-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, UlUsersDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, UlUsersDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, UlUsersDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, UlUsersDialog, column_view);
  gtk_widget_class_bind_template_child (widget_class, UlUsersDialog, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ul_users_dialog_init (UlUsersDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

UlUsersDialog *
ul_users_dialog_new (GtkWidget *parent, UlGateway *gateway, UlUsersDialogMode mode)
{
  GtkRoot *root = parent != NULL ? gtk_widget_get_root (parent) : NULL;
  UlUsersDialog *self = g_object_new (UL_TYPE_USERS_DIALOG,
                                      "transient-for", GTK_IS_WINDOW (root) ? root : NULL,
                                      NULL);
  GtkFilterListModel *filtered;
  UlUserColumns columns = UL_USER_COLUMN_NAME | UL_USER_COLUMN_EXTENSION |
                          UL_USER_COLUMN_EMAIL;

  self->mode = mode;
  switch (mode)
    {
    case UL_USERS_DIALOG_REGISTERED:
      gtk_window_set_title (GTK_WINDOW (self), _("Registered Users"));
      columns |= UL_USER_COLUMN_REGISTERED_AT;
      break;
    case UL_USERS_DIALOG_INELIGIBLE:
      gtk_window_set_title (GTK_WINDOW (self), _("Users Who Cannot Receive the App"));
      columns |= UL_USER_COLUMN_REASON;
      break;
    case UL_USERS_DIALOG_ALL:
    default:
      gtk_window_set_title (GTK_WINDOW (self), _("Users"));
      break;
    }
  adw_window_title_set_title (self->window_title, gtk_window_get_title (GTK_WINDOW (self)));
  ul_user_columns_add (self->column_view, columns);

  self->users = ul_user_list_new ();
  self->filter = GTK_FILTER (gtk_custom_filter_new (filter_user, self, NULL));
  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->users)),
                                        g_object_ref (self->filter));
  /* Filtering 10,000 users is done in slices so that typing stays fluid. */
  gtk_filter_list_model_set_incremental (filtered, TRUE);
  self->filtered = G_LIST_MODEL (filtered);
  gtk_column_view_set_model (self->column_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (self->filtered))));

  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->users, "notify::loading", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->users, "notify::error", G_CALLBACK (update), self);
  if (mode == UL_USERS_DIALOG_REGISTERED)
    ul_user_list_load_registered (self->users, gateway);
  else
    ul_user_list_load (self->users, gateway,
                       mode == UL_USERS_DIALOG_INELIGIBLE ? "eligible=false" : NULL);
  g_signal_connect_object (gateway, "changed::users", G_CALLBACK (on_users_changed), self, 0);
  update (self);
  return self;
}

GListModel *
ul_users_dialog_get_model (UlUsersDialog *self)
{
  g_return_val_if_fail (UL_IS_USERS_DIALOG (self), NULL);
  return self->filtered;
}

GtkWidget *
ul_users_dialog_get_view (UlUsersDialog *self)
{
  g_return_val_if_fail (UL_IS_USERS_DIALOG (self), NULL);
  return GTK_WIDGET (self->column_view);
}

gboolean
ul_users_dialog_get_loading (UlUsersDialog *self)
{
  g_return_val_if_fail (UL_IS_USERS_DIALOG (self), FALSE);
  return ul_user_list_get_loading (self->users);
}
