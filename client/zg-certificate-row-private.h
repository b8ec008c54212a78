/* zg-certificate-row-private.h — the instance struct of ZgCertificateRow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-certificate-item.h"
#include "zg-certificate-row.h"

G_BEGIN_DECLS

struct _ZgCertificateRow
{
  GtkWidget          parent_instance;

  ZgCertificateItem *item;
};

G_END_DECLS
