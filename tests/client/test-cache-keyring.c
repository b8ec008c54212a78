/* test-cache-keyring.c — the cache key in a real Secret Service (gnome-keyring-daemon in its
 * own D-Bus session, see run-with-keyring.sh): stored by one process, found by another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cache-test-utils.h"
#include "zg-cache-account.h"
#include "zg-crypto.h"
#include "zg-outbox.h"

#define SERVER "https://zeugnis.example.org/"
#define SERVER_NORMAL "https://zeugnis.example.org"
#define USER   "Personal@Example.org"
#define USER_NORMAL "personal@example.org"

static const char *self_exe;

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

/* The UI path: asynchronous, with no passphrase because the keyring is there. */
static ZgCache *
open_account_async (Fixture *fx)
{
  ZgCache *cache = NULL;

  zg_cache_open_for_account_async (fx->dir, SERVER, USER, NULL, NULL, open_ready_cb, &cache);
  while (cache == NULL)
    g_main_context_iteration (NULL, TRUE);
  return cache;
}

static ZgCacheHeader *
load_header (ZgCache *cache)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *header_path = zg_cache_header_path_for (zg_cache_get_path (cache));
  ZgCacheHeader *header = zg_cache_header_load (header_path, &error);

  g_assert_no_error (error);
  return header;
}

static int
keyring_child (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCache) cache = zg_cache_open_for_account (dir, SERVER, USER, NULL, NULL, &error);
  g_autoptr(ZgCacheRecord) record = NULL;

  if (cache == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 2;
    }
  record = zg_cache_get_record (cache, "certificate", "c-1", &error);
  if (record == NULL || strstr (record->json, "aus dem Schlüsselbund") == NULL)
    return 3;
  if (zg_cache_outbox_count (cache, ZG_OUTBOX_STATE_PENDING, NULL) != 1)
    return 4;
  return 0;
}

static void
test_store_then_lookup_in_new_process (Fixture       *fx,
                                       gconstpointer  data)
{
  g_autoptr(ZgCache) cache = open_account_async (fx);
  g_autoptr(ZgCacheHeader) header = load_header (cache);
  g_autoptr(ZgCacheKey) key = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key_hex = NULL;
  int term_signal = 0;

  g_assert_cmpint (header->key_source, ==, ZG_CACHE_KEY_SOURCE_KEYRING);
  json_object_set_string_member (changes, "text", "aus dem Schlüsselbund");
  g_assert_cmpint (zg_cache_local_edit (cache, "certificate", "c-1", changes, &error), >, 0);
  g_clear_object (&cache);

  /* the key lives in the keyring under the normalised server and user, never in a file */
  key = zg_cache_key_lookup_sync (SERVER_NORMAL, USER_NORMAL, header->cache_id, NULL, &error);
  g_assert_no_error (error);
  key_hex = zg_hex_encode (zg_cache_key_get_bytes (key), ZG_CACHE_KEY_BYTES);
  g_assert_false (cache_test_dir_contains (fx->dir, key_hex));

  g_assert_cmpint (cache_test_run_self (self_exe, "--keyring-child", fx->dir, NULL,
                                        &term_signal), ==, 0);
}

static void
test_key_missing (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(ZgCache) cache = open_account_async (fx);
  g_autoptr(ZgCacheHeader) header = load_header (cache);
  g_autoptr(GError) error = NULL;

  g_clear_object (&cache);
  g_assert_true (zg_cache_key_clear_sync (SERVER_NORMAL, USER_NORMAL, header->cache_id, NULL,
                                          &error));
  cache = zg_cache_open_for_account (fx->dir, SERVER, USER, NULL, NULL, &error);
  g_assert_null (cache);
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_KEY_MISSING);
  g_test_message ("%s", error->message);
}

static void
reset_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  char **saved = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (zg_cache_reset_for_account_finish (result, saved, &error));
  g_assert_no_error (error);
}

static void
test_reset_clears_key (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(ZgCache) cache = open_account_async (fx);
  g_autoptr(ZgCacheHeader) header = load_header (cache);
  g_autoptr(ZgCacheHeader) new_header = NULL;
  g_autoptr(ZgCacheKey) key = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;

  json_object_set_string_member (changes, "text", "vor dem Zurücksetzen");
  g_assert_cmpint (zg_cache_local_edit (cache, "certificate", "c-2", changes, &error), >, 0);
  zg_cache_reset_for_account_async (fx->dir, SERVER, USER, cache, NULL, reset_ready_cb, &saved);
  while (saved == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cache_test_file_contains (saved, "c-2", 3));

  key = zg_cache_key_lookup_sync (SERVER_NORMAL, USER_NORMAL, header->cache_id, NULL, &error);
  g_assert_null (key);
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_KEY_MISSING);
  g_clear_error (&error);

  g_clear_object (&cache);
  cache = open_account_async (fx);
  new_header = load_header (cache);
  g_assert_cmpstr (new_header->cache_id, !=, header->cache_id);
  g_assert_cmpint (zg_cache_count_records (cache, "certificate", NULL), ==, 0);
}

static void
store_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  int *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (zg_cache_key_store_finish (result, &error));
  g_assert_no_error (error);
  *done = 1;
}

static void
lookup_ready_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ZgCacheKey **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = zg_cache_key_lookup_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async_store_lookup (void)
{
  g_autoptr(ZgCacheKey) key = zg_cache_key_new_random ();
  g_autoptr(ZgCacheKey) found = NULL;
  g_autofree char *cache_id = g_uuid_string_random ();
  int done = 0;

  zg_cache_key_store_async (SERVER_NORMAL, USER_NORMAL, cache_id, key, NULL, store_ready_cb,
                            &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  zg_cache_key_lookup_async (SERVER_NORMAL, USER_NORMAL, cache_id, NULL, lookup_ready_cb,
                             &found);
  while (found == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpmem (zg_cache_key_get_bytes (key), ZG_CACHE_KEY_BYTES,
                   zg_cache_key_get_bytes (found), ZG_CACHE_KEY_BYTES);
  g_assert_true (zg_cache_key_clear_sync (SERVER_NORMAL, USER_NORMAL, cache_id, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_strcmp0 (argv[1], "--keyring-child") == 0)
    return keyring_child (argv[2]);

  self_exe = argv[0];
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("needs a session bus with a Secret Service: run via run-with-keyring.sh");
      return g_test_run ();
    }

#define ADD(path, func) \
  g_test_add ("/Zeugnis/Client/Keyring/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)

  ADD ("store-then-lookup-in-new-process", test_store_then_lookup_in_new_process);
  ADD ("key-missing", test_key_missing);
  ADD ("reset-exports-and-clears-key", test_reset_clears_key);
  g_test_add_func ("/Zeugnis/Client/Keyring/async-store-lookup", test_async_store_lookup);

#undef ADD

  return g_test_run ();
}
