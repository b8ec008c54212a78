/* zg-editor.c — one certificate in the four process steps (R-DATA-3): the record, commits of
 * single fields through the cache's outbox, debounced text fields, reload after a pull, steps
 *
 * Every commit applies the field path to a copy of the record and decodes the result with the
 * strict codec first: input the codec refuses is never written. What the codec accepts goes
 * to zg_cache_local_edit() (record + outbox in one transaction) and the sync engine is told.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "zg-editor-private.h"
#include "zg-outbox.h"

#define TEXT_DEBOUNCE_MS 400

G_DEFINE_FINAL_TYPE (ZgEditor, zg_editor, ADW_TYPE_BIN)

enum {
  SIGNAL_CLOSE_REQUESTED,
  SIGNAL_DELETED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  ZgEditor           *editor;
  GtkWidget          *widget;
  ZgEditorCommitFunc  func;
  guint               source;
} ZgEditorPending;

static const char *const step_names[] = { "daten", "werdegang", "bewertung", "ergebnis" };

static ZgPhraseLibrary *
shared_library (GError **error)
{
  static ZgPhraseLibrary *lib;
  static char *load_error;

  if (lib == NULL && load_error == NULL)
    {
      g_autoptr(GError) local = NULL;

      lib = zg_phrase_library_load (NULL, &local);
      if (lib == NULL)
        load_error = g_strdup (local->message);
    }
  if (lib == NULL)
    g_set_error_literal (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_INVALID, load_error);
  return lib;
}

ZgPhraseLibrary *
_zg_editor_library (void)
{
  return shared_library (NULL);
}

GtkWidget *
zg_editor_new (ZgCache      *cache,
               ZgSyncEngine *sync,
               JsonObject   *user,
               const char   *certificate_id)
{
  ZgEditor *self;

  g_return_val_if_fail (ZG_IS_CACHE (cache), NULL);
  g_return_val_if_fail (sync == NULL || ZG_IS_SYNC_ENGINE (sync), NULL);
  g_return_val_if_fail (certificate_id != NULL, NULL);

  self = g_object_new (ZG_TYPE_EDITOR, NULL);
  self->cache = g_object_ref (cache);
  self->sync = sync != NULL ? g_object_ref (sync) : NULL;
  self->user = user != NULL ? json_object_ref (user) : NULL;
  self->certificate_id = g_strdup (certificate_id);
  zg_editor_reload (self);
  return GTK_WIDGET (self);
}

static void
pending_free (gpointer data)
{
  ZgEditorPending *pending = data;

  g_clear_handle_id (&pending->source, g_source_remove);
  g_object_unref (pending->widget);
  g_free (pending);
}

static gboolean
pending_timeout_cb (gpointer data)
{
  ZgEditorPending *pending = data;
  ZgEditor *self = pending->editor;
  g_autoptr(GtkWidget) widget = g_object_ref (pending->widget);
  ZgEditorCommitFunc func = pending->func;

  pending->source = 0;
  g_hash_table_remove (self->pending, widget);
  func (self, widget);
  return G_SOURCE_REMOVE;
}

void
_zg_editor_schedule (ZgEditor           *self,
                     GtkWidget          *widget,
                     ZgEditorCommitFunc  func)
{
  ZgEditorPending *pending = g_hash_table_lookup (self->pending, widget);

  if (pending == NULL)
    {
      pending = g_new0 (ZgEditorPending, 1);
      pending->editor = self;
      pending->widget = g_object_ref (widget);
      g_hash_table_insert (self->pending, widget, pending);
    }
  pending->func = func;
  g_clear_handle_id (&pending->source, g_source_remove);
  pending->source = g_timeout_add (TEXT_DEBOUNCE_MS, pending_timeout_cb, pending);
}

void
_zg_editor_cancel (ZgEditor  *self,
                   GtkWidget *widget)
{
  g_hash_table_remove (self->pending, widget);
}

/* Commits everything typed but not yet written (focus left, Back, close, reload). */
void
_zg_editor_flush (ZgEditor *self)
{
  while (g_hash_table_size (self->pending) > 0)
    {
      GHashTableIter iter;
      gpointer key;
      gpointer value;
      g_autoptr(GtkWidget) widget = NULL;
      ZgEditorCommitFunc func;

      g_hash_table_iter_init (&iter, self->pending);
      if (!g_hash_table_iter_next (&iter, &key, &value))
        break;
      widget = g_object_ref (GTK_WIDGET (key));
      func = ((ZgEditorPending *) value)->func;
      g_hash_table_iter_remove (&iter);
      func (self, widget);
    }
}

JsonNode *
_zg_editor_get (ZgEditor   *self,
                const char *path)
{
  if (self->root == NULL)
    return NULL;
  return _zg_json_path_get (self->root, path);
}

const char *
_zg_editor_get_string (ZgEditor   *self,
                       const char *path)
{
  JsonNode *node = _zg_editor_get (self, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
update_views (ZgEditor   *self,
              const char *path)
{
  if (path == NULL || g_str_has_prefix (path, "daten.persoenliche_daten")
      || g_str_has_prefix (path, "daten.zeugnisdaten") || g_str_equal (path, "status")
      || g_str_equal (path, "private"))
    _zg_editor_header_reload (self);
  if (path == NULL || g_str_has_prefix (path, "daten.zeugnisdaten")
      || g_str_has_prefix (path, "bewertung"))
    _zg_editor_bewertung_reload (self);
  _zg_editor_ergebnis_update (self);
}

gboolean
_zg_editor_commit (ZgEditor    *self,
                   const char  *path,
                   JsonNode    *value,
                   GError     **error)
{
  g_autoptr(JsonNode) copy = NULL;
  g_autoptr(JsonNode) null_node = NULL;
  g_autoptr(JsonObject) changes = NULL;
  ZgCertificate *cert;

  g_return_val_if_fail (ZG_IS_EDITOR (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->loading)
    return TRUE;
  if (self->root == NULL || self->missing)
    {
      g_set_error (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND,
                   _("The reference is no longer in the offline data."));
      return FALSE;
    }
  if (value == NULL)
    {
      null_node = json_node_new (JSON_NODE_NULL);
      value = null_node;
    }
  copy = _zg_json_deep_copy (self->root);
  if (!_zg_json_path_set (copy, path, value))
    {
      g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_INVALID,
                   _("The field “%s” cannot be changed."), path);
      return FALSE;
    }
  cert = zg_certificate_from_json (copy, error);
  if (cert == NULL)
    return FALSE;

  changes = json_object_new ();
  json_object_set_member (changes, path, json_node_copy (value));
  if (zg_cache_local_edit (self->cache, "certificate", self->certificate_id, changes, error) == 0)
    {
      zg_certificate_free (cert);
      return FALSE;
    }
  g_clear_pointer (&self->root, json_node_unref);
  self->root = g_steal_pointer (&copy);
  g_clear_pointer (&self->cert, zg_certificate_free);
  self->cert = cert;
  if (self->sync != NULL)
    zg_sync_engine_local_change (self->sync);
  update_views (self, path);
  return TRUE;
}

gboolean
_zg_editor_commit_string (ZgEditor    *self,
                          const char  *path,
                          const char  *text,
                          GError     **error)
{
  g_autoptr(JsonNode) value = NULL;

  if (text != NULL && *text != '\0')
    {
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (value, text);
    }
  if (g_strcmp0 (_zg_editor_get_string (self, path), text) == 0
      || (value == NULL && _zg_editor_get (self, path) == NULL))
    return TRUE;
  return _zg_editor_commit (self, path, value, error);
}

void
_zg_editor_show_error (ZgEditor     *self,
                       const GError *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  g_message ("editor: change not saved: %s", error->message);
  if (!GTK_IS_WINDOW (root))
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (root), _("Change Not Saved"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWidget *
_zg_editor_scrolled (GtkWidget *child)
{
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
  adw_clamp_set_tightening_threshold (ADW_CLAMP (clamp), 600);
  adw_clamp_set_child (ADW_CLAMP (clamp), child);
  gtk_widget_set_margin_top (child, 18);
  gtk_widget_set_margin_bottom (child, 24);
  gtk_widget_set_margin_start (child, 12);
  gtk_widget_set_margin_end (child, 12);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);
  return scrolled;
}

static gboolean
load_record (ZgEditor  *self,
             GError   **error)
{
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonNode) root = NULL;

  record = zg_cache_get_record (self->cache, "certificate", self->certificate_id, &local);
  if (record == NULL)
    {
      if (g_error_matches (local, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NOT_FOUND))
        self->missing = TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  root = json_from_string (record->json, error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_INVALID,
                           _("The stored reference is damaged."));
      return FALSE;
    }
  _zg_json_apply_flat_paths (root);
  g_clear_pointer (&self->cert, zg_certificate_free);
  self->cert = zg_certificate_from_json (root, error);
  g_clear_pointer (&self->root, json_node_unref);
  self->root = g_steal_pointer (&root);
  self->rev = record->rev;
  self->missing = FALSE;
  return self->cert != NULL;
}

void
zg_editor_reload (ZgEditor *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ZG_IS_EDITOR (self));

  /* What the user typed is written first: the reload then shows it on top of the pull. */
  _zg_editor_flush (self);
  if (!load_record (self, &error))
    {
      g_message ("editor: cannot read certificate %s: %s", self->certificate_id,
                 error != NULL ? error->message : "?");
      if (self->missing)
        {
          g_signal_emit (self, signals[SIGNAL_CLOSE_REQUESTED], 0);
          return;
        }
    }
  self->loading = TRUE;
  _zg_editor_daten_reload_types (self);
  _zg_editor_fields_reload (self);
  _zg_editor_lists_reload (self);
  _zg_editor_werdegang_reload (self);
  self->loading = FALSE;
  update_views (self, NULL);
}

const char *
zg_editor_get_certificate_id (ZgEditor *self)
{
  g_return_val_if_fail (ZG_IS_EDITOR (self), NULL);
  return self->certificate_id;
}

void
zg_editor_set_step (ZgEditor     *self,
                    ZgEditorStep  step)
{
  g_return_if_fail (ZG_IS_EDITOR (self));
  g_return_if_fail ((guint) step < G_N_ELEMENTS (step_names));

  _zg_editor_flush (self);
  adw_view_stack_set_visible_child_name (self->stack, step_names[step]);
}

ZgEditorStep
zg_editor_get_step (ZgEditor *self)
{
  const char *name;

  g_return_val_if_fail (ZG_IS_EDITOR (self), ZG_EDITOR_STEP_DATEN);

  name = adw_view_stack_get_visible_child_name (self->stack);
  for (guint i = 0; i < G_N_ELEMENTS (step_names); i++)
    if (g_strcmp0 (name, step_names[i]) == 0)
      return (ZgEditorStep) i;
  return ZG_EDITOR_STEP_DATEN;
}

/* Private accessors for the tests and the benchmark (zg-editor.h). */
const char *
zg_editor_get_preview_text (ZgEditor *self)
{
  g_return_val_if_fail (ZG_IS_EDITOR (self), NULL);
  return self->preview_text;
}

guint
zg_editor_get_n_findings (ZgEditor *self)
{
  g_return_val_if_fail (ZG_IS_EDITOR (self), 0);
  return self->n_findings;
}

/* editor.move-step (-1 / +1): Alt+Left / Alt+Right */
static void
move_step_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ZgEditor *self = ZG_EDITOR (widget);
  int next = (int) zg_editor_get_step (self) + g_variant_get_int32 (parameter);

  if (next >= 0 && next < (int) G_N_ELEMENTS (step_names))
    zg_editor_set_step (self, (ZgEditorStep) next);
}

/* The step keys work wherever the focus is in the window while the editor is shown. */
static void
add_shortcuts (ZgEditor *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller),
                                     GTK_SHORTCUT_SCOPE_GLOBAL);
  for (int i = 0; i < 4; i++)
    {
      GtkShortcut *shortcut =
        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_1 + i, GDK_CONTROL_MASK),
                          gtk_named_action_new ("editor.step"));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (i));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  for (int i = 0; i < 2; i++)
    {
      GtkShortcut *shortcut =
        gtk_shortcut_new (gtk_keyval_trigger_new (i == 0 ? GDK_KEY_Left : GDK_KEY_Right,
                                                  GDK_ALT_MASK),
                          gtk_named_action_new ("editor.move-step"));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (i == 0 ? -1 : 1));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
visible_step_changed_cb (ZgEditor *self)
{
  _zg_editor_flush (self);
  if (zg_editor_get_step (self) == ZG_EDITOR_STEP_ERGEBNIS)
    _zg_editor_ergebnis_update (self);
}

static void
zg_editor_dispose (GObject *object)
{
  ZgEditor *self = ZG_EDITOR (object);

  if (self->pending != NULL && self->cache != NULL)
    _zg_editor_flush (self);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_handle_id (&self->pages_idle, g_source_remove);
  g_clear_handle_id (&self->text_timeout, g_source_remove);
  g_clear_pointer (&self->list_groups, g_ptr_array_unref);
  g_clear_pointer (&self->field_widgets, g_hash_table_unref);
  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->cache);
  g_clear_object (&self->sync);
  g_clear_pointer (&self->user, json_object_unref);
  g_clear_pointer (&self->root, json_node_unref);
  g_clear_pointer (&self->cert, zg_certificate_free);
  g_clear_pointer (&self->doc, zg_document_free);
  g_clear_pointer (&self->print_doc, zg_document_free);
  g_clear_pointer (&self->pages, zg_pdf_pages_free);
  g_clear_pointer (&self->renderer, zg_pdf_renderer_free);

  G_OBJECT_CLASS (zg_editor_parent_class)->dispose (object);
}

/* Taken out of the window (Back, another reference opened, the window closed): what was typed
 * is written now, not after the debounce. */
static void
zg_editor_unroot (GtkWidget *widget)
{
  ZgEditor *self = ZG_EDITOR (widget);

  if (self->pending != NULL && self->cache != NULL)
    _zg_editor_flush (self);
  GTK_WIDGET_CLASS (zg_editor_parent_class)->unroot (widget);
}

static void
zg_editor_finalize (GObject *object)
{
  ZgEditor *self = ZG_EDITOR (object);

  g_free (self->certificate_id);
  g_free (self->generated_body);
  g_free (self->generate_error);
  g_free (self->preview_text);

  G_OBJECT_CLASS (zg_editor_parent_class)->finalize (object);
}

static void
zg_editor_class_init (ZgEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zg_editor_dispose;
  object_class->finalize = zg_editor_finalize;
  widget_class->unroot = zg_editor_unroot;

  signals[SIGNAL_CLOSE_REQUESTED] =
    g_signal_new ("close-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_DELETED] =
    g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  _zg_editor_actions_init_class (widget_class);
  gtk_widget_class_install_action (widget_class, "editor.move-step", "i", move_step_action);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
zg_editor_init (ZgEditor *self)
{
  static const char *const titles[] = { N_("Daten"), N_("Werdegang"), N_("Bewertung"),
                                        N_("Ergebnis") };
  static const char *const icons[] = { "contact-new-symbolic", "view-list-bullet-symbolic",
                                       "starred-symbolic", "x-office-document-symbolic" };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *switcher;
  GtkWidget *switcher_bar;

  self->pending = g_hash_table_new_full (NULL, NULL, NULL, pending_free);
  self->field_widgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->list_groups = g_ptr_array_new_with_free_func (_zg_editor_list_free);
  (void) shared_library (NULL);
  add_shortcuts (self);

  gtk_box_append (GTK_BOX (box), _zg_editor_header_new (self));

  self->stack = ADW_VIEW_STACK (adw_view_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  self->step_pages[0] = _zg_editor_daten_new (self);
  self->step_pages[1] = _zg_editor_werdegang_new (self);
  self->step_pages[2] = _zg_editor_bewertung_new (self);
  self->step_pages[3] = _zg_editor_ergebnis_new (self);
  for (guint i = 0; i < 4; i++)
    {
      AdwViewStackPage *page;
      g_autofree char *title = g_strdup_printf ("%u · %s", i + 1, _(titles[i]));

      page = adw_view_stack_add_titled (self->stack, self->step_pages[i], step_names[i], title);
      adw_view_stack_page_set_icon_name (page, icons[i]);
    }
  g_signal_connect_swapped (self->stack, "notify::visible-child", G_CALLBACK (visible_step_changed_cb),
                            self);

  switcher = adw_view_switcher_new ();
  adw_view_switcher_set_stack (ADW_VIEW_SWITCHER (switcher), self->stack);
  adw_view_switcher_set_policy (ADW_VIEW_SWITCHER (switcher), ADW_VIEW_SWITCHER_POLICY_WIDE);
  gtk_widget_set_halign (switcher, GTK_ALIGN_CENTER);
  switcher_bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (switcher_bar, "zg-editor-steps");
  gtk_widget_set_hexpand (switcher, TRUE);
  gtk_box_append (GTK_BOX (switcher_bar), switcher);
  gtk_box_append (GTK_BOX (box), switcher_bar);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  adw_bin_set_child (ADW_BIN (self), box);
}

void
_zg_editor_emit_deleted (ZgEditor *self)
{
  /* A handler of the first signal may drop the last reference (the window closes us). */
  g_autoptr(ZgEditor) hold = g_object_ref (self);

  g_signal_emit (hold, signals[SIGNAL_DELETED], 0);
  g_signal_emit (hold, signals[SIGNAL_CLOSE_REQUESTED], 0);
}

void
_zg_editor_emit_close (ZgEditor *self)
{
  _zg_editor_flush (self);
  g_signal_emit (self, signals[SIGNAL_CLOSE_REQUESTED], 0);
}
