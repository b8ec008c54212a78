/* zg-document.c — a generated certificate as structured blocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "zg-document.h"

static void
zg_block_free (gpointer data)
{
  ZgBlock *block = data;

  g_free (block->section);
  g_free (block->text);
  g_free (block->variant_id);
  g_free (block);
}

static void
zg_signatory_free (gpointer data)
{
  ZgSignatory *sig = data;

  g_free (sig->name);
  g_free (sig->function);
  g_free (sig);
}

ZgDocument *
zg_document_new (const char *language)
{
  ZgDocument *doc = g_new0 (ZgDocument, 1);

  doc->language = g_strdup (language ? language : "de");
  doc->blocks = g_ptr_array_new_with_free_func (zg_block_free);
  doc->signatories = g_ptr_array_new_with_free_func (zg_signatory_free);
  doc->fallback_slots = g_ptr_array_new_with_free_func (g_free);
  return doc;
}

void
zg_document_free (ZgDocument *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->language);
  g_free (doc->title);
  g_ptr_array_unref (doc->blocks);
  g_free (doc->place_date);
  g_ptr_array_unref (doc->signatories);
  g_free (doc->company_name);
  g_strfreev (doc->company_address);
  g_free (doc->subject_name);
  g_ptr_array_unref (doc->fallback_slots);
  g_free (doc);
}

ZgBlock *
zg_document_add_block (ZgDocument  *doc,
                       ZgBlockKind  kind,
                       const char  *section,
                       const char  *text)
{
  ZgBlock *block;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  block = g_new0 (ZgBlock, 1);
  block->kind = kind;
  block->section = g_strdup (section);
  block->text = g_strdup (text);
  g_ptr_array_add (doc->blocks, block);
  return block;
}

void
zg_document_add_signatory (ZgDocument *doc,
                           const char *name,
                           const char *function)
{
  ZgSignatory *sig;

  g_return_if_fail (doc != NULL);

  sig = g_new0 (ZgSignatory, 1);
  sig->name = g_strdup (name ? name : "");
  sig->function = g_strdup (function ? function : "");
  g_ptr_array_add (doc->signatories, sig);
}

/* Plain text: title, blank line, paragraphs separated by blank lines (a block
 * that continues a paragraph joins it after a space), list items as "- " lines
 * grouped together, then place/date and the signatories. */
char *
zg_document_to_text (const ZgDocument *doc)
{
  GString *out;
  gboolean in_list = FALSE;

  g_return_val_if_fail (doc != NULL, NULL);

  out = g_string_new (NULL);
  if (doc->title)
    g_string_append_printf (out, "%s\n\n", doc->title);
  for (guint i = 0; i < doc->blocks->len; i++)
    {
      const ZgBlock *block = g_ptr_array_index (doc->blocks, i);

      if (block->kind == ZG_BLOCK_LIST_ITEM)
        {
          g_string_append_printf (out, "- %s\n", block->text);
          in_list = TRUE;
          continue;
        }
      if (in_list)
        g_string_append_c (out, '\n');
      else if (block->continues_paragraph && i > 0 && g_str_has_suffix (out->str, "\n\n"))
        {
          g_string_truncate (out, out->len - 2);
          g_string_append_c (out, ' ');
        }
      in_list = FALSE;
      g_string_append_printf (out, "%s\n\n", block->text);
    }
  if (in_list)
    g_string_append_c (out, '\n');
  if (doc->place_date)
    g_string_append_printf (out, "%s\n\n", doc->place_date);
  for (guint i = 0; i < doc->signatories->len; i++)
    {
      const ZgSignatory *sig = g_ptr_array_index (doc->signatories, i);

      g_string_append_printf (out, "%s\n", sig->name);
      if (sig->function[0])
        g_string_append_printf (out, "%s\n", sig->function);
      g_string_append_c (out, '\n');
    }
  while (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}
