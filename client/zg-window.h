/* zg-window.h — the main window: sign-in state, online/offline status, the certificate list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "zg-cache.h"
#include "zg-session.h"

G_BEGIN_DECLS

#define ZG_TYPE_WINDOW (zg_window_get_type ())
G_DECLARE_FINAL_TYPE (ZgWindow, zg_window, ZG, WINDOW, AdwApplicationWindow)

ZgWindow  *zg_window_new         (GtkApplication *application);
void       zg_window_start       (ZgWindow       *self);
ZgSession *zg_window_get_session (ZgWindow       *self);
ZgCache   *zg_window_get_cache   (ZgWindow       *self);
gboolean   zg_window_get_online  (ZgWindow       *self);
void       zg_window_add_toast   (ZgWindow       *self,
                                  const char     *message);

G_END_DECLS
