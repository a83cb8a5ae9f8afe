/* ul-help.h — the dashboard's links into the Mallard help (help/C/: a page per screen and
 * per status code). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Opens help page @page_id ("status-pbx-unreachable", "dashboard-customers" …; NULL or ""
 * for the index) through the "app.help" action, so that one place decides how. */
void        ul_help_show (GtkWidget *widget, const char *page_id);

/* The page that explains @error best (a status page for the PBX errors), or NULL. */
const char *ul_help_page_for_error (const GError *error);

G_END_DECLS
