/* zg-certificate-pins.c — confirmed server certificates, one fingerprint per host and port
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "zg-certificate-pins.h"

#define PINS_GROUP_PREFIX "server "
#define PINS_KEY          "sha256"

/* Upper-case hex pairs joined by colons, the form `openssl x509 -fingerprint -sha256` prints. */
char *
zg_certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  GString *out;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  out = g_string_sized_new (3 * digest_len);
  for (gsize i = 0; i < digest_len; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);
  return g_string_free (out, FALSE);
}

char *
zg_certificate_pins_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "zeugnis", "pinned-certificates", NULL);
}

/* "host:port" with the host in lower case and the scheme's default port filled in. */
char *
zg_certificate_pins_key_for_uri (GUri *uri)
{
  g_autofree char *host = NULL;
  int port;

  g_return_val_if_fail (uri != NULL, NULL);

  if (g_uri_get_host (uri) == NULL)
    return NULL;
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  port = g_uri_get_port (uri);
  if (port <= 0)
    port = 443;
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%d", host, port);
  return g_strdup_printf ("%s:%d", host, port);
}

static GKeyFile *
load_pins (const char  *path,
           GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local_error)
      && !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return NULL;
    }
  return g_steal_pointer (&kf);
}

char *
zg_certificate_pins_lookup (const char  *path,
                            const char  *host_port,
                            GError     **error)
{
  g_autoptr(GKeyFile) kf = NULL;
  g_autofree char *group = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (host_port != NULL, NULL);

  kf = load_pins (path, error);
  if (kf == NULL)
    return NULL;
  group = g_strconcat (PINS_GROUP_PREFIX, host_port, NULL);
  return g_key_file_get_string (kf, group, PINS_KEY, NULL);
}

static gboolean
save_pins (const char  *path,
           GKeyFile    *kf,
           GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  gsize len = 0;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", dir,
                   g_strerror (saved));
      return FALSE;
    }
  data = g_key_file_to_data (kf, &len, NULL);
  return g_file_set_contents_full (path, data, (gssize) len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

gboolean
zg_certificate_pins_set (const char  *path,
                         const char  *host_port,
                         const char  *fingerprint,
                         GError     **error)
{
  g_autoptr(GKeyFile) kf = NULL;
  g_autofree char *group = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (host_port != NULL, FALSE);
  g_return_val_if_fail (fingerprint != NULL && strlen (fingerprint) == 95, FALSE);

  kf = load_pins (path, error);
  if (kf == NULL)
    return FALSE;
  group = g_strconcat (PINS_GROUP_PREFIX, host_port, NULL);
  g_key_file_set_string (kf, group, PINS_KEY, fingerprint);
  return save_pins (path, kf, error);
}

gboolean
zg_certificate_pins_remove (const char  *path,
                            const char  *host_port,
                            GError     **error)
{
  g_autoptr(GKeyFile) kf = NULL;
  g_autofree char *group = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (host_port != NULL, FALSE);

  kf = load_pins (path, error);
  if (kf == NULL)
    return FALSE;
  group = g_strconcat (PINS_GROUP_PREFIX, host_port, NULL);
  if (!g_key_file_has_group (kf, group))
    return TRUE;
  g_key_file_remove_group (kf, group, NULL);
  return save_pins (path, kf, error);
}
