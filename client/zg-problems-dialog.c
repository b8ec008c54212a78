/* zg-problems-dialog.c — sync conflicts and rejected changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "zg-problems-dialog.h"

struct _ZgProblemsDialog
{
  AdwWindow     parent_instance;

  ZgCache      *cache;
  ZgSyncEngine *sync;
};

G_DEFINE_FINAL_TYPE (ZgProblemsDialog, zg_problems_dialog, ADW_TYPE_WINDOW)

static void
zg_problems_dialog_dispose (GObject *object)
{
  ZgProblemsDialog *self = ZG_PROBLEMS_DIALOG (object);

  g_clear_object (&self->cache);
  g_clear_object (&self->sync);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZG_TYPE_PROBLEMS_DIALOG);
  G_OBJECT_CLASS (zg_problems_dialog_parent_class)->dispose (object);
}

static void
zg_problems_dialog_class_init (ZgProblemsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zg_problems_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/de/zeugnis/Zeugnis/zg-problems-dialog.ui");
}

static void
zg_problems_dialog_init (ZgProblemsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

ZgProblemsDialog *
zg_problems_dialog_new (GtkWindow    *parent,
                        ZgCache      *cache,
                        ZgSyncEngine *sync)
{
  ZgProblemsDialog *self;

  g_return_val_if_fail (ZG_IS_CACHE (cache), NULL);
  g_return_val_if_fail (sync == NULL || G_IS_OBJECT (sync), NULL);

  self = g_object_new (ZG_TYPE_PROBLEMS_DIALOG, "transient-for", parent, NULL);
  self->cache = g_object_ref (cache);
  self->sync = sync != NULL ? g_object_ref (sync) : NULL;
  return self;
}
