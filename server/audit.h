/* audit.h — the central security log (R-AUDIT-1, R-AUDIT-2, R-AUDIT-4, R-AUDIT-5)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-server.h"

G_BEGIN_DECLS

/* Action ids stored in the log (stable; documented in docs/api.md). */
#define ZG_AUDIT_LOGIN_SUCCESS            "login_success"
#define ZG_AUDIT_LOGIN_FAILED             "login_failed"
#define ZG_AUDIT_ACCOUNT_LOCKED           "account_locked"
#define ZG_AUDIT_ACCOUNT_UNLOCKED         "account_unlocked"
#define ZG_AUDIT_LOGOUT                   "logout"
#define ZG_AUDIT_USER_CREATED             "user_created"
#define ZG_AUDIT_USER_UPDATED             "user_updated"
#define ZG_AUDIT_USER_DEACTIVATED         "user_deactivated"
#define ZG_AUDIT_USER_REACTIVATED         "user_reactivated"
#define ZG_AUDIT_ROLE_CREATED             "role_created"
#define ZG_AUDIT_ROLE_UPDATED             "role_updated"
#define ZG_AUDIT_ROLE_DELETED             "role_deleted"
#define ZG_AUDIT_SETTINGS_CHANGED         "settings_changed"
#define ZG_AUDIT_PASSWORD_RESET_REQUESTED "password_reset_requested"
#define ZG_AUDIT_PASSWORD_RESET           "password_reset"
#define ZG_AUDIT_REGISTRATION_COMPLETED   "registration_completed"
#define ZG_AUDIT_AUDIT_PURGED             "audit_purged"

void     zg_audit_log    (ZgServer   *server,
                          gint64      user_id_or_0,
                          const char *email_or_null,
                          const char *ip,
                          const char *action,
                          const char *detail_or_null);
gint64   zg_audit_purge  (ZgServer   *server);
void     zg_audit_register_routes (ZgServer *server);

G_END_DECLS
