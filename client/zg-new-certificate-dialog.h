/* zg-new-certificate-dialog.h — create a certificate from an employee: pick a Mitarbeiter from
 * the cache (search as you type) or create one, choose kind and language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "zg-cache.h"
#include "zg-certificate.h"
#include "zg-masterdata.h"
#include "zg-sync-engine.h"

G_BEGIN_DECLS

#define ZG_TYPE_NEW_CERTIFICATE_DIALOG (zg_new_certificate_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ZgNewCertificateDialog, zg_new_certificate_dialog, ZG,
                      NEW_CERTIFICATE_DIALOG, AdwWindow)

/* Signal "created" (const char *certificate_id): the draft is in the cache and the outbox. */
ZgNewCertificateDialog *zg_new_certificate_dialog_new (GtkWindow    *parent,
                                                       ZgCache      *cache,
                                                       ZgSyncEngine *sync,
                                                       JsonObject   *user);

/* The draft the dialog writes: persönliche Daten, Unternehmen (name, address lines, description,
 * location/department/org unit names) and Zeugnisdaten (entry/exit date, reason, employee type,
 * manager, issue date today, issue place = company city) from the records. */
ZgCertificate          *zg_new_certificate_build      (const ZgEmployee     *employee,
                                                       const ZgCompany      *company,
                                                       const ZgEmployeeType *type,
                                                       ZgCertificateKind     kind,
                                                       const char           *language);
/* The translated label of a closing reason key of docs/engine.md; NULL when unknown. */
const char             *zg_exit_reason_label          (const char           *key);
/* "31.12.1985", "1.2.1985" or "1985-12-31"; empty = not given (TRUE, @out cleared). */
gboolean                zg_new_certificate_parse_date (const char           *text,
                                                       GDate                *out);

G_END_DECLS
