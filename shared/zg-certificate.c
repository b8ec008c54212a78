/* zg-certificate.c — the certificate record and its strict JSON codec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "zg-certificate.h"

#define MAX_STRING      ((gsize) 64 * 1024)
#define MAX_TEXT        ((gsize) 1024 * 1024)
#define MAX_LIST        1000
#define MAX_EVENTS      10000
#define MAX_NAME        1000
#define FORMAT_VERSION  1

G_DEFINE_QUARK (zg-certificate-error-quark, zg_certificate_error)

static const char *const category_keys[ZG_N_CATEGORIES] = {
  "bereitschaft", "befaehigung", "wissen", "weiterbildung", "arbeitsweise",
  "arbeitserfolg", "fuehrungserfolg", "verhalten-intern", "verhalten-extern",
  "abschlusspruefung",
};
static const char *const category_slots[ZG_N_CATEGORIES] = {
  "rating.bereitschaft", "rating.befaehigung", "rating.wissen", "rating.weiterbildung",
  "rating.arbeitsweise", "rating.arbeitserfolg", "rating.fuehrungserfolg",
  "rating.verhalten-intern", "rating.verhalten-extern", "rating.abschlusspruefung",
};
static const char *const kind_keys[ZG_N_KINDS] = {
  "endzeugnis", "zwischenzeugnis", "ausbildungszeugnis", "praktikumszeugnis",
};
static const char *const salutation_keys[ZG_N_SALUTATIONS] = {
  "none", "herr", "frau", "divers",
};
static const char *const status_keys[ZG_N_STATUSES] = {
  "draft", "handed-over", "handover-finished", "review", "approved", "completed",
};

const char *
zg_category_key (ZgCategory category)
{
  g_return_val_if_fail (category < ZG_N_CATEGORIES, NULL);
  return category_keys[category];
}

const char *
zg_category_slot (ZgCategory category)
{
  g_return_val_if_fail (category < ZG_N_CATEGORIES, NULL);
  return category_slots[category];
}

static gboolean
lookup_key (const char *const *keys,
            guint              n_keys,
            const char        *key,
            guint             *out)
{
  if (key == NULL)
    return FALSE;
  for (guint i = 0; i < n_keys; i++)
    if (strcmp (keys[i], key) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
zg_category_from_key (const char *key,
                      ZgCategory *out)
{
  guint i;

  g_return_val_if_fail (out != NULL, FALSE);
  if (!lookup_key (category_keys, ZG_N_CATEGORIES, key, &i))
    return FALSE;
  *out = (ZgCategory) i;
  return TRUE;
}

const char *
zg_kind_key (ZgCertificateKind kind)
{
  g_return_val_if_fail (kind < ZG_N_KINDS, NULL);
  return kind_keys[kind];
}

gboolean
zg_kind_from_key (const char        *key,
                  ZgCertificateKind *out)
{
  guint i;

  g_return_val_if_fail (out != NULL, FALSE);
  if (!lookup_key (kind_keys, ZG_N_KINDS, key, &i))
    return FALSE;
  *out = (ZgCertificateKind) i;
  return TRUE;
}

const char *
zg_salutation_key (ZgSalutation salutation)
{
  g_return_val_if_fail (salutation < ZG_N_SALUTATIONS, NULL);
  return salutation_keys[salutation];
}

const char *
zg_status_key (ZgCertificateStatus status)
{
  g_return_val_if_fail (status < ZG_N_STATUSES, NULL);
  return status_keys[status];
}

static const char *const process_keys[ZG_N_PROCESS_EVENTS] = {
  "status", "handover", "handover_finished",
};

const char *
zg_process_event_type_key (ZgProcessEventType type)
{
  g_return_val_if_fail (type < ZG_N_PROCESS_EVENTS, NULL);
  return process_keys[type];
}

ZgProcessEvent *
zg_process_event_new (ZgProcessEventType type)
{
  ZgProcessEvent *ev = g_new0 (ZgProcessEvent, 1);

  ev->type = type;
  return ev;
}

void
zg_process_event_free (ZgProcessEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->by);
  g_free (event->by_name);
  g_free (event->supervisor);
  g_free (event);
}

gboolean
zg_status_from_key (const char          *key,
                    ZgCertificateStatus *out)
{
  guint v;

  g_return_val_if_fail (out != NULL, FALSE);
  if (!lookup_key (status_keys, ZG_N_STATUSES, key, &v))
    return FALSE;
  *out = (ZgCertificateStatus) v;
  return TRUE;
}

static void
station_free (gpointer data)
{
  ZgStation *station = data;

  g_free (station->position);
  g_free (station->department);
  g_free (station);
}

static void
signatory_free (gpointer data)
{
  ZgCertSignatory *sig = data;

  g_free (sig->employee_id);
  g_free (sig->name);
  g_free (sig->function);
  g_free (sig);
}

static GPtrArray *
string_list_new (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

ZgCertificate *
zg_certificate_new (void)
{
  ZgCertificate *cert = g_new0 (ZgCertificate, 1);

  cert->status = ZG_STATUS_DRAFT;
  cert->salutation = ZG_SALUTATION_NONE;
  cert->kind = ZG_KIND_ENDZEUGNIS;
  cert->language = g_strdup ("de");
  g_date_clear (&cert->birth_date, 1);
  g_date_clear (&cert->issue_date, 1);
  g_date_clear (&cert->entry_date, 1);
  g_date_clear (&cert->exit_date, 1);
  cert->company_address = string_list_new ();
  cert->signatories = g_ptr_array_new_with_free_func (signatory_free);
  cert->stations = g_ptr_array_new_with_free_func (station_free);
  cert->tasks = string_list_new ();
  cert->additional_tasks = string_list_new ();
  cert->trainings = string_list_new ();
  cert->powers = string_list_new ();
  cert->qualifications = string_list_new ();
  cert->achievements = string_list_new ();
  cert->variant_choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  cert->variant_indexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  cert->process_events = g_ptr_array_new_with_free_func ((GDestroyNotify) zg_process_event_free);
  return cert;
}

void
zg_certificate_free (ZgCertificate *cert)
{
  if (cert == NULL)
    return;
  g_free (cert->id);
  g_free (cert->employee_id);
  g_free (cert->title);
  g_free (cert->first_name);
  g_free (cert->last_name);
  g_free (cert->birth_place);
  g_free (cert->street);
  g_free (cert->postcode);
  g_free (cert->city);
  g_free (cert->email);
  g_free (cert->company_name);
  g_ptr_array_unref (cert->company_address);
  g_free (cert->company_description);
  g_free (cert->location);
  g_free (cert->department);
  g_free (cert->org_unit);
  g_free (cert->language);
  g_free (cert->issue_place);
  g_free (cert->reason);
  g_free (cert->position);
  g_free (cert->employee_type);
  g_free (cert->notes);
  g_free (cert->occupation);
  g_free (cert->vocational_school);
  g_ptr_array_unref (cert->signatories);
  g_ptr_array_unref (cert->stations);
  g_free (cert->berufsbild);
  g_ptr_array_unref (cert->tasks);
  g_ptr_array_unref (cert->additional_tasks);
  g_ptr_array_unref (cert->trainings);
  g_ptr_array_unref (cert->powers);
  g_ptr_array_unref (cert->qualifications);
  g_ptr_array_unref (cert->achievements);
  g_hash_table_unref (cert->variant_choices);
  g_hash_table_unref (cert->variant_indexes);
  g_free (cert->edited_text);
  g_free (cert->created_by);
  g_free (cert->created_by_name);
  g_ptr_array_unref (cert->process_events);
  g_free (cert);
}

ZgCertificate *
zg_certificate_copy (const ZgCertificate *cert)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  ZgCertificate *copy;

  g_return_val_if_fail (cert != NULL, NULL);
  node = zg_certificate_to_json (cert);
  copy = zg_certificate_from_json (node, &error);
  /* to_json only writes what from_json accepts */
  g_assert_no_error (error);
  return copy;
}

gboolean
zg_certificate_set_grade (ZgCertificate  *cert,
                          ZgCategory      category,
                          int             grade,
                          GError        **error)
{
  g_return_val_if_fail (cert != NULL, FALSE);
  g_return_val_if_fail (category < ZG_N_CATEGORIES, FALSE);

  if (grade < 0 || grade > 5)
    {
      g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_OUT_OF_RANGE,
                   "Grade %d for “%s” is out of range (1–5, 0 = not rated)",
                   grade, category_keys[category]);
      return FALSE;
    }
  cert->grades[category] = grade;
  return TRUE;
}

/* Phrase ids: docs/phrase-format.md ("[a-z0-9._-]+"). */
static gboolean
is_variant_id (const char *s)
{
  if (*s == '\0' || strlen (s) > 128)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

gboolean
zg_certificate_set_variant_id (ZgCertificate  *cert,
                               const char     *slot,
                               const char     *id,
                               GError        **error)
{
  g_return_val_if_fail (cert != NULL, FALSE);
  g_return_val_if_fail (slot != NULL, FALSE);

  if (id != NULL && !is_variant_id (id))
    {
      g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_OUT_OF_RANGE,
                   "“%s” is not a phrase variant id", id);
      return FALSE;
    }
  g_hash_table_remove (cert->variant_indexes, slot);
  if (id == NULL)
    g_hash_table_remove (cert->variant_choices, slot);
  else
    g_hash_table_replace (cert->variant_choices, g_strdup (slot), g_strdup (id));
  return TRUE;
}

const char *
zg_certificate_get_variant_id (const ZgCertificate *cert,
                               const char          *slot)
{
  g_return_val_if_fail (cert != NULL, NULL);
  g_return_val_if_fail (slot != NULL, NULL);
  return g_hash_table_lookup (cert->variant_choices, slot);
}

void
zg_certificate_set_variant (ZgCertificate *cert,
                            const char    *slot,
                            guint          index)
{
  g_return_if_fail (cert != NULL);
  g_return_if_fail (slot != NULL);

  g_hash_table_remove (cert->variant_choices, slot);
  if (index == 0)
    g_hash_table_remove (cert->variant_indexes, slot);
  else
    g_hash_table_replace (cert->variant_indexes, g_strdup (slot), GUINT_TO_POINTER (index));
}

guint
zg_certificate_get_variant (const ZgCertificate *cert,
                            const char          *slot)
{
  g_return_val_if_fail (cert != NULL, 0);
  g_return_val_if_fail (slot != NULL, 0);
  return GPOINTER_TO_UINT (g_hash_table_lookup (cert->variant_indexes, slot));
}

gboolean
zg_certificate_is_manager (const ZgCertificate *cert)
{
  g_return_val_if_fail (cert != NULL, FALSE);
  return cert->is_manager ||
         g_strcmp0 (cert->employee_type, "fuehrungskraft") == 0 ||
         g_strcmp0 (cert->employee_type, "leitende-angestellte") == 0;
}

gboolean
zg_certificate_is_final (const ZgCertificate *cert)
{
  g_return_val_if_fail (cert != NULL, FALSE);
  return cert->kind != ZG_KIND_ZWISCHENZEUGNIS;
}

gboolean
zg_certificate_category_applies (const ZgCertificate *cert,
                                 ZgCategory           category)
{
  g_return_val_if_fail (cert != NULL, FALSE);
  g_return_val_if_fail (category < ZG_N_CATEGORIES, FALSE);

  switch (category)
    {
    case ZG_CAT_FUEHRUNGSERFOLG:
      return zg_certificate_is_manager (cert) &&
             cert->kind != ZG_KIND_AUSBILDUNGSZEUGNIS &&
             cert->kind != ZG_KIND_PRAKTIKUMSZEUGNIS;
    case ZG_CAT_ABSCHLUSSPRUEFUNG:
      return cert->kind == ZG_KIND_AUSBILDUNGSZEUGNIS;
    case ZG_CAT_BEREITSCHAFT:
    case ZG_CAT_BEFAEHIGUNG:
    case ZG_CAT_WISSEN:
    case ZG_CAT_WEITERBILDUNG:
    case ZG_CAT_ARBEITSWEISE:
    case ZG_CAT_ARBEITSERFOLG:
    case ZG_CAT_VERHALTEN_INTERN:
    case ZG_CAT_VERHALTEN_EXTERN:
    case ZG_N_CATEGORIES:
    default:
      return TRUE;
    }
}

/* ---- JSON reading: every member is checked; unknown members are errors ---- */

static gboolean
check_members (JsonObject         *obj,
               const char         *path,
               const char *const  *allowed,
               GError            **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (!g_strv_contains (allowed, name))
        {
          g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_INVALID,
                       "Unknown member “%s%s%s”", path, *path ? "." : "", name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
type_error (const char  *path,
            const char  *member,
            const char  *expected,
            GError     **error)
{
  g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_INVALID,
               "“%s%s%s” must be %s", path, *path ? "." : "", member, expected);
  return FALSE;
}

/* absent or null -> NULL */
static JsonNode *
member (JsonObject *obj,
        const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
validate_text (const char  *s,
               gsize        max,
               const char  *path,
               const char  *name,
               GError     **error)
{
  gsize len = strlen (s);

  if (len > max)
    return type_error (path, name, "a shorter string", error);
  if (!g_utf8_validate (s, (gssize) len, NULL))
    return type_error (path, name, "valid UTF-8", error);
  return TRUE;
}

static gboolean
read_string_max (JsonObject  *obj,
                 const char  *path,
                 const char  *name,
                 gsize        max,
                 char       **out,
                 GError     **error)
{
  JsonNode *node = member (obj, name);
  const char *s;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return type_error (path, name, "a string", error);
  s = json_node_get_string (node);
  if (!validate_text (s, max, path, name, error))
    return FALSE;
  g_free (*out);
  *out = (*s != '\0') ? g_strdup (s) : NULL;
  return TRUE;
}

static gboolean
read_string (JsonObject  *obj,
             const char  *path,
             const char  *name,
             char       **out,
             GError     **error)
{
  return read_string_max (obj, path, name, MAX_STRING, out, error);
}

static gboolean
read_bool (JsonObject  *obj,
           const char  *path,
           const char  *name,
           gboolean    *out,
           GError     **error)
{
  JsonNode *node = member (obj, name);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return type_error (path, name, "true or false", error);
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_int_node (JsonNode    *node,
               const char  *path,
               const char  *name,
               gint64       min,
               gint64       max,
               gint64      *out,
               GError     **error)
{
  gint64 v;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return type_error (path, name, "an integer", error);
  v = json_node_get_int (node);
  if (v < min || v > max)
    {
      g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_OUT_OF_RANGE,
                   "“%s%s%s” is %" G_GINT64_FORMAT ", allowed is %" G_GINT64_FORMAT
                   "–%" G_GINT64_FORMAT, path, *path ? "." : "", name, v, min, max);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

static gboolean
parse_date (const char *s,
            GDate      *date)
{
  guint y = 0, m = 0, d = 0;

  if (strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  for (guint i = 0; i < 4; i++)
    y = y * 10 + (guint) (s[i] - '0');
  m = (guint) (s[5] - '0') * 10 + (guint) (s[6] - '0');
  d = (guint) (s[8] - '0') * 10 + (guint) (s[9] - '0');
  if (y < 1900 || y > 2200 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static gboolean
read_date_node (JsonNode    *node,
                const char  *path,
                const char  *name,
                GDate       *out,
                GError     **error)
{
  if (node == NULL)
    {
      g_date_clear (out, 1);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return type_error (path, name, "a date string YYYY-MM-DD", error);
  if (!parse_date (json_node_get_string (node), out))
    {
      g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_DATE,
                   "“%s%s%s” is not a valid date (YYYY-MM-DD): “%s”",
                   path, *path ? "." : "", name, json_node_get_string (node));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_date (JsonObject  *obj,
           const char  *path,
           const char  *name,
           GDate       *out,
           GError     **error)
{
  return read_date_node (member (obj, name), path, name, out, error);
}

static gboolean
read_string_list (JsonObject  *obj,
                  const char  *path,
                  const char  *name,
                  GPtrArray   *out,
                  GError     **error)
{
  JsonNode *node = member (obj, name);
  JsonArray *array;
  guint n;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return type_error (path, name, "an array of strings", error);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > MAX_LIST)
    return type_error (path, name, "a shorter array", error);
  g_ptr_array_set_size (out, 0);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *s;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        return type_error (path, name, "an array of strings", error);
      s = json_node_get_string (item);
      if (!validate_text (s, MAX_STRING, path, name, error))
        return FALSE;
      if (*s != '\0')
        g_ptr_array_add (out, g_strdup (s));
    }
  return TRUE;
}

static JsonObject *
read_object (JsonObject         *obj,
             const char         *path,
             const char         *name,
             const char *const  *allowed,
             gboolean           *ok,
             GError            **error)
{
  JsonNode *node = member (obj, name);
  g_autofree char *sub = NULL;
  JsonObject *child;

  *ok = TRUE;
  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *ok = type_error (path, name, "an object", error);
      return NULL;
    }
  child = json_node_get_object (node);
  sub = *path ? g_strdup_printf ("%s.%s", path, name) : g_strdup (name);
  if (allowed != NULL && !check_members (child, sub, allowed, error))
    {
      *ok = FALSE;
      return NULL;
    }
  return child;
}

static gboolean
read_enum (JsonObject         *obj,
           const char         *path,
           const char         *name,
           const char *const  *keys,
           guint               n_keys,
           guint              *out,
           GError            **error)
{
  JsonNode *node = member (obj, name);
  const char *s;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return type_error (path, name, "a string", error);
  s = json_node_get_string (node);
  if (!lookup_key (keys, n_keys, s, out))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) keys);

      g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_OUT_OF_RANGE,
                   "“%s%s%s” is “%s”; allowed: %s", path, *path ? "." : "", name, s, list);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_key_string (const char *s)
{
  if (*s == '\0' || strlen (s) > 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

/* The enum tables are NULL-terminated copies for g_strjoinv. */
static const char *const kind_list[] = {
  "endzeugnis", "zwischenzeugnis", "ausbildungszeugnis", "praktikumszeugnis", NULL
};
static const char *const salutation_list[] = { "none", "herr", "frau", "divers", NULL };
static const char *const status_list[] = {
  "draft", "handed-over", "handover-finished", "review", "approved", "completed", NULL
};

static gboolean
read_daten (ZgCertificate  *cert,
            JsonObject     *root,
            GError        **error)
{
  static const char *const daten_members[] = {
    "persoenliche_daten", "unternehmen", "zeugnisdaten", "weitere_angaben", "unterschriften", NULL
  };
  static const char *const person_members[] = {
    "employee_id", "salutation", "title", "first_name", "last_name", "birth_date",
    "birth_place", "street", "postcode", "city", "email", NULL
  };
  static const char *const company_members[] = {
    "name", "address", "description", "location", "department", "org_unit", NULL
  };
  static const char *const zeugnis_members[] = {
    "kind", "language", "issue_date", "issue_place", "reason", "entry_date", "exit_date",
    "position", "employee_type", "manager", NULL
  };
  static const char *const weitere_members[] = {
    "notes", "occupation", "vocational_school", NULL
  };
  static const char *const signatory_members[] = { "employee_id", "name", "function", NULL };
  JsonObject *daten, *obj;
  JsonNode *node;
  gboolean ok;
  guint e;

  daten = read_object (root, "", "daten", daten_members, &ok, error);
  if (!ok)
    return FALSE;
  if (daten == NULL)
    return TRUE;

  obj = read_object (daten, "daten", "persoenliche_daten", person_members, &ok, error);
  if (!ok)
    return FALSE;
  if (obj != NULL)
    {
      const char *p = "daten.persoenliche_daten";

      e = cert->salutation;
      if (!read_string (obj, p, "employee_id", &cert->employee_id, error) ||
          !read_enum (obj, p, "salutation", salutation_list, ZG_N_SALUTATIONS, &e, error) ||
          !read_string (obj, p, "title", &cert->title, error) ||
          !read_string (obj, p, "first_name", &cert->first_name, error) ||
          !read_string (obj, p, "last_name", &cert->last_name, error) ||
          !read_date (obj, p, "birth_date", &cert->birth_date, error) ||
          !read_string (obj, p, "birth_place", &cert->birth_place, error) ||
          !read_string (obj, p, "street", &cert->street, error) ||
          !read_string (obj, p, "postcode", &cert->postcode, error) ||
          !read_string (obj, p, "city", &cert->city, error) ||
          !read_string (obj, p, "email", &cert->email, error))
        return FALSE;
      cert->salutation = (ZgSalutation) e;
    }

  obj = read_object (daten, "daten", "unternehmen", company_members, &ok, error);
  if (!ok)
    return FALSE;
  if (obj != NULL)
    {
      const char *p = "daten.unternehmen";

      if (!read_string (obj, p, "name", &cert->company_name, error) ||
          !read_string_list (obj, p, "address", cert->company_address, error) ||
          !read_string_max (obj, p, "description", MAX_TEXT, &cert->company_description, error) ||
          !read_string (obj, p, "location", &cert->location, error) ||
          !read_string (obj, p, "department", &cert->department, error) ||
          !read_string (obj, p, "org_unit", &cert->org_unit, error))
        return FALSE;
    }

  obj = read_object (daten, "daten", "zeugnisdaten", zeugnis_members, &ok, error);
  if (!ok)
    return FALSE;
  if (obj != NULL)
    {
      const char *p = "daten.zeugnisdaten";
      g_autofree char *language = NULL;

      e = cert->kind;
      if (!read_enum (obj, p, "kind", kind_list, ZG_N_KINDS, &e, error) ||
          !read_string (obj, p, "language", &language, error) ||
          !read_date (obj, p, "issue_date", &cert->issue_date, error) ||
          !read_string (obj, p, "issue_place", &cert->issue_place, error) ||
          !read_string (obj, p, "reason", &cert->reason, error) ||
          !read_date (obj, p, "entry_date", &cert->entry_date, error) ||
          !read_date (obj, p, "exit_date", &cert->exit_date, error) ||
          !read_string (obj, p, "position", &cert->position, error) ||
          !read_string (obj, p, "employee_type", &cert->employee_type, error) ||
          !read_bool (obj, p, "manager", &cert->is_manager, error))
        return FALSE;
      cert->kind = (ZgCertificateKind) e;
      if (language != NULL)
        {
          if (strcmp (language, "de") != 0 && strcmp (language, "en") != 0)
            {
              g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_OUT_OF_RANGE,
                           "“%s.language” is “%s”; allowed: de, en", p, language);
              return FALSE;
            }
          g_free (cert->language);
          cert->language = g_steal_pointer (&language);
        }
      if (cert->reason != NULL && !is_key_string (cert->reason))
        {
          g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_OUT_OF_RANGE,
                       "“%s.reason” must be a reason key like “arbeitnehmerkuendigung”", p);
          return FALSE;
        }
      if (g_date_valid (&cert->entry_date) && g_date_valid (&cert->exit_date) &&
          g_date_compare (&cert->entry_date, &cert->exit_date) > 0)
        {
          g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_DATE,
                       "“%s.exit_date” lies before the entry date", p);
          return FALSE;
        }
    }

  obj = read_object (daten, "daten", "weitere_angaben", weitere_members, &ok, error);
  if (!ok)
    return FALSE;
  if (obj != NULL)
    {
      const char *p = "daten.weitere_angaben";

      if (!read_string_max (obj, p, "notes", MAX_TEXT, &cert->notes, error) ||
          !read_string (obj, p, "occupation", &cert->occupation, error) ||
          !read_string (obj, p, "vocational_school", &cert->vocational_school, error))
        return FALSE;
    }

  node = member (daten, "unterschriften");
  if (node != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return type_error ("daten", "unterschriften", "an array", error);
      array = json_node_get_array (node);
      if (json_array_get_length (array) > 10)
        return type_error ("daten", "unterschriften", "at most 10 signatories", error);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          ZgCertSignatory *sig;
          JsonObject *sobj;

          if (!JSON_NODE_HOLDS_OBJECT (item))
            return type_error ("daten", "unterschriften[]", "an object", error);
          sobj = json_node_get_object (item);
          if (!check_members (sobj, "daten.unterschriften[]", signatory_members, error))
            return FALSE;
          sig = g_new0 (ZgCertSignatory, 1);
          g_ptr_array_add (cert->signatories, sig);
          if (!read_string (sobj, "daten.unterschriften[]", "employee_id", &sig->employee_id, error) ||
              !read_string (sobj, "daten.unterschriften[]", "name", &sig->name, error) ||
              !read_string (sobj, "daten.unterschriften[]", "function", &sig->function, error))
            return FALSE;
          if (sig->name == NULL)
            return type_error ("daten.unterschriften[]", "name", "a non-empty string", error);
        }
    }
  return TRUE;
}

static gboolean
read_werdegang (ZgCertificate  *cert,
                JsonObject     *root,
                GError        **error)
{
  static const char *const members[] = {
    "stationen", "taetigkeiten", "zusatztaetigkeiten", "weiterbildungen", "vollmachten", NULL
  };
  static const char *const station_members[] = { "position", "department", "from", "to", NULL };
  static const char *const task_members[] = { "berufsbild", "items", NULL };
  const char *p = "werdegang";
  JsonObject *werdegang, *obj;
  JsonNode *node;
  gboolean ok;

  werdegang = read_object (root, "", "werdegang", members, &ok, error);
  if (!ok)
    return FALSE;
  if (werdegang == NULL)
    return TRUE;

  node = member (werdegang, "stationen");
  if (node != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return type_error (p, "stationen", "an array", error);
      array = json_node_get_array (node);
      if (json_array_get_length (array) > MAX_LIST)
        return type_error (p, "stationen", "a shorter array", error);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          const char *sp = "werdegang.stationen[]";
          ZgStation *station;
          JsonObject *sobj;

          if (!JSON_NODE_HOLDS_OBJECT (item))
            return type_error (p, "stationen[]", "an object", error);
          sobj = json_node_get_object (item);
          if (!check_members (sobj, sp, station_members, error))
            return FALSE;
          station = g_new0 (ZgStation, 1);
          g_date_clear (&station->from, 1);
          g_date_clear (&station->to, 1);
          g_ptr_array_add (cert->stations, station);
          if (!read_string (sobj, sp, "position", &station->position, error) ||
              !read_string (sobj, sp, "department", &station->department, error) ||
              !read_date (sobj, sp, "from", &station->from, error) ||
              !read_date (sobj, sp, "to", &station->to, error))
            return FALSE;
          if (station->position == NULL)
            return type_error (sp, "position", "a non-empty string", error);
          if (g_date_valid (&station->from) && g_date_valid (&station->to) &&
              g_date_compare (&station->from, &station->to) > 0)
            {
              g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_DATE,
                           "“%s.to” lies before “from”", sp);
              return FALSE;
            }
        }
    }

  obj = read_object (werdegang, p, "taetigkeiten", task_members, &ok, error);
  if (!ok)
    return FALSE;
  if (obj != NULL &&
      (!read_string (obj, "werdegang.taetigkeiten", "berufsbild", &cert->berufsbild, error) ||
       !read_string_list (obj, "werdegang.taetigkeiten", "items", cert->tasks, error)))
    return FALSE;

  return read_string_list (werdegang, p, "zusatztaetigkeiten", cert->additional_tasks, error) &&
         read_string_list (werdegang, p, "weiterbildungen", cert->trainings, error) &&
         read_string_list (werdegang, p, "vollmachten", cert->powers, error);
}

static gboolean
read_bewertung (ZgCertificate  *cert,
                JsonObject     *root,
                GError        **error)
{
  static const char *const members[] = { "bewertung", "qualifikationen", "erfolge", NULL };
  static const char *const rating_members[] = { "grades", "overall", NULL };
  const char *p = "bewertung";
  JsonObject *bewertung, *obj;
  gboolean ok;

  bewertung = read_object (root, "", "bewertung", members, &ok, error);
  if (!ok)
    return FALSE;
  if (bewertung == NULL)
    return TRUE;

  obj = read_object (bewertung, p, "bewertung", rating_members, &ok, error);
  if (!ok)
    return FALSE;
  if (obj != NULL)
    {
      JsonObject *grades = read_object (obj, "bewertung.bewertung", "grades", NULL, &ok, error);
      JsonNode *node;

      if (!ok)
        return FALSE;
      if (grades != NULL)
        {
          JsonObjectIter iter;
          const char *name;
          JsonNode *value;

          json_object_iter_init (&iter, grades);
          while (json_object_iter_next (&iter, &name, &value))
            {
              ZgCategory category;
              gint64 grade;

              if (!zg_category_from_key (name, &category))
                {
                  g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_INVALID,
                               "Unknown rating category “bewertung.bewertung.grades.%s”", name);
                  return FALSE;
                }
              if (JSON_NODE_HOLDS_NULL (value))
                {
                  cert->grades[category] = 0;
                  continue;
                }
              if (!read_int_node (value, "bewertung.bewertung.grades", name, 1, 5, &grade, error))
                return FALSE;
              cert->grades[category] = (int) grade;
            }
        }
      node = member (obj, "overall");
      if (node != NULL)
        {
          gint64 grade;

          if (!read_int_node (node, "bewertung.bewertung", "overall", 1, 5, &grade, error))
            return FALSE;
          cert->overall_override = (int) grade;
        }
    }

  return read_string_list (bewertung, p, "qualifikationen", cert->qualifications, error) &&
         read_string_list (bewertung, p, "erfolge", cert->achievements, error);
}

static gboolean
read_ergebnis (ZgCertificate  *cert,
               JsonObject     *root,
               GError        **error)
{
  static const char *const members[] = { "variants", "text", NULL };
  JsonObject *ergebnis, *variants;
  gboolean ok;

  ergebnis = read_object (root, "", "ergebnis", members, &ok, error);
  if (!ok)
    return FALSE;
  if (ergebnis == NULL)
    return TRUE;

  variants = read_object (ergebnis, "ergebnis", "variants", NULL, &ok, error);
  if (!ok)
    return FALSE;
  if (variants != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      if (json_object_get_size (variants) > 200)
        return type_error ("ergebnis", "variants", "a smaller object", error);
      json_object_iter_init (&iter, variants);
      while (json_object_iter_next (&iter, &name, &value))
        {
          gint64 index;

          if (!is_key_string (name))
            {
              g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_INVALID,
                           "“ergebnis.variants” has an invalid slot name");
              return FALSE;
            }
          /* a phrase id; an integer is a list position written before ids were stored */
          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
            {
              if (!is_variant_id (json_node_get_string (value)))
                {
                  g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_OUT_OF_RANGE,
                               "“ergebnis.variants.%s” must be a phrase id like "
                               "“wissen.2.b”", name);
                  return FALSE;
                }
              zg_certificate_set_variant_id (cert, name, json_node_get_string (value), NULL);
              continue;
            }
          if (!read_int_node (value, "ergebnis.variants", name, 0, 999, &index, error))
            return FALSE;
          zg_certificate_set_variant (cert, name, (guint) index);
        }
    }
  return read_string_max (ergebnis, "ergebnis", "text", MAX_TEXT, &cert->edited_text, error);
}

/* "2026-11-26T10:00:00Z", UTC, whole seconds: nothing else. */
static gboolean
parse_timestamp (const char *s,
                 gint64     *out)
{
  static const char pattern[] = "dddd-dd-ddTdd:dd:ddZ";
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;
  int v[6] = { 0 };
  const int at[6] = { 0, 5, 8, 11, 14, 17 };
  const int len[6] = { 4, 2, 2, 2, 2, 2 };

  if (strlen (s) != sizeof pattern - 1)
    return FALSE;
  for (guint i = 0; i < sizeof pattern - 1; i++)
    if (pattern[i] == 'd' ? !g_ascii_isdigit (s[i]) : s[i] != pattern[i])
      return FALSE;
  for (guint k = 0; k < 6; k++)
    for (int i = 0; i < len[k]; i++)
      v[k] = v[k] * 10 + (s[at[k] + i] - '0');
  if (v[0] < 1970 || v[0] > 2200 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 ||
      v[3] > 23 || v[4] > 59 || v[5] > 59 || !g_date_valid_dmy ((GDateDay) v[2],
                                                              (GDateMonth) v[1],
                                                              (GDateYear) v[0]))
    return FALSE;
  dt = g_date_time_new (utc, v[0], v[1], v[2], v[3], v[4], v[5]);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

static gboolean
read_timestamp (JsonObject  *obj,
                const char  *path,
                const char  *name,
                gint64      *out,
                GError     **error)
{
  JsonNode *node = member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      !parse_timestamp (json_node_get_string (node), out))
    {
      g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_DATE,
                   "“%s.%s” must be a UTC time like 2026-11-26T10:00:00Z", path, name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_prozess (ZgCertificate  *cert,
              JsonObject     *root,
              GError        **error)
{
  static const char *const prozess_members[] = { "created", "events", NULL };
  static const char *const created_members[] = { "by", "by_name", "at", NULL };
  static const char *const event_members[] = {
    "type", "from", "to", "by", "by_name", "supervisor", "at", NULL
  };
  static const char *const type_list[] = { "status", "handover", "handover_finished", NULL };
  static const char *const status_names[] = {
    "draft", "handed-over", "handover-finished", "review", "approved", "completed", NULL
  };
  JsonObject *prozess, *created;
  JsonNode *node;
  gboolean ok;

  prozess = read_object (root, "", "prozess", prozess_members, &ok, error);
  if (!ok)
    return FALSE;
  if (prozess == NULL)
    return TRUE;
  created = read_object (prozess, "prozess", "created", created_members, &ok, error);
  if (!ok)
    return FALSE;
  if (created != NULL &&
      (!read_string_max (created, "prozess.created", "by", 64, &cert->created_by, error) ||
       !read_string_max (created, "prozess.created", "by_name", MAX_NAME, &cert->created_by_name,
                         error) ||
       !read_timestamp (created, "prozess.created", "at", &cert->created_at, error)))
    return FALSE;
  node = member (prozess, "events");
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) >
      MAX_EVENTS)
    return type_error ("prozess", "events", "an array of at most 10,000 events", error);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (node), i);
      g_autofree char *p = g_strdup_printf ("prozess.events[%u]", i);
      g_autoptr(ZgProcessEvent) ev = zg_process_event_new (ZG_PROCESS_STATUS);
      JsonObject *o;
      guint type = 0, from = 0, to = 0;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return type_error ("prozess", "events", "an array of objects", error);
      o = json_node_get_object (item);
      if (!check_members (o, p, event_members, error))
        return FALSE;
      if (member (o, "type") == NULL)
        return type_error (p, "type", "one of status, handover, handover_finished", error);
      if (!read_enum (o, p, "type", type_list, ZG_N_PROCESS_EVENTS, &type, error))
        return FALSE;
      ev->type = (ZgProcessEventType) type;
      if (ev->type == ZG_PROCESS_STATUS)
        {
          if (member (o, "from") == NULL || member (o, "to") == NULL)
            return type_error (p, "from", "given with “to” for a status event", error);
          if (!read_enum (o, p, "from", status_names, ZG_N_STATUSES, &from, error) ||
              !read_enum (o, p, "to", status_names, ZG_N_STATUSES, &to, error))
            return FALSE;
        }
      else if (member (o, "from") != NULL || member (o, "to") != NULL)
        return type_error (p, "from", "absent for a handover event", error);
      ev->from = (ZgCertificateStatus) from;
      ev->to = (ZgCertificateStatus) to;
      if (!read_string_max (o, p, "by", 64, &ev->by, error) ||
          !read_string_max (o, p, "by_name", MAX_NAME, &ev->by_name, error) ||
          !read_string_max (o, p, "supervisor", MAX_NAME, &ev->supervisor, error) ||
          !read_timestamp (o, p, "at", &ev->at, error))
        return FALSE;
      g_ptr_array_add (cert->process_events, g_steal_pointer (&ev));
    }
  return TRUE;
}

ZgCertificate *
zg_certificate_from_json (JsonNode  *node,
                          GError   **error)
{
  static const char *const members[] = {
    "version", "id", "status", "private", "daten", "werdegang", "bewertung", "ergebnis",
    "prozess", NULL
  };
  g_autoptr(ZgCertificate) cert = NULL;
  JsonObject *root;
  JsonNode *version;
  guint e;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_INVALID,
                   "A certificate must be a JSON object");
      return NULL;
    }
  root = json_node_get_object (node);
  if (!check_members (root, "", members, error))
    return NULL;

  version = member (root, "version");
  if (version != NULL)
    {
      gint64 v;

      if (!read_int_node (version, "", "version", FORMAT_VERSION, FORMAT_VERSION, &v, error))
        return NULL;
    }

  cert = zg_certificate_new ();
  e = cert->status;
  if (!read_string (root, "", "id", &cert->id, error) ||
      !read_enum (root, "", "status", status_list, ZG_N_STATUSES, &e, error) ||
      !read_bool (root, "", "private", &cert->is_private, error))
    return NULL;
  cert->status = (ZgCertificateStatus) e;

  if (!read_daten (cert, root, error) ||
      !read_werdegang (cert, root, error) ||
      !read_bewertung (cert, root, error) ||
      !read_ergebnis (cert, root, error) ||
      !read_prozess (cert, root, error))
    return NULL;

  return g_steal_pointer (&cert);
}

ZgCertificate *
zg_certificate_from_data (const char  *data,
                          gssize       length,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, ZG_CERTIFICATE_ERROR, ZG_CERTIFICATE_ERROR_INVALID,
                   "Certificate is not valid JSON: %s", local_error->message);
      return NULL;
    }
  return zg_certificate_from_json (json_parser_get_root (parser), error);
}

/* ---- JSON writing ---- */

static void
put_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
put_date (JsonBuilder *b,
          const char  *name,
          const GDate *date)
{
  char buf[16];

  if (!g_date_valid (date))
    return;
  g_snprintf (buf, sizeof buf, "%04u-%02u-%02u",
              (guint) g_date_get_year (date), (guint) g_date_get_month (date),
              (guint) g_date_get_day (date));
  put_string (b, name, buf);
}

static void
put_timestamp (JsonBuilder *b,
               const char  *name,
               gint64       at)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (at);
  g_autofree char *text = dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;

  put_string (b, name, text != NULL ? text : "1970-01-01T00:00:00Z");
}

static void
put_list (JsonBuilder     *b,
          const char      *name,
          const GPtrArray *list)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (list, i));
  json_builder_end_array (b);
}

JsonNode *
zg_certificate_to_json (const ZgCertificate *cert)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(GList) slots = NULL;

  g_return_val_if_fail (cert != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, FORMAT_VERSION);
  put_string (b, "id", cert->id);
  put_string (b, "status", status_keys[cert->status]);
  json_builder_set_member_name (b, "private");
  json_builder_add_boolean_value (b, cert->is_private);

  json_builder_set_member_name (b, "daten");
  json_builder_begin_object (b);

  json_builder_set_member_name (b, "persoenliche_daten");
  json_builder_begin_object (b);
  put_string (b, "employee_id", cert->employee_id);
  put_string (b, "salutation", salutation_keys[cert->salutation]);
  put_string (b, "title", cert->title);
  put_string (b, "first_name", cert->first_name);
  put_string (b, "last_name", cert->last_name);
  put_date (b, "birth_date", &cert->birth_date);
  put_string (b, "birth_place", cert->birth_place);
  put_string (b, "street", cert->street);
  put_string (b, "postcode", cert->postcode);
  put_string (b, "city", cert->city);
  put_string (b, "email", cert->email);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "unternehmen");
  json_builder_begin_object (b);
  put_string (b, "name", cert->company_name);
  put_list (b, "address", cert->company_address);
  put_string (b, "description", cert->company_description);
  put_string (b, "location", cert->location);
  put_string (b, "department", cert->department);
  put_string (b, "org_unit", cert->org_unit);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "zeugnisdaten");
  json_builder_begin_object (b);
  put_string (b, "kind", kind_keys[cert->kind]);
  put_string (b, "language", cert->language);
  put_date (b, "issue_date", &cert->issue_date);
  put_string (b, "issue_place", cert->issue_place);
  put_string (b, "reason", cert->reason);
  put_date (b, "entry_date", &cert->entry_date);
  put_date (b, "exit_date", &cert->exit_date);
  put_string (b, "position", cert->position);
  put_string (b, "employee_type", cert->employee_type);
  json_builder_set_member_name (b, "manager");
  json_builder_add_boolean_value (b, cert->is_manager);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "weitere_angaben");
  json_builder_begin_object (b);
  put_string (b, "notes", cert->notes);
  put_string (b, "occupation", cert->occupation);
  put_string (b, "vocational_school", cert->vocational_school);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "unterschriften");
  json_builder_begin_array (b);
  for (guint i = 0; i < cert->signatories->len; i++)
    {
      const ZgCertSignatory *sig = g_ptr_array_index (cert->signatories, i);

      json_builder_begin_object (b);
      put_string (b, "employee_id", sig->employee_id);
      put_string (b, "name", sig->name);
      put_string (b, "function", sig->function);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b); /* daten */

  json_builder_set_member_name (b, "werdegang");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "stationen");
  json_builder_begin_array (b);
  for (guint i = 0; i < cert->stations->len; i++)
    {
      const ZgStation *station = g_ptr_array_index (cert->stations, i);

      json_builder_begin_object (b);
      put_string (b, "position", station->position);
      put_string (b, "department", station->department);
      put_date (b, "from", &station->from);
      put_date (b, "to", &station->to);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "taetigkeiten");
  json_builder_begin_object (b);
  put_string (b, "berufsbild", cert->berufsbild);
  put_list (b, "items", cert->tasks);
  json_builder_end_object (b);
  put_list (b, "zusatztaetigkeiten", cert->additional_tasks);
  put_list (b, "weiterbildungen", cert->trainings);
  put_list (b, "vollmachten", cert->powers);
  json_builder_end_object (b); /* werdegang */

  json_builder_set_member_name (b, "bewertung");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "bewertung");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "grades");
  json_builder_begin_object (b);
  for (guint c = 0; c < ZG_N_CATEGORIES; c++)
    if (cert->grades[c] != 0)
      {
        json_builder_set_member_name (b, category_keys[c]);
        json_builder_add_int_value (b, cert->grades[c]);
      }
  json_builder_end_object (b);
  if (cert->overall_override != 0)
    {
      json_builder_set_member_name (b, "overall");
      json_builder_add_int_value (b, cert->overall_override);
    }
  json_builder_end_object (b);
  put_list (b, "qualifikationen", cert->qualifications);
  put_list (b, "erfolge", cert->achievements);
  json_builder_end_object (b); /* bewertung */

  json_builder_set_member_name (b, "ergebnis");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "variants");
  json_builder_begin_object (b);
  /* the two tables never share a slot (the setters keep them apart) */
  slots = g_list_concat (g_hash_table_get_keys (cert->variant_choices),
                         g_hash_table_get_keys (cert->variant_indexes));
  slots = g_list_sort (slots, (GCompareFunc) strcmp);
  for (const GList *l = slots; l != NULL; l = l->next)
    {
      const char *id = g_hash_table_lookup (cert->variant_choices, l->data);

      json_builder_set_member_name (b, l->data);
      if (id != NULL)
        json_builder_add_string_value (b, id);
      else
        json_builder_add_int_value (b, GPOINTER_TO_UINT (g_hash_table_lookup (
                                                           cert->variant_indexes, l->data)));
    }
  json_builder_end_object (b);
  put_string (b, "text", cert->edited_text);
  json_builder_end_object (b);

  if (cert->created_at != 0 || cert->process_events->len > 0)
    {
      json_builder_set_member_name (b, "prozess");
      json_builder_begin_object (b);
      if (cert->created_at != 0)
        {
          json_builder_set_member_name (b, "created");
          json_builder_begin_object (b);
          put_string (b, "by", cert->created_by);
          put_string (b, "by_name", cert->created_by_name);
          put_timestamp (b, "at", cert->created_at);
          json_builder_end_object (b);
        }
      json_builder_set_member_name (b, "events");
      json_builder_begin_array (b);
      for (guint i = 0; i < cert->process_events->len; i++)
        {
          const ZgProcessEvent *ev = g_ptr_array_index (cert->process_events, i);

          json_builder_begin_object (b);
          put_string (b, "type", process_keys[ev->type]);
          if (ev->type == ZG_PROCESS_STATUS)
            {
              put_string (b, "from", status_keys[ev->from]);
              put_string (b, "to", status_keys[ev->to]);
            }
          put_string (b, "by", ev->by);
          put_string (b, "by_name", ev->by_name);
          put_string (b, "supervisor", ev->supervisor);
          put_timestamp (b, "at", ev->at);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

char *
zg_certificate_to_data (const ZgCertificate *cert,
                        gboolean             pretty)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  g_return_val_if_fail (cert != NULL, NULL);
  node = zg_certificate_to_json (cert);
  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, pretty);
  return json_generator_to_data (gen, NULL);
}
