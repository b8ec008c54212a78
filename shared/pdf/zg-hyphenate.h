/* zg-hyphenate.h — hyphenation points for justified text (libhyphen patterns)
 *
 * The renderer inserts soft hyphens (U+00AD) at the allowed points; Pango then
 * breaks a line there and draws a visible hyphen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ZG_SOFT_HYPHEN "\xc2\xad"

typedef struct _ZgHyphenator ZgHyphenator;

ZgHyphenator *zg_hyphenator_new                 (const char          *dict_path,
                                                 GError             **error);
ZgHyphenator *zg_hyphenator_new_for_language    (const char          *language,
                                                 GError             **error);
void          zg_hyphenator_free                (ZgHyphenator        *hyphenator);
char         *zg_hyphenator_hyphenate_word      (ZgHyphenator        *hyphenator,
                                                 const char          *word);
char         *zg_hyphenator_insert_soft_hyphens (ZgHyphenator        *hyphenator,
                                                 const char          *text,
                                                 const char * const  *protected_words);
char         *zg_hyphenator_dict_path_for_language (const char       *language);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgHyphenator, zg_hyphenator_free)

G_END_DECLS
