/* zg-editor-werdegang.c — step 2 "Werdegang": Stationen, Tätigkeiten (from a Berufsbild of the
 * cache, R-APP-2, or typed), Zusatztätigkeiten, Weiterbildungen, Vollmachten; and the master
 * data suggestions of all steps (job profiles, qualifications, employees as signatories)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "zg-editor-private.h"

#define BERUFSBILD_PATH "werdegang.taetigkeiten.berufsbild"

static JsonObject *
record_object (ZgCacheRecord *record,
               JsonNode     **out_node)
{
  JsonNode *node = json_from_string (record->json, NULL);

  *out_node = node;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static const char *
cert_language (ZgEditor *self)
{
  return self->cert != NULL && self->cert->language != NULL ? self->cert->language : "de";
}

/* Job profiles of the cache in the certificate's language: "id\tname", sorted by name. */
static GPtrArray *
list_job_profiles (ZgEditor *self)
{
  g_autoptr(GPtrArray) records = zg_cache_list_records (self->cache, "job_profile", NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      ZgCacheRecord *record = records->pdata[i];
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object = record_object (record, &node);
      const char *name;
      const char *language;

      if (object == NULL)
        continue;
      name = json_object_get_string_member_with_default (object, "name", "");
      language = json_object_get_string_member_with_default (object, "language", "de");
      if (*name == '\0' || g_strcmp0 (language, cert_language (self)) != 0)
        continue;
      g_ptr_array_add (out, g_strdup_printf ("%s\t%s", name, record->id));
    }
  g_ptr_array_sort (out, compare_names);
  return out;
}

static GPtrArray *
job_profile_tasks (ZgEditor   *self,
                   const char *id)
{
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(JsonNode) node = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  JsonObject *object;
  JsonArray *tasks;

  if (id == NULL)
    return out;
  record = zg_cache_get_record (self->cache, "job_profile", id, NULL);
  if (record == NULL || (object = record_object (record, &node)) == NULL)
    return out;
  tasks = json_object_has_member (object, "tasks")
          && JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "tasks"))
          ? json_object_get_array_member (object, "tasks") : NULL;
  for (guint i = 0; tasks != NULL && i < json_array_get_length (tasks); i++)
    {
      JsonNode *task = json_array_get_element (tasks, i);

      if (JSON_NODE_HOLDS_VALUE (task) && json_node_get_value_type (task) == G_TYPE_STRING)
        g_ptr_array_add (out, g_strdup (json_node_get_string (task)));
    }
  return out;
}

static GPtrArray *
list_qualifications (ZgEditor *self)
{
  g_autoptr(GPtrArray) records = zg_cache_list_records (self->cache, "qualification", NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object = record_object (records->pdata[i], &node);
      const char *name;
      const char *language;

      if (object == NULL)
        continue;
      name = json_object_get_string_member_with_default (object, "name", "");
      language = json_object_get_string_member_with_default (object, "language", "de");
      if (*name != '\0' && g_strcmp0 (language, cert_language (self)) == 0)
        g_ptr_array_add (out, g_strdup (name));
    }
  g_ptr_array_sort (out, compare_names);
  return out;
}

/* Employees as signatories: "id\tTitle First Last", sorted by last name. */
static GPtrArray *
list_employees (ZgEditor *self)
{
  g_autoptr(GPtrArray) records = zg_cache_list_records (self->cache, "employee", NULL);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      ZgCacheRecord *record = records->pdata[i];
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object = record_object (record, &node);
      const char *title;
      const char *first;
      const char *last;
      g_autofree char *name = NULL;

      if (object == NULL)
        continue;
      title = json_object_get_string_member_with_default (object, "title", "");
      first = json_object_get_string_member_with_default (object, "first_name", "");
      last = json_object_get_string_member_with_default (object, "last_name", "");
      if (*last == '\0')
        continue;
      name = g_strdup_printf ("%s%s%s%s%s", title, *title ? " " : "", first, *first ? " " : "",
                              last);
      /* "last\vid\tname" sorts by last name and keeps what the list needs after the \v */
      g_ptr_array_add (sorted, g_strdup_printf ("%s\v%s\t%s", last, record->id,
                                                name));
    }
  g_ptr_array_sort (sorted, compare_names);
  for (guint i = 0; i < sorted->len; i++)
    g_ptr_array_add (out, g_strdup (strchr (sorted->pdata[i], '\v') + 1));
  return out;
}

static void
update_task_suggestions (ZgEditor *self)
{
  g_autoptr(GPtrArray) tasks = job_profile_tasks (self, _zg_editor_get_string (self,
                                                                               BERUFSBILD_PATH));
  ZgEditorList *list = _zg_editor_find_list (self, "werdegang.taetigkeiten.items");

  if (list != NULL)
    _zg_editor_list_set_suggestions (list, tasks);
}

static void
berufsbild_selected_cb (GtkWidget  *row,
                        GParamSpec *pspec,
                        ZgEditor   *self)
{
  GStrv ids = g_object_get_data (G_OBJECT (row), "zg-ids");
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (row));
  g_autoptr(GError) error = NULL;

  if (self->loading || ids == NULL || selected == GTK_INVALID_LIST_POSITION
      || selected >= g_strv_length (ids))
    return;
  if (!_zg_editor_commit_string (self, BERUFSBILD_PATH, *ids[selected] ? ids[selected] : NULL,
                                 &error))
    _zg_editor_show_error (self, error);
  /* Not the whole reload: this row is still emitting its selection change. */
  update_task_suggestions (self);
}

GtkWidget *
_zg_editor_werdegang_new (ZgEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *group;
  GtkWidget *row;

  gtk_box_append (GTK_BOX (box), _zg_editor_station_list (self));

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Job Profile"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("A job profile (Berufsbild) offers its tasks below."));
  row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Job profile"));
  g_signal_connect (row, "notify::selected", G_CALLBACK (berufsbild_selected_cb), self);
  g_object_set_data (G_OBJECT (box), "zg-berufsbild-row", row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  gtk_box_append (GTK_BOX (box), group);

  gtk_box_append (GTK_BOX (box),
                  _zg_editor_string_list (self, _("Tasks"),
                                          _("Pick from the job profile with + or type your own."),
                                          "werdegang.taetigkeiten.items", _("Add a task…")));
  gtk_box_append (GTK_BOX (box),
                  _zg_editor_string_list (self, _("Additional Tasks"), NULL,
                                          "werdegang.zusatztaetigkeiten",
                                          _("Add an additional task…")));
  gtk_box_append (GTK_BOX (box),
                  _zg_editor_string_list (self, _("Further Training"), NULL,
                                          "werdegang.weiterbildungen",
                                          _("Add a training course…")));
  gtk_box_append (GTK_BOX (box),
                  _zg_editor_string_list (self, _("Powers of Attorney"), NULL,
                                          "werdegang.vollmachten",
                                          _("Add a power, e.g. Prokura…")));
  self->werdegang_page = box;
  return _zg_editor_scrolled (box);
}

void
_zg_editor_werdegang_reload (ZgEditor *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (self->werdegang_page), "zg-berufsbild-row");
  g_autoptr(GPtrArray) profiles = list_job_profiles (self);
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) qualifications = list_qualifications (self);
  g_autoptr(GPtrArray) employees = list_employees (self);
  g_autoptr(GPtrArray) powers = g_ptr_array_new ();
  GStrv ids = g_new0 (char *, profiles->len + 2);
  const char *current = _zg_editor_get_string (self, BERUFSBILD_PATH);
  guint selected = 0;
  gboolean was_loading = self->loading;
  ZgEditorList *list;

  self->loading = TRUE;
  gtk_string_list_append (model, _("None"));
  ids[0] = g_strdup ("");
  for (guint i = 0; i < profiles->len; i++)
    {
      const char *entry = profiles->pdata[i];
      const char *tab = strchr (entry, '\t');
      g_autofree char *name = g_strndup (entry, (gsize) (tab - entry));

      gtk_string_list_append (model, name);
      ids[i + 1] = g_strdup (tab + 1);
      if (g_strcmp0 (tab + 1, current) == 0)
        selected = i + 1;
    }
  g_object_set_data_full (G_OBJECT (row), "zg-ids", ids, (GDestroyNotify) g_strfreev);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  gtk_widget_set_sensitive (row, profiles->len > 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               profiles->len > 0 ? ""
                               : _("No job profiles in the offline data yet."));
  self->loading = was_loading;

  update_task_suggestions (self);
  if ((list = _zg_editor_find_list (self, "bewertung.qualifikationen")) != NULL)
    _zg_editor_list_set_suggestions (list, qualifications);
  if ((list = _zg_editor_find_list (self, "daten.unterschriften")) != NULL)
    _zg_editor_list_set_suggestions (list, employees);
  g_ptr_array_add (powers, (gpointer) "Prokura");
  g_ptr_array_add (powers, (gpointer) "Handlungsvollmacht");
  g_ptr_array_add (powers, (gpointer) "Bankvollmacht");
  if (g_strcmp0 (cert_language (self), "de") == 0
      && (list = _zg_editor_find_list (self, "werdegang.vollmachten")) != NULL)
    _zg_editor_list_set_suggestions (list, powers);
}
