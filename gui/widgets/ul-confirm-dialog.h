/* ul-confirm-dialog.h — "type the word to confirm", as the seed guide asks before
 * deactivating a customer ("deactivate") or removing an admin contact ("remove").
 *
 * The confirm button stays insensitive until the entry holds exactly the word; the typed
 * text is what gets sent, so the gateway checks it too. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UL_TYPE_CONFIRM_DIALOG (ul_confirm_dialog_get_type ())
G_DECLARE_FINAL_TYPE (UlConfirmDialog, ul_confirm_dialog, UL, CONFIRM_DIALOG, AdwMessageDialog)

/* @body may contain Pango markup. */
UlConfirmDialog *ul_confirm_dialog_new (GtkWidget  *parent,
                                        const char *heading,
                                        const char *body,
                                        const char *word,
                                        const char *confirm_label);
GtkEditable     *ul_confirm_dialog_get_entry (UlConfirmDialog *self);
gboolean         ul_confirm_dialog_get_can_confirm (UlConfirmDialog *self);
/* Confirms as the button would; does nothing while the word does not match. */
void             ul_confirm_dialog_confirm (UlConfirmDialog *self);

/* Signal "confirmed" (const char *typed): the partner typed the word and confirmed. */

G_END_DECLS
