/* zg-cache-reset-dialog-private.h — the instance structs of the dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-cache-reset-dialog.h"

G_BEGIN_DECLS

struct _ZgCacheResetDialog
{
  AdwWindow     parent_instance;

  GtkLabel     *title_label;
  GtkLabel     *explanation_label;
  GtkLabel     *detail_label;
  GtkLabel     *error_label;
  GtkLabel     *saved_label;
  GtkLabel     *saved_path_label;
  GtkSpinner   *spinner;
  GtkButton    *cancel_button;
  GtkButton    *reset_button;
  GtkButton    *close_button;

  GCancellable *cancellable;
  char         *cache_dir;
  char         *server_url;
  char         *user;
  ZgCache      *cache;
  char         *saved_path;
  gboolean      busy;
  gboolean      done;
};

G_END_DECLS
