/* demo-data.h — the demo companies, employees and certificates of scripts/demo.sh
 *
 * The records are data files (the JSON files in data/demo, compiled into the server as a GResource)
 * and are written through the records store's one mutation path, with the same checks as a
 * push: master data and employees as the demo administrator, certificates as the account the
 * file names (mostly the demo HR user, whose access criteria are set to the demo companies).
 * Everything happens in one transaction; when any demo record exists nothing is written.
 * The server's clock is set back while the records are written, so that creation and
 * status-change times (R-DATA-4) lie in the past weeks; it is restored afterwards.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-server.h"

G_BEGIN_DECLS

#define ZG_DEMO_ADMIN_EMAIL "admin@zeugnis.example"
#define ZG_DEMO_HR_EMAIL    "personal@zeugnis.example"

/* Security-log action of the demo data run. */
#define ZG_AUDIT_DEMO_DATA_CREATED "demo_data_created"

typedef struct
{
  gboolean created;          /* FALSE: demo data existed already, nothing was written */
  guint    companies;
  guint    employee_types;
  guint    job_profiles;
  guint    qualifications;
  guint    employees;
  guint    certificates;
  guint    status_changes;   /* workflow steps applied after creation */
} ZgDemoDataSummary;

/* Writes the demo data unless any demo record exists. Both accounts must exist (scripts/
 * demo.sh creates them); the administrator must have the Administrator area. */
gboolean zg_demo_data_install (ZgServer          *server,
                               const char        *admin_email,
                               const char        *hr_email,
                               ZgDemoDataSummary *out_summary,
                               GError           **error);

G_END_DECLS
