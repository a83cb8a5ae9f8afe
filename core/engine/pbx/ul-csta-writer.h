/* ul-csta-writer.h — minimal XML writer for CSTA messages.
 *
 * Every text and attribute value is XML-escaped (and made valid UTF-8) on the way in, so
 * builders can pass user input (device numbers, credentials) as is. No XML declaration is
 * written: it is optional on the wire (csta.md rule 3) and the MiVO400 omits it (S3).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UL_CSTA_NS_ED5 "http://www.ecma-international.org/standards/ecma-323/csta/ed5"
#define UL_CSTA_NS_APPL_SESSION "http://www.ecma-international.org/standards/ecma-354/appl_session"

typedef struct _UlCstaWriter UlCstaWriter;

/* Starts a document with root element @root in default namespace @ns (NULL: none). */
UlCstaWriter *ul_csta_writer_new (const char *root, const char *ns);
void ul_csta_writer_free (UlCstaWriter *writer);

void ul_csta_writer_open (UlCstaWriter *writer, const char *name);
void ul_csta_writer_close (UlCstaWriter *writer);

/* <name>text</name>; nothing when @text is NULL (an optional element left out). */
void ul_csta_writer_text (UlCstaWriter *writer, const char *name, const char *text);
void ul_csta_writer_printf (UlCstaWriter *writer, const char *name, const char *format, ...)
  G_GNUC_PRINTF (3, 4);
/* <name attr="value">text</name>; the attribute is left out when @value is NULL. */
void ul_csta_writer_text_with_attribute (UlCstaWriter *writer,
                                         const char *name,
                                         const char *attr,
                                         const char *value,
                                         const char *text);
void ul_csta_writer_empty (UlCstaWriter *writer, const char *name);

/* ECMA-323 ConnectionID: <name><callID>…</callID><deviceID>…</deviceID></name>. */
void ul_csta_writer_connection (UlCstaWriter *writer,
                                const char *name,
                                const char *call_id,
                                const char *device_id);
/* Event device: <name><deviceIdentifier>…</deviceIdentifier></name>, or <notKnown/>. */
void ul_csta_writer_device (UlCstaWriter *writer, const char *name, const char *device);

/* Closes every open element, frees @writer and returns the document. */
char *ul_csta_writer_finish (UlCstaWriter *writer);

/* Escapes @text for element content or attribute values, replacing invalid UTF-8. */
char *ul_csta_escape (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UlCstaWriter, ul_csta_writer_free)

G_END_DECLS
