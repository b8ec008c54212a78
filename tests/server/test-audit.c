/* test-audit.c — security log (R-AUDIT-1/2/4/5) and settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "server-test-utils.h"

#define PW "Bergwiese-Kaffee-7"

static char *
login_body (const char *email,
            const char *password)
{
  return g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
}

static JsonArray *
entries_of (ZgTestResponse *r)
{
  g_assert_cmpuint (r->status, ==, 200);
  return json_object_get_array_member (zg_test_response_object (r), "entries");
}

/* R-AUDIT-1, R-AUDIT-2: login success and failure are logged with time, user, IP and action. */
static void
test_entries_written (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  gint64 uid = zg_test_create_user (ts, "eva@example.com", PW, ZG_ROLE_ADMINISTRATOR_ID);
  g_autofree char *bad = login_body ("EVA@example.com", "Falsch-Passwort-1");
  g_autofree char *unknown = login_body ("wer@example.com", "Falsch-Passwort-1");
  g_autoptr(ZgTestResponse) r1 = zg_test_request (ts, "POST", "/api/v1/auth/login", NULL, bad);
  g_autoptr(ZgTestResponse) r2 = zg_test_request (ts, "POST", "/api/v1/auth/login", NULL, unknown);
  g_autofree char *token = zg_test_login (ts, "eva@example.com", PW);
  g_autoptr(ZgTestResponse) failed = NULL;
  g_autoptr(ZgTestResponse) success = NULL;
  g_autofree char *success_path = g_strdup_printf ("/api/v1/audit?action=login_success&user=%"
                                                   G_GINT64_FORMAT, uid);
  JsonArray *arr;
  JsonObject *e;
  gint64 at = 0;

  g_assert_cmpuint (r1->status, ==, 401);
  g_assert_cmpuint (r2->status, ==, 401);

  failed = zg_test_request (ts, "GET", "/api/v1/audit?action=login_failed", ts->admin_token, NULL);
  arr = entries_of (failed);
  g_assert_cmpuint (json_array_get_length (arr), ==, 2);
  g_assert_cmpint (json_object_get_int_member (zg_test_response_object (failed), "total"), ==, 2);
  /* Newest first: the unknown account (no user link, e-mail as typed), then Eva. */
  e = json_array_get_object_element (arr, 0);
  g_assert_true (json_object_get_null_member (e, "user_id"));
  g_assert_cmpstr (json_object_get_string_member (e, "email"), ==, "wer@example.com");
  e = json_array_get_object_element (arr, 1);
  g_assert_cmpint (json_object_get_int_member (e, "user_id"), ==, uid);
  g_assert_cmpstr (json_object_get_string_member (e, "email"), ==, "EVA@example.com");
  g_assert_cmpstr (json_object_get_string_member (e, "ip"), ==, "127.0.0.1");
  g_assert_cmpstr (json_object_get_string_member (e, "action"), ==, "login_failed");
  g_assert_true (zg_http_parse_time (json_object_get_string_member (e, "time"), &at));
  g_assert_cmpint (ABS (at - zg_server_now (ts->server)), <, 60);

  success = zg_test_request (ts, "GET", success_path, ts->admin_token, NULL);
  arr = entries_of (success);
  g_assert_cmpuint (json_array_get_length (arr), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (arr, 0),
                                                  "user_name"), ==, "Test Person");
  (void) token;
}

/* R-AUDIT-5: filters, paging and bad parameters. */
static void
test_filters (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  gint64 now = zg_server_now (ts->server);
  g_autofree char *from_path = NULL;
  g_autofree char *to_path = NULL;

  for (int i = 0; i < 5; i++)
    zg_audit_log (ts->server, 0, "a@example.com", "10.0.0.1", ZG_AUDIT_LOGIN_FAILED, NULL);
  zg_server_set_clock_offset (ts->server, -3 * 24 * 3600);
  zg_audit_log (ts->server, 0, "old@example.com", "10.0.0.2", ZG_AUDIT_LOGIN_FAILED, NULL);
  zg_server_set_clock_offset (ts->server, 0);

  {
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "GET", "/api/v1/audit?ip=10.0.0.1&limit=2&offset=1",
                                                   ts->admin_token, NULL);

    g_assert_cmpuint (json_array_get_length (entries_of (r)), ==, 2);
    g_assert_cmpint (json_object_get_int_member (zg_test_response_object (r), "total"), ==, 5);
  }
  from_path = g_strdup_printf ("/api/v1/audit?action=login_failed&from=%" G_GINT64_FORMAT,
                               now - 24 * 3600);
  {
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "GET", from_path, ts->admin_token, NULL);

    g_assert_cmpuint (json_array_get_length (entries_of (r)), ==, 5);
  }
  {
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (now - 2 * 24 * 3600);
    g_autofree char *iso = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
    g_autoptr(ZgTestResponse) r = NULL;

    to_path = g_strdup_printf ("/api/v1/audit?to=%s", iso);
    r = zg_test_request (ts, "GET", to_path, ts->admin_token, NULL);
    g_assert_cmpuint (json_array_get_length (entries_of (r)), ==, 1);
  }
  {
    g_autoptr(ZgTestResponse) r1 = zg_test_request (ts, "GET", "/api/v1/audit?limit=0",
                                                    ts->admin_token, NULL);
    g_autoptr(ZgTestResponse) r2 = zg_test_request (ts, "GET", "/api/v1/audit?from=gestern",
                                                    ts->admin_token, NULL);
    g_autoptr(ZgTestResponse) r3 = zg_test_request (ts, "GET", "/api/v1/audit?user=1%27%20OR%201=1",
                                                    ts->admin_token, NULL);
    g_autoptr(ZgTestResponse) r4 = zg_test_request (ts, "GET",
                                                    "/api/v1/audit?action=x%27%20OR%20%271%27=%271",
                                                    ts->admin_token, NULL);

    g_assert_cmpuint (r1->status, ==, 400);
    g_assert_cmpuint (r2->status, ==, 400);
    g_assert_cmpuint (r3->status, ==, 400);
    g_assert_cmpuint (json_array_get_length (entries_of (r4)), ==, 0);  /* bound, not injected */
  }
}

/* R-AUDIT-4: entries older than the retention (60 days by default) are deleted. */
static void
test_purge_after_retention (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  gint64 before = zg_storage_count (zg_server_get_storage (ts->server), "audit_log");

  zg_server_set_clock_offset (ts->server, -61 * 24 * 3600);
  zg_audit_log (ts->server, 0, "alt@example.com", "10.0.0.9", ZG_AUDIT_LOGIN_FAILED, "61 days");
  zg_server_set_clock_offset (ts->server, -59 * 24 * 3600);
  zg_audit_log (ts->server, 0, "jung@example.com", "10.0.0.9", ZG_AUDIT_LOGIN_FAILED, "59 days");
  zg_server_set_clock_offset (ts->server, 0);
  g_assert_cmpint (zg_storage_count (zg_server_get_storage (ts->server), "audit_log"), ==, before + 2);

  zg_server_run_maintenance (ts->server);
  g_assert_cmpint (zg_storage_count (zg_server_get_storage (ts->server), "audit_log"), ==,
                   before + 1 + 1 /* audit_purged */);
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_AUDIT_PURGED), ==, 1);
  {
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "GET", "/api/v1/audit?ip=10.0.0.9",
                                                   ts->admin_token, NULL);
    JsonArray *arr = entries_of (r);

    g_assert_cmpuint (json_array_get_length (arr), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (arr, 0), "detail"),
                     ==, "59 days");
  }

  /* Two more days: the 59-day entry is now 61 days old. */
  zg_server_set_clock_offset (ts->server, 2 * 24 * 3600);
  zg_server_run_maintenance (ts->server);
  g_free (ts->admin_token);   /* the session expired with the shifted clock */
  ts->admin_token = zg_test_login (ts, ZG_TEST_ADMIN_EMAIL, ZG_TEST_ADMIN_PASSWORD);
  {
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "GET", "/api/v1/audit?ip=10.0.0.9",
                                                   ts->admin_token, NULL);

    g_assert_cmpuint (json_array_get_length (entries_of (r)), ==, 0);
  }

  /* A shorter retention from the settings applies on the next purge. */
  {
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "PATCH", "/api/v1/settings", ts->admin_token,
                                                   "{\"audit_retention_days\": 10}");

    g_assert_cmpuint (r->status, ==, 200);
  }
  zg_server_set_clock_offset (ts->server, 2 * 24 * 3600 - 11 * 24 * 3600);
  zg_audit_log (ts->server, 0, NULL, "10.0.0.8", ZG_AUDIT_LOGIN_FAILED, NULL);
  zg_server_set_clock_offset (ts->server, 2 * 24 * 3600);
  zg_server_run_maintenance (ts->server);
  {
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "GET", "/api/v1/audit?ip=10.0.0.8",
                                                   ts->admin_token, NULL);

    g_assert_cmpuint (json_array_get_length (entries_of (r)), ==, 0);
  }
}

/* Settings: stricter only, all-or-nothing, logged. */
static void
test_settings (void)
{
  g_autoptr(ZgTestServer) ts = zg_test_server_new ();
  const char *refused[] = {
    "{\"password_min_length\": 6}",
    "{\"lockout_threshold\": 6}",
    "{\"password_require_uppercase\": false}",
    "{\"audit_retention_days\": 90}",
    "{\"password_min_length\": \"zwölf\"}",
    "{\"gibt_es_nicht\": 1}",
    "{\"mail_sender_name\": \"\"}",
    "{\"password_min_length\": 12, \"lockout_threshold\": 9}",
  };
  ZgPasswordPolicy policy;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(ZgTestResponse) r = zg_test_request (ts, "PATCH", "/api/v1/settings",
                                                     ts->admin_token, refused[i]);

      g_test_message ("refused? %s -> %u", refused[i], r->status);
      g_assert_cmpuint (r->status, ==, 422);
      g_assert_cmpstr (zg_test_response_error (r), ==, "invalid_setting");
    }
  /* Nothing of the mixed request above was applied. */
  g_assert_cmpint (zg_settings_get_int (zg_server_get_settings (ts->server),
                                        ZG_SETTING_PASSWORD_MIN_LENGTH), ==, 8);
  g_assert_cmpint (zg_storage_count (zg_server_get_storage (ts->server), "settings"), ==, 0);
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_SETTINGS_CHANGED), ==, 0);

  {
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "PATCH", "/api/v1/settings", ts->admin_token,
                                                   "{\"password_min_length\": 12,"
                                                   " \"lockout_threshold\": 3,"
                                                   " \"mail_sender_name\": \"Personalabteilung Müller\"}");
    JsonObject *values;

    g_assert_cmpuint (r->status, ==, 200);
    values = json_object_get_object_member (zg_test_response_object (r), "settings");
    g_assert_cmpint (json_object_get_int_member (values, "password_min_length"), ==, 12);
    g_assert_cmpstr (json_object_get_string_member (values, "mail_sender_name"), ==,
                     "Personalabteilung Müller");
  }
  g_assert_cmpint (zg_test_count_audit (ts, ZG_AUDIT_SETTINGS_CHANGED), ==, 1);
  zg_settings_get_password_policy (zg_server_get_settings (ts->server), &policy);
  g_assert_cmpuint (policy.min_length, ==, 12);
  {
    g_autoptr(GPtrArray) reasons = zg_users_check_password (ts->server, "Kaffee-Tee-9", NULL);
    g_autoptr(GPtrArray) short_reasons = zg_users_check_password (ts->server, "Kaffee-Te-9", NULL);

    g_assert_cmpuint (reasons->len, ==, 0);
    g_assert_cmpuint (short_reasons->len, ==, 1);
  }

  /* Lowered lockout threshold applies (R-AUDIT-3 may only get stricter). */
  zg_test_create_user (ts, "drei@example.com", PW, ZG_ROLE_ADMINISTRATOR_ID);
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *body = login_body ("drei@example.com", "Falsch-Passwort-1");
      g_autoptr(ZgTestResponse) r = zg_test_request (ts, "POST", "/api/v1/auth/login", NULL, body);

      g_assert_cmpuint (r->status, ==, 401);
    }
  {
    g_autofree char *body = login_body ("drei@example.com", PW);
    g_autoptr(ZgTestResponse) r = zg_test_request (ts, "POST", "/api/v1/auth/login", NULL, body);

    g_assert_cmpuint (r->status, ==, 423);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/Zeugnis/Server/Audit/R-AUDIT-1-2-entries-written", test_entries_written);
  g_test_add_func ("/Zeugnis/Server/Audit/R-AUDIT-5-filters", test_filters);
  g_test_add_func ("/Zeugnis/Server/Audit/R-AUDIT-4-purge-after-retention",
                   test_purge_after_retention);
  g_test_add_func ("/Zeugnis/Server/Audit/settings-stricter-only", test_settings);

  return g_test_run ();
}
