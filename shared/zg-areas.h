/* zg-areas.h — the permission model for areas (R-ROLE-1, R-ROLE-2)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Bit values are stored in databases: never renumber, only append. */
typedef enum
{
  ZG_AREA_ADMINISTRATOR       = 1u << 0,
  ZG_AREA_MITARBEITER         = 1u << 1,
  ZG_AREA_UNTERNEHMEN         = 1u << 2,
  ZG_AREA_BENUTZER            = 1u << 3,
  ZG_AREA_ROLLEN              = 1u << 4,
  ZG_AREA_BERUFSBILDER        = 1u << 5,
  ZG_AREA_ZEUGNISFORMATIERUNG = 1u << 6,
  ZG_AREA_BRIEFTEXTE          = 1u << 7,
  ZG_AREA_EMAIL_VORLAGEN      = 1u << 8,
  ZG_AREA_QUALIFIKATIONEN     = 1u << 9,
  ZG_AREA_SELF_SERVICE        = 1u << 10,
  ZG_AREA_INDIVIDUALISIERUNG  = 1u << 11,
  ZG_AREA_DATENSCHUTZ         = 1u << 12,
  ZG_AREA_SCHNITTSTELLEN      = 1u << 13,
  ZG_AREA_ACCOUNT             = 1u << 14,
} ZgArea;

/* A set of areas; 0 = no area. */
typedef guint32 ZgAreaSet;

#define ZG_AREA_SET_NONE ((ZgAreaSet) 0)
#define ZG_AREA_SET_ALL  ((ZgAreaSet) ((1u << 15) - 1))
#define ZG_N_AREAS 15

const char *zg_area_get_id            (ZgArea       area);
const char *zg_area_get_display_name  (ZgArea       area);
gboolean    zg_area_from_id           (const char  *id,
                                       ZgArea      *out_area);
guint       zg_area_list              (ZgArea      *out_areas,
                                       guint        n_out);

ZgAreaSet   zg_area_set_effective     (ZgAreaSet    set);
gboolean    zg_area_set_grants        (ZgAreaSet    have,
                                       ZgArea       needed);
gboolean    zg_area_set_includes      (ZgAreaSet    have,
                                       ZgAreaSet    wanted);
gboolean    zg_area_set_from_json     (JsonNode    *array,
                                       ZgAreaSet   *out_set,
                                       GError     **error);
JsonNode   *zg_area_set_to_json       (ZgAreaSet    set);

G_END_DECLS
