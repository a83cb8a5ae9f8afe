/* ul-status-button.h — a status message as a link to its help page.
 *
 * Blue for the next onboarding step, red for an error that needs fixing, green for
 * "Overview" (the seed guide's colours); clicking opens help/C/status-<code>.page. */
#pragma once

#include <gtk/gtk.h>

#include "ul-status.h"

G_BEGIN_DECLS

#define UL_TYPE_STATUS_BUTTON (ul_status_button_get_type ())
G_DECLARE_FINAL_TYPE (UlStatusButton, ul_status_button, UL, STATUS_BUTTON, GtkButton)

GtkWidget      *ul_status_button_new (void);
void            ul_status_button_set_status (UlStatusButton *self, const UlStatus *status);
const UlStatus *ul_status_button_get_status (UlStatusButton *self);
/* The message shown, for the tests. */
const char     *ul_status_button_get_text (UlStatusButton *self);

G_END_DECLS
