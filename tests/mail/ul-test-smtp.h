/* ul-test-smtp.h — a real SMTP server (tests/mail/smtp-sink.py, aiosmtpd) on loopback for
 * the mail tests and the benchmark, and helpers to read what it received. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint        port;
  char        *dir;       /* where the sink writes <n>.eml and <n>.json */
  GSubprocess *process;   /* NULL while stopped */
} UlTestSmtp;

/* A free loopback port and a fresh message directory; the server is not started. */
UlTestSmtp *ul_test_smtp_new (void);
void        ul_test_smtp_free (UlTestSmtp *self);
/* Starts the sink on self->port and waits (bounded) until it listens. @extra_args:
 * NULL-terminated, e.g. "--auth", "user:secret", NULL. */
void        ul_test_smtp_start (UlTestSmtp *self, const char * const *extra_args);
/* SIGTERM and wait. */
void        ul_test_smtp_stop (UlTestSmtp *self);
/* Removes the messages and events received so far (call while stopped). */
void        ul_test_smtp_forget (UlTestSmtp *self);

/* How many messages the server has accepted so far. */
guint       ul_test_smtp_count (UlTestSmtp *self);
/* The parsed summaries (JsonObject*, owned by the array), in arrival order. */
GPtrArray  *ul_test_smtp_messages (UlTestSmtp *self);
/* What the server saw, in order (JsonObject*, owned by the array): {"event": "connect"},
 * {"event": "starttls", "tls": version}, {"event": "auth", "mechanism", "user", "success",
 * "tls"}, {"event": "mail", "address", "tls", "authUser"}; "tls" is "" in clear. */
GPtrArray  *ul_test_smtp_events (UlTestSmtp *self);
/* How many of @events are of @kind ("mail", …). */
guint       ul_test_smtp_count_events (GPtrArray *events, const char *kind);
/* The newest summary whose envelope recipient is @address, or NULL (owned by @messages). */
JsonObject *ul_test_smtp_find (GPtrArray *messages, const char *address);

/* Spins the default main context until @check returns TRUE, failing the test after
 * @timeout_ms; @check runs every 20 ms and after every event. */
void        ul_test_wait_for (gboolean (*check) (gpointer data), gpointer data, guint timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlTestSmtp, ul_test_smtp_free)

G_END_DECLS
