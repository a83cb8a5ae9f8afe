/* ul-engine-mail.c — UlEngine's deployment e-mails and user registration (issue #6).
 *
 * The mail service keeps the SMTP settings and delivers the outbox; this file decides who
 * gets a mail, writes it (template, link, MIME), and turns a followed link into a
 * registered user. Links are 256 random bits (libsodium), shown once in the mail and
 * stored as their SHA-256 only; passwords are stored as Argon2id (crypto_pwhash_str).
 */
#define G_LOG_DOMAIN "uplink-engine"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "ul-engine-private.h"
#include "ul-error.h"
#include "ul-mail-mime.h"
#include "ul-mail-welcome.h"
#include "ul-password.h"
#include "ul-store-mail.h"
#include "ul-validate.h"
#include "ul-variant.h"

#define TOKEN_BYTES     32
#define TOKEN_LENGTH    43  /* base64url of TOKEN_BYTES, no padding */
/* The same cost as the HTTPS API's accounts (OWASP: Argon2id, 19 MiB, 2 passes). */
#define PWHASH_OPSLIMIT 2
#define PWHASH_MEMLIMIT (19 * 1024 * 1024)

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
on_delivery_changed (UlMailService *mail, const char *extension, UlEngine *self)
{
  g_signal_emit (self, ul_engine_signals[SIGNAL_DELIVERY_CHANGED], 0, extension);
}

gboolean
ul_engine_mail_init (UlEngine *self, GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, UL_ERROR, UL_ERROR_FAILED, "cannot initialise libsodium");
      return FALSE;
    }
  self->mail = ul_mail_service_new (self->store, error);
  if (self->mail == NULL)
    return FALSE;
  g_signal_connect (self->mail, "delivery-changed", G_CALLBACK (on_delivery_changed), self);
  return TRUE;
}

void
ul_engine_mail_start (UlEngine *self)
{
  ul_mail_service_start (self->mail);
}

void
ul_engine_mail_shutdown (UlEngine *self)
{
  ul_mail_service_shutdown (self->mail);
}

/* Settings */

gboolean
ul_engine_mail_load_settings (UlEngine *self, GKeyFile *keyfile, GError **error)
{
  g_autofree char *dir = g_key_file_get_string (keyfile, "mail", "template-dir", NULL);
  g_autofree char *ca_file = g_key_file_get_string (keyfile, "mail", "ca-file", NULL);
  g_autoptr(GError) ca_error = NULL;

  if (dir != NULL && !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "mail.template-dir",
                          _("%s is not a directory"), dir);
      return FALSE;
    }
  /* An empty value is a key left in by mistake, not "the system store": say so. */
  if (ca_file != NULL && *ca_file == '\0')
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "mail.ca-file",
                          _("Name a CA certificate file, or remove the key to use the "
                            "system's trusted certificates"));
      return FALSE;
    }
  if (!ul_mail_service_set_ca_file (self->mail, ca_file, &ca_error))
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "mail.ca-file", "%s",
                          ca_error->message);
      return FALSE;
    }
  g_free (self->mail_template_dir);
  self->mail_template_dir = g_steal_pointer (&dir);
  return TRUE;
}

GVariant *
ul_engine_get_smtp (UlEngine *self)
{
  g_autoptr(UlSmtpConfig) smtp = NULL;

  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);
  smtp = ul_mail_service_get_smtp (self->mail);
  return ul_smtp_config_to_variant (smtp);
}

gboolean
ul_engine_update_smtp (UlEngine *self, const UlCaller *caller, GVariant *changes,
                       GError **error)
{
  g_return_val_if_fail (UL_IS_ENGINE (self), FALSE);
  if (!ul_engine_check_active (self, error)
      || !ul_mail_service_update_smtp (self->mail, caller, changes, error))
    return FALSE;
  g_signal_emit (self, ul_engine_signals[SIGNAL_CHANGED], 0, "smtp");
  return TRUE;
}

char *
ul_engine_get_registration_url (UlEngine *self)
{
  g_autoptr(UlMailSettings) settings = NULL;
  const char *host;
  gsize len;

  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);

  settings = ul_mail_service_get_settings (self->mail);
  if (settings->registration_url != NULL && *settings->registration_url != '\0')
    {
      len = strlen (settings->registration_url);
      while (len > 0 && settings->registration_url[len - 1] == '/')
        len--;
      return g_strndup (settings->registration_url, len);
    }
  /* Without a configured address the links point at the gateway itself: the address the
   * partner gave it in the Gateway step, or its host name. */
  if (self->site != NULL && self->site->ethernet.method == UL_ETHERNET_STATIC
      && self->site->ethernet.address != NULL)
    host = self->site->ethernet.address;
  else
    host = g_get_host_name ();
  return strchr (host, ':') != NULL ? g_strdup_printf ("https://[%s]", host)
                                    : g_strdup_printf ("https://%s", host);
}

GVariant *
ul_engine_get_mail_settings (UlEngine *self)
{
  g_autoptr(UlMailSettings) settings = NULL;
  g_autoptr(GVariant) base = NULL;
  g_autofree char *url = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);

  settings = ul_mail_service_get_settings (self->mail);
  base = g_variant_ref_sink (ul_mail_settings_to_variant (settings));
  url = ul_engine_get_registration_url (self);
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, base);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value))
    {
      g_variant_builder_add (&builder, "{sv}", key, value);
      g_variant_unref (value);
    }
  g_variant_builder_add (&builder, "{sv}", "effectiveRegistrationUrl", g_variant_new_string (url));
  return g_variant_builder_end (&builder);
}

gboolean
ul_engine_update_mail_settings (UlEngine *self, const UlCaller *caller, GVariant *changes,
                                GError **error)
{
  g_return_val_if_fail (UL_IS_ENGINE (self), FALSE);
  if (!ul_engine_check_active (self, error)
      || !ul_mail_service_update_settings (self->mail, caller, changes, error))
    return FALSE;
  g_signal_emit (self, ul_engine_signals[SIGNAL_CHANGED], 0, "mail");
  return TRUE;
}

/* Test mail */

static const char *
mail_domain (const char *address)
{
  const char *at = strrchr (address, '@');

  return at != NULL && at[1] != '\0' ? at + 1 : "uplink.invalid";
}

static void
on_test_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autofree char *reply = ul_mail_service_send_now_finish (UL_MAIL_SERVICE (source), result,
                                                            &error);
  GVariant *partial = g_task_get_task_data (task);
  GVariantBuilder builder;

  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "reply", g_variant_new_string (reply));
  g_variant_builder_add (&builder, "{sv}", "recipient",
                         g_variant_lookup_value (partial, "recipient", NULL));
  g_variant_builder_add (&builder, "{sv}", "messageId",
                         g_variant_lookup_value (partial, "messageId", NULL));
  g_task_return_pointer (task, g_variant_ref_sink (g_variant_builder_end (&builder)),
                         (GDestroyNotify) g_variant_unref);
}

void
ul_engine_send_test_mail_async (UlEngine           *self,
                                const UlCaller     *caller,
                                GVariant           *options,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(UlSmtpConfig) smtp = ul_mail_service_get_smtp (self->mail);
  g_autoptr(GVariant) to_value = NULL;
  g_autofree char *to = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) message = NULL;
  UlMimeMessage mime = { 0 };
  GVariantBuilder partial;

  g_task_set_source_tag (task, ul_engine_send_test_mail_async);

  to_value = options != NULL ? g_variant_lookup_value (options, "to", NULL) : NULL;
  if (to_value != NULL && !ul_variant_get_string (to_value, "to", &to, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!ul_smtp_config_is_configured (smtp))
    {
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_WRONG_STATE, "%s",
                               _("Configure the SMTP server (host and sender address) first"));
      return;
    }
  if (to == NULL)
    to = g_strdup (smtp->from_address);
  if (!ul_validate_email (to, "to", &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  message_id = ul_mime_new_message_id (mail_domain (smtp->from_address));
  text = g_strdup_printf (_("This is a test e-mail from the Uplink gateway %s (account %s).\n"
                            "The SMTP settings work: deployment e-mails can be sent.\n"),
                          ul_engine_get_gateway_id (self), ul_engine_get_account_id (self));
  mime.from_name = smtp->from_name;
  mime.from_address = smtp->from_address;
  mime.to_address = to;
  mime.reply_to = smtp->reply_to;
  mime.subject = _("Uplink test e-mail");
  mime.message_id = message_id;
  mime.date = now_seconds ();
  mime.text = text;
  message = ul_mime_build (&mime);

  g_variant_builder_init (&partial, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&partial, "{sv}", "recipient", g_variant_new_string (to));
  g_variant_builder_add (&partial, "{sv}", "messageId", g_variant_new_string (message_id));
  g_task_set_task_data (task, g_variant_ref_sink (g_variant_builder_end (&partial)),
                        (GDestroyNotify) g_variant_unref);
  g_message ("%s: test mail to %s", caller != NULL && caller->actor != NULL ? caller->actor : "?",
             to);
  ul_mail_service_send_now_async (self->mail, to, message, cancellable, on_test_sent,
                                  g_steal_pointer (&task));
}

GVariant *
ul_engine_send_test_mail_finish (UlEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Deployment e-mails */

/* A new link token (base64url, shown once) and its SHA-256 (hex, stored). */
static char *
new_token (char **hash)
{
  guchar bytes[TOKEN_BYTES];
  char token[sodium_base64_ENCODED_LEN (TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (token, sizeof token, bytes, sizeof bytes,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
  return g_strdup (token);
}

static GVariant *
refusal (const char *extension, const char *reason, const char *message)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "extension", g_variant_new_string (extension));
  g_variant_builder_add (&builder, "{sv}", "accepted", g_variant_new_boolean (FALSE));
  g_variant_builder_add (&builder, "{sv}", "reason", g_variant_new_string (reason));
  g_variant_builder_add (&builder, "{sv}", "message", g_variant_new_string (message));
  return g_variant_builder_end (&builder);
}

static GVariant *
acceptance (const char *extension, const char *message_id)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "extension", g_variant_new_string (extension));
  g_variant_builder_add (&builder, "{sv}", "accepted", g_variant_new_boolean (TRUE));
  g_variant_builder_add (&builder, "{sv}", "messageId", g_variant_new_string (message_id));
  return g_variant_builder_end (&builder);
}

/* Why @user cannot get a mail now (a stable reason and a sentence), or FALSE when it can. */
static gboolean
check_recipient (const UlUser *user, gboolean resend, const char **reason, const char **message)
{
  if (user->eligibility != UL_USER_ELIGIBILITY_ELIGIBLE)
    {
      *reason = ul_user_eligibility_to_string (user->eligibility);
      *message = ul_user_eligibility_get_reason (user->eligibility);
      return TRUE;
    }
  /* A new link would let anyone who reads the mail replace the user's password. */
  if (user->registered_at > 0)
    {
      *reason = "registered";
      *message = _("The user has already registered.");
      return TRUE;
    }
  if (resend && user->invited_at == 0)
    {
      *reason = "not-invited";
      *message = _("No deployment e-mail was sent to this user yet; send one first.");
      return TRUE;
    }
  return FALSE;
}

static gboolean
read_language (UlEngine *self, GVariant *options, char **language, GError **error)
{
  g_autoptr(GVariant) value = NULL;
  GVariantIter iter;
  const char *key;

  if (options != NULL)
    {
      g_variant_iter_init (&iter, options);
      while (g_variant_iter_next (&iter, "{&sv}", &key, NULL))
        {
          if (!g_str_equal (key, "language"))
            return ul_variant_unknown_key (key, error);
        }
      value = g_variant_lookup_value (options, "language", NULL);
    }
  if (value != NULL)
    return ul_variant_get_string (value, "language", language, error)
           && ul_validate_language (*language, "language", error);
  *language = g_strdup (self->customer->language != NULL && *self->customer->language != '\0'
                          ? self->customer->language : "en");
  return TRUE;
}

static GVariant *
send_mails (UlEngine           *self,
            const UlCaller     *caller,
            const char * const *extensions,
            GVariant           *options,
            gboolean            resend,
            GError            **error)
{
  g_autoptr(UlSmtpConfig) smtp = NULL;
  g_autoptr(UlMailSettings) settings = NULL;
  g_autoptr(UlMailTemplate) template = NULL;
  g_autoptr(GPtrArray) mails = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_outbox_mail_free);
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) reload_error = NULL;
  g_autofree char *language = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *detail = NULL;
  gint64 now = now_seconds ();
  gint64 expires_at;
  GVariantBuilder builder;

  if (!ul_engine_check_active (self, error))
    return NULL;
  if (self->customer == NULL)
    {
      g_set_error_literal (error, UL_ERROR, UL_ERROR_WRONG_STATE,
                           _("Save the customer information first"));
      return NULL;
    }
  if (extensions == NULL || extensions[0] == NULL)
    {
      ul_set_field_error (error, UL_ERROR_INVALID_ARGUMENT, "extensions", "%s",
                          _("Select at least one user"));
      return NULL;
    }
  smtp = ul_mail_service_get_smtp (self->mail);
  if (!ul_smtp_config_is_configured (smtp))
    {
      g_set_error_literal (error, UL_ERROR, UL_ERROR_WRONG_STATE,
                           _("Configure the SMTP server (host and sender address) first"));
      return NULL;
    }
  if (!read_language (self, options, &language, error))
    return NULL;
  template = ul_mail_template_load (self->mail_template_dir != NULL ? self->mail_template_dir
                                                                   : ul_mail_template_dir (),
                                    UL_MAIL_WELCOME, language, error);
  if (template == NULL)
    return NULL;

  settings = ul_mail_service_get_settings (self->mail);
  expires_at = now + settings->link_lifetime;
  base_url = ul_engine_get_registration_url (self);

  for (guint i = 0; extensions[i] != NULL; i++)
    {
      const char *extension = extensions[i];
      const UlUser *user = ul_directory_service_find_user (self->directory, extension);
      const char *reason, *message;
      g_autofree char *token = NULL;
      g_autofree char *link = NULL;
      UlOutboxMail *mail;
      UlWelcomeInfo info;

      if (!g_hash_table_add (seen, (gpointer) extension))
        continue;
      if (user == NULL)
        {
          g_ptr_array_add (results, g_variant_ref_sink (
                             refusal (extension, "unknown-user", _("No user has this extension."))));
          continue;
        }
      if (check_recipient (user, resend, &reason, &message))
        {
          g_ptr_array_add (results, g_variant_ref_sink (refusal (extension, reason, message)));
          continue;
        }

      mail = g_new0 (UlOutboxMail, 1);
      token = new_token (&mail->link_hash);
      link = g_strdup_printf ("%s/register/%s", base_url, token);
      info = (UlWelcomeInfo) {
        .account_id = self->customer->account_id,
        .customer_name = self->customer->name,
        .user_name = user->name,
        .extension = user->extension,
        .email = user->email,
        .link = link,
        .expires_at = expires_at,
      };
      mail->message_id = ul_mime_new_message_id (mail_domain (smtp->from_address));
      mail->extension = g_strdup (user->extension);
      mail->recipient = g_strdup (user->email);
      mail->language = g_strdup (template->language);
      mail->message = ul_mail_welcome_build (template, smtp, &info, mail->message_id, now, error);
      explicit_bzero (token, strlen (token));
      explicit_bzero (link, strlen (link));
      g_ptr_array_add (mails, mail);
      if (mail->message == NULL)
        return NULL;
      g_ptr_array_add (results, g_variant_ref_sink (acceptance (extension, mail->message_id)));
    }

  if (mails->len > 0)
    {
      detail = g_strdup_printf ("accepted %u, refused %u", mails->len,
                                results->len - mails->len);
      ul_engine_audit (self, caller, resend ? "resend-deployment-emails"
                                            : "send-deployment-emails", detail);
      if (!ul_mail_service_accept (self->mail, mails, expires_at, error))
        return NULL;
      g_message ("deployment e-mails: %s", detail);
      /* invitedAt changed in the store. */
      if (!ul_directory_service_reload_users (self->directory, &reload_error))
        g_warning ("cannot reload the users: %s", reload_error->message);
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < results->len; i++)
    g_variant_builder_add_value (&builder, g_ptr_array_index (results, i));
  return g_variant_builder_end (&builder);
}

GVariant *
ul_engine_send_deployment_emails (UlEngine           *self,
                                  const UlCaller     *caller,
                                  const char * const *extensions,
                                  GVariant           *options,
                                  GError            **error)
{
  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);
  return send_mails (self, caller, extensions, options, FALSE, error);
}

GVariant *
ul_engine_resend_deployment_emails (UlEngine           *self,
                                    const UlCaller     *caller,
                                    const char * const *extensions,
                                    GVariant           *options,
                                    GError            **error)
{
  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);
  return send_mails (self, caller, extensions, options, TRUE, error);
}

static GVariant *
delivery_to_variant (UlEngine *self, const UlOutboxMail *mail)
{
  const UlUser *user = ul_directory_service_find_user (self->directory, mail->extension);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "extension", g_variant_new_string (mail->extension));
  if (user != NULL && user->name != NULL)
    g_variant_builder_add (&builder, "{sv}", "name", g_variant_new_string (user->name));
  g_variant_builder_add (&builder, "{sv}", "email", g_variant_new_string (mail->recipient));
  g_variant_builder_add (&builder, "{sv}", "state", g_variant_new_string (mail->state));
  g_variant_builder_add (&builder, "{sv}", "messageId", g_variant_new_string (mail->message_id));
  g_variant_builder_add (&builder, "{sv}", "attempts", g_variant_new_uint32 (mail->attempts));
  g_variant_builder_add (&builder, "{sv}", "queuedAt", g_variant_new_int64 (mail->created_at));
  g_variant_builder_add (&builder, "{sv}", "updatedAt", g_variant_new_int64 (mail->updated_at));
  g_variant_builder_add (&builder, "{sv}", "linkExpiresAt",
                         g_variant_new_int64 (mail->expires_at));
  if (g_strcmp0 (mail->state, UL_OUTBOX_QUEUED) == 0)
    g_variant_builder_add (&builder, "{sv}", "nextAttemptAt",
                           g_variant_new_int64 (mail->next_attempt_at));
  if (mail->reply != NULL)
    g_variant_builder_add (&builder, "{sv}", "reply", g_variant_new_string (mail->reply));
  if (mail->error != NULL)
    g_variant_builder_add (&builder, "{sv}", "error", g_variant_new_string (mail->error));
  g_variant_builder_add (&builder, "{sv}", "registered",
                         g_variant_new_boolean (user != NULL && user->registered_at > 0));
  return g_variant_builder_end (&builder);
}

static int
compare_mails (gconstpointer a, gconstpointer b)
{
  const UlOutboxMail *x = *(const UlOutboxMail * const *) a;
  const UlOutboxMail *y = *(const UlOutboxMail * const *) b;

  return ul_extension_compare (x->extension, y->extension);
}

GVariant *
ul_engine_list_deliveries (UlEngine *self, GError **error)
{
  g_autoptr(GPtrArray) mails = NULL;
  GVariantBuilder builder;

  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);

  mails = ul_mail_service_list_latest (self->mail, error);
  if (mails == NULL)
    return NULL;
  g_ptr_array_sort (mails, compare_mails);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < mails->len; i++)
    g_variant_builder_add_value (&builder, delivery_to_variant (self, g_ptr_array_index (mails, i)));
  return g_variant_builder_end (&builder);
}

GVariant *
ul_engine_get_delivery (UlEngine *self, const char *extension, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(UlOutboxMail) mail = NULL;

  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);

  mail = ul_mail_service_get_latest (self->mail, extension != NULL ? extension : "",
                                     &local_error);
  if (mail != NULL)
    return delivery_to_variant (self, mail);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    ul_set_field_error (error, UL_ERROR_NOT_FOUND, "extension",
                        _("No deployment e-mail was sent to extension %s"),
                        extension != NULL ? extension : "");
  return NULL;
}

/* Registration */

static gboolean
is_token (const char *token)
{
  if (token == NULL || strlen (token) != TOKEN_LENGTH)
    return FALSE;
  for (const char *p = token; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
    }
  return TRUE;
}

/* The link's user, or NULL with the error a visitor of the link should see. */
static const UlUser *
check_link (UlEngine *self, const char *token, char **hash_out, gint64 *expires_at,
            char **language, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(UlStoreLink) link = NULL;
  g_autofree char *hash = NULL;
  const UlUser *user;

  /* Malformed tokens are answered like unknown ones, without touching the store. */
  if (is_token (token))
    {
      hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
      link = ul_store_find_link (self->store, hash, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  if (link == NULL)
    {
      ul_set_field_error (error, UL_ERROR_NOT_FOUND, "token", "%s",
                          _("This registration link is not valid. Check that you opened the "
                            "whole link from the e-mail."));
      return NULL;
    }
  if (g_strcmp0 (link->state, UL_LINK_USED) == 0)
    {
      ul_set_field_error (error, UL_ERROR_LINK_USED, "token", "%s",
                          _("This registration link has already been used. Your account is "
                            "ready: sign in to the app."));
      return NULL;
    }
  if (g_strcmp0 (link->state, UL_LINK_REPLACED) == 0)
    {
      ul_set_field_error (error, UL_ERROR_LINK_EXPIRED, "token", "%s",
                          _("A newer deployment e-mail replaced this link. Use the link in the "
                            "latest e-mail."));
      return NULL;
    }
  if (link->expires_at <= now_seconds ())
    {
      ul_set_field_error (error, UL_ERROR_LINK_EXPIRED, "token", "%s",
                          _("This registration link has expired. Ask your administrator to "
                            "send the deployment e-mail again."));
      return NULL;
    }
  user = ul_directory_service_find_user (self->directory, link->extension);
  if (user == NULL)
    {
      ul_set_field_error (error, UL_ERROR_NOT_FOUND, "token", "%s",
                          _("The user of this registration link no longer exists in the "
                            "phone system."));
      return NULL;
    }
  if (hash_out != NULL)
    *hash_out = g_steal_pointer (&hash);
  if (expires_at != NULL)
    *expires_at = link->expires_at;
  if (language != NULL)
    *language = g_strdup (link->language);
  return user;
}

GVariant *
ul_engine_lookup_registration (UlEngine *self, const char *token, GError **error)
{
  const UlUser *user;
  gint64 expires_at = 0;
  g_autofree char *language = NULL;
  GVariantBuilder builder;

  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);

  user = check_link (self, token, NULL, &expires_at, &language, error);
  if (user == NULL)
    return NULL;
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  ul_variant_builder_add_string (&builder, "extension", user->extension);
  ul_variant_builder_add_string (&builder, "name", user->name);
  ul_variant_builder_add_string (&builder, "email", user->email);
  ul_variant_builder_add_string (&builder, "accountId", ul_engine_get_account_id (self));
  ul_variant_builder_add_string (&builder, "customer",
                                 self->customer != NULL ? self->customer->name : NULL);
  /* The language the user read the mail in; older links: the customer's. */
  ul_variant_builder_add_string (&builder, "language",
                                 language != NULL ? language
                                 : self->customer != NULL && self->customer->language != NULL
                                   ? self->customer->language : "en");
  g_variant_builder_add (&builder, "{sv}", "admin", g_variant_new_boolean (user->admin));
  g_variant_builder_add (&builder, "{sv}", "expiresAt", g_variant_new_int64 (expires_at));
  return g_variant_builder_end (&builder);
}

typedef struct
{
  char   *actor;
  char   *peer;
  char   *extension;
  char   *link_hash;
  char        *password;   /* wiped once hashed */
  char        *password_hash;
  char        *sip_realm;
  UlSipDigest *sip;
} RegisterData;

static void
register_data_free (RegisterData *data)
{
  g_free (data->actor);
  g_free (data->peer);
  g_free (data->extension);
  g_free (data->link_hash);
  if (data->password != NULL)
    sodium_memzero (data->password, strlen (data->password));
  g_free (data->password);
  g_free (data->password_hash);
  g_free (data->sip_realm);
  g_clear_pointer (&data->sip, ul_sip_digest_free);
  g_free (data);
}

static void
hash_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RegisterData *data = task_data;
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (hash, data->password, strlen (data->password), PWHASH_OPSLIMIT,
                         PWHASH_MEMLIMIT) != 0)
    {
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_FAILED, "%s",
                               _("Not enough memory to protect the password; try again"));
      return;
    }
  data->password_hash = g_strdup (hash);
  data->sip = ul_sip_digest_new (data->extension, data->sip_realm, data->password);
  sodium_memzero (data->password, strlen (data->password));
  g_task_return_boolean (task, TRUE);
}

static GVariant *
registered_user_to_variant (const UlUser *user)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  ul_variant_builder_add_string (&builder, "extension", user->extension);
  ul_variant_builder_add_string (&builder, "name", user->name);
  ul_variant_builder_add_string (&builder, "email", user->email);
  g_variant_builder_add (&builder, "{sv}", "registeredAt",
                         g_variant_new_int64 (user->registered_at));
  g_variant_builder_add (&builder, "{sv}", "admin", g_variant_new_boolean (user->admin));
  return g_variant_builder_end (&builder);
}

static void
on_hashed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  UlEngine *self = g_task_get_source_object (task);
  RegisterData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const UlUser *user;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ul_store_set_audit (self->store, ul_audit_entry_new (data->actor, data->peer, "register",
                                                       data->extension));
  /* The seed: an admin contact who registers gets the advanced permissions, here the
   * customerAdmin role of the HTTPS API, signing in with the same e-mail and password. */
  user = ul_directory_service_find_user (self->directory, data->extension);
  /* The store checks the link again under its write lock: the first of two racing
   * registrations wins, the second finds the link used. */
  if (!ul_store_register (self->store, data->link_hash, data->password_hash, data->sip,
                          user != NULL && user->admin ? user->email : NULL, now_seconds (),
                          &error))
    {
      if (g_error_matches (error, UL_ERROR, UL_ERROR_WRONG_STATE))
        {
          g_clear_error (&error);
          ul_set_field_error (&error, UL_ERROR_LINK_USED, "token", "%s",
                              _("This registration link has already been used. Your account "
                                "is ready: sign in to the app."));
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!ul_directory_service_reload_users (self->directory, &error))
    g_warning ("cannot reload the users: %s", error->message);
  g_clear_error (&error);

  user = ul_directory_service_find_user (self->directory, data->extension);
  g_message ("user %s registered%s", data->extension,
             user != NULL && user->admin ? " (admin contact)" : "");
  if (user == NULL)
    {
      g_task_return_new_error (task, UL_ERROR, UL_ERROR_NOT_FOUND, "%s",
                               _("The user left the directory during the registration"));
      return;
    }
  g_task_return_pointer (task, g_variant_ref_sink (registered_user_to_variant (user)),
                         (GDestroyNotify) g_variant_unref);
}

void
ul_engine_register_async (UlEngine           *self,
                          const UlCaller     *caller,
                          const char         *token,
                          const char         *password,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) hashing = NULL;
  g_autoptr(GError) error = NULL;
  RegisterData *data;
  const UlUser *user;
  char *hash = NULL;

  g_task_set_source_tag (task, ul_engine_register_async);

  user = check_link (self, token, &hash, NULL, NULL, &error);
  if (user == NULL || !ul_validate_password (password, "password", &error))
    {
      g_free (hash);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (RegisterData, 1);
  data->actor = g_strdup (caller != NULL && caller->actor != NULL ? caller->actor
                                                                   : "registration link");
  data->peer = g_strdup (caller != NULL ? caller->peer : NULL);
  data->extension = g_strdup (user->extension);
  data->link_hash = hash;
  data->password = g_strdup (password);
  data->sip_realm = ul_engine_get_sip_realm (self);
  g_task_set_task_data (task, data, (GDestroyNotify) register_data_free);

  /* Argon2id takes tens of milliseconds and 19 MiB: never on the main loop. */
  hashing = g_task_new (self, cancellable, on_hashed, g_steal_pointer (&task));
  g_task_set_source_tag (hashing, hash_in_thread);
  g_task_set_task_data (hashing, data, NULL);
  g_task_run_in_thread (hashing, hash_in_thread);
}

GVariant *
ul_engine_register_finish (UlEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

GVariant *
ul_engine_list_registered_users (UlEngine *self)
{
  GPtrArray *users;
  GVariantBuilder builder;

  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);

  users = ul_directory_service_get_users (self->directory);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < users->len; i++)
    {
      const UlUser *user = g_ptr_array_index (users, i);

      if (user->registered_at > 0)
        g_variant_builder_add_value (&builder, registered_user_to_variant (user));
    }
  return g_variant_builder_end (&builder);
}

guint
ul_engine_count_registered_users (UlEngine *self)
{
  GPtrArray *users;
  guint count = 0;

  g_return_val_if_fail (UL_IS_ENGINE (self), 0);

  users = ul_directory_service_get_users (self->directory);
  for (guint i = 0; i < users->len; i++)
    count += ((const UlUser *) g_ptr_array_index (users, i))->registered_at > 0;
  return count;
}

char *
ul_engine_get_sip_realm (UlEngine *self)
{
  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);
  return g_strdup_printf ("uplink-%s", ul_engine_get_account_id (self));
}

char *
ul_engine_get_user_password_hash (UlEngine *self, const char *extension, GError **error)
{
  const UlUser *user;

  g_return_val_if_fail (UL_IS_ENGINE (self), NULL);

  /* A credential outlives its user in the store (a sync may drop and re-add a user): only
   * a user the directory still has, and who registered, counts. */
  user = ul_directory_service_find_user (self->directory, extension);
  if (user == NULL || user->registered_at == 0)
    return NULL;
  return ul_store_get_credential (self->store, extension, error);
}
