/* zg-editor-lists.c — list sections: Tätigkeiten, Zusatztätigkeiten, Weiterbildungen,
 * Vollmachten, Qualifikationen, Erfolge (strings), Stationen and Unterschriften (objects)
 *
 * A list is always written as a whole (one field path, the JSON array): entries can be added,
 * edited, moved and removed, and suggestions (a Berufsbild's tasks, the qualification
 * catalogue, employees as signatories) are added with one click.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "zg-editor-private.h"

typedef struct
{
  const char *member;
  const char *title;
  gboolean    is_date;
} ListField;

static const ListField station_fields[] = {
  { "position", N_("Position"), FALSE },
  { "department", N_("Department"), FALSE },
  { "from", N_("From"), TRUE },
  { "to", N_("To"), TRUE },
  { NULL, NULL, FALSE },
};

static const ListField signatory_fields[] = {
  { "name", N_("Name"), FALSE },
  { "function", N_("Function"), FALSE },
  { NULL, NULL, FALSE },
};

struct _ZgEditorList
{
  ZgEditor        *editor;
  char            *path;
  const ListField *fields;        /* NULL: a list of strings */
  GtkWidget       *group;
  GPtrArray       *rows;          /* GtkWidget* in the group */
  GtkWidget       *add_row;
  GtkWidget       *suggest_button;
  GtkWidget       *suggest_list;
  GtkWidget       *empty_row;
  guint            max_items;
};

void
_zg_editor_list_free (gpointer data)
{
  ZgEditorList *list = data;

  g_free (list->path);
  g_ptr_array_unref (list->rows);
  g_clear_object (&list->add_row);
  g_free (list);
}

ZgEditorList *
_zg_editor_find_list (ZgEditor   *self,
                      const char *path)
{
  for (guint i = 0; i < self->list_groups->len; i++)
    {
      ZgEditorList *list = g_ptr_array_index (self->list_groups, i);

      if (g_str_equal (list->path, path))
        return list;
    }
  return NULL;
}

static JsonArray *
current_array (ZgEditorList *list)
{
  JsonNode *node = _zg_editor_get (list->editor, list->path);

  g_autoptr(JsonNode) copy = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return json_array_new ();
  copy = _zg_json_deep_copy (node);
  return json_node_dup_array (copy);
}

static guint
current_length (ZgEditorList *list)
{
  g_autoptr(JsonArray) array = current_array (list);

  return json_array_get_length (array);
}

static gboolean
commit_array (ZgEditorList  *list,
              JsonArray     *array,
              GError       **error)
{
  g_autoptr(JsonNode) value = NULL;

  if (json_array_get_length (array) > 0)
    {
      value = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (value, array);
    }
  return _zg_editor_commit (list->editor, list->path, value, error);
}

static void list_rebuild (ZgEditorList *list);

static void
commit_or_report (ZgEditorList *list,
                  JsonArray    *array)
{
  g_autoptr(GError) error = NULL;

  if (!commit_array (list, array, &error))
    _zg_editor_show_error (list->editor, error);
  list_rebuild (list);
}

static void
move_item (ZgEditorList *list,
           guint         index,
           int           delta)
{
  g_autoptr(JsonArray) array = current_array (list);
  g_autoptr(JsonArray) moved = json_array_new ();
  guint len = json_array_get_length (array);
  guint other = (guint) ((int) index + delta);

  if (index >= len || other >= len)
    return;
  for (guint i = 0; i < len; i++)
    {
      guint from = i == index ? other : i == other ? index : i;

      json_array_add_element (moved, json_node_copy (json_array_get_element (array, from)));
    }
  _zg_editor_flush (list->editor);
  commit_or_report (list, moved);
}

static void
remove_item (ZgEditorList *list,
             guint         index)
{
  g_autoptr(JsonArray) array = current_array (list);

  if (index >= json_array_get_length (array))
    return;
  _zg_editor_flush (list->editor);
  json_array_remove_element (array, index);
  commit_or_report (list, array);
}

static void
item_button_cb (GtkButton *button,
                gpointer   data)
{
  ZgEditorList *list = data;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "zg-index"));
  int op = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "zg-op"));

  if (op == 0)
    remove_item (list, index);
  else
    move_item (list, index, op);
}

static GtkWidget *
item_button (ZgEditorList *list,
             guint         index,
             int           op,
             const char   *icon,
             const char   *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip, -1);
  g_object_set_data (G_OBJECT (button), "zg-index", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (button), "zg-op", GINT_TO_POINTER (op));
  g_signal_connect (button, "clicked", G_CALLBACK (item_button_cb), list);
  return button;
}

static void
add_item_buttons (ZgEditorList *list,
                  GtkWidget    *box,
                  guint         index,
                  guint         len)
{
  GtkWidget *up = item_button (list, index, -1, "go-up-symbolic", _("Move Up"));
  GtkWidget *down = item_button (list, index, 1, "go-down-symbolic", _("Move Down"));
  GtkWidget *remove = item_button (list, index, 0, "user-trash-symbolic", _("Remove"));

  gtk_widget_set_sensitive (up, index > 0);
  gtk_widget_set_sensitive (down, index + 1 < len);
  gtk_box_append (GTK_BOX (box), up);
  gtk_box_append (GTK_BOX (box), down);
  gtk_box_append (GTK_BOX (box), remove);
}

/* An edited entry of a list item: the whole list is written with the entry replaced. */
static void
commit_item (ZgEditor  *self,
             GtkWidget *row)
{
  ZgEditorList *list = g_object_get_data (G_OBJECT (row), "zg-list");
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "zg-index"));
  const ListField *field = g_object_get_data (G_OBJECT (row), "zg-list-field");
  g_autoptr(JsonArray) array = current_array (list);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autofree char *iso = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *element;

  if (index >= json_array_get_length (array))
    return;
  element = json_array_get_element (array, index);
  if (field == NULL)
    {
      if (*text == '\0' || g_strcmp0 (json_node_get_string (element), text) == 0)
        return;
      json_node_set_string (element, text);
    }
  else
    {
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element)
                                                            : NULL;
      const char *value = text;

      if (object == NULL)
        return;
      if (field->is_date)
        {
          if (!_zg_editor_parse_date (text, &iso))
            {
              gtk_widget_add_css_class (row, "error");
              gtk_widget_set_tooltip_text (row, _("Not a valid date. Please enter it as "
                                                  "DD.MM.YYYY, e.g. 30.06.2026."));
              return;
            }
          value = iso;
        }
      if (g_strcmp0 (json_object_get_string_member_with_default (object, field->member, ""),
                     value != NULL ? value : "") == 0)
        return;
      if (value == NULL || *value == '\0')
        json_object_remove_member (object, field->member);
      else
        json_object_set_string_member (object, field->member, value);
    }
  if (commit_array (list, array, &error))
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, NULL);
      if (field != NULL && field == list->fields)
        {
          GtkWidget *expander = g_object_get_data (G_OBJECT (row), "zg-expander");

          if (expander != NULL)
            adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), text);
        }
    }
  else
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, error->message);
    }
}

static void
item_changed_cb (GtkEditable *editable,
                 ZgEditorList *list)
{
  if (list->editor->loading)
    return;
  _zg_editor_schedule (list->editor, GTK_WIDGET (editable), commit_item);
}

static void
item_leave_cb (GtkEventControllerFocus *controller,
               GtkWidget               *row)
{
  ZgEditorList *list = g_object_get_data (G_OBJECT (row), "zg-list");

  if (g_hash_table_lookup (list->editor->pending, row) == NULL)
    return;
  _zg_editor_cancel (list->editor, row);
  commit_item (list->editor, row);
}

static GtkWidget *
item_entry (ZgEditorList    *list,
            guint            index,
            const ListField *field,
            const char      *title,
            const char      *text)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  g_object_set_data (G_OBJECT (row), "zg-list", list);
  g_object_set_data (G_OBJECT (row), "zg-index", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (row), "zg-list-field", (gpointer) field);
  g_signal_connect (row, "changed", G_CALLBACK (item_changed_cb), list);
  g_signal_connect (focus, "leave", G_CALLBACK (item_leave_cb), row);
  gtk_widget_add_controller (row, focus);
  return row;
}

static GtkWidget *
string_item_row (ZgEditorList *list,
                 guint         index,
                 guint         len,
                 const char   *text)
{
  g_autofree char *title = g_strdup_printf ("%u.", index + 1);
  GtkWidget *row = item_entry (list, index, NULL, title, text);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  add_item_buttons (list, box, index, len);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), box);
  return row;
}

static GtkWidget *
object_item_row (ZgEditorList *list,
                 guint         index,
                 guint         len,
                 JsonObject   *object)
{
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  g_autoptr(GString) subtitle = g_string_new (NULL);

  for (const ListField *f = list->fields; f->member != NULL; f++)
    {
      const char *value = object != NULL
                          ? json_object_get_string_member_with_default (object, f->member, "")
                          : "";
      g_autofree char *shown = f->is_date ? _zg_editor_format_date (value) : g_strdup (value);
      GtkWidget *row = item_entry (list, index, f, _(f->title), shown);

      g_object_set_data (G_OBJECT (row), "zg-expander", expander);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
      if (f == list->fields)
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander),
                                       *value != '\0' ? value : _("(no name)"));
      else if (*shown != '\0')
        {
          if (subtitle->len > 0)
            g_string_append (subtitle, f->is_date ? (f[-1].is_date ? " – " : " · ") : " · ");
          g_string_append (subtitle, shown);
        }
    }
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle->str);
  add_item_buttons (list, box, index, len);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), box);
  return expander;
}

static gboolean
list_is_being_edited (ZgEditorList *list)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, list->editor->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_object_get_data (G_OBJECT (key), "zg-list") == list)
      return TRUE;
  return FALSE;
}

static void
list_rebuild (ZgEditorList *list)
{
  g_autoptr(JsonArray) array = current_array (list);
  guint len = json_array_get_length (array);
  GtkRoot *root = gtk_widget_get_root (list->group);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* Never pull the rows away under the user's fingers. */
  if (list_is_being_edited (list))
    return;
  for (guint i = 0; i < list->rows->len; i++)
    if (focus != NULL && gtk_widget_is_ancestor (focus, list->rows->pdata[i])
        && GTK_IS_TEXT (focus))
      return;
  for (guint i = 0; i < list->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (list->group), list->rows->pdata[i]);
  g_ptr_array_set_size (list->rows, 0);
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (list->group), list->add_row);
  for (guint i = 0; i < len; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      GtkWidget *row;

      if (list->fields == NULL)
        row = string_item_row (list, i, len,
                               JSON_NODE_HOLDS_VALUE (element) ? json_node_get_string (element)
                                                               : "");
      else
        row = object_item_row (list, i, len,
                               JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element)
                                                                : NULL);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (list->group), row);
      g_ptr_array_add (list->rows, row);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (list->group), list->add_row);
  gtk_widget_set_sensitive (list->add_row, len < list->max_items);
}

static gboolean
append_item (ZgEditorList *list,
             const char   *text,
             const char   *employee_id)
{
  g_autoptr(JsonArray) array = current_array (list);
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (*stripped == '\0')
    return FALSE;
  if (list->fields == NULL)
    {
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (g_strcmp0 (json_array_get_string_element (array, i), stripped) == 0)
          return FALSE;
      json_array_add_string_element (array, stripped);
    }
  else
    {
      JsonObject *object = json_object_new ();

      if (employee_id != NULL)
        json_object_set_string_member (object, "employee_id", employee_id);
      json_object_set_string_member (object, list->fields[0].member, stripped);
      json_array_add_object_element (array, object);
    }
  _zg_editor_flush (list->editor);
  if (!commit_array (list, array, &error))
    {
      _zg_editor_show_error (list->editor, error);
      return FALSE;
    }
  list_rebuild (list);
  return TRUE;
}

static void
add_row_apply_cb (GtkWidget    *row,
                  ZgEditorList *list)
{
  if (append_item (list, gtk_editable_get_text (GTK_EDITABLE (row)), NULL))
    {
      gtk_editable_set_text (GTK_EDITABLE (row), "");
      gtk_widget_grab_focus (row);
    }
}

static void
suggestion_activated_cb (GtkListBox    *box,
                         GtkListBoxRow *row,
                         ZgEditorList  *list)
{
  const char *text = g_object_get_data (G_OBJECT (row), "zg-text");
  const char *employee_id = g_object_get_data (G_OBJECT (row), "zg-employee-id");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (box), GTK_TYPE_POPOVER);

  append_item (list, text, employee_id);
  if (popover != NULL && list->fields != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

/* suggestions: char* texts; for signatories "employee_id\ttext" */
void
_zg_editor_list_set_suggestions (ZgEditorList *list,
                                 GPtrArray    *suggestions)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list->suggest_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list->suggest_list), child);
  for (guint i = 0; suggestions != NULL && i < suggestions->len; i++)
    {
      const char *entry = suggestions->pdata[i];
      const char *tab = strchr (entry, '\t');
      const char *text = tab != NULL ? tab + 1 : entry;
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_widget_set_margin_start (label, 8);
      gtk_widget_set_margin_end (label, 8);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "zg-text", g_strdup (text), g_free);
      if (tab != NULL)
        g_object_set_data_full (G_OBJECT (row), "zg-employee-id",
                                g_strndup (entry, (gsize) (tab - entry)), g_free);
      gtk_list_box_append (GTK_LIST_BOX (list->suggest_list), row);
    }
  gtk_widget_set_visible (list->suggest_button, suggestions != NULL && suggestions->len > 0);
}

static ZgEditorList *
list_new (ZgEditor        *self,
          const char      *title,
          const char      *description,
          const char      *path,
          const char      *placeholder,
          const ListField *fields,
          guint            max_items)
{
  ZgEditorList *list = g_new0 (ZgEditorList, 1);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  g_autofree char *suggest_label = g_strdup_printf (_("Suggestions for “%s”"), title);

  list->editor = self;
  list->path = g_strdup (path);
  list->fields = fields;
  list->rows = g_ptr_array_new ();
  list->max_items = max_items;
  list->group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (list->group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (list->group), description);

  list->suggest_list = gtk_list_box_new ();
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (list->suggest_list), TRUE);
  gtk_widget_add_css_class (list->suggest_list, "navigation-sidebar");
  g_signal_connect (list->suggest_list, "row-activated", G_CALLBACK (suggestion_activated_cb),
                    list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list->suggest_list);
  gtk_widget_set_size_request (scrolled, 340, -1);
  gtk_popover_set_child (GTK_POPOVER (popover), scrolled);
  list->suggest_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (list->suggest_button), "list-add-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (list->suggest_button), popover);
  gtk_widget_add_css_class (list->suggest_button, "flat");
  gtk_widget_set_tooltip_text (list->suggest_button, suggest_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list->suggest_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, suggest_label, -1);
  gtk_widget_set_visible (list->suggest_button, FALSE);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (list->group),
                                           list->suggest_button);

  /* Kept alive across rebuilds, which take it out of the group and put it back last. */
  list->add_row = g_object_ref_sink (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (list->add_row), placeholder);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (list->add_row), TRUE);
  g_signal_connect (list->add_row, "apply", G_CALLBACK (add_row_apply_cb), list);
  g_signal_connect (list->add_row, "entry-activated", G_CALLBACK (add_row_apply_cb), list);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (list->group), list->add_row);

  g_ptr_array_add (self->list_groups, list);
  return list;
}

GtkWidget *
_zg_editor_string_list (ZgEditor   *self,
                        const char *title,
                        const char *description,
                        const char *path,
                        const char *placeholder)
{
  return list_new (self, title, description, path, placeholder, NULL, 1000)->group;
}

GtkWidget *
_zg_editor_station_list (ZgEditor *self)
{
  return list_new (self, _("Stations"),
                   _("Positions held, in order. From two stations on the letter describes the "
                     "career."),
                   "werdegang.stationen", _("Add a station: position…"), station_fields,
                   1000)->group;
}

GtkWidget *
_zg_editor_signatory_list (ZgEditor *self)
{
  return list_new (self, _("Signatures"),
                   _("Who signs the reference (at most ten). Pick an employee or type a name."),
                   "daten.unterschriften", _("Add a signatory: name…"), signatory_fields,
                   10)->group;
}

void
_zg_editor_lists_reload (ZgEditor *self)
{
  for (guint i = 0; i < self->list_groups->len; i++)
    list_rebuild (g_ptr_array_index (self->list_groups, i));
}

guint
_zg_editor_list_length (ZgEditorList *list)
{
  return current_length (list);
}

/* Adds an entry as the add row does (tests, keyboard shortcuts). */
gboolean
_zg_editor_list_add (ZgEditorList *list,
                     const char   *text)
{
  return append_item (list, text, NULL);
}

/* Activates the suggestion at @index as a click would (tests). */
gboolean
_zg_editor_list_add_suggestion (ZgEditorList *list,
                                guint         index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list->suggest_list),
                                                      (int) index);
  guint before = current_length (list);

  if (row == NULL)
    return FALSE;
  g_signal_emit_by_name (list->suggest_list, "row-activated", row);
  return current_length (list) == before + 1;
}
