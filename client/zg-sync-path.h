/* zg-sync-path.h — field paths of the sync protocol on the client ("a.b[2].c")
 *
 * The grammar of docs/sync-protocol.md ("Field paths"), so that the cache shows a record the
 * way the server will store it once a pending edit is applied: a value replaces what is at the
 * path, null removes an object member, [N] with N = the list's length appends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean  zg_sync_path_valid    (const char  *path);
gboolean  zg_sync_path_set      (JsonObject  *record,
                                 const char  *path,
                                 JsonNode    *value);
JsonNode *zg_sync_path_get      (JsonObject  *record,
                                 const char  *path);
JsonNode *zg_sync_path_lookup   (JsonObject  *record,
                                 const char  *path);
void      zg_sync_path_apply    (JsonObject  *record,
                                 JsonObject  *changes);

G_END_DECLS
