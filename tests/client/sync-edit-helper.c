/* sync-edit-helper.c — makes one local edit in a cache and waits to be killed
 *
 * Used by test-sync-engine's kill -9 test: the edit is committed (cache + outbox in one
 * transaction), "edited" is printed, and the process waits until the test sends SIGKILL,
 * so nothing after the commit (no close, no flush) runs.
 *
 *   sync-edit-helper CACHE KEY-HEX ENTITY ID FIELD-PATH JSON-VALUE
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "zg-cache.h"
#include "zg-outbox.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZgCacheKey) key = NULL;
  g_autoptr(ZgCache) cache = NULL;
  g_autoptr(JsonObject) changes = NULL;
  JsonNode *value;
  gsize len = 0;
  guint8 *raw;

  if (argc != 7)
    {
      g_printerr ("usage: %s CACHE KEY-HEX ENTITY ID FIELD-PATH JSON-VALUE\n", argv[0]);
      return 2;
    }
  raw = g_malloc0 (strlen (argv[2]) / 2 + 1);
  for (const char *p = argv[2]; p[0] != '\0' && p[1] != '\0'; p += 2)
    raw[len++] = (guint8) ((g_ascii_xdigit_value (p[0]) << 4) | g_ascii_xdigit_value (p[1]));
  key = zg_cache_key_new_from_bytes (raw, len);
  g_free (raw);
  if (key == NULL)
    {
      g_printerr ("bad key\n");
      return 2;
    }
  cache = zg_cache_open (argv[1], key, &error);
  if (cache == NULL)
    {
      g_printerr ("open: %s\n", error->message);
      return 1;
    }
  value = json_from_string (argv[6], &error);
  if (value == NULL)
    {
      g_printerr ("value: %s\n", error->message);
      return 2;
    }
  changes = json_object_new ();
  json_object_set_member (changes, argv[5], value);
  if (zg_cache_local_edit (cache, argv[3], argv[4], changes, &error) <= 0)
    {
      g_printerr ("edit: %s\n", error->message);
      return 1;
    }
  printf ("edited\n");
  fflush (stdout);
  for (;;)
    g_usleep (G_USEC_PER_SEC);
  return 0;
}
