/* zg-passphrase-dialog.c — unlocks (or creates) the offline cache with a passphrase
 *
 * The cache library derives the key with Argon2id on a worker thread; the dialog only collects
 * the passphrase and reports a wrong one. Emits "cache-opened" with the open cache, or
 * "cancelled".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "zg-cache-account.h"
#include "zg-passphrase-dialog.h"
#include "zg-passphrase-dialog-private.h"

#define MIN_PASSPHRASE_CHARS 8

G_DEFINE_FINAL_TYPE (ZgPassphraseDialog, zg_passphrase_dialog, ADW_TYPE_WINDOW)

enum {
  CACHE_OPENED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

ZgPassphraseDialog *
zg_passphrase_dialog_new (GtkWindow  *parent,
                          const char *cache_dir,
                          const char *server_url,
                          const char *user)
{
  ZgPassphraseDialog *self;
  g_autofree char *path = NULL;
  g_autofree char *header = NULL;

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);

  self = g_object_new (ZG_TYPE_PASSPHRASE_DIALOG, "transient-for", parent, NULL);
  self->cache_dir = g_strdup (cache_dir);
  self->server_url = g_strdup (server_url);
  self->user = g_strdup (user);

  path = zg_cache_path_for (cache_dir, server_url, user, NULL);
  header = path != NULL ? g_strconcat (path, ".header", NULL) : NULL;
  self->creating = header == NULL || !g_file_test (header, G_FILE_TEST_EXISTS);

  gtk_widget_set_visible (GTK_WIDGET (self->confirm_row), self->creating);
  gtk_button_set_label (self->unlock_button, self->creating ? _("C_reate") : _("_Unlock"));
  gtk_window_set_title (GTK_WINDOW (self), self->creating ? _("Protect Offline Data")
                                                          : _("Unlock Offline Data"));
  gtk_label_set_text (self->explanation_label,
                      self->creating
                      ? _("This computer has no keyring to keep the key of your offline data. "
                          "Choose a passphrase of at least eight characters; you will need it "
                          "each time you start Zeugnis. It cannot be recovered: if you forget "
                          "it, the offline data is downloaded again.")
                      : _("This computer has no keyring, so your offline data is protected "
                          "with a passphrase. Enter it to continue."));
  return self;
}

static void
show_error (ZgPassphraseDialog *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_busy (ZgPassphraseDialog *self,
          gboolean            busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->passphrase_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_row), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "passphrase.unlock", !busy);
}

static void
open_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ZgPassphraseDialog) self = user_data;
  g_autoptr(ZgCache) cache = NULL;
  g_autoptr(GError) error = NULL;

  cache = zg_cache_open_for_account_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->finished)
    return;
  set_busy (self, FALSE);
  if (cache == NULL)
    {
      if (g_error_matches (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_WRONG_KEY))
        show_error (self, _("This passphrase does not unlock your offline data."));
      else
        show_error (self, error->message);
      gtk_editable_set_text (GTK_EDITABLE (self->passphrase_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_row));
      return;
    }
  self->finished = TRUE;
  g_signal_emit (self, signals[CACHE_OPENED], 0, cache);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
unlock_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ZgPassphraseDialog *self = ZG_PASSPHRASE_DIALOG (widget);
  const char *passphrase = gtk_editable_get_text (GTK_EDITABLE (self->passphrase_row));

  if (self->creating)
    {
      const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->confirm_row));

      if (g_utf8_strlen (passphrase, -1) < MIN_PASSPHRASE_CHARS)
        {
          show_error (self, _("The passphrase needs at least eight characters."));
          return;
        }
      if (strcmp (passphrase, confirm) != 0)
        {
          show_error (self, _("The two passphrases differ."));
          gtk_widget_grab_focus (GTK_WIDGET (self->confirm_row));
          return;
        }
    }
  else if (*passphrase == '\0')
    {
      show_error (self, _("Enter your passphrase."));
      return;
    }
  show_error (self, NULL);
  set_busy (self, TRUE);
  zg_cache_open_for_account_async (self->cache_dir, self->server_url, self->user, passphrase,
                                   self->cancellable, open_done_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static gboolean
zg_passphrase_dialog_close_request (GtkWindow *window)
{
  ZgPassphraseDialog *self = ZG_PASSPHRASE_DIALOG (window);

  if (!self->finished)
    {
      self->finished = TRUE;
      g_cancellable_cancel (self->cancellable);
      g_signal_emit (self, signals[CANCELLED], 0);
    }
  return GTK_WINDOW_CLASS (zg_passphrase_dialog_parent_class)->close_request (window);
}

static void
zg_passphrase_dialog_dispose (GObject *object)
{
  ZgPassphraseDialog *self = (ZgPassphraseDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->cache_dir, g_free);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->user, g_free);

  G_OBJECT_CLASS (zg_passphrase_dialog_parent_class)->dispose (object);
}

static void
zg_passphrase_dialog_class_init (ZgPassphraseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = zg_passphrase_dialog_dispose;
  window_class->close_request = zg_passphrase_dialog_close_request;

  signals[CACHE_OPENED] =
    g_signal_new ("cache-opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, ZG_TYPE_CACHE);
  signals[CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/de/zeugnis/Zeugnis/zg-passphrase-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ZgPassphraseDialog, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, ZgPassphraseDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ZgPassphraseDialog, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, ZgPassphraseDialog, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, ZgPassphraseDialog, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, ZgPassphraseDialog, spinner);

  gtk_widget_class_install_action (widget_class, "passphrase.unlock", NULL, unlock_action);
  gtk_widget_class_install_action (widget_class, "passphrase.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
zg_passphrase_dialog_init (ZgPassphraseDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->unlock_button));
}
