/* users.c — user accounts, roles and sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "http.h"
#include "settings.h"
#include "storage.h"
#include "users.h"
#include "zg-crypto.h"
#include "zg-server-private.h"

/* A cached session is re-checked against the database at least this often, so that a
 * deactivation or logout by another server process over the same database takes effect. */
#define SESSION_REVALIDATE_US (5 * G_USEC_PER_SEC)
#define SESSION_PERSIST_SECONDS 60

typedef struct
{
  gint64     session_id;
  gint64     user_id;
  gint64     created_at;
  gint64     last_seen_at;
  gint64     persisted_seen_at;
  gint64     validated_us;
  gint64     idle_limit;
  gint64     absolute_limit;
  ZgAreaSet  areas;
  char      *email;
} CachedSession;

typedef struct
{
  ZgUserCreatedFunc func;
  gpointer          user_data;
} CreatedHook;

static void
cached_session_free (gpointer data)
{
  CachedSession *s = data;

  g_free (s->email);
  g_free (s);
}

void
_zg_sessions_init (ZgServer *self)
{
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_session_free);
  self->me_cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                          (GDestroyNotify) g_bytes_unref);
}

void
zg_user_free (ZgUser *user)
{
  if (user == NULL)
    return;
  g_free (user->email);
  g_free (user->first_name);
  g_free (user->last_name);
  g_free (user->phone);
  g_free (user->role_name);
  if (user->password_hash != NULL)
    g_free (user->password_hash);
  g_free (user);
}

char *
zg_users_normalize_email (const char *email)
{
  g_autofree char *copy = NULL;

  g_return_val_if_fail (email != NULL, NULL);

  if (!g_utf8_validate (email, -1, NULL))
    return NULL;
  copy = g_strstrip (g_strdup (email));
  return g_utf8_strdown (copy, -1);
}

/* A pragmatic check: one '@', a dotted domain, no spaces, quotes or control characters. */
gboolean
zg_users_email_is_valid (const char *email)
{
  const char *at;
  gsize len;

  if (email == NULL || !g_utf8_validate (email, -1, NULL))
    return FALSE;
  len = strlen (email);
  if (len < 3 || len > 254)
    return FALSE;
  at = strchr (email, '@');
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL || at - email > 64)
    return FALSE;
  if (strchr (at + 1, '.') == NULL || at[1] == '.' || email[len - 1] == '.')
    return FALSE;
  for (const char *p = email; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || strchr ("<>\"(),;:\\[]", (int) c))
        return FALSE;
    }
  return TRUE;
}

#define USER_COLUMNS \
  "SELECT u.id, u.email, u.first_name, u.last_name, u.phone, u.role_id, r.name, r.areas," \
  " u.password_hash, u.active, u.locked, u.failed_logins, u.created_at, u.updated_at" \
  " FROM users u JOIN roles r ON r.id = u.role_id "

static ZgUser *
user_from_row (ZgStmt *stmt)
{
  ZgUser *user = g_new0 (ZgUser, 1);

  user->id = zg_stmt_column_int64 (stmt, 0);
  user->email = g_strdup (zg_stmt_column_text (stmt, 1));
  user->first_name = g_strdup (zg_stmt_column_text (stmt, 2));
  user->last_name = g_strdup (zg_stmt_column_text (stmt, 3));
  user->phone = g_strdup (zg_stmt_column_text (stmt, 4));
  user->role_id = zg_stmt_column_int64 (stmt, 5);
  user->role_name = g_strdup (zg_stmt_column_text (stmt, 6));
  user->role_areas = (ZgAreaSet) zg_stmt_column_int64 (stmt, 7);
  user->password_hash = g_strdup (zg_stmt_column_text (stmt, 8));
  user->active = zg_stmt_column_int64 (stmt, 9) != 0;
  user->locked = zg_stmt_column_int64 (stmt, 10) != 0;
  user->failed_logins = zg_stmt_column_int64 (stmt, 11);
  user->created_at = zg_stmt_column_int64 (stmt, 12);
  user->updated_at = zg_stmt_column_int64 (stmt, 13);
  return user;
}

/* Returns NULL without @error when there is no such user. */
ZgUser *
zg_users_find_by_email (ZgServer    *server,
                        const char  *email,
                        GError     **error)
{
  g_autoptr(ZgStmt) stmt = NULL;
  g_autofree char *normalized = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_SERVER (server), NULL);
  g_return_val_if_fail (email != NULL, NULL);

  normalized = zg_users_normalize_email (email);
  if (normalized == NULL)
    return NULL;
  stmt = zg_storage_prepare (zg_server_get_storage (server),
                             USER_COLUMNS "WHERE u.email = ?1;", error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, normalized))
    return NULL;
  rc = zg_stmt_step (stmt, error);
  return rc == SQLITE_ROW ? user_from_row (stmt) : NULL;
}

ZgUser *
zg_users_find_by_id (ZgServer  *server,
                     gint64     user_id,
                     GError   **error)
{
  g_autoptr(ZgStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_SERVER (server), NULL);

  stmt = zg_storage_prepare (zg_server_get_storage (server), USER_COLUMNS "WHERE u.id = ?1;",
                             error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, user_id))
    return NULL;
  rc = zg_stmt_step (stmt, error);
  return rc == SQLITE_ROW ? user_from_row (stmt) : NULL;
}

static void
set_text (JsonObject *obj,
          const char *member,
          const char *value)
{
  if (value != NULL)
    json_object_set_string_member (obj, member, value);
  else
    json_object_set_null_member (obj, member);
}

JsonNode *
zg_user_to_json (const ZgUser *user)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonObject) role = json_object_new ();
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  JsonNode *node;
  const char *status;

  g_return_val_if_fail (user != NULL, NULL);

  if (!user->active)
    status = "deactivated";
  else if (user->locked)
    status = "locked";
  else if (user->password_hash == NULL)
    status = "invited";
  else
    status = "active";

  created = zg_http_format_time (user->created_at);
  updated = zg_http_format_time (user->updated_at);
  json_object_set_int_member (obj, "id", user->id);
  set_text (obj, "email", user->email);
  set_text (obj, "first_name", user->first_name);
  set_text (obj, "last_name", user->last_name);
  set_text (obj, "phone", user->phone);
  json_object_set_int_member (role, "id", user->role_id);
  set_text (role, "name", user->role_name);
  json_object_set_object_member (obj, "role", g_steal_pointer (&role));
  json_object_set_member (obj, "areas", zg_area_set_to_json (zg_area_set_effective (user->role_areas)));
  json_object_set_string_member (obj, "status", status);
  json_object_set_boolean_member (obj, "active", user->active);
  json_object_set_boolean_member (obj, "locked", user->locked);
  json_object_set_boolean_member (obj, "password_set", user->password_hash != NULL);
  json_object_set_string_member (obj, "created_at", created);
  json_object_set_string_member (obj, "updated_at", updated);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, obj);
  return node;
}

gint64
zg_users_create (ZgServer    *server,
                 const char  *email,
                 const char  *first_name,
                 const char  *last_name,
                 const char  *phone,
                 gint64       role_id,
                 const char  *password_hash,
                 GError     **error)
{
  ZgStorage *storage;
  g_autoptr(ZgStmt) stmt = NULL;
  g_autofree char *normalized = NULL;
  gint64 now;

  g_return_val_if_fail (ZG_IS_SERVER (server), 0);
  g_return_val_if_fail (email != NULL && first_name != NULL && last_name != NULL, 0);

  normalized = zg_users_normalize_email (email);
  if (normalized == NULL || !zg_users_email_is_valid (normalized))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "invalid e-mail address");
      return 0;
    }
  storage = zg_server_get_storage (server);
  now = zg_server_now (server);
  stmt = zg_storage_prepare (storage,
                             "INSERT INTO users (email, first_name, last_name, phone, role_id,"
                             " password_hash, password_changed_at, created_at, updated_at)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8);", error);
  if (stmt == NULL ||
      !zg_stmt_bind_text (stmt, 1, normalized) ||
      !zg_stmt_bind_text (stmt, 2, first_name) ||
      !zg_stmt_bind_text (stmt, 3, last_name) ||
      !zg_stmt_bind_text (stmt, 4, phone) ||
      !zg_stmt_bind_int64 (stmt, 5, role_id) ||
      !zg_stmt_bind_text (stmt, 6, password_hash))
    return 0;
  if (password_hash != NULL)
    zg_stmt_bind_int64 (stmt, 7, now);
  else
    zg_stmt_bind_null (stmt, 7);
  zg_stmt_bind_int64 (stmt, 8, now);
  if (!zg_stmt_run (stmt, error))
    {
      if (sqlite3_extended_errcode (zg_storage_get_db (storage)) == SQLITE_CONSTRAINT_UNIQUE)
        {
          g_clear_error (error);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "a user with this e-mail exists");
        }
      return 0;
    }
  return zg_storage_last_insert_id (storage);
}

static gboolean
run_user_update (ZgServer    *server,
                 const char  *sql,
                 gint64       user_id,
                 GError     **error)
{
  g_autoptr(ZgStmt) stmt = zg_storage_prepare (zg_server_get_storage (server), sql, error);

  if (stmt == NULL ||
      !zg_stmt_bind_int64 (stmt, 1, user_id) ||
      !zg_stmt_bind_int64 (stmt, 2, zg_server_now (server)) ||
      !zg_stmt_run (stmt, error))
    return FALSE;
  zg_sessions_invalidate_cache (server);
  return TRUE;
}

gboolean
zg_users_set_password (ZgServer    *server,
                       gint64       user_id,
                       const char  *password_hash,
                       GError     **error)
{
  g_autoptr(ZgStmt) stmt = NULL;

  g_return_val_if_fail (ZG_IS_SERVER (server), FALSE);
  g_return_val_if_fail (password_hash != NULL, FALSE);

  stmt = zg_storage_prepare (zg_server_get_storage (server),
                             "UPDATE users SET password_hash = ?2, password_changed_at = ?3,"
                             " failed_logins = 0, locked = 0, locked_at = NULL, updated_at = ?3"
                             " WHERE id = ?1;", error);
  if (stmt == NULL ||
      !zg_stmt_bind_int64 (stmt, 1, user_id) ||
      !zg_stmt_bind_text (stmt, 2, password_hash) ||
      !zg_stmt_bind_int64 (stmt, 3, zg_server_now (server)) ||
      !zg_stmt_run (stmt, error))
    return FALSE;
  zg_sessions_invalidate_cache (server);
  return TRUE;
}

/* R-USER-2: deactivation ends every session at once. */
gboolean
zg_users_set_active (ZgServer  *server,
                     gint64     user_id,
                     gboolean   active,
                     GError   **error)
{
  g_return_val_if_fail (ZG_IS_SERVER (server), FALSE);

  if (!run_user_update (server,
                        active ? "UPDATE users SET active = 1, updated_at = ?2 WHERE id = ?1;"
                               : "UPDATE users SET active = 0, updated_at = ?2 WHERE id = ?1;",
                        user_id, error))
    return FALSE;
  if (!active)
    zg_sessions_end_all (server, user_id, "deactivated");
  return TRUE;
}

/* R-AUDIT-3: only an administrator unlocks; the failure count starts again at zero. */
gboolean
zg_users_unlock (ZgServer  *server,
                 gint64     user_id,
                 GError   **error)
{
  g_return_val_if_fail (ZG_IS_SERVER (server), FALSE);

  return run_user_update (server,
                          "UPDATE users SET locked = 0, locked_at = NULL, failed_logins = 0,"
                          " updated_at = ?2 WHERE id = ?1;", user_id, error);
}

gint64
zg_users_count_active_admins (ZgServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;

  g_return_val_if_fail (ZG_IS_SERVER (server), -1);

  stmt = zg_storage_prepare (zg_server_get_storage (server),
                             "SELECT count(*) FROM users u JOIN roles r ON r.id = u.role_id"
                             " WHERE u.active = 1 AND (r.areas & ?1) != 0;", &error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, ZG_AREA_ADMINISTRATOR) ||
      zg_stmt_step (stmt, &error) != SQLITE_ROW)
    return -1;
  return zg_stmt_column_int64 (stmt, 0);
}

gint64
zg_roles_find_by_name (ZgServer   *server,
                       const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;

  g_return_val_if_fail (ZG_IS_SERVER (server), 0);
  g_return_val_if_fail (name != NULL, 0);

  stmt = zg_storage_prepare (zg_server_get_storage (server),
                             "SELECT id FROM roles WHERE name = ?1;", &error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, name) ||
      zg_stmt_step (stmt, &error) != SQLITE_ROW)
    return 0;
  return zg_stmt_column_int64 (stmt, 0);
}

GPtrArray *
zg_users_check_password (ZgServer     *server,
                         const char   *password,
                         const ZgUser *user_or_null)
{
  ZgPasswordPolicy policy;
  g_autofree char *local = NULL;
  const char *words[4] = { NULL, NULL, NULL, NULL };

  g_return_val_if_fail (ZG_IS_SERVER (server), NULL);

  zg_settings_get_password_policy (zg_server_get_settings (server), &policy);
  if (user_or_null != NULL)
    {
      const char *at = user_or_null->email != NULL ? strchr (user_or_null->email, '@') : NULL;

      if (at != NULL)
        local = g_strndup (user_or_null->email, (gsize) (at - user_or_null->email));
      words[0] = local;
      words[1] = user_or_null->first_name;
      words[2] = user_or_null->last_name;
    }
  return zg_password_policy_check (&policy, _zg_server_get_common_passwords (server), password,
                                   words);
}

void
zg_users_add_created_hook (ZgServer          *server,
                           ZgUserCreatedFunc  func,
                           gpointer           user_data)
{
  CreatedHook hook = { func, user_data };

  g_return_if_fail (ZG_IS_SERVER (server));
  g_return_if_fail (func != NULL);

  g_array_append_val (server->user_created_hooks, hook);
}

void
_zg_users_emit_created (ZgServer   *server,
                        gint64      user_id,
                        const char *ip)
{
  for (guint i = 0; i < server->user_created_hooks->len; i++)
    {
      const CreatedHook *hook = &g_array_index (server->user_created_hooks, CreatedHook, i);

      hook->func (server, user_id, ip, hook->user_data);
    }
}

/* ---- sessions ------------------------------------------------------------ */

char *
zg_sessions_create (ZgServer    *server,
                    gint64       user_id,
                    const char  *ip,
                    gint64      *out_session_id,
                    GError     **error)
{
  g_autoptr(ZgStmt) stmt = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  ZgStorage *storage;
  gint64 now;

  g_return_val_if_fail (ZG_IS_SERVER (server), NULL);

  storage = zg_server_get_storage (server);
  token = zg_random_token ();
  token_hash = zg_sha256_hex_str (token);
  now = zg_server_now (server);
  stmt = zg_storage_prepare (storage,
                             "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at,"
                             " ip) VALUES (?1, ?2, ?3, ?3, ?4);", error);
  if (stmt == NULL ||
      !zg_stmt_bind_text (stmt, 1, token_hash) ||
      !zg_stmt_bind_int64 (stmt, 2, user_id) ||
      !zg_stmt_bind_int64 (stmt, 3, now) ||
      !zg_stmt_bind_text (stmt, 4, ip) ||
      !zg_stmt_run (stmt, error))
    return NULL;
  if (out_session_id != NULL)
    *out_session_id = zg_storage_last_insert_id (storage);
  return g_steal_pointer (&token);
}

static gboolean
remove_session_cb (gpointer key,
                   gpointer value,
                   gpointer user_data)
{
  const CachedSession *s = value;
  const gint64 *session_id = user_data;

  return s->session_id == *session_id;
}

static gboolean
remove_user_sessions_cb (gpointer key,
                         gpointer value,
                         gpointer user_data)
{
  const CachedSession *s = value;
  const gint64 *user_id = user_data;

  return s->user_id == *user_id;
}

gboolean
zg_sessions_end (ZgServer *server,
                 gint64    session_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;

  g_return_val_if_fail (ZG_IS_SERVER (server), FALSE);

  g_hash_table_foreach_remove (server->sessions, remove_session_cb, &session_id);
  stmt = zg_storage_prepare (zg_server_get_storage (server),
                             "DELETE FROM sessions WHERE id = ?1;", &error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, session_id) || !zg_stmt_run (stmt, &error))
    {
      g_warning ("Cannot end session: %s", error != NULL ? error->message : "bind failed");
      return FALSE;
    }
  return TRUE;
}

gint64
zg_sessions_end_all (ZgServer   *server,
                     gint64      user_id,
                     const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  ZgStorage *storage;

  g_return_val_if_fail (ZG_IS_SERVER (server), -1);

  storage = zg_server_get_storage (server);
  g_hash_table_foreach_remove (server->sessions, remove_user_sessions_cb, &user_id);
  g_hash_table_remove (server->me_cache, &user_id);
  stmt = zg_storage_prepare (storage, "DELETE FROM sessions WHERE user_id = ?1;", &error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, user_id) || !zg_stmt_run (stmt, &error))
    {
      g_warning ("Cannot end the sessions of user %" G_GINT64_FORMAT " (%s): %s", user_id,
                 reason != NULL ? reason : "", error != NULL ? error->message : "bind failed");
      return -1;
    }
  return zg_storage_changes (storage);
}

void
zg_sessions_invalidate_cache (ZgServer *server)
{
  g_return_if_fail (ZG_IS_SERVER (server));

  g_hash_table_remove_all (server->sessions);
  g_hash_table_remove_all (server->me_cache);
}

gint64
_zg_sessions_purge_expired (ZgServer *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  ZgSettings *settings = zg_server_get_settings (self);
  gint64 now = zg_server_now (self);
  gint64 idle = zg_settings_get_int (settings, ZG_SETTING_SESSION_IDLE_MINUTES) * 60;
  gint64 absolute = zg_settings_get_int (settings, ZG_SETTING_SESSION_ABSOLUTE_HOURS) * 3600;

  stmt = zg_storage_prepare (zg_server_get_storage (self),
                             "DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2;",
                             &error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, now - idle) ||
      !zg_stmt_bind_int64 (stmt, 2, now - absolute) || !zg_stmt_run (stmt, &error))
    {
      g_warning ("Cannot purge sessions: %s", error != NULL ? error->message : "bind failed");
      return -1;
    }
  g_hash_table_remove_all (self->sessions);
  return zg_storage_changes (zg_server_get_storage (self));
}

static CachedSession *
load_session (ZgServer   *self,
              const char *token_hash)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  ZgSettings *settings = zg_server_get_settings (self);
  CachedSession *s;

  stmt = zg_storage_prepare (zg_server_get_storage (self),
                             "SELECT s.id, s.user_id, s.created_at, s.last_seen_at, u.email,"
                             " r.areas FROM sessions s JOIN users u ON u.id = s.user_id"
                             " JOIN roles r ON r.id = u.role_id"
                             " WHERE s.token_hash = ?1 AND u.active = 1;", &error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, token_hash) ||
      zg_stmt_step (stmt, &error) != SQLITE_ROW)
    return NULL;

  s = g_new0 (CachedSession, 1);
  s->session_id = zg_stmt_column_int64 (stmt, 0);
  s->user_id = zg_stmt_column_int64 (stmt, 1);
  s->created_at = zg_stmt_column_int64 (stmt, 2);
  s->last_seen_at = zg_stmt_column_int64 (stmt, 3);
  s->persisted_seen_at = s->last_seen_at;
  s->email = g_strdup (zg_stmt_column_text (stmt, 4));
  s->areas = zg_area_set_effective ((ZgAreaSet) zg_stmt_column_int64 (stmt, 5));
  s->validated_us = g_get_monotonic_time ();
  s->idle_limit = zg_settings_get_int (settings, ZG_SETTING_SESSION_IDLE_MINUTES) * 60;
  s->absolute_limit = zg_settings_get_int (settings, ZG_SETTING_SESSION_ABSOLUTE_HOURS) * 3600;
  return s;
}

static void
persist_last_seen (ZgServer      *self,
                   CachedSession *s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;

  stmt = zg_storage_prepare (zg_server_get_storage (self),
                             "UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1;", &error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, s->session_id) ||
      !zg_stmt_bind_int64 (stmt, 2, s->last_seen_at) || !zg_stmt_run (stmt, &error))
    g_warning ("Cannot update session: %s", error != NULL ? error->message : "bind failed");
  else
    s->persisted_seen_at = s->last_seen_at;
}

/* The hot path of every authenticated request: one SHA-256 and one hash-table lookup. */
gboolean
_zg_sessions_lookup (ZgServer        *self,
                     const char      *token,
                     ZgSessionCaller *out_caller)
{
  char *token_hash = zg_sha256_hex_str (token);
  CachedSession *s = g_hash_table_lookup (self->sessions, token_hash);
  gint64 now = zg_server_now (self);

  if (s == NULL || g_get_monotonic_time () - s->validated_us > SESSION_REVALIDATE_US)
    {
      CachedSession *fresh = load_session (self, token_hash);

      if (fresh == NULL)
        {
          g_hash_table_remove (self->sessions, token_hash);
          g_free (token_hash);
          return FALSE;
        }
      if (s != NULL)
        fresh->last_seen_at = MAX (fresh->last_seen_at, s->last_seen_at);
      s = fresh;
      g_hash_table_replace (self->sessions, token_hash, s);
    }
  else
    g_free (token_hash);

  if (now - s->last_seen_at > s->idle_limit || now - s->created_at > s->absolute_limit)
    {
      zg_sessions_end (self, s->session_id);
      return FALSE;
    }
  s->last_seen_at = now;
  if (now - s->persisted_seen_at >= SESSION_PERSIST_SECONDS)
    persist_last_seen (self, s);

  out_caller->user_id = s->user_id;
  out_caller->session_id = s->session_id;
  out_caller->areas = s->areas;
  out_caller->email = s->email;
  return TRUE;
}
