/* ul-contact.h — an admin contact {name, email} or a support contact {role, name, email}. */
#pragma once

#include <glib-object.h>
#include "ul-enums.h"

G_BEGIN_DECLS

typedef struct
{
  UlSupportRole role;   /* UL_SUPPORT_ROLE_UNKNOWN for admin contacts */
  char         *name;
  char         *email;
} UlContact;

#define UL_TYPE_CONTACT (ul_contact_get_type ())
GType      ul_contact_get_type (void) G_GNUC_CONST;
UlContact *ul_contact_new  (UlSupportRole role, const char *name, const char *email);
UlContact *ul_contact_copy (const UlContact *self);
void       ul_contact_free (UlContact *self);
gboolean   ul_contact_equal (const UlContact *a, const UlContact *b);
/* a{sv}: name, email (+ role for support contacts) */
GVariant  *ul_contact_to_variant (const UlContact *self, gboolean with_role);
/* Parses one contact from a{sv}. @with_role: a support contact ("role" accepted and
 * checked to be maintainer | onsiteAdmin | other; a missing role is left for validate to
 * report); without it "role" is an unknown key. Returns NULL with @error set on failure. */
UlContact *ul_contact_from_variant (GVariant *dict, gboolean with_role, GError **error);
gboolean   ul_contact_validate (const UlContact *self, gboolean with_role, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlContact, ul_contact_free)

G_END_DECLS
