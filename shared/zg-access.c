/* zg-access.c — the one place that decides who may see and edit what
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-access.h"
#include "zg-sections.h"

G_DEFINE_QUARK (zg-access-error-quark, zg_access_error)

typedef struct
{
  gboolean   all;
  GPtrArray *ids;    /* char*, unique, in insertion order */
} Dimension;

struct _ZgAccessCriteria
{
  gboolean  administrator;
  Dimension dims[ZG_N_DIMS];
};

/* JSON member names and the typed column every filtered table must have. */
static const char *const dim_ids[ZG_N_DIMS] = {
  "companies", "locations", "departments", "org_units", "employee_types",
};
static const char *const dim_columns[ZG_N_DIMS] = {
  "company_id", "location_id", "department_id", "org_unit_id", "employee_type_id",
};

static const struct
{
  const char *id;
  ZgArea      area;
} master_kinds[ZG_N_MASTER_KINDS] = {
  { "employee",      ZG_AREA_MITARBEITER },
  { "company",       ZG_AREA_UNTERNEHMEN },
  { "employee_type", ZG_AREA_UNTERNEHMEN },
  { "berufsbild",    ZG_AREA_BERUFSBILDER },
  { "qualification", ZG_AREA_QUALIFIKATIONEN },
  { "formatting",    ZG_AREA_ZEUGNISFORMATIERUNG },
  { "letter_text",   ZG_AREA_BRIEFTEXTE },
  { "mail_template", ZG_AREA_EMAIL_VORLAGEN },
  { "phrases",       ZG_AREA_INDIVIDUALISIERUNG },
};

const char *
zg_access_dimension_id (ZgAccessDimension dim)
{
  g_return_val_if_fail (dim < ZG_N_DIMS, NULL);
  return dim_ids[dim];
}

const char *
zg_access_dimension_column (ZgAccessDimension dim)
{
  g_return_val_if_fail (dim < ZG_N_DIMS, NULL);
  return dim_columns[dim];
}

const char *
zg_master_kind_id (ZgMasterKind kind)
{
  g_return_val_if_fail (kind < ZG_N_MASTER_KINDS, NULL);
  return master_kinds[kind].id;
}

ZgArea
zg_master_kind_area (ZgMasterKind kind)
{
  g_return_val_if_fail (kind < ZG_N_MASTER_KINDS, ZG_AREA_ADMINISTRATOR);
  return master_kinds[kind].area;
}

/* Only the canonical lower-case form, so that byte equality (C and SQL) is identity. */
gboolean
zg_access_is_id (const char *id)
{
  if (id == NULL || strlen (id) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (id[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isdigit (id[i]) && !(id[i] >= 'a' && id[i] <= 'f'))
        return FALSE;
    }
  return TRUE;
}

/* ---- criteria ---- */

ZgAccessCriteria *
zg_access_criteria_new (void)
{
  ZgAccessCriteria *criteria = g_new0 (ZgAccessCriteria, 1);

  for (guint d = 0; d < ZG_N_DIMS; d++)
    criteria->dims[d].ids = g_ptr_array_new_with_free_func (g_free);
  return criteria;
}

ZgAccessCriteria *
zg_access_criteria_new_administrator (void)
{
  ZgAccessCriteria *criteria = zg_access_criteria_new ();

  criteria->administrator = TRUE;
  return criteria;
}

ZgAccessCriteria *
zg_access_criteria_copy (const ZgAccessCriteria *criteria)
{
  ZgAccessCriteria *copy;

  g_return_val_if_fail (criteria != NULL, NULL);

  copy = zg_access_criteria_new ();
  copy->administrator = criteria->administrator;
  for (guint d = 0; d < ZG_N_DIMS; d++)
    {
      copy->dims[d].all = criteria->dims[d].all;
      for (guint i = 0; i < criteria->dims[d].ids->len; i++)
        g_ptr_array_add (copy->dims[d].ids, g_strdup (g_ptr_array_index (criteria->dims[d].ids, i)));
    }
  return copy;
}

void
zg_access_criteria_free (ZgAccessCriteria *criteria)
{
  if (criteria == NULL)
    return;
  for (guint d = 0; d < ZG_N_DIMS; d++)
    g_ptr_array_unref (criteria->dims[d].ids);
  g_free (criteria);
}

gboolean
zg_access_criteria_is_administrator (const ZgAccessCriteria *criteria)
{
  g_return_val_if_fail (criteria != NULL, FALSE);
  return criteria->administrator;
}

void
zg_access_criteria_set_administrator (ZgAccessCriteria *criteria,
                                      gboolean          administrator)
{
  g_return_if_fail (criteria != NULL);
  criteria->administrator = !!administrator;
}

/* Unrestricted on @dim: also matches records without a value on that dimension. */
void
zg_access_criteria_set_all (ZgAccessCriteria  *criteria,
                            ZgAccessDimension  dim)
{
  g_return_if_fail (criteria != NULL);
  g_return_if_fail (dim < ZG_N_DIMS);

  criteria->dims[dim].all = TRUE;
  g_ptr_array_set_size (criteria->dims[dim].ids, 0);
}

gboolean
zg_access_criteria_is_all (const ZgAccessCriteria *criteria,
                           ZgAccessDimension       dim)
{
  g_return_val_if_fail (criteria != NULL, FALSE);
  g_return_val_if_fail (dim < ZG_N_DIMS, FALSE);
  return criteria->dims[dim].all;
}

static gboolean
dimension_contains (const Dimension *dimension,
                    const char      *id)
{
  for (guint i = 0; i < dimension->ids->len; i++)
    {
      if (strcmp (g_ptr_array_index (dimension->ids, i), id) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Adds @id to the allowed set of @dim, which makes @dim restricted. */
gboolean
zg_access_criteria_add (ZgAccessCriteria   *criteria,
                        ZgAccessDimension   dim,
                        const char         *id,
                        GError            **error)
{
  Dimension *dimension;

  g_return_val_if_fail (criteria != NULL, FALSE);
  g_return_val_if_fail (dim < ZG_N_DIMS, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  dimension = &criteria->dims[dim];
  if (!zg_access_is_id (id))
    {
      g_set_error (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_INVALID,
                   "“%s” holds an id that is not a lower-case UUID", dim_ids[dim]);
      return FALSE;
    }
  dimension->all = FALSE;
  if (dimension_contains (dimension, id))
    return TRUE;
  if (dimension->ids->len >= ZG_ACCESS_MAX_IDS)
    {
      g_set_error (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_INVALID,
                   "“%s” allows at most %d ids", dim_ids[dim], ZG_ACCESS_MAX_IDS);
      return FALSE;
    }
  g_ptr_array_add (dimension->ids, g_strdup (id));
  return TRUE;
}

gboolean
zg_access_criteria_allows (const ZgAccessCriteria *criteria,
                           ZgAccessDimension       dim,
                           const char             *id)
{
  const Dimension *dimension;

  g_return_val_if_fail (criteria != NULL, FALSE);
  g_return_val_if_fail (dim < ZG_N_DIMS, FALSE);

  if (criteria->administrator)
    return TRUE;
  dimension = &criteria->dims[dim];
  if (dimension->all)
    return TRUE;
  return id != NULL && dimension_contains (dimension, id);
}

static gboolean
invalid (GError    **error,
         const char *member,
         const char *expected)
{
  g_set_error (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_INVALID,
               "“%s” must be %s", member, expected);
  return FALSE;
}

static gboolean
read_dimension (ZgAccessCriteria   *criteria,
                ZgAccessDimension   dim,
                JsonNode           *node,
                GError            **error)
{
  JsonArray *array;

  if (node == NULL)
    return TRUE;   /* absent: allows nothing, like a new value */
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
      strcmp (json_node_get_string (node), "all") == 0)
    {
      zg_access_criteria_set_all (criteria, dim);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, dim_ids[dim], "\"all\" or an array of ids");
  array = json_node_get_array (node);
  if (json_array_get_length (array) > ZG_ACCESS_MAX_IDS)
    return invalid (error, dim_ids[dim], "an array of at most 150 ids");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *el = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (el) || json_node_get_value_type (el) != G_TYPE_STRING)
        return invalid (error, dim_ids[dim], "an array of id strings");
      if (!zg_access_criteria_add (criteria, dim, json_node_get_string (el), error))
        return FALSE;
    }
  return TRUE;
}

/* {"administrator": false, "companies": "all" | ["<uuid>", …], "locations": …,
 *  "departments": …, "org_units": …, "employee_types": …}; unknown members are
 * refused, an absent dimension allows nothing. */
ZgAccessCriteria *
zg_access_criteria_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(ZgAccessCriteria) criteria = NULL;
  JsonObjectIter iter;
  JsonObject *obj;
  const char *name;
  JsonNode *value;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, "criteria", "an object");
      return NULL;
    }
  obj = json_node_get_object (node);
  criteria = zg_access_criteria_new ();
  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &name, &value))
    {
      gboolean known = FALSE;

      if (strcmp (name, "administrator") == 0)
        {
          if (!JSON_NODE_HOLDS_VALUE (value) ||
              json_node_get_value_type (value) != G_TYPE_BOOLEAN)
            {
              invalid (error, "administrator", "true or false");
              return NULL;
            }
          criteria->administrator = json_node_get_boolean (value);
          continue;
        }
      for (guint d = 0; d < ZG_N_DIMS; d++)
        {
          if (strcmp (name, dim_ids[d]) == 0)
            {
              if (!read_dimension (criteria, d, value, error))
                return NULL;
              known = TRUE;
              break;
            }
        }
      if (!known)
        {
          g_set_error (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_INVALID,
                       "Unknown member “%s” in access criteria", name);
          return NULL;
        }
    }
  return g_steal_pointer (&criteria);
}

JsonNode *
zg_access_criteria_to_json (const ZgAccessCriteria *criteria)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (criteria != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "administrator");
  json_builder_add_boolean_value (b, criteria->administrator);
  for (guint d = 0; d < ZG_N_DIMS; d++)
    {
      json_builder_set_member_name (b, dim_ids[d]);
      if (criteria->dims[d].all)
        {
          json_builder_add_string_value (b, "all");
          continue;
        }
      json_builder_begin_array (b);
      for (guint i = 0; i < criteria->dims[d].ids->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (criteria->dims[d].ids, i));
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- decisions ---- */

static gboolean
matches_dimensions (const ZgAccessCriteria *criteria,
                    const ZgAccessSubject  *subject)
{
  for (guint d = 0; d < ZG_N_DIMS; d++)
    {
      const Dimension *dimension = &criteria->dims[d];

      if (dimension->all)
        continue;
      if (subject->dims[d] == NULL || !dimension_contains (dimension, subject->dims[d]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_creator (const ZgCaller        *caller,
            const ZgAccessSubject *subject)
{
  return caller->user_id != NULL && subject->creator_id != NULL &&
         strcmp (caller->user_id, subject->creator_id) == 0;
}

/* R-ACL-1, R-ACL-2, R-ACL-3. A private certificate needs matching criteria AND being its
 * creator: the private mark narrows visibility, it never widens it. */
gboolean
zg_access_may_see_certificate (const ZgCaller        *caller,
                               const ZgAccessSubject *subject)
{
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);

  if (caller->criteria == NULL)
    return FALSE;
  if (caller->criteria->administrator)
    return TRUE;
  if (!matches_dimensions (caller->criteria, subject))
    return FALSE;
  return !subject->is_private || is_creator (caller, subject);
}

gboolean
zg_access_may_edit_certificate (const ZgCaller        *caller,
                                const ZgAccessSubject *subject)
{
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);

  return !caller->read_only && zg_access_may_see_certificate (caller, subject);
}

/* Only the creator and Administrator-criterion users may mark or unmark a certificate
 * as private: anyone else could otherwise hide a certificate from colleagues. */
gboolean
zg_access_may_set_private (const ZgCaller        *caller,
                           const ZgAccessSubject *subject)
{
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);

  if (!zg_access_may_edit_certificate (caller, subject))
    return FALSE;
  return caller->criteria->administrator || is_creator (caller, subject);
}

/* Employees carry no private mark: the criteria decide alone. Reading needs no area,
 * because every certificate writer picks employees. */
gboolean
zg_access_may_see_employee (const ZgCaller        *caller,
                            const ZgAccessSubject *subject)
{
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);

  if (caller->criteria == NULL)
    return FALSE;
  if (caller->criteria->administrator)
    return TRUE;
  return matches_dimensions (caller->criteria, subject);
}

gboolean
zg_access_may_edit_employee (const ZgCaller        *caller,
                             const ZgAccessSubject *subject)
{
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);

  return zg_access_may_touch_master_data (caller, ZG_MASTER_EMPLOYEE) &&
         zg_access_may_see_employee (caller, subject);
}

/* Catalogues (companies, types, Berufsbilder, qualifications, formatting, texts) are
 * read by every signed-in user who writes certificates; employees are per record. */
gboolean
zg_access_may_read_master_data (const ZgCaller *caller,
                                ZgMasterKind    kind)
{
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (kind < ZG_N_MASTER_KINDS, FALSE);

  if (caller->user_id == NULL)
    return FALSE;
  if (kind == ZG_MASTER_EMPLOYEE)
    return caller->criteria != NULL;
  return TRUE;
}

/* Create, change, delete (R-ROLE-1, R-ROLE-2). */
gboolean
zg_access_may_touch_master_data (const ZgCaller *caller,
                                 ZgMasterKind    kind)
{
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (kind < ZG_N_MASTER_KINDS, FALSE);

  if (caller->user_id == NULL || caller->read_only)
    return FALSE;
  return zg_area_set_grants (caller->areas, master_kinds[kind].area);
}

/* A new record must lie inside the creator's own criteria, so that nobody writes into a
 * scope they cannot see. @subject holds the new record's attributes; for a certificate its
 * creator_id is taken to be the caller. The same rule applies to changing the typed
 * attributes of an existing record: check the old and the new attributes. */
gboolean
zg_access_may_create_certificate (const ZgCaller        *caller,
                                  const ZgAccessSubject *subject)
{
  ZgAccessSubject created;

  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);

  if (caller->user_id == NULL)
    return FALSE;
  created = *subject;
  created.creator_id = caller->user_id;
  return zg_access_may_edit_certificate (caller, &created);
}

gboolean
zg_access_may_create_employee (const ZgCaller        *caller,
                               const ZgAccessSubject *subject)
{
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);

  return zg_access_may_edit_employee (caller, subject);
}

static gboolean
check (gboolean     visible,
       gboolean     editable,
       gboolean     for_edit,
       const char  *what,
       GError     **error)
{
  if (!visible)
    {
      g_set_error (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_NOT_FOUND, "No such %s", what);
      return FALSE;
    }
  if (for_edit && !editable)
    {
      g_set_error (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_FORBIDDEN,
                   "You may not change this %s", what);
      return FALSE;
    }
  return TRUE;
}

/* NOT_FOUND for everything invisible, whatever the reason, so that the answer is the
 * same as for an id that does not exist (R-ACL-3). */
gboolean
zg_access_check_certificate (const ZgCaller        *caller,
                             const ZgAccessSubject *subject,
                             gboolean               for_edit,
                             GError               **error)
{
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);

  return check (zg_access_may_see_certificate (caller, subject),
                zg_access_may_edit_certificate (caller, subject),
                for_edit, "certificate", error);
}

gboolean
zg_access_check_employee (const ZgCaller        *caller,
                          const ZgAccessSubject *subject,
                          gboolean               for_edit,
                          GError               **error)
{
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);

  return check (zg_access_may_see_employee (caller, subject),
                zg_access_may_edit_employee (caller, subject),
                for_edit, "employee", error);
}

/* ---- SQL: the same rules as matches_dimensions() and the private rule ----
 *
 * Every atom is two-valued (never NULL), so the fragment can also be negated
 * (NOT (…)) to find rows that left the caller's view. */

static gboolean
is_sql_identifier (const char *s)
{
  if (s == NULL || *s == '\0' || strlen (s) > 64)
    return FALSE;
  if (!g_ascii_isalpha (*s) && *s != '_')
    return FALSE;
  for (const char *p = s + 1; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

static void
append_column (GString    *where,
               const char *alias,
               const char *column)
{
  if (alias != NULL)
    g_string_append_printf (where, "%s.", alias);
  g_string_append (where, column);
}

static ZgAccessSql *
render (const ZgCaller *caller,
        const char     *alias,
        gboolean        with_private)
{
  ZgAccessSql *sql = g_new0 (ZgAccessSql, 1);
  g_autoptr(GString) where = g_string_new ("(");
  gboolean first = TRUE;

  sql->values = g_ptr_array_new_with_free_func (g_free);
  if (caller->criteria == NULL)
    {
      g_string_append (where, "0");
      goto out;
    }
  if (caller->criteria->administrator)
    {
      g_string_append (where, "1");
      goto out;
    }
  for (guint d = 0; d < ZG_N_DIMS; d++)
    {
      const Dimension *dimension = &caller->criteria->dims[d];

      if (dimension->all)
        continue;
      if (!first)
        g_string_append (where, " AND ");
      first = FALSE;
      if (dimension->ids->len == 0)
        {
          g_string_append (where, "0");
          continue;
        }
      g_string_append (where, "(");
      append_column (where, alias, dim_columns[d]);
      g_string_append (where, " IS NOT NULL AND ");
      append_column (where, alias, dim_columns[d]);
      g_string_append (where, " IN (");
      for (guint i = 0; i < dimension->ids->len; i++)
        {
          g_string_append (where, i == 0 ? "?" : ",?");
          g_ptr_array_add (sql->values, g_strdup (g_ptr_array_index (dimension->ids, i)));
        }
      g_string_append (where, "))");
    }
  if (with_private)
    {
      if (!first)
        g_string_append (where, " AND ");
      first = FALSE;
      g_string_append (where, "(");
      append_column (where, alias, "is_private");
      g_string_append (where, " IS 0");
      if (caller->user_id != NULL)
        {
          g_string_append (where, " OR ");
          append_column (where, alias, "creator_id");
          g_string_append (where, " IS ?");
          g_ptr_array_add (sql->values, g_strdup (caller->user_id));
        }
      g_string_append (where, ")");
    }
  if (first)
    g_string_append (where, "1");

out:
  g_string_append (where, ")");
  sql->where = g_string_free (g_steal_pointer (&where), FALSE);
  return sql;
}

/* For tables with the columns company_id, location_id, department_id, org_unit_id,
 * employee_type_id (TEXT, NULL = not assigned), is_private (INTEGER 0/1) and creator_id
 * (TEXT). @table_alias may be NULL. */
ZgAccessSql *
zg_access_certificate_filter_sql (const ZgCaller *caller,
                                  const char     *table_alias)
{
  g_return_val_if_fail (caller != NULL, NULL);
  g_return_val_if_fail (table_alias == NULL || is_sql_identifier (table_alias), NULL);

  return render (caller, table_alias, TRUE);
}

ZgAccessSql *
zg_access_employee_filter_sql (const ZgCaller *caller,
                               const char     *table_alias)
{
  g_return_val_if_fail (caller != NULL, NULL);
  g_return_val_if_fail (table_alias == NULL || is_sql_identifier (table_alias), NULL);

  return render (caller, table_alias, FALSE);
}

void
zg_access_sql_free (ZgAccessSql *sql)
{
  if (sql == NULL)
    return;
  g_free (sql->where);
  g_ptr_array_unref (sql->values);
  g_free (sql);
}

/* A push mutation of an account user (HR): the record must be visible (else NOT_FOUND) and
 * editable (else FORBIDDEN); every changed field must be known (ZG_SECTIONS_ERROR_UNKNOWN_FIELD
 * otherwise); "private" needs zg_access_may_set_private(); "status" may be changed by whoever
 * may edit, the allowed values are zg-workflow's (the caller checks them); "prozess" (written
 * by the server) and "id"/"version" never change (FORBIDDEN). Handover editors use
 * zg_section_rights_check_fields() instead. */
gboolean
zg_access_check_certificate_change (const ZgCaller        *caller,
                                    const ZgAccessSubject *subject,
                                    const char *const     *paths,
                                    GError               **error)
{
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (subject != NULL, FALSE);
  g_return_val_if_fail (paths != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!zg_access_check_certificate (caller, subject, TRUE, error))
    return FALSE;
  for (guint i = 0; paths[i] != NULL; i++)
    {
      ZgFieldClass klass;

      if (!zg_certificate_field_classify (paths[i], &klass, NULL, error))
        return FALSE;
      switch (klass)
        {
        case ZG_FIELD_SECTION:
          break;
        case ZG_FIELD_PRIVATE:
          if (!zg_access_may_set_private (caller, subject))
            {
              g_set_error_literal (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_FORBIDDEN,
                                   "Only the creator or an administrator may change “private”");
              return FALSE;
            }
          break;
        case ZG_FIELD_STATUS:
          /* Whoever may edit may change the status; which change is allowed is decided
           * by zg_workflow_check_transition() on the values. */
          break;
        case ZG_FIELD_PROCESS:
          g_set_error_literal (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_FORBIDDEN,
                               "The process data (“prozess”) are written by the server only");
          return FALSE;
        case ZG_FIELD_IMMUTABLE:
        default:
          g_set_error (error, ZG_ACCESS_ERROR, ZG_ACCESS_ERROR_FORBIDDEN,
                       "Field “%s” cannot be changed", paths[i]);
          return FALSE;
        }
    }
  return TRUE;
}
