/* ul-gateway-site-page.c — the Gateway step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-choices.h"
#include "ul-form.h"
#include "ul-error.h"
#include "ul-gateway-site-page.h"
#include "ul-json.h"
#include "ul-site.h"
#include "ul-validate.h"

struct _UlGatewaySitePage
{
  UlStepPage parent_instance;

  AdwPreferencesGroup *site_group;
  AdwEntryRow         *name_row;
  AdwComboRow         *platform_row;
  AdwEntryRow         *street_row;
  AdwEntryRow         *city_row;
  AdwEntryRow         *region_row;
  AdwEntryRow         *postal_row;
  AdwActionRow        *country_row;
  GtkDropDown         *country_dropdown;
  AdwPreferencesGroup *ethernet_group;
  AdwComboRow         *method_row;
  AdwEntryRow         *address_row;
  AdwEntryRow         *netmask_row;
  AdwEntryRow         *gateway_row;
  AdwEntryRow         *dns_row;

  UlSite              *site;  /* as stored, NULL before the first save */
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (UlGatewaySitePage, ul_gateway_site_page, UL_TYPE_STEP_PAGE)

static gboolean
is_smbc (UlGatewaySitePage *self)
{
  return g_strcmp0 (ul_choices_get (G_OBJECT (self->platform_row)), "smbc") == 0;
}

static gboolean
is_static (UlGatewaySitePage *self)
{
  return g_strcmp0 (ul_choices_get (G_OBJECT (self->method_row)), "static") == 0;
}

/* SMBC gateways live in the SMB Controller: no Ethernet of their own. */
static void
update_visibility (UlGatewaySitePage *self)
{
  gboolean fixed = is_static (self);

  gtk_widget_set_visible (GTK_WIDGET (self->ethernet_group), !is_smbc (self));
  gtk_widget_set_visible (GTK_WIDGET (self->address_row), fixed);
  gtk_widget_set_visible (GTK_WIDGET (self->netmask_row), fixed);
  gtk_widget_set_visible (GTK_WIDGET (self->gateway_row), fixed);
  gtk_widget_set_visible (GTK_WIDGET (self->dns_row), fixed);
}

static void
show_address (UlGatewaySitePage *self, const UlAddress *address)
{
  ul_form_set_entry_text (self->street_row, address != NULL ? address->street : NULL);
  ul_form_set_entry_text (self->city_row, address != NULL ? address->city : NULL);
  ul_form_set_entry_text (self->region_row, address != NULL ? address->region : NULL);
  ul_form_set_entry_text (self->postal_row, address != NULL ? address->postal_code : NULL);
  ul_choices_set (G_OBJECT (self->country_dropdown), address != NULL ? address->country : NULL);
}

static void
show_site (UlGatewaySitePage *self, UlSite *site)
{
  g_autofree char *dns = NULL;

  g_clear_pointer (&self->site, ul_site_free);
  self->site = site;
  if (site == NULL)
    return;

  ul_form_set_entry_text (self->name_row, site->name);
  ul_choices_set (G_OBJECT (self->platform_row),
                  site->platform != UL_PLATFORM_UNKNOWN ? ul_platform_to_string (site->platform)
                                                        : "standalone");
  show_address (self, site->address);
  ul_choices_set (G_OBJECT (self->method_row),
                  site->ethernet.method == UL_ETHERNET_STATIC ? "static" : "dhcp");
  ul_form_set_entry_text (self->address_row, site->ethernet.address);
  ul_form_set_entry_text (self->netmask_row, site->ethernet.netmask);
  ul_form_set_entry_text (self->gateway_row, site->ethernet.gateway);
  dns = site->ethernet.dns != NULL ? g_strjoinv (", ", site->ethernet.dns) : NULL;
  ul_form_set_entry_text (self->dns_row, dns);
  update_visibility (self);
}

/* ---- load ---- */

static void
on_customer_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlGatewaySitePage) self = UL_GATEWAY_SITE_PAGE (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) customer = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  g_autoptr(GVariant) address = ul_json_lookup_dict (customer, "address");
  g_autoptr(UlAddress) parsed = ul_address_new ();

  /* A newer load or a change came since: this answer is outdated. */
  if (ul_step_page_load_is_stale (UL_STEP_PAGE (self), result))
    return;

  /* A new site starts at the customer's address (seed: "populated by default"). */
  if (address != NULL && ul_address_apply (parsed, address, NULL))
    show_address (self, parsed);
  ul_step_page_set_loaded (UL_STEP_PAGE (self), TRUE);
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlGatewaySitePage) self = UL_GATEWAY_SITE_PAGE (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  g_autoptr(UlSite) site = NULL;

  /* A newer load or a change came since: this answer is outdated. */
  if (ul_step_page_load_is_stale (UL_STEP_PAGE (self), result))
    return;

  if (record == NULL)
    {
      if (!g_error_matches (error, UL_ERROR, UL_ERROR_NOT_FOUND))
        {
          ul_step_page_report_error (UL_STEP_PAGE (self), error);
          return;
        }
      g_clear_pointer (&self->site, ul_site_free);
      ul_form_set_entry_text (self->name_row, NULL);
      ul_choices_set (G_OBJECT (self->platform_row), "standalone");
      ul_choices_set (G_OBJECT (self->method_row), "dhcp");
      update_visibility (self);
      ul_gateway_call_async (UL_GATEWAY (source), UL_API_OP_GET_CUSTOMER, NULL, NULL,
                             ul_step_page_get_load_cancellable (UL_STEP_PAGE (self)),
                             on_customer_loaded, g_object_ref (self));
      return;
    }

  site = ul_site_new ();
  if (!ul_site_apply (site, record, &error))
    {
      ul_step_page_report_error (UL_STEP_PAGE (self), error);
      return;
    }
  show_site (self, g_steal_pointer (&site));
  ul_step_page_set_loaded (UL_STEP_PAGE (self), TRUE);
}

static void
ul_gateway_site_page_load (UlStepPage *page)
{
  UlGatewaySitePage *self = UL_GATEWAY_SITE_PAGE (page);

  ul_gateway_call_async (ul_step_page_get_gateway (page), UL_API_OP_GET_SITE, NULL, NULL,
                         ul_step_page_get_load_cancellable (page), on_loaded, g_object_ref (self));
}

/* ---- save ---- */

static void
add_string (GVariantBuilder *builder, const char *key, AdwEntryRow *row)
{
  g_autofree char *text = ul_form_entry_text (row);

  g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (text));
}

static GStrv
split_dns (AdwEntryRow *row)
{
  g_autofree char *text = ul_form_entry_text (row);
  g_auto(GStrv) parts = g_strsplit_set (text, ", ;", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

static GVariant *
build_changes (UlGatewaySitePage *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_auto(GVariantBuilder) address = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_auto(GVariantBuilder) ethernet = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  const char *platform = ul_choices_get (G_OBJECT (self->platform_row));
  const char *country = ul_choices_get (G_OBJECT (self->country_dropdown));

  add_string (&builder, "name", self->name_row);
  g_variant_builder_add (&builder, "{sv}", "platform",
                         g_variant_new_string (platform != NULL ? platform : ""));
  add_string (&address, "street", self->street_row);
  add_string (&address, "city", self->city_row);
  add_string (&address, "region", self->region_row);
  add_string (&address, "postalCode", self->postal_row);
  g_variant_builder_add (&address, "{sv}", "country",
                         g_variant_new_string (country != NULL ? country : ""));
  g_variant_builder_add (&builder, "{sv}", "address", g_variant_builder_end (&address));

  if (!is_smbc (self))
    {
      g_variant_builder_add (&ethernet, "{sv}", "method",
                             g_variant_new_string (is_static (self) ? "static" : "dhcp"));
      if (is_static (self))
        {
          g_auto(GStrv) dns = split_dns (self->dns_row);

          add_string (&ethernet, "address", self->address_row);
          add_string (&ethernet, "netmask", self->netmask_row);
          add_string (&ethernet, "gateway", self->gateway_row);
          g_variant_builder_add (&ethernet, "{sv}", "dns",
                                 g_variant_new_strv ((const char * const *) dns, -1));
        }
    }
  /* {} clears the Ethernet settings, as an SMBC site needs. */
  g_variant_builder_add (&builder, "{sv}", "ethernet", g_variant_builder_end (&ethernet));
  return g_variant_builder_end (&builder);
}

static void
show (UlForm *form, GError **error)
{
  ul_form_show_error (form, *error);
  g_clear_error (error);
}

static gboolean
validate (UlGatewaySitePage *self, GVariant *changes, GError **error)
{
  UlForm *form = ul_step_page_get_form (UL_STEP_PAGE (self));
  g_autoptr(UlSite) candidate = self->site != NULL ? ul_site_copy (self->site) : ul_site_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *name = ul_form_entry_text (self->name_row);

  if (!ul_validate_text (name, UL_TEXT_MAX, "name", &local))
    show (form, &local);

  if (!ul_site_apply (candidate, changes, &local))
    show (form, &local);
  else
    {
      if (!ul_address_validate (candidate->address, &local))
        {
          ul_error_prefix_field (&local, "address");
          show (form, &local);
        }
      if (candidate->ethernet.method == UL_ETHERNET_STATIC &&
          !ul_validate_static_ipv4 (candidate->ethernet.address, candidate->ethernet.netmask,
                                    candidate->ethernet.gateway,
                                    (const char * const *) candidate->ethernet.dns, "ethernet",
                                    &local))
        show (form, &local);
      if (ul_form_get_n_errors (form) == 0 && !ul_site_validate (candidate, &local))
        show (form, &local);
    }

  if (ul_form_get_n_errors (form) > 0)
    {
      ul_form_focus_first (form);
      g_set_error_literal (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT,
                           _("Some fields need your attention"));
      return FALSE;
    }
  return TRUE;
}

static void
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  UlGatewaySitePage *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  g_autoptr(UlSite) site = NULL;

  if (record == NULL)
    {
      ul_step_page_return_error (UL_STEP_PAGE (self), task, error);
      return;
    }
  site = ul_site_new ();
  if (ul_site_apply (site, record, NULL))
    show_site (self, g_steal_pointer (&site));
  g_task_return_boolean (task, TRUE);
}

static void
ul_gateway_site_page_save_async (UlStepPage         *page,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  UlGatewaySitePage *self = UL_GATEWAY_SITE_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GVariant) changes = g_variant_ref_sink (build_changes (self));
  GError *error = NULL;

  g_task_set_source_tag (task, ul_gateway_site_page_save_async);
  if (!validate (self, changes, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  ul_gateway_call_async (ul_step_page_get_gateway (page), UL_API_OP_UPDATE_SITE, NULL, changes,
                         cancellable, on_saved, g_steal_pointer (&task));
}

static gboolean
ul_gateway_site_page_save_finish (UlStepPage *page, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ---- */

static void
ul_gateway_site_page_dispose (GObject *object)
{
  UlGatewaySitePage *self = UL_GATEWAY_SITE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->site, ul_site_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), UL_TYPE_GATEWAY_SITE_PAGE);

  G_OBJECT_CLASS (ul_gateway_site_page_parent_class)->dispose (object);
}

static void
ul_gateway_site_page_class_init (UlGatewaySitePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  UlStepPageClass *page_class = UL_STEP_PAGE_CLASS (klass);

  object_class->dispose = ul_gateway_site_page_dispose;
  page_class->load = ul_gateway_site_page_load;
  page_class->save_async = ul_gateway_site_page_save_async;
  page_class->save_finish = ul_gateway_site_page_save_finish;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/uplink/Dashboard/ul-gateway-site-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, site_group);
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, name_row);
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, platform_row);
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, street_row);
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, city_row);
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, region_row);
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, postal_row);
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, country_row);
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, country_dropdown);
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, ethernet_group);
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, method_row);
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, address_row);
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, netmask_row);
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, gateway_row);
  gtk_widget_class_bind_template_child (widget_class, UlGatewaySitePage, dns_row);
}

static void
ul_gateway_site_page_init (UlGatewaySitePage *self)
{
  UlForm *form;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  ul_choices_setup (G_OBJECT (self->platform_row), UL_CHOICES_PLATFORM);
  ul_choices_setup (G_OBJECT (self->method_row), UL_CHOICES_ETHERNET);
  ul_choices_setup (G_OBJECT (self->country_dropdown), UL_CHOICES_COUNTRY);
  g_signal_connect_swapped (self->platform_row, "notify::selected",
                            G_CALLBACK (update_visibility), self);
  g_signal_connect_swapped (self->method_row, "notify::selected",
                            G_CALLBACK (update_visibility), self);

  form = ul_step_page_get_form (UL_STEP_PAGE (self));
  ul_form_add (form, "name", GTK_WIDGET (self->name_row));
  ul_form_add (form, "platform", GTK_WIDGET (self->platform_row));
  ul_form_add (form, "address", GTK_WIDGET (self->site_group));
  ul_form_add (form, "address.street", GTK_WIDGET (self->street_row));
  ul_form_add (form, "address.city", GTK_WIDGET (self->city_row));
  ul_form_add (form, "address.region", GTK_WIDGET (self->region_row));
  ul_form_add (form, "address.postalCode", GTK_WIDGET (self->postal_row));
  ul_form_add (form, "address.country", GTK_WIDGET (self->country_row));
  ul_form_add (form, "ethernet", GTK_WIDGET (self->method_row));
  ul_form_add (form, "ethernet.method", GTK_WIDGET (self->method_row));
  ul_form_add (form, "ethernet.address", GTK_WIDGET (self->address_row));
  ul_form_add (form, "ethernet.netmask", GTK_WIDGET (self->netmask_row));
  ul_form_add (form, "ethernet.gateway", GTK_WIDGET (self->gateway_row));
  ul_form_add (form, "ethernet.dns", GTK_WIDGET (self->dns_row));
  ul_choices_set (G_OBJECT (self->platform_row), "standalone");
  ul_choices_set (G_OBJECT (self->method_row), "dhcp");
  update_visibility (self);
}

GtkWidget *
ul_gateway_site_page_new (void)
{
  return g_object_new (UL_TYPE_GATEWAY_SITE_PAGE, NULL);
}
