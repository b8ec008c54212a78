/* zg-password-policy.h — password rules (R-USER-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ZG_PASSWORD_MIN_LENGTH_DEFAULT 8
#define ZG_PASSWORD_MAX_BYTES          1024

/* The defaults of R-USER-3; a deployment may make each rule stricter, never weaker. */
typedef struct
{
  guint    min_length;          /* in characters, >= ZG_PASSWORD_MIN_LENGTH_DEFAULT */
  gboolean require_lowercase;
  gboolean require_uppercase;
  gboolean require_digit;
  gboolean require_symbol;
} ZgPasswordPolicy;

/* Reasons returned by zg_password_policy_check(); stable ids for API and UI. */
#define ZG_PASSWORD_TOO_SHORT         "too_short"
#define ZG_PASSWORD_TOO_LONG          "too_long"
#define ZG_PASSWORD_INVALID_TEXT      "invalid_text"
#define ZG_PASSWORD_MISSING_LOWERCASE "missing_lowercase"
#define ZG_PASSWORD_MISSING_UPPERCASE "missing_uppercase"
#define ZG_PASSWORD_MISSING_DIGIT     "missing_digit"
#define ZG_PASSWORD_MISSING_SYMBOL    "missing_symbol"
#define ZG_PASSWORD_COMMON            "common_password"
#define ZG_PASSWORD_CONTAINS_NAME     "contains_personal_data"

typedef struct _ZgCommonPasswords ZgCommonPasswords;

void                zg_password_policy_init_default (ZgPasswordPolicy        *policy);
void                zg_password_policy_make_strict  (ZgPasswordPolicy        *policy);
GPtrArray          *zg_password_policy_check        (const ZgPasswordPolicy  *policy,
                                                     const ZgCommonPasswords *common,
                                                     const char              *password,
                                                     const char * const      *personal_words);
const char         *zg_password_reason_describe     (const char              *reason);

ZgCommonPasswords  *zg_common_passwords_new_from_data (const char            *data,
                                                       gsize                  len);
ZgCommonPasswords  *zg_common_passwords_new_from_file (const char            *path,
                                                       GError               **error);
gboolean            zg_common_passwords_contains     (const ZgCommonPasswords *self,
                                                      const char              *password);
guint               zg_common_passwords_get_size     (const ZgCommonPasswords *self);
void                zg_common_passwords_free         (ZgCommonPasswords       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgCommonPasswords, zg_common_passwords_free)

G_END_DECLS
