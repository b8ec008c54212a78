/* zg-sync-path.c — field paths of the sync protocol on the client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-sync-path.h"

typedef struct
{
  char  *key;     /* NULL for an index */
  guint  index;
} Segment;

static void
segment_free (gpointer data)
{
  Segment *segment = data;

  g_free (segment->key);
  g_free (segment);
}

/* Same grammar as the server (server/records-store.c): everything after
 * "ergebnis.variants." is one key, because sentence slots contain dots. */
static GPtrArray *
parse (const char *path)
{
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func (segment_free);
  const char *p = path;

  if (path == NULL || *path == '\0' || strlen (path) > 512 || !g_utf8_validate (path, -1, NULL))
    return NULL;
  while (*p != '\0')
    {
      const char *end;
      Segment *segment;

      if (segments->len == 2
          && g_strcmp0 (((Segment *) segments->pdata[0])->key, "ergebnis") == 0
          && g_strcmp0 (((Segment *) segments->pdata[1])->key, "variants") == 0)
        end = p + strlen (p);
      else
        end = p + strcspn (p, ".[");
      if (end == p)
        return NULL;
      segment = g_new0 (Segment, 1);
      segment->key = g_strndup (p, (gsize) (end - p));
      g_ptr_array_add (segments, segment);
      p = end;
      while (*p == '[')
        {
          guint64 n;
          char *stop = NULL;

          if (!g_ascii_isdigit (p[1]))
            return NULL;
          n = g_ascii_strtoull (p + 1, &stop, 10);
          if (stop == NULL || *stop != ']' || n > 100000)
            return NULL;
          segment = g_new0 (Segment, 1);
          segment->index = (guint) n;
          g_ptr_array_add (segments, segment);
          p = stop + 1;
        }
      if (*p == '.')
        {
          p++;
          if (*p == '\0')
            return NULL;
        }
      else if (*p != '\0')
        return NULL;
    }
  return g_steal_pointer (&segments);
}

gboolean
zg_sync_path_valid (const char *path)
{
  g_autoptr(GPtrArray) segments = parse (path);

  return segments != NULL;
}

/* The node at @path inside @record, borrowed (valid while the record is unchanged), or NULL
 * when the path is malformed or leads nowhere. The record itself (an empty path) is not a
 * field and has no node of its own. */
JsonNode *
zg_sync_path_lookup (JsonObject *record,
                     const char *path)
{
  g_autoptr(GPtrArray) segments = NULL;
  const Segment *first;
  JsonNode *node;

  g_return_val_if_fail (record != NULL, NULL);

  segments = parse (path);
  if (segments == NULL)
    return NULL;
  first = segments->pdata[0];
  node = json_object_get_member (record, first->key);
  for (guint i = 1; i < segments->len && node != NULL; i++)
    {
      const Segment *segment = segments->pdata[i];

      if (segment->key != NULL)
        node = JSON_NODE_HOLDS_OBJECT (node)
               ? json_object_get_member (json_node_get_object (node), segment->key) : NULL;
      else if (JSON_NODE_HOLDS_ARRAY (node)
               && segment->index < json_array_get_length (json_node_get_array (node)))
        node = json_array_get_element (json_node_get_array (node), segment->index);
      else
        node = NULL;
    }
  return node;
}

JsonNode *
zg_sync_path_get (JsonObject *record,
                  const char *path)
{
  JsonNode *node;

  g_return_val_if_fail (record != NULL, NULL);

  node = zg_sync_path_lookup (record, path);
  return node != NULL ? json_node_copy (node) : NULL;
}

static void
array_replace (JsonArray *array,
               guint      index,
               JsonNode  *value)
{
  g_autoptr(GPtrArray) tail = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  guint length = json_array_get_length (array);

  /* json-glib has no element setter: rebuild the tail. */
  for (guint k = index + 1; k < length; k++)
    g_ptr_array_add (tail, json_node_copy (json_array_get_element (array, k)));
  for (guint k = length; k > index; k--)
    json_array_remove_element (array, k - 1);
  json_array_add_element (array, json_node_copy (value));
  for (guint k = 0; k < tail->len; k++)
    json_array_add_element (array, json_node_copy (tail->pdata[k]));
}

/* Returns FALSE (record unchanged) for a malformed path or one that does not fit the record's
 * shape; the server rejects such an edit and the sync layer re-fetches the record. */
gboolean
zg_sync_path_set (JsonObject *record,
                  const char *path,
                  JsonNode   *value)
{
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonNode *node;

  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  segments = parse (path);
  if (segments == NULL)
    return FALSE;
  root = json_node_init_object (json_node_alloc (), record);
  node = root;
  for (guint i = 0; i < segments->len; i++)
    {
      const Segment *segment = segments->pdata[i];
      gboolean last = i + 1 == segments->len;

      if (segment->key != NULL)
        {
          JsonObject *object;
          JsonNode *child;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            return FALSE;
          object = json_node_get_object (node);
          if (last)
            {
              if (JSON_NODE_HOLDS_NULL (value))
                json_object_remove_member (object, segment->key);
              else
                json_object_set_member (object, segment->key, json_node_copy (value));
              return TRUE;
            }
          child = json_object_get_member (object, segment->key);
          if (child == NULL || JSON_NODE_HOLDS_NULL (child))
            {
              const Segment *next = segments->pdata[i + 1];

              /* A new list can only take its first element, as the last step. */
              if (next->key == NULL && (next->index != 0 || i + 2 != segments->len))
                return FALSE;
              if (next->key != NULL)
                json_object_set_object_member (object, segment->key, json_object_new ());
              else
                json_object_set_array_member (object, segment->key, json_array_new ());
              child = json_object_get_member (object, segment->key);
            }
          node = child;
        }
      else
        {
          JsonArray *array;
          guint length;

          if (!JSON_NODE_HOLDS_ARRAY (node))
            return FALSE;
          array = json_node_get_array (node);
          length = json_array_get_length (array);
          if (segment->index > length || (segment->index == length && !last))
            return FALSE;
          if (last)
            {
              if (segment->index == length)
                json_array_add_element (array, json_node_copy (value));
              else
                array_replace (array, segment->index, value);
              return TRUE;
            }
          node = json_array_get_element (array, segment->index);
        }
    }
  return FALSE;
}

/* Applies every field of @changes in order; fields whose path does not fit are skipped. */
void
zg_sync_path_apply (JsonObject *record,
                    JsonObject *changes)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  g_return_if_fail (record != NULL);
  g_return_if_fail (changes != NULL);

  json_object_iter_init (&iter, changes);
  while (json_object_iter_next (&iter, &name, &value))
    if (*name == '$')
      continue;   /* an instruction for the sync engine ($reopen), not a field */
    else if (!zg_sync_path_set (record, name, value))
      g_debug ("Field path %s does not fit the cached record; left for the server", name);
}
