/* zg-sections.c — the steps and sections of a certificate and rights on them (R-HAND-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-certificate.h"
#include "zg-sections.h"

G_DEFINE_QUARK (zg-sections-error-quark, zg_sections_error)

static const struct
{
  const char *id;
  const char *display_name;
} steps[ZG_N_STEPS] = {
  { "daten",     "Daten" },
  { "werdegang", "Werdegang" },
  { "bewertung", "Bewertung" },
  { "ergebnis",  "Ergebnis" },
};

/* Ids are the member names in the certificate JSON. */
static const struct
{
  const char *id;
  const char *display_name;
  ZgStep      step;
} sections[ZG_N_SECTIONS] = {
  { "persoenliche_daten", "Persönliche Daten", ZG_STEP_DATEN },
  { "unternehmen",        "Unternehmen",       ZG_STEP_DATEN },
  { "zeugnisdaten",       "Zeugnisdaten",      ZG_STEP_DATEN },
  { "weitere_angaben",    "Weitere Angaben",   ZG_STEP_DATEN },
  { "unterschriften",     "Unterschriften",    ZG_STEP_DATEN },
  { "stationen",          "Stationen",         ZG_STEP_WERDEGANG },
  { "taetigkeiten",       "Tätigkeiten",       ZG_STEP_WERDEGANG },
  { "zusatztaetigkeiten", "Zusatztätigkeiten", ZG_STEP_WERDEGANG },
  { "weiterbildungen",    "Weiterbildungen",   ZG_STEP_WERDEGANG },
  { "vollmachten",        "Vollmachten",       ZG_STEP_WERDEGANG },
  { "bewertung",          "Bewertung",         ZG_STEP_BEWERTUNG },
  { "qualifikationen",    "Qualifikationen",   ZG_STEP_BEWERTUNG },
  { "erfolge",            "Erfolge",           ZG_STEP_BEWERTUNG },
  { "ergebnis",           "Ergebnis",          ZG_STEP_ERGEBNIS },
};

const char *
zg_step_id (ZgStep step)
{
  g_return_val_if_fail (step < ZG_N_STEPS, NULL);
  return steps[step].id;
}

const char *
zg_step_display_name (ZgStep step)
{
  g_return_val_if_fail (step < ZG_N_STEPS, NULL);
  return steps[step].display_name;
}

const char *
zg_section_id (ZgSection section)
{
  g_return_val_if_fail (section < ZG_N_SECTIONS, NULL);
  return sections[section].id;
}

const char *
zg_section_display_name (ZgSection section)
{
  g_return_val_if_fail (section < ZG_N_SECTIONS, NULL);
  return sections[section].display_name;
}

ZgStep
zg_section_get_step (ZgSection section)
{
  g_return_val_if_fail (section < ZG_N_SECTIONS, ZG_STEP_DATEN);
  return sections[section].step;
}

gboolean
zg_section_from_id (const char *id,
                    ZgSection  *out_section)
{
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint s = 0; s < ZG_N_SECTIONS; s++)
    {
      if (strcmp (sections[s].id, id) == 0)
        {
          if (out_section != NULL)
            *out_section = (ZgSection) s;
          return TRUE;
        }
    }
  return FALSE;
}

/* ---- rights ---- */

#define READ_BIT(s)  ((ZgSectionRights) 1u << (2 * (s)))
#define WRITE_BIT(s) ((ZgSectionRights) 1u << (2 * (s) + 1))

/* Drops unknown bits and adds read wherever write is set. */
ZgSectionRights
zg_section_rights_normalize (ZgSectionRights rights)
{
  rights &= ZG_SECTION_RIGHTS_ALL;
  for (guint s = 0; s < ZG_N_SECTIONS; s++)
    {
      if (rights & WRITE_BIT (s))
        rights |= READ_BIT (s);
    }
  return rights;
}

ZgSectionRights
zg_section_rights_set (ZgSectionRights rights,
                       ZgSection       section,
                       ZgSectionAccess access)
{
  g_return_val_if_fail (section < ZG_N_SECTIONS, rights);
  g_return_val_if_fail (access <= ZG_ACCESS_WRITE, rights);

  rights &= ~(READ_BIT (section) | WRITE_BIT (section));
  if (access >= ZG_ACCESS_READ)
    rights |= READ_BIT (section);
  if (access == ZG_ACCESS_WRITE)
    rights |= WRITE_BIT (section);
  return zg_section_rights_normalize (rights);
}

ZgSectionRights
zg_section_rights_set_step (ZgSectionRights rights,
                            ZgStep          step,
                            ZgSectionAccess access)
{
  g_return_val_if_fail (step < ZG_N_STEPS, rights);

  for (guint s = 0; s < ZG_N_SECTIONS; s++)
    {
      if (sections[s].step == step)
        rights = zg_section_rights_set (rights, (ZgSection) s, access);
    }
  return rights;
}

ZgSectionAccess
zg_section_rights_get (ZgSectionRights rights,
                       ZgSection       section)
{
  g_return_val_if_fail (section < ZG_N_SECTIONS, ZG_ACCESS_NONE);

  rights = zg_section_rights_normalize (rights);
  if (rights & WRITE_BIT (section))
    return ZG_ACCESS_WRITE;
  if (rights & READ_BIT (section))
    return ZG_ACCESS_READ;
  return ZG_ACCESS_NONE;
}

gboolean
zg_section_rights_can_read (ZgSectionRights rights,
                            ZgSection       section)
{
  return zg_section_rights_get (rights, section) >= ZG_ACCESS_READ;
}

gboolean
zg_section_rights_can_write (ZgSectionRights rights,
                             ZgSection       section)
{
  return zg_section_rights_get (rights, section) == ZG_ACCESS_WRITE;
}

gboolean
zg_section_rights_can_download (ZgSectionRights rights)
{
  return (rights & ZG_SECTION_RIGHTS_DOWNLOAD) != 0;
}

static const char *const access_ids[] = { "none", "read", "write" };

static gboolean
rights_error (GError    **error,
              const char *member,
              const char *expected)
{
  g_set_error (error, ZG_SECTIONS_ERROR, ZG_SECTIONS_ERROR_INVALID,
               "“%s” must be %s", member, expected);
  return FALSE;
}

static gboolean
read_sections (JsonNode         *node,
               ZgSectionRights  *rights,
               GError          **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return rights_error (error, "sections", "an object of section ids");
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      ZgSection section;
      const char *s;
      guint a;

      if (!zg_section_from_id (name, &section))
        {
          g_set_error (error, ZG_SECTIONS_ERROR, ZG_SECTIONS_ERROR_INVALID,
                       "Unknown section “sections.%s”", name);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return rights_error (error, name, "\"none\", \"read\" or \"write\"");
      s = json_node_get_string (value);
      for (a = 0; a < G_N_ELEMENTS (access_ids); a++)
        {
          if (strcmp (access_ids[a], s) == 0)
            break;
        }
      if (a == G_N_ELEMENTS (access_ids))
        return rights_error (error, name, "\"none\", \"read\" or \"write\"");
      *rights = zg_section_rights_set (*rights, section, (ZgSectionAccess) a);
    }
  return TRUE;
}

/* {"sections": {"persoenliche_daten": "read", "bewertung": "write", …}, "download": true};
 * an absent section is "none", unknown members are refused. */
gboolean
zg_section_rights_from_json (JsonNode         *node,
                             ZgSectionRights  *out_rights,
                             GError          **error)
{
  ZgSectionRights rights = ZG_SECTION_RIGHTS_NONE;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  g_return_val_if_fail (out_rights != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return rights_error (error, "rights", "an object");
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (strcmp (name, "sections") == 0)
        {
          if (!read_sections (value, &rights, error))
            return FALSE;
        }
      else if (strcmp (name, "download") == 0)
        {
          if (!JSON_NODE_HOLDS_VALUE (value) ||
              json_node_get_value_type (value) != G_TYPE_BOOLEAN)
            return rights_error (error, "download", "true or false");
          if (json_node_get_boolean (value))
            rights |= ZG_SECTION_RIGHTS_DOWNLOAD;
        }
      else
        {
          g_set_error (error, ZG_SECTIONS_ERROR, ZG_SECTIONS_ERROR_INVALID,
                       "Unknown member “%s” in section rights", name);
          return FALSE;
        }
    }
  *out_rights = rights;
  return TRUE;
}

/* Writes every section, also "none", so the stored JSON reads without the defaults. */
JsonNode *
zg_section_rights_to_json (ZgSectionRights rights)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sections");
  json_builder_begin_object (b);
  for (guint s = 0; s < ZG_N_SECTIONS; s++)
    {
      json_builder_set_member_name (b, sections[s].id);
      json_builder_add_string_value (b, access_ids[zg_section_rights_get (rights, (ZgSection) s)]);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "download");
  json_builder_add_boolean_value (b, zg_section_rights_can_download (rights));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- the certificate JSON schema, as written by zg_certificate_to_json() ----
 *
 * A field path is the chain of member names from the root joined by '.', with "[]"
 * or "[N]" after an array member to address its elements:
 *   daten.persoenliche_daten.first_name, daten.unterschriften, werdegang.stationen[2].to,
 *   bewertung.bewertung.grades.wissen, ergebnis.variants.rating.wissen
 * A path must lie at or below one section; anything not in this schema is refused. */

typedef gboolean (*KeyCheck) (const char *key);

typedef struct SchemaNode SchemaNode;
struct SchemaNode
{
  const char       *name;       /* NULL ends a list; "*" = any key accepted by key_ok */
  int               section;    /* -1: not a section root */
  ZgFieldClass      klass;
  gboolean          is_array;
  const SchemaNode *children;   /* members of the object, or of each array element */
  KeyCheck          key_ok;     /* for "*": the key is the rest of the path */
};

static gboolean
is_category_key (const char *key)
{
  ZgCategory c;

  return zg_category_from_key (key, &c);
}

/* The certificate codec's rule for variant slots. */
static gboolean
is_slot_key (const char *s)
{
  if (*s == '\0' || strlen (s) > 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

#define LEAF(n)        { n, -1, ZG_FIELD_SECTION, FALSE, NULL, NULL }
#define LIST(n)        { n, -1, ZG_FIELD_SECTION, TRUE, NULL, NULL }
#define END            { NULL, -1, ZG_FIELD_SECTION, FALSE, NULL, NULL }

static const SchemaNode person_members[] = {
  LEAF ("employee_id"), LEAF ("salutation"), LEAF ("title"), LEAF ("first_name"),
  LEAF ("last_name"), LEAF ("birth_date"), LEAF ("birth_place"), LEAF ("street"),
  LEAF ("postcode"), LEAF ("city"), LEAF ("email"), END
};
static const SchemaNode company_members[] = {
  LEAF ("name"), LIST ("address"), LEAF ("description"), LEAF ("location"),
  LEAF ("department"), LEAF ("org_unit"), END
};
static const SchemaNode zeugnis_members[] = {
  LEAF ("kind"), LEAF ("language"), LEAF ("issue_date"), LEAF ("issue_place"), LEAF ("reason"),
  LEAF ("entry_date"), LEAF ("exit_date"), LEAF ("position"), LEAF ("employee_type"),
  LEAF ("manager"), END
};
static const SchemaNode weitere_members[] = {
  LEAF ("notes"), LEAF ("occupation"), LEAF ("vocational_school"), END
};
static const SchemaNode signatory_members[] = {
  LEAF ("employee_id"), LEAF ("name"), LEAF ("function"), END
};
static const SchemaNode daten_members[] = {
  { "persoenliche_daten", ZG_SECTION_PERSOENLICHE_DATEN, ZG_FIELD_SECTION, FALSE, person_members, NULL },
  { "unternehmen", ZG_SECTION_UNTERNEHMEN, ZG_FIELD_SECTION, FALSE, company_members, NULL },
  { "zeugnisdaten", ZG_SECTION_ZEUGNISDATEN, ZG_FIELD_SECTION, FALSE, zeugnis_members, NULL },
  { "weitere_angaben", ZG_SECTION_WEITERE_ANGABEN, ZG_FIELD_SECTION, FALSE, weitere_members, NULL },
  { "unterschriften", ZG_SECTION_UNTERSCHRIFTEN, ZG_FIELD_SECTION, TRUE, signatory_members, NULL },
  END
};
static const SchemaNode station_members[] = {
  LEAF ("position"), LEAF ("department"), LEAF ("from"), LEAF ("to"), END
};
static const SchemaNode task_members[] = {
  LEAF ("berufsbild"), LIST ("items"), END
};
static const SchemaNode werdegang_members[] = {
  { "stationen", ZG_SECTION_STATIONEN, ZG_FIELD_SECTION, TRUE, station_members, NULL },
  { "taetigkeiten", ZG_SECTION_TAETIGKEITEN, ZG_FIELD_SECTION, FALSE, task_members, NULL },
  { "zusatztaetigkeiten", ZG_SECTION_ZUSATZTAETIGKEITEN, ZG_FIELD_SECTION, TRUE, NULL, NULL },
  { "weiterbildungen", ZG_SECTION_WEITERBILDUNGEN, ZG_FIELD_SECTION, TRUE, NULL, NULL },
  { "vollmachten", ZG_SECTION_VOLLMACHTEN, ZG_FIELD_SECTION, TRUE, NULL, NULL },
  END
};
static const SchemaNode grade_members[] = {
  { "*", -1, ZG_FIELD_SECTION, FALSE, NULL, is_category_key }, END
};
static const SchemaNode rating_members[] = {
  { "grades", -1, ZG_FIELD_SECTION, FALSE, grade_members, NULL }, LEAF ("overall"), END
};
static const SchemaNode bewertung_members[] = {
  { "bewertung", ZG_SECTION_BEWERTUNG, ZG_FIELD_SECTION, FALSE, rating_members, NULL },
  { "qualifikationen", ZG_SECTION_QUALIFIKATIONEN, ZG_FIELD_SECTION, TRUE, NULL, NULL },
  { "erfolge", ZG_SECTION_ERFOLGE, ZG_FIELD_SECTION, TRUE, NULL, NULL },
  END
};
static const SchemaNode variant_members[] = {
  { "*", -1, ZG_FIELD_SECTION, FALSE, NULL, is_slot_key }, END
};
static const SchemaNode ergebnis_members[] = {
  { "variants", -1, ZG_FIELD_SECTION, FALSE, variant_members, NULL }, LEAF ("text"), END
};
/* R-DATA-4 process data: written by the server only, never by a mutation. */
static gboolean
is_any_key (const char *s)
{
  return *s != '\0';
}
static const SchemaNode process_members[] = {
  { "*", -1, ZG_FIELD_PROCESS, FALSE, NULL, is_any_key }, END
};
static const SchemaNode root_members[] = {
  { "version", -1, ZG_FIELD_IMMUTABLE, FALSE, NULL, NULL },
  { "id", -1, ZG_FIELD_IMMUTABLE, FALSE, NULL, NULL },
  { "status", -1, ZG_FIELD_STATUS, FALSE, NULL, NULL },
  { "private", -1, ZG_FIELD_PRIVATE, FALSE, NULL, NULL },
  { "prozess", -1, ZG_FIELD_PROCESS, FALSE, process_members, NULL },
  { "daten", -1, ZG_FIELD_SECTION, FALSE, daten_members, NULL },
  { "werdegang", -1, ZG_FIELD_SECTION, FALSE, werdegang_members, NULL },
  { "bewertung", -1, ZG_FIELD_SECTION, FALSE, bewertung_members, NULL },
  { "ergebnis", ZG_SECTION_ERGEBNIS, ZG_FIELD_SECTION, FALSE, ergebnis_members, NULL },
  END
};

static gboolean
unknown_field (GError    **error,
               const char *path,
               const char *why)
{
  g_set_error (error, ZG_SECTIONS_ERROR, ZG_SECTIONS_ERROR_UNKNOWN_FIELD,
               "Field “%s” %s", path, why);
  return FALSE;
}

/* Splits "name[3]" / "name[]" into the name and whether an index was given. */
static gboolean
split_segment (char      *segment,
               gboolean  *indexed)
{
  char *bracket = strchr (segment, '[');

  *indexed = FALSE;
  if (bracket == NULL)
    return *segment != '\0';
  if (bracket == segment || segment[strlen (segment) - 1] != ']')
    return FALSE;
  for (const char *p = bracket + 1; *p != ']'; p++)
    {
      if (!g_ascii_isdigit (*p) || p - bracket > 6)
        return FALSE;
    }
  if (strchr (bracket + 1, '[') != NULL || strchr (bracket, ']')[1] != '\0')
    return FALSE;
  *bracket = '\0';
  *indexed = TRUE;
  return TRUE;
}

/* Which section (or record-level class) owns @path; FALSE with UNKNOWN_FIELD for any
 * path outside the schema or above a section. */
gboolean
zg_certificate_field_classify (const char    *path,
                               ZgFieldClass  *out_class,
                               ZgSection     *out_section,
                               GError       **error)
{
  g_auto(GStrv) segments = NULL;
  const SchemaNode *level = root_members;
  int section = -1;
  ZgFieldClass klass = ZG_FIELD_SECTION;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (strlen (path) > 256 || !g_utf8_validate (path, -1, NULL))
    return unknown_field (error, "(invalid)", "is not a field path");
  segments = g_strsplit (path, ".", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      const SchemaNode *node = NULL;
      gboolean indexed;

      if (level == NULL)
        return unknown_field (error, path, "does not exist");
      if (level[0].name != NULL && strcmp (level[0].name, "*") == 0)
        {
          g_autofree char *rest = g_strjoinv (".", &segments[i]);

          if (!level[0].key_ok (rest))
            return unknown_field (error, path, "does not exist");
          break;
        }
      if (!split_segment (segments[i], &indexed))
        return unknown_field (error, path, "is not a field path");
      for (const SchemaNode *n = level; n->name != NULL; n++)
        {
          if (strcmp (n->name, segments[i]) == 0)
            {
              node = n;
              break;
            }
        }
      if (node == NULL || (indexed && !node->is_array))
        return unknown_field (error, path, "does not exist");
      if (node->is_array && !indexed && segments[i + 1] != NULL)
        return unknown_field (error, path, "needs an index (“[]” or “[N]”) on the array");
      if (node->section >= 0)
        section = node->section;
      klass = node->klass;
      level = node->children;
      if (indexed && level == NULL && segments[i + 1] != NULL)
        return unknown_field (error, path, "does not exist");
    }
  if (klass == ZG_FIELD_SECTION && section < 0)
    return unknown_field (error, path, "spans several sections; name a field inside one");
  if (out_class != NULL)
    *out_class = klass;
  if (out_section != NULL)
    *out_section = klass == ZG_FIELD_SECTION ? (ZgSection) section : ZG_N_SECTIONS;
  return TRUE;
}

/* For a handover editor: every path must lie in a section @rights may write. Record-level
 * fields (id, version, status, private) are never writable through section rights. */
gboolean
zg_section_rights_check_fields (ZgSectionRights     rights,
                                const char *const  *paths,
                                GError            **error)
{
  g_return_val_if_fail (paths != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      ZgFieldClass klass;
      ZgSection section;

      if (!zg_certificate_field_classify (paths[i], &klass, &section, error))
        return FALSE;
      if (klass != ZG_FIELD_SECTION)
        {
          g_set_error (error, ZG_SECTIONS_ERROR, ZG_SECTIONS_ERROR_DENIED,
                       "Field “%s” cannot be changed here", paths[i]);
          return FALSE;
        }
      if (!zg_section_rights_can_write (rights, section))
        {
          g_set_error (error, ZG_SECTIONS_ERROR, ZG_SECTIONS_ERROR_DENIED,
                       "Field “%s” is in section “%s”, which is not writable",
                       paths[i], sections[section].id);
          return FALSE;
        }
    }
  return TRUE;
}

/* A copy of @certificate (zg_certificate_to_json() form) holding only what @rights may
 * read: id, version, status and the readable sections; never "private". */
JsonNode *
zg_section_rights_filter_certificate (ZgSectionRights  rights,
                                      JsonNode        *certificate)
{
  g_autoptr(JsonObject) out = json_object_new ();
  JsonObject *in;
  JsonNode *node;

  g_return_val_if_fail (certificate != NULL && JSON_NODE_HOLDS_OBJECT (certificate), NULL);

  in = json_node_get_object (certificate);
  for (guint i = 0; i < 3; i++)
    {
      static const char *const record[] = { "version", "id", "status" };
      JsonNode *member = json_object_get_member (in, record[i]);

      if (member != NULL)
        json_object_set_member (out, record[i], json_node_copy (member));
    }
  for (const SchemaNode *step = root_members; step->name != NULL; step++)
    {
      JsonNode *member = json_object_get_member (in, step->name);
      g_autoptr(JsonObject) filtered = NULL;

      if (step->klass != ZG_FIELD_SECTION || member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
        continue;
      if (step->section >= 0)
        {
          if (zg_section_rights_can_read (rights, (ZgSection) step->section))
            json_object_set_member (out, step->name, json_node_copy (member));
          continue;
        }
      filtered = json_object_new ();
      for (const SchemaNode *s = step->children; s->name != NULL; s++)
        {
          JsonNode *content = json_object_get_member (json_node_get_object (member), s->name);

          if (content != NULL && zg_section_rights_can_read (rights, (ZgSection) s->section))
            json_object_set_member (filtered, s->name, json_node_copy (content));
        }
      if (json_object_get_size (filtered) > 0)
        json_object_set_object_member (out, step->name, g_steal_pointer (&filtered));
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, out);
  return node;
}
