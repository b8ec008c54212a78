/* zg-editor-ergebnis.c — step 4 "Ergebnis"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "zg-editor-private.h"

GtkWidget *
_zg_editor_ergebnis_new (ZgEditor *self)
{
  return adw_status_page_new ();
}

void
_zg_editor_ergebnis_update (ZgEditor *self)
{
}

gboolean
zg_editor_export_pdf (ZgEditor    *self,
                      const char  *path,
                      GError     **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not yet");
  return FALSE;
}
