/* test-session-utils.h — helpers shared by the client session and UI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char    *zg_session_test_openssl_fingerprint (const char  *cert_path);
gboolean zg_session_test_make_certificate    (const char  *dir,
                                              char       **out_cert,
                                              char       **out_key);
void     zg_session_test_wait                (const gboolean *done);
gboolean zg_session_test_tree_contains       (const char  *dir,
                                              const char  *needle);
void     zg_session_test_remove_tree         (const char  *path);

G_END_DECLS
