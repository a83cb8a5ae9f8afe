/* ul-customer-page.c — one customer's onboarding steps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-advanced-page.h"
#include "ul-connect-page.h"
#include "ul-customer-info-page.h"
#include "ul-customer-page.h"
#include "ul-deployment-page.h"
#include "ul-enums.h"
#include "ul-gateway-site-page.h"
#include "ul-help.h"
#include "ul-overview-page.h"
#include "ul-pbx-page.h"
#include "ul-status-button.h"
#include "ul-sync-page.h"
#include "ul-window.h"

/* The navigation bar's order, and the help page of each step. */
static const struct
{
  const char *name;
  const char *help;
} step_info[] = {
  { "overview", "onboarding" },
  { "customer", "customer-information" },
  { "gateway", "gateway-site" },
  { "pbx", "pbx-information" },
  { "connect", "pbx-connect" },
  { "sync", "pbx-connect#sync" },
  { "deployment", "deployment" },
  { "advanced", "advanced-settings" },
};

#define N_STEPS G_N_ELEMENTS (step_info)

struct _UlCustomerPage
{
  GtkWidget parent_instance;

  AdwWindowTitle *window_title;
  GtkWidget      *back_button;
  GtkWidget      *status_bar;
  UlStatusButton *status_button;
  GtkStack       *content_stack;
  GtkStack       *steps_stack;
  AdwStatusPage  *unreachable_page;
  GtkWidget      *cancel_button;
  GtkWidget      *next_button;
  GtkWidget      *save_button;
  GtkWidget      *save_back_button;
  GtkSpinner     *spinner;
  GtkStackPage   *pbx_stack_page;
  GtkStackPage   *connect_stack_page;
  GtkStackPage   *sync_stack_page;
  UlStepPage     *overview_step;
  UlStepPage     *customer_step;
  UlStepPage     *gateway_step;
  UlStepPage     *pbx_step;
  UlStepPage     *connect_step;
  UlStepPage     *sync_step;
  UlStepPage     *deployment_step;
  UlStepPage     *advanced_step;

  UlGateway      *gateway;
  UlStepPage     *watched;   /* the visible step, whose "busy" drives the buttons */
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (UlCustomerPage, ul_customer_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_BACK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

UlStepPage *
ul_customer_page_get_step (UlCustomerPage *self, const char *step)
{
  UlStepPage *pages[] = {
    self->overview_step, self->customer_step, self->gateway_step, self->pbx_step,
    self->connect_step, self->sync_step, self->deployment_step, self->advanced_step,
  };

  g_return_val_if_fail (UL_IS_CUSTOMER_PAGE (self), NULL);

  for (guint i = 0; i < N_STEPS; i++)
    if (g_strcmp0 (step_info[i].name, step) == 0)
      return pages[i];
  return NULL;
}

static gboolean
has_pbx_step (UlCustomerPage *self)
{
  const char *platform = self->gateway != NULL ? ul_gateway_get_platform (self->gateway) : NULL;

  /* Until the Gateway step says otherwise, show the standalone steps. */
  return platform == NULL || ul_platform_has_pbx_step (ul_platform_from_string (platform));
}

gboolean
ul_customer_page_has_step (UlCustomerPage *self, const char *step)
{
  g_return_val_if_fail (UL_IS_CUSTOMER_PAGE (self), FALSE);

  if (g_strcmp0 (step, "pbx") == 0 || g_strcmp0 (step, "connect") == 0)
    return has_pbx_step (self);
  if (g_strcmp0 (step, "sync") == 0)
    return !has_pbx_step (self);
  return ul_customer_page_get_step (self, step) != NULL;
}

static int
step_index (const char *name)
{
  for (guint i = 0; i < N_STEPS; i++)
    if (g_strcmp0 (step_info[i].name, name) == 0)
      return (int) i;
  return -1;
}

/* The step whose name comes after @name in the navigation bar, or NULL at the end. */
static const char *
next_step (UlCustomerPage *self, const char *name)
{
  for (int i = step_index (name) + 1; i > 0 && i < (int) N_STEPS; i++)
    if (ul_customer_page_has_step (self, step_info[i].name))
      return step_info[i].name;
  return NULL;
}

static void
update_buttons (UlCustomerPage *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->steps_stack);
  UlStepPage *step = ul_customer_page_get_step (self, name);
  gboolean busy = step != NULL && ul_step_page_get_busy (step);
  gboolean can_save = step != NULL && ul_step_page_can_save (step);
  gboolean online = self->gateway != NULL &&
                    ul_gateway_get_state (self->gateway) == UL_GATEWAY_STATE_ONLINE;

  gtk_widget_set_visible (self->save_button, can_save);
  gtk_widget_set_visible (self->save_back_button, can_save);
  gtk_widget_set_visible (self->next_button, g_strcmp0 (name, "overview") != 0 &&
                                               next_step (self, name) != NULL);
  gtk_widget_set_sensitive (self->save_button, online && !busy);
  gtk_widget_set_sensitive (self->save_back_button, online && !busy);
  gtk_widget_set_sensitive (self->next_button, online && !busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
update_steps (UlCustomerPage *self)
{
  gboolean pbx = has_pbx_step (self);
  const char *visible = gtk_stack_get_visible_child_name (self->steps_stack);

  gtk_stack_page_set_visible (self->pbx_stack_page, pbx);
  gtk_stack_page_set_visible (self->connect_stack_page, pbx);
  gtk_stack_page_set_visible (self->sync_stack_page, !pbx);
  ul_overview_page_set_has_pbx_step (UL_OVERVIEW_PAGE (self->overview_step), pbx);
  if (!ul_customer_page_has_step (self, visible))
    gtk_stack_set_visible_child_name (self->steps_stack, pbx ? "connect" : "sync");
  update_buttons (self);
}

static void
update_header (UlCustomerPage *self)
{
  const char *account = ul_gateway_get_account_id (self->gateway);
  const char *platform = ul_gateway_get_platform (self->gateway);
  const char *platform_label = NULL;
  g_autofree char *subtitle = NULL;

  adw_window_title_set_title (self->window_title, ul_gateway_get_title (self->gateway));
  if (g_strcmp0 (platform, "standalone") == 0)
    platform_label = _("Standalone");
  else if (g_strcmp0 (platform, "smbc") == 0)
    platform_label = _("SMBC");
  else if (g_strcmp0 (platform, "virtual") == 0)
    platform_label = _("Virtual");

  if (account != NULL && platform_label != NULL)
    /* Translators: the customer page's subtitle: account ID · platform. */
    subtitle = g_strdup_printf (_("Account ID %s · %s"), account, platform_label);
  else if (account != NULL)
    subtitle = g_strdup_printf (_("Account ID %s"), account);
  else
    subtitle = g_strdup (_("New customer"));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  ul_status_button_set_status (self->status_button, ul_gateway_get_status (self->gateway));
}

static void
update_view (UlCustomerPage *self)
{
  switch (ul_gateway_get_state (self->gateway))
    {
    case UL_GATEWAY_STATE_UNREACHABLE:
    case UL_GATEWAY_STATE_CERTIFICATE_CHANGED:
      adw_status_page_set_description (self->unreachable_page,
                                       ul_gateway_get_last_error (self->gateway));
      gtk_stack_set_visible_child_name (self->content_stack, "unreachable");
      break;
    case UL_GATEWAY_STATE_SIGNED_OUT:
      gtk_stack_set_visible_child_name (self->content_stack, "signed-out");
      break;
    case UL_GATEWAY_STATE_ONLINE:
    case UL_GATEWAY_STATE_UNKNOWN:
    case UL_GATEWAY_STATE_CONNECTING:
    default:
      gtk_stack_set_visible_child_name (self->content_stack, "steps");
      break;
    }
  update_buttons (self);
}

static void
on_gateway_notify (UlGateway *gateway, GParamSpec *pspec, UlCustomerPage *self)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "platform"))
    update_steps (self);
  else if (g_str_equal (name, "state"))
    {
      gboolean was_away = g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack),
                                     "steps") != 0;

      update_view (self);
      /* Back after an outage: what is shown may be stale. */
      if (was_away && ul_gateway_get_state (gateway) == UL_GATEWAY_STATE_ONLINE && self->watched)
        ul_step_page_reload (self->watched);
    }
  update_header (self);
}

/* Where the status points: the step that needs doing, or the Overview once deployed. */
static const char *
step_for_status (UlCustomerPage *self)
{
  const char *code = ul_gateway_get_status (self->gateway)->code;

  if (g_str_equal (code, UL_STATUS_CUSTOMER_REQUIRED))
    return "customer";
  if (g_str_equal (code, UL_STATUS_SITE_REQUIRED))
    return "gateway";
  if (g_str_equal (code, UL_STATUS_PBX_REQUIRED))
    return "pbx";
  if (g_str_equal (code, UL_STATUS_CONNECT_REQUIRED) ||
      g_str_equal (code, UL_STATUS_SYNC_REQUIRED) ||
      g_str_has_prefix (code, "pbx-") || g_str_equal (code, UL_STATUS_DIRECTORY_FAILED))
    return has_pbx_step (self) ? "connect" : "sync";
  if (g_str_equal (code, UL_STATUS_USERS_MISSING_EMAIL))
    return "deployment";
  return "overview";
}

void
ul_customer_page_set_gateway (UlCustomerPage *self, UlGateway *gateway, const char *step)
{
  UlStepPage *pages[] = {
    self->overview_step, self->customer_step, self->gateway_step, self->pbx_step,
    self->connect_step, self->sync_step, self->deployment_step, self->advanced_step,
  };

  g_return_if_fail (UL_IS_CUSTOMER_PAGE (self));

  if (self->gateway != NULL)
    g_signal_handlers_disconnect_by_data (self->gateway, self);
  g_set_object (&self->gateway, gateway);

  /* The Overview's own steps follow its gateway. */
  for (guint i = 0; i < N_STEPS; i++)
    ul_step_page_set_gateway (pages[i], gateway);
  if (gateway == NULL)
    return;

  g_signal_connect (gateway, "notify", G_CALLBACK (on_gateway_notify), self);
  update_steps (self);
  update_header (self);
  update_view (self);
  ul_customer_page_show_step (self, step != NULL ? step : step_for_status (self));
  ul_gateway_refresh (gateway);
}

UlGateway *
ul_customer_page_get_gateway (UlCustomerPage *self)
{
  g_return_val_if_fail (UL_IS_CUSTOMER_PAGE (self), NULL);
  return self->gateway;
}

void
ul_customer_page_show_step (UlCustomerPage *self, const char *step)
{
  g_return_if_fail (UL_IS_CUSTOMER_PAGE (self));

  if (!ul_customer_page_has_step (self, step))
    step = "overview";
  gtk_stack_set_visible_child_name (self->steps_stack, step);
}

const char *
ul_customer_page_get_visible_step (UlCustomerPage *self)
{
  g_return_val_if_fail (UL_IS_CUSTOMER_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->steps_stack);
}

const char *
ul_customer_page_get_view (UlCustomerPage *self)
{
  g_return_val_if_fail (UL_IS_CUSTOMER_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->content_stack);
}

GtkWidget *
ul_customer_page_get_button (UlCustomerPage *self, const char *name)
{
  g_return_val_if_fail (UL_IS_CUSTOMER_PAGE (self), NULL);

  if (g_str_equal (name, "save"))
    return self->save_button;
  if (g_str_equal (name, "next"))
    return self->next_button;
  if (g_str_equal (name, "save-back"))
    return self->save_back_button;
  if (g_str_equal (name, "cancel"))
    return self->cancel_button;
  if (g_str_equal (name, "back"))
    return self->back_button;
  return NULL;
}

/* ---- the buttons ---- */

static void
on_step_busy (UlStepPage *step, GParamSpec *pspec, UlCustomerPage *self)
{
  update_buttons (self);
}

static void
on_step_changed (UlCustomerPage *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->steps_stack);

  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_func (self->watched, on_step_busy, self);
  self->watched = ul_customer_page_get_step (self, name);
  if (self->watched != NULL)
    g_signal_connect (self->watched, "notify::busy", G_CALLBACK (on_step_busy), self);
  update_buttons (self);
}

typedef enum
{
  THEN_STAY,
  THEN_NEXT,
  THEN_BACK,
} Then;

typedef struct
{
  UlCustomerPage *self;
  Then            then;
} SaveData;

static void
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SaveData *data = user_data;
  g_autoptr(UlCustomerPage) self = data->self;
  Then then = data->then;
  g_autoptr(GError) error = NULL;
  const char *next;

  g_free (data);

  update_buttons (self);
  /* What went wrong is already shown, under its field or in a toast. */
  if (!ul_step_page_save_finish (UL_STEP_PAGE (source), result, &error))
    return;

  switch (then)
    {
    case THEN_NEXT:
      next = next_step (self, ul_customer_page_get_visible_step (self));
      if (next != NULL)
        ul_customer_page_show_step (self, next);
      break;
    case THEN_BACK:
      ul_toast (GTK_WIDGET (self), "%s", _("Saved"));
      g_signal_emit (self, signals[SIGNAL_BACK], 0);
      break;
    case THEN_STAY:
    default:
      if (ul_step_page_can_save (UL_STEP_PAGE (source)))
        ul_toast (GTK_WIDGET (self), "%s", _("Saved"));
      break;
    }
}

static void
save (UlCustomerPage *self, Then then)
{
  UlStepPage *step = self->watched;
  SaveData *data;

  if (step == NULL || self->gateway == NULL)
    return;
  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->then = then;
  ul_step_page_save_async (step, self->cancellable, on_saved, data);
}

static void
on_save_clicked (UlCustomerPage *self)
{
  save (self, THEN_STAY);
}

static void
on_next_clicked (UlCustomerPage *self)
{
  save (self, THEN_NEXT);
}

static void
on_save_back_clicked (UlCustomerPage *self)
{
  save (self, THEN_BACK);
}

static void
on_cancel_clicked (UlCustomerPage *self)
{
  /* Discard: the step shows the stored values again next time. */
  if (self->watched != NULL)
    ul_step_page_reload (self->watched);
  g_signal_emit (self, signals[SIGNAL_BACK], 0);
}

static void
on_back_clicked (UlCustomerPage *self)
{
  g_signal_emit (self, signals[SIGNAL_BACK], 0);
}

static void
on_help_clicked (UlCustomerPage *self)
{
  int i = step_index (gtk_stack_get_visible_child_name (self->steps_stack));

  ul_help_show (GTK_WIDGET (self), i >= 0 ? step_info[i].help : NULL);
}

static void
on_retry_clicked (UlCustomerPage *self)
{
  if (self->gateway != NULL)
    ul_gateway_refresh (self->gateway);
}

static void
on_forget_response (AdwMessageDialog *dialog, const char *response, UlCustomerPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(UlGateway) gateway = NULL;

  if (!g_str_equal (response, "forget") || !UL_IS_WINDOW (root) || self->gateway == NULL)
    return;
  gateway = g_object_ref (self->gateway);
  ul_window_show_dashboard (UL_WINDOW (root));
  ul_gateway_list_forget (ul_window_get_gateways (UL_WINDOW (root)), gateway);
}

/* A gateway that is gone for good (replaced, reinstalled, scrapped) would otherwise stay
 * in the list as "Lost connection to gateway" for ever. Forgetting only touches the
 * dashboard: the gateway keeps its settings and can be added again by its address. */
static void
on_forget_clicked (UlCustomerPage *self)
{
  GtkWidget *dialog;

  if (self->gateway == NULL)
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Forget This Gateway?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” leaves your customer list and its password leaves "
                                    "the keyring. Nothing changes on the gateway itself: if it "
                                    "comes back, add it again by its address."),
                                  ul_gateway_get_title (self->gateway));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "forget", _("_Forget Gateway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "forget",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_forget_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_sign_in_clicked (UlCustomerPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (UL_IS_WINDOW (root) && self->gateway != NULL)
    ul_window_sign_in (UL_WINDOW (root), self->gateway);
}

static void
on_save_shortcut (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  UlCustomerPage *self = UL_CUSTOMER_PAGE (widget);

  if (gtk_widget_get_visible (self->save_button) && gtk_widget_get_sensitive (self->save_button))
    save (self, THEN_STAY);
}

static void
on_back_shortcut (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_BACK], 0);
}

/* ---- GObject ---- */

static void
ul_customer_page_dispose (GObject *object)
{
  UlCustomerPage *self = UL_CUSTOMER_PAGE (object);
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->gateway != NULL)
    g_signal_handlers_disconnect_by_data (self->gateway, self);
  g_clear_object (&self->gateway);
  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_func (self->watched, on_step_busy, self);
  self->watched = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), UL_TYPE_CUSTOMER_PAGE);
  /* The template's root box is not a bound child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ul_customer_page_parent_class)->dispose (object);
}

static void
ul_customer_page_class_init (UlCustomerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ul_customer_page_dispose;

  signals[SIGNAL_BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (UL_TYPE_STATUS_BUTTON);
  g_type_ensure (UL_TYPE_OVERVIEW_PAGE);
  g_type_ensure (UL_TYPE_CUSTOMER_INFO_PAGE);
  g_type_ensure (UL_TYPE_GATEWAY_SITE_PAGE);
  g_type_ensure (UL_TYPE_PBX_PAGE);
  g_type_ensure (UL_TYPE_CONNECT_PAGE);
  g_type_ensure (UL_TYPE_SYNC_PAGE);
  g_type_ensure (UL_TYPE_DEPLOYMENT_PAGE);
  g_type_ensure (UL_TYPE_ADVANCED_PAGE);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/uplink/Dashboard/ul-customer-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, status_bar);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, status_button);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, steps_stack);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, unreachable_page);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, next_button);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, save_back_button);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, pbx_stack_page);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, connect_stack_page);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, sync_stack_page);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, overview_step);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, customer_step);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, gateway_step);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, pbx_step);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, connect_step);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, sync_step);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, deployment_step);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerPage, advanced_step);
  gtk_widget_class_bind_template_callback (widget_class, on_step_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_help_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_forget_clicked);

  gtk_widget_class_install_action (widget_class, "customer.save", NULL, on_save_shortcut);
  gtk_widget_class_install_action (widget_class, "customer.back", NULL, on_back_shortcut);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "customer.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "customer.back", NULL);
}

static void
ul_customer_page_init (UlCustomerPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  on_step_changed (self);
}
