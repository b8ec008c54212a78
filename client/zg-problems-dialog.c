/* zg-problems-dialog.c — sync conflicts and rejected changes, from the cache's outbox
 *
 * A conflict shows the user's and the server's value of one field; "Keep mine" queues the
 * user's value again on top of the server's revision, "Use server's" drops it. A rejected
 * change shows what it changed and why the server refused it; "Discard" removes it. The list
 * is rebuilt from the cache after every action and on the engine's "problems-changed".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "zg-new-certificate-dialog.h"
#include "zg-outbox.h"
#include "zg-problems-dialog.h"
#include "zg-problems-dialog-private.h"

G_DEFINE_FINAL_TYPE (ZgProblemsDialog, zg_problems_dialog, ADW_TYPE_WINDOW)

/* Field path -> label. */
static const char * const field_labels[][2] = {
  /* employees (and the same members inside a certificate's persoenliche_daten) */
  { "salutation", N_("Salutation") },
  { "title", N_("Title") },
  { "first_name", N_("First name") },
  { "last_name", N_("Last name") },
  { "birth_date", N_("Date of birth") },
  { "birth_place", N_("Place of birth") },
  { "street", N_("Street") },
  { "postcode", N_("Postcode") },
  { "city", N_("City") },
  { "country", N_("Country") },
  { "email", N_("E-mail") },
  { "entry_date", N_("Entry date") },
  { "exit_date", N_("Exit date") },
  { "exit_reason", N_("Reason for leaving") },
  { "employee_type_id", N_("Employee type") },
  { "company_id", N_("Company") },
  { "location_id", N_("Location") },
  { "department_id", N_("Department") },
  { "org_unit_id", N_("Organisational unit") },
  /* master data */
  { "name", N_("Name") },
  { "description", N_("Company description") },
  { "locations", N_("Locations") },
  { "departments", N_("Departments") },
  { "org_units", N_("Organisational units") },
  { "key", N_("Text key") },
  { "manager", N_("Manager") },
  { "tasks", N_("Tasks") },
  { "language", N_("Language") },
  { "kind", N_("Kind") },
  { "text", N_("Text") },
  /* certificates */
  { "status", N_("Status") },
  { "private", N_("Private") },
  { "daten", N_("Data") },
  { "daten.persoenliche_daten", N_("Personal data") },
  { "daten.persoenliche_daten.employee_id", N_("Employee") },
  { "daten.unternehmen", N_("Company") },
  { "daten.unternehmen.name", N_("Company name") },
  { "daten.unternehmen.address", N_("Company address") },
  { "daten.unternehmen.description", N_("Company description") },
  { "daten.unternehmen.location", N_("Location") },
  { "daten.unternehmen.department", N_("Department") },
  { "daten.unternehmen.org_unit", N_("Organisational unit") },
  { "daten.zeugnisdaten", N_("Certificate data") },
  { "daten.zeugnisdaten.kind", N_("Kind of certificate") },
  { "daten.zeugnisdaten.language", N_("Language") },
  { "daten.zeugnisdaten.issue_date", N_("Issue date") },
  { "daten.zeugnisdaten.issue_place", N_("Place of issue") },
  { "daten.zeugnisdaten.reason", N_("Reason for leaving") },
  { "daten.zeugnisdaten.entry_date", N_("Entry date") },
  { "daten.zeugnisdaten.exit_date", N_("Exit date") },
  { "daten.zeugnisdaten.position", N_("Position") },
  { "daten.zeugnisdaten.employee_type", N_("Employee type") },
  { "daten.zeugnisdaten.manager", N_("Manager") },
  { "daten.weitere_angaben", N_("Further details") },
  { "daten.weitere_angaben.notes", N_("Internal notes") },
  { "daten.weitere_angaben.occupation", N_("Occupation (apprenticeship)") },
  { "daten.weitere_angaben.vocational_school", N_("Vocational school") },
  { "daten.unterschriften", N_("Signatures") },
  { "werdegang", N_("Career") },
  { "werdegang.stationen", N_("Career stations") },
  { "werdegang.taetigkeiten", N_("Tasks") },
  { "werdegang.taetigkeiten.berufsbild", N_("Job profile") },
  { "werdegang.taetigkeiten.items", N_("Tasks") },
  { "werdegang.zusatztaetigkeiten", N_("Additional tasks") },
  { "werdegang.weiterbildungen", N_("Further training") },
  { "werdegang.vollmachten", N_("Powers of attorney") },
  { "bewertung", N_("Rating") },
  { "bewertung.bewertung", N_("Rating") },
  { "bewertung.bewertung.grades", N_("Grades") },
  { "bewertung.bewertung.overall", N_("Overall grade") },
  { "bewertung.qualifikationen", N_("Qualifications") },
  { "bewertung.erfolge", N_("Achievements") },
  { "ergebnis", N_("Result") },
  { "ergebnis.variants", N_("Choice of wording") },
  { "ergebnis.text", N_("Edited letter text") },
};

static const char *
lookup_label (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    if (strcmp (field_labels[i][0], path) == 0)
      return _(field_labels[i][1]);
  return NULL;
}

/**
 * zg_problems_field_label:
 * A readable name for a field path of a mutation ("daten.zeugnisdaten.position" → "Position",
 * "werdegang.stationen[2].to" → "Career stations"); unknown paths come back as they are.
 * Returns a newly allocated string.
 */
char *
zg_problems_field_label (const char *entity,
                         const char *field)
{
  g_autofree char *path = NULL;
  const char *label;

  g_return_val_if_fail (field != NULL, NULL);

  /* persoenliche_daten members are named like an employee's. */
  if (g_str_has_prefix (field, "daten.persoenliche_daten."))
    {
      label = lookup_label (field + strlen ("daten.persoenliche_daten."));
      if (label != NULL)
        return g_strdup (label);
    }

  /* Cut list indexes and deeper members until a known path remains. */
  path = g_strdup (field);
  for (;;)
    {
      char *cut;

      label = lookup_label (path);
      if (label != NULL)
        return g_strdup (label);
      cut = strrchr (path, '[');
      if (cut == NULL || (strrchr (path, '.') != NULL && strrchr (path, '.') > cut))
        cut = strrchr (path, '.');
      if (cut == NULL)
        break;
      *cut = '\0';
    }
  return g_strdup (field);
}

/**
 * zg_problems_reason_text:
 * The server's reason code of a rejected change as a sentence for the user.
 * Returns a newly allocated string.
 */
char *
zg_problems_reason_text (const char *reason)
{
  static const struct
  {
    const char *code;
    const char *text;
  } reasons[] = {
    { "not_found", N_("The record no longer exists on the server, or you are no longer allowed "
                      "to see it.") },
    { "forbidden", N_("You are not allowed to make this change.") },
    { "invalid_value", N_("The server did not accept a value: it has the wrong format, is out "
                          "of range or is too long.") },
    { "invalid_transition", N_("The change does not fit the certificate's current status, for "
                               "example because it was approved in the meantime.") },
    { "referenced", N_("The record is still in use, for example by a certificate, and cannot "
                       "be deleted.") },
    { "invalid_reference", N_("The change refers to an employee that does not exist or that "
                              "you are not allowed to see.") },
    { "exists", N_("A record with the same identity already exists on the server.") },
    { "unknown_field", N_("The server does not know one of the changed fields. This version of "
                          "Zeugnis may be older than the server.") },
    { "invalid_base_rev", N_("The server's copy of the record is older than the one the change "
                             "was made on. The record is downloaded again.") },
    { "invalid_mutation", N_("The server could not read the change. This version of Zeugnis may "
                             "be older than the server.") },
    { "unknown_entity", N_("The server does not know this kind of record. This version of "
                           "Zeugnis may be older than the server.") },
  };

  for (guint i = 0; reason != NULL && i < G_N_ELEMENTS (reasons); i++)
    if (strcmp (reasons[i].code, reason) == 0)
      return g_strdup (_(reasons[i].text));
  /* TRANSLATORS: %s is the server's reason code, e.g. "too_large" */
  return g_strdup_printf (_("The server refused the change (reason: %s)."),
                          reason != NULL ? reason : "?");
}

static gboolean
is_iso_date (const char *text)
{
  static const guint digits[] = { 0, 1, 2, 3, 5, 6, 8, 9 };

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (digits); i++)
    if (!g_ascii_isdigit (text[digits[i]]))
      return FALSE;
  return g_date_valid_dmy ((GDateDay) ((text[8] - '0') * 10 + (text[9] - '0')),
                           (GDateMonth) ((text[5] - '0') * 10 + (text[6] - '0')),
                           (GDateYear) g_ascii_strtoull (text, NULL, 10));
}

/* A JSON value as the user reads it. */
static char *
display_value (const char *json)
{
  g_autoptr(JsonNode) node = json != NULL ? json_from_string (json, NULL) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (_("(empty)"));
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (node);

          /* ISO dates as German users write them. */
          if (is_iso_date (text))
            return g_strdup_printf ("%c%c.%c%c.%.4s", text[8], text[9], text[5], text[6], text);
          return g_strdup (*text != '\0' ? text : _("(empty)"));
        }
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      gboolean strings = TRUE;

      for (guint i = 0; i < json_array_get_length (array) && strings; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          strings = JSON_NODE_HOLDS_VALUE (element)
                    && json_node_get_value_type (element) == G_TYPE_STRING;
          if (strings)
            g_ptr_array_add (parts, g_strdup (json_node_get_string (element)));
        }
      if (json_array_get_length (array) == 0)
        return g_strdup (_("(empty)"));
      if (strings)
        {
          g_ptr_array_add (parts, NULL);
          return g_strjoinv ("; ", (char **) parts->pdata);
        }
    }
  return json_to_string (node, FALSE);
}

static JsonObject *
record_object (ZgCache    *cache,
               const char *entity,
               const char *id,
               JsonNode  **out_node)
{
  g_autoptr(ZgCacheRecord) record = zg_cache_get_record (cache, entity, id, NULL);

  *out_node = record != NULL ? json_from_string (record->json, NULL) : NULL;
  if (*out_node == NULL || !JSON_NODE_HOLDS_OBJECT (*out_node))
    return NULL;
  return json_node_get_object (*out_node);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* "Certificate for Erika Groß", "Employee Max Müller", "Company Muster GmbH". */
static char *
record_label (ZgCache    *cache,
              const char *entity,
              const char *id)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object = record_object (cache, entity, id, &node);
  g_autofree char *name = NULL;

  if (g_strcmp0 (entity, "certificate") == 0)
    {
      JsonObject *person = object_member (object_member (object, "daten"), "persoenliche_daten");

      name = g_strstrip (g_strdup_printf ("%s %s", string_member (person, "first_name"),
                                          string_member (person, "last_name")));
      return *name != '\0' ? g_strdup_printf (_("Certificate for %s"), name)
                           : g_strdup (_("Certificate"));
    }
  if (g_strcmp0 (entity, "employee") == 0)
    {
      name = g_strstrip (g_strdup_printf ("%s %s", string_member (object, "first_name"),
                                          string_member (object, "last_name")));
      return *name != '\0' ? g_strdup_printf (_("Employee %s"), name) : g_strdup (_("Employee"));
    }
  name = g_strdup (string_member (object, "name"));
  if (g_strcmp0 (entity, "company") == 0)
    return *name != '\0' ? g_strdup_printf (_("Company %s"), name) : g_strdup (_("Company"));
  if (g_strcmp0 (entity, "employee_type") == 0)
    return *name != '\0' ? g_strdup_printf (_("Employee type %s"), name)
                         : g_strdup (_("Employee type"));
  if (g_strcmp0 (entity, "job_profile") == 0)
    return *name != '\0' ? g_strdup_printf (_("Job profile %s"), name)
                         : g_strdup (_("Job profile"));
  if (g_strcmp0 (entity, "qualification") == 0)
    return *name != '\0' ? g_strdup_printf (_("Qualification %s"), name)
                         : g_strdup (_("Qualification"));
  return g_strdup (entity);
}

/* A reference id as the name the user knows ("company_id" -> "Muster AG"), else NULL. */
static char *
reference_name (ZgCache    *cache,
                const char *field,
                const char *id)
{
  const char *member = strrchr (field, '.') != NULL ? strrchr (field, '.') + 1 : field;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  const char *entity;

  if (g_strcmp0 (member, "company_id") == 0)
    entity = "company";
  else if (g_strcmp0 (member, "employee_type_id") == 0)
    entity = "employee_type";
  else if (g_strcmp0 (member, "employee_id") == 0)
    entity = "employee";
  else
    return NULL;
  object = record_object (cache, entity, id, &node);
  if (object == NULL)
    return NULL;
  if (g_strcmp0 (entity, "employee") == 0)
    return g_strstrip (g_strdup_printf ("%s %s", string_member (object, "first_name"),
                                        string_member (object, "last_name")));
  return *string_member (object, "name") != '\0' ? g_strdup (string_member (object, "name"))
                                                  : NULL;
}

/* The value of @field for the user: names instead of ids, long texts shortened. */
static char *
field_value_text (ZgCache    *cache,
                  const char *field,
                  const char *json,
                  glong       max_chars)
{
  g_autofree char *text = display_value (json);
  g_autoptr(JsonNode) node = json != NULL ? json_from_string (json, NULL) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *member = strrchr (field, '.') != NULL ? strrchr (field, '.') + 1 : field;
      const char *reason = g_strcmp0 (member, "exit_reason") == 0
                           || g_strcmp0 (field, "daten.zeugnisdaten.reason") == 0
                           ? zg_exit_reason_label (json_node_get_string (node)) : NULL;
      char *name = reason != NULL ? g_strdup (reason)
                                  : reference_name (cache, field, json_node_get_string (node));

      if (name != NULL && *name != '\0')
        {
          g_free (text);
          text = name;
        }
      else
        g_free (name);
    }
  if (max_chars > 0 && g_utf8_strlen (text, -1) > max_chars)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, max_chars - 1);

      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&text);
}

/* "Changed: Position: Leiterin Einkauf; Entry date: 2019-03-01 and 2 more fields" */
static char *
changes_summary (ZgCache             *cache,
                 const ZgOutboxEntry *entry)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GList) members = NULL;
  g_autofree char *list = NULL;
  JsonObject *changes;
  guint total;

  if (zg_outbox_entry_is_delete (entry))
    return g_strdup (_("Deleted on this computer"));
  if (zg_outbox_entry_is_reopen (entry))
    return g_strdup (_("Reopened as a draft on this computer"));
  if (entry->base_rev == 0)
    return g_strdup (_("Created on this computer"));
  node = json_from_string (entry->changes, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup (_("Changed"));
  changes = json_node_get_object (node);
  members = json_object_get_members (changes);
  total = g_list_length (members);
  for (GList *l = members; l != NULL && parts->len < 3; l = l->next)
    {
      g_autofree char *label = zg_problems_field_label (entry->entity, l->data);
      g_autofree char *json = json_to_string (json_object_get_member (changes, l->data), FALSE);
      g_autofree char *value = field_value_text (cache, l->data, json, 40);

      /* TRANSLATORS: a changed field and its new value, e.g. "Position: Leiterin Einkauf" */
      g_ptr_array_add (parts, g_strdup_printf (_("%s: %s"), label, value));
    }
  g_ptr_array_add (parts, NULL);
  list = g_strjoinv ("; ", (char **) parts->pdata);
  if (total > 3)
    /* TRANSLATORS: %s is a list of fields with values, %u how many more there are */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Changed: %s and %u more field",
                                         "Changed: %s and %u more fields", total - 3),
                            list, total - 3);
  return g_strdup_printf (_("Changed: %s"), list);
}

static void
show_error (ZgProblemsDialog *self,
            const char       *what,
            const GError     *error)
{
  g_autofree char *message = NULL;

  if (error == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
      return;
    }
  message = g_strdup_printf ("%s: %s", what, error->message);
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
notify_engine (ZgProblemsDialog *self)
{
  if (self->sync != NULL)
    zg_sync_engine_local_change (self->sync);
}

static void refresh (ZgProblemsDialog *self);

static void
resolve (GtkButton *button,
         gboolean   keep_local)
{
  ZgProblemsDialog *self = ZG_PROBLEMS_DIALOG (gtk_widget_get_root (GTK_WIDGET (button)));
  gint64 conflict_id = *(gint64 *) g_object_get_data (G_OBJECT (button), "conflict-id");
  g_autoptr(GError) error = NULL;

  if (!zg_cache_resolve_conflict (self->cache, conflict_id, keep_local, &error))
    show_error (self, _("The conflict could not be resolved"), error);
  else
    show_error (self, NULL, NULL);
  notify_engine (self);
  refresh (self);
}

static void
keep_mine_clicked (GtkButton *button,
                   gpointer   user_data)
{
  resolve (button, TRUE);
}

static void
use_server_clicked (GtkButton *button,
                    gpointer   user_data)
{
  resolve (button, FALSE);
}

static void
discard_clicked (GtkButton *button,
                 gpointer   user_data)
{
  ZgProblemsDialog *self = ZG_PROBLEMS_DIALOG (gtk_widget_get_root (GTK_WIDGET (button)));
  gint64 mutation_id = *(gint64 *) g_object_get_data (G_OBJECT (button), "mutation-id");
  g_autoptr(GError) error = NULL;

  if (!zg_cache_outbox_dismiss (self->cache, mutation_id, &error))
    show_error (self, _("The change could not be discarded"), error);
  else
    show_error (self, NULL, NULL);
  notify_engine (self);
  refresh (self);
}

static GtkWidget *
value_label (const char *text,
             gboolean    dim)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), !dim);
  gtk_widget_set_hexpand (label, !dim);
  if (dim)
    {
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_valign (label, GTK_ALIGN_START);
    }
  return label;
}

static GtkWidget *
conflict_row (ZgProblemsDialog      *self,
              const ZgCacheConflict *conflict)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title;
  GtkWidget *keep;
  GtkWidget *server;
  GtkWidget *row;
  g_autofree char *record = record_label (self->cache, conflict->entity, conflict->id);
  g_autofree char *field = zg_problems_field_label (conflict->entity, conflict->field);
  g_autofree char *heading = g_strdup_printf ("%s · %s", field, record);
  g_autofree char *mine = field_value_text (self->cache, conflict->field,
                                            conflict->local_value, 0);
  g_autofree char *theirs = field_value_text (self->cache, conflict->field,
                                              conflict->server_value, 0);
  g_autofree char *keep_name = g_strdup_printf ("keep-mine-%" G_GINT64_FORMAT,
                                                conflict->conflict_id);
  g_autofree char *server_name = g_strdup_printf ("use-server-%" G_GINT64_FORMAT,
                                                  conflict->conflict_id);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  title = gtk_label_new (heading);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_attach (GTK_GRID (grid), value_label (_("Your value"), TRUE), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), value_label (mine, FALSE), 1, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), value_label (_("Server value"), TRUE), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), value_label (theirs, FALSE), 1, 1, 1, 1);
  gtk_box_append (GTK_BOX (box), grid);

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  keep = gtk_button_new_with_mnemonic (_("_Keep Mine"));
  server = gtk_button_new_with_mnemonic (_("_Use Server's"));
  gtk_widget_set_name (keep, keep_name);
  gtk_widget_set_name (server, server_name);
  g_object_set_data_full (G_OBJECT (keep), "conflict-id",
                          g_memdup2 (&conflict->conflict_id, sizeof (gint64)), g_free);
  g_object_set_data_full (G_OBJECT (server), "conflict-id",
                          g_memdup2 (&conflict->conflict_id, sizeof (gint64)), g_free);
  g_signal_connect (keep, "clicked", G_CALLBACK (keep_mine_clicked), NULL);
  g_signal_connect (server, "clicked", G_CALLBACK (use_server_clicked), NULL);
  gtk_box_append (GTK_BOX (buttons), server);
  gtk_box_append (GTK_BOX (buttons), keep);
  gtk_box_append (GTK_BOX (box), buttons);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static GtkWidget *
rejected_row (ZgProblemsDialog    *self,
              const ZgOutboxEntry *entry)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *discard = gtk_button_new_with_mnemonic (_("_Discard"));
  g_autofree char *record = record_label (self->cache, entry->entity, entry->id);
  g_autofree char *changes = changes_summary (self->cache, entry);
  g_autofree char *reason = zg_problems_reason_text (entry->reason);
  g_autofree char *subtitle = g_strdup_printf ("%s\n%s", changes, reason);
  g_autofree char *name = g_strdup_printf ("discard-%" G_GINT64_FORMAT, entry->mutation_id);
  g_autofree char *title_markup = g_markup_escape_text (record, -1);
  g_autofree char *subtitle_markup = g_markup_escape_text (subtitle, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title_markup);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle_markup);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_name (discard, name);
  gtk_widget_set_valign (discard, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (discard), "mutation-id",
                          g_memdup2 (&entry->mutation_id, sizeof (gint64)), g_free);
  g_signal_connect (discard, "clicked", G_CALLBACK (discard_clicked), NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), discard);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
refresh (ZgProblemsDialog *self)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  guint n_conflicts = 0;
  guint n_rejected = 0;

  clear_list (self->conflicts_list);
  clear_list (self->rejected_list);

  conflicts = zg_cache_list_conflicts (self->cache, &error);
  if (conflicts == NULL)
    {
      show_error (self, _("The conflicts could not be read"), error);
      g_clear_error (&error);
    }
  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++, n_conflicts++)
    gtk_list_box_append (self->conflicts_list,
                         conflict_row (self, g_ptr_array_index (conflicts, i)));

  entries = zg_cache_outbox_list (self->cache, &error);
  if (entries == NULL)
    show_error (self, _("The rejected changes could not be read"), error);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      ZgOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (entry->state != ZG_OUTBOX_STATE_REJECTED)
        continue;
      gtk_list_box_append (self->rejected_list, rejected_row (self, entry));
      n_rejected++;
    }

  gtk_widget_set_visible (self->conflicts_box, n_conflicts > 0);
  gtk_widget_set_visible (self->rejected_box, n_rejected > 0);
  gtk_stack_set_visible_child_name (self->stack,
                                    n_conflicts + n_rejected > 0 ? "list" : "empty");
}

/**
 * zg_problems_dialog_count:
 * How many conflicts and rejected changes the dialog shows (for tests and the window's badge).
 */
guint
zg_problems_dialog_count (ZgProblemsDialog *self)
{
  guint n = 0;

  g_return_val_if_fail (ZG_IS_PROBLEMS_DIALOG (self), 0);

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->conflicts_list)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n++;
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->rejected_list)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

static void
zg_problems_dialog_dispose (GObject *object)
{
  ZgProblemsDialog *self = ZG_PROBLEMS_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ZG_TYPE_PROBLEMS_DIALOG);
  g_clear_object (&self->cache);
  g_clear_object (&self->sync);
  G_OBJECT_CLASS (zg_problems_dialog_parent_class)->dispose (object);
}

static void
zg_problems_dialog_class_init (ZgProblemsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zg_problems_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/de/zeugnis/Zeugnis/zg-problems-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ZgProblemsDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ZgProblemsDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, ZgProblemsDialog, conflicts_box);
  gtk_widget_class_bind_template_child (widget_class, ZgProblemsDialog, conflicts_list);
  gtk_widget_class_bind_template_child (widget_class, ZgProblemsDialog, rejected_box);
  gtk_widget_class_bind_template_child (widget_class, ZgProblemsDialog, rejected_list);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
zg_problems_dialog_init (ZgProblemsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

ZgProblemsDialog *
zg_problems_dialog_new (GtkWindow    *parent,
                        ZgCache      *cache,
                        ZgSyncEngine *sync)
{
  ZgProblemsDialog *self;

  g_return_val_if_fail (ZG_IS_CACHE (cache), NULL);
  g_return_val_if_fail (sync == NULL || ZG_IS_SYNC_ENGINE (sync), NULL);

  self = g_object_new (ZG_TYPE_PROBLEMS_DIALOG, "transient-for", parent, NULL);
  self->cache = g_object_ref (cache);
  if (sync != NULL)
    {
      self->sync = g_object_ref (sync);
      g_signal_connect_object (sync, "problems-changed", G_CALLBACK (refresh), self,
                               G_CONNECT_SWAPPED);
    }
  refresh (self);
  return self;
}
