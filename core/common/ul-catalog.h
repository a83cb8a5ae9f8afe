/* ul-catalog.h — one language's compiled gettext catalog (a GNU .mo file), read by hand.
 *
 * uplinkd runs in one process locale, yet its registration pages answer each visitor in
 * their own language. gettext() cannot do that per request (setlocale() is per process,
 * and an appliance may not have the locales installed), so the pages look their marked
 * strings up in the catalog of the page's language instead: the very file msgfmt compiled
 * from po/<lang>.po, $localedir/<lang>/LC_MESSAGES/uplink.mo.
 *
 * The file is untrusted input (a truncated install, a corrupt disk, a hand-made file):
 * every count, offset and length is checked against the file before it is used, both byte
 * orders are read, a string must end in the NUL the format promises, and the catalog must
 * be UTF-8. A file that breaks any of this is refused as a whole with an error saying
 * where; a translation that is not valid UTF-8 is dropped (its msgid shows instead).
 * Layout: "The Format of GNU MO Files" in the GNU gettext manual. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Larger files are refused before they are read; uplink.mo is a few tens of KiB. */
#define UL_CATALOG_MAX_SIZE (16 * 1024 * 1024)

#define UL_TYPE_CATALOG (ul_catalog_get_type ())
G_DECLARE_FINAL_TYPE (UlCatalog, ul_catalog, UL, CATALOG, GObject)

/* Parses the contents of a .mo file. G_IO_ERROR_INVALID_DATA saying what is wrong. */
UlCatalog  *ul_catalog_new_from_bytes (GBytes *bytes, GError **error);
/* Reads and parses @path (G_FILE_ERROR when it cannot be read). */
UlCatalog  *ul_catalog_new_from_file (const char *path, GError **error);
/* <locale_dir>/<language>/LC_MESSAGES/<domain>.mo; @language must be a plain tag such as
 * "de" or "pt_BR" (no path separators). */
UlCatalog  *ul_catalog_load (const char *locale_dir,
                             const char *language,
                             const char *domain,
                             GError    **error);

/* The translation of @msgid, or @msgid itself when there is none (@self may be NULL: no
 * catalog, the source language). For a plural entry, its singular form. */
const char *ul_catalog_gettext (UlCatalog *self, const char *msgid);
/* The same for a printf format: the translation only when it has exactly the conversions
 * of @msgid, in the same order; otherwise @msgid. A broken catalog can therefore never
 * make printf read arguments that are not there. */
const char *ul_catalog_format (UlCatalog *self, const char *msgid);

/* The number of translations the catalog holds (without its header). */
guint       ul_catalog_get_n_messages (UlCatalog *self);

G_END_DECLS
