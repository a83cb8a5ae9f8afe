/* ul-status-button.c — a status message as a link to its help page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ul-help.h"
#include "ul-status-button.h"

struct _UlStatusButton
{
  GtkButton parent_instance;

  GtkLabel *label;
  UlStatus *status;
};

G_DEFINE_FINAL_TYPE (UlStatusButton, ul_status_button, GTK_TYPE_BUTTON)

static const char * const severity_classes[] = {
  [UL_SEVERITY_NEXT_STEP] = "status-next-step",
  [UL_SEVERITY_ERROR] = "status-error",
  [UL_SEVERITY_OK] = "status-ok",
};

static void
ul_status_button_clicked (GtkButton *button)
{
  UlStatusButton *self = UL_STATUS_BUTTON (button);
  g_autofree char *page = NULL;

  if (self->status == NULL)
    return;
  page = ul_status_code_get_help_id (self->status->code);
  ul_help_show (GTK_WIDGET (self), page);
}

static void
ul_status_button_finalize (GObject *object)
{
  UlStatusButton *self = UL_STATUS_BUTTON (object);

  g_clear_pointer (&self->status, ul_status_free);

  G_OBJECT_CLASS (ul_status_button_parent_class)->finalize (object);
}

static void
ul_status_button_class_init (UlStatusButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkButtonClass *button_class = GTK_BUTTON_CLASS (klass);

  object_class->finalize = ul_status_button_finalize;
  button_class->clicked = ul_status_button_clicked;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "button");
}

static void
ul_status_button_init (UlStatusButton *self)
{
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0.0);
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_button_set_child (GTK_BUTTON (self), GTK_WIDGET (self->label));
  gtk_widget_add_css_class (GTK_WIDGET (self), "flat");
  gtk_widget_add_css_class (GTK_WIDGET (self), "status-link");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), _("What this means and what to do"));
}

GtkWidget *
ul_status_button_new (void)
{
  return g_object_new (UL_TYPE_STATUS_BUTTON, NULL);
}

void
ul_status_button_set_status (UlStatusButton *self, const UlStatus *status)
{
  const char *message;

  g_return_if_fail (UL_IS_STATUS_BUTTON (self));

  if (ul_status_equal (self->status, status))
    return;
  g_clear_pointer (&self->status, ul_status_free);
  for (guint i = 0; i < G_N_ELEMENTS (severity_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), severity_classes[i]);

  if (status == NULL)
    {
      gtk_label_set_text (self->label, "");
      return;
    }

  self->status = ul_status_copy (status);
  message = ul_status_code_get_message (status->code);
  gtk_label_set_text (self->label, message != NULL ? message : status->code);
  if ((guint) status->severity < G_N_ELEMENTS (severity_classes))
    gtk_widget_add_css_class (GTK_WIDGET (self), severity_classes[status->severity]);
}

const UlStatus *
ul_status_button_get_status (UlStatusButton *self)
{
  g_return_val_if_fail (UL_IS_STATUS_BUTTON (self), NULL);
  return self->status;
}

const char *
ul_status_button_get_text (UlStatusButton *self)
{
  g_return_val_if_fail (UL_IS_STATUS_BUTTON (self), NULL);
  return gtk_label_get_text (self->label);
}
