/* http.h — routes, area checks, JSON bodies and answers, security headers, rate limits
 *
 * Every request passes through one dispatcher: it matches the route table, sets the
 * security headers, enforces the body size limit, authenticates the caller and checks
 * the route's area with zg-areas (R-ROLE-2) before a handler runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "zg-areas.h"
#include "zg-server.h"

G_BEGIN_DECLS

#define ZG_HTTP_MAX_BODY_DEFAULT (64 * 1024)
#define ZG_HTTP_MAX_PUSH_BODY_DEFAULT (16 * 1024 * 1024)

typedef enum
{
  ZG_ROUTE_AUTHENTICATED = 0,       /* a valid session; plus the route's area if any */
  ZG_ROUTE_PUBLIC        = 1 << 0,  /* no session needed */
  ZG_ROUTE_JSON_BODY     = 1 << 1,  /* body must be a JSON object; parsed before the handler */
  ZG_ROUTE_FORM_BODY     = 1 << 2,  /* body is passed through unparsed (HTML forms) */
  ZG_ROUTE_LARGE_BODY    = 1 << 3,  /* body limit [limits] max_push_bytes, not max_body_bytes */
} ZgRouteFlags;

typedef struct _ZgRequest ZgRequest;

typedef void (*ZgRouteHandler) (ZgRequest *req,
                                gpointer   user_data);

typedef struct
{
  const char     *method;
  const char     *pattern;   /* "/api/v1/users/{id}/unlock" */
  ZgRouteFlags    flags;
  ZgArea          area;      /* 0 = any authenticated caller */
} ZgRouteInfo;

/* The authenticated caller of a request. */
typedef struct
{
  gint64     user_id;
  gint64     session_id;
  ZgAreaSet  areas;          /* effective: Administrator already expanded */
  const char *email;
} ZgSessionCaller;

ZgHttp        *zg_http_new              (ZgServer        *server);
void           zg_http_free             (ZgHttp          *self);
void           zg_http_attach           (ZgHttp          *self,
                                         SoupServer      *soup);

void           zg_http_add_route        (ZgServer        *server,
                                         const char      *method,
                                         const char      *pattern,
                                         ZgRouteFlags     flags,
                                         ZgArea           area,
                                         ZgRouteHandler   handler,
                                         gpointer         user_data);
guint          zg_http_sweep_connections (ZgServer      *server,
                                          guint          min_idle_seconds);
/* Copies of the route table (for tests that check every route). */
GArray        *zg_http_list_routes      (ZgServer        *server);

ZgRequest     *zg_request_ref           (ZgRequest       *req);
void           zg_request_unref         (ZgRequest       *req);
ZgServer      *zg_request_get_server    (ZgRequest       *req);
SoupServerMessage *zg_request_get_message (ZgRequest     *req);
const char    *zg_request_get_ip        (ZgRequest       *req);
const char    *zg_request_get_param     (ZgRequest       *req,
                                         const char      *name);
gboolean       zg_request_get_param_id  (ZgRequest       *req,
                                         const char      *name,
                                         gint64          *out_id);
const char    *zg_request_get_query     (ZgRequest       *req,
                                         const char      *name);
JsonObject    *zg_request_get_body      (ZgRequest       *req);
GBytes        *zg_request_get_raw_body  (ZgRequest       *req);
const ZgSessionCaller *zg_request_get_caller (ZgRequest   *req);

/* Answers; a handler that answers later keeps a ref and the message stays paused. */
void           zg_request_respond_json  (ZgRequest       *req,
                                         guint            status,
                                         JsonNode        *body);
void           zg_request_respond_object (ZgRequest      *req,
                                          guint           status,
                                          JsonObject     *body);
void           zg_request_respond_bytes (ZgRequest       *req,
                                         guint            status,
                                         const char      *content_type,
                                         GBytes          *body);
void           zg_request_respond_empty (ZgRequest       *req,
                                         guint            status);
void           zg_request_respond_error (ZgRequest       *req,
                                         guint            status,
                                         const char      *code,
                                         const char      *message);
void           zg_request_respond_html  (ZgRequest       *req,
                                         guint            status,
                                         const char      *html);
gboolean       zg_request_has_responded (ZgRequest       *req);

/* Body field helpers: on a wrong type they answer 400 and return FALSE. */
gboolean       zg_request_body_string   (ZgRequest       *req,
                                         const char      *member,
                                         gboolean         required,
                                         gsize            max_chars,
                                         const char     **out_value);
gboolean       zg_request_body_int      (ZgRequest       *req,
                                         const char      *member,
                                         gboolean         required,
                                         gint64          *out_value,
                                         gboolean        *out_present);

/* Per-IP token buckets; FALSE = over the limit (answer 429 with Retry-After). */
void           zg_rate_limit_configure  (ZgServer        *server,
                                         const char      *bucket,
                                         guint            burst,
                                         guint            per_minute);
gboolean       zg_rate_limit_allow      (ZgServer        *server,
                                         const char      *bucket,
                                         const char      *ip);
guint          zg_rate_limit_retry_after (ZgServer       *server,
                                          const char     *bucket,
                                          const char     *ip);
/* Checks the bucket and answers 429 `rate_limited` itself when over the limit. */
gboolean       zg_request_rate_limit    (ZgRequest       *req,
                                         const char      *bucket);

char          *zg_http_format_time      (gint64           unix_seconds);
gboolean       zg_http_parse_time       (const char      *text,
                                         gint64          *out_unix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgRequest, zg_request_unref)

G_END_DECLS
