/* zg-editor-actions.c — the editor's header
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "zg-editor-private.h"

GtkWidget *
_zg_editor_header_new (ZgEditor *self)
{
  self->title_label = gtk_label_new ("");
  return self->title_label;
}

void
_zg_editor_header_reload (ZgEditor *self)
{
}

void
_zg_editor_actions_init_class (GtkWidgetClass *widget_class)
{
}
