/* zg-login-dialog-private.h — the instance struct, shared by the files of this class
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-login-dialog.h"

G_BEGIN_DECLS

struct _ZgLoginDialog
{
  AdwWindow     parent_instance;

  GtkStack     *stack;
  GtkLabel     *error_label;
  AdwEntryRow  *server_row;
  AdwEntryRow  *email_row;
  AdwEntryRow  *password_row;
  GtkButton    *sign_in_button;
  GtkSpinner   *spinner;
  GtkImage     *certificate_icon;
  GtkLabel     *certificate_title;
  GtkLabel     *certificate_message;
  GtkLabel     *fingerprint_caption;
  GtkLabel     *fingerprint_label;
  GtkLabel     *pinned_caption;
  GtkLabel     *pinned_label;
  GtkButton    *certificate_back_button;
  GtkButton    *trust_button;
  GtkButton    *forget_button;

  ZgSession    *session;
  GCancellable *cancellable;
  char         *fingerprint_to_confirm;
  gboolean      busy;
};

G_END_DECLS
