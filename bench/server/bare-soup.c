/* bare-soup.c — the baseline for bench-http.sh: a libsoup 3 HTTPS server that answers every
 * GET with the same bytes, so that zeugnis-server's overhead over libsoup itself is visible.
 *
 * usage: bare-soup --cert CERT.pem --key KEY.pem --body FILE [--port PORT]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <libsoup/soup.h>

typedef struct
{
  GBytes *body;
} BareServer;

static void
serve_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  BareServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (g_strcmp0 (soup_server_message_get_method (msg), "GET") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  /* The same headers zeugnis-server sends on API answers, so both pay for them. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Strict-Transport-Security", "max-age=31536000");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (self->body, NULL),
                                    g_bytes_get_size (self->body));
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *body_file = NULL;
  int port = 0;
  GOptionEntry entries[] = {
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_file, "TLS certificate (PEM)", "FILE" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "TLS private key (PEM)", "FILE" },
    { "body", 0, 0, G_OPTION_ARG_FILENAME, &body_file, "Bytes to answer with", "FILE" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: any)", "PORT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- bare libsoup HTTPS baseline");
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSList) listeners = NULL;
  g_autofree char *body = NULL;
  gsize body_len = 0;
  BareServer self = { NULL };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bare-soup: %s\n", error->message);
      return 2;
    }
  if (cert_file == NULL || key_file == NULL || body_file == NULL || port < 0 || port > 65535)
    {
      g_printerr ("bare-soup: --cert, --key and --body are required\n");
      return 2;
    }
  if (!g_file_get_contents (body_file, &body, &body_len, &error))
    {
      g_printerr ("bare-soup: %s\n", error->message);
      return 1;
    }
  self.body = g_bytes_new_take (g_steal_pointer (&body), body_len);

  cert = g_tls_certificate_new_from_files (cert_file, key_file, &error);
  if (cert == NULL)
    {
      g_printerr ("bare-soup: %s\n", error->message);
      g_bytes_unref (self.body);
      return 1;
    }

  server = soup_server_new ("tls-certificate", cert, NULL);
  soup_server_add_handler (server, NULL, serve_cb, &self, NULL);

  address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  socket_address = g_inet_socket_address_new (address, (guint16) port);
  if (!soup_server_listen (server, socket_address, SOUP_SERVER_LISTEN_HTTPS, &error))
    {
      g_printerr ("bare-soup: %s\n", error->message);
      g_bytes_unref (self.body);
      return 1;
    }

  /* Not soup_server_get_uris (): it leaks the local addresses in libsoup 3.2. */
  listeners = soup_server_get_listeners (server);
  for (GSList *l = listeners; l != NULL; l = l->next)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (l->data, NULL);

      if (G_IS_INET_SOCKET_ADDRESS (local))
        g_print ("bare-soup: listening on https://127.0.0.1:%u/\n",
                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  soup_server_disconnect (server);
  g_bytes_unref (self.body);
  return 0;
}
