/* zg-areas.c — the permission model for areas (R-ROLE-1, R-ROLE-2)
 *
 * The one place that decides whether a set of areas grants an area. The server
 * asks it for every request; the client asks it to hide what is forbidden.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-areas.h"

typedef struct
{
  ZgArea      area;
  const char *id;
  const char *display_name;
} AreaInfo;

/* Ids are stable API (JSON, client, docs); display names are German UI strings. */
static const AreaInfo areas[ZG_N_AREAS] = {
  { ZG_AREA_ADMINISTRATOR,       "administrator",       "Administrator" },
  { ZG_AREA_MITARBEITER,         "mitarbeiter",         "Mitarbeiter" },
  { ZG_AREA_UNTERNEHMEN,         "unternehmen",         "Unternehmen" },
  { ZG_AREA_BENUTZER,            "benutzer",            "Benutzer" },
  { ZG_AREA_ROLLEN,              "rollen",              "Rollen" },
  { ZG_AREA_BERUFSBILDER,        "berufsbilder",        "Berufsbilder" },
  { ZG_AREA_ZEUGNISFORMATIERUNG, "zeugnisformatierung", "Zeugnisformatierung" },
  { ZG_AREA_BRIEFTEXTE,          "brieftexte",          "Brieftexte" },
  { ZG_AREA_EMAIL_VORLAGEN,      "e-mail-vorlagen",     "E-Mail-Vorlagen" },
  { ZG_AREA_QUALIFIKATIONEN,     "qualifikationen",     "Qualifikationen" },
  { ZG_AREA_SELF_SERVICE,        "self-service",        "Self-Service" },
  { ZG_AREA_INDIVIDUALISIERUNG,  "individualisierung",  "Individualisierung" },
  { ZG_AREA_DATENSCHUTZ,         "datenschutz",         "Datenschutz" },
  { ZG_AREA_SCHNITTSTELLEN,      "schnittstellen",      "Schnittstellen" },
  { ZG_AREA_ACCOUNT,             "account",             "Account" },
};

static const AreaInfo *
find_area (ZgArea area)
{
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    {
      if (areas[i].area == area)
        return &areas[i];
    }
  return NULL;
}

const char *
zg_area_get_id (ZgArea area)
{
  const AreaInfo *info = find_area (area);

  g_return_val_if_fail (info != NULL, NULL);
  return info->id;
}

const char *
zg_area_get_display_name (ZgArea area)
{
  const AreaInfo *info = find_area (area);

  g_return_val_if_fail (info != NULL, NULL);
  return info->display_name;
}

gboolean
zg_area_from_id (const char *id,
                 ZgArea     *out_area)
{
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    {
      if (strcmp (areas[i].id, id) == 0)
        {
          if (out_area != NULL)
            *out_area = areas[i].area;
          return TRUE;
        }
    }
  return FALSE;
}

/* Fills @out_areas with every area in display order; returns how many exist. */
guint
zg_area_list (ZgArea *out_areas,
              guint   n_out)
{
  for (guint i = 0; i < G_N_ELEMENTS (areas) && i < n_out; i++)
    out_areas[i] = areas[i].area;
  return G_N_ELEMENTS (areas);
}

/* Administrator implies every area and cannot be restricted. */
ZgAreaSet
zg_area_set_effective (ZgAreaSet set)
{
  set &= ZG_AREA_SET_ALL;
  if (set & ZG_AREA_ADMINISTRATOR)
    return ZG_AREA_SET_ALL;
  return set;
}

gboolean
zg_area_set_grants (ZgAreaSet have,
                    ZgArea    needed)
{
  if (needed == 0)
    return TRUE;
  return (zg_area_set_effective (have) & (ZgAreaSet) needed) == (ZgAreaSet) needed;
}

/* TRUE when @have holds every area of @wanted: a caller may only hand out what it has. */
gboolean
zg_area_set_includes (ZgAreaSet have,
                      ZgAreaSet wanted)
{
  ZgAreaSet eff_have = zg_area_set_effective (have);
  ZgAreaSet eff_wanted = zg_area_set_effective (wanted);

  return (eff_have & eff_wanted) == eff_wanted;
}

gboolean
zg_area_set_from_json (JsonNode   *array,
                       ZgAreaSet  *out_set,
                       GError    **error)
{
  JsonArray *arr;
  ZgAreaSet set = 0;

  g_return_val_if_fail (out_set != NULL, FALSE);

  if (array == NULL || !JSON_NODE_HOLDS_ARRAY (array))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "areas must be an array of area ids");
      return FALSE;
    }
  arr = json_node_get_array (array);
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonNode *el = json_array_get_element (arr, i);
      ZgArea area;

      if (!JSON_NODE_HOLDS_VALUE (el) || json_node_get_value_type (el) != G_TYPE_STRING ||
          !zg_area_from_id (json_node_get_string (el), &area))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "areas[%u] is not a known area id", i);
          return FALSE;
        }
      set |= area;
    }
  *out_set = set;
  return TRUE;
}

JsonNode *
zg_area_set_to_json (ZgAreaSet set)
{
  g_autoptr(JsonArray) arr = json_array_new ();
  JsonNode *node;

  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    {
      if (set & areas[i].area)
        json_array_add_string_element (arr, areas[i].id);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, arr);
  return node;
}
