/* ul-pbxsim-error.c — error domain of uplink-pbxsim. */
#define G_LOG_DOMAIN "uplink-pbxsim"

#include "ul-pbxsim-error.h"

G_DEFINE_QUARK (ul-pbxsim-error-quark, ul_pbxsim_error)
