/* bench-sync.c — issue 3 figures against the real zeugnis-server binary (not a timed test)
 *
 *   build/bench/server/bench-sync build/server/zeugnis-server [N-CERTIFICATES]
 *
 * Prints: loading N realistic certificates (~5 KB) by push; the initial snapshot pull of all
 * of them by one client (seconds end to end, incl. TLS and JSON parsing) and the server's
 * peak RSS; the same bodies written straight into an SQLCipher database in one transaction
 * (the limit); a push of 1,000 mutations in one batch with history on; empty incremental
 * pulls. The server runs as its own process so that its RSS is its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>
#include <sqlcipher/sqlite3.h>

#include "server-test-utils.h"

#define ADMIN_PW "Verwaltung-Zeugnis-7"
#define EMPLOYEE "1a000000-0000-4000-8000-00000000000a"

static const char *server_binary;

static void
run_cli (const char * const *args,
         const char         *stdin_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) server_binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                            &error);
  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, stdin_text, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  if (g_subprocess_get_exit_status (proc) != 0)
    g_error ("zeugnis-server %s failed", args[2]);
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* A line of /proc/PID/status in KiB: "VmHWM:" (peak resident) or "VmRSS:" (now). */
static gint64
vm_kib (GPid        pid,
        const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, field)) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (field), NULL, 10);
}

static JsonObject *
call (ZgTestClient *client,
      const char   *method,
      const char   *path,
      const char   *token,
      const char   *body,
      guint         expect)
{
  g_autoptr(ZgTestResponse) r = zg_test_client_request (client, method, path, token,
                                                        body ? "application/json" : NULL, body,
                                                        body ? strlen (body) : 0);
  JsonObject *o;

  if (r->status != expect)
    g_error ("%s %s -> %u %.300s", method, path, r->status, r->text);
  o = zg_test_response_object (r);
  return o != NULL ? json_object_ref (o) : NULL;
}

static void
append_certificate (GString *s,
                    guint    n)
{
  g_string_append_printf (s,
    "{\"version\":1,\"id\":\"%08x-0000-4000-8000-000000000001\",\"daten\":{"
    "\"persoenliche_daten\":{\"employee_id\":\"" EMPLOYEE "\",\"salutation\":\"frau\","
    "\"title\":\"Dr.\",\"first_name\":\"Erika\",\"last_name\":\"Mustermann-%u\","
    "\"birth_date\":\"1985-04-12\",\"birth_place\":\"Köln\",\"street\":\"Domstraße 1\","
    "\"postcode\":\"50667\",\"city\":\"Köln\",\"email\":\"erika%u@example.com\"},"
    "\"unternehmen\":{\"name\":\"Muster GmbH\",\"address\":[\"Musterstraße 1\",\"50667 Köln\"],"
    "\"description\":\"Die Muster GmbH ist ein mittelständisches Unternehmen der Logistikbranche "
    "mit 450 Beschäftigten an fünf Standorten in Deutschland und den Niederlanden.\","
    "\"location\":\"Köln\",\"department\":\"Disposition\",\"org_unit\":\"Logistik West\"},"
    "\"zeugnisdaten\":{\"kind\":\"endzeugnis\",\"language\":\"de\",\"issue_date\":\"2026-06-30\","
    "\"issue_place\":\"Köln\",\"reason\":\"arbeitnehmerkuendigung\",\"entry_date\":\"2019-03-01\","
    "\"exit_date\":\"2026-06-30\",\"position\":\"Leiterin Disposition\","
    "\"employee_type\":\"fuehrungskraft\",\"manager\":true},"
    "\"weitere_angaben\":{\"notes\":\"Gespräch am 12. Mai; Wunsch nach Hervorhebung der "
    "Projektarbeit.\"},"
    "\"unterschriften\":[{\"name\":\"Dr. Erika Groß\",\"function\":\"Geschäftsführerin\"}]},"
    "\"werdegang\":{\"stationen\":[{\"position\":\"Disponentin\",\"department\":\"Disposition\","
    "\"from\":\"2019-03-01\",\"to\":\"2021-12-31\"},{\"position\":\"Leiterin Disposition\","
    "\"from\":\"2022-01-01\",\"to\":\"2026-06-30\"}],\"taetigkeiten\":{\"items\":[",
    n + 1, n, n);
  for (guint i = 0; i < 14; i++)
    g_string_append_printf (s, "%s\"Planung und Steuerung der Tourenplanung für den Bereich %u "
                            "einschließlich Kapazitäts- und Personaleinsatzplanung\"",
                            i ? "," : "", i);
  g_string_append (s, "]},\"zusatztaetigkeiten\":[\"Ausbilderin für Kaufleute für Spedition\","
                   "\"Mitglied im Betriebsrat\"],\"weiterbildungen\":[\"SAP TM\",\"Führung "
                   "kompakt\"],\"vollmachten\":[\"Handlungsvollmacht\"]},"
                   "\"bewertung\":{\"bewertung\":{\"grades\":{\"bereitschaft\":1,"
                   "\"befaehigung\":2,\"wissen\":1,\"weiterbildung\":2,\"arbeitsweise\":1,"
                   "\"arbeitserfolg\":2,\"fuehrungserfolg\":2,\"verhalten-intern\":1,"
                   "\"verhalten-extern\":1}},\"qualifikationen\":[\"Verhandlungsgeschick\","
                   "\"Belastbarkeit\"],\"erfolge\":[\"Senkung der Leerfahrten um 18 %\"]},"
                   "\"ergebnis\":{\"text\":\"");
  for (guint i = 0; i < 9; i++)
    g_string_append (s, "Frau Mustermann erledigte ihre Aufgaben stets zu unserer vollsten "
                     "Zufriedenheit und überzeugte durch Umsicht, Tatkraft und Verlässlichkeit. ");
  g_string_append (s, "\"}}");
}

static double
seconds_since (gint64 t0)
{
  return (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
}

static int
cmp_gint64 (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("zeugnis-bench-sync-XXXXXX", &error);
  g_autofree char *data = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *base = NULL;
  g_autofree char *token = NULL;
  g_autofree char *line = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(ZgTestClient) client = NULL;
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  guint n = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 10000;
  const char *init[] = { "--data-dir", NULL, "init", NULL };
  const char *add[] = { "--data-dir", NULL, "user", "add", "--email", "chefin@example.com",
                        "--first-name", "Clara", "--last-name", "Chefin", "--role",
                        "Administrator", "--password-stdin", NULL };
  const char *prefix = "Zeugnis server listening on https://127.0.0.1:";
  gint64 t0, bytes = 0;
  guint pulled = 0;
  double t_load, t_pull;
  GPid pid;

  server_binary = argc > 1 ? argv[1] : g_getenv ("ZG_SERVER_BINARY");
  if (server_binary == NULL || tmp == NULL || n == 0)
    {
      g_printerr ("usage: bench-sync PATH-TO-zeugnis-server [N]\n");
      return 2;
    }
  zg_server_set_tls_policy ();
  data = g_build_filename (tmp, "daten", NULL);
  init[1] = data;
  add[1] = data;
  run_cli (init, "");
  run_cli (add, ADMIN_PW "\n");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  proc = g_subprocess_launcher_spawn (launcher, &error, server_binary, "--data-dir", data, "serve",
                                      "--listen", "127.0.0.1:0", NULL);
  if (proc == NULL)
    g_error ("%s", error->message);
  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (proc), NULL, 10);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, prefix))
    g_error ("server did not start");
  cert_path = g_build_filename (data, "tls", "server.crt", NULL);
  cert = g_tls_certificate_new_from_file (cert_path, &error);
  base = g_strdup_printf ("https://127.0.0.1:%s", line + strlen (prefix));
  client = zg_test_client_new (base, cert);
  {
    g_autoptr(JsonObject) login = call (client, "POST", "/api/v1/auth/login", NULL,
                                        "{\"email\":\"chefin@example.com\",\"password\":\""
                                        ADMIN_PW "\"}", 200);

    token = g_strdup (json_object_get_string_member (login, "token"));
  }
  json_object_unref (call (client, "PUT", "/api/v1/users/1/access-criteria", token,
                           "{\"administrator\":true}", 200));
  json_object_unref (call (client, "POST", "/api/v1/employees", token,
                           "{\"id\":\"" EMPLOYEE "\",\"first_name\":\"Erika\","
                           "\"last_name\":\"Mustermann\"}", 201));

  g_print ("server RSS at start: %" G_GINT64_FORMAT " MiB\n", vm_kib (pid, "VmRSS:") / 1024);
  for (guint i = 0; i < n; i++)
    {
      GString *s = g_string_new (NULL);

      append_certificate (s, i);
      bytes += (gint64) s->len;
      g_ptr_array_add (bodies, g_string_free (s, FALSE));
    }
  g_print ("certificates: %u, average JSON %" G_GINT64_FORMAT " bytes\n", n, bytes / n);

  /* Load through the push (creates, 200 per batch, ~1 MB: the default push limit is 16 MiB). */
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i += 200)
    {
      g_autoptr(GString) body = g_string_new ("{\"client_id\":\"bench-loader\",\"mutations\":[");
      g_autoptr(JsonObject) answer = NULL;

      for (guint k = i; k < MIN (n, i + 200); k++)
        {
          const char *b = bodies->pdata[k];
          const char *daten = strstr (b, "\"daten\":");

          g_string_append_printf (body, "%s{\"mutation_id\":%u,\"op\":\"create\","
                                  "\"entity\":\"certificate\",\"id\":\"%08x-0000-4000-8000-"
                                  "000000000001\",\"fields\":{%.*s}}", k > i ? "," : "", k + 1,
                                  k + 1, (int) (strlen (daten) - 1), daten);
        }
      g_string_append (body, "]}");
      answer = call (client, "POST", "/api/v1/sync/push", token, body->str, 200);
      if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (
                       json_object_get_array_member (answer, "results"), 0), "status"),
                     "applied") != 0)
        g_error ("load push not applied");
    }
  t_load = seconds_since (t0);
  g_print ("load by push (200 creates per push, synchronous=FULL): %.2f s\n", t_load);

  g_print ("server RSS after loading: %" G_GINT64_FORMAT " MiB (peak %" G_GINT64_FORMAT " MiB)\n",
           vm_kib (pid, "VmRSS:") / 1024, vm_kib (pid, "VmHWM:") / 1024);
  {
    /* Reset the peak so that the pull's own peak is measured (Linux clear_refs 5). */
    g_autofree char *path = g_strdup_printf ("/proc/%d/clear_refs", (int) pid);

    FILE *fp = fopen (path, "w");

    if (fp == NULL || fputs ("5", fp) < 0 || fclose (fp) != 0)
      g_print ("(cannot reset the peak RSS)\n");
  }

  /* The initial pull by one client. */
  t0 = g_get_monotonic_time ();
  for (gboolean more = TRUE; more;)
    {
      g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, TRUE) : NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/sync/pull?limit=2000%s%s",
                                               cursor ? "&cursor=" : "", cursor ? escaped : "");
      g_autoptr(JsonObject) page = call (client, "GET", path, token, NULL, 200);

      pulled += json_array_get_length (json_object_get_array_member (page, "changes"));
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (page, "cursor"));
      more = json_object_get_boolean_member (page, "has_more");
    }
  t_pull = seconds_since (t0);
  g_print ("initial pull of %u records (pages of 2000, TLS, JSON parsed): %.2f s; "
           "server peak RSS %" G_GINT64_FORMAT " MiB (%" G_GINT64_FORMAT " MiB after it)\n", pulled,
           t_pull, vm_kib (pid, "VmHWM:") / 1024, vm_kib (pid, "VmRSS:") / 1024);

  /* The limit: the same bodies straight into SQLCipher in one transaction. */
  {
    g_autofree char *path = g_build_filename (tmp, "raw.db", NULL);
    g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, tmp, -1);
    g_autofree char *pragma = g_strdup_printf ("PRAGMA key = \"x'%s'\";", hex);
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    double t_raw;

    /* Raw 256-bit key as the server's storage.c sets it. */
    t0 = g_get_monotonic_time ();
    if (sqlite3_open (path, &db) != SQLITE_OK ||
        sqlite3_exec (db, pragma, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                      " CREATE TABLE r (id TEXT PRIMARY KEY, body TEXT NOT NULL); BEGIN;",
                      NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2 (db, "INSERT INTO r (id, body) VALUES (?, ?);", -1, &stmt, NULL) !=
        SQLITE_OK)
      g_error ("raw sqlcipher: %s", sqlite3_errmsg (db));
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *id = g_strdup_printf ("%08x-0000-4000-8000-000000000001", i + 1);

        sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text (stmt, 2, bodies->pdata[i], -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) != SQLITE_DONE)
          g_error ("raw insert: %s", sqlite3_errmsg (db));
        sqlite3_reset (stmt);
      }
    sqlite3_finalize (stmt);
    if (sqlite3_exec (db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
      g_error ("raw commit: %s", sqlite3_errmsg (db));
    t_raw = seconds_since (t0);
    sqlite3_close (db);
    g_print ("raw SQLCipher write of the same %u bodies, one transaction: %.2f s "
             "(pull / raw = %.1fx)\n", n, t_raw, t_pull / t_raw);
  }

  /* 1,000 mutations in one push with history on. */
  json_object_unref (call (client, "PATCH", "/api/v1/settings", token,
                           "{\"history_enabled\":true}", 200));
  {
    /* The loader's client: its own earlier creates are no conflicts (base_rev 0). */
    g_autoptr(GString) body = g_string_new ("{\"client_id\":\"bench-loader\",\"mutations\":[");
    g_autoptr(JsonObject) answer = NULL;
    double t_push;

    for (guint k = 0; k < 1000; k++)
      g_string_append_printf (body, "%s{\"mutation_id\":%u,\"entity\":\"certificate\","
                              "\"id\":\"%08x-0000-4000-8000-000000000001\",\"base_rev\":0,"
                              "\"fields\":{\"daten.zeugnisdaten.position\":\"Leiterin %u\"}}",
                              k ? "," : "", n + k + 1, (k % n) + 1, k);
    g_string_append (body, "]}");
    t0 = g_get_monotonic_time ();
    answer = call (client, "POST", "/api/v1/sync/push", token, body->str, 200);
    t_push = seconds_since (t0);
    g_print ("push of 1000 mutations in one batch, history on: %.3f s (%s)\n", t_push,
             json_object_get_string_member (json_array_get_object_element (
               json_object_get_array_member (answer, "results"), 999), "status"));
  }

  /* Empty incremental pulls. */
  {
    g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_autofree char *escaped = NULL;
    g_autofree char *path = NULL;

    {
      /* Catch up past the push first. */
      g_autofree char *e = g_uri_escape_string (cursor, NULL, TRUE);
      g_autofree char *p = g_strdup_printf ("/api/v1/sync/pull?limit=2000&cursor=%s", e);
      g_autoptr(JsonObject) page = call (client, "GET", p, token, NULL, 200);

      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (page, "cursor"));
    }
    escaped = g_uri_escape_string (cursor, NULL, TRUE);
    path = g_strdup_printf ("/api/v1/sync/pull?cursor=%s", escaped);
    for (guint i = 0; i < 50; i++)
      {
        gint64 t = g_get_monotonic_time ();
        g_autoptr(JsonObject) page = call (client, "GET", path, token, NULL, 200);
        gint64 d = g_get_monotonic_time () - t;

        if (json_array_get_length (json_object_get_array_member (page, "changes")) != 0)
          g_error ("pull not empty");
        g_array_append_val (times, d);
      }
    g_array_sort (times, cmp_gint64);
    g_print ("empty incremental pull, round trip (TLS keep-alive, session check): median %.2f ms, "
             "best %.2f ms\n", g_array_index (times, gint64, 25) / 1000.0,
             g_array_index (times, gint64, 0) / 1000.0);
  }

  g_subprocess_send_signal (proc, SIGTERM);
  (void) g_subprocess_wait (proc, NULL, NULL);
  {
    g_autofree char *cmd_dir = g_strdup (tmp);
    const char *rm[] = { "rm", "-rf", cmd_dir, NULL };

    (void) g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                         NULL, NULL);
  }
  return 0;
}
