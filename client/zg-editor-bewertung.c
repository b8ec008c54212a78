/* zg-editor-bewertung.c — step 3 "Bewertung": a grade 1–5 per category of R-DATA-3 with its
 * meaning, the overall grade, Qualifikationen and Erfolge
 *
 * Führungserfolg is offered for managers only, the Abschlussprüfung for apprenticeship
 * references only (zg_certificate_category_applies()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "zg-editor-private.h"

static const char *const category_titles[ZG_N_CATEGORIES] = {
  N_("Willingness to perform"),
  N_("Ability"),
  N_("Expert knowledge"),
  N_("Further training"),
  N_("Working style"),
  N_("Work results"),
  N_("Leadership success"),
  N_("Conduct towards superiors and colleagues"),
  N_("Conduct towards customers and business partners"),
  N_("Final examination"),
};

static const char *const grade_meanings[6] = {
  N_("Not rated: the letter leaves this out"),
  N_("1 — very good: “stets zu unserer vollsten Zufriedenheit”"),
  N_("2 — good: “stets zu unserer vollen Zufriedenheit”"),
  N_("3 — satisfactory: “zu unserer vollen Zufriedenheit”"),
  N_("4 — sufficient: “zu unserer Zufriedenheit”"),
  N_("5 — poor: “im Großen und Ganzen zu unserer Zufriedenheit”"),
};

static const char *const grade_names[6] = {
  N_("Not rated: the letter leaves this out"),
  N_("1 — very good"),
  N_("2 — good"),
  N_("3 — satisfactory"),
  N_("4 — sufficient"),
  N_("5 — poor"),
};

const char *
_zg_editor_grade_meaning (int grade)
{
  if (grade < 0 || grade > 5)
    grade = 0;
  return _(grade_meanings[grade]);
}

/* The satisfaction formula belongs to the work results (and the overall grade); the other
 * areas have wordings of their own, so their rows show the grade's name only. */
const char *
_zg_editor_category_grade_meaning (ZgCategory category,
                                   int        grade)
{
  if (grade < 0 || grade > 5)
    grade = 0;
  if (category == ZG_CAT_ARBEITSERFOLG)
    return _(grade_meanings[grade]);
  return _(grade_names[grade]);
}

static char *
grade_path (ZgCategory category)
{
  return g_strdup_printf ("bewertung.bewertung.grades.%s", zg_category_key (category));
}

static void
grade_toggled_cb (GtkToggleButton *button,
                  ZgEditor        *self)
{
  ZgCategory category = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "zg-category"));
  int grade = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "zg-grade"));
  g_autofree char *path = grade_path (category);
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;

  if (self->loading || !gtk_toggle_button_get_active (button))
    return;
  if (self->cert != NULL && self->cert->grades[category] == grade)
    return;
  if (grade > 0)
    {
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (value, grade);
    }
  _zg_editor_flush (self);
  if (!_zg_editor_commit (self, path, value, &error))
    {
      _zg_editor_show_error (self, error);
      _zg_editor_bewertung_reload (self);
    }
}

static GtkWidget *
grade_row (ZgEditor   *self,
           ZgCategory  category)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  const char *title = _(category_titles[category]);
  GtkToggleButton *first = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _zg_editor_category_grade_meaning (category, 0));
  gtk_widget_add_css_class (box, "linked");
  gtk_widget_add_css_class (box, "zg-grades");
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  for (int grade = 1; grade <= 6; grade++)
    {
      int value = grade == 6 ? 0 : grade;
      g_autofree char *label = value == 0 ? g_strdup ("–") : g_strdup_printf ("%d", value);
      g_autofree char *a11y = value == 0
                              ? g_strdup_printf (_("%s: not rated"), title)
                              : g_strdup_printf (_("%s: grade %d"), title, value);
      GtkWidget *button = gtk_toggle_button_new_with_label (label);

      gtk_widget_set_size_request (button, 34, -1);
      gtk_widget_set_tooltip_text (button,
                                   _zg_editor_category_grade_meaning (category, value));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      a11y, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _zg_editor_category_grade_meaning (category, value), -1);
      if (first == NULL)
        first = GTK_TOGGLE_BUTTON (button);
      else
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), first);
      g_object_set_data (G_OBJECT (button), "zg-category", GINT_TO_POINTER (category));
      g_object_set_data (G_OBJECT (button), "zg-grade", GINT_TO_POINTER (value));
      g_signal_connect (button, "toggled", G_CALLBACK (grade_toggled_cb), self);
      gtk_box_append (GTK_BOX (box), button);
      g_object_set_data (G_OBJECT (row), value == 0 ? "zg-grade-0" : label, button);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  self->grade_rows[category] = row;
  return row;
}

static void
overall_selected_cb (GtkWidget  *row,
                     GParamSpec *pspec,
                     ZgEditor   *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (row));
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;

  if (self->loading || selected == GTK_INVALID_LIST_POSITION || selected > 5)
    return;
  if (self->cert != NULL && self->cert->overall_override == (int) selected)
    return;
  if (selected > 0)
    {
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (value, selected);
    }
  if (!_zg_editor_commit (self, "bewertung.bewertung.overall", value, &error))
    {
      _zg_editor_show_error (self, error);
      _zg_editor_bewertung_reload (self);
    }
}

GtkWidget *
_zg_editor_bewertung_new (ZgEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row;
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Rating"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Grade each area from 1 (very good) to 5 (poor). "
                                           "The letter changes as you rate."));
  for (int c = 0; c < ZG_N_CATEGORIES; c++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), grade_row (self, (ZgCategory) c));
  gtk_box_append (GTK_BOX (box), group);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Overall Grade"));
  row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Overall grade"));
  gtk_string_list_append (model, _("From the ratings"));
  for (int g = 1; g <= 5; g++)
    gtk_string_list_append (model, _zg_editor_grade_meaning (g));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  g_signal_connect (row, "notify::selected", G_CALLBACK (overall_selected_cb), self);
  self->overall_label = row;
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  gtk_box_append (GTK_BOX (box), group);

  gtk_box_append (GTK_BOX (box),
                  _zg_editor_string_list (self, _("Qualifications"),
                                          _("Personal and professional strengths; pick from "
                                            "the catalogue with + or type your own."),
                                          "bewertung.qualifikationen",
                                          _("Add a qualification…")));
  gtk_box_append (GTK_BOX (box),
                  _zg_editor_string_list (self, _("Achievements"), NULL, "bewertung.erfolge",
                                          _("Add an achievement…")));
  self->bewertung_page = box;
  return _zg_editor_scrolled (box);
}

void
_zg_editor_bewertung_reload (ZgEditor *self)
{
  gboolean was_loading = self->loading;

  if (self->cert == NULL)
    return;
  self->loading = TRUE;
  for (int c = 0; c < ZG_N_CATEGORIES; c++)
    {
      GtkWidget *row = self->grade_rows[c];
      int grade = self->cert->grades[c];
      g_autofree char *key = g_strdup_printf ("%d", grade);
      GtkWidget *button = g_object_get_data (G_OBJECT (row), grade == 0 ? "zg-grade-0" : key);

      gtk_widget_set_visible (row, zg_certificate_category_applies (self->cert, (ZgCategory) c));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _zg_editor_category_grade_meaning ((ZgCategory) c, grade));
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->overall_label),
                              (guint) CLAMP (self->cert->overall_override, 0, 5));
  {
    int derived = zg_derive_overall_grade (self->cert);
    g_autofree char *subtitle = derived > 0
                                ? g_strdup_printf (_("From the ratings: %s"),
                                                   _zg_editor_grade_meaning (derived))
                                : g_strdup (_("Rate at least one area."));

    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->overall_label), subtitle);
  }
  self->loading = was_loading;
}
