/* ul-mail-mime.h — builds the Internet messages of the deployment e-mails.
 *
 * RFC 5322 headers folded under 78 columns, non-ASCII header text as RFC 2047 UTF-8
 * encoded-words (Q encoding, never splitting a character), MIME 1.0 with a
 * multipart/alternative text + HTML body in quoted-printable: every line of the result
 * ends in CRLF and is at most 76 characters long (RFC 5322 allows 998), so the message
 * survives any relay unchanged, with or without 8BITMIME. Pure functions: no I/O. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *from_name;     /* UTF-8 display name; may be NULL */
  const char *from_address;
  const char *to_name;       /* may be NULL */
  const char *to_address;
  const char *reply_to;      /* may be NULL */
  const char *subject;       /* UTF-8 */
  const char *message_id;    /* "<…@…>", see ul_mime_new_message_id() */
  gint64      date;          /* unix seconds */
  const char *language;      /* Content-Language; may be NULL */
  const char *text;          /* UTF-8 plain text with \n line ends */
  const char *html;          /* UTF-8 HTML; NULL for a text/plain message */
} UlMimeMessage;

/* The whole message, CRLF line ends, ready for SMTP DATA. */
GBytes *ul_mime_build (const UlMimeMessage *message);

/* @text as RFC 2047 encoded-words ("=?UTF-8?Q?…?="), each at most 66 characters (so
 * that a header line holding one stays within 76), separated by spaces where the header
 * may fold (the spaces of @text are encoded inside the words). Only the characters a
 * display name may carry literally (RFC 2047 §5 rule 3) stay as they are, so the result
 * fits both a display name and unstructured text (Subject). */
char   *ul_mime_encode_words (const char *text);
/* A mailbox for From/To: `addr`, `Name <addr>`, `"Q. Name" <addr>` or an encoded name;
 * an internationalized domain becomes its ASCII (punycode) form. */
char   *ul_mime_format_mailbox (const char *name, const char *address);
/* Quoted-printable (RFC 2045 §6.7) with CRLF hard line breaks for every \n of @text and
 * soft breaks keeping lines at most 76 characters. */
char   *ul_mime_encode_qp (const char *text);
/* "Tue, 24 Nov 2026 15:09:13 +0000" — English names, whatever the locale. */
char   *ul_mime_format_date (gint64 unix_seconds);
/* "<32 random hex digits@domain>", with @domain in ASCII. */
char   *ul_mime_new_message_id (const char *domain);

G_END_DECLS
