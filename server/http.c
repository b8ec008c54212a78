/* http.c — routes, area checks, JSON bodies and answers, security headers, rate limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <poll.h>
#include <string.h>

#include "http.h"
#include "zg-server-private.h"

#define MAX_JSON_DEPTH 32
#define MAX_PATH_PARAMS 4
#define CONN_SWEEP_SECONDS 15
#define CONN_IDLE_SECONDS  30

typedef struct
{
  ZgRouteInfo     info;
  char          **segments;
  ZgRouteHandler  handler;
  gpointer        user_data;
} Route;

typedef struct
{
  guint burst;
  guint per_minute;
} BucketConfig;

typedef struct
{
  double tokens;
  gint64 updated_us;
} Bucket;

struct _ZgHttp
{
  ZgServer   *server;          /* unowned: the server owns us */
  GPtrArray  *routes;
  GHashTable *bucket_configs;  /* name -> BucketConfig */
  GHashTable *buckets;         /* "name|ip" -> Bucket */
  gsize       max_body;
  gsize       max_large_body;  /* routes with ZG_ROUTE_LARGE_BODY */
  GHashTable *conns;           /* GSocket -> Conn, see zg_http_sweep_connections() */
  GSource    *sweep_source;
};

typedef struct
{
  GSocket *socket;
  gint64   last_used_us;
} Conn;

struct _ZgRequest
{
  gatomicrefcount    ref_count;
  ZgServer          *server;
  SoupServerMessage *msg;
  const Route       *route;
  char              *ip;
  const char        *param_names[MAX_PATH_PARAMS];
  char              *param_values[MAX_PATH_PARAMS];
  guint              n_params;
  GHashTable        *query;
  JsonParser        *parser;
  JsonObject        *body;
  GBytes            *raw_body;
  ZgSessionCaller    caller;
  char              *caller_email;
  gboolean           has_caller;
  gboolean           responded;
  gboolean           paused;
};

static void
route_free (gpointer data)
{
  Route *route = data;

  g_strfreev (route->segments);
  g_free ((char *) route->info.method);
  g_free ((char *) route->info.pattern);
  g_free (route);
}

static void
conn_free (gpointer data)
{
  Conn *conn = data;

  g_object_unref (conn->socket);
  g_free (conn);
}

ZgHttp *
zg_http_new (ZgServer *server)
{
  ZgHttp *self = g_new0 (ZgHttp, 1);
  g_autoptr(GError) error = NULL;
  gint64 max_body;
  gint64 max_large_body;

  self->server = server;
  self->routes = g_ptr_array_new_with_free_func (route_free);
  self->bucket_configs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->conns = g_hash_table_new_full (NULL, NULL, NULL, conn_free);
  max_body = g_key_file_get_int64 (zg_server_get_config (server), "limits", "max_body_bytes",
                                   &error);
  self->max_body = error != NULL || max_body <= 0 ? ZG_HTTP_MAX_BODY_DEFAULT : (gsize) max_body;
  g_clear_error (&error);
  max_large_body = g_key_file_get_int64 (zg_server_get_config (server), "limits",
                                         "max_push_bytes", &error);
  self->max_large_body = error != NULL || max_large_body <= 0
                         ? ZG_HTTP_MAX_PUSH_BODY_DEFAULT : (gsize) max_large_body;
  /* The general limit never shrinks the push limit below itself. */
  self->max_large_body = MAX (self->max_large_body, self->max_body);
  return self;
}

void
zg_http_free (ZgHttp *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->routes);
  g_hash_table_unref (self->bucket_configs);
  g_hash_table_unref (self->buckets);
  if (self->sweep_source != NULL)
    {
      g_source_destroy (self->sweep_source);
      g_source_unref (self->sweep_source);
    }
  g_hash_table_unref (self->conns);
  g_free (self);
}

void
zg_http_add_route (ZgServer       *server,
                   const char     *method,
                   const char     *pattern,
                   ZgRouteFlags    flags,
                   ZgArea          area,
                   ZgRouteHandler  handler,
                   gpointer        user_data)
{
  ZgHttp *self;
  Route *route;

  g_return_if_fail (ZG_IS_SERVER (server));
  g_return_if_fail (method != NULL && pattern != NULL && pattern[0] == '/');
  g_return_if_fail (handler != NULL);
  g_return_if_fail (!((flags & ZG_ROUTE_PUBLIC) && area != 0));

  self = zg_server_get_http (server);
  route = g_new0 (Route, 1);
  route->info.method = g_strdup (method);
  route->info.pattern = g_strdup (pattern);
  route->info.flags = flags;
  route->info.area = area;
  route->segments = g_strsplit (pattern + 1, "/", -1);
  route->handler = handler;
  route->user_data = user_data;
  g_ptr_array_add (self->routes, route);
}

GArray *
zg_http_list_routes (ZgServer *server)
{
  ZgHttp *self;
  GArray *out;

  g_return_val_if_fail (ZG_IS_SERVER (server), NULL);

  self = zg_server_get_http (server);
  out = g_array_sized_new (FALSE, FALSE, sizeof (ZgRouteInfo), self->routes->len);
  for (guint i = 0; i < self->routes->len; i++)
    {
      const Route *route = g_ptr_array_index (self->routes, i);

      g_array_append_val (out, route->info);
    }
  return out;
}

/* ---- requests ----------------------------------------------------------- */

ZgRequest *
zg_request_ref (ZgRequest *req)
{
  g_return_val_if_fail (req != NULL, NULL);
  g_atomic_ref_count_inc (&req->ref_count);
  return req;
}

void
zg_request_unref (ZgRequest *req)
{
  g_return_if_fail (req != NULL);

  if (!g_atomic_ref_count_dec (&req->ref_count))
    return;
  if (req->paused && !req->responded)
    zg_request_respond_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                              "The request was not answered.");
  for (guint i = 0; i < req->n_params; i++)
    g_free (req->param_values[i]);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_object (&req->parser);
  g_clear_pointer (&req->raw_body, g_bytes_unref);
  g_free (req->caller_email);
  g_free (req->ip);
  g_clear_object (&req->msg);
  g_clear_object (&req->server);
  g_free (req);
}

ZgServer *
zg_request_get_server (ZgRequest *req)
{
  return req->server;
}

SoupServerMessage *
zg_request_get_message (ZgRequest *req)
{
  return req->msg;
}

const char *
zg_request_get_ip (ZgRequest *req)
{
  return req->ip;
}

const char *
zg_request_get_param (ZgRequest  *req,
                      const char *name)
{
  g_return_val_if_fail (req != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < req->n_params; i++)
    {
      const char *pat = req->param_names[i];   /* "{name}" */
      gsize len = strlen (name);

      if (strlen (pat) == len + 2 && strncmp (pat + 1, name, len) == 0)
        return req->param_values[i];
    }
  return NULL;
}

/* A positive decimal id from the path; answers 404 itself when it is not one. */
gboolean
zg_request_get_param_id (ZgRequest  *req,
                         const char *name,
                         gint64     *out_id)
{
  const char *text = zg_request_get_param (req, name);
  guint64 v = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &v, NULL))
    {
      zg_request_respond_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such resource.");
      return FALSE;
    }
  *out_id = (gint64) v;
  return TRUE;
}

const char *
zg_request_get_query (ZgRequest  *req,
                      const char *name)
{
  g_return_val_if_fail (req != NULL, NULL);
  return req->query != NULL ? g_hash_table_lookup (req->query, name) : NULL;
}

JsonObject *
zg_request_get_body (ZgRequest *req)
{
  g_return_val_if_fail (req != NULL, NULL);
  return req->body;
}

GBytes *
zg_request_get_raw_body (ZgRequest *req)
{
  g_return_val_if_fail (req != NULL, NULL);
  return req->raw_body;
}

const ZgSessionCaller *
zg_request_get_caller (ZgRequest *req)
{
  g_return_val_if_fail (req != NULL, NULL);
  return req->has_caller ? &req->caller : NULL;
}

gboolean
zg_request_has_responded (ZgRequest *req)
{
  return req->responded;
}

static void
set_security_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (h, "Strict-Transport-Security",
                                "max-age=31536000; includeSubDomains");
  soup_message_headers_replace (h, "Cache-Control", "no-store");
  soup_message_headers_replace (h, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (h, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (h, "X-Frame-Options", "DENY");
  soup_message_headers_replace (h, "Cross-Origin-Resource-Policy", "same-origin");
  soup_message_headers_replace (h, "Content-Security-Policy",
                                "default-src 'none'; frame-ancestors 'none'");
}

static void
finish_response (ZgRequest *req)
{
  req->responded = TRUE;
  if (req->paused)
    {
      req->paused = FALSE;
      soup_server_message_unpause (req->msg);
    }
}

void
zg_request_respond_bytes (ZgRequest  *req,
                          guint       status,
                          const char *content_type,
                          GBytes     *body)
{
  g_return_if_fail (req != NULL);
  g_return_if_fail (!req->responded);

  soup_server_message_set_status (req->msg, status, NULL);
  if (body != NULL)
    {
      /* The bytes are shared, not copied: a pull page is megabytes. */
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                    "Content-Type", content_type);
      soup_message_body_truncate (soup_server_message_get_response_body (req->msg));
      soup_message_body_append_bytes (soup_server_message_get_response_body (req->msg), body);
    }
  finish_response (req);
}

void
zg_request_respond_json (ZgRequest *req,
                         guint      status,
                         JsonNode  *body)
{
  g_autoptr(JsonGenerator) gen = NULL;
  gsize len = 0;
  char *data;

  g_return_if_fail (req != NULL);
  g_return_if_fail (body != NULL);
  g_return_if_fail (!req->responded);

  gen = json_generator_new ();
  json_generator_set_root (gen, body);
  data = json_generator_to_data (gen, &len);
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, "application/json", SOUP_MEMORY_TAKE, data, len);
  finish_response (req);
}

void
zg_request_respond_object (ZgRequest  *req,
                           guint       status,
                           JsonObject *body)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, body);
  zg_request_respond_json (req, status, node);
}

void
zg_request_respond_empty (ZgRequest *req,
                          guint      status)
{
  g_return_if_fail (req != NULL);
  g_return_if_fail (!req->responded);

  soup_server_message_set_status (req->msg, status, NULL);
  finish_response (req);
}

static char *
error_json (const char *code,
            const char *message,
            gsize      *out_len)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, out_len);
}

static void
set_error_on_message (SoupServerMessage *msg,
                      guint              status,
                      const char        *code,
                      const char        *message)
{
  gsize len = 0;
  char *data = error_json (code, message, &len);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, data, len);
}

void
zg_request_respond_error (ZgRequest  *req,
                          guint       status,
                          const char *code,
                          const char *message)
{
  g_return_if_fail (req != NULL);
  g_return_if_fail (code != NULL && message != NULL);
  g_return_if_fail (!req->responded);

  set_error_on_message (req->msg, status, code, message);
  finish_response (req);
}

/* Server-rendered pages get a CSP that allows their own styles and forms only. */
void
zg_request_respond_html (ZgRequest  *req,
                         guint       status,
                         const char *html)
{
  SoupMessageHeaders *h;

  g_return_if_fail (req != NULL);
  g_return_if_fail (html != NULL);
  g_return_if_fail (!req->responded);

  h = soup_server_message_get_response_headers (req->msg);
  soup_message_headers_replace (h, "Content-Security-Policy",
                                "default-src 'none'; style-src 'self'; img-src 'self'; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    html, strlen (html));
  finish_response (req);
}

gboolean
zg_request_body_string (ZgRequest   *req,
                        const char  *member,
                        gboolean     required,
                        gsize        max_chars,
                        const char **out_value)
{
  JsonNode *node;

  *out_value = NULL;
  node = req->body != NULL ? json_object_get_member (req->body, member) : NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_autofree char *msg = g_strdup_printf ("Field '%s' is required.", member);

          zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", msg);
          return FALSE;
        }
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      g_utf8_strlen (json_node_get_string (node), -1) > (glong) max_chars)
    {
      g_autofree char *msg = g_strdup_printf ("Field '%s' must be a string of at most %"
                                              G_GSIZE_FORMAT " characters.", member, max_chars);

      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", msg);
      return FALSE;
    }
  *out_value = json_node_get_string (node);
  return TRUE;
}

gboolean
zg_request_body_int (ZgRequest  *req,
                     const char *member,
                     gboolean    required,
                     gint64     *out_value,
                     gboolean   *out_present)
{
  JsonNode *node = req->body != NULL ? json_object_get_member (req->body, member) : NULL;

  if (out_present != NULL)
    *out_present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_autofree char *msg = g_strdup_printf ("Field '%s' is required.", member);

          zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", msg);
          return FALSE;
        }
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_autofree char *msg = g_strdup_printf ("Field '%s' must be an integer.", member);

      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_request", msg);
      return FALSE;
    }
  *out_value = json_node_get_int (node);
  if (out_present != NULL)
    *out_present = TRUE;
  return TRUE;
}

/* ---- rate limits -------------------------------------------------------- */

void
zg_rate_limit_configure (ZgServer   *server,
                         const char *bucket,
                         guint       burst,
                         guint       per_minute)
{
  ZgHttp *self;
  BucketConfig *config;

  g_return_if_fail (ZG_IS_SERVER (server));
  g_return_if_fail (bucket != NULL);
  g_return_if_fail (burst > 0 && per_minute > 0);

  self = zg_server_get_http (server);
  config = g_new0 (BucketConfig, 1);
  config->burst = burst;
  config->per_minute = per_minute;
  g_hash_table_replace (self->bucket_configs, g_strdup (bucket), config);
  g_hash_table_remove_all (self->buckets);
}

static Bucket *
get_bucket (ZgHttp              *self,
            const BucketConfig  *config,
            const char          *bucket,
            const char          *ip)
{
  g_autofree char *key = g_strconcat (bucket, "|", ip != NULL ? ip : "-", NULL);
  gint64 now = g_get_monotonic_time ();
  Bucket *b = g_hash_table_lookup (self->buckets, key);

  if (b == NULL)
    {
      /* Bound the table: drop buckets idle long enough to be full again. */
      if (g_hash_table_size (self->buckets) > 100000)
        g_hash_table_remove_all (self->buckets);
      b = g_new0 (Bucket, 1);
      b->tokens = config->burst;
      b->updated_us = now;
      g_hash_table_insert (self->buckets, g_steal_pointer (&key), b);
      return b;
    }
  b->tokens = MIN ((double) config->burst,
                   b->tokens + (double) (now - b->updated_us) * config->per_minute / 60e6);
  b->updated_us = now;
  return b;
}

gboolean
zg_rate_limit_allow (ZgServer   *server,
                     const char *bucket,
                     const char *ip)
{
  ZgHttp *self;
  const BucketConfig *config;
  Bucket *b;

  g_return_val_if_fail (ZG_IS_SERVER (server), FALSE);
  g_return_val_if_fail (bucket != NULL, FALSE);

  self = zg_server_get_http (server);
  config = g_hash_table_lookup (self->bucket_configs, bucket);
  if (config == NULL)
    return TRUE;
  b = get_bucket (self, config, bucket, ip);
  if (b->tokens < 1.0)
    return FALSE;
  b->tokens -= 1.0;
  return TRUE;
}

guint
zg_rate_limit_retry_after (ZgServer   *server,
                           const char *bucket,
                           const char *ip)
{
  ZgHttp *self;
  const BucketConfig *config;
  Bucket *b;

  g_return_val_if_fail (ZG_IS_SERVER (server), 1);

  self = zg_server_get_http (server);
  config = g_hash_table_lookup (self->bucket_configs, bucket);
  if (config == NULL)
    return 0;
  b = get_bucket (self, config, bucket, ip);
  if (b->tokens >= 1.0)
    return 0;
  return (guint) MAX (1.0, ceil ((1.0 - b->tokens) * 60.0 / config->per_minute));
}

gboolean
zg_request_rate_limit (ZgRequest  *req,
                       const char *bucket)
{
  g_autofree char *retry = NULL;

  if (zg_rate_limit_allow (req->server, bucket, req->ip))
    return TRUE;
  retry = g_strdup_printf ("%u", zg_rate_limit_retry_after (req->server, bucket, req->ip));
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "Retry-After", retry);
  zg_request_respond_error (req, 429, "rate_limited",
                            "Too many requests; try again later.");
  return FALSE;
}

/* ---- time ---------------------------------------------------------------- */

char *
zg_http_format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

/* Accepts ISO 8601 (UTC unless it says otherwise) or seconds since the epoch. */
gboolean
zg_http_parse_time (const char *text,
                    gint64     *out_unix)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = NULL;
  gint64 v = 0;

  g_return_val_if_fail (out_unix != NULL, FALSE);

  if (text == NULL || *text == '\0')
    return FALSE;
  if (g_ascii_string_to_signed (text, 10, 0, G_MAXINT64 / 2, &v, NULL))
    {
      *out_unix = v;
      return TRUE;
    }
  utc = g_time_zone_new_utc ();
  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    {
      g_autofree char *with_time = g_strconcat (text, "T00:00:00", NULL);

      dt = g_date_time_new_from_iso8601 (with_time, utc);
    }
  if (dt == NULL)
    return FALSE;
  *out_unix = g_date_time_to_unix (dt);
  return TRUE;
}

/* ---- connections ---------------------------------------------------------- */

/* libsoup 3.2 (Debian 12) never closes a keep-alive connection that the client closes while
 * it is idle (fixed upstream in 3.3): its file descriptor would stay open for the life of the
 * process until accept() fails. We remember the socket of every request and close sockets
 * whose peer has hung up and that have been idle for a while. */
static void
track_connection (ZgHttp            *self,
                  SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  Conn *conn;

  if (socket == NULL)
    return;
  conn = g_hash_table_lookup (self->conns, socket);
  if (conn == NULL)
    {
      conn = g_new0 (Conn, 1);
      conn->socket = g_object_ref (socket);
      g_hash_table_insert (self->conns, socket, conn);
    }
  conn->last_used_us = g_get_monotonic_time ();
}

static gboolean
peer_hung_up (GSocket *socket)
{
  struct pollfd pfd = { g_socket_get_fd (socket), POLLRDHUP, 0 };

  if (poll (&pfd, 1, 0) < 0)
    return FALSE;
  return (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

/* Closes connections whose client has gone and that were idle for @min_idle_seconds; forgets
 * connections libsoup closed itself. Returns how many sockets were closed here. */
guint
zg_http_sweep_connections (ZgServer *server,
                           guint     min_idle_seconds)
{
  ZgHttp *self;
  GHashTableIter iter;
  gpointer value;
  gint64 now = g_get_monotonic_time ();
  guint closed = 0;

  g_return_val_if_fail (ZG_IS_SERVER (server), 0);

  self = zg_server_get_http (server);
  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Conn *conn = value;

      if (g_socket_is_closed (conn->socket))
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }
      if (now - conn->last_used_us < (gint64) min_idle_seconds * G_USEC_PER_SEC ||
          !peer_hung_up (conn->socket))
        continue;
      if (!g_socket_close (conn->socket, NULL))
        g_debug ("Cannot close an abandoned connection");
      g_hash_table_iter_remove (&iter);
      closed++;
    }
  return closed;
}

static gboolean
sweep_cb (gpointer user_data)
{
  ZgHttp *self = user_data;

  zg_http_sweep_connections (self->server, CONN_IDLE_SECONDS);
  return G_SOURCE_CONTINUE;
}

/* ---- dispatch ----------------------------------------------------------- */

static gboolean
match_route (const Route *route,
             char       **path_segments,
             ZgRequest   *req)
{
  guint n = g_strv_length (route->segments);

  if (g_strv_length (path_segments) != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const char *pat = route->segments[i];

      if (pat[0] == '{')
        continue;
      if (strcmp (pat, path_segments[i]) != 0)
        return FALSE;
    }
  if (req == NULL)
    return TRUE;
  for (guint i = 0; i < n && req->n_params < MAX_PATH_PARAMS; i++)
    {
      const char *pat = route->segments[i];

      if (pat[0] != '{')
        continue;
      req->param_names[req->n_params] = pat;
      req->param_values[req->n_params] = g_uri_unescape_string (path_segments[i], "/");
      if (req->param_values[req->n_params] == NULL)
        req->param_values[req->n_params] = g_strdup ("");
      req->n_params++;
    }
  return TRUE;
}

/* json-glib parses recursively; refuse deep nesting before it can exhaust the stack. */
static gboolean
json_depth_ok (const char *data,
               gsize       len)
{
  int depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if (c == '}' || c == ']')
        depth--;
    }
  return TRUE;
}

static gboolean
read_json_body (ZgRequest *req)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  SoupMessageHeaders *h = soup_server_message_get_request_headers (req->msg);
  g_autoptr(GError) error = NULL;
  const char *content_type = soup_message_headers_get_content_type (h, NULL);
  JsonNode *root;
  gsize len;
  const char *data;

  req->raw_body = soup_message_body_flatten (body);
  data = g_bytes_get_data (req->raw_body, &len);

  if (content_type == NULL || g_ascii_strcasecmp (content_type, "application/json") != 0)
    {
      zg_request_respond_error (req, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                                "The body must be application/json.");
      return FALSE;
    }
  if (len == 0 || data == NULL)
    {
      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_json",
                                "The body must be a JSON object.");
      return FALSE;
    }
  if (!g_utf8_validate (data, (gssize) len, NULL) || memchr (data, '\0', len) != NULL)
    {
      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_json",
                                "The body is not valid UTF-8 text.");
      return FALSE;
    }
  if (!json_depth_ok (data, len))
    {
      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_json",
                                "The JSON body is nested too deeply.");
      return FALSE;
    }
  req->parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (req->parser, data, (gssize) len, &error))
    {
      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_json",
                                "The body is not valid JSON.");
      return FALSE;
    }
  root = json_parser_get_root (req->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_json",
                                "The body must be a JSON object.");
      return FALSE;
    }
  req->body = json_node_get_object (root);
  return TRUE;
}

static gboolean
authenticate (ZgRequest *req)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (req->msg);
  const char *auth = soup_message_headers_get_one (h, "Authorization");

  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    {
      const char *token = auth + 7;

      while (*token == ' ')
        token++;
      if (*token != '\0' && strlen (token) <= 128 &&
          _zg_sessions_lookup (req->server, token, &req->caller))
        {
          /* The cache may drop its entry while the request is paused. */
          req->caller_email = g_strdup (req->caller.email);
          req->caller.email = req->caller_email;
          req->has_caller = TRUE;
          return TRUE;
        }
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                "WWW-Authenticate", "Bearer");
  zg_request_respond_error (req, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                            "A valid session is required.");
  return FALSE;
}

static void
handle_cb (SoupServer        *soup,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  ZgHttp *self = user_data;
  g_autoptr(ZgRequest) req = NULL;
  g_auto(GStrv) segments = NULL;
  const char *method = soup_server_message_get_method (msg);
  const Route *route = NULL;
  gboolean path_known = FALSE;

  set_security_headers (msg);
  track_connection (self, msg);

  segments = g_strsplit (path[0] == '/' ? path + 1 : path, "/", -1);
  for (guint i = 0; i < self->routes->len; i++)
    {
      const Route *r = g_ptr_array_index (self->routes, i);

      if (!match_route (r, segments, NULL))
        continue;
      path_known = TRUE;
      if (strcmp (r->info.method, method) == 0)
        {
          route = r;
          break;
        }
    }
  if (route == NULL)
    {
      if (path_known)
        set_error_on_message (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                              "This method is not allowed here.");
      else
        set_error_on_message (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such resource.");
      return;
    }

  req = g_new0 (ZgRequest, 1);
  g_atomic_ref_count_init (&req->ref_count);
  req->server = g_object_ref (self->server);
  req->msg = g_object_ref (msg);
  req->route = route;
  req->ip = g_strdup (soup_server_message_get_remote_host (msg));
  req->query = query != NULL ? g_hash_table_ref (query) : NULL;
  match_route (route, segments, req);

  if (!(route->info.flags & ZG_ROUTE_PUBLIC))
    {
      if (!authenticate (req))
        return;
      /* R-ROLE-2: the one place where every route's area is enforced. */
      if (!zg_area_set_grants (req->caller.areas, route->info.area))
        {
          zg_request_respond_error (req, SOUP_STATUS_FORBIDDEN, "forbidden",
                                    "Your role does not include this area.");
          return;
        }
    }

  if (route->info.flags & ZG_ROUTE_JSON_BODY)
    {
      if (!read_json_body (req))
        return;
    }
  else if (route->info.flags & ZG_ROUTE_FORM_BODY)
    {
      req->raw_body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
    }

  route->handler (req, route->user_data);

  if (!req->responded)
    {
      req->paused = TRUE;
      soup_server_message_pause (msg);
    }
}

/* Bodies over the limit are answered 413 and not kept in memory. */
static void
reject_oversized (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
  if (soup_server_message_get_status (msg) == 0)
    {
      set_security_headers (msg);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      set_error_on_message (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                            "The request body is too large.");
    }
}

/* The body limit of the route that a request will reach (known from the headers). */
static gsize
body_limit_for (ZgHttp     *self,
                const char *method,
                const char *path)
{
  g_auto(GStrv) segments = g_strsplit (path[0] == '/' ? path + 1 : path, "/", -1);

  for (guint i = 0; i < self->routes->len; i++)
    {
      const Route *r = g_ptr_array_index (self->routes, i);

      if (strcmp (r->info.method, method) == 0 && match_route (r, segments, NULL))
        return (r->info.flags & ZG_ROUTE_LARGE_BODY) ? self->max_large_body : self->max_body;
    }
  return self->max_body;
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  gsize limit = GPOINTER_TO_SIZE (user_data);

  if (soup_server_message_get_status (msg) == 0 && body->length > (goffset) limit)
    reject_oversized (msg);
}

/* Runs once the headers are read, before the body: a declared length over the route's limit
 * is answered 413 at once, and a chunked body (no length) is counted while it arrives. */
static void
early_cb (SoupServer        *soup,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  ZgHttp *self = user_data;
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  gsize limit = body_limit_for (self, soup_server_message_get_method (msg), path);

  switch (soup_message_headers_get_encoding (h))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if (soup_message_headers_get_content_length (h) > (goffset) limit)
        reject_oversized (msg);
      break;
    case SOUP_ENCODING_CHUNKED:
    case SOUP_ENCODING_EOF:
      g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), GSIZE_TO_POINTER (limit));
      break;
    case SOUP_ENCODING_UNRECOGNIZED:
    case SOUP_ENCODING_NONE:
    case SOUP_ENCODING_BYTERANGES:
    default:
      break;
    }
}

void
zg_http_attach (ZgHttp     *self,
                SoupServer *soup)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (SOUP_IS_SERVER (soup));

  soup_server_add_early_handler (soup, NULL, early_cb, self, NULL);
  soup_server_add_handler (soup, NULL, handle_cb, self, NULL);

  self->sweep_source = g_timeout_source_new_seconds (CONN_SWEEP_SECONDS);
  g_source_set_callback (self->sweep_source, sweep_cb, self, NULL);
  g_source_set_name (self->sweep_source, "[zeugnis] connection sweep");
  g_source_attach (self->sweep_source, zg_server_get_context (self->server));
}
