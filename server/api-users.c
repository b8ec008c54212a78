/* api-users.c — /api/v1/users (area Benutzer; R-USER-1, R-USER-2, R-AUDIT-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "audit.h"
#include "http.h"
#include "storage.h"
#include "users.h"
#include "zg-server-private.h"

#define NAME_MAX_CHARS 100

static gboolean
text_is_clean (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        return FALSE;
    }
  return TRUE;
}

/* Names: 1..100 characters after trimming, no control characters. */
static gboolean
body_name (ZgRequest   *req,
           const char  *member,
           gboolean     required,
           char       **out)
{
  const char *value = NULL;
  g_autofree char *trimmed = NULL;

  *out = NULL;
  if (!zg_request_body_string (req, member, required, NAME_MAX_CHARS, &value))
    return FALSE;
  if (value == NULL)
    return TRUE;
  trimmed = g_strstrip (g_strdup (value));
  if (trimmed[0] == '\0' || !text_is_clean (trimmed))
    {
      g_autofree char *msg = g_strdup_printf ("Field '%s' must not be empty or contain control "
                                              "characters.", member);

      zg_request_respond_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "validation_failed", msg);
      return FALSE;
    }
  *out = g_steal_pointer (&trimmed);
  return TRUE;
}

static gboolean
body_phone (ZgRequest  *req,
            char      **out)
{
  const char *value = NULL;

  *out = NULL;
  if (!zg_request_body_string (req, "phone", FALSE, 32, &value))
    return FALSE;
  if (value == NULL || value[0] == '\0')
    return TRUE;
  for (const char *p = value; *p; p++)
    {
      if (!g_ascii_isdigit (*p) && !strchr ("+ -/()", *p))
        {
          zg_request_respond_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "validation_failed",
                                    "Field 'phone' may contain digits, spaces and + - / ( ) only.");
          return FALSE;
        }
    }
  *out = g_strdup (value);
  return TRUE;
}

static gboolean
body_email (ZgRequest   *req,
            gboolean     required,
            char       **out)
{
  const char *value = NULL;
  g_autofree char *normalized = NULL;

  *out = NULL;
  if (!zg_request_body_string (req, "email", required, 254, &value))
    return FALSE;
  if (value == NULL)
    return TRUE;
  normalized = zg_users_normalize_email (value);
  if (normalized == NULL || !zg_users_email_is_valid (normalized))
    {
      zg_request_respond_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "validation_failed",
                                "Field 'email' is not a valid e-mail address.");
      return FALSE;
    }
  *out = g_steal_pointer (&normalized);
  return TRUE;
}

static gboolean
role_areas (ZgServer  *server,
            gint64     role_id,
            ZgAreaSet *out_areas)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = zg_storage_prepare (zg_server_get_storage (server),
                                               "SELECT areas FROM roles WHERE id = ?1;", &error);

  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, role_id) ||
      zg_stmt_step (stmt, &error) != SQLITE_ROW)
    return FALSE;
  *out_areas = (ZgAreaSet) zg_stmt_column_int64 (stmt, 0);
  return TRUE;
}

/* Nobody hands out or manages rights beyond their own (no escalation through Benutzer). */
static gboolean
check_role_assignable (ZgRequest *req,
                       gint64     role_id)
{
  ZgAreaSet areas = 0;

  if (!role_areas (zg_request_get_server (req), role_id, &areas))
    {
      zg_request_respond_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "validation_failed",
                                "Field 'role_id' does not name an existing role.");
      return FALSE;
    }
  if (!zg_area_set_includes (zg_request_get_caller (req)->areas, areas))
    {
      zg_request_respond_error (req, SOUP_STATUS_FORBIDDEN, "forbidden",
                                "You cannot assign a role with areas you do not have yourself.");
      return FALSE;
    }
  return TRUE;
}

/* Loads the user of the path; answers 404 / 403 itself. */
static ZgUser *
load_target (ZgRequest *req)
{
  ZgServer *server = zg_request_get_server (req);
  g_autoptr(ZgUser) user = NULL;
  gint64 id = 0;

  if (!zg_request_get_param_id (req, "id", &id))
    return NULL;
  user = zg_users_find_by_id (server, id, NULL);
  if (user == NULL)
    {
      zg_request_respond_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such user.");
      return NULL;
    }
  if (!zg_area_set_includes (zg_request_get_caller (req)->areas, user->role_areas))
    {
      zg_request_respond_error (req, SOUP_STATUS_FORBIDDEN, "forbidden",
                                "You cannot manage a user with more rights than your own.");
      return NULL;
    }
  return g_steal_pointer (&user);
}

static void
respond_user (ZgRequest *req,
              guint      status,
              gint64     user_id)
{
  g_autoptr(ZgUser) user = zg_users_find_by_id (zg_request_get_server (req), user_id, NULL);
  g_autoptr(JsonNode) node = NULL;

  if (user == NULL)
    {
      zg_request_respond_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such user.");
      return;
    }
  node = zg_user_to_json (user);
  zg_request_respond_json (req, status, node);
}

static void
internal_error (ZgRequest    *req,
                const GError *error)
{
  g_warning ("users: %s", error != NULL ? error->message : "database error");
  zg_request_respond_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                            "The request could not be completed.");
}

static void
users_list_cb (ZgRequest *req,
               gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  g_autoptr(JsonArray) arr = json_array_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  stmt = zg_storage_prepare (zg_server_get_storage (server),
                             "SELECT id FROM users ORDER BY last_name, first_name, id;", &error);
  if (stmt == NULL)
    {
      internal_error (req, error);
      return;
    }
  while ((rc = zg_stmt_step (stmt, &error)) == SQLITE_ROW)
    {
      gint64 id = zg_stmt_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  g_clear_pointer (&stmt, zg_stmt_release);
  if (rc < 0)
    {
      internal_error (req, error);
      return;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(ZgUser) user = zg_users_find_by_id (server, g_array_index (ids, gint64, i), NULL);

      if (user != NULL)
        json_array_add_element (arr, zg_user_to_json (user));
    }
  json_object_set_array_member (root, "users", g_steal_pointer (&arr));
  zg_request_respond_object (req, SOUP_STATUS_OK, root);
}

static void
users_get_cb (ZgRequest *req,
              gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  g_autoptr(ZgUser) user = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 id = 0;

  if (!zg_request_get_param_id (req, "id", &id))
    return;
  user = zg_users_find_by_id (server, id, NULL);
  if (user == NULL)
    {
      zg_request_respond_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such user.");
      return;
    }
  node = zg_user_to_json (user);
  zg_request_respond_json (req, SOUP_STATUS_OK, node);
}

/* POST /api/v1/users: an invited user without password (R-USER-1). */
static void
users_create_cb (ZgRequest *req,
                 gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  const ZgSessionCaller *caller = zg_request_get_caller (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  g_autofree char *first_name = NULL;
  g_autofree char *last_name = NULL;
  g_autofree char *phone = NULL;
  gint64 role_id = 0, user_id;

  if (!body_email (req, TRUE, &email) ||
      !body_name (req, "first_name", TRUE, &first_name) ||
      !body_name (req, "last_name", TRUE, &last_name) ||
      !body_phone (req, &phone) ||
      !zg_request_body_int (req, "role_id", TRUE, &role_id, NULL) ||
      !check_role_assignable (req, role_id))
    return;

  user_id = zg_users_create (server, email, first_name, last_name, phone, role_id, NULL, &error);
  if (user_id == 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        zg_request_respond_error (req, SOUP_STATUS_CONFLICT, "email_taken",
                                  "A user with this e-mail address exists already.");
      else
        internal_error (req, error);
      return;
    }
  zg_audit_log (server, caller->user_id, caller->email, zg_request_get_ip (req),
                ZG_AUDIT_USER_CREATED, email);

  /* R-USER-1: the registration e-mail is sent from here (hooks of helper "mail"). */
  _zg_users_emit_created (server, user_id, zg_request_get_ip (req));

  respond_user (req, SOUP_STATUS_CREATED, user_id);
}

static gboolean
is_admin_role (ZgServer *server,
               gint64    role_id)
{
  ZgAreaSet areas = 0;

  return role_areas (server, role_id, &areas) && (areas & ZG_AREA_ADMINISTRATOR) != 0;
}

/* PATCH /api/v1/users/{id} {email?, first_name?, last_name?, phone?, role_id?} */
static void
users_update_cb (ZgRequest *req,
                 gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  ZgStorage *storage = zg_server_get_storage (server);
  const ZgSessionCaller *caller = zg_request_get_caller (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgUser) user = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  g_autoptr(GString) changed = g_string_new (NULL);
  g_autofree char *email = NULL;
  g_autofree char *first_name = NULL;
  g_autofree char *last_name = NULL;
  g_autofree char *phone = NULL;
  gboolean has_role = FALSE, phone_given;
  gint64 role_id = 0;

  if ((user = load_target (req)) == NULL)
    return;
  if (!body_email (req, FALSE, &email) ||
      !body_name (req, "first_name", FALSE, &first_name) ||
      !body_name (req, "last_name", FALSE, &last_name) ||
      !body_phone (req, &phone) ||
      !zg_request_body_int (req, "role_id", FALSE, &role_id, &has_role))
    return;
  if (has_role && !check_role_assignable (req, role_id))
    return;
  if (has_role && user->active && (user->role_areas & ZG_AREA_ADMINISTRATOR) &&
      !is_admin_role (server, role_id) && zg_users_count_active_admins (server) <= 1)
    {
      zg_request_respond_error (req, SOUP_STATUS_CONFLICT, "last_admin",
                                "The last active administrator must keep the Administrator role.");
      return;
    }
  phone_given = json_object_has_member (zg_request_get_body (req), "phone");

#define NOTE(field, cond) G_STMT_START { if (cond) { if (changed->len) g_string_append_c (changed, ','); g_string_append (changed, field); } } G_STMT_END
  NOTE ("email", email != NULL && g_strcmp0 (email, user->email) != 0);
  NOTE ("first_name", first_name != NULL && g_strcmp0 (first_name, user->first_name) != 0);
  NOTE ("last_name", last_name != NULL && g_strcmp0 (last_name, user->last_name) != 0);
  NOTE ("phone", phone_given && g_strcmp0 (phone, user->phone) != 0);
  NOTE ("role", has_role && role_id != user->role_id);
#undef NOTE

  stmt = zg_storage_prepare (storage,
                             "UPDATE users SET email = coalesce(?2, email),"
                             " first_name = coalesce(?3, first_name),"
                             " last_name = coalesce(?4, last_name),"
                             " phone = CASE WHEN ?5 THEN ?6 ELSE phone END,"
                             " role_id = coalesce(?7, role_id), updated_at = ?8 WHERE id = ?1;",
                             &error);
  if (stmt == NULL ||
      !zg_stmt_bind_int64 (stmt, 1, user->id) ||
      !zg_stmt_bind_text (stmt, 2, email) ||
      !zg_stmt_bind_text (stmt, 3, first_name) ||
      !zg_stmt_bind_text (stmt, 4, last_name) ||
      !zg_stmt_bind_int64 (stmt, 5, phone_given) ||
      !zg_stmt_bind_text (stmt, 6, phone) ||
      !(has_role ? zg_stmt_bind_int64 (stmt, 7, role_id) : zg_stmt_bind_null (stmt, 7)) ||
      !zg_stmt_bind_int64 (stmt, 8, zg_server_now (server)))
    {
      internal_error (req, error);
      return;
    }
  if (!zg_stmt_run (stmt, &error))
    {
      if (sqlite3_extended_errcode (zg_storage_get_db (storage)) == SQLITE_CONSTRAINT_UNIQUE)
        zg_request_respond_error (req, SOUP_STATUS_CONFLICT, "email_taken",
                                  "A user with this e-mail address exists already.");
      else
        internal_error (req, error);
      return;
    }
  g_clear_pointer (&stmt, zg_stmt_release);
  zg_sessions_invalidate_cache (server);
  if (changed->len > 0)
    {
      g_autofree char *detail = g_strdup_printf ("user %" G_GINT64_FORMAT ": %s", user->id,
                                                 changed->str);

      zg_audit_log (server, caller->user_id, caller->email, zg_request_get_ip (req),
                    ZG_AUDIT_USER_UPDATED, detail);
    }
  respond_user (req, SOUP_STATUS_OK, user->id);
}

static void
users_deactivate_cb (ZgRequest *req,
                     gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  const ZgSessionCaller *caller = zg_request_get_caller (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgUser) user = NULL;
  g_autofree char *detail = NULL;

  if ((user = load_target (req)) == NULL)
    return;
  if (user->active && (user->role_areas & ZG_AREA_ADMINISTRATOR) &&
      zg_users_count_active_admins (server) <= 1)
    {
      zg_request_respond_error (req, SOUP_STATUS_CONFLICT, "last_admin",
                                "The last active administrator cannot be deactivated.");
      return;
    }
  /* R-USER-2: no login from now on, every session ends. */
  if (!zg_users_set_active (server, user->id, FALSE, &error))
    {
      internal_error (req, error);
      return;
    }
  detail = g_strdup_printf ("user %" G_GINT64_FORMAT " (%s)", user->id, user->email);
  if (user->active)
    zg_audit_log (server, caller->user_id, caller->email, zg_request_get_ip (req),
                  ZG_AUDIT_USER_DEACTIVATED, detail);
  if (caller->user_id == user->id)
    {
      zg_request_respond_empty (req, SOUP_STATUS_NO_CONTENT);
      return;
    }
  respond_user (req, SOUP_STATUS_OK, user->id);
}

static void
users_reactivate_cb (ZgRequest *req,
                     gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  const ZgSessionCaller *caller = zg_request_get_caller (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgUser) user = NULL;
  g_autofree char *detail = NULL;

  if ((user = load_target (req)) == NULL)
    return;
  if (!zg_users_set_active (server, user->id, TRUE, &error))
    {
      internal_error (req, error);
      return;
    }
  detail = g_strdup_printf ("user %" G_GINT64_FORMAT " (%s)", user->id, user->email);
  if (!user->active)
    zg_audit_log (server, caller->user_id, caller->email, zg_request_get_ip (req),
                  ZG_AUDIT_USER_REACTIVATED, detail);
  respond_user (req, SOUP_STATUS_OK, user->id);
}

/* R-AUDIT-3: an administrator ("support") unlocks a locked account. */
static void
users_unlock_cb (ZgRequest *req,
                 gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  const ZgSessionCaller *caller = zg_request_get_caller (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgUser) user = NULL;
  g_autofree char *detail = NULL;

  if ((user = load_target (req)) == NULL)
    return;
  if (!zg_users_unlock (server, user->id, &error))
    {
      internal_error (req, error);
      return;
    }
  detail = g_strdup_printf ("user %" G_GINT64_FORMAT " (%s)", user->id, user->email);
  if (user->locked || user->failed_logins > 0)
    zg_audit_log (server, caller->user_id, caller->email, zg_request_get_ip (req),
                  ZG_AUDIT_ACCOUNT_UNLOCKED, detail);
  respond_user (req, SOUP_STATUS_OK, user->id);
}

void
zg_users_register_routes (ZgServer *server)
{
  zg_http_add_route (server, "GET", "/api/v1/users", ZG_ROUTE_AUTHENTICATED, ZG_AREA_BENUTZER,
                     users_list_cb, NULL);
  zg_http_add_route (server, "POST", "/api/v1/users", ZG_ROUTE_JSON_BODY, ZG_AREA_BENUTZER,
                     users_create_cb, NULL);
  zg_http_add_route (server, "GET", "/api/v1/users/{id}", ZG_ROUTE_AUTHENTICATED,
                     ZG_AREA_BENUTZER, users_get_cb, NULL);
  zg_http_add_route (server, "PATCH", "/api/v1/users/{id}", ZG_ROUTE_JSON_BODY, ZG_AREA_BENUTZER,
                     users_update_cb, NULL);
  zg_http_add_route (server, "POST", "/api/v1/users/{id}/deactivate", ZG_ROUTE_AUTHENTICATED,
                     ZG_AREA_BENUTZER, users_deactivate_cb, NULL);
  zg_http_add_route (server, "POST", "/api/v1/users/{id}/reactivate", ZG_ROUTE_AUTHENTICATED,
                     ZG_AREA_BENUTZER, users_reactivate_cb, NULL);
  zg_http_add_route (server, "POST", "/api/v1/users/{id}/unlock", ZG_ROUTE_AUTHENTICATED,
                     ZG_AREA_BENUTZER, users_unlock_cb, NULL);
}
