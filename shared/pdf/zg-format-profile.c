/* zg-format-profile.c — Zeugnisformatierung: formatting profile and its JSON codec (R-APP-3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "zg-format-profile.h"

#define PROFILE_FORMAT "zeugnis-format-profile"
#define PROFILE_VERSION 1
#define MAX_LOGO_BYTES ((gsize) 2 * 1024 * 1024)
#define MAX_FOOTER_COLUMNS 4
#define MAX_LINES 8
#define MAX_STRING 200

G_DEFINE_QUARK (zg-format-profile-error-quark, zg_format_profile_error)

static const char *const align_names[] = { "left", "center", "right", NULL };
static const char *const signature_names[] = { "auto", "stacked", "side-by-side", NULL };
static const char *const place_date_names[] = { "before-signature", "top-right", NULL };

ZgFormatProfile *
zg_format_profile_new_default (void)
{
  ZgFormatProfile *p = g_new0 (ZgFormatProfile, 1);

  p->name = g_strdup ("Standard");
  p->margin_top_mm = 15.0;
  p->margin_bottom_mm = 12.0;
  p->margin_left_mm = 25.0;
  p->margin_right_mm = 20.0;
  p->font_family = g_strdup ("Liberation Sans");
  p->font_size_pt = 11.0;
  p->line_spacing = 1.2;
  p->paragraph_spacing = 0.75;
  p->justify = TRUE;
  p->hyphenate = TRUE;
  p->letterhead_align = ZG_ALIGN_RIGHT;
  p->letterhead_font_size_pt = 8.5;
  p->logo_format = ZG_LOGO_NONE;
  p->logo_align = ZG_ALIGN_RIGHT;
  p->logo_width_mm = 55.0;
  p->logo_height_mm = 18.0;
  p->footer_columns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  p->footer_font_size_pt = 7.5;
  p->footer_all_pages = FALSE;
  p->title_font_size_pt = 16.0;
  p->title_bold = TRUE;
  p->title_align = ZG_ALIGN_CENTER;
  p->title_space_before_mm = 10.0;
  p->title_space_after_mm = 8.0;
  p->signature_layout = ZG_SIGNATURE_AUTO;
  p->signature_space_mm = 18.0;
  p->signature_rule = TRUE;
  p->place_date_position = ZG_PLACE_DATE_BEFORE_SIGNATURE;
  return p;
}

void
zg_format_profile_free (ZgFormatProfile *profile)
{
  if (profile == NULL)
    return;
  g_free (profile->name);
  g_free (profile->font_family);
  g_free (profile->company_name);
  g_strfreev (profile->address_lines);
  g_free (profile->logo_path);
  g_clear_pointer (&profile->logo_data, g_bytes_unref);
  g_clear_pointer (&profile->footer_columns, g_ptr_array_unref);
  g_free (profile);
}

ZgFormatProfile *
zg_format_profile_copy (const ZgFormatProfile *profile)
{
  ZgFormatProfile *copy;

  g_return_val_if_fail (profile != NULL, NULL);

  copy = g_memdup2 (profile, sizeof *profile);
  copy->name = g_strdup (profile->name);
  copy->font_family = g_strdup (profile->font_family);
  copy->company_name = g_strdup (profile->company_name);
  copy->address_lines = g_strdupv (profile->address_lines);
  copy->logo_path = g_strdup (profile->logo_path);
  copy->logo_data = profile->logo_data ? g_bytes_ref (profile->logo_data) : NULL;
  copy->footer_columns = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < profile->footer_columns->len; i++)
    g_ptr_array_add (copy->footer_columns,
                     g_strdupv (g_ptr_array_index (profile->footer_columns, i)));
  return copy;
}

ZgLogoFormat
zg_format_profile_sniff_logo (GBytes *data)
{
  static const guint8 png_magic[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  const char *bytes;
  gsize len;

  if (data == NULL)
    return ZG_LOGO_NONE;
  bytes = g_bytes_get_data (data, &len);
  if (len >= sizeof png_magic && memcmp (bytes, png_magic, sizeof png_magic) == 0)
    return ZG_LOGO_PNG;
  /* SVG: an <svg element near the start of a text file (after an optional
   * XML declaration, comments or a doctype). */
  if (len > 0 && g_strstr_len (bytes, MIN (len, 4096), "<svg") != NULL)
    return ZG_LOGO_SVG;
  return ZG_LOGO_NONE;
}

gboolean
zg_format_profile_set_logo (ZgFormatProfile  *profile,
                            GBytes           *data,
                            GError          **error)
{
  ZgLogoFormat format;

  g_return_val_if_fail (profile != NULL, FALSE);

  if (data == NULL)
    {
      g_clear_pointer (&profile->logo_data, g_bytes_unref);
      profile->logo_format = ZG_LOGO_NONE;
      return TRUE;
    }
  if (g_bytes_get_size (data) > MAX_LOGO_BYTES)
    {
      g_set_error (error, ZG_FORMAT_PROFILE_ERROR, ZG_FORMAT_PROFILE_ERROR_LOGO,
                   "The logo is larger than %" G_GSIZE_FORMAT " bytes", MAX_LOGO_BYTES);
      return FALSE;
    }
  format = zg_format_profile_sniff_logo (data);
  if (format == ZG_LOGO_NONE)
    {
      g_set_error (error, ZG_FORMAT_PROFILE_ERROR, ZG_FORMAT_PROFILE_ERROR_LOGO,
                   "The logo is neither a PNG nor an SVG image");
      return FALSE;
    }
  g_clear_pointer (&profile->logo_data, g_bytes_unref);
  profile->logo_data = g_bytes_ref (data);
  profile->logo_format = format;
  return TRUE;
}

static gboolean
invalid (GError    **error,
         const char *path,
         const char *message)
{
  g_set_error (error, ZG_FORMAT_PROFILE_ERROR, ZG_FORMAT_PROFILE_ERROR_INVALID,
               "Formatting profile: %s %s", path, message);
  return FALSE;
}

static gboolean
check_range (double      value,
             double      min,
             double      max,
             const char *path,
             GError    **error)
{
  g_autofree char *msg = NULL;

  if (value >= min && value <= max)
    return TRUE;
  msg = g_strdup_printf ("must be between %g and %g (is %g)", min, max, value);
  return invalid (error, path, msg);
}

static gboolean
check_string (const char *value,
              gboolean    required,
              const char *path,
              GError    **error)
{
  if (value == NULL || value[0] == '\0')
    return required ? invalid (error, path, "must not be empty") : TRUE;
  if (!g_utf8_validate (value, -1, NULL))
    return invalid (error, path, "is not valid UTF-8");
  if (g_utf8_strlen (value, -1) > MAX_STRING)
    return invalid (error, path, "is too long");
  return TRUE;
}

static gboolean
check_lines (const char *const *lines,
             const char        *path,
             GError           **error)
{
  if (lines == NULL)
    return TRUE;
  if (g_strv_length ((GStrv) lines) > MAX_LINES)
    return invalid (error, path, "has too many lines");
  for (guint i = 0; lines[i] != NULL; i++)
    if (!check_string (lines[i], FALSE, path, error))
      return FALSE;
  return TRUE;
}

gboolean
zg_format_profile_validate (const ZgFormatProfile  *p,
                            GError                **error)
{
  g_return_val_if_fail (p != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_string (p->name, TRUE, "name", error) ||
      !check_range (p->margin_top_mm, 5, 60, "page.margins_mm.top", error) ||
      !check_range (p->margin_bottom_mm, 5, 60, "page.margins_mm.bottom", error) ||
      !check_range (p->margin_left_mm, 10, 60, "page.margins_mm.left", error) ||
      !check_range (p->margin_right_mm, 10, 60, "page.margins_mm.right", error) ||
      !check_string (p->font_family, TRUE, "font.family", error) ||
      !check_range (p->font_size_pt, 7, 16, "font.size_pt", error) ||
      !check_range (p->line_spacing, 0.9, 2.5, "font.line_spacing", error) ||
      !check_range (p->paragraph_spacing, 0, 3, "font.paragraph_spacing", error) ||
      !check_string (p->company_name, FALSE, "letterhead.company_name", error) ||
      !check_lines ((const char *const *) p->address_lines, "letterhead.address", error) ||
      !check_range (p->letterhead_font_size_pt, 6, 14, "letterhead.font_size_pt", error) ||
      !check_range (p->logo_width_mm, 5, 160, "letterhead.logo.width_mm", error) ||
      !check_range (p->logo_height_mm, 5, 60, "letterhead.logo.height_mm", error) ||
      !check_range (p->footer_font_size_pt, 5, 11, "footer.font_size_pt", error) ||
      !check_range (p->title_font_size_pt, 9, 32, "title.font_size_pt", error) ||
      !check_range (p->title_space_before_mm, 0, 80, "title.space_before_mm", error) ||
      !check_range (p->title_space_after_mm, 0, 40, "title.space_after_mm", error) ||
      !check_range (p->signature_space_mm, 5, 50, "signature.space_mm", error))
    return FALSE;

  if ((guint) p->letterhead_align > ZG_ALIGN_RIGHT || (guint) p->logo_align > ZG_ALIGN_RIGHT ||
      (guint) p->title_align > ZG_ALIGN_RIGHT)
    return invalid (error, "align", "must be left, center or right");
  if ((guint) p->signature_layout > ZG_SIGNATURE_SIDE_BY_SIDE)
    return invalid (error, "signature.layout", "is unknown");
  if ((guint) p->place_date_position > ZG_PLACE_DATE_TOP_RIGHT)
    return invalid (error, "place_date.position", "is unknown");

  if (p->footer_columns == NULL)
    return invalid (error, "footer.columns", "is missing");
  if (p->footer_columns->len > MAX_FOOTER_COLUMNS)
    return invalid (error, "footer.columns", "has more than 4 columns");
  for (guint i = 0; i < p->footer_columns->len; i++)
    if (!check_lines (g_ptr_array_index (p->footer_columns, i), "footer.columns", error))
      return FALSE;

  if ((p->logo_data == NULL) != (p->logo_format == ZG_LOGO_NONE) ||
      (p->logo_data != NULL && zg_format_profile_sniff_logo (p->logo_data) != p->logo_format))
    {
      g_set_error (error, ZG_FORMAT_PROFILE_ERROR, ZG_FORMAT_PROFILE_ERROR_LOGO,
                   "Formatting profile: the logo data does not match its format");
      return FALSE;
    }
  return TRUE;
}

/* ---- JSON reading ------------------------------------------------------------------------ */

typedef struct
{
  JsonObject *obj;
  const char *path;     /* "letterhead.logo" */
} Section;

static gboolean
check_members (Section             *s,
               const char *const   *allowed,
               GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (s->obj);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *path = g_strdup_printf ("%s%s%s", s->path, s->path[0] ? "." : "",
                                                 (const char *) l->data);

        return invalid (error, path, "is not a known field");
      }
  return TRUE;
}

static char *
member_path (Section    *s,
             const char *key)
{
  return g_strdup_printf ("%s%s%s", s->path, s->path[0] ? "." : "", key);
}

/* Optional sub-object; *found tells whether it was there. */
static gboolean
get_section (Section     *s,
             const char  *key,
             Section     *out,
             char       **out_path,
             gboolean    *found,
             GError     **error)
{
  JsonNode *node = json_object_get_member (s->obj, key);

  *found = FALSE;
  *out_path = member_path (s, key);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, *out_path, "must be an object");
  out->obj = json_node_get_object (node);
  out->path = *out_path;
  *found = TRUE;
  return TRUE;
}

static gboolean
get_number (Section    *s,
            const char *key,
            double     *inout,
            GError    **error)
{
  JsonNode *node = json_object_get_member (s->obj, key);
  GType type;

  if (node == NULL)
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    {
      g_autofree char *path = member_path (s, key);

      return invalid (error, path, "must be a number");
    }
  *inout = json_node_get_double (node);
  return TRUE;
}

static gboolean
get_bool (Section    *s,
          const char *key,
          gboolean   *inout,
          GError    **error)
{
  JsonNode *node = json_object_get_member (s->obj, key);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *path = member_path (s, key);

      return invalid (error, path, "must be true or false");
    }
  *inout = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_string (Section    *s,
            const char *key,
            char      **inout,
            GError    **error)
{
  JsonNode *node = json_object_get_member (s->obj, key);

  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_clear_pointer (inout, g_free);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *path = member_path (s, key);

      return invalid (error, path, "must be a string");
    }
  g_free (*inout);
  *inout = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_enum (Section            *s,
          const char         *key,
          const char *const  *names,
          int                *inout,
          GError            **error)
{
  g_autofree char *value = NULL;

  if (!get_string (s, key, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  for (int i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], value))
      {
        *inout = i;
        return TRUE;
      }
  {
    g_autofree char *path = member_path (s, key);
    g_autofree char *list = g_strjoinv (", ", (GStrv) names);
    g_autofree char *msg = g_strdup_printf ("must be one of %s", list);

    return invalid (error, path, msg);
  }
}

static gboolean
node_to_strv (JsonNode    *node,
              const char  *path,
              GStrv       *out,
              GError     **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, path, "must be an array of strings");
  array = json_node_get_array (node);
  if (json_array_get_length (array) > MAX_LINES)
    return invalid (error, path, "has too many lines");
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        return invalid (error, path, "must be an array of strings");
      g_strv_builder_add (builder, json_node_get_string (item));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
get_enum_align (Section    *s,
                const char *key,
                ZgAlign    *inout,
                GError    **error)
{
  int value = (int) *inout;

  if (!get_enum (s, key, align_names, &value, error))
    return FALSE;
  *inout = (ZgAlign) value;
  return TRUE;
}

static gboolean
read_logo (ZgFormatProfile  *p,
           Section          *logo,
           const char       *base_dir,
           GError          **error)
{
  static const char *const keys[] = { "path", "data", "align", "width_mm", "height_mm", NULL };
  g_autofree char *data_b64 = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (!check_members (logo, keys, error) ||
      !get_string (logo, "path", &p->logo_path, error) ||
      !get_string (logo, "data", &data_b64, error) ||
      !get_enum_align (logo, "align", &p->logo_align, error) ||
      !get_number (logo, "width_mm", &p->logo_width_mm, error) ||
      !get_number (logo, "height_mm", &p->logo_height_mm, error))
    return FALSE;

  if (data_b64 != NULL && data_b64[0] != '\0')
    {
      gsize len = 0;
      guchar *raw = NULL;

      /* g_base64_decode accepts anything; reject obviously foreign characters. */
      for (const char *c = data_b64; *c; c++)
        if (!g_ascii_isalnum (*c) && *c != '+' && *c != '/' && *c != '=' && !g_ascii_isspace (*c))
          return invalid (error, "letterhead.logo.data", "is not base64");
      raw = g_base64_decode (data_b64, &len);
      bytes = g_bytes_new_take (raw, len);
    }
  else if (p->logo_path != NULL && p->logo_path[0] != '\0')
    {
      g_autofree char *full = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(GError) local_error = NULL;
      gsize len = 0;

      if (g_path_is_absolute (p->logo_path) || base_dir == NULL)
        full = g_strdup (p->logo_path);
      else
        full = g_build_filename (base_dir, p->logo_path, NULL);
      if (!g_file_get_contents (full, &contents, &len, &local_error))
        {
          g_set_error (error, ZG_FORMAT_PROFILE_ERROR, ZG_FORMAT_PROFILE_ERROR_LOGO,
                       "Formatting profile: cannot read the logo: %s", local_error->message);
          return FALSE;
        }
      bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
    }

  if (bytes != NULL && !zg_format_profile_set_logo (p, bytes, error))
    {
      g_prefix_error (error, "Formatting profile: ");
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_profile (ZgFormatProfile  *p,
              JsonObject       *root,
              const char       *base_dir,
              GError          **error)
{
  static const char *const top_keys[] = { "format", "version", "name", "page", "font",
                                          "letterhead", "footer", "title", "signature",
                                          "place_date", NULL };
  Section top = { root, "" };
  Section sec = { NULL, NULL };
  Section sub = { NULL, NULL };
  g_autofree char *format = NULL;
  double version = 0;
  gboolean found = FALSE;

  if (!check_members (&top, top_keys, error) ||
      !get_string (&top, "format", &format, error) ||
      !get_number (&top, "version", &version, error))
    return FALSE;
  if (g_strcmp0 (format, PROFILE_FORMAT) != 0)
    return invalid (error, "format", "must be \"" PROFILE_FORMAT "\"");
  if (version != PROFILE_VERSION)
    return invalid (error, "version", "must be 1");
  if (!get_string (&top, "name", &p->name, error))
    return FALSE;

  /* page */
  {
    g_autofree char *path = NULL;
    g_autofree char *sub_path = NULL;
    g_autofree char *size = NULL;
    static const char *const keys[] = { "size", "margins_mm", NULL };
    static const char *const margin_keys[] = { "top", "bottom", "left", "right", NULL };

    if (!get_section (&top, "page", &sec, &path, &found, error))
      return FALSE;
    if (found)
      {
        if (!check_members (&sec, keys, error) || !get_string (&sec, "size", &size, error))
          return FALSE;
        if (size != NULL && g_ascii_strcasecmp (size, "A4") != 0)
          return invalid (error, "page.size", "must be \"A4\"");
        if (!get_section (&sec, "margins_mm", &sub, &sub_path, &found, error))
          return FALSE;
        if (found &&
            (!check_members (&sub, margin_keys, error) ||
             !get_number (&sub, "top", &p->margin_top_mm, error) ||
             !get_number (&sub, "bottom", &p->margin_bottom_mm, error) ||
             !get_number (&sub, "left", &p->margin_left_mm, error) ||
             !get_number (&sub, "right", &p->margin_right_mm, error)))
          return FALSE;
      }
  }

  /* font */
  {
    g_autofree char *path = NULL;
    static const char *const keys[] = { "family", "size_pt", "line_spacing", "paragraph_spacing",
                                        "justify", "hyphenate", NULL };

    if (!get_section (&top, "font", &sec, &path, &found, error))
      return FALSE;
    if (found &&
        (!check_members (&sec, keys, error) ||
         !get_string (&sec, "family", &p->font_family, error) ||
         !get_number (&sec, "size_pt", &p->font_size_pt, error) ||
         !get_number (&sec, "line_spacing", &p->line_spacing, error) ||
         !get_number (&sec, "paragraph_spacing", &p->paragraph_spacing, error) ||
         !get_bool (&sec, "justify", &p->justify, error) ||
         !get_bool (&sec, "hyphenate", &p->hyphenate, error)))
      return FALSE;
  }

  /* letterhead */
  {
    g_autofree char *path = NULL;
    g_autofree char *sub_path = NULL;
    static const char *const keys[] = { "company_name", "address", "align", "font_size_pt",
                                        "logo", NULL };

    if (!get_section (&top, "letterhead", &sec, &path, &found, error))
      return FALSE;
    if (found)
      {
        JsonNode *address = json_object_get_member (sec.obj, "address");

        if (!check_members (&sec, keys, error) ||
            !get_string (&sec, "company_name", &p->company_name, error) ||
            !get_enum_align (&sec, "align", &p->letterhead_align, error) ||
            !get_number (&sec, "font_size_pt", &p->letterhead_font_size_pt, error))
          return FALSE;
        if (address != NULL && !JSON_NODE_HOLDS_NULL (address))
          {
            g_clear_pointer (&p->address_lines, g_strfreev);
            if (!node_to_strv (address, "letterhead.address", &p->address_lines, error))
              return FALSE;
          }
        if (!get_section (&sec, "logo", &sub, &sub_path, &found, error))
          return FALSE;
        if (found && !read_logo (p, &sub, base_dir, error))
          return FALSE;
      }
  }

  /* footer */
  {
    g_autofree char *path = NULL;
    static const char *const keys[] = { "columns", "font_size_pt", "all_pages", NULL };

    if (!get_section (&top, "footer", &sec, &path, &found, error))
      return FALSE;
    if (found)
      {
        JsonNode *columns = json_object_get_member (sec.obj, "columns");

        if (!check_members (&sec, keys, error) ||
            !get_number (&sec, "font_size_pt", &p->footer_font_size_pt, error) ||
            !get_bool (&sec, "all_pages", &p->footer_all_pages, error))
          return FALSE;
        if (columns != NULL)
          {
            JsonArray *array;

            if (!JSON_NODE_HOLDS_ARRAY (columns))
              return invalid (error, "footer.columns", "must be an array of arrays of strings");
            array = json_node_get_array (columns);
            if (json_array_get_length (array) > MAX_FOOTER_COLUMNS)
              return invalid (error, "footer.columns", "has more than 4 columns");
            g_ptr_array_set_size (p->footer_columns, 0);
            for (guint i = 0; i < json_array_get_length (array); i++)
              {
                GStrv lines = NULL;

                if (!node_to_strv (json_array_get_element (array, i), "footer.columns", &lines,
                                   error))
                  return FALSE;
                g_ptr_array_add (p->footer_columns, lines);
              }
          }
      }
  }

  /* title */
  {
    g_autofree char *path = NULL;
    static const char *const keys[] = { "font_size_pt", "bold", "align", "space_before_mm",
                                        "space_after_mm", NULL };

    if (!get_section (&top, "title", &sec, &path, &found, error))
      return FALSE;
    if (found &&
        (!check_members (&sec, keys, error) ||
         !get_number (&sec, "font_size_pt", &p->title_font_size_pt, error) ||
         !get_bool (&sec, "bold", &p->title_bold, error) ||
         !get_enum_align (&sec, "align", &p->title_align, error) ||
         !get_number (&sec, "space_before_mm", &p->title_space_before_mm, error) ||
         !get_number (&sec, "space_after_mm", &p->title_space_after_mm, error)))
      return FALSE;
  }

  /* signature */
  {
    g_autofree char *path = NULL;
    static const char *const keys[] = { "layout", "space_mm", "rule", NULL };
    int layout = (int) p->signature_layout;

    if (!get_section (&top, "signature", &sec, &path, &found, error))
      return FALSE;
    if (found &&
        (!check_members (&sec, keys, error) ||
         !get_enum (&sec, "layout", signature_names, &layout, error) ||
         !get_number (&sec, "space_mm", &p->signature_space_mm, error) ||
         !get_bool (&sec, "rule", &p->signature_rule, error)))
      return FALSE;
    p->signature_layout = (ZgSignatureLayout) layout;
  }

  /* place_date */
  {
    g_autofree char *path = NULL;
    static const char *const keys[] = { "position", NULL };
    int position = (int) p->place_date_position;

    if (!get_section (&top, "place_date", &sec, &path, &found, error))
      return FALSE;
    if (found &&
        (!check_members (&sec, keys, error) ||
         !get_enum (&sec, "position", place_date_names, &position, error)))
      return FALSE;
    p->place_date_position = (ZgPlaceDatePosition) position;
  }

  return zg_format_profile_validate (p, error);
}

ZgFormatProfile *
zg_format_profile_from_json (const char  *json,
                             gssize       length,
                             const char  *base_dir,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(ZgFormatProfile) profile = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      g_set_error (error, ZG_FORMAT_PROFILE_ERROR, ZG_FORMAT_PROFILE_ERROR_PARSE,
                   "Formatting profile is not valid JSON: %s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, ZG_FORMAT_PROFILE_ERROR, ZG_FORMAT_PROFILE_ERROR_PARSE,
                   "Formatting profile must be a JSON object");
      return NULL;
    }

  profile = zg_format_profile_new_default ();
  if (!read_profile (profile, json_node_get_object (root), base_dir, error))
    return NULL;
  return g_steal_pointer (&profile);
}

ZgFormatProfile *
zg_format_profile_load_file (const char  *path,
                             GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *dir = NULL;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  dir = g_path_get_dirname (path);
  return zg_format_profile_from_json (contents, (gssize) len, dir, error);
}

/* ---- JSON writing ------------------------------------------------------------------------ */

static void
add_strv (JsonBuilder        *b,
          const char *const  *lines)
{
  json_builder_begin_array (b);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    json_builder_add_string_value (b, lines[i]);
  json_builder_end_array (b);
}

char *
zg_format_profile_to_json (const ZgFormatProfile *p,
                           gboolean               embed_logo)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (p != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, PROFILE_FORMAT);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, PROFILE_VERSION);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, p->name);

  json_builder_set_member_name (b, "page");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "size");
  json_builder_add_string_value (b, "A4");
  json_builder_set_member_name (b, "margins_mm");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "top");
  json_builder_add_double_value (b, p->margin_top_mm);
  json_builder_set_member_name (b, "bottom");
  json_builder_add_double_value (b, p->margin_bottom_mm);
  json_builder_set_member_name (b, "left");
  json_builder_add_double_value (b, p->margin_left_mm);
  json_builder_set_member_name (b, "right");
  json_builder_add_double_value (b, p->margin_right_mm);
  json_builder_end_object (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "font");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "family");
  json_builder_add_string_value (b, p->font_family);
  json_builder_set_member_name (b, "size_pt");
  json_builder_add_double_value (b, p->font_size_pt);
  json_builder_set_member_name (b, "line_spacing");
  json_builder_add_double_value (b, p->line_spacing);
  json_builder_set_member_name (b, "paragraph_spacing");
  json_builder_add_double_value (b, p->paragraph_spacing);
  json_builder_set_member_name (b, "justify");
  json_builder_add_boolean_value (b, p->justify);
  json_builder_set_member_name (b, "hyphenate");
  json_builder_add_boolean_value (b, p->hyphenate);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "letterhead");
  json_builder_begin_object (b);
  if (p->company_name != NULL)
    {
      json_builder_set_member_name (b, "company_name");
      json_builder_add_string_value (b, p->company_name);
    }
  if (p->address_lines != NULL)
    {
      json_builder_set_member_name (b, "address");
      add_strv (b, (const char *const *) p->address_lines);
    }
  json_builder_set_member_name (b, "align");
  json_builder_add_string_value (b, align_names[p->letterhead_align]);
  json_builder_set_member_name (b, "font_size_pt");
  json_builder_add_double_value (b, p->letterhead_font_size_pt);
  if (p->logo_data != NULL || p->logo_path != NULL)
    {
      json_builder_set_member_name (b, "logo");
      json_builder_begin_object (b);
      if (p->logo_path != NULL)
        {
          json_builder_set_member_name (b, "path");
          json_builder_add_string_value (b, p->logo_path);
        }
      if (embed_logo && p->logo_data != NULL)
        {
          gsize len = 0;
          const guchar *raw = g_bytes_get_data (p->logo_data, &len);
          g_autofree char *b64 = g_base64_encode (raw, len);

          json_builder_set_member_name (b, "data");
          json_builder_add_string_value (b, b64);
        }
      json_builder_set_member_name (b, "align");
      json_builder_add_string_value (b, align_names[p->logo_align]);
      json_builder_set_member_name (b, "width_mm");
      json_builder_add_double_value (b, p->logo_width_mm);
      json_builder_set_member_name (b, "height_mm");
      json_builder_add_double_value (b, p->logo_height_mm);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "footer");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  for (guint i = 0; i < p->footer_columns->len; i++)
    add_strv (b, g_ptr_array_index (p->footer_columns, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "font_size_pt");
  json_builder_add_double_value (b, p->footer_font_size_pt);
  json_builder_set_member_name (b, "all_pages");
  json_builder_add_boolean_value (b, p->footer_all_pages);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "title");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "font_size_pt");
  json_builder_add_double_value (b, p->title_font_size_pt);
  json_builder_set_member_name (b, "bold");
  json_builder_add_boolean_value (b, p->title_bold);
  json_builder_set_member_name (b, "align");
  json_builder_add_string_value (b, align_names[p->title_align]);
  json_builder_set_member_name (b, "space_before_mm");
  json_builder_add_double_value (b, p->title_space_before_mm);
  json_builder_set_member_name (b, "space_after_mm");
  json_builder_add_double_value (b, p->title_space_after_mm);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "signature");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "layout");
  json_builder_add_string_value (b, signature_names[p->signature_layout]);
  json_builder_set_member_name (b, "space_mm");
  json_builder_add_double_value (b, p->signature_space_mm);
  json_builder_set_member_name (b, "rule");
  json_builder_add_boolean_value (b, p->signature_rule);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "place_date");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "position");
  json_builder_add_string_value (b, place_date_names[p->place_date_position]);
  json_builder_end_object (b);

  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}
