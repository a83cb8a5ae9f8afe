/* ul-http-cert.c — the gateway's self-signed TLS certificate (see the header). */
#define G_LOG_DOMAIN "uplink-http"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <gnutls/crypto.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ul-error.h"
#include "ul-http-cert.h"

#define VALIDITY_SECONDS ((time_t) 3650 * 24 * 60 * 60)

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)

static gboolean
gnutls_failed (int rc, const char *what, GError **error)
{
  g_set_error (error, UL_ERROR, UL_ERROR_FAILED, _("Cannot create the TLS certificate (%s): %s"),
               what, gnutls_strerror (rc));
  return FALSE;
}

static void
datum_free (gnutls_datum_t *datum)
{
  if (datum->data != NULL)
    {
      gnutls_memset (datum->data, 0, datum->size);
      gnutls_free (datum->data);
    }
  datum->data = NULL;
}

/* Writes @data to @path atomically (temporary file, fsync, rename) with @mode from the
 * start, so the key is never readable by others, not even for a moment. */
static gboolean
write_private_file (const char *path, const guint8 *data, gsize size, int mode, GError **error)
{
  g_autofree char *tmp = g_strconcat (path, ".new", NULL);
  gsize done = 0;
  int fd;

  g_unlink (tmp);
  fd = g_open (tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, UL_ERROR, UL_ERROR_STORAGE, _("Cannot create %s: %s"), tmp,
                   g_strerror (saved_errno));
      return FALSE;
    }
  while (done < size)
    {
      ssize_t n = write (fd, data + done, size - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += (gsize) n;
    }
  if (done < size || fsync (fd) != 0)
    {
      int saved_errno = errno;
      close (fd);
      g_unlink (tmp);
      g_set_error (error, UL_ERROR, UL_ERROR_STORAGE, _("Cannot write %s: %s"), tmp,
                   g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  if (g_rename (tmp, path) != 0)
    {
      int saved_errno = errno;
      g_unlink (tmp);
      g_set_error (error, UL_ERROR, UL_ERROR_STORAGE, _("Cannot write %s: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static gboolean
create_pair (const char *cert_path, const char *key_path, const char *common_name,
             GError **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t key_pem = { NULL, 0 };
  gnutls_datum_t crt_pem = { NULL, 0 };
  guint8 serial[16];
  time_t now = time (NULL);
  gboolean ok;
  int rc;

  if ((rc = gnutls_x509_privkey_init (&key)) < 0)
    return gnutls_failed (rc, "key", error);
  rc = gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                     GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0);
  if (rc < 0)
    return gnutls_failed (rc, "key", error);

  if ((rc = gnutls_x509_crt_init (&crt)) < 0)
    return gnutls_failed (rc, "certificate", error);
  /* A positive 128-bit random serial, as RFC 5280 asks. */
  if ((rc = gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial)) < 0)
    return gnutls_failed (rc, "serial", error);
  serial[0] &= 0x7f;
  serial[0] |= 0x01;
  if ((rc = gnutls_x509_crt_set_version (crt, 3)) < 0
      || (rc = gnutls_x509_crt_set_serial (crt, serial, sizeof serial)) < 0
      /* A day of slack for clients whose clock is behind. */
      || (rc = gnutls_x509_crt_set_activation_time (crt, now - 24 * 60 * 60)) < 0
      || (rc = gnutls_x509_crt_set_expiration_time (crt, now + VALIDITY_SECONDS)) < 0
      || (rc = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
                                              "Uplink", strlen ("Uplink"))) < 0
      || (rc = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, common_name,
                                              strlen (common_name))) < 0
      || (rc = gnutls_x509_crt_set_key (crt, key)) < 0
      || (rc = gnutls_x509_crt_set_basic_constraints (crt, 0, -1)) < 0
      || (rc = gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0
      || (rc = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0
      || (rc = gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0)) < 0)
    return gnutls_failed (rc, "certificate", error);

  if ((rc = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN,
                                               &key_pem)) < 0
      || (rc = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &crt_pem)) < 0)
    {
      datum_free (&key_pem);
      datum_free (&crt_pem);
      return gnutls_failed (rc, "export", error);
    }
  /* The key first: a certificate without its key is useless, and a crash in between
   * leaves a pair that the next start recreates. */
  ok = write_private_file (key_path, key_pem.data, key_pem.size, 0600, error)
       && write_private_file (cert_path, crt_pem.data, crt_pem.size, 0644, error);
  datum_free (&key_pem);
  datum_free (&crt_pem);
  return ok;
}

GTlsCertificate *
ul_http_cert_load_or_create (const char *dir, const char *common_name, GError **error)
{
  g_autofree char *cert_path = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key_path = g_build_filename (dir, "key.pem", NULL);
  GStatBuf st;

  g_return_val_if_fail (dir != NULL && common_name != NULL, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, UL_ERROR, UL_ERROR_STORAGE, _("Cannot create %s: %s"), dir,
                   g_strerror (saved_errno));
      return NULL;
    }
  if (!g_file_test (cert_path, G_FILE_TEST_EXISTS) || !g_file_test (key_path, G_FILE_TEST_EXISTS))
    {
      g_message ("creating the TLS certificate in %s", dir);
      if (!create_pair (cert_path, key_path, common_name, error))
        return NULL;
    }
  /* Someone may have loosened the key's mode by hand: tighten it again. */
  if (g_stat (key_path, &st) == 0 && (st.st_mode & 077) != 0)
    {
      g_warning ("%s was readable by others; making it private again", key_path);
      if (g_chmod (key_path, 0600) != 0)
        g_warning ("cannot change the mode of %s: %s", key_path, g_strerror (errno));
    }
  return g_tls_certificate_new_from_files (cert_path, key_path, error);
}

char *
ul_http_cert_get_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}
