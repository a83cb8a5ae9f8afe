/* ul-mail-welcome.c — expands the welcome template into a MIME message. */
#define G_LOG_DOMAIN "uplink-mail"

#include "config.h"

#include "ul-mail-mime.h"
#include "ul-mail-welcome.h"

GBytes *
ul_mail_welcome_build (const UlMailTemplate *template,
                       const UlSmtpConfig   *smtp,
                       const UlWelcomeInfo  *info,
                       const char           *message_id,
                       gint64                now,
                       GError              **error)
{
  g_autoptr(GHashTable) vars = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) expires = g_date_time_new_from_unix_utc (info->expires_at);
  g_autofree char *expires_text = g_date_time_format (expires, "%Y-%m-%d %H:%M UTC");
  const char *name = info->user_name != NULL && *info->user_name != '\0' ? info->user_name
                                                                        : info->extension;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  UlMimeMessage message = { 0 };

  g_hash_table_insert (vars, "name", (gpointer) name);
  g_hash_table_insert (vars, "extension", (gpointer) info->extension);
  g_hash_table_insert (vars, "email", (gpointer) info->email);
  g_hash_table_insert (vars, "accountId", (gpointer) info->account_id);
  g_hash_table_insert (vars, "customer", (gpointer) (info->customer_name != NULL
                                                       ? info->customer_name : ""));
  g_hash_table_insert (vars, "link", (gpointer) info->link);
  g_hash_table_insert (vars, "expires", expires_text);

  subject = ul_mail_template_expand (template->subject, vars, FALSE, error);
  if (subject == NULL)
    return NULL;
  text = ul_mail_template_expand (template->text, vars, FALSE, error);
  if (text == NULL)
    return NULL;
  html = ul_mail_template_expand (template->html, vars, TRUE, error);
  if (html == NULL)
    return NULL;

  message.from_name = smtp->from_name;
  message.from_address = smtp->from_address;
  message.to_name = info->user_name;
  message.to_address = info->email;
  message.reply_to = smtp->reply_to;
  message.subject = subject;
  message.message_id = message_id;
  message.date = now;
  message.language = template->language;
  message.text = text;
  message.html = html;
  return ul_mime_build (&message);
}
