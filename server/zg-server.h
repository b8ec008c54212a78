/* zg-server.h — the sync server: storage, settings, HTTP, clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define ZG_TYPE_SERVER (zg_server_get_type ())
G_DECLARE_FINAL_TYPE (ZgServer, zg_server, ZG, SERVER, GObject)

#define ZG_SERVER_ERROR (zg_server_error_quark ())
GQuark zg_server_error_quark (void);

typedef enum
{
  ZG_SERVER_ERROR_CONFIG,
  ZG_SERVER_ERROR_KEY,
  ZG_SERVER_ERROR_DATABASE,
  ZG_SERVER_ERROR_TLS,
  ZG_SERVER_ERROR_EXISTS,
} ZgServerError;

#define ZG_SERVER_CONFIG_NAME "zeugnis-server.conf"

typedef struct _ZgStorage ZgStorage;
typedef struct _ZgHttp ZgHttp;
typedef struct _ZgSettings ZgSettings;

void              zg_server_set_tls_policy    (void);
gboolean          zg_server_init_data_dir     (const char   *data_dir,
                                               const char   *key_file,
                                               gboolean      create_tls,
                                               GError      **error);

ZgServer         *zg_server_new               (const char   *data_dir,
                                               GError      **error);
gboolean          zg_server_listen            (ZgServer     *self,
                                               const char   *host,
                                               guint16       port,
                                               GTlsCertificate *certificate,
                                               guint16      *out_port,
                                               GError      **error);
GTlsCertificate  *zg_server_load_certificate  (ZgServer     *self,
                                               GError      **error);
void              zg_server_shutdown          (ZgServer     *self);

const char       *zg_server_get_data_dir      (ZgServer     *self);
GKeyFile         *zg_server_get_config        (ZgServer     *self);
const char       *zg_server_get_public_url    (ZgServer     *self);
char             *zg_server_get_listen        (ZgServer     *self);
ZgStorage        *zg_server_get_storage       (ZgServer     *self);
ZgSettings       *zg_server_get_settings      (ZgServer     *self);
ZgHttp           *zg_server_get_http          (ZgServer     *self);
SoupServer       *zg_server_get_soup_server   (ZgServer     *self);
GMainContext     *zg_server_get_context       (ZgServer     *self);

/* Seconds since the epoch as the server sees them; tests shift the clock. */
gint64            zg_server_now               (ZgServer     *self);
void              zg_server_set_clock_offset  (ZgServer     *self,
                                               gint64        offset_seconds);

/* Runs at start and hourly: audit-log retention, expired sessions, automatic deletion. */
void              zg_server_run_maintenance   (ZgServer     *self);

G_END_DECLS
