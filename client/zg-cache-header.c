/* zg-cache-header.c — the plain-text sidecar next to each cache file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-cache.h"
#include "zg-cache-header.h"
#include "zg-crypto.h"

#define GROUP         "Zeugnis Cache"
#define FORMAT        1
#define MAX_FILE_SIZE 4096

ZgCacheHeader *
zg_cache_header_new (ZgCacheKeySource key_source)
{
  ZgCacheHeader *header = g_new0 (ZgCacheHeader, 1);

  header->cache_id = g_uuid_string_random ();
  header->key_source = key_source;
  if (key_source == ZG_CACHE_KEY_SOURCE_PASSPHRASE)
    zg_cache_kdf_params_init (&header->kdf);
  return header;
}

void
zg_cache_header_free (ZgCacheHeader *header)
{
  if (header == NULL)
    return;
  g_free (header->cache_id);
  g_free (header->key_check);
  g_free (header);
}

char *
zg_cache_header_path_for (const char *cache_path)
{
  g_return_val_if_fail (cache_path != NULL, NULL);
  return g_strconcat (cache_path, ".header", NULL);
}

static gboolean
header_corrupt (GError     **error,
                const char  *header_path,
                const char  *what)
{
  g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_CORRUPT,
               "The cache header %s is damaged: %s", header_path, what);
  return FALSE;
}

static gboolean
read_uint (GKeyFile    *file,
           const char  *name,
           guint32     *out)
{
  g_autoptr(GError) error = NULL;
  guint64 value = g_key_file_get_uint64 (file, GROUP, name, &error);

  if (error != NULL || value > G_MAXUINT32)
    return FALSE;
  *out = (guint32) value;
  return TRUE;
}

ZgCacheHeader *
zg_cache_header_load (const char  *header_path,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(ZgCacheHeader) header = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *source = NULL;
  g_autofree char *salt = NULL;
  gsize length = 0;
  gint64 format;

  g_return_val_if_fail (header_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (header_path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND,
                     "The cache header %s does not exist", header_path);
      else
        g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_IO,
                     "Could not read the cache header: %s", local_error->message);
      return NULL;
    }
  if (length > MAX_FILE_SIZE || memchr (contents, '\0', length) != NULL
      || !g_utf8_validate (contents, (gssize) length, NULL)
      || !g_key_file_load_from_data (file, contents, length, G_KEY_FILE_NONE, NULL))
    {
      header_corrupt (error, header_path, "not a header file");
      return NULL;
    }

  header = g_new0 (ZgCacheHeader, 1);
  format = g_key_file_get_int64 (file, GROUP, "format", NULL);
  if (format != FORMAT)
    {
      header_corrupt (error, header_path, "unknown format");
      return NULL;
    }
  header->cache_id = g_key_file_get_string (file, GROUP, "cache-id", NULL);
  if (header->cache_id == NULL || !g_uuid_string_is_valid (header->cache_id))
    {
      header_corrupt (error, header_path, "no valid cache id");
      return NULL;
    }
  header->key_check = g_key_file_get_string (file, GROUP, "key-check", NULL);
  if (header->key_check == NULL || strlen (header->key_check) != 64)
    {
      header_corrupt (error, header_path, "no valid key check value");
      return NULL;
    }

  source = g_key_file_get_string (file, GROUP, "key-source", NULL);
  if (g_strcmp0 (source, "keyring") == 0)
    header->key_source = ZG_CACHE_KEY_SOURCE_KEYRING;
  else if (g_strcmp0 (source, "passphrase") == 0)
    header->key_source = ZG_CACHE_KEY_SOURCE_PASSPHRASE;
  else
    {
      header_corrupt (error, header_path, "unknown key source");
      return NULL;
    }

  if (header->key_source == ZG_CACHE_KEY_SOURCE_PASSPHRASE)
    {
      g_autofree char *kdf = g_key_file_get_string (file, GROUP, "kdf", NULL);

      salt = g_key_file_get_string (file, GROUP, "kdf-salt", NULL);
      if (g_strcmp0 (kdf, "argon2id") != 0
          || !read_uint (file, "kdf-memory-kib", &header->kdf.memory_kib)
          || !read_uint (file, "kdf-iterations", &header->kdf.iterations)
          || !read_uint (file, "kdf-parallelism", &header->kdf.parallelism)
          || salt == NULL
          || !zg_hex_decode (salt, header->kdf.salt, sizeof header->kdf.salt)
          || !zg_cache_kdf_params_valid (&header->kdf))
        {
          header_corrupt (error, header_path, "invalid key derivation parameters");
          return NULL;
        }
    }
  return g_steal_pointer (&header);
}

gboolean
zg_cache_header_save (const ZgCacheHeader  *header,
                      const char           *header_path,
                      GError              **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (header != NULL, FALSE);
  g_return_val_if_fail (header->key_check != NULL, FALSE);
  g_return_val_if_fail (header_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_key_file_set_int64 (file, GROUP, "format", FORMAT);
  g_key_file_set_string (file, GROUP, "cache-id", header->cache_id);
  g_key_file_set_string (file, GROUP, "key-source",
                         header->key_source == ZG_CACHE_KEY_SOURCE_KEYRING
                         ? "keyring" : "passphrase");
  if (header->key_source == ZG_CACHE_KEY_SOURCE_PASSPHRASE)
    {
      g_autofree char *salt = zg_hex_encode (header->kdf.salt, sizeof header->kdf.salt);

      g_key_file_set_string (file, GROUP, "kdf", "argon2id");
      g_key_file_set_uint64 (file, GROUP, "kdf-memory-kib", header->kdf.memory_kib);
      g_key_file_set_uint64 (file, GROUP, "kdf-iterations", header->kdf.iterations);
      g_key_file_set_uint64 (file, GROUP, "kdf-parallelism", header->kdf.parallelism);
      g_key_file_set_string (file, GROUP, "kdf-salt", salt);
    }
  g_key_file_set_string (file, GROUP, "key-check", header->key_check);

  data = g_key_file_to_data (file, &length, NULL);
  if (!g_file_set_contents_full (header_path, data, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_IO,
                   "Could not write the cache header: %s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

void
zg_cache_header_set_key (ZgCacheHeader    *header,
                         const ZgCacheKey *key)
{
  g_return_if_fail (header != NULL);
  g_return_if_fail (key != NULL);

  g_free (header->key_check);
  header->key_check = zg_cache_key_check_value (key);
}

gboolean
zg_cache_header_check_key (const ZgCacheHeader *header,
                           const ZgCacheKey    *key)
{
  g_autofree char *check = NULL;

  g_return_val_if_fail (header != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (header->key_check == NULL)
    return FALSE;
  check = zg_cache_key_check_value (key);
  return zg_constant_time_str_equal (check, header->key_check);
}
