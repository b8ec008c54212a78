/* test-generate.c — certificate record codec and text generation
 *
 * R-APP-1 (grades, gender forms, tenses, kinds, managers, closing by reason and
 * grade, German and English), R-DATA-3 (the record's sections).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-engine.h"

static ZgPhraseLibrary *library;

static const char *const languages[] = { "de", "en" };
static const ZgSalutation salutations[] = {
  ZG_SALUTATION_HERR, ZG_SALUTATION_FRAU, ZG_SALUTATION_DIVERS, ZG_SALUTATION_NONE
};

static ZgCertificate *
make_certificate (const char        *language,
                  ZgCertificateKind  kind,
                  ZgSalutation       salutation,
                  gboolean           manager,
                  int                grade)
{
  g_autoptr(ZgCertificate) cert = zg_certificate_new ();
  ZgStation *station;

  g_free (cert->language);
  cert->language = g_strdup (language);
  cert->kind = kind;
  cert->salutation = salutation;
  cert->title = g_strdup ("Dr.");
  cert->first_name = g_strdup ("Alex");
  cert->last_name = g_strdup ("Kranz");
  g_date_set_dmy (&cert->birth_date, 12, 4, 1990);
  cert->birth_place = g_strdup ("Bonn");
  cert->company_name = g_strdup ("Muster Logistik GmbH");
  g_ptr_array_add (cert->company_address, g_strdup ("Hafenstraße 4"));
  cert->company_description = g_strdup ("Die Muster Logistik GmbH betreibt Lager an drei "
                                        "Standorten.");
  cert->position = g_strdup ("Disposition");
  cert->department = g_strdup ("Einkauf");
  cert->occupation = g_strdup ("Kaufleute für Spedition und Logistikdienstleistung");
  cert->vocational_school = g_strdup ("Berufskolleg Bonn");
  cert->is_manager = manager;
  g_date_set_dmy (&cert->entry_date, 1, 3, 2021);
  if (kind != ZG_KIND_ZWISCHENZEUGNIS)
    g_date_set_dmy (&cert->exit_date, 30, 6, 2026);
  g_date_set_dmy (&cert->issue_date, 30, 6, 2026);
  cert->issue_place = g_strdup ("Bonn");
  station = g_new0 (ZgStation, 1);
  station->position = g_strdup ("Lagerlogistik");
  g_date_set_dmy (&station->from, 1, 3, 2021);
  g_date_set_dmy (&station->to, 31, 12, 2022);
  g_ptr_array_add (cert->stations, station);
  station = g_new0 (ZgStation, 1);
  station->position = g_strdup ("Disposition");
  g_date_set_dmy (&station->from, 1, 1, 2023);
  g_date_clear (&station->to, 1);
  g_ptr_array_add (cert->stations, station);
  g_ptr_array_add (cert->tasks, g_strdup ("Tourenplanung"));
  g_ptr_array_add (cert->additional_tasks, g_strdup ("Brandschutzhelfer"));
  g_ptr_array_add (cert->trainings, g_strdup ("Gefahrgutschulung"));
  g_ptr_array_add (cert->powers, g_strdup ("Handlungsvollmacht"));
  g_ptr_array_add (cert->qualifications, g_strdup ("Verhandlungsgeschick"));
  g_ptr_array_add (cert->achievements, g_strdup ("Senkung der Leerfahrten"));
  for (guint c = 0; c < ZG_N_CATEGORIES; c++)
    cert->grades[c] = grade;
  g_ptr_array_add (cert->signatories, g_new0 (ZgCertSignatory, 1));
  ((ZgCertSignatory *) g_ptr_array_index (cert->signatories, 0))->name = g_strdup ("Dr. Eva Roth");
  return g_steal_pointer (&cert);
}

static ZgDocument *
generate (const ZgCertificate *cert)
{
  g_autoptr(GError) error = NULL;
  ZgDocument *doc = zg_generate (library, cert, &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  return doc;
}

static const ZgBlock *
find_block (const ZgDocument *doc,
            const char       *section)
{
  for (guint i = 0; i < doc->blocks->len; i++)
    {
      const ZgBlock *block = g_ptr_array_index (doc->blocks, i);

      if (strcmp (block->section, section) == 0)
        return block;
    }
  return NULL;
}

static int
block_index (const ZgDocument *doc,
             const char       *section)
{
  for (guint i = 0; i < doc->blocks->len; i++)
    if (strcmp (((const ZgBlock *) g_ptr_array_index (doc->blocks, i))->section, section) == 0)
      return (int) i;
  return -1;
}

/* Lower-cased words of a text. */
static GHashTable *
words_of (const char *text)
{
  GHashTable *words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *p = text;

  while (*p)
    {
      const char *start;

      while (*p && !g_unichar_isalpha (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p && g_unichar_isalpha (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p > start)
        {
          g_autofree char *word = g_strndup (start, p - start);

          g_hash_table_add (words, g_utf8_strdown (word, -1));
        }
    }
  return words;
}

static const char *const masculine_de[] = {
  "er", "ihm", "ihn", "sein", "seine", "seinem", "seinen", "seiner", "seines", "herr", "herrn",
  NULL
};
static const char *const feminine_de[] = {
  "sie", "ihr", "ihre", "ihrem", "ihren", "ihrer", "ihres", "frau", NULL
};
static const char *const masculine_en[] = { "he", "him", "his", "himself", "mr", NULL };
static const char *const feminine_en[] = { "she", "her", "hers", "herself", "ms", NULL };

static void
assert_no_words (GHashTable         *words,
                 const char *const  *forbidden,
                 const char         *text)
{
  for (guint i = 0; forbidden[i] != NULL; i++)
    if (g_hash_table_contains (words, forbidden[i]))
      g_error ("wrong gender form “%s” in: %s", forbidden[i], text);
}

static guint count_occurrences (const char *haystack,
                                const char *needle);

/* R-APP-1: kinds × genders × grades × languages × manager. */
static void
test_matrix (void)
{
  guint n = 0;

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint kind = 0; kind < ZG_N_KINDS; kind++)
      for (guint s = 0; s < G_N_ELEMENTS (salutations); s++)
        for (int grade = 1; grade <= 5; grade++)
          for (int manager = 0; manager <= 1; manager++)
            {
              g_autoptr(ZgCertificate) cert = make_certificate (languages[l], kind,
                                                                salutations[s], manager, grade);
              g_autoptr(ZgDocument) doc = generate (cert);
              g_autofree char *text = zg_document_to_text (doc);
              g_autoptr(GHashTable) words = words_of (text);
              gboolean de = l == 0;
              gboolean fuehrung = find_block (doc, "rating.fuehrungserfolg") != NULL;
              gboolean exam = find_block (doc, "rating.abschlusspruefung") != NULL;

              n++;
              /* no placeholder left */
              g_assert_null (strchr (text, '{'));
              g_assert_null (strchr (text, '}'));
              g_assert_true (g_utf8_validate (text, -1, NULL));

              /* gender forms: only the employee's, nothing but the name for divers */
              if (salutations[s] != ZG_SALUTATION_HERR)
                assert_no_words (words, de ? masculine_de : masculine_en, text);
              if (salutations[s] != ZG_SALUTATION_FRAU)
                assert_no_words (words, de ? feminine_de : feminine_en, text);
              /* divers: the intro introduces the titled full name, later references
               * use one short form; English writes the title without a full stop */
              if (salutations[s] == ZG_SALUTATION_DIVERS || salutations[s] == ZG_SALUTATION_NONE)
                {
                  g_assert_cmpuint (count_occurrences (text, de ? "Dr. Alex Kranz"
                                                                : "Dr Alex Kranz"), ==, 1);
                  g_assert_true (g_str_has_prefix (find_block (doc, "intro")->text,
                                                   de ? "Dr. Alex Kranz" : "Dr Alex Kranz"));
                }
              if (!de)
                g_assert_null (strstr (text, "Dr."));   /* nor in the signatures */

              /* Führungserfolg only for managers, exam result only for apprentices */
              g_assert_true (fuehrung == (manager && (kind == ZG_KIND_ENDZEUGNIS ||
                                                      kind == ZG_KIND_ZWISCHENZEUGNIS)));
              g_assert_true (exam == (kind == ZG_KIND_AUSBILDUNGSZEUGNIS));
              g_assert_true ((find_block (doc, "school") != NULL) ==
                             (kind == ZG_KIND_AUSBILDUNGSZEUGNIS));

              /* canonical order */
              g_assert_cmpint (block_index (doc, "intro"), ==, 0);
              g_assert_cmpint (block_index (doc, "tasks"), <, block_index (doc,
                                                                           "rating.bereitschaft"));
              g_assert_cmpint (block_index (doc, "rating.bereitschaft"), <,
                               block_index (doc, "rating.arbeitserfolg"));
              g_assert_cmpint (block_index (doc, "rating.arbeitserfolg"), <,
                               block_index (doc, "overall"));
              g_assert_cmpint (block_index (doc, "overall"), <,
                               block_index (doc, "rating.verhalten-intern"));
              g_assert_cmpint (block_index (doc, "rating.verhalten-intern"), <,
                               block_index (doc, "rating.verhalten-extern"));
              g_assert_cmpint (block_index (doc, "rating.verhalten-extern"), <,
                               block_index (doc, "closing.reason"));
              g_assert_cmpint (block_index (doc, "closing.reason") + 1, ==,
                               block_index (doc, "closing.formula"));
              g_assert_cmpint (block_index (doc, "closing.formula") + 1, ==,
                               (int) doc->blocks->len);

              /* customary paragraphs: sentences of a group continue one paragraph, a
               * list ends it, and the plain text joins them with a space */
              {
                static const char *const starts[] = {
                  "intro", "rating.bereitschaft", "rating.arbeitsweise",
                  "rating.verhalten-intern", "closing.reason", NULL
                };
                static const char *const continues[] = {
                  "rating.befaehigung", "rating.wissen", "rating.arbeitserfolg",
                  "rating.verhalten-extern", "closing.formula", NULL
                };
                const ZgBlock *reason_block = find_block (doc, "closing.reason");
                const ZgBlock *formula_block = find_block (doc, "closing.formula");
                g_autofree char *joined = g_strdup_printf ("\n%s %s\n", reason_block->text,
                                                           formula_block->text);

                for (guint i = 0; starts[i] != NULL; i++)
                  g_assert_false (find_block (doc, starts[i])->continues_paragraph);
                for (guint i = 0; continues[i] != NULL; i++)
                  g_assert_true (find_block (doc, continues[i])->continues_paragraph);
                for (guint i = 1; i < doc->blocks->len; i++)
                  {
                    const ZgBlock *prev = g_ptr_array_index (doc->blocks, i - 1);
                    const ZgBlock *block = g_ptr_array_index (doc->blocks, i);

                    if (prev->kind == ZG_BLOCK_LIST_ITEM || block->kind == ZG_BLOCK_LIST_ITEM)
                      g_assert_false (block->continues_paragraph);
                    if (strcmp (block->section, "overall") == 0)
                      g_assert_true (block->continues_paragraph ==
                                     (prev->kind == ZG_BLOCK_PARAGRAPH));
                  }
                g_assert_nonnull (strstr (text, joined));
              }

              /* dates in the language's format */
              g_assert_cmpstr (doc->place_date, ==, de ? "Bonn, 30. Juni 2026"
                                                       : "Bonn, 30 June 2026");
              g_assert_nonnull (doc->title);
            }
  g_test_message ("%u certificates generated", n);
}

/* Sentences of a text: split after . ! ? : and at line breaks, not after a title. */
static GStrv
sentences_of (const char *text)
{
  return g_regex_split_simple ("(?<!\\bDr|\\bProf)[.!?:](?=\\s)\\s*|\\n+", text, 0, 0);
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* German has no neutral pronoun, so a divers letter would open sentence after
 * sentence with "Alex Kranz …". Over the generation matrix (kinds × grades ×
 * manager × variant choices) at most a third of the body's sentences of any
 * letter may start with the name (intro included, lists and the record's
 * company text left out). */
static void
test_divers_openings (void)
{
  const ZgSalutation neutral[] = { ZG_SALUTATION_DIVERS, ZG_SALUTATION_NONE };
  guint letters = 0, worst_named = 0, worst_total = 1, all_named = 0, all_total = 0;
  g_autofree char *worst = NULL;

  for (guint kind = 0; kind < ZG_N_KINDS; kind++)
    for (guint s = 0; s < G_N_ELEMENTS (neutral); s++)
      for (int grade = 1; grade <= 5; grade++)
        for (int manager = 0; manager <= 1; manager++)
          for (guint variant = 0; variant < 6; variant++)
            {
              g_autoptr(ZgCertificate) cert = make_certificate ("de", kind, neutral[s], manager,
                                                                grade);
              g_autoptr(GPtrArray) slots = zg_generator_list_slots (library, cert);
              g_autoptr(ZgDocument) doc = NULL;
              guint named = 0, total = 0;

              for (guint i = 0; i < slots->len; i++)
                zg_certificate_set_variant (cert, g_ptr_array_index (slots, i), variant);
              doc = generate (cert);
              for (guint b = 0; b < doc->blocks->len; b++)
                {
                  const ZgBlock *block = g_ptr_array_index (doc->blocks, b);
                  g_auto(GStrv) sentences = NULL;

                  if (block->kind != ZG_BLOCK_PARAGRAPH || strcmp (block->section, "company") == 0)
                    continue;
                  sentences = sentences_of (block->text);
                  for (guint i = 0; sentences[i] != NULL; i++)
                    {
                      if (sentences[i][0] == '\0')
                        continue;
                      total++;
                      /* inverted openings keep the unstressed pronoun before the name */
                      if (strstr (sentences[i], "Alex Kranz sich ") != NULL ||
                          strstr (sentences[i], "Alex Kranz es ") != NULL)
                        g_error ("pronoun after the name: %s", sentences[i]);
                      if (g_str_has_prefix (sentences[i], "Alex Kranz") ||
                          g_str_has_prefix (sentences[i], "Dr. Alex Kranz"))
                        named++;
                    }
                }
              letters++;
              all_named += named;
              all_total += total;
              if (named * worst_total > worst_named * total)
                {
                  worst_named = named;
                  worst_total = total;
                  g_free (worst);
                  worst = zg_document_to_text (doc);
                }
            }
  g_test_message ("%u letters: %u of %u sentences start with the name (%.0f %%), worst letter "
                  "%u of %u", letters, all_named, all_total, 100.0 * all_named / all_total,
                  worst_named, worst_total);
  if (worst_named * 3 > worst_total)
    g_error ("%u of %u sentences start with the name:\n%s", worst_named, worst_total, worst);
}

/* R-APP-1: natural wording for every salutation — no sentence names the person twice
 * (full name, genitive or "Herr/Frau …"; the last name covers all of them), over every
 * variant of every slot. */
static void
test_name_once_per_sentence (void)
{
  g_autoptr(GHashTable) bad = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint checked = 0;

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint kind = 0; kind < ZG_N_KINDS; kind++)
      for (guint s = 0; s < G_N_ELEMENTS (salutations); s++)
        for (int grade = 1; grade <= 5; grade++)
          for (int manager = 0; manager <= 1; manager++)
            for (guint variant = 0; variant < 6; variant++)
              {
                g_autoptr(ZgCertificate) cert = make_certificate (languages[l], kind,
                                                                  salutations[s], manager,
                                                                  grade);
                g_autoptr(GPtrArray) slots = zg_generator_list_slots (library, cert);
                g_autoptr(ZgDocument) doc = NULL;
                g_autofree char *text = NULL;
                g_auto(GStrv) sentences = NULL;

                for (guint i = 0; i < slots->len; i++)
                  zg_certificate_set_variant (cert, g_ptr_array_index (slots, i), variant);
                doc = generate (cert);
                text = zg_document_to_text (doc);
                /* English has singular "they" for the object and possessive forms */
                if (l == 1 && (salutations[s] == ZG_SALUTATION_DIVERS ||
                               salutations[s] == ZG_SALUTATION_NONE))
                  g_assert_null (strstr (text, "Kranz's"));
                sentences = sentences_of (text);
                for (guint i = 0; sentences[i] != NULL; i++)
                  {
                    if (count_occurrences (sentences[i], "Kranz") > 1)
                      g_hash_table_add (bad, g_strdup_printf ("%s %s %s: %s", languages[l],
                                                              zg_kind_key (kind),
                                                              zg_salutation_key (salutations[s]),
                                                              sentences[i]));
                    checked++;
                  }
              }
  g_test_message ("%u sentences checked", checked);
  if (g_hash_table_size (bad) > 0)
    {
      g_autofree const char **list = (const char **) g_hash_table_get_keys_as_array (bad, NULL);
      g_autofree char *joined = NULL;

      g_qsort_with_data (list, g_hash_table_size (bad), sizeof (char *),
                         (GCompareDataFunc) (void (*) (void)) g_ascii_strcasecmp, NULL);
      joined = g_strjoinv ("\n", (char **) list);
      g_error ("%u sentences name the person twice:\n%s", g_hash_table_size (bad), joined);
    }
}

/* Reading flow: a list whose entries have an "and" of their own is joined with
 * "sowie" / "as well as"; with the default variants no stock phrase ("die übertragenen
 * Aufgaben", "Während der Ausbildung") comes twice in one letter. */
static void
test_reading_flow (void)
{
  static const char *const stock_de[] = {
    "übertragenen Aufgaben", "Während der Ausbildung", "Während des Praktikums", NULL
  };
  static const char *const stock_en[] = {
    "tasks assigned", "assigned tasks", "During the apprenticeship", "During the internship", NULL
  };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autoptr(ZgCertificate) cert = make_certificate (languages[l], ZG_KIND_ENDZEUGNIS,
                                                        ZG_SALUTATION_FRAU, FALSE, 2);
      g_autoptr(ZgDocument) doc = NULL;
      const char *expected = l == 0 ? "durch Kenntnisse in SAP und DATEV, Verhandlungsgeschick "
                                      "sowie Englisch"
                                    : "by Kenntnisse in SAP und DATEV, Verhandlungsgeschick and "
                                      "Englisch";

      g_ptr_array_set_size (cert->qualifications, 0);
      g_ptr_array_add (cert->qualifications, g_strdup ("Kenntnisse in SAP und DATEV"));
      g_ptr_array_add (cert->qualifications, g_strdup ("Verhandlungsgeschick"));
      g_ptr_array_add (cert->qualifications, g_strdup ("Englisch"));
      if (l == 1)
        g_ptr_array_add (cert->qualifications, g_strdup ("C and Go"));
      doc = generate (cert);
      if (l == 1)
        expected = "by Kenntnisse in SAP und DATEV, Verhandlungsgeschick, Englisch as well as "
                   "C and Go";
      g_assert_nonnull (strstr (find_block (doc, "qualifications")->text, expected));
    }

  /* several stations: the intro names the last position as such, and the stations
   * paragraph does not repeat the intro's "tätig" */
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint kind = ZG_KIND_ENDZEUGNIS; kind <= ZG_KIND_ZWISCHENZEUGNIS; kind++)
      {
        g_autoptr(ZgCertificate) cert = make_certificate (languages[l], kind, ZG_SALUTATION_HERR,
                                                          FALSE, 2);
        g_autoptr(ZgCertificate) single = make_certificate (languages[l], kind,
                                                            ZG_SALUTATION_HERR, FALSE, 2);
        g_autoptr(ZgDocument) doc = generate (cert);
        g_autoptr(ZgDocument) single_doc = NULL;
        g_autofree char *text = zg_document_to_text (doc);
        gboolean interim = kind == ZG_KIND_ZWISCHENZEUGNIS;
        const char *last = l == 0 ? (interim ? "tätig, derzeit als Disposition."
                                             : "tätig, zuletzt als Disposition.")
                                  : (interim ? ", currently in the position of Disposition."
                                             : ", most recently in the position of Disposition.");

        g_assert_true (g_str_has_suffix (find_block (doc, "intro")->text, last));
        if (l == 0)
          g_assert_cmpuint (count_occurrences (text, "tätig"), ==, 1);
        g_ptr_array_set_size (single->stations, 1);
        single_doc = generate (single);
        g_assert_null (strstr (find_block (single_doc, "intro")->text, l == 0 ? "zuletzt"
                                                                               : "recently"));
      }

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint kind = 0; kind < ZG_N_KINDS; kind++)
      for (guint s = 0; s < G_N_ELEMENTS (salutations); s++)
        for (int grade = 1; grade <= 5; grade++)
          {
            g_autoptr(ZgCertificate) cert = make_certificate (languages[l], kind, salutations[s],
                                                              FALSE, grade);
            g_autoptr(ZgDocument) doc = generate (cert);
            g_autofree char *text = zg_document_to_text (doc);
            const char *const *stock = l == 0 ? stock_de : stock_en;

            /* case-sensitive: the capitalised ones are repeated sentence openings */
            for (guint i = 0; stock[i] != NULL; i++)
              if (count_occurrences (text, stock[i]) > 1)
                g_error ("“%s” more than once in: %s", stock[i], text);
          }
}

/* The first @n words of a sentence, lower-cased. */
static char *
opening (const char *text,
         guint       n)
{
  g_auto(GStrv) words = g_strsplit (text, " ", (gint) n + 1);
  g_autofree char *joined = NULL;

  if (g_strv_length (words) > n)
    g_clear_pointer (&words[n], g_free);
  joined = g_strjoinv (" ", words);
  return g_utf8_strdown (joined, -1);
}

/* Whatever variant index the editor sets for all slots, two sentences that follow each
 * other in one paragraph never open with the same two words ("Sein Verhalten gegenüber
 * Vorgesetzten … Sein Verhalten gegenüber Kunden …", "On the whole, … On the whole, …"),
 * unless they start with the person as the subject. */
static void
test_varied_openings (void)
{
  g_autoptr(GHashTable) bad = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint kind = 0; kind < ZG_N_KINDS; kind++)
      for (guint s = 0; s < G_N_ELEMENTS (salutations); s++)
        for (int grade = 1; grade <= 5; grade++)
          for (guint variant = 0; variant < 6; variant++)
            {
              g_autoptr(ZgCertificate) cert = make_certificate (languages[l], kind, salutations[s],
                                                                TRUE, grade);
              g_autoptr(GPtrArray) slots = zg_generator_list_slots (library, cert);
              g_autoptr(ZgDocument) doc = NULL;

              for (guint i = 0; i < slots->len; i++)
                zg_certificate_set_variant (cert, g_ptr_array_index (slots, i), variant);
              doc = generate (cert);
              for (guint i = 1; i < doc->blocks->len; i++)
                {
                  const ZgBlock *prev = g_ptr_array_index (doc->blocks, i - 1);
                  const ZgBlock *block = g_ptr_array_index (doc->blocks, i);
                  g_autofree char *a = NULL;
                  g_autofree char *b = NULL;

                  if (!block->continues_paragraph)
                    continue;
                  /* with a pronoun at hand, the name is not repeated in the next sentence */
                  if ((salutations[s] == ZG_SALUTATION_HERR || salutations[s] == ZG_SALUTATION_FRAU) &&
                      strstr (prev->text, "Kranz") != NULL && strstr (block->text, "Kranz") != NULL)
                    g_hash_table_add (bad, g_strdup_printf ("%s %s: %s | %s", languages[l],
                                                            zg_kind_key (kind), prev->text,
                                                            block->text));
                  a = opening (prev->text, 2);
                  b = opening (block->text, 2);
                  /* a sentence may well start with its subject, the person */
                  if (g_str_has_prefix (block->text, "Er ") || g_str_has_prefix (block->text, "Sie ") ||
                      g_str_has_prefix (block->text, "He ") || g_str_has_prefix (block->text, "She ") ||
                      g_str_has_prefix (block->text, "Herr ") || g_str_has_prefix (block->text, "Frau ") ||
                      g_str_has_prefix (block->text, "Mr ") || g_str_has_prefix (block->text, "Ms ") ||
                      g_str_has_prefix (block->text, "Dr ") || g_str_has_prefix (block->text, "Dr. ") ||
                      g_str_has_prefix (block->text, "Alex Kranz"))
                    continue;
                  if (strcmp (a, b) == 0)
                    g_hash_table_add (bad, g_strdup_printf ("%s %s: %s | %s", languages[l],
                                                            zg_kind_key (kind), prev->text,
                                                            block->text));
                }
            }
  if (g_hash_table_size (bad) > 0)
    {
      g_autofree const char **list = (const char **) g_hash_table_get_keys_as_array (bad, NULL);
      g_autofree char *joined = g_strjoinv ("\n", (char **) list);

      g_error ("%u pairs of sentences open alike:\n%s", g_hash_table_size (bad), joined);
    }
}

static const char *const past_de[] = {
  "war", "waren", "hatte", "hatten", "wurde", "wurden", "bewies", "fand", "trat", "verstand",
  "brachte", "hielt", "nahm", "gab", "ging", "kam", "wusste", "galt", "erwarb", "erkannte",
  "überzeugte", "verfügte", "zeigte", "bestand", "beherrschte", "stellte", "setzte", "bildete",
  "behielt", "verlor", "schloss", "genoss", "schätzten", "begegnete", "ließ", "las", "sah",
  "bot", "ergriff", "wandte", "arbeitete", "erledigte", "leitete", "führte", "stand", "tat",
  "löste", "fiel", "traf", "gelang", "gelangen", "vertrat", "entsprach", "entsprachen", "erfüllte", "trug", "gingen",
  "übernahm", "schloss", NULL
};
static const char *const past_en[] = {
  "was", "were", "had", "took", "made", "kept", "led", "met", "brought", "built", "found",
  "held", "knew", "became", "gave", "got", "won", "understood", "thought", "grew", "did",
  "dealt", "sought", "spoke", "went", "came", "saw", "showed", "proved", "stood", "drew",
  "earned", "achieved", "arose", NULL
};

static gboolean
is_past_word (const char *word,
              gboolean    de)
{
  if (g_strv_contains (de ? past_de : past_en, word))
    return TRUE;
  if (de)
    return g_str_has_suffix (word, "te") || g_str_has_suffix (word, "ten") ||
           g_str_has_suffix (word, "tet");
  return g_str_has_suffix (word, "ed");
}

/* R-APP-1: interim = present tense, final = past tense in the rating sentences
 * (a tense-independent variant may stay in the present). */
static void
test_tenses (void)
{
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (int grade = 1; grade <= 5; grade++)
      for (guint variant = 0; variant < 4; variant++)
        {
          g_autoptr(ZgCertificate) final = make_certificate (languages[l], ZG_KIND_ENDZEUGNIS,
                                                             ZG_SALUTATION_FRAU, TRUE, grade);
          g_autoptr(ZgCertificate) interim = make_certificate (languages[l],
                                                               ZG_KIND_ZWISCHENZEUGNIS,
                                                               ZG_SALUTATION_FRAU, TRUE, grade);
          g_autoptr(ZgDocument) dfinal = NULL;
          g_autoptr(ZgDocument) dinterim = NULL;
          guint changed = 0;

          for (guint c = 0; c < ZG_N_CATEGORIES; c++)
            {
              zg_certificate_set_variant (final, zg_category_slot (c), variant);
              zg_certificate_set_variant (interim, zg_category_slot (c), variant);
            }
          zg_certificate_set_variant (final, "overall", variant);
          zg_certificate_set_variant (interim, "overall", variant);
          dfinal = generate (final);
          dinterim = generate (interim);
          for (guint i = 0; i < dfinal->blocks->len; i++)
            {
              const ZgBlock *bf = g_ptr_array_index (dfinal->blocks, i);
              const ZgBlock *bi = find_block (dinterim, bf->section);
              g_autoptr(GHashTable) wf = NULL;
              g_autoptr(GHashTable) wi = NULL;
              GHashTableIter iter;
              gpointer word;
              gboolean marker = FALSE;

              if (!g_str_has_prefix (bf->section, "rating.") &&
                  strcmp (bf->section, "overall") != 0)
                continue;
              g_assert_nonnull (bi);
              if (strcmp (bf->text, bi->text) == 0)
                continue;
              changed++;
              wf = words_of (bf->text);
              wi = words_of (bi->text);
              g_hash_table_iter_init (&iter, wf);
              while (g_hash_table_iter_next (&iter, &word, NULL))
                if (!g_hash_table_contains (wi, word) && is_past_word (word, l == 0))
                  marker = TRUE;
              if (!marker)
                g_error ("no past-tense form in the final certificate's “%s”: %s",
                         bf->section, bf->text);
              g_hash_table_iter_init (&iter, wi);
              while (g_hash_table_iter_next (&iter, &word, NULL))
                if (!g_hash_table_contains (wf, word) && g_strv_contains (l == 0 ? past_de
                                                                                 : past_en,
                                                                          word))
                  g_error ("past-tense “%s” in the interim certificate's “%s”: %s",
                           (const char *) word, bf->section, bi->text);
            }
          /* most sentences change with the tense */
          g_assert_cmpuint (changed, >=, 5);
        }
}

/* R-APP-1: the closing formula by reason and grade — fewer, weaker elements
 * with worse grades. */
static void
test_closing (void)
{
  static const struct { const char *reason; const char *de; const char *en; } reasons[] = {
    { "arbeitnehmerkuendigung", "auf eigenen Wunsch", "at her own request" },
    { "arbeitgeberkuendigung-betriebsbedingt", "betriebsbedingten", "operational reasons" },
    { "befristung", "Befristung", "fixed term" },
    { "ruhestand", "Ruhestand", "retires" },
  };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint r = 0; r < G_N_ELEMENTS (reasons); r++)
      for (int grade = 1; grade <= 5; grade++)
        {
          g_autoptr(ZgCertificate) cert = make_certificate (languages[l], ZG_KIND_ENDZEUGNIS,
                                                            ZG_SALUTATION_FRAU, FALSE, grade);
          g_autoptr(ZgDocument) doc = NULL;
          const ZgBlock *reason, *formula;
          gboolean de = l == 0;

          cert->reason = g_strdup (reasons[r].reason);
          doc = generate (cert);
          reason = find_block (doc, "closing.reason");
          formula = find_block (doc, "closing.formula");
          g_assert_nonnull (strstr (reason->text, de ? reasons[r].de : reasons[r].en));
          /* wishes always; thanks down to 4; regret only for good grades */
          g_assert_nonnull (strstr (formula->text, de ? "wünschen" : "wish"));
          g_assert_true ((strstr (formula->text, de ? "danken" : "thank") != NULL) ==
                         (grade <= 4));
          if (grade >= 4)
            g_assert_null (strstr (formula->text, de ? "bedauern" : "regret"));
          if (grade <= 2 && strcmp (reasons[r].reason, "ruhestand") != 0)
            g_assert_nonnull (strstr (formula->text, de ? "bedauern" : "regret"));
        }

  /* interim: a reason of its own, looking forward instead of regret */
  {
    g_autoptr(ZgCertificate) cert = make_certificate ("de", ZG_KIND_ZWISCHENZEUGNIS,
                                                      ZG_SALUTATION_HERR, FALSE, 1);
    g_autoptr(ZgDocument) doc = NULL;

    cert->reason = g_strdup ("vorgesetztenwechsel");
    doc = generate (cert);
    g_assert_cmpstr (doc->title, ==, "Zwischenzeugnis");
    g_assert_nonnull (strstr (find_block (doc, "closing.reason")->text, "Vorgesetzten"));
    g_assert_nonnull (strstr (find_block (doc, "closing.formula")->text,
                              "freuen uns sehr auf die weitere Zusammenarbeit"));
  }
}

/* The overall grade: mean of the performance categories, ties to the better
 * grade; an override wins (docs/engine.md). */
static void
test_overall_grade (void)
{
  g_autoptr(ZgCertificate) cert = make_certificate ("de", ZG_KIND_ENDZEUGNIS,
                                                    ZG_SALUTATION_HERR, FALSE, 0);
  g_autoptr(ZgDocument) doc = NULL;
  g_autoptr(GError) error = NULL;

  /* nothing rated: no overall sentence possible */
  doc = zg_generate (library, cert, &error);
  g_assert_null (doc);
  g_assert_error (error, ZG_GENERATOR_ERROR, ZG_GENERATOR_ERROR_INCOMPLETE);

  cert->grades[ZG_CAT_BEREITSCHAFT] = 1;
  cert->grades[ZG_CAT_WISSEN] = 2;
  g_assert_cmpint (zg_derive_overall_grade (cert), ==, 1);   /* 1.5 -> 1 */
  cert->grades[ZG_CAT_ARBEITSWEISE] = 2;
  g_assert_cmpint (zg_derive_overall_grade (cert), ==, 2);   /* 1.67 -> 2 */
  cert->grades[ZG_CAT_VERHALTEN_INTERN] = 5;                 /* conduct does not count */
  g_assert_cmpint (zg_derive_overall_grade (cert), ==, 2);
  cert->grades[ZG_CAT_FUEHRUNGSERFOLG] = 5;                  /* not a manager: ignored */
  g_assert_cmpint (zg_derive_overall_grade (cert), ==, 2);
  cert->is_manager = TRUE;
  g_assert_cmpint (zg_derive_overall_grade (cert), ==, 2);   /* 10/4 = 2.5 -> 2 */
  cert->grades[ZG_CAT_ARBEITSERFOLG] = 5;
  g_assert_cmpint (zg_derive_overall_grade (cert), ==, 3);   /* 15/5 = 3 */
  cert->overall_override = 1;
  g_assert_cmpint (zg_overall_grade (cert), ==, 1);
  g_clear_error (&error);
  doc = zg_generate (library, cert, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (find_block (doc, "overall")->text, "vollsten"));
}

/* Deterministic, and every variant can be chosen per slot. */
static void
test_variant_choice (void)
{
  g_autoptr(ZgCertificate) cert = make_certificate ("de", ZG_KIND_ENDZEUGNIS,
                                                    ZG_SALUTATION_FRAU, TRUE, 2);
  g_autoptr(ZgDocument) a = generate (cert);
  g_autoptr(ZgDocument) b = generate (cert);
  g_autofree char *ta = zg_document_to_text (a);
  g_autofree char *tb = zg_document_to_text (b);
  g_autoptr(GPtrArray) slots = zg_generator_list_slots (library, cert);

  g_assert_cmpstr (ta, ==, tb);
  g_assert_true (g_ptr_array_find_with_equal_func (slots, "rating.wissen", g_str_equal, NULL));
  for (guint s = 0; s < slots->len; s++)
    {
      const char *slot = g_ptr_array_index (slots, s);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) variants = zg_generator_list_variants (library, cert, slot, &error);

      if (strcmp (slot, "stations-current") == 0)
        continue;
      g_assert_no_error (error);
      for (guint v = 0; v < variants->len; v++)
        {
          const ZgVariantOption *option = g_ptr_array_index (variants, v);
          g_autoptr(ZgDocument) doc = NULL;
          const ZgBlock *block;

          g_assert_true (zg_certificate_set_variant_id (cert, slot, option->id, &error));
          doc = generate (cert);
          g_assert_cmpuint (doc->fallback_slots->len, ==, 0);
          if (strcmp (slot, "title") == 0)
            {
              g_assert_cmpstr (doc->title, ==, option->text);
              continue;
            }
          block = find_block (doc, slot);
          g_assert_nonnull (block);
          g_assert_cmpstr (block->variant_id, ==, option->id);
          g_assert_false (block->variant_fallback);
          if (strcmp (slot, "stations") != 0)
            g_assert_cmpstr (block->text, ==, option->text);
        }
      g_assert_true (zg_certificate_set_variant_id (cert, slot, NULL, &error));
    }
}

/* The record stores the chosen sentence's id: when the data change the list of
 * applicable variants (a second station puts the "zuletzt als" intros first),
 * the letter keeps the chosen sentence, where a stored position would silently
 * select another one. */
static void
test_variant_id_stable (void)
{
  g_autoptr(ZgCertificate) cert = make_certificate ("de", ZG_KIND_ENDZEUGNIS,
                                                    ZG_SALUTATION_HERR, FALSE, 2);
  g_autoptr(ZgCertificate) legacy = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(ZgDocument) doc = NULL;
  g_autoptr(ZgDocument) legacy_doc = NULL;
  g_autoptr(GError) error = NULL;
  const ZgVariantOption *chosen;
  ZgStation *station;
  guint position;

  g_ptr_array_set_size (cert->stations, 1);
  before = zg_generator_list_variants (library, cert, "intro", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, >=, 3);
  position = 2;
  chosen = g_ptr_array_index (before, position);
  g_assert_true (zg_certificate_set_variant_id (cert, "intro", chosen->id, &error));
  legacy = zg_certificate_copy (cert);
  zg_certificate_set_variant (legacy, "intro", position);

  /* the record changes: a second career station */
  station = g_new0 (ZgStation, 1);
  station->position = g_strdup ("Disposition");
  g_date_set_dmy (&station->from, 1, 1, 2023);
  g_ptr_array_add (cert->stations, station);
  station = g_new0 (ZgStation, 1);
  station->position = g_strdup ("Disposition");
  g_date_set_dmy (&station->from, 1, 1, 2023);
  g_ptr_array_add (legacy->stations, station);

  after = zg_generator_list_variants (library, cert, "intro", &error);
  g_assert_no_error (error);
  /* the list moved: the same position is another sentence now */
  g_assert_cmpstr (((const ZgVariantOption *) g_ptr_array_index (after, position))->id, !=,
                   chosen->id);
  doc = generate (cert);
  g_assert_cmpstr (find_block (doc, "intro")->variant_id, ==, chosen->id);
  g_assert_cmpstr (find_block (doc, "intro")->text, ==, chosen->text);
  g_assert_false (find_block (doc, "intro")->variant_fallback);
  legacy_doc = generate (legacy);
  g_assert_cmpstr (find_block (legacy_doc, "intro")->variant_id, !=, chosen->id);

  /* the id survives the JSON round trip */
  {
    g_autofree char *json = zg_certificate_to_data (cert, FALSE);
    g_autoptr(ZgCertificate) again = zg_certificate_from_data (json, -1, &error);

    g_assert_no_error (error);
    g_assert_nonnull (strstr (json, "\"intro\":\""));
    g_assert_cmpstr (zg_certificate_get_variant_id (again, "intro"), ==, chosen->id);
  }
}

/* A stored id that no longer fits falls back to the default and says so; a
 * grade change keeps the corresponding sentence of the new grade. */
static void
test_variant_id_fallback (void)
{
  g_autoptr(ZgCertificate) cert = make_certificate ("de", ZG_KIND_ENDZEUGNIS,
                                                    ZG_SALUTATION_FRAU, FALSE, 2);
  g_autoptr(GPtrArray) intros = NULL;
  g_autoptr(GError) error = NULL;
  const char *with_place = NULL;

  intros = zg_generator_list_variants (library, cert, "intro", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < intros->len && with_place == NULL; i++)
    {
      const ZgVariantOption *o = g_ptr_array_index (intros, i);

      if (strstr (o->text, " in Bonn,") != NULL)
        with_place = o->id;
    }
  g_assert_nonnull (with_place);
  g_assert_true (zg_certificate_set_variant_id (cert, "intro", with_place, &error));
  g_assert_true (zg_certificate_set_variant_id (cert, "rating.wissen", "wissen.2.c", &error));
  /* missing data: the birth place is removed */
  g_clear_pointer (&cert->birth_place, g_free);
  {
    g_autoptr(ZgDocument) doc = generate (cert);
    g_autoptr(GPtrArray) now = zg_generator_list_variants (library, cert, "intro", &error);
    const ZgBlock *intro = find_block (doc, "intro");

    g_assert_true (intro->variant_fallback);
    g_assert_cmpstr (intro->variant_id, ==,
                     ((const ZgVariantOption *) g_ptr_array_index (now, 0))->id);
    g_assert_null (strstr (intro->text, "Bonn"));
    g_assert_cmpuint (doc->fallback_slots->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (doc->fallback_slots, 0), ==, "intro");
    g_assert_cmpstr (find_block (doc, "rating.wissen")->variant_id, ==, "wissen.2.c");
  }
  /* another grade: the same letter of the new grade, no fallback */
  cert->grades[ZG_CAT_WISSEN] = 1;
  {
    g_autoptr(ZgDocument) doc = generate (cert);

    g_assert_cmpstr (find_block (doc, "rating.wissen")->variant_id, ==, "wissen.1.c");
    g_assert_false (find_block (doc, "rating.wissen")->variant_fallback);
  }
  /* a kind-specific sentence on a record of another kind */
  g_assert_true (zg_certificate_set_variant_id (cert, "rating.wissen", "wissen.1.azubi",
                                                &error));
  {
    g_autoptr(ZgDocument) doc = generate (cert);

    g_assert_true (find_block (doc, "rating.wissen")->variant_fallback);
    g_assert_cmpstr (find_block (doc, "rating.wissen")->variant_id, !=, "wissen.1.azubi");
  }
  /* removed by a customer layer (R-APP-6) */
  {
    g_autoptr(ZgPhraseLibrary) layered = zg_phrase_library_load (NULL, &error);
    g_autoptr(JsonNode) layer = NULL;
    g_autoptr(ZgDocument) before = NULL;
    g_autoptr(ZgDocument) after = NULL;

    g_assert_no_error (error);
    g_assert_true (zg_certificate_set_variant_id (cert, "rating.wissen", "wissen.1.c", &error));
    before = zg_generate (layered, cert, &error);
    g_assert_no_error (error);
    g_assert_false (find_block (before, "rating.wissen")->variant_fallback);
    layer = json_from_string ("{\"layer\":\"kunde\",\"files\":[{\"slot\":\"rating.wissen\","
                              "\"language\":\"de\",\"grades\":{\"1\":[{\"id\":\"wissen.1.c\","
                              "\"disabled\":true}]}}]}", &error);
    g_assert_no_error (error);
    g_assert_true (zg_phrase_library_add_layer_json (layered, layer, &error));
    after = zg_generate (layered, cert, &error);
    g_assert_no_error (error);
    g_assert_true (find_block (after, "rating.wissen")->variant_fallback);
    g_assert_true (g_ptr_array_find_with_equal_func (after->fallback_slots, "rating.wissen",
                                                     g_str_equal, NULL));
  }
  /* not an id */
  g_assert_false (zg_certificate_set_variant_id (cert, "overall", "Overall 1", &error));
  g_assert_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_OUT_OF_RANGE);
}

/* Older records stored positions; pinning turns them into the ids they select. */
static void
test_variant_pin_legacy (void)
{
  g_autoptr(ZgCertificate) cert = make_certificate ("en", ZG_KIND_ENDZEUGNIS,
                                                    ZG_SALUTATION_HERR, TRUE, 3);
  g_autoptr(ZgDocument) before = NULL;
  g_autoptr(ZgDocument) after = NULL;
  g_autofree char *ta = NULL;
  g_autofree char *tb = NULL;

  zg_certificate_set_variant (cert, "rating.arbeitsweise", 1);
  zg_certificate_set_variant (cert, "overall", 2);
  before = generate (cert);
  g_assert_cmpuint (zg_generator_pin_variants (library, cert), ==, 2);
  g_assert_cmpuint (zg_certificate_get_variant (cert, "overall"), ==, 0);
  g_assert_cmpstr (zg_certificate_get_variant_id (cert, "rating.arbeitsweise"), ==,
                   find_block (before, "rating.arbeitsweise")->variant_id);
  after = generate (cert);
  ta = zg_document_to_text (before);
  tb = zg_document_to_text (after);
  g_assert_cmpstr (ta, ==, tb);
}

/* A manager's conduct sentence names the staff besides superiors and
 * colleagues (variants with "roles": ["manager"] replace the general ones);
 * nobody else's does. Every variant, grade, gender and language. */
static void
test_manager_conduct_names_staff (void)
{
  const ZgCertificateKind kinds[] = { ZG_KIND_ENDZEUGNIS, ZG_KIND_ZWISCHENZEUGNIS };
  guint checked = 0;

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      for (guint s = 0; s < 3; s++)
        for (int grade = 1; grade <= 5; grade++)
          for (int manager = 0; manager <= 1; manager++)
            {
              g_autoptr(ZgCertificate) cert = make_certificate (languages[l], kinds[k],
                                                                salutations[s], manager, grade);
              g_autoptr(GError) error = NULL;
              g_autoptr(GPtrArray) options = zg_generator_list_variants (
                library, cert, "rating.verhalten-intern", &error);

              g_assert_no_error (error);
              g_assert_cmpuint (options->len, >=, l == 0 ? 3 : 2);
              for (guint v = 0; v < options->len; v++)
                {
                  const ZgVariantOption *o = g_ptr_array_index (options, v);
                  g_autoptr(ZgDocument) doc = NULL;
                  const char *text;
                  gboolean staff;

                  g_assert_true (zg_certificate_set_variant_id (cert, "rating.verhalten-intern",
                                                                o->id, &error));
                  doc = generate (cert);
                  text = find_block (doc, "rating.verhalten-intern")->text;
                  staff = strstr (text, "Mitarbeit") != NULL || strstr (text, "staff") != NULL;
                  if (staff != (manager != 0))
                    g_error ("%s %s manager=%d: %s", languages[l], zg_kind_key (kinds[k]),
                             manager, text);
                  checked++;
                }
            }
  g_assert_cmpuint (checked, >, 200);
}

static void
test_generate_errors (void)
{
  g_autoptr(ZgCertificate) cert = make_certificate ("de", ZG_KIND_ENDZEUGNIS,
                                                    ZG_SALUTATION_HERR, FALSE, 2);
  g_autoptr(GError) error = NULL;
  ZgDocument *doc;

  g_date_clear (&cert->exit_date, 1);
  doc = zg_generate (library, cert, &error);
  g_assert_null (doc);
  g_assert_error (error, ZG_GENERATOR_ERROR, ZG_GENERATOR_ERROR_INCOMPLETE);
  g_clear_error (&error);

  g_date_set_dmy (&cert->exit_date, 30, 6, 2026);
  g_clear_pointer (&cert->last_name, g_free);
  doc = zg_generate (library, cert, &error);
  g_assert_null (doc);
  g_assert_error (error, ZG_GENERATOR_ERROR, ZG_GENERATOR_ERROR_INCOMPLETE);
  g_clear_error (&error);

  cert->last_name = g_strdup ("Kranz");
  g_free (cert->language);
  cert->language = g_strdup ("fr");
  doc = zg_generate (library, cert, &error);
  g_assert_null (doc);
  g_assert_error (error, ZG_GENERATOR_ERROR, ZG_GENERATOR_ERROR_LANGUAGE);
}

/* ---- the record's JSON codec (R-DATA-3) ---- */

static const char *full_record =
  "{\"version\":1,\"id\":\"c-1\",\"status\":\"review\",\"private\":true,"
  "\"daten\":{\"persoenliche_daten\":{\"employee_id\":\"e-7\",\"salutation\":\"frau\","
  "\"title\":\"Dr.\",\"first_name\":\"Jana\",\"last_name\":\"Weiß\",\"birth_date\":\"1988-02-29\","
  "\"birth_place\":\"Kiel\",\"street\":\"Weg 1\",\"postcode\":\"24103\",\"city\":\"Kiel\","
  "\"email\":\"j@example.org\"},"
  "\"unternehmen\":{\"name\":\"Nord AG\",\"address\":[\"Kai 2\",\"24103 Kiel\"],"
  "\"description\":\"Reederei.\",\"location\":\"Kiel\",\"department\":\"IT\","
  "\"org_unit\":\"IT-1\"},"
  "\"zeugnisdaten\":{\"kind\":\"zwischenzeugnis\",\"language\":\"en\","
  "\"issue_date\":\"2026-05-04\",\"issue_place\":\"Kiel\",\"reason\":\"versetzung\","
  "\"entry_date\":\"2018-01-01\",\"position\":\"Admin\",\"employee_type\":\"fuehrungskraft\","
  "\"manager\":false},"
  "\"weitere_angaben\":{\"notes\":\"intern\"},"
  "\"unterschriften\":[{\"employee_id\":\"e-1\",\"name\":\"Eva Roth\",\"function\":\"CEO\"}]},"
  "\"werdegang\":{\"stationen\":[{\"position\":\"Admin\",\"department\":\"IT\","
  "\"from\":\"2018-01-01\"}],\"taetigkeiten\":{\"berufsbild\":\"it-admin\","
  "\"items\":[\"Server\",\"Netz\"]},\"zusatztaetigkeiten\":[\"Ersthelferin\"],"
  "\"weiterbildungen\":[\"ITIL\"],\"vollmachten\":[\"Prokura\"]},"
  "\"bewertung\":{\"bewertung\":{\"grades\":{\"bereitschaft\":1,\"wissen\":2,"
  "\"fuehrungserfolg\":3,\"verhalten-intern\":1,\"verhalten-extern\":2},\"overall\":2},"
  "\"qualifikationen\":[\"Ruhe\"],\"erfolge\":[\"Migration\"]},"
  "\"ergebnis\":{\"variants\":{\"overall\":1,\"rating.wissen\":\"wissen.2.b\"},"
  "\"text\":\"Hand.\"}}";

static void
test_codec_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCertificate) cert = zg_certificate_from_data (full_record, -1, &error);
  g_autoptr(ZgCertificate) again = NULL;
  g_autoptr(ZgCertificate) copy = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *json3 = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (cert->last_name, ==, "Weiß");
  g_assert_cmpint (cert->salutation, ==, ZG_SALUTATION_FRAU);
  g_assert_cmpint (cert->kind, ==, ZG_KIND_ZWISCHENZEUGNIS);
  g_assert_cmpint (g_date_get_day (&cert->birth_date), ==, 29);
  g_assert_cmpint (cert->grades[ZG_CAT_FUEHRUNGSERFOLG], ==, 3);
  g_assert_cmpint (cert->grades[ZG_CAT_ARBEITSWEISE], ==, 0);
  g_assert_cmpint (cert->overall_override, ==, 2);
  g_assert_cmpstr (zg_certificate_get_variant_id (cert, "rating.wissen"), ==, "wissen.2.b");
  g_assert_cmpuint (zg_certificate_get_variant (cert, "overall"), ==, 1);   /* legacy */
  g_assert_true (zg_certificate_is_manager (cert));   /* from the employee type */
  g_assert_true (cert->is_private);
  g_assert_cmpstr (cert->edited_text, ==, "Hand.");

  json = zg_certificate_to_data (cert, FALSE);
  again = zg_certificate_from_data (json, -1, &error);
  g_assert_no_error (error);
  json2 = zg_certificate_to_data (again, FALSE);
  g_assert_cmpstr (json, ==, json2);
  copy = zg_certificate_copy (again);
  json3 = zg_certificate_to_data (copy, FALSE);
  g_assert_cmpstr (json, ==, json3);
}

static void
test_codec_rejects (void)
{
  static const struct { const char *json; int code; const char *needle; } bad[] = {
    { "[]", ZG_CERTIFICATE_ERROR_INVALID, "JSON object" },
    { "{\"colour\":1}", ZG_CERTIFICATE_ERROR_INVALID, "Unknown member “colour”" },
    { "{\"daten\":{\"persoenliche_daten\":{\"nmae\":\"x\"}}}", ZG_CERTIFICATE_ERROR_INVALID,
      "daten.persoenliche_daten.nmae" },
    { "{\"daten\":{\"persoenliche_daten\":{\"last_name\":7}}}", ZG_CERTIFICATE_ERROR_INVALID,
      "must be a string" },
    { "{\"daten\":{\"persoenliche_daten\":{\"salutation\":\"mx\"}}}",
      ZG_CERTIFICATE_ERROR_OUT_OF_RANGE, "allowed: none, herr, frau, divers" },
    { "{\"daten\":{\"persoenliche_daten\":{\"birth_date\":\"2026-02-30\"}}}",
      ZG_CERTIFICATE_ERROR_DATE, "not a valid date" },
    { "{\"daten\":{\"persoenliche_daten\":{\"birth_date\":\"30.06.2026\"}}}",
      ZG_CERTIFICATE_ERROR_DATE, "not a valid date" },
    { "{\"daten\":{\"zeugnisdaten\":{\"entry_date\":\"2026-01-01\","
      "\"exit_date\":\"2025-01-01\"}}}", ZG_CERTIFICATE_ERROR_DATE, "before the entry date" },
    { "{\"daten\":{\"zeugnisdaten\":{\"language\":\"fr\"}}}", ZG_CERTIFICATE_ERROR_OUT_OF_RANGE,
      "allowed: de, en" },
    { "{\"daten\":{\"zeugnisdaten\":{\"kind\":\"lehrzeugnis\"}}}",
      ZG_CERTIFICATE_ERROR_OUT_OF_RANGE, "kind" },
    { "{\"bewertung\":{\"bewertung\":{\"grades\":{\"wissen\":6}}}}",
      ZG_CERTIFICATE_ERROR_OUT_OF_RANGE, "allowed is 1–5" },
    { "{\"bewertung\":{\"bewertung\":{\"grades\":{\"wissen\":1.5}}}}",
      ZG_CERTIFICATE_ERROR_INVALID, "integer" },
    { "{\"bewertung\":{\"bewertung\":{\"grades\":{\"charme\":1}}}}",
      ZG_CERTIFICATE_ERROR_INVALID, "Unknown rating category" },
    { "{\"bewertung\":{\"bewertung\":{\"overall\":0}}}", ZG_CERTIFICATE_ERROR_OUT_OF_RANGE,
      "overall" },
    { "{\"werdegang\":{\"stationen\":[{\"department\":\"x\"}]}}",
      ZG_CERTIFICATE_ERROR_INVALID, "position" },
    { "{\"werdegang\":{\"vollmachten\":[\"Prokura\",3]}}", ZG_CERTIFICATE_ERROR_INVALID,
      "array of strings" },
    { "{\"ergebnis\":{\"variants\":{\"overall\":-1}}}", ZG_CERTIFICATE_ERROR_OUT_OF_RANGE,
      "variants" },
    { "{\"ergebnis\":{\"variants\":{\"overall\":\"Overall 1\"}}}",
      ZG_CERTIFICATE_ERROR_OUT_OF_RANGE, "phrase id" },
    { "{\"ergebnis\":{\"variants\":{\"overall\":true}}}", ZG_CERTIFICATE_ERROR_INVALID,
      "variants" },
    { "{\"version\":2}", ZG_CERTIFICATE_ERROR_OUT_OF_RANGE, "version" },
    { "{\"daten\":", ZG_CERTIFICATE_ERROR_INVALID, "not valid JSON" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ZgCertificate) cert = zg_certificate_from_data (bad[i].json, -1, &error);

      g_assert_null (cert);
      g_assert_error (error, ZG_CERTIFICATE_ERROR, bad[i].code);
      if (strstr (error->message, bad[i].needle) == NULL)
        g_error ("“%s”: message “%s” lacks “%s”", bad[i].json, error->message, bad[i].needle);
    }
}

/* Every prefix of a valid record and every single-byte corruption gives a
 * record or an error, never a crash (runs under ASan in CI). */
static void
test_codec_no_crash (void)
{
  gsize len = strlen (full_record);

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autofree char *prefix = g_strndup (full_record, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(ZgCertificate) cert = zg_certificate_from_data (prefix, -1, &error);

      g_assert_true ((cert == NULL) != (error == NULL));
    }
  for (gsize pos = 0; pos < len; pos += 3)
    {
      g_autofree char *copy = g_strdup (full_record);
      g_autoptr(GError) error = NULL;
      g_autoptr(ZgCertificate) cert = NULL;
      g_autoptr(ZgDocument) doc = NULL;

      copy[pos] = "\"1{}[],:x"[pos % 9];
      cert = zg_certificate_from_data (copy, -1, &error);
      g_assert_true ((cert == NULL) != (error == NULL));
      if (cert != NULL)
        {
          g_autoptr(GError) gen_error = NULL;

          doc = zg_generate (library, cert, &gen_error);
          g_assert_true ((doc == NULL) != (gen_error == NULL));
        }
    }
}

static void
test_dates (void)
{
  GDate date;
  g_autofree char *de = NULL;
  g_autofree char *en = NULL;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, 3, 2026);
  de = zg_format_date (&date, "de");
  en = zg_format_date (&date, "en");
  g_assert_cmpstr (de, ==, "1. März 2026");
  g_assert_cmpstr (en, ==, "1 March 2026");
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

  g_test_add_func ("/Zeugnis/Engine/Generate/matrix-R-APP-1", test_matrix);
  g_test_add_func ("/Zeugnis/Engine/Generate/tenses-R-APP-1", test_tenses);
  g_test_add_func ("/Zeugnis/Engine/Generate/reading-flow", test_reading_flow);
  g_test_add_func ("/Zeugnis/Engine/Generate/varied-openings", test_varied_openings);
  g_test_add_func ("/Zeugnis/Engine/Generate/name-once-per-sentence-R-APP-1",
                   test_name_once_per_sentence);
  g_test_add_func ("/Zeugnis/Engine/Generate/divers-openings-R-APP-1", test_divers_openings);
  g_test_add_func ("/Zeugnis/Engine/Generate/closing-by-reason-and-grade-R-APP-1", test_closing);
  g_test_add_func ("/Zeugnis/Engine/Generate/overall-grade", test_overall_grade);
  g_test_add_func ("/Zeugnis/Engine/Generate/variant-choice", test_variant_choice);
  g_test_add_func ("/Zeugnis/Engine/Generate/variant-id-stable", test_variant_id_stable);
  g_test_add_func ("/Zeugnis/Engine/Generate/variant-id-fallback", test_variant_id_fallback);
  g_test_add_func ("/Zeugnis/Engine/Generate/variant-pin-legacy", test_variant_pin_legacy);
  g_test_add_func ("/Zeugnis/Engine/Generate/manager-conduct-names-staff-R-APP-1",
                   test_manager_conduct_names_staff);
  g_test_add_func ("/Zeugnis/Engine/Generate/errors", test_generate_errors);
  g_test_add_func ("/Zeugnis/Engine/Generate/dates", test_dates);
  g_test_add_func ("/Zeugnis/Engine/Certificate/round-trip-R-DATA-3", test_codec_round_trip);
  g_test_add_func ("/Zeugnis/Engine/Certificate/rejects-bad-input", test_codec_rejects);
  g_test_add_func ("/Zeugnis/Engine/Certificate/no-crash-on-corrupt-input", test_codec_no_crash);

  ret = g_test_run ();
  zg_phrase_library_free (library);
  return ret;
}
