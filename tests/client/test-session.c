/* test-session.c — signing in against the real server: certificate confirmation and pinning,
 * error mapping, expired sessions, logout (no display, no session bus)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "server-test-utils.h"
#include "test-session-utils.h"
#include "zg-certificate-pins.h"
#include "zg-session.h"
#include "zg-session-store.h"

typedef struct
{
  ZgTestServer *ts;
  char         *dir;
  char         *pins_path;
  char         *url;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->ts = zg_test_server_new ();
  f->dir = g_dir_make_tmp ("zeugnis-session-XXXXXX", &error);
  g_assert_no_error (error);
  f->pins_path = g_build_filename (f->dir, "config", "zeugnis", "pinned-certificates", NULL);
  f->url = g_strdup_printf ("127.0.0.1:%u", f->ts->port);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  zg_test_server_free (f->ts);
  zg_session_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->pins_path);
  g_free (f->url);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  char     *token;
} Result;

static void
result_clear (Result *r)
{
  g_clear_error (&r->error);
  g_clear_pointer (&r->token, g_free);
  r->done = FALSE;
  r->ok = FALSE;
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *r = user_data;

  r->ok = zg_session_login_finish (ZG_SESSION (source), result, &r->error);
  r->done = TRUE;
}

static void
resume_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *r = user_data;

  r->ok = zg_session_resume_finish (ZG_SESSION (source), result, &r->error);
  r->done = TRUE;
}

static void
logout_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *r = user_data;

  r->ok = zg_session_logout_finish (ZG_SESSION (source), result, &r->error);
  r->done = TRUE;
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *r = user_data;

  r->ok = zg_session_store_save_finish (result, &r->error);
  r->done = TRUE;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *r = user_data;

  r->token = zg_session_store_lookup_finish (result, &r->error);
  r->ok = r->error == NULL;
  r->done = TRUE;
}

static void
login (ZgSession  *session,
       const char *email,
       const char *password,
       Result     *r)
{
  result_clear (r);
  zg_session_login_async (session, email, password, NULL, login_cb, r);
  zg_session_test_wait (&r->done);
}

static ZgSession *
new_session (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  ZgSession *session = zg_session_new (f->url, f->pins_path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

static ZgSession *
pinned_session (Fixture *f)
{
  ZgSession *session = new_session (f);
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  login (session, ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD, &r);
  g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_CERTIFICATE_UNTRUSTED);
  g_assert_true (zg_session_trust_certificate (session,
                                               zg_session_get_presented_fingerprint (session),
                                               &error));
  g_assert_no_error (error);
  result_clear (&r);
  return session;
}

/* A self-signed certificate is never silently trusted: the login stops before the password
 * is sent, and the fingerprint shown is the one openssl computes. */
static void
test_untrusted_needs_confirmation (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(ZgSession) session = new_session (f);
  g_autofree char *cert_path = zg_test_build_filename ("test-cert.pem");
  g_autofree char *expected = zg_session_test_openssl_fingerprint (cert_path);
  gint64 logins_before = zg_test_count_audit (f->ts, "login_success");
  gint64 failures_before = zg_test_count_audit (f->ts, "login_failed");
  Result r = { 0 };

  login (session, ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD, &r);
  g_assert_false (r.ok);
  g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_CERTIFICATE_UNTRUSTED);
  g_assert_cmpstr (zg_session_get_presented_fingerprint (session), ==, expected);
  g_assert_null (zg_session_get_pinned_fingerprint (session));
  g_assert_false (zg_session_is_signed_in (session));
  g_assert_null (zg_session_get_token (session));
  /* The request never reached the server. */
  g_assert_cmpint (zg_test_count_audit (f->ts, "login_success"), ==, logins_before);
  g_assert_cmpint (zg_test_count_audit (f->ts, "login_failed"), ==, failures_before);
  g_assert_false (g_file_test (f->pins_path, G_FILE_TEST_EXISTS));
  result_clear (&r);
}

static void
test_pinned_signs_in (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(ZgSession) session = pinned_session (f);
  g_autoptr(ZgSession) again = NULL;
  g_autoptr(ZgSession) resumed = NULL;
  g_autofree char *cert_path = zg_test_build_filename ("test-cert.pem");
  g_autofree char *expected = zg_session_test_openssl_fingerprint (cert_path);
  g_autofree char *stored = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  stored = zg_certificate_pins_lookup (f->pins_path, zg_session_get_pin_key (session), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, expected);

  login (session, ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_true (zg_session_is_signed_in (session));
  g_assert_nonnull (zg_session_get_token (session));
  g_assert_cmpuint (strlen (zg_session_get_token (session)), >=, 22);
  g_assert_cmpstr (json_object_get_string_member (zg_session_get_user (session), "email"), ==,
                   ZG_TEST_ADMIN_EMAIL);
  name = zg_session_dup_display_name (session);
  g_assert_cmpstr (name, ==, "Test Person");

  /* A later start: a new session object with the same pin file needs no confirmation. */
  again = new_session (f);
  login (again, " ADMIN@example.com ", ZG_TEST_ADMIN_PASSWORD, &r);
  g_assert_no_error (r.error);
  g_assert_true (zg_session_is_signed_in (again));
  g_assert_cmpstr (zg_session_get_token (again), !=, zg_session_get_token (session));

  /* The stored token resumes the session (GET /api/v1/me). */
  resumed = new_session (f);
  result_clear (&r);
  zg_session_resume_async (resumed, ZG_TEST_ADMIN_EMAIL, zg_session_get_token (session), NULL,
                           resume_cb, &r);
  zg_session_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_true (zg_session_is_signed_in (resumed));
  result_clear (&r);
}

/* The same host and port now presents another certificate: refused, the pin stays. */
static void
test_changed_certificate_refused (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(ZgSession) session = pinned_session (f);
  g_autoptr(ZgServer) other = NULL;
  g_autoptr(GTlsCertificate) other_cert = NULL;
  g_autofree char *cert_path = zg_test_build_filename ("test-cert.pem");
  g_autofree char *pinned = zg_session_test_openssl_fingerprint (cert_path);
  g_autofree char *other_cert_path = NULL;
  g_autofree char *other_key_path = NULL;
  g_autofree char *other_fp = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port = 0;
  Result r = { 0 };

  if (!zg_session_test_make_certificate (f->dir, &other_cert_path, &other_key_path))
    {
      g_test_skip ("openssl could not create a second certificate");
      return;
    }
  other_fp = zg_session_test_openssl_fingerprint (other_cert_path);
  g_assert_cmpstr (other_fp, !=, pinned);

  /* Replace the server on the same port by one with the other certificate. */
  zg_server_shutdown (f->ts->server);
  zg_test_spin (50);
  g_clear_object (&f->ts->server);
  other = zg_server_new (f->ts->data_dir, &error);
  g_assert_no_error (error);
  other_cert = g_tls_certificate_new_from_files (other_cert_path, other_key_path, &error);
  g_assert_no_error (error);
  g_assert_true (zg_server_listen (other, "127.0.0.1", f->ts->port, other_cert, &port, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (port, ==, f->ts->port);

  login (session, ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD, &r);
  g_assert_false (r.ok);
  g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_CERTIFICATE_CHANGED);
  g_assert_cmpstr (zg_session_get_presented_fingerprint (session), ==, other_fp);
  g_assert_cmpstr (zg_session_get_pinned_fingerprint (session), ==, pinned);
  g_assert_false (zg_session_is_signed_in (session));
  stored = zg_certificate_pins_lookup (f->pins_path, zg_session_get_pin_key (session), &error);
  g_assert_cmpstr (stored, ==, pinned);

  /* Only an explicit "forget" followed by a new confirmation accepts the new one. */
  g_assert_true (zg_session_forget_certificate (session, &error));
  g_assert_no_error (error);
  login (session, ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD, &r);
  g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_CERTIFICATE_UNTRUSTED);
  g_assert_cmpstr (zg_session_get_presented_fingerprint (session), ==, other_fp);
  result_clear (&r);

  zg_server_shutdown (other);
  zg_test_spin (50);
}

static void
test_invalid_credentials (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(ZgSession) session = pinned_session (f);
  Result r = { 0 };

  login (session, ZG_TEST_ADMIN_EMAIL, "Wrong-Password-1", &r);
  g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_INVALID_CREDENTIALS);
  g_assert_false (zg_session_is_signed_in (session));
  login (session, "nobody@example.com", "Wrong-Password-1", &r);
  g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_INVALID_CREDENTIALS);
  result_clear (&r);
}

/* R-AUDIT-3: after five wrong passwords even the right one meets account_locked. */
static void
test_account_locked (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(ZgSession) session = pinned_session (f);
  Result r = { 0 };

  zg_test_create_user (f->ts, "eva@example.com", "Richtig-Passwort-9", ZG_ROLE_ADMINISTRATOR_ID);
  for (int i = 0; i < 5; i++)
    {
      login (session, "eva@example.com", "Falsch-Passwort-9", &r);
      g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_INVALID_CREDENTIALS);
    }
  login (session, "eva@example.com", "Richtig-Passwort-9", &r);
  g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_ACCOUNT_LOCKED);
  g_assert_false (zg_session_is_signed_in (session));
  result_clear (&r);
}

static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ZgSession) session = pinned_session (f);
  Result r = { 0 };
  gboolean limited = FALSE;

  zg_rate_limit_configure (f->ts->server, "auth", 2, 1);
  for (int i = 0; i < 6 && !limited; i++)
    {
      login (session, ZG_TEST_ADMIN_EMAIL, "Wrong-Password-1", &r);
      limited = g_error_matches (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_RATE_LIMITED);
    }
  g_assert_true (limited);
  /* Retry-After from the server, shown to the user. */
  g_assert_cmpuint (zg_session_get_retry_after (session), >, 0);
  g_assert_cmpuint (zg_session_get_retry_after (session), <=, 120);
  g_assert_nonnull (strstr (r.error->message, "second"));
  result_clear (&r);
}

/* A token the server no longer knows (logged out, expired) answers EXPIRED. */
static void
test_expired_and_logout (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(ZgSession) session = pinned_session (f);
  g_autoptr(ZgSession) resumed = new_session (f);
  g_autofree char *token = NULL;
  Result r = { 0 };

  login (session, ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD, &r);
  g_assert_no_error (r.error);
  token = g_strdup (zg_session_get_token (session));

  result_clear (&r);
  zg_session_logout_async (session, NULL, logout_cb, &r);
  zg_session_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_false (zg_session_is_signed_in (session));
  g_assert_null (zg_session_get_token (session));
  g_assert_cmpint (zg_test_count_audit (f->ts, "logout"), ==, 1);

  result_clear (&r);
  zg_session_resume_async (resumed, ZG_TEST_ADMIN_EMAIL, token, NULL, resume_cb, &r);
  zg_session_test_wait (&r.done);
  g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_EXPIRED);
  g_assert_false (zg_session_is_signed_in (resumed));
  g_assert_null (zg_session_get_token (resumed));

  result_clear (&r);
  zg_session_resume_async (resumed, ZG_TEST_ADMIN_EMAIL, "not-a-token", NULL, resume_cb, &r);
  zg_session_test_wait (&r.done);
  g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_EXPIRED);
  result_clear (&r);
}

/* Nothing listens: a network error, so the app can open offline. The token is kept. */
static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(ZgSession) session = NULL;
  g_autoptr(GSocketListener) probe = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;
  Result r = { 0 };

  /* A port that was free a moment ago and has no listener now. */
  port = g_socket_listener_add_any_inet_port (probe, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (probe);
  url = g_strdup_printf ("https://127.0.0.1:%u", port);
  session = zg_session_new (url, f->pins_path, &error);
  g_assert_no_error (error);

  zg_session_resume_async (session, ZG_TEST_ADMIN_EMAIL, "kept-token", NULL, resume_cb, &r);
  zg_session_test_wait (&r.done);
  g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_NETWORK);
  g_assert_cmpstr (zg_session_get_token (session), ==, "kept-token");
  g_assert_false (zg_session_is_signed_in (session));
  result_clear (&r);
}

static void
odd_server_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  const char *body = user_data;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

/* Something else answers on the address: wrong types or HTML give a clear SERVER error. */
static void
test_not_a_zeugnis_server (void)
{
  static const char *answers[] = {
    "{\"token\": 5, \"user\": \"admin\"}",
    "{\"token\": \"abc\", \"user\": [1, 2]}",
    "<html><body>Welcome to nginx!</body></html>",
    "[\"token\"]",
    "",
  };
  g_autofree char *cert_path = zg_test_build_filename ("test-cert.pem");
  g_autofree char *key_path = zg_test_build_filename ("test-key.pem");
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zeugnis-session-XXXXXX", &error);
  g_autofree char *pins = g_build_filename (dir, "pins", NULL);

  cert = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(SoupServer) server = soup_server_new ("tls-certificate", cert, NULL);
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) bind_address = g_inet_socket_address_new (loopback, 0);
      g_autoptr(ZgSession) session = NULL;
      g_autoptr(GSocketAddress) address = NULL;
      g_autofree char *url = NULL;
      GSList *listeners;
      Result r = { 0 };

      soup_server_add_handler (server, NULL, odd_server_cb, (gpointer) answers[i], NULL);
      g_assert_true (soup_server_listen (server, bind_address, SOUP_SERVER_LISTEN_HTTPS, &error));
      g_assert_no_error (error);
      /* Port from the listener: soup_server_get_uris() leaks in libsoup 3.2. */
      listeners = soup_server_get_listeners (server);
      address = g_socket_get_local_address (listeners->data, &error);
      g_assert_no_error (error);
      url = g_strdup_printf ("https://127.0.0.1:%u",
                             g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
      g_slist_free (listeners);

      session = zg_session_new (url, pins, &error);
      g_assert_no_error (error);
      login (session, ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD, &r);
      g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_CERTIFICATE_UNTRUSTED);
      g_assert_true (zg_session_trust_certificate (session,
                                                   zg_session_get_presented_fingerprint (session),
                                                   &error));
      login (session, ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD, &r);
      g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_SERVER);
      g_assert_false (zg_session_is_signed_in (session));
      result_clear (&r);

      zg_session_resume_async (session, ZG_TEST_ADMIN_EMAIL, "token", NULL, resume_cb, &r);
      zg_session_test_wait (&r.done);
      g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_SERVER);
      result_clear (&r);
      soup_server_disconnect (server);
    }
  zg_session_test_remove_tree (dir);
}

static void
test_addresses (void)
{
  static const struct { const char *in; const char *url; const char *pin; } good[] = {
    { "zeugnis.example.org", "https://zeugnis.example.org", "zeugnis.example.org:443" },
    { " HTTPS://Zeugnis.Example.org:443/ ", "https://zeugnis.example.org",
      "zeugnis.example.org:443" },
    { "zeugnis.example.org:8443", "https://zeugnis.example.org:8443",
      "zeugnis.example.org:8443" },
    { "https://[::1]:9000", "https://[::1]:9000", "[::1]:9000" },
  };
  static const char *bad[] = {
    "", "   ", "http://zeugnis.example.org", "ftp://x", "https://", "https://host/path",
    "https://user@host", "https://host?x=1", "zeugnis example",
  };
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(ZgSession) s = zg_session_new (good[i].in, "/nonexistent/pins", &error);

      g_assert_no_error (error);
      g_assert_cmpstr (zg_session_get_server_url (s), ==, good[i].url);
      g_assert_cmpstr (zg_session_get_pin_key (s), ==, good[i].pin);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(ZgSession) s = zg_session_new (bad[i], "/nonexistent/pins", &error);

      if (s != NULL)
        g_error ("“%s” accepted as %s", bad[i], zg_session_get_server_url (s));
      g_assert_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_INVALID_ADDRESS);
      g_clear_error (&error);
    }
}

/* With no Secret Service the token cannot be stored: the caller keeps it in memory only. */
static void
test_no_keyring (void)
{
  Result r = { 0 };

  zg_session_store_save_async ("https://127.0.0.1:1", "a@example.com", "secret-token", NULL,
                               store_cb, &r);
  zg_session_test_wait (&r.done);
  g_assert_false (r.ok);
  g_assert_nonnull (r.error);
  result_clear (&r);

  zg_session_store_lookup_async ("https://127.0.0.1:1", "a@example.com", NULL, lookup_cb, &r);
  zg_session_test_wait (&r.done);
  g_assert_null (r.token);
  result_clear (&r);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add ("/Zeugnis/Client/Session/" path, Fixture, NULL, fixture_set_up, fn, \
              fixture_tear_down)
  ADD ("untrusted-certificate-needs-confirmation", test_untrusted_needs_confirmation);
  ADD ("pinned-certificate-signs-in", test_pinned_signs_in);
  ADD ("changed-certificate-refused", test_changed_certificate_refused);
  ADD ("invalid-credentials", test_invalid_credentials);
  ADD ("R-AUDIT-3-account-locked", test_account_locked);
  ADD ("R-OPS-4-rate-limited-retry-after", test_rate_limited);
  ADD ("expired-session-and-logout", test_expired_and_logout);
  ADD ("unreachable-server-keeps-token", test_unreachable);
#undef ADD
  g_test_add_func ("/Zeugnis/Client/Session/server-addresses", test_addresses);
  g_test_add_func ("/Zeugnis/Client/Session/not-a-zeugnis-server", test_not_a_zeugnis_server);
  g_test_add_func ("/Zeugnis/Client/Session/no-keyring-memory-only", test_no_keyring);

  return g_test_run ();
}
