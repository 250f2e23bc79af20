/* kwb-json.c — a small JSON reader for QMP replies, into GVariant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kwb-json.h"

G_DEFINE_QUARK (kwb-json-error-quark, kwb_json_error)

typedef struct {
  const char *p;
  const char *end;
  guint       depth;
} Reader;

#define MAX_DEPTH 64

static GVariant *parse_value (Reader *r, GError **error);

static gboolean
fail (Reader      *r,
      GError     **error,
      const char  *what)
{
  g_set_error (error, KWB_JSON_ERROR, KWB_JSON_ERROR_INVALID,
               "invalid JSON: %s at “%.20s”", what, r->p < r->end ? r->p : "");
  return FALSE;
}

static void
skip_space (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

static gboolean
parse_hex4 (Reader   *r,
            gunichar *out)
{
  gunichar v = 0;

  if (r->end - r->p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (r->p[i]);

      if (d < 0)
        return FALSE;
      v = (v << 4) | (gunichar) d;
    }
  r->p += 4;
  *out = v;
  return TRUE;
}

static char *
parse_string (Reader  *r,
              GError **error)
{
  g_autoptr(GString) s = g_string_new (NULL);

  r->p++; /* opening quote */
  while (r->p < r->end && *r->p != '"')
    {
      char c = *r->p++;

      if ((guchar) c < 0x20)
        return fail (r, error, "control character in string"), NULL;
      if (c != '\\')
        {
          g_string_append_c (s, c);
          continue;
        }
      if (r->p >= r->end)
        break;
      c = *r->p++;
      switch (c)
        {
        case '"': g_string_append_c (s, '"'); break;
        case '\\': g_string_append_c (s, '\\'); break;
        case '/': g_string_append_c (s, '/'); break;
        case 'b': g_string_append_c (s, '\b'); break;
        case 'f': g_string_append_c (s, '\f'); break;
        case 'n': g_string_append_c (s, '\n'); break;
        case 'r': g_string_append_c (s, '\r'); break;
        case 't': g_string_append_c (s, '\t'); break;
        case 'u':
          {
            gunichar u;

            if (!parse_hex4 (r, &u))
              return fail (r, error, "bad \\u escape"), NULL;
            if (u >= 0xd800 && u < 0xdc00 && r->end - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u')
              {
                gunichar lo;

                r->p += 2;
                if (!parse_hex4 (r, &lo) || lo < 0xdc00 || lo > 0xdfff)
                  return fail (r, error, "bad surrogate pair"), NULL;
                u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
              }
            if (!g_unichar_validate (u))
              u = 0xfffd;
            g_string_append_unichar (s, u);
            break;
          }
        default:
          return fail (r, error, "unknown escape"), NULL;
        }
    }
  if (r->p >= r->end)
    return fail (r, error, "unterminated string"), NULL;
  r->p++;
  if (!g_utf8_validate (s->str, s->len, NULL))
    return fail (r, error, "string is not UTF-8"), NULL;
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static GVariant *
parse_number (Reader  *r,
              GError **error)
{
  const char *start = r->p;
  gboolean is_float = FALSE;
  g_autofree char *text = NULL;

  if (r->p < r->end && *r->p == '-')
    r->p++;
  while (r->p < r->end && (g_ascii_isdigit (*r->p) || strchr (".eE+-", *r->p)))
    {
      if (strchr (".eE", *r->p))
        is_float = TRUE;
      r->p++;
    }
  if (r->p == start || (r->p == start + 1 && *start == '-'))
    return fail (r, error, "expected a value"), NULL;
  text = g_strndup (start, r->p - start);
  if (!is_float)
    {
      gint64 v;

      if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &v, NULL))
        return g_variant_new_int64 (v);
    }
  return g_variant_new_double (g_ascii_strtod (text, NULL));
}

static gboolean
match_word (Reader     *r,
            const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (r->end - r->p) >= n && memcmp (r->p, word, n) == 0)
    {
      r->p += n;
      return TRUE;
    }
  return FALSE;
}

static GVariant *
parse_object (Reader  *r,
              GError **error)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  r->p++;
  skip_space (r);
  if (r->p < r->end && *r->p == '}')
    {
      r->p++;
      return g_variant_builder_end (&b);
    }
  for (;;)
    {
      g_autofree char *key = NULL;
      GVariant *value;

      skip_space (r);
      if (r->p >= r->end || *r->p != '"')
        goto error;
      if ((key = parse_string (r, error)) == NULL)
        goto error_set;
      skip_space (r);
      if (r->p >= r->end || *r->p != ':')
        goto error;
      r->p++;
      if ((value = parse_value (r, error)) == NULL)
        goto error_set;
      g_variant_builder_add (&b, "{sv}", key, value);
      skip_space (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == '}')
        {
          r->p++;
          return g_variant_builder_end (&b);
        }
      goto error;
    }

error:
  fail (r, error, "malformed object");
error_set:
  g_variant_builder_clear (&b);
  return NULL;
}

static GVariant *
parse_array (Reader  *r,
             GError **error)
{
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE ("av"));
  r->p++;
  skip_space (r);
  if (r->p < r->end && *r->p == ']')
    {
      r->p++;
      return g_variant_builder_end (&b);
    }
  for (;;)
    {
      GVariant *value;

      if ((value = parse_value (r, error)) == NULL)
        goto error_set;
      g_variant_builder_add (&b, "v", value);
      skip_space (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          continue;
        }
      if (r->p < r->end && *r->p == ']')
        {
          r->p++;
          return g_variant_builder_end (&b);
        }
      fail (r, error, "malformed array");
      goto error_set;
    }

error_set:
  g_variant_builder_clear (&b);
  return NULL;
}

static GVariant *
parse_value (Reader  *r,
             GError **error)
{
  GVariant *v = NULL;

  skip_space (r);
  if (r->p >= r->end)
    return fail (r, error, "unexpected end"), NULL;
  if (++r->depth > MAX_DEPTH)
    return fail (r, error, "nested too deeply"), NULL;

  switch (*r->p)
    {
    case '{':
      v = parse_object (r, error);
      break;
    case '[':
      v = parse_array (r, error);
      break;
    case '"':
      {
        char *s = parse_string (r, error);

        v = s ? g_variant_new_take_string (s) : NULL;
        break;
      }
    default:
      if (match_word (r, "true"))
        v = g_variant_new_boolean (TRUE);
      else if (match_word (r, "false"))
        v = g_variant_new_boolean (FALSE);
      else if (match_word (r, "null"))
        v = g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
      else
        v = parse_number (r, error);
    }
  r->depth--;
  return v;
}

GVariant *
kwb_json_parse (const char  *text,
                gssize       length,
                GError     **error)
{
  Reader r;
  GVariant *v;

  g_return_val_if_fail (text != NULL, NULL);

  r.p = text;
  r.end = text + (length < 0 ? strlen (text) : (gsize) length);
  r.depth = 0;
  v = parse_value (&r, error);
  if (v == NULL)
    return NULL;
  g_variant_ref_sink (v);
  skip_space (&r);
  if (r.p != r.end)
    {
      g_variant_unref (v);
      fail (&r, error, "trailing text");
      return NULL;
    }
  return v;
}

char *
kwb_json_quote (const char *text)
{
  GString *s = g_string_new ("\"");

  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (s, "\\%c", c);
      else if (c == '\n')
        g_string_append (s, "\\n");
      else if (c < 0x20)
        g_string_append_printf (s, "\\u%04x", c);
      else
        g_string_append_c (s, (char) c);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

/* "return.status" in an a{sv} tree; NULL when absent or not a string. */
char *
kwb_json_dup_string (GVariant   *object,
                        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  GVariant *cur = object;
  g_autoptr(GVariant) hold = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      GVariant *next;

      if (cur == NULL || !g_variant_is_of_type (cur, G_VARIANT_TYPE_VARDICT))
        return NULL;
      next = g_variant_lookup_value (cur, parts[i], NULL);
      g_clear_pointer (&hold, g_variant_unref);
      hold = next;
      cur = next;
    }
  if (cur == NULL || !g_variant_is_of_type (cur, G_VARIANT_TYPE_STRING))
    return NULL;
  return g_variant_dup_string (cur, NULL);
}
