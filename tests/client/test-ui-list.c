/* test-ui-list.c — the main window's list of references under X (Xvfb in scripts/test.sh),
 * against the real server: sign in, the empty state, references created on the server arrive
 * through the real sync engine, search as you type (umlauts, case), the filters (status, kind,
 * company, mine), the no-matches state and its "clear filters", opening a reference in the
 * editor and back. Screenshots of the list (light, dark) go to the build folder.
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
#include "zg-certificate-item.h"
#include "zg-certificate-list.h"
#include "zg-login-dialog.h"
#include "zg-passphrase-dialog.h"
#include "zg-window.h"

#define HR_EMAIL    "personal@example-konzern.de"
#define HR_PASSWORD "Personal-Abteilung-2026"

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
dialog_shown (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
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
stack_shows (gpointer data)
{
  GtkStack *stack = ((gpointer *) data)[0];
  const char *name = ((gpointer *) data)[1];

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), name) == 0
         && !gtk_stack_get_transition_running (stack);
}

static void
wait_for_stack (GtkStack   *stack,
                const char *name)
{
  gpointer data[2] = { stack, (gpointer) name };

  spin_until (stack_shows, data, name);
}

static gboolean
window_has_cache (gpointer data)
{
  return zg_window_get_cache (ZG_WINDOW (data)) != NULL;
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
  GskRenderer *renderer;
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
expect_created (ZgTestServer *ts,
                const char   *token,
                const char   *path,
                const char   *json)
{
  g_autoptr(ZgTestResponse) r = zg_test_request (ts, "POST", path, token, json);

  if (r->status != 201)
    g_test_message ("POST %s -> %u: %s", path, r->status, r->text);
  g_assert_cmpuint (r->status, ==, 201);
}

typedef struct
{
  const char *first;
  const char *last;
  const char *position;
  const char *company;   /* COMPANY_* id */
  const char *kind;
  gboolean    is_private;
} TestCertificate;

#define COMPANY_KOELN  "0a6c3d40-4c31-4d0e-9a55-0e8c2f1c0001"
#define COMPANY_BAECKER "0a6c3d40-4c31-4d0e-9a55-0e8c2f1c0002"

static const TestCertificate certificates[] = {
  { "Jürgen", "Müller-Lüdenscheidt", "Leiter Disposition und Logistik Nordrhein-Westfalen",
    COMPANY_KOELN, "endzeugnis", FALSE },
  { "Özlem", "Yılmaz-Schäfer", "Sachbearbeiterin Buchhaltung", COMPANY_BAECKER,
    "zwischenzeugnis", FALSE },
  { "Anna", "Abel", "Auszubildende Kauffrau für Büromanagement", COMPANY_KOELN,
    "ausbildungszeugnis", TRUE },
  { "Maximiliane", "Freifrau von Großherzog-Übelacker", "Geschäftsführerin", COMPANY_BAECKER,
    "endzeugnis", FALSE },
  { "Björn", "Weiß", "Praktikant Marketing", COMPANY_KOELN, "praktikumszeugnis", FALSE },
};

static const TestCertificate hidden_private = {
  "Geheim", "Verborgen", "Vorstand", COMPANY_KOELN, "endzeugnis", TRUE,
};

static const char *
company_name (const char *id)
{
  return g_strcmp0 (id, COMPANY_KOELN) == 0 ? "Großhandel Köln GmbH"
                                             : "Bäckerei Schäfer & Söhne Kommanditgesellschaft";
}

static char *
create_certificate (ZgTestServer          *ts,
                    const char            *token,
                    const TestCertificate *c)
{
  g_autofree char *employee_id = g_uuid_string_random ();
  g_autofree char *certificate_id = g_uuid_string_random ();
  g_autofree char *employee = NULL;
  g_autofree char *certificate = NULL;

  employee = g_strdup_printf ("{\"id\":\"%s\",\"first_name\":\"%s\",\"last_name\":\"%s\","
                              "\"company_id\":\"%s\"}", employee_id, c->first, c->last,
                              c->company);
  expect_created (ts, ts->admin_token, "/api/v1/employees", employee);
  certificate = g_strdup_printf ("{\"id\":\"%s\",\"private\":%s,\"daten\":{"
                                 "\"persoenliche_daten\":{\"employee_id\":\"%s\","
                                 "\"first_name\":\"%s\",\"last_name\":\"%s\"},"
                                 "\"unternehmen\":{\"name\":\"%s\"},"
                                 "\"zeugnisdaten\":{\"kind\":\"%s\",\"language\":\"de\","
                                 "\"position\":\"%s\"}}}",
                                 certificate_id, c->is_private ? "true" : "false", employee_id,
                                 c->first, c->last, company_name (c->company), c->kind,
                                 c->position);
  expect_created (ts, token, "/api/v1/certificates", certificate);
  return g_steal_pointer (&certificate_id);
}

/* One step of the status workflow (docs/permissions.md) through the REST API. */
static void
set_status (ZgTestServer *ts,
            const char   *id,
            const char   *status)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/certificates/%s", id);
  g_autofree char *body = g_strdup_printf ("{\"fields\":{\"status\":\"%s\"}}", status);
  g_autoptr(ZgTestResponse) r = zg_test_request (ts, "PATCH", path, ts->admin_token, body);

  if (r->status != 200)
    g_test_message ("PATCH %s -> %u: %s", path, r->status, r->text);
  g_assert_cmpuint (r->status, ==, 200);
}

typedef struct
{
  ZgCertificateList *list;
  guint              n;
} ListCount;

static gboolean
list_has_total (gpointer data)
{
  ListCount *count = data;

  return zg_certificate_list_get_n_total (count->list) == count->n;
}

static guint
shown (ZgCertificateList *list)
{
  return g_list_model_get_n_items (zg_certificate_list_get_model (list));
}

static gboolean
shows_name (ZgCertificateList *list,
            const char        *name)
{
  GListModel *model = zg_certificate_list_get_model (list);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ZgCertificateItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (zg_certificate_item_get_name (item), name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Whether the shown rows are in order of name (or company) key, ascending or descending. */
static gboolean
sorted_by (ZgCertificateList *list,
           gboolean           by_company,
           gboolean           descending)
{
  GListModel *model = zg_certificate_list_get_model (list);
  g_autofree char *previous = NULL;
  gboolean strict = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ZgCertificateItem) item = g_list_model_get_item (model, i);
      const ZgCertificateSummary *s = zg_certificate_item_get_summary (item);
      const char *key = by_company ? s->company_key : s->name_key;

      if (previous != NULL)
        {
          int order = g_strcmp0 (previous, key);

          if (descending ? order < 0 : order > 0)
            return FALSE;
          strict = strict || order != 0;
        }
      g_free (previous);
      previous = g_strdup (key);
    }
  /* Proves nothing unless at least two keys differ. */
  return strict;
}

static void
click_header (ZgCertificateList *list,
              guint              column)
{
  GtkWidget *button =
    gtk_widget_get_first_child (child (list, ZG_TYPE_CERTIFICATE_LIST, "header"));

  for (guint i = 0; i < column && button != NULL; i++)
    button = gtk_widget_get_next_sibling (button);
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
  spin (50);
}

static guint
search (ZgCertificateList *list,
        const char        *text)
{
  /* Through the entry, as typed; the entry's short delay is waited for. */
  gtk_editable_set_text (GTK_EDITABLE (child (list, ZG_TYPE_CERTIFICATE_LIST, "search_entry")),
                         text);
  spin (200);
  return shown (list);
}

static void
test_list_search_filters (void)
{
  g_autoptr(ZgTestServer) ts = NULL;
  g_autoptr(ZgApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *server = NULL;
  g_autofree char *hr_token = NULL;
  g_autofree char *company = NULL;
  const char *hr_criteria = "{\"companies\":\"all\",\"locations\":\"all\","
                            "\"departments\":\"all\",\"org_units\":\"all\","
                            "\"employee_types\":\"all\"}";
  g_autofree char *criteria_path = NULL;
  g_autoptr(ZgTestResponse) r = NULL;
  char *ids[G_N_ELEMENTS (certificates)] = { NULL };
  ListCount count;
  ZgCertificateList *list;
  GtkStack *list_stack;
  GtkWindow *dialog;
  ZgWindow *window;
  gint64 hr_id;
  gint64 role;

  if (g_getenv ("DISPLAY") == NULL || *g_getenv ("DISPLAY") == '\0')
    {
      g_test_skip ("no X display (DISPLAY unset); scripts/test.sh runs this under Xvfb");
      return;
    }

  ts = zg_test_server_new ();
  role = zg_test_create_role (ts, "Personal", ZG_AREA_SET_ALL & ~ZG_AREA_ADMINISTRATOR);
  hr_id = zg_test_create_user (ts, HR_EMAIL, HR_PASSWORD, role);
  criteria_path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/access-criteria", hr_id);
  r = zg_test_request (ts, "PUT", criteria_path, ts->admin_token, hr_criteria);
  g_assert_cmpuint (r->status, ==, 200);
  g_clear_pointer (&r, zg_test_response_free);
  r = zg_test_request (ts, "PUT", "/api/v1/users/1/access-criteria", ts->admin_token,
                       "{\"administrator\":true}");
  g_assert_cmpuint (r->status, ==, 200);
  company = g_strdup_printf ("{\"id\":\"%s\",\"name\":\"%s\"}", COMPANY_KOELN,
                             company_name (COMPANY_KOELN));
  expect_created (ts, ts->admin_token, "/api/v1/companies", company);
  g_clear_pointer (&company, g_free);
  company = g_strdup_printf ("{\"id\":\"%s\",\"name\":\"%s\"}", COMPANY_BAECKER,
                             company_name (COMPANY_BAECKER));
  expect_created (ts, ts->admin_token, "/api/v1/companies", company);
  server = g_strdup_printf ("127.0.0.1:%u", ts->port);

  app = zg_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  /* The smallest supported window size. */
  settings = g_settings_new ("de.zeugnis.Zeugnis");
  g_settings_set_int (settings, "window-width", 1024);
  g_settings_set_int (settings, "window-height", 700);
  g_application_activate (G_APPLICATION (app));

  spin_until (dialog_shown, GSIZE_TO_POINTER (ZG_TYPE_LOGIN_DIALOG), "the login dialog");
  dialog = find_toplevel (ZG_TYPE_LOGIN_DIALOG);
  window = ZG_WINDOW (gtk_window_get_transient_for (dialog));
  set_text (dialog, "server_row", server);
  set_text (dialog, "email_row", HR_EMAIL);
  set_text (dialog, "password_row", HR_PASSWORD);
  gtk_widget_activate (child (dialog, ZG_TYPE_LOGIN_DIALOG, "sign_in_button"));
  wait_for_stack (GTK_STACK (child (dialog, ZG_TYPE_LOGIN_DIALOG, "stack")), "certificate");
  gtk_widget_activate (child (dialog, ZG_TYPE_LOGIN_DIALOG, "trust_button"));
  spin_until (dialog_shown, GSIZE_TO_POINTER (ZG_TYPE_PASSPHRASE_DIALOG),
              "the passphrase dialog");
  dialog = find_toplevel (ZG_TYPE_PASSPHRASE_DIALOG);
  set_text (dialog, "passphrase_row", "Offline-Daten-2026");
  set_text (dialog, "confirm_row", "Offline-Daten-2026");
  gtk_widget_activate (child (dialog, ZG_TYPE_PASSPHRASE_DIALOG, "unlock_button"));
  spin_until (window_has_cache, window, "the offline cache");

  /* Nothing on the server yet: the list's empty state. */
  wait_for_stack (GTK_STACK (child (window, ZG_TYPE_WINDOW, "stack")), "certificates");
  list = ZG_CERTIFICATE_LIST (child (window, ZG_TYPE_WINDOW, "certificate_list"));
  list_stack = GTK_STACK (child (list, ZG_TYPE_CERTIFICATE_LIST, "content_stack"));
  wait_for_stack (list_stack, "empty");
  g_assert_true (gtk_widget_get_visible (child (window, ZG_TYPE_WINDOW, "sync_bar")));
  screenshot (window, "main-window-list-empty.png");

  /* References written on the server come in through the sync engine on "Sync now". Two are
   * the signed-in user's ("mine"), one of them private (R-ACL-3: only its creator sees it);
   * a private one of the administrator never reaches this user. */
  hr_token = zg_test_login (ts, HR_EMAIL, HR_PASSWORD);
  for (gsize i = 0; i < G_N_ELEMENTS (certificates); i++)
    ids[i] = create_certificate (ts, i == 1 || i == 2 ? hr_token : ts->admin_token,
                                 &certificates[i]);
  g_free (create_certificate (ts, ts->admin_token, &hidden_private));
  /* Several statuses: Müller in review, Freifrau von Großherzog approved, Weiß completed. */
  set_status (ts, ids[0], "review");
  set_status (ts, ids[3], "review");
  set_status (ts, ids[3], "approved");
  set_status (ts, ids[4], "review");
  set_status (ts, ids[4], "approved");
  set_status (ts, ids[4], "completed");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL));
  count.list = list;
  count.n = G_N_ELEMENTS (certificates);
  spin_until (list_has_total, &count, "the references in the list");
  wait_for_stack (list_stack, "list");
  g_assert_cmpuint (shown (list), ==, G_N_ELEMENTS (certificates));
  g_assert_true (shows_name (list, "Jürgen Müller-Lüdenscheidt"));
  g_assert_false (shows_name (list, "Geheim Verborgen"));
  screenshot (window, "main-window-list.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (window, "main-window-list-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Search as you type: case- and umlaut-insensitive, umlauts also spelled out, every word
   * must match, over name, position and company. */
  g_assert_cmpuint (search (list, "müller"), ==, 1);
  g_assert_cmpuint (search (list, "MUELLER"), ==, 1);
  g_assert_cmpuint (search (list, "Muller"), ==, 1);
  g_assert_cmpuint (search (list, "köln"), ==, 3);
  g_assert_cmpuint (search (list, "koeln prakt"), ==, 1);
  g_assert_true (shows_name (list, "Björn Weiß"));
  g_assert_cmpuint (search (list, "weiss"), ==, 1);
  g_assert_cmpuint (search (list, "buchhaltung"), ==, 1);
  g_assert_cmpuint (search (list, "großherzog"), ==, 1);

  /* No match: its own empty state; "Clear Filters" brings everything back. */
  g_assert_cmpuint (search (list, "Zimmermann"), ==, 0);
  wait_for_stack (list_stack, "no-matches");
  screenshot (window, "main-window-list-no-matches.png");
  gtk_widget_activate (child (list, ZG_TYPE_CERTIFICATE_LIST, "clear_filters_button"));
  wait_for_stack (list_stack, "list");
  g_assert_cmpuint (shown (list), ==, G_N_ELEMENTS (certificates));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (list, ZG_TYPE_CERTIFICATE_LIST,
                                                               "search_entry"))), ==, "");

  /* Filters: kind (Zwischenzeugnis = entry 2), company, mine, and their combination. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (list, ZG_TYPE_CERTIFICATE_LIST,
                                                    "kind_dropdown")), 2);
  g_assert_cmpuint (shown (list), ==, 1);
  g_assert_true (shows_name (list, "Özlem Yılmaz-Schäfer"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (list, ZG_TYPE_CERTIFICATE_LIST,
                                                    "kind_dropdown")), 0);
  /* Companies are sorted: Bäckerei (1) before Großhandel (2). */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (list, ZG_TYPE_CERTIFICATE_LIST,
                                                    "company_dropdown")), 2);
  g_assert_cmpuint (shown (list), ==, 3);
  g_assert_false (shows_name (list, "Özlem Yılmaz-Schäfer"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (list, ZG_TYPE_CERTIFICATE_LIST,
                                                    "company_dropdown")), 0);
  /* Status (entries in workflow order): two drafts, one each in review, approved, completed,
   * none with the supervisor. */
  {
    static const guint expected[] = { 5, 2, 0, 0, 1, 1, 1 };

    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        gtk_drop_down_set_selected (GTK_DROP_DOWN (child (list, ZG_TYPE_CERTIFICATE_LIST,
                                                          "status_dropdown")), i);
        g_assert_cmpuint (shown (list), ==, expected[i]);
      }
  }
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (list, ZG_TYPE_CERTIFICATE_LIST,
                                                    "status_dropdown")), 5);
  g_assert_true (shows_name (list, "Maximiliane Freifrau von Großherzog-Übelacker"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (list, ZG_TYPE_CERTIFICATE_LIST,
                                                    "status_dropdown")), 0);
  /* Mine: created by the signed-in user (R-DATA-4 process data from the pull). */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (list, ZG_TYPE_CERTIFICATE_LIST,
                                                          "mine_button")), TRUE);
  g_assert_cmpuint (shown (list), ==, 2);
  g_assert_true (shows_name (list, "Özlem Yılmaz-Schäfer"));
  g_assert_true (shows_name (list, "Anna Abel"));
  g_assert_cmpuint (search (list, "müller"), ==, 0);
  zg_certificate_list_clear_filters (list);
  g_assert_cmpuint (shown (list), ==, G_N_ELEMENTS (certificates));

  /* Sorting by the header's buttons: by name ascending at first; a click on Company sorts by
   * company, a second click reverses it; Name and Position sorts by name again. */
  g_assert_true (sorted_by (list, FALSE, FALSE));
  click_header (list, 1);
  g_assert_true (sorted_by (list, TRUE, FALSE));
  click_header (list, 1);
  g_assert_true (sorted_by (list, TRUE, TRUE));
  click_header (list, 0);
  g_assert_true (sorted_by (list, FALSE, FALSE));
  click_header (list, 0);
  g_assert_true (sorted_by (list, FALSE, TRUE));
  click_header (list, 0);
  g_assert_true (sorted_by (list, FALSE, FALSE));

  /* Ctrl+F's action focuses the search. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  spin (50);
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

    g_assert_nonnull (focus);
    g_assert_true (gtk_widget_is_ancestor (focus, child (list, ZG_TYPE_CERTIFICATE_LIST,
                                                         "search_entry")));
  }

  /* Enter on a row opens the reference in the editor; its Back returns to the list. */
  g_signal_emit_by_name (child (list, ZG_TYPE_CERTIFICATE_LIST, "list_view"), "activate", 0);
  wait_for_stack (GTK_STACK (child (window, ZG_TYPE_WINDOW, "stack")), "editor");
  {
    GtkWidget *editor = adw_bin_get_child (ADW_BIN (child (window, ZG_TYPE_WINDOW,
                                                           "editor_bin")));

    g_assert_nonnull (editor);
    g_signal_emit_by_name (editor, "close-requested");
  }
  wait_for_stack (GTK_STACK (child (window, ZG_TYPE_WINDOW, "stack")), "certificates");

  gtk_window_destroy (GTK_WINDOW (window));
  spin (200);
  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
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

  g_setenv ("LANGUAGE", "de", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  if (g_getenv ("ZG_TEST_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ZG_TEST_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  home = g_dir_make_tmp ("zeugnis-ui-list-XXXXXX", &error);
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

  g_test_add_func ("/Zeugnis/Client/UI/list-search-filters", test_list_search_filters);
  status = g_test_run ();

  zg_session_test_remove_tree (home);
  g_free (screenshot_dir);
  return status;
}
