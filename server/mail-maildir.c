/* mail-maildir.c — demo delivery: mails as files in a Maildir (no SMTP configured)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Standard Maildir delivery (write to tmp/, then rename into new/) so that any mail client or
 * `ls new/` sees only complete files. Directories 0700, files 0600: the mails carry links.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "mail-maildir.h"
#include "zg-crypto.h"

static gboolean
ensure_dir (const char  *path,
            GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
zg_maildir_deliver (const char  *maildir,
                    GBytes      *message,
                    char       **out_path,
                    GError     **error)
{
  g_autofree char *tmp_dir = NULL;
  g_autofree char *new_dir = NULL;
  g_autofree char *cur_dir = NULL;
  g_autofree char *unique = NULL;
  g_autofree char *random = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *new_path = NULL;
  const guint8 *data;
  gsize len;
  gsize written = 0;
  gint64 now_us;
  int fd;

  g_return_val_if_fail (maildir != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  tmp_dir = g_build_filename (maildir, "tmp", NULL);
  new_dir = g_build_filename (maildir, "new", NULL);
  cur_dir = g_build_filename (maildir, "cur", NULL);
  if (!ensure_dir (tmp_dir, error) || !ensure_dir (new_dir, error) || !ensure_dir (cur_dir, error))
    return FALSE;

  now_us = g_get_real_time ();
  random = zg_random_hex (8);
  unique = g_strdup_printf ("%" G_GINT64_FORMAT ".M%06" G_GINT64_FORMAT "P%dR%s.zeugnis",
                            now_us / G_USEC_PER_SEC, now_us % G_USEC_PER_SEC, (int) getpid (),
                            random);
  tmp_path = g_build_filename (tmp_dir, unique, NULL);
  new_path = g_build_filename (new_dir, unique, NULL);

  fd = g_open (tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create %s: %s", tmp_path, g_strerror (saved_errno));
      return FALSE;
    }

  data = g_bytes_get_data (message, &len);
  while (written < len)
    {
      ssize_t n = write (fd, data + written, len - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = errno;

          (void) close (fd);
          (void) g_unlink (tmp_path);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       "Cannot write %s: %s", tmp_path, g_strerror (saved_errno));
          return FALSE;
        }
      written += (gsize) n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved_errno = errno;

      (void) g_unlink (tmp_path);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot write %s: %s", tmp_path, g_strerror (saved_errno));
      return FALSE;
    }
  if (g_rename (tmp_path, new_path) != 0)
    {
      int saved_errno = errno;

      (void) g_unlink (tmp_path);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot move mail into %s: %s", new_dir, g_strerror (saved_errno));
      return FALSE;
    }
  if (out_path != NULL)
    *out_path = g_steal_pointer (&new_path);
  return TRUE;
}
