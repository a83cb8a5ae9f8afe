/* ul-user.h — a PBX user as the gateway knows it (DESIGN.md §3 "Users").
 *
 * The directory fields (extension, name, email, user group, CTI device) come from the
 * directory source (LDAP or CSV, never CSTA: see protocols/csta.md rule 19); the rest is
 * gateway-side state that a directory sync must keep. */
#pragma once

#include <glib-object.h>
#include "ul-customer.h"

G_BEGIN_DECLS

/* Whether a user can receive a deployment (welcome) e-mail. Stable strings in brackets. */
typedef enum
{
  UL_USER_ELIGIBILITY_ELIGIBLE,         /* "eligible" */
  UL_USER_ELIGIBILITY_NO_EMAIL,         /* "no-email" */
  UL_USER_ELIGIBILITY_INVALID_EMAIL,    /* "invalid-email" */
  UL_USER_ELIGIBILITY_DUPLICATE_EMAIL,  /* "duplicate-email": seed, "You cannot send deployment
                                         * emails to eligible users who have the same email
                                         * address." */
} UlUserEligibility;

typedef struct
{
  char             *extension;      /* key: unique per gateway, never NULL */
  char             *name;           /* may be NULL */
  char             *email;          /* may be NULL */
  char             *user_group;     /* may be NULL */
  char             *cti_device;     /* the "Use for CTI" device; NULL means the extension */
  UlUserEligibility eligibility;
  gint64            invited_at;     /* unix seconds of the last deployment e-mail, 0 = never */
  gint64            registered_at;  /* unix seconds of the app registration, 0 = never */
  gboolean          admin;          /* the e-mail matches an admin contact of the customer */
} UlUser;

#define UL_TYPE_USER (ul_user_get_type ())
GType       ul_user_get_type (void) G_GNUC_CONST;
/* The CTI device defaults to @extension; eligibility is computed from @email alone (a
 * duplicate needs the whole list: see ul_users_compute_eligibility()). */
UlUser     *ul_user_new  (const char *extension, const char *name, const char *email);
UlUser     *ul_user_copy (const UlUser *self);
void        ul_user_free (UlUser *self);
gboolean    ul_user_equal (const UlUser *a, const UlUser *b);

/* The device CTI commands address: cti_device, or the extension when unset. */
const char *ul_user_get_cti_device (const UlUser *self);

/* a{sv}: extension, name, email, userGroup, ctiDevice (s, never absent), eligible (b),
 * ineligibleReason (s, absent when eligible), invitedAt (x), registeredAt (x), admin (b).
 * Absent strings are left out. */
GVariant   *ul_user_to_variant (const UlUser *self);
/* The same keys, added to an a{sv} builder the caller may extend with its own. */
void        ul_user_add_to_builder (const UlUser *self, GVariantBuilder *builder);
/* The reverse, for clients reading a gateway's records: extension is required, types
 * are checked, and unknown keys are ignored so that an older client can read a newer
 * gateway. */
UlUser     *ul_user_from_variant (GVariant *dict, GError **error);

const char       *ul_user_eligibility_to_string (UlUserEligibility value);
/* UL_USER_ELIGIBILITY_ELIGIBLE for NULL or unknown strings. */
UlUserEligibility ul_user_eligibility_from_string (const char *str);
/* A translated, human sentence explaining @value. */
const char       *ul_user_eligibility_get_reason (UlUserEligibility value);

/* Orders extensions the way people read them: numeric ones by value ("9" < "10"), then
 * the rest by bytes. Usable as a GCompareFunc on strings. */
int         ul_extension_compare (const char *a, const char *b);

/* Recomputes eligibility for every UlUser in @users: no e-mail → no-email; an address
 * ul_validate_email() refuses → invalid-email; an address (compared case-insensitively)
 * that two or more users share → duplicate-email for all of them. */
void        ul_users_compute_eligibility (GPtrArray *users);
/* Sets admin on every user whose e-mail matches an admin contact of @customer
 * (case-insensitive); clears it on the others. @customer may be NULL. */
void        ul_users_compute_admin (GPtrArray *users, const UlCustomer *customer);
/* aa{sv} of ul_user_to_variant(). */
GVariant   *ul_users_to_variant (GPtrArray *users);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlUser, ul_user_free)

G_END_DECLS
