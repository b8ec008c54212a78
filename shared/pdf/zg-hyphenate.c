/* zg-hyphenate.c — hyphenation points for justified text (libhyphen patterns)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <hyphen.h>

#include "zg-hyphenate.h"

/* Short words are never split: a hyphen in a six-letter word saves almost
 * nothing and reads badly in a formal letter. */
#define MIN_WORD_CHARS 6
#define LEFT_MIN 2
#define RIGHT_MIN 3
/* Bounded so that rendering thousands of letters keeps memory flat. */
#define MAX_CACHE_ENTRIES 20000

struct _ZgHyphenator
{
  HyphenDict *dict;
  GHashTable *cache;   /* word -> word with soft hyphens */
};

char *
zg_hyphenator_dict_path_for_language (const char *language)
{
  static const char *const de[] = { "hyph_de_DE.dic", "hyph_de.dic", NULL };
  static const char *const en[] = { "hyph_en_GB.dic", "hyph_en_US.dic", "hyph_en.dic", NULL };
  const char *const *names = NULL;
  const char *dir = g_getenv ("ZG_HYPHEN_DIR");

  g_return_val_if_fail (language != NULL, NULL);

  if (g_str_has_prefix (language, "de"))
    names = de;
  else if (g_str_has_prefix (language, "en"))
    names = en;
  else
    return NULL;

  if (dir == NULL || dir[0] == '\0')
    dir = HYPHEN_DICT_DIR;
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

/* A pattern that occurs twice (the German TeX set has 67 such letter
 * sequences) replaces the first inside libhyphen, which then leaks the
 * first; keeping only the last occurrence gives the same automaton.
 * Comment and blank lines are dropped. */
static char *
drop_repeated_patterns (const char *patterns)
{
  g_auto(GStrv) lines = g_strsplit (patterns, "\n", -1);
  g_autoptr(GHashTable) last = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GString *out = g_string_sized_new (strlen (patterns));
  guint n = g_strv_length (lines);
  char **keys = g_new0 (char *, n + 1);

  /* Line 0 is the charset; upper-case lines are directives (LEFTHYPHENMIN, ...). */
  for (guint i = 1; i < n; i++)
    {
      const char *line = lines[i];
      GString *key;

      if (line[0] == '%' || g_ascii_isupper (line[0]))
        continue;
      /* libhyphen only knows '%' comments and reads "# ..." lines and blank
       * lines as (useless, repeated) patterns; '#' never occurs in a word. */
      if (line[0] == '#' || (guchar) line[0] <= ' ')
        {
          keys[i] = g_strdup ("#");
          continue;
        }
      key = g_string_new (NULL);
      /* The letters as libhyphen reads them: up to a '/' or a control/space byte. */
      for (const char *c = line; (guchar) *c > ' ' && *c != '/'; c++)
        if (!g_ascii_isdigit (*c))
          g_string_append_c (key, *c);
      keys[i] = g_string_free (key, FALSE);
      g_hash_table_replace (last, g_strdup (keys[i]), GUINT_TO_POINTER (i));
    }
  for (guint i = 0; i < n; i++)
    {
      if (keys[i] != NULL && (g_str_equal (keys[i], "#") ||
                              GPOINTER_TO_UINT (g_hash_table_lookup (last, keys[i])) != i))
        continue;
      g_string_append (out, lines[i]);
      if (i + 1 < n)
        g_string_append_c (out, '\n');
    }
  for (guint i = 0; i < n; i++)
    g_free (keys[i]);
  g_free (keys);
  return g_string_free (out, FALSE);
}

/* The Debian German file has two levels: a list of ~69,000 compounds, then
 * (after NEXTLEVEL) the TeX syllable patterns. libhyphen needs seconds and
 * ~40 MB to build the automaton of the first level, so only the TeX
 * patterns are loaded (milliseconds, the hyphenation LaTeX uses); files
 * without NEXTLEVEL are loaded whole. */
static HyphenDict *
load_patterns (const char  *path,
               GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *buffer = NULL;
  const char *next_level;
  const char *first_nl;
  HyphenDict *dict = NULL;
  gsize len = 0;
  FILE *f;

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  first_nl = memchr (contents, '\n', len);
  next_level = g_strstr_len (contents, (gssize) len, "\nNEXTLEVEL");
  if (first_nl != NULL && next_level != NULL)
    {
      const char *rest = strchr (next_level + 1, '\n');

      buffer = g_strdup_printf ("%.*s%s", (int) (first_nl - contents + 1), contents,
                                rest != NULL ? rest + 1 : "");
    }
  else
    buffer = g_steal_pointer (&contents);

  {
    char *deduplicated = drop_repeated_patterns (buffer);

    g_free (buffer);
    buffer = deduplicated;
  }
  f = fmemopen (buffer, strlen (buffer), "r");
  if (f != NULL)
    {
      dict = hnj_hyphen_load_file (f);
      fclose (f);
    }
  if (dict == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "Cannot load hyphenation patterns from %s", path);
  return dict;
}

ZgHyphenator *
zg_hyphenator_new (const char  *dict_path,
                   GError     **error)
{
  ZgHyphenator *self;
  HyphenDict *dict;

  g_return_val_if_fail (dict_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dict = load_patterns (dict_path, error);
  if (dict == NULL)
    return NULL;

  self = g_new0 (ZgHyphenator, 1);
  self->dict = dict;
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

ZgHyphenator *
zg_hyphenator_new_for_language (const char  *language,
                                GError     **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (language != NULL, NULL);

  path = zg_hyphenator_dict_path_for_language (language);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "No hyphenation patterns installed for language “%s”", language);
      return NULL;
    }
  return zg_hyphenator_new (path, error);
}

void
zg_hyphenator_free (ZgHyphenator *hyphenator)
{
  if (hyphenator == NULL)
    return;
  hnj_hyphen_free (hyphenator->dict);
  g_hash_table_unref (hyphenator->cache);
  g_free (hyphenator);
}

static void
free_hyphen_extras (char **rep,
                    int   *pos,
                    int   *cut,
                    gsize  len)
{
  if (rep != NULL)
    {
      for (gsize i = 0; i < len; i++)
        free (rep[i]);
      free (rep);
    }
  free (pos);
  free (cut);
}

/* Returns a boolean per character of @word: TRUE = a break is allowed after it. */
static gboolean *
compute_break_points (ZgHyphenator *self,
                      const char   *word,
                      glong         n_chars)
{
  GString *lower = g_string_new (NULL);
  g_autofree char *encoded = NULL;
  g_autofree char *hyphens = NULL;
  gboolean *breaks = NULL;
  char **rep = NULL;
  int *pos = NULL;
  int *cut = NULL;
  gsize len;

  for (const char *p = word; *p; p = g_utf8_next_char (p))
    g_string_append_unichar (lower, g_unichar_tolower (g_utf8_get_char (p)));

  if (self->dict->utf8)
    {
      encoded = g_string_free (lower, FALSE);
      len = strlen (encoded);
    }
  else
    {
      /* Single-byte pattern files (the German ones are ISO-8859-1): one byte
       * per character, words outside the charset are left unhyphenated. */
      encoded = g_convert (lower->str, (gssize) lower->len, self->dict->cset, "UTF-8", NULL, &len,
                           NULL);
      g_string_free (lower, TRUE);
      if (encoded == NULL || len != (gsize) n_chars)
        return NULL;
    }

  hyphens = g_malloc0 (len + 5);
  if (hnj_hyphen_hyphenate3 (self->dict, encoded, (int) len, hyphens, NULL, &rep, &pos, &cut,
                             LEFT_MIN, RIGHT_MIN, LEFT_MIN, RIGHT_MIN) != 0)
    {
      free_hyphen_extras (rep, pos, cut, len);
      return NULL;
    }

  breaks = g_new0 (gboolean, n_chars);
  for (gsize b = 0, ci = 0; b < len; b++)
    {
      /* Count characters: in UTF-8 only lead bytes start one. */
      if (self->dict->utf8 && ((guchar) encoded[b] & 0xC0) == 0x80)
        continue;
      /* Find the last byte of this character. */
      {
        gsize last = b;

        if (self->dict->utf8)
          while (last + 1 < len && ((guchar) encoded[last + 1] & 0xC0) == 0x80)
            last++;
        /* Non-standard breaks (rep) would change the spelling: skip them. */
        if ((hyphens[last] & 1) && (rep == NULL || rep[last] == NULL) && ci + 1 < (gsize) n_chars)
          breaks[ci] = TRUE;
      }
      ci++;
    }
  free_hyphen_extras (rep, pos, cut, len);

  /* The German compound patterns sometimes mark two neighbouring points
   * ("so-zi-a-l-ver"); a one-letter piece is never right, keep the first. */
  for (glong i = 0, last = -1; i < n_chars; i++)
    if (breaks[i])
      {
        if (i - last < 2)
          breaks[i] = FALSE;
        else
          last = i;
      }
  return breaks;
}

char *
zg_hyphenator_hyphenate_word (ZgHyphenator *hyphenator,
                              const char   *word)
{
  g_autofree gboolean *breaks = NULL;
  const char *cached;
  GString *out;
  glong n_chars;
  glong ci = 0;

  g_return_val_if_fail (hyphenator != NULL, NULL);
  g_return_val_if_fail (word != NULL, NULL);

  n_chars = g_utf8_strlen (word, -1);
  if (n_chars < MIN_WORD_CHARS || n_chars > 90)
    return g_strdup (word);

  cached = g_hash_table_lookup (hyphenator->cache, word);
  if (cached != NULL)
    return g_strdup (cached);

  breaks = compute_break_points (hyphenator, word, n_chars);
  out = g_string_sized_new (strlen (word) + 8);
  for (const char *p = word; *p; p = g_utf8_next_char (p), ci++)
    {
      g_string_append_unichar (out, g_utf8_get_char (p));
      if (breaks != NULL && breaks[ci])
        g_string_append (out, ZG_SOFT_HYPHEN);
    }

  if (g_hash_table_size (hyphenator->cache) >= MAX_CACHE_ENTRIES)
    g_hash_table_remove_all (hyphenator->cache);
  g_hash_table_insert (hyphenator->cache, g_strdup (word), g_strdup (out->str));
  return g_string_free (out, FALSE);
}

/* Tokens that look like addresses, numbers or codes are left whole. */
static gboolean
token_is_hyphenatable (const char *token,
                       gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      char c = token[i];

      if (c == '@' || c == '/' || c == '\\' || c == '_' || g_ascii_isdigit (c))
        return FALSE;
    }
  if (len >= 4 && g_ascii_strncasecmp (token, "www.", 4) == 0)
    return FALSE;
  return g_strstr_len (token, (gssize) len, ZG_SOFT_HYPHEN) == NULL;
}

/* A name, or its genitive ("Großmanns"), stays whole. */
static gboolean
is_protected (const char *const *protected_words,
              const char        *word)
{
  gsize len = strlen (word);

  for (guint i = 0; protected_words != NULL && protected_words[i] != NULL; i++)
    {
      gsize plen = strlen (protected_words[i]);

      if (plen > 0 && plen <= len && len - plen <= 1 &&
          strncmp (word, protected_words[i], plen) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
append_token (ZgHyphenator       *self,
              GString            *out,
              const char         *token,
              gsize               len,
              const char * const *protected_words)
{
  const char *end = token + len;
  const char *p = token;

  if (!token_is_hyphenatable (token, len))
    {
      g_string_append_len (out, token, (gssize) len);
      return;
    }

  while (p < end)
    {
      const char *run = p;

      while (p < end && g_unichar_isalpha (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p > run)
        {
          g_autofree char *word = g_strndup (run, p - run);

          if (is_protected (protected_words, word))
            g_string_append (out, word);
          else
            {
              g_autofree char *hyph = zg_hyphenator_hyphenate_word (self, word);

              g_string_append (out, hyph);
            }
          continue;
        }
      g_string_append_unichar (out, g_utf8_get_char (p));
      p = g_utf8_next_char (p);
    }
}

char *
zg_hyphenator_insert_soft_hyphens (ZgHyphenator       *hyphenator,
                                   const char         *text,
                                   const char * const *protected_words)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (hyphenator != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (text, -1, NULL), NULL);

  out = g_string_sized_new (strlen (text) + strlen (text) / 8);
  p = text;
  while (*p)
    {
      const char *start = p;

      while (*p && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      g_string_append_len (out, start, p - start);
      start = p;
      while (*p && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p > start)
        append_token (hyphenator, out, start, p - start, protected_words);
    }
  return g_string_free (out, FALSE);
}
