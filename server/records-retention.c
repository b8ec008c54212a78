/* records-retention.c — automatic deletion of certificates (R-DEL-2) and employees (R-DEL-4)
 *
 * Each record is deleted in its own transaction, so the job can be interrupted at any point
 * and simply runs again (idempotent: it selects what is due now). Employees still referenced
 * by a certificate are skipped (R-DEL-4 "under the same condition" as R-DEL-3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "records-store.h"

#include "records-retention.h"

#include "audit.h"
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

static gboolean
delete_due (ZgServer    *server,
            ZgEntity     entity,
            const char  *sql,
            gint64       months,
            gint64      *out_deleted,
            gint64      *out_history,
            GError     **error)
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
          if (!zg_records_delete_unchecked (server, entity, ids->pdata[i], &n_history, error) ||
              !zg_storage_commit (storage, error))
            {
              zg_storage_rollback (storage);
              return FALSE;
            }
          (*out_deleted)++;
          *out_history += n_history;
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
                   &counts.interim, &counts.history_rows, error) &&
       delete_due (server, ZG_ENTITY_CERTIFICATE,
                   "SELECT id FROM records WHERE entity = 'certificate'"
                   " AND kind IS NOT 'zwischenzeugnis'"
                   " AND COALESCE (issue_date, date (created_at, 'unixepoch'))"
                   " < date (?, 'unixepoch', ?) ORDER BY seq LIMIT ?;",
                   zg_settings_get_int (settings, ZG_SETTING_RETENTION_FINAL_MONTHS),
                   &counts.final, &counts.history_rows, error) &&
       delete_due (server, ZG_ENTITY_EMPLOYEE,
                   "SELECT r.id FROM records AS r WHERE r.entity = 'employee'"
                   " AND r.exit_date IS NOT NULL AND r.exit_date < date (?, 'unixepoch', ?)"
                   " AND NOT EXISTS (SELECT 1 FROM employee_refs AS e"
                   " WHERE e.employee_id = r.id) ORDER BY r.seq LIMIT ?;",
                   zg_settings_get_int (settings, ZG_SETTING_RETENTION_EMPLOYEE_MONTHS),
                   &counts.employees, &counts.history_rows, error);

  if (counts.interim + counts.final + counts.employees > 0)
    {
      g_autofree char *detail = g_strdup_printf (
        "automatic deletion: interim certificates %" G_GINT64_FORMAT ", final certificates %"
        G_GINT64_FORMAT ", employees %" G_GINT64_FORMAT ", history rows %" G_GINT64_FORMAT,
        counts.interim, counts.final, counts.employees, counts.history_rows);

      /* Logged even after an interruption: what was deleted stays deleted. */
      zg_audit_log (server, 0, NULL, NULL, ZG_AUDIT_RECORDS_EXPIRED, detail);
    }
  if (out_counts != NULL)
    *out_counts = counts;
  return ok;
}
