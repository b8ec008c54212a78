/* zg-server-private.h — the server instance, shared by the modules in server/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "http.h"
#include "zg-password-policy.h"
#include "zg-server.h"

G_BEGIN_DECLS

struct _ZgServer
{
  GObject            parent_instance;

  char              *data_dir;
  char              *config_path;
  GKeyFile          *config;
  char              *public_url;

  ZgStorage         *storage;
  ZgSettings        *settings;
  ZgHttp            *http;
  SoupServer        *soup;
  GMainContext      *context;
  GSource           *maintenance_source;

  gint64             clock_offset;

  /* auth-password.c */
  GThreadPool       *hash_pool;
  char              *dummy_hash;
  ZgCommonPasswords *common_passwords;

  /* users.c: token hash -> cached session */
  GHashTable        *sessions;
  GHashTable        *me_cache;          /* user id -> GBytes of GET /api/v1/me */
  GArray            *user_created_hooks;
};

void        _zg_server_ensure_resources (void);
void        _zg_password_init      (ZgServer *self);
void        _zg_password_shutdown  (ZgServer *self);
void        _zg_sessions_init      (ZgServer *self);
gint64      _zg_sessions_purge_expired (ZgServer *self);
/* Authenticates a bearer token; fills @caller (strings owned by the cache) or returns FALSE. */
gboolean    _zg_sessions_lookup    (ZgServer        *self,
                                    const char      *token,
                                    ZgSessionCaller *out_caller);
void        _zg_users_emit_created (ZgServer   *self,
                                    gint64      user_id,
                                    const char *ip);
ZgCommonPasswords *_zg_server_get_common_passwords (ZgServer *self);

G_END_DECLS
