/* test-sections.c — steps, sections and per-section rights (R-HAND-3, R-DATA-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-certificate.h"
#include "zg-sections.h"

/* R-HAND-3 lists these, in this order, with these steps. */
static void
test_ids_and_steps (void)
{
  static const struct
  {
    const char *id;
    const char *display;
    ZgStep      step;
  } expected[] = {
    { "persoenliche_daten", "Persönliche Daten", ZG_STEP_DATEN },
    { "unternehmen", "Unternehmen", ZG_STEP_DATEN },
    { "zeugnisdaten", "Zeugnisdaten", ZG_STEP_DATEN },
    { "weitere_angaben", "Weitere Angaben", ZG_STEP_DATEN },
    { "unterschriften", "Unterschriften", ZG_STEP_DATEN },
    { "stationen", "Stationen", ZG_STEP_WERDEGANG },
    { "taetigkeiten", "Tätigkeiten", ZG_STEP_WERDEGANG },
    { "zusatztaetigkeiten", "Zusatztätigkeiten", ZG_STEP_WERDEGANG },
    { "weiterbildungen", "Weiterbildungen", ZG_STEP_WERDEGANG },
    { "vollmachten", "Vollmachten", ZG_STEP_WERDEGANG },
    { "bewertung", "Bewertung", ZG_STEP_BEWERTUNG },
    { "qualifikationen", "Qualifikationen", ZG_STEP_BEWERTUNG },
    { "erfolge", "Erfolge", ZG_STEP_BEWERTUNG },
    { "ergebnis", "Ergebnis", ZG_STEP_ERGEBNIS },
  };

  g_assert_cmpuint (G_N_ELEMENTS (expected), ==, ZG_N_SECTIONS);
  for (guint s = 0; s < ZG_N_SECTIONS; s++)
    {
      ZgSection back;

      g_assert_cmpstr (zg_section_id (s), ==, expected[s].id);
      g_assert_cmpstr (zg_section_display_name (s), ==, expected[s].display);
      g_assert_cmpint (zg_section_get_step (s), ==, expected[s].step);
      g_assert_true (zg_section_from_id (expected[s].id, &back));
      g_assert_cmpint (back, ==, s);
    }
  g_assert_false (zg_section_from_id ("download", NULL));
  g_assert_cmpstr (zg_step_id (ZG_STEP_WERDEGANG), ==, "werdegang");
  g_assert_cmpstr (zg_step_display_name (ZG_STEP_ERGEBNIS), ==, "Ergebnis");
  /* 14 sections x 2 bits + download fit one 32-bit column */
  g_assert_cmpuint (ZG_SECTION_RIGHTS_ALL, ==, (1u << 29) - 1);
}

/* R-HAND-3: read (l) and/or write (s) per section, Download yes/no. */
static void
test_rights_bits (void)
{
  ZgSectionRights r = ZG_SECTION_RIGHTS_NONE;

  for (guint s = 0; s < ZG_N_SECTIONS; s++)
    {
      g_assert_false (zg_section_rights_can_read (r, s));
      g_assert_false (zg_section_rights_can_write (r, s));
    }
  g_assert_false (zg_section_rights_can_download (r));

  r = zg_section_rights_set (r, ZG_SECTION_BEWERTUNG, ZG_ACCESS_WRITE);
  r = zg_section_rights_set (r, ZG_SECTION_STATIONEN, ZG_ACCESS_READ);
  g_assert_true (zg_section_rights_can_write (r, ZG_SECTION_BEWERTUNG));
  g_assert_true (zg_section_rights_can_read (r, ZG_SECTION_BEWERTUNG));   /* write implies read */
  g_assert_true (zg_section_rights_can_read (r, ZG_SECTION_STATIONEN));
  g_assert_false (zg_section_rights_can_write (r, ZG_SECTION_STATIONEN));
  g_assert_false (zg_section_rights_can_read (r, ZG_SECTION_ERFOLGE));
  for (guint s = 0; s < ZG_N_SECTIONS; s++)
    if (s != ZG_SECTION_BEWERTUNG && s != ZG_SECTION_STATIONEN)
      g_assert_cmpint (zg_section_rights_get (r, s), ==, ZG_ACCESS_NONE);

  r = zg_section_rights_set (r, ZG_SECTION_BEWERTUNG, ZG_ACCESS_READ);
  g_assert_cmpint (zg_section_rights_get (r, ZG_SECTION_BEWERTUNG), ==, ZG_ACCESS_READ);
  r = zg_section_rights_set (r, ZG_SECTION_BEWERTUNG, ZG_ACCESS_NONE);
  g_assert_cmpint (zg_section_rights_get (r, ZG_SECTION_BEWERTUNG), ==, ZG_ACCESS_NONE);

  /* a stored write bit without read bit still reads; unknown high bits are dropped */
  g_assert_true (zg_section_rights_can_read (1u << 1, ZG_SECTION_PERSOENLICHE_DATEN));
  g_assert_cmpuint (zg_section_rights_normalize (0xffffffffu), ==, ZG_SECTION_RIGHTS_ALL);

  r = zg_section_rights_set_step (ZG_SECTION_RIGHTS_DOWNLOAD, ZG_STEP_WERDEGANG, ZG_ACCESS_WRITE);
  g_assert_true (zg_section_rights_can_download (r));
  for (guint s = 0; s < ZG_N_SECTIONS; s++)
    g_assert_cmpint (zg_section_rights_can_write (r, s), ==,
                     zg_section_get_step (s) == ZG_STEP_WERDEGANG);
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_rights_json (void)
{
  static const char *const bad[] = {
    "[]",
    "{\"sections\": []}",
    "{\"sections\": {\"gehalt\": \"read\"}}",
    "{\"sections\": {\"bewertung\": \"rw\"}}",
    "{\"sections\": {\"bewertung\": true}}",
    "{\"download\": \"yes\"}",
    "{\"download\": true, \"expires\": 3}",
  };
  g_autoptr(JsonNode) node = parse ("{\"sections\": {\"bewertung\": \"write\", "
                                    "\"stationen\": \"read\", \"erfolge\": \"none\"}, "
                                    "\"download\": true}");
  ZgSectionRights r = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (zg_section_rights_from_json (node, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (zg_section_rights_get (r, ZG_SECTION_BEWERTUNG), ==, ZG_ACCESS_WRITE);
  g_assert_cmpint (zg_section_rights_get (r, ZG_SECTION_STATIONEN), ==, ZG_ACCESS_READ);
  g_assert_cmpint (zg_section_rights_get (r, ZG_SECTION_ERFOLGE), ==, ZG_ACCESS_NONE);
  g_assert_true (zg_section_rights_can_download (r));

  /* round trip over every single-section value and random combinations */
  for (guint i = 0; i < 3 * ZG_N_SECTIONS + 2000; i++)
    {
      ZgSectionRights in, out = 0;
      g_autoptr(JsonNode) json = NULL;

      if (i < 3 * ZG_N_SECTIONS)
        in = zg_section_rights_set (0, i / 3, (ZgSectionAccess) (i % 3));
      else
        in = zg_section_rights_normalize ((ZgSectionRights) g_test_rand_int ());
      json = zg_section_rights_to_json (in);
      g_assert_true (zg_section_rights_from_json (json, &out, NULL));
      g_assert_cmpuint (out, ==, in);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) b = parse (bad[i]);
      g_autoptr(GError) e = NULL;
      ZgSectionRights untouched = 42;

      g_assert_false (zg_section_rights_from_json (b, &untouched, &e));
      g_assert_error (e, ZG_SECTIONS_ERROR, ZG_SECTIONS_ERROR_INVALID);
      g_assert_cmpuint (untouched, ==, 42);
    }
}

/* A certificate with every member zg_certificate_to_json() can write. */
static ZgCertificate *
full_certificate (void)
{
  ZgCertificate *cert = zg_certificate_new ();
  ZgCertSignatory *sig = g_new0 (ZgCertSignatory, 1);
  ZgStation *station = g_new0 (ZgStation, 1);

  cert->id = g_strdup ("cert-1");
  cert->is_private = TRUE;
  cert->created_by = g_strdup ("3");
  cert->created_by_name = g_strdup ("Petra Schmidt");
  cert->created_at = 1795687200;
  {
    ZgProcessEvent *ev = zg_process_event_new (ZG_PROCESS_HANDOVER);

    ev->supervisor = g_strdup ("Dr. Max Weber");
    ev->at = 1795687200;
    g_ptr_array_add (cert->process_events, ev);
  }
  cert->employee_id = g_strdup ("emp-1");
  cert->salutation = ZG_SALUTATION_FRAU;
  cert->title = g_strdup ("Dr.");
  cert->first_name = g_strdup ("Erika");
  cert->last_name = g_strdup ("Muster");
  g_date_set_dmy (&cert->birth_date, 1, 2, 1980);
  cert->birth_place = g_strdup ("Köln");
  cert->street = g_strdup ("Weg 1");
  cert->postcode = g_strdup ("50667");
  cert->city = g_strdup ("Köln");
  cert->email = g_strdup ("e@example.de");
  cert->company_name = g_strdup ("Beispiel GmbH");
  g_ptr_array_add (cert->company_address, g_strdup ("Straße 2"));
  cert->company_description = g_strdup ("Wir bauen Dinge.");
  cert->location = g_strdup ("Köln");
  cert->department = g_strdup ("Einkauf");
  cert->org_unit = g_strdup ("Team A");
  cert->kind = ZG_KIND_AUSBILDUNGSZEUGNIS;
  g_date_set_dmy (&cert->issue_date, 30, 6, 2026);
  cert->issue_place = g_strdup ("Köln");
  cert->reason = g_strdup ("ausbildungsende");
  g_date_set_dmy (&cert->entry_date, 1, 8, 2023);
  g_date_set_dmy (&cert->exit_date, 30, 6, 2026);
  cert->position = g_strdup ("Auszubildende");
  cert->employee_type = g_strdup ("auszubildender");
  cert->is_manager = TRUE;
  cert->notes = g_strdup ("intern");
  cert->occupation = g_strdup ("Industriekauffrau");
  cert->vocational_school = g_strdup ("BK Köln");
  sig->employee_id = g_strdup ("emp-2");
  sig->name = g_strdup ("Max Chef");
  sig->function = g_strdup ("Geschäftsführer");
  g_ptr_array_add (cert->signatories, sig);
  station->position = g_strdup ("Einkauf");
  station->department = g_strdup ("Einkauf");
  g_date_set_dmy (&station->from, 1, 8, 2023);
  g_date_set_dmy (&station->to, 1, 8, 2024);
  g_ptr_array_add (cert->stations, station);
  cert->berufsbild = g_strdup ("industriekaufmann");
  g_ptr_array_add (cert->tasks, g_strdup ("Bestellungen"));
  g_ptr_array_add (cert->additional_tasks, g_strdup ("Ersthelferin"));
  g_ptr_array_add (cert->trainings, g_strdup ("SAP"));
  g_ptr_array_add (cert->powers, g_strdup ("Handlungsvollmacht"));
  for (guint c = 0; c < ZG_N_CATEGORIES; c++)
    cert->grades[c] = 2;
  cert->overall_override = 2;
  g_ptr_array_add (cert->qualifications, g_strdup ("Teamfähigkeit"));
  g_ptr_array_add (cert->achievements, g_strdup ("Bestnote"));
  zg_certificate_set_variant (cert, "rating.wissen", 1);
  cert->edited_text = g_strdup ("Text");
  return cert;
}

/* Emits the path of every member and array element below @node. */
static void
collect_paths (JsonNode   *node,
               const char *path,
               GPtrArray  *out)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &value))
        {
          char *sub = *path ? g_strdup_printf ("%s.%s", path, name) : g_strdup (name);

          g_ptr_array_add (out, sub);
          collect_paths (value, sub, out);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          char *sub = g_strdup_printf ("%s[%u]", path, i);

          g_ptr_array_add (out, sub);
          collect_paths (json_array_get_element (array, i), sub, out);
        }
    }
}

/* Every path a section owns lies below that section's member. */
static void
assert_all_classified (JsonNode *json,
                       guint    *n_out)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  static const char *const step_ids[] = { "daten", "werdegang", "bewertung" };

  collect_paths (json, "", paths);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autoptr(GError) error = NULL;
      ZgFieldClass klass;
      ZgSection section;
      g_autofree char *prefix = NULL;

      /* the three step objects group sections; they are no field of their own */
      if (g_strv_contains (step_ids, path))
        {
          g_assert_false (zg_certificate_field_classify (path, &klass, &section, &error));
          g_assert_error (error, ZG_SECTIONS_ERROR, ZG_SECTIONS_ERROR_UNKNOWN_FIELD);
          continue;
        }
      if (!zg_certificate_field_classify (path, &klass, &section, &error))
        g_error ("R-HAND-3: “%s” from zg_certificate_to_json() has no section: %s", path,
                 error->message);
      if (klass == ZG_FIELD_PROCESS)
        {
          /* R-DATA-4 process data: the server's, never a section's */
          g_assert_true (g_str_has_prefix (path, "prozess"));
          continue;
        }
      if (klass != ZG_FIELD_SECTION)
        {
          g_assert_true (strchr (path, '.') == NULL);
          continue;
        }
      prefix = zg_section_get_step (section) == ZG_STEP_ERGEBNIS
               ? g_strdup ("ergebnis")
               : g_strdup_printf ("%s.%s", zg_step_id (zg_section_get_step (section)),
                                  zg_section_id (section));
      g_assert_true (g_str_has_prefix (path, prefix));
      g_assert_true (path[strlen (prefix)] == '\0' || path[strlen (prefix)] == '.' ||
                     path[strlen (prefix)] == '[');
    }
  *n_out = paths->len;
}

/* R-HAND-3: every key the certificate codec writes belongs to exactly one section (or is
 * a record-level field with its own rule), for a fully filled record and every fixture. */
static void
test_every_field_has_section (void)
{
  g_autoptr(ZgCertificate) cert = full_certificate ();
  g_autoptr(JsonNode) json = zg_certificate_to_json (cert);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *dirname = g_test_build_filename (G_TEST_DIST, "data", "certificates", NULL);
  const char *name;
  guint n = 0, n_files = 0;
  ZgFieldClass klass;

  assert_all_classified (json, &n);
  g_test_message ("%u paths in the full certificate", n);
  g_assert_cmpuint (n, >, 60);

  dir = g_dir_open (dirname, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (dirname, name, NULL);
      g_autofree char *data = NULL;
      g_autoptr(ZgCertificate) fixture = NULL;
      g_autoptr(JsonNode) fixture_json = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      g_assert_true (g_file_get_contents (file, &data, NULL, NULL));
      fixture = zg_certificate_from_data (data, -1, NULL);
      g_assert_nonnull (fixture);
      fixture_json = zg_certificate_to_json (fixture);
      assert_all_classified (fixture_json, &n);
      n_files++;
    }
  g_assert_cmpuint (n_files, >, 0);

  g_assert_true (zg_certificate_field_classify ("private", &klass, NULL, NULL));
  g_assert_cmpint (klass, ==, ZG_FIELD_PRIVATE);
  g_assert_true (zg_certificate_field_classify ("status", &klass, NULL, NULL));
  g_assert_cmpint (klass, ==, ZG_FIELD_STATUS);
  g_assert_true (zg_certificate_field_classify ("id", &klass, NULL, NULL));
  g_assert_cmpint (klass, ==, ZG_FIELD_IMMUTABLE);
  g_assert_true (zg_certificate_field_classify ("version", &klass, NULL, NULL));
  g_assert_cmpint (klass, ==, ZG_FIELD_IMMUTABLE);
  g_assert_true (zg_certificate_field_classify ("prozess", &klass, NULL, NULL));
  g_assert_cmpint (klass, ==, ZG_FIELD_PROCESS);
  g_assert_true (zg_certificate_field_classify ("prozess.events[3].at", &klass, NULL, NULL));
  g_assert_cmpint (klass, ==, ZG_FIELD_PROCESS);
}

static void
assert_section (const char *path,
                ZgSection   expected)
{
  ZgFieldClass klass;
  ZgSection section;
  g_autoptr(GError) error = NULL;

  if (!zg_certificate_field_classify (path, &klass, &section, &error))
    g_error ("%s: %s", path, error->message);
  g_assert_cmpint (klass, ==, ZG_FIELD_SECTION);
  g_assert_cmpint (section, ==, expected);
}

static void
test_field_paths (void)
{
  static const char *const unknown[] = {
    "", ".", "gehalt", "daten", "werdegang", "bewertung", "daten.gehalt",
    "daten.persoenliche_daten.gehalt", "daten.persoenliche_daten.first_name.x",
    "daten.persoenliche_daten[0]", "daten.unterschriften.name", "daten.unterschriften[0].x",
    "daten.unterschriften[x].name", "daten.unterschriften[1]x", "daten.unterschriften[[1]",
    "daten.unterschriften[1234567]", "daten..persoenliche_daten", "daten.persoenliche_daten.",
    "werdegang.zusatztaetigkeiten[0].x", "werdegang.taetigkeiten.items[0].x",
    "bewertung.bewertung.grades.fleiss", "bewertung.bewertung.grades.wissen.x",
    "ergebnis.variants.Rating", "ergebnis.variants.", "ergebnis.summary", "status.x",
    "id[0]", "daten.\xff",
  };

  assert_section ("daten.persoenliche_daten", ZG_SECTION_PERSOENLICHE_DATEN);
  assert_section ("daten.persoenliche_daten.birth_date", ZG_SECTION_PERSOENLICHE_DATEN);
  assert_section ("daten.unternehmen.address[3]", ZG_SECTION_UNTERNEHMEN);
  assert_section ("daten.zeugnisdaten.manager", ZG_SECTION_ZEUGNISDATEN);
  assert_section ("daten.weitere_angaben.notes", ZG_SECTION_WEITERE_ANGABEN);
  assert_section ("daten.unterschriften", ZG_SECTION_UNTERSCHRIFTEN);
  assert_section ("daten.unterschriften[].name", ZG_SECTION_UNTERSCHRIFTEN);
  assert_section ("werdegang.stationen[12].to", ZG_SECTION_STATIONEN);
  assert_section ("werdegang.taetigkeiten.items", ZG_SECTION_TAETIGKEITEN);
  assert_section ("werdegang.zusatztaetigkeiten[0]", ZG_SECTION_ZUSATZTAETIGKEITEN);
  assert_section ("werdegang.weiterbildungen", ZG_SECTION_WEITERBILDUNGEN);
  assert_section ("werdegang.vollmachten", ZG_SECTION_VOLLMACHTEN);
  assert_section ("bewertung.bewertung.grades.fuehrungserfolg", ZG_SECTION_BEWERTUNG);
  assert_section ("bewertung.bewertung.overall", ZG_SECTION_BEWERTUNG);
  assert_section ("bewertung.qualifikationen", ZG_SECTION_QUALIFIKATIONEN);
  assert_section ("bewertung.erfolge[1]", ZG_SECTION_ERFOLGE);
  assert_section ("ergebnis", ZG_SECTION_ERGEBNIS);
  assert_section ("ergebnis.variants.closing.formula", ZG_SECTION_ERGEBNIS);
  assert_section ("ergebnis.text", ZG_SECTION_ERGEBNIS);

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr(GError) error = NULL;

      if (zg_certificate_field_classify (unknown[i], NULL, NULL, &error))
        g_error ("“%s” must be refused", unknown[i]);
      g_assert_error (error, ZG_SECTIONS_ERROR, ZG_SECTIONS_ERROR_UNKNOWN_FIELD);
    }
}

/* R-HAND-3: a handover editor changes only fields of writable sections. */
static void
test_check_fields (void)
{
  ZgSectionRights r = zg_section_rights_set (0, ZG_SECTION_BEWERTUNG, ZG_ACCESS_WRITE);
  const char *const ok[] = { "bewertung.bewertung.grades.wissen", "bewertung.bewertung.overall",
                             NULL };
  const char *const read_only[] = { "bewertung.bewertung.overall", "werdegang.stationen", NULL };
  const char *const unmapped[] = { "bewertung.bewertung.overall", "bewertung.gehalt", NULL };
  const char *const record[] = { "private", "status", "id", "version", "prozess",
                                 "prozess.created.by" };
  GError *error = NULL;

  r = zg_section_rights_set (r, ZG_SECTION_STATIONEN, ZG_ACCESS_READ);
  g_assert_true (zg_section_rights_check_fields (r, ok, &error));
  g_assert_no_error (error);
  g_assert_false (zg_section_rights_check_fields (r, read_only, &error));
  g_assert_error (error, ZG_SECTIONS_ERROR, ZG_SECTIONS_ERROR_DENIED);
  g_assert_nonnull (strstr (error->message, "stationen"));
  g_clear_error (&error);
  g_assert_false (zg_section_rights_check_fields (r, unmapped, &error));
  g_assert_error (error, ZG_SECTIONS_ERROR, ZG_SECTIONS_ERROR_UNKNOWN_FIELD);
  g_clear_error (&error);
  for (guint i = 0; i < G_N_ELEMENTS (record); i++)
    {
      const char *const one[] = { record[i], NULL };

      g_assert_false (zg_section_rights_check_fields (ZG_SECTION_RIGHTS_ALL, one, &error));
      g_assert_error (error, ZG_SECTIONS_ERROR, ZG_SECTIONS_ERROR_DENIED);
      g_clear_error (&error);
    }
}

/* The handover viewer receives only readable sections, never the private mark. */
static void
test_filter_certificate (void)
{
  g_autoptr(ZgCertificate) cert = full_certificate ();
  g_autoptr(JsonNode) json = zg_certificate_to_json (cert);
  ZgSectionRights r = 0;
  g_autoptr(JsonNode) part = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(ZgCertificate) back = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *obj;

  r = zg_section_rights_set (r, ZG_SECTION_PERSOENLICHE_DATEN, ZG_ACCESS_READ);
  r = zg_section_rights_set (r, ZG_SECTION_BEWERTUNG, ZG_ACCESS_WRITE);
  part = zg_section_rights_filter_certificate (r, json);
  obj = json_node_get_object (part);
  g_assert_true (json_object_has_member (obj, "id"));
  g_assert_false (json_object_has_member (obj, "private"));
  g_assert_false (json_object_has_member (obj, "werdegang"));
  g_assert_false (json_object_has_member (obj, "ergebnis"));
  g_assert_true (json_object_has_member (json_object_get_object_member (obj, "daten"),
                                         "persoenliche_daten"));
  g_assert_false (json_object_has_member (json_object_get_object_member (obj, "daten"),
                                          "unternehmen"));
  g_assert_true (json_object_has_member (json_object_get_object_member (obj, "bewertung"),
                                         "bewertung"));
  g_assert_false (json_object_has_member (json_object_get_object_member (obj, "bewertung"),
                                          "erfolge"));
  back = zg_certificate_from_json (part, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->first_name, ==, "Erika");
  g_assert_null (back->company_name);
  g_assert_cmpuint (back->achievements->len, ==, 0);
  g_assert_false (back->is_private);

  /* all rights: everything but the private mark and the process data (R-DATA-4: names and
   * times of HR's work are not a handover editor's business) */
  all = zg_section_rights_filter_certificate (ZG_SECTION_RIGHTS_ALL, json);
  obj = json_node_get_object (json);
  g_assert_true (json_object_has_member (obj, "prozess"));
  g_assert_false (json_object_has_member (json_node_get_object (all), "prozess"));
  g_assert_cmpuint (json_object_get_size (json_node_get_object (all)), ==,
                    json_object_get_size (obj) - 2);
  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *value;

    json_object_iter_init (&iter, obj);
    while (json_object_iter_next (&iter, &name, &value))
      if (strcmp (name, "private") != 0 && strcmp (name, "prozess") != 0)
        g_assert_true (json_node_equal (value, json_object_get_member (json_node_get_object (all),
                                                                       name)));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Zeugnis/Shared/Sections/ids-and-steps-R-HAND-3", test_ids_and_steps);
  g_test_add_func ("/Zeugnis/Shared/Sections/rights-bits-R-HAND-3", test_rights_bits);
  g_test_add_func ("/Zeugnis/Shared/Sections/rights-json", test_rights_json);
  g_test_add_func ("/Zeugnis/Shared/Sections/every-field-has-section-R-HAND-3",
                   test_every_field_has_section);
  g_test_add_func ("/Zeugnis/Shared/Sections/field-paths", test_field_paths);
  g_test_add_func ("/Zeugnis/Shared/Sections/check-fields-R-HAND-3", test_check_fields);
  g_test_add_func ("/Zeugnis/Shared/Sections/filter-certificate", test_filter_certificate);

  return g_test_run ();
}
