/* zg-editor-ergebnis.c — step 4 "Ergebnis": the generated letter live (R-APP-1), the phrase
 * variants per sentence, free editing of the text with the analyser's warnings, and the page
 * as it will be printed (R-APP-8)
 *
 * After every change the letter is generated again (the engine needs well under a
 * millisecond); the sentence list and the text follow at once, the page preview is laid out
 * in an idle callback so that typing and rating never wait for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "zg-editor-private.h"
#include "zg-pdf-export.h"

#define EDITED_TEXT_PATH "ergebnis.text"
#define TEXT_DEBOUNCE_MS 500

/* The body of the letter as zg_document_to_text() writes it, without title, place/date and
 * signatures: what the user edits. */
static char *
body_text (const ZgDocument *doc)
{
  GString *out = g_string_new (NULL);
  gboolean in_list = FALSE;

  for (guint i = 0; i < doc->blocks->len; i++)
    {
      const ZgBlock *block = g_ptr_array_index (doc->blocks, i);

      if (block->kind == ZG_BLOCK_LIST_ITEM)
        {
          g_string_append_printf (out, "- %s\n", block->text);
          in_list = TRUE;
          continue;
        }
      if (in_list)
        g_string_append_c (out, '\n');
      else if (block->continues_paragraph && i > 0 && g_str_has_suffix (out->str, "\n\n"))
        {
          g_string_truncate (out, out->len - 2);
          g_string_append_c (out, ' ');
        }
      in_list = FALSE;
      g_string_append_printf (out, "%s\n\n", block->text);
    }
  while (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

/* The generated letter with its body replaced by the hand-edited text: paragraphs are
 * separated by blank lines, lines starting with "- " or "• " are list items. */
static ZgDocument *
document_with_text (const ZgDocument *doc,
                    const char       *text)
{
  ZgDocument *out = zg_document_new (doc->language);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) paragraph = g_string_new (NULL);

  out->title = g_strdup (doc->title);
  out->place_date = g_strdup (doc->place_date);
  out->company_name = g_strdup (doc->company_name);
  out->company_address = g_strdupv (doc->company_address);
  out->subject_name = g_strdup (doc->subject_name);
  for (guint i = 0; i < doc->signatories->len; i++)
    {
      const ZgSignatory *sig = g_ptr_array_index (doc->signatories, i);

      zg_document_add_signatory (out, sig->name, sig->function);
    }
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      const char *item = NULL;

      if (g_str_has_prefix (line, "- "))
        item = line + 2;
      else if (g_str_has_prefix (line, "• "))
        item = line + strlen ("• ");
      if (item != NULL || *line == '\0')
        {
          if (paragraph->len > 0)
            zg_document_add_block (out, ZG_BLOCK_PARAGRAPH, "text", paragraph->str);
          g_string_truncate (paragraph, 0);
          if (item != NULL && *item != '\0')
            zg_document_add_block (out, ZG_BLOCK_LIST_ITEM, "text", item);
          continue;
        }
      if (paragraph->len > 0)
        g_string_append_c (paragraph, ' ');
      g_string_append (paragraph, line);
    }
  if (paragraph->len > 0)
    zg_document_add_block (out, ZG_BLOCK_PARAGRAPH, "text", paragraph->str);
  return out;
}

ZgDocument *
_zg_editor_build_print_doc (ZgEditor *self)
{
  if (self->doc == NULL)
    return NULL;
  if (self->cert != NULL && self->cert->edited_text != NULL)
    return document_with_text (self->doc, self->cert->edited_text);
  return document_with_text (self->doc, self->generated_body);
}

gboolean
zg_editor_export_pdf (ZgEditor    *self,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(ZgDocument) doc = NULL;

  g_return_val_if_fail (ZG_IS_EDITOR (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  _zg_editor_flush (self);
  doc = _zg_editor_build_print_doc (self);
  if (doc == NULL)
    {
      g_set_error_literal (error, ZG_GENERATOR_ERROR, ZG_GENERATOR_ERROR_INCOMPLETE,
                           self->generate_error != NULL ? self->generate_error
                           : _("The reference is not complete yet."));
      return FALSE;
    }
  return zg_pdf_export_to_file (doc, path, error);
}

/* ---- the page preview ---- */

static void
draw_preview (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        data)
{
  ZgEditor *self = data;
  double scale;
  double page_w;
  double page_h;
  double x;
  double y;

  if (self->pages == NULL || self->preview_page >= zg_pdf_pages_get_n_pages (self->pages))
    return;
  scale = MIN ((width - 16) / ZG_PDF_A4_WIDTH_PT, (height - 16) / ZG_PDF_A4_HEIGHT_PT);
  if (scale <= 0)
    return;
  page_w = ZG_PDF_A4_WIDTH_PT * scale;
  page_h = ZG_PDF_A4_HEIGHT_PT * scale;
  x = floor ((width - page_w) / 2);
  y = 8;
  cairo_set_source_rgba (cr, 0, 0, 0, 0.18);
  cairo_rectangle (cr, x + 2, y + 3, page_w, page_h);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, page_w, page_h);
  cairo_fill (cr);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, scale, scale);
  cairo_rectangle (cr, 0, 0, ZG_PDF_A4_WIDTH_PT, ZG_PDF_A4_HEIGHT_PT);
  cairo_clip (cr);
  zg_pdf_draw_page (cr, self->pages, self->preview_page);
  cairo_restore (cr);
}

static void
update_page_controls (ZgEditor *self)
{
  guint n = self->pages != NULL ? zg_pdf_pages_get_n_pages (self->pages) : 0;
  g_autofree char *label = NULL;

  if (self->preview_page >= n)
    self->preview_page = n > 0 ? n - 1 : 0;
  label = n > 0 ? g_strdup_printf (_("Page %u of %u"), self->preview_page + 1, n) : g_strdup ("");
  gtk_label_set_text (GTK_LABEL (self->page_label), label);
  gtk_widget_set_sensitive (self->prev_page_button, self->preview_page > 0);
  gtk_widget_set_sensitive (self->next_page_button, self->preview_page + 1 < n);
  gtk_widget_queue_draw (self->preview_area);
}

static gboolean
paginate_idle_cb (gpointer data)
{
  ZgEditor *self = data;
  g_autoptr(GError) error = NULL;

  self->pages_idle = 0;
  g_clear_pointer (&self->pages, zg_pdf_pages_free);
  if (self->print_doc != NULL)
    {
      if (self->renderer == NULL)
        {
          g_autoptr(ZgFormatProfile) profile = zg_format_profile_new_default ();

          self->renderer = zg_pdf_renderer_new (profile, &error);
        }
      if (self->renderer != NULL)
        self->pages = zg_pdf_renderer_paginate (self->renderer, self->print_doc, &error);
      if (error != NULL)
        g_warning ("editor: page preview: %s", error->message);
    }
  update_page_controls (self);
  return G_SOURCE_REMOVE;
}

static void
page_button_cb (GtkButton *button,
                ZgEditor  *self)
{
  int delta = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "zg-delta"));

  if (delta < 0 && self->preview_page > 0)
    self->preview_page--;
  else if (delta > 0)
    self->preview_page++;
  update_page_controls (self);
}

/* ---- sentences and their variants ---- */

static void
variant_row_activated_cb (GtkListBox    *box,
                          GtkListBoxRow *row,
                          ZgEditor      *self)
{
  const char *slot = g_object_get_data (G_OBJECT (box), "zg-slot");
  const char *id = g_object_get_data (G_OBJECT (row), "zg-variant-id");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (box), GTK_TYPE_POPOVER);
  g_autofree char *path = g_strdup_printf ("ergebnis.variants.%s", slot);
  g_autoptr(JsonNode) value = json_node_new (JSON_NODE_VALUE);
  g_autoptr(GError) error = NULL;

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  json_node_set_string (value, id);
  if (!_zg_editor_commit (self, path, value, &error))
    _zg_editor_show_error (self, error);
}

static void
fill_variants (ZgEditor   *self,
               GtkWidget  *list,
               const char *slot,
               const char *current_id)
{
  g_autoptr(GPtrArray) options = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
  if (self->cert == NULL)
    return;
  options = zg_generator_list_variants (_zg_editor_library (), self->cert, slot, &error);
  for (guint i = 0; options != NULL && i < options->len; i++)
    {
      const ZgVariantOption *option = g_ptr_array_index (options, i);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *label = gtk_label_new (option->text);
      GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 60);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_opacity (check, g_strcmp0 (option->id, current_id) == 0 ? 1.0 : 0.0);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_set_margin_start (box, 6);
      gtk_widget_set_margin_end (box, 6);
      gtk_box_append (GTK_BOX (box), check);
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data_full (G_OBJECT (row), "zg-variant-id", g_strdup (option->id), g_free);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
}

static void
variant_popover_show_cb (GtkWidget *popover,
                         ZgEditor  *self)
{
  GtkWidget *list = g_object_get_data (G_OBJECT (popover), "zg-list");
  const char *slot = g_object_get_data (G_OBJECT (popover), "zg-slot");
  const char *current = g_object_get_data (G_OBJECT (popover), "zg-current");

  g_object_set_data_full (G_OBJECT (list), "zg-slot", g_strdup (slot), g_free);
  fill_variants (self, list, slot, current);
}

static GtkWidget *
sentence_row_new (ZgEditor *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  gtk_widget_add_css_class (row, "zg-sentence");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-horizontal-symbolic");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (button, _("Other wordings of this sentence"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Other wordings of this sentence"), -1);
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (list), TRUE);
  gtk_widget_add_css_class (list, "navigation-sidebar");
  g_signal_connect (list, "row-activated", G_CALLBACK (variant_row_activated_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 420);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_widget_set_size_request (scrolled, 460, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_popover_set_child (GTK_POPOVER (popover), scrolled);
  g_object_set_data (G_OBJECT (popover), "zg-list", list);
  g_signal_connect (popover, "show", G_CALLBACK (variant_popover_show_cb), self);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), button);
  g_object_set_data (G_OBJECT (row), "zg-label", label);
  g_object_set_data (G_OBJECT (row), "zg-button", button);
  g_object_set_data (G_OBJECT (row), "zg-popover", popover);
  return row;
}

/* One row per block; rows are reused so that a rating change only sets label texts. */
static void
update_sentences (ZgEditor *self)
{
  GtkWidget *child = gtk_widget_get_first_child (self->sentences_box);
  guint n = self->doc != NULL ? self->doc->blocks->len : 0;
  gboolean edited = self->cert != NULL && self->cert->edited_text != NULL;

  for (guint i = 0; i < n; i++)
    {
      const ZgBlock *block = g_ptr_array_index (self->doc->blocks, i);
      GtkWidget *label;
      GtkWidget *button;
      GtkWidget *popover;
      g_autofree char *text = NULL;

      if (child == NULL)
        {
          child = sentence_row_new (self);
          gtk_box_append (GTK_BOX (self->sentences_box), child);
        }
      label = g_object_get_data (G_OBJECT (child), "zg-label");
      button = g_object_get_data (G_OBJECT (child), "zg-button");
      popover = g_object_get_data (G_OBJECT (child), "zg-popover");
      text = block->kind == ZG_BLOCK_LIST_ITEM ? g_strdup_printf ("•  %s", block->text)
                                               : g_strdup (block->text);
      if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), text) != 0)
        gtk_label_set_text (GTK_LABEL (label), text);
      gtk_widget_set_margin_start (child, block->kind == ZG_BLOCK_LIST_ITEM ? 18 : 0);
      gtk_widget_set_margin_top (child, block->continues_paragraph
                                        || block->kind == ZG_BLOCK_LIST_ITEM ? 0 : 10);
      gtk_widget_set_visible (button, block->variant_id != NULL);
      gtk_widget_set_sensitive (button, !edited);
      /* The chosen wording no longer fits the record (docs/engine.md "Variant choice"). */
      if (block->variant_fallback)
        {
          gtk_widget_add_css_class (label, "warning");
          gtk_widget_set_tooltip_text (child, _("The chosen wording no longer fits the data; "
                                                "the standard wording is used. Choose another "
                                                "with “…”."));
        }
      else
        {
          gtk_widget_remove_css_class (label, "warning");
          gtk_widget_set_tooltip_text (child, NULL);
        }
      g_object_set_data_full (G_OBJECT (popover), "zg-slot", g_strdup (block->section), g_free);
      g_object_set_data_full (G_OBJECT (popover), "zg-current", g_strdup (block->variant_id),
                              g_free);
      child = gtk_widget_get_next_sibling (child);
    }
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_box_remove (GTK_BOX (self->sentences_box), child);
      child = next;
    }
}

/* ---- hand-edited text ---- */

static char *
buffer_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
commit_edited_text (ZgEditor  *self,
                    GtkWidget *view)
{
  g_autofree char *text = buffer_text (view);
  g_autofree char *blank = g_strstrip (g_strdup (text));
  g_autoptr(GError) error = NULL;
  const char *stored = self->cert != NULL ? self->cert->edited_text : NULL;

  self->text_dirty = FALSE;
  /* The generated text unchanged is no edit: the letter keeps following the ratings. */
  if (stored == NULL && g_strcmp0 (text, self->generated_body) == 0)
    return;
  if (g_strcmp0 (text, stored) == 0)
    return;
  /* Stored as typed (trailing blanks too): the view is never reset under the cursor. An
   * empty text is no letter: it goes back to the generated one. */
  if (*blank == '\0')
    text[0] = '\0';
  if (!_zg_editor_commit_string (self, EDITED_TEXT_PATH, text, &error))
    _zg_editor_show_error (self, error);
}

static void
text_changed_cb (GtkTextBuffer *buffer,
                 ZgEditor      *self)
{
  if (self->loading)
    return;
  self->text_dirty = TRUE;
  _zg_editor_schedule (self, self->text_view, commit_edited_text);
}

static void
text_focus_leave_cb (GtkEventControllerFocus *controller,
                     ZgEditor                *self)
{
  if (g_hash_table_lookup (self->pending, self->text_view) == NULL)
    return;
  _zg_editor_cancel (self, self->text_view);
  commit_edited_text (self, self->text_view);
}

static void
reset_text_cb (GtkButton *button,
               ZgEditor  *self)
{
  g_autoptr(GError) error = NULL;

  _zg_editor_cancel (self, self->text_view);
  self->text_dirty = FALSE;
  if (!_zg_editor_commit (self, EDITED_TEXT_PATH, NULL, &error))
    {
      _zg_editor_show_error (self, error);
      return;
    }
  /* Shown at once, even while the text view has the focus. */
  if (self->generated_body != NULL)
    {
      gboolean was_loading = self->loading;

      self->loading = TRUE;
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view)),
                                self->generated_body, -1);
      self->loading = was_loading;
    }
}

/* ---- analyser findings ---- */

static const char *
finding_icon (const ZgFinding *finding)
{
  switch (finding->severity)
    {
    case ZG_SEVERITY_CRITICAL:
      return "dialog-error-symbolic";
    case ZG_SEVERITY_WARNING:
      return "dialog-warning-symbolic";
    case ZG_SEVERITY_INFO:
    default:
      return "dialog-information-symbolic";
    }
}

static void
update_findings (ZgEditor   *self,
                 const char *text)
{
  g_autoptr(ZgAnalysis) analysis = NULL;
  GtkWidget *child;
  guint shown = 0;
  gboolean edited = self->cert != NULL && self->cert->edited_text != NULL;

  while ((child = gtk_widget_get_first_child (self->findings_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->findings_box), child);
  if (text != NULL && self->cert != NULL && _zg_editor_library () != NULL)
    {
      analysis = zg_analyse (_zg_editor_library (), text,
                             self->cert->language != NULL ? self->cert->language : "de");
      zg_analysis_compare (analysis, self->cert);
    }
  for (guint i = 0; analysis != NULL && i < analysis->findings->len; i++)
    {
      const ZgFinding *finding = g_ptr_array_index (analysis->findings, i);
      GtkWidget *row;
      GtkWidget *icon;
      GtkWidget *label;

      /* The generated letter is complete by construction; gaps matter after a hand edit. */
      if (!edited && finding->kind == ZG_FINDING_MISSING)
        continue;
      row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      gtk_widget_set_margin_top (row, 6);
      gtk_widget_set_margin_bottom (row, 6);
      gtk_widget_set_margin_start (row, 10);
      gtk_widget_set_margin_end (row, 10);
      icon = gtk_image_new_from_icon_name (finding_icon (finding));
      label = gtk_label_new (finding->message);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_valign (icon, GTK_ALIGN_START);
      gtk_widget_add_css_class (row, finding->severity == ZG_SEVERITY_CRITICAL ? "error"
                                     : "warning");
      if (finding->excerpt != NULL)
        {
          g_autofree char *tip = g_strdup_printf ("„%s“", finding->excerpt);

          gtk_widget_set_tooltip_text (row, tip);
        }
      gtk_box_append (GTK_BOX (row), icon);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (self->findings_box), row);
      shown++;
    }
  self->n_findings = shown;
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->findings_revealer), shown > 0);
}

/* ---- the update after every change ---- */

/* What zg_generate() needs (docs/engine.md "Generation"), as words for the user. */
static char *
missing_parts (const ZgCertificate *cert)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  gboolean rated = cert != NULL && cert->overall_override > 0;

  if (cert == NULL)
    return NULL;
  for (int c = 0; c < ZG_N_CATEGORIES && !rated; c++)
    rated = cert->grades[c] > 0;
  if (cert->last_name == NULL || *cert->last_name == '\0')
    g_ptr_array_add (parts, (gpointer) _("the last name"));
  if (!g_date_valid (&cert->entry_date))
    g_ptr_array_add (parts, (gpointer) _("the entry date"));
  if (cert->kind != ZG_KIND_ZWISCHENZEUGNIS && !g_date_valid (&cert->exit_date))
    g_ptr_array_add (parts, (gpointer) _("the exit date"));
  if (!rated)
    g_ptr_array_add (parts, (gpointer) _("at least one rating"));
  if (parts->len == 0)
    return NULL;
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (", ", (char **) parts->pdata);
}

void
_zg_editor_ergebnis_update (ZgEditor *self)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean edited;
  const char *text;

  if (self->sentences_box == NULL)
    return;
  g_clear_pointer (&self->doc, zg_document_free);
  g_clear_pointer (&self->generated_body, g_free);
  g_clear_pointer (&self->generate_error, g_free);
  if (self->cert != NULL && _zg_editor_library () != NULL)
    self->doc = zg_generate (_zg_editor_library (), self->cert, &error);
  else if (self->cert == NULL)
    g_set_error_literal (&error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_INVALID,
                         _("The stored reference cannot be read."));
  else
    g_set_error_literal (&error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_INVALID,
                         _("The phrase library is missing."));
  if (self->doc != NULL)
    self->generated_body = body_text (self->doc);
  else
    self->generate_error = g_strdup (error->message);

  edited = self->cert != NULL && self->cert->edited_text != NULL;
  text = edited ? self->cert->edited_text : self->generated_body;
  g_free (self->preview_text);
  self->preview_text = g_strdup (text);

  if (self->generate_error != NULL)
    {
      g_autofree char *missing = missing_parts (self->cert);
      g_autofree char *message = NULL;

      if (missing != NULL)
        message = g_strdup_printf (_("Still missing: %s. Fill it in under Daten and "
                                     "Bewertung; the letter then appears here at once."),
                                   missing);
      else
        message = g_strdup_printf (_("The letter cannot be written yet: %s"),
                                   self->generate_error);
      adw_status_page_set_description (ADW_STATUS_PAGE (self->result_error), message);
    }
  gtk_widget_set_visible (self->result_error, self->generate_error != NULL);
  gtk_widget_set_visible (self->result_stack, self->generate_error == NULL);
  gtk_widget_set_visible (self->result_switcher, self->generate_error == NULL);
  gtk_widget_set_sensitive (self->save_button, self->doc != NULL);
  gtk_widget_set_sensitive (self->print_button, self->doc != NULL);
  update_sentences (self);

  /* Never replace what the user is typing. */
  if (!self->text_dirty && g_hash_table_lookup (self->pending, self->text_view) == NULL
      && !gtk_widget_has_focus (self->text_view))
    {
      g_autofree char *current = buffer_text (self->text_view);

      if (g_strcmp0 (current, text != NULL ? text : "") != 0)
        {
          gboolean was_loading = self->loading;

          self->loading = TRUE;
          gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view)),
                                    text != NULL ? text : "", -1);
          self->loading = was_loading;
        }
    }
  gtk_label_set_text (GTK_LABEL (self->text_state_label),
                      edited ? _("Edited by hand: rating changes no longer change this text.")
                             : _("Generated from the data and ratings. Type to edit it."));
  gtk_widget_set_visible (self->reset_text_button, edited);
  update_findings (self, text);

  g_clear_pointer (&self->print_doc, zg_document_free);
  self->print_doc = _zg_editor_build_print_doc (self);
  /* The page is laid out only where it is seen; switching to Ergebnis updates again. */
  if (self->pages_idle == 0 && zg_editor_get_step (self) == ZG_EDITOR_STEP_ERGEBNIS)
    self->pages_idle = g_idle_add_full (G_PRIORITY_LOW, paginate_idle_cb, self, NULL);
  self->last_update_us = g_get_monotonic_time () - start;
  self->n_updates++;
}

static void
save_pdf_cb (GtkButton *button,
             ZgEditor  *self)
{
  g_autoptr(ZgDocument) doc = NULL;
  g_autofree char *name = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  _zg_editor_flush (self);
  doc = _zg_editor_build_print_doc (self);
  if (doc == NULL)
    return;
  name = g_strdup_printf ("%s %s.pdf", doc->title != NULL ? doc->title : "Zeugnis",
                          doc->subject_name != NULL ? doc->subject_name : "");
  g_strdelimit (name, "/\\:", '-');
  zg_pdf_export_save_dialog (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, doc, name);
}

static void
print_cb (GtkButton *button,
          ZgEditor  *self)
{
  g_autoptr(ZgDocument) doc = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  _zg_editor_flush (self);
  doc = _zg_editor_build_print_doc (self);
  if (doc == NULL)
    return;
  zg_pdf_export_print (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, doc, doc->subject_name);
}

static GtkWidget *
text_button (const char *label,
             GCallback   callback,
             ZgEditor   *self)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  g_signal_connect (button, "clicked", callback, self);
  return button;
}

GtkWidget *
_zg_editor_ergebnis_new (ZgEditor *self)
{
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *switcher = gtk_stack_switcher_new ();
  GtkWidget *scrolled;
  GtkWidget *text_box;
  GtkWidget *bar;
  GtkWidget *button;
  GtkWidget *frame;
  GtkEventController *focus;

  /* left: problems, sentences / text */
  self->result_error = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->result_error),
                                 "document-edit-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->result_error), _("Not Enough Data Yet"));
  gtk_widget_add_css_class (self->result_error, "compact");
  gtk_widget_set_vexpand (self->result_error, TRUE);
  gtk_widget_set_visible (self->result_error, FALSE);
  gtk_box_append (GTK_BOX (left), self->result_error);
  self->result_stack = stack;
  self->result_switcher = switcher;

  self->findings_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (self->findings_box, "zg-findings");
  gtk_widget_add_css_class (self->findings_box, "card");
  gtk_widget_set_margin_bottom (self->findings_box, 4);
  self->findings_revealer = gtk_revealer_new ();
  gtk_revealer_set_child (GTK_REVEALER (self->findings_revealer), self->findings_box);
  gtk_box_append (GTK_BOX (left), self->findings_revealer);

  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), GTK_STACK (stack));
  gtk_widget_set_halign (switcher, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (left), switcher);

  self->sentences_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_start (self->sentences_box, 4);
  gtk_widget_set_margin_end (self->sentences_box, 4);
  gtk_widget_set_margin_bottom (self->sentences_box, 12);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->sentences_box);
  gtk_stack_add_titled (GTK_STACK (stack), scrolled, "sentences", _("Sentences"));

  text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->text_state_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->text_state_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->text_state_label), 0);
  gtk_widget_set_hexpand (self->text_state_label, TRUE);
  gtk_widget_add_css_class (self->text_state_label, "dim-label");
  self->reset_text_button = text_button (_("_Back to Generated Text"), G_CALLBACK (reset_text_cb),
                                         self);
  gtk_box_append (GTK_BOX (bar), self->text_state_label);
  gtk_box_append (GTK_BOX (bar), self->reset_text_button);
  self->text_view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->text_view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->text_view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (self->text_view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (self->text_view), 10);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (self->text_view), 10);
  gtk_text_view_set_pixels_below_lines (GTK_TEXT_VIEW (self->text_view), 2);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Letter text"), -1);
  g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view)), "changed",
                    G_CALLBACK (text_changed_cb), self);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "leave", G_CALLBACK (text_focus_leave_cb), self);
  gtk_widget_add_controller (self->text_view, focus);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->text_view);
  gtk_widget_set_vexpand (scrolled, TRUE);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), scrolled);
  gtk_box_append (GTK_BOX (text_box), bar);
  gtk_box_append (GTK_BOX (text_box), frame);
  gtk_stack_add_titled (GTK_STACK (stack), text_box, "text", _("Edit Text"));
  gtk_widget_set_vexpand (stack, TRUE);
  gtk_box_append (GTK_BOX (left), stack);
  g_object_set_data (G_OBJECT (self), "zg-result-stack", stack);

  gtk_widget_set_margin_top (left, 12);
  gtk_widget_set_margin_start (left, 12);
  gtk_widget_set_margin_end (left, 12);
  gtk_widget_set_margin_bottom (left, 6);

  /* right: the page */
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->prev_page_button = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_widget_set_tooltip_text (self->prev_page_button, _("Previous Page"));
  g_object_set_data (G_OBJECT (self->prev_page_button), "zg-delta", GINT_TO_POINTER (-1));
  g_signal_connect (self->prev_page_button, "clicked", G_CALLBACK (page_button_cb), self);
  self->next_page_button = gtk_button_new_from_icon_name ("go-next-symbolic");
  gtk_widget_set_tooltip_text (self->next_page_button, _("Next Page"));
  g_object_set_data (G_OBJECT (self->next_page_button), "zg-delta", GINT_TO_POINTER (1));
  g_signal_connect (self->next_page_button, "clicked", G_CALLBACK (page_button_cb), self);
  self->page_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->page_label, "dim-label");
  gtk_widget_set_hexpand (self->page_label, TRUE);
  gtk_box_append (GTK_BOX (bar), self->prev_page_button);
  gtk_box_append (GTK_BOX (bar), self->page_label);
  gtk_box_append (GTK_BOX (bar), self->next_page_button);
  gtk_box_append (GTK_BOX (right), bar);

  self->preview_area = gtk_drawing_area_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->preview_area), draw_preview, self,
                                  NULL);
  gtk_widget_set_vexpand (self->preview_area, TRUE);
  gtk_widget_set_size_request (self->preview_area, 300, 300);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->preview_area),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Page preview"), -1);
  gtk_box_append (GTK_BOX (right), self->preview_area);

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (bar, GTK_ALIGN_CENTER);
  button = text_button (_("_Save PDF…"), G_CALLBACK (save_pdf_cb), self);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_box_append (GTK_BOX (bar), button);
  self->save_button = button;
  self->print_button = text_button (_("_Print…"), G_CALLBACK (print_cb), self);
  gtk_box_append (GTK_BOX (bar), self->print_button);
  gtk_box_append (GTK_BOX (right), bar);
  gtk_widget_set_margin_top (right, 12);
  gtk_widget_set_margin_start (right, 6);
  gtk_widget_set_margin_end (right, 12);
  gtk_widget_set_margin_bottom (right, 12);
  gtk_widget_add_css_class (right, "zg-preview-pane");

  gtk_paned_set_start_child (GTK_PANED (paned), left);
  gtk_paned_set_end_child (GTK_PANED (paned), right);
  gtk_paned_set_resize_start_child (GTK_PANED (paned), TRUE);
  gtk_paned_set_resize_end_child (GTK_PANED (paned), TRUE);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_position (GTK_PANED (paned), 600);
  gtk_widget_set_vexpand (paned, TRUE);
  return paned;
}
