/* zg-cache-reset-dialog.c — explains why the offline data cannot be opened and resets it
 *
 * The reset runs on a worker thread (zg_cache_reset_for_account_async): a readable cache has its
 * pending edits exported first, an unreadable one is set aside, never deleted. Then a fresh
 * cache is opened for a full download. The dialog shows where the old data went.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "zg-cache-account.h"
#include "zg-cache-reset-dialog.h"
#include "zg-cache-reset-dialog-private.h"

G_DEFINE_FINAL_TYPE (ZgCacheResetDialog, zg_cache_reset_dialog, ADW_TYPE_WINDOW)

enum {
  RESET_DONE,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (ZgCacheResetDialog *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (ZgCacheResetDialog *self,
          gboolean            busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reset_button), !busy);
}

static void
show_done (ZgCacheResetDialog *self)
{
  self->done = TRUE;
  gtk_label_set_text (self->title_label, _("Offline Data Reset"));
  gtk_label_set_text (self->explanation_label,
                      _("Your data is being downloaded from the server again. You can keep "
                        "working in the meantime."));
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), FALSE);
  if (self->saved_path != NULL)
    {
      gtk_label_set_text (self->saved_label,
                          self->cache != NULL
                          ? _("Changes that had not been sent yet were saved to this file:")
                          : _("The old file was kept, not deleted. If it can be opened again "
                              "later, the changes in it are not lost:"));
      gtk_label_set_text (self->saved_path_label, self->saved_path);
      gtk_widget_set_visible (GTK_WIDGET (self->saved_label), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->saved_path_label), TRUE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->reset_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->close_button), TRUE);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->close_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->close_button));
}

static void
open_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ZgCacheResetDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCache) cache = zg_cache_open_for_account_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (cache == NULL && !g_error_matches (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NEED_PASSPHRASE))
    {
      g_autofree char *message = g_strdup_printf (_("The old data was reset, but new offline "
                                                    "data could not be created: %s"),
                                                  error->message);
      /* The reset itself is done: the caller must not keep using the old cache. */
      show_done (self);
      show_error (self, message);
      g_signal_emit (self, signals[RESET_DONE], 0, NULL, self->saved_path);
      return;
    }
  show_done (self);
  g_signal_emit (self, signals[RESET_DONE], 0, cache, self->saved_path);
}

static void
reset_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ZgCacheResetDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;

  if (!zg_cache_reset_for_account_finish (result, &saved, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      {
        g_autofree char *message = g_strdup_printf (_("Nothing was reset: %s"), error->message);

        show_error (self, message);
      }
      return;
    }
  self->saved_path = g_steal_pointer (&saved);
  zg_cache_open_for_account_async (self->cache_dir, self->server_url, self->user, NULL,
                                   self->cancellable, open_done_cb, g_object_ref (self));
}

static void
reset_clicked (ZgCacheResetDialog *self)
{
  if (self->busy || self->done)
    return;
  show_error (self, NULL);
  set_busy (self, TRUE);
  zg_cache_reset_for_account_async (self->cache_dir, self->server_url, self->user, self->cache,
                                    self->cancellable, reset_done_cb, g_object_ref (self));
}

static void
cancel_clicked (ZgCacheResetDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
zg_cache_reset_dialog_close_request (GtkWindow *window)
{
  ZgCacheResetDialog *self = ZG_CACHE_RESET_DIALOG (window);

  /* A reset half done must finish: closing would leave the caller without any cache. */
  if (self->busy)
    return TRUE;
  if (!self->done)
    {
      self->done = TRUE;
      g_signal_emit (self, signals[CANCELLED], 0);
    }
  return GTK_WINDOW_CLASS (zg_cache_reset_dialog_parent_class)->close_request (window);
}

static void
zg_cache_reset_dialog_dispose (GObject *object)
{
  ZgCacheResetDialog *self = ZG_CACHE_RESET_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cache);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZG_TYPE_CACHE_RESET_DIALOG);
  G_OBJECT_CLASS (zg_cache_reset_dialog_parent_class)->dispose (object);
}

static void
zg_cache_reset_dialog_finalize (GObject *object)
{
  ZgCacheResetDialog *self = ZG_CACHE_RESET_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_free (self->cache_dir);
  g_free (self->server_url);
  g_free (self->user);
  g_free (self->saved_path);
  G_OBJECT_CLASS (zg_cache_reset_dialog_parent_class)->finalize (object);
}

static void
zg_cache_reset_dialog_class_init (ZgCacheResetDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = zg_cache_reset_dialog_dispose;
  object_class->finalize = zg_cache_reset_dialog_finalize;
  window_class->close_request = zg_cache_reset_dialog_close_request;

  signals[RESET_DONE] = g_signal_new ("reset-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 2, ZG_TYPE_CACHE,
                                      G_TYPE_STRING);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/de/zeugnis/Zeugnis/zg-cache-reset-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ZgCacheResetDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, ZgCacheResetDialog, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, ZgCacheResetDialog, detail_label);
  gtk_widget_class_bind_template_child (widget_class, ZgCacheResetDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ZgCacheResetDialog, saved_label);
  gtk_widget_class_bind_template_child (widget_class, ZgCacheResetDialog, saved_path_label);
  gtk_widget_class_bind_template_child (widget_class, ZgCacheResetDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, ZgCacheResetDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ZgCacheResetDialog, reset_button);
  gtk_widget_class_bind_template_child (widget_class, ZgCacheResetDialog, close_button);
  gtk_widget_class_bind_template_callback (widget_class, reset_clicked);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
zg_cache_reset_dialog_init (ZgCacheResetDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

ZgCacheResetDialog *
zg_cache_reset_dialog_new (GtkWindow    *parent,
                           const char   *cache_dir,
                           const char   *server_url,
                           const char   *user,
                           ZgCache      *cache,
                           const GError *open_error)
{
  ZgCacheResetDialog *self;
  const char *explanation;

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (cache == NULL || ZG_IS_CACHE (cache), NULL);

  self = g_object_new (ZG_TYPE_CACHE_RESET_DIALOG, "transient-for", parent, NULL);
  self->cache_dir = g_strdup (cache_dir);
  self->server_url = g_strdup (server_url);
  self->user = g_strdup (user);
  self->cache = cache != NULL ? g_object_ref (cache) : NULL;

  if (cache != NULL)
    explanation = _("The offline copy of your data on this computer will be deleted and "
                    "downloaded from the server again. Changes that have not been sent yet "
                    "are saved to a file first.");
  else if (g_error_matches (open_error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_WRONG_KEY))
    explanation = _("The offline copy of your data on this computer cannot be unlocked: the "
                    "key stored on this computer does not fit it, for example after the "
                    "keyring was reset. Your data on the server is not affected.\n\n"
                    "Zeugnis can set the old copy aside and download your data again. "
                    "Changes that were not sent yet stay in the old copy; they cannot be "
                    "read without its key.");
  else
    explanation = _("The offline copy of your data on this computer is damaged and cannot be "
                    "read. Your data on the server is not affected.\n\n"
                    "Zeugnis can set the damaged copy aside and download your data again. "
                    "Changes that were not sent yet stay in the damaged copy; they cannot be "
                    "read from it.");
  gtk_label_set_text (self->title_label, cache != NULL ? _("Reset Offline Data?")
                                                       : _("Offline Data Cannot Be Opened"));
  gtk_label_set_text (self->explanation_label, explanation);
  if (open_error != NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("Details: %s"), open_error->message);

      gtk_label_set_text (self->detail_label, detail);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), open_error != NULL);
  /* Enter must not throw data away: the safe choice has the focus. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->cancel_button));
  return self;
}
