/* api-auth.c — login, logout, the caller's own account, health
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "audit.h"
#include "auth-password.h"
#include "http.h"
#include "settings.h"
#include "storage.h"
#include "users.h"
#include "zg-server-private.h"

typedef struct
{
  ZgRequest *req;
  char      *email_typed;
  gint64     user_id;       /* 0: no such account */
  gboolean   refuse;        /* verify only for timing; the login fails regardless */
} LoginData;

static void
login_data_free (LoginData *data)
{
  zg_request_unref (data->req);
  g_free (data->email_typed);
  g_free (data);
}

static void
respond_invalid (ZgRequest *req)
{
  /* One answer for unknown account, wrong password, deactivated or invited account. */
  zg_request_respond_error (req, SOUP_STATUS_UNAUTHORIZED, "invalid_credentials",
                            "E-mail address or password is wrong.");
}

static gboolean
record_failure (ZgServer *server,
                gint64    user_id,
                gboolean *out_now_locked)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  gint64 threshold = zg_settings_get_int (zg_server_get_settings (server),
                                          ZG_SETTING_LOCKOUT_THRESHOLD);
  ZgStorage *storage = zg_server_get_storage (server);

  *out_now_locked = FALSE;
  stmt = zg_storage_prepare (storage,
                             "UPDATE users SET failed_logins = failed_logins + 1,"
                             " locked = CASE WHEN failed_logins + 1 >= ?2 THEN 1 ELSE locked END,"
                             " locked_at = CASE WHEN failed_logins + 1 >= ?2 THEN ?3"
                             " ELSE locked_at END WHERE id = ?1 AND locked = 0;", &error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, user_id) ||
      !zg_stmt_bind_int64 (stmt, 2, threshold) ||
      !zg_stmt_bind_int64 (stmt, 3, zg_server_now (server)) || !zg_stmt_run (stmt, &error))
    {
      g_warning ("Cannot count failed login: %s", error != NULL ? error->message : "bind");
      return FALSE;
    }
  g_clear_pointer (&stmt, zg_stmt_release);
  if (zg_storage_changes (storage) > 0)
    {
      g_autoptr(ZgUser) user = zg_users_find_by_id (server, user_id, NULL);

      *out_now_locked = user != NULL && user->locked;
    }
  return TRUE;
}

static gboolean
record_success (ZgServer  *server,
                gint64     user_id,
                GError   **error)
{
  g_autoptr(ZgStmt) stmt = zg_storage_prepare (zg_server_get_storage (server),
                                               "UPDATE users SET failed_logins = 0,"
                                               " last_login_at = ?2 WHERE id = ?1;", error);

  return stmt != NULL && zg_stmt_bind_int64 (stmt, 1, user_id) &&
         zg_stmt_bind_int64 (stmt, 2, zg_server_now (server)) && zg_stmt_run (stmt, error);
}

static void
login_verified_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ZgServer *server = ZG_SERVER (source);
  LoginData *data = user_data;
  ZgRequest *req = data->req;
  const char *ip = zg_request_get_ip (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgUser) user = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) answer = NULL;
  gboolean matches;
  gboolean now_locked = FALSE;
  gint64 session_id = 0;

  matches = zg_password_verify_finish (server, result, &error);
  if (error != NULL)
    g_warning ("Password verification failed: %s", error->message);

  /* The account may have changed while the hash was computed: decide on its current state. */
  if (data->user_id != 0)
    user = zg_users_find_by_id (server, data->user_id, NULL);

  if (user == NULL || !user->active || user->password_hash == NULL || data->refuse)
    {
      zg_audit_log (server, user != NULL ? user->id : 0, data->email_typed, ip,
                    ZG_AUDIT_LOGIN_FAILED,
                    user == NULL ? "unknown account" :
                    !user->active ? "account deactivated" :
                    user->password_hash == NULL ? "registration not completed" : "invalid input");
      respond_invalid (req);
      goto out;
    }

  if (!matches)
    {
      record_failure (server, user->id, &now_locked);
      zg_audit_log (server, user->id, data->email_typed, ip, ZG_AUDIT_LOGIN_FAILED,
                    user->locked ? "wrong password (account locked)" : "wrong password");
      if (now_locked)
        {
          /* R-AUDIT-3: the threshold-th consecutive failure locks the account. */
          zg_audit_log (server, user->id, data->email_typed, ip, ZG_AUDIT_ACCOUNT_LOCKED,
                        "too many failed logins");
          zg_sessions_invalidate_cache (server);
        }
      respond_invalid (req);
      goto out;
    }

  if (user->locked)
    {
      zg_audit_log (server, user->id, data->email_typed, ip, ZG_AUDIT_LOGIN_FAILED,
                    "account locked");
      zg_request_respond_error (req, SOUP_STATUS_LOCKED, "account_locked",
                                "This account is locked after too many failed logins; "
                                "an administrator can unlock it.");
      goto out;
    }

  if (!record_success (server, user->id, &error) ||
      (token = zg_sessions_create (server, user->id, ip, &session_id, &error)) == NULL)
    {
      g_warning ("Cannot create session: %s", error != NULL ? error->message : "bind failed");
      zg_request_respond_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                                "The login could not be completed.");
      goto out;
    }
  zg_audit_log (server, user->id, data->email_typed, ip, ZG_AUDIT_LOGIN_SUCCESS, NULL);

  user->failed_logins = 0;
  answer = json_object_new ();
  json_object_set_string_member (answer, "token", token);
  json_object_set_member (answer, "user", zg_user_to_json (user));
  {
    ZgSettings *settings = zg_server_get_settings (server);
    gint64 now = zg_server_now (server);
    g_autofree char *idle = zg_http_format_time (
      now + zg_settings_get_int (settings, ZG_SETTING_SESSION_IDLE_MINUTES) * 60);
    g_autofree char *absolute = zg_http_format_time (
      now + zg_settings_get_int (settings, ZG_SETTING_SESSION_ABSOLUTE_HOURS) * 3600);

    json_object_set_string_member (answer, "idle_expires_at", idle);
    json_object_set_string_member (answer, "expires_at", absolute);
  }
  zg_request_respond_object (req, SOUP_STATUS_OK, answer);

out:
  login_data_free (data);
}

/* POST /api/v1/auth/login {email, password} */
static void
login_cb (ZgRequest *req,
          gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgUser) user = NULL;
  const char *email = NULL;
  const char *password = NULL;
  LoginData *data;

  if (!zg_request_rate_limit (req, "auth"))
    return;
  if (!zg_request_body_string (req, "email", TRUE, 254, &email) ||
      !zg_request_body_string (req, "password", TRUE, ZG_PASSWORD_MAX_BYTES, &password))
    return;

  user = zg_users_find_by_email (server, email, &error);
  if (error != NULL)
    {
      zg_request_respond_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                                "The login could not be completed.");
      return;
    }

  data = g_new0 (LoginData, 1);
  data->req = zg_request_ref (req);
  data->email_typed = g_strdup (email);
  data->user_id = user != NULL ? user->id : 0;
  data->refuse = strlen (password) > ZG_PASSWORD_MAX_BYTES;
  /* Unknown, deactivated and invited accounts verify a dummy hash: same work, same answer. */
  zg_password_verify_async (server,
                            user != NULL && user->active ? user->password_hash : NULL,
                            password, NULL, login_verified_cb, data);
}

/* POST /api/v1/auth/logout */
static void
logout_cb (ZgRequest *req,
           gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  const ZgSessionCaller *caller = zg_request_get_caller (req);

  zg_sessions_end (server, caller->session_id);
  zg_audit_log (server, caller->user_id, caller->email, zg_request_get_ip (req),
                ZG_AUDIT_LOGOUT, NULL);
  zg_request_respond_empty (req, SOUP_STATUS_NO_CONTENT);
}

/* GET /api/v1/me: the hottest read; served from a per-user cache of the encoded answer. */
static void
me_cb (ZgRequest *req,
       gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  const ZgSessionCaller *caller = zg_request_get_caller (req);
  GBytes *bytes = g_hash_table_lookup (server->me_cache, &caller->user_id);

  if (bytes == NULL)
    {
      g_autoptr(ZgUser) user = zg_users_find_by_id (server, caller->user_id, NULL);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(JsonGenerator) gen = NULL;
      gsize len = 0;
      char *text;

      if (user == NULL)
        {
          zg_request_respond_error (req, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                                    "A valid session is required.");
          return;
        }
      node = zg_user_to_json (user);
      gen = json_generator_new ();
      json_generator_set_root (gen, node);
      text = json_generator_to_data (gen, &len);
      bytes = g_bytes_new_take (text, len);
      g_hash_table_insert (server->me_cache, g_memdup2 (&caller->user_id, sizeof (gint64)), bytes);
    }
  zg_request_respond_bytes (req, SOUP_STATUS_OK, "application/json", bytes);
}

/* GET /api/v1/areas: ids and names for the client's role editor. */
static void
areas_cb (ZgRequest *req,
          gpointer   user_data)
{
  g_autoptr(JsonArray) arr = json_array_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  ZgArea all[ZG_N_AREAS];
  guint n = zg_area_list (all, G_N_ELEMENTS (all));

  for (guint i = 0; i < n && i < G_N_ELEMENTS (all); i++)
    {
      g_autoptr(JsonObject) a = json_object_new ();

      json_object_set_string_member (a, "id", zg_area_get_id (all[i]));
      json_object_set_string_member (a, "name", zg_area_get_display_name (all[i]));
      json_array_add_object_element (arr, g_steal_pointer (&a));
    }
  json_object_set_array_member (root, "areas", g_steal_pointer (&arr));
  zg_request_respond_object (req, SOUP_STATUS_OK, root);
}

static void
healthz_cb (ZgRequest *req,
            gpointer   user_data)
{
  static const char ok[] = "{\"status\":\"ok\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (ok, sizeof ok - 1);

  zg_request_respond_bytes (req, SOUP_STATUS_OK, "application/json", bytes);
}

void
zg_auth_register_routes (ZgServer *server)
{
  zg_http_add_route (server, "GET", "/healthz", ZG_ROUTE_PUBLIC, 0, healthz_cb, NULL);
  zg_http_add_route (server, "POST", "/api/v1/auth/login", ZG_ROUTE_PUBLIC | ZG_ROUTE_JSON_BODY,
                     0, login_cb, NULL);
  zg_http_add_route (server, "POST", "/api/v1/auth/logout", ZG_ROUTE_AUTHENTICATED, 0,
                     logout_cb, NULL);
  zg_http_add_route (server, "GET", "/api/v1/me", ZG_ROUTE_AUTHENTICATED, 0, me_cb, NULL);
  zg_http_add_route (server, "GET", "/api/v1/areas", ZG_ROUTE_AUTHENTICATED, 0, areas_cb, NULL);
}
