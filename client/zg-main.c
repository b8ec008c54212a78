/* zg-main.c — entry point of the zeugnis desktop client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "zg-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ZgApplication) app = NULL;
  const char *localedir = g_getenv ("ZG_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* ZG_LOCALEDIR: translations of an uninstalled build (scripts/demo.sh points it at build/po). */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = zg_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
