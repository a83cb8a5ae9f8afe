/* ul-choices.h — the fixed lists of the forms, with translated labels: countries (names
 * from iso-codes, in the desktop's language), business types, languages, platforms,
 * support roles. Each list keeps the stable id next to the label it shows. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  UL_CHOICES_COUNTRY,
  UL_CHOICES_BUSINESS_TYPE,
  UL_CHOICES_LANGUAGE,
  UL_CHOICES_PLATFORM,
  UL_CHOICES_SUPPORT_ROLE,
  UL_CHOICES_ETHERNET,
  UL_CHOICES_DIRECTORY,
  UL_CHOICES_SMTP_SECURITY,  /* the ids of ul_smtp_tls_to_string() */
} UlChoices;

/* Fills @dropdown (a GtkDropDown or AdwComboRow) with the labels of @kind; countries are
 * sorted by their translated name and searchable. */
void        ul_choices_setup (GObject *dropdown, UlChoices kind);
/* The id selected, or NULL. */
const char *ul_choices_get (GObject *dropdown);
/* Selects @id; FALSE (and nothing selected) for an id not in the list. */
gboolean    ul_choices_set (GObject *dropdown, const char *id);

G_END_DECLS
