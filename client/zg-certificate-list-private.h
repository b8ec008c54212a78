/* zg-certificate-list-private.h — the instance struct of ZgCertificateList
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-certificate-list.h"

G_BEGIN_DECLS

struct _ZgCertificateList
{
  AdwBin              parent_instance;

  GtkSearchEntry     *search_entry;
  GtkDropDown        *status_dropdown;
  GtkDropDown        *kind_dropdown;
  GtkDropDown        *company_dropdown;
  GtkToggleButton    *mine_button;
  GtkStack           *content_stack;
  GtkColumnView      *column_view;
  GtkButton          *clear_filters_button;

  GListStore         *store;
  GtkSortListModel   *sort_model;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filter_model;
  GtkSingleSelection *selection;
  GtkStringList      *companies;

  ZgCache            *cache;
  GCancellable       *cancellable;
  gboolean            loading;
  gboolean            reload_again;
  gboolean            loaded;
  gboolean            updating_companies;

  gint64              user_id;
  char               *query;      /* folded */
  char              **words;
  const char         *status;     /* a key of status_keys or NULL */
  const char         *kind;
  char               *company;
  gboolean            mine;
};

G_END_DECLS
