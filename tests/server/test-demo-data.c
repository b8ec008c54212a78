/* test-demo-data.c — the demo data of scripts/demo.sh (zeugnis-server demo-data)
 *
 * In-process server: the demo data are written twice (the second run changes nothing), once
 * more by the real binary (nothing changed either); the stored records are counted against
 * the data files, every certificate decodes with the strict codec and generates its letter,
 * and the snapshot pulls of the demo HR user and the administrator hold exactly the records
 * their access criteria allow (R-ACL-1, R-ACL-2, R-ACL-3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "demo-data.h"
#include "records-store.h"
#include "server-test-utils.h"
#include "zg-engine.h"

#define HR_EMAIL    "personal@example.com"
#define HR_PASSWORD "Zeugnisse-Personal-9"

typedef struct
{
  JsonNode   *files[6];
  GHashTable *employee_company;   /* employee id -> company id */
  GHashTable *visible_companies;  /* company id set of the HR user's criteria */
} DemoFiles;

static const char *const file_names[] = {
  "companies.json", "employee-types.json", "job-profiles.json", "qualifications.json",
  "employees.json", "certificates.json",
};
static const char *const file_entities[] = {
  "company", "employee_type", "job_profile", "qualification", "employee", "certificate",
};

/* The data files straight from the source tree, independent of the code under test. */
static void
demo_files_load (DemoFiles *f)
{
  JsonArray *visible, *employees;

  for (guint i = 0; i < G_N_ELEMENTS (file_names); i++)
    {
      g_autofree char *path = g_build_filename (ZG_SOURCE_DATADIR, "demo", file_names[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      g_assert_true (g_file_get_contents (path, &text, NULL, &error));
      g_assert_no_error (error);
      f->files[i] = json_from_string (text, &error);
      g_assert_no_error (error);
    }
  f->employee_company = g_hash_table_new (g_str_hash, g_str_equal);
  employees = json_object_get_array_member (json_node_get_object (f->files[4]), "records");
  for (guint i = 0; i < json_array_get_length (employees); i++)
    {
      JsonObject *e = json_array_get_object_element (employees, i);

      g_hash_table_insert (f->employee_company,
                           (gpointer) json_object_get_string_member (e, "id"),
                           (gpointer) json_object_get_string_member (e, "company_id"));
    }
  f->visible_companies = g_hash_table_new (g_str_hash, g_str_equal);
  visible = json_object_get_array_member (json_node_get_object (f->files[0]), "visible_to_hr");
  for (guint i = 0; i < json_array_get_length (visible); i++)
    g_hash_table_add (f->visible_companies, (gpointer) json_array_get_string_element (visible, i));
}

static void
demo_files_clear (DemoFiles *f)
{
  for (guint i = 0; i < G_N_ELEMENTS (file_names); i++)
    g_clear_pointer (&f->files[i], json_node_unref);
  g_clear_pointer (&f->employee_company, g_hash_table_unref);
  g_clear_pointer (&f->visible_companies, g_hash_table_unref);
}

static JsonArray *
records_of (DemoFiles *f,
            guint      index)
{
  return json_object_get_array_member (json_node_get_object (f->files[index]), "records");
}

static gint64
count_entity (ZgTestServer *ts,
              const char   *entity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = zg_storage_prepare (zg_server_get_storage (ts->server),
                                               "SELECT COUNT(*) FROM records WHERE entity = ?;",
                                               &error);

  g_assert_no_error (error);
  g_assert_true (zg_stmt_bind_text (stmt, 1, entity));
  g_assert_cmpint (zg_stmt_step (stmt, &error), ==, SQLITE_ROW);
  return zg_stmt_column_int64 (stmt, 0);
}

static gint64
sequence_value (ZgTestServer *ts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = zg_storage_prepare (zg_server_get_storage (ts->server),
                                               "SELECT value FROM sync_sequence;", &error);

  g_assert_no_error (error);
  g_assert_cmpint (zg_stmt_step (stmt, &error), ==, SQLITE_ROW);
  return zg_stmt_column_int64 (stmt, 0);
}

/* Certificate ids (and their records) of one snapshot pull of @token. */
static GHashTable *
pull_certificates (ZgTestServer *ts,
                   const char   *token,
                   guint        *out_employees)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) json_object_unref);
  g_autoptr(ZgTestResponse) resp = zg_test_request (ts, "GET", "/api/v1/sync/pull?limit=2000",
                                                    token, NULL);
  JsonObject *body;
  JsonArray *changes;

  g_assert_cmpuint (resp->status, ==, 200);
  body = zg_test_response_object (resp);
  g_assert_false (json_object_get_boolean_member (body, "has_more"));
  changes = json_object_get_array_member (body, "changes");
  *out_employees = 0;
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *entity = json_object_get_string_member (change, "entity");

      if (strcmp (entity, "employee") == 0)
        (*out_employees)++;
      if (strcmp (entity, "certificate") == 0)
        g_hash_table_insert (ids, g_strdup (json_object_get_string_member (change, "id")),
                             json_object_ref (json_object_get_object_member (change, "record")));
    }
  return ids;
}

static void
test_demo_data (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgPhraseLibrary) lib = NULL;
  g_autoptr(GHashTable) hr_seen = NULL;
  g_autoptr(GHashTable) admin_seen = NULL;
  g_autoptr(GHashTable) kinds = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) languages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *hr_token = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *hr_id_text = NULL;
  g_autofree char *admin_id_text = NULL;
  ZgDemoDataSummary first = { 0 }, second = { 0 };
  DemoFiles files = { 0 };
  const char *argv[] = {
    g_getenv ("ZG_SERVER_BINARY"), "--data-dir", ts->data_dir, "demo-data",
    "--admin-email", ZG_TEST_ADMIN_EMAIL, "--hr-email", HR_EMAIL, NULL,
  };
  guint expected_hr = 0, hr_employees = 0, admin_employees = 0, expected_hr_employees = 0;
  guint private_by_hr = 0;
  gint64 hr_id, seq, audit_rows;
  int wait_status = 0;
  JsonArray *certs;

  demo_files_load (&files);
  hr_id = zg_test_create_user (ts, HR_EMAIL, HR_PASSWORD,
                               zg_test_create_role (ts, "Personalabteilung",
                                                    ZG_AREA_MITARBEITER | ZG_AREA_UNTERNEHMEN |
                                                    ZG_AREA_BERUFSBILDER |
                                                    ZG_AREA_QUALIFIKATIONEN));

  /* Without the HR account nothing is written. */
  g_assert_false (zg_demo_data_install (ts->server, ZG_TEST_ADMIN_EMAIL, "nobody@example.com",
                                        &first, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (count_entity (ts, "company"), ==, 0);

  g_assert_true (zg_demo_data_install (ts->server, ZG_TEST_ADMIN_EMAIL, HR_EMAIL, &first,
                                       &error));
  g_assert_no_error (error);
  g_assert_true (first.created);

  /* Every record of the files is stored, through the records store. */
  for (guint i = 0; i < G_N_ELEMENTS (file_names); i++)
    g_assert_cmpint (count_entity (ts, file_entities[i]), ==,
                     json_array_get_length (records_of (&files, i)));
  g_assert_cmpuint (first.companies, ==, json_array_get_length (records_of (&files, 0)));
  g_assert_cmpuint (first.employees, ==, json_array_get_length (records_of (&files, 4)));
  g_assert_cmpuint (first.certificates, ==, json_array_get_length (records_of (&files, 5)));
  /* What the demo promises: companies, ~25 employees, ~15 certificates. */
  g_assert_cmpuint (first.companies, >=, 2);
  g_assert_cmpuint (first.employees, >=, 20);
  g_assert_cmpuint (first.certificates, >=, 15);

  /* Second run: nothing written (same sequence value, same counts). */
  seq = sequence_value (ts);
  audit_rows = zg_test_count_audit (ts, ZG_AUDIT_DEMO_DATA_CREATED);
  g_assert_cmpint (audit_rows, ==, 1);
  g_assert_true (zg_demo_data_install (ts->server, ZG_TEST_ADMIN_EMAIL, HR_EMAIL, &second,
                                       &error));
  g_assert_no_error (error);
  g_assert_false (second.created);
  g_assert_cmpint (sequence_value (ts), ==, seq);

  /* And the real binary's sub-command, a third time: nothing changed either. */
  g_assert_nonnull (argv[0]);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  g_assert_nonnull (strstr (out, "nothing changed"));
  g_assert_cmpint (sequence_value (ts), ==, seq);
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_DEMO_DATA_CREATED), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (file_names); i++)
    g_assert_cmpint (count_entity (ts, file_entities[i]), ==,
                     json_array_get_length (records_of (&files, i)));

  /* What each account sees: the HR user the certificates and employees of the companies in
   * its criteria (R-ACL-1), the administrator everything (R-ACL-2). */
  certs = records_of (&files, 5);
  for (guint i = 0; i < json_array_get_length (certs); i++)
    {
      JsonObject *entry = json_array_get_object_element (certs, i);
      JsonObject *record = json_object_get_object_member (entry, "record");
      JsonObject *pd = json_object_get_object_member (json_object_get_object_member (record,
                                                                                     "daten"),
                                                      "persoenliche_daten");
      const char *company = g_hash_table_lookup (files.employee_company,
                                                 json_object_get_string_member (pd,
                                                                                "employee_id"));

      if (g_hash_table_contains (files.visible_companies, company))
        expected_hr++;
    }
  for (guint i = 0; i < json_array_get_length (records_of (&files, 4)); i++)
    {
      JsonObject *e = json_array_get_object_element (records_of (&files, 4), i);

      if (g_hash_table_contains (files.visible_companies,
                                 json_object_get_string_member (e, "company_id")))
        expected_hr_employees++;
    }
  g_assert_cmpuint (expected_hr, <, json_array_get_length (certs));  /* the criteria matter */

  hr_token = zg_test_login (ts, HR_EMAIL, HR_PASSWORD);
  hr_seen = pull_certificates (ts, hr_token, &hr_employees);
  admin_seen = pull_certificates (ts, ts->admin_token, &admin_employees);
  g_assert_cmpuint (g_hash_table_size (hr_seen), ==, expected_hr);
  g_assert_cmpuint (hr_employees, ==, expected_hr_employees);
  g_assert_cmpuint (g_hash_table_size (admin_seen), ==, json_array_get_length (certs));
  g_assert_cmpuint (admin_employees, ==, json_array_get_length (records_of (&files, 4)));

  hr_id_text = g_strdup_printf ("%" G_GINT64_FORMAT, hr_id);
  admin_id_text = g_strdup_printf ("%" G_GINT64_FORMAT, ts->admin_id);
  lib = zg_phrase_library_load (NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (certs); i++)
    {
      JsonObject *entry = json_array_get_object_element (certs, i);
      JsonObject *file_record = json_object_get_object_member (entry, "record");
      const char *id = json_object_get_string_member (file_record, "id");
      JsonObject *stored = g_hash_table_lookup (admin_seen, id);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(ZgCertificate) cert = NULL;
      g_autoptr(ZgDocument) doc = NULL;
      g_autofree char *text = NULL;
      gboolean by_hr = strcmp (json_object_get_string_member (entry, "creator"), "hr") == 0;

      g_assert_nonnull (stored);
      node = json_node_init_object (json_node_alloc (), stored);
      cert = zg_certificate_from_json (node, &error);
      g_assert_no_error (error);
      /* The status the file asks for was reached through the workflow. */
      g_assert_cmpstr (zg_status_key (cert->status), ==,
                       json_object_get_string_member (file_record, "status"));
      doc = zg_generate (lib, cert, &error);
      g_assert_no_error (error);
      text = zg_document_to_text (doc);
      /* The letter names the person and has more than a few sentences. */
      g_assert_nonnull (strstr (text, cert->last_name));
      g_assert_cmpuint (strlen (text), >, 800);
      /* R-DATA-4: created days_ago days back, the changes after it in order and in the
       * past, the handover names the file's supervisor. */
      {
        gint64 days_ago = json_object_get_int_member_with_default (entry, "days_ago", 0);
        gint64 age = g_get_real_time () / G_USEC_PER_SEC - cert->created_at;
        gint64 previous = cert->created_at;
        guint handovers = 0;

        g_assert_cmpint (age, >=, (days_ago - 1) * 86400);
        g_assert_cmpint (age, <=, (days_ago + 1) * 86400);
        g_assert_cmpstr (cert->created_by, ==, by_hr ? hr_id_text : admin_id_text);
        for (guint e = 0; e < cert->process_events->len; e++)
          {
            const ZgProcessEvent *ev = cert->process_events->pdata[e];

            g_assert_cmpint (ev->at, >=, previous);
            g_assert_cmpint (ev->at, <=, g_get_real_time () / G_USEC_PER_SEC);
            previous = ev->at;
            if (ev->type == ZG_PROCESS_HANDOVER)
              {
                g_assert_cmpstr (ev->supervisor, ==,
                                 json_object_get_string_member (entry, "supervisor"));
                handovers++;
              }
          }
        g_assert_cmpuint (handovers, ==, cert->status == ZG_STATUS_DRAFT ? 0 : 1);
      }
      g_hash_table_add (kinds, (gpointer) zg_kind_key (cert->kind));
      g_hash_table_add (statuses, (gpointer) zg_status_key (cert->status));
      g_hash_table_add (languages, g_strdup (cert->language));
      if (cert->is_private && by_hr)
        {
          /* R-ACL-3: the HR user's private certificate is in its own pull. */
          g_assert_true (g_hash_table_contains (hr_seen, id));
          private_by_hr++;
        }
    }
  g_assert_cmpuint (g_hash_table_size (kinds), ==, ZG_N_KINDS);
  g_assert_cmpuint (g_hash_table_size (languages), ==, 2);
  g_assert_cmpuint (g_hash_table_size (statuses), ==, ZG_N_STATUSES);
  g_assert_cmpuint (private_by_hr, >=, 1);

  demo_files_clear (&files);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Zeugnis/Server/DemoData/twice-counts-texts-visibility-R-ACL-1-2-3",
                   test_demo_data);
  return g_test_run ();
}
