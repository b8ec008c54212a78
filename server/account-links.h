/* account-links.h — single-use e-mailed links: registration (R-USER-1), password reset (R-USER-4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-server.h"

G_BEGIN_DECLS

#define ZG_REGISTRATION_TTL_SECONDS   (72 * 60 * 60)
#define ZG_PASSWORD_RESET_TTL_SECONDS (60 * 60)

#define ZG_ACCOUNT_LINK_PATH "/account/set-password"

typedef enum
{
  ZG_ACCOUNT_LINK_REGISTRATION,
  ZG_ACCOUNT_LINK_PASSWORD_RESET,
} ZgAccountLinkPurpose;

void      zg_account_links_init               (ZgServer             *server);
gboolean  zg_account_links_send_registration  (ZgServer             *server,
                                               gint64                user_id,
                                               GError              **error);
gboolean  zg_account_links_send_password_reset (ZgServer            *server,
                                                gint64               user_id,
                                                GError             **error);
gint64    zg_account_links_purge              (ZgServer             *server);

G_END_DECLS
