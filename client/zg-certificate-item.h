/* zg-certificate-item.h — one certificate in the main window's list (a GListModel item)
 *
 * Wraps a ZgCertificateSummary from the cache (zg-cache-summary.h); immutable: a reload makes
 * new items.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "zg-cache-summary.h"

G_BEGIN_DECLS

#define ZG_TYPE_CERTIFICATE_ITEM (zg_certificate_item_get_type ())
G_DECLARE_FINAL_TYPE (ZgCertificateItem, zg_certificate_item, ZG, CERTIFICATE_ITEM, GObject)

ZgCertificateItem          *zg_certificate_item_new             (ZgCertificateSummary *summary);
const ZgCertificateSummary *zg_certificate_item_get_summary     (ZgCertificateItem    *self);
const char                 *zg_certificate_item_get_id          (ZgCertificateItem    *self);
/* "Erika Groß", or a placeholder for a certificate without a name yet */
const char                 *zg_certificate_item_get_name        (ZgCertificateItem    *self);
/* Seconds since the epoch of the last change: a local edit not yet synced, else the server's */
gint64                      zg_certificate_item_get_last_change (ZgCertificateItem    *self);
/* Created by @user_id, or created here and not yet on the server */
gboolean                    zg_certificate_item_is_mine         (ZgCertificateItem    *self,
                                                                 gint64                user_id);

/* Translated names of the keys of shared/zg-certificate.h */
const char                 *zg_certificate_status_label         (const char           *status);
const char                 *zg_certificate_kind_label           (const char           *kind);
/* "just now", "5 minutes ago", "yesterday", a date — relative to @now (both seconds since
 * the epoch) */
char                       *zg_format_relative_time             (gint64                then,
                                                                 gint64                now);

G_END_DECLS
