/* zg-certificate-item-private.h — the instance struct of ZgCertificateItem
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-certificate-item.h"

G_BEGIN_DECLS

struct _ZgCertificateItem
{
  GObject               parent_instance;

  ZgCertificateSummary *summary;
  char                 *name;
};

G_END_DECLS
