/* test-sync.c — issue 3: records, access criteria, push/pull, merge, replay, history, deletion
 *
 * Everything goes over HTTPS to an in-process server; row counts are read from its database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "records-retention.h"
#include "records-store.h"
#include "server-test-utils.h"

#define PW "Bergwiese-Kaffee-7"

#define COMPANY_A "0a000000-0000-4000-8000-00000000000a"
#define COMPANY_B "0b000000-0000-4000-8000-00000000000b"
#define EMP_A     "1a000000-0000-4000-8000-00000000000a"
#define EMP_B     "1b000000-0000-4000-8000-00000000000b"
#define EMP_SIG   "1c000000-0000-4000-8000-00000000000c"
#define CERT_A    "2a000000-0000-4000-8000-00000000000a"
#define CERT_B    "2b000000-0000-4000-8000-00000000000b"
#define CERT_P    "2c000000-0000-4000-8000-00000000000c"
#define UNKNOWN   "9f000000-0000-4000-8000-00000000009f"

typedef struct
{
  ZgTestServer *ts;
  char         *admin;      /* Administrator area + Administrator criterion */
  char         *hr_a;       /* all areas but no Administrator; company A only */
  char         *creator_a;  /* company A; creator of the private certificate CERT_P */
  char         *all_dims;   /* every dimension "all", no Administrator criterion */
  char         *no_criteria;
  char         *no_area;    /* no areas at all; every dimension "all" */
  gint64        hr_a_id;
} Fixture;

static ZgTestResponse *
req (Fixture    *f,
     const char *method,
     const char *path,
     const char *token,
     const char *body)
{
  return zg_test_request (f->ts, method, path, token, body);
}

static void
expect_status (Fixture    *f,
               const char *method,
               const char *path,
               const char *token,
               const char *body,
               guint       status)
{
  g_autoptr(ZgTestResponse) r = req (f, method, path, token, body);

  if (r->status != status)
    g_test_message ("%s %s -> %u: %s", method, path, r->status, r->text);
  g_assert_cmpuint (r->status, ==, status);
}

static void
set_criteria (Fixture    *f,
              gint64      user_id,
              const char *json)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/access-criteria",
                                           user_id);

  expect_status (f, "PUT", path, f->ts->admin_token, json, 200);
}

static char *
make_user (Fixture    *f,
           const char *email,
           ZgAreaSet   areas,
           const char *criteria,
           gint64     *out_id)
{
  gint64 role = zg_test_create_role (f->ts, email, areas);
  gint64 id = zg_test_create_user (f->ts, email, PW, role);

  if (criteria != NULL)
    set_criteria (f, id, criteria);
  if (out_id != NULL)
    *out_id = id;
  return zg_test_login (f->ts, email, PW);
}

static gint64
count_rows (Fixture    *f,
            const char *table)
{
  return zg_storage_count (zg_server_get_storage (f->ts->server), table);
}

static const char *
cert_json (const char *id,
           const char *employee,
           gboolean    is_private)
{
  static char buf[1024];

  g_snprintf (buf, sizeof buf,
              "{\"id\":\"%s\",\"private\":%s,\"daten\":{\"persoenliche_daten\":"
              "{\"employee_id\":\"%s\",\"salutation\":\"frau\",\"first_name\":\"Erika\","
              "\"last_name\":\"Muster\"},\"zeugnisdaten\":{\"kind\":\"endzeugnis\","
              "\"language\":\"de\",\"position\":\"Buchhalterin\"}}}",
              id, is_private ? "true" : "false", employee);
  return buf;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *all = "{\"companies\":\"all\",\"locations\":\"all\",\"departments\":\"all\","
                    "\"org_units\":\"all\",\"employee_types\":\"all\"}";
  const char *only_a = "{\"companies\":[\"" COMPANY_A "\"],\"locations\":\"all\","
                       "\"departments\":\"all\",\"org_units\":\"all\",\"employee_types\":\"all\"}";
  ZgAreaSet hr = ZG_AREA_SET_ALL & ~ZG_AREA_ADMINISTRATOR;

  f->ts = zg_test_server_new ();
  set_criteria (f, f->ts->admin_id, "{\"administrator\":true}");
  f->admin = g_strdup (f->ts->admin_token);
  f->hr_a = make_user (f, "hr-a@example.com", hr, only_a, &f->hr_a_id);
  f->creator_a = make_user (f, "creator-a@example.com", hr, only_a, NULL);
  f->all_dims = make_user (f, "all@example.com", hr, all, NULL);
  f->no_criteria = make_user (f, "none@example.com", hr, NULL, NULL);
  f->no_area = make_user (f, "noarea@example.com", 0, all, NULL);

  expect_status (f, "POST", "/api/v1/companies", f->admin,
                 "{\"id\":\"" COMPANY_A "\",\"name\":\"Alpha GmbH\"}", 201);
  expect_status (f, "POST", "/api/v1/companies", f->admin,
                 "{\"id\":\"" COMPANY_B "\",\"name\":\"Beta GmbH\"}", 201);
  expect_status (f, "POST", "/api/v1/employees", f->admin,
                 "{\"id\":\"" EMP_A "\",\"first_name\":\"Erika\",\"last_name\":\"Muster\","
                 "\"company_id\":\"" COMPANY_A "\"}", 201);
  expect_status (f, "POST", "/api/v1/employees", f->admin,
                 "{\"id\":\"" EMP_B "\",\"first_name\":\"Bernd\",\"last_name\":\"Beispiel\","
                 "\"company_id\":\"" COMPANY_B "\"}", 201);
  expect_status (f, "POST", "/api/v1/employees", f->admin,
                 "{\"id\":\"" EMP_SIG "\",\"first_name\":\"Sina\",\"last_name\":\"Chefin\","
                 "\"company_id\":\"" COMPANY_A "\"}", 201);
  expect_status (f, "POST", "/api/v1/certificates", f->admin, cert_json (CERT_A, EMP_A, FALSE),
                 201);
  expect_status (f, "POST", "/api/v1/certificates", f->admin, cert_json (CERT_B, EMP_B, FALSE),
                 201);
  expect_status (f, "POST", "/api/v1/certificates", f->creator_a,
                 cert_json (CERT_P, EMP_A, TRUE), 201);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->admin);
  g_free (f->hr_a);
  g_free (f->creator_a);
  g_free (f->all_dims);
  g_free (f->no_criteria);
  g_free (f->no_area);
  zg_test_server_free (f->ts);
}

static gint
cmp_str_ptr (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static char *pull_ids_of (Fixture *f, const char *entity, const char *token, const char *cursor,
                          guint *out_status, char **out_cursor, char **out_removed);

static char *
pull_ids (Fixture     *f,
          const char  *token,
          const char  *cursor,
          guint       *out_status,
          char       **out_cursor,
          char       **out_removed)
{
  return pull_ids_of (f, "certificate", token, cursor, out_status, out_cursor, out_removed);
}

/* Pulls everything from @cursor (NULL = snapshot) and returns the ids of the changes as a
 * sorted comma list; @out_cursor gets the cursor to continue from. */
static char *
pull_ids_of (Fixture     *f,
             const char  *entity,
             const char  *token,
          const char  *cursor,
          guint       *out_status,
          char       **out_cursor,
          char       **out_removed)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cur = g_strdup (cursor);
  gboolean more = TRUE;

  *out_status = 200;
  while (more)
    {
      g_autofree char *escaped = cur != NULL ? g_uri_escape_string (cur, NULL, TRUE) : NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/sync/pull?limit=2%s%s",
                                               cur != NULL ? "&cursor=" : "",
                                               cur != NULL ? escaped : "");
      g_autoptr(ZgTestResponse) r = req (f, "GET", path, token, NULL);
      JsonObject *o;
      JsonArray *a;

      if (r->status != 200)
        {
          *out_status = r->status;
          g_assert_cmpstr (zg_test_response_error (r), ==, "resync_required");
          return NULL;
        }
      o = zg_test_response_object (r);
      a = json_object_get_array_member (o, "changes");
      g_assert_cmpuint (json_array_get_length (a) +
                        json_array_get_length (json_object_get_array_member (o, "removals")),
                        <=, 2);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonObject *c = json_array_get_object_element (a, i);

          if (g_strcmp0 (json_object_get_string_member (c, "entity"), entity) == 0)
            g_ptr_array_add (ids, g_strdup (json_object_get_string_member (c, "id")));
        }
      a = json_object_get_array_member (o, "removals");
      for (guint i = 0; i < json_array_get_length (a); i++)
        g_ptr_array_add (removed, g_strdup (json_object_get_string_member (
                                              json_array_get_object_element (a, i), "id")));
      g_free (cur);
      cur = g_strdup (json_object_get_string_member (o, "cursor"));
      more = json_object_get_boolean_member (o, "has_more");
    }
  g_ptr_array_sort (ids, cmp_str_ptr);
  g_ptr_array_sort (removed, cmp_str_ptr);
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (removed, NULL);
  if (out_cursor != NULL)
    *out_cursor = g_steal_pointer (&cur);
  if (out_removed != NULL)
    *out_removed = g_strjoinv (",", (char **) removed->pdata);
  return g_strjoinv (",", (char **) ids->pdata);
}

static guint
status_of (Fixture    *f,
           const char *method,
           const char *path,
           const char *token,
           const char *body)
{
  g_autoptr(ZgTestResponse) r = req (f, method, path, token, body);

  return r->status;
}

/* R-ACL-1, R-ACL-2, R-ACL-3, R-ACL-4: who sees and edits which certificate, in every endpoint
 * and in the pull; invisible answers exactly like nonexistent (404, same body). */
static void
test_permission_matrix (Fixture       *f,
                        gconstpointer  data)
{
  const struct
  {
    const char *name;
    const char *token;
    const char *sees;   /* certificates visible, sorted */
  } users[] = {
    { "admin-criterion", f->admin, CERT_A "," CERT_B "," CERT_P },      /* R-ACL-2 */
    { "company-a", f->hr_a, CERT_A },                                  /* R-ACL-1, R-ACL-3 */
    { "creator-a", f->creator_a, CERT_A "," CERT_P },                  /* R-ACL-3 */
    { "all-dims", f->all_dims, CERT_A "," CERT_B },                    /* private hidden */
    { "no-criteria", f->no_criteria, "" },
    { "no-area", f->no_area, CERT_A "," CERT_B },
  };
  const char *certs[] = { CERT_A, CERT_B, CERT_P };

  for (guint u = 0; u < G_N_ELEMENTS (users); u++)
    {
      g_autofree char *pulled = NULL;
      guint status;

      g_test_message ("user %s", users[u].name);
      for (guint c = 0; c < G_N_ELEMENTS (certs); c++)
        {
          g_autofree char *path = g_strdup_printf ("/api/v1/certificates/%s", certs[c]);
          g_autofree char *hist = g_strdup_printf ("/api/v1/certificates/%s/history", certs[c]);
          gboolean visible = strstr (users[u].sees, certs[c]) != NULL;
          g_autoptr(ZgTestResponse) r = req (f, "GET", path, users[u].token, NULL);
          g_autoptr(ZgTestResponse) unknown = req (f, "GET", "/api/v1/certificates/" UNKNOWN,
                                                   users[u].token, NULL);

          g_assert_cmpuint (r->status, ==, visible ? 200 : 404);
          if (!visible)
            g_assert_cmpstr (r->text, ==, unknown->text);   /* the 404 contract */
          g_assert_cmpuint (status_of (f, "GET", hist, users[u].token, NULL), ==,
                            visible ? 200 : 404);
          /* Editing a section field: visible -> 200, invisible -> 404 (never 403). */
          g_assert_cmpuint (status_of (f, "PATCH", path, users[u].token,
                                       "{\"fields\":{\"werdegang.vollmachten\":[\"Prokura\"]}}"),
                            ==, visible ? 200 : 404);
        }
      {
        g_autoptr(ZgTestResponse) list = req (f, "GET", "/api/v1/certificates", users[u].token,
                                              NULL);
        JsonArray *items = json_object_get_array_member (zg_test_response_object (list), "items");
        g_autoptr(GPtrArray) ids = g_ptr_array_new ();
        g_autofree char *joined = NULL;

        for (guint i = 0; i < json_array_get_length (items); i++)
          g_ptr_array_add (ids, (gpointer) json_object_get_string_member (
                             json_array_get_object_element (items, i), "id"));
        g_ptr_array_add (ids, NULL);
        joined = g_strjoinv (",", (char **) ids->pdata);
        g_assert_cmpstr (joined, ==, users[u].sees);
      }
      /* R-APP-7: the sync pull shows exactly what the REST list and GET show (one
       * visibility filter, zg_records_append_visible). */
      pulled = pull_ids (f, users[u].token, NULL, &status, NULL, NULL);
      g_assert_cmpstr (pulled, ==, users[u].sees);   /* R-ACL-4: the cache gets nothing more */
    }

  {
    /* R-DATA-4: who created the record and when travels with it. */
    g_autoptr(ZgTestResponse) r = req (f, "GET", "/api/v1/certificates/" CERT_P, f->admin, NULL);
    g_autoptr(ZgTestResponse) p = req (f, "GET", "/api/v1/sync/pull?limit=1000", f->admin, NULL);
    JsonObject *o = zg_test_response_object (r);
    JsonArray *changes = json_object_get_array_member (zg_test_response_object (p), "changes");
    gboolean found = FALSE;

    g_assert_cmpint (json_object_get_int_member (o, "created_by"), >, 0);
    g_assert_cmpint (json_object_get_int_member (o, "created_at"), >, 0);
    g_assert_cmpint (json_object_get_int_member (o, "updated_by"), ==,
                     json_object_get_int_member (o, "created_by"));   /* the loop's last edit */
    for (guint i = 0; i < json_array_get_length (changes); i++)
      {
        JsonObject *c = json_array_get_object_element (changes, i);

        if (g_strcmp0 (json_object_get_string_member (c, "id"), CERT_P) == 0)
          {
            found = TRUE;
            g_assert_cmpint (json_object_get_int_member (c, "created_by"), ==,
                             json_object_get_int_member (o, "created_by"));
            g_assert_cmpint (json_object_get_int_member (c, "updated_at"), ==,
                             json_object_get_int_member (o, "updated_at"));
          }
      }
    g_assert_true (found);
  }

  /* Employees: company-A user sees A's employees only, in the pull too (R-ACL-4); without
   * the Mitarbeiter area the route refuses writes. */
  {
    guint status;
    g_autofree char *emps = pull_ids_of (f, "employee", f->hr_a, NULL, &status, NULL, NULL);
    g_autofree char *none = pull_ids_of (f, "employee", f->no_criteria, NULL, &status, NULL,
                                         NULL);
    g_autofree char *companies = pull_ids_of (f, "company", f->no_criteria, NULL, &status, NULL,
                                              NULL);

    g_assert_cmpstr (emps, ==, EMP_A "," EMP_SIG);
    g_assert_cmpstr (none, ==, "");
    g_assert_cmpstr (companies, ==, COMPANY_A "," COMPANY_B);   /* catalogue: every account */
  }
  expect_status (f, "GET", "/api/v1/employees/" EMP_A, f->hr_a, NULL, 200);
  expect_status (f, "GET", "/api/v1/employees/" EMP_B, f->hr_a, NULL, 404);
  expect_status (f, "PATCH", "/api/v1/employees/" EMP_B, f->hr_a,
                 "{\"fields\":{\"city\":\"Köln\"}}", 404);
  expect_status (f, "PATCH", "/api/v1/employees/" EMP_A, f->no_area,
                 "{\"fields\":{\"city\":\"Köln\"}}", 403);
  expect_status (f, "POST", "/api/v1/companies", f->no_area, "{\"name\":\"X\"}", 403);
  expect_status (f, "GET", "/api/v1/companies", f->no_area, NULL, 200);
  /* A company-A user cannot create an employee (or move one) into company B. */
  expect_status (f, "POST", "/api/v1/employees", f->hr_a,
                 "{\"first_name\":\"X\",\"last_name\":\"Y\",\"company_id\":\"" COMPANY_B "\"}",
                 403);
  expect_status (f, "PATCH", "/api/v1/employees/" EMP_A, f->hr_a,
                 "{\"fields\":{\"company_id\":\"" COMPANY_B "\"}}", 403);
  /* Only the creator or the Administrator criterion may unmark "private" (R-ACL-3). */
  expect_status (f, "PATCH", "/api/v1/certificates/" CERT_A, f->hr_a,
                 "{\"fields\":{\"private\":true}}", 403);
  expect_status (f, "PATCH", "/api/v1/certificates/" CERT_P, f->creator_a,
                 "{\"fields\":{\"private\":false}}", 200);
  expect_status (f, "GET", "/api/v1/certificates/" CERT_P, f->hr_a, NULL, 200);
}

/* R-ACL-4: a revoked right makes the next pull answer resync_required; the snapshot then
 * lacks the record; a record moved out of scope arrives as a removal. */
static void
test_revoke_purges (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *cursor = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *again = NULL;
  g_autofree char *removed = NULL;
  g_autofree char *cursor2 = NULL;
  guint status;

  ids = pull_ids (f, f->all_dims, NULL, &status, &cursor, NULL);
  g_assert_cmpstr (ids, ==, CERT_A "," CERT_B);
  g_free (ids);
  ids = pull_ids (f, f->all_dims, cursor, &status, &cursor2, &removed);
  g_assert_cmpstr (ids, ==, "");
  g_assert_cmpstr (removed, ==, "");
  g_clear_pointer (&removed, g_free);

  /* The employee of CERT_B moves to company A's scope edge: all-dims still sees it; the
   * company-A user gets it on the next incremental pull, and loses it when it moves back. */
  {
    g_autofree char *cur_a = NULL;
    g_autofree char *got = pull_ids (f, f->hr_a, NULL, &status, &cur_a, NULL);
    g_autofree char *got2 = NULL;
    g_autofree char *rem2 = NULL;
    g_autofree char *cur_b = NULL;

    g_assert_cmpstr (got, ==, CERT_A);
    expect_status (f, "PATCH", "/api/v1/employees/" EMP_B, f->admin,
                   "{\"fields\":{\"company_id\":\"" COMPANY_A "\"}}", 200);
    got2 = pull_ids (f, f->hr_a, cur_a, &status, &cur_b, &rem2);
    g_assert_cmpstr (got2, ==, CERT_B);
    g_assert_cmpstr (rem2, ==, "");
    g_free (got2);
    g_free (rem2);
    expect_status (f, "PATCH", "/api/v1/employees/" EMP_B, f->admin,
                   "{\"fields\":{\"company_id\":\"" COMPANY_B "\"}}", 200);
    got2 = pull_ids (f, f->hr_a, cur_b, &status, NULL, &rem2);
    g_assert_cmpstr (got2, ==, "");
    g_assert_true (strstr (rem2, CERT_B) != NULL);   /* purged from the cache */
    g_assert_true (strstr (rem2, EMP_B) != NULL);
    g_free (got2);
    g_free (rem2);
    /* all-dims saw the record all along: it gets the changes, never a removal. */
    got2 = pull_ids (f, f->all_dims, cursor2, &status, NULL, &rem2);
    g_assert_cmpstr (got2, ==, CERT_B);
    g_assert_cmpstr (rem2, ==, "");
  }

  /* Revoke: all-dims is restricted to company A. The old cursor is refused. */
  {
    gint64 uid = 0;

    {
      g_autoptr(ZgStmt) stmt = zg_storage_prepare (zg_server_get_storage (f->ts->server),
                                                   "SELECT id FROM users WHERE email = ?;",
                                                   NULL);

      g_assert_nonnull (stmt);
      g_assert_true (zg_stmt_bind_text (stmt, 1, "all@example.com"));
      g_assert_cmpint (zg_stmt_step (stmt, NULL), ==, SQLITE_ROW);
      uid = zg_stmt_column_int64 (stmt, 0);
    }
    set_criteria (f, uid, "{\"companies\":[\"" COMPANY_A "\"],\"locations\":\"all\","
                  "\"departments\":\"all\",\"org_units\":\"all\",\"employee_types\":\"all\"}");
  }
  again = pull_ids (f, f->all_dims, cursor2, &status, NULL, NULL);
  g_assert_null (again);
  g_assert_cmpuint (status, ==, 409);
  again = pull_ids (f, f->all_dims, NULL, &status, NULL, NULL);
  g_assert_cmpstr (again, ==, CERT_A);   /* CERT_B is not in the snapshot: purge it */
}

static JsonObject *
push (Fixture      *f,
      const char   *token,
      const char   *body,
      guint         expect)
{
  g_autoptr(ZgTestResponse) r = req (f, "POST", "/api/v1/sync/push", token, body);
  JsonObject *o;

  if (r->status != expect)
    g_test_message ("push -> %u %s", r->status, r->text);
  g_assert_cmpuint (r->status, ==, expect);
  o = zg_test_response_object (r);
  return o != NULL ? json_object_ref (o) : NULL;
}

static JsonObject *
result_at (JsonObject *answer,
           guint       i)
{
  return json_array_get_object_element (json_object_get_array_member (answer, "results"), i);
}

static gint64
cert_rev (Fixture    *f,
          const char *id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/certificates/%s", id);
  g_autoptr(ZgTestResponse) r = req (f, "GET", path, f->admin, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return json_object_get_int_member (zg_test_response_object (r), "rev");
}

/* Field-level merge: different fields merge, the same field conflicts (server wins, both
 * values returned); a client's own earlier mutation is no conflict with itself. */
static void
test_merge_and_conflicts (Fixture       *f,
                          gconstpointer  data)
{
  gint64 base = cert_rev (f, CERT_A);
  g_autofree char *b1 = NULL;
  g_autofree char *b2 = NULL;
  g_autofree char *b3 = NULL;
  g_autoptr(JsonObject) a1 = NULL;
  g_autoptr(JsonObject) a2 = NULL;
  g_autoptr(JsonObject) a3 = NULL;
  g_autoptr(ZgTestResponse) r = NULL;
  JsonObject *res, *conflict, *rec;

  b1 = g_strdup_printf ("{\"client_id\":\"client-one-0001\",\"mutations\":[{\"mutation_id\":1,"
                        "\"entity\":\"certificate\",\"id\":\"" CERT_A "\",\"base_rev\":%"
                        G_GINT64_FORMAT ",\"fields\":{\"daten.zeugnisdaten.position\":\"Leiterin\","
                        "\"daten.persoenliche_daten.city\":\"Köln\"}}]}", base);
  a1 = push (f, f->hr_a, b1, 200);
  g_assert_cmpstr (json_object_get_string_member (result_at (a1, 0), "status"), ==, "applied");

  /* Client two, offline on the same base: one field concurrently changed, one not. */
  b2 = g_strdup_printf ("{\"client_id\":\"client-two-0002\",\"mutations\":[{\"mutation_id\":7,"
                        "\"entity\":\"certificate\",\"id\":\"" CERT_A "\",\"base_rev\":%"
                        G_GINT64_FORMAT ",\"fields\":{\"daten.zeugnisdaten.position\":\"Referentin\","
                        "\"werdegang.weiterbildungen\":[\"SAP\"]}}]}", base);
  a2 = push (f, f->all_dims, b2, 200);
  res = result_at (a2, 0);
  g_assert_cmpstr (json_object_get_string_member (res, "status"), ==, "conflict");
  conflict = json_array_get_object_element (json_object_get_array_member (res, "conflicts"), 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (res, "conflicts")), ==,
                    1);
  g_assert_cmpstr (json_object_get_string_member (conflict, "field"), ==,
                   "daten.zeugnisdaten.position");
  g_assert_cmpstr (json_object_get_string_member (conflict, "server_value"), ==, "Leiterin");
  g_assert_cmpstr (json_object_get_string_member (conflict, "client_value"), ==, "Referentin");

  r = req (f, "GET", "/api/v1/certificates/" CERT_A, f->admin, NULL);
  rec = json_object_get_object_member (zg_test_response_object (r), "record");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (rec, "daten"), "zeugnisdaten"), "position"),
                   ==, "Leiterin");   /* server wins */
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (
                     json_object_get_object_member (rec, "werdegang"), "weiterbildungen"), 0),
                   ==, "SAP");        /* the other field merged */

  /* Client one edits the position again, still on its old base_rev: its own earlier change
   * is not a conflict (docs/client-cache.md question) — but client two's is, on another
   * field, so only that one would conflict. */
  b3 = g_strdup_printf ("{\"client_id\":\"client-one-0001\",\"mutations\":[{\"mutation_id\":2,"
                        "\"entity\":\"certificate\",\"id\":\"" CERT_A "\",\"base_rev\":%"
                        G_GINT64_FORMAT ",\"fields\":{\"daten.zeugnisdaten.position\":"
                        "\"Bereichsleiterin\"}}]}", base);
  a3 = push (f, f->hr_a, b3, 200);
  g_assert_cmpstr (json_object_get_string_member (result_at (a3, 0), "status"), ==, "applied");
  /* R-HIST-1: the history setting is off by default, so none of this was recorded. */
  g_assert_cmpint (count_rows (f, "certificate_history"), ==, 0);
}

/* Replays are acknowledged with the original result and not applied again; duplicate and
 * out-of-order ids; a client id belongs to one user. */
static void
test_replay (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) third = NULL;
  g_autoptr(ZgTestResponse) settings = NULL;
  gint64 base = cert_rev (f, CERT_A), rev, n_hist, n_applied;

  settings = req (f, "PATCH", "/api/v1/settings", f->admin, "{\"history_enabled\":true}");
  g_assert_cmpuint (settings->status, ==, 200);
  body = g_strdup_printf ("{\"client_id\":\"client-replay-1\",\"mutations\":["
                          "{\"mutation_id\":5,\"entity\":\"certificate\",\"id\":\"" CERT_A "\","
                          "\"base_rev\":%" G_GINT64_FORMAT ",\"fields\":{\"werdegang.vollmachten\":"
                          "[\"Prokura\"]}},"
                          "{\"mutation_id\":3,\"entity\":\"certificate\",\"id\":\"" CERT_A "\","
                          "\"base_rev\":%" G_GINT64_FORMAT ",\"fields\":{\"bewertung.erfolge\":"
                          "[\"Umsatz +20 %%\"]}},"
                          "{\"mutation_id\":5,\"entity\":\"certificate\",\"id\":\"" CERT_A "\","
                          "\"base_rev\":%" G_GINT64_FORMAT ",\"fields\":{\"werdegang.vollmachten\":"
                          "[\"Handlungsvollmacht\"]}}]}", base, base, base);
  first = push (f, f->hr_a, body, 200);
  g_assert_cmpstr (json_object_get_string_member (result_at (first, 0), "status"), ==, "applied");
  g_assert_cmpstr (json_object_get_string_member (result_at (first, 1), "status"), ==, "applied");
  /* The duplicate id inside the batch is the same mutation: not applied again. */
  g_assert_true (json_object_get_boolean_member (result_at (first, 2), "replayed"));
  rev = cert_rev (f, CERT_A);
  n_hist = count_rows (f, "certificate_history");
  n_applied = count_rows (f, "applied_mutations");
  g_assert_cmpint (n_hist, ==, 2);   /* R-HIST-1: one row per changed field */

  second = push (f, f->hr_a, body, 200);
  for (guint i = 0; i < 3; i++)
    g_assert_true (json_object_get_boolean_member (result_at (second, i), "replayed"));
  g_assert_cmpint (json_object_get_int_member (result_at (second, 1), "rev"), ==,
                   json_object_get_int_member (result_at (first, 1), "rev"));
  g_assert_cmpint (cert_rev (f, CERT_A), ==, rev);
  g_assert_cmpint (count_rows (f, "certificate_history"), ==, n_hist);
  g_assert_cmpint (count_rows (f, "applied_mutations"), ==, n_applied);

  /* Another user with the same client id is refused as a whole. */
  third = push (f, f->all_dims, body, 403);
  g_assert_cmpstr (json_object_get_string_member (third, "error"), ==, "client_id_taken");
  g_assert_cmpint (count_rows (f, "applied_mutations"), ==, n_applied);
  {
    g_autoptr(ZgTestResponse) h = req (f, "GET", "/api/v1/certificates/" CERT_A "/history",
                                       f->hr_a, NULL);
    JsonArray *items = json_object_get_array_member (zg_test_response_object (h), "items");

    g_assert_cmpuint (json_array_get_length (items), ==, 2);
  }
}

/* Bad input: clear error, nothing changed. */
static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  gint64 base = cert_rev (f, CERT_A);
  gint64 n_records = count_rows (f, "records");
  gint64 n_seq;
  const char *bad_fields[] = {
    "{\"daten.persoenliche_daten.nmae\":\"x\"}",          /* unknown field */
    "{\"daten\":{}}",                                      /* above a section */
    "{\"bewertung.bewertung.grades.wissen\":\"eins\"}",    /* wrong type */
    "{\"bewertung.bewertung.grades.wissen\":9}",           /* out of range */
    "{\"status\":\"issued\"}",                             /* no status of the workflow */
    "{\"id\":\"2b000000-0000-4000-8000-00000000000b\"}",    /* immutable: CERT_B */
    "{\"prozess.created.by\":\"1\"}",                      /* R-DATA-4: the server's */
    "{\"status\":\"completed\"}",                          /* draft -> completed: no step */
  };
  const char *bad_reasons[] = { "unknown_field", "unknown_field", "invalid_value",
                                "invalid_value", "invalid_value", "forbidden", "forbidden",
                                "invalid_transition" };
  g_autoptr(ZgTestResponse) r0 = req (f, "GET", "/api/v1/certificates/" CERT_A, f->admin, NULL);
  g_autofree char *before = g_strdup (r0->text);

  {
    g_autoptr(ZgStmt) s = zg_storage_prepare (zg_server_get_storage (f->ts->server),
                                              "SELECT value FROM sync_sequence;", NULL);
    g_assert_cmpint (zg_stmt_step (s, NULL), ==, SQLITE_ROW);
    n_seq = zg_stmt_column_int64 (s, 0);
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad_fields); i++)
    {
      g_autofree char *body = g_strdup_printf (
        "{\"client_id\":\"client-bad-0001\",\"mutations\":[{\"mutation_id\":%u,"
        "\"entity\":\"certificate\",\"id\":\"" CERT_A "\",\"base_rev\":%" G_GINT64_FORMAT
        ",\"fields\":%s}]}", i + 1, base, bad_fields[i]);
      g_autoptr(JsonObject) a = push (f, f->admin, body, 200);

      g_test_message ("%s", bad_fields[i]);
      g_assert_cmpstr (json_object_get_string_member (result_at (a, 0), "status"), ==, "rejected");
      g_assert_cmpstr (json_object_get_string_member (result_at (a, 0), "reason"), ==,
                       bad_reasons[i]);
    }
  {
    /* Unknown entity; invisible id answers like an unknown id (R-ACL-3). */
    g_autoptr(JsonObject) a = push (f, f->hr_a,
      "{\"client_id\":\"client-bad-0002\",\"mutations\":["
      "{\"mutation_id\":1,\"entity\":\"salary\",\"id\":\"" CERT_A "\",\"base_rev\":0,\"fields\":{\"x\":1}},"
      "{\"mutation_id\":2,\"entity\":\"certificate\",\"id\":\"" CERT_B "\",\"base_rev\":0,"
      "\"fields\":{\"werdegang.vollmachten\":[\"x\"]}},"
      "{\"mutation_id\":3,\"entity\":\"certificate\",\"id\":\"" UNKNOWN "\",\"base_rev\":0,"
      "\"fields\":{\"werdegang.vollmachten\":[\"x\"]}},"
      "{\"mutation_id\":4,\"entity\":\"certificate\",\"op\":\"delete\",\"id\":\"" CERT_P "\"},"
      "{\"mutation_id\":5,\"entity\":\"employee\",\"id\":\"" EMP_A "\",\"base_rev\":0,"
      "\"fields\":{\"salary\":1}},"
      "{\"mutation_id\":6,\"entity\":\"certificate\",\"id\":\"NOT-A-UUID\",\"base_rev\":0,"
      "\"fields\":{\"werdegang.vollmachten\":[\"x\"]}},"
      "{\"mutation_id\":8,\"entity\":\"certificate\",\"id\":\"" CERT_A "\",\"base_rev\":999999,"
      "\"fields\":{\"werdegang.vollmachten\":[\"x\"]}},"
      "{\"entity\":\"certificate\"}]}", 200);

    g_assert_cmpstr (json_object_get_string_member (result_at (a, 0), "reason"), ==,
                     "unknown_entity");
    g_assert_cmpstr (json_object_get_string_member (result_at (a, 1), "reason"), ==, "not_found");
    g_assert_cmpstr (json_object_get_string_member (result_at (a, 2), "reason"), ==, "not_found");
    g_assert_cmpstr (json_object_get_string_member (result_at (a, 1), "message"), ==,
                     json_object_get_string_member (result_at (a, 2), "message"));
    g_assert_cmpstr (json_object_get_string_member (result_at (a, 3), "reason"), ==, "not_found");
    g_assert_cmpstr (json_object_get_string_member (result_at (a, 4), "reason"), ==,
                     "unknown_field");
    g_assert_cmpstr (json_object_get_string_member (result_at (a, 5), "reason"), ==,
                     "invalid_mutation");
    g_assert_cmpstr (json_object_get_string_member (result_at (a, 6), "reason"), ==,
                     "invalid_base_rev");
    g_assert_cmpstr (json_object_get_string_member (result_at (a, 7), "reason"), ==,
                     "invalid_mutation");
  }
  {
    /* Huge array: more than ZG_SYNC_MAX_MUTATIONS mutations -> refused as a whole. */
    g_autoptr(GString) big = g_string_new ("{\"client_id\":\"client-bad-0003\",\"mutations\":[");

    for (guint i = 0; i < ZG_SYNC_MAX_MUTATIONS + 1; i++)
      g_string_append_printf (big, "%s{\"mutation_id\":%u}", i ? "," : "", i + 1);
    g_string_append (big, "]}");
    g_clear_pointer (&r0, zg_test_response_free);
    r0 = req (f, "POST", "/api/v1/sync/push", f->admin, big->str);
    g_assert_cmpuint (r0->status, ==, 413);
    g_assert_cmpstr (zg_test_response_error (r0), ==, "too_many_mutations");
  }
  {
    /* Invalid UTF-8 in the body -> 400 from the JSON reader. */
    static const char bad_utf8[] = "{\"client_id\":\"client-bad-0004\",\"mutations\":[{"
                                   "\"mutation_id\":1,\"entity\":\"certificate\",\"id\":\""
                                   CERT_A "\",\"base_rev\":0,\"fields\":{"
                                   "\"werdegang.vollmachten\":[\"\xff\xfe\"]}}]}";
    g_autoptr(ZgTestResponse) r = zg_test_request_raw (f->ts, "POST", "/api/v1/sync/push",
                                                       f->admin, "application/json", bad_utf8,
                                                       sizeof bad_utf8 - 1);

    g_assert_cmpuint (r->status, ==, 400);
  }
  {
    /* A \u0000 escape would cut the value short in json-glib: refused before parsing. */
    g_autofree char *body = g_strdup_printf (
      "{\"client_id\":\"client-bad-0006\",\"mutations\":[{\"mutation_id\":1,"
      "\"entity\":\"certificate\",\"id\":\"" CERT_A "\",\"base_rev\":%" G_GINT64_FORMAT
      ",\"fields\":{\"werdegang.vollmachten\":[\"Pro\\u0000kura\"]}}]}", base);
    g_autoptr(ZgTestResponse) r = req (f, "POST", "/api/v1/sync/push", f->admin, body);

    g_assert_cmpuint (r->status, ==, 400);
    g_assert_cmpstr (zg_test_response_error (r), ==, "invalid_json");
    g_clear_pointer (&r, zg_test_response_free);
    r = req (f, "PATCH", "/api/v1/certificates/" CERT_A, f->admin,
             "{\"fields\":{\"daten.zeugnisdaten.position\":\"A\\u0000B\"}}");
    g_assert_cmpuint (r->status, ==, 400);
  }
  /* A huge list inside a field is refused by the codec (lists <= 1000 entries). */
  {
    g_autoptr(GString) big = g_string_new (NULL);
    g_autoptr(JsonObject) a = NULL;

    g_string_printf (big, "{\"client_id\":\"client-bad-0005\",\"mutations\":[{\"mutation_id\":1,"
                     "\"entity\":\"certificate\",\"id\":\"" CERT_A "\",\"base_rev\":%"
                     G_GINT64_FORMAT ",\"fields\":{\"werdegang.vollmachten\":[", base);
    for (guint i = 0; i < 1001; i++)
      g_string_append_printf (big, "%s\"v\"", i ? "," : "");
    g_string_append (big, "]}}]}");
    a = push (f, f->admin, big->str, 200);
    g_assert_cmpstr (json_object_get_string_member (result_at (a, 0), "reason"), ==,
                     "invalid_value");
  }

  g_assert_cmpint (count_rows (f, "records"), ==, n_records);
  {
    g_autoptr(ZgStmt) s = zg_storage_prepare (zg_server_get_storage (f->ts->server),
                                              "SELECT value FROM sync_sequence;", NULL);
    g_assert_cmpint (zg_stmt_step (s, NULL), ==, SQLITE_ROW);
    g_assert_cmpint (zg_stmt_column_int64 (s, 0), ==, n_seq);   /* nothing committed */
  }
  g_clear_pointer (&r0, zg_test_response_free);
  r0 = req (f, "GET", "/api/v1/certificates/" CERT_A, f->admin, NULL);
  g_assert_cmpstr (r0->text, ==, before);
}

/* R-DEL-1, R-DEL-3, R-HIST-2: deletion, the referenced-employee rule, history removal and the
 * security log; an incremental pull reports the removal. */
static void
test_deletion (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *cursor = NULL;
  g_autofree char *removed = NULL;
  g_autofree char *ids = NULL;
  guint status;

  expect_status (f, "PATCH", "/api/v1/settings", f->admin, "{\"history_enabled\":true}", 200);
  g_free (pull_ids (f, f->hr_a, NULL, &status, &cursor, NULL));
  expect_status (f, "PATCH", "/api/v1/certificates/" CERT_A, f->hr_a,
                 "{\"fields\":{\"daten.unterschriften\":[{\"employee_id\":\"" EMP_SIG "\","
                 "\"name\":\"Sina Chefin\",\"function\":\"Leitung\"}]}}", 200);
  g_assert_cmpint (count_rows (f, "certificate_history"), ==, 1);
  /* R-DEL-3: the signatory and the certificate's own employee cannot be deleted. */
  expect_status (f, "DELETE", "/api/v1/employees/" EMP_SIG, f->admin, NULL, 409);
  expect_status (f, "DELETE", "/api/v1/employees/" EMP_A, f->admin, NULL, 409);
  /* R-DEL-1: the certificate can; its history goes with it (R-HIST-2). */
  expect_status (f, "DELETE", "/api/v1/certificates/" CERT_B, f->hr_a, NULL, 404);
  expect_status (f, "DELETE", "/api/v1/certificates/" CERT_A, f->hr_a, NULL, 204);
  g_assert_cmpint (count_rows (f, "certificate_history"), ==, 0);
  g_assert_cmpint (zg_test_count_audit (f->ts, "record_deleted"), ==, 1);
  expect_status (f, "GET", "/api/v1/certificates/" CERT_A, f->hr_a, NULL, 404);
  ids = pull_ids (f, f->hr_a, cursor, &status, NULL, &removed);
  g_assert_cmpstr (ids, ==, "");
  g_assert_cmpstr (removed, ==, CERT_A);
  /* With the certificate gone the signatory may be deleted. */
  expect_status (f, "DELETE", "/api/v1/employees/" EMP_SIG, f->admin, NULL, 204);
  g_assert_cmpint (zg_test_count_audit (f->ts, "record_deleted"), ==, 2);
}

/* R-DEL-2, R-DEL-4, R-HIST-2: automatic deletion after the configured periods, interim and
 * final separately, employees after exit unless referenced; idempotent; logged with counts. */
static void
test_automatic_deletion (Fixture       *f,
                         gconstpointer  data)
{
  ZgRetentionCounts c = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *removed = NULL;
  g_autofree char *ids = NULL;
  guint status;

  expect_status (f, "PATCH", "/api/v1/settings", f->admin, "{\"history_enabled\":true}", 200);
  expect_status (f, "POST", "/api/v1/employees", f->admin,
                 "{\"id\":\"1d000000-0000-4000-8000-00000000000d\",\"first_name\":\"Xaver\","
                 "\"last_name\":\"Alt\",\"company_id\":\"" COMPANY_A "\","
                 "\"entry_date\":\"2015-01-01\",\"exit_date\":\"2020-02-01\"}", 201);
  expect_status (f, "PATCH", "/api/v1/employees/" EMP_B, f->admin,
                 "{\"fields\":{\"entry_date\":\"2015-01-01\",\"exit_date\":\"2020-02-01\"}}",
                 200);
  expect_status (f, "POST", "/api/v1/certificates", f->admin,
                 "{\"id\":\"3a000000-0000-4000-8000-00000000000a\",\"daten\":{"
                 "\"persoenliche_daten\":{\"employee_id\":\"" EMP_A "\",\"last_name\":\"M\"},"
                 "\"zeugnisdaten\":{\"kind\":\"zwischenzeugnis\",\"issue_date\":\"2020-01-15\"}}}",
                 201);
  expect_status (f, "POST", "/api/v1/certificates", f->admin,
                 "{\"id\":\"3b000000-0000-4000-8000-00000000000b\",\"daten\":{"
                 "\"persoenliche_daten\":{\"employee_id\":\"" EMP_B "\",\"last_name\":\"B\"},"
                 "\"zeugnisdaten\":{\"kind\":\"endzeugnis\",\"issue_date\":\"2020-01-15\"}}}",
                 201);
  expect_status (f, "PATCH", "/api/v1/certificates/3a000000-0000-4000-8000-00000000000a", f->admin,
                 "{\"fields\":{\"bewertung.erfolge\":[\"x\"]}}", 200);
  g_free (pull_ids (f, f->admin, NULL, &status, &cursor, NULL));

  /* Nothing configured: nothing deleted (default 0 = never). */
  g_assert_true (zg_records_run_retention (f->ts->server, &c, &error));
  g_assert_no_error (error);
  g_assert_cmpint (c.interim + c.final + c.employees, ==, 0);

  expect_status (f, "PATCH", "/api/v1/settings", f->admin,
                 "{\"certificate_retention_months_interim\":12}", 200);
  g_assert_true (zg_records_run_retention (f->ts->server, &c, &error));
  g_assert_cmpint (c.interim, ==, 1);   /* the interim one only: separate periods */
  g_assert_cmpint (c.final, ==, 0);
  g_assert_cmpint (c.history_rows, >=, 1);   /* R-HIST-2 */
  expect_status (f, "GET", "/api/v1/certificates/3a000000-0000-4000-8000-00000000000a", f->admin,
                 NULL, 404);
  expect_status (f, "GET", "/api/v1/certificates/3b000000-0000-4000-8000-00000000000b", f->admin,
                 NULL, 200);

  expect_status (f, "PATCH", "/api/v1/settings", f->admin,
                 "{\"certificate_retention_months_final\":24,"
                 "\"employee_retention_months_after_exit\":12}", 200);
  /* The server's maintenance hook (at start and hourly) runs the job. */
  zg_server_run_maintenance (f->ts->server);
  expect_status (f, "GET", "/api/v1/certificates/3b000000-0000-4000-8000-00000000000b", f->admin,
                 NULL, 404);
  expect_status (f, "GET", "/api/v1/certificates/" CERT_A, f->admin, NULL, 200);   /* not due */
  /* Xaver goes; EMP_B stays: CERT_B references it (R-DEL-4). */
  expect_status (f, "GET", "/api/v1/employees/" EMP_B, f->admin, NULL, 200);
  expect_status (f, "GET", "/api/v1/employees/1d000000-0000-4000-8000-00000000000d", f->admin,
                 NULL, 404);

  /* Idempotent: a second run finds nothing; two log entries with counts. */
  g_assert_true (zg_records_run_retention (f->ts->server, &c, &error));
  g_assert_cmpint (c.interim + c.final + c.employees, ==, 0);
  g_assert_cmpint (zg_test_count_audit (f->ts, "records_expired"), ==, 2);
  g_assert_cmpint (count_rows (f, "certificate_history"), ==, 0);

  ids = pull_ids (f, f->admin, cursor, &status, NULL, &removed);
  g_assert_cmpstr (ids, ==, "");
  g_assert_cmpstr (removed, ==, "1d000000-0000-4000-8000-00000000000d,"
                   "3a000000-0000-4000-8000-00000000000a,3b000000-0000-4000-8000-00000000000b");
}

/* An empty incremental pull is cheap (issue 3 goal: < 10 ms server time). */
static void
test_empty_pull_cheap (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *cursor = NULL;
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;
  guint status;
  gint64 best = G_MAXINT64;

  g_free (pull_ids (f, f->all_dims, NULL, &status, &cursor, NULL));
  escaped = g_uri_escape_string (cursor, NULL, TRUE);
  path = g_strdup_printf ("/api/v1/sync/pull?cursor=%s", escaped);
  for (guint i = 0; i < 20; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(ZgTestResponse) r = req (f, "GET", path, f->all_dims, NULL);

      best = MIN (best, g_get_monotonic_time () - t0);
      g_assert_cmpuint (r->status, ==, 200);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                          zg_test_response_object (r), "changes")), ==, 0);
    }
  g_test_message ("empty incremental pull, round trip incl. TLS and session check: best %"
                  G_GINT64_FORMAT " µs", best);
  g_assert_cmpint (best, <, 50000);
}

static gint64
sequence_value (Fixture *f)
{
  g_autoptr(ZgStmt) s = zg_storage_prepare (zg_server_get_storage (f->ts->server),
                                            "SELECT value FROM sync_sequence;", NULL);

  g_assert_cmpint (zg_stmt_step (s, NULL), ==, SQLITE_ROW);
  return zg_stmt_column_int64 (s, 0);
}

/* The push route has its own body limit ([limits] max_push_bytes, 16 MiB): a batch of 1,000
 * creates (far over the general 64 KiB) is applied with the default configuration; a body over
 * the push limit is refused with 413 before it is read, and nothing changes; every other route
 * keeps the 64 KiB limit. */
static void
test_push_body_limit (Fixture       *f,
                      gconstpointer  data)
{
  gint64 n_records = count_rows (f, "records");
  gint64 n_seq;

  {
    g_autoptr(GString) body = g_string_new ("{\"client_id\":\"client-big-0001\",\"mutations\":[");
    g_autoptr(JsonObject) a = NULL;
    JsonArray *results;

    for (guint i = 0; i < 1000; i++)
      g_string_append_printf (body,
                              "%s{\"mutation_id\":%u,\"op\":\"create\",\"entity\":\"certificate\","
                              "\"id\":\"3a000000-0000-4000-8000-%012x\",\"fields\":{\"daten\":"
                              "{\"persoenliche_daten\":{\"employee_id\":\"" EMP_A "\","
                              "\"salutation\":\"frau\",\"first_name\":\"Erika\","
                              "\"last_name\":\"Muster\"},\"zeugnisdaten\":{\"kind\":\"endzeugnis\","
                              "\"language\":\"de\",\"position\":\"Buchhalterin\"}}}}",
                              i ? "," : "", i + 1, i);
    g_string_append (body, "]}");
    g_assert_cmpuint (body->len, >, ZG_HTTP_MAX_BODY_DEFAULT);
    a = push (f, f->admin, body->str, 200);
    results = json_object_get_array_member (a, "results");
    g_assert_cmpuint (json_array_get_length (results), ==, 1000);
    for (guint i = 0; i < 1000; i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, i),
                                                      "status"), ==, "applied");
    g_assert_cmpint (count_rows (f, "records"), ==, n_records + 1000);
  }

  n_records = count_rows (f, "records");
  n_seq = sequence_value (f);
  {
    /* A valid push whose body exceeds 16 MiB through one long value. */
    g_autoptr(GString) body = g_string_new ("{\"client_id\":\"client-big-0002\",\"mutations\":["
                                            "{\"mutation_id\":1,\"entity\":\"certificate\","
                                            "\"id\":\"" CERT_A "\",\"base_rev\":0,\"fields\":"
                                            "{\"daten.zeugnisdaten.position\":\"");
    g_autoptr(ZgTestResponse) r = NULL;

    while (body->len <= ZG_HTTP_MAX_PUSH_BODY_DEFAULT)
      g_string_append (body, "abcdefghijklmnopqrstuvwxyz0123456789");
    g_string_append (body, "\"}}]}");
    r = req (f, "POST", "/api/v1/sync/push", f->admin, body->str);
    g_assert_cmpuint (r->status, ==, 413);
    g_assert_cmpstr (zg_test_response_error (r), ==, "payload_too_large");
  }
  g_assert_cmpint (count_rows (f, "records"), ==, n_records);
  g_assert_cmpint (sequence_value (f), ==, n_seq);

  {
    /* Another JSON route still refuses more than 64 KiB. */
    g_autoptr(GString) body = g_string_new ("{\"id\":\"0c000000-0000-4000-8000-00000000000c\","
                                            "\"name\":\"");
    g_autoptr(ZgTestResponse) r = NULL;

    while (body->len <= ZG_HTTP_MAX_BODY_DEFAULT)
      g_string_append (body, "Gamma GmbH ");
    g_string_append (body, "\"}");
    r = req (f, "POST", "/api/v1/companies", f->admin, body->str);
    g_assert_cmpuint (r->status, ==, 413);
    g_assert_cmpstr (zg_test_response_error (r), ==, "payload_too_large");
  }
  g_assert_cmpint (count_rows (f, "records"), ==, n_records);
}

/* The record part of GET /api/v1/certificates/{id} (a new reference). */
static JsonObject *
get_record (Fixture    *f,
            const char *id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/certificates/%s", id);
  g_autoptr(ZgTestResponse) r = req (f, "GET", path, f->admin, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return json_object_ref (json_object_get_object_member (zg_test_response_object (r), "record"));
}

/* One update mutation of @client with extra mutation members (reopen, supervisor); returns
 * the result object (a new reference). */
static JsonObject *
push_one (Fixture    *f,
          const char *token,
          const char *client,
          guint       mutation_id,
          const char *id,
          gint64      base_rev,
          const char *fields,
          const char *extra)
{
  g_autofree char *body = g_strdup_printf ("{\"client_id\":\"%s\",\"mutations\":[{"
                                           "\"mutation_id\":%u,\"entity\":\"certificate\","
                                           "\"id\":\"%s\",\"base_rev\":%" G_GINT64_FORMAT ","
                                           "\"fields\":%s%s%s}]}", client, mutation_id, id,
                                           base_rev, fields, extra ? "," : "",
                                           extra ? extra : "");
  g_autoptr(JsonObject) a = push (f, token, body, 200);

  return json_object_ref (result_at (a, 0));
}

static void
assert_result (JsonObject *result,
               const char *status,
               const char *reason)
{
  if (g_strcmp0 (json_object_get_string_member (result, "status"), status) != 0 ||
      g_strcmp0 (json_object_get_string_member_with_default (result, "reason", NULL), reason))
    {
      g_autoptr(JsonNode) n = json_node_init_object (json_node_alloc (), result);
      g_autofree char *text = json_to_string (n, FALSE);

      g_error ("expected %s/%s, got %s", status, reason ? reason : "-", text);
    }
}

static JsonArray *
process_events (JsonObject *record)
{
  return json_object_get_array_member (json_object_get_object_member (record, "prozess"),
                                       "events");
}

static gint64
count_events (Fixture    *f,
              const char *certificate_id,
              const char *type)
{
  g_autoptr(ZgStmt) s = zg_storage_prepare (zg_server_get_storage (f->ts->server),
                                            "SELECT count(*) FROM certificate_events WHERE"
                                            " certificate_id = ? AND type = ?;", NULL);

  g_assert_true (zg_stmt_bind_text (s, 1, certificate_id) && zg_stmt_bind_text (s, 2, type));
  g_assert_cmpint (zg_stmt_step (s, NULL), ==, SQLITE_ROW);
  return zg_stmt_column_int64 (s, 0);
}

/* The status workflow (zg-workflow.h) on push and REST PATCH, one code path (R-APP-7):
 * allowed steps apply, others are invalid_transition with nothing changed; a reopen needs
 * "reopen": true; a completed certificate is read-only except the reopen; every status
 * change, handover and finish is recorded with user and time in the record's "prozess"
 * group (R-DATA-4), which clients receive with the record and cannot write. */
static void
test_status_workflow (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *admin_id = g_strdup_printf ("%" G_GINT64_FORMAT, f->ts->admin_id);
  g_autofree char *hr_id = g_strdup_printf ("%" G_GINT64_FORMAT, f->hr_a_id);
  g_autoptr(JsonObject) rec = get_record (f, CERT_A);
  JsonObject *created, *ev;
  gint64 rev;

  /* R-DATA-4: creation by whom and when, written by the server */
  created = json_object_get_object_member (json_object_get_object_member (rec, "prozess"),
                                           "created");
  g_assert_cmpstr (json_object_get_string_member (created, "by"), ==, admin_id);
  g_assert_cmpstr (json_object_get_string_member (created, "by_name"), ==, "Test Person");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (created, "at"), "Z"));
  g_assert_cmpuint (json_array_get_length (process_events (rec)), ==, 0);
  g_assert_cmpint (count_events (f, CERT_A, "created"), ==, 1);

  rev = cert_rev (f, CERT_A);
  {
    /* not a step: draft -> approved; nothing changes */
    g_autoptr(JsonObject) r = push_one (f, f->hr_a, "client-wf-0001", 1, CERT_A, rev,
                                        "{\"status\":\"approved\"}", NULL);

    assert_result (r, "rejected", "invalid_transition");
    g_assert_cmpint (cert_rev (f, CERT_A), ==, rev);
  }
  {
    /* draft -> review by push (an HR user who may edit it) */
    g_autoptr(JsonObject) r = push_one (f, f->hr_a, "client-wf-0001", 2, CERT_A, rev,
                                        "{\"status\":\"review\"}", NULL);
    g_autoptr(JsonObject) after = NULL;

    assert_result (r, "applied", NULL);
    after = get_record (f, CERT_A);
    g_assert_cmpstr (json_object_get_string_member (after, "status"), ==, "review");
    g_assert_cmpuint (json_array_get_length (process_events (after)), ==, 1);
    ev = json_array_get_object_element (process_events (after), 0);
    g_assert_cmpstr (json_object_get_string_member (ev, "type"), ==, "status");
    g_assert_cmpstr (json_object_get_string_member (ev, "from"), ==, "draft");
    g_assert_cmpstr (json_object_get_string_member (ev, "to"), ==, "review");
    g_assert_cmpstr (json_object_get_string_member (ev, "by"), ==, hr_id);
    g_assert_cmpstr (json_object_get_string_member (ev, "by_name"), ==, "Test Person");
    g_assert_cmpint (count_events (f, CERT_A, "status"), ==, 1);
  }
  /* review -> draft without the explicit reopen: refused (REST answers 409) */
  expect_status (f, "PATCH", "/api/v1/certificates/" CERT_A, f->hr_a,
                 "{\"fields\":{\"status\":\"draft\"}}", 409);
  /* "reopen" with an ordinary step is refused too */
  expect_status (f, "PATCH", "/api/v1/certificates/" CERT_A, f->hr_a,
                 "{\"fields\":{\"status\":\"approved\"},\"reopen\":true}", 409);
  expect_status (f, "PATCH", "/api/v1/certificates/" CERT_A, f->hr_a,
                 "{\"fields\":{\"status\":\"approved\"},\"reopen\":\"yes\"}", 400);
  /* review -> approved -> completed through REST PATCH, the same path as push (R-APP-7) */
  expect_status (f, "PATCH", "/api/v1/certificates/" CERT_A, f->hr_a,
                 "{\"fields\":{\"status\":\"approved\"}}", 200);
  expect_status (f, "PATCH", "/api/v1/certificates/" CERT_A, f->admin,
                 "{\"fields\":{\"status\":\"completed\"}}", 200);
  rev = cert_rev (f, CERT_A);
  {
    /* completed is read-only: content, and content together with the reopen, are refused */
    g_autoptr(JsonObject) r1 = push_one (f, f->hr_a, "client-wf-0001", 3, CERT_A, rev,
                                         "{\"werdegang.vollmachten\":[\"Prokura\"]}", NULL);
    g_autoptr(JsonObject) r2 = push_one (f, f->hr_a, "client-wf-0001", 4, CERT_A, rev,
                                         "{\"status\":\"draft\",\"ergebnis.text\":\"x\"}",
                                         "\"reopen\":true");
    g_autoptr(JsonObject) r3 = push_one (f, f->hr_a, "client-wf-0001", 5, CERT_A, rev,
                                         "{\"status\":\"draft\"}", NULL);

    assert_result (r1, "rejected", "forbidden");
    assert_result (r2, "rejected", "forbidden");
    assert_result (r3, "rejected", "invalid_transition");
    expect_status (f, "PATCH", "/api/v1/certificates/" CERT_A, f->hr_a,
                   "{\"fields\":{\"ergebnis.text\":\"Neu\"}}", 403);
    g_assert_cmpint (cert_rev (f, CERT_A), ==, rev);
  }
  {
    /* the explicit reopen: completed -> draft */
    g_autoptr(JsonObject) r = push_one (f, f->hr_a, "client-wf-0001", 6, CERT_A, rev,
                                        "{\"status\":\"draft\"}", "\"reopen\":true");
    g_autoptr(JsonObject) after = NULL;

    assert_result (r, "applied", NULL);
    after = get_record (f, CERT_A);
    g_assert_cmpstr (json_object_get_string_member (after, "status"), ==, "draft");
    g_assert_cmpuint (json_array_get_length (process_events (after)), ==, 4);
    ev = json_array_get_object_element (process_events (after), 3);
    g_assert_cmpstr (json_object_get_string_member (ev, "from"), ==, "completed");
    g_assert_cmpstr (json_object_get_string_member (ev, "to"), ==, "draft");
    g_assert_cmpint (count_events (f, CERT_A, "status"), ==, 4);
  }
  {
    /* HR hands over (the handover feature will do the same): status event and handover
     * event with the supervisor; the finish names the same supervisor */
    g_autoptr(JsonObject) r1 = push_one (f, f->hr_a, "client-wf-0001", 7, CERT_A,
                                         cert_rev (f, CERT_A), "{\"status\":\"handed-over\"}",
                                         "\"supervisor\":\"Dr. Max Weber\"");
    g_autoptr(JsonObject) r2 = push_one (f, f->hr_a, "client-wf-0001", 8, CERT_A,
                                         cert_rev (f, CERT_A),
                                         "{\"status\":\"handover-finished\"}", NULL);
    g_autoptr(JsonObject) r3 = push_one (f, f->hr_a, "client-wf-0001", 9, CERT_A,
                                         cert_rev (f, CERT_A), "{\"ergebnis.text\":\"x\"}",
                                         "\"supervisor\":\"Dr. Max Weber\"");
    g_autoptr(JsonObject) r4 = push_one (f, f->hr_a, "client-wf-0001", 10, CERT_A,
                                         cert_rev (f, CERT_A), "{\"status\":\"review\"}",
                                         "\"supervisor\":\"Dr. Max Weber\"");
    g_autoptr(JsonObject) after = NULL;
    JsonArray *events;

    assert_result (r1, "applied", NULL);
    assert_result (r2, "applied", NULL);
    assert_result (r3, "rejected", "invalid_mutation");
    assert_result (r4, "rejected", "invalid_mutation");
    after = get_record (f, CERT_A);
    events = process_events (after);
    g_assert_cmpuint (json_array_get_length (events), ==, 8);
    ev = json_array_get_object_element (events, 5);
    g_assert_cmpstr (json_object_get_string_member (ev, "type"), ==, "handover");
    g_assert_cmpstr (json_object_get_string_member (ev, "supervisor"), ==, "Dr. Max Weber");
    ev = json_array_get_object_element (events, 7);
    g_assert_cmpstr (json_object_get_string_member (ev, "type"), ==, "handover_finished");
    g_assert_cmpstr (json_object_get_string_member (ev, "supervisor"), ==, "Dr. Max Weber");
    g_assert_cmpint (count_events (f, CERT_A, "handover"), ==, 1);
    g_assert_cmpint (count_events (f, CERT_A, "handover_finished"), ==, 1);
  }
  /* the process data are the server's: no push, PATCH or create writes them */
  expect_status (f, "PATCH", "/api/v1/certificates/" CERT_A, f->admin,
                 "{\"fields\":{\"prozess\":{}}}", 403);
  expect_status (f, "POST", "/api/v1/certificates", f->admin,
                 "{\"id\":\"2d000000-0000-4000-8000-00000000000d\",\"daten\":{"
                 "\"persoenliche_daten\":{\"employee_id\":\"" EMP_A "\"}},\"prozess\":{"
                 "\"created\":{\"by\":\"99\",\"at\":\"2020-01-01T00:00:00Z\"}}}", 403);
  /* an invisible certificate's status is not found, never forbidden (R-ACL-3) */
  expect_status (f, "PATCH", "/api/v1/certificates/" CERT_B, f->hr_a,
                 "{\"fields\":{\"status\":\"review\"}}", 404);
  {
    /* clients receive the process data with the record in the pull */
    g_autoptr(ZgTestResponse) r = req (f, "GET", "/api/v1/sync/pull?limit=2000", f->hr_a, NULL);
    JsonArray *changes = json_object_get_array_member (zg_test_response_object (r), "changes");
    gboolean seen = FALSE;

    g_assert_cmpuint (r->status, ==, 200);
    for (guint i = 0; i < json_array_get_length (changes); i++)
      {
        JsonObject *c = json_array_get_object_element (changes, i);

        if (g_strcmp0 (json_object_get_string_member (c, "id"), CERT_A) != 0)
          continue;
        seen = TRUE;
        g_assert_cmpuint (json_array_get_length (process_events (
                            json_object_get_object_member (c, "record"))), ==, 8);
      }
    g_assert_true (seen);
  }
  /* deleting the certificate deletes its process events */
  expect_status (f, "DELETE", "/api/v1/certificates/" CERT_A, f->admin, NULL, 204);
  g_assert_cmpint (count_events (f, CERT_A, "status"), ==, 0);
  g_assert_cmpint (count_events (f, CERT_A, "created"), ==, 0);
}

/* A status changed by another client since base_rev is a conflict like any field (server
 * wins); the non-conflicting fields of the same mutation apply. */
static void
test_status_conflict (Fixture       *f,
                      gconstpointer  data)
{
  gint64 base = cert_rev (f, CERT_A);
  g_autoptr(JsonObject) r1 = push_one (f, f->hr_a, "client-st-0001", 1, CERT_A, base,
                                       "{\"status\":\"review\"}", NULL);
  g_autoptr(JsonObject) r2 = push_one (f, f->all_dims, "client-st-0002", 1, CERT_A, base,
                                       "{\"status\":\"handed-over\","
                                       "\"werdegang.vollmachten\":[\"Prokura\"]}", NULL);
  g_autoptr(JsonObject) rec = NULL;
  JsonObject *conflict;

  assert_result (r1, "applied", NULL);
  assert_result (r2, "conflict", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (r2, "conflicts")), ==,
                    1);
  conflict = json_array_get_object_element (json_object_get_array_member (r2, "conflicts"), 0);
  g_assert_cmpstr (json_object_get_string_member (conflict, "field"), ==, "status");
  g_assert_cmpstr (json_object_get_string_member (conflict, "server_value"), ==, "review");
  g_assert_cmpstr (json_object_get_string_member (conflict, "client_value"), ==, "handed-over");
  rec = get_record (f, CERT_A);
  g_assert_cmpstr (json_object_get_string_member (rec, "status"), ==, "review");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (
                     json_object_get_object_member (rec, "werdegang"), "vollmachten"), 0),
                   ==, "Prokura");
  /* only the applied status change was recorded */
  g_assert_cmpuint (json_array_get_length (process_events (rec)), ==, 1);
  g_assert_cmpint (count_events (f, CERT_A, "handover"), ==, 0);
}

/* The store functions other parts call: zg_records_set_status (demo data, later jobs) and
 * zg_records_note_handover (the handover feature): events with supervisor and time in the
 * record's process data and in certificate_events, in the caller's transaction. */
static void
test_store_functions (Fixture       *f,
                      gconstpointer  data)
{
  ZgServer *server = f->ts->server;
  ZgStorage *storage = zg_server_get_storage (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgRecordsCaller) caller = zg_records_caller_load (server, f->ts->admin_id,
                                                              ZG_TEST_ADMIN_EMAIL,
                                                              ZG_AREA_SET_ALL, &error);
  g_autoptr(ZgRecordsCaller) hr = zg_records_caller_load (server, f->hr_a_id,
                                                          "hr-a@example.com",
                                                          ZG_AREA_SET_ALL, &error);
  g_autoptr(JsonObject) r = NULL;
  g_autoptr(JsonObject) rec = NULL;
  JsonArray *events;
  gint64 rev = 0, before = cert_rev (f, CERT_A);

  g_assert_no_error (error);
  g_assert_true (zg_storage_begin (storage, &error));
  r = zg_records_set_status (server, caller, CERT_A, ZG_STATUS_REVIEW, FALSE, NULL, &error);
  g_assert_no_error (error);
  assert_result (r, "applied", NULL);
  g_clear_pointer (&r, json_object_unref);
  r = zg_records_set_status (server, caller, CERT_A, ZG_STATUS_COMPLETED, FALSE, NULL, &error);
  assert_result (r, "rejected", "invalid_transition");
  g_clear_pointer (&r, json_object_unref);
  /* the same rules as a push: an invisible certificate is not found */
  r = zg_records_set_status (server, hr, CERT_B, ZG_STATUS_REVIEW, FALSE, NULL, &error);
  assert_result (r, "rejected", "not_found");
  g_assert_true (zg_records_note_handover (server, CERT_A, ZG_PROCESS_HANDOVER, "Jana Groß",
                                           f->ts->admin_id, &rev, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rev, >, before);
  g_assert_true (zg_records_note_handover (server, CERT_A, ZG_PROCESS_HANDOVER_FINISHED, NULL,
                                           0, NULL, &error));
  g_assert_false (zg_records_note_handover (server, UNKNOWN, ZG_PROCESS_HANDOVER, "X", 0, NULL,
                                            &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (zg_storage_commit (storage, &error));

  rec = get_record (f, CERT_A);
  events = process_events (rec);
  g_assert_cmpuint (json_array_get_length (events), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 1),
                                                  "supervisor"), ==, "Jana Groß");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 1),
                                                  "by_name"), ==, "Test Person");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 2),
                                                  "type"), ==, "handover_finished");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 2),
                                                  "supervisor"), ==, "Jana Groß");
  g_assert_false (json_object_has_member (json_array_get_object_element (events, 2), "by"));
  g_assert_cmpstr (json_object_get_string_member (rec, "status"), ==, "review");
  g_assert_cmpint (count_events (f, CERT_A, "handover"), ==, 1);
  g_assert_cmpint (count_events (f, CERT_A, "handover_finished"), ==, 1);
}

/* Trimming (maintenance hook): removals and answered mutations older than sync_history_days
 * go and trimmed_seq rises: an incremental cursor from before answers 409 resync_required,
 * a fresh snapshot and its cursor work, a recent mutation is still answered as a replay. */
static void
test_trimming (Fixture       *f,
               gconstpointer  data)
{
  ZgServer *server = f->ts->server;
  g_autofree char *old_cursor = NULL;
  g_autofree char *fresh_cursor = NULL;
  g_autofree char *ids = NULL;
  g_autoptr(JsonObject) old = NULL;
  g_autoptr(JsonObject) recent = NULL;
  g_autoptr(JsonObject) replay = NULL;
  g_autoptr(JsonObject) replay_old = NULL;
  gint64 n_applied;
  guint status;

  g_free (pull_ids (f, f->all_dims, NULL, &status, &old_cursor, NULL));
  g_assert_cmpuint (status, ==, 200);
  old = push_one (f, f->admin, "client-trim-0001", 1, CERT_A, cert_rev (f, CERT_A),
                  "{\"werdegang.vollmachten\":[\"Prokura\"]}", NULL);
  assert_result (old, "applied", NULL);
  expect_status (f, "DELETE", "/api/v1/certificates/" CERT_B, f->admin, NULL, 204);
  g_assert_cmpint (count_rows (f, "removals"), >, 0);

  /* the default keeps everything for 90 days: a run now trims nothing */
  zg_server_run_maintenance (server);
  g_assert_cmpint (count_rows (f, "removals"), >, 0);
  g_assert_cmpint (count_rows (f, "applied_mutations"), ==, 1);
  g_free (pull_ids (f, f->all_dims, old_cursor, &status, NULL, NULL));
  g_assert_cmpuint (status, ==, 200);

  expect_status (f, "PATCH", "/api/v1/settings", f->admin, "{\"sync_history_days\":0}", 422);
  expect_status (f, "PATCH", "/api/v1/settings", f->admin, "{\"sync_history_days\":1}", 200);
  zg_server_set_clock_offset (server, 2 * 24 * 3600);
  /* two days later the sessions have expired: sign in again */
  g_free (f->admin);
  f->admin = zg_test_login (f->ts, ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD);
  g_free (f->all_dims);
  f->all_dims = zg_test_login (f->ts, "all@example.com", PW);
  recent = push_one (f, f->admin, "client-trim-0002", 1, CERT_A, cert_rev (f, CERT_A),
                     "{\"werdegang.vollmachten\":[\"Handlungsvollmacht\"]}", NULL);
  assert_result (recent, "applied", NULL);
  n_applied = count_rows (f, "applied_mutations");
  g_assert_cmpint (n_applied, ==, 2);

  zg_server_run_maintenance (server);
  g_assert_cmpint (count_rows (f, "removals"), ==, 0);
  g_assert_cmpint (count_rows (f, "applied_mutations"), ==, 1);   /* only the recent one */
  {
    g_autoptr(ZgStmt) st = zg_storage_prepare (zg_server_get_storage (server),
                                               "SELECT trimmed_seq FROM sync_sequence;", NULL);

    g_assert_cmpint (zg_stmt_step (st, NULL), ==, SQLITE_ROW);
    g_assert_cmpint (zg_stmt_column_int64 (st, 0), >, 0);
  }

  /* the old cursor lies below trimmed_seq: resync */
  g_free (pull_ids (f, f->all_dims, old_cursor, &status, NULL, NULL));
  g_assert_cmpuint (status, ==, 409);
  /* a fresh snapshot works, and so does its incremental cursor */
  ids = pull_ids (f, f->all_dims, NULL, &status, &fresh_cursor, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_null (strstr (ids, CERT_B));
  g_free (pull_ids (f, f->all_dims, fresh_cursor, &status, NULL, NULL));
  g_assert_cmpuint (status, ==, 200);

  /* the recent mutation is still acknowledged as a replay, not applied again */
  {
    gint64 rev = cert_rev (f, CERT_A);

    replay = push_one (f, f->admin, "client-trim-0002", 1, CERT_A, 1,
                       "{\"werdegang.vollmachten\":[\"Handlungsvollmacht\"]}", NULL);
    g_assert_true (json_object_get_boolean_member (replay, "replayed"));
    g_assert_cmpint (json_object_get_int_member (replay, "rev"), ==,
                     json_object_get_int_member (recent, "rev"));
    g_assert_cmpint (cert_rev (f, CERT_A), ==, rev);
  }
  /* the trimmed one is forgotten (documented limit: a client offline longer than the age
   * resyncs; its old mutation is merged again like a new one, here a conflict) */
  replay_old = push_one (f, f->admin, "client-trim-0001", 1, CERT_A,
                         json_object_get_int_member (old, "rev"),
                         "{\"werdegang.vollmachten\":[\"Prokura\"]}", NULL);
  g_assert_false (json_object_get_boolean_member_with_default (replay_old, "replayed", FALSE));
  assert_result (replay_old, "conflict", NULL);
}

/* Referential checks of master data: an employee's company, location, department, org unit
 * and employee type exist and the units belong to the company (invalid_reference); a company,
 * employee type or job profile still in use cannot be deleted, and a company keeps the units
 * its employees use (409 / referenced). Bad input changes nothing. */
static void
test_master_references (Fixture       *f,
                        gconstpointer  data)
{
#define COMPANY_C "0c000000-0000-4000-8000-00000000000c"
#define LOC_C     "4c000000-0000-4000-8000-00000000000c"
#define DEP_C     "5c000000-0000-4000-8000-00000000000c"
#define OU_C      "6c000000-0000-4000-8000-00000000000c"
#define TYPE_T    "7a000000-0000-4000-8000-00000000000a"
#define JOB_J     "8a000000-0000-4000-8000-00000000000a"
#define QUAL_Q    "8b000000-0000-4000-8000-00000000000b"
#define EMP_C     "1d000000-0000-4000-8000-00000000000d"
#define UNKNOWN2  "9e000000-0000-4000-8000-00000000009e"
  static const char *const bad_employees[] = {
    "\"company_id\":\"" UNKNOWN2 "\"",                                    /* no such company */
    "\"company_id\":\"" COMPANY_A "\",\"location_id\":\"" LOC_C "\"",     /* C's location */
    "\"location_id\":\"" LOC_C "\"",                                      /* no company */
    "\"company_id\":\"" COMPANY_C "\",\"department_id\":\"" UNKNOWN2 "\"",
    "\"company_id\":\"" COMPANY_C "\",\"org_unit_id\":\"" UNKNOWN2 "\"",
    "\"company_id\":\"" COMPANY_C "\",\"employee_type_id\":\"" UNKNOWN2 "\"",
    "\"employee_type_id\":\"" COMPANY_C "\"",                             /* a company id */
  };
  gint64 n_records;

  expect_status (f, "POST", "/api/v1/companies", f->admin,
                 "{\"id\":\"" COMPANY_C "\",\"name\":\"Gamma KG\",\"locations\":[{\"id\":\""
                 LOC_C "\",\"name\":\"Köln\"}],\"departments\":[{\"id\":\"" DEP_C "\","
                 "\"name\":\"Einkauf\"}],\"org_units\":[{\"id\":\"" OU_C "\",\"name\":\"Team\"}]}",
                 201);
  expect_status (f, "POST", "/api/v1/employee-types", f->admin,
                 "{\"id\":\"" TYPE_T "\",\"name\":\"Angestellte\",\"key\":\"angestellter\"}", 201);
  expect_status (f, "POST", "/api/v1/job-profiles", f->admin,
                 "{\"id\":\"" JOB_J "\",\"name\":\"Buchhalter\",\"tasks\":[\"Buchen\"]}", 201);
  expect_status (f, "POST", "/api/v1/qualifications", f->admin,
                 "{\"id\":\"" QUAL_Q "\",\"kind\":\"personal\",\"name\":\"Teamgeist\"}", 201);

  n_records = count_rows (f, "records");
  for (guint i = 0; i < G_N_ELEMENTS (bad_employees); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"id\":\"" EMP_C "\",\"first_name\":\"Ida\","
                                               "\"last_name\":\"Roth\",%s}", bad_employees[i]);
      g_autoptr(ZgTestResponse) r = req (f, "POST", "/api/v1/employees", f->admin, body);

      g_test_message ("%s", bad_employees[i]);
      g_assert_cmpuint (r->status, ==, 400);
      g_assert_cmpstr (zg_test_response_error (r), ==, "invalid_reference");
    }
  g_assert_cmpint (count_rows (f, "records"), ==, n_records);
  {
    /* the same through a push (one code path) */
    g_autoptr(JsonObject) a = push (f, f->admin,
      "{\"client_id\":\"client-ref-0001\",\"mutations\":[{\"mutation_id\":1,\"op\":\"create\","
      "\"entity\":\"employee\",\"id\":\"" EMP_C "\",\"fields\":{\"first_name\":\"Ida\","
      "\"last_name\":\"Roth\",\"company_id\":\"" UNKNOWN2 "\"}},"
      "{\"mutation_id\":2,\"op\":\"delete\",\"entity\":\"company\",\"id\":\"" COMPANY_A "\"}]}",
      200);

    assert_result (result_at (a, 0), "rejected", "invalid_reference");
    assert_result (result_at (a, 1), "rejected", "referenced");   /* EMP_A is in company A */
  }

  expect_status (f, "POST", "/api/v1/employees", f->admin,
                 "{\"id\":\"" EMP_C "\",\"first_name\":\"Ida\",\"last_name\":\"Roth\","
                 "\"company_id\":\"" COMPANY_C "\",\"location_id\":\"" LOC_C "\","
                 "\"department_id\":\"" DEP_C "\",\"org_unit_id\":\"" OU_C "\","
                 "\"employee_type_id\":\"" TYPE_T "\"}", 201);
  /* moving it to company A keeps C's units: refused, nothing changed */
  expect_status (f, "PATCH", "/api/v1/employees/" EMP_C, f->admin,
                 "{\"fields\":{\"company_id\":\"" COMPANY_A "\"}}", 400);
  /* a company keeps the units its employees use */
  expect_status (f, "PATCH", "/api/v1/companies/" COMPANY_C, f->admin,
                 "{\"fields\":{\"locations\":[]}}", 409);
  expect_status (f, "PATCH", "/api/v1/companies/" COMPANY_C, f->admin,
                 "{\"fields\":{\"org_units\":[{\"id\":\"" OU_C "\",\"name\":\"Team Nord\"}],"
                 "\"name\":\"Gamma KG (neu)\"}}", 200);
  expect_status (f, "DELETE", "/api/v1/companies/" COMPANY_C, f->admin, NULL, 409);
  expect_status (f, "DELETE", "/api/v1/employee-types/" TYPE_T, f->admin, NULL, 409);

  /* a job profile named by a certificate stays */
  expect_status (f, "PATCH", "/api/v1/certificates/" CERT_A, f->admin,
                 "{\"fields\":{\"werdegang.taetigkeiten\":{\"berufsbild\":\"" JOB_J "\","
                 "\"items\":[\"Buchen\"]}}}", 200);
  expect_status (f, "DELETE", "/api/v1/job-profiles/" JOB_J, f->admin, NULL, 409);
  expect_status (f, "PATCH", "/api/v1/certificates/" CERT_A, f->admin,
                 "{\"fields\":{\"werdegang.taetigkeiten\":{\"items\":[\"Buchen\"]}}}", 200);
  expect_status (f, "DELETE", "/api/v1/job-profiles/" JOB_J, f->admin, NULL, 204);
  /* qualifications are copied into certificates as text: nothing references them */
  expect_status (f, "DELETE", "/api/v1/qualifications/" QUAL_Q, f->admin, NULL, 204);

  /* once the employee is gone, company and type may go */
  expect_status (f, "DELETE", "/api/v1/employees/" EMP_C, f->admin, NULL, 204);
  expect_status (f, "DELETE", "/api/v1/employee-types/" TYPE_T, f->admin, NULL, 204);
  expect_status (f, "DELETE", "/api/v1/companies/" COMPANY_C, f->admin, NULL, 204);
}

/* R-APP-7: the REST single-record endpoints are thin wrappers over the push path: the same
 * change gives the same decision (push reason = REST error code), a REST change is a field
 * stamp that a push from another client conflicts with, and a REST PATCH with base_rev merges
 * like a push. */
static void
test_rest_and_push_one_path (Fixture       *f,
                             gconstpointer  data)
{
  static const struct
  {
    const char *id;
    const char *fields;
    const char *reason;   /* NULL = applied */
    guint       http;
  } cases[] = {
    { CERT_A, "{\"werdegang.vollmachten\":[\"Prokura\"]}", NULL, 200 },
    { CERT_A, "{\"daten.persoenliche_daten.nmae\":\"x\"}", "unknown_field", 400 },
    { CERT_A, "{\"bewertung.bewertung.grades.wissen\":9}", "invalid_value", 400 },
    { CERT_A, "{\"status\":\"approved\"}", "invalid_transition", 409 },
    { CERT_A, "{\"prozess\":{}}", "forbidden", 403 },
    { CERT_A, "{\"id\":\"" CERT_B "\"}", "forbidden", 403 },
    { CERT_B, "{\"werdegang.vollmachten\":[\"Prokura\"]}", "not_found", 404 },
    { UNKNOWN, "{\"werdegang.vollmachten\":[\"Prokura\"]}", "not_found", 404 },
  };
  gint64 base;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) r = push_one (f, f->hr_a, "client-r7-0001", i + 1, cases[i].id, 0,
                                          cases[i].fields, NULL);
      g_autofree char *path = g_strdup_printf ("/api/v1/certificates/%s", cases[i].id);
      g_autofree char *body = g_strdup_printf ("{\"fields\":%s}", cases[i].fields);
      g_autoptr(ZgTestResponse) rest = req (f, "PATCH", path, f->hr_a, body);

      g_test_message ("%s %s", cases[i].id, cases[i].fields);
      assert_result (r, cases[i].reason != NULL ? "rejected" : "applied", cases[i].reason);
      g_assert_cmpuint (rest->status, ==, cases[i].http);
      if (cases[i].reason != NULL)
        g_assert_cmpstr (zg_test_response_error (rest), ==, cases[i].reason);
    }

  /* a REST change since base_rev conflicts with another client's push on the same field */
  base = cert_rev (f, CERT_A);
  expect_status (f, "PATCH", "/api/v1/certificates/" CERT_A, f->hr_a,
                 "{\"fields\":{\"daten.zeugnisdaten.position\":\"Leiterin\"}}", 200);
  {
    g_autoptr(JsonObject) r = push_one (f, f->all_dims, "client-r7-0002", 1, CERT_A, base,
                                        "{\"daten.zeugnisdaten.position\":\"Referentin\"}", NULL);

    assert_result (r, "conflict", NULL);
  }
  /* and a REST PATCH with base_rev merges like a push: conflict 409, server value kept */
  {
    g_autofree char *body = g_strdup_printf ("{\"base_rev\":%" G_GINT64_FORMAT ",\"fields\":"
                                             "{\"daten.zeugnisdaten.position\":\"Azubi\"}}",
                                             base);
    g_autoptr(ZgTestResponse) r = req (f, "PATCH", "/api/v1/certificates/" CERT_A, f->all_dims,
                                       body);
    g_autoptr(JsonObject) rec = NULL;

    g_assert_cmpuint (r->status, ==, 409);
    g_assert_cmpstr (zg_test_response_error (r), ==, "conflict");
    rec = get_record (f, CERT_A);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                       json_object_get_object_member (rec, "daten"), "zeugnisdaten"), "position"),
                     ==, "Leiterin");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ("/Zeugnis/Server/Sync/" path, Fixture, NULL, fixture_set_up, \
                                  fn, fixture_tear_down)
  ADD ("permission-matrix-R-ACL-1-2-3-4", test_permission_matrix);
  ADD ("revoked-right-purges-R-ACL-4", test_revoke_purges);
  ADD ("merge-and-conflicts", test_merge_and_conflicts);
  ADD ("replay-not-reapplied-R-HIST-1", test_replay);
  ADD ("bad-input-nothing-changed", test_bad_input);
  ADD ("deletion-R-DEL-1-3-R-HIST-2", test_deletion);
  ADD ("automatic-deletion-R-DEL-2-4", test_automatic_deletion);
  ADD ("empty-incremental-pull-cheap", test_empty_pull_cheap);
  ADD ("push-body-limit", test_push_body_limit);
  ADD ("status-workflow-R-DATA-4-R-APP-7", test_status_workflow);
  ADD ("status-conflict", test_status_conflict);
  ADD ("store-functions-R-DATA-4", test_store_functions);
  ADD ("trimming-resync-required", test_trimming);
  ADD ("master-data-references", test_master_references);
  ADD ("rest-and-push-one-path-R-APP-7", test_rest_and_push_one_path);
#undef ADD
  return g_test_run ();
}
