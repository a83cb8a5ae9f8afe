/* ul-pbxsim-control.h — line-based control channel for tests and demos.
 *
 * One command per line, answered by one line "ok …" or "error <reason>". Arguments are
 * split like a shell does, so names with spaces can be quoted. "help" lists the commands.
 */
#pragma once

#include <gio/gio.h>

#include "ul-pbxsim-server.h"

G_BEGIN_DECLS

#define UL_TYPE_PBXSIM_CONTROL (ul_pbxsim_control_get_type ())
G_DECLARE_FINAL_TYPE (UlPbxsimControl, ul_pbxsim_control, UL, PBXSIM_CONTROL, GObject)

UlPbxsimControl *ul_pbxsim_control_new (UlPbxsimServer *server);

/* TCP on @address:@port (0: any free port); the bound port is returned. */
gboolean ul_pbxsim_control_listen_tcp (UlPbxsimControl *self,
                                       const char *address,
                                       guint16 port,
                                       guint16 *out_port,
                                       GError **error);
gboolean ul_pbxsim_control_listen_unix (UlPbxsimControl *self, const char *path, GError **error);

/* Runs one command line and returns the reply line (without newline). */
char *ul_pbxsim_control_execute (UlPbxsimControl *self, const char *line);

void ul_pbxsim_control_shutdown (UlPbxsimControl *self);

G_END_DECLS
