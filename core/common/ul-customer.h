/* ul-customer.h — the customer account a gateway serves (DESIGN.md §3, seed "Customer" step). */
#pragma once

#include <glib-object.h>
#include "ul-address.h"
#include "ul-contact.h"
#include "ul-enums.h"

G_BEGIN_DECLS

typedef struct
{
  char           *account_id;       /* assigned by the store on first save, never changed */
  char           *name;
  UlAddress      *address;          /* mailing address, never NULL */
  char           *business_type;    /* one of ul_business_types() */
  char           *language;         /* default language of the customer's users, one of ul_languages() */
  GPtrArray      *admin_contacts;   /* UlContact*, role unknown; may be empty */
  GPtrArray      *support_contacts; /* UlContact*; ≥ 1 maintainer and ≥ 1 onsite admin */
  UlCustomerState state;
} UlCustomer;

#define UL_TYPE_CUSTOMER (ul_customer_get_type ())
GType       ul_customer_get_type (void) G_GNUC_CONST;
UlCustomer *ul_customer_new  (void);
UlCustomer *ul_customer_copy (const UlCustomer *self);
void        ul_customer_free (UlCustomer *self);
gboolean    ul_customer_equal (const UlCustomer *a, const UlCustomer *b);

/* a{sv}: accountId, name, address, businessType, language, adminContacts (aa{sv}),
 * supportContacts (aa{sv}), state. */
GVariant   *ul_customer_to_variant (const UlCustomer *self);
/* Merges the keys present in @changes; "address" merges, arrays replace the whole list.
 * accountId and state are read-only: sending back the current value is accepted (a client
 * may return the record it read), any other value is rejected. Atomic. */
gboolean    ul_customer_apply (UlCustomer *self, GVariant *changes, GError **error);
/* The whole record: required fields, e-mails, no duplicate e-mails per list,
 * at least one maintainer and one onsite admin. */
gboolean    ul_customer_validate (const UlCustomer *self, GError **error);

/* Index of the admin contact with @email (case-insensitive), or -1. */
int         ul_customer_find_admin (const UlCustomer *self, const char *email);
/* Index of the support contact with @role and @email, or -1. */
int         ul_customer_find_support (const UlCustomer *self, UlSupportRole role, const char *email);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlCustomer, ul_customer_free)

G_END_DECLS
