/* mail-template.c — e-mail templates (E-Mail-Vorlagen) from data/mail, with an override layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Format (docs/mail.md): optional leading "#" comment lines, then "Subject: …", one empty
 * line, then the plain-text body. Placeholders are {name} ([a-z0-9_]); "{{" and "}}" are
 * literal braces. An unknown placeholder is an error, so a broken template is caught when it
 * is rendered (or validated by the editor) instead of mailing "{frist_name}" to a user.
 */
#include "config.h"

#include <string.h>

#include "mail-template.h"

#define DEFAULT_LANG "de"

struct _ZgMailTemplates
{
  char                     *dir;
  ZgMailTemplateLookupFunc  override_func;
  gpointer                  override_data;
  GDestroyNotify            override_destroy;
};

GQuark
zg_mail_template_error_quark (void)
{
  return g_quark_from_static_string ("zg-mail-template-error-quark");
}

/* ZG_DATADIR (tests, relocated installs) wins; then the installed data; then the source tree. */
static char *
zg_mail_template_dir_for (const char *datadir)
{
  return g_build_filename (datadir, "mail", NULL);
}

char *
zg_mail_template_default_dir (void)
{
  const char *env = g_getenv ("ZG_DATADIR");
  g_autofree char *installed = NULL;

  if (env != NULL && *env != '\0')
    return zg_mail_template_dir_for (env);
  installed = zg_mail_template_dir_for (PKGDATADIR);
  if (g_file_test (installed, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&installed);
  return zg_mail_template_dir_for (ZG_SOURCE_DATADIR);
}

ZgMailTemplates *
zg_mail_templates_new (const char *dir)
{
  ZgMailTemplates *self = g_new0 (ZgMailTemplates, 1);

  self->dir = dir != NULL ? g_strdup (dir) : zg_mail_template_default_dir ();
  return self;
}

void
zg_mail_templates_free (ZgMailTemplates *self)
{
  if (self == NULL)
    return;
  if (self->override_destroy != NULL)
    self->override_destroy (self->override_data);
  g_free (self->dir);
  g_free (self);
}

void
zg_mail_templates_set_override (ZgMailTemplates          *self,
                                ZgMailTemplateLookupFunc  func,
                                gpointer                  user_data,
                                GDestroyNotify            destroy)
{
  g_return_if_fail (self != NULL);

  if (self->override_destroy != NULL)
    self->override_destroy (self->override_data);
  self->override_func = func;
  self->override_data = user_data;
  self->override_destroy = destroy;
}

static gboolean
is_valid_name (const char *s)
{
  if (s == NULL || *s == '\0' || strlen (s) > 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

static char *
load_file (ZgMailTemplates *self,
           const char      *name,
           const char      *lang)
{
  g_autofree char *basename = g_strdup_printf ("%s.%s.txt", name, lang);
  g_autofree char *path = g_build_filename (self->dir, basename, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return contents;
}

/* Override for the requested language, then the file for it, then the same for German. */
char *
zg_mail_templates_get_source (ZgMailTemplates  *self,
                              const char       *name,
                              const char       *lang,
                              GError          **error)
{
  const char *langs[2];

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (lang == NULL || !is_valid_name (lang))
    lang = DEFAULT_LANG;
  if (!is_valid_name (name))
    {
      g_set_error (error, ZG_MAIL_TEMPLATE_ERROR, ZG_MAIL_TEMPLATE_ERROR_NOT_FOUND,
                   "Invalid template name");
      return NULL;
    }

  langs[0] = lang;
  langs[1] = DEFAULT_LANG;
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      char *source = NULL;

      if (i > 0 && g_str_equal (langs[i], langs[0]))
        break;
      if (self->override_func != NULL)
        source = self->override_func (name, langs[i], self->override_data);
      if (source == NULL)
        source = load_file (self, name, langs[i]);
      if (source != NULL)
        return source;
    }

  g_set_error (error, ZG_MAIL_TEMPLATE_ERROR, ZG_MAIL_TEMPLATE_ERROR_NOT_FOUND,
               "No mail template “%s” in %s", name, self->dir);
  return NULL;
}

gboolean
zg_mail_template_parse (const char  *source,
                        char       **subject,
                        char       **body,
                        GError     **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) out = NULL;
  guint i = 0;
  guint last;

  g_return_val_if_fail (source != NULL, FALSE);

  if (!g_utf8_validate (source, -1, NULL))
    {
      g_set_error (error, ZG_MAIL_TEMPLATE_ERROR, ZG_MAIL_TEMPLATE_ERROR_INVALID,
                   "Template is not valid UTF-8");
      return FALSE;
    }

  /* Normalise CRLF so that templates edited on Windows behave the same. */
  text = g_strdup (source);
  {
    char *w = text;
    for (const char *r = text; *r; r++)
      if (*r != '\r')
        *w++ = *r;
    *w = '\0';
  }
  lines = g_strsplit (text, "\n", -1);

  while (lines[i] != NULL && lines[i][0] == '#')
    i++;
  if (lines[i] == NULL || !g_str_has_prefix (lines[i], "Subject:"))
    {
      g_set_error (error, ZG_MAIL_TEMPLATE_ERROR, ZG_MAIL_TEMPLATE_ERROR_INVALID,
                   "Template must start with a “Subject:” line");
      return FALSE;
    }
  if (lines[i + 1] == NULL || lines[i + 1][0] != '\0')
    {
      g_set_error (error, ZG_MAIL_TEMPLATE_ERROR, ZG_MAIL_TEMPLATE_ERROR_INVALID,
                   "The subject line must be followed by an empty line");
      return FALSE;
    }

  if (subject != NULL)
    *subject = g_strstrip (g_strdup (lines[i] + strlen ("Subject:")));

  /* Body: everything after the empty line, without trailing empty lines, ending in "\n". */
  last = g_strv_length (lines);
  while (last > i + 2 && g_strstrip (lines[last - 1])[0] == '\0')
    last--;
  out = g_string_new (NULL);
  for (guint j = i + 2; j < last; j++)
    {
      g_string_append (out, lines[j]);
      g_string_append_c (out, '\n');
    }
  if (out->len == 0)
    {
      if (subject != NULL)
        g_clear_pointer (subject, g_free);
      g_set_error (error, ZG_MAIL_TEMPLATE_ERROR, ZG_MAIL_TEMPLATE_ERROR_INVALID,
                   "Template body is empty");
      return FALSE;
    }
  if (body != NULL)
    *body = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

static const char *
lookup_value (const char * const *values,
              const char         *key,
              gsize               key_len)
{
  if (values == NULL)
    return NULL;
  for (guint i = 0; values[i] != NULL && values[i + 1] != NULL; i += 2)
    if (strlen (values[i]) == key_len && strncmp (values[i], key, key_len) == 0)
      return values[i + 1];
  return NULL;
}

/* @values: NULL-terminated key/value pairs. With @single_line, line breaks in values become
 * spaces (a value must never add header lines to a subject). */
char *
zg_mail_template_expand (const char          *text,
                         const char * const  *values,
                         gboolean             single_line,
                         GError             **error)
{
  g_autoptr(GString) out = NULL;
  const char *p = text;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text) + 64);
  while (*p != '\0')
    {
      const char *end;
      const char *value;

      if (p[0] == '{' && p[1] == '{')
        {
          g_string_append_c (out, '{');
          p += 2;
          continue;
        }
      if (p[0] == '}' && p[1] == '}')
        {
          g_string_append_c (out, '}');
          p += 2;
          continue;
        }
      if (p[0] != '{')
        {
          g_string_append_c (out, *p++);
          continue;
        }

      end = p + 1;
      while (g_ascii_islower (*end) || g_ascii_isdigit (*end) || *end == '_')
        end++;
      if (*end != '}' || end == p + 1)
        {
          g_set_error (error, ZG_MAIL_TEMPLATE_ERROR, ZG_MAIL_TEMPLATE_ERROR_INVALID,
                       "Malformed placeholder near “%.20s” (use {{ for a literal brace)", p);
          return NULL;
        }
      value = lookup_value (values, p + 1, (gsize) (end - p - 1));
      if (value == NULL)
        {
          g_set_error (error, ZG_MAIL_TEMPLATE_ERROR, ZG_MAIL_TEMPLATE_ERROR_UNKNOWN_PLACEHOLDER,
                       "Unknown placeholder {%.*s}", (int) (end - p - 1), p + 1);
          return NULL;
        }
      if (single_line)
        {
          for (const char *v = value; *v; v++)
            g_string_append_c (out, (*v == '\r' || *v == '\n' || *v == '\t') ? ' ' : *v);
        }
      else
        g_string_append (out, value);
      p = end + 1;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
zg_mail_templates_render (ZgMailTemplates     *self,
                          const char          *name,
                          const char          *lang,
                          const char * const  *values,
                          char               **subject,
                          char               **body,
                          GError             **error)
{
  g_autofree char *source = NULL;
  g_autofree char *raw_subject = NULL;
  g_autofree char *raw_body = NULL;
  g_autofree char *out_subject = NULL;
  g_autofree char *out_body = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (subject != NULL && body != NULL, FALSE);

  source = zg_mail_templates_get_source (self, name, lang, error);
  if (source == NULL)
    return FALSE;
  if (!zg_mail_template_parse (source, &raw_subject, &raw_body, error))
    return FALSE;
  out_subject = zg_mail_template_expand (raw_subject, values, TRUE, error);
  if (out_subject == NULL)
    return FALSE;
  out_body = zg_mail_template_expand (raw_body, values, FALSE, error);
  if (out_body == NULL)
    return FALSE;
  *subject = g_steal_pointer (&out_subject);
  *body = g_steal_pointer (&out_body);
  return TRUE;
}
