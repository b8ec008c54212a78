/* api-sync.h — sync push/pull, access criteria and the REST record endpoints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-server.h"

G_BEGIN_DECLS

void zg_sync_register_routes (ZgServer *server);

G_END_DECLS
