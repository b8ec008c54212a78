/* zg-editor.h — one certificate in the four process steps (Daten · Werdegang · Bewertung ·
 * Ergebnis, R-DATA-3) with live preview, variant switching and the analyser's warnings
 *
 * Reads the certificate from the cache; every edit goes through zg_cache_local_edit() (cache +
 * outbox in one transaction) and then zg_sync_engine_local_change().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "zg-cache.h"
#include "zg-sync-engine.h"

G_BEGIN_DECLS

typedef enum
{
  ZG_EDITOR_STEP_DATEN,
  ZG_EDITOR_STEP_WERDEGANG,
  ZG_EDITOR_STEP_BEWERTUNG,
  ZG_EDITOR_STEP_ERGEBNIS,
} ZgEditorStep;

#define ZG_TYPE_EDITOR (zg_editor_get_type ())
G_DECLARE_FINAL_TYPE (ZgEditor, zg_editor, ZG, EDITOR, AdwBin)

/* Signals:
 *   "close-requested": the user pressed Back (or the certificate was deleted or purged).
 *   "deleted": the user deleted the certificate (after confirmation).
 * sync may be NULL (tests, offline tools); user is the signed-in user's /me object (or NULL)
 * and decides e.g. whether "private" may be set.
 */
GtkWidget    *zg_editor_new                   (ZgCache        *cache,
                                               ZgSyncEngine   *sync,
                                               JsonObject     *user,
                                               const char     *certificate_id);
const char   *zg_editor_get_certificate_id    (ZgEditor       *self);
void          zg_editor_set_step              (ZgEditor       *self,
                                               ZgEditorStep    step);
ZgEditorStep  zg_editor_get_step              (ZgEditor       *self);
/* Re-read the certificate after a pull changed it (keeps the user's position). */
void          zg_editor_reload                (ZgEditor       *self);

/* Writes the letter as shown in the preview (generated or hand-edited) as a PDF. */
gboolean      zg_editor_export_pdf            (ZgEditor       *self,
                                               const char     *path,
                                               GError        **error);
/* For tests and the benchmark: the body text the preview shows, and how many analyser
 * findings (warnings) are listed. */
const char   *zg_editor_get_preview_text      (ZgEditor       *self);
guint         zg_editor_get_n_findings        (ZgEditor       *self);

G_END_DECLS
