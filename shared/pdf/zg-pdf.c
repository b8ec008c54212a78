/* zg-pdf.c — the certificate as a PDF in the layout of a formatting profile (R-APP-3, R-APP-8)
 *
 * Layout model: page 1 carries the letterhead (logo, company address block)
 * and the title; the body is a sequence of line boxes on a uniform baseline
 * grid (one pitch = font height × line spacing), each line taken from a
 * justified, hyphenated PangoLayout per paragraph. A greedy paginator with
 * backtracking places the boxes; "may break before this box" flags carry the
 * rules: no single first or last line of a paragraph on a page (orphans and
 * widows), a lead-in paragraph ending in ':' stays with the list it opens,
 * and the place/date + signature block stays with the last two lines of the
 * closing paragraph. Page numbers are added once the page count is known.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <cairo-pdf.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>

#include "zg-hyphenate.h"
#include "zg-pdf.h"

#define MM (72.0 / 25.4)

G_DEFINE_QUARK (zg-pdf-error-quark, zg_pdf_error)

struct _ZgPdfRenderer
{
  ZgFormatProfile      *profile;
  PangoFontMap         *font_map;
  PangoContext         *context;
  PangoFontDescription *body_font;
  PangoFontDescription *bold_font;
  PangoFontDescription *title_font;
  PangoFontDescription *letterhead_font;
  PangoFontDescription *letterhead_bold_font;
  PangoFontDescription *wordmark_font;
  PangoFontDescription *footer_font;
  PangoFontDescription *page_number_font;
  double                ascent;      /* body font, points */
  double                descent;
  double                pitch;       /* baseline to baseline */

  ZgHyphenator         *hyphenator_de;
  ZgHyphenator         *hyphenator_en;
  gboolean              tried_de;
  gboolean              tried_en;

  cairo_surface_t      *logo_png;
  RsvgHandle           *logo_svg;
  double                logo_w;      /* fitted into the profile's box, points */
  double                logo_h;

  GRegex               *bind_words;  /* spaces that must not break a line */

  GPtrArray            *footer_layouts;
  double                footer_x[4];
  double                footer_h;
  double                page_number_h;

  double                page_w;
  double                page_h;
  double                text_x;
  double                text_w;
};

typedef enum
{
  OP_LAYOUT,   /* a whole PangoLayout at (x, y) = its top left */
  OP_LINE,     /* one PangoLayoutLine with its baseline at (x, y) */
  OP_RULE,     /* a hairline from (x, y) to (x + w, y) */
  OP_LOGO,     /* the letterhead logo at (x, y) */
} OpKind;

typedef struct
{
  OpKind           kind;
  guint            page;
  double           x;
  double           y;
  double           w;
  double           gray;
  PangoLayout     *layout;   /* borrowed from ZgPdfPages.layouts */
  PangoLayoutLine *line;
} Op;

struct _ZgPdfPages
{
  ZgPdfRenderer *renderer;   /* borrowed; outlives the pages */
  char          *language;
  guint          n_pages;
  GPtrArray     *layouts;    /* owned PangoLayouts */
  GArray        *ops;        /* Op */
  GArray        *placed;     /* Box, as paginated (layout pointers not used after) */
};

typedef enum
{
  BOX_LINE,
  BOX_SIGNATURE,
} BoxKind;

typedef struct
{
  BoxKind          kind;
  PangoLayoutLine *line;
  double           x;
  double           height;        /* fixed height; 0 = one line pitch */
  double           gap_lines;     /* space before, in line pitches; dropped at a page top */
  gboolean         break_before;  /* a page may start with this box */
  PangoLayout     *bullet;        /* first line of a list item */
  double           bullet_x;
  int              block;         /* index in doc->blocks; -1 = signature block */
  int              line_index;
  int              n_lines;
  guint            page;
  double           y;
} Box;

typedef struct
{
  PangoLayout *place_date;
  GPtrArray   *names;       /* PangoLayout per signatory: name and function */
  int          columns;
  double       column_w;
  double       gutter;
  double       height;
} SignatureBlock;

/* ---- renderer ---------------------------------------------------------------------------- */

static PangoFontDescription *
make_font (const char  *family,
           double       size_pt,
           PangoWeight  weight)
{
  PangoFontDescription *desc = pango_font_description_new ();

  pango_font_description_set_family (desc, family);
  pango_font_description_set_absolute_size (desc, size_pt * PANGO_SCALE);
  pango_font_description_set_weight (desc, weight);
  return desc;
}

static PangoLayout *
make_layout (ZgPdfRenderer              *self,
             const char                 *text,
             const PangoFontDescription *font,
             double                      width,
             PangoAlignment              align,
             gboolean                    justify)
{
  PangoLayout *layout = pango_layout_new (self->context);

  pango_layout_set_font_description (layout, font);
  if (width > 0)
    {
      pango_layout_set_width (layout, pango_units_from_double (width));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_alignment (layout, align);
  pango_layout_set_justify (layout, justify);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* Pango 1.50 stretches a justified line that ends in an inserted hyphen
 * without counting the hyphen, so such lines overflow the margin by its width.
 * Lines are therefore broken unjustified (where the hyphen is counted) and
 * then justified here by widening the inner spaces, as Pango itself does. */
static void
justify_lines (PangoLayout *layout,
               double       width)
{
  const char *text = pango_layout_get_text (layout);
  int target = pango_units_from_double (width);

  for (GSList *l = pango_layout_get_lines (layout); l != NULL && l->next != NULL; l = l->next)
    {
      PangoLayoutLine *line = l->data;
      g_autoptr(GPtrArray) spaces = g_ptr_array_new ();
      int natural = 0;
      int pending = 0;   /* spaces seen since the last visible glyph */
      int pending_width = 0;
      int extra;

      for (GSList *r = line->runs; r != NULL; r = r->next)
        {
          PangoGlyphItem *run = r->data;

          for (int i = 0; i < run->glyphs->num_glyphs; i++)
            {
              const char *ch = text + run->item->offset + run->glyphs->log_clusters[i];

              natural += run->glyphs->glyphs[i].geometry.width;
              /* a no-break space stretches like any other */
              if (*ch == ' ' || (ch[0] == '\xc2' && ch[1] == '\xa0'))
                {
                  g_ptr_array_add (spaces, &run->glyphs->glyphs[i].geometry);
                  pending++;
                  pending_width += run->glyphs->glyphs[i].geometry.width;
                }
              else
                pending = pending_width = 0;
            }
        }
      /* Spaces at the end of the line are not stretched. */
      g_ptr_array_set_size (spaces, (gint) spaces->len - pending);
      extra = target - (natural - pending_width);
      if (spaces->len == 0 || extra <= 0)
        continue;
      for (guint i = 0; i < spaces->len; i++)
        {
          PangoGlyphGeometry *geometry = g_ptr_array_index (spaces, i);

          geometry->width += extra / (int) spaces->len + ((int) i < extra % (int) spaces->len);
        }
    }
}

static double
layout_height (PangoLayout *layout)
{
  int h = 0;

  pango_layout_get_size (layout, NULL, &h);
  return pango_units_to_double (h);
}

static PangoAlignment
to_pango_align (ZgAlign align)
{
  switch (align)
    {
    case ZG_ALIGN_CENTER:
      return PANGO_ALIGN_CENTER;
    case ZG_ALIGN_RIGHT:
      return PANGO_ALIGN_RIGHT;
    case ZG_ALIGN_LEFT:
    default:
      return PANGO_ALIGN_LEFT;
    }
}

static cairo_status_t
read_bytes_cb (void          *closure,
               unsigned char *data,
               unsigned int   length)
{
  GBytes **rest = closure;
  gsize avail = 0;
  const guint8 *src = g_bytes_get_data (*rest, &avail);
  GBytes *next;

  if (length > avail)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, src, length);
  next = g_bytes_new_from_bytes (*rest, length, avail - length);
  g_bytes_unref (*rest);
  *rest = next;
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
load_logo (ZgPdfRenderer  *self,
           GError        **error)
{
  const ZgFormatProfile *p = self->profile;
  double iw = 0;
  double ih = 0;
  double scale;

  if (p->logo_data == NULL)
    return TRUE;

  if (p->logo_format == ZG_LOGO_PNG)
    {
      GBytes *rest = g_bytes_ref (p->logo_data);

      self->logo_png = cairo_image_surface_create_from_png_stream (read_bytes_cb, &rest);
      g_bytes_unref (rest);
      if (cairo_surface_status (self->logo_png) != CAIRO_STATUS_SUCCESS)
        {
          g_set_error (error, ZG_PDF_ERROR, ZG_PDF_ERROR_LOGO, "The PNG logo cannot be decoded: %s",
                       cairo_status_to_string (cairo_surface_status (self->logo_png)));
          g_clear_pointer (&self->logo_png, cairo_surface_destroy);
          return FALSE;
        }
      iw = cairo_image_surface_get_width (self->logo_png);
      ih = cairo_image_surface_get_height (self->logo_png);
    }
  else if (p->logo_format == ZG_LOGO_SVG)
    {
      g_autoptr(GError) local_error = NULL;
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (p->logo_data, &len);
      gboolean has_viewbox = FALSE;
      RsvgRectangle viewbox = { 0, 0, 0, 0 };

      self->logo_svg = rsvg_handle_new_from_data (data, len, &local_error);
      if (self->logo_svg == NULL)
        {
          g_set_error (error, ZG_PDF_ERROR, ZG_PDF_ERROR_LOGO, "The SVG logo cannot be read: %s",
                       local_error->message);
          return FALSE;
        }
      rsvg_handle_set_dpi (self->logo_svg, 72.0);
      if (!rsvg_handle_get_intrinsic_size_in_pixels (self->logo_svg, &iw, &ih))
        {
          rsvg_handle_get_intrinsic_dimensions (self->logo_svg, NULL, NULL, NULL, NULL,
                                                &has_viewbox, &viewbox);
          iw = has_viewbox ? viewbox.width : 0;
          ih = has_viewbox ? viewbox.height : 0;
        }
    }

  if (iw <= 0 || ih <= 0)
    {
      g_set_error (error, ZG_PDF_ERROR, ZG_PDF_ERROR_LOGO, "The logo has no size");
      return FALSE;
    }
  scale = MIN (p->logo_width_mm * MM / iw, p->logo_height_mm * MM / ih);
  self->logo_w = iw * scale;
  self->logo_h = ih * scale;
  return TRUE;
}

/* Footer columns at their natural width, spread over the text width with
 * equal gaps; when they do not fit, equal columns that wrap. */
static void
layout_footer (ZgPdfRenderer *self)
{
  const ZgFormatProfile *p = self->profile;
  guint n = p->footer_columns->len;
  double natural = 0;
  double gap;

  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strjoinv ("\n", g_ptr_array_index (p->footer_columns, i));
      PangoLayout *layout = make_layout (self, text, self->footer_font, 0, PANGO_ALIGN_LEFT,
                                         FALSE);
      int w = 0;

      pango_layout_get_size (layout, &w, NULL);
      natural += pango_units_to_double (w);
      g_ptr_array_add (self->footer_layouts, layout);
    }

  gap = n > 1 ? (self->text_w - natural) / (n - 1) : 0;
  if (gap < 3 * MM)
    {
      double col_w = self->text_w / n;

      for (guint i = 0; i < n; i++)
        {
          PangoLayout *layout = g_ptr_array_index (self->footer_layouts, i);

          pango_layout_set_width (layout, pango_units_from_double (col_w - 3 * MM));
          pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
          self->footer_x[i] = self->text_x + i * col_w;
        }
    }
  else
    {
      double x = self->text_x;

      for (guint i = 0; i < n; i++)
        {
          int w = 0;

          pango_layout_get_size (g_ptr_array_index (self->footer_layouts, i), &w, NULL);
          self->footer_x[i] = x;
          x += pango_units_to_double (w) + gap;
        }
    }
  for (guint i = 0; i < n; i++)
    self->footer_h = MAX (self->footer_h,
                          layout_height (g_ptr_array_index (self->footer_layouts, i)));
}

ZgPdfRenderer *
zg_pdf_renderer_new (const ZgFormatProfile  *profile,
                     GError                **error)
{
  g_autoptr(ZgPdfRenderer) self = NULL;
  const ZgFormatProfile *p;
  cairo_font_options_t *options;
  PangoFontMetrics *metrics;
  double line_h;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!zg_format_profile_validate (profile, error))
    return NULL;

  self = g_new0 (ZgPdfRenderer, 1);
  self->profile = zg_format_profile_copy (profile);
  p = self->profile;
  self->page_w = ZG_PDF_A4_WIDTH_PT;
  self->page_h = ZG_PDF_A4_HEIGHT_PT;
  self->text_x = p->margin_left_mm * MM;
  self->text_w = self->page_w - (p->margin_left_mm + p->margin_right_mm) * MM;

  /* A private font map (fonts stay cached across documents) and unhinted
   * metrics at 72 dpi so that one Pango unit is one point on every target. */
  self->font_map = pango_cairo_font_map_new ();
  self->context = pango_font_map_create_context (self->font_map);
  pango_cairo_context_set_resolution (self->context, 72.0);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (self->context, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (self->context, FALSE);

  self->body_font = make_font (p->font_family, p->font_size_pt, PANGO_WEIGHT_NORMAL);
  self->bold_font = make_font (p->font_family, p->font_size_pt, PANGO_WEIGHT_BOLD);
  self->title_font = make_font (p->font_family, p->title_font_size_pt,
                                p->title_bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  self->letterhead_font = make_font (p->font_family, p->letterhead_font_size_pt,
                                     PANGO_WEIGHT_NORMAL);
  self->letterhead_bold_font = make_font (p->font_family, p->letterhead_font_size_pt,
                                          PANGO_WEIGHT_BOLD);
  self->wordmark_font = make_font (p->font_family, p->font_size_pt * 1.6, PANGO_WEIGHT_BOLD);
  self->footer_font = make_font (p->font_family, p->footer_font_size_pt, PANGO_WEIGHT_NORMAL);
  self->page_number_font = make_font (p->font_family, MAX (p->font_size_pt - 2, 7),
                                      PANGO_WEIGHT_NORMAL);

  metrics = pango_context_get_metrics (self->context, self->body_font, NULL);
  self->ascent = pango_units_to_double (pango_font_metrics_get_ascent (metrics));
  self->descent = pango_units_to_double (pango_font_metrics_get_descent (metrics));
  line_h = pango_units_to_double (pango_font_metrics_get_height (metrics));
  pango_font_metrics_unref (metrics);
  if (line_h <= 0)
    line_h = self->ascent + self->descent;
  self->pitch = line_h * p->line_spacing;

  if (!load_logo (self, error))
    return NULL;

  /* "30.|Juni 2026", "Herr|Müller" and "Dr.|Kranz" are never split over two lines
   * (DIN 5008 keeps a date together): the space becomes a no-break space. */
  self->bind_words = g_regex_new ("(?<=\\d\\.|\\d) (?=(?:Januar|Februar|März|April|Mai|Juni|Juli|"
                                  "August|September|Oktober|November|Dezember|January|February|"
                                  "March|May|June|July|October|December)\\b)"
                                  "|(?<=\\bJanuar|\\bFebruar|\\bMärz|\\bApril|\\bMai|\\bJuni|"
                                  "\\bJuli|\\bAugust|\\bSeptember|\\bOktober|\\bNovember|"
                                  "\\bDezember|\\bJanuary|\\bFebruary|\\bMarch|\\bMay|\\bJune|"
                                  "\\bJuly|\\bOctober|\\bDecember) (?=\\d{4}\\b)"
                                  "|(?<=\\bHerr|\\bHerrn|\\bFrau|\\bDr\\.|\\bProf\\.|\\bDr|"
                                  "\\bProf|\\bMr|\\bMs|\\bMrs) (?=\\p{Lu})",
                                  G_REGEX_OPTIMIZE, 0, NULL);
  g_assert (self->bind_words != NULL);

  self->footer_layouts = g_ptr_array_new_with_free_func (g_object_unref);
  layout_footer (self);
  {
    g_autoptr(PangoLayout) probe = make_layout (self, "Seite 1 von 2", self->page_number_font, 0,
                                                PANGO_ALIGN_LEFT, FALSE);

    self->page_number_h = layout_height (probe);
  }

  return g_steal_pointer (&self);
}

void
zg_pdf_renderer_free (ZgPdfRenderer *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->footer_layouts, g_ptr_array_unref);
  g_clear_pointer (&self->bind_words, g_regex_unref);
  g_clear_pointer (&self->logo_png, cairo_surface_destroy);
  g_clear_object (&self->logo_svg);
  g_clear_pointer (&self->hyphenator_de, zg_hyphenator_free);
  g_clear_pointer (&self->hyphenator_en, zg_hyphenator_free);
  g_clear_pointer (&self->body_font, pango_font_description_free);
  g_clear_pointer (&self->bold_font, pango_font_description_free);
  g_clear_pointer (&self->title_font, pango_font_description_free);
  g_clear_pointer (&self->letterhead_font, pango_font_description_free);
  g_clear_pointer (&self->letterhead_bold_font, pango_font_description_free);
  g_clear_pointer (&self->wordmark_font, pango_font_description_free);
  g_clear_pointer (&self->footer_font, pango_font_description_free);
  g_clear_pointer (&self->page_number_font, pango_font_description_free);
  g_clear_object (&self->context);
  g_clear_object (&self->font_map);
  g_clear_pointer (&self->profile, zg_format_profile_free);
  g_free (self);
}

const ZgFormatProfile *
zg_pdf_renderer_get_profile (ZgPdfRenderer *renderer)
{
  g_return_val_if_fail (renderer != NULL, NULL);
  return renderer->profile;
}

static ZgHyphenator *
get_hyphenator (ZgPdfRenderer *self,
                const char    *language)
{
  gboolean german = g_str_has_prefix (language, "de");
  ZgHyphenator **slot = german ? &self->hyphenator_de : &self->hyphenator_en;
  gboolean *tried = german ? &self->tried_de : &self->tried_en;

  if (!self->profile->hyphenate)
    return NULL;
  if (!*tried)
    {
      g_autoptr(GError) error = NULL;

      *tried = TRUE;
      *slot = zg_hyphenator_new_for_language (german ? "de" : "en", &error);
      if (*slot == NULL)
        g_debug ("No hyphenation: %s", error->message);
    }
  return *slot;
}

static gboolean
is_multi_page_text (const ZgPdfPages *pages)
{
  return pages->n_pages > 1;
}

/* ---- pagination -------------------------------------------------------------------------- */

static double
footer_top (ZgPdfRenderer *self)
{
  return self->page_h - self->profile->margin_bottom_mm * MM - self->footer_h;
}

static gboolean
page_has_footer (ZgPdfRenderer *self,
                 guint          page)
{
  return self->footer_layouts->len > 0 && (page == 0 || self->profile->footer_all_pages);
}

/* The page number row is reserved on every page, so that adding the numbers
 * once the page count is known cannot change the pagination. */
static double
page_number_top (ZgPdfRenderer *self,
                 guint          page)
{
  if (page_has_footer (self, page))
    return footer_top (self) - 4 * MM - self->page_number_h;
  return self->page_h - self->profile->margin_bottom_mm * MM - self->page_number_h;
}

static double
body_bottom (ZgPdfRenderer *self,
             guint          page)
{
  return page_number_top (self, page) - 3 * MM;
}

static void
add_op (ZgPdfPages *pages,
        Op          op)
{
  g_array_append_val (pages->ops, op);
}

static PangoLayout *
own_layout (ZgPdfPages  *pages,
            PangoLayout *layout)
{
  g_ptr_array_add (pages->layouts, layout);
  return layout;
}

static void
set_language (PangoLayout *layout,
              const char  *language)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_language_new (pango_language_from_string (language)));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
}

static double
place_x (ZgPdfRenderer *self,
         ZgAlign        align,
         double         width)
{
  switch (align)
    {
    case ZG_ALIGN_CENTER:
      return self->text_x + (self->text_w - width) / 2;
    case ZG_ALIGN_RIGHT:
      return self->text_x + self->text_w - width;
    case ZG_ALIGN_LEFT:
    default:
      return self->text_x;
    }
}

/* Letterhead, optional place/date and title on page 1; returns where the body starts. */
static double
layout_first_page_head (ZgPdfRenderer    *self,
                        ZgPdfPages       *pages,
                        const ZgDocument *doc)
{
  const ZgFormatProfile *p = self->profile;
  const char *company = (p->company_name && p->company_name[0]) ? p->company_name
                                                                : doc->company_name;
  const char *const *address = p->address_lines ? (const char *const *) p->address_lines
                                                : (const char *const *) doc->company_address;
  double top = p->margin_top_mm * MM;
  double head_bottom = top;
  double block_y = top;
  gboolean have_logo = self->logo_png != NULL || self->logo_svg != NULL;

  if (have_logo)
    {
      Op op = { OP_LOGO, 0, place_x (self, p->logo_align, self->logo_w), top, self->logo_w, 0,
                NULL, NULL };

      add_op (pages, op);
      head_bottom = top + self->logo_h;
      /* The address block goes below a logo on the same side, else beside it. */
      if (p->logo_align == p->letterhead_align || p->letterhead_align == ZG_ALIGN_CENTER ||
          p->logo_align == ZG_ALIGN_CENTER)
        block_y = head_bottom + 4 * MM;
    }

  if (company != NULL && company[0] != '\0')
    {
      /* Without a logo the company name itself is the wordmark. */
      const PangoFontDescription *font = have_logo ? self->letterhead_bold_font
                                                   : self->wordmark_font;
      PangoLayout *name = own_layout (pages, make_layout (self, company, font, self->text_w * 0.6,
                                                          to_pango_align (p->letterhead_align),
                                                          FALSE));
      Op op = { OP_LAYOUT, 0, 0, block_y, 0, 0.1, name, NULL };

      op.x = place_x (self, p->letterhead_align, self->text_w * 0.6);
      add_op (pages, op);
      block_y += layout_height (name) + (have_logo ? 0.5 * MM : 1.5 * MM);
    }
  if (address != NULL && address[0] != NULL)
    {
      g_autofree char *text = g_strjoinv ("\n", (GStrv) address);
      PangoLayout *layout = own_layout (pages, make_layout (self, text, self->letterhead_font,
                                                            self->text_w * 0.6,
                                                            to_pango_align (p->letterhead_align),
                                                            FALSE));
      Op op = { OP_LAYOUT, 0, place_x (self, p->letterhead_align, self->text_w * 0.6), block_y, 0,
                0.25, layout, NULL };

      add_op (pages, op);
      block_y += layout_height (layout);
    }
  head_bottom = MAX (head_bottom, block_y);

  if (p->place_date_position == ZG_PLACE_DATE_TOP_RIGHT && doc->place_date != NULL)
    {
      PangoLayout *layout = own_layout (pages, make_layout (self, doc->place_date, self->body_font,
                                                            self->text_w, PANGO_ALIGN_RIGHT,
                                                            FALSE));
      Op op = { OP_LAYOUT, 0, self->text_x, head_bottom + 8 * MM, 0, 0, layout, NULL };

      add_op (pages, op);
      head_bottom = op.y + layout_height (layout);
    }

  if (doc->title != NULL && doc->title[0] != '\0')
    {
      PangoLayout *layout = own_layout (pages, make_layout (self, doc->title, self->title_font,
                                                            self->text_w,
                                                            to_pango_align (p->title_align),
                                                            FALSE));
      Op op = { OP_LAYOUT, 0, self->text_x, head_bottom + p->title_space_before_mm * MM, 0, 0,
                layout, NULL };

      set_language (layout, doc->language);
      add_op (pages, op);
      head_bottom = op.y + layout_height (layout) + p->title_space_after_mm * MM;
    }
  else
    head_bottom += p->title_space_before_mm * MM;

  return head_bottom;
}

static void
add_line_boxes (ZgPdfRenderer *self,
                GArray        *boxes,
                PangoLayout   *layout,
                double         x,
                double         gap_lines,
                gboolean       may_break_before,
                PangoLayout   *bullet,
                double         bullet_x,
                int            block)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  const char *text = pango_layout_get_text (layout);
  int n = pango_layout_get_line_count (layout);
  gboolean prev_hyphenated = FALSE;
  int k = 0;

  do
    {
      PangoRectangle logical;
      Box box = { 0 };

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      box.kind = BOX_LINE;
      box.line = pango_layout_iter_get_line_readonly (iter);
      box.x = x + pango_units_to_double (logical.x);
      box.height = 0;
      box.gap_lines = k == 0 ? gap_lines : 0;
      /* Orphans and widows: a page break inside a paragraph leaves at least
       * two lines on either side. */
      box.break_before = k == 0 ? may_break_before
                                : (k >= 2 && n - k >= 2 && !prev_hyphenated);
      box.bullet = k == 0 ? bullet : NULL;
      box.bullet_x = bullet_x;
      box.block = block;
      box.line_index = k;
      box.n_lines = n;
      g_array_append_val (boxes, box);
      /* No page ends in a hyphenated word. */
      prev_hyphenated = box.line->length >= 2 &&
                        memcmp (text + box.line->start_index + box.line->length - 2,
                                ZG_SOFT_HYPHEN, 2) == 0;
      k++;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static gboolean
ends_with_colon (const char *text)
{
  gsize len = strlen (text);

  while (len > 0 && g_ascii_isspace (text[len - 1]))
    len--;
  return len > 0 && text[len - 1] == ':';
}

static char **
protected_words_for (const ZgDocument *doc)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GString) names = g_string_new (doc->subject_name);

  for (guint i = 0; i < doc->signatories->len; i++)
    {
      const ZgSignatory *sig = g_ptr_array_index (doc->signatories, i);

      g_string_append_printf (names, " %s", sig->name);
    }
  /* Personal names are never hyphenated. */
  for (const char *p = names->str; *p;)
    {
      const char *start = p;

      while (*p && g_unichar_isalpha (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p > start)
        {
          g_autofree char *word = g_strndup (start, p - start);

          g_strv_builder_add (builder, word);
        }
      else
        p = g_utf8_next_char (p);
    }
  return g_strv_builder_end (builder);
}

static void
build_signature (ZgPdfRenderer    *self,
                 ZgPdfPages       *pages,
                 const ZgDocument *doc,
                 SignatureBlock   *sig)
{
  const ZgFormatProfile *p = self->profile;
  guint n = doc->signatories->len;
  int rows;

  memset (sig, 0, sizeof *sig);
  sig->names = g_ptr_array_new ();
  sig->gutter = 12 * MM;
  if (p->signature_layout == ZG_SIGNATURE_STACKED || n <= 1)
    sig->columns = 1;
  else
    sig->columns = 2;
  sig->column_w = sig->columns == 1 ? self->text_w / 2
                                    : (self->text_w - sig->gutter) / 2;

  if (p->place_date_position == ZG_PLACE_DATE_BEFORE_SIGNATURE && doc->place_date != NULL)
    {
      sig->place_date = own_layout (pages, make_layout (self, doc->place_date, self->body_font,
                                                        self->text_w, PANGO_ALIGN_LEFT, FALSE));
      sig->height += self->pitch;
    }

  rows = (int) (n + sig->columns - 1) / sig->columns;
  for (int r = 0; r < rows; r++)
    {
      double row_h = 0;

      for (int c = 0; c < sig->columns && (guint) (r * sig->columns + c) < n; c++)
        {
          const ZgSignatory *s = g_ptr_array_index (doc->signatories, r * sig->columns + c);
          g_autofree char *text = s->function[0] ? g_strdup_printf ("%s\n%s", s->name, s->function)
                                                 : g_strdup (s->name);
          PangoLayout *layout = own_layout (pages, make_layout (self, text, self->body_font,
                                                                sig->column_w, PANGO_ALIGN_LEFT,
                                                                FALSE));

          pango_layout_set_spacing (layout, pango_units_from_double (self->pitch * 0.15));
          g_ptr_array_add (sig->names, layout);
          row_h = MAX (row_h, layout_height (layout));
        }
      sig->height += p->signature_space_mm * MM + 1.5 * MM + row_h;
    }
}

static void
place_signature (ZgPdfRenderer  *self,
                 ZgPdfPages     *pages,
                 SignatureBlock *sig,
                 guint           page,
                 double          y)
{
  const ZgFormatProfile *p = self->profile;

  if (sig->place_date != NULL)
    {
      Op op = { OP_LAYOUT, page, self->text_x, y + (self->pitch - self->ascent -
                                                    self->descent) / 2, 0, 0, sig->place_date,
                NULL };

      add_op (pages, op);
      y += self->pitch;
    }
  for (guint i = 0; i < sig->names->len; i += sig->columns)
    {
      double row_h = 0;
      double rule_y = y + p->signature_space_mm * MM;

      for (guint c = 0; c < (guint) sig->columns && i + c < sig->names->len; c++)
        {
          PangoLayout *layout = g_ptr_array_index (sig->names, i + c);
          double x = self->text_x + c * (sig->column_w + sig->gutter);

          if (p->signature_rule)
            {
              Op rule = { OP_RULE, page, x, rule_y, MIN (sig->column_w, 70 * MM), 0.35, NULL,
                          NULL };

              add_op (pages, rule);
            }
          {
            Op op = { OP_LAYOUT, page, x, rule_y + 1.5 * MM, 0, 0, layout, NULL };

            add_op (pages, op);
          }
          row_h = MAX (row_h, layout_height (layout));
        }
      y = rule_y + 1.5 * MM + row_h;
    }
}

static double
page_top (ZgPdfRenderer *self,
          guint          page,
          double         first_page_top)
{
  return page == 0 ? first_page_top : self->profile->margin_top_mm * MM + 5 * MM;
}

/* Vertical rhythm of one pagination attempt. */
typedef struct
{
  double pitch;       /* baseline to baseline */
  double gap_scale;   /* factor on the space between paragraphs */
} Spacing;

static guint
paginate_boxes (ZgPdfRenderer *self,
                GArray        *boxes,
                double         first_page_top,
                const Spacing *spacing)
{
  guint page = 0;
  guint first_on_page = 0;
  double y = page_top (self, 0, first_page_top);
  guint i = 0;

  while (i < boxes->len)
    {
      Box *box = &g_array_index (boxes, Box, i);
      double gap = i == first_on_page ? 0 : box->gap_lines * spacing->pitch * spacing->gap_scale;
      double height = box->height > 0 ? box->height : spacing->pitch;

      if (i == first_on_page || y + gap + height <= body_bottom (self, page) + 0.01)
        {
          box->page = page;
          box->y = y + gap;
          y += gap + height;
          i++;
          continue;
        }

      /* Back up to the last box a page may start with. */
      {
        guint j = i;

        while (j > first_on_page && !g_array_index (boxes, Box, j).break_before)
          j--;
        if (j == first_on_page)
          j = i;  /* nothing on this page may be split off: break here anyway */
        page++;
        first_on_page = j;
        i = j;
        y = page_top (self, page, first_page_top);
      }
    }
  return page + 1;
}

ZgPdfPages *
zg_pdf_renderer_paginate (ZgPdfRenderer     *self,
                          const ZgDocument  *doc,
                          GError           **error)
{
  g_autoptr(ZgPdfPages) pages = NULL;
  g_autoptr(GArray) boxes = g_array_new (FALSE, TRUE, sizeof (Box));
  g_auto(GStrv) protected_words = NULL;
  const ZgFormatProfile *p;
  ZgHyphenator *hyphenator;
  SignatureBlock sig;
  PangoLayout *bullet = NULL;
  double body_top;
  double para_gap;
  double item_gap;
  Spacing spacing = { self->pitch, 1.0 };
  double indent = 7 * MM;
  gboolean prev_list = FALSE;
  gboolean keep_with_prev = FALSE;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (doc->blocks->len == 0 && (doc->title == NULL || doc->title[0] == '\0'))
    {
      g_set_error (error, ZG_PDF_ERROR, ZG_PDF_ERROR_DOCUMENT, "The certificate has no text");
      return NULL;
    }

  p = self->profile;
  pages = g_new0 (ZgPdfPages, 1);
  pages->renderer = self;
  pages->language = g_strdup (doc->language ? doc->language : "de");
  pages->layouts = g_ptr_array_new_with_free_func (g_object_unref);
  pages->ops = g_array_new (FALSE, TRUE, sizeof (Op));

  body_top = layout_first_page_head (self, pages, doc);
  hyphenator = get_hyphenator (self, pages->language);
  protected_words = protected_words_for (doc);
  para_gap = p->paragraph_spacing;
  item_gap = 0.2;

  for (guint i = 0; i < doc->blocks->len; i++)
    {
      const ZgBlock *block = g_ptr_array_index (doc->blocks, i);
      gboolean is_item = block->kind == ZG_BLOCK_LIST_ITEM;
      g_autoptr(GString) joined = g_string_new (block->text);
      g_autofree char *text = NULL;
      guint first = i;
      PangoLayout *layout;
      double gap;

      /* The sentences of one paragraph (continues_paragraph) are set as one
       * justified paragraph. */
      while (!is_item && i + 1 < doc->blocks->len)
        {
          const ZgBlock *next = g_ptr_array_index (doc->blocks, i + 1);

          if (next->kind != ZG_BLOCK_PARAGRAPH || !next->continues_paragraph)
            break;
          if (next->text[0] != '\0')
            g_string_append_printf (joined, joined->len > 0 ? " %s" : "%s", next->text);
          i++;
        }
      if (joined->str[0] == '\0')
        continue;
      {
        g_autofree char *bound = g_regex_replace_literal (self->bind_words, joined->str, -1, 0,
                                                          "\u00A0", 0, NULL);
        const char *source = bound != NULL ? bound : joined->str;

        text = hyphenator ? zg_hyphenator_insert_soft_hyphens (hyphenator, source,
                                                               (const char *const *)
                                                               protected_words)
                          : g_strdup (source);
      }
      layout = own_layout (pages, make_layout (self, text, self->body_font,
                                               is_item ? self->text_w - indent : self->text_w,
                                               PANGO_ALIGN_LEFT, FALSE));
      set_language (layout, pages->language);
      if (p->justify)
        justify_lines (layout, is_item ? self->text_w - indent : self->text_w);

      if (is_item && bullet == NULL)
        bullet = own_layout (pages, make_layout (self, "•", self->body_font, 0, PANGO_ALIGN_LEFT,
                                                 FALSE));
      if (boxes->len == 0)
        gap = 0;
      else if (is_item && prev_list)
        gap = item_gap;
      else if (is_item && keep_with_prev)
        gap = MIN (para_gap, 0.35);
      else
        gap = para_gap;

      add_line_boxes (self, boxes, layout, is_item ? self->text_x + indent : self->text_x, gap,
                      !keep_with_prev, is_item ? bullet : NULL, self->text_x + 2 * MM,
                      (int) first);
      keep_with_prev = !is_item && ends_with_colon (joined->str);
      prev_list = is_item;
    }

  build_signature (self, pages, doc, &sig);
  if (sig.height > 0)
    {
      Box box = { 0 };

      box.kind = BOX_SIGNATURE;
      box.height = sig.height;
      box.block = -1;
      box.n_lines = 1;
      box.gap_lines = boxes->len > 0 ? MAX (para_gap, 1.0) : 0;
      /* Never alone on a page: the block takes the closing lines with it. */
      box.break_before = boxes->len == 0;
      g_array_append_val (boxes, box);
    }

  pages->n_pages = paginate_boxes (self, boxes, body_top, &spacing);
  if (pages->n_pages > 1)
    {
      /* A letter that spills over by a few lines is set a little tighter
       * (as a typesetter would) when that saves the page. */
      Spacing tight = { self->pitch * 0.94, 0.6 };

      if (paginate_boxes (self, boxes, body_top, &tight) < pages->n_pages)
        spacing = tight;
      pages->n_pages = paginate_boxes (self, boxes, body_top, &spacing);
    }

  for (guint i = 0; i < boxes->len; i++)
    {
      const Box *box = &g_array_index (boxes, Box, i);

      if (box->kind == BOX_SIGNATURE)
        {
          place_signature (self, pages, &sig, box->page, box->y);
          continue;
        }
      {
        /* Extra leading is split evenly above and below the glyphs. */
        double baseline = box->y + (spacing.pitch - self->ascent - self->descent) / 2 +
                          self->ascent;
        Op op = { OP_LINE, box->page, box->x, baseline, 0, 0, NULL, box->line };

        if (box->bullet != NULL)
          {
            Op dot = { OP_LINE, box->page, box->bullet_x, baseline, 0, 0, NULL,
                       pango_layout_get_line_readonly (box->bullet, 0) };

            add_op (pages, dot);
          }
        add_op (pages, op);
      }
    }
  g_ptr_array_unref (sig.names);
  pages->placed = g_steal_pointer (&boxes);

  return g_steal_pointer (&pages);
}

guint
zg_pdf_pages_get_n_pages (const ZgPdfPages *pages)
{
  g_return_val_if_fail (pages != NULL, 0);
  return pages->n_pages;
}

/* Where the body went: one entry per line (and one for the place/date +
 * signature block) on @page, top to bottom. For previews and tests of the
 * page-break rules. */
GArray *
zg_pdf_pages_get_lines (const ZgPdfPages *pages,
                        guint             page)
{
  GArray *lines;

  g_return_val_if_fail (pages != NULL, NULL);

  lines = g_array_new (FALSE, TRUE, sizeof (ZgPdfPlacedLine));
  for (guint i = 0; pages->placed != NULL && i < pages->placed->len; i++)
    {
      const Box *box = &g_array_index (pages->placed, Box, i);
      ZgPdfPlacedLine line = { box->block, box->line_index, box->n_lines };

      if (box->page == page)
        g_array_append_val (lines, line);
    }
  return lines;
}

void
zg_pdf_pages_free (ZgPdfPages *pages)
{
  if (pages == NULL)
    return;
  g_clear_pointer (&pages->ops, g_array_unref);
  g_clear_pointer (&pages->placed, g_array_unref);
  g_clear_pointer (&pages->layouts, g_ptr_array_unref);
  g_free (pages->language);
  g_free (pages);
}

/* ---- drawing ----------------------------------------------------------------------------- */

static void
draw_logo (ZgPdfRenderer *self,
           cairo_t       *cr,
           double         x,
           double         y)
{
  if (self->logo_png != NULL)
    {
      double sx = self->logo_w / cairo_image_surface_get_width (self->logo_png);
      double sy = self->logo_h / cairo_image_surface_get_height (self->logo_png);

      cairo_save (cr);
      cairo_translate (cr, x, y);
      cairo_scale (cr, sx, sy);
      cairo_set_source_surface (cr, self->logo_png, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BEST);
      cairo_paint (cr);
      cairo_restore (cr);
    }
  else if (self->logo_svg != NULL)
    {
      RsvgRectangle viewport = { x, y, self->logo_w, self->logo_h };
      g_autoptr(GError) error = NULL;

      cairo_save (cr);
      if (!rsvg_handle_render_document (self->logo_svg, cr, &viewport, &error))
        g_warning ("Cannot draw the SVG logo: %s", error->message);
      cairo_restore (cr);
    }
}

static void
draw_footer (ZgPdfRenderer *self,
             cairo_t       *cr)
{
  double top = footer_top (self);

  cairo_set_source_rgb (cr, 0.55, 0.55, 0.55);
  cairo_set_line_width (cr, 0.4);
  cairo_move_to (cr, self->text_x, top - 2 * MM);
  cairo_line_to (cr, self->text_x + self->text_w, top - 2 * MM);
  cairo_stroke (cr);

  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  for (guint i = 0; i < self->footer_layouts->len; i++)
    {
      cairo_move_to (cr, self->footer_x[i], top);
      pango_cairo_show_layout (cr, g_ptr_array_index (self->footer_layouts, i));
    }
}

static void
draw_page_number (ZgPdfRenderer    *self,
                  cairo_t          *cr,
                  const ZgPdfPages *pages,
                  guint             page_index)
{
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  int w = 0;

  if (g_str_has_prefix (pages->language, "de"))
    text = g_strdup_printf ("Seite %u von %u", page_index + 1, pages->n_pages);
  else
    text = g_strdup_printf ("Page %u of %u", page_index + 1, pages->n_pages);
  layout = make_layout (self, text, self->page_number_font, 0, PANGO_ALIGN_LEFT, FALSE);
  pango_layout_get_size (layout, &w, NULL);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_move_to (cr, self->text_x + self->text_w - pango_units_to_double (w),
                 page_number_top (self, page_index));
  pango_cairo_show_layout (cr, layout);
}

/* Draws one page onto @cr (user space: points, origin top left of the page).
 * Shared by the PDF writer and printing (GtkPrintOperation::draw-page). */
void
zg_pdf_draw_page (cairo_t          *cr,
                  const ZgPdfPages *pages,
                  guint             page_index)
{
  ZgPdfRenderer *self;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (pages != NULL);
  g_return_if_fail (page_index < pages->n_pages);

  self = pages->renderer;
  cairo_save (cr);
  for (guint i = 0; i < pages->ops->len; i++)
    {
      const Op *op = &g_array_index (pages->ops, Op, i);

      if (op->page != page_index)
        continue;
      cairo_set_source_rgb (cr, op->gray, op->gray, op->gray);
      switch (op->kind)
        {
        case OP_LAYOUT:
          cairo_move_to (cr, op->x, op->y);
          pango_cairo_show_layout (cr, op->layout);
          break;
        case OP_LINE:
          cairo_move_to (cr, op->x, op->y);
          pango_cairo_show_layout_line (cr, op->line);
          break;
        case OP_RULE:
          cairo_set_line_width (cr, 0.5);
          cairo_move_to (cr, op->x, op->y);
          cairo_line_to (cr, op->x + op->w, op->y);
          cairo_stroke (cr);
          break;
        case OP_LOGO:
          draw_logo (self, cr, op->x, op->y);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  if (page_has_footer (self, page_index))
    draw_footer (self, cr);
  if (is_multi_page_text (pages))
    draw_page_number (self, cr, pages, page_index);
  cairo_restore (cr);
}

/* ---- output ------------------------------------------------------------------------------ */

static cairo_status_t
write_bytes_cb (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
set_metadata (cairo_surface_t  *surface,
              const ZgDocument *doc)
{
  const char *title = doc->title ? doc->title : "";
  g_autofree char *full_title = NULL;
  gboolean german = doc->language == NULL || g_str_has_prefix (doc->language, "de");

  if (doc->subject_name != NULL && doc->subject_name[0] != '\0')
    full_title = g_strdup_printf ("%s – %s", title, doc->subject_name);
  else
    full_title = g_strdup (title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, full_title);
  if (doc->company_name != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, doc->company_name);
  if (doc->subject_name != NULL && doc->subject_name[0] != '\0')
    {
      g_autofree char *subject = g_strdup_printf (german ? "%s für %s" : "%s for %s", title,
                                                  doc->subject_name);

      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, subject);
    }
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Zeugnis " PACKAGE_VERSION);
}

GBytes *
zg_pdf_renderer_render_to_bytes (ZgPdfRenderer     *renderer,
                                 const ZgDocument  *doc,
                                 GError           **error)
{
  g_autoptr(ZgPdfPages) pages = NULL;
  g_autoptr(GByteArray) out = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (renderer != NULL, NULL);
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pages = zg_pdf_renderer_paginate (renderer, doc, error);
  if (pages == NULL)
    return NULL;

  out = g_byte_array_sized_new (64 * 1024);
  surface = cairo_pdf_surface_create_for_stream (write_bytes_cb, out, renderer->page_w,
                                                 renderer->page_h);
  set_metadata (surface, doc);
  cr = cairo_create (surface);
  for (guint i = 0; i < pages->n_pages; i++)
    {
      zg_pdf_draw_page (cr, pages, i);
      cairo_show_page (cr);
    }
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, ZG_PDF_ERROR, ZG_PDF_ERROR_CAIRO, "Cannot create the PDF: %s",
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

gboolean
zg_pdf_renderer_render_to_file (ZgPdfRenderer     *renderer,
                                const ZgDocument  *doc,
                                const char        *path,
                                GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (renderer != NULL, FALSE);
  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  bytes = zg_pdf_renderer_render_to_bytes (renderer, doc, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  /* Written atomically: a half-written certificate never appears on disk. */
  return g_file_set_contents (path, data, (gssize) len, error);
}
