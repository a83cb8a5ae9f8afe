/* ul-step-page.h — the base of the onboarding steps (Customer, Gateway, PBX, Connect,
 * Sync, Deployment, Advanced), in the manner of GNOME Initial Setup's pages: each step
 * loads its record from the gateway when it is shown, validates with core/common before
 * anything is sent, and saves through one cancellable async call. The customer page
 * (steps with a navigation bar) and the Overview (every step on one page) both hold
 * steps. A deliberate extension point, hence derivable. */
#pragma once

#include <adwaita.h>

#include "ul-form.h"
#include "ul-gateway.h"

G_BEGIN_DECLS

#define UL_TYPE_STEP_PAGE (ul_step_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (UlStepPage, ul_step_page, UL, STEP_PAGE, GtkWidget)

struct _UlStepPageClass
{
  GtkWidgetClass parent_class;

  /* Reads the step's records from the gateway and fills the widgets. */
  void     (*load)        (UlStepPage *self);
  /* Validates, shows what is wrong inline, and stores; NULL for steps with nothing to
   * save (the Save button then does not apply to them). */
  void     (*save_async)  (UlStepPage         *self,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data);
  gboolean (*save_finish) (UlStepPage   *self,
                           GAsyncResult *result,
                           GError      **error);
};

UlGateway *ul_step_page_get_gateway (UlStepPage *self);
/* Sets the gateway and loads. */
void       ul_step_page_set_gateway (UlStepPage *self, UlGateway *gateway);
void       ul_step_page_reload (UlStepPage *self);
UlForm    *ul_step_page_get_form (UlStepPage *self);
/* For the subclass's load calls: a token that the next reload, or
 * ul_step_page_cancel_load() after a change, replaces, so that a read that started before
 * the change never overwrites what the change returned. The read itself is not
 * cancelled: libsoup 3.2 closes a connection still in its TLS handshake when one of its
 * messages is cancelled, failing the other requests queued on it. */
GCancellable *ul_step_page_get_load_cancellable (UlStepPage *self);
void       ul_step_page_cancel_load (UlStepPage *self);
/* Whether @result (of a call made with the load token) belongs to an outdated load. */
gboolean   ul_step_page_load_is_stale (UlStepPage *self, GAsyncResult *result);

gboolean   ul_step_page_can_save (UlStepPage *self);
/* Clears the messages, then runs the subclass's save. An invalid form fails with the
 * first error (already shown inline). */
void       ul_step_page_save_async (UlStepPage         *self,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data);
gboolean   ul_step_page_save_finish (UlStepPage *self, GAsyncResult *result, GError **error);

/* A long operation runs (Connect, Sync, a save): the page's "busy" property. */
gboolean   ul_step_page_get_busy (UlStepPage *self);
void       ul_step_page_set_busy (UlStepPage *self, gboolean busy);
/* Whether the last load (on showing the page, or ul_step_page_reload()) has finished. */
gboolean   ul_step_page_get_loaded (UlStepPage *self);
void       ul_step_page_set_loaded (UlStepPage *self, gboolean loaded);

/* Shows @error where it belongs: under its field, else in a toast. */
void       ul_step_page_report_error (UlStepPage *self, const GError *error);

/* Helpers for the subclasses' save: */
/* Fails @task with a field error already shown by the form (or toasts it). */
void       ul_step_page_return_error (UlStepPage *self, GTask *task, GError *error);

G_END_DECLS
