/* zg-password-policy.c — password rules (R-USER-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-password-policy.h"

struct _ZgCommonPasswords
{
  GHashTable *set;   /* casefolded password -> itself */
};

void
zg_password_policy_init_default (ZgPasswordPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  policy->min_length = ZG_PASSWORD_MIN_LENGTH_DEFAULT;
  policy->require_lowercase = TRUE;
  policy->require_uppercase = TRUE;
  policy->require_digit = TRUE;
  policy->require_symbol = FALSE;
}

/* Settings may only tighten R-USER-3; a weaker configuration is clamped back to the default. */
void
zg_password_policy_make_strict (ZgPasswordPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  policy->min_length = MAX (policy->min_length, ZG_PASSWORD_MIN_LENGTH_DEFAULT);
  policy->require_lowercase = TRUE;
  policy->require_uppercase = TRUE;
  policy->require_digit = TRUE;
}

static char *
fold (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);

  return g_utf8_normalize (lower, -1, G_NORMALIZE_NFKC);
}

static void
add_reason (GPtrArray  *reasons,
            const char *reason)
{
  g_ptr_array_add (reasons, g_strdup (reason));
}

/* Returns the reasons why @password is refused (empty array = accepted). @personal_words
 * (e-mail local part, names) must not appear in the password. */
GPtrArray *
zg_password_policy_check (const ZgPasswordPolicy  *policy,
                          const ZgCommonPasswords *common,
                          const char              *password,
                          const char * const      *personal_words)
{
  GPtrArray *reasons = g_ptr_array_new_with_free_func (g_free);
  ZgPasswordPolicy strict;
  gboolean has_lower = FALSE, has_upper = FALSE, has_digit = FALSE, has_symbol = FALSE;
  g_autofree char *folded = NULL;
  glong n_chars;

  g_return_val_if_fail (policy != NULL, reasons);

  strict = *policy;
  zg_password_policy_make_strict (&strict);

  if (password == NULL || !g_utf8_validate (password, -1, NULL))
    {
      add_reason (reasons, ZG_PASSWORD_INVALID_TEXT);
      return reasons;
    }
  if (strlen (password) > ZG_PASSWORD_MAX_BYTES)
    {
      add_reason (reasons, ZG_PASSWORD_TOO_LONG);
      return reasons;
    }

  n_chars = g_utf8_strlen (password, -1);
  for (const char *p = password; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        {
          add_reason (reasons, ZG_PASSWORD_INVALID_TEXT);
          return reasons;
        }
      if (g_unichar_islower (c))
        has_lower = TRUE;
      else if (g_unichar_isupper (c))
        has_upper = TRUE;
      else if (g_unichar_isdigit (c))
        has_digit = TRUE;
      else
        has_symbol = TRUE;
    }

  if (n_chars < (glong) strict.min_length)
    add_reason (reasons, ZG_PASSWORD_TOO_SHORT);
  if (strict.require_lowercase && !has_lower)
    add_reason (reasons, ZG_PASSWORD_MISSING_LOWERCASE);
  if (strict.require_uppercase && !has_upper)
    add_reason (reasons, ZG_PASSWORD_MISSING_UPPERCASE);
  if (strict.require_digit && !has_digit)
    add_reason (reasons, ZG_PASSWORD_MISSING_DIGIT);
  if (strict.require_symbol && !has_symbol)
    add_reason (reasons, ZG_PASSWORD_MISSING_SYMBOL);
  if (common != NULL && zg_common_passwords_contains (common, password))
    add_reason (reasons, ZG_PASSWORD_COMMON);

  folded = fold (password);
  for (guint i = 0; personal_words != NULL && personal_words[i] != NULL; i++)
    {
      g_autofree char *word = NULL;

      if (!g_utf8_validate (personal_words[i], -1, NULL))
        continue;
      word = fold (personal_words[i]);
      /* Short words (e.g. "Li") would reject too much for too little gain. */
      if (word != NULL && folded != NULL && g_utf8_strlen (word, -1) >= 4 && strstr (folded, word))
        {
          add_reason (reasons, ZG_PASSWORD_CONTAINS_NAME);
          break;
        }
    }

  return reasons;
}

const char *
zg_password_reason_describe (const char *reason)
{
  static const struct { const char *id; const char *text; } texts[] = {
    { ZG_PASSWORD_TOO_SHORT, "The password is too short." },
    { ZG_PASSWORD_TOO_LONG, "The password is too long." },
    { ZG_PASSWORD_INVALID_TEXT, "The password contains invalid characters." },
    { ZG_PASSWORD_MISSING_LOWERCASE, "The password needs a lower-case letter." },
    { ZG_PASSWORD_MISSING_UPPERCASE, "The password needs an upper-case letter." },
    { ZG_PASSWORD_MISSING_DIGIT, "The password needs a digit." },
    { ZG_PASSWORD_MISSING_SYMBOL, "The password needs a special character." },
    { ZG_PASSWORD_COMMON, "The password is too common." },
    { ZG_PASSWORD_CONTAINS_NAME, "The password must not contain your name or e-mail address." },
  };

  g_return_val_if_fail (reason != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      if (strcmp (texts[i].id, reason) == 0)
        return texts[i].text;
    }
  return "The password is not allowed.";
}

/* One password per line; blank lines and lines starting with '#' are ignored. */
ZgCommonPasswords *
zg_common_passwords_new_from_data (const char *data,
                                   gsize       len)
{
  ZgCommonPasswords *self = g_new0 (ZgCommonPasswords, 1);
  const char *p = data;
  const char *end = data + len;

  self->set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_return_val_if_fail (data != NULL || len == 0, self);

  while (p < end)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));
      const char *line_end = nl != NULL ? nl : end;
      g_autofree char *line = g_strndup (p, (gsize) (line_end - p));

      g_strstrip (line);
      if (line[0] != '\0' && line[0] != '#' && g_utf8_validate (line, -1, NULL))
        {
          char *key = fold (line);

          if (key != NULL)
            g_hash_table_add (self->set, key);
        }
      p = line_end + 1;
    }
  return self;
}

ZgCommonPasswords *
zg_common_passwords_new_from_file (const char  *path,
                                   GError     **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  return zg_common_passwords_new_from_data (contents, len);
}

gboolean
zg_common_passwords_contains (const ZgCommonPasswords *self,
                              const char              *password)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (!g_utf8_validate (password, -1, NULL))
    return FALSE;
  key = fold (password);
  return key != NULL && g_hash_table_contains (self->set, key);
}

guint
zg_common_passwords_get_size (const ZgCommonPasswords *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return g_hash_table_size (self->set);
}

void
zg_common_passwords_free (ZgCommonPasswords *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->set);
  g_free (self);
}
