/* ul-claim-dialog.h — Create Customer: claims a new gateway found on this network and
 * creates the partner's account on it, then opens the customer's first step. */
#pragma once

#include <adwaita.h>

#include "ul-form.h"
#include "ul-gateway.h"
#include "ul-window.h"

G_BEGIN_DECLS

#define UL_TYPE_CLAIM_DIALOG (ul_claim_dialog_get_type ())
G_DECLARE_FINAL_TYPE (UlClaimDialog, ul_claim_dialog, UL, CLAIM_DIALOG, AdwWindow)

/* @gateway: preselected (may be NULL: the first new gateway found). */
UlClaimDialog *ul_claim_dialog_new (UlWindow *parent, UlGateway *gateway);

/* For the tests. */
UlGateway     *ul_claim_dialog_get_selected (UlClaimDialog *self);
void           ul_claim_dialog_fill (UlClaimDialog *self,
                                     const char    *email,
                                     const char    *password,
                                     const char    *confirm);
void           ul_claim_dialog_submit (UlClaimDialog *self);
UlForm        *ul_claim_dialog_get_form (UlClaimDialog *self);

G_END_DECLS
