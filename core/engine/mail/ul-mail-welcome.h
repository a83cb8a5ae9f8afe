/* ul-mail-welcome.h — the deployment (welcome) e-mail of one user. */
#pragma once

#include <glib.h>

#include "ul-mail-template.h"
#include "ul-smtp-config.h"

G_BEGIN_DECLS

#define UL_MAIL_WELCOME "welcome"

typedef struct
{
  const char *account_id;
  const char *customer_name;
  const char *user_name;      /* may be NULL: the extension stands in */
  const char *extension;
  const char *email;
  const char *link;           /* https://<gateway>/register/<token> */
  gint64      expires_at;     /* the link's expiry, unix seconds */
} UlWelcomeInfo;

/* The complete message: @template (see ul-mail-template.h) expanded with {{name}},
 * {{extension}}, {{email}}, {{accountId}}, {{customer}}, {{link}} and {{expires}}
 * ("2026-11-27 15:09 UTC"), From/Reply-To from @smtp, in @template's language. */
GBytes *ul_mail_welcome_build (const UlMailTemplate *template,
                               const UlSmtpConfig   *smtp,
                               const UlWelcomeInfo  *info,
                               const char           *message_id,
                               gint64                now,
                               GError              **error);

G_END_DECLS
