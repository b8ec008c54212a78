/* api-sync.c — sync push/pull, access criteria of users, REST single-record endpoints
 *
 * Every route here is a thin wrapper over records-store.c (R-APP-7): the REST calls build
 * the same mutation a push carries. Protocol: docs/sync-protocol.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "records-store.h"

#include <string.h>

#include "api-sync.h"
#include "audit.h"
#include "records-retention.h"
#include "http.h"
#include "storage.h"
#include "zeugnis-sync-resources.h"

#define PULL_LIMIT_DEFAULT 500
#define PULL_LIMIT_MAX     2000

static void
internal_error (ZgRequest    *req,
                const GError *error)
{
  g_warning ("sync: %s", error != NULL ? error->message : "internal error");
  zg_request_respond_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                            "Internal error.");
}

static ZgRecordsCaller *
request_caller (ZgRequest *req)
{
  const ZgSessionCaller *session = zg_request_get_caller (req);
  g_autoptr(GError) error = NULL;
  ZgRecordsCaller *caller;

  caller = zg_records_caller_load (zg_request_get_server (req), session->user_id,
                                   session->email, session->areas, &error);
  if (caller == NULL)
    internal_error (req, error);
  return caller;
}

static gboolean
exec_sql (ZgServer    *server,
          const char  *sql,
          GError     **error)
{
  char *msg = NULL;

  if (sqlite3_exec (zg_storage_get_db (zg_server_get_storage (server)), sql, NULL, NULL,
                    &msg) == SQLITE_OK)
    return TRUE;
  g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE, "%s", msg ? msg : sql);
  sqlite3_free (msg);
  return FALSE;
}

/* Runs one mutation inside a savepoint of the open transaction: a rejected mutation
 * leaves nothing behind. */
static JsonObject *
apply_in_savepoint (ZgServer              *server,
                    const ZgRecordsCaller *caller,
                    const ZgMutation      *m,
                    const char            *ip,
                    GError               **error)
{
  g_autoptr(JsonObject) result = NULL;
  const char *status;

  if (!exec_sql (server, "SAVEPOINT mutation;", error))
    return NULL;
  result = zg_records_apply (server, caller, m, ip, error);
  status = result != NULL ? json_object_get_string_member (result, "status") : NULL;
  if (result == NULL || g_strcmp0 (status, "rejected") == 0)
    {
      if (!exec_sql (server, "ROLLBACK TO mutation; RELEASE mutation;", result ? error : NULL))
        return NULL;
    }
  else if (!exec_sql (server, "RELEASE mutation;", error))
    return NULL;
  return g_steal_pointer (&result);
}

/* json-glib hands strings over as C strings, so a JSON "\u0000" escape would silently cut a
 * value short (docs/permissions.md, "Known limit"): such bodies are refused before use. */
static gboolean
refuse_nul_escape (ZgRequest *req)
{
  GBytes *raw = zg_request_get_raw_body (req);
  gsize len = 0;
  const char *data = raw != NULL ? g_bytes_get_data (raw, &len) : NULL;

  for (gsize i = 0; data != NULL && i + 6 <= len; i++)
    {
      gsize n_backslashes = 0;

      if (data[i] != '\\' || memcmp (data + i + 1, "u0000", 5) != 0)
        continue;
      while (n_backslashes < i && data[i - 1 - n_backslashes] == '\\')
        n_backslashes++;
      if (n_backslashes % 2 == 0)
        {
          zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_json",
                                    "NUL characters (\\u0000) are not allowed.");
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- push ---- */

static gboolean
bind_client (ZgServer    *server,
             const char  *client_id,
             gint64       user_id,
             gboolean    *out_ok,
             GError     **error)
{
  ZgStorage *storage = zg_server_get_storage (server);
  g_autoptr(ZgStmt) stmt = NULL;
  int rc;

  stmt = zg_storage_prepare (storage, "SELECT user_id FROM sync_clients WHERE client_id = ?;",
                             error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, client_id))
    return FALSE;
  rc = zg_stmt_step (stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      *out_ok = zg_stmt_column_int64 (stmt, 0) == user_id;
      return TRUE;
    }
  g_clear_pointer (&stmt, zg_stmt_release);
  stmt = zg_storage_prepare (storage, "INSERT INTO sync_clients (client_id, user_id, first_seen)"
                             " VALUES (?, ?, ?);", error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, client_id) ||
      !zg_stmt_bind_int64 (stmt, 2, user_id) ||
      !zg_stmt_bind_int64 (stmt, 3, zg_server_now (server)) || !zg_stmt_run (stmt, error))
    return FALSE;
  *out_ok = TRUE;
  return TRUE;
}

static gboolean
lookup_applied (ZgServer     *server,
                const char   *client_id,
                gint64        mutation_id,
                JsonObject  **out_result,
                GError      **error)
{
  g_autoptr(ZgStmt) stmt = NULL;
  int rc;

  *out_result = NULL;
  stmt = zg_storage_prepare (zg_server_get_storage (server),
                             "SELECT result FROM applied_mutations WHERE client_id = ?"
                             " AND mutation_id = ?;", error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, client_id) ||
      !zg_stmt_bind_int64 (stmt, 2, mutation_id))
    return FALSE;
  rc = zg_stmt_step (stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc == SQLITE_ROW)
    {
      g_autoptr(JsonNode) node = json_from_string (zg_stmt_column_text (stmt, 0), error);

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return FALSE;
      *out_result = json_object_ref (json_node_get_object (node));
    }
  return TRUE;
}

static gboolean
record_applied (ZgServer    *server,
                const char  *client_id,
                gint64       mutation_id,
                gint64       user_id,
                JsonObject  *result,
                GError     **error)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), result);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(ZgStmt) stmt = NULL;

  stmt = zg_storage_prepare (zg_server_get_storage (server),
                             "INSERT INTO applied_mutations (client_id, mutation_id, user_id,"
                             " result, applied_at) VALUES (?,?,?,?,?);", error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, client_id) ||
      !zg_stmt_bind_int64 (stmt, 2, mutation_id) || !zg_stmt_bind_int64 (stmt, 3, user_id) ||
      !zg_stmt_bind_text (stmt, 4, text) ||
      !zg_stmt_bind_int64 (stmt, 5, zg_server_now (server)))
    return FALSE;
  return zg_stmt_run (stmt, error);
}

/* Reads one mutation of a push; NULL result = well-formed, else the rejection. */
static JsonObject *
parse_mutation (JsonNode   *node,
                ZgMutation *m,
                gint64     *out_mutation_id)
{
  JsonObject *o;
  JsonNode *member;
  const char *op = "update";

  memset (m, 0, sizeof *m);
  *out_mutation_id = 0;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  o = json_node_get_object (node);
  member = json_object_get_member (o, "mutation_id");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_INT64 && json_node_get_int (member) > 0)
    *out_mutation_id = json_node_get_int (member);
  else
    return NULL;

  member = json_object_get_member (o, "op");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
        return json_object_new ();
      op = json_node_get_string (member);
    }
  if (g_strcmp0 (op, "update") == 0)
    m->op = ZG_MUTATION_UPDATE;
  else if (g_strcmp0 (op, "create") == 0)
    m->op = ZG_MUTATION_CREATE;
  else if (g_strcmp0 (op, "delete") == 0)
    m->op = ZG_MUTATION_DELETE;
  else
    return json_object_new ();

  member = json_object_get_member (o, "entity");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING ||
      !zg_entity_from_id (json_node_get_string (member), &m->entity))
    {
      JsonObject *r = json_object_new ();

      json_object_set_string_member (r, "reason", "unknown_entity");
      return r;
    }
  member = json_object_get_member (o, "id");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING)
    return json_object_new ();
  m->id = json_node_get_string (member);

  member = json_object_get_member (o, "base_rev");
  if (m->op == ZG_MUTATION_UPDATE)
    {
      if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
          json_node_get_value_type (member) != G_TYPE_INT64 || json_node_get_int (member) < 0)
        return json_object_new ();
      m->base_rev = json_node_get_int (member);
    }
  member = json_object_get_member (o, "fields");
  if (m->op != ZG_MUTATION_DELETE)
    {
      if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
        return json_object_new ();
      m->fields = json_node_get_object (member);
    }
  /* Status workflow: the explicit reopen and the supervisor of a handover. */
  member = json_object_get_member (o, "reopen");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        return json_object_new ();
      m->reopen = json_node_get_boolean (member);
    }
  member = json_object_get_member (o, "supervisor");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
        return json_object_new ();
      m->supervisor = json_node_get_string (member);
    }
  return NULL;
}

static void
push_cb (ZgRequest *req,
         gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  ZgStorage *storage = zg_server_get_storage (server);
  JsonObject *body = zg_request_get_body (req);
  g_autoptr(ZgRecordsCaller) caller = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) results = json_array_new ();
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                      (GDestroyNotify) json_object_unref);
  const char *client_id = NULL;
  JsonArray *mutations;
  JsonNode *member;
  gboolean ok = FALSE;

  if (refuse_nul_escape (req) ||
      !zg_request_body_string (req, "client_id", TRUE, 100, &client_id))
    return;
  if (strlen (client_id) < 8)
    {
      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_client_id",
                                "client_id must have 8 to 100 characters.");
      return;
    }
  member = json_object_get_member (body, "mutations");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    {
      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                "mutations must be an array.");
      return;
    }
  mutations = json_node_get_array (member);
  if (json_array_get_length (mutations) > ZG_SYNC_MAX_MUTATIONS)
    {
      zg_request_respond_error (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_many_mutations",
                                "At most " G_STRINGIFY (ZG_SYNC_MAX_MUTATIONS)
                                " mutations per push.");
      return;
    }
  caller = request_caller (req);
  if (caller == NULL)
    return;

  /* FULL: an acknowledged push survives a power loss, not only a process crash. */
  if (!exec_sql (server, "PRAGMA synchronous = FULL;", &error) ||
      !zg_storage_begin (storage, &error))
    {
      internal_error (req, error);
      return;
    }
  if (!bind_client (server, client_id, caller->user_id, &ok, &error))
    goto fail;
  if (!ok)
    {
      zg_storage_rollback (storage);
      (void) exec_sql (server, "PRAGMA synchronous = NORMAL;", NULL);
      zg_request_respond_error (req, SOUP_STATUS_FORBIDDEN, "client_id_taken",
                                "This client_id belongs to another user.");
      return;
    }
  for (guint i = 0; i < json_array_get_length (mutations); i++)
    {
      g_autoptr(JsonObject) result = NULL;
      g_autoptr(JsonObject) bad = NULL;
      ZgMutation m;
      gint64 mutation_id;
      JsonObject *dup;

      bad = parse_mutation (json_array_get_element (mutations, i), &m, &mutation_id);
      if (mutation_id <= 0)
        {
          result = json_object_new ();
          json_object_set_string_member (result, "status", "rejected");
          json_object_set_string_member (result, "reason", "invalid_mutation");
          json_object_set_string_member (result, "message",
                                         "mutation_id must be a positive integer.");
          json_array_add_object_element (results, g_steal_pointer (&result));
          continue;
        }
      dup = g_hash_table_lookup (seen, &mutation_id);
      if (dup == NULL && !lookup_applied (server, client_id, mutation_id, &result, &error))
        goto fail;
      if (dup != NULL || result != NULL)
        {
          /* A replay: the original answer, nothing applied again. */
          JsonObject *copy = json_object_new ();
          JsonObject *orig = dup != NULL ? dup : result;
          GList *names = json_object_get_members (orig);

          for (GList *l = names; l != NULL; l = l->next)
            json_object_set_member (copy, l->data,
                                    json_node_copy (json_object_get_member (orig, l->data)));
          g_list_free (names);
          json_object_set_int_member (copy, "mutation_id", mutation_id);
          json_object_set_boolean_member (copy, "replayed", TRUE);
          json_array_add_object_element (results, copy);
          continue;
        }
      if (bad != NULL)
        {
          result = json_object_new ();
          json_object_set_string_member (result, "status", "rejected");
          json_object_set_string_member (result, "reason",
                                         json_object_has_member (bad, "reason") ?
                                         json_object_get_string_member (bad, "reason") :
                                         "invalid_mutation");
          json_object_set_string_member (result, "message", "The mutation is malformed.");
        }
      else
        {
          m.client_id = client_id;
          m.mutation_id = mutation_id;
          result = apply_in_savepoint (server, caller, &m, zg_request_get_ip (req), &error);
          if (result == NULL)
            goto fail;
        }
      json_object_set_int_member (result, "mutation_id", mutation_id);
      if (!record_applied (server, client_id, mutation_id, caller->user_id, result, &error))
        goto fail;
      g_hash_table_insert (seen, g_memdup2 (&mutation_id, sizeof mutation_id),
                           json_object_ref (result));
      json_array_add_object_element (results, g_steal_pointer (&result));
    }
  if (!zg_storage_commit (storage, &error))
    goto fail;
  (void) exec_sql (server, "PRAGMA synchronous = NORMAL;", NULL);
  json_object_set_array_member (answer, "results", g_steal_pointer (&results));
  zg_request_respond_object (req, SOUP_STATUS_OK, answer);
  return;

fail:
  zg_storage_rollback (storage);
  (void) exec_sql (server, "PRAGMA synchronous = NORMAL;", NULL);
  internal_error (req, error);
}

/* ---- pull ---- */

typedef struct
{
  gboolean snapshot;
  gint64   seq;
  gint64   start;   /* snapshot: the sequence value when it began */
} Cursor;

static char *
cursor_encode (const Cursor *c,
               const char   *fingerprint)
{
  return g_strdup_printf ("c1.%c.%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT ".%.32s",
                          c->snapshot ? 's' : 'i', c->seq, c->start, fingerprint);
}

static gboolean
parse_int (const char *text,
           gint64     *out)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &v, NULL))
    return FALSE;
  *out = (gint64) v;
  return TRUE;
}

/* FALSE = malformed; *out_rights_changed when the fingerprint is not the caller's now. */
static gboolean
cursor_decode (const char *text,
               const char *fingerprint,
               Cursor     *c,
               gboolean   *out_rights_changed)
{
  g_auto(GStrv) parts = NULL;

  *out_rights_changed = FALSE;
  if (strlen (text) > 200)
    return FALSE;
  parts = g_strsplit (text, ".", -1);
  if (g_strv_length (parts) != 5 || g_strcmp0 (parts[0], "c1") != 0 ||
      (g_strcmp0 (parts[1], "s") != 0 && g_strcmp0 (parts[1], "i") != 0) ||
      !parse_int (parts[2], &c->seq) || !parse_int (parts[3], &c->start) ||
      strlen (parts[4]) != 32)
    return FALSE;
  c->snapshot = parts[1][0] == 's';
  *out_rights_changed = strncmp (parts[4], fingerprint, 32) != 0;
  return TRUE;
}

static gboolean
bind_values (ZgStmt    *stmt,
             int        first,
             GPtrArray *values)
{
  for (guint i = 0; i < values->len; i++)
    if (!zg_stmt_bind_text (stmt, first + (int) i, values->pdata[i]))
      return FALSE;
  return TRUE;
}

typedef struct
{
  gint64  seq;
  gint64  rev;     /* -1 = a removal */
  char   *entity;
  char   *id;
  char   *body;    /* stored canonical JSON, embedded as is */
  gint64  process[4];   /* created_at, created_by, updated_at, updated_by; -1 = null */
} PullItem;

static void
pull_item_clear (gpointer data)
{
  PullItem *it = data;

  g_free (it->entity);
  g_free (it->id);
  g_free (it->body);
}

/* Entity names are fixed and ids are checked UUIDs, but escape anyway. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guint) (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* Runs one of the two pull queries; rows: seq, entity, id [, rev, body]. */
static gboolean
pull_query (ZgStorage   *storage,
            const char  *sql,
            gint64       after,
            GPtrArray  **value_lists,
            guint        n_lists,
            gint64       limit,
            gboolean     records,
            GArray      *items,
            GError     **error)
{
  g_autoptr(ZgStmt) stmt = zg_storage_prepare (storage, sql, error);
  int idx = 2;
  int rc;

  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, after))
    return FALSE;
  for (guint l = 0; l < n_lists; l++)
    {
      if (!bind_values (stmt, idx, value_lists[l]))
        return FALSE;
      idx += (int) value_lists[l]->len;
    }
  if (!zg_stmt_bind_int64 (stmt, idx, limit))
    return FALSE;
  while ((rc = zg_stmt_step (stmt, error)) == SQLITE_ROW)
    {
      PullItem *it;

      /* Filled in place: the array owns the strings (its clear function frees them). */
      g_array_set_size (items, items->len + 1);
      it = &g_array_index (items, PullItem, items->len - 1);
      it->seq = zg_stmt_column_int64 (stmt, 0);
      it->entity = g_strdup (zg_stmt_column_text (stmt, 1));
      it->id = g_strdup (zg_stmt_column_text (stmt, 2));
      it->rev = records ? zg_stmt_column_int64 (stmt, 3) : -1;
      it->body = records ? g_strdup (zg_stmt_column_text (stmt, 4)) : NULL;
      for (int k = 0; k < 4; k++)
        it->process[k] = !records || zg_stmt_column_is_null (stmt, 5 + k) ? -1 :
                         zg_stmt_column_int64 (stmt, 5 + k);
    }
  return rc >= 0;
}

static void
pull_cb (ZgRequest *req,
         gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  ZgStorage *storage = zg_server_get_storage (server);
  const char *cursor_text = zg_request_get_query (req, "cursor");
  const char *limit_text = zg_request_get_query (req, "limit");
  g_autoptr(ZgRecordsCaller) caller = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) rsql = g_string_new (NULL);
  g_autoptr(GString) xsql = g_string_new (NULL);
  g_autoptr(GPtrArray) rvalues = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) xvalues = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) x2values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) recs = g_array_new (FALSE, TRUE, sizeof (PullItem));
  g_autoptr(GArray) rems = g_array_new (FALSE, TRUE, sizeof (PullItem));
  g_autoptr(ZgStmt) stmt = NULL;
  g_autoptr(GString) out = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *next = NULL;
  gint64 limit = PULL_LIMIT_DEFAULT;
  gint64 max_seq, trimmed, last = 0;
  Cursor c = { TRUE, 0, 0 };
  gboolean has_more, was_snapshot;
  guint ri = 0, xi = 0, n_changes = 0, n_removals = 0;
  gsize body_bytes = 0;

  g_array_set_clear_func (recs, pull_item_clear);
  g_array_set_clear_func (rems, pull_item_clear);
  if (limit_text != NULL && (!parse_int (limit_text, &limit) || limit < 1))
    {
      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_limit",
                                "limit must be a positive integer.");
      return;
    }
  limit = MIN (limit, PULL_LIMIT_MAX);
  caller = request_caller (req);
  if (caller == NULL)
    return;

  if (!exec_sql (server, "BEGIN;", &error))
    {
      internal_error (req, error);
      return;
    }
  stmt = zg_storage_prepare (storage, "SELECT value, trimmed_seq FROM sync_sequence"
                             " WHERE id = 1;", &error);
  if (stmt == NULL || zg_stmt_step (stmt, &error) != SQLITE_ROW)
    goto fail;
  max_seq = zg_stmt_column_int64 (stmt, 0);
  trimmed = zg_stmt_column_int64 (stmt, 1);
  g_clear_pointer (&stmt, zg_stmt_release);

  if (cursor_text != NULL && *cursor_text != '\0')
    {
      gboolean rights_changed;

      if (!cursor_decode (cursor_text, caller->fingerprint, &c, &rights_changed) ||
          c.seq > max_seq || c.start > max_seq)
        {
          (void) exec_sql (server, "COMMIT;", NULL);
          zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_cursor",
                                    "The cursor is not valid.");
          return;
        }
      if (rights_changed || (!c.snapshot && c.seq < trimmed))
        {
          (void) exec_sql (server, "COMMIT;", NULL);
          zg_request_respond_error (req, SOUP_STATUS_CONFLICT, "resync_required",
                                    "Fetch a fresh snapshot and purge what it does not contain.");
          return;
        }
    }
  else
    c.start = max_seq;

  g_string_append (rsql, "SELECT r.seq, r.entity, r.id, r.rev, r.body, r.created_at,"
                   " r.created_by, r.updated_at, r.updated_by FROM records AS r"
                   " WHERE r.seq > ? AND ");
  zg_records_append_visible (rsql, rvalues, caller, "r");
  g_string_append (rsql, " ORDER BY r.seq LIMIT ?;");
  if (!pull_query (storage, rsql->str, c.seq, &rvalues, 1, limit, TRUE, recs, &error))
    goto fail;
  if (!c.snapshot)
    {
      GPtrArray *lists[2] = { xvalues, x2values };

      g_string_append (xsql, "SELECT x.seq, x.entity, x.id FROM removals AS x WHERE x.seq > ?"
                       " AND ");
      zg_records_append_visible (xsql, xvalues, caller, "x");
      g_string_append (xsql, " AND NOT EXISTS (SELECT 1 FROM records AS r WHERE"
                       " r.entity = x.entity AND r.id = x.id AND ");
      zg_records_append_visible (xsql, x2values, caller, "r");
      g_string_append (xsql, ") ORDER BY x.seq LIMIT ?;");
      if (!pull_query (storage, xsql->str, c.seq, lists, 2, limit, FALSE, rems, &error))
        goto fail;
    }
  (void) exec_sql (server, "COMMIT;", NULL);

  for (guint i = 0; i < recs->len; i++)
    body_bytes += strlen (g_array_index (recs, PullItem, i).body) + 120;
  out = g_string_sized_new (body_bytes + 256);
  {
    g_autoptr(GString) removed = g_string_new ("],\"removals\":[");

    g_string_append (out, "{\"changes\":[");
    /* Merge both streams by sequence value and cut at the limit. */
    while ((ri < recs->len || xi < rems->len) && ri + xi < (guint) limit)
      {
        const PullItem *r = ri < recs->len ? &g_array_index (recs, PullItem, ri) : NULL;
        const PullItem *x = xi < rems->len ? &g_array_index (rems, PullItem, xi) : NULL;

        if (r != NULL && (x == NULL || r->seq < x->seq))
          {
            g_string_append (out, n_changes++ ? ",{\"entity\":" : "{\"entity\":");
            append_json_string (out, r->entity);
            g_string_append (out, ",\"id\":");
            append_json_string (out, r->id);
            g_string_append_printf (out, ",\"rev\":%" G_GINT64_FORMAT, r->rev);
            for (int k = 0; k < 4; k++)
              {
                static const char *const names[] = { "created_at", "created_by",
                                                     "updated_at", "updated_by" };

                if (r->process[k] < 0)
                  g_string_append_printf (out, ",\"%s\":null", names[k]);
                else
                  g_string_append_printf (out, ",\"%s\":%" G_GINT64_FORMAT, names[k],
                                          r->process[k]);
              }
            g_string_append (out, ",\"record\":");
            g_string_append (out, r->body);
            g_string_append_c (out, '}');
            last = r->seq;
            ri++;
          }
        else if (x != NULL)
          {
            g_string_append (removed, n_removals++ ? ",{\"entity\":" : "{\"entity\":");
            append_json_string (removed, x->entity);
            g_string_append (removed, ",\"id\":");
            append_json_string (removed, x->id);
            g_string_append_c (removed, '}');
            last = x->seq;
            xi++;
          }
      }
    g_string_append_len (out, removed->str, (gssize) removed->len);
  }
  has_more = recs->len == (guint) limit || rems->len == (guint) limit;

  was_snapshot = c.snapshot;
  if (has_more)
    c.seq = last;
  else if (c.snapshot)
    {
      /* Snapshot done: continue incrementally from where it began, so that changes and
       * removals made while it was paged are not missed. */
      c.snapshot = FALSE;
      c.seq = c.start;
    }
  else
    c.seq = max_seq;
  next = cursor_encode (&c, caller->fingerprint);
  g_string_append (out, "],\"cursor\":");
  append_json_string (out, next);
  g_string_append_printf (out, ",\"has_more\":%s,\"snapshot\":%s}", has_more ? "true" : "false",
                          was_snapshot ? "true" : "false");
  bytes = g_string_free_to_bytes (g_steal_pointer (&out));
  zg_request_respond_bytes (req, SOUP_STATUS_OK, "application/json", bytes);
  return;

fail:
  g_clear_pointer (&stmt, zg_stmt_release);
  (void) exec_sql (server, "ROLLBACK;", NULL);
  internal_error (req, error);
}

/* ---- access criteria of users (area Benutzer) ---- */

static gboolean
user_exists (ZgServer *server,
             gint64    id)
{
  g_autoptr(ZgStmt) stmt = zg_storage_prepare (zg_server_get_storage (server),
                                               "SELECT 1 FROM users WHERE id = ?;", NULL);

  return stmt != NULL && zg_stmt_bind_int64 (stmt, 1, id) && zg_stmt_step (stmt, NULL) ==
         SQLITE_ROW;
}

static void
criteria_get_cb (ZgRequest *req,
                 gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  const ZgSessionCaller *session = zg_request_get_caller (req);
  g_autoptr(ZgRecordsCaller) target = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (!zg_request_get_param_id (req, "id", &id) || !user_exists (server, id))
    {
      zg_request_respond_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such user.");
      return;
    }
  target = zg_records_caller_load (server, id, NULL, session->areas, &error);
  if (target == NULL)
    {
      internal_error (req, error);
      return;
    }
  if (target->criteria == NULL)
    {
      g_autoptr(ZgAccessCriteria) none = zg_access_criteria_new ();

      node = zg_access_criteria_to_json (none);
    }
  else
    node = zg_access_criteria_to_json (target->criteria);
  /* zg_request_respond_json() borrows the node */
  zg_request_respond_json (req, SOUP_STATUS_OK, node);
}

static void
criteria_put_cb (ZgRequest *req,
                 gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  const ZgSessionCaller *session = zg_request_get_caller (req);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), zg_request_get_body (req));
  g_autoptr(ZgAccessCriteria) criteria = NULL;
  g_autoptr(JsonNode) canonical = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  g_autofree char *text = NULL;
  g_autofree char *detail = NULL;
  gint64 id;

  if (!zg_request_get_param_id (req, "id", &id) || !user_exists (server, id))
    {
      zg_request_respond_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such user.");
      return;
    }
  criteria = zg_access_criteria_from_json (node, &error);
  if (criteria == NULL)
    {
      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_criteria", error->message);
      return;
    }
  canonical = zg_access_criteria_to_json (criteria);
  text = json_to_string (canonical, FALSE);
  stmt = zg_storage_prepare (zg_server_get_storage (server),
                             "INSERT OR REPLACE INTO user_access (user_id, criteria, updated_at)"
                             " VALUES (?, ?, ?);", &error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, id) || !zg_stmt_bind_text (stmt, 2, text) ||
      !zg_stmt_bind_int64 (stmt, 3, zg_server_now (server)) || !zg_stmt_run (stmt, &error))
    {
      internal_error (req, error);
      return;
    }
  detail = g_strdup_printf ("user %" G_GINT64_FORMAT ": %s", id, text);
  zg_audit_log (server, session->user_id, session->email, zg_request_get_ip (req),
                ZG_AUDIT_ACCESS_CRITERIA_SET, detail);
  zg_request_respond_json (req, SOUP_STATUS_OK, canonical);
}

/* ---- REST single records (R-APP-7) ---- */

static guint
status_for_reason (const char *reason)
{
  if (g_strcmp0 (reason, "not_found") == 0)
    return SOUP_STATUS_NOT_FOUND;
  if (g_strcmp0 (reason, "forbidden") == 0)
    return SOUP_STATUS_FORBIDDEN;
  if (g_strcmp0 (reason, "exists") == 0 || g_strcmp0 (reason, "referenced") == 0 ||
      g_strcmp0 (reason, "invalid_transition") == 0)
    return SOUP_STATUS_CONFLICT;
  return SOUP_STATUS_BAD_REQUEST;
}

static void
rest_mutate (ZgRequest    *req,
             ZgEntity      entity,
             ZgMutationOp  op,
             const char   *id,
             JsonObject   *fields,
             gint64        base_rev,
             gboolean      reopen,
             const char   *supervisor)
{
  ZgServer *server = zg_request_get_server (req);
  ZgStorage *storage = zg_server_get_storage (server);
  g_autoptr(ZgRecordsCaller) caller = request_caller (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *client_id = NULL;
  const char *status;
  ZgMutation m = { 0 };

  if (caller == NULL)
    return;
  client_id = g_strdup_printf ("rest:%" G_GINT64_FORMAT, caller->user_id);
  m.client_id = client_id;
  m.entity = entity;
  m.id = id;
  m.op = op;
  m.base_rev = base_rev;
  m.fields = fields;
  m.reopen = reopen;
  m.supervisor = supervisor;
  if (!zg_storage_begin (storage, &error))
    {
      internal_error (req, error);
      return;
    }
  result = apply_in_savepoint (server, caller, &m, zg_request_get_ip (req), &error);
  if (result == NULL || !zg_storage_commit (storage, &error))
    {
      zg_storage_rollback (storage);
      internal_error (req, error);
      return;
    }
  status = json_object_get_string_member (result, "status");
  if (g_strcmp0 (status, "rejected") == 0)
    {
      const char *reason = json_object_get_string_member (result, "reason");

      zg_request_respond_error (req, status_for_reason (reason), reason,
                                json_object_get_string_member (result, "message"));
    }
  else if (g_strcmp0 (status, "conflict") == 0)
    {
      json_object_set_string_member (result, "error", "conflict");
      zg_request_respond_object (req, SOUP_STATUS_CONFLICT, result);
    }
  else if (op == ZG_MUTATION_DELETE)
    zg_request_respond_empty (req, SOUP_STATUS_NO_CONTENT);
  else
    {
      g_autoptr(JsonObject) rec = zg_records_get (server, caller, entity, id, &error);

      if (rec == NULL)
        internal_error (req, error);
      else
        zg_request_respond_object (req, op == ZG_MUTATION_CREATE ? SOUP_STATUS_CREATED :
                                   SOUP_STATUS_OK, rec);
    }
}

static void
rest_list_cb (ZgRequest *req,
              gpointer   user_data)
{
  ZgEntity entity = GPOINTER_TO_UINT (user_data);
  g_autoptr(ZgRecordsCaller) caller = request_caller (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) list = NULL;
  g_autoptr(JsonObject) answer = json_object_new ();

  if (caller == NULL)
    return;
  list = zg_records_list (zg_request_get_server (req), caller, entity, &error);
  if (list == NULL)
    {
      internal_error (req, error);
      return;
    }
  json_object_set_array_member (answer, "items", g_steal_pointer (&list));
  zg_request_respond_object (req, SOUP_STATUS_OK, answer);
}

static void
rest_get_cb (ZgRequest *req,
             gpointer   user_data)
{
  ZgEntity entity = GPOINTER_TO_UINT (user_data);
  g_autoptr(ZgRecordsCaller) caller = request_caller (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) rec = NULL;

  if (caller == NULL)
    return;
  rec = zg_records_get (zg_request_get_server (req), caller, entity,
                        zg_request_get_param (req, "id"), &error);
  if (rec == NULL && error != NULL)
    internal_error (req, error);
  else if (rec == NULL)
    zg_request_respond_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such record.");
  else
    zg_request_respond_object (req, SOUP_STATUS_OK, rec);
}

static void
rest_create_cb (ZgRequest *req,
                gpointer   user_data)
{
  ZgEntity entity = GPOINTER_TO_UINT (user_data);
  JsonObject *body = zg_request_get_body (req);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autofree char *id = NULL;
  GList *names;

  if (refuse_nul_escape (req))
    return;
  names = json_object_get_members (body);
  for (GList *l = names; l != NULL; l = l->next)
    if (g_strcmp0 (l->data, "id") != 0 && g_strcmp0 (l->data, "rev") != 0)
      json_object_set_member (fields, l->data,
                              json_node_copy (json_object_get_member (body, l->data)));
  g_list_free (names);
  if (json_object_has_member (body, "id"))
    {
      JsonNode *n = json_object_get_member (body, "id");

      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
        {
          zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_mutation",
                                    "The id must be a lower-case UUID.");
          return;
        }
      id = g_strdup (json_node_get_string (n));
    }
  else
    id = g_uuid_string_random ();
  rest_mutate (req, entity, ZG_MUTATION_CREATE, id, fields, 0, FALSE, NULL);
}

static void
rest_patch_cb (ZgRequest *req,
               gpointer   user_data)
{
  ZgEntity entity = GPOINTER_TO_UINT (user_data);
  JsonObject *body = zg_request_get_body (req);
  JsonNode *fields = json_object_get_member (body, "fields");
  JsonNode *reopen = json_object_get_member (body, "reopen");
  JsonNode *supervisor = json_object_get_member (body, "supervisor");
  gint64 base_rev = -1;
  gboolean present = FALSE;

  if (refuse_nul_escape (req) ||
      !zg_request_body_int (req, "base_rev", FALSE, &base_rev, &present))
    return;
  if (!present)
    base_rev = -1;
  else if (base_rev < 0)
    {
      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_mutation",
                                "base_rev must not be negative.");
      return;
    }
  if (fields == NULL || !JSON_NODE_HOLDS_OBJECT (fields))
    {
      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_mutation",
                                "fields must be an object of field paths and values.");
      return;
    }
  if ((reopen != NULL && (!JSON_NODE_HOLDS_VALUE (reopen) ||
                          json_node_get_value_type (reopen) != G_TYPE_BOOLEAN)) ||
      (supervisor != NULL && (!JSON_NODE_HOLDS_VALUE (supervisor) ||
                              json_node_get_value_type (supervisor) != G_TYPE_STRING)))
    {
      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_mutation",
                                "reopen must be true or false, supervisor a string.");
      return;
    }
  rest_mutate (req, entity, ZG_MUTATION_UPDATE, zg_request_get_param (req, "id"),
               json_node_get_object (fields), base_rev,
               reopen != NULL && json_node_get_boolean (reopen),
               supervisor != NULL ? json_node_get_string (supervisor) : NULL);
}

static void
rest_delete_cb (ZgRequest *req,
                gpointer   user_data)
{
  rest_mutate (req, GPOINTER_TO_UINT (user_data), ZG_MUTATION_DELETE,
               zg_request_get_param (req, "id"), NULL, 0, FALSE, NULL);
}

static void
history_cb (ZgRequest *req,
            gpointer   user_data)
{
  g_autoptr(ZgRecordsCaller) caller = request_caller (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) list = NULL;
  g_autoptr(JsonObject) answer = json_object_new ();

  if (caller == NULL)
    return;
  list = zg_records_history (zg_request_get_server (req), caller,
                             zg_request_get_param (req, "id"), &error);
  if (list == NULL && error != NULL)
    internal_error (req, error);
  else if (list == NULL)
    zg_request_respond_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such record.");
  else
    {
      json_object_set_array_member (answer, "items", g_steal_pointer (&list));
      zg_request_respond_object (req, SOUP_STATUS_OK, answer);
    }
}

void
zg_sync_register_routes (ZgServer *server)
{
  static const struct
  {
    ZgEntity    entity;
    const char *path;
    ZgArea      write_area;   /* 0: decided per record by zg-access (certificates) */
  } rest[] = {
    { ZG_ENTITY_CERTIFICATE, "/api/v1/certificates", 0 },
    { ZG_ENTITY_EMPLOYEE, "/api/v1/employees", ZG_AREA_MITARBEITER },
    { ZG_ENTITY_COMPANY, "/api/v1/companies", ZG_AREA_UNTERNEHMEN },
    { ZG_ENTITY_EMPLOYEE_TYPE, "/api/v1/employee-types", ZG_AREA_UNTERNEHMEN },
    { ZG_ENTITY_JOB_PROFILE, "/api/v1/job-profiles", ZG_AREA_BERUFSBILDER },
    { ZG_ENTITY_QUALIFICATION, "/api/v1/qualifications", ZG_AREA_QUALIFIKATIONEN },
  };

  g_return_if_fail (ZG_IS_SERVER (server));
  /* Links the generated resource object (migration 0200); its constructor registers it. */
  (void) zg_sync_get_resource ();
  zg_records_init (server);
  zg_records_retention_init (server);
  zg_http_add_route (server, "POST", "/api/v1/sync/push",
                     ZG_ROUTE_JSON_BODY | ZG_ROUTE_LARGE_BODY, 0, push_cb, NULL);
  zg_http_add_route (server, "GET", "/api/v1/sync/pull", ZG_ROUTE_AUTHENTICATED, 0, pull_cb,
                     NULL);
  zg_http_add_route (server, "GET", "/api/v1/users/{id}/access-criteria",
                     ZG_ROUTE_AUTHENTICATED, ZG_AREA_BENUTZER, criteria_get_cb, NULL);
  zg_http_add_route (server, "PUT", "/api/v1/users/{id}/access-criteria", ZG_ROUTE_JSON_BODY,
                     ZG_AREA_BENUTZER, criteria_put_cb, NULL);
  zg_http_add_route (server, "GET", "/api/v1/certificates/{id}/history", ZG_ROUTE_AUTHENTICATED,
                     0, history_cb, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (rest); i++)
    {
      g_autofree char *one = g_strdup_printf ("%s/{id}", rest[i].path);
      gpointer e = GUINT_TO_POINTER (rest[i].entity);

      zg_http_add_route (server, "GET", rest[i].path, ZG_ROUTE_AUTHENTICATED, 0, rest_list_cb, e);
      zg_http_add_route (server, "GET", one, ZG_ROUTE_AUTHENTICATED, 0, rest_get_cb, e);
      zg_http_add_route (server, "POST", rest[i].path, ZG_ROUTE_JSON_BODY, rest[i].write_area,
                         rest_create_cb, e);
      zg_http_add_route (server, "PATCH", one, ZG_ROUTE_JSON_BODY, rest[i].write_area,
                         rest_patch_cb, e);
      zg_http_add_route (server, "DELETE", one, ZG_ROUTE_AUTHENTICATED, rest[i].write_area,
                         rest_delete_cb, e);
    }
}
