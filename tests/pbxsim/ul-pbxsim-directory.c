/* ul-pbxsim-directory.c — simulated PBX users; CSV import, CSV and LDIF export. */
#define G_LOG_DOMAIN "uplink-pbxsim"

#include "ul-pbxsim-directory.h"

#include <string.h>

#include "ul-pbxsim-error.h"

struct _UlPbxsimDirectory
{
  GObject parent_instance;

  GPtrArray *users; /* UlPbxsimUser, sorted by extension */
};

G_DEFINE_FINAL_TYPE (UlPbxsimDirectory, ul_pbxsim_directory, G_TYPE_OBJECT)

/* A realistic small company for demos: names with the accents a European customer has,
 * three phones without a person's e-mail, and one mailbox shared by two people (the
 * gateway must flag both as "duplicate email"). */
static const struct
{
  const char *name;
  const char *email;
  const char *group;
} demo_users[] = {
  { "Jürgen Müller", "juergen.mueller@example.com", "Management" },
  { "Zoë Ångström", "zoe.angstrom@example.com", "Engineering" },
  { "François Lefèvre", "francois.lefevre@example.com", "Sales" },
  { "Søren Kierkegaard", "soren.kierkegaard@example.com", "Finance" },
  { "Anna Schmidt", "anna.schmidt@example.com", "Sales" },
  { "Łukasz Wiśniewski", "lukasz.wisniewski@example.com", "Engineering" },
  { "María José García", "mariajose.garcia@example.com", "Support" },
  { "Giulia Rossi", "giulia.rossi@example.com", "Sales" },
  { "Björn Lindqvist", "bjorn.lindqvist@example.com", "Support" },
  { "Chloé Dubois", "chloe.dubois@example.com", "Marketing" },
  { "Pieter van den Berg", "pieter.vandenberg@example.com", "Engineering" },
  { "Katarzyna Nowak", "katarzyna.nowak@example.com", "Finance" },
  { "Dimitris Papadopoulos", "dimitris.papadopoulos@example.com", "Support" },
  { "Siobhán O'Brien", "siobhan.obrien@example.com", "Marketing" },
  { "Mikael Järvinen", "mikael.jarvinen@example.com", "Engineering" },
  { "Ana Petrović", "ana.petrovic@example.com", "Sales" },
  { "Núria Puig", "nuria.puig@example.com", "Support" },
  { "Thomas Weber", NULL, "Warehouse" },
  { "Eva Nováková", "eva.novakova@example.com", "Finance" },
  { "Lars Øvergaard", "lars.overgaard@example.com", "Engineering" },
  { "Inès Moreau", "reception@example.com", "Reception" },
  { "Paul Lambert", "reception@example.com", "Reception" },
  { "Konferenzraum Matterhorn", NULL, "Facilities" },
  { "Ömer Yılmaz", "omer.yilmaz@example.com", "Warehouse" },
  { "Lager Telefon", NULL, "Warehouse" },
};

#define DEMO_FIRST_EXTENSION 201

static void
user_free (UlPbxsimUser *user)
{
  g_free (user->extension);
  g_free (user->name);
  g_free (user->email);
  g_free (user->group);
  g_free (user);
}

static void
ul_pbxsim_directory_finalize (GObject *object)
{
  UlPbxsimDirectory *self = UL_PBXSIM_DIRECTORY (object);

  g_ptr_array_unref (self->users);

  G_OBJECT_CLASS (ul_pbxsim_directory_parent_class)->finalize (object);
}

static void
ul_pbxsim_directory_class_init (UlPbxsimDirectoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ul_pbxsim_directory_finalize;
}

static void
ul_pbxsim_directory_init (UlPbxsimDirectory *self)
{
  self->users = g_ptr_array_new_with_free_func ((GDestroyNotify) user_free);
}

UlPbxsimDirectory *
ul_pbxsim_directory_new (void)
{
  return g_object_new (UL_TYPE_PBXSIM_DIRECTORY, NULL);
}

static gboolean
is_all_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/* Numeric order for numeric extensions ("99" < "100"), byte order otherwise. */
static int
compare_extensions (const char *a, const char *b)
{
  if (is_all_digits (a) && is_all_digits (b) && strlen (a) != strlen (b))
    return strlen (a) < strlen (b) ? -1 : 1;

  return strcmp (a, b);
}

static int
compare_users (gconstpointer a, gconstpointer b)
{
  const UlPbxsimUser *ua = *(const UlPbxsimUser **) a;
  const UlPbxsimUser *ub = *(const UlPbxsimUser **) b;

  return compare_extensions (ua->extension, ub->extension);
}

static gboolean
extension_is_valid (const char *extension)
{
  gsize len = strlen (extension);

  if (len == 0 || len > 32)
    return FALSE;

  for (const char *p = extension; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '*' && *p != '#' && *p != '+')
      return FALSE;

  return TRUE;
}

static char *
empty_to_null (const char *s)
{
  return s != NULL && *s != '\0' ? g_strdup (s) : NULL;
}

gboolean
ul_pbxsim_directory_add (UlPbxsimDirectory *self,
                         const char *extension,
                         const char *name,
                         const char *email,
                         const char *group,
                         GError **error)
{
  UlPbxsimUser *user;

  g_return_val_if_fail (UL_IS_PBXSIM_DIRECTORY (self), FALSE);
  g_return_val_if_fail (extension != NULL, FALSE);

  if (!extension_is_valid (extension))
    {
      g_set_error (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID,
                   "invalid extension \"%s\" (digits, *, # and + only)", extension);
      return FALSE;
    }
  if (ul_pbxsim_directory_lookup (self, extension) != NULL)
    {
      g_set_error (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_EXISTS,
                   "extension %s exists", extension);
      return FALSE;
    }
  if ((name != NULL && !g_utf8_validate (name, -1, NULL)) ||
      (email != NULL && !g_utf8_validate (email, -1, NULL)) ||
      (group != NULL && !g_utf8_validate (group, -1, NULL)))
    {
      g_set_error (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID,
                   "user %s is not valid UTF-8", extension);
      return FALSE;
    }

  user = g_new0 (UlPbxsimUser, 1);
  user->extension = g_strdup (extension);
  user->name = g_strdup (name != NULL ? name : "");
  user->email = empty_to_null (email);
  user->group = empty_to_null (group);
  g_ptr_array_add (self->users, user);
  g_ptr_array_sort (self->users, compare_users);

  return TRUE;
}

static guint
find_index (UlPbxsimDirectory *self, const char *extension)
{
  for (guint i = 0; i < self->users->len; i++)
    {
      UlPbxsimUser *user = g_ptr_array_index (self->users, i);

      if (g_str_equal (user->extension, extension))
        return i;
    }

  return G_MAXUINT;
}

const UlPbxsimUser *
ul_pbxsim_directory_lookup (UlPbxsimDirectory *self, const char *extension)
{
  guint i;

  g_return_val_if_fail (UL_IS_PBXSIM_DIRECTORY (self), NULL);
  g_return_val_if_fail (extension != NULL, NULL);

  i = find_index (self, extension);

  return i != G_MAXUINT ? g_ptr_array_index (self->users, i) : NULL;
}

gboolean
ul_pbxsim_directory_remove (UlPbxsimDirectory *self, const char *extension, GError **error)
{
  guint i;

  g_return_val_if_fail (UL_IS_PBXSIM_DIRECTORY (self), FALSE);

  i = find_index (self, extension);
  if (i == G_MAXUINT)
    {
      g_set_error (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_NOT_FOUND,
                   "no user with extension %s", extension);
      return FALSE;
    }

  g_ptr_array_remove_index (self->users, i);

  return TRUE;
}

gboolean
ul_pbxsim_directory_rename (UlPbxsimDirectory *self,
                            const char *extension,
                            const char *name,
                            GError **error)
{
  guint i;
  UlPbxsimUser *user;

  g_return_val_if_fail (UL_IS_PBXSIM_DIRECTORY (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  i = find_index (self, extension);
  if (i == G_MAXUINT)
    {
      g_set_error (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_NOT_FOUND,
                   "no user with extension %s", extension);
      return FALSE;
    }
  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID,
                           "name is not valid UTF-8");
      return FALSE;
    }

  user = g_ptr_array_index (self->users, i);
  g_free (user->name);
  user->name = g_strdup (name);

  return TRUE;
}

GPtrArray *
ul_pbxsim_directory_get_users (UlPbxsimDirectory *self)
{
  g_return_val_if_fail (UL_IS_PBXSIM_DIRECTORY (self), NULL);

  return self->users;
}

guint
ul_pbxsim_directory_get_n_users (UlPbxsimDirectory *self)
{
  g_return_val_if_fail (UL_IS_PBXSIM_DIRECTORY (self), 0);

  return self->users->len;
}

void
ul_pbxsim_directory_add_generated (UlPbxsimDirectory *self, guint count, guint first_extension)
{
  g_return_if_fail (UL_IS_PBXSIM_DIRECTORY (self));

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *ext = g_strdup_printf ("%u", first_extension + i);
      g_autofree char *name = g_strdup_printf ("User %s", ext);
      g_autofree char *email = g_strdup_printf ("user%s@example.com", ext);

      /* An extension that exists already is kept as it is. */
      ul_pbxsim_directory_add (self, ext, name, email, "Staff", NULL);
    }
}

void
ul_pbxsim_directory_add_demo (UlPbxsimDirectory *self)
{
  g_return_if_fail (UL_IS_PBXSIM_DIRECTORY (self));

  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    {
      g_autofree char *ext = g_strdup_printf ("%u", DEMO_FIRST_EXTENSION + i);

      ul_pbxsim_directory_add (self, ext, demo_users[i].name, demo_users[i].email,
                               demo_users[i].group, NULL);
    }
}

/* ---- CSV ---------------------------------------------------------------------------- */

/* Splits RFC 4180 text into rows of fields. Quoted fields may hold commas, quotes ("")
 * and line breaks; unquoted fields are trimmed. */
static GPtrArray *
csv_split (const char *text, gsize len)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;
  gboolean was_quoted = FALSE;
  gsize i = 0;

  /* Spreadsheet exports often start with a UTF-8 byte order mark. */
  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    i = 3;

  for (; i <= len; i++)
    {
      char c = i < len ? text[i] : '\n';

      if (quoted)
        {
          if (c == '"' && i + 1 < len && text[i + 1] == '"')
            {
              g_string_append_c (field, '"');
              i++;
            }
          else if (c == '"')
            quoted = FALSE;
          else if (i < len)
            g_string_append_c (field, c);
          continue;
        }

      if (c == '"' && field->len == 0 && !was_quoted)
        {
          quoted = was_quoted = TRUE;
        }
      else if (c == ',' || c == '\n')
        {
          g_ptr_array_add (row, was_quoted ? g_strdup (field->str)
                                           : g_strstrip (g_strdup (field->str)));
          g_string_truncate (field, 0);
          was_quoted = FALSE;
          if (c == '\n')
            {
              g_ptr_array_add (rows, row);
              row = g_ptr_array_new_with_free_func (g_free);
            }
        }
      else if (c != '\r')
        {
          g_string_append_c (field, c);
        }
    }

  g_ptr_array_unref (row);
  g_string_free (field, TRUE);

  return rows;
}

static const char *
row_field (GPtrArray *row, guint i)
{
  return i < row->len ? g_ptr_array_index (row, i) : NULL;
}

gboolean
ul_pbxsim_directory_parse_csv (UlPbxsimDirectory *self, const char *text, gsize len, GError **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (UL_IS_PBXSIM_DIRECTORY (self), FALSE);

  if (!g_utf8_validate_len (text, len, NULL))
    {
      g_set_error_literal (error, UL_PBXSIM_ERROR, UL_PBXSIM_ERROR_INVALID,
                           "users file is not UTF-8");
      return FALSE;
    }

  rows = csv_split (text, len);
  for (guint i = 0; i < rows->len; i++)
    {
      GPtrArray *row = g_ptr_array_index (rows, i);
      const char *ext = row_field (row, 0);
      g_autoptr(GError) local_error = NULL;

      if (ext == NULL || *ext == '\0' || *ext == '#')
        continue;
      if (i == 0 && g_ascii_strcasecmp (ext, "extension") == 0)
        continue;

      if (!ul_pbxsim_directory_add (self, ext, row_field (row, 1), row_field (row, 2),
                                    row_field (row, 3), &local_error))
        {
          g_set_error (error, UL_PBXSIM_ERROR, local_error->code, "row %u: %s", i + 1,
                       local_error->message);
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
ul_pbxsim_directory_load_csv (UlPbxsimDirectory *self, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len;

  if (!g_file_get_contents (path, &text, &len, error))
    return FALSE;

  if (!ul_pbxsim_directory_parse_csv (self, text, len, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  return TRUE;
}

static void
csv_append_field (GString *out, const char *value)
{
  if (value == NULL)
    return;

  if (strpbrk (value, ",\"\r\n") == NULL && value[0] != ' ' &&
      (value[0] == '\0' || value[strlen (value) - 1] != ' '))
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
ul_pbxsim_directory_to_csv (UlPbxsimDirectory *self)
{
  GString *out = g_string_new ("extension,name,email,group\n");

  g_return_val_if_fail (UL_IS_PBXSIM_DIRECTORY (self), NULL);

  for (guint i = 0; i < self->users->len; i++)
    {
      UlPbxsimUser *user = g_ptr_array_index (self->users, i);

      csv_append_field (out, user->extension);
      g_string_append_c (out, ',');
      csv_append_field (out, user->name);
      g_string_append_c (out, ',');
      csv_append_field (out, user->email);
      g_string_append_c (out, ',');
      csv_append_field (out, user->group);
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

/* ---- LDIF (RFC 2849) --------------------------------------------------------------- */

static gboolean
ldif_is_safe (const char *value)
{
  const guchar *p = (const guchar *) value;

  if (*p == ' ' || *p == ':' || *p == '<')
    return FALSE;
  for (; *p != '\0'; p++)
    if (*p > 0x7f || *p == '\n' || *p == '\r')
      return FALSE;
  /* A trailing space would be lost by readers that trim lines. */
  return *value == '\0' || value[strlen (value) - 1] != ' ';
}

/* Appends "attr: value" (or "attr:: base64" when the value is not a SAFE-STRING), folded
 * at 76 columns with continuation lines starting with a space. */
static void
ldif_append (GString *out, const char *attr, const char *value)
{
  g_autofree char *encoded = NULL;
  g_autofree char *line = NULL;
  gsize len;

  if (value == NULL)
    return;

  if (ldif_is_safe (value))
    line = g_strdup_printf ("%s: %s", attr, value);
  else
    {
      encoded = g_base64_encode ((const guchar *) value, strlen (value));
      line = g_strdup_printf ("%s:: %s", attr, encoded);
    }

  len = strlen (line);
  for (gsize pos = 0; pos < len;)
    {
      gsize width = pos == 0 ? 76 : 75;
      gsize n = MIN (width, len - pos);

      if (pos > 0)
        g_string_append_c (out, ' ');
      g_string_append_len (out, line + pos, n);
      g_string_append_c (out, '\n');
      pos += n;
    }
}

/* RFC 4514 escaping of an attribute value inside a DN. */
static char *
dn_escape (const char *value)
{
  GString *out = g_string_new (NULL);
  gsize len = strlen (value);

  for (gsize i = 0; i < len; i++)
    {
      char c = value[i];

      if (strchr (",+\"\\<>;=", c) != NULL || (i == 0 && (c == '#' || c == ' ')) ||
          (i == len - 1 && c == ' '))
        g_string_append_c (out, '\\');
      g_string_append_c (out, c);
    }

  return g_string_free (out, FALSE);
}

char *
ul_pbxsim_directory_to_ldif (UlPbxsimDirectory *self, const char *base_dn)
{
  /* No "version: 1" line: ldapadd accepts it, but slapadd in OpenLDAP 2.5 does not. */
  GString *out = g_string_new (NULL);
  g_autofree char *people = NULL;

  g_return_val_if_fail (UL_IS_PBXSIM_DIRECTORY (self), NULL);
  g_return_val_if_fail (base_dn != NULL, NULL);

  people = g_strdup_printf ("ou=people,%s", base_dn);
  ldif_append (out, "dn", people);
  ldif_append (out, "objectClass", "top");
  ldif_append (out, "objectClass", "organizationalUnit");
  ldif_append (out, "ou", "people");
  g_string_append_c (out, '\n');

  for (guint i = 0; i < self->users->len; i++)
    {
      UlPbxsimUser *user = g_ptr_array_index (self->users, i);
      g_autofree char *uid = dn_escape (user->extension);
      g_autofree char *dn = g_strdup_printf ("uid=%s,%s", uid, people);
      const char *cn = *user->name != '\0' ? user->name : user->extension;
      const char *space = strrchr (cn, ' ');
      g_autofree char *given = space != NULL ? g_strndup (cn, space - cn) : NULL;
      const char *sn = space != NULL && space[1] != '\0' ? space + 1 : cn;

      ldif_append (out, "dn", dn);
      ldif_append (out, "objectClass", "top");
      ldif_append (out, "objectClass", "person");
      ldif_append (out, "objectClass", "organizationalPerson");
      ldif_append (out, "objectClass", "inetOrgPerson");
      ldif_append (out, "uid", user->extension);
      ldif_append (out, "cn", cn);
      ldif_append (out, "sn", sn);
      if (given != NULL && *given != '\0')
        ldif_append (out, "givenName", given);
      ldif_append (out, "displayName", cn);
      ldif_append (out, "telephoneNumber", user->extension);
      ldif_append (out, "mail", user->email);
      ldif_append (out, "ou", user->group);
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

gboolean
ul_pbxsim_directory_export_csv (UlPbxsimDirectory *self, const char *path, GError **error)
{
  g_autofree char *csv = ul_pbxsim_directory_to_csv (self);

  return g_file_set_contents (path, csv, -1, error);
}

gboolean
ul_pbxsim_directory_export_ldif (UlPbxsimDirectory *self,
                                 const char *path,
                                 const char *base_dn,
                                 GError **error)
{
  g_autofree char *ldif = ul_pbxsim_directory_to_ldif (self, base_dn);

  return g_file_set_contents (path, ldif, -1, error);
}
