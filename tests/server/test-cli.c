/* test-cli.c — end-to-end against the real zeugnis-server binary
 *
 * init (refuses to overwrite, key file 0600), user add via stdin, serve on port 0 over HTTPS
 * (TLS >= 1.2 only), CLI unlock/deactivate against a running server, SIGTERM, and one-line
 * errors for a wrong key, a missing key file and a corrupt database (R-OPS-3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "server-test-utils.h"

#define ADMIN_PW "Verwaltung-Zeugnis-7"

typedef struct
{
  char *tmp;
  char *data;
} Fixture;

static const char *
binary (void)
{
  const char *path = g_getenv ("ZG_SERVER_BINARY");

  g_assert_nonnull (path);
  return path;
}

static int
run_cli (const char * const *args,
         const char         *stdin_text,
         char              **out_stdout,
         char              **out_stderr)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (gpointer) binary ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, stdin_text != NULL ? stdin_text : "", NULL,
                                                &out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("%s %s -> %d\nstdout: %s\nstderr: %s", binary (), args[0],
                  g_subprocess_get_exit_status (proc), out, err);
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);
  return g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

/* A failure is exactly one line on stderr: "zeugnis-server: ...". */
static void
assert_one_line_error (const char *err,
                       const char *needle)
{
  g_assert_nonnull (err);
  g_assert_true (g_str_has_prefix (err, "zeugnis-server: "));
  g_assert_true (g_str_has_suffix (err, "\n"));
  g_assert_cmpint (strchr (err, '\n') - err, ==, (gssize) strlen (err) - 1);
  if (needle != NULL)
    g_assert_nonnull (strstr (err, needle));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmp = g_dir_make_tmp ("zeugnis-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->data = g_build_filename (f->tmp, "daten", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->tmp);
  g_free (f->tmp);
  g_free (f->data);
}

static void
init_with_admin (Fixture *f)
{
  const char *init[] = { "--data-dir", f->data, "init", NULL };
  const char *add[] = { "--data-dir", f->data, "user", "add", "--email", "chefin@example.com",
                        "--first-name", "Clara", "--last-name", "Chefin", "--role", "Administrator",
                        "--password-stdin", NULL };

  g_assert_cmpint (run_cli (init, NULL, NULL, NULL), ==, 0);
  g_assert_cmpint (run_cli (add, ADMIN_PW "\n", NULL, NULL), ==, 0);
}

static guint
file_mode (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static void
test_init (Fixture       *f,
           gconstpointer  data)
{
  const char *init[] = { "--data-dir", f->data, "init", NULL };
  const char *weak[] = { "--data-dir", f->data, "user", "add", "--email", "x@example.com",
                         "--first-name", "X", "--last-name", "Y", "--role", "Administrator",
                         "--password-stdin", NULL };
  g_autofree char *key_path = g_build_filename (f->data, "zeugnis.key", NULL);
  g_autofree char *key_before = NULL;
  g_autofree char *key_after = NULL;
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;

  g_assert_cmpint (run_cli (init, NULL, NULL, NULL), ==, 0);
  g_assert_cmpuint (file_mode (f->tmp, "daten"), ==, 0700);
  g_assert_cmpuint (file_mode (f->data, "zeugnis.key"), ==, 0600);
  g_assert_cmpuint (file_mode (f->data, "zeugnis.db"), ==, 0600);
  g_assert_cmpuint (file_mode (f->data, "tls/server.key"), ==, 0600);
  g_assert_true (g_file_get_contents (key_path, &key_before, NULL, NULL));
  g_assert_cmpuint (strlen (g_strstrip (key_before)), ==, 64);

  /* The database is encrypted: no SQLite header in plain text. */
  {
    g_autofree char *db_path = g_build_filename (f->data, "zeugnis.db", NULL);
    g_autofree char *db = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (db_path, &db, &len, NULL));
    g_assert_cmpuint (len, >, 16);
    g_assert_false (memcmp (db, "SQLite format 3", 15) == 0);
  }

  /* A second init must not overwrite the key. */
  g_assert_cmpint (run_cli (init, NULL, NULL, &err), !=, 0);
  assert_one_line_error (err, "refusing to overwrite");
  g_assert_true (g_file_get_contents (key_path, &key_after, NULL, NULL));
  g_assert_cmpstr (g_strstrip (key_after), ==, key_before);

  /* R-USER-3 applies to the bootstrap admin too. Feature modules may log their start-up
   * before the refusal, so only the last line is checked here. */
  g_assert_cmpint (run_cli (weak, "passwort\n", NULL, &err2), !=, 0);
  {
    g_auto(GStrv) lines = g_strsplit (g_strchomp (err2), "\n", -1);
    const char *last = lines[g_strv_length (lines) - 1];

    g_assert_true (g_str_has_prefix (last, "zeugnis-server: password rejected"));
  }
}

typedef struct
{
  GSubprocess  *proc;
  ZgTestClient *client;
  guint16       port;
} Running;

/* A server left behind by a failed assertion must not outlive the test. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
serve (Fixture *f,
       Running *r)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *cert_path = g_build_filename (f->data, "tls", "server.crt", NULL);
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autofree char *base = NULL;
  const char *prefix = "Zeugnis server listening on https://127.0.0.1:";

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  r->proc = g_subprocess_launcher_spawn (launcher, &error, binary (), "--data-dir", f->data, "serve",
                                         "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (r->proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("%s", line);
  g_assert_true (g_str_has_prefix (line, prefix));
  r->port = (guint16) g_ascii_strtoull (line + strlen (prefix), NULL, 10);
  g_assert_cmpuint (r->port, >, 0);

  cert = g_tls_certificate_new_from_file (cert_path, &error);
  g_assert_no_error (error);
  base = g_strdup_printf ("https://127.0.0.1:%u", r->port);
  r->client = zg_test_client_new (base, cert);
}

static void
stop (Running *r)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (r->proc, SIGTERM);
  g_assert_true (g_subprocess_wait (r->proc, NULL, &error));
  g_assert_no_error (error);
  /* SIGTERM ends the server cleanly. */
  g_assert_true (g_subprocess_get_if_exited (r->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (r->proc), ==, 0);
  g_clear_object (&r->proc);
  g_clear_pointer (&r->client, zg_test_client_free);
}

static ZgTestResponse *
login (ZgTestClient *client,
       const char   *email,
       const char   *password)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", email, password);

  return zg_test_client_request (client, "POST", "/api/v1/auth/login", NULL, "application/json",
                                 body, strlen (body));
}

static int
openssl_tls (guint16     port,
             const char *version_flag)
{
  g_autofree char *connect = g_strdup_printf ("127.0.0.1:%u", port);
  const char *args[] = { "openssl", "s_client", "-connect", connect, version_flag,
                         "-cipher", "DEFAULT@SECLEVEL=0", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = g_subprocess_newv (args, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                   G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                   G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);

  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (proc, empty, NULL, NULL, NULL, &error));
  return g_subprocess_get_exit_status (proc);
}

static void
test_serve_and_manage (Fixture       *f,
                       gconstpointer  data)
{
  Running r = { NULL, NULL, 0 };
  g_autofree char *token = NULL;
  g_autofree char *openssl = NULL;
  const char *add_user[] = { "--data-dir", f->data, "user", "add", "--email", "max@example.com",
                             "--first-name", "Max", "--last-name", "Meier", "--role",
                             "Administrator", "--password-stdin", NULL };
  const char *unlock[] = { "--data-dir", f->data, "user", "unlock", "--email", "max@example.com", NULL };

  init_with_admin (f);
  g_assert_cmpint (run_cli (add_user, "Fahrrad-Kette-88\n", NULL, NULL), ==, 0);
  serve (f, &r);

  {
    g_autoptr(ZgTestResponse) resp = login (r.client, "chefin@example.com", ADMIN_PW);
    g_autoptr(ZgTestResponse) me = NULL;

    g_assert_cmpuint (resp->status, ==, 200);
    token = g_strdup (json_object_get_string_member (zg_test_response_object (resp), "token"));
    me = zg_test_client_request (r.client, "GET", "/api/v1/me", token, NULL, NULL, 0);
    g_assert_cmpuint (me->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (zg_test_response_object (me), "first_name"),
                     ==, "Clara");
  }

  /* TLS 1.1 is refused, TLS 1.2 accepted. */
  openssl = g_find_program_in_path ("openssl");
  if (openssl != NULL)
    {
      g_assert_cmpint (openssl_tls (r.port, "-tls1_1"), !=, 0);
      g_assert_cmpint (openssl_tls (r.port, "-tls1_2"), ==, 0);
    }

  /* R-AUDIT-3: lock Max over HTTP, unlock him with the CLI while the server runs. */
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(ZgTestResponse) resp = login (r.client, "max@example.com", "Falsch-Passwort-1");

      g_assert_cmpuint (resp->status, ==, 401);
    }
  {
    g_autoptr(ZgTestResponse) locked = login (r.client, "max@example.com", "Fahrrad-Kette-88");

    g_assert_cmpuint (locked->status, ==, 423);
  }
  g_assert_cmpint (run_cli (unlock, NULL, NULL, NULL), ==, 0);
  {
    const char *deactivate[] = { "--data-dir", f->data, "user", "deactivate", "--email",
                                 "max@example.com", NULL };
    g_autoptr(ZgTestResponse) ok = login (r.client, "max@example.com", "Fahrrad-Kette-88");
    g_autofree char *max_token = NULL;
    gint64 deadline;
    guint status = 200;

    g_assert_cmpuint (ok->status, ==, 200);
    max_token = g_strdup (json_object_get_string_member (zg_test_response_object (ok), "token"));
    {
      /* Put the session into the server's cache first. */
      g_autoptr(ZgTestResponse) me = zg_test_client_request (r.client, "GET", "/api/v1/me",
                                                             max_token, NULL, NULL, 0);

      g_assert_cmpuint (me->status, ==, 200);
    }

    /* R-USER-2 via CLI: the running server drops the session (its cache re-checks the
     * database within seconds). */
    g_assert_cmpint (run_cli (deactivate, NULL, NULL, NULL), ==, 0);
    deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
    while (status == 200 && g_get_monotonic_time () < deadline)
      {
        g_autoptr(ZgTestResponse) me = zg_test_client_request (r.client, "GET", "/api/v1/me",
                                                               max_token, NULL, NULL, 0);

        status = me->status;
        if (status == 200)
          g_usleep (250 * 1000);
      }
    g_assert_cmpuint (status, ==, 401);
  }
  {
    g_autoptr(ZgTestResponse) denied = login (r.client, "max@example.com", "Fahrrad-Kette-88");

    g_assert_cmpuint (denied->status, ==, 401);
  }

  stop (&r);
}

static void
test_refuses_bad_key_and_database (Fixture       *f,
                                   gconstpointer  data)
{
  const char *serve_args[] = { "--data-dir", f->data, "serve", "--listen", "127.0.0.1:0", NULL };
  g_autofree char *key_path = g_build_filename (f->data, "zeugnis.key", NULL);
  g_autofree char *moved = g_build_filename (f->tmp, "moved.key", NULL);
  g_autofree char *db_path = g_build_filename (f->data, "zeugnis.db", NULL);
  g_autoptr(GError) error = NULL;

  init_with_admin (f);

  /* Wrong key. */
  {
    g_autofree char *good = NULL;
    g_autofree char *err = NULL;
    g_autofree char *wrong = g_strnfill (64, 'a');

    g_assert_true (g_file_get_contents (key_path, &good, NULL, NULL));
    g_assert_true (g_file_set_contents_full (key_path, wrong, -1, G_FILE_SET_CONTENTS_NONE, 0600,
                                             &error));
    g_assert_cmpint (run_cli (serve_args, NULL, NULL, &err), !=, 0);
    assert_one_line_error (err, "wrong key");
    g_assert_true (g_file_set_contents_full (key_path, good, -1, G_FILE_SET_CONTENTS_NONE, 0600,
                                             &error));
  }
  /* Key readable by others. */
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (g_chmod (key_path, 0644), ==, 0);
    g_assert_cmpint (run_cli (serve_args, NULL, NULL, &err), !=, 0);
    assert_one_line_error (err, "chmod 600");
    g_assert_cmpint (g_chmod (key_path, 0600), ==, 0);
  }
  /* Missing key file. */
  {
    g_autofree char *err = NULL;

    g_assert_cmpint (g_rename (key_path, moved), ==, 0);
    g_assert_cmpint (run_cli (serve_args, NULL, NULL, &err), !=, 0);
    assert_one_line_error (err, "key file");
    g_assert_cmpint (g_rename (moved, key_path), ==, 0);
  }
  /* Corrupt database: garbage over the first pages. */
  {
    g_autofree char *err = NULL;
    g_autofree char *garbage = g_strnfill (8192, 'Z');
    g_autofree char *db = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (db_path, &db, &len, NULL));
    memcpy (db, garbage, MIN (len, 8192));
    g_assert_true (g_file_set_contents_full (db_path, db, (gssize) len, G_FILE_SET_CONTENTS_NONE,
                                             0600, &error));
    g_assert_cmpint (run_cli (serve_args, NULL, NULL, &err), !=, 0);
    assert_one_line_error (err, "zeugnis.db");
  }
  /* No data dir at all. */
  {
    g_autofree char *nowhere = g_build_filename (f->tmp, "gibtsnicht", NULL);
    const char *args[] = { "--data-dir", nowhere, "serve", NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (run_cli (args, NULL, NULL, &err), !=, 0);
    assert_one_line_error (err, NULL);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/Zeugnis/Server/Cli/init-refuses-overwrite", Fixture, NULL, fixture_setup, test_init,
              fixture_teardown);
  g_test_add ("/Zeugnis/Server/Cli/serve-login-unlock-deactivate", Fixture, NULL, fixture_setup,
              test_serve_and_manage, fixture_teardown);
  g_test_add ("/Zeugnis/Server/Cli/R-OPS-3-wrong-key-missing-key-corrupt-db", Fixture, NULL,
              fixture_setup, test_refuses_bad_key_and_database, fixture_teardown);

  return g_test_run ();
}
