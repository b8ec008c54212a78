/* records-retention.h — automatic deletion of certificates (R-DEL-2) and employees (R-DEL-4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-server.h"

G_BEGIN_DECLS

#define ZG_SETTING_RETENTION_INTERIM_MONTHS  "certificate_retention_months_interim"
#define ZG_SETTING_RETENTION_FINAL_MONTHS    "certificate_retention_months_final"
#define ZG_SETTING_RETENTION_EMPLOYEE_MONTHS "employee_retention_months_after_exit"

#define ZG_AUDIT_RECORDS_EXPIRED "records_expired"

typedef struct
{
  gint64 interim;        /* Zwischenzeugnisse deleted */
  gint64 final;          /* End-, Ausbildungs-, Praktikumszeugnisse deleted */
  gint64 employees;      /* employee records deleted */
  gint64 history_rows;   /* history rows deleted with the certificates (R-HIST-2) */
} ZgRetentionCounts;

void      zg_records_retention_init     (ZgServer           *server);
/* Runs the job now (zg_server_run_maintenance does, at start and hourly): each deletion is
 * its own transaction, so an interrupted run loses nothing and the next run continues.
 * One security-log entry with the counts. */
gboolean  zg_records_run_retention      (ZgServer           *server,
                                         ZgRetentionCounts  *out_counts,
                                         GError            **error);

G_END_DECLS
