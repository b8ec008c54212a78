/* auth-password.h — Argon2id hashing off the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-server.h"

G_BEGIN_DECLS

/* OWASP minimum is m = 19 MiB, t = 2, p = 1. */
#define ZG_ARGON2_MEMORY_KIB 19456
#define ZG_ARGON2_TIME_COST  2
#define ZG_ARGON2_LANES      1

char     *zg_password_hash_sync    (const char          *password,
                                    GError             **error);
gboolean  zg_password_verify_sync  (const char          *encoded_hash,
                                    const char          *password);

void      zg_password_hash_async   (ZgServer            *server,
                                    const char          *password,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
char     *zg_password_hash_finish  (ZgServer            *server,
                                    GAsyncResult        *result,
                                    GError             **error);

/* @encoded_hash may be NULL (unknown account, no password yet): a dummy hash is verified
 * so that the time spent does not reveal whether the account exists; the result is FALSE. */
void      zg_password_verify_async (ZgServer            *server,
                                    const char          *encoded_hash,
                                    const char          *password,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gboolean  zg_password_verify_finish (ZgServer           *server,
                                     GAsyncResult       *result,
                                     GError            **error);

G_END_DECLS
