/* test-pdf.c — formatting profiles (R-APP-3) and the certificate PDF (R-APP-8)
 *
 * The PDFs are read back with the real poppler tools (pdftotext, pdfinfo,
 * pdffonts, pdftoppm) as a user's viewer would read them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <cairo.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "zg-format-profile.h"
#include "zg-hyphenate.h"
#include "zg-pdf.h"

#define MM (72.0 / 25.4)

/* ---- helpers ----------------------------------------------------------------------------- */

static const char *
data_dir (void)
{
  const char *dir = g_getenv ("ZG_DATADIR");

  return dir != NULL ? dir : ZG_SOURCE_DATADIR;
}

static char *
default_profile_path (void)
{
  return g_build_filename (data_dir (), "profiles", "default.json", NULL);
}

static ZgFormatProfile *
load_default_profile (void)
{
  g_autofree char *path = default_profile_path ();
  g_autoptr(GError) error = NULL;
  ZgFormatProfile *profile = zg_format_profile_load_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

/* Runs a poppler tool and returns its standard output. */
static char *
run_tool (const char *const *argv)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
  return g_steal_pointer (&out);
}

static char *
pdf_text (const char *pdf,
          int         page)
{
  g_autofree char *first = g_strdup_printf ("%d", page > 0 ? page : 1);
  g_autofree char *last = g_strdup_printf ("%d", page > 0 ? page : 9999);
  const char *argv[] = { "pdftotext", "-raw", "-enc", "UTF-8", "-f", first, "-l", last, pdf, "-",
                         NULL };

  return run_tool (argv);
}

static char *
pdf_info_field (const char *pdf,
                const char *field)
{
  const char *argv[] = { "pdfinfo", "-enc", "UTF-8", pdf, NULL };
  g_autofree char *out = run_tool (argv);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autofree char *prefix = g_strdup_printf ("%s:", field);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strstrip (g_strdup (lines[i] + strlen (prefix)));
  return NULL;
}

static guint
pdf_page_count (const char *pdf)
{
  g_autofree char *pages = pdf_info_field (pdf, "Pages");

  g_assert_nonnull (pages);
  return (guint) g_ascii_strtoull (pages, NULL, 10);
}

/* Every font of the PDF is embedded (pdffonts: the "emb" column says "yes"). */
static void
assert_fonts_embedded (const char *pdf)
{
  const char *argv[] = { "pdffonts", pdf, NULL };
  g_autofree char *out = run_tool (argv);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint fonts = 0;

  /* Two header lines; the columns after the name: type, encoding, emb, sub, uni, id. */
  for (guint i = 2; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cols = NULL;
      guint n;

      if (lines[i][0] == '\0')
        continue;
      cols = g_regex_split_simple ("\\s+", g_strstrip (lines[i]), 0, 0);
      n = g_strv_length (cols);
      g_assert_cmpuint (n, >=, 6);
      g_assert_cmpstr (cols[n - 5], ==, "yes");
      fonts++;
    }
  g_assert_cmpuint (fonts, >, 0);
}

/* Whitespace-insensitive, hyphenation-insensitive form of a text: a soft
 * hyphen at a line end joins the two halves, bullets match the "- " of the
 * plain text, and runs of white space become one space. */
static char *
normalize (const char *text)
{
  g_autoptr(GString) s = g_string_new (text);
  g_autoptr(GRegex) ws = g_regex_new ("\\s+", 0, 0, NULL);
  g_autofree char *collapsed = NULL;

  g_string_replace (s, "\u00A0", " ", 0);   /* no-break spaces in dates and names */
  g_string_replace (s, ZG_SOFT_HYPHEN "\n", "", 0);
  g_string_replace (s, ZG_SOFT_HYPHEN, "", 0);
  g_string_replace (s, "\f", "\n", 0);
  g_string_replace (s, "•", "-", 0);
  collapsed = g_regex_replace_literal (ws, s->str, -1, 0, " ", 0, NULL);
  /* Pango may also break a line after a hyphen or a slash ("Müller-|Lüdenscheidt",
   * "Kaufmann/|Kauffrau"); the reader then sees a space there. */
  {
    g_autoptr(GRegex) joints = g_regex_new (" ?([-/]) ?", 0, 0, NULL);
    char *joined = g_regex_replace (joints, collapsed, -1, 0, "\\1", 0, NULL);

    g_free (collapsed);
    collapsed = joined;
  }
  return g_strstrip (g_steal_pointer (&collapsed));
}

static char *
remove_all (const char *haystack,
            const char *needle)
{
  g_autoptr(GString) s = g_string_new (haystack);

  g_string_replace (s, needle, "", 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The body text of the PDF as a reader gets it: from the title on, without
 * the footer lines and page numbers (pdftotext -raw gives each on a line of
 * its own, in drawing order). */
static char *
pdf_body_text (const char            *pdf,
               const ZgDocument      *doc,
               const ZgFormatProfile *profile)
{
  g_autofree char *raw = pdf_text (pdf, 0);
  g_auto(GStrv) lines = g_strsplit_set (raw, "\n\f", -1);
  g_autoptr(GRegex) page_number = g_regex_new ("^(Seite|Page) \\d+ (von|of) \\d+$", 0, 0, NULL);
  g_autoptr(GPtrArray) footer = g_ptr_array_new ();
  g_autoptr(GString) kept = g_string_new (NULL);
  g_autofree char *text = NULL;
  const char *start;
  guint n_lines;

  /* The footer is one run of lines (all columns in order); a signatory who
   * is also named in the footer must stay in the body text. */
  for (guint c = 0; c < profile->footer_columns->len; c++)
    {
      char **column = g_ptr_array_index (profile->footer_columns, c);

      for (guint i = 0; column[i] != NULL; i++)
        g_ptr_array_add (footer, column[i]);
    }
  n_lines = g_strv_length (lines);
  for (guint i = 0; i < n_lines; i++)
    g_strstrip (lines[i]);
  for (guint i = 0; i < n_lines; i++)
    {
      guint k = 0;

      while (k < footer->len && i + k < n_lines &&
             g_str_equal (lines[i + k], g_ptr_array_index (footer, k)))
        k++;
      if (footer->len > 0 && k == footer->len)
        {
          i += k - 1;
          continue;
        }
      if (lines[i][0] == '\0' || g_regex_match (page_number, lines[i], 0, NULL))
        continue;
      g_string_append_printf (kept, "%s\n", lines[i]);
    }
  text = normalize (kept->str);
  start = strstr (text, doc->title);
  g_assert_nonnull (start);
  return g_strdup (start);
}

static void
assert_text_matches_document (const char            *pdf,
                              const ZgDocument      *doc,
                              const ZgFormatProfile *profile)
{
  g_autofree char *plain = zg_document_to_text (doc);
  g_autofree char *expected = normalize (plain);
  g_autofree char *actual = pdf_body_text (pdf, doc, profile);

  g_assert_cmpstr (actual, ==, expected);
}

/* Every word pdftotext finds lies inside the left and right margins. */
static void
assert_words_inside_margins (const char            *pdf,
                             const ZgFormatProfile *profile)
{
  g_autofree char *html = g_strdup_printf ("%s.bbox.html", pdf);
  const char *argv[] = { "pdftotext", "-bbox", "-enc", "UTF-8", pdf, html, NULL };
  g_autofree char *ignored = run_tool (argv);
  g_autofree char *contents = NULL;
  g_autoptr(GRegex) re = g_regex_new ("<word xMin=\"([0-9.]+)\" yMin=\"[0-9.]+\" "
                                      "xMax=\"([0-9.]+)\"[^>]*>([^<]*)</word>", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  double left = profile->margin_left_mm * MM - 0.5;
  double right = ZG_PDF_A4_WIDTH_PT - profile->margin_right_mm * MM + 0.5;
  guint words = 0;

  g_assert_true (g_file_get_contents (html, &contents, NULL, NULL));
  g_regex_match (re, contents, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *x0 = g_match_info_fetch (match, 1);
      g_autofree char *x1 = g_match_info_fetch (match, 2);
      g_autofree char *word = g_match_info_fetch (match, 3);

      if (g_ascii_strtod (x0, NULL) < left || g_ascii_strtod (x1, NULL) > right)
        g_error ("word “%s” outside the margins: %s–%s (allowed %.1f–%.1f)", word, x0, x1,
                 left, right);
      words++;
      g_match_info_next (match, NULL);
    }
  g_assert_cmpuint (words, >, 50);
  g_unlink (html);
}

static char *tmp_dir = NULL;

static void
remove_tmp_dir (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (tmp_dir == NULL)
    return;
  dir = g_dir_open (tmp_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);
}

static char *
tmp_pdf (const char *name)
{
  char *dir;

  if (tmp_dir == NULL)
    {
      g_autoptr(GError) error = NULL;

      tmp_dir = g_dir_make_tmp ("zg-test-pdf-XXXXXX", &error);
      g_assert_no_error (error);
    }
  dir = tmp_dir;
  return g_build_filename (dir, name, NULL);
}

static void
render (ZgFormatProfile  *profile,
        const ZgDocument *doc,
        const char       *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgPdfRenderer) renderer = zg_pdf_renderer_new (profile, &error);

  g_assert_no_error (error);
  g_assert_true (zg_pdf_renderer_render_to_file (renderer, doc, path, &error));
  g_assert_no_error (error);
}

/* ---- documents --------------------------------------------------------------------------- */

static ZgDocument *
short_certificate (void)
{
  ZgDocument *doc = zg_document_new ("de");

  doc->title = g_strdup ("Arbeitszeugnis");
  doc->company_name = g_strdup ("Muster GmbH");
  doc->subject_name = g_strdup ("Jana Müller-Lüdenscheidt");
  zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "intro",
                         "Frau Jana Müller-Lüdenscheidt, geboren am 14. März 1988 in Görlitz, war "
                         "vom 1. April 2019 bis zum 30. Juni 2026 in unserem Unternehmen als "
                         "Sozialversicherungsfachangestellte in der Abteilung Entgeltabrechnung "
                         "tätig.");
  zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "tasks", "Zu ihren Aufgaben gehörten:");
  zg_document_add_block (doc, ZG_BLOCK_LIST_ITEM, "tasks",
                         "Prüfung der Versicherungspflicht und Beitragsberechnung in der Kranken-, "
                         "Pflege-, Renten- und Arbeitslosenversicherung");
  zg_document_add_block (doc, ZG_BLOCK_LIST_ITEM, "tasks", "Betreuung von Betriebsprüfungen");
  zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "overall",
                         "Frau Müller-Lüdenscheidt arbeitete stets äußerst selbstständig, "
                         "sorgfältig und gewissenhaft. Sie erledigte die ihr übertragenen "
                         "Aufgaben stets zu unserer vollsten Zufriedenheit.");
  zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "closing",
                         "Frau Müller-Lüdenscheidt verlässt unser Unternehmen auf eigenen Wunsch. "
                         "Wir bedauern ihr Ausscheiden sehr und wünschen ihr für ihre Zukunft "
                         "alles Gute und weiterhin viel Erfolg.");
  doc->place_date = g_strdup ("Berlin, 30. Juni 2026");
  zg_document_add_signatory (doc, "Dr. Erika Mustermann", "Geschäftsführerin");
  return doc;
}

static const char *const long_paragraphs[] = {
  "Die Muster GmbH ist ein mittelständisches Dienstleistungsunternehmen mit rund 450 "
  "Beschäftigten an vier Standorten, das sich auf Entgeltabrechnung, Zeitwirtschaft und "
  "betriebliche Altersversorgung für Unternehmen aller Größenordnungen spezialisiert hat.",
  "Frau Müller-Lüdenscheidt zeigte stets außerordentliche Eigeninitiative und identifizierte "
  "sich jederzeit in vollem Umfang mit ihren Aufgaben und unserem Unternehmen. Sie war eine "
  "hoch motivierte Mitarbeiterin, die auch bei hohem Arbeitsaufkommen stets engagiert und "
  "zielstrebig arbeitete.",
  "Sie verfügt über ein umfassendes und fundiertes Fachwissen im Sozialversicherungs- und "
  "Beitragsrecht, das sie stets sicher und äußerst zielgerichtet in der Praxis einsetzte. Durch "
  "regelmäßige Weiterbildungen, unter anderem zur Entgeltabrechnung nach aktuellem Lohnsteuer- "
  "und Sozialversicherungsrecht, hielt sie ihr Wissen stets auf dem neuesten Stand.",
  "Frau Müller-Lüdenscheidt arbeitete stets äußerst selbstständig, sorgfältig und gewissenhaft. "
  "Auch in schwierigen Situationen behielt sie jederzeit den Überblick und fand stets "
  "hervorragende Lösungen. Ihre Arbeitsergebnisse waren in qualitativer und quantitativer "
  "Hinsicht stets sehr gut, auch unter erheblichem Termindruck.",
  "Besonders hervorzuheben ist ihr maßgeblicher Beitrag zur Einführung eines neuen "
  "Abrechnungssystems, bei der sie die Datenübernahme für mehr als 12.000 "
  "Beschäftigtenstammsätze verantwortete und termingerecht abschloss. Die Fehlerquote der "
  "monatlichen Abrechnungen konnte sie in ihrem Verantwortungsbereich deutlich senken.",
  "An internen und externen Fortbildungsmaßnahmen nahm sie mit großem Erfolg teil und brachte "
  "die gewonnenen Erkenntnisse stets gewinnbringend in ihre tägliche Arbeit ein.",
  "Ihr Verhalten gegenüber Vorgesetzten, Kolleginnen und Kollegen sowie gegenüber unseren "
  "Kunden war stets vorbildlich. Sie wurde wegen ihrer freundlichen, hilfsbereiten und "
  "ausgeglichenen Art allseits sehr geschätzt und trug wesentlich zu einem ausgezeichneten "
  "Betriebsklima bei.",
};

static ZgDocument *
long_certificate (const char *language)
{
  ZgDocument *doc = zg_document_new (language);
  gboolean de = g_str_equal (language, "de");

  doc->title = g_strdup (de ? "Arbeitszeugnis" : "Reference");
  doc->company_name = g_strdup ("Muster GmbH");
  doc->subject_name = g_strdup ("Maximiliane Alexandra von Hohenzollern-Sigmaringen");
  if (de)
    {
      zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "intro",
                             "Frau Maximiliane Alexandra von Hohenzollern-Sigmaringen, geboren am "
                             "2. Februar 1985 in Würzburg, war vom 1. April 2015 bis zum 30. Juni "
                             "2026 als Sozialversicherungsfachangestellte in unserem Unternehmen "
                             "tätig.");
      for (guint i = 0; i < G_N_ELEMENTS (long_paragraphs); i++)
        {
          zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "rating", long_paragraphs[i]);
          if (i == 0)
            {
              zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "tasks",
                                     "Zu ihren Aufgaben gehörten insbesondere:");
              zg_document_add_block (doc, ZG_BLOCK_LIST_ITEM, "tasks",
                                     "Bearbeitung von Meldungen nach der DEÜV sowie Korrespondenz "
                                     "mit Krankenkassen und der Deutschen Rentenversicherung");
              zg_document_add_block (doc, ZG_BLOCK_LIST_ITEM, "tasks",
                                     "Einarbeitung neuer Kolleginnen und Kollegen");
              zg_document_add_block (doc, ZG_BLOCK_LIST_ITEM, "tasks",
                                     "Betreuung der Donaudampfschifffahrtsgesellschaft als "
                                     "Großkundin");
            }
        }
      zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "closing",
                             "Frau von Hohenzollern-Sigmaringen verlässt unser Unternehmen auf "
                             "eigenen Wunsch, um eine neue berufliche Herausforderung anzunehmen. "
                             "Wir bedauern ihr Ausscheiden sehr, danken ihr für die stets sehr "
                             "gute Zusammenarbeit und wünschen ihr für ihre berufliche und private "
                             "Zukunft alles Gute und weiterhin viel Erfolg.");
      doc->place_date = g_strdup ("Berlin, 30. Juni 2026");
    }
  else
    {
      for (guint i = 0; i < 9; i++)
        zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "rating",
                               "Ms von Hohenzollern-Sigmaringen always performed her "
                               "responsibilities conscientiously, independently and to our "
                               "complete satisfaction. Her comprehensive expertise in social "
                               "security contributions, her extraordinary commitment and her "
                               "considerate manner towards colleagues, superiors and customers "
                               "were highly appreciated throughout the organisation.");
      zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "closing",
                             "She leaves our company at her own request. We regret her decision, "
                             "thank her for her excellent work and wish her every success.");
      doc->place_date = g_strdup ("Berlin, 30 June 2026");
    }
  zg_document_add_signatory (doc, "Dr. Erika Mustermann", de ? "Geschäftsführerin"
                                                             : "Managing Director");
  zg_document_add_signatory (doc, "Hans-Peter Beispiel", de ? "Leiter Personal"
                                                            : "Head of Human Resources");
  return doc;
}

/* ---- profile tests ----------------------------------------------------------------------- */

static void
test_profile_default (void)
{
  g_autoptr(ZgFormatProfile) profile = load_default_profile ();
  g_autoptr(ZgFormatProfile) reread = NULL;
  g_autoptr(ZgFormatProfile) builtin = zg_format_profile_new_default ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;

  /* R-APP-3: letterhead, logo, fonts, margins and signature block are data. */
  g_assert_cmpstr (profile->font_family, ==, "Liberation Sans");
  g_assert_cmpstr (profile->company_name, ==, "Muster GmbH");
  g_assert_cmpint (profile->logo_format, ==, ZG_LOGO_SVG);
  g_assert_cmpuint (profile->footer_columns->len, ==, 4);
  g_assert_true (zg_format_profile_validate (builtin, &error));
  g_assert_no_error (error);

  /* Round trip with the logo embedded (the synced form of the record). */
  json = zg_format_profile_to_json (profile, TRUE);
  reread = zg_format_profile_from_json (json, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reread);
  g_assert_true (g_bytes_equal (reread->logo_data, profile->logo_data));
  json2 = zg_format_profile_to_json (reread, TRUE);
  g_assert_cmpstr (json, ==, json2);
}

static void
test_profile_rejects_bad_json (void)
{
  static const struct
  {
    const char *json;
    int         code;
    const char *mentions;
  } cases[] = {
    { "{ not json", ZG_FORMAT_PROFILE_ERROR_PARSE, NULL },
    { "[1, 2]", ZG_FORMAT_PROFILE_ERROR_PARSE, NULL },
    { "{\"version\": 1}", ZG_FORMAT_PROFILE_ERROR_INVALID, "format" },
    { "{\"format\": \"zeugnis-format-profile\", \"version\": 2}",
      ZG_FORMAT_PROFILE_ERROR_INVALID, "version" },
    { "{\"format\": \"zeugnis-format-profile\", \"version\": 1, \"colour\": \"red\"}",
      ZG_FORMAT_PROFILE_ERROR_INVALID, "colour" },
    { "{\"format\": \"zeugnis-format-profile\", \"version\": 1, \"font\": {\"size_pt\": 72}}",
      ZG_FORMAT_PROFILE_ERROR_INVALID, "font.size_pt" },
    { "{\"format\": \"zeugnis-format-profile\", \"version\": 1, \"font\": {\"size_pt\": \"11\"}}",
      ZG_FORMAT_PROFILE_ERROR_INVALID, "font.size_pt" },
    { "{\"format\": \"zeugnis-format-profile\", \"version\": 1, \"font\": {\"family\": \"\"}}",
      ZG_FORMAT_PROFILE_ERROR_INVALID, "font.family" },
    { "{\"format\": \"zeugnis-format-profile\", \"version\": 1,"
      " \"page\": {\"size\": \"Letter\"}}", ZG_FORMAT_PROFILE_ERROR_INVALID, "page.size" },
    { "{\"format\": \"zeugnis-format-profile\", \"version\": 1,"
      " \"page\": {\"margins_mm\": {\"left\": -5}}}", ZG_FORMAT_PROFILE_ERROR_INVALID,
      "page.margins_mm.left" },
    { "{\"format\": \"zeugnis-format-profile\", \"version\": 1,"
      " \"signature\": {\"layout\": \"diagonal\"}}", ZG_FORMAT_PROFILE_ERROR_INVALID,
      "signature.layout" },
    { "{\"format\": \"zeugnis-format-profile\", \"version\": 1,"
      " \"footer\": {\"columns\": [[\"a\"], [\"b\"], [\"c\"], [\"d\"], [\"e\"]]}}",
      ZG_FORMAT_PROFILE_ERROR_INVALID, "footer.columns" },
    { "{\"format\": \"zeugnis-format-profile\", \"version\": 1,"
      " \"footer\": {\"columns\": [[1, 2]]}}", ZG_FORMAT_PROFILE_ERROR_INVALID, "footer.columns" },
    { "{\"format\": \"zeugnis-format-profile\", \"version\": 1,"
      " \"letterhead\": {\"logo\": {\"data\": \"!!not base64!!\"}}}",
      ZG_FORMAT_PROFILE_ERROR_INVALID, "letterhead.logo.data" },
    { "{\"format\": \"zeugnis-format-profile\", \"version\": 1,"
      " \"letterhead\": {\"logo\": {\"data\": \"R0lGODlhAQABAAAAACw=\"}}}",  /* a GIF */
      ZG_FORMAT_PROFILE_ERROR_LOGO, NULL },
    { "{\"format\": \"zeugnis-format-profile\", \"version\": 1,"
      " \"letterhead\": {\"logo\": {\"path\": \"does-not-exist.png\"}}}",
      ZG_FORMAT_PROFILE_ERROR_LOGO, NULL },
  };

  /* R-APP-3: a broken profile is refused with a clear error, never half-applied. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ZgFormatProfile) profile = zg_format_profile_from_json (cases[i].json, -1,
                                                                        data_dir (), &error);

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_null (profile);
      g_assert_error (error, ZG_FORMAT_PROFILE_ERROR, cases[i].code);
      if (cases[i].mentions != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].mentions));
    }
}

static void
test_profile_bad_png_rejected_by_renderer (void)
{
  static const guint8 fake_png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                                     'I', 'H', 'D', 'R', 1, 2, 3 };
  g_autoptr(ZgFormatProfile) profile = zg_format_profile_new_default ();
  g_autoptr(GBytes) bytes = g_bytes_new_static (fake_png, sizeof fake_png);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgPdfRenderer) renderer = NULL;

  g_assert_true (zg_format_profile_set_logo (profile, bytes, &error));
  g_assert_no_error (error);
  renderer = zg_pdf_renderer_new (profile, &error);
  g_assert_null (renderer);
  g_assert_error (error, ZG_PDF_ERROR, ZG_PDF_ERROR_LOGO);
}

/* ---- hyphenation ------------------------------------------------------------------------- */

static void
test_hyphenation_german (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgHyphenator) hyph = zg_hyphenator_new_for_language ("de", &error);
  const char *const protected_words[] = { "Müller", "Lüdenscheidt", NULL };
  g_autofree char *word = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *sentence = NULL;
  g_auto(GStrv) parts = NULL;

  g_assert_no_error (error);
  word = zg_hyphenator_hyphenate_word (hyph, "Sozialversicherungsfachangestellte");
  parts = g_strsplit (word, ZG_SOFT_HYPHEN, -1);
  joined = g_strjoinv ("", parts);
  g_assert_cmpstr (joined, ==, "Sozialversicherungsfachangestellte");
  g_assert_cmpuint (g_strv_length (parts), >=, 6);
  /* The compound joints are break points; no one-letter piece ("so-zi-a-l"). */
  g_assert_nonnull (strstr (word, "al" ZG_SOFT_HYPHEN "ver"));
  g_assert_nonnull (strstr (word, "rungs" ZG_SOFT_HYPHEN "fach"));
  for (guint i = 0; parts[i] != NULL; i++)
    g_assert_cmpuint (g_utf8_strlen (parts[i], -1), >=, 2);

  /* Umlauts and ß go through the ISO-8859-1 patterns. */
  g_clear_pointer (&word, g_free);
  word = zg_hyphenator_hyphenate_word (hyph, "Geschäftsführerin");
  g_assert_cmpstr (word, ==, "Ge" ZG_SOFT_HYPHEN "schäfts" ZG_SOFT_HYPHEN "füh" ZG_SOFT_HYPHEN
                   "re" ZG_SOFT_HYPHEN "rin");

  /* Names, addresses and short words stay whole. */
  sentence = zg_hyphenator_insert_soft_hyphens (hyph, "Frau Müller-Lüdenscheidt schrieb an "
                                                "personal@muster-gmbh.de am 12.06.2026 über "
                                                "Zusammenarbeit.", protected_words);
  g_assert_nonnull (strstr (sentence, " Müller-Lüdenscheidt schrieb an personal@muster-gmbh.de "
                                      "am 12.06.2026 über "));
  g_assert_nonnull (strstr (sentence, "Zu" ZG_SOFT_HYPHEN "sam" ZG_SOFT_HYPHEN "men"));
}

static void
test_hyphenation_english (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgHyphenator) hyph = zg_hyphenator_new_for_language ("en", &error);
  g_autofree char *word = NULL;

  if (hyph == NULL)
    {
      g_test_skip ("no English hyphenation patterns installed (hyphen-en-gb)");
      return;
    }
  word = zg_hyphenator_hyphenate_word (hyph, "conscientiously");
  g_assert_nonnull (strstr (word, ZG_SOFT_HYPHEN));
  g_assert_null (zg_hyphenator_new_for_language ("xx", NULL));
}

/* ---- PDF tests --------------------------------------------------------------------------- */

static void
test_pdf_one_page (void)
{
  g_autoptr(ZgFormatProfile) profile = load_default_profile ();
  g_autoptr(ZgDocument) doc = short_certificate ();
  g_autofree char *path = tmp_pdf ("one-page.pdf");
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  g_autofree char *author = NULL;
  g_autofree char *subject = NULL;

  render (profile, doc, path);

  /* R-APP-8: the PDF reads back as the generated text. */
  g_assert_cmpuint (pdf_page_count (path), ==, 1);
  assert_text_matches_document (path, doc, profile);
  assert_fonts_embedded (path);
  assert_words_inside_margins (path, profile);

  /* Page numbers only on letters of more than one page. */
  text = pdf_text (path, 0);
  g_assert_null (strstr (text, "Seite"));

  title = pdf_info_field (path, "Title");
  author = pdf_info_field (path, "Author");
  subject = pdf_info_field (path, "Subject");
  g_assert_cmpstr (title, ==, "Arbeitszeugnis – Jana Müller-Lüdenscheidt");
  g_assert_cmpstr (author, ==, "Muster GmbH");
  g_assert_cmpstr (subject, ==, "Arbeitszeugnis für Jana Müller-Lüdenscheidt");
}

static void
test_pdf_two_pages (void)
{
  g_autoptr(ZgFormatProfile) profile = load_default_profile ();
  g_autoptr(ZgDocument) doc = long_certificate ("de");
  g_autofree char *path = tmp_pdf ("two-pages.pdf");
  g_autofree char *page1 = NULL;
  g_autofree char *page2 = NULL;
  g_autofree char *page2_norm = NULL;
  const ZgBlock *closing = g_ptr_array_index (doc->blocks, doc->blocks->len - 1);
  g_autofree char *closing_norm = normalize (closing->text);

  render (profile, doc, path);

  g_assert_cmpuint (pdf_page_count (path), ==, 2);
  assert_text_matches_document (path, doc, profile);
  assert_fonts_embedded (path);
  assert_words_inside_margins (path, profile);

  page1 = pdf_text (path, 1);
  page2 = pdf_text (path, 2);
  g_assert_nonnull (strstr (page1, "Seite 1 von 2"));
  g_assert_nonnull (strstr (page2, "Seite 2 von 2"));

  /* The signature block is not alone on page 2: the end of the closing
   * paragraph (at least its last two lines) comes with it. */
  page2_norm = normalize (page2);
  g_assert_nonnull (strstr (page2_norm, "Berlin, 30. Juni 2026"));
  g_assert_false (g_str_has_prefix (page2_norm, "Berlin, 30. Juni 2026"));
  {
    const char *end_of_closing = closing_norm + strlen (closing_norm) - 60;
    g_autofree char *joined = remove_all (page2_norm, "\n");

    g_assert_nonnull (strstr (joined, end_of_closing));
  }
  /* The footer (Handelsregister, bank) is on the letterhead page only. */
  g_assert_nonnull (strstr (page1, "HRB 123456 B"));
  g_assert_null (strstr (page2, "HRB 123456 B"));
}

static void
test_pdf_english (void)
{
  g_autoptr(ZgFormatProfile) profile = load_default_profile ();
  g_autoptr(ZgDocument) doc = long_certificate ("en");
  g_autofree char *path = tmp_pdf ("english.pdf");
  g_autofree char *text = NULL;
  g_autofree char *subject = NULL;

  render (profile, doc, path);
  g_assert_cmpuint (pdf_page_count (path), ==, 2);
  assert_text_matches_document (path, doc, profile);
  text = pdf_text (path, 0);
  g_assert_nonnull (strstr (text, "Page 1 of 2"));
  g_assert_null (strstr (text, "Seite"));
  subject = pdf_info_field (path, "Subject");
  g_assert_cmpstr (subject, ==, "Reference for Maximiliane Alexandra von Hohenzollern-Sigmaringen");
}

/* Renders page 1 at 40 dpi and counts clearly blue pixels inside the logo
 * box of the profile (the demo logo is blue; the text is black and grey). */
static guint
count_logo_pixels (const char            *pdf,
                   const ZgFormatProfile *profile)
{
  g_autofree char *prefix = g_strdup_printf ("%s.page", pdf);
  g_autofree char *png = g_strdup_printf ("%s.png", prefix);
  const char *argv[] = { "pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile", pdf,
                         prefix, NULL };
  g_autofree char *ignored = run_tool (argv);
  cairo_surface_t *image = cairo_image_surface_create_from_png (png);
  double scale = 40.0 / 25.4;   /* pixels per mm */
  int x0, x1, y0, y1, stride;
  const guint8 *data;
  guint blue = 0;

  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  stride = cairo_image_surface_get_stride (image);
  data = cairo_image_surface_get_data (image);
  x1 = (int) ((210 - profile->margin_right_mm) * scale);
  x0 = (int) ((210 - profile->margin_right_mm - profile->logo_width_mm) * scale);
  y0 = (int) (profile->margin_top_mm * scale);
  y1 = (int) ((profile->margin_top_mm + profile->logo_height_mm) * scale);
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        guint32 px = *(const guint32 *) (data + (gsize) y * (gsize) stride + (gsize) x * 4);
        int r = (int) ((px >> 16) & 0xff);
        int g = (int) ((px >> 8) & 0xff);
        int b = (int) (px & 0xff);

        if (b > r + 60 && b > g + 20)
          blue++;
      }
  cairo_surface_destroy (image);
  g_unlink (png);
  return blue;
}

static void
test_pdf_logo (gconstpointer data)
{
  const char *file = data;
  g_autoptr(ZgFormatProfile) profile = load_default_profile ();
  g_autoptr(ZgFormatProfile) no_logo = load_default_profile ();
  g_autoptr(ZgDocument) doc = short_certificate ();
  g_autofree char *logo_path = g_build_filename (data_dir (), "profiles", file, NULL);
  g_autofree char *name = g_strdup_printf ("logo-%s.pdf", file);
  g_autofree char *path = tmp_pdf (name);
  g_autofree char *plain = tmp_pdf ("no-logo.pdf");
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  /* R-APP-3: PNG and SVG logos in the letterhead. */
  g_assert_true (g_file_get_contents (logo_path, &contents, &len, &error));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  g_assert_true (zg_format_profile_set_logo (profile, bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpint (profile->logo_format, ==,
                   g_str_has_suffix (file, ".png") ? ZG_LOGO_PNG : ZG_LOGO_SVG);
  g_assert_true (zg_format_profile_set_logo (no_logo, NULL, &error));

  render (profile, doc, path);
  render (no_logo, doc, plain);
  g_assert_cmpuint (count_logo_pixels (path, profile), >, 30);
  g_assert_cmpuint (count_logo_pixels (plain, no_logo), ==, 0);
  assert_text_matches_document (path, doc, profile);
}

static void
test_pdf_bytes_and_pages (void)
{
  g_autoptr(ZgFormatProfile) profile = load_default_profile ();
  g_autoptr(ZgDocument) doc = long_certificate ("de");
  g_autoptr(ZgDocument) empty = zg_document_new ("de");
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgPdfRenderer) renderer = zg_pdf_renderer_new (profile, &error);
  g_autoptr(ZgPdfPages) pages = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) nothing = NULL;
  const char *data;
  gsize len = 0;

  g_assert_no_error (error);
  pages = zg_pdf_renderer_paginate (renderer, doc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zg_pdf_pages_get_n_pages (pages), ==, 2);

  bytes = zg_pdf_renderer_render_to_bytes (renderer, doc, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpuint (len, >, 5000);
  g_assert_true (memcmp (data, "%PDF-", 5) == 0);

  nothing = zg_pdf_renderer_render_to_bytes (renderer, empty, &error);
  g_assert_null (nothing);
  g_assert_error (error, ZG_PDF_ERROR, ZG_PDF_ERROR_DOCUMENT);
}

/* The first and the last block of the printed paragraph that block @i belongs to. */
static int
paragraph_start (const ZgDocument *doc,
                 int               i)
{
  while (i > 0 && ((const ZgBlock *) g_ptr_array_index (doc->blocks, i))->continues_paragraph)
    i--;
  return i;
}

static int
paragraph_end (const ZgDocument *doc,
               int               i)
{
  while ((guint) i + 1 < doc->blocks->len &&
         ((const ZgBlock *) g_ptr_array_index (doc->blocks, i + 1))->continues_paragraph)
    i++;
  return i;
}

/* Sentences that continue a paragraph are set with it as one justified paragraph
 * (one line here), not as paragraphs of their own; a list ends a paragraph. */
static void
test_pdf_paragraph_groups (void)
{
  g_autoptr(ZgFormatProfile) profile = load_default_profile ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgPdfRenderer) renderer = zg_pdf_renderer_new (profile, &error);
  g_autoptr(ZgDocument) doc = zg_document_new ("de");
  g_autoptr(ZgPdfPages) pages = NULL;
  g_autoptr(GArray) lines = NULL;
  g_autofree char *path = tmp_pdf ("paragraphs.pdf");
  g_autofree char *text = NULL;
  guint first_paragraph = 0;

  g_assert_no_error (error);
  doc->title = g_strdup ("Arbeitszeugnis");
  doc->subject_name = g_strdup ("Jana Müller");
  zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "rating.arbeitsweise",
                         "Sie arbeitete stets sorgfältig.");
  zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "rating.arbeitserfolg",
                         "Ihre Ergebnisse waren sehr gut.")->continues_paragraph = TRUE;
  zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "achievements",
                         "Hervorzuheben sind:")->continues_paragraph = TRUE;
  zg_document_add_block (doc, ZG_BLOCK_LIST_ITEM, "achievements", "Projekt A");
  zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "overall",
                         "Sie erledigte alles zu unserer vollsten Zufriedenheit.")
    ->continues_paragraph = TRUE;
  doc->place_date = g_strdup ("Berlin, 30. Juni 2026");

  pages = zg_pdf_renderer_paginate (renderer, doc, &error);
  g_assert_no_error (error);
  lines = zg_pdf_pages_get_lines (pages, 0);
  for (guint i = 0; i < lines->len; i++)
    {
      const ZgPdfPlacedLine *l = &g_array_index (lines, ZgPdfPlacedLine, i);

      g_assert_cmpint (l->block, !=, 1);
      g_assert_cmpint (l->block, !=, 2);
      first_paragraph += l->block == 0;
    }
  /* blocks 0-2 make one line, the list item one, the sentence after the list its own
   * paragraph, then the place/date + signature block */
  g_assert_cmpuint (first_paragraph, ==, 1);
  g_assert_cmpuint (lines->len, ==, 4);
  g_assert_cmpint (g_array_index (lines, ZgPdfPlacedLine, 2).block, ==, 4);

  render (profile, doc, path);
  text = pdf_text (path, 0);
  g_assert_nonnull (strstr (text, "Sie arbeitete stets sorgfältig. Ihre Ergebnisse waren sehr gut. "
                                  "Hervorzuheben sind:\n"));
  assert_text_matches_document (path, doc, profile);
}

/* A deterministic family of letters with paragraphs of 1 to 9 sentences,
 * lead-ins with lists, so that page breaks fall everywhere. */
static ZgDocument *
synthetic_certificate (GRand *rand)
{
  static const char *const sentences[] = {
    "Sie arbeitete stets äußerst selbstständig, sorgfältig und gewissenhaft.",
    "Auch in schwierigen Situationen behielt sie jederzeit den Überblick.",
    "Ihre Arbeitsergebnisse waren in qualitativer und quantitativer Hinsicht stets sehr gut.",
    "Die Sozialversicherungsfachangestellte bearbeitete Betriebsprüfungen eigenverantwortlich.",
    "Sie verfügt über ein umfassendes Fachwissen im Beitragsrecht.",
  };
  ZgDocument *doc = zg_document_new ("de");
  guint paragraphs = (guint) g_rand_int_range (rand, 6, 15);

  doc->title = g_strdup ("Arbeitszeugnis");
  doc->company_name = g_strdup ("Muster GmbH");
  doc->subject_name = g_strdup ("Jana Müller");
  for (guint p = 0; p < paragraphs; p++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint n = (guint) g_rand_int_range (rand, 1, 10);

      if (g_rand_int_range (rand, 0, 5) == 0)
        {
          zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "tasks", "Zu ihren Aufgaben gehörten:");
          for (guint i = 0; i < n; i++)
            zg_document_add_block (doc, ZG_BLOCK_LIST_ITEM, "tasks", sentences[i % 5]);
          continue;
        }
      /* half of the paragraphs as one block per sentence, as the generator writes them */
      if (g_rand_boolean (rand))
        {
          for (guint i = 0; i < n; i++)
            zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "rating",
                                   sentences[(p + i) % 5])->continues_paragraph = i > 0;
          continue;
        }
      for (guint i = 0; i < n; i++)
        g_string_append_printf (text, "%s%s", i ? " " : "", sentences[(p + i) % 5]);
      zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "rating", text->str);
    }
  doc->place_date = g_strdup ("Berlin, 30. Juni 2026");
  zg_document_add_signatory (doc, "Dr. Erika Mustermann", "Geschäftsführerin");
  return doc;
}

static void
test_pdf_page_break_rules (void)
{
  g_autoptr(ZgFormatProfile) profile = load_default_profile ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgPdfRenderer) renderer = zg_pdf_renderer_new (profile, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260630);
  guint splits = 0;
  guint multi_page = 0;

  g_assert_no_error (error);
  for (guint round = 0; round < 60; round++)
    {
      g_autoptr(ZgDocument) doc = synthetic_certificate (rand);
      g_autoptr(ZgPdfPages) pages = zg_pdf_renderer_paginate (renderer, doc, &error);
      guint n_pages;
      guint total = 0;
      guint expected = 1;   /* the signature block */
      int last_block = paragraph_start (doc, (int) doc->blocks->len - 1);
      int sig_page = -1;
      int prev_block = -2;
      int prev_page_lines_of_block = 0;

      g_assert_no_error (error);
      n_pages = zg_pdf_pages_get_n_pages (pages);
      multi_page += n_pages > 1;
      for (guint page = 0; page < n_pages; page++)
        {
          g_autoptr(GArray) lines = zg_pdf_pages_get_lines (pages, page);
          const ZgPdfPlacedLine *first;

          g_assert_cmpuint (lines->len, >, 0);
          first = &g_array_index (lines, ZgPdfPlacedLine, 0);
          total += lines->len;

          /* Orphans and widows: a paragraph split over two pages has at
           * least two lines on each of them. */
          if (page > 0 && first->block >= 0 && first->line > 0)
            {
              splits++;
              g_assert_cmpint (first->block, ==, prev_block);
              g_assert_cmpint (prev_page_lines_of_block, >=, 2);
              g_assert_cmpint (first->n_lines - first->line, >=, 2);
            }
          /* A lead-in ending in ':' is not the last thing on a page. */
          if (page + 1 < n_pages)
            {
              const ZgPdfPlacedLine *last = &g_array_index (lines, ZgPdfPlacedLine,
                                                            lines->len - 1);

              if (last->block >= 0 && last->line == last->n_lines - 1)
                {
                  const ZgBlock *block = g_ptr_array_index (doc->blocks,
                                                            paragraph_end (doc, last->block));

                  g_assert_false (g_str_has_suffix (block->text, ":"));
                }
            }
          for (guint i = 0; i < lines->len; i++)
            {
              const ZgPdfPlacedLine *l = &g_array_index (lines, ZgPdfPlacedLine, i);

              if (l->block == -1)
                {
                  /* The signature block comes with the last two lines of the closing
                   * (or its only line). */
                  const ZgPdfPlacedLine *before = NULL;

                  sig_page = (int) page;
                  g_assert_cmpuint (i, >=, 1);
                  before = &g_array_index (lines, ZgPdfPlacedLine, i - 1);
                  g_assert_cmpint (before->block, ==, last_block);
                  if (before->n_lines >= 2)
                    {
                      g_assert_cmpuint (i, >=, 2);
                      g_assert_cmpint (g_array_index (lines, ZgPdfPlacedLine, i - 2).block, ==,
                                       last_block);
                    }
                }
            }
          {
            const ZgPdfPlacedLine *last = &g_array_index (lines, ZgPdfPlacedLine, lines->len - 1);
            guint count = 0;

            for (guint i = 0; i < lines->len; i++)
              count += g_array_index (lines, ZgPdfPlacedLine, i).block == last->block;
            prev_block = last->block;
            prev_page_lines_of_block = (int) count;
          }
        }
      g_assert_cmpint (sig_page, ==, (int) n_pages - 1);
      /* Every line of every block was placed exactly once. */
      for (guint page = 0; page < n_pages; page++)
        {
          g_autoptr(GArray) lines = zg_pdf_pages_get_lines (pages, page);

          for (guint i = 0; i < lines->len; i++)
            if (g_array_index (lines, ZgPdfPlacedLine, i).line == 0 &&
                g_array_index (lines, ZgPdfPlacedLine, i).block >= 0)
              expected += (guint) g_array_index (lines, ZgPdfPlacedLine, i).n_lines;
        }
      g_assert_cmpuint (total, ==, expected);
    }
  /* The family really exercises the rules. */
  g_assert_cmpuint (multi_page, >, 10);
  g_assert_cmpuint (splits, >, 3);
}

/* ---- zeugnis-tool end to end ------------------------------------------------------------ */

static char *
tool_path (void)
{
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  char *path;

  g_assert_nonnull (builddir);
  path = g_build_filename (builddir, "..", "tools", "zeugnis-tool", NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE));
  return path;
}

/* Runs the real zeugnis-tool binary; returns its exit status. */
static int
run_zeugnis_tool (const char *const  *args,
                  char              **out)
{
  g_autofree char *tool = tool_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, tool);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char *const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, &err, &error);
  g_assert_no_error (error);
  if (err != NULL && err[0] != '\0')
    g_test_message ("zeugnis-tool stderr: %s", err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

static GPtrArray *
certificate_fixtures (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "certificates", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
  return files;
}

static void
test_tool_render (void)
{
  g_autoptr(GPtrArray) fixtures = certificate_fixtures ();
  g_autoptr(ZgFormatProfile) profile = load_default_profile ();
  g_autofree char *profile_path = default_profile_path ();
  g_autofree char *phrases = g_build_filename (data_dir (), NULL);

  g_assert_cmpuint (fixtures->len, >=, 3);
  for (guint i = 0; i < fixtures->len; i++)
    {
      const char *cert = g_ptr_array_index (fixtures, i);
      g_autofree char *base = g_path_get_basename (cert);
      g_autofree char *pdf_name = g_strdup_printf ("%s.pdf", base);
      g_autofree char *txt_name = g_strdup_printf ("%s.txt", base);
      g_autofree char *pdf = tmp_pdf (pdf_name);
      g_autofree char *txt = tmp_pdf (txt_name);
      const char *args[] = { "render", cert, "-o", pdf, "--text", txt, "--profile", profile_path,
                             "--phrases", phrases, NULL };
      g_autofree char *out = NULL;
      g_autofree char *text = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *actual = NULL;
      g_autofree char *plain = NULL;
      g_autofree char *first_line = NULL;
      g_autoptr(ZgDocument) title_only = zg_document_new ("de");

      g_test_message ("rendering %s", base);
      g_assert_cmpint (run_zeugnis_tool (args, &out), ==, 0);
      g_assert_true (g_file_get_contents (txt, &text, NULL, NULL));

      /* R-APP-8: the PDF a user downloads says exactly what the generator wrote. */
      g_assert_cmpuint (pdf_page_count (pdf), >=, 1);
      g_assert_cmpuint (pdf_page_count (pdf), <=, 2);
      assert_fonts_embedded (pdf);
      assert_words_inside_margins (pdf, profile);
      first_line = g_strndup (text, strcspn (text, "\n"));
      title_only->title = g_strdup (first_line);
      expected = normalize (text);
      actual = pdf_body_text (pdf, title_only, profile);
      g_assert_cmpstr (actual, ==, expected);
      plain = pdf_text (pdf, 0);
      g_assert_true ((strstr (plain, "Seite 1 von 2") != NULL || strstr (plain, "Page 1 of 2") != NULL)
                     == (pdf_page_count (pdf) == 2));
      /* DIN 5008: a date is not split over two lines, nor a salutation or title from
       * the name */
      {
#define MONTHS "(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|" \
               "Dezember|January|February|March|May|June|July|October|December)"
        g_autoptr(GRegex) split = g_regex_new ("\\b\\d{1,2}\\.?\\n" MONTHS "\\b|\\b" MONTHS "\\n\\d{4}\\b"
                                               "|\\b(?:Herrn?|Frau|Dr\\.?|Mr|Ms)\\n\\p{Lu}",
                                               0, 0, NULL);
#undef MONTHS
        g_autoptr(GMatchInfo) match = NULL;

        if (g_regex_match (split, plain, 0, &match))
          {
            g_autofree char *where = g_match_info_fetch (match, 0);

            g_error ("%s: line break inside a date or name: “%s”", base, where);
          }
      }
    }
}

static void
test_tool_analyse (void)
{
  g_autoptr(GPtrArray) fixtures = certificate_fixtures ();
  g_autofree char *txt = tmp_pdf ("analyse.txt");
  const char *render_args[] = { "render", g_ptr_array_index (fixtures, 0), "--text", txt, NULL };
  const char *analyse_args[] = { "analyse", txt, "--language", "de", NULL };
  g_autofree char *out = NULL;
  g_autofree char *report = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_cmpint (run_zeugnis_tool (render_args, &out), ==, 0);
  g_assert_cmpint (run_zeugnis_tool (analyse_args, &report), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, report, -1, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_assert_cmpuint (json_object_get_size (json_node_get_object (root)), >, 0);
}

/* `analyse -` reads the text from standard input and reports exactly what the
 * file form reports. */
static void
test_tool_analyse_stdin (void)
{
  g_autoptr(GPtrArray) fixtures = certificate_fixtures ();
  g_autofree char *txt = tmp_pdf ("analyse-stdin.txt");
  const char *render_args[] = { "render", g_ptr_array_index (fixtures, 0), "--text", txt, NULL };
  const char *analyse_args[] = { "analyse", txt, "--language", "de", NULL };
  g_autofree char *tool = tool_path ();
  g_autofree char *out = NULL;
  g_autofree char *from_file = NULL;
  g_autofree char *from_stdin = NULL;
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run_zeugnis_tool (render_args, &out), ==, 0);
  g_assert_cmpint (run_zeugnis_tool (analyse_args, &from_file), ==, 0);
  g_assert_true (g_file_get_contents (txt, &text, NULL, &error));
  g_assert_no_error (error);

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           tool, "analyse", "-", "--language", "de", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, text, NULL, &from_stdin, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_cmpstr (from_stdin, ==, from_file);
}

static void
test_tool_validate_and_usage (void)
{
  const char *validate[] = { "validate-phrases", data_dir (), NULL };
  const char *missing[] = { "validate-phrases", "/nonexistent/zeugnis-data", NULL };
  const char *bad_command[] = { "frobnicate", NULL };
  const char *no_output[] = { "render", "cert.json", NULL };
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *out3 = NULL;
  g_autofree char *out4 = NULL;

  g_assert_cmpint (run_zeugnis_tool (validate, &out), ==, 0);
  g_assert_cmpint (run_zeugnis_tool (missing, &out2), ==, 1);
  g_assert_cmpint (run_zeugnis_tool (bad_command, &out3), ==, 2);
  g_assert_cmpint (run_zeugnis_tool (no_output, &out4), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Zeugnis/Engine/Pdf/profile-default-R-APP-3", test_profile_default);
  g_test_add_func ("/Zeugnis/Engine/Pdf/profile-rejects-bad-json-R-APP-3",
                   test_profile_rejects_bad_json);
  g_test_add_func ("/Zeugnis/Engine/Pdf/profile-bad-png-logo", test_profile_bad_png_rejected_by_renderer);
  g_test_add_func ("/Zeugnis/Engine/Pdf/hyphenation-german", test_hyphenation_german);
  g_test_add_func ("/Zeugnis/Engine/Pdf/hyphenation-english", test_hyphenation_english);
  g_test_add_func ("/Zeugnis/Engine/Pdf/one-page-R-APP-8", test_pdf_one_page);
  g_test_add_func ("/Zeugnis/Engine/Pdf/two-pages-R-APP-8", test_pdf_two_pages);
  g_test_add_func ("/Zeugnis/Engine/Pdf/english", test_pdf_english);
  g_test_add_data_func ("/Zeugnis/Engine/Pdf/logo-png-R-APP-3", "muster-logo.png", test_pdf_logo);
  g_test_add_data_func ("/Zeugnis/Engine/Pdf/logo-svg-R-APP-3", "muster-logo.svg", test_pdf_logo);
  g_test_add_func ("/Zeugnis/Engine/Pdf/bytes-and-pages", test_pdf_bytes_and_pages);
  g_test_add_func ("/Zeugnis/Engine/Pdf/page-break-rules", test_pdf_page_break_rules);
  g_test_add_func ("/Zeugnis/Engine/Pdf/paragraph-groups", test_pdf_paragraph_groups);
  g_test_add_func ("/Zeugnis/Engine/Tool/render-fixtures-R-APP-8", test_tool_render);
  g_test_add_func ("/Zeugnis/Engine/Tool/analyse-json", test_tool_analyse);
  g_test_add_func ("/Zeugnis/Engine/Tool/analyse-stdin", test_tool_analyse_stdin);
  g_test_add_func ("/Zeugnis/Engine/Tool/validate-phrases-and-usage", test_tool_validate_and_usage);

  {
    int status = g_test_run ();

    remove_tmp_dir ();
    return status;
  }
}
