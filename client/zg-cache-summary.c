/* zg-cache-summary.c — typed summaries of the cached certificates (cache schema 2)
 *
 * Triggers on the records table (migration 2 in zg-cache.c) call the SQL function
 * zg_certificate_summary(json, field) for every certificate written, whoever writes it (pull,
 * local edit, conflict, resolution), so the summaries cannot drift from the records. The
 * function parses a record once and answers the trigger's field questions from a memo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-cache-private.h"
#include "zg-cache-summary.h"

/* The field numbers the triggers of migration 2 pass as the second argument. */
enum
{
  FIELD_FIRST_NAME,
  FIELD_LAST_NAME,
  FIELD_POSITION,
  FIELD_COMPANY,
  FIELD_KIND,
  FIELD_LANGUAGE,
  FIELD_STATUS,
  FIELD_PRIVATE,
  FIELD_ISSUE_DATE,
  FIELD_NAME_KEY,
  FIELD_POSITION_KEY,
  FIELD_COMPANY_KEY,
  FIELD_SEARCH_KEY,
  N_FIELDS
};

typedef struct
{
  char     *json;              /* the record the fields below belong to */
  char     *fields[N_FIELDS];  /* FIELD_PRIVATE: "1" or NULL */
} SummaryMemo;

static void
memo_clear (SummaryMemo *memo)
{
  g_clear_pointer (&memo->json, g_free);
  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_pointer (&memo->fields[i], g_free);
}

static void
memo_free (void *data)
{
  SummaryMemo *memo = data;

  memo_clear (memo);
  g_free (memo);
}

void
zg_certificate_summary_free (ZgCertificateSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->id);
  g_free (summary->first_name);
  g_free (summary->last_name);
  g_free (summary->position);
  g_free (summary->company);
  g_free (summary->kind);
  g_free (summary->language);
  g_free (summary->status);
  g_free (summary->issue_date);
  g_free (summary->name_key);
  g_free (summary->position_key);
  g_free (summary->company_key);
  g_free (summary->search_key);
  g_free (summary);
}

/* Folding */

static void
append_folded (GString    *out,
               const char *text)
{
  g_autofree char *nfd = NULL;
  g_autofree char *folded = NULL;
  g_autoptr(GString) stripped = NULL;

  if (text == NULL || (nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFD)) == NULL)
    return;
  stripped = g_string_sized_new (strlen (nfd));
  for (const char *p = nfd; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK
          || type == G_UNICODE_ENCLOSING_MARK)
        continue;
      g_string_append_unichar (stripped, g_unichar_isspace (c) && c != '\n' ? ' ' : c);
    }
  folded = g_utf8_casefold (stripped->str, (gssize) stripped->len);
  g_string_append (out, folded);
}

char *
zg_cache_summary_fold (const char *text)
{
  GString *out = g_string_new (NULL);

  append_folded (out, text);
  return g_string_free (out, FALSE);
}

/* "Müller" is also found as "mueller": the umlauts spelled out, then folded. Empty when the
 * text has no umlaut (the folded form already covers it). */
static char *
fold_spelled_out (const char *text)
{
  static const char * const umlauts[][2] = {
    { "ä", "ae" }, { "ö", "oe" }, { "ü", "ue" },
  };
  g_autofree char *nfc = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GString) spelled = NULL;
  gboolean any = FALSE;

  if (text == NULL || (nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC)) == NULL)
    return g_strdup ("");
  lower = g_utf8_casefold (nfc, -1);
  spelled = g_string_new (lower);
  for (gsize i = 0; i < G_N_ELEMENTS (umlauts); i++)
    if (g_string_replace (spelled, umlauts[i][0], umlauts[i][1], 0) > 0)
      any = TRUE;
  if (!any)
    return g_strdup ("");
  return zg_cache_summary_fold (spelled->str);
}

gboolean
zg_cache_summary_matches (const char         *search_key,
                          const char * const *folded_words)
{
  if (folded_words == NULL)
    return TRUE;
  if (search_key == NULL)
    return folded_words[0] == NULL;
  for (gsize i = 0; folded_words[i] != NULL; i++)
    if (*folded_words[i] != '\0' && strstr (search_key, folded_words[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* Extraction */

/* A member by dotted path; a member whose name is the remaining path (as a flat local edit
 * writes it) counts too. */
static JsonNode *
lookup_path (JsonObject *object,
             const char *path)
{
  JsonNode *node = json_object_get_member (object, path);

  if (node != NULL)
    return node;
  for (const char *dot = strchr (path, '.'); dot != NULL; dot = strchr (dot + 1, '.'))
    {
      g_autofree char *head = g_strndup (path, (gsize) (dot - path));
      JsonNode *child = json_object_get_member (object, head);

      if (child != NULL && JSON_NODE_HOLDS_OBJECT (child)
          && (node = lookup_path (json_node_get_object (child), dot + 1)) != NULL)
        return node;
    }
  return NULL;
}

static char *
dup_string (JsonObject *object,
            const char *path,
            const char *fallback)
{
  JsonNode *node = lookup_path (object, path);
  const char *value = NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    value = json_node_get_string (node);
  if (value == NULL || *value == '\0')
    value = fallback;
  return g_strdup (value);
}

static void
memo_fill (SummaryMemo *memo,
           const char  *json)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  g_autofree char *sort_name = NULL;
  g_autofree char *fields = NULL;
  g_autofree char *spelled = NULL;
  JsonNode *node;
  char **f = memo->fields;

  memo_clear (memo);
  memo->json = g_strdup (json);
  object = _zg_cache_parse_object (json, NULL);
  if (object == NULL)
    object = json_object_new ();

  f[FIELD_FIRST_NAME] = dup_string (object, "daten.persoenliche_daten.first_name", NULL);
  f[FIELD_LAST_NAME] = dup_string (object, "daten.persoenliche_daten.last_name", NULL);
  f[FIELD_POSITION] = dup_string (object, "daten.zeugnisdaten.position", NULL);
  f[FIELD_COMPANY] = dup_string (object, "daten.unternehmen.name", NULL);
  /* The codec's defaults for absent members (docs/engine.md). */
  f[FIELD_KIND] = dup_string (object, "daten.zeugnisdaten.kind", "endzeugnis");
  f[FIELD_LANGUAGE] = dup_string (object, "daten.zeugnisdaten.language", "de");
  f[FIELD_STATUS] = dup_string (object, "status", "draft");
  f[FIELD_ISSUE_DATE] = dup_string (object, "daten.zeugnisdaten.issue_date", NULL);
  node = lookup_path (object, "private");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node))
    f[FIELD_PRIVATE] = g_strdup ("1");

  sort_name = g_strjoin (" ", f[FIELD_LAST_NAME] != NULL ? f[FIELD_LAST_NAME] : "",
                    f[FIELD_FIRST_NAME] != NULL ? f[FIELD_FIRST_NAME] : "", NULL);
  f[FIELD_NAME_KEY] = zg_cache_summary_fold (g_strstrip (sort_name));
  f[FIELD_POSITION_KEY] = zg_cache_summary_fold (f[FIELD_POSITION]);
  f[FIELD_COMPANY_KEY] = zg_cache_summary_fold (f[FIELD_COMPANY]);

  /* One line per field, so that a query word never spans two fields. */
  fields = g_strjoin ("\n", f[FIELD_FIRST_NAME] != NULL ? f[FIELD_FIRST_NAME] : "",
                    f[FIELD_LAST_NAME] != NULL ? f[FIELD_LAST_NAME] : "",
                    f[FIELD_POSITION] != NULL ? f[FIELD_POSITION] : "",
                    f[FIELD_COMPANY] != NULL ? f[FIELD_COMPANY] : "", NULL);
  append_folded (key, fields);
  spelled = fold_spelled_out (fields);
  if (*spelled != '\0')
    {
      g_string_append_c (key, '\n');
      g_string_append (key, spelled);
    }
  f[FIELD_SEARCH_KEY] = g_string_free (g_steal_pointer (&key), FALSE);
}

/* zg_certificate_summary(json, field): runs inside the cache's lock, as every statement does,
 * so the memo needs no lock of its own. Never fails: a record the summary cannot read is
 * still stored (with empty fields), it is the server's copy. */
static void
summary_sql_function (sqlite3_context  *context,
                      int               argc,
                      sqlite3_value   **argv)
{
  SummaryMemo *memo = sqlite3_user_data (context);
  const char *json = (const char *) sqlite3_value_text (argv[0]);
  int field = sqlite3_value_int (argv[1]);

  if (json == NULL || field < 0 || field >= N_FIELDS)
    {
      sqlite3_result_null (context);
      return;
    }
  if (g_strcmp0 (memo->json, json) != 0)
    memo_fill (memo, json);
  if (field == FIELD_PRIVATE)
    sqlite3_result_int (context, memo->fields[field] != NULL);
  else if (memo->fields[field] != NULL)
    sqlite3_result_text (context, memo->fields[field], -1, SQLITE_TRANSIENT);
  else
    sqlite3_result_null (context);
}

gboolean
_zg_cache_summary_register (ZgCache  *self,
                            GError  **error)
{
  int rc = sqlite3_create_function_v2 (self->db, "zg_certificate_summary", 2,
                                       SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                       g_new0 (SummaryMemo, 1), summary_sql_function,
                                       NULL, NULL, memo_free);

  if (rc != SQLITE_OK)
    return _zg_cache_sql_error (self, rc, "Could not prepare the certificate summaries", error);
  return TRUE;
}

/* Runs inside the caller's transaction. Records without process data (0 = unknown) keep
 * what an earlier pull stored. */
gboolean
_zg_cache_put_process (ZgCache              *self,
                       const ZgCacheRecord  *record,
                       GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (record == NULL
      || (record->created_by == 0 && record->created_at == 0
          && record->updated_by == 0 && record->updated_at == 0))
    return TRUE;
  stmt = _zg_cache_prepare (self, "INSERT OR REPLACE INTO record_process (entity, id, "
                                  "created_by, created_at, updated_by, updated_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record->entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, record->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, record->created_by);
  sqlite3_bind_int64 (stmt, 4, record->created_at);
  sqlite3_bind_int64 (stmt, 5, record->updated_by);
  sqlite3_bind_int64 (stmt, 6, record->updated_at);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return _zg_cache_sql_error (self, rc, "Could not store the record's process data", error);
  return TRUE;
}

/* Listing */

#define SUMMARY_SELECT \
  "SELECT s.id, s.rev, s.updated, s.first_name, s.last_name, s.position, s.company, s.kind," \
  " s.language, s.status, s.private, s.issue_date, p.created_by, p.created_at," \
  " p.updated_by, p.updated_at, s.name_key, s.position_key, s.company_key, s.search_key," \
  " EXISTS (SELECT 1 FROM outbox AS o WHERE o.entity = 'certificate' AND o.id = s.id" \
  "         AND o.state IN ('pending', 'sent'))," \
  " EXISTS (SELECT 1 FROM outbox AS o WHERE o.entity = 'certificate' AND o.id = s.id" \
  "         AND o.state IN ('conflict', 'rejected'))" \
  " FROM certificate_summaries AS s" \
  " LEFT JOIN record_process AS p ON p.entity = 'certificate' AND p.id = s.id"

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static ZgCertificateSummary *
summary_from_row (sqlite3_stmt *stmt)
{
  ZgCertificateSummary *summary = g_new0 (ZgCertificateSummary, 1);

  summary->id = column_dup (stmt, 0);
  summary->rev = sqlite3_column_int64 (stmt, 1);
  summary->updated = sqlite3_column_int64 (stmt, 2);
  summary->first_name = column_dup (stmt, 3);
  summary->last_name = column_dup (stmt, 4);
  summary->position = column_dup (stmt, 5);
  summary->company = column_dup (stmt, 6);
  summary->kind = column_dup (stmt, 7);
  summary->language = column_dup (stmt, 8);
  summary->status = column_dup (stmt, 9);
  summary->is_private = sqlite3_column_int (stmt, 10) != 0;
  summary->issue_date = column_dup (stmt, 11);
  summary->created_by = sqlite3_column_int64 (stmt, 12);
  summary->created_at = sqlite3_column_int64 (stmt, 13);
  summary->updated_by = sqlite3_column_int64 (stmt, 14);
  summary->updated_at = sqlite3_column_int64 (stmt, 15);
  summary->name_key = column_dup (stmt, 16);
  summary->position_key = column_dup (stmt, 17);
  summary->company_key = column_dup (stmt, 18);
  summary->search_key = column_dup (stmt, 19);
  summary->pending = sqlite3_column_int (stmt, 20) != 0;
  summary->problem = sqlite3_column_int (stmt, 21) != 0;
  return summary;
}

GPtrArray *
zg_cache_list_certificate_summaries (ZgCache  *self,
                                     GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error))
    return NULL;
  stmt = _zg_cache_prepare (self, SUMMARY_SELECT " ORDER BY s.name_key, s.id", error);
  if (stmt == NULL)
    return NULL;
  summaries = g_ptr_array_new_with_free_func ((GDestroyNotify) zg_certificate_summary_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (summaries, summary_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _zg_cache_sql_error (self, rc, "Could not list the certificates", error);
      return NULL;
    }
  return g_steal_pointer (&summaries);
}

ZgCertificateSummary *
zg_cache_get_certificate_summary (ZgCache     *self,
                                  const char  *id,
                                  GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error) || !_zg_cache_valid_key ("certificate", id, error))
    return NULL;
  stmt = _zg_cache_prepare (self, SUMMARY_SELECT " WHERE s.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return summary_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND,
                 "No certificate with id %s in the offline cache", id);
  else
    _zg_cache_sql_error (self, rc, "Could not read the certificate", error);
  return NULL;
}
