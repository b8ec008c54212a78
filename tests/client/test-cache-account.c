/* test-cache-account.c — opening the cache of a server and user without a Secret Service:
 * the Argon2id passphrase fallback, wrong passphrases, and reset for a clean resync
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cache-test-utils.h"
#include "zg-cache-account.h"
#include "zg-crypto.h"
#include "zg-outbox.h"

#define SERVER "https://zeugnis.example.org"
#define USER   "personal@example.org"
#define PASS   "Korrekt Pferd Batterie Heftklammer"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  fx->dir = cache_test_make_dir ();
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  cache_test_remove_dir (fx->dir);
  g_free (fx->dir);
}

static ZgCache *
open_account (Fixture    *fx,
              const char *passphrase)
{
  g_autoptr(GError) error = NULL;
  ZgCache *cache = zg_cache_open_for_account (fx->dir, SERVER, USER, passphrase, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cache);
  return cache;
}

static ZgCacheHeader *
load_header (const char *cache_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *header_path = zg_cache_header_path_for (cache_path);
  ZgCacheHeader *header = zg_cache_header_load (header_path, &error);

  g_assert_no_error (error);
  return header;
}

static void
edit (ZgCache    *cache,
      const char *id,
      const char *text)
{
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (changes, "text", text);
  g_assert_cmpint (zg_cache_local_edit (cache, "certificate", id, changes, &error), >, 0);
  g_assert_no_error (error);
}

static void
assert_open_fails (Fixture      *fx,
                   const char   *passphrase,
                   ZgCacheError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCache) cache = zg_cache_open_for_account (fx->dir, SERVER, USER, passphrase,
                                                        NULL, &error);

  g_assert_null (cache);
  g_assert_error (error, ZG_CACHE_ERROR, code);
  g_test_message ("%s", error->message);
}

/* No Secret Service: the user is asked for a passphrase, the key comes from Argon2id, and
 * neither the key nor the passphrase is written anywhere. */
static void
test_passphrase_fallback (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(ZgCache) cache = NULL;
  g_autoptr(ZgCacheHeader) header = NULL;
  g_autoptr(ZgCacheKey) key = NULL;
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = zg_cache_path_for (fx->dir, SERVER, USER, &error);
  g_autofree char *key_hex = NULL;
  g_autofree char *client_id = NULL;

  assert_open_fails (fx, NULL, ZG_CACHE_ERROR_NEED_PASSPHRASE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  cache = open_account (fx, PASS);
  client_id = g_strdup (zg_cache_get_client_id (cache));
  edit (cache, "c-1", "offline getippt");
  g_clear_object (&cache);

  header = load_header (path);
  g_assert_cmpint (header->key_source, ==, ZG_CACHE_KEY_SOURCE_PASSPHRASE);
  g_assert_cmpuint (header->kdf.memory_kib, >=, 19456);   /* OWASP minimum for Argon2id */
  g_assert_cmpuint (header->kdf.iterations, >=, 2);
  g_assert_cmpuint (header->kdf.parallelism, ==, 1);
  key = zg_cache_key_derive (PASS, &header->kdf, &error);
  g_assert_no_error (error);
  key_hex = zg_hex_encode (zg_cache_key_get_bytes (key), ZG_CACHE_KEY_BYTES);
  g_assert_false (cache_test_dir_contains (fx->dir, key_hex));
  g_assert_false (cache_test_dir_contains (fx->dir, PASS));
  g_assert_false (cache_test_dir_contains (fx->dir, "offline getippt"));

  /* the right passphrase opens it again; none or a wrong one is told apart from damage */
  cache = open_account (fx, PASS);
  g_assert_cmpstr (zg_cache_get_client_id (cache), ==, client_id);
  record = zg_cache_get_record (cache, "certificate", "c-1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (record->json, "offline getippt"));
  g_clear_object (&cache);
  assert_open_fails (fx, NULL, ZG_CACHE_ERROR_NEED_PASSPHRASE);
  assert_open_fails (fx, "Korrekt Pferd Batterie Heftklammer!", ZG_CACHE_ERROR_WRONG_KEY);
  assert_open_fails (fx, "", ZG_CACHE_ERROR_INVALID);
}

static void
open_ready_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  ZgCache **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = zg_cache_open_for_account_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async_open (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(ZgCache) cache = NULL;
  GMainContext *context = g_main_context_default ();

  zg_cache_open_for_account_async (fx->dir, SERVER, USER, PASS, NULL, open_ready_cb, &cache);
  while (cache == NULL)
    g_main_context_iteration (context, TRUE);
  g_assert_cmpint (zg_cache_get_schema_version (cache), ==, 2);
}

/* Reset with an open cache: pending edits go to a JSON export first, then a fresh cache. */
static void
test_reset_exports_pending (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(ZgCache) cache = open_account (fx, PASS);
  g_autoptr(GError) error = NULL;
  g_autofree char *old_client_id = g_strdup (zg_cache_get_client_id (cache));
  g_autofree char *path = g_strdup (zg_cache_get_path (cache));
  g_autofree char *saved = NULL;
  g_autofree char *dir = NULL;

  edit (cache, "c-7", "Dieser Satz darf nicht verloren gehen");
  g_assert_true (zg_cache_reset_for_account (fx->dir, SERVER, USER, cache, &saved, NULL,
                                             &error));
  g_assert_no_error (error);
  g_assert_nonnull (saved);
  dir = g_path_get_dirname (path);
  g_assert_true (g_str_has_prefix (saved, dir));
  g_assert_true (g_str_has_suffix (saved, ".json"));
  g_assert_true (cache_test_file_contains (saved, "Dieser Satz darf nicht verloren gehen",
                                           strlen ("Dieser Satz darf nicht verloren gehen")));
  g_assert_cmpuint (cache_test_file_mode (saved), ==, 0600);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* the old object is closed; the next open creates a new cache with a new client id */
  g_assert_cmpint (zg_cache_count_records (cache, "certificate", &error), ==, -1);
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_FAILED);
  g_clear_error (&error);
  g_clear_object (&cache);
  cache = open_account (fx, "ein neues Passwort");
  g_assert_cmpstr (zg_cache_get_client_id (cache), !=, old_client_id);
  g_assert_cmpint (zg_cache_count_records (cache, "certificate", NULL), ==, 0);
}

/* Reset of a cache that cannot be opened (forgotten passphrase): the file is set aside with
 * its header, not deleted — the right passphrase still opens it later. */
static void
test_reset_unreadable_keeps_file (Fixture       *fx,
                                  gconstpointer  data)
{
  g_autoptr(ZgCache) cache = open_account (fx, PASS);
  g_autoptr(ZgCache) kept = NULL;
  g_autoptr(ZgCacheHeader) header = NULL;
  g_autoptr(ZgCacheKey) key = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup (zg_cache_get_path (cache));
  g_autofree char *saved = NULL;

  edit (cache, "c-9", "ungesichert");
  g_clear_object (&cache);
  assert_open_fails (fx, "vergessen", ZG_CACHE_ERROR_WRONG_KEY);

  g_assert_true (zg_cache_reset_for_account (fx->dir, SERVER, USER, NULL, &saved, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (saved);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (saved, G_FILE_TEST_IS_REGULAR));

  header = load_header (saved);
  key = zg_cache_key_derive (PASS, &header->kdf, &error);
  kept = zg_cache_open (saved, key, &error);
  g_assert_no_error (error);
  outbox = zg_cache_outbox_list (kept, &error);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_nonnull (strstr (((ZgOutboxEntry *) outbox->pdata[0])->changes, "ungesichert"));

  cache = open_account (fx, "neu");
  g_assert_cmpint (zg_cache_outbox_count (cache, ZG_OUTBOX_STATE_PENDING, NULL), ==, 0);
}

/* A header without its cache file (creation interrupted) is replaced by a new cache. */
static void
test_stale_header (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(ZgCache) cache = open_account (fx, PASS);
  g_autofree char *path = g_strdup (zg_cache_get_path (cache));
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  g_clear_object (&cache);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_unlink (wal);
  cache = open_account (fx, "anderes Passwort");
  g_assert_cmpint (zg_cache_count_records (cache, "certificate", NULL), ==, 0);
}

static void
derive_ready_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ZgCacheKey **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = zg_cache_key_derive_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_kdf (void)
{
  ZgCacheKdfParams params, other;
  g_autoptr(ZgCacheKey) a = NULL;
  g_autoptr(ZgCacheKey) b = NULL;
  g_autoptr(ZgCacheKey) c = NULL;
  g_autoptr(ZgCacheKey) async_key = NULL;
  g_autoptr(GError) error = NULL;

  zg_cache_kdf_params_init (&params);
  g_assert_true (zg_cache_kdf_params_valid (&params));
  other = params;
  other.memory_kib = 19455;
  g_assert_false (zg_cache_kdf_params_valid (&other));
  other = params;
  other.iterations = 1;
  g_assert_false (zg_cache_kdf_params_valid (&other));
  other = params;
  other.memory_kib = 4u * 1024 * 1024;
  g_assert_false (zg_cache_kdf_params_valid (&other));
  g_assert_null (zg_cache_key_derive (PASS, &other, &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_CORRUPT);
  g_clear_error (&error);

  a = zg_cache_key_derive (PASS, &params, &error);
  b = zg_cache_key_derive (PASS, &params, &error);
  g_assert_cmpmem (zg_cache_key_get_bytes (a), ZG_CACHE_KEY_BYTES,
                   zg_cache_key_get_bytes (b), ZG_CACHE_KEY_BYTES);
  other = params;
  other.salt[0] ^= 1;
  c = zg_cache_key_derive (PASS, &other, &error);
  g_assert_false (memcmp (zg_cache_key_get_bytes (a), zg_cache_key_get_bytes (c),
                          ZG_CACHE_KEY_BYTES) == 0);

  zg_cache_key_derive_async (PASS, &params, NULL, derive_ready_cb, &async_key);
  while (async_key == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpmem (zg_cache_key_get_bytes (a), ZG_CACHE_KEY_BYTES,
                   zg_cache_key_get_bytes (async_key), ZG_CACHE_KEY_BYTES);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *runtime_dir = NULL;

  /* No Secret Service reachable: no session bus address, no bus socket, no X11 autolaunch. */
  runtime_dir = g_dir_make_tmp ("zg-no-bus-XXXXXX", NULL);
  g_assert_nonnull (runtime_dir);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  g_unsetenv ("DISPLAY");

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Zeugnis/Client/Account/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)

  ADD ("passphrase-fallback", test_passphrase_fallback);
  ADD ("async-open", test_async_open);
  ADD ("reset-exports-pending", test_reset_exports_pending);
  ADD ("reset-unreadable-keeps-file", test_reset_unreadable_keeps_file);
  ADD ("stale-header-recreated", test_stale_header);
  g_test_add_func ("/Zeugnis/Client/Key/argon2id-derivation", test_kdf);

#undef ADD

  {
    int status = g_test_run ();

    g_rmdir (runtime_dir);
    return status;
  }
}
