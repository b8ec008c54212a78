/* test-mail-utils.h — a real SMTP server (python3-aiosmtpd) on loopback for the mail tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gmime/gmime.h>

G_BEGIN_DECLS

typedef struct _ZgTestSmtp ZgTestSmtp;

ZgTestSmtp   *zg_test_smtp_new            (gboolean     starttls);
ZgTestSmtp   *zg_test_smtp_new_auth       (const char  *user,
                                           const char  *password);
void          zg_test_smtp_free           (ZgTestSmtp  *self);
void          zg_test_smtp_start          (ZgTestSmtp  *self);
void          zg_test_smtp_stop           (ZgTestSmtp  *self);
const char   *zg_test_smtp_get_url        (ZgTestSmtp  *self);
const char   *zg_test_smtp_get_ca_file    (ZgTestSmtp  *self);
const char   *zg_test_smtp_get_maildir    (ZgTestSmtp  *self);
guint         zg_test_smtp_count          (ZgTestSmtp  *self);
GPtrArray    *zg_test_smtp_wait_messages  (ZgTestSmtp  *self,
                                           guint        n_expected,
                                           guint        timeout_ms);

GPtrArray    *zg_test_maildir_messages    (const char  *maildir);
GMimeMessage *zg_test_parse_message_file  (const char  *path);
char         *zg_test_message_text        (GMimeMessage *message);
char         *zg_test_find_link           (const char  *text,
                                           const char  *prefix);
void          zg_test_iterate_until       (const gboolean *flag,
                                           guint           timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgTestSmtp, zg_test_smtp_free)

G_END_DECLS
