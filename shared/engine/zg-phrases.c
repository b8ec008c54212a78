/* zg-phrases.c — phrase library: loading, customer layers, validation
 *
 * Format: docs/phrase-format.md. R-APP-1, R-APP-6.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-phrases.h"
#include "zg-phrases-private.h"

G_DEFINE_QUARK (zg-phrases-error-quark, zg_phrases_error)

#define MAX_FILE_SIZE ((gsize) 4 * 1024 * 1024)

static const char *const languages[] = { "de", "en", NULL };

/* language mask: 1 = de, 2 = en, 3 = both */
static const struct { const char *name; guint langs; } placeholders[ZG_N_PLACEHOLDERS] = {
  [ZG_PH_NAME] = { "Name", 3 },
  [ZG_PH_NAME_AKK] = { "NameAkk", 1 },
  [ZG_PH_NAME_DAT] = { "NameDat", 1 },
  [ZG_PH_FULLNAME] = { "FullName", 3 },
  [ZG_PH_ER] = { "er", 1 },
  [ZG_PH_ER_CAP] = { "Er", 1 },
  [ZG_PH_IHM] = { "ihm", 1 },
  [ZG_PH_IHN] = { "ihn", 1 },
  [ZG_PH_SEIN] = { "sein", 1 },
  [ZG_PH_SEINE] = { "seine", 1 },
  [ZG_PH_SEINEN] = { "seinen", 1 },
  [ZG_PH_SEINER] = { "seiner", 1 },
  [ZG_PH_SEINEM] = { "seinem", 1 },
  [ZG_PH_SEINES] = { "seines", 1 },
  [ZG_PH_SEIN_CAP] = { "Sein", 1 },
  [ZG_PH_SEINE_CAP] = { "Seine", 1 },
  [ZG_PH_SEINEN_CAP] = { "Seinen", 1 },
  [ZG_PH_SEINER_CAP] = { "Seiner", 1 },
  [ZG_PH_SEINEM_CAP] = { "Seinem", 1 },
  [ZG_PH_SEINES_CAP] = { "Seines", 1 },
  [ZG_PH_HE] = { "he", 2 },
  [ZG_PH_HE_CAP] = { "He", 2 },
  [ZG_PH_HIM] = { "him", 2 },
  [ZG_PH_HIS] = { "his", 2 },
  [ZG_PH_HIS_CAP] = { "His", 2 },
  [ZG_PH_FIRMA] = { "Firma", 3 },
  [ZG_PH_POSITION] = { "Position", 3 },
  [ZG_PH_ABTEILUNG] = { "Abteilung", 3 },
  [ZG_PH_STANDORT] = { "Standort", 3 },
  [ZG_PH_EINTRITT] = { "Eintritt", 3 },
  [ZG_PH_AUSTRITT] = { "Austritt", 3 },
  [ZG_PH_AUSSTELLUNGSDATUM] = { "Ausstellungsdatum", 3 },
  [ZG_PH_GEBURTSDATUM] = { "Geburtsdatum", 3 },
  [ZG_PH_GEBURTSORT] = { "Geburtsort", 3 },
  [ZG_PH_BERUF] = { "Beruf", 3 },
  [ZG_PH_BERUFSSCHULE] = { "Berufsschule", 3 },
  [ZG_PH_VON] = { "Von", 3 },
  [ZG_PH_BIS] = { "Bis", 3 },
  [ZG_PH_STATION] = { "Station", 3 },
  [ZG_PH_EINTRAG] = { "Eintrag", 3 },
  [ZG_PH_NOTE] = { "Note", 3 },
  [ZG_PH_ZULETZT] = { "Zuletzt", 3 },
};

static const char *const pronouns_de[] = {
  "er", "sie", "ihm", "ihn", "ihr", "ihre", "ihrem", "ihren", "ihrer", "ihres", "sein", "seine",
  "seinem", "seinen", "seiner", "seines", "herr", "herrn", "frau", NULL
};
static const char *const pronouns_en[] = {
  "he", "she", "him", "her", "his", "hers", "himself", "herself", "mr", "ms", "mrs", NULL
};

const char *
zg_placeholder_name (ZgPlaceholder ph)
{
  g_return_val_if_fail (ph < ZG_N_PLACEHOLDERS, NULL);
  return placeholders[ph].name;
}

int
zg_language_index (const char *language)
{
  if (g_strcmp0 (language, "de") == 0)
    return 0;
  if (g_strcmp0 (language, "en") == 0)
    return 1;
  return -1;
}

/* ---- templates ---- */

static void
token_free (gpointer data)
{
  ZgToken *token = data;

  g_free (token->text);
  for (guint i = 0; i < 3; i++)
    g_free (token->choice[i]);
  g_free (token);
}

static void
template_free (ZgTemplate *tpl)
{
  if (tpl == NULL)
    return;
  g_free (tpl->source);
  g_ptr_array_unref (tpl->tokens);
  g_free (tpl);
}

static void
add_literal (ZgTemplate *tpl,
             const char *start,
             gsize       len)
{
  ZgToken *token;

  if (len == 0)
    return;
  token = g_new0 (ZgToken, 1);
  token->kind = ZG_TOKEN_LITERAL;
  token->text = g_strndup (start, len);
  g_ptr_array_add (tpl->tokens, token);
}

static gboolean
parse_choice (ZgToken     *token,
              const char  *body,
              char       **problem)
{
  g_auto(GStrv) parts = g_strsplit (body, "|", -1);

  if (g_strv_length (parts) != 3)
    {
      *problem = g_strdup_printf ("gender choice “{%s}” needs exactly m:, f: and d:", body);
      return FALSE;
    }
  for (guint i = 0; i < 3; i++)
    {
      const char *p = parts[i];
      int which;

      if (p[0] == 'm' && p[1] == ':')
        which = 0;
      else if (p[0] == 'f' && p[1] == ':')
        which = 1;
      else if (p[0] == 'd' && p[1] == ':')
        which = 2;
      else
        {
          *problem = g_strdup_printf ("gender choice “{%s}”: “%s” must start with m:, f: or d:",
                                      body, p);
          return FALSE;
        }
      if (token->choice[which] != NULL)
        {
          *problem = g_strdup_printf ("gender choice “{%s}” names “%c:” twice", body, p[0]);
          return FALSE;
        }
      token->choice[which] = g_strdup (p + 2);
    }
  return TRUE;
}

static gboolean
word_in (const char         *word,
         const char *const  *list)
{
  return g_strv_contains (list, word);
}

/* Literal pronouns referring to the employee make the other genders wrong. */
static gboolean
check_literal_words (const char  *literal,
                     int          lang,
                     char       **problem)
{
  const char *p = literal;

  while (*p)
    {
      const char *start;
      g_autofree char *word = NULL;
      g_autofree char *lower = NULL;

      while (*p && !g_unichar_isalpha (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p && g_unichar_isalpha (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == start)
        break;
      word = g_strndup (start, p - start);
      lower = g_utf8_strdown (word, -1);
      if (word_in (lower, lang == 0 ? pronouns_de : pronouns_en))
        {
          *problem = g_strdup_printf ("literal “%s” must be a placeholder (gender forms)", word);
          return FALSE;
        }
    }
  return TRUE;
}

static ZgTemplate *
template_parse (const char  *source,
                int          lang,
                char       **problem)
{
  ZgTemplate *tpl = g_new0 (ZgTemplate, 1);
  const char *p = source;
  const char *lit = source;
  gsize len = strlen (source);

  tpl->source = g_strdup (source);
  tpl->tokens = g_ptr_array_new_with_free_func (token_free);

  if (len == 0)
    *problem = g_strdup ("empty text");
  else if (g_ascii_isspace (source[0]) || g_ascii_isspace (source[len - 1]))
    *problem = g_strdup ("leading or trailing whitespace");
  else if (strstr (source, "  ") != NULL || strchr (source, '\n') != NULL)
    *problem = g_strdup ("double space or line break");
  if (*problem != NULL)
    goto fail;

  while (*p)
    {
      if (*p == '}')
        {
          *problem = g_strdup ("unbalanced “}”");
          goto fail;
        }
      if (*p == '{')
        {
          const char *end = strchr (p + 1, '}');
          const char *nested = strchr (p + 1, '{');
          g_autofree char *body = NULL;
          ZgToken *token;

          if (end == NULL || (nested != NULL && nested < end))
            {
              *problem = g_strdup ("unbalanced “{”");
              goto fail;
            }
          add_literal (tpl, lit, p - lit);
          body = g_strndup (p + 1, end - p - 1);
          token = g_new0 (ZgToken, 1);
          g_ptr_array_add (tpl->tokens, token);
          if (body[0] != '\0' && body[1] == ':')
            {
              token->kind = ZG_TOKEN_CHOICE;
              if (!parse_choice (token, body, problem))
                goto fail;
            }
          else
            {
              guint ph;

              token->kind = ZG_TOKEN_PLACEHOLDER;
              for (ph = 0; ph < ZG_N_PLACEHOLDERS; ph++)
                if (strcmp (placeholders[ph].name, body) == 0 &&
                    (placeholders[ph].langs & (lang == 0 ? 1u : 2u)) != 0)
                  break;
              if (ph == ZG_N_PLACEHOLDERS)
                {
                  *problem = g_strdup_printf ("unknown placeholder “{%s}”", body);
                  goto fail;
                }
              token->placeholder = (ZgPlaceholder) ph;
              if (ph >= ZG_PH_FIRST_STRUCTURAL)
                tpl->needs |= G_GUINT64_CONSTANT (1) << ph;
            }
          p = end + 1;
          lit = p;
          continue;
        }
      p++;
    }
  add_literal (tpl, lit, p - lit);

  for (guint i = 0; i < tpl->tokens->len; i++)
    {
      const ZgToken *token = g_ptr_array_index (tpl->tokens, i);

      if (token->kind == ZG_TOKEN_LITERAL && !check_literal_words (token->text, lang, problem))
        goto fail;
    }
  return tpl;

fail:
  template_free (tpl);
  return NULL;
}

/* ---- variants and slots ---- */

static void
variant_free (gpointer data)
{
  ZgVariant *variant = data;

  g_free (variant->id);
  template_free (variant->present);
  template_free (variant->past);
  template_free (variant->text);
  g_free (variant);
}

static void
slot_free (gpointer data)
{
  ZgSlot *slot = data;

  if (slot == NULL)
    return;
  g_free (slot->slot);
  g_free (slot->language);
  g_hash_table_unref (slot->groups);
  g_free (slot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZgSlot, slot_free)

static char *
group_key (const char *reason,
           int         grade)
{
  return g_strdup_printf ("%s\x1f%d", reason ? reason : "", grade);
}

GPtrArray *
zg_slot_get_group (const ZgSlot *slot,
                   const char   *reason,
                   int           grade)
{
  g_autofree char *key = group_key (reason, grade);

  return g_hash_table_lookup (slot->groups, key);
}

static GPtrArray *
slot_ensure_group (ZgSlot     *slot,
                   const char *reason,
                   int         grade)
{
  char *key = group_key (reason, grade);
  GPtrArray *group = g_hash_table_lookup (slot->groups, key);

  if (group != NULL)
    {
      g_free (key);
      return group;
    }
  group = g_ptr_array_new_with_free_func (variant_free);
  g_hash_table_insert (slot->groups, key, group);
  return group;
}

static gboolean
format_error (GError     **error,
              const char  *where,
              const char  *format,
              ...) G_GNUC_PRINTF (3, 4);

static gboolean
format_error (GError     **error,
              const char  *where,
              const char  *format,
              ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT, "%s: %s", where, msg);
  return FALSE;
}

static const char *
get_string_member (JsonObject *obj,
                   const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
valid_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 100)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && strchr ("._-", *p) == NULL)
      return FALSE;
  return TRUE;
}

static ZgTemplate *
parse_form (JsonObject  *obj,
            const char  *name,
            int          lang,
            const char  *where,
            GPtrArray   *problems,
            gboolean    *ok,
            GError     **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  g_autofree char *problem = NULL;
  ZgTemplate *tpl;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *ok = format_error (error, where, "“%s” must be a string", name);
      return NULL;
    }
  tpl = template_parse (json_node_get_string (node), lang, &problem);
  if (tpl == NULL)
    g_ptr_array_add (problems, g_strdup_printf ("%s (%s): %s", where, name, problem));
  return tpl;
}

/* Returns NULL with *ok FALSE and error set on a shape error; content problems
 * go to problems and leave the variant invalid. A disabled variant has
 * valid = FALSE and no templates. */
static ZgVariant *
variant_from_json (JsonNode    *node,
                   int          lang,
                   const char  *where,
                   gboolean     allow_disabled,
                   GPtrArray   *problems,
                   GError     **error)
{
  static const char *const members[] = {
    "id", "present", "past", "text", "kinds", "roles", "comment", "disabled", NULL
  };
  g_autofree char *here = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObjectIter iter;
  const char *name, *id;
  JsonNode *value;
  JsonObject *obj;
  ZgVariant *variant;
  gboolean ok = TRUE;
  gboolean has_present, has_past, has_text;
  gboolean disabled = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      format_error (error, where, "a variant must be an object");
      return NULL;
    }
  obj = json_node_get_object (node);
  id = get_string_member (obj, "id");
  if (!valid_id (id))
    {
      format_error (error, where, "variant without a valid “id” ([a-z0-9._-]+)");
      return NULL;
    }
  here = g_strdup_printf ("%s %s", where, id);
  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &name, &value))
    if (!g_strv_contains (members, name) || (!allow_disabled && strcmp (name, "disabled") == 0))
      {
        format_error (error, here, "unknown member “%s”", name);
        return NULL;
      }

  if (json_object_has_member (obj, "disabled"))
    {
      JsonNode *d = json_object_get_member (obj, "disabled");

      if (!JSON_NODE_HOLDS_VALUE (d) || json_node_get_value_type (d) != G_TYPE_BOOLEAN)
        {
          format_error (error, here, "“disabled” must be true or false");
          return NULL;
        }
      disabled = json_node_get_boolean (d);
    }

  variant = g_new0 (ZgVariant, 1);
  variant->id = g_strdup (id);
  if (disabled)
    {
      if (json_object_get_size (obj) != 2)
        {
          variant_free (variant);
          format_error (error, here, "a disabled variant has only “id” and “disabled”");
          return NULL;
        }
      return variant;
    }

  has_present = json_object_has_member (obj, "present");
  has_past = json_object_has_member (obj, "past");
  has_text = json_object_has_member (obj, "text");
  if (has_text ? (has_present || has_past) : !(has_present && has_past))
    {
      variant_free (variant);
      format_error (error, here, "needs either “present” and “past”, or “text”");
      return NULL;
    }

  variant->present = parse_form (obj, "present", lang, here, problems, &ok, &local_error);
  if (ok)
    variant->past = parse_form (obj, "past", lang, here, problems, &ok, &local_error);
  if (ok)
    variant->text = parse_form (obj, "text", lang, here, problems, &ok, &local_error);
  if (!ok)
    {
      variant_free (variant);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  variant->valid = has_text ? variant->text != NULL
                            : (variant->present != NULL && variant->past != NULL);
  if (variant->present != NULL && variant->past != NULL &&
      strcmp (variant->present->source, variant->past->source) == 0)
    {
      g_ptr_array_add (problems,
                       g_strdup_printf ("%s: “present” and “past” are equal; use “text”", here));
      variant->valid = FALSE;
    }

  if (json_object_has_member (obj, "kinds"))
    {
      JsonNode *kinds = json_object_get_member (obj, "kinds");
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (kinds) ||
          json_array_get_length (array = json_node_get_array (kinds)) == 0)
        {
          variant_free (variant);
          format_error (error, here, "“kinds” must be a non-empty array of kind names");
          return NULL;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *k = json_array_get_element (array, i);
          ZgCertificateKind kind;

          if (!JSON_NODE_HOLDS_VALUE (k) || json_node_get_value_type (k) != G_TYPE_STRING ||
              !zg_kind_from_key (json_node_get_string (k), &kind))
            {
              variant_free (variant);
              format_error (error, here, "unknown certificate kind in “kinds”");
              return NULL;
            }
          variant->kinds |= 1u << kind;
        }
    }
  if (json_object_has_member (obj, "roles"))
    {
      JsonNode *roles = json_object_get_member (obj, "roles");
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (roles) ||
          json_array_get_length (array = json_node_get_array (roles)) == 0)
        {
          variant_free (variant);
          format_error (error, here, "“roles” must be a non-empty array of role names");
          return NULL;
        }
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *r = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (r) || json_node_get_value_type (r) != G_TYPE_STRING ||
              strcmp (json_node_get_string (r), "manager") != 0)
            {
              variant_free (variant);
              format_error (error, here, "unknown role in “roles” (known: “manager”)");
              return NULL;
            }
          variant->roles |= ZG_ROLE_MANAGER;
        }
    }
  return variant;
}

static gboolean
parse_grade_key (const char *key,
                 int        *grade)
{
  if (key[0] >= '1' && key[0] <= '5' && key[1] == '\0')
    {
      *grade = key[0] - '0';
      return TRUE;
    }
  return FALSE;
}

static gboolean
parse_variant_list (ZgSlot      *slot,
                    JsonNode    *node,
                    const char  *reason,
                    int          grade,
                    int          lang,
                    const char  *where,
                    gboolean     is_layer,
                    GPtrArray   *problems,
                    GError     **error)
{
  GPtrArray *group;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return format_error (error, where, "expected an array of variants");
  array = json_node_get_array (node);
  group = slot_ensure_group (slot, reason, grade);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      ZgVariant *variant = variant_from_json (json_array_get_element (array, i), lang, where,
                                              is_layer, problems, error);

      if (variant == NULL)
        return FALSE;
      g_ptr_array_add (group, variant);
    }
  return TRUE;
}

static gboolean
parse_grades (ZgSlot      *slot,
              JsonNode    *node,
              const char  *reason,
              int          lang,
              const char  *where,
              gboolean     is_layer,
              GPtrArray   *problems,
              GError     **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return format_error (error, where, "“grades” must be an object “1”…“5”");
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      g_autofree char *here = g_strdup_printf ("%s grade %s", where, name);
      int grade;

      if (!parse_grade_key (name, &grade))
        return format_error (error, where, "grade “%s” is not one of 1–5", name);
      if (!parse_variant_list (slot, value, reason, grade, lang, here, is_layer, problems, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
valid_slot_name (const char *s)
{
  return valid_id (s) && strlen (s) <= 64;
}

/* One slot file. */
static ZgSlot *
slot_from_json (JsonNode    *node,
                const char  *origin,
                const char  *expect_language,
                gboolean     is_layer,
                gboolean    *replace,
                GPtrArray   *problems,
                GError     **error)
{
  static const char *const members[] = {
    "slot", "language", "grades", "variants", "reasons", "replace", "comment", NULL
  };
  g_autoptr(ZgSlot) slot = NULL;
  g_autofree char *where = NULL;
  JsonObjectIter iter;
  const char *name, *slot_name, *language;
  JsonNode *value;
  JsonObject *obj;
  int lang;
  guint shapes = 0;

  *replace = FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      format_error (error, origin, "a phrase file must be a JSON object");
      return NULL;
    }
  obj = json_node_get_object (node);
  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &name, &value))
    if (!g_strv_contains (members, name) || (!is_layer && strcmp (name, "replace") == 0))
      {
        format_error (error, origin, "unknown member “%s”", name);
        return NULL;
      }
  slot_name = get_string_member (obj, "slot");
  language = get_string_member (obj, "language");
  if (slot_name == NULL || !valid_slot_name (slot_name))
    {
      format_error (error, origin, "missing or invalid “slot”");
      return NULL;
    }
  lang = zg_language_index (language);
  if (lang < 0)
    {
      format_error (error, origin, "“language” must be “de” or “en”");
      return NULL;
    }
  if (expect_language != NULL && strcmp (expect_language, language) != 0)
    {
      format_error (error, origin, "“language” is “%s” but the file is in the “%s” folder",
                    language, expect_language);
      return NULL;
    }
  if (json_object_has_member (obj, "replace"))
    {
      JsonNode *r = json_object_get_member (obj, "replace");

      if (!JSON_NODE_HOLDS_VALUE (r) || json_node_get_value_type (r) != G_TYPE_BOOLEAN)
        {
          format_error (error, origin, "“replace” must be true or false");
          return NULL;
        }
      *replace = json_node_get_boolean (r);
    }

  slot = g_new0 (ZgSlot, 1);
  slot->slot = g_strdup (slot_name);
  slot->language = g_strdup (language);
  slot->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  where = g_strdup_printf ("%s/%s", language, slot_name);

  if ((value = json_object_get_member (obj, "grades")) != NULL)
    {
      shapes++;
      slot->graded = TRUE;
      if (!parse_grades (slot, value, NULL, lang, where, is_layer, problems, error))
        return NULL;
    }
  if ((value = json_object_get_member (obj, "variants")) != NULL)
    {
      shapes++;
      if (!parse_variant_list (slot, value, NULL, 0, lang, where, is_layer, problems, error))
        return NULL;
    }
  if ((value = json_object_get_member (obj, "reasons")) != NULL)
    {
      JsonNode *rvalue;
      const char *reason;

      shapes++;
      slot->by_reason = TRUE;
      if (!JSON_NODE_HOLDS_OBJECT (value))
        {
          format_error (error, where, "“reasons” must be an object");
          return NULL;
        }
      json_object_iter_init (&iter, json_node_get_object (value));
      while (json_object_iter_next (&iter, &reason, &rvalue))
        {
          g_autofree char *here = g_strdup_printf ("%s reason %s", where, reason);

          if (!valid_slot_name (reason))
            {
              format_error (error, where, "invalid reason key “%s”", reason);
              return NULL;
            }
          if (JSON_NODE_HOLDS_OBJECT (rvalue))
            {
              slot->graded = TRUE;
              if (!parse_grades (slot, rvalue, reason, lang, here, is_layer, problems, error))
                return NULL;
            }
          else if (!parse_variant_list (slot, rvalue, reason, 0, lang, here, is_layer, problems,
                                        error))
            return NULL;
        }
    }
  if (shapes != 1)
    {
      format_error (error, where, "needs exactly one of “grades”, “variants”, “reasons”");
      return NULL;
    }
  return g_steal_pointer (&slot);
}

static JsonNode *
parse_json_file (const char  *path,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  if (length > MAX_FILE_SIZE)
    {
      g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_IO, "%s: file too large", path);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, contents, (gssize) length, &local_error))
    {
      g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_PARSE, "%s: %s", path,
                   local_error->message);
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Sorted *.json file names of a directory; a missing directory is empty. */
static GPtrArray *
list_json_files (const char  *dir,
                 GError     **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) d = NULL;
  const char *name;

  d = g_dir_open (dir, 0, &local_error);
  if (d == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&files);
      g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json") && name[0] != '.')
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (files, compare_strings);
  return g_steal_pointer (&files);
}

/* ---- the library ---- */

static char *
slot_key (const char *language,
          const char *slot)
{
  return g_strdup_printf ("%s/%s", language, slot);
}

static ZgPhraseLibrary *
library_new (void)
{
  ZgPhraseLibrary *lib = g_new0 (ZgPhraseLibrary, 1);

  lib->slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, slot_free);
  lib->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lib->problems = g_ptr_array_new_with_free_func (g_free);
  return lib;
}

void
zg_phrase_library_free (ZgPhraseLibrary *lib)
{
  if (lib == NULL)
    return;
  g_hash_table_unref (lib->slots);
  g_hash_table_unref (lib->ids);
  g_ptr_array_unref (lib->problems);
  for (guint i = 0; i < G_N_ELEMENTS (lib->analysis); i++)
    zg_analysis_data_free (lib->analysis[i]);
  g_free (lib);
}

const ZgSlot *
zg_phrase_library_get_slot (const ZgPhraseLibrary *lib,
                            const char            *language,
                            const char            *slot)
{
  char key[160];

  g_snprintf (key, sizeof key, "%s/%s", language, slot);
  return g_hash_table_lookup (lib->slots, key);
}

/* Rebuild the id index (duplicates are reported by validate). */
static void
library_reindex (ZgPhraseLibrary *lib)
{
  GHashTableIter siter;
  gpointer key, value;

  g_hash_table_remove_all (lib->ids);
  g_hash_table_iter_init (&siter, lib->slots);
  while (g_hash_table_iter_next (&siter, &key, &value))
    {
      ZgSlot *slot = value;
      GHashTableIter giter;
      gpointer gvalue;

      g_hash_table_iter_init (&giter, slot->groups);
      while (g_hash_table_iter_next (&giter, NULL, &gvalue))
        {
          GPtrArray *group = gvalue;

          for (guint i = 0; i < group->len; i++)
            {
              ZgVariant *variant = g_ptr_array_index (group, i);
              char *id_key = g_strdup_printf ("%s/%s", slot->language, variant->id);

              if (g_hash_table_contains (lib->ids, id_key))
                g_free (id_key);
              else
                g_hash_table_insert (lib->ids, id_key, variant);
            }
        }
    }
}

static gboolean
load_language_dir (GHashTable  *slots,
                   const char  *dir,
                   const char  *language,
                   GPtrArray   *problems,
                   GError     **error)
{
  g_autoptr(GPtrArray) files = list_json_files (dir, error);

  if (files == NULL)
    return FALSE;
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autoptr(JsonNode) root = parse_json_file (path, error);
      ZgSlot *slot;
      char *key;
      gboolean replace;

      if (root == NULL)
        return FALSE;
      slot = slot_from_json (root, path, language, FALSE, &replace, problems, error);
      if (slot == NULL)
        return FALSE;
      key = slot_key (language, slot->slot);
      if (g_hash_table_contains (slots, key))
        {
          g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT,
                       "%s: slot “%s” is defined twice", path, slot->slot);
          slot_free (slot);
          g_free (key);
          return FALSE;
        }
      g_hash_table_insert (slots, key, slot);
    }
  return TRUE;
}

const char *
zg_phrase_library_default_datadir (void)
{
  static gsize once = 0;
  static char *datadir = NULL;

  if (g_once_init_enter (&once))
    {
      const char *env = g_getenv ("ZG_DATADIR");
      char *dir;

      if (env != NULL && *env != '\0')
        dir = g_strdup (env);
      else if (g_file_test (ZG_SOURCE_DATADIR "/phrases", G_FILE_TEST_IS_DIR))
        dir = g_strdup (ZG_SOURCE_DATADIR);
      else
        dir = g_strdup (PKGDATADIR);
      datadir = dir;
      g_once_init_leave (&once, 1);
    }
  return datadir;
}

ZgPhraseLibrary *
zg_phrase_library_load (const char  *datadir,
                        GError     **error)
{
  g_autoptr(ZgPhraseLibrary) lib = library_new ();

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (datadir == NULL)
    datadir = zg_phrase_library_default_datadir ();
  if (!g_file_test (datadir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_IO,
                   "Data directory “%s” does not exist", datadir);
      return NULL;
    }
  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autofree char *dir = g_build_filename (datadir, "phrases", languages[i], NULL);

      if (!load_language_dir (lib->slots, dir, languages[i], lib->problems, error))
        return NULL;
    }
  library_reindex (lib);
  if (!zg_analysis_data_load (lib, datadir, error))
    return NULL;
  zg_analysis_index_phrases (lib);
  return g_steal_pointer (&lib);
}

/* ---- layers (R-APP-6) ---- */

static ZgSlot *
slot_copy_structure (const ZgSlot *src)
{
  ZgSlot *slot = g_new0 (ZgSlot, 1);

  slot->slot = g_strdup (src->slot);
  slot->language = g_strdup (src->language);
  slot->graded = src->graded;
  slot->by_reason = src->by_reason;
  slot->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  return slot;
}

static ZgVariant *
find_variant (GHashTable  *groups,
              const char  *id,
              GPtrArray  **out_group,
              guint       *out_index)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GPtrArray *group = value;

      for (guint i = 0; i < group->len; i++)
        {
          ZgVariant *variant = g_ptr_array_index (group, i);

          if (strcmp (variant->id, id) == 0)
            {
              *out_group = group;
              *out_index = i;
              return variant;
            }
        }
    }
  return NULL;
}

/* Moves the layer's variants into target (which the caller owns). */
static gboolean
slot_merge (ZgSlot      *target,
            ZgSlot      *layer,
            gboolean     replace,
            GError     **error)
{
  GHashTableIter iter;
  gpointer key, value;

  if (target->graded != layer->graded || target->by_reason != layer->by_reason)
    return format_error (error, layer->slot, "the layer's shape (grades/variants/reasons) "
                         "differs from the default slot");
  if (replace)
    g_hash_table_remove_all (target->groups);

  g_hash_table_iter_init (&iter, layer->groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *lgroup = value;
      const char *gkey = key;
      GPtrArray *tgroup = g_hash_table_lookup (target->groups, gkey);

      if (tgroup == NULL)
        {
          tgroup = g_ptr_array_new_with_free_func (variant_free);
          g_hash_table_insert (target->groups, g_strdup (gkey), tgroup);
        }
      while (lgroup->len > 0)
        {
          ZgVariant *variant = g_ptr_array_steal_index (lgroup, 0);
          gboolean disabled = variant->present == NULL && variant->past == NULL &&
                              variant->text == NULL;
          GPtrArray *old_group = NULL;
          guint old_index = 0;
          ZgVariant *old = find_variant (target->groups, variant->id, &old_group, &old_index);

          if (disabled)
            {
              if (old != NULL)
                g_ptr_array_remove_index (old_group, old_index);
              variant_free (variant);
            }
          else if (old != NULL && old_group == tgroup)
            {
              variant_free (g_steal_pointer (&tgroup->pdata[old_index]));
              tgroup->pdata[old_index] = variant;
            }
          else
            {
              if (old != NULL)
                g_ptr_array_remove_index (old_group, old_index);
              g_ptr_array_add (tgroup, variant);
            }
        }
    }
  return TRUE;
}

static ZgSlot *
slot_deep_copy (const ZgSlot *src)
{
  ZgSlot *slot = slot_copy_structure (src);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, src->groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *group = value;
      GPtrArray *copy = g_ptr_array_new_with_free_func (variant_free);

      for (guint i = 0; i < group->len; i++)
        {
          const ZgVariant *v = g_ptr_array_index (group, i);
          ZgVariant *c = g_new0 (ZgVariant, 1);
          g_autofree char *problem = NULL;
          int lang = zg_language_index (src->language);

          c->id = g_strdup (v->id);
          c->kinds = v->kinds;
          c->roles = v->roles;
          c->valid = v->valid;
          /* re-parse: templates are immutable and cheap to rebuild */
          if (v->present != NULL)
            c->present = template_parse (v->present->source, lang, &problem);
          g_clear_pointer (&problem, g_free);
          if (v->past != NULL)
            c->past = template_parse (v->past->source, lang, &problem);
          g_clear_pointer (&problem, g_free);
          if (v->text != NULL)
            c->text = template_parse (v->text->source, lang, &problem);
          g_ptr_array_add (copy, c);
        }
      g_hash_table_insert (slot->groups, g_strdup (key), copy);
    }
  return slot;
}

/* Applies layer slots to a copy of the affected slots; commits only when all
 * of them merged and none has a content problem. */
static gboolean
apply_layer (ZgPhraseLibrary  *lib,
             GPtrArray        *layer_slots,   /* ZgSlot* */
             GArray           *replaces,      /* gboolean */
             GPtrArray        *problems,
             const char       *origin,
             GError          **error)
{
  g_autoptr(GHashTable) staged = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (problems->len > 0)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (problems, NULL);
      list = g_strjoinv ("; ", (char **) problems->pdata);
      g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_FORMAT,
                   "Layer %s rejected: %s", origin, list);
      return FALSE;
    }

  staged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, slot_free);
  for (guint i = 0; i < layer_slots->len; i++)
    {
      ZgSlot *layer = g_ptr_array_index (layer_slots, i);
      char *k = slot_key (layer->language, layer->slot);
      ZgSlot *target = g_hash_table_lookup (staged, k);

      if (target == NULL)
        {
          const ZgSlot *existing = g_hash_table_lookup (lib->slots, k);

          target = existing != NULL ? slot_deep_copy (existing) : slot_copy_structure (layer);
          g_hash_table_insert (staged, g_strdup (k), target);
        }
      g_free (k);
      if (!slot_merge (target, layer, g_array_index (replaces, gboolean, i), error))
        return FALSE;
    }

  g_hash_table_iter_init (&iter, staged);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_hash_table_iter_steal (&iter);
      g_hash_table_replace (lib->slots, key, value);
    }
  library_reindex (lib);
  zg_analysis_index_phrases (lib);
  return TRUE;
}

gboolean
zg_phrase_library_add_layer_dir (ZgPhraseLibrary  *lib,
                                 const char       *dir,
                                 GError          **error)
{
  g_autoptr(GPtrArray) layer_slots = g_ptr_array_new_with_free_func (slot_free);
  g_autoptr(GArray) replaces = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (lib != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, ZG_PHRASES_ERROR, ZG_PHRASES_ERROR_IO,
                   "Layer directory “%s” does not exist", dir);
      return FALSE;
    }
  for (guint l = 0; languages[l] != NULL; l++)
    {
      g_autofree char *sub = g_build_filename (dir, languages[l], NULL);
      g_autoptr(GPtrArray) files = list_json_files (sub, error);

      if (files == NULL)
        return FALSE;
      for (guint i = 0; i < files->len; i++)
        {
          g_autoptr(JsonNode) root = parse_json_file (g_ptr_array_index (files, i), error);
          gboolean replace;
          ZgSlot *slot;

          if (root == NULL)
            return FALSE;
          slot = slot_from_json (root, g_ptr_array_index (files, i), languages[l], TRUE,
                                 &replace, problems, error);
          if (slot == NULL)
            return FALSE;
          g_ptr_array_add (layer_slots, slot);
          g_array_append_val (replaces, replace);
        }
    }
  return apply_layer (lib, layer_slots, replaces, problems, dir, error);
}

gboolean
zg_phrase_library_add_layer_json (ZgPhraseLibrary  *lib,
                                  JsonNode         *layer,
                                  GError          **error)
{
  g_autoptr(GPtrArray) layer_slots = g_ptr_array_new_with_free_func (slot_free);
  g_autoptr(GArray) replaces = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  static const char *const members[] = { "layer", "files", "comment", NULL };
  JsonObjectIter iter;
  const char *name, *layer_name;
  JsonNode *value, *files;
  JsonObject *obj;
  JsonArray *array;

  g_return_val_if_fail (lib != NULL, FALSE);
  g_return_val_if_fail (layer != NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (layer))
    return format_error (error, "layer", "must be an object {\"layer\": …, \"files\": […]}");
  obj = json_node_get_object (layer);
  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &name, &value))
    if (!g_strv_contains (members, name))
      return format_error (error, "layer", "unknown member “%s”", name);
  layer_name = get_string_member (obj, "layer");
  files = json_object_get_member (obj, "files");
  if (layer_name == NULL || files == NULL || !JSON_NODE_HOLDS_ARRAY (files))
    return format_error (error, "layer", "needs “layer” (string) and “files” (array)");
  array = json_node_get_array (files);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *origin = g_strdup_printf ("%s files[%u]", layer_name, i);
      gboolean replace;
      ZgSlot *slot = slot_from_json (json_array_get_element (array, i), origin, NULL, TRUE,
                                     &replace, problems, error);

      if (slot == NULL)
        return FALSE;
      g_ptr_array_add (layer_slots, slot);
      g_array_append_val (replaces, replace);
    }
  return apply_layer (lib, layer_slots, replaces, problems, layer_name, error);
}

/* ---- divers openings (German) ---- */

gboolean
zg_template_inversion_point (const ZgTemplate *tpl,
                             gsize            *verb_len)
{
  static const char *const not_verbs[] = { "und", "oder", "sowie", "als", "wie", NULL };
  const ZgToken *subject, *rest;
  const char *word, *end;
  g_autofree char *verb = NULL;

  if (tpl->tokens->len < 2)
    return FALSE;
  subject = g_ptr_array_index (tpl->tokens, 0);
  rest = g_ptr_array_index (tpl->tokens, 1);
  if (subject->kind != ZG_TOKEN_PLACEHOLDER ||
      (subject->placeholder != ZG_PH_ER_CAP && subject->placeholder != ZG_PH_NAME) ||
      rest->kind != ZG_TOKEN_LITERAL || rest->text[0] != ' ' ||
      !g_ascii_islower (rest->text[1]))
    return FALSE;
  /* the finite verb follows the subject (German V2): " zeigte", " zeichnete sich" */
  word = rest->text + 1;
  end = word;
  while (*end != '\0' && *end != ' ' && *end != ',' && *end != '.')
    end++;
  if (*end != ' ' && *end != '\0')
    return FALSE;
  verb = g_strndup (word, end - word);
  if (g_strv_contains (not_verbs, verb))
    return FALSE;
  /* an unstressed pronoun stays before the name: "Zudem verstand es Alex Müller …" */
  if ((g_str_has_prefix (end, " sich") && (end[5] == ' ' || end[5] == '\0')) ||
      (g_str_has_prefix (end, " es") && (end[3] == ' ' || end[3] == ',' || end[3] == '\0')))
    end += g_str_has_prefix (end, " sich") ? 5 : 3;
  *verb_len = end - rest->text;
  return TRUE;
}

ZgTemplate *
zg_template_inverted (const ZgTemplate *tpl,
                      const char       *language)
{
  g_autofree char *problem = NULL;
  g_autofree char *source = NULL;
  const ZgToken *subject, *rest;
  const char *after;
  gsize verb_len;
  ZgTemplate *inverted;

  if (!zg_template_inversion_point (tpl, &verb_len))
    return NULL;
  subject = g_ptr_array_index (tpl->tokens, 0);
  rest = g_ptr_array_index (tpl->tokens, 1);
  after = tpl->source + strlen (zg_placeholder_name (subject->placeholder)) + 2 + verb_len;
  /* {Eintrag} stands for the sentence adverb ("Zudem"): a gap to the analyser */
  source = g_strdup_printf ("{Eintrag}%.*s {%s}%s", (int) verb_len, rest->text,
                            zg_placeholder_name (subject->placeholder), after);
  inverted = template_parse (source, zg_language_index (language), &problem);
  if (inverted != NULL && problem != NULL)
    g_clear_pointer (&inverted, template_free);
  return inverted;
}

void
zg_template_free (ZgTemplate *tpl)
{
  template_free (tpl);
}

/* ---- validation ---- */

static gboolean
problems_has_pair (GPtrArray  *problems,
                   const char *a,
                   const char *b)
{
  for (guint i = 0; i < problems->len; i++)
    {
      const char *p = g_ptr_array_index (problems, i);

      if (strstr (p, a) != NULL && strstr (p, b) != NULL && strstr (p, "reads like") != NULL)
        return TRUE;
    }
  return FALSE;
}

static const char *const required_flat_slots[] = {
  "title", "intro", "stations", "stations-current", "tasks", "additional-tasks", "powers",
  "training", "qualifications", "achievements", "school", NULL
};

static void
check_graded (const ZgSlot *slot,
              const char   *reason,
              guint         minimum,
              GPtrArray    *problems)
{
  for (int grade = 1; grade <= 5; grade++)
    {
      GPtrArray *group = zg_slot_get_group (slot, reason, grade);
      guint general = 0, usable = 0, manager = 0, manager_any = 0;

      for (guint i = 0; group != NULL && i < group->len; i++)
        {
          const ZgVariant *v = g_ptr_array_index (group, i);

          if (!v->valid)
            continue;
          usable++;
          if (v->kinds == 0 && v->roles == 0)
            general++;
          if (v->roles & ZG_ROLE_MANAGER)
            {
              manager_any++;
              if (v->kinds == 0)
                manager++;
            }
        }
      /* role variants replace the general ones for that role, so they need as many */
      if (manager_any > 0 && manager < minimum)
        g_ptr_array_add (problems,
                         g_strdup_printf ("%s/%s grade %d: %u variant(s) for managers, at least "
                                          "%u needed", slot->language, slot->slot, grade,
                                          manager, minimum));
      if (usable == 0 || general < minimum)
        g_ptr_array_add (problems,
                         g_strdup_printf ("%s/%s%s%s grade %d: %u variant(s) for every kind, "
                                          "at least %u needed", slot->language, slot->slot,
                                          reason ? " reason " : "", reason ? reason : "",
                                          grade, general, minimum));
    }
}

static gboolean
utf8_find_ci (const char *haystack_lower,
              const char *needle,
              gsize      *pos)
{
  const char *hit = strstr (haystack_lower, needle);

  if (hit == NULL)
    return FALSE;
  *pos = hit - haystack_lower;
  return TRUE;
}

/* Superiors before colleagues (the conduct sentence's customary order). */
static void
check_conduct_order (const ZgSlot *slot,
                     const char   *source,
                     const char   *id,
                     GPtrArray    *problems)
{
  g_autofree char *lower = g_utf8_strdown (source, -1);
  gboolean de = strcmp (slot->language, "de") == 0;
  const char *sup[] = { "vorgesetzt", "führungskr", "superior", "manager", NULL };
  const char *col[] = { "kolleg", "mitarbeitend", "colleague", "co-worker", "team member", NULL };
  gsize first_sup = G_MAXSIZE, first_col = G_MAXSIZE;

  for (guint i = 0; sup[i] != NULL; i++)
    {
      gsize pos;

      if ((de ? i < 2 : i >= 2) && utf8_find_ci (lower, sup[i], &pos))
        first_sup = MIN (first_sup, pos);
    }
  for (guint i = 0; col[i] != NULL; i++)
    {
      gsize pos;

      if ((de ? i < 2 : i >= 2) && utf8_find_ci (lower, col[i], &pos))
        first_col = MIN (first_col, pos);
    }
  if (first_sup == G_MAXSIZE || first_col == G_MAXSIZE)
    g_ptr_array_add (problems, g_strdup_printf ("%s/%s %s: must name superiors and colleagues",
                                                slot->language, slot->slot, id));
  else if (first_col < first_sup)
    g_ptr_array_add (problems, g_strdup_printf ("%s/%s %s: colleagues named before superiors",
                                                slot->language, slot->slot, id));
}

static void
check_texts (const ZgSlot *slot,
             GHashTable   *seen,
             GHashTable   *seen_ids,
             GPtrArray    *problems)
{
  GHashTableIter iter;
  gpointer value;
  gboolean conduct = strcmp (slot->slot, "rating.verhalten-intern") == 0;

  g_hash_table_iter_init (&iter, slot->groups);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GPtrArray *group = value;

      for (guint i = 0; i < group->len; i++)
        {
          const ZgVariant *v = g_ptr_array_index (group, i);
          const ZgTemplate *forms[] = { v->present, v->past, v->text };
          char *id_key = g_strdup_printf ("%s/%s", slot->language, v->id);

          if (g_hash_table_contains (seen_ids, id_key))
            {
              g_ptr_array_add (problems, g_strdup_printf ("%s/%s: id “%s” is used twice",
                                                          slot->language, slot->slot, v->id));
              g_free (id_key);
            }
          else
            g_hash_table_add (seen_ids, id_key);

          for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
            {
              char *key;

              if (forms[f] == NULL)
                continue;
              key = g_strdup_printf ("%s/%s", slot->language, forms[f]->source);
              if (g_hash_table_contains (seen, key))
                {
                  g_ptr_array_add (problems,
                                   g_strdup_printf ("%s/%s %s: same text as %s", slot->language,
                                                    slot->slot, v->id,
                                                    (const char *) g_hash_table_lookup (seen,
                                                                                         key)));
                  g_free (key);
                }
              else
                g_hash_table_insert (seen, key, v->id);
              if (strcmp (slot->slot, "title") != 0 &&
                  !g_str_has_suffix (forms[f]->source, ".") &&
                  !g_str_has_suffix (forms[f]->source, "!") &&
                  !g_str_has_suffix (forms[f]->source, ":"))
                g_ptr_array_add (problems,
                                 g_strdup_printf ("%s/%s %s: must end with “.”, “!” or “:”",
                                                  slot->language, slot->slot, v->id));
              if (conduct)
                check_conduct_order (slot, forms[f]->source, v->id, problems);
              /* a manager's conduct sentence names the staff as well */
              if (conduct && (v->roles & ZG_ROLE_MANAGER) != 0 &&
                  strstr (forms[f]->source, "Mitarbeit") == NULL &&
                  strstr (forms[f]->source, "staff") == NULL)
                g_ptr_array_add (problems,
                                 g_strdup_printf ("%s/%s %s: a manager's conduct sentence must "
                                                  "name the staff", slot->language, slot->slot,
                                                  v->id));
            }
        }
    }
}

/* The analyser recovers a grade from the literal text of a phrase; two
 * variants with the same literal skeleton for some gender would be
 * indistinguishable; same-grade look-alikes are harmless, any pair is reported
 * because the variant choice would also be ambiguous. */
static void
check_distinguishable (const ZgSlot *slot,
                       GPtrArray    *problems)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int grade = 1; grade <= 5; grade++)
    {
      GPtrArray *group = zg_slot_get_group (slot, NULL, grade);

      for (guint i = 0; group != NULL && i < group->len; i++)
        {
          const ZgVariant *v = g_ptr_array_index (group, i);
          const ZgTemplate *forms[] = { v->present, v->past, v->text };

          if (!v->valid)
            continue;
          for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
            for (int gender = 0; forms[f] != NULL && gender < 3; gender++)
              {
                char *key = zg_template_skeleton (forms[f], gender);
                const ZgVariant *other = g_hash_table_lookup (seen, key);

                if (other == NULL)
                  {
                    g_hash_table_insert (seen, key, (gpointer) v);
                    continue;
                  }
                g_free (key);
                if (other != v && strcmp (other->id, v->id) != 0 &&
                    !problems_has_pair (problems, other->id, v->id))
                  g_ptr_array_add (problems,
                                   g_strdup_printf ("%s/%s %s: reads like %s to the analyser "
                                                    "(same words outside placeholders)",
                                                    slot->language, slot->slot, v->id,
                                                    other->id));
              }
        }
    }
}

GPtrArray *
zg_phrase_library_validate (const ZgPhraseLibrary *lib)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) keys = NULL;

  g_return_val_if_fail (lib != NULL, NULL);

  for (guint i = 0; i < lib->problems->len; i++)
    g_ptr_array_add (problems, g_strdup (g_ptr_array_index (lib->problems, i)));

  for (guint l = 0; languages[l] != NULL; l++)
    {
      const char *lang = languages[l];
      guint minimum = l == 0 ? 3 : 2;
      const ZgSlot *slot;

      for (guint c = 0; c < ZG_N_CATEGORIES; c++)
        {
          slot = zg_phrase_library_get_slot (lib, lang, zg_category_slot (c));
          if (slot == NULL || !slot->graded || slot->by_reason)
            g_ptr_array_add (problems, g_strdup_printf ("%s/%s: missing (graded slot file)",
                                                        lang, zg_category_slot (c)));
          else
            {
              check_graded (slot, NULL, minimum, problems);
              check_distinguishable (slot, problems);
            }
        }
      slot = zg_phrase_library_get_slot (lib, lang, "overall");
      if (slot == NULL || !slot->graded || slot->by_reason)
        g_ptr_array_add (problems, g_strdup_printf ("%s/overall: missing (graded slot file)",
                                                    lang));
      else
        {
          check_graded (slot, NULL, 1, problems);
          check_distinguishable (slot, problems);
        }
      for (guint i = 0; required_flat_slots[i] != NULL; i++)
        {
          GPtrArray *group;

          slot = zg_phrase_library_get_slot (lib, lang, required_flat_slots[i]);
          group = slot != NULL ? zg_slot_get_group (slot, NULL, 0) : NULL;
          if (group == NULL || group->len == 0)
            g_ptr_array_add (problems, g_strdup_printf ("%s/%s: missing (variants slot file)",
                                                        lang, required_flat_slots[i]));
        }
      slot = zg_phrase_library_get_slot (lib, lang, "closing.formula");
      if (slot == NULL || !slot->by_reason || !slot->graded)
        g_ptr_array_add (problems, g_strdup_printf ("%s/closing.formula: missing", lang));
      else
        {
          GHashTableIter iter;
          gpointer key;
          g_autoptr(GHashTable) reasons = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                                 g_free, NULL);

          g_hash_table_iter_init (&iter, slot->groups);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            g_hash_table_add (reasons, g_strndup (key, strcspn (key, "\x1f")));
          g_hash_table_iter_init (&iter, reasons);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            check_graded (slot, key, 1, problems);
        }
      if (zg_phrase_library_get_slot (lib, lang, "closing.reason") == NULL)
        g_ptr_array_add (problems, g_strdup_printf ("%s/closing.reason: missing", lang));
    }

  keys = g_hash_table_get_keys (lib->slots);
  keys = g_list_sort (keys, (GCompareFunc) strcmp);
  for (const GList *k = keys; k != NULL; k = k->next)
    check_texts (g_hash_table_lookup (lib->slots, k->data), seen, seen_ids, problems);

  return g_steal_pointer (&problems);
}

gboolean
zg_phrase_library_has_slot (const ZgPhraseLibrary *lib,
                            const char            *language,
                            const char            *slot)
{
  g_return_val_if_fail (lib != NULL, FALSE);
  return zg_phrase_library_get_slot (lib, language, slot) != NULL;
}

guint
zg_phrase_library_count_variants (const ZgPhraseLibrary *lib,
                                  const char            *language,
                                  const char            *slot,
                                  const char            *reason,
                                  int                    grade)
{
  const ZgSlot *s;
  GPtrArray *group;
  guint n = 0;

  g_return_val_if_fail (lib != NULL, 0);
  s = zg_phrase_library_get_slot (lib, language, slot);
  if (s == NULL || (group = zg_slot_get_group (s, reason, grade)) == NULL)
    return 0;
  for (guint i = 0; i < group->len; i++)
    if (((const ZgVariant *) g_ptr_array_index (group, i))->valid)
      n++;
  return n;
}

GPtrArray *
zg_phrase_library_list_slots (const ZgPhraseLibrary *lib,
                              const char            *language)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (lib != NULL, list);
  g_hash_table_iter_init (&iter, lib->slots);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const ZgSlot *slot = value;

      if (g_strcmp0 (slot->language, language) == 0)
        g_ptr_array_add (list, g_strdup (slot->slot));
    }
  g_ptr_array_sort (list, compare_strings);
  return list;
}
