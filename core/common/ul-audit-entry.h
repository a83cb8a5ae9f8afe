/* ul-audit-entry.h — one line of the audit log: who changed what, when, from where. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  gint64 id;       /* increasing */
  gint64 at;       /* unix seconds */
  char  *actor;    /* "uid 1000" on D-Bus, the account e-mail over HTTPS */
  char  *peer;     /* the D-Bus sender or the client's IP address */
  char  *action;   /* stable verb: "update-customer", "connect", … */
  char  *detail;   /* what changed: field names only, never values (secrets stay out) */
} UlAuditEntry;

#define UL_TYPE_AUDIT_ENTRY (ul_audit_entry_get_type ())
GType         ul_audit_entry_get_type (void) G_GNUC_CONST;
UlAuditEntry *ul_audit_entry_new (const char *actor,
                                  const char *peer,
                                  const char *action,
                                  const char *detail);
UlAuditEntry *ul_audit_entry_copy (const UlAuditEntry *self);
void          ul_audit_entry_free (UlAuditEntry *self);
/* a{sv}: id (x), at (x), actor, peer, action, detail */
GVariant     *ul_audit_entry_to_variant (const UlAuditEntry *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlAuditEntry, ul_audit_entry_free)

/* Who is calling the engine; frontends fill it from the D-Bus sender or the HTTP session. */
typedef struct
{
  const char *actor;
  const char *peer;
} UlCaller;

G_END_DECLS
