/* zg-analyser.c — the grades a certificate text signals, gaps and hidden codes
 *
 * Method and limits: docs/engine.md. Exact phrase matching against the library
 * (all genders and tenses: placeholders and gender choices are wildcards),
 * then data-driven pattern rules (data/analysis/) for hand-written sentences.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-analyser.h"
#include "zg-generator.h"
#include "zg-phrases-private.h"

#define MAX_WILDCARD      120   /* bytes a placeholder may stand for */
#define MIN_EXACT_WEIGHT  15    /* shorter literal skeletons are too unspecific */

/* ---- data loading ---- */

static void
exact_pattern_free (gpointer data)
{
  ZgExactPattern *p = data;

  g_ptr_array_unref (p->literals);
  g_free (p);
}

static void
grade_rule_free (gpointer data)
{
  ZgGradeRule *r = data;

  g_free (r->id);
  g_clear_pointer (&r->regex, g_regex_unref);
  g_free (r);
}

static void
catalogue_entry_free (gpointer data)
{
  ZgCatalogueEntry *e = data;

  g_free (e->id);
  g_clear_pointer (&e->regex, g_regex_unref);
  g_free (e->message);
  g_free (e);
}

static void
required_part_free (gpointer data)
{
  ZgRequiredPart *r = data;

  g_free (r->id);
  g_clear_pointer (&r->regex, g_regex_unref);
  g_clear_pointer (&r->unless, g_regex_unref);
  g_free (r->message);
  g_free (r);
}

static void
regex_unref0 (gpointer data)
{
  if (data != NULL)
    g_regex_unref (data);
}

static ZgAnalysisData *
analysis_data_new (void)
{
  ZgAnalysisData *data = g_new0 (ZgAnalysisData, 1);

  data->exact = g_ptr_array_new_with_free_func (exact_pattern_free);
  data->category_words = g_ptr_array_new_with_free_func (regex_unref0);
  g_ptr_array_set_size (data->category_words, ZG_N_CATEGORIES);
  data->grade_rules = g_ptr_array_new_with_free_func (grade_rule_free);
  data->keywords = g_ptr_array_new_with_free_func (grade_rule_free);
  data->overall_rules = g_ptr_array_new_with_free_func (grade_rule_free);
  data->hidden_codes = g_ptr_array_new_with_free_func (catalogue_entry_free);
  data->required = g_ptr_array_new_with_free_func (required_part_free);
  return data;
}

void
zg_analysis_data_free (ZgAnalysisData *data)
{
  if (data == NULL)
    return;
  g_ptr_array_unref (data->exact);
  g_ptr_array_unref (data->category_words);
  g_ptr_array_unref (data->grade_rules);
  g_ptr_array_unref (data->keywords);
  g_ptr_array_unref (data->overall_rules);
  g_ptr_array_unref (data->hidden_codes);
  g_ptr_array_unref (data->required);
  g_clear_pointer (&data->superiors, g_regex_unref);
  g_clear_pointer (&data->colleagues, g_regex_unref);
  g_clear_pointer (&data->ignore, g_regex_unref);
  g_free (data);
}

static GRegex *
compile (const char  *pattern,
         const char  *where,
         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GRegex *regex = g_regex_new (pattern, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &local_error);

  if (regex == NULL)
    g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT, "%s: bad pattern: %s",
                 where, local_error->message);
  return regex;
}

static const char *
obj_string (JsonObject *obj,
            const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
parse_severity (const char *s,
                ZgSeverity *out)
{
  if (g_strcmp0 (s, "info") == 0)
    *out = ZG_SEVERITY_INFO;
  else if (g_strcmp0 (s, "warning") == 0)
    *out = ZG_SEVERITY_WARNING;
  else if (g_strcmp0 (s, "critical") == 0)
    *out = ZG_SEVERITY_CRITICAL;
  else
    return FALSE;
  return TRUE;
}

static JsonArray *
obj_array (JsonObject *obj,
           const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
load_rules (JsonArray   *array,
            GPtrArray   *out,
            const char  *where,
            GError     **error)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *obj;
      const char *id, *pattern, *category;
      ZgGradeRule *rule;
      gint64 grade;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT,
                            "%s: rule %u is not an object", where, i), FALSE;
      obj = json_node_get_object (node);
      id = obj_string (obj, "id");
      pattern = obj_string (obj, "pattern");
      category = obj_string (obj, "category");
      grade = json_object_get_int_member_with_default (obj, "grade", 0);
      if (id == NULL || pattern == NULL || grade < 1 || grade > 5)
        return g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT,
                            "%s: rule %u needs id, pattern and grade 1–5", where, i), FALSE;
      rule = g_new0 (ZgGradeRule, 1);
      rule->id = g_strdup (id);
      rule->grade = (int) grade;
      rule->category = -1;
      g_ptr_array_add (out, rule);
      if (category != NULL)
        {
          ZgCategory c;

          if (!zg_category_from_key (category, &c))
            return g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT,
                                "%s: rule %s: unknown category", where, id), FALSE;
          rule->category = c;
        }
      rule->regex = compile (pattern, id, error);
      if (rule->regex == NULL)
        return FALSE;
    }
  return TRUE;
}

/* "keywords": words that decide a sentence's category more strongly than the
 * plain category patterns ({"category", "pattern", "weight"}; each hit counts
 * weight times). */
static gboolean
load_keywords (JsonArray   *array,
               GPtrArray   *out,
               const char  *where,
               GError     **error)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *obj;
      const char *pattern, *category;
      ZgGradeRule *rule;
      ZgCategory c;
      gint64 weight;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT,
                            "%s: keyword %u is not an object", where, i), FALSE;
      obj = json_node_get_object (node);
      pattern = obj_string (obj, "pattern");
      category = obj_string (obj, "category");
      weight = json_object_get_int_member_with_default (obj, "weight", 2);
      if (pattern == NULL || category == NULL || !zg_category_from_key (category, &c) ||
          weight < 1 || weight > 10)
        return g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT,
                            "%s: keyword %u needs a category, a pattern and weight 1–10",
                            where, i), FALSE;
      rule = g_new0 (ZgGradeRule, 1);
      rule->id = g_strdup_printf ("keyword.%u", i);
      rule->category = c;
      rule->grade = (int) weight;
      g_ptr_array_add (out, rule);
      rule->regex = compile (pattern, rule->id, error);
      if (rule->regex == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_signals (ZgAnalysisData  *data,
              const char      *path,
              GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *root, *categories, *required;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (!json_parser_load_from_file (parser, path, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT,
                        "%s: not an object", path), FALSE;
  root = json_node_get_object (json_parser_get_root (parser));

  categories = json_object_has_member (root, "categories")
               ? json_object_get_object_member (root, "categories") : NULL;
  if (categories != NULL)
    {
      json_object_iter_init (&iter, categories);
      while (json_object_iter_next (&iter, &name, &value))
        {
          ZgCategory c;
          const char *pattern = JSON_NODE_HOLDS_VALUE (value) &&
                                json_node_get_value_type (value) == G_TYPE_STRING
                                ? json_node_get_string (value) : NULL;
          GRegex *regex;

          if (!zg_category_from_key (name, &c) || pattern == NULL)
            return g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT,
                                "%s: bad category “%s”", path, name), FALSE;
          regex = compile (pattern, name, error);
          if (regex == NULL)
            return FALSE;
          regex_unref0 (data->category_words->pdata[c]);
          data->category_words->pdata[c] = regex;
        }
    }
  if (!load_keywords (obj_array (root, "keywords"), data->keywords, path, error) ||
      !load_rules (obj_array (root, "grade_rules"), data->grade_rules, path, error) ||
      !load_rules (obj_array (root, "overall_rules"), data->overall_rules, path, error))
    return FALSE;

  if (obj_string (root, "superiors") != NULL &&
      (data->superiors = compile (obj_string (root, "superiors"), "superiors", error)) == NULL)
    return FALSE;
  if (obj_string (root, "colleagues") != NULL &&
      (data->colleagues = compile (obj_string (root, "colleagues"), "colleagues", error)) == NULL)
    return FALSE;
  if (obj_string (root, "ignore") != NULL &&
      (data->ignore = compile (obj_string (root, "ignore"), "ignore", error)) == NULL)
    return FALSE;

  required = json_object_has_member (root, "required")
             ? json_object_get_object_member (root, "required") : NULL;
  if (required != NULL)
    {
      json_object_iter_init (&iter, required);
      while (json_object_iter_next (&iter, &name, &value))
        {
          ZgRequiredPart *part;
          JsonObject *obj;

          if (!JSON_NODE_HOLDS_OBJECT (value))
            return g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT,
                                "%s: required “%s” is not an object", path, name), FALSE;
          obj = json_node_get_object (value);
          part = g_new0 (ZgRequiredPart, 1);
          part->id = g_strdup (name);
          part->message = g_strdup (obj_string (obj, "message"));
          g_ptr_array_add (data->required, part);
          if (part->message == NULL || obj_string (obj, "pattern") == NULL ||
              !parse_severity (obj_string (obj, "severity"), &part->severity))
            return g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT,
                                "%s: required “%s” needs pattern, severity, message",
                                path, name), FALSE;
          if ((part->regex = compile (obj_string (obj, "pattern"), name, error)) == NULL)
            return FALSE;
          if (obj_string (obj, "unless") != NULL &&
              (part->unless = compile (obj_string (obj, "unless"), name, error)) == NULL)
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
load_catalogue (ZgAnalysisData  *data,
                const char      *path,
                GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonArray *entries;

  if (!json_parser_load_from_file (parser, path, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      (entries = obj_array (json_node_get_object (json_parser_get_root (parser)),
                            "entries")) == NULL)
    return g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT,
                        "%s: needs an “entries” array", path), FALSE;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      ZgCatalogueEntry *entry;
      JsonObject *obj;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT,
                            "%s: entry %u is not an object", path, i), FALSE;
      obj = json_node_get_object (node);
      entry = g_new0 (ZgCatalogueEntry, 1);
      entry->id = g_strdup (obj_string (obj, "id"));
      entry->message = g_strdup (obj_string (obj, "explanation"));
      g_ptr_array_add (data->hidden_codes, entry);
      if (entry->id == NULL || entry->message == NULL || obj_string (obj, "pattern") == NULL ||
          !parse_severity (obj_string (obj, "severity"), &entry->severity))
        return g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT,
                            "%s: entry %u needs id, pattern, severity, explanation",
                            path, i), FALSE;
      if ((entry->regex = compile (obj_string (obj, "pattern"), entry->id, error)) == NULL)
        return FALSE;
    }
  return TRUE;
}

gboolean
zg_analysis_data_load (ZgPhraseLibrary  *lib,
                       const char       *datadir,
                       GError          **error)
{
  static const char *const langs[] = { "de", "en" };

  for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
    {
      g_autofree char *signals = g_strdup_printf ("%s/analysis/grade-signals-%s.json",
                                                  datadir, langs[l]);
      g_autofree char *codes = g_strdup_printf ("%s/analysis/hidden-codes-%s.json",
                                                datadir, langs[l]);
      ZgAnalysisData *data = analysis_data_new ();

      zg_analysis_data_free (lib->analysis[l]);
      lib->analysis[l] = data;
      if (g_file_test (signals, G_FILE_TEST_EXISTS) && !load_signals (data, signals, error))
        return FALSE;
      if (g_file_test (codes, G_FILE_TEST_EXISTS) && !load_catalogue (data, codes, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- normalisation ---- */

typedef struct
{
  GString *text;     /* lower case, one space for any whitespace run */
  GArray  *map;      /* gsize: byte offset in the original for every byte of text */
} Normalised;

static void
normalised_clear (Normalised *n)
{
  if (n->text != NULL)
    g_string_free (n->text, TRUE);
  if (n->map != NULL)
    g_array_unref (n->map);
}

static gunichar
fold_char (gunichar c)
{
  switch (c)
    {
    case 0x2018: case 0x2019: case 0x201A: case 0x2032: case 0x00B4: case 0x0060:
      return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB:
      return '"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
      return '-';
    default:
      return g_unichar_tolower (c);
    }
}

/* Lower case, typographic variants folded, whitespace runs collapsed to one
 * space — or to a line break where a paragraph or a list item begins, so that
 * list entries never run into a sentence. */
static void
normalise (const char *src,
           Normalised *out)
{
  const char *p = src;
  gboolean start = TRUE;

  out->text = g_string_sized_new (strlen (src));
  out->map = g_array_sized_new (FALSE, FALSE, sizeof (gsize), strlen (src) + 1);
  while (*p)
    {
      gunichar c = g_utf8_get_char (p);
      gsize offset = p - src;
      char buf[8];
      int len;

      if (g_unichar_isspace (c) || c == 0x00A0)
        {
          guint newlines = 0;
          gunichar next;

          while (*p && (g_unichar_isspace (g_utf8_get_char (p)) ||
                        g_utf8_get_char (p) == 0x00A0))
            {
              newlines += *p == '\n';
              p = g_utf8_next_char (p);
            }
          next = g_utf8_get_char (p);
          if (start || *p == '\0')
            continue;
          g_string_append_c (out->text, newlines >= 2 ||
                                        (newlines == 1 && (next == '-' || next == 0x2022 ||
                                                           next == '*' || next == 0x2013))
                                        ? '\n' : ' ');
          g_array_append_val (out->map, offset);
          continue;
        }
      p = g_utf8_next_char (p);
      if (c == 0x00AD) /* soft hyphen */
        continue;
      start = FALSE;
      len = g_unichar_to_utf8 (fold_char (c), buf);
      g_string_append_len (out->text, buf, len);
      for (int i = 0; i < len; i++)
        g_array_append_val (out->map, offset);
    }
  {
    gsize end = p - src;

    g_array_append_val (out->map, end);
  }
}

static char *
normalise_string (const char *s)
{
  Normalised n = { NULL, NULL };
  char *result;

  normalise (s, &n);
  result = g_strdup (n.text->str);
  normalised_clear (&n);
  return result;
}

/* ---- exact index ---- */

/* The literal segments of a template for one gender (0 m, 1 f, 2 d):
 * gender choices become literal text, placeholders become gaps. */
static GPtrArray *
template_literals (const ZgTemplate *tpl,
                   int               gender,
                   gboolean         *leading_gap)
{
  GPtrArray *literals = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) current = g_string_new (NULL);

  *leading_gap = FALSE;
  for (guint i = 0; i < tpl->tokens->len; i++)
    {
      const ZgToken *token = g_ptr_array_index (tpl->tokens, i);

      if (token->kind == ZG_TOKEN_PLACEHOLDER)
        {
          if (current->len > 0)
            g_ptr_array_add (literals, g_strdup (current->str));
          else if (literals->len == 0)
            *leading_gap = TRUE;
          g_string_truncate (current, 0);
          continue;
        }
      g_string_append (current, token->kind == ZG_TOKEN_LITERAL ? token->text
                                                               : token->choice[gender]);
    }
  if (current->len > 0)
    g_ptr_array_add (literals, g_strdup (current->str));
  return literals;
}

static gboolean
template_has_choice (const ZgTemplate *tpl)
{
  for (guint i = 0; i < tpl->tokens->len; i++)
    if (((const ZgToken *) g_ptr_array_index (tpl->tokens, i))->kind == ZG_TOKEN_CHOICE)
      return TRUE;
  return FALSE;
}

char *
zg_template_skeleton (const ZgTemplate *tpl,
                      int               gender)
{
  gboolean leading;
  g_autoptr(GPtrArray) literals = template_literals (tpl, gender, &leading);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < literals->len; i++)
    {
      g_autofree char *norm = normalise_string (g_ptr_array_index (literals, i));

      g_string_append (s, "\x1f");
      g_string_append (s, norm);
    }
  return g_string_free (s, FALSE);
}

static void
add_exact_gender (ZgAnalysisData   *data,
                  const ZgTemplate *tpl,
                  int               gender,
                  ZgCategory        category,
                  int               grade,
                  const char       *id)
{
  ZgExactPattern *p = g_new0 (ZgExactPattern, 1);
  g_autoptr(GPtrArray) literals = template_literals (tpl, gender, &p->leading_wild);

  p->category = category;
  p->grade = grade;
  p->id = id;
  p->literals = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < literals->len; i++)
    {
      const char *raw = g_ptr_array_index (literals, i);
      char *lit = normalise_string (raw);

      /* normalise() trims a leading space; keep it where the text has one */
      if (g_ascii_isspace (raw[0]) && (p->literals->len > 0 || p->leading_wild))
        {
          char *spaced = g_strconcat (" ", lit, NULL);

          g_free (lit);
          lit = spaced;
        }
      if (*lit == '\0')
        {
          g_free (lit);
          continue;
        }
      p->weight += strlen (lit);
      g_ptr_array_add (p->literals, lit);
    }
  if (p->weight < MIN_EXACT_WEIGHT)
    {
      exact_pattern_free (p);
      return;
    }
  g_ptr_array_add (data->exact, p);
}

static void
add_exact (ZgAnalysisData   *data,
           const ZgTemplate *tpl,
           ZgCategory        category,
           int               grade,
           const char       *id)
{
  if (!template_has_choice (tpl))
    {
      add_exact_gender (data, tpl, 0, category, grade, id);
      return;
    }
  for (int gender = 0; gender < 3; gender++)
    add_exact_gender (data, tpl, gender, category, grade, id);
}

static int
compare_weight (gconstpointer a,
                gconstpointer b)
{
  const ZgExactPattern *pa = *(const ZgExactPattern *const *) a;
  const ZgExactPattern *pb = *(const ZgExactPattern *const *) b;

  if (pa->weight != pb->weight)
    return pa->weight < pb->weight ? 1 : -1;
  return strcmp (pa->id, pb->id);
}

void
zg_analysis_index_phrases (ZgPhraseLibrary *lib)
{
  static const char *const langs[] = { "de", "en" };

  for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
    {
      ZgAnalysisData *data = lib->analysis[l];

      if (data == NULL)
        data = lib->analysis[l] = analysis_data_new ();
      g_ptr_array_set_size (data->exact, 0);
      for (guint c = 0; c <= ZG_N_CATEGORIES; c++)
        {
          const char *slot_name = c < ZG_N_CATEGORIES ? zg_category_slot (c) : "overall";
          const ZgSlot *slot = zg_phrase_library_get_slot (lib, langs[l], slot_name);

          if (slot == NULL)
            continue;
          for (int grade = 1; grade <= 5; grade++)
            {
              GPtrArray *group = zg_slot_get_group (slot, NULL, grade);

              for (guint i = 0; group != NULL && i < group->len; i++)
                {
                  const ZgVariant *v = g_ptr_array_index (group, i);
                  const ZgTemplate *forms[] = { v->present, v->past, v->text };

                  if (!v->valid)
                    continue;
                  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
                    {
                      ZgTemplate *inverted;

                      if (forms[f] == NULL)
                        continue;
                      add_exact (data, forms[f], c, grade, v->id);
                      /* a German divers letter may open it with an adverb */
                      inverted = l == 0 ? zg_template_inverted (forms[f], langs[l]) : NULL;
                      if (inverted != NULL)
                        {
                          add_exact_gender (data, inverted, 2, c, grade, v->id);
                          zg_template_free (inverted);
                        }
                    }
                }
            }
        }
      g_ptr_array_sort (data->exact, compare_weight);
    }
}

/* ---- analysis ---- */

typedef struct
{
  gsize start, end;   /* normalised offsets */
  int   grade;        /* code spans: the grade the code signals at least */
} Span;

static gboolean
span_free_of (GArray *spans,
              gsize   start,
              gsize   end)
{
  for (guint i = 0; i < spans->len; i++)
    {
      const Span *s = &g_array_index (spans, Span, i);

      if (start < s->end && s->start < end)
        return FALSE;
    }
  return TRUE;
}

static gsize
covered_bytes (GArray *spans,
               gsize   start,
               gsize   end)
{
  gsize n = 0;

  for (guint i = 0; i < spans->len; i++)
    {
      const Span *s = &g_array_index (spans, Span, i);
      gsize a = MAX (start, s->start), b = MIN (end, s->end);

      if (a < b)
        n += b - a;
    }
  return n;
}

static gboolean is_sentence_end (const char *text,
                                 gsize       i);

/* Matches the literal skeleton at a hit of its first literal. A placeholder
 * stands for text within one sentence: since a paragraph's sentences share a
 * line, a longer skeleton must not reach into the next sentence. */
static gboolean
match_from (const char           *text,
            const ZgExactPattern *p,
            const char           *first,
            gsize                *end)
{
  const char *pos = first + strlen (g_ptr_array_index (p->literals, 0));

  for (guint i = 1; i < p->literals->len; i++)
    {
      const char *lit = g_ptr_array_index (p->literals, i);
      gsize litlen = strlen (lit);
      const char *limit = pos + MAX_WILDCARD;
      const char *hit = NULL;

      for (const char *q = pos; *q && q <= limit; q++)
        {
          if (*q == lit[0] && strncmp (q, lit, litlen) == 0)
            {
              hit = q;
              break;
            }
          if (*q == '\n' || is_sentence_end (text, q - text))
            break;
        }
      if (hit == NULL)
        return FALSE;
      pos = hit + litlen;
    }
  *end = pos - text;
  return TRUE;
}

static void
signal_free (gpointer data)
{
  ZgSignal *s = data;

  g_free (s->source);
  g_free (s);
}

static void
finding_free (gpointer data)
{
  ZgFinding *f = data;

  g_free (f->code);
  g_free (f->excerpt);
  g_free (f->message);
  g_free (f);
}

static void
add_signal (ZgAnalysis       *analysis,
            const Normalised *n,
            ZgCategory        category,
            int               grade,
            gsize             start,
            gsize             end,
            const char       *source,
            gboolean          exact)
{
  ZgSignal *s = g_new0 (ZgSignal, 1);

  s->category = category;
  s->grade = grade;
  s->offset = g_array_index (n->map, gsize, start);
  s->length = g_array_index (n->map, gsize, end) - s->offset;
  s->source = g_strdup (source);
  s->exact = exact;
  g_ptr_array_add (analysis->signals, s);
}

static void
add_finding (ZgAnalysis       *analysis,
             ZgFindingKind     kind,
             ZgSeverity        severity,
             const char       *code,
             const char       *original,
             const Normalised *n,
             gssize            start,
             gssize            end,
             const char       *message)
{
  ZgFinding *f = g_new0 (ZgFinding, 1);

  f->kind = kind;
  f->severity = severity;
  f->code = g_strdup (code);
  f->message = g_strdup (message);
  if (start >= 0 && n != NULL)
    {
      gsize a = g_array_index (n->map, gsize, start);
      gsize b = g_array_index (n->map, gsize, end);

      f->offset = a;
      f->excerpt = g_strndup (original + a, b - a);
    }
  g_ptr_array_add (analysis->findings, f);
}

static gboolean
is_abbreviation (const char *text,
                 gsize       dot)
{
  static const char *const abbrevs[] = {
    "dr", "prof", "dipl", "bzw", "ggf", "ca", "nr", "str", "inkl", "z.b", "u.a", "d.h", "ing",
    "mr", "ms", "mrs", "st", "e.g", "i.e", "etc", "vs", "co", "kfm", "gmbh", "e.v", "e.k",
    "mbh", "inc", "ltd", NULL
  };
  gsize start = dot;
  g_autofree char *word = NULL;

  while (start > 0 && text[start - 1] != ' ')
    start--;
  word = g_strndup (text + start, dot - start);
  return g_strv_contains (abbrevs, word) || (dot - start == 1);
}

static gboolean
is_sentence_end (const char *text,
                 gsize       i)
{
  char c = text[i];

  return (c == '.' || c == '!' || c == '?' || c == ':') &&
         (text[i + 1] == '\0' || text[i + 1] == ' ' || text[i + 1] == '\n') &&
         !(c == '.' && is_abbreviation (text, i));
}

/* Sentence spans of the normalised text. */
static GArray *
split_sentences (const char *text)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (Span));
  gsize len = strlen (text), start = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '\n')
        {
          Span s = { start, i, 0 };

          if (i > start)
            g_array_append_val (spans, s);
          start = i + 1;
          continue;
        }
      if (is_sentence_end (text, i))
        {
          Span s = { start, i + 1, 0 };

          g_array_append_val (spans, s);
          start = i + 1;
          while (start < len && text[start] == ' ')
            start++;
          i = start > 0 ? start - 1 : 0;
        }
    }
  if (start < len)
    {
      Span s = { start, len, 0 };

      g_array_append_val (spans, s);
    }
  return spans;
}

static int
first_rule (GPtrArray  *rules,
            const char *sentence,
            int         category,
            const char **id)
{
  for (guint i = 0; i < rules->len; i++)
    {
      const ZgGradeRule *rule = g_ptr_array_index (rules, i);

      if (rule->category >= 0 && rule->category != category)
        continue;
      if (g_regex_match (rule->regex, sentence, 0, NULL))
        {
          *id = rule->id;
          return rule->grade;
        }
    }
  return 0;
}

static int
count_matches (GRegex     *regex,
               const char *sentence)
{
  g_autoptr(GMatchInfo) info = NULL;
  int count = 0;

  g_regex_match (regex, sentence, 0, &info);
  while (g_match_info_matches (info))
    {
      count++;
      g_match_info_next (info, NULL);
    }
  return count;
}

/* The category whose words the sentence uses most (strong keywords counting
 * their weight); a tie goes to the earlier category. */
static int
classify_category (const ZgAnalysisData *data,
                   const char           *sentence)
{
  int counts[ZG_N_CATEGORIES] = { 0 };
  int best = -1, best_count = 0;

  for (guint c = 0; c < ZG_N_CATEGORIES; c++)
    {
      GRegex *regex = g_ptr_array_index (data->category_words, c);

      if (regex != NULL)
        counts[c] = count_matches (regex, sentence);
    }
  for (guint i = 0; i < data->keywords->len; i++)
    {
      const ZgGradeRule *keyword = g_ptr_array_index (data->keywords, i);

      counts[keyword->category] += keyword->grade * count_matches (keyword->regex, sentence);
    }
  for (guint c = 0; c < ZG_N_CATEGORIES; c++)
    if (counts[c] > best_count)
      {
        best = (int) c;
        best_count = counts[c];
      }
  return best;
}

static int
combine (const int *sum,
         const int *n,
         guint      c)
{
  if (n[c] == 0)
    return 0;
  /* nearest grade, ties to the worse one: a warning should rather fire */
  return (2 * sum[c] + n[c]) / (2 * n[c]);
}

static void
find_hidden_codes (ZgAnalysis           *analysis,
                   const ZgAnalysisData *data,
                   const char           *original,
                   const Normalised     *n,
                   GArray               *code_spans)
{
  for (guint i = 0; i < data->hidden_codes->len; i++)
    {
      const ZgCatalogueEntry *e = g_ptr_array_index (data->hidden_codes, i);
      g_autoptr(GMatchInfo) info = NULL;

      g_regex_match (e->regex, n->text->str, 0, &info);
      while (g_match_info_matches (info))
        {
          int a, b;

          if (g_match_info_fetch_pos (info, 0, &a, &b) && b > a)
            {
              /* a coded phrase signals at least "ausreichend", a critical one "mangelhaft" */
              Span s = { a, b, e->severity == ZG_SEVERITY_CRITICAL ? 5
                               : e->severity == ZG_SEVERITY_WARNING ? 4 : 0 };

              add_finding (analysis, ZG_FINDING_HIDDEN_CODE, e->severity, e->id, original, n,
                           a, b, e->message);
              g_array_append_val (code_spans, s);
            }
          g_match_info_next (info, NULL);
        }
    }
}

static void
check_conduct_order (ZgAnalysis           *analysis,
                     const ZgAnalysisData *data,
                     const char           *original,
                     const Normalised     *n,
                     GArray               *sentences,
                     gboolean              english)
{
  gboolean any_superiors = FALSE, any_colleagues = FALSE;

  if (data->superiors == NULL || data->colleagues == NULL)
    return;
  for (guint i = 0; i < sentences->len; i++)
    {
      const Span *s = &g_array_index (sentences, Span, i);
      g_autofree char *sentence = g_strndup (n->text->str + s->start, s->end - s->start);
      g_autoptr(GMatchInfo) sup = NULL;
      g_autoptr(GMatchInfo) col = NULL;
      int sa = 0, sb = 0, ca = 0, cb = 0;
      gboolean has_sup, has_col;

      has_sup = g_regex_match (data->superiors, sentence, 0, &sup) &&
                g_match_info_fetch_pos (sup, 0, &sa, &sb);
      has_col = g_regex_match (data->colleagues, sentence, 0, &col) &&
                g_match_info_fetch_pos (col, 0, &ca, &cb);
      any_superiors |= has_sup;
      any_colleagues |= has_col;
      if (has_sup && has_col && ca < sa)
        add_finding (analysis, ZG_FINDING_ORDER, ZG_SEVERITY_WARNING, "order.colleagues-first",
                     original, n, (gssize) s->start, (gssize) s->end,
                     english ? "Colleagues are named before superiors; the customary order "
                               "names superiors first, the reverse is read as a sign of "
                               "friction with superiors."
                             : "Kollegen werden vor Vorgesetzten genannt; üblich ist die "
                               "umgekehrte Reihenfolge, die Abweichung wird als Hinweis auf "
                               "Probleme mit Vorgesetzten gelesen.");
    }
  if (any_colleagues && !any_superiors)
    add_finding (analysis, ZG_FINDING_MISSING, ZG_SEVERITY_WARNING, "missing.superiors",
                 original, NULL, -1, -1,
                 english ? "Conduct towards superiors is not mentioned; leaving them out is "
                           "read as a sign of problems with superiors."
                         : "Das Verhalten gegenüber Vorgesetzten fehlt; das Weglassen wird "
                           "als Hinweis auf Probleme mit Vorgesetzten gelesen.");
}

static int
compare_signal_offset (gconstpointer a,
                       gconstpointer b)
{
  const ZgSignal *sa = *(const ZgSignal *const *) a;
  const ZgSignal *sb = *(const ZgSignal *const *) b;

  return sa->offset < sb->offset ? -1 : sa->offset > sb->offset;
}

ZgAnalysis *
zg_analyse (const ZgPhraseLibrary *lib,
            const char            *text,
            const char            *language)
{
  g_autoptr(ZgAnalysis) analysis = NULL;
  g_autoptr(GArray) taken = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autoptr(GArray) code_spans = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autoptr(GArray) sentences = NULL;
  const ZgAnalysisData *data;
  Normalised n = { NULL, NULL };
  int sum_exact[ZG_N_CATEGORIES + 1] = { 0 }, n_exact[ZG_N_CATEGORIES + 1] = { 0 };
  int sum_rule[ZG_N_CATEGORIES + 1] = { 0 }, n_rule[ZG_N_CATEGORIES + 1] = { 0 };
  gboolean english;
  int lang, found = 0, total = 0;

  g_return_val_if_fail (lib != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  lang = zg_language_index (language);
  if (lang < 0)
    lang = 0;
  english = lang == 1;
  data = lib->analysis[lang];

  analysis = g_new0 (ZgAnalysis, 1);
  analysis->language = g_strdup (english ? "en" : "de");
  analysis->signals = g_ptr_array_new_with_free_func (signal_free);
  analysis->findings = g_ptr_array_new_with_free_func (finding_free);
  if (!g_utf8_validate (text, -1, NULL))
    {
      add_finding (analysis, ZG_FINDING_MISSING, ZG_SEVERITY_CRITICAL, "invalid.utf8", text,
                   NULL, -1, -1, "Text is not valid UTF-8");
      return g_steal_pointer (&analysis);
    }
  normalise (text, &n);

  /* 1. library phrases, longest skeleton first, no overlaps */
  for (guint i = 0; data != NULL && i < data->exact->len; i++)
    {
      const ZgExactPattern *p = g_ptr_array_index (data->exact, i);
      const char *first = g_ptr_array_index (p->literals, 0);
      const char *hit = n.text->str;

      while ((hit = strstr (hit, first)) != NULL)
        {
          gsize start = hit - n.text->str, end;

          if (match_from (n.text->str, p, hit, &end) && span_free_of (taken, start, end))
            {
              Span s = { start, end, p->grade };

              g_array_append_val (taken, s);
              add_signal (analysis, &n, p->category, p->grade, start, end, p->id, TRUE);
              sum_exact[p->category] += p->grade;
              n_exact[p->category]++;
            }
          hit++;
        }
    }

  if (data != NULL)
    find_hidden_codes (analysis, data, text, &n, code_spans);

  /* 2. pattern rules for sentences no library phrase explains */
  sentences = split_sentences (n.text->str);
  for (guint i = 0; data != NULL && i < sentences->len; i++)
    {
      const Span *s = &g_array_index (sentences, Span, i);
      g_autofree char *sentence = NULL;
      const char *rule_id = NULL;
      int category, grade;

      if (covered_bytes (taken, s->start, s->end) * 2 >= s->end - s->start)
        continue;
      sentence = g_strndup (n.text->str + s->start, s->end - s->start);
      /* a list entry (task, achievement) rates nothing */
      if (sentence[0] == '-' || sentence[0] == '*' || g_str_has_prefix (sentence, "\u2022") ||
          g_str_has_prefix (sentence, "\u2013"))
        continue;
      grade = first_rule (data->overall_rules, sentence, -1, &rule_id);
      if (grade > 0)
        {
          add_signal (analysis, &n, ZG_N_CATEGORIES, grade, s->start, s->end, rule_id, FALSE);
          sum_rule[ZG_N_CATEGORIES] += grade;
          n_rule[ZG_N_CATEGORIES]++;
          continue;
        }
      if (data->ignore != NULL && g_regex_match (data->ignore, sentence, 0, NULL))
        continue;
      category = classify_category (data, sentence);
      if (category < 0)
        continue;
      grade = first_rule (data->grade_rules, sentence, category, &rule_id);
      for (guint k = 0; k < code_spans->len; k++)
        {
          const Span *code = &g_array_index (code_spans, Span, k);

          if (code->start < s->end && s->start < code->end && code->grade > grade)
            grade = code->grade;
        }
      if (grade == 0)
        continue;
      add_signal (analysis, &n, category, grade, s->start, s->end, rule_id, FALSE);
      sum_rule[category] += grade;
      n_rule[category]++;
    }

  for (guint c = 0; c <= ZG_N_CATEGORIES; c++)
    {
      int grade = n_exact[c] > 0 ? combine (sum_exact, n_exact, c)
                                 : combine (sum_rule, n_rule, c);

      if (c == ZG_N_CATEGORIES)
        analysis->overall = grade;
      else
        {
          analysis->grades[c] = grade;
          if (grade > 0 && c != ZG_CAT_ABSCHLUSSPRUEFUNG)
            {
              found++;
              total += grade;
            }
        }
    }
  analysis->mean = found > 0 ? (double) total / found : 0.0;

  /* 3. hidden codes, order and missing parts */
  if (data != NULL)
    {
      check_conduct_order (analysis, data, text, &n, sentences, english);
      for (guint i = 0; i < data->required->len; i++)
        {
          const ZgRequiredPart *part = g_ptr_array_index (data->required, i);

          if (!g_regex_match (part->regex, n.text->str, 0, NULL) &&
              (part->unless == NULL || !g_regex_match (part->unless, n.text->str, 0, NULL)))
            add_finding (analysis, ZG_FINDING_MISSING, part->severity, part->id, text, NULL,
                         -1, -1, part->message);
        }
    }
  if (analysis->overall == 0)
    add_finding (analysis, ZG_FINDING_MISSING, ZG_SEVERITY_WARNING, "missing.overall", text,
                 NULL, -1, -1,
                 english ? "No overall performance rating (satisfaction formula) found."
                         : "Keine zusammenfassende Leistungsbeurteilung "
                           "(Zufriedenheitsformel) gefunden.");
  if (analysis->grades[ZG_CAT_VERHALTEN_INTERN] == 0)
    add_finding (analysis, ZG_FINDING_MISSING, ZG_SEVERITY_WARNING, "missing.conduct", text,
                 NULL, -1, -1,
                 english ? "No assessment of conduct towards superiors and colleagues found."
                         : "Keine Beurteilung des Verhaltens gegenüber Vorgesetzten und "
                           "Kollegen gefunden.");

  g_ptr_array_sort (analysis->signals, compare_signal_offset);
  normalised_clear (&n);
  return g_steal_pointer (&analysis);
}

void
zg_analysis_compare (ZgAnalysis          *analysis,
                     const ZgCertificate *cert)
{
  gboolean english;
  int overall;

  g_return_if_fail (analysis != NULL);
  g_return_if_fail (cert != NULL);

  english = g_strcmp0 (analysis->language, "en") == 0;
  for (guint c = 0; c < ZG_N_CATEGORIES; c++)
    {
      g_autofree char *code = NULL;
      g_autofree char *message = NULL;

      if (cert->grades[c] == 0 || !zg_certificate_category_applies (cert, c) ||
          analysis->grades[c] == cert->grades[c])
        continue;
      code = g_strdup_printf ("inconsistent.%s", zg_category_key (c));
      if (analysis->grades[c] == 0)
        message = g_strdup_printf (english ? "Rated %d for “%s”, but the text has no sentence "
                                             "for it."
                                           : "„%2$s“ ist mit %1$d bewertet, der Text enthält "
                                             "aber keinen Satz dazu.",
                                   cert->grades[c], zg_category_key (c));
      else
        message = g_strdup_printf (english ? "Rated %d for “%s”, but the text signals %d."
                                           : "„%2$s“ ist mit %1$d bewertet, der Text "
                                             "signalisiert %3$d.",
                                   cert->grades[c], zg_category_key (c), analysis->grades[c]);
      add_finding (analysis, ZG_FINDING_INCONSISTENT, ZG_SEVERITY_WARNING, code, NULL, NULL,
                   -1, -1, message);
    }
  overall = zg_overall_grade (cert);
  if (overall > 0 && analysis->overall != overall)
    {
      g_autofree char *message =
        g_strdup_printf (english ? "Overall rating is %d, but the text signals %d."
                                 : "Die Gesamtnote ist %d, der Text signalisiert %d.",
                         overall, analysis->overall);

      add_finding (analysis, ZG_FINDING_INCONSISTENT, ZG_SEVERITY_WARNING,
                   "inconsistent.overall", NULL, NULL, -1, -1, message);
    }
}

static const char *
severity_key (ZgSeverity severity)
{
  switch (severity)
    {
    case ZG_SEVERITY_INFO:
      return "info";
    case ZG_SEVERITY_WARNING:
      return "warning";
    case ZG_SEVERITY_CRITICAL:
    default:
      return "critical";
    }
}

static const char *
finding_kind_key (ZgFindingKind kind)
{
  switch (kind)
    {
    case ZG_FINDING_HIDDEN_CODE:
      return "hidden-code";
    case ZG_FINDING_MISSING:
      return "missing";
    case ZG_FINDING_ORDER:
      return "order";
    case ZG_FINDING_INCONSISTENT:
    default:
      return "inconsistent";
    }
}

JsonNode *
zg_analysis_to_json (const ZgAnalysis *analysis)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (analysis != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "language");
  json_builder_add_string_value (b, analysis->language);
  json_builder_set_member_name (b, "overall");
  if (analysis->overall > 0)
    json_builder_add_int_value (b, analysis->overall);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "mean");
  if (analysis->mean > 0)
    json_builder_add_double_value (b, analysis->mean);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "grades");
  json_builder_begin_object (b);
  for (guint c = 0; c < ZG_N_CATEGORIES; c++)
    if (analysis->grades[c] > 0)
      {
        json_builder_set_member_name (b, zg_category_key (c));
        json_builder_add_int_value (b, analysis->grades[c]);
      }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "signals");
  json_builder_begin_array (b);
  for (guint i = 0; i < analysis->signals->len; i++)
    {
      const ZgSignal *s = g_ptr_array_index (analysis->signals, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "category");
      json_builder_add_string_value (b, s->category < ZG_N_CATEGORIES
                                        ? zg_category_key (s->category) : "overall");
      json_builder_set_member_name (b, "grade");
      json_builder_add_int_value (b, s->grade);
      json_builder_set_member_name (b, "offset");
      json_builder_add_int_value (b, (gint64) s->offset);
      json_builder_set_member_name (b, "length");
      json_builder_add_int_value (b, (gint64) s->length);
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, s->source);
      json_builder_set_member_name (b, "exact");
      json_builder_add_boolean_value (b, s->exact);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; i < analysis->findings->len; i++)
    {
      const ZgFinding *f = g_ptr_array_index (analysis->findings, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, finding_kind_key (f->kind));
      json_builder_set_member_name (b, "severity");
      json_builder_add_string_value (b, severity_key (f->severity));
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, f->code);
      if (f->excerpt != NULL)
        {
          json_builder_set_member_name (b, "excerpt");
          json_builder_add_string_value (b, f->excerpt);
          json_builder_set_member_name (b, "offset");
          json_builder_add_int_value (b, (gint64) f->offset);
        }
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, f->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
zg_analysis_free (ZgAnalysis *analysis)
{
  if (analysis == NULL)
    return;
  g_free (analysis->language);
  g_ptr_array_unref (analysis->signals);
  g_ptr_array_unref (analysis->findings);
  g_free (analysis);
}
