/* zg-problems-dialog.h — sync conflicts (both values, the user chooses) and rejected changes
 * (reason, dismiss), from the cache's outbox
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "zg-cache.h"
#include "zg-sync-engine.h"

G_BEGIN_DECLS

#define ZG_TYPE_PROBLEMS_DIALOG (zg_problems_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ZgProblemsDialog, zg_problems_dialog, ZG, PROBLEMS_DIALOG, AdwWindow)

ZgProblemsDialog *zg_problems_dialog_new (GtkWindow    *parent,
                                          ZgCache      *cache,
                                          ZgSyncEngine *sync);
guint             zg_problems_dialog_count (ZgProblemsDialog *self);

/* Readable texts, also for other views (newly allocated): a field path of a mutation
 * ("daten.zeugnisdaten.position" -> "Position") and a rejection reason code as a sentence. */
char             *zg_problems_field_label  (const char   *entity,
                                            const char   *field);
char             *zg_problems_reason_text  (const char   *reason);

G_END_DECLS
