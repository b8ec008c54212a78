/* zg-session.h — signing in to a Zeugnis server (widget-free)
 *
 * HTTPS through libsoup 3, asynchronous only. The server certificate is checked against the
 * system trust store; a certificate the system does not trust is accepted only when its
 * SHA-256 fingerprint was confirmed by the user before (zg-certificate-pins.h), and a
 * changed certificate for a confirmed host is refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ZG_SESSION_ERROR (zg_session_error_quark ())

typedef enum
{
  ZG_SESSION_ERROR_INVALID_ADDRESS,       /* not an https:// server address */
  ZG_SESSION_ERROR_INVALID_CREDENTIALS,   /* 401 invalid_credentials */
  ZG_SESSION_ERROR_ACCOUNT_LOCKED,        /* 423 account_locked (R-AUDIT-3) */
  ZG_SESSION_ERROR_RATE_LIMITED,          /* 429 rate_limited; see get_retry_after */
  ZG_SESSION_ERROR_EXPIRED,               /* 401 on an authenticated request */
  ZG_SESSION_ERROR_CERTIFICATE_UNTRUSTED, /* not trusted by the system, not confirmed yet */
  ZG_SESSION_ERROR_CERTIFICATE_CHANGED,   /* differs from the confirmed certificate */
  ZG_SESSION_ERROR_TLS,                   /* any other TLS failure */
  ZG_SESSION_ERROR_NETWORK,               /* server not reachable */
  ZG_SESSION_ERROR_SERVER,                /* unexpected answer */
  ZG_SESSION_ERROR_NOT_SIGNED_IN,
} ZgSessionError;

#define ZG_TYPE_SESSION (zg_session_get_type ())
G_DECLARE_FINAL_TYPE (ZgSession, zg_session, ZG, SESSION, GObject)

GQuark           zg_session_error_quark             (void);

ZgSession       *zg_session_new                     (const char           *server_address,
                                                     const char           *pins_path,
                                                     GError              **error);
const char      *zg_session_get_server_url          (ZgSession            *self);
const char      *zg_session_get_pin_key             (ZgSession            *self);
const char      *zg_session_get_pins_path          (ZgSession            *self);
const char      *zg_session_get_email               (ZgSession            *self);
const char      *zg_session_get_token               (ZgSession            *self);
JsonObject      *zg_session_get_user                (ZgSession            *self);
char            *zg_session_dup_display_name        (ZgSession            *self);
gboolean         zg_session_is_signed_in            (ZgSession            *self);
guint            zg_session_get_retry_after         (ZgSession            *self);

const char      *zg_session_get_presented_fingerprint (ZgSession          *self);
const char      *zg_session_get_pinned_fingerprint  (ZgSession            *self);
gboolean         zg_session_trust_certificate       (ZgSession            *self,
                                                     const char           *fingerprint,
                                                     GError              **error);
gboolean         zg_session_forget_certificate      (ZgSession            *self,
                                                     GError              **error);

void             zg_session_login_async             (ZgSession            *self,
                                                     const char           *email,
                                                     const char           *password,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean         zg_session_login_finish            (ZgSession            *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void             zg_session_resume_async            (ZgSession            *self,
                                                     const char           *email,
                                                     const char           *token,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean         zg_session_resume_finish           (ZgSession            *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void             zg_session_logout_async            (ZgSession            *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean         zg_session_logout_finish           (ZgSession            *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
