/* ul-user-object.c — a PBX user as a list item.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ul-user-object.h"

struct _UlUserObject
{
  GObject  parent_instance;

  UlUser  *user;
  gboolean selected;
};

G_DEFINE_FINAL_TYPE (UlUserObject, ul_user_object, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_EXTENSION,
  PROP_NAME,
  PROP_EMAIL,
  PROP_ELIGIBLE,
  PROP_REASON,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
ul_user_object_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  UlUserObject *self = UL_USER_OBJECT (object);

  switch (prop_id)
    {
    case PROP_EXTENSION:
      g_value_set_string (value, ul_user_object_get_extension (self));
      break;
    case PROP_NAME:
      g_value_set_string (value, ul_user_object_get_name (self));
      break;
    case PROP_EMAIL:
      g_value_set_string (value, ul_user_object_get_email (self));
      break;
    case PROP_ELIGIBLE:
      g_value_set_boolean (value, ul_user_object_get_eligible (self));
      break;
    case PROP_REASON:
      g_value_set_string (value, ul_user_object_get_reason (self));
      break;
    case PROP_SELECTED:
      g_value_set_boolean (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ul_user_object_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  UlUserObject *self = UL_USER_OBJECT (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      ul_user_object_set_selected (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ul_user_object_finalize (GObject *object)
{
  UlUserObject *self = UL_USER_OBJECT (object);

  g_clear_pointer (&self->user, ul_user_free);

  G_OBJECT_CLASS (ul_user_object_parent_class)->finalize (object);
}

static void
ul_user_object_class_init (UlUserObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ul_user_object_get_property;
  object_class->set_property = ul_user_object_set_property;
  object_class->finalize = ul_user_object_finalize;

  props[PROP_EXTENSION] = g_param_spec_string ("extension", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL,
                                           G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_ELIGIBLE] = g_param_spec_boolean ("eligible", NULL, NULL, FALSE,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_SELECTED] = g_param_spec_boolean ("selected", NULL, NULL, FALSE,
                                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                               G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
ul_user_object_init (UlUserObject *self)
{
}

UlUserObject *
ul_user_object_new (UlUser *user)
{
  UlUserObject *self;

  g_return_val_if_fail (user != NULL, NULL);

  self = g_object_new (UL_TYPE_USER_OBJECT, NULL);
  self->user = user;
  return self;
}

const UlUser *
ul_user_object_get_user (UlUserObject *self)
{
  g_return_val_if_fail (UL_IS_USER_OBJECT (self), NULL);
  return self->user;
}

const char *
ul_user_object_get_extension (UlUserObject *self)
{
  g_return_val_if_fail (UL_IS_USER_OBJECT (self), NULL);
  return self->user->extension;
}

const char *
ul_user_object_get_name (UlUserObject *self)
{
  g_return_val_if_fail (UL_IS_USER_OBJECT (self), NULL);
  return self->user->name != NULL ? self->user->name : "";
}

const char *
ul_user_object_get_email (UlUserObject *self)
{
  g_return_val_if_fail (UL_IS_USER_OBJECT (self), NULL);
  return self->user->email != NULL ? self->user->email : "";
}

gboolean
ul_user_object_get_eligible (UlUserObject *self)
{
  g_return_val_if_fail (UL_IS_USER_OBJECT (self), FALSE);
  return self->user->eligibility == UL_USER_ELIGIBILITY_ELIGIBLE;
}

gboolean
ul_user_object_get_registered (UlUserObject *self)
{
  g_return_val_if_fail (UL_IS_USER_OBJECT (self), FALSE);
  return self->user->registered_at > 0;
}

const char *
ul_user_object_get_reason (UlUserObject *self)
{
  g_return_val_if_fail (UL_IS_USER_OBJECT (self), NULL);

  if (self->user->eligibility == UL_USER_ELIGIBILITY_ELIGIBLE)
    return "";
  return ul_user_eligibility_get_reason (self->user->eligibility);
}

gboolean
ul_user_object_get_selected (UlUserObject *self)
{
  g_return_val_if_fail (UL_IS_USER_OBJECT (self), FALSE);
  return self->selected;
}

void
ul_user_object_set_selected (UlUserObject *self, gboolean selected)
{
  g_return_if_fail (UL_IS_USER_OBJECT (self));

  if (self->selected == !!selected)
    return;
  self->selected = !!selected;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SELECTED]);
}
