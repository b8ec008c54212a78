/* zg-application.h — the Zeugnis desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ZG_TYPE_APPLICATION (zg_application_get_type ())
G_DECLARE_FINAL_TYPE (ZgApplication, zg_application, ZG, APPLICATION, AdwApplication)

ZgApplication *zg_application_new (GApplicationFlags flags);

G_END_DECLS
