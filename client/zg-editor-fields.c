/* zg-editor-fields.c — rows bound to one field path each: text, date, choice, switch, long text
 *
 * Text is committed after a short pause in typing and at once when the row loses focus or
 * Enter is pressed. Dates are shown as DD.MM.YYYY and stored as ISO dates; an invalid date
 * marks the row and is not written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "zg-editor-private.h"

typedef enum
{
  FIELD_ENTRY,
  FIELD_DATE,
  FIELD_COMBO,
  FIELD_SWITCH,
  FIELD_TEXT,
} FieldKind;

#define KIND_KEY "zg-field-kind"
#define PATH_KEY "zg-field-path"
#define EDITOR_KEY "zg-editor"

/* A run of exactly @n ASCII digits at @s, or -1. */
static int
digits (const char *s,
        guint       n)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return -1;
      value = value * 10 + (s[i] - '0');
    }
  return value;
}

char *
_zg_editor_format_date (const char *iso)
{
  int y;
  int m;
  int d;

  if (iso == NULL || strlen (iso) != 10 || iso[4] != '-' || iso[7] != '-')
    return g_strdup ("");
  y = digits (iso, 4);
  m = digits (iso + 5, 2);
  d = digits (iso + 8, 2);
  if (y < 0 || m < 0 || d < 0)
    return g_strdup ("");
  return g_strdup_printf ("%02d.%02d.%04d", d, m, y);
}

/* Accepts D.M.YYYY (German, one or two digits for day and month) and YYYY-MM-DD; empty text
 * is "no date" (out_iso NULL). */
gboolean
_zg_editor_parse_date (const char  *text,
                       char       **out_iso)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_auto(GStrv) parts = NULL;
  int d = -1;
  int m = -1;
  int y = -1;

  *out_iso = NULL;
  if (*stripped == '\0')
    return TRUE;
  if (strlen (stripped) == 10 && stripped[4] == '-' && stripped[7] == '-')
    {
      y = digits (stripped, 4);
      m = digits (stripped + 5, 2);
      d = digits (stripped + 8, 2);
    }
  else
    {
      parts = g_strsplit (stripped, ".", -1);
      if (g_strv_length (parts) != 3 || strlen (parts[2]) != 4
          || strlen (parts[0]) < 1 || strlen (parts[0]) > 2
          || strlen (parts[1]) < 1 || strlen (parts[1]) > 2)
        return FALSE;
      d = digits (parts[0], (guint) strlen (parts[0]));
      m = digits (parts[1], (guint) strlen (parts[1]));
      y = digits (parts[2], 4);
    }
  if (d < 1 || m < 1 || y < 1900 || y > 2200
      || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  *out_iso = g_strdup_printf ("%04d-%02d-%02d", y, m, d);
  return TRUE;
}

static ZgEditor *
editor_of (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), EDITOR_KEY);
}

static const char *
path_of (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), PATH_KEY);
}

static void
set_invalid (GtkWidget  *row,
             const char *message)
{
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "zg-error-icon");

  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, message);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, NULL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  if (icon != NULL)
    gtk_widget_set_visible (icon, message != NULL);
}

static void
commit_entry (ZgEditor  *self,
              GtkWidget *row)
{
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (_zg_editor_commit_string (self, path_of (row), stripped, &error))
    set_invalid (row, NULL);
  else
    {
      g_debug ("editor: %s refused: %s", path_of (row), error->message);
      set_invalid (row, error->message);
    }
}

static void
commit_date (ZgEditor  *self,
             GtkWidget *row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = NULL;

  if (!_zg_editor_parse_date (gtk_editable_get_text (GTK_EDITABLE (row)), &iso))
    {
      set_invalid (row, _("Not a valid date. Please enter it as DD.MM.YYYY, e.g. 30.06.2026."));
      return;
    }
  if (_zg_editor_commit_string (self, path_of (row), iso, &error))
    set_invalid (row, NULL);
  else
    {
      g_debug ("editor: %s refused: %s", path_of (row), error->message);
      set_invalid (row, error->message);
    }
}

static void
commit_text (ZgEditor  *self,
             GtkWidget *view)
{
  g_autoptr(GError) error = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start;
  GtkTextIter end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_strstrip (text);
  if (!_zg_editor_commit_string (self, path_of (view), text, &error))
    _zg_editor_show_error (self, error);
}

static void
entry_changed_cb (GtkEditable *editable,
                  GtkWidget   *row)
{
  ZgEditor *self = editor_of (row);
  FieldKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), KIND_KEY));

  if (self->loading)
    return;
  _zg_editor_schedule (self, row, kind == FIELD_DATE ? commit_date : commit_entry);
}

static void
entry_apply_cb (GtkWidget *row)
{
  ZgEditor *self = editor_of (row);
  FieldKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), KIND_KEY));

  _zg_editor_cancel (self, row);
  if (kind == FIELD_DATE)
    commit_date (self, row);
  else
    commit_entry (self, row);
}

static void
focus_leave_cb (GtkEventControllerFocus *controller,
                GtkWidget               *widget)
{
  ZgEditor *self = editor_of (widget);
  FieldKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), KIND_KEY));

  if (g_hash_table_lookup (self->pending, widget) == NULL)
    return;
  _zg_editor_cancel (self, widget);
  if (kind == FIELD_TEXT)
    commit_text (self, widget);
  else if (kind == FIELD_DATE)
    commit_date (self, widget);
  else
    commit_entry (self, widget);
}

static void
bind_widget (ZgEditor   *self,
             GtkWidget  *widget,
             const char *path,
             FieldKind   kind)
{
  g_object_set_data (G_OBJECT (widget), EDITOR_KEY, self);
  g_object_set_data_full (G_OBJECT (widget), PATH_KEY, g_strdup (path), g_free);
  g_object_set_data (G_OBJECT (widget), KIND_KEY, GINT_TO_POINTER (kind));
  g_hash_table_replace (self->field_widgets, g_strdup (path), widget);
  if (kind == FIELD_ENTRY || kind == FIELD_DATE || kind == FIELD_TEXT)
    {
      GtkEventController *focus = gtk_event_controller_focus_new ();

      g_signal_connect (focus, "leave", G_CALLBACK (focus_leave_cb), widget);
      gtk_widget_add_controller (widget, focus);
      g_object_set_data (G_OBJECT (widget), "zg-focus", focus);
    }
}

GtkWidget *
_zg_editor_entry_row (ZgEditor   *self,
                      const char *title,
                      const char *path)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), FALSE);
  bind_widget (self, row, path, FIELD_ENTRY);
  g_signal_connect (row, "changed", G_CALLBACK (entry_changed_cb), row);
  g_signal_connect (row, "entry-activated", G_CALLBACK (entry_apply_cb), NULL);
  return row;
}

GtkWidget *
_zg_editor_date_row (ZgEditor   *self,
                     const char *title,
                     const char *path)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *hint = gtk_label_new (_("DD.MM.YYYY"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_widget_add_css_class (hint, "caption");
  gtk_widget_set_visible (icon, FALSE);
  gtk_widget_add_css_class (icon, "error");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), icon);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), hint);
  g_object_set_data (G_OBJECT (row), "zg-error-icon", icon);
  bind_widget (self, row, path, FIELD_DATE);
  g_signal_connect (row, "changed", G_CALLBACK (entry_changed_cb), row);
  g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (entry_apply_cb), row);
  return row;
}

static void
combo_selected_cb (GtkWidget  *row,
                   GParamSpec *pspec,
                   gpointer    data)
{
  ZgEditor *self = editor_of (row);
  const char * const *keys = g_object_get_data (G_OBJECT (row), "zg-keys");
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (row));
  g_autoptr(GError) error = NULL;

  if (self->loading || selected == GTK_INVALID_LIST_POSITION)
    return;
  if (!_zg_editor_commit_string (self, path_of (row), keys[selected], &error))
    {
      _zg_editor_show_error (self, error);
      _zg_editor_fields_reload (self);
    }
}

GtkWidget *
_zg_editor_combo_row (ZgEditor           *self,
                      const char         *title,
                      const char         *path,
                      const char * const *keys,
                      const char * const *labels)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  guint n = 0;

  for (; labels[n] != NULL; n++)
    gtk_string_list_append (model, _(labels[n]));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  /* keys[i] may be "" for "not given" (stored as absent) */
  g_object_set_data (G_OBJECT (row), "zg-keys", (gpointer) keys);
  bind_widget (self, row, path, FIELD_COMBO);
  g_signal_connect (row, "notify::selected", G_CALLBACK (combo_selected_cb), NULL);
  return row;
}

static void
switch_active_cb (GtkWidget  *sw,
                  GParamSpec *pspec,
                  GtkWidget  *row)
{
  ZgEditor *self = editor_of (row);
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;
  gboolean active = gtk_switch_get_active (GTK_SWITCH (sw));
  JsonNode *current;

  if (self->loading)
    return;
  current = _zg_editor_get (self, path_of (row));
  if (current != NULL && JSON_NODE_HOLDS_VALUE (current)
      && json_node_get_boolean (current) == active)
    return;
  if (current == NULL && !active)
    return;
  value = json_node_new (JSON_NODE_VALUE);
  json_node_set_boolean (value, active);
  if (!_zg_editor_commit (self, path_of (row), value, &error))
    {
      _zg_editor_show_error (self, error);
      _zg_editor_fields_reload (self);
    }
}

GtkWidget *
_zg_editor_switch_row (ZgEditor   *self,
                       const char *title,
                       const char *subtitle,
                       const char *path)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  row, NULL, -1);
  g_object_set_data (G_OBJECT (row), "zg-switch", sw);
  bind_widget (self, row, path, FIELD_SWITCH);
  g_signal_connect (sw, "notify::active", G_CALLBACK (switch_active_cb), row);
  return row;
}

static void
text_changed_cb (GtkTextBuffer *buffer,
                 GtkWidget     *view)
{
  ZgEditor *self = editor_of (view);

  if (self->loading)
    return;
  _zg_editor_schedule (self, view, commit_text);
}

/* A multi-line text (company description, internal notes) with its title above. */
GtkWidget *
_zg_editor_text_row (ZgEditor   *self,
                     const char *title,
                     const char *path)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 10);
  gtk_widget_set_size_request (view, -1, 72);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_widget_add_css_class (frame, "view");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), frame);
  gtk_widget_set_margin_top (box, 12);
  bind_widget (self, view, path, FIELD_TEXT);
  g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                    G_CALLBACK (text_changed_cb), view);
  return box;
}

static gboolean
user_is_typing (ZgEditor  *self,
                GtkWidget *widget)
{
  GtkEventController *focus = g_object_get_data (G_OBJECT (widget), "zg-focus");

  return g_hash_table_lookup (self->pending, widget) != NULL
         || (focus != NULL
             && gtk_event_controller_focus_contains_focus (GTK_EVENT_CONTROLLER_FOCUS (focus)));
}

static void
reload_widget (ZgEditor   *self,
               const char *path,
               GtkWidget  *widget)
{
  FieldKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), KIND_KEY));
  JsonNode *node = _zg_editor_get (self, path);
  const char *text = _zg_editor_get_string (self, path);

  switch (kind)
    {
    case FIELD_ENTRY:
      if (!user_is_typing (self, widget)
          && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (widget)), text ? text : "") != 0)
        gtk_editable_set_text (GTK_EDITABLE (widget), text ? text : "");
      break;
    case FIELD_DATE:
      if (!user_is_typing (self, widget))
        {
          g_autofree char *shown = _zg_editor_format_date (text);

          if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (widget)), shown) != 0)
            gtk_editable_set_text (GTK_EDITABLE (widget), shown);
          set_invalid (widget, NULL);
        }
      break;
    case FIELD_COMBO:
      {
        const char * const *keys = g_object_get_data (G_OBJECT (widget), "zg-keys");
        guint selected = 0;

        for (guint i = 0; keys[i] != NULL; i++)
          if (g_strcmp0 (keys[i], text ? text : "") == 0)
            selected = i;
        adw_combo_row_set_selected (ADW_COMBO_ROW (widget), selected);
      }
      break;
    case FIELD_SWITCH:
      gtk_switch_set_active (g_object_get_data (G_OBJECT (widget), "zg-switch"),
                             node != NULL && JSON_NODE_HOLDS_VALUE (node)
                             && json_node_get_value_type (node) == G_TYPE_BOOLEAN
                             && json_node_get_boolean (node));
      break;
    case FIELD_TEXT:
      if (!user_is_typing (self, widget))
        {
          GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
          GtkTextIter start;
          GtkTextIter end;
          g_autofree char *current = NULL;

          gtk_text_buffer_get_bounds (buffer, &start, &end);
          current = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
          if (g_strcmp0 (current, text ? text : "") != 0)
            gtk_text_buffer_set_text (buffer, text ? text : "", -1);
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

void
_zg_editor_fields_reload (ZgEditor *self)
{
  GHashTableIter iter;
  gpointer key;
  gpointer value;
  gboolean was_loading = self->loading;

  self->loading = TRUE;
  g_hash_table_iter_init (&iter, self->field_widgets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    reload_widget (self, key, value);
  self->loading = was_loading;
}
