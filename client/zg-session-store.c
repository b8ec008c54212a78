/* zg-session-store.c — the session token in the Secret Service
 *
 * The libsecret calls run synchronously on a GTask worker thread, like the cache key's
 * (zg-cache-key.c): the UI thread never waits on D-Bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "zg-cache.h"
#include "zg-session-store.h"

typedef struct
{
  char *server;   /* normalised */
  char *user;     /* normalised */
  char *token;    /* only for save */
} StoreData;

static void
store_data_free (gpointer data)
{
  StoreData *d = data;

  g_free (d->server);
  g_free (d->user);
  if (d->token != NULL)
    {
      memset (d->token, 0, strlen (d->token));
      g_free (d->token);
    }
  g_free (d);
}

static const SecretSchema *
session_secret_schema (void)
{
  static const SecretSchema schema = {
    "de.zeugnis.Session", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* A task with the normalised account as its data, or NULL after returning the error. */
static GTask *
store_task_new (const char          *server_url,
                const char          *user,
                const char          *token,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data,
                gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  StoreData *data = g_new0 (StoreData, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  data->token = g_strdup (token);
  g_task_set_task_data (task, data, store_data_free);
  if (!zg_cache_normalize_account (server_url, user, &data->server, &data->user, &error))
    {
      g_task_return_error (task, error);
      return NULL;
    }
  return g_steal_pointer (&task);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  StoreData *data = task_data;
  g_autofree char *label = NULL;
  GError *error = NULL;

  /* TRANSLATORS: the label of the keyring entry; %s is the e-mail and the server address */
  label = g_strdup_printf (_("Zeugnis session of %s on %s"), data->user, data->server);
  if (secret_password_store_sync (session_secret_schema (), SECRET_COLLECTION_DEFAULT, label,
                                  data->token, cancellable, &error,
                                  "server", data->server, "user", data->user, NULL))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
zg_session_store_save_async (const char          *server_url,
                             const char          *user,
                             const char          *token,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (token != NULL);

  task = store_task_new (server_url, user, token, cancellable, callback, user_data,
                         zg_session_store_save_async);
  if (task != NULL)
    g_task_run_in_thread (task, save_thread);
}

gboolean
zg_session_store_save_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  StoreData *data = task_data;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_sync (session_secret_schema (), cancellable, &error,
                                        "server", data->server, "user", data->user, NULL);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* A copy in normal memory: the token goes into HTTP headers anyway. */
  g_task_return_pointer (task, g_strdup (secret), g_free);
  secret_password_free (secret);
}

void
zg_session_store_lookup_async (const char          *server_url,
                               const char          *user,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (user != NULL);

  task = store_task_new (server_url, user, NULL, cancellable, callback, user_data,
                         zg_session_store_lookup_async);
  if (task != NULL)
    g_task_run_in_thread (task, lookup_thread);
}

/* Returns NULL without an error when the keyring holds no session for this account. */
char *
zg_session_store_lookup_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  StoreData *data = task_data;
  GError *error = NULL;

  /* FALSE without an error only means there was nothing to remove. */
  secret_password_clear_sync (session_secret_schema (), cancellable, &error,
                              "server", data->server, "user", data->user, NULL);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
zg_session_store_clear_async (const char          *server_url,
                              const char          *user,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (user != NULL);

  task = store_task_new (server_url, user, NULL, cancellable, callback, user_data,
                         zg_session_store_clear_async);
  if (task != NULL)
    g_task_run_in_thread (task, clear_thread);
}

gboolean
zg_session_store_clear_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
