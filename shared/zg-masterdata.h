/* zg-masterdata.h — master-data records and their strict JSON codecs
 *
 * Unternehmen with Standorte, Abteilungen and Organisationseinheiten;
 * Arbeitnehmertypen; Mitarbeiter (R-DATA-2); Berufsbilder with task lists
 * (R-APP-2); the Qualifikationen catalogue (R-APP-4). Every record has a string
 * UUID id and a revision the server assigns. The decoders refuse unknown members,
 * wrong types, invalid dates, invalid UTF-8, control characters in one-line
 * fields and overlong values, with a GError that names the field. Limits and
 * formats: docs/permissions.md, "Master data".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "zg-access.h"
#include "zg-certificate.h"

G_BEGIN_DECLS

#define ZG_MASTERDATA_ERROR (zg_masterdata_error_quark ())

typedef enum
{
  ZG_MASTERDATA_ERROR_INVALID,       /* malformed, wrong type, unknown member, missing */
  ZG_MASTERDATA_ERROR_TOO_LONG,      /* string or list over its limit */
  ZG_MASTERDATA_ERROR_FORMAT,        /* id, date, postcode, e-mail, enum, key syntax */
} ZgMasterdataError;

/* Limits in bytes of UTF-8 (strings) or elements (lists). */
#define ZG_MD_MAX_NAME      200   /* names, places, positions, list entries */
#define ZG_MD_MAX_TITLE     60
#define ZG_MD_MAX_STREET    200
#define ZG_MD_MAX_EMAIL     254   /* RFC 5321 path limit */
#define ZG_MD_MAX_TEXT      4000  /* descriptions, task texts */
#define ZG_MD_MAX_UNITS     1000  /* Standorte, Abteilungen, Org.-Einheiten per company */
#define ZG_MD_MAX_TASKS     500   /* tasks per Berufsbild */

typedef struct
{
  char *id;
  char *name;
} ZgOrgUnit;   /* a Standort, an Abteilung or an Organisationseinheit */

typedef struct
{
  char      *id;
  gint64     rev;
  char      *name;
  char      *street;
  char      *postcode;
  char      *city;
  char      *country;        /* ISO 3166-1 alpha-2, "DE" when absent */
  char      *description;    /* the company paragraph of the certificate */
  GPtrArray *locations;      /* ZgOrgUnit*: Standorte */
  GPtrArray *departments;    /* ZgOrgUnit*: Abteilungen */
  GPtrArray *org_units;      /* ZgOrgUnit*: Organisationseinheiten */
} ZgCompany;

typedef struct
{
  char     *id;
  gint64    rev;
  char     *name;            /* "Führungskraft" */
  char     *key;             /* text engine key: "fuehrungskraft", "auszubildender" … */
  gboolean  is_manager;      /* Führungserfolg is rated */
} ZgEmployeeType;

typedef struct
{
  char         *id;
  gint64        rev;
  ZgSalutation  salutation;
  char         *title;
  char         *first_name;
  char         *last_name;
  GDate         birth_date;       /* invalid = not given */
  char         *birth_place;
  char         *street;
  char         *postcode;
  char         *city;
  char         *country;          /* ISO 3166-1 alpha-2, "DE" when absent */
  char         *email;
  GDate         entry_date;
  GDate         exit_date;        /* exit or issue date */
  char         *exit_reason;      /* closing reason key, as in the certificate */
  char         *employee_type_id;
  char         *company_id;
  char         *location_id;
  char         *department_id;
  char         *org_unit_id;
} ZgEmployee;

typedef struct
{
  char      *id;
  gint64     rev;
  char      *name;           /* "Industriekaufmann/-frau" */
  char      *language;       /* "de" or "en" */
  GPtrArray *tasks;          /* char*: the Tätigkeiten to pick from */
} ZgBerufsbild;

typedef enum
{
  ZG_QUALIFICATION_PERSONAL,       /* persönliche Eigenschaft */
  ZG_QUALIFICATION_PROFESSIONAL,   /* fachliche Qualifikation */
  ZG_N_QUALIFICATION_KINDS
} ZgQualificationKind;

typedef struct
{
  char                *id;
  gint64               rev;
  ZgQualificationKind  kind;
  char                *name;     /* "Teamfähigkeit" */
  char                *text;     /* optional wording for the certificate */
  char                *language; /* "de" or "en" */
} ZgQualification;

GQuark            zg_masterdata_error_quark   (void);

gboolean          zg_md_is_valid_email        (const char         *email);
gboolean          zg_md_is_valid_postcode     (const char         *postcode,
                                               const char         *country);

ZgCompany        *zg_company_new              (void);
void              zg_company_free             (ZgCompany          *company);
ZgCompany        *zg_company_from_json        (JsonNode           *node,
                                               GError            **error);
JsonNode         *zg_company_to_json          (const ZgCompany    *company);
const ZgOrgUnit  *zg_company_find_unit        (const ZgCompany    *company,
                                               ZgAccessDimension   dim,
                                               const char         *id);

ZgEmployeeType   *zg_employee_type_new        (void);
void              zg_employee_type_free       (ZgEmployeeType     *type);
ZgEmployeeType   *zg_employee_type_from_json  (JsonNode           *node,
                                               GError            **error);
JsonNode         *zg_employee_type_to_json    (const ZgEmployeeType *type);

ZgEmployee       *zg_employee_new             (void);
void              zg_employee_free            (ZgEmployee         *employee);
ZgEmployee       *zg_employee_from_json       (JsonNode           *node,
                                               GError            **error);
JsonNode         *zg_employee_to_json         (const ZgEmployee   *employee);
void              zg_employee_get_subject     (const ZgEmployee   *employee,
                                               ZgAccessSubject    *out_subject);

ZgBerufsbild     *zg_berufsbild_new           (void);
void              zg_berufsbild_free          (ZgBerufsbild       *berufsbild);
ZgBerufsbild     *zg_berufsbild_from_json     (JsonNode           *node,
                                               GError            **error);
JsonNode         *zg_berufsbild_to_json       (const ZgBerufsbild *berufsbild);

ZgQualification  *zg_qualification_new       (void);
void              zg_qualification_free      (ZgQualification    *qualification);
ZgQualification  *zg_qualification_from_json (JsonNode           *node,
                                              GError            **error);
JsonNode         *zg_qualification_to_json   (const ZgQualification *qualification);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgCompany, zg_company_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgEmployeeType, zg_employee_type_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgEmployee, zg_employee_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgBerufsbild, zg_berufsbild_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgQualification, zg_qualification_free)

G_END_DECLS
