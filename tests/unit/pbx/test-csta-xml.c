/* test-csta-xml.c — the bounded, prefix-agnostic element tree (csta.md rule 3). */
#include <string.h>

#include "ul-csta-codec.h"

/* csta.md §1, the real MiVO400 trace (S3), verbatim. */
static const char s3_request[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<csta:MonitorStart xmlns:csta=\"http://www.ecma-international.org/standards/ecma-323/csta/ed5\">\n"
  "   <csta:monitorObject xmlns=\"http://www.ecma-international.org/standards/ecma-323/csta/ed5\">\n"
  "      <deviceObject>N<123!98></deviceObject>\n"
  "   </csta:monitorObject>\n"
  "   <csta:monitorType>device</csta:monitorType>\n"
  "</csta:MonitorStart>";

static const char s3_reply[] =
  "\n"
  "<csta:CSTAErrorCode xmlns:csta=\"http://www.ecma-international.org/standards/ecma-323/csta/ed5\">\n"
  "\t<csta:systemResourceAvailibility>overallMonitorLimitExceeded</csta:systemResourceAvailibility>\n"
  "</csta:CSTAErrorCode>";

static UlCstaNode *
parse_ok (const char *xml)
{
  g_autoptr(GError) error = NULL;
  UlCstaNode *root = ul_csta_node_parse (xml, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);

  return root;
}

static void
parse_fails (const char *xml, gssize len, gint code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UlCstaNode) root = ul_csta_node_parse (xml, len, &error);

  g_assert_null (root);
  g_assert_error (error, UL_CSTA_ERROR, code);
}

static void
test_s3_trace (void)
{
  g_autoptr(UlCstaNode) root = NULL;
  g_autoptr(UlCstaDecoder) decoder = ul_csta_decoder_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(UlCstaFrame) frame = NULL;
  g_autoptr(GError) error = NULL;
  const char *category = NULL;
  const char *value = NULL;

  /* The reply arrives as invoke 1011 with whitespace right after the header. */
  bytes = ul_csta_frame_encode (1011, s3_reply, -1, &error);
  g_assert_no_error (error);
  ul_csta_decoder_feed (decoder, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  frame = ul_csta_decoder_pop (decoder, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frame->invoke_id, ==, 1011);

  root = ul_csta_node_parse (frame->xml, frame->xml_len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ul_csta_node_get_name (root), ==, "CSTAErrorCode");
  g_assert_cmpint (ul_csta_message_kind (ul_csta_node_get_name (root)), ==, UL_CSTA_MESSAGE_ERROR);
  g_assert_true (ul_csta_parse_error_code (root, &category, &value));
  g_assert_cmpstr (category, ==, "systemResourceAvailibility");
  g_assert_cmpstr (value, ==, "overallMonitorLimitExceeded");
  g_assert_cmpstr (ul_csta_node_find_text (root, "systemResourceAvailibility"), ==,
                   "overallMonitorLimitExceeded");

  /* The request as the log printed it has a raw "<" in the device ID: not well-formed. */
  parse_fails (s3_request, -1, UL_CSTA_ERROR_MALFORMED);
}

static void
test_prefix_agnostic (void)
{
  g_autoptr(UlCstaNode) root = NULL;
  UlCstaNode *object;

  /* The S3 request with the device ID escaped: mixed csta: prefix and default namespace. */
  root = parse_ok ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<csta:MonitorStart xmlns:csta=\"urn:ed5\">\n"
                   "   <csta:monitorObject xmlns=\"urn:ed5\">\n"
                   "      <deviceObject>N&lt;123!98&gt;</deviceObject>\n"
                   "   </csta:monitorObject>\n"
                   "   <csta:monitorType>device</csta:monitorType>\n"
                   "</csta:MonitorStart>");
  g_assert_cmpstr (ul_csta_node_get_name (root), ==, "MonitorStart");
  g_assert_cmpstr (ul_csta_node_get_text_at (root, "monitorObject/deviceObject"), ==, "N<123!98>");
  g_assert_cmpstr (ul_csta_node_find_text (root, "monitorType"), ==, "device");
  g_assert_cmpstr (ul_csta_node_get_text (root), ==, "");

  object = ul_csta_node_get_child (root, "monitorObject");
  g_assert_nonnull (object);
  /* Namespace declarations are not attributes. */
  g_assert_null (ul_csta_node_get_attribute (object, "xmlns"));
  g_assert_true (ul_csta_node_get_parent (object) == root);
  g_assert_cmpuint (ul_csta_node_get_n_children (root), ==, 2);
  g_assert_true (ul_csta_node_get_child_at (root, 1) == ul_csta_node_get_child (root, "monitorType"));
  g_assert_null (ul_csta_node_get_child_at (root, 2));
}

static void
test_find (void)
{
  g_autoptr(UlCstaNode) root = parse_ok (
    "<e:DeliveredEvent xmlns:e='x'><e:monitorCrossRefID>7</e:monitorCrossRefID>"
    "<e:connection><e:callID>C1</e:callID><e:deviceID a:typeOfNumber='n' xmlns:a='y'>201</e:deviceID>"
    "</e:connection><callingDevice><deviceIdentifier>202</deviceIdentifier></callingDevice>"
    "<deep><connection><callID>C2</callID></connection></deep></e:DeliveredEvent>");
  UlCstaNode *device;

  g_assert_cmpstr (ul_csta_node_find_text (root, "callID"), ==, "C1");
  g_assert_cmpstr (ul_csta_node_get_text_at (root, "connection/callID"), ==, "C1");
  g_assert_cmpstr (ul_csta_node_get_text_at (root, "deep/connection/callID"), ==, "C2");
  g_assert_null (ul_csta_node_get_text_at (root, "callID"));
  g_assert_null (ul_csta_node_get_text_at (root, "connection/call"));
  g_assert_null (ul_csta_node_get_text_at (root, "connection/callIDx"));
  g_assert_null (ul_csta_node_find (root, "missing"));
  g_assert_null (ul_csta_node_find (root, "DeliveredEvent"));

  device = ul_csta_node_find_path (root, "connection/deviceID");
  g_assert_nonnull (device);
  g_assert_cmpstr (ul_csta_node_get_attribute (device, "typeOfNumber"), ==, "n");
  g_assert_true (ul_csta_node_has_name (device, "deviceID"));
  g_assert_false (ul_csta_node_has_name (NULL, "deviceID"));
}

static void
test_text_and_escapes (void)
{
  g_autoptr(UlCstaNode) root = parse_ok (
    "<a><b>  &lt;N&gt;&amp;&quot;&apos;&#x41;&#66;  </b><c><![CDATA[<raw>&]]></c>"
    "<d>Jürgen Müller, Zoë Ångström</d><e/><f>x<g/>y</f></a>");

  g_assert_cmpstr (ul_csta_node_find_text (root, "b"), ==, "<N>&\"'AB");
  g_assert_cmpstr (ul_csta_node_find_text (root, "c"), ==, "<raw>&");
  g_assert_cmpstr (ul_csta_node_find_text (root, "d"), ==, "Jürgen Müller, Zoë Ångström");
  g_assert_cmpstr (ul_csta_node_find_text (root, "e"), ==, "");
  g_assert_cmpstr (ul_csta_node_find_text (root, "f"), ==, "xy");
}

static void
test_declaration_and_whitespace (void)
{
  g_autoptr(UlCstaNode) a = parse_ok ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>1</a>");
  g_autoptr(UlCstaNode) b = parse_ok ("\r\n  <a>2</a>\n\n");
  g_autoptr(UlCstaNode) c = parse_ok ("<!-- comment --><a><!-- inside -->3</a><!-- after -->");

  g_assert_cmpstr (ul_csta_node_get_text (a), ==, "1");
  g_assert_cmpstr (ul_csta_node_get_text (b), ==, "2");
  g_assert_cmpstr (ul_csta_node_get_text (c), ==, "3");
}

static void
test_doctype_refused (void)
{
  parse_fails ("<!DOCTYPE a><a/>", -1, UL_CSTA_ERROR_FORBIDDEN);
  parse_fails ("<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", -1,
               UL_CSTA_ERROR_FORBIDDEN);
  /* "Billion laughs". */
  parse_fails ("<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
               "<l>&b;&b;&b;</l>",
               -1, UL_CSTA_ERROR_FORBIDDEN);
  parse_fails ("<!DOCTYPE a SYSTEM \"file:///etc/passwd\"><a>&xxe;</a>", -1,
               UL_CSTA_ERROR_FORBIDDEN);
  /* Without a DTD, an entity reference other than the predefined five is an error. */
  parse_fails ("<a>&xxe;</a>", -1, UL_CSTA_ERROR_MALFORMED);
  parse_fails ("<a>&#0;</a>", -1, UL_CSTA_ERROR_MALFORMED);
}

static char *
nested (guint depth)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, "<n>");
  g_string_append (s, "x");
  for (guint i = 0; i < depth; i++)
    g_string_append (s, "</n>");

  return g_string_free (s, FALSE);
}

static char *
wide (guint n_elements)
{
  GString *s = g_string_new ("<r>");

  for (guint i = 1; i < n_elements; i++)
    g_string_append (s, "<c/>");
  g_string_append (s, "</r>");

  return g_string_free (s, FALSE);
}

static void
test_limits (void)
{
  g_autofree char *deep_ok = nested (UL_CSTA_MAX_DEPTH);
  g_autofree char *too_deep = nested (UL_CSTA_MAX_DEPTH + 1);
  g_autofree char *very_deep = nested (5000);
  g_autofree char *wide_ok = wide (UL_CSTA_MAX_ELEMENTS);
  g_autofree char *too_wide = wide (UL_CSTA_MAX_ELEMENTS + 1);
  g_autofree char *big = NULL;
  g_autoptr(UlCstaNode) root = NULL;
  g_autoptr(UlCstaNode) root2 = NULL;
  UlCstaNode *node;
  guint depth = 1;

  root = parse_ok (deep_ok);
  for (node = root; ul_csta_node_get_n_children (node) > 0; node = ul_csta_node_get_child_at (node, 0))
    depth++;
  g_assert_cmpuint (depth, ==, UL_CSTA_MAX_DEPTH);
  g_assert_cmpstr (ul_csta_node_get_text (node), ==, "x");
  parse_fails (too_deep, -1, UL_CSTA_ERROR_LIMIT);
  parse_fails (very_deep, -1, UL_CSTA_ERROR_LIMIT);

  root2 = parse_ok (wide_ok);
  g_assert_cmpuint (ul_csta_node_get_n_children (root2), ==, UL_CSTA_MAX_ELEMENTS - 1);
  parse_fails (too_wide, -1, UL_CSTA_ERROR_LIMIT);

  /* A body that cannot have come out of one frame. */
  big = g_strdup_printf ("<a>%*s</a>", UL_CSTA_MAX_BODY_SIZE, "");
  parse_fails (big, -1, UL_CSTA_ERROR_TOO_LARGE);
}

static void
test_malformed (void)
{
  parse_fails ("", -1, UL_CSTA_ERROR_MALFORMED);
  parse_fails ("   ", -1, UL_CSTA_ERROR_MALFORMED);
  /* Found by fuzz-csta: GMarkup accepts a document without any element. */
  parse_fails ("<?xml version=\"1.0\"?>", -1, UL_CSTA_ERROR_MALFORMED);
  parse_fails ("<!-- only a comment -->", -1, UL_CSTA_ERROR_MALFORMED);
  parse_fails ("<a>", -1, UL_CSTA_ERROR_MALFORMED);
  parse_fails ("<a></b>", -1, UL_CSTA_ERROR_MALFORMED);
  parse_fails ("<a/><b/>", -1, UL_CSTA_ERROR_MALFORMED);
  parse_fails ("text<a/>", -1, UL_CSTA_ERROR_MALFORMED);
  parse_fails ("<a>\xff\xfe</a>", -1, UL_CSTA_ERROR_MALFORMED);
  parse_fails ("<a>\xc3</a>", -1, UL_CSTA_ERROR_MALFORMED);
  parse_fails ("<a>x\0y</a>", 9, UL_CSTA_ERROR_MALFORMED);
  parse_fails ("<a b=c/>", -1, UL_CSTA_ERROR_MALFORMED);
  /* Found by fuzz-csta: GMarkup 2.74 carries on after bad UTF-8 in a comment or DOCTYPE and
   * overwrites its own GError; the codec must refuse such input before GMarkup sees it. */
  parse_fails ("<!DOCTYPE l [<!ENTITY a \"\0\">]><l>&b;</l>", 40, UL_CSTA_ERROR_MALFORMED);
  parse_fails ("<!-- \xff --><a>&b;</a>", -1, UL_CSTA_ERROR_MALFORMED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/csta/xml/s3-trace", test_s3_trace);
  g_test_add_func ("/uplink/csta/xml/prefix-agnostic", test_prefix_agnostic);
  g_test_add_func ("/uplink/csta/xml/find", test_find);
  g_test_add_func ("/uplink/csta/xml/text-and-escapes", test_text_and_escapes);
  g_test_add_func ("/uplink/csta/xml/declaration-and-whitespace", test_declaration_and_whitespace);
  g_test_add_func ("/uplink/csta/xml/doctype-refused", test_doctype_refused);
  g_test_add_func ("/uplink/csta/xml/limits", test_limits);
  g_test_add_func ("/uplink/csta/xml/malformed", test_malformed);

  return g_test_run ();
}
