/* ul-engine.h — the gateway engine: the only API the frontends (D-Bus, HTTPS) call.
 *
 * It owns the store and the services, keeps the current records in memory, validates
 * every change (core/common) before storing it, and computes the onboarding status.
 * Frontends decode their wire format into a{sv}, call one of these, and encode the
 * result: no business logic lives in a frontend. */
#pragma once

#include <glib-object.h>
#include "ul-customer.h"
#include "ul-site.h"
#include "ul-pbx-config.h"
#include "ul-advanced.h"
#include "ul-status.h"
#include "ul-audit-entry.h"

G_BEGIN_DECLS

#define UL_TYPE_ENGINE (ul_engine_get_type ())
G_DECLARE_FINAL_TYPE (UlEngine, ul_engine, UL, ENGINE, GObject)

#define UL_CONFIRM_DEACTIVATE "deactivate"
#define UL_CONFIRM_REMOVE     "remove"

/* Opens (or creates) the store in @data_dir. Fast: no network, no slow work. */
UlEngine   *ul_engine_new (const char *data_dir, GError **error);
/* Reads the [pbx] group of uplinkd's configuration: how the gateway logs in to the CSTA
 * service. The MiVO400's login format is not public (csta.md rule 7), so an installer can
 * switch it without a new build:
 *   login-style = user-password (default) | session-login-info
 *   application-id = Uplink
 *   session-duration = 180   (seconds, 30–3600)
 * and the [mail] group: template-dir = where the deployment e-mail templates are
 * (default $UPLINK_MAIL_TEMPLATE_DIR, else the installed datadir/uplink/mail);
 * ca-file = the PEM CA bundle that the SMTP relay's certificate must chain to, instead of
 * the system's trust store (a relay with a private CA).
 * Call before ul_engine_start(). Bad values fail with UL_ERROR_INVALID_ARGUMENT. */
gboolean    ul_engine_load_settings (UlEngine *self, GKeyFile *keyfile, GError **error);
/* Starts the services that do slow or network work. Call once the frontends are up. */
void        ul_engine_start (UlEngine *self);
/* Stops the services cleanly (e.g. ends the PBX session). */
void        ul_engine_shutdown (UlEngine *self);

const char *ul_engine_get_gateway_id (UlEngine *self);
/* "" until the customer is first saved. */
const char *ul_engine_get_account_id (UlEngine *self);
/* Borrowed; valid until the next "status-changed". */
const UlStatus *ul_engine_get_status (UlEngine *self);

/* Each getter returns a copy, or NULL with UL_ERROR_NOT_FOUND when nothing was saved. */
UlCustomer  *ul_engine_get_customer (UlEngine *self, GError **error);
UlSite      *ul_engine_get_site     (UlEngine *self, GError **error);
UlPbxConfig *ul_engine_get_pbx      (UlEngine *self, GError **error);
/* Never fails: the defaults until first saved. */
UlAdvanced  *ul_engine_get_advanced (UlEngine *self);

/* Each update merges @changes (a{sv}) into the current record, validates the whole record,
 * stores it in one transaction together with an audit line naming @caller and the changed
 * fields, and emits "changed"; on error nothing changes. */
gboolean ul_engine_update_customer (UlEngine *self, const UlCaller *caller, GVariant *changes, GError **error);
gboolean ul_engine_add_admin_contact (UlEngine *self, const UlCaller *caller, GVariant *contact, GError **error);
gboolean ul_engine_remove_admin_contact (UlEngine  *self,
                                         const UlCaller *caller,
                                         const char *email,
                                         const char *confirm,
                                         GError   **error);
gboolean ul_engine_add_support_contact (UlEngine *self, const UlCaller *caller, GVariant *contact, GError **error);
gboolean ul_engine_remove_support_contact (UlEngine  *self,
                                           const UlCaller *caller,
                                           const char *role,
                                           const char *email,
                                           GError   **error);
gboolean ul_engine_deactivate (UlEngine *self, const UlCaller *caller, const char *confirm, GError **error);
gboolean ul_engine_update_site (UlEngine *self, const UlCaller *caller, GVariant *changes, GError **error);
gboolean ul_engine_update_pbx (UlEngine *self, const UlCaller *caller, GVariant *changes, GError **error);
gboolean ul_engine_update_advanced (UlEngine *self, const UlCaller *caller, GVariant *changes, GError **error);

/* PBX link, directory, users and CTI (ul-engine-pbx.c). */

/* The Connect step: connects and logs in with the saved PBX settings (and checks the
 * licence with one monitor). @options: "syncSchedule" (u, minutes). Returns a{sv}:
 * message ("Connection successful"), sessionId, syncSchedule. Errors: UL_ERROR_PBX_*. */
void      ul_engine_connect_async (UlEngine           *self,
                                   const UlCaller     *caller,
                                   GVariant           *options,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
GVariant *ul_engine_connect_finish (UlEngine *self, GAsyncResult *result, GError **error);
/* The Sync step: see ul_directory_service_sync_async() for the report. */
void      ul_engine_sync_async (UlEngine           *self,
                                const UlCaller     *caller,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data);
GVariant *ul_engine_sync_finish (UlEngine *self, GAsyncResult *result, GError **error);

/* The directory source, a{sv} (see ul_directory_config_to_variant()). */
GVariant *ul_engine_get_directory (UlEngine *self);
gboolean  ul_engine_update_directory (UlEngine       *self,
                                      const UlCaller *caller,
                                      GVariant       *changes,
                                      GError        **error);

/* "stopped", "connecting", "logging-in", "active" or "backoff"; and why it last failed. */
const char *ul_engine_get_link_state (UlEngine *self);
const char *ul_engine_get_link_error (UlEngine *self);

/* Users ordered by extension, as aa{sv}: the ul_user_to_variant() keys plus callState and
 * monitorState. @eligible: -1 all, 0 only ineligible, 1 only eligible. */
GVariant *ul_engine_list_users (UlEngine *self,
                                guint     offset,
                                guint     limit,
                                int       eligible,
                                guint    *total);
GVariant *ul_engine_get_user (UlEngine *self, const char *extension, GError **error);

/* CTI on the user's "Use for CTI" device. MakeCall returns the call ID. */
void      ul_engine_make_call_async (UlEngine           *self,
                                     const UlCaller     *caller,
                                     const char         *extension,
                                     const char         *number,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
char     *ul_engine_make_call_finish (UlEngine *self, GAsyncResult *result, GError **error);
void      ul_engine_answer_call_async (UlEngine           *self,
                                       const UlCaller     *caller,
                                       const char         *extension,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
void      ul_engine_clear_connection_async (UlEngine           *self,
                                            const UlCaller     *caller,
                                            const char         *extension,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
gboolean  ul_engine_cti_finish (UlEngine *self, GAsyncResult *result, GError **error);

/* The audit log, newest first: aa{sv} of ul_audit_entry_to_variant(). */
GVariant *ul_engine_list_audit (UlEngine *self, guint offset, guint limit, guint *total,
                                GError **error);

/* Signals:
 *   "changed" (const char *section): "customer", "site", "pbx" or "advanced" was stored.
 *   "status-changed" (): ul_engine_get_status() changed.
 *   "users-changed" (): a sync changed the user list.
 *   "call-state-changed" (const char *extension, const char *state)
 *   "pbx-changed" (): the link state or its error changed. */

/* ---------------------------------------------------------------------------------------
 * Deployment e-mails and user registration (ul-engine-mail.c, issue #6).
 *
 * "Send Deployment Emails" puts one welcome mail per chosen, eligible user into the
 * persistent outbox (see ul-mail-service.h for the delivery guarantee); each mail carries
 * a single-use registration link https://<gateway>/register/<token> that expires after
 * linkLifetime seconds. Following the link, a user sets a password (ul_validate_password())
 * and becomes a registered user.
 * --------------------------------------------------------------------------------------- */

/* a{sv} of ul_smtp_config_to_variant() (the defaults until saved). */
GVariant *ul_engine_get_smtp (UlEngine *self);
gboolean  ul_engine_update_smtp (UlEngine *self, const UlCaller *caller, GVariant *changes,
                                 GError **error);
/* a{sv} of ul_mail_settings_to_variant() plus effectiveRegistrationUrl (s): where the links
 * point, the gateway's own address when registrationUrl is unset. */
GVariant *ul_engine_get_mail_settings (UlEngine *self);
gboolean  ul_engine_update_mail_settings (UlEngine *self, const UlCaller *caller,
                                          GVariant *changes, GError **error);
/* The base of the registration links: registrationUrl, else https:// and the gateway's
 * static address (site step), else its host name. */
char     *ul_engine_get_registration_url (UlEngine *self);

/* Sends a short test mail through the saved SMTP settings. @options: "to" (s, default the
 * From address). Returns a{sv}: reply (s, the server's own reply line, e.g. "250 2.0.0 Ok:
 * queued as 4F3A1"), recipient, messageId. Errors: UL_ERROR_WRONG_STATE (not configured),
 * UL_ERROR_INVALID_ARGUMENT ("to"), UL_ERROR_MAIL_FAILED (with the server's reply). */
void      ul_engine_send_test_mail_async (UlEngine           *self,
                                          const UlCaller     *caller,
                                          GVariant           *options,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
GVariant *ul_engine_send_test_mail_finish (UlEngine *self, GAsyncResult *result,
                                           GError **error);

/* Queues a welcome mail for each of @extensions in one transaction and sets their
 * invitedAt. Users who cannot get one are refused individually, the others accepted.
 * @options: "language" (s, default the customer's). Returns aa{sv}, one per distinct
 * extension in order: extension, accepted (b), messageId (accepted) or reason
 * ("unknown-user", "no-email", "invalid-email", "duplicate-email", "registered",
 * "not-invited") and message (a translated sentence). Fails as a whole only when nothing
 * can be sent (deactivated, no customer, SMTP not configured, no extension given).
 * A user's earlier link stops working and an earlier mail still queued is superseded. */
GVariant *ul_engine_send_deployment_emails (UlEngine           *self,
                                            const UlCaller     *caller,
                                            const char * const *extensions,
                                            GVariant           *options,
                                            GError            **error);
/* The same for users invited before ("not-invited" otherwise): a new link and mail. */
GVariant *ul_engine_resend_deployment_emails (UlEngine           *self,
                                              const UlCaller     *caller,
                                              const char * const *extensions,
                                              GVariant           *options,
                                              GError            **error);
/* The state of each user's newest mail, by extension, aa{sv}: extension, name, email,
 * state ("queued", "sending", "sent", "failed", "superseded"), messageId, attempts (u),
 * queuedAt, updatedAt, linkExpiresAt (x), nextAttemptAt (x, queued only), reply (sent),
 * error (failed, or why the last attempt of a queued mail failed), registered (b). */
GVariant *ul_engine_list_deliveries (UlEngine *self, GError **error);
/* One user's record of the above, or NULL with UL_ERROR_NOT_FOUND. */
GVariant *ul_engine_get_delivery (UlEngine *self, const char *extension, GError **error);

/* What a registration link is for, a{sv}: extension, name, email, accountId, customer,
 * language (that of the mail which carried the link), admin (b), expiresAt (x). Errors on field "token": UL_ERROR_NOT_FOUND (no such
 * link, or its user left the directory), UL_ERROR_LINK_USED, UL_ERROR_LINK_EXPIRED
 * (expired, or replaced by a newer mail). */
GVariant *ul_engine_lookup_registration (UlEngine *self, const char *token, GError **error);
/* Registers the link's user with @password (ul_validate_password(), field "password"):
 * stores its Argon2id hash for logins and its SIP digests (MD5 and SHA-256 of
 * "<extension>:<realm>:<password>", realm ul_engine_get_sip_realm()) for the SIP registrar,
 * sets registeredAt and uses up the link, all in one transaction. The hashing runs in a worker thread. An admin contact
 * also gets an HTTPS API account (role customerAdmin) with the same password. Returns the
 * registered user, a{sv}: extension, name, email, registeredAt, admin. */
void      ul_engine_register_async (UlEngine           *self,
                                    const UlCaller     *caller,
                                    const char         *token,
                                    const char         *password,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data);
GVariant *ul_engine_register_finish (UlEngine *self, GAsyncResult *result, GError **error);
/* Registered users by extension, aa{sv}: extension, name, email, registeredAt, admin. */
GVariant *ul_engine_list_registered_users (UlEngine *self);
/* The "Registered Users" number of the customer list. */
guint     ul_engine_count_registered_users (UlEngine *self);
/* The digest realm of the gateway's SIP registrar, "uplink-<accountId>": fixed for the
 * account's life, since the digests made from each password at registration depend on it. */
char     *ul_engine_get_sip_realm (UlEngine *self);
/* The Argon2id string (crypto_pwhash_str) a registered user chose, for logins; NULL when the
 * user has not registered. (The SIP registrar uses the digests made at registration, see
 * ul_store_get_sip_digest().) Never log or return it to a client. */
char     *ul_engine_get_user_password_hash (UlEngine *self, const char *extension,
                                            GError **error);

/* Signals:
 *   "delivery-changed" (const char *extension): ul_engine_get_delivery() changed.
 *   Registration emits "users-changed" (registeredAt, and so the registered count). */

G_END_DECLS
