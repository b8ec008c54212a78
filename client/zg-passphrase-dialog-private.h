/* zg-passphrase-dialog-private.h — the instance struct, shared by the files of this class
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-passphrase-dialog.h"

G_BEGIN_DECLS

struct _ZgPassphraseDialog
{
  AdwWindow     parent_instance;

  GtkLabel     *explanation_label;
  GtkLabel     *error_label;
  AdwEntryRow  *passphrase_row;
  AdwEntryRow  *confirm_row;
  GtkButton    *unlock_button;
  GtkSpinner   *spinner;

  GCancellable *cancellable;
  char         *cache_dir;
  char         *server_url;
  char         *user;
  gboolean      creating;
  gboolean      finished;
};

G_END_DECLS
