/* zg-masterdata.c — master-data records and their strict JSON codecs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-masterdata.h"

G_DEFINE_QUARK (zg-masterdata-error-quark, zg_masterdata_error)

static const char *const salutation_ids[ZG_N_SALUTATIONS] = { "none", "herr", "frau", "divers" };
static const char *const qualification_kind_ids[ZG_N_QUALIFICATION_KINDS] = {
  "personal", "professional",
};

/* ---- syntax checks ---- */

static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

static gboolean
is_valid_domain (const char *domain)
{
  g_auto(GStrv) labels = g_strsplit (domain, ".", -1);
  guint n = g_strv_length (labels);
  const char *tld;

  if (n < 2)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      gsize len = strlen (labels[i]);

      if (len == 0 || len > 63 || labels[i][0] == '-' || labels[i][len - 1] == '-')
        return FALSE;
      for (gsize j = 0; j < len; j++)
        if (!g_ascii_isalnum (labels[i][j]) && labels[i][j] != '-')
          return FALSE;
    }
  tld = labels[n - 1];
  if (g_str_has_prefix (tld, "xn--"))
    return TRUE;
  if (strlen (tld) < 2)
    return FALSE;
  for (const char *p = tld; *p; p++)
    if (!g_ascii_isalpha (*p))
      return FALSE;
  return TRUE;
}

/* addr-spec with a dot-atom local part and a DNS host name (ASCII; IDN as punycode). */
gboolean
zg_md_is_valid_email (const char *email)
{
  const char *at;
  gsize local_len;

  g_return_val_if_fail (email != NULL, FALSE);

  if (strlen (email) > ZG_MD_MAX_EMAIL)
    return FALSE;
  at = strchr (email, '@');
  if (at == NULL || strchr (at + 1, '@') != NULL)
    return FALSE;
  local_len = (gsize) (at - email);
  if (local_len == 0 || local_len > 64 || email[0] == '.' || at[-1] == '.')
    return FALSE;
  for (const char *p = email; p < at; p++)
    {
      if (*p == '.')
        {
          if (p[1] == '.')
            return FALSE;
        }
      else if (!is_atext (*p))
        return FALSE;
    }
  return is_valid_domain (at + 1);
}

static gboolean
is_country (const char *country)
{
  return country != NULL && strlen (country) == 2 &&
         g_ascii_isupper (country[0]) && g_ascii_isupper (country[1]);
}

static gboolean
all_digits (const char *s,
            gsize       n)
{
  if (strlen (s) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* Germany: five digits; Austria, Switzerland, Liechtenstein: four; elsewhere 2–10 of
 * A–Z, 0–9, space and hyphen. @country NULL means "DE". */
gboolean
zg_md_is_valid_postcode (const char *postcode,
                         const char *country)
{
  gsize len;

  g_return_val_if_fail (postcode != NULL, FALSE);

  if (country == NULL || strcmp (country, "DE") == 0)
    return all_digits (postcode, 5);
  if (strcmp (country, "AT") == 0 || strcmp (country, "CH") == 0 || strcmp (country, "LI") == 0)
    return all_digits (postcode, 4);
  len = strlen (postcode);
  if (len < 2 || len > 10)
    return FALSE;
  for (const char *p = postcode; *p; p++)
    if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != ' ' && *p != '-')
      return FALSE;
  return TRUE;
}

static gboolean
is_key (const char *s)
{
  if (*s == '\0' || strlen (s) > 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* ---- reading ---- */

typedef struct
{
  JsonObject  *obj;
  const char  *path;
  GError     **error;
  gboolean     ok;     /* FALSE after the first error; later reads do nothing */
} Reader;

static void
fail (Reader     *r,
      gint        code,
      const char *name,
      const char *what)
{
  if (!r->ok)
    return;
  r->ok = FALSE;
  g_set_error (r->error, ZG_MASTERDATA_ERROR, code, "“%s.%s” %s", r->path, name, what);
}

static gboolean
begin (Reader             *r,
       JsonNode           *node,
       const char         *path,
       const char *const  *allowed,
       GError            **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  r->path = path;
  r->error = error;
  r->ok = TRUE;
  r->obj = NULL;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      r->ok = FALSE;
      g_set_error (error, ZG_MASTERDATA_ERROR, ZG_MASTERDATA_ERROR_INVALID,
                   "“%s” must be an object", path);
      return FALSE;
    }
  r->obj = json_node_get_object (node);
  json_object_iter_init (&iter, r->obj);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (!g_strv_contains (allowed, name))
        {
          r->ok = FALSE;
          g_set_error (error, ZG_MASTERDATA_ERROR, ZG_MASTERDATA_ERROR_INVALID,
                       "Unknown member “%s.%s”", path, name);
          return FALSE;
        }
    }
  return TRUE;
}

/* absent or null -> NULL */
static JsonNode *
get (Reader     *r,
     const char *name)
{
  JsonNode *node;

  if (!r->ok)
    return NULL;
  node = json_object_get_member (r->obj, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
holds_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* Text checks shared by members and list entries; @multi_line allows tab and newline. */
static gboolean
check_text (Reader     *r,
            const char *name,
            const char *s,
            gsize       max,
            gboolean    multi_line)
{
  gsize len = strlen (s);

  if (!g_utf8_validate (s, (gssize) len, NULL))
    {
      fail (r, ZG_MASTERDATA_ERROR_FORMAT, name, "is not valid UTF-8");
      return FALSE;
    }
  if (len > max)
    {
      g_autofree char *what = g_strdup_printf ("is longer than %" G_GSIZE_FORMAT " bytes", max);

      fail (r, ZG_MASTERDATA_ERROR_TOO_LONG, name, what);
      return FALSE;
    }
  for (const char *p = s; *p; p++)
    {
      guchar c = (guchar) *p;

      if ((c < 0x20 || c == 0x7f) && !(multi_line && (c == '\n' || c == '\t')))
        {
          fail (r, ZG_MASTERDATA_ERROR_FORMAT, name, "contains a control character");
          return FALSE;
        }
    }
  return TRUE;
}

static void
read_text (Reader      *r,
           const char  *name,
           gsize        max,
           gboolean     multi_line,
           gboolean     required,
           char       **out)
{
  JsonNode *node = get (r, name);
  const char *s;

  if (!r->ok)
    return;
  if (node == NULL || (holds_string (node) && *json_node_get_string (node) == '\0'))
    {
      if (required)
        fail (r, ZG_MASTERDATA_ERROR_INVALID, name, "is required");
      return;
    }
  if (!holds_string (node))
    {
      fail (r, ZG_MASTERDATA_ERROR_INVALID, name, "must be a string");
      return;
    }
  s = json_node_get_string (node);
  if (!check_text (r, name, s, max, multi_line))
    return;
  g_free (*out);
  *out = g_strdup (s);
}

static void
read_line (Reader      *r,
           const char  *name,
           gsize        max,
           gboolean     required,
           char       **out)
{
  read_text (r, name, max, FALSE, required, out);
}

static void
read_id (Reader      *r,
         const char  *name,
         gboolean     required,
         char       **out)
{
  read_line (r, name, 36, required, out);
  if (r->ok && *out != NULL && !zg_access_is_id (*out))
    fail (r, ZG_MASTERDATA_ERROR_FORMAT, name, "must be a lower-case UUID");
}

static void
read_key (Reader      *r,
          const char  *name,
          char       **out)
{
  read_line (r, name, 64, FALSE, out);
  if (r->ok && *out != NULL && !is_key (*out))
    fail (r, ZG_MASTERDATA_ERROR_FORMAT, name, "must be a key of a–z, 0–9, “-” and “_”");
}

static void
read_rev (Reader *r,
          gint64 *out)
{
  JsonNode *node = get (r, "rev");

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    {
      fail (r, ZG_MASTERDATA_ERROR_INVALID, "rev", "must be a non-negative integer");
      return;
    }
  *out = json_node_get_int (node);
}

static void
read_bool (Reader     *r,
           const char *name,
           gboolean   *out)
{
  JsonNode *node = get (r, name);

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      fail (r, ZG_MASTERDATA_ERROR_INVALID, name, "must be true or false");
      return;
    }
  *out = json_node_get_boolean (node);
}

static void
read_enum (Reader            *r,
           const char        *name,
           const char *const *ids,
           guint              n_ids,
           guint             *out)
{
  JsonNode *node = get (r, name);

  if (node == NULL)
    return;
  if (holds_string (node))
    {
      for (guint i = 0; i < n_ids; i++)
        {
          if (strcmp (ids[i], json_node_get_string (node)) == 0)
            {
              *out = i;
              return;
            }
        }
    }
  {
    g_autoptr(GString) what = g_string_new ("must be one of");

    for (guint i = 0; i < n_ids; i++)
      g_string_append_printf (what, "%s “%s”", i ? "," : "", ids[i]);
    fail (r, ZG_MASTERDATA_ERROR_FORMAT, name, what->str);
  }
}

static gboolean
parse_date (const char *s,
            GDate      *date)
{
  guint y = 0, m, d;

  if (strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  for (guint i = 0; i < 4; i++)
    y = y * 10 + (guint) (s[i] - '0');
  m = (guint) (s[5] - '0') * 10 + (guint) (s[6] - '0');
  d = (guint) (s[8] - '0') * 10 + (guint) (s[9] - '0');
  if (y < 1900 || y > 2200 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

static void
read_date (Reader     *r,
           const char *name,
           GDate      *out)
{
  JsonNode *node = get (r, name);

  g_date_clear (out, 1);
  if (node == NULL)
    return;
  if (!holds_string (node) || !parse_date (json_node_get_string (node), out))
    {
      g_date_clear (out, 1);
      fail (r, ZG_MASTERDATA_ERROR_FORMAT, name, "must be a valid date YYYY-MM-DD (1900–2200)");
    }
}

static void
read_string_list (Reader     *r,
                  const char *name,
                  guint       max_items,
                  gsize       max_len,
                  GPtrArray  *out)
{
  JsonNode *node = get (r, name);
  JsonArray *array;

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (r, ZG_MASTERDATA_ERROR_INVALID, name, "must be an array of strings");
      return;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > max_items)
    {
      g_autofree char *what = g_strdup_printf ("has more than %u entries", max_items);

      fail (r, ZG_MASTERDATA_ERROR_TOO_LONG, name, what);
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *el = json_array_get_element (array, i);
      g_autofree char *el_name = g_strdup_printf ("%s[%u]", name, i);

      if (!holds_string (el) || *json_node_get_string (el) == '\0')
        {
          fail (r, ZG_MASTERDATA_ERROR_INVALID, el_name, "must be a non-empty string");
          return;
        }
      if (!check_text (r, el_name, json_node_get_string (el), max_len, FALSE))
        return;
      g_ptr_array_add (out, g_strdup (json_node_get_string (el)));
    }
}

static void
read_language (Reader  *r,
               char   **out)
{
  read_line (r, "language", 2, FALSE, out);
  if (r->ok && *out != NULL && strcmp (*out, "de") != 0 && strcmp (*out, "en") != 0)
    fail (r, ZG_MASTERDATA_ERROR_FORMAT, "language", "must be “de” or “en”");
  if (r->ok && *out == NULL)
    *out = g_strdup ("de");
}

static void
read_address (Reader  *r,
              char   **street,
              char   **postcode,
              char   **city,
              char   **country)
{
  read_line (r, "street", ZG_MD_MAX_STREET, FALSE, street);
  read_line (r, "country", 2, FALSE, country);
  if (r->ok && *country != NULL && !is_country (*country))
    fail (r, ZG_MASTERDATA_ERROR_FORMAT, "country", "must be an ISO 3166 code like “DE”");
  read_line (r, "postcode", 10, FALSE, postcode);
  if (r->ok && *postcode != NULL && !zg_md_is_valid_postcode (*postcode, *country))
    fail (r, ZG_MASTERDATA_ERROR_FORMAT, "postcode",
          "is not a postcode of that country (Germany: five digits)");
  read_line (r, "city", ZG_MD_MAX_NAME, FALSE, city);
}

/* ---- writing ---- */

static void
put_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
put_date (JsonBuilder *b,
          const char  *name,
          const GDate *date)
{
  char buf[16];

  if (!g_date_valid (date))
    return;
  g_snprintf (buf, sizeof buf, "%04u-%02u-%02u", (guint) g_date_get_year (date),
              (guint) g_date_get_month (date), (guint) g_date_get_day (date));
  put_string (b, name, buf);
}

static void
put_rev (JsonBuilder *b,
         gint64       rev)
{
  json_builder_set_member_name (b, "rev");
  json_builder_add_int_value (b, rev);
}

static void
put_string_list (JsonBuilder     *b,
                 const char      *name,
                 const GPtrArray *list)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (list, i));
  json_builder_end_array (b);
}

/* ---- Unternehmen ---- */

static void
org_unit_free (gpointer data)
{
  ZgOrgUnit *unit = data;

  g_free (unit->id);
  g_free (unit->name);
  g_free (unit);
}

ZgCompany *
zg_company_new (void)
{
  ZgCompany *company = g_new0 (ZgCompany, 1);

  company->locations = g_ptr_array_new_with_free_func (org_unit_free);
  company->departments = g_ptr_array_new_with_free_func (org_unit_free);
  company->org_units = g_ptr_array_new_with_free_func (org_unit_free);
  return company;
}

void
zg_company_free (ZgCompany *company)
{
  if (company == NULL)
    return;
  g_free (company->id);
  g_free (company->name);
  g_free (company->street);
  g_free (company->postcode);
  g_free (company->city);
  g_free (company->country);
  g_free (company->description);
  g_ptr_array_unref (company->locations);
  g_ptr_array_unref (company->departments);
  g_ptr_array_unref (company->org_units);
  g_free (company);
}

static gboolean
id_taken (const ZgCompany *company,
          const char      *id)
{
  const GPtrArray *lists[] = { company->locations, company->departments, company->org_units };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      if (strcmp (((const ZgOrgUnit *) g_ptr_array_index (lists[l], i))->id, id) == 0)
        return TRUE;
  return g_strcmp0 (company->id, id) == 0;
}

static void
read_units (Reader     *r,
            const char *name,
            ZgCompany  *company,
            GPtrArray  *out)
{
  static const char *const members[] = { "id", "name", NULL };
  JsonNode *node = get (r, name);
  JsonArray *array;

  if (node == NULL)
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (r, ZG_MASTERDATA_ERROR_INVALID, name, "must be an array of {id, name}");
      return;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > ZG_MD_MAX_UNITS)
    {
      fail (r, ZG_MASTERDATA_ERROR_TOO_LONG, name, "has more than 1000 entries");
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s.%s[%u]", r->path, name, i);
      ZgOrgUnit *unit;
      Reader ur;

      if (!begin (&ur, json_array_get_element (array, i), path, members, r->error))
        {
          r->ok = FALSE;
          return;
        }
      unit = g_new0 (ZgOrgUnit, 1);
      read_id (&ur, "id", TRUE, &unit->id);
      read_line (&ur, "name", ZG_MD_MAX_NAME, TRUE, &unit->name);
      if (ur.ok && id_taken (company, unit->id))
        fail (&ur, ZG_MASTERDATA_ERROR_INVALID, "id", "is used twice in this company");
      if (!ur.ok)
        {
          org_unit_free (unit);
          r->ok = FALSE;
          return;
        }
      g_ptr_array_add (out, unit);
    }
}

ZgCompany *
zg_company_from_json (JsonNode  *node,
                      GError   **error)
{
  static const char *const members[] = {
    "id", "rev", "name", "street", "postcode", "city", "country", "description",
    "locations", "departments", "org_units", NULL
  };
  g_autoptr(ZgCompany) company = zg_company_new ();
  Reader r;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!begin (&r, node, "company", members, error))
    return NULL;
  read_id (&r, "id", TRUE, &company->id);
  read_rev (&r, &company->rev);
  read_line (&r, "name", ZG_MD_MAX_NAME, TRUE, &company->name);
  read_address (&r, &company->street, &company->postcode, &company->city, &company->country);
  read_text (&r, "description", ZG_MD_MAX_TEXT, TRUE, FALSE, &company->description);
  read_units (&r, "locations", company, company->locations);
  read_units (&r, "departments", company, company->departments);
  read_units (&r, "org_units", company, company->org_units);
  if (!r.ok)
    return NULL;
  return g_steal_pointer (&company);
}

static void
put_units (JsonBuilder     *b,
           const char      *name,
           const GPtrArray *units)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < units->len; i++)
    {
      const ZgOrgUnit *unit = g_ptr_array_index (units, i);

      json_builder_begin_object (b);
      put_string (b, "id", unit->id);
      put_string (b, "name", unit->name);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

JsonNode *
zg_company_to_json (const ZgCompany *company)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (company != NULL, NULL);

  json_builder_begin_object (b);
  put_string (b, "id", company->id);
  put_rev (b, company->rev);
  put_string (b, "name", company->name);
  put_string (b, "street", company->street);
  put_string (b, "postcode", company->postcode);
  put_string (b, "city", company->city);
  put_string (b, "country", company->country);
  put_string (b, "description", company->description);
  put_units (b, "locations", company->locations);
  put_units (b, "departments", company->departments);
  put_units (b, "org_units", company->org_units);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* @dim: ZG_DIM_LOCATION, ZG_DIM_DEPARTMENT or ZG_DIM_ORG_UNIT. */
const ZgOrgUnit *
zg_company_find_unit (const ZgCompany   *company,
                      ZgAccessDimension  dim,
                      const char        *id)
{
  const GPtrArray *list;

  g_return_val_if_fail (company != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  switch (dim)
    {
    case ZG_DIM_LOCATION:
      list = company->locations;
      break;
    case ZG_DIM_DEPARTMENT:
      list = company->departments;
      break;
    case ZG_DIM_ORG_UNIT:
      list = company->org_units;
      break;
    case ZG_DIM_COMPANY:
    case ZG_DIM_EMPLOYEE_TYPE:
    case ZG_N_DIMS:
    default:
      g_return_val_if_reached (NULL);
    }
  for (guint i = 0; i < list->len; i++)
    {
      const ZgOrgUnit *unit = g_ptr_array_index (list, i);

      if (strcmp (unit->id, id) == 0)
        return unit;
    }
  return NULL;
}

/* ---- Arbeitnehmertyp ---- */

ZgEmployeeType *
zg_employee_type_new (void)
{
  return g_new0 (ZgEmployeeType, 1);
}

void
zg_employee_type_free (ZgEmployeeType *type)
{
  if (type == NULL)
    return;
  g_free (type->id);
  g_free (type->name);
  g_free (type->key);
  g_free (type);
}

ZgEmployeeType *
zg_employee_type_from_json (JsonNode  *node,
                            GError   **error)
{
  static const char *const members[] = { "id", "rev", "name", "key", "manager", NULL };
  g_autoptr(ZgEmployeeType) type = zg_employee_type_new ();
  Reader r;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!begin (&r, node, "employee_type", members, error))
    return NULL;
  read_id (&r, "id", TRUE, &type->id);
  read_rev (&r, &type->rev);
  read_line (&r, "name", ZG_MD_MAX_NAME, TRUE, &type->name);
  read_key (&r, "key", &type->key);
  read_bool (&r, "manager", &type->is_manager);
  if (!r.ok)
    return NULL;
  return g_steal_pointer (&type);
}

JsonNode *
zg_employee_type_to_json (const ZgEmployeeType *type)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (type != NULL, NULL);

  json_builder_begin_object (b);
  put_string (b, "id", type->id);
  put_rev (b, type->rev);
  put_string (b, "name", type->name);
  put_string (b, "key", type->key);
  json_builder_set_member_name (b, "manager");
  json_builder_add_boolean_value (b, type->is_manager);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- Mitarbeiter (R-DATA-2) ---- */

ZgEmployee *
zg_employee_new (void)
{
  ZgEmployee *employee = g_new0 (ZgEmployee, 1);

  g_date_clear (&employee->birth_date, 1);
  g_date_clear (&employee->entry_date, 1);
  g_date_clear (&employee->exit_date, 1);
  return employee;
}

void
zg_employee_free (ZgEmployee *employee)
{
  if (employee == NULL)
    return;
  g_free (employee->id);
  g_free (employee->title);
  g_free (employee->first_name);
  g_free (employee->last_name);
  g_free (employee->birth_place);
  g_free (employee->street);
  g_free (employee->postcode);
  g_free (employee->city);
  g_free (employee->country);
  g_free (employee->email);
  g_free (employee->exit_reason);
  g_free (employee->employee_type_id);
  g_free (employee->company_id);
  g_free (employee->location_id);
  g_free (employee->department_id);
  g_free (employee->org_unit_id);
  g_free (employee);
}

static gboolean
dates_ordered (const GDate *before,
               const GDate *after)
{
  if (!g_date_valid (before) || !g_date_valid (after))
    return TRUE;
  return g_date_compare (before, after) <= 0;
}

ZgEmployee *
zg_employee_from_json (JsonNode  *node,
                       GError   **error)
{
  static const char *const members[] = {
    "id", "rev", "salutation", "title", "first_name", "last_name", "birth_date",
    "birth_place", "street", "postcode", "city", "country", "email", "entry_date",
    "exit_date", "exit_reason", "employee_type_id", "company_id", "location_id",
    "department_id", "org_unit_id", NULL
  };
  g_autoptr(ZgEmployee) employee = zg_employee_new ();
  guint salutation = ZG_SALUTATION_NONE;
  Reader r;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!begin (&r, node, "employee", members, error))
    return NULL;
  read_id (&r, "id", TRUE, &employee->id);
  read_rev (&r, &employee->rev);
  read_enum (&r, "salutation", salutation_ids, ZG_N_SALUTATIONS, &salutation);
  employee->salutation = (ZgSalutation) salutation;
  read_line (&r, "title", ZG_MD_MAX_TITLE, FALSE, &employee->title);
  read_line (&r, "first_name", ZG_MD_MAX_NAME, TRUE, &employee->first_name);
  read_line (&r, "last_name", ZG_MD_MAX_NAME, TRUE, &employee->last_name);
  read_date (&r, "birth_date", &employee->birth_date);
  read_line (&r, "birth_place", ZG_MD_MAX_NAME, FALSE, &employee->birth_place);
  read_address (&r, &employee->street, &employee->postcode, &employee->city,
                &employee->country);
  read_line (&r, "email", ZG_MD_MAX_EMAIL, FALSE, &employee->email);
  if (r.ok && employee->email != NULL && !zg_md_is_valid_email (employee->email))
    fail (&r, ZG_MASTERDATA_ERROR_FORMAT, "email", "is not an e-mail address");
  read_date (&r, "entry_date", &employee->entry_date);
  read_date (&r, "exit_date", &employee->exit_date);
  read_key (&r, "exit_reason", &employee->exit_reason);
  read_id (&r, "employee_type_id", FALSE, &employee->employee_type_id);
  read_id (&r, "company_id", FALSE, &employee->company_id);
  read_id (&r, "location_id", FALSE, &employee->location_id);
  read_id (&r, "department_id", FALSE, &employee->department_id);
  read_id (&r, "org_unit_id", FALSE, &employee->org_unit_id);
  if (r.ok && !dates_ordered (&employee->birth_date, &employee->entry_date))
    fail (&r, ZG_MASTERDATA_ERROR_FORMAT, "entry_date", "is before the birth date");
  if (r.ok && !dates_ordered (&employee->entry_date, &employee->exit_date))
    fail (&r, ZG_MASTERDATA_ERROR_FORMAT, "exit_date", "is before the entry date");
  if (!r.ok)
    return NULL;
  return g_steal_pointer (&employee);
}

JsonNode *
zg_employee_to_json (const ZgEmployee *employee)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (employee != NULL, NULL);
  g_return_val_if_fail (employee->salutation < ZG_N_SALUTATIONS, NULL);

  json_builder_begin_object (b);
  put_string (b, "id", employee->id);
  put_rev (b, employee->rev);
  put_string (b, "salutation", salutation_ids[employee->salutation]);
  put_string (b, "title", employee->title);
  put_string (b, "first_name", employee->first_name);
  put_string (b, "last_name", employee->last_name);
  put_date (b, "birth_date", &employee->birth_date);
  put_string (b, "birth_place", employee->birth_place);
  put_string (b, "street", employee->street);
  put_string (b, "postcode", employee->postcode);
  put_string (b, "city", employee->city);
  put_string (b, "country", employee->country);
  put_string (b, "email", employee->email);
  put_date (b, "entry_date", &employee->entry_date);
  put_date (b, "exit_date", &employee->exit_date);
  put_string (b, "exit_reason", employee->exit_reason);
  put_string (b, "employee_type_id", employee->employee_type_id);
  put_string (b, "company_id", employee->company_id);
  put_string (b, "location_id", employee->location_id);
  put_string (b, "department_id", employee->department_id);
  put_string (b, "org_unit_id", employee->org_unit_id);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* The subject borrows @employee's strings. */
void
zg_employee_get_subject (const ZgEmployee *employee,
                         ZgAccessSubject  *out_subject)
{
  g_return_if_fail (employee != NULL);
  g_return_if_fail (out_subject != NULL);

  memset (out_subject, 0, sizeof *out_subject);
  out_subject->dims[ZG_DIM_COMPANY] = employee->company_id;
  out_subject->dims[ZG_DIM_LOCATION] = employee->location_id;
  out_subject->dims[ZG_DIM_DEPARTMENT] = employee->department_id;
  out_subject->dims[ZG_DIM_ORG_UNIT] = employee->org_unit_id;
  out_subject->dims[ZG_DIM_EMPLOYEE_TYPE] = employee->employee_type_id;
}

/* ---- Berufsbild (R-APP-2) ---- */

ZgBerufsbild *
zg_berufsbild_new (void)
{
  ZgBerufsbild *berufsbild = g_new0 (ZgBerufsbild, 1);

  berufsbild->tasks = g_ptr_array_new_with_free_func (g_free);
  return berufsbild;
}

void
zg_berufsbild_free (ZgBerufsbild *berufsbild)
{
  if (berufsbild == NULL)
    return;
  g_free (berufsbild->id);
  g_free (berufsbild->name);
  g_free (berufsbild->language);
  g_ptr_array_unref (berufsbild->tasks);
  g_free (berufsbild);
}

ZgBerufsbild *
zg_berufsbild_from_json (JsonNode  *node,
                         GError   **error)
{
  static const char *const members[] = { "id", "rev", "name", "language", "tasks", NULL };
  g_autoptr(ZgBerufsbild) berufsbild = zg_berufsbild_new ();
  Reader r;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!begin (&r, node, "berufsbild", members, error))
    return NULL;
  read_id (&r, "id", TRUE, &berufsbild->id);
  read_rev (&r, &berufsbild->rev);
  read_line (&r, "name", ZG_MD_MAX_NAME, TRUE, &berufsbild->name);
  read_language (&r, &berufsbild->language);
  read_string_list (&r, "tasks", ZG_MD_MAX_TASKS, ZG_MD_MAX_TEXT, berufsbild->tasks);
  if (!r.ok)
    return NULL;
  return g_steal_pointer (&berufsbild);
}

JsonNode *
zg_berufsbild_to_json (const ZgBerufsbild *berufsbild)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (berufsbild != NULL, NULL);

  json_builder_begin_object (b);
  put_string (b, "id", berufsbild->id);
  put_rev (b, berufsbild->rev);
  put_string (b, "name", berufsbild->name);
  put_string (b, "language", berufsbild->language);
  put_string_list (b, "tasks", berufsbild->tasks);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- Qualifikation (R-APP-4) ---- */

ZgQualification *
zg_qualification_new (void)
{
  return g_new0 (ZgQualification, 1);
}

void
zg_qualification_free (ZgQualification *qualification)
{
  if (qualification == NULL)
    return;
  g_free (qualification->id);
  g_free (qualification->name);
  g_free (qualification->text);
  g_free (qualification->language);
  g_free (qualification);
}

ZgQualification *
zg_qualification_from_json (JsonNode  *node,
                            GError   **error)
{
  static const char *const members[] = { "id", "rev", "kind", "name", "text", "language", NULL };
  g_autoptr(ZgQualification) qualification = zg_qualification_new ();
  guint kind = ZG_QUALIFICATION_PERSONAL;
  Reader r;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!begin (&r, node, "qualification", members, error))
    return NULL;
  read_id (&r, "id", TRUE, &qualification->id);
  read_rev (&r, &qualification->rev);
  if (r.ok && get (&r, "kind") == NULL)
    fail (&r, ZG_MASTERDATA_ERROR_INVALID, "kind", "is required");
  read_enum (&r, "kind", qualification_kind_ids, ZG_N_QUALIFICATION_KINDS, &kind);
  qualification->kind = (ZgQualificationKind) kind;
  read_line (&r, "name", ZG_MD_MAX_NAME, TRUE, &qualification->name);
  read_text (&r, "text", ZG_MD_MAX_TEXT, TRUE, FALSE, &qualification->text);
  read_language (&r, &qualification->language);
  if (!r.ok)
    return NULL;
  return g_steal_pointer (&qualification);
}

JsonNode *
zg_qualification_to_json (const ZgQualification *qualification)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (qualification != NULL, NULL);
  g_return_val_if_fail (qualification->kind < ZG_N_QUALIFICATION_KINDS, NULL);

  json_builder_begin_object (b);
  put_string (b, "id", qualification->id);
  put_rev (b, qualification->rev);
  put_string (b, "kind", qualification_kind_ids[qualification->kind]);
  put_string (b, "name", qualification->name);
  put_string (b, "text", qualification->text);
  put_string (b, "language", qualification->language);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
