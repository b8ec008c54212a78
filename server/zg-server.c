/* zg-server.c — the sync server: storage, settings, HTTP, clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <openssl/crypto.h>

#include "account-links.h"
#include "api-sync.h"
#include "audit.h"
#include "http.h"
#include "mail-outbox.h"
#include "records-retention.h"
#include "records-store.h"
#include "settings.h"
#include "storage.h"
#include "users.h"
#include "zeugnis-server-resources.h"
#include "zg-server-private.h"

#define MAINTENANCE_INTERVAL_SECONDS (60 * 60)

G_DEFINE_FINAL_TYPE (ZgServer, zg_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (zg-server-error-quark, zg_server_error)

/* glib-networking uses GnuTLS: allow TLS 1.2 and 1.3 only. Must run before the first TLS
 * connection of the process; an administrator's own G_TLS_GNUTLS_PRIORITY wins. */
void
zg_server_set_tls_policy (void)
{
  if (g_getenv ("G_TLS_GNUTLS_PRIORITY") == NULL)
    g_setenv ("G_TLS_GNUTLS_PRIORITY", "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2", FALSE);
}

static char *
config_path_get (ZgServer   *self,
                 const char *group,
                 const char *key,
                 const char *fallback)
{
  g_autofree char *value = g_key_file_get_string (self->config, group, key, NULL);

  if (value == NULL || *value == '\0')
    {
      g_free (value);
      value = g_strdup (fallback);
    }
  if (value == NULL)
    return NULL;
  if (g_path_is_absolute (value))
    return g_steal_pointer (&value);
  return g_build_filename (self->data_dir, value, NULL);
}

static gint64
config_int (ZgServer   *self,
            const char *group,
            const char *key,
            gint64      fallback)
{
  g_autoptr(GError) error = NULL;
  gint64 v = g_key_file_get_int64 (self->config, group, key, &error);

  return error != NULL ? fallback : v;
}

static gboolean
maintenance_cb (gpointer user_data)
{
  zg_server_run_maintenance (ZG_SERVER (user_data));
  return G_SOURCE_CONTINUE;
}

static void
zg_server_dispose (GObject *object)
{
  ZgServer *self = ZG_SERVER (object);

  zg_server_shutdown (self);
  _zg_password_shutdown (self);

  G_OBJECT_CLASS (zg_server_parent_class)->dispose (object);
}

static void
zg_server_finalize (GObject *object)
{
  ZgServer *self = ZG_SERVER (object);

  g_clear_pointer (&self->http, zg_http_free);
  g_clear_pointer (&self->settings, zg_settings_free);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->me_cache, g_hash_table_unref);
  g_clear_pointer (&self->storage, zg_storage_free);
  g_clear_pointer (&self->config, g_key_file_unref);
  g_clear_pointer (&self->user_created_hooks, g_array_unref);
  g_clear_pointer (&self->common_passwords, zg_common_passwords_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->data_dir);
  g_free (self->config_path);
  g_free (self->public_url);

  G_OBJECT_CLASS (zg_server_parent_class)->finalize (object);
}

static void
zg_server_class_init (ZgServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = zg_server_dispose;
  object_class->finalize = zg_server_finalize;
}

static void
zg_server_init (ZgServer *self)
{
  self->context = g_main_context_ref_thread_default ();
}

/* Referencing the resource keeps it (and its constructor) linked from the static library. */
void
_zg_server_ensure_resources (void)
{
  /* The generated constructor registers it once the object file is linked. */
  (void) zg_server_get_resource ();
}

static gboolean
load_common_passwords (ZgServer  *self,
                       GError   **error)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/org/zeugnis/server/common-passwords.txt",
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, error);

  if (bytes == NULL)
    return FALSE;
  self->common_passwords = zg_common_passwords_new_from_data (g_bytes_get_data (bytes, NULL),
                                                              g_bytes_get_size (bytes));
  return TRUE;
}

/* Opens the data dir made by zg_server_init_data_dir(): config, key, database. The server
 * belongs to the thread-default main context of the caller. */
ZgServer *
zg_server_new (const char  *data_dir,
               GError     **error)
{
  g_autoptr(ZgServer) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *key_path = NULL;
  guint8 key[32];

  g_return_val_if_fail (data_dir != NULL, NULL);

  _zg_server_ensure_resources ();
  self = g_object_new (ZG_TYPE_SERVER, NULL);
  self->data_dir = g_canonicalize_filename (data_dir, NULL);
  self->config_path = g_build_filename (self->data_dir, ZG_SERVER_CONFIG_NAME, NULL);
  self->config = g_key_file_new ();

  if (!g_key_file_load_from_file (self->config, self->config_path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_CONFIG, "cannot read %s: %s",
                   self->config_path, local_error->message);
      return NULL;
    }

  self->public_url = g_key_file_get_string (self->config, "server", "public_url", NULL);
  if (self->public_url == NULL)
    self->public_url = g_strdup ("https://localhost:8443");
  while (g_str_has_suffix (self->public_url, "/"))
    self->public_url[strlen (self->public_url) - 1] = '\0';

  db_path = config_path_get (self, "database", "path", "zeugnis.db");
  key_path = config_path_get (self, "database", "key_file", "zeugnis.key");

  if (!zg_storage_read_key_file (key_path, key, error))
    return NULL;
  self->storage = zg_storage_open (db_path, key, FALSE, error);
  OPENSSL_cleanse (key, sizeof key);
  if (self->storage == NULL)
    return NULL;

  self->settings = zg_settings_new (self->storage, error);
  if (self->settings == NULL)
    return NULL;
  if (!load_common_passwords (self, error))
    return NULL;

  self->user_created_hooks = g_array_new (FALSE, FALSE, sizeof (gpointer) * 2);
  _zg_sessions_init (self);
  _zg_password_init (self);

  self->soup = soup_server_new ("server-header", "Zeugnis", NULL);
  self->http = zg_http_new (self);
  zg_rate_limit_configure (self, "auth",
                           (guint) CLAMP (config_int (self, "limits", "auth_burst", 10), 1, 100000),
                           (guint) CLAMP (config_int (self, "limits", "auth_per_minute", 10),
                                          1, 1000000));

  zg_auth_register_routes (self);
  zg_users_register_routes (self);
  zg_roles_register_routes (self);
  zg_audit_register_routes (self);
  zg_settings_register_routes (self);

  /* feature modules register here */
  zg_sync_register_routes (self);
  if (!zg_mail_init (self, error))
    return NULL;
  zg_account_links_init (self);

  zg_http_attach (self->http, self->soup);

  zg_server_run_maintenance (self);
  self->maintenance_source = g_timeout_source_new_seconds (MAINTENANCE_INTERVAL_SECONDS);
  g_source_set_callback (self->maintenance_source, maintenance_cb, self, NULL);
  g_source_set_name (self->maintenance_source, "[zeugnis] maintenance");
  g_source_attach (self->maintenance_source, self->context);

  return g_steal_pointer (&self);
}

GTlsCertificate *
zg_server_load_certificate (ZgServer  *self,
                            GError   **error)
{
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *cert;

  g_return_val_if_fail (ZG_IS_SERVER (self), NULL);

  cert_path = config_path_get (self, "tls", "certificate", "tls/server.crt");
  key_path = config_path_get (self, "tls", "key", "tls/server.key");
  cert = g_tls_certificate_new_from_files (cert_path, key_path, &local_error);
  if (cert == NULL)
    g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_TLS, "cannot load TLS certificate %s: %s",
                 cert_path, local_error->message);
  return cert;
}

/* Listens with HTTPS only on @host:@port (0 = any free port, reported in @out_port). */
gboolean
zg_server_listen (ZgServer         *self,
                  const char       *host,
                  guint16           port,
                  GTlsCertificate  *certificate,
                  guint16          *out_port,
                  GError          **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;
  GSList *listeners;

  g_return_val_if_fail (ZG_IS_SERVER (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), FALSE);

  if (g_strcmp0 (host, "localhost") == 0)
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_CONFIG,
                   "cannot listen on %s: not an IP address", host);
      return FALSE;
    }
  address = g_inet_socket_address_new (inet, port);

  g_object_set (self->soup, "tls-certificate", certificate, NULL);
  if (!soup_server_listen (self->soup, address, SOUP_SERVER_LISTEN_HTTPS, &local_error))
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_CONFIG, "cannot listen on %s:%u: %s",
                   host, port, local_error->message);
      return FALSE;
    }

  /* Read the bound port from the listening socket (port 0 = chosen by the kernel). */
  listeners = soup_server_get_listeners (self->soup);
  if (out_port != NULL)
    {
      *out_port = port;
      for (GSList *l = listeners; l != NULL; l = l->next)
        {
          g_autoptr(GSocketAddress) local = g_socket_get_local_address (l->data, NULL);

          if (G_IS_INET_SOCKET_ADDRESS (local))
            *out_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
        }
    }
  g_slist_free (listeners);
  return TRUE;
}

void
zg_server_shutdown (ZgServer *self)
{
  g_return_if_fail (ZG_IS_SERVER (self));

  if (self->maintenance_source != NULL)
    {
      g_source_destroy (self->maintenance_source);
      g_clear_pointer (&self->maintenance_source, g_source_unref);
    }
  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
}

/* At start and hourly: R-AUDIT-4 retention, expired sessions, automatic deletion of
 * records (R-DEL-2, R-DEL-4), trimming of the sync removals and answered mutations. */
void
zg_server_run_maintenance (ZgServer *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ZG_IS_SERVER (self));

  zg_audit_purge (self);
  _zg_sessions_purge_expired (self);
  if (!zg_records_run_retention (self, NULL, &error))
    g_warning ("automatic deletion: %s", error->message);
  g_clear_error (&error);
  if (!zg_records_trim (self, NULL, NULL, &error))
    g_warning ("sync trimming: %s", error->message);
}

const char *
zg_server_get_data_dir (ZgServer *self)
{
  g_return_val_if_fail (ZG_IS_SERVER (self), NULL);
  return self->data_dir;
}

GKeyFile *
zg_server_get_config (ZgServer *self)
{
  g_return_val_if_fail (ZG_IS_SERVER (self), NULL);
  return self->config;
}

const char *
zg_server_get_public_url (ZgServer *self)
{
  g_return_val_if_fail (ZG_IS_SERVER (self), NULL);
  return self->public_url;
}

/* The configured listen address ("127.0.0.1:8443"). */
char *
zg_server_get_listen (ZgServer *self)
{
  char *listen;

  g_return_val_if_fail (ZG_IS_SERVER (self), NULL);

  listen = g_key_file_get_string (self->config, "server", "listen", NULL);
  return listen != NULL ? listen : g_strdup ("127.0.0.1:8443");
}

ZgStorage *
zg_server_get_storage (ZgServer *self)
{
  g_return_val_if_fail (ZG_IS_SERVER (self), NULL);
  return self->storage;
}

ZgSettings *
zg_server_get_settings (ZgServer *self)
{
  g_return_val_if_fail (ZG_IS_SERVER (self), NULL);
  return self->settings;
}

ZgHttp *
zg_server_get_http (ZgServer *self)
{
  g_return_val_if_fail (ZG_IS_SERVER (self), NULL);
  return self->http;
}

SoupServer *
zg_server_get_soup_server (ZgServer *self)
{
  g_return_val_if_fail (ZG_IS_SERVER (self), NULL);
  return self->soup;
}

GMainContext *
zg_server_get_context (ZgServer *self)
{
  g_return_val_if_fail (ZG_IS_SERVER (self), NULL);
  return self->context;
}

ZgCommonPasswords *
_zg_server_get_common_passwords (ZgServer *self)
{
  return self->common_passwords;
}

gint64
zg_server_now (ZgServer *self)
{
  g_return_val_if_fail (ZG_IS_SERVER (self), 0);
  return g_get_real_time () / G_USEC_PER_SEC + self->clock_offset;
}

void
zg_server_set_clock_offset (ZgServer *self,
                            gint64    offset_seconds)
{
  g_return_if_fail (ZG_IS_SERVER (self));
  self->clock_offset = offset_seconds;
}
