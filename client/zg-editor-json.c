/* zg-editor-json.c — the editor's JSON helpers: field paths of the push format on its tree
 * (through zg-sync-path.h), flat path members, deep copies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-editor-private.h"
#include "zg-sync-path.h"

/* The editor works on a JsonNode tree; the paths are those of zg-sync-path.h, so the editor,
 * the cache and the server read and write a path the same way. */
JsonNode *
_zg_json_path_get (JsonNode   *root,
                   const char *path)
{
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return zg_sync_path_lookup (json_node_get_object (root), path);
}

gboolean
_zg_json_path_set (JsonNode   *root,
                   const char *path,
                   JsonNode   *value)
{
  if (root == NULL || value == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  return zg_sync_path_set (json_node_get_object (root), path, value);
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
