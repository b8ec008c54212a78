/* bench-engine.c — figures for the Zeugnis engine: text generation, analysis, PDF
 *
 *   bench-engine [--fixtures DIR] [--count N] [--keep DIR]
 *
 * Prints medians over many runs and the cost of a batch of N (default 1,000)
 * certificates to PDF files, with the resident set size after 100 and after
 * N documents and the peak (VmHWM) to show that memory stays flat. Not a
 * test: it only reports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "zg-engine.h"
#include "zg-format-profile.h"
#include "zg-pdf.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, samples->len / 2);
}

/* "VmRSS" or "VmHWM" from /proc/self/status, in MiB. */
static double
proc_status_mib (const char *field)
{
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], field) && lines[i][strlen (field)] == ':')
      return g_ascii_strtod (lines[i] + strlen (field) + 1, NULL) / 1024.0;
  return -1;
}

static GPtrArray *
load_fixtures (const char  *dir,
               GError     **error)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, error);
  g_autoptr(GPtrArray) certs = g_ptr_array_new_with_free_func ((GDestroyNotify) zg_certificate_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autofree char *json = NULL;
      ZgCertificate *cert;

      if (!g_file_get_contents (path, &json, NULL, error))
        return NULL;
      cert = zg_certificate_from_data (json, -1, error);
      if (cert == NULL)
        {
          g_prefix_error (error, "%s: ", path);
          return NULL;
        }
      g_ptr_array_add (certs, cert);
    }
  if (certs->len == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "No certificate JSON in %s", dir);
      return NULL;
    }
  return g_steal_pointer (&certs);
}

static int
die (const char *what,
     GError     *error)
{
  g_printerr ("bench-engine: %s: %s\n", what, error ? error->message : "failed");
  return EXIT_FAILURE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *fixtures_dir = NULL;
  g_autofree char *keep_dir = NULL;
  int count = 1000;
  GOptionEntry entries[] = {
    { "fixtures", 0, 0, G_OPTION_ARG_FILENAME, &fixtures_dir, "Certificate JSON files", "DIR" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Certificates in the batch (1000)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep_dir, "Write the batch PDFs here", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("");
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgPhraseLibrary) lib = NULL;
  g_autoptr(GPtrArray) certs = NULL;
  g_autoptr(ZgFormatProfile) profile = NULL;
  g_autoptr(ZgPdfRenderer) renderer = NULL;
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *profile_path = NULL;
  g_autofree char *out_dir = NULL;
  const ZgCertificate *two_page = NULL;
  double rss_100 = 0;
  double rss_start;
  gint64 t0;
  gint64 t_batch;
  struct rusage usage;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return die ("options", error);
  if (count < 100)
    count = 100;
  if (fixtures_dir == NULL)
    {
      g_autofree char *rel = g_build_filename (ZG_SOURCE_DATADIR, "..", "tests", "data",
                                               "certificates", NULL);

      fixtures_dir = g_canonicalize_filename (rel, NULL);
    }

  lib = zg_phrase_library_load (NULL, &error);
  if (lib == NULL)
    return die ("phrase library", error);
  certs = load_fixtures (fixtures_dir, &error);
  if (certs == NULL)
    return die ("fixtures", error);
  profile_path = g_build_filename (zg_phrase_library_default_datadir (), "profiles",
                                   "default.json", NULL);
  profile = zg_format_profile_load_file (profile_path, &error);
  if (profile == NULL)
    return die (profile_path, error);

  t0 = g_get_monotonic_time ();
  renderer = zg_pdf_renderer_new (profile, &error);
  if (renderer == NULL)
    return die ("renderer", error);
  printf ("renderer setup (fonts, logo, footer):        %8.1f ms\n",
          (g_get_monotonic_time () - t0) / 1000.0);
  printf ("fixtures: %u certificates from %s\n", certs->len, fixtures_dir);

  /* Text generation: median over 2,000 runs per fixture. */
  for (guint c = 0; c < certs->len; c++)
    for (int i = 0; i < 2000; i++)
      {
        gint64 start = g_get_monotonic_time ();
        g_autoptr(ZgDocument) doc = zg_generate (lib, g_ptr_array_index (certs, c), &error);
        double us = (double) (g_get_monotonic_time () - start);

        if (doc == NULL)
          return die ("generate", error);
        g_array_append_val (samples, us);
        if (i == 0)
          g_ptr_array_add (texts, zg_document_to_text (doc));
      }
  printf ("text generation per certificate (median):    %8.1f µs   (%u runs)\n",
          median (samples), samples->len);

  /* Analysis of the generated texts. */
  g_array_set_size (samples, 0);
  for (guint c = 0; c < texts->len; c++)
    {
      const ZgCertificate *cert = g_ptr_array_index (certs, c);

      for (int i = 0; i < 500; i++)
        {
          gint64 start = g_get_monotonic_time ();
          g_autoptr(ZgAnalysis) analysis = zg_analyse (lib, g_ptr_array_index (texts, c),
                                                       cert->language);
          double us = (double) (g_get_monotonic_time () - start);

          g_array_append_val (samples, us);
        }
    }
  printf ("analysis per certificate (median):           %8.1f µs   (%u runs)\n",
          median (samples), samples->len);

  /* PDF of a two-page certificate. */
  for (guint c = 0; c < certs->len && two_page == NULL; c++)
    {
      g_autoptr(ZgDocument) doc = zg_generate (lib, g_ptr_array_index (certs, c), NULL);
      g_autoptr(ZgPdfPages) pages = doc ? zg_pdf_renderer_paginate (renderer, doc, NULL) : NULL;

      if (pages != NULL && zg_pdf_pages_get_n_pages (pages) == 2)
        two_page = g_ptr_array_index (certs, c);
    }
  if (two_page == NULL)
    {
      g_printerr ("bench-engine: no fixture renders to two pages\n");
      return EXIT_FAILURE;
    }
  g_array_set_size (samples, 0);
  for (int i = 0; i < 200; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(ZgDocument) doc = zg_generate (lib, two_page, &error);
      g_autoptr(GBytes) pdf = doc ? zg_pdf_renderer_render_to_bytes (renderer, doc, &error) : NULL;
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      if (pdf == NULL)
        return die ("render", error);
      g_array_append_val (samples, ms);
    }
  printf ("PDF per two-page certificate (median):       %8.2f ms   (%u runs, generation "
          "included)\n", median (samples), samples->len);

  /* A batch: N different certificates (names vary) generated, rendered and
   * written to disk with one renderer. */
  if (keep_dir != NULL)
    {
      out_dir = g_strdup (keep_dir);
      g_mkdir_with_parents (out_dir, 0700);
    }
  else
    {
      out_dir = g_dir_make_tmp ("zg-bench-XXXXXX", &error);
      if (out_dir == NULL)
        return die ("temporary directory", error);
    }
  rss_start = proc_status_mib ("VmRSS");
  t_batch = g_get_monotonic_time ();
  for (int i = 0; i < count; i++)
    {
      g_autoptr(ZgCertificate) cert = zg_certificate_copy (g_ptr_array_index (certs,
                                                                              i % certs->len));
      g_autofree char *name = g_strdup_printf ("%s-%04d", cert->last_name ? cert->last_name
                                                                          : "Muster", i);
      g_autofree char *file = g_strdup_printf ("zeugnis-%04d.pdf", i);
      g_autofree char *path = g_build_filename (out_dir, file, NULL);
      g_autoptr(ZgDocument) doc = NULL;

      g_free (cert->last_name);
      cert->last_name = g_steal_pointer (&name);
      doc = zg_generate (lib, cert, &error);
      if (doc == NULL)
        return die ("generate", error);
      if (!zg_pdf_renderer_render_to_file (renderer, doc, path, &error))
        return die (path, error);
      if (keep_dir == NULL)
        g_unlink (path);
      if (i + 1 == 100)
        rss_100 = proc_status_mib ("VmRSS");
    }
  printf ("%d certificates to PDF files:               %8.2f s\n", count,
          (g_get_monotonic_time () - t_batch) / 1e6);
  printf ("RSS before batch / after 100 / after %d:   %6.1f / %6.1f / %6.1f MiB\n", count,
          rss_start, rss_100, proc_status_mib ("VmRSS"));
  getrusage (RUSAGE_SELF, &usage);
  printf ("peak RSS (VmHWM / ru_maxrss):                %6.1f / %6.1f MiB\n",
          proc_status_mib ("VmHWM"), usage.ru_maxrss / 1024.0);
  if (keep_dir == NULL)
    g_rmdir (out_dir);
  return EXIT_SUCCESS;
}
