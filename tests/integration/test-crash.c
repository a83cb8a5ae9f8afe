/* test-crash.c — crash safety: a client writes updates as fast as uplinkd acknowledges
 * them while the test kills uplinkd with SIGKILL at a random moment. After each kill the
 * store must be consistent and hold every acknowledged update (plus, at most, the one
 * that was in flight). Bounded: UL_CRASH_ROUNDS rounds (default 40). */
#include "config.h"

#include "ul-store.h"
#include "ul-test-daemon.h"

#define ONB "Onboarding"

static const char *customer_base =
  "{'name': <'Crash Test GmbH'>,"
  " 'address': <{'street': <'Hauptstrasse 5'>, 'city': <'Bern'>,"
  "              'postalCode': <'3011'>, 'country': <'CH'>}>,"
  " 'businessType': <'technology'>, 'language': <'de'>,"
  " 'supportContacts': <[{'role': <'maintainer'>, 'name': <'M'>, 'email': <'m@partner.example'>},"
  "                      {'role': <'onsiteAdmin'>, 'name': <'O'>, 'email': <'o@crash.example'>}]>}";

typedef struct
{
  UlTestDaemon *daemon;
  guint         round;
  guint         next;          /* sequence number of the next update to send */
  gint          acked_name;    /* last acknowledged customer-name sequence, -1 none */
  gint          acked_digits;  /* last acknowledged outbound-digits sequence, -1 none */
  gint          inflight;      /* sequence in flight, -1 none */
  gboolean      killed;
  gboolean      idle;          /* no call in flight after the kill */
} Writer;

static void send_next (Writer *w);

static void
on_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Writer *w = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result,
                                                             &error);
  gint seq = w->inflight;

  w->inflight = -1;
  if (reply != NULL)
    {
      if (seq % 2 == 0)
        w->acked_name = seq;
      else
        w->acked_digits = seq;
    }
  else if (!w->killed)
    g_error ("update %d failed before the kill: %s", seq, error->message);

  if (w->killed)
    w->idle = TRUE;
  else
    send_next (w);
}

/* Even sequence numbers rename the customer, odd ones set the outbound digits, so two
 * different tables see writes. */
static void
send_next (Writer *w)
{
  g_autofree char *value = NULL;
  GVariant *changes;
  const char *method;

  w->inflight = (gint) w->next++;
  if (w->inflight % 2 == 0)
    {
      value = g_strdup_printf ("Round %u update %d", w->round, w->inflight);
      changes = g_variant_new_parsed ("{'name': <%s>}", value);
      method = "UpdateCustomer";
    }
  else
    {
      value = g_strdup_printf ("%d", w->inflight % 100000);
      changes = g_variant_new_parsed ("{'outboundDigits': <%s>}", value);
      method = "UpdateAdvanced";
    }
  g_dbus_connection_call (w->daemon->connection, "io.github.uplink.Gateway1",
                          "/io/github/uplink/Gateway1", "io.github.uplink.Gateway1.Onboarding",
                          method, g_variant_new ("(@a{sv})", changes), NULL,
                          G_DBUS_CALL_FLAGS_NONE, 10000, NULL, on_reply, w);
}

static gboolean
on_kill (gpointer user_data)
{
  Writer *w = user_data;

  w->killed = TRUE;
  g_subprocess_send_signal (w->daemon->process, SIGKILL);
  if (w->inflight < 0)
    w->idle = TRUE;
  return G_SOURCE_REMOVE;
}

/* What the store holds must be the last acknowledged write or the one in flight. */
static void
check_store (Writer *w, gint inflight_at_kill)
{
  g_autofree char *path = g_build_filename (w->daemon->data_dir, "uplink.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(UlStore) store = ul_store_open (path, &error);
  g_autoptr(UlCustomer) customer = NULL;
  g_autoptr(UlAdvanced) advanced = NULL;

  g_assert_no_error (error);
  g_assert_true (ul_store_check (store, &error));
  g_assert_no_error (error);

  customer = ul_store_load_customer (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (customer);
  if (w->acked_name >= 0)
    {
      g_autofree char *acked = g_strdup_printf ("Round %u update %d", w->round, w->acked_name);
      g_autofree char *maybe = g_strdup_printf ("Round %u update %d", w->round, inflight_at_kill);
      if (g_strcmp0 (customer->name, acked) != 0
          && !(inflight_at_kill % 2 == 0 && g_strcmp0 (customer->name, maybe) == 0))
        g_error ("round %u: acknowledged name “%s” lost, store has “%s”", w->round, acked,
                 customer->name);
    }

  advanced = ul_store_load_advanced (store, &error);
  g_assert_no_error (error);
  if (w->acked_digits >= 0)
    {
      g_autofree char *acked = g_strdup_printf ("%d", w->acked_digits % 100000);
      g_autofree char *maybe = g_strdup_printf ("%d", inflight_at_kill % 100000);
      g_assert_nonnull (advanced);
      if (g_strcmp0 (advanced->outbound_digits, acked) != 0
          && !(inflight_at_kill % 2 == 1 && g_strcmp0 (advanced->outbound_digits, maybe) == 0))
        g_error ("round %u: acknowledged digits “%s” lost, store has “%s”", w->round, acked,
                 advanced->outbound_digits);
    }
}

static void
test_kill_during_writes (void)
{
  g_autoptr(UlTestDaemon) d = ul_test_daemon_new ();
  const char *rounds_env = g_getenv ("UL_CRASH_ROUNDS");
  guint rounds = rounds_env != NULL ? (guint) g_ascii_strtoull (rounds_env, NULL, 10) : 40;
  guint total_acked = 0;

  ul_test_daemon_start (d);
  g_variant_unref (ul_test_daemon_call_ok (d, ONB, "UpdateCustomer",
                                           g_variant_new ("(@a{sv})",
                                                          g_variant_new_parsed (customer_base))));
  ul_test_daemon_stop (d);

  for (guint round = 0; round < rounds; round++)
    {
      Writer w = { .daemon = d, .round = round, .acked_name = -1, .acked_digits = -1,
                   .inflight = -1 };
      gint inflight_at_kill;

      ul_test_daemon_start (d);
      send_next (&w);
      g_timeout_add (g_test_rand_int_range (5, 250), on_kill, &w);
      ul_test_wait_until (&w.killed, 10000);
      inflight_at_kill = w.inflight >= 0 ? w.inflight : (gint) w.next - 1;
      ul_test_wait_until (&w.idle, 10000);
      g_subprocess_wait (d->process, NULL, NULL);
      g_clear_object (&d->process);

      check_store (&w, inflight_at_kill);
      total_acked += (guint) MAX (0, w.acked_name) + (guint) MAX (0, w.acked_digits);
    }

  g_test_message ("%u rounds, acknowledged sequence numbers summed: %u", rounds, total_acked);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/uplink/crash/kill-during-writes", test_kill_during_writes);
  return g_test_run ();
}
