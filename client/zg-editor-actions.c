/* zg-editor-actions.c — the editor's header: Back, name, kind and status, the status menu,
 * the private mark (R-ACL-3), Delete, Save PDF and Print
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "zg-editor-private.h"
#include "zg-outbox.h"
#include "zg-pdf-export.h"
#include "zg-workflow.h"

static const char *const status_labels[ZG_N_STATUSES] = {
  N_("Draft"),
  N_("With supervisor"),
  N_("Editing finished"),
  N_("In review"),
  N_("Approved"),
  N_("Completed"),
};

static const char *const kind_labels[ZG_N_KINDS] = {
  N_("Final reference"),
  N_("Interim reference"),
  N_("Apprenticeship reference"),
  N_("Internship reference"),
};

static gboolean
status_from_key (const char          *key,
                 ZgCertificateStatus *out)
{
  for (int s = 0; s < ZG_N_STATUSES; s++)
    if (g_strcmp0 (zg_status_key ((ZgCertificateStatus) s), key) == 0)
      {
        *out = (ZgCertificateStatus) s;
        return TRUE;
      }
  return FALSE;
}

/* R-ACL-3: the creator or a user with the Administrator criterion may mark it private. */
static gboolean
may_set_private (ZgEditor *self)
{
  g_autoptr(ZgCacheRecord) record = NULL;
  JsonNode *node;
  gint64 user_id;

  if (self->user == NULL)
    return FALSE;
  node = json_object_get_member (self->user, "areas");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *areas = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (areas); i++)
        if (g_strcmp0 (json_array_get_string_element (areas, i), "administrator") == 0)
          return TRUE;
    }
  node = json_object_get_member (self->user, "administrator");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node))
    return TRUE;
  node = json_object_get_member (self->user, "id");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  user_id = json_node_get_int (node);
  record = zg_cache_get_record (self->cache, "certificate", self->certificate_id, NULL);
  /* Created here and not synced yet: the creator is this user. */
  return record != NULL && (record->created_by == 0 ? record->rev == 0
                                                     : record->created_by == user_id);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _zg_editor_emit_close (ZG_EDITOR (widget));
}

static void
set_status_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ZgEditor *self = ZG_EDITOR (widget);
  const char *key = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  ZgCertificateStatus status;

  if (!status_from_key (key, &status))
    return;
  _zg_editor_flush (self);
  /* The server decides (zg-workflow); a refused change comes back as a sync problem. */
  if (!_zg_editor_commit_string (self, "status", key, &error))
    _zg_editor_show_error (self, error);
}

/* Closed lock and "Private" only when it is private; otherwise an offer to make it so. */
static void
update_private_look (GtkToggleButton *button)
{
  AdwButtonContent *content = ADW_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (button)));
  gboolean active = gtk_toggle_button_get_active (button);

  adw_button_content_set_icon_name (content, active ? "changes-prevent-symbolic"
                                                    : "changes-allow-symbolic");
  adw_button_content_set_label (content, active ? _("Private") : _("Make Private"));
}

static void
private_toggled_cb (GtkToggleButton *button,
                    ZgEditor        *self)
{
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;
  gboolean active = gtk_toggle_button_get_active (button);

  update_private_look (button);

  if (self->loading || self->cert == NULL || self->cert->is_private == active)
    return;
  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_boolean (value, active);
  if (!_zg_editor_commit (self, "private", value, &error))
    {
      _zg_editor_show_error (self, error);
      _zg_editor_header_reload (self);
    }
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    ZgEditor         *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0)
    return;
  _zg_editor_flush (self);
  if (zg_cache_local_delete (self->cache, "certificate", self->certificate_id, &error) < 0)
    {
      _zg_editor_show_error (self, error);
      return;
    }
  self->missing = TRUE;
  if (self->sync != NULL)
    zg_sync_engine_local_change (self->sync);
  _zg_editor_emit_deleted (self);
}

static char *
subject_name (ZgEditor *self)
{
  const ZgCertificate *c = self->cert;
  g_autoptr(GString) name = g_string_new (NULL);

  if (c == NULL)
    return g_strdup (_("Reference"));
  if (c->title != NULL)
    g_string_append_printf (name, "%s ", c->title);
  if (c->first_name != NULL)
    g_string_append_printf (name, "%s ", c->first_name);
  if (c->last_name != NULL)
    g_string_append (name, c->last_name);
  g_strchomp (name->str);
  name->len = strlen (name->str);
  if (name->len == 0)
    g_string_append (name, _("Unnamed employee"));
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ZgEditor *self = ZG_EDITOR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = subject_name (self);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (!GTK_IS_WINDOW (root))
    return;
  body = g_strdup_printf (_("The reference for %s will be deleted for everyone once it is "
                            "synchronised. This cannot be undone."), name);
  dialog = adw_message_dialog_new (GTK_WINDOW (root), _("Delete Reference?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reopen_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    ZgEditor         *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "reopen") != 0)
    return;
  _zg_editor_flush (self);
  /* Its own mutation with the workflow's explicit "reopen"; the server decides. */
  if (zg_cache_local_reopen (self->cache, self->certificate_id, &error) == 0)
    {
      _zg_editor_show_error (self, error);
      return;
    }
  if (self->sync != NULL)
    zg_sync_engine_local_change (self->sync);
  zg_editor_reload (self);
}

static void
reopen_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ZgEditor *self = ZG_EDITOR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = subject_name (self);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (!GTK_IS_WINDOW (root))
    return;
  body = g_strdup_printf (_("The reference for %s goes back to draft and can be edited again. "
                            "The step is recorded with your name."), name);
  dialog = adw_message_dialog_new (GTK_WINDOW (root), _("Reopen Reference?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "reopen", _("_Reopen"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reopen",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (reopen_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  zg_editor_set_step (ZG_EDITOR (widget), (ZgEditorStep) g_variant_get_int32 (parameter));
}

void
_zg_editor_actions_init_class (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "editor.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "editor.set-status", "s", set_status_action);
  gtk_widget_class_install_action (widget_class, "editor.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "editor.reopen", NULL, reopen_action);
  gtk_widget_class_install_action (widget_class, "editor.step", "i", step_action);
}

GtkWidget *
_zg_editor_header_new (ZgEditor *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");

  gtk_widget_add_css_class (bar, "toolbar");
  gtk_widget_add_css_class (bar, "zg-editor-header");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "editor.back");
  gtk_widget_set_tooltip_text (back, _("Back to the List"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Back to the List"), -1);
  gtk_box_append (GTK_BOX (bar), back);

  self->title_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->title_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->title_label, "heading");
  self->subtitle_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->subtitle_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->subtitle_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->subtitle_label, "caption");
  gtk_widget_add_css_class (self->subtitle_label, "dim-label");
  gtk_box_append (GTK_BOX (titles), self->title_label);
  gtk_box_append (GTK_BOX (titles), self->subtitle_label);
  gtk_widget_set_hexpand (titles, TRUE);
  gtk_widget_set_valign (titles, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (bar), titles);

  self->status_button = gtk_menu_button_new ();
  gtk_widget_set_tooltip_text (self->status_button, _("Change the Status"));
  gtk_box_append (GTK_BOX (bar), self->status_button);

  self->private_button = gtk_toggle_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->private_button),
                        adw_button_content_new ());
  update_private_look (GTK_TOGGLE_BUTTON (self->private_button));
  gtk_widget_set_tooltip_text (self->private_button,
                               _("Only you (the creator) and administrators see a private "
                                 "reference"));
  g_signal_connect (self->private_button, "toggled", G_CALLBACK (private_toggled_cb), self);
  gtk_box_append (GTK_BOX (bar), self->private_button);

  self->delete_button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->delete_button), "editor.delete");
  gtk_widget_set_tooltip_text (self->delete_button, _("Delete Reference…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->delete_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Delete Reference…"), -1);
  gtk_widget_add_css_class (self->delete_button, "flat");
  gtk_box_append (GTK_BOX (bar), self->delete_button);
  return bar;
}

void
_zg_editor_header_reload (ZgEditor *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autofree char *name = subject_name (self);
  g_autofree char *subtitle = NULL;
  g_autofree char *status_text = NULL;
  gboolean was_loading = self->loading;
  ZgCertificateStatus next[ZG_N_STATUSES];
  ZgCertificateStatus current;
  guint n_next;
  guint n_offered = 0;
  gboolean read_only;

  gtk_label_set_text (GTK_LABEL (self->title_label), name);
  gtk_widget_set_tooltip_text (self->title_label, name);
  if (self->cert == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->subtitle_label), "");
      gtk_widget_set_sensitive (self->status_button, FALSE);
      return;
    }
  current = self->cert->status;
  subtitle = g_strdup_printf ("%s · %s", _(kind_labels[self->cert->kind]),
                              self->cert->language != NULL
                              && g_str_equal (self->cert->language, "en")
                              ? _("English") : _("German"));
  gtk_label_set_text (GTK_LABEL (self->subtitle_label), subtitle);

  /* The workflow's next steps; a reopen (back to draft from review, approved or completed)
   * asks first and goes as its own mutation (zg_cache_local_reopen). */
  n_next = zg_workflow_next_statuses (current, next);
  for (guint i = 0; i < n_next; i++)
    {
      g_autofree char *action = NULL;
      ZgTransitionKind kind = zg_workflow_transition_kind (current, next[i]);

      if (kind == ZG_TRANSITION_REOPEN)
        {
          g_menu_append (menu, _("Reopen as Draft…"), "editor.reopen");
          n_offered++;
          continue;
        }
      if (kind != ZG_TRANSITION_STEP)
        continue;
      action = g_strdup_printf ("editor.set-status::%s", zg_status_key (next[i]));
      g_menu_append (menu, _(status_labels[next[i]]), action);
      n_offered++;
    }
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->status_button), G_MENU_MODEL (menu));
  status_text = g_strdup_printf (_("Status: %s"), _(status_labels[current]));
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->status_button), status_text);
  gtk_widget_set_sensitive (self->status_button, n_offered > 0);

  /* A completed reference is read-only (zg-workflow): the steps are shown, not edited. */
  read_only = zg_workflow_is_read_only (current);
  /* The boxes, not the scrolled windows: a read-only page still scrolls. */
  if (self->daten_page != NULL)
    {
      gtk_widget_set_sensitive (self->daten_page, !read_only);
      gtk_widget_set_sensitive (self->werdegang_page, !read_only);
      gtk_widget_set_sensitive (self->bewertung_page, !read_only);
    }
  /* Ergebnis keeps the page, Save PDF and Print. */
  if (self->text_view != NULL)
    {
      gtk_text_view_set_editable (GTK_TEXT_VIEW (self->text_view), !read_only);
      gtk_widget_set_sensitive (self->sentences_box, !read_only);
    }
  gtk_widget_set_sensitive (self->delete_button, !read_only);
  if (read_only)
    {
      g_autofree char *with_note = g_strdup_printf (_("%s · completed, read-only"), subtitle);

      gtk_label_set_text (GTK_LABEL (self->subtitle_label), with_note);
    }

  self->loading = TRUE;
  gtk_widget_set_visible (self->private_button, may_set_private (self) || self->cert->is_private);
  gtk_widget_set_sensitive (self->private_button, may_set_private (self));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->private_button), self->cert->is_private);
  self->loading = was_loading;
}
