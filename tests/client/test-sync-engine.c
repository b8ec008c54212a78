/* test-sync-engine.c — the client's sync engine against the real zeugnis-server binary
 *
 * The server runs as its own process (ZG_SERVER_BINARY) on a fixed loopback port, so it can
 * be killed and restarted under the engine; its self-signed certificate is confirmed through
 * the pin file, as a user would. The cache is a real SQLCipher file; what the tests check
 * about purges they check after closing and reopening that file with its key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "server-test-utils.h"
#include "test-session-utils.h"
#include "zg-certificate-pins.h"
#include "zg-outbox.h"
#include "zg-session.h"
#include "zg-sync-engine.h"

#define PW        "Verwaltung-Zeugnis-7"
#define ADMIN     "chefin@example.com"
#define HR        "personal@example.com"

#define COMPANY_A "0a000000-0000-4000-8000-00000000000a"
#define COMPANY_B "0b000000-0000-4000-8000-00000000000b"
#define EMP_A     "1a000000-0000-4000-8000-00000000000a"
#define EMP_A2    "1a000000-0000-4000-8000-0000000000a2"
#define EMP_B     "1b000000-0000-4000-8000-00000000000b"
#define CERT_A    "2a000000-0000-4000-8000-00000000000a"
#define CERT_A2   "2a000000-0000-4000-8000-0000000000a2"
#define CERT_A3   "2a000000-0000-4000-8000-0000000000a3"
#define CERT_B    "2b000000-0000-4000-8000-00000000000b"
#define QUAL_NEW  "3c000000-0000-4000-8000-00000000003c"

#define POSITION  "daten.zeugnisdaten.position"
#define ALL_DIMS  "{\"companies\":\"all\",\"locations\":\"all\",\"departments\":\"all\"," \
                  "\"org_units\":\"all\",\"employee_types\":\"all\"}"
#define ONLY_A    "{\"companies\":[\"" COMPANY_A "\"],\"locations\":\"all\"," \
                  "\"departments\":\"all\",\"org_units\":\"all\",\"employee_types\":\"all\"}"

typedef struct
{
  char            *tmp;
  char            *data;
  char            *pins_path;
  GSubprocess     *proc;
  guint16          port;
  GTlsCertificate *cert;
  ZgTestClient    *client;
  char            *admin;
  gint64           admin_id;
  gint64           hr_id;
} Fixture;

typedef struct
{
  ZgSession    *session;
  ZgCacheKey   *key;
  char         *path;
  ZgCache      *cache;
  ZgSyncEngine *engine;
  GPtrArray    *changed;   /* entities of "records-changed" */
  guint         problem_signals;
} Client;

/* ---- the server process ---- */

static char *
run_cli (Fixture            *f,
         const char * const *args,
         const char         *stdin_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  char *out = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("ZG_SERVER_BINARY"));
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, f->data);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, stdin_text != NULL ? stdin_text : "",
                                                NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  return out;
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
server_start (Fixture *f)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", f->port);
  g_autofree char *base_url = NULL;
  const char *prefix = "Zeugnis server listening on https://127.0.0.1:";

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  f->proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("ZG_SERVER_BINARY"),
                                         "--data-dir", f->data, "serve", "--listen", listen,
                                         NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  /* The first start picks a free port; restarts keep it, as a real server's address. */
  f->port = (guint16) g_ascii_strtoull (line + strlen (prefix), NULL, 10);
  g_assert_cmpuint (f->port, >, 0);
  if (f->cert == NULL)
    {
      g_autofree char *path = g_build_filename (f->data, "tls", "server.crt", NULL);

      f->cert = g_tls_certificate_new_from_file (path, &error);
      g_assert_no_error (error);
    }
  g_clear_pointer (&f->client, zg_test_client_free);
  base_url = g_strdup_printf ("https://127.0.0.1:%u", f->port);
  f->client = zg_test_client_new (base_url, f->cert);
}

static void
server_kill (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (f->proc, SIGKILL);
  g_assert_true (g_subprocess_wait (f->proc, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->proc);
  g_clear_pointer (&f->client, zg_test_client_free);
}

static ZgTestResponse *
req (Fixture    *f,
     const char *method,
     const char *path,
     const char *body)
{
  return zg_test_client_request (f->client, method, path, f->admin, "application/json", body,
                                 body != NULL ? strlen (body) : 0);
}

static void
expect (Fixture    *f,
        const char *method,
        const char *path,
        const char *body,
        guint       status)
{
  g_autoptr(ZgTestResponse) r = req (f, method, path, body);

  if (r->status != status)
    g_test_message ("%s %s -> %u: %s", method, path, r->status, r->text);
  g_assert_cmpuint (r->status, ==, status);
}

static gint64
user_id_from (const char *cli_out)
{
  const char *p = strstr (cli_out, "(id ");

  g_assert_nonnull (p);
  return (gint64) g_ascii_strtoll (p + 4, NULL, 10);
}

static void
set_criteria (Fixture    *f,
              gint64      user_id,
              const char *criteria)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/access-criteria",
                                           user_id);

  expect (f, "PUT", path, criteria, 200);
}

static char *
cert_json (const char *id,
           const char *employee,
           const char *position)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"daten\":{\"persoenliche_daten\":"
                          "{\"employee_id\":\"%s\",\"salutation\":\"frau\",\"first_name\":"
                          "\"Jürgen\",\"last_name\":\"Weiß\"},\"zeugnisdaten\":{\"kind\":"
                          "\"endzeugnis\",\"language\":\"de\",\"position\":\"%s\"}}}",
                          id, employee, position);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autoptr(ZgTestResponse) login = NULL;
  const char *init[] = { "init", NULL };
  const char *add_admin[] = { "user", "add", "--email", ADMIN, "--first-name", "Clara",
                              "--last-name", "Chefin", "--role", "Administrator",
                              "--password-stdin", NULL };
  const char *add_hr[] = { "user", "add", "--email", HR, "--first-name", "Petra",
                           "--last-name", "Personal", "--role", "Administrator",
                           "--password-stdin", NULL };
  struct { const char *id, *employee, *position; } certs[] = {
    { CERT_A, EMP_A, "Buchhalterin" }, { CERT_A2, EMP_A2, "Lageristin" },
    { CERT_A3, EMP_A, "Praktikantin" }, { CERT_B, EMP_B, "Einkäuferin" },
  };

  f->tmp = g_dir_make_tmp ("zeugnis-sync-engine-XXXXXX", &error);
  g_assert_no_error (error);
  f->data = g_build_filename (f->tmp, "server", NULL);
  f->pins_path = g_build_filename (f->tmp, "config", "pinned-certificates", NULL);
  g_free (run_cli (f, init, NULL));
  out = run_cli (f, add_admin, PW "\n");
  f->admin_id = user_id_from (out);
  g_free (out);
  out = run_cli (f, add_hr, PW "\n");
  f->hr_id = user_id_from (out);
  server_start (f);

  login = zg_test_client_request (f->client, "POST", "/api/v1/auth/login", NULL,
                                  "application/json",
                                  "{\"email\":\"" ADMIN "\",\"password\":\"" PW "\"}",
                                  strlen ("{\"email\":\"" ADMIN "\",\"password\":\"" PW "\"}"));
  g_assert_cmpuint (login->status, ==, 200);
  f->admin = g_strdup (json_object_get_string_member (zg_test_response_object (login), "token"));

  set_criteria (f, f->admin_id, "{\"administrator\":true}");
  set_criteria (f, f->hr_id, ALL_DIMS);
  expect (f, "POST", "/api/v1/companies",
          "{\"id\":\"" COMPANY_A "\",\"name\":\"Müller & Söhne GmbH\"}", 201);
  expect (f, "POST", "/api/v1/companies", "{\"id\":\"" COMPANY_B "\",\"name\":\"Beta AG\"}",
          201);
  expect (f, "POST", "/api/v1/employees", "{\"id\":\"" EMP_A "\",\"first_name\":\"Jürgen\","
          "\"last_name\":\"Weiß\",\"company_id\":\"" COMPANY_A "\"}", 201);
  expect (f, "POST", "/api/v1/employees", "{\"id\":\"" EMP_A2 "\",\"first_name\":\"Anna\","
          "\"last_name\":\"Zwei\",\"company_id\":\"" COMPANY_A "\"}", 201);
  expect (f, "POST", "/api/v1/employees", "{\"id\":\"" EMP_B "\",\"first_name\":\"Bernd\","
          "\"last_name\":\"Beta\",\"company_id\":\"" COMPANY_B "\"}", 201);
  for (guint i = 0; i < G_N_ELEMENTS (certs); i++)
    {
      g_autofree char *body = cert_json (certs[i].id, certs[i].employee, certs[i].position);

      expect (f, "POST", "/api/v1/certificates", body, 201);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->proc != NULL)
    server_kill (f);
  g_clear_pointer (&f->client, zg_test_client_free);
  g_clear_object (&f->cert);
  zg_session_test_remove_tree (f->tmp);
  g_free (f->tmp);
  g_free (f->data);
  g_free (f->pins_path);
  g_free (f->admin);
}

/* The record as the server has it now (admin view), or NULL for 404. */
static JsonObject *
server_record (Fixture    *f,
               const char *plural,
               const char *id,
               gint64     *rev)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/%s/%s", plural, id);
  g_autoptr(ZgTestResponse) r = req (f, "GET", path, NULL);
  JsonObject *o;

  if (r->status == 404)
    return NULL;
  g_assert_cmpuint (r->status, ==, 200);
  o = zg_test_response_object (r);
  if (rev != NULL)
    *rev = json_object_get_int_member (o, "rev");
  return json_object_ref (json_object_get_object_member (o, "record"));
}

static char *
position_of (JsonObject *record)
{
  JsonObject *daten = json_object_get_object_member (record, "daten");
  JsonObject *zd = json_object_get_object_member (daten, "zeugnisdaten");

  return g_strdup (json_object_get_string_member_with_default (zd, "position", NULL));
}

static char *
server_position (Fixture    *f,
                 const char *id,
                 gint64     *rev)
{
  g_autoptr(JsonObject) record = server_record (f, "certificates", id, rev);

  g_assert_nonnull (record);
  return position_of (record);
}

/* ---- clients ---- */

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (zg_session_login_finish (ZG_SESSION (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
records_changed_cb (ZgSyncEngine *engine,
                    const char   *entity,
                    gpointer      user_data)
{
  Client *c = user_data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  g_ptr_array_add (c->changed, g_strdup (entity));
}

static void
problems_changed_cb (ZgSyncEngine *engine,
                     gpointer      user_data)
{
  Client *c = user_data;

  c->problem_signals++;
}

static void
client_attach_engine (Client *c)
{
  c->engine = zg_sync_engine_new (c->cache, c->session);
  g_signal_connect (c->engine, "records-changed", G_CALLBACK (records_changed_cb), c);
  g_signal_connect (c->engine, "problems-changed", G_CALLBACK (problems_changed_cb), c);
}

/* Signs in as HR (a session of its own) with its own cache file. The server must be up. */
static Client *
client_new (Fixture    *f,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", f->port);
  g_autofree char *fingerprint = zg_certificate_fingerprint (f->cert);
  Client *c = g_new0 (Client, 1);
  gboolean done = FALSE;

  c->changed = g_ptr_array_new_with_free_func (g_free);
  c->session = zg_session_new (address, f->pins_path, &error);
  g_assert_no_error (error);
  /* What the login dialog does after the user compared the fingerprint. */
  g_assert_true (zg_session_trust_certificate (c->session, fingerprint, &error));
  g_assert_no_error (error);
  zg_session_login_async (c->session, HR, PW, NULL, login_cb, &done);
  zg_session_test_wait (&done);

  c->key = zg_cache_key_new_random ();
  c->path = g_strdup_printf ("%s/%s.db", f->tmp, name);
  c->cache = zg_cache_create (c->path, NULL, c->key, &error);
  g_assert_no_error (error);
  client_attach_engine (c);
  return c;
}

static void
client_free (Client *c)
{
  if (c->engine != NULL)
    zg_sync_engine_stop (c->engine);
  g_clear_object (&c->engine);
  if (c->cache != NULL)
    zg_cache_close (c->cache);
  g_clear_object (&c->cache);
  g_clear_object (&c->session);
  zg_cache_key_free (c->key);
  g_free (c->path);
  g_ptr_array_unref (c->changed);
  g_free (c);
}

/* Asks for a sync and waits until a run that began after the request has finished. */
static void
sync_wait (Client *c)
{
  guint ticket = zg_sync_engine_request_sync (c->engine);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  g_assert_cmpuint (ticket, >, 0);
  /* A run that was queued behind may already have begun: wait for it as well. */
  while (zg_sync_engine_get_completed_ticket (c->engine) < ticket
         || zg_sync_engine_get_state (c->engine) == ZG_SYNC_STATE_SYNCING)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
start_and_sync (Client *c)
{
  zg_sync_engine_start (c->engine);
  sync_wait (c);
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_IDLE);
}

static void
edit (Client     *c,
      const char *entity,
      const char *id,
      const char *field,
      const char *json_value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();

  json_object_set_member (changes, field, json_from_string (json_value, &error));
  g_assert_no_error (error);
  g_assert_cmpint (zg_cache_local_edit (c->cache, entity, id, changes, &error), >, 0);
  g_assert_no_error (error);
  if (c->engine != NULL)
    zg_sync_engine_local_change (c->engine);
}

static char *
cached_position (ZgCache    *cache,
                 const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCacheRecord) record = zg_cache_get_record (cache, "certificate", id, &error);
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  node = json_from_string (record->json, &error);
  g_assert_no_error (error);
  return position_of (json_node_get_object (node));
}

static gboolean
cached (ZgCache    *cache,
        const char *entity,
        const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCacheRecord) record = zg_cache_get_record (cache, entity, id, &error);

  if (record == NULL)
    g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND);
  return record != NULL;
}

static gboolean
saw_change (Client     *c,
            const char *entity)
{
  for (guint i = 0; i < c->changed->len; i++)
    if (g_strcmp0 (c->changed->pdata[i], entity) == 0)
      return TRUE;
  return FALSE;
}

/* ---- tests ---- */

/* The first sync is a snapshot of what HR may see, with the server's process data
 * (R-DATA-4); signals arrive on the creating thread. */
static void
test_first_sync (Fixture       *f,
                 gconstpointer  data)
{
  Client *c = client_new (f, "first");
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  gint64 server_rev = 0;
  g_autofree char *position = server_position (f, CERT_A, &server_rev);

  g_assert_cmpint (zg_sync_engine_get_last_sync (c->engine), ==, 0);
  start_and_sync (c);
  g_assert_cmpint (zg_cache_count_records (c->cache, "certificate", NULL), ==, 4);
  g_assert_cmpint (zg_cache_count_records (c->cache, "employee", NULL), ==, 3);
  g_assert_cmpint (zg_cache_count_records (c->cache, "company", NULL), ==, 2);
  record = zg_cache_get_record (c->cache, "certificate", CERT_A, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->rev, ==, server_rev);
  g_assert_cmpint (record->created_by, ==, f->admin_id);
  g_assert_cmpint (record->created_at, >, 0);
  g_assert_true (saw_change (c, "certificate"));
  g_assert_true (saw_change (c, "employee"));
  g_assert_cmpint (zg_sync_engine_get_last_sync (c->engine), >, 0);
  g_assert_null (zg_sync_engine_get_error_message (c->engine));
  cursor = zg_cache_get_cursor (c->cache, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cursor);
  client_free (c);
}

/* Edits made while the server is down wait in the outbox (state OFFLINE, pending counted)
 * and are delivered once it runs again; a record created offline arrives as a create. */
static void
test_offline_edits_after_restart (Fixture       *f,
                                  gconstpointer  data)
{
  Client *c = client_new (f, "offline");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) qual = NULL;
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autofree char *position = NULL;
  g_autofree char *local = NULL;
  gint64 rev = 0;

  start_and_sync (c);
  server_kill (f);

  edit (c, "certificate", CERT_A, POSITION, "\"Leiterin Buchhaltung\"");
  edit (c, "qualification", QUAL_NEW, "name", "\"Gabelstaplerschein\"");
  edit (c, "qualification", QUAL_NEW, "kind", "\"personal\"");
  sync_wait (c);
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_OFFLINE);
  g_assert_nonnull (zg_sync_engine_get_error_message (c->engine));
  g_assert_cmpint (zg_sync_engine_get_pending (c->engine), ==, 2);
  /* The cache shows the edit at its field path, not as a member named after the path. */
  local = cached_position (c->cache, CERT_A);
  g_assert_cmpstr (local, ==, "Leiterin Buchhaltung");

  server_start (f);
  sync_wait (c);
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_IDLE);
  g_assert_null (zg_sync_engine_get_error_message (c->engine));
  g_assert_cmpint (zg_sync_engine_get_pending (c->engine), ==, 0);
  g_assert_cmpint (zg_sync_engine_get_problems (c->engine), ==, 0);
  position = server_position (f, CERT_A, &rev);
  g_assert_cmpstr (position, ==, "Leiterin Buchhaltung");
  record = zg_cache_get_record (c->cache, "certificate", CERT_A, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->rev, ==, rev);
  qual = server_record (f, "qualifications", QUAL_NEW, NULL);
  g_assert_nonnull (qual);
  g_assert_cmpstr (json_object_get_string_member (qual, "name"), ==, "Gabelstaplerschein");
  g_assert_cmpint (zg_cache_outbox_count (c->cache, ZG_OUTBOX_STATE_REJECTED, NULL), ==, 0);
  client_free (c);
}

/* kill -9 of the client process right after an edit: a new engine on the same file
 * delivers it, once. */
static void
test_client_killed_after_edit (Fixture       *f,
                               gconstpointer  data)
{
  Client *c = client_new (f, "crash");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) helper = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *key_hex = NULL;
  g_autofree char *position = NULL;
  const guint8 *key = zg_cache_key_get_bytes (c->key);
  GString *hex = g_string_new (NULL);
  gint64 rev_after = 0;
  gint64 rev_again = 0;

  start_and_sync (c);
  zg_sync_engine_stop (c->engine);
  g_clear_object (&c->engine);
  zg_cache_close (c->cache);
  g_clear_object (&c->cache);

  for (guint i = 0; i < ZG_CACHE_KEY_BYTES; i++)
    g_string_append_printf (hex, "%02x", key[i]);
  key_hex = g_string_free (hex, FALSE);
  helper = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             g_getenv ("ZG_SYNC_EDIT_HELPER"), c->path, key_hex, "certificate",
                             CERT_A2, POSITION, "\"Lagerleiterin (nach Absturz)\"", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (helper));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "edited");
  g_subprocess_send_signal (helper, SIGKILL);
  g_assert_true (g_subprocess_wait (helper, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (helper));
  g_assert_cmpint (g_subprocess_get_term_sig (helper), ==, SIGKILL);

  c->cache = zg_cache_open (c->path, c->key, &error);
  g_assert_no_error (error);
  g_assert_cmpint (zg_cache_outbox_count (c->cache, ZG_OUTBOX_STATE_PENDING, NULL), ==, 1);
  client_attach_engine (c);
  start_and_sync (c);
  position = server_position (f, CERT_A2, &rev_after);
  g_assert_cmpstr (position, ==, "Lagerleiterin (nach Absturz)");
  g_assert_cmpint (zg_sync_engine_get_pending (c->engine), ==, 0);

  /* Once: further syncs send nothing and the server's revision stays. */
  sync_wait (c);
  sync_wait (c);
  g_free (server_position (f, CERT_A2, &rev_again));
  g_assert_cmpint (rev_again, ==, rev_after);
  client_free (c);
}

/* Two clients edit the same field offline: the first wins, the second gets a conflict with
 * both values; keeping the local value puts it on the server with the next sync. */
static void
test_conflict_keep_local (Fixture       *f,
                          gconstpointer  data)
{
  Client *a = client_new (f, "client-a");
  Client *b = client_new (f, "client-b");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *position = NULL;
  ZgCacheConflict *conflict;

  g_assert_cmpstr (zg_cache_get_client_id (a->cache), !=, zg_cache_get_client_id (b->cache));
  start_and_sync (a);
  start_and_sync (b);
  server_kill (f);
  edit (a, "certificate", CERT_A, POSITION, "\"Teamleiterin\"");
  edit (b, "certificate", CERT_A, POSITION, "\"Abteilungsleiterin\"");
  sync_wait (a);
  sync_wait (b);
  g_assert_cmpint (zg_sync_engine_get_state (a->engine), ==, ZG_SYNC_STATE_OFFLINE);

  server_start (f);
  sync_wait (a);
  g_assert_cmpint (zg_sync_engine_get_state (a->engine), ==, ZG_SYNC_STATE_IDLE);
  sync_wait (b);
  g_assert_cmpint (zg_sync_engine_get_state (b->engine), ==, ZG_SYNC_STATE_IDLE);
  g_assert_cmpint (zg_sync_engine_get_problems (b->engine), ==, 1);
  g_assert_cmpuint (b->problem_signals, >, 0);

  conflicts = zg_cache_list_conflicts (b->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->id, ==, CERT_A);
  g_assert_cmpstr (conflict->field, ==, POSITION);
  g_assert_cmpstr (conflict->local_value, ==, "\"Abteilungsleiterin\"");
  g_assert_cmpstr (conflict->server_value, ==, "\"Teamleiterin\"");
  /* Server wins meanwhile: the cache shows the server's value. */
  shown = cached_position (b->cache, CERT_A);
  g_assert_cmpstr (shown, ==, "Teamleiterin");

  g_assert_true (zg_cache_resolve_conflict (b->cache, conflict->conflict_id, TRUE, &error));
  g_assert_no_error (error);
  zg_sync_engine_local_change (b->engine);
  sync_wait (b);
  g_assert_cmpint (zg_sync_engine_get_problems (b->engine), ==, 0);
  g_assert_cmpint (zg_sync_engine_get_pending (b->engine), ==, 0);
  position = server_position (f, CERT_A, NULL);
  g_assert_cmpstr (position, ==, "Abteilungsleiterin");

  /* And client A learns it with its next pull. */
  sync_wait (a);
  g_free (shown);
  shown = cached_position (a->cache, CERT_A);
  g_assert_cmpstr (shown, ==, "Abteilungsleiterin");
  client_free (a);
  client_free (b);
}

/* A mutation the server refuses is shown as a problem with its reason, the record shows the
 * server's data again, and it is never sent again. */
static void
test_rejected_not_retried (Fixture       *f,
                           gconstpointer  data)
{
  Client *c = client_new (f, "reject");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(ZgCacheRecord) record = NULL;
  ZgOutboxEntry *entry;

  start_and_sync (c);
  edit (c, "certificate", CERT_A, "daten.zeugnisdaten.gibt_es_nicht", "\"x\"");
  record = zg_cache_get_record (c->cache, "certificate", CERT_A, &error);
  g_assert_nonnull (strstr (record->json, "gibt_es_nicht"));
  g_clear_pointer (&record, zg_cache_record_free);

  sync_wait (c);
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_IDLE);
  g_assert_cmpint (zg_sync_engine_get_problems (c->engine), ==, 1);
  g_assert_cmpint (zg_sync_engine_get_pending (c->engine), ==, 0);
  g_assert_cmpuint (c->problem_signals, >, 0);
  record = zg_cache_get_record (c->cache, "certificate", CERT_A, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (record->json, "gibt_es_nicht"));

  sync_wait (c);
  sync_wait (c);
  outbox = zg_cache_outbox_list (c->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = g_ptr_array_index (outbox, 0);
  g_assert_cmpint (entry->state, ==, ZG_OUTBOX_STATE_REJECTED);
  g_assert_cmpstr (entry->reason, ==, "unknown_field");
  g_assert_cmpint (entry->attempts, ==, 1);

  /* Dismissed by the user: the problem count follows after the next local change. */
  g_assert_true (zg_cache_outbox_dismiss (c->cache, entry->mutation_id, &error));
  zg_sync_engine_local_change (c->engine);
  sync_wait (c);
  g_assert_cmpint (zg_sync_engine_get_problems (c->engine), ==, 0);
  client_free (c);
}

static void
reopen (Client *c)
{
  g_autoptr(GError) error = NULL;

  zg_sync_engine_stop (c->engine);
  g_clear_object (&c->engine);
  zg_cache_close (c->cache);
  g_clear_object (&c->cache);
  c->cache = zg_cache_open (c->path, c->key, &error);
  g_assert_no_error (error);
}

/* R-ACL-4: what the user may no longer see leaves the cache file — a certificate deleted on
 * the server, one whose employee moved out of the user's scope (removals of an incremental
 * pull), and after the user's criteria changed (409 resync_required → snapshot → purge),
 * including the content of an unsent edit of a purged record. */
static void
test_purge_removes_from_file (Fixture       *f,
                              gconstpointer  data)
{
  Client *c = client_new (f, "purge");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autofree char *cursor_before = NULL;
  g_autofree char *cursor_after = NULL;
  g_autofree char *path = NULL;
  ZgOutboxEntry *entry;

  start_and_sync (c);
  g_assert_true (cached (c->cache, "certificate", CERT_A3));
  g_assert_true (cached (c->cache, "certificate", CERT_A2));
  g_assert_true (cached (c->cache, "certificate", CERT_B));

  /* Deleted on the server, and moved out of scope (criteria: company A only, then the
   * employee of CERT_A2 moves to company B). */
  set_criteria (f, f->hr_id, ONLY_A);
  sync_wait (c);   /* resync: CERT_B, EMP_B go */
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_IDLE);
  g_assert_false (cached (c->cache, "certificate", CERT_B));
  g_assert_false (cached (c->cache, "employee", EMP_B));
  g_assert_true (cached (c->cache, "certificate", CERT_A));

  cursor_before = zg_cache_get_cursor (c->cache, NULL, &error);
  path = g_strdup_printf ("/api/v1/certificates/%s", CERT_A3);
  expect (f, "DELETE", path, NULL, 204);
  g_free (path);
  path = g_strdup_printf ("/api/v1/employees/%s", EMP_A2);
  expect (f, "PATCH", path, "{\"fields\":{\"company_id\":\"" COMPANY_B "\"}}", 200);
  /* An edit of the moved certificate typed before the pull learns the news: it cannot land. */
  zg_sync_engine_stop (c->engine);
  edit (c, "certificate", CERT_A2, POSITION, "\"Geheimer Entwurf\"");
  zg_sync_engine_start (c->engine);
  sync_wait (c);
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_IDLE);
  cursor_after = zg_cache_get_cursor (c->cache, NULL, &error);
  g_assert_cmpstr (cursor_after, !=, cursor_before);

  reopen (c);
  g_assert_false (cached (c->cache, "certificate", CERT_A3));
  g_assert_false (cached (c->cache, "certificate", CERT_A2));
  g_assert_false (cached (c->cache, "employee", EMP_A2));
  g_assert_false (cached (c->cache, "certificate", CERT_B));
  g_assert_false (cached (c->cache, "employee", EMP_B));
  g_assert_true (cached (c->cache, "certificate", CERT_A));
  g_assert_true (cached (c->cache, "employee", EMP_A));
  /* The unsent edit is listed as not delivered, without its content. */
  outbox = zg_cache_outbox_list (c->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = g_ptr_array_index (outbox, 0);
  g_assert_cmpint (entry->state, ==, ZG_OUTBOX_STATE_REJECTED);
  g_assert_cmpstr (entry->changes, ==, "{}");
  g_assert_null (strstr (entry->changes, "Geheimer"));
  client_free (c);
}

/* resync_required (the criteria changed, here without changing what is visible): a full
 * snapshot is pulled and nothing visible is lost; a record created here and not yet
 * acknowledged (rev 0) survives a snapshot purge and is delivered afterwards. */
static void
test_resync_required_keeps_local_creations (Fixture       *f,
                                            gconstpointer  data)
{
  Client *c = client_new (f, "resync");
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(JsonObject) qual = NULL;
  g_autofree char *cursor_before = NULL;
  g_autofree char *cursor_after = NULL;
  const char * const none[] = { NULL };

  start_and_sync (c);
  cursor_before = zg_cache_get_cursor (c->cache, NULL, &error);
  zg_sync_engine_stop (c->engine);
  edit (c, "qualification", QUAL_NEW, "name", "\"Erste Hilfe\"");
  edit (c, "qualification", QUAL_NEW, "kind", "\"personal\"");
  g_assert_true (zg_cache_purge_except (c->cache, "qualification", none, &error));
  g_assert_no_error (error);
  g_assert_true (cached (c->cache, "qualification", QUAL_NEW));

  set_criteria (f, f->hr_id, "{\"companies\":[\"" COMPANY_A "\",\"" COMPANY_B "\"],"
                "\"locations\":\"all\",\"departments\":\"all\",\"org_units\":\"all\","
                "\"employee_types\":\"all\"}");
  g_ptr_array_set_size (c->changed, 0);
  zg_sync_engine_start (c->engine);
  sync_wait (c);
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_IDLE);
  cursor_after = zg_cache_get_cursor (c->cache, NULL, &error);
  g_assert_cmpstr (cursor_after, !=, cursor_before);
  /* The snapshot wrote every certificate again. */
  g_assert_true (saw_change (c, "certificate"));
  g_assert_cmpint (zg_cache_count_records (c->cache, "certificate", NULL), ==, 4);
  g_assert_cmpint (zg_cache_count_records (c->cache, "employee", NULL), ==, 3);
  record = zg_cache_get_record (c->cache, "qualification", QUAL_NEW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->rev, >, 0);
  qual = server_record (f, "qualifications", QUAL_NEW, NULL);
  g_assert_nonnull (qual);
  client_free (c);
}

/* Unreachable server: OFFLINE with a message, retries after 2 s, then 4 s (+ up to 25 %
 * jitter) without being asked; a sync_now after the server is back succeeds. The upper
 * bound allows 2 s for the failed attempt itself (slow sanitizer builds). */
static void
test_backoff_when_unreachable (Fixture       *f,
                               gconstpointer  data)
{
  Client *c = client_new (f, "backoff");
  gint64 first_retry;
  gint64 deadline;
  gint64 delta;

  server_kill (f);
  zg_sync_engine_start (c->engine);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (zg_sync_engine_get_failures (c->engine) < 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_OFFLINE);
  g_assert_nonnull (zg_sync_engine_get_error_message (c->engine));
  /* The first retry is at most 2 s + 25 % after the failure (seen a little later). */
  first_retry = zg_sync_engine_get_next_attempt (c->engine);
  delta = first_retry - g_get_monotonic_time ();
  g_assert_cmpint (delta, >, 0);
  g_assert_cmpint (delta, <=, 2500 * 1000);

  while (zg_sync_engine_get_failures (c->engine) < 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (g_get_monotonic_time (), >=, first_retry);
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_OFFLINE);
  /* The second retry comes 4 s (+ 25 %) after the second attempt, which itself ran when the
   * first retry was due: the gap between the two due times is the doubled delay plus the
   * short failed attempt. */
  delta = zg_sync_engine_get_next_attempt (c->engine) - first_retry;
  g_assert_cmpint (delta, >=, 4000 * 1000);
  g_assert_cmpint (delta, <=, 5000 * 1000 + 2 * G_USEC_PER_SEC);

  server_start (f);
  sync_wait (c);
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_IDLE);
  g_assert_cmpuint (zg_sync_engine_get_failures (c->engine), ==, 0);
  g_assert_null (zg_sync_engine_get_error_message (c->engine));
  client_free (c);
}

/* The network coming back (GNetworkMonitor::network-changed, here emitted on the default
 * monitor as the OS would) runs a sync at once and resets the back-off: with the server
 * still down, the failure count drops from 2 to 1 instead of growing to 3 by the timer. */
static void
test_network_back_runs_now (Fixture       *f,
                            gconstpointer  data)
{
  Client *c = client_new (f, "network");
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  server_kill (f);
  zg_sync_engine_start (c->engine);
  while (zg_sync_engine_get_failures (c->engine) < 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_emit_by_name (monitor, "network-changed", FALSE);
  g_signal_emit_by_name (monitor, "network-changed", TRUE);
  while (zg_sync_engine_get_failures (c->engine) != 1)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_assert_cmpuint (zg_sync_engine_get_failures (c->engine), <, 3);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_OFFLINE);
  client_free (c);
}

/* 401: EXPIRED, no retries until zg_sync_engine_start after a new sign-in. */
static void
test_expired_session (Fixture       *f,
                      gconstpointer  data)
{
  Client *c = client_new (f, "expired");
  g_autofree char *token = g_strdup (zg_session_get_token (c->session));
  g_autoptr(ZgTestResponse) r = NULL;
  gboolean done = FALSE;

  start_and_sync (c);
  r = zg_test_client_request (f->client, "POST", "/api/v1/auth/logout", token, NULL, NULL, 0);
  g_assert_cmpuint (r->status, ==, 204);
  edit (c, "certificate", CERT_A, POSITION, "\"Nach Abmeldung\"");
  sync_wait (c);
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_EXPIRED);
  g_assert_nonnull (zg_sync_engine_get_error_message (c->engine));
  g_assert_cmpint (zg_sync_engine_get_next_attempt (c->engine), ==, 0);
  g_assert_cmpint (zg_sync_engine_get_pending (c->engine), ==, 1);
  sync_wait (c);
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_EXPIRED);

  zg_session_login_async (c->session, HR, PW, NULL, login_cb, &done);
  zg_session_test_wait (&done);
  zg_sync_engine_start (c->engine);
  sync_wait (c);
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_IDLE);
  g_assert_cmpint (zg_sync_engine_get_pending (c->engine), ==, 0);
  g_free (token);
  token = server_position (f, CERT_A, NULL);
  g_assert_cmpstr (token, ==, "Nach Abmeldung");
  client_free (c);
}

/* A certificate deleted here goes to the server as a delete; a pull that meets the record
 * before the delete is acknowledged does not bring it back. */
static void
test_local_delete (Fixture       *f,
                   gconstpointer  data)
{
  Client *c = client_new (f, "delete");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) gone = NULL;
  g_autoptr(JsonObject) kept = NULL;
  gint64 rev = 0;

  start_and_sync (c);
  zg_sync_engine_stop (c->engine);
  g_assert_cmpint (zg_cache_local_delete (c->cache, "certificate", CERT_A3, &error), >, 0);
  g_assert_no_error (error);
  g_assert_false (cached (c->cache, "certificate", CERT_A3));
  kept = server_record (f, "certificates", CERT_A3, &rev);
  g_assert_nonnull (kept);
  /* What a pull of the unchanged server record does meanwhile. */
  g_assert_true (zg_cache_put_record (c->cache, "certificate", CERT_A3, rev, "{\"id\":\""
                                      CERT_A3 "\"}", &error));
  g_assert_no_error (error);
  g_assert_false (cached (c->cache, "certificate", CERT_A3));

  zg_sync_engine_start (c->engine);
  sync_wait (c);
  g_assert_cmpint (zg_sync_engine_get_state (c->engine), ==, ZG_SYNC_STATE_IDLE);
  g_assert_cmpint (zg_sync_engine_get_pending (c->engine), ==, 0);
  g_assert_cmpint (zg_sync_engine_get_problems (c->engine), ==, 0);
  gone = server_record (f, "certificates", CERT_A3, NULL);
  g_assert_null (gone);
  g_assert_false (cached (c->cache, "certificate", CERT_A3));
  g_assert_true (cached (c->cache, "certificate", CERT_A));
  client_free (c);
}

/* The rebase without a server: a pending edit at a nested field path stays on top of a
 * newer server version of the record that changed another field. */
/* The status workflow's reopen (back to draft from approved) travels as its own mutation with
 * the explicit "reopen" member; an edit made after it is not merged into it and reaches the
 * server after it; the server records the step (R-DATA-4). */
static void
test_reopen_reaches_server (Fixture       *f,
                            gconstpointer  data)
{
  Client *c = client_new (f, "reopen");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *position = NULL;
  const char *path = "/api/v1/certificates/" CERT_A;
  JsonArray *events;
  JsonObject *last;

  expect (f, "PATCH", path, "{\"fields\":{\"status\":\"review\"}}", 200);
  expect (f, "PATCH", path, "{\"fields\":{\"status\":\"approved\"}}", 200);
  /* Without the explicit reopen the server refuses the way back. */
  expect (f, "PATCH", path, "{\"fields\":{\"status\":\"draft\"}}", 409);
  start_and_sync (c);

  g_assert_cmpint (zg_cache_local_reopen (c->cache, CERT_A, &error), >, 0);
  g_assert_no_error (error);
  edit (c, "certificate", CERT_A, POSITION, "\"Leiterin Buchhaltung\"");
  outbox = zg_cache_outbox_list (c->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 2);
  g_assert_true (zg_outbox_entry_is_reopen (g_ptr_array_index (outbox, 0)));
  g_assert_false (zg_outbox_entry_is_reopen (g_ptr_array_index (outbox, 1)));
  /* A reopen of a record the server never had is refused locally, nothing queued. */
  g_assert_cmpint (zg_cache_local_reopen (c->cache, "2a000000-0000-4000-8000-0000000000ff",
                                          &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);

  sync_wait (c);
  g_assert_cmpint (zg_sync_engine_get_problems (c->engine), ==, 0);
  g_assert_cmpint (zg_sync_engine_get_pending (c->engine), ==, 0);
  record = server_record (f, "certificates", CERT_A, NULL);
  g_assert_nonnull (record);
  g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "draft");
  position = position_of (record);
  g_assert_cmpstr (position, ==, "Leiterin Buchhaltung");
  events = json_object_get_array_member (json_object_get_object_member (record, "prozess"),
                                         "events");
  last = json_array_get_object_element (events, json_array_get_length (events) - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "from"), ==, "approved");
  g_assert_cmpstr (json_object_get_string_member (last, "to"), ==, "draft");
  client_free (c);
}

static void
test_rebase_nested_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zeugnis-rebase-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "c.db", NULL);
  g_autoptr(ZgCacheKey) key = zg_cache_key_new_random ();
  g_autoptr(ZgCache) cache = zg_cache_create (path, NULL, key, &error);
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *zd;

  g_assert_no_error (error);
  g_assert_true (zg_cache_put_record (cache, "certificate", CERT_A, 5,
                                      "{\"daten\":{\"zeugnisdaten\":{\"position\":\"alt\","
                                      "\"kind\":\"endzeugnis\"}}}", &error));
  json_object_set_string_member (changes, POSITION, "neu (lokal)");
  g_assert_cmpint (zg_cache_local_edit (cache, "certificate", CERT_A, changes, &error), >, 0);
  g_assert_true (zg_cache_put_record (cache, "certificate", CERT_A, 7,
                                      "{\"daten\":{\"zeugnisdaten\":{\"position\":\"alt\","
                                      "\"kind\":\"zwischenzeugnis\"}}}", &error));
  record = zg_cache_get_record (cache, "certificate", CERT_A, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->rev, ==, 7);
  node = json_from_string (record->json, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_has_member (json_node_get_object (node), POSITION));
  zd = json_object_get_object_member (json_object_get_object_member (json_node_get_object (node),
                                                                      "daten"), "zeugnisdaten");
  g_assert_cmpstr (json_object_get_string_member (zd, "position"), ==, "neu (lokal)");
  g_assert_cmpstr (json_object_get_string_member (zd, "kind"), ==, "zwischenzeugnis");
  zg_cache_close (cache);
  zg_session_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  zg_server_set_tls_policy ();

  g_test_add_func ("/Zeugnis/Client/Sync/rebase-nested-path", test_rebase_nested_path);
#define ADD(name, fn) \
  g_test_add ("/Zeugnis/Client/Sync/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("first-sync-snapshot-R-DATA-4", test_first_sync);
  ADD ("offline-edits-delivered-after-restart", test_offline_edits_after_restart);
  ADD ("client-kill-9-after-edit-nothing-lost", test_client_killed_after_edit);
  ADD ("conflict-both-values-keep-local", test_conflict_keep_local);
  ADD ("rejected-shown-not-retried", test_rejected_not_retried);
  ADD ("purge-leaves-cache-file-R-ACL-4", test_purge_removes_from_file);
  ADD ("resync-required-keeps-local-creations", test_resync_required_keeps_local_creations);
  ADD ("backoff-when-unreachable", test_backoff_when_unreachable);
  ADD ("network-back-runs-now", test_network_back_runs_now);
  ADD ("expired-session-stops-retrying", test_expired_session);
  ADD ("local-delete-sent-R-DEL-1", test_local_delete);
  ADD ("reopen-reaches-server-R-DATA-4", test_reopen_reaches_server);
#undef ADD
  return g_test_run ();
}
