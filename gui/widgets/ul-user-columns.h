/* ul-user-columns.h — the columns of the user tables (GtkColumnView over UlUserObject):
 * cells are GtkInscriptions, cheap enough to scroll through 10,000 users. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  UL_USER_COLUMN_SELECT    = 1 << 0,  /* check box bound to UlUserObject:selected */
  UL_USER_COLUMN_NAME      = 1 << 1,
  UL_USER_COLUMN_EXTENSION = 1 << 2,
  UL_USER_COLUMN_EMAIL     = 1 << 3,
  UL_USER_COLUMN_REASON    = 1 << 4,  /* why the user cannot receive the app */
  UL_USER_COLUMN_DELIVERY  = 1 << 5,  /* the deployment e-mail's state, live, with a Resend
                                       * button that activates "deployment.resend" (s) */
  UL_USER_COLUMN_REGISTERED_AT = 1 << 6,
} UlUserColumns;

void ul_user_columns_add (GtkColumnView *view, UlUserColumns columns);

/* Matches @item (UlUserObject) against @search in name, extension and e-mail,
 * case-insensitively; an empty search matches everything. */
gboolean ul_user_matches (gpointer item, const char *search);

G_END_DECLS
