/* zg-sections.h — the steps and sections of a certificate and rights on them (R-HAND-3)
 *
 * The process steps and sections of R-DATA-3 with stable ids (the member names of
 * the certificate JSON, zg-certificate.h), read/write rights per section plus
 * Download as one compact value with a JSON codec, and the mapping from every
 * field of the certificate JSON to its section, so that a push mutation's changed
 * fields can be checked section by section. Model: docs/permissions.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ZG_SECTIONS_ERROR (zg_sections_error_quark ())

typedef enum
{
  ZG_SECTIONS_ERROR_INVALID,       /* malformed rights JSON */
  ZG_SECTIONS_ERROR_UNKNOWN_FIELD, /* a field path no section owns: always refused */
  ZG_SECTIONS_ERROR_DENIED,        /* the field's section (or class) is not writable */
} ZgSectionsError;

typedef enum
{
  ZG_STEP_DATEN,
  ZG_STEP_WERDEGANG,
  ZG_STEP_BEWERTUNG,
  ZG_STEP_ERGEBNIS,
  ZG_N_STEPS
} ZgStep;

/* Values are stored (bit positions of ZgSectionRights): never renumber, only append. */
typedef enum
{
  ZG_SECTION_PERSOENLICHE_DATEN,
  ZG_SECTION_UNTERNEHMEN,
  ZG_SECTION_ZEUGNISDATEN,
  ZG_SECTION_WEITERE_ANGABEN,
  ZG_SECTION_UNTERSCHRIFTEN,
  ZG_SECTION_STATIONEN,
  ZG_SECTION_TAETIGKEITEN,
  ZG_SECTION_ZUSATZTAETIGKEITEN,
  ZG_SECTION_WEITERBILDUNGEN,
  ZG_SECTION_VOLLMACHTEN,
  ZG_SECTION_BEWERTUNG,
  ZG_SECTION_QUALIFIKATIONEN,
  ZG_SECTION_ERFOLGE,
  ZG_SECTION_ERGEBNIS,
  ZG_N_SECTIONS
} ZgSection;

/* Rights as one integer for a database column: bit 2s = read, bit 2s+1 = write for
 * section s, bit 28 = download. Write always implies read (normalised). 0 = nothing. */
typedef guint32 ZgSectionRights;

#define ZG_SECTION_RIGHTS_NONE     ((ZgSectionRights) 0)
#define ZG_SECTION_RIGHTS_DOWNLOAD ((ZgSectionRights) (1u << (2 * ZG_N_SECTIONS)))
#define ZG_SECTION_RIGHTS_ALL      ((ZgSectionRights) ((1u << (2 * ZG_N_SECTIONS + 1)) - 1))

typedef enum
{
  ZG_ACCESS_NONE,
  ZG_ACCESS_READ,
  ZG_ACCESS_WRITE,   /* read and write */
} ZgSectionAccess;

/* What a field of the certificate JSON is. */
typedef enum
{
  ZG_FIELD_SECTION,    /* content of a section: writable with write right on it */
  ZG_FIELD_PRIVATE,    /* "private": zg_access_may_set_private(), never via a handover */
  ZG_FIELD_STATUS,     /* "status": only through the status workflow (zg-workflow.h) */
  ZG_FIELD_IMMUTABLE,  /* "id", "version": never changed by a mutation */
  ZG_FIELD_PROCESS,    /* "prozess" and below: R-DATA-4 process data, written by the server */
} ZgFieldClass;

GQuark           zg_sections_error_quark     (void);

const char      *zg_step_id                  (ZgStep              step);
const char      *zg_step_display_name        (ZgStep              step);
const char      *zg_section_id               (ZgSection           section);
const char      *zg_section_display_name     (ZgSection           section);
ZgStep           zg_section_get_step         (ZgSection           section);
gboolean         zg_section_from_id          (const char         *id,
                                              ZgSection          *out_section);

ZgSectionRights  zg_section_rights_normalize (ZgSectionRights     rights);
ZgSectionRights  zg_section_rights_set       (ZgSectionRights     rights,
                                              ZgSection           section,
                                              ZgSectionAccess     access);
ZgSectionRights  zg_section_rights_set_step  (ZgSectionRights     rights,
                                              ZgStep              step,
                                              ZgSectionAccess     access);
ZgSectionAccess  zg_section_rights_get       (ZgSectionRights     rights,
                                              ZgSection           section);
gboolean         zg_section_rights_can_read  (ZgSectionRights     rights,
                                              ZgSection           section);
gboolean         zg_section_rights_can_write (ZgSectionRights     rights,
                                              ZgSection           section);
gboolean         zg_section_rights_can_download (ZgSectionRights  rights);
gboolean         zg_section_rights_from_json (JsonNode           *node,
                                              ZgSectionRights    *out_rights,
                                              GError            **error);
JsonNode        *zg_section_rights_to_json   (ZgSectionRights     rights);

gboolean         zg_certificate_field_classify (const char       *path,
                                                ZgFieldClass     *out_class,
                                                ZgSection        *out_section,
                                                GError          **error);
gboolean         zg_section_rights_check_fields (ZgSectionRights   rights,
                                                 const char *const *paths,
                                                 GError          **error);
JsonNode        *zg_section_rights_filter_certificate (ZgSectionRights  rights,
                                                       JsonNode        *certificate);

G_END_DECLS
