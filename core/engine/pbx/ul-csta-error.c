/* ul-csta-error.c — error domain of the CSTA codec. */
#define G_LOG_DOMAIN "ul-csta"

#include "ul-csta-error.h"

G_DEFINE_QUARK (ul-csta-error-quark, ul_csta_error)
