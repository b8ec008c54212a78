/* settings.c — typed server settings with defaults (privacy/admin settings)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "audit.h"
#include "http.h"
#include "settings.h"
#include "storage.h"
#include "users.h"

struct _ZgSettings
{
  ZgStorage  *storage;
  GArray     *defs;     /* ZgSettingDef, in registration order */
  GHashTable *values;   /* key -> text value (stored or default) */
};

/* R-USER-3, R-AUDIT-3, R-AUDIT-4, R-MAIL-1 defaults. Rules may only get stricter. */
static const ZgSettingDef core_settings[] = {
  { ZG_SETTING_AUDIT_RETENTION_DAYS, ZG_SETTING_INT, "60", 1, 60, ZG_SETTING_FREE,
    "Days after which security log entries are deleted (R-AUDIT-4)." },
  { ZG_SETTING_PASSWORD_MIN_LENGTH, ZG_SETTING_INT, "8", 8, 128, ZG_SETTING_FREE,
    "Minimum password length in characters (R-USER-3; may only be raised)." },
  { ZG_SETTING_PASSWORD_REQUIRE_LOWER, ZG_SETTING_BOOL, "true", 0, 0, ZG_SETTING_ONLY_ENABLE,
    "Passwords need a lower-case letter." },
  { ZG_SETTING_PASSWORD_REQUIRE_UPPER, ZG_SETTING_BOOL, "true", 0, 0, ZG_SETTING_ONLY_ENABLE,
    "Passwords need an upper-case letter." },
  { ZG_SETTING_PASSWORD_REQUIRE_DIGIT, ZG_SETTING_BOOL, "true", 0, 0, ZG_SETTING_ONLY_ENABLE,
    "Passwords need a digit." },
  { ZG_SETTING_PASSWORD_REQUIRE_SYMBOL, ZG_SETTING_BOOL, "false", 0, 0, ZG_SETTING_FREE,
    "Passwords need a special character." },
  { ZG_SETTING_LOCKOUT_THRESHOLD, ZG_SETTING_INT, "5", 1, 5, ZG_SETTING_FREE,
    "Consecutive failed logins that lock an account (R-AUDIT-3; may only be lowered)." },
  { ZG_SETTING_SESSION_IDLE_MINUTES, ZG_SETTING_INT, "30", 5, 1440, ZG_SETTING_FREE,
    "Minutes without a request after which a session ends." },
  { ZG_SETTING_SESSION_ABSOLUTE_HOURS, ZG_SETTING_INT, "12", 1, 168, ZG_SETTING_FREE,
    "Hours after login after which a session ends in any case." },
  { ZG_SETTING_MAIL_SENDER_NAME, ZG_SETTING_STRING, "Zeugnisgenerator", 1, 100, ZG_SETTING_FREE,
    "Sender name of outgoing e-mail (R-MAIL-1)." },
};

static const ZgSettingDef *
find_def (ZgSettings *self,
          const char *key)
{
  for (guint i = 0; i < self->defs->len; i++)
    {
      const ZgSettingDef *def = &g_array_index (self->defs, ZgSettingDef, i);

      if (strcmp (def->key, key) == 0)
        return def;
    }
  return NULL;
}

static gboolean
load_values (ZgSettings  *self,
             GError     **error)
{
  g_autoptr(ZgStmt) stmt = zg_storage_prepare (self->storage,
                                               "SELECT key, value FROM settings;", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = zg_stmt_step (stmt, error)) == SQLITE_ROW)
    {
      const char *key = zg_stmt_column_text (stmt, 0);
      const char *value = zg_stmt_column_text (stmt, 1);

      if (key != NULL && value != NULL && g_hash_table_contains (self->values, key))
        g_hash_table_replace (self->values, g_strdup (key), g_strdup (value));
    }
  return rc == SQLITE_DONE;
}

ZgSettings *
zg_settings_new (ZgStorage  *storage,
                 GError    **error)
{
  ZgSettings *self;

  g_return_val_if_fail (storage != NULL, NULL);

  self = g_new0 (ZgSettings, 1);
  self->storage = storage;
  self->defs = g_array_new (FALSE, FALSE, sizeof (ZgSettingDef));
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  zg_settings_register (self, core_settings, G_N_ELEMENTS (core_settings));
  if (!load_values (self, error))
    {
      zg_settings_free (self);
      return NULL;
    }
  return self;
}

void
zg_settings_free (ZgSettings *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->defs);
  g_hash_table_unref (self->values);
  g_free (self);
}

/* Feature modules add their settings at start; stored values override the defaults. */
void
zg_settings_register (ZgSettings         *self,
                      const ZgSettingDef *defs,
                      guint               n_defs)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (defs != NULL || n_defs == 0);

  for (guint i = 0; i < n_defs; i++)
    {
      g_return_if_fail (find_def (self, defs[i].key) == NULL);
      g_array_append_val (self->defs, defs[i]);
      g_hash_table_replace (self->values, g_strdup (defs[i].key),
                            g_strdup (defs[i].default_value));
    }
  if (self->defs->len > G_N_ELEMENTS (core_settings))
    {
      g_autoptr(GError) error = NULL;

      if (!load_values (self, &error))
        g_warning ("Cannot read settings: %s", error->message);
    }
}

gint64
zg_settings_get_int (ZgSettings *self,
                     const char *key)
{
  const ZgSettingDef *def;
  const char *value;
  gint64 v = 0;

  g_return_val_if_fail (self != NULL, 0);
  def = find_def (self, key);
  g_return_val_if_fail (def != NULL && def->type == ZG_SETTING_INT, 0);

  value = g_hash_table_lookup (self->values, key);
  if (value == NULL || !g_ascii_string_to_signed (value, 10, def->min, def->max, &v, NULL))
    v = g_ascii_strtoll (def->default_value, NULL, 10);
  return v;
}

gboolean
zg_settings_get_bool (ZgSettings *self,
                      const char *key)
{
  const ZgSettingDef *def;
  const char *value;

  g_return_val_if_fail (self != NULL, FALSE);
  def = find_def (self, key);
  g_return_val_if_fail (def != NULL && def->type == ZG_SETTING_BOOL, FALSE);

  value = g_hash_table_lookup (self->values, key);
  if (def->constraint == ZG_SETTING_ONLY_ENABLE && g_strcmp0 (def->default_value, "true") == 0)
    return TRUE;
  return g_strcmp0 (value, "true") == 0;
}

const char *
zg_settings_get_string (ZgSettings *self,
                        const char *key)
{
  const ZgSettingDef *def;

  g_return_val_if_fail (self != NULL, NULL);
  def = find_def (self, key);
  g_return_val_if_fail (def != NULL && def->type == ZG_SETTING_STRING, NULL);

  return g_hash_table_lookup (self->values, key);
}

void
zg_settings_get_password_policy (ZgSettings       *self,
                                 ZgPasswordPolicy *out_policy)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (out_policy != NULL);

  out_policy->min_length = (guint) zg_settings_get_int (self, ZG_SETTING_PASSWORD_MIN_LENGTH);
  out_policy->require_lowercase = zg_settings_get_bool (self, ZG_SETTING_PASSWORD_REQUIRE_LOWER);
  out_policy->require_uppercase = zg_settings_get_bool (self, ZG_SETTING_PASSWORD_REQUIRE_UPPER);
  out_policy->require_digit = zg_settings_get_bool (self, ZG_SETTING_PASSWORD_REQUIRE_DIGIT);
  out_policy->require_symbol = zg_settings_get_bool (self, ZG_SETTING_PASSWORD_REQUIRE_SYMBOL);
  zg_password_policy_make_strict (out_policy);
}

static char *
validate_value (const ZgSettingDef  *def,
                JsonNode            *node,
                GError             **error)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  switch (def->type)
    {
    case ZG_SETTING_INT:
      if (type != G_TYPE_INT64 || json_node_get_int (node) < def->min ||
          json_node_get_int (node) > def->max)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s must be an integer between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT,
                       def->key, def->min, def->max);
          return NULL;
        }
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

    case ZG_SETTING_BOOL:
      if (type != G_TYPE_BOOLEAN)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s must be true or false",
                       def->key);
          return NULL;
        }
      if (def->constraint == ZG_SETTING_ONLY_ENABLE && !json_node_get_boolean (node) &&
          g_strcmp0 (def->default_value, "true") == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s cannot be switched off (the policy may only get stricter)", def->key);
          return NULL;
        }
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");

    case ZG_SETTING_STRING:
      {
        const char *s = type == G_TYPE_STRING ? json_node_get_string (node) : NULL;
        glong n = s != NULL ? g_utf8_strlen (s, -1) : -1;

        if (s == NULL || n < def->min || n > def->max)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "%s must be a text of %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT
                         " characters", def->key, def->min, def->max);
            return NULL;
          }
        for (const char *p = s; *p; p = g_utf8_next_char (p))
          {
            if (g_unichar_iscntrl (g_utf8_get_char (p)))
              {
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             "%s must not contain control characters", def->key);
                return NULL;
              }
          }
        return g_strdup (s);
      }

    default:
      g_assert_not_reached ();
    }
  return NULL;
}

gboolean
zg_settings_apply_json (ZgSettings  *self,
                        JsonObject  *changes,
                        char       **out_changed_keys,
                        GError     **error)
{
  g_autoptr(GList) members = NULL;
  g_autoptr(GHashTable) pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GString) changed = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  members = json_object_get_members (changes);
  if (members == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no settings given");
      return FALSE;
    }
  for (GList *l = members; l != NULL; l = l->next)
    {
      const ZgSettingDef *def = find_def (self, l->data);
      char *text;

      if (def == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "unknown setting %s",
                       (const char *) l->data);
          return FALSE;
        }
      text = validate_value (def, json_object_get_member (changes, l->data), error);
      if (text == NULL)
        return FALSE;
      g_hash_table_replace (pending, (gpointer) def->key, text);
    }

  if (!zg_storage_begin (self->storage, error))
    return FALSE;
  g_hash_table_iter_init (&iter, pending);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(ZgStmt) del = zg_storage_prepare (self->storage,
                                                  "DELETE FROM settings WHERE key = ?1;", error);
      g_autoptr(ZgStmt) ins = NULL;

      if (del == NULL || !zg_stmt_bind_text (del, 1, key) || !zg_stmt_run (del, error))
        goto fail;
      ins = zg_storage_prepare (self->storage,
                                "INSERT INTO settings (key, value) VALUES (?1, ?2);", error);
      if (ins == NULL || !zg_stmt_bind_text (ins, 1, key) || !zg_stmt_bind_text (ins, 2, value) ||
          !zg_stmt_run (ins, error))
        goto fail;
    }
  if (!zg_storage_commit (self->storage, error))
    return FALSE;

  g_hash_table_iter_init (&iter, pending);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_strcmp0 (g_hash_table_lookup (self->values, key), value) != 0)
        {
          if (changed->len > 0)
            g_string_append_c (changed, ',');
          g_string_append (changed, key);
        }
      g_hash_table_replace (self->values, g_strdup (key), g_strdup (value));
    }
  if (out_changed_keys != NULL)
    *out_changed_keys = g_string_free (g_steal_pointer (&changed), FALSE);
  return TRUE;

fail:
  zg_storage_rollback (self->storage);
  if (error != NULL && *error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot store settings");
  return FALSE;
}

JsonNode *
zg_settings_to_json (ZgSettings *self)
{
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(JsonArray) defs = json_array_new ();
  g_autoptr(JsonObject) root = json_object_new ();
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->defs->len; i++)
    {
      const ZgSettingDef *def = &g_array_index (self->defs, ZgSettingDef, i);
      g_autoptr(JsonObject) d = json_object_new ();

      json_object_set_string_member (d, "key", def->key);
      switch (def->type)
        {
        case ZG_SETTING_INT:
          json_object_set_int_member (values, def->key, zg_settings_get_int (self, def->key));
          json_object_set_string_member (d, "type", "integer");
          json_object_set_int_member (d, "min", def->min);
          json_object_set_int_member (d, "max", def->max);
          break;
        case ZG_SETTING_BOOL:
          json_object_set_boolean_member (values, def->key, zg_settings_get_bool (self, def->key));
          json_object_set_string_member (d, "type", "boolean");
          json_object_set_boolean_member (d, "only_enable",
                                          def->constraint == ZG_SETTING_ONLY_ENABLE);
          break;
        case ZG_SETTING_STRING:
          json_object_set_string_member (values, def->key,
                                         zg_settings_get_string (self, def->key));
          json_object_set_string_member (d, "type", "string");
          json_object_set_int_member (d, "max_length", def->max);
          break;
        default:
          g_assert_not_reached ();
        }
      json_object_set_string_member (d, "default", def->default_value);
      json_object_set_string_member (d, "description", def->description);
      json_array_add_object_element (defs, g_steal_pointer (&d));
    }
  json_object_set_object_member (root, "settings", g_steal_pointer (&values));
  json_object_set_array_member (root, "definitions", g_steal_pointer (&defs));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

static void
settings_get_cb (ZgRequest *req,
                 gpointer   user_data)
{
  g_autoptr(JsonNode) node = zg_settings_to_json (zg_server_get_settings (zg_request_get_server (req)));

  zg_request_respond_json (req, SOUP_STATUS_OK, node);
}

static void
settings_patch_cb (ZgRequest *req,
                   gpointer   user_data)
{
  ZgServer *server = zg_request_get_server (req);
  ZgSettings *self = zg_server_get_settings (server);
  const ZgSessionCaller *caller = zg_request_get_caller (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *changed = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!zg_settings_apply_json (self, zg_request_get_body (req), &changed, &error))
    {
      zg_request_respond_error (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "invalid_setting",
                                error != NULL ? error->message : "The settings were refused.");
      return;
    }
  if (changed != NULL && changed[0] != '\0')
    zg_audit_log (server, caller->user_id, caller->email, zg_request_get_ip (req),
                  ZG_AUDIT_SETTINGS_CHANGED, changed);
  node = zg_settings_to_json (self);
  zg_request_respond_json (req, SOUP_STATUS_OK, node);
}

void
zg_settings_register_routes (ZgServer *server)
{
  zg_http_add_route (server, "GET", "/api/v1/settings", ZG_ROUTE_AUTHENTICATED,
                     ZG_AREA_DATENSCHUTZ, settings_get_cb, NULL);
  zg_http_add_route (server, "PATCH", "/api/v1/settings", ZG_ROUTE_JSON_BODY,
                     ZG_AREA_DATENSCHUTZ, settings_patch_cb, NULL);
}
