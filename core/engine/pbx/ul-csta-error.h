/* ul-csta-error.h — error domain of the CSTA codec.
 *
 * The codec is shared by uplinkd, uplink-pbxsim and the fuzzers and depends on GLib only,
 * so it has its own small domain; the PBX link maps it to UL_ERROR_PBX_PROTOCOL.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UL_CSTA_ERROR (ul_csta_error_quark ())
GQuark ul_csta_error_quark (void);

typedef enum
{
  UL_CSTA_ERROR_BAD_HEADER,       /* the first two header bytes are not 00 00 (csta.md rule 2) */
  UL_CSTA_ERROR_BAD_LENGTH,       /* the length field is below the 8-byte header (rule 2) */
  UL_CSTA_ERROR_BAD_INVOKE_ID,    /* the invoke ID is not 4 ASCII digits (rule 1) */
  UL_CSTA_ERROR_TOO_LARGE,        /* a message does not fit a 65535-byte frame (rule 1) */
  UL_CSTA_ERROR_MALFORMED,        /* the body is not well-formed UTF-8 XML */
  UL_CSTA_ERROR_FORBIDDEN,        /* a DOCTYPE or other markup declaration */
  UL_CSTA_ERROR_LIMIT,            /* element depth or element count above the codec limits */
  UL_CSTA_ERROR_INVALID_ARGUMENT, /* a caller passed a value the wire cannot carry */
} UlCstaErrorCode;

G_END_DECLS
