/* zg-generator.c — certificate text from a record and the phrase library
 *
 * Order, rules and variant choice: docs/engine.md. R-APP-1, R-DATA-3.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-generator.h"
#include "zg-phrases-private.h"

G_DEFINE_QUARK (zg-generator-error-quark, zg_generator_error)

enum { GENDER_M, GENDER_F, GENDER_D };

typedef struct
{
  const ZgPhraseLibrary *lib;
  const ZgCertificate   *cert;
  const char            *language;
  gboolean               past;
  int                    gender;
  char                  *values[ZG_N_PLACEHOLDERS];
  gboolean               last_named;        /* the previous sentence named the person */
  gboolean               pronoun_for_name;  /* so this one says "er"/"he" instead */
  gboolean               invert;            /* German divers: open with an adverb */
  guint                  inversions;        /* adverbs used in this paragraph */
  const char            *variant_id;        /* of the last rendered slot */
  gboolean               fallback;          /* its stored choice did not apply */
} Context;

static const char *const months_de[] = {
  "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
  "Oktober", "November", "Dezember"
};
static const char *const months_en[] = {
  "January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"
};
static const char *const grade_words_de[] = {
  "", "sehr gut", "gut", "befriedigend", "ausreichend", "mangelhaft"
};
static const char *const grade_words_en[] = {
  "", "very good", "good", "satisfactory", "sufficient", "poor"
};

char *
zg_format_date (const GDate *date,
                const char  *language)
{
  guint month;

  g_return_val_if_fail (date != NULL, NULL);
  if (!g_date_valid (date))
    return NULL;
  month = g_date_get_month (date);
  if (g_strcmp0 (language, "en") == 0)
    return g_strdup_printf ("%u %s %u", (guint) g_date_get_day (date), months_en[month - 1],
                            (guint) g_date_get_year (date));
  return g_strdup_printf ("%u. %s %u", (guint) g_date_get_day (date), months_de[month - 1],
                          (guint) g_date_get_year (date));
}

static void
context_clear (Context *ctx)
{
  for (guint i = 0; i < ZG_N_PLACEHOLDERS; i++)
    g_clear_pointer (&ctx->values[i], g_free);
}

/* Up to three parts joined by spaces, empty and NULL parts left out. */
static char *
join3 (const char *a,
       const char *b,
       const char *c)
{
  const char *parts[] = { a, b, c };
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] == NULL || *parts[i] == '\0')
        continue;
      if (s->len > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, parts[i]);
    }
  return g_string_free (s, FALSE);
}

#define S(x) ((x) != NULL ? (x) : "")

/* German genitive of a name: "Müllers", "Weiß'", English "Miller's". */
static char *
genitive (const char *name,
          gboolean    english)
{
  gsize len = strlen (name);
  gunichar last = len > 0 ? g_utf8_get_char (g_utf8_prev_char (name + len)) : 0;

  if (english)
    return g_strconcat (name, "'s", NULL);
  if (last == 's' || last == 'x' || last == 'z' || last == 0xDF /* ß */)
    return g_strconcat (name, "'", NULL);
  return g_strconcat (name, "s", NULL);
}

/* British usage writes "Dr", "Prof" (like "Mr", "Ms") without the full stop. */
static char *
english_title (const char *title)
{
  g_auto(GStrv) words = NULL;

  if (title == NULL)
    return NULL;
  words = g_strsplit (title, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (g_ascii_strcasecmp (words[i], "Dr.") == 0 || g_ascii_strcasecmp (words[i], "Prof.") == 0)
      words[i][strlen (words[i]) - 1] = '\0';
  return g_strjoinv (" ", words);
}

static void
set_person (Context *ctx)
{
  const ZgCertificate *cert = ctx->cert;
  gboolean en = strcmp (ctx->language, "en") == 0;
  g_autofree char *title = en ? english_title (cert->title) : g_strdup (cert->title);
  g_autofree char *neutral = join3 (title, cert->first_name, cert->last_name);
  char **v = ctx->values;

  ctx->gender = cert->salutation == ZG_SALUTATION_HERR ? GENDER_M
              : cert->salutation == ZG_SALUTATION_FRAU ? GENDER_F : GENDER_D;

  if (ctx->gender == GENDER_D)
    {
      /* Pronouns become the name. The intro ({FullName}) introduces the person
       * with the academic title; every later reference is the same short form,
       * so that a text does not switch between "Dr. Alex Müller" and "Alex Müller". */
      g_autofree char *plain = join3 (cert->first_name, cert->last_name, NULL);
      g_autofree char *gen = genitive (plain, en);
      const ZgPlaceholder names[] = {
        ZG_PH_NAME, ZG_PH_NAME_AKK, ZG_PH_NAME_DAT,
        ZG_PH_ER, ZG_PH_ER_CAP, ZG_PH_IHM, ZG_PH_IHN, ZG_PH_HE, ZG_PH_HE_CAP, ZG_PH_HIM
      };

      v[ZG_PH_FULLNAME] = g_strdup (neutral);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        v[names[i]] = g_strdup (plain);
      for (guint ph = ZG_PH_SEIN; ph <= ZG_PH_SEINES_CAP; ph++)
        v[ph] = g_strdup (gen);
      if (en)
        {
          /* English has a neutral pronoun: singular "they" in the object and
           * possessive forms, which leave the verb's agreement alone; the subject
           * stays the name ("Alex Miller was …", not "they were …"). */
          g_clear_pointer (&v[ZG_PH_HIM], g_free);
          v[ZG_PH_HIM] = g_strdup ("them");
          v[ZG_PH_HIS] = g_strdup ("their");
          v[ZG_PH_HIS_CAP] = g_strdup ("Their");
        }
      return;
    }

  if (en)
    {
      const char *mr = ctx->gender == GENDER_M ? "Mr" : "Ms";
      const char *prefix = title != NULL ? title : mr;

      v[ZG_PH_NAME] = join3 (prefix, cert->last_name, NULL);
      v[ZG_PH_FULLNAME] = join3 (prefix, cert->first_name, cert->last_name);
      v[ZG_PH_HE] = g_strdup (ctx->gender == GENDER_M ? "he" : "she");
      v[ZG_PH_HE_CAP] = g_strdup (ctx->gender == GENDER_M ? "He" : "She");
      v[ZG_PH_HIM] = g_strdup (ctx->gender == GENDER_M ? "him" : "her");
      v[ZG_PH_HIS] = g_strdup (ctx->gender == GENDER_M ? "his" : "her");
      v[ZG_PH_HIS_CAP] = g_strdup (ctx->gender == GENDER_M ? "His" : "Her");
    }
  else
    {
      static const char *const endings[] = { "", "e", "en", "er", "em", "es" };
      gboolean m = ctx->gender == GENDER_M;

      v[ZG_PH_NAME] = join3 (m ? "Herr" : "Frau", title, cert->last_name);
      v[ZG_PH_NAME_AKK] = join3 (m ? "Herrn" : "Frau", title, cert->last_name);
      v[ZG_PH_NAME_DAT] = g_strdup (v[ZG_PH_NAME_AKK]);
      v[ZG_PH_FULLNAME] = join3 (m ? "Herr" : "Frau", neutral, NULL);
      v[ZG_PH_ER] = g_strdup (m ? "er" : "sie");
      v[ZG_PH_ER_CAP] = g_strdup (m ? "Er" : "Sie");
      v[ZG_PH_IHM] = g_strdup (m ? "ihm" : "ihr");
      v[ZG_PH_IHN] = g_strdup (m ? "ihn" : "sie");
      for (guint i = 0; i < 6; i++)
        {
          v[ZG_PH_SEIN + i] = g_strconcat (m ? "sein" : "ihr", endings[i], NULL);
          v[ZG_PH_SEIN_CAP + i] = g_strconcat (m ? "Sein" : "Ihr", endings[i], NULL);
        }
    }
}

static const char *
current_position (const ZgCertificate *cert)
{
  if (cert->position != NULL)
    return cert->position;
  if (cert->stations->len > 0)
    return ((const ZgStation *) g_ptr_array_index (cert->stations,
                                                   cert->stations->len - 1))->position;
  return NULL;
}

static void
context_init (Context               *ctx,
              const ZgPhraseLibrary *lib,
              const ZgCertificate   *cert)
{
  char **v = ctx->values;

  memset (ctx, 0, sizeof *ctx);
  ctx->lib = lib;
  ctx->cert = cert;
  ctx->language = cert->language != NULL ? cert->language : "de";
  ctx->past = zg_certificate_is_final (cert);
  set_person (ctx);

  v[ZG_PH_FIRMA] = g_strdup (cert->company_name);
  v[ZG_PH_POSITION] = g_strdup (current_position (cert));
  /* with a career of several stations the intro names the last position only as
   * such ("zuletzt als …"); the stations paragraph tells the rest */
  if (cert->stations->len >= 2)
    v[ZG_PH_ZULETZT] = g_strdup (current_position (cert));
  v[ZG_PH_ABTEILUNG] = g_strdup (cert->department);
  v[ZG_PH_STANDORT] = g_strdup (cert->location);
  v[ZG_PH_EINTRITT] = zg_format_date (&cert->entry_date, ctx->language);
  v[ZG_PH_AUSTRITT] = zg_certificate_is_final (cert)
                      ? zg_format_date (&cert->exit_date, ctx->language) : NULL;
  v[ZG_PH_AUSSTELLUNGSDATUM] = zg_format_date (&cert->issue_date, ctx->language);
  v[ZG_PH_GEBURTSDATUM] = zg_format_date (&cert->birth_date, ctx->language);
  v[ZG_PH_GEBURTSORT] = g_strdup (cert->birth_place);
  v[ZG_PH_BERUF] = g_strdup (cert->occupation);
  v[ZG_PH_BERUFSSCHULE] = g_strdup (cert->vocational_school);
  if (cert->grades[ZG_CAT_ABSCHLUSSPRUEFUNG] > 0)
    v[ZG_PH_NOTE] = g_strdup ((strcmp (ctx->language, "en") == 0 ? grade_words_en
                                                                 : grade_words_de)
                              [cert->grades[ZG_CAT_ABSCHLUSSPRUEFUNG]]);
}

static gboolean
template_applicable (const Context    *ctx,
                     const ZgTemplate *tpl)
{
  for (guint ph = ZG_PH_FIRST_STRUCTURAL; ph < ZG_N_PLACEHOLDERS; ph++)
    if ((tpl->needs & (G_GUINT64_CONSTANT (1) << ph)) != 0 && ctx->values[ph] == NULL)
      return FALSE;
  return TRUE;
}

static const ZgTemplate *
variant_form (const Context   *ctx,
              const ZgVariant *variant)
{
  if (variant->text != NULL)
    return variant->text;
  return ctx->past ? variant->past : variant->present;
}

/* The person's roles for "roles"-restricted variants: a manager is one whose
 * letter has the Führungserfolg paragraph (not an apprentice or intern). */
static guint
person_roles (const ZgCertificate *cert)
{
  return zg_certificate_category_applies (cert, ZG_CAT_FUEHRUNGSERFOLG) ? ZG_ROLE_MANAGER : 0;
}

/* Applicable variants of a group in choice order: those written for this
 * kind first, then the general ones (docs/engine.md). When variants written
 * for the person's role apply, they replace the others (a manager's conduct
 * sentence names the staff). */
static void
collect_applicable (const Context *ctx,
                    GPtrArray     *group,
                    GPtrArray     *out)
{
  guint kind_bit = 1u << ctx->cert->kind;
  guint roles = person_roles (ctx->cert);

  g_ptr_array_set_size (out, 0);
  if (group == NULL)
    return;
  for (guint role_pass = roles != 0 ? 0 : 1; role_pass < 2 && out->len == 0; role_pass++)
    for (guint pass = 0; pass < 2; pass++)
      for (guint i = 0; i < group->len; i++)
        {
          ZgVariant *variant = g_ptr_array_index (group, i);
          const ZgTemplate *tpl;

          if (!variant->valid)
            continue;
          if (role_pass == 0 ? (variant->roles & roles) == 0 : variant->roles != 0)
            continue;
          if (pass == 0 ? (variant->kinds & kind_bit) == 0 : variant->kinds != 0)
            continue;
          tpl = variant_form (ctx, variant);
          if (tpl != NULL && template_applicable (ctx, tpl))
            g_ptr_array_add (out, variant);
        }
}

/* "wissen.2.b" at grade 1 -> "wissen.1.b": ids follow <category>.<grade>.<letter>
 * (docs/phrase-format.md), so a choice survives a change of the grade. */
static char *
regrade_id (const char *id,
            int         grade)
{
  g_auto(GStrv) parts = g_strsplit (id, ".", -1);

  for (guint i = 1; parts[i] != NULL && parts[i + 1] != NULL; i++)
    if (parts[i][0] >= '1' && parts[i][0] <= '5' && parts[i][1] == '\0')
      {
        if (parts[i][0] == '0' + grade)
          return NULL;
        parts[i][0] = (char) ('0' + grade);
        return g_strjoinv (".", parts);
      }
  return NULL;
}

/* Position of the record's choice in the applicable list. A stored id that
 * does not apply (missing data, other kind, removed by a customer layer) gives
 * the default with *fallback set; a legacy position is taken modulo the list. */
static guint
choose_variant (const Context   *ctx,
                const char      *slot_name,
                int              grade,
                const GPtrArray *applicable,
                gboolean        *fallback)
{
  const char *id = zg_certificate_get_variant_id (ctx->cert, slot_name);
  g_autofree char *regraded = NULL;

  *fallback = FALSE;
  if (id == NULL)
    return zg_certificate_get_variant (ctx->cert, slot_name) % applicable->len;
  for (guint i = 0; i < applicable->len; i++)
    if (strcmp (((const ZgVariant *) g_ptr_array_index (applicable, i))->id, id) == 0)
      return i;
  regraded = grade > 0 ? regrade_id (id, grade) : NULL;
  for (guint i = 0; regraded != NULL && i < applicable->len; i++)
    if (strcmp (((const ZgVariant *) g_ptr_array_index (applicable, i))->id, regraded) == 0)
      return i;
  *fallback = TRUE;
  return 0;
}

static gboolean
is_name_placeholder (ZgPlaceholder ph)
{
  return ph == ZG_PH_NAME || ph == ZG_PH_NAME_AKK || ph == ZG_PH_NAME_DAT || ph == ZG_PH_FULLNAME;
}

static gboolean
template_names_person (const ZgTemplate *tpl)
{
  for (guint i = 0; i < tpl->tokens->len; i++)
    {
      const ZgToken *token = g_ptr_array_index (tpl->tokens, i);

      if (token->kind == ZG_TOKEN_PLACEHOLDER && is_name_placeholder (token->placeholder))
        return TRUE;
    }
  return FALSE;
}

/* A sentence right after one that named the person uses the pronoun instead of
 * repeating "Herr Dr. Müller" ("Er trug …", "Auf ihn war …"). German has a
 * placeholder per case; English {Name} is replaced only as a subject (first in
 * the sentence or after an introductory phrase). Divers keeps the name. */
static ZgPlaceholder
placeholder_in_context (const Context *ctx,
                        const ZgTemplate *tpl,
                        guint          index,
                        ZgPlaceholder  ph)
{
  const ZgToken *before = index > 0 ? g_ptr_array_index (tpl->tokens, index - 1) : NULL;
  gboolean sentence_start = before == NULL ||
                            (before->kind == ZG_TOKEN_LITERAL && g_str_has_suffix (before->text,
                                                                                  ". "));
  gboolean after_comma = before != NULL && before->kind == ZG_TOKEN_LITERAL &&
                         g_str_has_suffix (before->text, ", ");

  if (!ctx->pronoun_for_name || ctx->gender == GENDER_D)
    return ph;
  if (strcmp (ctx->language, "en") == 0)
    return ph == ZG_PH_NAME && (sentence_start || after_comma)
           ? (sentence_start ? ZG_PH_HE_CAP : ZG_PH_HE) : ph;
  if (ph == ZG_PH_NAME)
    return sentence_start ? ZG_PH_ER_CAP : ZG_PH_ER;
  if (ph == ZG_PH_NAME_AKK)
    return ZG_PH_IHN;
  if (ph == ZG_PH_NAME_DAT)
    return ZG_PH_IHM;
  return ph;
}

/* German has no neutral pronoun: in a divers letter a sentence that would open
 * with the name again inside a paragraph opens with a sentence adverb instead
 * ("Zudem zeichnete sich Alex Müller … aus"); the overall sentence sums up
 * ("Insgesamt …"). Returns the token index to continue from, 0 = not inverted. */
static guint
render_inverted_opening (Context          *ctx,
                         const ZgTemplate *tpl,
                         const char       *slot_name,
                         GString          *out)
{
  static const char *const adverbs[] = { "Zudem", "Dabei", "Außerdem", "Darüber hinaus",
                                         "Ferner" };
  const ZgToken *subject, *rest;
  gsize verb_len;

  if (!ctx->invert || !zg_template_inversion_point (tpl, &verb_len))
    return 0;
  subject = g_ptr_array_index (tpl->tokens, 0);
  rest = g_ptr_array_index (tpl->tokens, 1);
  g_string_append (out, strcmp (slot_name, "overall") == 0
                        ? "Insgesamt" : adverbs[ctx->inversions++ % G_N_ELEMENTS (adverbs)]);
  g_string_append_len (out, rest->text, verb_len);
  g_string_append_c (out, ' ');
  g_string_append (out, S (ctx->values[subject->placeholder]));
  g_string_append (out, rest->text + verb_len);
  return 2;
}

static void
render_template_from (const Context    *ctx,
                      const ZgTemplate *tpl,
                      guint             first,
                      GString          *out)
{
  for (guint i = first; i < tpl->tokens->len; i++)
    {
      const ZgToken *token = g_ptr_array_index (tpl->tokens, i);

      switch (token->kind)
        {
        case ZG_TOKEN_LITERAL:
          g_string_append (out, token->text);
          break;
        case ZG_TOKEN_PLACEHOLDER:
          g_string_append (out, S (ctx->values[placeholder_in_context (ctx, tpl, i,
                                                                       token->placeholder)]));
          break;
        case ZG_TOKEN_CHOICE:
          g_string_append (out, token->choice[ctx->gender]);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static void
render_template (const Context    *ctx,
                 const ZgTemplate *tpl,
                 GString          *out)
{
  render_template_from (ctx, tpl, 0, out);
}

static GPtrArray *
slot_group (const Context *ctx,
            const char    *slot_name,
            const char    *reason,
            int            grade)
{
  const ZgSlot *slot = zg_phrase_library_get_slot (ctx->lib, ctx->language, slot_name);

  if (slot == NULL)
    return NULL;
  return zg_slot_get_group (slot, reason, grade);
}

/* Renders the chosen variant; FALSE (with error) when none applies. */
static gboolean
render_slot_offset (Context        *ctx,
                    const char     *slot_name,
                    const char     *reason,
                    int             grade,
                    guint           offset,
                    GString        *out,
                    GError        **error)
{
  g_autoptr(GPtrArray) applicable = g_ptr_array_new ();
  const ZgVariant *variant;
  guint choice;

  collect_applicable (ctx, slot_group (ctx, slot_name, reason, grade), applicable);
  if (applicable->len == 0)
    {
      g_set_error (error, ZG_GENERATOR_ERROR, ZG_GENERATOR_ERROR_NO_PHRASE,
                   "No phrase for %s/%s%s%s grade %d fits this certificate", ctx->language,
                   slot_name, reason ? " reason " : "", reason ? reason : "", grade);
      return FALSE;
    }
  choice = (choose_variant (ctx, slot_name, grade, applicable, &ctx->fallback) + offset) %
           applicable->len;
  variant = g_ptr_array_index (applicable, choice);
  if (offset == 0)
    ctx->variant_id = variant->id;
  render_template_from (ctx, variant_form (ctx, variant),
                        render_inverted_opening (ctx, variant_form (ctx, variant), slot_name,
                                                 out),
                        out);
  ctx->last_named = !ctx->pronoun_for_name && template_names_person (variant_form (ctx, variant));
  return TRUE;
}

static gboolean
render_slot (Context        *ctx,
             const char     *slot_name,
             const char     *reason,
             int             grade,
             GString        *out,
             GError        **error)
{
  return render_slot_offset (ctx, slot_name, reason, grade, 0, out, error);
}

/* Customary paragraphs of an Arbeitszeugnis (docs/engine.md): sentences of one
 * group share a printed paragraph; a list ends it. 0 = a paragraph of its own. */
static int
paragraph_group (const char *section)
{
  static const struct { const char *section; int group; } groups[] = {
    { "tasks", 1 }, { "additional-tasks", 1 }, { "powers", 1 },
    { "rating.bereitschaft", 2 }, { "rating.befaehigung", 2 }, { "rating.wissen", 2 },
    { "qualifications", 2 }, { "rating.weiterbildung", 2 }, { "training", 2 },
    { "rating.arbeitsweise", 3 }, { "rating.arbeitserfolg", 3 }, { "achievements", 3 },
    { "rating.fuehrungserfolg", 3 },
    { "school", 4 }, { "rating.abschlusspruefung", 4 },
    { "rating.verhalten-intern", 5 }, { "rating.verhalten-extern", 5 },
    { "closing.reason", 6 }, { "closing.formula", 6 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (strcmp (section, groups[i].section) == 0)
      return groups[i].group;
  return 0;
}

static gboolean
continues_after (const ZgBlock *prev,
                 ZgBlockKind    kind,
                 const char    *section)
{
  int group = paragraph_group (section);
  int prev_group = paragraph_group (prev->section);

  if (prev->kind != ZG_BLOCK_PARAGRAPH || kind != ZG_BLOCK_PARAGRAPH)
    return FALSE;
  /* the Zufriedenheitsformel sums up the performance (or the school and exam)
   * paragraph it follows */
  if (strcmp (section, "overall") == 0)
    return prev_group == 3 || prev_group == 4;
  return group != 0 && group == prev_group;
}

static void
mark_paragraphs (ZgDocument *doc)
{
  for (guint i = 1; i < doc->blocks->len; i++)
    {
      const ZgBlock *prev = g_ptr_array_index (doc->blocks, i - 1);
      ZgBlock *block = g_ptr_array_index (doc->blocks, i);

      block->continues_paragraph = continues_after (prev, block->kind, block->section);
    }
}

/* Which sentence the block shows, and whether the record's choice was dropped
 * (the editor tells the user). */
static void
block_set_variant (ZgDocument    *doc,
                   const Context *ctx,
                   ZgBlock       *block,
                   const char    *slot_name)
{
  block->variant_id = g_strdup (ctx->variant_id);
  block->variant_fallback = ctx->fallback;
  if (ctx->fallback)
    g_ptr_array_add (doc->fallback_slots, g_strdup (slot_name));
}

static gboolean
add_slot_block (ZgDocument     *doc,
                Context        *ctx,
                const char     *slot_name,
                const char     *reason,
                int             grade,
                GError        **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const ZgBlock *prev = doc->blocks->len > 0
                        ? g_ptr_array_index (doc->blocks, doc->blocks->len - 1) : NULL;
  gboolean continues = prev != NULL && continues_after (prev, ZG_BLOCK_PARAGRAPH, slot_name);

  ctx->pronoun_for_name = ctx->last_named && continues;
  /* after a list of its own paragraph group ("Zudem besitzt … Prokura") and for the
   * summing-up overall sentence the adverb reads naturally too */
  ctx->invert = ctx->gender == GENDER_D && strcmp (ctx->language, "de") == 0 && prev != NULL &&
                (continues || strcmp (slot_name, "overall") == 0 ||
                 (paragraph_group (slot_name) != 0 &&
                  paragraph_group (prev->section) == paragraph_group (slot_name)));
  if (!continues)
    ctx->inversions = 0;
  if (!render_slot (ctx, slot_name, reason, grade, text, error))
    return FALSE;
  ctx->pronoun_for_name = FALSE;
  ctx->invert = FALSE;
  block_set_variant (doc, ctx, zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, slot_name,
                                                      text->str), slot_name);
  return TRUE;
}

static char *
join_list (const GPtrArray *list,
           const char      *language)
{
  GString *s = g_string_new (NULL);
  gboolean en = strcmp (language, "en") == 0;
  const char *and = en ? " and " : " und ";

  /* "Kenntnisse in SAP und DATEV und verhandlungssicheres Englisch" reads badly:
   * when an entry has an "and" of its own, the last one is joined with "sowie". */
  for (guint i = 0; i < list->len; i++)
    if (strstr (g_ptr_array_index (list, i), and) != NULL)
      and = en ? " as well as " : " sowie ";
  for (guint i = 0; i < list->len; i++)
    {
      if (i > 0)
        g_string_append (s, i + 1 == list->len ? and : ", ");
      g_string_append (s, g_ptr_array_index (list, i));
    }
  return g_string_free (s, FALSE);
}

/* An intro sentence from a slot followed by one list item per entry. */
static gboolean
add_list (ZgDocument      *doc,
          Context         *ctx,
          const char      *slot_name,
          const GPtrArray *items,
          GError         **error)
{
  if (items->len == 0)
    return TRUE;
  if (!add_slot_block (doc, ctx, slot_name, NULL, 0, error))
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    zg_document_add_block (doc, ZG_BLOCK_LIST_ITEM, slot_name, g_ptr_array_index (items, i));
  ctx->last_named = FALSE;
  return TRUE;
}

/* One sentence carrying the whole list in {Eintrag}. */
static gboolean
add_inline_list (ZgDocument      *doc,
                 Context         *ctx,
                 const char      *slot_name,
                 const GPtrArray *items,
                 GError         **error)
{
  gboolean ok;

  if (items->len == 0)
    return TRUE;
  ctx->values[ZG_PH_EINTRAG] = join_list (items, ctx->language);
  ok = add_slot_block (doc, ctx, slot_name, NULL, 0, error);
  g_clear_pointer (&ctx->values[ZG_PH_EINTRAG], g_free);
  return ok;
}

static gboolean
add_stations (ZgDocument  *doc,
              Context     *ctx,
              GError     **error)
{
  const ZgCertificate *cert = ctx->cert;
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean fallback[2] = { FALSE, FALSE };  /* stations, stations-current */

  /* a single station that is the position itself says nothing new */
  if (cert->stations->len < 2)
    return TRUE;
  ctx->variant_id = NULL;
  for (guint i = 0; i < cert->stations->len; i++)
    {
      const ZgStation *station = g_ptr_array_index (cert->stations, i);
      const GDate *to = &station->to;
      gboolean ok;

      if (!g_date_valid (to) && zg_certificate_is_final (cert))
        to = &cert->exit_date;
      ctx->values[ZG_PH_STATION] = g_strdup (station->position);
      ctx->values[ZG_PH_VON] = zg_format_date (&station->from, ctx->language);
      ctx->values[ZG_PH_BIS] = g_date_valid (to) ? zg_format_date (to, ctx->language) : NULL;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      if (ctx->values[ZG_PH_VON] == NULL)
        ok = TRUE; /* undated stations are left to the free text */
      else
        /* consecutive stations alternate between the variants */
        ok = render_slot_offset (ctx, ctx->values[ZG_PH_BIS] != NULL ? "stations"
                                                                     : "stations-current",
                                 NULL, 0, i, text, error);
      if (ok && ctx->values[ZG_PH_VON] != NULL)
        fallback[ctx->values[ZG_PH_BIS] != NULL ? 0 : 1] |= ctx->fallback;
      g_clear_pointer (&ctx->values[ZG_PH_STATION], g_free);
      g_clear_pointer (&ctx->values[ZG_PH_VON], g_free);
      g_clear_pointer (&ctx->values[ZG_PH_BIS], g_free);
      if (!ok)
        return FALSE;
    }
  g_strchomp (text->str);
  text->len = strlen (text->str);
  if (text->len > 0)
    {
      ZgBlock *block = zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "stations", text->str);

      block->variant_id = g_strdup (ctx->variant_id);
      block->variant_fallback = fallback[0] || fallback[1];
      if (fallback[0])
        g_ptr_array_add (doc->fallback_slots, g_strdup ("stations"));
      if (fallback[1])
        g_ptr_array_add (doc->fallback_slots, g_strdup ("stations-current"));
    }
  return TRUE;
}

int
zg_derive_overall_grade (const ZgCertificate *cert)
{
  int sum = 0, n = 0;

  g_return_val_if_fail (cert != NULL, 0);
  for (guint c = 0; c < ZG_N_CATEGORIES; c++)
    {
      if (c == ZG_CAT_VERHALTEN_INTERN || c == ZG_CAT_VERHALTEN_EXTERN ||
          c == ZG_CAT_ABSCHLUSSPRUEFUNG)
        continue;
      if (cert->grades[c] > 0 && zg_certificate_category_applies (cert, c))
        {
          sum += cert->grades[c];
          n++;
        }
    }
  if (n == 0)
    return 0;
  /* nearest grade, a tie going to the better one (benevolence, § 109 GewO) */
  return (2 * sum + n - 1) / (2 * n);
}

int
zg_overall_grade (const ZgCertificate *cert)
{
  g_return_val_if_fail (cert != NULL, 0);
  if (cert->overall_override >= 1 && cert->overall_override <= 5)
    return cert->overall_override;
  return zg_derive_overall_grade (cert);
}

static const char *const final_reasons[] = {
  "arbeitnehmerkuendigung", "arbeitgeberkuendigung-betriebsbedingt", "aufhebungsvertrag",
  "befristung", "ausbildungsende", "praktikumsende", "ruhestand", NULL
};

static const char *
closing_reason (const ZgCertificate *cert)
{
  gboolean interim = cert->kind == ZG_KIND_ZWISCHENZEUGNIS;

  if (cert->reason != NULL &&
      (interim ? !g_strv_contains (final_reasons, cert->reason)
               : g_strv_contains (final_reasons, cert->reason)))
    return cert->reason;
  switch (cert->kind)
    {
    case ZG_KIND_ZWISCHENZEUGNIS:
      return "eigener-wunsch";
    case ZG_KIND_AUSBILDUNGSZEUGNIS:
      return "ausbildungsende";
    case ZG_KIND_PRAKTIKUMSZEUGNIS:
      return "praktikumsende";
    case ZG_KIND_ENDZEUGNIS:
    case ZG_N_KINDS:
    default:
      return "ende";
    }
}

static const char *
closing_formula_group (const ZgCertificate *cert,
                       const char          *reason)
{
  switch (cert->kind)
    {
    case ZG_KIND_ZWISCHENZEUGNIS:
      return "zwischenzeugnis";
    case ZG_KIND_AUSBILDUNGSZEUGNIS:
      return "ausbildung";
    case ZG_KIND_PRAKTIKUMSZEUGNIS:
      return "praktikum";
    case ZG_KIND_ENDZEUGNIS:
    case ZG_N_KINDS:
    default:
      return strcmp (reason, "ruhestand") == 0 ? "ruhestand" : "ende";
    }
}

ZgDocument *
zg_generate (const ZgPhraseLibrary  *lib,
             const ZgCertificate    *cert,
             GError                **error)
{
  g_autoptr(ZgDocument) doc = NULL;
  g_autoptr(GString) title = g_string_new (NULL);
  g_autofree char *date = NULL;
  const char *reason;
  Context ctx;
  int overall;
  gboolean ok = FALSE;

  g_return_val_if_fail (lib != NULL, NULL);
  g_return_val_if_fail (cert != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (zg_language_index (cert->language) < 0)
    {
      g_set_error (error, ZG_GENERATOR_ERROR, ZG_GENERATOR_ERROR_LANGUAGE,
                   "Unsupported certificate language “%s”", S (cert->language));
      return NULL;
    }
  if (cert->last_name == NULL)
    {
      g_set_error (error, ZG_GENERATOR_ERROR, ZG_GENERATOR_ERROR_INCOMPLETE,
                   "The employee's last name is missing");
      return NULL;
    }
  overall = zg_overall_grade (cert);
  if (overall == 0)
    {
      g_set_error (error, ZG_GENERATOR_ERROR, ZG_GENERATOR_ERROR_INCOMPLETE,
                   "No performance grade given: rate at least one category");
      return NULL;
    }
  if (zg_certificate_is_final (cert) && !g_date_valid (&cert->exit_date))
    {
      g_set_error (error, ZG_GENERATOR_ERROR, ZG_GENERATOR_ERROR_INCOMPLETE,
                   "A final certificate needs the exit date");
      return NULL;
    }

  context_init (&ctx, lib, cert);
  doc = zg_document_new (ctx.language);

  if (!render_slot (&ctx, "title", NULL, 0, title, error))
    goto out;
  doc->title = g_strdup (title->str);
  if (ctx.fallback)
    g_ptr_array_add (doc->fallback_slots, g_strdup ("title"));

  if (!add_slot_block (doc, &ctx, "intro", NULL, 0, error))
    goto out;
  if (cert->company_description != NULL)
    zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "company", cert->company_description);
  if (!add_stations (doc, &ctx, error) ||
      !add_list (doc, &ctx, "tasks", cert->tasks, error) ||
      !add_list (doc, &ctx, "additional-tasks", cert->additional_tasks, error) ||
      !add_inline_list (doc, &ctx, "powers", cert->powers, error))
    goto out;

  for (guint c = 0; c < ZG_N_CATEGORIES; c++)
    {
      if (c == ZG_CAT_VERHALTEN_INTERN)
        {
          /* the performance summary closes the performance part, before conduct */
          if (cert->kind == ZG_KIND_AUSBILDUNGSZEUGNIS && cert->vocational_school != NULL &&
              !add_slot_block (doc, &ctx, "school", NULL, 0, error))
            goto out;
          if (cert->grades[ZG_CAT_ABSCHLUSSPRUEFUNG] > 0 &&
              zg_certificate_category_applies (cert, ZG_CAT_ABSCHLUSSPRUEFUNG) &&
              !add_slot_block (doc, &ctx, zg_category_slot (ZG_CAT_ABSCHLUSSPRUEFUNG), NULL,
                               cert->grades[ZG_CAT_ABSCHLUSSPRUEFUNG], error))
            goto out;
          if (!add_slot_block (doc, &ctx, "overall", NULL, overall, error))
            goto out;
        }
      if (c == ZG_CAT_ABSCHLUSSPRUEFUNG)
        continue;
      if (cert->grades[c] > 0 && zg_certificate_category_applies (cert, c) &&
          !add_slot_block (doc, &ctx, zg_category_slot (c), NULL, cert->grades[c], error))
        goto out;
      if (c == ZG_CAT_WEITERBILDUNG && !add_list (doc, &ctx, "training", cert->trainings, error))
        goto out;
      if (c == ZG_CAT_WISSEN &&
          !add_inline_list (doc, &ctx, "qualifications", cert->qualifications, error))
        goto out;
      if (c == ZG_CAT_ARBEITSERFOLG &&
          !add_list (doc, &ctx, "achievements", cert->achievements, error))
        goto out;
    }

  reason = closing_reason (cert);
  if (!add_slot_block (doc, &ctx, "closing.reason", reason, 0, error) ||
      !add_slot_block (doc, &ctx, "closing.formula", closing_formula_group (cert, reason),
                       overall, error))
    goto out;

  date = zg_format_date (&cert->issue_date, ctx.language);
  if (date == NULL)
    date = zg_format_date (&cert->exit_date, ctx.language);
  if (date != NULL)
    doc->place_date = cert->issue_place != NULL
                      ? g_strdup_printf ("%s, %s", cert->issue_place, date)
                      : g_strdup (date);
  for (guint i = 0; i < cert->signatories->len; i++)
    {
      const ZgCertSignatory *sig = g_ptr_array_index (cert->signatories, i);
      /* one spelling of the titles in the whole letter */
      g_autofree char *name = strcmp (ctx.language, "en") == 0 ? english_title (sig->name)
                                                              : g_strdup (sig->name);

      zg_document_add_signatory (doc, name, sig->function);
    }
  doc->company_name = g_strdup (cert->company_name);
  if (cert->company_address->len > 0)
    {
      doc->company_address = g_new0 (char *, cert->company_address->len + 1);
      for (guint i = 0; i < cert->company_address->len; i++)
        doc->company_address[i] = g_strdup (g_ptr_array_index (cert->company_address, i));
    }
  doc->subject_name = join3 (cert->title, cert->first_name, cert->last_name);
  mark_paragraphs (doc);
  ok = TRUE;

out:
  context_clear (&ctx);
  return ok ? g_steal_pointer (&doc) : NULL;
}

GPtrArray *
zg_generator_list_slots (const ZgPhraseLibrary *lib,
                         const ZgCertificate   *cert)
{
  g_autoptr(ZgDocument) doc = NULL;
  GPtrArray *slots = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (lib != NULL, slots);
  g_return_val_if_fail (cert != NULL, slots);

  doc = zg_generate (lib, cert, NULL);
  if (doc == NULL)
    return slots;
  g_ptr_array_add (slots, g_strdup ("title"));
  for (guint i = 0; i < doc->blocks->len; i++)
    {
      const ZgBlock *block = g_ptr_array_index (doc->blocks, i);

      if (block->kind != ZG_BLOCK_PARAGRAPH || strcmp (block->section, "company") == 0)
        continue;
      if (strcmp (block->section, "stations") == 0)
        {
          g_ptr_array_add (slots, g_strdup ("stations"));
          g_ptr_array_add (slots, g_strdup ("stations-current"));
        }
      else
        g_ptr_array_add (slots, g_strdup (block->section));
    }
  return slots;
}

void
zg_variant_option_free (gpointer option)
{
  ZgVariantOption *o = option;

  if (o == NULL)
    return;
  g_free (o->id);
  g_free (o->text);
  g_free (o);
}

guint
zg_generator_pin_variants (const ZgPhraseLibrary *lib,
                           ZgCertificate         *cert)
{
  g_autoptr(ZgDocument) doc = NULL;
  g_autoptr(GList) slots = NULL;
  guint pinned = 0;

  g_return_val_if_fail (lib != NULL, 0);
  g_return_val_if_fail (cert != NULL, 0);

  if (g_hash_table_size (cert->variant_indexes) == 0)
    return 0;
  doc = zg_generate (lib, cert, NULL);
  if (doc == NULL)
    return 0;
  slots = g_hash_table_get_keys (cert->variant_indexes);
  for (const GList *l = slots; l != NULL; l = l->next)
    {
      g_autofree char *slot = g_strdup (l->data);
      const char *id = NULL;

      for (guint i = 0; i < doc->blocks->len && id == NULL; i++)
        {
          const ZgBlock *block = g_ptr_array_index (doc->blocks, i);

          if (block->variant_id != NULL && strcmp (block->section, slot) == 0)
            id = block->variant_id;
        }
      /* a slot the letter does not show keeps its position (it selects nothing yet) */
      if (id != NULL && zg_certificate_set_variant_id (cert, slot, id, NULL))
        pinned++;
    }
  return pinned;
}

GPtrArray *
zg_generator_list_variants (const ZgPhraseLibrary  *lib,
                            const ZgCertificate    *cert,
                            const char             *slot,
                            GError                **error)
{
  g_autoptr(GPtrArray) applicable = g_ptr_array_new ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (zg_variant_option_free);
  const char *reason = NULL;
  int grade = 0;
  Context ctx;

  g_return_val_if_fail (lib != NULL, NULL);
  g_return_val_if_fail (cert != NULL, NULL);
  g_return_val_if_fail (slot != NULL, NULL);

  if (zg_language_index (cert->language) < 0)
    {
      g_set_error (error, ZG_GENERATOR_ERROR, ZG_GENERATOR_ERROR_LANGUAGE,
                   "Unsupported certificate language “%s”", S (cert->language));
      return NULL;
    }
  context_init (&ctx, lib, cert);
  if (g_str_has_prefix (slot, "rating."))
    {
      ZgCategory category;

      if (zg_category_from_key (slot + strlen ("rating."), &category))
        grade = cert->grades[category];
    }
  else if (strcmp (slot, "overall") == 0)
    grade = zg_overall_grade (cert);
  else if (strcmp (slot, "closing.reason") == 0)
    reason = closing_reason (cert);
  else if (strcmp (slot, "closing.formula") == 0)
    {
      reason = closing_formula_group (cert, closing_reason (cert));
      grade = zg_overall_grade (cert);
    }
  else if (strcmp (slot, "powers") == 0 || strcmp (slot, "qualifications") == 0)
    ctx.values[ZG_PH_EINTRAG] = join_list (strcmp (slot, "powers") == 0 ? cert->powers
                                                                          : cert->qualifications,
                                           ctx.language);
  else if (g_str_has_prefix (slot, "stations") && cert->stations->len > 0)
    {
      const ZgStation *station = g_ptr_array_index (cert->stations, 0);

      ctx.values[ZG_PH_STATION] = g_strdup (station->position);
      ctx.values[ZG_PH_VON] = zg_format_date (&station->from, ctx.language);
      ctx.values[ZG_PH_BIS] = zg_format_date (&station->to, ctx.language);
    }

  collect_applicable (&ctx, slot_group (&ctx, slot, reason, grade), applicable);
  for (guint i = 0; i < applicable->len; i++)
    {
      const ZgVariant *variant = g_ptr_array_index (applicable, i);
      ZgVariantOption *option = g_new0 (ZgVariantOption, 1);
      GString *s = g_string_new (NULL);

      render_template (&ctx, variant_form (&ctx, variant), s);
      option->id = g_strdup (variant->id);
      option->text = g_string_free (s, FALSE);
      g_ptr_array_add (texts, option);
    }
  context_clear (&ctx);
  if (texts->len == 0)
    {
      g_set_error (error, ZG_GENERATOR_ERROR, ZG_GENERATOR_ERROR_NO_PHRASE,
                   "No phrase of slot “%s” fits this certificate", slot);
      return NULL;
    }
  return g_steal_pointer (&texts);
}
