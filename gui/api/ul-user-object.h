/* ul-user-object.h — a PBX user (core/common UlUser) as a list item for the views. */
#pragma once

#include <glib-object.h>

#include "ul-user.h"

G_BEGIN_DECLS

#define UL_TYPE_USER_OBJECT (ul_user_object_get_type ())
G_DECLARE_FINAL_TYPE (UlUserObject, ul_user_object, UL, USER_OBJECT, GObject)

/* Takes @user. */
UlUserObject *ul_user_object_new (UlUser *user);
const UlUser *ul_user_object_get_user (UlUserObject *self);
const char   *ul_user_object_get_extension (UlUserObject *self);
const char   *ul_user_object_get_name (UlUserObject *self);
const char   *ul_user_object_get_email (UlUserObject *self);
gboolean      ul_user_object_get_eligible (UlUserObject *self);
gboolean      ul_user_object_get_registered (UlUserObject *self);
/* Translated: why the user cannot receive a deployment e-mail, "" when eligible. */
const char   *ul_user_object_get_reason (UlUserObject *self);

gint64        ul_user_object_get_registered_at (UlUserObject *self);
/* Translated, e.g. "24.11.26 14:10"; "" when not registered. */
char         *ul_user_object_dup_registered_text (UlUserObject *self);

/* The Deployment step's check box. Only users who can get a deployment e-mail (eligible,
 * not registered yet) can be selected: for the others this does nothing. */
gboolean      ul_user_object_get_can_select (UlUserObject *self);
gboolean      ul_user_object_get_selected (UlUserObject *self);
void          ul_user_object_set_selected (UlUserObject *self, gboolean selected);

/* The user's newest deployment e-mail, a GetDeliveries record ({state, reply, error,
 * updatedAt, nextAttemptAt …}), or NULL; "notify::delivery" tells when it changes. */
void          ul_user_object_set_delivery (UlUserObject *self, GVariant *delivery);
GVariant     *ul_user_object_get_delivery (UlUserObject *self);
/* "registered", else the mail's state ("queued", "sending", "sent", "failed"), else NULL
 * (never invited). */
const char   *ul_user_object_get_delivery_state (UlUserObject *self);
/* Translated, for the Delivery column ("Sent 14:03", "Failed: …"); "" when never invited. */
char         *ul_user_object_dup_delivery_text (UlUserObject *self);
/* What stands behind it, for a tooltip: the mail server's own reply or error; NULL. */
char         *ul_user_object_dup_delivery_details (UlUserObject *self);
/* Invited before and not registered: Resend sends a new link. */
gboolean      ul_user_object_get_can_resend (UlUserObject *self);

G_END_DECLS
