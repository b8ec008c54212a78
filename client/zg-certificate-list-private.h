/* zg-certificate-list-private.h — the instance struct of ZgCertificateList
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-certificate-list.h"
#include "zg-certificate-row.h"

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
  GtkListView        *list_view;
  GtkWidget          *header;       /* the sort buttons, one per ZgRowColumn */
  GtkButton          *sort_buttons[ZG_ROW_N_COLUMNS];
  GtkImage           *sort_arrows[ZG_ROW_N_COLUMNS];
  GtkButton          *clear_filters_button;

  GListStore         *store;
  GtkSortListModel   *sort_model;
  GtkCustomSorter    *sorter;
  ZgRowColumn         sort_column;
  gboolean            sort_descending;
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
