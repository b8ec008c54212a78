/* zg-outbox.h — local edits, the outbox of mutations for the server, and conflicts
 *
 * A local edit changes the cached record and appends its mutation in one transaction, so
 * nothing typed is lost when the app quits or crashes. The sync code takes batches, sends
 * them, and reports per mutation: acknowledged, rejected (with a reason) or in conflict.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "zg-cache.h"

G_BEGIN_DECLS

typedef enum
{
  ZG_OUTBOX_STATE_PENDING,   /* not sent yet; later edits of the record merge into it */
  ZG_OUTBOX_STATE_SENT,      /* taken for a push; sent again until the server answers */
  ZG_OUTBOX_STATE_CONFLICT,  /* applied in part; the conflicting fields wait for the user */
  ZG_OUTBOX_STATE_REJECTED,  /* refused by the server (reason); kept until dismissed */
} ZgOutboxState;

typedef struct
{
  gint64         mutation_id;  /* increases monotonically per cache (client id) */
  char          *entity;
  char          *id;
  gint64         base_rev;     /* server revision the edit was made on; 0 = new record */
  char          *changes;      /* JSON object: changed field -> new value */
  gint64         created;      /* µs since the epoch */
  int            attempts;
  ZgOutboxState  state;
  char          *reason;       /* server reason code for rejected mutations */
} ZgOutboxEntry;

typedef struct
{
  gint64  conflict_id;
  gint64  mutation_id;
  char   *entity;
  char   *id;
  char   *field;
  char   *local_value;   /* JSON value the user typed */
  char   *server_value;  /* JSON value the server kept */
} ZgCacheConflict;

typedef struct
{
  const char *field;
  const char *local_value;   /* JSON */
  const char *server_value;  /* JSON */
} ZgConflictField;

gint64      zg_cache_local_edit           (ZgCache                *self,
                                           const char             *entity,
                                           const char             *id,
                                           JsonObject             *changes,
                                           GError                **error);
gint64      zg_cache_local_create         (ZgCache                *self,
                                           const char             *entity,
                                           const char             *id,
                                           JsonObject             *record,
                                           GError                **error);
GPtrArray  *zg_cache_outbox_take_batch    (ZgCache                *self,
                                           guint                   max_entries,
                                           GError                **error);
GPtrArray  *zg_cache_outbox_list          (ZgCache                *self,
                                           GError                **error);
gint64      zg_cache_outbox_count         (ZgCache                *self,
                                           ZgOutboxState           state,
                                           GError                **error);
gboolean    zg_cache_outbox_ack           (ZgCache                *self,
                                           gint64                  mutation_id,
                                           gint64                  new_rev,
                                           GError                **error);
gboolean    zg_cache_outbox_reject        (ZgCache                *self,
                                           gint64                  mutation_id,
                                           const char             *reason,
                                           GError                **error);
gboolean    zg_cache_outbox_conflict      (ZgCache                *self,
                                           gint64                  mutation_id,
                                           gint64                  new_rev,
                                           const ZgConflictField  *fields,
                                           gsize                   n_fields,
                                           GError                **error);
gboolean    zg_cache_outbox_dismiss       (ZgCache                *self,
                                           gint64                  mutation_id,
                                           GError                **error);
GPtrArray  *zg_cache_list_conflicts       (ZgCache                *self,
                                           GError                **error);
gboolean    zg_cache_resolve_conflict     (ZgCache                *self,
                                           gint64                  conflict_id,
                                           gboolean                keep_local,
                                           GError                **error);

/* A queued deletion (zg_cache_local_delete): the outbox entry's changes are exactly this;
 * the sync engine sends it as {"op": "delete"} (docs/sync-protocol.md). */
#define ZG_OUTBOX_DELETE_CHANGES "{\"$delete\":true}"

gint64      zg_cache_local_delete         (ZgCache                *self,
                                           const char             *entity,
                                           const char             *id,
                                           GError                **error);
gboolean    zg_outbox_entry_is_delete     (const ZgOutboxEntry    *entry);

/* A queued reopen (zg_cache_local_reopen): back to draft from review, approved or completed,
 * which the server accepts only with the mutation's explicit "reopen" member (zg-workflow).
 * Its own outbox entry with exactly these changes; later edits never merge into it. Members
 * starting with '$' are instructions for the sync engine, never record fields. */
#define ZG_OUTBOX_REOPEN_CHANGES "{\"status\":\"draft\",\"$reopen\":true}"

gint64      zg_cache_local_reopen         (ZgCache                *self,
                                           const char             *certificate_id,
                                           GError                **error);
gboolean    zg_outbox_entry_is_reopen     (const ZgOutboxEntry    *entry);

const char *zg_outbox_state_to_string     (ZgOutboxState           state);
void        zg_outbox_entry_free          (ZgOutboxEntry          *entry);
void        zg_cache_conflict_free        (ZgCacheConflict        *conflict);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgOutboxEntry, zg_outbox_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgCacheConflict, zg_cache_conflict_free)

G_END_DECLS
