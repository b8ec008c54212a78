/* zg-sync-engine.h — background sync between the encrypted cache and the server (widget-free)
 *
 * Pushes the cache's outbox and pulls changes (docs/sync-protocol.md) on a worker thread, never
 * on the UI thread. Runs on start, after a local change (debounced), periodically and when the
 * network returns; retries with back-off. Every property change and signal is delivered on the
 * main context of the thread that created the engine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "zg-cache.h"
#include "zg-session.h"

G_BEGIN_DECLS

typedef enum
{
  ZG_SYNC_STATE_IDLE,        /* online, nothing to do; see last-sync */
  ZG_SYNC_STATE_SYNCING,     /* a push or pull is running */
  ZG_SYNC_STATE_OFFLINE,     /* server not reachable (or no network); retried with back-off */
  ZG_SYNC_STATE_EXPIRED,     /* the session ended (401): the user must sign in again */
  ZG_SYNC_STATE_ERROR,       /* anything else; see error-message; retried with back-off */
} ZgSyncState;

#define ZG_TYPE_SYNC_ENGINE (zg_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (ZgSyncEngine, zg_sync_engine, ZG, SYNC_ENGINE, GObject)

/* Properties (all read-only, notified on the main context):
 *   "state"          ZgSyncState (as int)
 *   "last-sync"      gint64, µs since the epoch of the last complete sync, 0 = never
 *   "pending"        gint64, outbox entries not yet acknowledged (pending + sent)
 *   "problems"       gint64, conflicts + rejected mutations waiting for the user
 *   "error-message"  string or NULL, a sentence for the user (state OFFLINE/ERROR/EXPIRED)
 * Signals:
 *   "records-changed" (const char *entity): records of this entity changed in the cache
 *                     because of a pull, a purge or an acknowledged push — reload views.
 *   "problems-changed": conflicts or rejections were added or resolved.
 */

ZgSyncEngine *zg_sync_engine_new              (ZgCache        *cache,
                                               ZgSession      *session);
void          zg_sync_engine_start            (ZgSyncEngine   *self);
void          zg_sync_engine_stop             (ZgSyncEngine   *self);
void          zg_sync_engine_sync_now         (ZgSyncEngine   *self);
void          zg_sync_engine_local_change     (ZgSyncEngine   *self);
ZgSyncState   zg_sync_engine_get_state        (ZgSyncEngine   *self);
gint64        zg_sync_engine_get_last_sync    (ZgSyncEngine   *self);
gint64        zg_sync_engine_get_pending      (ZgSyncEngine   *self);
gint64        zg_sync_engine_get_problems     (ZgSyncEngine   *self);
const char   *zg_sync_engine_get_error_message (ZgSyncEngine  *self);
ZgCache      *zg_sync_engine_get_cache        (ZgSyncEngine   *self);

/* Additions (helper "sync"):
 * Signal "sync-finished" (gboolean success): a sync run ended (after the property updates).
 * request_sync is sync_now returning a ticket; get_completed_ticket reaches it once a run
 * that began after the request has finished. failures = failed runs in a row (back-off
 * exponent); next_attempt = g_get_monotonic_time() of the next timed run, 0 = none. */
guint         zg_sync_engine_request_sync     (ZgSyncEngine   *self);
guint         zg_sync_engine_get_completed_ticket (ZgSyncEngine *self);
guint         zg_sync_engine_get_failures     (ZgSyncEngine   *self);
gint64        zg_sync_engine_get_next_attempt (ZgSyncEngine   *self);

G_END_DECLS
