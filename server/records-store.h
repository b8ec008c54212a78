/* records-store.h — certificates, employees and master data on the server: the one mutation path
 *
 * Push mutations, the REST single-record endpoints (R-APP-7) and the pull all go through
 * this module; who may see and change what is asked from shared/zg-access.h only.
 * Protocol: docs/sync-protocol.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "zg-access.h"
#include "zg-certificate.h"
#include "zg-masterdata.h"
#include "zg-server.h"

G_BEGIN_DECLS

#define ZG_SETTING_HISTORY_ENABLED "history_enabled"
#define ZG_SETTING_SYNC_HISTORY_DAYS "sync_history_days"

#define ZG_AUDIT_RECORD_DELETED        "record_deleted"
#define ZG_AUDIT_ACCESS_CRITERIA_SET   "access_criteria_changed"

/* More mutations than this in one push are refused as a whole. */
#define ZG_SYNC_MAX_MUTATIONS 2000
#define ZG_SYNC_MAX_FIELDS    500

typedef enum
{
  ZG_ENTITY_CERTIFICATE,
  ZG_ENTITY_EMPLOYEE,
  ZG_ENTITY_COMPANY,
  ZG_ENTITY_EMPLOYEE_TYPE,
  ZG_ENTITY_JOB_PROFILE,
  ZG_ENTITY_QUALIFICATION,
  ZG_N_ENTITIES
} ZgEntity;

typedef enum
{
  ZG_MUTATION_UPDATE,
  ZG_MUTATION_CREATE,
  ZG_MUTATION_DELETE,
} ZgMutationOp;

/* The caller of one request with its access criteria loaded from the database. */
typedef struct
{
  gint64             user_id;
  char              *user_id_text;
  char              *email;
  char              *name;          /* "first last" of the account, for the process data */
  ZgAccessCriteria  *criteria;      /* NULL = nothing visible */
  char              *fingerprint;   /* SHA-256 hex over user and criteria: part of the cursor */
  ZgCaller           access;
} ZgRecordsCaller;

typedef struct
{
  const char    *client_id;     /* "rest:<user id>" for REST calls */
  gint64         mutation_id;   /* 0 = not recorded (REST) */
  ZgEntity       entity;
  const char    *id;
  ZgMutationOp   op;
  gint64         base_rev;      /* update: -1 = the current revision (REST without base_rev) */
  JsonObject    *fields;        /* path -> value; create: members of the new record */
  gboolean       reopen;        /* the explicit reopen of a status change back to draft */
  const char    *supervisor;    /* status to handed-over / handover-finished: the supervisor */
} ZgMutation;

gboolean          zg_entity_from_id          (const char          *id,
                                              ZgEntity            *out_entity);
const char       *zg_entity_id               (ZgEntity             entity);

void              zg_records_init            (ZgServer            *server);

ZgRecordsCaller  *zg_records_caller_load     (ZgServer            *server,
                                              gint64               user_id,
                                              const char          *email,
                                              ZgAreaSet            areas,
                                              GError             **error);
void              zg_records_caller_free     (ZgRecordsCaller     *caller);

/* Applies one mutation inside the caller's open transaction. Returns the result object
 * ({"status": "applied"|"conflict"|"rejected", "rev", "reason", "message", "conflicts"});
 * NULL with @error only on a database failure (the caller rolls back). A rejected
 * mutation may have written partially: run it inside a savepoint and roll back to it. */
JsonObject       *zg_records_apply           (ZgServer            *server,
                                              const ZgRecordsCaller *caller,
                                              const ZgMutation    *mutation,
                                              const char          *ip,
                                              GError             **error);

/* Deletes a record with its history, field stamps and references and writes its removal,
 * inside the caller's transaction, without any rights check: for jobs (R-DEL-2/4) and for
 * zg_records_apply after its checks. A missing record is no error. */
gboolean          zg_records_delete_unchecked (ZgServer           *server,
                                               ZgEntity            entity,
                                               const char         *id,
                                               gint64             *out_history_rows,
                                               GError            **error);

/* Changes a certificate's status through the workflow (zg-workflow.h) exactly like a push
 * mutation {"status": to} of @caller would, inside the caller's open transaction (run it in
 * a savepoint: a rejected change may have written partially). @reopen is the explicit
 * reopen (review/approved/completed -> draft); @supervisor the supervisor's name for
 * handed-over / handover-finished (NULL: none, or the last handover's). Records the
 * R-DATA-4 process data. Returns the result object as zg_records_apply; NULL only on a
 * database error. */
JsonObject       *zg_records_set_status      (ZgServer            *server,
                                              const ZgRecordsCaller *caller,
                                              const char          *certificate_id,
                                              ZgCertificateStatus  to,
                                              gboolean             reopen,
                                              const char          *supervisor,
                                              GError             **error);

/* Records a handover event (ZG_PROCESS_HANDOVER or ZG_PROCESS_HANDOVER_FINISHED) with the
 * supervisor's name in the certificate's process data and in certificate_events, inside the
 * caller's transaction, without a rights check (for the handover feature; the status is
 * not changed). The certificate gets a new revision (@out_rev). FALSE with
 * G_IO_ERROR_NOT_FOUND for an unknown certificate. */
gboolean          zg_records_note_handover   (ZgServer            *server,
                                              const char          *certificate_id,
                                              ZgProcessEventType   type,
                                              const char          *supervisor,
                                              gint64               user_id,
                                              gint64              *out_rev,
                                              GError             **error);

/* Trimming (maintenance): removals and answered mutations older than the setting
 * sync_history_days are deleted and sync_sequence.trimmed_seq raised, so that incremental
 * cursors below it answer resync_required. One transaction. */
gboolean          zg_records_trim            (ZgServer            *server,
                                              gint64              *out_removals,
                                              gint64              *out_mutations,
                                              GError             **error);

/* The record as the caller may see it, or NULL (not found = not visible). */
JsonObject       *zg_records_get             (ZgServer            *server,
                                              const ZgRecordsCaller *caller,
                                              ZgEntity             entity,
                                              const char          *id,
                                              GError             **error);
JsonArray        *zg_records_list            (ZgServer            *server,
                                              const ZgRecordsCaller *caller,
                                              ZgEntity             entity,
                                              GError             **error);
/* Appends "(visible to the caller)" for the records/removals row alias @alias: zg-access's
 * SQL filter per entity. The values to bind, in order, are appended to @values (char*). */
void              zg_records_append_visible  (GString             *sql,
                                              GPtrArray           *values,
                                              const ZgRecordsCaller *caller,
                                              const char          *alias);
JsonArray        *zg_records_history         (ZgServer            *server,
                                              const ZgRecordsCaller *caller,
                                              const char          *certificate_id,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgRecordsCaller, zg_records_caller_free)

G_END_DECLS
