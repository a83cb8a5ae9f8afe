/* ul-contact-row.h — an admin or support contact in the Customer step, with its X. */
#pragma once

#include <adwaita.h>

#include "ul-contact.h"

G_BEGIN_DECLS

#define UL_TYPE_CONTACT_ROW (ul_contact_row_get_type ())
G_DECLARE_FINAL_TYPE (UlContactRow, ul_contact_row, UL, CONTACT_ROW, AdwActionRow)

/* Copies @contact; @with_role shows the support role. */
UlContactRow    *ul_contact_row_new (const UlContact *contact, gboolean with_role);
const UlContact *ul_contact_row_get_contact (UlContactRow *self);
GtkWidget       *ul_contact_row_get_remove_button (UlContactRow *self);

/* The translated name of a support role. */
const char      *ul_support_role_get_label (UlSupportRole role);

/* Signal "remove" (): the X was clicked. */

G_END_DECLS
