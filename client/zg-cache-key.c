/* zg-cache-key.c — the cache key: Secret Service storage and the Argon2id passphrase fallback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <argon2.h>
#include <libsecret/secret.h>
#include <openssl/crypto.h>

#include "zg-cache.h"
#include "zg-cache-key.h"
#include "zg-crypto.h"

struct _ZgCacheKey
{
  guint8 bytes[ZG_CACHE_KEY_BYTES];
};

/* The check value lets the cache tell a wrong key from a damaged file without storing the key. */
#define KEY_CHECK_LABEL "Zeugnis cache key check v1"

static const SecretSchema *
cache_secret_schema (void)
{
  static const SecretSchema schema = {
    "de.zeugnis.Cache", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "cache-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

ZgCacheKey *
zg_cache_key_new_random (void)
{
  ZgCacheKey *key = g_new0 (ZgCacheKey, 1);

  if (!zg_random_bytes (key->bytes, sizeof key->bytes))
    g_error ("CSPRNG failure");
  return key;
}

ZgCacheKey *
zg_cache_key_new_from_bytes (const guint8 *bytes,
                             gsize         len)
{
  ZgCacheKey *key;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (len == ZG_CACHE_KEY_BYTES, NULL);

  key = g_new0 (ZgCacheKey, 1);
  memcpy (key->bytes, bytes, sizeof key->bytes);
  return key;
}

ZgCacheKey *
zg_cache_key_copy (const ZgCacheKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return zg_cache_key_new_from_bytes (key->bytes, sizeof key->bytes);
}

const guint8 *
zg_cache_key_get_bytes (const ZgCacheKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return key->bytes;
}

char *
zg_cache_key_check_value (const ZgCacheKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return g_compute_hmac_for_data (G_CHECKSUM_SHA256, key->bytes, sizeof key->bytes,
                                  (const guchar *) KEY_CHECK_LABEL, strlen (KEY_CHECK_LABEL));
}

void
zg_cache_key_free (ZgCacheKey *key)
{
  if (key == NULL)
    return;
  OPENSSL_cleanse (key->bytes, sizeof key->bytes);
  g_free (key);
}

void
zg_cache_kdf_params_init (ZgCacheKdfParams *params)
{
  g_return_if_fail (params != NULL);

  params->memory_kib = ZG_CACHE_KDF_DEFAULT_MEMORY_KIB;
  params->iterations = ZG_CACHE_KDF_DEFAULT_ITERATIONS;
  params->parallelism = 1;
  if (!zg_random_bytes (params->salt, sizeof params->salt))
    g_error ("CSPRNG failure");
}

/* Bounds both ways: a header must not weaken the KDF, nor make it exhaust memory. */
gboolean
zg_cache_kdf_params_valid (const ZgCacheKdfParams *params)
{
  g_return_val_if_fail (params != NULL, FALSE);

  return params->memory_kib >= ZG_CACHE_KDF_MIN_MEMORY_KIB
         && params->memory_kib <= ZG_CACHE_KDF_MAX_MEMORY_KIB
         && params->iterations >= ZG_CACHE_KDF_MIN_ITERATIONS
         && params->iterations <= ZG_CACHE_KDF_MAX_ITERATIONS
         && params->parallelism == 1;
}

ZgCacheKey *
zg_cache_key_derive (const char              *passphrase,
                     const ZgCacheKdfParams  *params,
                     GError                 **error)
{
  g_autoptr(ZgCacheKey) key = NULL;
  int rc;

  g_return_val_if_fail (passphrase != NULL, NULL);
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (*passphrase == '\0')
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                           "The passphrase must not be empty");
      return NULL;
    }
  if (!zg_cache_kdf_params_valid (params))
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_CORRUPT,
                           "The cache header holds key derivation parameters out of range");
      return NULL;
    }

  key = g_new0 (ZgCacheKey, 1);
  rc = argon2id_hash_raw (params->iterations, params->memory_kib, params->parallelism,
                          passphrase, strlen (passphrase),
                          params->salt, sizeof params->salt,
                          key->bytes, sizeof key->bytes);
  if (rc != ARGON2_OK)
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_FAILED,
                   "Could not derive the cache key: %s", argon2_error_message (rc));
      return NULL;
    }
  return g_steal_pointer (&key);
}

static char *
key_label (const char *server_url,
           const char *user)
{
  return g_strdup_printf ("Zeugnis offline cache key (%s at %s)", user, server_url);
}

gboolean
zg_cache_key_store_sync (const char        *server_url,
                         const char        *user,
                         const char        *cache_id,
                         const ZgCacheKey  *key,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *label = NULL;
  char *hex;
  gboolean ok;

  g_return_val_if_fail (server_url != NULL, FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (cache_id != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  label = key_label (server_url, user);
  hex = zg_hex_encode (key->bytes, sizeof key->bytes);
  ok = secret_password_store_sync (cache_secret_schema (), SECRET_COLLECTION_DEFAULT, label, hex,
                                   cancellable, &local_error,
                                   "server", server_url,
                                   "user", user,
                                   "cache-id", cache_id,
                                   NULL);
  OPENSSL_cleanse (hex, strlen (hex));
  g_free (hex);

  if (!ok)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_KEYRING_UNAVAILABLE,
                     "The keyring (Secret Service) is not available: %s",
                     local_error != NULL ? local_error->message : "unknown error");
      return FALSE;
    }
  return TRUE;
}

ZgCacheKey *
zg_cache_key_lookup_sync (const char    *server_url,
                          const char    *user,
                          const char    *cache_id,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(ZgCacheKey) key = NULL;
  char *hex;
  gboolean decoded;

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (cache_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  hex = secret_password_lookup_sync (cache_secret_schema (), cancellable, &local_error,
                                     "server", server_url,
                                     "user", user,
                                     "cache-id", cache_id,
                                     NULL);
  if (local_error != NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_KEYRING_UNAVAILABLE,
                     "The keyring (Secret Service) is not available: %s", local_error->message);
      return NULL;
    }
  if (hex == NULL)
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_KEY_MISSING,
                   "The keyring holds no key for the offline cache of %s at %s",
                   user, server_url);
      return NULL;
    }

  key = g_new0 (ZgCacheKey, 1);
  decoded = zg_hex_decode (hex, key->bytes, sizeof key->bytes);
  secret_password_free (hex);
  if (!decoded)
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_KEY_MISSING,
                   "The keyring entry for the offline cache of %s at %s is not a valid key",
                   user, server_url);
      return NULL;
    }
  return g_steal_pointer (&key);
}

gboolean
zg_cache_key_clear_sync (const char    *server_url,
                         const char    *user,
                         const char    *cache_id,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (server_url != NULL, FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (cache_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* FALSE without an error only means there was nothing to remove. */
  if (!secret_password_clear_sync (cache_secret_schema (), cancellable, &local_error,
                                   "server", server_url,
                                   "user", user,
                                   "cache-id", cache_id,
                                   NULL)
      && local_error != NULL)
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_KEYRING_UNAVAILABLE,
                   "The keyring (Secret Service) is not available: %s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Async variants: the blocking calls run on a worker thread of the GTask pool. */

typedef struct
{
  char             *server_url;
  char             *user;
  char             *cache_id;
  char             *passphrase;
  ZgCacheKey       *key;
  ZgCacheKdfParams  params;
} KeyTaskData;

static void
key_task_data_free (KeyTaskData *data)
{
  g_free (data->server_url);
  g_free (data->user);
  g_free (data->cache_id);
  if (data->passphrase != NULL)
    {
      OPENSSL_cleanse (data->passphrase, strlen (data->passphrase));
      g_free (data->passphrase);
    }
  zg_cache_key_free (data->key);
  g_free (data);
}

static GTask *
key_task_new (gpointer             source_tag,
              const char          *server_url,
              const char          *user,
              const char          *cache_id,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  KeyTaskData *data = g_new0 (KeyTaskData, 1);

  g_task_set_source_tag (task, source_tag);
  data->server_url = g_strdup (server_url);
  data->user = g_strdup (user);
  data->cache_id = g_strdup (cache_id);
  g_task_set_task_data (task, data, (GDestroyNotify) key_task_data_free);
  return task;
}

static void
derive_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  KeyTaskData *data = task_data;
  GError *error = NULL;
  ZgCacheKey *key = zg_cache_key_derive (data->passphrase, &data->params, &error);

  if (key == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, (GDestroyNotify) zg_cache_key_free);
}

void
zg_cache_key_derive_async (const char              *passphrase,
                           const ZgCacheKdfParams  *params,
                           GCancellable            *cancellable,
                           GAsyncReadyCallback      callback,
                           gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  KeyTaskData *data;

  g_return_if_fail (passphrase != NULL);
  g_return_if_fail (params != NULL);

  task = key_task_new (zg_cache_key_derive_async, NULL, NULL, NULL,
                       cancellable, callback, user_data);
  data = g_task_get_task_data (task);
  data->passphrase = g_strdup (passphrase);
  data->params = *params;
  g_task_run_in_thread (task, derive_thread);
}

ZgCacheKey *
zg_cache_key_derive_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == zg_cache_key_derive_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  KeyTaskData *data = task_data;
  GError *error = NULL;

  if (zg_cache_key_store_sync (data->server_url, data->user, data->cache_id, data->key,
                               cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
zg_cache_key_store_async (const char          *server_url,
                          const char          *user,
                          const char          *cache_id,
                          const ZgCacheKey    *key,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KeyTaskData *data;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (cache_id != NULL);
  g_return_if_fail (key != NULL);

  task = key_task_new (zg_cache_key_store_async, server_url, user, cache_id,
                       cancellable, callback, user_data);
  data = g_task_get_task_data (task);
  data->key = zg_cache_key_copy (key);
  g_task_run_in_thread (task, store_thread);
}

gboolean
zg_cache_key_store_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == zg_cache_key_store_async,
                        FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  KeyTaskData *data = task_data;
  GError *error = NULL;
  ZgCacheKey *key = zg_cache_key_lookup_sync (data->server_url, data->user, data->cache_id,
                                              cancellable, &error);

  if (key == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, (GDestroyNotify) zg_cache_key_free);
}

void
zg_cache_key_lookup_async (const char          *server_url,
                           const char          *user,
                           const char          *cache_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (cache_id != NULL);

  task = key_task_new (zg_cache_key_lookup_async, server_url, user, cache_id,
                       cancellable, callback, user_data);
  g_task_run_in_thread (task, lookup_thread);
}

ZgCacheKey *
zg_cache_key_lookup_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == zg_cache_key_lookup_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
