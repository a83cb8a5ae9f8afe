/* ul-customer-info-page.c — the Customer step: information, address, admin and support
 * contacts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "uplink-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "ul-choices.h"
#include "ul-form.h"
#include "ul-confirm-dialog.h"
#include "ul-contact-row.h"
#include "ul-customer-info-page.h"
#include "ul-customer.h"
#include "ul-error.h"
#include "ul-json.h"
#include "ul-validate.h"
#include "ul-window.h"

struct _UlCustomerInfoPage
{
  UlStepPage parent_instance;

  AdwPreferencesGroup *info_group;
  AdwActionRow        *account_row;
  AdwEntryRow         *name_row;
  AdwComboRow         *business_row;
  AdwComboRow         *language_row;
  AdwPreferencesGroup *address_group;
  AdwEntryRow         *street_row;
  AdwEntryRow         *city_row;
  AdwEntryRow         *region_row;
  AdwEntryRow         *postal_row;
  AdwActionRow        *country_row;
  GtkDropDown         *country_dropdown;
  AdwPreferencesGroup *admin_group;
  GtkListBox          *admin_list;
  AdwEntryRow         *admin_name_row;
  AdwEntryRow         *admin_email_row;
  AdwPreferencesGroup *support_group;
  GtkListBox          *support_list;
  AdwComboRow         *support_role_row;
  AdwEntryRow         *support_name_row;
  AdwEntryRow         *support_email_row;

  UlCustomer          *customer;  /* as stored, NULL before the first save */
  GPtrArray           *admins;    /* UlContact*, as edited */
  GPtrArray           *supports;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (UlCustomerInfoPage, ul_customer_info_page, UL_TYPE_STEP_PAGE)

/* ---- records ---- */

UlCustomer *
ul_customer_from_record (GVariant *record, GError **error)
{
  g_autoptr(UlCustomer) customer = ul_customer_new ();
  GVariantDict dict;
  const char *state;

  /* accountId and state are the gateway's: taken as they are, not applied as changes. */
  g_variant_dict_init (&dict, record);
  customer->account_id = g_strdup (ul_json_lookup_string (record, "accountId", NULL));
  state = ul_json_lookup_string (record, "state", "active");
  if (!ul_customer_state_from_string (state, &customer->state))
    customer->state = UL_CUSTOMER_STATE_ACTIVE;
  g_variant_dict_remove (&dict, "accountId");
  g_variant_dict_remove (&dict, "state");
  if (!ul_customer_apply (customer, g_variant_dict_end (&dict), error))
    return NULL;
  return g_steal_pointer (&customer);
}

static GVariant *
contacts_to_variant (GPtrArray *contacts, gboolean with_role)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));

  for (guint i = 0; i < contacts->len; i++)
    g_variant_builder_add_value (&builder,
                                 ul_contact_to_variant (g_ptr_array_index (contacts, i),
                                                        with_role));
  return g_variant_builder_end (&builder);
}

static void
add_string (GVariantBuilder *builder, const char *key, AdwEntryRow *row)
{
  g_autofree char *text = ul_form_entry_text (row);

  g_variant_builder_add (builder, "{sv}", key, g_variant_new_string (text));
}

/* The whole record as edited: the gateway merges it and validates it again. */
static GVariant *
build_changes (UlCustomerInfoPage *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_auto(GVariantBuilder) address = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  const char *business = ul_choices_get (G_OBJECT (self->business_row));
  const char *language = ul_choices_get (G_OBJECT (self->language_row));
  const char *country = ul_choices_get (G_OBJECT (self->country_dropdown));

  add_string (&builder, "name", self->name_row);
  g_variant_builder_add (&builder, "{sv}", "businessType",
                         g_variant_new_string (business != NULL ? business : ""));
  g_variant_builder_add (&builder, "{sv}", "language",
                         g_variant_new_string (language != NULL ? language : ""));
  add_string (&address, "street", self->street_row);
  add_string (&address, "city", self->city_row);
  add_string (&address, "region", self->region_row);
  add_string (&address, "postalCode", self->postal_row);
  g_variant_builder_add (&address, "{sv}", "country",
                         g_variant_new_string (country != NULL ? country : ""));
  g_variant_builder_add (&builder, "{sv}", "address", g_variant_builder_end (&address));
  g_variant_builder_add (&builder, "{sv}", "adminContacts",
                         contacts_to_variant (self->admins, FALSE));
  g_variant_builder_add (&builder, "{sv}", "supportContacts",
                         contacts_to_variant (self->supports, TRUE));
  return g_variant_builder_end (&builder);
}

/* ---- widgets ---- */

static void
remove_contact_rows (GtkListBox *list)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (UL_IS_CONTACT_ROW (child))
        gtk_list_box_remove (list, child);
      child = next;
    }
}

static void on_remove_admin (UlContactRow *row, UlCustomerInfoPage *self);
static void on_remove_support (UlContactRow *row, UlCustomerInfoPage *self);

static void
show_contacts (UlCustomerInfoPage *self)
{
  remove_contact_rows (self->admin_list);
  remove_contact_rows (self->support_list);

  /* Contacts first, the rows that add one after them. */
  for (guint i = 0; i < self->admins->len; i++)
    {
      UlContactRow *row = ul_contact_row_new (g_ptr_array_index (self->admins, i), FALSE);

      g_signal_connect (row, "remove", G_CALLBACK (on_remove_admin), self);
      gtk_list_box_insert (self->admin_list, GTK_WIDGET (row), (int) i);
    }
  for (guint i = 0; i < self->supports->len; i++)
    {
      UlContactRow *row = ul_contact_row_new (g_ptr_array_index (self->supports, i), TRUE);

      g_signal_connect (row, "remove", G_CALLBACK (on_remove_support), self);
      gtk_list_box_insert (self->support_list, GTK_WIDGET (row), (int) i);
    }
}

static void
copy_contacts (GPtrArray *to, GPtrArray *from)
{
  g_ptr_array_set_size (to, 0);
  for (guint i = 0; from != NULL && i < from->len; i++)
    g_ptr_array_add (to, ul_contact_copy (g_ptr_array_index (from, i)));
}

static void
show_customer (UlCustomerInfoPage *self, UlCustomer *customer)
{
  g_clear_pointer (&self->customer, ul_customer_free);
  self->customer = customer;

  adw_action_row_set_subtitle (self->account_row,
                               customer != NULL && customer->account_id != NULL
                                 ? customer->account_id
                                 : _("Assigned by the gateway when you first save"));
  ul_form_set_entry_text (self->name_row, customer != NULL ? customer->name : NULL);
  ul_choices_set (G_OBJECT (self->business_row),
                  customer != NULL ? customer->business_type : NULL);
  ul_choices_set (G_OBJECT (self->language_row), customer != NULL ? customer->language : "en");
  ul_form_set_entry_text (self->street_row, customer != NULL ? customer->address->street : NULL);
  ul_form_set_entry_text (self->city_row, customer != NULL ? customer->address->city : NULL);
  ul_form_set_entry_text (self->region_row, customer != NULL ? customer->address->region : NULL);
  ul_form_set_entry_text (self->postal_row, customer != NULL ? customer->address->postal_code : NULL);
  ul_choices_set (G_OBJECT (self->country_dropdown),
                  customer != NULL ? customer->address->country : NULL);
  copy_contacts (self->admins, customer != NULL ? customer->admin_contacts : NULL);
  copy_contacts (self->supports, customer != NULL ? customer->support_contacts : NULL);
  show_contacts (self);
}

/* ---- load ---- */

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlCustomerInfoPage) self = UL_CUSTOMER_INFO_PAGE (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  UlCustomer *customer;

  /* A newer load or a change came since: this answer is outdated. */
  if (ul_step_page_load_is_stale (UL_STEP_PAGE (self), result))
    return;

  if (record == NULL)
    {
      if (g_error_matches (error, UL_ERROR, UL_ERROR_NOT_FOUND))
        {
          /* A new customer: nothing saved yet. */
          show_customer (self, NULL);
          ul_step_page_set_loaded (UL_STEP_PAGE (self), TRUE);
        }
      else
        ul_step_page_report_error (UL_STEP_PAGE (self), error);
      return;
    }

  customer = ul_customer_from_record (record, &error);
  if (customer == NULL)
    {
      ul_step_page_report_error (UL_STEP_PAGE (self), error);
      return;
    }
  show_customer (self, customer);
  ul_step_page_set_loaded (UL_STEP_PAGE (self), TRUE);
}

static void
ul_customer_info_page_load (UlStepPage *page)
{
  UlCustomerInfoPage *self = UL_CUSTOMER_INFO_PAGE (page);

  ul_gateway_call_async (ul_step_page_get_gateway (page), UL_API_OP_GET_CUSTOMER, NULL, NULL,
                         ul_step_page_get_load_cancellable (page), on_loaded, g_object_ref (self));
}

/* ---- validation ---- */

static gboolean
check (UlCustomerInfoPage *self, gboolean ok, GError **error)
{
  if (!ok)
    {
      ul_form_show_error (ul_step_page_get_form (UL_STEP_PAGE (self)), *error);
      g_clear_error (error);
    }
  return ok;
}

/* Every field on its own first, so that all mistakes show at once; then the record as a
 * whole (the rules that span fields, such as "one maintainer and one onsite admin"). */
static gboolean
validate (UlCustomerInfoPage *self, GVariant *changes, GError **error)
{
  UlForm *form = ul_step_page_get_form (UL_STEP_PAGE (self));
  g_autoptr(UlCustomer) candidate = self->customer != NULL ? ul_customer_copy (self->customer)
                                                           : ul_customer_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *name = ul_form_entry_text (self->name_row);

  check (self, ul_validate_text (name, UL_TEXT_MAX, "name", &local), &local);
  check (self, ul_validate_business_type (ul_choices_get (G_OBJECT (self->business_row)),
                                          "businessType", &local), &local);
  check (self, ul_validate_language (ul_choices_get (G_OBJECT (self->language_row)), "language",
                                     &local), &local);

  if (!ul_customer_apply (candidate, changes, &local))
    check (self, FALSE, &local);
  else
    {
      if (!ul_address_validate (candidate->address, &local))
        {
          ul_error_prefix_field (&local, "address");
          check (self, FALSE, &local);
        }
      if (ul_form_get_n_errors (form) == 0 && !ul_customer_validate (candidate, &local))
        check (self, FALSE, &local);
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

/* ---- save ---- */

static void
on_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  UlCustomerInfoPage *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  UlCustomer *customer;

  if (record == NULL)
    {
      ul_step_page_return_error (UL_STEP_PAGE (self), task, error);
      return;
    }
  customer = ul_customer_from_record (record, &error);
  if (customer == NULL)
    {
      ul_step_page_return_error (UL_STEP_PAGE (self), task, error);
      return;
    }
  show_customer (self, customer);
  g_task_return_boolean (task, TRUE);
}

static void
ul_customer_info_page_save_async (UlStepPage         *page,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  UlCustomerInfoPage *self = UL_CUSTOMER_INFO_PAGE (page);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GVariant) changes = g_variant_ref_sink (build_changes (self));
  GError *error = NULL;

  g_task_set_source_tag (task, ul_customer_info_page_save_async);
  if (!validate (self, changes, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  ul_gateway_call_async (ul_step_page_get_gateway (page), UL_API_OP_UPDATE_CUSTOMER, NULL,
                         changes, cancellable, on_saved, g_steal_pointer (&task));
}

static gboolean
ul_customer_info_page_save_finish (UlStepPage *page, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- contacts ---- */

static gboolean
validate_new_contact (UlCustomerInfoPage *self,
                      GPtrArray          *existing,
                      UlContact          *contact,
                      const char         *prefix)
{
  UlForm *form = ul_step_page_get_form (UL_STEP_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_autofree char *name_field = g_strconcat (prefix, ".name", NULL);
  g_autofree char *email_field = g_strconcat (prefix, ".email", NULL);

  ul_form_clear (form);
  if (!ul_validate_text (contact->name, UL_TEXT_MAX, name_field, &error))
    {
      ul_form_show_error (form, error);
      g_clear_error (&error);
    }
  if (!ul_validate_email (contact->email, email_field, &error))
    {
      ul_form_show_error (form, error);
      g_clear_error (&error);
    }
  for (guint i = 0; ul_form_get_n_errors (form) == 0 && i < existing->len; i++)
    {
      UlContact *other = g_ptr_array_index (existing, i);

      if (other->role == contact->role && ul_email_equal (other->email, contact->email))
        ul_form_show (form, email_field,
                      contact->role == UL_SUPPORT_ROLE_UNKNOWN
                        ? _("This e-mail address is already an admin contact")
                        : _("This person is already a support contact with the same role"));
    }
  return ul_form_get_n_errors (form) == 0;
}

static void
on_add_admin (UlCustomerInfoPage *self)
{
  g_autofree char *name = ul_form_entry_text (self->admin_name_row);
  g_autofree char *email = ul_form_entry_text (self->admin_email_row);
  g_autoptr(UlContact) contact = ul_contact_new (UL_SUPPORT_ROLE_UNKNOWN, name, email);

  if (!validate_new_contact (self, self->admins, contact, "newAdmin"))
    return;
  g_ptr_array_add (self->admins, g_steal_pointer (&contact));
  ul_form_set_entry_text (self->admin_name_row, NULL);
  ul_form_set_entry_text (self->admin_email_row, NULL);
  show_contacts (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->admin_name_row));
}

static void
on_add_support (UlCustomerInfoPage *self)
{
  g_autofree char *name = ul_form_entry_text (self->support_name_row);
  g_autofree char *email = ul_form_entry_text (self->support_email_row);
  UlSupportRole role = ul_support_role_from_string (
    ul_choices_get (G_OBJECT (self->support_role_row)));
  g_autoptr(UlContact) contact = ul_contact_new (role, name, email);

  if (!validate_new_contact (self, self->supports, contact, "newSupport"))
    return;
  g_ptr_array_add (self->supports, g_steal_pointer (&contact));
  ul_form_set_entry_text (self->support_name_row, NULL);
  ul_form_set_entry_text (self->support_email_row, NULL);
  show_contacts (self);
}

static void
remove_from (GPtrArray *contacts, const UlContact *contact)
{
  for (guint i = 0; i < contacts->len; i++)
    if (ul_contact_equal (g_ptr_array_index (contacts, i), contact))
      {
        g_ptr_array_remove_index (contacts, i);
        return;
      }
}

static void
on_admin_removed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(UlCustomerInfoPage) self = UL_CUSTOMER_INFO_PAGE (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) record = ul_gateway_call_finish (UL_GATEWAY (source), result, &error);
  g_autoptr(UlCustomer) stored = NULL;

  ul_step_page_set_busy (UL_STEP_PAGE (self), FALSE);
  if (record == NULL || (stored = ul_customer_from_record (record, &error)) == NULL)
    {
      ul_toast (GTK_WIDGET (self), _("The admin contact could not be removed: %s"),
                error->message);
      return;
    }

  /* Keep what the partner is editing; take over the stored admin list. */
  copy_contacts (self->admins, stored->admin_contacts);
  g_clear_pointer (&self->customer, ul_customer_free);
  self->customer = g_steal_pointer (&stored);
  show_contacts (self);
  ul_toast (GTK_WIDGET (self), "%s", _("The admin contact was removed"));
}

static void
on_remove_confirmed (UlConfirmDialog *dialog, const char *typed, UlCustomerInfoPage *self)
{
  const UlContact *contact = g_object_get_data (G_OBJECT (dialog), "contact");
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  g_variant_builder_add (&builder, "{sv}", "confirm", g_variant_new_string (typed));
  ul_step_page_cancel_load (UL_STEP_PAGE (self));
  ul_step_page_set_busy (UL_STEP_PAGE (self), TRUE);
  ul_gateway_call_async (ul_step_page_get_gateway (UL_STEP_PAGE (self)),
                         UL_API_OP_REMOVE_ADMIN_CONTACT, contact->email,
                         g_variant_builder_end (&builder), self->cancellable, on_admin_removed,
                         g_object_ref (self));
}

static void
on_remove_admin (UlContactRow *row, UlCustomerInfoPage *self)
{
  const UlContact *contact = ul_contact_row_get_contact (row);
  g_autofree char *body = NULL;
  g_autofree char *name = NULL;
  UlConfirmDialog *dialog;

  /* Added here and not saved yet: nothing to take away on the gateway. */
  if (self->customer == NULL || ul_customer_find_admin (self->customer, contact->email) < 0)
    {
      remove_from (self->admins, contact);
      show_contacts (self);
      return;
    }

  name = g_markup_escape_text (contact->name != NULL ? contact->name : contact->email, -1);
  body = g_strdup_printf (_("<b>%s</b> loses every login and administrator privilege in the "
                            "apps for good. To get them back, they sign up as a user and "
                            "another administrator grants the rights again.\n\nType "
                            "<b>remove</b> to confirm."),
                          name);
  dialog = ul_confirm_dialog_new (GTK_WIDGET (self), _("Remove Admin?"), body, "remove",
                                  _("_Remove Admin"));
  g_object_set_data_full (G_OBJECT (dialog), "contact", ul_contact_copy (contact),
                          (GDestroyNotify) ul_contact_free);
  g_signal_connect_object (dialog, "confirmed", G_CALLBACK (on_remove_confirmed), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_remove_support (UlContactRow *row, UlCustomerInfoPage *self)
{
  /* Kept until Save, which checks that a maintainer and an onsite admin remain. */
  remove_from (self->supports, ul_contact_row_get_contact (row));
  show_contacts (self);
}

/* ---- GObject ---- */

static void
ul_customer_info_page_dispose (GObject *object)
{
  UlCustomerInfoPage *self = UL_CUSTOMER_INFO_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), UL_TYPE_CUSTOMER_INFO_PAGE);

  G_OBJECT_CLASS (ul_customer_info_page_parent_class)->dispose (object);
}

static void
ul_customer_info_page_finalize (GObject *object)
{
  UlCustomerInfoPage *self = UL_CUSTOMER_INFO_PAGE (object);

  g_clear_pointer (&self->customer, ul_customer_free);
  g_ptr_array_unref (self->admins);
  g_ptr_array_unref (self->supports);

  G_OBJECT_CLASS (ul_customer_info_page_parent_class)->finalize (object);
}

static void
ul_customer_info_page_class_init (UlCustomerInfoPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  UlStepPageClass *page_class = UL_STEP_PAGE_CLASS (klass);

  object_class->dispose = ul_customer_info_page_dispose;
  object_class->finalize = ul_customer_info_page_finalize;
  page_class->load = ul_customer_info_page_load;
  page_class->save_async = ul_customer_info_page_save_async;
  page_class->save_finish = ul_customer_info_page_save_finish;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/uplink/Dashboard/ul-customer-info-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, info_group);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, account_row);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, business_row);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, language_row);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, address_group);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, street_row);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, city_row);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, region_row);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, postal_row);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, country_row);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, country_dropdown);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, admin_group);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, admin_list);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, admin_name_row);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, admin_email_row);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, support_group);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, support_list);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, support_role_row);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, support_name_row);
  gtk_widget_class_bind_template_child (widget_class, UlCustomerInfoPage, support_email_row);
  gtk_widget_class_bind_template_callback (widget_class, on_add_admin);
  gtk_widget_class_bind_template_callback (widget_class, on_add_support);
}

static void
ul_customer_info_page_init (UlCustomerInfoPage *self)
{
  UlForm *form;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->admins = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_contact_free);
  self->supports = g_ptr_array_new_with_free_func ((GDestroyNotify) ul_contact_free);

  ul_choices_setup (G_OBJECT (self->business_row), UL_CHOICES_BUSINESS_TYPE);
  ul_choices_setup (G_OBJECT (self->language_row), UL_CHOICES_LANGUAGE);
  ul_choices_setup (G_OBJECT (self->country_dropdown), UL_CHOICES_COUNTRY);
  ul_choices_setup (G_OBJECT (self->support_role_row), UL_CHOICES_SUPPORT_ROLE);

  form = ul_step_page_get_form (UL_STEP_PAGE (self));
  ul_form_add (form, "accountId", GTK_WIDGET (self->account_row));
  ul_form_add (form, "name", GTK_WIDGET (self->name_row));
  ul_form_add (form, "businessType", GTK_WIDGET (self->business_row));
  ul_form_add (form, "language", GTK_WIDGET (self->language_row));
  ul_form_add (form, "address", GTK_WIDGET (self->address_group));
  ul_form_add (form, "address.street", GTK_WIDGET (self->street_row));
  ul_form_add (form, "address.city", GTK_WIDGET (self->city_row));
  ul_form_add (form, "address.region", GTK_WIDGET (self->region_row));
  ul_form_add (form, "address.postalCode", GTK_WIDGET (self->postal_row));
  ul_form_add (form, "address.country", GTK_WIDGET (self->country_row));
  ul_form_add (form, "adminContacts", GTK_WIDGET (self->admin_group));
  ul_form_add (form, "supportContacts", GTK_WIDGET (self->support_group));
  ul_form_add (form, "newAdmin.name", GTK_WIDGET (self->admin_name_row));
  ul_form_add (form, "newAdmin.email", GTK_WIDGET (self->admin_email_row));
  ul_form_add (form, "newSupport.name", GTK_WIDGET (self->support_name_row));
  ul_form_add (form, "newSupport.email", GTK_WIDGET (self->support_email_row));
  show_customer (self, NULL);
}

GtkWidget *
ul_customer_info_page_new (void)
{
  return g_object_new (UL_TYPE_CUSTOMER_INFO_PAGE, NULL);
}
