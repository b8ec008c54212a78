/* test-analyse.c — the analyser: exact round trip, hand-written texts, hidden codes
 *
 * R-APP-1 (the grades a text signals must match the ratings), R-DATA-3 (every
 * rating category), R-APP-6 (analysis follows a customer's layered phrases).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-engine.h"

static ZgPhraseLibrary *library;

static ZgCertificate *
make_certificate (const char        *language,
                  ZgCertificateKind  kind,
                  ZgSalutation       salutation,
                  gboolean           manager)
{
  g_autoptr(ZgCertificate) cert = zg_certificate_new ();

  g_free (cert->language);
  cert->language = g_strdup (language);
  cert->kind = kind;
  cert->salutation = salutation;
  cert->first_name = g_strdup ("Sam");
  cert->last_name = g_strdup ("Voß");
  g_date_set_dmy (&cert->birth_date, 2, 2, 1995);
  cert->birth_place = g_strdup ("Essen");
  cert->company_name = g_strdup ("Beispiel AG");
  cert->position = g_strdup ("Projektleitung");
  cert->occupation = g_strdup ("Industriekaufleute");
  cert->vocational_school = g_strdup ("Berufskolleg Mitte");
  cert->is_manager = manager;
  g_date_set_dmy (&cert->entry_date, 1, 8, 2022);
  if (kind != ZG_KIND_ZWISCHENZEUGNIS)
    g_date_set_dmy (&cert->exit_date, 31, 7, 2025);
  g_ptr_array_add (cert->tasks, g_strdup ("Angebotserstellung"));
  g_ptr_array_add (cert->achievements, g_strdup ("Einführung eines neuen Ticketsystems"));
  return g_steal_pointer (&cert);
}

static char *
generate_text (const ZgCertificate *cert)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgDocument) doc = zg_generate (library, cert, &error);

  g_assert_no_error (error);
  return zg_document_to_text (doc);
}

static guint
count_findings (const ZgAnalysis *analysis,
                ZgFindingKind     kind,
                ZgSeverity        min_severity)
{
  guint n = 0;

  for (guint i = 0; i < analysis->findings->len; i++)
    {
      const ZgFinding *f = g_ptr_array_index (analysis->findings, i);

      if (f->kind == kind && f->severity >= min_severity)
        n++;
    }
  return n;
}

static const ZgFinding *
find_code (const ZgAnalysis *analysis,
           const char       *code)
{
  for (guint i = 0; i < analysis->findings->len; i++)
    {
      const ZgFinding *f = g_ptr_array_index (analysis->findings, i);

      if (strcmp (f->code, code) == 0)
        return f;
    }
  return NULL;
}

/* Round trip: every generated text gives back every category grade exactly
 * (R-APP-1). Covers languages × kinds × genders × uniform and mixed grades ×
 * the first six variants of every slot. */
static void
test_round_trip (void)
{
  static const char *const languages[] = { "de", "en" };
  guint n = 0;

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint kind = 0; kind < ZG_N_KINDS; kind++)
      for (guint sal = ZG_SALUTATION_NONE; sal < ZG_N_SALUTATIONS; sal++)
        for (guint pattern = 0; pattern < 7; pattern++)
          for (guint variant = 0; variant < 6; variant++)
            {
              g_autoptr(ZgCertificate) cert = make_certificate (languages[l], kind, sal,
                                                                (pattern + variant) % 2 == 0);
              g_autoptr(ZgAnalysis) analysis = NULL;
              g_autofree char *text = NULL;

              for (guint c = 0; c < ZG_N_CATEGORIES; c++)
                {
                  /* 0-4: uniform grades; 5, 6: mixed */
                  cert->grades[c] = pattern < 5 ? (int) pattern + 1
                                                : (int) ((c * 3 + pattern + variant) % 5) + 1;
                  zg_certificate_set_variant (cert, zg_category_slot (c), variant);
                }
              zg_certificate_set_variant (cert, "overall", variant);
              zg_certificate_set_variant (cert, "closing.formula", variant);
              text = generate_text (cert);
              analysis = zg_analyse (library, text, languages[l]);
              n++;

              for (guint c = 0; c < ZG_N_CATEGORIES; c++)
                {
                  int expected = zg_certificate_category_applies (cert, c) ? cert->grades[c] : 0;

                  if (analysis->grades[c] != expected)
                    g_error ("%s %s: %s rated %d, analysed %d in:\n%s", languages[l],
                             zg_kind_key (kind), zg_category_key (c), expected,
                             analysis->grades[c], text);
                }
              g_assert_cmpint (analysis->overall, ==, zg_overall_grade (cert));
              zg_analysis_compare (analysis, cert);
              g_assert_cmpuint (count_findings (analysis, ZG_FINDING_INCONSISTENT,
                                                ZG_SEVERITY_INFO), ==, 0);
              /* our own texts contain no coded phrase and keep the conduct order */
              if (count_findings (analysis, ZG_FINDING_HIDDEN_CODE, ZG_SEVERITY_WARNING) > 0)
                {
                  g_autoptr(JsonNode) json = zg_analysis_to_json (analysis);
                  g_autofree char *dump = json_to_string (json, TRUE);

                  g_error ("hidden code in generated text:\n%s\n%s", text, dump);
                }
              g_assert_cmpuint (count_findings (analysis, ZG_FINDING_ORDER, ZG_SEVERITY_INFO),
                                ==, 0);
              g_assert_null (find_code (analysis, "missing.conduct"));
              g_assert_null (find_code (analysis, "missing.overall"));
              g_assert_null (find_code (analysis, "missing.wishes"));
            }
  g_test_message ("%u generated certificates analysed", n);
}

/* Hand-written certificates, one per grade, written for this test in the
 * usual Zeugnissprache but not from the phrase library. */
static const char *const handwritten_de[5] = {
  "Frau Lena Vogt, geboren am 3. Mai 1987 in Ulm, war vom 1. Februar 2019 bis zum 31. März 2026 "
  "als Controllerin in unserem Unternehmen tätig.\n\n"
  "Frau Vogt bewies jederzeit ein außergewöhnlich hohes Maß an Eigeninitiative und Engagement. "
  "Auch unter hohem Termindruck behielt sie stets den Überblick und fand in jeder Situation "
  "hervorragende Lösungen. Sie verfügte über ein äußerst fundiertes Fachwissen, das sie "
  "jederzeit sicher und gewinnbringend einsetzte. Sie nutzte jede Gelegenheit zur Weiterbildung "
  "und setzte das Gelernte vorbildlich in der Praxis um. Ihre Arbeitsweise war jederzeit von "
  "größter Sorgfalt und Zuverlässigkeit geprägt. Ihre Arbeitsergebnisse übertrafen in Qualität "
  "und Menge unsere Erwartungen bei Weitem.\n\n"
  "Wir waren mit ihren Leistungen stets außerordentlich zufrieden.\n\n"
  "Ihr Verhalten gegenüber Vorgesetzten, Kollegen und Kunden war stets vorbildlich.\n\n"
  "Frau Vogt verlässt unser Unternehmen auf eigenen Wunsch. Wir bedauern ihre Entscheidung "
  "sehr, danken ihr für die hervorragende Zusammenarbeit und wünschen ihr für ihre Zukunft "
  "alles Gute und weiterhin viel Erfolg.",

  "Herr Jonas Brandt war vom 1. April 2020 bis zum 30. September 2025 als Vertriebsmitarbeiter "
  "bei uns beschäftigt.\n\n"
  "Herr Brandt zeigte stets großes Engagement und viel Eigeninitiative. Er erfasste neue "
  "Sachverhalte sehr schnell und fand auch bei hoher Belastung sichere Lösungen. Er verfügte "
  "über ein sehr gutes Fachwissen, das er sicher einsetzte. Er arbeitete stets selbstständig, "
  "sorgfältig und zielorientiert. Seine Arbeitsergebnisse waren stets von guter Qualität.\n\n"
  "Er erledigte seine Aufgaben stets zu unserer vollen Zufriedenheit.\n\n"
  "Sein Verhalten gegenüber Vorgesetzten und Kollegen war stets einwandfrei. Gegenüber Kunden "
  "trat er stets freundlich und sicher auf.\n\n"
  "Herr Brandt scheidet auf eigenen Wunsch aus. Wir bedauern sein Ausscheiden, danken ihm für "
  "seine guten Leistungen und wünschen ihm beruflich wie privat alles Gute.",

  "Frau Sabine Kraus war vom 1. Januar 2021 bis zum 31. Dezember 2024 in unserer Buchhaltung "
  "als Sachbearbeiterin tätig.\n\n"
  "Frau Kraus zeigte Engagement und Eigeninitiative. Sie fand sich schnell in neue Aufgaben ein "
  "und behielt auch bei höherem Arbeitsaufkommen den Überblick. Sie verfügte über ein gutes und "
  "solides Fachwissen. Sie arbeitete sorgfältig und zuverlässig. Ihre Arbeitsergebnisse "
  "entsprachen in Qualität und Menge unseren Anforderungen.\n\n"
  "Sie erledigte die ihr übertragenen Aufgaben zu unserer vollen Zufriedenheit.\n\n"
  "Ihr Verhalten gegenüber Vorgesetzten und Kollegen war einwandfrei.\n\n"
  "Frau Kraus verlässt uns auf eigenen Wunsch. Wir danken ihr für die Zusammenarbeit und "
  "wünschen ihr für die Zukunft alles Gute und viel Erfolg.",

  "Herr Tim Lorenz war vom 1. Juli 2022 bis zum 30. Juni 2025 als Lagerist in unserem "
  "Unternehmen beschäftigt.\n\n"
  "Herr Lorenz zeigte im Allgemeinen die erforderliche Einsatzbereitschaft. Er verfügte über "
  "die für seine Aufgaben ausreichenden Fachkenntnisse. Den üblichen Belastungen war er im "
  "Allgemeinen gewachsen. Er arbeitete im Allgemeinen sorgfältig. "
  "Seine Arbeitsergebnisse entsprachen im Wesentlichen unseren Anforderungen.\n\n"
  "Er erledigte die ihm übertragenen Aufgaben zu unserer Zufriedenheit.\n\n"
  "Sein Verhalten gegenüber Vorgesetzten und Kollegen war im Allgemeinen einwandfrei.\n\n"
  "Das Arbeitsverhältnis endet am 30. Juni 2025. Wir wünschen Herrn Lorenz für die Zukunft "
  "alles Gute.",

  "Herr Peter Schulz war vom 1. April 2020 bis zum 31. März 2025 als Lagerhelfer in unserem "
  "Unternehmen beschäftigt.\n\n"
  "Herr Schulz zeigte im Großen und Ganzen die notwendige Einsatzbereitschaft. Er verfügte "
  "weitgehend über die erforderlichen Fachkenntnisse. Den Belastungen war er weitgehend "
  "gewachsen. Er arbeitete im Großen und Ganzen "
  "sorgfältig. Seine Arbeitsergebnisse entsprachen im Großen und Ganzen unseren "
  "Erwartungen.\n\n"
  "Er erledigte die ihm übertragenen Aufgaben im Großen und Ganzen zu unserer Zufriedenheit.\n\n"
  "Sein Verhalten gegenüber Vorgesetzten und Kollegen war im Großen und Ganzen einwandfrei.\n\n"
  "Das Arbeitsverhältnis endet am 31. März 2025. Wir wünschen ihm für die Zukunft alles Gute.",
};

static const char *handwritten_en =
  "Ms Clara Hill was employed by our company from 1 March 2020 to 31 May 2025 as an "
  "accountant.\n\n"
  "She always showed great commitment and initiative. She quickly grasped new tasks and found "
  "very good solutions. She had very good expert knowledge. She always worked independently "
  "and carefully. Her results were always of high quality.\n\n"
  "She always performed her tasks to our full satisfaction.\n\n"
  "Her conduct towards superiors and colleagues was always impeccable.\n\n"
  "Ms Hill leaves our company at her own request. We thank her for her valuable work and wish "
  "her all the best for the future.";

static void
assert_handwritten (const char *text,
                    const char *language,
                    int         grade)
{
  g_autoptr(ZgAnalysis) analysis = zg_analyse (library, text, language);
  guint found = 0;

  g_assert_cmpint (analysis->overall, ==, grade);
  for (guint c = 0; c < ZG_N_CATEGORIES; c++)
    {
      if (analysis->grades[c] == 0)
        continue;
      found++;
      if (analysis->grades[c] != grade)
        g_error ("grade %d text: %s analysed as %d", grade, zg_category_key (c),
                 analysis->grades[c]);
    }
  g_assert_cmpuint (found, >=, 6);
  g_assert_cmpint ((int) (analysis->mean + 0.5), ==, grade);
  g_assert_cmpuint (count_findings (analysis, ZG_FINDING_HIDDEN_CODE, ZG_SEVERITY_WARNING), ==, 0);
}

static void
test_handwritten (void)
{
  for (int grade = 1; grade <= 5; grade++)
    assert_handwritten (handwritten_de[grade - 1], "de", grade);
  assert_handwritten (handwritten_en, "en", 2);
}

/* The Zufriedenheitsformel is read with its own rules only: "stets sehr
 * zufrieden" is grade 2 there, although "stets … sehr" is grade 1 in a
 * category sentence. Hand-written sentences, several phrasings per grade
 * (docs/phrase-format.md, "Writing guidance"). */
static void
test_overall_sentence (void)
{
  static const struct { const char *language; int grade; const char *text; } cases[] = {
    { "de", 1, "Er erfüllte seine Aufgaben stets zu unserer vollsten Zufriedenheit." },
    { "de", 1, "Mit ihren Leistungen waren wir stets außerordentlich zufrieden." },
    { "de", 1, "Wir waren mit den Leistungen von Herrn Kurz jederzeit in höchstem Maße "
               "zufrieden." },
    { "de", 1, "Die übertragenen Arbeiten erledigte Frau Kurz während der gesamten Zeit stets "
               "und in jeder Weise zu unserer vollsten Zufriedenheit." },
    { "de", 2, "Sie erledigte ihre Arbeit stets zu unserer vollen Zufriedenheit." },
    { "de", 2, "Er hat die ihm übertragenen Aufgaben zu unserer vollsten Zufriedenheit "
               "erledigt." },
    { "de", 2, "Mit ihren Leistungen waren wir stets sehr zufrieden." },
    { "de", 2, "Wir waren mit seiner Arbeitsweise und seinen Arbeitsergebnissen während der "
               "gesamten Zeit stets in vollem Umfang sehr zufrieden." },
    { "de", 3, "Herr Kurz arbeitete zu unserer vollen Zufriedenheit." },
    { "de", 3, "Sie hat ihre Aufgaben stets zu unserer Zufriedenheit erfüllt." },
    { "de", 3, "Mit seinen Leistungen waren wir voll zufrieden." },
    { "de", 3, "Mit ihren Leistungen waren wir stets zufrieden." },
    { "de", 4, "Er erledigte seine Aufgaben zu unserer Zufriedenheit." },
    { "de", 4, "Mit ihren Leistungen waren wir zufrieden." },
    { "de", 5, "Sie erledigte die Arbeiten im Großen und Ganzen zu unserer Zufriedenheit." },
    { "de", 5, "Mit seinen Leistungen waren wir im Großen und Ganzen zufrieden." },
    { "en", 1, "He always performed his duties to our utmost satisfaction." },
    { "en", 1, "We were always extremely satisfied with her performance." },
    { "en", 2, "She always carried out her tasks to our full satisfaction." },
    { "en", 2, "We were always very satisfied with his work and his results." },
    { "en", 2, "He carried out his tasks to our complete satisfaction." },
    { "en", 3, "She performed her duties to our full satisfaction." },
    { "en", 3, "We were fully satisfied with his performance." },
    { "en", 4, "He performed his tasks to our satisfaction." },
    { "en", 5, "On the whole, she performed her duties to our satisfaction." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ZgAnalysis) analysis = zg_analyse (library, cases[i].text, cases[i].language);

      if (analysis->overall != cases[i].grade)
        g_error ("overall %d, expected %d: %s", analysis->overall, cases[i].grade,
                 cases[i].text);
      /* the sentence rates nothing else */
      for (guint c = 0; c < ZG_N_CATEGORIES; c++)
        if (analysis->grades[c] != 0)
          g_error ("“%s” also rated %s", cases[i].text, zg_category_key (c));
    }
}

/* Hand edits of library phrases (the phrase writer's test: an adverbial added
 * before the full stop, so no sentence matches exactly) are graded by the
 * pattern rules of data/analysis/: right category and grade for at least 95 %.
 * Corpus: tests/data/analysis/edited-<lang>.json. */
static void
test_edited_corpus (void)
{
  const char *languages[] = { "de", "en" };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autofree char *name = g_strdup_printf ("edited-%s.json", languages[l]);
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "analysis",
                                                     name, NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonArray *items;
      guint right = 0, n;

      json_parser_load_from_file (parser, path, &error);
      g_assert_no_error (error);
      items = json_node_get_array (json_parser_get_root (parser));
      n = json_array_get_length (items);
      g_assert_cmpuint (n, >=, 195);
      for (guint i = 0; i < n; i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          const char *text = json_object_get_string_member (item, "text");
          ZgCategory category;
          int grade = (int) json_object_get_int_member (item, "grade");
          g_autoptr(ZgAnalysis) analysis = zg_analyse (library, text, languages[l]);
          g_autoptr(GString) got = g_string_new (NULL);
          gboolean ok;

          g_assert_true (zg_category_from_key (json_object_get_string_member (item, "category"),
                                               &category));
          ok = analysis->grades[category] == grade;
          for (guint c = 0; c < ZG_N_CATEGORIES; c++)
            if (analysis->grades[c] != 0)
              {
                g_string_append_printf (got, " %s=%d", zg_category_key (c), analysis->grades[c]);
                if (c != category)
                  ok = FALSE;
              }
          /* an edited exact phrase must not count: the edit is the point */
          for (guint k = 0; k < analysis->signals->len; k++)
            g_assert_false (((const ZgSignal *) g_ptr_array_index (analysis->signals,
                                                                    k))->exact);
          if (ok)
            right++;
          else
            g_test_message ("miss %s want %s=%d got%s :: %s",
                            json_object_get_string_member (item, "source"),
                            zg_category_key (category), grade, got->str, text);
        }
      g_test_message ("%s: %u/%u edited sentences graded right (%.1f %%)", languages[l], right,
                      n, 100.0 * right / n);
      g_assert_cmpuint (right * 100, >=, n * 95);
    }
}

/* Missing thanks at grade 4 and 5: the analyser names them. */
static void
test_missing_parts (void)
{
  g_autoptr(ZgAnalysis) four = zg_analyse (library, handwritten_de[3], "de");
  g_autoptr(ZgAnalysis) two = zg_analyse (library, handwritten_de[1], "de");
  g_autoptr(ZgAnalysis) bare = zg_analyse (library, "Herr Meier arbeitete bei uns als Fahrer.",
                                           "de");
  g_autoptr(ZgAnalysis) order = zg_analyse (library, "Sein Verhalten gegenüber Kollegen und "
                                            "Vorgesetzten war stets einwandfrei.", "de");
  g_autoptr(ZgAnalysis) only_colleagues = zg_analyse (library, "Bei den Kollegen war er stets "
                                                      "beliebt.", "de");

  g_assert_nonnull (find_code (four, "missing.thanks"));
  g_assert_null (find_code (two, "missing.thanks"));
  g_assert_null (find_code (two, "missing.wishes"));
  g_assert_nonnull (find_code (bare, "missing.thanks"));
  g_assert_nonnull (find_code (bare, "missing.wishes"));
  g_assert_nonnull (find_code (bare, "missing.overall"));
  g_assert_nonnull (find_code (bare, "missing.conduct"));
  g_assert_nonnull (find_code (bare, "missing.closing"));
  /* superiors before colleagues */
  g_assert_nonnull (find_code (order, "order.colleagues-first"));
  g_assert_null (find_code (two, "order.colleagues-first"));
  g_assert_nonnull (find_code (only_colleagues, "missing.superiors"));
}

/* The hidden-code catalogue (data/analysis/hidden-codes-de.json). */
static void
test_hidden_codes (void)
{
  static const struct { const char *text; const char *code; ZgSeverity severity; } cases[] = {
    { "Er war stets bemüht, die Aufgaben zu erledigen.", "hidden.bemueht",
      ZG_SEVERITY_CRITICAL },
    { "Sie arbeitete im Rahmen ihrer Fähigkeiten sorgfältig.", "hidden.rahmen-faehigkeiten",
      ZG_SEVERITY_CRITICAL },
    { "Durch seine Geselligkeit war er im Kollegenkreis beliebt.", "hidden.geselligkeit",
      ZG_SEVERITY_WARNING },
    { "Er zeigte Einfühlungsvermögen für die Belange der Belegschaft.",
      "hidden.belange-belegschaft", ZG_SEVERITY_CRITICAL },
    { "Sie ging mit großem Eifer an ihre Aufgaben.", "hidden.eifer", ZG_SEVERITY_WARNING },
    { "Er hat alle Aufgaben ordnungsgemäß erledigt.", "hidden.ordnungsgemaess",
      ZG_SEVERITY_WARNING },
    { "Sie erledigte die Aufgaben zu ihrer Zufriedenheit.", "hidden.zu-seiner-zufriedenheit",
      ZG_SEVERITY_CRITICAL },
    { "Herr Braun verließ uns im gegenseitigen Einvernehmen.",
      "hidden.gegenseitiges-einvernehmen", ZG_SEVERITY_WARNING },
    { "Er hatte Verständnis für seine Arbeit.", "hidden.verstaendnis-arbeit",
      ZG_SEVERITY_CRITICAL },
    { "Er trug zur Verbesserung des Betriebsklimas bei.", "hidden.betriebsklima",
      ZG_SEVERITY_WARNING },
    { "Wir wünschen ihm für die Zukunft alles Gute, vor allem Gesundheit.", "hidden.gesundheit",
      ZG_SEVERITY_WARNING },
    { "Wir lernten sie als umgängliche Kollegin kennen.", "hidden.kennengelernt",
      ZG_SEVERITY_WARNING },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ZgAnalysis) analysis = zg_analyse (library, cases[i].text, "de");
      const ZgFinding *f = find_code (analysis, cases[i].code);

      if (f == NULL)
        g_error ("“%s” not found in “%s”", cases[i].code, cases[i].text);
      g_assert_cmpint (f->kind, ==, ZG_FINDING_HIDDEN_CODE);
      g_assert_cmpint (f->severity, ==, cases[i].severity);
      g_assert_nonnull (f->excerpt);
      /* the excerpt points into the text as given */
      g_assert_true (strncmp (cases[i].text + f->offset, f->excerpt, strlen (f->excerpt)) == 0);
      g_assert_cmpuint (strlen (f->message), >, 20);
    }

  /* English catalogue */
  {
    g_autoptr(ZgAnalysis) analysis = zg_analyse (library, "He endeavoured to complete his tasks "
                                                 "to his satisfaction.", "en");

    g_assert_nonnull (find_code (analysis, "hidden.endeavoured"));
    g_assert_nonnull (find_code (analysis, "hidden.own-satisfaction"));
  }

  /* a coded sentence pulls the category grade down even with praise words */
  {
    g_autoptr(ZgAnalysis) analysis = zg_analyse (library, "Er zeigte stets großen Einsatz "
                                                 "und war stets bemüht.", "de");

    g_assert_cmpint (analysis->grades[ZG_CAT_BEREITSCHAFT], ==, 5);
  }
}

/* The editor's warning: a hand edit that no longer matches the ratings. */
static void
test_compare_after_edit (void)
{
  g_autoptr(ZgCertificate) cert = make_certificate ("de", ZG_KIND_ENDZEUGNIS,
                                                    ZG_SALUTATION_FRAU, FALSE);
  g_autoptr(ZgAnalysis) analysis = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) edited = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonObject *root;
  const char *hit;

  for (guint c = 0; c < ZG_N_CATEGORIES; c++)
    cert->grades[c] = 1;
  text = generate_text (cert);
  hit = strstr (text, "stets zu unserer vollsten Zufriedenheit");
  g_assert_nonnull (hit);
  edited = g_string_new_len (text, hit - text);
  g_string_append (edited, "zu unserer Zufriedenheit");
  g_string_append (edited, hit + strlen ("stets zu unserer vollsten Zufriedenheit"));

  analysis = zg_analyse (library, edited->str, "de");
  g_assert_cmpint (analysis->overall, ==, 4);
  zg_analysis_compare (analysis, cert);
  g_assert_nonnull (find_code (analysis, "inconsistent.overall"));
  g_assert_null (find_code (analysis, "inconsistent.wissen"));

  json = zg_analysis_to_json (analysis);
  root = json_node_get_object (json);
  g_assert_cmpint (json_object_get_int_member (root, "overall"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "grades"),
                                               "wissen"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "findings")), >=,
                    1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "signals")), >=,
                    ZG_N_CATEGORIES - 2);
}

/* R-APP-6: after a customer layer, the customer's own sentence is recognised. */
static void
test_layer_recognised (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgPhraseLibrary) lib = zg_phrase_library_load (NULL, &error);
  g_autoptr(JsonNode) layer = NULL;
  g_autoptr(ZgAnalysis) analysis = NULL;

  g_assert_no_error (error);
  layer = json_from_string ("{\"layer\":\"k\",\"files\":[{\"slot\":\"rating.wissen\","
                            "\"language\":\"de\",\"grades\":{\"4\":[{\"id\":\"kunde.w4\","
                            "\"text\":\"{Er} kennt die wichtigsten Abläufe in Lager und "
                            "Versand.\"}]}}]}", &error);
  g_assert_no_error (error);
  g_assert_true (zg_phrase_library_add_layer_json (lib, layer, &error));
  analysis = zg_analyse (lib, "Herr Wolf kennt die wichtigsten Abläufe in Lager und Versand.",
                         "de");
  g_assert_cmpint (analysis->grades[ZG_CAT_WISSEN], ==, 4);
}

static void
test_garbage_input (void)
{
  static const char *const inputs[] = {
    "", " ", "....", "\xff\xfe invalid", "{Er} {{}}", "Dr. Dr. Dr.", "ß", "\n\n\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(ZgAnalysis) analysis = zg_analyse (library, inputs[i], "de");
      g_autoptr(JsonNode) json = zg_analysis_to_json (analysis);

      g_assert_nonnull (json);
      for (guint c = 0; c < ZG_N_CATEGORIES; c++)
        g_assert_cmpint (analysis->grades[c], ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  library = zg_phrase_library_load (NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/Zeugnis/Engine/Analyse/round-trip-R-APP-1", test_round_trip);
  g_test_add_func ("/Zeugnis/Engine/Analyse/handwritten-grades-1-to-5", test_handwritten);
  g_test_add_func ("/Zeugnis/Engine/Analyse/overall-sentence-own-rules", test_overall_sentence);
  g_test_add_func ("/Zeugnis/Engine/Analyse/edited-phrases-95-percent", test_edited_corpus);
  g_test_add_func ("/Zeugnis/Engine/Analyse/missing-parts-and-order", test_missing_parts);
  g_test_add_func ("/Zeugnis/Engine/Analyse/hidden-codes", test_hidden_codes);
  g_test_add_func ("/Zeugnis/Engine/Analyse/compare-after-edit", test_compare_after_edit);
  g_test_add_func ("/Zeugnis/Engine/Analyse/customer-layer-R-APP-6", test_layer_recognised);
  g_test_add_func ("/Zeugnis/Engine/Analyse/garbage-input", test_garbage_input);

  ret = g_test_run ();
  zg_phrase_library_free (library);
  return ret;
}
