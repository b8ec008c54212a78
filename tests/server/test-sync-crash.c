/* test-sync-crash.c — a push and the automatic deletion interrupted by kill -9 of the real
 * zeugnis-server binary
 *
 * Each round sends a batch of create mutations, kills the server with SIGKILL after a
 * growing delay (before, during or after the batch's transaction), restarts it on the same
 * data directory and pushes the same batch again: every mutation must exist exactly once,
 * and every mutation the first push acknowledged must be answered as a replay with the
 * same revision (DESIGN.md, Sync protocol: "a replayed mutation id is acknowledged, never
 * applied twice").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/prctl.h>

#include "server-test-utils.h"
#include "storage.h"

#define ADMIN_PW "Verwaltung-Zeugnis-7"
#define BATCH    300

typedef struct
{
  char            *tmp;
  char            *data;
  GSubprocess     *proc;
  guint16          port;
  GTlsCertificate *cert;
} Server;

static void
run_cli (const char * const *args,
         const char         *stdin_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) g_getenv ("ZG_SERVER_BINARY"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                            G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, stdin_text != NULL ? stdin_text : "",
                                                NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
server_start (Server *s)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  const char *prefix = "Zeugnis server listening on https://127.0.0.1:";

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  s->proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("ZG_SERVER_BINARY"),
                                         "--data-dir", s->data, "serve", "--listen",
                                         "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  s->port = (guint16) g_ascii_strtoull (line + strlen (prefix), NULL, 10);
  if (s->cert == NULL)
    {
      g_autofree char *path = g_build_filename (s->data, "tls", "server.crt", NULL);

      s->cert = g_tls_certificate_new_from_file (path, &error);
      g_assert_no_error (error);
    }
}

static void
server_kill (Server *s)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (s->proc, SIGKILL);
  g_assert_true (g_subprocess_wait (s->proc, NULL, &error));
  g_clear_object (&s->proc);
}

static gboolean
accept_cb (SoupMessage          *msg,
           GTlsCertificate      *cert,
           GTlsCertificateFlags  errors,
           gpointer              user_data)
{
  return g_tls_certificate_is_same (cert, user_data);
}

/* One request on its own session; status 0 = the connection broke (server killed). */
static guint
request (Server      *s,
         const char  *method,
         const char  *path,
         const char  *token,
         const char  *body,
         char       **out_text)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u%s", s->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_cb), s->cert);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  if (answer == NULL)
    return 0;
  if (out_text != NULL)
    *out_text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  return soup_message_get_status (msg);
}

static JsonObject *
parse (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static char *
login (Server *s)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) o = NULL;
  guint status = request (s, "POST", "/api/v1/auth/login", NULL,
                          "{\"email\":\"chefin@example.com\",\"password\":\"" ADMIN_PW "\"}",
                          &text);

  g_assert_cmpuint (status, ==, 200);
  o = parse (text);
  return g_strdup (json_object_get_string_member (o, "token"));
}

typedef struct
{
  Server *server;
  char   *token;
  char   *body;
  guint   status;
  char   *text;
} PushJob;

static gpointer
push_thread (gpointer data)
{
  PushJob *job = data;
  g_autoptr(GMainContext) ctx = g_main_context_new ();

  g_main_context_push_thread_default (ctx);
  job->status = request (job->server, "POST", "/api/v1/sync/push", job->token, job->body,
                         &job->text);
  g_main_context_pop_thread_default (ctx);
  return NULL;
}

static gint64
count_qualifications (Server     *s,
                      const char *token,
                      const char *prefix)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) o = NULL;
  JsonArray *items;
  gint64 n = 0;

  g_assert_cmpuint (request (s, "GET", "/api/v1/qualifications", token, NULL, &text), ==, 200);
  o = parse (text);
  items = json_object_get_array_member (o, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *rec = json_object_get_object_member (json_array_get_object_element (items, i),
                                                       "record");

      if (g_str_has_prefix (json_object_get_string_member (rec, "name"), prefix))
        n++;
    }
  return n;
}

static void
test_kill_mid_batch (void)
{
  Server s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  const char *init[] = { "--data-dir", NULL, "init", NULL };
  const char *add[] = { "--data-dir", NULL, "user", "add", "--email", "chefin@example.com",
                        "--first-name", "Clara", "--last-name", "Chefin", "--role",
                        "Administrator", "--password-stdin", NULL };
  const guint delays_ms[] = { 0, 15, 40, 80, 150, 400 };
  guint n_interrupted = 0;

  s.tmp = g_dir_make_tmp ("zeugnis-sync-crash-XXXXXX", &error);
  g_assert_no_error (error);
  s.data = g_build_filename (s.tmp, "daten", NULL);
  init[1] = s.data;
  add[1] = s.data;
  run_cli (init, NULL);
  run_cli (add, ADMIN_PW "\n");
  server_start (&s);
  token = login (&s);

  for (guint round = 0; round < G_N_ELEMENTS (delays_ms); round++)
    {
      g_autoptr(GString) body = g_string_new (NULL);
      g_autofree char *prefix = g_strdup_printf ("R%u-", round);
      g_autofree char *text = NULL;
      g_autoptr(JsonObject) first = NULL;
      g_autoptr(JsonObject) second = NULL;
      PushJob job = { &s, token, NULL, 0, NULL };
      GThread *thread;
      JsonArray *results;

      g_string_printf (body, "{\"client_id\":\"crash-client-%u\",\"mutations\":[", round);
      for (guint i = 0; i < BATCH; i++)
        g_string_append_printf (body, "%s{\"mutation_id\":%u,\"op\":\"create\","
                                "\"entity\":\"qualification\",\"id\":\"%08x-0000-4000-8000-%012x\","
                                "\"fields\":{\"kind\":\"personal\",\"name\":\"%s%u\"}}",
                                i ? "," : "", i + 1, round + 1, i + 1, prefix, i);
      g_string_append (body, "]}");
      job.body = body->str;

      thread = g_thread_new ("push", push_thread, &job);
      g_usleep (delays_ms[round] * 1000);
      server_kill (&s);
      g_thread_join (thread);
      g_test_message ("round %u: killed after %u ms, first push answered %u", round,
                      delays_ms[round], job.status);
      if (job.status == 200)
        first = parse (job.text);
      else
        n_interrupted++;

      server_start (&s);
      g_assert_cmpuint (request (&s, "POST", "/api/v1/sync/push", token, body->str, &text), ==,
                        200);
      second = parse (text);
      results = json_object_get_array_member (second, "results");
      g_assert_cmpuint (json_array_get_length (results), ==, BATCH);
      for (guint i = 0; i < BATCH; i++)
        {
          JsonObject *r = json_array_get_object_element (results, i);

          g_assert_cmpstr (json_object_get_string_member (r, "status"), ==, "applied");
          if (first != NULL)
            {
              JsonObject *r1 = json_array_get_object_element (
                json_object_get_array_member (first, "results"), i);

              /* Acknowledged before the kill: still there, answered as a replay. */
              g_assert_true (json_object_get_boolean_member_with_default (r, "replayed", FALSE));
              g_assert_cmpint (json_object_get_int_member (r, "rev"), ==,
                               json_object_get_int_member (r1, "rev"));
            }
        }
      {
        guint n_replayed = 0;

        for (guint i = 0; i < BATCH; i++)
          n_replayed += json_object_get_boolean_member_with_default (
            json_array_get_object_element (results, i), "replayed", FALSE);
        /* All or nothing: the batch is one transaction. */
        g_assert_true (n_replayed == 0 || n_replayed == BATCH);
        g_test_message ("round %u: re-push found %u of %u already applied", round, n_replayed,
                        BATCH);
      }
      /* Exactly once, whatever the moment of the kill. */
      g_assert_cmpint (count_qualifications (&s, token, prefix), ==, BATCH);
      g_free (job.text);
    }
  g_test_message ("%u of %zu rounds interrupted before the answer", n_interrupted,
                  G_N_ELEMENTS (delays_ms));
  g_assert_cmpuint (n_interrupted, >, 0);
  server_kill (&s);
  g_clear_object (&s.cert);
  remove_tree (s.tmp);
  g_free (s.tmp);
  g_free (s.data);
}

/* ---- kill -9 during the automatic deletion (R-DEL-2, R-DEL-4) ---- */

#define N_DUE     2000
#define EMPLOYEE  "1e000000-0000-4000-8000-00000000001e"

typedef struct
{
  gint64 records, history, events, refs, fields, removals;
} Footprint;

/* Rows per certificate id in each table the deletion touches, read with one grouped query
 * per table (id -> count). */
static GHashTable **
footprints_read (ZgStorage *storage)
{
  static const char *const sql[] = {
    "SELECT id, count(*) FROM records WHERE entity = 'certificate' GROUP BY id;",
    "SELECT certificate_id, count(*) FROM certificate_history GROUP BY certificate_id;",
    "SELECT certificate_id, count(*) FROM certificate_events GROUP BY certificate_id;",
    "SELECT certificate_id, count(*) FROM employee_refs GROUP BY certificate_id;",
    "SELECT id, count(*) FROM record_fields WHERE entity = 'certificate' GROUP BY id;",
    "SELECT id, count(*) FROM removals WHERE entity = 'certificate' GROUP BY id;",
  };
  GHashTable **tables = g_new0 (GHashTable *, G_N_ELEMENTS (sql) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      g_autoptr(ZgStmt) stmt = zg_storage_prepare (storage, sql[i], NULL);
      int rc;

      g_assert_nonnull (stmt);
      tables[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      while ((rc = zg_stmt_step (stmt, NULL)) == SQLITE_ROW)
        g_hash_table_insert (tables[i], g_strdup (zg_stmt_column_text (stmt, 0)),
                             GINT_TO_POINTER ((int) zg_stmt_column_int64 (stmt, 1)));
      g_assert_cmpint (rc, ==, SQLITE_DONE);
    }
  return tables;
}

static void
footprints_free (GHashTable **tables)
{
  for (guint i = 0; tables[i] != NULL; i++)
    g_hash_table_unref (tables[i]);
  g_free (tables);
}

static void
footprint_of (GHashTable **tables,
              const char  *id,
              Footprint   *fp)
{
  gint64 *out[] = { &fp->records, &fp->history, &fp->events, &fp->refs, &fp->fields,
                    &fp->removals };

  for (guint i = 0; i < G_N_ELEMENTS (out); i++)
    *out[i] = GPOINTER_TO_INT (g_hash_table_lookup (tables[i], id));
}

static ZgStorage *
open_storage (Server *s)
{
  g_autofree char *db = g_build_filename (s->data, "zeugnis.db", NULL);
  g_autofree char *key_path = g_build_filename (s->data, "zeugnis.key", NULL);
  guint8 key[ZG_STORAGE_KEY_BYTES];
  g_autoptr(GError) error = NULL;
  ZgStorage *storage;

  g_assert_true (zg_storage_read_key_file (key_path, key, &error));
  g_assert_no_error (error);
  storage = zg_storage_open (db, key, FALSE, &error);
  g_assert_no_error (error);
  memset (key, 0, sizeof key);
  return storage;
}

static char *
due_id (guint i)
{
  return g_strdup_printf ("2e%06x-0000-4000-8000-%012x", i, i);
}

/* Every due certificate is either untouched (its full footprint as before the job) or
 * deleted completely (no record, history, events, references, field stamps; one removal).
 * Returns how many are deleted. */
static guint
check_all_or_nothing (Server          *s,
                      const Footprint *before)
{
  ZgStorage *storage = open_storage (s);
  GHashTable **tables = footprints_read (storage);
  guint n_deleted = 0;

  for (guint i = 0; i < N_DUE; i++)
    {
      g_autofree char *id = due_id (i);
      Footprint fp = { 0 };

      footprint_of (tables, id, &fp);
      if (fp.records == 0)
        {
          if (fp.history != 0 || fp.events != 0 || fp.refs != 0 || fp.fields != 0 ||
              fp.removals != 1)
            g_error ("R-DEL-2: %s half deleted: history %" G_GINT64_FORMAT " events %"
                     G_GINT64_FORMAT " refs %" G_GINT64_FORMAT " fields %" G_GINT64_FORMAT
                     " removals %" G_GINT64_FORMAT, id, fp.history, fp.events, fp.refs,
                     fp.fields, fp.removals);
          n_deleted++;
        }
      else
        {
          g_assert_cmpint (fp.records, ==, 1);
          g_assert_cmpint (fp.history, ==, before->history);
          g_assert_cmpint (fp.events, ==, before->events);
          g_assert_cmpint (fp.refs, ==, before->refs);
          g_assert_cmpint (fp.fields, ==, before->fields);
          g_assert_cmpint (fp.removals, ==, 0);
        }
    }
  /* the counts agree with the rows: nothing but the due certificates went */
  g_assert_cmpint (zg_storage_count (storage, "certificate_history"), ==,
                   (gint64) (N_DUE - n_deleted) * before->history);
  g_assert_cmpint (zg_storage_count (storage, "records"), ==, N_DUE - n_deleted + 1);
  {
    /* R-DEL-2: the security log counts exactly what was deleted, even after a kill */
    g_autoptr(ZgStmt) stmt = zg_storage_prepare (storage, "SELECT detail FROM audit_log"
                                                 " WHERE action = 'records_expired';", NULL);
    gint64 logged = 0;
    int rc;

    while ((rc = zg_stmt_step (stmt, NULL)) == SQLITE_ROW)
      {
        const char *detail = zg_stmt_column_text (stmt, 0);
        const char *p = strstr (detail, "interim certificates ");

        g_assert_nonnull (p);
        logged += g_ascii_strtoll (p + strlen ("interim certificates "), NULL, 10);
      }
    g_assert_cmpint (rc, ==, SQLITE_DONE);
    g_assert_cmpint (logged, ==, n_deleted);
  }
  footprints_free (tables);
  zg_storage_free (storage);
  return n_deleted;
}

static void
test_kill_during_retention (void)
{
  Server s = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *first_id = due_id (0);
  const char *init[] = { "--data-dir", NULL, "init", NULL };
  const char *add[] = { "--data-dir", NULL, "user", "add", "--email", "chefin@example.com",
                        "--first-name", "Clara", "--last-name", "Chefin", "--role",
                        "Administrator", "--password-stdin", NULL };
  Footprint before = { 0 };
  guint n_partial = 0, n_deleted = 0, round, start_ms;
  gint64 start_us;

  s.tmp = g_dir_make_tmp ("zeugnis-retention-crash-XXXXXX", &error);
  g_assert_no_error (error);
  s.data = g_build_filename (s.tmp, "daten", NULL);
  init[1] = s.data;
  add[1] = s.data;
  run_cli (init, NULL);
  run_cli (add, ADMIN_PW "\n");
  server_start (&s);
  token = login (&s);
  g_assert_cmpuint (request (&s, "PUT", "/api/v1/users/1/access-criteria", token,
                             "{\"administrator\":true}", NULL), ==, 200);
  g_assert_cmpuint (request (&s, "PATCH", "/api/v1/settings", token,
                             "{\"history_enabled\":true}", NULL), ==, 200);
  g_assert_cmpuint (request (&s, "POST", "/api/v1/employees", token,
                             "{\"id\":\"" EMPLOYEE "\",\"first_name\":\"Erika\","
                             "\"last_name\":\"Muster\"}", NULL), ==, 201);
  /* N_DUE interim certificates issued in 2000, each with history rows, a "created" event,
   * an employee reference and field stamps */
  for (guint batch = 0; batch < N_DUE / 500; batch++)
    {
      g_autoptr(GString) body = g_string_new (NULL);

      g_string_printf (body, "{\"client_id\":\"retention-client\",\"mutations\":[");
      for (guint k = 0; k < 500; k++)
        {
          guint i = batch * 500 + k;
          g_autofree char *id = due_id (i);

          g_string_append_printf (body, "%s{\"mutation_id\":%u,\"op\":\"create\","
                                  "\"entity\":\"certificate\",\"id\":\"%s\",\"fields\":{"
                                  "\"daten\":{\"persoenliche_daten\":{\"employee_id\":\""
                                  EMPLOYEE "\",\"last_name\":\"Muster\"},\"zeugnisdaten\":{"
                                  "\"kind\":\"zwischenzeugnis\",\"issue_date\":\"2000-01-01\"}},"
                                  "\"werdegang\":{\"vollmachten\":[\"Prokura\"]}}}",
                                  k ? "," : "", i + 1, id);
        }
      g_string_append (body, "]}");
      g_assert_cmpuint (request (&s, "POST", "/api/v1/sync/push", token, body->str, NULL), ==,
                        200);
    }
  /* How long a start takes here with nothing due (ASan builds are far slower): the kills
   * below are timed from it. */
  server_kill (&s);
  start_us = g_get_monotonic_time ();
  server_start (&s);
  start_ms = (guint) ((g_get_monotonic_time () - start_us) / 1000);
  g_test_message ("a start without due records takes %u ms", start_ms);
  g_free (token);
  token = login (&s);
  g_assert_cmpuint (request (&s, "PATCH", "/api/v1/settings", token,
                             "{\"certificate_retention_months_interim\":12}", NULL), ==, 200);
  server_kill (&s);

  {
    ZgStorage *storage = open_storage (&s);
    GHashTable **tables = footprints_read (storage);

    footprint_of (tables, first_id, &before);
    footprints_free (tables);
    zg_storage_free (storage);
    g_assert_cmpint (before.records, ==, 1);
    g_assert_cmpint (before.history, >, 0);
    g_assert_cmpint (before.events, ==, 1);
    g_assert_cmpint (before.refs, ==, 1);
    g_assert_cmpint (before.fields, >, 0);
  }
  g_assert_cmpuint (check_all_or_nothing (&s, &before), ==, 0);

  /* The job runs at start (before the server listens): kill it after a growing delay until
   * a run completes; after every kill each certificate is all there or all gone. Delays
   * start at a quarter of a plain start-up and grow by a tenth of it (at least 20 ms). */
  for (round = 0; round < 100 && n_deleted < N_DUE; round++)
    {
      g_autoptr(GSubprocessLauncher) launcher =
        g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
      guint delay_ms = start_ms / 4 + round * MAX (20, start_ms / 10);
      guint now_deleted;

      g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
      s.proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("ZG_SERVER_BINARY"),
                                            "--data-dir", s.data, "serve", "--listen",
                                            "127.0.0.1:0", NULL);
      g_assert_no_error (error);
      g_usleep (delay_ms * 1000);
      server_kill (&s);
      now_deleted = check_all_or_nothing (&s, &before);
      g_test_message ("round %u: killed after %u ms, %u of %u deleted", round, delay_ms,
                      now_deleted, N_DUE);
      g_assert_cmpuint (now_deleted, >=, n_deleted);   /* what was deleted stays deleted */
      if (now_deleted > 0 && now_deleted < N_DUE)
        n_partial++;
      n_deleted = now_deleted;
    }
  /* at least one kill hit the middle of a run */
  g_assert_cmpuint (n_partial, >, 0);

  /* the next run finishes the job: server_start returns once the server listens, i.e.
   * after the start-up maintenance run */
  server_start (&s);
  server_kill (&s);
  g_assert_cmpuint (check_all_or_nothing (&s, &before), ==, N_DUE);
  {
    ZgStorage *storage = open_storage (&s);

    /* the employee stays: no employee retention is set */
    g_assert_cmpint (zg_storage_count (storage, "employee_refs"), ==, 0);
    g_assert_cmpint (zg_storage_count (storage, "certificate_events"), ==, 0);
    zg_storage_free (storage);
  }
  g_clear_object (&s.cert);
  remove_tree (s.tmp);
  g_free (s.tmp);
  g_free (s.data);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  zg_server_set_tls_policy ();
  g_test_add_func ("/Zeugnis/Server/Sync/kill-9-mid-batch-exactly-once", test_kill_mid_batch);
  g_test_add_func ("/Zeugnis/Server/Sync/kill-9-during-automatic-deletion-R-DEL-2",
                   test_kill_during_retention);
  return g_test_run ();
}
