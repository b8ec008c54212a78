/* zg-pdf-export.h — the certificate as a file (Save PDF…) and on paper (Print…), in the layout
 * of the PDF renderer (shared/pdf/zg-pdf.h, R-APP-8)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "zg-document.h"

G_BEGIN_DECLS

/* Writes @doc as a PDF to @path (atomically). */
gboolean  zg_pdf_export_to_file     (const ZgDocument  *doc,
                                     const char        *path,
                                     GError           **error);
/* Asks for a file name (GtkFileChooserNative), writes the PDF and opens it with the desktop's
 * viewer. Errors are shown in a message dialog on @parent. */
void      zg_pdf_export_save_dialog (GtkWindow         *parent,
                                     const ZgDocument  *doc,
                                     const char        *suggested_name);
/* Prints @doc with the print dialog: GtkPrintOperation in points on the full page, each page
 * drawn by zg_pdf_draw_page(), so paper and PDF look the same. */
void      zg_pdf_export_print       (GtkWindow         *parent,
                                     const ZgDocument  *doc,
                                     const char        *job_name);

G_END_DECLS
