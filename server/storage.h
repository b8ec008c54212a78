/* storage.h — the SQLCipher database: key, migrations, prepared statements
 *
 * All SQL of the server goes through here; every statement is prepared with bound
 * parameters. SQLCipher 3.4 is SQLite 3.15.2: no UPSERT, RETURNING, window functions, JSON1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlcipher/sqlite3.h>

#include "zg-server.h"

G_BEGIN_DECLS

#define ZG_STORAGE_KEY_BYTES 32

/* A cached prepared statement; g_autoptr(ZgStmt) resets it and clears its bindings. */
typedef sqlite3_stmt ZgStmt;

ZgStorage  *zg_storage_open            (const char    *path,
                                        const guint8  *key,
                                        gboolean       create,
                                        GError       **error);
void        zg_storage_free            (ZgStorage     *self);
sqlite3    *zg_storage_get_db          (ZgStorage     *self);
int         zg_storage_get_schema_version (ZgStorage  *self);

gboolean    zg_storage_read_key_file   (const char    *path,
                                        guint8        *out_key,
                                        GError       **error);

ZgStmt     *zg_storage_prepare         (ZgStorage     *self,
                                        const char    *sql,
                                        GError       **error);
void        zg_stmt_release            (ZgStmt        *stmt);

gboolean    zg_stmt_bind_text          (ZgStmt        *stmt,
                                        int            idx,
                                        const char    *value);
gboolean    zg_stmt_bind_int64         (ZgStmt        *stmt,
                                        int            idx,
                                        gint64         value);
gboolean    zg_stmt_bind_null          (ZgStmt        *stmt,
                                        int            idx);
/* Returns SQLITE_ROW or SQLITE_DONE, or -1 with @error set. */
int         zg_stmt_step               (ZgStmt        *stmt,
                                        GError       **error);
gboolean    zg_stmt_run                (ZgStmt        *stmt,
                                        GError       **error);
const char *zg_stmt_column_text        (ZgStmt        *stmt,
                                        int            col);
gint64      zg_stmt_column_int64       (ZgStmt        *stmt,
                                        int            col);
gboolean    zg_stmt_column_is_null     (ZgStmt        *stmt,
                                        int            col);

gint64      zg_storage_last_insert_id  (ZgStorage     *self);
int         zg_storage_changes         (ZgStorage     *self);
gboolean    zg_storage_begin           (ZgStorage     *self,
                                        GError       **error);
gboolean    zg_storage_commit          (ZgStorage     *self,
                                        GError       **error);
void        zg_storage_rollback        (ZgStorage     *self);
gint64      zg_storage_count           (ZgStorage     *self,
                                        const char    *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgStmt, zg_stmt_release)

G_END_DECLS
