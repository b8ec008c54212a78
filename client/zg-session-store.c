/* zg-session-store.c — the session token in the Secret Service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "zg-cache.h"
#include "zg-session-store.h"

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

static void
store_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
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
  g_autofree char *label = NULL;
  g_autofree char *norm_server = NULL;
  g_autofree char *norm_user = NULL;
  GError *error = NULL;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (token != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, zg_session_store_save_async);
  if (!zg_cache_normalize_account (server_url, user, &norm_server, &norm_user, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* TRANSLATORS: the label of the keyring entry; %s is the e-mail and the server address */
  label = g_strdup_printf (_("Zeugnis session of %s on %s"), norm_user, norm_server);
  secret_password_store (session_secret_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                         cancellable, store_done_cb, g_steal_pointer (&task),
                         "server", norm_server, "user", norm_user, NULL);
}

gboolean
zg_session_store_save_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    {
      /* A copy in normal memory: the token goes into HTTP headers anyway. */
      g_task_return_pointer (task, g_strdup (secret), g_free);
      secret_password_free (secret);
    }
}

void
zg_session_store_lookup_async (const char          *server_url,
                               const char          *user,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *norm_server = NULL;
  g_autofree char *norm_user = NULL;
  GError *error = NULL;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (user != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, zg_session_store_lookup_async);
  if (!zg_cache_normalize_account (server_url, user, &norm_server, &norm_user, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  secret_password_lookup (session_secret_schema (), cancellable, lookup_done_cb,
                          g_steal_pointer (&task), "server", norm_server, "user", norm_user,
                          NULL);
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
clear_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error only means there was nothing to remove. */
  secret_password_clear_finish (result, &error);
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
  g_autofree char *norm_server = NULL;
  g_autofree char *norm_user = NULL;
  GError *error = NULL;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (user != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, zg_session_store_clear_async);
  if (!zg_cache_normalize_account (server_url, user, &norm_server, &norm_user, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  secret_password_clear (session_secret_schema (), cancellable, clear_done_cb,
                         g_steal_pointer (&task), "server", norm_server, "user", norm_user, NULL);
}

gboolean
zg_session_store_clear_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
