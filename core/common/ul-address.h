/* ul-address.h — a postal address (customer mailing address, site address). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  char *street;
  char *city;
  char *region;       /* optional: not every country has one */
  char *postal_code;
  char *country;      /* ISO 3166-1 alpha-2, upper case */
} UlAddress;

#define UL_TYPE_ADDRESS (ul_address_get_type ())
GType      ul_address_get_type (void) G_GNUC_CONST;
UlAddress *ul_address_new      (void);
UlAddress *ul_address_copy     (const UlAddress *self);
void       ul_address_free     (UlAddress *self);
gboolean   ul_address_equal    (const UlAddress *a, const UlAddress *b);
/* a{sv}: street, city, region, postalCode, country */
GVariant  *ul_address_to_variant (const UlAddress *self);
/* Merges the keys present in @changes (a{sv}); wrong types and unknown keys fail naming the
 * key, and then @self is left unchanged. A floating @changes is consumed. (The same holds
 * for every *_apply() of the models.) */
gboolean   ul_address_apply    (UlAddress *self, GVariant *changes, GError **error);
gboolean   ul_address_validate (const UlAddress *self, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlAddress, ul_address_free)

G_END_DECLS
