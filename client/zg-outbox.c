/* zg-outbox.c — local edits, the outbox of mutations for the server, and conflicts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-cache-private.h"
#include "zg-outbox.h"
#include "zg-sync-path.h"

#define ENTRY_COLUMNS \
  "mutation_id, entity, id, base_rev, changes, created, attempts, state, reason"

static const char * const state_names[] = { "pending", "sent", "conflict", "rejected" };

const char *
zg_outbox_state_to_string (ZgOutboxState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

static ZgOutboxState
state_from_string (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (name, state_names[i]) == 0)
      return (ZgOutboxState) i;
  /* The CHECK constraint rules this out; if it ever happens, never send the entry. */
  return ZG_OUTBOX_STATE_REJECTED;
}

void
zg_outbox_entry_free (ZgOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->entity);
  g_free (entry->id);
  g_free (entry->changes);
  g_free (entry->reason);
  g_free (entry);
}

void
zg_cache_conflict_free (ZgCacheConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->entity);
  g_free (conflict->id);
  g_free (conflict->field);
  g_free (conflict->local_value);
  g_free (conflict->server_value);
  g_free (conflict);
}

static ZgOutboxEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  ZgOutboxEntry *entry = g_new0 (ZgOutboxEntry, 1);

  entry->mutation_id = sqlite3_column_int64 (stmt, 0);
  entry->entity = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  entry->id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  entry->base_rev = sqlite3_column_int64 (stmt, 3);
  entry->changes = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  entry->created = sqlite3_column_int64 (stmt, 5);
  entry->attempts = sqlite3_column_int (stmt, 6);
  entry->state = state_from_string ((const char *) sqlite3_column_text (stmt, 7));
  entry->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  return entry;
}

static void
merge_into (JsonObject *target,
            JsonObject *changes)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, changes);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (target, name, json_node_copy (value));
}

gboolean
_zg_cache_apply_pending (ZgCache     *self,
                         const char  *entity,
                         const char  *id,
                         JsonObject  *record,
                         gboolean    *changed,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  *changed = FALSE;
  stmt = _zg_cache_prepare (self, "SELECT changes FROM outbox WHERE entity = ? AND id = ? "
                                  "AND state IN ('pending', 'sent') ORDER BY mutation_id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonObject) changes =
        _zg_cache_parse_object ((const char *) sqlite3_column_text (stmt, 0), error);

      if (changes == NULL)
        return FALSE;
      /* Field paths as the server applies them ("daten.zeugnisdaten.position"). */
      zg_sync_path_apply (record, changes);
      *changed = TRUE;
    }
  if (rc != SQLITE_DONE)
    return _zg_cache_sql_error (self, rc, "Could not read the outbox", error);
  return TRUE;
}

static gboolean
step_done (ZgCache       *self,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return _zg_cache_sql_error (self, rc, what, error);
  return TRUE;
}

static gboolean
write_record (ZgCache     *self,
              const char  *entity,
              const char  *id,
              gint64       rev,
              JsonObject  *object,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *json = _zg_cache_object_to_json (object);

  stmt = _zg_cache_prepare (self, "INSERT OR REPLACE INTO records (entity, id, rev, updated, json) "
                                  "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, rev);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  sqlite3_bind_text (stmt, 5, json, -1, SQLITE_STATIC);
  return step_done (self, stmt, "Could not store the record", error);
}

/* Reads a record as an object; a missing record yields an empty object and rev 0. */
static JsonObject *
read_record (ZgCache     *self,
             const char  *entity,
             const char  *id,
             gint64      *rev,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _zg_cache_prepare (self, "SELECT rev, json FROM records WHERE entity = ? AND id = ?",
                            error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      *rev = 0;
      return json_object_new ();
    }
  if (rc != SQLITE_ROW)
    {
      _zg_cache_sql_error (self, rc, "Could not read the record", error);
      return NULL;
    }
  *rev = sqlite3_column_int64 (stmt, 0);
  return _zg_cache_parse_object ((const char *) sqlite3_column_text (stmt, 1), error);
}

static gboolean
valid_changes (JsonObject  *changes,
               GError     **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (changes == NULL || json_object_get_size (changes) == 0)
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                           "A local edit needs at least one changed field");
      return FALSE;
    }
  json_object_iter_init (&iter, changes);
  while (json_object_iter_next (&iter, &name, &value))
    if (*name == '\0' || strlen (name) > 128)
      {
        g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                             "A field name must be 1 to 128 bytes long");
        return FALSE;
      }
  return TRUE;
}

/* Runs inside the caller's transaction. */
static gint64
local_edit_locked (ZgCache     *self,
                   const char  *entity,
                   const char  *id,
                   JsonObject  *changes,
                   GError     **error)
{
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *changes_json = NULL;
  gint64 base_rev = 0;
  int rc;

  record = read_record (self, entity, id, &base_rev, error);
  if (record == NULL)
    return 0;
  zg_sync_path_apply (record, changes);
  if (!write_record (self, entity, id, base_rev, record, error))
    return 0;

  /* Edits of a record that has not been sent yet become one mutation: the server then sees
   * one change per field instead of a conflict of the client with itself. */
  stmt = _zg_cache_prepare (self, "SELECT mutation_id, changes FROM outbox "
                                  "WHERE entity = ? AND id = ? AND state = 'pending' "
                                  "ORDER BY mutation_id DESC LIMIT 1", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  /* A queued reopen stays a mutation of its own: a completed certificate accepts the reopen
   * only alone, and the edits after it must reach the server after it. */
  if (rc == SQLITE_ROW
      && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), ZG_OUTBOX_REOPEN_CHANGES) == 0)
    rc = SQLITE_DONE;
  if (rc == SQLITE_ROW)
    {
      gint64 mutation_id = sqlite3_column_int64 (stmt, 0);
      g_autoptr(JsonObject) pending =
        _zg_cache_parse_object ((const char *) sqlite3_column_text (stmt, 1), error);

      if (pending == NULL)
        return 0;
      merge_into (pending, changes);
      changes_json = _zg_cache_object_to_json (pending);
      g_clear_pointer (&stmt, sqlite3_finalize);
      stmt = _zg_cache_prepare (self, "UPDATE outbox SET changes = ? WHERE mutation_id = ?",
                                error);
      if (stmt == NULL)
        return 0;
      sqlite3_bind_text (stmt, 1, changes_json, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, mutation_id);
      return step_done (self, stmt, "Could not update the outbox", error) ? mutation_id : 0;
    }
  if (rc != SQLITE_DONE)
    {
      _zg_cache_sql_error (self, rc, "Could not read the outbox", error);
      return 0;
    }

  changes_json = _zg_cache_object_to_json (changes);
  g_clear_pointer (&stmt, sqlite3_finalize);
  stmt = _zg_cache_prepare (self, "INSERT INTO outbox (entity, id, base_rev, changes, created) "
                                  "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, base_rev);
  sqlite3_bind_text (stmt, 4, changes_json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  if (!step_done (self, stmt, "Could not append to the outbox", error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

/**
 * zg_cache_local_edit:
 * Applies @changes to the cached record (creating it when new) and queues the mutation,
 * both in one transaction. Returns the mutation id (> 0), or 0 with @error set.
 */
gint64
zg_cache_local_edit (ZgCache     *self,
                     const char  *entity,
                     const char  *id,
                     JsonObject  *changes,
                     GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 mutation_id;

  g_return_val_if_fail (ZG_IS_CACHE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error)
      || !_zg_cache_valid_key (entity, id, error)
      || !valid_changes (changes, error)
      || !_zg_cache_begin (self, error))
    return 0;
  mutation_id = local_edit_locked (self, entity, id, changes, error);
  if (mutation_id == 0 || !_zg_cache_commit (self, error))
    {
      _zg_cache_rollback (self);
      return 0;
    }
  return mutation_id;
}

GPtrArray *
zg_cache_outbox_take_batch (ZgCache  *self,
                            guint     max_entries,
                            GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), NULL);
  g_return_val_if_fail (max_entries > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error) || !_zg_cache_begin (self, error))
    return NULL;

  /* Sent-but-unanswered entries go again: the server acknowledges replays without
   * applying them twice. */
  stmt = _zg_cache_prepare (self, "SELECT " ENTRY_COLUMNS " FROM outbox "
                                  "WHERE state IN ('pending', 'sent') "
                                  "ORDER BY mutation_id LIMIT ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, max_entries);
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) zg_outbox_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _zg_cache_sql_error (self, rc, "Could not read the outbox", error);
      goto fail;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _zg_cache_prepare (self, "UPDATE outbox SET state = 'sent', attempts = attempts + 1 "
                                  "WHERE mutation_id = ?", error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < entries->len; i++)
    {
      ZgOutboxEntry *entry = g_ptr_array_index (entries, i);

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, entry->mutation_id);
      if (!step_done (self, stmt, "Could not update the outbox", error))
        goto fail;
      entry->state = ZG_OUTBOX_STATE_SENT;
      entry->attempts++;
    }
  if (!_zg_cache_commit (self, error))
    return NULL;
  return g_steal_pointer (&entries);

fail:
  _zg_cache_rollback (self);
  return NULL;
}

GPtrArray *
zg_cache_outbox_list (ZgCache  *self,
                      GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error))
    return NULL;
  stmt = _zg_cache_prepare (self, "SELECT " ENTRY_COLUMNS " FROM outbox ORDER BY mutation_id",
                            error);
  if (stmt == NULL)
    return NULL;
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) zg_outbox_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _zg_cache_sql_error (self, rc, "Could not read the outbox", error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

gint64
zg_cache_outbox_count (ZgCache        *self,
                       ZgOutboxState   state,
                       GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), -1);
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error))
    return -1;
  stmt = _zg_cache_prepare (self, "SELECT count(*) FROM outbox WHERE state = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, state_names[state], -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _zg_cache_sql_error (self, rc, "Could not count the outbox", error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* Looks up a mutation that was sent and is waiting for the server's answer. */
static gboolean
find_sent (ZgCache     *self,
           gint64       mutation_id,
           char       **entity,
           char       **id,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _zg_cache_prepare (self, "SELECT entity, id FROM outbox "
                                  "WHERE mutation_id = ? AND state = 'sent'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, mutation_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND,
                   "No sent mutation %" G_GINT64_FORMAT " waits for an answer", mutation_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return _zg_cache_sql_error (self, rc, "Could not read the outbox", error);
  *entity = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  return TRUE;
}

static gboolean
raise_rev (ZgCache     *self,
           const char  *entity,
           const char  *id,
           gint64       new_rev,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _zg_cache_prepare (self, "UPDATE records SET rev = ?1 "
                                  "WHERE entity = ?2 AND id = ?3 AND rev < ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, new_rev);
  sqlite3_bind_text (stmt, 2, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  return step_done (self, stmt, "Could not update the record", error);
}

gboolean
zg_cache_outbox_ack (ZgCache  *self,
                     gint64    mutation_id,
                     gint64    new_rev,
                     GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *entity = NULL;
  g_autofree char *id = NULL;

  g_return_val_if_fail (ZG_IS_CACHE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error) || !_zg_cache_begin (self, error))
    return FALSE;
  if (!find_sent (self, mutation_id, &entity, &id, error))
    goto fail;
  stmt = _zg_cache_prepare (self, "DELETE FROM outbox WHERE mutation_id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, mutation_id);
  if (!step_done (self, stmt, "Could not update the outbox", error)
      || !raise_rev (self, entity, id, new_rev, error))
    goto fail;
  return _zg_cache_commit (self, error);

fail:
  _zg_cache_rollback (self);
  return FALSE;
}

gboolean
zg_cache_outbox_reject (ZgCache     *self,
                        gint64       mutation_id,
                        const char  *reason,
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
  if (reason == NULL || *reason == '\0' || strlen (reason) > 256
      || !g_utf8_validate (reason, -1, NULL))
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                           "A rejection needs a reason code");
      return FALSE;
    }
  stmt = _zg_cache_prepare (self, "UPDATE outbox SET state = 'rejected', reason = ? "
                                  "WHERE mutation_id = ? AND state = 'sent'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, mutation_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return _zg_cache_sql_error (self, rc, "Could not update the outbox", error);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND,
                   "No sent mutation %" G_GINT64_FORMAT " waits for an answer", mutation_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_json_value (const char *json)
{
  g_autoptr(JsonNode) node = NULL;

  if (json == NULL)
    return FALSE;
  node = json_from_string (json, NULL);
  return node != NULL;
}

static gboolean
valid_conflict_fields (const ZgConflictField  *fields,
                       gsize                   n_fields,
                       GError                **error)
{
  if (fields == NULL || n_fields == 0)
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                           "A conflict needs at least one field");
      return FALSE;
    }
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].field == NULL || *fields[i].field == '\0' || strlen (fields[i].field) > 128
        || !is_json_value (fields[i].local_value) || !is_json_value (fields[i].server_value))
      {
        g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                             "A conflict field needs a name and two JSON values");
        return FALSE;
      }
  return TRUE;
}

/* The server kept its value for @fields (server wins); the user's values are kept as
 * conflicts to resolve, and the cached record shows the server's values meanwhile. */
gboolean
zg_cache_outbox_conflict (ZgCache                *self,
                          gint64                  mutation_id,
                          gint64                  new_rev,
                          const ZgConflictField  *fields,
                          gsize                   n_fields,
                          GError                **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *entity = NULL;
  g_autofree char *id = NULL;
  gint64 rev = 0;
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (ZG_IS_CACHE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error)
      || !valid_conflict_fields (fields, n_fields, error)
      || !_zg_cache_begin (self, error))
    return FALSE;
  if (!find_sent (self, mutation_id, &entity, &id, error))
    goto fail;

  stmt = _zg_cache_prepare (self, "UPDATE outbox SET state = 'conflict' WHERE mutation_id = ?",
                            error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, mutation_id);
  if (!step_done (self, stmt, "Could not update the outbox", error))
    goto fail;
  g_clear_pointer (&stmt, sqlite3_finalize);

  record = read_record (self, entity, id, &rev, error);
  if (record == NULL)
    goto fail;
  stmt = _zg_cache_prepare (self, "INSERT INTO conflicts (mutation_id, entity, id, field, "
                                  "local_value, server_value, created) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  for (gsize i = 0; i < n_fields; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, mutation_id);
      sqlite3_bind_text (stmt, 2, entity, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, fields[i].field, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, fields[i].local_value, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, fields[i].server_value, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, now);
      if (!step_done (self, stmt, "Could not record the conflict", error))
        goto fail;
      {
        g_autoptr(JsonNode) server_value = json_from_string (fields[i].server_value, NULL);

        if (server_value != NULL)
          zg_sync_path_set (record, fields[i].field, server_value);
      }
    }
  if (!write_record (self, entity, id, MAX (rev, new_rev), record, error))
    goto fail;
  return _zg_cache_commit (self, error);

fail:
  _zg_cache_rollback (self);
  return FALSE;
}

gboolean
zg_cache_outbox_dismiss (ZgCache  *self,
                         gint64    mutation_id,
                         GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error))
    return FALSE;
  stmt = _zg_cache_prepare (self, "DELETE FROM outbox WHERE mutation_id = ? "
                                  "AND state = 'rejected'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, mutation_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    return _zg_cache_sql_error (self, rc, "Could not update the outbox", error);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND,
                   "No rejected mutation %" G_GINT64_FORMAT, mutation_id);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
zg_cache_list_conflicts (ZgCache  *self,
                         GError  **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error))
    return NULL;
  stmt = _zg_cache_prepare (self, "SELECT conflict_id, mutation_id, entity, id, field, "
                                  "local_value, server_value FROM conflicts "
                                  "ORDER BY conflict_id", error);
  if (stmt == NULL)
    return NULL;
  conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) zg_cache_conflict_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ZgCacheConflict *conflict = g_new0 (ZgCacheConflict, 1);

      conflict->conflict_id = sqlite3_column_int64 (stmt, 0);
      conflict->mutation_id = sqlite3_column_int64 (stmt, 1);
      conflict->entity = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      conflict->id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      conflict->field = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      conflict->local_value = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      conflict->server_value = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      g_ptr_array_add (conflicts, conflict);
    }
  if (rc != SQLITE_DONE)
    {
      _zg_cache_sql_error (self, rc, "Could not read the conflicts", error);
      return NULL;
    }
  return g_steal_pointer (&conflicts);
}

/* Keeping the local value queues it again as a new edit on top of the server's revision. */
gboolean
zg_cache_resolve_conflict (ZgCache   *self,
                           gint64     conflict_id,
                           gboolean   keep_local,
                           GError   **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *entity = NULL;
  g_autofree char *id = NULL;
  g_autofree char *field = NULL;
  g_autofree char *local_value = NULL;
  gint64 mutation_id;
  int rc;

  g_return_val_if_fail (ZG_IS_CACHE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error) || !_zg_cache_begin (self, error))
    return FALSE;
  stmt = _zg_cache_prepare (self, "SELECT mutation_id, entity, id, field, local_value "
                                  "FROM conflicts WHERE conflict_id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, conflict_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND,
                     "No conflict %" G_GINT64_FORMAT, conflict_id);
      else
        _zg_cache_sql_error (self, rc, "Could not read the conflict", error);
      goto fail;
    }
  mutation_id = sqlite3_column_int64 (stmt, 0);
  entity = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  field = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  local_value = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (keep_local)
    {
      g_autoptr(JsonObject) changes = json_object_new ();
      JsonNode *value = json_from_string (local_value, NULL);

      if (value == NULL)
        {
          g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_CORRUPT,
                       "Conflict %" G_GINT64_FORMAT " holds no valid JSON", conflict_id);
          goto fail;
        }
      json_object_set_member (changes, field, value);
      if (local_edit_locked (self, entity, id, changes, error) == 0)
        goto fail;
    }

  stmt = _zg_cache_prepare (self, "DELETE FROM conflicts WHERE conflict_id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, conflict_id);
  if (!step_done (self, stmt, "Could not remove the conflict", error))
    goto fail;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* The mutation is done once the user has decided every one of its conflicts. */
  stmt = _zg_cache_prepare (self, "DELETE FROM outbox WHERE mutation_id = ?1 "
                                  "AND state = 'conflict' AND NOT EXISTS "
                                  "(SELECT 1 FROM conflicts WHERE mutation_id = ?1)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, mutation_id);
  if (!step_done (self, stmt, "Could not update the outbox", error))
    goto fail;
  return _zg_cache_commit (self, error);

fail:
  _zg_cache_rollback (self);
  return FALSE;
}

/**
 * zg_cache_local_create:
 * Stores @record as a new record (rev 0) and queues its create mutation, in one transaction.
 * The record keeps its "id"; the mutation's fields leave out "id" and "rev", which the server
 * sets itself. Fails with ZG_CACHE_ERROR_INVALID when the record exists already. Returns the
 * mutation id (> 0), or 0 with @error set.
 */
gint64
zg_cache_local_create (ZgCache     *self,
                       const char  *entity,
                       const char  *id,
                       JsonObject  *record,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonObject) existing = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *fields_json = NULL;
  gint64 rev = 0;

  g_return_val_if_fail (ZG_IS_CACHE (self), 0);
  g_return_val_if_fail (record != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  ZG_CACHE_LOCK (self, locker);

  fields = json_object_new ();
  merge_into (fields, record);
  json_object_remove_member (fields, "id");
  json_object_remove_member (fields, "rev");
  if (!_zg_cache_check_open (self, error)
      || !_zg_cache_valid_key (entity, id, error)
      || !valid_changes (fields, error)
      || !_zg_cache_begin (self, error))
    return 0;
  existing = read_record (self, entity, id, &rev, error);
  if (existing == NULL)
    goto fail;
  if (rev != 0 || json_object_get_size (existing) > 0)
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                   "The %s record %s exists already", entity, id);
      goto fail;
    }
  if (!write_record (self, entity, id, 0, record, error))
    goto fail;
  fields_json = _zg_cache_object_to_json (fields);
  stmt = _zg_cache_prepare (self, "INSERT INTO outbox (entity, id, base_rev, changes, created) "
                                  "VALUES (?, ?, 0, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, fields_json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  if (!step_done (self, stmt, "Could not append to the outbox", error)
      || !_zg_cache_commit (self, error))
    goto fail;
  return sqlite3_last_insert_rowid (self->db);

fail:
  _zg_cache_rollback (self);
  return 0;
}

/* Runs inside the caller's transaction. A record the server never had (rev 0, nothing sent)
 * just disappears with its queued edits; otherwise its queued edits are dropped and one
 * delete mutation (changes ZG_OUTBOX_DELETE_CHANGES) is queued. */
static gint64
local_delete_locked (ZgCache     *self,
                     const char  *entity,
                     const char  *id,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 rev = 0;
  gint64 sent = 0;
  int rc;

  stmt = _zg_cache_prepare (self, "SELECT rev FROM records WHERE entity = ? AND id = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND, "No record %s/%s", entity, id);
      return -1;
    }
  if (rc != SQLITE_ROW)
    {
      _zg_cache_sql_error (self, rc, "Could not read the record", error);
      return -1;
    }
  rev = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _zg_cache_prepare (self, "SELECT count(*) FROM outbox WHERE entity = ? AND id = ? "
                                  "AND state = 'sent'", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      _zg_cache_sql_error (self, rc, "Could not read the outbox", error);
      return -1;
    }
  sent = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _zg_cache_prepare (self, "DELETE FROM outbox WHERE entity = ? AND id = ? "
                                  "AND state = 'pending'", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, "Could not update the outbox", error))
    return -1;
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _zg_cache_prepare (self, "DELETE FROM records WHERE entity = ? AND id = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, "Could not delete the record", error))
    return -1;
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (rev == 0 && sent == 0)
    return 0;
  stmt = _zg_cache_prepare (self, "INSERT INTO outbox (entity, id, base_rev, changes, created) "
                                  "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, rev);
  sqlite3_bind_text (stmt, 4, ZG_OUTBOX_DELETE_CHANGES, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  if (!step_done (self, stmt, "Could not append to the outbox", error))
    return -1;
  return sqlite3_last_insert_rowid (self->db);
}

/**
 * zg_cache_local_delete:
 * Removes the record from the cache and queues its deletion for the server, in one
 * transaction. Returns the mutation id (> 0), 0 when the record was only local (nothing to
 * send), or -1 with @error set (nothing changed).
 */
gint64
zg_cache_local_delete (ZgCache     *self,
                       const char  *entity,
                       const char  *id,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 mutation_id;

  g_return_val_if_fail (ZG_IS_CACHE (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error)
      || !_zg_cache_valid_key (entity, id, error)
      || !_zg_cache_begin (self, error))
    return -1;
  mutation_id = local_delete_locked (self, entity, id, error);
  if (mutation_id < 0 || !_zg_cache_commit (self, error))
    {
      _zg_cache_rollback (self);
      return -1;
    }
  return mutation_id;
}

gboolean
zg_outbox_entry_is_delete (const ZgOutboxEntry *entry)
{
  g_return_val_if_fail (entry != NULL, FALSE);
  return g_strcmp0 (entry->changes, ZG_OUTBOX_DELETE_CHANGES) == 0;
}

/**
 * zg_cache_local_reopen:
 * Sets the cached certificate back to draft and queues the reopen (its own mutation, sent
 * with "reopen": true), in one transaction. Returns the mutation id (> 0), or 0 with @error
 * set (nothing changed). Whether the reopen is allowed is the server's decision
 * (zg-workflow); a refusal comes back as a rejected mutation.
 */
gint64
zg_cache_local_reopen (ZgCache     *self,
                       const char  *certificate_id,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 base_rev = 0;

  g_return_val_if_fail (ZG_IS_CACHE (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  ZG_CACHE_LOCK (self, locker);

  if (!_zg_cache_check_open (self, error)
      || !_zg_cache_valid_key ("certificate", certificate_id, error)
      || !_zg_cache_begin (self, error))
    return 0;
  record = read_record (self, "certificate", certificate_id, &base_rev, error);
  if (record == NULL)
    goto fail;
  if (base_rev == 0)
    {
      /* Never on the server: nothing to reopen there. */
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID,
                   "The certificate %s is not on the server yet", certificate_id);
      goto fail;
    }
  json_object_set_string_member (changes, "status", "draft");
  zg_sync_path_apply (record, changes);
  if (!write_record (self, "certificate", certificate_id, base_rev, record, error))
    goto fail;
  stmt = _zg_cache_prepare (self, "INSERT INTO outbox (entity, id, base_rev, changes, created) "
                                  "VALUES ('certificate', ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, certificate_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, base_rev);
  sqlite3_bind_text (stmt, 3, ZG_OUTBOX_REOPEN_CHANGES, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  if (!step_done (self, stmt, "Could not append to the outbox", error))
    goto fail;
  if (!_zg_cache_commit (self, error))
    goto fail;
  return sqlite3_last_insert_rowid (self->db);

fail:
  _zg_cache_rollback (self);
  return 0;
}

gboolean
zg_outbox_entry_is_reopen (const ZgOutboxEntry *entry)
{
  g_return_val_if_fail (entry != NULL, FALSE);
  return g_strcmp0 (entry->changes, ZG_OUTBOX_REOPEN_CHANGES) == 0;
}
