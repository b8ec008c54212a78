/* test-access.c — who may see and edit which certificate and employee
 *
 * R-ACL-1 (criteria per dimension), R-ACL-2 (Administrator criterion), R-ACL-3
 * (private certificates), R-ACL-4 (the SQL filter the sync uses agrees with the C
 * decision), R-ROLE-1/R-ROLE-2 (areas guard master data).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "zg-access.h"
#include "zg-sections.h"

#define C1 "00000000-0000-4000-8000-0000000000c1"
#define C2 "00000000-0000-4000-8000-0000000000c2"
#define L1 "00000000-0000-4000-8000-0000000000a1"
#define L2 "00000000-0000-4000-8000-0000000000a2"
#define D1 "00000000-0000-4000-8000-0000000000d1"
#define D2 "00000000-0000-4000-8000-0000000000d2"
#define O1 "00000000-0000-4000-8000-0000000000e1"
#define O2 "00000000-0000-4000-8000-0000000000e2"
#define T1 "00000000-0000-4000-8000-0000000000f1"
#define T2 "00000000-0000-4000-8000-0000000000f2"
#define U1 "00000000-0000-4000-8000-000000000001"
#define U2 "00000000-0000-4000-8000-000000000002"

/* Per dimension the two ids of the matrix; a subject takes id 1, id 2 or none. */
static const char *const dim_values[ZG_N_DIMS][2] = {
  { C1, C2 }, { L1, L2 }, { D1, D2 }, { O1, O2 }, { T1, T2 },
};
static const char *const creators[] = { U1, U2, NULL };

#define N_COMBOS (3 * 3 * 3 * 3 * 3)
#define N_SUBJECTS (N_COMBOS * 2 * 3)

static void
subject_at (guint            n,
            ZgAccessSubject *s)
{
  guint combo = n % N_COMBOS;
  guint rest = n / N_COMBOS;

  memset (s, 0, sizeof *s);
  for (guint d = 0; d < ZG_N_DIMS; d++)
    {
      guint v = combo % 3;

      combo /= 3;
      s->dims[d] = v < 2 ? dim_values[d][v] : NULL;
    }
  s->is_private = (rest % 2) == 1;
  s->creator_id = creators[rest / 2];
}

/* The specification of one caller, written independently of zg-access.c: per dimension
 * NULL = "all", otherwise a NULL-terminated list of allowed ids (possibly empty). */
typedef struct
{
  const char        *name;
  const char        *user_id;
  gboolean           has_criteria;
  gboolean           administrator;
  const char *const *allowed[ZG_N_DIMS];
  ZgAreaSet          areas;
  gboolean           read_only;
} CallerSpec;

static const char *const only_c1[] = { C1, NULL };
static const char *const both_c[] = { C1, C2, NULL };
static const char *const only_l2[] = { L2, NULL };
static const char *const only_d1[] = { D1, NULL };
static const char *const both_o[] = { O1, O2, NULL };
static const char *const only_o1[] = { O1, NULL };
static const char *const only_t1[] = { T1, NULL };
static const char *const nothing[] = { NULL };

static const CallerSpec caller_specs[] = {
  /* R-ACL-2: sees everything, private ones too; no area needed for that */
  { "administrator-criterion", U2, TRUE, TRUE, { NULL }, ZG_AREA_SET_NONE, FALSE },
  { "unrestricted-creator", U1, TRUE, FALSE, { NULL, NULL, NULL, NULL, NULL },
    ZG_AREA_MITARBEITER, FALSE },
  { "unrestricted-other", U2, TRUE, FALSE, { NULL, NULL, NULL, NULL, NULL },
    ZG_AREA_ADMINISTRATOR, FALSE },
  { "new-criteria-nothing", U1, TRUE, FALSE, { nothing, nothing, nothing, nothing, nothing },
    ZG_AREA_SET_ALL, FALSE },
  { "company-c1", U1, TRUE, FALSE, { only_c1, NULL, NULL, NULL, NULL },
    ZG_AREA_MITARBEITER, FALSE },
  { "company-c1-location-l2", U2, TRUE, FALSE, { only_c1, only_l2, NULL, NULL, NULL },
    ZG_AREA_MITARBEITER | ZG_AREA_BERUFSBILDER, FALSE },
  { "companies-but-no-location", U1, TRUE, FALSE, { both_c, nothing, NULL, NULL, NULL },
    ZG_AREA_MITARBEITER, FALSE },
  { "orgunits-type-t1", U1, TRUE, FALSE, { NULL, NULL, NULL, both_o, only_t1 },
    ZG_AREA_SET_NONE, FALSE },
  { "all-five-restricted", U1, TRUE, FALSE, { only_c1, only_l2, only_d1, only_o1, only_t1 },
    ZG_AREA_UNTERNEHMEN, FALSE },
  { "no-criteria", U1, FALSE, FALSE, { NULL }, ZG_AREA_SET_ALL, FALSE },
  { "accountless-unrestricted", NULL, TRUE, FALSE, { NULL, NULL, NULL, NULL, NULL },
    ZG_AREA_SET_NONE, FALSE },
  { "read-only-company-c1", U1, TRUE, FALSE, { only_c1, NULL, NULL, NULL, NULL },
    ZG_AREA_SET_ALL, TRUE },
};

static gboolean
spec_allows (const char *const *allowed,
             const char        *value)
{
  if (allowed == NULL)
    return TRUE;
  if (value == NULL)
    return FALSE;
  for (guint i = 0; allowed[i] != NULL; i++)
    if (g_str_equal (allowed[i], value))
      return TRUE;
  return FALSE;
}

static gboolean
spec_sees (const CallerSpec      *spec,
           const ZgAccessSubject *s,
           gboolean               is_certificate)
{
  if (!spec->has_criteria)
    return FALSE;
  if (spec->administrator)
    return TRUE;
  for (guint d = 0; d < ZG_N_DIMS; d++)
    if (!spec_allows (spec->allowed[d], s->dims[d]))
      return FALSE;
  if (is_certificate && s->is_private)
    return spec->user_id != NULL && g_strcmp0 (spec->user_id, s->creator_id) == 0;
  return TRUE;
}

static ZgAccessCriteria *
criteria_from_spec (const CallerSpec *spec)
{
  ZgAccessCriteria *criteria;

  if (!spec->has_criteria)
    return NULL;
  criteria = zg_access_criteria_new ();
  zg_access_criteria_set_administrator (criteria, spec->administrator);
  for (guint d = 0; d < ZG_N_DIMS; d++)
    {
      if (spec->allowed[d] == NULL)
        {
          zg_access_criteria_set_all (criteria, d);
          continue;
        }
      for (guint i = 0; spec->allowed[d][i] != NULL; i++)
        {
          g_autoptr(GError) error = NULL;

          g_assert_true (zg_access_criteria_add (criteria, d, spec->allowed[d][i], &error));
          g_assert_no_error (error);
        }
    }
  return criteria;
}

static ZgCaller
caller_from_spec (const CallerSpec *spec,
                  ZgAccessCriteria *criteria)
{
  ZgCaller caller = { spec->user_id, spec->areas, criteria, spec->read_only };

  return caller;
}

/* R-ACL-1, R-ACL-2, R-ACL-3: every caller x every subject, see and edit, certificates
 * and employees, against the independent specification above. */
static void
test_matrix (void)
{
  for (guint c = 0; c < G_N_ELEMENTS (caller_specs); c++)
    {
      const CallerSpec *spec = &caller_specs[c];
      g_autoptr(ZgAccessCriteria) criteria = criteria_from_spec (spec);
      ZgCaller caller = caller_from_spec (spec, criteria);
      guint seen = 0;

      for (guint n = 0; n < N_SUBJECTS; n++)
        {
          ZgAccessSubject s;
          gboolean cert_see, emp_see;

          subject_at (n, &s);
          cert_see = spec_sees (spec, &s, TRUE);
          emp_see = spec_sees (spec, &s, FALSE);
          if (zg_access_may_see_certificate (&caller, &s) != cert_see)
            g_error ("%s / subject %u: certificate visibility should be %d", spec->name, n,
                     cert_see);
          g_assert_cmpint (zg_access_may_edit_certificate (&caller, &s), ==,
                           cert_see && !spec->read_only);
          g_assert_cmpint (zg_access_may_see_employee (&caller, &s), ==, emp_see);
          /* R-ROLE-1: editing employees needs the Mitarbeiter area as well */
          g_assert_cmpint (zg_access_may_edit_employee (&caller, &s), ==,
                           emp_see && !spec->read_only && spec->user_id != NULL &&
                           zg_area_set_grants (spec->areas, ZG_AREA_MITARBEITER));
          /* R-ACL-3: only the creator or an Administrator-criterion user flips "private" */
          g_assert_cmpint (zg_access_may_set_private (&caller, &s), ==,
                           cert_see && !spec->read_only &&
                           (spec->administrator ||
                            (spec->user_id != NULL && g_strcmp0 (spec->user_id, s.creator_id) == 0)));
          /* a new record must lie inside the creator's own criteria */
          {
            ZgAccessSubject mine = s;

            mine.creator_id = spec->user_id;
            g_assert_cmpint (zg_access_may_create_certificate (&caller, &s), ==,
                             spec->user_id != NULL && !spec->read_only &&
                             spec_sees (spec, &mine, TRUE));
            g_assert_cmpint (zg_access_may_create_employee (&caller, &s), ==,
                             zg_access_may_edit_employee (&caller, &s));
          }
          seen += cert_see;
        }
      g_test_message ("%s sees %u of %u certificates", spec->name, seen, N_SUBJECTS);
    }
}

static guint
count_visible (const CallerSpec *spec)
{
  g_autoptr(ZgAccessCriteria) criteria = criteria_from_spec (spec);
  ZgCaller caller = caller_from_spec (spec, criteria);
  guint seen = 0;

  for (guint n = 0; n < N_SUBJECTS; n++)
    {
      ZgAccessSubject s;

      subject_at (n, &s);
      seen += zg_access_may_see_certificate (&caller, &s);
    }
  return seen;
}

static const CallerSpec *
spec_named (const char *name)
{
  for (guint c = 0; c < G_N_ELEMENTS (caller_specs); c++)
    if (g_str_equal (caller_specs[c].name, name))
      return &caller_specs[c];
  g_assert_not_reached ();
}

/* The matrix in numbers: 3 values per dimension, 2 private states, 3 creators.
 * A non-private subject is seen by a matching caller whatever its creator (3), a private
 * one only if created by the caller (1): 4 of 6 variants per dimension combination. */
static void
test_matrix_counts (void)
{
  /* R-ACL-2: all, including every private certificate */
  g_assert_cmpuint (count_visible (spec_named ("administrator-criterion")), ==, N_SUBJECTS);
  /* R-ACL-3: unrestricted criteria still hide others' private certificates */
  g_assert_cmpuint (count_visible (spec_named ("unrestricted-creator")), ==, N_COMBOS * 4);
  g_assert_cmpuint (count_visible (spec_named ("unrestricted-other")), ==, N_COMBOS * 4);
  /* the safe default: new criteria, empty sets, no criteria at all -> nothing */
  g_assert_cmpuint (count_visible (spec_named ("new-criteria-nothing")), ==, 0);
  g_assert_cmpuint (count_visible (spec_named ("companies-but-no-location")), ==, 0);
  g_assert_cmpuint (count_visible (spec_named ("no-criteria")), ==, 0);
  /* R-ACL-1: one fixed company, four free dimensions (3^4 combinations) */
  g_assert_cmpuint (count_visible (spec_named ("company-c1")), ==, 81 * 4);
  g_assert_cmpuint (count_visible (spec_named ("company-c1-location-l2")), ==, 27 * 4);
  g_assert_cmpuint (count_visible (spec_named ("orgunits-type-t1")), ==, 27 * 2 * 4);
  g_assert_cmpuint (count_visible (spec_named ("all-five-restricted")), ==, 4);
  /* no account, so no certificate is its own: private ones stay hidden */
  g_assert_cmpuint (count_visible (spec_named ("accountless-unrestricted")), ==, N_COMBOS * 3);
}

/* Named cases of the rules, readable without the matrix. */
static void
test_private_rule (void)
{
  g_autoptr(ZgAccessCriteria) all = zg_access_criteria_new ();
  g_autoptr(ZgAccessCriteria) c2_only = zg_access_criteria_new ();
  g_autoptr(ZgAccessCriteria) admin = zg_access_criteria_new_administrator ();
  ZgAccessSubject cert = { { C1, L1, D1, O1, T1 }, TRUE, U1 };
  ZgCaller creator = { U1, ZG_AREA_SET_NONE, all, FALSE };
  ZgCaller colleague = { U2, ZG_AREA_SET_ALL, all, FALSE };
  ZgCaller administrator = { U2, ZG_AREA_SET_NONE, admin, FALSE };
  ZgCaller creator_moved = { U1, ZG_AREA_SET_NONE, c2_only, FALSE };

  for (guint d = 0; d < ZG_N_DIMS; d++)
    zg_access_criteria_set_all (all, d);
  for (guint d = 0; d < ZG_N_DIMS; d++)
    zg_access_criteria_set_all (c2_only, d);
  g_assert_true (zg_access_criteria_add (c2_only, ZG_DIM_COMPANY, C2, NULL));

  /* R-ACL-3: creator and Administrator criterion see it; the colleague with every area
   * (Administrator area included) does not */
  g_assert_true (zg_access_may_see_certificate (&creator, &cert));
  g_assert_true (zg_access_may_see_certificate (&administrator, &cert));
  g_assert_false (zg_access_may_see_certificate (&colleague, &cert));
  /* the private mark narrows, it does not widen: a creator outside the criteria is out */
  g_assert_false (zg_access_may_see_certificate (&creator_moved, &cert));
  cert.is_private = FALSE;
  g_assert_true (zg_access_may_see_certificate (&colleague, &cert));
  g_assert_false (zg_access_may_set_private (&colleague, &cert));
  g_assert_true (zg_access_may_set_private (&creator, &cert));
  g_assert_true (zg_access_may_set_private (&administrator, &cert));
}

/* R-ACL-3: invisible is NOT_FOUND (404), whatever the reason; visible but not editable
 * is FORBIDDEN. */
static void
test_not_found_contract (void)
{
  g_autoptr(ZgAccessCriteria) c1 = zg_access_criteria_new ();
  ZgAccessSubject other_company = { { C2, NULL, NULL, NULL, NULL }, FALSE, U1 };
  ZgAccessSubject others_private = { { C1, NULL, NULL, NULL, NULL }, TRUE, U1 };
  ZgAccessSubject own = { { C1, NULL, NULL, NULL, NULL }, FALSE, U2 };
  ZgCaller caller = { U2, ZG_AREA_SET_NONE, c1, FALSE };
  ZgCaller read_only = { U2, ZG_AREA_SET_ALL, c1, TRUE };
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(GError) e4 = NULL;

  for (guint d = 0; d < ZG_N_DIMS; d++)
    zg_access_criteria_set_all (c1, d);
  g_assert_true (zg_access_criteria_add (c1, ZG_DIM_COMPANY, C1, NULL));

  g_assert_false (zg_access_check_certificate (&caller, &other_company, FALSE, &e1));
  g_assert_error (e1, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_NOT_FOUND);
  g_assert_false (zg_access_check_certificate (&caller, &others_private, TRUE, &e2));
  g_assert_error (e2, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_NOT_FOUND);
  /* the two reasons produce the same message: nothing tells them apart */
  g_assert_cmpstr (e1->message, ==, e2->message);
  g_assert_true (zg_access_check_certificate (&caller, &own, TRUE, NULL));
  g_assert_false (zg_access_check_certificate (&read_only, &own, TRUE, &e3));
  g_assert_error (e3, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_FORBIDDEN);
  /* employees: visible without the Mitarbeiter area, not editable */
  g_assert_true (zg_access_check_employee (&caller, &own, FALSE, NULL));
  g_assert_false (zg_access_check_employee (&caller, &own, TRUE, &e4));
  g_assert_error (e4, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_FORBIDDEN);
  g_clear_error (&e4);
  g_assert_false (zg_access_check_employee (&caller, &other_company, TRUE, &e4));
  g_assert_error (e4, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_NOT_FOUND);
}

/* A push of an HR user: visibility first (404), then edit right, then every field. */
static void
test_certificate_change (void)
{
  g_autoptr(ZgAccessCriteria) c1 = zg_access_criteria_new ();
  ZgAccessSubject own = { { C1, NULL, NULL, NULL, NULL }, FALSE, U1 };
  ZgAccessSubject colleagues = { { C1, NULL, NULL, NULL, NULL }, FALSE, U2 };
  ZgAccessSubject hidden = { { C2, NULL, NULL, NULL, NULL }, FALSE, U1 };
  ZgCaller caller = { U1, ZG_AREA_SET_NONE, c1, FALSE };
  const char *const content[] = { "daten.persoenliche_daten.first_name",
                                  "bewertung.bewertung.grades.wissen", "ergebnis.text", NULL };
  const char *const with_private[] = { "ergebnis.text", "private", NULL };
  const char *const with_status[] = { "ergebnis.text", "status", NULL };
  const char *const with_process[] = { "ergebnis.text", "prozess", NULL };
  const char *const with_process_below[] = { "prozess.events[0].by_name", NULL };
  const char *const with_id[] = { "id", NULL };
  const char *const with_unknown[] = { "ergebnis.text", "daten.gehalt", NULL };
  GError *error = NULL;

  for (guint d = 0; d < ZG_N_DIMS; d++)
    zg_access_criteria_set_all (c1, d);
  g_assert_true (zg_access_criteria_add (c1, ZG_DIM_COMPANY, C1, NULL));

  g_assert_true (zg_access_check_certificate_change (&caller, &own, content, &error));
  g_assert_no_error (error);
  g_assert_true (zg_access_check_certificate_change (&caller, &own, with_private, &error));
  g_assert_no_error (error);
  /* R-ACL-3: someone else's certificate: content yes, the private mark no */
  g_assert_true (zg_access_check_certificate_change (&caller, &colleagues, content, NULL));
  g_assert_false (zg_access_check_certificate_change (&caller, &colleagues, with_private, &error));
  g_assert_error (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_FORBIDDEN);
  g_clear_error (&error);
  /* The status may be changed by whoever may edit; which value is allowed is zg-workflow's
   * decision (test-workflow). The process data (R-DATA-4) are the server's only. */
  g_assert_true (zg_access_check_certificate_change (&caller, &own, with_status, &error));
  g_assert_no_error (error);
  g_assert_true (zg_access_check_certificate_change (&caller, &colleagues, with_status, NULL));
  g_assert_false (zg_access_check_certificate_change (&caller, &own, with_process, &error));
  g_assert_error (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (zg_access_check_certificate_change (&caller, &own, with_process_below, &error));
  g_assert_error (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (zg_access_check_certificate_change (&caller, &own, with_id, &error));
  g_assert_error (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (zg_access_check_certificate_change (&caller, &own, with_unknown, &error));
  g_assert_error (error, ZG_SECTIONS_ERROR, ZG_SECTIONS_ERROR_UNKNOWN_FIELD);
  g_clear_error (&error);
  /* invisible: not found, even for a harmless field */
  g_assert_false (zg_access_check_certificate_change (&caller, &hidden, content, &error));
  g_assert_error (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (zg_access_check_certificate_change (&caller, &hidden, with_status, &error));
  g_assert_error (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* read-only (R-CONTRACT-1): sees it, changes neither content nor status */
  caller.read_only = TRUE;
  g_assert_false (zg_access_check_certificate_change (&caller, &own, with_status, &error));
  g_assert_error (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_FORBIDDEN);
  g_clear_error (&error);
  caller.read_only = FALSE;
  /* creating: only inside the own criteria; no account, no certificate */
  g_assert_true (zg_access_may_create_certificate (&caller, &colleagues));
  g_assert_false (zg_access_may_create_certificate (&caller, &hidden));
  caller.user_id = NULL;
  g_assert_false (zg_access_may_create_certificate (&caller, &own));
}

/* R-ROLE-1, R-ROLE-2: each master-data kind is guarded by its area. */
static void
test_master_data_areas (void)
{
  static const struct
  {
    ZgMasterKind kind;
    ZgArea       area;
  } expected[] = {
    { ZG_MASTER_EMPLOYEE, ZG_AREA_MITARBEITER },
    { ZG_MASTER_COMPANY, ZG_AREA_UNTERNEHMEN },
    { ZG_MASTER_EMPLOYEE_TYPE, ZG_AREA_UNTERNEHMEN },
    { ZG_MASTER_BERUFSBILD, ZG_AREA_BERUFSBILDER },
    { ZG_MASTER_QUALIFICATION, ZG_AREA_QUALIFIKATIONEN },
    { ZG_MASTER_FORMATTING, ZG_AREA_ZEUGNISFORMATIERUNG },
    { ZG_MASTER_LETTER_TEXT, ZG_AREA_BRIEFTEXTE },
    { ZG_MASTER_MAIL_TEMPLATE, ZG_AREA_EMAIL_VORLAGEN },
    { ZG_MASTER_PHRASES, ZG_AREA_INDIVIDUALISIERUNG },
  };
  g_autoptr(ZgAccessCriteria) criteria = zg_access_criteria_new ();

  g_assert_cmpuint (G_N_ELEMENTS (expected), ==, ZG_N_MASTER_KINDS);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      ZgCaller with = { U1, expected[i].area, criteria, FALSE };
      ZgCaller without = { U1, ZG_AREA_SET_ALL & ~(ZgAreaSet) expected[i].area &
                                 ~(ZgAreaSet) ZG_AREA_ADMINISTRATOR, criteria, FALSE };
      ZgCaller admin_area = { U1, ZG_AREA_ADMINISTRATOR, NULL, FALSE };
      ZgCaller no_area = { U1, ZG_AREA_SET_NONE, criteria, FALSE };
      ZgCaller read_only = { U1, ZG_AREA_SET_ALL, criteria, TRUE };
      ZgCaller accountless = { NULL, ZG_AREA_SET_ALL, criteria, FALSE };

      g_assert_cmpint (zg_master_kind_area (expected[i].kind), ==, expected[i].area);
      g_assert_true (zg_access_may_touch_master_data (&with, expected[i].kind));
      g_assert_false (zg_access_may_touch_master_data (&without, expected[i].kind));
      g_assert_true (zg_access_may_touch_master_data (&admin_area, expected[i].kind));
      g_assert_false (zg_access_may_touch_master_data (&no_area, expected[i].kind));
      g_assert_false (zg_access_may_touch_master_data (&read_only, expected[i].kind));
      g_assert_false (zg_access_may_touch_master_data (&accountless, expected[i].kind));
      /* reading catalogues needs an account, not an area */
      g_assert_true (zg_access_may_read_master_data (&no_area, expected[i].kind));
      g_assert_false (zg_access_may_read_master_data (&accountless, expected[i].kind));
    }
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
test_criteria_json (void)
{
  static const char *const bad[] = {
    "[]",
    "{\"companies\": \"everything\"}",
    "{\"companies\": [1]}",
    "{\"companies\": [\"not-a-uuid\"]}",
    "{\"companies\": [\"00000000-0000-4000-8000-0000000000C1\"]}",   /* upper case */
    "{\"companies\": {}}",
    "{\"administrator\": 1}",
    "{\"administrator\": false, \"sites\": \"all\"}",
  };
  g_autoptr(JsonNode) node = parse ("{\"administrator\": false, \"companies\": [\"" C1 "\", \""
                                    C2 "\", \"" C1 "\"], \"locations\": \"all\", "
                                    "\"departments\": [], \"org_units\": \"all\"}");
  g_autoptr(ZgAccessCriteria) criteria = NULL;
  g_autoptr(ZgAccessCriteria) again = NULL;
  g_autoptr(ZgAccessCriteria) copy = NULL;
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(JsonNode) out2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) many = g_string_new ("{\"companies\": [");

  criteria = zg_access_criteria_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (criteria);
  g_assert_false (zg_access_criteria_is_administrator (criteria));
  g_assert_true (zg_access_criteria_allows (criteria, ZG_DIM_COMPANY, C2));
  g_assert_false (zg_access_criteria_allows (criteria, ZG_DIM_COMPANY, NULL));
  g_assert_true (zg_access_criteria_is_all (criteria, ZG_DIM_LOCATION));
  g_assert_true (zg_access_criteria_allows (criteria, ZG_DIM_LOCATION, NULL));
  /* an empty set and an absent dimension both allow nothing */
  g_assert_false (zg_access_criteria_allows (criteria, ZG_DIM_DEPARTMENT, D1));
  g_assert_false (zg_access_criteria_is_all (criteria, ZG_DIM_EMPLOYEE_TYPE));
  g_assert_false (zg_access_criteria_allows (criteria, ZG_DIM_EMPLOYEE_TYPE, T1));

  out = zg_access_criteria_to_json (criteria);
  again = zg_access_criteria_from_json (out, &error);
  g_assert_no_error (error);
  copy = zg_access_criteria_copy (again);
  out2 = zg_access_criteria_to_json (copy);
  g_assert_true (json_node_equal (out, out2));
  {
    g_autofree char *text = json_to_string (out, FALSE);

    /* duplicates collapse */
    g_assert_cmpstr (text, ==, "{\"administrator\":false,\"companies\":[\"" C1 "\",\"" C2 "\"],"
                     "\"locations\":\"all\",\"departments\":[],\"org_units\":\"all\","
                     "\"employee_types\":[]}");
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) b = parse (bad[i]);
      g_autoptr(GError) e = NULL;
      g_autoptr(ZgAccessCriteria) none = zg_access_criteria_from_json (b, &e);

      g_assert_null (none);
      g_assert_error (e, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_INVALID);
    }

  /* more ids than the SQL parameter budget allows */
  for (guint i = 0; i <= ZG_ACCESS_MAX_IDS; i++)
    g_string_append_printf (many, "%s\"00000000-0000-4000-8000-%012x\"", i ? "," : "", i);
  g_string_append (many, "]}");
  {
    g_autoptr(JsonNode) b = parse (many->str);
    g_autoptr(GError) e = NULL;
    g_autoptr(ZgAccessCriteria) none = zg_access_criteria_from_json (b, &e);

    g_assert_null (none);
    g_assert_error (e, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_INVALID);
  }
}

/* ---- SQL filter vs C decision ---- */

static sqlite3 *
open_matrix_db (void)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE certificates (n INTEGER PRIMARY KEY, "
                                 "company_id TEXT, location_id TEXT, department_id TEXT, "
                                 "org_unit_id TEXT, employee_type_id TEXT, "
                                 "is_private INTEGER NOT NULL, creator_id TEXT)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO certificates VALUES (?,?,?,?,?,?,?,?)",
                                       -1, &insert, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint n = 0; n < N_SUBJECTS; n++)
    {
      ZgAccessSubject s;

      subject_at (n, &s);
      sqlite3_bind_int (insert, 1, (int) n);
      for (guint d = 0; d < ZG_N_DIMS; d++)
        {
          if (s.dims[d] != NULL)
            sqlite3_bind_text (insert, 2 + (int) d, s.dims[d], -1, SQLITE_STATIC);
          else
            sqlite3_bind_null (insert, 2 + (int) d);
        }
      sqlite3_bind_int (insert, 7, s.is_private);
      if (s.creator_id != NULL)
        sqlite3_bind_text (insert, 8, s.creator_id, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (insert, 8);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
    }
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_finalize (insert);
  return db;
}

/* Runs "SELECT n … WHERE [NOT] fragment" and marks the rows returned. */
static guint
select_rows (sqlite3           *db,
             const ZgAccessSql *sql,
             const char        *alias,
             gboolean           negate,
             gboolean          *hit)
{
  g_autofree char *query = g_strdup_printf ("SELECT n FROM certificates%s%s WHERE %s%s",
                                            alias ? " AS " : "", alias ? alias : "",
                                            negate ? "NOT " : "", sql->where);
  sqlite3_stmt *stmt = NULL;
  guint count = 0;
  int rc;

  if (sqlite3_prepare_v2 (db, query, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", query, sqlite3_errmsg (db));
  g_assert_cmpint (sqlite3_bind_parameter_count (stmt), ==, (int) sql->values->len);
  for (guint i = 0; i < sql->values->len; i++)
    sqlite3_bind_text (stmt, (int) i + 1, g_ptr_array_index (sql->values, i), -1, SQLITE_STATIC);
  memset (hit, 0, N_SUBJECTS * sizeof (gboolean));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int n = sqlite3_column_int (stmt, 0);

      g_assert_cmpint (n, >=, 0);
      g_assert_cmpint (n, <, N_SUBJECTS);
      hit[n] = TRUE;
      count++;
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return count;
}

/* R-ACL-4: the fragment the sync filter runs in SQL selects exactly the rows the C
 * decision allows, for every caller and subject; its negation selects exactly the rest
 * (the rows to purge from a cache), so no atom may evaluate to NULL. */
static void
test_sql_agrees (void)
{
  sqlite3 *db = open_matrix_db ();
  g_autofree gboolean *hit = g_new0 (gboolean, N_SUBJECTS);
  g_autofree gboolean *miss = g_new0 (gboolean, N_SUBJECTS);

  for (guint c = 0; c < G_N_ELEMENTS (caller_specs); c++)
    {
      const CallerSpec *spec = &caller_specs[c];
      g_autoptr(ZgAccessCriteria) criteria = criteria_from_spec (spec);
      ZgCaller caller = caller_from_spec (spec, criteria);

      for (guint with_alias = 0; with_alias < 2; with_alias++)
        {
          const char *alias = with_alias ? "c" : NULL;
          g_autoptr(ZgAccessSql) cert_sql = zg_access_certificate_filter_sql (&caller, alias);
          g_autoptr(ZgAccessSql) emp_sql = zg_access_employee_filter_sql (&caller, alias);
          guint n_hit, n_miss;

          n_hit = select_rows (db, cert_sql, alias, FALSE, hit);
          n_miss = select_rows (db, cert_sql, alias, TRUE, miss);
          g_assert_cmpuint (n_hit + n_miss, ==, N_SUBJECTS);
          for (guint n = 0; n < N_SUBJECTS; n++)
            {
              ZgAccessSubject s;

              subject_at (n, &s);
              if (hit[n] != zg_access_may_see_certificate (&caller, &s) || hit[n] == miss[n])
                g_error ("%s: SQL “%s” and C disagree on certificate %u", spec->name,
                         cert_sql->where, n);
            }

          /* employees: the same table, private columns ignored */
          n_hit = select_rows (db, emp_sql, alias, FALSE, hit);
          n_miss = select_rows (db, emp_sql, alias, TRUE, miss);
          g_assert_cmpuint (n_hit + n_miss, ==, N_SUBJECTS);
          for (guint n = 0; n < N_SUBJECTS; n++)
            {
              ZgAccessSubject s;

              subject_at (n, &s);
              if (hit[n] != zg_access_may_see_employee (&caller, &s) || hit[n] == miss[n])
                g_error ("%s: SQL “%s” and C disagree on employee %u", spec->name,
                         emp_sql->where, n);
            }
        }
    }
  sqlite3_close (db);
}

/* The fragment carries ids only as bound values, never in the SQL text. */
static void
test_sql_binds_values (void)
{
  g_autoptr(ZgAccessCriteria) criteria = zg_access_criteria_new ();
  ZgCaller caller = { U1, ZG_AREA_SET_NONE, criteria, FALSE };
  g_autoptr(ZgAccessSql) sql = NULL;

  for (guint d = 0; d < ZG_N_DIMS; d++)
    zg_access_criteria_set_all (criteria, d);
  g_assert_true (zg_access_criteria_add (criteria, ZG_DIM_COMPANY, C1, NULL));
  g_assert_true (zg_access_criteria_add (criteria, ZG_DIM_COMPANY, C2, NULL));
  sql = zg_access_certificate_filter_sql (&caller, "c");
  g_assert_cmpstr (sql->where, ==,
                   "((c.company_id IS NOT NULL AND c.company_id IN (?,?)) AND "
                   "(c.is_private IS 0 OR c.creator_id IS ?))");
  g_assert_cmpuint (sql->values->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (sql->values, 0), ==, C1);
  g_assert_cmpstr (g_ptr_array_index (sql->values, 1), ==, C2);
  g_assert_cmpstr (g_ptr_array_index (sql->values, 2), ==, U1);
  g_assert_null (strstr (sql->where, C1));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Zeugnis/Shared/Access/matrix-R-ACL-1-2-3", test_matrix);
  g_test_add_func ("/Zeugnis/Shared/Access/matrix-counts", test_matrix_counts);
  g_test_add_func ("/Zeugnis/Shared/Access/private-R-ACL-3", test_private_rule);
  g_test_add_func ("/Zeugnis/Shared/Access/invisible-is-not-found", test_not_found_contract);
  g_test_add_func ("/Zeugnis/Shared/Access/certificate-change", test_certificate_change);
  g_test_add_func ("/Zeugnis/Shared/Access/master-data-areas-R-ROLE-1", test_master_data_areas);
  g_test_add_func ("/Zeugnis/Shared/Access/criteria-json", test_criteria_json);
  g_test_add_func ("/Zeugnis/Shared/Access/sql-agrees-with-c-R-ACL-4", test_sql_agrees);
  g_test_add_func ("/Zeugnis/Shared/Access/sql-binds-values", test_sql_binds_values);

  return g_test_run ();
}
