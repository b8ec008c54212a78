/* zg-new-certificate-dialog.c — create a certificate from an employee
 *
 * Step 1 picks a Mitarbeiter from the cache (search as you type) or creates one with the
 * employee form; step 2 chooses kind and language. "Create" writes a draft prefilled from the
 * employee and its company with one local create (record + outbox mutation in one
 * transaction). Every record is built by the strict codecs before anything is written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "zg-certificate.h"
#include "zg-masterdata.h"
#include "zg-new-certificate-dialog.h"
#include "zg-new-certificate-dialog-private.h"
#include "zg-outbox.h"

G_DEFINE_FINAL_TYPE (ZgPickItem, zg_pick_item, G_TYPE_OBJECT)

static void
zg_pick_item_finalize (GObject *object)
{
  ZgPickItem *self = ZG_PICK_ITEM (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->haystack);
  g_free (self->sort_key);
  G_OBJECT_CLASS (zg_pick_item_parent_class)->finalize (object);
}

static void
zg_pick_item_class_init (ZgPickItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = zg_pick_item_finalize;
}

static void
zg_pick_item_init (ZgPickItem *self)
{
}

G_DEFINE_FINAL_TYPE (ZgNewCertificateDialog, zg_new_certificate_dialog, ADW_TYPE_WINDOW)

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Salutations in the order the form offers them. */
static const ZgSalutation form_salutations[] = {
  ZG_SALUTATION_HERR, ZG_SALUTATION_FRAU, ZG_SALUTATION_DIVERS, ZG_SALUTATION_NONE,
};

/* Closing reason keys of docs/engine.md with a label each. */
static const struct
{
  const char *key;
  const char *label;
} exit_reasons[] = {
  { "arbeitnehmerkuendigung", N_("Resignation by the employee") },
  { "arbeitgeberkuendigung-betriebsbedingt", N_("Dismissal for operational reasons") },
  { "aufhebungsvertrag", N_("Termination agreement") },
  { "befristung", N_("End of a fixed-term contract") },
  { "ruhestand", N_("Retirement") },
  { "ausbildungsende", N_("End of the apprenticeship") },
  { "praktikumsende", N_("End of the internship") },
  { "ende", N_("End of employment (no reason given)") },
  { "eigener-wunsch", N_("Interim: at the employee's request") },
  { "vorgesetztenwechsel", N_("Interim: change of supervisor") },
  { "versetzung", N_("Interim: transfer") },
  { "elternzeit", N_("Interim: parental leave") },
  { "umstrukturierung", N_("Interim: restructuring") },
  { "betriebsuebergang", N_("Interim: transfer of business") },
};

/**
 * zg_exit_reason_label:
 * The label of a closing reason key ("ruhestand" -> "Retirement"), translated; NULL for an
 * unknown key.
 */
const char *
zg_exit_reason_label (const char *key)
{
  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (exit_reasons); i++)
    if (strcmp (exit_reasons[i].key, key) == 0)
      return _(exit_reasons[i].label);
  return NULL;
}

static const char * const kind_labels[ZG_N_KINDS] = {
  [ZG_KIND_ENDZEUGNIS] = N_("Final certificate"),
  [ZG_KIND_ZWISCHENZEUGNIS] = N_("Interim certificate"),
  [ZG_KIND_AUSBILDUNGSZEUGNIS] = N_("Apprenticeship certificate"),
  [ZG_KIND_PRAKTIKUMSZEUGNIS] = N_("Internship certificate"),
};

static const char * const language_keys[] = { "de", "en" };

static void
notify_local_change (ZgNewCertificateDialog *self)
{
  /* The engine pushes soon (debounced); without one the edit waits in the outbox. */
  if (self->sync != NULL)
    zg_sync_engine_local_change (self->sync);
}

static const char *
entry_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* The text of a row, trimmed; NULL when empty. */
static char *
entry_value (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (entry_text (row)));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

/* Accepts "31.12.1985", "1.2.1985" and "1985-12-31". Empty = not given (TRUE, date cleared). */
gboolean
zg_new_certificate_parse_date (const char *text,
                               GDate      *out)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) parts = NULL;
  guint day;
  guint month;
  guint year;
  guint64 value[3];

  g_return_val_if_fail (out != NULL, FALSE);

  g_date_clear (out, 1);
  if (text == NULL)
    return TRUE;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    return TRUE;
  if (strchr (copy, '.') != NULL)
    parts = g_strsplit (copy, ".", -1);
  else
    parts = g_strsplit (copy, "-", -1);
  if (g_strv_length (parts) != 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    if (*parts[i] == '\0' || strlen (parts[i]) > 4
        || !g_ascii_string_to_unsigned (parts[i], 10, 0, 9999, &value[i], NULL))
      return FALSE;
  if (strchr (copy, '.') != NULL)
    {
      day = (guint) value[0];
      month = (guint) value[1];
      year = (guint) value[2];
      if (strlen (parts[2]) != 4)
        return FALSE;
    }
  else
    {
      year = (guint) value[0];
      month = (guint) value[1];
      day = (guint) value[2];
      if (strlen (parts[0]) != 4)
        return FALSE;
    }
  if (year < 1900 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;
  g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

static const ZgCompany *
find_company (ZgNewCertificateDialog *self,
              const char             *id)
{
  if (id == NULL)
    return NULL;
  for (guint i = 0; i < self->companies->len; i++)
    {
      const ZgCompany *company = g_ptr_array_index (self->companies, i);

      if (g_strcmp0 (company->id, id) == 0)
        return company;
    }
  return NULL;
}

static const ZgEmployeeType *
find_employee_type (ZgNewCertificateDialog *self,
                    const char             *id)
{
  if (id == NULL)
    return NULL;
  for (guint i = 0; i < self->employee_types->len; i++)
    {
      const ZgEmployeeType *type = g_ptr_array_index (self->employee_types, i);

      if (g_strcmp0 (type->id, id) == 0)
        return type;
    }
  return NULL;
}

static const char *
unit_name (const ZgCompany   *company,
           ZgAccessDimension  dim,
           const char        *id)
{
  const ZgOrgUnit *unit = company != NULL && id != NULL ? zg_company_find_unit (company, dim, id)
                                                        : NULL;

  return unit != NULL ? unit->name : NULL;
}

/* "Dr. Erika Groß" */
static char *
full_name (const char *title,
           const char *first_name,
           const char *last_name)
{
  g_autoptr(GString) name = g_string_new (NULL);

  if (title != NULL && *title != '\0')
    g_string_append_printf (name, "%s ", title);
  if (first_name != NULL && *first_name != '\0')
    g_string_append_printf (name, "%s ", first_name);
  if (last_name != NULL)
    g_string_append (name, last_name);
  return g_strstrip (g_string_free (g_steal_pointer (&name), FALSE));
}

/* "Angestellte · Muster GmbH · Buchhaltung" from what the cache knows. */
static char *
employee_subtitle (ZgNewCertificateDialog *self,
                   JsonObject             *object)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const ZgEmployeeType *type =
    find_employee_type (self, json_object_get_string_member_with_default (object,
                                                                          "employee_type_id",
                                                                          NULL));
  const ZgCompany *company =
    find_company (self, json_object_get_string_member_with_default (object, "company_id", NULL));
  const char *department = unit_name (company, ZG_DIM_DEPARTMENT,
                                      json_object_get_string_member_with_default (object,
                                                                                  "department_id",
                                                                                  NULL));
  const char *location = unit_name (company, ZG_DIM_LOCATION,
                                    json_object_get_string_member_with_default (object,
                                                                                "location_id",
                                                                                NULL));

  if (type != NULL)
    g_ptr_array_add (parts, type->name);
  if (company != NULL)
    g_ptr_array_add (parts, company->name);
  if (department != NULL)
    g_ptr_array_add (parts, (gpointer) department);
  else if (location != NULL)
    g_ptr_array_add (parts, (gpointer) location);
  if (parts->len == 0)
    g_ptr_array_add (parts, _("No company"));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static int
compare_companies (gconstpointer a,
                   gconstpointer b)
{
  const ZgCompany *x = *(ZgCompany * const *) a;
  const ZgCompany *y = *(ZgCompany * const *) b;

  return g_utf8_collate (x->name, y->name);
}

static int
compare_types (gconstpointer a,
               gconstpointer b)
{
  const ZgEmployeeType *x = *(ZgEmployeeType * const *) a;
  const ZgEmployeeType *y = *(ZgEmployeeType * const *) b;

  return g_utf8_collate (x->name, y->name);
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return strcmp (ZG_PICK_ITEM ((gpointer) a)->sort_key, ZG_PICK_ITEM ((gpointer) b)->sort_key);
}

static JsonNode *
parse_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

/* Master data comes from the server and was validated there; a record the strict codec
 * refuses (e.g. written by a newer version) is left out rather than shown half. */
static void
load_master_data (ZgNewCertificateDialog *self)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  records = zg_cache_list_records (self->cache, "company", &error);
  if (records == NULL)
    g_warning ("Could not list the companies: %s", error->message);
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      ZgCacheRecord *record = g_ptr_array_index (records, i);
      g_autoptr(JsonNode) node = parse_json (record->json);
      ZgCompany *company = node != NULL ? zg_company_from_json (node, NULL) : NULL;

      if (company != NULL)
        g_ptr_array_add (self->companies, company);
    }
  g_ptr_array_sort (self->companies, compare_companies);
  g_clear_pointer (&records, g_ptr_array_unref);
  g_clear_error (&error);

  records = zg_cache_list_records (self->cache, "employee_type", &error);
  if (records == NULL)
    g_warning ("Could not list the employee types: %s", error->message);
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      ZgCacheRecord *record = g_ptr_array_index (records, i);
      g_autoptr(JsonNode) node = parse_json (record->json);
      ZgEmployeeType *type = node != NULL ? zg_employee_type_from_json (node, NULL) : NULL;

      if (type != NULL)
        g_ptr_array_add (self->employee_types, type);
    }
  g_ptr_array_sort (self->employee_types, compare_types);
}

static ZgPickItem *
pick_item_new (ZgNewCertificateDialog *self,
               const char             *id,
               JsonObject             *object)
{
  ZgPickItem *item = g_object_new (ZG_TYPE_PICK_ITEM, NULL);
  const char *first = json_object_get_string_member_with_default (object, "first_name", "");
  const char *last = json_object_get_string_member_with_default (object, "last_name", "");
  const char *title = json_object_get_string_member_with_default (object, "title", "");
  g_autofree char *sort = g_strdup_printf ("%s\t%s\t%s", last, first, id);

  item->id = g_strdup (id);
  item->title = full_name (title, first, last);
  if (*item->title == '\0')
    {
      g_free (item->title);
      item->title = g_strdup (_("(no name)"));
    }
  item->subtitle = employee_subtitle (self, object);
  item->haystack = g_strdup_printf ("%s %s", item->title, item->subtitle);
  item->sort_key = g_utf8_collate_key_for_filename (sort, -1);
  return item;
}

static void
update_empty_state (ZgNewCertificateDialog *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0;
  gboolean searching = *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';

  if (empty && searching)
    {
      adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Matching Employee"));
      adw_status_page_set_description (self->empty_page,
                                       _("Check the spelling or create the employee."));
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, "avatar-default-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Employees"));
      adw_status_page_set_description (self->empty_page,
                                       _("Create the employee the certificate is for."));
    }
  gtk_stack_set_visible_child_name (self->list_stack, empty ? "empty" : "list");
}

static void
load_employees (ZgNewCertificateDialog *self)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  records = zg_cache_list_records (self->cache, "employee", &error);
  if (records == NULL)
    g_warning ("Could not list the employees: %s", error->message);
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      ZgCacheRecord *record = g_ptr_array_index (records, i);
      g_autoptr(JsonNode) node = parse_json (record->json);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (items, pick_item_new (self, record->id, json_node_get_object (node)));
    }
  g_list_store_remove_all (self->employees);
  g_list_store_splice (self->employees, 0, 0, items->pdata, items->len);
  g_list_store_sort (self->employees, compare_items, NULL);
  update_empty_state (self);
}

static gboolean
filter_item (gpointer item,
             gpointer user_data)
{
  ZgNewCertificateDialog *self = user_data;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  ZgPickItem *pick = item;
  g_autofree char *needle = NULL;
  g_autofree char *hay = NULL;

  if (*search == '\0')
    return TRUE;
  /* Word prefixes, with ASCII alternates ("muller" finds "Müller"), then any substring. */
  if (g_str_match_string (search, pick->haystack, TRUE))
    return TRUE;
  needle = g_utf8_casefold (search, -1);
  hay = g_utf8_casefold (pick->haystack, -1);
  return strstr (hay, needle) != NULL;
}

static void
search_changed (ZgNewCertificateDialog *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_empty_state (self);
}

static void
setup_item (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_item (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  ZgPickItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);

  gtk_label_set_text (GTK_LABEL (title), item->title);
  gtk_label_set_text (GTK_LABEL (subtitle), item->subtitle);
  gtk_widget_set_tooltip_text (box, item->title);
}

/* Page switching */

static void
show_page (ZgNewCertificateDialog *self,
           const char             *name)
{
  gboolean pick = g_strcmp0 (name, "pick") == 0;
  gboolean form = g_strcmp0 (name, "form") == 0;
  gboolean options = g_strcmp0 (name, "options") == 0;

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), pick);
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), !pick);
  gtk_widget_set_visible (GTK_WIDGET (self->save_employee_button), form);
  gtk_widget_set_visible (GTK_WIDGET (self->create_button), options);
  if (pick)
    {
      adw_window_title_set_subtitle (self->window_title, _("Choose the employee"));
      gtk_window_set_default_widget (GTK_WINDOW (self), NULL);
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
    }
  else if (form)
    {
      adw_window_title_set_subtitle (self->window_title, _("New employee"));
      gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_employee_button));
      gtk_widget_grab_focus (GTK_WIDGET (self->first_name_row));
    }
  else
    {
      adw_window_title_set_subtitle (self->window_title, _("Kind and language"));
      gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->create_button));
      gtk_widget_grab_focus (GTK_WIDGET (self->create_button));
    }
}

static ZgCertificateKind
suggested_kind (ZgNewCertificateDialog *self,
                const ZgEmployee       *employee)
{
  const ZgEmployeeType *type = find_employee_type (self, employee->employee_type_id);

  if (type != NULL && g_strcmp0 (type->key, "auszubildender") == 0)
    return ZG_KIND_AUSBILDUNGSZEUGNIS;
  if (type != NULL && g_strcmp0 (type->key, "praktikant") == 0)
    return ZG_KIND_PRAKTIKUMSZEUGNIS;
  return g_date_valid (&employee->exit_date) ? ZG_KIND_ENDZEUGNIS : ZG_KIND_ZWISCHENZEUGNIS;
}

static void
show_options (ZgNewCertificateDialog *self)
{
  g_autofree char *name = full_name (self->employee->title, self->employee->first_name,
                                     self->employee->last_name);
  g_autoptr(JsonNode) node = zg_employee_to_json (self->employee);
  g_autofree char *subtitle = employee_subtitle (self, json_node_get_object (node));
  g_autofree char *name_markup = g_markup_escape_text (name, -1);
  g_autofree char *subtitle_markup = g_markup_escape_text (subtitle, -1);

  /* Rows take markup: "Müller & Söhne" must not break it. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->employee_row), name_markup);
  adw_action_row_set_subtitle (self->employee_row, subtitle_markup);
  adw_combo_row_set_selected (self->kind_row, suggested_kind (self, self->employee));
  gtk_widget_set_visible (GTK_WIDGET (self->create_error_label), FALSE);
  show_page (self, "options");
}

static void
show_create_error (ZgNewCertificateDialog *self,
                   const char             *message)
{
  gtk_label_set_text (self->create_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->create_error_label), TRUE);
}

static gboolean
choose_employee (ZgNewCertificateDialog *self,
                 const char             *id)
{
  g_autoptr(ZgCacheRecord) record = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  ZgEmployee *employee;

  record = zg_cache_get_record (self->cache, "employee", id, &error);
  node = record != NULL ? parse_json (record->json) : NULL;
  employee = node != NULL ? zg_employee_from_json (node, &error) : NULL;
  if (employee == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("This employee's data cannot be used: %s"),
                         error != NULL ? error->message : _("not valid JSON"));

      g_clear_pointer (&self->employee, zg_employee_free);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->employee_row), "");
      adw_action_row_set_subtitle (self->employee_row, "");
      show_page (self, "options");
      gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), FALSE);
      show_create_error (self, message);
      return FALSE;
    }
  g_clear_pointer (&self->employee, zg_employee_free);
  self->employee = employee;
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), TRUE);
  show_options (self);
  return TRUE;
}

static void
employee_activated (ZgNewCertificateDialog *self,
                    guint                   position)
{
  g_autoptr(ZgPickItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (item != NULL)
    choose_employee (self, item->id);
}

static void
search_activated (ZgNewCertificateDialog *self)
{
  /* Enter takes the first match: type a few letters, press Enter. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    employee_activated (self, 0);
}

static void
cancel_clicked (ZgNewCertificateDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
back_clicked (ZgNewCertificateDialog *self)
{
  show_page (self, "pick");
}

/* The employee form */

static GtkStringList *
string_list_with_none (const char *none)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, none);
  return list;
}

static void
fill_units (AdwComboRow     *row,
            const GPtrArray *units)
{
  g_autoptr(GtkStringList) list = string_list_with_none (_("Not given"));

  for (guint i = 0; units != NULL && i < units->len; i++)
    gtk_string_list_append (list, ((ZgOrgUnit *) g_ptr_array_index (units, i))->name);
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (row, 0);
  gtk_widget_set_visible (GTK_WIDGET (row), units != NULL && units->len > 0);
}

static const ZgCompany *
selected_company (ZgNewCertificateDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->company_row);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > self->companies->len)
    return NULL;
  return g_ptr_array_index (self->companies, selected - 1);
}

static void
company_changed (ZgNewCertificateDialog *self)
{
  const ZgCompany *company = selected_company (self);

  fill_units (self->location_row, company != NULL ? company->locations : NULL);
  fill_units (self->department_row, company != NULL ? company->departments : NULL);
  fill_units (self->org_unit_row, company != NULL ? company->org_units : NULL);
}

static const char *
selected_unit (AdwComboRow     *row,
               const GPtrArray *units)
{
  guint selected = adw_combo_row_get_selected (row);

  if (units == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION
      || selected > units->len)
    return NULL;
  return ((ZgOrgUnit *) g_ptr_array_index (units, selected - 1))->id;
}

#define N_FORM_ENTRIES 11

static void
form_entries (ZgNewCertificateDialog *self,
              AdwEntryRow            *rows[N_FORM_ENTRIES])
{
  AdwEntryRow *list[N_FORM_ENTRIES] = {
    self->title_row, self->first_name_row, self->last_name_row, self->birth_date_row,
    self->birth_place_row, self->street_row, self->postcode_row, self->city_row,
    self->email_row, self->entry_date_row, self->exit_date_row,
  };

  memcpy (rows, list, sizeof list);
}

static void
entry_changed (GtkEditable *editable)
{
  /* A marked field is unmarked as soon as the user corrects it. */
  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
}

static void
reset_form (ZgNewCertificateDialog *self)
{
  AdwEntryRow *rows[N_FORM_ENTRIES];

  form_entries (self, rows);
  for (guint i = 0; i < N_FORM_ENTRIES; i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (rows[i]), "");
      gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
    }
  adw_combo_row_set_selected (self->salutation_row, 0);
  adw_combo_row_set_selected (self->exit_reason_row, 0);
  adw_combo_row_set_selected (self->employee_type_row, 0);
  /* One company: nothing to choose. */
  adw_combo_row_set_selected (self->company_row, self->companies->len == 1 ? 1 : 0);
  company_changed (self);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error_label), FALSE);
}

static void
new_employee_clicked (ZgNewCertificateDialog *self)
{
  g_autofree char *search =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  reset_form (self);
  /* What was searched for is most likely the new person's name. */
  if (*search != '\0')
    {
      char *space = strrchr (search, ' ');

      if (space != NULL)
        {
          *space = '\0';
          gtk_editable_set_text (GTK_EDITABLE (self->first_name_row), g_strstrip (search));
          gtk_editable_set_text (GTK_EDITABLE (self->last_name_row), space + 1);
        }
      else
        gtk_editable_set_text (GTK_EDITABLE (self->last_name_row), search);
    }
  show_page (self, "form");
}

static void
form_error (ZgNewCertificateDialog *self,
            AdwEntryRow            *row,
            const char             *message)
{
  gtk_label_set_text (self->form_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error_label), TRUE);
  if (row != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

static gboolean
read_date_row (ZgNewCertificateDialog *self,
               AdwEntryRow            *row,
               const char             *what,
               GDate                  *out)
{
  g_autofree char *message = NULL;

  if (zg_new_certificate_parse_date (entry_text (row), out))
    return TRUE;
  /* TRANSLATORS: %s is a field, e.g. "The date of birth" */
  message = g_strdup_printf (_("%s is not a valid date. Enter it like 31.12.1985."), what);
  form_error (self, row, message);
  return FALSE;
}

/* Which row shows a field the strict codec complained about ("“employee.email” is not …"). */
static AdwEntryRow *
row_for_codec_error (ZgNewCertificateDialog *self,
                     const char             *message)
{
  const struct { const char *member; AdwEntryRow *row; } map[] = {
    { "title", self->title_row }, { "first_name", self->first_name_row },
    { "last_name", self->last_name_row }, { "birth_date", self->birth_date_row },
    { "birth_place", self->birth_place_row }, { "street", self->street_row },
    { "postcode", self->postcode_row }, { "city", self->city_row },
    { "email", self->email_row }, { "entry_date", self->entry_date_row },
    { "exit_date", self->exit_date_row },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    {
      g_autofree char *needle = g_strdup_printf (".%s”", map[i].member);

      if (strstr (message, needle) != NULL)
        return map[i].row;
    }
  return NULL;
}

/* Builds the employee from the form; NULL (and an inline message) when something is wrong. */
static ZgEmployee *
employee_from_form (ZgNewCertificateDialog *self)
{
  g_autoptr(ZgEmployee) employee = zg_employee_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgEmployee) checked = NULL;
  const ZgCompany *company = selected_company (self);
  AdwEntryRow *rows[N_FORM_ENTRIES];
  guint selected;

  form_entries (self, rows);
  for (guint i = 0; i < N_FORM_ENTRIES; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (rows[i]), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->form_error_label), FALSE);

  g_free (employee->id);
  employee->id = g_uuid_string_random ();
  selected = adw_combo_row_get_selected (self->salutation_row);
  employee->salutation = selected < G_N_ELEMENTS (form_salutations) ? form_salutations[selected]
                                                                     : ZG_SALUTATION_NONE;
  employee->title = entry_value (self->title_row);
  employee->first_name = entry_value (self->first_name_row);
  employee->last_name = entry_value (self->last_name_row);
  if (employee->first_name == NULL)
    {
      form_error (self, self->first_name_row, _("Enter the first name."));
      return NULL;
    }
  if (employee->last_name == NULL)
    {
      form_error (self, self->last_name_row, _("Enter the last name."));
      return NULL;
    }
  if (!read_date_row (self, self->birth_date_row, _("The date of birth"), &employee->birth_date)
      || !read_date_row (self, self->entry_date_row, _("The entry date"), &employee->entry_date)
      || !read_date_row (self, self->exit_date_row, _("The exit date"), &employee->exit_date))
    return NULL;
  employee->birth_place = entry_value (self->birth_place_row);
  employee->street = entry_value (self->street_row);
  employee->postcode = entry_value (self->postcode_row);
  employee->city = entry_value (self->city_row);
  employee->email = entry_value (self->email_row);
  if (employee->email != NULL && !zg_md_is_valid_email (employee->email))
    {
      form_error (self, self->email_row,
                  _("The e-mail address is not valid. Enter it like name@example.com."));
      return NULL;
    }
  selected = adw_combo_row_get_selected (self->exit_reason_row);
  if (selected > 0 && selected <= G_N_ELEMENTS (exit_reasons))
    employee->exit_reason = g_strdup (exit_reasons[selected - 1].key);
  selected = adw_combo_row_get_selected (self->employee_type_row);
  if (selected > 0 && selected <= self->employee_types->len)
    employee->employee_type_id =
      g_strdup (((ZgEmployeeType *) g_ptr_array_index (self->employee_types, selected - 1))->id);
  if (company != NULL)
    {
      employee->company_id = g_strdup (company->id);
      employee->location_id = g_strdup (selected_unit (self->location_row, company->locations));
      employee->department_id = g_strdup (selected_unit (self->department_row,
                                                         company->departments));
      employee->org_unit_id = g_strdup (selected_unit (self->org_unit_row, company->org_units));
    }

  /* The server re-validates with the same codec: what passes here is what it accepts. */
  node = zg_employee_to_json (employee);
  checked = zg_employee_from_json (node, &error);
  if (checked == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Please check the form: %s"),
                                                  error->message);

      form_error (self, row_for_codec_error (self, error->message), message);
      return NULL;
    }
  return g_steal_pointer (&checked);
}

static JsonObject *
record_object (JsonNode *node)
{
  JsonObject *object = json_node_dup_object (node);

  /* The server assigns the revision; a new record has none yet. */
  json_object_remove_member (object, "rev");
  return object;
}

static void
save_employee_clicked (ZgNewCertificateDialog *self)
{
  g_autoptr(ZgEmployee) employee = employee_from_form (self);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;

  if (employee == NULL)
    return;
  node = zg_employee_to_json (employee);
  object = record_object (node);
  if (zg_cache_local_create (self->cache, "employee", employee->id, object, &error) == 0)
    {
      g_autofree char *message = g_strdup_printf (_("The employee could not be saved: %s"),
                                                  error->message);

      form_error (self, NULL, message);
      return;
    }
  notify_local_change (self);
  load_employees (self);
  g_clear_pointer (&self->employee, zg_employee_free);
  self->employee = g_steal_pointer (&employee);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), TRUE);
  show_options (self);
}

/* Step 2: the certificate */

static void
add_line (GPtrArray  *lines,
          const char *line)
{
  if (line != NULL && *line != '\0')
    g_ptr_array_add (lines, g_strdup (line));
}

/* A draft with the employee's and the company's data (R-DATA-2). */
ZgCertificate *
zg_new_certificate_build (const ZgEmployee     *employee,
                          const ZgCompany      *company,
                          const ZgEmployeeType *type,
                          ZgCertificateKind     kind,
                          const char           *language)
{
  ZgCertificate *cert;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_return_val_if_fail (employee != NULL, NULL);
  g_return_val_if_fail ((guint) kind < ZG_N_KINDS, NULL);

  cert = zg_certificate_new ();
  cert->id = g_uuid_string_random ();
  cert->status = ZG_STATUS_DRAFT;
  cert->kind = kind;
  g_free (cert->language);
  cert->language = g_strdup (g_strcmp0 (language, "en") == 0 ? "en" : "de");

  cert->employee_id = g_strdup (employee->id);
  cert->salutation = employee->salutation;
  cert->title = g_strdup (employee->title);
  cert->first_name = g_strdup (employee->first_name);
  cert->last_name = g_strdup (employee->last_name);
  cert->birth_date = employee->birth_date;
  cert->birth_place = g_strdup (employee->birth_place);
  cert->street = g_strdup (employee->street);
  cert->postcode = g_strdup (employee->postcode);
  cert->city = g_strdup (employee->city);
  cert->email = g_strdup (employee->email);

  if (company != NULL)
    {
      g_autofree char *town = NULL;

      cert->company_name = g_strdup (company->name);
      add_line (cert->company_address, company->street);
      if (company->postcode != NULL || company->city != NULL)
        town = g_strstrip (g_strdup_printf ("%s %s", company->postcode ? company->postcode : "",
                                            company->city ? company->city : ""));
      add_line (cert->company_address, town);
      cert->company_description = g_strdup (company->description);
      cert->location = g_strdup (unit_name (company, ZG_DIM_LOCATION,
                                            employee->location_id));
      cert->department = g_strdup (unit_name (company, ZG_DIM_DEPARTMENT,
                                              employee->department_id));
      cert->org_unit = g_strdup (unit_name (company, ZG_DIM_ORG_UNIT,
                                            employee->org_unit_id));
      cert->issue_place = g_strdup (company->city);
    }

  g_date_set_dmy (&cert->issue_date, (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
  cert->reason = g_strdup (employee->exit_reason);
  cert->entry_date = employee->entry_date;
  cert->exit_date = employee->exit_date;
  if (type != NULL)
    {
      cert->employee_type = g_strdup (type->key);
      cert->is_manager = type->is_manager;
    }
  return cert;
}

static void
create_clicked (ZgNewCertificateDialog *self)
{
  g_autoptr(ZgCertificate) cert = NULL;
  g_autoptr(ZgCertificate) checked = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  guint kind = adw_combo_row_get_selected (self->kind_row);
  guint language = adw_combo_row_get_selected (self->language_row);
  g_autofree char *id = NULL;

  if (self->employee == NULL || self->creating)
    return;
  if (kind >= ZG_N_KINDS)
    kind = ZG_KIND_ENDZEUGNIS;
  if (language >= G_N_ELEMENTS (language_keys))
    language = 0;
  cert = zg_new_certificate_build (self->employee, find_company (self, self->employee->company_id),
                                   find_employee_type (self, self->employee->employee_type_id),
                                   (ZgCertificateKind) kind, language_keys[language]);
  node = zg_certificate_to_json (cert);
  checked = zg_certificate_from_json (node, &error);
  if (checked == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The certificate could not be created: %s"),
                                                  error->message);

      show_create_error (self, message);
      return;
    }
  object = json_node_dup_object (node);
  if (zg_cache_local_create (self->cache, "certificate", cert->id, object, &error) == 0)
    {
      g_autofree char *message = g_strdup_printf (_("The certificate could not be saved: %s"),
                                                  error->message);

      show_create_error (self, message);
      return;
    }
  self->creating = TRUE;
  notify_local_change (self);
  id = g_strdup (cert->id);
  g_signal_emit (self, signals[CREATED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
fill_combos (ZgNewCertificateDialog *self)
{
  const char *salutations[] = { _("Mr"), _("Ms"), _("Diverse"), _("No salutation"), NULL };
  const char *languages[] = { "Deutsch", "English", NULL };
  g_autoptr(GtkStringList) salutation_list = gtk_string_list_new (salutations);
  g_autoptr(GtkStringList) language_list = gtk_string_list_new (languages);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) reasons = string_list_with_none (_("Not given"));
  g_autoptr(GtkStringList) types = string_list_with_none (_("Not given"));
  g_autoptr(GtkStringList) companies = string_list_with_none (_("Not given"));

  for (guint i = 0; i < ZG_N_KINDS; i++)
    gtk_string_list_append (kinds, _(kind_labels[i]));
  for (guint i = 0; i < G_N_ELEMENTS (exit_reasons); i++)
    gtk_string_list_append (reasons, _(exit_reasons[i].label));
  for (guint i = 0; i < self->employee_types->len; i++)
    gtk_string_list_append (types, ((ZgEmployeeType *) g_ptr_array_index (self->employee_types,
                                                                          i))->name);
  for (guint i = 0; i < self->companies->len; i++)
    gtk_string_list_append (companies, ((ZgCompany *) g_ptr_array_index (self->companies,
                                                                        i))->name);
  adw_combo_row_set_model (self->salutation_row, G_LIST_MODEL (salutation_list));
  adw_combo_row_set_model (self->language_row, G_LIST_MODEL (language_list));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  adw_combo_row_set_model (self->exit_reason_row, G_LIST_MODEL (reasons));
  adw_combo_row_set_model (self->employee_type_row, G_LIST_MODEL (types));
  adw_combo_row_set_model (self->company_row, G_LIST_MODEL (companies));
  g_signal_connect_swapped (self->company_row, "notify::selected",
                            G_CALLBACK (company_changed), self);
}

static void
zg_new_certificate_dialog_dispose (GObject *object)
{
  ZgNewCertificateDialog *self = ZG_NEW_CERTIFICATE_DIALOG (object);

  if (self->company_row != NULL)
    g_signal_handlers_disconnect_by_data (self->company_row, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZG_TYPE_NEW_CERTIFICATE_DIALOG);
  g_clear_object (&self->selection);
  g_clear_object (&self->cache);
  g_clear_object (&self->sync);
  g_clear_pointer (&self->user, json_object_unref);
  g_clear_pointer (&self->companies, g_ptr_array_unref);
  g_clear_pointer (&self->employee_types, g_ptr_array_unref);
  g_clear_pointer (&self->employee, zg_employee_free);
  G_OBJECT_CLASS (zg_new_certificate_dialog_parent_class)->dispose (object);
}

static void
zg_new_certificate_dialog_class_init (ZgNewCertificateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zg_new_certificate_dialog_dispose;

  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/de/zeugnis/Zeugnis/zg-new-certificate-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, ZgNewCertificateDialog, name)
  BIND (window_title);
  BIND (cancel_button);
  BIND (back_button);
  BIND (save_employee_button);
  BIND (create_button);
  BIND (stack);
  BIND (search_entry);
  BIND (list_stack);
  BIND (employee_list);
  BIND (empty_page);
  BIND (new_employee_button);
  BIND (form_error_label);
  BIND (salutation_row);
  BIND (title_row);
  BIND (first_name_row);
  BIND (last_name_row);
  BIND (birth_date_row);
  BIND (birth_place_row);
  BIND (street_row);
  BIND (postcode_row);
  BIND (city_row);
  BIND (email_row);
  BIND (entry_date_row);
  BIND (exit_date_row);
  BIND (exit_reason_row);
  BIND (employee_type_row);
  BIND (company_row);
  BIND (location_row);
  BIND (department_row);
  BIND (org_unit_row);
  BIND (employee_row);
  BIND (kind_row);
  BIND (language_row);
  BIND (create_error_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, save_employee_clicked);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);
  gtk_widget_class_bind_template_callback (widget_class, search_activated);
  gtk_widget_class_bind_template_callback (widget_class, employee_activated);
  gtk_widget_class_bind_template_callback (widget_class, new_employee_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
zg_new_certificate_dialog_init (ZgNewCertificateDialog *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  AdwEntryRow *rows[N_FORM_ENTRIES];

  gtk_widget_init_template (GTK_WIDGET (self));
  form_entries (self, rows);
  for (guint i = 0; i < N_FORM_ENTRIES; i++)
    g_signal_connect (rows[i], "changed", G_CALLBACK (entry_changed), NULL);
  self->companies = g_ptr_array_new_with_free_func ((GDestroyNotify) zg_company_free);
  self->employee_types = g_ptr_array_new_with_free_func ((GDestroyNotify) zg_employee_type_free);
  self->employees = g_list_store_new (ZG_TYPE_PICK_ITEM);
  self->filter = gtk_custom_filter_new (filter_item, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->employees),
                                              GTK_FILTER (self->filter));
  /* The models own each other down the chain; self->selection holds the only reference. */
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->filtered));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_item), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item), NULL);
  gtk_list_view_set_factory (self->employee_list, factory);
  gtk_list_view_set_model (self->employee_list, GTK_SELECTION_MODEL (self->selection));
}

ZgNewCertificateDialog *
zg_new_certificate_dialog_new (GtkWindow    *parent,
                               ZgCache      *cache,
                               ZgSyncEngine *sync,
                               JsonObject   *user)
{
  ZgNewCertificateDialog *self;

  g_return_val_if_fail (ZG_IS_CACHE (cache), NULL);
  g_return_val_if_fail (sync == NULL || ZG_IS_SYNC_ENGINE (sync), NULL);

  self = g_object_new (ZG_TYPE_NEW_CERTIFICATE_DIALOG, "transient-for", parent, NULL);
  self->cache = g_object_ref (cache);
  self->sync = sync != NULL ? g_object_ref (sync) : NULL;
  self->user = user != NULL ? json_object_ref (user) : NULL;
  load_master_data (self);
  fill_combos (self);
  load_employees (self);
  show_page (self, "pick");
  return self;
}
