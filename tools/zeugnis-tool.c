/* zeugnis-tool.c — the Zeugnis engine on the command line
 *
 *   zeugnis-tool render CERT.json -o out.pdf [--profile P.json] [--text out.txt]
 *                       [--language de|en] [--phrases DATADIR] [--layer DIR]
 *   zeugnis-tool analyse [FILE|-] [--language de|en] [--phrases DATADIR]
 *   zeugnis-tool validate-phrases [DATADIR]
 *
 * Exit status: 0 success, 1 failure (or problems found), 2 usage error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "zg-engine.h"
#include "zg-format-profile.h"
#include "zg-pdf.h"

#define EXIT_USAGE 2

static const char *usage_text =
  "Usage:\n"
  "  zeugnis-tool render CERT.json -o OUT.pdf [--profile P.json] [--text OUT.txt]\n"
  "                      [--language de|en] [--phrases DATADIR] [--layer DIR]\n"
  "  zeugnis-tool analyse [FILE|-] [--language de|en] [--phrases DATADIR]\n"
  "  zeugnis-tool validate-phrases [DATADIR]\n";

static int
usage_error (const char *message)
{
  if (message != NULL)
    g_printerr ("zeugnis-tool: %s\n", message);
  g_printerr ("%s", usage_text);
  return EXIT_USAGE;
}

static int
fail (const char *what,
      GError     *error)
{
  g_printerr ("zeugnis-tool: %s: %s\n", what, error ? error->message : "failed");
  return EXIT_FAILURE;
}

/* DATADIR holds phrases/ and analysis/; a path to the phrases/ folder itself
 * is accepted too. */
static char *
resolve_datadir (const char *dir)
{
  g_autofree char *base = NULL;

  if (dir == NULL)
    return g_strdup (zg_phrase_library_default_datadir ());
  base = g_path_get_basename (dir);
  if (g_str_equal (base, "phrases"))
    return g_path_get_dirname (dir);
  return g_strdup (dir);
}

static ZgPhraseLibrary *
load_library (const char  *dir,
              const char  *layer,
              GError     **error)
{
  g_autofree char *datadir = resolve_datadir (dir);
  g_autoptr(ZgPhraseLibrary) lib = zg_phrase_library_load (datadir, error);

  if (lib == NULL)
    return NULL;
  if (layer != NULL && !zg_phrase_library_add_layer_dir (lib, layer, error))
    return NULL;
  return g_steal_pointer (&lib);
}

static ZgFormatProfile *
load_profile (const char  *path,
              const char  *datadir,
              GError     **error)
{
  g_autofree char *fallback = NULL;

  if (path != NULL)
    return zg_format_profile_load_file (path, error);
  fallback = g_build_filename (datadir, "profiles", "default.json", NULL);
  if (g_file_test (fallback, G_FILE_TEST_IS_REGULAR))
    return zg_format_profile_load_file (fallback, error);
  return zg_format_profile_new_default ();
}

static gboolean
read_input (const char  *path,
            char       **contents,
            GError     **error)
{
  if (path == NULL || g_str_equal (path, "-"))
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

      /* The target stays open for the terminating NUL. */
      if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_NONE, NULL, error) < 0)
        return FALSE;
      if (!g_output_stream_write_all (out, "", 1, NULL, NULL, error) ||
          !g_output_stream_close (out, NULL, error))
        return FALSE;
      *contents = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
      return TRUE;
    }
  return g_file_get_contents (path, contents, NULL, error);
}

static gboolean
check_language (const char *language)
{
  return language == NULL || g_str_equal (language, "de") || g_str_equal (language, "en");
}

static int
cmd_render (int    argc,
            char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *text_output = NULL;
  g_autofree char *profile_path = NULL;
  g_autofree char *language = NULL;
  g_autofree char *phrases = NULL;
  g_autofree char *layer = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the PDF here", "OUT.pdf" },
    { "text", 0, 0, G_OPTION_ARG_FILENAME, &text_output, "Write the plain text here", "OUT.txt" },
    { "profile", 0, 0, G_OPTION_ARG_FILENAME, &profile_path, "Formatting profile", "P.json" },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, "Letter language", "de|en" },
    { "phrases", 0, 0, G_OPTION_ARG_FILENAME, &phrases, "Data directory of the phrase library",
      "DATADIR" },
    { "layer", 0, 0, G_OPTION_ARG_FILENAME, &layer, "Customer phrase layer (R-APP-6)", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("CERT.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgPhraseLibrary) lib = NULL;
  g_autoptr(ZgCertificate) cert = NULL;
  g_autoptr(ZgDocument) doc = NULL;
  g_autoptr(ZgFormatProfile) profile = NULL;
  g_autoptr(ZgPdfRenderer) renderer = NULL;
  g_autofree char *json = NULL;
  g_autofree char *datadir = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc != 2)
    return usage_error ("render needs exactly one certificate file");
  if (output == NULL && text_output == NULL)
    return usage_error ("render needs -o OUT.pdf or --text OUT.txt");
  if (!check_language (language))
    return usage_error ("--language must be de or en");

  if (!read_input (argv[1], &json, &error))
    return fail ("cannot read the certificate", error);
  cert = zg_certificate_from_data (json, -1, &error);
  if (cert == NULL)
    return fail (argv[1], error);
  if (language != NULL)
    {
      g_free (cert->language);
      cert->language = g_strdup (language);
    }

  lib = load_library (phrases, layer, &error);
  if (lib == NULL)
    return fail ("cannot load the phrase library", error);
  doc = zg_generate (lib, cert, &error);
  if (doc == NULL)
    return fail ("cannot generate the certificate text", error);

  if (text_output != NULL)
    {
      g_autofree char *text = zg_document_to_text (doc);

      if (g_str_equal (text_output, "-"))
        fputs (text, stdout);
      else if (!g_file_set_contents (text_output, text, -1, &error))
        return fail (text_output, error);
    }

  if (output != NULL)
    {
      datadir = resolve_datadir (phrases);
      profile = load_profile (profile_path, datadir, &error);
      if (profile == NULL)
        return fail ("formatting profile", error);
      renderer = zg_pdf_renderer_new (profile, &error);
      if (renderer == NULL)
        return fail ("formatting profile", error);
      if (!zg_pdf_renderer_render_to_file (renderer, doc, output, &error))
        return fail (output, error);
    }
  return EXIT_SUCCESS;
}

static int
cmd_analyse (int    argc,
             char **argv)
{
  g_autofree char *language = NULL;
  g_autofree char *phrases = NULL;
  GOptionEntry entries[] = {
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, "Language of the text", "de|en" },
    { "phrases", 0, 0, G_OPTION_ARG_FILENAME, &phrases, "Data directory of the phrase library",
      "DATADIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[FILE|-]");
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgPhraseLibrary) lib = NULL;
  g_autoptr(ZgAnalysis) analysis = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc > 2)
    return usage_error ("analyse reads one file (or - for standard input)");
  if (!check_language (language))
    return usage_error ("--language must be de or en");

  if (!read_input (argc == 2 ? argv[1] : NULL, &text, &error))
    return fail ("cannot read the text", error);
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_printerr ("zeugnis-tool: the text is not valid UTF-8\n");
      return EXIT_FAILURE;
    }
  lib = load_library (phrases, NULL, &error);
  if (lib == NULL)
    return fail ("cannot load the phrase library", error);

  analysis = zg_analyse (lib, text, language ? language : "de");
  node = zg_analysis_to_json (analysis);
  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, TRUE);
  out = json_generator_to_data (gen, NULL);
  printf ("%s\n", out);
  return EXIT_SUCCESS;
}

static int
cmd_validate_phrases (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("[DATADIR]");
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgPhraseLibrary) lib = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc > 2)
    return usage_error ("validate-phrases takes at most one directory");

  lib = load_library (argc == 2 ? argv[1] : NULL, NULL, &error);
  if (lib == NULL)
    return fail ("the phrase library cannot be loaded", error);
  problems = zg_phrase_library_validate (lib);
  for (guint i = 0; i < problems->len; i++)
    printf ("%s\n", (const char *) g_ptr_array_index (problems, i));
  if (problems->len > 0)
    {
      g_printerr ("zeugnis-tool: %u problem(s) in the phrase library\n", problems->len);
      return EXIT_FAILURE;
    }
  g_printerr ("zeugnis-tool: the phrase library is complete\n");
  return EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  const char *command;

  setlocale (LC_ALL, "");
  if (argc < 2)
    return usage_error (NULL);
  command = argv[1];
  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") ||
      g_str_equal (command, "help"))
    {
      printf ("%s", usage_text);
      return EXIT_SUCCESS;
    }
  /* The sub-command's own options start after its name. */
  argv[1] = argv[0];
  if (g_str_equal (command, "render"))
    return cmd_render (argc - 1, argv + 1);
  if (g_str_equal (command, "analyse") || g_str_equal (command, "analyze"))
    return cmd_analyse (argc - 1, argv + 1);
  if (g_str_equal (command, "validate-phrases"))
    return cmd_validate_phrases (argc - 1, argv + 1);
  argv[1] = (char *) command;
  return usage_error ("unknown command");
}
