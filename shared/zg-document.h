/* zg-document.h — a generated certificate as structured blocks
 *
 * The text engine (shared/engine/) produces a ZgDocument; the PDF renderer
 * (shared/pdf/), the plain-text writer and the client's editor consume it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ZG_BLOCK_PARAGRAPH,   /* a justified body paragraph */
  ZG_BLOCK_LIST_ITEM,   /* one bullet of a list (e.g. a task) */
} ZgBlockKind;

typedef struct
{
  ZgBlockKind  kind;
  char        *section;  /* stable key: "intro", "company", "stations", "tasks",
                            "rating.bereitschaft", "overall", "conduct", "closing", ... */
  char        *text;     /* UTF-8, no markup */
  gboolean     continues_paragraph;  /* a paragraph block that continues the previous
                                        paragraph block as its next sentence(s): one
                                        printed paragraph, one block per sentence */
  char        *variant_id;           /* the phrase variant used (NULL: not a phrase) */
  gboolean     variant_fallback;     /* the record's chosen variant does not fit the
                                        record any more: the default was used instead */
} ZgBlock;

typedef struct
{
  char *name;            /* "Dr. Anna Müller" */
  char *function;        /* "Geschäftsführerin" */
} ZgSignatory;

typedef struct
{
  char       *language;         /* "de" or "en" */
  char       *title;            /* "Arbeitszeugnis", "Zwischenzeugnis", ... */
  GPtrArray  *blocks;           /* ZgBlock*: the body in reading order */
  char       *place_date;       /* "Berlin, 30. Juni 2026" */
  GPtrArray  *signatories;      /* ZgSignatory* */
  char       *company_name;     /* letterhead and PDF author */
  GStrv       company_address;  /* letterhead address lines */
  char       *subject_name;     /* the employee's full name, for PDF metadata */
  GPtrArray  *fallback_slots;   /* char*: slots whose chosen variant was replaced by the
                                   default (blocks say which; "title" has no block) */
} ZgDocument;

ZgDocument  *zg_document_new            (const char       *language);
void         zg_document_free           (ZgDocument       *doc);
ZgBlock     *zg_document_add_block      (ZgDocument       *doc,
                                         ZgBlockKind       kind,
                                         const char       *section,
                                         const char       *text);
void         zg_document_add_signatory  (ZgDocument       *doc,
                                         const char       *name,
                                         const char       *function);
char        *zg_document_to_text        (const ZgDocument *doc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgDocument, zg_document_free)

G_END_DECLS
