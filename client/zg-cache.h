/* zg-cache.h — the client's encrypted offline cache (one SQLCipher file per server and user)
 *
 * Records pulled from the server, the sync state, the outbox of local mutations and the
 * conflicts the server reported. No widgets: the UI and the sync code both sit on top.
 * All functions are thread-safe (one connection, serialised by a mutex).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "zg-cache-header.h"
#include "zg-cache-key.h"

G_BEGIN_DECLS

#define ZG_CACHE_ERROR (zg_cache_error_quark ())

typedef enum
{
  ZG_CACHE_ERROR_WRONG_KEY,           /* the key (or passphrase) does not open this cache */
  ZG_CACHE_ERROR_CORRUPT,             /* truncated, damaged or foreign file, or its header */
  ZG_CACHE_ERROR_KEY_MISSING,         /* the keyring is reachable but holds no key for it */
  ZG_CACHE_ERROR_KEYRING_UNAVAILABLE, /* no Secret Service (no session bus, no keyring) */
  ZG_CACHE_ERROR_NEED_PASSPHRASE,     /* the caller must ask the user for the passphrase */
  ZG_CACHE_ERROR_TOO_NEW,             /* schema written by a newer Zeugnis */
  ZG_CACHE_ERROR_NOT_FOUND,           /* no such record, mutation or conflict */
  ZG_CACHE_ERROR_INVALID,             /* bad input from the caller; nothing was changed */
  ZG_CACHE_ERROR_IO,                  /* file system error */
  ZG_CACHE_ERROR_FAILED,              /* any other database error */
} ZgCacheError;

typedef struct
{
  char   *entity;   /* "certificate", "employee", ... */
  char   *id;
  gint64  rev;      /* server revision the record is based on; 0 = created locally */
  gint64  updated;  /* local wall-clock time of the last write, µs since the epoch */
  char   *json;     /* the record as a JSON object */
  /* Process data from the server's pull (R-DATA-4); 0 = unknown (e.g. created locally). */
  gint64  created_by;   /* user id */
  gint64  created_at;   /* seconds since the epoch */
  gint64  updated_by;
  gint64  updated_at;
} ZgCacheRecord;

#define ZG_TYPE_CACHE (zg_cache_get_type ())
G_DECLARE_FINAL_TYPE (ZgCache, zg_cache, ZG, CACHE, GObject)

GQuark         zg_cache_error_quark       (void);

char          *zg_cache_default_dir       (void);
gboolean       zg_cache_normalize_account (const char          *server_url,
                                           const char          *user,
                                           char               **out_server_url,
                                           char               **out_user,
                                           GError             **error);
char          *zg_cache_path_for          (const char          *base_dir,
                                           const char          *server_url,
                                           const char          *user,
                                           GError             **error);

ZgCache       *zg_cache_create            (const char          *path,
                                           ZgCacheHeader       *header,
                                           const ZgCacheKey    *key,
                                           GError             **error);
ZgCache       *zg_cache_open              (const char          *path,
                                           const ZgCacheKey    *key,
                                           GError             **error);
void           zg_cache_close             (ZgCache             *self);
const char    *zg_cache_get_path          (ZgCache             *self);
const char    *zg_cache_get_client_id     (ZgCache             *self);
int            zg_cache_get_schema_version (ZgCache            *self);

gboolean       zg_cache_put_record        (ZgCache             *self,
                                           const char          *entity,
                                           const char          *id,
                                           gint64               rev,
                                           const char          *json,
                                           GError             **error);
gboolean       zg_cache_put_records       (ZgCache             *self,
                                           ZgCacheRecord * const *records,
                                           gsize                n_records,
                                           GError             **error);
ZgCacheRecord *zg_cache_get_record        (ZgCache             *self,
                                           const char          *entity,
                                           const char          *id,
                                           GError             **error);
gboolean       zg_cache_delete_record     (ZgCache             *self,
                                           const char          *entity,
                                           const char          *id,
                                           GError             **error);
GPtrArray     *zg_cache_list_records      (ZgCache             *self,
                                           const char          *entity,
                                           GError             **error);
gint64         zg_cache_count_records     (ZgCache             *self,
                                           const char          *entity,
                                           GError             **error);

gboolean       zg_cache_purge_records     (ZgCache             *self,
                                           const char          *entity,
                                           const char * const  *ids,
                                           GError             **error);
gboolean       zg_cache_purge_except      (ZgCache             *self,
                                           const char          *entity,
                                           const char * const  *keep_ids,
                                           GError             **error);

char          *zg_cache_get_cursor        (ZgCache             *self,
                                           gint64              *last_sync,
                                           GError             **error);
gboolean       zg_cache_set_cursor        (ZgCache             *self,
                                           const char          *cursor,
                                           GError             **error);

gboolean       zg_cache_export_pending    (ZgCache             *self,
                                           const char          *export_path,
                                           GError             **error);

void           zg_cache_record_free       (ZgCacheRecord       *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgCacheRecord, zg_cache_record_free)

G_END_DECLS
