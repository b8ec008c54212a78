/* settings.h — typed server settings with defaults (privacy/admin settings)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "zg-password-policy.h"
#include "zg-server.h"

G_BEGIN_DECLS

typedef enum
{
  ZG_SETTING_INT,
  ZG_SETTING_BOOL,
  ZG_SETTING_STRING,
} ZgSettingType;

/* For ZG_SETTING_BOOL: ZG_SETTING_ONLY_ENABLE forbids turning off a rule that is on by default. */
typedef enum
{
  ZG_SETTING_FREE,
  ZG_SETTING_ONLY_ENABLE,
} ZgSettingConstraint;

typedef struct
{
  const char          *key;
  ZgSettingType        type;
  const char          *default_value;  /* text form: "60", "true", "Zeugnisgenerator" */
  gint64               min;            /* INT: range; STRING: length in characters */
  gint64               max;
  ZgSettingConstraint  constraint;
  const char          *description;
} ZgSettingDef;

#define ZG_SETTING_AUDIT_RETENTION_DAYS     "audit_retention_days"
#define ZG_SETTING_PASSWORD_MIN_LENGTH      "password_min_length"
#define ZG_SETTING_PASSWORD_REQUIRE_LOWER   "password_require_lowercase"
#define ZG_SETTING_PASSWORD_REQUIRE_UPPER   "password_require_uppercase"
#define ZG_SETTING_PASSWORD_REQUIRE_DIGIT   "password_require_digit"
#define ZG_SETTING_PASSWORD_REQUIRE_SYMBOL  "password_require_symbol"
#define ZG_SETTING_LOCKOUT_THRESHOLD        "lockout_threshold"
#define ZG_SETTING_SESSION_IDLE_MINUTES     "session_idle_minutes"
#define ZG_SETTING_SESSION_ABSOLUTE_HOURS   "session_absolute_hours"
#define ZG_SETTING_MAIL_SENDER_NAME         "mail_sender_name"

ZgSettings  *zg_settings_new          (ZgStorage          *storage,
                                       GError            **error);
void         zg_settings_free         (ZgSettings         *self);
void         zg_settings_register     (ZgSettings         *self,
                                       const ZgSettingDef *defs,
                                       guint               n_defs);
gint64       zg_settings_get_int      (ZgSettings         *self,
                                       const char         *key);
gboolean     zg_settings_get_bool     (ZgSettings         *self,
                                       const char         *key);
const char  *zg_settings_get_string   (ZgSettings         *self,
                                       const char         *key);
/* Validates every change first, then writes all of them in one transaction. */
gboolean     zg_settings_apply_json   (ZgSettings         *self,
                                       JsonObject         *changes,
                                       char              **out_changed_keys,
                                       GError            **error);
JsonNode    *zg_settings_to_json      (ZgSettings         *self);
void         zg_settings_get_password_policy (ZgSettings *self,
                                              ZgPasswordPolicy *out_policy);
void         zg_settings_register_routes (ZgServer *server);

G_END_DECLS
