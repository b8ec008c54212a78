/* zg-cache-account.c — open (or create) the offline cache of one server and user, and reset it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>
#include <openssl/crypto.h>

#include "zg-cache-account.h"
#include "zg-crypto.h"

typedef struct
{
  char *path;
  char *header_path;
  char *server_url;   /* normalised: the keyring attributes */
  char *user;
} Account;

static void
account_clear (Account *account)
{
  g_clear_pointer (&account->path, g_free);
  g_clear_pointer (&account->header_path, g_free);
  g_clear_pointer (&account->server_url, g_free);
  g_clear_pointer (&account->user, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Account, account_clear)

static gboolean
account_init (Account     *account,
              const char  *base_dir,
              const char  *server_url,
              const char  *user,
              GError     **error)
{
  if (!zg_cache_normalize_account (server_url, user, &account->server_url, &account->user, error))
    return FALSE;
  account->path = zg_cache_path_for (base_dir, server_url, user, error);
  if (account->path == NULL)
    return FALSE;
  account->header_path = zg_cache_header_path_for (account->path);
  return TRUE;
}

static void
remove_cache_files (const char *path,
                    const char *header_path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
  g_unlink (header_path);
}

static ZgCache *
create_cache (Account       *account,
              const char    *passphrase,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(ZgCacheHeader) header = zg_cache_header_new (ZG_CACHE_KEY_SOURCE_KEYRING);
  g_autoptr(ZgCacheKey) key = zg_cache_key_new_random ();
  g_autoptr(GError) keyring_error = NULL;
  ZgCache *cache;

  if (!zg_cache_key_store_sync (account->server_url, account->user, header->cache_id, key,
                                cancellable, &keyring_error))
    {
      if (!g_error_matches (keyring_error, ZG_CACHE_ERROR,
                            ZG_CACHE_ERROR_KEYRING_UNAVAILABLE))
        {
          g_propagate_error (error, g_steal_pointer (&keyring_error));
          return NULL;
        }
      if (passphrase == NULL)
        {
          g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NEED_PASSPHRASE,
                       "No keyring is available (%s). Choose a passphrase to protect the "
                       "offline cache.", keyring_error->message);
          return NULL;
        }
      g_clear_pointer (&header, zg_cache_header_free);
      g_clear_pointer (&key, zg_cache_key_free);
      header = zg_cache_header_new (ZG_CACHE_KEY_SOURCE_PASSPHRASE);
      key = zg_cache_key_derive (passphrase, &header->kdf, error);
      if (key == NULL)
        return NULL;
    }

  cache = zg_cache_create (account->path, header, key, error);
  if (cache == NULL && header->key_source == ZG_CACHE_KEY_SOURCE_KEYRING)
    zg_cache_key_clear_sync (account->server_url, account->user, header->cache_id,
                             NULL, NULL);
  return cache;
}

ZgCache *
zg_cache_open_for_account (const char    *base_dir,
                           const char    *server_url,
                           const char    *user,
                           const char    *passphrase,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_auto(Account) account = { NULL, };
  g_autoptr(ZgCacheHeader) header = NULL;
  g_autoptr(ZgCacheKey) key = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean have_file;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!account_init (&account, base_dir, server_url, user, error))
    return NULL;

  have_file = g_file_test (account.path, G_FILE_TEST_EXISTS);
  header = zg_cache_header_load (account.header_path, &local_error);
  if (header == NULL)
    {
      if (!g_error_matches (local_error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (have_file)
        {
          g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_CORRUPT,
                       "The offline cache %s is damaged (its header file is missing). "
                       "It can be reset and synced again.", account.path);
          return NULL;
        }
      return create_cache (&account, passphrase, cancellable, error);
    }

  if (!have_file)
    {
      /* A header without a cache is left over from an interrupted creation: nothing to keep. */
      if (header->key_source == ZG_CACHE_KEY_SOURCE_KEYRING)
        zg_cache_key_clear_sync (account.server_url, account.user, header->cache_id,
                                 cancellable, NULL);
      remove_cache_files (account.path, account.header_path);
      return create_cache (&account, passphrase, cancellable, error);
    }

  if (header->key_source == ZG_CACHE_KEY_SOURCE_KEYRING)
    key = zg_cache_key_lookup_sync (account.server_url, account.user, header->cache_id,
                                    cancellable, error);
  else if (passphrase == NULL)
    g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NEED_PASSPHRASE,
                 "The offline cache of %s is protected by a passphrase", account.user);
  else
    key = zg_cache_key_derive (passphrase, &header->kdf, error);
  if (key == NULL)
    return NULL;

  return zg_cache_open (account.path, key, error);
}

/* "<hash>.export-20261126T193000Z-1a2b3c4d.json": next to the cache, never overwriting. */
static char *
sibling_path (const char *path,
              const char *what,
              const char *suffix)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *unique = zg_random_hex (4);
  g_autofree char *stem = g_strdup (path);

  if (g_str_has_suffix (stem, ".db"))
    stem[strlen (stem) - 3] = '\0';
  return g_strdup_printf ("%s.%s-%s-%s%s", stem, what, stamp, unique, suffix);
}

static gboolean
move_aside (const char  *from,
            const char  *to,
            gboolean     required,
            GError     **error)
{
  if (g_rename (from, to) != 0 && (required || errno != ENOENT))
    {
      int saved_errno = errno;

      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_IO, "Could not move %s aside: %s",
                   from, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/* Keeps a cache that cannot be decrypted (wrong key, damage) with its WAL and header, so that
 * the edits in it are not dropped silently; the right key or passphrase may still open it. */
static char *
quarantine (Account  *account,
            GError  **error)
{
  g_autofree char *target = sibling_path (account->path, "unreadable", ".db");
  g_autofree char *target_header = zg_cache_header_path_for (target);
  g_autofree char *wal = g_strconcat (account->path, "-wal", NULL);
  g_autofree char *target_wal = g_strconcat (target, "-wal", NULL);
  g_autofree char *shm = g_strconcat (account->path, "-shm", NULL);

  if (!move_aside (account->path, target, TRUE, error)
      || !move_aside (wal, target_wal, FALSE, error)
      || !move_aside (account->header_path, target_header, FALSE, error))
    return NULL;
  g_unlink (shm);
  return g_steal_pointer (&target);
}

gboolean
zg_cache_reset_for_account (const char    *base_dir,
                            const char    *server_url,
                            const char    *user,
                            ZgCache       *cache,
                            char         **saved_path,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_auto(Account) account = { NULL, };
  g_autoptr(ZgCacheHeader) header = NULL;
  g_autofree char *saved = NULL;

  g_return_val_if_fail (cache == NULL || ZG_IS_CACHE (cache), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (saved_path != NULL)
    *saved_path = NULL;
  if (!account_init (&account, base_dir, server_url, user, error))
    return FALSE;
  if (cache != NULL && g_strcmp0 (zg_cache_get_path (cache), account.path) != 0)
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                           "The open cache does not belong to this server and user");
      return FALSE;
    }

  header = zg_cache_header_load (account.header_path, NULL);
  if (cache != NULL)
    {
      saved = sibling_path (account.path, "export", ".json");
      if (!zg_cache_export_pending (cache, saved, error))
        return FALSE;
      zg_cache_close (cache);
      if (header != NULL && header->key_source == ZG_CACHE_KEY_SOURCE_KEYRING)
        zg_cache_key_clear_sync (account.server_url, account.user, header->cache_id,
                                 cancellable, NULL);
      remove_cache_files (account.path, account.header_path);
    }
  else if (g_file_test (account.path, G_FILE_TEST_EXISTS))
    {
      saved = quarantine (&account, error);
      if (saved == NULL)
        return FALSE;
    }
  else
    remove_cache_files (account.path, account.header_path);

  if (saved_path != NULL)
    *saved_path = g_steal_pointer (&saved);
  return TRUE;
}

/* Async wrappers: the keyring calls, the KDF and SQLite run on a worker thread. */

typedef struct
{
  char    *base_dir;
  char    *server_url;
  char    *user;
  char    *passphrase;
  ZgCache *cache;
} AccountTaskData;

static void
account_task_data_free (AccountTaskData *data)
{
  g_free (data->base_dir);
  g_free (data->server_url);
  g_free (data->user);
  if (data->passphrase != NULL)
    {
      OPENSSL_cleanse (data->passphrase, strlen (data->passphrase));
      g_free (data->passphrase);
    }
  g_clear_object (&data->cache);
  g_free (data);
}

static GTask *
account_task_new (gpointer             source_tag,
                  const char          *base_dir,
                  const char          *server_url,
                  const char          *user,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  AccountTaskData *data = g_new0 (AccountTaskData, 1);

  g_task_set_source_tag (task, source_tag);
  data->base_dir = g_strdup (base_dir);
  data->server_url = g_strdup (server_url);
  data->user = g_strdup (user);
  g_task_set_task_data (task, data, (GDestroyNotify) account_task_data_free);
  return task;
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AccountTaskData *data = task_data;
  GError *error = NULL;
  ZgCache *cache = zg_cache_open_for_account (data->base_dir, data->server_url, data->user,
                                              data->passphrase, cancellable, &error);

  if (cache == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, cache, g_object_unref);
}

void
zg_cache_open_for_account_async (const char          *base_dir,
                                 const char          *server_url,
                                 const char          *user,
                                 const char          *passphrase,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AccountTaskData *data;

  task = account_task_new (zg_cache_open_for_account_async, base_dir, server_url, user,
                           cancellable, callback, user_data);
  data = g_task_get_task_data (task);
  data->passphrase = g_strdup (passphrase);
  g_task_run_in_thread (task, open_thread);
}

ZgCache *
zg_cache_open_for_account_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == zg_cache_open_for_account_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reset_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  AccountTaskData *data = task_data;
  GError *error = NULL;
  char *saved = NULL;

  if (zg_cache_reset_for_account (data->base_dir, data->server_url, data->user, data->cache,
                                  &saved, cancellable, &error))
    g_task_return_pointer (task, saved, g_free);
  else
    g_task_return_error (task, error);
}

void
zg_cache_reset_for_account_async (const char          *base_dir,
                                  const char          *server_url,
                                  const char          *user,
                                  ZgCache             *cache,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AccountTaskData *data;

  g_return_if_fail (cache == NULL || ZG_IS_CACHE (cache));

  task = account_task_new (zg_cache_reset_for_account_async, base_dir, server_url, user,
                           cancellable, callback, user_data);
  data = g_task_get_task_data (task);
  data->cache = cache != NULL ? g_object_ref (cache) : NULL;
  g_task_run_in_thread (task, reset_thread);
}

/* @saved_path receives the export (or the set-aside unreadable file), NULL if there was none. */
gboolean
zg_cache_reset_for_account_finish (GAsyncResult  *result,
                                   char         **saved_path,
                                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *saved;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == zg_cache_reset_for_account_async, FALSE);

  saved = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (saved_path != NULL)
    *saved_path = saved;
  else
    g_free (saved);
  return TRUE;
}
