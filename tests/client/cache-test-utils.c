/* cache-test-utils.c — small helpers shared by the client cache tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "cache-test-utils.h"

char *
cache_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("zg-cache-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
cache_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        cache_test_remove_dir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

gboolean
cache_test_file_contains (const char *path,
                          const void *needle,
                          gsize       needle_len)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return memmem (contents, length, needle, needle_len) != NULL;
}

/* Every regular file below @dir, recursively. */
gboolean
cache_test_dir_contains (const char *dir,
                         const char *needle)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return FALSE;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (cache_test_dir_contains (path, needle))
            return TRUE;
        }
      else if (cache_test_file_contains (path, needle, strlen (needle)))
        return TRUE;
    }
  return FALSE;
}

guint
cache_test_file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

/* Runs this test binary again as a child with a role argument; returns its exit status,
 * or -1 with @term_signal set when a signal ended it. */
int
cache_test_run_self (const char *self_path,
                     const char *argv1,
                     const char *argv2,
                     const char *argv3,
                     int        *term_signal)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                            self_path, argv1, argv2, argv3, NULL);
  g_assert_no_error (error);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  *term_signal = 0;
  if (g_subprocess_get_if_signaled (child))
    {
      *term_signal = g_subprocess_get_term_sig (child);
      return -1;
    }
  return g_subprocess_get_exit_status (child);
}
