/* test-ui-offline.c — start-up with a stored session, in a real window under X and with a real
 * keyring (gnome-keyring in a private D-Bus session): the session token and the cache key come
 * from the keyring; an unreachable server opens the main window offline on the encrypted
 * cache; a session the server has ended brings back the login dialog with a message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "server-test-utils.h"
#include "test-session-utils.h"
#include "zg-application.h"
#include "zg-cache-reset-dialog.h"
#include "zg-certificate-pins.h"
#include "zg-login-dialog.h"
#include "zg-passphrase-dialog.h"
#include "zg-window.h"

#define USER_EMAIL    "erika.muster@example.com"
#define USER_PASSWORD "Wanderweg-Nord-31"

static char *screenshot_dir;

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

typedef gboolean (*Condition) (gpointer data);

static void
spin_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s", what);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
login_dialog_shown (gpointer data)
{
  return find_toplevel (ZG_TYPE_LOGIN_DIALOG) != NULL;
}

static gboolean
window_has_cache (gpointer data)
{
  return zg_window_get_cache (ZG_WINDOW (data)) != NULL;
}

static gboolean
reset_dialog_shown (gpointer data)
{
  GtkWindow *dialog = find_toplevel (ZG_TYPE_CACHE_RESET_DIALOG);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
certificate_page_shown (gpointer data)
{
  GtkStack *stack = GTK_STACK (data);

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "certificate") == 0
         && !gtk_stack_get_transition_running (stack);
}

static GtkWidget *
child (gpointer    widget,
       GType       type,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 0 && gtk_widget_get_height (GTK_WIDGET (data)) > 0;
}

static void
screenshot (gpointer    widget,
            const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int width;
  int height;

  spin_until (has_size, widget, "the window to get its size");
  spin (400);
  width = gtk_widget_get_width (GTK_WIDGET (widget));
  height = gtk_widget_get_height (GTK_WIDGET (widget));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (widget));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (screenshot_dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s (%d×%d)", path, width, height);
}

static ZgWindow *
start_app (ZgApplication **out_app)
{
  g_autoptr(GError) error = NULL;
  ZgApplication *app = zg_application_new (G_APPLICATION_NON_UNIQUE);
  g_autofree char *app_id = NULL;
  static guint starts;
  GtkWindow *window;

  /* Three starts in one process share the session bus; each exports its own object path. */
  app_id = g_strdup_printf ("de.zeugnis.Zeugnis.Start%u", ++starts);
  g_application_set_application_id (G_APPLICATION (app), app_id);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (ZG_IS_WINDOW (window));
  *out_app = app;
  return ZG_WINDOW (window);
}

static void
stop_app (ZgApplication *app,
          ZgWindow      *window)
{
  GtkWindow *dialog = find_toplevel (ZG_TYPE_LOGIN_DIALOG);

  if (dialog != NULL)
    gtk_window_destroy (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
  spin (200);
  g_object_unref (app);
}

static void
test_offline_start_and_expired_session (void)
{
  g_autoptr(ZgTestServer) ts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *cert_path = zg_test_build_filename ("test-cert.pem");
  g_autofree char *key_path = zg_test_build_filename ("test-key.pem");
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(ZgServer) restarted = NULL;
  g_autoptr(ZgTestClient) client = NULL;
  g_autoptr(ZgTestResponse) resp = NULL;
  g_autofree char *token = NULL;
  ZgApplication *app = NULL;
  ZgWindow *window;
  GtkWindow *dialog;
  GtkWindow *reset_dialog;
  g_autofree char *cache_path = NULL;
  g_autofree char *damaged = NULL;
  gsize length = 0;
  guint16 port = 0;

  if (g_getenv ("DISPLAY") == NULL || *g_getenv ("DISPLAY") == '\0')
    {
      g_test_skip ("no X display (DISPLAY unset); scripts/test.sh runs this under Xvfb");
      return;
    }

  ts = zg_test_server_new ();
  zg_test_create_user (ts, USER_EMAIL, USER_PASSWORD, ZG_ROLE_ADMINISTRATOR_ID);
  server = g_strdup_printf ("127.0.0.1:%u", ts->port);

  /* 1. First start: sign in; the keyring keeps the token and the cache key. */
  window = start_app (&app);
  spin_until (login_dialog_shown, NULL, "the login dialog");
  dialog = find_toplevel (ZG_TYPE_LOGIN_DIALOG);
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, ZG_TYPE_LOGIN_DIALOG, "server_row")), server);
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, ZG_TYPE_LOGIN_DIALOG, "email_row")),
                         USER_EMAIL);
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, ZG_TYPE_LOGIN_DIALOG, "password_row")),
                         USER_PASSWORD);
  gtk_widget_activate (child (dialog, ZG_TYPE_LOGIN_DIALOG, "sign_in_button"));
  spin_until (certificate_page_shown, child (dialog, ZG_TYPE_LOGIN_DIALOG, "stack"),
              "the certificate page");
  gtk_widget_activate (child (dialog, ZG_TYPE_LOGIN_DIALOG, "trust_button"));
  spin_until (window_has_cache, window, "the offline cache (keyring key)");
  /* The keyring holds the cache key: no passphrase dialog was needed. */
  g_assert_null (find_toplevel (ZG_TYPE_PASSPHRASE_DIALOG));
  g_assert_true (zg_window_get_online (window));
  token = g_strdup (zg_session_get_token (zg_window_get_session (window)));
  spin (500);   /* the token is stored asynchronously */
  stop_app (app, window);

  /* 2. The server is down: the next start opens the main window offline. */
  zg_server_shutdown (ts->server);
  zg_test_spin (50);
  g_clear_object (&ts->server);

  window = start_app (&app);
  spin_until (window_has_cache, window, "the offline cache at an offline start");
  g_assert_false (zg_window_get_online (window));
  g_assert_null (find_toplevel (ZG_TYPE_LOGIN_DIALOG));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (window, ZG_TYPE_WINDOW,
                                                         "status_label"))), ==, _("Offline"));
  screenshot (window, "main-window-offline.png");
  cache_path = g_strdup (zg_cache_get_path (zg_window_get_cache (window)));
  stop_app (app, window);

  /* 2b. A damaged cache file at start: the window offers the reset instead of a dead end;
   * the damaged file is set aside (never deleted) and a fresh cache takes its place. */
  g_assert_true (g_file_get_contents (cache_path, &damaged, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 8192);
  for (gsize i = length / 2; i < length / 2 + 64; i++)
    damaged[i] ^= 0x5a;
  g_assert_true (g_file_set_contents (cache_path, damaged, (gssize) length, &error));
  g_assert_no_error (error);
  window = start_app (&app);
  spin_until (reset_dialog_shown, NULL, "the cache reset dialog");
  reset_dialog = find_toplevel (ZG_TYPE_CACHE_RESET_DIALOG);
  g_assert_null (zg_window_get_cache (window));
  screenshot (reset_dialog, "window-cache-reset.png");
  gtk_widget_activate (child (reset_dialog, ZG_TYPE_CACHE_RESET_DIALOG, "reset_button"));
  spin_until (window_has_cache, window, "a fresh cache after the reset");
  g_assert_cmpstr (zg_cache_get_path (zg_window_get_cache (window)), ==, cache_path);
  g_assert_cmpint (zg_cache_count_records (zg_window_get_cache (window), "certificate", &error),
                   ==, 0);
  g_assert_no_error (error);
  reset_dialog = find_toplevel (ZG_TYPE_CACHE_RESET_DIALOG);
  if (reset_dialog != NULL)
    gtk_window_destroy (reset_dialog);
  stop_app (app, window);

  /* 3. The server is back but has ended the session: login dialog with the reason. */
  restarted = zg_server_new (ts->data_dir, &error);
  g_assert_no_error (error);
  cert = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  g_assert_true (zg_server_listen (restarted, "127.0.0.1", ts->port, cert, &port, &error));
  g_assert_no_error (error);
  client = zg_test_client_new (ts->client->base_url, cert);
  resp = zg_test_client_request (client, "POST", "/api/v1/auth/logout", token, NULL, NULL, 0);
  g_assert_cmpuint (resp->status, ==, 204);

  window = start_app (&app);
  spin_until (login_dialog_shown, NULL, "the login dialog after the session ended");
  dialog = find_toplevel (ZG_TYPE_LOGIN_DIALOG);
  g_assert_true (gtk_widget_get_visible (child (dialog, ZG_TYPE_LOGIN_DIALOG, "error_label")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (dialog, ZG_TYPE_LOGIN_DIALOG,
                                                         "error_label"))), ==,
                   _("Your session has ended. Please sign in again."));
  /* Server and e-mail are remembered; only the password is asked again. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, ZG_TYPE_LOGIN_DIALOG,
                                                               "email_row"))), ==, USER_EMAIL);
  screenshot (dialog, "login-session-ended.png");
  stop_app (app, window);

  zg_server_shutdown (restarted);
  zg_test_spin (50);
}

static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
        message = fields[i].value;
    }
  /* GTK 4.8 without a window manager (Xvfb) warns when focus moves between windows. */
  if (g_strcmp0 (domain, "Gtk") == 0 && message != NULL
      && strstr (message, "did not receive a focus-out event") != NULL)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;
  g_autofree char *config = NULL;
  int status;

  g_log_set_writer_func (log_writer_cb, NULL, NULL);

  /* run-with-keyring.sh clears DISPLAY; meson passes it on as ZG_TEST_DISPLAY. */
  if ((g_getenv ("DISPLAY") == NULL || *g_getenv ("DISPLAY") == '\0')
      && g_getenv ("ZG_TEST_DISPLAY") != NULL)
    g_setenv ("DISPLAY", g_getenv ("ZG_TEST_DISPLAY"), TRUE);

  g_setenv ("LANGUAGE", "de", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  if (g_getenv ("ZG_TEST_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ZG_TEST_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* HOME and XDG_DATA_HOME are the wrapper's throw-away folders (the keyring lives there). */
  home = g_dir_make_tmp ("zeugnis-ui-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (home, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_init (&argc, &argv, NULL);
  screenshot_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL
                                     ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                     "client-screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (screenshot_dir, 0755), ==, 0);

  g_test_add_func ("/Zeugnis/Client/UI/offline-start-and-expired-session",
                   test_offline_start_and_expired_session);
  status = g_test_run ();

  zg_session_test_remove_tree (home);
  g_free (screenshot_dir);
  return status;
}
