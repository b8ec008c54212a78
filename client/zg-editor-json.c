/* zg-editor-json.c — field paths of the push format on a JSON tree
 *
 * "a.b[2].c"; everything after "ergebnis.variants." is one key (slots contain dots). The same
 * rules as the server's records store (docs/sync-protocol.md): a value replaces what is at the
 * path, null removes an object member, [N] with N = length appends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-editor-private.h"

typedef struct
{
  char  *key;     /* NULL for an index */
  guint  index;
} Seg;

static void
seg_free (gpointer data)
{
  Seg *s = data;

  g_free (s->key);
  g_free (s);
}

static GPtrArray *
path_parse (const char *path)
{
  g_autoptr(GPtrArray) segs = g_ptr_array_new_with_free_func (seg_free);
  const char *p = path;

  if (path == NULL || *path == '\0' || strlen (path) > 512)
    return NULL;
  while (*p != '\0')
    {
      const char *end;
      Seg *seg;

      if (segs->len == 2 && g_strcmp0 (((Seg *) segs->pdata[0])->key, "ergebnis") == 0
          && g_strcmp0 (((Seg *) segs->pdata[1])->key, "variants") == 0)
        end = p + strlen (p);
      else
        end = p + strcspn (p, ".[");
      if (end == p)
        return NULL;
      seg = g_new0 (Seg, 1);
      seg->key = g_strndup (p, (gsize) (end - p));
      g_ptr_array_add (segs, seg);
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
          seg = g_new0 (Seg, 1);
          seg->index = (guint) n;
          g_ptr_array_add (segs, seg);
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
  return g_steal_pointer (&segs);
}

JsonNode *
_zg_json_path_get (JsonNode   *root,
                   const char *path)
{
  g_autoptr(GPtrArray) segs = path_parse (path);
  JsonNode *node = root;

  if (segs == NULL)
    return NULL;
  for (guint i = 0; i < segs->len && node != NULL; i++)
    {
      const Seg *s = segs->pdata[i];

      if (s->key != NULL)
        node = JSON_NODE_HOLDS_OBJECT (node)
               ? json_object_get_member (json_node_get_object (node), s->key) : NULL;
      else if (JSON_NODE_HOLDS_ARRAY (node)
               && s->index < json_array_get_length (json_node_get_array (node)))
        node = json_array_get_element (json_node_get_array (node), s->index);
      else
        node = NULL;
    }
  return node;
}

static gboolean
set_segs (JsonNode  *root,
          GPtrArray *segs,
          JsonNode  *value)
{
  JsonNode *node = root;

  for (guint i = 0; i < segs->len; i++)
    {
      const Seg *s = segs->pdata[i];
      gboolean last = i + 1 == segs->len;

      if (s->key != NULL)
        {
          JsonObject *obj;
          JsonNode *child;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            return FALSE;
          obj = json_node_get_object (node);
          if (last)
            {
              if (JSON_NODE_HOLDS_NULL (value))
                json_object_remove_member (obj, s->key);
              else
                json_object_set_member (obj, s->key, json_node_copy (value));
              return TRUE;
            }
          child = json_object_get_member (obj, s->key);
          if (child == NULL || JSON_NODE_HOLDS_NULL (child))
            {
              const Seg *next = segs->pdata[i + 1];

              if (next->key != NULL)
                json_object_set_object_member (obj, s->key, json_object_new ());
              else
                json_object_set_array_member (obj, s->key, json_array_new ());
              child = json_object_get_member (obj, s->key);
            }
          node = child;
        }
      else
        {
          JsonArray *arr;
          guint len;

          if (!JSON_NODE_HOLDS_ARRAY (node))
            return FALSE;
          arr = json_node_get_array (node);
          len = json_array_get_length (arr);
          if (s->index > len || (s->index == len && !last))
            return FALSE;
          if (!last)
            {
              node = json_array_get_element (arr, s->index);
              continue;
            }
          if (s->index == len)
            json_array_add_element (arr, json_node_copy (value));
          else
            {
              /* json-glib has no element setter: rebuild the tail. */
              g_autoptr(GPtrArray) tail =
                g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

              for (guint k = s->index + 1; k < len; k++)
                g_ptr_array_add (tail, json_node_copy (json_array_get_element (arr, k)));
              for (guint k = len; k > s->index; k--)
                json_array_remove_element (arr, k - 1);
              json_array_add_element (arr, json_node_copy (value));
              for (guint k = 0; k < tail->len; k++)
                json_array_add_element (arr, json_node_copy (tail->pdata[k]));
            }
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
_zg_json_path_set (JsonNode   *root,
                   const char *path,
                   JsonNode   *value)
{
  g_autoptr(GPtrArray) segs = path_parse (path);

  if (segs == NULL || root == NULL || value == NULL)
    return FALSE;
  return set_segs (root, segs, value);
}

/* The cache merges a local edit's changes into the cached record member by member, so a
 * record with pending edits can carry "daten.zeugnisdaten.position" as a top-level member.
 * Such members are applied to the tree here (in their order) and removed. */
void
_zg_json_apply_flat_paths (JsonNode *root)
{
  g_autoptr(GList) members = NULL;
  JsonObject *obj;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  obj = json_node_get_object (root);
  members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autoptr(JsonNode) value = NULL;
      g_autofree char *path = NULL;

      if (strpbrk (name, ".[") == NULL)
        continue;
      path = g_strdup (name);
      value = _zg_json_deep_copy (json_object_get_member (obj, name));
      json_object_remove_member (obj, name);
      (void) _zg_json_path_set (root, path, value);
    }
}

/* json_node_copy() shares objects and arrays; edits are tried on a copy that must not. */
JsonNode *
_zg_json_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *source = json_node_get_object (node);
      JsonObject *object = json_object_new ();
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, source);
      while (json_object_iter_next (&iter, &name, &member))
        json_object_set_member (object, name, _zg_json_deep_copy (member));
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, object);
      return copy;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *source = json_node_get_array (node);
      JsonArray *array = json_array_sized_new (json_array_get_length (source));

      for (guint i = 0; i < json_array_get_length (source); i++)
        json_array_add_element (array, _zg_json_deep_copy (json_array_get_element (source, i)));
      copy = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (copy, array);
      return copy;
    }
  return json_node_copy (node);
}
