/* ul-form.h — inline validation messages: each field name (the JSON key path core/common
 * reports, "address.postalCode", "ethernet.dns[1]") maps to the widget that edits it, and
 * an error appears right under that widget, in the words core/common or the gateway used.
 *
 * A field without a widget of its own falls back to its parent path
 * ("supportContacts[1].email" → "supportContacts"). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UL_TYPE_FORM (ul_form_get_type ())
G_DECLARE_FINAL_TYPE (UlForm, ul_form, UL, FORM, GObject)

UlForm     *ul_form_new (void);
/* @widget: a row in a boxed list, an AdwPreferencesGroup, or a widget in a GtkBox. */
void        ul_form_add (UlForm *self, const char *field, GtkWidget *widget);
/* Removes every message. */
void        ul_form_clear (UlForm *self);
/* Shows @reason under @field's widget; FALSE when no widget matches. */
gboolean    ul_form_show (UlForm *self, const char *field, const char *reason);
/* Shows a field error (UL_ERROR with "<field>: <reason>"); FALSE when @error names no
 * field this form has (the caller then shows it another way). */
gboolean    ul_form_show_error (UlForm *self, const GError *error);
guint       ul_form_get_n_errors (UlForm *self);
/* The message shown for exactly @field, or NULL. */
const char *ul_form_get_message (UlForm *self, const char *field);
/* Moves the keyboard focus to the first field with a message. */
void        ul_form_focus_first (UlForm *self);

/* What a field holds: the row's text without surrounding white space (a new string). */
char       *ul_form_entry_text (AdwEntryRow *row);
/* Fills a field from a record; NULL (a key the gateway left out) empties it. */
void        ul_form_set_entry_text (AdwEntryRow *row, const char *text);

G_END_DECLS
