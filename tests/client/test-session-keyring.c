/* test-session-keyring.c — the session token in a real Secret Service (gnome-keyring in a
 * private D-Bus session, see run-with-keyring.sh), after a real login
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "server-test-utils.h"
#include "test-session-utils.h"
#include "zg-session.h"
#include "zg-session-store.h"

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
bool_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;

  if (g_task_get_source_tag (G_TASK (result)) == zg_session_store_save_async)
    r->ok = zg_session_store_save_finish (result, &r->error);
  else
    r->ok = zg_session_store_clear_finish (result, &r->error);
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

static char *
lookup (const char *server,
        const char *user)
{
  Result r = { 0 };
  char *token;

  zg_session_store_lookup_async (server, user, NULL, lookup_cb, &r);
  zg_session_test_wait (&r.done);
  g_assert_no_error (r.error);
  token = g_steal_pointer (&r.token);
  result_clear (&r);
  return token;
}

/* Log in, store the token, find it again under the normalised account, resume with it,
 * and check that it is nowhere on disk in plain text. */
static void
test_token_in_keyring (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  g_autoptr(ZgSession) session = NULL;
  g_autoptr(ZgSession) resumed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zeugnis-session-XXXXXX", &error);
  g_autofree char *pins = g_build_filename (dir, "pins", NULL);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", ts->port);
  g_autofree char *found = NULL;
  g_autofree char *other = NULL;
  g_autofree char *after_clear = NULL;
  g_autofree char *token = NULL;
  Result r = { 0 };

  g_assert_no_error (error);
  session = zg_session_new (url, pins, &error);
  g_assert_no_error (error);
  zg_session_login_async (session, ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD, NULL, login_cb,
                          &r);
  zg_session_test_wait (&r.done);
  g_assert_error (r.error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_CERTIFICATE_UNTRUSTED);
  g_assert_true (zg_session_trust_certificate (session,
                                               zg_session_get_presented_fingerprint (session),
                                               &error));
  result_clear (&r);
  zg_session_login_async (session, ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD, NULL, login_cb,
                          &r);
  zg_session_test_wait (&r.done);
  g_assert_no_error (r.error);
  result_clear (&r);
  token = g_strdup (zg_session_get_token (session));

  zg_session_store_save_async (zg_session_get_server_url (session), ZG_TEST_ADMIN_EMAIL, token,
                               NULL, bool_cb, &r);
  zg_session_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  result_clear (&r);

  /* Attributes are normalised: another spelling of the same account finds it. */
  found = lookup (url, "  Admin@EXAMPLE.com ");
  g_assert_cmpstr (found, ==, token);
  other = lookup (url, "someone@example.com");
  g_assert_null (other);

  /* Encrypted by the keyring: the token is in no file under HOME or the data folder. */
  g_assert_false (zg_session_test_tree_contains (g_get_home_dir (), token));
  g_assert_false (zg_session_test_tree_contains (g_get_user_data_dir (), token));
  g_assert_false (zg_session_test_tree_contains (dir, token));

  resumed = zg_session_new (url, pins, &error);
  zg_session_resume_async (resumed, ZG_TEST_ADMIN_EMAIL, found, NULL, resume_cb, &r);
  zg_session_test_wait (&r.done);
  g_assert_no_error (r.error);
  g_assert_true (zg_session_is_signed_in (resumed));
  result_clear (&r);

  zg_session_store_clear_async (url, ZG_TEST_ADMIN_EMAIL, NULL, bool_cb, &r);
  zg_session_test_wait (&r.done);
  g_assert_no_error (r.error);
  result_clear (&r);
  after_clear = lookup (url, ZG_TEST_ADMIN_EMAIL);
  g_assert_null (after_clear);

  zg_session_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Zeugnis/Client/Session/token-in-real-keyring", test_token_in_keyring);
  return g_test_run ();
}
