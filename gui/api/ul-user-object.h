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

/* The Deployment step's check box. */
gboolean      ul_user_object_get_selected (UlUserObject *self);
void          ul_user_object_set_selected (UlUserObject *self, gboolean selected);

G_END_DECLS
