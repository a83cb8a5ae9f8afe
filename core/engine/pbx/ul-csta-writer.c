/* ul-csta-writer.c — minimal escaping XML writer for CSTA messages. */
#define G_LOG_DOMAIN "ul-csta"

#include "ul-csta-writer.h"

struct _UlCstaWriter
{
  GString *out;
  GPtrArray *open; /* names of the open elements, innermost last */
};

char *
ul_csta_escape (const char *text)
{
  g_autofree char *valid = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  /* g_markup_escape_text() walks UTF-8 characters; hand it nothing else. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      valid = g_utf8_make_valid (text, -1);
      text = valid;
    }

  return g_markup_escape_text (text, -1);
}

static void
append_escaped (GString *out, const char *text)
{
  g_autofree char *escaped = ul_csta_escape (text);

  g_string_append (out, escaped);
}

UlCstaWriter *
ul_csta_writer_new (const char *root, const char *ns)
{
  UlCstaWriter *writer;

  g_return_val_if_fail (root != NULL, NULL);

  writer = g_new0 (UlCstaWriter, 1);
  writer->out = g_string_sized_new (256);
  writer->open = g_ptr_array_new_with_free_func (g_free);

  g_string_append_c (writer->out, '<');
  g_string_append (writer->out, root);
  if (ns != NULL)
    {
      g_string_append (writer->out, " xmlns=\"");
      append_escaped (writer->out, ns);
      g_string_append_c (writer->out, '"');
    }
  g_string_append_c (writer->out, '>');
  g_ptr_array_add (writer->open, g_strdup (root));

  return writer;
}

void
ul_csta_writer_free (UlCstaWriter *writer)
{
  if (writer == NULL)
    return;

  g_string_free (writer->out, TRUE);
  g_ptr_array_unref (writer->open);
  g_free (writer);
}

void
ul_csta_writer_open (UlCstaWriter *writer, const char *name)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (name != NULL);

  g_string_append_printf (writer->out, "<%s>", name);
  g_ptr_array_add (writer->open, g_strdup (name));
}

void
ul_csta_writer_close (UlCstaWriter *writer)
{
  g_autofree char *name = NULL;

  g_return_if_fail (writer != NULL);
  g_return_if_fail (writer->open->len > 0);

  name = g_ptr_array_steal_index (writer->open, writer->open->len - 1);
  g_string_append_printf (writer->out, "</%s>", name);
}

void
ul_csta_writer_text_with_attribute (UlCstaWriter *writer,
                                    const char *name,
                                    const char *attr,
                                    const char *value,
                                    const char *text)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (name != NULL);

  if (text == NULL)
    return;

  g_string_append_printf (writer->out, "<%s", name);
  if (attr != NULL && value != NULL)
    {
      g_string_append_printf (writer->out, " %s=\"", attr);
      append_escaped (writer->out, value);
      g_string_append_c (writer->out, '"');
    }
  g_string_append_c (writer->out, '>');
  append_escaped (writer->out, text);
  g_string_append_printf (writer->out, "</%s>", name);
}

void
ul_csta_writer_text (UlCstaWriter *writer, const char *name, const char *text)
{
  ul_csta_writer_text_with_attribute (writer, name, NULL, NULL, text);
}

void
ul_csta_writer_printf (UlCstaWriter *writer, const char *name, const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  ul_csta_writer_text (writer, name, text);
}

void
ul_csta_writer_empty (UlCstaWriter *writer, const char *name)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (name != NULL);

  g_string_append_printf (writer->out, "<%s/>", name);
}

void
ul_csta_writer_connection (UlCstaWriter *writer,
                           const char *name,
                           const char *call_id,
                           const char *device_id)
{
  ul_csta_writer_open (writer, name);
  ul_csta_writer_text (writer, "callID", call_id);
  ul_csta_writer_text (writer, "deviceID", device_id);
  ul_csta_writer_close (writer);
}

void
ul_csta_writer_device (UlCstaWriter *writer, const char *name, const char *device)
{
  ul_csta_writer_open (writer, name);
  if (device != NULL)
    ul_csta_writer_text (writer, "deviceIdentifier", device);
  else
    ul_csta_writer_empty (writer, "notKnown");
  ul_csta_writer_close (writer);
}

char *
ul_csta_writer_finish (UlCstaWriter *writer)
{
  char *result;

  g_return_val_if_fail (writer != NULL, NULL);

  while (writer->open->len > 0)
    ul_csta_writer_close (writer);

  result = g_string_free (g_steal_pointer (&writer->out), FALSE);
  g_ptr_array_unref (writer->open);
  g_free (writer);

  return result;
}
