/* mail-smtp.h — SMTP delivery with libcurl: STARTTLS required, TLS >= 1.2, verified peer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char *url;       /* smtp://host:587 (STARTTLS required) or smtps://host:465 */
  char *username;  /* optional */
  char *password;  /* optional */
  char *ca_file;   /* optional; system trust store otherwise */
  guint timeout_seconds;
} ZgSmtpConfig;

void           zg_smtp_global_init   (void);
ZgSmtpConfig  *zg_smtp_config_copy   (const ZgSmtpConfig  *config);
void           zg_smtp_config_free   (ZgSmtpConfig        *config);
gboolean       zg_smtp_config_check  (const ZgSmtpConfig  *config,
                                      GError             **error);
gboolean       zg_smtp_send          (const ZgSmtpConfig  *config,
                                      const char          *from_address,
                                      const char          *to_address,
                                      GBytes              *message,
                                      GError             **error);
void           zg_smtp_send_async    (const ZgSmtpConfig  *config,
                                      const char          *from_address,
                                      const char          *to_address,
                                      GBytes              *message,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean       zg_smtp_send_finish   (GAsyncResult        *result,
                                      GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgSmtpConfig, zg_smtp_config_free)

G_END_DECLS
