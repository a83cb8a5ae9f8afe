/* ul-smtp-client.c — SMTP submission with libcurl in worker threads.
 *
 * libcurl gives no direct access to the server's replies, so the debug callback reads
 * them (CURLINFO_HEADER_IN) along with the commands curl sent (CURLINFO_HEADER_OUT): the
 * last reply before QUIT is the one to the end of the data, and the command it answered
 * tells whether a refusal concerns this recipient or message (RCPT, DATA) or the session.
 * The same callback writes the dialogue to the debug log (G_MESSAGES_DEBUG=uplink-mail),
 * with the AUTH exchange redacted: the base64 lines after AUTH carry the password.
 *
 * The relay's certificate and host name are always verified, against the system's trust
 * store or, when [mail] ca-file is set, against that file alone.
 */
#define G_LOG_DOMAIN "uplink-mail"

#include "config.h"

#include <curl/curl.h>
#include <string.h>

#include "ul-error.h"
#include "ul-smtp-client.h"
#include "ul-smtp-error.h"

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
  char   *ca_file;   /* [mail] ca-file, or NULL: the system's trust store */
};

G_DEFINE_FINAL_TYPE (UlSmtpClient, ul_smtp_client, G_TYPE_OBJECT)

typedef struct
{
  UlSmtpConfig *config;
  char         *recipient;
  GBytes       *message;
  gsize         offset;     /* read position in @message */
  /* Filled by the debug callback during the transfer. */
  GString      *out_line;       /* what curl sent, until the end of the line */
  char         *last_reply;
  char         *last_command;
  char         *reply_command;  /* the command @last_reply answered */
  gboolean      quitting;
  gboolean      in_auth;        /* between AUTH and the server's final answer to it */
  gboolean      auth_offered;   /* the last EHLO reply listed AUTH */
  UlSmtpFailure failure;
} SendData;

static void
send_data_free (SendData *data)
{
  ul_smtp_config_free (data->config);
  g_free (data->recipient);
  g_bytes_unref (data->message);
  if (data->out_line != NULL)
    explicit_bzero (data->out_line->str, data->out_line->allocated_len);
  g_string_free (data->out_line, TRUE);
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

/* In place, so that no stray copy of a credentials line is left in freed memory. */
static char *
strip_line (const char *data, size_t size)
{
  return g_strstrip (g_strndup (data, size));
}

/* What the debug log shows of a line curl sent, and the command it counts as: during
 * AUTH, every line is credentials (AUTH PLAIN's initial response, AUTH LOGIN's base64 user
 * name and password, a CRAM-MD5 digest), so only the mechanism name survives. */
static char *
redact_command (SendData *send, const char *line, char **command)
{
  const char *space = strchr (line, ' ');
  g_autofree char *verb = space != NULL ? g_strndup (line, space - line) : g_strdup (line);

  if (g_ascii_strcasecmp (verb, "AUTH") == 0)
    {
      g_auto(GStrv) words = g_strsplit (line, " ", 3);

      send->in_auth = TRUE;
      *command = g_strdup ("AUTH");
      return g_strdup_printf ("AUTH %s%s", words[1] != NULL ? words[1] : "",
                              words[1] != NULL && words[2] != NULL ? " <redacted>" : "");
    }
  if (send->in_auth)
    {
      *command = g_strdup ("AUTH");
      return g_strdup ("<redacted>");
    }
  if (g_ascii_strcasecmp (verb, "EHLO") == 0)
    send->auth_offered = FALSE;
  *command = g_steal_pointer (&verb);
  return g_strdup (line);
}

static void
on_command_line (SendData *send, const char *line)
{
  g_autofree char *command = NULL;
  g_autofree char *shown = redact_command (send, line, &command);

  g_debug ("C: %s", shown);
  g_free (send->last_command);
  send->last_command = g_steal_pointer (&command);
  send->quitting = g_ascii_strcasecmp (send->last_command, "QUIT") == 0;
}

static void
on_reply_line (SendData *send, const char *line)
{
  g_debug ("S: %s", line);
  /* 334 asks for the next line of the AUTH exchange; anything else ends it. */
  if (send->in_auth && !g_str_has_prefix (line, "334"))
    send->in_auth = FALSE;
  if (send->last_command != NULL && g_ascii_strcasecmp (send->last_command, "EHLO") == 0
      && strlen (line) > 8 && g_ascii_strncasecmp (line + 4, "AUTH", 4) == 0
      && (line[8] == ' ' || line[8] == '='))
    send->auth_offered = TRUE;
  if (send->quitting)
    return;
  g_free (send->last_reply);
  send->last_reply = g_strdup (line);
  g_free (send->reply_command);
  send->reply_command = g_strdup (send->last_command);
}

static int
on_debug (CURL *curl, curl_infotype type, char *data, size_t size, void *user_data)
{
  SendData *send = user_data;

  /* A connection closed after the send (the handle outlives it) has no send to report to. */
  if (send == NULL)
    return 0;
  if (type == CURLINFO_HEADER_IN)
    {
      g_autofree char *line = strip_line (data, size);

      on_reply_line (send, line);
    }
  else if (type == CURLINFO_HEADER_OUT)
    {
      /* Handled by whole lines, so that a command split over two writes is still
       * recognised as AUTH. */
      g_string_append_len (send->out_line, data, (gssize) size);
      for (char *end; (end = strchr (send->out_line->str, '\n')) != NULL;)
        {
          gsize length = end + 1 - send->out_line->str;
          g_autofree char *line = strip_line (send->out_line->str, length);

          on_command_line (send, line);
          explicit_bzero (line, length);
          g_string_erase (send->out_line, 0, (gssize) length);
        }
    }
  else if (type == CURLINFO_TEXT)
    {
      g_autofree char *line = strip_line (data, size);

      g_debug ("* %s", line);
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
session_key (const UlSmtpConfig *config, const char *ca_file)
{
  return g_strdup_printf ("%s\n%u\n%d\n%s\n%s\n%s", config->host, config->port, config->tls,
                          config->username != NULL ? config->username : "",
                          config->password != NULL ? config->password : "",
                          ca_file != NULL ? ca_file : "");
}

/* Sets up (or keeps) the session handle for @config; called with the lock held. */
static void
prepare_curl (UlSmtpClient *self, const UlSmtpConfig *config)
{
  g_autofree char *key = session_key (config, self->ca_file);
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
  /* libcurl's defaults, spelled out: there is deliberately no way to turn them off. */
  curl_easy_setopt (self->curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (self->curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (self->ca_file != NULL)
    {
      /* A private CA replaces the system store: only what the installer named is trusted. */
      curl_easy_setopt (self->curl, CURLOPT_CAINFO, self->ca_file);
      curl_easy_setopt (self->curl, CURLOPT_CAPATH, NULL);
    }
  /* The server's certificate, for the names and dates an error message quotes. */
  curl_easy_setopt (self->curl, CURLOPT_CERTINFO, 1L);
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

/* 250 for "250 2.0.0 Ok", 0 for no reply or a malformed one. */
static long
reply_code (const char *reply)
{
  if (reply == NULL || !g_ascii_isdigit (reply[0]) || !g_ascii_isdigit (reply[1])
      || !g_ascii_isdigit (reply[2]))
    return 0;
  return (reply[0] - '0') * 100 + (reply[1] - '0') * 10 + (reply[2] - '0');
}

static gboolean
is_recipient_phase (const char *command)
{
  return command != NULL && (g_ascii_strcasecmp (command, "RCPT") == 0
                             || g_ascii_strcasecmp (command, "DATA") == 0);
}

/* Forgets what an earlier try of this mail read and sent. */
static void
reset_transfer (SendData *data)
{
  data->offset = 0;
  g_clear_pointer (&data->last_reply, g_free);
  g_clear_pointer (&data->last_command, g_free);
  g_clear_pointer (&data->reply_command, g_free);
  data->quitting = FALSE;
  data->in_auth = FALSE;
  data->auth_offered = FALSE;
  explicit_bzero (data->out_line->str, data->out_line->allocated_len);
  g_string_truncate (data->out_line, 0);
}

/* One try of @data's mail; called with the lock held. @reused: it went over the kept
 * connection. */
static CURLcode
perform (UlSmtpClient *self, SendData *data, char *errbuf, gboolean *reused)
{
  g_autofree char *ascii_from = ascii_address (data->config->from_address);
  g_autofree char *from = g_strdup_printf ("<%s>", ascii_from);
  g_autofree char *ascii_rcpt = ascii_address (data->recipient);
  g_autofree char *rcpt = g_strdup_printf ("<%s>", ascii_rcpt);
  struct curl_slist *recipients = curl_slist_append (NULL, rcpt);
  long connects = 0;
  CURLcode res;

  prepare_curl (self, data->config);
  curl_easy_setopt (self->curl, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt (self->curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt (self->curl, CURLOPT_READDATA, data);
  curl_easy_setopt (self->curl, CURLOPT_DEBUGDATA, data);
  curl_easy_setopt (self->curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (self->curl, CURLOPT_INFILESIZE_LARGE,
                    (curl_off_t) g_bytes_get_size (data->message));

  res = curl_easy_perform (self->curl);
  curl_easy_getinfo (self->curl, CURLINFO_NUM_CONNECTS, &connects);
  *reused = connects == 0;

  /* The handle outlives this call: nothing may point at this stack frame or @data. */
  curl_easy_setopt (self->curl, CURLOPT_MAIL_RCPT, NULL);
  curl_easy_setopt (self->curl, CURLOPT_ERRORBUFFER, NULL);
  curl_easy_setopt (self->curl, CURLOPT_READDATA, NULL);
  curl_easy_setopt (self->curl, CURLOPT_DEBUGDATA, NULL);
  curl_slist_free_all (recipients);
  return res;
}

static void
send_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  UlSmtpClient *self = source;
  SendData *data = task_data;
  char errbuf[CURL_ERROR_SIZE] = "";
  g_autofree char *message = NULL;
  UlSmtpOutcome outcome = { 0 };
  curl_off_t connect_time = 0;
  gboolean reused = FALSE;
  CURLcode res;
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (g_task_return_error_if_cancelled (task))
    return;

  res = perform (self, data, errbuf, &reused);
  /* The server may have closed the kept connection in the meantime (idle timeout, restart):
   * then the try fails before any reply, or with 421 ("closing"). Either way the server
   * took nothing of this mail, so it gets one more try over a new connection. */
  if (res != CURLE_OK && reused
      && (data->last_reply == NULL || reply_code (data->last_reply) == 421))
    {
      g_debug ("* the kept connection is gone: trying a new one");
      g_clear_pointer (&self->curl, curl_easy_cleanup);
      reset_transfer (data);
      errbuf[0] = '\0';
      res = perform (self, data, errbuf, &reused);
    }

  if (res == CURLE_OK)
    {
      g_task_return_pointer (task, g_strdup (data->last_reply != NULL ? data->last_reply : ""),
                             g_free);
      return;
    }

  outcome.config = data->config;
  outcome.ca_file = self->ca_file;
  outcome.recipient = data->recipient;
  outcome.result = res;
  outcome.curl_error = errbuf;
  outcome.last_reply = data->last_reply;
  outcome.reply_command = data->reply_command;
  outcome.reply_code = reply_code (data->last_reply);
  outcome.auth_offered = data->auth_offered;
  curl_easy_getinfo (self->curl, CURLINFO_OS_ERRNO, &outcome.os_errno);
  curl_easy_getinfo (self->curl, CURLINFO_SSL_VERIFYRESULT, &outcome.verify_result);
  curl_easy_getinfo (self->curl, CURLINFO_CONNECT_TIME_T, &connect_time);
  curl_easy_getinfo (self->curl, CURLINFO_CERTINFO, &outcome.certinfo);
  outcome.connected = connect_time > 0;
  /* Before the cleanup: the certificates belong to the handle. */
  message = ul_smtp_error_describe (&outcome);

  /* A failed session is not reused: its state is unknown. */
  g_clear_pointer (&self->curl, curl_easy_cleanup);
  /* 530 to a recipient means "log in first" (RFC 4954): the relay's settings, not this
   * recipient, are wrong. */
  if (outcome.reply_code >= 400 && outcome.reply_code != 530
      && is_recipient_phase (data->reply_command))
    data->failure = outcome.reply_code >= 500 ? UL_SMTP_FAILURE_PERMANENT
                                              : UL_SMTP_FAILURE_TEMPORARY;
  else
    data->failure = UL_SMTP_FAILURE_RELAY;
  g_task_return_error (task, g_error_new_literal (UL_ERROR, UL_ERROR_MAIL_FAILED, message));
}

void
ul_smtp_client_set_ca_file (UlSmtpClient *self, const char *path)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (UL_IS_SMTP_CLIENT (self));

  locker = g_mutex_locker_new (&self->lock);
  g_free (self->ca_file);
  self->ca_file = g_strdup (path);
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
  data->out_line = g_string_new (NULL);
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
  g_free (self->ca_file);
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
