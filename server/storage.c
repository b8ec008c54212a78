/* storage.c — the SQLCipher database: key, migrations, prepared statements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "storage.h"
#include "zg-crypto.h"

#define MIGRATIONS_PATH "/org/zeugnis/server/migrations"

struct _ZgStorage
{
  sqlite3    *db;
  GHashTable *stmts;   /* SQL text -> sqlite3_stmt */
  int         schema_version;
};

static void
finalize_stmt (gpointer data)
{
  sqlite3_finalize (data);
}

static void
set_db_error (GError     **error,
              sqlite3     *db,
              const char  *what)
{
  g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE, "%s: %s", what,
               db != NULL ? sqlite3_errmsg (db) : "out of memory");
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE, "%s",
                   msg != NULL ? msg : sqlite3_errmsg (db));
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

/* Reads a key file: 64 hex characters (optionally followed by a newline). */
gboolean
zg_storage_read_key_file (const char  *path,
                          guint8      *out_key,
                          GError     **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  struct stat st;
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (out_key != NULL, FALSE);

  if (stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_KEY, "cannot read key file %s: %s",
                   path, g_strerror (saved));
      return FALSE;
    }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_KEY,
                   "key file %s is accessible by other users (mode %04o); run chmod 600 on it",
                   path, (unsigned) (st.st_mode & 07777));
      return FALSE;
    }
  if (!g_file_get_contents (path, &contents, &len, NULL))
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_KEY, "cannot read key file %s", path);
      return FALSE;
    }
  g_strstrip (contents);
  ok = zg_hex_decode (contents, out_key, ZG_STORAGE_KEY_BYTES);
  OPENSSL_cleanse (contents, len);
  if (!ok)
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_KEY,
                   "key file %s does not hold a 256-bit key (64 hex digits)", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_key (sqlite3       *db,
           const guint8  *key,
           GError       **error)
{
  g_autofree char *hex = zg_hex_encode (key, ZG_STORAGE_KEY_BYTES);
  g_autofree char *pragma = g_strdup_printf ("PRAGMA key = \"x'%s'\";", hex);
  gboolean ok = exec_sql (db, pragma, error);

  OPENSSL_cleanse (hex, strlen (hex));
  OPENSSL_cleanse (pragma, strlen (pragma));
  return ok;
}

/* A wrong key or a file that is no database only shows when the first page is read. */
static gboolean
key_works (sqlite3 *db)
{
  return sqlite3_exec (db, "SELECT count(*) FROM sqlite_master;", NULL, NULL, NULL) == SQLITE_OK;
}

static gboolean
is_sqlcipher_4 (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean v4 = FALSE;

  if (sqlite3_prepare_v2 (db, "PRAGMA cipher_version;", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *v = (const char *) sqlite3_column_text (stmt, 0);

      v4 = v != NULL && g_ascii_strtoll (v, NULL, 10) >= 4;
    }
  sqlite3_finalize (stmt);
  return v4;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static gboolean
get_schema_version (sqlite3  *db,
                    int      *out_version,
                    GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!exec_sql (db,
                 "CREATE TABLE IF NOT EXISTS schema_version ("
                 " version INTEGER PRIMARY KEY,"
                 " name TEXT NOT NULL,"
                 " applied_at INTEGER NOT NULL);", error))
    return FALSE;
  if (sqlite3_prepare_v2 (db, "SELECT coalesce(max(version), 0) FROM schema_version;", -1, &stmt,
                          NULL) != SQLITE_OK)
    {
      set_db_error (error, db, "cannot read schema version");
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  *out_version = rc == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (error, db, "cannot read schema version");
      return FALSE;
    }
  return TRUE;
}

static gboolean
migration_applied (sqlite3  *db,
                   gint64    version,
                   gboolean *out_applied,
                   GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM schema_version WHERE version = ?1;", -1, &stmt,
                          NULL) != SQLITE_OK)
    {
      set_db_error (error, db, "cannot read schema version");
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, version);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_db_error (error, db, "cannot read schema version");
      return FALSE;
    }
  *out_applied = rc == SQLITE_ROW;
  return TRUE;
}

/* Applies every migration not yet recorded in schema_version, in name order, in one
 * transaction: all or nothing. Feature modules number their migrations in their own
 * ranges (core 0001-0099, mail 0100-0199, sync 0200-…), so a module's new migration can
 * have a lower number than one already applied; it must still run. */
static gboolean
migrate (ZgStorage  *self,
         GError    **error)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  int current = 0;

  if (!exec_sql (self->db, "BEGIN IMMEDIATE;", error))
    return FALSE;
  if (!get_schema_version (self->db, &current, error))
    goto fail;

  names = g_resources_enumerate_children (MIGRATIONS_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    g_ptr_array_add (sorted, names[i]);
  g_ptr_array_sort (sorted, compare_names);

  for (guint i = 0; i < sorted->len; i++)
    {
      const char *name = g_ptr_array_index (sorted, i);
      g_autofree char *path = g_strconcat (MIGRATIONS_PATH "/", name, NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt = NULL;
      char *end = NULL;
      gint64 version;
      gboolean applied = FALSE;
      int rc;

      if (!g_str_has_suffix (name, ".sql"))
        continue;
      version = g_ascii_strtoll (name, &end, 10);
      if (end == name || *end != '-' || version <= 0 || version > G_MAXINT)
        {
          g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE,
                       "migration %s is not named NNNN-name.sql", name);
          goto fail;
        }
      if (!migration_applied (self->db, version, &applied, error))
        goto fail;
      if (applied)
        continue;

      bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        goto fail;
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      if (!exec_sql (self->db, sql, error))
        {
          g_prefix_error (error, "migration %s failed: ", name);
          goto fail;
        }
      if (sqlite3_prepare_v2 (self->db,
                              "INSERT INTO schema_version (version, name, applied_at)"
                              " VALUES (?1, ?2, strftime('%s','now'));",
                              -1, &stmt, NULL) != SQLITE_OK)
        {
          set_db_error (error, self->db, "cannot record migration");
          goto fail;
        }
      sqlite3_bind_int64 (stmt, 1, version);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        {
          set_db_error (error, self->db, "cannot record migration");
          goto fail;
        }
      current = MAX (current, (int) version);
    }

  if (!exec_sql (self->db, "COMMIT;", error))
    goto fail;
  self->schema_version = current;
  return TRUE;

fail:
  sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
  return FALSE;
}

/* Opens (or with @create, creates) the encrypted database with a raw 256-bit key. */
ZgStorage *
zg_storage_open (const char    *path,
                 const guint8  *key,
                 gboolean       create,
                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  ZgStorage *self;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (create)
    {
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_EXISTS,
                       "database %s already exists", path);
          return NULL;
        }
      flags |= SQLITE_OPEN_CREATE;
    }
  else if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE,
                   "database %s does not exist (run init first)", path);
      return NULL;
    }

  self = g_new0 (ZgStorage, 1);
  self->stmts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);

  if (sqlite3_open_v2 (path, &self->db, flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE, "cannot open database %s: %s",
                   path, self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      zg_storage_free (self);
      return NULL;
    }
  if (!apply_key (self->db, key, error))
    {
      zg_storage_free (self);
      return NULL;
    }
  if (!key_works (self->db))
    {
      /* SQLCipher 4 reads a 3.x file only after migrating its format. */
      if (!is_sqlcipher_4 (self->db) ||
          sqlite3_exec (self->db, "PRAGMA cipher_migrate;", NULL, NULL, NULL) != SQLITE_OK ||
          !key_works (self->db))
        {
          g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_KEY,
                       "cannot open database %s: wrong key or not a Zeugnis database", path);
          zg_storage_free (self);
          return NULL;
        }
    }

  sqlite3_busy_timeout (self->db, 5000);
  if (!exec_sql (self->db, "PRAGMA journal_mode = WAL;", &local_error) ||
      !exec_sql (self->db, "PRAGMA foreign_keys = ON;", &local_error) ||
      !exec_sql (self->db, "PRAGMA synchronous = NORMAL;", &local_error) ||
      /* Page cache bounded at 8 MiB (negative = KiB), whatever the library's default. */
      !exec_sql (self->db, "PRAGMA cache_size = -8192;", &local_error) ||
      !exec_sql (self->db, "PRAGMA secure_delete = ON;", &local_error) ||
      !migrate (self, &local_error))
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE, "database %s: %s", path,
                   local_error->message);
      zg_storage_free (self);
      return NULL;
    }

  return self;
}

void
zg_storage_free (ZgStorage *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self);
}

sqlite3 *
zg_storage_get_db (ZgStorage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->db;
}

int
zg_storage_get_schema_version (ZgStorage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->schema_version;
}

/* Statements are prepared once and reused; release (g_autoptr) resets them. */
ZgStmt *
zg_storage_prepare (ZgStorage   *self,
                    const char  *sql,
                    GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->stmts, sql);
  if (stmt != NULL)
    {
      if (sqlite3_stmt_busy (stmt))
        {
          g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE,
                       "statement already in use: %s", sql);
          return NULL;
        }
      return stmt;
    }
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db, "cannot prepare statement");
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_hash_table_insert (self->stmts, g_strdup (sql), stmt);
  return stmt;
}

void
zg_stmt_release (ZgStmt *stmt)
{
  if (stmt == NULL)
    return;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

gboolean
zg_stmt_bind_text (ZgStmt     *stmt,
                   int         idx,
                   const char *value)
{
  int rc;

  g_return_val_if_fail (stmt != NULL, FALSE);

  if (value == NULL)
    rc = sqlite3_bind_null (stmt, idx);
  else
    rc = sqlite3_bind_text (stmt, idx, value, -1, SQLITE_TRANSIENT);
  if (rc != SQLITE_OK)
    {
      g_critical ("cannot bind parameter %d: %s", idx, sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

gboolean
zg_stmt_bind_int64 (ZgStmt *stmt,
                    int     idx,
                    gint64  value)
{
  int rc;

  g_return_val_if_fail (stmt != NULL, FALSE);

  rc = sqlite3_bind_int64 (stmt, idx, value);
  if (rc != SQLITE_OK)
    {
      g_critical ("cannot bind parameter %d: %s", idx, sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

gboolean
zg_stmt_bind_null (ZgStmt *stmt,
                   int     idx)
{
  g_return_val_if_fail (stmt != NULL, FALSE);

  if (sqlite3_bind_null (stmt, idx) != SQLITE_OK)
    {
      g_critical ("cannot bind parameter %d", idx);
      return FALSE;
    }
  return TRUE;
}

int
zg_stmt_step (ZgStmt  *stmt,
              GError **error)
{
  int rc;

  g_return_val_if_fail (stmt != NULL, -1);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;
  g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE, "%s",
               sqlite3_errmsg (sqlite3_db_handle (stmt)));
  return -1;
}

/* Steps a statement that returns no rows. */
gboolean
zg_stmt_run (ZgStmt  *stmt,
             GError **error)
{
  return zg_stmt_step (stmt, error) == SQLITE_DONE;
}

const char *
zg_stmt_column_text (ZgStmt *stmt,
                     int     col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

gint64
zg_stmt_column_int64 (ZgStmt *stmt,
                      int     col)
{
  return sqlite3_column_int64 (stmt, col);
}

gboolean
zg_stmt_column_is_null (ZgStmt *stmt,
                        int     col)
{
  return sqlite3_column_type (stmt, col) == SQLITE_NULL;
}

gint64
zg_storage_last_insert_id (ZgStorage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return sqlite3_last_insert_rowid (self->db);
}

int
zg_storage_changes (ZgStorage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return sqlite3_changes (self->db);
}

gboolean
zg_storage_begin (ZgStorage  *self,
                  GError    **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return exec_sql (self->db, "BEGIN IMMEDIATE;", error);
}

gboolean
zg_storage_commit (ZgStorage  *self,
                   GError    **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  if (!exec_sql (self->db, "COMMIT;", error))
    {
      zg_storage_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
zg_storage_rollback (ZgStorage *self)
{
  g_return_if_fail (self != NULL);
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
}

/* Row count of a table; for tests and status. @table must be a plain identifier. */
gint64
zg_storage_count (ZgStorage  *self,
                  const char *table)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (table != NULL, -1);

  for (const char *p = table; *p; p++)
    g_return_val_if_fail (g_ascii_isalnum (*p) || *p == '_', -1);

  sql = g_strdup_printf ("SELECT count(*) FROM \"%s\";", table);
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}
