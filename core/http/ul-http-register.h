/* ul-http-register.h — the end-user registration pages behind each deployment e-mail's
 * "Finish building your account" link (issue #6).
 *
 *   GET/HEAD /register/{token}   the form: who the account is for, the password rule,
 *                                password and confirmation; or the page that says why the
 *                                link no longer works. Never uses the link up: mail
 *                                security scanners open links before their recipients do.
 *   POST     /register/{token}   password=…&confirm=… (form-encoded, at most
 *                                UL_HTTP_REGISTER_MAX_FORM bytes): registers, or shows the
 *                                form again with the reason linked to its field.
 *   GET/HEAD /register/style.css the stylesheet, compiled into uplinkd (GResource).
 *
 * Plain HTML without script, in the language of the user's welcome mail unless ?lang=
 * asks for another, else the browser's Accept-Language, else English. Each page is
 * translated through the compiled catalog of its language (ul-catalog.h), read from
 * @locale_dir. Statuses: 200 form and success, 422 refused form, 404 unknown link, 410
 * used or expired link. The engine decides; this file only asks and shows. */
#pragma once

#include <libsoup/soup.h>

#include "ul-engine.h"

G_BEGIN_DECLS

#define UL_HTTP_REGISTER_PREFIX   "/register"
#define UL_HTTP_REGISTER_MAX_FORM 4096

#define UL_TYPE_HTTP_REGISTER (ul_http_register_get_type ())
G_DECLARE_FINAL_TYPE (UlHttpRegister, ul_http_register, UL, HTTP_REGISTER, GObject)

/* @locale_dir holds <lang>/LC_MESSAGES/uplink.mo. */
UlHttpRegister *ul_http_register_new (UlEngine *engine, const char *locale_dir);

/* The SoupServerCallback for UL_HTTP_REGISTER_PREFIX (@user_data: the UlHttpRegister). */
void            ul_http_register_handle (SoupServer        *server,
                                         SoupServerMessage *msg,
                                         const char        *path,
                                         GHashTable        *query,
                                         gpointer           user_data);

G_END_DECLS
