/* ul-audit-entry.c — one line of the audit log. */
#include "config.h"

#include "ul-audit-entry.h"
#include "ul-variant.h"

G_DEFINE_BOXED_TYPE (UlAuditEntry, ul_audit_entry, ul_audit_entry_copy, ul_audit_entry_free)

UlAuditEntry *
ul_audit_entry_new (const char *actor, const char *peer, const char *action, const char *detail)
{
  UlAuditEntry *self = g_new0 (UlAuditEntry, 1);

  self->at = g_get_real_time () / G_USEC_PER_SEC;
  self->actor = g_strdup (actor);
  self->peer = g_strdup (peer);
  self->action = g_strdup (action);
  self->detail = g_strdup (detail);
  return self;
}

UlAuditEntry *
ul_audit_entry_copy (const UlAuditEntry *self)
{
  UlAuditEntry *copy = ul_audit_entry_new (self->actor, self->peer, self->action, self->detail);

  copy->id = self->id;
  copy->at = self->at;
  return copy;
}

void
ul_audit_entry_free (UlAuditEntry *self)
{
  if (self == NULL)
    return;
  g_free (self->actor);
  g_free (self->peer);
  g_free (self->action);
  g_free (self->detail);
  g_free (self);
}

GVariant *
ul_audit_entry_to_variant (const UlAuditEntry *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "id", g_variant_new_int64 (self->id));
  g_variant_builder_add (&builder, "{sv}", "at", g_variant_new_int64 (self->at));
  ul_variant_builder_add_string (&builder, "actor", self->actor);
  ul_variant_builder_add_string (&builder, "peer", self->peer);
  ul_variant_builder_add_string (&builder, "action", self->action);
  ul_variant_builder_add_string (&builder, "detail", self->detail);
  return g_variant_builder_end (&builder);
}
