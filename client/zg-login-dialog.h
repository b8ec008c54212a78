/* zg-login-dialog.h — server address, e-mail and password; certificate confirmation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "zg-session.h"

G_BEGIN_DECLS

#define ZG_TYPE_LOGIN_DIALOG (zg_login_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ZgLoginDialog, zg_login_dialog, ZG, LOGIN_DIALOG, AdwWindow)

ZgLoginDialog *zg_login_dialog_new         (GtkWindow     *parent,
                                            const char    *server_address,
                                            const char    *email);
void           zg_login_dialog_show_error  (ZgLoginDialog *self,
                                            const char    *message);

G_END_DECLS
