/* zg-cache-reset-dialog.h — the offline data cannot be opened (damaged file or wrong key):
 * explain it and offer a reset with a fresh download; edits are saved to a file first
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "zg-cache.h"

G_BEGIN_DECLS

#define ZG_TYPE_CACHE_RESET_DIALOG (zg_cache_reset_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ZgCacheResetDialog, zg_cache_reset_dialog, ZG, CACHE_RESET_DIALOG,
                      AdwWindow)

/* @cache_dir: the base folder of the caches (NULL = zg_cache_default_dir ()).
 * @cache: the open cache when the user asked for a reset of a readable cache (its pending
 *   edits are exported first), or NULL when it could not be opened (the file is set aside).
 * @open_error: why it could not be opened (ZG_CACHE_ERROR_CORRUPT, _WRONG_KEY …), or NULL.
 * Signals:
 *   "reset-done" (ZgCache *new_cache, const char *saved_path): the old cache is gone (or set
 *     aside); new_cache is the fresh, empty cache (the caller takes a reference and starts a
 *     full sync), or NULL when it needs a passphrase — then the caller opens it the usual
 *     way. saved_path is the export of pending edits or the set-aside file, or NULL.
 *   "cancelled": nothing was changed. */
ZgCacheResetDialog *zg_cache_reset_dialog_new (GtkWindow    *parent,
                                               const char   *cache_dir,
                                               const char   *server_url,
                                               const char   *user,
                                               ZgCache      *cache,
                                               const GError *open_error);

G_END_DECLS
