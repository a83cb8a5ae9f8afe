/* ul-directory-skip.c — skipped directory entries. */
#define G_LOG_DOMAIN "uplink-directory"

#include "config.h"

#include "ul-directory-skip.h"
#include "ul-variant.h"

G_DEFINE_BOXED_TYPE (UlDirectorySkip, ul_directory_skip,
                     ul_directory_skip_copy, ul_directory_skip_free)

static const char * const reason_names[] = {
  [UL_DIRECTORY_SKIP_NO_EXTENSION] = "no-extension",
  [UL_DIRECTORY_SKIP_INVALID_EXTENSION] = "invalid-extension",
  [UL_DIRECTORY_SKIP_DUPLICATE_EXTENSION] = "duplicate-extension",
  [UL_DIRECTORY_SKIP_INVALID_ENTRY] = "invalid-entry",
};

const char *
ul_directory_skip_reason_to_string (UlDirectorySkipReason reason)
{
  if ((guint) reason >= G_N_ELEMENTS (reason_names))
    return reason_names[UL_DIRECTORY_SKIP_INVALID_ENTRY];
  return reason_names[reason];
}

UlDirectorySkip *
ul_directory_skip_new (UlDirectorySkipReason reason,
                       const char           *extension,
                       const char           *name,
                       guint                 line,
                       const char           *dn,
                       const char           *message)
{
  UlDirectorySkip *self = g_new0 (UlDirectorySkip, 1);

  self->reason = reason;
  self->extension = g_strdup (extension);
  self->name = g_strdup (name);
  self->line = line;
  self->dn = g_strdup (dn);
  self->message = g_strdup (message);
  return self;
}

UlDirectorySkip *
ul_directory_skip_copy (const UlDirectorySkip *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return ul_directory_skip_new (self->reason, self->extension, self->name, self->line,
                                self->dn, self->message);
}

void
ul_directory_skip_free (UlDirectorySkip *self)
{
  if (self == NULL)
    return;

  g_free (self->extension);
  g_free (self->name);
  g_free (self->dn);
  g_free (self->message);
  g_free (self);
}

GVariant *
ul_directory_skip_to_variant (const UlDirectorySkip *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "reason",
                         g_variant_new_string (ul_directory_skip_reason_to_string (self->reason)));
  ul_variant_builder_add_string (&builder, "message", self->message);
  ul_variant_builder_add_string (&builder, "extension", self->extension);
  ul_variant_builder_add_string (&builder, "name", self->name);
  if (self->line > 0)
    g_variant_builder_add (&builder, "{sv}", "line", g_variant_new_uint32 (self->line));
  ul_variant_builder_add_string (&builder, "dn", self->dn);
  return g_variant_builder_end (&builder);
}
