/* zg-workflow.c — the status workflow of a certificate (docs/permissions.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "zg-workflow.h"

G_DEFINE_QUARK (zg-workflow-error-quark, zg_workflow_error)

#define D  ZG_STATUS_DRAFT
#define HO ZG_STATUS_HANDED_OVER
#define HF ZG_STATUS_HANDOVER_FINISHED
#define RV ZG_STATUS_REVIEW
#define AP ZG_STATUS_APPROVED
#define CO ZG_STATUS_COMPLETED

/* transitions[from][to]. Forward: draft -> handed-over -> handover-finished -> review ->
 * approved -> completed, with the handover optional (draft -> review). A handover may be
 * withdrawn or repeated (handed-over -> draft, handover-finished -> draft/handed-over);
 * everything from review on goes back only by an explicit reopen to draft. */
static const ZgTransitionKind transitions[ZG_N_STATUSES][ZG_N_STATUSES] = {
  [D]  = { [HO] = ZG_TRANSITION_STEP, [RV] = ZG_TRANSITION_STEP },
  [HO] = { [HF] = ZG_TRANSITION_STEP, [D] = ZG_TRANSITION_STEP },
  [HF] = { [RV] = ZG_TRANSITION_STEP, [HO] = ZG_TRANSITION_STEP, [D] = ZG_TRANSITION_STEP },
  [RV] = { [AP] = ZG_TRANSITION_STEP, [D] = ZG_TRANSITION_REOPEN },
  [AP] = { [CO] = ZG_TRANSITION_STEP, [D] = ZG_TRANSITION_REOPEN },
  [CO] = { [D] = ZG_TRANSITION_REOPEN },
};

#undef D
#undef HO
#undef HF
#undef RV
#undef AP
#undef CO

ZgTransitionKind
zg_workflow_transition_kind (ZgCertificateStatus from,
                             ZgCertificateStatus to)
{
  g_return_val_if_fail (from < ZG_N_STATUSES && to < ZG_N_STATUSES, ZG_TRANSITION_NONE);
  if (from == to)
    return ZG_TRANSITION_SAME;
  return transitions[from][to];
}

gboolean
zg_workflow_check_transition (ZgCertificateStatus   from,
                              ZgCertificateStatus   to,
                              gboolean              reopen,
                              GError              **error)
{
  ZgTransitionKind kind;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (from >= ZG_N_STATUSES || to >= ZG_N_STATUSES)
    {
      g_set_error_literal (error, ZG_WORKFLOW_ERROR, ZG_WORKFLOW_ERROR_INVALID_TRANSITION,
                           "Unknown status");
      return FALSE;
    }
  kind = zg_workflow_transition_kind (from, to);
  switch (kind)
    {
    case ZG_TRANSITION_SAME:
    case ZG_TRANSITION_STEP:
      if (!reopen)
        return TRUE;
      g_set_error (error, ZG_WORKFLOW_ERROR, ZG_WORKFLOW_ERROR_INVALID_TRANSITION,
                   "“%s” → “%s” is no reopen", zg_status_key (from), zg_status_key (to));
      return FALSE;
    case ZG_TRANSITION_REOPEN:
      if (reopen)
        return TRUE;
      g_set_error (error, ZG_WORKFLOW_ERROR, ZG_WORKFLOW_ERROR_REOPEN_REQUIRED,
                   "Going back from “%s” to “%s” needs an explicit reopen",
                   zg_status_key (from), zg_status_key (to));
      return FALSE;
    case ZG_TRANSITION_NONE:
    default:
      g_set_error (error, ZG_WORKFLOW_ERROR, ZG_WORKFLOW_ERROR_INVALID_TRANSITION,
                   "The status cannot change from “%s” to “%s”", zg_status_key (from),
                   zg_status_key (to));
      return FALSE;
    }
}

gboolean
zg_workflow_is_read_only (ZgCertificateStatus status)
{
  return status == ZG_STATUS_COMPLETED;
}

gboolean
zg_workflow_check_change (ZgCertificateStatus   current,
                          const char *const    *paths,
                          GError              **error)
{
  g_return_val_if_fail (paths != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!zg_workflow_is_read_only (current))
    return TRUE;
  for (guint i = 0; paths[i] != NULL; i++)
    if (g_strcmp0 (paths[i], "status") != 0)
      {
        g_set_error (error, ZG_WORKFLOW_ERROR, ZG_WORKFLOW_ERROR_READ_ONLY,
                     "The certificate is completed: reopen it before changing “%s”", paths[i]);
        return FALSE;
      }
  return TRUE;
}

guint
zg_workflow_next_statuses (ZgCertificateStatus from,
                           ZgCertificateStatus out[ZG_N_STATUSES])
{
  guint n = 0;

  g_return_val_if_fail (from < ZG_N_STATUSES && out != NULL, 0);
  for (guint to = 0; to < ZG_N_STATUSES; to++)
    if (transitions[from][to] != ZG_TRANSITION_NONE && to != from)
      out[n++] = (ZgCertificateStatus) to;
  return n;
}
