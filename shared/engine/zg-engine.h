/* zg-engine.h — the Zeugnis text engine: include this one header
 *
 *   g_autoptr(ZgPhraseLibrary) lib = zg_phrase_library_load (NULL, &error);
 *   g_autoptr(ZgCertificate) cert = zg_certificate_from_data (json, -1, &error);
 *   g_autoptr(ZgDocument) doc = zg_generate (lib, cert, &error);
 *   g_autofree char *text = zg_document_to_text (doc);
 *   g_autoptr(ZgAnalysis) report = zg_analyse (lib, text, "de");
 *
 * Design and rules: docs/engine.md; phrase files: docs/phrase-format.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-certificate.h"
#include "zg-document.h"
#include "zg-phrases.h"
#include "zg-generator.h"
#include "zg-analyser.h"
