/* zg-window-private.h — the instance struct, shared by the files of this class
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-window.h"

G_BEGIN_DECLS

struct _ZgWindow
{
  AdwApplicationWindow  parent_instance;

  AdwWindowTitle       *window_title;
  GtkBox               *status_box;
  GtkLabel             *status_label;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;

  GSettings            *settings;
  GCancellable         *cancellable;
  ZgSession            *session;
  ZgCache              *cache;
  gboolean              online;
};

G_END_DECLS
