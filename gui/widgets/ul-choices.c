/* ul-choices.c — the fixed lists of the forms, with translated labels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ul-choices.h"
#include "ul-validate.h"

#define ISO_CODES_JSON "/usr/share/iso-codes/json/iso_3166-1.json"
#define ISO_CODES_DOMAIN "iso_3166-1"
#define IDS_KEY "ul-choices-ids"

typedef struct
{
  char *id;
  char *label;
  char *key;  /* collation key */
} Choice;

static void
choice_clear (Choice *choice)
{
  g_free (choice->id);
  g_free (choice->label);
  g_free (choice->key);
}

static int
compare_choices (gconstpointer a, gconstpointer b)
{
  return strcmp (((const Choice *) a)->key, ((const Choice *) b)->key);
}

/* Country names from iso-codes (the names every GNOME app shows, translated in the
 * iso_3166-1 domain); the code itself where iso-codes is missing. */
static GHashTable *
iso_country_names (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonNode *root;
  JsonObject *object;
  JsonArray *list;

  if (!json_parser_load_from_file (parser, ISO_CODES_JSON, NULL))
    return names;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return names;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "3166-1") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "3166-1")))
    return names;

  list = json_object_get_array_member (object, "3166-1");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *entry;
      const char *code;
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      code = json_object_get_string_member_with_default (entry, "alpha_2", NULL);
      name = json_object_get_string_member_with_default (
        entry, "common_name", json_object_get_string_member_with_default (entry, "name", NULL));
      if (code != NULL && name != NULL)
        g_hash_table_insert (names, g_strdup (code),
                             g_strdup (g_dgettext (ISO_CODES_DOMAIN, name)));
    }
  return names;
}

static const char *
language_label (const char *code)
{
  /* Each language in its own words, as language pickers do. */
  static const struct { const char *code; const char *name; } names[] = {
    { "en", "English" }, { "de", "Deutsch" }, { "fr", "Français" }, { "it", "Italiano" },
    { "es", "Español" }, { "nl", "Nederlands" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i].code, code))
      return names[i].name;
  return code;
}

static GArray *
build_choices (UlChoices kind)
{
  GArray *choices = g_array_new (FALSE, TRUE, sizeof (Choice));
  const char * const *ids = NULL;

  g_array_set_clear_func (choices, (GDestroyNotify) choice_clear);

#define ADD(i, l)                                   \
  G_STMT_START {                                    \
    Choice c = { g_strdup (i), g_strdup (l), NULL }; \
    g_array_append_val (choices, c);                 \
  } G_STMT_END

  switch (kind)
    {
    case UL_CHOICES_COUNTRY:
      {
        g_autoptr(GHashTable) names = iso_country_names ();

        ids = ul_country_codes ();
        for (guint i = 0; ids[i] != NULL; i++)
          {
            const char *name = g_hash_table_lookup (names, ids[i]);

            ADD (ids[i], name != NULL ? name : ids[i]);
          }
        for (guint i = 0; i < choices->len; i++)
          {
            Choice *c = &g_array_index (choices, Choice, i);

            c->key = g_utf8_collate_key (c->label, -1);
          }
        g_array_sort (choices, compare_choices);
        break;
      }
    case UL_CHOICES_BUSINESS_TYPE:
      ids = ul_business_types ();
      for (guint i = 0; ids[i] != NULL; i++)
        ADD (ids[i], ul_business_type_label (ids[i]));
      break;
    case UL_CHOICES_LANGUAGE:
      ids = ul_languages ();
      for (guint i = 0; ids[i] != NULL; i++)
        ADD (ids[i], language_label (ids[i]));
      break;
    case UL_CHOICES_PLATFORM:
      ADD ("standalone", _("Standalone (external gateway appliance)"));
      ADD ("smbc", _("SMBC (gateway embedded in the SMB Controller)"));
      ADD ("virtual", _("Virtual appliance (VMware)"));
      break;
    case UL_CHOICES_SUPPORT_ROLE:
      ADD ("maintainer", _("Maintainer"));
      ADD ("onsiteAdmin", _("Onsite Admin"));
      ADD ("other", _("Other"));
      break;
    case UL_CHOICES_ETHERNET:
      ADD ("dhcp", _("DHCP"));
      ADD ("static", _("Static"));
      break;
    case UL_CHOICES_DIRECTORY:
      ADD ("csv", _("CSV export of the PBX’s users"));
      ADD ("ldap", _("LDAP directory"));
      break;
    case UL_CHOICES_SMTP_SECURITY:
      ADD ("starttls", _("STARTTLS (port 587)"));
      ADD ("tls", _("TLS (port 465)"));
      ADD ("none", _("None (trusted network only)"));
      break;
    default:
      g_assert_not_reached ();
    }
#undef ADD

  return choices;
}

void
ul_choices_setup (GObject *dropdown, UlChoices kind)
{
  /* Built once: the country list reads and sorts iso-codes, and the customer page has
   * four country choosers. */
  static GArray *cache[UL_CHOICES_SMTP_SECURITY + 1];
  g_autoptr(GArray) choices = NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  if (cache[kind] == NULL)
    cache[kind] = build_choices (kind);
  choices = g_array_ref (cache[kind]);
  for (guint i = 0; i < choices->len; i++)
    {
      Choice *c = &g_array_index (choices, Choice, i);

      gtk_string_list_append (labels, c->label);
      g_ptr_array_add (ids, g_strdup (c->id));
    }
  g_object_set_data_full (dropdown, IDS_KEY, ids, (GDestroyNotify) g_ptr_array_unref);

  if (GTK_IS_DROP_DOWN (dropdown))
    {
      g_autoptr(GtkExpression) expression =
        gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

      gtk_drop_down_set_expression (GTK_DROP_DOWN (dropdown), expression);
      gtk_drop_down_set_model (GTK_DROP_DOWN (dropdown), G_LIST_MODEL (labels));
      gtk_drop_down_set_enable_search (GTK_DROP_DOWN (dropdown), kind == UL_CHOICES_COUNTRY);
    }
  else
    adw_combo_row_set_model (ADW_COMBO_ROW (dropdown), G_LIST_MODEL (labels));
}

static guint
get_selected (GObject *dropdown)
{
  return GTK_IS_DROP_DOWN (dropdown) ? gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown))
                                     : adw_combo_row_get_selected (ADW_COMBO_ROW (dropdown));
}

static void
set_selected (GObject *dropdown, guint position)
{
  if (GTK_IS_DROP_DOWN (dropdown))
    gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), position);
  else
    adw_combo_row_set_selected (ADW_COMBO_ROW (dropdown), position);
}

const char *
ul_choices_get (GObject *dropdown)
{
  GPtrArray *ids = g_object_get_data (dropdown, IDS_KEY);
  guint position = get_selected (dropdown);

  if (ids == NULL || position == GTK_INVALID_LIST_POSITION || position >= ids->len)
    return NULL;
  return g_ptr_array_index (ids, position);
}

gboolean
ul_choices_set (GObject *dropdown, const char *id)
{
  GPtrArray *ids = g_object_get_data (dropdown, IDS_KEY);

  for (guint i = 0; ids != NULL && id != NULL && i < ids->len; i++)
    if (g_str_equal (g_ptr_array_index (ids, i), id))
      {
        set_selected (dropdown, i);
        return TRUE;
      }
  set_selected (dropdown, GTK_INVALID_LIST_POSITION);
  return FALSE;
}
