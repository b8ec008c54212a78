/* bench-cache.c — figures for the client's offline cache (issue 5: cold start < 1 s and
 * RSS < 200 MB with 10,000 cached certificates)
 *
 *   bench-cache [N]     N certificates of about 5 KB JSON each (default 10000)
 *
 * Fills a cache the way a pull does (pages of 500, one transaction each), evicts the file from
 * the page cache, then opens it in a fresh process and lists everything. Prints figures only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "zg-cache.h"
#include "zg-crypto.h"
#include "zg-outbox.h"

#define PAGE 500u

static const char * const sentences[] = {
  "Sie erledigte die ihr übertragenen Aufgaben stets zu unserer vollsten Zufriedenheit.",
  "Er verfügt über ein umfassendes und fundiertes Fachwissen, das er stets sicher einsetzte.",
  "Ihr Verhalten gegenüber Vorgesetzten, Kollegen und Kunden war stets einwandfrei.",
  "Er arbeitete sich schnell und sicher in neue Aufgabengebiete ein.",
  "Wir bedauern ihr Ausscheiden sehr und wünschen ihr für die Zukunft alles Gute.",
};

static double
ms_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / 1000.0;
}

static char *
certificate_json (guint i)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint s = i;

  while (text->len < 4600)
    {
      g_string_append (text, sentences[s % G_N_ELEMENTS (sentences)]);
      g_string_append_c (text, ' ');
      s = s * 31 + 7;
    }
  return g_strdup_printf ("{\"id\":\"cert-%05u\",\"employee\":\"Mitarbeiter %u\","
                          "\"company\":\"Muster GmbH\",\"kind\":\"final\",\"status\":\"draft\","
                          "\"language\":\"de\",\"private\":false,\"ratings\":{\"arbeitserfolg\":2,"
                          "\"verhalten\":1},\"text\":\"%s\"}", i, i, text->str);
}

static char *
cipher_version (void)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *version = NULL;

  if (sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db, "PRAGMA cipher_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return version != NULL ? version : g_strdup ("unknown");
}

static gint64
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (field), NULL, 10);
}

static void
evict_from_page_cache (const char *path)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return;
  fdatasync (fd);
  posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
  close (fd);
}

/* The measured part, in a fresh process like an app start. */
static int
cold_start (const char *path,
            const char *key_hex)
{
  guint8 bytes[ZG_CACHE_KEY_BYTES];
  g_autoptr(ZgCacheKey) key = NULL;
  g_autoptr(ZgCache) cache = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double open_ms, list_ms;

  if (!zg_hex_decode (key_hex, bytes, sizeof bytes))
    return 2;
  key = zg_cache_key_new_from_bytes (bytes, sizeof bytes);
  cache = zg_cache_open (path, key, &error);
  if (cache == NULL)
    {
      g_printerr ("open: %s\n", error->message);
      return 1;
    }
  open_ms = ms_since (start);
  start = g_get_monotonic_time ();
  records = zg_cache_list_records (cache, "certificate", &error);
  if (records == NULL)
    {
      g_printerr ("list: %s\n", error->message);
      return 1;
    }
  list_ms = ms_since (start);

  g_print ("cold open (key check, integrity check, schema):  %8.1f ms\n", open_ms);
  g_print ("list %u certificates:                         %8.1f ms\n", records->len, list_ms);
  g_print ("cold open + list:                                %8.1f ms   (goal < 1000 ms)\n",
           open_ms + list_ms);
  g_print ("RSS after list:                                  %8.1f MB   (goal < 200 MB)\n",
           (double) status_kib ("VmRSS:") / 1024.0);
  g_print ("peak RSS:                                        %8.1f MB\n",
           (double) status_kib ("VmHWM:") / 1024.0);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ZgCacheKey) key = NULL;
  g_autoptr(ZgCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key_hex = NULL;
  ZgCacheKdfParams params;
  g_autoptr(ZgCacheKey) derived = NULL;
  const char *purge_ids[101];
  g_autoptr(GPtrArray) purge_names = g_ptr_array_new_with_free_func (g_free);
  guint n = 10000;
  gsize json_bytes = 0;
  gint64 start;
  double edit_ms = 0;
  GStatBuf st;

  if (argc == 4 && g_strcmp0 (argv[1], "--cold") == 0)
    return cold_start (argv[2], argv[3]);
  if (argc > 1)
    n = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  if (n < 200)
    n = 200;

  dir = g_dir_make_tmp ("zg-bench-cache-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bench.db", NULL);
  key = zg_cache_key_new_random ();
  key_hex = zg_hex_encode (zg_cache_key_get_bytes (key), ZG_CACHE_KEY_BYTES);
  cache = zg_cache_create (path, NULL, key, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  for (guint first = 0; first < n; first += PAGE)
    {
      g_autoptr(GPtrArray) page = NULL;

      page = g_ptr_array_new_with_free_func ((GDestroyNotify) zg_cache_record_free);

      for (guint i = first; i < MIN (first + PAGE, n); i++)
        {
          ZgCacheRecord *record = g_new0 (ZgCacheRecord, 1);

          record->entity = g_strdup ("certificate");
          record->id = g_strdup_printf ("cert-%05u", i);
          record->rev = 1;
          record->json = certificate_json (i);
          json_bytes += strlen (record->json);
          g_ptr_array_add (page, record);
        }
      if (!zg_cache_put_records (cache, (ZgCacheRecord * const *) page->pdata, page->len,
                                 &error))
        g_error ("%s", error->message);
    }
  {
    g_autofree char *version = cipher_version ();

    g_print ("zeugnis offline cache benchmark, SQLCipher %s (SQLite %s)\n", version,
             sqlite3_libversion ());
  }
  g_print ("write %u certificates (%.1f KB avg JSON) in pages of %u: %8.1f ms\n",
           n, (double) json_bytes / n / 1024.0, PAGE, ms_since (start));

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(JsonObject) changes = json_object_new ();
      g_autofree char *id = g_strdup_printf ("cert-%05u", i);

      json_object_set_string_member (changes, "status", "review");
      start = g_get_monotonic_time ();
      if (zg_cache_local_edit (cache, "certificate", id, changes, &error) <= 0)
        g_error ("%s", error->message);
      edit_ms += ms_since (start);
    }
  g_print ("local edit (record + outbox, one durable commit): %6.2f ms avg of 100\n",
           edit_ms / 100);

  for (guint i = 0; i < 100; i++)
    {
      char *id = g_strdup_printf ("cert-%05u", n - 1 - i);

      g_ptr_array_add (purge_names, id);
      purge_ids[i] = id;
    }
  purge_ids[100] = NULL;
  start = g_get_monotonic_time ();
  if (!zg_cache_purge_records (cache, "certificate", purge_ids, &error))
    g_error ("%s", error->message);
  g_print ("purge 100 certificates (secure_delete, checkpoint): %6.1f ms\n", ms_since (start));

  zg_cache_close (cache);
  g_clear_object (&cache);
  if (g_stat (path, &st) == 0)
    g_print ("cache file: %.1f MB\n", (double) st.st_size / (1024.0 * 1024.0));
  /* "cold": the file is dropped from the page cache, as after a reboot */
  evict_from_page_cache (path);

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, argv[0], "--cold", path, key_hex,
                            NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (child, NULL, &error);
  g_assert_no_error (error);

  zg_cache_kdf_params_init (&params);
  start = g_get_monotonic_time ();
  derived = zg_cache_key_derive ("ein Beispiel-Passwort", &params, &error);
  g_assert_nonnull (derived);
  g_print ("Argon2id key derivation (m=%u KiB, t=%u, p=%u): %6.1f ms (passphrase fallback)\n",
           params.memory_kib, params.iterations, params.parallelism, ms_since (start));

  {
    g_autofree char *header = zg_cache_header_path_for (path);
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (header);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  return EXIT_SUCCESS;
}
