/* test-http-input.c — malformed, oversized and garbage bodies are refused, nothing changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "server-test-utils.h"

static const char *tables[] = { "users", "roles", "sessions", "audit_log", "settings" };

static void
count_rows (ZgTestServer *ts,
            gint64       *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    out[i] = zg_storage_count (zg_server_get_storage (ts->server), tables[i]);
}

typedef struct
{
  const char *label;
  const char *content_type;
  const char *body;
  gssize      len;        /* -1: strlen */
  guint       status;
  const char *error;
} BadBody;

static void
test_bad_bodies (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autofree char *deep = NULL;
  g_autofree char *big = NULL;
  g_autofree char *user_path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, ts->admin_id);
  static const char nul_body[] = "{\"email\":\"a\0b@example.com\",\"password\":\"x\"}";
  GString *s = g_string_new (NULL);

  for (int i = 0; i < 5000; i++)
    g_string_append_c (s, '[');
  deep = g_string_free (s, FALSE);
  s = g_string_new ("{\"name\":\"");
  while (s->len < 70 * 1024)
    g_string_append (s, "abcdefghij");
  g_string_append (s, "\",\"areas\":[]}");
  big = g_string_free (s, FALSE);

  {
    const BadBody bodies[] = {
      { "empty", "application/json", "", 0, 400, "invalid_json" },
      { "garbage", "application/json", "das ist kein JSON", -1, 400, "invalid_json" },
      { "truncated", "application/json", "{\"email\": \"a@example.com\", ", -1, 400, "invalid_json" },
      { "array", "application/json", "[1, 2, 3]", -1, 400, "invalid_json" },
      { "string", "application/json", "\"x\"", -1, 400, "invalid_json" },
      { "invalid utf-8", "application/json", "{\"email\":\"\xff\xfe@example.com\",\"name\":\"\xc3\x28\"}",
        -1, 400, "invalid_json" },
      { "nul byte", "application/json", nul_body, sizeof nul_body - 1, 400, "invalid_json" },
      { "deep nesting", "application/json", deep, -1, 400, "invalid_json" },
      { "oversized", "application/json", big, -1, 413, "payload_too_large" },
      { "form instead of json", "application/x-www-form-urlencoded", "email=a&password=b", -1, 415,
        "unsupported_media_type" },
      { "no content type", NULL, "{}", -1, 415, "unsupported_media_type" },
    };
    const char *targets[][2] = {
      { "POST", "/api/v1/auth/login" },
      { "POST", "/api/v1/users" },
      { "PATCH", user_path },
      { "POST", "/api/v1/roles" },
      { "PATCH", "/api/v1/roles/1" },
      { "PATCH", "/api/v1/settings" },
    };

    for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
      for (guint b = 0; b < G_N_ELEMENTS (bodies); b++)
        {
          gint64 before[G_N_ELEMENTS (tables)], after[G_N_ELEMENTS (tables)];
          g_autoptr(ZgTestResponse) r = NULL;
          gsize len = bodies[b].len < 0 ? strlen (bodies[b].body) : (gsize) bodies[b].len;

          count_rows (ts, before);
          r = zg_test_request_raw (ts, targets[t][0], targets[t][1], ts->admin_token,
                                   bodies[b].content_type, bodies[b].body, len);
          g_test_message ("%s %s with %s -> %u %s", targets[t][0], targets[t][1],
                          bodies[b].label, r->status, r->text);
          g_assert_cmpuint (r->status, ==, bodies[b].status);
          g_assert_cmpstr (zg_test_response_error (r), ==, bodies[b].error);
          g_assert_nonnull (json_object_get_string_member (zg_test_response_object (r), "message"));
          g_assert_cmpstr (soup_message_headers_get_one (r->headers, "X-Content-Type-Options"), ==,
                           "nosniff");
          count_rows (ts, after);
          for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
            g_assert_cmpint (before[i], ==, after[i]);
        }
  }

  /* Still serving normally afterwards. */
  {
    g_autoptr(ZgTestResponse) me = zg_test_request (ts, "GET", "/api/v1/me", ts->admin_token, NULL);

    g_assert_cmpuint (me->status, ==, 200);
  }
}

/* Well-formed JSON with wrong types or values: 400/422, nothing changes. */
static void
test_wrong_fields (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  const char *cases[][3] = {
    { "POST", "/api/v1/auth/login", "{\"email\": 5, \"password\": \"x\"}" },
    { "POST", "/api/v1/auth/login", "{\"email\": \"a@example.com\"}" },
    { "POST", "/api/v1/users", "{\"email\":\"a@example.com\",\"first_name\":\"A\",\"last_name\":\"B\","
                                "\"role_id\":\"1\"}" },
    { "POST", "/api/v1/users", "{\"email\":\"a@example.com\",\"first_name\":\"\\u0007\","
                                "\"last_name\":\"B\",\"role_id\":1}" },
    { "POST", "/api/v1/users", "{\"email\":\"a@example.com\",\"first_name\":\"A\",\"last_name\":\"B\","
                                "\"role_id\":424242}" },
    { "POST", "/api/v1/users", "{\"email\":\"a@example.com\",\"first_name\":\"A\",\"last_name\":\"B\","
                                "\"role_id\":1,\"phone\":\"<script>\"}" },
    { "POST", "/api/v1/roles", "{\"name\": [\"x\"], \"areas\": []}" },
    { "POST", "/api/v1/roles", "{\"name\": \"R\", \"areas\": \"rollen\"}" },
    { "POST", "/api/v1/roles", "{\"name\": \"R\", \"areas\": [\"rollen\", 7]}" },
    { "POST", "/api/v1/roles", "{\"name\": \"   \", \"areas\": []}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 before[G_N_ELEMENTS (tables)], after[G_N_ELEMENTS (tables)];
      g_autoptr(ZgTestResponse) r = NULL;

      count_rows (ts, before);
      r = zg_test_request (ts, cases[i][0], cases[i][1], ts->admin_token, cases[i][2]);
      g_test_message ("%s %s -> %u %s", cases[i][1], cases[i][2], r->status, r->text);
      g_assert_true (r->status == 400 || r->status == 422);
      g_assert_nonnull (zg_test_response_error (r));
      count_rows (ts, after);
      for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
        g_assert_cmpint (before[t], ==, after[t]);
    }
}

static void
chunked_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GBytes **out = user_data;

  *out = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  if (*out == NULL)
    *out = g_bytes_new (NULL, 0);
}

static gboolean
accept_cb (SoupMessage          *msg,
           GTlsCertificate      *cert,
           GTlsCertificateFlags  errors,
           gpointer              user_data)
{
  return g_tls_certificate_is_same (cert, user_data);
}

/* A chunked body has no declared length: it is counted while it arrives. */
static void
test_chunked_oversized (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autofree char *url = g_strconcat (ts->client->base_url, "/api/v1/roles", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *big = g_strnfill (200 * 1024, ' ');
  g_autofree char *auth = g_strconcat ("Bearer ", ts->admin_token, NULL);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) answer = NULL;
  gint64 roles_before = zg_storage_count (zg_server_get_storage (ts->server), "roles");

  {
    static const char head[] = "{\"name\":\"Riesig\",\"areas\":[]}";

    memcpy (big, head, sizeof head - 1);
  }
  stream = g_memory_input_stream_new_from_data (big, 200 * 1024, NULL);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_cb), ts->client->expected_cert);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body (msg, "application/json", stream, -1);   /* -1: chunked */
  soup_session_send_and_read_async (ts->client->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    chunked_done_cb, &answer);
  while (answer == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("chunked: %u %.*s", soup_message_get_status (msg), (int) g_bytes_get_size (answer),
                  (const char *) g_bytes_get_data (answer, NULL));
  g_assert_cmpuint (soup_message_get_status (msg), ==, 413);
  g_assert_cmpint (zg_storage_count (zg_server_get_storage (ts->server), "roles"), ==, roles_before);
}

static guint
count_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Clients that close idle keep-alive connections must not leave file descriptors behind
 * (libsoup 3.2 does; the server's sweep closes them), or the server runs out of them. */
static void
test_abandoned_connections_closed (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  guint baseline, leaked, final;

  zg_http_sweep_connections (ts->server, 0);
  zg_test_spin (50);
  baseline = count_open_fds ();
  for (int i = 0; i < 20; i++)
    {
      g_autoptr(ZgTestClient) client = zg_test_client_new (ts->client->base_url,
                                                           ts->client->expected_cert);
      g_autoptr(ZgTestResponse) r = zg_test_client_request (client, "GET", "/healthz", NULL, NULL,
                                                            NULL, 0);

      g_assert_cmpuint (r->status, ==, 200);
    }
  zg_test_spin (200);
  leaked = count_open_fds ();
  g_test_message ("open fds: %u before, %u after 20 closed clients", baseline, leaked);
  g_test_message ("closed by the sweep: %u", zg_http_sweep_connections (ts->server, 0));
  zg_test_spin (50);
  final = count_open_fds ();
  g_test_message ("open fds after the sweep: %u", final);
  g_assert_cmpuint (final, <=, baseline + 2);
  {
    /* The server still serves. */
    g_autoptr(ZgTestResponse) me = zg_test_request (ts, "GET", "/api/v1/me", ts->admin_token, NULL);

    g_assert_cmpuint (me->status, ==, 200);
  }
}

static void
test_unknown_paths (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autoptr(ZgTestResponse) missing = zg_test_request (ts, "GET", "/api/v1/gibtsnicht", NULL, NULL);
  g_autoptr(ZgTestResponse) method = zg_test_request (ts, "DELETE", "/api/v1/me", ts->admin_token, NULL);
  g_autoptr(ZgTestResponse) health = zg_test_request (ts, "GET", "/healthz", NULL, NULL);
  g_autoptr(ZgTestResponse) bad_id = zg_test_request (ts, "GET", "/api/v1/users/1%20OR%201=1",
                                                      ts->admin_token, NULL);

  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpstr (zg_test_response_error (missing), ==, "not_found");
  g_assert_cmpstr (soup_message_headers_get_one (missing->headers, "Content-Security-Policy"), ==,
                   "default-src 'none'; frame-ancestors 'none'");
  g_assert_cmpuint (method->status, ==, 405);
  g_assert_cmpuint (health->status, ==, 200);
  g_assert_cmpstr (health->text, ==, "{\"status\":\"ok\"}");
  g_assert_cmpstr (soup_message_headers_get_one (health->headers, "X-Frame-Options"), ==, "DENY");
  g_assert_cmpuint (bad_id->status, ==, 404);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Zeugnis/Server/Http/R-OPS-4-bad-bodies-change-nothing", test_bad_bodies);
  g_test_add_func ("/Zeugnis/Server/Http/wrong-fields-change-nothing", test_wrong_fields);
  g_test_add_func ("/Zeugnis/Server/Http/chunked-oversized", test_chunked_oversized);
  g_test_add_func ("/Zeugnis/Server/Http/unknown-paths", test_unknown_paths);
  g_test_add_func ("/Zeugnis/Server/Http/R-OPS-1-abandoned-connections-closed",
                   test_abandoned_connections_closed);

  return g_test_run ();
}
