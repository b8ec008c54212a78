/* zg-new-certificate-dialog-private.h — the instance structs of the dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "zg-new-certificate-dialog.h"

G_BEGIN_DECLS

/* One row of the employee list. */
#define ZG_TYPE_PICK_ITEM (zg_pick_item_get_type ())
G_DECLARE_FINAL_TYPE (ZgPickItem, zg_pick_item, ZG, PICK_ITEM, GObject)

struct _ZgPickItem
{
  GObject  parent_instance;
  char    *id;
  char    *title;
  char    *subtitle;
  char    *haystack;
  char    *sort_key;
};

struct _ZgNewCertificateDialog
{
  AdwWindow           parent_instance;

  AdwWindowTitle     *window_title;
  GtkButton          *cancel_button;
  GtkButton          *back_button;
  GtkButton          *save_employee_button;
  GtkButton          *create_button;
  GtkStack           *stack;
  GtkSearchEntry     *search_entry;
  GtkStack           *list_stack;
  GtkListView        *employee_list;
  AdwStatusPage      *empty_page;
  GtkButton          *new_employee_button;
  GtkLabel           *form_error_label;
  AdwComboRow        *salutation_row;
  AdwEntryRow        *title_row;
  AdwEntryRow        *first_name_row;
  AdwEntryRow        *last_name_row;
  AdwEntryRow        *birth_date_row;
  AdwEntryRow        *birth_place_row;
  AdwEntryRow        *street_row;
  AdwEntryRow        *postcode_row;
  AdwEntryRow        *city_row;
  AdwEntryRow        *email_row;
  AdwEntryRow        *entry_date_row;
  AdwEntryRow        *exit_date_row;
  AdwComboRow        *exit_reason_row;
  AdwComboRow        *employee_type_row;
  AdwComboRow        *company_row;
  AdwComboRow        *location_row;
  AdwComboRow        *department_row;
  AdwComboRow        *org_unit_row;
  AdwActionRow       *employee_row;
  AdwComboRow        *kind_row;
  AdwComboRow        *language_row;
  GtkLabel           *create_error_label;

  ZgCache            *cache;
  ZgSyncEngine       *sync;
  JsonObject         *user;

  GListStore         *employees;       /* ZgPickItem */
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;

  GPtrArray          *companies;       /* ZgCompany*, sorted by name */
  GPtrArray          *employee_types;  /* ZgEmployeeType*, sorted by name */
  ZgEmployee         *employee;        /* the chosen one */
  gboolean            creating;
};

G_END_DECLS
