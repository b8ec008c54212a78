/* test-masterdata.c — master-data records and their strict codecs (R-DATA-2, R-APP-2, R-APP-4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-masterdata.h"

#define EMP_ID  "5b0e8f1c-3c1d-4e55-9a53-1f0e2d3c4b5a"
#define COMP_ID "0f1e2d3c-4b5a-4968-8776-655443322110"
#define LOC_ID  "11111111-2222-4333-8444-555555555555"
#define DEP_ID  "21111111-2222-4333-8444-555555555555"
#define ORG_ID  "31111111-2222-4333-8444-555555555555"
#define TYPE_ID "41111111-2222-4333-8444-555555555555"

static const char full_employee[] =
  "{\"id\":\"" EMP_ID "\",\"rev\":7,\"salutation\":\"frau\",\"title\":\"Dr.\","
  "\"first_name\":\"Erika\",\"last_name\":\"Müller-Lüdenscheidt\",\"birth_date\":\"1984-02-29\","
  "\"birth_place\":\"Köln\",\"street\":\"Hohe Straße 1\",\"postcode\":\"50667\",\"city\":\"Köln\","
  "\"country\":\"DE\",\"email\":\"erika.mueller@example.de\",\"entry_date\":\"2010-04-01\","
  "\"exit_date\":\"2026-06-30\",\"exit_reason\":\"arbeitnehmerkuendigung\","
  "\"employee_type_id\":\"" TYPE_ID "\",\"company_id\":\"" COMP_ID "\","
  "\"location_id\":\"" LOC_ID "\",\"department_id\":\"" DEP_ID "\","
  "\"org_unit_id\":\"" ORG_ID "\"}";

static JsonNode *
parse (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, json, -1, &error))
    g_error ("%s: %s", json, error->message);
  return json_node_copy (json_parser_get_root (parser));
}

/* full_employee with member @name replaced by raw JSON @value (NULL = removed). */
static JsonNode *
employee_with (const char *name,
               const char *value)
{
  g_autoptr(JsonNode) node = parse (full_employee);
  JsonObject *obj = json_node_get_object (node);

  if (value == NULL)
    json_object_remove_member (obj, name);
  else
    json_object_set_member (obj, name, parse (value));
  return g_steal_pointer (&node);
}

/* R-DATA-2: every field of the employee record survives a round trip. */
static void
test_employee_round_trip (void)
{
  g_autoptr(JsonNode) in = parse (full_employee);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgEmployee) employee = zg_employee_from_json (in, &error);
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(ZgEmployee) minimal = NULL;
  g_autoptr(JsonNode) min_in = parse ("{\"id\":\"" EMP_ID "\",\"first_name\":\"A\","
                                      "\"last_name\":\"B\",\"title\":\"\",\"email\":null}");

  g_assert_no_error (error);
  g_assert_nonnull (employee);
  g_assert_cmpint (employee->salutation, ==, ZG_SALUTATION_FRAU);
  g_assert_cmpint (employee->rev, ==, 7);
  g_assert_cmpstr (employee->last_name, ==, "Müller-Lüdenscheidt");
  g_assert_cmpint (g_date_get_day (&employee->birth_date), ==, 29);
  g_assert_cmpstr (employee->org_unit_id, ==, ORG_ID);
  out = zg_employee_to_json (employee);
  if (!json_node_equal (in, out))
    g_error ("round trip differs: %s", json_to_string (out, FALSE));

  /* optional members may be absent, empty or null */
  minimal = zg_employee_from_json (min_in, &error);
  g_assert_no_error (error);
  g_assert_cmpint (minimal->salutation, ==, ZG_SALUTATION_NONE);
  g_assert_null (minimal->title);
  g_assert_null (minimal->email);
  g_assert_false (g_date_valid (&minimal->birth_date));
  g_assert_cmpint (minimal->rev, ==, 0);
}

/* R-DATA-2: salutation is Herr/Frau/divers/none, nothing else. */
static void
test_salutation (void)
{
  static const struct
  {
    const char  *json;
    ZgSalutation value;
  } good[] = {
    { "\"herr\"", ZG_SALUTATION_HERR }, { "\"frau\"", ZG_SALUTATION_FRAU },
    { "\"divers\"", ZG_SALUTATION_DIVERS }, { "\"none\"", ZG_SALUTATION_NONE },
  };
  static const char *const bad[] = { "\"Herr\"", "\"mr\"", "\"\"", "1", "true", "[]" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(JsonNode) node = employee_with ("salutation", good[i].json);
      g_autoptr(ZgEmployee) e = zg_employee_from_json (node, NULL);

      g_assert_nonnull (e);
      g_assert_cmpint (e->salutation, ==, good[i].value);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = employee_with ("salutation", bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(ZgEmployee) e = zg_employee_from_json (node, &error);

      g_assert_null (e);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "employee.salutation"));
    }
}

typedef struct
{
  const char *member;
  const char *value;     /* raw JSON, NULL = remove the member */
  gint        code;
} BadCase;

static char *
repeat (char  c,
        guint n)
{
  char *s = g_malloc (n + 3);

  s[0] = '"';
  memset (s + 1, c, n);
  s[n + 1] = '"';
  s[n + 2] = '\0';
  return s;
}

static void
assert_employee_rejected (const char *member,
                          const char *value,
                          gint        code)
{
  g_autoptr(JsonNode) node = employee_with (member, value);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgEmployee) e = zg_employee_from_json (node, &error);

  if (e != NULL)
    g_error ("employee.%s = %s must be refused", member, value ? value : "(absent)");
  g_assert_error (error, ZG_MASTERDATA_ERROR, code);
  /* the message names the field */
  if (strstr (error->message, member) == NULL)
    g_error ("message “%s” does not name %s", error->message, member);
}

/* Wrong types, formats, dates and lengths: a clear error naming the field. */
static void
test_employee_rejections (void)
{
  static const BadCase cases[] = {
    { "id", NULL, ZG_MASTERDATA_ERROR_INVALID },
    { "id", "\"42\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "id", "\"5B0E8F1C-3C1D-4E55-9A53-1F0E2D3C4B5A\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "id", "42", ZG_MASTERDATA_ERROR_INVALID },
    { "rev", "-1", ZG_MASTERDATA_ERROR_INVALID },
    { "rev", "\"7\"", ZG_MASTERDATA_ERROR_INVALID },
    { "rev", "1.5", ZG_MASTERDATA_ERROR_INVALID },
    { "first_name", NULL, ZG_MASTERDATA_ERROR_INVALID },
    { "first_name", "\"\"", ZG_MASTERDATA_ERROR_INVALID },
    { "last_name", "[\"Muster\"]", ZG_MASTERDATA_ERROR_INVALID },
    { "first_name", "\"Erika\\nMuster\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "city", "\"K\\u0001ln\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "street", "\"Weg\\u007f1\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "birth_date", "\"1984-02-30\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "birth_date", "\"1985-02-29\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "birth_date", "\"1984-2-9\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "birth_date", "\"1899-12-31\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "birth_date", "\"29.02.1984\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "birth_date", "19840229", ZG_MASTERDATA_ERROR_FORMAT },
    { "exit_date", "\"2009-12-31\"", ZG_MASTERDATA_ERROR_FORMAT },     /* before entry */
    { "entry_date", "\"1980-01-01\"", ZG_MASTERDATA_ERROR_FORMAT },    /* before birth */
    { "postcode", "\"5066\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "postcode", "\"50667A\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "postcode", "\"5O667\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "postcode", "50667", ZG_MASTERDATA_ERROR_INVALID },
    { "country", "\"de\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "country", "\"DEU\"", ZG_MASTERDATA_ERROR_TOO_LONG },
    { "email", "\"erika\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "email", "\"erika@example\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "email", "\"erika@@example.de\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "email", "\".erika@example.de\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "email", "\"eri..ka@example.de\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "email", "\"erika@-example.de\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "email", "\"erika@example.d\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "email", "\"erika müller@example.de\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "email", "\"erika@exa_mple.de\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "exit_reason", "\"Kündigung\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "company_id", "\"ACME\"", ZG_MASTERDATA_ERROR_FORMAT },
    { "org_unit_id", "{}", ZG_MASTERDATA_ERROR_INVALID },
    { "salary", "50000", ZG_MASTERDATA_ERROR_INVALID },                /* unknown member */
  };
  g_autofree char *long_name = repeat ('a', ZG_MD_MAX_NAME + 1);
  g_autofree char *ok_name = repeat ('a', ZG_MD_MAX_NAME);
  g_autofree char *long_title = repeat ('a', ZG_MD_MAX_TITLE + 1);
  g_autofree char *long_email = NULL;
  g_autofree char *local = repeat ('a', 65);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_employee_rejected (cases[i].member, cases[i].value, cases[i].code);

  assert_employee_rejected ("last_name", long_name, ZG_MASTERDATA_ERROR_TOO_LONG);
  assert_employee_rejected ("title", long_title, ZG_MASTERDATA_ERROR_TOO_LONG);
  local[strlen (local) - 1] = '\0';
  long_email = g_strdup_printf ("%s@example.de\"", local);
  assert_employee_rejected ("email", long_email, ZG_MASTERDATA_ERROR_FORMAT);
  {
    g_autoptr(JsonNode) node = employee_with ("last_name", ok_name);
    g_autoptr(ZgEmployee) e = zg_employee_from_json (node, NULL);

    g_assert_nonnull (e);   /* the limit itself is allowed */
  }
  {
    g_autoptr(JsonNode) node = parse ("[]");
    g_autoptr(GError) error = NULL;
    g_autoptr(ZgEmployee) e = zg_employee_from_json (node, &error);

    g_assert_null (e);
    g_assert_error (error, ZG_MASTERDATA_ERROR, ZG_MASTERDATA_ERROR_INVALID);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(ZgEmployee) e = zg_employee_from_json (NULL, &error);

    g_assert_null (e);
    g_assert_error (error, ZG_MASTERDATA_ERROR, ZG_MASTERDATA_ERROR_INVALID);
  }
}

/* JSON text cannot carry invalid UTF-8 through the parser; nodes built in code can. */
static void
test_invalid_utf8 (void)
{
  static const char *const members[] = { "first_name", "city", "email", "birth_place" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autoptr(JsonNode) node = parse (full_employee);
      g_autoptr(GError) error = NULL;
      g_autoptr(ZgEmployee) e = NULL;

      json_object_set_string_member (json_node_get_object (node), members[i], "K\xc3\x28ln");
      e = zg_employee_from_json (node, &error);
      g_assert_null (e);
      g_assert_error (error, ZG_MASTERDATA_ERROR, ZG_MASTERDATA_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, members[i]));
    }
}

static void
test_postcode_and_email (void)
{
  static const char *const good_mail[] = {
    "a@b.de", "erika.mueller+hr@mail.example.com", "o'brien@example.ie",
    "x@xn--mnchen-3ya.de", "x@example.xn--p1ai",
  };

  g_assert_true (zg_md_is_valid_postcode ("01067", NULL));
  g_assert_true (zg_md_is_valid_postcode ("01067", "DE"));
  g_assert_false (zg_md_is_valid_postcode ("1067", "DE"));
  g_assert_true (zg_md_is_valid_postcode ("1010", "AT"));
  g_assert_false (zg_md_is_valid_postcode ("10100", "AT"));
  g_assert_true (zg_md_is_valid_postcode ("8001", "CH"));
  g_assert_true (zg_md_is_valid_postcode ("SW1A 1AA", "GB"));
  g_assert_false (zg_md_is_valid_postcode ("sw1a 1aa", "GB"));
  g_assert_false (zg_md_is_valid_postcode ("1", "FR"));
  for (guint i = 0; i < G_N_ELEMENTS (good_mail); i++)
    g_assert_true (zg_md_is_valid_email (good_mail[i]));

  /* a foreign address with its own postcode format */
  {
    g_autoptr(JsonNode) node = employee_with ("country", "\"AT\"");
    g_autoptr(GError) error = NULL;
    g_autoptr(ZgEmployee) e = zg_employee_from_json (node, &error);

    g_assert_null (e);   /* 50667 is no Austrian postcode */
    g_assert_error (error, ZG_MASTERDATA_ERROR, ZG_MASTERDATA_ERROR_FORMAT);
    g_assert_nonnull (strstr (error->message, "postcode"));
  }
}

/* Every member replaced by every JSON type: accepted or refused with an error, no crash,
 * never both (the suite also runs under ASan/UBSan). */
static void
test_employee_type_confusion (void)
{
  static const char *const values[] = {
    "null", "0", "-1", "9223372036854775807", "1.0", "true", "\"\"", "\"x\"", "[]", "{}",
    "[\"5b0e8f1c-3c1d-4e55-9a53-1f0e2d3c4b5a\"]", "{\"a\":1}",
  };
  g_autoptr(JsonNode) base = parse (full_employee);
  g_autoptr(GList) names = json_object_get_members (json_node_get_object (base));
  guint accepted = 0, refused = 0;

  for (const GList *l = names; l != NULL; l = l->next)
    for (guint v = 0; v < G_N_ELEMENTS (values); v++)
      {
        g_autoptr(JsonNode) node = employee_with (l->data, values[v]);
        g_autoptr(GError) error = NULL;
        g_autoptr(ZgEmployee) e = zg_employee_from_json (node, &error);

        g_assert_true ((e == NULL) != (error == NULL));
        if (e != NULL)
          accepted++;
        else
          refused++;
      }
  g_test_message ("%u accepted, %u refused", accepted, refused);
  g_assert_cmpuint (refused, >, accepted);
}

/* The employee's typed attributes are what the access decision sees (R-ACL-1). */
static void
test_employee_subject (void)
{
  g_autoptr(JsonNode) node = parse (full_employee);
  g_autoptr(ZgEmployee) employee = zg_employee_from_json (node, NULL);
  g_autoptr(ZgAccessCriteria) criteria = zg_access_criteria_new ();
  ZgCaller caller = { "a0000000-0000-4000-8000-000000000001", ZG_AREA_MITARBEITER, criteria,
                      FALSE };
  ZgAccessSubject subject;

  g_assert_nonnull (employee);
  zg_employee_get_subject (employee, &subject);
  g_assert_cmpstr (subject.dims[ZG_DIM_COMPANY], ==, COMP_ID);
  g_assert_cmpstr (subject.dims[ZG_DIM_EMPLOYEE_TYPE], ==, TYPE_ID);
  g_assert_false (subject.is_private);

  for (guint d = 0; d < ZG_N_DIMS; d++)
    zg_access_criteria_set_all (criteria, d);
  g_assert_true (zg_access_criteria_add (criteria, ZG_DIM_LOCATION, LOC_ID, NULL));
  g_assert_true (zg_access_may_edit_employee (&caller, &subject));
  g_clear_pointer (&employee->location_id, g_free);
  zg_employee_get_subject (employee, &subject);
  g_assert_false (zg_access_may_see_employee (&caller, &subject));
}

static const char full_company[] =
  "{\"id\":\"" COMP_ID "\",\"rev\":3,\"name\":\"Beispiel GmbH\",\"street\":\"Ring 5\","
  "\"postcode\":\"80331\",\"city\":\"München\",\"country\":\"DE\","
  "\"description\":\"Wir bauen Maschinen.\\nSeit 1950.\","
  "\"locations\":[{\"id\":\"" LOC_ID "\",\"name\":\"München\"}],"
  "\"departments\":[{\"id\":\"" DEP_ID "\",\"name\":\"Einkauf\"}],"
  "\"org_units\":[{\"id\":\"" ORG_ID "\",\"name\":\"Team Nord\"}]}";

static void
test_company (void)
{
  static const char *const bad[] = {
    "{\"id\":\"" COMP_ID "\"}",                                             /* no name */
    "{\"id\":\"" COMP_ID "\",\"name\":\"A\",\"locations\":{}}",
    "{\"id\":\"" COMP_ID "\",\"name\":\"A\",\"locations\":[\"x\"]}",
    "{\"id\":\"" COMP_ID "\",\"name\":\"A\",\"locations\":[{\"id\":\"" LOC_ID "\"}]}",
    "{\"id\":\"" COMP_ID "\",\"name\":\"A\",\"locations\":[{\"id\":\"" LOC_ID "\","
    "\"name\":\"X\",\"code\":1}]}",
    "{\"id\":\"" COMP_ID "\",\"name\":\"A\",\"locations\":[{\"id\":\"" LOC_ID "\",\"name\":\"X\"}],"
    "\"departments\":[{\"id\":\"" LOC_ID "\",\"name\":\"Y\"}]}",            /* id twice */
    "{\"id\":\"" COMP_ID "\",\"name\":\"A\",\"postcode\":\"8033\"}",
    "{\"id\":\"" COMP_ID "\",\"name\":\"A\\tB\"}",
    "{\"id\":\"" COMP_ID "\",\"name\":\"A\",\"website\":\"x\"}",
  };
  g_autoptr(JsonNode) in = parse (full_company);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCompany) company = zg_company_from_json (in, &error);
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(GString) many = g_string_new ("{\"id\":\"" COMP_ID "\",\"name\":\"A\",\"org_units\":[");

  g_assert_no_error (error);
  g_assert_cmpuint (company->locations->len, ==, 1);
  g_assert_cmpstr (zg_company_find_unit (company, ZG_DIM_DEPARTMENT, DEP_ID)->name, ==, "Einkauf");
  g_assert_null (zg_company_find_unit (company, ZG_DIM_LOCATION, DEP_ID));
  out = zg_company_to_json (company);
  g_assert_true (json_node_equal (in, out));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse (bad[i]);
      g_autoptr(GError) e = NULL;
      g_autoptr(ZgCompany) c = zg_company_from_json (node, &e);

      if (c != NULL)
        g_error ("must be refused: %s", bad[i]);
      g_assert_nonnull (e);
      g_assert_true (g_str_has_prefix (e->message, "“company.") ||
                     g_str_has_prefix (e->message, "Unknown member “company."));
    }

  for (guint i = 0; i <= ZG_MD_MAX_UNITS; i++)
    g_string_append_printf (many, "%s{\"id\":\"00000000-0000-4000-8000-%012x\",\"name\":\"U\"}",
                            i ? "," : "", i);
  g_string_append (many, "]}");
  {
    g_autoptr(JsonNode) node = parse (many->str);
    g_autoptr(GError) e = NULL;
    g_autoptr(ZgCompany) c = zg_company_from_json (node, &e);

    g_assert_null (c);
    g_assert_error (e, ZG_MASTERDATA_ERROR, ZG_MASTERDATA_ERROR_TOO_LONG);
  }
}

static void
test_employee_type (void)
{
  g_autoptr(JsonNode) in = parse ("{\"id\":\"" TYPE_ID "\",\"rev\":1,\"name\":\"Führungskraft\","
                                  "\"key\":\"fuehrungskraft\",\"manager\":true}");
  g_autoptr(ZgEmployeeType) type = zg_employee_type_from_json (in, NULL);
  g_autoptr(JsonNode) out = NULL;
  static const char *const bad[] = {
    "{\"id\":\"" TYPE_ID "\",\"name\":\"X\",\"key\":\"Führung\"}",
    "{\"id\":\"" TYPE_ID "\",\"name\":\"X\",\"manager\":\"yes\"}",
    "{\"id\":\"" TYPE_ID "\",\"key\":\"x\"}",
  };

  g_assert_nonnull (type);
  g_assert_true (type->is_manager);
  out = zg_employee_type_to_json (type);
  g_assert_true (json_node_equal (in, out));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse (bad[i]);
      g_autoptr(GError) e = NULL;
      g_autoptr(ZgEmployeeType) t = zg_employee_type_from_json (node, &e);

      g_assert_null (t);
      g_assert_nonnull (strstr (e->message, "employee_type."));
    }
}

/* R-APP-2: a Berufsbild with its task list. */
static void
test_berufsbild (void)
{
  g_autoptr(JsonNode) in = parse ("{\"id\":\"" EMP_ID "\",\"rev\":0,\"name\":\"Industriekaufmann/-frau\","
                                  "\"language\":\"de\",\"tasks\":[\"Angebote einholen\","
                                  "\"Bestellungen auslösen\"]}");
  g_autoptr(ZgBerufsbild) b = zg_berufsbild_from_json (in, NULL);
  g_autoptr(JsonNode) out = NULL;
  g_autofree char *long_task = repeat ('t', ZG_MD_MAX_TEXT + 1);
  g_autofree char *bad_long = g_strdup_printf ("{\"id\":\"" EMP_ID "\",\"name\":\"X\","
                                               "\"tasks\":[%s]}", long_task);
  g_autoptr(GString) many = g_string_new ("{\"id\":\"" EMP_ID "\",\"name\":\"X\",\"tasks\":[");
  const char *bad[] = {
    "{\"id\":\"" EMP_ID "\",\"name\":\"X\",\"tasks\":[\"\"]}",
    "{\"id\":\"" EMP_ID "\",\"name\":\"X\",\"tasks\":[1]}",
    "{\"id\":\"" EMP_ID "\",\"name\":\"X\",\"tasks\":\"a\"}",
    "{\"id\":\"" EMP_ID "\",\"name\":\"X\",\"language\":\"fr\"}",
    "{\"id\":\"" EMP_ID "\",\"name\":\"X\",\"tasks\":[\"a\\nb\"]}",
    bad_long,
    NULL,
  };

  g_assert_nonnull (b);
  g_assert_cmpuint (b->tasks->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (b->tasks, 1), ==, "Bestellungen auslösen");
  out = zg_berufsbild_to_json (b);
  g_assert_true (json_node_equal (in, out));

  for (guint i = 0; i <= ZG_MD_MAX_TASKS; i++)
    g_string_append_printf (many, "%s\"Aufgabe %u\"", i ? "," : "", i);
  g_string_append (many, "]}");
  bad[G_N_ELEMENTS (bad) - 1] = many->str;
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse (bad[i]);
      g_autoptr(GError) e = NULL;
      g_autoptr(ZgBerufsbild) x = zg_berufsbild_from_json (node, &e);

      g_assert_null (x);
      g_assert_nonnull (e);
      g_assert_nonnull (strstr (e->message, "berufsbild."));
    }
}

/* R-APP-4: a catalogue entry, personal or professional. */
static void
test_qualification (void)
{
  g_autoptr(JsonNode) in = parse ("{\"id\":\"" EMP_ID "\",\"rev\":2,\"kind\":\"personal\","
                                  "\"name\":\"Teamfähigkeit\",\"text\":\"arbeitete stets "
                                  "vertrauensvoll im Team\",\"language\":\"de\"}");
  g_autoptr(ZgQualification) q = zg_qualification_from_json (in, NULL);
  g_autoptr(JsonNode) out = NULL;
  static const char *const bad[] = {
    "{\"id\":\"" EMP_ID "\",\"name\":\"X\"}",
    "{\"id\":\"" EMP_ID "\",\"name\":\"X\",\"kind\":\"soft\"}",
    "{\"id\":\"" EMP_ID "\",\"kind\":\"professional\"}",
  };

  g_assert_nonnull (q);
  g_assert_cmpint (q->kind, ==, ZG_QUALIFICATION_PERSONAL);
  out = zg_qualification_to_json (q);
  g_assert_true (json_node_equal (in, out));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = parse (bad[i]);
      g_autoptr(GError) e = NULL;
      g_autoptr(ZgQualification) x = zg_qualification_from_json (node, &e);

      g_assert_null (x);
      g_assert_nonnull (strstr (e->message, "qualification."));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Zeugnis/Shared/Masterdata/employee-round-trip-R-DATA-2",
                   test_employee_round_trip);
  g_test_add_func ("/Zeugnis/Shared/Masterdata/salutation-R-DATA-2", test_salutation);
  g_test_add_func ("/Zeugnis/Shared/Masterdata/employee-rejections", test_employee_rejections);
  g_test_add_func ("/Zeugnis/Shared/Masterdata/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/Zeugnis/Shared/Masterdata/postcode-and-email", test_postcode_and_email);
  g_test_add_func ("/Zeugnis/Shared/Masterdata/type-confusion", test_employee_type_confusion);
  g_test_add_func ("/Zeugnis/Shared/Masterdata/employee-subject-R-ACL-1", test_employee_subject);
  g_test_add_func ("/Zeugnis/Shared/Masterdata/company", test_company);
  g_test_add_func ("/Zeugnis/Shared/Masterdata/employee-type", test_employee_type);
  g_test_add_func ("/Zeugnis/Shared/Masterdata/berufsbild-R-APP-2", test_berufsbild);
  g_test_add_func ("/Zeugnis/Shared/Masterdata/qualification-R-APP-4", test_qualification);

  return g_test_run ();
}
