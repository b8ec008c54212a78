/* zg-cache-header.h — the small plain-text sidecar next to each cache file
 *
 * It holds what is needed before the cache can be decrypted: the cache id (the keyring
 * attribute), where the key comes from, the Argon2id parameters and salt for the
 * passphrase fallback, and a key check value (an HMAC made with the key, never the key).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "zg-cache-key.h"

G_BEGIN_DECLS

typedef enum
{
  ZG_CACHE_KEY_SOURCE_KEYRING,
  ZG_CACHE_KEY_SOURCE_PASSPHRASE,
} ZgCacheKeySource;

typedef struct
{
  char             *cache_id;    /* random UUID, new for every cache file */
  ZgCacheKeySource  key_source;
  ZgCacheKdfParams  kdf;         /* only meaningful for ZG_CACHE_KEY_SOURCE_PASSPHRASE */
  char             *key_check;   /* hex HMAC-SHA256 made with the key; NULL until set */
} ZgCacheHeader;

ZgCacheHeader *zg_cache_header_new        (ZgCacheKeySource      key_source);
ZgCacheHeader *zg_cache_header_load       (const char           *header_path,
                                           GError              **error);
gboolean       zg_cache_header_save       (const ZgCacheHeader  *header,
                                           const char           *header_path,
                                           GError              **error);
void           zg_cache_header_set_key    (ZgCacheHeader        *header,
                                           const ZgCacheKey     *key);
gboolean       zg_cache_header_check_key  (const ZgCacheHeader  *header,
                                           const ZgCacheKey     *key);
char          *zg_cache_header_path_for   (const char           *cache_path);
void           zg_cache_header_free       (ZgCacheHeader        *header);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgCacheHeader, zg_cache_header_free)

G_END_DECLS
