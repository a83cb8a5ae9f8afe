/* ul-smtp-client.c — SMTP submission with libcurl in worker threads.
 *
 * libcurl gives no direct access to the server's replies, so the debug callback reads
 * them (CURLINFO_HEADER_IN) along with the commands curl sent (CURLINFO_HEADER_OUT): the
 * last reply before QUIT is the one to the end of the data, and the command it answered
 * tells whether a refusal concerns this recipient or message (RCPT, DATA) or the session.
 */
#define G_LOG_DOMAIN "uplink-mail"

#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "ul-error.h"
#include "ul-smtp-client.h"

#define CONNECT_TIMEOUT_S   20
#define RESPONSE_TIMEOUT_S  60
#define TRANSFER_TIMEOUT_S  180
#define IDLE_REUSE_S        30

struct _UlSmtpClient
{
  GObject parent_instance;

  GMutex  lock;      /* one session at a time: guards everything below */
  CURL   *curl;      /* kept between sends for connection reuse */
  char   *curl_key;  /* the settings @curl was set up with */
};

G_DEFINE_FINAL_TYPE (UlSmtpClient, ul_smtp_client, G_TYPE_OBJECT)

typedef struct
{
  UlSmtpConfig *config;
  char         *recipient;
  GBytes       *message;
  gsize         offset;     /* read position in @message */
  /* Filled by the debug callback during the transfer. */
  char         *last_reply;
  char         *last_command;
  char         *reply_command;  /* the command @last_reply answered */
  gboolean      quitting;
  UlSmtpFailure failure;
} SendData;

static void
send_data_free (SendData *data)
{
  ul_smtp_config_free (data->config);
  g_free (data->recipient);
  g_bytes_unref (data->message);
  g_free (data->last_reply);
  g_free (data->last_command);
  g_free (data->reply_command);
  g_free (data);
}

static gpointer
init_curl (gpointer unused)
{
  /* Before any thread uses curl; never cleaned up (a process-wide, reachable allocation). */
  if (curl_global_init (CURL_GLOBAL_DEFAULT) != CURLE_OK)
    g_warning ("curl_global_init failed: e-mails cannot be sent");
  return NULL;
}

UlSmtpClient *
ul_smtp_client_new (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_curl, NULL);
  return g_object_new (UL_TYPE_SMTP_CLIENT, NULL);
}

static char *
strip_line (const char *data, size_t size)
{
  g_autofree char *line = g_strndup (data, size);

  return g_strdup (g_strstrip (line));
}

static int
on_debug (CURL *curl, curl_infotype type, char *data, size_t size, void *user_data)
{
  SendData *send = user_data;

  if (type == CURLINFO_HEADER_IN && !send->quitting)
    {
      g_free (send->last_reply);
      send->last_reply = strip_line (data, size);
      g_free (send->reply_command);
      send->reply_command = g_strdup (send->last_command);
    }
  else if (type == CURLINFO_HEADER_OUT)
    {
      g_autofree char *line = strip_line (data, size);
      const char *space = strchr (line, ' ');

      g_free (send->last_command);
      send->last_command = space != NULL ? g_strndup (line, space - line) : g_strdup (line);
      send->quitting = g_ascii_strcasecmp (send->last_command, "QUIT") == 0;
    }
  return 0;
}

static size_t
on_read (char *buffer, size_t size, size_t nitems, void *user_data)
{
  SendData *send = user_data;
  gsize length;
  const guint8 *bytes = g_bytes_get_data (send->message, &length);
  size_t n = MIN (size * nitems, length - send->offset);

  memcpy (buffer, bytes + send->offset, n);
  send->offset += n;
  return n;
}

static char *
bracket_host (const char *host)
{
  /* An IPv6 literal needs brackets in a URL. */
  return strchr (host, ':') != NULL ? g_strdup_printf ("[%s]", host) : g_strdup (host);
}

static char *
ascii_address (const char *address)
{
  const char *at = strrchr (address, '@');
  g_autofree char *domain = NULL;

  if (at == NULL || g_str_is_ascii (at + 1))
    return g_strdup (address);
  domain = g_hostname_to_ascii (at + 1);
  return domain != NULL ? g_strdup_printf ("%.*s@%s", (int) (at - address), address, domain)
                        : g_strdup (address);
}

static char *
session_key (const UlSmtpConfig *config)
{
  return g_strdup_printf ("%s\n%u\n%d\n%s\n%s", config->host, config->port, config->tls,
                          config->username != NULL ? config->username : "",
                          config->password != NULL ? config->password : "");
}

/* Sets up (or keeps) the session handle for @config; called with the lock held. */
static void
prepare_curl (UlSmtpClient *self, const UlSmtpConfig *config)
{
  g_autofree char *key = session_key (config);
  g_autofree char *host = NULL;
  g_autofree char *url = NULL;
  const char *ehlo = g_get_host_name ();

  if (self->curl != NULL && g_strcmp0 (key, self->curl_key) == 0)
    return;
  g_clear_pointer (&self->curl, curl_easy_cleanup);
  if (self->curl_key != NULL)
    explicit_bzero (self->curl_key, strlen (self->curl_key));
  g_free (self->curl_key);
  self->curl_key = g_steal_pointer (&key);

  host = bracket_host (config->host);
  /* The URL path is the name curl gives in EHLO; a name with odd characters would not
   * survive the URL, so such a host gets curl's default instead. */
  if (ehlo == NULL || !g_hostname_is_ascii_encoded (ehlo) || strpbrk (ehlo, "/?#%@ ") != NULL)
    ehlo = "";
  url = g_strdup_printf ("%s://%s:%u/%s", config->tls == UL_SMTP_TLS_TLS ? "smtps" : "smtp",
                         host, config->port, ehlo);

  self->curl = curl_easy_init ();
  curl_easy_setopt (self->curl, CURLOPT_URL, url);
  curl_easy_setopt (self->curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt (self->curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (self->curl, CURLOPT_CONNECTTIMEOUT, (long) CONNECT_TIMEOUT_S);
  curl_easy_setopt (self->curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, (long) RESPONSE_TIMEOUT_S);
  curl_easy_setopt (self->curl, CURLOPT_TIMEOUT, (long) TRANSFER_TIMEOUT_S);
  curl_easy_setopt (self->curl, CURLOPT_MAXAGE_CONN, (long) IDLE_REUSE_S);
  /* STARTTLS is required, not opportunistic: a relay that stops offering it must not get
   * the password in clear text. */
  curl_easy_setopt (self->curl, CURLOPT_USE_SSL,
                    config->tls == UL_SMTP_TLS_NONE ? (long) CURLUSESSL_NONE
                                                    : (long) CURLUSESSL_ALL);
  if (config->username != NULL && *config->username != '\0')
    {
      curl_easy_setopt (self->curl, CURLOPT_USERNAME, config->username);
      curl_easy_setopt (self->curl, CURLOPT_PASSWORD,
                        config->password != NULL ? config->password : "");
    }
  curl_easy_setopt (self->curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (self->curl, CURLOPT_READFUNCTION, on_read);
  curl_easy_setopt (self->curl, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt (self->curl, CURLOPT_DEBUGFUNCTION, on_debug);
}

static gboolean
is_recipient_phase (const char *command)
{
  return command != NULL && (g_ascii_strcasecmp (command, "RCPT") == 0
                             || g_ascii_strcasecmp (command, "DATA") == 0);
}

static void
send_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  UlSmtpClient *self = source;
  SendData *data = task_data;
  g_autofree char *ascii_from = NULL;
  g_autofree char *from = NULL;
  g_autofree char *ascii_rcpt = NULL;
  g_autofree char *rcpt = NULL;
  struct curl_slist *recipients = NULL;
  char errbuf[CURL_ERROR_SIZE] = "";
  CURLcode res;
  long code = 0;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (g_task_return_error_if_cancelled (task))
    return;

  prepare_curl (self, data->config);
  ascii_from = ascii_address (data->config->from_address);
  from = g_strdup_printf ("<%s>", ascii_from);
  ascii_rcpt = ascii_address (data->recipient);
  rcpt = g_strdup_printf ("<%s>", ascii_rcpt);
  recipients = curl_slist_append (NULL, rcpt);
  curl_easy_setopt (self->curl, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt (self->curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt (self->curl, CURLOPT_READDATA, data);
  curl_easy_setopt (self->curl, CURLOPT_DEBUGDATA, data);
  curl_easy_setopt (self->curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (self->curl, CURLOPT_INFILESIZE_LARGE,
                    (curl_off_t) g_bytes_get_size (data->message));

  res = curl_easy_perform (self->curl);
  curl_easy_getinfo (self->curl, CURLINFO_RESPONSE_CODE, &code);

  /* The handle outlives this call: nothing may point at this stack frame or @data. */
  curl_easy_setopt (self->curl, CURLOPT_MAIL_RCPT, NULL);
  curl_easy_setopt (self->curl, CURLOPT_ERRORBUFFER, NULL);
  curl_easy_setopt (self->curl, CURLOPT_READDATA, NULL);
  curl_easy_setopt (self->curl, CURLOPT_DEBUGDATA, NULL);
  curl_slist_free_all (recipients);

  if (res == CURLE_OK)
    {
      g_task_return_pointer (task, g_strdup (data->last_reply != NULL ? data->last_reply : ""),
                             g_free);
      return;
    }

  /* A failed session is not reused: its state is unknown. */
  g_clear_pointer (&self->curl, curl_easy_cleanup);
  if (code >= 400 && code < 600 && is_recipient_phase (data->reply_command))
    data->failure = code >= 500 ? UL_SMTP_FAILURE_PERMANENT : UL_SMTP_FAILURE_TEMPORARY;
  else
    data->failure = UL_SMTP_FAILURE_RELAY;
  if (code >= 400 && data->last_reply != NULL)
    g_task_return_new_error (task, UL_ERROR, UL_ERROR_MAIL_FAILED,
                             _("The mail server refused the message: %s"), data->last_reply);
  else
    g_task_return_new_error (task, UL_ERROR, UL_ERROR_MAIL_FAILED,
                             _("Cannot deliver to the mail server: %s"),
                             *errbuf != '\0' ? errbuf : curl_easy_strerror (res));
}

void
ul_smtp_client_send_async (UlSmtpClient       *self,
                           const UlSmtpConfig *config,
                           const char         *recipient,
                           GBytes             *message,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  g_return_if_fail (UL_IS_SMTP_CLIENT (self));
  g_return_if_fail (ul_smtp_config_is_configured (config));
  g_return_if_fail (recipient != NULL && message != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ul_smtp_client_send_async);
  data = g_new0 (SendData, 1);
  data->config = ul_smtp_config_copy (config);
  data->recipient = g_strdup (recipient);
  data->message = g_bytes_ref (message);
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  g_task_run_in_thread (task, send_in_thread);
}

char *
ul_smtp_client_send_finish (UlSmtpClient  *self,
                            GAsyncResult  *result,
                            UlSmtpFailure *failure,
                            GError       **error)
{
  SendData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (failure != NULL)
    *failure = data->failure;
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
release_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  UlSmtpClient *self = source;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_clear_pointer (&self->curl, curl_easy_cleanup);
  g_task_return_boolean (task, TRUE);
}

void
ul_smtp_client_release (UlSmtpClient *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (UL_IS_SMTP_CLIENT (self));

  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_source_tag (task, ul_smtp_client_release);
  g_task_run_in_thread (task, release_in_thread);
}

static void
ul_smtp_client_finalize (GObject *object)
{
  UlSmtpClient *self = UL_SMTP_CLIENT (object);

  /* Tasks hold a reference, so no thread uses the handle any more. */
  g_clear_pointer (&self->curl, curl_easy_cleanup);
  if (self->curl_key != NULL)
    explicit_bzero (self->curl_key, strlen (self->curl_key));
  g_free (self->curl_key);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ul_smtp_client_parent_class)->finalize (object);
}

static void
ul_smtp_client_class_init (UlSmtpClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ul_smtp_client_finalize;
}

static void
ul_smtp_client_init (UlSmtpClient *self)
{
  g_mutex_init (&self->lock);
}
