/* ul-user-columns.c — the columns of the user tables.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ul-user-columns.h"
#include "ul-user-object.h"

typedef const char *(*TextGetter) (UlUserObject *user);

static void
setup_text (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), 6);
  gtk_list_item_set_child (item, cell);
}

static void
bind_text (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  TextGetter getter = user_data;
  UlUserObject *user = gtk_list_item_get_item (item);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), getter (user));
}

/* A reason is a sentence, often wider than its column: the whole of it in a tooltip. Only
 * there, since setting a tooltip on every rebind costs a frame budget over 10,000 rows. */
static void
bind_reason (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  UlUserObject *user = gtk_list_item_get_item (item);
  GtkWidget *cell = gtk_list_item_get_child (item);
  const char *text = ul_user_object_get_reason (user);

  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
  gtk_widget_set_tooltip_text (cell, *text != '\0' ? text : NULL);
}

static void
bind_registered_at (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  g_autofree char *text = ul_user_object_dup_registered_text (gtk_list_item_get_item (item));

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), text);
}

/* ---- the Delivery column: follows the user's mail while the row is shown ---- */

static void
setup_delivery (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_inscription_new (NULL);
  GtkWidget *resend = gtk_button_new_with_label (_("Resend…"));

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (text),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (text), 10);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);
  gtk_widget_add_css_class (resend, "flat");
  gtk_widget_add_css_class (resend, "delivery-resend");
  gtk_widget_set_valign (resend, GTK_ALIGN_CENTER);
  /* The target first: the action takes a string, the extension set on bind. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (resend), "s", "");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (resend), "deployment.resend");
  gtk_box_append (GTK_BOX (box), resend);
  gtk_list_item_set_child (item, box);
}

static void
update_delivery (UlUserObject *user, GParamSpec *pspec, GtkWidget *box)
{
  GtkWidget *text = gtk_widget_get_first_child (box);
  GtkWidget *resend = gtk_widget_get_last_child (box);
  g_autofree char *label = ul_user_object_dup_delivery_text (user);
  g_autofree char *details = ul_user_object_dup_delivery_details (user);
  const char *state = ul_user_object_get_delivery_state (user);

  gtk_inscription_set_text (GTK_INSCRIPTION (text), label);
  gtk_widget_set_tooltip_text (text, details);
  gtk_widget_remove_css_class (text, "error");
  gtk_widget_remove_css_class (text, "success");
  if (g_strcmp0 (state, "failed") == 0)
    gtk_widget_add_css_class (text, "error");
  else if (g_strcmp0 (state, "sent") == 0 || g_strcmp0 (state, "registered") == 0)
    gtk_widget_add_css_class (text, "success");
  gtk_widget_set_visible (resend, ul_user_object_get_can_resend (user));
}

static void
bind_delivery (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  UlUserObject *user = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *resend = gtk_widget_get_last_child (box);
  g_autofree char *label = g_strdup_printf (_("Send a new deployment e-mail to %s"),
                                            *ul_user_object_get_name (user) != '\0'
                                              ? ul_user_object_get_name (user)
                                              : ul_user_object_get_extension (user));

  gtk_actionable_set_action_target (GTK_ACTIONABLE (resend), "s",
                                    ul_user_object_get_extension (user));
  gtk_accessible_update_property (GTK_ACCESSIBLE (resend), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  update_delivery (user, NULL, box);
  g_signal_connect_object (user, "notify::delivery", G_CALLBACK (update_delivery), box, 0);
}

static void
unbind_delivery (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  UlUserObject *user = gtk_list_item_get_item (item);

  if (user != NULL)
    g_signal_handlers_disconnect_by_func (user, update_delivery, gtk_list_item_get_child (item));
}

static void
setup_check (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *check = gtk_check_button_new ();

  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Send the deployment e-mail to this user"), -1);
  gtk_list_item_set_child (item, check);
}

static void
bind_check (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  UlUserObject *user = gtk_list_item_get_item (item);
  GBinding *binding = g_object_bind_property (user, "selected",
                                              gtk_list_item_get_child (item), "active",
                                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  /* A registered user needs no deployment e-mail any more. */
  gtk_widget_set_sensitive (gtk_list_item_get_child (item), ul_user_object_get_can_select (user));

  g_object_set_data (G_OBJECT (item), "ul-binding", binding);
}

static void
unbind_check (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GBinding *binding = g_object_steal_data (G_OBJECT (item), "ul-binding");

  if (binding != NULL)
    g_binding_unbind (binding);
}

static void
append_column (GtkColumnView *view, const char *title, GtkListItemFactory *factory,
               gboolean expand, int fixed_width)
{
  GtkColumnViewColumn *column = gtk_column_view_column_new (title, factory);

  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (column, fixed_width);
  gtk_column_view_append_column (view, column);
  g_object_unref (column);
}

static GtkListItemFactory *
text_factory (TextGetter getter)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_text), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_text), getter);
  return factory;
}

void
ul_user_columns_add (GtkColumnView *view, UlUserColumns columns)
{
  if (columns & UL_USER_COLUMN_SELECT)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

      g_signal_connect (factory, "setup", G_CALLBACK (setup_check), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_check), NULL);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_check), NULL);
      append_column (view, "", factory, FALSE, 48);
    }
  if (columns & UL_USER_COLUMN_NAME)
    append_column (view, _("Name"), text_factory (ul_user_object_get_name), TRUE, -1);
  if (columns & UL_USER_COLUMN_EXTENSION)
    append_column (view, _("Extension"), text_factory (ul_user_object_get_extension), FALSE, 110);
  if (columns & UL_USER_COLUMN_EMAIL)
    append_column (view, _("E-mail"), text_factory (ul_user_object_get_email), TRUE, -1);
  if (columns & UL_USER_COLUMN_REASON)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

      g_signal_connect (factory, "setup", G_CALLBACK (setup_text), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_reason), NULL);
      append_column (view, _("Why Not"), factory, TRUE, -1);
    }
  if (columns & UL_USER_COLUMN_REGISTERED_AT)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

      g_signal_connect (factory, "setup", G_CALLBACK (setup_text), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_registered_at), NULL);
      append_column (view, _("Registered"), factory, FALSE, 160);
    }
  if (columns & UL_USER_COLUMN_DELIVERY)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

      g_signal_connect (factory, "setup", G_CALLBACK (setup_delivery), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_delivery), NULL);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_delivery), NULL);
      append_column (view, _("Deployment E-mail"), factory, FALSE, 250);
    }
}

static gboolean
contains (const char *haystack, const char *folded_needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL || *haystack == '\0')
    return FALSE;
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, folded_needle) != NULL;
}

gboolean
ul_user_matches (gpointer item, const char *search)
{
  UlUserObject *user = UL_USER_OBJECT (item);
  g_autofree char *needle = NULL;

  if (search == NULL || *search == '\0')
    return TRUE;
  needle = g_utf8_casefold (search, -1);
  return contains (ul_user_object_get_name (user), needle) ||
         contains (ul_user_object_get_extension (user), needle) ||
         contains (ul_user_object_get_email (user), needle);
}
