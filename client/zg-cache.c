/* zg-cache.c — the client's encrypted offline cache: file, schema, records, sync state, purge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <openssl/crypto.h>

#include "zg-cache-private.h"
#include "zg-cache-summary.h"
#include "zg-crypto.h"

G_DEFINE_FINAL_TYPE (ZgCache, zg_cache, G_TYPE_OBJECT)

G_DEFINE_QUARK (zg-cache-error-quark, zg_cache_error)

/* The fields zg_certificate_summary() extracts, in the order of its field numbers. */
#define SUMMARY_COLUMNS \
  "first_name, last_name, position, company, kind, language, status, private, issue_date, " \
  "name_key, position_key, company_key, search_key"
#define SUMMARY_VALUES(row) \
  "zg_certificate_summary (" row ".json, 0), " \
  "zg_certificate_summary (" row ".json, 1), " \
  "zg_certificate_summary (" row ".json, 2), " \
  "zg_certificate_summary (" row ".json, 3), " \
  "zg_certificate_summary (" row ".json, 4), " \
  "zg_certificate_summary (" row ".json, 5), " \
  "zg_certificate_summary (" row ".json, 6), " \
  "zg_certificate_summary (" row ".json, 7), " \
  "zg_certificate_summary (" row ".json, 8), " \
  "zg_certificate_summary (" row ".json, 9), " \
  "zg_certificate_summary (" row ".json, 10), " \
  "zg_certificate_summary (" row ".json, 11), " \
  "zg_certificate_summary (" row ".json, 12)"

/* Versioned schema: entry N-1 migrates version N-1 to N, each in one transaction.
 * SQLCipher 3.4 is SQLite 3.15.2: no UPSERT, JSON1, RETURNING or window functions. */
static const char * const migrations[] = {
  /* 1 */
  "CREATE TABLE records ("
  "  entity  TEXT NOT NULL,"
  "  id      TEXT NOT NULL,"
  "  rev     INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL,"
  "  json    TEXT NOT NULL);"
  "CREATE UNIQUE INDEX records_key ON records (entity, id);"
  "CREATE TABLE sync_state ("
  "  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),"
  "  client_id TEXT NOT NULL,"
  "  cursor    TEXT,"
  "  last_sync INTEGER);"
  "CREATE TABLE outbox ("
  "  mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  entity      TEXT NOT NULL,"
  "  id          TEXT NOT NULL,"
  "  base_rev    INTEGER NOT NULL,"
  "  changes     TEXT NOT NULL,"
  "  created     INTEGER NOT NULL,"
  "  attempts    INTEGER NOT NULL DEFAULT 0,"
  "  state       TEXT NOT NULL DEFAULT 'pending'"
  "              CHECK (state IN ('pending', 'sent', 'conflict', 'rejected')),"
  "  reason      TEXT);"
  "CREATE INDEX outbox_record ON outbox (entity, id);"
  "CREATE INDEX outbox_state ON outbox (state, mutation_id);"
  "CREATE TABLE conflicts ("
  "  conflict_id  INTEGER PRIMARY KEY,"
  "  mutation_id  INTEGER NOT NULL REFERENCES outbox (mutation_id) ON DELETE CASCADE,"
  "  entity       TEXT NOT NULL,"
  "  id           TEXT NOT NULL,"
  "  field        TEXT NOT NULL,"
  "  local_value  TEXT NOT NULL,"
  "  server_value TEXT NOT NULL,"
  "  created      INTEGER NOT NULL);"
  "CREATE INDEX conflicts_mutation ON conflicts (mutation_id);"
  "CREATE INDEX conflicts_record ON conflicts (entity, id);",
  /* 2: typed certificate summaries for lists (zg-cache-summary.c) and the process data of
   * R-DATA-4. The triggers keep the summaries in step with every write of a record. */
  "CREATE TABLE record_process ("
  "  entity     TEXT NOT NULL,"
  "  id         TEXT NOT NULL,"
  "  created_by INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  updated_by INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (entity, id));"
  "CREATE TABLE certificate_summaries ("
  "  id           TEXT PRIMARY KEY NOT NULL,"
  "  rev          INTEGER NOT NULL,"
  "  updated      INTEGER NOT NULL,"
  "  first_name   TEXT,"
  "  last_name    TEXT,"
  "  position     TEXT,"
  "  company      TEXT,"
  "  kind         TEXT NOT NULL,"
  "  language     TEXT NOT NULL,"
  "  status       TEXT NOT NULL,"
  "  private      INTEGER NOT NULL,"
  "  issue_date   TEXT,"
  "  name_key     TEXT NOT NULL,"
  "  position_key TEXT NOT NULL,"
  "  company_key  TEXT NOT NULL,"
  "  search_key   TEXT NOT NULL);"
  "CREATE TRIGGER certificate_summary_insert AFTER INSERT ON records"
  "  WHEN NEW.entity = 'certificate' BEGIN"
  "  INSERT OR REPLACE INTO certificate_summaries (id, rev, updated, " SUMMARY_COLUMNS ")"
  "  VALUES (NEW.id, NEW.rev, NEW.updated, " SUMMARY_VALUES ("NEW") "); END;"
  "CREATE TRIGGER certificate_summary_update AFTER UPDATE OF json ON records"
  "  WHEN NEW.entity = 'certificate' BEGIN"
  "  INSERT OR REPLACE INTO certificate_summaries (id, rev, updated, " SUMMARY_COLUMNS ")"
  "  VALUES (NEW.id, NEW.rev, NEW.updated, " SUMMARY_VALUES ("NEW") "); END;"
  "CREATE TRIGGER certificate_summary_rev AFTER UPDATE OF rev, updated ON records"
  "  WHEN NEW.entity = 'certificate' BEGIN"
  "  UPDATE certificate_summaries SET rev = NEW.rev, updated = NEW.updated"
  "  WHERE id = NEW.id; END;"
  "CREATE TRIGGER record_delete AFTER DELETE ON records BEGIN"
  "  DELETE FROM certificate_summaries WHERE OLD.entity = 'certificate' AND id = OLD.id;"
  "  DELETE FROM record_process WHERE entity = OLD.entity AND id = OLD.id; END;"
  "INSERT INTO certificate_summaries (id, rev, updated, " SUMMARY_COLUMNS ")"
  "  SELECT id, rev, updated, " SUMMARY_VALUES ("records")
  "  FROM records WHERE entity = 'certificate';",
};

static void
zg_cache_finalize (GObject *object)
{
  ZgCache *self = ZG_CACHE (object);

  zg_cache_close (self);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (zg_cache_parent_class)->finalize (object);
}

static void
zg_cache_class_init (ZgCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = zg_cache_finalize;
}

static void
zg_cache_init (ZgCache *self)
{
  g_mutex_init (&self->mutex);
}

/* SQL helpers (also used by zg-outbox.c) */

gboolean
_zg_cache_sql_error (ZgCache     *self,
                     int          rc,
                     const char  *what,
                     GError     **error)
{
  const char *message = self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);
  ZgCacheError code;

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = ZG_CACHE_ERROR_CORRUPT;
      break;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      code = ZG_CACHE_ERROR_IO;
      break;
    default:
      code = ZG_CACHE_ERROR_FAILED;
      break;
    }
  g_set_error (error, ZG_CACHE_ERROR, code, "%s: %s", what, message);
  return FALSE;
}

gboolean
_zg_cache_check_open (ZgCache  *self,
                      GError  **error)
{
  if (self->db == NULL)
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_FAILED,
                           "The offline cache is closed");
      return FALSE;
    }
  return TRUE;
}

gboolean
_zg_cache_exec (ZgCache     *self,
                const char  *sql,
                GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return _zg_cache_sql_error (self, rc, "Offline cache", error);
  return TRUE;
}

sqlite3_stmt *
_zg_cache_prepare (ZgCache     *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      _zg_cache_sql_error (self, rc, "Offline cache", error);
      return NULL;
    }
  return stmt;
}

gboolean
_zg_cache_begin (ZgCache  *self,
                 GError  **error)
{
  return _zg_cache_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
_zg_cache_commit (ZgCache  *self,
                  GError  **error)
{
  if (!_zg_cache_exec (self, "COMMIT", error))
    {
      _zg_cache_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
_zg_cache_rollback (ZgCache *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
valid_name (const char *value,
            gsize       max_len)
{
  gsize len;

  if (value == NULL)
    return FALSE;
  len = strlen (value);
  return len > 0 && len <= max_len && g_utf8_validate (value, (gssize) len, NULL);
}

gboolean
_zg_cache_valid_key (const char  *entity,
                     const char  *id,
                     GError     **error)
{
  if (!valid_name (entity, 64) || !valid_name (id, 256))
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                           "Entity and id must be non-empty UTF-8 text of limited length");
      return FALSE;
    }
  return TRUE;
}

JsonObject *
_zg_cache_parse_object (const char  *json,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID, "Not valid JSON: %s",
                   local_error != NULL ? local_error->message : "no text");
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                           "A record must be a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

char *
_zg_cache_object_to_json (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

#define RECORD_SELECT \
  "SELECT r.entity, r.id, r.rev, r.updated, r.json, p.created_by, p.created_at, " \
  "p.updated_by, p.updated_at FROM records AS r " \
  "LEFT JOIN record_process AS p ON p.entity = r.entity AND p.id = r.id "

static ZgCacheRecord *
record_from_row (sqlite3_stmt *stmt)
{
  ZgCacheRecord *record = g_new0 (ZgCacheRecord, 1);

  record->entity = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  record->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  record->rev = sqlite3_column_int64 (stmt, 2);
  record->updated = sqlite3_column_int64 (stmt, 3);
  record->json = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  /* RECORD_SELECT's LEFT JOIN: NULL (read as 0) when no pull brought process data. */
  record->created_by = sqlite3_column_int64 (stmt, 5);
  record->created_at = sqlite3_column_int64 (stmt, 6);
  record->updated_by = sqlite3_column_int64 (stmt, 7);
  record->updated_at = sqlite3_column_int64 (stmt, 8);
  return record;
}

void
zg_cache_record_free (ZgCacheRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->entity);
  g_free (record->id);
  g_free (record->json);
  g_free (record);
}

/* File location */

char *
zg_cache_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "zeugnis", "caches", NULL);
}

gboolean
zg_cache_normalize_account (const char  *server_url,
                            const char  *user,
                            char       **out_server_url,
                            char       **out_user,
                            GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) normal = NULL;
  g_autofree char *host = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *path = NULL;
  g_autofree char *user_normal = NULL;
  int port;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (server_url != NULL)
    uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0
          && g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0))
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                   "“%s” is not a server address", server_url != NULL ? server_url : "");
      return FALSE;
    }
  if (user != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (user));

      user_normal = g_utf8_casefold (trimmed, -1);
    }
  if (!valid_name (user_normal, 256) || strchr (user_normal, '\n') != NULL)
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                           "The user name must not be empty");
      return FALSE;
    }

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  port = g_uri_get_port (uri);
  if ((port == 443 && strcmp (scheme, "https") == 0)
      || (port == 80 && strcmp (scheme, "http") == 0))
    port = -1;
  path = g_strdup (g_uri_get_path (uri));
  while (*path != '\0' && path[strlen (path) - 1] == '/')
    path[strlen (path) - 1] = '\0';
  normal = g_uri_build (G_URI_FLAGS_NONE, scheme, NULL, host, port, path, NULL, NULL);

  if (out_server_url != NULL)
    *out_server_url = g_uri_to_string (normal);
  if (out_user != NULL)
    *out_user = g_steal_pointer (&user_normal);
  return TRUE;
}

char *
zg_cache_path_for (const char  *base_dir,
                   const char  *server_url,
                   const char  *user,
                   GError     **error)
{
  g_autofree char *server_normal = NULL;
  g_autofree char *user_normal = NULL;
  g_autofree char *account = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *default_dir = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!zg_cache_normalize_account (server_url, user, &server_normal, &user_normal, error))
    return NULL;
  account = g_strconcat (server_normal, "\n", user_normal, NULL);
  digest = zg_sha256_hex_str (account);
  digest[32] = '\0';
  name = g_strconcat (digest, ".db", NULL);
  if (base_dir == NULL)
    {
      default_dir = zg_cache_default_dir ();
      base_dir = default_dir;
    }
  return g_build_filename (base_dir, name, NULL);
}

/* Opening */

static int
apply_key (sqlite3          *db,
           const ZgCacheKey *key)
{
  static const char digits[] = "0123456789abcdef";
  const guint8 *bytes = zg_cache_key_get_bytes (key);
  char raw[2 + ZG_CACHE_KEY_BYTES * 2 + 1];
  int rc;

  /* "x'<hex>'" is SQLCipher's raw-key form: it skips SQLCipher's own KDF. */
  raw[0] = 'x';
  raw[1] = '\'';
  for (gsize i = 0; i < ZG_CACHE_KEY_BYTES; i++)
    {
      raw[2 + i * 2] = digits[bytes[i] >> 4];
      raw[3 + i * 2] = digits[bytes[i] & 0x0f];
    }
  raw[sizeof raw - 1] = '\'';
  rc = sqlite3_key (db, raw, (int) sizeof raw);
  OPENSSL_cleanse (raw, sizeof raw);
  return rc;
}

static int
query_int (sqlite3    *db,
           const char *sql,
           gint64     *out)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          if (out != NULL)
            *out = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  return rc;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW
      && sqlite3_column_text (stmt, 0) != NULL)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return result;
}

static gboolean
set_corrupt (GError     **error,
             const char  *path,
             const char  *detail)
{
  g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_CORRUPT,
               "The offline cache %s is damaged (%s). It can be reset and synced again.",
               path, detail);
  return FALSE;
}

/* Reads the first page through the cipher. On SQLCipher 4 a 3.x file needs cipher_migrate. */
static gboolean
verify_readable (ZgCache  *self,
                 GError  **error)
{
  g_autofree char *version = query_text (self->db, "PRAGMA cipher_version");
  int rc = query_int (self->db, "SELECT count(*) FROM sqlite_master", NULL);

  if (version == NULL)
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_FAILED,
                           "The SQLite library in use has no encryption (SQLCipher required)");
      return FALSE;
    }
  if ((rc & 0xff) == SQLITE_NOTADB && g_ascii_strtoll (version, NULL, 10) >= 4)
    {
      gint64 migrate_rc = -1;

      if (query_int (self->db, "PRAGMA cipher_migrate", &migrate_rc) == SQLITE_OK
          && migrate_rc == 0)
        rc = query_int (self->db, "SELECT count(*) FROM sqlite_master", NULL);
    }
  if (rc != SQLITE_OK)
    {
      g_autofree char *detail = g_strdup_printf ("the key is right, but the file cannot be "
                                                 "decrypted: %s", sqlite3_errmsg (self->db));
      return set_corrupt (error, self->path, detail);
    }
  return TRUE;
}

static gboolean
run_migrations (ZgCache  *self,
                GError  **error)
{
  gint64 version = 0;
  int rc = query_int (self->db, "PRAGMA user_version", &version);

  if (rc != SQLITE_OK)
    return _zg_cache_sql_error (self, rc, "Could not read the cache schema version", error);
  if (version > (gint64) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_TOO_NEW,
                   "The offline cache was written by a newer Zeugnis (schema %" G_GINT64_FORMAT
                   ", this version knows %u)", version, (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (; version < (gint64) G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *set_version = NULL;

      if (!_zg_cache_begin (self, error))
        return FALSE;
      if (!_zg_cache_exec (self, migrations[version], error))
        {
          _zg_cache_rollback (self);
          return FALSE;
        }
      if (version == 0)
        {
          g_autoptr(sqlite3_stmt) stmt = NULL;
          g_autofree char *client_id = g_uuid_string_random ();

          stmt = _zg_cache_prepare (self, "INSERT INTO sync_state (singleton, client_id) "
                                          "VALUES (1, ?)", error);
          if (stmt == NULL)
            {
              _zg_cache_rollback (self);
              return FALSE;
            }
          sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_TRANSIENT);
          rc = sqlite3_step (stmt);
          if (rc != SQLITE_DONE)
            {
              _zg_cache_sql_error (self, rc, "Could not initialise the sync state", error);
              _zg_cache_rollback (self);
              return FALSE;
            }
        }
      /* A PRAGMA cannot take a bound parameter; the value is our own integer. */
      set_version = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, version + 1);
      if (!_zg_cache_exec (self, set_version, error) || !_zg_cache_commit (self, error))
        {
          _zg_cache_rollback (self);
          return FALSE;
        }
    }
  self->schema_version = (int) version;
  return TRUE;
}

static gboolean
configure (ZgCache  *self,
           GError  **error)
{
  g_autofree char *journal = NULL;

  /* secure_delete: purged rows (R-ACL-4) are overwritten, not left in free pages.
   * temp_store: temporary tables never go to an unencrypted file. */
  if (!_zg_cache_exec (self,
                       "PRAGMA secure_delete = ON;"
                       "PRAGMA foreign_keys = ON;"
                       "PRAGMA temp_store = MEMORY;"
                       "PRAGMA synchronous = FULL;",
                       error))
    return FALSE;
  journal = query_text (self->db, "PRAGMA journal_mode = WAL");
  if (g_strcmp0 (journal, "wal") != 0)
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_FAILED,
                   "Could not switch the offline cache to WAL mode (%s)",
                   journal != NULL ? journal : sqlite3_errmsg (self->db));
      return FALSE;
    }
  return TRUE;
}

static gboolean
integrity_check (ZgCache  *self,
                 GError  **error)
{
  g_autofree char *result = query_text (self->db, "PRAGMA quick_check(1)");

  if (g_strcmp0 (result, "ok") != 0)
    {
      g_autofree char *detail = NULL;

      /* SQLite's report spans lines and may be long; the first part tells enough. */
      if (result != NULL)
        {
          g_strdelimit (result, "\n", ' ');
          if (strlen (result) > 160)
            result[160] = '\0';
        }
      detail = g_strdup_printf ("integrity check: %s",
                                result != NULL ? result : sqlite3_errmsg (self->db));
      return set_corrupt (error, self->path, detail);
    }
  return TRUE;
}

static gboolean
load_client_id (ZgCache  *self,
                GError  **error)
{
  self->client_id = query_text (self->db, "SELECT client_id FROM sync_state WHERE singleton = 1");
  if (self->client_id == NULL)
    return set_corrupt (error, self->path, "no sync state");
  return TRUE;
}

/* The integrity check and the first listing read every page in B-tree order, which is random
 * I/O on a cold start; one sequential pass first puts the file in the page cache for a
 * fraction of that cost. Best effort: errors surface when SQLite reads the file. */
#define PREFETCH_CHUNK ((gsize) 1 << 20)

static void
prefetch_file (const char *path)
{
  g_autofree char *buffer = NULL;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return;
  posix_fadvise (fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  buffer = g_malloc (PREFETCH_CHUNK);
  while (read (fd, buffer, PREFETCH_CHUNK) > 0)
    ;
  close (fd);
}

static ZgCache *
open_database (const char        *path,
               const ZgCacheKey  *key,
               gboolean           fresh,
               GError           **error)
{
  g_autoptr(ZgCache) self = g_object_new (ZG_TYPE_CACHE, NULL);
  gint64 version = 0;
  int rc;

  self->path = g_strdup (path);
  if (!fresh)
    prefetch_file (path);
  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    {
      _zg_cache_sql_error (self, rc, "Could not open the offline cache", error);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, TRUE);
  rc = apply_key (self->db, key);
  if (rc != SQLITE_OK)
    {
      _zg_cache_sql_error (self, rc, "Could not set the cache key", error);
      return NULL;
    }
  if (!verify_readable (self, error))
    return NULL;

  /* An existing cache always has a schema; an empty one was truncated, and migrating it
   * would silently replace lost edits with an empty cache. */
  if (!fresh && (query_int (self->db, "PRAGMA user_version", &version) != SQLITE_OK
                 || version == 0))
    {
      set_corrupt (error, path, "the file is empty or has no schema");
      return NULL;
    }

  if (!configure (self, error)
      || !_zg_cache_summary_register (self, error)
      || !integrity_check (self, error)
      || !run_migrations (self, error)
      || !load_client_id (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

static void
remove_sqlite_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (path);
}

ZgCache *
zg_cache_create (const char        *path,
                 ZgCacheHeader     *header,
                 const ZgCacheKey  *key,
                 GError           **error)
{
  g_autoptr(ZgCacheHeader) own_header = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *header_path = NULL;
  ZgCache *cache;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (header == NULL)
    {
      own_header = zg_cache_header_new (ZG_CACHE_KEY_SOURCE_KEYRING);
      header = own_header;
    }

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0 || g_chmod (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_IO,
                   "Could not create the cache folder %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  /* The file is created 0600 before SQLite sees it; SQLite gives -wal and -shm the same mode. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, ZG_CACHE_ERROR,
                   saved_errno == EEXIST ? ZG_CACHE_ERROR_INVALID : ZG_CACHE_ERROR_IO,
                   "Could not create the offline cache %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  close (fd);

  zg_cache_header_set_key (header, key);
  header_path = zg_cache_header_path_for (path);
  if (!zg_cache_header_save (header, header_path, error))
    {
      g_unlink (path);
      return NULL;
    }

  cache = open_database (path, key, TRUE, error);
  if (cache == NULL)
    {
      remove_sqlite_files (path);
      g_unlink (header_path);
    }
  return cache;
}

ZgCache *
zg_cache_open (const char        *path,
               const ZgCacheKey  *key,
               GError           **error)
{
  g_autoptr(ZgCacheHeader) header = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *header_path = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND,
                   "There is no offline cache at %s", path);
      return NULL;
    }

  header_path = zg_cache_header_path_for (path);
  header = zg_cache_header_load (header_path, &local_error);
  if (header == NULL)
    {
      if (g_error_matches (local_error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND))
        set_corrupt (error, path, "its header file is missing");
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!zg_cache_header_check_key (header, key))
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_WRONG_KEY,
                   "The key does not open the offline cache %s%s", path,
                   header->key_source == ZG_CACHE_KEY_SOURCE_PASSPHRASE
                   ? " (wrong passphrase?)" : "");
      return NULL;
    }

  return open_database (path, key, FALSE, error);
}

void
zg_cache_close (ZgCache *self)
{
  g_return_if_fail (ZG_IS_CACHE (self));

  g_mutex_lock (&self->mutex);
  if (self->db != NULL)
    {
      /* Folds the WAL back so no stale page images outlive the session. */
      sqlite3_exec (self->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
      if (sqlite3_close (self->db) != SQLITE_OK)
        g_warning ("Offline cache closed with statements still open: %s",
                   sqlite3_errmsg (self->db));
      self->db = NULL;
    }
  g_mutex_unlock (&self->mutex);
}

const char *
zg_cache_get_path (ZgCache *self)
{
  g_return_val_if_fail (ZG_IS_CACHE (self), NULL);
  return self->path;
}

const char *
zg_cache_get_client_id (ZgCache *self)
{
  g_return_val_if_fail (ZG_IS_CACHE (self), NULL);
  return self->client_id;
}

int
zg_cache_get_schema_version (ZgCache *self)
{
  g_return_val_if_fail (ZG_IS_CACHE (self), 0);
  return self->schema_version;
}

/* Records */

/* Server JSON is checked for shape only: a full parse of every pulled record would double the
 * cost of an initial sync. Anything the cache itself merges is parsed properly. */
static gboolean
looks_like_object (const char *json)
{
  gsize len;

  if (json == NULL)
    return FALSE;
  while (g_ascii_isspace (*json))
    json++;
  len = strlen (json);
  while (len > 0 && g_ascii_isspace (json[len - 1]))
    len--;
  return len >= 2 && json[0] == '{' && json[len - 1] == '}'
         && g_utf8_validate (json, (gssize) len, NULL);
}

static gboolean
valid_record (const char  *entity,
              const char  *id,
              gint64       rev,
              const char  *json,
              GError     **error)
{
  if (!_zg_cache_valid_key (entity, id, error))
    return FALSE;
  if (rev < 0 || !looks_like_object (json))
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                           "A record needs a revision >= 0 and a JSON object");
      return FALSE;
    }
  return TRUE;
}

/* Runs inside the caller's transaction. */
static gboolean
put_one (ZgCache              *self,
         const char           *entity,
         const char           *id,
         gint64                rev,
         const char           *json,
         const ZgCacheRecord  *process,
         GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *merged = NULL;
  int rc;

  /* Edits not yet acknowledged by the server stay visible on top of its newer version; a
   * record deleted here (zg_cache_local_delete, not yet acknowledged) stays deleted. */
  stmt = _zg_cache_prepare (self, "SELECT max (changes = '{\"$delete\":true}') FROM outbox "
                                  "WHERE entity = ? AND id = ? AND state IN ('pending', 'sent')",
                            error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return _zg_cache_sql_error (self, rc, "Could not read the outbox", error);
  if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)   /* NULL: no unacknowledged edits */
    {
      g_autoptr(JsonObject) object = NULL;
      gboolean changed = FALSE;

      if (sqlite3_column_int (stmt, 0) == 1)
        return TRUE;
      object = _zg_cache_parse_object (json, error);
      if (object == NULL
          || !_zg_cache_apply_pending (self, entity, id, object, &changed, error))
        return FALSE;
      if (changed)
        merged = _zg_cache_object_to_json (object);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _zg_cache_prepare (self, "INSERT OR REPLACE INTO records (entity, id, rev, updated, json) "
                                  "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, rev);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  sqlite3_bind_text (stmt, 5, merged != NULL ? merged : json, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return _zg_cache_sql_error (self, rc, "Could not store the record", error);
  return _zg_cache_put_process (self, process, error);
}

/* Stores the server's version of a record (from a pull). */
gboolean
zg_cache_put_record (ZgCache     *self,
                     const char  *entity,
                     const char  *id,
                     gint64       rev,
                     const char  *json,
                     GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (ZG_IS_CACHE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error)
      || !valid_record (entity, id, rev, json, error)
      || !_zg_cache_begin (self, error))
    return FALSE;
  if (!put_one (self, entity, id, rev, json, NULL, error))
    {
      _zg_cache_rollback (self);
      return FALSE;
    }
  return _zg_cache_commit (self, error);
}

/* A page of a pull in one transaction: all records or none (their "updated" is ignored). */
gboolean
zg_cache_put_records (ZgCache              *self,
                      ZgCacheRecord * const *records,
                      gsize                 n_records,
                      GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (ZG_IS_CACHE (self), FALSE);
  g_return_val_if_fail (records != NULL || n_records == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error))
    return FALSE;
  for (gsize i = 0; i < n_records; i++)
    if (!valid_record (records[i]->entity, records[i]->id, records[i]->rev, records[i]->json,
                       error))
      return FALSE;
  if (!_zg_cache_begin (self, error))
    return FALSE;
  for (gsize i = 0; i < n_records; i++)
    if (!put_one (self, records[i]->entity, records[i]->id, records[i]->rev, records[i]->json,
                  records[i], error))
      {
        _zg_cache_rollback (self);
        return FALSE;
      }
  return _zg_cache_commit (self, error);
}

ZgCacheRecord *
zg_cache_get_record (ZgCache     *self,
                     const char  *entity,
                     const char  *id,
                     GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error) || !_zg_cache_valid_key (entity, id, error))
    return NULL;
  stmt = _zg_cache_prepare (self, RECORD_SELECT "WHERE r.entity = ? AND r.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return record_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND,
                 "No %s with id %s in the offline cache", entity, id);
  else
    _zg_cache_sql_error (self, rc, "Could not read the record", error);
  return NULL;
}

gboolean
zg_cache_delete_record (ZgCache     *self,
                        const char  *entity,
                        const char  *id,
                        GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error) || !_zg_cache_valid_key (entity, id, error))
    return FALSE;
  stmt = _zg_cache_prepare (self, "DELETE FROM records WHERE entity = ? AND id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return _zg_cache_sql_error (self, rc, "Could not delete the record", error);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND,
                   "No %s with id %s in the offline cache", entity, id);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
zg_cache_list_records (ZgCache     *self,
                       const char  *entity,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) records = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error) || !_zg_cache_valid_key (entity, "-", error))
    return NULL;
  stmt = _zg_cache_prepare (self, RECORD_SELECT "WHERE r.entity = ? ORDER BY r.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  records = g_ptr_array_new_with_free_func ((GDestroyNotify) zg_cache_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, record_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _zg_cache_sql_error (self, rc, "Could not list the records", error);
      return NULL;
    }
  return g_steal_pointer (&records);
}

gint64
zg_cache_count_records (ZgCache     *self,
                        const char  *entity,
                        GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error) || !_zg_cache_valid_key (entity, "-", error))
    return -1;
  stmt = _zg_cache_prepare (self, "SELECT count(*) FROM records WHERE entity = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _zg_cache_sql_error (self, rc, "Could not count the records", error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* Purge (R-ACL-4): the record, its conflicts and the content of its unsent edits leave the
 * cache. The edits stay listed as rejected ("purged") so the user learns they did not land. */
static gboolean
purge_one (ZgCache     *self,
           const char  *entity,
           const char  *id,
           GError     **error)
{
  static const char * const statements[] = {
    "DELETE FROM records WHERE entity = ?1 AND id = ?2",
    "DELETE FROM conflicts WHERE entity = ?1 AND id = ?2",
    "UPDATE outbox SET state = 'rejected', reason = 'purged', changes = '{}' "
    "WHERE entity = ?1 AND id = ?2",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = _zg_cache_prepare (self, statements[i], error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        return _zg_cache_sql_error (self, rc, "Could not purge the record", error);
    }
  return TRUE;
}

static gboolean
purge_commit (ZgCache  *self,
              GError  **error)
{
  if (!_zg_cache_commit (self, error))
    return FALSE;
  /* The WAL still holds the old page images until it is checkpointed and truncated. */
  return _zg_cache_exec (self, "PRAGMA wal_checkpoint(TRUNCATE)", error);
}

gboolean
zg_cache_purge_records (ZgCache            *self,
                        const char         *entity,
                        const char * const *ids,
                        GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_return_val_if_fail (ZG_IS_CACHE (self), FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error))
    return FALSE;
  for (gsize i = 0; ids[i] != NULL; i++)
    if (!_zg_cache_valid_key (entity, ids[i], error))
      return FALSE;

  if (!_zg_cache_begin (self, error))
    return FALSE;
  for (gsize i = 0; ids[i] != NULL; i++)
    if (!purge_one (self, entity, ids[i], error))
      {
        _zg_cache_rollback (self);
        return FALSE;
      }
  return purge_commit (self, error);
}

gboolean
zg_cache_purge_except (ZgCache            *self,
                       const char         *entity,
                       const char * const *keep_ids,
                       GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) doomed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) keep = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), FALSE);
  g_return_val_if_fail (keep_ids != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error) || !_zg_cache_valid_key (entity, "-", error))
    return FALSE;
  for (gsize i = 0; keep_ids[i] != NULL; i++)
    g_hash_table_add (keep, (gpointer) keep_ids[i]);

  if (!_zg_cache_begin (self, error))
    return FALSE;
  /* rev 0 = created here and not yet acknowledged: no snapshot can contain it yet. */
  stmt = _zg_cache_prepare (self, "SELECT id FROM records WHERE entity = ? AND rev > 0", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);

      if (id != NULL && !g_hash_table_contains (keep, id))
        g_ptr_array_add (doomed, g_strdup (id));
    }
  if (rc != SQLITE_DONE)
    {
      _zg_cache_sql_error (self, rc, "Could not list the records", error);
      goto fail;
    }
  for (guint i = 0; i < doomed->len; i++)
    if (!purge_one (self, entity, g_ptr_array_index (doomed, i), error))
      goto fail;
  return purge_commit (self, error);

fail:
  _zg_cache_rollback (self);
  return FALSE;
}

/* Sync state */

char *
zg_cache_get_cursor (ZgCache  *self,
                     gint64   *last_sync,
                     GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ZG_CACHE_LOCK (self, locker);

  if (last_sync != NULL)
    *last_sync = 0;
  if (!_zg_cache_check_open (self, error))
    return NULL;
  stmt = _zg_cache_prepare (self, "SELECT cursor, last_sync FROM sync_state "
                                  "WHERE singleton = 1", error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _zg_cache_sql_error (self, rc, "Could not read the sync state", error);
      return NULL;
    }
  if (last_sync != NULL)
    *last_sync = sqlite3_column_int64 (stmt, 1);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

gboolean
zg_cache_set_cursor (ZgCache     *self,
                     const char  *cursor,
                     GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error))
    return FALSE;
  if (cursor != NULL && !valid_name (cursor, 1024))
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                           "A sync cursor must be short UTF-8 text");
      return FALSE;
    }
  stmt = _zg_cache_prepare (self, "UPDATE sync_state SET cursor = ?, last_sync = ? "
                                  "WHERE singleton = 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, cursor, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return _zg_cache_sql_error (self, rc, "Could not store the sync cursor", error);
  return TRUE;
}

/* Export before a clean resync: everything the user typed that the server has not taken. */

static void
add_text (JsonBuilder *builder,
          const char  *text)
{
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

static void
add_json_member (JsonBuilder *builder,
                 const char  *name,
                 const char  *json)
{
  g_autoptr(JsonNode) node = json != NULL ? json_from_string (json, NULL) : NULL;

  json_builder_set_member_name (builder, name);
  if (node != NULL)
    json_builder_add_value (builder, g_steal_pointer (&node));
  else
    add_text (builder, json);
}

/* Writes every row of @sql as an object keyed by column name; @json_columns hold JSON text. */
static gboolean
export_rows (ZgCache             *self,
             JsonBuilder         *builder,
             const char          *member,
             const char          *sql,
             const char * const  *json_columns,
             GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = _zg_cache_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      for (int column = 0; column < sqlite3_column_count (stmt); column++)
        {
          const char *name = sqlite3_column_name (stmt, column);
          const char *text = (const char *) sqlite3_column_text (stmt, column);

          if (g_strv_contains (json_columns, name))
            add_json_member (builder, name, text);
          else
            {
              json_builder_set_member_name (builder, name);
              if (sqlite3_column_type (stmt, column) == SQLITE_INTEGER)
                json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, column));
              else
                add_text (builder, text);
            }
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (rc != SQLITE_DONE)
    return _zg_cache_sql_error (self, rc, "Could not read the pending edits", error);
  return TRUE;
}

gboolean
zg_cache_export_pending (ZgCache     *self,
                         const char  *export_path,
                         GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  g_autofree char *text = NULL;

  g_return_val_if_fail (ZG_IS_CACHE (self), FALSE);
  g_return_val_if_fail (export_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error))
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "zeugnis-cache-export");
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, self->client_id);
  json_builder_set_member_name (builder, "exported");
  json_builder_add_string_value (builder, stamp);
  if (!export_rows (self, builder, "outbox",
                    "SELECT mutation_id, entity, id, base_rev, changes, created, attempts, "
                    "state, reason FROM outbox ORDER BY mutation_id",
                    (const char * const[]) { "changes", NULL }, error)
      || !export_rows (self, builder, "conflicts",
                       "SELECT mutation_id, entity, id, field, local_value, server_value, "
                       "created FROM conflicts ORDER BY conflict_id",
                       (const char * const[]) { "local_value", "server_value", NULL }, error))
    return FALSE;
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, TRUE);
  if (!g_file_set_contents_full (export_path, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_IO,
                   "Could not export the pending edits: %s", local_error->message);
      return FALSE;
    }
  return TRUE;
}
