/* ul-connect-page.h — the Connect step (standalone and virtual gateways): the green
 * Connect button, "Connection successful" or the specific error with its help page, and
 * the PBX Sync Schedule. */
#pragma once

#include "ul-step-page.h"

G_BEGIN_DECLS

#define UL_TYPE_CONNECT_PAGE (ul_connect_page_get_type ())
G_DECLARE_FINAL_TYPE (UlConnectPage, ul_connect_page, UL, CONNECT_PAGE, UlStepPage)

GtkWidget  *ul_connect_page_new (void);
/* Presses Connect. */
void        ul_connect_page_connect (UlConnectPage *self);
/* The result line ("Connection successful" or the error), NULL before a Connect. */
const char *ul_connect_page_get_result (UlConnectPage *self);
/* The help page the result links to, or NULL. */
const char *ul_connect_page_get_result_help (UlConnectPage *self);

G_END_DECLS
