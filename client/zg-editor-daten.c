/* zg-editor-daten.c — step 1 "Daten": Persönliche Daten, Unternehmen, Zeugnisdaten, Weitere
 * Angaben, Unterschriften (R-DATA-2, R-DATA-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "zg-editor-private.h"

static const char *const salutation_keys[] = { "none", "herr", "frau", "divers", NULL };
static const char *const salutation_labels[] = {
  N_("No salutation"), N_("Mr (Herr)"), N_("Ms (Frau)"), N_("Diverse"), NULL
};

static const char *const kind_keys[] = {
  "endzeugnis", "zwischenzeugnis", "ausbildungszeugnis", "praktikumszeugnis", NULL
};
static const char *const kind_labels[] = {
  N_("Final reference (Endzeugnis)"), N_("Interim reference (Zwischenzeugnis)"),
  N_("Apprenticeship reference (Ausbildungszeugnis)"),
  N_("Internship reference (Praktikumszeugnis)"), NULL
};

static const char *const language_keys[] = { "de", "en", NULL };
static const char *const language_labels[] = { N_("German"), N_("English"), NULL };

static const char *const reason_keys[] = {
  "", "arbeitnehmerkuendigung", "arbeitgeberkuendigung-betriebsbedingt", "aufhebungsvertrag",
  "befristung", "ruhestand", "ausbildungsende", "praktikumsende", "ende", "eigener-wunsch",
  "vorgesetztenwechsel", "versetzung", "elternzeit", "umstrukturierung", "betriebsuebergang",
  NULL
};
static const char *const reason_labels[] = {
  N_("Standard for the kind of reference"),
  N_("Resignation by the employee"),
  N_("Dismissal for operational reasons"),
  N_("Termination agreement"),
  N_("Fixed term ended"),
  N_("Retirement"),
  N_("End of apprenticeship"),
  N_("End of internship"),
  N_("Employment ends (no reason given)"),
  N_("Interim: at the employee’s request"),
  N_("Interim: change of supervisor"),
  N_("Interim: transfer"),
  N_("Interim: parental leave"),
  N_("Interim: restructuring"),
  N_("Interim: transfer of undertaking"),
  NULL
};

static const char *const type_keys[] = {
  "", "angestellter", "fuehrungskraft", "leitende-angestellte", "auszubildender",
  "praktikant", NULL
};
static const char *const type_labels[] = {
  N_("Not given"), N_("Employee"), N_("Manager"), N_("Executive"), N_("Apprentice"),
  N_("Intern"), NULL
};

static GtkWidget *
group_new (const char *title,
           const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  return group;
}

static void
add (GtkWidget *group,
     GtkWidget *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Copies a cached company (entity "company") into the Unternehmen section: name, letterhead
 * address and the company paragraph. */
gboolean
_zg_editor_fill_company (ZgEditor   *self,
                         const char *company_id,
                         GError    **error)
{
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) address = NULL;
  g_autoptr(JsonArray) lines = json_array_new ();
  g_autofree char *city_line = NULL;
  JsonObject *company;
  const char *street;
  const char *postcode;
  const char *city;

  record = zg_cache_get_record (self->cache, "company", company_id, error);
  if (record == NULL)
    return FALSE;
  node = json_from_string (record->json, error);
  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_CORRUPT,
                           _("The stored company is damaged."));
      return FALSE;
    }
  company = json_node_get_object (node);
  street = member_string (company, "street");
  postcode = member_string (company, "postcode");
  city = member_string (company, "city");
  if (street != NULL && *street != '\0')
    json_array_add_string_element (lines, street);
  city_line = g_strstrip (g_strdup_printf ("%s %s", postcode != NULL ? postcode : "",
                                           city != NULL ? city : ""));
  if (*city_line != '\0')
    json_array_add_string_element (lines, city_line);
  if (json_array_get_length (lines) > 0)
    {
      address = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (address, lines);
    }
  _zg_editor_flush (self);
  if (!_zg_editor_commit_string (self, "daten.unternehmen.name", member_string (company, "name"),
                                 error)
      || !_zg_editor_commit (self, "daten.unternehmen.address", address, error)
      || !_zg_editor_commit_string (self, "daten.unternehmen.description",
                                    member_string (company, "description"), error))
    return FALSE;
  _zg_editor_fields_reload (self);
  _zg_editor_lists_reload (self);
  return TRUE;
}

static void
company_activated_cb (GtkListBox    *box,
                      GtkListBoxRow *row,
                      ZgEditor      *self)
{
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (box), GTK_TYPE_POPOVER);
  g_autoptr(GError) error = NULL;

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  if (!_zg_editor_fill_company (self, g_object_get_data (G_OBJECT (row), "zg-company-id"),
                                &error))
    _zg_editor_show_error (self, error);
}

static void
company_popover_show_cb (GtkWidget *popover,
                         ZgEditor  *self)
{
  GtkWidget *list = g_object_get_data (G_OBJECT (popover), "zg-list");
  g_autoptr(GPtrArray) records = zg_cache_list_records (self->cache, "company", NULL);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      ZgCacheRecord *record = records->pdata[i];
      g_autoptr(JsonNode) node = json_from_string (record->json, NULL);
      const char *name;
      GtkWidget *row;
      GtkWidget *label;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      name = member_string (json_node_get_object (node), "name");
      if (name == NULL || *name == '\0')
        continue;
      label = gtk_label_new (name);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_widget_set_margin_start (label, 8);
      gtk_widget_set_margin_end (label, 8);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "zg-company-id", g_strdup (record->id), g_free);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  if (gtk_widget_get_first_child (list) == NULL)
    {
      GtkWidget *empty = gtk_label_new (_("No companies in the offline data yet."));

      gtk_widget_add_css_class (empty, "dim-label");
      gtk_widget_set_margin_top (empty, 8);
      gtk_widget_set_margin_bottom (empty, 8);
      gtk_list_box_set_placeholder (GTK_LIST_BOX (list), empty);
    }
}

static GtkWidget *
company_button_new (ZgEditor *self)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("From Master Data"));
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Fill in name, address and description of a company"));
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (list), TRUE);
  gtk_widget_add_css_class (list, "navigation-sidebar");
  g_signal_connect (list, "row-activated", G_CALLBACK (company_activated_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_widget_set_size_request (scrolled, 300, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_popover_set_child (GTK_POPOVER (popover), scrolled);
  g_object_set_data (G_OBJECT (popover), "zg-list", list);
  g_signal_connect (popover, "show", G_CALLBACK (company_popover_show_cb), self);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  return button;
}

GtkWidget *
_zg_editor_daten_new (ZgEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *group;
  GtkWidget *row;

  group = group_new (_("Personal Data"), NULL);
  add (group, _zg_editor_combo_row (self, _("Salutation"), "daten.persoenliche_daten.salutation",
                                    salutation_keys, salutation_labels));
  add (group, _zg_editor_entry_row (self, _("Title"), "daten.persoenliche_daten.title"));
  add (group, _zg_editor_entry_row (self, _("First name"),
                                    "daten.persoenliche_daten.first_name"));
  add (group, _zg_editor_entry_row (self, _("Last name"), "daten.persoenliche_daten.last_name"));
  add (group, _zg_editor_date_row (self, _("Date of birth"),
                                   "daten.persoenliche_daten.birth_date"));
  add (group, _zg_editor_entry_row (self, _("Place of birth"),
                                    "daten.persoenliche_daten.birth_place"));
  add (group, _zg_editor_entry_row (self, _("Street"), "daten.persoenliche_daten.street"));
  add (group, _zg_editor_entry_row (self, _("Postcode"), "daten.persoenliche_daten.postcode"));
  add (group, _zg_editor_entry_row (self, _("City"), "daten.persoenliche_daten.city"));
  add (group, _zg_editor_entry_row (self, _("E-mail"), "daten.persoenliche_daten.email"));
  gtk_box_append (GTK_BOX (box), group);

  group = group_new (_("Company"), NULL);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group),
                                           company_button_new (self));
  add (group, _zg_editor_entry_row (self, _("Company name"), "daten.unternehmen.name"));
  add (group, _zg_editor_entry_row (self, _("Location"), "daten.unternehmen.location"));
  add (group, _zg_editor_entry_row (self, _("Department"), "daten.unternehmen.department"));
  add (group, _zg_editor_entry_row (self, _("Organisational unit"),
                                    "daten.unternehmen.org_unit"));
  add (group, _zg_editor_text_row (self, _("Company description (printed as a paragraph)"),
                                   "daten.unternehmen.description"));
  gtk_box_append (GTK_BOX (box), group);
  gtk_box_append (GTK_BOX (box),
                  _zg_editor_string_list (self, _("Company address"),
                                          _("Letterhead lines, e.g. street and city."),
                                          "daten.unternehmen.address",
                                          _("Add an address line…")));

  group = group_new (_("Reference Data"), NULL);
  add (group, _zg_editor_combo_row (self, _("Kind of reference"), "daten.zeugnisdaten.kind",
                                    kind_keys, kind_labels));
  add (group, _zg_editor_combo_row (self, _("Language"), "daten.zeugnisdaten.language",
                                    language_keys, language_labels));
  add (group, _zg_editor_date_row (self, _("Issue date"), "daten.zeugnisdaten.issue_date"));
  add (group, _zg_editor_entry_row (self, _("Place of issue"), "daten.zeugnisdaten.issue_place"));
  add (group, _zg_editor_combo_row (self, _("Reason"), "daten.zeugnisdaten.reason",
                                    reason_keys, reason_labels));
  add (group, _zg_editor_date_row (self, _("Entry date"), "daten.zeugnisdaten.entry_date"));
  add (group, _zg_editor_date_row (self, _("Exit date"), "daten.zeugnisdaten.exit_date"));
  add (group, _zg_editor_entry_row (self, _("Position"), "daten.zeugnisdaten.position"));
  row = _zg_editor_combo_row (self, _("Employee type"), "daten.zeugnisdaten.employee_type",
                              type_keys, type_labels);
  self->employee_type_row = row;
  add (group, row);
  add (group, _zg_editor_switch_row (self, _("Manager"),
                                     _("Leadership success (Führungserfolg) is rated"),
                                     "daten.zeugnisdaten.manager"));
  gtk_box_append (GTK_BOX (box), group);

  group = group_new (_("Further Details"), NULL);
  add (group, _zg_editor_entry_row (self, _("Training occupation"),
                                    "daten.weitere_angaben.occupation"));
  add (group, _zg_editor_entry_row (self, _("Vocational school"),
                                    "daten.weitere_angaben.vocational_school"));
  add (group, _zg_editor_text_row (self, _("Internal notes (never printed)"),
                                   "daten.weitere_angaben.notes"));
  gtk_box_append (GTK_BOX (box), group);

  gtk_box_append (GTK_BOX (box), _zg_editor_signatory_list (self));

  self->daten_page = box;
  return _zg_editor_scrolled (box);
}

/* The employee types of the cache (entity "employee_type": key, name) after the built-in
 * ones, so that a customer's own types can be chosen; the key is what the record stores. */
void
_zg_editor_daten_reload_types (ZgEditor *self)
{
  g_autoptr(GPtrArray) records = zg_cache_list_records (self->cache, "employee_type", NULL);
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  gboolean was_loading = self->loading;
  GStrv built;

  for (guint i = 0; type_keys[i] != NULL; i++)
    {
      g_strv_builder_add (keys, type_keys[i]);
      gtk_string_list_append (model, _(type_labels[i]));
    }
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      ZgCacheRecord *record = records->pdata[i];
      g_autoptr(JsonNode) node = json_from_string (record->json, NULL);
      JsonObject *object;
      const char *key;
      const char *name;
      gboolean known = FALSE;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      key = json_object_get_string_member_with_default (object, "key", "");
      name = json_object_get_string_member_with_default (object, "name", "");
      for (guint k = 0; type_keys[k] != NULL; k++)
        known = known || g_strcmp0 (type_keys[k], key) == 0;
      if (*key == '\0' || *name == '\0' || known)
        continue;
      g_strv_builder_add (keys, key);
      gtk_string_list_append (model, name);
    }
  built = g_strv_builder_end (keys);
  self->loading = TRUE;
  g_object_set_data_full (G_OBJECT (self->employee_type_row), "zg-keys", built,
                          (GDestroyNotify) g_strfreev);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->employee_type_row), G_LIST_MODEL (model));
  self->loading = was_loading;
}
