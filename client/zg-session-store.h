/* zg-session-store.h — the session token in the Secret Service (libsecret)
 *
 * Schema de.zeugnis.Session, attributes server and user (both normalised). The token never
 * touches the disk in plain text; with no Secret Service the calls fail and the caller keeps
 * the session in memory only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      zg_session_store_save_async    (const char           *server_url,
                                          const char           *user,
                                          const char           *token,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  zg_session_store_save_finish   (GAsyncResult         *result,
                                          GError              **error);
void      zg_session_store_lookup_async  (const char           *server_url,
                                          const char           *user,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
char     *zg_session_store_lookup_finish (GAsyncResult         *result,
                                          GError              **error);
void      zg_session_store_clear_async   (const char           *server_url,
                                          const char           *user,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean  zg_session_store_clear_finish  (GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS
