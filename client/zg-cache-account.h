/* zg-cache-account.h — open (or create) the offline cache of one server and user
 *
 * Finds the file, reads its header, gets the key from the keyring or derives it from the
 * passphrase, and opens it; "reset" prepares a clean resync without dropping pending edits.
 * The _async variants run on a worker thread so the UI never blocks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-cache.h"

G_BEGIN_DECLS

ZgCache  *zg_cache_open_for_account          (const char           *base_dir,
                                              const char           *server_url,
                                              const char           *user,
                                              const char           *passphrase,
                                              GCancellable         *cancellable,
                                              GError              **error);
void      zg_cache_open_for_account_async    (const char           *base_dir,
                                              const char           *server_url,
                                              const char           *user,
                                              const char           *passphrase,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
ZgCache  *zg_cache_open_for_account_finish   (GAsyncResult         *result,
                                              GError              **error);

gboolean  zg_cache_reset_for_account         (const char           *base_dir,
                                              const char           *server_url,
                                              const char           *user,
                                              ZgCache              *cache,
                                              char                **saved_path,
                                              GCancellable         *cancellable,
                                              GError              **error);
void      zg_cache_reset_for_account_async   (const char           *base_dir,
                                              const char           *server_url,
                                              const char           *user,
                                              ZgCache              *cache,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean  zg_cache_reset_for_account_finish  (GAsyncResult         *result,
                                              char                **saved_path,
                                              GError              **error);

G_END_DECLS
