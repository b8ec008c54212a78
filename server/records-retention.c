/* records-retention.c — automatic deletion of certificates (R-DEL-2) and employees (R-DEL-4)
 *
 * Each record is deleted in its own transaction, so the job can be interrupted at any point
 * and simply runs again (idempotent: it selects what is due now). The run's security-log
 * entry is updated in the same transactions, so it always counts what was deleted. Employees still referenced
 * by a certificate are skipped (R-DEL-4 "under the same condition" as R-DEL-3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "records-store.h"

#include "records-retention.h"

#include "settings.h"
#include "storage.h"

#define RETENTION_BATCH            200

static const ZgSettingDef retention_settings[] = {
  { ZG_SETTING_RETENTION_INTERIM_MONTHS, ZG_SETTING_INT, "0", 0, 1200, ZG_SETTING_FREE,
    "Delete Zwischenzeugnisse this many months after their issue date (0 = never, R-DEL-2)" },
  { ZG_SETTING_RETENTION_FINAL_MONTHS, ZG_SETTING_INT, "0", 0, 1200, ZG_SETTING_FREE,
    "Delete final certificates (End-, Ausbildungs-, Praktikumszeugnis) this many months after "
    "their issue date (0 = never, R-DEL-2)" },
  { ZG_SETTING_RETENTION_EMPLOYEE_MONTHS, ZG_SETTING_INT, "0", 0, 1200, ZG_SETTING_FREE,
    "Delete employee records this many months after exit unless a certificate references "
    "them (0 = never, R-DEL-4)" },
};

void
zg_records_retention_init (ZgServer *server)
{
  g_return_if_fail (ZG_IS_SERVER (server));
  zg_settings_register (zg_server_get_settings (server), retention_settings,
                        G_N_ELEMENTS (retention_settings));
}

/* Ids of records due: at most RETENTION_BATCH per call. */
static GPtrArray *
select_due (ZgServer    *server,
            const char  *sql,
            gint64       months,
            GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(ZgStmt) stmt = NULL;
  g_autofree char *modifier = g_strdup_printf ("-%" G_GINT64_FORMAT " months", months);
  int rc;

  stmt = zg_storage_prepare (zg_server_get_storage (server), sql, error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, zg_server_now (server)) ||
      !zg_stmt_bind_text (stmt, 2, modifier) || !zg_stmt_bind_int64 (stmt, 3, RETENTION_BATCH))
    return NULL;
  while ((rc = zg_stmt_step (stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup (zg_stmt_column_text (stmt, 0)));
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&ids);
}

static char *
counts_detail (const ZgRetentionCounts *c)
{
  return g_strdup_printf ("automatic deletion: interim certificates %" G_GINT64_FORMAT
                          ", final certificates %" G_GINT64_FORMAT ", employees %"
                          G_GINT64_FORMAT ", history rows %" G_GINT64_FORMAT,
                          c->interim, c->final, c->employees, c->history_rows);
}

/* The run's one security-log entry, written with the first deletion and brought up to date
 * in the transaction of every further one: whenever the run stops, even by kill -9, the
 * entry counts exactly what was deleted. */
static gboolean
log_progress (ZgServer                *server,
              const ZgRetentionCounts *counts,
              gint64                  *entry_id,
              GError                 **error)
{
  ZgStorage *storage = zg_server_get_storage (server);
  g_autofree char *detail = counts_detail (counts);
  g_autoptr(ZgStmt) stmt = NULL;

  if (*entry_id == 0)
    {
      stmt = zg_storage_prepare (storage, "INSERT INTO audit_log (at, action, detail)"
                                 " VALUES (?, ?, ?);", error);
      if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, zg_server_now (server)) ||
          !zg_stmt_bind_text (stmt, 2, ZG_AUDIT_RECORDS_EXPIRED) ||
          !zg_stmt_bind_text (stmt, 3, detail) || !zg_stmt_run (stmt, error))
        return FALSE;
      *entry_id = zg_storage_last_insert_id (storage);
      return TRUE;
    }
  stmt = zg_storage_prepare (storage, "UPDATE audit_log SET detail = ? WHERE id = ?;", error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, detail) ||
      !zg_stmt_bind_int64 (stmt, 2, *entry_id))
    return FALSE;
  return zg_stmt_run (stmt, error);
}

static gboolean
delete_due (ZgServer          *server,
            ZgEntity           entity,
            const char        *sql,
            gint64             months,
            ZgRetentionCounts *counts,
            gint64            *out_deleted,
            gint64            *entry_id,
            GError           **error)
{
  ZgStorage *storage = zg_server_get_storage (server);

  if (months <= 0)
    return TRUE;
  for (;;)
    {
      g_autoptr(GPtrArray) ids = select_due (server, sql, months, error);

      if (ids == NULL)
        return FALSE;
      if (ids->len == 0)
        return TRUE;
      for (guint i = 0; i < ids->len; i++)
        {
          gint64 n_history = 0;

          if (!zg_storage_begin (storage, error))
            return FALSE;
          if (!zg_records_delete_unchecked (server, entity, ids->pdata[i], &n_history, error))
            {
              zg_storage_rollback (storage);
              return FALSE;
            }
          (*out_deleted)++;
          counts->history_rows += n_history;
          if (!log_progress (server, counts, entry_id, error) ||
              !zg_storage_commit (storage, error))
            {
              zg_storage_rollback (storage);
              (*out_deleted)--;
              counts->history_rows -= n_history;
              return FALSE;
            }
        }
    }
}

gboolean
zg_records_run_retention (ZgServer             *server,
                          ZgRetentionCounts    *out_counts,
                          GError              **error)
{
  ZgSettings *settings;
  ZgRetentionCounts counts = { 0 };
  gint64 entry_id = 0;
  gboolean ok;

  g_return_val_if_fail (ZG_IS_SERVER (server), FALSE);
  settings = zg_server_get_settings (server);

  /* The reference date is the issue date, or the creation date when none is set. */
  ok = delete_due (server, ZG_ENTITY_CERTIFICATE,
                   "SELECT id FROM records WHERE entity = 'certificate'"
                   " AND kind = 'zwischenzeugnis'"
                   " AND COALESCE (issue_date, date (created_at, 'unixepoch'))"
                   " < date (?, 'unixepoch', ?) ORDER BY seq LIMIT ?;",
                   zg_settings_get_int (settings, ZG_SETTING_RETENTION_INTERIM_MONTHS),
                   &counts, &counts.interim, &entry_id, error) &&
       delete_due (server, ZG_ENTITY_CERTIFICATE,
                   "SELECT id FROM records WHERE entity = 'certificate'"
                   " AND kind IS NOT 'zwischenzeugnis'"
                   " AND COALESCE (issue_date, date (created_at, 'unixepoch'))"
                   " < date (?, 'unixepoch', ?) ORDER BY seq LIMIT ?;",
                   zg_settings_get_int (settings, ZG_SETTING_RETENTION_FINAL_MONTHS),
                   &counts, &counts.final, &entry_id, error) &&
       delete_due (server, ZG_ENTITY_EMPLOYEE,
                   "SELECT r.id FROM records AS r WHERE r.entity = 'employee'"
                   " AND r.exit_date IS NOT NULL AND r.exit_date < date (?, 'unixepoch', ?)"
                   " AND NOT EXISTS (SELECT 1 FROM employee_refs AS e"
                   " WHERE e.employee_id = r.id) ORDER BY r.seq LIMIT ?;",
                   zg_settings_get_int (settings, ZG_SETTING_RETENTION_EMPLOYEE_MONTHS),
                   &counts, &counts.employees, &entry_id, error);

  /* The security-log entry is already written, in step with the deletions. */
  if (out_counts != NULL)
    *out_counts = counts;
  return ok;
}
