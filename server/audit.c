/* audit.c — the central security log (R-AUDIT-1, R-AUDIT-2, R-AUDIT-4, R-AUDIT-5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "audit.h"
#include "http.h"
#include "settings.h"
#include "storage.h"

#define AUDIT_PAGE_DEFAULT 100
#define AUDIT_PAGE_MAX     1000

/* Writing the log must never fail a request silently: errors go to the server log. */
void
zg_audit_log (ZgServer   *server,
              gint64      user_id_or_0,
              const char *email_or_null,
              const char *ip,
              const char *action,
              const char *detail_or_null)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  ZgStorage *storage;

  g_return_if_fail (ZG_IS_SERVER (server));
  g_return_if_fail (action != NULL);

  storage = zg_server_get_storage (server);
  stmt = zg_storage_prepare (storage,
                             "INSERT INTO audit_log (at, user_id, email, ip, action, detail)"
                             " VALUES (?1, (SELECT id FROM users WHERE id = ?2), ?3, ?4, ?5, ?6);",
                             &error);
  if (stmt == NULL ||
      !zg_stmt_bind_int64 (stmt, 1, zg_server_now (server)) ||
      !zg_stmt_bind_int64 (stmt, 2, user_id_or_0) ||
      !zg_stmt_bind_text (stmt, 3, email_or_null) ||
      !zg_stmt_bind_text (stmt, 4, ip) ||
      !zg_stmt_bind_text (stmt, 5, action) ||
      !zg_stmt_bind_text (stmt, 6, detail_or_null) ||
      !zg_stmt_run (stmt, &error))
    g_warning ("Cannot write security log entry %s: %s", action,
               error != NULL ? error->message : "bind failed");
}

/* R-AUDIT-4: entries older than the retention (default 60 days) are deleted. */
gint64
zg_audit_purge (ZgServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  gint64 days, cutoff, n;
  ZgStorage *storage;

  g_return_val_if_fail (ZG_IS_SERVER (server), -1);

  storage = zg_server_get_storage (server);
  days = zg_settings_get_int (zg_server_get_settings (server), ZG_SETTING_AUDIT_RETENTION_DAYS);
  cutoff = zg_server_now (server) - days * 24 * 60 * 60;
  stmt = zg_storage_prepare (storage, "DELETE FROM audit_log WHERE at < ?1;", &error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, cutoff) || !zg_stmt_run (stmt, &error))
    {
      g_warning ("Cannot purge the security log: %s", error != NULL ? error->message : "bind");
      return -1;
    }
  n = zg_storage_changes (storage);
  g_clear_pointer (&stmt, zg_stmt_release);
  if (n > 0)
    {
      g_autofree char *detail = g_strdup_printf ("%" G_GINT64_FORMAT " entries older than %"
                                                 G_GINT64_FORMAT " days", n, days);

      zg_audit_log (server, 0, NULL, NULL, ZG_AUDIT_AUDIT_PURGED, detail);
    }
  return n;
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

static gboolean
query_int (ZgRequest  *req,
           const char *name,
           gint64      min,
           gint64      max,
           gint64     *inout)
{
  const char *text = zg_request_get_query (req, name);

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, min, max, inout, NULL))
    {
      g_autofree char *msg = g_strdup_printf ("Parameter '%s' must be a number between %"
                                              G_GINT64_FORMAT " and %" G_GINT64_FORMAT ".",
                                              name, min, max);

      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", msg);
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_time (ZgRequest  *req,
            const char *name,
            gint64     *inout)
{
  const char *text = zg_request_get_query (req, name);

  if (text == NULL)
    return TRUE;
  if (!zg_http_parse_time (text, inout))
    {
      g_autofree char *msg = g_strdup_printf ("Parameter '%s' must be an ISO 8601 date/time.",
                                              name);

      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", msg);
      return FALSE;
    }
  return TRUE;
}

/* R-AUDIT-5: GET /api/v1/audit?from=&to=&user=&action=&ip=&limit=&offset= */
static void
audit_list_cb (ZgRequest *req,
               gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  ZgStorage *storage = zg_server_get_storage (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) entries = json_array_new ();
  g_autoptr(JsonObject) result = json_object_new ();
  gint64 from = G_MININT64 / 2, to = G_MAXINT64 / 2, user = 0, limit = AUDIT_PAGE_DEFAULT;
  gint64 offset = 0, total = 0;
  const char *action = zg_request_get_query (req, "action");
  const char *ip = zg_request_get_query (req, "ip");
  const char *filter =
    " FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
    " WHERE a.at >= ?1 AND a.at <= ?2 AND (?3 = 0 OR a.user_id = ?3)"
    " AND (?4 IS NULL OR a.action = ?4) AND (?5 IS NULL OR a.ip = ?5)";
  g_autofree char *count_sql = g_strconcat ("SELECT count(*)", filter, ";", NULL);
  g_autofree char *list_sql = g_strconcat ("SELECT a.id, a.at, a.user_id, a.email, a.ip, a.action,"
                                           " a.detail, u.first_name, u.last_name", filter,
                                           " ORDER BY a.at DESC, a.id DESC LIMIT ?6 OFFSET ?7;",
                                           NULL);
  int rc;

  if (!query_time (req, "from", &from) || !query_time (req, "to", &to) ||
      !query_int (req, "user", 1, G_MAXINT64, &user) ||
      !query_int (req, "limit", 1, AUDIT_PAGE_MAX, &limit) ||
      !query_int (req, "offset", 0, G_MAXINT32, &offset))
    return;

  for (int pass = 0; pass < 2; pass++)
    {
      g_autoptr(ZgStmt) stmt = zg_storage_prepare (storage, pass == 0 ? count_sql : list_sql,
                                                   &error);

      if (stmt == NULL ||
          !zg_stmt_bind_int64 (stmt, 1, from) ||
          !zg_stmt_bind_int64 (stmt, 2, to) ||
          !zg_stmt_bind_int64 (stmt, 3, user) ||
          !zg_stmt_bind_text (stmt, 4, action) ||
          !zg_stmt_bind_text (stmt, 5, ip))
        goto fail;
      if (pass == 1 && (!zg_stmt_bind_int64 (stmt, 6, limit) || !zg_stmt_bind_int64 (stmt, 7, offset)))
        goto fail;

      while ((rc = zg_stmt_step (stmt, &error)) == SQLITE_ROW)
        {
          g_autoptr(JsonObject) e = NULL;
          g_autofree char *at = NULL;

          if (pass == 0)
            {
              total = zg_stmt_column_int64 (stmt, 0);
              continue;
            }
          e = json_object_new ();
          at = zg_http_format_time (zg_stmt_column_int64 (stmt, 1));
          json_object_set_int_member (e, "id", zg_stmt_column_int64 (stmt, 0));
          json_object_set_string_member (e, "time", at);
          if (zg_stmt_column_is_null (stmt, 2))
            json_object_set_null_member (e, "user_id");
          else
            json_object_set_int_member (e, "user_id", zg_stmt_column_int64 (stmt, 2));
          if (!zg_stmt_column_is_null (stmt, 7))
            {
              g_autofree char *name = g_strdup_printf ("%s %s", zg_stmt_column_text (stmt, 7),
                                                       zg_stmt_column_text (stmt, 8));

              json_object_set_string_member (e, "user_name", name);
            }
          else
            json_object_set_null_member (e, "user_name");
          set_text (e, "email", zg_stmt_column_text (stmt, 3));
          set_text (e, "ip", zg_stmt_column_text (stmt, 4));
          set_text (e, "action", zg_stmt_column_text (stmt, 5));
          set_text (e, "detail", zg_stmt_column_text (stmt, 6));
          json_array_add_object_element (entries, g_steal_pointer (&e));
        }
      if (rc < 0)
        goto fail;
    }

  json_object_set_int_member (result, "total", total);
  json_object_set_int_member (result, "limit", limit);
  json_object_set_int_member (result, "offset", offset);
  json_object_set_array_member (result, "entries", g_steal_pointer (&entries));
  zg_request_respond_object (req, SOUP_STATUS_OK, result);
  return;

fail:
  g_warning ("Cannot read the security log: %s", error != NULL ? error->message : "bind failed");
  zg_request_respond_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                            "The security log could not be read.");
}

void
zg_audit_register_routes (ZgServer *server)
{
  zg_http_add_route (server, "GET", "/api/v1/audit", ZG_ROUTE_AUTHENTICATED, ZG_AREA_DATENSCHUTZ,
                     audit_list_cb, NULL);
}
