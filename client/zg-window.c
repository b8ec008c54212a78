/* zg-window.c — the main window: sign-in state, online/offline status, the certificate list
 *
 * Start: the last server and e-mail come from GSettings, the session token from the keyring.
 * A valid token opens the main window online; an unreachable server with a stored session
 * opens it offline on the encrypted cache; an expired session or none asks to sign in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "zg-cache-account.h"
#include "zg-cache-reset-dialog.h"
#include "zg-certificate-item.h"
#include "zg-editor.h"
#include "zg-login-dialog.h"
#include "zg-new-certificate-dialog.h"
#include "zg-passphrase-dialog.h"
#include "zg-problems-dialog.h"
#include "zg-session-store.h"
#include "zg-window.h"
#include "zg-window-private.h"

G_DEFINE_FINAL_TYPE (ZgWindow, zg_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_ONLINE,
  PROP_CACHE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void show_login (ZgWindow   *self,
                        const char *message);
static void update_sync_status (ZgWindow *self);

ZgWindow *
zg_window_new (GtkApplication *application)
{
  return g_object_new (ZG_TYPE_WINDOW, "application", application, NULL);
}

void
zg_window_add_toast (ZgWindow   *self,
                     const char *message)
{
  AdwToast *toast;

  g_return_if_fail (ZG_IS_WINDOW (self));

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
update_status (ZgWindow *self)
{
  gboolean have_session = self->session != NULL && zg_session_get_token (self->session) != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->status_box), have_session);
  if (have_session)
    {
      g_autofree char *name = zg_session_dup_display_name (self->session);
      g_autofree char *subtitle = NULL;

      /* TRANSLATORS: window subtitle: "<user name> · <server>" */
      subtitle = g_strdup_printf (_("%s · %s"), name, zg_session_get_pin_key (self->session));
      adw_window_title_set_subtitle (self->window_title, subtitle);
      gtk_label_set_text (self->status_label, self->online ? _("Online") : _("Offline"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label),
                                   self->online
                                   ? _("Connected to the server")
                                   : _("The server cannot be reached. You are working with the "
                                       "offline data on this computer."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label),
                                   self->online ? "offline" : "online");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label),
                                self->online ? "online" : "offline");
      if (self->editor == NULL)
        gtk_stack_set_visible_child_name (self->stack, "certificates");
    }
  else
    {
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_stack_set_visible_child_name (self->stack, "signed-out");
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", have_session);
  update_sync_status (self);
}

static void
set_online (ZgWindow *self,
            gboolean  online)
{
  if (self->online != online)
    {
      self->online = online;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
    }
  update_status (self);
}

static gint64
signed_in_user_id (ZgWindow *self)
{
  JsonObject *user = self->session != NULL ? zg_session_get_user (self->session) : NULL;

  if (user == NULL || !json_object_has_member (user, "id"))
    return 0;
  return json_object_get_int_member (user, "id");
}

static void
close_editor (ZgWindow *self)
{
  if (self->editor == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->editor, self);
  adw_bin_set_child (self->editor_bin, NULL);
  self->editor = NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->new_button), TRUE);
}

static void
show_list (ZgWindow *self)
{
  close_editor (self);
  update_status (self);
  zg_certificate_list_reload (self->certificate_list);
}

static void
editor_close_requested_cb (GtkWidget *editor,
                           ZgWindow  *self)
{
  show_list (self);
}

static void
editor_deleted_cb (GtkWidget *editor,
                   ZgWindow  *self)
{
  show_list (self);
  zg_window_add_toast (self, _("The reference was deleted."));
}

static void
open_editor (ZgWindow   *self,
             const char *certificate_id)
{
  GtkWidget *editor;

  if (self->cache == NULL)
    return;
  close_editor (self);
  editor = zg_editor_new (self->cache, self->sync,
                          self->session != NULL ? zg_session_get_user (self->session) : NULL,
                          certificate_id);
  g_signal_connect (editor, "close-requested", G_CALLBACK (editor_close_requested_cb), self);
  g_signal_connect (editor, "deleted", G_CALLBACK (editor_deleted_cb), self);
  self->editor = editor;
  adw_bin_set_child (self->editor_bin, editor);
  gtk_widget_set_visible (GTK_WIDGET (self->new_button), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "editor");
}

static void
certificate_activated_cb (ZgCertificateList *list,
                          const char        *certificate_id,
                          ZgWindow          *self)
{
  open_editor (self, certificate_id);
}

static void
records_changed_cb (ZgSyncEngine *sync,
                    const char   *entity,
                    ZgWindow     *self)
{
  if (g_strcmp0 (entity, "certificate") != 0)
    return;
  zg_certificate_list_reload (self->certificate_list);
  if (self->editor != NULL)
    zg_editor_reload (ZG_EDITOR (self->editor));
}

static void
problems_changed_cb (ZgSyncEngine *sync,
                     ZgWindow     *self)
{
  zg_certificate_list_reload (self->certificate_list);
}

static void
sync_notify_cb (ZgSyncEngine *sync,
                GParamSpec   *pspec,
                ZgWindow     *self)
{
  ZgSyncState state = zg_sync_engine_get_state (sync);

  if (g_strcmp0 (pspec->name, "state") == 0 && self->session != NULL)
    {
      if (state == ZG_SYNC_STATE_OFFLINE)
        set_online (self, FALSE);
      else if (state == ZG_SYNC_STATE_IDLE || state == ZG_SYNC_STATE_SYNCING)
        set_online (self, TRUE);
      else
        update_status (self);
      if (state == ZG_SYNC_STATE_EXPIRED)
        {
          AdwToast *toast = adw_toast_new (_("Your session has ended. Sign in again to "
                                             "synchronise."));

          adw_toast_set_button_label (toast, _("_Sign In…"));
          adw_toast_set_action_name (toast, "win.sign-in");
          adw_toast_set_timeout (toast, 0);
          adw_toast_overlay_add_toast (self->toast_overlay, toast);
        }
      return;
    }
  /* Pending and problem marks of the rows follow the outbox. */
  if (g_strcmp0 (pspec->name, "pending") == 0)
    zg_certificate_list_reload (self->certificate_list);
  update_sync_status (self);
}

static void
stop_sync (ZgWindow *self)
{
  if (self->sync == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->sync, self);
  zg_sync_engine_stop (self->sync);
  g_clear_object (&self->sync);
}

static void
start_sync (ZgWindow *self)
{
  stop_sync (self);
  if (self->cache == NULL || self->session == NULL)
    return;
  self->sync = zg_sync_engine_new (self->cache, self->session);
  g_signal_connect (self->sync, "notify", G_CALLBACK (sync_notify_cb), self);
  g_signal_connect (self->sync, "records-changed", G_CALLBACK (records_changed_cb), self);
  g_signal_connect (self->sync, "problems-changed", G_CALLBACK (problems_changed_cb), self);
  zg_sync_engine_start (self->sync);
}

static void
set_cache (ZgWindow *self,
           ZgCache  *cache)
{
  if (self->cache == cache)
    return;
  stop_sync (self);
  close_editor (self);
  g_set_object (&self->cache, cache);
  zg_certificate_list_set_user_id (self->certificate_list, signed_in_user_id (self));
  zg_certificate_list_set_cache (self->certificate_list, cache);
  start_sync (self);
  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE]);
}

static void
update_sync_status (ZgWindow *self)
{
  gboolean have_session = self->session != NULL && zg_session_get_token (self->session) != NULL;
  ZgSyncState state = self->sync != NULL ? zg_sync_engine_get_state (self->sync)
                                         : ZG_SYNC_STATE_OFFLINE;
  gint64 last_sync = self->sync != NULL ? zg_sync_engine_get_last_sync (self->sync) : 0;
  gint64 pending = self->sync != NULL ? zg_sync_engine_get_pending (self->sync) : 0;
  gint64 problems = self->sync != NULL ? zg_sync_engine_get_problems (self->sync) : 0;
  const char *error_message = self->sync != NULL ? zg_sync_engine_get_error_message (self->sync)
                                                 : NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->sync_bar), have_session && self->cache != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-certificate", self->cache != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync-now",
                                 self->sync != NULL && state != ZG_SYNC_STATE_SYNCING
                                 && state != ZG_SYNC_STATE_EXPIRED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-problems", self->sync != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", self->cache != NULL);
  if (self->sync == NULL)
    return;

  gtk_spinner_set_spinning (self->sync_spinner, state == ZG_SYNC_STATE_SYNCING);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_spinner), state == ZG_SYNC_STATE_SYNCING);
  if (state == ZG_SYNC_STATE_SYNCING)
    text = g_strdup (_("Synchronising…"));
  else if (state == ZG_SYNC_STATE_EXPIRED)
    text = g_strdup (_("Session ended: sign in again to synchronise"));
  else if (last_sync <= 0)
    text = g_strdup (state == ZG_SYNC_STATE_OFFLINE ? _("Offline: not synchronised yet")
                                                   : _("Not synchronised yet"));
  else
    {
      g_autofree char *when = zg_format_relative_time (last_sync / G_USEC_PER_SEC,
                                                       g_get_real_time () / G_USEC_PER_SEC);

      /* TRANSLATORS: %s is a relative time such as "2 minutes ago" */
      text = g_strdup_printf (state == ZG_SYNC_STATE_OFFLINE ? _("Offline · last synchronised %s")
                                                            : _("Synchronised %s"), when);
    }
  gtk_label_set_text (self->sync_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label), error_message);

  if (state == ZG_SYNC_STATE_EXPIRED || state == ZG_SYNC_STATE_ERROR)
    {
      gtk_label_set_text (self->status_label, state == ZG_SYNC_STATE_EXPIRED ? _("Signed Out")
                                                                             : _("Sync Error"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), error_message);
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "online");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "offline");
    }

  gtk_widget_set_visible (GTK_WIDGET (self->pending_label), pending > 0);
  if (pending > 0)
    {
      int n = (int) MIN (pending, G_MAXINT);
      g_autofree char *pending_text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d change not sent yet",
                                      "%d changes not sent yet", (gulong) n), n);

      gtk_label_set_text (self->pending_label, pending_text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_button), problems > 0);
  if (problems > 0)
    {
      int n = (int) MIN (problems, G_MAXINT);
      g_autofree char *problems_text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d Problem", "%d Problems", (gulong) n),
                         n);

      gtk_button_set_label (self->problems_button, problems_text);
    }
}

static gboolean
clock_cb (gpointer user_data)
{
  update_sync_status (user_data);
  return G_SOURCE_CONTINUE;
}

static void
cache_opened_cb (ZgPassphraseDialog *dialog,
                 ZgCache            *cache,
                 ZgWindow           *self)
{
  set_cache (self, cache);
}

static void
passphrase_cancelled_cb (ZgPassphraseDialog *dialog,
                         ZgWindow           *self)
{
  zg_window_add_toast (self, _("Your offline data stays locked until you enter the "
                               "passphrase."));
}

static void open_cache (ZgWindow *self);

static void
cache_reset_done_cb (ZgCacheResetDialog *dialog,
                     ZgCache            *new_cache,
                     const char         *saved_path,
                     ZgWindow           *self)
{
  if (self->session == NULL)
    return;
  if (saved_path != NULL)
    {
      /* TRANSLATORS: %s is a file path */
      g_autofree char *message = g_strdup_printf (_("The old offline data were saved to %s"),
                                                  saved_path);

      zg_window_add_toast (self, message);
    }
  if (new_cache != NULL)
    set_cache (self, new_cache);
  else
    open_cache (self);
}

static void
open_cache_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ZgWindow) self = user_data;
  g_autoptr(ZgCache) cache = NULL;
  g_autoptr(GError) error = NULL;

  cache = zg_cache_open_for_account_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->session == NULL)
    return;
  if (cache != NULL)
    {
      set_cache (self, cache);
      return;
    }
  if (g_error_matches (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_NEED_PASSPHRASE))
    {
      ZgPassphraseDialog *dialog;

      dialog = zg_passphrase_dialog_new (GTK_WINDOW (self), NULL,
                                         zg_session_get_server_url (self->session),
                                         zg_session_get_email (self->session));
      g_signal_connect_object (dialog, "cache-opened", G_CALLBACK (cache_opened_cb), self,
                               G_CONNECT_DEFAULT);
      g_signal_connect_object (dialog, "cancelled", G_CALLBACK (passphrase_cancelled_cb), self,
                               G_CONNECT_DEFAULT);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  if (g_error_matches (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_CORRUPT)
      || g_error_matches (error, ZG_CACHE_ERROR, ZG_CACHE_ERROR_WRONG_KEY))
    {
      ZgCacheResetDialog *dialog;

      /* Offer a clean resync; nothing is touched unless the user agrees. */
      dialog = zg_cache_reset_dialog_new (GTK_WINDOW (self), NULL,
                                          zg_session_get_server_url (self->session),
                                          zg_session_get_email (self->session), NULL, error);
      g_signal_connect_object (dialog, "reset-done", G_CALLBACK (cache_reset_done_cb), self,
                               G_CONNECT_DEFAULT);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  /* TRANSLATORS: %s is the technical reason */
  {
    g_autofree char *message = g_strdup_printf (_("The offline data could not be opened: %s"),
                                                error->message);

    zg_window_add_toast (self, message);
  }
}

static void
open_cache (ZgWindow *self)
{
  g_assert (self->session != NULL);

  zg_cache_open_for_account_async (NULL, zg_session_get_server_url (self->session),
                                   zg_session_get_email (self->session), NULL, self->cancellable,
                                   open_cache_done_cb, g_object_ref (self));
}

static void
token_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ZgWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!zg_session_store_save_finish (result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Session not stored: %s", error->message);
      zg_window_add_toast (self, _("No keyring available: you will sign in again at the next "
                                   "start."));
    }
}

static void
signed_in_cb (ZgLoginDialog *dialog,
              ZgSession     *session,
              ZgWindow      *self)
{
  g_set_object (&self->session, session);
  g_settings_set_string (self->settings, "last-server", zg_session_get_server_url (session));
  g_settings_set_string (self->settings, "last-email", zg_session_get_email (session));
  zg_session_store_save_async (zg_session_get_server_url (session), zg_session_get_email (session),
                               zg_session_get_token (session), self->cancellable,
                               token_saved_cb, g_object_ref (self));
  set_online (self, TRUE);
  if (self->cache != NULL)
    {
      g_autofree char *path = zg_cache_path_for (NULL, zg_session_get_server_url (session),
                                                 zg_session_get_email (session), NULL);

      /* Signed in again after the session ended: same offline data, new session. */
      if (g_strcmp0 (path, zg_cache_get_path (self->cache)) == 0)
        {
          zg_certificate_list_set_user_id (self->certificate_list, signed_in_user_id (self));
          start_sync (self);
          update_status (self);
          return;
        }
      stop_sync (self);
      zg_cache_close (self->cache);
      set_cache (self, NULL);
    }
  open_cache (self);
}

static void
show_login (ZgWindow   *self,
            const char *message)
{
  g_autofree char *server = g_settings_get_string (self->settings, "last-server");
  g_autofree char *email = g_settings_get_string (self->settings, "last-email");
  ZgLoginDialog *dialog;

  gtk_stack_set_visible_child_name (self->stack, "signed-out");
  dialog = zg_login_dialog_new (GTK_WINDOW (self), server, email);
  if (message != NULL)
    zg_login_dialog_show_error (dialog, message);
  g_signal_connect_object (dialog, "signed-in", G_CALLBACK (signed_in_cb), self,
                           G_CONNECT_DEFAULT);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
resume_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ZgWindow) self = user_data;
  ZgSession *session = ZG_SESSION (source);
  g_autoptr(GError) error = NULL;

  if (zg_session_resume_finish (session, result, &error))
    {
      set_online (self, TRUE);
      open_cache (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_NETWORK))
    {
      g_autofree char *path = zg_cache_path_for (NULL, zg_session_get_server_url (session),
                                                 zg_session_get_email (session), NULL);

      if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
        {
          /* Offline start: the stored session and the encrypted cache are enough. */
          set_online (self, FALSE);
          open_cache (self);
          return;
        }
    }
  if (g_error_matches (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_EXPIRED))
    zg_session_store_clear_async (zg_session_get_server_url (session),
                                  zg_session_get_email (session), NULL, NULL, NULL);
  g_clear_object (&self->session);
  update_status (self);
  show_login (self, error->message);
}

static void
token_found_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ZgWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;
  g_autoptr(ZgSession) session = NULL;

  token = zg_session_store_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (token == NULL)
    {
      if (error != NULL)
        g_debug ("No session from the keyring: %s", error->message);
      show_login (self, NULL);
      return;
    }

  server = g_settings_get_string (self->settings, "last-server");
  email = g_settings_get_string (self->settings, "last-email");
  session = zg_session_new (server, NULL, NULL);
  if (session == NULL)
    {
      show_login (self, NULL);
      return;
    }
  g_set_object (&self->session, session);
  zg_session_resume_async (session, email, token, self->cancellable, resume_done_cb,
                           g_object_ref (self));
}

void
zg_window_start (ZgWindow *self)
{
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;

  g_return_if_fail (ZG_IS_WINDOW (self));

  server = g_settings_get_string (self->settings, "last-server");
  email = g_settings_get_string (self->settings, "last-email");
  if (*server == '\0' || *email == '\0')
    {
      show_login (self, NULL);
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "starting");
  zg_session_store_lookup_async (server, email, self->cancellable, token_found_cb,
                                 g_object_ref (self));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  show_login (ZG_WINDOW (widget), NULL);
}

static void
logout_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ZgWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Signed out locally either way; an unreachable server lets the session expire by itself. */
  if (!zg_session_logout_finish (ZG_SESSION (source), result, &error))
    g_debug ("Logout on the server failed: %s", error->message);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  ZgWindow *self = ZG_WINDOW (widget);
  g_autoptr(ZgSession) session = NULL;

  if (self->session == NULL)
    return;
  session = g_steal_pointer (&self->session);
  zg_session_store_clear_async (zg_session_get_server_url (session),
                                zg_session_get_email (session), NULL, NULL, NULL);
  zg_session_logout_async (session, NULL, logout_done_cb, g_object_ref (self));
  stop_sync (self);
  if (self->cache != NULL)
    zg_cache_close (self->cache);
  set_cache (self, NULL);
  set_online (self, FALSE);
  show_login (self, NULL);
}

static void
new_certificate_created_cb (ZgNewCertificateDialog *dialog,
                            const char             *certificate_id,
                            ZgWindow               *self)
{
  zg_certificate_list_reload (self->certificate_list);
  open_editor (self, certificate_id);
}

static void
new_certificate_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  ZgWindow *self = ZG_WINDOW (widget);
  ZgNewCertificateDialog *dialog;

  if (self->cache == NULL)
    return;
  dialog = zg_new_certificate_dialog_new (GTK_WINDOW (self), self->cache, self->sync,
                                          self->session != NULL
                                          ? zg_session_get_user (self->session) : NULL);
  g_signal_connect_object (dialog, "created", G_CALLBACK (new_certificate_created_cb), self,
                           G_CONNECT_DEFAULT);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  ZgWindow *self = ZG_WINDOW (widget);

  if (self->editor != NULL)
    return;
  zg_certificate_list_focus_search (self->certificate_list);
}

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  ZgWindow *self = ZG_WINDOW (widget);

  if (self->sync != NULL)
    zg_sync_engine_sync_now (self->sync);
}

static void
show_problems_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  ZgWindow *self = ZG_WINDOW (widget);
  ZgProblemsDialog *dialog;

  if (self->cache == NULL || self->sync == NULL)
    return;
  dialog = zg_problems_dialog_new (GTK_WINDOW (self), self->cache, self->sync);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
zg_window_close_request (GtkWindow *window)
{
  ZgWindow *self = ZG_WINDOW (window);
  int width = 0;
  int height = 0;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  return GTK_WINDOW_CLASS (zg_window_parent_class)->close_request (window);
}

static void
zg_window_dispose (GObject *object)
{
  ZgWindow *self = (ZgWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->clock_source, g_source_remove);
  stop_sync (self);
  close_editor (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->cache);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (zg_window_parent_class)->dispose (object);
}

static void
zg_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ZgWindow *self = ZG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;

    case PROP_CACHE:
      g_value_set_object (value, self->cache);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zg_window_class_init (ZgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = zg_window_dispose;
  object_class->get_property = zg_window_get_property;
  window_class->close_request = zg_window_close_request;

  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CACHE] =
    g_param_spec_object ("cache", NULL, NULL, ZG_TYPE_CACHE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/de/zeugnis/Zeugnis/zg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ZgWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ZgWindow, new_button);
  gtk_widget_class_bind_template_child (widget_class, ZgWindow, certificate_list);
  gtk_widget_class_bind_template_child (widget_class, ZgWindow, editor_bin);
  gtk_widget_class_bind_template_child (widget_class, ZgWindow, sync_bar);
  gtk_widget_class_bind_template_child (widget_class, ZgWindow, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, ZgWindow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, ZgWindow, pending_label);
  gtk_widget_class_bind_template_child (widget_class, ZgWindow, problems_button);
  gtk_widget_class_bind_template_child (widget_class, ZgWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, ZgWindow, status_box);
  gtk_widget_class_bind_template_child (widget_class, ZgWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, ZgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ZgWindow, stack);

  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.new-certificate", NULL,
                                   new_certificate_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "win.show-problems", NULL,
                                   show_problems_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-certificate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.sync-now", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.sync-now", NULL);

  g_type_ensure (ZG_TYPE_CERTIFICATE_LIST);
}

static void
zg_window_init (ZgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               MAX (1024, g_settings_get_int (self->settings, "window-width")),
                               MAX (700, g_settings_get_int (self->settings, "window-height")));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_signal_connect (self->certificate_list, "certificate-activated",
                    G_CALLBACK (certificate_activated_cb), self);
  self->clock_source = g_timeout_add_seconds (30, clock_cb, self);
  update_status (self);
}

ZgSession *
zg_window_get_session (ZgWindow *self)
{
  g_return_val_if_fail (ZG_IS_WINDOW (self), NULL);
  return self->session;
}

ZgCache *
zg_window_get_cache (ZgWindow *self)
{
  g_return_val_if_fail (ZG_IS_WINDOW (self), NULL);
  return self->cache;
}

gboolean
zg_window_get_online (ZgWindow *self)
{
  g_return_val_if_fail (ZG_IS_WINDOW (self), FALSE);
  return self->online;
}
