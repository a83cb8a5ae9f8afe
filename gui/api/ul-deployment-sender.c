/* ul-deployment-sender.c — deployment e-mails for many users, in batches.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-deployment-sender.h"
#include "ul-error.h"
#include "ul-json.h"
#include "ul-user.h"

struct _UlDeploymentSender
{
  GObject    parent_instance;

  UlGateway *gateway;
  GStrv      extensions;
  char      *language;
  gboolean   resend;
  guint      total;
  guint      done;
  guint      accepted;
  GPtrArray *results;  /* GVariant a{sv} */
};

G_DEFINE_FINAL_TYPE (UlDeploymentSender, ul_deployment_sender, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_DONE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

const char *
ul_deployment_refusal_reason (const char *reason, const char *fallback)
{
  UlUserEligibility eligibility = ul_user_eligibility_from_string (reason);

  /* The gateway words its refusals in its own language; the partner reads the
   * dashboard's. */
  if (eligibility != UL_USER_ELIGIBILITY_ELIGIBLE)
    return ul_user_eligibility_get_reason (eligibility);
  if (g_strcmp0 (reason, "registered") == 0)
    return _("Already registered: the user signs in to the app with their own password.");
  if (g_strcmp0 (reason, "not-invited") == 0)
    return _("No deployment e-mail was sent to this user before: send one first.");
  if (g_strcmp0 (reason, "unknown-user") == 0)
    return _("The PBX no longer has this user: sync the users again.");
  return fallback != NULL ? fallback : _("Refused by the gateway");
}

static void
ul_deployment_sender_get_property (GObject *object, guint prop_id, GValue *value,
                                   GParamSpec *pspec)
{
  UlDeploymentSender *self = UL_DEPLOYMENT_SENDER (object);

  switch (prop_id)
    {
    case PROP_DONE:
      g_value_set_uint (value, self->done);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ul_deployment_sender_finalize (GObject *object)
{
  UlDeploymentSender *self = UL_DEPLOYMENT_SENDER (object);

  g_clear_object (&self->gateway);
  g_strfreev (self->extensions);
  g_free (self->language);
  g_ptr_array_unref (self->results);

  G_OBJECT_CLASS (ul_deployment_sender_parent_class)->finalize (object);
}

static void
ul_deployment_sender_class_init (UlDeploymentSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ul_deployment_sender_get_property;
  object_class->finalize = ul_deployment_sender_finalize;

  props[PROP_DONE] = g_param_spec_uint ("done", NULL, NULL, 0, G_MAXUINT, 0,
                                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                        G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
ul_deployment_sender_init (UlDeploymentSender *self)
{
  self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
}

UlDeploymentSender *
ul_deployment_sender_new (UlGateway          *gateway,
                          const char * const *extensions,
                          const char         *language,
                          gboolean            resend)
{
  UlDeploymentSender *self;

  g_return_val_if_fail (UL_IS_GATEWAY (gateway), NULL);
  g_return_val_if_fail (extensions != NULL, NULL);

  self = g_object_new (UL_TYPE_DEPLOYMENT_SENDER, NULL);
  self->gateway = g_object_ref (gateway);
  self->extensions = g_strdupv ((char **) extensions);
  self->total = g_strv_length (self->extensions);
  self->language = g_strdup (language);
  self->resend = resend;
  return self;
}

static void send_batch (GTask *task);

static void
on_batch_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  UlDeploymentSender *self = g_task_get_source_object (task);
  guint batch = GPOINTER_TO_UINT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  g_autoptr(GVariant) results = NULL;

  if (reply == NULL)
    {
      /* Said once, with what went through before it. */
      if (self->done > 0 && error->domain == UL_ERROR)
        {
          g_autofree char *reason = g_strdup (error->message);

          g_clear_error (&error);
          g_set_error (&error, UL_ERROR, UL_ERROR_FAILED,
                       _("%u of %u users were handed to the gateway before it failed: %s"),
                       self->done, self->total, reason);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  results = ul_json_lookup_dict_array (reply, "results");
  for (gsize i = 0; results != NULL && i < g_variant_n_children (results); i++)
    {
      GVariant *one = g_variant_get_child_value (results, i);

      self->accepted += ul_json_lookup_bool (one, "accepted", FALSE);
      g_ptr_array_add (self->results, one);
    }
  self->done = MIN (self->total, self->done + batch);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DONE]);

  if (self->done >= self->total)
    g_task_return_boolean (task, TRUE);
  else if (!g_task_return_error_if_cancelled (task))
    send_batch (g_steal_pointer (&task));
}

static void
send_batch (GTask *task)
{
  UlDeploymentSender *self = g_task_get_source_object (task);
  guint batch = MIN (UL_DEPLOYMENT_SENDER_BATCH, self->total - self->done);
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_variant_builder_add (&builder, "{sv}", "extensions",
                         g_variant_new_strv ((const char * const *) self->extensions + self->done,
                                             batch));
  if (self->language != NULL)
    g_variant_builder_add (&builder, "{sv}", "language", g_variant_new_string (self->language));
  g_task_set_task_data (task, GUINT_TO_POINTER (batch), NULL);
  ul_gateway_call_async (self->gateway,
                         self->resend ? UL_API_OP_RESEND_DEPLOYMENT_EMAILS
                                      : UL_API_OP_SEND_DEPLOYMENT_EMAILS,
                         NULL, g_variant_builder_end (&builder), g_task_get_cancellable (task),
                         on_batch_sent, task);
}

void
ul_deployment_sender_run_async (UlDeploymentSender *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  GTask *task;

  g_return_if_fail (UL_IS_DEPLOYMENT_SENDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ul_deployment_sender_run_async);
  if (self->total == 0)
    {
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_INVALID_ARGUMENT, "%s",
                               _("Select at least one user"));
      g_object_unref (task);
      return;
    }
  send_batch (task);
}

gboolean
ul_deployment_sender_run_finish (UlDeploymentSender *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
ul_deployment_sender_get_done (UlDeploymentSender *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_SENDER (self), 0);
  return self->done;
}

guint
ul_deployment_sender_get_total (UlDeploymentSender *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_SENDER (self), 0);
  return self->total;
}

GVariant *
ul_deployment_sender_get_results (UlDeploymentSender *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_SENDER (self), NULL);
  return g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE_VARDICT,
                                                  (GVariant **) self->results->pdata,
                                                  self->results->len));
}

guint
ul_deployment_sender_get_n_accepted (UlDeploymentSender *self)
{
  g_return_val_if_fail (UL_IS_DEPLOYMENT_SENDER (self), 0);
  return self->accepted;
}
