/* test-storage.c — the encrypted database: key, migrations, statements, transactions (R-OPS-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "server-test-utils.h"
#include "zg-crypto.h"
#include "zg-server-private.h"

typedef struct
{
  char   *dir;
  char   *db_path;
  guint8  key[ZG_STORAGE_KEY_BYTES];
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("zeugnis-storage-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "test.db", NULL);
  g_assert_true (zg_random_bytes (f->key, sizeof f->key));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);

  for (const char *name = dir != NULL ? g_dir_read_name (dir) : NULL; name != NULL;
       name = g_dir_read_name (dir))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
}

static int
count_migrations (void)
{
  g_auto(GStrv) names = g_resources_enumerate_children ("/org/zeugnis/server/migrations",
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  int max = 0;

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    max = MAX (max, (int) g_ascii_strtoll (names[i], NULL, 10));
  return max;
}

static void
test_create_and_reopen (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ZgStorage *storage;
  int version;

  _zg_server_ensure_resources ();   /* the migrations are compiled into the server library */
  storage = zg_storage_open (f->db_path, f->key, TRUE, &error);
  g_assert_no_error (error);
  version = zg_storage_get_schema_version (storage);
  g_assert_cmpint (version, ==, count_migrations ());
  g_assert_cmpint (zg_storage_count (storage, "roles"), ==, 1);   /* the Administrator role */
  g_assert_cmpint (zg_storage_count (storage, "schema_version"), >=, 1);
  zg_storage_free (storage);

  /* Creating over an existing file is refused. */
  g_assert_null (zg_storage_open (f->db_path, f->key, TRUE, &error));
  g_assert_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_EXISTS);
  g_clear_error (&error);

  /* Reopening applies nothing twice. */
  storage = zg_storage_open (f->db_path, f->key, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (zg_storage_get_schema_version (storage), ==, version);
  g_assert_cmpint (zg_storage_count (storage, "roles"), ==, 1);
  zg_storage_free (storage);
}

/* A migration with a lower number than one already applied (a module's range) still runs,
 * and exactly once. Simulated by forgetting the mail module's 0100 migration and its tables
 * on a database that already carries the later ones. */
static void
test_lower_numbered_migration_runs (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ZgStorage *storage;
  int version;

  _zg_server_ensure_resources ();
  storage = zg_storage_open (f->db_path, f->key, TRUE, &error);
  g_assert_no_error (error);
  version = zg_storage_get_schema_version (storage);
  g_assert_cmpint (version, >, 100);
  g_assert_cmpint (sqlite3_exec (zg_storage_get_db (storage),
                                 "DROP TABLE account_tokens; DROP TABLE mail_outbox;"
                                 "DELETE FROM schema_version WHERE version = 100;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  zg_storage_free (storage);

  storage = zg_storage_open (f->db_path, f->key, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (zg_storage_get_schema_version (storage), ==, version);
  g_assert_cmpint (zg_storage_count (storage, "mail_outbox"), ==, 0);
  g_assert_cmpint (zg_storage_count (storage, "account_tokens"), ==, 0);
  zg_storage_free (storage);

  /* and a third open applies nothing again */
  storage = zg_storage_open (f->db_path, f->key, FALSE, &error);
  g_assert_no_error (error);
  zg_storage_free (storage);
}

/* R-OPS-3: the database is unreadable without its key. */
static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint8 other[ZG_STORAGE_KEY_BYTES];
  ZgStorage *storage = zg_storage_open (f->db_path, f->key, TRUE, &error);

  g_assert_no_error (error);
  zg_storage_free (storage);

  memcpy (other, f->key, sizeof other);
  other[0] ^= 0x01;   /* one bit off */
  g_assert_null (zg_storage_open (f->db_path, other, FALSE, &error));
  g_assert_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "wrong key"));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_key_file (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "key", NULL);
  g_autofree char *hex = zg_hex_encode (f->key, sizeof f->key);
  g_autofree char *line = g_strconcat (hex, "\n", NULL);
  g_autoptr(GError) error = NULL;
  guint8 read_back[ZG_STORAGE_KEY_BYTES];

  g_assert_true (g_file_set_contents_full (path, line, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_assert_true (zg_storage_read_key_file (path, read_back, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (read_back, sizeof read_back, f->key, sizeof f->key);

  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  g_assert_false (zg_storage_read_key_file (path, read_back, &error));
  g_assert_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_KEY);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents_full (path, "abc\n", -1, G_FILE_SET_CONTENTS_NONE, 0600,
                                           &error));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_assert_false (zg_storage_read_key_file (path, read_back, &error));
  g_assert_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_KEY);
}

static void
test_statements_and_transactions (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ZgStorage *storage = zg_storage_open (f->db_path, f->key, TRUE, &error);
  const char *sql = "INSERT INTO settings (key, value) VALUES (?1, ?2);";
  ZgStmt *first;

  g_assert_no_error (error);

  /* Prepared once, reused. */
  {
    g_autoptr(ZgStmt) stmt = zg_storage_prepare (storage, sql, &error);

    first = stmt;
    g_assert_true (zg_stmt_bind_text (stmt, 1, "a"));
    g_assert_true (zg_stmt_bind_text (stmt, 2, "x'); DROP TABLE users; --"));
    g_assert_true (zg_stmt_run (stmt, &error));
  }
  {
    g_autoptr(ZgStmt) stmt = zg_storage_prepare (storage, sql, &error);

    g_assert_true (stmt == first);
  }
  g_assert_cmpint (zg_storage_count (storage, "users"), ==, 0);   /* bound, not executed */

  /* Rolled back: nothing stays. */
  g_assert_true (zg_storage_begin (storage, &error));
  {
    g_autoptr(ZgStmt) stmt = zg_storage_prepare (storage, sql, &error);

    g_assert_true (zg_stmt_bind_text (stmt, 1, "b"));
    g_assert_true (zg_stmt_bind_text (stmt, 2, "y"));
    g_assert_true (zg_stmt_run (stmt, &error));
  }
  zg_storage_rollback (storage);
  g_assert_cmpint (zg_storage_count (storage, "settings"), ==, 1);

  /* A constraint violation reports an error and changes nothing. */
  {
    g_autoptr(ZgStmt) stmt = zg_storage_prepare (storage, sql, &error);

    g_assert_true (zg_stmt_bind_text (stmt, 1, "a"));
    g_assert_true (zg_stmt_bind_text (stmt, 2, "again"));
    g_assert_false (zg_stmt_run (stmt, &error));
    g_assert_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE);
  }
  g_assert_cmpint (zg_storage_count (storage, "settings"), ==, 1);
  zg_storage_free (storage);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/Zeugnis/Server/Storage/create-migrate-reopen", Fixture, NULL, fixture_setup,
              test_create_and_reopen, fixture_teardown);
  g_test_add ("/Zeugnis/Server/Storage/lower-numbered-migration-runs", Fixture, NULL,
              fixture_setup, test_lower_numbered_migration_runs, fixture_teardown);
  g_test_add ("/Zeugnis/Server/Storage/R-OPS-3-wrong-key", Fixture, NULL, fixture_setup,
              test_wrong_key, fixture_teardown);
  g_test_add ("/Zeugnis/Server/Storage/key-file", Fixture, NULL, fixture_setup, test_key_file,
              fixture_teardown);
  g_test_add ("/Zeugnis/Server/Storage/statements-and-transactions", Fixture, NULL, fixture_setup,
              test_statements_and_transactions, fixture_teardown);

  return g_test_run ();
}
