/* server-test-utils.h — in-process server fixture and HTTPS JSON client for server tests
 *
 * The server runs on the test's main context, listening on 127.0.0.1 port 0 with the
 * certificate from tests/data; requests are sent asynchronously and the main context is
 * iterated until the answer arrives, so server and client share one thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "audit.h"
#include "auth-password.h"
#include "http.h"
#include "settings.h"
#include "storage.h"
#include "users.h"
#include "zg-server.h"

G_BEGIN_DECLS

#define ZG_TEST_ADMIN_EMAIL    "admin@example.com"
#define ZG_TEST_ADMIN_PASSWORD "Verwaltung-Zeugnis-7"

typedef struct
{
  SoupSession     *session;
  char            *base_url;      /* https://127.0.0.1:PORT */
  GTlsCertificate *expected_cert; /* the only certificate accepted */
} ZgTestClient;

typedef struct
{
  guint               status;
  JsonNode           *body;       /* parsed JSON answer or NULL */
  char               *text;       /* raw answer body */
  SoupMessageHeaders *headers;
} ZgTestResponse;

typedef struct
{
  char         *tmp_dir;
  char         *data_dir;
  ZgServer     *server;
  guint16       port;
  ZgTestClient *client;
  gint64        admin_id;
  char         *admin_token;
} ZgTestServer;

ZgTestClient   *zg_test_client_new         (const char      *base_url,
                                            GTlsCertificate *expected_cert);
void            zg_test_client_free        (ZgTestClient    *client);
ZgTestResponse *zg_test_client_request     (ZgTestClient    *client,
                                            const char      *method,
                                            const char      *path,
                                            const char      *token,
                                            const char      *content_type,
                                            const void      *body,
                                            gsize            body_len);

ZgTestServer   *zg_test_server_new         (void);
void            zg_test_server_free        (ZgTestServer    *ts);
ZgTestResponse *zg_test_request            (ZgTestServer    *ts,
                                            const char      *method,
                                            const char      *path,
                                            const char      *token,
                                            const char      *json_body);
ZgTestResponse *zg_test_request_raw        (ZgTestServer    *ts,
                                            const char      *method,
                                            const char      *path,
                                            const char      *token,
                                            const char      *content_type,
                                            const void      *body,
                                            gsize            body_len);
char           *zg_test_login              (ZgTestServer    *ts,
                                            const char      *email,
                                            const char      *password);
gint64          zg_test_create_user        (ZgTestServer    *ts,
                                            const char      *email,
                                            const char      *password,
                                            gint64           role_id);
gint64          zg_test_create_role        (ZgTestServer    *ts,
                                            const char      *name,
                                            ZgAreaSet        areas);
void            zg_test_response_free      (ZgTestResponse  *resp);
const char     *zg_test_response_error     (ZgTestResponse  *resp);
JsonObject     *zg_test_response_object    (ZgTestResponse  *resp);
gint64          zg_test_count_audit        (ZgTestServer    *ts,
                                            const char      *action);
char           *zg_test_build_filename     (const char      *name);
void            zg_test_spin               (guint            ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgTestResponse, zg_test_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgTestServer, zg_test_server_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgTestClient, zg_test_client_free)

G_END_DECLS
