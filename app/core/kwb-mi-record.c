/* kwb-mi-record.c — one parsed GDB/MI output record and its values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

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

void
kwb_mi_json_append_string (GString    *out,
                           const char *s,
                           gsize       len)
{
  const char *end = s + len;

  g_string_append_c (out, '"');
  while (s < end)
    {
      const char *valid_end;
      const char *p;

      g_utf8_validate_len (s, (gsize) (end - s), &valid_end);
      for (p = s; p < valid_end; p++)
        {
          guchar c = (guchar) *p;

          switch (c)
            {
            case '"':  g_string_append (out, "\\\""); break;
            case '\\': g_string_append (out, "\\\\"); break;
            case '\n': g_string_append (out, "\\n"); break;
            case '\t': g_string_append (out, "\\t"); break;
            case '\r': g_string_append (out, "\\r"); break;
            default:
              if (c < 0x20)
                g_string_append_printf (out, "\\u%04x", c);
              else
                g_string_append_c (out, (char) c);
            }
        }
      if (valid_end < end)
        {
          guchar c = (guchar) *valid_end;

          /* NUL is valid JSON as \u0000; any other byte that is not UTF-8
           * becomes a lone low surrogate U+DC80..U+DCFF, Python's
           * "surrogateescape", so the original bytes can be recovered. */
          if (c == 0)
            g_string_append (out, "\\u0000");
          else
            g_string_append_printf (out, "\\udc%02x", c);
          valid_end++;
        }
      s = valid_end;
    }
  g_string_append_c (out, '"');
}

static void append_value (GString *out, const KwbMiValue *value);

/* In a tuple every child is a [key, value] pair (a key GDB left out, as MI2
 * does for multi-location breakpoints, is null); in a list only results are
 * pairs. Other values are strings or objects, never bare arrays, so the two
 * cannot be confused. */
static void
append_children (GString          *out,
                 const KwbMiValue *value)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < value->len; i++)
    {
      const KwbMiValue *child = &value->u.children[i];

      if (i > 0)
        g_string_append_c (out, ',');
      if (child->key != NULL || value->kind == KWB_MI_VALUE_TUPLE)
        {
          g_string_append_c (out, '[');
          if (child->key != NULL)
            kwb_mi_json_append_string (out, child->key, strlen (child->key));
          else
            g_string_append (out, "null");
          g_string_append_c (out, ',');
          append_value (out, child);
          g_string_append_c (out, ']');
        }
      else
        append_value (out, child);
    }
  g_string_append_c (out, ']');
}

static void
append_value (GString          *out,
              const KwbMiValue *value)
{
  if (value->kind == KWB_MI_VALUE_STRING)
    {
      kwb_mi_json_append_string (out, value->u.string, value->len);
      return;
    }
  g_string_append (out, value->kind == KWB_MI_VALUE_TUPLE ? "{\"tuple\":" : "{\"list\":");
  append_children (out, value);
  g_string_append_c (out, '}');
}

void
kwb_mi_record_append_json (const KwbMiRecord *record,
                           GString           *out)
{
  g_string_append (out, "{\"type\":\"");
  g_string_append (out, kwb_mi_record_type_to_string (record->type));
  g_string_append_c (out, '"');

  switch (record->type)
    {
    case KWB_MI_RECORD_RESULT:
    case KWB_MI_RECORD_EXEC:
    case KWB_MI_RECORD_STATUS:
    case KWB_MI_RECORD_NOTIFY:
      g_string_append (out, ",\"token\":");
      if (record->has_token)
        g_string_append_printf (out, "%" G_GUINT64_FORMAT, record->token);
      else
        g_string_append (out, "null");
      g_string_append (out, ",\"class\":");
      kwb_mi_json_append_string (out, record->klass, strlen (record->klass));
      g_string_append (out, ",\"results\":");
      append_children (out, &record->results);
      break;

    case KWB_MI_RECORD_CONSOLE:
    case KWB_MI_RECORD_TARGET:
    case KWB_MI_RECORD_LOG:
      g_string_append (out, ",\"text\":");
      kwb_mi_json_append_string (out, record->text, record->text_len);
      break;

    case KWB_MI_RECORD_ERROR:
      g_string_append (out, ",\"error\":");
      kwb_mi_json_append_string (out, record->error, strlen (record->error));
      g_string_append_printf (out, ",\"column\":%u,\"text\":", record->column);
      kwb_mi_json_append_string (out, record->text, record->text_len);
      break;

    case KWB_MI_RECORD_PROMPT:
    default:
      break;
    }
  g_string_append_c (out, '}');
}
