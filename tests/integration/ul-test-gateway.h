/* ul-test-gateway.h — an uplinkd onboarded against uplink-pbxsim, and waits on its D-Bus
 * state: the status, the link, the users' monitors and call states. */
#pragma once

#include "ul-test-daemon.h"
#include "ul-test-pbxsim.h"

G_BEGIN_DECLS

/* Generous: the ASan build on a loaded 2-core CI machine is slow; a passing test never
 * waits this long. */
#define UL_TEST_WAIT_MS 20000

#define UL_TEST_PBX_USERNAME "cloudlink"
#define UL_TEST_PBX_PASSWORD "s3cret-Passw0rd"

/* Shortens the link timings of the uplinkd the tests start (see ul-pbx-service.c). */
void ul_test_pbx_setenv (void);

/* ul_test_daemon_new() for an uplinkd without the HTTPS API: these tests only use D-Bus,
 * and a fixed HTTPS port would keep them from running in parallel. */
UlTestDaemon *ul_test_gateway_daemon_new (void);

/* Records what the gateway announces on the bus. */
typedef struct
{
  UlTestDaemon *daemon;        /* borrowed */
  GPtrArray    *statuses;      /* every Status code announced, in order */
  GPtrArray    *call_states;   /* "<extension>:<state>" of every CallStateChanged, in order */
  guint         subscription;
} UlTestWatch;

UlTestWatch *ul_test_watch_new (UlTestDaemon *daemon);
void         ul_test_watch_free (UlTestWatch *self);
/* Forgets what was recorded so far. */
void         ul_test_watch_reset (UlTestWatch *self);
gboolean     ul_test_watch_saw_status (UlTestWatch *self, const char *code);
gboolean     ul_test_watch_saw_call_state (UlTestWatch *self,
                                           const char  *extension,
                                           const char  *state);

typedef gboolean (*UlTestCondition) (UlTestWatch *watch, gconstpointer data);
/* Spins the main context until @condition holds, checking it again after every signal
 * of the gateway and at least every 50 ms (monitor states change without a signal);
 * fails the test naming @what after @timeout_ms. */
void ul_test_watch_wait (UlTestWatch    *self,
                         UlTestCondition condition,
                         gconstpointer   data,
                         guint           timeout_ms,
                         const char     *what);
void ul_test_watch_wait_status (UlTestWatch *self, const char *code);
/* Waits until Status @code was announced, however briefly. */
void ul_test_watch_wait_saw_status (UlTestWatch *self, const char *code);
void ul_test_watch_wait_link_state (UlTestWatch *self, const char *state);
/* Waits until a CallStateChanged(@extension, @state) was recorded. */
void ul_test_watch_wait_call_state (UlTestWatch *self, const char *extension, const char *state);
/* Waits until @count users have monitorState @state. */
void ul_test_watch_wait_monitors (UlTestWatch *self, const char *state, guint count);

/* A property of io.github.uplink.Gateway1.<interface_suffix> ("" for the main one). */
GVariant *ul_test_gateway_property (UlTestDaemon *daemon,
                                    const char   *interface_suffix,
                                    const char   *name);
/* The Status code, and its params when @params is not NULL. */
char     *ul_test_gateway_status (UlTestDaemon *daemon, GVariant **params);
char     *ul_test_gateway_link_state (UlTestDaemon *daemon);
/* How many users have monitorState @state. */
guint     ul_test_gateway_count_monitors (UlTestDaemon *daemon, const char *state);
/* GetUser(@extension)'s @key as a string (callState, monitorState, name …). */
char     *ul_test_gateway_user_field (UlTestDaemon *daemon, const char *extension, const char *key);

/* Saves a customer, a site of @platform ("standalone" or "smbc") and, for standalone, a
 * PBX at 127.0.0.1:@pbx_port with @password. */
void      ul_test_gateway_onboard (UlTestDaemon *daemon,
                                   const char   *platform,
                                   guint16       pbx_port,
                                   const char   *password);
void      ul_test_gateway_use_csv (UlTestDaemon *daemon, const char *path);
/* Pbx.Connect(); returns the result dict, or NULL with @error. */
GVariant *ul_test_gateway_connect (UlTestDaemon *daemon, GError **error);

/* The usual setting: uplink-pbxsim --demo (25 users, 5 of them without a usable e-mail)
 * plus @sim_args, uplinkd onboarded as a standalone gateway against it, the directory read
 * from the simulator's CSV export, Connect done, and all 25 users monitored. */
typedef struct
{
  UlTestPbxsim *sim;
  UlTestDaemon *daemon;
  UlTestWatch  *watch;
  char         *csv;
} UlTestGateway;

UlTestGateway *ul_test_gateway_new (const char * const *sim_args);
void           ul_test_gateway_free (UlTestGateway *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlTestWatch, ul_test_watch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlTestGateway, ul_test_gateway_free)

G_END_DECLS
