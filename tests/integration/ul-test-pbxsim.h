/* ul-test-pbxsim.h — run the built uplink-pbxsim on free loopback ports and steer it
 * through its control channel, for the integration tests and benchmarks. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess       *process;
  guint16            port;          /* CSTA */
  guint16            control_port;
  GSocketConnection *control;
  GDataInputStream  *control_in;
  char              *dir;           /* a temporary directory for exports */
} UlTestPbxsim;

/* Starts $UL_PBXSIM (the simulator) with --port 0 --control-port -1 and the given extra
 * arguments (NULL-terminated), and waits (bounded) until it listens. The simulator is
 * killed if the test process dies. */
UlTestPbxsim *ul_test_pbxsim_start (const char *first_arg, ...) G_GNUC_NULL_TERMINATED;
UlTestPbxsim *ul_test_pbxsim_startv (const char * const *args);
/* SIGTERM, wait (bounded), remove the export directory. */
void          ul_test_pbxsim_stop (UlTestPbxsim *self);

/* Runs one control command; returns the reply after "ok ", or NULL with @error set to the
 * simulator's "error …" reason. */
char         *ul_test_pbxsim_command_full (UlTestPbxsim *self, const char *command, GError **error);
/* Same, but the command must succeed. */
char         *ul_test_pbxsim_command (UlTestPbxsim *self, const char *format, ...)
  G_GNUC_PRINTF (2, 3);
/* One value of the "status" reply (percent-decoded), e.g. "make_calls". */
char         *ul_test_pbxsim_status (UlTestPbxsim *self, const char *key);
guint         ul_test_pbxsim_status_uint (UlTestPbxsim *self, const char *key);

/* Writes the directory (export csv|ldif) to a file in the simulator's temporary directory
 * and returns its path; @ldif_base is the base DN for LDIF, NULL for CSV. */
char         *ul_test_pbxsim_export (UlTestPbxsim *self, const char *name, const char *ldif_base);

/* A loopback port nobody listens on right now. */
guint16       ul_test_pbxsim_free_port (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlTestPbxsim, ul_test_pbxsim_stop)

G_END_DECLS
