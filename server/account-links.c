/* account-links.c — single-use e-mailed links: registration (R-USER-1), password reset (R-USER-4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A link carries a 256-bit random token; only its SHA-256 is stored. The link opens a small
 * server-rendered page (server/pages/, compiled into the GResource) with a strict CSP
 * (http.c) and a double-submit CSRF cookie (__Host- prefix, SameSite=Strict, HttpOnly).
 * Unknown, expired and used tokens all get the same neutral page.
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>

#include "account-links.h"
#include "audit.h"
#include "auth-password.h"
#include "http.h"
#include "mail-message.h"
#include "mail-outbox.h"
#include "settings.h"
#include "storage.h"
#include "users.h"
#include "zg-crypto.h"
#include "zg-password-policy.h"
#include "zg-server-private.h"

#define LINKS_QDATA          "zg-account-links"
/* Security-log action of this module (the others are in audit.h). */
#define ZG_AUDIT_INVITATION_SENT "invitation_sent"
#define PAGES_PATH           "/org/zeugnis/server/pages/"
#define CSRF_COOKIE          "__Host-zg_csrf"
#define CSRF_BYTES           32
#define RESET_BUCKET         "password_reset"
#define FORM_BUCKET          "account_form"
#define PURGE_INTERVAL_SECONDS (60 * 60)
#define MIN_TOKEN_CHARS      32
#define MAX_TOKEN_CHARS      128

typedef struct
{
  GSource *purge_source;
  GSource *reset_source;   /* idle: works off reset_jobs after the 202 went out */
  GQueue   reset_jobs;
} Links;

typedef struct
{
  gint64  token_id;
  gint64  user_id;
  gint64  expires_at;
  ZgAccountLinkPurpose purpose;
  char   *email;
  char   *first_name;
  char   *last_name;
} TokenInfo;

static void
token_info_free (TokenInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->email);
  g_free (info->first_name);
  g_free (info->last_name);
  g_free (info);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TokenInfo, token_info_free)

static const char *
purpose_id (ZgAccountLinkPurpose purpose)
{
  return purpose == ZG_ACCOUNT_LINK_REGISTRATION ? "registration" : "password_reset";
}

static const char *
purpose_template (ZgAccountLinkPurpose purpose)
{
  return purpose == ZG_ACCOUNT_LINK_REGISTRATION ? "registration" : "password-reset";
}

static gint64
purpose_ttl (ZgAccountLinkPurpose purpose)
{
  return purpose == ZG_ACCOUNT_LINK_REGISTRATION ? ZG_REGISTRATION_TTL_SECONDS
                                                 : ZG_PASSWORD_RESET_TTL_SECONDS;
}

static gboolean
token_is_well_formed (const char *token)
{
  gsize len;

  if (token == NULL)
    return FALSE;
  len = strlen (token);
  if (len < MIN_TOKEN_CHARS || len > MAX_TOKEN_CHARS)
    return FALSE;
  for (const char *p = token; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* ---- issuing links --------------------------------------------------------- */

/* Renders the mail for @user and stores token and mail; the caller owns the transaction. */
static gboolean
issue_link_in_transaction (ZgServer              *server,
                           const ZgUser          *user,
                           ZgAccountLinkPurpose   purpose,
                           GError               **error)
{
  ZgStorage *storage = zg_server_get_storage (server);
  g_autoptr(ZgStmt) del = NULL;
  g_autoptr(ZgStmt) ins = NULL;
  g_autofree char *token = zg_random_token ();
  g_autofree char *token_hash = zg_sha256_hex_str (token);
  g_autofree char *escaped = g_uri_escape_string (token, NULL, FALSE);
  g_autofree char *link = g_strdup_printf ("%s%s?token=%s", zg_server_get_public_url (server),
                                           ZG_ACCOUNT_LINK_PATH, escaped);
  g_autofree char *expires = NULL;
  const char *sender_name;
  gint64 now = zg_server_now (server);
  gint64 expires_at = now + purpose_ttl (purpose);

  /* A new link supersedes every older unused link of the same kind. */
  del = zg_storage_prepare (storage,
                            "DELETE FROM account_tokens WHERE user_id = ?1 AND purpose = ?2;",
                            error);
  if (del == NULL)
    return FALSE;
  zg_stmt_bind_int64 (del, 1, user->id);
  zg_stmt_bind_text (del, 2, purpose_id (purpose));
  if (!zg_stmt_run (del, error))
    return FALSE;

  ins = zg_storage_prepare (storage,
                            "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at,"
                            " expires_at) VALUES (?1, ?2, ?3, ?4, ?5);", error);
  if (ins == NULL)
    return FALSE;
  zg_stmt_bind_text (ins, 1, token_hash);
  zg_stmt_bind_int64 (ins, 2, user->id);
  zg_stmt_bind_text (ins, 3, purpose_id (purpose));
  zg_stmt_bind_int64 (ins, 4, now);
  zg_stmt_bind_int64 (ins, 5, expires_at);
  if (!zg_stmt_run (ins, error))
    return FALSE;

  expires = zg_mail_format_time (server, expires_at, "de");
  sender_name = zg_settings_get_string (zg_server_get_settings (server),
                                        ZG_SETTING_MAIL_SENDER_NAME);
  {
    const char * const values[] = {
      "first_name", user->first_name,
      "last_name", user->last_name,
      "email", user->email,
      "link", link,
      "expires", expires,
      "sender_name", sender_name != NULL ? sender_name : "Zeugnisgenerator",
      NULL,
    };

    if (zg_mail_enqueue (server, user->email, purpose_template (purpose), "de", values,
                         error) <= 0)
      return FALSE;
  }

  OPENSSL_cleanse (token, strlen (token));
  OPENSSL_cleanse (link, strlen (link));
  return TRUE;
}

/* Joins the caller's transaction if there is one, otherwise runs in its own. */
static gboolean
issue_link (ZgServer              *server,
            gint64                 user_id,
            ZgAccountLinkPurpose   purpose,
            GError               **error)
{
  ZgStorage *storage = zg_server_get_storage (server);
  gboolean own = sqlite3_get_autocommit (zg_storage_get_db (storage)) != 0;
  ZgUser *user;
  gboolean ok;

  user = zg_users_find_by_id (server, user_id, error);
  if (user == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE, "No such user");
      return FALSE;
    }
  if (!user->active)
    {
      zg_user_free (user);
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE, "User is deactivated");
      return FALSE;
    }

  if (own && !zg_storage_begin (storage, error))
    {
      zg_user_free (user);
      return FALSE;
    }
  ok = issue_link_in_transaction (server, user, purpose, error);
  if (own)
    {
      if (ok)
        ok = zg_storage_commit (storage, error);
      else
        zg_storage_rollback (storage);
    }
  zg_user_free (user);
  return ok;
}

/* R-USER-1: the registration mail for an invited user (valid 72 h). */
gboolean
zg_account_links_send_registration (ZgServer  *server,
                                    gint64     user_id,
                                    GError   **error)
{
  g_return_val_if_fail (ZG_IS_SERVER (server), FALSE);
  return issue_link (server, user_id, ZG_ACCOUNT_LINK_REGISTRATION, error);
}

/* R-USER-4: the reset mail (valid 1 h); older reset links of the user stop working. */
gboolean
zg_account_links_send_password_reset (ZgServer  *server,
                                      gint64     user_id,
                                      GError   **error)
{
  g_return_val_if_fail (ZG_IS_SERVER (server), FALSE);
  return issue_link (server, user_id, ZG_ACCOUNT_LINK_PASSWORD_RESET, error);
}

static void
user_created_cb (ZgServer   *server,
                 gint64      user_id,
                 const char *ip,
                 gpointer    user_data)
{
  g_autoptr(GError) error = NULL;
  ZgUser *user = zg_users_find_by_id (server, user_id, &error);

  /* Only invited users (no password yet) get a registration link. */
  if (user == NULL || user->password_hash != NULL || !user->active)
    {
      g_clear_pointer (&user, zg_user_free);
      return;
    }
  if (!zg_mail_address_is_valid (user->email))
    g_message ("User %" G_GINT64_FORMAT " has an address no mail can be sent to; no "
               "registration mail", user_id);
  else if (!zg_account_links_send_registration (server, user_id, &error))
    g_warning ("Cannot queue the registration mail for user %" G_GINT64_FORMAT ": %s", user_id,
               error != NULL ? error->message : "unknown error");
  g_clear_pointer (&user, zg_user_free);
}

/* POST /api/v1/users/{id}/invitation (area Benutzer): a new registration link for an invited
 * user whose mail was lost or whose link expired (R-USER-1). Older links stop working. */
static void
invitation_cb (ZgRequest *req,
               gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  const ZgSessionCaller *caller = zg_request_get_caller (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  ZgUser *user = NULL;
  gint64 id = 0;

  if (!zg_request_get_param_id (req, "id", &id))
    return;
  user = zg_users_find_by_id (server, id, NULL);
  if (user == NULL)
    zg_request_respond_error (req, SOUP_STATUS_NOT_FOUND, "not_found", "No such user.");
  else if (!zg_area_set_includes (caller->areas, user->role_areas))
    zg_request_respond_error (req, SOUP_STATUS_FORBIDDEN, "forbidden",
                              "You cannot manage a user with more rights than your own.");
  else if (user->password_hash != NULL)
    zg_request_respond_error (req, SOUP_STATUS_CONFLICT, "already_registered",
                              "This user has set a password already.");
  else if (!user->active)
    zg_request_respond_error (req, SOUP_STATUS_CONFLICT, "user_inactive",
                              "This user is deactivated.");
  else if (!zg_mail_address_is_valid (user->email))
    zg_request_respond_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "address_not_mailable",
                              "No mail can be sent to this address.");
  else if (!zg_account_links_send_registration (server, user->id, &error))
    {
      g_warning ("Cannot queue the registration mail for user %" G_GINT64_FORMAT ": %s", id,
                 error != NULL ? error->message : "unknown error");
      zg_request_respond_error (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                                "The invitation could not be sent.");
    }
  else
    {
      zg_audit_log (server, caller->user_id, caller->email, zg_request_get_ip (req),
                    ZG_AUDIT_INVITATION_SENT, user->email);
      answer = json_object_new ();
      json_object_set_string_member (answer, "status", "queued");
      zg_request_respond_object (req, SOUP_STATUS_ACCEPTED, answer);
    }
  g_clear_pointer (&user, zg_user_free);
}

/* ---- POST /api/v1/auth/password-reset -------------------------------------- */

typedef struct
{
  char *email;
  char *ip;
} ResetJob;

static void
reset_job_free (gpointer data)
{
  ResetJob *job = data;

  g_free (job->email);
  g_free (job->ip);
  g_free (job);
}

static Links *
get_links (ZgServer *server)
{
  return g_object_get_data (G_OBJECT (server), LINKS_QDATA);
}

static void
run_reset_job (ZgServer       *server,
               const ResetJob *job)
{
  g_autoptr(GError) error = NULL;
  ZgUser *user = zg_users_find_by_email (server, job->email, &error);
  const char *detail = NULL;

  if (user == NULL)
    detail = "unknown_account";
  else if (!user->active)
    detail = "inactive_account";
  else if (!zg_mail_address_is_valid (user->email))
    detail = "address_not_mailable";
  else if (!zg_account_links_send_password_reset (server, user->id, &error))
    {
      g_warning ("Cannot queue the password reset mail: %s",
                 error != NULL ? error->message : "unknown error");
      detail = "mail_not_queued";
    }

  /* R-AUDIT-1: the request is logged whether or not the account exists. */
  zg_audit_log (server, user != NULL ? user->id : 0, job->email, job->ip,
                ZG_AUDIT_PASSWORD_RESET_REQUESTED, detail);
  g_clear_pointer (&user, zg_user_free);
}

/* Runs after the 202 has been queued, so that the answer's timing cannot depend on whether
 * the address exists. Known and unknown addresses still do the same lookup. */
static gboolean
reset_jobs_cb (gpointer data)
{
  ZgServer *server = data;
  Links *links = get_links (server);
  ResetJob *job;

  g_clear_pointer (&links->reset_source, g_source_unref);
  while ((job = g_queue_pop_head (&links->reset_jobs)) != NULL)
    {
      run_reset_job (server, job);
      reset_job_free (job);
    }
  return G_SOURCE_REMOVE;
}

static void
password_reset_request_cb (ZgRequest *req,
                           gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  Links *links = get_links (server);
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *normalized = NULL;
  const char *email = NULL;
  ResetJob *job;

  if (!zg_request_rate_limit (req, RESET_BUCKET))
    return;
  if (!zg_request_body_string (req, "email", TRUE, 254, &email))
    return;
  normalized = zg_users_normalize_email (email);
  if (normalized == NULL || !zg_users_email_is_valid (normalized))
    {
      zg_request_respond_error (req, SOUP_STATUS_BAD_REQUEST, "invalid_email",
                                "This is not a valid e-mail address.");
      return;
    }

  /* R-USER-4: the same answer for every valid address. */
  answer = json_object_new ();
  json_object_set_string_member (answer, "status", "accepted");
  json_object_set_string_member (answer, "message",
                                 "If an account exists for this address, a link to set a new "
                                 "password has been sent.");
  zg_request_respond_object (req, SOUP_STATUS_ACCEPTED, answer);

  job = g_new0 (ResetJob, 1);
  job->email = g_steal_pointer (&normalized);
  job->ip = g_strdup (zg_request_get_ip (req));
  g_queue_push_tail (&links->reset_jobs, job);
  if (links->reset_source == NULL)
    {
      links->reset_source = g_idle_source_new ();
      g_source_set_callback (links->reset_source, reset_jobs_cb, server, NULL);
      g_source_set_name (links->reset_source, "[zeugnis] password reset requests");
      g_source_attach (links->reset_source, zg_server_get_context (server));
    }
}

/* ---- pages ---------------------------------------------------------------- */

static char *
load_page (const char *name)
{
  g_autofree char *path = g_strconcat (PAGES_PATH, name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  if (bytes == NULL)
    g_error ("Missing page resource %s", path);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* {{name}} is replaced HTML-escaped, {{&name}} verbatim (already HTML); a leading comment line
 * (the SPDX header of fragments) is dropped. */
static char *
expand_page (const char         *source,
             const char * const *values)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = source;

  if (g_str_has_prefix (p, "<!--") && strstr (p, "-->\n") != NULL && strstr (p, "<html") == NULL)
    p = strstr (p, "-->\n") + 4;

  while (*p != '\0')
    {
      const char *end;
      const char *value = NULL;
      gboolean raw;
      gsize key_len;

      if (p[0] != '{' || p[1] != '{' || (end = strstr (p + 2, "}}")) == NULL)
        {
          g_string_append_c (out, *p++);
          continue;
        }
      raw = p[2] == '&';
      key_len = (gsize) (end - (p + 2 + raw));
      for (guint i = 0; values[i] != NULL && values[i + 1] != NULL; i += 2)
        if (strlen (values[i]) == key_len && strncmp (values[i], p + 2 + raw, key_len) == 0)
          value = values[i + 1];
      if (value == NULL)
        g_error ("Page placeholder %.*s has no value", (int) key_len, p + 2 + raw);
      if (raw)
        g_string_append (out, value);
      else
        {
          g_autofree char *escaped = g_markup_escape_text (value, -1);
          g_string_append (out, escaped);
        }
      p = end + 2;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
respond_page (ZgRequest          *req,
              guint               status,
              const char         *title,
              const char         *fragment,
              const char * const *values)
{
  ZgServer *server = zg_request_get_server (req);
  const char *sender_name = zg_settings_get_string (zg_server_get_settings (server),
                                                    ZG_SETTING_MAIL_SENDER_NAME);
  g_autofree char *fragment_source = load_page (fragment);
  g_autofree char *layout_source = load_page ("layout.html");
  g_autofree char *content = expand_page (fragment_source, values);
  g_autofree char *html = NULL;
  const char * const layout_values[] = {
    "title", title,
    "sender_name", sender_name != NULL && *sender_name ? sender_name : "Zeugnisgenerator",
    "content", content,
    NULL,
  };

  html = expand_page (layout_source, layout_values);
  zg_request_respond_html (req, status, html);
}

static void
respond_invalid_link (ZgRequest *req)
{
  static const char * const none[] = { NULL };

  respond_page (req, SOUP_STATUS_GONE, "Link ungültig", "invalid.html", none);
}

static void
respond_form_expired (ZgRequest *req)
{
  static const char * const none[] = { NULL };

  respond_page (req, SOUP_STATUS_FORBIDDEN, "Formular abgelaufen", "form-expired.html", none);
}

static gboolean
page_rate_limit (ZgRequest *req)
{
  static const char * const none[] = { NULL };
  ZgServer *server = zg_request_get_server (req);
  g_autofree char *retry = NULL;

  if (zg_rate_limit_allow (server, FORM_BUCKET, zg_request_get_ip (req)))
    return TRUE;
  retry = g_strdup_printf ("%u", zg_rate_limit_retry_after (server, FORM_BUCKET,
                                                            zg_request_get_ip (req)));
  soup_message_headers_replace (soup_server_message_get_response_headers (
                                  zg_request_get_message (req)), "Retry-After", retry);
  respond_page (req, 429, "Zu viele Versuche", "too-many.html", none);
  return FALSE;
}

static void
style_cb (ZgRequest *req,
          gpointer   user_data)
{
  g_autoptr(GBytes) css = g_resources_lookup_data (PAGES_PATH "style.css",
                                                   G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  g_assert (css != NULL);
  zg_request_respond_bytes (req, SOUP_STATUS_OK, "text/css; charset=utf-8", css);
}

static TokenInfo *
lookup_token (ZgServer   *server,
              const char *token)
{
  ZgStorage *storage = zg_server_get_storage (server);
  g_autoptr(ZgStmt) stmt = NULL;
  g_autofree char *token_hash = NULL;
  TokenInfo *info;
  const char *purpose;

  if (!token_is_well_formed (token))
    return NULL;
  token_hash = zg_sha256_hex_str (token);
  stmt = zg_storage_prepare (storage,
                             "SELECT t.id, t.user_id, t.purpose, t.expires_at, u.email,"
                             " u.first_name, u.last_name"
                             " FROM account_tokens t JOIN users u ON u.id = t.user_id"
                             " WHERE t.token_hash = ?1 AND t.expires_at > ?2 AND u.active = 1;",
                             NULL);
  if (stmt == NULL)
    return NULL;
  zg_stmt_bind_text (stmt, 1, token_hash);
  zg_stmt_bind_int64 (stmt, 2, zg_server_now (server));
  if (zg_stmt_step (stmt, NULL) != SQLITE_ROW)
    return NULL;

  info = g_new0 (TokenInfo, 1);
  info->token_id = zg_stmt_column_int64 (stmt, 0);
  info->user_id = zg_stmt_column_int64 (stmt, 1);
  purpose = zg_stmt_column_text (stmt, 2);
  info->purpose = g_strcmp0 (purpose, "registration") == 0 ? ZG_ACCOUNT_LINK_REGISTRATION
                                                          : ZG_ACCOUNT_LINK_PASSWORD_RESET;
  info->expires_at = zg_stmt_column_int64 (stmt, 3);
  info->email = g_strdup (zg_stmt_column_text (stmt, 4));
  info->first_name = g_strdup (zg_stmt_column_text (stmt, 5));
  info->last_name = g_strdup (zg_stmt_column_text (stmt, 6));
  return info;
}

static const char *
describe_reason_de (const char *reason)
{
  static const struct { const char *id; const char *text; } texts[] = {
    { ZG_PASSWORD_TOO_SHORT, "Das Passwort ist zu kurz." },
    { ZG_PASSWORD_TOO_LONG, "Das Passwort ist zu lang." },
    { ZG_PASSWORD_INVALID_TEXT, "Das Passwort enthält ungültige Zeichen." },
    { ZG_PASSWORD_MISSING_LOWERCASE, "Das Passwort braucht einen Kleinbuchstaben." },
    { ZG_PASSWORD_MISSING_UPPERCASE, "Das Passwort braucht einen Großbuchstaben." },
    { ZG_PASSWORD_MISSING_DIGIT, "Das Passwort braucht eine Ziffer." },
    { ZG_PASSWORD_MISSING_SYMBOL, "Das Passwort braucht ein Sonderzeichen." },
    { ZG_PASSWORD_COMMON, "Dieses Passwort ist zu verbreitet und leicht zu erraten." },
    { ZG_PASSWORD_CONTAINS_NAME,
      "Das Passwort darf weder Ihren Namen noch Ihre E-Mail-Adresse enthalten." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (g_strcmp0 (texts[i].id, reason) == 0)
      return texts[i].text;
  return "Dieses Passwort ist nicht erlaubt.";
}

static char *
policy_rules_html (const ZgPasswordPolicy *policy)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_string_append_printf (out, "<li>mindestens %u Zeichen</li>\n", policy->min_length);
  if (policy->require_lowercase)
    g_string_append (out, "<li>einen Kleinbuchstaben</li>\n");
  if (policy->require_uppercase)
    g_string_append (out, "<li>einen Großbuchstaben</li>\n");
  if (policy->require_digit)
    g_string_append (out, "<li>eine Ziffer</li>\n");
  if (policy->require_symbol)
    g_string_append (out, "<li>ein Sonderzeichen</li>\n");
  g_string_append (out, "<li>kein verbreitetes Passwort und nicht Ihren Namen</li>");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
errors_html (const char * const *messages)
{
  g_autoptr(GString) out = NULL;

  if (messages == NULL || messages[0] == NULL)
    return g_strdup ("");
  out = g_string_new ("<div class=\"error\" role=\"alert\"><ul>\n");
  for (guint i = 0; messages[i] != NULL; i++)
    {
      g_autofree char *escaped = g_markup_escape_text (messages[i], -1);
      g_string_append_printf (out, "<li>%s</li>\n", escaped);
    }
  g_string_append (out, "</ul></div>");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
get_csrf_cookie (ZgRequest *req)
{
  SoupServerMessage *msg = zg_request_get_message (req);
  const char *header;
  g_autoptr(GHashTable) cookies = NULL;
  const char *value;

  header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                          "Cookie");
  if (header == NULL)
    return NULL;
  cookies = soup_header_parse_semi_param_list (header);
  value = g_hash_table_lookup (cookies, CSRF_COOKIE);
  if (value == NULL || strlen (value) != CSRF_BYTES * 2)
    return NULL;
  for (const char *p = value; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return NULL;
  return g_strdup (value);
}

static void
respond_form (ZgRequest          *req,
              guint               status,
              const char         *token,
              const TokenInfo    *info,
              const char * const *errors)
{
  ZgServer *server = zg_request_get_server (req);
  SoupServerMessage *msg = zg_request_get_message (req);
  ZgPasswordPolicy policy;
  g_autofree char *csrf = get_csrf_cookie (req);
  g_autofree char *cookie = NULL;
  g_autofree char *rules = NULL;
  g_autofree char *errors_block = errors_html (errors);
  g_autofree char *min_length = NULL;
  g_autofree char *expires = zg_mail_format_time (server, info->expires_at, "de");
  gboolean registration = info->purpose == ZG_ACCOUNT_LINK_REGISTRATION;

  zg_settings_get_password_policy (zg_server_get_settings (server), &policy);
  rules = policy_rules_html (&policy);
  min_length = g_strdup_printf ("%u", policy.min_length);

  /* Reuse the browser's CSRF cookie so that two open tabs both keep working. */
  if (csrf == NULL)
    csrf = zg_random_hex (CSRF_BYTES);
  cookie = g_strdup_printf ("%s=%s; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Strict",
                            CSRF_COOKIE, csrf);
  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie",
                               cookie);
  {
    const char * const values[] = {
      "first_name", info->first_name,
      "last_name", info->last_name,
      "email", info->email,
      "what", registration ? "persönliches" : "neues",
      "token", token,
      "csrf", csrf,
      "errors", errors_block,
      "rules", rules,
      "min_length", min_length,
      "expires", expires,
      NULL,
    };

    respond_page (req, status, registration ? "Passwort festlegen" : "Neues Passwort festlegen",
                  "set-password.html", values);
  }
}

/* GET /account/set-password?token=… */
static void
set_password_page_cb (ZgRequest *req,
                      gpointer   user_data)
{
  const char *token = zg_request_get_query (req, "token");
  g_autoptr(TokenInfo) info = NULL;

  if (!page_rate_limit (req))
    return;
  info = lookup_token (zg_request_get_server (req), token);
  if (info == NULL)
    {
      respond_invalid_link (req);
      return;
    }
  respond_form (req, SOUP_STATUS_OK, token, info, NULL);
}

typedef struct
{
  ZgRequest *req;
  char      *token;
  gint64     token_id;
  gint64     user_id;
  ZgAccountLinkPurpose purpose;
  char      *email;
} Completion;

static void
completion_free (Completion *c)
{
  zg_request_unref (c->req);
  g_free (c->token);
  g_free (c->email);
  g_free (c);
}

/* Stores the new hash without touching the lockout: R-AUDIT-3 says only an administrator
 * unlocks, and a mailbox is not an administrator (docs/mail.md). */
static gboolean
store_password (ZgServer    *server,
                gint64       user_id,
                const char  *password_hash,
                GError     **error)
{
  ZgStorage *storage = zg_server_get_storage (server);
  g_autoptr(ZgStmt) stmt = NULL;
  gint64 now = zg_server_now (server);

  stmt = zg_storage_prepare (storage,
                             "UPDATE users SET password_hash = ?2, password_changed_at = ?3,"
                             " failed_logins = CASE WHEN locked = 0 THEN 0 ELSE failed_logins END,"
                             " updated_at = ?3 WHERE id = ?1 AND active = 1;", error);
  if (stmt == NULL)
    return FALSE;
  zg_stmt_bind_int64 (stmt, 1, user_id);
  zg_stmt_bind_text (stmt, 2, password_hash);
  zg_stmt_bind_int64 (stmt, 3, now);
  if (!zg_stmt_run (stmt, error))
    return FALSE;
  if (zg_storage_changes (storage) != 1)
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE, "User is not active");
      return FALSE;
    }
  return TRUE;
}

/* Consumes the token and stores the password in one transaction; FALSE if the token was
 * used or expired meanwhile (two tabs, or the hash took long). */
static gboolean
complete_in_transaction (ZgServer          *server,
                         const Completion  *c,
                         const char        *password_hash,
                         gboolean          *out_token_gone,
                         GError           **error)
{
  ZgStorage *storage = zg_server_get_storage (server);
  g_autoptr(ZgStmt) take = NULL;
  g_autoptr(ZgStmt) rest = NULL;

  *out_token_gone = FALSE;
  take = zg_storage_prepare (storage,
                             "DELETE FROM account_tokens WHERE id = ?1 AND expires_at > ?2;",
                             error);
  if (take == NULL)
    return FALSE;
  zg_stmt_bind_int64 (take, 1, c->token_id);
  zg_stmt_bind_int64 (take, 2, zg_server_now (server));
  if (!zg_stmt_run (take, error))
    return FALSE;
  if (zg_storage_changes (storage) != 1)
    {
      *out_token_gone = TRUE;
      return FALSE;
    }
  if (!store_password (server, c->user_id, password_hash, error))
    {
      *out_token_gone = TRUE;
      return FALSE;
    }
  /* Once a password is set, no other link of this user may set it again. */
  rest = zg_storage_prepare (storage, "DELETE FROM account_tokens WHERE user_id = ?1;", error);
  if (rest == NULL)
    return FALSE;
  zg_stmt_bind_int64 (rest, 1, c->user_id);
  if (!zg_stmt_run (rest, error))
    return FALSE;
  /* R-USER-4 / DESIGN.md: a new password ends every session of the account, in the same
   * transaction, so there is no moment with a new password and an old session. */
  if (zg_sessions_end_all (zg_request_get_server (c->req), c->user_id,
                           c->purpose == ZG_ACCOUNT_LINK_PASSWORD_RESET ? "password_reset"
                                                                        : "registration") < 0)
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_DATABASE, "Cannot end sessions");
      return FALSE;
    }
  return TRUE;
}

static void
hash_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Completion *c = user_data;
  ZgServer *server = zg_request_get_server (c->req);
  ZgStorage *storage = zg_server_get_storage (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *password_hash = zg_password_hash_finish (server, result, &error);
  gboolean token_gone = FALSE;
  gboolean reset = c->purpose == ZG_ACCOUNT_LINK_PASSWORD_RESET;
  const char *extra;

  if (password_hash == NULL || !zg_storage_begin (storage, &error))
    goto fail;
  if (!complete_in_transaction (server, c, password_hash, &token_gone, &error))
    {
      zg_storage_rollback (storage);
      if (token_gone)
        {
          respond_invalid_link (c->req);
          completion_free (c);
          return;
        }
      goto fail;
    }
  if (!zg_storage_commit (storage, &error))
    goto fail;

  zg_sessions_invalidate_cache (server);
  zg_audit_log (server, c->user_id, c->email, zg_request_get_ip (c->req),
                reset ? ZG_AUDIT_PASSWORD_RESET : ZG_AUDIT_REGISTRATION_COMPLETED, NULL);

  extra = reset ? "<p>Aus Sicherheitsgründen wurden alle bisherigen Anmeldungen beendet.</p>"
                : "";
  {
    const char * const values[] = { "extra", extra, NULL };

    respond_page (c->req, SOUP_STATUS_OK, "Passwort gespeichert", "done.html", values);
  }
  completion_free (c);
  return;

fail:
  g_warning ("Cannot set the password from an account link: %s",
             error != NULL ? error->message : "unknown error");
  zg_request_respond_error (c->req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                            "The password could not be saved.");
  completion_free (c);
}

/* POST /account/set-password (form: token, csrf, password, password_confirm) */
static void
set_password_submit_cb (ZgRequest *req,
                        gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  GBytes *raw = zg_request_get_raw_body (req);
  g_autofree char *body = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *cookie = NULL;
  g_autoptr(TokenInfo) info = NULL;
  g_autoptr(GPtrArray) reasons = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  ZgPasswordPolicy policy;
  const char *token, *csrf, *password, *confirm;
  Completion *c;

  if (!page_rate_limit (req))
    return;

  if (raw != NULL)
    body = g_strndup (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw));
  if (body == NULL || !g_utf8_validate (body, -1, NULL))
    {
      respond_form_expired (req);
      return;
    }
  form = soup_form_decode (body);
  token = g_hash_table_lookup (form, "token");
  csrf = g_hash_table_lookup (form, "csrf");
  password = g_hash_table_lookup (form, "password");
  confirm = g_hash_table_lookup (form, "password_confirm");

  /* Double-submit CSRF check: the form field must equal the SameSite=Strict cookie. */
  cookie = get_csrf_cookie (req);
  if (cookie == NULL || csrf == NULL || !zg_constant_time_str_equal (cookie, csrf))
    {
      respond_form_expired (req);
      return;
    }

  info = lookup_token (server, token);
  if (info == NULL)
    {
      respond_invalid_link (req);
      return;
    }

  messages = g_ptr_array_new ();
  if (password == NULL || confirm == NULL || !g_utf8_validate (password, -1, NULL))
    g_ptr_array_add (messages, (gpointer) "Bitte geben Sie das Passwort zweimal ein.");
  else
    {
      const char * const personal[] = { info->first_name, info->last_name, info->email, NULL };

      zg_settings_get_password_policy (zg_server_get_settings (server), &policy);
      reasons = zg_password_policy_check (&policy, _zg_server_get_common_passwords (server),
                                          password, personal);
      for (guint i = 0; reasons != NULL && i < reasons->len; i++)
        g_ptr_array_add (messages, (gpointer) describe_reason_de (g_ptr_array_index (reasons, i)));
      if (strcmp (password, confirm) != 0)
        g_ptr_array_add (messages, (gpointer) "Die beiden Passwörter stimmen nicht überein.");
    }
  if (messages->len > 0)
    {
      g_ptr_array_add (messages, NULL);
      respond_form (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, token, info,
                    (const char * const *) messages->pdata);
      return;
    }

  c = g_new0 (Completion, 1);
  c->req = zg_request_ref (req);
  c->token = g_strdup (token);
  c->token_id = info->token_id;
  c->user_id = info->user_id;
  c->purpose = info->purpose;
  c->email = g_strdup (info->email);
  zg_password_hash_async (server, password, NULL, hash_done_cb, c);
}

/* ---- set-up and maintenance ----------------------------------------------------- */

gint64
zg_account_links_purge (ZgServer *server)
{
  ZgStorage *storage;
  g_autoptr(ZgStmt) stmt = NULL;

  g_return_val_if_fail (ZG_IS_SERVER (server), -1);

  storage = zg_server_get_storage (server);
  stmt = zg_storage_prepare (storage, "DELETE FROM account_tokens WHERE expires_at <= ?1;", NULL);
  if (stmt == NULL)
    return -1;
  zg_stmt_bind_int64 (stmt, 1, zg_server_now (server));
  if (!zg_stmt_run (stmt, NULL))
    return -1;
  return zg_storage_changes (storage);
}

static gboolean
purge_cb (gpointer user_data)
{
  zg_account_links_purge (ZG_SERVER (user_data));
  return G_SOURCE_CONTINUE;
}

static void
links_free (gpointer data)
{
  Links *links = data;

  if (links->purge_source != NULL)
    {
      g_source_destroy (links->purge_source);
      g_source_unref (links->purge_source);
    }
  if (links->reset_source != NULL)
    {
      g_source_destroy (links->reset_source);
      g_source_unref (links->reset_source);
    }
  g_queue_clear_full (&links->reset_jobs, reset_job_free);
  g_free (links);
}

static gint64
config_limit (ZgServer   *server,
              const char *key,
              gint64      fallback)
{
  g_autoptr(GError) error = NULL;
  gint64 v = g_key_file_get_int64 (zg_server_get_config (server), "limits", key, &error);

  return error != NULL ? fallback : CLAMP (v, 1, 1000000);
}

/* Call after zg_mail_init(): routes, rate limits, the registration hook, hourly purge. */
void
zg_account_links_init (ZgServer *server)
{
  Links *links;

  g_return_if_fail (ZG_IS_SERVER (server));

  zg_rate_limit_configure (server, RESET_BUCKET,
                           (guint) config_limit (server, "password_reset_burst", 5),
                           (guint) config_limit (server, "password_reset_per_minute", 5));
  zg_rate_limit_configure (server, FORM_BUCKET,
                           (guint) config_limit (server, "account_form_burst", 20),
                           (guint) config_limit (server, "account_form_per_minute", 20));

  zg_http_add_route (server, "POST", "/api/v1/auth/password-reset",
                     ZG_ROUTE_PUBLIC | ZG_ROUTE_JSON_BODY, 0, password_reset_request_cb, NULL);
  zg_http_add_route (server, "GET", ZG_ACCOUNT_LINK_PATH, ZG_ROUTE_PUBLIC, 0,
                     set_password_page_cb, NULL);
  zg_http_add_route (server, "POST", ZG_ACCOUNT_LINK_PATH,
                     ZG_ROUTE_PUBLIC | ZG_ROUTE_FORM_BODY, 0, set_password_submit_cb, NULL);
  zg_http_add_route (server, "GET", "/account/style.css", ZG_ROUTE_PUBLIC, 0, style_cb, NULL);
  zg_http_add_route (server, "POST", "/api/v1/users/{id}/invitation", ZG_ROUTE_AUTHENTICATED,
                     ZG_AREA_BENUTZER, invitation_cb, NULL);

  zg_users_add_created_hook (server, user_created_cb, NULL);

  links = g_new0 (Links, 1);
  g_queue_init (&links->reset_jobs);
  links->purge_source = g_timeout_source_new_seconds (PURGE_INTERVAL_SECONDS);
  g_source_set_callback (links->purge_source, purge_cb, server, NULL);
  g_source_set_name (links->purge_source, "[zeugnis] account link purge");
  g_source_attach (links->purge_source, zg_server_get_context (server));
  g_object_set_data_full (G_OBJECT (server), LINKS_QDATA, links, links_free);
  zg_account_links_purge (server);
}
