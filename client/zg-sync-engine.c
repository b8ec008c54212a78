/* zg-sync-engine.c — background sync between the encrypted cache and the server
 *
 * One worker thread per engine with its own GMainContext and SoupSession (blocking requests,
 * cancelled by zg_sync_engine_stop). Triggers from the UI thread are idle sources attached to
 * the worker's context; results travel back as one idle source on the creating thread's
 * context, which copies them into the public fields and notifies. Design: docs/client-sync.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "zg-outbox.h"
#include "zg-session-private.h"
#include "zg-sync-engine.h"
#include "zg-sync-engine-private.h"

#define PUSH_BATCH         200
#define PULL_LIMIT         500
#define DEBOUNCE_MS        1000
#define PERIOD_SECONDS     60
#define BACKOFF_MAX        300
#define REQUEST_TIMEOUT    60
#define MAX_ANSWER_BYTES   (256 * 1024 * 1024)
#define MAX_PULL_PAGES     100000

static const char * const entities[] = {
  "certificate", "employee", "company", "employee_type", "job_profile", "qualification",
};

static const char * const entity_paths[] = {
  "certificates", "employees", "companies", "employee-types", "job-profiles", "qualifications",
};

typedef enum
{
  TRIGGER_RUN,       /* start, sync_now, network back: run now, back-off reset */
  TRIGGER_CHANGE,    /* a local edit: run after the debounce unless backing off */
  TRIGGER_RESTART,   /* start() after EXPIRED: forget the expiry, run now */
  TRIGGER_QUIT,
} TriggerKind;

G_DEFINE_FINAL_TYPE (ZgSyncEngine, zg_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_LAST_SYNC,
  PROP_PENDING,
  PROP_PROBLEMS,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

enum {
  SIGNAL_RECORDS_CHANGED,
  SIGNAL_PROBLEMS_CHANGED,
  SIGNAL_SYNC_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void run_sync (ZgSyncEngine *self);

static void
snapshot_clear (ZgSyncSnapshot *snapshot)
{
  g_clear_pointer (&snapshot->error_message, g_free);
}

static void
session_signed_in_cb (GObject    *object,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  ZgSyncEngine *self = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  (void) locker;
  g_clear_pointer (&self->token, g_free);
  self->token = g_strdup (zg_session_get_token (self->session));
}

ZgSyncEngine *
zg_sync_engine_new (ZgCache   *cache,
                    ZgSession *session)
{
  ZgSyncEngine *self;

  g_return_val_if_fail (ZG_IS_CACHE (cache), NULL);
  g_return_val_if_fail (ZG_IS_SESSION (session), NULL);

  self = g_object_new (ZG_TYPE_SYNC_ENGINE, NULL);
  self->cache = g_object_ref (cache);
  self->session = g_object_ref (session);
  self->server_url = g_strdup (zg_session_get_server_url (session));
  self->pin_key = g_strdup (zg_session_get_pin_key (session));
  self->pins_path = g_strdup (zg_session_get_pins_path (session));
  self->token = g_strdup (zg_session_get_token (session));
  self->signed_in_handler = g_signal_connect (session, "notify::signed-in",
                                              G_CALLBACK (session_signed_in_cb), self);
  return self;
}

/* ---- results to the owner's context ---- */

typedef struct
{
  GWeakRef engine;
} DispatchData;

static void
dispatch_data_free (gpointer data)
{
  DispatchData *dispatch = data;

  g_weak_ref_clear (&dispatch->engine);
  g_free (dispatch);
}

static gboolean
dispatch_cb (gpointer user_data)
{
  DispatchData *dispatch = user_data;
  g_autoptr(ZgSyncEngine) self = g_weak_ref_get (&dispatch->engine);
  g_autoptr(GPtrArray) changed = NULL;
  ZgSyncSnapshot old;
  gboolean problems_changed;
  guint runs_before;

  if (self == NULL)
    return G_SOURCE_REMOVE;

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->dispatch, g_source_unref);
  old = self->shown;
  self->shown = self->reported;
  self->shown.error_message = g_strdup (self->reported.error_message);
  changed = g_ptr_array_new_with_free_func (g_free);
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, self->changed_entities);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      {
        g_ptr_array_add (changed, g_strdup (key));
        g_hash_table_iter_remove (&iter);
      }
  }
  problems_changed = self->problems_changed;
  self->problems_changed = FALSE;
  g_mutex_unlock (&self->lock);

  runs_before = old.finished_runs;
  g_object_freeze_notify (G_OBJECT (self));
  if (old.state != self->shown.state)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (old.last_sync != self->shown.last_sync)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
  if (old.pending != self->shown.pending)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  if (old.problems != self->shown.problems)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEMS]);
      problems_changed = TRUE;
    }
  if (g_strcmp0 (old.error_message, self->shown.error_message) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
  snapshot_clear (&old);
  g_object_thaw_notify (G_OBJECT (self));

  for (guint i = 0; i < changed->len; i++)
    g_signal_emit (self, signals[SIGNAL_RECORDS_CHANGED], 0, (const char *) changed->pdata[i]);
  if (problems_changed)
    g_signal_emit (self, signals[SIGNAL_PROBLEMS_CHANGED], 0);
  if (self->shown.finished_runs != runs_before)
    g_signal_emit (self, signals[SIGNAL_SYNC_FINISHED], 0, self->shown.last_run_ok);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  gboolean finished;   /* a run ended: count it and answer the tickets up to @ticket */
  guint    ticket;
  gboolean ok;
} RunEnd;

/* Worker: copies the worker's view into the shared snapshot (one critical section, so the
 * owner never sees a finished run with the state of a running one) and wakes the owner. */
static void
publish_run (ZgSyncEngine *self,
             gboolean      keep_status,
             ZgSyncState   state,
             const char   *error_message,
             const RunEnd *end)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;
  gint64 pending = zg_cache_outbox_count (self->cache, ZG_OUTBOX_STATE_PENDING, &error);
  gint64 sent = error == NULL ? zg_cache_outbox_count (self->cache, ZG_OUTBOX_STATE_SENT, &error)
                              : 0;
  gint64 conflicts = error == NULL
                     ? zg_cache_outbox_count (self->cache, ZG_OUTBOX_STATE_CONFLICT, &error) : 0;
  gint64 rejected = error == NULL
                    ? zg_cache_outbox_count (self->cache, ZG_OUTBOX_STATE_REJECTED, &error) : 0;
  gint64 last_sync = 0;
  g_autofree char *cursor = NULL;

  if (error != NULL)
    g_warning ("Could not count the outbox: %s", error->message);
  else
    cursor = zg_cache_get_cursor (self->cache, &last_sync, NULL);

  locker = g_mutex_locker_new (&self->lock);
  (void) locker;
  if (error == NULL)
    {
      self->reported.pending = pending + sent;
      self->reported.problems = conflicts + rejected;
      /* Before the first run of this engine: the last sync this cache remembers. */
      if (cursor != NULL && self->reported.last_sync == 0)
        self->reported.last_sync = last_sync;
    }
  self->reported.failures = self->failures;
  self->reported.next_attempt = self->next_attempt;
  if (end != NULL && end->finished)
    {
      self->reported.completed_ticket = end->ticket;
      self->reported.finished_runs++;
      self->reported.last_run_ok = end->ok;
      if (end->ok)
        self->reported.last_sync = g_get_real_time ();
    }
  if (!keep_status)
    {
      self->reported.state = state;
      if (g_strcmp0 (self->reported.error_message, error_message) != 0)
        {
          g_free (self->reported.error_message);
          self->reported.error_message = g_strdup (error_message);
        }
    }
  if (self->dispatch == NULL)
    {
      DispatchData *dispatch = g_new0 (DispatchData, 1);

      g_weak_ref_init (&dispatch->engine, self);
      self->dispatch = g_idle_source_new ();
      g_source_set_priority (self->dispatch, G_PRIORITY_DEFAULT);
      g_source_set_callback (self->dispatch, dispatch_cb, dispatch, dispatch_data_free);
      g_source_set_static_name (self->dispatch, "[zeugnis] sync results");
      g_source_attach (self->dispatch, self->owner_context);
    }
}

static void
publish (ZgSyncEngine *self,
         gboolean      keep_status,
         ZgSyncState   state,
         const char   *error_message)
{
  publish_run (self, keep_status, state, error_message, NULL);
}

static void
note_changed (ZgSyncEngine *self,
              const char   *entity)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  (void) locker;
  if (!g_hash_table_contains (self->changed_entities, entity))
    g_hash_table_add (self->changed_entities, g_strdup (entity));
}

static void
note_problems (ZgSyncEngine *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  (void) locker;
  self->problems_changed = TRUE;
}

/* ---- HTTP on the worker ---- */

typedef struct
{
  const char  *pins_path;
  const char  *pin_key;
  CertOutcome  outcome;
} CertCheck;

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  CertCheck *check = user_data;

  /* Only reached when the system trust store refused it: the confirmed pin decides. */
  check->outcome = _zg_session_check_certificate (check->pins_path, check->pin_key, certificate,
                                                  NULL, NULL);
  return check->outcome == CERT_PINNED;
}

static void
set_transport_error (ZgSyncEngine *self,
                     CertOutcome   outcome,
                     GError       *transport_error,
                     GError      **error)
{
  if (g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_error_copy (transport_error));
  else if (outcome == CERT_UNTRUSTED)
    g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_CERTIFICATE_UNTRUSTED,
                 _("The certificate of %s is not confirmed on this computer, so Zeugnis does "
                   "not sync. Sign in again to check it."), self->pin_key);
  else if (outcome == CERT_CHANGED)
    g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_CERTIFICATE_CHANGED,
                 _("The server %s presented a different certificate than the one you "
                   "confirmed, so Zeugnis does not sync. Ask your administrator whether the "
                   "certificate was replaced."), self->pin_key);
  else if (outcome == CERT_PINS_BROKEN || transport_error->domain == G_TLS_ERROR)
    g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_TLS,
                 _("No secure connection to %s could be established: %s"), self->pin_key,
                 transport_error->message);
  else
    g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_NETWORK,
                 _("The server %s cannot be reached. Your changes are kept on this computer "
                   "and sent when the connection is back."), self->pin_key);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
int_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
object_element (JsonArray *array,
                guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Blocking request on the worker. Returns the parsed answer object (an empty one for an
 * empty body) and the status; NULL with @error for transport errors and 401. */
static JsonObject *
request (ZgSyncEngine  *self,
         const char    *method,
         const char    *path,
         const char    *body,
         guint         *status,
         GError       **error)
{
  g_autofree char *url = g_strconcat (self->server_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) transport_error = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *auth = NULL;
  CertCheck check = { self->pins_path, self->pin_key, CERT_NOT_ASKED };

  *status = 0;
  if (msg == NULL)
    {
      g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_INVALID_ADDRESS,
                   _("“%s” is not a valid server address."), self->server_url);
      return NULL;
    }
  g_mutex_lock (&self->lock);
  if (self->token != NULL)
    auth = g_strconcat ("Bearer ", self->token, NULL);
  g_mutex_unlock (&self->lock);
  if (auth == NULL)
    {
      g_set_error_literal (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_EXPIRED,
                           _("You are not signed in. Please sign in again to sync."));
      return NULL;
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), &check);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  answer = soup_session_send_and_read (self->soup, msg, self->cancellable, &transport_error);
  g_signal_handlers_disconnect_by_data (msg, &check);
  if (answer == NULL)
    {
      set_transport_error (self, check.outcome, transport_error, error);
      return NULL;
    }
  *status = soup_message_get_status (msg);
  if (*status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_set_error_literal (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_EXPIRED,
                           _("Your session has ended. Please sign in again to sync."));
      return NULL;
    }
  if (g_bytes_get_size (answer) == 0)
    return json_object_new ();
  parser = json_parser_new ();
  if (g_bytes_get_size (answer) > MAX_ANSWER_BYTES
      || !json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                      (gssize) g_bytes_get_size (answer), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      if (*status >= 200 && *status < 300)
        {
          g_set_error_literal (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_SERVER,
                               _("The server's answer could not be read."));
          return NULL;
        }
      return json_object_new ();
    }
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
set_server_error (GError     **error,
                  guint        status,
                  JsonObject  *answer)
{
  const char *message = string_member (answer, "message");

  g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_SERVER,
               _("The server refused to sync (%u %s)."), status,
               message != NULL ? message : soup_status_get_phrase (status));
}

/* ---- push ---- */

static const char *
entity_path (const char *entity)
{
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    if (g_strcmp0 (entity, entities[i]) == 0)
      return entity_paths[i];
  return NULL;
}

/* A record created here has rev 0 until the server acknowledges its create; its first
 * mutation is the create, later ones are updates on base_rev 0. */
static gboolean
is_create (ZgSyncEngine  *self,
           ZgOutboxEntry *entry,
           GHashTable    *created_in_batch)
{
  g_autofree char *key = NULL;
  g_autoptr(ZgCacheRecord) record = NULL;

  if (entry->base_rev != 0)
    return FALSE;
  key = g_strconcat (entry->entity, "/", entry->id, NULL);
  if (g_hash_table_contains (created_in_batch, key))
    return FALSE;
  record = zg_cache_get_record (self->cache, entry->entity, entry->id, NULL);
  if (record != NULL && record->rev > 0)
    return FALSE;
  g_hash_table_add (created_in_batch, g_steal_pointer (&key));
  return TRUE;
}

static char *
push_body (ZgSyncEngine *self,
           GPtrArray    *batch,
           GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) created = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, zg_cache_get_client_id (self->cache));
  json_builder_set_member_name (builder, "mutations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < batch->len; i++)
    {
      ZgOutboxEntry *entry = g_ptr_array_index (batch, i);
      g_autoptr(JsonNode) changes = json_from_string (entry->changes, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mutation_id");
      json_builder_add_int_value (builder, entry->mutation_id);
      json_builder_set_member_name (builder, "entity");
      json_builder_add_string_value (builder, entry->entity);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, entry->id);
      if (zg_outbox_entry_is_delete (entry))
        {
          json_builder_set_member_name (builder, "op");
          json_builder_add_string_value (builder, "delete");
          json_builder_end_object (builder);
          continue;
        }
      if (is_create (self, entry, created))
        {
          json_builder_set_member_name (builder, "op");
          json_builder_add_string_value (builder, "create");
        }
      else
        {
          json_builder_set_member_name (builder, "base_rev");
          json_builder_add_int_value (builder, entry->base_rev);
        }
      if (changes != NULL && JSON_NODE_HOLDS_OBJECT (changes)
          && json_object_has_member (json_node_get_object (changes), "$reopen"))
        {
          /* zg_cache_local_reopen: the workflow's explicit reopen (docs/sync-protocol.md). */
          json_object_remove_member (json_node_get_object (changes), "$reopen");
          json_builder_set_member_name (builder, "reopen");
          json_builder_add_boolean_value (builder, TRUE);
        }
      json_builder_set_member_name (builder, "fields");
      /* A damaged entry goes as {} and comes back rejected: never retried forever. */
      if (changes != NULL && JSON_NODE_HOLDS_OBJECT (changes))
        json_builder_add_value (builder, g_steal_pointer (&changes));
      else
        {
          json_builder_begin_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  if (root == NULL)
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_FAILED,
                           "Could not build the push request");
      return NULL;
    }
  return json_to_string (root, FALSE);
}

static gboolean
store_pulled (ZgSyncEngine *self,
              JsonObject  **items,
              guint         n_items,
              GHashTable   *keep,
              GError      **error);

/* After a rejection the cache still shows the refused value: show the server's again. A
 * record the server does not give out (deleted, or no longer visible: R-ACL-3/4) is purged;
 * a record that never reached the server is dropped, its typed data stays in the rejected
 * outbox entry for the user. */
static gboolean
refetch (ZgSyncEngine *self,
         const char   *entity,
         const char   *id,
         GError      **error)
{
  const char *plural = entity_path (entity);
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) answer = NULL;
  guint status = 0;

  if (plural == NULL)
    return TRUE;
  escaped = g_uri_escape_string (id, NULL, TRUE);
  path = g_strdup_printf ("/api/v1/%s/%s", plural, escaped);
  answer = request (self, "GET", path, NULL, &status, error);
  if (answer == NULL)
    return FALSE;
  if (status == SOUP_STATUS_OK)
    {
      JsonObject *items[] = { answer };

      json_object_set_string_member (answer, "entity", entity);
      json_object_set_string_member (answer, "id", id);
      return store_pulled (self, items, 1, NULL, error);
    }
  if (status == SOUP_STATUS_NOT_FOUND)
    {
      g_autoptr(ZgCacheRecord) record = zg_cache_get_record (self->cache, entity, id, NULL);
      const char * const ids[] = { id, NULL };

      if (record == NULL)
        return TRUE;
      if (record->rev == 0)
        return zg_cache_delete_record (self->cache, entity, id, error);
      return zg_cache_purge_records (self->cache, entity, ids, error);
    }
  return TRUE;
}

static gboolean handle_result_inner (ZgSyncEngine  *self,
                                     ZgOutboxEntry *entry,
                                     JsonObject    *result,
                                     GError       **error);

/* An entry the cache no longer has as "sent" (purged meanwhile) needs nothing more. */
static gboolean
handle_result (ZgSyncEngine  *self,
               ZgOutboxEntry *entry,
               JsonObject    *result,
               GError       **error)
{
  g_autoptr(GError) local = NULL;

  if (handle_result_inner (self, entry, result, &local))
    return TRUE;
  if (g_error_matches (local, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

static gboolean
handle_result_inner (ZgSyncEngine  *self,
                     ZgOutboxEntry *entry,
                     JsonObject    *result,
                     GError       **error)
{
  const char *status = string_member (result, "status");
  gint64 rev = int_member (result, "rev");

  if (g_strcmp0 (status, "applied") == 0)
    {
      if (!zg_cache_outbox_ack (self->cache, entry->mutation_id, rev, error))
        return FALSE;
    }
  else if (g_strcmp0 (status, "conflict") == 0)
    {
      JsonArray *conflicts = array_member (result, "conflicts");
      g_autoptr(GArray) fields = g_array_new (FALSE, TRUE, sizeof (ZgConflictField));
      g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
      guint n = conflicts != NULL ? json_array_get_length (conflicts) : 0;

      for (guint i = 0; i < n; i++)
        {
          JsonObject *conflict = object_element (conflicts, i);
          JsonNode *server_value = conflict != NULL
                                   ? json_object_get_member (conflict, "server_value") : NULL;
          JsonNode *client_value = conflict != NULL
                                   ? json_object_get_member (conflict, "client_value") : NULL;
          ZgConflictField field;

          if (string_member (conflict, "field") == NULL)
            continue;
          field.field = string_member (conflict, "field");
          field.server_value = server_value != NULL ? json_to_string (server_value, FALSE)
                                                    : g_strdup ("null");
          field.local_value = client_value != NULL ? json_to_string (client_value, FALSE)
                                                   : g_strdup ("null");
          g_ptr_array_add (strings, (char *) field.server_value);
          g_ptr_array_add (strings, (char *) field.local_value);
          g_array_append_val (fields, field);
        }
      if (fields->len == 0)
        {
          if (!zg_cache_outbox_ack (self->cache, entry->mutation_id, rev, error))
            return FALSE;
        }
      else
        {
          if (!zg_cache_outbox_conflict (self->cache, entry->mutation_id, rev,
                                         (const ZgConflictField *) (gpointer) fields->data,
                                         fields->len, error))
            return FALSE;
          note_problems (self);
        }
    }
  else
    {
      const char *reason = string_member (result, "reason");

      if (!zg_cache_outbox_reject (self->cache, entry->mutation_id,
                                   reason != NULL && *reason != '\0' ? reason : "rejected",
                                   error))
        return FALSE;
      note_problems (self);
      if (!refetch (self, entry->entity, entry->id, error))
        return FALSE;
    }
  note_changed (self, entry->entity);
  return TRUE;
}

static gboolean
push_all (ZgSyncEngine  *self,
          GError       **error)
{
  for (guint round = 0; round < 10000; round++)
    {
      g_autoptr(GPtrArray) batch = NULL;
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(GHashTable) by_id = NULL;
      g_autofree char *body = NULL;
      JsonArray *results;
      guint status = 0;
      guint answered = 0;

      batch = zg_cache_outbox_take_batch (self->cache, PUSH_BATCH, error);
      if (batch == NULL)
        return FALSE;
      if (batch->len == 0)
        return TRUE;
      body = push_body (self, batch, error);
      if (body == NULL)
        return FALSE;
      answer = request (self, "POST", "/api/v1/sync/push", body, &status, error);
      if (answer == NULL)
        return FALSE;
      if (status != SOUP_STATUS_OK)
        {
          set_server_error (error, status, answer);
          return FALSE;
        }
      results = array_member (answer, "results");
      by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
      for (guint i = 0; i < batch->len; i++)
        {
          ZgOutboxEntry *entry = g_ptr_array_index (batch, i);

          g_hash_table_insert (by_id, &entry->mutation_id, entry);
        }
      /* Entries without an answer stay "sent" and go again next time. */
      for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
        {
          JsonObject *result = object_element (results, i);
          gint64 mutation_id = int_member (result, "mutation_id");
          ZgOutboxEntry *entry = g_hash_table_lookup (by_id, &mutation_id);

          if (entry == NULL)
            continue;
          /* A replayed id can appear twice in one answer; the first result decides. */
          g_hash_table_remove (by_id, &mutation_id);
          if (!handle_result (self, entry, result, error))
            return FALSE;
          answered++;
        }
      if (answered == 0)
        {
          g_set_error_literal (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_SERVER,
                               _("The server did not answer the changes sent to it."));
          return FALSE;
        }
      if (batch->len < PUSH_BATCH)
        return TRUE;
    }
  return TRUE;
}

/* ---- pull ---- */

static void
keep_add (GHashTable *keep,
          const char *entity,
          const char *id)
{
  GPtrArray *ids = g_hash_table_lookup (keep, entity);

  if (ids == NULL)
    {
      ids = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (keep, g_strdup (entity), ids);
    }
  g_ptr_array_add (ids, g_strdup (id));
}

/* @items: change objects of a pull page (or a GET answer): entity, id, rev, record, process
 * data. One transaction; pending local edits are re-applied on top by the cache. */
static gboolean
store_pulled (ZgSyncEngine *self,
              JsonObject  **items,
              guint         n_items,
              GHashTable   *keep,
              GError      **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (
    (GDestroyNotify) zg_cache_record_free);

  for (guint i = 0; i < n_items; i++)
    {
      JsonObject *item = items[i];
      JsonNode *body = json_object_get_member (item, "record");
      const char *entity = string_member (item, "entity");
      const char *id = string_member (item, "id");
      ZgCacheRecord *record;

      if (entity == NULL || id == NULL || body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
        {
          g_set_error_literal (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_SERVER,
                               _("The server sent a record that could not be read."));
          return FALSE;
        }
      record = g_new0 (ZgCacheRecord, 1);
      record->entity = g_strdup (entity);
      record->id = g_strdup (id);
      record->rev = int_member (item, "rev");
      record->json = json_to_string (body, FALSE);
      record->created_by = int_member (item, "created_by");
      record->created_at = int_member (item, "created_at");
      record->updated_by = int_member (item, "updated_by");
      record->updated_at = int_member (item, "updated_at");
      g_ptr_array_add (records, record);
      if (keep != NULL)
        keep_add (keep, entity, id);
    }
  if (records->len == 0)
    return TRUE;
  if (!zg_cache_put_records (self->cache, (ZgCacheRecord * const *) records->pdata, records->len,
                             error))
    return FALSE;
  for (guint i = 0; i < records->len; i++)
    note_changed (self, ((ZgCacheRecord *) records->pdata[i])->entity);
  return TRUE;
}

static gboolean
purge_removals (ZgSyncEngine *self,
                JsonArray    *removals,
                GError      **error)
{
  g_autoptr(GHashTable) by_entity = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           (GDestroyNotify) g_ptr_array_unref);
  GHashTableIter iter;
  gpointer key = NULL;
  gpointer value = NULL;

  for (guint i = 0; removals != NULL && i < json_array_get_length (removals); i++)
    {
      JsonObject *removal = object_element (removals, i);
      const char *entity = string_member (removal, "entity");
      const char *id = string_member (removal, "id");

      if (entity != NULL && id != NULL)
        keep_add (by_entity, entity, id);
    }
  g_hash_table_iter_init (&iter, by_entity);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *ids = value;

      g_ptr_array_add (ids, NULL);
      if (!zg_cache_purge_records (self->cache, key, (const char * const *) ids->pdata, error))
        return FALSE;
      note_changed (self, key);
    }
  return TRUE;
}

/* End of a snapshot: whatever the server did not send, the user may no longer see. */
static gboolean
purge_unsent (ZgSyncEngine *self,
              GHashTable   *keep,
              GError      **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      GPtrArray *ids = g_hash_table_lookup (keep, entities[i]);
      const char * const none[] = { NULL };
      gint64 before = zg_cache_count_records (self->cache, entities[i], error);
      gint64 after;

      if (before < 0)
        return FALSE;
      if (ids != NULL)
        g_ptr_array_add (ids, NULL);
      if (!zg_cache_purge_except (self->cache, entities[i],
                                  ids != NULL ? (const char * const *) ids->pdata : none, error))
        return FALSE;
      after = zg_cache_count_records (self->cache, entities[i], error);
      if (after < 0)
        return FALSE;
      if (after != before)
        note_changed (self, entities[i]);
    }
  return TRUE;
}

static gboolean
pull_all (ZgSyncEngine  *self,
          GError       **error)
{
  g_autoptr(GHashTable) keep = NULL;
  g_autofree char *cursor = NULL;
  guint resyncs = 0;
  gboolean snapshot;

  cursor = zg_cache_get_cursor (self->cache, NULL, error);
  if (cursor == NULL && error != NULL && *error != NULL)
    return FALSE;
  snapshot = cursor == NULL;
  if (snapshot)
    keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) g_ptr_array_unref);

  for (guint page = 0; page < MAX_PULL_PAGES; page++)
    {
      g_autoptr(JsonObject) answer = NULL;
      g_autofree char *path = NULL;
      JsonArray *changes;
      const char *next;
      guint status = 0;

      if (cursor != NULL)
        {
          g_autofree char *escaped = g_uri_escape_string (cursor, NULL, TRUE);

          path = g_strdup_printf ("/api/v1/sync/pull?limit=%d&cursor=%s", PULL_LIMIT, escaped);
        }
      else
        path = g_strdup_printf ("/api/v1/sync/pull?limit=%d", PULL_LIMIT);
      answer = request (self, "GET", path, NULL, &status, error);
      if (answer == NULL)
        return FALSE;

      /* Criteria changed (or the cursor is unusable): a full snapshot, then purge. */
      if ((status == SOUP_STATUS_CONFLICT
           && g_strcmp0 (string_member (answer, "error"), "resync_required") == 0)
          || (status == SOUP_STATUS_BAD_REQUEST
              && g_strcmp0 (string_member (answer, "error"), "invalid_cursor") == 0))
        {
          if (++resyncs > 2)
            {
              set_server_error (error, status, answer);
              return FALSE;
            }
          g_clear_pointer (&cursor, g_free);
          snapshot = TRUE;
          g_clear_pointer (&keep, g_hash_table_unref);
          keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
          continue;
        }
      if (status != SOUP_STATUS_OK)
        {
          set_server_error (error, status, answer);
          return FALSE;
        }

      changes = array_member (answer, "changes");
      if (changes != NULL)
        {
          g_autoptr(GPtrArray) items = g_ptr_array_new ();

          for (guint i = 0; i < json_array_get_length (changes); i++)
            {
              JsonObject *item = object_element (changes, i);

              if (item != NULL)
                g_ptr_array_add (items, item);
            }
          if (!store_pulled (self, (JsonObject **) items->pdata, items->len, keep, error))
            return FALSE;
        }
      if (!purge_removals (self, array_member (answer, "removals"), error))
        return FALSE;

      next = string_member (answer, "cursor");
      if (next == NULL || *next == '\0')
        {
          g_set_error_literal (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_SERVER,
                               _("The server's answer could not be read."));
          return FALSE;
        }
      g_free (cursor);
      cursor = g_strdup (next);
      /* Incremental pages are resumable; a snapshot's cursor is stored only with its end,
       * because the purge needs every id of the snapshot. */
      if (!snapshot && !zg_cache_set_cursor (self->cache, cursor, error))
        return FALSE;
      if (!json_object_get_boolean_member_with_default (answer, "has_more", FALSE))
        {
          if (snapshot && (!purge_unsent (self, keep, error)
                           || !zg_cache_set_cursor (self->cache, cursor, error)))
            return FALSE;
          return TRUE;
        }
    }
  g_set_error_literal (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_SERVER,
                       _("The server sent more pages than expected."));
  return FALSE;
}

/* ---- scheduling on the worker ---- */

static gboolean
timer_cb (gpointer user_data)
{
  ZgSyncEngine *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  self->next_attempt = 0;
  run_sync (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (ZgSyncEngine *self,
          guint         ms)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  self->timer = g_timeout_source_new (ms);
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_set_static_name (self->timer, "[zeugnis] sync timer");
  g_source_attach (self->timer, self->worker_context);
  self->next_attempt = g_get_monotonic_time () + (gint64) ms * 1000;
}

static void
cancel_debounce (ZgSyncEngine *self)
{
  if (self->debounce != NULL)
    {
      g_source_destroy (self->debounce);
      g_clear_pointer (&self->debounce, g_source_unref);
    }
}

static gboolean
debounce_cb (gpointer user_data)
{
  ZgSyncEngine *self = user_data;

  g_clear_pointer (&self->debounce, g_source_unref);
  run_sync (self);
  return G_SOURCE_REMOVE;
}

static guint
backoff_ms (guint failures)
{
  guint seconds = BACKOFF_MAX;
  guint jitter;

  if (failures < 9)
    seconds = MIN ((guint) 1 << failures, BACKOFF_MAX);
  /* Up to a quarter more, so that many clients do not return in step after an outage. */
  jitter = (guint) g_random_int_range (0, (gint32) (seconds * 250) + 1);
  return seconds * 1000 + jitter;
}

static void
run_sync (ZgSyncEngine *self)
{
  g_autoptr(GError) error = NULL;
  ZgSyncState state;
  guint ticket;
  gboolean ok;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  cancel_debounce (self);
  g_mutex_lock (&self->lock);
  ticket = self->requested_ticket;
  g_mutex_unlock (&self->lock);
  self->served_ticket = ticket;
  if (self->expired)
    {
      /* Nothing is sent until zg_sync_engine_start (a new sign-in); the request is answered. */
      RunEnd end = { TRUE, ticket, FALSE };

      publish_run (self, TRUE, ZG_SYNC_STATE_EXPIRED, NULL, &end);
      return;
    }
  publish (self, FALSE, ZG_SYNC_STATE_SYNCING, NULL);

  ok = push_all (self, &error) && pull_all (self, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (ok)
    {
      self->failures = 0;
      state = ZG_SYNC_STATE_IDLE;
      schedule (self, PERIOD_SECONDS * 1000);
    }
  else if (g_error_matches (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_EXPIRED))
    {
      /* Retrying cannot help until the user signs in again (zg_sync_engine_start). */
      self->expired = TRUE;
      state = ZG_SYNC_STATE_EXPIRED;
      if (self->timer != NULL)
        {
          g_source_destroy (self->timer);
          g_clear_pointer (&self->timer, g_source_unref);
        }
      self->next_attempt = 0;
    }
  else
    {
      state = g_error_matches (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_NETWORK)
              ? ZG_SYNC_STATE_OFFLINE : ZG_SYNC_STATE_ERROR;
      self->failures++;
      schedule (self, backoff_ms (self->failures));
      g_debug ("Sync failed (%u in a row): %s", self->failures, error->message);
    }

  {
    RunEnd end = { TRUE, ticket, ok };

    publish_run (self, FALSE, state, ok ? NULL : error->message, &end);
  }
}

typedef struct
{
  TriggerKind kind;
  guint       ticket;   /* of zg_sync_engine_request_sync, else 0 */
} Trigger;

static void
handle_trigger (ZgSyncEngine  *self,
                const Trigger *trigger)
{
  switch (trigger->kind)
    {
    case TRIGGER_QUIT:
      g_main_loop_quit (self->worker_loop);
      break;

    case TRIGGER_RESTART:
      self->expired = FALSE;
      self->failures = 0;
      run_sync (self);
      break;

    case TRIGGER_RUN:
      /* Requests that queued up while one run went on were answered by that run. */
      if (trigger->ticket != 0 && trigger->ticket <= self->served_ticket)
        break;
      self->failures = 0;
      run_sync (self);
      break;

    case TRIGGER_CHANGE:
    default:
      if (self->expired)
        break;
      /* While backing off, the retry timer decides; the edit is safe in the outbox. */
      if (self->failures == 0)
        {
          cancel_debounce (self);
          self->debounce = g_timeout_source_new (DEBOUNCE_MS);
          g_source_set_callback (self->debounce, debounce_cb, self, NULL);
          g_source_set_static_name (self->debounce, "[zeugnis] sync debounce");
          g_source_attach (self->debounce, self->worker_context);
        }
      publish (self, TRUE, ZG_SYNC_STATE_IDLE, NULL);
      break;
    }
}

/* Worker: takes the triggers queued so far, one at a time (a run may take long and more
 * arrive meanwhile; each posting attached its own wake-up source). */
static gboolean
trigger_cb (gpointer user_data)
{
  ZgSyncEngine *self = user_data;
  Trigger trigger = { TRIGGER_RUN, 0 };
  gboolean have = FALSE;

  g_mutex_lock (&self->lock);
  if (self->triggers->len > 0)
    {
      trigger = g_array_index (self->triggers, Trigger, 0);
      g_array_remove_index (self->triggers, 0);
      have = TRUE;
    }
  g_mutex_unlock (&self->lock);
  if (have)
    handle_trigger (self, &trigger);
  return G_SOURCE_REMOVE;
}

static void
post_trigger_ticket (ZgSyncEngine *self,
                     TriggerKind   kind,
                     guint         ticket)
{
  g_autoptr(GSource) source = g_idle_source_new ();
  Trigger trigger = { kind, ticket };

  g_mutex_lock (&self->lock);
  g_array_append_val (self->triggers, trigger);
  g_mutex_unlock (&self->lock);
  g_source_set_callback (source, trigger_cb, self, NULL);
  g_source_set_static_name (source, "[zeugnis] sync trigger");
  g_source_attach (source, self->worker_context);
}

static void
post_trigger (ZgSyncEngine *self,
              TriggerKind   kind)
{
  post_trigger_ticket (self, kind, 0);
}

static gpointer
worker_main (gpointer data)
{
  ZgSyncEngine *self = data;
  g_autofree char *agent = g_strconcat ("Zeugnis/", PACKAGE_VERSION, NULL);

  g_main_context_push_thread_default (self->worker_context);
  self->soup = soup_session_new_with_options ("timeout", REQUEST_TIMEOUT, "user-agent", agent,
                                              NULL);
  g_main_loop_run (self->worker_loop);

  cancel_debounce (self);
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  soup_session_abort (self->soup);
  g_clear_object (&self->soup);
  g_main_context_pop_thread_default (self->worker_context);
  return NULL;
}

/* ---- owner thread ---- */

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         user_data)
{
  ZgSyncEngine *self = user_data;

  if (available && !self->network_available && self->thread != NULL)
    post_trigger (self, TRIGGER_RUN);
  self->network_available = available;
}

static void
zg_sync_engine_dispose (GObject *object)
{
  ZgSyncEngine *self = ZG_SYNC_ENGINE (object);

  zg_sync_engine_stop (self);
  if (self->session != NULL && self->signed_in_handler != 0)
    g_clear_signal_handler (&self->signed_in_handler, self->session);
  g_mutex_lock (&self->lock);
  if (self->dispatch != NULL)
    {
      g_source_destroy (self->dispatch);
      g_clear_pointer (&self->dispatch, g_source_unref);
    }
  g_mutex_unlock (&self->lock);
  g_clear_object (&self->session);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (zg_sync_engine_parent_class)->dispose (object);
}

static void
zg_sync_engine_finalize (GObject *object)
{
  ZgSyncEngine *self = ZG_SYNC_ENGINE (object);

  g_clear_pointer (&self->owner_context, g_main_context_unref);
  g_free (self->server_url);
  g_free (self->pin_key);
  g_free (self->pins_path);
  if (self->token != NULL)
    {
      memset (self->token, 0, strlen (self->token));
      g_free (self->token);
    }
  snapshot_clear (&self->shown);
  snapshot_clear (&self->reported);
  g_clear_pointer (&self->changed_entities, g_hash_table_unref);
  g_clear_pointer (&self->triggers, g_array_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (zg_sync_engine_parent_class)->finalize (object);
}

static void
zg_sync_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ZgSyncEngine *self = ZG_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->shown.state);
      break;

    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->shown.last_sync);
      break;

    case PROP_PENDING:
      g_value_set_int64 (value, self->shown.pending);
      break;

    case PROP_PROBLEMS:
      g_value_set_int64 (value, self->shown.problems);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->shown.error_message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zg_sync_engine_class_init (ZgSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = zg_sync_engine_dispose;
  object_class->finalize = zg_sync_engine_finalize;
  object_class->get_property = zg_sync_engine_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, ZG_SYNC_STATE_IDLE, ZG_SYNC_STATE_ERROR,
                      ZG_SYNC_STATE_IDLE, flags);
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PENDING] =
    g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PROBLEMS] =
    g_param_spec_int64 ("problems", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_RECORDS_CHANGED] =
    g_signal_new ("records-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_PROBLEMS_CHANGED] =
    g_signal_new ("problems-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SYNC_FINISHED] =
    g_signal_new ("sync-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
zg_sync_engine_init (ZgSyncEngine *self)
{
  g_mutex_init (&self->lock);
  self->owner_context = g_main_context_ref_thread_default ();
  self->changed_entities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->triggers = g_array_new (FALSE, FALSE, sizeof (Trigger));
  self->network_available = TRUE;
}

/* Starts the worker and a first sync; after EXPIRED (a new sign-in) it syncs again. */
void
zg_sync_engine_start (ZgSyncEngine *self)
{
  g_return_if_fail (ZG_IS_SYNC_ENGINE (self));

  session_signed_in_cb (NULL, NULL, self);
  if (self->thread != NULL)
    {
      post_trigger (self, TRIGGER_RESTART);
      return;
    }
  self->worker_context = g_main_context_new ();
  self->worker_loop = g_main_loop_new (self->worker_context, FALSE);
  self->cancellable = g_cancellable_new ();
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_available = g_network_monitor_get_network_available (self->monitor);
  self->network_handler = g_signal_connect (self->monitor, "network-changed",
                                            G_CALLBACK (network_changed_cb), self);
  post_trigger (self, TRIGGER_RUN);
  self->thread = g_thread_new ("zg-sync", worker_main, self);
}

/* Stops the worker: a running request is cancelled, the thread joined. Safe to call twice. */
void
zg_sync_engine_stop (ZgSyncEngine *self)
{
  g_return_if_fail (ZG_IS_SYNC_ENGINE (self));

  if (self->thread == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  post_trigger (self, TRIGGER_QUIT);
  g_thread_join (g_steal_pointer (&self->thread));
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->network_handler, self->monitor);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->worker_loop, g_main_loop_unref);
  g_clear_pointer (&self->worker_context, g_main_context_unref);
  g_clear_object (&self->cancellable);
  g_mutex_lock (&self->lock);
  g_array_set_size (self->triggers, 0);
  g_mutex_unlock (&self->lock);
}

void
zg_sync_engine_sync_now (ZgSyncEngine *self)
{
  g_return_if_fail (ZG_IS_SYNC_ENGINE (self));

  zg_sync_engine_request_sync (self);
}

/* Like sync_now; returns a ticket that zg_sync_engine_get_completed_ticket() reaches once a
 * sync run that began after this call has finished (successfully or not). 0 = not running. */
guint
zg_sync_engine_request_sync (ZgSyncEngine *self)
{
  guint ticket;

  g_return_val_if_fail (ZG_IS_SYNC_ENGINE (self), 0);

  if (self->thread == NULL)
    return 0;
  g_mutex_lock (&self->lock);
  ticket = ++self->requested_ticket;
  g_mutex_unlock (&self->lock);
  post_trigger_ticket (self, TRIGGER_RUN, ticket);
  return ticket;
}

guint
zg_sync_engine_get_completed_ticket (ZgSyncEngine *self)
{
  g_return_val_if_fail (ZG_IS_SYNC_ENGINE (self), 0);
  return self->shown.completed_ticket;
}

/* Call after every zg_cache_local_edit (and after resolving or dismissing a problem). */
void
zg_sync_engine_local_change (ZgSyncEngine *self)
{
  g_return_if_fail (ZG_IS_SYNC_ENGINE (self));

  if (self->thread != NULL)
    post_trigger (self, TRIGGER_CHANGE);
}

ZgSyncState
zg_sync_engine_get_state (ZgSyncEngine *self)
{
  g_return_val_if_fail (ZG_IS_SYNC_ENGINE (self), ZG_SYNC_STATE_ERROR);
  return self->shown.state;
}

gint64
zg_sync_engine_get_last_sync (ZgSyncEngine *self)
{
  g_return_val_if_fail (ZG_IS_SYNC_ENGINE (self), 0);
  return self->shown.last_sync;
}

gint64
zg_sync_engine_get_pending (ZgSyncEngine *self)
{
  g_return_val_if_fail (ZG_IS_SYNC_ENGINE (self), 0);
  return self->shown.pending;
}

gint64
zg_sync_engine_get_problems (ZgSyncEngine *self)
{
  g_return_val_if_fail (ZG_IS_SYNC_ENGINE (self), 0);
  return self->shown.problems;
}

const char *
zg_sync_engine_get_error_message (ZgSyncEngine *self)
{
  g_return_val_if_fail (ZG_IS_SYNC_ENGINE (self), NULL);
  return self->shown.error_message;
}

ZgCache *
zg_sync_engine_get_cache (ZgSyncEngine *self)
{
  g_return_val_if_fail (ZG_IS_SYNC_ENGINE (self), NULL);
  return self->cache;
}

/* Failed runs in a row (0 after a successful one) — the back-off exponent. */
guint
zg_sync_engine_get_failures (ZgSyncEngine *self)
{
  g_return_val_if_fail (ZG_IS_SYNC_ENGINE (self), 0);
  return self->shown.failures;
}

/* g_get_monotonic_time() of the next timed run (periodic or retry), 0 = none. */
gint64
zg_sync_engine_get_next_attempt (ZgSyncEngine *self)
{
  g_return_val_if_fail (ZG_IS_SYNC_ENGINE (self), 0);
  return self->shown.next_attempt;
}
