/* test-auth.c — login, sessions, lockout, deactivation, enumeration safety, rate limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "server-test-utils.h"
#include "zg-crypto.h"

#define USER_EMAIL    "erika.muster@example.com"
#define USER_PASSWORD "Wanderweg-Nord-31"

static char *
login_body (const char *email,
            const char *password)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "email");
  json_builder_add_string_value (b, email);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static ZgTestResponse *
try_login (ZgTestServer *ts,
           const char   *email,
           const char   *password)
{
  g_autofree char *body = login_body (email, password);

  return zg_test_request (ts, "POST", "/api/v1/auth/login", NULL, body);
}

static guint
me_status (ZgTestServer *ts,
           const char   *token)
{
  g_autoptr(ZgTestResponse) resp = zg_test_request (ts, "GET", "/api/v1/me", token, NULL);

  return resp->status;
}

static gint64
user_column (ZgTestServer *ts,
             gint64        user_id,
             const char   *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgStmt) stmt = zg_storage_prepare (zg_server_get_storage (ts->server), sql, &error);

  g_assert_no_error (error);
  g_assert_true (zg_stmt_bind_int64 (stmt, 1, user_id));
  g_assert_cmpint (zg_stmt_step (stmt, &error), ==, SQLITE_ROW);
  return zg_stmt_column_int64 (stmt, 0);
}

static void
test_login_logout_me (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autoptr(ZgTestResponse) login = NULL;
  g_autoptr(ZgTestResponse) me = NULL;
  g_autoptr(ZgTestResponse) logout = NULL;
  g_autofree char *token2 = NULL;
  g_autofree char *hash = NULL;
  const char *token;
  JsonObject *user;

  zg_test_create_user (ts, USER_EMAIL, USER_PASSWORD, ZG_ROLE_ADMINISTRATOR_ID);
  {
    /* Argon2id with the OWASP parameters, salted: two hashes of one password differ. */
    g_autoptr(ZgUser) u = zg_users_find_by_email (ts->server, USER_EMAIL, NULL);
    g_autofree char *again = zg_password_hash_sync (USER_PASSWORD, NULL);

    g_assert_true (g_str_has_prefix (u->password_hash, "$argon2id$v=19$m=19456,t=2,p=1$"));
    g_assert_cmpstr (u->password_hash, !=, again);
    g_assert_true (zg_password_verify_sync (again, USER_PASSWORD));
    g_assert_false (zg_password_verify_sync (again, "Wanderweg-Nord-32"));
  }
  login = try_login (ts, "  Erika.Muster@EXAMPLE.com ", USER_PASSWORD);  /* normalised e-mail */
  g_assert_cmpuint (login->status, ==, 200);
  token = json_object_get_string_member (zg_test_response_object (login), "token");
  g_assert_cmpuint (strlen (token), >=, 43);   /* 256 bits, base64url */
  user = json_object_get_object_member (zg_test_response_object (login), "user");
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, USER_EMAIL);

  /* Only the SHA-256 of the token is stored. */
  hash = zg_sha256_hex_str (token);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ZgStmt) stmt = zg_storage_prepare (zg_server_get_storage (ts->server),
                                                 "SELECT count(*) FROM sessions WHERE"
                                                 " token_hash = ?1 OR token_hash = ?2;", &error);
    g_assert_true (zg_stmt_bind_text (stmt, 1, hash));
    g_assert_true (zg_stmt_bind_text (stmt, 2, token));
    g_assert_cmpint (zg_stmt_step (stmt, &error), ==, SQLITE_ROW);
    g_assert_cmpint (zg_stmt_column_int64 (stmt, 0), ==, 1);
  }

  me = zg_test_request (ts, "GET", "/api/v1/me", token, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (zg_test_response_object (me), "email"), ==,
                   USER_EMAIL);
  g_assert_cmpstr (soup_message_headers_get_one (me->headers, "Cache-Control"), ==, "no-store");
  g_assert_nonnull (soup_message_headers_get_one (me->headers, "Strict-Transport-Security"));
  g_assert_cmpstr (soup_message_headers_get_one (me->headers, "X-Content-Type-Options"), ==,
                   "nosniff");

  /* A new token on every login. */
  token2 = zg_test_login (ts, USER_EMAIL, USER_PASSWORD);
  g_assert_cmpstr (token2, !=, token);

  logout = zg_test_request (ts, "POST", "/api/v1/auth/logout", token, NULL);
  g_assert_cmpuint (logout->status, ==, 204);
  g_assert_cmpuint (me_status (ts, token), ==, 401);
  g_assert_cmpuint (me_status (ts, token2), ==, 200);
  g_assert_cmpuint (me_status (ts, "not-a-token"), ==, 401);
  g_assert_cmpuint (me_status (ts, NULL), ==, 401);
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_LOGOUT), ==, 1);
}

/* R-AUDIT-3: the 5th consecutive failure locks; success before that resets the count. */
static void
test_lockout_after_five (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autofree char *path = NULL;
  gint64 id = zg_test_create_user (ts, USER_EMAIL, USER_PASSWORD, ZG_ROLE_ADMINISTRATOR_ID);

  for (int i = 0; i < 4; i++)
    {
      g_autoptr(ZgTestResponse) r = try_login (ts, USER_EMAIL, "Falsch-Passwort-1");

      g_assert_cmpuint (r->status, ==, 401);
      g_assert_cmpstr (zg_test_response_error (r), ==, "invalid_credentials");
    }
  g_assert_cmpint (user_column (ts, id, "SELECT failed_logins FROM users WHERE id = ?1;"), ==, 4);
  g_assert_cmpint (user_column (ts, id, "SELECT locked FROM users WHERE id = ?1;"), ==, 0);
  {
    /* Four failures and a success: the count starts again. */
    g_autoptr(ZgTestResponse) ok = try_login (ts, USER_EMAIL, USER_PASSWORD);

    g_assert_cmpuint (ok->status, ==, 200);
    g_assert_cmpint (user_column (ts, id, "SELECT failed_logins FROM users WHERE id = ?1;"), ==, 0);
  }

  for (int i = 1; i <= 5; i++)
    {
      g_autoptr(ZgTestResponse) r = try_login (ts, USER_EMAIL, "Falsch-Passwort-1");

      g_assert_cmpuint (r->status, ==, 401);
      g_assert_cmpstr (zg_test_response_error (r), ==, "invalid_credentials");
      /* Locked exactly after the 5th, not before. */
      g_assert_cmpint (user_column (ts, id, "SELECT locked FROM users WHERE id = ?1;"), ==,
                       i == 5 ? 1 : 0);
    }
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_ACCOUNT_LOCKED), ==, 1);
  {
    g_autoptr(ZgTestResponse) locked = try_login (ts, USER_EMAIL, USER_PASSWORD);
    g_autoptr(ZgTestResponse) wrong = try_login (ts, USER_EMAIL, "Falsch-Passwort-1");

    g_assert_cmpuint (locked->status, ==, 423);
    g_assert_cmpstr (zg_test_response_error (locked), ==, "account_locked");
    g_assert_cmpuint (wrong->status, ==, 401);
    g_assert_cmpstr (zg_test_response_error (wrong), ==, "invalid_credentials");
  }

  /* Only an administrator unlocks (API; the CLI path is covered in test-cli). */
  path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/unlock", id);
  {
    g_autoptr(ZgTestResponse) unlock = zg_test_request (ts, "POST", path, ts->admin_token, NULL);
    g_autoptr(ZgTestResponse) ok = NULL;

    g_assert_cmpuint (unlock->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (zg_test_response_object (unlock), "status"),
                     ==, "active");
    ok = try_login (ts, USER_EMAIL, USER_PASSWORD);
    g_assert_cmpuint (ok->status, ==, 200);
  }
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_ACCOUNT_UNLOCKED), ==, 1);
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_LOGIN_FAILED), ==, 4 + 5 + 2);
}

/* R-USER-2: deactivation ends all sessions at once and blocks login. */
static void
test_deactivation (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  gint64 id = zg_test_create_user (ts, USER_EMAIL, USER_PASSWORD, ZG_ROLE_ADMINISTRATOR_ID);
  g_autofree char *t1 = zg_test_login (ts, USER_EMAIL, USER_PASSWORD);
  g_autofree char *t2 = zg_test_login (ts, USER_EMAIL, USER_PASSWORD);
  g_autofree char *deactivate = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/deactivate", id);
  g_autofree char *reactivate = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/reactivate", id);

  g_assert_cmpuint (me_status (ts, t1), ==, 200);
  g_assert_cmpuint (me_status (ts, t2), ==, 200);
  {
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "POST", deactivate, ts->admin_token, NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (zg_test_response_object (r), "status"), ==,
                     "deactivated");
  }
  g_assert_cmpuint (me_status (ts, t1), ==, 401);
  g_assert_cmpuint (me_status (ts, t2), ==, 401);
  g_assert_cmpint (user_column (ts, id, "SELECT count(*) FROM sessions WHERE user_id = ?1;"), ==, 0);
  {
    g_autoptr(ZgTestResponse) r = try_login (ts, USER_EMAIL, USER_PASSWORD);

    g_assert_cmpuint (r->status, ==, 401);
    g_assert_cmpstr (zg_test_response_error (r), ==, "invalid_credentials");
  }
  {
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "POST", reactivate, ts->admin_token, NULL);
    g_autoptr(ZgTestResponse) ok = NULL;

    g_assert_cmpuint (r->status, ==, 200);
    ok = try_login (ts, USER_EMAIL, USER_PASSWORD);
    g_assert_cmpuint (ok->status, ==, 200);
  }
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_USER_DEACTIVATED), ==, 1);
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_USER_REACTIVATED), ==, 1);
}

/* The last active administrator can be neither deactivated nor demoted. */
static void
test_last_admin (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autofree char *deactivate = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/deactivate",
                                                 ts->admin_id);
  g_autofree char *patch = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, ts->admin_id);
  gint64 role = zg_test_create_role (ts, "Personal", ZG_AREA_MITARBEITER | ZG_AREA_BENUTZER);
  g_autofree char *body = g_strdup_printf ("{\"role_id\": %" G_GINT64_FORMAT "}", role);
  g_autoptr(ZgTestResponse) r1 = zg_test_request (ts, "POST", deactivate, ts->admin_token, NULL);
  g_autoptr(ZgTestResponse) r2 = zg_test_request (ts, "PATCH", patch, ts->admin_token, body);

  g_assert_cmpuint (r1->status, ==, 409);
  g_assert_cmpstr (zg_test_response_error (r1), ==, "last_admin");
  g_assert_cmpuint (r2->status, ==, 409);
  g_assert_cmpstr (zg_test_response_error (r2), ==, "last_admin");
  g_assert_cmpuint (me_status (ts, ts->admin_token), ==, 200);
}

static gint64
median (gint64 *v,
        guint   n)
{
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      if (v[j] < v[i])
        {
          gint64 t = v[i];
          v[i] = v[j];
          v[j] = t;
        }
  return v[n / 2];
}

/* Unknown account, wrong password, deactivated and invited accounts: identical answers and
 * comparable time (a dummy Argon2id verification runs for unknown accounts). */
static void
test_enumeration_safe (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autoptr(GError) error = NULL;
  gint64 deact = zg_test_create_user (ts, "weg@example.com", USER_PASSWORD, ZG_ROLE_ADMINISTRATOR_ID);
  gint64 unknown_us[7], wrong_us[7];
  g_autofree char *reference = NULL;
  const char *emails[] = { "niemand@example.com", USER_EMAIL, "weg@example.com", "neu@example.com" };

  zg_test_create_user (ts, USER_EMAIL, USER_PASSWORD, ZG_ROLE_ADMINISTRATOR_ID);
  g_assert_true (zg_users_set_active (ts->server, deact, FALSE, &error));
  g_assert_cmpint (zg_users_create (ts->server, "neu@example.com", "Neu", "Person", NULL,
                                    ZG_ROLE_ADMINISTRATOR_ID, NULL, &error), >, 0);

  for (guint i = 0; i < G_N_ELEMENTS (emails); i++)
    {
      /* The deactivated account even with its correct password. */
      g_autoptr(ZgTestResponse) r = try_login (ts, emails[i],
                                               i == 2 ? USER_PASSWORD : "Falsch-Passwort-1");

      g_assert_cmpuint (r->status, ==, 401);
      if (reference == NULL)
        reference = g_strdup (r->text);
      g_assert_cmpstr (r->text, ==, reference);
    }

  for (guint i = 0; i < G_N_ELEMENTS (unknown_us); i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(ZgTestResponse) a = try_login (ts, "niemand@example.com", "Falsch-Passwort-1");
      gint64 t1 = g_get_monotonic_time ();
      g_autoptr(ZgTestResponse) b = try_login (ts, "weg@example.com", "Falsch-Passwort-1");
      gint64 t2 = g_get_monotonic_time ();

      unknown_us[i] = t1 - t0;
      wrong_us[i] = t2 - t1;
    }
  {
    gint64 mu = median (unknown_us, G_N_ELEMENTS (unknown_us));
    gint64 mw = median (wrong_us, G_N_ELEMENTS (wrong_us));
    double ratio = (double) mu / (double) mw;

    g_test_message ("median login time: unknown %" G_GINT64_FORMAT " µs, known %" G_GINT64_FORMAT
                    " µs, ratio %.2f", mu, mw, ratio);
    /* Both run one Argon2id verification (tens of ms); a missing dummy would be ~100x faster. */
    g_assert_cmpfloat (ratio, >, 0.5);
    g_assert_cmpfloat (ratio, <, 2.0);
  }
}

/* Per-IP rate limit on authentication endpoints (R-OPS-4). */
static void
test_rate_limit (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();

  zg_rate_limit_configure (ts->server, "auth", 3, 1);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(ZgTestResponse) r = try_login (ts, "niemand@example.com", "Falsch-Passwort-1");

      g_assert_cmpuint (r->status, ==, 401);
    }
  {
    g_autoptr(ZgTestResponse) r = try_login (ts, USER_EMAIL, USER_PASSWORD);
    const char *retry = soup_message_headers_get_one (r->headers, "Retry-After");

    g_assert_cmpuint (r->status, ==, 429);
    g_assert_cmpstr (zg_test_response_error (r), ==, "rate_limited");
    g_assert_nonnull (retry);
    g_assert_cmpint (g_ascii_strtoll (retry, NULL, 10), >=, 1);
  }
  /* Authenticated non-auth endpoints are not throttled by this bucket. */
  g_assert_cmpuint (me_status (ts, ts->admin_token), ==, 200);
}

static void
test_session_timeouts (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autofree char *token = NULL;
  g_autofree char *token2 = NULL;

  zg_test_create_user (ts, USER_EMAIL, USER_PASSWORD, ZG_ROLE_ADMINISTRATOR_ID);
  token = zg_test_login (ts, USER_EMAIL, USER_PASSWORD);
  zg_server_set_clock_offset (ts->server, 29 * 60);
  g_assert_cmpuint (me_status (ts, token), ==, 200);
  /* Idle: 30 minutes without a request. */
  zg_server_set_clock_offset (ts->server, 29 * 60 + 31 * 60);
  g_assert_cmpuint (me_status (ts, token), ==, 401);

  /* Absolute: 12 hours even when active all the time. */
  token2 = zg_test_login (ts, USER_EMAIL, USER_PASSWORD);
  /* Up to 20 minutes before the limit: the test itself takes real seconds (sanitizers). */
  for (gint64 minutes = 20; minutes <= 12 * 60 - 20; minutes += 20)
    {
      zg_server_set_clock_offset (ts->server, 60 * 60 + minutes * 60);
      g_assert_cmpuint (me_status (ts, token2), ==, 200);
    }
  zg_server_set_clock_offset (ts->server, 60 * 60 + 12 * 60 * 60 + 20 * 60);
  g_assert_cmpuint (me_status (ts, token2), ==, 401);
}

typedef struct
{
  gboolean  done;
  guint     status;
  gint64    finished_us;
} Async;

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Async *a = user_data;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  a->status = msg != NULL ? soup_message_get_status (msg) : 0;
  a->finished_us = g_get_monotonic_time ();
  a->done = TRUE;
}

static gboolean
accept_cb (SoupMessage     *msg,
           GTlsCertificate *cert,
           GTlsCertificateFlags errors,
           gpointer         user_data)
{
  return g_tls_certificate_is_same (cert, user_data);
}

static void
start_async (ZgTestServer *ts,
             SoupSession  *session,
             const char   *method,
             const char   *path,
             const char   *token,
             const char   *body,
             Async        *a)
{
  g_autofree char *url = g_strconcat (ts->client->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_cb), ts->client->expected_cert);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, async_done_cb, a);
}

/* Argon2id runs off the main loop: while 8 logins hash, /api/v1/me is still answered. */
static void
test_hashing_does_not_block (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 32,
                                                                  "max-conns-per-host", 32, NULL);
  g_autofree char *body = login_body (ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD);
  Async logins[8] = { { 0 } };
  Async me = { 0 };
  gint64 me_started, last_login = 0;
  gboolean all_done = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    start_async (ts, session, "POST", "/api/v1/auth/login", NULL, body, &logins[i]);
  /* Let the logins reach the server and start hashing. */
  zg_test_spin (30);
  me_started = g_get_monotonic_time ();
  start_async (ts, session, "GET", "/api/v1/me", ts->admin_token, NULL, &me);
  while (!all_done || !me.done)
    {
      g_main_context_iteration (NULL, TRUE);
      all_done = TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
        all_done = all_done && logins[i].done;
    }
  for (guint i = 0; i < G_N_ELEMENTS (logins); i++)
    {
      g_assert_cmpuint (logins[i].status, ==, 200);
      last_login = MAX (last_login, logins[i].finished_us);
    }
  g_assert_cmpuint (me.status, ==, 200);
  g_test_message ("/me answered after %" G_GINT64_FORMAT " µs; last login finished %" G_GINT64_FORMAT
                  " µs after /me started", me.finished_us - me_started, last_login - me_started);
  /* Eight hashes on a bounded pool take several hash times; /me must not wait for them. */
  g_assert_cmpint (me.finished_us, <, last_login);
}

/* A client that goes away while its password hashes must not upset the server. */
static void
test_client_gone_while_hashing (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *body = login_body (ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD);
  g_autofree char *url = g_strconcat (ts->client->base_url, "/api/v1/auth/login", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  gint64 before = zg_test_count_audit (ts, ZG_AUDIT_LOGIN_SUCCESS);
  gint64 deadline;
  Async a = { 0 };

  /* A bucket of one: once the server has taken the login, the bucket is empty. */
  zg_rate_limit_configure (ts->server, "auth", 1, 1);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_cb), ts->client->expected_cert);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancel, async_done_cb, &a);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (zg_rate_limit_retry_after (ts->server, "auth", "127.0.0.1") == 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (zg_rate_limit_retry_after (ts->server, "auth", "127.0.0.1"), >, 0);
  /* The hash is running now: drop the connection. */
  g_cancellable_cancel (cancel);
  soup_session_abort (session);
  while (!a.done)
    g_main_context_iteration (NULL, TRUE);
  /* Let the hash finish and the answer go nowhere. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (zg_test_count_audit (ts, ZG_AUDIT_LOGIN_SUCCESS) == before &&
         g_get_monotonic_time () < deadline)
    zg_test_spin (10);
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_LOGIN_SUCCESS), ==, before + 1);
  g_assert_cmpuint (me_status (ts, ts->admin_token), ==, 200);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Zeugnis/Server/Auth/login-logout-me", test_login_logout_me);
  g_test_add_func ("/Zeugnis/Server/Auth/R-AUDIT-3-lockout-after-five", test_lockout_after_five);
  g_test_add_func ("/Zeugnis/Server/Auth/R-USER-2-deactivation-ends-sessions", test_deactivation);
  g_test_add_func ("/Zeugnis/Server/Auth/last-admin-protected", test_last_admin);
  g_test_add_func ("/Zeugnis/Server/Auth/enumeration-safe", test_enumeration_safe);
  g_test_add_func ("/Zeugnis/Server/Auth/R-OPS-4-rate-limit", test_rate_limit);
  g_test_add_func ("/Zeugnis/Server/Auth/session-timeouts", test_session_timeouts);
  g_test_add_func ("/Zeugnis/Server/Auth/hashing-does-not-block", test_hashing_does_not_block);
  g_test_add_func ("/Zeugnis/Server/Auth/client-gone-while-hashing", test_client_gone_while_hashing);

  return g_test_run ();
}
