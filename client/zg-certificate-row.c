/* zg-certificate-row.c — one row of the list of references, drawn as a single widget
 *
 * Draws with Pango layouts and the theme's named colours, so that dark mode and the
 * status pills follow data/ui/style.css's meaning (.status-pill.status-*).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "zg-certificate-row.h"
#include "zg-certificate-row-private.h"

#define CELL_PADDING_X 6
#define ROW_PADDING_Y 12
#define PILL_PADDING_X 9
#define PILL_PADDING_Y 1
#define ICON_SIZE 16
#define DIM_ALPHA 0.55f

/* Fixed column widths as the column view had them; 0 = shares the rest. */
static const int fixed_widths[ZG_ROW_N_COLUMNS] = { 0, 0, 160, 185, 34, 120, 34 };

G_DEFINE_FINAL_TYPE (ZgCertificateRow, zg_certificate_row, GTK_TYPE_WIDGET)

void
zg_certificate_row_layout (int width,
                           int x[ZG_ROW_N_COLUMNS],
                           int w[ZG_ROW_N_COLUMNS])
{
  int fixed = 0;
  int rest;
  int pos = 0;

  for (int i = 0; i < ZG_ROW_N_COLUMNS; i++)
    fixed += fixed_widths[i];
  rest = MAX (width - fixed, 0);
  for (int i = 0; i < ZG_ROW_N_COLUMNS; i++)
    {
      x[i] = pos;
      if (fixed_widths[i] > 0)
        w[i] = fixed_widths[i];
      else if (i == ZG_ROW_COLUMN_NAME)
        w[i] = rest - rest / 2;
      else
        w[i] = rest / 2;
      pos += w[i];
    }
}

int
zg_certificate_row_min_width (void)
{
  int fixed = 0;

  for (int i = 0; i < ZG_ROW_N_COLUMNS; i++)
    fixed += fixed_widths[i];
  return fixed + 2 * 40;
}

GtkWidget *
zg_certificate_row_new (void)
{
  return g_object_new (ZG_TYPE_CERTIFICATE_ROW, NULL);
}

static const char *
sync_tip (const ZgCertificateSummary *s)
{
  if (s->problem)
    return _("A change was not accepted by the server or is in conflict");
  if (s->pending)
    return _("Changes not yet synchronised");
  return NULL;
}

static void
update_accessible (ZgCertificateRow *self)
{
  const ZgCertificateSummary *s;
  g_autoptr(GString) label = NULL;
  const char *tip;

  if (self->item == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }
  s = zg_certificate_item_get_summary (self->item);
  label = g_string_new (zg_certificate_item_get_name (self->item));
  if (s->position != NULL && *s->position != '\0')
    g_string_append_printf (label, ", %s", s->position);
  if (s->company != NULL && *s->company != '\0')
    g_string_append_printf (label, ", %s", s->company);
  g_string_append_printf (label, ", %s, %s", zg_certificate_kind_label (s->kind),
                          zg_certificate_status_label (s->status));
  if (s->is_private)
    g_string_append_printf (label, ", %s", _("Private"));
  tip = sync_tip (s);
  if (tip != NULL)
    g_string_append_printf (label, ", %s", tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label->str, -1);
}

void
zg_certificate_row_set_item (ZgCertificateRow  *self,
                             ZgCertificateItem *item)
{
  g_return_if_fail (ZG_IS_CERTIFICATE_ROW (self));
  g_return_if_fail (item == NULL || ZG_IS_CERTIFICATE_ITEM (item));

  if (!g_set_object (&self->item, item))
    return;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

ZgCertificateItem *
zg_certificate_row_get_item (ZgCertificateRow *self)
{
  g_return_val_if_fail (ZG_IS_CERTIFICATE_ROW (self), NULL);
  return self->item;
}

/* Layouts */

static PangoLayout *
make_layout (GtkWidget  *widget,
             const char *text,
             int         width,
             double      scale,
             PangoWeight weight)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text != NULL ? text : "");
  PangoAttrList *attrs = pango_attr_list_new ();

  if (scale != 1.0)
    pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
  if (weight != PANGO_WEIGHT_NORMAL)
    pango_attr_list_insert (attrs, pango_attr_weight_new (weight));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  if (width >= 0)
    pango_layout_set_width (layout, MAX (width, 1) * PANGO_SCALE);
  return layout;
}

static int
layout_height (PangoLayout *layout)
{
  int height = 0;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

static void
zg_certificate_row_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = *natural = zg_certificate_row_min_width ();
    }
  else
    {
      g_autoptr(PangoLayout) name = make_layout (widget, "Ág", -1, 1.0, PANGO_WEIGHT_SEMIBOLD);
      g_autoptr(PangoLayout) position = make_layout (widget, "Ág", -1, PANGO_SCALE_SMALL,
                                                     PANGO_WEIGHT_NORMAL);

      *minimum = *natural = layout_height (name) + layout_height (position) + 2 * ROW_PADDING_Y;
    }
}

/* Drawing */

typedef struct
{
  GdkRGBA fg;
  GdkRGBA dim;
  GdkRGBA view_fg;
  GdkRGBA accent;
  GdkRGBA accent_bg;
  GdkRGBA warning;
  GdkRGBA success;
  GdkRGBA error;
} Palette;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
lookup (GtkStyleContext *context,
        const char      *name,
        const GdkRGBA   *fallback,
        GdkRGBA         *color)
{
  if (!gtk_style_context_lookup_color (context, name, color))
    *color = *fallback;
}

static void
get_palette (GtkWidget *widget,
             Palette   *p)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  gtk_style_context_get_color (context, &p->fg);
  p->dim = p->fg;
  p->dim.alpha *= DIM_ALPHA;
  lookup (context, "view_fg_color", &p->fg, &p->view_fg);
  lookup (context, "accent_color", &p->fg, &p->accent);
  lookup (context, "accent_bg_color", &p->accent, &p->accent_bg);
  lookup (context, "warning_color", &p->fg, &p->warning);
  lookup (context, "success_color", &p->fg, &p->success);
  lookup (context, "error_color", &p->fg, &p->error);
}
G_GNUC_END_IGNORE_DEPRECATIONS

static GdkRGBA
with_alpha (const GdkRGBA *color,
            float          alpha)
{
  GdkRGBA result = *color;

  result.alpha *= alpha;
  return result;
}

static void
draw_layout (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             float          x,
             float          y,
             const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* One line of text, vertically centred in the row. */
static void
draw_cell_text (GtkWidget     *widget,
                GtkSnapshot   *snapshot,
                const char    *text,
                int            x,
                int            w,
                int            height,
                const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = NULL;

  if (text == NULL || *text == '\0' || w <= 2 * CELL_PADDING_X)
    return;
  layout = make_layout (widget, text, w - 2 * CELL_PADDING_X, 1.0, PANGO_WEIGHT_NORMAL);
  draw_layout (snapshot, layout, x + CELL_PADDING_X, (height - layout_height (layout)) / 2.0f,
               color);
}

static void
draw_pill (GtkWidget     *widget,
           GtkSnapshot   *snapshot,
           const char    *status,
           int            x,
           int            w,
           int            height,
           const Palette *p)
{
  g_autoptr(PangoLayout) layout = NULL;
  GdkRGBA fg = p->view_fg;
  GdkRGBA bg = with_alpha (&p->view_fg, 0.10f);
  gboolean border = FALSE;
  int text_w;
  int text_h;
  float pill_w;
  float pill_h;
  float top;
  GskRoundedRect rect;

  if (g_strcmp0 (status, "handed-over") == 0 || g_strcmp0 (status, "handover-finished") == 0)
    {
      fg = p->accent;
      bg = with_alpha (&p->accent_bg, 0.15f);
    }
  else if (g_strcmp0 (status, "review") == 0)
    {
      fg = p->warning;
      bg = with_alpha (&p->warning, 0.15f);
    }
  else if (g_strcmp0 (status, "approved") == 0)
    {
      fg = p->success;
      bg = with_alpha (&p->success, 0.14f);
    }
  else if (g_strcmp0 (status, "completed") == 0)
    {
      fg = with_alpha (&p->view_fg, 0.65f);
      bg = with_alpha (&p->view_fg, 0.06f);
      border = TRUE;
    }
  if (w <= 2 * (CELL_PADDING_X + PILL_PADDING_X))
    return;
  layout = make_layout (widget, zg_certificate_status_label (status),
                        w - 2 * (CELL_PADDING_X + PILL_PADDING_X), PANGO_SCALE_SMALL,
                        PANGO_WEIGHT_BOLD);
  pango_layout_get_pixel_size (layout, &text_w, &text_h);
  pill_w = text_w + 2 * PILL_PADDING_X + (border ? 2 : 0);
  pill_h = text_h + 2 * PILL_PADDING_Y + (border ? 2 : 0);
  top = (height - pill_h) / 2.0f;
  gsk_rounded_rect_init_from_rect (&rect,
                                   &GRAPHENE_RECT_INIT (x + CELL_PADDING_X, top, pill_w, pill_h),
                                   pill_h / 2.0f);
  gtk_snapshot_push_rounded_clip (snapshot, &rect);
  gtk_snapshot_append_color (snapshot, &bg, &rect.bounds);
  gtk_snapshot_pop (snapshot);
  if (border)
    {
      GdkRGBA border_color = with_alpha (&p->view_fg, 0.15f);
      const float widths[4] = { 1, 1, 1, 1 };
      const GdkRGBA colors[4] = { border_color, border_color, border_color, border_color };

      gtk_snapshot_append_border (snapshot, &rect, widths, colors);
    }
  draw_layout (snapshot, layout, x + CELL_PADDING_X + PILL_PADDING_X + (border ? 1 : 0),
               top + PILL_PADDING_Y + (border ? 1 : 0), &fg);
}

static void
draw_icon (GtkWidget     *widget,
           GtkSnapshot   *snapshot,
           const char    *icon_name,
           int            x,
           int            w,
           int            height,
           const Palette *p)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  g_autoptr(GtkIconPaintable) icon =
    gtk_icon_theme_lookup_icon (theme, icon_name, NULL, ICON_SIZE,
                                gtk_widget_get_scale_factor (widget), GTK_TEXT_DIR_NONE, 0);
  const GdkRGBA colors[4] = { p->fg, p->error, p->warning, p->success };

  if (icon == NULL)
    return;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + (w - ICON_SIZE) / 2.0f,
                                                          (height - ICON_SIZE) / 2.0f));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot,
                                            ICON_SIZE, ICON_SIZE, colors, G_N_ELEMENTS (colors));
  gtk_snapshot_restore (snapshot);
}

static void
zg_certificate_row_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  ZgCertificateRow *self = ZG_CERTIFICATE_ROW (widget);
  const ZgCertificateSummary *s;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int x[ZG_ROW_N_COLUMNS];
  int w[ZG_ROW_N_COLUMNS];
  Palette p;
  g_autofree char *changed = NULL;

  if (self->item == NULL)
    return;
  s = zg_certificate_item_get_summary (self->item);
  get_palette (widget, &p);
  zg_certificate_row_layout (width, x, w);

  if (w[ZG_ROW_COLUMN_NAME] > 2 * CELL_PADDING_X)
    {
      int text_w = w[ZG_ROW_COLUMN_NAME] - 2 * CELL_PADDING_X;
      g_autoptr(PangoLayout) name =
        make_layout (widget, zg_certificate_item_get_name (self->item), text_w, 1.0,
                     PANGO_WEIGHT_SEMIBOLD);
      g_autoptr(PangoLayout) position = NULL;
      int name_h = layout_height (name);
      int total = name_h;

      if (s->position != NULL && *s->position != '\0')
        {
          position = make_layout (widget, s->position, text_w, PANGO_SCALE_SMALL,
                                  PANGO_WEIGHT_NORMAL);
          total += layout_height (position);
        }
      draw_layout (snapshot, name, x[ZG_ROW_COLUMN_NAME] + CELL_PADDING_X,
                   (height - total) / 2.0f, &p.fg);
      if (position != NULL)
        draw_layout (snapshot, position, x[ZG_ROW_COLUMN_NAME] + CELL_PADDING_X,
                     (height - total) / 2.0f + name_h, &p.dim);
    }
  draw_cell_text (widget, snapshot, s->company, x[ZG_ROW_COLUMN_COMPANY],
                  w[ZG_ROW_COLUMN_COMPANY], height, &p.fg);
  draw_cell_text (widget, snapshot, zg_certificate_kind_label (s->kind), x[ZG_ROW_COLUMN_KIND],
                  w[ZG_ROW_COLUMN_KIND], height, &p.fg);
  draw_pill (widget, snapshot, s->status, x[ZG_ROW_COLUMN_STATUS], w[ZG_ROW_COLUMN_STATUS],
             height, &p);
  if (s->is_private)
    draw_icon (widget, snapshot, "changes-prevent-symbolic", x[ZG_ROW_COLUMN_PRIVATE],
               w[ZG_ROW_COLUMN_PRIVATE], height, &p);
  changed = zg_format_relative_time (zg_certificate_item_get_last_change (self->item),
                                     g_get_real_time () / G_USEC_PER_SEC);
  draw_cell_text (widget, snapshot, changed, x[ZG_ROW_COLUMN_CHANGED], w[ZG_ROW_COLUMN_CHANGED],
                  height, &p.dim);
  if (s->problem || s->pending)
    draw_icon (widget, snapshot,
               s->problem ? "dialog-warning-symbolic" : "mail-send-receive-symbolic",
               x[ZG_ROW_COLUMN_SYNC], w[ZG_ROW_COLUMN_SYNC], height, &p);
}

static gboolean
zg_certificate_row_query_tooltip (GtkWidget  *widget,
                                  int         px,
                                  int         py,
                                  gboolean    keyboard,
                                  GtkTooltip *tooltip)
{
  ZgCertificateRow *self = ZG_CERTIFICATE_ROW (widget);
  const ZgCertificateSummary *s;
  int x[ZG_ROW_N_COLUMNS];
  int w[ZG_ROW_N_COLUMNS];
  g_autoptr(GString) text = NULL;
  const char *tip;

  if (self->item == NULL)
    return FALSE;
  s = zg_certificate_item_get_summary (self->item);
  tip = sync_tip (s);
  zg_certificate_row_layout (gtk_widget_get_width (widget), x, w);
  if (!keyboard && px >= x[ZG_ROW_COLUMN_SYNC] && tip != NULL)
    {
      gtk_tooltip_set_text (tooltip, tip);
      return TRUE;
    }
  if (!keyboard && px >= x[ZG_ROW_COLUMN_PRIVATE] && px < x[ZG_ROW_COLUMN_CHANGED])
    {
      if (!s->is_private)
        return FALSE;
      gtk_tooltip_set_text (tooltip, _("Private reference"));
      return TRUE;
    }
  /* The full texts of cells that may be ellipsized. */
  if (!keyboard && px >= x[ZG_ROW_COLUMN_COMPANY] && px < x[ZG_ROW_COLUMN_KIND])
    {
      if (s->company == NULL || *s->company == '\0')
        return FALSE;
      gtk_tooltip_set_text (tooltip, s->company);
      return TRUE;
    }
  text = g_string_new (zg_certificate_item_get_name (self->item));
  if (s->position != NULL && *s->position != '\0')
    g_string_append_printf (text, "\n%s", s->position);
  if (tip != NULL)
    g_string_append_printf (text, "\n%s", tip);
  gtk_tooltip_set_text (tooltip, text->str);
  return TRUE;
}

static void
zg_certificate_row_dispose (GObject *object)
{
  ZgCertificateRow *self = ZG_CERTIFICATE_ROW (object);

  g_clear_object (&self->item);
  G_OBJECT_CLASS (zg_certificate_row_parent_class)->dispose (object);
}

static void
zg_certificate_row_class_init (ZgCertificateRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zg_certificate_row_dispose;
  widget_class->measure = zg_certificate_row_measure;
  widget_class->snapshot = zg_certificate_row_snapshot;
  widget_class->query_tooltip = zg_certificate_row_query_tooltip;
  gtk_widget_class_set_css_name (widget_class, "zg-certificate-row");
}

static void
zg_certificate_row_init (ZgCertificateRow *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}
