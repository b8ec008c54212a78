/* records-store.c — the one mutation path for certificates, employees and master data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "records-store.h"

#include <string.h>

#include "audit.h"
#include "settings.h"
#include "storage.h"
#include "zg-crypto.h"
#include "zg-sections.h"
#include "zg-workflow.h"

typedef struct
{
  const char         *id;
  ZgMasterKind        kind;
  const char *const  *members;   /* top-level members a mutation may name (not certificate) */
} EntityInfo;

static const char *const employee_members[] = {
  "salutation", "title", "first_name", "last_name", "birth_date", "birth_place", "street",
  "postcode", "city", "country", "email", "entry_date", "exit_date", "exit_reason",
  "employee_type_id", "company_id", "location_id", "department_id", "org_unit_id", NULL
};
static const char *const company_members[] = {
  "name", "street", "postcode", "city", "country", "description", "locations", "departments",
  "org_units", NULL
};
static const char *const employee_type_members[] = { "name", "key", "manager", NULL };
static const char *const job_profile_members[] = { "name", "language", "tasks", NULL };
static const char *const qualification_members[] = { "kind", "name", "text", "language", NULL };

static const EntityInfo entities[ZG_N_ENTITIES] = {
  [ZG_ENTITY_CERTIFICATE]   = { "certificate", ZG_MASTER_EMPLOYEE, NULL },
  [ZG_ENTITY_EMPLOYEE]      = { "employee", ZG_MASTER_EMPLOYEE, employee_members },
  [ZG_ENTITY_COMPANY]       = { "company", ZG_MASTER_COMPANY, company_members },
  [ZG_ENTITY_EMPLOYEE_TYPE] = { "employee_type", ZG_MASTER_EMPLOYEE_TYPE, employee_type_members },
  [ZG_ENTITY_JOB_PROFILE]   = { "job_profile", ZG_MASTER_BERUFSBILD, job_profile_members },
  [ZG_ENTITY_QUALIFICATION] = { "qualification", ZG_MASTER_QUALIFICATION, qualification_members },
};

static const ZgSettingDef sync_settings[] = {
  { ZG_SETTING_HISTORY_ENABLED, ZG_SETTING_BOOL, "false", 0, 0, ZG_SETTING_FREE,
    "Record every change to a certificate with editor, time, before and after (R-HIST-1)" },
  { ZG_SETTING_SYNC_HISTORY_DAYS, ZG_SETTING_INT, "90", 1, 3650, ZG_SETTING_FREE,
    "Keep removals and answered push mutations this many days; clients offline longer "
    "fetch a fresh snapshot" },
};

/* The typed attributes of a record: what the access decision and the filters read. */
typedef struct
{
  char     *dims[ZG_N_DIMS];
  gboolean  is_private;
  char     *creator_id;
  char     *employee_id;
  char     *status;
  char     *kind;
  char     *issue_date;
  char     *exit_date;
  char     *job_profile_id;   /* a certificate's Berufsbild, when it names one by id */
  GPtrArray *refs;   /* char*: employees a certificate references (R-DEL-3) */
} Attrs;

/* R-DATA-4: what a change adds to a certificate's process data. */
typedef struct
{
  gboolean             created;
  gboolean             status_change;
  ZgCertificateStatus  from;
  ZgCertificateStatus  to;
  ZgProcessEventType   handover;     /* ZG_N_PROCESS_EVENTS = none */
  const char          *supervisor;
  const char          *by;           /* user id text; NULL = no account */
  const char          *by_name;
  gint64               at;
  gint64               user_id;
} ProcessNote;

typedef struct
{
  gboolean  exists;
  gint64    rev;
  JsonNode *body;
  Attrs     attrs;
} Row;

static void
attrs_clear (Attrs *a)
{
  for (guint i = 0; i < ZG_N_DIMS; i++)
    g_clear_pointer (&a->dims[i], g_free);
  g_clear_pointer (&a->creator_id, g_free);
  g_clear_pointer (&a->employee_id, g_free);
  g_clear_pointer (&a->status, g_free);
  g_clear_pointer (&a->kind, g_free);
  g_clear_pointer (&a->issue_date, g_free);
  g_clear_pointer (&a->exit_date, g_free);
  g_clear_pointer (&a->job_profile_id, g_free);
  g_clear_pointer (&a->refs, g_ptr_array_unref);
}

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->body, json_node_unref);
  attrs_clear (&row->attrs);
}

static void
attrs_subject (const Attrs     *a,
               ZgAccessSubject *s)
{
  for (guint i = 0; i < ZG_N_DIMS; i++)
    s->dims[i] = a->dims[i];
  s->is_private = a->is_private;
  s->creator_id = a->creator_id;
}

static gboolean
attrs_same_access (const Attrs *a,
                   const Attrs *b)
{
  for (guint i = 0; i < ZG_N_DIMS; i++)
    if (g_strcmp0 (a->dims[i], b->dims[i]) != 0)
      return FALSE;
  return a->is_private == b->is_private && g_strcmp0 (a->creator_id, b->creator_id) == 0;
}

gboolean
zg_entity_from_id (const char *id,
                   ZgEntity   *out_entity)
{
  for (guint i = 0; i < ZG_N_ENTITIES; i++)
    if (g_strcmp0 (id, entities[i].id) == 0)
      {
        *out_entity = (ZgEntity) i;
        return TRUE;
      }
  return FALSE;
}

const char *
zg_entity_id (ZgEntity entity)
{
  g_return_val_if_fail (entity < ZG_N_ENTITIES, NULL);
  return entities[entity].id;
}

void
zg_records_init (ZgServer *server)
{
  g_return_if_fail (ZG_IS_SERVER (server));
  zg_settings_register (zg_server_get_settings (server), sync_settings,
                        G_N_ELEMENTS (sync_settings));
}

/* ---- caller ---- */

void
zg_records_caller_free (ZgRecordsCaller *caller)
{
  if (caller == NULL)
    return;
  g_free (caller->user_id_text);
  g_free (caller->email);
  g_free (caller->name);
  g_clear_pointer (&caller->criteria, zg_access_criteria_free);
  g_free (caller->fingerprint);
  g_free (caller);
}

ZgRecordsCaller *
zg_records_caller_load (ZgServer    *server,
                        gint64       user_id,
                        const char  *email,
                        ZgAreaSet    areas,
                        GError     **error)
{
  ZgStorage *storage = zg_server_get_storage (server);
  g_autoptr(ZgRecordsCaller) caller = g_new0 (ZgRecordsCaller, 1);
  g_autoptr(ZgStmt) stmt = NULL;
  g_autofree char *criteria_text = NULL;
  g_autofree char *print = NULL;
  int rc;

  g_return_val_if_fail (ZG_IS_SERVER (server), NULL);

  caller->user_id = user_id;
  caller->user_id_text = g_strdup_printf ("%" G_GINT64_FORMAT, user_id);
  caller->email = g_strdup (email);
  stmt = zg_storage_prepare (storage, "SELECT criteria FROM user_access WHERE user_id = ?;",
                             error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, user_id))
    return NULL;
  rc = zg_stmt_step (stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_ROW)
    {
      g_autoptr(JsonNode) node = json_from_string (zg_stmt_column_text (stmt, 0), NULL);

      /* A stored value that no longer parses grants nothing (fail closed). */
      if (node != NULL)
        caller->criteria = zg_access_criteria_from_json (node, NULL);
    }
  g_clear_pointer (&stmt, zg_stmt_release);
  stmt = zg_storage_prepare (storage, "SELECT first_name, last_name FROM users WHERE id = ?;",
                             error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, user_id))
    return NULL;
  rc = zg_stmt_step (stmt, error);
  if (rc < 0)
    return NULL;
  if (rc == SQLITE_ROW)
    caller->name = g_strstrip (g_strdup_printf ("%s %s", zg_stmt_column_text (stmt, 0),
                                                zg_stmt_column_text (stmt, 1)));
  if (caller->criteria != NULL)
    {
      g_autoptr(JsonNode) json = zg_access_criteria_to_json (caller->criteria);
      criteria_text = json_to_string (json, FALSE);
    }
  print = g_strdup_printf ("%s\n%s", caller->user_id_text,
                           criteria_text != NULL ? criteria_text : "none");
  caller->fingerprint = zg_sha256_hex_str (print);
  caller->access.user_id = caller->user_id_text;
  caller->access.areas = areas;
  caller->access.criteria = caller->criteria;
  caller->access.read_only = FALSE;
  return g_steal_pointer (&caller);
}

/* ---- field paths ---- */

typedef struct
{
  char  *key;     /* NULL for an index */
  guint  index;
} Seg;

static void
seg_free (gpointer data)
{
  Seg *s = data;

  g_free (s->key);
  g_free (s);
}

/* "a.b[2].c", with everything after "ergebnis.variants." one key (slots contain dots). */
static GPtrArray *
path_parse (const char *path)
{
  g_autoptr(GPtrArray) segs = g_ptr_array_new_with_free_func (seg_free);
  const char *p = path;

  if (path == NULL || *path == '\0' || !g_utf8_validate (path, -1, NULL) || strlen (path) > 512)
    return NULL;
  while (*p != '\0')
    {
      const char *end;
      Seg *seg;

      if (segs->len == 2 && g_strcmp0 (((Seg *) segs->pdata[0])->key, "ergebnis") == 0 &&
          g_strcmp0 (((Seg *) segs->pdata[1])->key, "variants") == 0)
        end = p + strlen (p);
      else
        end = p + strcspn (p, ".[");
      if (end == p)
        return NULL;
      seg = g_new0 (Seg, 1);
      seg->key = g_strndup (p, (gsize) (end - p));
      g_ptr_array_add (segs, seg);
      p = end;
      while (*p == '[')
        {
          guint64 n;
          char *stop = NULL;

          if (!g_ascii_isdigit (p[1]))
            return NULL;
          n = g_ascii_strtoull (p + 1, &stop, 10);
          if (stop == NULL || *stop != ']' || n > 100000)
            return NULL;
          seg = g_new0 (Seg, 1);
          seg->index = (guint) n;
          g_ptr_array_add (segs, seg);
          p = stop + 1;
        }
      if (*p == '.')
        {
          p++;
          if (*p == '\0')
            return NULL;
        }
      else if (*p != '\0')
        return NULL;
    }
  return g_steal_pointer (&segs);
}

static JsonNode *
path_get (JsonNode  *root,
          GPtrArray *segs)
{
  JsonNode *node = root;

  for (guint i = 0; i < segs->len && node != NULL; i++)
    {
      const Seg *s = segs->pdata[i];

      if (s->key != NULL)
        node = JSON_NODE_HOLDS_OBJECT (node) ?
               json_object_get_member (json_node_get_object (node), s->key) : NULL;
      else if (JSON_NODE_HOLDS_ARRAY (node) &&
               s->index < json_array_get_length (json_node_get_array (node)))
        node = json_array_get_element (json_node_get_array (node), s->index);
      else
        node = NULL;
    }
  return node;
}

/* Sets (or with a JSON null removes) the value at @segs; intermediate objects are made.
 * An index may replace an element or append at the end. */
static gboolean
path_set (JsonNode   *root,
          GPtrArray  *segs,
          JsonNode   *value)
{
  JsonNode *node = root;

  for (guint i = 0; i < segs->len; i++)
    {
      const Seg *s = segs->pdata[i];
      gboolean last = i + 1 == segs->len;

      if (s->key != NULL)
        {
          JsonObject *obj;
          JsonNode *child;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            return FALSE;
          obj = json_node_get_object (node);
          if (last)
            {
              if (JSON_NODE_HOLDS_NULL (value))
                json_object_remove_member (obj, s->key);
              else
                json_object_set_member (obj, s->key, json_node_copy (value));
              return TRUE;
            }
          child = json_object_get_member (obj, s->key);
          if (child == NULL || JSON_NODE_HOLDS_NULL (child))
            {
              const Seg *next = segs->pdata[i + 1];

              if (next->key != NULL)
                json_object_set_object_member (obj, s->key, json_object_new ());
              else
                json_object_set_array_member (obj, s->key, json_array_new ());
              child = json_object_get_member (obj, s->key);
            }
          node = child;
        }
      else
        {
          JsonArray *arr;
          guint len;

          if (!JSON_NODE_HOLDS_ARRAY (node))
            return FALSE;
          arr = json_node_get_array (node);
          len = json_array_get_length (arr);
          if (s->index > len || (s->index == len && !last))
            return FALSE;
          if (last)
            {
              if (s->index == len)
                json_array_add_element (arr, json_node_copy (value));
              else
                {
                  /* json-glib has no element setter: rebuild the tail. */
                  g_autoptr(GPtrArray) tail = g_ptr_array_new_with_free_func (
                    (GDestroyNotify) json_node_unref);

                  for (guint k = s->index + 1; k < len; k++)
                    g_ptr_array_add (tail, json_node_copy (json_array_get_element (arr, k)));
                  for (guint k = len; k > s->index; k--)
                    json_array_remove_element (arr, k - 1);
                  json_array_add_element (arr, json_node_copy (value));
                  for (guint k = 0; k < tail->len; k++)
                    json_array_add_element (arr, json_node_copy (tail->pdata[k]));
                }
              return TRUE;
            }
          node = json_array_get_element (arr, s->index);
        }
    }
  return FALSE;
}

static gint
cmp_str_ptr (gconstpointer a,
             gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Two paths touch the same data when one equals the other or lies below it. */
static gboolean
paths_overlap (const char *a,
               const char *b)
{
  size_t la = strlen (a), lb = strlen (b);
  const char *shorter = la <= lb ? a : b;
  const char *longer = la <= lb ? b : a;
  size_t n = MIN (la, lb);

  if (la == lb)
    return strcmp (a, b) == 0;
  return strncmp (shorter, longer, n) == 0 && (longer[n] == '.' || longer[n] == '[');
}

/* ---- database helpers ---- */

static gboolean
next_seq (ZgStorage  *storage,
          gint64     *out_seq,
          GError    **error)
{
  g_autoptr(ZgStmt) up = NULL;
  g_autoptr(ZgStmt) get = NULL;

  up = zg_storage_prepare (storage, "UPDATE sync_sequence SET value = value + 1 WHERE id = 1;",
                           error);
  if (up == NULL || !zg_stmt_run (up, error))
    return FALSE;
  get = zg_storage_prepare (storage, "SELECT value FROM sync_sequence WHERE id = 1;", error);
  if (get == NULL || zg_stmt_step (get, error) != SQLITE_ROW)
    return FALSE;
  *out_seq = zg_stmt_column_int64 (get, 0);
  return TRUE;
}

static char *
dup_col (ZgStmt *stmt,
         int     col)
{
  return zg_stmt_column_is_null (stmt, col) ? NULL : g_strdup (zg_stmt_column_text (stmt, col));
}

static gboolean
load_row (ZgStorage   *storage,
          ZgEntity     entity,
          const char  *id,
          Row         *row,
          GError     **error)
{
  g_autoptr(ZgStmt) stmt = NULL;
  int rc;

  memset (row, 0, sizeof *row);
  stmt = zg_storage_prepare (storage,
                             "SELECT rev, body, company_id, location_id, department_id,"
                             " org_unit_id, employee_type_id, is_private, creator_id, employee_id,"
                             " status FROM records WHERE entity = ? AND id = ?;", error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, entities[entity].id) ||
      !zg_stmt_bind_text (stmt, 2, id))
    return FALSE;
  rc = zg_stmt_step (stmt, error);
  if (rc < 0)
    return FALSE;
  if (rc != SQLITE_ROW)
    return TRUE;
  row->body = json_from_string (zg_stmt_column_text (stmt, 1), error);
  if (row->body == NULL)
    return FALSE;
  row->exists = TRUE;
  row->rev = zg_stmt_column_int64 (stmt, 0);
  for (guint i = 0; i < ZG_N_DIMS; i++)
    row->attrs.dims[i] = dup_col (stmt, 2 + (int) i);
  row->attrs.is_private = zg_stmt_column_int64 (stmt, 7) != 0;
  row->attrs.creator_id = dup_col (stmt, 8);
  row->attrs.employee_id = dup_col (stmt, 9);
  row->attrs.status = dup_col (stmt, 10);
  return TRUE;
}

static gboolean
add_removal (ZgServer    *server,
             ZgEntity     entity,
             const char  *id,
             const Attrs *old,
             GError     **error)
{
  ZgStorage *storage = zg_server_get_storage (server);
  g_autoptr(ZgStmt) stmt = NULL;
  gint64 seq;

  if (!next_seq (storage, &seq, error))
    return FALSE;
  stmt = zg_storage_prepare (storage,
                             "INSERT INTO removals (seq, entity, id, company_id, location_id,"
                             " department_id, org_unit_id, employee_type_id, is_private,"
                             " creator_id, at) VALUES (?,?,?,?,?,?,?,?,?,?,?);", error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, seq) ||
      !zg_stmt_bind_text (stmt, 2, entities[entity].id) || !zg_stmt_bind_text (stmt, 3, id))
    return FALSE;
  for (guint i = 0; i < ZG_N_DIMS; i++)
    if (!zg_stmt_bind_text (stmt, 4 + (int) i, old->dims[i]))
      return FALSE;
  if (!zg_stmt_bind_int64 (stmt, 9, old->is_private) ||
      !zg_stmt_bind_text (stmt, 10, old->creator_id) ||
      !zg_stmt_bind_int64 (stmt, 11, zg_server_now (server)))
    return FALSE;
  return zg_stmt_run (stmt, error);
}

static gboolean
run_text2 (ZgStorage   *storage,
           const char  *sql,
           const char  *a,
           const char  *b,
           GError     **error)
{
  g_autoptr(ZgStmt) stmt = zg_storage_prepare (storage, sql, error);

  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, a) ||
      (b != NULL && !zg_stmt_bind_text (stmt, 2, b)))
    return FALSE;
  return zg_stmt_run (stmt, error);
}

/* ---- validation ---- */

static char *
date_text (const GDate *d)
{
  char buf[16];

  if (!g_date_valid (d))
    return NULL;
  g_snprintf (buf, sizeof buf, "%04u-%02u-%02u", g_date_get_year (d),
              (guint) g_date_get_month (d), g_date_get_day (d));
  return g_strdup (buf);
}

/* R-DATA-4: appends what @note records to the certificate's process data. */
static void
note_process (ZgCertificate     *c,
              const ProcessNote *note)
{
  if (note->created)
    {
      g_free (c->created_by);
      g_free (c->created_by_name);
      c->created_by = g_strdup (note->by);
      c->created_by_name = g_strdup (note->by_name);
      c->created_at = note->at;
    }
  if (note->status_change)
    {
      ZgProcessEvent *ev = zg_process_event_new (ZG_PROCESS_STATUS);

      ev->from = note->from;
      ev->to = note->to;
      ev->by = g_strdup (note->by);
      ev->by_name = g_strdup (note->by_name);
      ev->at = note->at;
      g_ptr_array_add (c->process_events, ev);
    }
  if (note->handover != ZG_N_PROCESS_EVENTS)
    {
      ZgProcessEvent *ev = zg_process_event_new (note->handover);
      const char *supervisor = note->supervisor;

      /* The finish names the supervisor of the last handover unless told otherwise. */
      for (guint i = c->process_events->len; supervisor == NULL && i > 0; i--)
        {
          const ZgProcessEvent *prev = g_ptr_array_index (c->process_events, i - 1);

          if (prev->type == ZG_PROCESS_HANDOVER)
            supervisor = prev->supervisor;
        }
      ev->supervisor = g_strdup (supervisor);
      ev->by = g_strdup (note->by);
      ev->by_name = g_strdup (note->by_name);
      ev->at = note->at;
      g_ptr_array_add (c->process_events, ev);
    }
}

/* Decodes @body with the entity's strict codec, fills the typed attributes it carries and
 * returns the canonical JSON text, with "rev" set for master data; a certificate gets the
 * process data of @note (may be NULL). */
static char *
validate_body (ZgEntity           entity,
               JsonNode          *body,
               gint64             rev,
               const ProcessNote *note,
               Attrs             *attrs,
               GError           **error)
{
  g_autoptr(JsonNode) out = NULL;

  switch (entity)
    {
    case ZG_ENTITY_CERTIFICATE:
      {
        g_autoptr(ZgCertificate) c = zg_certificate_from_json (body, error);

        if (c == NULL)
          return NULL;
        if (note != NULL)
          note_process (c, note);
        if (c->berufsbild != NULL && zg_access_is_id (c->berufsbild))
          attrs->job_profile_id = g_strdup (c->berufsbild);
        attrs->is_private = c->is_private;
        attrs->employee_id = g_strdup (c->employee_id);
        attrs->status = g_strdup (zg_status_key (c->status));
        attrs->kind = g_strdup (zg_kind_key (c->kind));
        attrs->issue_date = date_text (&c->issue_date);
        attrs->exit_date = date_text (&c->exit_date);
        attrs->refs = g_ptr_array_new_with_free_func (g_free);
        if (c->employee_id != NULL)
          g_ptr_array_add (attrs->refs, g_strdup (c->employee_id));
        for (guint i = 0; c->signatories != NULL && i < c->signatories->len; i++)
          {
            const ZgCertSignatory *sig = c->signatories->pdata[i];

            if (sig->employee_id != NULL)
              g_ptr_array_add (attrs->refs, g_strdup (sig->employee_id));
          }
        out = zg_certificate_to_json (c);
        break;
      }
    case ZG_ENTITY_EMPLOYEE:
      {
        g_autoptr(ZgEmployee) e = zg_employee_from_json (body, error);
        ZgAccessSubject s = { 0 };

        if (e == NULL)
          return NULL;
        zg_employee_get_subject (e, &s);
        for (guint i = 0; i < ZG_N_DIMS; i++)
          attrs->dims[i] = g_strdup (s.dims[i]);
        attrs->exit_date = date_text (&e->exit_date);
        e->rev = rev;
        out = zg_employee_to_json (e);
        break;
      }
    case ZG_ENTITY_COMPANY:
      {
        g_autoptr(ZgCompany) m = zg_company_from_json (body, error);

        if (m == NULL)
          return NULL;
        m->rev = rev;
        out = zg_company_to_json (m);
        break;
      }
    case ZG_ENTITY_EMPLOYEE_TYPE:
      {
        g_autoptr(ZgEmployeeType) m = zg_employee_type_from_json (body, error);

        if (m == NULL)
          return NULL;
        m->rev = rev;
        out = zg_employee_type_to_json (m);
        break;
      }
    case ZG_ENTITY_JOB_PROFILE:
      {
        g_autoptr(ZgBerufsbild) m = zg_berufsbild_from_json (body, error);

        if (m == NULL)
          return NULL;
        m->rev = rev;
        out = zg_berufsbild_to_json (m);
        break;
      }
    case ZG_ENTITY_QUALIFICATION:
      {
        g_autoptr(ZgQualification) m = zg_qualification_from_json (body, error);

        if (m == NULL)
          return NULL;
        m->rev = rev;
        out = zg_qualification_to_json (m);
        break;
      }
    case ZG_N_ENTITIES:
    default:
      g_assert_not_reached ();
    }
  return json_to_string (out, FALSE);
}

/* ---- results ---- */

static JsonObject *
result_new (const char *status,
            gint64      rev)
{
  JsonObject *r = json_object_new ();

  json_object_set_string_member (r, "status", status);
  if (rev >= 0)
    json_object_set_int_member (r, "rev", rev);
  return r;
}

static JsonObject *
rejected (const char *reason,
          const char *message)
{
  JsonObject *r = result_new ("rejected", -1);

  json_object_set_string_member (r, "reason", reason);
  json_object_set_string_member (r, "message", message);
  return r;
}

static JsonObject *
rejected_from_error (const GError *error)
{
  if (error->domain == ZG_ACCESS_ERROR && error->code == ZG_ACCESS_ERROR_NOT_FOUND)
    return rejected ("not_found", "No such record.");
  if (error->domain == ZG_SECTIONS_ERROR && error->code == ZG_SECTIONS_ERROR_UNKNOWN_FIELD)
    return rejected ("unknown_field", error->message);
  if (error->domain == ZG_ACCESS_ERROR || error->domain == ZG_SECTIONS_ERROR ||
      (error->domain == ZG_WORKFLOW_ERROR && error->code == ZG_WORKFLOW_ERROR_READ_ONLY))
    return rejected ("forbidden", error->message);
  if (error->domain == ZG_WORKFLOW_ERROR)
    return rejected ("invalid_transition", error->message);
  return rejected ("invalid_value", error->message);
}

/* ---- access ---- */

static gboolean
may_see (const ZgRecordsCaller *caller,
         ZgEntity               entity,
         const Attrs           *attrs)
{
  ZgAccessSubject s = { 0 };

  attrs_subject (attrs, &s);
  if (entity == ZG_ENTITY_CERTIFICATE)
    return zg_access_may_see_certificate (&caller->access, &s);
  if (entity == ZG_ENTITY_EMPLOYEE)
    return zg_access_may_see_employee (&caller->access, &s);
  return zg_access_may_read_master_data (&caller->access, entities[entity].kind);
}

/* The certificate's access attributes come from its employee record; the caller must be
 * able to see that employee. FALSE with no error = invalid reference. */
static gboolean
certificate_dims_from_employee (ZgStorage             *storage,
                                const ZgRecordsCaller *caller,
                                Attrs                 *attrs,
                                gboolean              *out_ok,
                                GError               **error)
{
  Row emp = { 0 };

  *out_ok = TRUE;
  for (guint i = 0; i < ZG_N_DIMS; i++)
    g_clear_pointer (&attrs->dims[i], g_free);
  if (attrs->employee_id == NULL)
    return TRUE;
  if (!load_row (storage, ZG_ENTITY_EMPLOYEE, attrs->employee_id, &emp, error))
    return FALSE;
  if (!emp.exists || (caller != NULL && !may_see (caller, ZG_ENTITY_EMPLOYEE, &emp.attrs)))
    *out_ok = FALSE;
  else
    for (guint i = 0; i < ZG_N_DIMS; i++)
      attrs->dims[i] = g_strdup (emp.attrs.dims[i]);
  row_clear (&emp);
  return TRUE;
}

static gboolean
refs_visible (ZgStorage             *storage,
              const ZgRecordsCaller *caller,
              const Attrs           *attrs,
              gboolean              *out_ok,
              GError               **error)
{
  *out_ok = TRUE;
  for (guint i = 0; attrs->refs != NULL && i < attrs->refs->len && *out_ok; i++)
    {
      Row emp = { 0 };

      if (!load_row (storage, ZG_ENTITY_EMPLOYEE, attrs->refs->pdata[i], &emp, error))
        return FALSE;
      *out_ok = emp.exists && may_see (caller, ZG_ENTITY_EMPLOYEE, &emp.attrs);
      row_clear (&emp);
    }
  return TRUE;
}

/* ---- writing ---- */

static gboolean
write_record (ZgServer    *server,
              ZgEntity     entity,
              const char  *id,
              gboolean     create,
              gint64       seq,
              const Attrs *attrs,
              const char  *body,
              gint64       user_id,
              GError     **error)
{
  ZgStorage *storage = zg_server_get_storage (server);
  g_autoptr(ZgStmt) stmt = NULL;
  gint64 now = zg_server_now (server);

  if (create)
    stmt = zg_storage_prepare (storage,
                               "INSERT INTO records (rev, seq, company_id, location_id,"
                               " department_id, org_unit_id, employee_type_id, is_private,"
                               " creator_id, employee_id, status, kind, issue_date, exit_date,"
                               " updated_at, updated_by, body, entity, id, created_at, created_by)"
                               " VALUES (?1,?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,"
                               "?16,?17,?18,?14,?15);", error);
  else
    stmt = zg_storage_prepare (storage,
                               "UPDATE records SET rev = ?1, seq = ?1, company_id = ?2,"
                               " location_id = ?3, department_id = ?4, org_unit_id = ?5,"
                               " employee_type_id = ?6, is_private = ?7, creator_id = ?8,"
                               " employee_id = ?9, status = ?10, kind = ?11, issue_date = ?12,"
                               " exit_date = ?13, updated_at = ?14, updated_by = ?15, body = ?16"
                               " WHERE entity = ?17 AND id = ?18;", error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, seq))
    return FALSE;
  for (guint i = 0; i < ZG_N_DIMS; i++)
    if (!zg_stmt_bind_text (stmt, 2 + (int) i, attrs->dims[i]))
      return FALSE;
  if (!zg_stmt_bind_int64 (stmt, 7, attrs->is_private) ||
      !zg_stmt_bind_text (stmt, 8, attrs->creator_id) ||
      !zg_stmt_bind_text (stmt, 9, attrs->employee_id) ||
      !zg_stmt_bind_text (stmt, 10, attrs->status) ||
      !zg_stmt_bind_text (stmt, 11, attrs->kind) ||
      !zg_stmt_bind_text (stmt, 12, attrs->issue_date) ||
      !zg_stmt_bind_text (stmt, 13, attrs->exit_date) ||
      !zg_stmt_bind_int64 (stmt, 14, now) ||
      (user_id > 0 ? !zg_stmt_bind_int64 (stmt, 15, user_id) : !zg_stmt_bind_null (stmt, 15)) ||
      !zg_stmt_bind_text (stmt, 16, body) ||
      !zg_stmt_bind_text (stmt, 17, entities[entity].id) ||
      !zg_stmt_bind_text (stmt, 18, id))
    return FALSE;
  if (!zg_stmt_run (stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, zg_stmt_release);

  if (entity == ZG_ENTITY_CERTIFICATE)
    {
      if (!run_text2 (storage, "DELETE FROM employee_refs WHERE certificate_id = ?;", id, NULL,
                      error))
        return FALSE;
      for (guint i = 0; attrs->refs != NULL && i < attrs->refs->len; i++)
        if (!run_text2 (storage, "INSERT OR IGNORE INTO employee_refs (certificate_id,"
                        " employee_id) VALUES (?, ?);", id, attrs->refs->pdata[i], error))
          return FALSE;
      if (!run_text2 (storage, "DELETE FROM master_refs WHERE certificate_id = ?;", id, NULL,
                      error) ||
          (attrs->job_profile_id != NULL &&
           !run_text2 (storage, "INSERT INTO master_refs (certificate_id, entity, ref_id)"
                       " VALUES (?, 'job_profile', ?);", id, attrs->job_profile_id, error)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
insert_event (ZgStorage         *storage,
              const char        *id,
              gint64             seq,
              const char        *type,
              const char        *from,
              const char        *to,
              const char        *supervisor,
              const ProcessNote *note,
              GError           **error)
{
  g_autoptr(ZgStmt) stmt = zg_storage_prepare (storage,
                                               "INSERT INTO certificate_events (certificate_id,"
                                               " seq, type, from_status, to_status, user_id,"
                                               " user_name, supervisor, at)"
                                               " VALUES (?,?,?,?,?,?,?,?,?);", error);

  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, id) || !zg_stmt_bind_int64 (stmt, 2, seq) ||
      !zg_stmt_bind_text (stmt, 3, type) || !zg_stmt_bind_text (stmt, 4, from) ||
      !zg_stmt_bind_text (stmt, 5, to) ||
      (note->user_id > 0 ? !zg_stmt_bind_int64 (stmt, 6, note->user_id)
                         : !zg_stmt_bind_null (stmt, 6)) ||
      !zg_stmt_bind_text (stmt, 7, note->by_name) || !zg_stmt_bind_text (stmt, 8, supervisor) ||
      !zg_stmt_bind_int64 (stmt, 9, note->at))
    return FALSE;
  return zg_stmt_run (stmt, error);
}

/* R-DATA-4 typed: the events of @note as rows of certificate_events. The supervisor of a
 * finish is read back from the stored body (it may come from the last handover). */
static gboolean
write_events (ZgStorage         *storage,
              const char        *id,
              gint64             seq,
              const ProcessNote *note,
              const char        *body,
              GError           **error)
{
  if (note->created &&
      !insert_event (storage, id, seq, "created", NULL, NULL, NULL, note, error))
    return FALSE;
  if (note->status_change &&
      !insert_event (storage, id, seq, "status", zg_status_key (note->from),
                     zg_status_key (note->to), NULL, note, error))
    return FALSE;
  if (note->handover != ZG_N_PROCESS_EVENTS)
    {
      g_autoptr(ZgCertificate) c = zg_certificate_from_data (body, -1, error);
      const ZgProcessEvent *last;

      if (c == NULL)
        return FALSE;
      if (c->process_events->len == 0)
        {
          g_set_error_literal (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE,
                               "handover event missing from the stored certificate");
          return FALSE;
        }
      last = g_ptr_array_index (c->process_events, c->process_events->len - 1);
      if (!insert_event (storage, id, seq, zg_process_event_type_key (note->handover), NULL,
                         NULL, last->supervisor, note, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
note_field (ZgStorage   *storage,
            ZgEntity     entity,
            const char  *id,
            const char  *path,
            gint64       seq,
            const char  *client_id,
            GError     **error)
{
  g_autoptr(ZgStmt) stmt = zg_storage_prepare (storage,
                                               "INSERT OR REPLACE INTO record_fields (entity, id,"
                                               " path, seq, client_id) VALUES (?,?,?,?,?);",
                                               error);

  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, entities[entity].id) ||
      !zg_stmt_bind_text (stmt, 2, id) || !zg_stmt_bind_text (stmt, 3, path) ||
      !zg_stmt_bind_int64 (stmt, 4, seq) || !zg_stmt_bind_text (stmt, 5, client_id))
    return FALSE;
  return zg_stmt_run (stmt, error);
}

static char *
node_text (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node) ? NULL : json_to_string (node, FALSE);
}

static gboolean
write_history (ZgServer    *server,
               const char  *id,
               gint64       seq,
               gint64       editor,
               const char  *path,
               JsonNode    *before,
               JsonNode    *after,
               GError     **error)
{
  g_autoptr(ZgStmt) stmt = NULL;
  g_autofree char *b = node_text (before);
  g_autofree char *a = node_text (after);

  stmt = zg_storage_prepare (zg_server_get_storage (server),
                             "INSERT INTO certificate_history (certificate_id, seq, editor_id, at,"
                             " path, before, after) VALUES (?,?,?,?,?,?,?);", error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, id) || !zg_stmt_bind_int64 (stmt, 2, seq) ||
      !zg_stmt_bind_int64 (stmt, 3, editor) ||
      !zg_stmt_bind_int64 (stmt, 4, zg_server_now (server)) ||
      !zg_stmt_bind_text (stmt, 5, path) || !zg_stmt_bind_text (stmt, 6, b) ||
      !zg_stmt_bind_text (stmt, 7, a))
    return FALSE;
  return zg_stmt_run (stmt, error);
}

/* An employee's access attributes changed: its certificates follow, each with a new
 * sequence value and a removal for callers who saw the old attributes. */
static gboolean
propagate_employee (ZgServer    *server,
                    const char  *employee_id,
                    const Attrs *attrs,
                    GError     **error)
{
  ZgStorage *storage = zg_server_get_storage (server);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(ZgStmt) stmt = NULL;
  int rc;

  stmt = zg_storage_prepare (storage, "SELECT id FROM records WHERE entity = 'certificate'"
                             " AND employee_id = ?;", error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, employee_id))
    return FALSE;
  while ((rc = zg_stmt_step (stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup (zg_stmt_column_text (stmt, 0)));
  if (rc < 0)
    return FALSE;
  g_clear_pointer (&stmt, zg_stmt_release);

  for (guint i = 0; i < ids->len; i++)
    {
      Row row = { 0 };
      g_autoptr(ZgStmt) up = NULL;
      gboolean ok;
      gint64 seq;

      if (!load_row (storage, ZG_ENTITY_CERTIFICATE, ids->pdata[i], &row, error))
        return FALSE;
      ok = add_removal (server, ZG_ENTITY_CERTIFICATE, ids->pdata[i], &row.attrs, error) &&
           next_seq (storage, &seq, error);
      row_clear (&row);
      if (!ok)
        return FALSE;
      up = zg_storage_prepare (storage,
                               "UPDATE records SET rev = ?1, seq = ?1, company_id = ?2,"
                               " location_id = ?3, department_id = ?4, org_unit_id = ?5,"
                               " employee_type_id = ?6 WHERE entity = 'certificate' AND id = ?7;",
                               error);
      if (up == NULL || !zg_stmt_bind_int64 (up, 1, seq))
        return FALSE;
      for (guint d = 0; d < ZG_N_DIMS; d++)
        if (!zg_stmt_bind_text (up, 2 + (int) d, attrs->dims[d]))
          return FALSE;
      if (!zg_stmt_bind_text (up, 7, ids->pdata[i]) || !zg_stmt_run (up, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- the mutation ---- */

gboolean
zg_records_delete_unchecked (ZgServer    *server,
                             ZgEntity     entity,
                             const char  *id,
                             gint64      *out_history_rows,
                             GError     **error)
{
  ZgStorage *storage;
  Row row = { 0 };
  gboolean ok;

  g_return_val_if_fail (ZG_IS_SERVER (server) && entity < ZG_N_ENTITIES && id != NULL, FALSE);
  storage = zg_server_get_storage (server);
  *out_history_rows = 0;
  if (!load_row (storage, entity, id, &row, error))
    return FALSE;
  if (!row.exists)
    return TRUE;
  if (entity == ZG_ENTITY_CERTIFICATE)
    {
      g_autoptr(ZgStmt) count = zg_storage_prepare (storage, "SELECT count(*) FROM"
                                                    " certificate_history WHERE"
                                                    " certificate_id = ?;", error);

      if (count == NULL || !zg_stmt_bind_text (count, 1, id) ||
          zg_stmt_step (count, error) != SQLITE_ROW)
        {
          row_clear (&row);
          return FALSE;
        }
      *out_history_rows = zg_stmt_column_int64 (count, 0);
      g_clear_pointer (&count, zg_stmt_release);
      /* R-HIST-2: the history goes with the certificate. */
      if (!run_text2 (storage, "DELETE FROM certificate_history WHERE certificate_id = ?;",
                      id, NULL, error) ||
          !run_text2 (storage, "DELETE FROM certificate_events WHERE certificate_id = ?;",
                      id, NULL, error) ||
          !run_text2 (storage, "DELETE FROM master_refs WHERE certificate_id = ?;", id, NULL,
                      error) ||
          !run_text2 (storage, "DELETE FROM employee_refs WHERE certificate_id = ?;", id,
                      NULL, error))
        {
          row_clear (&row);
          return FALSE;
        }
    }
  ok = run_text2 (storage, "DELETE FROM records WHERE entity = ? AND id = ?;",
                  entities[entity].id, id, error) &&
       run_text2 (storage, "DELETE FROM record_fields WHERE entity = ? AND id = ?;",
                  entities[entity].id, id, error) &&
       add_removal (server, entity, id, &row.attrs, error);
  row_clear (&row);
  return ok;
}

/* Whether a company, employee type or job profile is still referenced (qualifications are
 * copied into certificates as text, nothing names them by id). */
static gboolean
master_in_use (ZgStorage   *storage,
               ZgEntity     entity,
               const char  *id,
               gboolean    *out_used,
               GError     **error)
{
  g_autoptr(ZgStmt) stmt = NULL;
  const char *sql;
  int rc;

  *out_used = FALSE;
  switch (entity)
    {
    case ZG_ENTITY_COMPANY:
      sql = "SELECT 1 FROM records WHERE entity = 'employee' AND company_id = ? LIMIT 1;";
      break;
    case ZG_ENTITY_EMPLOYEE_TYPE:
      sql = "SELECT 1 FROM records WHERE entity = 'employee' AND employee_type_id = ? LIMIT 1;";
      break;
    case ZG_ENTITY_JOB_PROFILE:
      sql = "SELECT 1 FROM master_refs WHERE entity = 'job_profile' AND ref_id = ? LIMIT 1;";
      break;
    case ZG_ENTITY_CERTIFICATE:
    case ZG_ENTITY_EMPLOYEE:
    case ZG_ENTITY_QUALIFICATION:
    case ZG_N_ENTITIES:
    default:
      return TRUE;
    }
  stmt = zg_storage_prepare (storage, sql, error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, id))
    return FALSE;
  rc = zg_stmt_step (stmt, error);
  if (rc < 0)
    return FALSE;
  *out_used = rc == SQLITE_ROW;
  return TRUE;
}

/* An employee's company, its location, department and org unit (which must belong to that
 * company) and its employee type must exist. FALSE with no error and @out_msg set = invalid. */
static gboolean
employee_refs_ok (ZgStorage    *storage,
                  const Attrs  *attrs,
                  char        **out_msg,
                  GError      **error)
{
  static const struct
  {
    ZgAccessDimension  dim;
    const char        *list;
    const char        *what;
  } units[] = {
    { ZG_DIM_LOCATION, "locations", "location" },
    { ZG_DIM_DEPARTMENT, "departments", "department" },
    { ZG_DIM_ORG_UNIT, "org_units", "org unit" },
  };
  Row company = { 0 };
  Row type = { 0 };
  gboolean ok = TRUE;

  *out_msg = NULL;
  if (attrs->dims[ZG_DIM_EMPLOYEE_TYPE] != NULL)
    {
      if (!load_row (storage, ZG_ENTITY_EMPLOYEE_TYPE, attrs->dims[ZG_DIM_EMPLOYEE_TYPE], &type,
                     error))
        return FALSE;
      if (!type.exists)
        *out_msg = g_strdup ("The employee type does not exist.");
      row_clear (&type);
      if (*out_msg != NULL)
        return FALSE;
    }
  if (attrs->dims[ZG_DIM_COMPANY] == NULL)
    {
      for (guint u = 0; u < G_N_ELEMENTS (units); u++)
        if (attrs->dims[units[u].dim] != NULL)
          {
            *out_msg = g_strdup_printf ("A %s needs the company it belongs to.", units[u].what);
            return FALSE;
          }
      return TRUE;
    }
  if (!load_row (storage, ZG_ENTITY_COMPANY, attrs->dims[ZG_DIM_COMPANY], &company, error))
    return FALSE;
  if (!company.exists)
    {
      *out_msg = g_strdup ("The company does not exist.");
      ok = FALSE;
    }
  for (guint u = 0; ok && u < G_N_ELEMENTS (units); u++)
    {
      const char *want = attrs->dims[units[u].dim];
      JsonObject *root = json_node_get_object (company.body);
      JsonArray *list = json_object_has_member (root, units[u].list) ?
                        json_object_get_array_member (root, units[u].list) : NULL;
      gboolean found = FALSE;

      if (want == NULL)
        continue;
      for (guint i = 0; list != NULL && i < json_array_get_length (list) && !found; i++)
        {
          JsonObject *unit = json_array_get_object_element (list, i);

          found = unit != NULL && g_strcmp0 (json_object_get_string_member_with_default (
                                               unit, "id", NULL), want) == 0;
        }
      if (!found)
        {
          *out_msg = g_strdup_printf ("The %s does not belong to the employee's company.",
                                      units[u].what);
          ok = FALSE;
        }
    }
  row_clear (&company);
  return ok;
}

/* A company change must keep every location, department and org unit its employees use.
 * FALSE with no error and @out_msg set = still used. */
static gboolean
company_units_kept (ZgStorage    *storage,
                    const char   *company_id,
                    JsonNode     *body,
                    char        **out_msg,
                    GError      **error)
{
  static const char *const lists[] = { "locations", "departments", "org_units" };
  g_autoptr(ZgStmt) stmt = NULL;
  JsonObject *root = json_node_get_object (body);
  int rc = SQLITE_DONE;

  *out_msg = NULL;
  stmt = zg_storage_prepare (storage, "SELECT DISTINCT location_id, department_id, org_unit_id"
                             " FROM records WHERE entity = 'employee' AND company_id = ?;",
                             error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, company_id))
    return FALSE;
  while (*out_msg == NULL && (rc = zg_stmt_step (stmt, error)) == SQLITE_ROW)
    for (int k = 0; k < 3 && *out_msg == NULL; k++)
      {
        const char *want = zg_stmt_column_is_null (stmt, k) ? NULL :
                           zg_stmt_column_text (stmt, k);
        JsonArray *list = json_object_has_member (root, lists[k]) ?
                          json_object_get_array_member (root, lists[k]) : NULL;
        gboolean found = want == NULL;

        for (guint i = 0; list != NULL && i < json_array_get_length (list) && !found; i++)
          {
            JsonObject *unit = json_array_get_object_element (list, i);

            found = unit != NULL && g_strcmp0 (json_object_get_string_member_with_default (
                                                 unit, "id", NULL), want) == 0;
          }
        if (!found)
          *out_msg = g_strdup_printf ("An employee record still uses a removed entry of “%s”.",
                                      lists[k]);
      }
  if (*out_msg != NULL)
    return FALSE;
  return rc >= 0;
}

static JsonObject *
apply_delete (ZgServer              *server,
              const ZgRecordsCaller *caller,
              const ZgMutation      *m,
              Row                   *row,
              const char            *ip,
              GError               **error)
{
  ZgStorage *storage = zg_server_get_storage (server);
  g_autoptr(GError) local = NULL;
  g_autofree char *detail = NULL;
  ZgAccessSubject s = { 0 };
  gint64 n_history = 0;

  attrs_subject (&row->attrs, &s);
  if (m->entity == ZG_ENTITY_CERTIFICATE)
    {
      if (!zg_access_check_certificate (&caller->access, &s, TRUE, &local))
        return rejected_from_error (local);
    }
  else if (m->entity == ZG_ENTITY_EMPLOYEE)
    {
      g_autoptr(ZgStmt) stmt = NULL;
      int rc;

      if (!zg_access_check_employee (&caller->access, &s, TRUE, &local))
        return rejected_from_error (local);
      stmt = zg_storage_prepare (storage, "SELECT count(*) FROM employee_refs"
                                 " WHERE employee_id = ?;", error);
      if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, m->id))
        return NULL;
      rc = zg_stmt_step (stmt, error);
      if (rc != SQLITE_ROW)
        return NULL;
      if (zg_stmt_column_int64 (stmt, 0) > 0)
        return rejected ("referenced",
                         "The employee is referenced by a certificate (R-DEL-3).");
    }
  else if (!zg_access_may_touch_master_data (&caller->access, entities[m->entity].kind))
    return rejected ("forbidden", "You may not change this kind of record.");
  else
    {
      gboolean used = FALSE;

      if (!master_in_use (storage, m->entity, m->id, &used, error))
        return NULL;
      if (used)
        return rejected ("referenced", m->entity == ZG_ENTITY_JOB_PROFILE ?
                         "The job profile is named by a certificate." :
                         "Employee records still use it.");
    }

  if (!zg_records_delete_unchecked (server, m->entity, m->id, &n_history, error))
    return NULL;
  detail = g_strdup_printf ("%s %s deleted (history rows %" G_GINT64_FORMAT ")",
                            entities[m->entity].id, m->id, n_history);
  zg_audit_log (server, caller->user_id, caller->email, ip, ZG_AUDIT_RECORD_DELETED, detail);
  return result_new ("applied", -1);
}

static gboolean
member_allowed (ZgEntity    entity,
                const char *member)
{
  const char *const *members = entities[entity].members;

  return members != NULL && g_strv_contains (members, member);
}

JsonObject *
zg_records_apply (ZgServer              *server,
                  const ZgRecordsCaller *caller,
                  const ZgMutation      *m,
                  const char            *ip,
                  GError               **error)
{
  ZgStorage *storage;
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(GPtrArray) applied = g_ptr_array_new ();
  g_autoptr(JsonArray) conflicts = json_array_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autofree char *text = NULL;
  gboolean history;
  Row row = { 0 };
  Attrs attrs = { 0 };
  GList *members = NULL;
  gint64 seq;
  ZgCertificateStatus current = ZG_STATUS_DRAFT;
  ProcessNote note = { 0 };
  gboolean is_cert;

  g_return_val_if_fail (ZG_IS_SERVER (server), NULL);
  g_return_val_if_fail (caller != NULL && m != NULL && m->entity < ZG_N_ENTITIES, NULL);
  storage = zg_server_get_storage (server);
  is_cert = m->entity == ZG_ENTITY_CERTIFICATE;
  note.handover = ZG_N_PROCESS_EVENTS;
  note.by = caller->user_id_text;
  note.by_name = caller->name != NULL ? caller->name : caller->email;
  note.user_id = caller->user_id;
  note.at = zg_server_now (server);

  if (m->id == NULL || !zg_access_is_id (m->id))
    return rejected ("invalid_mutation", "The id must be a lower-case UUID.");
  if ((m->reopen || m->supervisor != NULL) &&
      (!is_cert || m->op != ZG_MUTATION_UPDATE || m->fields == NULL ||
       !json_object_has_member (m->fields, "status")))
    return rejected ("invalid_mutation", "“reopen” and “supervisor” go with a change of a"
                     " certificate's status.");
  if (m->supervisor != NULL &&
      (!g_utf8_validate (m->supervisor, -1, NULL) || strlen (m->supervisor) > 200 ||
       *m->supervisor == '\0' || strpbrk (m->supervisor, "\r\n\t") != NULL))
    return rejected ("invalid_mutation", "“supervisor” is a name of one line, at most 200"
                     " bytes.");
  if (m->op != ZG_MUTATION_DELETE &&
      (m->fields == NULL || json_object_get_size (m->fields) == 0 ||
       json_object_get_size (m->fields) > ZG_SYNC_MAX_FIELDS))
    return rejected ("invalid_mutation", "A mutation changes 1 to 500 fields.");
  if (!load_row (storage, m->entity, m->id, &row, error))
    return NULL;

  if (m->op != ZG_MUTATION_CREATE && (!row.exists || !may_see (caller, m->entity, &row.attrs)))
    {
      /* R-ACL-3: an invisible record is answered exactly like a missing one. */
      row_clear (&row);
      return rejected ("not_found", "No such record.");
    }
  if (m->op == ZG_MUTATION_CREATE && row.exists)
    {
      /* Same answer whether the caller may see the existing record or not. */
      row_clear (&row);
      return rejected ("exists", "A record with this id exists already.");
    }
  if (m->op == ZG_MUTATION_UPDATE && m->base_rev > row.rev)
    {
      /* A revision the server never gave out (e.g. a restored database): merging against
       * it could hide conflicts. The client re-fetches the record. */
      row_clear (&row);
      return rejected ("invalid_base_rev", "base_rev is newer than the record.");
    }
  if (m->op == ZG_MUTATION_DELETE)
    {
      result = apply_delete (server, caller, m, &row, ip, error);
      row_clear (&row);
      return g_steal_pointer (&result);
    }

  members = json_object_get_members (m->fields);
  for (GList *l = members; l != NULL; l = l->next)
    g_ptr_array_add (paths, l->data);
  g_list_free (members);
  g_ptr_array_sort (paths, cmp_str_ptr);

  /* Field names and rights first: nothing is computed for a mutation that may not apply. */
  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr(GPtrArray) segs = path_parse (paths->pdata[i]);

      if (segs == NULL ||
          (m->entity != ZG_ENTITY_CERTIFICATE &&
           (segs->len != 1 || !member_allowed (m->entity, paths->pdata[i]))))
        {
          g_autofree char *msg = g_strdup_printf ("Unknown field “%s”.",
                                                  g_utf8_validate (paths->pdata[i], -1, NULL) ?
                                                  (const char *) paths->pdata[i] : "?");
          row_clear (&row);
          return rejected ("unknown_field", msg);
        }
    }
  if (m->op == ZG_MUTATION_UPDATE)
    {
      ZgAccessSubject s = { 0 };
      gboolean ok;

      attrs_subject (&row.attrs, &s);
      g_ptr_array_add (paths, NULL);
      if (m->entity == ZG_ENTITY_CERTIFICATE)
        ok = zg_access_check_certificate_change (&caller->access, &s,
                                                 (const char *const *) paths->pdata, &local);
      else if (m->entity == ZG_ENTITY_EMPLOYEE)
        ok = zg_access_check_employee (&caller->access, &s, TRUE, &local);
      else
        {
          ok = zg_access_may_touch_master_data (&caller->access, entities[m->entity].kind);
          if (!ok)
            g_set_error_literal (&local, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_FORBIDDEN,
                                 "You may not change this kind of record.");
        }
      if (ok && is_cert)
        {
          /* Completed certificates are read-only: only a reopen changes them. */
          if (row.attrs.status != NULL)
            (void) zg_status_from_key (row.attrs.status, &current);
          ok = zg_workflow_check_change (current, (const char *const *) paths->pdata, &local);
        }
      g_ptr_array_remove_index (paths, paths->len - 1);
      if (!ok)
        {
          row_clear (&row);
          return rejected_from_error (local);
        }
    }
  else if (is_cert)
    {
      for (guint i = 0; i < paths->len; i++)
        {
          const char *p = paths->pdata[i];

          if (g_str_has_prefix (p, "prozess") && strchr (".[", p[7]) != NULL)
            {
              row_clear (&row);
              return rejected ("forbidden", "The process data (“prozess”) are written by the"
                               " server only.");
            }
        }
      note.created = TRUE;
    }
  else if (m->entity != ZG_ENTITY_CERTIFICATE && m->entity != ZG_ENTITY_EMPLOYEE &&
           !zg_access_may_touch_master_data (&caller->access, entities[m->entity].kind))
    return rejected ("forbidden", "You may not change this kind of record.");

  /* Field-level merge: a field changed since base_rev by another client is a conflict. */
  if (m->op == ZG_MUTATION_UPDATE)
    {
      g_autoptr(ZgStmt) stmt = NULL;
      g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
      gint64 base = m->base_rev < 0 ? row.rev : m->base_rev;
      int rc;

      stmt = zg_storage_prepare (storage, "SELECT path FROM record_fields WHERE entity = ?"
                                 " AND id = ? AND seq > ? AND client_id IS NOT ?;", error);
      if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, entities[m->entity].id) ||
          !zg_stmt_bind_text (stmt, 2, m->id) || !zg_stmt_bind_int64 (stmt, 3, base) ||
          !zg_stmt_bind_text (stmt, 4, m->client_id))
        {
          row_clear (&row);
          return NULL;
        }
      while ((rc = zg_stmt_step (stmt, error)) == SQLITE_ROW)
        g_ptr_array_add (changed, g_strdup (zg_stmt_column_text (stmt, 0)));
      if (rc < 0)
        {
          row_clear (&row);
          return NULL;
        }
      for (guint i = 0; i < paths->len; i++)
        {
          gboolean conflict = FALSE;

          for (guint k = 0; k < changed->len && !conflict; k++)
            conflict = paths_overlap (paths->pdata[i], changed->pdata[k]);
          if (conflict)
            {
              g_autoptr(GPtrArray) segs = path_parse (paths->pdata[i]);
              JsonNode *server_value = segs != NULL ? path_get (row.body, segs) : NULL;
              JsonObject *c = json_object_new ();

              json_object_set_string_member (c, "field", paths->pdata[i]);
              json_object_set_member (c, "server_value", server_value != NULL ?
                                      json_node_copy (server_value) :
                                      json_node_new (JSON_NODE_NULL));
              json_object_set_member (c, "client_value",
                                      json_node_copy (json_object_get_member (m->fields,
                                                                              paths->pdata[i])));
              json_array_add_object_element (conflicts, c);
            }
          else
            g_ptr_array_add (applied, paths->pdata[i]);
        }
      body = json_node_copy (row.body);
    }
  else
    {
      for (guint i = 0; i < paths->len; i++)
        g_ptr_array_add (applied, paths->pdata[i]);
      body = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (body, json_object_new ());
      if (m->entity == ZG_ENTITY_CERTIFICATE)
        json_object_set_int_member (json_node_get_object (body), "version", 1);
    }

  /* The status workflow decides on the values (zg-workflow.h); a status that conflicts is
   * not applied and so not checked. */
  if (is_cert && m->op == ZG_MUTATION_UPDATE)
    for (guint i = 0; i < applied->len; i++)
      {
        JsonNode *v;
        ZgCertificateStatus to;

        if (g_strcmp0 (applied->pdata[i], "status") != 0)
          continue;
        v = json_object_get_member (m->fields, "status");
        if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING ||
            !zg_status_from_key (json_node_get_string (v), &to))
          {
            row_clear (&row);
            return rejected ("invalid_value", "“status” must be one of draft, handed-over,"
                             " handover-finished, review, approved, completed.");
          }
        if (!zg_workflow_check_transition (current, to, m->reopen, &local))
          {
            row_clear (&row);
            return rejected ("invalid_transition", local->message);
          }
        if (m->supervisor != NULL && to != ZG_STATUS_HANDED_OVER &&
            to != ZG_STATUS_HANDOVER_FINISHED)
          {
            row_clear (&row);
            return rejected ("invalid_mutation", "“supervisor” goes with handed-over or"
                             " handover-finished.");
          }
        if (to != current)
          {
            note.status_change = TRUE;
            note.from = current;
            note.to = to;
            note.supervisor = m->supervisor;
            if (to == ZG_STATUS_HANDED_OVER)
              note.handover = ZG_PROCESS_HANDOVER;
            else if (to == ZG_STATUS_HANDOVER_FINISHED)
              note.handover = ZG_PROCESS_HANDOVER_FINISHED;
          }
      }

  if (applied->len == 0)
    {
      result = result_new ("conflict", row.rev);
      json_object_set_array_member (result, "conflicts", json_array_ref (conflicts));
      row_clear (&row);
      return g_steal_pointer (&result);
    }

  for (guint i = 0; i < applied->len; i++)
    {
      g_autoptr(GPtrArray) segs = path_parse (applied->pdata[i]);

      if (!path_set (body, segs, json_object_get_member (m->fields, applied->pdata[i])))
        {
          g_autofree char *msg = g_strdup_printf ("“%s” does not fit the record's shape.",
                                                  (const char *) applied->pdata[i]);
          row_clear (&row);
          return rejected ("invalid_value", msg);
        }
    }
  json_object_set_string_member (json_node_get_object (body), "id", m->id);

  text = validate_body (m->entity, body, 0, is_cert ? &note : NULL, &attrs, &local);
  if (text == NULL)
    {
      row_clear (&row);
      attrs_clear (&attrs);
      return rejected ("invalid_value", local->message);
    }

  if (m->entity == ZG_ENTITY_CERTIFICATE)
    {
      gboolean ok = TRUE;

      attrs.creator_id = m->op == ZG_MUTATION_CREATE ? g_strdup (caller->user_id_text) :
                         g_strdup (row.attrs.creator_id);
      if (m->op == ZG_MUTATION_CREATE && g_strcmp0 (attrs.status, "draft") != 0)
        {
          row_clear (&row);
          attrs_clear (&attrs);
          return rejected ("forbidden", "A certificate starts as a draft.");
        }
      if (g_strcmp0 (attrs.employee_id, row.attrs.employee_id) != 0 || !row.exists)
        {
          if (!certificate_dims_from_employee (storage, caller, &attrs, &ok, error))
            {
              row_clear (&row);
              attrs_clear (&attrs);
              return NULL;
            }
        }
      else
        for (guint d = 0; d < ZG_N_DIMS; d++)
          attrs.dims[d] = g_strdup (row.attrs.dims[d]);
      if (ok && !refs_visible (storage, caller, &attrs, &ok, error))
        {
          row_clear (&row);
          attrs_clear (&attrs);
          return NULL;
        }
      if (!ok)
        {
          row_clear (&row);
          attrs_clear (&attrs);
          return rejected ("invalid_reference", "A referenced employee does not exist.");
        }
    }

  /* Referential checks of master data: an employee's company, units and type exist (and
   * the units belong to the company); a company keeps the units its employees use. Only
   * when the references change, so that an old record stays editable. */
  if (m->entity == ZG_ENTITY_EMPLOYEE || m->entity == ZG_ENTITY_COMPANY)
    {
      g_autofree char *msg = NULL;
      gboolean changed = !row.exists;
      gboolean ok;

      for (guint d = 0; d < ZG_N_DIMS && !changed; d++)
        changed = g_strcmp0 (attrs.dims[d], row.attrs.dims[d]) != 0;
      if (m->entity == ZG_ENTITY_EMPLOYEE)
        ok = !changed || employee_refs_ok (storage, &attrs, &msg, error);
      else
        ok = !row.exists || company_units_kept (storage, m->id, body, &msg, error);
      if (!ok)
        {
          row_clear (&row);
          attrs_clear (&attrs);
          if (msg == NULL)
            return NULL;
          return rejected (m->entity == ZG_ENTITY_EMPLOYEE ? "invalid_reference" : "referenced",
                           msg);
        }
    }

  /* A create, or a change that moves the record, must land inside the caller's scope. */
  if (m->op == ZG_MUTATION_CREATE || !attrs_same_access (&attrs, &row.attrs))
    {
      ZgAccessSubject s = { 0 };
      gboolean ok = TRUE;

      attrs_subject (&attrs, &s);
      if (m->entity == ZG_ENTITY_CERTIFICATE)
        ok = m->op == ZG_MUTATION_CREATE ? zg_access_may_create_certificate (&caller->access, &s)
                                         : zg_access_may_edit_certificate (&caller->access, &s);
      else if (m->entity == ZG_ENTITY_EMPLOYEE)
        ok = m->op == ZG_MUTATION_CREATE ? zg_access_may_create_employee (&caller->access, &s)
                                         : zg_access_may_edit_employee (&caller->access, &s);
      if (!ok)
        {
          row_clear (&row);
          attrs_clear (&attrs);
          return rejected ("forbidden", "The record would lie outside your access criteria.");
        }
    }

  history = m->entity == ZG_ENTITY_CERTIFICATE &&
            zg_settings_get_bool (zg_server_get_settings (server), ZG_SETTING_HISTORY_ENABLED);
  if (row.exists && !attrs_same_access (&attrs, &row.attrs) &&
      !add_removal (server, m->entity, m->id, &row.attrs, error))
    goto db_error;
  if (!next_seq (storage, &seq, error))
    goto db_error;
  if (m->entity != ZG_ENTITY_CERTIFICATE)
    {
      /* Master data carry their revision in the record itself. */
      g_autoptr(JsonNode) with_rev = json_from_string (text, error);

      if (with_rev == NULL)
        goto db_error;
      json_object_set_int_member (json_node_get_object (with_rev), "rev", seq);
      g_free (text);
      text = json_to_string (with_rev, FALSE);
    }
  if (!write_record (server, m->entity, m->id, !row.exists, seq, &attrs, text, caller->user_id,
                     error))
    goto db_error;
  if (is_cert && !write_events (storage, m->id, seq, &note, text, error))
    goto db_error;
  if (history)
    stored = json_from_string (text, NULL);
  for (guint i = 0; i < applied->len; i++)
    {
      if (!note_field (storage, m->entity, m->id, applied->pdata[i], seq, m->client_id, error))
        goto db_error;
      if (history)
        {
          g_autoptr(GPtrArray) segs = path_parse (applied->pdata[i]);

          if (!write_history (server, m->id, seq, caller->user_id, applied->pdata[i],
                              row.exists ? path_get (row.body, segs) : NULL,
                              stored != NULL ? path_get (stored, segs) : NULL, error))
            goto db_error;
        }
    }
  if (m->entity == ZG_ENTITY_EMPLOYEE && row.exists && !attrs_same_access (&attrs, &row.attrs) &&
      !propagate_employee (server, m->id, &attrs, error))
    goto db_error;

  result = result_new (json_array_get_length (conflicts) > 0 ? "conflict" : "applied", seq);
  if (json_array_get_length (conflicts) > 0)
    json_object_set_array_member (result, "conflicts", json_array_ref (conflicts));
  row_clear (&row);
  attrs_clear (&attrs);
  return g_steal_pointer (&result);

db_error:
  row_clear (&row);
  attrs_clear (&attrs);
  return NULL;
}

/* ---- reading ---- */

static JsonObject *
envelope (ZgEntity    entity,
          const char *id,
          gint64      rev,
          const char *body)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_from_string (body, NULL);

  json_object_set_string_member (o, "entity", entities[entity].id);
  json_object_set_string_member (o, "id", id);
  json_object_set_int_member (o, "rev", rev);
  json_object_set_member (o, "record", node != NULL ? node : json_node_new (JSON_NODE_NULL));
  return o;
}

/* R-DATA-4: who created and last changed the record, and when (seconds since the epoch);
 * columns created_at, created_by, updated_at, updated_by from @first. */
static void
add_process_data (JsonObject *o,
                  ZgStmt     *stmt,
                  int         first)
{
  static const char *const names[] = { "created_at", "created_by", "updated_at", "updated_by" };

  for (int i = 0; i < 4; i++)
    {
      if (zg_stmt_column_is_null (stmt, first + i))
        json_object_set_null_member (o, names[i]);
      else
        json_object_set_int_member (o, names[i], zg_stmt_column_int64 (stmt, first + i));
    }
}

JsonObject *
zg_records_get (ZgServer              *server,
                const ZgRecordsCaller *caller,
                ZgEntity               entity,
                const char            *id,
                GError               **error)
{
  Row row = { 0 };
  JsonObject *o = NULL;

  g_return_val_if_fail (ZG_IS_SERVER (server) && caller != NULL, NULL);
  if (entity >= ZG_N_ENTITIES || id == NULL || !zg_access_is_id (id))
    return NULL;
  if (!load_row (zg_server_get_storage (server), entity, id, &row, error))
    return NULL;
  if (row.exists && may_see (caller, entity, &row.attrs))
    {
      g_autofree char *body = json_to_string (row.body, FALSE);
      g_autoptr(ZgStmt) stmt = zg_storage_prepare (zg_server_get_storage (server),
                                                   "SELECT created_at, created_by, updated_at,"
                                                   " updated_by FROM records WHERE entity = ?"
                                                   " AND id = ?;", error);

      if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, entities[entity].id) ||
          !zg_stmt_bind_text (stmt, 2, id) || zg_stmt_step (stmt, error) != SQLITE_ROW)
        {
          row_clear (&row);
          return NULL;
        }
      o = envelope (entity, id, row.rev, body);
      add_process_data (o, stmt, 0);
    }
  row_clear (&row);
  return o;
}

void
zg_records_append_visible (GString               *sql,
                           GPtrArray             *values,
                           const ZgRecordsCaller *caller,
                           const char            *alias)
{
  g_autoptr(ZgAccessSql) cf = zg_access_certificate_filter_sql (&caller->access, alias);
  g_autoptr(ZgAccessSql) ef = zg_access_employee_filter_sql (&caller->access, alias);

  g_string_append_printf (sql, "((%s.entity = 'certificate' AND %s) OR"
                          " (%s.entity = 'employee' AND %s) OR"
                          " %s.entity NOT IN ('certificate', 'employee'))",
                          alias, cf->where, alias, ef->where, alias);
  for (guint i = 0; i < cf->values->len; i++)
    g_ptr_array_add (values, g_strdup (cf->values->pdata[i]));
  for (guint i = 0; i < ef->values->len; i++)
    g_ptr_array_add (values, g_strdup (ef->values->pdata[i]));
}

JsonArray *
zg_records_list (ZgServer              *server,
                 const ZgRecordsCaller *caller,
                 ZgEntity               entity,
                 GError               **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT r.id, r.rev, r.body, r.created_at,"
                                         " r.created_by, r.updated_at, r.updated_by"
                                         " FROM records AS r"
                                         " WHERE r.entity = ? AND ");
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(ZgStmt) stmt = NULL;
  g_autoptr(JsonArray) out = json_array_new ();
  int rc;

  g_return_val_if_fail (ZG_IS_SERVER (server) && caller != NULL, NULL);
  g_return_val_if_fail (entity < ZG_N_ENTITIES, NULL);
  zg_records_append_visible (sql, values, caller, "r");
  g_string_append (sql, " ORDER BY r.id;");
  stmt = zg_storage_prepare (zg_server_get_storage (server), sql->str, error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, entities[entity].id))
    return NULL;
  for (guint i = 0; i < values->len; i++)
    if (!zg_stmt_bind_text (stmt, 2 + (int) i, values->pdata[i]))
      return NULL;
  while ((rc = zg_stmt_step (stmt, error)) == SQLITE_ROW)
    {
      JsonObject *o = envelope (entity, zg_stmt_column_text (stmt, 0),
                                zg_stmt_column_int64 (stmt, 1), zg_stmt_column_text (stmt, 2));

      add_process_data (o, stmt, 3);
      json_array_add_object_element (out, o);
    }
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&out);
}

JsonArray *
zg_records_history (ZgServer              *server,
                    const ZgRecordsCaller *caller,
                    const char            *certificate_id,
                    GError               **error)
{
  g_autoptr(JsonObject) cert = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  g_autoptr(JsonArray) out = json_array_new ();
  int rc;

  cert = zg_records_get (server, caller, ZG_ENTITY_CERTIFICATE, certificate_id, error);
  if (cert == NULL)
    return NULL;
  stmt = zg_storage_prepare (zg_server_get_storage (server),
                             "SELECT h.seq, h.editor_id, h.at, h.path, h.before, h.after,"
                             " u.email FROM certificate_history AS h LEFT JOIN users AS u"
                             " ON u.id = h.editor_id WHERE h.certificate_id = ? ORDER BY h.id;",
                             error);
  if (stmt == NULL || !zg_stmt_bind_text (stmt, 1, certificate_id))
    return NULL;
  while ((rc = zg_stmt_step (stmt, error)) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "rev", zg_stmt_column_int64 (stmt, 0));
      json_object_set_int_member (o, "editor_id", zg_stmt_column_int64 (stmt, 1));
      if (!zg_stmt_column_is_null (stmt, 6))
        json_object_set_string_member (o, "editor_email", zg_stmt_column_text (stmt, 6));
      json_object_set_int_member (o, "at", zg_stmt_column_int64 (stmt, 2));
      json_object_set_string_member (o, "field", zg_stmt_column_text (stmt, 3));
      for (int k = 4; k <= 5; k++)
        {
          JsonNode *v = zg_stmt_column_is_null (stmt, k) ? NULL :
                        json_from_string (zg_stmt_column_text (stmt, k), NULL);

          json_object_set_member (o, k == 4 ? "before" : "after",
                                  v != NULL ? v : json_node_new (JSON_NODE_NULL));
        }
      json_array_add_object_element (out, o);
    }
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&out);
}

/* ---- status workflow, handover events, trimming ---- */

JsonObject *
zg_records_set_status (ZgServer              *server,
                       const ZgRecordsCaller *caller,
                       const char            *certificate_id,
                       ZgCertificateStatus    to,
                       gboolean               reopen,
                       const char            *supervisor,
                       GError               **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autofree char *client_id = NULL;
  ZgMutation m = { 0 };

  g_return_val_if_fail (ZG_IS_SERVER (server) && caller != NULL, NULL);
  g_return_val_if_fail (to < ZG_N_STATUSES, NULL);

  client_id = g_strdup_printf ("rest:%" G_GINT64_FORMAT, caller->user_id);
  json_object_set_string_member (fields, "status", zg_status_key (to));
  m.client_id = client_id;
  m.entity = ZG_ENTITY_CERTIFICATE;
  m.id = certificate_id;
  m.op = ZG_MUTATION_UPDATE;
  m.base_rev = -1;
  m.fields = fields;
  m.reopen = reopen;
  m.supervisor = supervisor;
  return zg_records_apply (server, caller, &m, NULL, error);
}

gboolean
zg_records_note_handover (ZgServer            *server,
                          const char          *certificate_id,
                          ZgProcessEventType   type,
                          const char          *supervisor,
                          gint64               user_id,
                          gint64              *out_rev,
                          GError             **error)
{
  ZgStorage *storage;
  g_autoptr(ZgCertificate) cert = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;
  g_autofree char *user_text = NULL;
  g_autofree char *user_name = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  ProcessNote note = { 0 };
  Row row = { 0 };
  gint64 seq;

  g_return_val_if_fail (ZG_IS_SERVER (server) && certificate_id != NULL, FALSE);
  g_return_val_if_fail (type == ZG_PROCESS_HANDOVER || type == ZG_PROCESS_HANDOVER_FINISHED,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  storage = zg_server_get_storage (server);

  if (!load_row (storage, ZG_ENTITY_CERTIFICATE, certificate_id, &row, error))
    return FALSE;
  if (!row.exists)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No certificate %s",
                   certificate_id);
      return FALSE;
    }
  cert = zg_certificate_from_json (row.body, error);
  row_clear (&row);
  if (cert == NULL)
    return FALSE;
  if (user_id > 0)
    {
      int rc;

      user_text = g_strdup_printf ("%" G_GINT64_FORMAT, user_id);
      stmt = zg_storage_prepare (storage, "SELECT first_name, last_name FROM users"
                                 " WHERE id = ?;", error);
      if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, user_id))
        return FALSE;
      rc = zg_stmt_step (stmt, error);
      if (rc < 0)
        return FALSE;
      if (rc == SQLITE_ROW)
        user_name = g_strstrip (g_strdup_printf ("%s %s", zg_stmt_column_text (stmt, 0),
                                                 zg_stmt_column_text (stmt, 1)));
      g_clear_pointer (&stmt, zg_stmt_release);
    }
  note.handover = type;
  note.supervisor = supervisor;
  note.by = user_text;
  note.by_name = user_name;
  note.user_id = user_id;
  note.at = zg_server_now (server);
  note_process (cert, &note);
  json = zg_certificate_to_json (cert);
  text = json_to_string (json, FALSE);
  if (!next_seq (storage, &seq, error))
    return FALSE;
  stmt = zg_storage_prepare (storage, "UPDATE records SET rev = ?1, seq = ?1, body = ?2,"
                             " updated_at = ?3 WHERE entity = 'certificate' AND id = ?4;", error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, seq) || !zg_stmt_bind_text (stmt, 2, text) ||
      !zg_stmt_bind_int64 (stmt, 3, note.at) || !zg_stmt_bind_text (stmt, 4, certificate_id) ||
      !zg_stmt_run (stmt, error))
    return FALSE;
  if (!write_events (storage, certificate_id, seq, &note, text, error))
    return FALSE;
  if (out_rev != NULL)
    *out_rev = seq;
  return TRUE;
}

gboolean
zg_records_trim (ZgServer  *server,
                 gint64    *out_removals,
                 gint64    *out_mutations,
                 GError   **error)
{
  ZgStorage *storage;
  g_autoptr(ZgStmt) stmt = NULL;
  gint64 days, cutoff, top = 0, n_removals = 0, n_mutations = 0;
  int rc;

  g_return_val_if_fail (ZG_IS_SERVER (server), FALSE);
  storage = zg_server_get_storage (server);
  days = zg_settings_get_int (zg_server_get_settings (server), ZG_SETTING_SYNC_HISTORY_DAYS);
  cutoff = zg_server_now (server) - MAX (days, 1) * 24 * 3600;

  if (!zg_storage_begin (storage, error))
    return FALSE;
  stmt = zg_storage_prepare (storage, "SELECT MAX (seq), count(*) FROM removals WHERE at < ?;",
                             error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, cutoff))
    goto fail;
  rc = zg_stmt_step (stmt, error);
  if (rc != SQLITE_ROW)
    goto fail;
  if (!zg_stmt_column_is_null (stmt, 0))
    top = zg_stmt_column_int64 (stmt, 0);
  n_removals = zg_stmt_column_int64 (stmt, 1);
  g_clear_pointer (&stmt, zg_stmt_release);
  if (top > 0)
    {
      /* Everything up to the newest old removal goes, so that what remains is complete
       * above trimmed_seq (a cursor at or above it still gets every removal it needs). */
      stmt = zg_storage_prepare (storage, "DELETE FROM removals WHERE seq <= ?;", error);
      if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, top) || !zg_stmt_run (stmt, error))
        goto fail;
      n_removals = sqlite3_changes (zg_storage_get_db (storage));
      g_clear_pointer (&stmt, zg_stmt_release);
      stmt = zg_storage_prepare (storage, "UPDATE sync_sequence SET trimmed_seq ="
                                 " MAX (trimmed_seq, ?) WHERE id = 1;", error);
      if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, top) || !zg_stmt_run (stmt, error))
        goto fail;
      g_clear_pointer (&stmt, zg_stmt_release);
    }
  stmt = zg_storage_prepare (storage, "DELETE FROM applied_mutations WHERE applied_at < ?;",
                             error);
  if (stmt == NULL || !zg_stmt_bind_int64 (stmt, 1, cutoff) || !zg_stmt_run (stmt, error))
    goto fail;
  n_mutations = sqlite3_changes (zg_storage_get_db (storage));
  g_clear_pointer (&stmt, zg_stmt_release);
  if (!zg_storage_commit (storage, error))
    goto fail;
  if (out_removals != NULL)
    *out_removals = n_removals;
  if (out_mutations != NULL)
    *out_mutations = n_mutations;
  return TRUE;

fail:
  g_clear_pointer (&stmt, zg_stmt_release);
  zg_storage_rollback (storage);
  return FALSE;
}
