/* mail-outbox.h — outgoing mail: outbox table, templates, delivery worker (R-MAIL-1, R-MAIL-2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feature code never talks SMTP. It calls zg_mail_enqueue() inside the transaction of the
 * action that causes the mail; the worker delivers it later (SMTP with STARTTLS, or a Maildir
 * in demo mode), retries with back-off and never drops a pending mail.
 */
#pragma once

#include "mail-template.h"
#include "zg-server.h"

G_BEGIN_DECLS

#define ZG_MAIL_RETRY_FIRST_SECONDS 60
#define ZG_MAIL_RETRY_MAX_SECONDS   3600

typedef struct
{
  gint64  pending;
  gint64  sent;
  gint64  attempts;      /* of the most recently created mail */
  char   *last_error;    /* of the most recently created mail */
} ZgMailOutboxStats;

gboolean          zg_mail_init               (ZgServer            *server,
                                              GError             **error);
ZgMailTemplates  *zg_mail_get_templates      (ZgServer            *server);
gboolean          zg_mail_uses_maildir       (ZgServer            *server);
const char       *zg_mail_get_maildir        (ZgServer            *server);
char             *zg_mail_format_time        (ZgServer            *server,
                                              gint64               unix_seconds,
                                              const char          *lang);

gint64            zg_mail_enqueue            (ZgServer            *server,
                                              const char          *recipient,
                                              const char          *template_name,
                                              const char          *lang,
                                              const char * const  *values,
                                              GError             **error);
void              zg_mail_kick               (ZgServer            *server);
void              zg_mail_flush_async        (ZgServer            *server,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean          zg_mail_flush_finish       (ZgServer            *server,
                                              GAsyncResult        *result,
                                              GError             **error);
gint64            zg_mail_purge_sent         (ZgServer            *server);
gint64            zg_mail_retry_delay        (gint64               attempts);
void              zg_mail_outbox_stats       (ZgServer            *server,
                                              ZgMailOutboxStats   *out_stats);
void              zg_mail_outbox_stats_clear (ZgMailOutboxStats   *stats);

G_END_DECLS
