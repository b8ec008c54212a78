/* test-ui-login.c — the real application window under X (Xvfb in scripts/test.sh): sign in
 * against the real server through the login dialog, confirm the certificate, unlock the
 * offline data with a passphrase (no keyring here), reach the main window, sign out.
 * Screenshots of every step go to the build folder (tests/client-screenshots/).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "server-test-utils.h"
#include "test-session-utils.h"
#include "zg-application.h"
#include "zg-certificate-pins.h"
#include "zg-login-dialog.h"
#include "zg-passphrase-dialog.h"
#include "zg-window.h"

/* A long but valid address: the form must not grow wider than the dialog. */
#define LONG_EMAIL "maximiliane.mueller-luedenscheidt@personalabteilung.example-konzern.de"
#define LONG_PASSWORD "Personal-Abteilung-2026"

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

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window))
          && gtk_widget_get_mapped (GTK_WIDGET (window)))
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
passphrase_dialog_shown (gpointer data)
{
  return find_toplevel (ZG_TYPE_PASSPHRASE_DIALOG) != NULL;
}

static gboolean
stack_shows (gpointer data)
{
  GtkStack *stack = ((gpointer *) data)[0];
  const char *name = ((gpointer *) data)[1];

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), name) == 0
         && !gtk_stack_get_transition_running (stack);
}

static gboolean
label_visible (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (data));
}

static gboolean
window_has_cache (gpointer data)
{
  return zg_window_get_cache (ZG_WINDOW (data)) != NULL;
}

static gboolean
logout_audited (gpointer data)
{
  return zg_test_count_audit (data, "logout") > 0;
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

static void
wait_for_stack (GtkStack   *stack,
                const char *name)
{
  gpointer data[2] = { stack, (gpointer) name };

  spin_until (stack_shows, data, name);
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 0 && gtk_widget_get_height (GTK_WIDGET (data)) > 0;
}

/* Renders the window the way GTK draws it and saves a PNG. */
static void
screenshot (gpointer    widget,
            const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width;
  int height;

  spin_until (has_size, widget, "the window to get its size");
  spin (400);
  width = gtk_widget_get_width (GTK_WIDGET (widget));
  height = gtk_widget_get_height (GTK_WIDGET (widget));
  g_assert_cmpint (width, >, 0);
  paintable = gtk_widget_paintable_new (GTK_WIDGET (widget));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (screenshot_dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s (%d×%d)", path, width, height);
}

static void
set_text (gpointer    widget,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (widget, G_OBJECT_TYPE (widget), name)), text);
}

static void
test_sign_in_to_main_window (void)
{
  g_autoptr(ZgTestServer) ts = NULL;
  g_autoptr(ZgApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *server = NULL;
  g_autofree char *cert_path = zg_test_build_filename ("test-cert.pem");
  g_autofree char *expected_fp = zg_session_test_openssl_fingerprint (cert_path);
  g_autofree char *pins_path = NULL;
  g_autofree char *pinned = NULL;
  g_autofree char *server_setting = NULL;
  g_autofree char *cache_path = NULL;
  GtkWindow *dialog;
  GtkWindow *passphrase;
  ZgWindow *window;
  const char *shown_fp;
  g_autofree char *shown_compact = NULL;

  if (g_getenv ("DISPLAY") == NULL || *g_getenv ("DISPLAY") == '\0')
    {
      g_test_skip ("no X display (DISPLAY unset); scripts/test.sh runs this under Xvfb");
      return;
    }

  ts = zg_test_server_new ();
  zg_test_create_user (ts, LONG_EMAIL, LONG_PASSWORD, ZG_ROLE_ADMINISTRATOR_ID);
  server = g_strdup_printf ("127.0.0.1:%u", ts->port);

  app = zg_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  /* First start: nothing stored, so the login dialog opens over the main window. */
  spin_until (login_dialog_shown, NULL, "the login dialog");
  dialog = find_toplevel (ZG_TYPE_LOGIN_DIALOG);
  window = ZG_WINDOW (gtk_window_get_transient_for (dialog));
  g_assert_true (ZG_IS_WINDOW (window));
  screenshot (dialog, "login-empty.png");

  set_text (dialog, "server_row", server);
  set_text (dialog, "email_row", LONG_EMAIL);
  set_text (dialog, "password_row", "Falsches-Passwort-1");
  gtk_widget_activate (child (dialog, ZG_TYPE_LOGIN_DIALOG, "sign_in_button"));

  /* The self-signed test certificate: the dialog shows openssl's fingerprint and waits. */
  wait_for_stack (GTK_STACK (child (dialog, ZG_TYPE_LOGIN_DIALOG, "stack")), "certificate");
  shown_fp = gtk_label_get_text (GTK_LABEL (child (dialog, ZG_TYPE_LOGIN_DIALOG,
                                                   "fingerprint_label")));
  shown_compact = g_strdelimit (g_strdup (shown_fp), "\n", ':');
  g_assert_cmpstr (shown_compact, ==, expected_fp);
  pins_path = zg_certificate_pins_default_path ();
  g_assert_false (g_file_test (pins_path, G_FILE_TEST_EXISTS));
  screenshot (dialog, "login-certificate.png");

  gtk_widget_activate (child (dialog, ZG_TYPE_LOGIN_DIALOG, "trust_button"));
  /* Wrong password: the error is shown in the form, the password is cleared. */
  spin_until (label_visible, child (dialog, ZG_TYPE_LOGIN_DIALOG, "error_label"),
              "the error message");
  wait_for_stack (GTK_STACK (child (dialog, ZG_TYPE_LOGIN_DIALOG, "stack")), "form");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, ZG_TYPE_LOGIN_DIALOG,
                                                               "password_row"))), ==, "");
  g_assert_cmpint (zg_test_count_audit (ts, "login_failed"), ==, 1);
  screenshot (dialog, "login-error.png");
  pinned = zg_certificate_pins_lookup (pins_path, server, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pinned, ==, expected_fp);

  set_text (dialog, "password_row", LONG_PASSWORD);
  gtk_widget_activate (child (dialog, ZG_TYPE_LOGIN_DIALOG, "sign_in_button"));

  /* No Secret Service in this test: the offline data asks for a passphrase. */
  spin_until (passphrase_dialog_shown, NULL, "the passphrase dialog");
  g_assert_null (find_toplevel (ZG_TYPE_LOGIN_DIALOG));
  passphrase = find_toplevel (ZG_TYPE_PASSPHRASE_DIALOG);
  screenshot (passphrase, "passphrase-create.png");
  set_text (passphrase, "passphrase_row", "Offline-Daten-2026");
  set_text (passphrase, "confirm_row", "Offline-Daten-2026");
  gtk_widget_activate (child (passphrase, ZG_TYPE_PASSPHRASE_DIALOG, "unlock_button"));
  spin_until (window_has_cache, window, "the offline cache");

  cache_path = zg_cache_path_for (NULL, ts->client->base_url, LONG_EMAIL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (cache_path, G_FILE_TEST_EXISTS));
  g_assert_true (zg_window_get_online (window));
  g_assert_true (zg_session_is_signed_in (zg_window_get_session (window)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (window, ZG_TYPE_WINDOW,
                                                         "status_label"))), ==, _("Online"));
  wait_for_stack (GTK_STACK (child (window, ZG_TYPE_WINDOW, "stack")), "certificates");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), >=, 1024);
  /* Ctrl+? opens the shortcuts window loaded from the resources. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), >=, 700);
  settings = g_settings_new ("de.zeugnis.Zeugnis");
  server_setting = g_settings_get_string (settings, "last-server");
  g_assert_cmpstr (server_setting, ==, ts->client->base_url);
  screenshot (window, "main-window-empty.png");
  /* Dark style as the desktop would request it through AdwStyleManager. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (adw_style_manager_get_default ()));
  screenshot (window, "main-window-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Sign out: the session ends on the server and the login dialog comes back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  spin_until (login_dialog_shown, NULL, "the login dialog after signing out");
  g_assert_null (zg_window_get_session (window));
  g_assert_null (zg_window_get_cache (window));
  spin_until (logout_audited, ts, "the logout on the server");
  g_assert_cmpint (zg_test_count_audit (ts, "logout"), ==, 1);

  gtk_window_destroy (find_toplevel (ZG_TYPE_LOGIN_DIALOG));
  gtk_window_destroy (GTK_WINDOW (window));
  spin (200);
}

/* GTK 4.8 without a window manager (Xvfb) warns when focus moves between windows; that says
 * nothing about our code. Everything else goes to the default writer and stays fatal. */
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
  g_autofree char *data = NULL;
  int status;

  g_log_set_writer_func (log_writer_cb, NULL, NULL);

  /* German UI from the translations built in this tree. */
  g_setenv ("LANGUAGE", "de", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  if (g_getenv ("ZG_TEST_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ZG_TEST_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  home = g_dir_make_tmp ("zeugnis-ui-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (home, "config", NULL);
  data = g_build_filename (home, "data", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_init (&argc, &argv, NULL);
  screenshot_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL
                                     ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                     "client-screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (screenshot_dir, 0755), ==, 0);

  g_test_add_func ("/Zeugnis/Client/UI/sign-in-to-main-window", test_sign_in_to_main_window);
  status = g_test_run ();

  zg_session_test_remove_tree (home);
  g_free (screenshot_dir);
  return status;
}
