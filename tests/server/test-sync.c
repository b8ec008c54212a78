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
    "{\"status\":\"issued\"}",                             /* workflow only */
    "{\"id\":\"2b000000-0000-4000-8000-00000000000b\"}",    /* immutable: CERT_B */
  };
  const char *bad_reasons[] = { "unknown_field", "unknown_field", "invalid_value",
                                "invalid_value", "forbidden", "forbidden" };
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
#undef ADD
  return g_test_run ();
}
