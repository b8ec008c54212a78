/* server-test-utils.c — in-process server fixture and HTTPS JSON client for server tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "server-test-utils.h"

typedef struct
{
  gboolean  done;
  GBytes   *bytes;
  GError   *error;
} Pending;

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *cert,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  ZgTestClient *client = user_data;

  /* Self-signed test certificates: trust exactly the one we expect, nothing else. */
  return client->expected_cert != NULL && g_tls_certificate_is_same (cert, client->expected_cert);
}

ZgTestClient *
zg_test_client_new (const char      *base_url,
                    GTlsCertificate *expected_cert)
{
  ZgTestClient *client = g_new0 (ZgTestClient, 1);

  client->session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 60, NULL);
  client->base_url = g_strdup (base_url);
  client->expected_cert = expected_cert != NULL ? g_object_ref (expected_cert) : NULL;
  return client;
}

void
zg_test_client_free (ZgTestClient *client)
{
  if (client == NULL)
    return;
  soup_session_abort (client->session);
  g_clear_object (&client->session);
  g_clear_object (&client->expected_cert);
  g_free (client->base_url);
  g_free (client);
}

static void
send_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Pending *p = user_data;

  p->bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &p->error);
  p->done = TRUE;
}

ZgTestResponse *
zg_test_client_request (ZgTestClient *client,
                        const char   *method,
                        const char   *path,
                        const char   *token,
                        const char   *content_type,
                        const void   *body,
                        gsize         body_len)
{
  g_autofree char *url = g_strconcat (client->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  ZgTestResponse *resp;
  Pending p = { FALSE, NULL, NULL };
  const char *ct;

  g_assert_nonnull (msg);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), client);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len);

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  soup_session_send_and_read_async (client->session, msg, G_PRIORITY_DEFAULT, NULL, send_done_cb,
                                    &p);
  while (!p.done)
    g_main_context_iteration (NULL, TRUE);
  if (p.error != NULL)
    g_error ("request %s %s failed: %s", method, path, p.error->message);

  resp = g_new0 (ZgTestResponse, 1);
  resp->status = soup_message_get_status (msg);
  resp->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  resp->text = g_strndup (g_bytes_get_data (p.bytes, NULL), g_bytes_get_size (p.bytes));
  ct = soup_message_headers_get_content_type (resp->headers, NULL);
  if (g_strcmp0 (ct, "application/json") == 0 && g_bytes_get_size (p.bytes) > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, resp->text, -1, NULL))
        resp->body = json_node_copy (json_parser_get_root (parser));
    }
  g_bytes_unref (p.bytes);
  return resp;
}

void
zg_test_response_free (ZgTestResponse *resp)
{
  if (resp == NULL)
    return;
  g_clear_pointer (&resp->body, json_node_unref);
  g_clear_pointer (&resp->headers, soup_message_headers_unref);
  g_free (resp->text);
  g_free (resp);
}

JsonObject *
zg_test_response_object (ZgTestResponse *resp)
{
  g_assert_nonnull (resp->body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (resp->body));
  return json_node_get_object (resp->body);
}

const char *
zg_test_response_error (ZgTestResponse *resp)
{
  JsonObject *obj;

  if (resp->body == NULL || !JSON_NODE_HOLDS_OBJECT (resp->body))
    return NULL;
  obj = json_node_get_object (resp->body);
  return json_object_has_member (obj, "error") ? json_object_get_string_member (obj, "error")
                                                : NULL;
}

char *
zg_test_build_filename (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

/* Lets the main context run (server work, hashing callbacks) for @ms milliseconds. */
void
zg_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static void
raise_test_limits (const char *data_dir)
{
  g_autofree char *path = g_build_filename (data_dir, ZG_SERVER_CONFIG_NAME, NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (g_key_file_load_from_file (kf, path, G_KEY_FILE_KEEP_COMMENTS, &error));
  g_assert_no_error (error);
  /* Tests log in many times from 127.0.0.1; the rate-limit test lowers this again. */
  g_key_file_set_integer (kf, "limits", "auth_burst", 100000);
  g_key_file_set_integer (kf, "limits", "auth_per_minute", 100000);
  g_assert_true (g_key_file_save_to_file (kf, path, &error));
  g_assert_no_error (error);
}

/* A fresh data dir with an administrator, listening on 127.0.0.1 port 0. */
ZgTestServer *
zg_test_server_new (void)
{
  ZgTestServer *ts = g_new0 (ZgTestServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autofree char *cert_path = zg_test_build_filename ("test-cert.pem");
  g_autofree char *key_path = zg_test_build_filename ("test-key.pem");
  g_autofree char *base_url = NULL;

  zg_server_set_tls_policy ();
  ts->tmp_dir = g_dir_make_tmp ("zeugnis-test-XXXXXX", &error);
  g_assert_no_error (error);
  ts->data_dir = g_build_filename (ts->tmp_dir, "data", NULL);
  g_assert_true (zg_server_init_data_dir (ts->data_dir, NULL, FALSE, &error));
  g_assert_no_error (error);
  raise_test_limits (ts->data_dir);

  ts->server = zg_server_new (ts->data_dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ts->server);

  cert = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  g_assert_true (zg_server_listen (ts->server, "127.0.0.1", 0, cert, &ts->port, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ts->port, >, 0);

  base_url = g_strdup_printf ("https://127.0.0.1:%u", ts->port);
  ts->client = zg_test_client_new (base_url, cert);

  ts->admin_id = zg_test_create_user (ts, ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD,
                                      ZG_ROLE_ADMINISTRATOR_ID);
  ts->admin_token = zg_test_login (ts, ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD);
  return ts;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      for (const char *name = g_dir_read_name (dir); name != NULL; name = g_dir_read_name (dir))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

void
zg_test_server_free (ZgTestServer *ts)
{
  if (ts == NULL)
    return;
  zg_test_client_free (ts->client);
  if (ts->server != NULL)
    {
      zg_server_shutdown (ts->server);
      /* Let pending callbacks (hashing, closing connections) finish before disposal. */
      zg_test_spin (50);
      g_clear_object (&ts->server);
    }
  if (ts->tmp_dir != NULL)
    remove_tree (ts->tmp_dir);
  g_free (ts->tmp_dir);
  g_free (ts->data_dir);
  g_free (ts->admin_token);
  g_free (ts);
}

ZgTestResponse *
zg_test_request_raw (ZgTestServer *ts,
                     const char   *method,
                     const char   *path,
                     const char   *token,
                     const char   *content_type,
                     const void   *body,
                     gsize         body_len)
{
  return zg_test_client_request (ts->client, method, path, token, content_type, body, body_len);
}

ZgTestResponse *
zg_test_request (ZgTestServer *ts,
                 const char   *method,
                 const char   *path,
                 const char   *token,
                 const char   *json_body)
{
  return zg_test_client_request (ts->client, method, path, token, "application/json", json_body,
                                 json_body != NULL ? strlen (json_body) : 0);
}

/* Logs in and returns the token; asserts success. */
char *
zg_test_login (ZgTestServer *ts,
               const char   *email,
               const char   *password)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autoptr(ZgTestResponse) resp = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, email);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);
  resp = zg_test_request (ts, "POST", "/api/v1/auth/login", NULL, body);
  if (resp->status != 200)
    g_error ("login of %s failed: %u %s", email, resp->status, resp->text);
  return g_strdup (json_object_get_string_member (zg_test_response_object (resp), "token"));
}

/* Creates an active user with a password directly in storage (fixture, not under test). */
gint64
zg_test_create_user (ZgTestServer *ts,
                     const char   *email,
                     const char   *password,
                     gint64        role_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = zg_password_hash_sync (password, &error);
  gint64 id;

  g_assert_no_error (error);
  id = zg_users_create (ts->server, email, "Test", "Person", NULL, role_id, hash, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

gint64
zg_test_create_role (ZgTestServer *ts,
                     const char   *name,
                     ZgAreaSet     areas)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;
  ZgStorage *storage = zg_server_get_storage (ts->server);

  stmt = zg_storage_prepare (storage,
                             "INSERT INTO roles (name, areas, builtin, created_at, updated_at)"
                             " VALUES (?1, ?2, 0, 0, 0);", &error);
  g_assert_no_error (error);
  g_assert_true (zg_stmt_bind_text (stmt, 1, name));
  g_assert_true (zg_stmt_bind_int64 (stmt, 2, areas));
  g_assert_true (zg_stmt_run (stmt, &error));
  g_assert_no_error (error);
  return zg_storage_last_insert_id (storage);
}

gint64
zg_test_count_audit (ZgTestServer *ts,
                     const char   *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = NULL;

  stmt = zg_storage_prepare (zg_server_get_storage (ts->server),
                             "SELECT count(*) FROM audit_log WHERE action = ?1;", &error);
  g_assert_no_error (error);
  g_assert_true (zg_stmt_bind_text (stmt, 1, action));
  g_assert_cmpint (zg_stmt_step (stmt, &error), ==, SQLITE_ROW);
  return zg_stmt_column_int64 (stmt, 0);
}
