/* zg-certificate-row.h — one row of the list of references, drawn as a single widget
 *
 * The columns (name and position, company, kind, status pill, private, last change, sync
 * state) are laid out and drawn by the row itself: GTK 4.8 re-creates every visible row's
 * widgets when a search hides or brings back thousands of rows at once, and that cost grows
 * with the number of widgets per row (docs/client.md, figures).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "zg-certificate-item.h"

G_BEGIN_DECLS

typedef enum
{
  ZG_ROW_COLUMN_NAME,
  ZG_ROW_COLUMN_COMPANY,
  ZG_ROW_COLUMN_KIND,
  ZG_ROW_COLUMN_STATUS,
  ZG_ROW_COLUMN_PRIVATE,
  ZG_ROW_COLUMN_CHANGED,
  ZG_ROW_COLUMN_SYNC,
  ZG_ROW_N_COLUMNS,
} ZgRowColumn;

#define ZG_TYPE_CERTIFICATE_ROW (zg_certificate_row_get_type ())
G_DECLARE_FINAL_TYPE (ZgCertificateRow, zg_certificate_row, ZG, CERTIFICATE_ROW, GtkWidget)

GtkWidget         *zg_certificate_row_new          (void);
/* NULL unbinds. */
void               zg_certificate_row_set_item     (ZgCertificateRow  *self,
                                                    ZgCertificateItem *item);
ZgCertificateItem *zg_certificate_row_get_item     (ZgCertificateRow  *self);
/* The x and width of every column in a row (or the header) @width pixels wide: name and
 * company share what the fixed columns leave. */
/* What the fixed columns need plus a little for name and company. */
int                zg_certificate_row_min_width    (void);
void               zg_certificate_row_layout       (int                width,
                                                    int                x[ZG_ROW_N_COLUMNS],
                                                    int                w[ZG_ROW_N_COLUMNS]);

G_END_DECLS
