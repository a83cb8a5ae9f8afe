/* ul-mail-service.c — SMTP settings and the outbox that delivers the deployment e-mails.
 *
 * One mail is in flight at a time: the store is only written from the main thread, and a
 * single SMTP session keeps the relay happy (a burst of parallel sessions from one client
 * is what relays throttle first). See ul-mail-service.h for the delivery guarantee.
 */
#define G_LOG_DOMAIN "uplink-mail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ul-error.h"
#include "ul-mail-service.h"
#include "ul-smtp-client.h"
#include "ul-smtp-error.h"

#define SHUTDOWN_TIMEOUT_MS 5000
#define CLAIM_BATCH         20    /* mails claimed per transaction */

struct _UlMailService
{
  GObject parent_instance;

  UlStore        *store;
  UlSmtpClient   *client;
  UlSmtpConfig   *smtp;       /* NULL until first saved */
  UlMailSettings *settings;   /* never NULL */

  gboolean        started;
  gboolean        stopping;
  GQueue          claimed;       /* UlOutboxMail*: claimed ("sending"), not yet tried */
  UlOutboxMail   *attempt;       /* the mail with the SMTP client, or NULL */
  gboolean        used_relay;    /* the client may hold an open session */
  guint           wakeup_id;     /* the next due mail or the end of a relay pause */
  gint64          relay_paused_until;
  guint           relay_failures;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (UlMailService, ul_mail_service, G_TYPE_OBJECT)

enum
{
  SIGNAL_DELIVERY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule (UlMailService *self);
static void unclaim_all (UlMailService *self, gint64 due, gint64 now);

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

UlMailService *
ul_mail_service_new (UlStore *store, GError **error)
{
  g_autoptr(UlMailService) self = g_object_new (UL_TYPE_MAIL_SERVICE, NULL);
  g_autoptr(GError) local_error = NULL;

  self->store = g_object_ref (store);
  self->smtp = ul_store_load_smtp (store, &local_error);
  if (local_error == NULL)
    self->settings = ul_store_load_mail_settings (store, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (self->settings == NULL)
    self->settings = ul_mail_settings_new ();
  self->client = ul_smtp_client_new ();
  return g_steal_pointer (&self);
}

static void
emit_changed (UlMailService *self, const char *extension)
{
  g_signal_emit (self, signals[SIGNAL_DELIVERY_CHANGED], 0, extension);
}

void
ul_mail_service_start (UlMailService *self)
{
  g_autoptr(GError) error = NULL;
  guint recovered = 0;

  g_return_if_fail (UL_IS_MAIL_SERVICE (self));

  if (self->started)
    return;
  self->started = TRUE;
  if (!ul_store_outbox_recover (self->store,
                                _("Delivery was interrupted by a restart; the same message "
                                  "(same Message-ID) is sent again"),
                                now_seconds (), &recovered, &error))
    g_warning ("cannot recover the outbox: %s", error->message);
  else if (recovered > 0)
    g_message ("outbox: %u mail(s) interrupted by a restart are queued again", recovered);
  schedule (self);
}

static gboolean
on_stop_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
ul_mail_service_shutdown (UlMailService *self)
{
  gboolean timed_out = FALSE;
  guint timeout_id;

  g_return_if_fail (UL_IS_MAIL_SERVICE (self));

  self->stopping = TRUE;
  g_clear_handle_id (&self->wakeup_id, g_source_remove);
  /* Mails claimed but not handed to the relay are simply queued again. */
  unclaim_all (self, now_seconds (), now_seconds ());
  if (self->attempt == NULL)
    return;
  /* The SMTP exchange is short; letting it end records "sent" instead of leaving an
   * unknown outcome for the next start. */
  timeout_id = g_timeout_add (SHUTDOWN_TIMEOUT_MS, on_stop_timeout, &timed_out);
  while (self->attempt != NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_cancellable_cancel (self->cancellable);
  else
    g_source_remove (timeout_id);
}

/* Claimed mails that will not be tried now go back to the queue, due at @due. */
static void
unclaim_all (UlMailService *self, gint64 due, gint64 now)
{
  g_autoptr(GPtrArray) mails = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_outbox_mail_free);
  g_autoptr(GError) error = NULL;
  UlOutboxMail *mail;

  while ((mail = g_queue_pop_head (&self->claimed)) != NULL)
    g_ptr_array_add (mails, mail);
  if (!ul_store_outbox_unclaim (self->store, mails, due, now, &error))
    g_warning ("outbox: %s", error->message);
  for (guint i = 0; i < mails->len; i++)
    emit_changed (self, ((UlOutboxMail *) g_ptr_array_index (mails, i))->extension);
}

gboolean
ul_mail_service_set_ca_file (UlMailService *self, const char *path, GError **error)
{
  g_return_val_if_fail (UL_IS_MAIL_SERVICE (self), FALSE);

  if (path != NULL && !ul_smtp_check_ca_file (path, error))
    return FALSE;
  ul_smtp_client_set_ca_file (self->client, path);
  return TRUE;
}

UlSmtpConfig *
ul_mail_service_get_smtp (UlMailService *self)
{
  g_return_val_if_fail (UL_IS_MAIL_SERVICE (self), NULL);
  return self->smtp != NULL ? ul_smtp_config_copy (self->smtp) : ul_smtp_config_new ();
}

UlMailSettings *
ul_mail_service_get_settings (UlMailService *self)
{
  g_return_val_if_fail (UL_IS_MAIL_SERVICE (self), NULL);
  return ul_mail_settings_copy (self->settings);
}

static char *
changed_keys (GVariant *changes)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  GVariantIter iter;
  const char *key;

  g_variant_iter_init (&iter, changes);
  while (g_variant_iter_next (&iter, "{&sv}", &key, NULL))
    g_strv_builder_add (keys, key);
  strv = g_strv_builder_end (keys);
  return g_strjoinv (", ", strv);
}

static void
audit (UlMailService *self, const UlCaller *caller, const char *action, const char *detail)
{
  ul_store_set_audit (self->store,
                      ul_audit_entry_new (caller != NULL ? caller->actor : "uplinkd",
                                          caller != NULL ? caller->peer : NULL, action, detail));
}

/* A change of relay deserves a fresh try of everything that waits. */
static void
retry_now (UlMailService *self)
{
  self->relay_paused_until = 0;
  self->relay_failures = 0;
  schedule (self);
}

gboolean
ul_mail_service_update_smtp (UlMailService  *self,
                             const UlCaller *caller,
                             GVariant       *changes,
                             GError        **error)
{
  g_autoptr(UlSmtpConfig) candidate = NULL;
  g_autoptr(GVariant) owned = NULL;
  g_autofree char *keys = NULL;

  g_return_val_if_fail (UL_IS_MAIL_SERVICE (self), FALSE);

  owned = g_variant_ref_sink (changes);
  candidate = ul_mail_service_get_smtp (self);
  if (!ul_smtp_config_apply (candidate, owned, error)
      || !ul_smtp_config_validate (candidate, error))
    return FALSE;

  keys = changed_keys (owned);
  audit (self, caller, "update-smtp", keys);
  if (!ul_store_save_smtp (self->store, candidate, error))
    return FALSE;
  g_clear_pointer (&self->smtp, ul_smtp_config_free);
  self->smtp = g_steal_pointer (&candidate);
  retry_now (self);
  return TRUE;
}

gboolean
ul_mail_service_update_settings (UlMailService  *self,
                                 const UlCaller *caller,
                                 GVariant       *changes,
                                 GError        **error)
{
  g_autoptr(UlMailSettings) candidate = NULL;
  g_autoptr(GVariant) owned = NULL;
  g_autofree char *keys = NULL;

  g_return_val_if_fail (UL_IS_MAIL_SERVICE (self), FALSE);

  owned = g_variant_ref_sink (changes);
  candidate = ul_mail_settings_copy (self->settings);
  if (!ul_mail_settings_apply (candidate, owned, error)
      || !ul_mail_settings_validate (candidate, error))
    return FALSE;

  keys = changed_keys (owned);
  audit (self, caller, "update-mail-settings", keys);
  if (!ul_store_save_mail_settings (self->store, candidate, error))
    return FALSE;
  g_clear_pointer (&self->settings, ul_mail_settings_free);
  self->settings = g_steal_pointer (&candidate);
  retry_now (self);
  return TRUE;
}

static gboolean
check_configured (UlMailService *self, GError **error)
{
  if (!ul_smtp_config_is_configured (self->smtp))
    {
      g_set_error_literal (error, UL_ERROR, UL_ERROR_WRONG_STATE,
                           _("Configure the SMTP server (host and sender address) first"));
      return FALSE;
    }
  return TRUE;
}

static void
on_sent_now (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *reply = ul_smtp_client_send_finish (UL_SMTP_CLIENT (source), result, NULL, &error);

  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reply, g_free);
}

void
ul_mail_service_send_now_async (UlMailService      *self,
                                const char         *recipient,
                                GBytes             *message,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, ul_mail_service_send_now_async);
  if (!check_configured (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->used_relay = TRUE;
  ul_smtp_client_send_async (self->client, self->smtp, recipient, message, cancellable,
                             on_sent_now, g_steal_pointer (&task));
}

char *
ul_mail_service_send_now_finish (UlMailService *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
ul_mail_service_accept (UlMailService *self,
                        GPtrArray     *mails,
                        gint64         link_expires_at,
                        GError       **error)
{
  g_return_val_if_fail (UL_IS_MAIL_SERVICE (self), FALSE);

  if (!check_configured (self, error)
      || !ul_store_accept_mails (self->store, mails, link_expires_at, now_seconds (), error))
    return FALSE;
  for (guint i = 0; i < mails->len; i++)
    emit_changed (self, ((UlOutboxMail *) g_ptr_array_index (mails, i))->extension);
  schedule (self);
  return TRUE;
}

GPtrArray *
ul_mail_service_list_latest (UlMailService *self, GError **error)
{
  g_return_val_if_fail (UL_IS_MAIL_SERVICE (self), NULL);
  return ul_store_outbox_latest (self->store, error);
}

UlOutboxMail *
ul_mail_service_get_latest (UlMailService *self, const char *extension, GError **error)
{
  g_return_val_if_fail (UL_IS_MAIL_SERVICE (self), NULL);
  return ul_store_outbox_latest_for (self->store, extension, error);
}

/* Delivery */

/* retryInitial, doubled per earlier failure, capped at retryMax. */
static gint64
backoff (UlMailService *self, guint failures)
{
  gint64 delay = self->settings->retry_initial;

  for (guint i = 1; i < failures && delay < self->settings->retry_max; i++)
    delay *= 2;
  return MIN (delay, (gint64) self->settings->retry_max);
}

static gboolean
on_wakeup (gpointer user_data)
{
  UlMailService *self = user_data;

  self->wakeup_id = 0;
  schedule (self);
  return G_SOURCE_REMOVE;
}

static void
wake_at (UlMailService *self, gint64 at, gint64 now)
{
  g_clear_handle_id (&self->wakeup_id, g_source_remove);
  self->wakeup_id = g_timeout_add_seconds ((guint) CLAMP (at - now, 1, G_MAXUINT), on_wakeup,
                                           self);
}


static void
on_attempt_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlMailService) self = user_data;
  g_autoptr(UlOutboxMail) mail = g_steal_pointer (&self->attempt);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autofree char *given_up = NULL;
  UlSmtpFailure failure = UL_SMTP_FAILURE_RELAY;
  g_autofree char *reply = ul_smtp_client_send_finish (UL_SMTP_CLIENT (source), result,
                                                       &failure, &error);
  gint64 now = now_seconds ();
  gint64 retry_at = mail->next_attempt_at;
  gboolean stored;

  if (reply != NULL)
    {
      /* First thing after the relay's "250": the window in which a crash could cause a
       * duplicate closes here. */
      stored = ul_store_outbox_mark_sent (self->store, mail->id, reply, now, &store_error);
      self->relay_failures = 0;
      self->relay_paused_until = 0;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* Shut down before it began: the stored retry time applies at the next start. */
    stored = ul_store_outbox_mark_retry (self->store, mail->id, NULL, retry_at, now,
                                         &store_error);
  else if (failure == UL_SMTP_FAILURE_PERMANENT)
    stored = ul_store_outbox_mark_failed (self->store, mail->id, error->message, now,
                                          &store_error);
  else
    {
      if (failure == UL_SMTP_FAILURE_RELAY)
        {
          self->relay_failures++;
          self->relay_paused_until = now + backoff (self, self->relay_failures);
          retry_at = self->relay_paused_until;
          g_message ("outbox: relay unavailable, pausing %" G_GINT64_FORMAT " s: %s",
                     retry_at - now, error->message);
          unclaim_all (self, retry_at, now);
        }
      /* A welcome mail whose link has expired by then is no use to anyone. */
      if (retry_at >= mail->expires_at)
        {
          given_up = g_strdup_printf (_("Gave up: the registration link expired before the "
                                        "mail could be delivered (%s)"),
                                      error->message);
          stored = ul_store_outbox_mark_failed (self->store, mail->id, given_up, now,
                                                &store_error);
        }
      else
        stored = ul_store_outbox_mark_retry (self->store, mail->id, error->message, retry_at,
                                             now, &store_error);
    }
  /* The mail stays "sending" in the store and is sent again at the next start. */
  if (!stored)
    g_warning ("outbox: cannot record the outcome of a delivery: %s", store_error->message);
  emit_changed (self, mail->extension);
  schedule (self);
}

static gint64
retry_time (guint attempts, gint64 now, gpointer user_data)
{
  return now + backoff (user_data, attempts);
}

static void
schedule (UlMailService *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  gint64 now = now_seconds ();
  gint64 next_due = 0;

  if (!self->started || self->stopping || self->attempt != NULL)
    return;
  g_clear_handle_id (&self->wakeup_id, g_source_remove);
  if (!ul_smtp_config_is_configured (self->smtp))
    return;
  if (self->relay_paused_until > now)
    {
      wake_at (self, self->relay_paused_until, now);
      return;
    }

  if (g_queue_is_empty (&self->claimed))
    {
      claimed = ul_store_outbox_claim (self->store, now, CLAIM_BATCH, retry_time, self,
                                       &next_due, &error);
      if (claimed == NULL)
        {
          g_warning ("outbox: %s", error->message);
          wake_at (self, now + self->settings->retry_initial, now);
          return;
        }
      for (guint i = 0; i < claimed->len; i++)
        {
          UlOutboxMail *mail = g_ptr_array_steal_index_fast (claimed, i--);

          g_queue_push_tail (&self->claimed, mail);
          emit_changed (self, mail->extension);
        }
    }

  /* Recorded as "sending" before a single byte goes out: see "Delivery guarantee". */
  self->attempt = g_queue_pop_head (&self->claimed);
  if (self->attempt != NULL)
    {
      self->used_relay = TRUE;
      ul_smtp_client_send_async (self->client, self->smtp, self->attempt->recipient,
                                 self->attempt->message, self->cancellable, on_attempt_done,
                                 g_object_ref (self));
      return;
    }
  if (next_due > 0)
    {
      wake_at (self, next_due, now);
      return;
    }
  /* Nothing left to send: do not keep the relay's session open for nothing. */
  if (self->used_relay)
    {
      self->used_relay = FALSE;
      ul_smtp_client_release (self->client);
    }
}

static void
ul_mail_service_finalize (GObject *object)
{
  UlMailService *self = UL_MAIL_SERVICE (object);

  g_clear_handle_id (&self->wakeup_id, g_source_remove);
  g_clear_pointer (&self->attempt, ul_outbox_mail_free);
  g_queue_clear_full (&self->claimed, (GDestroyNotify) ul_outbox_mail_free);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_pointer (&self->smtp, ul_smtp_config_free);
  g_clear_pointer (&self->settings, ul_mail_settings_free);

  G_OBJECT_CLASS (ul_mail_service_parent_class)->finalize (object);
}

static void
ul_mail_service_class_init (UlMailServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ul_mail_service_finalize;

  signals[SIGNAL_DELIVERY_CHANGED] =
    g_signal_new ("delivery-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ul_mail_service_init (UlMailService *self)
{
  self->cancellable = g_cancellable_new ();
}
