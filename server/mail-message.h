/* mail-message.h — MIME composition of outgoing mails (GMime 3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ZG_MAIL_ERROR (zg_mail_error_quark ())

typedef enum
{
  ZG_MAIL_ERROR_INVALID_ADDRESS,
  ZG_MAIL_ERROR_COMPOSE,
  ZG_MAIL_ERROR_CONFIG,
  ZG_MAIL_ERROR_DELIVERY,
  ZG_MAIL_ERROR_TLS,
} ZgMailError;

typedef enum
{
  ZG_MAIL_NEWLINE_LF,
  ZG_MAIL_NEWLINE_CRLF,
} ZgMailNewline;

GQuark    zg_mail_error_quark        (void);
void      zg_mail_message_init       (void);
gboolean  zg_mail_address_is_valid   (const char    *address);
GBytes   *zg_mail_message_build      (const char    *from_name,
                                      const char    *from_address,
                                      const char    *to_address,
                                      const char    *subject,
                                      const char    *body,
                                      GDateTime     *date,
                                      const char    *lang,
                                      ZgMailNewline  newline,
                                      GError       **error);

G_END_DECLS
