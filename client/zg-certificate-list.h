/* zg-certificate-list.h — the certificates of the offline cache as a sortable, filterable table
 *
 * A GtkListView of ZgCertificateRows (one widget per row) over ZgCertificateItems read from
 * the cache's typed summaries (zg-cache-summary.h): search as you type (name, position,
 * company; case- and umlaut-insensitive), filters by status, kind, company and "mine", sorting
 * by the header's column buttons, and empty states. Knows nothing about sync: the window
 * calls reload().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "zg-cache.h"

G_BEGIN_DECLS

#define ZG_TYPE_CERTIFICATE_LIST (zg_certificate_list_get_type ())
G_DECLARE_FINAL_TYPE (ZgCertificateList, zg_certificate_list, ZG, CERTIFICATE_LIST, AdwBin)

/* Signals:
 *   "certificate-activated" (const char *id): Enter or double click on a row.
 *   "loaded": a reload finished and the items are in the model.
 */
GtkWidget  *zg_certificate_list_new             (void);
/* NULL empties the list. Setting a cache starts a reload. */
void        zg_certificate_list_set_cache       (ZgCertificateList *self,
                                                 ZgCache           *cache);
/* The signed-in user's id for the "mine" filter; 0 = unknown (then only certificates created
 * here and not yet synced count as mine). */
void        zg_certificate_list_set_user_id     (ZgCertificateList *self,
                                                 gint64             user_id);
/* Reads the summaries on a worker thread; coalesces calls while one runs. */
void        zg_certificate_list_reload          (ZgCertificateList *self);
/* The shown items (filtered and sorted), ZgCertificateItem. */
GListModel *zg_certificate_list_get_model       (ZgCertificateList *self);
guint       zg_certificate_list_get_n_total     (ZgCertificateList *self);
/* Applies @text as the search at once (without the entry's typing delay). */
void        zg_certificate_list_set_search      (ZgCertificateList *self,
                                                 const char        *text);
void        zg_certificate_list_clear_filters   (ZgCertificateList *self);
void        zg_certificate_list_focus_search    (ZgCertificateList *self);

G_END_DECLS
