/* test-error.c — UlError: names, field errors, and the trip over D-Bus. */
#include "config.h"

#include <gio/gio.h>

#include "ul-error.h"
#include "ul-test-common.h"

static void
test_names (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (int code = 0; code <= UL_ERROR_LAST; code++)
    {
      const char *dbus_name = ul_error_code_to_dbus_name (code);
      const char *str = ul_error_code_to_string (code);
      UlErrorCode back = UL_ERROR_FAILED;

      g_assert_nonnull (dbus_name);
      g_assert_nonnull (str);
      g_assert_true (g_str_has_prefix (dbus_name, "io.github.uplink.Gateway1.Error."));
      g_assert_true (g_dbus_is_interface_name (dbus_name));
      g_assert_true (g_hash_table_add (seen, (gpointer) dbus_name));
      g_assert_true (g_hash_table_add (seen, (gpointer) str));

      /* kebab-case */
      for (const char *p = str; *p != '\0'; p++)
        g_assert_true (g_ascii_islower (*p) || *p == '-');

      g_assert_true (ul_error_code_from_string (str, &back));
      g_assert_cmpint (back, ==, code);
    }

  g_assert_cmpstr (ul_error_code_to_string (UL_ERROR_INVALID_ARGUMENT), ==, "invalid-argument");
  g_assert_cmpstr (ul_error_code_to_dbus_name (UL_ERROR_INVALID_ARGUMENT), ==,
                   "io.github.uplink.Gateway1.Error.InvalidArgument");
  g_assert_cmpstr (ul_error_code_to_string (UL_ERROR_PBX_LICENSE_LIMIT), ==, "pbx-license-limit");
  g_assert_cmpstr (ul_error_code_to_dbus_name (UL_ERROR_UPDATE_FAILED), ==,
                   "io.github.uplink.Gateway1.Error.UpdateFailed");
}

static void
test_from_string_unknown (void)
{
  UlErrorCode code = UL_ERROR_BUSY;

  g_assert_false (ul_error_code_from_string ("no-such-code", &code));
  g_assert_false (ul_error_code_from_string (NULL, &code));
  g_assert_false (ul_error_code_from_string ("InvalidArgument", &code));
  g_assert_cmpint (code, ==, UL_ERROR_BUSY);
}

static void
test_field_error (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *field = NULL;
  g_autofree char *reason = NULL;

  ul_set_field_error (&error, UL_ERROR_INVALID_ARGUMENT, "supportContacts[1].email",
                      "Bad address %d", 42);
  g_assert_error (error, UL_ERROR, UL_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "supportContacts[1].email: Bad address 42");

  field = ul_error_get_field (error);
  reason = ul_error_get_reason (error);
  g_assert_cmpstr (field, ==, "supportContacts[1].email");
  g_assert_cmpstr (reason, ==, "Bad address 42");

  /* NULL error pointers are allowed, as with g_set_error(). */
  ul_set_field_error (NULL, UL_ERROR_INVALID_ARGUMENT, "name", "ignored");
}

static void
test_no_field (void)
{
  const char *messages[] = {
    "Timed out: no answer from the PBX",
    "The store is locked",
    "name:no space after the colon",
    "name : space before the colon",
    "two words: not a key path",
    "list[x]: index is not a number",
    "list[1: unclosed",
    "trailing.: dot",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr (GError) error = g_error_new_literal (UL_ERROR, UL_ERROR_FAILED, messages[i]);
      g_autofree char *field = ul_error_get_field (error);
      g_autofree char *reason = ul_error_get_reason (error);

      g_test_message ("message: “%s”", messages[i]);
      g_assert_null (field);
      g_assert_cmpstr (reason, ==, messages[i]);
    }
}

static void
test_no_field_via_setter (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *field = NULL;

  ul_set_field_error (&error, UL_ERROR_STORAGE, NULL, "Disk full");
  g_assert_error (error, UL_ERROR, UL_ERROR_STORAGE);
  g_assert_cmpstr (error->message, ==, "Disk full");
  field = ul_error_get_field (error);
  g_assert_null (field);

  g_clear_error (&error);
  ul_set_field_error (&error, UL_ERROR_STORAGE, "", "Disk full");
  g_assert_cmpstr (error->message, ==, "Disk full");
}

static void
test_other_domain (void)
{
  g_autoptr (GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                  "name: looks like a field");
  g_autofree char *field = ul_error_get_field (error);
  g_autofree char *reason = ul_error_get_reason (error);

  g_assert_null (field);
  g_assert_cmpstr (reason, ==, "name: looks like a field");

  ul_error_prefix_field (&error, "customer");
  g_assert_cmpstr (error->message, ==, "name: looks like a field");
}

static void
test_prefix (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) plain = NULL;
  GError *none = NULL;
  g_autofree char *field = NULL;
  g_autofree char *reason = NULL;

  ul_set_field_error (&error, UL_ERROR_INVALID_ARGUMENT, "email", "Not valid");
  ul_error_prefix_field (&error, "adminContacts[2]");
  field = ul_error_get_field (error);
  reason = ul_error_get_reason (error);
  g_assert_cmpstr (field, ==, "adminContacts[2].email");
  g_assert_cmpstr (reason, ==, "Not valid");

  ul_error_prefix_field (&error, "customer");
  g_clear_pointer (&field, g_free);
  field = ul_error_get_field (error);
  g_assert_cmpstr (field, ==, "customer.adminContacts[2].email");

  /* No field, no change; and no error at all is fine. */
  plain = g_error_new_literal (UL_ERROR, UL_ERROR_FAILED, "Something failed");
  ul_error_prefix_field (&plain, "address");
  g_assert_cmpstr (plain->message, ==, "Something failed");
  ul_error_prefix_field (&none, "address");
  ul_error_prefix_field (NULL, "address");
  g_assert_null (none);
}

static void
test_dbus_mapping (void)
{
  /* Twice: registering is idempotent (every frontend may call it). */
  ul_error_register_dbus ();
  ul_error_register_dbus ();

  for (int code = 0; code <= UL_ERROR_LAST; code++)
    {
      g_autoptr (GError) local = NULL;
      g_autoptr (GError) remote = NULL;
      g_autofree char *encoded = NULL;
      g_autofree char *field = NULL;
      g_autofree char *reason = NULL;

      ul_set_field_error (&local, code, "ethernet.dns[0]", "Must be an IPv4 or IPv6 address");

      /* What the service side sends … */
      encoded = g_dbus_error_encode_gerror (local);
      g_assert_cmpstr (encoded, ==, ul_error_code_to_dbus_name (code));

      /* … and what the client side rebuilds. */
      remote = g_dbus_error_new_for_dbus_error (encoded, local->message);
      g_assert_error (remote, UL_ERROR, code);
      g_assert_true (g_dbus_error_is_remote_error (remote));

      /* Before stripping, the field is still found behind "GDBus.Error:<name>: ". */
      field = ul_error_get_field (remote);
      reason = ul_error_get_reason (remote);
      g_assert_cmpstr (field, ==, "ethernet.dns[0]");
      g_assert_cmpstr (reason, ==, "Must be an IPv4 or IPv6 address");

      g_assert_true (g_dbus_error_strip_remote_error (remote));
      g_assert_cmpstr (remote->message, ==, local->message);
      g_clear_pointer (&field, g_free);
      g_clear_pointer (&reason, g_free);
      field = ul_error_get_field (remote);
      reason = ul_error_get_reason (remote);
      g_assert_cmpstr (field, ==, "ethernet.dns[0]");
      g_assert_cmpstr (reason, ==, "Must be an IPv4 or IPv6 address");
    }
}

static void
test_dbus_mapping_no_field (void)
{
  g_autoptr (GError) remote = NULL;
  g_autofree char *field = NULL;
  g_autofree char *reason = NULL;

  ul_error_register_dbus ();
  remote = g_dbus_error_new_for_dbus_error ("io.github.uplink.Gateway1.Error.Busy",
                                            "Another sync is running");
  g_assert_error (remote, UL_ERROR, UL_ERROR_BUSY);
  field = ul_error_get_field (remote);
  reason = ul_error_get_reason (remote);
  g_assert_null (field);
  g_assert_cmpstr (reason, ==, "Another sync is running");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/uplink/common/error/names", test_names);
  g_test_add_func ("/uplink/common/error/from-string-unknown", test_from_string_unknown);
  g_test_add_func ("/uplink/common/error/field", test_field_error);
  g_test_add_func ("/uplink/common/error/no-field", test_no_field);
  g_test_add_func ("/uplink/common/error/no-field-via-setter", test_no_field_via_setter);
  g_test_add_func ("/uplink/common/error/other-domain", test_other_domain);
  g_test_add_func ("/uplink/common/error/prefix", test_prefix);
  g_test_add_func ("/uplink/common/error/dbus-mapping", test_dbus_mapping);
  g_test_add_func ("/uplink/common/error/dbus-mapping-no-field", test_dbus_mapping_no_field);

  return g_test_run ();
}
