/* ul-engine-private.h — UlEngine's state, shared by ul-engine.c (onboarding records,
 * status, audit) and ul-engine-pbx.c (Connect, Sync, users, CTI). */
#pragma once

#include "ul-directory-service.h"
#include "ul-engine.h"
#include "ul-mail-service.h"
#include "ul-pbx-service.h"
#include "ul-store.h"

G_BEGIN_DECLS

#define FACT_CONNECTED_AT "connected-at"

struct _UlEngine
{
  GObject parent_instance;

  char        *data_dir;
  UlStore     *store;
  char        *gateway_id;

  /* The stored records; NULL until first saved. */
  UlCustomer  *customer;
  UlSite      *site;
  UlPbxConfig *pbx;
  UlAdvanced  *advanced;

  gboolean     connected_once;
  UlStatus    *status;

  UlPbxService       *pbx_service;
  UlDirectoryService *directory;
  gboolean            pbx_stopped;

  UlMailService      *mail;  /* ul-engine-mail.c */
  char               *mail_template_dir;  /* [mail] template-dir, or NULL */
};

enum
{
  SIGNAL_CHANGED,
  SIGNAL_STATUS_CHANGED,
  SIGNAL_USERS_CHANGED,
  SIGNAL_CALL_STATE_CHANGED,
  SIGNAL_PBX_CHANGED,
  SIGNAL_DELIVERY_CHANGED,
  N_SIGNALS
};

extern guint ul_engine_signals[N_SIGNALS];

void     ul_engine_refresh_status (UlEngine *self);
/* Queues the audit line for the next store write (field names only, never values). */
void     ul_engine_audit (UlEngine *self, const UlCaller *caller, const char *action,
                          const char *detail);
gboolean ul_engine_check_active (UlEngine *self, GError **error);
/* ul-engine-pbx.c: wires the PBX and directory services once the records are loaded. */
void     ul_engine_pbx_init (UlEngine *self);
void     ul_engine_pbx_start (UlEngine *self);
void     ul_engine_pbx_shutdown (UlEngine *self);
/* The PBX settings changed: re-link, or drop the link when a new Connect is needed. */
void     ul_engine_pbx_reconfigure (UlEngine *self, gboolean relink);
/* The fault the PBX link or the directory means for the status, or NULL. */
const char *ul_engine_pbx_fault (UlEngine *self, GVariant **params);
/* ul-engine-mail.c: the outbox and the registration links. */
gboolean ul_engine_mail_init (UlEngine *self, GError **error);
/* The [mail] group of uplinkd.conf (see ul_engine_load_settings()). */
gboolean ul_engine_mail_load_settings (UlEngine *self, GKeyFile *keyfile, GError **error);
void     ul_engine_mail_start (UlEngine *self);
void     ul_engine_mail_shutdown (UlEngine *self);

G_END_DECLS
