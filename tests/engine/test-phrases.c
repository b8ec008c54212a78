/* test-phrases.c — the phrase library: completeness, format rules, customer layers
 *
 * R-APP-1 (every category × grade × form × tense × language), R-APP-6
 * (Individualisierung), R-DATA-3 (the ten rating categories).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "zg-engine.h"

static ZgPhraseLibrary *
load_default (void)
{
  g_autoptr(GError) error = NULL;
  ZgPhraseLibrary *lib = zg_phrase_library_load (NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lib);
  return lib;
}

static gboolean
problems_contain (GPtrArray  *problems,
                  const char *needle)
{
  for (guint i = 0; i < problems->len; i++)
    if (strstr (g_ptr_array_index (problems, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

/* R-APP-1, R-DATA-3: the shipped library is complete and clean. */
static void
test_library_valid (void)
{
  g_autoptr(ZgPhraseLibrary) lib = load_default ();
  g_autoptr(GPtrArray) problems = zg_phrase_library_validate (lib);

  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

/* R-DATA-3: all ten categories, five grades, ≥ 3 German / ≥ 2 English variants,
 * counted independently of the validator. */
static void
test_categories_complete (void)
{
  g_autoptr(ZgPhraseLibrary) lib = load_default ();
  const char *langs[] = { "de", "en" };

  for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
    for (guint c = 0; c < ZG_N_CATEGORIES; c++)
      {
        g_assert_true (zg_phrase_library_has_slot (lib, langs[l], zg_category_slot (c)));
        for (int grade = 1; grade <= 5; grade++)
          {
            guint n = zg_phrase_library_count_variants (lib, langs[l], zg_category_slot (c),
                                                        NULL, grade);

            if (n < (l == 0 ? 3u : 2u))
              g_test_message ("%s %s grade %d: %u", langs[l], zg_category_slot (c), grade, n);
            g_assert_cmpuint (n, >=, l == 0 ? 3 : 2);
          }
      }
}

/* Every variant renders in both tenses for all three genders: generate one
 * certificate per kind and look at the library through list_variants. */
static void
test_every_variant_renders (void)
{
  g_autoptr(ZgPhraseLibrary) lib = load_default ();
  const char *langs[] = { "de", "en" };

  for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
    for (guint kind = 0; kind < ZG_N_KINDS; kind++)
      for (guint sal = ZG_SALUTATION_HERR; sal <= ZG_SALUTATION_DIVERS; sal++)
        for (int grade = 1; grade <= 5; grade++)
          {
            g_autoptr(ZgCertificate) cert = zg_certificate_new ();

            g_free (cert->language);
            cert->language = g_strdup (langs[l]);
            cert->kind = kind;
            cert->salutation = sal;
            cert->first_name = g_strdup ("Alex");
            cert->last_name = g_strdup ("Weiß");
            cert->company_name = g_strdup ("Muster GmbH");
            cert->is_manager = TRUE;
            for (guint c = 0; c < ZG_N_CATEGORIES; c++)
              cert->grades[c] = grade;
            for (guint c = 0; c < ZG_N_CATEGORIES; c++)
              {
                g_autoptr(GError) error = NULL;
                g_autoptr(GPtrArray) texts = NULL;

                if (!zg_certificate_category_applies (cert, c))
                  continue;
                texts = zg_generator_list_variants (lib, cert, zg_category_slot (c), &error);
                g_assert_no_error (error);
                g_assert_cmpuint (texts->len, >=, l == 0 ? 3 : 2);
                for (guint i = 0; i < texts->len; i++)
                  {
                    const ZgVariantOption *option = g_ptr_array_index (texts, i);
                    const char *t = option->text;

                    g_assert_nonnull (option->id);
                    g_assert_null (strchr (t, '{'));
                    g_assert_null (strchr (t, '}'));
                    g_assert_true (g_utf8_validate (t, -1, NULL));
                  }
              }
          }
}

/* ---- format rules on small libraries written for the test ---- */

static char *
make_datadir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("zg-phrases-XXXXXX", &error);
  g_autofree char *de = NULL;
  g_autofree char *en = NULL;

  g_assert_no_error (error);
  de = g_build_filename (dir, "phrases", "de", NULL);
  en = g_build_filename (dir, "phrases", "en", NULL);
  g_assert_cmpint (g_mkdir_with_parents (de, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (en, 0700), ==, 0);
  return dir;
}

static void
write_file (const char *dir,
            const char *relative,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

static GPtrArray *
validate_one (const char *file_contents)
{
  g_autofree char *dir = make_datadir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgPhraseLibrary) lib = NULL;
  GPtrArray *problems;

  write_file (dir, "phrases/de/rating-wissen.json", file_contents);
  lib = zg_phrase_library_load (dir, &error);
  g_assert_no_error (error);
  problems = zg_phrase_library_validate (lib);
  remove_tree (dir);
  return problems;
}

#define WISSEN_HEAD "{\"slot\":\"rating.wissen\",\"language\":\"de\",\"grades\":{\"1\":["

static void
test_rejects_unknown_placeholder (void)
{
  g_autoptr(GPtrArray) problems = validate_one (
    WISSEN_HEAD "{\"id\":\"w.1\",\"text\":\"{Er} verfügt über {Wissen}.\"}]}}");

  g_assert_true (problems_contain (problems, "unknown placeholder “{Wissen}”"));
  /* the small library is incomplete, and the validator says so */
  g_assert_true (problems_contain (problems, "de/rating.bereitschaft: missing"));
}

static void
test_rejects_duplicates_and_ids (void)
{
  g_autoptr(GPtrArray) problems = validate_one (
    WISSEN_HEAD
    "{\"id\":\"w.1\",\"present\":\"{Er} weiß viel.\",\"past\":\"{Er} wusste viel.\"},"
    "{\"id\":\"w.2\",\"present\":\"{Er} kennt sich aus.\",\"past\":\"{Er} wusste viel.\"},"
    "{\"id\":\"w.1\",\"text\":\"{Er} ist sehr kundig.\"}]}}");

  g_assert_true (problems_contain (problems, "same text as w.1"));
  g_assert_true (problems_contain (problems, "id “w.1” is used twice"));
}

static void
test_rejects_literal_pronouns (void)
{
  g_autoptr(GPtrArray) problems = validate_one (
    WISSEN_HEAD
    "{\"id\":\"w.1\",\"text\":\"Er verfügt über ein umfassendes Fachwissen.\"},"
    "{\"id\":\"w.2\",\"text\":\"{Name} setzt ihre Kenntnisse ein.\"},"
    "{\"id\":\"w.3\",\"text\":\"{Name} setzt {m:seine|f:ihre} Kenntnisse ein.\"},"
    "{\"id\":\"w.4\",\"text\":\"{Name} setzt {seine Kenntnisse ein.\"},"
    "{\"id\":\"w.5\",\"present\":\"{Er} weiß es.\",\"past\":\"{Er} weiß es.\"},"
    "{\"id\":\"w.6\",\"text\":\"{Er} weiß es\"}]}}");

  g_assert_true (problems_contain (problems, "literal “Er” must be a placeholder"));
  g_assert_true (problems_contain (problems, "literal “ihre” must be a placeholder"));
  g_assert_true (problems_contain (problems, "needs exactly m:, f: and d:"));
  g_assert_true (problems_contain (problems, "unbalanced “{”"));
  g_assert_true (problems_contain (problems, "“present” and “past” are equal"));
  g_assert_true (problems_contain (problems, "must end with"));
}

static void
test_conduct_order_checked (void)
{
  g_autofree char *dir = make_datadir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgPhraseLibrary) lib = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  write_file (dir, "phrases/de/rating-verhalten-intern.json",
              "{\"slot\":\"rating.verhalten-intern\",\"language\":\"de\",\"grades\":{\"1\":["
              "{\"id\":\"v.1\",\"text\":\"{Sein} Verhalten gegenüber Kollegen und "
              "Vorgesetzten ist vorbildlich.\"},"
              "{\"id\":\"v.2\",\"text\":\"{Sein} Verhalten gegenüber Vorgesetzten und "
              "Kollegen ist vorbildlich.\"}]}}");
  lib = zg_phrase_library_load (dir, &error);
  g_assert_no_error (error);
  problems = zg_phrase_library_validate (lib);
  g_assert_true (problems_contain (problems, "v.1: colleagues named before superiors"));
  g_assert_false (problems_contain (problems, "v.2: colleagues"));
  remove_tree (dir);
}

static void
test_rejects_bad_files (void)
{
  const char *bad[] = {
    "{\"slot\":\"rating.wissen\",\"language\":\"de\",\"grades\":{\"6\":[]}}",
    "{\"slot\":\"rating.wissen\",\"language\":\"de\",\"grade\":{}}",
    "{\"slot\":\"rating.wissen\",\"language\":\"fr\",\"grades\":{}}",
    "{\"slot\":\"rating.wissen\",\"language\":\"de\",\"grades\":{\"1\":[{\"text\":\"x.\"}]}}",
    "{\"slot\":\"rating.wissen\",\"language\":\"de\",\"grades\":{\"1\":[{\"id\":\"a\","
    "\"text\":\"x.\",\"past\":\"y.\"}]}}",
    "{\"slot\":\"rating.wissen\",\"language\":\"de\",\"grades\":{\"1\":[{\"id\":\"a\","
    "\"text\":\"x.\",\"kinds\":[\"lehrzeugnis\"]}]}}",
    "{\"slot\":\"rating.wissen\",\"language\":\"de\",\"grades\":{\"1\":[{\"id\":\"a\","
    "\"text\":\"x.\",\"tone\":1}]}}",
    "{\"slot\":\"rating.wissen\",\"language\":\"de\",\"grades\":{\"1\":[{\"id\":\"a\","
    "\"text\":\"x.\",\"roles\":[\"chef\"]}]}}",
    "{\"slot\":\"rating.wissen\",\"language\":\"de\",\"grades\":{\"1\":[{\"id\":\"a\","
    "\"text\":\"x.\",\"roles\":[]}]}}",
    "[1, 2",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *dir = make_datadir ();
      g_autoptr(GError) error = NULL;
      g_autoptr(ZgPhraseLibrary) lib = NULL;
      int expected = i + 1 == G_N_ELEMENTS (bad) ? ZG_PHRASES_ERROR_PARSE
                                                 : ZG_PHRASES_ERROR_FORMAT;

      write_file (dir, "phrases/de/rating-wissen.json", bad[i]);
      lib = zg_phrase_library_load (dir, &error);
      g_assert_null (lib);
      g_assert_error (error, ZG_PHRASES_ERROR, expected);
      remove_tree (dir);
    }
}

static void
test_load_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgPhraseLibrary) missing = zg_phrase_library_load ("/nonexistent/zeugnis", &error);
  g_autofree char *dir = make_datadir ();
  g_autofree char *analysis = g_build_filename (dir, "analysis", NULL);
  g_autoptr(ZgPhraseLibrary) bad_rule = NULL;

  g_assert_null (missing);
  g_assert_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_IO);
  g_clear_error (&error);

  /* an analysis rule that does not compile is a load error, not a silent gap */
  g_assert_cmpint (g_mkdir_with_parents (analysis, 0700), ==, 0);
  write_file (dir, "analysis/grade-signals-de.json",
              "{\"grade_rules\":[{\"id\":\"x\",\"grade\":1,\"pattern\":\"(unclosed\"}]}");
  bad_rule = zg_phrase_library_load (dir, &error);
  g_assert_null (bad_rule);
  g_assert_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT);
  g_clear_error (&error);

  /* category keywords need a known category, a pattern and a weight 1–10 */
  {
    const char *bad_keywords[] = {
      "{\"keywords\":[{\"category\":\"charme\",\"pattern\":\"x\"}]}",
      "{\"keywords\":[{\"category\":\"wissen\",\"pattern\":\"x\",\"weight\":11}]}",
      "{\"keywords\":[{\"category\":\"wissen\"}]}",
      "{\"keywords\":[{\"category\":\"wissen\",\"pattern\":\"(x\"}]}",
      "{\"keywords\":[3]}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad_keywords); i++)
      {
        g_autoptr(ZgPhraseLibrary) lib = NULL;

        write_file (dir, "analysis/grade-signals-de.json", bad_keywords[i]);
        lib = zg_phrase_library_load (dir, &error);
        g_assert_null (lib);
        g_assert_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT);
        g_clear_error (&error);
      }
  }
  remove_tree (dir);
}

/* ---- customer layers (R-APP-6) ---- */

static ZgCertificate *
simple_certificate (const char *language)
{
  g_autoptr(ZgCertificate) cert = zg_certificate_new ();

  g_free (cert->language);
  cert->language = g_strdup (language);
  cert->salutation = ZG_SALUTATION_FRAU;
  cert->first_name = g_strdup ("Jana");
  cert->last_name = g_strdup ("Berg");
  cert->position = g_strdup ("Buchhalterin");
  g_date_set_dmy (&cert->entry_date, 1, 3, 2020);
  g_date_set_dmy (&cert->exit_date, 30, 6, 2026);
  for (guint c = 0; c < ZG_N_CATEGORIES; c++)
    cert->grades[c] = 2;
  return g_steal_pointer (&cert);
}

static char *
generate_text (const ZgPhraseLibrary *lib,
               const ZgCertificate   *cert)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgDocument) doc = zg_generate (lib, cert, &error);

  g_assert_no_error (error);
  return zg_document_to_text (doc);
}

static void
test_layer_json (void)
{
  g_autoptr(ZgPhraseLibrary) lib = load_default ();
  g_autoptr(ZgCertificate) cert = simple_certificate ("de");
  g_autoptr(JsonNode) layer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) variants = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint n_before;

  before = generate_text (lib, cert);
  n_before = zg_phrase_library_count_variants (lib, "de", "rating.wissen", NULL, 2);
  layer = json_from_string (
    "{\"layer\":\"Kunde Muster\",\"files\":[{\"slot\":\"overall\",\"language\":\"de\","
    "\"grades\":{\"2\":[{\"id\":\"overall.2.a\",\"present\":\"{Er} erfüllt die Aufgaben "
    "in unserem Hause stets zu unserer vollen Zufriedenheit.\",\"past\":\"{Er} erfüllte die "
    "Aufgaben in unserem Hause stets zu unserer vollen Zufriedenheit.\"}]}},"
    "{\"slot\":\"rating.wissen\",\"language\":\"de\",\"grades\":{\"2\":["
    "{\"id\":\"kunde.wissen.2\",\"text\":\"{Er} bringt ein fundiertes, stets gut "
    "eingesetztes Fachwissen mit.\"}]}}]}", &error);
  g_assert_no_error (error);
  g_assert_true (zg_phrase_library_add_layer_json (lib, layer, &error));
  g_assert_no_error (error);

  after = generate_text (lib, cert);
  /* replaced by id: variant 0 of "overall" is now the customer's sentence */
  g_assert_nonnull (strstr (after, "Sie erfüllte die Aufgaben in unserem Hause stets zu "
                                   "unserer vollen Zufriedenheit."));
  g_assert_null (strstr (before, "in unserem Hause"));
  /* appended: one more variant to choose from */
  g_assert_cmpuint (zg_phrase_library_count_variants (lib, "de", "rating.wissen", NULL, 2), ==,
                    n_before + 1);
  variants = zg_generator_list_variants (lib, cert, "rating.wissen", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((const ZgVariantOption *) g_ptr_array_index (variants,
                                                                  variants->len - 1))->text, ==,
                   "Sie bringt ein fundiertes, stets gut eingesetztes Fachwissen mit.");
  problems = zg_phrase_library_validate (lib);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_layer_disable_and_reject (void)
{
  g_autoptr(ZgPhraseLibrary) lib = load_default ();
  g_autoptr(JsonNode) layer = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(GError) error = NULL;
  guint n = zg_phrase_library_count_variants (lib, "de", "overall", NULL, 1);
  guint n_wissen = zg_phrase_library_count_variants (lib, "de", "rating.wissen", NULL, 1);

  layer = json_from_string ("{\"layer\":\"k\",\"files\":[{\"slot\":\"overall\","
                            "\"language\":\"de\",\"grades\":{\"1\":[{\"id\":\"overall.1.b\","
                            "\"disabled\":true}]}}]}", &error);
  g_assert_no_error (error);
  g_assert_true (zg_phrase_library_add_layer_json (lib, layer, &error));
  g_assert_cmpuint (zg_phrase_library_count_variants (lib, "de", "overall", NULL, 1), ==, n - 1);

  /* a layer with an unknown placeholder is rejected as a whole, nothing changes */
  bad = json_from_string ("{\"layer\":\"k\",\"files\":[{\"slot\":\"overall\","
                          "\"language\":\"de\",\"grades\":{\"1\":[{\"id\":\"x.1\","
                          "\"text\":\"{Er} ist {Toll}.\"}]}},{\"slot\":\"rating.wissen\","
                          "\"language\":\"de\",\"grades\":{\"1\":[{\"id\":\"x.2\","
                          "\"text\":\"{Er} weiß alles.\"}]}}]}", &error);
  g_assert_no_error (error);
  g_assert_false (zg_phrase_library_add_layer_json (lib, bad, &error));
  g_assert_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT);
  g_assert_cmpuint (zg_phrase_library_count_variants (lib, "de", "overall", NULL, 1), ==, n - 1);
  g_assert_cmpuint (zg_phrase_library_count_variants (lib, "de", "rating.wissen", NULL, 1), ==,
                    n_wissen);
}

static void
test_layer_dir_replace (void)
{
  g_autoptr(ZgPhraseLibrary) lib = load_default ();
  g_autoptr(ZgCertificate) cert = simple_certificate ("en");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = make_datadir ();
  g_autofree char *layer_dir = g_build_filename (dir, "phrases", NULL);
  g_autofree char *text = NULL;

  write_file (dir, "phrases/en/title.json",
              "{\"slot\":\"title\",\"language\":\"en\",\"replace\":true,\"variants\":["
              "{\"id\":\"kunde.title\",\"text\":\"Reference\"}]}");
  g_assert_true (zg_phrase_library_add_layer_dir (lib, layer_dir, &error));
  g_assert_no_error (error);
  text = generate_text (lib, cert);
  g_assert_true (g_str_has_prefix (text, "Reference\n"));
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Zeugnis/Engine/Phrases/library-valid-R-APP-1", test_library_valid);
  g_test_add_func ("/Zeugnis/Engine/Phrases/ten-categories-five-grades-R-DATA-3",
                   test_categories_complete);
  g_test_add_func ("/Zeugnis/Engine/Phrases/every-variant-renders", test_every_variant_renders);
  g_test_add_func ("/Zeugnis/Engine/Phrases/rejects-unknown-placeholder",
                   test_rejects_unknown_placeholder);
  g_test_add_func ("/Zeugnis/Engine/Phrases/rejects-duplicates-and-ids",
                   test_rejects_duplicates_and_ids);
  g_test_add_func ("/Zeugnis/Engine/Phrases/rejects-literal-pronouns",
                   test_rejects_literal_pronouns);
  g_test_add_func ("/Zeugnis/Engine/Phrases/conduct-superiors-first", test_conduct_order_checked);
  g_test_add_func ("/Zeugnis/Engine/Phrases/rejects-bad-files", test_rejects_bad_files);
  g_test_add_func ("/Zeugnis/Engine/Phrases/load-errors", test_load_errors);
  g_test_add_func ("/Zeugnis/Engine/Phrases/layer-json-R-APP-6", test_layer_json);
  g_test_add_func ("/Zeugnis/Engine/Phrases/layer-disable-and-reject-R-APP-6",
                   test_layer_disable_and_reject);
  g_test_add_func ("/Zeugnis/Engine/Phrases/layer-dir-replace-R-APP-6", test_layer_dir_replace);

  return g_test_run ();
}
