/* zg-session.c — signing in to a Zeugnis server (widget-free)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "zg-cache.h"
#include "zg-certificate-pins.h"
#include "zg-session.h"
#include "zg-session-private.h"

typedef enum
{
  REQUEST_LOGIN,
  REQUEST_ME,
  REQUEST_LOGOUT,
} RequestKind;

G_DEFINE_FINAL_TYPE (ZgSession, zg_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SIGNED_IN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GQuark
zg_session_error_quark (void)
{
  return g_quark_from_static_string ("zg-session-error-quark");
}

#define REQUEST_TIMEOUT_SECONDS 30
#define MAX_ANSWER_BYTES (1024 * 1024)

/* Letters, digits, dots, hyphens and (IPv6) colons: what DNS names and IP addresses use. */
static gboolean
host_is_plausible (const char *host)
{
  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != ':')
        return FALSE;
    }
  return TRUE;
}

ZgSession *
zg_session_new (const char  *server_address,
                const char  *pins_path,
                GError     **error)
{
  g_autoptr(ZgSession) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *with_scheme = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (server_address != NULL, NULL);

  trimmed = g_strstrip (g_strdup (server_address));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_INVALID_ADDRESS,
                           _("Enter the address of your Zeugnis server."));
      return NULL;
    }
  /* People type "zeugnis.example.org"; the scheme can only be https. */
  if (strstr (trimmed, "://") == NULL)
    with_scheme = g_strconcat ("https://", trimmed, NULL);
  else
    with_scheme = g_strdup (trimmed);

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0
      || (*g_uri_get_path (uri) != '\0' && strcmp (g_uri_get_path (uri), "/") != 0)
      || g_uri_get_query (uri) != NULL || g_uri_get_userinfo (uri) != NULL
      || !host_is_plausible (g_uri_get_host (uri)))
    {
      g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_INVALID_ADDRESS,
                   _("“%s” is not a valid server address. Use an address like "
                     "zeugnis.example.org or https://zeugnis.example.org:8443."), trimmed);
      return NULL;
    }
  if (!zg_cache_normalize_account (with_scheme, "user", &normalized, NULL, NULL))
    {
      g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_INVALID_ADDRESS,
                   _("“%s” is not a valid server address."), trimmed);
      return NULL;
    }

  self = g_object_new (ZG_TYPE_SESSION, NULL);
  self->server_url = g_steal_pointer (&normalized);
  self->pin_key = zg_certificate_pins_key_for_uri (uri);
  self->pins_path = pins_path != NULL ? g_strdup (pins_path) : zg_certificate_pins_default_path ();
  return g_steal_pointer (&self);
}

/* Only reached when the system trust store refused the certificate. Reads nothing but the pin
 * file, so background workers (zg-sync-engine.c) call it on their own thread. */
CertOutcome
_zg_session_check_certificate (const char       *pins_path,
                               const char       *pin_key,
                               GTlsCertificate  *certificate,
                               char            **out_presented,
                               char            **out_pinned)
{
  g_autofree char *fingerprint = zg_certificate_fingerprint (certificate);
  g_autofree char *pinned = NULL;
  g_autoptr(GError) error = NULL;
  CertOutcome outcome;

  pinned = zg_certificate_pins_lookup (pins_path, pin_key, &error);
  if (error != NULL)
    {
      g_warning ("Could not read the confirmed certificates: %s", error->message);
      outcome = CERT_PINS_BROKEN;
    }
  else if (pinned == NULL)
    outcome = CERT_UNTRUSTED;
  /* Fingerprints are public; a plain comparison leaks nothing. Expired or wrong-host
   * certificates the user confirmed stay accepted: the pin is the trust decision. */
  else if (fingerprint != NULL && g_ascii_strcasecmp (fingerprint, pinned) == 0)
    outcome = CERT_PINNED;
  else
    outcome = CERT_CHANGED;

  if (out_presented != NULL)
    *out_presented = g_steal_pointer (&fingerprint);
  if (out_pinned != NULL)
    *out_pinned = g_steal_pointer (&pinned);
  return outcome;
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  ZgSession *self = user_data;
  g_autofree char *presented = NULL;
  g_autofree char *pinned = NULL;
  CertOutcome outcome;

  outcome = _zg_session_check_certificate (self->pins_path, self->pin_key, certificate,
                                           &presented, &pinned);
  g_clear_pointer (&self->presented_fingerprint, g_free);
  self->presented_fingerprint = g_steal_pointer (&presented);
  self->cert_outcome = outcome;
  if (outcome == CERT_PINS_BROKEN)
    return FALSE;
  g_clear_pointer (&self->pinned_fingerprint, g_free);
  self->pinned_fingerprint = g_steal_pointer (&pinned);
  return outcome == CERT_PINNED;
}

static void
set_error_from_transport (ZgSession *self,
                          GError    *transport_error,
                          GError   **error)
{
  if (g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_error_copy (transport_error));
      return;
    }

  switch (self->cert_outcome)
    {
    case CERT_UNTRUSTED:
      g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_CERTIFICATE_UNTRUSTED,
                   _("The certificate of %s is not trusted by this computer. Compare its "
                     "fingerprint with the one your administrator gave you before you "
                     "confirm it."), self->pin_key);
      return;
    case CERT_CHANGED:
      g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_CERTIFICATE_CHANGED,
                   _("The server %s presented a different certificate than the one you "
                     "confirmed. Someone may be intercepting the connection, so Zeugnis did "
                     "not connect. Ask your administrator whether the certificate was "
                     "replaced."), self->pin_key);
      return;
    case CERT_PINS_BROKEN:
      g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_TLS,
                   _("The list of confirmed certificates could not be read, so the "
                     "certificate of %s could not be checked."), self->pin_key);
      return;
    case CERT_NOT_ASKED:
    case CERT_PINNED:
    default:
      break;
    }

  if (transport_error->domain == G_TLS_ERROR)
    g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_TLS,
                 _("No secure connection to %s could be established: %s"), self->pin_key,
                 transport_error->message);
  else
    g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_NETWORK,
                 _("The server %s could not be reached. Check the address and your network "
                   "connection. (%s)"), self->pin_key, transport_error->message);
}

/* A string member, or NULL for a missing member or one of another type (the answer comes
 * from the network: no criticals for a malformed one). */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
answer_error_code (JsonObject *answer)
{
  return string_member (answer, "error");
}

static void
set_error_from_answer (ZgSession   *self,
                       RequestKind  kind,
                       SoupMessage *msg,
                       JsonObject  *answer,
                       GError     **error)
{
  guint status = soup_message_get_status (msg);
  const char *code = answer_error_code (answer);

  if (g_strcmp0 (code, "invalid_credentials") == 0)
    {
      g_set_error_literal (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_INVALID_CREDENTIALS,
                           _("The e-mail address or the password is wrong. After five failed "
                             "attempts in a row the account is locked."));
    }
  else if (g_strcmp0 (code, "account_locked") == 0 || status == SOUP_STATUS_LOCKED)
    {
      g_set_error_literal (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_ACCOUNT_LOCKED,
                           _("This account is locked after too many failed sign-in attempts. "
                             "An administrator can unlock it."));
    }
  else if (g_strcmp0 (code, "rate_limited") == 0 || status == 429)
    {
      const char *header = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                         "Retry-After");
      guint64 seconds = 60;

      if (header != NULL && !g_ascii_string_to_unsigned (header, 10, 0, 86400, &seconds, NULL))
        seconds = 60;
      self->retry_after = (guint) MAX (seconds, 1);
      if (self->retry_after < 120)
        g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_RATE_LIMITED,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "Too many sign-in attempts from this computer. Try again in "
                                  "%u second.",
                                  "Too many sign-in attempts from this computer. Try again in "
                                  "%u seconds.", self->retry_after), self->retry_after);
      else
        {
          guint minutes = (self->retry_after + 59) / 60;

          g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_RATE_LIMITED,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "Too many sign-in attempts from this computer. Try again "
                                    "in %u minute.",
                                    "Too many sign-in attempts from this computer. Try again "
                                    "in %u minutes.", minutes), minutes);
        }
    }
  else if (status == SOUP_STATUS_UNAUTHORIZED && kind != REQUEST_LOGIN)
    {
      g_set_error_literal (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_EXPIRED,
                           _("Your session has ended. Please sign in again."));
    }
  else
    {
      const char *message = NULL;

      message = string_member (answer, "message");
      g_set_error (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_SERVER,
                   _("The server answered with an error (%u %s). Is this the address of a "
                     "Zeugnis server?"), status, message != NULL ? message
                                                                 : soup_status_get_phrase (status));
    }
}

static void
set_signed_in (ZgSession  *self,
               const char *token,
               JsonObject *user)
{
  gboolean was = zg_session_is_signed_in (self);

  if (token != self->token)
    {
      g_clear_pointer (&self->token, g_free);
      self->token = g_strdup (token);
    }
  g_clear_pointer (&self->user, json_object_unref);
  self->user = user != NULL ? json_object_ref (user) : NULL;
  if (was != zg_session_is_signed_in (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

static void
request_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ZgSession *self = g_task_get_source_object (task);
  SoupMessage *msg = g_object_get_data (G_OBJECT (task), "zg-message");
  RequestKind kind = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) transport_error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *answer = NULL;
  GError *error = NULL;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &transport_error);
  if (bytes == NULL)
    {
      set_error_from_transport (self, transport_error, &error);
      g_task_return_error (task, error);
      return;
    }

  status = soup_message_get_status (msg);
  if (g_bytes_get_size (bytes) > 0 && g_bytes_get_size (bytes) <= MAX_ANSWER_BYTES)
    {
      parser = json_parser_new ();
      if (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        answer = json_node_get_object (json_parser_get_root (parser));
    }

  if (kind == REQUEST_LOGOUT)
    {
      /* The session is over for us either way; the server forgets it by itself later. */
      set_signed_in (self, NULL, NULL);
      if (status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_UNAUTHORIZED)
        g_task_return_boolean (task, TRUE);
      else
        {
          set_error_from_answer (self, kind, msg, answer, &error);
          g_task_return_error (task, error);
        }
      return;
    }

  if (status != SOUP_STATUS_OK)
    {
      if (status == SOUP_STATUS_UNAUTHORIZED && kind == REQUEST_ME)
        set_signed_in (self, NULL, NULL);
      set_error_from_answer (self, kind, msg, answer, &error);
      g_task_return_error (task, error);
      return;
    }

  if (kind == REQUEST_LOGIN)
    {
      const char *token = NULL;
      JsonObject *user = NULL;

      if (answer != NULL)
        {
          token = string_member (answer, "token");
          if (json_object_has_member (answer, "user")
              && JSON_NODE_HOLDS_OBJECT (json_object_get_member (answer, "user")))
            user = json_object_get_object_member (answer, "user");
        }
      if (token == NULL || *token == '\0' || user == NULL)
        {
          g_task_return_new_error (task, ZG_SESSION_ERROR, ZG_SESSION_ERROR_SERVER,
                                   _("The server's answer could not be read. Is this the "
                                     "address of a Zeugnis server?"));
          return;
        }
      set_signed_in (self, token, user);
    }
  else
    {
      if (string_member (answer, "email") == NULL)
        {
          g_task_return_new_error (task, ZG_SESSION_ERROR, ZG_SESSION_ERROR_SERVER,
                                   _("The server's answer could not be read. Is this the "
                                     "address of a Zeugnis server?"));
          return;
        }
      set_signed_in (self, self->token, answer);
    }
  g_task_return_boolean (task, TRUE);
}

static void
send_request (ZgSession           *self,
              RequestKind          kind,
              const char          *method,
              const char          *path,
              const char          *json_body,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = g_strconcat (self->server_url, path, NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, GINT_TO_POINTER (kind), NULL);

  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, ZG_SESSION_ERROR, ZG_SESSION_ERROR_INVALID_ADDRESS,
                               _("“%s” is not a valid server address."), self->server_url);
      return;
    }
  g_signal_connect_object (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), self,
                           G_CONNECT_DEFAULT);
  if (self->token != NULL && kind != REQUEST_LOGIN)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  if (json_body != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }

  self->cert_outcome = CERT_NOT_ASKED;
  self->retry_after = 0;
  g_object_set_data_full (G_OBJECT (task), "zg-message", g_object_ref (msg), g_object_unref);
  soup_session_send_and_read_async (self->soup, msg, G_PRIORITY_DEFAULT, cancellable,
                                    request_done_cb, g_steal_pointer (&task));
}

static void
zg_session_dispose (GObject *object)
{
  ZgSession *self = (ZgSession *)object;

  if (self->soup != NULL)
    soup_session_abort (self->soup);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (zg_session_parent_class)->dispose (object);
}

static void
zg_session_finalize (GObject *object)
{
  ZgSession *self = (ZgSession *)object;

  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->pin_key, g_free);
  g_clear_pointer (&self->pins_path, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->user, json_object_unref);
  g_clear_pointer (&self->presented_fingerprint, g_free);
  g_clear_pointer (&self->pinned_fingerprint, g_free);

  G_OBJECT_CLASS (zg_session_parent_class)->finalize (object);
}

static void
zg_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ZgSession *self = ZG_SESSION (object);

  switch (prop_id)
    {
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, zg_session_is_signed_in (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zg_session_class_init (ZgSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = zg_session_dispose;
  object_class->finalize = zg_session_finalize;
  object_class->get_property = zg_session_get_property;

  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
zg_session_init (ZgSession *self)
{
  g_autofree char *agent = g_strconcat ("Zeugnis/", PACKAGE_VERSION, NULL);

  self->soup = soup_session_new_with_options ("timeout", REQUEST_TIMEOUT_SECONDS,
                                              "user-agent", agent, NULL);
}

const char *
zg_session_get_server_url (ZgSession *self)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), NULL);
  return self->server_url;
}

const char *
zg_session_get_pin_key (ZgSession *self)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), NULL);
  return self->pin_key;
}

/* The file of confirmed certificates this session checks against (zg-certificate-pins.h). */
const char *
zg_session_get_pins_path (ZgSession *self)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), NULL);
  return self->pins_path;
}

const char *
zg_session_get_email (ZgSession *self)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), NULL);
  return self->email;
}

const char *
zg_session_get_token (ZgSession *self)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), NULL);
  return self->token;
}

JsonObject *
zg_session_get_user (ZgSession *self)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), NULL);
  return self->user;
}

/* "First Last", or the e-mail when the server sent no name. */
char *
zg_session_dup_display_name (ZgSession *self)
{
  const char *first = NULL;
  const char *last = NULL;

  g_return_val_if_fail (ZG_IS_SESSION (self), NULL);

  if (self->user != NULL)
    {
      first = string_member (self->user, "first_name");
      last = string_member (self->user, "last_name");
    }
  if (first != NULL && last != NULL)
    return g_strdup_printf ("%s %s", first, last);
  return g_strdup (self->email);
}

gboolean
zg_session_is_signed_in (ZgSession *self)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), FALSE);
  return self->token != NULL && self->user != NULL;
}

/* Seconds from the Retry-After header of the last rate_limited answer, else 0. */
guint
zg_session_get_retry_after (ZgSession *self)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), 0);
  return self->retry_after;
}

/* The fingerprint of the certificate the last refused handshake presented. */
const char *
zg_session_get_presented_fingerprint (ZgSession *self)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), NULL);
  return self->presented_fingerprint;
}

const char *
zg_session_get_pinned_fingerprint (ZgSession *self)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), NULL);
  return self->pinned_fingerprint;
}

/* Called only after the user explicitly confirmed @fingerprint for this server. */
gboolean
zg_session_trust_certificate (ZgSession   *self,
                              const char  *fingerprint,
                              GError     **error)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), FALSE);
  g_return_val_if_fail (fingerprint != NULL, FALSE);

  if (strlen (fingerprint) != 95)
    {
      g_set_error_literal (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_TLS,
                           _("This is not a SHA-256 fingerprint."));
      return FALSE;
    }
  return zg_certificate_pins_set (self->pins_path, self->pin_key, fingerprint, error);
}

/* Removes the confirmation; the next connection asks the user again. */
gboolean
zg_session_forget_certificate (ZgSession  *self,
                               GError    **error)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), FALSE);
  g_clear_pointer (&self->pinned_fingerprint, g_free);
  return zg_certificate_pins_remove (self->pins_path, self->pin_key, error);
}

void
zg_session_login_async (ZgSession           *self,
                        const char          *email,
                        const char          *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *trimmed = NULL;

  g_return_if_fail (ZG_IS_SESSION (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  trimmed = g_strstrip (g_strdup (email));
  g_clear_pointer (&self->email, g_free);
  self->email = g_strdup (trimmed);
  set_signed_in (self, NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, trimmed);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  send_request (self, REQUEST_LOGIN, "POST", "/api/v1/auth/login", body, cancellable, callback,
                user_data, zg_session_login_async);
  /* The body held the password. */
  memset (body, 0, strlen (body));
}

gboolean
zg_session_login_finish (ZgSession     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Checks a stored token with GET /api/v1/me. On a network error the token is kept, so the
 * caller can open the offline cache; on ZG_SESSION_ERROR_EXPIRED it is dropped. */
void
zg_session_resume_async (ZgSession           *self,
                         const char          *email,
                         const char          *token,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (ZG_IS_SESSION (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (token != NULL);

  g_clear_pointer (&self->email, g_free);
  self->email = g_strdup (email);
  set_signed_in (self, token, NULL);
  send_request (self, REQUEST_ME, "GET", "/api/v1/me", NULL, cancellable, callback, user_data,
                zg_session_resume_async);
}

gboolean
zg_session_resume_finish (ZgSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
zg_session_logout_async (ZgSession           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (ZG_IS_SESSION (self));

  if (self->token == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, zg_session_logout_async);
      set_signed_in (self, NULL, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  send_request (self, REQUEST_LOGOUT, "POST", "/api/v1/auth/logout", NULL, cancellable, callback,
                user_data, zg_session_logout_async);
}

gboolean
zg_session_logout_finish (ZgSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (ZG_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
