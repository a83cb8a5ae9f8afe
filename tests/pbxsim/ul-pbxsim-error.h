/* ul-pbxsim-error.h — error domain of uplink-pbxsim. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UL_PBXSIM_ERROR (ul_pbxsim_error_quark ())
GQuark ul_pbxsim_error_quark (void);

typedef enum
{
  UL_PBXSIM_ERROR_FAILED,
  UL_PBXSIM_ERROR_INVALID,   /* bad input: a CSV line, a command argument */
  UL_PBXSIM_ERROR_NOT_FOUND, /* no such user, call or monitor */
  UL_PBXSIM_ERROR_EXISTS,    /* the extension is taken */
} UlPbxsimErrorCode;

G_END_DECLS
