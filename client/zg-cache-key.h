/* zg-cache-key.h — the cache key: 32 random bytes kept in the Secret Service (libsecret),
 * or, with no Secret Service, derived from a passphrase with Argon2id
 *
 * The key never reaches the disk in plain text; in memory it is wiped when freed.
 * The keyring calls and the KDF have _async variants so the UI thread never blocks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ZG_CACHE_KEY_BYTES 32
#define ZG_CACHE_KDF_SALT_BYTES 16

/* Above the OWASP minimum (19 MiB, t = 2, p = 1): the passphrase guards a stolen laptop's cache. */
#define ZG_CACHE_KDF_DEFAULT_MEMORY_KIB 65536
#define ZG_CACHE_KDF_DEFAULT_ITERATIONS 3
#define ZG_CACHE_KDF_MIN_MEMORY_KIB     19456
#define ZG_CACHE_KDF_MIN_ITERATIONS     2
#define ZG_CACHE_KDF_MAX_MEMORY_KIB     (1024 * 1024)
#define ZG_CACHE_KDF_MAX_ITERATIONS     64

typedef struct _ZgCacheKey ZgCacheKey;

typedef struct
{
  guint32 memory_kib;
  guint32 iterations;
  guint32 parallelism;
  guint8  salt[ZG_CACHE_KDF_SALT_BYTES];
} ZgCacheKdfParams;

ZgCacheKey   *zg_cache_key_new_random       (void);
ZgCacheKey   *zg_cache_key_new_from_bytes   (const guint8            *bytes,
                                             gsize                    len);
ZgCacheKey   *zg_cache_key_copy             (const ZgCacheKey        *key);
const guint8 *zg_cache_key_get_bytes        (const ZgCacheKey        *key);
char         *zg_cache_key_check_value      (const ZgCacheKey        *key);
void          zg_cache_key_free             (ZgCacheKey              *key);

void          zg_cache_kdf_params_init      (ZgCacheKdfParams        *params);
gboolean      zg_cache_kdf_params_valid     (const ZgCacheKdfParams  *params);
ZgCacheKey   *zg_cache_key_derive           (const char              *passphrase,
                                             const ZgCacheKdfParams  *params,
                                             GError                 **error);
void          zg_cache_key_derive_async     (const char              *passphrase,
                                             const ZgCacheKdfParams  *params,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
ZgCacheKey   *zg_cache_key_derive_finish    (GAsyncResult            *result,
                                             GError                 **error);

gboolean      zg_cache_key_store_sync       (const char              *server_url,
                                             const char              *user,
                                             const char              *cache_id,
                                             const ZgCacheKey        *key,
                                             GCancellable            *cancellable,
                                             GError                 **error);
ZgCacheKey   *zg_cache_key_lookup_sync      (const char              *server_url,
                                             const char              *user,
                                             const char              *cache_id,
                                             GCancellable            *cancellable,
                                             GError                 **error);
gboolean      zg_cache_key_clear_sync       (const char              *server_url,
                                             const char              *user,
                                             const char              *cache_id,
                                             GCancellable            *cancellable,
                                             GError                 **error);
void          zg_cache_key_store_async      (const char              *server_url,
                                             const char              *user,
                                             const char              *cache_id,
                                             const ZgCacheKey        *key,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
gboolean      zg_cache_key_store_finish     (GAsyncResult            *result,
                                             GError                 **error);
void          zg_cache_key_lookup_async     (const char              *server_url,
                                             const char              *user,
                                             const char              *cache_id,
                                             GCancellable            *cancellable,
                                             GAsyncReadyCallback      callback,
                                             gpointer                 user_data);
ZgCacheKey   *zg_cache_key_lookup_finish    (GAsyncResult            *result,
                                             GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgCacheKey, zg_cache_key_free)

G_END_DECLS
