/* zg-analyser.h — what a certificate text signals (grades, gaps, hidden codes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "zg-certificate.h"
#include "zg-phrases.h"

G_BEGIN_DECLS

typedef enum
{
  ZG_SEVERITY_INFO,
  ZG_SEVERITY_WARNING,
  ZG_SEVERITY_CRITICAL,
} ZgSeverity;

typedef enum
{
  ZG_FINDING_HIDDEN_CODE,     /* a catalogue entry (data/analysis/hidden-codes-*.json) */
  ZG_FINDING_MISSING,         /* a mandatory part is missing */
  ZG_FINDING_ORDER,           /* e.g. colleagues named before superiors */
  ZG_FINDING_INCONSISTENT,    /* grades in the text disagree (compare) */
} ZgFindingKind;

typedef struct
{
  ZgFindingKind  kind;
  ZgSeverity     severity;
  char          *code;          /* stable id: "hidden.bemueht", "missing.closing" */
  char          *excerpt;       /* the text found, or NULL */
  gsize          offset;        /* byte offset in the analysed text (excerpt != NULL) */
  char          *message;       /* explanation in the text's language */
} ZgFinding;

typedef struct
{
  ZgCategory     category;      /* ZG_N_CATEGORIES for the overall sentence */
  int            grade;
  gsize          offset;        /* byte offset in the analysed text */
  gsize          length;
  char          *source;        /* variant id, or pattern rule id */
  gboolean       exact;         /* TRUE: a library phrase; FALSE: a pattern rule */
} ZgSignal;

typedef struct
{
  char          *language;
  int            grades[ZG_N_CATEGORIES];  /* 0 = nothing found for the category */
  int            overall;        /* from the Zufriedenheitsformel; 0 = not found */
  double         mean;           /* mean of the found category grades, 0 if none */
  GPtrArray     *signals;        /* ZgSignal*, in text order */
  GPtrArray     *findings;       /* ZgFinding*: hidden codes, order, missing parts, then
                                    inconsistencies from zg_analysis_compare() */
} ZgAnalysis;

ZgAnalysis  *zg_analyse              (const ZgPhraseLibrary *lib,
                                      const char            *text,
                                      const char            *language);
/* Adds ZG_FINDING_INCONSISTENT findings where the text's grades differ from
 * the record's ratings (the editor's warning after a hand edit). */
void         zg_analysis_compare     (ZgAnalysis            *analysis,
                                      const ZgCertificate   *cert);
JsonNode    *zg_analysis_to_json     (const ZgAnalysis      *analysis);
void         zg_analysis_free        (ZgAnalysis            *analysis);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgAnalysis, zg_analysis_free)

G_END_DECLS
