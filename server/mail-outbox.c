/* mail-outbox.c — outgoing mail: outbox table, templates, delivery worker (R-MAIL-1, R-MAIL-2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One mail is in flight at a time: the main loop picks the oldest due row, composes it with
 * GMime and hands the bytes to a worker thread (curl blocks). The result comes back to the
 * main loop, which records it. A crash between delivery and the update can deliver a mail
 * twice; it can never lose one (at-least-once).
 */
#include "config.h"

#include <string.h>

#include "mail-maildir.h"
#include "mail-message.h"
#include "mail-outbox.h"
#include "mail-smtp.h"
#include "settings.h"
#include "storage.h"
#include "zeugnis-mail-resources.h"

#define MAIL_QDATA               "zg-mail"
#define POLL_INTERVAL_SECONDS    30
#define PURGE_INTERVAL_SECONDS   (60 * 60)
#define DEFAULT_RETENTION_DAYS   7
#define DEFAULT_TIMEZONE         "Europe/Berlin"
#define MAX_ERROR_CHARS          500

typedef struct
{
  gatomicrefcount   ref;
  ZgServer         *server;       /* not owned; NULL once the server is finalised */
  ZgMailTemplates  *templates;
  ZgSmtpConfig     *smtp;         /* NULL: Maildir (demo) */
  char             *maildir;
  char             *from_address;
  GTimeZone        *tz;
  gint64            retention_days;
  GSource          *poll_source;
  GSource          *purge_source;
  GSource          *kick_source;
  GCancellable     *cancellable;
  gboolean          busy;
  gboolean          announced;
  GPtrArray        *flush_waiters;
} ZgMail;

typedef struct
{
  ZgMail       *mail;
  gint64        id;
  gint64        attempts;
  ZgSmtpConfig *smtp;
  char         *maildir;
  char         *from_address;
  char         *recipient;
  GBytes       *message;
} Delivery;

static void process_next (ZgMail *mail);

static ZgMail *
zg_mail_ref (ZgMail *mail)
{
  g_atomic_ref_count_inc (&mail->ref);
  return mail;
}

static void
zg_mail_unref (ZgMail *mail)
{
  if (!g_atomic_ref_count_dec (&mail->ref))
    return;
  g_assert (mail->flush_waiters->len == 0);
  g_ptr_array_unref (mail->flush_waiters);
  g_clear_object (&mail->cancellable);
  zg_mail_templates_free (mail->templates);
  zg_smtp_config_free (mail->smtp);
  g_free (mail->maildir);
  g_free (mail->from_address);
  g_clear_pointer (&mail->tz, g_time_zone_unref);
  g_free (mail);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* The server is going away: stop the timers and let an in-flight delivery finish quietly. */
static void
zg_mail_detach (gpointer data)
{
  ZgMail *mail = data;

  mail->server = NULL;
  g_cancellable_cancel (mail->cancellable);
  destroy_source (&mail->poll_source);
  destroy_source (&mail->purge_source);
  destroy_source (&mail->kick_source);
  while (mail->flush_waiters->len > 0)
    {
      GTask *task = g_ptr_array_steal_index (mail->flush_waiters, 0);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Server shut down");
      g_object_unref (task);
    }
  zg_mail_unref (mail);
}

static ZgMail *
get_mail (ZgServer *server)
{
  return g_object_get_data (G_OBJECT (server), MAIL_QDATA);
}

static char *
config_string (GKeyFile   *config,
               const char *key)
{
  g_autofree char *value = g_key_file_get_string (config, "mail", key, NULL);

  if (value != NULL)
    g_strstrip (value);
  if (value == NULL || *value == '\0')
    return NULL;
  return g_steal_pointer (&value);
}

static char *
config_path (ZgServer   *server,
             const char *key,
             const char *fallback)
{
  g_autofree char *value = config_string (zg_server_get_config (server), key);

  if (value == NULL)
    value = g_strdup (fallback);
  if (value == NULL)
    return NULL;
  if (g_path_is_absolute (value))
    return g_steal_pointer (&value);
  return g_build_filename (zg_server_get_data_dir (server), value, NULL);
}

static char *
default_from_address (ZgServer *server)
{
  g_autoptr(GUri) uri = g_uri_parse (zg_server_get_public_url (server), G_URI_FLAGS_NONE, NULL);
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  g_autofree char *address = NULL;

  if (host == NULL || *host == '\0' || strchr (host, ':') != NULL)
    host = "localhost";
  address = g_strdup_printf ("noreply@%s", host);
  return zg_mail_address_is_valid (address) ? g_steal_pointer (&address)
                                            : g_strdup ("noreply@localhost");
}

static gboolean
poll_cb (gpointer user_data)
{
  process_next (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
purge_cb (gpointer user_data)
{
  ZgMail *mail = user_data;

  if (mail->server != NULL)
    zg_mail_purge_sent (mail->server);
  return G_SOURCE_CONTINUE;
}

static GSource *
attach_timeout (ZgMail      *mail,
                guint        seconds,
                GSourceFunc  func,
                const char  *name)
{
  GSource *source = g_timeout_source_new_seconds (seconds);

  g_source_set_callback (source, func, mail, NULL);
  g_source_set_name (source, name);
  g_source_attach (source, zg_server_get_context (mail->server));
  return source;
}

/* Reads the [mail] group of the server config (docs/mail.md) and starts the worker. */
gboolean
zg_mail_init (ZgServer  *server,
              GError   **error)
{
  GKeyFile *config;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *smtp_url = NULL;
  g_autofree char *tz_name = NULL;
  ZgMail *mail;
  gint64 value;

  g_return_val_if_fail (ZG_IS_SERVER (server), FALSE);
  g_return_val_if_fail (get_mail (server) == NULL, FALSE);

  /* Links the generated resource object (migration, pages); its constructor registers it. */
  (void) zg_mail_get_resource ();
  zg_mail_message_init ();
  zg_smtp_global_init ();
  config = zg_server_get_config (server);

  mail = g_new0 (ZgMail, 1);
  g_atomic_ref_count_init (&mail->ref);
  mail->server = server;
  mail->flush_waiters = g_ptr_array_new ();
  mail->cancellable = g_cancellable_new ();
  mail->templates = zg_mail_templates_new (NULL);
  mail->retention_days = DEFAULT_RETENTION_DAYS;
  /* From here on the server owns it, so every early return below cleans up. */
  g_object_set_data_full (G_OBJECT (server), MAIL_QDATA, mail, zg_mail_detach);

  value = g_key_file_get_int64 (config, "mail", "sent_retention_days", &local_error);
  if (local_error == NULL)
    mail->retention_days = CLAMP (value, 0, 3650);
  g_clear_error (&local_error);

  tz_name = config_string (config, "timezone");
  mail->tz = g_time_zone_new_identifier (tz_name != NULL ? tz_name : DEFAULT_TIMEZONE);
  if (mail->tz == NULL)
    mail->tz = g_time_zone_new_local ();

  mail->from_address = config_string (config, "from_address");
  if (mail->from_address == NULL)
    mail->from_address = default_from_address (server);
  if (!zg_mail_address_is_valid (mail->from_address))
    {
      g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_CONFIG,
                   "[mail] from_address “%s” is not a valid address", mail->from_address);
      return FALSE;
    }

  smtp_url = config_string (config, "smtp_url");
  if (smtp_url != NULL)
    {
      mail->smtp = g_new0 (ZgSmtpConfig, 1);
      mail->smtp->url = g_steal_pointer (&smtp_url);
      mail->smtp->username = config_string (config, "smtp_username");
      mail->smtp->password = config_string (config, "smtp_password");
      mail->smtp->ca_file = config_path (server, "smtp_ca_file", NULL);
      value = g_key_file_get_int64 (config, "mail", "smtp_timeout_seconds", &local_error);
      mail->smtp->timeout_seconds = local_error == NULL ? (guint) CLAMP (value, 5, 600) : 60;
      g_clear_error (&local_error);
      if (!zg_smtp_config_check (mail->smtp, &local_error))
        {
          g_set_error (error, ZG_SERVER_ERROR, ZG_SERVER_ERROR_CONFIG, "[mail] %s",
                       local_error->message);
          return FALSE;
        }
    }
  else
    mail->maildir = config_path (server, "maildir", "mail");

  mail->poll_source = attach_timeout (mail, POLL_INTERVAL_SECONDS, poll_cb, "[zeugnis] mail poll");
  mail->purge_source = attach_timeout (mail, PURGE_INTERVAL_SECONDS, purge_cb,
                                       "[zeugnis] mail purge");
  zg_mail_purge_sent (server);
  zg_mail_kick (server);
  return TRUE;
}

ZgMailTemplates *
zg_mail_get_templates (ZgServer *server)
{
  ZgMail *mail;

  g_return_val_if_fail (ZG_IS_SERVER (server), NULL);
  mail = get_mail (server);
  g_return_val_if_fail (mail != NULL, NULL);
  return mail->templates;
}

gboolean
zg_mail_uses_maildir (ZgServer *server)
{
  ZgMail *mail;

  g_return_val_if_fail (ZG_IS_SERVER (server), FALSE);
  mail = get_mail (server);
  return mail != NULL && mail->smtp == NULL;
}

const char *
zg_mail_get_maildir (ZgServer *server)
{
  ZgMail *mail;

  g_return_val_if_fail (ZG_IS_SERVER (server), NULL);
  mail = get_mail (server);
  return mail != NULL ? mail->maildir : NULL;
}

/* "29.11.2026, 19:20 Uhr" in the configured time zone (German); ISO-like for English. */
char *
zg_mail_format_time (ZgServer   *server,
                     gint64      unix_seconds,
                     const char *lang)
{
  ZgMail *mail;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (ZG_IS_SERVER (server), NULL);
  mail = get_mail (server);
  g_return_val_if_fail (mail != NULL, NULL);

  utc = g_date_time_new_from_unix_utc (unix_seconds);
  if (utc == NULL)
    return g_strdup ("?");
  local = g_date_time_to_timezone (utc, mail->tz);
  if (g_strcmp0 (lang, "en") == 0)
    return g_date_time_format (local, "%Y-%m-%d %H:%M (%Z)");
  return g_date_time_format (local, "%d.%m.%Y, %H:%M Uhr");
}

gint64
zg_mail_retry_delay (gint64 attempts)
{
  gint64 delay = ZG_MAIL_RETRY_FIRST_SECONDS;

  for (gint64 i = 1; i < attempts && delay < ZG_MAIL_RETRY_MAX_SECONDS; i++)
    delay *= 2;
  return MIN (delay, ZG_MAIL_RETRY_MAX_SECONDS);
}

/* Renders @template_name and stores the mail as pending. Call it inside the transaction of
 * the action that causes the mail: if that rolls back, no mail goes out. Delivery starts
 * from the main loop afterwards. */
gint64
zg_mail_enqueue (ZgServer            *server,
                 const char          *recipient,
                 const char          *template_name,
                 const char          *lang,
                 const char * const  *values,
                 GError             **error)
{
  ZgMail *mail;
  ZgStorage *storage;
  g_autoptr(ZgStmt) stmt = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *body = NULL;
  gint64 now;

  g_return_val_if_fail (ZG_IS_SERVER (server), 0);
  g_return_val_if_fail (recipient != NULL, 0);
  g_return_val_if_fail (template_name != NULL, 0);
  mail = get_mail (server);
  g_return_val_if_fail (mail != NULL, 0);

  if (lang == NULL)
    lang = "de";
  if (!zg_mail_address_is_valid (recipient))
    {
      g_set_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_INVALID_ADDRESS,
                   "Invalid recipient address");
      return 0;
    }
  if (!zg_mail_templates_render (mail->templates, template_name, lang, values, &subject, &body,
                                 error))
    return 0;

  storage = zg_server_get_storage (server);
  now = zg_server_now (server);
  stmt = zg_storage_prepare (storage,
                             "INSERT INTO mail_outbox (created_at, recipient, subject, body,"
                             " template, lang, status, attempts, next_attempt)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', 0, ?1);", error);
  if (stmt == NULL)
    return 0;
  zg_stmt_bind_int64 (stmt, 1, now);
  zg_stmt_bind_text (stmt, 2, recipient);
  zg_stmt_bind_text (stmt, 3, subject);
  zg_stmt_bind_text (stmt, 4, body);
  zg_stmt_bind_text (stmt, 5, template_name);
  zg_stmt_bind_text (stmt, 6, lang);
  if (!zg_stmt_run (stmt, error))
    return 0;

  zg_mail_kick (server);
  return zg_storage_last_insert_id (storage);
}

static gboolean
kick_cb (gpointer user_data)
{
  ZgMail *mail = user_data;

  g_clear_pointer (&mail->kick_source, g_source_unref);
  process_next (mail);
  return G_SOURCE_REMOVE;
}

/* Deferred to an idle callback so that a kick inside a transaction runs after its commit. */
void
zg_mail_kick (ZgServer *server)
{
  ZgMail *mail;

  g_return_if_fail (ZG_IS_SERVER (server));
  mail = get_mail (server);
  if (mail == NULL || mail->kick_source != NULL)
    return;
  mail->kick_source = g_idle_source_new ();
  g_source_set_callback (mail->kick_source, kick_cb, mail, NULL);
  g_source_set_name (mail->kick_source, "[zeugnis] mail kick");
  g_source_attach (mail->kick_source, zg_server_get_context (server));
}

static void
delivery_free (gpointer data)
{
  Delivery *d = data;

  zg_mail_unref (d->mail);
  zg_smtp_config_free (d->smtp);
  g_free (d->maildir);
  g_free (d->from_address);
  g_free (d->recipient);
  g_clear_pointer (&d->message, g_bytes_unref);
  g_free (d);
}

static void
deliver_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Delivery *d = task_data;
  GError *error = NULL;
  gboolean ok;

  if (d->smtp != NULL)
    ok = zg_smtp_send (d->smtp, d->from_address, d->recipient, d->message, &error);
  else
    ok = zg_maildir_deliver (d->maildir, d->message, NULL, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
complete_flush_waiters (ZgMail *mail)
{
  while (mail->flush_waiters->len > 0)
    {
      GTask *task = g_ptr_array_steal_index (mail->flush_waiters, 0);

      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

static void
record_result (ZgMail     *mail,
               gint64      id,
               gint64      attempts,
               const char *error_message)
{
  ZgStorage *storage = zg_server_get_storage (mail->server);
  gint64 now = zg_server_now (mail->server);
  g_autoptr(ZgStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  if (error_message == NULL)
    {
      /* Delivered: the text (which may hold a link) is no longer needed (R-DATA-1). */
      stmt = zg_storage_prepare (storage,
                                 "UPDATE mail_outbox SET status = 'sent', sent_at = ?2,"
                                 " attempts = ?3, last_error = NULL, subject = '', body = ''"
                                 " WHERE id = ?1;", &error);
      if (stmt != NULL)
        {
          zg_stmt_bind_int64 (stmt, 1, id);
          zg_stmt_bind_int64 (stmt, 2, now);
          zg_stmt_bind_int64 (stmt, 3, attempts);
        }
    }
  else
    {
      g_autofree char *short_error = NULL;

      /* g_utf8_substring() reads past the end when asked for more than there is. */
      if (g_utf8_validate (error_message, -1, NULL)
          && g_utf8_strlen (error_message, -1) > MAX_ERROR_CHARS)
        short_error = g_utf8_substring (error_message, 0, MAX_ERROR_CHARS);
      else if (g_utf8_validate (error_message, -1, NULL))
        short_error = g_strdup (error_message);
      else
        short_error = g_utf8_make_valid (error_message, MAX_ERROR_CHARS);

      stmt = zg_storage_prepare (storage,
                                 "UPDATE mail_outbox SET attempts = ?2, next_attempt = ?3,"
                                 " last_error = ?4 WHERE id = ?1;", &error);
      if (stmt != NULL)
        {
          zg_stmt_bind_int64 (stmt, 1, id);
          zg_stmt_bind_int64 (stmt, 2, attempts);
          zg_stmt_bind_int64 (stmt, 3, now + zg_mail_retry_delay (attempts));
          zg_stmt_bind_text (stmt, 4, short_error);
        }
    }
  if (stmt == NULL || !zg_stmt_run (stmt, &error))
    g_warning ("Mail: cannot record delivery result of mail %" G_GINT64_FORMAT ": %s", id,
               error != NULL ? error->message : "unknown error");
}

static void
deliver_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = G_TASK (result);
  Delivery *d = g_task_get_task_data (task);
  ZgMail *mail = d->mail;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (task, &error))
    g_assert (error != NULL);

  if (mail->server == NULL)
    return;

  mail->busy = FALSE;
  if (error == NULL)
    g_info ("Mail %" G_GINT64_FORMAT " delivered", d->id);
  else
    g_message ("Mail %" G_GINT64_FORMAT " not delivered (attempt %" G_GINT64_FORMAT
               ", retry in %" G_GINT64_FORMAT " s): %s", d->id, d->attempts,
               zg_mail_retry_delay (d->attempts), error->message);
  record_result (mail, d->id, d->attempts, error != NULL ? error->message : NULL);
  process_next (mail);
}

static void
process_next (ZgMail *mail)
{
  ZgServer *server = mail->server;
  ZgStorage *storage;
  g_autoptr(ZgStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GTask) task = NULL;
  Delivery *d;
  const char *sender_name;
  gint64 id;
  int rc;

  if (server == NULL || mail->busy)
    return;

  /* Said once, when the worker first runs (serve), not by every CLI command. */
  if (!mail->announced)
    {
      mail->announced = TRUE;
      if (mail->smtp != NULL)
        g_message ("Mail: delivering through %s (STARTTLS required, TLS >= 1.2)",
                   mail->smtp->url);
      else
        g_message ("Mail: no SMTP server configured ([mail] smtp_url); mails are written to "
                   "the Maildir %s", mail->maildir);
    }

  storage = zg_server_get_storage (server);
  stmt = zg_storage_prepare (storage,
                             "SELECT id, recipient, subject, body, lang, created_at, attempts"
                             " FROM mail_outbox WHERE status = 'pending' AND next_attempt <= ?1"
                             " ORDER BY next_attempt, id LIMIT 1;", &error);
  if (stmt == NULL)
    {
      g_warning ("Mail: cannot read the outbox: %s", error->message);
      complete_flush_waiters (mail);
      return;
    }
  zg_stmt_bind_int64 (stmt, 1, zg_server_now (server));
  rc = zg_stmt_step (stmt, &error);
  if (rc != SQLITE_ROW)
    {
      if (rc < 0)
        g_warning ("Mail: cannot read the outbox: %s", error->message);
      complete_flush_waiters (mail);
      return;
    }

  id = zg_stmt_column_int64 (stmt, 0);
  d = g_new0 (Delivery, 1);
  d->mail = zg_mail_ref (mail);
  d->id = id;
  d->attempts = zg_stmt_column_int64 (stmt, 6) + 1;
  d->recipient = g_strdup (zg_stmt_column_text (stmt, 1));
  d->from_address = g_strdup (mail->from_address);
  d->smtp = mail->smtp != NULL ? zg_smtp_config_copy (mail->smtp) : NULL;
  d->maildir = g_strdup (mail->maildir);

  date = g_date_time_new_from_unix_utc (zg_stmt_column_int64 (stmt, 5));
  if (date == NULL)
    date = g_date_time_new_now_utc ();
  sender_name = zg_settings_get_string (zg_server_get_settings (server),
                                        ZG_SETTING_MAIL_SENDER_NAME);
  d->message = zg_mail_message_build (sender_name, mail->from_address, d->recipient,
                                      zg_stmt_column_text (stmt, 2),
                                      zg_stmt_column_text (stmt, 3), date,
                                      zg_stmt_column_text (stmt, 4),
                                      mail->smtp != NULL ? ZG_MAIL_NEWLINE_CRLF
                                                         : ZG_MAIL_NEWLINE_LF,
                                      &error);
  g_clear_pointer (&stmt, zg_stmt_release);

  task = g_task_new (NULL, mail->cancellable, deliver_cb, NULL);
  g_task_set_source_tag (task, process_next);
  g_task_set_task_data (task, d, delivery_free);
  /* Does not keep the cancellable from stopping the callback: the result must be recorded. */
  g_task_set_check_cancellable (task, FALSE);
  mail->busy = TRUE;

  if (d->message == NULL)
    {
      /* Cannot happen for mails enqueued through zg_mail_enqueue(); kept pending with the
       * reason so that an administrator sees it, retried with back-off like any failure. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, deliver_thread);
}

void
zg_mail_flush_async (ZgServer            *server,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ZgMail *mail;

  g_return_if_fail (ZG_IS_SERVER (server));

  task = g_task_new (server, cancellable, callback, user_data);
  g_task_set_source_tag (task, zg_mail_flush_async);
  mail = get_mail (server);
  if (mail == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               "Mail is not initialised");
      return;
    }
  g_ptr_array_add (mail->flush_waiters, g_steal_pointer (&task));
  zg_mail_kick (server);
}

/* Completes once no due mail is left (delivered, or failed and scheduled for a retry). */
gboolean
zg_mail_flush_finish (ZgServer      *server,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, server), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Deletes the metadata of delivered mails after the retention; pending ones stay. */
gint64
zg_mail_purge_sent (ZgServer *server)
{
  ZgMail *mail;
  ZgStorage *storage;
  g_autoptr(ZgStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (ZG_IS_SERVER (server), -1);
  mail = get_mail (server);
  g_return_val_if_fail (mail != NULL, -1);

  storage = zg_server_get_storage (server);
  stmt = zg_storage_prepare (storage,
                             "DELETE FROM mail_outbox WHERE status = 'sent' AND sent_at < ?1;",
                             &error);
  if (stmt == NULL)
    return -1;
  zg_stmt_bind_int64 (stmt, 1, zg_server_now (server) - mail->retention_days * 24 * 60 * 60);
  if (!zg_stmt_run (stmt, &error))
    {
      g_warning ("Mail: cannot purge delivered mails: %s", error->message);
      return -1;
    }
  return zg_storage_changes (storage);
}

void
zg_mail_outbox_stats (ZgServer          *server,
                      ZgMailOutboxStats *out_stats)
{
  ZgStorage *storage;
  g_autoptr(ZgStmt) stmt = NULL;

  g_return_if_fail (ZG_IS_SERVER (server));
  g_return_if_fail (out_stats != NULL);

  memset (out_stats, 0, sizeof *out_stats);
  storage = zg_server_get_storage (server);
  stmt = zg_storage_prepare (storage,
                             "SELECT (SELECT count(*) FROM mail_outbox WHERE status = 'pending'),"
                             " (SELECT count(*) FROM mail_outbox WHERE status = 'sent'),"
                             " (SELECT attempts FROM mail_outbox ORDER BY id DESC LIMIT 1),"
                             " (SELECT last_error FROM mail_outbox ORDER BY id DESC LIMIT 1);",
                             NULL);
  if (stmt == NULL || zg_stmt_step (stmt, NULL) != SQLITE_ROW)
    return;
  out_stats->pending = zg_stmt_column_int64 (stmt, 0);
  out_stats->sent = zg_stmt_column_int64 (stmt, 1);
  out_stats->attempts = zg_stmt_column_int64 (stmt, 2);
  out_stats->last_error = g_strdup (zg_stmt_column_text (stmt, 3));
}

void
zg_mail_outbox_stats_clear (ZgMailOutboxStats *stats)
{
  g_clear_pointer (&stats->last_error, g_free);
}
