/* zg-certificate.h — the certificate (Zeugnis) record and its JSON codec
 *
 * One record holds everything needed to write one certificate: the sections of
 * R-DATA-3 (Daten, Werdegang, Bewertung, Ergebnis) and the employee data of
 * R-DATA-2 it uses. The JSON form groups members by those sections so that
 * handover permissions (R-HAND-3) map onto JSON objects; the server stores and
 * syncs exactly this JSON. Format: docs/engine.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ZG_CERTIFICATE_ERROR (zg_certificate_error_quark ())

typedef enum
{
  ZG_CERTIFICATE_ERROR_INVALID,      /* malformed JSON, wrong type, unknown member */
  ZG_CERTIFICATE_ERROR_OUT_OF_RANGE, /* grade, variant index, enum value */
  ZG_CERTIFICATE_ERROR_DATE,         /* not a valid YYYY-MM-DD date */
} ZgCertificateError;

typedef enum
{
  ZG_KIND_ENDZEUGNIS,
  ZG_KIND_ZWISCHENZEUGNIS,
  ZG_KIND_AUSBILDUNGSZEUGNIS,
  ZG_KIND_PRAKTIKUMSZEUGNIS,
  ZG_N_KINDS
} ZgCertificateKind;

typedef enum
{
  ZG_SALUTATION_NONE,   /* no salutation: written like divers, with the full name */
  ZG_SALUTATION_HERR,
  ZG_SALUTATION_FRAU,
  ZG_SALUTATION_DIVERS,
  ZG_N_SALUTATIONS
} ZgSalutation;

typedef enum
{
  ZG_STATUS_DRAFT,             /* Entwurf: HR writes */
  ZG_STATUS_HANDED_OVER,       /* Beim Vorgesetzten: a supervisor edits via a handover link */
  ZG_STATUS_HANDOVER_FINISHED, /* Bearbeitung beendet: the supervisor finished (R-HAND-5) */
  ZG_STATUS_REVIEW,            /* In Prüfung: HR checks the text */
  ZG_STATUS_APPROVED,          /* Freigegeben: text approved, may be issued */
  ZG_STATUS_COMPLETED,         /* Abgeschlossen: handed to the employee; reopen to change */
  ZG_N_STATUSES
} ZgCertificateStatus;

/* The rating categories of R-DATA-3, in canonical order. */
typedef enum
{
  ZG_CAT_BEREITSCHAFT,
  ZG_CAT_BEFAEHIGUNG,
  ZG_CAT_WISSEN,
  ZG_CAT_WEITERBILDUNG,
  ZG_CAT_ARBEITSWEISE,
  ZG_CAT_ARBEITSERFOLG,
  ZG_CAT_FUEHRUNGSERFOLG,
  ZG_CAT_VERHALTEN_INTERN,
  ZG_CAT_VERHALTEN_EXTERN,
  ZG_CAT_ABSCHLUSSPRUEFUNG,
  ZG_N_CATEGORIES
} ZgCategory;

typedef struct
{
  char  *position;      /* "Sachbearbeiterin Buchhaltung" */
  char  *department;    /* optional */
  GDate  from;          /* invalid (g_date_valid() false) = not given */
  GDate  to;
} ZgStation;

typedef struct
{
  char *employee_id;    /* the signatory's employee record (R-DEL-3), optional */
  char *name;           /* "Dr. Erika Groß" */
  char *function;       /* "Geschäftsführerin" */
} ZgCertSignatory;

/* R-DATA-4 process data: written by the server only (docs/engine.md, "prozess"). */
typedef enum
{
  ZG_PROCESS_STATUS,             /* a status change: from, to, by, at */
  ZG_PROCESS_HANDOVER,           /* handed over to a supervisor for editing */
  ZG_PROCESS_HANDOVER_FINISHED,  /* the supervisor finished editing */
  ZG_N_PROCESS_EVENTS
} ZgProcessEventType;

typedef struct
{
  ZgProcessEventType   type;
  ZgCertificateStatus  from;         /* ZG_PROCESS_STATUS only */
  ZgCertificateStatus  to;
  char                *by;           /* the user's id (decimal text); NULL = no account */
  char                *by_name;      /* the user's name at that time */
  char                *supervisor;   /* handover events: the supervisor's name */
  gint64               at;           /* seconds since the epoch (UTC) */
} ZgProcessEvent;

typedef struct
{
  /* record */
  char                *id;
  ZgCertificateStatus  status;
  gboolean             is_private;          /* R-ACL-3 */

  /* Daten / Persönliche Daten (R-DATA-2) */
  char                *employee_id;
  ZgSalutation         salutation;
  char                *title;               /* "Dr." */
  char                *first_name;
  char                *last_name;
  GDate                birth_date;
  char                *birth_place;
  char                *street;
  char                *postcode;
  char                *city;
  char                *email;

  /* Daten / Unternehmen */
  char                *company_name;
  GPtrArray           *company_address;     /* char*: letterhead lines */
  char                *company_description; /* free text, one paragraph */
  char                *location;            /* Standort */
  char                *department;          /* Abteilung */
  char                *org_unit;            /* Organisationseinheit */

  /* Daten / Zeugnisdaten */
  ZgCertificateKind    kind;
  char                *language;            /* "de" or "en" */
  GDate                issue_date;
  char                *issue_place;
  char                *reason;              /* closing reason key, see docs/engine.md */
  GDate                entry_date;
  GDate                exit_date;
  char                *position;
  char                *employee_type;       /* Arbeitnehmertyp: "angestellter", "fuehrungskraft", ... */
  gboolean             is_manager;          /* Führungserfolg is written (also implied by type) */

  /* Daten / Weitere Angaben */
  char                *notes;               /* internal, never printed */
  char                *occupation;          /* Ausbildungsberuf */
  char                *vocational_school;   /* Berufsschule */

  /* Daten / Unterschriften */
  GPtrArray           *signatories;         /* ZgCertSignatory* */

  /* Werdegang */
  GPtrArray           *stations;            /* ZgStation* */
  char                *berufsbild;          /* job profile the tasks came from (R-APP-2) */
  GPtrArray           *tasks;               /* char* */
  GPtrArray           *additional_tasks;    /* char*: Zusatztätigkeiten */
  GPtrArray           *trainings;           /* char*: Weiterbildungen */
  GPtrArray           *powers;              /* char*: Vollmachten ("Prokura") */

  /* Bewertung */
  int                  grades[ZG_N_CATEGORIES]; /* 1..5, 0 = not rated */
  int                  overall_override;        /* 1..5, 0 = derive from grades */
  GPtrArray           *qualifications;      /* char* */
  GPtrArray           *achievements;        /* char*: Erfolge */

  /* Ergebnis */
  GHashTable          *variant_choices;     /* slot (char*) -> phrase variant id (char*) */
  GHashTable          *variant_indexes;     /* slot -> GUINT_TO_POINTER (list position):
                                               records from before ids were stored */
  char                *edited_text;         /* hand-edited letter text, NULL = generated */

  /* Prozess (R-DATA-4): creation and every status change, handover and finish; written by
   * the server in the same transaction as the change, read-only for clients */
  char                *created_by;          /* user id (decimal text) */
  char                *created_by_name;
  gint64               created_at;          /* seconds since the epoch; 0 = not recorded */
  GPtrArray           *process_events;      /* ZgProcessEvent*, oldest first */
} ZgCertificate;

GQuark             zg_certificate_error_quark     (void);

ZgCertificate     *zg_certificate_new             (void);
void               zg_certificate_free            (ZgCertificate       *cert);
ZgCertificate     *zg_certificate_copy            (const ZgCertificate *cert);

ZgCertificate     *zg_certificate_from_json       (JsonNode            *node,
                                                   GError             **error);
ZgCertificate     *zg_certificate_from_data       (const char          *data,
                                                   gssize               length,
                                                   GError             **error);
JsonNode          *zg_certificate_to_json         (const ZgCertificate *cert);
char              *zg_certificate_to_data         (const ZgCertificate *cert,
                                                   gboolean             pretty);

gboolean           zg_certificate_set_grade       (ZgCertificate       *cert,
                                                   ZgCategory           category,
                                                   int                  grade,
                                                   GError             **error);
/* The sentence chosen for a slot, by phrase id (stable when the record or the
 * library changes; docs/engine.md "Variant choice"). NULL id = the default. */
gboolean           zg_certificate_set_variant_id  (ZgCertificate       *cert,
                                                   const char          *slot,
                                                   const char          *id,
                                                   GError             **error);
const char        *zg_certificate_get_variant_id  (const ZgCertificate *cert,
                                                   const char          *slot);
/* Legacy choice by position in the slot's current variant list (what older
 * records stored); not stable when the record changes. Use the id setter;
 * zg_generator_pin_variants() turns positions into ids. */
void               zg_certificate_set_variant     (ZgCertificate       *cert,
                                                   const char          *slot,
                                                   guint                index);
guint              zg_certificate_get_variant     (const ZgCertificate *cert,
                                                   const char          *slot);
gboolean           zg_certificate_is_manager      (const ZgCertificate *cert);
gboolean           zg_certificate_is_final        (const ZgCertificate *cert);
gboolean           zg_certificate_category_applies (const ZgCertificate *cert,
                                                    ZgCategory           category);

const char        *zg_category_key                (ZgCategory           category);
const char        *zg_category_slot               (ZgCategory           category);
gboolean           zg_category_from_key           (const char          *key,
                                                   ZgCategory          *out);
const char        *zg_kind_key                    (ZgCertificateKind    kind);
gboolean           zg_kind_from_key               (const char          *key,
                                                   ZgCertificateKind   *out);
const char        *zg_salutation_key              (ZgSalutation         salutation);
const char        *zg_process_event_type_key      (ZgProcessEventType   type);
ZgProcessEvent    *zg_process_event_new           (ZgProcessEventType   type);
void               zg_process_event_free          (ZgProcessEvent      *event);
const char        *zg_status_key                  (ZgCertificateStatus  status);
gboolean           zg_status_from_key             (const char          *key,
                                                   ZgCertificateStatus *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgCertificate, zg_certificate_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgProcessEvent, zg_process_event_free)

G_END_DECLS
