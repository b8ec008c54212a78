/* users.h — user accounts, roles and sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "zg-areas.h"
#include "zg-server.h"

G_BEGIN_DECLS

#define ZG_ROLE_ADMINISTRATOR_ID 1

typedef struct
{
  gint64     id;
  char      *email;
  char      *first_name;
  char      *last_name;
  char      *phone;
  gint64     role_id;
  char      *role_name;
  ZgAreaSet  role_areas;
  char      *password_hash;   /* NULL: invited, no password yet */
  gboolean   active;
  gboolean   locked;
  gint64     failed_logins;
  gint64     created_at;
  gint64     updated_at;
} ZgUser;

void        zg_user_free                (ZgUser       *user);
ZgUser     *zg_users_find_by_email      (ZgServer     *server,
                                         const char   *email,
                                         GError      **error);
ZgUser     *zg_users_find_by_id         (ZgServer     *server,
                                         gint64        user_id,
                                         GError      **error);
char       *zg_users_normalize_email    (const char   *email);
gboolean    zg_users_email_is_valid     (const char   *email);
JsonNode   *zg_user_to_json             (const ZgUser *user);

/* Creates a user; @password_hash NULL = invited (sets the password via registration). */
gint64      zg_users_create             (ZgServer     *server,
                                         const char   *email,
                                         const char   *first_name,
                                         const char   *last_name,
                                         const char   *phone,
                                         gint64        role_id,
                                         const char   *password_hash,
                                         GError      **error);
/* Sets the password hash, clears lockout and failed logins. */
gboolean    zg_users_set_password       (ZgServer     *server,
                                         gint64        user_id,
                                         const char   *password_hash,
                                         GError      **error);
gboolean    zg_users_set_active         (ZgServer     *server,
                                         gint64        user_id,
                                         gboolean      active,
                                         GError      **error);
gboolean    zg_users_unlock             (ZgServer     *server,
                                         gint64        user_id,
                                         GError      **error);
gint64      zg_users_count_active_admins (ZgServer    *server);
/* R-USER-3 with the configured policy and the user's own name/e-mail; empty = accepted. */
GPtrArray  *zg_users_check_password     (ZgServer     *server,
                                         const char   *password,
                                         const ZgUser *user_or_null);
gint64      zg_roles_find_by_name       (ZgServer     *server,
                                         const char   *name);

/* Sessions. Tokens are 256-bit random; only their SHA-256 is stored. */
char       *zg_sessions_create          (ZgServer     *server,
                                         gint64        user_id,
                                         const char   *ip,
                                         gint64       *out_session_id,
                                         GError      **error);
gboolean    zg_sessions_end             (ZgServer     *server,
                                         gint64        session_id);
/* Ends every session of the user (deactivation, password reset); returns how many. */
gint64      zg_sessions_end_all         (ZgServer     *server,
                                         gint64        user_id,
                                         const char   *reason);
/* Drops cached rights so that changed roles apply on the next request. */
void        zg_sessions_invalidate_cache (ZgServer    *server);

/* Called after a user was created through the API, in the server's main context.
 * helper "mail" hooks the registration e-mail (R-USER-1) in here. */
typedef void (*ZgUserCreatedFunc) (ZgServer   *server,
                                   gint64      user_id,
                                   const char *ip,
                                   gpointer    user_data);
void        zg_users_add_created_hook   (ZgServer          *server,
                                         ZgUserCreatedFunc  func,
                                         gpointer           user_data);

void        zg_auth_register_routes     (ZgServer     *server);
void        zg_users_register_routes    (ZgServer     *server);
void        zg_roles_register_routes    (ZgServer     *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgUser, zg_user_free)

G_END_DECLS
