/* zg-problems-dialog-private.h — the instance structs of the dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-problems-dialog.h"

G_BEGIN_DECLS

struct _ZgProblemsDialog
{
  AdwWindow     parent_instance;

  GtkLabel     *error_label;
  GtkStack     *stack;
  GtkWidget    *conflicts_box;
  GtkListBox   *conflicts_list;
  GtkWidget    *rejected_box;
  GtkListBox   *rejected_list;

  ZgCache      *cache;
  ZgSyncEngine *sync;
};

G_END_DECLS
