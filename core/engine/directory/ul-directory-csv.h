/* ul-directory-csv.h — users from a CSV export (MiVO400 WebAdmin, MiCollab or hand-made).
 *
 * A header row names the columns; common names are accepted case-insensitively
 * (extension/ext/number/telephoneNumber, name/cn/display name or first name + last name,
 * email/e-mail/mail, group/user group/ou, CTI device/use for CTI). Separator , ; or tab,
 * detected from the header. RFC 4180 quoting. UTF-8 with or without BOM, UTF-16 with BOM,
 * or Latin-1. Blocking: run it in a thread (ul_directory_fetch_async() does). */
#pragma once

#include <gio/gio.h>
#include "ul-directory-config.h"

G_BEGIN_DECLS

#define UL_CSV_FILE_MAX    (32 * 1024 * 1024)
#define UL_CSV_FIELD_MAX   4096
#define UL_CSV_COLUMNS_MAX 256

/* Parses a whole export held in memory. A file that cannot be read as a whole (no
 * header, missing required column, broken quoting, wrong field count, bad encoding)
 * fails with UL_ERROR_DIRECTORY_FAILED naming the column or the line: a half-read file
 * would make the next sync remove users. Single unusable rows become skips. */
gboolean ul_directory_csv_parse (const char    *data,
                                 gsize          length,
                                 UlCsvEncoding  encoding,
                                 GCancellable  *cancellable,
                                 GPtrArray    **users,
                                 GPtrArray    **skipped,
                                 GError       **error);

/* Reads @path (at most UL_CSV_FILE_MAX bytes) and parses it. */
gboolean ul_directory_csv_load (const char    *path,
                                UlCsvEncoding  encoding,
                                GCancellable  *cancellable,
                                GPtrArray    **users,
                                GPtrArray    **skipped,
                                GError       **error);

G_END_DECLS
