/* zg-application.c — the Zeugnis desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "zg-application.h"
#include "zg-window.h"

struct _ZgApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (ZgApplication, zg_application, ADW_TYPE_APPLICATION)

ZgApplication *
zg_application_new (GApplicationFlags flags)
{
  return g_object_new (ZG_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "resource-base-path", "/de/zeugnis/Zeugnis",
                       "flags", flags | G_APPLICATION_HANDLES_OPEN,
                       NULL);
}

static ZgWindow *
ensure_window (ZgApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL || !ZG_IS_WINDOW (window))
    {
      window = GTK_WINDOW (zg_window_new (GTK_APPLICATION (self)));
      gtk_window_present (window);
      zg_window_start (ZG_WINDOW (window));
    }
  else
    gtk_window_present (window);
  return ZG_WINDOW (window);
}

static void
zg_application_activate (GApplication *application)
{
  ensure_window (ZG_APPLICATION (application));
}

static void
zg_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  ZgWindow *window = ensure_window (ZG_APPLICATION (application));

  /* The zeugnis: scheme is registered for handover links; their viewer comes later. */
  zg_window_add_toast (window, _("Handover links cannot be opened with this version of "
                                 "Zeugnis yet."));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "Zeugnis developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Zeugnis"),
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* TRANSLATORS: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (app);

  /* Closing (not destroying) lets each window save its size. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static const GActionEntry app_actions[] = {
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
};

static void
zg_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (zg_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "window.close",
                                         close_accels);
  gtk_window_set_default_icon_name (APPLICATION_ID);
  /* ADW_COLOR_SCHEME_DEFAULT: light or dark as the desktop prefers. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
zg_application_class_init (ZgApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = zg_application_activate;
  app_class->open = zg_application_open;
  app_class->startup = zg_application_startup;
}

static void
zg_application_init (ZgApplication *self)
{
}
