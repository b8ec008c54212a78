/* test-password-policy.c — R-USER-3 password rules and the common-password list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "server-test-utils.h"
#include "zg-password-policy.h"

static ZgCommonPasswords *
load_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                 "common-passwords.txt", NULL);
  ZgCommonPasswords *list = zg_common_passwords_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static gboolean
has_reason (GPtrArray  *reasons,
            const char *reason)
{
  for (guint i = 0; i < reasons->len; i++)
    {
      if (strcmp (reasons->pdata[i], reason) == 0)
        return TRUE;
    }
  return FALSE;
}

/* R-USER-3: >= 8 characters, lower, upper, digit by default. */
static void
test_defaults (void)
{
  g_autoptr(ZgCommonPasswords) list = load_list ();
  ZgPasswordPolicy policy;
  struct { const char *pw; const char *reason; } rejected[] = {
    { "Kurz1a", ZG_PASSWORD_TOO_SHORT },
    { "alleskleinmit1", ZG_PASSWORD_MISSING_UPPERCASE },
    { "ALLESGROSSMIT1", ZG_PASSWORD_MISSING_LOWERCASE },
    { "OhneZifferHier", ZG_PASSWORD_MISSING_DIGIT },
    { "Passwort1", ZG_PASSWORD_COMMON },
    { "SOMMER2024", ZG_PASSWORD_COMMON },   /* case-insensitive list match (+ no lower) */
    { "P@ssw0rd", ZG_PASSWORD_COMMON },
    { "Tab\there1A", ZG_PASSWORD_INVALID_TEXT },
  };
  const char *accepted[] = { "Bergwiese-Kaffee-7", "Lange8Wörter", "Zeugnis!Fach9x", "äÖü12345" };

  zg_password_policy_init_default (&policy);
  g_assert_cmpuint (policy.min_length, ==, 8);

  for (guint i = 0; i < G_N_ELEMENTS (rejected); i++)
    {
      g_autoptr(GPtrArray) reasons = zg_password_policy_check (&policy, list, rejected[i].pw, NULL);

      g_test_message ("rejected? %s", rejected[i].pw);
      g_assert_true (has_reason (reasons, rejected[i].reason));
    }
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GPtrArray) reasons = zg_password_policy_check (&policy, list, accepted[i], NULL);

      g_test_message ("accepted? %s", accepted[i]);
      g_assert_cmpuint (reasons->len, ==, 0);
    }
}

/* Exactly 8 characters (not bytes) is enough; 7 is not. */
static void
test_length_boundary (void)
{
  ZgPasswordPolicy policy;
  g_autoptr(GPtrArray) eight = NULL;
  g_autoptr(GPtrArray) seven = NULL;
  g_autoptr(GPtrArray) umlauts = NULL;

  zg_password_policy_init_default (&policy);
  eight = zg_password_policy_check (&policy, NULL, "Abcdef1x", NULL);
  seven = zg_password_policy_check (&policy, NULL, "Abcde1x", NULL);
  umlauts = zg_password_policy_check (&policy, NULL, "Ää1ööüü", NULL); /* 7 chars, 11 bytes */
  g_assert_cmpuint (eight->len, ==, 0);
  g_assert_true (has_reason (seven, ZG_PASSWORD_TOO_SHORT));
  g_assert_true (has_reason (umlauts, ZG_PASSWORD_TOO_SHORT));
}

/* Configurable stricter, never weaker. */
static void
test_stricter_only (void)
{
  ZgPasswordPolicy policy;
  g_autoptr(GPtrArray) weak = NULL;
  g_autoptr(GPtrArray) strict = NULL;
  g_autoptr(GPtrArray) symbol = NULL;

  zg_password_policy_init_default (&policy);
  policy.min_length = 4;
  policy.require_uppercase = FALSE;
  policy.require_digit = FALSE;
  weak = zg_password_policy_check (&policy, NULL, "abcdefg", NULL);
  g_assert_true (has_reason (weak, ZG_PASSWORD_TOO_SHORT));
  g_assert_true (has_reason (weak, ZG_PASSWORD_MISSING_UPPERCASE));
  g_assert_true (has_reason (weak, ZG_PASSWORD_MISSING_DIGIT));

  zg_password_policy_init_default (&policy);
  policy.min_length = 12;
  policy.require_symbol = TRUE;
  strict = zg_password_policy_check (&policy, NULL, "Abcdefgh1xyz", NULL);
  g_assert_true (has_reason (strict, ZG_PASSWORD_MISSING_SYMBOL));
  g_assert_false (has_reason (strict, ZG_PASSWORD_TOO_SHORT));
  symbol = zg_password_policy_check (&policy, NULL, "Abcdefgh1xy!", NULL);
  g_assert_cmpuint (symbol->len, ==, 0);
}

static void
test_personal_words (void)
{
  ZgPasswordPolicy policy;
  const char *words[] = { "mueller", "Sabine", "Müller", NULL };
  g_autoptr(GPtrArray) r1 = NULL;
  g_autoptr(GPtrArray) r2 = NULL;

  zg_password_policy_init_default (&policy);
  r1 = zg_password_policy_check (&policy, NULL, "SABINE-2024x", words);
  r2 = zg_password_policy_check (&policy, NULL, "Wander-2024x", words);
  g_assert_true (has_reason (r1, ZG_PASSWORD_CONTAINS_NAME));
  g_assert_cmpuint (r2->len, ==, 0);
}

static void
test_list_size_and_invalid (void)
{
  g_autoptr(ZgCommonPasswords) list = load_list ();
  ZgPasswordPolicy policy;
  g_autoptr(GPtrArray) bad_utf8 = NULL;
  g_autofree char *huge = g_strnfill (ZG_PASSWORD_MAX_BYTES + 1, 'A');
  g_autoptr(GPtrArray) too_long = NULL;

  g_assert_cmpuint (zg_common_passwords_get_size (list), >, 5000);
  g_assert_true (zg_common_passwords_contains (list, "123456"));
  g_assert_true (zg_common_passwords_contains (list, "QWERTZ123"));
  g_assert_false (zg_common_passwords_contains (list, "Bergwiese-Kaffee-7"));

  zg_password_policy_init_default (&policy);
  bad_utf8 = zg_password_policy_check (&policy, list, "Abc\xff\xfe" "defg1", NULL);
  g_assert_true (has_reason (bad_utf8, ZG_PASSWORD_INVALID_TEXT));
  too_long = zg_password_policy_check (&policy, list, huge, NULL);
  g_assert_true (has_reason (too_long, ZG_PASSWORD_TOO_LONG));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Zeugnis/Server/PasswordPolicy/R-USER-3-defaults", test_defaults);
  g_test_add_func ("/Zeugnis/Server/PasswordPolicy/length-boundary", test_length_boundary);
  g_test_add_func ("/Zeugnis/Server/PasswordPolicy/stricter-only", test_stricter_only);
  g_test_add_func ("/Zeugnis/Server/PasswordPolicy/personal-words", test_personal_words);
  g_test_add_func ("/Zeugnis/Server/PasswordPolicy/common-list", test_list_size_and_invalid);

  return g_test_run ();
}
