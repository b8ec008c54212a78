/* zg-access.h — the one place that decides who may see and edit what
 *
 * Areas (R-ROLE-1, zg-areas.h) decide which functions a user may use; access
 * criteria (R-ACL-1, R-ACL-2) decide which certificates and employees a user may
 * see and edit; the private rule (R-ACL-3) hides private certificates from
 * everyone but their creator and Administrator-criterion users. Every server
 * handler and the sync filter ask this module, and the SQL filter it renders
 * follows exactly the same rules as the C decision. Model: docs/permissions.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "zg-areas.h"

G_BEGIN_DECLS

#define ZG_ACCESS_ERROR (zg_access_error_quark ())

typedef enum
{
  ZG_ACCESS_ERROR_INVALID,    /* malformed criteria JSON */
  ZG_ACCESS_ERROR_NOT_FOUND,  /* not visible: answer exactly like "does not exist" (404) */
  ZG_ACCESS_ERROR_FORBIDDEN,  /* visible, but this action is not allowed (403) */
} ZgAccessError;

/* The five restrictable dimensions of R-ACL-1; order is stable (JSON, SQL). */
typedef enum
{
  ZG_DIM_COMPANY,
  ZG_DIM_LOCATION,
  ZG_DIM_DEPARTMENT,
  ZG_DIM_ORG_UNIT,
  ZG_DIM_EMPLOYEE_TYPE,
  ZG_N_DIMS
} ZgAccessDimension;

/* More ids than this per dimension are refused, so that a rendered SQL filter stays
 * below SQLite's 999 bound-parameter limit (5 x 150 + 1). */
#define ZG_ACCESS_MAX_IDS 150

/* What master data an area guards (R-ROLE-1). */
typedef enum
{
  ZG_MASTER_EMPLOYEE,           /* Mitarbeiter; per record also the criteria */
  ZG_MASTER_COMPANY,            /* Unternehmen with Standorte, Abteilungen, Org.-Einheiten */
  ZG_MASTER_EMPLOYEE_TYPE,      /* Arbeitnehmertypen: part of the Unternehmen area */
  ZG_MASTER_BERUFSBILD,
  ZG_MASTER_QUALIFICATION,
  ZG_MASTER_FORMATTING,         /* Zeugnisformatierung */
  ZG_MASTER_LETTER_TEXT,        /* Brieftexte */
  ZG_MASTER_MAIL_TEMPLATE,      /* E-Mail-Vorlagen */
  ZG_MASTER_PHRASES,            /* Individualisierung */
  ZG_N_MASTER_KINDS
} ZgMasterKind;

/* Access criteria of one user. A new value grants nothing: every dimension is an
 * empty set. A dimension is either unrestricted ("all") or a set of allowed ids;
 * an empty set allows nothing. */
typedef struct _ZgAccessCriteria ZgAccessCriteria;

/* The caller of a request: borrowed pointers, valid for the request. */
typedef struct
{
  const char             *user_id;    /* NULL for a caller without account (handover) */
  ZgAreaSet               areas;
  const ZgAccessCriteria *criteria;   /* NULL = nothing visible */
  gboolean                read_only;  /* e.g. after contract end (R-CONTRACT-1) */
} ZgCaller;

/* The typed attributes of a certificate or employee; NULL = not assigned. Ids are
 * canonical lower-case UUIDs, compared byte-wise (as in SQL). */
typedef struct
{
  const char *dims[ZG_N_DIMS];   /* indexed by ZgAccessDimension */
  gboolean    is_private;        /* certificates only (R-ACL-3) */
  const char *creator_id;        /* certificates only: the user who created it */
} ZgAccessSubject;

/* A WHERE fragment with '?' placeholders and the values to bind, in textual order. */
typedef struct
{
  char      *where;
  GPtrArray *values;   /* char*: bind as text, in order, from the first '?' of the fragment */
} ZgAccessSql;

GQuark              zg_access_error_quark          (void);

const char         *zg_access_dimension_id         (ZgAccessDimension        dim);
const char         *zg_access_dimension_column     (ZgAccessDimension        dim);
const char         *zg_master_kind_id              (ZgMasterKind             kind);
ZgArea              zg_master_kind_area            (ZgMasterKind             kind);
gboolean            zg_access_is_id                (const char              *id);

ZgAccessCriteria   *zg_access_criteria_new         (void);
ZgAccessCriteria   *zg_access_criteria_new_administrator (void);
ZgAccessCriteria   *zg_access_criteria_copy        (const ZgAccessCriteria  *criteria);
void                zg_access_criteria_free        (ZgAccessCriteria        *criteria);
gboolean            zg_access_criteria_is_administrator (const ZgAccessCriteria *criteria);
void                zg_access_criteria_set_administrator (ZgAccessCriteria  *criteria,
                                                          gboolean           administrator);
void                zg_access_criteria_set_all     (ZgAccessCriteria        *criteria,
                                                    ZgAccessDimension        dim);
gboolean            zg_access_criteria_is_all      (const ZgAccessCriteria  *criteria,
                                                    ZgAccessDimension        dim);
gboolean            zg_access_criteria_add         (ZgAccessCriteria        *criteria,
                                                    ZgAccessDimension        dim,
                                                    const char              *id,
                                                    GError                 **error);
gboolean            zg_access_criteria_allows      (const ZgAccessCriteria  *criteria,
                                                    ZgAccessDimension        dim,
                                                    const char              *id);
ZgAccessCriteria   *zg_access_criteria_from_json   (JsonNode                *node,
                                                    GError                 **error);
JsonNode           *zg_access_criteria_to_json     (const ZgAccessCriteria  *criteria);

gboolean            zg_access_may_see_certificate  (const ZgCaller          *caller,
                                                    const ZgAccessSubject   *subject);
gboolean            zg_access_may_edit_certificate (const ZgCaller          *caller,
                                                    const ZgAccessSubject   *subject);
gboolean            zg_access_may_set_private      (const ZgCaller          *caller,
                                                    const ZgAccessSubject   *subject);
gboolean            zg_access_may_see_employee     (const ZgCaller          *caller,
                                                    const ZgAccessSubject   *subject);
gboolean            zg_access_may_edit_employee    (const ZgCaller          *caller,
                                                    const ZgAccessSubject   *subject);
gboolean            zg_access_may_read_master_data (const ZgCaller          *caller,
                                                    ZgMasterKind             kind);
gboolean            zg_access_may_touch_master_data (const ZgCaller         *caller,
                                                     ZgMasterKind            kind);

gboolean            zg_access_may_create_certificate (const ZgCaller        *caller,
                                                      const ZgAccessSubject *subject);
gboolean            zg_access_may_create_employee  (const ZgCaller          *caller,
                                                    const ZgAccessSubject   *subject);
gboolean            zg_access_check_certificate_change (const ZgCaller      *caller,
                                                        const ZgAccessSubject *subject,
                                                        const char *const *paths,
                                                        GError           **error);

gboolean            zg_access_check_certificate    (const ZgCaller          *caller,
                                                    const ZgAccessSubject   *subject,
                                                    gboolean                 for_edit,
                                                    GError                 **error);
gboolean            zg_access_check_employee       (const ZgCaller          *caller,
                                                    const ZgAccessSubject   *subject,
                                                    gboolean                 for_edit,
                                                    GError                 **error);

ZgAccessSql        *zg_access_certificate_filter_sql (const ZgCaller        *caller,
                                                      const char            *table_alias);
ZgAccessSql        *zg_access_employee_filter_sql  (const ZgCaller          *caller,
                                                    const char              *table_alias);
void                zg_access_sql_free             (ZgAccessSql             *sql);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgAccessCriteria, zg_access_criteria_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgAccessSql, zg_access_sql_free)

G_END_DECLS
