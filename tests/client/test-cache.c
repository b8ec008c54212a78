/* test-cache.c — the encrypted offline cache: files, keys, corruption, crash safety, purge,
 * outbox and conflicts (the library part of the desktop client, issue 5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include "cache-test-utils.h"
#include "zg-cache.h"
#include "zg-crypto.h"
#include "zg-outbox.h"

static const char *self_exe;

typedef struct
{
  char       *dir;
  char       *path;
  ZgCacheKey *key;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  fx->dir = cache_test_make_dir ();
  fx->path = g_build_filename (fx->dir, "caches", "test.db", NULL);
  fx->key = zg_cache_key_new_random ();
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  cache_test_remove_dir (fx->dir);
  g_free (fx->dir);
  g_free (fx->path);
  zg_cache_key_free (fx->key);
}

static ZgCache *
create_cache (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  ZgCache *cache = zg_cache_create (fx->path, NULL, fx->key, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cache);
  return cache;
}

static ZgCache *
open_cache (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  ZgCache *cache = zg_cache_open (fx->path, fx->key, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cache);
  return cache;
}

static void
put (ZgCache    *cache,
     const char *id,
     gint64      rev,
     const char *json)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (zg_cache_put_record (cache, "certificate", id, rev, json, &error));
  g_assert_no_error (error);
}

static char *
record_json (guint       i,
             const char *marker)
{
  return g_strdup_printf ("{\"id\":\"c-%04u\",\"employee\":\"Erika Mustermann %u\","
                          "\"status\":\"draft\",\"text\":\"%s Sie erledigte die ihr "
                          "übertragenen Aufgaben stets zu unserer vollsten Zufriedenheit.\"}",
                          i, i, marker != NULL ? marker : "");
}

static void
fill (ZgCache *cache,
      guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("c-%04u", i);
      g_autofree char *json = record_json (i, NULL);

      put (cache, id, 1, json);
    }
}

static char *
member_string (const char *json,
               const char *name)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  JsonObject *object;

  g_assert_nonnull (node);
  object = json_node_get_object (node);
  if (!json_object_has_member (object, name))
    return NULL;
  return g_strdup (json_object_get_string_member (object, name));
}

static JsonObject *
changes_of (const char *name,
            const char *value)
{
  JsonObject *changes = json_object_new ();

  json_object_set_string_member (changes, name, value);
  return changes;
}

/* create, close, reopen: same data, same client id, private file modes, nothing in clear */
static void
test_create_open_reopen (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(ZgCache) cache = create_cache (fx);
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = g_strdup (zg_cache_get_client_id (cache));
  g_autofree char *json = record_json (7, "KLARTEXT-MARKER");
  g_autofree char *dir = g_path_get_dirname (fx->path);
  g_autofree char *header = zg_cache_header_path_for (fx->path);
  g_autofree char *key_hex = zg_hex_encode (zg_cache_key_get_bytes (fx->key), ZG_CACHE_KEY_BYTES);

  g_assert_true (g_uuid_string_is_valid (client_id));
  g_assert_cmpint (zg_cache_get_schema_version (cache), ==, 2);
  put (cache, "c-0007", 3, json);
  zg_cache_close (cache);
  g_clear_object (&cache);

  g_assert_cmpuint (cache_test_file_mode (dir), ==, 0700);
  g_assert_cmpuint (cache_test_file_mode (fx->path), ==, 0600);
  g_assert_cmpuint (cache_test_file_mode (header), ==, 0600);
  /* encrypted at rest, and the key is nowhere on disk */
  g_assert_false (cache_test_dir_contains (fx->dir, "KLARTEXT-MARKER"));
  g_assert_false (cache_test_dir_contains (fx->dir, key_hex));

  cache = open_cache (fx);
  g_assert_cmpstr (zg_cache_get_client_id (cache), ==, client_id);
  record = zg_cache_get_record (cache, "certificate", "c-0007", &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->rev, ==, 3);
  g_assert_cmpstr (record->json, ==, json);

  /* creating over an existing cache is refused and leaves it intact */
  g_assert_null (zg_cache_create (fx->path, NULL, fx->key, &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (zg_cache_count_records (cache, "certificate", &error), ==, 1);
}

static void
test_list_and_delete (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(ZgCache) cache = create_cache (fx);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  fill (cache, 5);
  put (cache, "c-0002", 9, "{\"status\":\"final\"}");
  g_assert_true (zg_cache_put_record (cache, "employee", "e-1", 1, "{}", &error));
  records = zg_cache_list_records (cache, "certificate", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 5);
  g_assert_cmpint (((ZgCacheRecord *) records->pdata[2])->rev, ==, 9);
  g_assert_cmpstr (((ZgCacheRecord *) records->pdata[2])->json, ==, "{\"status\":\"final\"}");

  g_assert_true (zg_cache_delete_record (cache, "certificate", "c-0000", &error));
  g_assert_false (zg_cache_delete_record (cache, "certificate", "c-0000", &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (zg_cache_count_records (cache, "certificate", &error), ==, 4);
  g_assert_cmpint (zg_cache_count_records (cache, "employee", &error), ==, 1);
}

/* a pulled page is stored whole or not at all */
static void
test_put_records_all_or_nothing (Fixture       *fx,
                                 gconstpointer  data)
{
  g_autoptr(ZgCache) cache = create_cache (fx);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  ZgCacheRecord *bad;

  page = g_ptr_array_new_with_free_func ((GDestroyNotify) zg_cache_record_free);
  for (guint i = 0; i < 50; i++)
    {
      ZgCacheRecord *record = g_new0 (ZgCacheRecord, 1);

      record->entity = g_strdup ("certificate");
      record->id = g_strdup_printf ("p-%02u", i);
      record->rev = i + 1;
      record->json = record_json (i, NULL);
      g_ptr_array_add (page, record);
    }
  bad = page->pdata[49];
  g_free (bad->json);
  bad->json = g_strdup ("{\"unterminated\": ");
  g_assert_false (zg_cache_put_records (cache, (ZgCacheRecord * const *) page->pdata, page->len,
                                        &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (zg_cache_count_records (cache, "certificate", NULL), ==, 0);

  g_free (bad->json);
  bad->json = g_strdup ("{}");
  g_assert_true (zg_cache_put_records (cache, (ZgCacheRecord * const *) page->pdata, page->len,
                                       &error));
  g_assert_no_error (error);
  g_assert_cmpint (zg_cache_count_records (cache, "certificate", NULL), ==, 50);
}

static void
test_wrong_key (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(ZgCache) cache = create_cache (fx);
  g_autoptr(ZgCacheKey) other = zg_cache_key_new_random ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len = 0, after_len = 0;

  fill (cache, 3);
  g_clear_object (&cache);
  g_assert_true (g_file_get_contents (fx->path, &before, &before_len, NULL));

  g_assert_null (zg_cache_open (fx->path, other, &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_WRONG_KEY);
  g_assert_nonnull (strstr (error->message, "key"));

  /* a failed open changes nothing; the right key still works */
  g_assert_true (g_file_get_contents (fx->path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  cache = open_cache (fx);
  g_assert_cmpint (zg_cache_count_records (cache, "certificate", NULL), ==, 3);
}

/* Corruption cases: each must give ZG_CACHE_ERROR_CORRUPT, never a crash or an empty cache. */

typedef enum
{
  DAMAGE_TRUNCATE_EMPTY,
  DAMAGE_TRUNCATE_SHORT,
  DAMAGE_TRUNCATE_HALF,
  DAMAGE_FLIP_SALT,
  DAMAGE_FLIP_FIRST_PAGE,
  DAMAGE_FLIP_MIDDLE,
  DAMAGE_GARBAGE,
  DAMAGE_HEADER_GARBAGE,
  DAMAGE_HEADER_MISSING,
} Damage;

static void
damage_file (const char *path,
             Damage      damage)
{
  g_autofree char *contents = NULL;
  g_autofree char *header = zg_cache_header_path_for (path);
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 8192);

  switch (damage)
    {
    case DAMAGE_TRUNCATE_EMPTY:
      length = 0;
      break;
    case DAMAGE_TRUNCATE_SHORT:
      length = 100;
      break;
    case DAMAGE_TRUNCATE_HALF:
      length = length / 2 + 7;
      break;
    case DAMAGE_FLIP_SALT:
      contents[5] ^= 0x40;
      break;
    case DAMAGE_FLIP_FIRST_PAGE:
      contents[200] ^= 0x01;
      break;
    case DAMAGE_FLIP_MIDDLE:
      contents[length / 2 + 100] ^= 0x10;
      break;
    case DAMAGE_GARBAGE:
      g_assert_true (zg_random_bytes ((guint8 *) contents, length));
      break;
    case DAMAGE_HEADER_GARBAGE:
      {
        guint8 junk[300];

        g_assert_true (zg_random_bytes (junk, sizeof junk));
        g_assert_true (g_file_set_contents (header, (const char *) junk, sizeof junk, NULL));
        return;
      }
    case DAMAGE_HEADER_MISSING:
      g_assert_cmpint (g_unlink (header), ==, 0);
      return;
    default:
      g_assert_not_reached ();
    }
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
}

static void
test_corrupt (Fixture       *fx,
              gconstpointer  data)
{
  Damage damage = GPOINTER_TO_INT (data);
  g_autoptr(ZgCache) cache = create_cache (fx);
  g_autoptr(GError) error = NULL;

  fill (cache, 200);
  zg_cache_close (cache);
  g_clear_object (&cache);

  damage_file (fx->path, damage);
  cache = zg_cache_open (fx->path, fx->key, &error);
  g_assert_null (cache);
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_test_message ("damage %d: %s", damage, error->message);
}

/* Crash safety: a child process makes a local edit and is killed with SIGKILL right after
 * the commit returned; the parent finds the record and its outbox entry. */

static int
crash_child (const char *path,
             const char *key_hex)
{
  guint8 bytes[ZG_CACHE_KEY_BYTES];
  g_autoptr(ZgCacheKey) key = NULL;
  g_autoptr(ZgCache) cache = NULL;
  g_autoptr(JsonObject) changes = changes_of ("text", "Getippt kurz vor dem Absturz");
  g_autoptr(GError) error = NULL;

  if (!zg_hex_decode (key_hex, bytes, sizeof bytes))
    return 2;
  key = zg_cache_key_new_from_bytes (bytes, sizeof bytes);
  cache = zg_cache_open (path, key, &error);
  if (cache == NULL)
    return 3;
  if (zg_cache_local_edit (cache, "certificate", "c-0001", changes, &error) <= 0)
    return 4;
  raise (SIGKILL);
  return 5;
}

static void
test_local_edit_survives_crash (Fixture       *fx,
                                gconstpointer  data)
{
  g_autoptr(ZgCache) cache = create_cache (fx);
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_hex = zg_hex_encode (zg_cache_key_get_bytes (fx->key), ZG_CACHE_KEY_BYTES);
  g_autofree char *text = NULL;
  ZgOutboxEntry *entry;
  int term_signal = 0;

  fill (cache, 3);
  zg_cache_close (cache);
  g_clear_object (&cache);

  g_assert_cmpint (cache_test_run_self (self_exe, "--crash-child", fx->path, key_hex,
                                        &term_signal), ==, -1);
  g_assert_cmpint (term_signal, ==, SIGKILL);

  cache = open_cache (fx);
  record = zg_cache_get_record (cache, "certificate", "c-0001", &error);
  g_assert_no_error (error);
  text = member_string (record->json, "text");
  g_assert_cmpstr (text, ==, "Getippt kurz vor dem Absturz");
  outbox = zg_cache_outbox_list (cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = outbox->pdata[0];
  g_assert_cmpstr (entry->id, ==, "c-0001");
  g_assert_cmpint (entry->base_rev, ==, 1);
  g_assert_cmpint (entry->state, ==, ZG_OUTBOX_STATE_PENDING);
  g_assert_cmpstr (entry->changes, ==, "{\"text\":\"Getippt kurz vor dem Absturz\"}");
}

/* Decrypts every page of a SQLCipher file with the raw key (AES-256-CBC, the IV in each page's
 * reserved tail) and reports whether @marker occurs in any plaintext page, free pages included. */
static gboolean
plaintext_pages_contain (const char       *path,
                         const ZgCacheKey *key,
                         const char       *marker)
{
  g_autofree guint8 *file = NULL;
  g_autofree guint8 *plain = NULL;
  g_autofree char *version = NULL;
  gsize length = 0, page_size, reserve;
  gboolean found = FALSE;

  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA cipher_version", -1, &stmt, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    version = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  /* SQLCipher 3: 1024-byte pages, IV + HMAC-SHA1 = 48 reserved bytes; 4: 4096 and 80. */
  if (g_str_has_prefix (version, "3."))
    {
      page_size = 1024;
      reserve = 48;
    }
  else
    {
      page_size = 4096;
      reserve = 80;
    }

  g_assert_true (g_file_get_contents (path, (char **) &file, &length, NULL));
  g_assert_cmpuint (length % page_size, ==, 0);
  plain = g_malloc (page_size);
  for (gsize offset = 0; offset < length; offset += page_size)
    {
      const guint8 *page = file + offset;
      gsize start = offset == 0 ? 16 : 0;  /* page 1 starts with the salt */
      int len1 = 0, len2 = 0;
      EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();

      g_assert_nonnull (ctx);
      g_assert_cmpint (EVP_DecryptInit_ex (ctx, EVP_aes_256_cbc (), NULL,
                                           zg_cache_key_get_bytes (key),
                                           page + page_size - reserve), ==, 1);
      EVP_CIPHER_CTX_set_padding (ctx, 0);
      g_assert_cmpint (EVP_DecryptUpdate (ctx, plain, &len1, page + start,
                                          (int) (page_size - reserve - start)), ==, 1);
      g_assert_cmpint (EVP_DecryptFinal_ex (ctx, plain + len1, &len2), ==, 1);
      EVP_CIPHER_CTX_free (ctx);
      if (memmem (plain, (gsize) len1 + (gsize) len2, marker, strlen (marker)) != NULL)
        found = TRUE;
    }
  return found;
}

/* R-ACL-4: a record that became invisible is purged: its row, its conflicts and the content
 * of its unsent edits leave the cache, and secure_delete overwrites the freed bytes. */
static void
test_purge_removes_bytes (Fixture       *fx,
                          gconstpointer  data)
{
  const char *marker = "PURGE-MARKER-R-ACL-4";
  const char *purged[] = { "c-9042", NULL };
  g_autoptr(ZgCache) cache = create_cache (fx);
  g_autoptr(JsonObject) changes = changes_of ("note", "PURGE-MARKER-R-ACL-4 local edit");
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = record_json (42, marker);
  g_autofree char *wal = g_strconcat (fx->path, "-wal", NULL);
  ZgOutboxEntry *entry;

  fill (cache, 60);
  put (cache, "c-9042", 2, json);
  g_assert_cmpint (zg_cache_local_edit (cache, "certificate", "c-9042", changes, &error), >, 0);
  g_assert_no_error (error);
  zg_cache_close (cache);
  g_clear_object (&cache);
  /* the check can fail: before the purge the marker is found in the decrypted pages */
  g_assert_true (plaintext_pages_contain (fx->path, fx->key, marker));
  g_assert_false (cache_test_file_contains (fx->path, marker, strlen (marker)));

  cache = open_cache (fx);
  g_assert_true (zg_cache_purge_records (cache, "certificate", purged, &error));
  g_assert_no_error (error);
  g_assert_null (zg_cache_get_record (cache, "certificate", "c-9042", &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (zg_cache_count_records (cache, "certificate", NULL), ==, 60);

  /* the user learns the edit did not land, but its content is gone */
  outbox = zg_cache_outbox_list (cache, &error);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = outbox->pdata[0];
  g_assert_cmpint (entry->state, ==, ZG_OUTBOX_STATE_REJECTED);
  g_assert_cmpstr (entry->reason, ==, "purged");
  g_assert_cmpstr (entry->changes, ==, "{}");

  /* the WAL has been checkpointed and truncated: the old page images are gone too */
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (wal, &st), ==, 0);
    g_assert_cmpint (st.st_size, ==, 0);
  }
  g_assert_false (plaintext_pages_contain (fx->path, fx->key, marker));
  zg_cache_close (cache);
  g_assert_false (plaintext_pages_contain (fx->path, fx->key, marker));
}

static void
test_purge_except (Fixture       *fx,
                   gconstpointer  data)
{
  const char *keep[] = { "c-0001", "c-0003", "not-cached", NULL };
  g_autoptr(ZgCache) cache = create_cache (fx);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  fill (cache, 5);
  g_assert_true (zg_cache_put_record (cache, "employee", "e-1", 1, "{}", &error));
  g_assert_true (zg_cache_purge_except (cache, "certificate", keep, &error));
  g_assert_no_error (error);
  records = zg_cache_list_records (cache, "certificate", &error);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpstr (((ZgCacheRecord *) records->pdata[0])->id, ==, "c-0001");
  g_assert_cmpstr (((ZgCacheRecord *) records->pdata[1])->id, ==, "c-0003");
  g_assert_cmpint (zg_cache_count_records (cache, "employee", NULL), ==, 1);
}

static void
test_outbox_flow (Fixture       *fx,
                  gconstpointer  data)
{
  g_autoptr(ZgCache) cache = create_cache (fx);
  g_autoptr(JsonObject) first = changes_of ("employee", "Max Muster");
  g_autoptr(JsonObject) second = changes_of ("kind", "final");
  g_autoptr(JsonObject) third = changes_of ("kind", "interim");
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kind = NULL;
  ZgOutboxEntry *entry;
  gint64 m1, m1b, m2, m3;

  /* a new record: base_rev 0; a second edit before sending merges into the same mutation */
  m1 = zg_cache_local_edit (cache, "certificate", "new-1", first, &error);
  g_assert_no_error (error);
  g_assert_cmpint (m1, >, 0);
  m1b = zg_cache_local_edit (cache, "certificate", "new-1", second, &error);
  g_assert_cmpint (m1b, ==, m1);

  batch = zg_cache_outbox_take_batch (cache, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 1);
  entry = batch->pdata[0];
  g_assert_cmpint (entry->base_rev, ==, 0);
  g_assert_cmpint (entry->state, ==, ZG_OUTBOX_STATE_SENT);
  g_assert_cmpint (entry->attempts, ==, 1);
  g_assert_cmpstr (entry->changes, ==, "{\"employee\":\"Max Muster\",\"kind\":\"final\"}");
  g_clear_pointer (&batch, g_ptr_array_unref);

  /* once sent, a later edit is a new, higher mutation; the unanswered one is sent again */
  m2 = zg_cache_local_edit (cache, "certificate", "new-1", third, &error);
  g_assert_cmpint (m2, >, m1);
  batch = zg_cache_outbox_take_batch (cache, 10, &error);
  g_assert_cmpuint (batch->len, ==, 2);
  g_assert_cmpint (((ZgOutboxEntry *) batch->pdata[0])->mutation_id, ==, m1);
  g_assert_cmpint (((ZgOutboxEntry *) batch->pdata[0])->attempts, ==, 2);
  g_assert_cmpint (((ZgOutboxEntry *) batch->pdata[1])->mutation_id, ==, m2);
  g_clear_pointer (&batch, g_ptr_array_unref);

  g_assert_true (zg_cache_outbox_ack (cache, m1, 5, &error));
  g_assert_no_error (error);
  record = zg_cache_get_record (cache, "certificate", "new-1", &error);
  g_assert_cmpint (record->rev, ==, 5);
  kind = member_string (record->json, "kind");
  g_assert_cmpstr (kind, ==, "interim");

  /* a replayed answer finds nothing: acknowledged once */
  g_assert_false (zg_cache_outbox_ack (cache, m1, 5, &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* rejected: kept with its reason until the user dismisses it, never retried */
  g_assert_true (zg_cache_outbox_reject (cache, m2, "forbidden_field", &error));
  g_assert_cmpint (zg_cache_outbox_count (cache, ZG_OUTBOX_STATE_REJECTED, NULL), ==, 1);
  batch = zg_cache_outbox_take_batch (cache, 10, &error);
  g_assert_cmpuint (batch->len, ==, 0);
  g_assert_true (zg_cache_outbox_dismiss (cache, m2, &error));
  g_assert_false (zg_cache_outbox_dismiss (cache, m2, &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* ids never repeat, even after the outbox was emptied */
  m3 = zg_cache_local_edit (cache, "certificate", "new-1", first, &error);
  g_assert_cmpint (m3, >, m2);
}

static void
test_put_keeps_unsent_edits (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(ZgCache) cache = create_cache (fx);
  g_autoptr(JsonObject) changes = changes_of ("grade", "2");
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *grade = NULL;
  g_autofree char *status = NULL;

  put (cache, "c-1", 1, "{\"grade\":\"3\",\"status\":\"draft\"}");
  g_assert_cmpint (zg_cache_local_edit (cache, "certificate", "c-1", changes, &error), >, 0);
  /* a pull brings a newer server version; the user's unsent edit stays visible on top */
  put (cache, "c-1", 4, "{\"grade\":\"3\",\"status\":\"review\"}");
  record = zg_cache_get_record (cache, "certificate", "c-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->rev, ==, 4);
  grade = member_string (record->json, "grade");
  status = member_string (record->json, "status");
  g_assert_cmpstr (grade, ==, "2");
  g_assert_cmpstr (status, ==, "review");
}

static void
test_conflict_resolve (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(ZgCache) cache = create_cache (fx);
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *grade = NULL;
  g_autofree char *text = NULL;
  ZgConflictField fields[] = {
    { "grade", "\"2\"", "\"1\"" },
    { "text", "\"local text\"", "\"server text\"" },
  };
  ZgCacheConflict *conflict;
  gint64 mutation_id;

  put (cache, "c-1", 1, "{\"grade\":\"3\",\"text\":\"old\"}");
  json_object_set_string_member (changes, "grade", "2");
  json_object_set_string_member (changes, "text", "local text");
  mutation_id = zg_cache_local_edit (cache, "certificate", "c-1", changes, &error);
  batch = zg_cache_outbox_take_batch (cache, 10, &error);
  g_assert_cmpuint (batch->len, ==, 1);

  g_assert_true (zg_cache_outbox_conflict (cache, mutation_id, 3, fields, 2, &error));
  g_assert_no_error (error);
  /* server wins in the cache; the user's values wait as conflicts */
  record = zg_cache_get_record (cache, "certificate", "c-1", &error);
  g_assert_cmpint (record->rev, ==, 3);
  grade = member_string (record->json, "grade");
  g_assert_cmpstr (grade, ==, "1");
  g_clear_pointer (&record, zg_cache_record_free);
  g_clear_pointer (&grade, g_free);
  conflicts = zg_cache_list_conflicts (cache, &error);
  g_assert_cmpuint (conflicts->len, ==, 2);
  conflict = conflicts->pdata[0];
  g_assert_cmpstr (conflict->field, ==, "grade");
  g_assert_cmpstr (conflict->local_value, ==, "\"2\"");
  g_assert_cmpstr (conflict->server_value, ==, "\"1\"");
  g_assert_cmpint (zg_cache_outbox_count (cache, ZG_OUTBOX_STATE_CONFLICT, NULL), ==, 1);

  /* keep mine for the grade: a new edit on top of rev 3; take the server's text */
  g_assert_true (zg_cache_resolve_conflict (cache, conflict->conflict_id, TRUE, &error));
  g_assert_no_error (error);
  conflict = conflicts->pdata[1];
  g_assert_true (zg_cache_resolve_conflict (cache, conflict->conflict_id, FALSE, &error));
  g_assert_false (zg_cache_resolve_conflict (cache, conflict->conflict_id, FALSE, &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  record = zg_cache_get_record (cache, "certificate", "c-1", &error);
  grade = member_string (record->json, "grade");
  text = member_string (record->json, "text");
  g_assert_cmpstr (grade, ==, "2");
  g_assert_cmpstr (text, ==, "server text");
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = zg_cache_list_conflicts (cache, &error);
  g_assert_cmpuint (conflicts->len, ==, 0);
  outbox = zg_cache_outbox_list (cache, &error);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_cmpint (((ZgOutboxEntry *) outbox->pdata[0])->base_rev, ==, 3);
  g_assert_cmpstr (((ZgOutboxEntry *) outbox->pdata[0])->changes, ==, "{\"grade\":\"2\"}");
}

typedef struct
{
  ZgCache *cache;
  guint    thread;
} EditJob;

static gpointer
edit_thread (gpointer data)
{
  EditJob *job = data;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(JsonObject) changes = changes_of ("text", "parallel");
      g_autofree char *id = g_strdup_printf ("t%u-%02u", job->thread, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) records = NULL;

      g_assert_cmpint (zg_cache_local_edit (job->cache, "certificate", id, changes, &error), >, 0);
      g_assert_no_error (error);
      records = zg_cache_list_records (job->cache, "certificate", &error);
      g_assert_no_error (error);
      g_assert_nonnull (records);
      g_assert_cmpuint (records->len, >, 0);
    }
  return NULL;
}

/* The UI thread and the sync thread share one cache: calls are serialised, none fails. */
static void
test_threads (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(ZgCache) cache = create_cache (fx);
  EditJob jobs[4];
  GThread *threads[4];

  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    {
      jobs[t].cache = cache;
      jobs[t].thread = t;
      threads[t] = g_thread_new ("edit", edit_thread, &jobs[t]);
    }
  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    g_thread_join (threads[t]);
  g_assert_cmpint (zg_cache_count_records (cache, "certificate", NULL), ==, 200);
  g_assert_cmpint (zg_cache_outbox_count (cache, ZG_OUTBOX_STATE_PENDING, NULL), ==, 200);
}

static void
test_bad_input (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(ZgCache) cache = create_cache (fx);
  g_autoptr(JsonObject) empty = json_object_new ();
  g_autoptr(JsonObject) changes = changes_of ("grade", "1");
  g_autoptr(GError) error = NULL;
  g_autofree char *long_id = g_strnfill (300, 'x');
  ZgConflictField bad_field = { "grade", "not json", "\"1\"" };
  const char *bad_ids[] = { "c-0001", "", NULL };

  fill (cache, 3);
  g_assert_false (zg_cache_put_record (cache, "certificate", "", 1, "{}", &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zg_cache_put_record (cache, "certificate", "c-\xff", 1, "{}", &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zg_cache_put_record (cache, "certificate", long_id, 1, "{}", &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zg_cache_put_record (cache, "certificate", "c-0001", 1, "[1, 2]", &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zg_cache_put_record (cache, "certificate", "c-0001", -1, "{}", &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (zg_cache_local_edit (cache, "certificate", "c-0001", empty, &error), ==, 0);
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (zg_cache_local_edit (cache, "", "c-0001", changes, &error), ==, 0);
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
  g_clear_error (&error);
  /* one bad id: the whole purge is refused, nothing removed */
  g_assert_false (zg_cache_purge_records (cache, "certificate", bad_ids, &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (zg_cache_local_edit (cache, "certificate", "c-0001", changes, &error), >, 0);
  g_assert_false (zg_cache_outbox_reject (cache, 1, "", &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (zg_cache_outbox_reject (cache, 1, "not_sent_yet", &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (zg_cache_outbox_conflict (cache, 1, 2, &bad_field, 1, &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
  g_clear_error (&error);

  /* nothing changed by any of it */
  g_assert_cmpint (zg_cache_count_records (cache, "certificate", NULL), ==, 3);
  g_assert_cmpint (zg_cache_outbox_count (cache, ZG_OUTBOX_STATE_PENDING, NULL), ==, 1);
  g_assert_cmpint (zg_cache_outbox_count (cache, ZG_OUTBOX_STATE_REJECTED, NULL), ==, 0);
}

static void
test_sync_state (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(ZgCache) cache = create_cache (fx);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  gint64 last_sync = -1;

  cursor = zg_cache_get_cursor (cache, &last_sync, &error);
  g_assert_no_error (error);
  g_assert_null (cursor);
  g_assert_cmpint (last_sync, ==, 0);
  g_assert_true (zg_cache_set_cursor (cache, "seq:1234", &error));
  g_clear_object (&cache);

  cache = open_cache (fx);
  cursor = zg_cache_get_cursor (cache, &last_sync, &error);
  g_assert_cmpstr (cursor, ==, "seq:1234");
  g_assert_cmpint (last_sync, >, 0);
}

static void
test_export_pending (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(ZgCache) cache = create_cache (fx);
  g_autoptr(JsonObject) changes = changes_of ("text", "Nicht verlieren");
  g_autoptr(JsonObject) other = changes_of ("grade", "2");
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *export_path = g_build_filename (fx->dir, "export.json", NULL);
  ZgConflictField field = { "grade", "\"2\"", "\"4\"" };
  JsonObject *root;
  JsonObject *conflict;
  JsonArray *outbox;
  JsonArray *conflicts;
  gint64 m1;

  fill (cache, 2);
  m1 = zg_cache_local_edit (cache, "certificate", "c-0000", other, &error);
  batch = zg_cache_outbox_take_batch (cache, 1, &error);
  g_assert_cmpuint (batch->len, ==, 1);
  g_assert_true (zg_cache_outbox_conflict (cache, m1, 2, &field, 1, &error));
  g_assert_cmpint (zg_cache_local_edit (cache, "certificate", "c-0001", changes, &error), >, 0);

  g_assert_true (zg_cache_export_pending (cache, export_path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cache_test_file_mode (export_path), ==, 0600);
  g_assert_true (json_parser_load_from_file (parser, export_path, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "zeugnis-cache-export");
  g_assert_cmpstr (json_object_get_string_member (root, "client_id"), ==,
                   zg_cache_get_client_id (cache));
  outbox = json_object_get_array_member (root, "outbox");
  g_assert_cmpuint (json_array_get_length (outbox), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (outbox, 0),
                                                  "state"), ==, "conflict");
  g_assert_true (json_object_get_null_member (json_array_get_object_element (outbox, 1),
                                              "reason"));
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_array_get_object_element (outbox, 1),
                                                    "changes"), "text"), ==, "Nicht verlieren");
  conflicts = json_object_get_array_member (root, "conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  conflict = json_array_get_object_element (conflicts, 0);
  g_assert_cmpstr (json_object_get_string_member (conflict, "field"), ==, "grade");
  g_assert_cmpstr (json_object_get_string_member (conflict, "local_value"), ==, "2");
  g_assert_cmpstr (json_object_get_string_member (conflict, "server_value"), ==, "4");
  g_assert_cmpint (json_object_get_int_member (conflict, "mutation_id"), ==, m1);
}

static void
test_path_for (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = zg_cache_path_for ("/base", "https://Zeugnis.Example.org/", "HR@x.de",
                                          &error);
  g_autofree char *b = zg_cache_path_for ("/base", "https://zeugnis.example.org", "hr@x.de",
                                          &error);
  g_autofree char *c = zg_cache_path_for ("/base", "https://zeugnis.example.org", "other@x.de",
                                          &error);
  g_autofree char *e = zg_cache_path_for ("/base", "HTTPS://zeugnis.example.org:443", "hr@x.de",
                                          &error);
  g_autofree char *d = zg_cache_path_for (NULL, "https://zeugnis.example.org", "hr@x.de",
                                          &error);
  g_autofree char *expected_dir = zg_cache_default_dir ();
  g_autofree char *d_dir = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, e);
  g_assert_cmpstr (a, !=, c);
  g_assert_true (g_str_has_prefix (a, "/base/"));
  g_assert_cmpuint (strlen (a), ==, strlen ("/base/") + 32 + strlen (".db"));
  d_dir = g_path_get_dirname (d);
  g_assert_cmpstr (d_dir, ==, expected_dir);
  g_assert_true (g_str_has_suffix (expected_dir, "zeugnis/caches"));

  g_assert_null (zg_cache_path_for ("/base", "not a url", "hr@x.de", &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (zg_cache_path_for ("/base", "https://zeugnis.example.org", " ", &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_strcmp0 (argv[1], "--crash-child") == 0)
    return crash_child (argv[2], argv[3]);

  self_exe = argv[0];
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/Zeugnis/Client/Cache/" path, Fixture, data, fixture_setup, func, \
              fixture_teardown)

  ADD ("create-open-reopen", test_create_open_reopen, NULL);
  ADD ("list-and-delete", test_list_and_delete, NULL);
  ADD ("put-records-all-or-nothing", test_put_records_all_or_nothing, NULL);
  ADD ("wrong-key", test_wrong_key, NULL);
  ADD ("corrupt/truncate-empty", test_corrupt, GINT_TO_POINTER (DAMAGE_TRUNCATE_EMPTY));
  ADD ("corrupt/truncate-short", test_corrupt, GINT_TO_POINTER (DAMAGE_TRUNCATE_SHORT));
  ADD ("corrupt/truncate-half", test_corrupt, GINT_TO_POINTER (DAMAGE_TRUNCATE_HALF));
  ADD ("corrupt/flip-salt", test_corrupt, GINT_TO_POINTER (DAMAGE_FLIP_SALT));
  ADD ("corrupt/flip-first-page", test_corrupt, GINT_TO_POINTER (DAMAGE_FLIP_FIRST_PAGE));
  ADD ("corrupt/flip-middle", test_corrupt, GINT_TO_POINTER (DAMAGE_FLIP_MIDDLE));
  ADD ("corrupt/garbage-file", test_corrupt, GINT_TO_POINTER (DAMAGE_GARBAGE));
  ADD ("corrupt/garbage-header", test_corrupt, GINT_TO_POINTER (DAMAGE_HEADER_GARBAGE));
  ADD ("corrupt/missing-header", test_corrupt, GINT_TO_POINTER (DAMAGE_HEADER_MISSING));
  ADD ("local-edit-survives-kill-9", test_local_edit_survives_crash, NULL);
  ADD ("purge-removes-bytes-R-ACL-4", test_purge_removes_bytes, NULL);
  ADD ("purge-except-snapshot-R-ACL-4", test_purge_except, NULL);
  ADD ("sync-state", test_sync_state, NULL);
  ADD ("export-pending", test_export_pending, NULL);
  ADD ("bad-input", test_bad_input, NULL);
  ADD ("threads-share-one-cache", test_threads, NULL);
  g_test_add ("/Zeugnis/Client/Outbox/flow", Fixture, NULL, fixture_setup, test_outbox_flow,
              fixture_teardown);
  g_test_add ("/Zeugnis/Client/Outbox/put-keeps-unsent-edits", Fixture, NULL, fixture_setup,
              test_put_keeps_unsent_edits, fixture_teardown);
  g_test_add ("/Zeugnis/Client/Outbox/conflict-resolve", Fixture, NULL, fixture_setup,
              test_conflict_resolve, fixture_teardown);
  g_test_add_func ("/Zeugnis/Client/Cache/path-for", test_path_for);

#undef ADD

  return g_test_run ();
}
