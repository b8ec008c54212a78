/* zg-phrases.h — the phrase library (Textbausteine): loading, layering, validation
 *
 * Format of the data files: docs/phrase-format.md. R-APP-1, R-APP-6.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ZG_PHRASES_ERROR (zg_phrases_error_quark ())

typedef enum
{
  ZG_PHRASES_ERROR_IO,       /* a file or directory could not be read */
  ZG_PHRASES_ERROR_PARSE,    /* not JSON */
  ZG_PHRASES_ERROR_FORMAT,   /* JSON that breaks docs/phrase-format.md */
} ZgPhrasesError;

typedef struct _ZgPhraseLibrary ZgPhraseLibrary;

GQuark            zg_phrases_error_quark             (void);

/* The data directory: $ZG_DATADIR, else the source tree's data/ (when it
 * exists), else the installed PKGDATADIR. */
const char       *zg_phrase_library_default_datadir  (void);

/* Loads <datadir>/phrases/{de,en}/ *.json and <datadir>/analysis/ *.json.
 * datadir NULL = zg_phrase_library_default_datadir(). Fails on any file that
 * breaks the format; completeness is checked by zg_phrase_library_validate(). */
ZgPhraseLibrary  *zg_phrase_library_load             (const char             *datadir,
                                                      GError                **error);
void              zg_phrase_library_free             (ZgPhraseLibrary        *lib);

/* Individualisierung (R-APP-6): layer a customer's phrases over the library.
 * A directory with <lang>/ *.json, or {"layer": name, "files": [slot file, ...]}.
 * On error the library is unchanged. */
gboolean          zg_phrase_library_add_layer_dir    (ZgPhraseLibrary        *lib,
                                                      const char             *dir,
                                                      GError                **error);
gboolean          zg_phrase_library_add_layer_json   (ZgPhraseLibrary        *lib,
                                                      JsonNode               *layer,
                                                      GError                **error);

/* Every problem found (char*, "de/rating.wissen grade 3: only 2 variants ...");
 * an empty array means the library is complete and clean. */
GPtrArray        *zg_phrase_library_validate         (const ZgPhraseLibrary  *lib);

/* Inspection (tests, tools). */
gboolean          zg_phrase_library_has_slot         (const ZgPhraseLibrary  *lib,
                                                      const char             *language,
                                                      const char             *slot);
guint             zg_phrase_library_count_variants   (const ZgPhraseLibrary  *lib,
                                                      const char             *language,
                                                      const char             *slot,
                                                      const char             *reason,
                                                      int                     grade);
GPtrArray        *zg_phrase_library_list_slots       (const ZgPhraseLibrary  *lib,
                                                      const char             *language);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgPhraseLibrary, zg_phrase_library_free)

G_END_DECLS
