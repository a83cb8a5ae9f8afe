/* ul-smtp-client.h — hands one message at a time to the SMTP relay, with libcurl.
 *
 * Each send runs in a worker thread (GTask), so the main loop never waits for the network.
 * The connection is kept between sends while the settings stay the same (a batch of
 * deployment mails goes over one session) and dropped after 30 idle seconds. */
#pragma once

#include <gio/gio.h>

#include "ul-smtp-config.h"

G_BEGIN_DECLS

/* Why a send failed, and so what a retry can hope for. */
typedef enum
{
  UL_SMTP_FAILURE_RELAY,      /* the session failed (connect, TLS, login, sender refused,
                               * timeout): every mail would fail the same way for now */
  UL_SMTP_FAILURE_TEMPORARY,  /* a 4xx reply to this recipient or message: try it later */
  UL_SMTP_FAILURE_PERMANENT,  /* a 5xx reply to this recipient or message: give up */
} UlSmtpFailure;

#define UL_TYPE_SMTP_CLIENT (ul_smtp_client_get_type ())
G_DECLARE_FINAL_TYPE (UlSmtpClient, ul_smtp_client, UL, SMTP_CLIENT, GObject)

UlSmtpClient *ul_smtp_client_new (void);
/* The CA bundle the relay's certificate must chain to, instead of the system's trust
 * store (NULL: back to the system store); check it with ul_smtp_check_ca_file() first.
 * Takes effect with the next session. */
void          ul_smtp_client_set_ca_file (UlSmtpClient *self, const char *path);

/* Sends @message (CRLF lines, complete headers) from @config's From address to @recipient.
 * Sends are serialized: one starts when the previous one finished. */
void      ul_smtp_client_send_async (UlSmtpClient       *self,
                                     const UlSmtpConfig *config,
                                     const char         *recipient,
                                     GBytes             *message,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
/* The server's own reply to the end of the message ("250 2.0.0 Ok: queued as 4F3A1"), or
 * NULL with UL_ERROR_MAIL_FAILED and a message carrying the server's reply or the network
 * error; @failure (may be NULL) then says which kind. */
char     *ul_smtp_client_send_finish (UlSmtpClient  *self,
                                      GAsyncResult  *result,
                                      UlSmtpFailure *failure,
                                      GError       **error);

/* Closes the kept connection (QUIT) in a worker thread. */
void      ul_smtp_client_release (UlSmtpClient *self);

G_END_DECLS
