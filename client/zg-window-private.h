/* zg-window-private.h — the instance struct, shared by the files of this class
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-certificate-list.h"
#include "zg-sync-engine.h"
#include "zg-window.h"

G_BEGIN_DECLS

struct _ZgWindow
{
  AdwApplicationWindow  parent_instance;

  AdwWindowTitle       *window_title;
  GtkButton            *new_button;
  GtkBox               *status_box;
  GtkLabel             *status_label;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  ZgCertificateList    *certificate_list;
  AdwBin               *editor_bin;
  GtkActionBar         *sync_bar;
  GtkSpinner           *sync_spinner;
  GtkLabel             *sync_label;
  GtkLabel             *pending_label;
  GtkButton            *problems_button;
  GtkButton            *sync_button;

  GSettings            *settings;
  GCancellable         *cancellable;
  ZgSession            *session;
  ZgCache              *cache;
  ZgSyncEngine         *sync;
  GtkWidget            *editor;          /* the ZgEditor shown, or NULL */
  guint                 clock_source;    /* refreshes "synchronised 2 minutes ago" */
  gboolean              online;
};

G_END_DECLS
