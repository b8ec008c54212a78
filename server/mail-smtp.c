/* mail-smtp.c — SMTP delivery with libcurl: STARTTLS required, TLS >= 1.2, verified peer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * R-MAIL-1: there is no code path that sends a mail in plaintext. CURLUSESSL_ALL makes curl
 * fail when an smtp:// server does not offer STARTTLS, instead of falling back.
 * curl blocks, so the async variant runs it in a GTask worker thread.
 */
#include "config.h"

#include <string.h>

#include <curl/curl.h>

#include "mail-message.h"
#include "mail-smtp.h"

#define DEFAULT_TIMEOUT_SECONDS 60

void
zg_smtp_global_init (void)
{
  static gsize initialized = 0;

  /* curl_global_init is not thread-safe: call it once from the main thread at start. */
  if (g_once_init_enter (&initialized))
    {
      if (curl_global_init (CURL_GLOBAL_DEFAULT) != CURLE_OK)
        g_error ("curl_global_init failed");
      g_once_init_leave (&initialized, 1);
    }
}

ZgSmtpConfig *
zg_smtp_config_copy (const ZgSmtpConfig *config)
{
  ZgSmtpConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_new0 (ZgSmtpConfig, 1);
  copy->url = g_strdup (config->url);
  copy->username = g_strdup (config->username);
  copy->password = g_strdup (config->password);
  copy->ca_file = g_strdup (config->ca_file);
  copy->timeout_seconds = config->timeout_seconds;
  return copy;
}

void
zg_smtp_config_free (ZgSmtpConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->url);
  g_free (config->username);
  if (config->password != NULL)
    memset (config->password, 0, strlen (config->password));
  g_free (config->password);
  g_free (config->ca_file);
  g_free (config);
}

gboolean
zg_smtp_config_check (const ZgSmtpConfig  *config,
                      GError             **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (config != NULL, FALSE);

  if (config->url == NULL
      || (uri = g_uri_parse (config->url, G_URI_FLAGS_NONE, NULL)) == NULL
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_CONFIG,
                   "smtp_url must look like smtp://host:587 or smtps://host:465");
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "smtp") != 0 && g_ascii_strcasecmp (scheme, "smtps") != 0)
    {
      g_set_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_CONFIG,
                   "smtp_url scheme must be smtp (STARTTLS) or smtps, not “%s”", scheme);
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_CONFIG,
                   "Put SMTP credentials in smtp_username/smtp_password, not in smtp_url");
      return FALSE;
    }
  if ((config->username == NULL) != (config->password == NULL))
    {
      g_set_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_CONFIG,
                   "smtp_username and smtp_password must be set together");
      return FALSE;
    }
  if (config->ca_file != NULL && !g_file_test (config->ca_file, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_CONFIG,
                   "smtp_ca_file %s does not exist", config->ca_file);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
} ReadState;

static size_t
read_cb (char   *buffer,
         size_t  size,
         size_t  nitems,
         void   *userdata)
{
  ReadState *state = userdata;
  gsize room = size * nitems;
  gsize n = MIN (room, state->len - state->pos);

  memcpy (buffer, state->data + state->pos, n);
  state->pos += n;
  return n;
}

static int
map_curl_error (CURLcode code)
{
  switch ((int) code)
    {
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
      return ZG_MAIL_ERROR_TLS;
    default:
      return ZG_MAIL_ERROR_DELIVERY;
    }
}

/* Blocking; call from a worker thread (or a test). */
gboolean
zg_smtp_send (const ZgSmtpConfig  *config,
              const char          *from_address,
              const char          *to_address,
              GBytes              *message,
              GError             **error)
{
  CURL *curl = NULL;
  struct curl_slist *rcpt = NULL;
  g_autofree char *mail_from = NULL;
  g_autofree char *mail_rcpt = NULL;
  char errbuf[CURL_ERROR_SIZE] = { 0 };
  ReadState state = { 0 };
  CURLcode res = CURLE_OK;
  gboolean ok = FALSE;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (!zg_smtp_config_check (config, error))
    return FALSE;
  if (!zg_mail_address_is_valid (from_address) || !zg_mail_address_is_valid (to_address))
    {
      g_set_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_INVALID_ADDRESS,
                   "Invalid sender or recipient address");
      return FALSE;
    }

  zg_smtp_global_init ();
  curl = curl_easy_init ();
  if (curl == NULL)
    {
      g_set_error (error, ZG_MAIL_ERROR, ZG_MAIL_ERROR_DELIVERY, "curl_easy_init failed");
      return FALSE;
    }

  mail_from = g_strdup_printf ("<%s>", from_address);
  mail_rcpt = g_strdup_printf ("<%s>", to_address);
  rcpt = curl_slist_append (NULL, mail_rcpt);
  state.data = g_bytes_get_data (message, &state.len);

#define SETOPT(opt, val) \
  if (res == CURLE_OK) \
    res = curl_easy_setopt (curl, opt, val)

  SETOPT (CURLOPT_ERRORBUFFER, errbuf);
  SETOPT (CURLOPT_URL, config->url);
  SETOPT (CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  SETOPT (CURLOPT_USE_SSL, (long) CURLUSESSL_ALL);
  SETOPT (CURLOPT_SSLVERSION, (long) CURL_SSLVERSION_TLSv1_2);
  SETOPT (CURLOPT_SSL_VERIFYPEER, 1L);
  SETOPT (CURLOPT_SSL_VERIFYHOST, 2L);
  if (config->ca_file != NULL)
    SETOPT (CURLOPT_CAINFO, config->ca_file);
  if (config->username != NULL)
    {
      SETOPT (CURLOPT_USERNAME, config->username);
      SETOPT (CURLOPT_PASSWORD, config->password);
    }
  SETOPT (CURLOPT_MAIL_FROM, mail_from);
  SETOPT (CURLOPT_MAIL_RCPT, rcpt);
  SETOPT (CURLOPT_READFUNCTION, read_cb);
  SETOPT (CURLOPT_READDATA, &state);
  SETOPT (CURLOPT_UPLOAD, 1L);
  SETOPT (CURLOPT_INFILESIZE_LARGE, (curl_off_t) state.len);
  SETOPT (CURLOPT_NOSIGNAL, 1L);
  SETOPT (CURLOPT_CONNECTTIMEOUT, 20L);
  SETOPT (CURLOPT_TIMEOUT,
          (long) (config->timeout_seconds > 0 ? config->timeout_seconds
                                               : DEFAULT_TIMEOUT_SECONDS));
#undef SETOPT

  if (res == CURLE_OK)
    res = curl_easy_perform (curl);

  if (res == CURLE_OK)
    ok = TRUE;
  else
    g_set_error (error, ZG_MAIL_ERROR, map_curl_error (res), "SMTP delivery failed: %s%s%s",
                 curl_easy_strerror (res), errbuf[0] ? ": " : "", errbuf);

  curl_slist_free_all (rcpt);
  curl_easy_cleanup (curl);
  return ok;
}

typedef struct
{
  ZgSmtpConfig *config;
  char         *from_address;
  char         *to_address;
  GBytes       *message;
} SendData;

static void
send_data_free (gpointer data)
{
  SendData *sd = data;

  zg_smtp_config_free (sd->config);
  g_free (sd->from_address);
  g_free (sd->to_address);
  g_bytes_unref (sd->message);
  g_free (sd);
}

static void
send_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SendData *sd = task_data;
  GError *error = NULL;

  if (zg_smtp_send (sd->config, sd->from_address, sd->to_address, sd->message, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
zg_smtp_send_async (const ZgSmtpConfig  *config,
                    const char          *from_address,
                    const char          *to_address,
                    GBytes              *message,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *sd;

  g_return_if_fail (config != NULL);
  g_return_if_fail (message != NULL);

  zg_smtp_global_init ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, zg_smtp_send_async);
  sd = g_new0 (SendData, 1);
  sd->config = zg_smtp_config_copy (config);
  sd->from_address = g_strdup (from_address);
  sd->to_address = g_strdup (to_address);
  sd->message = g_bytes_ref (message);
  g_task_set_task_data (task, sd, send_data_free);
  g_task_run_in_thread (task, send_thread);
}

gboolean
zg_smtp_send_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
