/* zg-format-profile.h — Zeugnisformatierung: the formatting profile of the PDF (R-APP-3)
 *
 * A profile is a data record (synced like any other record): page margins,
 * font, letterhead with logo and address block, footer, title style,
 * signature block and the position of place and date. JSON codec with
 * validation; see docs/pdf.md for the format.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ZG_FORMAT_PROFILE_ERROR (zg_format_profile_error_quark ())

typedef enum
{
  ZG_FORMAT_PROFILE_ERROR_PARSE,     /* not JSON */
  ZG_FORMAT_PROFILE_ERROR_INVALID,   /* a field is missing, of the wrong type or out of range */
  ZG_FORMAT_PROFILE_ERROR_LOGO,      /* the logo cannot be read or is neither PNG nor SVG */
} ZgFormatProfileError;

typedef enum
{
  ZG_ALIGN_LEFT,
  ZG_ALIGN_CENTER,
  ZG_ALIGN_RIGHT,
} ZgAlign;

typedef enum
{
  ZG_LOGO_NONE,
  ZG_LOGO_PNG,
  ZG_LOGO_SVG,
} ZgLogoFormat;

typedef enum
{
  ZG_SIGNATURE_AUTO,          /* side by side when there are two signatories */
  ZG_SIGNATURE_STACKED,       /* one below the other */
  ZG_SIGNATURE_SIDE_BY_SIDE,
} ZgSignatureLayout;

typedef enum
{
  ZG_PLACE_DATE_BEFORE_SIGNATURE,  /* "Berlin, 30. Juni 2026" above the signatures */
  ZG_PLACE_DATE_TOP_RIGHT,         /* right-aligned between letterhead and title */
} ZgPlaceDatePosition;

typedef struct
{
  char               *name;                 /* "Standard" */

  /* page (A4 only), millimetres */
  double              margin_top_mm;
  double              margin_bottom_mm;
  double              margin_left_mm;
  double              margin_right_mm;

  /* body font */
  char               *font_family;          /* "Liberation Sans" */
  double              font_size_pt;
  double              line_spacing;         /* factor of the font's line height */
  double              paragraph_spacing;    /* blank space between paragraphs, in lines */
  gboolean            justify;
  gboolean            hyphenate;

  /* letterhead */
  char               *company_name;         /* NULL or "": the document's */
  GStrv               address_lines;        /* NULL: the document's */
  ZgAlign             letterhead_align;
  double              letterhead_font_size_pt;
  char               *logo_path;            /* as written in the profile (relative or absolute) */
  GBytes             *logo_data;            /* the image itself: loaded from path or base64 */
  ZgLogoFormat        logo_format;
  ZgAlign             logo_align;
  double              logo_width_mm;        /* the box the logo is fitted into */
  double              logo_height_mm;

  /* footer: columns of small lines, e.g. register, management, bank */
  GPtrArray          *footer_columns;       /* GStrv per column */
  double              footer_font_size_pt;
  gboolean            footer_all_pages;

  /* title */
  double              title_font_size_pt;
  gboolean            title_bold;
  ZgAlign             title_align;
  double              title_space_before_mm;
  double              title_space_after_mm;

  /* signature block and place/date */
  ZgSignatureLayout   signature_layout;
  double              signature_space_mm;   /* room for the handwritten signature */
  gboolean            signature_rule;       /* a thin line above the printed name */
  ZgPlaceDatePosition place_date_position;
} ZgFormatProfile;

GQuark           zg_format_profile_error_quark  (void);

ZgFormatProfile *zg_format_profile_new_default  (void);
void             zg_format_profile_free         (ZgFormatProfile  *profile);
ZgFormatProfile *zg_format_profile_copy         (const ZgFormatProfile *profile);

ZgFormatProfile *zg_format_profile_from_json    (const char       *json,
                                                 gssize            length,
                                                 const char       *base_dir,
                                                 GError          **error);
ZgFormatProfile *zg_format_profile_load_file    (const char       *path,
                                                 GError          **error);
char            *zg_format_profile_to_json      (const ZgFormatProfile *profile,
                                                 gboolean          embed_logo);
gboolean         zg_format_profile_validate     (const ZgFormatProfile *profile,
                                                 GError          **error);
gboolean         zg_format_profile_set_logo     (ZgFormatProfile  *profile,
                                                 GBytes           *data,
                                                 GError          **error);
ZgLogoFormat     zg_format_profile_sniff_logo   (GBytes           *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgFormatProfile, zg_format_profile_free)

G_END_DECLS
