/* zg-sync-engine-private.h — the engine's instance struct (out of the .c file for cppcheck)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "zg-sync-engine.h"

G_BEGIN_DECLS

/* What the worker reports; copied to the public fields on the owner's context. */
typedef struct
{
  ZgSyncState  state;
  gint64       last_sync;
  gint64       pending;
  gint64       problems;
  char        *error_message;
  guint        failures;
  gint64       next_attempt;
  guint        completed_ticket;
  guint        finished_runs;
  gboolean     last_run_ok;
} ZgSyncSnapshot;

struct _ZgSyncEngine
{
  GObject        parent_instance;

  /* Fixed at construction; any thread. */
  ZgCache       *cache;
  ZgSession     *session;          /* owner thread only */
  GMainContext  *owner_context;
  char          *server_url;
  char          *pin_key;
  char          *pins_path;

  /* Owner thread: the published values behind the properties. */
  ZgSyncSnapshot       shown;
  gulong         signed_in_handler;
  gulong         network_handler;
  GNetworkMonitor *monitor;
  gboolean       network_available;
  GThread       *thread;
  GMainLoop     *worker_loop;
  GCancellable  *cancellable;

  /* Worker thread only. */
  GMainContext  *worker_context;
  SoupSession   *soup;
  GSource       *timer;            /* periodic run or back-off retry */
  GSource       *debounce;
  guint          failures;
  gboolean       expired;
  gint64         next_attempt;
  guint          served_ticket;    /* requests up to this one were seen by a run that began */

  /* Shared, under lock. */
  GMutex         lock;
  char          *token;
  guint          requested_ticket;
  ZgSyncSnapshot       reported;
  GHashTable    *changed_entities;
  GArray        *triggers;         /* of Trigger, posted by the owner, taken by the worker */
  gboolean       problems_changed;
  GSource       *dispatch;
};

G_END_DECLS
