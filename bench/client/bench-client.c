/* bench-client.c — figures for the desktop client's list (issue 5): cold start to an
 * interactive list with 10,000 cached certificates (< 1 s), search as you type over them
 * (< 50 ms per keystroke), RSS (< 200 MB)
 *
 *   xvfb-run -a -s "-screen 0 1280x800x24" bench-client [N]     (default N = 10000)
 *
 * Fills an encrypted cache the way a pull does (pages of 500 certificate records of about
 * 4 KB JSON, with process data), evicts the file from the page cache, then starts a fresh
 * process that opens the cache, shows a 1024×700 window with the main window's list
 * (ZgCertificateList) and waits for the first frame with the rows; it then types queries
 * letter by letter and deletes them again. Prints figures only; not a test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "zg-cache.h"
#include "zg-certificate-list.h"
#include "zg-crypto.h"

#define PAGE 500u

static const char * const first_names[] = {
  "Jürgen", "Özlem", "Anna", "Björn", "Maximiliane", "Jörg", "Sören", "Käthe", "Lukas",
  "Sophie", "Mehmet", "Ängelika", "Günther", "Marie", "Ümit", "Felix", "Hannah", "Paul",
};
static const char * const last_names[] = {
  "Müller", "Schmidt", "Schäfer", "Groß", "Weiß", "Özdemir", "Becker", "Hoffmann",
  "Müller-Lüdenscheidt", "Krüger", "Schröder", "Neumann", "Köhler", "Wagner", "Yılmaz",
  "Freifrau von Großherzog-Übelacker", "Bäumer", "Zimmermann", "Fuchs", "Lößner",
};
static const char * const positions[] = {
  "Sachbearbeiterin Buchhaltung", "Leiter Disposition", "Softwareentwickler",
  "Auszubildende Kauffrau für Büromanagement", "Geschäftsführerin", "Praktikant Marketing",
  "Teamleiterin Kundenservice", "Lagerist", "Personalreferentin", "Außendienstmitarbeiter",
};
static const char * const companies[] = {
  "Großhandel Köln GmbH", "Bäckerei Schäfer & Söhne KG", "Muster AG", "Rheinland Logistik GmbH",
  "Nordlicht Software GmbH", "Stadtwerke Düsseldorf", "Möbelhaus Krüger e.K.",
  "Elektro Weiß GmbH & Co. KG",
};
static const char * const kinds[] = {
  "endzeugnis", "zwischenzeugnis", "ausbildungszeugnis", "praktikumszeugnis",
};
static const char * const statuses[] = {
  "draft", "handed-over", "handover-finished", "review", "approved", "completed",
};
static const char * const sentences[] = {
  "Sie erledigte die ihr übertragenen Aufgaben stets zu unserer vollsten Zufriedenheit.",
  "Er verfügt über ein umfassendes und fundiertes Fachwissen, das er stets sicher einsetzte.",
  "Ihr Verhalten gegenüber Vorgesetzten, Kollegen und Kunden war stets einwandfrei.",
  "Er arbeitete sich schnell und sicher in neue Aufgabengebiete ein.",
};

static double
ms_between (gint64 start,
            gint64 end)
{
  return (double) (end - start) / 1000.0;
}

/* CPU time of @clock in ms: on a busy machine the wall-clock figures include waiting for
 * a core; the CPU time says what the client itself spent. */
static double
cpu_ms (clockid_t clock)
{
  struct timespec ts;

  if (clock_gettime (clock, &ts) != 0)
    return 0;
  return (double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6;
}

static char *
certificate_json (guint i)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint s = i;

  while (text->len < 3000)
    {
      g_string_append (text, sentences[s % G_N_ELEMENTS (sentences)]);
      g_string_append_c (text, ' ');
      s = s * 31 + 7;
    }
  return g_strdup_printf ("{\"version\":1,\"status\":\"%s\",\"private\":%s,\"daten\":{"
                          "\"persoenliche_daten\":{\"first_name\":\"%s\",\"last_name\":\"%s\"},"
                          "\"unternehmen\":{\"name\":\"%s\"},\"zeugnisdaten\":{\"kind\":\"%s\","
                          "\"language\":\"de\",\"issue_date\":\"2026-06-30\","
                          "\"position\":\"%s\"}},\"bewertung\":{\"bewertung\":{\"grades\":"
                          "{\"wissen\":2,\"arbeitserfolg\":1}}},\"ergebnis\":{\"text\":\"%s\"}}",
                          statuses[i % G_N_ELEMENTS (statuses)], i % 17 == 0 ? "true" : "false",
                          first_names[i % G_N_ELEMENTS (first_names)],
                          last_names[(i / 3) % G_N_ELEMENTS (last_names)],
                          companies[(i / 7) % G_N_ELEMENTS (companies)],
                          kinds[i % G_N_ELEMENTS (kinds)],
                          positions[(i / 11) % G_N_ELEMENTS (positions)], text->str);
}

static gint64
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (field), NULL, 10);
}

static void
evict_from_page_cache (const char *path)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return;
  fdatasync (fd);
  posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
  close (fd);
}

/* The cold-start process */

static gboolean loaded;
static guint paints;

static void
loaded_cb (ZgCertificateList *list,
           gpointer           user_data)
{
  loaded = TRUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  paints++;
}

static void
iterate_until (const gboolean *flag)
{
  while (!*flag)
    g_main_context_iteration (NULL, TRUE);
}

/* Waits for the next frame that paints (after queueing a redraw of @widget). */
static gint64
next_paint (GtkWidget *widget)
{
  guint before = paints;

  gtk_widget_queue_draw (widget);
  while (paints == before)
    g_main_context_iteration (NULL, TRUE);
  return g_get_monotonic_time ();
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static void
print_series (const char *what,
              GArray     *values)
{
  double sum = 0;

  g_array_sort (values, compare_double);
  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);
  g_print ("%-44s median %6.2f ms   mean %6.2f ms   max %6.2f ms   (%u keystrokes)\n", what,
           g_array_index (values, double, values->len / 2), sum / values->len,
           g_array_index (values, double, values->len - 1), values->len);
}

static int
cold_start (const char *path,
            const char *key_hex,
            gint64      spawned)
{
  static const char * const queries[] = { "müller köln", "schaefer", "Geschäftsführerin", "xyz" };
  guint8 bytes[ZG_CACHE_KEY_BYTES];
  g_autoptr(ZgCacheKey) key = NULL;
  g_autoptr(ZgCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) filter_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) filter_cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  double cpu_start_ms;
  gint64 t_main = g_get_monotonic_time ();
  gint64 t_gtk, t_open, t_loaded, t_frame;
  GtkWidget *window;
  GtkWidget *list;

  adw_init ();
  t_gtk = g_get_monotonic_time ();
  if (!zg_hex_decode (key_hex, bytes, sizeof bytes))
    return 2;
  key = zg_cache_key_new_from_bytes (bytes, sizeof bytes);
  cache = zg_cache_open (path, key, &error);
  if (cache == NULL)
    {
      g_printerr ("open: %s\n", error->message);
      return 1;
    }
  t_open = g_get_monotonic_time ();

  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  list = zg_certificate_list_new ();
  adw_window_set_content (ADW_WINDOW (window), list);
  g_signal_connect (list, "loaded", G_CALLBACK (loaded_cb), NULL);
  zg_certificate_list_set_cache (ZG_CERTIFICATE_LIST (list), cache);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
  iterate_until (&loaded);
  t_loaded = g_get_monotonic_time ();
  t_frame = next_paint (list);

  g_print ("process start (spawn) to main():               %8.1f ms\n",
           ms_between (spawned, t_main));
  g_print ("GTK + libadwaita init:                          %8.1f ms\n", ms_between (t_main, t_gtk));
  g_print ("cache open (key check, integrity check):        %8.1f ms\n", ms_between (t_gtk, t_open));
  g_print ("window shown, %u summaries loaded:           %8.1f ms\n",
           zg_certificate_list_get_n_total (ZG_CERTIFICATE_LIST (list)),
           ms_between (t_open, t_loaded));
  g_print ("first frame with the rows:                      %8.1f ms\n",
           ms_between (t_loaded, t_frame));
  g_print ("COLD START spawn to interactive list:           %8.1f ms   (goal < 1000 ms)\n",
           ms_between (spawned, t_frame));
  g_print ("  of it CPU time of the client process:         %8.1f ms\n",
           cpu_ms (CLOCK_PROCESS_CPUTIME_ID));
  g_print ("RSS with the list shown:                        %8.1f MB   (goal < 200 MB)\n",
           (double) status_kib ("VmRSS:") / 1024.0);

  /* Search as you type: each prefix of the query, then deleting it letter by letter. */
  for (gsize q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      glong n_chars = g_utf8_strlen (queries[q], -1);
      guint matches = 0;

      for (glong step = 1; step <= 2 * n_chars; step++)
        {
          glong len = step <= n_chars ? step : 2 * n_chars - step;
          g_autofree char *prefix = g_utf8_substring (queries[q], 0, len);
          double cpu0 = cpu_ms (CLOCK_THREAD_CPUTIME_ID);
          gint64 t0 = g_get_monotonic_time ();
          gint64 t1;
          gint64 t2;
          double filter;
          double frame;

          zg_certificate_list_set_search (ZG_CERTIFICATE_LIST (list), prefix);
          t1 = g_get_monotonic_time ();
          cpu_start_ms = cpu_ms (CLOCK_THREAD_CPUTIME_ID) - cpu0;
          g_array_append_val (filter_cpu_ms, cpu_start_ms);
          t2 = next_paint (list);
          filter = ms_between (t0, t1);
          frame = ms_between (t0, t2);
          g_array_append_val (filter_ms, filter);
          if (g_getenv ("BENCH_VERBOSE") != NULL)
            g_print ("  “%s” %.2f ms filter, %.2f ms with frame, %u shown\n", prefix, filter,
                     frame, g_list_model_get_n_items (zg_certificate_list_get_model
                                                        (ZG_CERTIFICATE_LIST (list))));
          g_array_append_val (frame_ms, frame);
          if (step == n_chars)
            matches = g_list_model_get_n_items (zg_certificate_list_get_model
                                                  (ZG_CERTIFICATE_LIST (list)));
        }
      g_print ("query “%s”: %u matches\n", queries[q], matches);
    }
  print_series ("search per keystroke, filter only:", filter_ms);
  print_series ("search per keystroke, filter only, CPU time:", filter_cpu_ms);
  print_series ("search per keystroke, filter + frame:", frame_ms);
  g_print ("RSS after searching:                            %8.1f MB\n",
           (double) status_kib ("VmRSS:") / 1024.0);
  g_print ("peak RSS:                                       %8.1f MB\n",
           (double) status_kib ("VmHWM:") / 1024.0);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ZgCacheKey) key = NULL;
  g_autoptr(ZgCache) cache = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key_hex = NULL;
  g_autofree char *spawned = NULL;
  guint n = 10000;
  gint64 start;

  if (argc == 5 && g_strcmp0 (argv[1], "--cold") == 0)
    return cold_start (argv[2], argv[3], g_ascii_strtoll (argv[4], NULL, 10));
  if (argc > 1)
    n = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  if (n < 100)
    n = 100;
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-client needs a display: xvfb-run -a -s \"-screen 0 1280x800x24\" %s\n",
                  argv[0]);
      return 2;
    }

  dir = g_dir_make_tmp ("zg-bench-client-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bench.db", NULL);
  key = zg_cache_key_new_random ();
  key_hex = zg_hex_encode (zg_cache_key_get_bytes (key), ZG_CACHE_KEY_BYTES);
  cache = zg_cache_create (path, NULL, key, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  for (guint first = 0; first < n; first += PAGE)
    {
      g_autoptr(GPtrArray) page = NULL;

      page = g_ptr_array_new_with_free_func ((GDestroyNotify) zg_cache_record_free);
      for (guint i = first; i < MIN (first + PAGE, n); i++)
        {
          ZgCacheRecord *record = g_new0 (ZgCacheRecord, 1);

          record->entity = g_strdup ("certificate");
          record->id = g_uuid_string_random ();
          record->rev = 1;
          record->json = certificate_json (i);
          record->created_by = 2 + i % 5;
          record->created_at = 1780000000 + i;
          record->updated_by = record->created_by;
          record->updated_at = 1780000000 + 2 * i;
          g_ptr_array_add (page, record);
        }
      if (!zg_cache_put_records (cache, (ZgCacheRecord * const *) page->pdata, page->len,
                                 &error))
        g_error ("%s", error->message);
    }
  g_print ("filled %u certificates (with summaries) in      %8.1f ms\n", n,
           ms_between (start, g_get_monotonic_time ()));
  zg_cache_close (cache);
  g_clear_object (&cache);
  evict_from_page_cache (path);

  spawned = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_monotonic_time ());
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, argv[0], "--cold", path, key_hex,
                            spawned, NULL);
  g_assert_no_error (error);
  if (!g_subprocess_wait_check (child, NULL, &error))
    g_printerr ("cold start process: %s\n", error->message);

  {
    g_autofree char *header = g_strconcat (path, ".header", NULL);
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (header);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path);
    g_rmdir (dir);
  }
  return 0;
}
