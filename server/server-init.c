/* server-init.c — `zeugnis-server init`: data dir, key file, database, config, dev TLS cert
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "storage.h"
#include "zg-crypto.h"
#include "zg-server.h"
#include "zg-server-private.h"

static const char config_template[] =
  "# Zeugnis server configuration (see docs/admin-guide.md).\n"
  "# Relative paths are relative to the data directory.\n"
  "\n"
  "[server]\n"
  "# Address and port for HTTPS (TLS 1.2 or newer only).\n"
  "listen=127.0.0.1:8443\n"
  "# The address users reach the server under; used in e-mailed links.\n"
  "public_url=https://localhost:8443\n"
  "\n"
  "[database]\n"
  "path=zeugnis.db\n"
  "# The 256-bit database key. Keep it apart from the database and back it up separately.\n"
  "key_file=";

static const char config_template_tail[] =
  "\n"
  "\n"
  "[tls]\n"
  "# PEM files. init creates a self-signed development certificate; replace it in production.\n"
  "certificate=tls/server.crt\n"
  "key=tls/server.key\n"
  "\n"
  "[limits]\n"
  "# Requests per IP on authentication endpoints: bucket size and refill per minute.\n"
  "auth_burst=10\n"
  "auth_per_minute=10\n"
  "# Largest accepted request body in bytes.\n"
  "max_body_bytes=65536\n"
  "# Largest accepted body of POST /api/v1/sync/push (at most 2000 mutations) in bytes.\n"
  "max_push_bytes=16777216\n"
  "\n"
  "[mail]\n"
  "# Outgoing mail (docs/mail.md). smtp:// = port 587 with STARTTLS (required),\n"
  "# smtps:// = implicit TLS. Without smtp_url (demo), mails are written to the Maildir\n"
  "# 'mail' in the data directory and the server says so in its log.\n"
  "#smtp_url=smtp://mail.example.org:587\n"
  "#smtp_username=zeugnis@example.org\n"
  "#smtp_password=secret\n"
  "#smtp_ca_file=/etc/ssl/certs/company-ca.pem\n"
  "#from_address=zeugnis@example.org\n";

/* Writes @data to a new file with @mode; refuses to replace an existing file. */
static gboolean
write_new_file (const char  *path,
                const char  *data,
                gsize        len,
                mode_t       mode,
                GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  gsize done = 0;

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, ZG_SERVER_ERROR,
                   saved == EEXIST ? ZG_SERVER_ERROR_EXISTS : ZG_SERVER_ERROR_CONFIG,
                   "cannot create %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  while (done < len)
    {
      ssize_t n = write (fd, data + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          close (fd);
          g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_CONFIG, "cannot write %s: %s",
                       path, g_strerror (saved));
          return FALSE;
        }
      done += (gsize) n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved = errno;

      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_CONFIG, "cannot write %s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static char *
pem_of_bio (BIO *bio)
{
  char *data = NULL;
  long len = BIO_get_mem_data (bio, &data);

  return len > 0 ? g_strndup (data, (gsize) len) : NULL;
}

/* A self-signed P-256 certificate for localhost / 127.0.0.1, valid for 825 days. */
static gboolean
create_dev_certificate (const char  *cert_path,
                        const char  *key_path,
                        GError     **error)
{
  EVP_PKEY *pkey = NULL;
  X509 *x509 = NULL;
  X509_EXTENSION *ext = NULL;
  X509V3_CTX ctx;
  BIO *key_bio = NULL, *cert_bio = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *cert_pem = NULL;
  guint8 serial[16];
  BIGNUM *bn = NULL;
  gboolean ok = FALSE;

  pkey = EVP_EC_gen ("P-256");
  x509 = X509_new ();
  if (pkey == NULL || x509 == NULL || !zg_random_bytes (serial, sizeof serial))
    goto out;
  serial[0] &= 0x7f;
  bn = BN_bin2bn (serial, sizeof serial, NULL);
  if (bn == NULL || BN_to_ASN1_INTEGER (bn, X509_get_serialNumber (x509)) == NULL)
    goto out;
  if (X509_set_version (x509, 2) != 1 ||
      X509_gmtime_adj (X509_getm_notBefore (x509), -60) == NULL ||
      X509_gmtime_adj (X509_getm_notAfter (x509), 825L * 24 * 3600) == NULL ||
      X509_set_pubkey (x509, pkey) != 1)
    goto out;
  if (X509_NAME_add_entry_by_txt (X509_get_subject_name (x509), "CN", MBSTRING_ASC,
                                  (const unsigned char *) "localhost", -1, -1, 0) != 1 ||
      X509_NAME_add_entry_by_txt (X509_get_subject_name (x509), "O", MBSTRING_ASC,
                                  (const unsigned char *) "Zeugnis development", -1, -1, 0) != 1 ||
      X509_set_issuer_name (x509, X509_get_subject_name (x509)) != 1)
    goto out;

  X509V3_set_ctx (&ctx, x509, x509, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
  if (ext == NULL || X509_add_ext (x509, ext, -1) != 1)
    goto out;
  X509_EXTENSION_free (ext);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, NID_basic_constraints, "critical,CA:FALSE");
  if (ext == NULL || X509_add_ext (x509, ext, -1) != 1)
    goto out;
  X509_EXTENSION_free (ext);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, NID_ext_key_usage, "serverAuth");
  if (ext == NULL || X509_add_ext (x509, ext, -1) != 1)
    goto out;
  if (X509_sign (x509, pkey, EVP_sha256 ()) == 0)
    goto out;

  key_bio = BIO_new (BIO_s_mem ());
  cert_bio = BIO_new (BIO_s_mem ());
  if (key_bio == NULL || cert_bio == NULL ||
      PEM_write_bio_PrivateKey (key_bio, pkey, NULL, NULL, 0, NULL, NULL) != 1 ||
      PEM_write_bio_X509 (cert_bio, x509) != 1)
    goto out;
  key_pem = pem_of_bio (key_bio);
  cert_pem = pem_of_bio (cert_bio);
  if (key_pem == NULL || cert_pem == NULL)
    goto out;

  ok = TRUE;

out:
  X509_EXTENSION_free (ext);
  BN_free (bn);
  BIO_free (key_bio);
  BIO_free (cert_bio);
  X509_free (x509);
  EVP_PKEY_free (pkey);
  if (!ok)
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_TLS,
                   "cannot create the development TLS certificate");
      return FALSE;
    }
  ok = write_new_file (key_path, key_pem, strlen (key_pem), 0600, error) &&
       write_new_file (cert_path, cert_pem, strlen (cert_pem), 0644, error);
  OPENSSL_cleanse (key_pem, strlen (key_pem));
  return ok;
}

/* Creates a data dir (0700) with key file (0600), database, config and TLS certificate.
 * Refuses to touch an existing key file or database. */
gboolean
zg_server_init_data_dir (const char  *data_dir,
                         const char  *key_file,
                         gboolean     create_tls,
                         GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *tls_dir = NULL;
  g_autofree char *key_hex = NULL;
  g_autofree char *key_line = NULL;
  g_autofree char *config = NULL;
  ZgStorage *storage;
  guint8 key[ZG_STORAGE_KEY_BYTES];

  g_return_val_if_fail (data_dir != NULL, FALSE);

  _zg_server_ensure_resources ();
  dir = g_canonicalize_filename (data_dir, NULL);
  key_path = key_file != NULL ? g_canonicalize_filename (key_file, NULL)
                              : g_build_filename (dir, "zeugnis.key", NULL);
  db_path = g_build_filename (dir, "zeugnis.db", NULL);
  config_path = g_build_filename (dir, ZG_SERVER_CONFIG_NAME, NULL);
  tls_dir = g_build_filename (dir, "tls", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0 || g_chmod (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_CONFIG, "cannot create %s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  if (g_file_test (key_path, G_FILE_TEST_EXISTS) || g_file_test (db_path, G_FILE_TEST_EXISTS) ||
      g_file_test (config_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_EXISTS,
                   "%s is already initialised; refusing to overwrite its key or database", dir);
      return FALSE;
    }

  if (!zg_random_bytes (key, sizeof key))
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_KEY, "no random numbers available");
      return FALSE;
    }
  key_hex = zg_hex_encode (key, sizeof key);
  key_line = g_strconcat (key_hex, "\n", NULL);
  OPENSSL_cleanse (key_hex, strlen (key_hex));
  if (!write_new_file (key_path, key_line, strlen (key_line), 0600, error))
    {
      OPENSSL_cleanse (key, sizeof key);
      OPENSSL_cleanse (key_line, strlen (key_line));
      return FALSE;
    }
  OPENSSL_cleanse (key_line, strlen (key_line));

  storage = zg_storage_open (db_path, key, TRUE, error);
  OPENSSL_cleanse (key, sizeof key);
  if (storage == NULL)
    return FALSE;
  zg_storage_free (storage);
  if (g_chmod (db_path, 0600) != 0)
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_CONFIG, "cannot restrict %s", db_path);
      return FALSE;
    }

  config = g_strconcat (config_template, key_file != NULL ? key_path : "zeugnis.key",
                        config_template_tail, NULL);
  if (!write_new_file (config_path, config, strlen (config), 0600, error))
    return FALSE;

  if (create_tls)
    {
      g_autofree char *cert_path = g_build_filename (tls_dir, "server.crt", NULL);
      g_autofree char *tls_key_path = g_build_filename (tls_dir, "server.key", NULL);

      if (g_mkdir_with_parents (tls_dir, 0700) != 0)
        {
          g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_CONFIG, "cannot create %s",
                       tls_dir);
          return FALSE;
        }
      if (!create_dev_certificate (cert_path, tls_key_path, error))
        return FALSE;
    }
  return TRUE;
}
