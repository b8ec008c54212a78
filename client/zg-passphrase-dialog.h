/* zg-passphrase-dialog.h — unlocks (or creates) the offline cache with a passphrase when no
 * Secret Service holds its key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "zg-cache.h"

G_BEGIN_DECLS

#define ZG_TYPE_PASSPHRASE_DIALOG (zg_passphrase_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ZgPassphraseDialog, zg_passphrase_dialog, ZG, PASSPHRASE_DIALOG, AdwWindow)

ZgPassphraseDialog *zg_passphrase_dialog_new (GtkWindow  *parent,
                                              const char *cache_dir,
                                              const char *server_url,
                                              const char *user);

G_END_DECLS
