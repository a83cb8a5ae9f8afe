/* ul-mail-settings.h — how the gateway runs its deployment e-mails: where the registration
 * link points, how long it stays valid, and how the outbox retries (DESIGN.md §4 Mail). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define UL_LINK_LIFETIME_DEFAULT  (72 * 3600)       /* seconds: three days */
#define UL_LINK_LIFETIME_MAX      (30 * 24 * 3600)
#define UL_RETRY_INITIAL_DEFAULT  60                /* seconds */
#define UL_RETRY_MAX_DEFAULT      3600
#define UL_RETRY_LIMIT            86400             /* the largest back-off one may set */

typedef struct
{
  char *registration_url;  /* "https://host[:port]" the links start with; NULL or "": the
                            * gateway's own address (see ul_engine_get_registration_url()) */
  guint link_lifetime;     /* seconds a registration link stays valid */
  guint retry_initial;     /* seconds before the first retry of a failed delivery */
  guint retry_max;         /* the back-off doubles up to this many seconds */
} UlMailSettings;

#define UL_TYPE_MAIL_SETTINGS (ul_mail_settings_get_type ())
GType           ul_mail_settings_get_type (void) G_GNUC_CONST;
UlMailSettings *ul_mail_settings_new  (void);   /* the defaults above, no URL */
UlMailSettings *ul_mail_settings_copy (const UlMailSettings *self);
void            ul_mail_settings_free (UlMailSettings *self);
gboolean        ul_mail_settings_equal (const UlMailSettings *a, const UlMailSettings *b);
/* a{sv}: registrationUrl (s, absent when unset), linkLifetime (u), retryInitial (u),
 * retryMax (u). */
GVariant       *ul_mail_settings_to_variant (const UlMailSettings *self);
gboolean        ul_mail_settings_apply (UlMailSettings *self, GVariant *changes, GError **error);
/* registrationUrl empty or an https URL with a host and nothing after the path (no query,
 * fragment or user info); linkLifetime 1 s … 30 days; retryInitial 1 s … 1 day; retryMax
 * retryInitial … 1 day. */
gboolean        ul_mail_settings_validate (const UlMailSettings *self, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlMailSettings, ul_mail_settings_free)

G_END_DECLS
