/* api-roles.c — /api/v1/roles (area Rollen; R-ROLE-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "audit.h"
#include "http.h"
#include "storage.h"
#include "users.h"

#define ROLE_NAME_MAX 100

static void
internal_error (ZgRequest    *req,
                const GError *error)
{
  g_warning ("roles: %s", error != NULL ? error->message : "database error");
  zg_request_respond_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                            "The request could not be completed.");
}

static JsonObject *
role_from_row (ZgStmt *stmt)
{
  JsonObject *obj = json_object_new ();
  ZgAreaSet areas = (ZgAreaSet) zg_stmt_column_int64 (stmt, 2);

  json_object_set_int_member (obj, "id", zg_stmt_column_int64 (stmt, 0));
  json_object_set_string_member (obj, "name", zg_stmt_column_text (stmt, 1));
  json_object_set_member (obj, "areas", zg_area_set_to_json (areas));
  json_object_set_member (obj, "effective_areas", zg_area_set_to_json (zg_area_set_effective (areas)));
  json_object_set_boolean_member (obj, "builtin", zg_stmt_column_int64 (stmt, 3) != 0);
  json_object_set_int_member (obj, "user_count", zg_stmt_column_int64 (stmt, 4));
  return obj;
}

#define ROLE_SELECT \
  "SELECT r.id, r.name, r.areas, r.builtin," \
  " (SELECT count(*) FROM users u WHERE u.role_id = r.id) FROM roles r "

static JsonObject *
load_role (ZgServer *server,
           gint64    role_id,
           gboolean *out_builtin,
           ZgAreaSet *out_areas)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = zg_storage_prepare (zg_server_get_storage (server),
                                               ROLE_SELECT "WHERE r.id = ?1;", &error);

  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, role_id) ||
      zg_stmt_step (stmt, &error) != SQLITE_ROW)
    return NULL;
  if (out_builtin != NULL)
    *out_builtin = zg_stmt_column_int64 (stmt, 3) != 0;
  if (out_areas != NULL)
    *out_areas = (ZgAreaSet) zg_stmt_column_int64 (stmt, 2);
  return role_from_row (stmt);
}

static void
roles_list_cb (ZgRequest *req,
               gpointer   user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  g_autoptr(JsonArray) arr = json_array_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  int rc;

  stmt = zg_storage_prepare (zg_server_get_storage (zg_request_get_server (req)),
                             ROLE_SELECT "ORDER BY r.builtin DESC, r.name;", &error);
  if (stmt == NULL)
    {
      internal_error (req, error);
      return;
    }
  while ((rc = zg_stmt_step (stmt, &error)) == SQLITE_ROW)
    json_array_add_object_element (arr, role_from_row (stmt));
  if (rc < 0)
    {
      internal_error (req, error);
      return;
    }
  json_object_set_array_member (root, "roles", g_steal_pointer (&arr));
  zg_request_respond_object (req, SOUP_STATUS_OK, root);
}

static void
roles_get_cb (ZgRequest *req,
              gpointer   user_data)
{
  g_autoptr(JsonObject) role = NULL;
  gint64 id = 0;

  if (!zg_request_get_param_id (req, "id", &id))
    return;
  role = load_role (zg_request_get_server (req), id, NULL, NULL);
  if (role == NULL)
    {
      zg_request_respond_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such role.");
      return;
    }
  zg_request_respond_object (req, SOUP_STATUS_OK, role);
}

/* Reads name/areas from the body. Custom roles cannot carry Administrator (only the built-in
 * role does), and nobody grants areas they do not have. */
static gboolean
read_role_body (ZgRequest  *req,
                gboolean    required,
                char      **out_name,
                gboolean   *out_has_areas,
                ZgAreaSet  *out_areas)
{
  JsonObject *body = zg_request_get_body (req);
  g_autoptr(GError) error = NULL;
  const char *name = NULL;

  *out_name = NULL;
  *out_has_areas = FALSE;
  if (!zg_request_body_string (req, "name", required, ROLE_NAME_MAX, &name))
    return FALSE;
  if (name != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (name));
      gboolean clean = trimmed[0] != '\0';

      for (const char *p = trimmed; clean && *p; p = g_utf8_next_char (p))
        clean = !g_unichar_iscntrl (g_utf8_get_char (p));
      if (!clean)
        {
          zg_request_respond_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "validation_failed",
                                    "Field 'name' must not be empty or contain control characters.");
          return FALSE;
        }
      *out_name = g_steal_pointer (&trimmed);
    }
  if (json_object_has_member (body, "areas"))
    {
      if (!zg_area_set_from_json (json_object_get_member (body, "areas"), out_areas, &error))
        {
          zg_request_respond_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "validation_failed",
                                    error->message);
          g_clear_pointer (out_name, g_free);
          return FALSE;
        }
      *out_has_areas = TRUE;
    }
  else if (required)
    {
      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                "Field 'areas' is required.");
      g_clear_pointer (out_name, g_free);
      return FALSE;
    }
  if (*out_has_areas && (*out_areas & ZG_AREA_ADMINISTRATOR))
    {
      zg_request_respond_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "validation_failed",
                                "Only the built-in Administrator role grants the Administrator "
                                "area.");
      g_clear_pointer (out_name, g_free);
      return FALSE;
    }
  if (*out_has_areas && !zg_area_set_includes (zg_request_get_caller (req)->areas, *out_areas))
    {
      zg_request_respond_error (req, SOUP_STATUS_FORBIDDEN, "forbidden",
                                "You cannot grant areas you do not have yourself.");
      g_clear_pointer (out_name, g_free);
      return FALSE;
    }
  return TRUE;
}

static char *
areas_detail (const char *name,
              ZgAreaSet   areas)
{
  g_autoptr(GString) s = g_string_new (name);
  ZgArea all[ZG_N_AREAS];
  guint n = zg_area_list (all, G_N_ELEMENTS (all));
  gboolean first = TRUE;

  g_string_append (s, ": ");
  for (guint i = 0; i < n && i < G_N_ELEMENTS (all); i++)
    {
      if (!(areas & all[i]))
        continue;
      if (!first)
        g_string_append_c (s, ',');
      g_string_append (s, zg_area_get_id (all[i]));
      first = FALSE;
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
is_unique_violation (ZgServer *server)
{
  return sqlite3_extended_errcode (zg_storage_get_db (zg_server_get_storage (server))) ==
         SQLITE_CONSTRAINT_UNIQUE;
}

static void
roles_create_cb (ZgRequest *req,
                 gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  ZgStorage *storage = zg_server_get_storage (server);
  const ZgSessionCaller *caller = zg_request_get_caller (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  g_autoptr(JsonObject) role = NULL;
  g_autofree char *name = NULL;
  g_autofree char *detail = NULL;
  gboolean has_areas = FALSE;
  ZgAreaSet areas = 0;
  gint64 id;

  if (!read_role_body (req, TRUE, &name, &has_areas, &areas))
    return;
  stmt = zg_storage_prepare (storage,
                             "INSERT INTO roles (name, areas, builtin, created_at, updated_at)"
                             " VALUES (?1, ?2, 0, ?3, ?3);", &error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, name) ||
      !zg_stmt_bind_int64 (stmt, 2, areas) ||
      !zg_stmt_bind_int64 (stmt, 3, zg_server_now (server)))
    {
      internal_error (req, error);
      return;
    }
  if (!zg_stmt_run (stmt, &error))
    {
      if (is_unique_violation (server))
        zg_request_respond_error (req, SOUP_STATUS_CONFLICT, "name_taken",
                                  "A role with this name exists already.");
      else
        internal_error (req, error);
      return;
    }
  id = zg_storage_last_insert_id (storage);
  g_clear_pointer (&stmt, zg_stmt_release);
  detail = areas_detail (name, areas);
  zg_audit_log (server, caller->user_id, caller->email, zg_request_get_ip (req),
                ZG_AUDIT_ROLE_CREATED, detail);
  role = load_role (server, id, NULL, NULL);
  if (role == NULL)
    {
      internal_error (req, NULL);
      return;
    }
  zg_request_respond_object (req, SOUP_STATUS_CREATED, role);
}

static void
roles_update_cb (ZgRequest *req,
                 gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  const ZgSessionCaller *caller = zg_request_get_caller (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  g_autoptr(JsonObject) role = NULL;
  g_autofree char *name = NULL;
  g_autofree char *detail = NULL;
  gboolean has_areas = FALSE, builtin = FALSE;
  ZgAreaSet areas = 0, old_areas = 0;
  gint64 id = 0;

  if (!zg_request_get_param_id (req, "id", &id))
    return;
  role = load_role (server, id, &builtin, &old_areas);
  if (role == NULL)
    {
      zg_request_respond_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such role.");
      return;
    }
  if (builtin)
    {
      zg_request_respond_error (req, SOUP_STATUS_CONFLICT, "role_protected",
                                "The Administrator role cannot be changed.");
      return;
    }
  if (!zg_area_set_includes (caller->areas, old_areas))
    {
      zg_request_respond_error (req, SOUP_STATUS_FORBIDDEN, "forbidden",
                                "You cannot change a role with areas you do not have yourself.");
      return;
    }
  if (!read_role_body (req, FALSE, &name, &has_areas, &areas))
    return;

  stmt = zg_storage_prepare (zg_server_get_storage (server),
                             "UPDATE roles SET name = coalesce(?2, name),"
                             " areas = coalesce(?3, areas), updated_at = ?4 WHERE id = ?1;",
                             &error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, id) || !zg_stmt_bind_text (stmt, 2, name) ||
      !(has_areas ? zg_stmt_bind_int64 (stmt, 3, areas) : zg_stmt_bind_null (stmt, 3)) ||
      !zg_stmt_bind_int64 (stmt, 4, zg_server_now (server)))
    {
      internal_error (req, error);
      return;
    }
  if (!zg_stmt_run (stmt, &error))
    {
      if (is_unique_violation (server))
        zg_request_respond_error (req, SOUP_STATUS_CONFLICT, "name_taken",
                                  "A role with this name exists already.");
      else
        internal_error (req, error);
      return;
    }
  g_clear_pointer (&stmt, zg_stmt_release);
  /* Rights changed: every cached session re-reads its areas. */
  zg_sessions_invalidate_cache (server);
  g_clear_pointer (&role, json_object_unref);
  role = load_role (server, id, NULL, &areas);
  if (role == NULL)
    {
      internal_error (req, NULL);
      return;
    }
  detail = areas_detail (json_object_get_string_member (role, "name"), areas);
  zg_audit_log (server, caller->user_id, caller->email, zg_request_get_ip (req),
                ZG_AUDIT_ROLE_UPDATED, detail);
  zg_request_respond_object (req, SOUP_STATUS_OK, role);
}

static void
roles_delete_cb (ZgRequest *req,
                 gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  const ZgSessionCaller *caller = zg_request_get_caller (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  g_autoptr(JsonObject) role = NULL;
  gboolean builtin = FALSE;
  ZgAreaSet areas = 0;
  gint64 id = 0;

  if (!zg_request_get_param_id (req, "id", &id))
    return;
  role = load_role (server, id, &builtin, &areas);
  if (role == NULL)
    {
      zg_request_respond_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such role.");
      return;
    }
  if (builtin)
    {
      zg_request_respond_error (req, SOUP_STATUS_CONFLICT, "role_protected",
                                "The Administrator role cannot be deleted.");
      return;
    }
  if (!zg_area_set_includes (caller->areas, areas))
    {
      zg_request_respond_error (req, SOUP_STATUS_FORBIDDEN, "forbidden",
                                "You cannot delete a role with areas you do not have yourself.");
      return;
    }
  if (json_object_get_int_member (role, "user_count") > 0)
    {
      zg_request_respond_error (req, SOUP_STATUS_CONFLICT, "role_in_use",
                                "Users still have this role; assign them another role first.");
      return;
    }
  stmt = zg_storage_prepare (zg_server_get_storage (server), "DELETE FROM roles WHERE id = ?1;",
                             &error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, id) || !zg_stmt_run (stmt, &error))
    {
      internal_error (req, error);
      return;
    }
  zg_audit_log (server, caller->user_id, caller->email, zg_request_get_ip (req),
                ZG_AUDIT_ROLE_DELETED, json_object_get_string_member (role, "name"));
  zg_request_respond_empty (req, SOUP_STATUS_NO_CONTENT);
}

void
zg_roles_register_routes (ZgServer *server)
{
  zg_http_add_route (server, "GET", "/api/v1/roles", ZG_ROUTE_AUTHENTICATED, ZG_AREA_ROLLEN,
                     roles_list_cb, NULL);
  zg_http_add_route (server, "POST", "/api/v1/roles", ZG_ROUTE_JSON_BODY, ZG_AREA_ROLLEN,
                     roles_create_cb, NULL);
  zg_http_add_route (server, "GET", "/api/v1/roles/{id}", ZG_ROUTE_AUTHENTICATED, ZG_AREA_ROLLEN,
                     roles_get_cb, NULL);
  zg_http_add_route (server, "PATCH", "/api/v1/roles/{id}", ZG_ROUTE_JSON_BODY, ZG_AREA_ROLLEN,
                     roles_update_cb, NULL);
  zg_http_add_route (server, "DELETE", "/api/v1/roles/{id}", ZG_ROUTE_AUTHENTICATED,
                     ZG_AREA_ROLLEN, roles_delete_cb, NULL);
}
