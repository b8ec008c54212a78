/* zg-login-dialog.c — server address, e-mail and password; certificate confirmation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "zg-login-dialog.h"
#include "zg-login-dialog-private.h"

G_DEFINE_FINAL_TYPE (ZgLoginDialog, zg_login_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

ZgLoginDialog *
zg_login_dialog_new (GtkWindow  *parent,
                     const char *server_address,
                     const char *email)
{
  ZgLoginDialog *self = g_object_new (ZG_TYPE_LOGIN_DIALOG,
                                      "transient-for", parent,
                                      NULL);

  if (server_address != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_address);
  if (email != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);
  return self;
}

static void
set_busy (ZgLoginDialog *self,
          gboolean       busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->email_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "login.sign-in", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "login.trust-certificate", !busy);
}

void
zg_login_dialog_show_error (ZgLoginDialog *self,
                            const char    *message)
{
  g_return_if_fail (ZG_IS_LOGIN_DIALOG (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL && *message != '\0');
  gtk_stack_set_visible_child_name (self->stack, "form");
}

/* Shows the fingerprint in four lines of eight bytes, easier to compare aloud. */
static char *
format_fingerprint (const char *fingerprint)
{
  GString *out = g_string_new (NULL);
  gsize len = fingerprint != NULL ? strlen (fingerprint) : 0;

  for (gsize i = 0; i < len; i++)
    {
      /* Every 8th colon (after 8 bytes = 24 characters) becomes a line break. */
      if (fingerprint[i] == ':' && (i + 1) % 24 == 0)
        g_string_append_c (out, '\n');
      else
        g_string_append_c (out, fingerprint[i]);
    }
  return g_string_free (out, FALSE);
}

static void
show_certificate_page (ZgLoginDialog *self,
                       gboolean       changed,
                       const char    *message)
{
  const char *presented_raw = zg_session_get_presented_fingerprint (self->session);
  g_autofree char *presented = format_fingerprint (presented_raw);
  g_autofree char *pinned = format_fingerprint (zg_session_get_pinned_fingerprint (self->session));

  g_clear_pointer (&self->fingerprint_to_confirm, g_free);
  if (!changed)
    self->fingerprint_to_confirm = g_strdup (presented_raw);

  gtk_image_set_from_icon_name (self->certificate_icon,
                                changed ? "dialog-error-symbolic" : "dialog-warning-symbolic");
  if (changed)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->certificate_icon), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->certificate_icon), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->certificate_icon), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->certificate_icon), "warning");
    }
  gtk_label_set_text (self->certificate_title,
                      changed ? _("The Server’s Certificate Has Changed")
                              : _("Confirm the Server’s Certificate"));
  gtk_label_set_text (self->certificate_message, message);
  gtk_label_set_text (self->fingerprint_caption,
                      changed ? _("Fingerprint the server presents now (SHA-256)")
                              : _("Fingerprint of the server’s certificate (SHA-256)"));
  gtk_label_set_text (self->fingerprint_label, presented);
  gtk_label_set_text (self->pinned_label, pinned);
  gtk_widget_set_visible (GTK_WIDGET (self->pinned_caption), changed);
  gtk_widget_set_visible (GTK_WIDGET (self->pinned_label), changed);
  gtk_widget_set_visible (GTK_WIDGET (self->trust_button), !changed);
  gtk_widget_set_visible (GTK_WIDGET (self->forget_button), changed);
  gtk_button_set_label (self->certificate_back_button, changed ? _("_Back") : _("_Cancel"));
  gtk_stack_set_visible_child_name (self->stack, "certificate");
  gtk_widget_grab_focus (changed ? GTK_WIDGET (self->forget_button)
                                 : GTK_WIDGET (self->trust_button));
}

static void
login_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ZgLoginDialog) self = user_data;
  ZgSession *session = ZG_SESSION (source);
  g_autoptr(GError) error = NULL;

  if (!zg_session_login_finish (session, result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (session != self->session)
    return;
  set_busy (self, FALSE);

  if (error == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      g_signal_emit (self, signals[SIGNED_IN], 0, session);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (g_error_matches (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_CERTIFICATE_UNTRUSTED))
    {
      show_certificate_page (self, FALSE, error->message);
      return;
    }
  if (g_error_matches (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_CERTIFICATE_CHANGED))
    {
      show_certificate_page (self, TRUE, error->message);
      return;
    }

  zg_login_dialog_show_error (self, error->message);
  if (g_error_matches (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_INVALID_CREDENTIALS))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
    }
  else if (g_error_matches (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_INVALID_ADDRESS)
           || g_error_matches (error, ZG_SESSION_ERROR, ZG_SESSION_ERROR_NETWORK))
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
}

static void
start_login (ZgLoginDialog *self)
{
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  g_assert (self->session != NULL);

  set_busy (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "form");
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  zg_session_login_async (self->session, email, password, self->cancellable, login_done_cb,
                          g_object_ref (self));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  ZgLoginDialog *self = ZG_LOGIN_DIALOG (widget);
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autofree char *trimmed_email = NULL;
  g_autoptr(GError) error = NULL;

  if (self->busy)
    return;
  g_clear_object (&self->session);
  self->session = zg_session_new (server, NULL, &error);
  if (self->session == NULL)
    {
      zg_login_dialog_show_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return;
    }
  trimmed_email = g_strstrip (g_strdup (email));
  if (*trimmed_email == '\0')
    {
      zg_login_dialog_show_error (self, _("Enter your e-mail address."));
      gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
      return;
    }
  if (*password == '\0')
    {
      zg_login_dialog_show_error (self, _("Enter your password."));
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  zg_login_dialog_show_error (self, NULL);
  start_login (self);
}

static void
trust_certificate_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  ZgLoginDialog *self = ZG_LOGIN_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  if (self->session == NULL || self->fingerprint_to_confirm == NULL)
    return;
  if (!zg_session_trust_certificate (self->session, self->fingerprint_to_confirm, &error))
    {
      zg_login_dialog_show_error (self, error->message);
      return;
    }
  g_clear_pointer (&self->fingerprint_to_confirm, g_free);
  start_login (self);
}

static void
forget_certificate_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  ZgLoginDialog *self = ZG_LOGIN_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  if (self->session == NULL)
    return;
  if (!zg_session_forget_certificate (self->session, &error))
    {
      zg_login_dialog_show_error (self, error->message);
      return;
    }
  zg_login_dialog_show_error (self, _("The certificate you confirmed earlier was forgotten. "
                                      "Sign in again to check the new certificate’s "
                                      "fingerprint."));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  ZgLoginDialog *self = ZG_LOGIN_DIALOG (widget);

  g_clear_pointer (&self->fingerprint_to_confirm, g_free);
  gtk_stack_set_visible_child_name (self->stack, "form");
  gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
}

static void
zg_login_dialog_dispose (GObject *object)
{
  ZgLoginDialog *self = (ZgLoginDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->fingerprint_to_confirm, g_free);

  G_OBJECT_CLASS (zg_login_dialog_parent_class)->dispose (object);
}

static void
zg_login_dialog_class_init (ZgLoginDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zg_login_dialog_dispose;

  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, ZG_TYPE_SESSION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/de/zeugnis/Zeugnis/zg-login-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, certificate_icon);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, certificate_title);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, certificate_message);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, fingerprint_caption);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, pinned_caption);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, pinned_label);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, certificate_back_button);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, trust_button);
  gtk_widget_class_bind_template_child (widget_class, ZgLoginDialog, forget_button);

  gtk_widget_class_install_action (widget_class, "login.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "login.trust-certificate", NULL,
                                   trust_certificate_action);
  gtk_widget_class_install_action (widget_class, "login.forget-certificate", NULL,
                                   forget_certificate_action);
  gtk_widget_class_install_action (widget_class, "login.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
zg_login_dialog_init (ZgLoginDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->sign_in_button));
}
