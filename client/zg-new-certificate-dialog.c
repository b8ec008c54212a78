/* zg-new-certificate-dialog.c — create a certificate from an employee
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "zg-new-certificate-dialog.h"

struct _ZgNewCertificateDialog
{
  AdwWindow     parent_instance;

  ZgCache      *cache;
  ZgSyncEngine *sync;
  JsonObject   *user;
};

G_DEFINE_FINAL_TYPE (ZgNewCertificateDialog, zg_new_certificate_dialog, ADW_TYPE_WINDOW)

enum {
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
zg_new_certificate_dialog_dispose (GObject *object)
{
  ZgNewCertificateDialog *self = ZG_NEW_CERTIFICATE_DIALOG (object);

  g_clear_object (&self->cache);
  g_clear_object (&self->sync);
  g_clear_pointer (&self->user, json_object_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZG_TYPE_NEW_CERTIFICATE_DIALOG);
  G_OBJECT_CLASS (zg_new_certificate_dialog_parent_class)->dispose (object);
}

static void
zg_new_certificate_dialog_class_init (ZgNewCertificateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zg_new_certificate_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/de/zeugnis/Zeugnis/zg-new-certificate-dialog.ui");
  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
zg_new_certificate_dialog_init (ZgNewCertificateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

ZgNewCertificateDialog *
zg_new_certificate_dialog_new (GtkWindow    *parent,
                               ZgCache      *cache,
                               ZgSyncEngine *sync,
                               JsonObject   *user)
{
  ZgNewCertificateDialog *self;

  g_return_val_if_fail (ZG_IS_CACHE (cache), NULL);
  g_return_val_if_fail (sync == NULL || G_IS_OBJECT (sync), NULL);

  self = g_object_new (ZG_TYPE_NEW_CERTIFICATE_DIALOG, "transient-for", parent, NULL);
  self->cache = g_object_ref (cache);
  self->sync = sync != NULL ? g_object_ref (sync) : NULL;
  self->user = user != NULL ? json_object_ref (user) : NULL;
  return self;
}
