/* zg-cache-private.h — the cache instance and SQL helpers shared by zg-cache.c and zg-outbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "zg-cache.h"

G_BEGIN_DECLS

struct _ZgCache
{
  GObject   parent_instance;

  GMutex    mutex;      /* serialises every public call: one connection, several threads */
  sqlite3  *db;
  char     *path;
  char     *client_id;
  int       schema_version;
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Takes the instance lock until @locker (a g_autoptr(GMutexLocker)) leaves scope. The read
 * after the store is for static analysers, which do not model the cleanup attribute. */
#define ZG_CACHE_LOCK(self, locker) G_STMT_START {     \
    (locker) = g_mutex_locker_new (&(self)->mutex);    \
    (void) (locker);                                   \
  } G_STMT_END

gboolean       _zg_cache_sql_error      (ZgCache       *self,
                                         int            rc,
                                         const char    *what,
                                         GError       **error);
gboolean       _zg_cache_check_open     (ZgCache       *self,
                                         GError       **error);
gboolean       _zg_cache_exec           (ZgCache       *self,
                                         const char    *sql,
                                         GError       **error);
sqlite3_stmt  *_zg_cache_prepare        (ZgCache       *self,
                                         const char    *sql,
                                         GError       **error);
gboolean       _zg_cache_begin          (ZgCache       *self,
                                         GError       **error);
gboolean       _zg_cache_commit         (ZgCache       *self,
                                         GError       **error);
void           _zg_cache_rollback       (ZgCache       *self);
gboolean       _zg_cache_valid_key      (const char    *entity,
                                         const char    *id,
                                         GError       **error);
JsonObject    *_zg_cache_parse_object   (const char    *json,
                                         GError       **error);
char          *_zg_cache_object_to_json (JsonObject    *object);
gboolean       _zg_cache_apply_pending  (ZgCache       *self,
                                         const char    *entity,
                                         const char    *id,
                                         JsonObject    *record,
                                         gboolean      *changed,
                                         GError       **error);

G_END_DECLS
