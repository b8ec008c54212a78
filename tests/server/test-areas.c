/* test-areas.c — R-ROLE-1 / R-ROLE-2: every route enforces its area; roles and users API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "server-test-utils.h"

#define PW "Bergwiese-Kaffee-7"

static char *
concrete_path (const char *pattern,
               const char *id)
{
  g_auto(GStrv) parts = g_strsplit (pattern, "/", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '{')
        {
          g_free (parts[i]);
          parts[i] = g_strdup (id);
        }
    }
  return g_strjoinv ("/", parts);
}

static ZgTestResponse *
call_route (ZgTestServer      *ts,
            const ZgRouteInfo *route,
            const char        *token,
            const char        *id)
{
  g_autofree char *path = concrete_path (route->pattern, id);

  if (route->flags & ZG_ROUTE_JSON_BODY)
    return zg_test_request (ts, route->method, path, token, "{}");
  if (route->flags & ZG_ROUTE_FORM_BODY)
    return zg_test_request_raw (ts, route->method, path, token,
                                "application/x-www-form-urlencoded", "", 0);
  return zg_test_request (ts, route->method, path, token, NULL);
}

/* R-ROLE-2: iterate over the route table, so that routes added later are covered too. */
static void
test_every_route_enforces_its_area (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autoptr(GArray) routes = zg_http_list_routes (ts->server);
  g_autoptr(GHashTable) without_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GHashTable) with_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  guint n_area_routes = 0, n_auth_routes = 0;

  for (guint i = 0; i < routes->len; i++)
    {
      const ZgRouteInfo *route = &g_array_index (routes, ZgRouteInfo, i);
      g_autofree char *label = g_strdup_printf ("%s %s", route->method, route->pattern);

      g_test_message ("route %s (area %s)", label,
                      route->area != 0 ? zg_area_get_id (route->area) : "-");

      if (route->flags & ZG_ROUTE_PUBLIC)
        continue;

      /* Without a session: 401 everywhere. */
      {
        g_autoptr(ZgTestResponse) r = call_route (ts, route, NULL, "999999");

        g_assert_cmpuint (r->status, ==, 401);
        g_assert_cmpstr (zg_test_response_error (r), ==, "unauthorized");
      }
      n_auth_routes++;
      if (route->area == 0)
        continue;
      n_area_routes++;

      {
        /* Per area (not per route, to save hashing): a role with every area except this one
         * (and not Administrator), and a role with only this one. */
        const char *area_id = zg_area_get_id (route->area);
        const char *t_without = g_hash_table_lookup (without_tokens, area_id);
        const char *t_with = g_hash_table_lookup (with_tokens, area_id);
        g_autoptr(ZgTestResponse) denied = NULL;
        g_autoptr(ZgTestResponse) allowed = NULL;
        g_autoptr(ZgTestResponse) admin = NULL;

        if (t_without == NULL)
          {
            g_autofree char *role_name = g_strdup_printf ("ohne-%s", area_id);
            g_autofree char *role_name2 = g_strdup_printf ("nur-%s", area_id);
            g_autofree char *email_without = g_strdup_printf ("ohne-%s@example.com", area_id);
            g_autofree char *email_with = g_strdup_printf ("mit-%s@example.com", area_id);
            ZgAreaSet without = ZG_AREA_SET_ALL & ~(ZgAreaSet) ZG_AREA_ADMINISTRATOR &
                                ~(ZgAreaSet) route->area;

            zg_test_create_user (ts, email_without, PW, zg_test_create_role (ts, role_name, without));
            zg_test_create_user (ts, email_with, PW, zg_test_create_role (ts, role_name2, route->area));
            g_hash_table_insert (without_tokens, (gpointer) area_id,
                                 zg_test_login (ts, email_without, PW));
            g_hash_table_insert (with_tokens, (gpointer) area_id, zg_test_login (ts, email_with, PW));
            t_without = g_hash_table_lookup (without_tokens, area_id);
            t_with = g_hash_table_lookup (with_tokens, area_id);
          }

        denied = call_route (ts, route, t_without, "999999");
        g_test_message ("%s without area: %u", label, denied->status);
        g_assert_cmpuint (denied->status, ==, 403);
        g_assert_cmpstr (zg_test_response_error (denied), ==, "forbidden");

        /* With only that area the area check passes (the handler may still say 404/400). */
        allowed = call_route (ts, route, t_with, "999999");
        g_test_message ("%s with area: %u", label, allowed->status);
        g_assert_cmpuint (allowed->status, !=, 401);
        g_assert_cmpuint (allowed->status, !=, 403);

        /* Administrator implies every area (R-ROLE-1). */
        admin = call_route (ts, route, ts->admin_token, "999999");
        g_assert_cmpuint (admin->status, !=, 401);
        g_assert_cmpuint (admin->status, !=, 403);
      }
    }
  g_assert_cmpuint (n_area_routes, >=, 14);
  g_assert_cmpuint (n_auth_routes, >, n_area_routes);
}

static gint64
created_id (ZgTestResponse *r)
{
  return json_object_get_int_member (zg_test_response_object (r), "id");
}

/* R-ROLE-1: CRUD, the Administrator role is protected, custom roles cannot be admin. */
static void
test_roles_crud (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autoptr(ZgTestResponse) created = NULL;
  g_autoptr(ZgTestResponse) dup = NULL;
  g_autoptr(ZgTestResponse) bad_area = NULL;
  g_autoptr(ZgTestResponse) admin_area = NULL;
  g_autoptr(ZgTestResponse) patched = NULL;
  g_autoptr(ZgTestResponse) list = NULL;
  g_autoptr(ZgTestResponse) edit_admin = NULL;
  g_autoptr(ZgTestResponse) del_admin = NULL;
  g_autoptr(ZgTestResponse) in_use = NULL;
  g_autoptr(ZgTestResponse) deleted = NULL;
  g_autoptr(ZgTestResponse) gone = NULL;
  g_autofree char *path = NULL;
  gint64 id;

  created = zg_test_request (ts, "POST", "/api/v1/roles", ts->admin_token,
                             "{\"name\":\"Personalreferent\",\"areas\":[\"mitarbeiter\",\"brieftexte\"]}");
  g_assert_cmpuint (created->status, ==, 201);
  id = created_id (created);
  path = g_strdup_printf ("/api/v1/roles/%" G_GINT64_FORMAT, id);

  dup = zg_test_request (ts, "POST", "/api/v1/roles", ts->admin_token,
                         "{\"name\":\"personalreferent\",\"areas\":[]}");
  g_assert_cmpuint (dup->status, ==, 409);
  g_assert_cmpstr (zg_test_response_error (dup), ==, "name_taken");
  bad_area = zg_test_request (ts, "POST", "/api/v1/roles", ts->admin_token,
                              "{\"name\":\"X\",\"areas\":[\"gibtsnicht\"]}");
  g_assert_cmpuint (bad_area->status, ==, 422);
  admin_area = zg_test_request (ts, "POST", "/api/v1/roles", ts->admin_token,
                                "{\"name\":\"Zweitadmin\",\"areas\":[\"administrator\"]}");
  g_assert_cmpuint (admin_area->status, ==, 422);

  patched = zg_test_request (ts, "PATCH", path, ts->admin_token,
                             "{\"areas\":[\"mitarbeiter\",\"qualifikationen\"]}");
  g_assert_cmpuint (patched->status, ==, 200);
  {
    JsonArray *areas = json_object_get_array_member (zg_test_response_object (patched), "areas");

    g_assert_cmpuint (json_array_get_length (areas), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (areas, 1), ==, "qualifikationen");
  }

  list = zg_test_request (ts, "GET", "/api/v1/roles", ts->admin_token, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (zg_test_response_object (list),
                                                                          "roles")), ==, 2);

  edit_admin = zg_test_request (ts, "PATCH", "/api/v1/roles/1", ts->admin_token,
                                "{\"areas\":[\"mitarbeiter\"]}");
  g_assert_cmpuint (edit_admin->status, ==, 409);
  g_assert_cmpstr (zg_test_response_error (edit_admin), ==, "role_protected");
  del_admin = zg_test_request (ts, "DELETE", "/api/v1/roles/1", ts->admin_token, NULL);
  g_assert_cmpuint (del_admin->status, ==, 409);

  zg_test_create_user (ts, "ref@example.com", PW, id);
  in_use = zg_test_request (ts, "DELETE", path, ts->admin_token, NULL);
  g_assert_cmpuint (in_use->status, ==, 409);
  g_assert_cmpstr (zg_test_response_error (in_use), ==, "role_in_use");
  {
    g_autoptr(ZgUser) u = zg_users_find_by_email (ts->server, "ref@example.com", NULL);
    g_autofree char *upath = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, u->id);
    g_autoptr(ZgTestResponse) moved = zg_test_request (ts, "PATCH", upath, ts->admin_token,
                                                       "{\"role_id\": 1}");

    g_assert_cmpuint (moved->status, ==, 200);
  }
  deleted = zg_test_request (ts, "DELETE", path, ts->admin_token, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  gone = zg_test_request (ts, "GET", path, ts->admin_token, NULL);
  g_assert_cmpuint (gone->status, ==, 404);

  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_ROLE_CREATED), ==, 1);
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_ROLE_UPDATED), ==, 1);
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_ROLE_DELETED), ==, 1);
}

/* Nobody grants rights beyond their own; changed roles apply at once. */
static void
test_no_escalation (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  gint64 hr = zg_test_create_role (ts, "HR", ZG_AREA_BENUTZER | ZG_AREA_ROLLEN | ZG_AREA_MITARBEITER);
  gint64 small = zg_test_create_role (ts, "Klein", ZG_AREA_MITARBEITER);
  gint64 hr_user = zg_test_create_user (ts, "hr@example.com", PW, hr);
  g_autofree char *token = zg_test_login (ts, "hr@example.com", PW);
  g_autofree char *body_admin = g_strdup ("{\"email\":\"x@example.com\",\"first_name\":\"X\","
                                          "\"last_name\":\"Y\",\"role_id\":1}");
  g_autofree char *body_small = g_strdup_printf ("{\"email\":\"y@example.com\",\"first_name\":\"Y\","
                                                 "\"last_name\":\"Z\",\"role_id\":%" G_GINT64_FORMAT "}",
                                                 small);
  g_autofree char *own = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, hr_user);
  g_autofree char *admin_path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, ts->admin_id);
  g_autofree char *hr_role_path = g_strdup_printf ("/api/v1/roles/%" G_GINT64_FORMAT, hr);
  g_autofree char *hr_role_body = NULL;

  {
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "POST", "/api/v1/users", token, body_admin);

    g_assert_cmpuint (r->status, ==, 403);
  }
  {
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "PATCH", own, token, "{\"role_id\":1}");

    g_assert_cmpuint (r->status, ==, 403);
  }
  {
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "PATCH", admin_path, token,
                                                   "{\"email\":\"evil@example.com\"}");

    g_assert_cmpuint (r->status, ==, 403);
  }
  {
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "POST", "/api/v1/roles", token,
                                                   "{\"name\":\"Mehr\",\"areas\":[\"datenschutz\"]}");

    g_assert_cmpuint (r->status, ==, 403);
  }
  {
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "POST", "/api/v1/users", token, body_small);
    JsonObject *user;

    g_assert_cmpuint (r->status, ==, 201);
    user = zg_test_response_object (r);
    g_assert_cmpstr (json_object_get_string_member (user, "status"), ==, "invited");
    g_assert_false (json_object_get_boolean_member (user, "password_set"));
  }

  /* Taking Benutzer away from the role takes effect on the next request. */
  hr_role_body = g_strdup ("{\"areas\":[\"mitarbeiter\"]}");
  {
    g_autoptr(ZgTestResponse) before = zg_test_request (ts, "GET", "/api/v1/users", token, NULL);
    g_autoptr(ZgTestResponse) change = zg_test_request (ts, "PATCH", hr_role_path, ts->admin_token,
                                                        hr_role_body);
    g_autoptr(ZgTestResponse) after = zg_test_request (ts, "GET", "/api/v1/users", token, NULL);

    g_assert_cmpuint (before->status, ==, 200);
    g_assert_cmpuint (change->status, ==, 200);
    g_assert_cmpuint (after->status, ==, 403);
  }
}

static void
test_users_crud (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autoptr(ZgTestResponse) created = NULL;
  g_autoptr(ZgTestResponse) dup = NULL;
  g_autoptr(ZgTestResponse) invalid = NULL;
  g_autoptr(ZgTestResponse) patched = NULL;
  g_autoptr(ZgTestResponse) list = NULL;
  g_autoptr(ZgTestResponse) got = NULL;
  g_autoptr(ZgTestResponse) me = NULL;
  g_autofree char *path = NULL;
  JsonObject *obj;

  created = zg_test_request (ts, "POST", "/api/v1/users", ts->admin_token,
                             "{\"email\":\"Jörg.Müller@Example.com\",\"first_name\":\"Jörg\","
                             "\"last_name\":\"Müller\",\"role_id\":1,\"phone\":\"+49 30 1234\"}");
  g_assert_cmpuint (created->status, ==, 201);
  obj = zg_test_response_object (created);
  g_assert_cmpstr (json_object_get_string_member (obj, "email"), ==, "jörg.müller@example.com");
  g_assert_cmpstr (json_object_get_string_member (obj, "last_name"), ==, "Müller");
  path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, json_object_get_int_member (obj, "id"));

  dup = zg_test_request (ts, "POST", "/api/v1/users", ts->admin_token,
                         "{\"email\":\"jörg.müller@example.com\",\"first_name\":\"A\","
                         "\"last_name\":\"B\",\"role_id\":1}");
  g_assert_cmpuint (dup->status, ==, 409);
  g_assert_cmpstr (zg_test_response_error (dup), ==, "email_taken");
  invalid = zg_test_request (ts, "POST", "/api/v1/users", ts->admin_token,
                             "{\"email\":\"kein-at-zeichen\",\"first_name\":\"A\","
                             "\"last_name\":\"B\",\"role_id\":1}");
  g_assert_cmpuint (invalid->status, ==, 422);

  patched = zg_test_request (ts, "PATCH", path, ts->admin_token,
                             "{\"first_name\":\"Jürgen\",\"phone\":null}");
  g_assert_cmpuint (patched->status, ==, 200);
  obj = zg_test_response_object (patched);
  g_assert_cmpstr (json_object_get_string_member (obj, "first_name"), ==, "Jürgen");
  g_assert_true (json_object_get_null_member (obj, "phone"));

  got = zg_test_request (ts, "GET", path, ts->admin_token, NULL);
  g_assert_cmpuint (got->status, ==, 200);
  list = zg_test_request (ts, "GET", "/api/v1/users", ts->admin_token, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (zg_test_response_object (list),
                                                                          "users")), ==, 2);

  /* /me reflects the caller's own change at once (cache invalidated). */
  {
    g_autofree char *admin_path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, ts->admin_id);
    g_autoptr(ZgTestResponse) r0 = zg_test_request (ts, "GET", "/api/v1/me", ts->admin_token, NULL);
    g_autoptr(ZgTestResponse) r1 = zg_test_request (ts, "PATCH", admin_path, ts->admin_token,
                                                    "{\"last_name\":\"Neuname\"}");

    g_assert_cmpuint (r0->status, ==, 200);
    g_assert_cmpuint (r1->status, ==, 200);
    me = zg_test_request (ts, "GET", "/api/v1/me", ts->admin_token, NULL);
    g_assert_cmpstr (json_object_get_string_member (zg_test_response_object (me), "last_name"), ==,
                     "Neuname");
  }
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_USER_CREATED), ==, 1);
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_USER_UPDATED), ==, 2);
}

static void
test_area_model (void)
{
  ZgArea all[ZG_N_AREAS];
  guint n = zg_area_list (all, G_N_ELEMENTS (all));
  ZgAreaSet set = 0;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (n, ==, 15);
  for (guint i = 0; i < n; i++)
    {
      ZgArea back;

      g_assert_true (zg_area_from_id (zg_area_get_id (all[i]), &back));
      g_assert_cmpuint (back, ==, all[i]);
      g_assert_true (zg_area_set_grants (ZG_AREA_ADMINISTRATOR, all[i]));
      g_assert_false (zg_area_set_grants (0, all[i]));
    }
  g_assert_false (zg_area_set_grants (ZG_AREA_BENUTZER, ZG_AREA_ROLLEN));
  g_assert_true (zg_area_set_includes (ZG_AREA_ADMINISTRATOR, ZG_AREA_SET_ALL));
  g_assert_false (zg_area_set_includes (ZG_AREA_SET_ALL & ~(ZgAreaSet) ZG_AREA_ADMINISTRATOR,
                                        ZG_AREA_ADMINISTRATOR));
  json = zg_area_set_to_json (ZG_AREA_BENUTZER | ZG_AREA_EMAIL_VORLAGEN);
  g_assert_true (zg_area_set_from_json (json, &set, &error));
  g_assert_cmpuint (set, ==, ZG_AREA_BENUTZER | ZG_AREA_EMAIL_VORLAGEN);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Zeugnis/Server/Areas/model", test_area_model);
  g_test_add_func ("/Zeugnis/Server/Areas/R-ROLE-2-every-route-enforced",
                   test_every_route_enforces_its_area);
  g_test_add_func ("/Zeugnis/Server/Areas/R-ROLE-1-roles-crud", test_roles_crud);
  g_test_add_func ("/Zeugnis/Server/Areas/no-escalation", test_no_escalation);
  g_test_add_func ("/Zeugnis/Server/Areas/R-USER-1-users-crud", test_users_crud);

  return g_test_run ();
}
