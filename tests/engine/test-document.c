/* test-document.c — ZgDocument plain-text layout and the crypto helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-crypto.h"
#include "zg-document.h"

static void
test_document_text (void)
{
  g_autoptr(ZgDocument) doc = zg_document_new ("de");
  g_autofree char *text = NULL;

  doc->title = g_strdup ("Arbeitszeugnis");
  zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "intro", "Frau Jana Müller war bei uns tätig.");
  zg_document_add_block (doc, ZG_BLOCK_LIST_ITEM, "tasks", "Buchhaltung");
  zg_document_add_block (doc, ZG_BLOCK_LIST_ITEM, "tasks", "Lohnabrechnung");
  zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "rating.arbeitsweise",
                         "Sie arbeitete stets sorgfältig.");
  zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "overall",
                         "Sie erledigte ihre Aufgaben stets zur vollsten Zufriedenheit.")
    ->continues_paragraph = TRUE;
  zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "closing.reason", "Sie verlässt uns.");
  zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "closing.formula",
                         "Wir wünschen ihr alles Gute.")->continues_paragraph = TRUE;
  /* a continuation right after a list starts a new paragraph */
  zg_document_add_block (doc, ZG_BLOCK_LIST_ITEM, "training", "Kurs");
  zg_document_add_block (doc, ZG_BLOCK_PARAGRAPH, "x", "Ende.")->continues_paragraph = TRUE;
  doc->place_date = g_strdup ("Köln, 30. Juni 2026");
  zg_document_add_signatory (doc, "Dr. Erika Groß", "Geschäftsführerin");

  text = zg_document_to_text (doc);
  g_assert_cmpstr (text, ==,
                   "Arbeitszeugnis\n\n"
                   "Frau Jana Müller war bei uns tätig.\n\n"
                   "- Buchhaltung\n- Lohnabrechnung\n\n"
                   "Sie arbeitete stets sorgfältig. "
                   "Sie erledigte ihre Aufgaben stets zur vollsten Zufriedenheit.\n\n"
                   "Sie verlässt uns. Wir wünschen ihr alles Gute.\n\n"
                   "- Kurs\n\n"
                   "Ende.\n\n"
                   "Köln, 30. Juni 2026\n\n"
                   "Dr. Erika Groß\nGeschäftsführerin\n");
}

static void
test_crypto_tokens (void)
{
  g_autofree char *a = zg_random_token ();
  g_autofree char *b = zg_random_token ();
  g_autofree char *h = zg_sha256_hex_str ("abc");
  guint8 raw[4];

  /* 32 bytes base64url without padding = 43 characters */
  g_assert_cmpuint (strlen (a), ==, 43);
  g_assert_cmpstr (a, !=, b);
  g_assert_null (strpbrk (a, "+/="));
  g_assert_cmpstr (h, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_true (zg_constant_time_str_equal (h, h));
  g_assert_false (zg_constant_time_str_equal (a, b));
  g_assert_false (zg_constant_time_str_equal (a, NULL));
  g_assert_true (zg_hex_decode ("00ff10aB", raw, sizeof raw));
  g_assert_cmpuint (raw[1], ==, 0xff);
  g_assert_cmpuint (raw[3], ==, 0xab);
  g_assert_false (zg_hex_decode ("00ff10a", raw, sizeof raw));
  g_assert_false (zg_hex_decode ("00ff10ag", raw, sizeof raw));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/Zeugnis/Shared/Document/plain-text-paragraphs", test_document_text);
  g_test_add_func ("/Zeugnis/Shared/Crypto/tokens", test_crypto_tokens);
  return g_test_run ();
}
