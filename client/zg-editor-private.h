/* zg-editor-private.h — the editor's instance struct, shared by zg-editor*.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-editor.h"
#include "zg-engine.h"
#include "zg-pdf.h"

G_BEGIN_DECLS

struct _ZgEditor
{
  AdwBin           parent_instance;

  ZgCache         *cache;
  ZgSyncEngine    *sync;
  JsonObject      *user;
  char            *certificate_id;

  /* The record as last read or written (field paths applied), and its decoded form. */
  JsonNode        *root;
  ZgCertificate   *cert;
  gint64           rev;
  gboolean         missing;         /* the record is not in the cache (deleted or purged) */
  gboolean         loading;         /* widgets are being filled: no commits */

  /* Text fields waiting for their debounce: GtkWidget -> ZgEditorPending */
  GHashTable      *pending;

  /* Generated result */
  ZgDocument      *doc;             /* the generated letter, NULL when incomplete */
  ZgDocument      *print_doc;       /* doc, or the hand-edited text laid into it */
  char            *generated_body;  /* body text of doc (what the text view starts with) */
  char            *generate_error;  /* why nothing could be generated */
  ZgPdfRenderer   *renderer;
  ZgPdfPages      *pages;
  guint            preview_page;
  guint            pages_idle;
  gint64           last_update_us;  /* duration of the last preview update */
  guint            n_updates;

  /* Header */
  GtkWidget       *title_label;
  GtkWidget       *subtitle_label;
  GtkWidget       *status_button;
  GtkWidget       *private_button;
  GtkWidget       *delete_button;

  /* Steps */
  AdwViewStack    *stack;
  GtkWidget       *step_pages[4];

  /* Daten/Werdegang/Bewertung: widgets by field path, for reload */
  GHashTable      *field_widgets;   /* path -> GtkWidget (borrowed) */
  GtkWidget       *daten_page;
  GtkWidget       *employee_type_row;
  GtkWidget       *werdegang_page;
  GtkWidget       *bewertung_page;
  GtkWidget       *manager_only_rows[2];
  GtkWidget       *grade_rows[ZG_N_CATEGORIES];
  GtkWidget       *grade_meanings[ZG_N_CATEGORIES];
  GtkWidget       *overall_label;

  /* List editors (werdegang lists, qualifications, achievements, signatories, stations) */
  GPtrArray       *list_groups;     /* ZgEditorList* */

  /* Ergebnis */
  GtkWidget       *result_error;    /* AdwStatusPage: what is missing for a letter */
  GtkWidget       *result_stack;
  GtkWidget       *result_switcher;
  GtkWidget       *save_button;
  GtkWidget       *print_button;
  GtkWidget       *sentences_box;
  GtkWidget       *text_view;
  GtkWidget       *text_state_label;
  GtkWidget       *reset_text_button;
  GtkWidget       *findings_box;
  GtkWidget       *findings_revealer;
  GtkWidget       *preview_area;
  GtkWidget       *page_label;
  GtkWidget       *prev_page_button;
  GtkWidget       *next_page_button;
  gboolean         text_dirty;
  guint            text_timeout;
  guint            n_findings;
  char            *preview_text;    /* the body text currently shown (generated or edited) */
};

typedef struct _ZgEditorList ZgEditorList;

/* zg-editor.c */
ZgPhraseLibrary *_zg_editor_library         (void);
void         _zg_editor_emit_deleted        (ZgEditor     *self);
void         _zg_editor_emit_close          (ZgEditor     *self);
gboolean     _zg_editor_commit              (ZgEditor     *self,
                                             const char   *path,
                                             JsonNode     *value,
                                             GError      **error);
gboolean     _zg_editor_commit_string       (ZgEditor     *self,
                                             const char   *path,
                                             const char   *text,
                                             GError      **error);
JsonNode    *_zg_editor_get                 (ZgEditor     *self,
                                             const char   *path);
const char  *_zg_editor_get_string          (ZgEditor     *self,
                                             const char   *path);
typedef void (*ZgEditorCommitFunc) (ZgEditor  *self,
                                    GtkWidget *widget);
void         _zg_editor_schedule            (ZgEditor           *self,
                                             GtkWidget          *widget,
                                             ZgEditorCommitFunc  func);
void         _zg_editor_cancel              (ZgEditor           *self,
                                             GtkWidget          *widget);
void         _zg_editor_flush               (ZgEditor     *self);
void         _zg_editor_show_error          (ZgEditor     *self,
                                             const GError *error);
GtkWidget   *_zg_editor_scrolled            (GtkWidget    *child);

/* zg-editor-fields.c: rows bound to field paths */
GtkWidget   *_zg_editor_entry_row           (ZgEditor     *self,
                                             const char   *title,
                                             const char   *path);
GtkWidget   *_zg_editor_date_row            (ZgEditor     *self,
                                             const char   *title,
                                             const char   *path);
GtkWidget   *_zg_editor_combo_row           (ZgEditor     *self,
                                             const char   *title,
                                             const char   *path,
                                             const char * const *keys,
                                             const char * const *labels);
GtkWidget   *_zg_editor_switch_row          (ZgEditor     *self,
                                             const char   *title,
                                             const char   *subtitle,
                                             const char   *path);
GtkWidget   *_zg_editor_text_row            (ZgEditor     *self,
                                             const char   *title,
                                             const char   *path);
void         _zg_editor_fields_reload       (ZgEditor     *self);
char        *_zg_editor_format_date         (const char   *iso);
gboolean     _zg_editor_parse_date          (const char   *text,
                                             char        **out_iso);

/* zg-editor-lists.c: string lists and the station/signatory lists */
GtkWidget   *_zg_editor_string_list         (ZgEditor     *self,
                                             const char   *title,
                                             const char   *description,
                                             const char   *path,
                                             const char   *placeholder);
GtkWidget   *_zg_editor_station_list        (ZgEditor     *self);
GtkWidget   *_zg_editor_signatory_list      (ZgEditor     *self);
void         _zg_editor_lists_reload        (ZgEditor     *self);
void         _zg_editor_list_free           (gpointer      list);
void         _zg_editor_list_set_suggestions (ZgEditorList *list,
                                             GPtrArray    *suggestions);
guint        _zg_editor_list_length         (ZgEditorList *list);
gboolean     _zg_editor_list_add            (ZgEditorList *list,
                                             const char   *text);
gboolean     _zg_editor_list_add_suggestion (ZgEditorList *list,
                                             guint         index);
ZgEditorList *_zg_editor_find_list          (ZgEditor     *self,
                                             const char   *path);

/* zg-editor-daten.c, -werdegang.c, -bewertung.c, -ergebnis.c */
GtkWidget   *_zg_editor_daten_new           (ZgEditor     *self);
void         _zg_editor_daten_reload_types  (ZgEditor     *self);
gboolean     _zg_editor_fill_company        (ZgEditor     *self,
                                             const char   *company_id,
                                             GError      **error);
GtkWidget   *_zg_editor_werdegang_new       (ZgEditor     *self);
void         _zg_editor_werdegang_reload    (ZgEditor     *self);
GtkWidget   *_zg_editor_bewertung_new       (ZgEditor     *self);
void         _zg_editor_bewertung_reload    (ZgEditor     *self);
GtkWidget   *_zg_editor_ergebnis_new        (ZgEditor     *self);
void         _zg_editor_ergebnis_update     (ZgEditor     *self);
const char  *_zg_editor_grade_meaning       (int           grade);
const char  *_zg_editor_category_grade_meaning (ZgCategory  category,
                                               int         grade);

/* zg-editor-actions.c: header actions (status, private, delete, PDF, print) */
GtkWidget   *_zg_editor_header_new          (ZgEditor     *self);
void         _zg_editor_header_reload       (ZgEditor     *self);
void         _zg_editor_actions_init_class  (GtkWidgetClass *widget_class);
ZgDocument  *_zg_editor_build_print_doc     (ZgEditor     *self);

/* zg-editor-json.c: field paths on a JSON tree (the push format) */
gboolean     _zg_json_path_set              (JsonNode     *root,
                                             const char   *path,
                                             JsonNode     *value);
JsonNode    *_zg_json_path_get              (JsonNode     *root,
                                             const char   *path);
void         _zg_json_apply_flat_paths      (JsonNode     *root);
JsonNode    *_zg_json_deep_copy             (JsonNode     *node);

G_END_DECLS
