/* kwb-mi-record.c — one parsed GDB/MI output record and its values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kwb-json-output.h"
#include "kwb-mi-record-private.h"

G_DEFINE_BOXED_TYPE (KwbMiRecord, kwb_mi_record, kwb_mi_record_ref, kwb_mi_record_unref)

KwbMiRecord *
kwb_mi_record_ref (KwbMiRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return g_atomic_rc_box_acquire (record);
}

void
kwb_mi_record_unref (KwbMiRecord *record)
{
  g_return_if_fail (record != NULL);
  g_atomic_rc_box_release (record);
}

KwbMiRecordType
kwb_mi_record_get_record_type (const KwbMiRecord *record)
{
  return record->type;
}

const char *
kwb_mi_record_type_to_string (KwbMiRecordType type)
{
  switch (type)
    {
    case KWB_MI_RECORD_RESULT:  return "result";
    case KWB_MI_RECORD_EXEC:    return "exec";
    case KWB_MI_RECORD_STATUS:  return "status";
    case KWB_MI_RECORD_NOTIFY:  return "notify";
    case KWB_MI_RECORD_CONSOLE: return "console";
    case KWB_MI_RECORD_TARGET:  return "target";
    case KWB_MI_RECORD_LOG:     return "log";
    case KWB_MI_RECORD_PROMPT:  return "prompt";
    case KWB_MI_RECORD_ERROR:   return "error";
    default:                    return "unknown";
    }
}

gboolean
kwb_mi_record_has_token (const KwbMiRecord *record)
{
  return record->has_token;
}

guint64
kwb_mi_record_get_token (const KwbMiRecord *record)
{
  return record->token;
}

const char *
kwb_mi_record_get_class (const KwbMiRecord *record)
{
  return record->klass;
}

gboolean
kwb_mi_record_is_class (const KwbMiRecord *record,
                        const char        *klass)
{
  return record->klass != NULL && strcmp (record->klass, klass) == 0;
}

const char *
kwb_mi_record_get_text (const KwbMiRecord *record,
                        gsize             *len)
{
  if (len != NULL)
    *len = record->text_len;
  return record->text;
}

const char *
kwb_mi_record_get_error (const KwbMiRecord *record,
                         guint             *column)
{
  if (column != NULL)
    *column = record->column;
  return record->error;
}

const KwbMiValue *
kwb_mi_record_get_results (const KwbMiRecord *record)
{
  return &record->results;
}

const KwbMiValue *
kwb_mi_record_get (const KwbMiRecord *record,
                   const char        *path)
{
  return kwb_mi_value_get (&record->results, path);
}

const char *
kwb_mi_record_get_string (const KwbMiRecord *record,
                          const char        *path)
{
  return kwb_mi_value_get_string (&record->results, path);
}

gint64
kwb_mi_record_get_int (const KwbMiRecord *record,
                       const char        *path,
                       gint64             default_value)
{
  return kwb_mi_value_get_int (&record->results, path, default_value);
}

KwbMiValueKind
kwb_mi_value_get_kind (const KwbMiValue *value)
{
  return (KwbMiValueKind) value->kind;
}

const char *
kwb_mi_value_get_key (const KwbMiValue *value)
{
  return value->key;
}

guint
kwb_mi_value_get_n_children (const KwbMiValue *value)
{
  if (value == NULL || value->kind == KWB_MI_VALUE_STRING)
    return 0;
  return value->len;
}

const KwbMiValue *
kwb_mi_value_get_nth (const KwbMiValue *value,
                      guint             n)
{
  if (value == NULL || value->kind == KWB_MI_VALUE_STRING || n >= value->len)
    return NULL;
  return &value->u.children[n];
}

static const KwbMiValue *
get_child (const KwbMiValue *value,
           const char       *name,
           gsize             name_len)
{
  gboolean numeric = name_len > 0;

  if (value->kind == KWB_MI_VALUE_STRING)
    return NULL;

  for (gsize i = 0; i < name_len; i++)
    if (!g_ascii_isdigit (name[i]))
      numeric = FALSE;

  if (numeric && name_len < 10)
    {
      guint n = 0;

      for (gsize i = 0; i < name_len; i++)
        n = n * 10 + (guint) (name[i] - '0');
      return kwb_mi_value_get_nth (value, n);
    }

  for (guint i = 0; i < value->len; i++)
    {
      const KwbMiValue *child = &value->u.children[i];

      if (child->key != NULL && strncmp (child->key, name, name_len) == 0 && child->key[name_len] == '\0')
        return child;
    }
  return NULL;
}

const KwbMiValue *
kwb_mi_value_get (const KwbMiValue *value,
                  const char       *path)
{
  const char *p = path;

  if (value == NULL)
    return NULL;
  if (path == NULL)
    return value;

  while (*p != '\0')
    {
      const char *dot = strchr (p, '.');
      gsize len = dot ? (gsize) (dot - p) : strlen (p);

      if ((value = get_child (value, p, len)) == NULL)
        return NULL;
      p += len;
      if (*p == '.')
        p++;
    }
  return value;
}

const char *
kwb_mi_value_get_string_len (const KwbMiValue *value,
                             const char       *path,
                             gsize            *len)
{
  value = kwb_mi_value_get (value, path);
  if (value == NULL || value->kind != KWB_MI_VALUE_STRING)
    {
      if (len != NULL)
        *len = 0;
      return NULL;
    }
  if (len != NULL)
    *len = value->len;
  return value->u.string;
}

const char *
kwb_mi_value_get_string (const KwbMiValue *value,
                         const char       *path)
{
  return kwb_mi_value_get_string_len (value, path, NULL);
}

gboolean
kwb_mi_value_get_uint64 (const KwbMiValue *value,
                         const char       *path,
                         guint64          *out)
{
  const char *s = kwb_mi_value_get_string (value, path);
  guint base = 10;

  if (s == NULL || *s == '\0')
    return FALSE;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
    {
      s += 2;
      base = 16;
    }
  /* The g_ascii_string_to_* helpers refuse a leading sign or spaces: good. */
  return g_ascii_string_to_unsigned (s, base, 0, G_MAXUINT64, out, NULL);
}

gint64
kwb_mi_value_get_int (const KwbMiValue *value,
                      const char       *path,
                      gint64            default_value)
{
  const char *s = kwb_mi_value_get_string (value, path);
  gint64 result;

  if (s == NULL || *s == '\0')
    return default_value;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
    {
      guint64 u;

      if (!kwb_mi_value_get_uint64 (value, path, &u))
        return default_value;
      return (gint64) u;
    }
  if (!g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, &result, NULL))
    return default_value;
  return result;
}

/* JSON ------------------------------------------------------------------ */

static void add_value (JsonBuilder *b, const KwbMiValue *value);

/* In a tuple every child is a [key, value] pair (a key GDB left out, as MI2
 * does for multi-location breakpoints, is null); in a list only results are
 * pairs. Other values are strings or objects, never bare arrays, so the two
 * cannot be confused. Pairs rather than a JSON object: GDB repeats names
 * (frame=…,frame=…) and a JSON object would keep one. */
static void
add_children (JsonBuilder      *b,
              const KwbMiValue *value)
{
  json_builder_begin_array (b);
  for (guint i = 0; i < value->len; i++)
    {
      const KwbMiValue *child = &value->u.children[i];

      if (child->key != NULL || value->kind == KWB_MI_VALUE_TUPLE)
        {
          json_builder_begin_array (b);
          if (child->key != NULL)
            kwb_json_builder_add_bytes (b, child->key, -1);
          else
            json_builder_add_null_value (b);
          add_value (b, child);
          json_builder_end_array (b);
        }
      else
        add_value (b, child);
    }
  json_builder_end_array (b);
}

static void
add_value (JsonBuilder      *b,
           const KwbMiValue *value)
{
  if (value->kind == KWB_MI_VALUE_STRING)
    {
      kwb_json_builder_add_bytes (b, value->u.string, value->len);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, value->kind == KWB_MI_VALUE_TUPLE ? "tuple" : "list");
  add_children (b, value);
  json_builder_end_object (b);
}

JsonNode *
kwb_mi_record_to_json (const KwbMiRecord *record)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (record != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, kwb_mi_record_type_to_string (record->type));

  switch (record->type)
    {
    case KWB_MI_RECORD_RESULT:
    case KWB_MI_RECORD_EXEC:
    case KWB_MI_RECORD_STATUS:
    case KWB_MI_RECORD_NOTIFY:
      json_builder_set_member_name (b, "token");
      if (record->has_token && record->token <= G_MAXINT64)
        json_builder_add_int_value (b, (gint64) record->token);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "class");
      kwb_json_builder_add_bytes (b, record->klass, -1);
      json_builder_set_member_name (b, "results");
      add_children (b, &record->results);
      break;

    case KWB_MI_RECORD_CONSOLE:
    case KWB_MI_RECORD_TARGET:
    case KWB_MI_RECORD_LOG:
      json_builder_set_member_name (b, "text");
      kwb_json_builder_add_bytes (b, record->text, record->text_len);
      break;

    case KWB_MI_RECORD_ERROR:
      json_builder_set_member_name (b, "error");
      kwb_json_builder_add_bytes (b, record->error, -1);
      json_builder_set_member_name (b, "column");
      json_builder_add_int_value (b, record->column);
      json_builder_set_member_name (b, "text");
      kwb_json_builder_add_bytes (b, record->text, record->text_len);
      break;

    case KWB_MI_RECORD_PROMPT:
    default:
      break;
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
kwb_mi_record_append_json (const KwbMiRecord *record,
                           GString           *out)
{
  g_autoptr(JsonNode) node = kwb_mi_record_to_json (record);
  g_autofree char *line = kwb_json_to_line (node);

  g_string_append (out, line);
}
