/* cache-test-utils.h — small helpers shared by the client cache tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "zg-cache.h"

G_BEGIN_DECLS

char     *cache_test_make_dir        (void);
void      cache_test_remove_dir      (const char    *dir);
gboolean  cache_test_file_contains   (const char    *path,
                                      const void    *needle,
                                      gsize          needle_len);
gboolean  cache_test_dir_contains    (const char    *dir,
                                      const char    *needle);
guint     cache_test_file_mode       (const char    *path);
int       cache_test_run_self        (const char    *self_path,
                                      const char    *argv1,
                                      const char    *argv2,
                                      const char    *argv3,
                                      int           *term_signal);

G_END_DECLS
