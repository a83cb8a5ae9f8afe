/* ul-user-object.c — a PBX user as a list item.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ul-json.h"
#include "ul-user-object.h"

struct _UlUserObject
{
  GObject   parent_instance;

  UlUser   *user;
  GVariant *delivery;
  gboolean  selected;
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
  PROP_DELIVERY,
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
    case PROP_DELIVERY:
      g_value_set_variant (value, self->delivery);
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
  g_clear_pointer (&self->delivery, g_variant_unref);

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
  props[PROP_DELIVERY] = g_param_spec_variant ("delivery", NULL, NULL, G_VARIANT_TYPE_VARDICT,
                                               NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
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

gint64
ul_user_object_get_registered_at (UlUserObject *self)
{
  g_return_val_if_fail (UL_IS_USER_OBJECT (self), 0);
  return self->user->registered_at;
}

/* The time of day for today, else the date too: the column is read at a glance. */
static char *
format_time (gint64 seconds, gboolean always_date)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (seconds);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (time == NULL)
    return g_strdup ("");
  if (!always_date && g_date_time_get_year (time) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    return g_date_time_format (time, "%R");
  /* TRANSLATORS: a date and time in a table column; see the strftime manual. */
  return g_date_time_format (time, _("%x %R"));
}

char *
ul_user_object_dup_registered_text (UlUserObject *self)
{
  g_return_val_if_fail (UL_IS_USER_OBJECT (self), NULL);

  if (self->user->registered_at <= 0)
    return g_strdup ("");
  return format_time (self->user->registered_at, TRUE);
}

gboolean
ul_user_object_get_can_select (UlUserObject *self)
{
  g_return_val_if_fail (UL_IS_USER_OBJECT (self), FALSE);

  /* A registered user's new link would let whoever reads the mail take over the account;
   * the gateway refuses it too. */
  return ul_user_object_get_eligible (self) && !ul_user_object_get_registered (self);
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

  if (selected && !ul_user_object_get_can_select (self))
    selected = FALSE;
  if (self->selected == !!selected)
    return;
  self->selected = !!selected;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SELECTED]);
}

void
ul_user_object_set_delivery (UlUserObject *self, GVariant *delivery)
{
  g_return_if_fail (UL_IS_USER_OBJECT (self));
  g_return_if_fail (delivery == NULL || g_variant_is_of_type (delivery, G_VARIANT_TYPE_VARDICT));

  if (self->delivery == delivery ||
      (self->delivery != NULL && delivery != NULL && g_variant_equal (self->delivery, delivery)))
    return;
  g_clear_pointer (&self->delivery, g_variant_unref);
  self->delivery = delivery != NULL ? g_variant_ref_sink (delivery) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DELIVERY]);
}

GVariant *
ul_user_object_get_delivery (UlUserObject *self)
{
  g_return_val_if_fail (UL_IS_USER_OBJECT (self), NULL);
  return self->delivery;
}

const char *
ul_user_object_get_delivery_state (UlUserObject *self)
{
  g_return_val_if_fail (UL_IS_USER_OBJECT (self), NULL);

  if (ul_user_object_get_registered (self) ||
      ul_json_lookup_bool (self->delivery, "registered", FALSE))
    return "registered";
  return ul_json_lookup_string (self->delivery, "state", NULL);
}

char *
ul_user_object_dup_delivery_text (UlUserObject *self)
{
  const char *state;
  const char *error;
  g_autofree char *time = NULL;

  g_return_val_if_fail (UL_IS_USER_OBJECT (self), NULL);

  state = ul_user_object_get_delivery_state (self);
  error = ul_json_lookup_string (self->delivery, "error", NULL);
  if (state == NULL)
    return g_strdup (self->user->invited_at > 0 ? _("Invited") : "");
  if (g_str_equal (state, "registered"))
    {
      if (self->user->registered_at <= 0)
        return g_strdup (_("Registered"));
      time = format_time (self->user->registered_at, FALSE);
      /* TRANSLATORS: %s is a time ("14:10") or a date and time. */
      return g_strdup_printf (_("Registered %s"), time);
    }
  if (g_str_equal (state, "queued"))
    {
      gint64 next = ul_json_lookup_int (self->delivery, "nextAttemptAt", 0);

      /* An earlier attempt failed (the mail server was down, or said "later"). */
      if (error != NULL && next > 0)
        {
          time = format_time (next, FALSE);
          /* TRANSLATORS: %s is a time ("14:10"). */
          return g_strdup_printf (_("Queued, will retry at %s"), time);
        }
      return g_strdup (_("Queued"));
    }
  if (g_str_equal (state, "sending"))
    return g_strdup (_("Sending…"));
  if (g_str_equal (state, "sent"))
    {
      time = format_time (ul_json_lookup_int (self->delivery, "updatedAt", 0), FALSE);
      /* TRANSLATORS: %s is a time ("14:10") or a date and time. */
      return g_strdup_printf (_("Sent %s"), time);
    }
  if (g_str_equal (state, "failed"))
    /* TRANSLATORS: %s is the mail server's answer or the problem. */
    return g_strdup_printf (_("Failed: %s"), error != NULL ? error : _("unknown error"));
  if (g_str_equal (state, "superseded"))
    return g_strdup (_("Replaced by a newer e-mail"));
  return g_strdup (state);
}

char *
ul_user_object_dup_delivery_details (UlUserObject *self)
{
  const char *state;
  const char *reply;
  const char *error;

  g_return_val_if_fail (UL_IS_USER_OBJECT (self), NULL);

  state = ul_json_lookup_string (self->delivery, "state", NULL);
  reply = ul_json_lookup_string (self->delivery, "reply", NULL);
  error = ul_json_lookup_string (self->delivery, "error", NULL);
  if (g_strcmp0 (state, "sent") == 0 && reply != NULL)
    /* TRANSLATORS: %s is the mail server's reply, "250 2.0.0 Ok: queued as 4XyZ". */
    return g_strdup_printf (_("The mail server accepted it: %s"), reply);
  if (error != NULL && g_strcmp0 (state, "sent") != 0)
    /* TRANSLATORS: %s is the mail server's reply or the connection problem. */
    return g_strdup_printf (_("Last attempt: %s"), error);
  return NULL;
}

gboolean
ul_user_object_get_can_resend (UlUserObject *self)
{
  g_return_val_if_fail (UL_IS_USER_OBJECT (self), FALSE);

  return ul_user_object_get_can_select (self) &&
         (self->user->invited_at > 0 || self->delivery != NULL) &&
         g_strcmp0 (ul_user_object_get_delivery_state (self), "registered") != 0;
}
