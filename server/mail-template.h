/* mail-template.h — e-mail templates (E-Mail-Vorlagen) from data/mail, with an override layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ZG_MAIL_TEMPLATE_ERROR (zg_mail_template_error_quark ())

typedef enum
{
  ZG_MAIL_TEMPLATE_ERROR_NOT_FOUND,
  ZG_MAIL_TEMPLATE_ERROR_INVALID,
  ZG_MAIL_TEMPLATE_ERROR_UNKNOWN_PLACEHOLDER,
} ZgMailTemplateError;

typedef struct _ZgMailTemplates ZgMailTemplates;

/* Returns the raw text of template @name in @lang (same format as the files), or NULL to fall
 * back to the shipped file. This is where the editable E-Mail-Vorlagen (database) layer over
 * the defaults. */
typedef char *(*ZgMailTemplateLookupFunc) (const char *name,
                                           const char *lang,
                                           gpointer    user_data);

GQuark           zg_mail_template_error_quark  (void);

char            *zg_mail_template_default_dir  (void);

ZgMailTemplates *zg_mail_templates_new         (const char               *dir);
void             zg_mail_templates_free        (ZgMailTemplates          *self);
void             zg_mail_templates_set_override (ZgMailTemplates         *self,
                                                 ZgMailTemplateLookupFunc func,
                                                 gpointer                 user_data,
                                                 GDestroyNotify           destroy);
char            *zg_mail_templates_get_source  (ZgMailTemplates          *self,
                                                const char               *name,
                                                const char               *lang,
                                                GError                  **error);
gboolean         zg_mail_templates_render      (ZgMailTemplates          *self,
                                                const char               *name,
                                                const char               *lang,
                                                const char * const       *values,
                                                char                    **subject,
                                                char                    **body,
                                                GError                  **error);

gboolean         zg_mail_template_parse        (const char               *source,
                                                char                    **subject,
                                                char                    **body,
                                                GError                  **error);
char            *zg_mail_template_expand       (const char               *text,
                                                const char * const       *values,
                                                gboolean                  single_line,
                                                GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgMailTemplates, zg_mail_templates_free)

G_END_DECLS
