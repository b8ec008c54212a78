/* auth-password.c — Argon2id hashing off the main loop
 *
 * Hashing costs ~19 MiB and tens of milliseconds; it runs on a small pool of worker threads
 * (bounded so that concurrent logins cannot exhaust memory) while the main loop keeps
 * answering other requests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <argon2.h>
#include <openssl/crypto.h>

#include "auth-password.h"
#include "zg-crypto.h"
#include "zg-password-policy.h"
#include "zg-server-private.h"

#define SALT_BYTES 16
#define HASH_BYTES 32

typedef struct
{
  char *password;
  char *encoded;   /* verify: the stored hash; hash: NULL */
  gboolean verify;
  gboolean dummy;
} HashJob;

static void
hash_job_free (gpointer data)
{
  HashJob *job = data;

  if (job->password != NULL)
    {
      OPENSSL_cleanse (job->password, strlen (job->password));
      g_free (job->password);
    }
  g_free (job->encoded);
  g_free (job);
}

char *
zg_password_hash_sync (const char  *password,
                       GError     **error)
{
  guint8 salt[SALT_BYTES];
  gsize len;
  char *encoded;
  int rc;

  g_return_val_if_fail (password != NULL, NULL);

  len = argon2_encodedlen (ZG_ARGON2_TIME_COST, ZG_ARGON2_MEMORY_KIB, ZG_ARGON2_LANES,
                           SALT_BYTES, HASH_BYTES, Argon2_id);
  if (!zg_random_bytes (salt, sizeof salt))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no random numbers available");
      return NULL;
    }
  encoded = g_malloc0 (len);
  rc = argon2id_hash_encoded (ZG_ARGON2_TIME_COST, ZG_ARGON2_MEMORY_KIB, ZG_ARGON2_LANES,
                              password, strlen (password), salt, sizeof salt, HASH_BYTES,
                              encoded, len);
  if (rc != ARGON2_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Argon2id failed: %s",
                   argon2_error_message (rc));
      g_free (encoded);
      return NULL;
    }
  return encoded;
}

/* Only Argon2id hashes are accepted; the parameters come from the encoded string. */
gboolean
zg_password_verify_sync (const char *encoded_hash,
                         const char *password)
{
  g_return_val_if_fail (password != NULL, FALSE);

  if (encoded_hash == NULL || !g_str_has_prefix (encoded_hash, "$argon2id$"))
    return FALSE;
  return argon2id_verify (encoded_hash, password, strlen (password)) == ARGON2_OK;
}

static void
worker (gpointer data,
        gpointer user_data)
{
  static GPrivate niced;
  GTask *task = data;
  HashJob *job = g_task_get_task_data (task);

  /* Hashing yields to the event loop: on Linux the nice value is per thread. */
  if (g_private_get (&niced) == NULL)
    {
      if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10) != 0)
        g_debug ("cannot lower the priority of a hashing thread");
      g_private_set (&niced, GINT_TO_POINTER (1));
    }

  if (job->verify)
    {
      gboolean ok = zg_password_verify_sync (job->encoded, job->password);

      g_task_return_boolean (task, ok && !job->dummy);
    }
  else
    {
      GError *error = NULL;
      char *encoded = zg_password_hash_sync (job->password, &error);

      if (encoded == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, encoded, g_free);
    }
  g_object_unref (task);
}

void
_zg_password_init (ZgServer *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *random_password = zg_random_token ();
  /* Leave one core to the main loop; bounded so that bursts cannot exhaust memory. */
  guint n = CLAMP (g_get_num_processors () - 1, 1, 8);

  self->hash_pool = g_thread_pool_new (worker, NULL, (gint) n, FALSE, &error);
  if (self->hash_pool == NULL)
    g_error ("Cannot start password hashing threads: %s", error->message);
  /* Verified instead of a real hash for unknown accounts: same cost, never matches. */
  self->dummy_hash = zg_password_hash_sync (random_password, &error);
  if (self->dummy_hash == NULL)
    g_error ("Cannot compute the dummy password hash: %s", error->message);
}

void
_zg_password_shutdown (ZgServer *self)
{
  if (self->hash_pool != NULL)
    {
      g_thread_pool_free (self->hash_pool, FALSE, TRUE);
      self->hash_pool = NULL;
    }
  g_clear_pointer (&self->dummy_hash, g_free);
}

static void
start_job (ZgServer            *server,
           HashJob             *job,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (server, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, hash_job_free);
  if (server->hash_pool == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "server is shutting down");
      g_object_unref (task);
      return;
    }
  if (!g_thread_pool_push (server->hash_pool, task, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
    }
}

void
zg_password_hash_async (ZgServer            *server,
                        const char          *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  HashJob *job;

  g_return_if_fail (ZG_IS_SERVER (server));
  g_return_if_fail (password != NULL);

  job = g_new0 (HashJob, 1);
  job->password = g_strdup (password);
  start_job (server, job, zg_password_hash_async, cancellable, callback, user_data);
}

char *
zg_password_hash_finish (ZgServer      *server,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, server), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
zg_password_verify_async (ZgServer            *server,
                          const char          *encoded_hash,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  HashJob *job;

  g_return_if_fail (ZG_IS_SERVER (server));
  g_return_if_fail (password != NULL);

  job = g_new0 (HashJob, 1);
  job->verify = TRUE;
  /* Overlong input is cut here so that the dummy and the real path cost the same. */
  job->password = g_strndup (password, ZG_PASSWORD_MAX_BYTES);
  job->dummy = encoded_hash == NULL || !g_str_has_prefix (encoded_hash, "$argon2id$");
  job->encoded = g_strdup (job->dummy ? server->dummy_hash : encoded_hash);
  start_job (server, job, zg_password_verify_async, cancellable, callback, user_data);
}

gboolean
zg_password_verify_finish (ZgServer      *server,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, server), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
