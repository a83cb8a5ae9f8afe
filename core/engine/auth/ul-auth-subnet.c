/* ul-auth-subnet.c — the gateway's own subnets, from getifaddrs(3). */
#define G_LOG_DOMAIN "uplink-auth"

#include "config.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <glib/gi18n-lib.h>

#include "ul-auth-subnet.h"
#include "ul-error.h"

static GInetAddress *
address_from_sockaddr (const struct sockaddr *sa)
{
  if (sa == NULL)
    return NULL;
  if (sa->sa_family == AF_INET)
    return g_inet_address_new_from_bytes (
      (const guint8 *) &((const struct sockaddr_in *) sa)->sin_addr, G_SOCKET_FAMILY_IPV4);
  if (sa->sa_family == AF_INET6)
    return g_inet_address_new_from_bytes (
      (const guint8 *) &((const struct sockaddr_in6 *) sa)->sin6_addr, G_SOCKET_FAMILY_IPV6);
  return NULL;
}

/* The prefix length of a netmask: its leading ones. A mask with holes (never configured
 * on Linux) then leaves host bits set in the network address, and g_inet_address_mask_new()
 * refuses it, so such an interface is skipped rather than matched too widely. */
static guint
prefix_length (GInetAddress *mask)
{
  const guint8 *bytes = g_inet_address_to_bytes (mask);
  gsize size = g_inet_address_get_native_size (mask);
  guint length = 0;

  for (gsize i = 0; i < size; i++)
    {
      guint8 b = bytes[i];
      if (b == 0xff)
        {
          length += 8;
          continue;
        }
      while (b & 0x80)
        {
          length++;
          b <<= 1;
        }
      break;
    }
  return length;
}

/* GInetAddressMask wants the network address itself (no host bits set). */
static GInetAddressMask *
network_of (GInetAddress *address, GInetAddress *netmask)
{
  guint8 bytes[16];
  const guint8 *mask = g_inet_address_to_bytes (netmask);
  gsize size = g_inet_address_get_native_size (address);
  g_autoptr(GInetAddress) network = NULL;

  memcpy (bytes, g_inet_address_to_bytes (address), size);
  for (gsize i = 0; i < size; i++)
    bytes[i] &= mask[i];
  network = g_inet_address_new_from_bytes (bytes, g_inet_address_get_family (address));
  return g_inet_address_mask_new (network, prefix_length (netmask), NULL);
}

GPtrArray *
ul_auth_subnet_list_local (GError **error)
{
  g_autoptr(GPtrArray) networks = g_ptr_array_new_with_free_func (g_object_unref);
  struct ifaddrs *list = NULL;

  if (getifaddrs (&list) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, UL_ERROR, UL_ERROR_FAILED, _("Cannot list the network interfaces: %s"),
                   g_strerror (saved_errno));
      return NULL;
    }

  for (struct ifaddrs *ifa = list; ifa != NULL; ifa = ifa->ifa_next)
    {
      g_autoptr(GInetAddress) address = NULL;
      g_autoptr(GInetAddress) netmask = NULL;
      GInetAddressMask *network;

      if (!(ifa->ifa_flags & IFF_UP))
        continue;
      address = address_from_sockaddr (ifa->ifa_addr);
      netmask = address_from_sockaddr (ifa->ifa_netmask);
      if (address == NULL || netmask == NULL
          || g_inet_address_get_family (address) != g_inet_address_get_family (netmask))
        continue;
      network = network_of (address, netmask);
      if (network != NULL)
        g_ptr_array_add (networks, network);
    }
  freeifaddrs (list);
  return g_steal_pointer (&networks);
}

/* ::ffff:a.b.c.d → a.b.c.d; anything else is returned as is (a new reference). */
static GInetAddress *
unmap_ipv4 (GInetAddress *address)
{
  static const guint8 prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  const guint8 *bytes;

  if (g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
    return g_object_ref (address);
  bytes = g_inet_address_to_bytes (address);
  if (memcmp (bytes, prefix, sizeof prefix) != 0)
    return g_object_ref (address);
  return g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
}

gboolean
ul_auth_subnet_matches (GPtrArray *networks, GInetAddress *peer)
{
  g_autoptr(GInetAddress) address = NULL;

  g_return_val_if_fail (networks != NULL, FALSE);
  g_return_val_if_fail (G_IS_INET_ADDRESS (peer), FALSE);

  address = unmap_ipv4 (peer);
  for (guint i = 0; i < networks->len; i++)
    {
      GInetAddressMask *network = g_ptr_array_index (networks, i);
      if (g_inet_address_get_family (g_inet_address_mask_get_address (network))
            == g_inet_address_get_family (address)
          && g_inet_address_mask_matches (network, address))
        return TRUE;
    }
  return FALSE;
}

gboolean
ul_auth_subnet_is_local (const char *peer, GError **error)
{
  g_autoptr(GPtrArray) networks = NULL;
  g_autoptr(GInetAddress) address = NULL;

  address = peer != NULL ? g_inet_address_new_from_string (peer) : NULL;
  if (address == NULL)
    return FALSE;
  networks = ul_auth_subnet_list_local (error);
  if (networks == NULL)
    return FALSE;
  return ul_auth_subnet_matches (networks, address);
}
