/* mail-maildir.h — demo delivery: mails as files in a Maildir (no SMTP configured)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  zg_maildir_deliver  (const char  *maildir,
                               GBytes      *message,
                               char       **out_path,
                               GError     **error);

G_END_DECLS
