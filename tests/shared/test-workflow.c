/* test-workflow.c — the status workflow (zg-workflow.h) and the process data codec (R-DATA-4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-workflow.h"

/* The specification of docs/permissions.md ("Status workflow"), written out independently of
 * the table in zg-workflow.c: "from>to" for ordinary steps, "from<to" for reopens. */
static const char *const spec[] = {
  "draft>handed-over", "draft>review",
  "handed-over>handover-finished", "handed-over>draft",
  "handover-finished>review", "handover-finished>handed-over", "handover-finished>draft",
  "review>approved", "review<draft",
  "approved>completed", "approved<draft",
  "completed<draft",
};

static ZgTransitionKind
spec_kind (ZgCertificateStatus from,
           ZgCertificateStatus to)
{
  g_autofree char *step = g_strdup_printf ("%s>%s", zg_status_key (from), zg_status_key (to));
  g_autofree char *reopen = g_strdup_printf ("%s<%s", zg_status_key (from), zg_status_key (to));

  if (from == to)
    return ZG_TRANSITION_SAME;
  for (guint i = 0; i < G_N_ELEMENTS (spec); i++)
    {
      if (strcmp (spec[i], step) == 0)
        return ZG_TRANSITION_STEP;
      if (strcmp (spec[i], reopen) == 0)
        return ZG_TRANSITION_REOPEN;
    }
  return ZG_TRANSITION_NONE;
}

/* Every pair of the six statuses, with and without the explicit reopen. */
static void
test_transition_matrix (void)
{
  guint n_allowed = 0, n_reopen = 0;

  for (guint f = 0; f < ZG_N_STATUSES; f++)
    for (guint t = 0; t < ZG_N_STATUSES; t++)
      {
        ZgTransitionKind want = spec_kind (f, t);
        g_autoptr(GError) e1 = NULL;
        g_autoptr(GError) e2 = NULL;
        gboolean plain, with_reopen;

        g_test_message ("%s -> %s", zg_status_key (f), zg_status_key (t));
        g_assert_cmpint (zg_workflow_transition_kind (f, t), ==, want);
        plain = zg_workflow_check_transition (f, t, FALSE, &e1);
        with_reopen = zg_workflow_check_transition (f, t, TRUE, &e2);
        g_assert_cmpint (plain, ==, want == ZG_TRANSITION_SAME || want == ZG_TRANSITION_STEP);
        g_assert_cmpint (with_reopen, ==, want == ZG_TRANSITION_REOPEN);
        if (want == ZG_TRANSITION_REOPEN)
          {
            g_assert_error (e1, ZG_WORKFLOW_ERROR, ZG_WORKFLOW_ERROR_REOPEN_REQUIRED);
            n_reopen++;
          }
        else
          {
            g_assert_error (e2, ZG_WORKFLOW_ERROR, ZG_WORKFLOW_ERROR_INVALID_TRANSITION);
            if (!plain)
              g_assert_error (e1, ZG_WORKFLOW_ERROR, ZG_WORKFLOW_ERROR_INVALID_TRANSITION);
          }
        if (plain && f != t)
          n_allowed++;
      }
  g_assert_cmpuint (n_allowed, ==, 9);
  g_assert_cmpuint (n_reopen, ==, 3);
}

static void
test_next_statuses (void)
{
  ZgCertificateStatus out[ZG_N_STATUSES];
  guint n;

  n = zg_workflow_next_statuses (ZG_STATUS_DRAFT, out);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (out[0], ==, ZG_STATUS_HANDED_OVER);
  g_assert_cmpint (out[1], ==, ZG_STATUS_REVIEW);
  n = zg_workflow_next_statuses (ZG_STATUS_COMPLETED, out);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (out[0], ==, ZG_STATUS_DRAFT);
  for (guint f = 0; f < ZG_N_STATUSES; f++)
    {
      n = zg_workflow_next_statuses (f, out);
      for (guint i = 0; i < n; i++)
        g_assert_cmpint (spec_kind (f, out[i]), !=, ZG_TRANSITION_NONE);
    }
}

/* Completed certificates are read-only: only "status" (the reopen) may be named. */
static void
test_read_only (void)
{
  const char *const content[] = { "ergebnis.text", NULL };
  const char *const status_only[] = { "status", NULL };
  const char *const both[] = { "status", "werdegang.vollmachten", NULL };
  GError *error = NULL;

  for (guint s = 0; s < ZG_N_STATUSES; s++)
    {
      gboolean ro = s == ZG_STATUS_COMPLETED;

      g_assert_cmpint (zg_workflow_is_read_only (s), ==, ro);
      g_assert_cmpint (zg_workflow_check_change (s, content, NULL), ==, !ro);
      g_assert_true (zg_workflow_check_change (s, status_only, NULL));
    }
  g_assert_false (zg_workflow_check_change (ZG_STATUS_COMPLETED, both, &error));
  g_assert_error (error, ZG_WORKFLOW_ERROR, ZG_WORKFLOW_ERROR_READ_ONLY);
  g_clear_error (&error);
}

static void
test_status_keys (void)
{
  ZgCertificateStatus s;

  for (guint i = 0; i < ZG_N_STATUSES; i++)
    {
      g_assert_true (zg_status_from_key (zg_status_key (i), &s));
      g_assert_cmpint (s, ==, i);
    }
  g_assert_false (zg_status_from_key ("issued", &s));
  g_assert_false (zg_status_from_key (NULL, &s));
  g_assert_false (zg_status_from_key ("Draft", &s));
}

/* R-DATA-4: the "prozess" group survives a round trip unchanged. */
static void
test_process_round_trip (void)
{
  static const char json[] =
    "{\"version\":1,\"id\":\"c\",\"status\":\"review\",\"private\":false,"
    "\"prozess\":{\"created\":{\"by\":\"3\",\"by_name\":\"Petra Schmidt\","
    "\"at\":\"2026-11-26T10:00:00Z\"},\"events\":["
    "{\"type\":\"status\",\"from\":\"draft\",\"to\":\"handed-over\",\"by\":\"3\","
    "\"by_name\":\"Petra Schmidt\",\"at\":\"2026-11-26T10:05:00Z\"},"
    "{\"type\":\"handover\",\"supervisor\":\"Dr. Max Weber\",\"at\":\"2026-11-26T10:05:00Z\"},"
    "{\"type\":\"handover_finished\",\"supervisor\":\"Dr. Max Weber\","
    "\"at\":\"2026-11-28T23:59:59Z\"}]}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCertificate) c = zg_certificate_from_data (json, -1, &error);
  g_autoptr(ZgCertificate) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  const ZgProcessEvent *ev;

  g_assert_no_error (error);
  g_assert_cmpstr (c->created_by, ==, "3");
  g_assert_cmpstr (c->created_by_name, ==, "Petra Schmidt");
  g_assert_cmpint (c->created_at, ==, 1795687200);   /* 2026-11-26 10:00:00 UTC */
  g_assert_cmpuint (c->process_events->len, ==, 3);
  ev = g_ptr_array_index (c->process_events, 0);
  g_assert_cmpint (ev->type, ==, ZG_PROCESS_STATUS);
  g_assert_cmpint (ev->from, ==, ZG_STATUS_DRAFT);
  g_assert_cmpint (ev->to, ==, ZG_STATUS_HANDED_OVER);
  ev = g_ptr_array_index (c->process_events, 2);
  g_assert_cmpint (ev->type, ==, ZG_PROCESS_HANDOVER_FINISHED);
  g_assert_cmpstr (ev->supervisor, ==, "Dr. Max Weber");
  g_assert_cmpint (ev->at, ==, 1795687200 + 2 * 86400 + 13 * 3600 + 59 * 60 + 59);

  text = zg_certificate_to_data (c, FALSE);
  again = zg_certificate_from_data (text, -1, &error);
  g_assert_no_error (error);
  text2 = zg_certificate_to_data (again, FALSE);
  g_assert_cmpstr (text, ==, text2);
  g_assert_nonnull (strstr (text, "\"at\":\"2026-11-28T23:59:59Z\""));
  {
    /* a certificate without process data writes no "prozess" */
    g_autoptr(ZgCertificate) plain = zg_certificate_new ();
    g_autofree char *t = zg_certificate_to_data (plain, FALSE);

    g_assert_null (strstr (t, "prozess"));
  }
}

/* Bad process data: clear error, never a crash. */
static void
test_process_rejections (void)
{
  static const char *const bad[] = {
    "{\"prozess\":[]}",
    "{\"prozess\":{\"x\":1}}",
    "{\"prozess\":{\"created\":{\"by\":\"3\"}}}",                                /* no time */
    "{\"prozess\":{\"created\":{\"at\":\"2026-11-26 10:00:00\"}}}",
    "{\"prozess\":{\"created\":{\"at\":\"2026-11-26T10:00:00+01:00\"}}}",
    "{\"prozess\":{\"created\":{\"at\":\"2026-02-30T10:00:00Z\"}}}",
    "{\"prozess\":{\"created\":{\"at\":\"2026-11-26T24:00:00Z\"}}}",
    "{\"prozess\":{\"created\":{\"at\":1795687200}}}",
    "{\"prozess\":{\"events\":{}}}",
    "{\"prozess\":{\"events\":[1]}}",
    "{\"prozess\":{\"events\":[{\"type\":\"status\",\"to\":\"review\","
    "\"at\":\"2026-11-26T10:00:00Z\"}]}}",                                         /* no from */
    "{\"prozess\":{\"events\":[{\"type\":\"status\",\"from\":\"draft\",\"to\":\"issued\","
    "\"at\":\"2026-11-26T10:00:00Z\"}]}}",
    "{\"prozess\":{\"events\":[{\"type\":\"handover\",\"from\":\"draft\","
    "\"at\":\"2026-11-26T10:00:00Z\"}]}}",
    "{\"prozess\":{\"events\":[{\"type\":\"gift\",\"at\":\"2026-11-26T10:00:00Z\"}]}}",
    "{\"prozess\":{\"events\":[{\"at\":\"2026-11-26T10:00:00Z\"}]}}",
    "{\"prozess\":{\"events\":[{\"type\":\"handover\",\"supervisor\":7,"
    "\"at\":\"2026-11-26T10:00:00Z\"}]}}",
    "{\"prozess\":{\"events\":[{\"type\":\"handover\",\"note\":\"x\","
    "\"at\":\"2026-11-26T10:00:00Z\"}]}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ZgCertificate) c = zg_certificate_from_data (bad[i], -1, &error);

      if (c != NULL)
        g_error ("accepted: %s", bad[i]);
      g_assert_true (error->domain == ZG_CERTIFICATE_ERROR);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Zeugnis/Shared/Workflow/transition-matrix", test_transition_matrix);
  g_test_add_func ("/Zeugnis/Shared/Workflow/next-statuses", test_next_statuses);
  g_test_add_func ("/Zeugnis/Shared/Workflow/completed-read-only", test_read_only);
  g_test_add_func ("/Zeugnis/Shared/Workflow/status-keys", test_status_keys);
  g_test_add_func ("/Zeugnis/Shared/Workflow/process-data-round-trip-R-DATA-4",
                   test_process_round_trip);
  g_test_add_func ("/Zeugnis/Shared/Workflow/process-data-rejections-R-DATA-4",
                   test_process_rejections);
  return g_test_run ();
}
