/* bench-editor.c — the editor's live preview: a rating change until the letter is updated
 *
 *   xvfb-run build/bench/client/bench-editor [changes]
 *
 * Opens the editor on a real encrypted cache with a full Endzeugnis (nine categories, stations,
 * lists) in a window and changes one grade after the other (default 200 changes). Measured per
 * change: (1) text — the grade button toggled until the commit (codec check, SQLCipher write of
 * record and outbox), the new letter, its sentence list and the analyser are done; (2) page — in
 * addition the page preview laid out again (PDF renderer) and drawn. Goal of R-APP-1: < 30 ms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "zg-editor.h"
#include "zg-editor-private.h"
#include "zg-outbox.h"

#define CERT_ID "c0a8f6e2-2b7d-4d8e-9a31-5f0f3c1e7a01"

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        (void) g_unlink (child);
    }
  (void) g_rmdir (path);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static void
report (const char *what,
        GArray     *ms)
{
  double max = 0;

  g_array_sort (ms, compare_doubles);
  for (guint i = 0; i < ms->len; i++)
    max = MAX (max, g_array_index (ms, double, i));
  g_print ("%-40s median %6.2f ms  p95 %6.2f ms  max %6.2f ms  (%u changes)\n", what,
           g_array_index (ms, double, ms->len / 2),
           g_array_index (ms, double, (ms->len * 95) / 100), max, ms->len);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *fixture = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GArray) text_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) update_ms = g_array_new (FALSE, FALSE, sizeof (double));
  ZgCacheKey *key;
  ZgCache *cache;
  GtkWindow *window;
  ZgEditor *editor;
  gint64 requested = argc > 1 ? g_ascii_strtoll (argv[1], NULL, 10) : 200;
  int changes = requested >= 1 && requested <= 100000 ? (int) requested : 200;
  const ZgCategory categories[] = { ZG_CAT_WISSEN, ZG_CAT_ARBEITSWEISE, ZG_CAT_BEREITSCHAFT,
                                    ZG_CAT_VERHALTEN_INTERN };

  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  if (!gtk_init_check ())
    {
      g_printerr ("bench-editor: no display (run it under xvfb-run)\n");
      return 1;
    }
  adw_init ();

  fixture = g_build_filename (ZG_SOURCE_DATADIR, "..", "tests", "data", "certificates",
                              "endzeugnis-frau-de.json", NULL);
  if (!g_file_get_contents (fixture, &json, NULL, &error))
    {
      g_printerr ("bench-editor: %s\n", error->message);
      return 1;
    }
  dir = g_dir_make_tmp ("zeugnis-bench-editor-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("bench-editor: %s\n", error->message);
      return 1;
    }
  path = g_build_filename (dir, "bench.db", NULL);
  key = zg_cache_key_new_random ();
  cache = zg_cache_create (path, NULL, key, &error);
  if (cache == NULL || !zg_cache_put_record (cache, "certificate", CERT_ID, 57, json, &error))
    {
      g_printerr ("bench-editor: %s\n", error->message);
      return 1;
    }

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1024, 700);
  editor = ZG_EDITOR (zg_editor_new (cache, NULL, NULL, CERT_ID));
  gtk_window_set_child (window, GTK_WIDGET (editor));
  gtk_window_present (window);
  zg_editor_set_step (editor, ZG_EDITOR_STEP_ERGEBNIS);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  while (editor->pages_idle != 0)
    g_main_context_iteration (NULL, TRUE);

  for (int i = 0; i < changes; i++)
    {
      ZgCategory category = categories[i % G_N_ELEMENTS (categories)];
      int grade = editor->cert->grades[category] % 5 + 1;
      g_autofree char *label = g_strdup_printf ("%d", grade);
      GtkWidget *button = g_object_get_data (G_OBJECT (editor->grade_rows[category]), label);
      g_autofree char *before = g_strdup (zg_editor_get_preview_text (editor));
      gint64 start = g_get_monotonic_time ();
      double ms;

      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (g_strcmp0 (before, zg_editor_get_preview_text (editor)) == 0)
        {
          g_printerr ("bench-editor: change %d did not change the letter\n", i);
          return 1;
        }
      g_array_append_val (text_ms, ms);
      ms = editor->last_update_us / 1000.0;
      g_array_append_val (update_ms, ms);
      /* The page: the idle layout, then the drawing of the next frame. */
      while (editor->pages_idle != 0)
        g_main_context_iteration (NULL, TRUE);
      gtk_widget_queue_draw (editor->preview_area);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (page_ms, ms);
    }

  g_print ("bench-editor: %d rating changes on an Endzeugnis (9 categories, 2 stations)\n",
           changes);
  report ("rating change -> letter text updated", text_ms);
  report ("  of it: letter, sentences, analyser", update_ms);
  report ("rating change -> page preview laid out", page_ms);
  g_print ("outbox entries: %" G_GINT64_FORMAT " (edits of one record merge)\n",
           zg_cache_outbox_count (cache, ZG_OUTBOX_STATE_PENDING, NULL));

  gtk_window_destroy (window);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  zg_cache_close (cache);
  g_object_unref (cache);
  zg_cache_key_free (key);
  remove_tree (dir);
  return 0;
}
