/* demo-data.c — the demo companies, employees and certificates of scripts/demo.sh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "audit.h"
#include "demo-data.h"
#include "demo-resources.h"
#include "records-store.h"
#include "storage.h"
#include "users.h"

#define DEMO_PATH "/org/zeugnis/server/demo/"
#define DEMO_CLIENT_ID "demo-data"
/* The master data and employees were entered this long ago (certificates: "days_ago"). */
#define MASTER_DATA_DAYS_AGO 90

typedef struct
{
  const char *file;
  ZgEntity    entity;
} DemoFile;

/* The files in creation order: what a record refers to is created before it. */
static const DemoFile demo_files[] = {
  { "companies.json", ZG_ENTITY_COMPANY },
  { "employee-types.json", ZG_ENTITY_EMPLOYEE_TYPE },
  { "job-profiles.json", ZG_ENTITY_JOB_PROFILE },
  { "qualifications.json", ZG_ENTITY_QUALIFICATION },
  { "employees.json", ZG_ENTITY_EMPLOYEE },
  { "certificates.json", ZG_ENTITY_CERTIFICATE },
};

typedef struct
{
  ZgServer        *server;
  ZgRecordsCaller *admin;
  ZgRecordsCaller *hr;
  JsonNode        *files[G_N_ELEMENTS (demo_files)];
  GHashTable      *by_id;          /* id -> JsonObject* (borrowed from files) */
  gint64           clock_offset;   /* the server's clock offset before the run */
  gint64           start;          /* the server's time at the start of the run */
  gint64           last;           /* the time of the record's previous change */
} Demo;

static void
demo_clear (Demo *demo)
{
  g_clear_pointer (&demo->admin, zg_records_caller_free);
  g_clear_pointer (&demo->hr, zg_records_caller_free);
  for (guint i = 0; i < G_N_ELEMENTS (demo_files); i++)
    g_clear_pointer (&demo->files[i], json_node_unref);
  g_clear_pointer (&demo->by_id, g_hash_table_unref);
}

static gboolean
fail (GError    **error,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError    **error,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, message);
  return FALSE;
}

static JsonArray *
file_records (Demo  *demo,
              guint  index)
{
  return json_object_get_array_member (json_node_get_object (demo->files[index]), "records");
}

/* Reads the data files and checks their outer shape; the records themselves are checked by
 * the records store like any push. */
static gboolean
load_files (Demo    *demo,
            GError **error)
{
  (void) zg_demo_get_resource ();
  demo->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (demo_files); i++)
    {
      g_autofree char *path = g_strconcat (DEMO_PATH, demo_files[i].file, NULL);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                                         error);
      JsonArray *records;

      if (bytes == NULL)
        return FALSE;
      demo->files[i] = json_from_string (g_bytes_get_data (bytes, NULL), error);
      if (demo->files[i] == NULL)
        return FALSE;
      if (!JSON_NODE_HOLDS_OBJECT (demo->files[i]) ||
          !json_object_has_member (json_node_get_object (demo->files[i]), "records") ||
          !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (demo->files[i]),
                                                          "records")))
        return fail (error, "%s: no “records” list", demo_files[i].file);
      records = file_records (demo, i);
      for (guint r = 0; r < json_array_get_length (records); r++)
        {
          JsonNode *node = json_array_get_element (records, r);
          JsonObject *record;
          const char *id;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            return fail (error, "%s: record %u is not an object", demo_files[i].file, r);
          record = json_node_get_object (node);
          if (demo_files[i].entity == ZG_ENTITY_CERTIFICATE)
            record = json_object_get_object_member (record, "record");
          id = record != NULL ? json_object_get_string_member_with_default (record, "id", NULL)
                              : NULL;
          if (id == NULL || !zg_access_is_id (id))
            return fail (error, "%s: record %u has no valid id", demo_files[i].file, r);
          g_hash_table_insert (demo->by_id, (gpointer) id, record);
        }
    }
  return TRUE;
}

static gboolean
any_demo_record_exists (Demo     *demo,
                        gboolean *out_exists,
                        GError  **error)
{
  ZgStorage *storage = zg_server_get_storage (demo->server);
  GHashTableIter iter;
  gpointer key;

  *out_exists = FALSE;
  g_hash_table_iter_init (&iter, demo->by_id);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(ZgStmt) stmt = zg_storage_prepare (storage,
                                                   "SELECT 1 FROM records WHERE id = ?;", error);
      int rc;

      if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, key))
        return FALSE;
      rc = zg_stmt_step (stmt, error);
      if (rc < 0)
        return FALSE;
      if (rc == SQLITE_ROW)
        {
          *out_exists = TRUE;
          return TRUE;
        }
    }
  return TRUE;
}

/* Same statement and security-log entry as PUT /api/v1/users/{id}/access-criteria. */
static gboolean
set_criteria (Demo                   *demo,
              const ZgUser           *user,
              const ZgAccessCriteria *criteria,
              GError                **error)
{
  g_autoptr(JsonNode) json = zg_access_criteria_to_json (criteria);
  g_autofree char *text = json_to_string (json, FALSE);
  g_autofree char *detail = NULL;
  g_autoptr(ZgStmt) stmt = NULL;

  stmt = zg_storage_prepare (zg_server_get_storage (demo->server),
                             "INSERT OR REPLACE INTO user_access (user_id, criteria, updated_at)"
                             " VALUES (?, ?, ?);", error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, user->id) ||
      !zg_stmt_bind_text (stmt, 2, text) ||
      !zg_stmt_bind_int64 (stmt, 3, zg_server_now (demo->server)) || !zg_stmt_run (stmt, error))
    return FALSE;
  detail = g_strdup_printf ("user %" G_GINT64_FORMAT ": %s (demo data)", user->id, text);
  zg_audit_log (demo->server, 0, NULL, NULL, ZG_AUDIT_ACCESS_CRITERIA_SET, detail);
  return TRUE;
}

/* The administrator sees everything (R-ACL-2); the HR user sees the companies the file
 * lists in "visible_to_hr", on every other dimension everything (R-ACL-1). */
static gboolean
set_demo_criteria (Demo         *demo,
                   const ZgUser *admin,
                   const ZgUser *hr,
                   GError      **error)
{
  g_autoptr(ZgAccessCriteria) all = zg_access_criteria_new_administrator ();
  g_autoptr(ZgAccessCriteria) hr_criteria = zg_access_criteria_new ();
  JsonObject *companies = json_node_get_object (demo->files[0]);
  JsonArray *visible;

  if (!json_object_has_member (companies, "visible_to_hr") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (companies, "visible_to_hr")))
    return fail (error, "companies.json: no “visible_to_hr” list");
  visible = json_object_get_array_member (companies, "visible_to_hr");
  for (guint d = 0; d < ZG_N_DIMS; d++)
    if (d != ZG_DIM_COMPANY)
      zg_access_criteria_set_all (hr_criteria, d);
  for (guint i = 0; i < json_array_get_length (visible); i++)
    {
      const char *id = json_array_get_string_element (visible, i);

      if (id == NULL || !zg_access_criteria_add (hr_criteria, ZG_DIM_COMPANY, id, error))
        return error == NULL || *error != NULL ? FALSE :
               fail (error, "companies.json: “visible_to_hr” holds a non-id");
    }
  return set_criteria (demo, admin, all, error) && set_criteria (demo, hr, hr_criteria, error);
}

static void
copy_member (JsonObject *to,
             JsonObject *from,
             const char *to_name,
             const char *from_name)
{
  if (from != NULL && !json_object_has_member (to, to_name) &&
      json_object_has_member (from, from_name))
    json_object_set_member (to, to_name, json_node_copy (json_object_get_member (from,
                                                                                 from_name)));
}

static JsonObject *
ensure_object (JsonObject *parent,
               const char *name)
{
  if (!json_object_has_member (parent, name) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (parent, name)))
    json_object_set_object_member (parent, name, json_object_new ());
  return json_object_get_object_member (parent, name);
}

static const char *
unit_name (JsonObject *company,
           const char *list,
           const char *id)
{
  JsonArray *units;

  if (company == NULL || id == NULL || !json_object_has_member (company, list))
    return NULL;
  units = json_object_get_array_member (company, list);
  for (guint i = 0; i < json_array_get_length (units); i++)
    {
      JsonObject *unit = json_array_get_object_element (units, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (unit, "id", NULL), id) == 0)
        return json_object_get_string_member_with_default (unit, "name", NULL);
    }
  return NULL;
}

static void
set_if_absent (JsonObject *o,
               const char *name,
               const char *value)
{
  if (value != NULL && !json_object_has_member (o, name))
    json_object_set_string_member (o, name, value);
}

/* What the client does when a certificate is created from an employee: personal data,
 * company and dates come from the employee record unless the file gives them. */
static void
fill_from_employee (Demo       *demo,
                    JsonObject *record)
{
  static const char *const personal[] = {
    "salutation", "title", "first_name", "last_name", "birth_date", "birth_place", "street",
    "postcode", "city", "email",
  };
  JsonObject *daten = ensure_object (record, "daten");
  JsonObject *pd = ensure_object (daten, "persoenliche_daten");
  JsonObject *zd = ensure_object (daten, "zeugnisdaten");
  const char *employee_id = json_object_get_string_member_with_default (pd, "employee_id", NULL);
  JsonObject *employee = employee_id != NULL ? g_hash_table_lookup (demo->by_id, employee_id)
                                             : NULL;
  JsonObject *company = NULL, *type = NULL;
  const char *kind;

  if (employee == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (personal); i++)
    copy_member (pd, employee, personal[i], personal[i]);
  company = g_hash_table_lookup (demo->by_id,
                                 json_object_get_string_member_with_default (employee,
                                                                             "company_id", ""));
  type = g_hash_table_lookup (demo->by_id,
                              json_object_get_string_member_with_default (employee,
                                                                          "employee_type_id",
                                                                          ""));
  if (company != NULL && !json_object_has_member (daten, "unternehmen"))
    {
      JsonArray *address = json_array_new ();
      g_autofree char *city_line = NULL;
      JsonObject *un = ensure_object (daten, "unternehmen");

      copy_member (un, company, "name", "name");
      json_array_add_string_element (address,
                                     json_object_get_string_member_with_default (company,
                                                                                 "street", ""));
      city_line = g_strdup_printf ("%s %s",
                                   json_object_get_string_member_with_default (company,
                                                                               "postcode", ""),
                                   json_object_get_string_member_with_default (company, "city",
                                                                               ""));
      json_array_add_string_element (address, city_line);
      json_object_set_array_member (un, "address", address);
      copy_member (un, company, "description", "description");
      set_if_absent (un, "location",
                     unit_name (company, "locations",
                                json_object_get_string_member_with_default (employee,
                                                                            "location_id",
                                                                            NULL)));
      set_if_absent (un, "department",
                     unit_name (company, "departments",
                                json_object_get_string_member_with_default (employee,
                                                                            "department_id",
                                                                            NULL)));
      set_if_absent (un, "org_unit",
                     unit_name (company, "org_units",
                                json_object_get_string_member_with_default (employee,
                                                                            "org_unit_id",
                                                                            NULL)));
    }
  kind = json_object_get_string_member_with_default (zd, "kind", "");
  copy_member (zd, employee, "entry_date", "entry_date");
  if (strcmp (kind, "zwischenzeugnis") != 0)
    {
      copy_member (zd, employee, "exit_date", "exit_date");
      copy_member (zd, employee, "reason", "exit_reason");
    }
  if (company != NULL)
    copy_member (zd, company, "issue_place", "city");
  if (type != NULL)
    copy_member (zd, type, "employee_type", "key");
}

static JsonObject *
apply (Demo                  *demo,
       const ZgRecordsCaller *caller,
       ZgEntity               entity,
       ZgMutationOp           op,
       const char            *id,
       JsonObject            *fields,
       gint64                 base_rev,
       GError               **error)
{
  ZgMutation m = { 0 };
  g_autoptr(JsonObject) result = NULL;

  m.client_id = DEMO_CLIENT_ID;
  m.entity = entity;
  m.op = op;
  m.id = id;
  m.base_rev = base_rev;
  m.fields = fields;
  result = zg_records_apply (demo->server, caller, &m, NULL, error);
  if (result == NULL)
    return NULL;
  if (g_strcmp0 (json_object_get_string_member_with_default (result, "status", ""),
                 "applied") != 0)
    {
      fail (error, "demo %s %s was refused: %s (%s)", zg_entity_id (entity), id,
            json_object_get_string_member_with_default (result, "message", ""),
            json_object_get_string_member_with_default (result, "reason", ""));
      return NULL;
    }
  return g_steal_pointer (&result);
}

static gboolean
create_record (Demo                  *demo,
               const ZgRecordsCaller *caller,
               ZgEntity               entity,
               JsonObject            *record,
               GError               **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonObject) result = NULL;
  const char *id = json_object_get_string_member (record, "id");
  GList *members = json_object_get_members (record);

  for (GList *l = members; l != NULL; l = l->next)
    if (strcmp (l->data, "id") != 0 && strcmp (l->data, "version") != 0)
      json_object_set_member (fields, l->data,
                              json_node_copy (json_object_get_member (record, l->data)));
  g_list_free (members);
  result = apply (demo, caller, entity, ZG_MUTATION_CREATE, id, fields, 0, error);
  return result != NULL;
}

/* The server's clock for the next change: @days_ago days before the run, during office
 * hours (the fraction of a day picks the hour between 08:00 and 17:00 UTC, @seconds are
 * added), after the previous change of the record and never after the run's start. The records get realistic creation and
 * status-change times (R-DATA-4). */
static void
set_clock (Demo   *demo,
           double  days_ago,
           gint64  seconds)
{
  gint64 day = demo->start - (gint64) days_ago * 86400;
  gint64 at = day - day % 86400 + 8 * 3600 +
              (gint64) ((days_ago - (gint64) days_ago) * 9.0 * 3600.0) + seconds;

  /* One record's changes stay in order, a quarter of an hour or more apart. */
  if (at <= demo->last)
    at = demo->last + 17 * 60;
  at = MIN (at, demo->start);
  demo->last = at;
  zg_server_set_clock_offset (demo->server,
                              demo->clock_offset + at - demo->start);
}

/* Moves a new draft along the usual way — handed to the supervisor, finished, checked,
 * approved, completed — as far as @target, one workflow step per change through the
 * records store (zg_records_set_status: the checks and process data of a push), the steps
 * spread over the days since the certificate was created. */
static gboolean
walk_status (Demo                  *demo,
             const ZgRecordsCaller *caller,
             const char            *id,
             ZgCertificateStatus    target,
             const char            *supervisor,
             double                 days_ago,
             guint                 *steps,
             GError               **error)
{
  static const ZgCertificateStatus way[] = {
    ZG_STATUS_HANDED_OVER, ZG_STATUS_HANDOVER_FINISHED, ZG_STATUS_REVIEW, ZG_STATUS_APPROVED,
    ZG_STATUS_COMPLETED,
  };
  guint n = 0;

  while (n < G_N_ELEMENTS (way) && way[n] != target)
    n++;
  if (n == G_N_ELEMENTS (way))
    return fail (error, "demo certificate %s: status %s is not on the way", id,
                 zg_status_key (target));
  for (guint i = 0; i <= n; i++)
    {
      g_autoptr(JsonObject) result = NULL;

      set_clock (demo, days_ago * (n - i + 0.5) / (n + 1.5), 0);
      result = zg_records_set_status (demo->server, caller, id, way[i], FALSE,
                                      way[i] == ZG_STATUS_HANDED_OVER ? supervisor : NULL,
                                      error);
      if (result == NULL)
        return FALSE;
      if (g_strcmp0 (json_object_get_string_member_with_default (result, "status", ""),
                     "applied") != 0)
        return fail (error, "demo certificate %s: status %s was refused: %s (%s)", id,
                     zg_status_key (way[i]),
                     json_object_get_string_member_with_default (result, "message", ""),
                     json_object_get_string_member_with_default (result, "reason", ""));
      (*steps)++;
    }
  return TRUE;
}

static gboolean
status_from_key (const char          *key,
                 ZgCertificateStatus *out)
{
  for (guint s = 0; s < ZG_N_STATUSES; s++)
    if (g_strcmp0 (zg_status_key (s), key) == 0)
      {
        *out = s;
        return TRUE;
      }
  return FALSE;
}

static gboolean
create_certificate (Demo              *demo,
                    JsonObject        *entry,
                    ZgDemoDataSummary *summary,
                    GError           **error)
{
  JsonObject *record = json_object_get_object_member (entry, "record");
  const char *creator = json_object_get_string_member_with_default (entry, "creator", "");
  const char *id = json_object_get_string_member (record, "id");
  const ZgRecordsCaller *caller;
  ZgCertificateStatus target = ZG_STATUS_DRAFT;
  g_autoptr(JsonNode) copy = json_node_copy (json_object_get_member (entry, "record"));
  JsonObject *draft = json_node_get_object (copy);
  const char *supervisor = json_object_get_string_member_with_default (entry, "supervisor",
                                                                       NULL);
  double days_ago = (double) json_object_get_int_member_with_default (entry, "days_ago", 0);

  if (strcmp (creator, "hr") == 0)
    caller = demo->hr;
  else if (strcmp (creator, "admin") == 0)
    caller = demo->admin;
  else
    return fail (error, "demo certificate %s: creator must be “hr” or “admin”", id);
  if (!status_from_key (json_object_get_string_member_with_default (record, "status", "draft"),
                        &target))
    return fail (error, "demo certificate %s: unknown status", id);
  json_object_set_string_member (draft, "status", zg_status_key (ZG_STATUS_DRAFT));
  fill_from_employee (demo, draft);
  if (target != ZG_STATUS_DRAFT && supervisor == NULL)
    return fail (error, "demo certificate %s: a supervisor is needed for its handover", id);
  demo->last = 0;
  set_clock (demo, days_ago, (gint64) (summary->certificates * 1789 % (4 * 3600)));
  if (!create_record (demo, caller, ZG_ENTITY_CERTIFICATE, draft, error))
    return FALSE;
  summary->certificates++;
  return target == ZG_STATUS_DRAFT ? TRUE :
         walk_status (demo, caller, id, target, supervisor, days_ago,
                      &summary->status_changes, error);
}

static gboolean
install_records (Demo              *demo,
                 ZgDemoDataSummary *summary,
                 GError           **error)
{
  guint *counts[] = {
    &summary->companies, &summary->employee_types, &summary->job_profiles,
    &summary->qualifications, &summary->employees,
  };

  for (guint i = 0; i < G_N_ELEMENTS (demo_files); i++)
    {
      JsonArray *records = file_records (demo, i);

      for (guint r = 0; r < json_array_get_length (records); r++)
        {
          JsonObject *record = json_array_get_object_element (records, r);

          if (demo_files[i].entity == ZG_ENTITY_CERTIFICATE)
            {
              if (!create_certificate (demo, record, summary, error))
                return FALSE;
              continue;
            }
          demo->last = 0;
          set_clock (demo, MASTER_DATA_DAYS_AGO, (gint64) r * 60);
          if (!create_record (demo, demo->admin, demo_files[i].entity, record, error))
            return FALSE;
          (*counts[i])++;
        }
    }
  return TRUE;
}

/* zg-server.h has no getter: the offset is the server's clock minus the real one (read
 * again when a second boundary passed in between). */
static gint64
current_clock_offset (ZgServer *server)
{
  for (;;)
    {
      gint64 before = g_get_real_time () / G_USEC_PER_SEC;
      gint64 now = zg_server_now (server);

      if (g_get_real_time () / G_USEC_PER_SEC == before)
        return now - before;
    }
}

static ZgUser *
find_user (ZgServer   *server,
           const char *email,
           GError    **error)
{
  g_autoptr(GError) local = NULL;
  ZgUser *user = zg_users_find_by_email (server, email, &local);

  if (user == NULL)
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        fail (error, "no account %s: create the demo accounts first (scripts/demo.sh)", email);
    }
  return user;
}

gboolean
zg_demo_data_install (ZgServer          *server,
                      const char        *admin_email,
                      const char        *hr_email,
                      ZgDemoDataSummary *out_summary,
                      GError           **error)
{
  ZgStorage *storage;
  g_autoptr(ZgUser) admin = NULL;
  g_autoptr(ZgUser) hr = NULL;
  g_autofree char *detail = NULL;
  ZgDemoDataSummary summary = { 0 };
  Demo demo = { 0 };
  gboolean exists = FALSE;
  gboolean ok = FALSE;

  g_return_val_if_fail (ZG_IS_SERVER (server), FALSE);
  g_return_val_if_fail (admin_email != NULL && hr_email != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  storage = zg_server_get_storage (server);
  demo.server = server;
  demo.clock_offset = current_clock_offset (server);
  demo.start = zg_server_now (server);
  admin = find_user (server, admin_email, error);
  if (admin == NULL)
    return FALSE;
  hr = find_user (server, hr_email, error);
  if (hr == NULL)
    return FALSE;
  if (!(admin->role_areas & ZG_AREA_ADMINISTRATOR))
    return fail (error, "%s does not have the Administrator role", admin->email);
  if (!load_files (&demo, error))
    goto out;
  if (!zg_storage_begin (storage, error))
    goto out;
  if (!any_demo_record_exists (&demo, &exists, error))
    goto rollback;
  if (exists)
    {
      zg_storage_rollback (storage);
      ok = TRUE;
      goto out;
    }
  if (!set_demo_criteria (&demo, admin, hr, error))
    goto rollback;
  demo.admin = zg_records_caller_load (server, admin->id, admin->email, admin->role_areas, error);
  if (demo.admin == NULL)
    goto rollback;
  demo.hr = zg_records_caller_load (server, hr->id, hr->email, hr->role_areas, error);
  if (demo.hr == NULL)
    goto rollback;
  if (!install_records (&demo, &summary, error))
    goto rollback;
  summary.created = TRUE;
  zg_server_set_clock_offset (server, demo.clock_offset);
  detail = g_strdup_printf ("%u companies, %u employees, %u certificates",
                            summary.companies, summary.employees, summary.certificates);
  zg_audit_log (server, 0, NULL, NULL, ZG_AUDIT_DEMO_DATA_CREATED, detail);
  if (!zg_storage_commit (storage, error))
    goto rollback;
  ok = TRUE;
  goto out;

rollback:
  zg_storage_rollback (storage);
  summary = (ZgDemoDataSummary) { 0 };
out:
  zg_server_set_clock_offset (server, demo.clock_offset);
  demo_clear (&demo);
  if (ok && out_summary != NULL)
    *out_summary = summary;
  return ok;
}
