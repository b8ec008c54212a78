/* zg-phrases-private.h — the library's internals shared by generator and analyser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-analyser.h"
#include "zg-certificate.h"
#include "zg-phrases.h"

G_BEGIN_DECLS

typedef enum
{
  /* person, German */
  ZG_PH_NAME, ZG_PH_NAME_AKK, ZG_PH_NAME_DAT, ZG_PH_FULLNAME,
  ZG_PH_ER, ZG_PH_ER_CAP, ZG_PH_IHM, ZG_PH_IHN,
  ZG_PH_SEIN, ZG_PH_SEINE, ZG_PH_SEINEN, ZG_PH_SEINER, ZG_PH_SEINEM, ZG_PH_SEINES,
  ZG_PH_SEIN_CAP, ZG_PH_SEINE_CAP, ZG_PH_SEINEN_CAP, ZG_PH_SEINER_CAP, ZG_PH_SEINEM_CAP,
  ZG_PH_SEINES_CAP,
  /* person, English */
  ZG_PH_HE, ZG_PH_HE_CAP, ZG_PH_HIM, ZG_PH_HIS, ZG_PH_HIS_CAP,
  /* structural: from here on a missing value makes a variant inapplicable */
  ZG_PH_FIRMA, ZG_PH_POSITION, ZG_PH_ABTEILUNG, ZG_PH_STANDORT, ZG_PH_EINTRITT, ZG_PH_AUSTRITT,
  ZG_PH_AUSSTELLUNGSDATUM, ZG_PH_GEBURTSDATUM, ZG_PH_GEBURTSORT, ZG_PH_BERUF, ZG_PH_BERUFSSCHULE,
  ZG_PH_VON, ZG_PH_BIS, ZG_PH_STATION, ZG_PH_EINTRAG, ZG_PH_NOTE, ZG_PH_ZULETZT,
  ZG_N_PLACEHOLDERS
} ZgPlaceholder;

#define ZG_PH_FIRST_STRUCTURAL ZG_PH_FIRMA

typedef enum
{
  ZG_TOKEN_LITERAL,
  ZG_TOKEN_PLACEHOLDER,
  ZG_TOKEN_CHOICE,
} ZgTokenKind;

typedef struct
{
  ZgTokenKind    kind;
  ZgPlaceholder  placeholder;
  char          *text;        /* literal */
  char          *choice[3];   /* m, f, d */
} ZgToken;

typedef struct
{
  char       *source;         /* the text as written */
  GPtrArray  *tokens;         /* ZgToken* */
  guint64     needs;          /* bit per structural placeholder */
} ZgTemplate;

/* Person roles a variant can be written for ("roles": ["manager"]). */
#define ZG_ROLE_MANAGER (1u << 0)

typedef struct
{
  char        *id;
  ZgTemplate  *present;       /* NULL when the variant is tense-independent */
  ZgTemplate  *past;
  ZgTemplate  *text;
  guint        kinds;         /* bit per ZgCertificateKind; 0 = every kind */
  guint        roles;         /* ZG_ROLE_* bits; 0 = everyone */
  gboolean     valid;         /* FALSE: has a content problem, never used */
} ZgVariant;

/* One list of variants: (reason, grade) of a slot; grade 0 = ungraded. */
typedef struct
{
  char       *slot;
  char       *language;
  gboolean    graded;
  gboolean    by_reason;
  GHashTable *groups;         /* "reason\x1fgrade" -> GPtrArray of ZgVariant* */
} ZgSlot;

typedef struct
{
  ZgCategory  category;       /* ZG_N_CATEGORIES = overall */
  int         grade;
  const char *id;             /* variant id (owned by the variant) */
  GPtrArray  *literals;       /* char*: lower-cased literal segments in order */
  gsize       weight;         /* total literal length */
  gboolean    leading_wild;
} ZgExactPattern;

typedef struct
{
  char       *id;
  int         category;       /* ZgCategory, ZG_N_CATEGORIES = overall, -1 = any */
  int         grade;
  GRegex     *regex;
} ZgGradeRule;

typedef struct
{
  char       *id;
  GRegex     *regex;
  ZgSeverity  severity;
  char       *message;
} ZgCatalogueEntry;

typedef struct
{
  char       *id;
  GRegex     *regex;
  GRegex     *unless;         /* not required when this matches (e.g. interim) */
  char       *message;
  ZgSeverity  severity;
} ZgRequiredPart;

typedef struct
{
  GPtrArray  *exact;          /* ZgExactPattern*, longest first */
  GPtrArray  *category_words; /* per ZgCategory: GRegex* or NULL */
  GPtrArray  *keywords;       /* ZgGradeRule* with grade = weight: strong category words */
  GPtrArray  *grade_rules;    /* ZgGradeRule*, first match wins */
  GPtrArray  *overall_rules;  /* ZgGradeRule* */
  GPtrArray  *hidden_codes;   /* ZgCatalogueEntry* */
  GPtrArray  *required;       /* ZgRequiredPart* */
  GRegex     *superiors;
  GRegex     *colleagues;
  GRegex     *ignore;         /* sentences that rate nothing (intro, closing) */
} ZgAnalysisData;

struct _ZgPhraseLibrary
{
  GHashTable     *slots;      /* "lang/slot" -> ZgSlot* */
  GHashTable     *ids;        /* "lang/id" -> ZgVariant* (borrowed) */
  GPtrArray      *problems;   /* char*: content problems found while loading */
  ZgAnalysisData *analysis[2];/* de, en */
};

const char  *zg_placeholder_name      (ZgPlaceholder          ph);
const ZgSlot *zg_phrase_library_get_slot (const ZgPhraseLibrary *lib,
                                          const char            *language,
                                          const char            *slot);
GPtrArray   *zg_slot_get_group        (const ZgSlot          *slot,
                                       const char            *reason,
                                       int                    grade);
int          zg_language_index        (const char            *language);

/* German divers letters: "{Er} zeichnete sich … aus" may open as "Zudem
 * zeichnete sich Alex Müller … aus" (docs/engine.md). TRUE when the template
 * starts with the subject and a finite verb; *verb_len covers " zeichnete sich"
 * in the literal after the subject. */
gboolean     zg_template_inversion_point (const ZgTemplate *tpl,
                                          gsize            *verb_len);
/* The inverted form for the analyser's index ("{Eintrag} zeichnete sich {Er} …"),
 * NULL when the template cannot be inverted. */
ZgTemplate  *zg_template_inverted     (const ZgTemplate      *tpl,
                                       const char            *language);
void         zg_template_free         (ZgTemplate            *tpl);

/* implemented in zg-analyser.c, called when the library changes */
void         zg_analysis_data_free    (ZgAnalysisData        *data);
gboolean     zg_analysis_data_load    (ZgPhraseLibrary       *lib,
                                       const char            *datadir,
                                       GError               **error);
void         zg_analysis_index_phrases (ZgPhraseLibrary      *lib);
/* What the analyser can see of a template for one gender: its normalised
 * literal segments; two variants of different grades must differ in it. */
char        *zg_template_skeleton     (const ZgTemplate      *tpl,
                                       int                    gender);

G_END_DECLS
