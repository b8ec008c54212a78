/* test-cache-summary.c — typed certificate summaries in the offline cache (schema 2): filled
 * by every write of a record, migrated in place from schema 1, removed with the record,
 * process data of R-DATA-4, outbox marks, and the folding used by search as you type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "cache-test-utils.h"
#include "zg-cache-summary.h"
#include "zg-crypto.h"
#include "zg-outbox.h"

typedef struct
{
  char       *dir;
  char       *path;
  ZgCacheKey *key;
  ZgCache    *cache;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = cache_test_make_dir ();
  fx->path = g_build_filename (fx->dir, "caches", "test.db", NULL);
  fx->key = zg_cache_key_new_random ();
  fx->cache = zg_cache_create (fx->path, NULL, fx->key, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  g_clear_object (&fx->cache);
  cache_test_remove_dir (fx->dir);
  g_free (fx->dir);
  g_free (fx->path);
  zg_cache_key_free (fx->key);
}

static char *
certificate_json (const char *first,
                  const char *last,
                  const char *position,
                  const char *company,
                  const char *status,
                  gboolean    is_private)
{
  return g_strdup_printf ("{\"version\":1,\"status\":\"%s\",\"private\":%s,"
                          "\"daten\":{\"persoenliche_daten\":{\"first_name\":\"%s\","
                          "\"last_name\":\"%s\"},\"unternehmen\":{\"name\":\"%s\"},"
                          "\"zeugnisdaten\":{\"kind\":\"zwischenzeugnis\",\"language\":\"en\","
                          "\"issue_date\":\"2026-06-30\",\"position\":\"%s\"}}}",
                          status, is_private ? "true" : "false", first, last, company, position);
}

static ZgCacheRecord *
pulled (const char *id,
        gint64      rev,
        char       *json,
        gint64      created_by)
{
  ZgCacheRecord *record = g_new0 (ZgCacheRecord, 1);

  record->entity = g_strdup ("certificate");
  record->id = g_strdup (id);
  record->rev = rev;
  record->json = json;
  record->created_by = created_by;
  record->created_at = 1780000000;
  record->updated_by = created_by + 1;
  record->updated_at = 1780000100;
  return record;
}

static ZgCertificateSummary *
summary_of (ZgCache    *cache,
            const char *id)
{
  g_autoptr(GError) error = NULL;
  ZgCertificateSummary *summary = zg_cache_get_certificate_summary (cache, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

static void
put_three (ZgCache *cache)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 zg_cache_record_free);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (records, pulled ("c-1", 4, certificate_json ("Jürgen", "Müller",
                                                                "Leiter Disposition",
                                                                "Großhandel Köln GmbH",
                                                                "review", FALSE), 3));
  g_ptr_array_add (records, pulled ("c-2", 1, certificate_json ("Anna", "Abel", "Buchhalterin",
                                                                "Muster AG", "draft", TRUE), 5));
  g_ptr_array_add (records, pulled ("c-3", 2, certificate_json ("Özlem", "Zimmermann",
                                                                "Entwicklerin", "Muster AG",
                                                                "completed", FALSE), 3));
  g_assert_true (zg_cache_put_records (cache, (ZgCacheRecord * const *) records->pdata,
                                       records->len, &error));
  g_assert_no_error (error);
  /* Another entity never appears among the certificates. */
  g_assert_true (zg_cache_put_record (cache, "employee", "e-1", 1,
                                      "{\"first_name\":\"Nicht\",\"last_name\":\"Zeugnis\"}",
                                      &error));
  g_assert_no_error (error);
}

/* A pulled page fills the typed columns and the process data (R-DATA-4); the list comes
 * sorted by last name without parsing JSON. */
static void
test_fields_from_pull (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  ZgCertificateSummary *s;

  g_assert_cmpint (zg_cache_get_schema_version (fx->cache), ==, 2);
  put_three (fx->cache);
  list = zg_cache_list_certificate_summaries (fx->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (((ZgCertificateSummary *) list->pdata[0])->id, ==, "c-2");  /* abel */
  g_assert_cmpstr (((ZgCertificateSummary *) list->pdata[1])->id, ==, "c-1");  /* muller */
  g_assert_cmpstr (((ZgCertificateSummary *) list->pdata[2])->id, ==, "c-3");  /* zimmermann */

  s = list->pdata[1];
  g_assert_cmpstr (s->first_name, ==, "Jürgen");
  g_assert_cmpstr (s->last_name, ==, "Müller");
  g_assert_cmpstr (s->position, ==, "Leiter Disposition");
  g_assert_cmpstr (s->company, ==, "Großhandel Köln GmbH");
  g_assert_cmpstr (s->kind, ==, "zwischenzeugnis");
  g_assert_cmpstr (s->language, ==, "en");
  g_assert_cmpstr (s->status, ==, "review");
  g_assert_cmpstr (s->issue_date, ==, "2026-06-30");
  g_assert_false (s->is_private);
  g_assert_true (((ZgCertificateSummary *) list->pdata[0])->is_private);
  g_assert_cmpint (s->rev, ==, 4);
  g_assert_cmpint (s->created_by, ==, 3);
  g_assert_cmpint (s->created_at, ==, 1780000000);
  g_assert_cmpint (s->updated_by, ==, 4);
  g_assert_cmpint (s->updated_at, ==, 1780000100);
  g_assert_cmpstr (s->name_key, ==, "muller jurgen");
  g_assert_cmpstr (s->company_key, ==, "grosshandel koln gmbh");
  g_assert_false (s->pending);
  g_assert_false (s->problem);
}

/* A local edit refreshes the summary at once, marks it pending and keeps the process data;
 * the acknowledgement clears the mark; a conflict marks a problem. */
static void
test_local_edit_and_outbox_marks (Fixture       *fx,
                                  gconstpointer  data)
{
  g_autoptr(ZgCertificateSummary) before = NULL;
  g_autoptr(ZgCertificateSummary) edited = NULL;
  g_autoptr(ZgCertificateSummary) acked = NULL;
  g_autoptr(ZgCertificateSummary) created = NULL;
  g_autoptr(ZgCertificateSummary) conflicted = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(JsonObject) second = json_object_new ();
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GError) error = NULL;
  ZgConflictField field = { "daten.zeugnisdaten.position", "\"Lokal\"", "\"Server\"" };
  gint64 mutation;

  put_three (fx->cache);
  before = summary_of (fx->cache, "c-1");
  json_object_set_string_member (changes, "daten.zeugnisdaten.position", "Leiterin Einkauf");
  mutation = zg_cache_local_edit (fx->cache, "certificate", "c-1", changes, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mutation, >, 0);
  edited = summary_of (fx->cache, "c-1");
  g_assert_cmpstr (edited->position, ==, "Leiterin Einkauf");
  g_assert_cmpstr (edited->last_name, ==, "Müller");
  g_assert_true (edited->pending);
  g_assert_cmpint (edited->created_by, ==, 3);
  g_assert_cmpint (edited->updated, >=, before->updated);
  g_assert_nonnull (strstr (edited->search_key, "leiterin einkauf"));

  batch = zg_cache_outbox_take_batch (fx->cache, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, 1);
  g_assert_true (zg_cache_outbox_ack (fx->cache, mutation, 5, &error));
  g_assert_no_error (error);
  acked = summary_of (fx->cache, "c-1");
  g_assert_false (acked->pending);
  g_assert_cmpint (acked->rev, ==, 5);

  /* A certificate created here: rev 0, no process data yet, pending. */
  json_object_set_string_member (second, "status", "draft");
  g_assert_cmpint (zg_cache_local_edit (fx->cache, "certificate", "c-new", second, &error), >, 0);
  g_assert_no_error (error);
  created = summary_of (fx->cache, "c-new");
  g_assert_cmpint (created->rev, ==, 0);
  g_assert_cmpint (created->created_by, ==, 0);
  g_assert_true (created->pending);
  g_assert_cmpstr (created->kind, ==, "endzeugnis");
  g_assert_null (created->last_name);

  g_clear_pointer (&batch, g_ptr_array_unref);
  json_object_set_string_member (changes, "daten.zeugnisdaten.position", "Lokal");
  mutation = zg_cache_local_edit (fx->cache, "certificate", "c-3", changes, &error);
  g_assert_no_error (error);
  batch = zg_cache_outbox_take_batch (fx->cache, 10, &error);
  g_assert_no_error (error);
  g_assert_true (zg_cache_outbox_conflict (fx->cache, mutation, 7, &field, 1, &error));
  g_assert_no_error (error);
  conflicted = summary_of (fx->cache, "c-3");
  g_assert_true (conflicted->problem);
}

/* R-ACL-4: a purge or a delete takes the summary and the process data along. */
static void
test_purge_removes_summary (Fixture       *fx,
                            gconstpointer  data)
{
  const char *doomed[] = { "c-1", NULL };
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCertificateSummary) gone = NULL;

  put_three (fx->cache);
  g_assert_true (zg_cache_purge_records (fx->cache, "certificate", doomed, &error));
  g_assert_no_error (error);
  g_assert_true (zg_cache_delete_record (fx->cache, "certificate", "c-2", &error));
  g_assert_no_error (error);
  gone = zg_cache_get_certificate_summary (fx->cache, "c-1", &error);
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND);
  g_assert_null (gone);
  g_clear_error (&error);
  list = zg_cache_list_certificate_summaries (fx->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((ZgCertificateSummary *) list->pdata[0])->id, ==, "c-3");
}

/* A record the summary cannot read is still stored (it is the server's copy), with the
 * codec's defaults in the summary. */
static void
test_unreadable_record_stored (Fixture       *fx,
                               gconstpointer  data)
{
  g_autoptr(ZgCertificateSummary) s = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (zg_cache_put_record (fx->cache, "certificate", "c-odd", 1,
                                      "{\"daten\": 5, \"status\": 3, broken}", &error));
  g_assert_no_error (error);
  s = summary_of (fx->cache, "c-odd");
  g_assert_cmpstr (s->status, ==, "draft");
  g_assert_null (s->first_name);
  g_assert_cmpstr (s->search_key, ==, "\n\n\n");
}

static sqlite3 *
open_raw (Fixture *fx)
{
  g_autofree char *hex = zg_hex_encode (zg_cache_key_get_bytes (fx->key), ZG_CACHE_KEY_BYTES);
  g_autofree char *raw = g_strdup_printf ("x'%s'", hex);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fx->path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_key (db, raw, (int) strlen (raw)), ==, SQLITE_OK);
  return db;
}

/* A cache written by schema 1 is migrated in place: its certificates get summaries. */
static void
test_migration_from_1 (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  put_three (fx->cache);
  zg_cache_close (fx->cache);
  g_clear_object (&fx->cache);

  /* Back to what schema 1 wrote: no summary tables, no triggers. */
  db = open_raw (fx);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER certificate_summary_insert;"
                                     "DROP TRIGGER certificate_summary_update;"
                                     "DROP TRIGGER certificate_summary_rev;"
                                     "DROP TRIGGER record_delete;"
                                     "DROP TABLE certificate_summaries;"
                                     "DROP TABLE record_process;"
                                     "PRAGMA user_version = 1;", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  fx->cache = zg_cache_open (fx->path, fx->key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (zg_cache_get_schema_version (fx->cache), ==, 2);
  list = zg_cache_list_certificate_summaries (fx->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (((ZgCertificateSummary *) list->pdata[1])->company, ==,
                   "Großhandel Köln GmbH");
  /* The process data came only with the pull, which schema 1 did not keep. */
  g_assert_cmpint (((ZgCertificateSummary *) list->pdata[1])->created_by, ==, 0);
}

static gboolean
query_matches (const char *search_key,
               const char *query)
{
  g_autofree char *folded = zg_cache_summary_fold (query);
  g_auto(GStrv) words = g_strsplit (folded, " ", -1);

  return zg_cache_summary_matches (search_key, (const char * const *) words);
}

/* Search as you type is case-, accent- and umlaut-insensitive: "muller", "MÜLLER" and
 * "mueller" all find Müller; "gross" finds Groß; every word must match. */
static void
test_fold_and_match (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(ZgCertificateSummary) s = NULL;
  g_autofree char *nfd = zg_cache_summary_fold ("Mu\xcc\x88ller");  /* u + combining diaeresis */
  g_autofree char *upper = zg_cache_summary_fold ("  GROẞ  Müller ");

  put_three (fx->cache);
  s = summary_of (fx->cache, "c-1");
  g_assert_cmpstr (nfd, ==, "muller");
  g_assert_cmpstr (upper, ==, "  gross  muller ");
  g_assert_true (query_matches (s->search_key, "müller"));
  g_assert_true (query_matches (s->search_key, "MULLER"));
  g_assert_true (query_matches (s->search_key, "mueller"));
  g_assert_true (query_matches (s->search_key, "Jürgen Müller"));
  g_assert_true (query_matches (s->search_key, "müller köln"));
  g_assert_true (query_matches (s->search_key, "grosshandel"));
  g_assert_true (query_matches (s->search_key, "disposition"));
  g_assert_true (query_matches (s->search_key, ""));
  g_assert_false (query_matches (s->search_key, "meier"));
  g_assert_false (query_matches (s->search_key, "müller berlin"));
  /* A word never spans two fields (last name + position). */
  g_assert_false (query_matches (s->search_key, "mullerleiter"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/Zeugnis/Client/CacheSummary/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)
  ADD ("fields-from-pull", test_fields_from_pull);
  ADD ("local-edit-and-outbox-marks", test_local_edit_and_outbox_marks);
  ADD ("purge-removes-summary", test_purge_removes_summary);
  ADD ("unreadable-record-stored", test_unreadable_record_stored);
  ADD ("migration-from-1", test_migration_from_1);
  ADD ("fold-and-match", test_fold_and_match);
#undef ADD

  return g_test_run ();
}
