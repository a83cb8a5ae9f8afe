/* ul-add-gateway-dialog.h — add a gateway by its address (another subnet, or no mDNS):
 * contact it once without credentials, show its certificate's fingerprint for the partner
 * to compare, pin it, then sign in (claimed) or claim it (new). */
#pragma once

#include <adwaita.h>

#include "ul-form.h"
#include "ul-window.h"

G_BEGIN_DECLS

#define UL_TYPE_ADD_GATEWAY_DIALOG (ul_add_gateway_dialog_get_type ())
G_DECLARE_FINAL_TYPE (UlAddGatewayDialog, ul_add_gateway_dialog, UL, ADD_GATEWAY_DIALOG,
                      AdwWindow)

/* @address and @fingerprint may be NULL; with both, it connects at once and trusts the
 * certificate if it matches @fingerprint. */
UlAddGatewayDialog *ul_add_gateway_dialog_new (UlWindow   *parent,
                                               const char *address,
                                               const char *fingerprint);

/* Splits "host", "host:port", "[v6]:port" or a bare IPv6 literal; FALSE with a field
 * error on "address" when it is not an address. */
gboolean            ul_parse_gateway_address (const char *text,
                                              char      **host,
                                              guint      *port,
                                              GError    **error);

/* For the tests. */
void                ul_add_gateway_dialog_set_address (UlAddGatewayDialog *self,
                                                       const char         *address);
/* Connect, then (second call) Trust and Continue. */
void                ul_add_gateway_dialog_next (UlAddGatewayDialog *self);
/* Whether the certificate is shown and waits to be trusted. */
gboolean            ul_add_gateway_dialog_get_probed (UlAddGatewayDialog *self);
UlForm             *ul_add_gateway_dialog_get_form (UlAddGatewayDialog *self);

G_END_DECLS
