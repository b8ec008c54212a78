/* zg-generator.h — certificate text generation (R-APP-1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "zg-certificate.h"
#include "zg-document.h"
#include "zg-phrases.h"

G_BEGIN_DECLS

#define ZG_GENERATOR_ERROR (zg_generator_error_quark ())

typedef enum
{
  ZG_GENERATOR_ERROR_INCOMPLETE,   /* a required field or grade is missing */
  ZG_GENERATOR_ERROR_NO_PHRASE,    /* the library has no applicable variant */
  ZG_GENERATOR_ERROR_LANGUAGE,     /* unsupported language */
} ZgGeneratorError;

GQuark       zg_generator_error_quark   (void);

/* The letter in canonical order (docs/engine.md); deterministic for the same
 * record, variant choices and library. */
ZgDocument  *zg_generate                (const ZgPhraseLibrary  *lib,
                                         const ZgCertificate    *cert,
                                         GError                **error);

/* The grade the overall sentence uses: the override, else the derived grade. */
int          zg_overall_grade           (const ZgCertificate    *cert);
/* Mean of the applicable category grades, rounded half down (x.5 -> better). */
int          zg_derive_overall_grade    (const ZgCertificate    *cert);

/* The slots the generator fills from phrases for this record, in order. */
GPtrArray   *zg_generator_list_slots    (const ZgPhraseLibrary  *lib,
                                         const ZgCertificate    *cert);
/* One alternative sentence of a slot, rendered for the record. */
typedef struct
{
  char *id;      /* what zg_certificate_set_variant_id (cert, slot, id, NULL) selects */
  char *text;
} ZgVariantOption;

void         zg_variant_option_free     (gpointer                option);

/* The applicable alternatives of one slot for this record (ZgVariantOption*),
 * the default first. */
GPtrArray   *zg_generator_list_variants (const ZgPhraseLibrary  *lib,
                                         const ZgCertificate    *cert,
                                         const char             *slot,
                                         GError                **error);

/* Turns the legacy position choices of an older record into the ids of the
 * sentences they select now, so later changes of the record keep them.
 * Returns how many slots were pinned. */
guint        zg_generator_pin_variants  (const ZgPhraseLibrary  *lib,
                                         ZgCertificate          *cert);

/* "30. Juni 2026" / "30 June 2026" */
char        *zg_format_date             (const GDate            *date,
                                         const char             *language);

G_END_DECLS
