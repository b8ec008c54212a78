/* zg-certificate-list.c — the certificates of the offline cache as a sortable, filterable table
 *
 * Model chain: GListStore (all items, read on a worker thread) → GtkSortListModel (sorted by
 * the header's column) → GtkFilterListModel (search, status, kind, company, mine) → selection. The
 * filter sits after the sort so that typing never re-sorts; each keystroke tells the filter
 * whether it became stricter, so only the rows still shown are looked at again. A GtkListView
 * whose rows are one widget each (zg-certificate-row.c) under a header of sort buttons laid out
 * with the same columns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "zg-cache-summary.h"
#include "zg-certificate-item.h"
#include "zg-certificate-list.h"
#include "zg-certificate-list-private.h"
#include "zg-certificate-row.h"

/* Order of the dropdown entries after "All …" (keys of shared/zg-certificate.h). */
static const char * const status_keys[] = {
  "draft", "handed-over", "handover-finished", "review", "approved", "completed",
};
static const char * const kind_keys[] = {
  "endzeugnis", "zwischenzeugnis", "ausbildungszeugnis", "praktikumszeugnis",
};


G_DEFINE_FINAL_TYPE (ZgCertificateList, zg_certificate_list, ADW_TYPE_BIN)

enum {
  SIGNAL_CERTIFICATE_ACTIVATED,
  SIGNAL_LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
zg_certificate_list_new (void)
{
  return g_object_new (ZG_TYPE_CERTIFICATE_LIST, NULL);
}

static ZgCertificateItem *
item_at (GListModel *model,
         guint       position)
{
  return g_list_model_get_item (model, position);
}

/* Filtering */

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  ZgCertificateList *self = user_data;
  const ZgCertificateSummary *s = zg_certificate_item_get_summary (item);

  if (self->status != NULL && g_strcmp0 (s->status, self->status) != 0)
    return FALSE;
  if (self->kind != NULL && g_strcmp0 (s->kind, self->kind) != 0)
    return FALSE;
  if (self->company != NULL && g_strcmp0 (s->company, self->company) != 0)
    return FALSE;
  if (self->mine && !zg_certificate_item_is_mine (item, self->user_id))
    return FALSE;
  return zg_cache_summary_matches (s->search_key, (const char * const *) self->words);
}

/* Not incremental: an incremental filter shows a half-filtered list for several frames.
 * Measured alternatives (a fresh model for the view, one splice of all matches) cost the
 * view more than the filter model's own ranges (docs/client.md, figures). */
static void
refilter (ZgCertificateList *self,
          GtkFilterChange    change)
{
  gtk_filter_changed (GTK_FILTER (self->filter), change);
}

static void
update_view (ZgCertificateList *self)
{
  const char *page = "list";

  if (self->loaded && g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0)
    page = "empty";
  else if (self->loaded && g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0)
    page = "no-matches";
  gtk_stack_set_visible_child_name (self->content_stack, page);
}

static void
apply_search (ZgCertificateList *self,
              const char        *text)
{
  g_autofree char *folded = zg_cache_summary_fold (text);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  g_strstrip (folded);
  if (g_strcmp0 (folded, self->query) == 0)
    return;
  /* Typing on only adds words or letters: the rows hidden stay hidden. */
  if (self->query != NULL && g_str_has_prefix (folded, self->query))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->query != NULL && g_str_has_prefix (self->query, folded))
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  g_free (self->query);
  self->query = g_steal_pointer (&folded);
  g_strfreev (self->words);
  self->words = g_strsplit (self->query, " ", -1);
  refilter (self, change);
}

static void
search_changed_cb (GtkSearchEntry    *entry,
                   ZgCertificateList *self)
{
  apply_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
stop_search_cb (GtkSearchEntry    *entry,
                ZgCertificateList *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  apply_search (self, "");
}

static void
search_activate_cb (GtkSearchEntry    *entry,
                    ZgCertificateList *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static const char *
key_for (GtkDropDown        *dropdown,
         const char * const *keys,
         gsize               n_keys)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > n_keys)
    return NULL;
  return keys[selected - 1];
}

static void
dropdown_changed_cb (GtkDropDown       *dropdown,
                     GParamSpec        *pspec,
                     ZgCertificateList *self)
{
  guint selected;

  if (self->updating_companies)
    return;
  self->status = key_for (self->status_dropdown, status_keys, G_N_ELEMENTS (status_keys));
  self->kind = key_for (self->kind_dropdown, kind_keys, G_N_ELEMENTS (kind_keys));
  g_clear_pointer (&self->company, g_free);
  selected = gtk_drop_down_get_selected (self->company_dropdown);
  if (selected != 0 && selected != GTK_INVALID_LIST_POSITION)
    self->company = g_strdup (gtk_string_list_get_string (self->companies, selected));
  refilter (self, GTK_FILTER_CHANGE_DIFFERENT);
}

static void
mine_toggled_cb (GtkToggleButton   *button,
                 ZgCertificateList *self)
{
  self->mine = gtk_toggle_button_get_active (button);
  refilter (self, self->mine ? GTK_FILTER_CHANGE_MORE_STRICT
                                                            : GTK_FILTER_CHANGE_LESS_STRICT);
}

static void
clear_filters_cb (GtkButton         *button,
                  ZgCertificateList *self)
{
  zg_certificate_list_clear_filters (self);
}

static void
filtered_changed_cb (GListModel        *model,
                     guint              position,
                     guint              removed,
                     guint              added,
                     ZgCertificateList *self)
{
  update_view (self);
}

/* Sorting: precomputed keys and ranks, no collation while sorting 10,000 rows */

static int
rank_of (const char         *key,
         const char * const *keys,
         gsize               n_keys)
{
  for (gsize i = 0; i < n_keys; i++)
    if (g_strcmp0 (key, keys[i]) == 0)
      return (int) i;
  return (int) n_keys;
}

static int
compare_int64 (gint64 a,
               gint64 b)
{
  return a < b ? -1 : a > b ? 1 : 0;
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  ZgCertificateList *self = user_data;
  const ZgCertificateSummary *x = zg_certificate_item_get_summary ((gpointer) a);
  const ZgCertificateSummary *y = zg_certificate_item_get_summary ((gpointer) b);
  int result = 0;

  switch (self->sort_column)
    {
    case ZG_ROW_COLUMN_NAME:
      break;
    case ZG_ROW_COLUMN_COMPANY:
      result = g_strcmp0 (x->company_key, y->company_key);
      break;
    case ZG_ROW_COLUMN_KIND:
      result = rank_of (x->kind, kind_keys, G_N_ELEMENTS (kind_keys))
               - rank_of (y->kind, kind_keys, G_N_ELEMENTS (kind_keys));
      break;
    case ZG_ROW_COLUMN_STATUS:
      result = rank_of (x->status, status_keys, G_N_ELEMENTS (status_keys))
               - rank_of (y->status, status_keys, G_N_ELEMENTS (status_keys));
      break;
    case ZG_ROW_COLUMN_PRIVATE:
      result = (int) x->is_private - (int) y->is_private;
      break;
    case ZG_ROW_COLUMN_CHANGED:
      result = compare_int64 (zg_certificate_item_get_last_change ((gpointer) a),
                              zg_certificate_item_get_last_change ((gpointer) b));
      break;
    case ZG_ROW_COLUMN_SYNC:
      result = ((int) x->problem * 2 + (int) x->pending) - ((int) y->problem * 2 + (int) y->pending);
      break;
    case ZG_ROW_N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
  if (result == 0)
    result = g_strcmp0 (x->name_key, y->name_key);
  if (result == 0)
    result = g_strcmp0 (x->id, y->id);
  if (self->sort_descending)
    result = -result;
  return result < 0 ? GTK_ORDERING_SMALLER : result > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

/* Rows and header */

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, zg_certificate_row_new ());
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  user_data)
{
  zg_certificate_row_set_item (ZG_CERTIFICATE_ROW (gtk_list_item_get_child (list_item)),
                               gtk_list_item_get_item (list_item));
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  zg_certificate_row_set_item (ZG_CERTIFICATE_ROW (gtk_list_item_get_child (list_item)), NULL);
}

static void
update_sort_arrows (ZgCertificateList *self)
{
  for (int i = 0; i < ZG_ROW_N_COLUMNS; i++)
    {
      gboolean sorted = i == (int) self->sort_column;

      gtk_image_set_from_icon_name (self->sort_arrows[i],
                                    sorted && self->sort_descending ? "pan-down-symbolic"
                                                                    : "pan-up-symbolic");
      gtk_widget_set_visible (GTK_WIDGET (self->sort_arrows[i]), sorted);
    }
}

static void
sort_clicked_cb (const GtkButton   *button,
                 ZgCertificateList *self)
{
  for (int i = 0; i < ZG_ROW_N_COLUMNS; i++)
    {
      if (self->sort_buttons[i] != button)
        continue;
      if ((int) self->sort_column == i)
        {
          self->sort_descending = !self->sort_descending;
          gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_INVERTED);
        }
      else
        {
          self->sort_column = (ZgRowColumn) i;
          self->sort_descending = FALSE;
          gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
        }
      update_sort_arrows (self);
      return;
    }
}

/* The header's buttons sit exactly over the rows' columns. */
static void
header_measure (GtkWidget      *widget,
                GtkOrientation  orientation,
                int             for_size,
                int            *minimum,
                int            *natural,
                int            *minimum_baseline,
                int            *natural_baseline)
{
  *minimum = *natural = 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = *natural = zg_certificate_row_min_width ();
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min = 0;
      int child_nat = 0;

      gtk_widget_measure (child, orientation, -1, &child_min, &child_nat, NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
    }
}

static void
header_allocate (GtkWidget *widget,
                 int        width,
                 int        height,
                 int        baseline)
{
  int x[ZG_ROW_N_COLUMNS];
  int w[ZG_ROW_N_COLUMNS];
  int i = 0;

  zg_certificate_row_layout (width, x, w);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL && i < ZG_ROW_N_COLUMNS; child = gtk_widget_get_next_sibling (child), i++)
    {
      int child_min = 0;
      GtkAllocation allocation = { x[i], 0, w[i], height };

      /* GTK expects a measure before each allocation; a title may reach into the next column. */
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, NULL, NULL, NULL);
      allocation.width = MAX (allocation.width, child_min);
      gtk_widget_size_allocate (child, &allocation, -1);
    }
}

static void
add_header_button (ZgCertificateList *self,
                   ZgRowColumn        column,
                   const char        *title,
                   const char        *icon_name,
                   const char        *accessible_label)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *arrow = gtk_image_new ();

  if (title != NULL)
    {
      GtkWidget *label = gtk_label_new (title);

      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      /* The fixed columns' titles may reach into the next column, as in a column view. */
      if (column == ZG_ROW_COLUMN_NAME || column == ZG_ROW_COLUMN_COMPANY)
        gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (box), label);
    }
  else
    {
      /* No icon over the sync column: the arrows of mail-send-receive look like sorting. */
      if (icon_name != NULL)
        gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon_name));
      gtk_widget_set_tooltip_text (button, accessible_label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible_label, -1);
    }
  gtk_box_append (GTK_BOX (box), arrow);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_set_parent (button, self->header);
  self->sort_buttons[column] = GTK_BUTTON (button);
  self->sort_arrows[column] = GTK_IMAGE (arrow);
  g_signal_connect (button, "clicked", G_CALLBACK (sort_clicked_cb), self);
}

static void
activate_cb (GtkListView       *view,
             guint              position,
             ZgCertificateList *self)
{
  g_autoptr(ZgCertificateItem) item = item_at (G_LIST_MODEL (self->filter_model), position);

  if (item != NULL)
    g_signal_emit (self, signals[SIGNAL_CERTIFICATE_ACTIVATED], 0,
                   zg_certificate_item_get_id (item));
}

/* Loading */

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GPtrArray) items = NULL;

  summaries = zg_cache_list_certificate_summaries (task_data, &error);
  if (summaries == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The items own the summaries from here. */
  g_ptr_array_set_free_func (summaries, NULL);
  items = g_ptr_array_new_full (summaries->len, g_object_unref);
  for (guint i = 0; i < summaries->len; i++)
    g_ptr_array_add (items, zg_certificate_item_new (summaries->pdata[i]));
  g_task_return_pointer (task, g_steal_pointer (&items), (GDestroyNotify) g_ptr_array_unref);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static void
update_companies (ZgCertificateList *self,
                  GPtrArray         *items)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint selected = 0;

  for (guint i = 0; i < items->len; i++)
    {
      const char *company = zg_certificate_item_get_summary (items->pdata[i])->company;

      if (company != NULL && g_hash_table_add (seen, (gpointer) company))
        g_ptr_array_add (names, (gpointer) company);
    }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);

  self->updating_companies = TRUE;
  gtk_string_list_splice (self->companies, 1,
                          g_list_model_get_n_items (G_LIST_MODEL (self->companies)) - 1,
                          (const char * const *) names->pdata);
  if (self->company != NULL)
    for (guint i = 0; names->pdata[i] != NULL; i++)
      if (strcmp (names->pdata[i], self->company) == 0)
        selected = i + 1;
  gtk_drop_down_set_selected (self->company_dropdown, selected);
  self->updating_companies = FALSE;
  if (selected == 0 && self->company != NULL)
    {
      /* The company of the filter is gone: show all again. */
      g_clear_pointer (&self->company, g_free);
      refilter (self, GTK_FILTER_CHANGE_LESS_STRICT);
    }
}

static void start_load (ZgCertificateList *self);

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ZgCertificateList *self = ZG_CERTIFICATE_LIST (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (items == NULL)
    g_warning ("Could not list the references: %s", error->message);
  else if (self->cache != NULL)
    {
      update_companies (self, items);
      g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                           items->pdata, items->len);
      self->loaded = TRUE;
      update_view (self);
      g_signal_emit (self, signals[SIGNAL_LOADED], 0);
    }
  if (self->reload_again)
    start_load (self);
}

static void
start_load (ZgCertificateList *self)
{
  g_autoptr(GTask) task = NULL;

  self->reload_again = FALSE;
  self->loading = TRUE;
  task = g_task_new (self, self->cancellable, load_done_cb, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, g_object_ref (self->cache), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

void
zg_certificate_list_reload (ZgCertificateList *self)
{
  g_return_if_fail (ZG_IS_CERTIFICATE_LIST (self));

  if (self->cache == NULL)
    return;
  if (self->loading)
    {
      self->reload_again = TRUE;
      return;
    }
  start_load (self);
}

void
zg_certificate_list_set_cache (ZgCertificateList *self,
                               ZgCache           *cache)
{
  g_return_if_fail (ZG_IS_CERTIFICATE_LIST (self));
  g_return_if_fail (cache == NULL || ZG_IS_CACHE (cache));

  if (self->cache == cache)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = FALSE;
  self->reload_again = FALSE;
  g_set_object (&self->cache, cache);
  self->loaded = FALSE;
  g_list_store_remove_all (self->store);
  update_view (self);
  if (cache != NULL)
    start_load (self);
}

/* Class */

static void
zg_certificate_list_dispose (GObject *object)
{
  ZgCertificateList *self = ZG_CERTIFICATE_LIST (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZG_TYPE_CERTIFICATE_LIST);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->sorter);
  g_clear_object (&self->store);
  g_clear_object (&self->companies);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (zg_certificate_list_parent_class)->dispose (object);
}

static void
zg_certificate_list_finalize (GObject *object)
{
  ZgCertificateList *self = ZG_CERTIFICATE_LIST (object);

  g_free (self->query);
  g_strfreev (self->words);
  g_free (self->company);

  G_OBJECT_CLASS (zg_certificate_list_parent_class)->finalize (object);
}

static void
zg_certificate_list_class_init (ZgCertificateListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zg_certificate_list_dispose;
  object_class->finalize = zg_certificate_list_finalize;

  signals[SIGNAL_CERTIFICATE_ACTIVATED] =
    g_signal_new ("certificate-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/de/zeugnis/Zeugnis/zg-certificate-list.ui");
  gtk_widget_class_bind_template_child (widget_class, ZgCertificateList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ZgCertificateList, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ZgCertificateList, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ZgCertificateList, company_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ZgCertificateList, mine_button);
  gtk_widget_class_bind_template_child (widget_class, ZgCertificateList, content_stack);
  gtk_widget_class_bind_template_child (widget_class, ZgCertificateList, list_view);
  gtk_widget_class_bind_template_child (widget_class, ZgCertificateList, header);
  gtk_widget_class_bind_template_child (widget_class, ZgCertificateList, clear_filters_button);
}

static void
zg_certificate_list_init (ZgCertificateList *self)
{
  g_autoptr(GtkExpression) expression = NULL;

  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->query = g_strdup ("");
  self->words = g_new0 (char *, 1);
  self->store = g_list_store_new (ZG_TYPE_CERTIFICATE_ITEM);
  self->sort_column = ZG_ROW_COLUMN_NAME;
  self->sorter = gtk_custom_sorter_new (compare_items, self, NULL);
  self->sort_model = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                              GTK_SORTER (g_object_ref (self->sorter)));
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->sort_model)),
                                                  GTK_FILTER (self->filter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->filter_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  gtk_widget_set_layout_manager (self->header,
                                 gtk_custom_layout_new (NULL, header_measure, header_allocate));
  /* TRANSLATORS: column headers of the list of references */
  /* The position shares the name's cell, so that long names fit at 1024 pixels. */
  add_header_button (self, ZG_ROW_COLUMN_NAME, _("Name and Position"), NULL, NULL);
  add_header_button (self, ZG_ROW_COLUMN_COMPANY, _("Company"), NULL, NULL);
  add_header_button (self, ZG_ROW_COLUMN_KIND, _("Kind"), NULL, NULL);
  add_header_button (self, ZG_ROW_COLUMN_STATUS, _("Status"), NULL, NULL);
  add_header_button (self, ZG_ROW_COLUMN_PRIVATE, NULL, "changes-prevent-symbolic",
                     _("Private"));
  add_header_button (self, ZG_ROW_COLUMN_CHANGED, _("Last Change"), NULL, NULL);
  add_header_button (self, ZG_ROW_COLUMN_SYNC, NULL, NULL, _("Synchronisation"));
  update_sort_arrows (self);

  self->companies = gtk_string_list_new ((const char * const[]) { _("All Companies"), NULL });
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->company_dropdown, expression);
  gtk_drop_down_set_model (self->company_dropdown, G_LIST_MODEL (self->companies));

  g_signal_connect (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect (self->search_entry, "stop-search", G_CALLBACK (stop_search_cb), self);
  g_signal_connect (self->search_entry, "activate", G_CALLBACK (search_activate_cb), self);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));
  g_signal_connect (self->status_dropdown, "notify::selected", G_CALLBACK (dropdown_changed_cb),
                    self);
  g_signal_connect (self->kind_dropdown, "notify::selected", G_CALLBACK (dropdown_changed_cb),
                    self);
  g_signal_connect (self->company_dropdown, "notify::selected", G_CALLBACK (dropdown_changed_cb),
                    self);
  g_signal_connect (self->mine_button, "toggled", G_CALLBACK (mine_toggled_cb), self);
  g_signal_connect (self->clear_filters_button, "clicked", G_CALLBACK (clear_filters_cb), self);
  g_signal_connect (self->list_view, "activate", G_CALLBACK (activate_cb), self);
  g_signal_connect (self->filter_model, "items-changed", G_CALLBACK (filtered_changed_cb), self);
  update_view (self);
}

/* Public API */

void
zg_certificate_list_set_user_id (ZgCertificateList *self,
                                 gint64             user_id)
{
  g_return_if_fail (ZG_IS_CERTIFICATE_LIST (self));

  if (self->user_id == user_id)
    return;
  self->user_id = user_id;
  if (self->mine)
    refilter (self, GTK_FILTER_CHANGE_DIFFERENT);
}

GListModel *
zg_certificate_list_get_model (ZgCertificateList *self)
{
  g_return_val_if_fail (ZG_IS_CERTIFICATE_LIST (self), NULL);
  return G_LIST_MODEL (self->filter_model);
}

guint
zg_certificate_list_get_n_total (ZgCertificateList *self)
{
  g_return_val_if_fail (ZG_IS_CERTIFICATE_LIST (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->store));
}

void
zg_certificate_list_set_search (ZgCertificateList *self,
                                const char        *text)
{
  g_return_if_fail (ZG_IS_CERTIFICATE_LIST (self));

  g_signal_handlers_block_by_func (self->search_entry, search_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  g_signal_handlers_unblock_by_func (self->search_entry, search_changed_cb, self);
  apply_search (self, text != NULL ? text : "");
}

void
zg_certificate_list_clear_filters (ZgCertificateList *self)
{
  g_return_if_fail (ZG_IS_CERTIFICATE_LIST (self));

  zg_certificate_list_set_search (self, "");
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  gtk_drop_down_set_selected (self->kind_dropdown, 0);
  gtk_drop_down_set_selected (self->company_dropdown, 0);
  gtk_toggle_button_set_active (self->mine_button, FALSE);
}

void
zg_certificate_list_focus_search (ZgCertificateList *self)
{
  g_return_if_fail (ZG_IS_CERTIFICATE_LIST (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
