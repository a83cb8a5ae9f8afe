/* ul-test-daemon.h — run the built uplinkd on a private bus, as a user would with gdbus. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The customer the D-Bus, mail and registration tests onboard, as UpdateCustomer's a{sv}
 * in GVariant text: names and an address outside ASCII, a German default language. */
#define UL_TEST_CUSTOMER_ACME \
  "{'name': <'ACME Präzision AG'>," \
  " 'address': <{'street': <'Bahnhofstrasse 1'>, 'city': <'Zürich'>," \
  "              'postalCode': <'8001'>, 'country': <'CH'>}>," \
  " 'businessType': <'manufacturing'>, 'language': <'de'>," \
  " 'adminContacts': <[{'name': <'Jürgen Müller'>, 'email': <'juergen.mueller@acme.example'>}]>," \
  " 'supportContacts': <[{'role': <'maintainer'>, 'name': <'Partner Tech'>," \
  "                       'email': <'support@partner.example'>}," \
  "                      {'role': <'onsiteAdmin'>, 'name': <'Zoë Ångström'>," \
  "                       'email': <'zoe@acme.example'>}]>}"

typedef struct
{
  GTestDBus       *bus;
  GDBusConnection *connection;
  char            *root;      /* temporary directory holding the two below */
  char            *data_dir;
  char            *config;    /* uplinkd.conf */
  GSubprocess     *process;
  gboolean        *exited;    /* GRcBox: the current process has exited; shared with the
                               * wait callback, which may outlive this struct */
} UlTestDaemon;

/* Brings up a private session bus and a fresh data dir; does not start uplinkd. */
UlTestDaemon *ul_test_daemon_new (void);
void          ul_test_daemon_free (UlTestDaemon *self);

/* Starts uplinkd --session --data-dir and waits (bounded) until it owns its name. */
void          ul_test_daemon_start (UlTestDaemon *self);
/* SIGTERM and wait; returns the exit status. */
int           ul_test_daemon_stop (UlTestDaemon *self);
/* SIGKILL and wait. */
void          ul_test_daemon_kill (UlTestDaemon *self);

/* Calls io.github.uplink.Gateway1.<interface_suffix>.<method> (suffix "" for the main
 * interface) and returns the reply tuple, or NULL with @error set. */
GVariant     *ul_test_daemon_call (UlTestDaemon *self,
                                   const char   *interface_suffix,
                                   const char   *method,
                                   GVariant     *params,
                                   GError      **error);
/* Same, but the call must succeed; returns the first reply value (or NULL for "()"). */
GVariant     *ul_test_daemon_call_ok (UlTestDaemon *self,
                                      const char   *interface_suffix,
                                      const char   *method,
                                      GVariant     *params);
/* Reads a property of io.github.uplink.Gateway1. */
GVariant     *ul_test_daemon_get_property (UlTestDaemon *self, const char *name);

/* Spins the default main context until @done is TRUE, failing the test after @timeout_ms. */
void          ul_test_wait_until (gboolean *done, guint timeout_ms);

/* Parses a{sv} text ("{'name': <'ACME'>}") into a floating GVariant. */
GVariant     *ul_test_dict (const char *text);

/* Asserts that @error is io.github.uplink.Gateway1.Error.<name> naming @field (NULL: any). */
void          ul_test_assert_dbus_error (GError *error, const char *name, const char *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlTestDaemon, ul_test_daemon_free)

G_END_DECLS
