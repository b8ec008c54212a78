/* test-ui-dialogs.c — the new-certificate, sync-problems and cache-reset dialogs in real windows
 * under X, on a real SQLCipher cache: a certificate created from a cached employee (record
 * decodes with the strict codec, prefilled; create mutation in the outbox), a new employee
 * through the form (an invalid date refused inline, nothing written), conflicts resolved both
 * ways and rejections discarded (cache state asserted), and the reset of a readable cache
 * (pending edits exported) and of a damaged one (set aside, fresh cache works). The keyring is
 * a private gnome-keyring (run-with-keyring.sh), as the account cache needs one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cache-test-utils.h"
#include "server-test-utils.h"
#include "zg-cache-account.h"
#include "zg-cache-reset-dialog.h"
#include "zg-certificate.h"
#include "zg-masterdata.h"
#include "zg-new-certificate-dialog.h"
#include "zg-outbox.h"
#include "zg-problems-dialog.h"
#include "zg-session.h"
#include "zg-sync-engine.h"

#define COMPANY_LONG   "11111111-1111-4111-8111-111111111111"
#define COMPANY_SHORT  "22222222-2222-4222-8222-222222222222"
#define LOC_KOELN      "33333333-3333-4333-8333-333333333331"
#define DEP_PRUEFUNG   "33333333-3333-4333-8333-333333333332"
#define DEP_VERTRIEB   "33333333-3333-4333-8333-333333333333"
#define TYPE_STAFF     "44444444-4444-4444-8444-444444444441"
#define TYPE_MANAGER   "44444444-4444-4444-8444-444444444442"
#define EMP_JUERGEN    "55555555-5555-4555-8555-555555555551"
#define EMP_ERIKA      "55555555-5555-4555-8555-555555555552"
#define EMP_MAX        "55555555-5555-4555-8555-555555555553"

static char *screenshot_dir;

typedef struct
{
  char    *dir;
  char    *path;
  ZgCache *cache;
} Fixture;

/* Main loop helpers */

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

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
has_size (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 0
         && gtk_widget_get_height (GTK_WIDGET (data)) > 0;
}

static void
screenshot (gpointer    widget,
            const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree char *path = NULL;
  int width;
  int height;

  spin_until (has_size, widget, "the window to get its size");
  spin (400);
  width = gtk_widget_get_width (GTK_WIDGET (widget));
  height = gtk_widget_get_height (GTK_WIDGET (widget));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (widget));
  /* Between a relayout and the next frame there is nothing to paint (slow under ASan). */
  for (guint attempt = 0; node == NULL && attempt < 50; attempt++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        spin (100);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (screenshot_dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s (%d×%d)", path, width, height);
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

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Is there a label (in @root) whose text contains @needle? */
static gboolean
has_label_containing (GtkWidget  *root,
                      const char *needle)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), needle) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (has_label_containing (c, needle))
      return TRUE;
  return FALSE;
}

static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  spin (50);
}

static void
set_text (gpointer    dialog,
          GType       type,
          const char *row,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, type, row)), text);
}

static void
close_window (gpointer window)
{
  if (GTK_IS_WINDOW (window))
    gtk_window_destroy (GTK_WINDOW (window));
  spin (100);
}

/* Test data: master data and employees, built with the codecs (so they are valid). */

static void
put_node (ZgCache    *cache,
          const char *entity,
          const char *id,
          gint64      rev,
          JsonNode   *node)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = json_to_string (node, FALSE);

  g_assert_true (zg_cache_put_record (cache, entity, id, rev, json, &error));
  g_assert_no_error (error);
}

static ZgOrgUnit *
unit_new (const char *id,
          const char *name)
{
  ZgOrgUnit *unit = g_new0 (ZgOrgUnit, 1);

  unit->id = g_strdup (id);
  unit->name = g_strdup (name);
  return unit;
}

static void
seed_master_data (ZgCache *cache)
{
  g_autoptr(ZgCompany) big = zg_company_new ();
  g_autoptr(ZgCompany) small = zg_company_new ();
  g_autoptr(ZgEmployeeType) staff = zg_employee_type_new ();
  g_autoptr(ZgEmployeeType) manager = zg_employee_type_new ();
  g_autoptr(JsonNode) n1 = NULL;
  g_autoptr(JsonNode) n2 = NULL;
  g_autoptr(JsonNode) n3 = NULL;
  g_autoptr(JsonNode) n4 = NULL;

  big->id = g_strdup (COMPANY_LONG);
  big->name = g_strdup ("Müller & Söhne Präzisionsmaschinenbau und Qualitätsprüfung GmbH & Co. KG");
  big->street = g_strdup ("Königsallee 112");
  big->postcode = g_strdup ("40212");
  big->city = g_strdup ("Düsseldorf");
  big->description = g_strdup ("Die Müller & Söhne GmbH & Co. KG fertigt Präzisionsteile.");
  g_ptr_array_add (big->locations, unit_new (LOC_KOELN, "Köln-Mülheim"));
  g_ptr_array_add (big->departments, unit_new (DEP_PRUEFUNG, "Qualitätsprüfung"));
  g_ptr_array_add (big->departments, unit_new (DEP_VERTRIEB, "Vertrieb Süd"));
  small->id = g_strdup (COMPANY_SHORT);
  small->name = g_strdup ("Muster AG");
  small->city = g_strdup ("Bonn");
  staff->id = g_strdup (TYPE_STAFF);
  staff->name = g_strdup ("Angestellte/r");
  staff->key = g_strdup ("angestellter");
  manager->id = g_strdup (TYPE_MANAGER);
  manager->name = g_strdup ("Führungskraft");
  manager->key = g_strdup ("fuehrungskraft");
  manager->is_manager = TRUE;

  n1 = zg_company_to_json (big);
  n2 = zg_company_to_json (small);
  n3 = zg_employee_type_to_json (staff);
  n4 = zg_employee_type_to_json (manager);
  put_node (cache, "company", COMPANY_LONG, 3, n1);
  put_node (cache, "company", COMPANY_SHORT, 4, n2);
  put_node (cache, "employee_type", TYPE_STAFF, 5, n3);
  put_node (cache, "employee_type", TYPE_MANAGER, 6, n4);
}

static void
put_employee (ZgCache      *cache,
              const char   *id,
              ZgSalutation  salutation,
              const char   *title,
              const char   *first,
              const char   *last,
              const char   *company,
              const char   *type,
              const char   *department,
              const char   *entry,
              const char   *exit)
{
  g_autoptr(ZgEmployee) employee = zg_employee_new ();
  g_autoptr(JsonNode) node = NULL;

  employee->id = g_strdup (id);
  employee->salutation = salutation;
  employee->title = g_strdup (title);
  employee->first_name = g_strdup (first);
  employee->last_name = g_strdup (last);
  employee->company_id = g_strdup (company);
  employee->employee_type_id = g_strdup (type);
  employee->department_id = g_strdup (department);
  if (entry != NULL)
    g_assert_true (zg_new_certificate_parse_date (entry, &employee->entry_date));
  if (exit != NULL)
    g_assert_true (zg_new_certificate_parse_date (exit, &employee->exit_date));
  g_date_set_dmy (&employee->birth_date, 14, G_DATE_MARCH, 1979);
  employee->birth_place = g_strdup ("Würzburg");
  employee->street = g_strdup ("Am Hang 3");
  employee->postcode = g_strdup ("50667");
  employee->city = g_strdup ("Köln");
  employee->email = g_strdup ("person@example.org");
  if (company != NULL && g_strcmp0 (company, COMPANY_LONG) == 0)
    employee->location_id = g_strdup (LOC_KOELN);
  employee->exit_reason = exit != NULL ? g_strdup ("arbeitnehmerkuendigung") : NULL;
  node = zg_employee_to_json (employee);
  put_node (cache, "employee", id, 10, node);
}

static void
seed_employees (ZgCache *cache)
{
  put_employee (cache, EMP_JUERGEN, ZG_SALUTATION_HERR, "Prof. Dr.", "Hans-Jürgen Maximilian",
                "Weißmüller-Schönberger von Hohenstaufen", COMPANY_LONG, TYPE_MANAGER, DEP_PRUEFUNG,
                "01.03.2012", "30.06.2026");
  put_employee (cache, EMP_ERIKA, ZG_SALUTATION_FRAU, NULL, "Erika", "Groß", COMPANY_SHORT,
                TYPE_STAFF, NULL, "2019-03-01", NULL);
  put_employee (cache, EMP_MAX, ZG_SALUTATION_DIVERS, NULL, "Max", "Mustermann", NULL, NULL,
                NULL, NULL, NULL);
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCacheKey) key = zg_cache_key_new_random ();

  fx->dir = cache_test_make_dir ();
  fx->path = g_build_filename (fx->dir, "dialogs.db", NULL);
  fx->cache = zg_cache_create (fx->path, NULL, key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->cache);
  seed_master_data (fx->cache);
  seed_employees (fx->cache);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  zg_cache_close (fx->cache);
  g_clear_object (&fx->cache);
  cache_test_remove_dir (fx->dir);
  g_free (fx->dir);
  g_free (fx->path);
}

static gboolean
skip_without_display (void)
{
  if (g_getenv ("DISPLAY") == NULL || *g_getenv ("DISPLAY") == '\0')
    {
      g_test_skip ("no X display (DISPLAY unset); scripts/test.sh runs this under Xvfb");
      return TRUE;
    }
  return FALSE;
}

static guint
list_items (gpointer dialog)
{
  GtkListView *list = GTK_LIST_VIEW (child (dialog, ZG_TYPE_NEW_CERTIFICATE_DIALOG,
                                            "employee_list"));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list)));
}

static gboolean
one_item_listed (gpointer dialog)
{
  return list_items (dialog) == 1;
}

static gboolean
no_item_listed (gpointer dialog)
{
  return list_items (dialog) == 0;
}

static const char *
page (gpointer dialog)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (child (dialog,
                                                             ZG_TYPE_NEW_CERTIFICATE_DIALOG,
                                                             "stack")));
}

static void
on_created (ZgNewCertificateDialog *dialog,
            const char             *id,
            char                  **out)
{
  g_free (*out);
  *out = g_strdup (id);
}

static ZgOutboxEntry *
find_entry (GPtrArray  *entries,
            const char *entity,
            const char *id)
{
  for (guint i = 0; i < entries->len; i++)
    {
      ZgOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (g_strcmp0 (entry->entity, entity) == 0 && g_strcmp0 (entry->id, id) == 0)
        return entry;
    }
  return NULL;
}

static gboolean
is_lower_uuid (const char *id)
{
  g_autofree char *lower = g_ascii_strdown (id, -1);

  return g_uuid_string_is_valid (id) && strcmp (lower, id) == 0;
}

static ZgCertificate *
cached_certificate (ZgCache    *cache,
                    const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCacheRecord) record = zg_cache_get_record (cache, "certificate", id, &error);
  ZgCertificate *cert;

  g_assert_no_error (error);
  g_assert_nonnull (record);
  g_assert_cmpint (record->rev, ==, 0);   /* created locally, not acknowledged */
  cert = zg_certificate_from_data (record->json, -1, &error);   /* strict codec */
  g_assert_no_error (error);
  g_assert_nonnull (cert);
  return cert;
}

static void
assert_date (const GDate *date,
             guint        day,
             guint        month,
             guint        year)
{
  g_assert_true (g_date_valid (date));
  g_assert_cmpuint (g_date_get_day (date), ==, day);
  g_assert_cmpuint (g_date_get_month (date), ==, month);
  g_assert_cmpuint (g_date_get_year (date), ==, year);
}

/* R-DATA-2: a certificate created from a cached employee carries the employee's and the
 * company's data; the draft is in the cache and its create mutation in the outbox. */
static void
test_certificate_from_employee (Fixture       *fx,
                                gconstpointer  data)
{
  ZgNewCertificateDialog *dialog;
  g_autoptr(ZgCertificate) cert = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) changes = NULL;
  g_autofree char *created = NULL;
  AdwComboRow *kind_row;
  GtkWidget *search;
  GtkWidget *focus;
  ZgOutboxEntry *entry;
  JsonObject *fields;

  if (skip_without_display ())
    return;

  dialog = zg_new_certificate_dialog_new (NULL, fx->cache, NULL, NULL);
  g_signal_connect (dialog, "created", G_CALLBACK (on_created), &created);
  gtk_window_present (GTK_WINDOW (dialog));
  spin_until (is_mapped, dialog, "the new-certificate dialog");
  g_assert_cmpstr (page (dialog), ==, "pick");
  g_assert_cmpuint (list_items (dialog), ==, 3);
  /* Sorted by last name: Groß, Mustermann, Weißmüller-Schönberger. */
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), "Erika Groß"));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), "Führungskraft · Müller & Söhne"));

  /* Typing goes to the search entry straight away. */
  search = child (dialog, ZG_TYPE_NEW_CERTIFICATE_DIALOG, "search_entry");
  focus = gtk_window_get_focus (GTK_WINDOW (dialog));
  g_assert_nonnull (focus);
  g_assert_true (focus == search || gtk_widget_is_ancestor (focus, search));
  screenshot (dialog, "new-certificate-pick.png");

  /* Search as you type over name and company; "weissm" finds "Weißmüller" (alternates). */
  gtk_editable_set_text (GTK_EDITABLE (search), "müller söhne");
  spin_until (one_item_listed, dialog, "the search by company");
  gtk_editable_set_text (GTK_EDITABLE (search), "weißm");
  spin_until (one_item_listed, dialog, "the search by name");
  screenshot (dialog, "new-certificate-search.png");

  /* Enter takes the first match. */
  g_signal_emit_by_name (search, "activate");
  g_assert_cmpstr (page (dialog), ==, "options");
  /* An exit date and a manager type: an Endzeugnis is suggested. */
  kind_row = ADW_COMBO_ROW (child (dialog, ZG_TYPE_NEW_CERTIFICATE_DIALOG, "kind_row"));
  g_assert_cmpuint (adw_combo_row_get_selected (kind_row), ==, ZG_KIND_ENDZEUGNIS);
  adw_combo_row_set_selected (kind_row, ZG_KIND_ZWISCHENZEUGNIS);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, ZG_TYPE_NEW_CERTIFICATE_DIALOG,
                                                    "language_row")), 1);
  screenshot (dialog, "new-certificate-options.png");
  g_object_ref (dialog);
  click (child (dialog, ZG_TYPE_NEW_CERTIFICATE_DIALOG, "create_button"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_object_unref (dialog);

  g_assert_nonnull (created);
  g_assert_true (is_lower_uuid (created));
  cert = cached_certificate (fx->cache, created);
  g_assert_cmpstr (cert->id, ==, created);
  g_assert_cmpint (cert->status, ==, ZG_STATUS_DRAFT);
  g_assert_cmpint (cert->kind, ==, ZG_KIND_ZWISCHENZEUGNIS);
  g_assert_cmpstr (cert->language, ==, "en");
  g_assert_cmpstr (cert->employee_id, ==, EMP_JUERGEN);
  g_assert_cmpint (cert->salutation, ==, ZG_SALUTATION_HERR);
  g_assert_cmpstr (cert->title, ==, "Prof. Dr.");
  g_assert_cmpstr (cert->first_name, ==, "Hans-Jürgen Maximilian");
  g_assert_cmpstr (cert->last_name, ==, "Weißmüller-Schönberger von Hohenstaufen");
  assert_date (&cert->birth_date, 14, 3, 1979);
  g_assert_cmpstr (cert->birth_place, ==, "Würzburg");
  g_assert_cmpstr (cert->city, ==, "Köln");
  g_assert_cmpstr (cert->company_name, ==,
                   "Müller & Söhne Präzisionsmaschinenbau und Qualitätsprüfung GmbH & Co. KG");
  g_assert_cmpuint (cert->company_address->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (cert->company_address, 0), ==, "Königsallee 112");
  g_assert_cmpstr (g_ptr_array_index (cert->company_address, 1), ==, "40212 Düsseldorf");
  g_assert_cmpstr (cert->company_description, ==,
                   "Die Müller & Söhne GmbH & Co. KG fertigt Präzisionsteile.");
  g_assert_cmpstr (cert->location, ==, "Köln-Mülheim");
  g_assert_cmpstr (cert->department, ==, "Qualitätsprüfung");
  g_assert_cmpstr (cert->issue_place, ==, "Düsseldorf");
  g_assert_true (g_date_valid (&cert->issue_date));
  assert_date (&cert->entry_date, 1, 3, 2012);
  assert_date (&cert->exit_date, 30, 6, 2026);
  g_assert_cmpstr (cert->reason, ==, "arbeitnehmerkuendigung");
  g_assert_cmpstr (cert->employee_type, ==, "fuehrungskraft");
  g_assert_true (cert->is_manager);

  /* One create mutation (base_rev 0) with the record's members; the server sets the id. */
  outbox = zg_cache_outbox_list (fx->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = find_entry (outbox, "certificate", created);
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->base_rev, ==, 0);
  g_assert_cmpint (entry->state, ==, ZG_OUTBOX_STATE_PENDING);
  changes = json_from_string (entry->changes, &error);
  g_assert_no_error (error);
  fields = json_node_get_object (changes);
  g_assert_false (json_object_has_member (fields, "id"));
  g_assert_cmpstr (json_object_get_string_member (fields, "status"), ==, "draft");
  g_assert_true (json_object_has_member (fields, "daten"));
}

static gboolean
form_error_shown (gpointer dialog)
{
  return gtk_widget_get_visible (child (dialog, ZG_TYPE_NEW_CERTIFICATE_DIALOG,
                                        "form_error_label"));
}

/* R-DATA-2: a new employee through the form; bad input is refused inline and writes nothing. */
static void
test_new_employee_form (Fixture       *fx,
                        gconstpointer  data)
{
  ZgNewCertificateDialog *dialog;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GPtrArray) employees = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgEmployee) employee = NULL;
  g_autoptr(ZgCertificate) cert = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) changes = NULL;
  g_autofree char *created = NULL;
  GType type = ZG_TYPE_NEW_CERTIFICATE_DIALOG;
  ZgCacheRecord *record = NULL;
  ZgOutboxEntry *entry;
  GtkWidget *birth;

  if (skip_without_display ())
    return;

  dialog = zg_new_certificate_dialog_new (NULL, fx->cache, NULL, NULL);
  g_signal_connect (dialog, "created", G_CALLBACK (on_created), &created);
  gtk_window_present (GTK_WINDOW (dialog));
  spin_until (is_mapped, dialog, "the new-certificate dialog");

  /* Nobody matches: the empty state says so. */
  set_text (dialog, type, "search_entry", "Hannelore Bäumer");
  spin_until (no_item_listed, dialog, "the empty search result");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (dialog, type,
                                                                       "list_stack"))),
                   ==, "empty");
  screenshot (dialog, "new-certificate-no-match.png");

  /* The form starts with the searched name. */
  click (child (dialog, type, "new_employee_button"));
  g_assert_cmpstr (page (dialog), ==, "form");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, type, "first_name_row"))),
                   ==, "Hannelore");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, type, "last_name_row"))),
                   ==, "Bäumer");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, type, "salutation_row")), 1);
  set_text (dialog, type, "title_row", "Dr.");
  set_text (dialog, type, "birth_date_row", "31.02.1990");   /* no such day */
  set_text (dialog, type, "birth_place_row", "Görlitz");
  set_text (dialog, type, "street_row", "Lindenstraße 7");
  set_text (dialog, type, "postcode_row", "01067");
  set_text (dialog, type, "city_row", "Dresden");
  set_text (dialog, type, "email_row", "h.baeumer@example.org");
  set_text (dialog, type, "entry_date_row", "1.4.2015");
  /* Companies are sorted by name: 1 = Muster AG, 2 = Müller & Söhne … */
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, type, "company_row")), 2);
  g_assert_true (gtk_widget_get_visible (child (dialog, type, "department_row")));
  g_assert_true (gtk_widget_get_visible (child (dialog, type, "location_row")));
  g_assert_false (gtk_widget_get_visible (child (dialog, type, "org_unit_row")));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, type, "department_row")), 2);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, type, "employee_type_row")), 1);

  click (child (dialog, type, "save_employee_button"));
  spin_until (form_error_shown, dialog, "the inline error");
  birth = child (dialog, type, "birth_date_row");
  g_assert_true (gtk_widget_has_css_class (birth, "error"));
  g_assert_cmpstr (page (dialog), ==, "form");
  g_assert_cmpint (zg_cache_count_records (fx->cache, "employee", NULL), ==, 3);
  g_assert_cmpint (zg_cache_outbox_count (fx->cache, ZG_OUTBOX_STATE_PENDING, NULL), ==, 0);
  screenshot (dialog, "new-employee-invalid-date.png");

  /* A bad e-mail address is refused the same way. */
  set_text (dialog, type, "birth_date_row", "14.03.1990");
  set_text (dialog, type, "email_row", "h.baeumer(at)example");
  click (child (dialog, type, "save_employee_button"));
  g_assert_false (gtk_widget_has_css_class (birth, "error"));
  g_assert_true (gtk_widget_has_css_class (child (dialog, type, "email_row"), "error"));
  g_assert_cmpint (zg_cache_count_records (fx->cache, "employee", NULL), ==, 3);

  set_text (dialog, type, "email_row", "h.baeumer@example.org");
  screenshot (dialog, "new-employee-form.png");
  click (child (dialog, type, "save_employee_button"));
  g_assert_cmpstr (page (dialog), ==, "options");
  g_assert_cmpint (zg_cache_count_records (fx->cache, "employee", NULL), ==, 4);

  /* The new employee: valid for the strict codec, queued as a create without id and rev. */
  outbox = zg_cache_outbox_list (fx->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  entry = g_ptr_array_index (outbox, 0);
  g_assert_cmpstr (entry->entity, ==, "employee");
  g_assert_true (is_lower_uuid (entry->id));
  g_assert_cmpint (entry->base_rev, ==, 0);
  changes = json_from_string (entry->changes, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_has_member (json_node_get_object (changes), "id"));
  g_assert_false (json_object_has_member (json_node_get_object (changes), "rev"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (changes), "last_name"),
                   ==, "Bäumer");

  employees = zg_cache_list_records (fx->cache, "employee", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < employees->len; i++)
    if (g_strcmp0 (((ZgCacheRecord *) g_ptr_array_index (employees, i))->id, entry->id) == 0)
      record = g_ptr_array_index (employees, i);
  g_assert_nonnull (record);
  node = json_from_string (record->json, &error);
  g_assert_no_error (error);
  employee = zg_employee_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (employee->salutation, ==, ZG_SALUTATION_FRAU);
  g_assert_cmpstr (employee->title, ==, "Dr.");
  assert_date (&employee->birth_date, 14, 3, 1990);
  assert_date (&employee->entry_date, 1, 4, 2015);
  g_assert_false (g_date_valid (&employee->exit_date));
  g_assert_cmpstr (employee->company_id, ==, COMPANY_LONG);
  g_assert_cmpstr (employee->department_id, ==, DEP_VERTRIEB);
  g_assert_null (employee->location_id);
  g_assert_cmpstr (employee->employee_type_id, ==, TYPE_STAFF);

  /* No exit date: a Zwischenzeugnis is suggested; create it. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (dialog, type, "kind_row"))),
                    ==, ZG_KIND_ZWISCHENZEUGNIS);
  screenshot (dialog, "new-employee-options.png");
  click (child (dialog, type, "create_button"));
  g_assert_nonnull (created);
  cert = cached_certificate (fx->cache, created);
  g_assert_cmpstr (cert->employee_id, ==, entry->id);
  g_assert_cmpstr (cert->last_name, ==, "Bäumer");
  g_assert_cmpstr (cert->department, ==, "Vertrieb Süd");
  g_assert_cmpstr (cert->employee_type, ==, "angestellter");
  g_assert_false (cert->is_manager);
  g_assert_cmpint (zg_cache_outbox_count (fx->cache, ZG_OUTBOX_STATE_PENDING, NULL), ==, 2);
}

static void
test_parse_date (void)
{
  GDate date;

  g_assert_true (zg_new_certificate_parse_date ("", &date));
  g_assert_false (g_date_valid (&date));
  g_assert_true (zg_new_certificate_parse_date ("29.02.2024", &date));
  assert_date (&date, 29, 2, 2024);
  g_assert_true (zg_new_certificate_parse_date ("2024-02-29", &date));
  assert_date (&date, 29, 2, 2024);
  g_assert_false (zg_new_certificate_parse_date ("29.02.2023", &date));
  g_assert_false (zg_new_certificate_parse_date ("31.4.2020", &date));
  g_assert_false (zg_new_certificate_parse_date ("1.1.20", &date));
  g_assert_false (zg_new_certificate_parse_date ("12/03/2020", &date));
  g_assert_false (zg_new_certificate_parse_date ("1.1.2020.", &date));
  g_assert_false (zg_new_certificate_parse_date ("-1.1.2020", &date));
  g_assert_false (zg_new_certificate_parse_date ("a.b.cdef", &date));
}

/* The push the sync engine sends for the outbox (docs/sync-protocol.md): creates for rev-0
 * entries. Returns the server's results. */
static JsonArray *
push_outbox (ZgTestServer *ts,
             ZgCache      *cache)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = zg_cache_outbox_take_batch (cache, 100, &error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(ZgTestResponse) resp = NULL;
  g_autofree char *body = NULL;

  g_assert_no_error (error);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, zg_cache_get_client_id (cache));
  json_builder_set_member_name (builder, "mutations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < batch->len; i++)
    {
      ZgOutboxEntry *entry = g_ptr_array_index (batch, i);

      g_assert_cmpint (entry->base_rev, ==, 0);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mutation_id");
      json_builder_add_int_value (builder, entry->mutation_id);
      json_builder_set_member_name (builder, "op");
      json_builder_add_string_value (builder, "create");
      json_builder_set_member_name (builder, "entity");
      json_builder_add_string_value (builder, entry->entity);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, entry->id);
      json_builder_set_member_name (builder, "fields");
      json_builder_add_value (builder, json_from_string (entry->changes, NULL));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  resp = zg_test_request (ts, "POST", "/api/v1/sync/push", ts->admin_token, body);
  g_assert_cmpuint (resp->status, ==, 200);
  return json_array_ref (json_object_get_array_member (zg_test_response_object (resp),
                                                       "results"));
}

/* Every result "applied"; acknowledged in the cache as the engine does. */
static void
assert_all_applied (ZgCache   *cache,
                    JsonArray *results,
                    guint      expected)
{
  g_assert_cmpuint (json_array_get_length (results), ==, expected);
  for (guint i = 0; i < expected; i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      g_autofree char *text = json_to_string (json_array_get_element (results, i), FALSE);

      g_autoptr(GError) error = NULL;

      if (g_strcmp0 (json_object_get_string_member (result, "status"), "applied") != 0)
        g_error ("not applied: %s", text);
      g_assert_true (zg_cache_outbox_ack (cache, json_object_get_int_member (result, "mutation_id"),
                                          json_object_get_int_member (result, "rev"), &error));
      g_assert_no_error (error);
    }
}

/* The server accepts what the dialog queued: the employee and the certificate creates pass
 * its strict codecs, reference checks and the draft rule, unchanged. */
static void
test_server_accepts_creates (Fixture       *fx,
                             gconstpointer  data)
{
  g_autoptr(ZgTestServer) ts = NULL;
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(ZgTestResponse) resp = NULL;
  g_autoptr(ZgCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *created = NULL;
  g_autofree char *path = NULL;
  const char *entities[] = { "company", "employee_type", "employee" };
  ZgNewCertificateDialog *dialog;
  GType type = ZG_TYPE_NEW_CERTIFICATE_DIALOG;
  JsonObject *answer;

  if (skip_without_display ())
    return;

  /* The server gets the seeded master data and employees first (as their creators would). */
  ts = zg_test_server_new ();
  path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/access-criteria", ts->admin_id);
  resp = zg_test_request (ts, "PUT", path, ts->admin_token,
                          "{\"companies\":\"all\",\"locations\":\"all\","
                          "\"departments\":\"all\",\"org_units\":\"all\","
                          "\"employee_types\":\"all\"}");
  g_assert_cmpuint (resp->status, ==, 200);
  g_clear_pointer (&resp, zg_test_response_free);
  g_clear_pointer (&path, g_free);
  for (guint e = 0; e < G_N_ELEMENTS (entities); e++)
    {
      g_autoptr(GPtrArray) records = zg_cache_list_records (fx->cache, entities[e], &error);

      g_assert_no_error (error);
      for (guint i = 0; i < records->len; i++)
        {
          ZgCacheRecord *record = g_ptr_array_index (records, i);
          g_autoptr(JsonNode) node = json_from_string (record->json, &error);
          gint64 pending = zg_cache_outbox_count (fx->cache, ZG_OUTBOX_STATE_PENDING, NULL);

          g_assert_no_error (error);
          /* A create of an existing record is refused and changes nothing. */
          g_assert_cmpint (zg_cache_local_create (fx->cache, entities[e], record->id,
                                                  json_node_get_object (node), &error), ==, 0);
          g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_INVALID);
          g_clear_error (&error);
          g_assert_cmpint (zg_cache_outbox_count (fx->cache, ZG_OUTBOX_STATE_PENDING, NULL), ==,
                           pending);
          g_assert_true (zg_cache_delete_record (fx->cache, entities[e], record->id, &error));
          g_assert_cmpint (zg_cache_local_create (fx->cache, entities[e], record->id,
                                                  json_node_get_object (node), &error), >, 0);
          g_assert_no_error (error);
        }
    }
  results = push_outbox (ts, fx->cache);
  assert_all_applied (fx->cache, results, 2 + 2 + 3);
  g_clear_pointer (&results, json_array_unref);
  g_assert_cmpint (zg_cache_outbox_count (fx->cache, ZG_OUTBOX_STATE_SENT, NULL), ==, 0);

  /* A new employee and a certificate for it, through the dialog. */
  dialog = zg_new_certificate_dialog_new (NULL, fx->cache, NULL, NULL);
  g_signal_connect (dialog, "created", G_CALLBACK (on_created), &created);
  gtk_window_present (GTK_WINDOW (dialog));
  spin_until (is_mapped, dialog, "the new-certificate dialog");
  click (child (dialog, type, "new_employee_button"));
  set_text (dialog, type, "first_name_row", "Björn");
  set_text (dialog, type, "last_name_row", "Öztürk");
  set_text (dialog, type, "birth_date_row", "02.11.1988");
  set_text (dialog, type, "entry_date_row", "2010-08-01");
  set_text (dialog, type, "exit_date_row", "31.07.2026");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, type, "company_row")), 2);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, type, "location_row")), 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, type, "department_row")), 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, type, "employee_type_row")), 2);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, type, "exit_reason_row")), 5);
  click (child (dialog, type, "save_employee_button"));
  g_assert_cmpstr (page (dialog), ==, "options");
  click (child (dialog, type, "create_button"));
  g_assert_nonnull (created);

  /* The pending creates (employee, then certificate) as the engine pushes them. */
  results = push_outbox (ts, fx->cache);
  assert_all_applied (fx->cache, results, 2);

  path = g_strdup_printf ("/api/v1/certificates/%s", created);
  resp = zg_test_request (ts, "GET", path, ts->admin_token, NULL);
  g_assert_cmpuint (resp->status, ==, 200);
  answer = zg_test_response_object (resp);
  cert = zg_certificate_from_json (json_object_get_member (answer, "record"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cert->id, ==, created);
  g_assert_cmpint (cert->status, ==, ZG_STATUS_DRAFT);
  g_assert_cmpstr (cert->last_name, ==, "Öztürk");
  g_assert_cmpstr (cert->location, ==, "Köln-Mülheim");
  g_assert_cmpstr (cert->department, ==, "Qualitätsprüfung");
  g_assert_cmpstr (cert->employee_type, ==, "fuehrungskraft");
  g_assert_cmpstr (cert->reason, ==, "ruhestand");
  assert_date (&cert->exit_date, 31, 7, 2026);
}

/* A mutation that was sent and answered with @reason or with conflicts. */
static gint64
sent_edit (ZgCache    *cache,
           const char *id,
           const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  g_autoptr(GPtrArray) batch = NULL;
  gint64 mutation_id;

  g_assert_no_error (error);
  mutation_id = zg_cache_local_edit (cache, "employee", id, json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_cmpint (mutation_id, >, 0);
  batch = zg_cache_outbox_take_batch (cache, 100, &error);
  g_assert_no_error (error);
  g_assert_nonnull (batch);
  g_assert_cmpint (((ZgOutboxEntry *) g_ptr_array_index (batch, batch->len - 1))->mutation_id,
                   ==, mutation_id);
  return mutation_id;
}

static JsonObject *
employee_object (ZgCache    *cache,
                 const char *id,
                 JsonNode  **node)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCacheRecord) record = zg_cache_get_record (cache, "employee", id, &error);

  g_assert_no_error (error);
  *node = json_from_string (record->json, &error);
  g_assert_no_error (error);
  return json_node_get_object (*node);
}

static gboolean
problems_empty (gpointer dialog)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (child (dialog,
                                                                        ZG_TYPE_PROBLEMS_DIALOG,
                                                                        "stack"))),
                    "empty") == 0;
}

/* Conflicts show both values and resolve both ways; rejections show the reason and go. */
static void
test_problems (Fixture       *fx,
               gconstpointer  data)
{
  ZgProblemsDialog *dialog;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *forbidden = zg_problems_reason_text ("forbidden");
  g_autofree char *transition = zg_problems_reason_text ("invalid_transition");
  g_autofree char *keep_name = NULL;
  g_autofree char *server_name = NULL;
  g_autofree char *discard1 = NULL;
  g_autofree char *discard2 = NULL;
  const ZgConflictField fields[] = {
    { "city", "\"Köln-Ehrenfeld\"", "\"Bonn-Bad Godesberg\"" },
    { "email", "\"erika.gross@example.org\"", "\"e.gross@muster.example\"" },
    { "employee_type_id", "\"" TYPE_MANAGER "\"", "\"" TYPE_STAFF "\"" },
  };
  g_autoptr(ZgSession) session = NULL;
  g_autoptr(ZgSyncEngine) engine = NULL;
  g_autofree char *pins = NULL;
  gint64 m0;
  gint64 m1;
  gint64 m2;
  gint64 m3;
  gint64 city_conflict = 0;
  gint64 email_conflict = 0;
  gint64 type_conflict = 0;
  JsonObject *object;

  if (skip_without_display ())
    return;

  /* Empty first; it follows the engine's "problems-changed" (a real engine, not started). */
  pins = g_build_filename (fx->dir, "pins", NULL);
  session = zg_session_new ("127.0.0.1:9", pins, &error);
  g_assert_no_error (error);
  engine = zg_sync_engine_new (fx->cache, session);
  dialog = zg_problems_dialog_new (NULL, fx->cache, engine);
  gtk_window_present (GTK_WINDOW (dialog));
  spin_until (is_mapped, dialog, "the problems dialog");
  g_assert_true (problems_empty (dialog));
  g_assert_cmpuint (zg_problems_dialog_count (dialog), ==, 0);
  screenshot (dialog, "problems-empty.png");
  m0 = sent_edit (fx->cache, EMP_MAX, "{\"title\": \"Dipl.-Ing.\"}");
  g_assert_true (zg_cache_outbox_reject (fx->cache, m0, "not_found", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (zg_problems_dialog_count (dialog), ==, 0);
  g_signal_emit_by_name (engine, "problems-changed");
  g_assert_cmpuint (zg_problems_dialog_count (dialog), ==, 1);
  g_assert_false (problems_empty (dialog));
  g_assert_true (zg_cache_outbox_dismiss (fx->cache, m0, &error));
  g_signal_emit_by_name (engine, "problems-changed");
  g_assert_true (problems_empty (dialog));
  close_window (dialog);

  m1 = sent_edit (fx->cache, EMP_ERIKA,
                  "{\"city\": \"Köln-Ehrenfeld\", \"email\": \"erika.gross@example.org\","
                  " \"employee_type_id\": \"" TYPE_MANAGER "\"}");
  g_assert_true (zg_cache_outbox_conflict (fx->cache, m1, 12, fields, G_N_ELEMENTS (fields),
                                           &error));
  g_assert_no_error (error);
  m2 = sent_edit (fx->cache, EMP_MAX, "{\"exit_date\": \"2026-12-31\", \"last_name\": \"Muster\"}");
  g_assert_true (zg_cache_outbox_reject (fx->cache, m2, "forbidden", &error));
  g_assert_no_error (error);
  m3 = sent_edit (fx->cache, EMP_JUERGEN, "{\"exit_reason\": \"ruhestand\"}");
  g_assert_true (zg_cache_outbox_reject (fx->cache, m3, "invalid_transition", &error));
  g_assert_no_error (error);

  conflicts = zg_cache_list_conflicts (fx->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 3);
  for (guint i = 0; i < conflicts->len; i++)
    {
      ZgCacheConflict *c = g_ptr_array_index (conflicts, i);

      if (g_strcmp0 (c->field, "city") == 0)
        city_conflict = c->conflict_id;
      else if (g_strcmp0 (c->field, "email") == 0)
        email_conflict = c->conflict_id;
      else
        type_conflict = c->conflict_id;
    }

  dialog = zg_problems_dialog_new (NULL, fx->cache, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  spin_until (is_mapped, dialog, "the problems dialog");
  g_assert_false (problems_empty (dialog));
  g_assert_cmpuint (zg_problems_dialog_count (dialog), ==, 5);
  /* Both values, readable field names, the record, the reasons as sentences; references by
   * their names, dates as users write them. */
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), "Köln-Ehrenfeld"));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), "Bonn-Bad Godesberg"));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), "Erika Groß"));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), _("Your value")));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), _("Server value")));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), _("Exit date")));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), forbidden));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), transition));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), "Führungskraft"));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), "Angestellte/r"));
  g_assert_false (has_label_containing (GTK_WIDGET (dialog), TYPE_MANAGER));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), "31.12.2026"));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), zg_exit_reason_label ("ruhestand")));
  screenshot (dialog, "problems.png");

  /* The record shows the server's values while the conflicts wait. */
  object = employee_object (fx->cache, EMP_ERIKA, &node);
  g_assert_cmpstr (json_object_get_string_member (object, "city"), ==, "Bonn-Bad Godesberg");
  g_clear_pointer (&node, json_node_unref);

  /* Keep mine: the user's value is back in the record and queued again. */
  keep_name = g_strdup_printf ("keep-mine-%" G_GINT64_FORMAT, city_conflict);
  click (find_named (GTK_WIDGET (dialog), keep_name));
  object = employee_object (fx->cache, EMP_ERIKA, &node);
  g_assert_cmpstr (json_object_get_string_member (object, "city"), ==, "Köln-Ehrenfeld");
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (zg_problems_dialog_count (dialog), ==, 4);
  g_assert_null (find_named (GTK_WIDGET (dialog), keep_name));

  /* Use the server's: the record keeps the server's value, nothing is queued for it. */
  server_name = g_strdup_printf ("use-server-%" G_GINT64_FORMAT, email_conflict);
  click (find_named (GTK_WIDGET (dialog), server_name));
  g_free (server_name);
  server_name = g_strdup_printf ("use-server-%" G_GINT64_FORMAT, type_conflict);
  click (find_named (GTK_WIDGET (dialog), server_name));
  object = employee_object (fx->cache, EMP_ERIKA, &node);
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==, "e.gross@muster.example");
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = zg_cache_list_conflicts (fx->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 0);
  outbox = zg_cache_outbox_list (fx->cache, &error);
  g_assert_no_error (error);
  /* m1 is done; a new pending edit carries only the kept city; m2, m3 wait as rejected. */
  g_assert_cmpuint (outbox->len, ==, 3);
  for (guint i = 0; i < outbox->len; i++)
    {
      ZgOutboxEntry *entry = g_ptr_array_index (outbox, i);

      g_assert_cmpint (entry->mutation_id, !=, m1);
      if (entry->state == ZG_OUTBOX_STATE_PENDING)
        {
          g_assert_cmpstr (entry->id, ==, EMP_ERIKA);
          g_assert_cmpstr (entry->changes, ==, "{\"city\":\"Köln-Ehrenfeld\"}");
          g_assert_cmpint (entry->base_rev, ==, 12);
        }
    }

  screenshot (dialog, "problems-rejected.png");

  /* Discard both rejections. */
  discard1 = g_strdup_printf ("discard-%" G_GINT64_FORMAT, m2);
  discard2 = g_strdup_printf ("discard-%" G_GINT64_FORMAT, m3);
  click (find_named (GTK_WIDGET (dialog), discard1));
  g_assert_cmpint (zg_cache_outbox_count (fx->cache, ZG_OUTBOX_STATE_REJECTED, NULL), ==, 1);
  click (find_named (GTK_WIDGET (dialog), discard2));
  g_assert_cmpint (zg_cache_outbox_count (fx->cache, ZG_OUTBOX_STATE_REJECTED, NULL), ==, 0);
  g_assert_cmpint (zg_cache_outbox_count (fx->cache, ZG_OUTBOX_STATE_PENDING, NULL), ==, 1);
  g_assert_true (problems_empty (dialog));
  close_window (dialog);
}

static void
test_problem_texts (void)
{
  const char *codes[] = {
    "not_found", "forbidden", "invalid_value", "invalid_transition", "referenced",
    "invalid_reference", "exists", "unknown_field", "invalid_base_rev", "invalid_mutation",
    "unknown_entity",
  };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *unknown = zg_problems_reason_text ("too_large");
  g_autofree char *station = zg_problems_field_label ("certificate", "werdegang.stationen[2].to");
  g_autofree char *position = zg_problems_field_label ("certificate",
                                                       "daten.zeugnisdaten.position");
  g_autofree char *first = zg_problems_field_label ("certificate",
                                                    "daten.persoenliche_daten.first_name");
  g_autofree char *odd = zg_problems_field_label ("employee", "no_such_field");

  /* Every known code has a sentence of its own. */
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      char *text = zg_problems_reason_text (codes[i]);

      g_assert_cmpstr (text, !=, codes[i]);
      g_assert_nonnull (strchr (text, ' '));
      g_assert_true (g_str_has_suffix (text, "."));
      g_assert_true (g_hash_table_add (seen, text));
    }
  g_assert_nonnull (strstr (unknown, "too_large"));
  g_assert_cmpstr (station, ==, _("Career stations"));
  g_assert_cmpstr (position, ==, _("Position"));
  g_assert_cmpstr (first, ==, _("First name"));
  g_assert_cmpstr (odd, ==, "no_such_field");
}

/* Cache reset */

#define RESET_SERVER "https://zeugnis.example.org"
#define RESET_USER   "erika.gross@example.org"

typedef struct
{
  gboolean  done;
  ZgCache  *cache;
  char     *saved_path;
} ResetResult;

static void
on_reset_done (ZgCacheResetDialog *dialog,
               ZgCache            *cache,
               const char         *saved_path,
               ResetResult        *result)
{
  result->done = TRUE;
  result->cache = cache != NULL ? g_object_ref (cache) : NULL;
  result->saved_path = g_strdup (saved_path);
}

static gboolean
reset_finished (gpointer data)
{
  return ((ResetResult *) data)->done;
}

static ZgCache *
open_account_cache (const char  *base_dir,
                    GError     **error)
{
  return zg_cache_open_for_account (base_dir, RESET_SERVER, RESET_USER, NULL, NULL, error);
}

static gboolean
skip_without_keyring (void)
{
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL
      || *g_getenv ("DBUS_SESSION_BUS_ADDRESS") == '\0')
    {
      g_test_skip ("no session bus; run through tests/client/run-with-keyring.sh");
      return TRUE;
    }
  return FALSE;
}

static void
assert_fresh_cache_works (ZgCache *cache)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();

  g_assert_nonnull (cache);
  g_assert_cmpint (zg_cache_count_records (cache, "employee", &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (zg_cache_outbox_count (cache, ZG_OUTBOX_STATE_PENDING, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_true (zg_cache_put_record (cache, "employee", EMP_MAX, 2,
                                      "{\"id\": \"" EMP_MAX "\", \"first_name\": \"Max\"}",
                                      &error));
  g_assert_no_error (error);
  json_object_set_string_member (changes, "city", "Görlitz");
  g_assert_cmpint (zg_cache_local_edit (cache, "employee", EMP_MAX, changes, &error), >, 0);
  g_assert_no_error (error);
  record = zg_cache_get_record (cache, "employee", EMP_MAX, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (record->json, "Görlitz"));
}

/* A readable cache: the pending edits are exported to a file the dialog names, then a fresh
 * cache replaces it. */
static void
test_reset_readable (void)
{
  g_autofree char *base = NULL;
  g_autoptr(ZgCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(JsonNode) export = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *old_client = NULL;
  ResetResult result = { 0 };
  ZgCacheResetDialog *dialog;
  JsonArray *outbox;

  if (skip_without_display () || skip_without_keyring ())
    return;

  base = cache_test_make_dir ();
  cache = open_account_cache (base, &error);
  g_assert_no_error (error);
  old_client = g_strdup (zg_cache_get_client_id (cache));
  g_assert_true (zg_cache_put_record (cache, "employee", EMP_ERIKA, 4,
                                      "{\"id\": \"" EMP_ERIKA "\", \"first_name\": \"Erika\"}",
                                      &error));
  json_object_set_string_member (changes, "last_name", "Groß-Übermüller");
  g_assert_cmpint (zg_cache_local_edit (cache, "employee", EMP_ERIKA, changes, &error), >, 0);
  g_assert_no_error (error);

  dialog = zg_cache_reset_dialog_new (NULL, base, RESET_SERVER, RESET_USER, cache, NULL);
  g_signal_connect (dialog, "reset-done", G_CALLBACK (on_reset_done), &result);
  gtk_window_present (GTK_WINDOW (dialog));
  spin_until (is_mapped, dialog, "the reset dialog");
  screenshot (dialog, "cache-reset-confirm.png");
  click (child (dialog, ZG_TYPE_CACHE_RESET_DIALOG, "reset_button"));
  spin_until (reset_finished, &result, "the reset");

  /* The export holds the pending edit; the dialog shows its path. */
  g_assert_nonnull (result.saved_path);
  g_assert_true (g_str_has_prefix (result.saved_path, base));
  g_assert_nonnull (strstr (result.saved_path, ".export-"));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), result.saved_path));
  g_assert_true (g_file_get_contents (result.saved_path, &contents, NULL, &error));
  g_assert_no_error (error);
  export = json_from_string (contents, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (export), "format"), ==,
                   "zeugnis-cache-export");
  outbox = json_object_get_array_member (json_node_get_object (export), "outbox");
  g_assert_cmpuint (json_array_get_length (outbox), ==, 1);
  {
    JsonObject *entry = json_array_get_object_element (outbox, 0);
    JsonObject *exported = json_object_get_object_member (entry, "changes");

    g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==, EMP_ERIKA);
    g_assert_cmpstr (json_object_get_string_member (exported, "last_name"), ==,
                     "Groß-Übermüller");
  }
  g_assert_cmpuint (cache_test_file_mode (result.saved_path), ==, 0600);

  /* The fresh cache: another client id, nothing of the old data, works. */
  g_assert_nonnull (result.cache);
  g_assert_cmpstr (zg_cache_get_client_id (result.cache), !=, old_client);
  screenshot (dialog, "cache-reset-done.png");
  assert_fresh_cache_works (result.cache);
  close_window (dialog);

  zg_cache_close (result.cache);
  g_clear_object (&result.cache);
  g_free (result.saved_path);
  cache_test_remove_dir (base);
}

/* A damaged file: the dialog explains it; the reset keeps the file aside (byte for byte) and
 * a fresh cache works. */
static void
test_reset_corrupt (void)
{
  g_autofree char *base = NULL;
  g_autofree char *path = NULL;
  g_autofree char *damaged = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(ZgCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  gsize length = 0;
  gsize kept_length = 0;
  ResetResult result = { 0 };
  ZgCacheResetDialog *dialog;

  if (skip_without_display () || skip_without_keyring ())
    return;

  base = cache_test_make_dir ();
  cache = open_account_cache (base, &error);
  g_assert_no_error (error);
  path = g_strdup (zg_cache_get_path (cache));
  json_object_set_string_member (changes, "first_name", "Jürgen");
  g_assert_cmpint (zg_cache_local_edit (cache, "employee", EMP_JUERGEN, changes, &error), >, 0);
  g_assert_no_error (error);
  zg_cache_close (cache);
  g_clear_object (&cache);

  /* Flip bytes in the middle of the file. */
  g_assert_true (g_file_get_contents (path, &damaged, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 8192);
  for (gsize i = length / 2; i < length / 2 + 64; i++)
    damaged[i] ^= 0x5a;
  g_assert_true (g_file_set_contents (path, damaged, (gssize) length, &error));
  g_assert_no_error (error);

  cache = open_account_cache (base, &error);
  g_assert_null (cache);
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_CORRUPT);

  dialog = zg_cache_reset_dialog_new (NULL, base, RESET_SERVER, RESET_USER, NULL, error);
  g_clear_error (&error);
  g_signal_connect (dialog, "reset-done", G_CALLBACK (on_reset_done), &result);
  gtk_window_present (GTK_WINDOW (dialog));
  spin_until (is_mapped, dialog, "the reset dialog");
  screenshot (dialog, "cache-reset-corrupt.png");
  click (child (dialog, ZG_TYPE_CACHE_RESET_DIALOG, "reset_button"));
  spin_until (reset_finished, &result, "the reset");

  /* Set aside, never deleted: the damaged bytes are all there. */
  g_assert_nonnull (result.saved_path);
  g_assert_nonnull (strstr (result.saved_path, ".unreadable-"));
  g_assert_true (has_label_containing (GTK_WIDGET (dialog), result.saved_path));
  g_assert_true (g_file_get_contents (result.saved_path, &kept, &kept_length, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (kept, kept_length, damaged, length);
  screenshot (dialog, "cache-reset-corrupt-done.png");

  g_assert_nonnull (result.cache);
  g_assert_cmpstr (zg_cache_get_path (result.cache), ==, path);
  assert_fresh_cache_works (result.cache);
  close_window (dialog);

  zg_cache_close (result.cache);
  g_clear_object (&result.cache);
  g_free (result.saved_path);
  cache_test_remove_dir (base);
}

static void
on_cancelled (ZgCacheResetDialog *dialog,
              gboolean           *cancelled)
{
  *cancelled = TRUE;
}

/* Cancel changes nothing: the damaged file stays where it is. */
static void
test_reset_cancel (void)
{
  g_autofree char *base = cache_test_make_dir ();
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  ZgCacheResetDialog *dialog;
  gboolean cancelled = FALSE;
  ResetResult result = { 0 };

  if (skip_without_display ())
    {
      cache_test_remove_dir (base);
      return;
    }
  path = zg_cache_path_for (base, RESET_SERVER, RESET_USER, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "not a database", -1, &error));
  g_set_error_literal (&error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_WRONG_KEY, "wrong key");
  dialog = zg_cache_reset_dialog_new (NULL, base, RESET_SERVER, RESET_USER, NULL, error);
  g_signal_connect (dialog, "cancelled", G_CALLBACK (on_cancelled), &cancelled);
  g_signal_connect (dialog, "reset-done", G_CALLBACK (on_reset_done), &result);
  gtk_window_present (GTK_WINDOW (dialog));
  spin_until (is_mapped, dialog, "the reset dialog");
  screenshot (dialog, "cache-reset-wrong-key.png");
  click (child (dialog, ZG_TYPE_CACHE_RESET_DIALOG, "cancel_button"));
  g_assert_true (cancelled);
  g_assert_false (result.done);
  g_assert_true (cache_test_file_contains (path, "not a database", 14));
  cache_test_remove_dir (base);
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
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Zeugnis/Client/UI/Dialogs/parse-date", test_parse_date);
  g_test_add_func ("/Zeugnis/Client/UI/Dialogs/problem-texts", test_problem_texts);
  if (g_getenv ("DISPLAY") != NULL && *g_getenv ("DISPLAY") != '\0')
    {
      adw_init ();
      screenshot_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL
                                         ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                         "client-screenshots", NULL);
      g_assert_cmpint (g_mkdir_with_parents (screenshot_dir, 0755), ==, 0);
    }
  g_test_add ("/Zeugnis/Client/UI/Dialogs/certificate-from-employee", Fixture, NULL,
              fixture_set_up, test_certificate_from_employee, fixture_tear_down);
  g_test_add ("/Zeugnis/Client/UI/Dialogs/new-employee-form", Fixture, NULL,
              fixture_set_up, test_new_employee_form, fixture_tear_down);
  g_test_add ("/Zeugnis/Client/UI/Dialogs/server-accepts-creates", Fixture, NULL,
              fixture_set_up, test_server_accepts_creates, fixture_tear_down);
  g_test_add ("/Zeugnis/Client/UI/Dialogs/problems-resolve-and-discard", Fixture, NULL,
              fixture_set_up, test_problems, fixture_tear_down);
  g_test_add_func ("/Zeugnis/Client/UI/Dialogs/cache-reset-readable", test_reset_readable);
  g_test_add_func ("/Zeugnis/Client/UI/Dialogs/cache-reset-corrupt", test_reset_corrupt);
  g_test_add_func ("/Zeugnis/Client/UI/Dialogs/cache-reset-cancel", test_reset_cancel);

  return g_test_run ();
}
