/* test-session-utils.c — helpers shared by the client session and UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "test-session-utils.h"

/* The fingerprint as `openssl x509 -fingerprint -sha256` prints it: an independent check. */
char *
zg_session_test_openssl_fingerprint (const char *cert_path)
{
  const char *argv[] = { "openssl", "x509", "-in", cert_path, "-noout", "-fingerprint",
                         "-sha256", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *eq;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  eq = strchr (out, '=');
  g_assert_nonnull (eq);
  return g_strstrip (g_strdup (eq + 1));
}

/* A second self-signed certificate for 127.0.0.1, as a replaced or forged server one. */
gboolean
zg_session_test_make_certificate (const char  *dir,
                                  char       **out_cert,
                                  char       **out_key)
{
  g_autofree char *cert = g_build_filename (dir, "other-cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "other-key.pem", NULL);
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                         "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, NULL))
    return FALSE;
  *out_cert = g_steal_pointer (&cert);
  *out_key = g_steal_pointer (&key);
  return TRUE;
}

void
zg_session_test_wait (const gboolean *done)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!*done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Whether any regular file below @dir contains @needle. */
gboolean
zg_session_test_tree_contains (const char *dir,
                               const char *needle)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);

  if (d == NULL)
    return FALSE;
  for (const char *name = g_dir_read_name (d); name != NULL; name = g_dir_read_name (d))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *data = NULL;
      gsize len = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (zg_session_test_tree_contains (path, needle))
            return TRUE;
          continue;
        }
      if (g_file_get_contents (path, &data, &len, NULL)
          && memmem (data, len, needle, strlen (needle)) != NULL)
        return TRUE;
    }
  return FALSE;
}

void
zg_session_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      for (const char *name = g_dir_read_name (dir); name != NULL; name = g_dir_read_name (dir))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            zg_session_test_remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}
