/* zg-workflow.h — the status workflow of a certificate: which status changes are allowed
 *
 * The one place that decides (docs/permissions.md, "Status workflow"). The server asks it
 * for every push and REST change of "status"; the client asks it only to offer the
 * allowed next statuses. Labels (Entwurf, In Prüfung …) are the client's job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "zg-certificate.h"

G_BEGIN_DECLS

#define ZG_WORKFLOW_ERROR (zg_workflow_error_quark ())

typedef enum
{
  ZG_WORKFLOW_ERROR_INVALID_TRANSITION, /* not a step of the workflow */
  ZG_WORKFLOW_ERROR_REOPEN_REQUIRED,    /* back to draft from review/approved/completed
                                           without the explicit reopen */
  ZG_WORKFLOW_ERROR_READ_ONLY,          /* completed: only a reopen changes it */
} ZgWorkflowError;

typedef enum
{
  ZG_TRANSITION_NONE,    /* not allowed */
  ZG_TRANSITION_SAME,    /* from == to: nothing changes, nothing is recorded */
  ZG_TRANSITION_STEP,    /* an ordinary step */
  ZG_TRANSITION_REOPEN,  /* review, approved or completed back to draft: needs reopen */
} ZgTransitionKind;

GQuark            zg_workflow_error_quark       (void);

ZgTransitionKind  zg_workflow_transition_kind   (ZgCertificateStatus  from,
                                                 ZgCertificateStatus  to);
/* TRUE when @from -> @to may happen; @reopen is the caller's explicit "reopen" and is
 * required for (and only allowed with) a ZG_TRANSITION_REOPEN. */
gboolean          zg_workflow_check_transition  (ZgCertificateStatus  from,
                                                 ZgCertificateStatus  to,
                                                 gboolean             reopen,
                                                 GError             **error);
/* Completed certificates are read-only: a change of anything but "status" is refused
 * (ZG_WORKFLOW_ERROR_READ_ONLY). @paths: NULL-terminated field paths of one change. */
gboolean          zg_workflow_is_read_only      (ZgCertificateStatus  status);
gboolean          zg_workflow_check_change      (ZgCertificateStatus  current,
                                                 const char *const   *paths,
                                                 GError             **error);
/* The statuses reachable from @from in one change (without @from itself), in enum order;
 * returns how many were written to @out. */
guint             zg_workflow_next_statuses     (ZgCertificateStatus  from,
                                                 ZgCertificateStatus  out[ZG_N_STATUSES]);

G_END_DECLS
