/* zg-pdf.h — the certificate as a PDF (R-APP-8) in the layout of a formatting profile (R-APP-3)
 *
 * A ZgPdfRenderer holds what is costly to build and shared by every letter of
 * one profile: the font map, hyphenation patterns, the decoded logo and the
 * letterhead/footer layouts. It is not thread-safe: one renderer per thread.
 *
 * Rendering is two-pass: zg_pdf_renderer_paginate() lays out the document
 * into pages (ZgPdfPages), then zg_pdf_draw_page() draws one page onto any
 * cairo_t whose user space is PostScript points with the origin at the top
 * left of the page — a PDF surface here, a GtkPrintContext in the client
 * (gtk_print_operation_set_unit (op, GTK_UNIT_POINTS), use_full_page = TRUE).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "zg-document.h"
#include "zg-format-profile.h"

G_BEGIN_DECLS

#define ZG_PDF_ERROR (zg_pdf_error_quark ())

typedef enum
{
  ZG_PDF_ERROR_LOGO,       /* the logo image cannot be decoded */
  ZG_PDF_ERROR_CAIRO,      /* cairo failed (out of memory, cannot write the file) */
  ZG_PDF_ERROR_DOCUMENT,   /* the document is unusable (no text at all) */
} ZgPdfError;

#define ZG_PDF_A4_WIDTH_PT  595.2756
#define ZG_PDF_A4_HEIGHT_PT 841.8898

typedef struct _ZgPdfRenderer ZgPdfRenderer;
typedef struct _ZgPdfPages    ZgPdfPages;

typedef struct
{
  int block;     /* index in ZgDocument.blocks of the paragraph's first block (blocks
                    that continue it are set with it); -1 = the place/date + signature block */
  int line;      /* line of that paragraph, from 0 */
  int n_lines;   /* lines the paragraph has */
} ZgPdfPlacedLine;

GQuark         zg_pdf_error_quark            (void);

ZgPdfRenderer *zg_pdf_renderer_new           (const ZgFormatProfile *profile,
                                              GError               **error);
void           zg_pdf_renderer_free          (ZgPdfRenderer         *renderer);
const ZgFormatProfile *
               zg_pdf_renderer_get_profile   (ZgPdfRenderer         *renderer);

ZgPdfPages    *zg_pdf_renderer_paginate      (ZgPdfRenderer         *renderer,
                                              const ZgDocument      *doc,
                                              GError               **error);
guint          zg_pdf_pages_get_n_pages      (const ZgPdfPages      *pages);
GArray        *zg_pdf_pages_get_lines        (const ZgPdfPages      *pages,
                                              guint                  page);
void           zg_pdf_pages_free             (ZgPdfPages            *pages);

void           zg_pdf_draw_page              (cairo_t               *cr,
                                              const ZgPdfPages      *pages,
                                              guint                  page_index);

gboolean       zg_pdf_renderer_render_to_file  (ZgPdfRenderer       *renderer,
                                                const ZgDocument    *doc,
                                                const char          *path,
                                                GError             **error);
GBytes        *zg_pdf_renderer_render_to_bytes (ZgPdfRenderer       *renderer,
                                                const ZgDocument    *doc,
                                                GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgPdfRenderer, zg_pdf_renderer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgPdfPages, zg_pdf_pages_free)

G_END_DECLS
