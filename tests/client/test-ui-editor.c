/* test-ui-editor.c — the certificate editor in a real window under X on a real encrypted
 * (SQLCipher) cache: the four steps of R-DATA-3, a rating change that regenerates the letter
 * and lands in the outbox, a variant switch, a hand edit with the analyser's warning, an
 * invalid date that is never written, a reload after a pull, the PDF (checked with pdftotext),
 * deletion; screenshots of every step.
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
#include "zg-editor.h"
#include "zg-editor-private.h"
#include "zg-outbox.h"

#define CERT_ID "c0a8f6e2-2b7d-4d8e-9a31-5f0f3c1e7a01"
#define JOB_PROFILE_ID "5b0c9a54-8f0e-4b61-9d3c-2f0a7e1d4c11"

static char *screenshot_dir;

typedef struct
{
  char       *dir;
  ZgCacheKey *key;
  ZgCache    *cache;
  GtkWindow  *window;
  ZgEditor   *editor;
  gboolean    deleted;
  gboolean    closed;
} Fixture;

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

/* Runs the main loop until no debounced commit is left (timing-independent: ASan is slow). */
static void
wait_for_commits (ZgEditor *editor)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_hash_table_size (editor->pending) > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

static gboolean
has_size (GtkWidget *widget)
{
  return gtk_widget_get_width (widget) > 0 && gtk_widget_get_height (widget) > 0;
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree char *path = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  int width = 0;
  int height = 0;

  while (!has_size (widget))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  paintable = gtk_widget_paintable_new (widget);
  /* Right after a style change the widget may not have drawn itself yet: wait for a frame. */
  for (int attempt = 0; node == NULL && attempt < 20; attempt++)
    {
      GtkSnapshot *snapshot;

      spin (500);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (screenshot_dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s (%d×%d)", path, width, height);
}

static char *
fixture_certificate (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "certificates",
                                                 "endzeugnis-frau-de.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  g_assert_no_error (error);
  root = json_from_string (json, &error);
  g_assert_no_error (error);
  /* A draft in progress: no variant chosen for Fachwissen yet. */
  json_object_set_string_member (json_node_get_object (root), "status", "draft");
  return json_to_string (root, FALSE);
}

static void
put (ZgCache    *cache,
     const char *entity,
     const char *id,
     gint64      rev,
     const char *json)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (zg_cache_put_record (cache, entity, id, rev, json, &error));
  g_assert_no_error (error);
}

static void
deleted_cb (ZgEditor *editor,
            Fixture  *fx)
{
  fx->deleted = TRUE;
}

static void
close_requested_cb (ZgEditor *editor,
                    Fixture  *fx)
{
  fx->closed = TRUE;
}

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *cert = fixture_certificate ();
  g_autoptr(JsonObject) user = json_object_new ();

  fx->dir = cache_test_make_dir ();
  path = g_build_filename (fx->dir, "caches", "editor.db", NULL);
  fx->key = zg_cache_key_new_random ();
  fx->cache = zg_cache_create (path, NULL, fx->key, &error);
  g_assert_no_error (error);
  put (fx->cache, "certificate", CERT_ID, 57, cert);
  put (fx->cache, "job_profile", JOB_PROFILE_ID, 3,
       "{\"name\":\"Entgeltabrechnung\",\"language\":\"de\",\"tasks\":["
       "\"Erstellung der monatlichen Entgeltabrechnungen\","
       "\"Pflege der Stammdaten im Abrechnungssystem\"]}");
  put (fx->cache, "qualification", "7d1e0f3a-1c2b-4a5d-8e9f-0a1b2c3d4e5f", 2,
       "{\"kind\":\"personal\",\"name\":\"Teamfähigkeit\",\"language\":\"de\"}");
  put (fx->cache, "company", "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d", 5,
       "{\"name\":\"Bäckerei Größenwahn & Söhne KG\",\"street\":\"Am Weißen Stein 7\","
       "\"postcode\":\"01067\",\"city\":\"Dresden\",\"description\":\"Die Bäckerei "
       "Größenwahn & Söhne KG backt seit 1891 in Dresden.\"}");
  put (fx->cache, "employee_type", "0b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f", 1,
       "{\"name\":\"Schichtleitung\",\"key\":\"schichtleitung\",\"manager\":true}");
  put (fx->cache, "employee", "9e8d7c6b-5a49-4382-9172-6a5b4c3d2e1f", 4,
       "{\"first_name\":\"Hans-Peter\",\"last_name\":\"Beispiel\",\"salutation\":\"herr\"}");

  json_object_set_int_member (user, "id", 7);
  fx->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fx->window, 1024, 700);
  fx->editor = ZG_EDITOR (zg_editor_new (fx->cache, NULL, user, CERT_ID));
  g_signal_connect (fx->editor, "deleted", G_CALLBACK (deleted_cb), fx);
  g_signal_connect (fx->editor, "close-requested", G_CALLBACK (close_requested_cb), fx);
  gtk_window_set_child (fx->window, GTK_WIDGET (fx->editor));
  gtk_window_present (fx->window);
  spin (300);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  gtk_window_destroy (fx->window);
  spin (100);
  zg_cache_close (fx->cache);
  g_clear_object (&fx->cache);
  zg_cache_key_free (fx->key);
  cache_test_remove_dir (fx->dir);
  g_free (fx->dir);
}

/* The pending outbox entry of the certificate, parsed. */
static JsonObject *
outbox_changes (ZgCache *cache)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = zg_cache_outbox_list (cache, &error);
  JsonObject *result = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      ZgOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(JsonNode) node = NULL;

      if (g_strcmp0 (entry->id, CERT_ID) != 0 || zg_outbox_entry_is_delete (entry))
        continue;
      g_assert_cmpint (entry->base_rev, ==, 57);
      node = json_from_string (entry->changes, &error);
      g_assert_no_error (error);
      g_clear_pointer (&result, json_object_unref);
      result = json_object_ref (json_node_get_object (node));
    }
  return result;
}

static GtkWidget *
grade_button (ZgEditor   *editor,
              ZgCategory  category,
              int         grade)
{
  g_autofree char *key = g_strdup_printf ("%d", grade);
  GtkWidget *button = g_object_get_data (G_OBJECT (editor->grade_rows[category]), key);

  g_assert_true (GTK_IS_TOGGLE_BUTTON (button));
  return button;
}

static GtkWidget *
sentence_row (ZgEditor   *editor,
              const char *slot)
{
  guint i = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (editor->sentences_box); row != NULL;
       row = gtk_widget_get_next_sibling (row), i++)
    {
      const ZgBlock *block = g_ptr_array_index (editor->doc->blocks, i);

      if (g_strcmp0 (block->section, slot) == 0)
        return row;
    }
  g_assert_not_reached ();
  return NULL;
}

static char *
run_pdftotext (const char *pdf)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GString) collapsed = g_string_new (NULL);
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* Lines are wrapped and hyphenated by the layout: compare words, not lines. */
  for (const char *p = out; *p != '\0'; p++)
    {
      if (p[0] == '-' && p[1] == '\n')
        {
          p++;
          continue;
        }
      if (g_ascii_isspace (*p) || *p == '\f')
        {
          if (collapsed->len > 0 && collapsed->str[collapsed->len - 1] != ' ')
            g_string_append_c (collapsed, ' ');
          continue;
        }
      g_string_append_c (collapsed, *p);
    }
  return g_string_free (g_steal_pointer (&collapsed), FALSE);
}

static void
test_four_steps (Fixture       *fx,
                 gconstpointer  data)
{
  ZgEditor *editor = fx->editor;
  const char *names[] = { "daten", "werdegang", "bewertung", "ergebnis" };

  /* R-DATA-3: the four process steps, reachable by the API and by Ctrl+1..4 / Alt+arrows. */
  g_assert_cmpstr (zg_editor_get_certificate_id (editor), ==, CERT_ID);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (editor->title_label)), ==,
                   "Jana Sophie Müller-Lüdenscheidt");
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *shot = g_strdup_printf ("editor-%u-%s.png", i + 1, names[i]);

      zg_editor_set_step (editor, (ZgEditorStep) i);
      g_assert_cmpint (zg_editor_get_step (editor), ==, i);
      screenshot (GTK_WIDGET (fx->window), shot);
    }
  /* The actions behind Ctrl+1…4 and Alt+Left/Right. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.step", "i", 1));
  g_assert_cmpint (zg_editor_get_step (editor), ==, ZG_EDITOR_STEP_WERDEGANG);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.move-step", "i", 1));
  g_assert_cmpint (zg_editor_get_step (editor), ==, ZG_EDITOR_STEP_BEWERTUNG);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.move-step", "i", -1));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.move-step", "i", -1));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.move-step", "i", -1));
  g_assert_cmpint (zg_editor_get_step (editor), ==, ZG_EDITOR_STEP_DATEN);

  /* Daten shows the record: the position and the dates as DD.MM.YYYY. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (g_hash_table_lookup (
                     editor->field_widgets, "daten.zeugnisdaten.position"))), ==,
                   "Teamleiterin Entgeltabrechnung");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (g_hash_table_lookup (
                     editor->field_widgets, "daten.zeugnisdaten.exit_date"))), ==, "30.06.2026");
  /* Führungserfolg is shown for this manager, the exam only for apprentices. */
  g_assert_true (gtk_widget_get_visible (editor->grade_rows[ZG_CAT_FUEHRUNGSERFOLG]));
  g_assert_false (gtk_widget_get_visible (editor->grade_rows[ZG_CAT_ABSCHLUSSPRUEFUNG]));
  /* Nothing was written by merely opening and walking the steps. */
  g_assert_cmpint (zg_cache_outbox_count (fx->cache, ZG_OUTBOX_STATE_PENDING, NULL), ==, 0);
}

static void
test_rating_changes_preview (Fixture       *fx,
                             gconstpointer  data)
{
  ZgEditor *editor = fx->editor;
  g_autofree char *before = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(ZgCacheRecord) record = NULL;
  JsonNode *value;

  zg_editor_set_step (editor, ZG_EDITOR_STEP_BEWERTUNG);
  spin (200);
  before = g_strdup (zg_editor_get_preview_text (editor));
  g_assert_nonnull (before);
  g_assert_nonnull (strstr (before, "Müller-Lüdenscheidt"));

  /* R-APP-1: a rating change regenerates the letter at once. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (grade_button (editor, ZG_CAT_WISSEN, 4)),
                                TRUE);
  g_assert_cmpstr (zg_editor_get_preview_text (editor), !=, before);
  g_assert_cmpint (editor->cert->grades[ZG_CAT_WISSEN], ==, 4);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
                     editor->grade_rows[ZG_CAT_WISSEN])), ==,
                   _zg_editor_category_grade_meaning (ZG_CAT_WISSEN, 4));
  screenshot (GTK_WIDGET (fx->window), "editor-bewertung-changed.png");

  /* ... and the change is in the cache's outbox as a field path of the push format. */
  changes = outbox_changes (fx->cache);
  g_assert_nonnull (changes);
  value = json_object_get_member (changes, "bewertung.bewertung.grades.wissen");
  g_assert_nonnull (value);
  g_assert_cmpint (json_node_get_int (value), ==, 4);
  record = zg_cache_get_record (fx->cache, "certificate", CERT_ID, NULL);
  g_assert_nonnull (record);
  g_assert_cmpint (record->rev, ==, 57);

  /* "Not rated" removes the grade (null in the push format). */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (g_object_get_data (
                                  G_OBJECT (editor->grade_rows[ZG_CAT_WEITERBILDUNG]),
                                  "zg-grade-0")), TRUE);
  g_assert_cmpint (editor->cert->grades[ZG_CAT_WEITERBILDUNG], ==, 0);
  g_clear_pointer (&changes, json_object_unref);
  changes = outbox_changes (fx->cache);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (
                   changes, "bewertung.bewertung.grades.weiterbildung")));
}

static void
test_variant_switch (Fixture       *fx,
                     gconstpointer  data)
{
  ZgEditor *editor = fx->editor;
  g_autoptr(GPtrArray) options = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  GtkWidget *row;
  GtkWidget *popover;
  GtkWidget *list;
  GtkListBoxRow *second;
  const ZgVariantOption *option;
  const ZgBlock *block = NULL;

  zg_editor_set_step (editor, ZG_EDITOR_STEP_ERGEBNIS);
  spin (200);
  before = g_strdup (zg_editor_get_preview_text (editor));
  options = zg_generator_list_variants (_zg_editor_library (), editor->cert, "rating.wissen",
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpuint (options->len, >=, 2);
  option = g_ptr_array_index (options, 1);

  /* The sentence's "other wordings" menu lists the alternatives; picking one stores its id. */
  row = sentence_row (editor, "rating.wissen");
  popover = g_object_get_data (G_OBJECT (row), "zg-popover");
  gtk_menu_button_popup (GTK_MENU_BUTTON (g_object_get_data (G_OBJECT (row), "zg-button")));
  spin (200);
  list = g_object_get_data (G_OBJECT (popover), "zg-list");
  second = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1);
  g_assert_nonnull (second);
  /* The popover is a surface of its own: its screenshot shows the alternatives. */
  screenshot (popover, "editor-ergebnis-variants.png");
  g_signal_emit_by_name (list, "row-activated", second);

  g_assert_cmpstr (zg_certificate_get_variant_id (editor->cert, "rating.wissen"), ==,
                   option->id);
  for (guint i = 0; i < editor->doc->blocks->len; i++)
    if (g_strcmp0 (((ZgBlock *) editor->doc->blocks->pdata[i])->section, "rating.wissen") == 0)
      block = editor->doc->blocks->pdata[i];
  g_assert_nonnull (block);
  g_assert_cmpstr (block->variant_id, ==, option->id);
  g_assert_cmpstr (zg_editor_get_preview_text (editor), !=, before);
  changes = outbox_changes (fx->cache);
  g_assert_cmpstr (json_object_get_string_member (changes, "ergebnis.variants.rating.wissen"),
                   ==, option->id);
}

static void
test_edit_text_warns_and_pdf (Fixture       *fx,
                              gconstpointer  data)
{
  ZgEditor *editor = fx->editor;
  g_autofree char *pdf = g_build_filename (fx->dir, "zeugnis.pdf", NULL);
  g_autofree char *pdf_text = NULL;
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) edited = NULL;
  GtkStack *stack = g_object_get_data (G_OBJECT (editor), "zg-result-stack");
  const char *strong = "stets zu unserer vollsten Zufriedenheit";
  const char *weak = "im Großen und Ganzen zu unserer Zufriedenheit";
  char *at;

  zg_editor_set_step (editor, ZG_EDITOR_STEP_ERGEBNIS);
  gtk_stack_set_visible_child_name (stack, "text");
  spin (200);
  /* The generated letter matches its ratings: no warning. */
  g_assert_cmpuint (zg_editor_get_n_findings (editor), ==, 0);

  /* A hand edit turns the overall sentence into grade 5 although the ratings say 1. */
  edited = g_string_new (zg_editor_get_preview_text (editor));
  at = strstr (edited->str, strong);
  g_assert_nonnull (at);
  g_string_erase (edited, at - edited->str, (gssize) strlen (strong));
  g_string_insert (edited, at - edited->str, weak);
  gtk_widget_grab_focus (editor->text_view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (editor->text_view)),
                            edited->str, -1);
  /* The debounce commits it without any further action. */
  g_assert_cmpuint (g_hash_table_size (editor->pending), ==, 1);
  wait_for_commits (editor);
  g_assert_cmpstr (editor->cert->edited_text, ==, edited->str);
  g_assert_cmpuint (zg_editor_get_n_findings (editor), >, 0);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (editor->findings_revealer)));
  changes = outbox_changes (fx->cache);
  g_assert_cmpstr (json_object_get_string_member (changes, "ergebnis.text"), ==, edited->str);
  screenshot (GTK_WIDGET (fx->window), "editor-ergebnis-edited.png");

  /* Typing on: the commit after the pause never resets the text under the cursor. */
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (editor->text_view));
    GtkTextIter cursor;
    int offset;

    gtk_text_buffer_get_end_iter (buffer, &cursor);
    gtk_text_buffer_place_cursor (buffer, &cursor);
    gtk_text_buffer_insert_at_cursor (buffer, " Ende ", -1);
    gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
    offset = gtk_text_iter_get_offset (&cursor);
    wait_for_commits (editor);
    g_assert_true (g_str_has_suffix (editor->cert->edited_text, " Ende "));
    gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
    g_assert_cmpint (gtk_text_iter_get_offset (&cursor), ==, offset);
    g_string_append (edited, " Ende ");
  }

  /* R-APP-8: the PDF carries what the preview shows, including the hand edit. */
  g_assert_true (zg_editor_export_pdf (editor, pdf, &error));
  g_assert_no_error (error);
  pdf_text = run_pdftotext (pdf);
  g_assert_nonnull (strstr (pdf_text, "Müller-Lüdenscheidt"));
  g_assert_nonnull (strstr (pdf_text, "im Großen und Ganzen"));
  g_assert_null (strstr (pdf_text, strong));
  g_assert_nonnull (strstr (pdf_text, "Dr. Erika Mustermann"));

  /* Back to the generated text: the letter follows the ratings again. */
  g_signal_emit_by_name (editor->reset_text_button, "clicked");
  g_assert_null (editor->cert->edited_text);
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (editor->text_view));
    GtkTextIter start;
    GtkTextIter end;
    g_autofree char *shown = NULL;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (shown, ==, zg_editor_get_preview_text (editor));
  }
  g_assert_cmpuint (zg_editor_get_n_findings (editor), ==, 0);
}

static void
test_fields_and_reload (Fixture       *fx,
                        gconstpointer  data)
{
  ZgEditor *editor = fx->editor;
  GtkWidget *exit_row = g_hash_table_lookup (editor->field_widgets,
                                             "daten.zeugnisdaten.exit_date");
  GtkWidget *position_row = g_hash_table_lookup (editor->field_widgets,
                                                 "daten.zeugnisdaten.position");
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *zeugnisdaten;

  zg_editor_set_step (editor, ZG_EDITOR_STEP_DATEN);
  /* An impossible date is marked and never written. */
  gtk_editable_set_text (GTK_EDITABLE (exit_row), "31.02.2026");
  _zg_editor_flush (editor);
  g_assert_true (gtk_widget_has_css_class (exit_row, "error"));
  g_assert_cmpint (zg_cache_outbox_count (fx->cache, ZG_OUTBOX_STATE_PENDING, NULL), ==, 0);
  screenshot (GTK_WIDGET (fx->window), "editor-daten-invalid-date.png");
  /* A valid one is stored as an ISO date. */
  gtk_editable_set_text (GTK_EDITABLE (exit_row), "15.07.2026");
  _zg_editor_flush (editor);
  g_assert_false (gtk_widget_has_css_class (exit_row, "error"));
  changes = outbox_changes (fx->cache);
  g_assert_cmpstr (json_object_get_string_member (changes, "daten.zeugnisdaten.exit_date"), ==,
                   "2026-07-15");
  /* An exit before the entry is refused by the codec: not written either. */
  gtk_editable_set_text (GTK_EDITABLE (exit_row), "01.01.2010");
  _zg_editor_flush (editor);
  g_assert_true (gtk_widget_has_css_class (exit_row, "error"));
  g_clear_pointer (&changes, json_object_unref);
  changes = outbox_changes (fx->cache);
  g_assert_cmpstr (json_object_get_string_member (changes, "daten.zeugnisdaten.exit_date"), ==,
                   "2026-07-15");

  /* Typed text is committed after the pause, with nothing else done. */
  gtk_editable_set_text (GTK_EDITABLE (position_row), "Leiterin Entgeltabrechnung");
  g_assert_cmpuint (g_hash_table_size (editor->pending), ==, 1);
  wait_for_commits (editor);
  g_clear_pointer (&changes, json_object_unref);
  changes = outbox_changes (fx->cache);
  g_assert_cmpstr (json_object_get_string_member (changes, "daten.zeugnisdaten.position"), ==,
                   "Leiterin Entgeltabrechnung");

  /* The customer's own employee types (cache) follow the built-in ones. */
  {
    AdwComboRow *types = ADW_COMBO_ROW (g_hash_table_lookup (
      editor->field_widgets, "daten.zeugnisdaten.employee_type"));
    guint n = g_list_model_get_n_items (adw_combo_row_get_model (types));
    g_autoptr(GtkStringObject) last = g_list_model_get_item (adw_combo_row_get_model (types),
                                                             n - 1);

    g_assert_cmpstr (gtk_string_object_get_string (last), ==, "Schichtleitung");
    g_assert_cmpstr (adw_combo_row_get_selected_item (types) != NULL
                     ? "selected" : NULL, ==, "selected");
    adw_combo_row_set_selected (types, n - 1);
    g_clear_pointer (&changes, json_object_unref);
    changes = outbox_changes (fx->cache);
    g_assert_cmpstr (json_object_get_string_member (changes, "daten.zeugnisdaten.employee_type"),
                     ==, "schichtleitung");
  }

  /* The company comes from the master data in the cache: name, letterhead, paragraph. */
  g_assert_true (_zg_editor_fill_company (editor, "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d",
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (g_hash_table_lookup (
                     editor->field_widgets, "daten.unternehmen.name"))), ==,
                   "Bäckerei Größenwahn & Söhne KG");
  g_assert_cmpstr (editor->doc->company_name, ==, "Bäckerei Größenwahn & Söhne KG");
  g_assert_cmpstr (editor->doc->company_address[1], ==, "01067 Dresden");
  g_assert_nonnull (strstr (zg_editor_get_preview_text (editor), "backt seit 1891"));
  g_clear_pointer (&changes, json_object_unref);
  changes = outbox_changes (fx->cache);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (
                     changes, "daten.unternehmen.address"), 0), ==, "Am Weißen Stein 7");

  /* A pull brings another client's change: reload shows it. */
  record = zg_cache_get_record (fx->cache, "certificate", CERT_ID, &error);
  g_assert_no_error (error);
  root = json_from_string (record->json, &error);
  g_assert_no_error (error);
  _zg_json_apply_flat_paths (root);
  zeugnisdaten = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (root), "daten"), "zeugnisdaten");
  json_object_set_string_member (zeugnisdaten, "issue_place", "Görlitz");
  json = json_to_string (root, FALSE);
  put (fx->cache, "certificate", CERT_ID, 58, json);
  zg_editor_reload (editor);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (g_hash_table_lookup (
                     editor->field_widgets, "daten.zeugnisdaten.issue_place"))), ==, "Görlitz");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (position_row)), ==,
                   "Leiterin Entgeltabrechnung");
}

static void
test_lists_and_suggestions (Fixture       *fx,
                            gconstpointer  data)
{
  ZgEditor *editor = fx->editor;
  ZgEditorList *tasks = _zg_editor_find_list (editor, "werdegang.taetigkeiten.items");
  GtkWidget *profile_row = g_object_get_data (G_OBJECT (editor->werdegang_page),
                                              "zg-berufsbild-row");
  g_autoptr(JsonObject) changes = NULL;
  JsonArray *items;
  guint before;

  zg_editor_set_step (editor, ZG_EDITOR_STEP_WERDEGANG);
  g_assert_nonnull (tasks);
  before = _zg_editor_list_length (tasks);
  /* R-APP-2: the job profile of the cache offers its tasks. */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (
                      ADW_COMBO_ROW (profile_row))), ==, 2);
  adw_combo_row_set_selected (ADW_COMBO_ROW (profile_row), 1);
  changes = outbox_changes (fx->cache);
  g_assert_cmpstr (json_object_get_string_member (changes, "werdegang.taetigkeiten.berufsbild"),
                   ==, JOB_PROFILE_ID);
  g_assert_true (_zg_editor_list_add (tasks, "Pflege der Stammdaten im Abrechnungssystem"));
  g_assert_cmpuint (_zg_editor_list_length (tasks), ==, before + 1);
  g_clear_pointer (&changes, json_object_unref);
  changes = outbox_changes (fx->cache);
  items = json_object_get_array_member (changes, "werdegang.taetigkeiten.items");
  g_assert_cmpstr (json_array_get_string_element (items, before), ==,
                   "Pflege der Stammdaten im Abrechnungssystem");
  screenshot (GTK_WIDGET (fx->window), "editor-werdegang-tasks.png");
}

static void
test_private_and_signatory (Fixture       *fx,
                            gconstpointer  data)
{
  ZgEditor *editor = fx->editor;
  ZgEditorList *signatories = _zg_editor_find_list (editor, "daten.unterschriften");
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(JsonArray) areas = json_array_new ();
  JsonArray *list;
  JsonObject *added;

  /* R-ACL-3: neither creator nor Administrator: no private switch. */
  g_assert_false (gtk_widget_get_visible (editor->private_button));
  /* With the Administrator criterion (the /me "areas") the switch is offered and written. */
  json_array_add_string_element (areas, "administrator");
  json_object_set_array_member (editor->user, "areas", g_steal_pointer (&areas));
  zg_editor_reload (editor);
  g_assert_true (gtk_widget_get_visible (editor->private_button));
  g_assert_true (gtk_widget_get_sensitive (editor->private_button));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (editor->private_button), TRUE);
  g_assert_true (editor->cert->is_private);
  changes = outbox_changes (fx->cache);
  g_assert_true (json_object_get_boolean_member (changes, "private"));

  /* A signatory picked from the cached employees keeps the employee's id (R-DEL-3). */
  g_assert_true (_zg_editor_list_add_suggestion (signatories, 0));
  g_clear_pointer (&changes, json_object_unref);
  changes = outbox_changes (fx->cache);
  list = json_object_get_array_member (changes, "daten.unterschriften");
  g_assert_cmpuint (json_array_get_length (list), ==, 3);
  added = json_array_get_object_element (list, 2);
  g_assert_cmpstr (json_object_get_string_member (added, "name"), ==, "Hans-Peter Beispiel");
  g_assert_cmpstr (json_object_get_string_member (added, "employee_id"), ==,
                   "9e8d7c6b-5a49-4382-9172-6a5b4c3d2e1f");
  zg_editor_set_step (editor, ZG_EDITOR_STEP_DATEN);
  screenshot (GTK_WIDGET (fx->window), "editor-header-private.png");
}

static void
test_new_draft_and_close (Fixture       *fx,
                          gconstpointer  data)
{
  const char *id = "3f1c2b7a-9d8e-4c6b-a5f4-1e2d3c4b5a69";
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(ZgCertificate) cert = NULL;
  g_autofree char *pdf = g_build_filename (fx->dir, "incomplete.pdf", NULL);
  ZgEditor *editor;
  GtkWidget *last_name;

  /* A draft as the new-certificate dialog creates it locally: hardly anything filled in. */
  put (fx->cache, "certificate", id, 0,
       "{\"version\":1,\"id\":\"3f1c2b7a-9d8e-4c6b-a5f4-1e2d3c4b5a69\",\"status\":\"draft\","
       "\"daten\":{\"zeugnisdaten\":{\"kind\":\"zwischenzeugnis\",\"language\":\"de\"}}}");
  editor = ZG_EDITOR (zg_editor_new (fx->cache, NULL, NULL, id));
  gtk_window_set_child (fx->window, GTK_WIDGET (editor));
  fx->editor = editor;
  zg_editor_set_step (editor, ZG_EDITOR_STEP_ERGEBNIS);
  /* The letter cannot be generated yet: the step says why, export refuses, nothing crashes. */
  g_assert_true (gtk_widget_get_visible (editor->result_error));
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (
                              editor->result_error)), _("the last name")));
  g_assert_false (gtk_widget_get_sensitive (editor->save_button));
  g_assert_null (zg_editor_get_preview_text (editor));
  g_assert_false (zg_editor_export_pdf (editor, pdf, &error));
  g_assert_error (error, ZG_GENERATOR_ERROR, ZG_GENERATOR_ERROR_INCOMPLETE);
  g_clear_error (&error);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  screenshot (GTK_WIDGET (fx->window), "editor-ergebnis-incomplete.png");

  /* Nothing typed is lost: a name typed right before the editor goes away is written. */
  zg_editor_set_step (editor, ZG_EDITOR_STEP_DATEN);
  last_name = g_hash_table_lookup (editor->field_widgets, "daten.persoenliche_daten.last_name");
  gtk_editable_set_text (GTK_EDITABLE (last_name), "Öztürk-Schäfer");
  g_assert_cmpuint (g_hash_table_size (editor->pending), ==, 1);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  gtk_window_set_child (fx->window, NULL);
  fx->editor = NULL;
  spin (300);
  /* The editor is gone with its window slot: nothing holds on to it. */
  g_assert_null (editor);
  record = zg_cache_get_record (fx->cache, "certificate", id, &error);
  g_assert_no_error (error);
  root = json_from_string (record->json, &error);
  g_assert_no_error (error);
  _zg_json_apply_flat_paths (root);
  cert = zg_certificate_from_json (root, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cert->last_name, ==, "Öztürk-Schäfer");
}

static gboolean message_dialog_shown (void);
static AdwMessageDialog *message_dialog (void);

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *wanted)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *action = NULL;

      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      if (g_strcmp0 (action, wanted) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
menu_has_status (GMenuModel *menu,
                 const char *key)
{
  g_autofree char *wanted = g_strdup_printf ("editor.set-status::%s", key);

  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;
      g_autofree char *detailed = NULL;

      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET,
                                                      G_VARIANT_TYPE_STRING);
      detailed = g_action_print_detailed_name (action, target);
      if (g_strcmp0 (detailed, wanted) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_status_and_read_only (Fixture       *fx,
                           gconstpointer  data)
{
  ZgEditor *editor = fx->editor;
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (editor->status_button));
  g_autofree char *pdf = g_build_filename (fx->dir, "completed.pdf", NULL);
  g_autoptr(JsonObject) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = fixture_certificate ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  /* The status menu offers the workflow's next steps (zg-workflow), not the current one. */
  g_assert_true (menu_has_status (menu, "review"));
  g_assert_false (menu_has_status (menu, "draft"));
  g_assert_false (menu_has_status (menu, "completed"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.set-status", "s",
                                             "review"));
  changes = outbox_changes (fx->cache);
  g_assert_cmpstr (json_object_get_string_member (changes, "status"), ==, "review");
  g_assert_cmpint (editor->cert->status, ==, ZG_STATUS_REVIEW);

  /* The server applied it (acknowledged) and later completed the reference; the pull brings
   * it: a completed reference is read-only, the PDF still works. */
  entries = zg_cache_outbox_take_batch (fx->cache, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  for (guint i = 0; i < entries->len; i++)
    {
      g_assert_true (zg_cache_outbox_ack (fx->cache,
                                          ((ZgOutboxEntry *) entries->pdata[i])->mutation_id,
                                          59, &error));
      g_assert_no_error (error);
    }
  root = json_from_string (json, &error);
  g_assert_no_error (error);
  json_object_set_string_member (json_node_get_object (root), "status", "completed");
  g_free (json);
  json = json_to_string (root, FALSE);
  put (fx->cache, "certificate", CERT_ID, 60, json);
  zg_editor_reload (editor);
  g_assert_cmpint (editor->cert->status, ==, ZG_STATUS_COMPLETED);
  g_assert_false (gtk_widget_get_sensitive (editor->daten_page));
  g_assert_false (gtk_widget_get_sensitive (editor->bewertung_page));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (editor->text_view)));
  g_assert_false (gtk_widget_get_sensitive (editor->delete_button));
  g_assert_true (zg_editor_export_pdf (editor, pdf, &error));
  g_assert_no_error (error);
  zg_editor_set_step (editor, ZG_EDITOR_STEP_BEWERTUNG);
  screenshot (GTK_WIDGET (fx->window), "editor-completed-read-only.png");

  /* The only way on from completed is the reopen: asked first, then its own mutation
   * (sent with "reopen": true), and the reference is editable again. */
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (editor->status_button));
  g_assert_true (menu_has_action (menu, "editor.reopen"));
  g_assert_false (menu_has_status (menu, "draft"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.reopen", NULL));
  spin (300);
  g_assert_true (message_dialog_shown ());
  screenshot (GTK_WIDGET (message_dialog ()), "editor-reopen-dialog.png");
  adw_message_dialog_response (message_dialog (), "reopen");
  spin (100);
  g_assert_cmpint (editor->cert->status, ==, ZG_STATUS_DRAFT);
  g_assert_true (gtk_widget_get_sensitive (editor->bewertung_page));
  g_assert_true (gtk_text_view_get_editable (GTK_TEXT_VIEW (editor->text_view)));
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = zg_cache_outbox_list (fx->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_true (zg_outbox_entry_is_reopen (g_ptr_array_index (entries, 0)));
  g_assert_cmpint (((ZgOutboxEntry *) entries->pdata[0])->base_rev, ==, 60);
}

static gboolean
message_dialog_shown (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        return TRUE;
    }
  return FALSE;
}

static AdwMessageDialog *
message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static void
test_delete (Fixture       *fx,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fx->editor), "editor.delete", NULL));
  spin (300);
  g_assert_true (message_dialog_shown ());
  screenshot (GTK_WIDGET (message_dialog ()), "editor-delete-dialog.png");
  adw_message_dialog_response (message_dialog (), "delete");
  spin (100);
  g_assert_true (fx->deleted);
  g_assert_true (fx->closed);
  g_assert_null (zg_cache_get_record (fx->cache, "certificate", CERT_ID, &error));
  g_assert_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND);
  entries = zg_cache_outbox_list (fx->cache, NULL);
  for (guint i = 0; i < entries->len; i++)
    {
      ZgOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (g_strcmp0 (entry->id, CERT_ID) == 0)
        {
          g_assert_true (zg_outbox_entry_is_delete (entry));
          g_assert_cmpint (entry->base_rev, ==, 57);
          found = TRUE;
        }
    }
  g_assert_true (found);
}

static void
test_purged_closes (Fixture       *fx,
                    gconstpointer  data)
{
  const char *ids[] = { CERT_ID, NULL };
  g_autoptr(GError) error = NULL;

  /* The record left the user's scope (a pull purged it, R-ACL-3): the editor asks to close. */
  g_assert_true (zg_cache_purge_records (fx->cache, "certificate", ids, &error));
  g_assert_no_error (error);
  zg_editor_reload (fx->editor);
  g_assert_true (fx->closed);
  g_assert_false (fx->deleted);
}

static void
test_dark (Fixture       *fx,
           gconstpointer  data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  zg_editor_set_step (fx->editor, ZG_EDITOR_STEP_ERGEBNIS);
  screenshot (GTK_WIDGET (fx->window), "editor-ergebnis-dark.png");
  zg_editor_set_step (fx->editor, ZG_EDITOR_STEP_BEWERTUNG);
  screenshot (GTK_WIDGET (fx->window), "editor-bewertung-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fx->window)), <=, 1100);
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
  if (g_strcmp0 (domain, "Gtk") == 0 && message != NULL
      && strstr (message, "did not receive a focus-out event") != NULL)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_log_set_writer_func (log_writer_cb, NULL, NULL);
  g_setenv ("LANGUAGE", "de", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  if (g_getenv ("ZG_TEST_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("ZG_TEST_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* No GIO modules (gvfs, proxies): the test needs none, and GLib 2.74 loses the module
   * objects it scans, which LeakSanitizer reports under ASan. */
  g_setenv ("GIO_MODULE_DIR", "/nonexistent", TRUE);

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DISPLAY") == NULL || *g_getenv ("DISPLAY") == '\0')
    {
      g_test_skip ("no X display (DISPLAY unset); scripts/test.sh runs this under Xvfb");
      return g_test_run ();
    }
  adw_init ();
  screenshot_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") != NULL
                                     ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                     "client-screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (screenshot_dir, 0755), ==, 0);

#define ADD(path, func) \
  g_test_add ("/Zeugnis/Client/UI/Editor/" path, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)
  ADD ("four-steps-R-DATA-3", test_four_steps);
  ADD ("rating-regenerates-and-queues-R-APP-1", test_rating_changes_preview);
  ADD ("variant-switch", test_variant_switch);
  ADD ("hand-edit-warning-and-pdf-R-APP-8", test_edit_text_warns_and_pdf);
  ADD ("fields-validated-and-reload", test_fields_and_reload);
  ADD ("job-profile-tasks-R-APP-2", test_lists_and_suggestions);
  ADD ("status-workflow-and-read-only", test_status_and_read_only);
  ADD ("private-R-ACL-3-and-signatory", test_private_and_signatory);
  ADD ("new-draft-incomplete-and-flush-on-close", test_new_draft_and_close);
  ADD ("purged-record-closes", test_purged_closes);
  ADD ("dark-style", test_dark);
  ADD ("delete-queues-mutation", test_delete);
#undef ADD
  status = g_test_run ();
  g_free (screenshot_dir);
  return status;
}
